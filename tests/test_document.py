"""Tests of the document parser (fixtures everywhere; the shared data when present)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from benchmarks.parsing import evaluate_parser
from kvclassify.document import Document, parse_document, portfolio_areas
from kvclassify.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures" / "documents"
SHARED_SEED = Path(__file__).parents[1] / ".." / "shared" / "examples" / "seed-2025-om-ict.txt"
SHARED_DOCS = Path(__file__).parents[1] / ".." / "shared" / "data" / "documents"
NOS_URL = ("https://nos.nl/artikel/2591289-3000-medewerkers-openbaar-ministerie-sturen-"
           "brandbrief-over-ict-problemen")


def _fixture(name: str) -> Document:
    return parse_document((FIXTURES / name).read_text(encoding="utf-8"))


def _check_seed(doc: Document) -> None:
    assert doc.kind == "questions"
    assert len(doc.questions) == 10
    assert [(m.name, m.party) for m in doc.members] == [("Coenradie", "JA21")]
    assert [a.text for a in doc.addressees] == ["minister van Justitie en Veiligheid"]
    assert doc.addressed_areas == ("justitie_veiligheid",)
    assert doc.submitted == datetime.date(2025, 11, 26)
    assert doc.footnote(1) == f"NOS, 20 november 2025, {NOS_URL} ({NOS_URL})."
    assert doc.subject == ("het bericht ‘3000 medewerkers Openbaar Ministerie sturen brandbrief "
                           "over ICT-problemen’")
    assert doc.questions[0].text.endswith("laten liggen? 1)")


def test_seed_fixture() -> None:
    _check_seed(_fixture("seed-2025-om-ict.txt"))


@pytest.mark.skipif(not SHARED_SEED.is_file(), reason="../shared is absent")
def test_seed_shared() -> None:
    _check_seed(parse_document(SHARED_SEED.read_text(encoding="utf-8")))


def test_numbered_dot_with_toelichting_and_footnote() -> None:
    doc = _fixture("numbered-dot.txt")
    assert doc.zaak == "2025Z01234"
    assert [(m.name, m.party) for m in doc.members] == [("Rooderkerk", "D66"), ("Paulusma", "D66")]
    assert doc.addressed_areas == ("onderwijs_cultuur", "zorg_welzijn")
    assert [q.number for q in doc.questions] == [1, 2]
    assert doc.questions[0].text.endswith("aanbie-den? 1)")
    assert "Toelichting" not in doc.questions[-1].text and "aanvulling" not in doc.questions[-1].text
    assert doc.footnote(1) == "NOS, 1 februari 2025, https://nos.nl/artikel/1234567-minder-scholen-bieden-schoolzwemmen-aan"


def test_numbered_paren_members_and_addressees() -> None:
    doc = _fixture("numbered-paren.txt")
    assert doc.submitted == datetime.date(2025, 3, 12)  # date broken across lines
    assert [(m.name, m.party) for m in doc.members] == [
        ("Van Nispen", "SP"), ("Bushoff", "GroenLinks-PvdA"), ("Kröger", "GroenLinks-PvdA"),
        ("Teunissen", "PvdD")]
    assert [(a.text, a.role) for a in doc.addressees] == [
        ("Minister van Asiel en Migratie", "minister"),
        ("Minister voor Buitenlandse Handel en Ontwikkelingshulp", "minister voor"),
        ("Minister van Buitenlandse Zaken", "minister")]
    assert doc.addressed_areas == ("asiel_migratie", "handel_ontwikkeling", "buitenlandse_zaken")
    assert len(doc.questions) == 3


def test_answers_document_with_page_break_inside_question() -> None:
    doc = _fixture("answers-vraag.txt")
    assert doc.kind == "answers"
    assert doc.members[0].name == "Daniëlle Jansen"
    assert doc.addressed_areas == ("justitie_veiligheid", "klimaat_energie")
    assert doc.addressees[0].role == "staatssecretaris"
    assert [q.number for q in doc.questions] == [1, 2, 3]
    assert doc.questions[0].answer == "Ja."
    assert doc.questions[1].text == "Hoe vaak viel de stroom uit in 2024?"
    assert doc.questions[2].text == ("Welke gevangenissen hadden de meeste storin-gen, en hoe lang "
                                     "duurden die storingen?2")
    assert doc.questions[2].answer == "In 2024 viel de stroom twaalf keer uit, vooral in Zwolle."
    assert doc.footnote(2) == ("NOS, 2 november 2024, Storingen in gevangenissen, "
                               "https://nos.nl/artikel/2547000-storingen")
    assert all("Tweede Kamer" not in q.text and "ISSN" not in q.text for q in doc.questions)


def test_oral_questions() -> None:
    doc = _fixture("oral.txt")
    assert doc.kind == "oral_questions"
    assert doc.questions == ()
    assert doc.addressees[0].role == "minister-president"
    assert doc.addressed_areas == ("algemene_zaken",)
    assert doc.subject == "het bericht «Kabinet twijfelt over begroting» (NOS, 5 januari 2025)"


def test_plain_list_is_unknown() -> None:
    doc = _fixture("plain-list.txt")
    assert doc.kind == "unknown"
    assert len(doc.questions) == 3


def test_non_str_raises_input_error() -> None:
    with pytest.raises(InputError, match="decode it first"):
        parse_document(b"Vragen")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        parse_document(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "   \n\n ", "\x00", "1)", "Vraag 1", "(ingezonden"])
def test_degenerate_input_never_raises(text: str) -> None:
    doc = parse_document(text)
    assert parse_document(text) == doc
    json.dumps(doc.to_dict())


def test_empty_gives_no_questions() -> None:
    assert parse_document("").questions == ()


def test_to_dict_is_json_ready() -> None:
    data = json.loads(json.dumps(_fixture("answers-vraag.txt").to_dict()))
    assert data["submitted"] == "2024-10-30"
    assert data["questions"][0]["answer"] == "Ja."


@pytest.mark.parametrize("name, area", [
    ("Koninkrijkrelaties", "binnenlands_bestuur"),
    ("Buitenlandse Handel en Ontwikkelingssamenwerking", "handel_ontwikkeling"),
    ("Medische Zorg", "zorg_welzijn"),
    ("Natuur en Stikstof", "landbouw_natuur"),
    ("Armoedebeleid, Participatie en Pensioenen", "sociale_zaken_werk"),
    ("Rechtsbescherming", "justitie_veiligheid"),
    ("Primair en Voortgezet Onderwijs", "onderwijs_cultuur"),
])
def test_portfolio_areas(name: str, area: str) -> None:
    assert portfolio_areas(name) == (area,)


@pytest.mark.skipif(not (SHARED_DOCS / "index.jsonl").is_file(), reason="../shared is absent")
def test_benchmark_thresholds_on_shared_documents() -> None:
    result = evaluate_parser(SHARED_DOCS)
    assert result["count_exact"] >= 0.95
    assert result["mean_similarity"] >= 0.97
    for field, acc in result["fields"].items():
        assert acc is None or acc >= 0.95, field
