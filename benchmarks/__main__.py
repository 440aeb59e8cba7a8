"""``python -m benchmarks``: accuracy, speed, learning curve and parsing of kvclassify next to its peers.

Writes ``results.json``, ``REPORT.md`` and PNG plots to ``--out``.
"""

from __future__ import annotations

import os

# One core: set before numpy is imported here or in any fresh process started by the benchmark.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import kvclassify as kv  # noqa: E402

from .accuracy import evaluate, fit_systems, learning_curve, learning_sizes  # noqa: E402
from .data import DEFAULT_DATA_DIR, TASKS, TrainSet, dev_sets, eval_file, plain_train_set, recipe_train_set  # noqa: E402
from .documents import evaluate_document_areas  # noqa: E402
from .parsing import evaluate_parser  # noqa: E402
from .report import write_report  # noqa: E402
from .rolling import run_rolling, write_rolling  # noqa: E402
from .speed import run_speed  # noqa: E402
from .systems import KvShipped, System  # noqa: E402

ALL_TASKS = (*TASKS, "speed", "learning", "parsing", "documents")
SLOW_TASKS = ("rolling",)  # run only when named: about 15 minutes on 2 cores
QUICK_TRAIN_LIMIT = 3000  # rows per task in --quick


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small training subsets and workloads (< 2 min)")
    parser.add_argument("--tasks", nargs="+", choices=ALL_TASKS + SLOW_TASKS, default=list(ALL_TASKS))
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--eval", type=Path, help="score the systems on this JSONL file instead of the dev splits")
    parser.add_argument("--task", choices=TASKS, help="the label field --eval scores")
    parser.add_argument("--model", type=Path, help="benchmark this .kvc file instead of the shipped model")
    parser.add_argument("--out", type=Path, help="output folder (default benchmarks/results, or .../eval-NAME for --eval)")
    args = parser.parse_args(argv)
    if args.eval and not args.task:
        parser.error("--eval needs --task")
    tasks = [args.task] if args.eval else args.tasks
    results_dir = Path(__file__).resolve().parent / "results"
    out = args.out or (results_dir / f"eval-{args.eval.stem}" if args.eval else results_dir)
    data_dir = args.data_dir.resolve()
    if not (data_dir / "questions").is_dir():
        parser.error(f"--data-dir {data_dir}: no shared data there (questions/, subjects/, documents/); "
                     "put ../shared beside the repository or pass --data-dir")
    KvShipped.model_path = args.model
    start = time.perf_counter()

    def progress(msg: str) -> None:
        print(f"[{time.perf_counter() - start:6.1f}s] {msg}", flush=True)

    limit = QUICK_TRAIN_LIMIT if args.quick else None
    trains: dict[str, tuple[TrainSet, TrainSet]] = {}
    fitted: dict[str, dict[str, System]] = {}

    def systems(task: str) -> dict[str, System]:
        """All systems of a task, fitted once and shared by accuracy, speed and the learning curve."""
        if task not in fitted:
            trains[task] = plain_train_set(data_dir, task, limit), recipe_train_set(data_dir, task, limit)
            fitted[task] = fit_systems(task, *trains[task], progress)
        return fitted[task]

    results: dict[str, Any] = {
        "command": " ".join(["python -m benchmarks", *(argv if argv is not None else sys.argv[1:])]),
        "quick": args.quick,
        "data_dir": str(data_dir),
        "model": {"path": str(args.model or kv.shipped_model_path()), **_model_info(args.model)},
        "platform": {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count()},
        "accuracy": {},
    }
    for task in (t for t in tasks if t in TASKS):
        progress(f"accuracy: {task}")
        evals = [eval_file(args.eval, task)] if args.eval else dev_sets(data_dir, task)
        task_systems = systems(task)
        if not args.eval:
            # The shipped model is trained on the dev splits too: "kvclassify retrained" (the same recipe on
            # train only) stands for it there; --eval FILE (data no model has seen) scores both.
            task_systems = {name: s for name, s in task_systems.items() if name != KvShipped.name}
        results["accuracy"][task] = {
            "train_rows": {"plain": len(trains[task][0]), "recipe": len(trains[task][1])},
            "sets": {ev.name: {"n": len(ev.texts), "any_of_n": len(ev.any_of_texts)} for ev in evals},
            "systems": {name: {ev.name: evaluate(s, ev, task) for ev in evals} for name, s in task_systems.items()},
        }
    if "learning" in tasks:
        results["learning"] = {}
        for task in TASKS:
            progress(f"learning curve: {task}")
            full = systems(task)["kvclassify retrained"]
            recipe = trains[task][1]
            sizes = learning_sizes(len(recipe), 3 if args.quick else 5)
            results["learning"][task] = learning_curve(task, recipe, dev_sets(data_dir, task), sizes, progress, full)
    if "speed" in tasks:
        fasttext = {t: systems(t)["fastText"] for t in TASKS}
        train_s = {t: {n: round(s.fit_seconds, 2) for n, s in systems(t).items()} for t in TASKS}
        results["speed"] = run_speed(data_dir, fasttext, train_s, progress, args.quick, args.model)
    if "parsing" in tasks:
        progress("parsing")
        results["parsing"] = evaluate_parser(data_dir / "documents")
    if "documents" in tasks:
        progress("document-level policy area")
        results["documents"] = evaluate_document_areas(data_dir / "documents", args.model)
    if "rolling" in tasks:
        rolling = run_rolling(data_dir, progress, results_dir / "rolling")
        rolling_paths = write_rolling(rolling, results_dir / "rolling")
        progress(f"wrote {', '.join(str(p) for p in rolling_paths)}")
        if set(tasks) == {"rolling"}:
            return 0
    results["wall_seconds"] = round(time.perf_counter() - start, 1)
    paths = write_report(results, out)
    progress(f"wrote {', '.join(str(p) for p in paths)}")
    return 0


def _model_info(path: Path | None) -> dict[str, Any]:
    info = kv.load_model(path).info
    return {"name": info.name, "version": info.version, "sha256": info.sha256}


if __name__ == "__main__":
    raise SystemExit(main())
