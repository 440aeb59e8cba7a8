"""Answers: the government's answer to each question of an answers document.

"Vraag N … Antwoord N" documents mark each answer; :func:`attach` joins an
answer to the question units it answers. Some documents leave an answer
unmarked: :func:`split_unmarked` cuts it off the question's paragraphs.
"""

from __future__ import annotations

from collections.abc import Collection

from .text import clean, join_lines, strip_trailing_markers
from .types import QuestionUnit

__all__ = ["attach", "split_unmarked"]


def attach(units: list[QuestionUnit], last_group: list[int], numbers: tuple[int, ...], answer: str | None) -> None:
    """Append ``answer`` to the units it answers, in place.

    Those are the units of the last question marker ("Antwoord 4 en 5" answers
    every unit split from "Vraag 4 en 5") and, when the answer names its
    questions ("Antwoord op vraag 3 en 8"), the earlier named units still
    without an answer.

    Examples
    --------
    >>> units = [QuestionUnit(3, (3,), "Kent u?", None), QuestionUnit(8, (8,), "Wat doet u?", None)]
    >>> attach(units, [1], (3, 8), "Ja.")
    >>> [u.answer for u in units]
    ['Ja.', 'Ja.']
    """
    if not answer:
        return
    named = [k for k, u in enumerate(units) if u.number in numbers and u.answer is None and k not in last_group]
    for k in sorted(set(last_group) | set(named)):
        u = units[k]
        joined = f"{u.answer} {answer}" if u.answer else answer
        units[k] = QuestionUnit(u.number, u.numbers, u.text, joined, u.footnote_refs)


def split_unmarked(segment: list[str], lexicon: Collection[str] = ()) -> tuple[list[str], str | None]:
    """Split a question segment whose answer has no "Antwoord" line.

    The question is the leading paragraphs ending in a question mark; the
    paragraphs after them are the answer.

    Examples
    --------
    >>> split_unmarked(["Kent u het bericht?", "", "Ja, dat ken ik."])
    (['Kent u het bericht?'], 'Ja, dat ken ik.')
    """
    paragraphs: list[list[str]] = [[]]
    for line in segment:
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    paragraphs = [p for p in paragraphs if p]
    cut = 0
    while cut < len(paragraphs):
        tail = strip_trailing_markers(join_lines(paragraphs[cut])).rstrip(" ,")
        if not tail.endswith("?"):
            break
        cut += 1
    if cut == 0 or cut == len(paragraphs):
        return segment, None
    answer = clean([line for p in paragraphs[cut:] for line in p], lexicon)
    return [line for p in paragraphs[:cut] for line in p], answer or None
