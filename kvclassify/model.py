"""The model: linear heads over TF-IDF features, their predictions and explanations.

A :class:`Model` holds one :class:`Head` per task (``question_type``,
``policy_area``, or a user's own). A head is plain data — vocabulary, IDF,
weights — so it predicts the same wherever it is loaded (see ``persist``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .errors import InputError, ModelError
from .features import Featurizer, normalize, tokenize

__all__ = [
    "Head",
    "Model",
    "ModelInfo",
    "Prediction",
    "Classification",
    "Explanation",
    "TermContribution",
]

# Frequent function words: a text without Dutch ones but with several English
# or German ones is foreign, however many of its tokens the vocabulary knows.
_STOPWORDS = {
    "nl": frozenset("de het een en van in is dat op te u niet met voor zijn er ook aan om bij wat "
                    "hoe kunt bent wilt welke deze dit die naar worden wordt heeft hebben".split()),
    "en": frozenset("the and of to is that for with are be this what will you have it not on by "
                    "how can which from".split()),
    "de": frozenset("der die das und ist nicht mit für von zu den dem ein eine sie wir auf "
                    "wie werden wird sind".split()),
}
_MIN_COVERAGE = 0.5


@dataclass(frozen=True, slots=True)
class Prediction:
    """The prediction of one head for one text.

    ``label`` is the most probable class, ``score`` its probability and
    ``probabilities`` the full distribution (sums to 1).
    """

    label: str
    score: float
    probabilities: dict[str, float]

    def top(self, k: int = 3) -> list[tuple[str, float]]:
        """The ``k`` most probable labels with their probabilities, best first."""
        ranked = sorted(self.probabilities.items(), key=lambda lp: (-lp[1], lp[0]))
        return ranked[: max(int(k), 0)]

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "score": self.score, "probabilities": dict(self.probabilities)}


@dataclass(frozen=True, slots=True)
class Classification:
    """All heads' predictions for one text.

    ``in_domain`` is False when the text is empty, not Dutch, or mostly made
    of words the model has never seen (``coverage`` below 0.5): its labels are
    then a guess, however high their score.
    """

    predictions: dict[str, Prediction]
    coverage: float
    in_domain: bool

    @property
    def question_type(self) -> Prediction | None:
        return self.predictions.get("question_type")

    @property
    def policy_area(self) -> Prediction | None:
        return self.predictions.get("policy_area")

    def __getitem__(self, task: str) -> Prediction:
        return self.predictions[task]

    def to_dict(self) -> dict[str, Any]:
        return {
            **{task: p.to_dict() for task, p in self.predictions.items()},
            "coverage": self.coverage,
            "in_domain": self.in_domain,
        }


@dataclass(frozen=True, slots=True)
class TermContribution:
    """One term's push towards the predicted label (positive) or the runner-up (negative)."""

    term: str
    contribution: float

    def to_dict(self) -> dict[str, Any]:
        return {"term": self.term, "contribution": self.contribution}


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a head chose ``label`` over ``runner_up``: the largest term contributions.

    Contributions are ``x_term * (w_label - w_runner_up)`` in logit space; they
    add up, with ``intercept``, to the logit margin between the two labels.
    """

    task: str
    label: str
    runner_up: str
    margin: float
    intercept: float
    terms: tuple[TermContribution, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "label": self.label,
            "runner_up": self.runner_up,
            "margin": self.margin,
            "intercept": self.intercept,
            "terms": [t.to_dict() for t in self.terms],
        }


class Head:
    """A multinomial linear classifier over one featurizer.

    ``coef`` has shape ``(n_features, n_classes)`` in row-major order, so a
    sparse row times the weights touches contiguous memory; probabilities are
    ``softmax((x @ coef + intercept) / temperature)``.
    """

    def __init__(
        self,
        task: str,
        classes: Sequence[str],
        featurizer: Featurizer,
        coef: np.ndarray,
        intercept: np.ndarray,
        temperature: float = 1.0,
    ) -> None:
        coef = np.ascontiguousarray(coef, dtype=np.float32)
        intercept = np.asarray(intercept, dtype=np.float32)
        if coef.shape != (featurizer.n_features, len(classes)) or intercept.shape != (len(classes),):
            raise ModelError(
                f"head {task!r}: weights of shape {coef.shape} / {intercept.shape} do not fit "
                f"{featurizer.n_features} features and {len(classes)} classes"
            )
        if len(set(classes)) != len(classes) or len(classes) < 2:
            raise ModelError(f"head {task!r}: needs at least two distinct classes, got {list(classes)}")
        if not (np.isfinite(coef).all() and np.isfinite(intercept).all() and temperature > 0):
            raise ModelError(f"head {task!r}: weights are not finite or temperature is not positive")
        self.task = task
        self.classes_: tuple[str, ...] = tuple(classes)
        self.featurizer = featurizer
        self.coef = coef
        self.intercept = intercept
        self.temperature = float(temperature)

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """Logits, shape ``(n_texts, n_classes)``."""
        x = self.featurizer.transform(texts)
        return np.asarray(x @ self.coef, dtype=np.float64) + self.intercept

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities in the order of ``classes_``; rows sum to 1."""
        z = self.decision_function(texts) / self.temperature
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        return z

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [self.classes_[i] for i in self.predict_proba(texts).argmax(axis=1)]


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """What a model is: its name, version, labels, training data and metrics (the card)."""

    name: str
    version: str
    format_version: int
    tasks: dict[str, tuple[str, ...]]
    card: dict[str, Any] = field(repr=False)
    sha256: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "format_version": self.format_version,
            "tasks": {t: list(c) for t, c in self.tasks.items()},
            "sha256": self.sha256,
            "card": self.card,
        }


class Model:
    """A set of heads, one per task, with the model card that describes them.

    Use :func:`kvclassify.load_model` to get one and the functions of
    :mod:`kvclassify` to apply it; ``predict_proba`` follows scikit-learn.
    """

    def __init__(self, heads: Mapping[str, Head], card: Mapping[str, Any], sha256: str | None = None) -> None:
        if not heads:
            raise ModelError("a model needs at least one head")
        self.heads: dict[str, Head] = dict(heads)
        self.card: dict[str, Any] = dict(card)
        self.sha256 = sha256

    @property
    def tasks(self) -> tuple[str, ...]:
        return tuple(self.heads)

    @property
    def info(self) -> ModelInfo:
        from .persist import FORMAT_VERSION

        return ModelInfo(
            name=str(self.card.get("name", "kvclassify")),
            version=str(self.card.get("version", "unversioned")),
            format_version=int(self.card.get("format_version", FORMAT_VERSION)),
            tasks={t: h.classes_ for t, h in self.heads.items()},
            card=self.card,
            sha256=self.sha256,
        )

    def head(self, task: str) -> Head:
        try:
            return self.heads[task]
        except KeyError:
            raise InputError(f"this model has no task {task!r}; its tasks: {', '.join(self.heads)}") from None

    def classes_(self, task: str) -> tuple[str, ...]:
        return self.head(task).classes_

    def predict_proba(self, texts: Sequence[str], task: str) -> np.ndarray:
        return self.head(task).predict_proba(texts)

    # -- results ----------------------------------------------------------
    def classify_texts(self, texts: Sequence[str]) -> list[Classification]:
        """Classify already validated texts: one feature transform per head and batch."""
        probas = {task: head.predict_proba(texts) for task, head in self.heads.items()}
        out = []
        for i, text in enumerate(texts):
            preds = {}
            for task, p in probas.items():
                classes = self.heads[task].classes_
                row = p[i]
                best = int(row.argmax())
                preds[task] = Prediction(
                    label=classes[best],
                    score=float(row[best]),
                    probabilities={c: float(v) for c, v in zip(classes, row)},
                )
            coverage, in_domain = self._domain(text)
            out.append(Classification(predictions=preds, coverage=coverage, in_domain=in_domain))
        return out

    def _domain(self, text: str) -> tuple[float, bool]:
        tokens = [t for t in tokenize(normalize(text)) if not t.isdigit()]
        if not tokens:
            return 0.0, False
        known = sum(any(t in h.featurizer._index for h in self.heads.values()) for t in tokens)
        coverage = round(known / len(tokens), 4)
        counts = {lang: sum(t in words for t in tokens) for lang, words in _STOPWORDS.items()}
        foreign = max(counts["en"], counts["de"]) >= 2 and max(counts["en"], counts["de"]) > counts["nl"]
        return coverage, coverage >= _MIN_COVERAGE and not foreign

    def explain(self, text: str, task: str, k: int = 10) -> Explanation:
        """The ``k`` terms that most separate the predicted label from the runner-up."""
        head = self.head(task)
        x = head.featurizer.transform([text])
        logits = np.asarray(x @ head.coef, dtype=np.float64)[0] + head.intercept
        order = np.argsort(-logits, kind="stable")
        best, second = int(order[0]), int(order[1])
        row = x.getrow(0)
        contrib = row.data * (head.coef[row.indices, best] - head.coef[row.indices, second])
        vocab = head.featurizer.vocabulary
        ranked = sorted(zip(row.indices, contrib), key=lambda ic: (-abs(ic[1]), vocab[ic[0]]))
        return Explanation(
            task=task,
            label=head.classes_[best],
            runner_up=head.classes_[second],
            margin=float(logits[best] - logits[second]),
            intercept=float(head.intercept[best] - head.intercept[second]),
            terms=tuple(TermContribution(_readable(vocab[i]), float(c)) for i, c in ranked[: max(int(k), 0)]),
        )


def _readable(term: str) -> str:
    """Show a feature as a user reads it: char n-grams quoted, clause starts marked."""
    if term.startswith("#"):
        return "'" + re.sub(" ", "_", term[1:]) + "'"
    return term
