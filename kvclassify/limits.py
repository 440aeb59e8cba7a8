"""The size limit on texts, and the checks of count-like arguments.

One home for ``DEFAULT_MAX_CHARS``: the API checks texts against it and the
readers stop reading once it is exceeded, so both agree on what is too large.
"""

from __future__ import annotations

import operator
import os
from typing import Any

from .errors import InputError, InputTooLargeError

__all__ = ["DEFAULT_MAX_CHARS", "as_count", "resolve_max_chars", "check_text"]

_BUILTIN_MAX_CHARS = 20_000_000


def _env_max_chars() -> tuple[int, str | None]:
    """``KVCLASSIFY_MAX_CHARS`` if set; a bad value is reported when a text is checked, not at import."""
    raw = os.environ.get("KVCLASSIFY_MAX_CHARS")
    if raw is None or not raw.strip():
        return _BUILTIN_MAX_CHARS, None
    try:
        value = int(raw.strip())
    except ValueError:
        value = -1
    if value < 0:
        return _BUILTIN_MAX_CHARS, f"KVCLASSIFY_MAX_CHARS must be a non-negative integer, got {raw!r}"
    return value, None


#: Longest text accepted by default (characters): the environment variable
#: ``KVCLASSIFY_MAX_CHARS`` when set (read at import), else 20,000,000; pass
#: ``max_chars`` to change it per call. Longer texts raise ``InputTooLargeError``.
DEFAULT_MAX_CHARS, _ENV_MAX_CHARS_ERROR = _env_max_chars()


def as_count(value: Any, name: str, least: int = 0) -> int:
    """An integer argument of at least ``least`` (bools and floats are refused), else InputError.

    Examples
    --------
    >>> as_count(3, "k")
    3
    >>> as_count(2.5, "k")
    Traceback (most recent call last):
    ...
    kvclassify.errors.InputError: k must be a non-negative int, got 2.5
    >>> as_count(0, "batch_size", least=1)
    Traceback (most recent call last):
    ...
    kvclassify.errors.InputError: batch_size must be an int of at least 1, got 0
    """
    try:
        number = operator.index(value) if not isinstance(value, bool) else least - 1
    except TypeError:
        number = least - 1
    if number < least:
        what = "a non-negative int" if least == 0 else f"an int of at least {least}"
        raise InputError(f"{name} must be {what}, got {value!r}")
    return number


def resolve_max_chars(max_chars: int | None) -> int:
    """The limit in force: ``max_chars`` (validated), else ``DEFAULT_MAX_CHARS``.

    Examples
    --------
    >>> resolve_max_chars(100)
    100
    """
    if max_chars is None:
        if _ENV_MAX_CHARS_ERROR:
            raise InputError(_ENV_MAX_CHARS_ERROR)
        return DEFAULT_MAX_CHARS
    return as_count(max_chars, "max_chars")


def check_text(text: Any, max_chars: int | None, what: str = "text") -> str:
    """``text`` if it is a ``str`` within the limit, else ``InputError`` / ``InputTooLargeError``.

    Examples
    --------
    >>> check_text("abc", 2)
    Traceback (most recent call last):
    ...
    kvclassify.errors.InputTooLargeError: text has 3 characters, more than the limit of 2 \
(pass max_chars=... or set KVCLASSIFY_MAX_CHARS to allow more)
    """
    if not isinstance(text, str):
        hint = "; decode bytes first, e.g. data.decode('utf-8')" if isinstance(text, (bytes, bytearray)) else ""
        raise InputError(f"{what} must be a str, got {type(text).__name__}{hint}")
    limit = resolve_max_chars(max_chars)
    if len(text) > limit:
        raise InputTooLargeError(
            f"{what} has {len(text):,} characters, more than the limit of {limit:,} "
            "(pass max_chars=... or set KVCLASSIFY_MAX_CHARS to allow more)"
        )
    return text
