"""Speed, size and memory of kvclassify, each next to fastText measured in the same run.

Timings run on one core: ``benchmarks.__main__`` pins the BLAS/OpenMP pools to
one thread before numpy is imported, and every fresh process inherits that.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import kvclassify as kv

from .data import question_units, read_jsonl
from .probe import high_water_mb
from .stages import stage_profile
from .systems import FastText

__all__ = ["measure", "run_probe", "long_document", "cold_start", "import_times", "run_speed"]

REPO = Path(__file__).resolve().parents[1]
Progress = Callable[[str], None]
COLD_TEXT = "Bent u bereid de Kamer te informeren over de wachtlijsten in de jeugdzorg?"


def measure(fn: Callable[[], Any], repeats: int = 1) -> list[float]:
    """Wall-clock seconds of ``repeats`` calls of ``fn``."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def run_probe(args: Sequence[str], timeout: float = 300.0) -> dict[str, Any]:
    """Run one :mod:`benchmarks.probe` measurement in a fresh process; stop it after ``timeout`` seconds.

    A stopped probe reports ``timed_out`` and the memory high-water mark it had reached.
    """
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.probe", *args],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    start, peak = time.perf_counter(), 0.0
    while proc.poll() is None:
        try:
            peak = high_water_mb(proc.pid)
        except (OSError, RuntimeError):
            pass  # the process is just starting or just ended
        if time.perf_counter() - start > timeout:
            proc.kill()
            proc.wait()
            return {"timed_out": True, "seconds": timeout, "peak_mb": peak}
        time.sleep(0.05)
    out, err = proc.communicate()
    if proc.returncode:
        raise RuntimeError(f"probe {' '.join(args)} failed:\n{err}")
    return json.loads(out.strip().splitlines()[-1])


def long_document(data_dir: Path, n_chars: int) -> str:
    """Real question documents (as extracted, with page furniture) glued together up to ``n_chars``."""
    docs = data_dir / "documents"
    texts = [(docs / r["file"]).read_text("utf-8") for r in read_jsonl(docs / "index.jsonl") if r["kind"] == "questions"]
    corpus = "\n\n".join(texts)
    return (corpus * (n_chars // len(corpus) + 1))[:n_chars]


def _wall(code: str) -> float:
    """Wall-clock seconds of a fresh ``python -c code`` (interpreter start included), run from the repository."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def cold_start(model_path: Path | None, ft_paths: Sequence[str], repeats: int) -> dict[str, Any]:
    """Fresh processes that import, load and answer once, next to a bare ``import numpy``, interleaved.

    Each figure is the median of ``repeats`` runs; the runs of the three
    commands alternate, so a busy machine slows all of them alike.
    """
    # Compiled as ``pip install`` compiles it: without bytecode (an editable install under
    # PYTHONDONTWRITEBYTECODE) every fresh process would compile kvclassify's modules from source again.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "kvclassify")], check=True,
                   stdout=subprocess.DEVNULL)
    model = f", model=kv.load_model({str(model_path)!r})" if model_path else ""
    commands = {
        "import_numpy": "import numpy",
        "kvclassify": f"import kvclassify as kv; kv.classify({COLD_TEXT!r}{model})",
        "fastText": f"import fasttext; [fasttext.load_model(p).predict({COLD_TEXT.lower()!r}) for p in {list(ft_paths)!r}]",
    }
    runs: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, code in commands.items():
            runs[name].append(_wall(code))
    seconds = {name: round(statistics.median(times), 4) for name, times in runs.items()}
    probe = f"import sys, json, kvclassify as kv; kv.classify({COLD_TEXT!r}{model}); print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(subprocess.run([sys.executable, "-c", probe], cwd=REPO, check=True, capture_output=True, text=True).stdout)
    heavy = sorted({m.split(".")[0] for m in loaded} & {"scipy", "sklearn", "pandas", "pyarrow", "fasttext"})
    return {"seconds": seconds, "repeats": repeats, "heavy_modules_loaded": heavy}


def import_times(top: int = 12) -> list[dict[str, Any]]:
    """``python -X importtime``: the modules a fresh process imports to load the model and classify one text.

    ``import kvclassify`` alone is lazy (1 ms), so the probe imports what the
    first ``classify`` needs. Numpy and kvclassify's own modules are listed,
    largest cumulative import time first.
    """
    code = f"import kvclassify as kv; kv.classify({COLD_TEXT!r})"
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code],
                          cwd=REPO, check=True, capture_output=True, text=True)
    rows = []
    for line in proc.stderr.splitlines():
        fields = line.removeprefix("import time:").split("|")
        if len(fields) != 3 or not fields[0].strip().isdigit():
            continue  # the header line
        name = fields[2].strip()
        if name == "numpy" or name.startswith("kvclassify"):
            rows.append({"module": name, "self_ms": int(fields[0]) / 1000, "cumulative_ms": int(fields[1]) / 1000})
    return sorted(rows, key=lambda r: -r["cumulative_ms"])[:top]


def _rate(n: int, seconds: float) -> float:
    return round(n / seconds, 1)


def _latency_ms(fn: Callable[[str], Any], texts: Sequence[str]) -> dict[str, float]:
    times = sorted(measure(lambda t=t: fn(t))[0] * 1000 for t in texts)
    return {"p50": round(times[len(times) // 2], 4), "p99": round(times[int(len(times) * 0.99)], 4)}


def _median_probe(args: Sequence[str], repeats: int) -> dict[str, float]:
    runs = [run_probe(args) for _ in range(repeats)]
    return {k: round(statistics.median(r[k] for r in runs), 4) for k in runs[0]}


def run_speed(
    data_dir: Path, fasttext_models: dict[str, FastText], train_seconds: dict[str, dict[str, float]],
    progress: Progress, quick: bool = False, model_path: Path | None = None,
) -> dict[str, Any]:
    """Every speed/size/memory figure of the report; ``fasttext_models``: fitted per task.

    ``model_path``: a model file to measure instead of the shipped one. The
    shipped model's ``build-model`` is timed by running it into a temporary
    folder (skipped with ``quick``).
    """
    units = question_units(data_dir)
    path = model_path or kv.shipped_model_path()
    model_arg = [str(model_path)] if model_path else []  # probes load the shipped model exactly as users do
    model = kv.load_model(model_path)
    repeats = 2 if quick else 5
    ft = [fasttext_models[t].model for t in ("question_type", "policy_area")]

    def ft_predict(texts: Sequence[str]) -> None:
        prepared = [FastText.prepare(t) for t in texts]
        for m in ft:
            m.predict(prepared, k=1)

    progress(f"speed: classify_many on {len(units)} question units")
    # The first pass of a freshly read model is the honest figure (the median over three freshly read
    # models: one pass is one sample on a shared machine); later passes show the steady state.
    firsts = []
    for _ in range(3):
        fresh = kv.load_model(path)
        firsts.append(measure(lambda: kv.classify_many(units, model=fresh))[0])
    cold = statistics.median(firsts)
    warm = statistics.median(measure(lambda: kv.classify_many(units, model=fresh), repeats))
    ft_time = statistics.median(measure(lambda: ft_predict(units), repeats))
    throughput = {
        "kvclassify": {"first_pass": _rate(len(units), cold), "repeated": _rate(len(units), warm)},
        "fastText": {"first_pass": _rate(len(units), ft_time), "repeated": _rate(len(units), ft_time)},
    }

    progress("speed: where the time of classify_many goes")
    stages = stage_profile(units, kv.load_model(path))

    progress("speed: single-text latency")
    lat_texts = units[:500] if quick else units
    fresh = kv.load_model(path)
    latency = {
        "kvclassify": _latency_ms(lambda t: kv.classify(t, model=fresh), lat_texts),
        "fastText": _latency_ms(lambda t: ft_predict([t]), lat_texts),
    }

    progress("speed: classify_document on the documents")
    docs = sorted((data_dir / "documents").glob("*.txt"))
    doc_ms = sorted(measure(lambda p=p: kv.classify_document(p.read_text("utf-8"), model=model))[0] * 1000 for p in docs)
    document = {
        "n": len(docs),
        "mean_ms": round(statistics.mean(doc_ms), 2),
        "p50_ms": round(doc_ms[len(doc_ms) // 2], 2),
        "max_ms": round(doc_ms[-1], 2),
    }

    with tempfile.TemporaryDirectory() as tmp:
        ft_paths = []
        for task, system in fasttext_models.items():
            ft_paths.append(str(Path(tmp) / f"{task}.bin"))
            system.model.save_model(ft_paths[-1])
        units_file = Path(tmp) / "units.json"
        units_file.write_text(json.dumps(units, ensure_ascii=False), "utf-8")

        progress("speed: cold load and peak memory in fresh processes")
        load = {"kvclassify": _median_probe(["load-kv", *model_arg], 5), "fastText": _median_probe(["load-fasttext", *ft_paths], 3)}
        card = path.with_suffix(".card.json")
        size = {
            "kvclassify": path.stat().st_size,
            "kvclassify_files": path.stat().st_size + (card.stat().st_size if card.exists() else 0),
            "fastText": sum(Path(p).stat().st_size for p in ft_paths),
        }
        memory = {
            "kvclassify": run_probe(["classify-kv", str(units_file), "0", "0", "1", *model_arg]),
            "fastText": run_probe(["predict-fasttext", str(units_file), "0", "0", "1", *ft_paths]),
        }

        progress("speed: batch-size scaling")
        batch = []
        for n in [1, 10, 100, 1000] if quick else [1, 10, 100, 1000, 10_000, 100_000]:
            args = [str(units_file), str(n), str(max(n, 500 if quick else 2000)), "3" if n <= 10_000 else "1"]
            r = run_probe(["classify-kv", *args, *model_arg])
            f = run_probe(["predict-fasttext", *args, *ft_paths])
            batch.append({**r, "batch": n, "units_per_s": _rate(r["n"], r["seconds"]),
                          "fastText_units_per_s": _rate(f["n"], f["seconds"])})
            progress(f"  batch {n}: {batch[-1]['units_per_s']:.0f} units/s (fastText {batch[-1]['fastText_units_per_s']:.0f}), "
                     f"peak {r['peak_mb']:.0f} MiB")

        progress("speed: cold start (fresh processes) and import time")
        cold = cold_start(model_path, ft_paths, 3 if quick else 9)
        imports = import_times()

        build_s = None
        if not quick:
            progress("speed: kvclassify build-model (the shipped recipe, into a temporary folder)")
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "kvclassify", "build-model", "--data-dir", str(data_dir),
                            "--out", str(Path(tmp) / "rebuilt.kvc")], cwd=REPO, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            build_s = round(time.perf_counter() - t0, 1)

        progress("speed: document-length scaling")
        lengths = [10_000, 100_000, 1_000_000] if quick else [10_000, 100_000, 1_000_000, 10_000_000]
        timeout = 20.0 if quick else 60.0
        scaling: list[dict[str, Any]] = []
        for n_chars in lengths:
            if scaling and scaling[-1].get("timed_out"):
                scaling.append({"chars": n_chars, "skipped": True})  # a shorter document already took too long
                continue
            doc = Path(tmp) / "long.txt"
            doc.write_text(long_document(data_dir, n_chars), "utf-8")
            scaling.append({"chars": n_chars, **run_probe(["document", str(doc), *model_arg], timeout)})
            progress(f"  {n_chars:,} chars: {scaling[-1]}")

    return {
        "workload": {"question_units": len(units), "latency_texts": len(lat_texts), "repeats": repeats},
        "threads": {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")},
        "throughput_units_per_s": throughput,
        "stages": stages,
        "latency_ms": latency,
        "classify_document": document,
        "load_s": load,
        "model_bytes": size,
        "fasttext_params": FastText.params,
        "fasttext_bucket": ft[0].f.getArgs().bucket,
        "memory_mb": memory,
        "train_s": train_seconds,
        "batch_scaling": batch,
        "cold_start": cold,
        "import_time_ms": imports,
        "build_model_s": build_s,
        "document_scaling": scaling,
        "document_timeout_s": timeout,
    }
