"""Files to text: bounded reading, and PDF and Word documents.

Every text that enters kvclassify from a file or a stream is decoded by
:func:`kvclassify.decoding.decode` (the one rule, shared with the data readers
and the open-data import).

Reading is bounded *before* decoding: a text of at most ``max_chars``
characters takes at most four bytes per character, so no more than that is
ever read from a file or a stream (``/dev/zero`` stops at once).

A PDF (recognised by its ``%PDF-`` signature, whatever the file is called) is
read with ``pypdf`` (``pip install 'kvclassify[pdf]'``); a Word ``.docx`` is
recognised from its zip content and read with the standard library.
"""

from __future__ import annotations

import contextvars
import io
import logging
import os
import re
import sys
import zipfile
import zlib
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO
from xml.etree import ElementTree

from .archive import Limits, open_members
from .decoding import UTF16_BOMS, check_encoding, decode
from .errors import InputError, InputTooLargeError, KvclassifyError, ModelIntegrityError
from .limits import resolve_max_chars

if TYPE_CHECKING:
    from .document import Document

__all__ = ["read_text", "read_document", "iter_lines", "MAX_BINARY_BYTES", "MAX_PDF_PAGES"]

#: Bytes one character may take in UTF-8 or UTF-16 (a surrogate pair), plus a byte-order mark.
_BYTES_PER_CHAR = 4
_BOM_BYTES = 4
#: Largest PDF or Word file read (bytes): their text is far smaller than the file.
MAX_BINARY_BYTES = 256 * 1024 * 1024
_CHUNK = 1 << 20
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Signatures of formats that are not text, so the message can name the format instead of "binary".
_SIGNATURES = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word/Excel (OLE2 .doc/.xls) file; save it as .docx, PDF or text"),
    (b"{\\rtf", "an RTF file; save it as .docx, PDF or plain text"),
    (b"\x89PNG", "a PNG image, not a text document"),
    (b"\xff\xd8\xff", "a JPEG image, not a text document"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
)


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
    source: str | os.PathLike[str] | BinaryIO, *, encoding: str | None = None, max_chars: int | None = None,
    lexicon: Collection[str] = (),
) -> Document:
    """Read a file with :func:`read_text` (text, PDF or ``.docx``) and parse it (``lexicon``: as for
    :func:`~kvclassify.document.parse_document`; ``model.known_words`` gives what ``classify_document`` reads).

    Examples
    --------
    >>> import kvclassify as kv
    >>> doc = kv.read_document("tests/fixtures/documents/seed-2025-om-ict.txt")
    >>> doc.kind, len(doc.questions) > 0
    ('questions', True)
    """
    from .document import parse_document

    return parse_document(read_text(source, encoding=encoding, max_chars=max_chars), lexicon=lexicon)


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
    if not callable(getattr(stream, "readline", None)):
        raise InputError(f"iter_lines reads a binary stream (open(path, 'rb'), sys.stdin.buffer), "
                         f"got {type(stream).__name__}")
    limit = resolve_max_chars(max_chars) * _BYTES_PER_CHAR + _BOM_BYTES
    first = _binary(stream.readline(limit + 1), name)
    if first.startswith(UTF16_BOMS) and encoding is None:
        # UTF-16 lines do not end in a single b"\n": decode the rest in one go, still bounded.
        raw = first + _read_bounded(stream, name, limit - len(first))
        yield from decode(raw, name).splitlines()
        return
    number, offset, raw = 1, 0, first
    while raw:
        if len(raw) > limit:
            raise InputTooLargeError(f"{name}: line {number} {_too_long(resolve_max_chars(max_chars))}")
        yield decode(raw, name, encoding, offset=offset, line=number).rstrip("\r\n")
        number, offset, raw = number + 1, offset + len(raw), _binary(stream.readline(limit + 1), name)


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
            _unlock(pypdf, reader, name)
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
        # Encryption fails at open, at decrypt("") or lazily per page (an AES object needs its backend only when
        # read), with any of pypdf's error types: a file that declares encryption says so.
        if b"/Encrypt" in raw:
            raise InputError(f"{name} is an encrypted PDF that could not be decrypted ({_reason(exc)}); "
                             "save a copy without a password first") from None
        raise InputError(f"{name}: this PDF could not be read: {_reason(exc)}") from None
    return "\n\n".join(pages)


def _unlock(pypdf: Any, reader: Any, name: str) -> None:
    """Open a PDF encrypted with the empty user password (restrictions only, common in official PDFs), else refuse.

    pypdf's ``decrypt`` returns a ``PasswordType``: ``NOT_DECRYPTED`` when a
    real password is needed. Failures inside it (an unsupported algorithm, AES
    without the ``cryptography`` package) reach the caller's handler.
    """
    if reader.decrypt("") == pypdf.PasswordType.NOT_DECRYPTED:
        raise InputError(f"{name} is an encrypted PDF; save a copy without a password first")


def _reason(exc: BaseException) -> str:
    """The first line of an exception's message, or its type's name: a one-line reason."""
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


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
                    return _joined(paragraphs)
            chunk = member.read(_CHUNK)
        parser.close()
    except ElementTree.ParseError as exc:
        raise InputError(f"{name} is a damaged Word document ({exc})") from None
    return _joined(paragraphs)


# A sentence ends at . ? ! (and the quotes or brackets closing it): not at "(SP)" or ":" in mid-header.
_ENDS_BLOCK = re.compile(r"[.?!][”’\"'»)\]]*+\s*+$")


def _joined(paragraphs: list[str]) -> str:
    r"""Word paragraphs as text: a blank line after each, but one that does not end a sentence (a line of a
    document converted from a PDF, one paragraph per printed line) continues on the next line.

    Examples
    --------
    >>> _joined(["Vragen van het lid X over het bericht", "‘Y’ (ingezonden 1 mei 2025)", "", "Klopt dit?"])
    'Vragen van het lid X over het bericht\n‘Y’ (ingezonden 1 mei 2025)\n\nKlopt dit?'
    """
    kept = [p for p in paragraphs if p.strip()]
    from .document.text import strip_trailing_markers  # the parser's rule; only a Word file needs it

    # A footnote reference after a question ("…bericht?1") does not continue it; after a number it may be
    # digits ("15.000"), so only a question mark before it counts.
    ends = [bool(_ENDS_BLOCK.search(p)) or strip_trailing_markers(p).rstrip().endswith("?") for p in kept]
    # A ":" or ")" ends a block only before a new start: "(SP)" / "over het bericht «X:" run on in lower case,
    # "(ingezonden 3 maart 2025)" and "… de volgende vragen:" are followed by a capital or a number.
    for k, (p, q) in enumerate(zip(kept, kept[1:])):
        start = q.lstrip()[:1]
        ends[k] = ends[k] or (p.rstrip().endswith((":", ")")) and (start.isupper() or start.isdigit()))
    return "".join(p + ("\n\n" if end else "\n") for p, end in zip(kept, ends)).rstrip("\n")
