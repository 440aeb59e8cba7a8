"""Tests of kvclassify.document.markers and .units: question markers and splitting the body into units."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import kvclassify as kv
from kvclassify.document.markers import find_markers, numbers, question_list
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


# --- a blank line that is a page break (pypdf joins pages with one) ---------------------------

def _without_blank_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


@pytest.mark.parametrize("where", ["none", "in a sentence", "between questions"])
def test_a_page_break_in_a_text_without_paragraphs(where: str) -> None:
    # The seed as pypdf extracts it (no blank lines), with the blank line of a page break.
    seed = (FIXTURES / "seed-2025-om-ict.txt").read_text(encoding="utf-8")
    lines = _without_blank_lines(seed)
    at = {"none": None, "in a sentence": "gekeken naar extra", "between questions": "Welke maatregelen"}[where]
    if at:
        k = next(i for i, line in enumerate(lines) if line.startswith(at))
        lines[k:k] = [""]
    assert [q.text for q in kv.parse_document("\n".join(lines)).questions] == [
        q.text for q in kv.parse_document(seed).questions]


def test_a_page_break_inside_a_sentence_separates_nothing() -> None:
    text = (FIXTURES / "page-break-in-a-sentence.txt").read_text(encoding="utf-8")
    doc = kv.parse_document(text)
    assert len(doc.questions) == 5
    assert doc.questions[2].text == ("Welke maatregelen worden er getroffen om fouten te voorkomen? En in hoeverre "
                                     "wordt er gekeken naar extra maatregelen om het risico op fouten in te dammen? "
                                     "Zo ja, welke?")
    assert doc.questions == kv.parse_document("\n".join(_without_blank_lines(text))).questions
    # Numbered, the break stays inside question 3 as well.
    numbered = text.replace("Kunt u", "1. Kunt u").replace("Op welke", "2. Op welke").replace(
        "Welke", "3. Welke").replace("Hoe kijkt", "4. Hoe kijkt").replace("Bent u", "5. Bent u")
    assert [(q.number, q.text) for q in kv.parse_document(numbered).questions] == [
        (k, q.text) for k, q in enumerate(doc.questions, start=1)]


def test_a_two_page_pdf_broken_inside_a_sentence() -> None:
    pytest.importorskip("pypdf")
    from .test_reading import _FONT, _pdf_of, _stream

    def content(lines: list[str]) -> bytes:
        shown = " ".join("({}) '".format(s.replace("(", "\\(").replace(")", "\\)")) for s in lines)
        return _stream(f"BT /F1 10 Tf 40 800 Td 14 TL {shown} ET".encode("cp1252"))

    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources << /Font << /F1 7 0 R >> >> >>"
    lines = (FIXTURES / "page-break-in-a-sentence.txt").read_text(encoding="utf-8").split("\n")
    k = lines.index("")
    pdf = _pdf_of([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
                   page % 5, page % 6, content(lines[:k]), content(lines[k + 1:]), _FONT])
    assert "wordt er\n\ngekeken" in kv.read_text(io.BytesIO(pdf))  # pypdf's page join
    assert len(kv.read_document(io.BytesIO(pdf)).questions) == 5


def test_a_question_list_asks_in_every_item() -> None:
    lines = ("1. Kent u het bericht?", "", "2) Wat vindt u?", "2. Hoeveel mensen wachten?", "3. Bent u bereid",
             "dit te doen?", "1) NOS, 1 maart 2025", "4. Een lijst zonder vraag.", "5. Wat nu?")
    assert question_list(lines, [True] * len(lines), 0) == {0, 3, 4}


@pytest.mark.parametrize("name", ["units-bulleted.txt", "units-dashed.txt"])
def test_bulleted_questions_are_one_unit_each(name: str) -> None:
    # A Word or e-mail export opens each unnumbered question with a bullet; sub-items after
    # ":" and in lower case stay with their question.
    doc = _parse(name)
    bullet = "•" if "bulleted" in name else "-"
    assert [q.text for q in doc.questions] == [
        "Kent u het bericht 'Wachtlijsten jeugdzorg langer dan ooit'? Zo ja, wat vindt u daarvan?",
        "Hoeveel kinderen wachten langer dan drie maanden op hulp? Kunt u daarbij ingaan op de volgende punten: "
        f"{bullet} de regio's met de langste wachttijden; {bullet} de oorzaken die gemeenten noemen?",
        "Bent u bereid de Kamer voor de zomer te informeren over uw plannen?"]
    assert doc.questions[0].footnote_refs == (1,)


def test_a_bullet_inside_an_unbulleted_question_stays_in_it() -> None:
    text = "Kent u het bericht? Zo ja:\n\n• wat vindt u ervan?\n\n• Wat gaat u doen?\n\nBent u bereid te handelen?"
    assert [q.text for q in kv.parse_document(text).questions] == [
        "Kent u het bericht? Zo ja: • wat vindt u ervan? • Wat gaat u doen?", "Bent u bereid te handelen?"]


def test_combined_numbered_markers_number_both_questions() -> None:
    doc = _parse("units-combined-numbers.txt")
    assert [(q.number, q.text) for q in doc.questions] == [
        (1, "Kent u het bericht over de munitiebeurs?"), (2, "Deelt u de mening dat deze bedrijven niet welkom zijn?"),
        (3, "Bent u bereid dit de organisator te laten weten?"), (4, "Kunt u deze vragen voor de beurs beantwoorden?")]
    assert [q.answer for q in doc.questions] == ["Ja.", "Nee, die mening deel ik niet.", "Nee, die mening deel ik niet.",
                                                 "Ja."]


@pytest.mark.parametrize("marker", ["11 en 12.", "11. en 12.", "11/12.", "11-12.", "11 + 12.", "11 t/m 12."])
def test_combined_numbered_markers_in_a_questions_list(marker: str) -> None:
    lines = [f"{n}. Vraag nummer {n}, kent u die?" for n in range(1, 11)]
    lines.append(f"{marker} Bent u bereid dit te monitoren? Wilt u de Kamer informeren?")
    markers, _ = find_markers(tuple(lines), [True] * len(lines), 0)
    assert [m.numbers for m in markers][-2:] == [(10,), (11, 12)]


def test_a_wrapped_line_with_two_numbers_is_no_marker() -> None:
    lines = ("1. Hoeveel zetels hebben", "3 - 4 Kamerleden gevraagd?", "2. Wat vindt u?")
    markers, _ = find_markers(lines, [True] * len(lines), 0)
    assert [m.numbers for m in markers] == [(1,), (2,)]


def test_sub_numbered_questions_keep_their_number() -> None:
    # "2a." / "2b." were no markers, so question 2 went into the answer to question 1.
    doc = _parse("units-sub-numbered.txt")
    assert [q.number for q in doc.questions] == [1, 2, 3]
    assert doc.questions[1].text.startswith("Deelt u de mening")
    assert "bent u bereid" in doc.questions[1].text
    assert doc.questions[1].answer == "Nee, die mening deel ik niet."


def test_an_ordinal_is_no_sub_number() -> None:
    lines = ("1. Kent u het bericht?", "2e Kamerleden vragen ernaar.", "2. Wat vindt u?")
    markers, _ = find_markers(lines, [True] * len(lines), 0)
    assert [(m.line, m.numbers) for m in markers] == [(0, (1,)), (2, (2,))]
