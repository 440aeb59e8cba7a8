"""Classifying a whole document: a result per question and three document-level areas.

The parser (:mod:`kvclassify.document`) knows nothing of models and the model
nothing of documents; this module joins them: it parses with the model's known
words as lexicon, classifies the units in one batch, and pools the area
evidence of the subject line and the questions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from .api import classify_flagged, commitment_thresholds, model_or_shipped
from .document import Document, parse_document
from .labels import QUESTION_TYPE_CODES
from .limits import check_text
from .model import Model
from .plain import FrozenDict
from .results import Classification, DocumentClassification, Prediction, QuestionResult

__all__ = ["classify_document", "SUBJECT_WEIGHT", "QUESTION_SMOOTHING"]

#: Weight of the subject line against one question when pooling a document's area, and of
#: the document's area in each question's (both chosen on the public documents with a model
#: trained without their questions, ``python -m benchmarks.documents --leave-out``: question
#: area 0.61 alone, 0.79 at 0.5, 0.82 at 0.7, 0.81-0.82 from 0.6 to 0.9; subject weights 0-5
#: pool within about one document of each other).
SUBJECT_WEIGHT = 3.0
QUESTION_SMOOTHING = 0.7


def _prediction(classes: Sequence[str], p: np.ndarray) -> Prediction:
    best = int(p.argmax())
    return Prediction(classes[best], float(p[best]), FrozenDict(zip(classes, p.tolist())))


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
    return _prediction(classes, w @ np.asarray(rows) / w.sum())


def _routed_area(content: Prediction | None, addressed: Sequence[str]) -> Prediction | None:
    """The content probabilities restricted to the addressed areas (renormalised)."""
    if content is None:
        return None
    known = [a for a in addressed if a in content.probabilities]
    mass = sum(content.probabilities[a] for a in known)
    if not known or mass <= 0:
        return content
    classes = list(content.probabilities)
    p = np.array([content.probabilities[c] / mass if c in known else 0.0 for c in classes])
    return _prediction(classes, p)


def _smoothed(own: Prediction | None, document: Prediction | None) -> Prediction | None:
    if own is None or document is None:
        return own
    classes = list(own.probabilities)
    p = np.array([(1 - QUESTION_SMOOTHING) * own.probabilities[c] + QUESTION_SMOOTHING * document.probabilities[c]
                  for c in classes])
    return _prediction(classes, p)


def classify_document(
    text: str | Document,
    *,
    model: Model | None = None,
    max_chars: int | None = None,
    commitment_threshold: float | None = None,
) -> DocumentClassification:
    """Parse a Kamervragen document and classify each question and the whole.

    ``text`` may also be a :class:`Document` from :func:`parse_document`
    (to inspect or filter it first without parsing twice). A text is parsed
    with the model's known words as lexicon, so words glued by PDF extraction
    ("enwilt") are split before the model reads them; parse a Document with
    ``lexicon=model.known_words`` for the same questions.
    ``commitment_threshold`` is that of :func:`classify`.

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
    m = model_or_shipped(model)
    if commitment_threshold is not None:
        commitment_thresholds(m, commitment_threshold)  # refused before any work, questions or none
    if not isinstance(text, Document):
        text = parse_document(check_text(text, max_chars), lexicon=m.known_words)
    units = [u.text for u in text.questions]
    results = classify_flagged(m, units, commitment_threshold) if units else []
    content = _document_area(m, text.subject, results)
    questions = tuple(QuestionResult(u, c, _smoothed(c.policy_area, content)) for u, c in zip(text.questions, results))
    counts = Counter(c.question_type.label for c in results if c.question_type is not None)
    type_counts = FrozenDict({t: counts.get(t, 0) for t in QUESTION_TYPE_CODES} if "question_type" in m.heads else {})
    return DocumentClassification(
        document=text,
        questions=questions,
        policy_area=content,
        addressed_areas=text.addressed_areas,
        type_counts=type_counts,
        routed_area=_routed_area(content, text.addressed_areas),
    )

