"""Question units: the body split at the markers of :mod:`.markers`, or into paragraphs.

A numbered document is split at its question markers; a document without
numbers is split into paragraphs, one question each (sub-questions and
explanations stay with theirs). Answers are attached by :mod:`.answers`.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from . import answers
from .markers import NUMBER_ONLY_RE
from .text import asks, clean, join_lines, strip_trailing_markers
from .types import Marker, QuestionUnit

__all__ = ["split_units"]

# A bullet opening a paragraph ("• …", "- …"): a sub-item of the question before it,
# unless the document's first question opens with the same bullet (:func:`_unnumbered_units`).
_BULLETS = "[-–•·*▪◦●]"
_BULLET_RE = re.compile(rf"^({_BULLETS})\s++")
# A paragraph that continues the question before it rather than asking a new one:
# a sub-question ("Zo ja, …", "Indien niet, …", "Waarom niet?"), a bullet or a
# lettered item ("- …", "• …", "a) …"), or a paragraph starting in lower case.
_CONTINUATION_RE = re.compile(
    r"^(?:(?:En\s++)?(?:Zo|Indien|Als)\s++(?:ja|nee|neen|niet|dat|dit|zo|wel)\b"
    r"|Waarom\s++(?:niet|wel)\b|Wanneer\s++(?:wel|niet)\b"
    rf"|{_BULLETS}\s|[a-z][.)]\s|\([a-z]\)\s|[a-zà-ÿ])"
)
# A question mark glued to the next capital is a lost paragraph break, unless a
# sub-question follows ("?Zo ja", "?Indien").
_GLUE_SENTENCE_RE = re.compile(r"(?<=[a-zà-ÿ0-9)”’»])([?])(?!Zo\b|Indien\b|En\b|Z[oO]\s)(?=[A-Z][a-zà-ÿ])")
# Two questions on one line ("Vraag 1 en 2 Kent u …? Wat vindt u …?").
_SPACED_SENTENCE_RE = re.compile(r"(?<=[a-zà-ÿ0-9)”’»])([?])\s++(?!Zo\b|Indien\b|En\b)(?=[A-Z][a-zà-ÿ])")
_LEADING_NUMBER_RE = re.compile(r"^1[.):]?\s++(?=[A-ZÀ-Ý«“‘'\"(])")
_INGEZONDEN_ONLY_RE = re.compile(r"\(\s*+ingezonden\s++\d{1,2}\s++[a-z]++\s++\d{4}\s*+\)", re.IGNORECASE)
_MARKER_ONLY_RE = re.compile(r"[\d\s]*+")


def split_units(lines: tuple[str, ...], keep: list[bool], start: int, markers: list[Marker], lone: bool,
                lexicon: Collection[str] = ()) -> list[QuestionUnit]:
    """The question units (with answers) of the body from line ``start``."""
    if not any(m.kind == "question" for m in markers):
        units = _unnumbered_units(lines, keep, start, markers, lexicon)
        if lone and len(units) == 1:  # "1. Kent u …?" is simply question 1
            units = [QuestionUnit(1, (1,), units[0].text, units[0].answer)]
        return units
    bounds = [m.line for m in markers] + [len(lines)]
    units: list[QuestionUnit] = []
    last_group: list[int] = []
    by_number: dict[int, list[int]] = {}  # question number -> indices of its units, for answers.attach
    has_answers = any(m.kind == "answer" for m in markers)
    for idx, marker in enumerate(markers):
        segment = [marker.rest] + [lines[k] for k in range(marker.line + 1, bounds[idx + 1]) if keep[k]]
        nums = marker.numbers
        number = nums[0] if nums else None  # a "Vraag" without a number
        if marker.kind == "answer":
            answers.attach(units, last_group, marker.numbers, clean(segment, lexicon) or None, by_number)
            continue
        if marker.kind != "question":
            continue
        first = len(units)
        unmarked = None
        if has_answers and (idx + 1 == len(markers) or markers[idx + 1].kind != "answer"):
            segment, unmarked = answers.split_unmarked(segment, lexicon)
        paragraphs = _split_paragraph_questions(segment) if not has_answers and len(nums) == 1 else []
        groups = _split_group(segment, len(nums)) if len(nums) > 1 and not unmarked else None
        if unmarked:
            units.append(QuestionUnit(number, nums, clean(segment, lexicon), unmarked))
        elif len(paragraphs) > 1:
            units.append(QuestionUnit(number, nums, clean(paragraphs[0], lexicon), None))
            units.extend(QuestionUnit(None, (), clean(p, lexicon), None) for p in paragraphs[1:])
        elif groups:
            units.extend(QuestionUnit(n, (n,), clean(g, lexicon), None) for n, g in zip(nums, groups))
        else:
            units.append(QuestionUnit(number, nums, clean(segment, lexicon), None))
        last_group = list(range(first, len(units)))
        for k in last_group:
            for n in units[k].numbers:
                by_number.setdefault(n, []).append(k)
    return [u for u in units if u.text or u.answer]


def _split_paragraph_questions(segment: list[str]) -> list[list[str]]:
    """Split a numbered question whose text holds further unnumbered questions.

    A blank line after a paragraph ending in "?" or ":" starts a new unit when
    the next paragraph starts with a capital (DOCX documents mixing "1." with
    plain paragraphs).
    """
    out: list[list[str]] = [[]]
    blank = False
    for line in segment:
        if not line.strip():
            blank = True
            continue
        if blank and out[-1]:
            # Only the paragraph's last lines decide how it ends: joining all of it at every
            # blank line would be quadratic in its length.
            tail = strip_trailing_markers(out[-1][-1].strip()).rstrip()
            if not tail:  # a marker alone on the last line ("6")
                tail = strip_trailing_markers(join_lines(out[-1][-8:])).rstrip()
            if (tail.endswith(("?", ":")) and line.strip()[:1].isupper()
                    and not _CONTINUATION_RE.match(line.strip())):
                out.append([])
        out[-1].append(line)
        blank = False
    return [p for p in out if p]


def _split_group(lines: list[str], count: int) -> list[list[str]] | None:
    """Split the text of "Vraag 4 en 5" into its questions, at paragraph ends.

    PDF extraction glues paragraphs ("kwamen?Hoe"), so a question mark directly
    followed by a capital, or a line ending in one, marks a boundary; when that
    gives too few, so does "? " before a capital (both questions on one line).
    """
    for boundary in (_GLUE_SENTENCE_RE, _SPACED_SENTENCE_RE):
        pieces = _pieces(lines, boundary)
        if len(pieces) >= count:
            # More boundaries than questions: keep the first ones, glue the rest to the last.
            return pieces[:count - 1] + [[line for piece in pieces[count - 1:] for line in piece]]
    return None


def _pieces(lines: list[str], boundary: re.Pattern[str]) -> list[list[str]]:
    pieces: list[list[str]] = [[]]
    for line in lines:
        parts = boundary.split(line)
        # re.split with one group yields [text, sep, text, sep, ...]
        buf = parts[0]
        for k in range(1, len(parts), 2):
            pieces[-1].append(buf + "?")
            pieces.append([])
            buf = parts[k + 1]
        pieces[-1].append(buf)
        if buf.rstrip().endswith("?"):
            pieces.append([])
    pieces = [p for p in pieces if any(s.strip() for s in p)]
    # Footnote markers on their own line ("6") belong to the preceding question.
    merged: list[list[str]] = []
    for piece in pieces:
        if merged and all(_MARKER_ONLY_RE.fullmatch(s) for s in piece):
            merged[-1].extend(piece)
        else:
            merged.append(piece)
    return merged


def _unnumbered_units(lines: tuple[str, ...], keep: list[bool], start: int, markers: list[Marker],
                      lexicon: Collection[str]) -> list[QuestionUnit]:
    """Units of a document without numbers: one per paragraph (blank-line separated).

    A text without paragraph breaks (:func:`_page_breaks_only`) is split after each
    line ending in a question mark.
    Paragraphs after an "Antwoord" line are the answer until the next paragraph
    ending in a question mark.  When the first question opens with a bullet ("• Kent
    u …?", a Word or e-mail export), that bullet marks the questions: each paragraph
    opening with it is a new one (the bullet taken off), unless it lists sub-items:
    after a text ending in ":" ("… de volgende punten:" / "• …"), or in lower case.
    """
    special = {m.line: m for m in markers}
    paragraphs: list[tuple[str, list[str]]] = []  # (kind, lines)
    current: list[str] = []
    mode = "question"
    marker_para = False  # whether ``current`` is the paragraph a marker line opened

    def flush() -> None:
        nonlocal mode
        if not any(s.strip() for s in current):
            return
        # A "Toelichting" or an "Antwoord" runs over its own paragraphs only: with no
        # marker to end it, the first later paragraph that asks something is a question again.
        if mode in ("drop", "answer") and not marker_para and asks(current):
            mode = "question"
        paragraphs.append((mode, current))

    for i in range(start, len(lines)):
        if i in special or (keep[i] and not lines[i]):
            flush()
            current, marker_para = [], False
        if i in special:
            mode, marker_para = special[i].kind, True
            if special[i].rest:
                current.append(special[i].rest)
        elif keep[i] and lines[i]:
            current.append(lines[i])
    flush()
    if _page_breaks_only(paragraphs):
        paragraphs = _questions_by_line(paragraphs)

    # Texts and answers are collected as lists of parts and joined once: appending
    # to a string paragraph by paragraph would be quadratic.
    texts: list[list[str]] = []
    replies: list[list[str]] = []
    in_answer = False
    bullet: str | None = None  # the bullet that opens each question, when the first one opens with a bullet
    for kind, para in paragraphs:
        text = clean(para, lexicon)
        if not texts:
            text = _LEADING_NUMBER_RE.sub("", text)
        if kind == "drop" or (not text) or _INGEZONDEN_ONLY_RE.fullmatch(text.strip(" .")):
            in_answer = in_answer and kind != "drop"
            continue
        if kind == "answer" or (in_answer and not text.endswith("?")):
            in_answer = True
            if texts:
                replies[-1].append(text)
            continue
        in_answer = False
        opening = _BULLET_RE.match(text)
        if not texts and opening:
            bullet = opening.group(1)
        if (opening and opening.group(1) == bullet and not text[opening.end():][:1].islower()
                and not (texts and texts[-1][-1].endswith(":"))):
            texts.append([text[opening.end():]])
            replies.append([])
            continue
        if texts and not replies[-1] and _CONTINUATION_RE.match(text):
            texts[-1].append(text)
            continue
        texts.append([text])
        replies.append([])
    return [QuestionUnit(None, (), " ".join(t), " ".join(r) or None) for t, r in zip(texts, replies)]


def _page_breaks_only(paragraphs: list[tuple[str, list[str]]]) -> bool:
    """Whether the blank lines of a text are page breaks rather than paragraph breaks.

    Text extracted without paragraph breaks (pypdf) holds a blank line only where two
    pages were joined, so more of its questions end inside a block of lines ("…?" /
    "Heeft …") than at a blank line.  A text in paragraphs ends its questions at
    the blank lines; a text without them is cut at its questions, page breaks or not.
    """
    questions = [para for kind, para in paragraphs if kind == "question"]
    inside = sum(asks([line]) for para in questions for line in para[:-1])
    # The last block that asks ends at the text's end, not at a blank line: hence ">=".
    return inside > 0 and inside >= sum(asks(para) for para in questions)


def _questions_by_line(paragraphs: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """The question paragraphs cut after each line that asks, read across their blank lines (page breaks)."""
    split: list[tuple[str, list[str]]] = [("question", [])]
    for kind, para in paragraphs:
        if kind != "question":
            split += [(kind, para), ("question", [])]
            continue
        for line in para:
            # A reference on its own line ("… bericht?" / "1") ends the question before it.
            target = split[-2] if len(split) > 1 and not split[-1][1] and NUMBER_ONLY_RE.fullmatch(line) else split[-1]
            target[1].append(line)
            if asks([line]):  # "…?" or "…?1": a glued footnote marker ends the question too
                split.append(("question", []))
    return [p for p in split if p[1]]
