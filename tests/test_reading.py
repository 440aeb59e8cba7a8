"""Reading files into text: the one decoder, bounded reads, PDF and Word detected by content."""

from __future__ import annotations

import builtins
import io
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

import kvclassify as kv
from kvclassify.decoding import decode

from .conftest import FIXTURES

HEADER = "Vragen van het lid Jansen (SP) aan de minister van Defensie over munitie (ingezonden 3 maart 2025)."
QUESTIONS = ["1. Kent u het bericht over de tekorten aan munitie?",
             "2. Bent u bereid de Kamer voor de zomer te informeren over de voorraden?"]


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def _page(parent: int = 2) -> bytes:
    return (b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>" % parent)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _pdf_of(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of these numbered objects (1 the catalog) with a correct xref table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def _pdf(lines: list[str], content: bytes | None = None, **pages: bytes) -> bytes:
    """A one-page PDF whose text layer holds ``lines`` (Helvetica, WinAnsi); ``content`` replaces its stream."""
    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = "BT /F1 10 Tf 40 800 Td 14 TL " + " ".join(f"({esc(ln)}) ' " for ln in lines) + "ET"
    return _pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        pages.get("tree", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        _page(),
        content if content is not None else _stream(text.encode("cp1252")),
        _FONT,
    ])


def _docx(paragraphs: list[str]) -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document xmlns:w="{w}"><w:body>{body}'
                                        "</w:body></w:document>")
    return buffer.getvalue()


def test_decode_one_rule() -> None:
    assert decode("Curaçao".encode("utf-16-be"), "x", "utf-16-be") == "Curaçao"
    assert decode(b"\xef\xbb\xbfabc", "x") == "abc"  # a UTF-8 byte-order mark is dropped
    assert decode("Curaçao".encode("utf-16"), "x") == "Curaçao"  # UTF-16 by its byte-order mark
    with pytest.raises(kv.InputError, match="NUL bytes.*UTF-16 without a byte-order mark"):
        decode("abc".encode("utf-16-le"), "x")
    # A line read on its own is placed in its file by offset and line.
    with pytest.raises(kv.DataError, match=r"x: not UTF-8 \(byte 0xe9 at offset 13, line 4\)"):
        decode(b"ab\ncd\nef\xe9", "x", error=kv.DataError, offset=5, line=2)


def test_read_text_stops_after_the_limit(tmp_path: Path) -> None:
    assert kv.read_text(io.BytesIO(b"abcd"), max_chars=4) == "abcd"
    reads: list[int] = []

    class Counting(io.BytesIO):
        def read(self, n: int | None = -1) -> bytes:
            reads.append(n if n is not None else -1)
            return super().read(n)

    with pytest.raises(kv.InputTooLargeError):
        kv.read_text(Counting(b"x" * 10_000), max_chars=10)
    assert sum(reads) <= 4 * 10 + 4 + 1 + 8  # never more than four bytes a character, plus the BOM and a probe


def test_read_text_of_what_is_not_a_binary_source() -> None:
    with pytest.raises(kv.InputError, match="cannot read a int"):
        kv.read_text(42)  # type: ignore[arg-type]
    with pytest.raises(kv.InputError, match="text mode"):
        kv.read_text(io.StringIO("abc"))  # type: ignore[arg-type]


def test_read_text_of_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(kv.InputError, match="no such file"):
        kv.read_text(tmp_path / "nope.txt")
    with pytest.raises(kv.InputError, match="directory"):
        kv.read_text(tmp_path)


def test_pdf_is_read_by_content_and_parsed(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    path = tmp_path / "vragen.dat"  # not named .pdf: the content decides
    path.write_bytes(_pdf([HEADER, "", *QUESTIONS]))
    text = kv.read_text(path)
    assert "tekorten aan munitie" in text
    doc = kv.read_document(path)
    assert doc.kind == "questions" and len(doc.questions) == 2


def test_pdf_without_the_extra_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pypdf(name: str, *args: object, **kwargs: object) -> object:
        if name == "pypdf":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pypdf)
    path = tmp_path / "v.pdf"
    path.write_bytes(_pdf(QUESTIONS))
    with pytest.raises(kv.InputError, match=r"pip install 'kvclassify\[pdf\]'"):
        kv.read_text(path)


def test_damaged_and_textless_pdfs(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    path = tmp_path / "v.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 100)
    with pytest.raises(kv.InputError, match="PDF"):
        kv.read_text(path)
    path.write_bytes(_pdf([]))
    with pytest.raises(kv.InputError, match="without a text layer"):
        kv.read_text(path)


def _many_pages(n: int, count: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (6 + i) for i in range(n))
    return _pdf_of([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
                    b"null", _stream(b"BT /F1 10 Tf 40 800 Td (Kent u het bericht?) Tj ET"), _FONT,
                    *[_page() for _ in range(n)]])


def _bomb() -> bytes:
    """A content stream of 4 KB that inflates to 256 MiB of text operators."""
    squeeze = zlib.compressobj(9)
    block = b"BT /F1 10 Tf 40 800 Td (Kent u het bericht?) Tj ET\n" * 20_000
    data = b"".join(squeeze.compress(block) for _ in range((256 << 20) // len(block))) + squeeze.flush()
    return _pdf([], content=_stream(data, b"/Filter /FlateDecode "))


def _encrypted() -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", _page(),
               _stream(b"BT /F1 10 Tf 40 800 Td (x) Tj ET"), _FONT,
               b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (b"00" * 32, b"00" * 32)]
    return _pdf_of(objects, trailer=b" /Encrypt 6 0 R /ID [<%s> <%s>]" % (b"ab" * 16, b"ab" * 16))


HOSTILE_PDFS = {
    "truncated": (lambda: _pdf(QUESTIONS)[:200], kv.InputError, "this PDF could not be read"),
    "bomb": (_bomb, kv.InputError, "this PDF could not be read"),
    "pages-5000": (lambda: _many_pages(5000, 5000), kv.InputTooLargeError, "5,000 pages"),
    "pages-lying-count": (lambda: _many_pages(4100, 1), kv.InputError, "could not be read"),
    "nested-objects": (lambda: _pdf(QUESTIONS, tree=b"<< /Type /Pages /Kids [3 0 R] /Count 1 /X %s >>"
                                    % (b"[" * 100_000 + b"]" * 100_000)), kv.InputError, "could not be read"),
    "nested-content": (lambda: _pdf([], content=_stream(b"BT /F1 10 Tf " + b"[" * 100_000 + b"(x)" + b"]" * 100_000
                                                        + b" TJ ET")), kv.InputError, "could not be read"),
    "cyclic-tree": (lambda: _pdf(QUESTIONS, tree=b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 1 >>"),
                    kv.InputError, "could not be read"),
    "encrypted": (_encrypted, kv.InputError, "encrypted PDF"),
}


@pytest.mark.parametrize("case", list(HOSTILE_PDFS))
def test_hostile_pdfs_fail_quickly_in_bounded_memory(case: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pypdf")
    make, error, message = HOSTILE_PDFS[case]
    path = tmp_path / "hostile.pdf"
    path.write_bytes(make())
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(error, match=message):
            kv.read_text(path)
        seconds, peak = time.perf_counter() - start, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert seconds < 20 and peak < 200 << 20, (seconds, peak)  # tracemalloc slows pypdf some 5x
    assert capfd.readouterr().err == ""  # pypdf's warnings about the damage are not printed


def test_pdf_text_is_bounded_by_max_chars(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    path = tmp_path / "v.pdf"
    path.write_bytes(_pdf(QUESTIONS))
    with pytest.raises(kv.InputTooLargeError):
        kv.read_text(path, max_chars=20)


def _encrypted_by_pypdf(user_password: str, algorithm: str = "RC4-128") -> bytes:
    """The questions PDF encrypted by pypdf itself (an AES algorithm needs a crypto backend to write: else skip)."""
    import pypdf

    writer = pypdf.PdfWriter()
    for page in pypdf.PdfReader(io.BytesIO(_pdf([HEADER, "", *QUESTIONS]))).pages:
        writer.add_page(page)
    try:
        writer.encrypt(user_password=user_password, owner_password="eigenaar", algorithm=algorithm)
    except pypdf.errors.DependencyError:
        pytest.skip(f"no crypto backend for {algorithm}")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_a_pdf_encrypted_with_the_empty_password_is_read(algorithm: str, tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    path = tmp_path / "v.pdf"
    path.write_bytes(_encrypted_by_pypdf("", algorithm))  # restrictions only: opens without a password
    assert "tekorten aan munitie" in kv.read_text(path)
    assert len(kv.read_document(path).questions) == 2
    path.write_bytes(_encrypted_by_pypdf("geheim", algorithm))
    with pytest.raises(kv.InputError, match=r"v\.pdf is an encrypted PDF; save a copy without a password first$"):
        kv.read_text(path)


def test_an_unsupported_encryption_is_the_clear_refusal(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    raw = _encrypted_by_pypdf("")
    assert raw.count(b"/V 2") == 1
    path = tmp_path / "v.pdf"
    path.write_bytes(raw.replace(b"/V 2", b"/V 9"))  # same length: the xref offsets stay right
    with pytest.raises(kv.InputError, match=r"is an encrypted PDF that could not be decrypted \(.*V=9.*\); "
                                            "save a copy without a password first$"):
        kv.read_text(path)


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])  # AES-256 fails on open, AES-128 on the first page
def test_aes_without_a_crypto_backend_is_the_clear_refusal(
    algorithm: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pypdf")
    from pypdf import _encryption
    from pypdf._crypt_providers import _fallback

    path = tmp_path / "v.pdf"
    path.write_bytes(_encrypted_by_pypdf("", algorithm))
    for function in ("CryptAES", "aes_cbc_decrypt", "aes_cbc_encrypt", "aes_ecb_decrypt", "aes_ecb_encrypt"):
        monkeypatch.setattr(_encryption, function, getattr(_fallback, function))  # as without cryptography
    with pytest.raises(kv.InputError, match=r"encrypted PDF that could not be decrypted \(.*cryptography.*\)"):
        kv.read_text(path)


def test_a_docx_of_one_paragraph_per_printed_line_reads_as_the_text_does(tmp_path: Path) -> None:
    """Word files converted from a PDF hold every printed line as a paragraph: a line that ends no sentence goes on."""
    lines = ["Vragen van het lid Jansen (SP) aan de minister van Defensie over het bericht",
             "‘Munitie op’ (ingezonden 3 maart 2025).", "1. Kent u het bericht over de tekorten aan",
             "munitie?", "2. Bent u bereid de Kamer voor de zomer te informeren over", "de voorraden?"]
    path = tmp_path / "vragen.docx"
    path.write_bytes(_docx(lines))
    document = kv.read_document(path)
    assert document.subject == "het bericht ‘Munitie op’"
    assert [q.text for q in document.questions] == [
        "Kent u het bericht over de tekorten aan munitie?",
        "Bent u bereid de Kamer voor de zomer te informeren over de voorraden?"]


@pytest.mark.parametrize("lines", [
    ["Vragen van het lid Jansen (SP)", "aan de minister van Defensie over het bericht ‘Munitie op’",
     "(ingezonden 3 maart 2025).", "Kent u het bericht?", "Wat is uw reactie op de volgende uitspraak:",
     "‘er is geen munitie meer’?"],
    ["Vragen van het lid Jansen (SP) aan de minister van Defensie over het bericht ‘Munitie:",
     "op’ (ingezonden 3 maart 2025)", "Kent u het bericht?", "Wat is uw reactie op de volgende uitspraak:",
     "‘er is geen munitie meer’?"],
])
def test_a_docx_line_ending_in_a_bracket_or_colon_runs_on_unless_a_new_start_follows(
        lines: list[str], tmp_path: Path) -> None:
    path, text = tmp_path / "vragen.docx", tmp_path / "vragen.txt"
    path.write_bytes(_docx(lines))
    text.write_text("\n".join(lines), encoding="utf-8")
    a, b = kv.read_document(text), kv.read_document(path)
    assert (b.submitted, b.subject, b.addressees) == (a.submitted, a.subject, a.addressees)
    assert b.submitted is not None and [q.text for q in b.questions] == [q.text for q in a.questions]
    assert len(b.questions) == 2


def test_a_docx_paragraph_ending_in_a_footnote_reference_ends_its_question(tmp_path: Path) -> None:
    path = tmp_path / "vragen.docx"
    path.write_bytes(_docx([HEADER, "Kent u het bericht over de tekorten aan munitie?1", "Hoeveel munitie is er nog?",
                            "1 NOS, 2 maart 2025, https://nos.nl/artikel/1"]))
    assert kv.read_text(path).split("\n\n")[1:3] == ["Kent u het bericht over de tekorten aan munitie?1",
                                                       "Hoeveel munitie is er nog?"]
    document = kv.read_document(path)
    assert [q.text for q in document.questions] == ["Kent u het bericht over de tekorten aan munitie?",
                                                     "Hoeveel munitie is er nog?"]
    assert [f.number for f in document.footnotes] == [1]


def test_docx_is_read_by_content(tmp_path: Path) -> None:
    path = tmp_path / "vragen"  # no extension
    path.write_bytes(_docx([HEADER, *QUESTIONS]))
    assert kv.read_text(path).split("\n\n") == [HEADER, *QUESTIONS]
    assert len(kv.read_document(path).questions) == 2


@pytest.mark.parametrize("member, message", [("xl/workbook.xml", "Excel .xlsx"), ("mimetype", "OpenDocument"),
                                             ("other.txt", "zip archive")])
def test_other_zips_are_named(member: str, message: str, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(member, "x")
    path = tmp_path / "f"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(kv.InputError, match=message):
        kv.read_text(path)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


HOSTILE_DOCX = {
    # 65 MiB of white space in the text part: its declared size is refused before anything is inflated.
    "zip-bomb": (lambda: _zip({"word/document.xml": b"<w:document>" + b" " * (65 << 20) + b"</w:document>"}),
                 "declares"),
    "members": (lambda: _zip({f"m{i}": b"" for i in range(5000)} | {"word/document.xml": b"<x/>"}), "members"),
    "damaged-xml": (lambda: _zip({"word/document.xml": b"<w:document><w:body>"}), "damaged Word document"),
}


@pytest.mark.parametrize("case", list(HOSTILE_DOCX))
def test_hostile_docx_fail_quickly_in_bounded_memory(case: str, tmp_path: Path) -> None:
    make, message = HOSTILE_DOCX[case]
    path = tmp_path / "hostile.docx"
    path.write_bytes(make())
    tracemalloc.start()
    try:
        with pytest.raises(kv.InputError, match=message):
            kv.read_text(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 << 20, peak


def test_docx_parsing_stops_beyond_max_chars(tmp_path: Path) -> None:
    path = tmp_path / "long.docx"
    path.write_bytes(_docx([QUESTIONS[0]] * 200_000))  # 10 MB of text
    start = time.perf_counter()
    with pytest.raises(kv.InputTooLargeError):
        kv.read_text(path, max_chars=1000)
    assert time.perf_counter() - start < 0.5  # the first paragraphs only, not all 200,000


def test_docx_with_a_doctype_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    path = tmp_path / "f.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(kv.InputError, match="kvclassify can read safely"):
        kv.read_text(path)


@pytest.mark.parametrize("data, message", [(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "OLE2 .doc"),
                                           (b"{\\rtf1 hallo}", "RTF"), (b"\x89PNG\r\n", "PNG")])
def test_known_binary_formats_are_named(data: bytes, message: str, tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(data)
    with pytest.raises(kv.InputError, match=message):
        kv.read_text(path)


def test_iter_lines_streams_and_bounds_each_line() -> None:
    assert list(kv.iter_lines(io.BytesIO("a\nb\n".encode("utf-16")), "x")) == ["a", "b"]
    with pytest.raises(kv.InputTooLargeError, match="line 2"):
        list(kv.iter_lines(io.BytesIO(b"ok\n" + b"y" * 100), "x", max_chars=10))
    lines = kv.iter_lines(io.BytesIO(b"ok\nbad \xff\n"), "x")
    assert next(lines) == "ok"  # a line is given as soon as it is read
    with pytest.raises(kv.InputError, match=r"x: not UTF-8 \(byte 0xff at offset 7, line 2\)"):
        next(lines)


def test_read_document_of_a_fixture() -> None:
    doc = kv.read_document(FIXTURES / "documents" / "seed-2025-om-ict.txt")
    assert doc.kind == "questions" and len(doc.questions) == 10


@pytest.mark.parametrize(("encoding", "message"), [
    (5, "encoding must be a str such as 'latin-1', got int"), (b"latin-1", "must be a str.*got bytes"),
    ("nope", "unknown encoding 'nope'"), ("base64", "'base64' is not a text encoding"),
])
def test_every_public_reader_checks_its_encoding(tmp_path: Path, encoding: object, message: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("Kent u het bericht?\n", encoding="utf-8")
    for call in (lambda: kv.read_document(path, encoding=encoding), lambda: kv.read_text(path, encoding=encoding),
                 lambda: list(kv.iter_lines(io.BytesIO(b"a\n"), "x", encoding=encoding)),
                 lambda: decode(b"a", "x", encoding)):  # type: ignore[arg-type]
        with pytest.raises(kv.InputError, match=message):
            call()


def test_the_encoding_hint_is_only_given_where_it_can_be_followed() -> None:
    with pytest.raises(kv.InputError, match="; pass an encoding, e.g. --encoding latin-1 "):
        decode(b"\xe9t\xe9", "q.txt")
    with pytest.raises(kv.InputError, match=r"line 1\); convert the file to UTF-8, e.g. iconv -f LATIN1 -t UTF-8$"):
        decode(b"\xe9t\xe9", "q.txt", retry=None)
    with pytest.raises(kv.InputError, match="UTF-16 without a byte-order mark\\? convert the file, e.g. iconv"):
        decode("abc".encode("utf-16-le"), "q.txt", retry=None)
    with pytest.raises(kv.InputError, match="e.g. encoding='utf-16-le'"):
        decode("abc".encode("utf-16-le"), "q.txt", retry="encoding={!r}")


@pytest.mark.parametrize(("raw", "guess", "iconv"), [
    (b"\x91Kent u het bericht?\x92", "cp1252", "CP1252"),  # curly quotes: Windows text
    (b"caf\xe9 en \x93koffie\x94", "cp1252", "CP1252"),  # the first bad byte is not 0x80-0x9F, a later one is
    (b"\xe9t\xe9", "latin-1", "LATIN1"),  # nothing in 0x80-0x9F: latin-1 reads it as cp1252 would
    (b"\x91 en \x81", "latin-1", "LATIN1"),  # 0x81 is no cp1252 character: only latin-1 decodes the bytes
])
def test_the_encoding_hint_suggests_one_that_decodes(raw: bytes, guess: str, iconv: str) -> None:
    with pytest.raises(kv.InputError) as caught:
        decode(raw, "q.txt")
    message = str(caught.value)
    assert message.endswith(f"; pass an encoding, e.g. --encoding {guess} (iconv -f {iconv} -t UTF-8 converts the file)")
    assert "\n" not in message
    assert decode(raw, "q.txt", guess)  # following the hint reads the bytes
    with pytest.raises(kv.InputError, match=f"convert the file to UTF-8, e.g. iconv -f {iconv} -t UTF-8$"):
        decode(raw, "q.txt", retry=None)


def test_the_cp1252_hint_reads_the_curly_quotes(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_bytes("\u2018Kent u het bericht?\u2019\n".encode("cp1252"))
    with pytest.raises(kv.InputError, match="--encoding cp1252"):
        kv.read_text(path)
    assert kv.read_text(path, encoding="cp1252") == "\u2018Kent u het bericht?\u2019\n"


def test_file_lines_split_at_newline_only_in_every_encoding(tmp_path: Path) -> None:
    from kvclassify.decoding import file_lines

    text = "een\u2028twee\rdrie\nvier\r\n"
    for encoding in ("utf-8", "utf-16", "utf-32-be", "cp500", "latin-1"):
        path = tmp_path / "d.txt"
        path.write_bytes(text.replace("\u2028", "" if encoding in ("cp500", "latin-1") else "\u2028").encode(encoding))
        lines = list(file_lines(path, encoding))
        assert len(lines) == 2 and lines[1] == "vier\r\n", encoding
    path.write_bytes(text.encode("utf-16"))
    assert list(file_lines(path)) == ["een\u2028twee\rdrie\n", "vier\r\n"]  # UTF-16 by its byte-order mark


def test_explicit_utf8_drops_a_byte_order_mark_as_the_default_does() -> None:
    assert decode(b"\xef\xbb\xbfabc", "x", "utf-8") == decode(b"\xef\xbb\xbfabc", "x") == "abc"
