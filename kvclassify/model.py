"""The model: a set of heads, one per task, and the card that describes them.

A :class:`Model` holds one head (see :mod:`kvclassify.heads`) per task
(``question_type``, ``policy_area``, or a user's own). A head is plain data —
vocabulary, IDF, weights — so it predicts the same wherever it is loaded
(see ``persist``). The results are the types of :mod:`kvclassify.results`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .errors import InputError, ModelError
from .heads import Head
from .results import Classification, Explanation, ModelInfo, Prediction, TermContribution
from .tokens import MARK, TokenBatch, tokenize_batch
from .version import FORMAT_VERSION

__all__ = ["Model"]

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



class Model:
    """A set of heads, one per task, with the model card that describes them.

    Use :func:`kvclassify.load_model` to get one and the functions of
    :mod:`kvclassify` to apply it; ``predict_proba`` follows scikit-learn.
    The card is given whole at construction (see :meth:`with_card`), and
    ``sha256`` is that of the file the model was read from.

    Examples
    --------
    >>> import kvclassify as kv
    >>> model = kv.load_model()
    >>> model.tasks
    ('question_type', 'policy_area')
    >>> model.predict_proba(["Bent u bereid dit te doen?"], "question_type").shape
    (1, 3)
    """

    def __init__(self, heads: Mapping[str, Head], card: Mapping[str, Any], sha256: str | None = None) -> None:
        if not heads:
            raise ModelError("a model needs at least one head")
        self.heads: dict[str, Head] = dict(heads)
        self.card: dict[str, Any] = dict(card)
        self.sha256 = sha256
        self._known_words = frozenset().union(*(h.featurizer.known_words() for h in self.heads.values()))

    def with_card(self, entries: Mapping[str, Any]) -> Model:
        """A model with the same heads and the card updated by ``entries`` (this one is unchanged).

        Examples
        --------
        >>> import kvclassify as kv
        >>> kv.load_model().with_card({"name": "mine"}).info.name
        'mine'
        """
        return Model(self.heads, {**self.card, **entries}, self.sha256)

    @property
    def tasks(self) -> tuple[str, ...]:
        """The task names, one per head."""
        return tuple(self.heads)

    @property
    def info(self) -> ModelInfo:
        """The card's summary (see :class:`~kvclassify.results.ModelInfo`)."""
        return ModelInfo(
            name=str(self.card.get("name", "kvclassify")),
            version=str(self.card.get("version", "unversioned")),
            format_version=int(self.card.get("format_version", FORMAT_VERSION)),
            tasks={t: h.classes_ for t, h in self.heads.items()},
            card=self.card,
            sha256=self.sha256,
        )

    def head(self, task: str) -> Head:
        """The head of ``task``; an :class:`InputError` names the tasks there are."""
        try:
            return self.heads[task]
        except KeyError:
            raise InputError(f"this model has no task {task!r}; its tasks: {', '.join(self.heads)}") from None

    def classes_(self, task: str) -> tuple[str, ...]:
        """The classes of ``task`` in the order of ``predict_proba``'s columns."""
        return self.head(task).classes_

    def predict_proba(self, texts: Sequence[str], task: str) -> np.ndarray:
        """Class probabilities of ``task`` for every text (scikit-learn's shape)."""
        return self.head(task).predict_proba(texts)

    # -- results ----------------------------------------------------------
    def classify_texts(self, texts: Sequence[str]) -> list[Classification]:
        """Classify already validated texts: one tokenisation per way of reading, one transform per head."""
        # Heads that read the form of address alike share one tokenisation; the domain check reads the text as is.
        batches = {False: tokenize_batch(texts)}
        coverage, in_domain = self._domain(batches[False])
        columns = []
        for task, head in self.heads.items():
            canonical = head.featurizer.config.canonical_addressee
            if canonical not in batches:
                batches[canonical] = head.featurizer.tokenize(texts)
            p = head.predict_proba(batches[canonical])
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

        A term's contribution is its value times the weight that decides
        between the two (the head kind's rule: see ``Head.decisive``).
        """
        head = self.head(task)
        x = head.featurizer.transform([text])
        proba = head.predict_proba([text])[0]
        order = np.argsort(-proba, kind="stable")
        best, second = int(order[0]), int(order[1])
        row = x.getrow(0)
        w, b = head.decisive(best, second)
        contrib = row.data * w[row.indices]
        vocab = head.featurizer.vocabulary
        ranked = sorted(zip(row.indices, contrib), key=lambda ic: (-abs(ic[1]), vocab[ic[0]]))
        return Explanation(
            task=task,
            label=head.classes_[best],
            runner_up=head.classes_[second],
            margin=float(contrib.sum() + b),
            intercept=b,
            terms=tuple(TermContribution(head.featurizer.readable(i), float(c)) for i, c in ranked[: max(int(k), 0)]),
        )
