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


def attach(units: list[QuestionUnit], last_group: list[int], numbers: tuple[int, ...], answer: str | None,
           by_number: dict[int, list[int]] | None = None) -> None:
    """Append ``answer`` to the units it answers, in place.

    An answer that names its questions ("Antwoord 4 en 5", "Antwoord op vraag 3
    en 8") answers the units of the last question marker with those numbers and
    the earlier named units still without an answer: after "Vraag 1 … Vraag 2 …"
    (all questions first), "Antwoord 1" answers question 1 alone.  An answer
    naming no question there is (none, or a misprint) answers the units of the
    last question marker, ``last_group``.  ``by_number`` maps a number to the
    indices of the units with it; :func:`kvclassify.document.units.split_units`
    keeps it up to date, so that each answer looks at its named units only.

    Examples
    --------
    >>> units = [QuestionUnit(3, (3,), "Kent u?", None), QuestionUnit(8, (8,), "Wat doet u?", None)]
    >>> attach(units, [1], (3, 8), "Ja.")
    >>> [u.answer for u in units]
    ['Ja.', 'Ja.']
    """
    if not answer:
        return
    if by_number is None:
        by_number = {}
        for k, unit in enumerate(units):
            for n in unit.numbers:
                by_number.setdefault(n, []).append(k)
    wanted = set(numbers)
    group = {k for k in last_group if wanted & set(units[k].numbers)}
    named: set[int] = set()
    for n in wanted:
        # An answered unit is never named again: dropping it here keeps the cost of all
        # answers linear in the number of units.
        pending = [k for k in by_number.get(n, ()) if units[k].answer is None]
        by_number[n] = pending
        named.update(k for k in pending if k not in group)
    if not group and not named:
        group = set(last_group)
    for k in sorted(group | named):
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
