"""The rolling-origin benchmark: years never leak backwards, documents never straddle folds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from benchmarks.rolling import _commitment, write_rolling
from benchmarks.rolling_area import AreaBench, AreaRecipe
from benchmarks.rolling_data import ROLLING_YEARS, SubjectRow, UnitRow, document_year, grouped_folds
from benchmarks.rolling_type import TypeBench, TypeRecipe

WORDS = {"zorg_welzijn": ["ziekenhuis", "huisarts", "ggz"], "defensie": ["fregat", "munitie", "kazerne"],
         "onderwijs_cultuur": ["school", "leraar", "museum"]}


def subjects() -> list[SubjectRow]:
    rows = []
    for year in range(2016, 2024):
        for area, words in WORDS.items():
            for k, w in enumerate(words):
                content = area if k == 0 else None
                rows.append(SubjectRow(f"Het bericht over {w} in {year} nummer {k}", year, (area,), content, content is not None))
    return rows


def units() -> list[UnitRow]:
    frames = {"commitment": "Bent u bereid {w} te verbeteren?", "opinion": "Wat vindt u van {w}?", "factual": "Hoeveel kost {w}?"}
    rows = []
    for d in range(30):
        year = 2024 if d % 3 == 0 else None
        for t, frame in frames.items():
            area = list(WORDS)[d % 3]
            rows.append(UnitRow(frame.format(w=WORDS[area][d % 3]), (t,), t, area, f"doc{d}", year))
    return rows


def test_document_years() -> None:
    assert [document_year(d) for d in ("2024Z18775", "ah-tk-20242025-594", "rm-x-boa-2024", "llft-1", None)] == [
        2024, 2024, 2024, None, None]


def test_grouped_folds_keep_a_document_together() -> None:
    u = units()
    folds = grouped_folds([x.primary for x in u], [x.group for x in u], 5)
    assert sorted(np.concatenate(folds).tolist()) == list(range(len(u)))
    for test in folds:
        inside = {u[i].group for i in test}
        assert not inside & {x.group for i, x in enumerate(u) if i not in set(test.tolist())}


def test_a_year_is_scored_by_a_model_of_the_years_before() -> None:
    bench = AreaBench(subjects(), units())
    for y in ROLLING_YEARS:
        assert all(str(y) not in t and str(y + 1) not in t for t in bench._train_texts(f"Y{y}"))
    res = bench.evaluate(AreaRecipe(C=1.0), n_jobs=1)
    assert [fy["year"] for fy in res["years"]] == list(ROLLING_YEARS)
    assert all(fy["n_addressee"] == 9 and fy["n_content"] == 3 for fy in res["years"])
    assert 0 <= res["unit_f1"] <= 1 and res["addressee_f1"]["sd"] >= 0


@pytest.fixture(scope="module")
def type_result() -> dict:
    return TypeBench(units()).evaluate(TypeRecipe(solver="svc", C=1.0, canonical=True), n_jobs=1)


def test_type_bench_scores_both_forms_and_the_flag(type_result: dict) -> None:
    assert type_result["forward_n"] == 30 and type_result["n_third_person"] == 60  # the factual frame has no "u"
    assert type_result["third_person_kept"] == 1.0  # the canonical reading makes both forms one
    assert type_result["_p_commitment"].shape == (90,)


def test_rolling_outputs_are_written(type_result: dict, tmp_path: Path) -> None:
    area = AreaBench(subjects(), units()).evaluate(AreaRecipe(C=1.0), n_jobs=1)
    res = {"years": list(ROLLING_YEARS), "policy_area": {"chosen": area},
           "question_type": {"chosen": {k: v for k, v in type_result.items() if not k.startswith("_")}},
           "commitment": _commitment(type_result)}
    paths = write_rolling(res, tmp_path)
    assert [p.name for p in paths] == ["ROLLING.md", "rolling.json", "commitment_pr.png"]
    assert "| chosen |" in paths[0].read_text() and paths[2].stat().st_size > 1000
