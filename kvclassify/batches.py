"""A batch function for ``datasets.Dataset.map(batched=True)``: prefixed prediction columns, cache-friendly.

Every batch returns the same columns, whatever its texts; ``datasets`` still
infers each new column's type from the first batch written (a batch of
missing texts only would make it ``null``, and the next text an error), so
:meth:`BatchClassifier.features` gives the types to pass as ``features=``.

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
from collections.abc import Callable, Iterable
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .api import classify_many, commitment_thresholds, load_model, shipped_model_path
from .errors import InputError
from .model import Model
from .persist import save_model

if TYPE_CHECKING:
    import datasets

    from .results import Classification

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
    Every batch has the same columns; pass ``features=bc.features(ds)`` to
    ``map`` so their types do not depend on the first batch (see :meth:`features`).

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
        for name, value in (("text_field", text_field), ("prefix", prefix)):
            if not isinstance(value, str):
                raise InputError(f"{name} must be a str, got {type(value).__name__}")
        if commitment_threshold is not None:
            commitment_thresholds(model, commitment_threshold)  # a bad threshold fails here, not in the first batch
        self.model = model
        self.settings = {"text_field": text_field, "prefix": prefix, "commitment_threshold": commitment_threshold}
        self._file_bytes = _file_bytes

    def _columns(self) -> list[tuple[str, str, Callable[[Classification], Any]]]:
        """Each new column's name, ``datasets`` dtype and value: the one list both the batches and the types follow."""
        prefix = self.settings["prefix"]
        columns: list[tuple[str, str, Callable[[Classification], Any]]] = []
        for task in self.model.heads:
            columns.append((f"{prefix}{task}", "string", lambda c, t=task: c.predictions[t].label))
            columns.append((f"{prefix}{task}_score", "float64", lambda c, t=task: c.predictions[t].score))
        # Decided by the model, not by the batch: a batch of missing texts has the same columns as any other.
        if self.model.flags_commitments:
            columns.append((f"{prefix}asks_commitment", "bool", attrgetter("asks_commitment")))
            columns.append((f"{prefix}commitment_probability", "float64", attrgetter("commitment_probability")))
        columns.append((f"{prefix}in_domain", "bool", attrgetter("in_domain")))
        return columns

    def __call__(self, batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        field = self.settings["text_field"]
        if field not in batch:
            raise InputError(f"the batch has no column {field!r} (columns: {', '.join(batch)}); pass text_field=...")
        if isinstance(batch[field], str):
            raise InputError(f"column {field!r} holds one text, not a batch; map with batched=True")
        self._check_clash(batch)
        results = classify_many(
            batch[field], model=self.model, on_missing="skip",
            commitment_threshold=self.settings["commitment_threshold"],
        )
        return {name: [value(c) if c else None for c in results] for name, _, value in self._columns()}

    def features(self, dataset: Any = None) -> datasets.Features:
        """The ``datasets.Features`` to pass as ``map(..., features=)``: the dataset's columns, then the new ones.

        Without them ``datasets`` takes a column's type from the first batch,
        and a first batch of missing texts only makes it ``null``, which no
        later label fits (``TypeError: Couldn't write column ...``).
        ``map(features=)`` must name every output column, so the dataset's
        own come first; leave ``dataset`` out when ``remove_columns`` drops them all.

        Parameters
        ----------
        dataset : a ``datasets.Dataset`` or ``IterableDataset`` (its
            ``features``), a ``datasets.Features``, or None for the new columns only.

        Examples
        --------
        >>> import datasets, kvclassify as kv
        >>> ds = datasets.Dataset.from_dict({"text": [None, "Hoeveel boetes zijn er uitgedeeld?"]})
        >>> bc = kv.batch_classifier()
        >>> out = ds.map(bc, batched=True, batch_size=1, features=bc.features(ds))
        >>> list(out["pred_question_type"]), out.features["pred_in_domain"]
        ([None, 'factual'], Value('bool'))
        """
        import datasets  # here, not at the top: it takes a second to import and only this method needs it

        base = getattr(dataset, "features", dataset)
        if base is not None and not isinstance(base, dict):  # Features is a dict
            raise InputError(f"features() takes a Dataset, IterableDataset or Features, got {type(dataset).__name__}")
        if base is None and dataset is not None:
            raise InputError("the dataset's features are unknown (an IterableDataset not yet read); pass its Features")
        self._check_clash(base or {})
        new = {name: datasets.Value(dtype) for name, dtype, _ in self._columns()}
        return datasets.Features({**(base or {}), **new})

    def _check_clash(self, columns: Iterable[str]) -> None:
        """Refuse a dataset that has a column the predictions would overwrite (``map`` replaces it silently)."""
        clash = sorted(set(columns) & {name for name, _, _ in self._columns()})
        if clash:
            raise InputError(f"the dataset already has the column(s) {', '.join(map(repr, clash))}, which the "
                             f"predictions would overwrite; pass another prefix= (now {self.settings['prefix']!r})")

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

    Pass ``features=bc.features(ds)`` to ``map`` too: the new columns' types
    then never depend on the first batch (see :meth:`BatchClassifier.features`).

    Examples
    --------
    >>> import datasets, kvclassify as kv
    >>> ds = datasets.Dataset.from_dict({"text": ["Hoeveel boetes zijn er uitgedeeld?"], "policy_area": ["x"]})
    >>> bc = kv.batch_classifier()
    >>> out = ds.map(bc, batched=True, features=bc.features(ds))
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
