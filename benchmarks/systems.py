"""The systems compared: one small adapter per system, all with ``fit(texts, labels)`` / ``predict(texts)``.

Adding a peer is a subclass of :class:`System` and one entry in :data:`SYSTEMS`.
A system with ``recipe = True`` is fitted on the shipped recipe's rows (labels
may be lists — soft multi-label rows — and rows carry weights); every other
system on plain rows with one label each (see :mod:`benchmarks.data`).
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import kvclassify as kv

__all__ = ["System", "Majority", "CueRules", "TfidfLR", "FastText", "KvShipped", "KvRetrained", "SYSTEMS"]

Label = str | list[str]


class System:
    """A classifier for one task. ``fit`` returns ``self``; ``fit_seconds`` is set by :meth:`fit`."""

    name: ClassVar[str]
    tasks: ClassVar[tuple[str, ...]] = ("question_type", "policy_area")
    recipe: ClassVar[bool] = False

    def __init__(self, task: str) -> None:
        self.task = task
        self.fit_seconds = 0.0

    def fit(self, texts: Sequence[str], labels: Sequence[Label], weights: Sequence[float] | None = None) -> System:
        t0 = time.perf_counter()
        self._fit(texts, labels, weights)
        self.fit_seconds = time.perf_counter() - t0
        return self

    def _fit(self, texts: Sequence[str], labels: Sequence[Label], weights: Sequence[float] | None) -> None:
        raise NotImplementedError

    def predict(self, texts: Sequence[str]) -> list[str]:
        raise NotImplementedError


class Majority(System):
    """The most frequent training class, always."""

    name = "majority"

    def _fit(self, texts: Sequence[str], labels: Sequence[Label], weights: Sequence[float] | None) -> None:
        self.label = Counter(labels).most_common(1)[0][0]

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [self.label] * len(texts)


# Openings from ../shared/guidelines/question-types.md; factual is the default.
_CUES = {
    "commitment": r"bent u bereid|bent u voornemens|\bwilt u\b|\bgaat u\b|\bzult u\b|kunt u toezeggen|"
                  r"welke maatregelen gaat u|wat gaat u doen|welke stappen (?:gaat|kunt) u",
    "opinion": r"deelt u de (?:mening|opvatting|zorg)|wat vindt u|hoe (?:beoordeelt|waardeert|duidt) u|"
               r"hoe kijkt u aan tegen|vindt u het|onderschrijft u|wat is uw reactie|hoe reageert u|"
               r"\berkent u\b|kunt u reageren|welke mogelijkheden ziet u",
}


class CueRules(System):
    """Cue phrases of the annotation guideline, with its precedence commitment > opinion > factual."""

    name = "cue rules"
    tasks = ("question_type",)
    _patterns = {label: re.compile(pattern) for label, pattern in _CUES.items()}

    def _fit(self, texts: Sequence[str], labels: Sequence[Label], weights: Sequence[float] | None) -> None:
        pass  # rules are written, not learned

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [
            next((label for label, p in self._patterns.items() if p.search(t.lower())), "factual") for t in texts
        ]


class TfidfLR(System):
    """Plain TF-IDF word 1–2-grams + LogisticRegression, scikit-learn defaults."""

    name = "tf-idf + LR"

    def _fit(self, texts: Sequence[str], labels: Sequence[Label], weights: Sequence[float] | None) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        self.pipeline = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(max_iter=1000))
        self.pipeline.fit(list(texts), list(labels))

    def predict(self, texts: Sequence[str]) -> list[str]:
        return list(self.pipeline.predict(list(texts)))


class FastText(System):
    """fastText supervised with its usual settings (subwords, word bigrams), one thread, fixed seed."""

    name = "fastText"
    params: ClassVar[dict[str, Any]] = dict(epoch=25, lr=0.5, wordNgrams=2, minn=3, maxn=6, dim=100, thread=1, seed=0)

    @staticmethod
    def prepare(text: str) -> str:
        """fastText reads one example per line and does not fold case."""
        return " ".join(text.lower().split())

    def _fit(self, texts: Sequence[str], labels: Sequence[Label], weights: Sequence[float] | None) -> None:
        import fasttext

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "train.txt"
            path.write_text("".join(f"__label__{c} {self.prepare(t)}\n" for t, c in zip(texts, labels)), "utf-8")
            self.model = fasttext.train_supervised(input=str(path), verbose=0, **self.params)

    def predict(self, texts: Sequence[str]) -> list[str]:
        labels, _ = self.model.predict([self.prepare(t) for t in texts], k=1)
        return [lab[0].removeprefix("__label__") for lab in labels]


class KvShipped(System):
    """kvclassify's shipped model as it is (no fitting); ``model_path`` benchmarks another model file instead."""

    name = "kvclassify shipped"
    model_path: ClassVar[Path | None] = None  # set once by ``python -m benchmarks --model``

    def _fit(self, texts: Sequence[str], labels: Sequence[Label], weights: Sequence[float] | None) -> None:
        pass

    def predict(self, texts: Sequence[str]) -> list[str]:
        return kv.load_model(self.model_path).heads[self.task].predict(list(texts))


class KvRetrained(System):
    """kvclassify retrained from scratch by ``kv.train`` with the shipped recipe's settings (one head)."""

    name = "kvclassify retrained"
    recipe = True
    # min_examples=1: the learning curve's small samples may hold a class once; the full data is unaffected.
    # One hold-out instead of the recipe's 5 folds: only the labels are scored, and the benchmark stays short.
    config = dataclasses.replace(kv.SHIPPED_CONFIG, min_examples=1, validation="holdout")

    def _fit(self, texts: Sequence[str], labels: Sequence[Label], weights: Sequence[float] | None) -> None:
        w = list(weights) if weights is not None else [1.0] * len(texts)
        records = [{"text": t, self.task: lab, "weight": x} for t, lab, x in zip(texts, labels, w)]
        self.model = kv.train(
            records, label_fields=self.task, config=self.config, weight_fields={self.task: "weight"}, random_state=0
        )

    def predict(self, texts: Sequence[str]) -> list[str]:
        return self.model.heads[self.task].predict(list(texts))


SYSTEMS: dict[str, type[System]] = {s.name: s for s in (Majority, CueRules, TfidfLR, FastText, KvShipped, KvRetrained)}
