"""Document-level policy area: is the area kvclassify reads from a document's content one of its addressed areas?

Compares the library's pooling (:func:`kvclassify.classify_document`) with the
plain alternative: subject and questions concatenated into one text for the
same area head. Documents without addressed areas in the ground truth are skipped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import kvclassify as kv

__all__ = ["evaluate_document_areas"]


def evaluate_document_areas(documents_dir: Path, model_path: Path | None = None) -> dict[str, Any]:
    """Hit rates of the pooled document area and of one concatenated text, over ``index.jsonl``."""
    model = kv.load_model(model_path)
    head = model.heads["policy_area"]
    rows = [json.loads(line) for line in (Path(documents_dir) / "index.jsonl").read_text("utf-8").splitlines() if line]
    pooled, concat, misses = 0, 0, []
    scored = [r for r in rows if r.get("policy_areas")]
    for rec in scored:
        result = kv.classify_document((Path(documents_dir) / rec["file"]).read_text("utf-8"), model=model)
        truth = set(rec["policy_areas"])
        whole = " ".join([result.document.subject or "", *(q.unit.text for q in result.questions)])
        pooled_hit = result.policy_area is not None and result.policy_area.label in truth
        pooled += pooled_hit
        concat += head.predict([whole])[0] in truth
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
