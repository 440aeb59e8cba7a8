"""The prediction path: one text gives bit for bit its batch result, in numpy alone, with either look-up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import kvclassify as kv
from kvclassify import ngrams
from kvclassify.features import FeatureConfig, Featurizer, paired
from kvclassify.tokens import tokenize_batch

from .conftest import FIXTURES, REPO
from .test_features import reference

GOLDEN_TEXTS = [row["text"] for row in map(json.loads, (FIXTURES / "golden" / "shipped-predictions.jsonl").open()) if "text" in row]


def _combinations(texts: list[str], n: int) -> list[str]:
    """``n`` texts made of two committed texts each (a fixed pseudo-random pairing), then the texts themselves."""
    rng = np.random.default_rng(14)
    pairs = rng.integers(0, len(texts), size=(n, 2))
    return [f"{texts[a]} {texts[b]}" for a, b in pairs.tolist()] + texts


def _assert_alone_equals_batch(texts: list[str]) -> None:
    model = kv.load_model()
    batch = kv.classify_many(texts, model=model)
    for text, in_batch in zip(texts, batch, strict=True):
        assert kv.classify(text, model=model) == in_batch, text  # exact: the same floats, not close ones


def test_one_text_equals_its_batch_result_on_thousands_of_texts() -> None:
    texts = _combinations(GOLDEN_TEXTS, 2000)
    texts += [p.read_text("utf-8")[:2000] for p in sorted((FIXTURES / "documents").glob("*.txt"))]
    assert len(texts) > 2000
    _assert_alone_equals_batch(texts)


def test_one_text_equals_its_batch_result_on_the_public_units(shared_data: Path) -> None:
    texts = [json.loads(line)["text"] for line in (shared_data / "questions" / "dev.jsonl").open()]
    _assert_alone_equals_batch(texts)


def test_small_batches_equal_one_large_batch() -> None:
    texts = _combinations(GOLDEN_TEXTS, 300)
    assert kv.classify_many(texts, batch_size=7) == kv.classify_many(texts)


def test_explain_agrees_with_classify() -> None:
    for text in GOLDEN_TEXTS[:100]:
        c = kv.classify(text)
        for task in ("question_type", "policy_area"):
            e = kv.explain(text, task=task, k=3)
            assert e.label == c[task].label and e.runner_up == c[task].top(2)[1][0], (text, task)


def test_rows_dot_equals_the_sparse_product() -> None:
    texts = _combinations(GOLDEN_TEXTS, 50)
    f = Featurizer.fit(texts, FeatureConfig(word_ngrams=(1, 2), char_ngrams=(3, 4), clause_start=2))
    weights = np.random.default_rng(0).standard_normal((f.n_features, 5)).astype(np.float32)
    dense = f.transform(texts).toarray().astype(np.float64) @ weights
    x = f.rows(tokenize_batch(texts))
    for by_output in (None, np.ascontiguousarray(paired(weights).T)):
        np.testing.assert_allclose(x.dot(paired(weights), by_output)[:, :5], dense, rtol=1e-5, atol=1e-5)


def test_repeated_tokens_count_alike_in_both_char_paths() -> None:
    """Few texts match every token occurrence; many match each distinct token once: both equal the reference."""
    few = ["Bent u bereid de de de Kamer te informeren?", "Wat vindt u van de jeugdzorg?"]
    many = _combinations(GOLDEN_TEXTS, 200) + ["de " * 500 + "jeugdzorg " * 30]
    f = Featurizer.fit(many, FeatureConfig(word_ngrams=(1, 2), char_ngrams=(3, 5), min_df=1))
    for texts, distinct in ((few, False), (many, True)):
        batch = tokenize_batch(texts)
        assert (len(batch.inv) > 2 * len(batch.unique)) == distinct
        np.testing.assert_allclose(f.transform(texts).toarray(), reference(f, texts), atol=1e-6)


@pytest.mark.parametrize("n_keys", [1, 5, 300, 20_000])
def test_a_hashed_level_finds_what_a_binary_search_finds(n_keys: int) -> None:
    rng = np.random.default_rng(n_keys)
    keys = np.unique(rng.integers(0, 40 * n_keys, size=n_keys))
    table = ngrams._HashTable.build(keys)
    queries = np.concatenate([keys, rng.integers(0, 40 * n_keys + 5, size=3 * n_keys), keys[::-1]])
    at = np.minimum(np.searchsorted(keys, queries), len(keys) - 1)
    np.testing.assert_array_equal(table.find(queries, len(keys)), np.where(keys[at] == queries, at, len(keys)))


def test_a_hashed_level_probes_past_colliding_keys() -> None:
    # Keys that share their first slot: their Fibonacci products agree in the top bits.
    table = ngrams._HashTable.build(np.arange(8, dtype=np.int64))
    shift = int(table.shift)
    same = [k for k in range(200_000) if (k * 0x9E3779B97F4A7C15 % 2**64) >> shift == 0][:6]
    keys = np.array(sorted(same), dtype=np.int64)
    table = ngrams._HashTable.build(keys)
    assert len(table.keys) == 32 and int(table.shift) == shift  # the same size of table: the keys collide in it
    queries = np.array([*keys, 1, *keys[::-1]], dtype=np.int64)
    expected = [*range(6), 6 if 1 not in same else same.index(1), *range(5, -1, -1)]
    assert table.find(queries, 6).tolist() == expected


def test_grouped_sort_equals_one_sort() -> None:
    from kvclassify.features import _sorted

    rng = np.random.default_rng(3)
    for n in (0, 7, 511, 513, 40_000):
        keys = rng.integers(0, 1000 * 97 << 8, size=n)
        np.testing.assert_array_equal(_sorted(keys.copy(), 1000 * 97), np.sort(keys))


def test_direct_address_and_hashed_look_ups_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _combinations(GOLDEN_TEXTS, 100)
    config = FeatureConfig(word_ngrams=(1, 3), char_ngrams=(2, 4), clause_start=2, min_df=1)
    dense = Featurizer.fit(texts, config)
    monkeypatch.setattr(ngrams, "_DENSE_LIMIT", 0)  # every level hashed
    searched = Featurizer(config, dense.vocabulary, dense.idf)
    assert all(lookup.table is None for kind in searched.kinds.values() for lookup in kind.index.lookups)
    assert any(lookup.table is not None for kind in dense.kinds.values() for lookup in kind.index.lookups)
    batch = tokenize_batch(texts)
    a, b = dense.rows(batch), searched.rows(batch)
    for x, y in ((a.indptr, b.indptr), (a.indices, b.indices), (a.data, b.data)):
        np.testing.assert_array_equal(x, y)


def _third_party_modules(code: str) -> set[str]:
    """Top-level modules outside the standard library that a fresh ``python -c code`` has loaded."""
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, check=True, capture_output=True, text=True).stdout
    return set(json.loads(out.splitlines()[-1])) - set(sys.stdlib_module_names)


def test_the_prediction_path_imports_numpy_alone() -> None:
    baseline = _third_party_modules("import numpy")  # what the interpreter's site hooks load anyway, and numpy
    used = _third_party_modules(
        "import kvclassify as kv\n"
        "kv.classify('Bent u bereid de Kamer te informeren?')\n"
        "kv.classify_many(['Hoeveel boetes zijn er uitgedeeld?', 'Deelt u de mening?'])\n"
        "kv.explain('Bent u bereid de Kamer te informeren?', task='policy_area')\n"
        "kv.classify_document(open('tests/fixtures/documents/seed-2025-om-ict.txt', encoding='utf-8').read())"
    )
    assert "numpy" in baseline
    assert used - baseline == {"kvclassify"}


def test_a_head_gives_one_text_its_batch_probabilities() -> None:
    """``Head.predict_proba`` (scikit-learn's shape) takes the one-text path for one text: the same floats."""
    texts = _combinations(GOLDEN_TEXTS, 200)
    for head in kv.load_model().heads.values():
        batch = head.predict_proba(texts)
        for i in range(0, len(texts), 17):
            np.testing.assert_array_equal(head.predict_proba([texts[i]])[0], batch[i])
