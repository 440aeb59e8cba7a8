"""Write ``results.json``, ``REPORT.md`` and the plots from a results dict (matplotlib only here)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["goals", "write_report"]

SHIPPED, RETRAINED, FASTTEXT = "kvclassify shipped", "kvclassify retrained", "fastText"
MB = 1024 * 1024


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + [
        "| " + " | ".join(str(c) for c in row) + " |" for row in rows
    ]


def _mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def goals(results: dict[str, Any]) -> list[list[str]]:
    """The goal table: goal, measured value, ✅/❌. Only goals whose figures were measured."""
    rows: list[list[str]] = []
    for task, acc in results.get("accuracy", {}).items():
        for set_name, ours in (acc["systems"].get(SHIPPED) or acc["systems"].get(RETRAINED, {})).items():
            theirs = acc["systems"][FASTTEXT][set_name]["macro_f1"]
            rows.append([f"{task} macro-F1 ahead of fastText ({set_name})",
                         f"{ours['macro_f1']:.3f} vs {theirs:.3f}", _mark(ours["macro_f1"] > theirs)])
    speed = results.get("speed")
    if speed:
        ours = speed["throughput_units_per_s"]["kvclassify"]["first_pass"]
        theirs = speed["throughput_units_per_s"]["fastText"]["first_pass"]
        p50 = speed["latency_ms"]["kvclassify"]["p50"]
        load = speed["load_s"]["kvclassify"]
        size = speed["model_bytes"]["kvclassify_files"]
        single_ft = speed["latency_ms"]["fastText"]["p50"]
        cold = speed["cold_start"]["seconds"]
        rows += [
            ["classify_many ≥ 20,000 units/s (one core)", f"{ours:,.0f} units/s", _mark(ours >= 20_000)],
            ["classify_many ≥ 4× fastText predict (two heads, tokenising included)",
             f"{ours / theirs:.2f}× ({theirs:,.0f} units/s)", _mark(ours >= 4 * theirs)],
            ["classify p50 ≤ fastText's single predict p50 (two heads)", f"{p50:.3f} ms vs {single_ft:.3f} ms",
             _mark(p50 <= single_ft)],
            ["cold start ≤ 2.5× bare `import numpy` (fresh process: import + load + first classify)",
             f"{cold['kvclassify'] / cold['import_numpy']:.2f}× ({cold['kvclassify']:.3f} s vs {cold['import_numpy']:.3f} s)",
             _mark(cold["kvclassify"] <= 2.5 * cold["import_numpy"])],
            ["no scipy / scikit-learn on the prediction path",
             ", ".join(speed["cold_start"]["heavy_modules_loaded"]) or "none loaded",
             _mark(not speed["cold_start"]["heavy_modules_loaded"])],
            ["cold load ≤ 0.3 s (fresh process, import + load)",
             f"{load['import_and_load_s']:.3f} s (load only {load['load_s']:.3f} s)", _mark(load["import_and_load_s"] <= 0.3)],
            ["model files ≤ 20 MB", f"{size / MB:.1f} MiB", _mark(size <= 20 * MB)],
        ]
    return rows


def _accuracy(results: dict[str, Any]) -> Iterator[str]:
    for task, acc in results["accuracy"].items():
        yield f"\n## Accuracy: {task}\n"
        rows_ = acc["train_rows"]
        yield (f"Trained on {rows_['plain']:,} plain rows (kvclassify retrained: {rows_['recipe']:,} rows of the "
               "shipped recipe, soft labels and weights); sets: ") + ", ".join(
            f"{name} ({s['n']} single-label" + (f", {s['any_of_n']} multi-label any-of)" if s["any_of_n"] else ")")
            for name, s in acc["sets"].items()) + ".\n"
        rows = []
        for system, sets in acc["systems"].items():
            for set_name, r in sets.items():
                ci = r["macro_f1_ci"] or [float("nan")] * 2
                any_of = f"{r['any_of_accuracy']:.3f}" if "any_of_accuracy" in r else ""
                rows.append([system, set_name, f"{r['accuracy']:.3f}", f"{r['macro_f1']:.3f}",
                             f"[{ci[0]:.3f}, {ci[1]:.3f}]", any_of])
        yield from _table(["system", "set", "accuracy", "macro-F1", "95 % CI", "any-of acc."], rows)
        first = next(iter(acc["sets"]))
        systems = list(acc["systems"])
        classes = sorted({c for s in systems for c in acc["systems"][s][first]["per_class"]})
        yield f"\nPer-class F1 on {first}:\n"
        yield from _table(["class", *systems], [
            [c, *(f"{acc['systems'][s][first]['per_class'].get(c, {}).get('f1', 0.0):.3f}" for s in systems)]
            for c in classes])


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "n/a"


def _speed(speed: dict[str, Any]) -> Iterator[str]:
    tp, lat, load, size, mem = (speed[k] for k in ("throughput_units_per_s", "latency_ms", "load_s", "model_bytes", "memory_mb"))
    w = speed["workload"]
    cold = speed["cold_start"]["seconds"]
    yield "\n## Speed and size (one core)\n"
    yield (f"Workload: {w['question_units']:,} question units; kvclassify predicts both heads per text, so "
           "fastText runs both its models (question_type and policy_area) on the same texts. "
           "kvclassify's first pass uses a freshly loaded model (median of three models); ‘repeated’ is the "
           f"median of {w['repeats']} further passes. Ratio = kvclassify / fastText.\n")
    rows = [
        ["classify_many, first pass (units/s)", f"{tp['kvclassify']['first_pass']:,.0f}", f"{tp['fastText']['first_pass']:,.0f}",
         _ratio(tp["kvclassify"]["first_pass"], tp["fastText"]["first_pass"])],
        ["classify_many, repeated (units/s)", f"{tp['kvclassify']['repeated']:,.0f}", f"{tp['fastText']['repeated']:,.0f}",
         _ratio(tp["kvclassify"]["repeated"], tp["fastText"]["repeated"])],
        ["single text p50 (ms)", lat["kvclassify"]["p50"], lat["fastText"]["p50"], _ratio(lat["kvclassify"]["p50"], lat["fastText"]["p50"])],
        ["single text p99 (ms)", lat["kvclassify"]["p99"], lat["fastText"]["p99"], _ratio(lat["kvclassify"]["p99"], lat["fastText"]["p99"])],
        ["cold start: import + load + first classify (s)", cold["kvclassify"], cold["fastText"],
         _ratio(cold["kvclassify"], cold["fastText"])],
        ["cold start against a bare `import numpy` (s)", cold["kvclassify"], cold["import_numpy"],
         _ratio(cold["kvclassify"], cold["import_numpy"]) + " of numpy"],
        ["cold import + load (s)", load["kvclassify"]["import_and_load_s"], load["fastText"]["import_and_load_s"],
         _ratio(load["kvclassify"]["import_and_load_s"], load["fastText"]["import_and_load_s"])],
        ["load only (s)", load["kvclassify"]["load_s"], load["fastText"]["load_s"],
         _ratio(load["kvclassify"]["load_s"], load["fastText"]["load_s"])],
        ["model files (MiB)", f"{size['kvclassify_files'] / MB:.1f}", f"{size['fastText'] / MB:.1f}",
         _ratio(size["kvclassify_files"], size["fastText"])],
        ["peak RSS classifying all units (MiB)", f"{mem['kvclassify']['peak_mb']:.0f}", f"{mem['fastText']['peak_mb']:.0f}",
         _ratio(mem["kvclassify"]["peak_mb"], mem["fastText"]["peak_mb"])],
    ]
    for task, seconds in speed["train_s"].items():
        ours, theirs = seconds.get(RETRAINED, 0.0), seconds.get(FASTTEXT, 0.0)
        rows.append([f"training, {task} head (s)", f"{ours:.1f}", f"{theirs:.1f}", _ratio(ours, theirs)])
    if speed.get("build_model_s") is not None:
        rows.append(["`build-model`, both heads, all public data (s, wall)", f"{speed['build_model_s']:.1f}", "", ""])
    yield from _table(["measure", "kvclassify", "fastText", "ratio"], rows)
    if "stages" in speed:
        st = speed["stages"]
        yield (f"\nWhere the time of `classify_many` goes ({st['texts']:,} units; median of {st.get('repeats', 1)} calls "
               "under a profiler, after one warm-up call; "
               f"{st['total_ms_per_1000']:.1f} ms per 1,000 units with the profiler's overhead; numpy's time "
               "charged to the kvclassify function that called it):\n")
        yield from _table(["stage", "ms per 1,000 units", "share"],
                          [[r["stage"], f"{r['ms_per_1000']:.1f}", f"{100 * r['share']:.0f} %"] for r in st["stages"]])
    d = speed["classify_document"]
    yield (f"\n`classify_document` on the {d['n']} documents: mean {d['mean_ms']} ms, median {d['p50_ms']} ms, "
           f"max {d['max_ms']} ms per document. fastText settings: `{speed['fasttext_params']}` "
           f"(bucket {speed['fasttext_bucket']:,}: its hashed n-gram table dominates the file size).\n")
    yield ("\nBatch size (fresh process per size and system; each pass runs consecutive batches of different "
           "texts, at least 2,000 in all; peak = kvclassify's process high-water mark, ‘loaded’ = after loading "
           "the model):\n")
    yield from _table(["batch", "kvclassify units/s", "fastText units/s", "ratio", "loaded MiB", "peak MiB"], [
        [f"{b['batch']:,}", f"{b['units_per_s']:,.0f}", f"{b['fastText_units_per_s']:,.0f}",
         _ratio(b["units_per_s"], b["fastText_units_per_s"]), f"{b['loaded_mb']:.0f}", f"{b['peak_mb']:.0f}"]
        for b in speed["batch_scaling"]])
    yield (f"\nCold start: median of {speed['cold_start']['repeats']} fresh processes of each command, interleaved. "
           "Bytecode is compiled first, as `pip install` does. Imports of a fresh process that loads the model and "
           "classifies one text (`python -X importtime`, numpy and kvclassify modules, cumulative ms, one run):\n")
    yield from _table(["module", "self ms", "cumulative ms"], [
        [f"`{r['module']}`", f"{r['self_ms']:.1f}", f"{r['cumulative_ms']:.1f}"] for r in speed["import_time_ms"]])
    yield f"\nDocument length (real question documents glued together; stopped after {speed['document_timeout_s']:.0f} s):\n"
    yield from _table(["chars", "seconds", "questions", "peak MiB"], [_doc_row(d) for d in speed["document_scaling"]])
    yield "\n![batch size](batch_size.png) ![document length](document_length.png)\n"


def _doc_row(d: dict[str, Any]) -> list[str]:
    if d.get("skipped"):
        return [f"{d['chars']:,}", "not run (a shorter one timed out)", "", ""]
    if d.get("timed_out"):
        return [f"{d['chars']:,}", f"> {d['seconds']:.0f} (stopped)", "", f"≥ {d['peak_mb']:.0f}"]
    return [f"{d['chars']:,}", f"{d['seconds']:.3f}", str(d["questions"]), f"{d['peak_mb']:.0f}"]


def _learning(learning: dict[str, Any]) -> Iterator[str]:
    yield "\n## Learning curve (kvclassify's training function, nested random samples)\n"
    for task, points in learning.items():
        sets = list(points[0]["macro_f1"])
        yield f"\n{task}:\n"
        yield from _table(["training rows", *(f"macro-F1 {s}" for s in sets), "fit (s)"], [
            [f"{p['n']:,}", *(f"{p['macro_f1'][s]:.3f}" for s in sets), p["fit_seconds"]] for p in points])
    yield "\n![learning curve](learning_curve.png)\n"


def _parsing(p: dict[str, Any]) -> Iterator[str]:
    yield "\n## Parsing (`benchmarks.parsing.evaluate_parser`)\n"
    rows = [["documents", p["n_documents"]], ["question count exact", f"{p['count_exact']:.1%}"],
            ["mean unit similarity", f"{p['mean_similarity']:.4f}"], ["all header fields right", f"{p['all_fields']:.1%}"]]
    rows += [[f"field {k}", "n/a" if v is None else f"{v:.1%}"] for k, v in p["fields"].items()]
    yield from _table(["measure", "value"], rows)
    yield f"\n{len(p['failures'])} imperfect documents (see results.json).\n"


def _documents(d: dict[str, Any]) -> Iterator[str]:
    yield "\n## Document-level policy area (`benchmarks.documents`)\n"
    yield (f"Share of the {d['n_documents']} documents with addressed areas ({d['skipped_without_areas']} without "
           "are skipped) whose area read from the content is one of the addressed areas. Most of these documents' "
           "question units are also in questions/train.jsonl, so this is an optimistic figure.\n")
    yield from _table(["method", "hit rate"], [
        ["kvclassify.classify_document (pooled over subject and questions)", f"{d['pooled_hit_rate']:.1%}"],
        ["subject + questions concatenated, same area head", f"{d['concatenated_hit_rate']:.1%}"]])


def _plots(results: dict[str, Any], out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    if "learning" in results:
        fig, ax = plt.subplots(figsize=(6, 4))
        for task, points in results["learning"].items():
            for s in points[0]["macro_f1"]:
                ax.plot([p["n"] for p in points], [p["macro_f1"][s] for p in points], marker="o", label=f"{task} · {s}")
        ax.set(xscale="log", xlabel="training rows", ylabel="dev macro-F1", title="Learning curve")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        written.append(_save(fig, out / "learning_curve.png"))
    speed = results.get("speed")
    if speed:
        batch = speed["batch_scaling"]
        written.append(_twin(plt, [b["batch"] for b in batch], [b["units_per_s"] for b in batch], "units/s",
                             [b["peak_mb"] for b in batch], "batch size", "classify_many vs batch size", out / "batch_size.png"))
        docs = [d for d in speed["document_scaling"] if not d.get("skipped") and not d.get("timed_out")]
        if docs:
            written.append(_twin(plt, [d["chars"] for d in docs], [d["seconds"] for d in docs], "seconds",
                                 [d["peak_mb"] for d in docs], "document length (chars)", "classify_document vs length",
                                 out / "document_length.png"))
    if results.get("accuracy"):
        fig, axes = plt.subplots(1, len(results["accuracy"]), figsize=(6 * len(results["accuracy"]), 4), squeeze=False)
        for ax, (task, acc) in zip(axes[0], results["accuracy"].items()):
            first = next(iter(acc["sets"]))
            names = list(acc["systems"])
            f1 = [acc["systems"][n][first]["macro_f1"] for n in names]
            ci = [acc["systems"][n][first]["macro_f1_ci"] or [v, v] for n, v in zip(names, f1)]
            ax.barh(names, f1, xerr=[[v - c[0] for v, c in zip(f1, ci)], [c[1] - v for v, c in zip(f1, ci)]], capsize=3)
            ax.set(xlim=(0, 1), xlabel="macro-F1 (95 % CI)", title=f"{task} · {first}")
        written.append(_save(fig, out / "accuracy.png"))
    return written


def _twin(plt: Any, x: list[float], y1: list[float], label1: str, y2: list[float], xlabel: str, title: str, path: Path) -> Path:
    """A log-x plot with a speed axis (left) and a peak-memory axis (right)."""
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(x, y1, marker="o", color="tab:blue")
    ax.set(xscale="log", xlabel=xlabel, ylabel=label1, title=title)
    ax.grid(alpha=0.3)
    mem = ax.twinx()
    mem.plot(x, y2, marker="s", color="tab:red")
    mem.set_ylabel("peak RSS (MiB)", color="tab:red")
    return _save(fig, path)


def _save(fig: Any, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    fig.clf()
    return path


def write_report(results: dict[str, Any], out: Path) -> list[Path]:
    """Write everything to ``out``; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / "results.json"
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    written = _plots(results, out)
    lines = [
        "# kvclassify benchmark\n",
        f"Command: `{results['command']}` — wall time {results['wall_seconds']:.0f} s"
        + (" — **quick run: small subsets, figures indicative only**" if results["quick"] else "") + ".",
        f"Model: `{results['model']['name']}` {results['model']['version']} (sha256 {str(results['model']['sha256'])[:12]}…); "
        f"Python {results['platform']['python']}, {results['platform']['cpus']} CPUs.\n",
    ]
    if rows := goals(results):
        lines += ["## Goals\n", *_table(["goal", "measured", ""], rows)]
    if results.get("accuracy"):
        lines += list(_accuracy(results)) + ["\n![accuracy](accuracy.png)\n"]
    sections = (("speed", _speed), ("learning", _learning), ("parsing", _parsing), ("documents", _documents))
    for key, section in sections:
        if key in results:
            lines += list(section(results[key]))
    report = out / "REPORT.md"
    report.write_text("\n".join(lines) + "\n", "utf-8")
    return [json_path, report, *written]
