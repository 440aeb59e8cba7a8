"""Regressions found by testing the parser: layouts that lost or invented questions.

Each test is the tester's repro; the seed is the unnumbered fixture of 10 questions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kvclassify as kv
from kvclassify.document.types import Footnote

FIXTURES = Path(__file__).parent / "fixtures" / "documents"
SHARED_DOCS = Path(__file__).parents[1] / ".." / "shared" / "data" / "documents"
SEED = (FIXTURES / "seed-2025-om-ict.txt").read_text(encoding="utf-8")
H = ("Vragen van het lid Coenradie (JA21) aan de minister van Justitie en Veiligheid over het OM "
     "(ingezonden 26 november 2025)\n\n")
Q4 = "Hoe verhoudt dit zich"


def _texts(text: str) -> list[str]:
    return [q.text for q in kv.parse_document(text).questions]


def _seed_questions() -> list[str]:
    return _texts(SEED)


# --- 1. "Toelichting" in an unnumbered document ------------------------------------------

@pytest.mark.parametrize("note", [
    "Toelichting\nDe brandbrief is ondertekend door 3000 medewerkers.\n\n",
    "Toelichting: De brandbrief is ondertekend door 3000 medewerkers.\n\n",
    "Mededeling\nDe brandbrief is ondertekend.\n\nHij is ook naar de pers gestuurd.\n\n",
])
def test_a_toelichting_drops_only_its_own_paragraphs(note: str) -> None:
    texts = _texts(SEED.replace(Q4, note + Q4))
    assert texts == _seed_questions()
    assert not any("brandbrief is ondertekend" in t for t in texts)


# --- 2. "Vraag N" and numbers at the start of wrapped lines ------------------------------

def test_a_sentence_starting_with_vraag_n_is_no_marker() -> None:
    doc = kv.parse_document(H + "1. Hoeveel meldingen zijn er gedaan bij het meldpunt\n"
                                "Vraag 2 van de enquête is daarover duidelijk?\n\n"
                                "2. Bent u bereid de Kamer te informeren?\n")
    assert [(q.number, q.text) for q in doc.questions] == [
        (1, "Hoeveel meldingen zijn er gedaan bij het meldpunt Vraag 2 van de enquête is daarover duidelijk?"),
        (2, "Bent u bereid de Kamer te informeren?")]


@pytest.mark.parametrize("first, second", [
    ("1. Zijn het er meer dan\n2) duizend zijn?", "2) Bent u bereid de Kamer te informeren?"),
    ("1. Hoeveel mensen al\n2. Kamer-leden hebben gevraagd?", "2. Bent u bereid de Kamer te informeren?"),
])
def test_a_number_at_the_start_of_a_wrapped_line_is_no_marker(first: str, second: str) -> None:
    doc = kv.parse_document(H + first + "\n\n" + second + "\n")
    assert [(q.number, q.text) for q in doc.questions] == [
        (1, " ".join(first[3:].split("\n"))), (2, "Bent u bereid de Kamer te informeren?")]


# --- 3. page numbers -------------------------------------------------------------------

@pytest.mark.parametrize("page", ["2", "Pagina 2 van 3", "- 2 -", "2/3"])
def test_page_numbers_are_no_questions(page: str) -> None:
    assert _texts(SEED.replace(Q4, f"{page}\n\n{Q4}")) == _seed_questions()


def test_a_page_number_in_a_vraag_document_is_no_text() -> None:
    doc = kv.parse_document(H + "Vraag 1\nKent u het bericht?\n\n2\n\nVraag 2\nWat vindt u ervan?\n")
    assert [q.text for q in doc.questions] == ["Kent u het bericht?", "Wat vindt u ervan?"]


@pytest.mark.skipif(not (SHARED_DOCS / "2024Z17165.txt").is_file(), reason="../shared is absent")
def test_a_page_number_after_a_bare_question_number() -> None:
    lines = (SHARED_DOCS / "2024Z17165.txt").read_text(encoding="utf-8").split("\n")
    assert lines[50] == "8"
    lines.insert(51, "3")
    doc = kv.parse_document("\n".join(lines))
    assert [q.number for q in doc.questions] == list(range(1, 10))
    assert doc.questions[7].text.startswith("Vindt u de omslag")


def test_a_footnote_reference_on_its_own_line_is_no_page_number() -> None:
    # Right after text a bare number is a footnote reference, kept as the ground truth
    # of the real documents keeps it ("…belangrijk»? 1").
    doc = kv.parse_document(H + "Vraag 1\nKent u het bericht?\n1\nVraag 2\nWat vindt u ervan?\n\n"
                                "1NOS, 20 november 2025\n")
    assert [q.text for q in doc.questions] == ["Kent u het bericht? 1", "Wat vindt u ervan?"]


# --- 4. footnotes written "1 NOS, …" ------------------------------------------------------

def test_spaced_footnotes_after_unnumbered_questions() -> None:
    doc = kv.parse_document(
        H + "Kent u het bericht dat het OM kampt met ICT-problemen?1\n\nWat vindt u van de brandbrief?2 3\n\n"
        "1 NOS, 20 november 2025, https://nos.nl/artikel/1\n2 Raad voor de rechtspraak, jaarverslag 2024\n"
        "3 Brief van de minister, 3 maart 2025\n")
    assert [(q.number, q.text, q.footnote_refs) for q in doc.questions] == [
        (None, "Kent u het bericht dat het OM kampt met ICT-problemen?", (1,)),
        (None, "Wat vindt u van de brandbrief?", (2, 3))]
    assert [f.number for f in doc.footnotes] == [1, 2, 3]
    assert doc.footnote(3) == "Brief van de minister, 3 maart 2025"


def test_a_spaced_footnote_in_the_seed() -> None:
    doc = kv.parse_document(SEED.replace("1) NOS", "1 NOS"))
    assert [q.text for q in doc.questions] == _seed_questions()
    assert doc.footnote(1).startswith("NOS, 20 november 2025, https://nos.nl/")


def test_a_spaced_footnote_after_numbered_questions() -> None:
    doc = kv.parse_document(H + "1. Kent u het bericht?1\n\n2. Wat vindt u ervan?\n\n"
                                "1 NOS, 20 november 2025, https://nos.nl/artikel/1\n")
    assert [(q.text, q.footnote_refs) for q in doc.questions] == [
        ("Kent u het bericht?", (1,)), ("Wat vindt u ervan?", ())]
    assert doc.footnote(1) == "NOS, 20 november 2025, https://nos.nl/artikel/1"


# --- 5. "nr. 5)" is a citation, no footnote reference ---------------------------------------

def test_a_kamerstuk_number_is_no_footnote_reference() -> None:
    text = "Kunt u dit toelichten (amendement Beckerman, Kamerstuk 36 095, nr. 5) middels beleidsregels?"
    assert kv.document.footnotes.take_references(text, {5}) == (text, ())


@pytest.mark.skipif(not (SHARED_DOCS / "ah-tk-20242025-564.txt").is_file(), reason="../shared is absent")
def test_a_kamerstuk_number_in_a_real_document() -> None:
    doc = kv.parse_document((SHARED_DOCS / "ah-tk-20242025-564.txt").read_text(encoding="utf-8"))
    assert "Kamerstuk 36 095, nr. 5) middels" in doc.questions[9].text
    assert doc.questions[9].footnote_refs == ()


# --- 6. soft hyphen at a line break ---------------------------------------------------------

def test_a_soft_hyphen_at_a_line_break_joins_the_word() -> None:
    doc = kv.parse_document(SEED.replace("Openbaar Ministerie", "Openbaar Minis\xad\nterie"))
    assert "Openbaar Ministerie" in doc.subject
    assert doc.questions[1].text.startswith("Heeft het Openbaar Ministerie (OM)")


# --- 7. a hyphenated ministry name in the header -------------------------------------------

def test_a_ministry_name_broken_with_a_hyphen() -> None:
    doc = kv.parse_document("Vragen van het lid Coenradie (JA21) aan de minister van Justi-\ntie en Veiligheid "
                            "over het OM (ingezonden 26 november 2025)\n\n1. Kent u het bericht?\n")
    assert [a.text for a in doc.addressees] == ["minister van Justitie en Veiligheid"]
    assert doc.addressed_areas == ("justitie_veiligheid",)
    assert doc.subject == "het OM"


# --- 8. a numbered list inside an answer ---------------------------------------------------

def test_a_numbered_list_in_an_answer_keeps_the_question_numbers() -> None:
    doc = kv.parse_document(
        "Antwoord van minister Brekelmans (Defensie) (ontvangen 20 november 2024)\n\n"
        "1. Welke maatregelen neemt u?\n\nAntwoord:\nIk neem drie maatregelen:\n1. Een verbod op deelname.\n"
        "2. Extra controle bij de ingang.\n3. Een meldpunt.\n\n2. Bent u bereid de Kamer te informeren?\n\n"
        "Antwoord:\nJa.\n\n3. Deelt u de mening dat dit onacceptabel is?\n\nAntwoord:\nNee.\n")
    assert [(q.number, q.text, q.answer) for q in doc.questions] == [
        (1, "Welke maatregelen neemt u?",
         "Ik neem drie maatregelen: 1. Een verbod op deelname. 2. Extra controle bij de ingang. 3. Een meldpunt."),
        (2, "Bent u bereid de Kamer te informeren?", "Ja."),
        (3, "Deelt u de mening dat dit onacceptabel is?", "Nee.")]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\v", "\r"])
def test_any_unicode_line_break_reads_as_one(separator: str) -> None:
    doc = kv.parse_document(SEED.replace("\n", separator))
    assert doc.kind == "questions" and len(doc.questions) == 10


# --- 9. footnotes without a year or URL ("1 Omroep Gelderland") ----------------------------

A12 = ("(ingezonden 3 februari 2025)\n\nVragen van het lid Jansen (PVV) aan de minister van Infrastructuur en "
       "Waterstaat over de A12\n\n")
KENT, WAT = "Kent u het bericht dat de A12 wekenlang dicht gaat?", "Wat vindt u van de aanpak van Rijkswaterstaat?"


@pytest.mark.parametrize("body, notes", [
    (f"{KENT}1\n\n{WAT}2\n\n", "1 Omroep Gelderland\n2 Zie antwoord op eerdere vragen\n"),  # the tester's t10
    (f"{KENT}1\n\n{WAT}2\n\n", "1 Omroep Gelderland\n\n2 Zie antwoord op eerdere vragen\n"),
    (f"{KENT}1\n{WAT}2\n", "1 Omroep Gelderland\n2 Zie antwoord op eerdere vragen\n"),  # no blank lines
    (f"{KENT}1\n\n{WAT}2\n\n", "1 Kamerstuk 29 398, nr. 1100\n2 Zie antwoord op eerdere vragen\n"),
])
def test_footnotes_without_a_source_after_unnumbered_questions(body: str, notes: str) -> None:
    doc = kv.parse_document(A12 + body + notes)
    assert [(q.number, q.text, q.footnote_refs) for q in doc.questions] == [(None, KENT, (1,)), (None, WAT, (2,))]
    assert [(f.number, f.text) for f in doc.footnotes] == [
        (int(line[0]), line[2:]) for line in notes.split("\n") if line]


def test_a_single_footnote_without_a_source() -> None:
    doc = kv.parse_document(A12 + f"{KENT}1\n\n{WAT}\n1 Omroep Gelderland\n")  # the tester's t11
    assert [q.text for q in doc.questions] == [KENT, WAT]
    assert [(f.number, f.text) for f in doc.footnotes] == [(1, "Omroep Gelderland")]


def test_footnotes_without_a_source_after_numbered_questions() -> None:
    doc = kv.parse_document(A12 + f"1. {KENT}1\n\n2. {WAT}2\n\n1 Omroep Gelderland\n2 Zie antwoord op eerdere vragen\n")
    assert [(q.number, q.text, q.footnote_refs) for q in doc.questions] == [(1, KENT, (1,)), (2, WAT, (2,))]
    assert [f.text for f in doc.footnotes] == ["Omroep Gelderland", "Zie antwoord op eerdere vragen"]


@pytest.mark.parametrize("body, last", [
    # not cited by a glued reference: a body paragraph that starts with a number
    (f"{KENT}\n\n1 Kamerlid heeft hierover al vragen gesteld.\n", "1 Kamerlid heeft hierover al vragen gesteld."),
    # a wrapped line ("… hebben de" / "1 Kamerleden …")
    (f"{KENT}1\n\nHoeveel vragen hebben de\n1 Kamerleden gesteld over de A12\n",
     "Hoeveel vragen hebben de 1 Kamerleden gesteld over de A12"),
    # a number glued to a body word is no footnote: "2 miljoen" in lower case (the tester's t8)
    (f"{KENT}1\n\n2 miljoen automobilisten worden getroffen. Wat gaat u voor hen doen?\n\n1 Omroep Gelderland\n",
     "2 miljoen automobilisten worden getroffen. Wat gaat u voor hen doen?"),
])
def test_body_lines_starting_with_a_number_are_no_footnotes(body: str, last: str) -> None:
    doc = kv.parse_document(A12 + body)
    assert doc.questions[0].text.startswith(KENT) and doc.questions[-1].text == last


def test_a_long_answer_paragraph_starting_with_a_reference_is_no_footnote() -> None:
    # Answers documents put the reference at a line start ("2 Dit is …") and glue their footnotes.
    doc = kv.parse_document(
        "Antwoord van minister Van Weel (Justitie en Veiligheid) (ontvangen 19 november 2024).\n\n"
        "Vraag 1\nKent u het bericht?\nAntwoord 1\nJa, dat ken ik. Zie ook de brief.1\n"
        "1 Dit is in de brief van de minister toegelicht, en daarin staat ook dat het kabinet de komende maanden "
        "met alle betrokken partijen in gesprek gaat over de gevolgen van de afsluiting voor het verkeer in de "
        "regio en de omleidingen die daarvoor nodig zijn.\n")
    assert doc.footnotes == ()
    assert doc.questions[0].answer.endswith("de omleidingen die daarvoor nodig zijn.")


@pytest.mark.parametrize("tail", ["\n1 Kamerlid\n", "\n1\n"])
def test_a_weak_list_start_after_a_question_keeps_the_questions(tail: str) -> None:
    # "1 Kamerlid" or a bare "1" after text that asked is no question list: taking it for
    # one dropped every question before it.
    doc = kv.parse_document(A12 + KENT + tail + WAT + "\n")
    assert doc.questions[0].text.startswith(KENT) and doc.questions[-1].text.endswith(WAT)
    assert all(q.number is None for q in doc.questions)


def test_a_reference_on_its_own_line_stays_with_its_question() -> None:
    doc = kv.parse_document(A12 + f"{KENT}\n1\n{WAT}\n\n1NOS, 20 november 2025\n")
    assert [q.text for q in doc.questions] == [f"{KENT} 1", WAT]


# --- 10. bare question numbers before a question that starts with a digit -------------------

@pytest.mark.parametrize("third", ["3 procent daarvan is buitenlands. waarom is dat zo weinig?",
                                   "3 Procent daarvan is buitenlands. Waarom is dat zo weinig?"])
def test_a_bare_number_before_a_question_starting_with_a_digit(third: str) -> None:
    doc = kv.parse_document(A12 + f"1\n{KENT}\n2\nHoeveel vrachtwagens rijden dagelijks over dit traject?\n"
                                  f"3\n{third}\n4\nBent u bereid de Kamer te informeren?\n")  # the tester's t7
    assert [(q.number, q.text) for q in doc.questions] == [
        (1, KENT), (2, "Hoeveel vrachtwagens rijden dagelijks over dit traject?"), (3, third),
        (4, "Bent u bereid de Kamer te informeren?")]


def test_a_bare_number_inside_a_sentence_is_no_question_number() -> None:
    doc = kv.parse_document(A12 + f"1\n{KENT}\n2\nHoeveel vrachtwagens rijden over\n3\n12 trajecten?\n"
                                  "3\nBent u bereid de Kamer te informeren?\n")
    assert [(q.number, q.text) for q in doc.questions] == [
        (1, KENT), (2, "Hoeveel vrachtwagens rijden over 3 12 trajecten?"), (3, "Bent u bereid de Kamer te informeren?")]


def test_a_bare_reference_before_the_next_numbered_question() -> None:
    # "…?" / "3" / "3. Bent u": the bare "3" is a footnote reference, "3." the question number.
    doc = kv.parse_document(A12 + f"1. {KENT}\n\n2. Hoeveel vrachtwagens zijn buitenlands?\n3\n"
                                  "3. Bent u bereid de Kamer te informeren?\n")
    assert [(q.number, q.text) for q in doc.questions] == [
        (1, KENT), (2, "Hoeveel vrachtwagens zijn buitenlands? 3"), (3, "Bent u bereid de Kamer te informeren?")]


# --- 11. answers documents with all questions first, and one-line "Antwoord 1 Ja." ----------

ANSWERS = "Antwoord van minister Van Weel (Justitie en Veiligheid) (ontvangen 19 november 2024).\n\n"


@pytest.mark.parametrize("body", [
    "Vraag 1\nBent u bekend met het bericht?\nVraag 2\nHoeveel storingen waren er?\nAntwoord 1\nJa.\nAntwoord 2\nTwaalf.\n",
    "Vraag 1\nBent u bekend met het bericht?\n\nVraag 2\nHoeveel storingen waren er?\n\nAntwoord 1\nJa.\n\n"
    "Antwoord 2\nTwaalf.\n",
    "Vraag 1 Bent u bekend met het bericht?\nAntwoord 1 Ja.\nVraag 2 Hoeveel storingen waren er?\nAntwoord 2 Twaalf.\n",
    "Vraag 1 Bent u bekend met het bericht?\nVraag 2 Hoeveel storingen waren er?\nAntwoord 1 Ja.\nAntwoord 2 Twaalf.\n",
])
def test_each_answer_goes_to_its_own_question(body: str) -> None:
    doc = kv.parse_document(ANSWERS + body)
    assert [(q.number, q.text, q.answer) for q in doc.questions] == [
        (1, "Bent u bekend met het bericht?", "Ja."), (2, "Hoeveel storingen waren er?", "Twaalf.")]


def test_antwoord_with_a_lower_case_sentence_is_no_marker() -> None:
    doc = kv.parse_document(ANSWERS + "Vraag 1\nKent u het bericht?\nAntwoord 1\nJa.\n"
                                      "Antwoord 2 van de minister volgt later.\n")
    assert doc.questions[0].answer == "Ja. Antwoord 2 van de minister volgt later."


# --- 12. unnumbered "Vraag" labels, raised and starred footnotes, "(1)" numbers, long lists --

@pytest.mark.parametrize("body", [
    "Vraag\nKent u het bericht, zie vraag 3?\n\nAntwoord\nJa.\nVraag is of dat genoeg is.\n\n"
    "Vraag\nWat gaat u doen?\n\nAntwoord\nDeze vraag is eerder gesteld.\n",
    "Vraag: Kent u het bericht, zie vraag 3?\n\nAntwoord: Ja.\nVraag is of dat genoeg is.\n\n"
    "Vraag: Wat gaat u doen?\n\nAntwoord: Deze vraag is eerder gesteld.\n",
    "VRAAG\nKent u het bericht, zie vraag 3?\n\nANTWOORD\nJa.\nVraag is of dat genoeg is.\n\n"
    "VRAAG\nWat gaat u doen?\n\nANTWOORD\nDeze vraag is eerder gesteld.\n",
    "Kent u het bericht, zie vraag 3?\n\nAntwoord\nJa.\nVraag is of dat genoeg is.\n\n"
    "Wat gaat u doen?\n\nAntwoord\nDeze vraag is eerder gesteld.\n",
])
def test_vraag_labels_without_numbers_each_start_a_question(body: str) -> None:
    # Only the label alone or before a colon is a marker: "zie vraag 3", "Deze vraag", a
    # line opening with "Vraag is …" are text.  Everything used to land in one question.
    doc = kv.parse_document(ANSWERS + body)
    assert doc.kind == "answers"
    assert [(q.number, q.numbers, q.text, q.answer) for q in doc.questions] == [
        (None, (), "Kent u het bericht, zie vraag 3?", "Ja. Vraag is of dat genoeg is."),
        (None, (), "Wat gaat u doen?", "Deze vraag is eerder gesteld.")]


@pytest.mark.parametrize("reference, note", [("¹", "¹ "), ("¹", "¹"), ("*", "* ")])
def test_raised_and_starred_footnotes_are_footnotes(reference: str, note: str) -> None:
    # pypdf keeps superscript digits ("liggen?¹"); "m²" is a power, not a reference.
    doc = kv.parse_document(H + f"1. Kent u de woningen van 50 m² in Zwolle?{reference}\n\n"
                                f"2. Wat gaat u doen?\n\n{note}NOS, 20 november 2025, https://nos.nl/artikel/2591289\n")
    assert [(q.number, q.text, q.footnote_refs) for q in doc.questions] == [
        (1, "Kent u de woningen van 50 m² in Zwolle?", (1,)), (2, "Wat gaat u doen?", ())]
    assert doc.footnotes == (Footnote(1, "NOS, 20 november 2025, https://nos.nl/artikel/2591289"),)


def test_question_numbers_in_parentheses() -> None:
    # "(1)" opening a question numbers it; "(1)" after a sentence and "(1) NOS" below are a footnote.
    doc = kv.parse_document(H + "(1) Kent u het bericht? (1)\n\n(2) Heeft het OM dit inzichtelijk?\n\n"
                                "(3) Bent u bereid de Kamer te informeren?\n\n"
                                "(1) NOS, 20 november 2025, https://nos.nl/artikel/2591289\n")
    assert [(q.number, q.text, q.footnote_refs) for q in doc.questions] == [
        (1, "Kent u het bericht?", (1,)), (2, "Heeft het OM dit inzichtelijk?", ()),
        (3, "Bent u bereid de Kamer te informeren?", ())]
    assert doc.footnotes == (Footnote(1, "NOS, 20 november 2025, https://nos.nl/artikel/2591289"),)
    # In a "1." list an item "(2) …" is no question number.
    doc = kv.parse_document(H + "1. Kent u de volgende punten?\n(1) Het eerste punt.\n(2) Het tweede punt.\n\n"
                                "2. Wat vindt u ervan?\n")
    assert [(q.number, q.text) for q in doc.questions] == [
        (1, "Kent u de volgende punten? (1) Het eerste punt. (2) Het tweede punt."), (2, "Wat vindt u ervan?")]


def test_question_numbers_beyond_9999_are_markers() -> None:
    # A year at a line start ("2025.") and a page number stay text or go, as before.
    body = "".join(f"{n}. Hoeveel meldingen zijn er gedaan in {2000 + n % 25}?\n\n" for n in range(1, 10000))
    doc = kv.parse_document(H + body + "10000. Wat gebeurde er in\n2025. Ook daarna?\n\n3\n\n"
                                       "10001. Bent u bereid de Kamer te informeren?\n")
    assert [q.number for q in doc.questions] == list(range(1, 10002))
    assert [q.text for q in doc.questions[-3:]] == [
        "Hoeveel meldingen zijn er gedaan in 2024?", "Wat gebeurde er in 2025. Ook daarna?",
        "Bent u bereid de Kamer te informeren?"]
