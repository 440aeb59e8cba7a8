"""One exception hierarchy for the whole library.

Every error kvclassify raises on purpose is a :class:`KvclassifyError`; the
CLI maps each branch to its own exit code (see ``kvclassify.cli``). Each error
is also the built-in exception callers would expect (``ValueError``,
``FileNotFoundError``, ``KeyError``, ``OSError``...).

>>> import kvclassify as kv
>>> try:
...     kv.load_model("no/such/model.kvc")
... except FileNotFoundError as exc:
...     print(type(exc).__name__, isinstance(exc, kv.KvclassifyError))
ModelNotFoundError True
"""

from __future__ import annotations

__all__ = [
    "KvclassifyError",
    "InputError",
    "InputTooLargeError",
    "DataError",
    "ModelError",
    "ModelNotFoundError",
    "ModelIntegrityError",
    "ModelVersionError",
    "OutputError",
    "UnknownLabelError",
]


class KvclassifyError(Exception):
    """Base class of every error raised by kvclassify."""


class InputError(KvclassifyError, TypeError, ValueError):
    """A text argument is of the wrong type or unusable (e.g. ``None``, bytes)."""


class InputTooLargeError(InputError):
    """A text exceeds the configured size limit (see ``kvclassify.limits``)."""


class UnknownLabelError(InputError, KeyError):
    """A label code that is in no taxonomy (also a ``KeyError``, as a failed look-up)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class OutputError(KvclassifyError, OSError):
    """A file cannot be written: the target is not a regular file, its folder is not writable, or the write failed."""


class DataError(KvclassifyError, ValueError):
    """A data file or record set is malformed (bad line, missing field, bad encoding...)."""


class ModelError(KvclassifyError):
    """A model cannot be used."""


class ModelNotFoundError(ModelError, FileNotFoundError):
    """The model path does not exist, is a directory or cannot be read."""


class ModelIntegrityError(ModelError):
    """The file is not a kvclassify model, or it is corrupted, truncated or tampered with."""


class ModelVersionError(ModelError):
    """The model file was written in a format version this library cannot read."""
