"""Where the time of ``classify_many`` goes, stage by stage, measured through the public API.

A profiler watches one call of ``kv.classify_many``; the time of every
function (numpy's included) is charged to the first kvclassify function up
its call chain, and that function to its stage of the data flow.
"""

from __future__ import annotations

import cProfile
import pstats
import statistics
from collections.abc import Sequence
from typing import Any

import kvclassify as kv

__all__ = ["STAGES", "stage_profile"]

#: The stage of each kvclassify module, or of one function of it (``module.function``), in flow order.
STAGES: dict[str, str] = {
    "tokens": "tokenising (fold, split, canonical reading)",
    "addressee": "tokenising (fold, split, canonical reading)",
    "model._domain": "domain check",
    "model._domain_of": "domain check",
    "model._verdict": "domain check",
    "feature_kinds": "n-gram look-up",
    "ngrams": "n-gram look-up",
    "features._rows": "TF-IDF rows",
    "features._tf": "TF-IDF rows",
    "features._values": "TF-IDF rows",
    "features._counted": "TF-IDF rows",
    "features.rows": "TF-IDF rows",
    "features.rows_of": "TF-IDF rows",
    "features.dot": "products with the weights",
    "heads.logits": "products with the weights",
    "heads": "probabilities",
    "model": "result objects",
    "results": "result objects",
}
_OTHER = "checks and the rest"
_PACKAGE = "/kvclassify/"


def _stage(key: tuple[str, int, str]) -> str | None:
    """The stage of a kvclassify function, None for any other function."""
    path, _, name = key
    if _PACKAGE not in path:
        return None
    module = path.rsplit(_PACKAGE, 1)[1].removesuffix(".py").replace("/", ".")
    return STAGES.get(f"{module}.{name}", STAGES.get(module, _OTHER))


def stage_profile(texts: Sequence[str], model: kv.Model, repeats: int = 3) -> dict[str, Any]:
    """Milliseconds per 1,000 texts of each stage, and its share: the median over ``repeats`` profiled calls.

    The steady state: one call first, unprofiled, builds what a fresh model
    builds on its first large batch (the weights one output pair a row); the
    median keeps one call's garbage collection of a large process from
    standing for the stage it fell in.
    """
    kv.classify_many(texts, model=model)
    runs = [_profiled_seconds(texts, model) for _ in range(repeats)]
    order = list(dict.fromkeys([*STAGES.values(), _OTHER]))
    seconds = {s: statistics.median(run.get(s, 0.0) for run in runs) for s in order if any(s in run for run in runs)}
    total = sum(seconds.values())
    return {
        "texts": len(texts),
        "repeats": repeats,
        "total_ms_per_1000": round(total / len(texts) * 1e6, 2),
        "stages": [
            {"stage": s, "ms_per_1000": round(v / len(texts) * 1e6, 2), "share": round(v / total, 3)}
            for s, v in seconds.items()
        ],
    }


def _profiled_seconds(texts: Sequence[str], model: kv.Model) -> dict[str, float]:
    """Seconds of each stage in one profiled ``classify_many``."""
    profiler = cProfile.Profile()
    profiler.enable()
    kv.classify_many(texts, model=model)
    profiler.disable()
    stats: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    memo: dict[Any, dict[str, float]] = {}

    def shares(key: Any, depth: int = 0) -> dict[str, float]:
        """How one second of ``key``'s own time divides among stages (through its callers, if not ours)."""
        own = _stage(key)
        if own is not None:
            return {own: 1.0}
        if key in memo:
            return memo[key]
        memo[key] = {_OTHER: 1.0}  # a cycle or an unknown caller: the rest
        callers = stats[key][4]
        total = sum(c[3] for c in callers.values())
        if depth > 50 or not callers or total <= 0:
            return memo[key]
        out: dict[str, float] = {}
        for caller, c in callers.items():
            for stage, part in shares(caller, depth + 1).items():
                out[stage] = out.get(stage, 0.0) + part * c[3] / total
        memo[key] = out
        return out

    seconds: dict[str, float] = {}
    for key, (_, _, own_time, _, _) in stats.items():
        for stage, part in shares(key).items():
            seconds[stage] = seconds.get(stage, 0.0) + own_time * part
    return seconds
