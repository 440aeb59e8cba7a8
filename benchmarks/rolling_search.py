"""``python -m benchmarks.rolling_search area|type``: the greedy search behind the shipped recipe.

One factor at a time from the current recipe, keep what raises the mean
rolling score, then the next factor; every candidate's scores are appended
to a JSON Lines log (the search is resumable: logged candidates are not rerun).
Slow (tens of minutes on 2 cores); ``python -m benchmarks --tasks rolling``
only re-scores the winner and its rivals.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from .data import DEFAULT_DATA_DIR
from .rolling_area import AreaBench, AreaRecipe
from .rolling_data import subject_rows, unit_rows

__all__ = ["greedy", "main"]


def _area_score(res: dict[str, Any]) -> float:
    """Subject lines by addressee and by content count equally; units when measured."""
    parts = [res["addressee_f1"]["mean"], res["content_f1"]["mean"]]
    return sum(parts) / len(parts)


def _type_score(res: dict[str, Any]) -> float:
    return res["cv_f1"]


def greedy(
    start: Any,
    steps: list[dict[str, list[Any]]],
    run: Callable[[Any], dict[str, Any]],
    score: Callable[[dict[str, Any]], float],
    log: Path,
) -> Any:
    """Walk ``steps`` (each: field -> values tried from the current best), keeping every improvement."""
    done = {}
    if log.exists():
        for line in log.read_text().splitlines():
            rec = json.loads(line)
            done[json.dumps(rec["recipe"], sort_keys=True)] = rec

    def scored(r: Any) -> float:
        key = json.dumps(asdict(r), sort_keys=True)
        if key not in done:
            t0 = time.perf_counter()
            res = run(r)
            res["seconds"] = round(time.perf_counter() - t0, 1)
            done[key] = res
            with log.open("a") as fh:
                fh.write(json.dumps({k: v for k, v in res.items() if not k.startswith("_")}) + "\n")
        s = score(done[key])
        print(f"{s:.4f}  {r}", flush=True)
        return s

    best, best_s = start, scored(start)
    for step in steps:
        for field, values in step.items():
            for v in values:
                if getattr(best, field) == v:
                    continue
                cand = replace(best, **{field: v})
                s = scored(cand)
                if s > best_s + 1e-4:
                    best, best_s = cand, s
        print(f"== after {list(step)}: {best_s:.4f} {best}", flush=True)
    return best


AREA_STEPS = [
    {"C": [0.1, 1.0]},
    {"class_weight": [None]},
    {"features": ["w12c35"]},
    {"multi": ["dup"]},
    {"half_life": [6.0]},
    {"nb": [1.0]},
]
TYPE_STEPS = [
    {"clause_start": [3, 4]},
    {"word": [(1, 2)]},
    {"solver": ["svc"]},
    {"C": [3.0, 30.0, 100.0]},
    {"form": ["ovr", "multinomial"]},
    {"compose": [0.5]},
    {"third_person": [1, 4]},
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.rolling_search", description=__doc__)
    parser.add_argument("head", choices=["area", "type"])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--log", type=Path, required=True, help="JSON Lines log of every candidate")
    parser.add_argument("--cache", type=Path, help="folder for cached feature matrices")
    args = parser.parse_args(argv)
    data = args.data_dir.resolve()
    if args.head == "area":
        bench = AreaBench(subject_rows(data), unit_rows(data), args.cache)
        best = greedy(AreaRecipe(), AREA_STEPS, lambda r: bench.evaluate(r, units=False), _area_score, args.log)
    else:
        from .rolling_type import TypeBench, TypeRecipe

        tb = TypeBench(unit_rows(data))
        best = greedy(TypeRecipe(), TYPE_STEPS, tb.evaluate, _type_score, args.log)
    print("best:", best)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
