"""The benchmark's data: training rows and evaluation sets built from ``../shared/data``.

kvclassify is retrained on the rows of :func:`kvclassify.recipe.shipped_records`,
exactly the shipped recipe (soft labels, weights); the other systems on the
plain rows of the same files: one gold label per row (a unit's primary type;
single-area subject lines and question units with an area).
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kvclassify as kv

__all__ = ["DEFAULT_DATA_DIR", "TASKS", "TrainSet", "EvalSet", "plain_train_set", "recipe_train_set", "dev_sets", "eval_file", "question_units", "read_jsonl"]

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
TASKS = ("question_type", "policy_area")
Label = str | list[str]


@dataclass(frozen=True, slots=True)
class TrainSet:
    """Training rows of one task: a label is a class or a list of classes (soft label)."""

    texts: list[str]
    labels: list[Label]
    weights: list[float]

    def __len__(self) -> int:
        return len(self.texts)

    def sample(self, n: int, seed: int = 0) -> TrainSet:
        """``n`` rows drawn without replacement; prefixes of one shuffle, so samples are nested."""
        order = list(range(len(self)))
        random.Random(seed).shuffle(order)
        keep = sorted(order[:n])
        return TrainSet([self.texts[i] for i in keep], [self.labels[i] for i in keep], [self.weights[i] for i in keep])


@dataclass(frozen=True, slots=True)
class EvalSet:
    """Texts with one gold label each, plus texts scored by any-of (a prediction in a set counts)."""

    name: str
    texts: list[str]
    gold: list[str]
    any_of_texts: list[str]
    any_of_gold: list[frozenset[str]]


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _limited(rows: TrainSet, limit: int | None) -> TrainSet:
    return rows.sample(limit) if limit and limit < len(rows) else rows


def recipe_train_set(data_dir: Path, task: str, limit: int | None = None) -> TrainSet:
    """The shipped recipe's training rows for ``task`` (``limit``: a random sample of that size)."""
    rows = [r for r in kv.shipped_records(data_dir, "train") if r.get(task)]
    weight = "area_weight" if task == "policy_area" else None
    full = TrainSet(
        [r["text"] for r in rows], [r[task] for r in rows], [float(r.get(weight, 1.0)) if weight else 1.0 for r in rows]
    )
    return _limited(full, limit)


def plain_train_set(data_dir: Path, task: str, limit: int | None = None) -> TrainSet:
    """Training rows with one gold label each, from the train files that carry ``task`` labels."""
    files = ["questions"] if task == "question_type" else ["subjects", "questions"]
    rows = [r for f in files for r in read_jsonl(data_dir / f / "train.jsonl") if isinstance(r.get(task), str) and r[task]]
    return _limited(TrainSet([r["text"] for r in rows], [r[task] for r in rows], [1.0] * len(rows)), limit)


def _eval_set(name: str, records: Sequence[dict[str, Any]], task: str) -> EvalSet:
    """Records with a string label are scored exactly; unlabelled ones with several ``task + 's'`` by any-of."""
    single = [r for r in records if isinstance(r.get(task), str) and r[task]]
    multi = [r for r in records if not r.get(task) and len(r.get(task + "s") or []) > 1]
    return EvalSet(
        name,
        [r["text"] for r in single],
        [r[task] for r in single],
        [r["text"] for r in multi],
        [frozenset(r[task + "s"]) for r in multi],
    )


def dev_sets(data_dir: Path, task: str) -> list[EvalSet]:
    """The dev evaluation sets of a task."""
    questions = read_jsonl(data_dir / "questions" / "dev.jsonl")
    if task == "question_type":
        return [_eval_set("questions/dev", questions, task)]
    return [
        _eval_set("subjects/dev", read_jsonl(data_dir / "subjects" / "dev.jsonl"), task),
        _eval_set("questions/dev", questions, task),
    ]


def eval_file(path: Path, task: str) -> EvalSet:
    """Any JSONL file in the shared data's format as an evaluation set."""
    return _eval_set(Path(path).name, read_jsonl(path), task)


def question_units(data_dir: Path) -> list[str]:
    """Every question unit text (train and dev): the workload of the speed measurements."""
    return [r["text"] for split in ("train", "dev") for r in read_jsonl(data_dir / "questions" / f"{split}.jsonl")]
