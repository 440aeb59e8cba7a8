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
from .features import MARK, Featurizer, TokenBatch, tokenize_batch
from .plain import Plain

__all__ = [
    "Head",
    "Model",
    "probabilities",
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
_STOP_BITS: dict[str, int] = {}
for _bit, _lang in ((4, "nl"), (8, "en"), (16, "de")):
    for _word in _STOPWORDS[_lang]:
        _STOP_BITS[_word] = _STOP_BITS.get(_word, 0) | _bit
_MIN_COVERAGE = 0.5


@dataclass(frozen=True, slots=True)
class Prediction(Plain):
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
    """

    predictions: dict[str, Prediction]
    coverage: float
    in_domain: bool
    commitment_probability: float | None = None
    asks_commitment: bool | None = None

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
            **(
                {"commitment_probability": self.commitment_probability, "asks_commitment": self.asks_commitment}
                if self.commitment_probability is not None
                else {}
            ),
        }


@dataclass(frozen=True, slots=True)
class TermContribution(Plain):
    """One term's push towards the predicted label (positive) or the runner-up (negative)."""

    term: str
    contribution: float


@dataclass(frozen=True, slots=True)
class Explanation(Plain):
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


def probabilities(
    logits: np.ndarray, temperature: float, classes: Sequence[str], precedence: Sequence[str] | None = None
) -> np.ndarray:
    """Class probabilities from a head's output logits (see :class:`Head`)."""
    z = logits / temperature
    if precedence is None:
        z = z - z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        return z / z.sum(axis=1, keepdims=True)
    asks = 1.0 / (1.0 + np.exp(-z))
    not_yet = np.cumprod(np.hstack([np.ones((len(z), 1)), 1.0 - asks]), axis=1)
    ordered = np.hstack([not_yet[:, :-1] * asks, not_yet[:, -1:]])
    return ordered[:, [list(precedence).index(c) for c in classes]]


class Head:
    """A linear classifier over one featurizer.

    ``coef`` has shape ``(n_features, n_outputs)`` in row-major order, so a
    sparse row times the weights touches contiguous memory. With
    ``precedence=None`` the outputs are the classes' logits and probabilities
    are ``softmax(logits / temperature)``. With a ``precedence`` order
    ``(c1, c2, ..., ck)`` the outputs are k-1 independent "asks for c_i"
    logits and ``P(c1) = s1``, ``P(c2) = (1 - s1) s2``, ...,
    ``P(ck) = (1 - s1)...(1 - s_{k-1})`` with ``s_i = sigmoid(logit_i / temperature)``:
    the primary label is the most demanding type asked for.
    """

    def __init__(
        self,
        task: str,
        classes: Sequence[str],
        featurizer: Featurizer,
        coef: np.ndarray,
        intercept: np.ndarray,
        temperature: float = 1.0,
        precedence: Sequence[str] | None = None,
    ) -> None:
        coef = np.ascontiguousarray(coef, dtype=np.float32)
        intercept = np.asarray(intercept, dtype=np.float32)
        if len(set(classes)) != len(classes) or len(classes) < 2:
            raise ModelError(f"head {task!r}: needs at least two distinct classes, got {list(classes)}")
        if precedence is not None and sorted(precedence) != sorted(classes):
            raise ModelError(f"head {task!r}: precedence {list(precedence)} is not an order of {list(classes)}")
        n_out = len(classes) - 1 if precedence is not None else len(classes)
        if coef.shape != (featurizer.n_features, n_out) or intercept.shape != (n_out,):
            raise ModelError(
                f"head {task!r}: weights of shape {coef.shape} / {intercept.shape} do not fit "
                f"{featurizer.n_features} features and {n_out} outputs"
            )
        if not (np.isfinite(coef).all() and np.isfinite(intercept).all() and temperature > 0):
            raise ModelError(f"head {task!r}: weights are not finite or temperature is not positive")
        self.task = task
        self.classes_: tuple[str, ...] = tuple(classes)
        self.featurizer = featurizer
        self.coef = coef
        self.intercept = intercept
        self.temperature = float(temperature)
        self.precedence: tuple[str, ...] | None = tuple(precedence) if precedence is not None else None

    def decision_function(self, texts: Sequence[str] | TokenBatch) -> np.ndarray:
        """Logits of the outputs, shape ``(n_texts, n_outputs)``."""
        batch = texts if isinstance(texts, TokenBatch) else tokenize_batch(texts)
        return self.featurizer.project(batch, self.coef) + self.intercept

    def predict_proba(self, texts: Sequence[str] | TokenBatch) -> np.ndarray:
        """Class probabilities in the order of ``classes_``; rows sum to 1."""
        return probabilities(self.decision_function(texts), self.temperature, self.classes_, self.precedence)

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [self.classes_[i] for i in self.predict_proba(texts).argmax(axis=1)]


@dataclass(frozen=True, slots=True)
class ModelInfo(Plain):
    """What a model is: its name, version, labels, training data and metrics (the card)."""

    name: str
    version: str
    format_version: int
    tasks: dict[str, tuple[str, ...]]
    card: dict[str, Any] = field(repr=False)
    sha256: str | None = None


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
        self._known_words = frozenset().union(*(h.featurizer.known_words() for h in self.heads.values()))
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
        """Classify already validated texts: one tokenisation and one transform per head and batch."""
        batch = tokenize_batch(texts)
        coverage, in_domain = self._domain(batch)
        columns = []
        for task, head in self.heads.items():
            p = head.predict_proba(batch)
            best = p.argmax(axis=1)
            labels = [head.classes_[i] for i in best]
            columns.append([
                (task, Prediction(label, score, dict(zip(head.classes_, row))))
                for label, score, row in zip(labels, p[np.arange(len(p)), best].tolist(), p.tolist())
            ])
        return [
            Classification(dict(preds), cov, dom)
            for preds, cov, dom in zip(zip(*columns), coverage.tolist(), in_domain.tolist())
        ] if columns else []

    def _domain(self, batch: TokenBatch) -> tuple[np.ndarray, np.ndarray]:
        """Per text: the share of its words the model knows, and whether it looks like Dutch in-domain text."""
        # One small integer per distinct token: bit 0 a word, 1 known, 2-4 a Dutch/English/German function word.
        known, stop = self._known_words, _STOP_BITS
        flags = np.array(
            [0 if t == MARK or t.isdigit() else 1 | ((t in known) << 1) | stop.get(t, 0) for t in batch.unique],
            dtype=np.int64,
        )[batch.inv]

        def per_text(bit: int) -> np.ndarray:
            return np.bincount(batch.row, weights=(flags >> bit) & 1, minlength=batch.n_texts)

        n_words, known, nl, en, de = (per_text(bit) for bit in range(5))
        coverage = np.round(known / np.maximum(n_words, 1), 4)
        foreign = (np.maximum(en, de) >= 2) & (np.maximum(en, de) > nl)
        return coverage, (n_words > 0) & (coverage >= _MIN_COVERAGE) & ~foreign

    def explain(self, text: str, task: str, k: int = 10) -> Explanation:
        """The ``k`` terms that most separate the predicted label from the runner-up.

        For a softmax head a term's contribution is ``x * (w_label - w_runner_up)``;
        for a precedence head it is the term's push on the "asks for" logit that
        decides between the two (the logit of the more demanding of them).
        """
        head = self.head(task)
        x = head.featurizer.transform([text])
        proba = head.predict_proba(tokenize_batch([text]))[0]
        order = np.argsort(-proba, kind="stable")
        best, second = int(order[0]), int(order[1])
        label, runner_up = head.classes_[best], head.classes_[second]
        row = x.getrow(0)
        if head.precedence is None:
            w = head.coef[:, best] - head.coef[:, second]
            b = float(head.intercept[best] - head.intercept[second])
        else:
            # The decision between two types is the "asks for" output of the more demanding one.
            rank = {c: i for i, c in enumerate(head.precedence)}
            out = min(rank[label], rank[runner_up])
            sign = 1.0 if rank[label] < rank[runner_up] else -1.0
            w, b = sign * head.coef[:, out], float(sign * head.intercept[out])
        contrib = row.data * w[row.indices]
        vocab = head.featurizer.vocabulary
        ranked = sorted(zip(row.indices, contrib), key=lambda ic: (-abs(ic[1]), vocab[ic[0]]))
        return Explanation(
            task=task,
            label=label,
            runner_up=runner_up,
            margin=float(contrib.sum() + b),
            intercept=b,
            terms=tuple(TermContribution(_readable(vocab[i]), float(c)) for i, c in ranked[: max(int(k), 0)]),
        )


def _readable(term: str) -> str:
    """Show a feature as a user reads it: char n-grams quoted, clause starts marked."""
    if term.startswith("#"):
        return "'" + re.sub(" ", "_", term[1:]) + "'"
    return term
