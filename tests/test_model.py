"""The model: its predictions and explanations stay those of the shipped file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kvclassify as kv

# The shipped model's outputs for the fixture documents' units and subjects, the README's examples and
# hand-written texts, rounded to 1e-6: first written by the pre-refactor code (commit d47a3b9) for the
# v1 model, which the refactored code reproduced; rewritten for each rebuilt model by
# ``python tests/test_model.py`` (its first line names the model file it holds).
GOLDEN = Path(__file__).parent / "fixtures" / "golden" / "shipped-predictions.jsonl"
HEADER, *ROWS = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines()]


def test_golden_is_of_the_shipped_model() -> None:
    assert HEADER["sha256"] == kv.load_model().info.sha256, "rebuilt model: run python tests/test_model.py"


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
        # The head's own explanation: kv.explain then sums character n-grams into words (see test_api).
        terms = kv.load_model().explain(row["text"], task, 5).terms
        assert [t.term for t in terms] == [t for t, _ in row["explain"][task]], row["text"]
        for term, (_, c) in zip(terms, row["explain"][task]):
            assert term.contribution == pytest.approx(c, abs=2e-6)


def test_with_card_leaves_the_model_unchanged() -> None:
    model = kv.load_model()
    renamed = model.with_card({"name": "renamed"})
    assert renamed.info.name == "renamed" and model.info.name != "renamed"
    assert renamed.heads == model.heads and renamed.info.sha256 == model.info.sha256


def test_loaded_model_knows_its_file_digest(tmp_path: Path) -> None:
    digest = kv.save_model(kv.load_model(), tmp_path / "m.kvc")
    loaded = kv.load_model(tmp_path / "m.kvc")
    assert loaded.info.sha256 == digest
    # A model saved by this code still predicts as the shipped file does.
    row = ROWS[0]
    got = kv.classify(row["text"], model=loaded)
    assert max(abs(got["policy_area"].probabilities[c] - p) for c, p in row["probabilities"]["policy_area"].items()) < 2e-6


@pytest.mark.parametrize("texts", ["one string", [None], [1, 2], None, 3])
def test_predict_proba_refuses_what_is_not_a_list_of_strings(texts: object) -> None:
    model = kv.load_model()
    with pytest.raises(kv.InputError, match="texts must be a list of strings"):
        model.predict_proba(texts, "policy_area")  # type: ignore[arg-type]
    with pytest.raises(kv.InputError, match="texts must be a list of strings"):
        model.heads["question_type"].predict(texts)  # type: ignore[arg-type]


def test_a_model_is_built_from_heads_and_a_mapping() -> None:
    model = kv.load_model()
    for heads, card in [({}, {}), ({"a": 1}, {}), ([1], {}), (model.heads, [1])]:
        with pytest.raises(kv.InputError):
            kv.Model(heads, card)  # type: ignore[arg-type]
    with pytest.raises(kv.InputError, match="card entries must be a mapping"):
        model.with_card([("name", "x")])  # type: ignore[arg-type]


def _write_golden() -> None:
    """Rewrite the golden file for the shipped model, with the same texts."""
    model, texts = kv.load_model(), [r["text"] for r in ROWS]
    lines = [{"sha256": model.info.sha256}]
    for row, c in zip(ROWS, kv.classify_many(texts)):
        out = {"text": row["text"], "coverage": c.coverage, "in_domain": c.in_domain,
               "probabilities": {t: {k: round(v, 6) for k, v in p.probabilities.items()} for t, p in c.predictions.items()}}
        if "explain" in row:
            out["explain"] = {t: [[x.term, round(x.contribution, 6)] for x in model.explain(row["text"], t, 5).terms]
                              for t in model.heads}
        lines.append(out)
    GOLDEN.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")


if __name__ == "__main__":
    _write_golden()


def test_a_model_pickles_and_its_copy_classifies_the_same() -> None:
    # A worker process (multiprocessing, joblib) gets the model by pickle; its look-up views are made again.
    import copy
    import pickle

    model = kv.load_model()
    texts = ["Bent u bereid de Kamer te informeren?", "Hoeveel boetes zijn er uitgedeeld?", "Wat vindt u daarvan?"]
    kv.classify_many(texts * 1000, model=model)  # the large-batch weights exist: they are not carried
    for copied in (pickle.loads(pickle.dumps(model)), copy.deepcopy(model)):
        assert kv.classify_many(texts, model=copied) == kv.classify_many(texts, model=model)
        assert kv.classify_many(texts * 1000, model=copied) == kv.classify_many(texts * 1000, model=model)
        assert kv.explain(texts[0], task="policy_area", model=copied) == kv.explain(texts[0], task="policy_area", model=model)
