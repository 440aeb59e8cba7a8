"""Tests of kvclassify.opendata: open-data Zaak records -> training records, posts -> areas."""

from __future__ import annotations

import csv
import datetime
import json
from importlib import resources
from pathlib import Path

import pytest

from kvclassify.errors import DataError
from kvclassify.labels import POLICY_AREA_CODES
from kvclassify.opendata import SOORT, area_of_post, records_from_opendata

# Written by hand in the shape of the OData v4 API (Zaak with $expand=ZaakActor);
# the Nummers and subjects are illustrative, the posts and holders are real.
FIXTURE = Path(__file__).parent / "fixtures" / "opendata" / "zaken.json"
TENURES = Path(__file__).resolve().parents[2] / "shared" / "data" / "ministers" / "tenures.csv"

D = datetime.date

EXPECTED = [
    {
        "id": "2020Z16621",
        "date": "2020-09-10",
        "text": "Het bericht ‘Wachtlijsten in de GGZ lopen op’",
        "policy_area": "zorg_welzijn",
        "policy_areas": ["zorg_welzijn"],
        "addressees": ["T. van Ark"],
        "positions": ["minister voor Medische Zorg en Sport"],
        "submitter": "M. Hijink",
        "cosubmitters": ["H. van Gerven"],
    },
    {
        "id": "2023Z04512",
        "date": "2023-03-14",
        "text": "Uitbuiting van arbeidsmigranten in distributiecentra",
        "policy_area": None,
        "policy_areas": ["justitie_veiligheid", "sociale_zaken_werk"],
        "addressees": ["D. Yeşilgöz-Zegerius", "C.E.G. van Gennip"],
        "positions": ["minister van Justitie en Veiligheid", "minister van Sociale Zaken en Werkgelegenheid"],
        "submitter": "Z. el Yassini",
        "cosubmitters": [],
    },
    {
        "id": "2011Z04418",
        "date": "2011-03-01",
        "text": "Overbevolking in de penitentiaire inrichting Zwaag",
        "policy_area": "justitie_veiligheid",
        "policy_areas": ["justitie_veiligheid"],
        "addressees": ["F. Teeven"],
        "positions": ["staatssecretaris van Veiligheid en Justitie"],
        "submitter": "J. de Wit",
        "cosubmitters": [],
    },
    {
        "id": "2013Z04095",
        "date": "2013-03-01",
        "text": "Het uitzetten van een gezin naar Armenië",
        "policy_area": "asiel_migratie",
        "policy_areas": ["asiel_migratie"],
        "addressees": ["F. Teeven"],
        "positions": ["staatssecretaris van Veiligheid en Justitie"],
        "submitter": "S. Gesthuizen",
        "cosubmitters": ["J.J. Voordewind"],
    },
    {
        "id": "2025Z01877",
        "date": "2025-02-03",
        "text": "De instroom van asielzoekers in Ter Apel",
        "policy_area": "asiel_migratie",
        "policy_areas": ["asiel_migratie"],
        "addressees": ["M.H.M. Faber-van de Klashorst", "H.W.M. Schoof"],
        "positions": ["minister van Asiel en Migratie", "minister-president, minister van Algemene Zaken"],
        "submitter": "J. Dijk",
        "cosubmitters": [],
    },
    {
        "id": "2026Z03125",
        "date": "2026-02-17",
        "text": "Het bericht 'Herstel toeslagen loopt opnieuw vertraging op'",
        "policy_area": "financien",
        "policy_areas": ["financien"],
        "addressees": ["A.B. Nieuwkomer"],
        "positions": ["staatssecretaris van Financiën"],
        "submitter": "P. Omtzigt",
        "cosubmitters": [],
    },
]


def _zaak(**changes):
    zaak = {"Nummer": "2024Z00001", "Soort": SOORT, "GestartOp": "2024-01-02T00:00:00+01:00",
            "Onderwerp": "Onderwerp", "Verwijderd": False, "ZaakActor": []}
    zaak.update(changes)
    return zaak


# -- records_from_opendata ----------------------------------------------------------------


def test_fixture_file_gives_exact_records_and_skip_counts():
    records = records_from_opendata(FIXTURE)
    assert list(records) == EXPECTED
    assert records.skipped == {"deleted": 1, "soort: Wetgeving": 1}


def test_response_mapping_and_list_of_zaken_give_the_same_records():
    payload = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert list(records_from_opendata(payload)) == EXPECTED
    assert list(records_from_opendata(payload["value"])) == EXPECTED
    assert list(records_from_opendata(str(FIXTURE))) == EXPECTED


def test_records_use_known_area_codes_only():
    for record in records_from_opendata(FIXTURE):
        assert set(record["policy_areas"]) <= set(POLICY_AREA_CODES)


def test_titel_is_used_when_onderwerp_is_empty():
    (record,) = records_from_opendata([_zaak(Onderwerp=None, Titel=" Vragen  over X ")])
    assert record["text"] == "Vragen over X"
    assert record["policy_areas"] == [] and record["policy_area"] is None and record["submitter"] is None


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"values": []}, "needs a 'value' list"),
        ({"value": "x"}, "expected a list of Zaak objects"),
        (42, "expected a list of Zaak objects"),
        ([1], "Zaak 0 is a int"),
        ([_zaak(Nummer=None)], "'Nummer' is missing"),
        ([_zaak(GestartOp="12-09-2019")], "'GestartOp' is not an ISO date"),
        ([_zaak(GestartOp=None)], "'GestartOp' is missing"),
        ([_zaak(Onderwerp="", Titel="")], "no subject"),
        ([_zaak(ZaakActor={"Relatie": "Gericht aan"})], "'ZaakActor' is a dict"),
        ([_zaak(ZaakActor=["x"])], "ZaakActor 0 is a str"),
    ],
)
def test_malformed_payloads_raise_data_error(payload, message):
    with pytest.raises(DataError, match=message):
        records_from_opendata(payload)


def test_bad_files_raise_data_error(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        records_from_opendata(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"value": [}', encoding="utf-8")
    with pytest.raises(DataError, match="line 1: invalid JSON"):
        records_from_opendata(bad)


# -- area_of_post -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("position", "on", "area"),
    [
        # portfolio rules by title (MAPPING.md 2b), also beyond the dated table
        ("minister voor Buitenlandse Handel en Ontwikkelingshulp", D(2026, 5, 1), "handel_ontwikkeling"),
        ("staatssecretaris van Financiën", D(2030, 1, 1), "financien"),
        ("minister van Asiel en Migratie", D(2026, 5, 1), "asiel_migratie"),
        ("minister voor Medische Zorg", D(2018, 1, 1), "zorg_welzijn"),
        ("Minister  van Volkshuisvesting, Ruimtelijke Ordening en Milieubeheer", D(2008, 1, 1),
         "infrastructuur_milieu"),
        ("minister-president", D(2026, 1, 1), "algemene_zaken"),
        # majority overrides (2c) are dated
        ("minister van Economische Zaken en Klimaat", D(2019, 5, 1), "klimaat_energie"),
        ("minister van Economische Zaken en Klimaat", D(2023, 5, 1), "economie"),
        ("minister van Binnenlandse Zaken en Koninkrijksrelaties", D(2019, 5, 1), "wonen_ruimte"),
        ("minister van Binnenlandse Zaken en Koninkrijksrelaties", D(2023, 5, 1), "binnenlands_bestuur"),
        # positions as written in subjects/*.jsonl
        ("staatssecretaris van Justitie en Veiligheid (Migratie en Asiel) [Rutte III]", D(2019, 1, 1),
         "asiel_migratie"),
        ("staatssecretaris van Onderwijs, Cultuur en Wetenschap (Cultuur en Media, ad interim) [Rutte IV]",
         D(2023, 12, 15), "onderwijs_cultuur"),
        ("nuntius", D(2020, 1, 1), None),
    ],
)
def test_area_of_post_by_title_and_date(position, on, area):
    assert area_of_post(position, on) == area


def test_person_decides_when_one_title_has_two_areas():
    title, on = "staatssecretaris van Economische Zaken en Klimaat", D(2021, 6, 15)
    assert area_of_post(title, on) is None  # Keijzer (economy) and Yeşilgöz (climate) at once
    assert area_of_post(title, on, person="D. Yeşilgöz-Zegerius") == "klimaat_energie"
    assert area_of_post(title, on, person="Mona Keijzer (M.C.G.)") == "economie"
    # someone the table does not know: the others' areas do not apply to them
    assert area_of_post(title, on, person="J. Onbekend") is None


def test_person_tenure_counts_within_45_days_of_a_change():
    # Vijlbrief was named a month before taking office (MAPPING.md rule 5).
    assert area_of_post("staatssecretaris van Financiën", D(2019, 12, 10), person="J.A. Vijlbrief") == "financien"
    assert (
        area_of_post("staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties", D(2025, 6, 20),
                     person="F.Z. Szabó")
        == "binnenlands_bestuur"
    )


def test_split_state_secretary_titles_without_table_rows_are_not_guessed():
    assert area_of_post("staatssecretaris van Justitie en Veiligheid", D(2030, 1, 1), person="X. Y") is None
    assert area_of_post("staatssecretaris van Justitie en Veiligheid (Asiel en Migratie)", D(2030, 1, 1)) == (
        "asiel_migratie"
    )


# -- the shipped post table ---------------------------------------------------------------


def _posts_csv() -> list[dict[str, str]]:
    text = resources.files("kvclassify").joinpath("data/posts.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_posts_csv_is_well_formed():
    rows = _posts_csv()
    assert rows
    for number, row in enumerate(rows, start=2):
        assert row["area"] in POLICY_AREA_CODES, number
        assert row["confidence"] in {"high", "medium", "low"}, number
        start = D.fromisoformat(row["start"])
        assert not row["end"] or D.fromisoformat(row["end"]) > start, number
        assert row["source"].startswith(("tenures.csv", "added")), number


@pytest.mark.skipif(not TENURES.is_file(), reason="shared data (ministers/tenures.csv) not available")
def test_posts_csv_agrees_with_tenures_csv():
    tenures = set()
    for row in csv.DictReader(TENURES.read_text(encoding="utf-8").splitlines()):
        position = row["position"].rsplit(" [", 1)[0]
        tenures.add((position, row["name_in_fixture"] or row["key"], row["area"], row["start"], row["end"]))
    derived = [row for row in _posts_csv() if row["source"].startswith("tenures.csv")]
    assert len(derived) == len(tenures)
    for row in derived:
        position = f"{row['post']} ({row['portfolio']})" if row["portfolio"] else row["post"]
        # rows extended after Oct 2024 close an end that tenures.csv leaves open
        end = "" if row["source"] != "tenures.csv" else row["end"]
        assert (position, row["person"], row["area"], row["start"], end) in tenures, row
