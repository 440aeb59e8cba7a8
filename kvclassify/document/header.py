"""The header: where it is, and what it says (members, addressees, subject, dates, zaak, kind).

A questions header reads "Vragen van het lid X (Party) aan de minister van Y
over Z (ingezonden 3 maart 2025)."; an answers document adds "Antwoord van
minister A (Ministry), mede namens … (ontvangen …)". Everything handed to a
header pattern is capped at :data:`MAX_HEADER` characters, and the patterns
use possessive quantifiers, so a hostile header costs linear time.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from kvclassify.areas import areas_of_post

from .markers import NUMBERED_RE
from .text import PageLines, join_lines, split_glued
from .types import Addressee, Member

__all__ = ["HeaderBlock", "Header", "MAX_HEADER", "locate_header", "read_header", "document_kind"]

#: Longest header text handed to the header patterns (real headers are < 1000 characters).
MAX_HEADER = 2000

#: Month names and their abbreviations ("mrt", "sept"), lower case, to month numbers.
_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate((
        ("januari", "jan"), ("februari", "feb"), ("maart", "mrt"), ("april", "apr"), ("mei",), ("juni", "jun"),
        ("juli", "jul"), ("augustus", "aug"), ("september", "sep", "sept"), ("oktober", "okt"),
        ("november", "nov"), ("december", "dec"),
    ), start=1)
    for name in names
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

#: How ministry and portfolio names are written in headers (regex, case-insensitive; a
#: space may be lost in PDF extraction). Their areas come from :mod:`kvclassify.areas`;
#: this list only finds where a name starts and ends. Longer names come first.
_MINISTRY_NAMES: tuple[str, ...] = (
    r"algemene zaken",
    r"buitenlandse handel en ontwikkelings(?:samenwerking|hulp)",
    r"ontwikkelings(?:samenwerking|hulp)",
    r"buitenlandse handel",
    r"buitenlandse zaken",
    r"europese zaken",
    r"immigratie,? integratie en asiel",
    r"asiel en migratie|migratie en asiel|vreemdelingenzaken(?: en asiel)?",
    r"justitie en veiligheid|veiligheid en justitie|justitie",
    r"rechtsbescherming",
    r"herstel groningen",
    r"binnenlandse zaken(?: en koninkrijks?relaties)?",
    r"koninkrijks?relaties(?: en digitalisering)?|digitalisering(?: en koninkrijks?relaties)?",
    r"onderwijs,? cultuur en wetenschap(?:pen)?",
    r"primair en voortgezet onderwijs|funderend onderwijs(?: en emancipatie)?"
    r"|basis- en voortgezet onderwijs|hoger onderwijs(?: en wetenschap)?|cultuur en media",
    r"financi[eë]n",
    r"defensie",
    r"volkshuisvesting,? ruimtelijke ordening en milieu(?:beheer)?",
    r"volkshuisvesting(?: en ruimtelijke ordening)?",
    r"wonen,? wijken en integratie|wonen en rijksdienst",
    r"verkeer en waterstaat|infrastructuur en (?:milieu|waterstaat)|infrastructuur",
    r"klimaat en groene groei|klimaat en energie|mijnbouw",
    r"economische zaken(?:,? landbouw en innovatie| en klimaat)?",
    r"landbouw,? (?:natuur en voedselkwaliteit|visserij,? (?:en )?voedselzekerheid en natuur)"
    r"|landbouw(?:,? natuur)?",
    r"natuur en stikstof",
    r"sociale zaken en werkgelegenheid",
    r"armoedebeleid,? participatie en pensioenen|participatie en integratie",
    r"volksgezondheid,? welzijn en sport",
    r"medische zorg(?: en sport)?|langdurige (?:en maatschappelijke )?zorg(?: en sport)?"
    r"|jeugd en gezin|jeugd,? preventie en sport",
)
_MINISTRY_ANY = "|".join("(?:" + p.replace(" ", r"\s*+") + ")" for p in _MINISTRY_NAMES)

_HEADER_START_RE = re.compile(
    r"^(?:Mondelinge\s++vragen|Schriftelijke\s++vragen|Kamervragen|Vragen|Vraag)\s++van\b", re.IGNORECASE
)
# How a question opens, for a header with no "(ingezonden …)" after it and no blank line before the
# questions (the date stood above it): the header ends before the first such line.
_QUESTION_OPENING_RE = re.compile(
    r"^(?:Kent|Bent|Deelt|Klopt|Is|Zijn|Kunt|Kan|Wilt|Wil|Heeft|Hebt|Hebben|Acht|Erkent|Vindt|Gaat|Zou|Zult|"
    r"Wat|Hoe|Hoeveel|Waarom|Wanneer|Welke|Waar|Wie|Op\s++welke|In\s++hoeverre)\s"
)
_HEADER_ANY_RE = re.compile(
    r"(?:Kamer)?[Vv]ra(?:gen|ag)\s++(?:van\s++het\s++)?van\s++(?:het\s++|de\s++)?(?:lid|leden)\s", re.IGNORECASE
)
_ANSWER_HEAD_RE = re.compile(r"^Antwoord(?:en)? van\b", re.IGNORECASE)
# "20 november 2024", "20 nov. 2024", "20-11-2024", "20/11/2024"; "november2024": PDF extraction loses the space.
_DATE = (r"(?P<day>\d{1,2})(?:\s*+[-/.]\s*+(?P<number>\d{1,2})\s*+[-/.]\s*+|\s++(?P<name>[a-z]++)\.?+\s*+)"
         r"(?P<year>\d{4})")
# The date of a "(ingezonden …)" or "(ontvangen …)", which may read "op 20 november 2024".
_ON_DATE = rf"\s++(?:op\s++)?{_DATE}\s*+\)"
# A line may break "(ingezonden" and "(ontvangen" anywhere, and the hyphen stays before a capital
# ("(INGEZON-" / "DEN …": :func:`.text.join_lines` drops it before lower case only).
_INGEZONDEN_OPEN = r"\(\s*+" + "-?+".join("ingezonden")
_ONTVANGEN_OPEN = r"\(\s*+" + "-?+".join("ontvangen")
_INGEZONDEN_OPEN_RE = re.compile(_INGEZONDEN_OPEN, re.IGNORECASE)
_INGEZONDEN_RE = re.compile(_INGEZONDEN_OPEN + _ON_DATE, re.IGNORECASE)
#: The date the questions were sent to the minister, in a cover letter: "uw brief van …". Like the
#: dates below it only dates the posts of the addressees: ``submitted`` is the "(ingezonden …)" date alone.
_SENT_RE = re.compile(rf"\buw\s++brief\s++van\s++{_DATE}", re.IGNORECASE)
#: The date the Kamer received the answer: "(ontvangen …)". Not the date the questions were submitted.
_RECEIVED_RE = re.compile(_ONTVANGEN_OPEN + _ON_DATE, re.IGNORECASE)
#: A letter's own "Datum …": only for dating the posts of the addressees.
_LETTER_DATE_RE = re.compile(rf"^Datum\s++{_DATE}\b", re.IGNORECASE)
# A cover letter: "… over <subject> worden beantwoord zoals aangegeven in de bijlage …".
_COVER_TAIL_RE = re.compile(r"\s++worden\s++beantwoord\b.*", re.IGNORECASE)
_ZAAK_RE = re.compile(r"\b(20\d{2})Z\s?(\d{5})\b")
_HEADER_PARTS_RE = re.compile(
    r"(?P<oral>Mondelinge\s++)?(?:Kamer)?vra(?:gen|ag)\s++(?:van\s++het\s++)?van\s++(?:het\s++|de\s++)?"
    r"(?:lid|leden)\s++(?:lid\s++)?(?P<members>.+?)"
    r"(?: aan (?:de |het )?(?P<addr>.+?))?"
    rf"(?:,? (?:over|inzake|betreffende|omtrent) (?P<subject>.*)| ?{_INGEZONDEN_OPEN}\b.*|\.?)$",
    re.IGNORECASE,
)
_PARTY_HYPHEN_RE = re.compile(r"\s*+-\s*+")
# Names are listed "A, B en C"; a header in capitals writes "A EN B".
_NAME_SPLIT_RE = re.compile(r"\s*+,\s*+|\s++en\s++", re.IGNORECASE)
_GLUED_CONNECTOR_RE = re.compile(r"\b(en|van|voor|aan|de)(?=[A-Z])")
_NAME_GLUE_RE = re.compile(r"(?<=[a-zà-öø-ÿ]{2})(?=[A-Z][a-zà-öø-ÿ])")
_ADDR_TOKEN_RE = re.compile(
    rf"(?P<pres>minister-president)"
    rf"|(?P<role>\b(?:ministers?|staatss?ecretariss?(?:en)?)\b)"
    rf"|(?P<conn>\b(?:van|voor)(?=\s|(?-i:[A-Z])))"
    rf"|(?P<min>(?:{_MINISTRY_ANY}))",
    re.IGNORECASE,
)
_ADDR_STOP_RE = re.compile(r"\bbij afwezigheid\b", re.IGNORECASE)
# "minister Struycken (Justitie en Veiligheid)": the name runs to the parenthesis.
_ANSWER_LEAD_RE = re.compile(r"^(?:de\s++)?(minister|staatssecretaris)\s++([^()]++)\(([^()]++)\)", re.IGNORECASE)
_ANSWER_END_RE = re.compile(rf"{_ONTVANGEN_OPEN}|\bop\s++(?:de\s++)?(?:Kamer)?vragen\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class HeaderBlock:
    """Where the header lies: lines ``[start, question_end)`` are the question header
    (``start`` None when there is none), ``body_from`` is the first body line (after an
    answer header too), ``answer_head`` the answer header's text, ``first_vraag`` the
    first "Vraag N" line (or the line count)."""

    start: int | None
    question_end: int
    body_from: int
    answer_head: str | None
    first_vraag: int


@dataclass(frozen=True, slots=True)
class Header:
    """What the header says."""

    text: str | None
    members: tuple[Member, ...]
    addressees: tuple[Addressee, ...]
    subject: str | None
    submitted: datetime.date | None
    received: datetime.date | None
    zaak: str | None
    oral: bool


def locate_header(page: PageLines, keep: list[bool], first_vraag: int) -> HeaderBlock:
    """Find the question header (a line "Vragen van …" before the first question) and the answer header."""
    lines = page.lines
    head_start = next((i for i in range(first_vraag) if keep[i] and _HEADER_START_RE.match(lines[i])), None)
    head_end = 0
    if head_start is not None:
        j = head_start
        end = min(first_vraag, head_start + 15)  # a header is a few lines long; the cap keeps this loop linear
        undated = not _INGEZONDEN_RE.search(" ".join(lines[head_start:end])[:MAX_HEADER])
        while j < end:
            joined = " ".join(lines[head_start:j + 1])[:MAX_HEADER]
            if _INGEZONDEN_RE.search(joined) or (j > head_start and not lines[j] and keep[j]):
                break
            if j > head_start and (_ANSWER_HEAD_RE.match(lines[j]) or NUMBERED_RE.match(lines[j])
                                   or (undated and _QUESTION_OPENING_RE.match(lines[j]))):
                j -= 1
                break
            j += 1
        # A loop run to ``end`` stops on a line the header must not take: the first "Vraag 1", or the cap.
        head_end = min(j, end - 1) + 1
    question_end = head_end
    answer_head: str | None = None
    for i in range(first_vraag):
        if keep[i] and _ANSWER_HEAD_RE.match(lines[i]):
            j = i
            # The answer header runs to a line ending in ")" — at most a few lines, never into the first
            # numbered question ("… (ontvangen 18 november 2024). Zie ook nr. 393." then "1. Bent u …").
            while (j + 1 < min(first_vraag, i + 15) and lines[j + 1] and not lines[j].rstrip(".").endswith(")")
                   and not NUMBERED_RE.match(lines[j + 1])):
                j += 1
            answer_head = join_lines(list(lines[i:j + 1]), keep_hyphens=False)[:MAX_HEADER]
            head_end = max(head_end, j + 1)
            break
    return HeaderBlock(head_start, question_end, head_end, answer_head, first_vraag)


def read_header(page: PageLines, block: HeaderBlock, full_text: str, lexicon: Collection[str] = ()) -> Header:
    """Members, addressees (with their areas on the document's date), subject, dates and zaak.

    ``lexicon`` repairs glued words in the subject (see :func:`.text.split_glued`).
    """
    lines = page.lines
    flat = (_fix_header_glue(join_lines(list(lines[block.start:block.question_end]))[:MAX_HEADER])
            if block.start is not None else None)
    header_text = flat
    if header_text is None:
        # Letters ("Beantwoording Kamervragen van de leden …") name members elsewhere.
        candidates = [s[m.start():][:MAX_HEADER] for s in lines[:block.first_vraag]
                      if (m := _HEADER_ANY_RE.search(s))]
        with_aan = [c for c in candidates if re.search(r"\saan\s", c, re.IGNORECASE)]
        pick = (with_aan or candidates or [None])[0]
        header_text = _fix_header_glue(pick) if pick else None

    # Dates are read from the lines joined as text, hyphens at line ends dropped: PDF lines break
    # "(ontvangen" / "14 november 2024)" and "(ingezon-" / "den …" as often as not.
    preamble = join_lines(list(lines[:max(block.body_from, 1)]), keep_hyphens=False)
    head = lines[:block.first_vraag]
    head_text = join_lines(list(head), keep_hyphens=False)
    submitted = _parse_date(_INGEZONDEN_RE.search(preamble))
    received = _parse_date(_RECEIVED_RE.search(head_text))
    # A post is read at the best date there is (the cabinet of the day), the nearest to the questions first.
    dated = (submitted or _parse_date(_SENT_RE.search(head_text)) or received
             or _first_date(_LETTER_DATE_RE, head))
    members: tuple[Member, ...] = ()
    addr_text: str | None = None
    subject: str | None = None
    oral = False
    if header_text:
        # One space between words: the lazy groups of the pattern then try each word once.
        parts = _HEADER_PARTS_RE.search(" ".join(header_text.split()))
        if parts:
            oral = bool(parts.group("oral"))
            members = _split_members(parts.group("members"))
            addr_text = parts.group("addr")
            if flat and "-" in flat:
                # Ministry names are matched whole: read them from the header with its
                # line-break hyphens dropped ("Justi-" / "tie en Veiligheid").
                names = join_lines(list(lines[block.start:block.question_end]), keep_hyphens=False)
                if named := _HEADER_PARTS_RE.search(" ".join(_fix_header_glue(names[:MAX_HEADER]).split())):
                    addr_text = named.group("addr")
            subject = _INGEZONDEN_OPEN_RE.split(parts.group("subject") or "", maxsplit=1)[0]
            subject = split_glued(_COVER_TAIL_RE.sub("", subject).strip(" ."), lexicon) or None
    addressees = _split_addressees(addr_text, dated) if addr_text else ()
    if not addressees and block.answer_head:
        addressees = _answer_addressees(block.answer_head, dated)
    zaak_match = (_ZAAK_RE.search("\n".join(lines[:max(block.first_vraag, block.body_from) + 1]))
                  or _ZAAK_RE.search(full_text))
    zaak = f"{zaak_match.group(1)}Z{zaak_match.group(2)}" if zaak_match else None
    return Header(flat or None, members, addressees, subject, submitted, received, zaak, oral)


def document_kind(header: Header, block: HeaderBlock, has_answers: bool) -> str:
    """``oral_questions``, ``answers``, ``questions`` or ``unknown``."""
    if header.oral:
        return "oral_questions"
    if block.answer_head or has_answers:
        return "answers"
    if header.text and header.members:
        return "questions"
    return "unknown"


def _parse_date(match: re.Match[str] | None) -> datetime.date | None:
    if match is None:
        return None
    month = int(match["number"]) if match["number"] else _MONTHS.get(match["name"].lower())
    if month is None:
        return None
    try:
        return datetime.date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return None


def _first_date(pattern: re.Pattern[str], lines: Sequence[str]) -> datetime.date | None:
    """The date of the first line that ``pattern`` finds one in."""
    for line in lines:
        if date := _parse_date(pattern.search(line[:MAX_HEADER])):
            return date
    return None


def _split_members(text: str) -> tuple[Member, ...]:
    chunks = re.split(r"\(([^()]*+)\)", text)
    members: list[Member] = []
    pending: list[str] = []
    for idx, chunk in enumerate(chunks):
        if idx % 2 == 1:
            party = re.sub(r"^(?:beiden|allen|beide)\s++", "", chunk.strip(), flags=re.IGNORECASE)
            party = _PARTY_HYPHEN_RE.sub("-", " ".join(party.split()))
            party = _PARTIES.get(party.lower(), party) or None
            members.extend(Member(name, party) for name in pending)
            pending = []
            continue
        for name in _NAME_SPLIT_RE.split(chunk):
            name = re.sub(r"^(?:het\s++)?(?:lid|leden)\s++", "", name.strip(), flags=re.IGNORECASE)
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


def _split_addressees(text: str, on: datetime.date | None) -> tuple[Addressee, ...]:
    stop = _ADDR_STOP_RE.search(text)
    if stop:
        text = text[:stop.start()].rstrip(" ,")
    out: list[Addressee] = []
    pending: list[str] = []
    last_roles: list[str] = []
    conn: str | None = None
    conn_text: str | None = None
    last_conn: str | None = None
    after_ministry = False
    for tok in _ADDR_TOKEN_RE.finditer(text):
        if tok.group("pres"):
            out.append(Addressee(tok.group(0), "minister-president", None, areas_of_post("minister-president", on)))
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
            ministry = " ".join(_NAME_GLUE_RE.sub(" ", tok.group(0)).split())
            for role in roles:
                kind = "staatssecretaris" if role.lower().startswith("staats") else "minister"
                if kind == "minister" and conn == "voor":
                    kind = "minister voor"
                written = f"{role} {conn_text} {ministry}" if conn else f"{role} {ministry}"
                out.append(Addressee(written, kind, ministry, _post_areas(kind, ministry, on)))
            last_roles, last_conn = roles, conn_text
            pending, conn, after_ministry = [], None, True
    return tuple(out)


def _post_areas(kind: str, ministry: str, on: datetime.date | None, person: str | None = None) -> tuple[str, ...]:
    """The areas of the post, spelled as the post table spells it ("staatsecretaris" is a typo)."""
    title = {"minister voor": "minister voor", "staatssecretaris": "staatssecretaris van"}.get(kind, "minister van")
    return areas_of_post(f"{title} {ministry}", on, person=person)


def _answer_addressees(text: str, on: datetime.date | None) -> tuple[Addressee, ...]:
    """Addressees from "Antwoord van minister X (Ministry), mede namens de …"."""
    text = re.sub(r"^Antwoord(?:en)?\s++van\s++", "", text, flags=re.IGNORECASE)
    end = _ANSWER_END_RE.search(text)
    text = text[:end.start()] if end else text
    out: list[Addressee] = []
    lead = _ANSWER_LEAD_RE.match(text)
    if lead:
        role = lead.group(1).lower()
        ministry = lead.group(3).strip()
        written = lead.group(0).strip()
        areas = _post_areas(role, ministry, on, person=lead.group(2).strip())
        out.append(Addressee(written, role, ministry, areas))
        text = text[lead.end():]
    return tuple(out) + _split_addressees(text, on)


def _fix_header_glue(text: str) -> str:
    text = _GLUED_CONNECTOR_RE.sub(r"\1 ", text)
    text = re.sub(r"((?:[Mm]inister|[Ss]taatssecretaris)(?:s|sen)?)(?=[A-Z])", r"\1 ", text)
    # "Sportover", "Groeien": a glued "over"/"en" after a ministry name.
    text = re.sub(rf"((?:{_MINISTRY_ANY}))(over|en)(?=\s)", r"\1 \2", text, flags=re.IGNORECASE)
    text = re.sub(r"\bover(?=(?:het|de|een)\b)", "over ", text)
    return re.sub(rf"(?<=\w)(?={_INGEZONDEN_OPEN})", " ", text, flags=re.IGNORECASE)
