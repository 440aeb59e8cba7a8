"""PDF damage: characters, page furniture, hard line breaks, glued words.

The first stage of :func:`kvclassify.parse_document`: :func:`page_lines`
normalises the characters and marks page headers and footers; :func:`clean`
joins a block of lines into one text the way the ground truth does.

Every expression here runs in linear time: quantifiers next to each other
are possessive (``\\s*+``) so a long run of spaces is read once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

__all__ = ["PageLines", "page_lines", "sentence_breaks", "join_lines", "clean", "strip_trailing_markers", "asks",
           "stops_mid_sentence", "split_glued"]

_FURNITURE_RE = re.compile(
    r"^(?:"
    r"Tweede Kamer der Staten-Generaal\s*+\d*+"
    r"|Vergaderjaar \d{4}\s*+[–-]\s*+\d{4}.*"
    r"|Vragen gesteld door de leden der Kamer.*"
    r"|regering gegeven antwoorden"
    r"|(?:ah|kv)-tk-\S++"
    r"|ISSN \d{4}.*"
    r"|[’']s-Gravenhage \d{4}.*"
    r"|Tweede Kamer,? vergaderjaar \d{4}\s*+[–-]\s*+\d{4},? (?:Aanhangsel|Vragen)(?: \d+)?+"
    r"|AH \d++"
    r"|\d{4}Z\s?\d{5}"
    r"|Zie ook Aanhangsel\s*+(?:van de )?Handelingen.*"
    r"|[_=*~–—-]{5,}+"
    # Page numbers: "Pagina 2 van 3", "- 2 -", "2/3" (a bare "2" may be a question
    # number or a footnote reference: :mod:`.units` decides those).
    r"|(?:Pagina|Blz\.?|Page)\s*+\d{1,4}+(?:\s*+(?:van|of|/)\s*+\d{1,4}+)?"
    r"|[–—-]\s*+\d{1,4}+\s*+[–—-]"
    r"|\d{1,4}+\s*+/\s*+\d{1,4}+"
    r")\s*+$",
    re.IGNORECASE,
)
# An e-mail quote prefix ("> Kent u …"); :func:`normalise` takes it off when (nearly) every line has it.
_QUOTE_RE = re.compile(r"^[ ]*+>[ ]?+", re.MULTILINE)
_URL_START_RE = re.compile(r"https?://|www\.")
_HYPHEN_END_RE = re.compile(r"\w-$")
_SOFT_HYPHEN_BREAK_RE = re.compile(r"\xad[ ]*+\n[ ]*+")
_WS_RE = re.compile(r"\s+")
# A line that carries on the sentence before it: lower case, or punctuation no sentence opens with.
_CARRIES_ON_RE = re.compile(r"[a-zà-ÿ,;)]")
_COMBINING: dict[str, str] = {"´": "\u0301", "`": "\u0300", "¨": "\u0308", "ˆ": "\u0302",
                              "˜": "\u0303", "¸": "\u0327", "ˇ": "\u030c"}
_DETACHED_ACCENT_RE = re.compile(r"([A-Za-z]) ([´¨ˆ˜¸ˇ])(?=[\s\W]|$)")
# Glued sentence punctuation ("pakken,zodat", "kwamen?Hoe"): safe to split between letters.
_GLUE_PUNCT_RE = re.compile(r"(?<=[a-zà-ÿ]{2})([,;?!])(?=[A-Za-zÀ-ÿ]{2})")
_GLUE_STOP_RE = re.compile(r"(?<=[a-zà-ÿ]{3})\.(?=[A-Z][a-zà-ÿ]{2})")
_TOKEN_RE = re.compile(r"\S++|\s++")
# A word a split may touch: letters only, not part of a hyphenated compound or a number.
_WORD_RE = re.compile(r"(?<![\w-])[^\W\d_]{4,40}+(?![\w-])")


@dataclass(frozen=True, slots=True)
class PageLines:
    """The document's lines with what the page layout says about them.

    ``lines`` are stripped; ``furniture[i]`` tells a page header or footer
    line; ``page_ends`` are the indices where a run of furniture starts (a
    page boundary) plus the line count.
    """

    lines: tuple[str, ...]
    furniture: tuple[bool, ...]
    page_ends: tuple[int, ...]


def normalise(text: str) -> str:
    """One newline convention, plain spaces, reattached accents, no invisible characters.

    Examples
    --------
    >>> normalise("Kostic ´\\r\\nA\\xa0B\\u200b Minis\\xad\\nterie")
    'Kostić\\nA B Ministerie'
    >>> normalise("> Vraag 1\\n> Kent u het bericht?\\n>\\n> Antwoord 1")
    'Vraag 1\\nKent u het bericht?\\n\\nAntwoord 1'
    """
    text = text.replace("\r\n", "\n")
    # Every other line or page break Unicode knows (str.splitlines' set) is a line break too.
    for ch in ("\r", "\f", "\v", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"):
        text = text.replace(ch, "\n")
    for ch in ("\xa0", "\u2007", "\u202f", "\t"):
        text = text.replace(ch, " ")
    text = _unquote(text)
    # PDF extraction detaches accents: "Kostic ´" is "Kostić".
    text = unicodedata.normalize("NFC", _DETACHED_ACCENT_RE.sub(
        lambda m: m.group(1) + _COMBINING[m.group(2)], text))
    # A soft hyphen at a line break splits one word: "Minis\xad" / "terie" is "Ministerie".
    text = _SOFT_HYPHEN_BREAK_RE.sub("", text)
    for ch in ("\u200b", "\u200c", "\u200d", "\ufeff", "\xad"):
        text = text.replace(ch, "")
    return text


def _unquote(text: str) -> str:
    """``text`` without its e-mail quote prefix ("> "), when at least 9 in 10 of its text lines have one.

    A copy forwarded or replied to quotes every line; a stray unquoted line (the
    "… schreef:" above it) does not stop that.  A "> " in a few lines only is text.
    """
    quoted = len(_QUOTE_RE.findall(text))
    lines = sum(1 for line in text.split("\n") if line.strip())
    return _QUOTE_RE.sub("", text) if quoted and 10 * quoted >= 9 * lines else text


def page_lines(lines: list[str]) -> PageLines:
    """Strip ``lines`` and mark page furniture and page boundaries.

    Examples
    --------
    >>> p = page_lines(["Kent u het bericht?", "Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel 2", "Ja."])
    >>> p.furniture, p.page_ends
    ((False, True, False), (1, 3))
    """
    stripped = tuple(line.strip() for line in lines)
    furniture = tuple(bool(s) and bool(_FURNITURE_RE.match(s)) for s in stripped)
    ends = [i for i in range(len(stripped)) if furniture[i] and (i == 0 or not furniture[i - 1])]
    return PageLines(stripped, furniture, (*ends, len(stripped)))


def join_lines(lines: list[str], keep_hyphens: bool = True) -> str:
    """Join hard-wrapped lines the way the ground truth does.

    A line ending in "letter-" ("storin-" / "gen") or inside a URL
    ("https://nos.nl/artikel/" / "2547000-storingen") is glued to the next line
    without a space; other lines are joined with one space.  With
    ``keep_hyphens=False`` the hyphen before a lower-case continuation goes too
    ("Justi-" / "tie" -> "Justitie"), for text matched against known names.

    Linear time: only the current whitespace-free run is inspected (a URL tail is
    a run that holds a URL start and ends in ``/_=?&#``), never the whole text.

    Examples
    --------
    >>> join_lines(["de storin-", "gen op https://nos.nl/", "artikel/1 duurden"])
    'de storin-gen op https://nos.nl/artikel/1 duurden'
    >>> join_lines(["minister van Justi-", "tie en ICT-", "Zaken"], keep_hyphens=False)
    'minister van Justitie en ICT-Zaken'
    """
    out: list[str] = []
    run_has_url = False  # whether the current whitespace-free run holds "http(s)://" or "www."
    run_tail = ""  # its last few characters, to spot a URL start split over two lines
    glue = hyphen = False
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and not glue:
            out.append(" ")
        elif hyphen and not keep_hyphens and line[:1].islower():
            out[-1] = out[-1][:-1]
        head, _, last = line.rpartition(" ") if " " in line else ("", "", line)
        if glue and not head:
            run_has_url = run_has_url or _URL_START_RE.search(run_tail + last) is not None
            run_tail = (run_tail + last)[-8:]
        else:
            run_has_url = _URL_START_RE.search(last) is not None
            run_tail = last[-8:]
        out.append(line)
        hyphen = bool(_HYPHEN_END_RE.search(line[-2:]))
        glue = hyphen or (run_has_url and line[-1] in "/_=?&#")
    return "".join(out)


def split_glued(text: str, lexicon: Collection[str]) -> str:
    """Split words glued by lost spaces where ``lexicon`` makes the split certain.

    A word of 4 to 40 letters (lower case after its first letter) that is not
    in the lexicon is split in two known words when exactly one such split
    exists and it has the shape of PDF damage: two function words ("inhet"),
    a function word that is no prefix before a word ("enwilt" -> "en wilt"), a
    word before a function word that is no suffix ("bekendmet"), or a
    capitalised name before "en" and another capitalised word
    ("Volksgezondheiden Sport" -> "Volksgezondheid en Sport"). Prefixes and
    suffixes ("om|bouw", "beoog|de", "partij|en") are never split off: Dutch
    writes its compounds and inflections glued. URLs, numbers
    and hyphenated words are left alone. Each word is read once: linear time.

    Examples
    --------
    >>> split_glued("enwilt u inhet kader van Volksgezondheiden Sport", {"en", "wilt", "in", "het",
    ...             "kader", "van", "volksgezondheid", "sport", "u"})
    'en wilt u in het kader van Volksgezondheid en Sport'
    """
    if not lexicon:
        return text
    tokens = _TOKEN_RE.findall(text)
    out: list[str] = []
    for k, piece in enumerate(tokens):
        if piece[0].isspace() or _URL_START_RE.search(piece) or "@" in piece:
            out.append(piece)
            continue
        # "Volksgezondheiden Sport": a capitalised next word makes "X en Y" likely.
        before_capital = k + 2 < len(tokens) and tokens[k + 2][:1].isupper()
        out.append(_WORD_RE.sub(lambda m: _split_word(m.group(0), lexicon, before_capital), piece))
    return "".join(out)


#: Function words glued to a neighbour by a lost space. Those that also are Dutch
#: prefixes ("in", "op", "aan", "om" …) count only next to another function word.
_FUNCTION_WORDS = frozenset({"en", "de", "het", "een", "dat", "die", "u", "wilt", "kunt", "zijn", "niet", "is",
                             "in", "op", "te", "of", "om", "aan", "van", "voor", "met", "over", "naar", "bij"})
_NOT_PREFIX = frozenset({"en", "de", "het", "een", "dat", "die", "u", "wilt", "kunt", "zijn", "is", "of"})
#: Real words that look glued, and the halves of compounds ("hiernaar", "dezelfde").
_WHOLE = frozenset({"hetgeen", "upon", "metis"})
_PRONOMINAL = frozenset({"hier", "daar", "waar", "er"})
_NOT_SUFFIX = frozenset({"het", "een", "dat", "die", "u", "wilt", "kunt", "zijn", "niet", "met", "naar", "of"})


def _split_word(word: str, lexicon: Collection[str], before_capital: bool) -> str:
    lower = word.lower()
    if lower in lexicon or lower in _WHOLE or not word[1:].islower():
        return word
    capital = word[0].isupper()
    cuts = []
    for cut in range(1, len(lower)):
        left, right = lower[:cut], lower[cut:]
        if left not in lexicon or right not in lexicon or left in _PRONOMINAL or right == "zelfde":
            continue
        if ((left in _FUNCTION_WORDS and right in _FUNCTION_WORDS)
                or (left in _NOT_PREFIX and len(right) >= 3 and not capital)
                or (right in _NOT_SUFFIX and len(left) >= 4)
                or (right == "en" and capital and before_capital and len(left) >= 6)):
            cuts.append(cut)
    if len(cuts) != 1:
        return word
    return f"{word[:cuts[0]]} {word[cuts[0]:]}"


def clean(lines: list[str], lexicon: Collection[str] = ()) -> str:
    """Join a block of lines into one text: line joins, glued punctuation and words, one space.

    Examples
    --------
    >>> clean(["Hoe kwamen", "ze,zodat het?"])
    'Hoe kwamen ze, zodat het?'
    """
    text = join_lines(lines)
    text = _GLUE_PUNCT_RE.sub(r"\1 ", text)
    text = _GLUE_STOP_RE.sub(". ", text)
    text = _WS_RE.sub(" ", text).strip()
    return split_glued(text, lexicon) if lexicon else text


#: pypdf keeps a superscript footnote number raised ("bericht?¹", "¹ NOS, …"): wherever a footnote
#: number may be written in digits it may be written in these too.
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def strip_trailing_markers(text: str) -> str:
    """Remove trailing footnote markers ("…?1", "…? [2]", "…?3)", "…?¹") in linear time.

    The longest suffix made of groups ``\\s* [? digits )? ]?`` is cut off. (As a
    regular expression this backtracks exponentially on a long run of digits.)

    Examples
    --------
    >>> strip_trailing_markers("Kent u het bericht?1 [2]"), strip_trailing_markers("Kent u het bericht?¹")
    ('Kent u het bericht?', 'Kent u het bericht?')
    """
    newline = text.endswith("\n")  # "$" also matches before a final newline
    cut = i = len(text) - newline
    while True:
        j = i
        if j and text[j - 1] == "]":
            j -= 1
        if j and text[j - 1] == ")":
            j -= 1
        k = j
        while k and (text[k - 1].isdecimal() or text[k - 1] in SUPERSCRIPT_DIGITS):
            k -= 1
        if k == j:
            break
        if k and text[k - 1] == "[":
            k -= 1
        while k and text[k - 1].isspace():
            k -= 1
        cut = i = k
    return text[:cut] + text[len(text) - newline:]


def stops_mid_sentence(line: str) -> bool:
    """Whether ``line`` holds text that does not end in ".", "?", "!" or ":" (footnote markers aside).

    Examples
    --------
    >>> stops_mid_sentence("En in hoeverre wordt er"), stops_mid_sentence("Kent u het bericht? 1)")
    (True, False)
    >>> stops_mid_sentence("1)")  # a footnote marker alone ends nothing and continues nothing
    False
    """
    text = strip_trailing_markers(line).rstrip()
    return bool(text) and not text.endswith((".", "?", "!", ":"))


def sentence_breaks(lines: tuple[str, ...], keep: list[bool]) -> list[int]:
    """The blank lines that fall inside a sentence: page breaks, not paragraph breaks.

    pypdf joins pages with a blank line, wherever the page ends: a blank line (or a
    run of them) between a kept line that does not end a sentence and one that
    carries it on ("… wordt er" / "" / "gekeken naar …") separates nothing.  Lines
    not kept (page furniture) between them are passed over.

    Examples
    --------
    >>> sentence_breaks(("Wordt er", "", "gekeken?", "", "Ja."), [True] * 5)
    [1]
    """
    out: list[int] = []
    previous = ""  # the last kept text line
    run: list[int] = []  # the kept blank lines since it
    for i, line in enumerate(lines):
        if not keep[i]:
            continue
        if not line:
            run.append(i)
            continue
        if run and stops_mid_sentence(previous) and _CARRIES_ON_RE.match(line):
            out.extend(run)
        previous, run = line, []
    return out


def asks(lines: list[str]) -> bool:
    """Whether a block of lines ends in a question mark (footnote markers aside).

    Examples
    --------
    >>> asks(["Kent u", "het bericht?1"]), asks(["NOS, 1 mei 2025."])
    (True, False)
    """
    text = strip_trailing_markers(" ".join(line.strip() for line in lines if line.strip()))
    return text.rstrip(" ,").endswith("?")
