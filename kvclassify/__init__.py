"""kvclassify: label Dutch parliamentary written questions by question type and policy area.

>>> import kvclassify as kv
>>> kv.classify("Bent u bereid de Kamer hierover te informeren?").question_type.label
'commitment'

The names below are the public surface; everything else is internal. They are
imported on first use, so ``import kvclassify`` followed by one ``classify``
loads the prediction path only (numpy, no scipy, no scikit-learn, no parser).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from .version import __version__

# name -> the module that holds it (relative to this package)
_EXPORTS: dict[str, str] = {
    # classifying texts and documents
    "classify": "api",
    "classify_many": "api",
    "explain": "api",
    "load_model": "api",
    "shipped_model_path": "api",
    "commitment_thresholds": "api",
    "classify_document": "document_classification",
    "QUESTION_SMOOTHING": "document_classification",
    "parse_document": "document",
    "areas_of_post": "areas",
    "DEFAULT_MAX_CHARS": "limits",
    # results
    "Classification": "results",
    "Prediction": "results",
    "Explanation": "results",
    "ModelInfo": "results",
    "QuestionResult": "results",
    "DocumentClassification": "results",
    "Document": "document",
    "Model": "model",
    # labels
    "POLICY_AREAS": "labels",
    "QUESTION_TYPES": "labels",
    "label_info": "labels",
    # reading inputs
    "read_text": "reading",
    "read_document": "reading",
    "iter_lines": "reading",
    "read_records": "data",
    "is_missing": "missing",
    "iter_records": "data",
    "RECORD_FORMATS": "data",
    "records_from_opendata": "opendata",
    # writing outputs
    "atomic_path": "writing",
    "check_target": "writing",
    # training, evaluation, the shipped recipe
    "train": "training",
    "HeadConfig": "options",
    "TrainConfig": "options",
    "FeatureConfig": "feature_config",
    "search": "tuning",
    "evaluate": "evaluation",
    "score": "evaluation",
    "Evaluation": "evaluation",
    "save_model": "persist",
    "build_shipped": "recipe",
    "shipped_records": "recipe",
    "SHIPPED_CONFIG": "recipe",
    # every way of addressing the government, and the commitment flag's thresholds
    "third_person": "addressee",
    "canonical_addressee": "addressee",
    "THIRD_PERSON_SUBJECTS": "addressee",
    "flag_thresholds": "thresholds",
    "precision_recall": "thresholds",
    "FlagThresholds": "thresholds",
    # building blocks of model selection (what the rolling-origin benchmark fits and scores with)
    "TYPE_PRECEDENCE": "labels",
    "Featurizer": "features",
    "fit_linear": "fitting",
    "fit_temperature": "calibration",
    "expected_calibration_error": "calibration",
    "SoftmaxHead": "heads",
    "PrecedenceHead": "heads",
    # other libraries
    "KvClassifier": "estimator",  # scikit-learn takes a second to import: only its users pay for it
    "batch_classifier": "batches",
    # errors
    "KvclassifyError": "errors",
    "InputError": "errors",
    "InputTooLargeError": "errors",
    "DataError": "errors",
    "OutputError": "errors",
    "ModelError": "errors",
    "ModelIntegrityError": "errors",
    "ModelNotFoundError": "errors",
    "ModelVersionError": "errors",
}

__all__ = [*sorted(_EXPORTS), "__version__"]


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kvclassify' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # static checkers and IDEs see the names as plain imports
    from .addressee import THIRD_PERSON_SUBJECTS, canonical_addressee, third_person
    from .api import classify, classify_many, commitment_thresholds, explain, load_model, shipped_model_path
    from .areas import areas_of_post
    from .batches import batch_classifier
    from .calibration import expected_calibration_error, fit_temperature
    from .data import RECORD_FORMATS, iter_records, read_records
    from .document import Document, parse_document
    from .document_classification import QUESTION_SMOOTHING, classify_document
    from .errors import (
        DataError,
        InputError,
        InputTooLargeError,
        KvclassifyError,
        ModelError,
        ModelIntegrityError,
        ModelNotFoundError,
        ModelVersionError,
        OutputError,
    )
    from .estimator import KvClassifier
    from .evaluation import Evaluation, evaluate, score
    from .feature_config import FeatureConfig
    from .features import Featurizer
    from .fitting import fit_linear
    from .heads import PrecedenceHead, SoftmaxHead
    from .labels import POLICY_AREAS, QUESTION_TYPES, TYPE_PRECEDENCE, label_info
    from .limits import DEFAULT_MAX_CHARS
    from .missing import is_missing
    from .model import Model
    from .opendata import records_from_opendata
    from .options import HeadConfig, TrainConfig
    from .persist import save_model
    from .reading import iter_lines, read_document, read_text
    from .recipe import SHIPPED_CONFIG, build_shipped, shipped_records
    from .results import Classification, DocumentClassification, Explanation, ModelInfo, Prediction, QuestionResult
    from .thresholds import FlagThresholds, flag_thresholds, precision_recall
    from .training import train
    from .tuning import search
    from .writing import atomic_path, check_target
