"""Tests of kvclassify.document.header: members, addressees and their dated areas, subject, dates."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

import kvclassify as kv

FIXTURES = Path(__file__).parent / "fixtures" / "documents"
D = datetime.date


def _parse(name: str) -> kv.Document:
    return kv.parse_document((FIXTURES / name).read_text(encoding="utf-8"))


def test_the_answer_date_is_received_not_submitted() -> None:
    # The answer's "(ontvangen …)" is when the Kamer got the answer: as submitted, an answer delay would read 0 days.
    doc = _parse("answers-no-ingezonden.txt")
    assert doc.submitted is None and doc.received == D(2024, 11, 20)
    assert doc.to_dict()["received"] == "2024-11-20"
    # It still dates the posts of the addressees (the cabinet of the day).
    assert [(a.text, a.policy_areas) for a in doc.addressees] == [("minister Brekelmans (Defensie)", ("defensie",))]


def test_cover_letter_gives_subject_and_members_but_no_submission_date() -> None:
    doc = _parse("cover-letter.txt")
    assert doc.subject == "de munitievoorraad"  # not "… worden beantwoord zoals aangegeven in de bijlage …"
    assert [m.name for m in doc.members] == ["Jansen"]
    # "uw brief van 9 november 2023" is when the questions were sent on, not "(ingezonden …)": as the true
    # fields of the real documents have it, submitted stays empty (the date only dates the addressees' posts).
    assert doc.submitted is None and doc.received is None
    assert doc.kind == "answers" and doc.questions[0].answer == "Ja."


def test_addressee_areas_follow_the_document_date() -> None:
    header = "Vragen van het lid Jansen (SP) aan de minister van Economische Zaken en Klimaat over gas (ingezonden {})."
    assert kv.parse_document(header.format("3 mei 2019")).addressed_areas == ("klimaat_energie",)
    assert kv.parse_document(header.format("3 mei 2023")).addressed_areas == ("economie",)
    assert kv.parse_document(header.format("")).addressed_areas == ("economie",)  # no date: the title decides


#: Public documents whose addressee areas the dated post table changes (item #12.1): none, all are dated
#: 2023-2025, after the mixed posts of MAPPING.md 2c. 2024Z14419 names no addressee in its header; its
#: answer header's "mede namens" list differs from the index (as before).
CORRECTED: dict[str, tuple[str, ...]] = {}
DIFFERENT_BEFORE = {"2024Z14419"}


def test_public_documents_keep_their_addressee_areas(shared_data: Path) -> None:
    for line in (shared_data / "documents" / "index.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if not rec["policy_areas"] or rec["doc_id"] in DIFFERENT_BEFORE:
            continue
        doc = kv.parse_document((shared_data / "documents" / rec["file"]).read_text(encoding="utf-8"))
        expected = CORRECTED.get(rec["doc_id"], tuple(rec["policy_areas"]))
        assert set(doc.addressed_areas) == set(expected), rec["doc_id"]


@pytest.mark.parametrize("dates", [
    "(ingezon-\nden 30 oktober 2024)", "(ingezonden 30\noktober 2024)", "(ingezonden 30 oktober2024)"])
def test_the_submission_date_across_a_line_break(dates: str) -> None:
    doc = kv.parse_document("Vragen van het lid Coenradie (JA21) aan de minister van Justitie en Veiligheid over "
                            f"stroomstoringen in gevangenissen {dates}.\n\n1. Kent u het bericht?\n")
    assert doc.submitted == D(2024, 10, 30) and doc.subject == "stroomstoringen in gevangenissen"


@pytest.mark.parametrize("dates", ["(ontvangen\n14 november 2024)", "(ontvangen 14 november\n2024)",
                                   "(ontvangen 14 november2024)", "(ont-\nvangen 14 november 2024)"])
def test_the_answer_date_across_a_line_break(dates: str) -> None:
    doc = kv.parse_document(f"Antwoord van minister Brekelmans (Defensie) {dates}\n\nVraag 1\nKent u het bericht?\n\n"
                            "Antwoord 1\nJa.\n")
    assert doc.received == D(2024, 11, 14) and doc.submitted is None


def test_the_answer_header_stops_before_the_first_numbered_question() -> None:
    # An answer header that does not end in ")" ("… (ontvangen …). Zie ook nr. 393.") once swallowed "1. …".
    doc = kv.parse_document(
        "Vragen van het lid Postma (Nieuw Sociaal Contract) aan de Minister van Financiën over het onderzoek "
        "(ingezonden 3 oktober 2024).\nAntwoord van Staatssecretaris Jansen (Infrastructuur en Waterstaat) "
        "(ontvangen 18 november 2024). Zie ook nr. 393.\n1. Bent u bekend met het onderzoek van het Nibud?\n"
        "Antwoord 1\nJa.\n2. Hoe groot schat u het deel van de bevolking in?\nAntwoord 2\nKlein.\n")
    assert [(q.number, q.answer) for q in doc.questions] == [(1, "Ja."), (2, "Klein.")]
    assert doc.kind == "answers" and doc.received == D(2024, 11, 18)


def test_a_header_dated_above_it_ends_before_the_questions_without_a_blank_line() -> None:
    # "(ingezonden …)" above the header and no blank line after it: the header once ran over every question.
    doc = kv.parse_document(
        "2024Z18891\n(ingezonden 20 november 2024)\nVragen van het lid Tseggai (GroenLinks-PvdA) aan de minister van "
        "Justitie en Veiligheid over vergunningverlening\naan escortbureaus\n"
        "Kent u het bericht 'Berucht escortbureau Nirvana kreeg vergunning'?\n"
        "Deelt u de mening dat veroordelingen moeten meewegen?\nOp welke wijze worden veroordelingen meegewogen?\n")
    assert doc.subject == "vergunningverlening aan escortbureaus" and doc.submitted == D(2024, 11, 20)
    assert [q.text.split()[0] for q in doc.questions] == ["Kent", "Deelt", "Op"]


def test_a_header_without_submission_date_ends_before_vraag_1() -> None:
    # With no "(ingezonden …)" and no blank line the header ran on into "Vraag 1": question 1 was lost.
    doc = _parse("header-no-ingezonden.txt")
    assert doc.subject == ("de verdeling van de rijksbrede subsidietaakstelling over de departementen en de gevolgen "
                           "daarvan voor de begroting van 2025")
    assert [q.number for q in doc.questions] == [1, 2, 3] and doc.questions[0].text.startswith("Kunt u")
    assert doc.submitted is None and doc.kind == "questions"


@pytest.mark.parametrize("first", ["1. Kent u het bericht?", "1\nKent u het bericht?"])
def test_an_undated_header_ends_before_the_first_number(first: str) -> None:
    doc = kv.parse_document("Vragen van het lid Jansen (SP) aan de minister van Defensie over munitie\n"
                            f"en wapens\n{first}\n2. Wat gaat u doen?\n")
    assert doc.subject == "munitie en wapens" and doc.submitted is None
    assert [(q.number, q.text) for q in doc.questions] == [(1, "Kent u het bericht?"), (2, "Wat gaat u doen?")]


@pytest.mark.parametrize(("written", "date"), [
    ("20-11-2024", D(2024, 11, 20)), ("20/11/2024", D(2024, 11, 20)), ("20 nov. 2024", D(2024, 11, 20)),
    ("op 20 november 2024", D(2024, 11, 20)), ("20 nov 2024", D(2024, 11, 20)), ("3 mrt. 2025", D(2025, 3, 3)),
    ("3 sept 2024", D(2024, 9, 3)), ("3 sep. 2024", D(2024, 9, 3)), ("3 OKT 2024", D(2024, 10, 3)),
    ("31 februari 2024", None), ("31-02-2024", None), ("20-13-2024", None), ("20 foo 2024", None)])
def test_submission_dates_as_written(written: str, date: datetime.date | None) -> None:
    doc = kv.parse_document("Vragen van het lid Jansen (SP) aan de minister van Defensie over munitie "
                            f"(ingezonden {written}).\n\n1. Kent u het bericht?\n")
    assert doc.submitted == date and doc.subject == "munitie"


def test_the_answer_date_as_written() -> None:
    doc = kv.parse_document("Antwoord van minister Brekelmans (Defensie) (ontvangen op 14-11-2024)\n\nVraag 1\n"
                            "Kent u het bericht?\n\nAntwoord 1\nJa.\n")
    assert doc.received == D(2024, 11, 14) and doc.submitted is None


def test_a_header_in_capitals_reads_en_and_van_as_connectors() -> None:
    doc = _parse("header-capitals.txt")
    assert [(m.name, m.party) for m in doc.members] == [("DE VRIES", "GroenLinks-PvdA"), ("PIRI", "GroenLinks-PvdA")]
    assert [(a.role, a.ministry) for a in doc.addressees] == [
        ("minister", "ASIEL EN MIGRATIE"), ("minister", "VOLKSGEZONDHEID, WELZIJN EN SPORT")]
    assert doc.addressed_areas == ("asiel_migratie", "zorg_welzijn")
    assert doc.kind == "questions" and doc.submitted == D(2024, 11, 18)
    assert doc.subject == "DE ZORG VOOR ZWANGERE VROUWEN IN AZC’S" and [q.number for q in doc.questions] == [1, 2]


def test_a_date_in_capitals_broken_over_two_lines() -> None:
    # The line-break hyphen stays before a capital ("(INGEZON-" / "DEN"), and the date is still read.
    doc = kv.parse_document("VRAGEN VAN DE LEDEN JANSEN, PIETERS EN DE BOER (ALLEN SP) AAN DE MINISTER VAN DEFENSIE "
                            "OVER MUNITIE (INGEZON-\nDEN 3 MAART 2025).\n\n1. Kent u het bericht?\n")
    assert doc.submitted == D(2025, 3, 3) and doc.subject == "MUNITIE"
    assert [m.name for m in doc.members] == ["JANSEN", "PIETERS", "DE BOER"]
