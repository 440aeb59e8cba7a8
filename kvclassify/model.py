"""The model: a set of heads, one per task, and the card that describes them.

A :class:`Model` holds one head (see :mod:`kvclassify.heads`) per task
(``question_type``, ``policy_area``, or a user's own). A head is plain data —
vocabulary, IDF, weights — so it predicts the same wherever it is loaded
(see ``persist``). The results are the types of :mod:`kvclassify.results`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import repeat
from operator import itemgetter
from typing import Any

import numpy as np

from .errors import InputError
from .features import TfidfRows, one_text_path
from .heads import Head
from .plain import FrozenDict, frozen_copy
from .results import Classification, Explanation, ModelInfo, Prediction, TermContribution, task_name_clash
from .tokens import MARK, TokenBatch, clause_readings, tokenize_readings
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
_FLAG_BITS = (np.arange(32)[:, None] >> np.arange(5)) & 1  # flag value -> its five bits
_MIN_COVERAGE = 0.5
# The commitment flag is the probability of this class of this head (see ``Classification``).
COMMITMENT_TASK, COMMITMENT_CLASS = "question_type", "commitment"
_TEXTS_PER_PASS = 2048



# ``_packed``: bit k of a word's flag becomes a count of 1 at bit 20 k of one integer; a one-text pass
# (at most ``_ONE_TEXT_CHARS`` characters) has far fewer than 2**20 words, so the fields never carry.
_FIELD_BITS = 20
_FIELD_MASK = (1 << _FIELD_BITS) - 1
_FIELD_SHIFTS = tuple(_FIELD_BITS * k for k in range(5))


def _packed(flag: int) -> int:
    """A word's five flag bits as five counting fields (see ``Model._domain_of``)."""
    return sum(((flag >> k) & 1) << shift for k, shift in enumerate(_FIELD_SHIFTS))


def _verdict(n_words: int, known: int, nl: int, en: int, de: int) -> tuple[float, bool]:
    """Coverage and in-domain of a text from its counts of words, known words and function words per language.

    Plain Python for one text and for a batch (``map``, ~0.3 µs a text): the one rule for both paths.
    ``round(x * 1e4) / 1e4`` is numpy's ``round(x, 4)`` (a multiplication, half-to-even, a division).
    """
    coverage = round(known / max(n_words, 1) * 10000) / 10000
    foreign = max(en, de) >= 2 and max(en, de) > nl
    return coverage, n_words > 0 and coverage >= _MIN_COVERAGE and not foreign


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
        if not isinstance(heads, Mapping) or not heads or not all(isinstance(h, Head) for h in heads.values()):
            raise InputError("a model needs a mapping of task names to heads (at least one)")
        if not isinstance(card, Mapping):
            raise InputError(f"a model card must be a mapping, got {type(card).__name__}")
        if (clash := task_name_clash(list(heads))) is not None:
            raise InputError(f"a model's tasks must be told apart in its results: {clash}")
        self.heads: dict[str, Head] = dict(heads)
        self.card: dict[str, Any] = frozen_copy(dict(card))  # read-only: a cached model's card is shared
        self.sha256 = sha256
        # Every way of reading the form of address a head asks for, and as written (the domain check's).
        self._readings = frozenset({False, *(h.featurizer.config.canonical_addressee for h in self.heads.values())})
        #: The (normalised) words some head's features are made of: the lexicon that makes a split of a word
        #: glued by PDF extraction certain (``parse_document(text, lexicon=model.known_words)``).
        self.known_words: frozenset[str] = frozenset().union(*(h.featurizer.known_words() for h in self.heads.values()))
        # Bits 1-4 of the flag of every word that has any (see ``_domain``): known, Dutch/English/German function word.
        self._word_flags = dict.fromkeys(self.known_words, 2)
        for word, bits in _STOP_BITS.items():
            self._word_flags[word] = self._word_flags.get(word, 0) | bits
        # The same flags (with bit 0, a word) as one integer of five counting fields (``_domain_of``).
        self._packed_flags = {w: _packed(v | 1) for w, v in self._word_flags.items() if not w.isdigit()}

    def with_card(self, entries: Mapping[str, Any]) -> Model:
        """A model with the same heads and the card updated by ``entries`` (this one is unchanged).

        Examples
        --------
        >>> import kvclassify as kv
        >>> kv.load_model().with_card({"name": "mine"}).info.name
        'mine'
        """
        if not isinstance(entries, Mapping):
            raise InputError(f"card entries must be a mapping, got {type(entries).__name__}")
        return Model(self.heads, {**self.card, **entries}, self.sha256)

    @property
    def tasks(self) -> tuple[str, ...]:
        """The task names, one per head."""
        return tuple(self.heads)

    @property
    def info(self) -> ModelInfo:
        """The card's summary (see :class:`~kvclassify.results.ModelInfo`)."""
        # Any card content gives an info: a card is free-form JSON, only the file's own fields are checked.
        stated = self.card.get("format_version")
        return ModelInfo(
            name=str(self.card.get("name", "kvclassify")),
            version=str(self.card.get("version", "unversioned")),
            format_version=stated if isinstance(stated, int) and not isinstance(stated, bool) else FORMAT_VERSION,
            tasks=FrozenDict({t: h.classes_ for t, h in self.heads.items()}),
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
    @property
    def flags_commitments(self) -> bool:
        """Whether the model sets the commitment flag: it has a ``question_type`` head with ``commitment``."""
        head = self.heads.get(COMMITMENT_TASK)
        return head is not None and COMMITMENT_CLASS in head.classes_

    def classify_texts(self, texts: Sequence[str], commitment_at: float | None = None) -> list[Classification]:
        """Classify already validated texts: one tokenisation and one transform per head and pass.

        ``commitment_at``: the threshold of the commitment flag (None: no
        flag; ignored unless :attr:`flags_commitments`). A pass takes at most
        ``_TEXTS_PER_PASS`` texts, which bounds its working memory (a long
        document has tens of thousands of questions); a text's result does
        not depend on the texts it is classified with.
        """
        if not all(isinstance(t, str) for t in texts):  # cheap beside the work: a clear error, not numpy's
            raise InputError("classify_texts takes a sequence of str (kv.classify_many validates any iterable)")
        if not self.flags_commitments:
            commitment_at = None
        out: list[Classification] = []
        for start in range(0, len(texts), _TEXTS_PER_PASS):
            out.extend(self._classify_pass(texts[start : start + _TEXTS_PER_PASS], commitment_at))
        return out

    def _rows(self, texts: Sequence[str]) -> tuple[dict[str, TfidfRows], list[tuple[float, bool]]]:
        """Every head's TF-IDF rows of the texts, and the domain check (coverage, in domain).

        The texts are folded and split once, in every way of reading the form
        of address a head asks for (the domain check reads them as written).
        A few short texts take the one-text path (plain lists; see
        :func:`~kvclassify.features.one_text_path`), more the batch path: the same rows, bit for bit.
        """
        readings = self._readings
        if one_text_path(texts):
            read = clause_readings(texts, readings)
            rows = {t: h.featurizer.rows_of(read[h.featurizer.config.canonical_addressee])
                    for t, h in self.heads.items()}
            return rows, self._domain_of(read[False])
        batches = tokenize_readings(texts, readings)
        rows = {t: h.featurizer.rows(batches[h.featurizer.config.canonical_addressee]) for t, h in self.heads.items()}
        return rows, self._domain(batches[False])

    def _classify_pass(self, texts: Sequence[str], commitment_at: float | None) -> list[Classification]:
        rows_of, domain = self._rows(texts)
        # Results are built by ``map`` (the loops run in C): at ~5 µs a text they cost as much as the numbers.
        columns = []
        flag: tuple[Iterable[float | None], Iterable[bool | None]] = (repeat(None), repeat(None))
        for task, head in self.heads.items():
            p = head.probabilities(head.logits(rows_of[task]))
            rows, best = p.tolist(), p.argmax(axis=1).tolist()
            labels, scores = map(head.classes_.__getitem__, best), map(list.__getitem__, rows, best)
            columns.append(map(Prediction, labels, scores, map(FrozenDict, map(zip, repeat(head.classes_), rows))))
            if commitment_at is not None and task == COMMITMENT_TASK:
                asks = list(map(itemgetter(head.classes_.index(COMMITMENT_CLASS)), rows))
                flag = (asks, [a >= commitment_at for a in asks])
        predictions = map(FrozenDict, map(zip, repeat(self.tasks), zip(*columns)))
        coverage, in_domain = zip(*domain) if domain else ((), ())
        return list(map(Classification, predictions, coverage, in_domain, *flag))

    def _domain(self, batch: TokenBatch) -> list[tuple[float, bool]]:
        """Per text: the share of its words the model knows, and whether it looks like Dutch in-domain text."""
        # One small integer per distinct token: bit 0 a word, 1 known, 2-4 a Dutch/English/German function word.
        # Digits and the marker are not words; the look-ups run in C (``map``).
        n = len(batch.unique)
        flags = np.fromiter(map(self._word_flags.get, batch.unique, repeat(0)), dtype=np.int64, count=n) | 1
        flags[np.fromiter(map(str.isdigit, batch.unique), dtype=bool, count=n)] = 0
        flags[batch.unique.index(MARK)] = 0  # the first token, found at once
        # How many positions of each text carry each of the 32 flag values; the bits' counts are one product.
        per_value = np.bincount(batch.row * 32 + flags[batch.inv], minlength=32 * batch.n_texts)
        return list(map(_verdict, *(per_value.reshape(batch.n_texts, 32) @ _FLAG_BITS).T.tolist()))

    def _domain_of(self, texts: Sequence[list[list[str]]]) -> list[tuple[float, bool]]:
        """:meth:`_domain` of a few texts given as clauses, counted in plain Python.

        Each word's flags are one integer with a counting field per bit (``_packed``), so one ``sum`` counts
        the words, the known ones and each language's function words at once.
        """
        packed = self._packed_flags.get
        out = []
        for text in texts:
            words = [w for clause in text for w in clause]
            values = list(map(packed, words))
            if None in values:  # a word without flags: a word (1), or not one if it is a number (0)
                values = [v if v is not None else 0 if w.isdigit() else 1 for v, w in zip(values, words)]
            total = sum(values)
            out.append(_verdict(*((total >> shift) & _FIELD_MASK for shift in _FIELD_SHIFTS)))
        return out

    def explain(self, text: str, task: str, k: int = 10) -> Explanation:
        """The ``k`` terms that most separate the predicted label from the runner-up.

        A term's contribution is its value times the weight that decides
        between the two (the head kind's rule: see ``Head.decisive``).
        """
        head = self.head(task)
        x = head.featurizer.rows_for([text])
        proba = head.probabilities(head.logits(x))[0]
        order = np.argsort(-proba, kind="stable")
        best, second = int(order[0]), int(order[1])
        w, b = head.decisive(best, second)
        contrib = x.data * w[x.indices]
        vocab = head.featurizer.vocabulary
        ranked = sorted(zip(x.indices.tolist(), contrib.tolist()), key=lambda ic: (-abs(ic[1]), vocab[ic[0]]))
        return Explanation(
            task=task,
            label=head.classes_[best],
            runner_up=head.classes_[second],
            margin=float(contrib.sum() + b),
            intercept=b,
            terms=tuple(TermContribution(head.featurizer.readable(i), float(c)) for i, c in ranked[: max(int(k), 0)]),
        )
