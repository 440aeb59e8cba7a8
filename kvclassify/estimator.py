"""``KvClassifier``: one kvclassify head as a scikit-learn estimator.

It trains through :func:`kvclassify.train` (the library's own featurizer,
solver and temperature calibration), so a model tuned in a ``Pipeline`` or a
``GridSearchCV`` is the same as one trained with ``kvclassify train``, and
``save_model(est.model_, path)`` writes it as a ``.kvc`` file.

Inputs are texts (a list, a NumPy array of strings, a pandas Series), not a
numeric matrix; scikit-learn's ``check_estimator`` therefore skips its numeric
checks (the estimator's tags say ``string`` input); the API checks that apply
to text estimators are run in ``tests/test_estimator.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from .errors import DataError, InputError
from .features import FeatureConfig
from .missing import is_missing
from .model import Model
from .records import text_key
from .training import HeadConfig, TrainConfig, train

__all__ = ["KvClassifier"]

_TASK = "label"


def _texts(X: Any) -> list[str]:
    """The texts of ``X``: a 1-D sequence of strings (a list, array, Series) or a one-column 2-D array."""
    if isinstance(X, str):
        raise InputError("X must be a sequence of texts, not a single string")
    if isinstance(X, Iterator):  # a generator has no length: numpy would make it one object, not its texts
        X = list(X)
    array = np.asarray(X, dtype=object)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise InputError(f"X must be a 1-D sequence of texts, got an array of shape {array.shape}")
    bad = next((i for i, t in enumerate(array) if not isinstance(t, str)), None)
    if bad is not None:
        raise InputError(f"X[{bad}] is a {type(array[bad]).__name__}, expected a str")
    return list(array)


class KvClassifier(ClassifierMixin, BaseEstimator):
    """A TF-IDF + linear text classifier trained by kvclassify, with scikit-learn's interface.

    Parameters
    ----------
    word_ngrams : (min_n, max_n) of word n-grams, or None.
    char_ngrams : (min_n, max_n) of character n-grams, or None.
    min_df : fewest texts a feature must occur in.
    C : inverse regularisation strength.
    class_weight : ``"balanced"`` or None.
    calibrate : fit the temperature of the probabilities on a held-out part
        of the training data (``validation="holdout"``); False keeps temperature 1.
    random_state : seed of the split and the solver.

    Attributes
    ----------
    classes_ : the labels, sorted, as given in ``y``.
    model_ : the fitted :class:`kvclassify.Model` (one head, task ``"label"``).

    Examples
    --------
    >>> import kvclassify as kv
    >>> texts = ["Bent u bereid dit te onderzoeken?", "Wilt u de Kamer informeren?", "Gaat u maatregelen nemen?",
    ...          "Hoeveel mensen wachten?", "Wat is de stand van zaken?", "Klopt het dat dit gebeurde?"]
    >>> est = kv.KvClassifier(calibrate=False).fit(texts, ["ja", "ja", "ja", "nee", "nee", "nee"])
    >>> est.predict(["Bent u bereid te helpen?"]).tolist(), est.predict_proba(texts).shape
    (['ja'], (6, 2))
    """

    def __init__(
        self,
        word_ngrams: tuple[int, int] | None = (1, 2),
        char_ngrams: tuple[int, int] | None = (3, 5),
        min_df: int = 1,
        C: float = 10.0,
        class_weight: str | None = "balanced",
        calibrate: bool = True,
        random_state: int = 0,
    ) -> None:
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.C = C
        self.class_weight = class_weight
        self.calibrate = calibrate
        self.random_state = random_state

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags

    def _config(self) -> TrainConfig:
        if not isinstance(self.calibrate, (bool, np.bool_)):  # "no" is truthy: it would calibrate
            raise InputError(f"KvClassifier: calibrate must be True or False, got {self.calibrate!r}")
        try:
            features = FeatureConfig(word_ngrams=self.word_ngrams, char_ngrams=self.char_ngrams, min_df=self.min_df)
            head = HeadConfig(features=features, C=float(self.C), class_weight=self.class_weight,
                              temperature=None if self.calibrate else 1.0)
        except (TypeError, ValueError) as exc:
            raise InputError(f"KvClassifier: {exc}") from None
        # Each label needs a few rows when part of the data is held out for calibration.
        return TrainConfig(head=head, validation="holdout" if self.calibrate else "none", min_examples=1)

    def fit(self, X: Iterable[str], y: Iterable[Any]) -> KvClassifier:
        """Train on texts ``X`` with labels ``y`` (any hashable values; they come back as given).

        Raises
        ------
        DataError
            A missing label (None or NaN), labels of types that do not sort
            together or print alike, or a single class; see also
            :func:`kvclassify.train` (with ``calibrate``, a holdout split).
        """
        texts, labels = _texts(X), np.asarray(list(y))
        if labels.ndim != 1 or len(labels) != len(texts):
            raise InputError(f"y must be 1-D with one label per text: {len(texts)} texts, y of shape {labels.shape}")
        values = labels.tolist()
        missing = next((i for i, label in enumerate(values) if is_missing(label)), None)
        if missing is not None:
            # NaN would become a class of its own (np.unique keeps it): an unlabelled text must be left out instead.
            raise DataError(
                f"y[{missing}] is a missing label ({values[missing]!r}); leave unlabelled texts out of X and y"
            )
        try:
            self.classes_ = np.unique(labels)
        except TypeError:
            raise DataError("y mixes label types that do not sort together; use one type") from None
        if len(self.classes_) < 2:
            raise DataError(f"y holds a single class ({self.classes_[0]!r}); a classifier needs two or more")
        # A model's classes are the labels' text without the white space around it (``records.labels_of``).
        names = {str(c).strip(): c for c in self.classes_}
        if len(names) != len(self.classes_):
            raise DataError("y holds labels that print alike (e.g. 1 and '1', or 'ja' and 'ja '); use one spelling")
        config = self._config()
        held_out = config.n_folds  # the holdout is one of this many folds
        if self.calibrate and (distinct := len(set(map(text_key, texts)))) < held_out:
            raise DataError(f"KvClassifier: calibrate=True holds out part of the texts to fit the temperature and "
                            f"needs at least {held_out} distinct texts, got {distinct}; pass calibrate=False")
        records = [{"text": t, _TASK: str(label)} for t, label in zip(texts, values)]
        self.model_ = train(records, label_fields=_TASK, config=config, random_state=self.random_state)
        # Columns of the head in the order of classes_ (sorted as the labels, not as their text).
        head_classes = list(self.model_.heads[_TASK].classes_)
        self._order = np.array([head_classes.index(str(c).strip()) for c in self.classes_])
        return self

    @property
    def model(self) -> Model:
        """The fitted :class:`kvclassify.Model` (the same as ``model_``)."""
        check_is_fitted(self, "model_")
        return self.model_

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Probabilities, shape ``(n_texts, n_classes)``, columns in the order of ``classes_``."""
        check_is_fitted(self, "model_")
        return self.model_.heads[_TASK].predict_proba(_texts(X))[:, self._order]

    def decision_function(self, X: Iterable[str]) -> np.ndarray:
        """Logits, ``(n_texts, n_classes)``; for two classes ``(n_texts,)``, positive for ``classes_[1]``."""
        check_is_fitted(self, "model_")
        z = self.model_.heads[_TASK].decision_function(_texts(X))[:, self._order]
        return z[:, 1] - z[:, 0] if len(self.classes_) == 2 else z

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """The most probable label of every text, as given in ``y``."""
        check_is_fitted(self, "model_")
        return self.classes_[self.predict_proba(X).argmax(axis=1)]
