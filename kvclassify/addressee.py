"""Every way of addressing the government: "u", "de minister", "de staatssecretaris", "het kabinet", "de regering".

Written questions ask the minister "Bent u bereid ...", but also "Is de
minister bereid ..." or "Hoe staat het kabinet tegenover ..."; questions of
other Dutch-language parliaments use the third person almost always. This
module rewrites one form into another with Dutch verb agreement, and reads
every form as one (:func:`canonical_addressee`), so that a head learns the
ask, not the form of address.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import InputError

__all__ = [
    "THIRD_PERSON_SUBJECTS", "CANONICAL_WORDS", "CANONICAL_PAIRS",
    "third_person", "canonical_words", "canonical_addressee",
]

#: The third-person ways of addressing the government, each with the possessive that replaces "uw".
THIRD_PERSON_SUBJECTS: dict[str, str] = {
    "de minister": "zijn",
    "de staatssecretaris": "haar",
    "het kabinet": "zijn",
    "de regering": "haar",
}
# The formal second-person forms that differ from the third person; every other verb ("deelt u") is the same.
_SECOND_PERSON_VERBS = {"bent": "is", "kunt": "kan", "wilt": "wil", "zult": "zal", "hebt": "heeft"}
# "ben u" (a common slip for "bent u") only with its "u": "ben ik" is first person.
_ADDRESS = re.compile(r"\b(?:(ben)\s+u|(bent|kunt|wilt|zult|hebt)|(uzelf|uw|u))\b", re.IGNORECASE)


def third_person(text: str, subject: str = "de minister") -> str:
    """Rewrite a question that addresses the government as "u" into the third person.

    The verb agrees with the new subject ("Bent u bereid" becomes "Is de
    minister bereid", "Kunt u" "Kan de minister"), "uw" becomes the subject's
    possessive and "uzelf" "zichzelf"; a capital stays a capital. Used to
    train the question-type head on both forms (labels unchanged).

    Parameters
    ----------
    text : the question.
    subject : one of :data:`THIRD_PERSON_SUBJECTS`.

    Examples
    --------
    >>> third_person("Bent u bereid uw besluit te heroverwegen? Zo nee, waarom kunt u dat niet?")
    'Is de minister bereid zijn besluit te heroverwegen? Zo nee, waarom kan de minister dat niet?'
    >>> third_person("Wilt u de Kamer informeren?", "het kabinet")
    'Wil het kabinet de Kamer informeren?'
    """
    _check_text(text)
    if not isinstance(subject, str) or subject not in THIRD_PERSON_SUBJECTS:
        raise InputError(f"subject must be one of {sorted(THIRD_PERSON_SUBJECTS)}, got {subject!r}")
    replacements = {"u": subject, "uw": THIRD_PERSON_SUBJECTS[subject], "uzelf": "zichzelf", **_SECOND_PERSON_VERBS}

    def rewrite(m: re.Match[str]) -> str:
        if m.group(1):
            return _like(m.group(1), "is") + " " + subject
        word = m.group(2) or m.group(3)
        return _like(word, replacements[word.lower()])

    return _ADDRESS.sub(rewrite, text)


def _like(original: str, new: str) -> str:
    """``new`` with the capital of ``original``."""
    return new[:1].upper() + new[1:] if original[:1].isupper() else new


_CANONICAL = "de minister"
#: The canonical reading word by word: each form of address (lower case) and the words it is read as.
CANONICAL_WORDS: dict[str, tuple[str, ...]] = {
    **{verb: (third,) for verb, third in _SECOND_PERSON_VERBS.items()},
    "u": tuple(_CANONICAL.split()),
    "uw": (THIRD_PERSON_SUBJECTS[_CANONICAL],),
    "uzelf": ("zichzelf",),
    "haar": (THIRD_PERSON_SUBJECTS[_CANONICAL],),  # the possessive of "de staatssecretaris" and "de regering"
}
#: Two words read as one form: "ben u" (the slip for "bent u") and the other subjects.
CANONICAL_PAIRS: dict[tuple[str, str], tuple[str, ...]] = {
    ("ben", "u"): ("is", *_CANONICAL.split()),
    **{tuple(subject.split()): tuple(_CANONICAL.split()) for subject in THIRD_PERSON_SUBJECTS if subject != _CANONICAL},
}
# A clause without any of these words has no form of address: each word read alone, and the last of each pair.
_READ_CANONICALLY = frozenset(CANONICAL_WORDS) | {last for _, last in CANONICAL_PAIRS}
# Pairs first, then the longer words first: "ben u" before "u", "uzelf" before "uw" and "u".
_FORMS = [r"\s+".join(pair) for pair in CANONICAL_PAIRS] + sorted(CANONICAL_WORDS, key=lambda w: -len(w))
_CANONICAL_FORMS = re.compile(
    r"\b(?:" + "|".join(_FORMS) + r")\b",
    re.IGNORECASE,
)


def canonical_words(words: list[str]) -> list[str]:
    """The words of one clause (lower case) with every form of address read as "de minister".

    The reference of the canonical reading: the tokeniser applies the same
    tables to a whole batch at once (:func:`kvclassify.tokens.tokenize_readings`).

    Examples
    --------
    >>> canonical_words("ben u bereid uw besluit te heroverwegen".split())
    ['is', 'de', 'minister', 'bereid', 'zijn', 'besluit', 'te', 'heroverwegen']
    >>> canonical_words("hoe staat het kabinet daartegenover".split())
    ['hoe', 'staat', 'de', 'minister', 'daartegenover']
    """
    if _READ_CANONICALLY.isdisjoint(words):  # most clauses: no form of address at all (a set test, in C)
        return list(words)
    out: list[str] = []
    i = 0
    while i < len(words):
        pair = CANONICAL_PAIRS.get((words[i], words[i + 1])) if i + 1 < len(words) else None
        if pair is not None:
            out.extend(pair)
            i += 2
            continue
        out.extend(CANONICAL_WORDS.get(words[i], (words[i],)))
        i += 1
    return out


def canonical_addressee(text: str) -> str:
    """The text with every way of addressing the government read as "de minister" (possessive "zijn").

    The rules of :func:`canonical_words`, applied to a text as written (a
    capital stays a capital).

    Examples
    --------
    >>> canonical_addressee("Bent u bereid uw besluit te heroverwegen?")
    'Is de minister bereid zijn besluit te heroverwegen?'
    >>> canonical_addressee("Is de regering bereid haar besluit te heroverwegen?")
    'Is de minister bereid zijn besluit te heroverwegen?'
    """
    _check_text(text)

    def rewrite(m: re.Match[str]) -> str:
        words = m.group(0).lower().split()
        reading = CANONICAL_PAIRS[(words[0], words[1])] if len(words) == 2 else CANONICAL_WORDS[words[0]]
        return _like(m.group(0), " ".join(reading))

    return _CANONICAL_FORMS.sub(rewrite, text)


def _check_text(text: Any) -> None:
    if not isinstance(text, str):
        raise InputError(f"text must be a str, got {type(text).__name__}")
