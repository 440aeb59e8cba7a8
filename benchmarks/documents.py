"""The document benchmark: kvclassify on the public documents, read end to end through ``classify_document``.

Usage: ``python -m benchmarks.documents [--data-dir ../shared/data] [--leave-out PATH] [--model NAME=PATH ...]``
writes ``benchmarks/results/documents.json``, ``DOCUMENTS.md`` and ``documents.png``.
``--leave-out PATH`` scores a model trained by the shipped recipe without the
public documents' questions (trained and saved to PATH first when PATH does
not exist: about 12 minutes).

Per model it measures, on ``documents/index.jsonl``:

* the split: question count exact, unit similarity (paired by position);
* per question, through ``classify_document`` (so parser errors count: a true
  unit the parser lost or merged is a miss): question-type accuracy and
  macro-F1, commitment recall and precision (P(commitment) at the card's
  threshold, default 0.5), area accuracy raw and smoothed by the document at
  several weights; labels come from ``questions/*.jsonl`` by ``doc_id`` and
  ``position``;
* per document: the content area (``policy_area``) against the majority
  content label of its questions, under several poolings; ``addressed_areas``
  against the index's areas (read from the header); ``routed_area``;
* the glued-word repair: the same scores without the lexicon.

Most public documents' questions are in ``questions/train.jsonl``, so the
shipped model has seen them: pass a model trained without them (``--model``)
for honest figures.
"""

from __future__ import annotations

import argparse
import difflib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

import kvclassify as kv

from .parsing import DEFAULT_DIR as DOCUMENTS_DIR
from .parsing import evaluate_parser, similarity

__all__ = ["evaluate_document_areas", "evaluate_documents", "main"]

RESULTS = Path(__file__).resolve().parent / "results"
SMOOTHING = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
SUBJECT_WEIGHTS = (0.0, 1.0, 3.0, 5.0)


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _labels(data_dir: Path) -> dict[tuple[str, int], dict[str, Any]]:
    """Question units with labels by (doc_id, position)."""
    return {(r["doc_id"], r["position"]): r for split in ("train", "dev")
            for r in _records(data_dir / "questions" / f"{split}.jsonl") if r.get("doc_id") and r.get("position")}


def _align(pred: Sequence[str], true: Sequence[str]) -> list[int | None]:
    """For each true unit, the index of its predicted unit (by position when counts agree, else best match)."""
    if len(pred) == len(true):
        return list(range(len(true)))
    out: list[int | None] = []
    for t in true:
        scores = [difflib.SequenceMatcher(None, p, t, autojunk=False).ratio() for p in pred]
        best = int(np.argmax(scores)) if scores else -1
        out.append(best if scores and scores[best] >= 0.6 else None)
    return out


def _pool(rows: np.ndarray, subject: np.ndarray | None, how: str, subject_weight: float) -> int:
    """The argmax of a document's pooled area distribution (rows: one per question)."""
    weights = np.ones(len(rows))
    if how == "vote":
        rows = np.eye(rows.shape[1])[rows.argmax(axis=1)] if len(rows) else rows
    elif how == "confidence":
        weights = rows.max(axis=1) if len(rows) else weights
    parts, w = [rows], [weights]
    if subject is not None and subject_weight:
        parts.append(subject[None, :])
        w.append(np.array([subject_weight * (weights.mean() if len(weights) else 1.0)]))
    stack, ws = np.vstack(parts), np.concatenate(w)
    if how == "log":
        return int((ws @ np.log(np.clip(stack, 1e-9, 1))).argmax())
    return int((ws @ stack).argmax())


def _macro_f1(true: list[str], pred: list[str | None]) -> float:
    labels = sorted(set(true))
    f1s = []
    for c in labels:
        tp = sum(t == c and p == c for t, p in zip(true, pred))
        fp = sum(t != c and p == c for t, p in zip(true, pred))
        fn = sum(t == c and p != c for t, p in zip(true, pred))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(f1s)) if f1s else 0.0


def _share(hits: Sequence[bool]) -> float | None:
    return round(sum(hits) / len(hits), 4) if hits else None


def evaluate_documents(data_dir: Path, model: kv.Model, *, lexicon: bool = True) -> dict[str, Any]:
    """Score ``model`` on the public documents of ``data_dir`` (see the module docstring)."""
    index = _records(data_dir / "documents" / "index.jsonl")
    labels = _labels(data_dir)
    threshold = float((model.card.get("commitment") or {}).get("threshold", 0.5))
    classes = list(model.info.tasks["policy_area"])
    unit: dict[str, list[Any]] = {"type_true": [], "type_pred": [], "commit_true": [], "commit_pred": [],
                                  **{f"area_{w}": [] for w in SMOOTHING}}
    doc: dict[str, list[bool]] = {"content": [], "routed": [], "addressed": [], "routed_in_addressed": [],
                                  **{f"pool_{h}_{k}": [] for h in ("mean", "vote", "confidence", "log")
                                     for k in SUBJECT_WEIGHTS}}
    exact, sims = [], []
    for rec in index:
        text = (data_dir / "documents" / rec["file"]).read_text(encoding="utf-8")
        source = text if lexicon else kv.parse_document(text)
        result = kv.classify_document(source, model=model)
        pred_texts = [q.unit.text for q in result.questions]
        exact.append(len(pred_texts) == rec["n_questions"])
        sims.append(similarity(pred_texts, rec["questions"]))
        rows = np.array([[q.classification.policy_area.probabilities[c] for c in classes] for q in result.questions])
        doc_p = np.array([result.policy_area.probabilities[c] for c in classes]) if result.policy_area else None
        areas_true: list[str] = []
        for k, j in enumerate(_align(pred_texts, rec["questions"])):
            truth = labels.get((rec["doc_id"], rec["positions"][k]))
            if truth is None:
                continue
            q = result.questions[j].classification if j is not None else None
            unit["type_true"].append(truth["question_type"])
            unit["type_pred"].append(q.question_type.label if q else None)
            unit["commit_true"].append("commitment" in (truth.get("question_types") or [truth["question_type"]]))
            unit["commit_pred"].append(bool(q) and q.question_type.probabilities.get("commitment", 0.0) >= threshold)
            if truth.get("policy_area"):
                areas_true.append(truth["policy_area"])
                for w in SMOOTHING:
                    hit = j is not None and doc_p is not None and classes[int(
                        ((1 - w) * rows[j] + w * doc_p).argmax())] == truth["policy_area"]
                    unit[f"area_{w}"].append(hit)
        if rec.get("policy_areas"):
            doc["addressed"].append(set(result.addressed_areas) == set(rec["policy_areas"]))
        if not areas_true or result.policy_area is None:
            continue
        majority = Counter(areas_true).most_common(1)[0][0]
        doc["content"].append(result.policy_area.label == majority)
        doc["routed"].append(result.routed_area.label == majority)
        if result.addressed_areas:
            doc["routed_in_addressed"].append(result.routed_area.label in result.addressed_areas)
        subject = (np.array([kv.classify(result.document.subject, model=model).policy_area.probabilities[c]
                             for c in classes]) if result.document.subject else None)
        for how in ("mean", "vote", "confidence", "log"):
            for k in SUBJECT_WEIGHTS:
                doc[f"pool_{how}_{k}"].append(classes[_pool(rows, subject, how, k)] == majority)
    commit = list(zip(unit["commit_true"], unit["commit_pred"]))
    return {
        "header_fields": evaluate_parser(data_dir / "documents")["fields"],
        "n_documents": len(index),
        "n_labelled_units": len(unit["type_true"]),
        "count_exact": _share(exact),
        "mean_similarity": round(float(np.mean(sims)), 4),
        "question_type_accuracy": _share([t == p for t, p in zip(unit["type_true"], unit["type_pred"])]),
        "question_type_macro_f1": round(_macro_f1(unit["type_true"], unit["type_pred"]), 4),
        "commitment_threshold": threshold,
        "commitment_recall": _share([p for t, p in commit if t]),
        "commitment_precision": _share([t for t, p in commit if p]),
        "area_accuracy_by_smoothing": {str(w): _share(unit[f"area_{w}"]) for w in SMOOTHING},
        "n_area_units": len(unit["area_0.0"]),
        "n_content_documents": len(doc["content"]),
        "document_policy_area": _share(doc["content"]),
        "document_routed_area": _share(doc["routed"]),
        "routed_area_in_addressed": _share(doc["routed_in_addressed"]),
        "addressed_areas_exact": _share(doc["addressed"]),
        "pooling": {f"{h} (subject weight {k:g})": _share(doc[f"pool_{h}_{k}"])
                    for h in ("mean", "vote", "confidence", "log") for k in SUBJECT_WEIGHTS},
    }


def evaluate_document_areas(documents_dir: Path, model_path: Path | None = None) -> dict[str, Any]:
    """Hit rates of the pooled document area and of one concatenated text among the addressed areas."""
    model = kv.load_model(model_path)
    rows = _records(Path(documents_dir) / "index.jsonl")
    pooled, concat, misses = 0, 0, []
    scored = [r for r in rows if r.get("policy_areas")]
    for rec in scored:
        result = kv.classify_document((Path(documents_dir) / rec["file"]).read_text("utf-8"), model=model)
        truth = set(rec["policy_areas"])
        whole = " ".join([result.document.subject or "", *(q.unit.text for q in result.questions)])
        pooled_hit = result.policy_area is not None and result.policy_area.label in truth
        pooled += pooled_hit
        concat += kv.classify(whole, model=model).policy_area.label in truth
        if not pooled_hit:
            misses.append({"doc_id": rec["doc_id"], "predicted": result.policy_area.label if result.policy_area else None,
                           "addressed": sorted(truth)})
    n = len(scored)
    return {
        "n_documents": n,
        "skipped_without_areas": len(rows) - n,
        "pooled_hit_rate": round(pooled / n, 4) if n else None,
        "concatenated_hit_rate": round(concat / n, 4) if n else None,
        "misses": misses,
    }


def _plot(results: dict[str, dict[str, Any]], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics: list[tuple[str, Callable[[dict[str, Any]], float | None]]] = [
        ("count exact", lambda r: r["count_exact"]),
        ("unit similarity", lambda r: r["mean_similarity"]),
        ("type macro-F1", lambda r: r["question_type_macro_f1"]),
        ("commitment recall", lambda r: r["commitment_recall"]),
        ("commitment precision", lambda r: r["commitment_precision"]),
        ("question area (raw)", lambda r: r["area_accuracy_by_smoothing"]["0.0"]),
        ("question area (smoothed)", lambda r: r["area_accuracy_by_smoothing"][str(kv.QUESTION_SMOOTHING)]),
        ("document policy_area", lambda r: r["document_policy_area"]),
        ("document routed_area", lambda r: r["document_routed_area"]),
        ("addressed_areas exact", lambda r: r["addressed_areas_exact"]),
    ]
    fig, ax = plt.subplots(figsize=(11, 4.5))
    width = 0.8 / len(results)
    for k, (name, r) in enumerate(results.items()):
        ax.barh([i + k * width for i in range(len(metrics))], [f(r) or 0 for _, f in metrics], width, label=name)
    ax.set_yticks([i + 0.4 - width / 2 for i in range(len(metrics))], [m for m, _ in metrics])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_title("Public documents read through classify_document")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def _markdown(results: dict[str, dict[str, Any]]) -> str:
    names = list(results)
    lines = ["# Document benchmark (`python -m benchmarks.documents`)", "",
             "The public documents read end to end through `kvclassify.classify_document`; parser errors count. "
             "The shipped model has seen most of these documents' questions in training: the leave-documents-out "
             "model (trained by the same recipe without them) gives the honest figures.", "",
             "| measure | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    rows = [("count exact", "count_exact"), ("mean unit similarity", "mean_similarity"),
            ("question-type accuracy", "question_type_accuracy"), ("question-type macro-F1", "question_type_macro_f1"),
            ("commitment recall", "commitment_recall"), ("commitment precision", "commitment_precision"),
            ("document policy_area = majority content label", "document_policy_area"),
            ("document routed_area = majority content label", "document_routed_area"),
            ("routed_area among addressed areas", "routed_area_in_addressed"),
            ("addressed_areas = index areas", "addressed_areas_exact")]
    for label, key in rows:
        lines.append(f"| {label} | " + " | ".join(str(results[n][key]) for n in names) + " |")
    for w in SMOOTHING:
        lines.append(f"| question area, smoothing {w} | "
                     + " | ".join(str(results[n]["area_accuracy_by_smoothing"][str(w)]) for n in names) + " |")
    for key in results[names[0]]["pooling"]:
        lines.append(f"| document area, pooling {key} | " + " | ".join(str(results[n]["pooling"][key]) for n in names)
                     + " |")
    first = results[names[0]]
    for field, accuracy in first["header_fields"].items():
        lines.append(f"| header field {field} (parser, no model) | " + " | ".join(
            str(round(accuracy, 4)) if accuracy is not None else "n/a" for _ in names) + " |")
    lines += ["", f"{first['n_documents']} documents, {first['n_labelled_units']} labelled question units "
              f"({first['n_area_units']} with an area), {first['n_content_documents']} documents with content labels.",
              "", "![documents](documents.png)", ""]
    return "\n".join(lines)


def _train_leave_out(data_dir: Path, out: Path) -> None:
    """Train the shipped recipe on its train records minus the public documents' question units."""

    documents = {rec["doc_id"] for rec in _records(data_dir / "documents" / "index.jsonl")}
    records = [r for r in kv.shipped_records(data_dir, "train") if r["doc_id"] not in documents]
    model = kv.train(records, label_fields=("question_type", "policy_area"), config=kv.SHIPPED_CONFIG,
                     weight_fields={"policy_area": "area_weight"}, group_field="doc_id", random_state=0,
                     progress=print)
    kv.save_model(model, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.documents", description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=DOCUMENTS_DIR.parent)
    parser.add_argument("--model", action="append", default=[], metavar="NAME=PATH",
                        help="a further model to score, e.g. leave-out=/tmp/lodo.kvc")
    parser.add_argument("--leave-out", type=Path, metavar="PATH",
                        help="a model trained without the documents' questions (trained here if PATH is missing)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    models = {"shipped": kv.load_model()}
    if args.leave_out:
        if not args.leave_out.exists():
            _train_leave_out(args.data_dir, args.leave_out)
        models["leave-documents-out"] = kv.load_model(args.leave_out)
    for spec in args.model:
        name, _, path = spec.partition("=")
        models[name] = kv.load_model(path)
    results: dict[str, dict[str, Any]] = {}
    for name, model in models.items():
        results[name] = evaluate_documents(args.data_dir, model)
        results[f"{name}, no lexicon"] = evaluate_documents(args.data_dir, model, lexicon=False)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "documents.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (args.out / "DOCUMENTS.md").write_text(_markdown(results), encoding="utf-8")
    _plot(results, args.out / "documents.png")
    print(_markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
