"""Head kinds: linear classifiers over one featurizer, one class per way of reading the logits.

Each kind owns its fitting, its probabilities, its explanation rule and its
serialisation; :data:`HEAD_KINDS` finds the class by the kind's name, so the
file format and training never ask which kind a head is. A new head kind is
one subclass of :class:`Head` and one entry in :data:`HEAD_KINDS`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from .errors import DataError, InputError, ModelError
from .features import Featurizer, TfidfRows, paired
from .tokens import TokenBatch

if TYPE_CHECKING:
    import scipy.sparse as sp

    from .options import HeadConfig
    from .records import Examples

__all__ = ["Head", "SoftmaxHead", "PrecedenceHead", "HEAD_KINDS"]

_BY_OUTPUT_FROM = 1 << 15  # TF-IDF entries from which the weights are read one output at a time


def _texts(texts: Any) -> Sequence[str]:
    """``texts`` if it is a sequence of strings (scikit-learn's ``X``, or a 1-D numpy array), else an InputError."""
    if isinstance(texts, np.ndarray) and texts.ndim == 1:
        texts = texts.tolist()
    if isinstance(texts, str) or not isinstance(texts, Sequence) or not all(isinstance(t, str) for t in texts):
        raise InputError("texts must be a list of strings (one per sample), not " + type(texts).__name__
                         + ("" if isinstance(texts, str) or not isinstance(texts, Sequence) else " of other types"))
    return texts


class Head(ABC):
    """A linear classifier over one featurizer (scikit-learn's ``classes_``/``predict_proba`` shape).

    ``coef`` has shape ``(n_features, n_outputs)`` in row-major order, so
    gathering the weights of a text's features reads one contiguous row per
    feature; ``temperature`` divides the logits before they become probabilities.

    Examples
    --------
    >>> import kvclassify as kv
    >>> head = kv.load_model().heads["question_type"]
    >>> head.kind, head.classes_, head.predict(["Bent u bereid dit te doen?"])
    ('precedence', ('commitment', 'factual', 'opinion'), ['commitment'])
    """

    #: The kind's name in :data:`HEAD_KINDS` and in model files.
    kind: ClassVar[str]

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
        if len(set(classes)) != len(classes) or len(classes) < 2:
            raise ModelError(f"head {task!r}: needs at least two distinct classes, got {list(classes)}")
        n_out = self.n_outputs(len(classes))
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
        self._pairs = paired(coef)  # two outputs a complex number (a view when their number is even)
        self._by_output: np.ndarray | None = None  # the pairs one pair of outputs per row, for large batches
        self.intercept = intercept
        self.temperature = float(temperature)

    def __getstate__(self) -> dict[str, Any]:
        # A copy (pickle, a worker process) carries the weights once: the pairs are a view of them, made again.
        return {**vars(self), "_pairs": None, "_by_output": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        vars(self).update(state)
        self._pairs = paired(self.coef)

    # -- the kind's own rules ----------------------------------------------
    @staticmethod
    @abstractmethod
    def n_outputs(n_classes: int) -> int:
        """How many logits the head has for ``n_classes`` classes."""

    @abstractmethod
    def probabilities(self, logits: np.ndarray, temperature: float | None = None) -> np.ndarray:
        """Class probabilities (order of ``classes_``) from logits, at ``temperature`` (default the head's)."""

    @abstractmethod
    def decisive(self, label: int, runner_up: int) -> tuple[np.ndarray, float]:
        """The weight column and intercept whose logit decides ``label`` over ``runner_up`` (explanations)."""

    @classmethod
    @abstractmethod
    def fit(cls, task: str, examples: Examples, config: HeadConfig, random_state: int = 0) -> Head:
        """Fit the head on its training rows."""

    @classmethod
    @abstractmethod
    def primary(cls, labels: set[str], config: HeadConfig) -> str:
        """The one gold label a record with ``labels`` is scored against."""

    @abstractmethod
    def logits_for(self, logits: np.ndarray, classes: Sequence[str]) -> np.ndarray:
        """Logits of this head in the class order ``classes`` (a superset of ``classes_``)."""

    def params(self) -> dict[str, Any]:
        """The kind's own fields of its serialised form."""
        return {}

    @classmethod
    def from_params(
        cls, task: str, classes: Sequence[str], featurizer: Featurizer, coef: np.ndarray, intercept: np.ndarray,
        temperature: float, params: Mapping[str, Any],
    ) -> Head:
        """The inverse of :meth:`params` with the shared fields."""
        return cls(task, classes, featurizer, coef, intercept, temperature)

    # -- shared ------------------------------------------------------------
    def to_meta(self) -> dict[str, Any]:
        """The head's plain fields (everything but its featurizer's tables and its arrays)."""
        return {
            "kind": self.kind, "task": self.task, "classes": list(self.classes_), "temperature": self.temperature,
            **self.params(),
        }

    def decision_function(self, texts: Sequence[str] | TokenBatch) -> np.ndarray:
        """Logits of the outputs, shape ``(n_texts, n_outputs)``; a batch must come from ``featurizer.tokenize``."""
        if isinstance(texts, TokenBatch):
            return self.logits(self.featurizer.rows(texts))
        return self.logits(self.featurizer.rows_for(_texts(texts)))

    def logits(self, rows: TfidfRows) -> np.ndarray:
        """Logits of the outputs for TF-IDF rows of the head's featurizer."""
        n_out = len(self.intercept)
        if len(rows.data) <= _BY_OUTPUT_FROM:
            return rows.dot(self._pairs)[:, :n_out] + self.intercept
        if self._by_output is None:  # made on the first large batch: single texts never pay for it
            self._by_output = np.ascontiguousarray(self._pairs.T)
        return rows.dot(self._pairs, self._by_output)[:, :n_out] + self.intercept

    def predict_proba(self, texts: Sequence[str] | TokenBatch) -> np.ndarray:
        """Class probabilities in the order of ``classes_``; rows sum to 1."""
        return self.probabilities(self.decision_function(texts))

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The most probable class of every text."""
        return [self.classes_[i] for i in self.predict_proba(texts).argmax(axis=1)]

    @staticmethod
    def _featurize(task: str, texts: Sequence[str], config: HeadConfig) -> tuple[Featurizer, sp.csr_matrix]:
        featurizer = Featurizer.fit(texts, config.features)
        if featurizer.n_features == 0:
            raise DataError(f"{task}: no feature occurs in at least {config.features.min_df} texts; lower min_df")
        return featurizer, featurizer.transform(texts)


class SoftmaxHead(Head):
    """One logit per class; probabilities are ``softmax(logits / temperature)``.

    A record with several labels is fitted once per label with weight ``1/k``.

    Examples
    --------
    >>> from kvclassify.features import FeatureConfig
    >>> f = Featurizer.fit(["ja", "nee"], FeatureConfig(char_ngrams=None, min_df=1))
    >>> h = SoftmaxHead("t", ["no", "yes"], f, np.array([[-1.0, 1.0], [1.0, -1.0]]), np.zeros(2))
    >>> h.predict(["ja", "nee"])
    ['yes', 'no']
    """

    kind = "softmax"

    @staticmethod
    def n_outputs(n_classes: int) -> int:
        return n_classes

    def probabilities(self, logits: np.ndarray, temperature: float | None = None) -> np.ndarray:
        z = logits / (temperature or self.temperature)
        z = z - z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        return z / z.sum(axis=1, keepdims=True)

    def decisive(self, label: int, runner_up: int) -> tuple[np.ndarray, float]:
        return self.coef[:, label] - self.coef[:, runner_up], float(self.intercept[label] - self.intercept[runner_up])

    @classmethod
    def fit(cls, task: str, examples: Examples, config: HeadConfig, random_state: int = 0) -> SoftmaxHead:
        from .fitting import fit_linear  # training only: predicting never imports the solvers' glue

        featurizer, x = cls._featurize(task, examples.texts, config)
        classes = sorted(set(examples.labels))
        y = np.array([classes.index(c) for c in examples.labels])
        coef, intercept = fit_linear(x, y, examples.weights, config, random_state)
        if len(classes) == 2:  # scikit-learn keeps one column for two classes; softmax wants both
            coef = np.hstack([-coef / 2, coef / 2])
            intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
        return cls(task, classes, featurizer, coef, intercept, config.temperature or 1.0)

    @classmethod
    def primary(cls, labels: set[str], config: HeadConfig) -> str:
        return min(labels)

    def logits_for(self, logits: np.ndarray, classes: Sequence[str]) -> np.ndarray:
        # A class the head never saw (missing from a validation fold's training part) gets no chance.
        out = np.full((len(logits), len(classes)), -1e9)
        for j, c in enumerate(self.classes_):
            out[:, list(classes).index(c)] = logits[:, j]
        return out


class PrecedenceHead(Head):
    """Independent "asks for" logits, read in a precedence order: the most demanding class asked for wins.

    With the order ``(c1, ..., ck)`` the outputs are k-1 logits and
    ``P(c1) = s1``, ``P(c2) = (1 - s1) s2``, ..., ``P(ck) = (1 - s1)...(1 - s_{k-1})``
    with ``s_i = sigmoid(logit_i / temperature)``. Fitted from label *sets*:
    one binary classifier per class but the last.

    Examples
    --------
    >>> from kvclassify.features import FeatureConfig
    >>> f = Featurizer.fit(["ja", "nee"], FeatureConfig(char_ngrams=None, min_df=1))
    >>> h = PrecedenceHead("t", ["no", "yes"], f, np.array([[5.0], [-5.0]]), np.zeros(1), precedence=["yes", "no"])
    >>> h.predict(["ja", "nee"])
    ['yes', 'no']
    """

    kind = "precedence"

    def __init__(self, *args: Any, precedence: Sequence[str], **kwargs: Any) -> None:
        """The arguments of :class:`Head`, and ``precedence``: every class, most demanding first."""
        super().__init__(*args, **kwargs)
        if sorted(precedence) != sorted(self.classes_):
            raise ModelError(
                f"head {self.task!r}: precedence {list(precedence)} is not an order of {list(self.classes_)}"
            )
        self.precedence: tuple[str, ...] = tuple(precedence)
        self._order = [self.precedence.index(c) for c in self.classes_]
        self._order_index = np.array(self._order)  # an index array: a list is converted on every call

    @staticmethod
    def n_outputs(n_classes: int) -> int:
        return n_classes - 1

    def probabilities(self, logits: np.ndarray, temperature: float | None = None) -> np.ndarray:
        z = logits / (temperature or self.temperature)
        asks = 1.0 / (1.0 + np.exp(-z))
        not_yet = (1.0 - asks).cumprod(axis=1)  # no class asked for before the next one
        ordered = np.empty((len(z), z.shape[1] + 1))
        ordered[:, :1] = asks[:, :1]
        np.multiply(not_yet[:, :-1], asks[:, 1:], out=ordered[:, 1:-1])
        ordered[:, -1:] = not_yet[:, -1:]
        return ordered[:, self._order_index]

    def decisive(self, label: int, runner_up: int) -> tuple[np.ndarray, float]:
        # The decision between two classes is the "asks for" output of the more demanding one.
        a, b = self._order[label], self._order[runner_up]
        sign = 1.0 if a < b else -1.0
        out = min(a, b)
        return sign * self.coef[:, out], float(sign * self.intercept[out])

    @classmethod
    def fit(cls, task: str, examples: Examples, config: HeadConfig, random_state: int = 0) -> PrecedenceHead:
        from .fitting import fit_linear  # training only, as in SoftmaxHead.fit
        from .records import label_sets

        precedence = config.precedence or ()
        texts, sets, weights = label_sets(examples)
        featurizer, x = cls._featurize(task, texts, config)
        missing = sorted(set(precedence) ^ {c for s in sets for c in s})
        if missing:
            raise DataError(f"{task}: precedence {list(precedence)} and the labels differ in {missing}")
        columns = [
            fit_linear(x, np.array([c in s for s in sets], dtype=np.int64), weights, config, random_state)
            for c in precedence[:-1]
        ]
        coef = np.hstack([cw for cw, _ in columns])
        intercept = np.concatenate([b for _, b in columns])
        return cls(
            task, sorted(precedence), featurizer, coef, intercept, config.temperature or 1.0, precedence=precedence
        )

    @classmethod
    def primary(cls, labels: set[str], config: HeadConfig) -> str:
        rank = {c: i for i, c in enumerate(config.precedence or ())}
        return min(labels, key=lambda c: (rank.get(c, len(rank)), c))

    def logits_for(self, logits: np.ndarray, classes: Sequence[str]) -> np.ndarray:
        if tuple(classes) != self.classes_:
            raise DataError("a validation fold lacks a class of a precedence head; use fewer folds or more data")
        return logits

    def params(self) -> dict[str, Any]:
        return {"precedence": list(self.precedence)}

    @classmethod
    def from_params(
        cls, task: str, classes: Sequence[str], featurizer: Featurizer, coef: np.ndarray, intercept: np.ndarray,
        temperature: float, params: Mapping[str, Any],
    ) -> PrecedenceHead:
        return cls(task, classes, featurizer, coef, intercept, temperature, precedence=params["precedence"])


#: Every head kind by name.
HEAD_KINDS: dict[str, type[Head]] = {kind.kind: kind for kind in (SoftmaxHead, PrecedenceHead)}
