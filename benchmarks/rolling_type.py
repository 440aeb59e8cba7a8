"""Evaluation of question-type recipes: grouped cross-validation, a forward split, third-person rewrites.

Every recipe is scored on

* 5-fold cross-validation grouped by document (a document's units stay in one fold),
* the forward split: trained on the units of documents before 2024 or of
  unknown year, scored on the units of documents of 2024 and later,
* the held-out units rewritten from "u" into the third person
  (:func:`kvclassify.third_person`, the four subjects in turn): the
  macro-F1 on the rewritten units and the share whose type the rewrite keeps,
* the commitment flag: the out-of-fold probability that a unit asks for a
  commitment, its precision at recall 0.90 and 0.95.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from kvclassify import (
    THIRD_PERSON_SUBJECTS,
    TYPE_PRECEDENCE,
    FeatureConfig,
    Featurizer,
    PrecedenceHead,
    SoftmaxHead,
    canonical_addressee,
    fit_temperature,
    flag_thresholds,
    third_person,
)

from .rolling_data import FORWARD_YEAR, UnitRow, grouped_folds
from .rolling_fit import fit_linear, macro_f1

__all__ = ["TypeRecipe", "TypeBench"]

CLASSES = sorted(TYPE_PRECEDENCE)
SUBJECTS = tuple(THIRD_PERSON_SUBJECTS)


@dataclass(frozen=True, slots=True)
class TypeRecipe:
    """One candidate of the question-type head (the defaults are the shipped v1 head)."""

    word: tuple[int, int] = (1, 3)
    clause_start: int = 2
    solver: str = "logreg"
    C: float = 10.0
    class_weight: str | None = "balanced"
    form: str = "precedence"  # precedence ("asks for" chain) | ovr (primary, one-vs-rest) | multinomial
    compose: float = 0.0  # extra composed units, as a share of the training units
    third_person: int = 0  # third-person copies of each "u" unit (0: none; 4: one per subject)
    third_person_weight: float = 1.0  # total weight of a unit's third-person copies
    grouped_df: bool = False  # document frequencies count a unit and its copies once
    canonical: bool = False  # every text (trained and scored) read with one canonical addressee

    def features(self) -> FeatureConfig:
        return FeatureConfig(word_ngrams=self.word, char_ngrams=None, clause_start=self.clause_start, min_df=2)


def _augment(
    units: list[UnitRow], r: TypeRecipe, seed: int
) -> tuple[list[str], list[tuple[str, ...]], np.ndarray, list[str]]:
    """Training texts, label sets and weights (the units, composed units and third-person copies).

    Also the texts the vocabulary is fitted on: one per unit, its variants
    joined, so that a copy does not double the document frequency of the
    unit's rare n-grams (with ``min_df=2`` it would admit them all).
    """
    rng = random.Random(seed)
    variants: list[list[str]] = [[u.text] for u in units]
    texts = [u.text for u in units]
    sets = [u.types for u in units]
    weights = [1.0] * len(units)
    if r.compose:
        # A short one-question unit appended to another unit, as a sub-question: the union of their types.
        short = [u for u in units if u.text.count("?") == 1 and len(u.text) < 160]
        for _ in range(int(r.compose * len(units))):
            a, b = rng.choice(units), rng.choice(short)
            texts.append(f"{a.text} {b.text}")
            sets.append(tuple(sorted(set(a.types) | set(b.types))))
            weights.append(1.0)
    if r.third_person:
        for u, seen in zip(units, variants):
            subjects = SUBJECTS if r.third_person >= len(SUBJECTS) else rng.sample(SUBJECTS, r.third_person)
            for s in subjects:
                t = third_person(u.text, s)
                if t != u.text:
                    texts.append(t)
                    sets.append(u.types)
                    weights.append(r.third_person_weight / len(subjects))
                    seen.append(t)
    vocabulary = [u.text if not r.grouped_df else "\n\n".join(v) for u, v in zip(units, variants)]
    return texts, sets, np.array(weights), vocabulary


def _primary(types: tuple[str, ...]) -> str:
    return min(types, key=TYPE_PRECEDENCE.index)


class _Fitted:
    """A fitted type head of one split: featurizer and linear map."""

    def __init__(self, train: list[UnitRow], r: TypeRecipe, seed: int = 0) -> None:
        texts, sets, w, vocabulary = _augment(train, r, seed)
        if r.canonical:
            texts = [canonical_addressee(t) for t in texts]
            vocabulary = [canonical_addressee(t) for t in vocabulary]
        self.recipe = r
        self.featurizer = Featurizer.fit(vocabulary if r.grouped_df else texts, r.features())
        x = self.featurizer.transform(texts)
        if r.form == "precedence":
            outputs = [np.array([c in s for s in sets], dtype=np.int64) for c in TYPE_PRECEDENCE[:-1]]
        elif r.form == "ovr":
            outputs = [np.array([_primary(s) == c for s in sets], dtype=np.int64) for c in CLASSES]
        else:
            outputs = [np.array([CLASSES.index(_primary(s)) for s in sets])]
        parts = [fit_linear(x, y, w, r.solver, r.C, r.class_weight) for y in outputs]
        coef, intercept = np.hstack([c for c, _ in parts]), np.concatenate([b for _, b in parts])
        self.head: PrecedenceHead | SoftmaxHead = (
            PrecedenceHead("question_type", CLASSES, self.featurizer, coef, intercept, precedence=TYPE_PRECEDENCE)
            if r.form == "precedence"
            else SoftmaxHead("question_type", CLASSES, self.featurizer, coef, intercept)
        )

    def logits(self, texts: list[str]) -> np.ndarray:
        if self.recipe.canonical:
            texts = [canonical_addressee(t) for t in texts]
        return self.head.decision_function(texts)


def _at_recall(p: np.ndarray, asks: np.ndarray, recall: float) -> dict[str, float]:
    t = flag_thresholds(p, asks, min_recall=recall)
    return {"threshold": t.threshold, "precision": t.precision, "recall": t.recall}


class TypeBench:
    """The units and splits of the type evaluation."""

    def __init__(self, units: list[UnitRow]) -> None:
        self.units = units
        self.folds = grouped_folds([u.primary for u in units], [u.group for u in units], 5)
        self.forward_test = np.array([u.year is not None and u.year >= FORWARD_YEAR for u in units])
        # Each held-out unit in the third person, the four subjects in turn.
        self.rewritten = [third_person(u.text, SUBJECTS[i % len(SUBJECTS)]) for i, u in enumerate(units)]
        self.changed = np.array([t != u.text for t, u in zip(self.rewritten, units)])

    def _split(self, r: TypeRecipe, test: np.ndarray) -> tuple[np.ndarray, np.ndarray, PrecedenceHead | SoftmaxHead]:
        """Logits of the test units as they are and rewritten, from a head trained on the rest."""
        mask = np.zeros(len(self.units), dtype=bool)
        mask[test] = True
        head = _Fitted([u for u, m in zip(self.units, mask) if not m], r)
        return head.logits([self.units[i].text for i in test]), head.logits([self.rewritten[i] for i in test]), head.head

    def evaluate(self, r: TypeRecipe, n_jobs: int = 2) -> dict[str, Any]:
        """Cross-validated, forward and third-person scores and the commitment flag of a recipe."""
        from joblib import Parallel, delayed

        splits = [*self.folds, np.flatnonzero(self.forward_test)]
        out = Parallel(n_jobs=n_jobs, backend="threading")(delayed(self._split)(r, t) for t in splits)
        n = len(self.units)
        z, z3 = np.zeros((n, out[0][0].shape[1])), np.zeros((n, out[0][0].shape[1]))
        for test, (zo, zr, _) in zip(self.folds, out):
            z[test], z3[test] = zo, zr
        gold = np.array([CLASSES.index(u.primary) for u in self.units])
        head = out[0][2]  # the kind's probabilities, the same for every split's head
        t = fit_temperature(lambda t: head.probabilities(z, t), gold)
        p, p3 = head.probabilities(z, t), head.probabilities(z3, t)
        pred, pred3 = p.argmax(axis=1), p3.argmax(axis=1)
        names = np.array(CLASSES)
        ch = self.changed
        fw = self.forward_test
        fz, fz3, _ = out[-1]
        fp = head.probabilities(fz, t)
        fpred, fpred3 = fp.argmax(axis=1), head.probabilities(fz3, t).argmax(axis=1)
        fch = ch[fw]
        commit = CLASSES.index("commitment")
        asks = np.array(["commitment" in u.types for u in self.units])
        pc = p[:, commit]
        return {
            "recipe": asdict(r),
            "temperature": t,
            "cv_f1": macro_f1(names[gold], names[pred]),
            "cv_acc": float(np.mean(gold == pred)),
            "cv_f1_u_units": macro_f1(names[gold[ch]], names[pred[ch]]),
            "cv_f1_third_person": macro_f1(names[gold[ch]], names[pred3[ch]]),
            "third_person_kept": float(np.mean(pred[ch] == pred3[ch])),
            "n_third_person": int(ch.sum()),
            "forward_n": int(fw.sum()),
            "forward_f1": macro_f1(names[gold[fw]], names[fpred]),
            "forward_f1_third_person": macro_f1(names[gold[fw][fch]], names[fpred3[fch]]),
            "commitment_p_at_r90": _at_recall(pc, asks, 0.90),
            "commitment_p_at_r95": _at_recall(pc, asks, 0.95),
            "commitment_forward_p_at_r90": _at_recall(fp[:, commit], asks[fw], 0.90),
            "_p_commitment": pc,
            "_asks": asks,
        }
