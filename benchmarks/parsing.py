"""Measure :func:`kvclassify.parse_document` against the documents' ground truth.

Usage: ``python -m benchmarks.parsing [DIR] [--json]`` where DIR holds ``index.jsonl``
and the ``.txt`` files (default ``../shared/data/documents`` next to the repository).

Header fields are scored only on documents whose ground truth has a value for the
field (answers documents without a question header have no members, addressees or
submission date); ``zaak`` only where the doc_id is a zaak number.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from pathlib import Path
from typing import Any

import kvclassify as kv

__all__ = ["evaluate_parser", "similarity", "main", "DEFAULT_DIR"]

DEFAULT_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "documents"
FIELDS = ("kind", "submitted", "member_names", "parties", "addressees", "zaak")
_ZAAK_ID = re.compile(r"^\d{4}Z\d{5}$")


def _norm(text: str) -> str:
    return " ".join(text.split())


def similarity(pred: list[str], true: list[str]) -> float:
    """Mean ratio paired by position; missing or extra units count as 0."""
    n = max(len(pred), len(true))
    if n == 0:
        return 1.0
    total = sum(
        difflib.SequenceMatcher(None, _norm(p), _norm(t), autojunk=False).ratio()
        for p, t in zip(pred, true)
    )
    return total / n


def _field_checks(doc: kv.Document, rec: dict[str, Any]) -> dict[str, bool]:
    checks: dict[str, bool] = {"kind": doc.kind == rec["kind"]}
    if "submitted" in rec:  # a null is checked too: an answer's date is not the date the questions were sent
        checks["submitted"] = (doc.submitted.isoformat() if doc.submitted else None) == rec["submitted"]
    if rec.get("members"):
        checks["member_names"] = [m.name for m in doc.members] == [m["name"] for m in rec["members"]]
        checks["parties"] = [m.party for m in doc.members] == [m["party"] for m in rec["members"]]
    if rec.get("addressees"):
        checks["addressees"] = [a.text.lower() for a in doc.addressees] == [
            a.lower() for a in rec["addressees"]
        ]
    if _ZAAK_ID.match(rec["doc_id"]):
        checks["zaak"] = doc.zaak == rec["doc_id"]
    return checks


def evaluate_parser(documents_dir: Path) -> dict[str, Any]:
    """Score the parser on ``documents_dir/index.jsonl``.

    Returns a dict with ``n_documents``, ``count_exact`` (share), ``mean_similarity``,
    ``fields`` (accuracy per header field), ``all_fields`` (share of documents with
    every scored field right) and ``failures`` (one entry per imperfect document).
    """
    documents_dir = Path(documents_dir)
    records = [
        json.loads(line)
        for line in (documents_dir / "index.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    exact = 0
    sims: list[float] = []
    field_hits = {f: [0, 0] for f in FIELDS}
    all_ok = 0
    failures: list[dict[str, Any]] = []
    for rec in records:
        doc = kv.parse_document((documents_dir / rec["file"]).read_text(encoding="utf-8"))
        pred = [q.text for q in doc.questions]
        true = list(rec["questions"])
        exact += len(pred) == rec["n_questions"]
        sim = similarity(pred, true)
        sims.append(sim)
        checks = _field_checks(doc, rec)
        for name, ok in checks.items():
            field_hits[name][0] += ok
            field_hits[name][1] += 1
        all_ok += all(checks.values())
        wrong = sorted(name for name, ok in checks.items() if not ok)
        if wrong or len(pred) != rec["n_questions"] or sim < 0.97:
            failures.append({
                "doc_id": rec["doc_id"],
                "n_true": rec["n_questions"],
                "n_pred": len(pred),
                "similarity": round(sim, 4),
                "wrong_fields": wrong,
            })
    n = len(records)
    return {
        "n_documents": n,
        "count_exact": exact / n if n else 0.0,
        "mean_similarity": sum(sims) / n if n else 0.0,
        "fields": {f: (h / t if t else None) for f, (h, t) in field_hits.items()},
        "all_fields": all_ok / n if n else 0.0,
        "failures": failures,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.parsing", description=__doc__)
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    if not (args.directory / "index.jsonl").is_file():
        print(f"no index.jsonl in {args.directory}", file=sys.stderr)
        return 2
    result = evaluate_parser(args.directory)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    print(f"documents        {result['n_documents']}")
    print(f"count exact      {result['count_exact']:.1%}")
    print(f"mean similarity  {result['mean_similarity']:.4f}")
    for name, acc in result["fields"].items():
        print(f"{name:<16} {'n/a' if acc is None else f'{acc:.1%}'}")
    print(f"all fields       {result['all_fields']:.1%}")
    for fail in result["failures"]:
        print(f"  FAIL {fail['doc_id']}: n {fail['n_pred']}/{fail['n_true']}, "
              f"sim {fail['similarity']}, fields {fail['wrong_fields']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
