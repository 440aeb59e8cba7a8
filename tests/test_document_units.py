"""Tests of kvclassify.document.markers and .units: question markers and splitting the body into units."""

from __future__ import annotations

from pathlib import Path

import kvclassify as kv
from kvclassify.document.markers import find_markers, numbers
from kvclassify.document.types import Marker

FIXTURES = Path(__file__).parent / "fixtures" / "documents"


def _parse(name: str) -> kv.Document:
    return kv.parse_document((FIXTURES / name).read_text(encoding="utf-8"))


def test_vraag_1_en_2_with_both_questions_on_one_line() -> None:
    doc = _parse("vraag-pair-one-line.txt")
    assert [(q.number, q.text) for q in doc.questions] == [
        (1, "Kent u het bericht over de munitie?"), (2, "Wat vindt u daarvan?"),
        (3, "Bent u bereid de Kamer te informeren?")]
    assert [q.answer for q in doc.questions] == ["Ja. Ik vind dat zorgelijk."] * 2 + ["Ja."]


def test_four_digit_question_numbers() -> None:
    doc = _parse("four-digit-numbers.txt")
    assert [q.number for q in doc.questions] == [1023, 1024, 1025]
    assert [q.answer for q in doc.questions] == ["Ja.", "Dat is geheim.", "Dat is geheim."]


def test_markers_are_a_named_type_in_line_order() -> None:
    lines = ("Vraag 2 en 3", "Kent u?", "Antwoord op vraag 2 en 3", "Ja.", "Toelichting: niets")
    markers, lone = find_markers(lines, [True] * len(lines), 0)
    assert markers == [Marker(0, "question", (2, 3), ""), Marker(2, "answer", (2, 3), ""), Marker(4, "drop", (), "")]
    assert not lone


def test_numbers_read_lists_and_ranges() -> None:
    assert numbers("4", " t/m 6") == (4, 5, 6)
    assert numbers("3", ", 4, 5, 9 en 10") == (3, 4, 5, 9, 10)


def test_unnumbered_continuations_join_their_question() -> None:
    text = "Kent u het bericht?\n\nzo ja, wat doet u?\n\nWaarom niet?\n\nBent u bereid te handelen?"
    assert [q.text for q in kv.parse_document(text).questions] == [
        "Kent u het bericht? zo ja, wat doet u? Waarom niet?", "Bent u bereid te handelen?"]


def test_antwoord_markers_with_the_answer_on_their_line() -> None:
    from kvclassify.document.markers import ANTWOORD_RE

    def rest(line: str) -> str | None:
        m = ANTWOORD_RE.match(line)
        return None if m is None else m.group("rest") or ""

    assert [rest(s) for s in ("Antwoord 1 Ja.", "Antwoord 1: Ja.", "Antwoord: Ja.", "Antwoord 4 en 5 Nee.",
                              "Antwoord 1", "Antwoord")] == ["Ja.", "Ja.", "Ja.", "Nee.", "", ""]
    # A sentence, not a marker: lower case after the number, or text straight after the word.
    assert [rest(s) for s in ("Antwoord 2 van de minister volgt.", "Antwoord Ja.")] == [None, None]
