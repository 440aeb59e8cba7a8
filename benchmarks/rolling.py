"""``python -m benchmarks --tasks rolling``: the honest estimate of the recipe on next year's questions.

Scores the chosen area and type recipes and their strongest rivals of the
greedy search (``python -m benchmarks.rolling_search``) by rolling origin
(train on the years before Y, score Y, for Y = 2020..2023) and, for question
units, by grouped cross-validation and a forward split; chooses the
commitment thresholds out of fold and draws the precision–recall curve.
Writes ``ROLLING.md``, ``rolling.json`` and ``commitment_pr.png``.

Scores are memoised in the search logs committed next to the results
(``search-area.jsonl``, ``search-type.jsonl``: one JSON line per candidate,
keyed by its recipe): a recipe found there is not refitted, so the task
reruns in minutes; delete a line (or the log) to re-score it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kvclassify import flag_thresholds, precision_recall

from .rolling_area import AreaBench, AreaRecipe
from .rolling_data import ROLLING_YEARS, subject_rows, unit_rows
from .rolling_type import TypeBench, TypeRecipe

__all__ = ["AREA_RECIPES", "TYPE_RECIPES", "run_rolling", "write_rolling"]

# The winner first, then its two strongest rivals (by the search's mean score).
# The area winner is the cheapest of three recipes the rolling scores cannot tell apart (character 5-grams
# only: a third of the character features of 3-5, the same mean score); words alone are far behind.
AREA_RECIPES: dict[str, AreaRecipe] = {
    "chosen": AreaRecipe(features="w12c55", half_life=6.0),
    "rival: char 3-5 (shipped before)": AreaRecipe(features="w12c35", half_life=6.0),
    "rival: char 4-5": AreaRecipe(features="w12c45", half_life=6.0),
    "rival: char 5, C 0.2": AreaRecipe(features="w12c55", half_life=6.0, C=0.2),
    "rival: char 3-5, no recency weights": AreaRecipe(features="w12c35"),
    "words only (no character n-grams)": AreaRecipe(features="w12", half_life=6.0),
}
TYPE_RECIPES: dict[str, TypeRecipe] = {
    "chosen": TypeRecipe(solver="svc", C=1.0, clause_start=5, canonical=True),
    "rival: clause-start 4": TypeRecipe(solver="svc", C=1.0, clause_start=4, canonical=True),
    "rival: third-person copies": TypeRecipe(
        solver="svc", C=1.0, clause_start=4, third_person=1, third_person_weight=0.5, grouped_df=True
    ),
    "v1 recipe (logistic regression, C=10, clause-start 2)": TypeRecipe(),
}
STRICT_PRECISION = 0.90
TARGET_RECALL = 0.90


def _commitment(res: dict[str, Any]) -> dict[str, Any]:
    """The flag's thresholds chosen out of fold, and its PR curve."""
    p, asks = res["_p_commitment"], res["_asks"]
    flag = flag_thresholds(p, asks, min_recall=TARGET_RECALL, min_precision=STRICT_PRECISION,
                           what="5 folds grouped by document, out of fold")
    prec, rec, thr = precision_recall(p, asks)
    return {
        **flag.to_dict(),
        "precision_at_recall_0.95": res["commitment_p_at_r95"]["precision"],
        "forward_precision_at_recall_0.90": res["commitment_forward_p_at_r90"]["precision"],
        "curve": {"precision": prec.round(4).tolist(), "recall": rec.round(4).tolist(), "threshold": thr.round(4).tolist()},
    }


def _logged(log: Path) -> dict[str, dict[str, Any]]:
    """The scores of every recipe in a search log, by recipe (the last line of a recipe wins)."""
    if not log.exists():
        return {}
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {json.dumps(r["recipe"], sort_keys=True): r for r in rows}


def _remember(log: Path, res: dict[str, Any]) -> None:
    with log.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({k: v for k, v in res.items() if not k.startswith("_")}) + "\n")


def run_rolling(
    data_dir: Path, progress: Callable[[str], None], log_dir: Path, cache_dir: Path | None = None
) -> dict[str, Any]:
    """Score every listed recipe (from the logs in ``log_dir`` where there); the chosen type recipe fixes the flag."""
    log_dir.mkdir(parents=True, exist_ok=True)
    area_log, type_log = log_dir / "search-area.jsonl", log_dir / "search-type.jsonl"
    area_known, type_known = _logged(area_log), _logged(type_log)
    area = AreaBench(subject_rows(data_dir), unit_rows(data_dir), cache_dir)
    out: dict[str, Any] = {"years": list(ROLLING_YEARS), "policy_area": {}, "question_type": {}}
    for name, r in AREA_RECIPES.items():
        key = json.dumps(asdict(r), sort_keys=True)
        res = area_known.get(key)
        if res is None or (name == "chosen" and "unit_f1" not in res):
            progress(f"rolling: policy_area {name}")
            res = {**(res or area.evaluate(r, units=False)), **(area.unit_scores(r) if name == "chosen" else {})}
            _remember(area_log, res)
        out["policy_area"][name] = res
    types = TypeBench(unit_rows(data_dir))
    for name, r in TYPE_RECIPES.items():
        res = type_known.get(json.dumps(asdict(r), sort_keys=True))
        if res is None or name == "chosen":  # the chosen one's out-of-fold probabilities fix the flag
            progress(f"rolling: question_type {name}")
            res = types.evaluate(r)
            if name == "chosen":
                out["commitment"] = _commitment(res)
            _remember(type_log, res)
        out["question_type"][name] = {k: v for k, v in res.items() if not k.startswith("_")}
    return out


def _fmt(m: dict[str, float]) -> str:
    return f"{m['mean']:.3f} ± {m['sd']:.3f}"


def _markdown(res: dict[str, Any]) -> list[str]:
    years = res["years"]
    lines = ["# Rolling-origin evaluation", "",
             "Policy area: for each year Y, trained on the subject lines of the years before Y, scored on Y "
             "(macro-F1; addressee: lines sent to one portfolio; content: the content-coded sample of Y). "
             "Units: grouped 5-fold CV, trained on all subject lines plus the other folds' units. "
             "ECE: temperature fitted on the other years.", "",
             "| recipe | " + " | ".join(f"{y} addr / content" for y in years) + " | mean addressee | mean content | units | ECE |",
             "|---|" + "---|" * (len(years) + 4)]
    for name, r in res["policy_area"].items():
        per = " | ".join(f"{fy['addressee_f1']:.3f} / {fy['content_f1']:.3f}" for fy in r["years"])
        units = f"{r['unit_f1']:.3f}" if "unit_f1" in r else "—"
        lines.append(f"| {name} | {per} | {_fmt(r['addressee_f1'])} | {_fmt(r['content_f1'])} | {units} | "
                     f"{r['ece']['mean']:.3f} |")
    lines += ["", "Question type (macro-F1): CV grouped by document; forward: trained on units of documents before 2024 "
              "(or of unknown year), scored on 2024+; third person: the held-out \"u\" units rewritten "
              "(de minister / de staatssecretaris / het kabinet / de regering in turn).", "",
              "| recipe | CV | forward | \"u\" units | same units, third person | type kept | forward, third person |",
              "|---|---|---|---|---|---|---|"]
    for name, r in res["question_type"].items():
        lines.append(f"| {name} | {r['cv_f1']:.3f} | {r['forward_f1']:.3f} | {r['cv_f1_u_units']:.3f} | "
                     f"{r['cv_f1_third_person']:.3f} | {r['third_person_kept']:.3f} | {r['forward_f1_third_person']:.3f} |")
    c = res["commitment"]
    lines += ["", "Commitment flag (chosen type recipe, out of fold): threshold "
              f"{c['threshold']:.3f} → recall {c['recall']:.3f}, precision {c['precision']:.3f}; strict threshold "
              f"{c['strict_threshold']:.3f} → recall {c['strict_recall']:.3f}, precision {c['strict_precision']:.3f}; "
              f"precision at recall 0.95: {c['precision_at_recall_0.95']:.3f}. Curve: `commitment_pr.png`.", ""]
    return lines


def _plot(res: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    c = res["commitment"]
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    ax.plot(c["curve"]["recall"], c["curve"]["precision"], lw=1.5)
    ax.scatter([c["recall"]], [c["precision"]], color="C1", zorder=3, label=f"default {c['threshold']:.2f}")
    ax.scatter([c["strict_recall"]], [c["strict_precision"]], color="C2", zorder=3, label=f"strict {c['strict_threshold']:.2f}")
    ax.set(xlabel="recall", ylabel="precision", title="Commitment flag, out of fold", xlim=(0, 1.01), ylim=(0, 1.01))
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_rolling(res: dict[str, Any], out: Path) -> list[Path]:
    """``ROLLING.md``, ``rolling.json`` and ``commitment_pr.png`` in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "ROLLING.md", out / "rolling.json", out / "commitment_pr.png"]
    paths[0].write_text("\n".join(_markdown(res)), encoding="utf-8")
    recipes = {"policy_area": {k: asdict(v) for k, v in AREA_RECIPES.items()},
               "question_type": {k: asdict(v) for k, v in TYPE_RECIPES.items()}}
    paths[1].write_text(json.dumps({**res, "recipes": recipes}, indent=1, default=float) + "\n", encoding="utf-8")
    _plot(res, paths[2])
    return paths
