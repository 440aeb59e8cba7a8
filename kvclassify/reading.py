"""Files to text: one decoder, bounded reading, and PDF and Word documents.

Every text that enters kvclassify from a file or a stream goes through
:func:`decode`, so the CLI, the data readers and the open-data import agree on
one rule: UTF-8 (a UTF-8 byte-order mark is dropped), or UTF-16 when the bytes
start with a UTF-16 byte-order mark; anything else needs an explicit encoding.

Reading is bounded *before* decoding: a text of at most ``max_chars``
characters takes at most four bytes per character, so no more than that is
ever read from a file or a stream (``/dev/zero`` stops at once).

A PDF (recognised by its ``%PDF-`` signature, whatever the file is called) is
read with ``pypdf`` (``pip install 'kvclassify[pdf]'``); a Word ``.docx`` is
recognised from its zip content and read with the standard library.
"""

from __future__ import annotations

import codecs
import contextvars
import io
import logging
import os
import re
import sys
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO
from xml.etree import ElementTree

from .archive import Limits, open_members
from .errors import InputError, InputTooLargeError, KvclassifyError, ModelIntegrityError
from .limits import resolve_max_chars

if TYPE_CHECKING:
    from .document import Document

__all__ = ["check_encoding", "decode", "file_lines", "read_text", "read_document", "iter_lines",
           "CLI_ENCODING", "MAX_BINARY_BYTES", "MAX_PDF_PAGES"]

#: Bytes one character may take in UTF-8 or UTF-16 (a surrogate pair), plus a byte-order mark.
_BYTES_PER_CHAR = 4
_BOM_BYTES = 4
#: Largest PDF or Word file read (bytes): their text is far smaller than the file.
MAX_BINARY_BYTES = 256 * 1024 * 1024
_CHUNK = 1 << 20
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
#: How a user of ``kvclassify classify`` passes an encoding (see ``retry`` of :func:`decode`).
CLI_ENCODING = "--encoding {}"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Signatures of formats that are not text, so the message can name the format instead of "binary".
_SIGNATURES = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word/Excel (OLE2 .doc/.xls) file; save it as .docx, PDF or text"),
    (b"{\\rtf", "an RTF file; save it as .docx, PDF or plain text"),
    (b"\x89PNG", "a PNG image, not a text document"),
    (b"\xff\xd8\xff", "a JPEG image, not a text document"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
)


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
        if raw.startswith(_UTF16_BOMS):
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
        if (encoding is None and head in _UTF16_BOMS) or (encoding is not None and not _ascii_lines(encoding)):
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


def _open(source: str | os.PathLike[str] | BinaryIO) -> tuple[BinaryIO, str, bool]:
    """A binary stream for a path, ``-`` (standard input) or a stream; and whether to close it."""
    if not isinstance(source, (str, os.PathLike)):
        if not callable(getattr(source, "read", None)):
            raise InputError(f"cannot read a {type(source).__name__}; pass a path, '-' or a binary stream")
        return source, str(getattr(source, "name", "the stream")), False
    if str(source) == "-":
        if sys.stdin is None or sys.stdin.closed:
            raise InputError("standard input is closed")
        return sys.stdin.buffer, "standard input", False
    path = Path(source)
    if path.is_dir():
        raise InputError(f"{source} is a directory, not a file")
    try:
        return path.open("rb"), str(source), True
    except FileNotFoundError:
        raise InputError(f"no such file: {source}") from None
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror or exc}") from None


def _binary(raw: bytes | str, name: str) -> bytes:
    if not isinstance(raw, bytes):
        raise InputError(f"{name} is open in text mode; open it in binary mode ('rb')")
    return raw


def _read_bounded(stream: BinaryIO, name: str, limit: int, too_large: str | None = None) -> bytes:
    """At most ``limit`` bytes (one more is an error), read in chunks: ``read(n)`` reserves n bytes up front."""
    chunks: list[bytes] = []
    size = 0
    try:
        while size <= limit:
            chunk = _binary(stream.read(min(_CHUNK, limit + 1 - size)), name)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
    if size > limit:
        raise InputTooLargeError(f"{name} {too_large or f'holds more than {limit:,} bytes, the limit'}")
    return b"".join(chunks)


def read_text(
    source: str | os.PathLike[str] | BinaryIO, *, encoding: str | None = None, max_chars: int | None = None
) -> str:
    """The text of a file (or ``-`` for standard input): plain text, PDF or Word ``.docx``.

    The format is recognised from the content, not the name. Reading stops
    after what ``max_chars`` allows (default ``kvclassify.DEFAULT_MAX_CHARS``).

    Raises
    ------
    InputError
        A missing file, an unknown or binary format (named where recognised),
        a bad encoding, a PDF without the ``pdf`` extra installed.
    InputTooLargeError
        The text is longer than ``max_chars``.

    Examples
    --------
    >>> import io
    >>> read_text(io.BytesIO("Kent u het bericht?\\n".encode("utf-16")))
    'Kent u het bericht?\\n'
    """
    check_encoding(encoding)
    limit = resolve_max_chars(max_chars)
    text_cap = limit * _BYTES_PER_CHAR + _BOM_BYTES
    stream, name, close = _open(source)
    try:
        head = _binary(stream.read(8), name)
        container = head.startswith((b"%PDF", b"PK\x03\x04"))
        # A PDF or zip is much larger than its text: it gets its own cap, checked on the text afterwards.
        cap = max(MAX_BINARY_BYTES, text_cap) if container else text_cap
        raw = head + _read_bounded(stream, name, max(cap - len(head), 0), _too_long(limit))
    finally:
        if close:
            stream.close()
    if raw.startswith(b"%PDF"):
        text = _pdf_text(raw, name, limit)
    elif raw.startswith(b"PK\x03\x04"):
        text = _zip_text(raw, name, limit)
    else:
        for signature, what in _SIGNATURES:
            if raw.startswith(signature):
                raise InputError(f"{name} is binary: {what}")
        text = decode(raw, name, encoding)
    if len(text) > limit:
        raise InputTooLargeError(f"{name} {_too_long(limit)}")
    return text


def _too_long(limit: int) -> str:
    return (
        f"has more characters than the limit of {limit:,} "
        "(pass max_chars=... / --max-chars, or set KVCLASSIFY_MAX_CHARS to allow more)"
    )


def read_document(
    source: str | os.PathLike[str] | BinaryIO, *, encoding: str | None = None, max_chars: int | None = None
) -> Document:
    """Read a file with :func:`read_text` (text, PDF or ``.docx``) and parse it.

    Examples
    --------
    >>> import kvclassify as kv
    >>> doc = kv.read_document("tests/fixtures/documents/seed-2025-om-ict.txt")
    >>> doc.kind, len(doc.questions) > 0
    ('questions', True)
    """
    from .document import parse_document

    return parse_document(read_text(source, encoding=encoding, max_chars=max_chars))


def iter_lines(
    stream: BinaryIO, name: str, *, max_chars: int | None = None, encoding: str | None = None
) -> Iterator[str]:
    """Yield the lines of a binary stream as they arrive, each decoded and bounded by ``max_chars``.

    A byte-order mark on the first line selects UTF-16 as in :func:`decode`.

    Examples
    --------
    >>> import io
    >>> list(iter_lines(io.BytesIO(b"een\\r\\n\\ntwee"), "q.txt"))
    ['een', '', 'twee']
    """
    check_encoding(encoding)
    limit = resolve_max_chars(max_chars) * _BYTES_PER_CHAR + _BOM_BYTES
    first = stream.readline(limit + 1)
    if first.startswith(_UTF16_BOMS) and encoding is None:
        # UTF-16 lines do not end in a single b"\n": decode the rest in one go, still bounded.
        raw = first + _read_bounded(stream, name, limit - len(first))
        yield from decode(raw, name).splitlines()
        return
    number, offset, raw = 1, 0, first
    while raw:
        if len(raw) > limit:
            raise InputTooLargeError(f"{name}: line {number} {_too_long(resolve_max_chars(max_chars))}")
        yield decode(raw, name, encoding, offset=offset, line=number).rstrip("\r\n")
        number, offset, raw = number + 1, offset + len(raw), stream.readline(limit + 1)


#: Most pages of a PDF read: a Kamervragen document has a few, a long report some hundreds.
MAX_PDF_PAGES = 2000
# pypdf's own limits, tightened for text extraction (names of ``pypdf.Configuration``; pypdf >= 7).
_PYPDF_LIMITS = {
    "page_tree_maximum_entries": 2 * MAX_PDF_PAGES,  # page nodes and the nodes above them
    "zlib_maximum_output_length": 32 << 20,
    "lzw_maximum_output_length": 32 << 20,
    "run_length_maximum_output_length": 32 << 20,
    "brotli_maximum_output_length": 32 << 20,
    "array_based_stream_maximum_output_length": 32 << 20,
    "xform_maximum_invocations_per_extraction": 500,
}


def _pdf_text(raw: bytes, name: str, limit: int) -> str:
    """The text layer of a PDF, page by page, stopping beyond ``limit`` characters or :data:`MAX_PDF_PAGES` pages."""
    try:
        import pypdf
    except ImportError:
        raise InputError(f"{name} is a PDF; install the extra to read it: pip install 'kvclassify[pdf]'") from None
    # pypdf reports damage it works around as log warnings: not ours to print (logging's last resort would).
    logging.getLogger("pypdf").addHandler(logging.NullHandler())
    # The limits are set in a copy of the context: other users of pypdf in this process keep theirs.
    text = contextvars.copy_context().run(_pdf_pages, pypdf, raw, name, limit)
    if not text.strip():
        raise InputError(f"{name} is a PDF without a text layer (a scan?); run OCR on it first")
    return text


def _pdf_pages(pypdf: Any, raw: bytes, name: str, limit: int) -> str:
    if hasattr(pypdf, "overwrite_configuration"):
        pypdf.overwrite_configuration(**_PYPDF_LIMITS)
    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise InputError(f"{name} is an encrypted PDF; save a copy without a password first")
        declared = reader.trailer["/Root"]["/Pages"].get("/Count", 0)
        if isinstance(declared, int) and declared > MAX_PDF_PAGES:
            raise InputTooLargeError(f"{name} is a PDF of {declared:,} pages, more than the limit of {MAX_PDF_PAGES:,}")
        pages: list[str] = []
        total = 0
        for number, page in enumerate(reader.pages, start=1):
            if number > MAX_PDF_PAGES:  # the count it declares may lie
                raise InputTooLargeError(f"{name} is a PDF of more than {MAX_PDF_PAGES:,} pages, the limit")
            pages.append(page.extract_text() or "")
            total += len(pages[-1]) + 2
            if total > limit:  # stop extracting: the text is already too long
                break
    except KvclassifyError:
        raise
    except Exception as exc:  # pypdf raises many unrelated types (and RecursionError) on damaged files
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"{name}: this PDF could not be read: {reason}") from None
    return "\n\n".join(pages)


def _zip_text(raw: bytes, name: str, limit: int) -> str:
    """The paragraphs of a Word ``.docx`` (a zip with ``word/document.xml``); other zips are named.

    The zip directory is checked as a model file's is (member count, declared
    sizes, before anything is inflated); the document part is parsed as a
    stream, paragraph by paragraph, and parsing stops beyond ``limit`` characters.
    """
    try:
        archive, members = open_members(raw, Limits())
    except ModelIntegrityError as exc:
        raise InputError(f"{name}: this zip archive could not be read: {exc}") from None
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError(f"{name} is a damaged zip archive, not a text document") from None
    if "word/document.xml" not in members:
        kind = (
            "an Excel .xlsx workbook; read it as records (classify FILE.xlsx) or save it as CSV"
            if "xl/workbook.xml" in members
            else "an OpenDocument file; save it as .docx, PDF or text"
            if "mimetype" in members
            else "a zip archive, not a text document"
        )
        raise InputError(f"{name} is {kind}")
    try:
        with archive.open(members["word/document.xml"]) as member:
            return _docx_paragraphs(member, name, limit)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{name}: this Word document could not be read: {exc}") from None


def _docx_paragraphs(member: BinaryIO, name: str, limit: int) -> str:
    head = member.read(4096)
    if re.search(rb"<!(?:DOCTYPE|ENTITY)", head):  # entities are how XML bombs expand
        raise InputError(f"{name} is not a Word document kvclassify can read safely")
    parser = ElementTree.XMLPullParser(events=("end",))
    paragraphs: list[str] = []
    total = 0
    chunk = head
    try:
        while chunk:
            parser.feed(chunk)
            for _event, node in parser.read_events():
                if node.tag != f"{_W}p":
                    continue
                parts = [
                    n.text or "" if n.tag == f"{_W}t" else "\t" if n.tag == f"{_W}tab" else "\n"
                    for n in node.iter()
                    if n.tag in (f"{_W}t", f"{_W}tab", f"{_W}br")
                ]
                node.clear()  # a paragraph read is dropped: memory stays that of one paragraph
                paragraphs.append("".join(parts))
                total += len(paragraphs[-1]) + 2
                if total > limit:
                    return "\n\n".join(p for p in paragraphs if p.strip())
            chunk = member.read(_CHUNK)
        parser.close()
    except ElementTree.ParseError as exc:
        raise InputError(f"{name} is a damaged Word document ({exc})") from None
    return "\n\n".join(p for p in paragraphs if p.strip())
