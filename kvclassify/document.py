"""Parse a Kamervragen document (questions, answers or oral questions) into parts.

The input is text as extracted from the official PDF or DOCX, with its damage:
page headers and footers, footnote blocks in the middle of a question, words
hyphenated or glued at line ends.  :func:`parse_document` recovers the header
(members, addressees, dates, subject), the footnotes and the question units
(with the government's answer when the document has one).

Everything here is pure Python and runs in linear time: every regular
expression is compiled once, anchored to one line or bounded, and free of
nested quantifiers.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from kvclassify.errors import InputError

__all__ = [
    "PORTFOLIO_AREAS",
    "Member",
    "Addressee",
    "QuestionUnit",
    "Footnote",
    "Document",
    "parse_document",
    "portfolio_areas",
]

#: Ministry or portfolio name (regex, case-insensitive, spaces optional) -> policy area,
#: after ``../shared/data/ministers/MAPPING.md`` sections 2a (ministry default) and 2b
#: (portfolio rules).  Order matters: the first pattern matching at a position wins, so
#: portfolios and longer names come before the ministries they are part of.
PORTFOLIO_AREAS: tuple[tuple[str, str], ...] = (
    (r"algemene zaken", "algemene_zaken"),
    (r"buitenlandse handel en ontwikkelings(?:samenwerking|hulp)", "handel_ontwikkeling"),
    (r"ontwikkelings(?:samenwerking|hulp)", "handel_ontwikkeling"),
    (r"buitenlandse handel", "handel_ontwikkeling"),
    (r"buitenlandse zaken", "buitenlandse_zaken"),
    (r"europese zaken", "buitenlandse_zaken"),
    (r"immigratie,? integratie en asiel", "asiel_migratie"),
    (r"asiel en migratie|migratie en asiel|vreemdelingenzaken(?: en asiel)?", "asiel_migratie"),
    (r"justitie en veiligheid|veiligheid en justitie|justitie", "justitie_veiligheid"),
    (r"rechtsbescherming", "justitie_veiligheid"),
    (r"herstel groningen", "klimaat_energie"),
    (r"binnenlandse zaken(?: en koninkrijks?relaties)?", "binnenlands_bestuur"),
    (r"koninkrijks?relaties(?: en digitalisering)?|digitalisering(?: en koninkrijks?relaties)?",
     "binnenlands_bestuur"),
    (r"onderwijs,? cultuur en wetenschap(?:pen)?", "onderwijs_cultuur"),
    (r"primair en voortgezet onderwijs|funderend onderwijs(?: en emancipatie)?"
     r"|basis- en voortgezet onderwijs|hoger onderwijs(?: en wetenschap)?|cultuur en media",
     "onderwijs_cultuur"),
    (r"financi[eë]n", "financien"),
    (r"defensie", "defensie"),
    # VROM: housing then sat with the WWI minister (MAPPING 2a).
    (r"volkshuisvesting,? ruimtelijke ordening en milieu(?:beheer)?", "infrastructuur_milieu"),
    (r"volkshuisvesting(?: en ruimtelijke ordening)?", "wonen_ruimte"),
    (r"wonen,? wijken en integratie|wonen en rijksdienst", "wonen_ruimte"),
    (r"verkeer en waterstaat|infrastructuur en (?:milieu|waterstaat)|infrastructuur",
     "infrastructuur_milieu"),
    (r"klimaat en groene groei|klimaat en energie|mijnbouw", "klimaat_energie"),
    (r"economische zaken(?:,? landbouw en innovatie| en klimaat)?", "economie"),
    (r"landbouw,? (?:natuur en voedselkwaliteit|visserij,? (?:en )?voedselzekerheid en natuur)"
     r"|landbouw(?:,? natuur)?", "landbouw_natuur"),
    (r"natuur en stikstof", "landbouw_natuur"),
    (r"sociale zaken en werkgelegenheid", "sociale_zaken_werk"),
    (r"armoedebeleid,? participatie en pensioenen|participatie en integratie", "sociale_zaken_werk"),
    (r"volksgezondheid,? welzijn en sport", "zorg_welzijn"),
    (r"medische zorg(?: en sport)?|langdurige (?:en maatschappelijke )?zorg(?: en sport)?"
     r"|jeugd en gezin|jeugd,? preventie en sport", "zorg_welzijn"),
)


def _spaced(pattern: str) -> str:
    # PDF extraction loses spaces ("enVolksgezondheid"), so a space may be missing.
    return pattern.replace(" ", r"\s*")


_PORTFOLIO_RES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"(?:{_spaced(p)})\Z", re.IGNORECASE), area) for p, area in PORTFOLIO_AREAS
)
_PORTFOLIO_ANY = "|".join(f"(?:{_spaced(p)})" for p, _ in PORTFOLIO_AREAS)

_MONTHS: dict[str, int] = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}

#: Canonical spelling of party names (the header's casing is not reliable, e.g. "PvDA").
_PARTIES: dict[str, str] = {
    p.lower(): p
    for p in (
        "VVD", "PVV", "CDA", "D66", "SP", "PvdA", "GroenLinks", "GroenLinks-PvdA", "PvdD",
        "ChristenUnie", "SGP", "DENK", "FVD", "JA21", "Volt", "BBB", "BIJ1", "50PLUS",
        "Nieuw Sociaal Contract", "NSC",
    )
}

# --- line classification -------------------------------------------------------------

_FURNITURE_RE = re.compile(
    r"^(?:"
    r"Tweede Kamer der Staten-Generaal\s*\d*"
    r"|Vergaderjaar \d{4}\s*[–-]\s*\d{4}.*"
    r"|Vragen gesteld door de leden der Kamer.*"
    r"|regering gegeven antwoorden"
    r"|(?:ah|kv)-tk-\S+"
    r"|ISSN \d{4}.*"
    r"|[’']s-Gravenhage \d{4}.*"
    r"|Tweede Kamer,? vergaderjaar \d{4}\s*[–-]\s*\d{4},? (?:Aanhangsel|Vragen)(?: \d+)?"
    r"|AH \d+"
    r"|\d{4}Z\s?\d{5}"
    r"|Zie ook Aanhangsel\s*(?:van de )?Handelingen.*"
    r"|[_=*~–—-]{5,}"
    r")\s*$",
    re.IGNORECASE,
)
_VRAAG_RE = re.compile(
    r"^(?:Vra(?:ag|gen)|VRA(?:AG|GEN))\s+(\d{1,3})((?:\s*(?:,|en|t/m|&|-|–)\s*\d{1,3}){0,20})\s*[:.)]?(?:\s*(.*))?$"
)
_ANTWOORD_RE = re.compile(
    r"^(?:Antwoord(?:en)?|ANTWOORD(?:EN)?)(?!\s+(?:van|VAN)\b)(?:\s+op)?(?:\s+(?:de\s+)?(?:vraag|vragen))?"
    r"(?:\s+\d{1,3}(?:\s*(?:,|en|t/m|&|-|–)\s*\d{1,3}){0,20})?\s*[:.]?(?:\s+(.*))?$"
)
# A question number: "1." / "1)" (text may be glued: "1.Kent"), a bare "1" or "1." on
# its own line, or "1 Kent u" (number, space, capital).  The named groups tell the
# styles apart; see :func:`_number_style`.
_CAPITAL = r"[A-ZÀ-Ý«“‘'\"(]"
_NUMBERED_RE = re.compile(
    rf"^(?P<num>\d{{1,2}})(?:"
    rf"\s*(?P<punct>[.):])\s*(?={_CAPITAL})"
    rf"|\s*(?P<bare>[.)]?)\s*$"
    rf"|\s*(?P<loose>[.):])\s+"
    rf"|(?P<space>[ ]+)(?={_CAPITAL})"
    rf")(?P<text>.*)$"
)
# A paragraph that continues the question before it rather than asking a new one:
# a sub-question ("Zo ja, …", "Indien niet, …", "Waarom niet?"), a bullet or a
# lettered item ("- …", "• …", "a) …"), or a paragraph starting in lower case.
_CONTINUATION_RE = re.compile(
    r"^(?:(?:En\s+)?(?:Zo|Indien|Als)\s+(?:ja|nee|neen|niet|dat|dit|zo|wel)\b"
    r"|Waarom\s+(?:niet|wel)\b|Wanneer\s+(?:wel|niet)\b"
    r"|[-–•·*▪◦●]\s|[a-z][.)]\s|\([a-z]\)\s|[a-zà-ÿ])"
)
_DROP_PARA_RE = re.compile(r"^(?:Toelichting|Mededeling)\b\s*:?")
_ANSWER_HEAD_RE = re.compile(r"^Antwoord(?:en)? van\b", re.IGNORECASE)
_HEADER_START_RE = re.compile(
    r"^(?:Mondelinge\s+vragen|Schriftelijke\s+vragen|Kamervragen|Vragen|Vraag)\s+van\b", re.IGNORECASE
)
_HEADER_ANY_RE = re.compile(
    r"(?:Kamer)?[Vv]ra(?:gen|ag)\s+(?:van\s+het\s+)?van\s+(?:het\s+|de\s+)?(?:lid|leden)\s", re.IGNORECASE
)
_FOOTNOTE_SEP_RE = re.compile(r"^-{2,}\s*footnotes\s*-{2,}\s*$", re.IGNORECASE)
_FOOTNOTE_MD_RE = re.compile(r"^\[\^(\d{1,3})\]:\s*(.*)$")
# "1NOS, …" but not an ordinal ("2e Kamer", "1ste").
_FN_GLUED_RE = re.compile(r"^(\d{1,3})(?=[^\d\s.,)\]:/%–-])(?!(?:e|ste)\b)(.*)$")
_FN_MARKED_RE = re.compile(r"^(?:\[(\d{1,3})\]|(\d{1,3})\)|(\d{1,3})\.)\s+(\S.*)$")

# --- text cleaning ----------------------------------------------------------------------

_URL_START_RE = re.compile(r"https?://|www\.")
_HYPHEN_END_RE = re.compile(r"\w-$")
_WS_RE = re.compile(r"\s+")
_COMBINING: dict[str, str] = {"´": "\u0301", "`": "\u0300", "¨": "\u0308", "ˆ": "\u0302",
                              "˜": "\u0303", "¸": "\u0327", "ˇ": "\u030c"}
_DETACHED_ACCENT_RE = re.compile(r"([A-Za-z]) ([´¨ˆ˜¸ˇ])(?=[\s\W]|$)")
# Glued sentence punctuation ("pakken,zodat", "kwamen?Hoe"): safe to split between letters.
_GLUE_PUNCT_RE = re.compile(r"(?<=[a-zà-ÿ]{2})([,;?!])(?=[A-Za-zÀ-ÿ]{2})")
_GLUE_STOP_RE = re.compile(r"(?<=[a-zà-ÿ]{3})\.(?=[A-Z][a-zà-ÿ]{2})")
# A question mark glued to the next capital is a lost paragraph break, unless a
# sub-question follows ("?Zo ja", "?Indien").
_GLUE_SENTENCE_RE = re.compile(r"(?<=[a-zà-ÿ0-9)”’»])([?])(?!Zo\b|Indien\b|En\b|Z[oO]\s)(?=[A-Z][a-zà-ÿ])")
_LEADING_NUMBER_RE = re.compile(r"^1[.):]?\s+(?=[A-ZÀ-Ý«“‘'\"(])")
_INGEZONDEN_RE = re.compile(
    r"\(\s*ingezonden\s+(\d{1,2})\s+([a-z]+)\s+(\d{4})\s*\)", re.IGNORECASE
)
_ZAAK_RE = re.compile(r"\b(20\d{2})Z\s?(\d{5})\b")

# --- header parsing ---------------------------------------------------------------------

_HEADER_PARTS_RE = re.compile(
    r"(?P<oral>Mondelinge\s+)?(?:Kamer)?vra(?:gen|ag)\s+(?:van\s+het\s+)?van\s+(?:het\s+|de\s+)?"
    r"(?:lid|leden)\s+(?:lid\s+)?(?P<members>.+?)"
    r"(?:\s+aan\s+(?:de\s+|het\s+)?(?P<addr>.+?))?"
    r"(?:,?\s+(?:over|inzake|betreffende|omtrent)\s+(?P<subject>.*)|\s*\(\s*ingezonden\b.*|\.?)$",
    re.IGNORECASE,
)
#: Longest header text handed to the header regexes (real headers are < 1000
#: characters); keeps the lazy quantifiers in :data:`_HEADER_PARTS_RE` cheap.
_MAX_HEADER = 2000
_PARTY_HYPHEN_RE = re.compile(r"\s*-\s*")
_GLUED_CONNECTOR_RE = re.compile(r"\b(en|van|voor|aan|de)(?=[A-Z])")
_NAME_GLUE_RE = re.compile(r"(?<=[a-zà-öø-ÿ]{2})(?=[A-Z][a-zà-öø-ÿ])")
_ADDR_TOKEN_RE = re.compile(
    rf"(?P<pres>minister-president)"
    rf"|(?P<role>\b(?:ministers?|staatss?ecretariss?(?:en)?)\b)"
    rf"|(?P<conn>\b(?:van|voor)(?=\s|(?-i:[A-Z])))"
    rf"|(?P<min>(?:{_PORTFOLIO_ANY}))",
    re.IGNORECASE,
)
_ADDR_STOP_RE = re.compile(r",?\s*bij afwezigheid\b.*$", re.IGNORECASE)
_ANSWER_LEAD_RE = re.compile(
    r"^(?:de\s+)?(minister|staatssecretaris)\s+([^()]+?)\s*\(([^()]+)\)", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Member:
    """A member of parliament who asked the questions."""

    name: str
    party: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "party": self.party}


@dataclass(frozen=True, slots=True)
class Addressee:
    """A minister or state secretary the questions are addressed to."""

    text: str
    role: str
    ministry: str | None
    policy_areas: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "role": self.role,
            "ministry": self.ministry,
            "policy_areas": list(self.policy_areas),
        }


@dataclass(frozen=True, slots=True)
class QuestionUnit:
    """One question (with its sub-questions) and, in an answers document, its answer."""

    number: int | None
    numbers: tuple[int, ...]
    text: str
    answer: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "numbers": list(self.numbers),
            "text": self.text,
            "answer": self.answer,
        }


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote: its number and its text (URLs rejoined)."""

    number: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "text": self.text}


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed Kamervragen document."""

    kind: str
    zaak: str | None
    submitted: datetime.date | None
    members: tuple[Member, ...]
    addressees: tuple[Addressee, ...]
    subject: str | None
    header: str | None
    footnotes: tuple[Footnote, ...]
    questions: tuple[QuestionUnit, ...]

    @property
    def addressed_areas(self) -> tuple[str, ...]:
        """Union of the addressees' areas in first-seen order; ``algemene_zaken``
        is dropped when another area is present (MAPPING.md 2e)."""
        areas: list[str] = []
        for addressee in self.addressees:
            for area in addressee.policy_areas:
                if area not in areas:
                    areas.append(area)
        if len(areas) > 1 and "algemene_zaken" in areas:
            areas.remove("algemene_zaken")
        return tuple(areas)

    def footnote(self, number: int) -> str | None:
        """Return the text of footnote ``number``, or ``None``."""
        for note in self.footnotes:
            if note.number == number:
                return note.text
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "zaak": self.zaak,
            "submitted": self.submitted.isoformat() if self.submitted else None,
            "members": [m.to_dict() for m in self.members],
            "addressees": [a.to_dict() for a in self.addressees],
            "addressed_areas": list(self.addressed_areas),
            "subject": self.subject,
            "header": self.header,
            "footnotes": [f.to_dict() for f in self.footnotes],
            "questions": [q.to_dict() for q in self.questions],
        }


# --- helpers ----------------------------------------------------------------------------


def portfolio_areas(name: str) -> tuple[str, ...]:
    """Map a ministry or portfolio name to its policy area(s).

    Examples
    --------
    >>> portfolio_areas("Volkshuisvesting en Ruimtelijke Ordening")
    ('wonen_ruimte',)
    """
    key = _WS_RE.sub(" ", name).strip(" ,.()")
    for pattern, area in _PORTFOLIO_RES:
        if pattern.match(key):
            return (area,)
    return ()


def _join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines the way the ground truth does.

    A line ending in "letter-" ("storin-" / "gen") or inside a URL
    ("https://nos.nl/artikel/" / "2547000-storingen") is glued to the next line
    without a space; other lines are joined with one space.

    Linear time: only the current whitespace-free run is inspected (a URL tail is
    a run that holds a URL start and ends in ``/_=?&#``), never the whole text.
    """
    out: list[str] = []
    run_has_url = False  # whether the current whitespace-free run holds "http(s)://" or "www."
    run_tail = ""  # its last few characters, to spot a URL start split over two lines
    glue = False
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and not glue:
            out.append(" ")
        head, _, last = line.rpartition(" ") if " " in line else ("", "", line)
        if glue and not head:
            run_has_url = run_has_url or _URL_START_RE.search(run_tail + last) is not None
            run_tail = (run_tail + last)[-8:]
        else:
            run_has_url = _URL_START_RE.search(last) is not None
            run_tail = last[-8:]
        out.append(line)
        glue = bool(_HYPHEN_END_RE.search(line[-2:])) or (run_has_url and line[-1] in "/_=?&#")
    return "".join(out)


def _clean(lines: list[str]) -> str:
    text = _join_lines(lines)
    text = _GLUE_PUNCT_RE.sub(r"\1 ", text)
    text = _GLUE_STOP_RE.sub(". ", text)
    return _WS_RE.sub(" ", text).strip()


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    for ch in ("\xa0", "\u2007", "\u202f", "\t"):
        text = text.replace(ch, " ")
    # PDF extraction detaches accents: "Kostic ´" is "Kostić".
    text = unicodedata.normalize("NFC", _DETACHED_ACCENT_RE.sub(
        lambda m: m.group(1) + _COMBINING[m.group(2)], text))
    for ch in ("\u200b", "\u200c", "\u200d", "\ufeff", "\xad"):
        text = text.replace(ch, "")
    return text


def _parse_date(match: re.Match[str] | None) -> datetime.date | None:
    if match is None:
        return None
    month = _MONTHS.get(match.group(2).lower())
    if month is None:
        return None
    try:
        return datetime.date(int(match.group(3)), month, int(match.group(1)))
    except ValueError:
        return None


def _marker_seen(number: int, text: str) -> bool:
    """Whether ``text`` holds a footnote reference like ``?1)``, ``[1]`` or ``(1)``."""
    # The number must not continue a longer number: "(JA21)" or "(ingezonden 1 maart
    # 2021)" hold no reference to footnote 1.
    n = str(number)
    return bool(re.search(rf"(?<!\d)(?:{n}\)|\[\^?{n}\]|\({n}\))|[^\s\d]{n}(?!\d)", text))


def _strip_trailing_markers(text: str) -> str:
    """Remove trailing footnote markers ("…?1", "…? [2]", "…?3)") in linear time.

    The longest suffix made of groups ``\\s* [? digits )? ]?`` is cut off. (As a
    regular expression this backtracks exponentially on a long run of digits.)
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
        while k and text[k - 1].isdecimal():
            k -= 1
        if k == j:
            break
        if k and text[k - 1] == "[":
            k -= 1
        while k and text[k - 1].isspace():
            k -= 1
        cut = i = k
    return text[:cut] + text[len(text) - newline:]


def _asks(lines: list[str]) -> bool:
    """Whether a block of lines ends in a question mark (footnote markers aside)."""
    text = _strip_trailing_markers(" ".join(line.strip() for line in lines if line.strip()))
    return text.rstrip(" ,").endswith("?")


def _footnote_start(
    line: str, expected: int, lines: list[str], upto: int, need_reference: bool = True
) -> tuple[int, str] | None:
    """Footnote number and text if ``line`` starts footnote ``expected`` (or up to 3 later).

    "1NOS, …" (number glued to the text) always counts; "1) …", "[1] …" and "1. …"
    only when a reference to that number occurs in the 200 lines before ``upto``,
    which are joined only then (most lines fail the cheap pattern test first).
    Inside a block that has already started (``need_reference=False``) the next
    number needs no reference: footnotes cited only elsewhere still end the previous one.
    """
    glued = _FN_GLUED_RE.match(line)
    if glued and expected <= int(glued.group(1)) <= expected + 3:
        return int(glued.group(1)), glued.group(2)
    marked = _FN_MARKED_RE.match(line)
    if marked:
        number = int(next(g for g in marked.groups()[:3] if g))
        if expected <= number <= expected + 3 and not need_reference:
            return number, marked.group(4)
        if expected <= number <= expected + 3 and _marker_seen(
                number, "\n".join(lines[max(0, upto - 200):upto])):
            return number, marked.group(4)
    return None


def _extract_footnotes(
    lines: list[str], page_ends: list[int], keep: list[bool], body_from: int
) -> list[Footnote]:
    """Find footnote blocks at the bottom of each page; mark their lines as not kept."""
    notes: list[Footnote] = []
    expected = 1
    page_start = 0
    for end in page_ends:
        start = max(page_start, body_from, end - 40)
        block: int | None = None
        for i in range(start, end):
            if not keep[i] or _VRAAG_RE.match(lines[i]) or _ANTWOORD_RE.match(lines[i]):
                continue
            first = _footnote_start(lines[i], expected, lines, i)
            if first is None:
                continue
            # The block must run to the page end with consecutive numbers and no
            # question or answer marker inside, and no entry may end in a question
            # mark: "1. Kent u …?" / "2. Bent u …?" is a numbered question list.
            nxt, ok = first[0] + 1, True
            entry = [first[1]]
            for j in range(i + 1, end):
                if _VRAAG_RE.match(lines[j]) or _ANTWOORD_RE.match(lines[j]):
                    ok = False
                    break
                start_j = _footnote_start(lines[j], nxt, lines, i, need_reference=False)
                if start_j is not None and start_j[0] == nxt:
                    nxt += 1
                    if _asks(entry):
                        ok = False
                        break
                    entry = [start_j[1]]
                elif keep[j]:
                    entry.append(lines[j])
            if ok and not _asks(entry):
                block = i
                break
        if block is not None:
            current: tuple[int, list[str]] | None = None
            nxt = expected
            for j in range(block, end):
                if not keep[j]:
                    continue
                found = _footnote_start(lines[j], nxt, lines, block, need_reference=current is None)
                if found is not None and (current is None or found[0] == current[0] + 1):
                    if current is not None:
                        notes.append(Footnote(current[0], _join_lines(current[1])))
                    current = (found[0], [found[1]])
                    nxt = found[0] + 1
                elif current is not None:
                    current[1].append(lines[j])
                keep[j] = False
            if current is not None:
                notes.append(Footnote(current[0], _join_lines(current[1])))
                expected = current[0] + 1
        page_start = end
    return notes


def _split_members(text: str) -> tuple[Member, ...]:
    chunks = re.split(r"\(([^()]*)\)", text)
    members: list[Member] = []
    pending: list[str] = []
    for idx, chunk in enumerate(chunks):
        if idx % 2 == 1:
            party = re.sub(r"^(?:beiden|allen|beide)\s+", "", chunk.strip(), flags=re.IGNORECASE)
            party = _PARTY_HYPHEN_RE.sub("-", _WS_RE.sub(" ", party))
            party = _PARTIES.get(party.lower(), party) or None
            members.extend(Member(name, party) for name in pending)
            pending = []
            continue
        for name in re.split(r"\s*,\s*|\s+en\s+", chunk):
            name = re.sub(r"^(?:het\s+)?(?:lid|leden)\s+", "", name.strip(), flags=re.IGNORECASE)
            name = _NAME_GLUE_RE.sub(" ", name).strip(" .")
            if name:
                pending.append(name)
    members.extend(Member(name, None) for name in pending)
    return tuple(members)


def _singular(role: str) -> str:
    lower = role.lower()
    if lower.endswith("sen"):
        return role[:-3]
    if lower.endswith("ministers"):
        return role[:-1]
    return role


def _split_addressees(text: str) -> tuple[Addressee, ...]:
    text = _ADDR_STOP_RE.sub("", text)
    out: list[Addressee] = []
    pending: list[str] = []
    last_roles: list[str] = []
    conn: str | None = None
    conn_text: str | None = None
    last_conn: str | None = None
    after_ministry = False
    for tok in _ADDR_TOKEN_RE.finditer(text):
        if tok.group("pres"):
            out.append(Addressee(tok.group(0), "minister-president", None, ("algemene_zaken",)))
            pending, last_roles, conn, after_ministry = [], [], None, True
        elif tok.group("role"):
            if after_ministry:
                pending, after_ministry = [], False
            pending.append(_singular(tok.group(0)))
            conn = None
        elif tok.group("conn"):
            conn = tok.group(0).lower()
            conn_text = tok.group(0)  # as written, for the addressee text
        else:
            roles = pending or last_roles
            if not roles:
                continue
            if not pending and conn is None:
                # "Staatssecretarissen van A en B": B shares the role and the "van".
                conn_text = last_conn
                conn = last_conn.lower() if last_conn else None
            ministry = _WS_RE.sub(" ", _NAME_GLUE_RE.sub(" ", tok.group(0))).strip()
            areas = portfolio_areas(ministry)
            for role in roles:
                kind = "staatssecretaris" if role.lower().startswith("staats") else "minister"
                if kind == "minister" and conn == "voor":
                    kind = "minister voor"
                written = f"{role} {conn_text} {ministry}" if conn else f"{role} {ministry}"
                out.append(Addressee(written, kind, ministry, areas))
            last_roles, last_conn = roles, conn_text
            pending, conn, after_ministry = [], None, True
    return tuple(out)


def _answer_addressees(text: str) -> tuple[Addressee, ...]:
    """Addressees from "Antwoord van minister X (Ministry), mede namens de …"."""
    text = re.sub(r"^Antwoord(?:en)?\s+van\s+", "", text, flags=re.IGNORECASE)
    text = re.split(r"\(\s*ontvangen|\bop\s+(?:de\s+)?(?:Kamer)?vragen\b", text, maxsplit=1)[0]
    out: list[Addressee] = []
    lead = _ANSWER_LEAD_RE.match(text)
    if lead:
        role = lead.group(1).lower()
        ministry = lead.group(3).strip()
        out.append(Addressee(lead.group(0).strip(), role, ministry, portfolio_areas(ministry)))
        text = text[lead.end():]
    return tuple(out) + _split_addressees(text)


def _fix_header_glue(text: str) -> str:
    text = _GLUED_CONNECTOR_RE.sub(r"\1 ", text)
    text = re.sub(r"((?:[Mm]inister|[Ss]taatssecretaris)(?:s|sen)?)(?=[A-Z])", r"\1 ", text)
    # "Sportover", "Groeien": a glued "over"/"en" after a ministry name.
    text = re.sub(rf"((?:{_PORTFOLIO_ANY}))(over|en)(?=\s)", r"\1 \2", text, flags=re.IGNORECASE)
    text = re.sub(r"\bover(?=(?:het|de|een)\b)", "over ", text)
    return re.sub(r"(?<=\w)\(ingezonden", " (ingezonden", text)


# --- the parser -------------------------------------------------------------------------


def _numbers(first: str, more: str) -> tuple[int, ...]:
    nums = [int(first)] + [int(n) for n in re.findall(r"\d{1,3}", more or "")]
    if re.search(r"t/m|-|–", more or "") and len(nums) == 2 and 0 < nums[1] - nums[0] < 20:
        nums = list(range(nums[0], nums[1] + 1))
    return tuple(nums)


def _number_style(match: re.Match[str]) -> str:
    """``"."`` or ``")"`` for "1." / "1)", ``" "`` for "1 Kent", ``""`` for a bare "1"."""
    if match.group("space") is not None:
        return " "
    return match.group("punct") or match.group("loose") or match.group("bare") or ""


def _paragraph_follows(stripped: list[str], keep: list[bool], line_no: int) -> bool:
    """Whether a blank line and more kept text follow the paragraph at ``line_no``."""
    blank = False
    for i in range(line_no + 1, len(stripped)):
        if not stripped[i]:
            blank = True
        elif keep[i] and blank:
            return True
    return False


def _numbered_markers(
    stripped: list[str], keep: list[bool], start: int
) -> list[tuple[int, str, tuple[int, ...], str]]:
    """Question markers "1." / "1)" / "1" / "1 Kent" in sequence from line ``start``.

    Numbers must run 1, 2, 3, …; a missing number ("2." then "4.") is accepted only
    for the explicit styles "N." and "N)", in the style the list started with, at
    the start of a paragraph and by at most two.  "1 Kent u" (no punctuation) is
    accepted only when the list started that way, so a wrapped line such as
    "3 Kamerleden …" cannot start a question in a "1." list.
    """
    markers: list[tuple[int, str, tuple[int, ...], str]] = []
    expected = 1
    first_style: str | None = None
    previous = ""  # the last kept non-empty line before this one
    for i in range(start, len(stripped)):
        if not keep[i]:
            continue
        line = stripped[i]
        m = _NUMBERED_RE.match(line)
        accepted = False
        if m:
            number, style = int(m.group("num")), _number_style(m)
            rest = m.group("text").strip()
            fits = number == expected or (
                expected < number <= expected + 2
                and style in (".", ")", ":")
                and style == first_style
                and rest[:1].isupper()
                and (not previous or previous.endswith(("?", ".", ":")))
            )
            if style == " " and first_style not in (None, " "):
                fits = False
            if fits and not rest:
                nxt = next((stripped[k] for k in range(i + 1, min(len(stripped), i + 50))
                            if keep[k] and stripped[k]), "")
                fits = nxt[:1].isupper() and not _ANTWOORD_RE.match(nxt)
            if fits:
                markers.append((i, "question", (number,), rest))
                expected = number + 1
                first_style = style if first_style is None else first_style
                accepted = True
        if line and not accepted:
            previous = _strip_trailing_markers(line).rstrip()
        elif accepted:
            previous = ""
    return markers


def _split_unmarked_answer(segment: list[str]) -> tuple[list[str], str | None]:
    """Split a question segment whose answer has no "Antwoord" line.

    The question is the leading paragraphs ending in a question mark; the
    paragraphs after them are the answer.
    """
    paragraphs: list[list[str]] = [[]]
    for line in segment:
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    paragraphs = [p for p in paragraphs if p]
    cut = 0
    while cut < len(paragraphs):
        tail = _strip_trailing_markers(_join_lines(paragraphs[cut])).rstrip(" ,")
        if not tail.endswith("?"):
            break
        cut += 1
    if cut == 0 or cut == len(paragraphs):
        return segment, None
    answer = _clean([line for p in paragraphs[cut:] for line in p])
    return [line for p in paragraphs[:cut] for line in p], answer or None


def _split_paragraph_questions(segment: list[str]) -> list[list[str]]:
    """Split a numbered question whose text holds further unnumbered questions.

    A blank line after a paragraph ending in "?" or ":" starts a new unit when
    the next paragraph starts with a capital (DOCX documents mixing "1." with
    plain paragraphs).
    """
    out: list[list[str]] = [[]]
    blank = False
    for line in segment:
        if not line.strip():
            blank = True
            continue
        if blank and out[-1]:
            # Only the paragraph's last lines decide how it ends: joining all of it at every
            # blank line would be quadratic in its length.
            tail = _strip_trailing_markers(out[-1][-1].strip()).rstrip()
            if not tail:  # a marker alone on the last line ("6")
                tail = _strip_trailing_markers(_join_lines(out[-1][-8:])).rstrip()
            if (tail.endswith(("?", ":")) and line.strip()[:1].isupper()
                    and not _CONTINUATION_RE.match(line.strip())):
                out.append([])
        out[-1].append(line)
        blank = False
    return [p for p in out if p]


def _split_group(lines: list[str], count: int) -> list[list[str]] | None:
    """Split the text of "Vraag 4 en 5" into its questions, at paragraph ends.

    PDF extraction glues paragraphs ("kwamen?Hoe"), so a question mark directly
    followed by a capital, or a line ending in one, marks a boundary.
    """
    pieces: list[list[str]] = [[]]
    for line in lines:
        parts = _GLUE_SENTENCE_RE.split(line)
        # re.split with one group yields [text, sep, text, sep, ...]
        buf = parts[0]
        for k in range(1, len(parts), 2):
            pieces[-1].append(buf + "?")
            pieces.append([])
            buf = parts[k + 1]
        pieces[-1].append(buf)
        if buf.rstrip().endswith("?"):
            pieces.append([])
    pieces = [p for p in pieces if any(s.strip() for s in p)]
    # Footnote markers on their own line ("6") belong to the preceding question.
    merged: list[list[str]] = []
    for piece in pieces:
        if merged and all(re.fullmatch(r"[\d\s]*", s) for s in piece):
            merged[-1].extend(piece)
        else:
            merged.append(piece)
    if len(merged) < count:
        return None
    # More boundaries than questions: keep the first ones, glue the rest to the last.
    return merged[:count - 1] + [[line for piece in merged[count - 1:] for line in piece]]


def _unnumbered_units(
    lines: list[str], keep: list[bool], start: int, markers: list[tuple[int, str, tuple[int, ...], str]]
) -> list[QuestionUnit]:
    """Units of a document without numbers: one per paragraph (blank-line separated).

    A text without blank lines is split after each line ending in a question mark.
    Paragraphs after an "Antwoord" line are the answer until the next paragraph
    ending in a question mark.
    """
    special = {m[0]: m for m in markers}
    paragraphs: list[tuple[str, list[str]]] = []  # (kind, lines)
    current: list[str] = []
    mode = "question"

    def flush() -> None:
        nonlocal current
        if any(s.strip() for s in current):
            paragraphs.append((mode, current))
        current = []

    for i in range(start, len(lines)):
        if i in special:
            flush()
            mode = special[i][1]
            if special[i][3]:
                current.append(special[i][3])
            continue
        if not keep[i]:
            continue
        if not lines[i]:
            flush()
            continue
        current.append(lines[i])
    flush()
    if len(paragraphs) == 1 and paragraphs[0][0] == "question" and len(paragraphs[0][1]) > 1:
        split: list[tuple[str, list[str]]] = [("question", [])]
        for line in paragraphs[0][1]:
            split[-1][1].append(line)
            if line.rstrip().endswith("?"):
                split.append(("question", []))
        paragraphs = [p for p in split if p[1]]

    units: list[QuestionUnit] = []
    in_answer = False
    for kind, para in paragraphs:
        text = _LEADING_NUMBER_RE.sub("", _clean(para)) if not units else _clean(para)
        if kind == "drop" or (not text) or _INGEZONDEN_RE.fullmatch(text.strip(" .")):
            in_answer = in_answer and kind != "drop"
            continue
        if kind == "answer" or (in_answer and not text.endswith("?")):
            in_answer = True
            if units:
                u = units[-1]
                units[-1] = QuestionUnit(u.number, u.numbers, u.text, f"{u.answer} {text}" if u.answer else text)
            continue
        in_answer = False
        if units and units[-1].answer is None and _CONTINUATION_RE.match(text):
            u = units[-1]
            units[-1] = QuestionUnit(u.number, u.numbers, f"{u.text} {text}", None)
            continue
        units.append(QuestionUnit(None, (), text, None))
    return units


def parse_document(text: str) -> Document:
    """Parse the text of a Kamervragen document.

    Parameters
    ----------
    text
        The document as extracted from PDF or DOCX (or any plain text).

    Returns
    -------
    Document
        Header fields, footnotes and question units.  Text without a
        recognisable header gives ``kind='unknown'``; empty text gives a
        document without questions.

    Raises
    ------
    InputError
        If ``text`` is not a ``str``.

    Examples
    --------
    >>> doc = parse_document("Vragen van het lid Jansen (SP) aan de minister van Defensie "
    ...                      "over munitie (ingezonden 3 maart 2025).\\n\\n"
    ...                      "1. Kent u het bericht?\\n2. Wat gaat u doen?")
    >>> doc.members[0].name, doc.addressed_areas, len(doc.questions)
    ('Jansen', ('defensie',), 2)
    """
    if not isinstance(text, str):
        hint = "; decode it first" if isinstance(text, (bytes, bytearray)) else ""
        raise InputError(f"parse_document expects str, got {type(text).__name__}{hint}")

    text = _normalise(text)
    lines = [line.rstrip() for line in text.split("\n")]

    # DOCX exports append footnotes after a separator line as "[^1]: text".
    md_notes: list[Footnote] = []
    for idx, line in enumerate(lines):
        if _FOOTNOTE_SEP_RE.match(line.strip()):
            for tail in lines[idx + 1:]:
                m = _FOOTNOTE_MD_RE.match(tail.strip())
                if m:
                    md_notes.append(Footnote(int(m.group(1)), _join_lines([m.group(2)])))
                elif md_notes and tail.strip():
                    md_notes[-1] = Footnote(md_notes[-1].number, _join_lines([md_notes[-1].text, tail]))
            lines = lines[:idx]
            break

    stripped = [line.strip() for line in lines]
    furniture = [bool(s) and bool(_FURNITURE_RE.match(s)) for s in stripped]
    keep = [not f for f in furniture]
    page_ends = [i for i in range(len(lines)) if furniture[i] and (i == 0 or not furniture[i - 1])]
    page_ends.append(len(lines))

    # Header block: the first line starting "Vragen van …" before the first question marker.
    first_vraag = next((i for i, s in enumerate(stripped) if _VRAAG_RE.match(s)), len(lines))
    head_start: int | None = None
    head_end = question_head_end = 0
    for i in range(first_vraag):
        if keep[i] and _HEADER_START_RE.match(stripped[i]):
            head_start = i
            break
    if head_start is not None:
        j = head_start
        # A header is a few lines long; the cap keeps this loop linear.
        while j < min(first_vraag, head_start + 15):
            joined = " ".join(s for s in stripped[head_start:j + 1])
            if _INGEZONDEN_RE.search(joined) or (j > head_start and not stripped[j] and keep[j]):
                break
            if j > head_start and (_ANSWER_HEAD_RE.match(stripped[j]) or _NUMBERED_RE.match(stripped[j])):
                j -= 1
                break
            j += 1
        head_end = min(j, len(lines) - 1) + 1
    question_head_end = head_end
    # An answer header ("Antwoord van minister … (ontvangen …)") also precedes the body.
    answer_head: str | None = None
    for i in range(first_vraag):
        if keep[i] and _ANSWER_HEAD_RE.match(stripped[i]):
            j = i
            while j + 1 < first_vraag and stripped[j + 1] and not re.search(r"\)\.?$", stripped[j]):
                j += 1
            answer_head = _join_lines(stripped[i:j + 1])
            head_end = max(head_end, j + 1)
            break

    notes = md_notes + _extract_footnotes(stripped, page_ends, keep, head_end)

    # Question markers: "Vraag N" when present, else "N." / "N)" / "N" in sequence.
    markers: list[tuple[int, str, tuple[int, ...], str]] = []  # (line, kind, numbers, rest)
    vraag_lines = [i for i in range(head_end, len(lines)) if keep[i] and _VRAAG_RE.match(stripped[i])]
    for i in range(head_end, len(lines)):
        if not keep[i]:
            continue
        s = stripped[i]
        if _ANTWOORD_RE.match(s):
            markers.append((i, "answer", (), _ANTWOORD_RE.match(s).group(1) or ""))
        elif _DROP_PARA_RE.match(s):
            markers.append((i, "drop", (), ""))
    if vraag_lines:
        for i in vraag_lines:
            m = _VRAAG_RE.match(stripped[i])
            markers.append((i, "question", _numbers(m.group(1), m.group(2)), m.group(3) or ""))
    else:
        markers.extend(_numbered_markers(stripped, keep, head_end))
    lone_number = not vraag_lines and sum(m[1] == "question" for m in markers) == 1
    if lone_number and _paragraph_follows(
            stripped, keep, next(m[0] for m in markers if m[1] == "question")):
        # A lone "1." before unnumbered paragraphs is not a numbering scheme.
        markers = [m for m in markers if m[1] != "question"]
    markers.sort()

    units: list[QuestionUnit] = []
    if any(kind == "question" for _, kind, _, _ in markers):
        bounds = [m[0] for m in markers] + [len(lines)]
        last_group: list[int] = []
        has_answers = any(m[1] == "answer" for m in markers)
        for idx, (line_no, kind, nums, rest) in enumerate(markers):
            segment = [rest] + [stripped[k] for k in range(line_no + 1, bounds[idx + 1]) if keep[k]]
            if kind == "question" and has_answers and (idx + 1 == len(markers) or markers[idx + 1][1] != "answer"):
                segment, unmarked = _split_unmarked_answer(segment)
                if unmarked:
                    units.append(QuestionUnit(nums[0], nums, _clean(segment), unmarked))
                    last_group = [len(units) - 1]
                    continue
            if kind == "question" and not has_answers and len(nums) == 1:
                paragraphs = _split_paragraph_questions(segment)
                if len(paragraphs) > 1:
                    first = len(units)
                    units.append(QuestionUnit(nums[0], nums, _clean(paragraphs[0]), None))
                    units.extend(QuestionUnit(None, (), _clean(p), None) for p in paragraphs[1:])
                    last_group = list(range(first, len(units)))
                    continue
            if kind == "question":
                groups = _split_group(segment, len(nums)) if len(nums) > 1 else None
                first = len(units)
                if groups:
                    units.extend(QuestionUnit(n, (n,), _clean(g), None) for n, g in zip(nums, groups))
                else:
                    units.append(QuestionUnit(nums[0], nums, _clean(segment), None))
                last_group = list(range(first, len(units)))
            elif kind == "answer":
                answer = _clean(segment) or None
                # "Antwoord 4 en 5" answers every unit split from "Vraag 4 en 5".
                for k in last_group:
                    u = units[k]
                    joined = f"{u.answer} {answer}" if u.answer and answer else (answer or u.answer)
                    units[k] = QuestionUnit(u.number, u.numbers, u.text, joined)
        units = [u for u in units if u.text or u.answer]
    else:
        units = _unnumbered_units(stripped, keep, head_end, markers)
        if lone_number and len(units) == 1:  # "1. Kent u …?" is simply question 1
            units = [QuestionUnit(1, (1,), units[0].text, units[0].answer)]

    flat_head = (
        _fix_header_glue(_join_lines(stripped[head_start:question_head_end])) if head_start is not None else None
    )
    header_text = flat_head
    if header_text is None:
        # Letters ("Beantwoording Kamervragen van de leden …") name members elsewhere.
        candidates = [
            s[m.start():] for s in stripped[:first_vraag] if (m := _HEADER_ANY_RE.search(s))
        ]
        with_aan = [c for c in candidates if re.search(r"\saan\s", c)]
        pick = (with_aan or candidates or [None])[0]
        header_text = _fix_header_glue(pick) if pick else None

    members: tuple[Member, ...] = ()
    addressees: tuple[Addressee, ...] = ()
    subject: str | None = None
    oral = False
    if header_text:
        parts = _HEADER_PARTS_RE.search(header_text[:_MAX_HEADER])
        if parts:
            oral = bool(parts.group("oral"))
            members = _split_members(parts.group("members"))
            if parts.group("addr"):
                addressees = _split_addressees(parts.group("addr"))
            subject = _INGEZONDEN_RE.split(parts.group("subject") or "")[0]
            subject = re.split(r"\(\s*ingezonden", subject, maxsplit=1)[0].strip(" .") or None
    if not addressees and answer_head:
        addressees = _answer_addressees(answer_head)

    preamble = " ".join(stripped[:max(head_end, 1)])
    submitted = _parse_date(_INGEZONDEN_RE.search(preamble))
    zaak_match = _ZAAK_RE.search("\n".join(stripped[:max(first_vraag, head_end) + 1])) or _ZAAK_RE.search(text)
    zaak = f"{zaak_match.group(1)}Z{zaak_match.group(2)}" if zaak_match else None

    if oral:
        kind = "oral_questions"
    elif answer_head or any(kind == "answer" for _, kind, _, _ in markers):
        kind = "answers"
    elif header_text and members:
        kind = "questions"
    else:
        kind = "unknown"

    return Document(
        kind=kind,
        zaak=zaak,
        submitted=submitted,
        members=members,
        addressees=addressees,
        subject=subject,
        header=flat_head if flat_head else None,
        footnotes=tuple(sorted(notes, key=lambda f: f.number)),
        questions=tuple(units),
    )
