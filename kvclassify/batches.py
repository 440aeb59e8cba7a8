"""A batch function for ``datasets.Dataset.map(batched=True)``: prefixed prediction columns, cache-friendly.

``datasets`` caches a ``map`` by a fingerprint of the function it is given,
computed by pickling it. A function that holds a loaded model would pickle
its arrays through a generic path that is slow and not guaranteed stable;
:class:`BatchClassifier` instead pickles as the model *file's bytes* and its
settings, so the same model and settings always give the same fingerprint
(the cache is reused) and another model or threshold gives another.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from .api import classify_many, load_model, shipped_model_path
from .errors import InputError
from .model import Model
from .persist import save_model

__all__ = ["BatchClassifier", "batch_classifier"]


def _model_from_bytes(data: bytes) -> Model:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.kvc"
        path.write_bytes(data)
        return load_model(path)


def _rebuild(data: bytes, settings: dict[str, Any]) -> BatchClassifier:
    return BatchClassifier(_model_from_bytes(data), _file_bytes=data, **settings)


class BatchClassifier:
    """Classify a batch of ``datasets`` rows into new columns ``<prefix><head>``, ``<prefix><head>_score``, ...

    Use :func:`batch_classifier` to make one. Called with a batch (a dict of
    column name to list), it returns only the new columns: per head the label
    and its score, ``<prefix>asks_commitment`` and
    ``<prefix>commitment_probability`` where the model has a question-type
    head, and ``<prefix>in_domain``. A missing text (None) gets None in every column.

    Examples
    --------
    >>> import kvclassify as kv
    >>> sorted(kv.batch_classifier(prefix="kv_")({"text": ["Wat is de stand van zaken?"]}))[:3]
    ['kv_asks_commitment', 'kv_commitment_probability', 'kv_in_domain']
    """

    def __init__(
        self,
        model: Model,
        *,
        text_field: str = "text",
        prefix: str = "pred_",
        commitment_threshold: float | None = None,
        _file_bytes: bytes | None = None,
    ) -> None:
        self.model = model
        self.settings = {"text_field": text_field, "prefix": prefix, "commitment_threshold": commitment_threshold}
        self._file_bytes = _file_bytes

    def __call__(self, batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        field, prefix = self.settings["text_field"], self.settings["prefix"]
        if field not in batch:
            raise InputError(f"the batch has no column {field!r} (columns: {', '.join(batch)}); pass text_field=...")
        results = classify_many(
            batch[field], model=self.model, on_missing="skip",
            commitment_threshold=self.settings["commitment_threshold"],
        )
        columns: dict[str, list[Any]] = {}
        for task in self.model.heads:
            columns[f"{prefix}{task}"] = [c.predictions[task].label if c else None for c in results]
            columns[f"{prefix}{task}_score"] = [c.predictions[task].score if c else None for c in results]
        if any(c is not None and c.commitment_probability is not None for c in results):
            columns[f"{prefix}asks_commitment"] = [c.asks_commitment if c else None for c in results]
            columns[f"{prefix}commitment_probability"] = [c.commitment_probability if c else None for c in results]
        columns[f"{prefix}in_domain"] = [c.in_domain if c else None for c in results]
        return columns

    def _bytes(self) -> bytes:
        if self._file_bytes is None:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "model.kvc"
                save_model(self.model, path)
                self._file_bytes = path.read_bytes()
        return self._file_bytes

    def __reduce__(self) -> tuple[Any, ...]:
        # What datasets hashes for its cache, and what a worker process (num_proc) rebuilds from.
        return (_rebuild, (self._bytes(), self.settings))


def batch_classifier(
    model: Model | str | os.PathLike[str] | None = None,
    *,
    text_field: str = "text",
    prefix: str = "pred_",
    commitment_threshold: float | None = None,
) -> BatchClassifier:
    """A function for ``Dataset.map(..., batched=True)`` adding prefixed prediction columns.

    Parameters
    ----------
    model : a :class:`~kvclassify.Model`, the path of a ``.kvc`` file, or None for the shipped model.
    text_field : the column holding the texts.
    prefix : put before every new column name, so none overwrites a gold column
        (``pred_policy_area`` next to ``policy_area``).
    commitment_threshold : as for :func:`kvclassify.classify`.

    Examples
    --------
    >>> import datasets, kvclassify as kv
    >>> ds = datasets.Dataset.from_dict({"text": ["Hoeveel boetes zijn er uitgedeeld?"], "policy_area": ["x"]})
    >>> out = ds.map(kv.batch_classifier(), batched=True)
    >>> out[0]["pred_question_type"], out[0]["policy_area"]
    ('factual', 'x')
    """
    if model is None or isinstance(model, (str, os.PathLike)):
        path = shipped_model_path() if model is None else Path(model)
        loaded = load_model(model)
        data = path.read_bytes() if path.is_file() else None
        return BatchClassifier(loaded, text_field=text_field, prefix=prefix,
                               commitment_threshold=commitment_threshold, _file_bytes=data)
    return BatchClassifier(model, text_field=text_field, prefix=prefix, commitment_threshold=commitment_threshold)
