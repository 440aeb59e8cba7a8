"""Question markers: the lines that start a question ("Vraag 1", "Vraag", "1.", "1)", "(1)", a bare "1"),
an answer or a dropped paragraph.

Numbered documents are split at their question markers ("Vraag N" when
present, else "N." / "N)" / "N" in sequence), read with the document's own
numbering and layout: a number that continues a sentence, a page number, a
list inside an answer is no marker. :mod:`.units` splits the body at them.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ..limits import DEFAULT_MAX_CHARS
from .text import asks, stops_mid_sentence, strip_trailing_markers
from .types import Marker

__all__ = ["NUMBERED_RE", "VRAAG_RE", "ANTWOORD_RE", "MARKER_LINE_RE", "NUMBER_ONLY_RE", "find_markers", "numbers",
           "question_list"]

# Numbers run in sequence from 1, so a text within the size limit holds no question
# number with more digits than the limit has; the bound keeps a longer digit run (an
# id, an amount) from ever being read as one.  A year ("2025.") or a page number is
# no marker by the sequence rule (:func:`_numbered_markers`), not by its length.
_D = rf"\d{{1,{max(4, len(str(DEFAULT_MAX_CHARS)))}}}"
_RANGE = r"t/m|tot\s++en\s++met|-|–"
_SEP = rf"(?:\s*+(?:,|{_RANGE}|en|&)\s*+{_D}){{0,20}}+"
# The numbers of a "N." marker that numbers several questions at once ("5 en 6.", "5. en 6.",
# "5/6.", "5-6.", "5 + 6."): read as "Vraag 5 en 6" is.  No comma: "3, 4 …" opens a sentence.
_NUMBERED_SEP = rf"(?:(?:\.?+\s*+(?:{_RANGE}|en|&|\+|/)\s*+{_D}){{1,20}}+(?=\s*+[.):]))?+"
# A "Vraag 2" whose text runs on in lower case ("Vraag 2 van de enquête is …") is a
# wrapped sentence that mentions a question, not a marker.  Without a number only the
# label alone on its line ("Vraag") or before a colon ("Vraag: Kent u …") is one:
# "Vraag" opening a sentence ("Vraag is of …") is text.
VRAAG_RE = re.compile(
    rf"^(?:(?:Vra(?:ag|gen)|VRA(?:AG|GEN))\s++({_D}+)({_SEP})\s*+[:.)]?(?:\s*+(?![a-zà-ÿ])(.*))?"
    r"|(?:Vraag|VRAAG)\s*+(?::\s*+(.*))?)$"
)
# The answer may follow on the marker's line after ":" / "." ("Antwoord: Ja.") or after
# the number ("Antwoord 1 Ja."), not in lower case ("Antwoord 2 van de minister …" is a
# sentence); a bare "Antwoord Ja." is a sentence too.
ANTWOORD_RE = re.compile(
    r"^(?:Antwoord(?:en)?|ANTWOORD(?:EN)?)(?!\s++(?:van|VAN)\b)(?:\s++op)?(?:\s++(?:de\s++)?(?:vraag|vragen))?"
    rf"(?:\s++(?P<first>{_D})(?P<more>{_SEP}))?(?:\s*+[:.])?+"
    r"(?:(?:(?<=[:.])|(?<=\d)(?!\s++[a-zà-ÿ]))\s++(?P<rest>.*))?\s*+$"
)
#: A line that can never be inside a footnote block.
MARKER_LINE_RE = re.compile(f"{VRAAG_RE.pattern}|{ANTWOORD_RE.pattern}")
# A question number: "1." / "1)" (text may be glued: "1.Kent"), a bare "1" or "1." on
# its own line, "1 Kent u" (number, space, capital), or "(1) Kent u" (a "(1)" at the
# end of a sentence is a footnote reference instead: :mod:`.footnotes`).  The named
# groups tell the styles apart; see :func:`_number_style`.  A sub-question "5a." /
# "5b)" is numbered 5 (only before "." or ")": "2e Kamerlid" is an ordinal), and
# "5 en 6." numbers two questions (group ``more``, only before punctuation: "3 - 4
# Kamerleden" is a wrapped line).
_CAPITAL = r"[A-ZÀ-Ý«“‘'\"(]"
NUMBERED_RE = re.compile(
    rf"^(?P<open>\()?+(?P<num>{_D})(?:[a-z](?=[.)]))?+(?P<more>{_NUMBERED_SEP})(?(open)\)\s*+(?={_CAPITAL})|(?:"
    rf"\s*+(?P<punct>[.):])\s*+(?={_CAPITAL})"
    rf"|\s*+(?P<bare>[.)]?)\s*+$"
    rf"|\s*+(?P<loose>[.):])\s++"
    rf"|(?P<space>[ ]++)(?={_CAPITAL})"
    rf"))(?P<text>.*)$"
)
# The styles that number explicitly ("1.", "1)", "1:", "(1)"), unlike a bare "1" or "1 Kent".
_EXPLICIT = (".", ")", ":", "()")
_DROP_PARA_RE = re.compile(r"^(?:Toelichting|Mededeling)\b")
# A page number, or a footnote reference on its own line: a question number may be longer.
NUMBER_ONLY_RE = re.compile(r"\d{1,4}+")


def numbers(first: str, more: str) -> tuple[int, ...]:
    """``("2", " en 3")`` -> ``(2, 3)``; a range ``("4", " t/m 6")`` -> ``(4, 5, 6)``.

    Examples
    --------
    >>> numbers("4", " t/m 6"), numbers("3", " en 8"), numbers("1", " tot en met 3")
    ((4, 5, 6), (3, 8), (1, 2, 3))
    """
    nums = [int(first)] + [int(n) for n in re.findall(r"\d++", more or "")]
    if re.search(_RANGE, more or "") and len(nums) == 2 and 0 < nums[1] - nums[0] < 20:
        nums = list(range(nums[0], nums[1] + 1))
    return tuple(nums)


def find_markers(lines: tuple[str, ...], keep: list[bool], start: int) -> tuple[list[Marker], bool]:
    """The markers from line ``start`` on, sorted, and whether the document is a lone "1." list.

    Bare page numbers found on the way are marked as not kept in ``keep``.
    """
    markers: list[Marker] = []
    vraag_lines = [i for i in range(start, len(lines)) if keep[i] and VRAAG_RE.match(lines[i])]
    for i in range(start, len(lines)):
        if not keep[i]:
            continue
        if m := ANTWOORD_RE.match(lines[i]):
            named = numbers(m.group("first"), m.group("more")) if m.group("first") else ()
            markers.append(Marker(i, "answer", named, m.group("rest") or ""))
        elif _DROP_PARA_RE.match(lines[i]):
            markers.append(Marker(i, "drop", (), ""))
    if vraag_lines:
        for i in vraag_lines:
            m = VRAAG_RE.match(lines[i])
            named = numbers(m.group(1), m.group(2)) if m.group(1) else ()
            markers.append(Marker(i, "question", named, m.group(3) or m.group(4) or ""))
    else:
        markers.extend(_numbered_markers(lines, keep, start, {m.line for m in markers if m.kind == "answer"}))
    _drop_page_numbers(lines, keep, start, {m.line for m in markers})
    questions = [m for m in markers if m.kind == "question"]
    lone = not vraag_lines and len(questions) == 1
    if lone and _paragraph_follows(lines, keep, questions[0].line):
        # A lone "1." before unnumbered paragraphs is not a numbering scheme.
        markers = [m for m in markers if m.kind != "question"]
    return sorted(markers), lone


def question_list(lines: tuple[str, ...], keep: list[bool], start: int) -> set[int]:
    """The lines of a list of questions numbered explicitly ("1. Kent u …?", "2) Hoeveel …?") from ``start``.

    The list runs 1, 2, 3, … in the style of its "1", each item a paragraph that
    asks; an item that asks nothing ends it.  Footnotes are found before the
    markers, and a footnote block "1) … 2) … 3) …" cites what the questions cite:
    "3. Bent u …?" after "1. …?" and "2. …?" is question 3, whatever "3)" the text
    cites.  A footnote list "1. NOS, …" asks nothing, so it is no question list.
    """
    out: set[int] = set()
    expected, style = 1, ""
    for i in range(start, len(lines)):
        m = NUMBERED_RE.match(lines[i]) if keep[i] else None
        if not m or int(m.group("num")) != expected or _number_style(m) not in _EXPLICIT:
            continue
        if expected > 1 and _number_style(m) != style:
            continue
        if m.group("text").strip()[:1].isupper() and asks(_paragraph(lines, keep, i)):
            out.add(i)
            expected, style = _numbers_of(m)[-1] + 1, _number_style(m)
        else:
            expected = 1  # a list that stops asking is no question list: a later "1." may start one
    return out


def _numbers_of(match: re.Match[str]) -> tuple[int, ...]:
    """The question numbers of a :data:`NUMBERED_RE` match: ``(5,)`` for "5." and "5a.", ``(5, 6)`` for "5 en 6."."""
    return numbers(match.group("num"), match.group("more"))


def _number_style(match: re.Match[str]) -> str:
    """``"."``, ``")"`` or ``"()"`` for "1." / "1)" / "(1)", ``" "`` for "1 Kent", ``""`` for a bare "1"."""
    if match.group("open"):
        return "()"
    if match.group("space") is not None:
        return " "
    return match.group("punct") or match.group("loose") or match.group("bare") or ""


def _paragraph_follows(lines: tuple[str, ...], keep: list[bool], line_no: int) -> bool:
    """Whether a blank line and more kept text follow the paragraph at ``line_no``."""
    blank = False
    for i in range(line_no + 1, len(lines)):
        if keep[i] and not lines[i]:
            blank = True
        elif keep[i] and blank:
            return True
    return False


def _numbered_markers(lines: tuple[str, ...], keep: list[bool], start: int,
                      answer_lines: Collection[int] = ()) -> list[Marker]:
    """Question markers "1." / "1)" / "1" / "1 Kent" in sequence from line ``start``.

    Numbers must run 1, 2, 3, …; a missing number ("2." then "4.") is accepted only
    for the explicit styles "N." and "N)", in the style the list started with, at
    the start of a paragraph and by at most two.  "1 Kent u" (no punctuation) and
    "(1) Kent u" are accepted only when the list started that way, so a wrapped line
    such as "3 Kamerleden …" or an item "(2) Het tweede punt." cannot start a
    question in a "1." list.  After an answer line
    (``answer_lines``) a list that starts again at "1." is part of the answer, up to
    an item whose paragraph asks something.  A list in the weak styles ("1 Kent", a
    bare "1") cannot start after a line that asks.
    """
    markers: list[Marker] = []
    in_answer = False
    nested = 0  # the next item of a numbered list inside an answer; 0 when there is none
    expected = 1
    first_style: str | None = None
    previous = ""  # the last kept non-empty line before this one
    asked = False  # whether a line before the first marker ends in a question mark
    wrapped = _wrapped_lines(lines, keep, start)
    # The last line where each number starts a paragraph: a number at the start of a
    # wrapped line ("… meer dan" / "2) duizend zijn?") yields to a later real "2)".
    last_start: dict[int, int] = {}
    for i in range(start, len(lines)):
        if keep[i] and i not in wrapped and (m := NUMBERED_RE.match(lines[i])):
            last_start[int(m.group("num"))] = i
    for i in range(start, len(lines)):
        if not keep[i]:
            continue
        line = lines[i]
        m = NUMBERED_RE.match(line)
        accepted = False
        if m:
            number, style = int(m.group("num")), _number_style(m)
            rest = m.group("text").strip()
            if rest[:1].islower() or (i in wrapped and last_start.get(number, -1) > i):
                m = None
            elif (in_answer and rest and style in (".", ")", "()") and number in (1, nested)
                    and not asks(_paragraph(lines, keep, i))):
                nested, m = number + 1, None
        in_answer = in_answer or i in answer_lines
        if m:
            fits = number == expected or (
                expected < number <= expected + 2
                and style in _EXPLICIT
                and style == first_style
                and rest[:1].isupper()
                and (not previous or previous.endswith(("?", ".", ":")))
            )
            if style in (" ", "()") and first_style not in (None, style):
                fits = False
            # A list starts before any question: after "Kent u …?1" a "1 Omroep …", a
            # "(1) NOS …" or a bare "1" is a footnote or a reference, and starting the
            # list there would drop the questions before it.
            if first_style is None and style in (" ", "", "()") and asked:
                fits = False
            if fits and not rest:
                fits = _bare_marker_fits(lines, keep, i, number, previous)
            if fits:
                in_answer, nested = False, 0
                named = _numbers_of(m)
                markers.append(Marker(i, "question", named, rest))
                expected = named[-1] + 1
                first_style = style if first_style is None else first_style
                accepted = True
        if line and not accepted:
            previous = strip_trailing_markers(line).rstrip()
            asked = asked or previous.endswith("?")
        elif accepted:
            previous = ""
    return markers


def _bare_marker_fits(lines: tuple[str, ...], keep: list[bool], i: int, number: int, previous: str) -> bool:
    """Whether the bare number ``number`` at line ``i`` numbers the question after it.

    The next text line (a page number may stand between: "8" / "3" / "Vindt u …")
    must start a question: a capital, or a digit ("3 procent daarvan …") after
    a line that ended a sentence, as a page number inside a sentence does not
    ("… daarvan" / "3" / "12 zijn …").  It must not be that question's own
    marker: in "…?" / "3" / "3. Bent u …" the bare "3" is a footnote reference.
    """
    nxt = next((lines[k] for k in range(i + 1, min(len(lines), i + 50))
                if keep[k] and lines[k] and not NUMBER_ONLY_RE.fullmatch(lines[k])), "")
    if ANTWOORD_RE.match(nxt):
        return False
    if nxt[:1].isupper():
        return True
    if not nxt[:1].isdecimal() or stops_mid_sentence(previous):
        return False
    own = NUMBERED_RE.match(nxt)
    return not (own and int(own.group("num")) == number and _number_style(own) in _EXPLICIT)


def _paragraph(lines: tuple[str, ...], keep: list[bool], i: int) -> list[str]:
    """The kept lines from ``i`` to the next blank or numbered line (at most 20: the cost stays linear)."""
    out = [lines[i]]
    for k in range(i + 1, min(len(lines), i + 20)):
        if keep[k] and (not lines[k] or NUMBERED_RE.match(lines[k])):
            break
        if keep[k]:
            out.append(lines[k])
    return out


def _drop_page_numbers(lines: tuple[str, ...], keep: list[bool], start: int, marker_lines: set[int]) -> None:
    """Mark bare page numbers as not kept, in place.

    A line that is only a number and no marker is a page number when it stands
    alone: a blank line (or the body's start) before it and a blank line (or the
    end) after it, or right after a bare marker line ("8" / "3" / "Vindt u …").
    A number right after text is a footnote reference ("… bericht?" / "1") and stays.
    """
    # Neighbours come from the kept lines as they were before any is dropped: scanning
    # past the dropped ones from every number line would be quadratic in a run of them.
    kept = [i for i in range(start, len(lines)) if keep[i]]
    for k, i in enumerate(kept):
        if i in marker_lines or not NUMBER_ONLY_RE.fullmatch(lines[i]):
            continue
        before = kept[k - 1] if k else None
        after = kept[k + 1] if k + 1 < len(kept) else None
        after_marker = before in marker_lines and NUMBER_ONLY_RE.fullmatch(lines[before].rstrip(".)"))
        alone = (before is None or not lines[before]) and (after is None or not lines[after])
        if alone or after_marker:
            keep[i] = False


def _wrapped_lines(lines: tuple[str, ...], keep: list[bool], start: int) -> set[int]:
    """The kept lines that continue a sentence: the kept line before them is not blank
    and does not end in ".", "?", "!" or ":" (footnote markers aside)."""
    out: set[int] = set()
    previous = ""  # the last kept line, "" after a blank one
    for i in range(start, len(lines)):
        if not keep[i]:
            continue
        if stops_mid_sentence(previous):
            out.add(i)
        previous = lines[i]
    return out
