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
    explain,
    load_model,
)
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
)
from .evaluation import Evaluation
from .features import FeatureConfig
from .labels import POLICY_AREAS, QUESTION_TYPES, label_info
from .model import Model
from .persist import save_model
from .results import Classification, Explanation, ModelInfo, Prediction
from .train import HeadConfig, TrainConfig, train
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
    "KvclassifyError",
    "Model",
    "ModelError",
    "ModelInfo",
    "ModelIntegrityError",
    "ModelNotFoundError",
    "ModelVersionError",
    "POLICY_AREAS",
    "Prediction",
    "QUESTION_TYPES",
    "QuestionResult",
    "TrainConfig",
    "classify",
    "classify_document",
    "classify_many",
    "explain",
    "label_info",
    "load_model",
    "parse_document",
    "save_model",
    "train",
    "__version__",
]
