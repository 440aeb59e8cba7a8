"""Rows and splits of the rolling-origin evaluation.

Subject lines are split by the year of their ``date``: for a year Y the model
is trained on every line of the years before Y and scored on the lines of Y.
A line in ``subjects/content.jsonl`` is trained on its content label instead
of its addressee label. Question units are split by document: the units of
one document (or one unit, when its document is unknown) never straddle a
split; where the document's year is known, the units of 2024 and later form
a forward split (train on the older units, score the newer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .data import read_jsonl

__all__ = [
    "ROLLING_YEARS",
    "FORWARD_YEAR",
    "SubjectRow",
    "UnitRow",
    "subject_rows",
    "unit_rows",
    "document_year",
    "grouped_folds",
]

ROLLING_YEARS = (2020, 2021, 2022, 2023)
FORWARD_YEAR = 2024  # units of documents of this year and later are the forward split's test side
# A year in a document id: "2024Z18775", "ah-tk-20242025-594" (the first year of a session), "...-2024".
_YEAR = re.compile(r"(?<!\d)(20[0-3]\d)(?=Z|\d{4}-|$|\.|-)")


@dataclass(frozen=True, slots=True)
class SubjectRow:
    """One subject line: its year, addressee areas and (where coded) its content area."""

    text: str
    year: int
    addressee: tuple[str, ...]
    content: str | None
    in_content_sample: bool

    @property
    def train_labels(self) -> tuple[str, ...]:
        """The areas it is trained on: the content area where coded, else those of its addressees."""
        if self.in_content_sample:
            return (self.content,) if self.content else ()
        return self.addressee


@dataclass(frozen=True, slots=True)
class UnitRow:
    """One question unit: the types it asks for, its primary type, its content area and its document."""

    text: str
    types: tuple[str, ...]
    primary: str
    area: str | None
    group: str
    year: int | None


def subject_rows(data_dir: Path) -> list[SubjectRow]:
    """All subject lines of train and dev, oldest first."""
    content = {r["id"]: r for r in read_jsonl(data_dir / "subjects" / "content.jsonl")}
    rows = []
    for split in ("train", "dev"):
        for r in read_jsonl(data_dir / "subjects" / f"{split}.jsonl"):
            c = content.get(r["id"])
            rows.append(
                SubjectRow(
                    r["text"],
                    int(r["date"][:4]),
                    tuple(r.get("policy_areas") or ([r["policy_area"]] if r.get("policy_area") else [])),
                    c["policy_area"] if c else None,
                    c is not None,
                )
            )
    rows.sort(key=lambda r: r.year)
    return rows


def document_year(doc_id: str | None) -> int | None:
    """The year a document id carries, if any.

    >>> document_year("2024Z18775"), document_year("ah-tk-20242025-594"), document_year(None)
    (2024, 2024, None)
    """
    m = _YEAR.search(doc_id or "")
    return int(m.group(1)) if m else None


def unit_rows(data_dir: Path) -> list[UnitRow]:
    """All question units of train and dev."""
    rows = []
    for split in ("train", "dev"):
        for r in read_jsonl(data_dir / "questions" / f"{split}.jsonl"):
            rows.append(
                UnitRow(
                    r["text"],
                    tuple(sorted(r.get("question_types") or [r["question_type"]])),
                    r["question_type"],
                    r.get("policy_area"),
                    r.get("doc_id") or r["id"],
                    document_year(r.get("doc_id")),
                )
            )
    return rows


def grouped_folds(labels: list[str], groups: list[str], k: int = 5, seed: int = 0) -> list[np.ndarray]:
    """Test indices of ``k`` folds, stratified by label, with each group in one fold."""
    from sklearn.model_selection import StratifiedGroupKFold

    splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    return [test for _, test in splitter.split(np.zeros(len(labels)), labels, groups)]
