"""``parse_document``: the stages of reading a document, in order.

text (PDF damage, page furniture) -> header block -> footnotes -> question
markers -> units and answers -> header fields -> kind. Each stage is a module
of this package; a new layout changes the stage it concerns.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from kvclassify.errors import InputError

from .footnotes import markdown_footnotes, page_footnotes, take_references
from .header import document_kind, locate_header, read_header
from .markers import MARKER_LINE_RE, VRAAG_RE, find_markers, question_list
from .text import normalise, page_lines, sentence_breaks
from .types import Document, Footnote, QuestionUnit
from .units import split_units

__all__ = ["parse_document"]


def parse_document(text: str, *, lexicon: Collection[str] = ()) -> Document:
    """Parse the text of a Kamervragen document.

    Parameters
    ----------
    text
        The document as extracted from PDF or DOCX (or any plain text).
    lexicon
        Known words (lower case) that make a split of a glued word certain
        ("enwilt" -> "en wilt") in the questions, answers and subject; without
        one, glued words are left as they are.
        :func:`kvclassify.classify_document` passes the model's known words.

    Returns
    -------
    Document
        Header fields, footnotes and question units.  Text without a
        recognisable header gives ``kind='unknown'``; empty text gives a
        document without questions.

    Raises
    ------
    InputError
        If ``text`` is not a ``str``.

    Examples
    --------
    >>> doc = parse_document("Vragen van het lid Jansen (SP) aan de minister van Defensie "
    ...                      "over munitie (ingezonden 3 maart 2025).\\n\\n"
    ...                      "1. Kent u het bericht?\\n2. Wat gaat u doen?")
    >>> doc.members[0].name, doc.addressed_areas, len(doc.questions)
    ('Jansen', ('defensie',), 2)
    """
    if not isinstance(text, str):
        hint = "; decode it first" if isinstance(text, (bytes, bytearray)) else ""
        raise InputError(f"parse_document expects str, got {type(text).__name__}{hint}")
    lexicon = _word_set(lexicon)
    text = normalise(text)
    lines, md_notes = markdown_footnotes([line.rstrip() for line in text.split("\n")])
    page = page_lines(lines)
    keep = [not f for f in page.furniture]
    for i in sentence_breaks(page.lines, keep):
        keep[i] = False
    first_vraag = next((i for i, s in enumerate(page.lines) if VRAAG_RE.match(s)), len(page.lines))
    block = locate_header(page, keep, first_vraag)
    listed = question_list(page.lines, keep, block.body_from)
    notes = md_notes + page_footnotes(page.lines, page.page_ends, keep, block.body_from, MARKER_LINE_RE, listed)
    markers, lone = find_markers(page.lines, keep, block.body_from)
    units = split_units(page.lines, keep, block.body_from, markers, lone, lexicon)
    header = read_header(page, block, text, lexicon)
    return Document(
        kind=document_kind(header, block, any(m.kind == "answer" for m in markers)),
        zaak=header.zaak,
        submitted=header.submitted,
        members=header.members,
        addressees=header.addressees,
        subject=header.subject,
        header=header.text,
        footnotes=tuple(sorted(notes, key=lambda f: f.number)),
        questions=tuple(_with_references(units, notes)),
        received=header.received,
    )


def _with_references(units: list[QuestionUnit], notes: list[Footnote]) -> list[QuestionUnit]:
    """Move footnote markers out of the unit texts into ``footnote_refs``."""
    numbers = {note.number for note in notes}
    out = []
    for unit in units:
        text, refs = take_references(unit.text, numbers)
        out.append(QuestionUnit(unit.number, unit.numbers, text, unit.answer, refs))
    return out


def _word_set(lexicon: Any) -> frozenset[str]:
    """``lexicon`` as a set of words, or an ``InputError``: a string would match its substrings, not its words."""
    if isinstance(lexicon, (str, bytes)) or not isinstance(lexicon, Iterable):
        raise InputError(f"lexicon must be a collection of words (a set or list of str), got {type(lexicon).__name__}")
    try:
        return lexicon if isinstance(lexicon, frozenset) else frozenset(lexicon)
    except TypeError:
        raise InputError("lexicon must be a collection of words (str); it holds an unhashable item") from None
