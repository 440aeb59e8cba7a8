"""Training options: :class:`HeadConfig` and :class:`TrainConfig`, each checked whole when it is made.

A bad option is an ``InputError`` naming it, raised before any data is read
or anything is fitted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .calibration import TEMPERATURE_RANGE
from .errors import InputError
from .features import FeatureConfig
from .results import task_name_clash

__all__ = ["HeadConfig", "TrainConfig", "check_seed", "MAX_FOLDS", "MAX_ITER", "MAX_SEED"]

#: ``logreg``: L2 logistic regression (lbfgs); ``svc``: L2 squared-hinge linear SVM (liblinear, one-vs-rest),
#: several times faster on the subject lines and ahead of logistic regression in the rolling evaluation.
SOLVERS = ("logreg", "svc")

MAX_FOLDS = 1000
MAX_ITER = 1_000_000
#: Seeds are passed to scikit-learn and NumPy, which take 0 <= seed < 2**32.
MAX_SEED = 2**32 - 1


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _positive(name: str, value: Any, bounds: tuple[float, float] = (0.0, math.inf)) -> None:
    lo, hi = bounds
    if not (_is_number(value) and value > 0 and lo <= value <= hi):
        raise InputError(f"{name} must be a finite number > 0" + (f" in [{lo:g}, {hi:g}]" if lo else "")
                         + f", got {value!r}")


def _integer(name: str, value: Any, lo: int, hi: int) -> None:
    if not (isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi):
        raise InputError(f"{name} must be an integer in [{lo}, {hi}], got {value!r}")


def _choice(name: str, value: Any, choices: tuple[Any, ...]) -> None:
    if not any(value is c or (isinstance(value, str) and value == c) for c in choices):
        raise InputError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")


def check_seed(value: Any) -> int:
    """A random seed as scikit-learn and NumPy take it.

    Examples
    --------
    >>> check_seed(7)
    7
    """
    _integer("random_state", value, 0, MAX_SEED)
    return int(value)


@dataclass(frozen=True, slots=True)
class HeadConfig:
    """Features and classifier of one head.

    ``solver`` is ``"logreg"`` (logistic regression) or ``"svc"`` (squared-hinge
    linear SVM, see :data:`SOLVERS`); ``C`` is the inverse
    L2 strength; ``nb_weight`` adds that multiple of a complement naive Bayes
    head (centred and scaled: still one linear map);
    ``class_weight="balanced"`` weighs classes inversely to their frequency
    (it favours macro-F1); ``temperature`` divides the logits: None fits it
    on the out-of-fold predictions of the validation (minimum log-loss), or
    uses 1 when there is no validation.
    ``precedence`` (an order of all classes, most demanding first) fits one
    binary "asks for" classifier per class but the last, from label *sets*,
    and predicts the most demanding class asked for (see
    :class:`~kvclassify.heads.PrecedenceHead`); without it the head is a
    :class:`~kvclassify.heads.SoftmaxHead`.

    Examples
    --------
    >>> HeadConfig(C=1.0).kind, HeadConfig(precedence=("b", "a")).kind
    ('softmax', 'precedence')
    >>> HeadConfig(solver="sgd")
    Traceback (most recent call last):
    ...
    kvclassify.errors.InputError: solver must be one of 'logreg', 'svc', got 'sgd'
    """

    features: FeatureConfig = field(default_factory=FeatureConfig)
    C: float = 10.0
    class_weight: str | None = "balanced"
    max_iter: int = 2000
    temperature: float | None = None
    precedence: tuple[str, ...] | None = None
    solver: str = "logreg"
    nb_weight: float = 0.0

    def __post_init__(self) -> None:
        if not isinstance(self.features, FeatureConfig):
            raise InputError(f"features must be a FeatureConfig, got {type(self.features).__name__}")
        _positive("C", self.C)
        _choice("solver", self.solver, SOLVERS)
        if not (_is_number(self.nb_weight) and self.nb_weight >= 0):
            raise InputError(f"nb_weight must be a finite number >= 0, got {self.nb_weight!r}")
        _choice("class_weight", self.class_weight, (None, "balanced"))
        _integer("max_iter", self.max_iter, 1, MAX_ITER)
        if self.temperature is not None:
            _positive("temperature", self.temperature, TEMPERATURE_RANGE)
        if self.precedence is not None:
            order = self.precedence
            if isinstance(order, (str, bytes)) or not isinstance(order, Sequence) or len(order) < 2 or not all(
                isinstance(c, str) and c for c in order
            ) or len(set(order)) != len(order):
                raise InputError(f"precedence must be an order of at least two distinct labels, got {order!r}")
            object.__setattr__(self, "precedence", tuple(order))

    @property
    def kind(self) -> str:
        """The name of the head kind this config fits (see ``kvclassify.heads.HEAD_KINDS``)."""
        return "precedence" if self.precedence else "softmax"

    def to_dict(self) -> dict[str, Any]:
        """The config as JSON types, as the model card records it."""
        return {
            "features": self.features.to_dict(),
            "C": self.C,
            "class_weight": self.class_weight,
            "max_iter": self.max_iter,
            "temperature": self.temperature,
            "precedence": list(self.precedence) if self.precedence else None,
            "solver": self.solver,
            "nb_weight": self.nb_weight,
        }


@dataclass(frozen=True, slots=True)
class TrainConfig:
    """How to train.

    Parameters
    ----------
    head : the default :class:`HeadConfig`; ``heads`` overrides it per task.
    validation : ``"holdout"`` (stratified ``test_size`` split), ``"cv"``
        (``folds``-fold cross-validation) or ``"none"``. The final model is
        always fitted on all the data; the scores go into the card.
    min_examples : a label with fewer examples is an error (name it, or drop
        those records yourself).
    search_C : candidate values of ``C`` tried by holdout/CV within
        ``time_budget`` seconds (empty: no search).
    conflicts : what to do with the same text under different labels:
        ``"keep"`` (fit all, as soft evidence), ``"drop"`` or ``"error"``.
    n_jobs : validation folds fitted at the same time (threads).

    Examples
    --------
    >>> TrainConfig(validation="cv", folds=3).for_task("policy_area").C
    10.0
    >>> TrainConfig(folds=1)
    Traceback (most recent call last):
    ...
    kvclassify.errors.InputError: folds must be an integer in [2, 1000], got 1
    """

    head: HeadConfig = field(default_factory=HeadConfig)
    heads: Mapping[str, HeadConfig] = field(default_factory=dict)
    validation: str = "holdout"
    test_size: float = 0.2
    folds: int = 5
    min_examples: int = 3
    search_C: tuple[float, ...] = ()
    time_budget: float = 600.0
    conflicts: str = "keep"
    n_jobs: int = 1

    def for_task(self, task: str) -> HeadConfig:
        """The head config of ``task``."""
        return self.heads.get(task, self.head)

    @property
    def n_folds(self) -> int:
        """The folds of the validation: ``folds``, or ``round(1 / test_size)`` for a holdout (their first one)."""
        return max(2, round(1 / self.test_size)) if self.validation == "holdout" else self.folds

    def __post_init__(self) -> None:
        if not isinstance(self.head, HeadConfig):
            raise InputError(f"head must be a HeadConfig, got {type(self.head).__name__}")
        if not isinstance(self.heads, Mapping) or not all(
            isinstance(t, str) and isinstance(c, HeadConfig) for t, c in self.heads.items()
        ):
            raise InputError("heads must map task names to HeadConfig objects")
        _choice("validation", self.validation, ("holdout", "cv", "none"))
        _choice("conflicts", self.conflicts, ("keep", "drop", "error"))
        if not (_is_number(self.test_size) and 0 < self.test_size < 1):
            raise InputError(f"test_size must be a number in (0, 1), got {self.test_size!r}")
        _integer("folds", self.folds, 2, MAX_FOLDS)
        _integer("min_examples", self.min_examples, 1, 2**62)
        _integer("n_jobs", self.n_jobs, 1, 1024)
        if isinstance(self.search_C, (str, bytes)) or not isinstance(self.search_C, Sequence):
            raise InputError(f"search_C must be a sequence of numbers, got {self.search_C!r}")
        object.__setattr__(self, "search_C", tuple(self.search_C))
        for c in self.search_C:
            _positive("search_C values", c)
        if not (_is_number(self.time_budget) and self.time_budget >= 0):
            raise InputError(f"time_budget must be a number of seconds >= 0, got {self.time_budget!r}")


def _name(what: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise InputError(f"{what} must be a non-empty string, got {value!r}")
    return value


def check_train_arguments(
    text_field: Any,
    label_fields: Any,
    config: Any,
    random_state: Any,
    weight_fields: Any,
    group_field: Any,
    progress: Any,
    card: Any,
) -> tuple[list[str], TrainConfig]:
    """The options of ``kv.train`` checked together: the label fields as a list and the config.

    Examples
    --------
    >>> check_train_arguments("text", "flag", None, 0, None, None, print, None)[0]
    ['flag']
    """
    _name("text_field", text_field)
    if isinstance(label_fields, str):
        label_fields = [label_fields]
    if not isinstance(label_fields, Sequence) or not label_fields:
        raise InputError(f"label_fields must be a field name or a non-empty list of them, got {label_fields!r}")
    fields = [_name("each label field", f) for f in label_fields]
    if len(set(fields)) != len(fields) or text_field in fields:
        raise InputError(f"label_fields must be distinct and differ from text_field, got {fields}")
    if (clash := task_name_clash(fields)) is not None:  # before any training: each label field becomes a task
        raise InputError(f"label fields {fields}: {clash}; rename the field in the data")
    if config is not None and not isinstance(config, TrainConfig):
        raise InputError(f"config must be a TrainConfig, got {type(config).__name__}")
    check_seed(random_state)
    if weight_fields is not None and not (
        isinstance(weight_fields, Mapping) and all(
            k in fields and isinstance(v, str) and v for k, v in weight_fields.items()
        )
    ):
        raise InputError(f"weight_fields must map label fields ({', '.join(fields)}) to field names")
    if group_field is not None:
        _name("group_field", group_field)
    if progress is not None and not callable(progress):
        raise InputError(f"progress must be a function of one string, got {type(progress).__name__}")
    if card is not None and not isinstance(card, Mapping):
        raise InputError(f"card must be a mapping of extra card entries, got {type(card).__name__}")
    return fields, config or TrainConfig()
