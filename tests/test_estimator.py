"""``KvClassifier`` in scikit-learn: the API checks for text estimators, Pipeline, CV, grid search, saving."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError, SkipTestWarning
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils import estimator_checks as ec

import kvclassify as kv

YES = ["Bent u bereid dit te onderzoeken?", "Wilt u de Kamer hierover informeren?", "Gaat u maatregelen nemen?",
       "Bent u bereid met de sector in gesprek te gaan?", "Wilt u de regels aanpassen?",
       "Kunt u toezeggen de Kamer voor de zomer te informeren?"]
NO = ["Hoeveel mensen wachten op een woning?", "Wat is de stand van zaken?", "Klopt het dat dit gebeurde?",
      "Hoeveel boetes zijn er uitgedeeld?", "Wanneer is het besluit genomen?", "Welke gemeenten doen mee?"]
X = YES + NO
Y = [1] * len(YES) + [0] * len(NO)

# The checks of scikit-learn that apply to an estimator of texts (the others feed it numeric matrices).
API_CHECKS = [
    ec.check_parameters_default_constructible,
    ec.check_get_params_invariance,
    ec.check_set_params,
    ec.check_no_attributes_set_in_init,
    ec.check_estimator_repr,
    ec.check_estimator_cloneable,
    ec.check_do_not_raise_errors_in_init_or_set_params,
    ec.check_mixin_order,
    ec.check_valid_tag_types,
    ec.check_estimators_unfitted,
]


@pytest.mark.parametrize("check", API_CHECKS, ids=lambda c: c.__name__)
def test_scikit_learn_api_checks(check) -> None:  # type: ignore[no-untyped-def]
    check("KvClassifier", kv.KvClassifier())


def test_check_estimator_skips_numeric_checks_because_input_is_text() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ec.check_estimator(kv.KvClassifier())
    assert any(issubclass(w.category, SkipTestWarning) and "requires input" in str(w.message) for w in caught)


def test_fit_predict_shapes_and_labels_as_given() -> None:
    est = kv.KvClassifier(calibrate=False).fit(np.array(X), Y)
    assert est.classes_.tolist() == [0, 1]
    assert est.predict(["Bent u bereid de Kamer te informeren?"]).tolist() == [1]
    proba = est.predict_proba(X)
    assert proba.shape == (len(X), 2) and np.allclose(proba.sum(axis=1), 1)
    assert est.decision_function(X).shape == (len(X),)
    assert ((est.decision_function(X) > 0) == (proba[:, 1] > 0.5)).all()
    assert est.score(X, Y) == 1.0
    three = kv.KvClassifier(calibrate=False).fit(X, ["c", "b", "a"] * 4)
    assert three.decision_function(X).shape == (len(X), 3) and three.classes_.tolist() == ["a", "b", "c"]


def test_calibration_fits_a_temperature() -> None:
    est = kv.KvClassifier(calibrate=True).fit(X * 2, Y * 2)
    assert est.model_.card["config"]["label"]["temperature"] != 1.0
    assert kv.KvClassifier(calibrate=False).fit(X, Y).model_.card["config"]["label"]["temperature"] == 1.0


def test_unfitted_and_bad_input() -> None:
    with pytest.raises(NotFittedError):
        kv.KvClassifier().predict(X)
    with pytest.raises(kv.InputError, match="single string"):
        kv.KvClassifier().fit("one text", [1])
    with pytest.raises(kv.DataError, match="single class"):
        kv.KvClassifier().fit(X, [1] * len(X))
    with pytest.raises(kv.InputError, match="KvClassifier"):
        kv.KvClassifier(word_ngrams=(3, 1)).fit(X, Y)


def test_pipeline_cross_val_and_grid_search() -> None:
    pipe = Pipeline([("lower", FunctionTransformer(lambda t: [s.lower() for s in t])),
                     ("clf", kv.KvClassifier(calibrate=False))])
    assert cross_val_score(pipe, X, Y, cv=2).shape == (2,)
    grid = GridSearchCV(kv.KvClassifier(calibrate=False), {"C": [1.0, 10.0]}, cv=2).fit(X, Y)
    assert grid.best_params_["C"] in (1.0, 10.0)
    assert clone(grid.best_estimator_).get_params()["C"] == grid.best_params_["C"]


def test_saved_model_predicts_the_same(tmp_path: Path) -> None:
    est = kv.KvClassifier(calibrate=False).fit(X, Y)
    kv.save_model(est.model_, tmp_path / "m.kvc")
    loaded = kv.load_model(tmp_path / "m.kvc")
    assert np.allclose(loaded.heads["label"].predict_proba(X), est.model_.heads["label"].predict_proba(X))


def test_heads_of_a_loaded_model_have_scikit_learn_shapes() -> None:
    model = kv.load_model()
    for task, head in model.heads.items():
        proba = head.predict_proba(X)
        assert proba.shape == (len(X), len(head.classes_)), task
        assert np.allclose(proba.sum(axis=1), 1)
        assert head.predict(X) == [head.classes_[i] for i in proba.argmax(axis=1)]


@pytest.mark.parametrize("missing", [np.nan, float("nan"), None])
def test_a_missing_label_is_refused_not_learned_as_a_class(missing: object) -> None:
    y = [1.0] * 6 + [missing] * 6 if missing is not None else ["ja"] * 6 + [None] * 6
    with pytest.raises(kv.DataError, match=r"^y\[6\] is a missing label \((nan|None)\); leave unlabelled texts out"):
        kv.KvClassifier().fit(X, y)
    with pytest.raises(kv.DataError, match="missing label"):
        kv.KvClassifier(calibrate=False).fit(X, np.array(y, dtype=float if missing is not None else object))


def test_calibration_with_fewer_examples_per_class_than_holdout_folds() -> None:
    # Four of each class: a 1/5 holdout cannot be stratified, so 1/4 is held out.
    est = kv.KvClassifier(calibrate=True).fit(YES[:4] + NO[:4], [1] * 4 + [0] * 4)
    assert est.classes_.tolist() == [0, 1] and est.model_.card["metrics"]["holdout"]["label"]["n"] == 2


def test_a_fitted_estimator_pickles() -> None:
    import pickle

    texts = ["Bent u bereid dit te onderzoeken?", "Wilt u de Kamer informeren?", "Gaat u maatregelen nemen?",
             "Hoeveel mensen wachten?", "Wat is de stand van zaken?", "Klopt het dat dit gebeurde?"]
    est = kv.KvClassifier(calibrate=False).fit(texts, ["ja", "ja", "ja", "nee", "nee", "nee"])
    copied = pickle.loads(pickle.dumps(est))
    assert copied.predict(texts).tolist() == est.predict(texts).tolist()
    assert (copied.predict_proba(texts) == est.predict_proba(texts)).all()


def _tiny() -> kv.KvClassifier:
    return kv.KvClassifier(calibrate=False).fit(["Bent u bereid?", "Wilt u dit doen?", "Hoeveel?", "Wat is dit?"],
                                                ["ja", "ja", "nee", "nee"])


def test_no_texts_give_empty_results_of_the_right_shape() -> None:
    est = _tiny()
    assert est.predict([]).shape == (0,) and est.predict_proba([]).shape == (0, 2)
    assert est.decision_function([]).shape == (0,)
    assert kv.load_model().heads["policy_area"].predict_proba([]).shape == (0, 16)


def test_texts_from_a_generator_are_read() -> None:
    est = _tiny()
    assert list(est.predict(t for t in ["Hoeveel?", "Bent u bereid?"])) == list(est.predict(["Hoeveel?", "Bent u bereid?"]))


def test_calibrate_must_be_a_bool() -> None:
    with pytest.raises(kv.InputError, match="calibrate must be True or False"):
        kv.KvClassifier(calibrate="no").fit(["a b", "c d"], ["x", "y"])  # type: ignore[arg-type]
