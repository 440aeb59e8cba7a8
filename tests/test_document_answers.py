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


def test_an_answer_naming_an_earlier_question_skips_the_last_one() -> None:
    # "Vraag 1 … Vraag 2 … Antwoord 1 … Antwoord 2": the last question marker is 2.
    units = [QuestionUnit(1, (1,), "A?", None), QuestionUnit(2, (2,), "B?", None)]
    attach(units, [1], (1,), "Ja.")
    attach(units, [1], (2,), "Twaalf.")
    assert [u.answer for u in units] == ["Ja.", "Twaalf."]


def test_an_answer_naming_no_known_question_answers_the_last_one() -> None:
    units = [QuestionUnit(3, (3,), "A?", None)]
    attach(units, [0], (4,), "Ja.")  # a misprinted number
    assert units[0].answer == "Ja."


def test_antwoord_1_tot_en_met_3_answers_all_three() -> None:
    text = ("Antwoord van minister Brekelmans (Defensie) (ontvangen 20 november 2024)\n\nVraag 1\nKent u het bericht?\n"
            "Vraag 2\nWat vindt u ervan?\nVraag 3\nBent u bereid te handelen?\nAntwoord 1 tot en met 3\nJa.")
    doc = kv.parse_document(text)
    assert [(q.number, q.text, q.answer) for q in doc.questions] == [
        (1, "Kent u het bericht?", "Ja."), (2, "Wat vindt u ervan?", "Ja."), (3, "Bent u bereid te handelen?", "Ja.")]
