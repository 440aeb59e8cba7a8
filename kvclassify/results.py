"""The result types: frozen dataclasses of plain values with ``to_dict()``, for texts and for documents."""

from __future__ import annotations

import operator
from collections.abc import ItemsView, Iterator, KeysView, Mapping, Sequence, ValuesView
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .plain import Plain

if TYPE_CHECKING:  # the model layer never imports the parser
    from .document import Document, QuestionUnit

__all__ = [
    "Prediction", "Classification", "TermContribution", "Explanation", "ModelInfo", "QuestionResult",
    "DocumentClassification", "RESULT_FIELDS", "TASK_COLUMN_SUFFIXES", "task_name_clash",
]

#: The fields a text's result has besides its tasks' predictions (``Classification.to_dict``, table columns).
RESULT_FIELDS = ("coverage", "in_domain", "commitment_probability", "asks_commitment")
#: The columns of a table that a task writes besides its label: ``<task>_score``, ``<task>_top``.
TASK_COLUMN_SUFFIXES = ("_score", "_top")


def task_name_clash(tasks: Sequence[str]) -> str | None:
    """Why results could not hold every task of ``tasks`` apart (None if they can): a task named as a
    result's own field, or as another task's score or top column, would overwrite it in ``to_dict`` or a table.

    Examples
    --------
    >>> task_name_clash(["question_type", "policy_area"]) is None
    True
    >>> task_name_clash(["a", "a_score"])
    "task 'a_score' is named as the score column of task 'a'"
    """
    for task in tasks:
        if task in RESULT_FIELDS:
            return f"task {task!r} is named as a field of every result ({', '.join(RESULT_FIELDS)})"
        for other in tasks:
            for suffix in TASK_COLUMN_SUFFIXES:
                if task == other + suffix:
                    return f"task {task!r} is named as the {suffix[1:]} column of task {other!r}"
    return None


@dataclass(frozen=True, slots=True)
class Prediction(Plain):
    """The prediction of one head for one text.

    ``label`` is the most probable class, ``score`` its probability and
    ``probabilities`` the full distribution (sums to 1).

    Examples
    --------
    >>> p = Prediction("opinion", 0.7, {"factual": 0.2, "opinion": 0.7, "commitment": 0.1})
    >>> p.top(2)
    [('opinion', 0.7), ('factual', 0.2)]
    """

    label: str
    score: float
    probabilities: dict[str, float]

    def top(self, k: int = 3) -> list[tuple[str, float]]:
        """The ``k`` most probable labels with their probabilities, best first."""
        try:  # any integer (numpy's too), not a bool or a float
            n = operator.index(k) if not isinstance(k, bool) else None
        except TypeError:
            n = None
        if n is None or n < 0:
            raise InputError(f"k must be an int >= 0, got {k!r}")
        ranked = sorted(self.probabilities.items(), key=lambda lp: (-lp[1], lp[0]))
        return ranked[: max(n, 0)]


@dataclass(frozen=True, slots=True)
class Classification:
    """All heads' predictions for one text.

    ``in_domain`` is False when the text is empty, not Dutch, or mostly made
    of words the model has never seen (``coverage`` below 0.5): its labels are
    then a guess, however high their score.

    ``commitment_probability`` is the probability that the text asks for a
    commitment anywhere (``commitment`` among its question types: P(commitment)
    of the question-type head) and ``asks_commitment`` whether it reaches the
    threshold in force; both are None for a model without such a head.

    Examples
    --------
    >>> c = Classification({"question_type": Prediction("factual", 1.0, {"factual": 1.0})}, 0.9, True)
    >>> c["question_type"].label, c.to_dict()["coverage"]
    ('factual', 0.9)
    """

    predictions: dict[str, Prediction]
    coverage: float
    in_domain: bool
    commitment_probability: float | None = None
    asks_commitment: bool | None = None

    @property
    def question_type(self) -> Prediction | None:
        """The ``question_type`` prediction, if the model has that task."""
        return self.predictions.get("question_type")

    @property
    def policy_area(self) -> Prediction | None:
        """The ``policy_area`` prediction, if the model has that task."""
        return self.predictions.get("policy_area")

    def __getitem__(self, task: str) -> Prediction:
        return self.predictions[task]

    # A read-only mapping of task -> prediction, registered as a collections.abc.Mapping (inheriting from it
    # would make every result an ABC instance: 2 % of a classify call).
    __reversed__ = None  # reversed(c) is a TypeError, as for any Mapping (not a KeyError from __getitem__)

    def __iter__(self) -> Iterator[str]:
        return iter(self.predictions)

    def __len__(self) -> int:
        return len(self.predictions)

    def __contains__(self, task: object) -> bool:
        return task in self.predictions

    def get(self, task: str, default: Any = None) -> Any:
        """The prediction of ``task``, or ``default``."""
        return self.predictions.get(task, default)

    def keys(self) -> KeysView[str]:
        """The task names."""
        return self.predictions.keys()

    def items(self) -> ItemsView[str, Prediction]:
        """(task, prediction) pairs."""
        return self.predictions.items()

    def values(self) -> ValuesView[Prediction]:
        """The predictions, task by task."""
        return self.predictions.values()

    def to_dict(self) -> dict[str, Any]:
        """Every task's prediction by name, with ``coverage``, ``in_domain`` and the commitment flag (if any)."""
        flag = (
            {"commitment_probability": self.commitment_probability, "asks_commitment": self.asks_commitment}
            if self.commitment_probability is not None
            else {}
        )
        return {
            **{task: p.to_dict() for task, p in self.predictions.items()},
            "coverage": self.coverage,
            "in_domain": self.in_domain,
            **flag,
        }


Mapping.register(Classification)


@dataclass(frozen=True, slots=True)
class TermContribution(Plain):
    """One term's push towards the predicted label (positive) or the runner-up (negative).

    Examples
    --------
    >>> TermContribution("^ bent u", 1.5).to_dict()
    {'term': '^ bent u', 'contribution': 1.5}
    """

    term: str
    contribution: float


@dataclass(frozen=True, slots=True)
class Explanation(Plain):
    """Why a head chose ``label`` over ``runner_up``: the largest term contributions.

    Contributions are in logit space; they add up, with ``intercept``, to the
    logit ``margin`` that decides between the two labels (see the head kinds
    in :mod:`kvclassify.heads`).

    Examples
    --------
    >>> e = Explanation("question_type", "commitment", "factual", 2.0, 0.5, (TermContribution("bereid", 1.5),))
    >>> e.to_dict()["terms"]
    [{'term': 'bereid', 'contribution': 1.5}]
    """

    task: str
    label: str
    runner_up: str
    margin: float
    intercept: float
    terms: tuple[TermContribution, ...]

    def __str__(self) -> str:
        """A table: the label against the runner-up, then one term per line with its push."""
        lines = [f"{self.task}: {self.label} rather than {self.runner_up} (margin {self.margin:+.2f})"]
        lines += [f"  {t.contribution:+.3f}  {t.term}" for t in self.terms]
        lines.append(f"  {self.intercept:+.3f}  (intercept)")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class ModelInfo(Plain):
    """What a model is: its name, version, labels, training data and metrics (the card).

    ``sha256`` is the digest of the file the model was read from (None for a
    model built in memory).

    Examples
    --------
    >>> import kvclassify as kv
    >>> info = kv.load_model().info
    >>> info.format_version, sorted(info.tasks)
    (1, ['policy_area', 'question_type'])
    """

    name: str
    version: str
    format_version: int
    tasks: dict[str, tuple[str, ...]]
    card: dict[str, Any] = field(repr=False)
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class QuestionResult:
    """One question unit of a document with its classification.

    ``policy_area`` is the question's area read in its document: its own area
    probabilities mixed with the document's content area
    (``QUESTION_SMOOTHING``); ``classification.policy_area`` is the question
    read alone.

    Examples
    --------
    >>> import kvclassify as kv
    >>> r = kv.classify_document("Vragen van het lid Jansen (SP) aan de minister van Defensie over munitie "
    ...                          "(ingezonden 3 maart 2025).\\n\\n1. Hoeveel munitie is er nog?")
    >>> q = r.questions[0]
    >>> q.policy_area.label, q.to_dict()["policy_area"]["label"]
    ('defensie', 'defensie')
    """

    unit: QuestionUnit
    classification: Classification
    policy_area: Prediction | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.unit.to_dict(),
            "classification": self.classification.to_dict(),
            "policy_area": self.policy_area.to_dict() if self.policy_area else None,
        }


@dataclass(frozen=True, slots=True)
class DocumentClassification:
    """A parsed document with a result per question and three document-level areas.

    Each area is named for its evidence:

    * ``policy_area`` — what the document is about, read from its content (the
      subject line and the questions, pooled);
    * ``addressed_areas`` — the areas of the posts its header addresses, on the
      document's date (the official routing; no model involved);
    * ``routed_area`` — the content area among the addressed ones: the content
      probabilities restricted to the addressed areas; equal to
      ``policy_area`` when the header names none the model knows.

    ``type_counts`` counts questions per type; ``commitments`` lists the
    numbers of the questions flagged ``asks_commitment``.

    Examples
    --------
    >>> import kvclassify as kv
    >>> r = kv.classify_document("Vragen van het lid Jansen (SP) aan de minister van Defensie over munitie "
    ...                          "(ingezonden 3 maart 2025).\\n\\n1. Hoeveel munitie is er nog?")
    >>> r.policy_area.label, r.addressed_areas, r.routed_area.label
    ('defensie', ('defensie',), 'defensie')
    """

    document: Document
    questions: tuple[QuestionResult, ...]
    policy_area: Prediction | None
    addressed_areas: tuple[str, ...]
    type_counts: dict[str, int]
    routed_area: Prediction | None = None

    @property
    def question_numbers(self) -> tuple[int, ...]:
        """Each question as a reader refers to it: its own number, its position (from 1) where it has none — and
        every question's position when the numbers so made repeat (a document numbered in part), so that a
        number names one question."""
        own = [q.unit.number if q.unit.number is not None else i for i, q in enumerate(self.questions, start=1)]
        return tuple(own) if len(set(own)) == len(own) else tuple(range(1, len(own) + 1))

    @property
    def commitments(self) -> tuple[int, ...]:
        """The :attr:`question_numbers` of the questions that ask for a commitment."""
        return tuple(n for n, q in zip(self.question_numbers, self.questions) if q.classification.asks_commitment)

    def to_dict(self) -> dict[str, Any]:
        doc = self.document.to_dict()
        doc.pop("questions", None)
        return {
            "document": doc,
            "questions": [q.to_dict() for q in self.questions],
            "policy_area": self.policy_area.to_dict() if self.policy_area else None,
            "addressed_areas": list(self.addressed_areas),
            "routed_area": self.routed_area.to_dict() if self.routed_area else None,
            "type_counts": dict(self.type_counts),
            "question_numbers": list(self.question_numbers),  # what "commitments" names, question by question
            "commitments": list(self.commitments),
        }
