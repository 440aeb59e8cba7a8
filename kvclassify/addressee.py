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

from .errors import InputError

__all__ = ["THIRD_PERSON_SUBJECTS", "third_person", "canonical_addressee"]

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
    if subject not in THIRD_PERSON_SUBJECTS:
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
# The other subjects, and "haar" (the possessive of two of them): read as "de minister" and "zijn".
_OTHER_FORMS = re.compile(r"\b(?:(de staatssecretaris|het kabinet|de regering)|haar)\b", re.IGNORECASE)


def canonical_addressee(text: str) -> str:
    """The text with every way of addressing the government read as "de minister" (possessive "zijn").

    Examples
    --------
    >>> canonical_addressee("Bent u bereid uw besluit te heroverwegen?")
    'Is de minister bereid zijn besluit te heroverwegen?'
    >>> canonical_addressee("Is de regering bereid haar besluit te heroverwegen?")
    'Is de minister bereid zijn besluit te heroverwegen?'
    """
    rewritten = third_person(text, _CANONICAL)
    return _OTHER_FORMS.sub(lambda m: _CANONICAL if m.group(1) else THIRD_PERSON_SUBJECTS[_CANONICAL], rewritten)
