"""The public functions: classify texts and documents, explain, load and save models.

All are pure: the same input and model give the same output. The shipped
model is read once, on first use, and cached.
"""

from __future__ import annotations

import operator
import os
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .document import Document, QuestionUnit, parse_document
from .errors import InputError, InputTooLargeError
from .labels import QUESTION_TYPE_CODES
from .model import Model
from .persist import read_model
from .results import Classification, Explanation, Prediction

__all__ = [
    "DEFAULT_MAX_CHARS",
    "QuestionResult",
    "DocumentClassification",
    "classify",
    "classify_many",
    "classify_document",
    "explain",
    "load_model",
    "shipped_model_path",
]

_BUILTIN_MAX_CHARS = 20_000_000


def _env_max_chars() -> tuple[int, str | None]:
    """``KVCLASSIFY_MAX_CHARS`` if set; a bad value is reported when a text is checked, not at import."""
    raw = os.environ.get("KVCLASSIFY_MAX_CHARS")
    if raw is None or not raw.strip():
        return _BUILTIN_MAX_CHARS, None
    try:
        value = int(raw.strip())
    except ValueError:
        value = -1
    if value < 0:
        return _BUILTIN_MAX_CHARS, f"KVCLASSIFY_MAX_CHARS must be a non-negative integer, got {raw!r}"
    return value, None


#: Longest text accepted by default (characters): the environment variable
#: ``KVCLASSIFY_MAX_CHARS`` when set (read at import), else 20,000,000; pass
#: ``max_chars`` to change it per call. Longer texts raise ``InputTooLargeError``.
DEFAULT_MAX_CHARS, _ENV_MAX_CHARS_ERROR = _env_max_chars()
SHIPPED_MODEL = "kvclassify.kvc"
_load_lock = threading.Lock()


def _as_count(value: Any, name: str) -> int:
    """A non-negative integer argument (bools and floats are refused), else InputError."""
    try:
        number = operator.index(value) if not isinstance(value, bool) else -1
    except TypeError:
        number = -1
    if number < 0:
        raise InputError(f"{name} must be a non-negative int, got {value!r}")
    return number


def _check_text(text: Any, max_chars: int | None, what: str = "text") -> str:
    if not isinstance(text, str):
        hint = "; decode bytes first, e.g. data.decode('utf-8')" if isinstance(text, (bytes, bytearray)) else ""
        raise InputError(f"{what} must be a str, got {type(text).__name__}{hint}")
    if max_chars is None:
        if _ENV_MAX_CHARS_ERROR:
            raise InputError(_ENV_MAX_CHARS_ERROR)
        limit = DEFAULT_MAX_CHARS
    else:
        limit = _as_count(max_chars, "max_chars")
    if len(text) > limit:
        raise InputTooLargeError(
            f"{what} has {len(text):,} characters, more than the limit of {limit:,} "
            "(pass max_chars=... or set KVCLASSIFY_MAX_CHARS to allow more)"
        )
    return text


def shipped_model_path() -> Path:
    """Where the shipped model file lies."""
    return Path(str(resources.files("kvclassify.models").joinpath(SHIPPED_MODEL)))


@lru_cache(maxsize=1)
def _shipped() -> Model:
    return read_model(shipped_model_path())


def _shipped_once() -> Model:
    """The cached shipped model; concurrent first callers wait for one read instead of each reading."""
    with _load_lock:
        return _shipped()


def load_model(path: str | os.PathLike[str] | None = None) -> Model:
    """Load a model file, verified against its checksums; without a path, the shipped model (cached).

    Raises :class:`~kvclassify.errors.ModelError` subclasses for a missing,
    corrupted, tampered or newer-format file.

    Examples
    --------
    >>> import kvclassify as kv
    >>> kv.load_model().info.tasks["question_type"]
    ('commitment', 'factual', 'opinion')
    """
    if path is None:
        return _shipped_once()
    if not isinstance(path, (str, os.PathLike)):
        raise InputError(f"model path must be a str or os.PathLike, got {type(path).__name__}")
    return read_model(path)


def _model(model: Model | None) -> Model:
    if model is None:
        return _shipped_once()
    if not isinstance(model, Model):
        raise InputError(f"model must be a kvclassify Model (see kv.load_model), got {type(model).__name__}")
    return model


def classify(text: str, *, model: Model | None = None, max_chars: int | None = None) -> Classification:
    """Classify one question unit or short text (a subject line, a sentence).

    Parameters
    ----------
    text : the text, as a ``str``.
    model : a :class:`~kvclassify.model.Model`; default the shipped one.
    max_chars : reject longer texts (default ``DEFAULT_MAX_CHARS``).

    Returns
    -------
    Classification
        ``.question_type`` and ``.policy_area`` predictions (label, score,
        probabilities, ``top(k)``), and ``in_domain``.

    Examples
    --------
    >>> import kvclassify as kv
    >>> c = kv.classify("Bent u bereid de Kamer te informeren over de wachtlijsten in de jeugdzorg?")
    >>> c.question_type.label, c.policy_area.label
    ('commitment', 'zorg_welzijn')
    """
    return _model(model).classify_texts([_check_text(text, max_chars)])[0]


def classify_many(
    texts: Iterable[str], *, model: Model | None = None, max_chars: int | None = None, batch_size: int = 4096
) -> list[Classification]:
    """Classify many texts; item for item the same as :func:`classify`, but vectorised.

    Examples
    --------
    >>> import kvclassify as kv
    >>> [c.question_type.label for c in kv.classify_many(["Hoeveel boetes zijn er uitgedeeld?",
    ...                                                  "Deelt u de mening dat dit onacceptabel is?"])]
    ['factual', 'opinion']
    """
    if isinstance(texts, (str, bytes)):
        raise InputError("classify_many expects an iterable of texts, not a single string; use classify()")
    m = _model(model)
    if _as_count(batch_size, "batch_size") == 0:
        raise InputError("batch_size must be at least 1")
    try:
        items = [_check_text(t, max_chars, f"texts[{i}]") for i, t in enumerate(texts)]
    except TypeError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"classify_many expects an iterable of str, got {type(texts).__name__}") from None
    out: list[Classification] = []
    for start in range(0, len(items), batch_size):
        out.extend(m.classify_texts(items[start : start + batch_size]))
    return out


def explain(text: str, *, task: str, k: int = 10, model: Model | None = None) -> Explanation:
    """The ``k`` terms that pushed ``text`` towards its label and away from the runner-up.

    Examples
    --------
    >>> import kvclassify as kv
    >>> e = kv.explain("Bent u bereid een onderzoek te starten?", task="question_type", k=3)
    >>> e.label
    'commitment'
    """
    k = _as_count(k, "k")
    if not isinstance(task, str):
        raise InputError(f"task must be a str, got {type(task).__name__}")
    return _model(model).explain(_check_text(text, None), task, k)


@dataclass(frozen=True, slots=True)
class QuestionResult:
    """One question unit of a document with its classification."""

    unit: QuestionUnit
    classification: Classification

    def to_dict(self) -> dict[str, Any]:
        return {**self.unit.to_dict(), "classification": self.classification.to_dict()}


@dataclass(frozen=True, slots=True)
class DocumentClassification:
    """A parsed document with a result per question and a document-level policy area.

    ``policy_area`` is predicted from the content (subject and questions);
    ``addressed_areas`` are the areas of the addressees in the header (the
    official routing). ``type_counts`` counts questions per type;
    ``commitments`` lists the numbers of the questions asking for one.
    """

    document: Document
    questions: tuple[QuestionResult, ...]
    policy_area: Prediction | None
    addressed_areas: tuple[str, ...]
    type_counts: dict[str, int]

    @property
    def commitments(self) -> tuple[int, ...]:
        return tuple(
            q.unit.number if q.unit.number is not None else i + 1
            for i, q in enumerate(self.questions)
            if q.classification.question_type is not None and q.classification.question_type.label == "commitment"
        )

    def to_dict(self) -> dict[str, Any]:
        doc = self.document.to_dict()
        doc.pop("questions", None)
        return {
            "document": doc,
            "questions": [q.to_dict() for q in self.questions],
            "policy_area": self.policy_area.to_dict() if self.policy_area else None,
            "addressed_areas": list(self.addressed_areas),
            "type_counts": dict(self.type_counts),
            "commitments": list(self.commitments),
        }


#: Weight of the subject line against one question when pooling a document's area (measured on documents).
SUBJECT_WEIGHT = 3.0


def _document_area(model: Model, subject: str | None, units: Sequence[Classification]) -> Prediction | None:
    """Pool the area head over a document: the weighted mean of per-text probabilities.

    The head is trained on short texts (subject lines, single questions); one
    long concatenation dilutes every cue, while pooling keeps each question's
    evidence. The subject line is the densest cue and counts as
    ``SUBJECT_WEIGHT`` questions. Averaging probabilities (not log-probabilities)
    keeps one off-topic question from vetoing the document's area.
    """
    if "policy_area" not in model.heads or not (subject or units):
        return None
    classes = model.heads["policy_area"].classes_
    rows = [[u.predictions["policy_area"].probabilities[c] for c in classes] for u in units]
    weights = [1.0] * len(units)
    if subject:
        rows.append(model.heads["policy_area"].predict_proba([subject])[0].tolist())
        weights.append(SUBJECT_WEIGHT)
    w = np.asarray(weights)
    p = w @ np.asarray(rows) / w.sum()
    best = int(p.argmax())
    return Prediction(classes[best], float(p[best]), {c: float(v) for c, v in zip(classes, p)})


def classify_document(
    text: str | Document, *, model: Model | None = None, max_chars: int | None = None
) -> DocumentClassification:
    """Parse a Kamervragen document and classify each question and the whole.

    ``text`` may also be a :class:`Document` from :func:`parse_document`
    (to inspect or filter it first without parsing twice).

    Examples
    --------
    >>> import kvclassify as kv
    >>> doc = ("Vragen van het lid Coenradie (JA21) aan de minister van Justitie en Veiligheid over "
    ...        "de ICT bij het OM (ingezonden 26 november 2025)\\n\\n"
    ...        "1. Kent u het bericht over de ICT-problemen bij het OM?\\n\\n"
    ...        "2. Bent u bereid extra middelen vrij te maken?\\n")
    >>> r = kv.classify_document(doc)
    >>> [q.classification.question_type.label for q in r.questions], r.addressed_areas
    (['factual', 'commitment'], ('justitie_veiligheid',))
    """
    m = _model(model)
    document = text if isinstance(text, Document) else parse_document(_check_text(text, max_chars))
    units = [u.text for u in document.questions]
    results = m.classify_texts(units) if units else []
    questions = tuple(QuestionResult(u, c) for u, c in zip(document.questions, results))
    counts = Counter(c.question_type.label for c in results if c.question_type is not None)
    type_counts = {t: counts.get(t, 0) for t in QUESTION_TYPE_CODES} if "question_type" in m.heads else {}
    return DocumentClassification(
        document=document,
        questions=questions,
        policy_area=_document_area(m, document.subject, results),
        addressed_areas=document.addressed_areas,
        type_counts=type_counts,
    )

