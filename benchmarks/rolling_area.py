"""Rolling-origin evaluation of policy-area recipes.

For each year Y of :data:`ROLLING_YEARS` a recipe is trained on the subject
lines of the years before Y (vocabulary included) and scored on year Y: on the
lines addressed to one portfolio (addressee label) and on the lines of the
content sample (content label). Question units are scored by grouped 5-fold
cross-validation: trained on every subject line plus the units of the other
folds. Feature matrices are cached per (feature set, fold) in memory and on
disk, so a search pays for each featurizer once.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from kvclassify import FeatureConfig, Featurizer

from .rolling_data import ROLLING_YEARS, SubjectRow, UnitRow, grouped_folds
from .rolling_fit import ece, fit_linear, fit_temperature, macro_f1, share, softmax

__all__ = ["AREA_FEATURES", "AreaRecipe", "AreaBench"]

AREA_FEATURES = {
    "w12": FeatureConfig(word_ngrams=(1, 2), char_ngrams=None, min_df=2),
    "w12c55": FeatureConfig(word_ngrams=(1, 2), char_ngrams=(5, 5), min_df=2),
    # One-factor variants of the shipped features (results/rolling/experiments-v2.1.jsonl).
    "w13c55": FeatureConfig(word_ngrams=(1, 3), char_ngrams=(5, 5), min_df=2),
    "w12c56": FeatureConfig(word_ngrams=(1, 2), char_ngrams=(5, 6), min_df=2),
    "w12c55md1": FeatureConfig(word_ngrams=(1, 2), char_ngrams=(5, 5), min_df=1),
    "w12c55md3": FeatureConfig(word_ngrams=(1, 2), char_ngrams=(5, 5), min_df=3),
    "w12c55nosub": FeatureConfig(word_ngrams=(1, 2), char_ngrams=(5, 5), min_df=2, sublinear_tf=False),
    "w12c45": FeatureConfig(word_ngrams=(1, 2), char_ngrams=(4, 5), min_df=2),
    "w12c35": FeatureConfig(word_ngrams=(1, 2), char_ngrams=(3, 5), min_df=2),
    "w12c25": FeatureConfig(word_ngrams=(1, 2), char_ngrams=(2, 5), min_df=2),
}
UNIT_FOLDS = 5
UNIT_YEAR = 2024  # the age of a subject line for the unit folds is counted from here


@dataclass(frozen=True, slots=True)
class AreaRecipe:
    """One candidate of the area head."""

    features: str = "w12c45"
    solver: str = "svc"
    C: float = 0.3
    class_weight: str | None = "balanced"
    multi: str = "soft"  # multi-area subject lines: soft (1/k each) | dup (1 each) | drop
    half_life: float | None = None  # years; None: no recency weighting
    nb: float = 0.0  # weight of the centred, scaled complement-NB term
    unit_weight: float = 1.0  # weight of a question unit against a subject line

    def name(self) -> str:
        d = asdict(self)
        return " ".join(f"{k}={v}" for k, v in d.items())


class AreaBench:
    """The data and feature cache of the area evaluation."""

    def __init__(self, subjects: list[SubjectRow], units: list[UnitRow], cache_dir: Path | None = None) -> None:
        self.subjects = subjects
        self.units = [u for u in units if u.area]
        self.cache_dir = cache_dir
        self._cache: dict[tuple[str, str], tuple[Any, Any]] = {}
        self.classes = sorted({a for s in subjects for a in s.train_labels} | {u.area for u in self.units})
        self.year = np.array([s.year for s in subjects])
        self.unit_folds = grouped_folds([u.area for u in self.units], [u.group for u in self.units], UNIT_FOLDS)

    # -- features ------------------------------------------------------------
    def _train_texts(self, fold: str) -> list[str]:
        if fold.startswith("Y"):
            y = int(fold[1:])
            return [s.text for s in self.subjects if s.year < y]
        test = set(self.unit_folds[int(fold[1:])].tolist())
        return [s.text for s in self.subjects] + [u.text for i, u in enumerate(self.units) if i not in test]

    def matrices(self, features: str, fold: str) -> tuple[Any, Any]:
        """TF-IDF of every subject line and every unit under the featurizer fitted on ``fold``'s training texts."""
        key = (features, fold)
        if key in self._cache:
            return self._cache[key]
        path = None
        if self.cache_dir is not None:
            tag = hashlib.sha1(repr((AREA_FEATURES[features].to_dict(), fold, len(self.subjects))).encode()).hexdigest()
            path = self.cache_dir / f"area-{features}-{fold}-{tag[:10]}.pkl"
            if path.exists():
                self._cache[key] = pickle.loads(path.read_bytes())
                return self._cache[key]
        f = Featurizer.fit(self._train_texts(fold), AREA_FEATURES[features])
        mats = (f.transform([s.text for s in self.subjects]), f.transform([u.text for u in self.units]))
        if path is not None:
            path.write_bytes(pickle.dumps(mats))
        self._cache[key] = mats
        return mats

    # -- training rows ---------------------------------------------------------
    def _subject_rows(self, idx: np.ndarray, r: AreaRecipe, ref_year: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows, ys, ws = [], [], []
        for i in idx:
            labels = self.subjects[i].train_labels
            if not labels or (r.multi == "drop" and len(labels) > 1):
                continue
            w = 1.0 / len(labels) if r.multi == "soft" else 1.0
            if r.half_life:
                w *= 0.5 ** ((ref_year - 1 - self.subjects[i].year) / r.half_life)
            for a in labels:
                rows.append(i)
                ys.append(self.classes.index(a))
                ws.append(w)
        return np.array(rows), np.array(ys), np.array(ws)

    def _fit(self, x, y: np.ndarray, w: np.ndarray, r: AreaRecipe) -> tuple[np.ndarray, np.ndarray]:
        return fit_linear(x, y, w, r.solver, r.C, r.class_weight, r.nb)

    # -- evaluation ------------------------------------------------------------
    def year_fold(self, r: AreaRecipe, y: int) -> dict[str, Any]:
        """Train on the years before ``y``, score year ``y``; returns scores and the logits of its rows."""
        xs, _ = self.matrices(r.features, f"Y{y}")
        rows, ys, ws = self._subject_rows(np.flatnonzero(self.year < y), r, y)
        coef, b = self._fit(xs[rows], ys, ws, r)
        test = np.flatnonzero(self.year == y)
        z = xs[test] @ coef + b
        pred = [self.classes[k] for k in z.argmax(axis=1)]
        addr = [j for j, i in enumerate(test) if len(self.subjects[i].addressee) == 1]
        cont = [j for j, i in enumerate(test) if self.subjects[i].content]
        any_of = [j for j, i in enumerate(test) if len(self.subjects[i].addressee) > 1]
        gold_a = [self.subjects[test[j]].addressee[0] for j in addr]
        gold_c = [self.subjects[test[j]].content for j in cont]
        return {
            "year": y,
            "n_addressee": len(addr),
            "n_content": len(cont),
            "addressee_f1": macro_f1(gold_a, [pred[j] for j in addr]),
            "addressee_acc": share([g == pred[j] for g, j in zip(gold_a, addr)]),
            "content_f1": macro_f1(gold_c, [pred[j] for j in cont]),
            "content_acc": share([g == pred[j] for g, j in zip(gold_c, cont)]),
            "any_of_acc": share([pred[j] in self.subjects[test[j]].addressee for j in any_of]),
            "_logits": z[addr],
            "_gold": np.array([self.classes.index(g) for g in gold_a]),
        }

    def unit_fold(self, r: AreaRecipe, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Train on all subject lines and the other folds' units; (test indices, logits of the test units)."""
        xs, xu = self.matrices(r.features, f"U{k}")
        rows, ys, ws = self._subject_rows(np.arange(len(self.subjects)), r, UNIT_YEAR)
        test = self.unit_folds[k]
        train_u = np.setdiff1d(np.arange(len(self.units)), test)
        from scipy.sparse import vstack

        x = vstack([xs[rows], xu[train_u]]) if r.unit_weight else xs[rows]
        y = np.concatenate([ys, [self.classes.index(self.units[i].area) for i in train_u]]) if r.unit_weight else ys
        w = np.concatenate([ws, np.full(len(train_u), r.unit_weight)]) if r.unit_weight else ws
        coef, b = self._fit(x, y, w, r)
        return test, xu[test] @ coef + b

    def unit_scores(self, r: AreaRecipe, n_jobs: int = 2) -> dict[str, Any]:
        """Macro-F1 and accuracy of the question units' areas, pooled over the grouped folds."""
        from joblib import Parallel, delayed

        for k in range(UNIT_FOLDS):
            self.matrices(r.features, f"U{k}")
        out = Parallel(n_jobs=n_jobs, backend="threading")(delayed(self.unit_fold)(r, k) for k in range(UNIT_FOLDS))
        gold = [self.units[i].area for test, _ in out for i in test]
        pred = [self.classes[j] for _, z in out for j in z.argmax(axis=1)]
        return {"unit_f1": macro_f1(gold, pred), "unit_acc": share([g == p for g, p in zip(gold, pred)])}

    def evaluate(self, r: AreaRecipe, units: bool = True, n_jobs: int = 2) -> dict[str, Any]:
        """Per-year scores, their mean and spread, out-of-year calibration and (optionally) the unit CV."""
        from joblib import Parallel, delayed

        for y in ROLLING_YEARS:  # features first, serially: the parallel fits then share the cache
            self.matrices(r.features, f"Y{y}")
        years = Parallel(n_jobs=n_jobs, backend="threading")(delayed(self.year_fold)(r, y) for y in ROLLING_YEARS)
        # Calibration out of year: the temperature of year Y is fitted on the other years' logits.
        for i, fy in enumerate(years):
            others = [o for j, o in enumerate(years) if j != i]
            t = fit_temperature(np.vstack([o["_logits"] for o in others]), np.concatenate([o["_gold"] for o in others]))
            fy["temperature"] = t
            fy["ece"] = ece(softmax(fy["_logits"] / t), fy["_gold"])
            fy["ece_at_1"] = ece(softmax(fy["_logits"]), fy["_gold"])
        result: dict[str, Any] = {"recipe": asdict(r), "years": [{k: v for k, v in fy.items() if not k.startswith("_")} for fy in years]}
        for m in ("addressee_f1", "content_f1", "addressee_acc", "content_acc", "any_of_acc", "ece"):
            vals = [fy[m] for fy in years if fy[m] == fy[m]]  # NaN: the year has no such rows
            if vals:
                result[m] = {"mean": float(np.mean(vals)), "sd": float(np.std(vals, ddof=1)), "min": float(min(vals))}
        if units:
            result.update(self.unit_scores(r, n_jobs))
        return result


def variants(base: AreaRecipe, **options: list[Any]) -> list[AreaRecipe]:
    """``base`` with one field changed at a time (a greedy step)."""
    return [replace(base, **{k: v}) for k, values in options.items() for v in values if getattr(base, k) != v]
