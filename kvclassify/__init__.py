"""kvclassify: label Dutch parliamentary written questions by question type and policy area.

>>> import kvclassify as kv
>>> kv.classify("Bent u bereid de Kamer hierover te informeren?").question_type.label
'commitment'
"""

from __future__ import annotations

from .api import (
    DEFAULT_MAX_CHARS,
    DocumentClassification,
    QuestionResult,
    classify,
    classify_document,
    classify_many,
    commitment_thresholds,
    explain,
    load_model,
    shipped_model_path,
)
from .batches import batch_classifier
from .data import RECORD_FORMATS, iter_records, read_records
from .document import Document, parse_document
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
from .evaluation import Evaluation, evaluate
from .features import FeatureConfig
from .labels import POLICY_AREAS, QUESTION_TYPES, label_info
from .model import Model
from .opendata import records_from_opendata
from .options import HeadConfig, TrainConfig
from .persist import save_model
from .reading import iter_lines, read_document, read_text
from .recipe import build_shipped
from .results import Classification, Explanation, ModelInfo, Prediction
from .train import train
from .tuning import search
from .version import __version__

__all__ = [
    "DEFAULT_MAX_CHARS",
    "Classification",
    "DataError",
    "Document",
    "DocumentClassification",
    "Evaluation",
    "Explanation",
    "FeatureConfig",
    "HeadConfig",
    "InputError",
    "InputTooLargeError",
    "KvClassifier",
    "KvclassifyError",
    "Model",
    "ModelError",
    "ModelInfo",
    "ModelIntegrityError",
    "ModelNotFoundError",
    "ModelVersionError",
    "OutputError",
    "POLICY_AREAS",
    "Prediction",
    "QUESTION_TYPES",
    "QuestionResult",
    "RECORD_FORMATS",
    "TrainConfig",
    "batch_classifier",
    "classify",
    "classify_document",
    "classify_many",
    "commitment_thresholds",
    "evaluate",
    "explain",
    "iter_lines",
    "iter_records",
    "label_info",
    "load_model",
    "parse_document",
    "read_document",
    "read_records",
    "read_text",
    "records_from_opendata",
    "save_model",
    "search",
    "shipped_model_path",
    "train",
    "build_shipped",
    "__version__",
]


def __getattr__(name: str) -> object:
    # scikit-learn takes a second to import: only a user of the estimator pays for it.
    if name == "KvClassifier":
        from .estimator import KvClassifier

        return KvClassifier
    raise AttributeError(f"module 'kvclassify' has no attribute {name!r}")
