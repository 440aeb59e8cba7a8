"""Bytes to text: the one decoding rule, for every text that enters kvclassify from a file or a stream.

UTF-8 (a UTF-8 byte-order mark is dropped), or UTF-16 when the bytes start
with a UTF-16 byte-order mark; anything else needs an explicit encoding, and a
failure says which one to pass and how (the CLI, the data readers and the
open-data import agree on it).
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import InputError, KvclassifyError

__all__ = ["check_encoding", "decode", "file_lines", "CLI_ENCODING", "UTF16_BOMS"]

#: The byte-order marks that make bytes UTF-16 without an explicit encoding.
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
#: How a user of ``kvclassify classify`` passes an encoding (see ``retry`` of :func:`decode`).
CLI_ENCODING = "--encoding {}"


def check_encoding(encoding: Any) -> str | None:
    """``encoding`` if it is None or the name of a text encoding Python knows, else :class:`InputError`.

    Examples
    --------
    >>> check_encoding("latin-1")
    'latin-1'
    >>> check_encoding("nope")
    Traceback (most recent call last):
    ...
    kvclassify.errors.InputError: unknown encoding 'nope'
    """
    if encoding is None:
        return None
    if not isinstance(encoding, str):
        raise InputError(f"encoding must be a str such as 'latin-1', got {type(encoding).__name__}")
    try:
        codecs.lookup(encoding)
    except (LookupError, ValueError):  # ValueError: a NUL character in the name
        raise InputError(f"unknown encoding {encoding!r}") from None
    try:
        b"\n".decode(encoding)  # not b"": an empty input is returned before the codec is looked at
    except UnicodeDecodeError:  # half a character of UTF-16: still a text encoding
        pass
    except LookupError:  # rot13, base64, zlib...: codecs, but not from bytes to text
        raise InputError(f"{encoding!r} is not a text encoding; pass one such as 'latin-1'") from None
    return encoding


def decode(
    raw: bytes,
    name: str,
    encoding: str | None = None,
    *,
    error: type[KvclassifyError] = InputError,
    offset: int = 0,
    line: int = 1,
    retry: str | None = CLI_ENCODING,
) -> str:
    """Decode bytes by the one rule: UTF-8, or UTF-16 when they start with its byte-order mark.

    Parameters
    ----------
    raw : the bytes.
    name : how to name their source in a message (a file name, "standard input").
    encoding : force an encoding instead (e.g. ``"latin-1"``); a UTF-8 byte-order mark is dropped all the same.
    error : the exception class raised (``InputError`` for texts, ``DataError`` for data files).
    offset, line : where ``raw`` starts in its source (for a line read on its own), for the message.
    retry : how the caller's user passes an encoding, formatted with its name (default :data:`CLI_ENCODING`);
        None where none can be passed: the message then only suggests converting the file.

    Examples
    --------
    >>> decode("Curaçao".encode("utf-16"), "q.txt")
    'Curaçao'
    >>> decode(b"\\xe9t\\xe9", "q.txt")
    Traceback (most recent call last):
    ...
    kvclassify.errors.InputError: q.txt: not UTF-8 (byte 0xe9 at offset 0, line 1); pass an encoding, \
e.g. --encoding latin-1 (iconv -f LATIN1 -t UTF-8 converts the file)
    """
    if encoding is None:
        if raw.startswith(UTF16_BOMS):
            encoding = "utf-16"
        elif b"\x00" in raw[:8192]:
            hint = ("pass an encoding, e.g. " + retry.format("utf-16-le") if retry
                    else "convert the file, e.g. iconv -f UTF-16LE -t UTF-8")
            raise error(f"{name} looks binary (it contains NUL bytes), not text; "
                        f"UTF-16 without a byte-order mark? {hint}")
        else:
            encoding = "utf-8-sig"  # a UTF-8 byte-order mark (Excel, Notepad) is not part of the text
    elif codecs.lookup(check_encoding(encoding)).name == "utf-8":
        encoding = "utf-8-sig"  # an explicit UTF-8 too: the mark would otherwise open the first field name
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        at_line = line + raw.count(b"\n", 0, exc.start)
        shown = "UTF-8" if encoding.lower() in ("utf-8-sig", "utf-8", "utf8") else encoding
        # 0x80-0x9F are control characters in latin-1 but quotes, dashes, € in Windows' cp1252: suggest what reads.
        windows = re.search(b"[\x80-\x9f]", raw) and "\ufffd" not in raw.decode("cp1252", "replace")
        guess, iconv = ("cp1252", "CP1252") if windows else ("latin-1", "LATIN1")
        hint = (f"pass an encoding, e.g. {retry.format(guess)} (iconv -f {iconv} -t UTF-8 converts the file)"
                if retry else f"convert the file to UTF-8, e.g. iconv -f {iconv} -t UTF-8")
        if offset == 0 and raw.startswith(UTF16_BOMS):  # read by the one rule, the text is UTF-16
            hint = "it starts with a UTF-16 byte-order mark: give no encoding, and it is read as UTF-16"
        where = f"byte {raw[exc.start]:#04x} at offset {offset + exc.start}, line {at_line}"
        raise error(f"{name}: not {shown} ({where}); {hint}") from None
    if "\x00" in text:
        raise error(f"{name} looks binary (it contains NUL bytes), not text")
    return text


def file_lines(path: Path, encoding: str | None = None, *, error: type[KvclassifyError] = InputError,
               retry: str | None = CLI_ENCODING) -> Iterator[str]:
    """The decoded lines of a file, each with its line end, read as they are needed (see :func:`decode`).

    Lines end at ``"\\n"`` only: a U+2028 or a lone ``"\\r"`` may legitimately occur inside a JSON string.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "q.csv"
    >>> _ = path.write_bytes("id,text\\n1,één\\n".encode("cp1252"))
    >>> list(file_lines(path, "cp1252"))
    ['id,text\\n', '1,één\\n']
    """
    check_encoding(encoding)
    with path.open("rb") as stream:
        head = stream.read(2)
        stream.seek(0)
        if (encoding is None and head in UTF16_BOMS) or (encoding is not None and not _ascii_lines(encoding)):
            # UTF-16, UTF-32, EBCDIC...: "\n" is not the byte b"\n", so the file is decoded in one go.
            text = decode(stream.read(), str(path), encoding, error=error, retry=retry)
            yield from io.StringIO(text, newline="\n")
            return
        offset = 0
        for number, raw in enumerate(stream, start=1):
            yield decode(raw, str(path), encoding, error=error, offset=offset, line=number, retry=retry)
            offset += len(raw)


def _ascii_lines(encoding: str) -> bool:
    """Whether lines of ``encoding`` end in the byte b"\\n" (ASCII-compatible encodings), so bytes can be split."""
    try:
        return b"\n".decode(encoding) == "\n"
    except UnicodeDecodeError:
        return False
