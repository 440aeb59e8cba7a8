"""Tests of kvclassify.document.text: PDF damage (characters, furniture, line joins, glued words)."""

from __future__ import annotations

import pytest

import kvclassify as kv
from kvclassify.document.text import clean, join_lines, normalise, page_lines, sentence_breaks, split_glued

LEXICON = frozenset({"en", "wilt", "u", "de", "kamer", "hierover", "informeren", "in", "het", "kader", "van",
                     "volksgezondheid", "welzijn", "sport", "bouw", "om", "beoog", "partij", "bekend", "met",
                     "hier", "naar", "zelfde", "minister"})


@pytest.mark.parametrize(("glued", "split"), [
    ("enwilt u de Kamer hierover informeren?", "en wilt u de Kamer hierover informeren?"),
    ("inhet kader van", "in het kader van"),
    ("minister van Volksgezondheiden Welzijn", "minister van Volksgezondheid en Welzijn"),
    ("bekendmet het", "bekend met het"),
])
def test_glued_words_are_split_where_the_lexicon_makes_it_certain(glued: str, split: str) -> None:
    assert split_glued(glued, LEXICON) == split


@pytest.mark.parametrize("text", [
    "de ombouw",  # a prefix: Dutch compounds are written glued
    "de beoogde en de partijen",  # inflections: -de, -en
    "hiernaar en dezelfde",  # pronominal adverbs and "zelfde" compounds
    "Volksgezondheiden zo",  # "X en" needs a capitalised word after it
    "zie https://nos.nl/enwilt-inhet en info@enwilt.nl",  # URLs and addresses
    "enwilt-inhet 2enwilt",  # hyphenated and numbered words
])
def test_words_that_are_no_certain_split_stay_whole(text: str) -> None:
    assert split_glued(text, LEXICON) == text


def test_without_a_lexicon_nothing_is_split() -> None:
    assert clean(["enwilt u"]) == "enwilt u"
    assert clean(["enwilt u"], LEXICON) == "en wilt u"


def test_parse_document_takes_the_lexicon_for_questions_and_stays_pure() -> None:
    text = "1. Kent u het bericht?\n2. Is dit bekend enwilt u de Kamer hierover informeren?"
    assert kv.parse_document(text).questions[1].text.endswith("enwilt u de Kamer hierover informeren?")
    assert kv.parse_document(text, lexicon=LEXICON).questions[1].text.endswith("en wilt u de Kamer hierover informeren?")


def test_the_subject_is_repaired_too() -> None:
    text = "Vragen van het lid Jansen (SP) aan de minister van Defensie over inhet kader (ingezonden 3 maart 2025)."
    assert kv.parse_document(text, lexicon=LEXICON).subject == "in het kader"


def test_classify_document_repairs_glue_with_the_models_words() -> None:
    text = ("Vragen van het lid Jansen (SP) aan de minister van Defensie over munitie (ingezonden 3 maart 2025).\n\n"
            "1. Is de voorraad op enwilt u de Kamer hierover informeren?")
    unit = kv.classify_document(text).questions[0]
    assert "op en wilt u" in unit.unit.text
    assert unit.classification.question_type.label == "commitment"


def test_page_lines_marks_furniture_and_page_ends() -> None:
    page = page_lines(["Kent u", "Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel 2", "ah-tk-20242025-1", "het?"])
    assert page.furniture == (False, True, True, False)
    assert page.page_ends == (1, 4)


def test_join_lines_keeps_hyphens_and_rejoins_urls() -> None:
    assert join_lines(["de storin-", "gen", "zie https://nos.nl/", "artikel/1"]) == (
        "de storin-gen zie https://nos.nl/artikel/1")


def test_a_blank_line_inside_a_sentence_is_a_page_break() -> None:
    lines = ("Wordt er", "", "Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel 2", "", "gekeken, of", "",
             "Niet?", "", "ja.", "1)", "", "nee", "Vraag 2", "", "3000 medewerkers")
    page = page_lines(list(lines))
    # Furniture between is passed over; a sentence end or a marker alone before, a capital or a digit after,
    # and the blank line is a paragraph break.
    assert sentence_breaks(page.lines, [not f for f in page.furniture]) == [1, 3]


def test_an_e_mail_quoted_copy_parses_as_the_original() -> None:
    # A reply or forward quotes every line with "> " (a blank line as ">"); the unquoted
    # line above it does not stop the prefix from going.
    from pathlib import Path

    original = (Path(__file__).parent / "fixtures" / "documents" / "numbered-dot.txt").read_text(encoding="utf-8")
    quoted = "Op 3 februari schreef Jansen:\n" + "\n".join(f"> {s}".rstrip() for s in original.split("\n"))
    assert kv.parse_document(quoted) == kv.parse_document(original)


def test_a_few_quoted_lines_stay_as_they_are() -> None:
    text = "Kent u het bericht?\n> Een citaat uit het bericht.\nWat vindt u ervan?"
    assert normalise(text) == text
