"""One exception hierarchy for the whole library.

Every error kvclassify raises on purpose is a :class:`KvclassifyError`; the
CLI maps each branch to its own exit code (see ``EXIT_CODES``).
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
    "EXIT_CODES",
]


class KvclassifyError(Exception):
    """Base class of every error raised by kvclassify."""


class InputError(KvclassifyError, TypeError, ValueError):
    """A text argument is of the wrong type or unusable (e.g. ``None``, bytes)."""


class InputTooLargeError(InputError):
    """A text exceeds the configured size limit (see ``kvclassify.limits``)."""


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


#: CLI exit code per error family (0 success, 2 usage error as argparse does).
EXIT_CODES: dict[type[KvclassifyError], int] = {
    InputError: 3,
    DataError: 3,
    ModelError: 4,
    KvclassifyError: 1,
}
