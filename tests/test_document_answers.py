"""Tests of kvclassify.document.answers: attaching answers to the questions they answer."""

from __future__ import annotations

from pathlib import Path

import kvclassify as kv
from kvclassify.document.answers import attach, split_unmarked
from kvclassify.document.types import QuestionUnit

FIXTURES = Path(__file__).parent / "fixtures" / "documents"


def test_antwoord_op_vraag_2_en_3_answers_both() -> None:
    doc = kv.parse_document((FIXTURES / "answer-for-two-questions.txt").read_text(encoding="utf-8"))
    assert [(q.number, q.answer) for q in doc.questions] == [
        (1, "Ja."), (2, "Daarover informeer ik u voor de zomer."), (3, "Daarover informeer ik u voor de zomer.")]


def test_attach_keeps_earlier_answers_and_the_references() -> None:
    units = [QuestionUnit(3, (3,), "A?", "Eerder.", (1,)), QuestionUnit(8, (8,), "B?", None, (2,))]
    attach(units, [1], (3, 8), "Samen.")
    assert units == [QuestionUnit(3, (3,), "A?", "Eerder.", (1,)), QuestionUnit(8, (8,), "B?", "Samen.", (2,))]


def test_an_unmarked_answer_is_cut_off_after_the_questions() -> None:
    assert split_unmarked(["Kent u dit?", "Zo ja, wanneer?", "", "Ja, sinds mei."]) == (
        ["Kent u dit?", "Zo ja, wanneer?"], "Ja, sinds mei.")
    assert split_unmarked(["Kent u dit?"]) == (["Kent u dit?"], None)
