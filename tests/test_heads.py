"""Head kinds: registry, probabilities, explanation rule and serialisation, one class each."""

from __future__ import annotations

import numpy as np
import pytest

import kvclassify as kv
from kvclassify.errors import ModelError
from kvclassify.features import FeatureConfig, Featurizer
from kvclassify.heads import HEAD_KINDS, Head, PrecedenceHead, SoftmaxHead

FEATURES = Featurizer.fit(["bent u bereid", "wat vindt u", "hoeveel zijn er"], FeatureConfig(char_ngrams=None, min_df=1))
RNG = np.random.default_rng(0)


def heads() -> list[Head]:
    n = FEATURES.n_features
    return [
        SoftmaxHead("t", ["a", "b", "c"], FEATURES, RNG.normal(size=(n, 3)), RNG.normal(size=3), 1.5),
        PrecedenceHead("t", ["a", "b", "c"], FEATURES, RNG.normal(size=(n, 2)), RNG.normal(size=2), 0.7,
                       precedence=["c", "a", "b"]),
    ]


def test_registry_names_every_kind() -> None:
    assert {name: cls.kind for name, cls in HEAD_KINDS.items()} == {"softmax": "softmax", "precedence": "precedence"}


@pytest.mark.parametrize("head", heads(), ids=lambda h: h.kind)
def test_serialised_form_rebuilds_the_same_head(head: Head) -> None:
    meta = head.to_meta()
    again = HEAD_KINDS[meta["kind"]].from_params(
        meta["task"], meta["classes"], FEATURES, head.coef, head.intercept, meta["temperature"], meta
    )
    texts = ["bent u bereid", "hoeveel"]
    np.testing.assert_array_equal(again.predict_proba(texts), head.predict_proba(texts))
    np.testing.assert_allclose(head.predict_proba(texts).sum(axis=1), 1.0)


def test_softmax_explains_by_the_difference_of_the_two_columns() -> None:
    head = heads()[0]
    x = FEATURES.transform(["bent u bereid"]).toarray()[0]
    logits = x @ head.coef + head.intercept
    for label, runner_up in [(0, 1), (1, 2), (2, 0)]:
        w, b = head.decisive(label, runner_up)
        assert x @ w + b == pytest.approx(logits[label] - logits[runner_up], abs=1e-5)


def test_precedence_explains_by_the_ask_of_the_more_demanding_label() -> None:
    head = heads()[1]  # classes a, b, c; precedence c > a > b: outputs "asks for c", "asks for a"
    cases = {(0, 1): (1, 1.0), (2, 0): (0, 1.0), (1, 2): (0, -1.0), (0, 2): (0, -1.0)}
    for (label, runner_up), (column, sign) in cases.items():
        w, b = head.decisive(label, runner_up)
        np.testing.assert_array_equal(w, sign * head.coef[:, column])
        assert b == pytest.approx(sign * head.intercept[column])


def test_precedence_reads_the_most_demanding_ask_first() -> None:
    head = heads()[1]
    p = head.probabilities(np.array([[50.0, 50.0]]), 1.0)[0]
    assert dict(zip(head.classes_, p.round(6))) == {"a": 0.0, "b": 0.0, "c": 1.0}
    with pytest.raises(ModelError, match="not an order"):
        PrecedenceHead("t", ["a", "b"], FEATURES, np.zeros((FEATURES.n_features, 1)), np.zeros(1), precedence=["a"])


def test_softmax_head_with_wrong_weights_is_refused() -> None:
    with pytest.raises(ModelError, match="do not fit"):
        SoftmaxHead("t", ["a", "b"], FEATURES, np.zeros((FEATURES.n_features, 3)), np.zeros(3))


def test_shipped_heads_are_one_of_each_kind() -> None:
    model = kv.load_model()
    assert {t: h.kind for t, h in model.heads.items()} == {"question_type": "precedence", "policy_area": "softmax"}
