"""Tests of kvclassify.areas: cabinet posts -> policy areas (the dated table and the title rules)."""

from __future__ import annotations

import csv
import datetime
from importlib import resources
from pathlib import Path

import pytest

import kvclassify as kv
from kvclassify.areas import areas_of_post, combine_areas
from kvclassify.labels import POLICY_AREA_CODES
from kvclassify.opendata import records_from_opendata

TENURES = Path(__file__).resolve().parents[2] / "shared" / "data" / "ministers" / "tenures.csv"

D = datetime.date


# -- areas_of_post ------------------------------------------------------------------------


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
def test_areas_of_post_by_title_and_date(position, on, area):
    assert areas_of_post(position, on) == ((area,) if area else ())


def test_person_decides_when_one_title_has_two_areas():
    title, on = "staatssecretaris van Economische Zaken en Klimaat", D(2021, 6, 15)
    # Keijzer (economy) and Yeşilgöz (climate) at once: without a person the ministry default decides
    assert areas_of_post(title, on) == ("economie",)
    assert areas_of_post(title, on, person="D. Yeşilgöz-Zegerius") == ("klimaat_energie",)
    assert areas_of_post(title, on, person="Mona Keijzer (M.C.G.)") == ("economie",)
    # someone the table does not know: the others' areas do not apply to them
    assert areas_of_post(title, on, person="J. Onbekend") == ()


def test_person_tenure_counts_within_45_days_of_a_change():
    # Vijlbrief was named a month before taking office (MAPPING.md rule 5).
    assert areas_of_post("staatssecretaris van Financiën", D(2019, 12, 10), person="J.A. Vijlbrief") == ("financien",)
    assert (
        areas_of_post("staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties", D(2025, 6, 20),
                      person="F.Z. Szabó")
        == ("binnenlands_bestuur",)
    )


def test_split_state_secretary_titles_without_table_rows_are_not_guessed():
    assert areas_of_post("staatssecretaris van Justitie en Veiligheid", D(2030, 1, 1), person="X. Y") == ()
    assert areas_of_post("staatssecretaris van Justitie en Veiligheid (Asiel en Migratie)", D(2030, 1, 1)) == (
        "asiel_migratie",
    )


def test_without_a_date_the_title_decides_or_gives_every_area_of_the_post():
    assert areas_of_post("minister van Economische Zaken en Klimaat") == ("economie",)
    assert areas_of_post("staatssecretaris van Justitie en Veiligheid") == ("asiel_migratie", "justitie_veiligheid")
    assert areas_of_post("Minister voor Economische Zaken") == ("economie",)


def test_lost_spaces_and_casing_find_the_post():
    on = D(2019, 5, 1)
    assert areas_of_post("Minister van Economische Zakenen Klimaat", on) == ("klimaat_energie",)
    assert areas_of_post("minister van Volksgezondheid,Welzijn en Sport", on) == ("zorg_welzijn",)


def test_combine_areas_keeps_the_prime_minister_only_alone():
    assert combine_areas(["algemene_zaken", "defensie", "financien", "defensie"]) == ("defensie", "financien")
    assert combine_areas(["algemene_zaken", "algemene_zaken"]) == ("algemene_zaken",)
    assert combine_areas([]) == ()


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


# -- parser and importer agree ------------------------------------------------------------

_MONTHS = ("januari februari maart april mei juni juli augustus september oktober november december").split()


def _mid_tenure(row: dict[str, str]) -> datetime.date:
    start = D.fromisoformat(row["start"])
    end = D.fromisoformat(row["end"]) if row["end"] else start + datetime.timedelta(days=60)
    return start + (end - start) / 2


def test_parser_and_importer_give_the_same_areas_for_every_post(shared_data: Path) -> None:
    rows = list(csv.DictReader((shared_data / "ministers" / "tenures.csv").read_text(encoding="utf-8").splitlines()))
    titles = {row["position"].rsplit(" [", 1)[0].split(" (", 1)[0] for row in rows}
    disagree = []
    for row in rows:
        title = row["position"].rsplit(" [", 1)[0].split(" (", 1)[0]
        on = _mid_tenure(row)
        zaak = {"Nummer": "2020Z00001", "Soort": "Schriftelijke vragen", "GestartOp": on.isoformat(),
                "Onderwerp": "x", "ZaakActor": [{"Relatie": "Gericht aan", "ActorNaam": row["name_in_fixture"],
                                                 "Functie": title}]}
        imported = tuple(records_from_opendata([zaak])[0]["policy_areas"])
        header = (f"Vragen van het lid Jansen (SP) aan de {title} over x "
                  f"(ingezonden {on.day} {_MONTHS[on.month - 1]} {on.year}).\n\n1. Kent u dit?")
        parsed = kv.parse_document(header).addressed_areas
        # Both read the post through areas_of_post; only the importer knows the holder.
        assert parsed == areas_of_post(title, on), (title, on)
        if set(parsed) != set(imported):
            disagree.append((title, on))
    assert len(titles) > 50
    # They differ only where one title had holders of different areas at once, and the header names no holder.
    for title, on in disagree:
        active = {r["area"] for r in rows if r["position"].startswith(title + " ")
                  and D.fromisoformat(r["start"]) <= on < (D.fromisoformat(r["end"]) if r["end"] else D.max)}
        assert len(active) > 1, (title, on, active)
