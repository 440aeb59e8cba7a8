"""Tests of kvclassify.opendata: open-data Zaak records -> training records, posts -> areas."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from kvclassify.errors import DataError
from kvclassify.labels import POLICY_AREA_CODES
from kvclassify.opendata import SOORT, records_from_opendata

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


@pytest.mark.parametrize("subject", [{"a": [1, 2]}, ["x"], 5, True])
def test_a_subject_that_is_not_a_string_is_refused(subject):
    with pytest.raises(DataError, match=rf"Zaak 0 \(2024Z00001\): 'Onderwerp' is a {type(subject).__name__}, "
                                        "expected a string"):
        records_from_opendata([_zaak(Onderwerp=subject)])
    with pytest.raises(DataError, match="'Titel' is a"):
        records_from_opendata([_zaak(Onderwerp=None, Titel=subject)])


def test_deeply_nested_file_is_a_data_error(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    with pytest.raises(DataError, match=r"deep\.json: JSON nested too deeply$"):
        records_from_opendata(deep)


def test_a_file_not_in_utf8_is_told_to_be_converted(tmp_path):
    path = tmp_path / "zaken.json"
    path.write_bytes(json.dumps([_zaak(Onderwerp="financiën")], ensure_ascii=False).encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8 .*; convert the file to UTF-8") as caught:
        records_from_opendata(path)
    assert "--encoding" not in str(caught.value)  # import-opendata has no such option


def test_import_opendata_command_reports_deep_json(tmp_path, capsys):
    from kvclassify.cli import main

    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    assert main(["import-opendata", str(deep)]) == 3
    assert capsys.readouterr().err == f"kvclassify: error: {deep}: JSON nested too deeply\n"


@pytest.mark.parametrize("field", ["ActorNaam", "Functie"])
def test_an_actor_field_that_is_not_a_string_is_refused(field: str, tmp_path: Path) -> None:
    actor = {"Relatie": "Gericht aan", "ActorNaam": "M. Agema", "Functie": "minister van Defensie", field: {"a": [1]}}
    zaak = {"Soort": SOORT, "Nummer": "2025Z1", "GestartOp": "2025-03-01T00:00:00", "Onderwerp": "Munitie",
            "ZaakActor": [actor]}
    path = tmp_path / "zaak.json"
    path.write_text(json.dumps({"value": [zaak]}), encoding="utf-8")
    with pytest.raises(DataError, match=f"ZaakActor 0: '{field}' is a dict, expected a string"):
        records_from_opendata(path)


def _addressed(*actors: dict) -> dict:
    (record,) = records_from_opendata([_zaak(GestartOp="2025-01-07T00:00:00+01:00",
                                             ZaakActor=[{"Relatie": "Gericht aan", **a} for a in actors])])
    return record


def test_two_nameless_addressees_in_different_posts_are_both_kept() -> None:
    record = _addressed({"ActorNaam": None, "Functie": "minister van Volksgezondheid, Welzijn en Sport"},
                        {"ActorNaam": None, "Functie": "minister van Asiel en Migratie"})
    assert record["policy_areas"] == ["asiel_migratie", "zorg_welzijn"] and record["policy_area"] is None
    # Shown by their posts, never as "": addressees and positions stay parallel.
    assert record["addressees"] == record["positions"] == [
        "minister van Volksgezondheid, Welzijn en Sport", "minister van Asiel en Migratie"]


def test_the_same_addressee_listed_twice_counts_once() -> None:
    vws = {"ActorNaam": "M. Agema", "Functie": "minister van Volksgezondheid, Welzijn en Sport"}
    record = _addressed(vws, dict(vws), {"ActorNaam": None, "Functie": vws["Functie"]},
                        {"ActorNaam": None, "Functie": vws["Functie"]})
    assert record["addressees"] == ["M. Agema", vws["Functie"]]
    assert record["policy_areas"] == ["zorg_welzijn"]


def test_an_addressee_with_neither_name_nor_post_is_left_out() -> None:
    record = _addressed({"ActorNaam": None, "Functie": None}, {"ActorNaam": " "})
    assert record["addressees"] == record["positions"] == [] and record["policy_areas"] == []
