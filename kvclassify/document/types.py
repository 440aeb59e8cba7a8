"""The parts of a parsed document: frozen dataclasses with ``to_dict()``, and the markers between stages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Literal

from kvclassify.areas import combine_areas

__all__ = ["Member", "Addressee", "QuestionUnit", "Footnote", "Document", "Marker", "MarkerKind"]

#: What a marker line starts: a question, an answer, or a paragraph to drop ("Toelichting").
MarkerKind = Literal["question", "answer", "drop"]


@dataclass(frozen=True, slots=True)
class Member:
    """A member of parliament who asked the questions.

    Examples
    --------
    >>> Member("Jansen", "SP").to_dict()
    {'name': 'Jansen', 'party': 'SP'}
    """

    name: str
    party: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "party": self.party}


@dataclass(frozen=True, slots=True)
class Addressee:
    """A minister or state secretary the questions are addressed to.

    ``policy_areas`` come from :func:`kvclassify.areas.areas_of_post` on the
    document's date.

    Examples
    --------
    >>> Addressee("minister van Defensie", "minister", "Defensie", ("defensie",)).policy_areas
    ('defensie',)
    """

    text: str
    role: str
    ministry: str | None
    policy_areas: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "role": self.role,
            "ministry": self.ministry,
            "policy_areas": list(self.policy_areas),
        }


@dataclass(frozen=True, slots=True)
class QuestionUnit:
    """One question (with its sub-questions) and, in an answers document, its answer.

    ``text`` is what a model sees: footnote markers are removed from it and kept
    in ``footnote_refs`` (their texts are in :attr:`Document.footnotes`).

    Examples
    --------
    >>> QuestionUnit(1, (1,), "Kent u het bericht?", None, (1,)).to_dict()["footnote_refs"]
    [1]
    """

    number: int | None
    numbers: tuple[int, ...]
    text: str
    answer: str | None
    footnote_refs: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "numbers": list(self.numbers),
            "text": self.text,
            "answer": self.answer,
            "footnote_refs": list(self.footnote_refs),
        }


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote: its number and its text (URLs rejoined).

    Examples
    --------
    >>> Footnote(1, "NOS, 20 november 2025").to_dict()
    {'number': 1, 'text': 'NOS, 20 november 2025'}
    """

    number: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "text": self.text}


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed Kamervragen document (see :func:`kvclassify.parse_document`).

    Examples
    --------
    >>> doc = Document("questions", None, None, (), (Addressee("minister-president", "minister-president",
    ...                None, ("algemene_zaken",)), Addressee("minister van Defensie", "minister", "Defensie",
    ...                ("defensie",))), None, None, (), ())
    >>> doc.addressed_areas
    ('defensie',)
    """

    kind: str
    zaak: str | None
    submitted: datetime.date | None
    members: tuple[Member, ...]
    addressees: tuple[Addressee, ...]
    subject: str | None
    header: str | None
    footnotes: tuple[Footnote, ...]
    questions: tuple[QuestionUnit, ...]
    #: The date the Kamer received the answer, "(ontvangen …)" (answers documents); ``submitted`` is never it.
    received: datetime.date | None = None

    @property
    def addressed_areas(self) -> tuple[str, ...]:
        """Union of the addressees' areas in first-seen order (``algemene_zaken`` only alone)."""
        return combine_areas(area for addressee in self.addressees for area in addressee.policy_areas)

    def footnote(self, number: int) -> str | None:
        """Return the text of footnote ``number``, or ``None``."""
        return next((note.text for note in self.footnotes if note.number == number), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "zaak": self.zaak,
            "submitted": self.submitted.isoformat() if self.submitted else None,
            "received": self.received.isoformat() if self.received else None,
            "members": [m.to_dict() for m in self.members],
            "addressees": [a.to_dict() for a in self.addressees],
            "addressed_areas": list(self.addressed_areas),
            "subject": self.subject,
            "header": self.header,
            "footnotes": [f.to_dict() for f in self.footnotes],
            "questions": [q.to_dict() for q in self.questions],
        }


@dataclass(frozen=True, slots=True, order=True)
class Marker:
    """A line that starts a question, an answer or a dropped paragraph.

    Markers sort by line. ``numbers`` are the question numbers it names
    ("Vraag 2 en 3" -> ``(2, 3)``; for an answer "Antwoord op vraag 3 en 8"
    -> ``(3, 8)``, empty when it names none); ``rest`` is the text after the
    marker on the same line.

    Examples
    --------
    >>> sorted([Marker(7, "answer", (), "Ja."), Marker(3, "question", (1,), "Kent u …?")])[0].line
    3
    """

    line: int
    kind: MarkerKind
    numbers: tuple[int, ...]
    rest: str
