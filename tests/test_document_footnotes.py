"""Tests of kvclassify.document.footnotes: blocks at page ends, DOCX notes, references in the text."""

from __future__ import annotations

from pathlib import Path

import pytest

import kvclassify as kv
from kvclassify.document.footnotes import markdown_footnotes, take_references
from kvclassify.document.types import Footnote

FIXTURES = Path(__file__).parent / "fixtures" / "documents"
SHARED_DOCS = Path(__file__).parents[1] / ".." / "shared" / "data" / "documents"


def _parse(name: str) -> kv.Document:
    return kv.parse_document((FIXTURES / name).read_text(encoding="utf-8"))


def test_footnote_number_glued_to_a_year() -> None:
    doc = _parse("footnote-glued-year.txt")  # "22023 jaarverslag": footnote 2
    assert [(f.number, f.text) for f in doc.footnotes] == [
        (1, "NOS, 1 maart 2025, Munitie raakt op"), (2, "2023 jaarverslag Defensie, hoofdstuk 4")]
    assert [q.footnote_refs for q in doc.questions] == [(1,), (2,)]
    assert doc.questions[1].text == "Klopt het dat de voorraad in 2023 is gehalveerd?"


def test_a_block_whose_first_footnote_is_never_cited() -> None:
    doc = _parse("footnote-first-uncited.txt")
    assert [f.number for f in doc.footnotes] == [1, 2]
    assert doc.questions[1].text == "Klopt het dat de voorraad is gehalveerd?"
    assert doc.questions[1].footnote_refs == (2,)


def test_covid_19_is_no_footnote_reference() -> None:
    doc = _parse("covid-19.txt")
    assert doc.questions[0].text == "Hoeveel mensen zijn in 2024 opgenomen met COVID-19?"
    assert doc.questions[0].footnote_refs == ()
    assert take_references("opgenomen met COVID-19? En op de A12?", {12, 19}) == (
        "opgenomen met COVID-19? En op de A12?", ())


def test_references_leave_the_text_and_stay_on_the_unit() -> None:
    assert take_references("Kent u het bericht?1 2 En «Titel»3? Zie [4] en (5). Een 6:1 ratio", {1, 2, 3, 4, 5}) == (
        "Kent u het bericht? En «Titel»? Zie en. Een 6:1 ratio", (1, 2, 3, 4, 5))
    assert take_references("Kent u dit?7", {1}) == ("Kent u dit?7", ())  # no such footnote


def test_markdown_footnotes_are_cut_off() -> None:
    lines, notes = markdown_footnotes(["Kent u dit?[^1]", "", "--- footnotes ---", "[^1]: NOS,", "1 mei"])
    assert lines == ["Kent u dit?[^1]", ""]
    assert notes == [Footnote(1, "NOS, 1 mei")]


@pytest.mark.parametrize("cited", ["in the sentence", "question 1 cites 1 only"])
def test_the_last_numbered_question_is_no_footnote(cited: str) -> None:
    text = (FIXTURES / "footnote-after-last-question.txt").read_text(encoding="utf-8")
    if cited == "question 1 cites 1 only":  # "? 1)" then "? 3)": footnote 2 is never cited
        text = text.replace("op’ 1) en het rapport van de Inspectie 2)?", "op’ en het rapport van de Inspectie? 1)")
    doc = kv.parse_document(text)
    assert [(q.number, q.text) for q in doc.questions][1:] == [
        (2, "Hoeveel mensen wachten langer dan de Treeknorm?"),
        (3, "Bent u bereid de Kamer voor de zomer te informeren over de aanpak?")]
    assert [(f.number, f.text) for f in doc.footnotes] == [
        (1, "NOS, 1 maart 2025, https://nos.nl/artikel/1"), (2, "IGJ, Rapport ggz, 2025"),
        (3, "Zie ook Kamerstuk 25424, nr. 700")]
    assert doc.questions[0].text == "Kent u het bericht ‘Wachtlijsten ggz lopen op’ en het rapport van de Inspectie?"
    assert [q.footnote_refs for q in doc.questions] == [(1, 2) if cited == "in the sentence" else (1,), (3,), ()]


def test_a_reference_n_paren_leaves_the_text_whole() -> None:
    doc = _parse("footnote-references-mid-sentence.txt")
    assert [(q.text, q.footnote_refs) for q in doc.questions] == [
        ("Kent u het bericht “Landelijk verbod op hoofddoek bij boa's (nos.nl)”?", (1,)),
        ("Hoe verhoudt het verbod zich tot de Code Interbestuurlijke Verhoudingen, met name punt 3) en het "
         "uitgangspunt dat gemeenten zelf beslissen (zie artikel 2)?", (2,)),
        ("Bent u bereid de Raad van State om advies te vragen?", (3,))]


@pytest.mark.parametrize("text", [
    "Wat betekent (zie artikel 2) dit?",  # the ")" closes a bracket
    "Wat betekent punt 3) en artikel 2) dan?",  # an item, named
    "Wat is er mis, zijnde: 1) het script; 2) de AP en 3) de termijn?",  # a list in the sentence
])
def test_text_that_is_no_n_paren_reference_stays(text: str) -> None:
    assert take_references(text, {1, 2, 3}) == (text, ())


@pytest.mark.skipif(not (SHARED_DOCS / "rm-lahlah-chakor-hoofddoekjes-boa-2024.txt").is_file(),
                    reason="../shared is absent")
def test_n_paren_references_in_a_real_answers_document() -> None:
    text = (SHARED_DOCS / "rm-lahlah-chakor-hoofddoekjes-boa-2024.txt").read_text(encoding="utf-8")
    questions = kv.parse_document(text).questions
    assert questions[0].text.endswith("(nos.nl)”?") and questions[0].footnote_refs == (1,)
    assert "Verhoudingen, met name" in questions[3].text and questions[3].footnote_refs == (2,)
    assert "(artikel 3)" in questions[3].text


def test_a_footnote_number_at_a_line_start_in_an_answer_is_no_block() -> None:
    # "2 Dit is in 2022 …" (footnote 2's raise lost) read as a footnote block swallowed
    # question 3 up to the real block "2Kamerstukken …".
    doc = _parse("units-footnote-number-at-line-start.txt")
    assert [q.number for q in doc.questions] == [1, 2, 3]
    assert [f.text for f in doc.footnotes][1:] == ["Kamerstukken II 2021–2022, 29 279, nr. 339",
                                                   "Kamerstukken II 2021–2022, 29 279, nr. 353"]
    assert "2 Dit is in 2022" in doc.questions[1].answer
    assert doc.questions[2].answer == "Ja, dat doe ik."
