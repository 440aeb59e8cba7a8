"""The model: its predictions and explanations stay those of the shipped file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kvclassify as kv

# Written by the pre-refactor code (commit d47a3b9) from the shipped model: the fixture documents'
# units and subjects, the README's examples and hand-written texts, rounded to 1e-6.
GOLDEN = Path(__file__).parent / "fixtures" / "golden" / "shipped-predictions.jsonl"
ROWS = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines()]


def test_golden_covers_enough_texts() -> None:
    assert len(ROWS) >= 300


def test_shipped_model_gives_the_golden_probabilities() -> None:
    results = kv.classify_many([r["text"] for r in ROWS])
    for row, result in zip(ROWS, results, strict=True):
        assert result.coverage == row["coverage"] and result.in_domain == row["in_domain"], row["text"]
        for task, expected in row["probabilities"].items():
            got = result[task].probabilities
            assert got.keys() == expected.keys()
            assert max(abs(got[c] - p) for c, p in expected.items()) <= 1.5e-6, (row["text"], task)


@pytest.mark.parametrize("task", ["question_type", "policy_area"])
def test_shipped_model_gives_the_golden_explanations(task: str) -> None:
    for row in ROWS:
        if "explain" not in row:
            continue
        terms = kv.explain(row["text"], task=task, k=5).terms
        assert [t.term for t in terms] == [t for t, _ in row["explain"][task]], row["text"]
        for term, (_, c) in zip(terms, row["explain"][task]):
            assert term.contribution == pytest.approx(c, abs=2e-6)
