"""One measurement in a fresh process: ``python -m benchmarks.probe KIND ARG...`` prints one JSON line.

Kept free of top-level imports of numpy and kvclassify so that import time
is part of what is measured. Memory is the process's high-water mark
(``VmHWM``), read before and after the workload.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

__all__ = ["high_water_mb", "main"]


def high_water_mb(pid: int | str = "self") -> float:
    """Peak resident set size of a process so far, in MiB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/<pid>/status")


def _load_kv(args: list[str]) -> dict[str, Any]:
    """``args``: the model file, or empty for the shipped model."""
    t0 = time.perf_counter()
    import kvclassify as kv

    t1 = time.perf_counter()
    kv.load_model(args[0] if args else None)
    t2 = time.perf_counter()
    return {"import_and_load_s": t2 - t0, "load_s": t2 - t1, "peak_mb": high_water_mb()}


def _load_fasttext(paths: list[str]) -> dict[str, Any]:
    t0 = time.perf_counter()
    import fasttext

    t1 = time.perf_counter()
    for p in paths:
        fasttext.load_model(p)
    t2 = time.perf_counter()
    return {"import_and_load_s": t2 - t0, "load_s": t2 - t1, "peak_mb": high_water_mb()}


def _texts(path: str, n: int) -> list[str]:
    """``n`` texts cycled from a JSON list (n=0: all of them once)."""
    with open(path, encoding="utf-8") as fh:
        texts = json.load(fh)
    return texts if n == 0 else [texts[i % len(texts)] for i in range(n)]


def _batches(args: list[str]) -> tuple[list[list[str]], int]:
    """``args``: texts file, batch size (0: all texts as one batch), texts per pass, passes.

    A pass is consecutive batches over different texts (cycled), so a small
    batch does not meet the same text again and again.
    """
    size, total, repeats = int(args[1]), int(args[2]), int(args[3])
    texts = _texts(args[0], total if size else 0)
    step = size or len(texts)
    return [texts[i : i + step] for i in range(0, len(texts), step)], repeats


def _timed(run: Callable[[list[str]], object], batches: list[list[str]], repeats: int) -> dict[str, Any]:
    """One warm-up batch, then the median of ``repeats`` passes over all batches."""
    before = high_water_mb()
    run(batches[0])
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for batch in batches:
            run(batch)
        times.append(time.perf_counter() - t0)
    n = sum(map(len, batches))
    return {"n": n, "seconds": sorted(times)[len(times) // 2], "loaded_mb": before, "peak_mb": high_water_mb()}


def _classify_kv(args: list[str]) -> dict[str, Any]:
    """``classify_many`` per batch; ``args``: those of :func:`_batches`, and optionally the model file."""
    import kvclassify as kv

    batches, repeats = _batches(args)
    model = kv.load_model(args[4] if len(args) > 4 else None)
    return _timed(lambda batch: kv.classify_many(batch, model=model), batches, repeats)


def _predict_fasttext(args: list[str]) -> dict[str, Any]:
    """Both fastText models per batch (tokenising included); ``args``: those of :func:`_batches`, then the model files."""
    import fasttext

    from .systems import FastText

    batches, repeats = _batches(args)
    models = [fasttext.load_model(p) for p in args[4:]]

    def predict(batch: list[str]) -> None:
        prepared = [FastText.prepare(t) for t in batch]
        for m in models:
            m.predict(prepared, k=1)

    return _timed(predict, batches, repeats)


def _document(args: list[str]) -> dict[str, Any]:
    import kvclassify as kv

    with open(args[0], encoding="utf-8") as fh:
        text = fh.read()
    model = kv.load_model(args[1] if len(args) > 1 else None)
    before = high_water_mb()
    t0 = time.perf_counter()
    result = kv.classify_document(text, model=model)
    return {
        "chars": len(text),
        "seconds": time.perf_counter() - t0,
        "questions": len(result.questions),
        "loaded_mb": before,
        "peak_mb": high_water_mb(),
    }


KINDS = {
    "load-kv": _load_kv,
    "load-fasttext": _load_fasttext,
    "classify-kv": _classify_kv,
    "predict-fasttext": _predict_fasttext,
    "document": _document,
}


def main(argv: list[str]) -> None:
    print(json.dumps(KINDS[argv[0]](argv[1:])))


if __name__ == "__main__":
    main(sys.argv[1:])
