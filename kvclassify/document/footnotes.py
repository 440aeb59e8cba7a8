"""Footnotes: blocks at the bottom of pages (or after a DOCX separator) and the references to them.

:func:`markdown_footnotes` cuts off the ``[^1]: …`` notes a DOCX export
appends; :func:`page_footnotes` finds the footnote blocks at page ends and
marks their lines as not part of the body; :func:`take_references` removes
footnote markers from a unit's text and returns their numbers.  A footnote
number is written in digits ("1)", "[1]", "1NOS"), in superscript digits as
pypdf keeps them ("¹ NOS", "bericht?¹"), or as stars ("* NOS", "**": 1, 2).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from .text import SUPERSCRIPT_DIGITS as _SUPERSCRIPT
from .text import asks, join_lines, stops_mid_sentence
from .types import Footnote

__all__ = ["markdown_footnotes", "page_footnotes", "take_references"]

_FOOTNOTE_SEP_RE = re.compile(r"^-{2,}+\s*+footnotes\s*+-{2,}+\s*+$", re.IGNORECASE)
_FOOTNOTE_MD_RE = re.compile(r"^\[\^(\d{1,3})\]:\s*+(.*)$")
_TO_DIGITS = str.maketrans(_SUPERSCRIPT, "0123456789")
_N = rf"(?:\d{{1,3}}+|[{_SUPERSCRIPT}]{{1,3}}+)"
# "1NOS, …" but not an ordinal ("2e Kamer", "1ste").
_FN_GLUED_RE = re.compile(rf"^({_N})(?=[^\d\s.,)\]:/%–-])(?!(?:e|ste)\b)(.*)$")
# "22023 …": footnote 2 whose text starts with a year.
_FN_YEAR_RE = re.compile(r"^(\d{1,3})((?:19|20)\d\d(?!\d).*)$")
# "(1) NOS" as well as "1) NOS": a "(1)" opening a question instead is read by :mod:`.markers`
# only once the footnote blocks are out of the body.
_FN_MARKED_RE = re.compile(r"^(?:\[(\d{1,3})\]|\(?+(\d{1,3})\)|(\d{1,3})\.)\s++(\S.*)$")
# "* NOS, …", "** …" for the notes cited "bericht?*", "sturen**": footnote 1, 2 (one per star).
_FN_STAR_RE = re.compile(r"^(\*{1,3}+)\s*+([^\s*].*)$")
# "1 NOS, 20 november 2025, https://…": number, space, a capital or a URL.  Wrapped
# body lines start that way too ("3 Kamerleden …"), so this form also needs a source
# (a URL or a year) on its line, and no question mark; without a source the whole block
# must look like footnotes (:func:`_sourceless_start`, :func:`_short_cited_notes`).
_FN_SPACED_RE = re.compile(rf"^({_N}) ++(?=[A-ZÀ-Ý«“‘'\"(]|https?://|www\.)([^?]*+)$")
_SOURCE_RE = re.compile(r"https?://|www\.|(?<!\d)(?:19|20)\d\d(?!\d)")
# A reference in running text: glued to a word or closing punctuation ("bericht?1",
# "sturen2 …", raised "bericht?¹", starred "bericht?*"), or "1)", "[1]", "[^1]", "(1)".
# Digits not after a capital or a hyphen: "A12", "COVID-19" are names; not followed by
# a letter or digit: "1e", "2023"; not after "nr." / "no.": "(Kamerstuk 36 095, nr. 5)"
# cites a parliamentary paper.
_NR = r"\b[Nn][RrOo]\."
_NOT_AFTER_NR = rf"(?<!{_NR})"
# A raised number is a reference after a capital too ("OM¹"), but not a power ("m²", "km³").
_RAISED_REFERENCE = rf"(?<=[^\s\d{_SUPERSCRIPT}-])(?<!\bm)(?<!\b[ckdm]m)"
_GLUED_REFERENCE = (rf"(?:(?<=[a-zà-ÿ?!.,;:”’\"')»])(?<!\d[.,:;]){_NOT_AFTER_NR}"
                    rf"(\d{{1,3}}(?:\ \d{{1,3}}(?![\w-]))*+)"
                    rf"|{_RAISED_REFERENCE}([{_SUPERSCRIPT}]{{1,3}}+(?:\ [{_SUPERSCRIPT}]{{1,3}}+(?![\w-]))*+))")
_STAR_REFERENCE = r"(?<=[^\s*])(\*{1,3}+)(?!\*)"
# A reference "N)" is written whole: glued ("(nos.nl)”1)?", "gedrag2)"), after a sentence
# ("bericht? 1)") or after a word or a closing quote ("Verhoudingen 2), met"; "op’ 1) en"), not
# after "," ";" ":" that list items ("zijnde: 1) het …; 2) de …").  Its ")" is group "close" (glued)
# or "paren" (spaced): :func:`take_references` reads the text before it to tell a reference from an item.
_REFERENCE_RE = re.compile(
    rf"(?:(?:{_GLUED_REFERENCE})(?P<close>\))?+|{_STAR_REFERENCE}"
    rf"|\s?+\[\^?(\d{{1,3}})\]|\s?+\((\d{{1,3}})\)"
    rf"|{_NOT_AFTER_NR}(?:(?<=[?!.])\s?+|(?:(?<=[^\W\d_])|(?<=[”’\"'»)]))\ )(\d{{1,3}})(?P<paren>\)))"
    r"(?![\w-])"
)
# The word before "3)" that makes it an item, not a reference: "punt 3) en", "artikel 2)", "en 3)".
_ITEM_WORD_RE = re.compile(
    r"(?<![\w-])(?:art\.|artikel|artikelen|punt|punten|vraag|vragen|lid|leden|onderdeel|sub|stap|fase|bijlage"
    r"|hoofdstuk|paragraaf|alinea|nummer|optie|categorie|en|of|respectievelijk)\s*+$",
    re.IGNORECASE,
)
#: Only the references glued to the text ("bericht?1", "sturen2 3"): the form that goes
#: with "1 NOS" footnotes, whose superscript number lost its raise in extraction.
_GLUED_REFERENCE_RE = re.compile(_GLUED_REFERENCE + r"(?![\w-])")
_STAR_REFERENCE_RE = re.compile(_STAR_REFERENCE + r"(?![\w-])")


def _number(written: str) -> int:
    """The footnote number written in digits, superscript digits or stars: "12", "¹²" -> 12, "**" -> 2."""
    return len(written) if written[:1] == "*" else int(written.translate(_TO_DIGITS))


def _reference_numbers(match: re.Match[str]) -> list[int]:
    """The footnote numbers a reference match names ("1 3" -> [1, 3])."""
    return [_number(n) for n in next(g for g in match.groups() if g).split()]


def markdown_footnotes(lines: list[str]) -> tuple[list[str], list[Footnote]]:
    """Split DOCX-export footnotes ("--- footnotes ---" then ``[^1]: text``) off the lines.

    Examples
    --------
    >>> markdown_footnotes(["Kent u dit?[^1]", "--- footnotes ---", "[^1]: NOS, 1 mei"])
    (['Kent u dit?[^1]'], [Footnote(number=1, text='NOS, 1 mei')])
    """
    for idx, line in enumerate(lines):
        if _FOOTNOTE_SEP_RE.match(line.strip()):
            notes: list[tuple[int, list[str]]] = []
            for tail in lines[idx + 1:]:
                m = _FOOTNOTE_MD_RE.match(tail.strip())
                if m:
                    notes.append((int(m.group(1)), [m.group(2)]))
                elif notes and tail.strip():
                    notes[-1][1].append(tail)
            return lines[:idx], [Footnote(n, join_lines(parts)) for n, parts in notes]
    return lines, []


def _marker_seen(number: int, text: str) -> bool:
    """Whether ``text`` holds a footnote reference like ``?1)``, ``[1]`` or ``(1)``."""
    # The number must not continue a longer number: "(JA21)" or "(ingezonden 1 maart
    # 2021)" hold no reference to footnote 1.
    n = str(number)
    raised = n.translate(str.maketrans("0123456789", _SUPERSCRIPT))
    # Nor a name: "COVID-19", "A12".
    return bool(re.search(rf"(?<!\d)(?<!{_NR}\ )(?:{n}\)|\[\^?{n}\]|\({n}\))|[^\s\dA-Z-]{n}(?!\d)"
                          rf"|{_RAISED_REFERENCE}{raised}(?![{_SUPERSCRIPT}])", text))


def _footnote_start(
    line: str, expected: int, lines: tuple[str, ...], upto: int, need_reference: bool = True
) -> tuple[int, str] | None:
    """Footnote number and text if ``line`` starts footnote ``expected`` (or up to 3 later).

    "1NOS, …" (number glued to the text) always counts; "1) …", "(1) …", "[1] …" and "1. …"
    only when a reference to that number occurs in the 200 lines before ``upto``,
    which are joined only then (most lines fail the cheap pattern test first);
    "1 NOS, … 2025" only with a source on its line and either that reference or
    the expected number; "* NOS, … 2025" only with a source and a star reference.
    Inside a block that has already started (``need_reference=False``) the next
    number needs no reference: footnotes cited only elsewhere still end the previous one.
    """
    glued = _FN_GLUED_RE.match(line) or _FN_YEAR_RE.match(line)
    if glued and expected <= _number(glued.group(1)) <= expected + 3:
        return _number(glued.group(1)), glued.group(2)
    spaced = _FN_SPACED_RE.match(line)
    if spaced and expected <= _number(spaced.group(1)) <= expected + 3 and (
            not need_reference or (_SOURCE_RE.search(line) and (
                _number(spaced.group(1)) == expected
                or _marker_seen(_number(spaced.group(1)), "\n".join(lines[max(0, upto - 200):upto]))))):
        return _number(spaced.group(1)), spaced.group(2)
    # A bullet ("* Kent u …") starts like a star note: the note needs a source and a citation.
    star = _FN_STAR_RE.match(line)
    if star and expected <= _number(star.group(1)) <= expected + 3 and (
            not need_reference or (_SOURCE_RE.search(line) and any(
                _number(m.group(1)) == _number(star.group(1))
                for m in _STAR_REFERENCE_RE.finditer("\n".join(lines[max(0, upto - 200):upto]))))):
        return _number(star.group(1)), star.group(2)
    marked = _FN_MARKED_RE.match(line)
    if marked:
        number = int(next(g for g in marked.groups()[:3] if g))
        if expected <= number <= expected + 3 and not need_reference:
            return number, marked.group(4)
        if expected <= number <= expected + 3 and _marker_seen(
                number, "\n".join(lines[max(0, upto - 200):upto])):
            return number, marked.group(4)
    return None


def _block_start(lines: tuple[str, ...], keep: list[bool], start: int, end: int, expected: int,
                 barred: Collection[int]) -> int | None:
    """The first line of the footnote block of the page ``[start, end)``, or None."""
    for i in range(start, end):
        if not keep[i] or i in barred:
            continue
        first = _footnote_start(lines[i], expected, lines, i)
        sourceless = first is None and (first := _sourceless_start(lines, keep, i, expected)) is not None
        if first is None:
            continue
        # The block must run to the page end with consecutive numbers and no
        # question or answer marker inside, and no entry may end in a question
        # mark: "1. Kent u …?" / "2. Bent u …?" is a numbered question list.
        nxt, ok = first[0] + 1, True
        entries = [(first[0], [first[1]])]
        for j in range(i + 1, end):
            if j in barred:
                ok = False
                break
            # A footnote starts once: a later start of the first number ("2 Dit is …" in an
            # answer, "2Kamerstukken …" below it) is the real block, the first a reference
            # that lost its raise at a line start.
            again = _footnote_start(lines[j], first[0], lines, i, need_reference=False)
            if again is not None and again[0] == first[0]:
                ok = False
                break
            start_j = _footnote_start(lines[j], nxt, lines, i, need_reference=False)
            if start_j is not None and start_j[0] == nxt:
                nxt += 1
                if asks(entries[-1][1]):
                    ok = False
                    break
                entries.append((start_j[0], [start_j[1]]))
            elif keep[j]:
                entries[-1][1].append(lines[j])
        if ok and not asks(entries[-1][1]) and (not sourceless or _short_cited_notes(entries, lines, keep, i)):
            return _uncited_before(lines, keep, start, i, first[0], expected, barred)
    return None


def _sourceless_start(lines: tuple[str, ...], keep: list[bool], i: int, expected: int) -> tuple[int, str] | None:
    """Footnote ``expected`` written "1 Omroep Gelderland" (no URL, no year), if line ``i`` can start one.

    Such a line reads like a wrapped body line ("… hebben de" / "3 Kamerleden gesteld"),
    so it must not continue a sentence: the line before is blank, page furniture,
    or ends in ".", "?", "!" or ":" (footnote markers aside).  The block it starts
    is checked further by :func:`_short_cited_notes`.
    """
    spaced = _FN_SPACED_RE.match(lines[i])
    if not spaced or _number(spaced.group(1)) != expected:
        return None
    if i and keep[i - 1] and stops_mid_sentence(lines[i - 1]):
        return None
    return expected, spaced.group(2)


def _short_cited_notes(entries: list[tuple[int, list[str]]], lines: tuple[str, ...], keep: list[bool],
                       block: int) -> bool:
    """Whether a block opened by a footnote without a source holds only real-looking footnotes.

    Each number must be cited by a reference glued to the body text before the
    block ("bericht?1", "sturen2"), and each entry must be one short paragraph
    that no numbered line continues: a source-less footnote is a short citation
    ("Kamerstuk 29 398, nr. 1100"), while a body paragraph that starts with a
    number ("1 Kamerlid heeft …") runs on, or is followed by the real block.
    Answers documents cite "2 Dit is …" at a line start and glue their
    footnotes ("2Kamerstukken"): their long paragraphs fail the length test.
    """
    body = "\n".join(lines[k] for k in range(max(0, block - 200), block) if keep[k])
    cited = {n for m in _GLUED_REFERENCE_RE.finditer(body) for n in _reference_numbers(m)}
    for number, parts in entries:
        while parts and not parts[-1]:
            parts = parts[:-1]
        if (number not in cited or len(parts) > 3 or "" in parts or sum(map(len, parts)) > 250
                or any(_FN_SPACED_RE.match(p) or _FN_GLUED_RE.match(p) for p in parts[1:])):
            return False
    return True


def _uncited_before(lines: tuple[str, ...], keep: list[bool], start: int, block: int, number: int, expected: int,
                    barred: Collection[int]) -> int:
    """Move a block's start up over footnotes ``expected … number - 1`` that are never cited.

    A block found at "2. …" (cited) may begin with "1. …" a few lines above it
    that the text never cites: it is still footnote 1, not question text.
    """
    k, want = block - 1, number - 1
    while want >= expected and k >= max(start, block - 10):
        if keep[k] and k not in barred:
            found = _footnote_start(lines[k], want, lines, k, need_reference=False)
            if found is not None and found[0] == want and not asks([lines[k]]):
                block, want = k, want - 1
        k -= 1
    return block


def page_footnotes(
    lines: tuple[str, ...], page_ends: tuple[int, ...], keep: list[bool], body_from: int,
    is_marker: re.Pattern[str], questions: Collection[int],
) -> list[Footnote]:
    """Find footnote blocks at the bottom of each page; mark their lines as not kept.

    ``is_marker`` matches question and answer marker lines ("Vraag 1", "Antwoord
    1"), and ``questions`` are the lines of a numbered question list ("3. Bent u
    …?" after "1." and "2."): neither ever belongs to a footnote block.
    """
    barred = set(questions).union(i for i in range(body_from, len(lines)) if is_marker.match(lines[i]))
    notes: list[Footnote] = []
    expected = 1
    page_start = 0
    for end in page_ends:
        block = _block_start(lines, keep, max(page_start, body_from, end - 40), end, expected, barred)
        if block is not None:
            current: tuple[int, list[str]] | None = None
            nxt = expected
            for j in range(block, end):
                if not keep[j]:
                    continue
                # The block's start is checked already: no number in it needs a reference.
                found = _footnote_start(lines[j], nxt, lines, block, need_reference=False)
                if found is not None and (current is None or found[0] == current[0] + 1):
                    if current is not None:
                        notes.append(Footnote(current[0], join_lines(current[1])))
                    current = (found[0], [found[1]])
                    nxt = found[0] + 1
                elif current is not None:
                    current[1].append(lines[j])
                keep[j] = False
            if current is not None:
                notes.append(Footnote(current[0], join_lines(current[1])))
                expected = current[0] + 1
        page_start = end
    return notes


def take_references(text: str, numbers: Collection[int]) -> tuple[str, tuple[int, ...]]:
    """Remove the references to footnotes ``numbers`` from ``text``; return it and the numbers found.

    A reference "N)" goes whole, its ")" too; a ")" that closes a "(" before it
    ("(zie artikel 2)") is none, nor is "N)" after a word that names an item
    ("punt 3) en").

    Examples
    --------
    >>> take_references("Kent u het bericht?1 3 Over de A12, een 6:1 ratio en COVID-19? [2]", {1, 2, 3, 12, 19})
    ('Kent u het bericht? Over de A12, een 6:1 ratio en COVID-19?', (1, 3, 2))
    >>> take_references("Kent u de woningen van 50 m² in Zwolle?¹ En in Ede?**", {1, 2})
    ('Kent u de woningen van 50 m² in Zwolle? En in Ede?', (1, 2))
    >>> take_references("Kent u de Code 2), de brief (zie artikel 2) en punt 3) van het rapport”1)?", {1, 2, 3})
    ('Kent u de Code, de brief (zie artikel 2) en punt 3) van het rapport”?', (2, 1))
    """
    if not numbers:
        return text, ()
    found: list[int] = []
    seen, depth = 0, 0  # the text before ``seen`` leaves ``depth`` brackets open

    def cut(match: re.Match[str]) -> str:
        nonlocal seen, depth
        for ch in text[seen:match.start()]:
            depth = depth + 1 if ch == "(" else max(depth - 1, 0) if ch == ")" else depth
        seen = match.start()
        named = _reference_numbers(match)
        if not all(n in numbers for n in named):
            return match.group(0)
        if match.group("paren") and (depth or _ITEM_WORD_RE.search(text, max(0, seen - 20), seen)):
            return match.group(0)
        found.extend(n for n in named if n not in found)
        if match.group("close") and depth:
            return ")"  # "(zie bijlage2)": the reference is the "2", the ")" closes the bracket
        seen = match.end()  # nothing of the match is left to open or close a bracket
        return ""

    stripped = _REFERENCE_RE.sub(cut, text)
    return (" ".join(stripped.split()) if found else text), tuple(found)
