"""Choosing features and C by cross-validation, within a time budget, recorded in the model card.

Each candidate (a feature set and a value of ``C``) is trained by
:func:`kvclassify.train` with cross-validation, so it is scored *and*
calibrated the same way as any model; the best by macro-F1 is returned as it
is, with the comparison of all candidates in ``card["search"]``.
"""

from __future__ import annotations

import math
import numbers
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import InputError
from .features import FeatureConfig
from .model import Model
from .persist import save_model
from .plain import Plain
from .schema import check_card_entries
from .training import HeadConfig, TrainConfig, train
from .writing import check_target

__all__ = ["FEATURE_SETS", "SearchCandidate", "search"]

#: The feature sets compared by default: word n-grams alone, and words with character n-grams.
FEATURE_SETS: dict[str, FeatureConfig] = {
    "words 1-2": FeatureConfig(word_ngrams=(1, 2), char_ngrams=None),
    "words 1-2 + chars 3-5": FeatureConfig(word_ngrams=(1, 2), char_ngrams=(3, 5)),
}


@dataclass(frozen=True, slots=True)
class SearchCandidate(Plain):
    """One setting tried: its feature set, ``C``, and its cross-validated macro-F1 and weighted F1."""

    features: str
    C: float
    macro_f1: float
    weighted_f1: float


def search(
    data: Any,
    *,
    label_field: str,
    text_field: str = "text",
    feature_sets: Mapping[str, FeatureConfig] | None = None,
    C_values: Sequence[float] = (1.0, 10.0),
    folds: int = 3,
    time_budget: float = 600.0,
    group_field: str | None = None,
    random_state: int = 0,
    progress: Callable[[str], None] | None = None,
    card: Mapping[str, Any] | None = None,
    out: str | os.PathLike[str] | None = None,
    encoding: str | None = None,
) -> Model:
    """Train one head per candidate setting by cross-validation and return the best, calibrated.

    Candidates are tried in order (feature sets, then ``C``) until
    ``time_budget`` seconds have passed; at least one is always tried.

    Parameters
    ----------
    data, label_field, text_field, group_field, random_state, card, encoding : as for :func:`kvclassify.train`.
    feature_sets : name -> :class:`FeatureConfig` (default :data:`FEATURE_SETS`).
    C_values : the values of ``C`` to try with every feature set.
    folds : cross-validation folds per candidate.
    time_budget : seconds after which no new candidate is started.
    progress : called with a line of text per candidate.
    out : as for :func:`kvclassify.train`: the chosen model is saved there, and a
        target that cannot be written is refused before any candidate is trained.

    Returns
    -------
    Model
        The best candidate's model; ``card["search"]`` lists every candidate
        tried, the chosen one and the candidates the budget left out.

    Examples
    --------
    >>> import kvclassify as kv
    >>> rows = [{"text": t, "flag": f} for t, f in [
    ...     ("Bent u bereid dit te onderzoeken?", "ja"), ("Wilt u de Kamer informeren?", "ja"),
    ...     ("Gaat u maatregelen nemen?", "ja"), ("Hoeveel mensen wachten?", "nee"),
    ...     ("Wat is de stand van zaken?", "nee"), ("Klopt het dat dit gebeurde?", "nee")]]
    >>> sets = {"words": kv.FeatureConfig(char_ngrams=None, min_df=1), "chars": kv.FeatureConfig(min_df=1)}
    >>> m = kv.search(rows, label_field="flag", feature_sets=sets, C_values=(1.0, 10.0), folds=2)
    >>> [(c["features"], c["C"]) for c in m.card["search"]["candidates"]]
    [('words', 1.0), ('words', 10.0), ('chars', 1.0), ('chars', 10.0)]
    """
    target = check_target(out, (data,)) if out is not None else None
    C_values = _check_search(label_field, feature_sets, C_values, time_budget)
    try:
        check_card_entries(card or {})
    except ValueError as exc:
        raise InputError(str(exc)) from None
    sets = dict(FEATURE_SETS if feature_sets is None else feature_sets)
    grid = [(name, float(c)) for name in sets for c in C_values]
    if not grid:
        raise InputError("search needs at least one feature set and one C value")
    say = progress or (lambda _msg: None)
    start = time.perf_counter()
    tried: list[SearchCandidate] = []
    best: tuple[float, Model] | None = None
    for name, c in grid:
        if tried and time.perf_counter() - start > time_budget:
            say(f"search stopped by the time budget ({time_budget:.0f}s) after {len(tried)} of {len(grid)}")
            break
        t0 = time.perf_counter()
        config = TrainConfig(head=HeadConfig(features=sets[name], C=c), validation="cv", folds=folds)
        model = train(data, text_field=text_field, label_fields=label_field, config=config,
                      group_field=group_field, random_state=random_state, encoding=encoding)
        m = model.card["metrics"]["cv"][label_field]
        tried.append(SearchCandidate(name, c, m["macro_f1"], m["weighted_f1"]))
        # Timings go to the progress only: the card stays reproducible.
        say(f"{name}, C={c:g}: macro-F1 {m['macro_f1']:.3f} ({time.perf_counter() - t0:.1f}s)")
        if best is None or m["macro_f1"] > best[0]:
            best = (m["macro_f1"], model)
    assert best is not None  # the grid is not empty and the first candidate always runs
    chosen = max(tried, key=lambda t: t.macro_f1)
    record = {
        "by": f"macro-F1 of {folds}-fold cross-validation",
        "candidates": [t.to_dict() for t in tried],
        "chosen": {"features": chosen.features, "C": chosen.C},
        "not_tried": [{"features": n, "C": c} for n, c in grid[len(tried):]],
        "time_budget": time_budget,
    }
    model = best[1].with_card({"search": record, **dict(card or {})})
    if target is not None:
        save_model(model, target)
    return model


def _check_search(label_field: Any, feature_sets: Any, C_values: Any, time_budget: Any) -> tuple[float, ...]:
    """The C values, once arguments that would search something else than asked are refused (a str of C values
    is a sequence of digits)."""
    if not isinstance(label_field, str):
        raise InputError(f"label_field must be one field name (a str), got {type(label_field).__name__}; "
                         "search tunes one head at a time")
    if feature_sets is not None and (not isinstance(feature_sets, Mapping)
                                     or not all(isinstance(f, FeatureConfig) for f in feature_sets.values())):
        raise InputError("feature_sets must map names to kv.FeatureConfig")
    if isinstance(C_values, (str, bytes)) or not isinstance(C_values, Iterable):
        raise InputError(f"C_values must be a sequence of numbers, e.g. (1.0, 10.0), got {C_values!r}")
    values = tuple(C_values)
    for c in values:
        if isinstance(c, bool) or not isinstance(c, numbers.Real) or not math.isfinite(c) or c <= 0:
            raise InputError(f"every C value must be a positive number, got {c!r}")
    if (isinstance(time_budget, bool) or not isinstance(time_budget, numbers.Real) or math.isnan(time_budget)
            or time_budget < 0):
        raise InputError(f"time_budget must be a number of seconds >= 0, got {time_budget!r}")
    return values
