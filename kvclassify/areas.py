"""Cabinet post → policy area: the one home of this knowledge, for the parser and the importer alike.

A post is mapped to areas in two steps (rules: ``ministers/MAPPING.md`` of the
shared data):

1. the dated table shipped as ``kvclassify/data/posts.csv`` (who held which
   post when, and that post's area, 2007 onwards) — by title and date, and by
   person where one title covered different areas (a state secretary of
   Justitie en Veiligheid for asylum or for prisons);
2. for posts or dates the table does not cover, the title itself: the
   portfolio named in it (``minister voor Medische Zorg``,
   ``staatssecretaris van Financiën``) or else the ministry's default area.

Both :func:`kvclassify.parse_document` (addressees of a header, on the
document's date) and :func:`kvclassify.opendata.records_from_opendata`
(``Gericht aan`` actors, on the question's date) call :func:`areas_of_post`,
so a post gets the same area wherever it is read.
"""

from __future__ import annotations

import csv
import datetime
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from .errors import InputError

__all__ = ["areas_of_post", "combine_areas"]

#: A tenure that ended (or starts) at most this many days from the question date
#: still counts for a named person: questions are dated when registered, which can
#: lag or lead a change of office by weeks (MAPPING.md, rule 5).
_GRACE = datetime.timedelta(days=45)

#: The prime minister's post is written either way.
_PRIME_MINISTER = "minister-president, minister van Algemene Zaken"


def areas_of_post(title: str, on: datetime.date | None = None, *, person: str | None = None) -> tuple[str, ...]:
    """Return the policy area(s) of a cabinet post, on a date when given.

    Parameters
    ----------
    title
        The post as written (``"staatssecretaris van Financiën"``,
        ``"Minister voor Medische Zorg"``); spaces lost in PDF extraction are
        tolerated. A portfolio in parentheses and a cabinet in brackets, as in
        the open data's positions, are used when present.
    on
        The date of the question (a ``datetime.date`` or an ISO string). Without one the title alone decides, and a
        title that does not tell (a state secretary of a ministry whose state
        secretaries held portfolios of different areas) gives every area the
        post has had.
    person
        The holder's name in any form (``"T. van Ark"``, ``"Tamara van Ark
        (T.)"``); needed only when one title covered several areas at that date.

    Returns
    -------
    tuple of str
        One area when the post resolves; several (sorted) when the title covered
        several areas and neither a person nor the ministry's default area
        decides; ``()`` when the title names no known post.

    Examples
    --------
    >>> import datetime
    >>> areas_of_post("minister van Economische Zaken en Klimaat", datetime.date(2019, 5, 1))
    ('klimaat_energie',)
    >>> areas_of_post("minister van Economische Zaken en Klimaat", datetime.date(2023, 5, 1))
    ('economie',)
    >>> areas_of_post("Minister voor Medische Zorg")
    ('zorg_welzijn',)
    >>> areas_of_post("staatssecretaris van Justitie en Veiligheid")
    ('asiel_migratie', 'justitie_veiligheid')
    """
    if not isinstance(title, str):
        raise InputError(f"title must be a str (a post as written), got {type(title).__name__}")
    if person is not None and not isinstance(person, str):
        raise InputError(f"person must be a str or None, got {type(person).__name__}")
    if isinstance(on, str):  # an ISO date, as tables and JSON write one
        try:
            on = datetime.date.fromisoformat(on)
        except ValueError:
            raise InputError(f"on must be a date or an ISO date string (2024-11-19), got {on!r}") from None
    elif isinstance(on, datetime.datetime):
        on = on.date()
    elif on is not None and not isinstance(on, datetime.date):
        raise InputError(f"on must be a date or an ISO date string, got {type(on).__name__}")
    post, portfolio, cabinet = _split_position(title)
    rows = _rows(post)
    if on is None:
        own = [row for row in rows if person and row.person & _person_key(person)]
        area = _area_by_title(post, portfolio)
        if len({row.area for row in own}) == 1:
            return (own[0].area,)
        return (area,) if area else tuple(sorted({row.area for row in rows}))
    candidates = [row for row in rows if row.active(on)]
    if cabinet:
        candidates = [row for row in candidates if row.cabinet == cabinet] or candidates
    if portfolio:
        same = [row for row in candidates if row.portfolio == _norm(portfolio)]
        # An unknown portfolio that names an area is another post than the table's.
        candidates = same or ([] if _first_match(_norm(portfolio), _PORTFOLIO_RULES) else candidates)
    if person:
        key = _person_key(person)
        # The person's own tenure decides; near a change of office allow the grace period.
        own = [row for row in candidates if row.person & key] or [
            row for row in rows if row.person & key and row.active(on, _GRACE)
        ]
        if own:
            candidates = own
        elif candidates and len({row.area for row in rows}) > 1:
            # Someone the table does not know holds a post whose area varies by holder:
            # the other holders' areas say nothing about theirs.
            candidates = []
    areas = sorted({row.area for row in candidates})
    if len(areas) > 1 and not person:
        # One title, several areas, no holder named: the ministry's default area (MAPPING.md
        # 2a) decides when it is one of them ("staatssecretaris van BZK" in 2025).
        default = _first_match(_norm(post), _MINISTRY_RULES)
        return (default,) if default in areas else tuple(areas)
    if areas:
        return tuple(areas)
    area = _area_by_title(post, portfolio)
    return (area,) if area else ()


def combine_areas(areas: Iterable[str]) -> tuple[str, ...]:
    """The areas of several addressees: first-seen order, ``algemene_zaken`` only alone.

    The prime minister co-addressed with a minister: the minister's area is the
    topic (MAPPING.md 2e).

    Examples
    --------
    >>> combine_areas(["algemene_zaken", "defensie", "defensie"])
    ('defensie',)
    >>> combine_areas(["algemene_zaken"])
    ('algemene_zaken',)
    """
    out = list(dict.fromkeys(areas))
    if len(out) > 1 and "algemene_zaken" in out:
        out.remove("algemene_zaken")
    return tuple(out)


# -- the post table -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Post:
    portfolio: str
    cabinet: str
    person: frozenset[str]
    area: str
    start: datetime.date
    end: datetime.date | None

    def active(self, on: datetime.date, grace: datetime.timedelta = datetime.timedelta(0)) -> bool:
        return self.start - grace <= on and (self.end is None or on < self.end + grace)


@functools.cache
def _posts() -> dict[str, list[_Post]]:
    """Load ``data/posts.csv`` once, keyed by :func:`_key` of the post title."""
    table: dict[str, list[_Post]] = {}
    text = resources.files("kvclassify").joinpath("data/posts.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(text.splitlines()):
        post = _Post(
            portfolio=_norm(row["portfolio"]),
            cabinet=row["cabinet"],
            person=_person_key(row["person"]),
            area=row["area"],
            start=datetime.date.fromisoformat(row["start"]),
            end=datetime.date.fromisoformat(row["end"]) if row["end"] else None,
        )
        titles = [row["post"]] + (["minister-president", "minister van Algemene Zaken"]
                                  if row["post"] == _PRIME_MINISTER else [])
        for title in titles:
            table.setdefault(_key(title), []).append(post)
    return table


def _rows(post: str) -> list[_Post]:
    """The table rows of a title; "minister van X" and "minister voor X" are confused in headers."""
    table = _posts()
    key = _key(post)
    if key in table:
        return table[key]
    swapped = key.replace("ministervan", "ministervoor", 1) if "ministervan" in key else key.replace(
        "ministervoor", "ministervan", 1)
    return table.get(swapped, [])


def _split_position(position: str) -> tuple[str, str, str]:
    """``"stas van X (portfolio) [Cabinet]"`` -> ``("stas van X", "portfolio", "Cabinet")``."""
    text = " ".join(position.split())
    cabinet = ""
    if text.endswith("]") and " [" in text:
        text, cabinet = text[:-1].rsplit(" [", 1)
    if text.endswith(")") and " (" in text:
        cut = text.index(" (")
        return text[:cut], text[cut + 2 : -1], cabinet
    return text, "", cabinet


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def _key(title: str) -> str:
    """Letters and digits only: "Volksgezondheid,Welzijn" (PDF damage) finds its post."""
    return re.sub(r"[^0-9a-z]", "", _norm(title))


#: Name particles carry no identity ("van", "de", "ter").
_PARTICLES = frozenset({"van", "de", "der", "den", "ter", "het", "'t", "te", "in", "op", "la", "le"})


def _person_key(name: str) -> frozenset[str]:
    """Surname parts: ``"Dilan Yeşilgöz-Zegerius (D.)"`` and ``"D. Yeşilgöz"`` share ``yesilgoz``."""
    tokens = re.sub(r"\([^)]*\)", " ", _norm(name)).split()
    initials = [i for i, token in enumerate(tokens) if "." in token]
    if initials:  # "T.H.D. Struycken": the surname follows the initials
        surname = tokens[initials[-1] + 1 :]
    else:  # "Tamara van Ark (T.)", "Guusje ter Horst": a first name comes first
        surname = tokens[1:] or tokens
    words = re.split(r"[\s\-]+", " ".join(surname))
    return frozenset(w for w in words if w and w not in _PARTICLES)


# -- title rules (MAPPING.md 2a, 2b) --------------------------------------------------------

#: Portfolio words in a title -> area (2b); checked in order, first match wins.
_PORTFOLIO_RULES: tuple[tuple[str, str], ...] = (
    ("ontwikkeling", "handel_ontwikkeling"),
    ("buitenlandse handel", "handel_ontwikkeling"),
    ("asiel", "asiel_migratie"),
    ("migratie", "asiel_migratie"),
    ("vreemdelingen", "asiel_migratie"),
    ("herstel groningen", "klimaat_energie"),
    ("mijnbouw", "klimaat_energie"),
    ("klimaat", "klimaat_energie"),
    ("energie", "klimaat_energie"),
    ("stikstof", "landbouw_natuur"),
    ("landbouw", "landbouw_natuur"),
    ("natuur", "landbouw_natuur"),
    ("wonen", "wonen_ruimte"),
    ("volkshuisvesting", "wonen_ruimte"),
    ("zorg", "zorg_welzijn"),
    ("jeugd", "zorg_welzijn"),
    ("sport", "zorg_welzijn"),
    ("armoede", "sociale_zaken_werk"),
    ("pensioen", "sociale_zaken_werk"),
    ("participatie", "sociale_zaken_werk"),
    ("onderwijs", "onderwijs_cultuur"),
    ("cultuur", "onderwijs_cultuur"),
    ("media", "onderwijs_cultuur"),
    ("emancipatie", "onderwijs_cultuur"),
    ("rechtsbescherming", "justitie_veiligheid"),
    ("justitie", "justitie_veiligheid"),
    ("koninkrijksrelaties", "binnenlands_bestuur"),
    ("koninkrijkrelaties", "binnenlands_bestuur"),
    ("digitalisering", "binnenlands_bestuur"),
    ("fiscaliteit", "financien"),
    ("belastingdienst", "financien"),
    ("toeslagen", "financien"),
    ("douane", "financien"),
    ("europese zaken", "buitenlandse_zaken"),
    ("consument", "economie"),
    ("telecom", "economie"),
    ("ondernemerschap", "economie"),
)

#: Ministry name words -> default area (2a); checked in order, first match wins.
_MINISTRY_RULES: tuple[tuple[str, str], ...] = (
    ("algemene zaken", "algemene_zaken"),
    ("minister-president", "algemene_zaken"),
    ("buitenlandse zaken", "buitenlandse_zaken"),
    ("justitie", "justitie_veiligheid"),
    ("binnenlandse zaken", "binnenlands_bestuur"),
    ("onderwijs", "onderwijs_cultuur"),
    ("financien", "financien"),
    ("defensie", "defensie"),
    ("milieubeheer", "infrastructuur_milieu"),  # VROM: housing was with a separate minister
    ("verkeer en waterstaat", "infrastructuur_milieu"),
    ("infrastructuur", "infrastructuur_milieu"),
    ("economische zaken", "economie"),
    ("landbouw", "landbouw_natuur"),
    ("sociale zaken", "sociale_zaken_werk"),
    ("volksgezondheid", "zorg_welzijn"),
    ("klimaat en groene groei", "klimaat_energie"),
    ("volkshuisvesting", "wonen_ruimte"),
    ("asiel en migratie", "asiel_migratie"),
)

#: State secretaries of these ministries held portfolios of different areas
#: (asylum or prisons; EU affairs or development; Kingdom relations or Groningen;
#: economy, agriculture or mining): without a portfolio the title does not tell.
_SPLIT_MINISTRIES = ("justitie", "buitenlandse zaken", "binnenlandse zaken", "economische zaken")


def _area_by_title(post: str, portfolio: str) -> str | None:
    title = _norm(post)
    words = _norm(portfolio)
    if title.startswith("minister voor "):
        # A minister without a ministry: the title names the portfolio.
        return (_first_match(title, _PORTFOLIO_RULES) or _first_match(words, _MINISTRY_RULES)
                or _first_match(title, _MINISTRY_RULES))
    if words and (area := _first_match(words, _PORTFOLIO_RULES)):
        return area
    if title.startswith("staatssecretaris") and _first_match(title, tuple((m, m) for m in _SPLIT_MINISTRIES)):
        return None
    return _first_match(title, _MINISTRY_RULES)


def _first_match(text: str, rules: tuple[tuple[str, str], ...]) -> str | None:
    # Compared without spaces: PDF extraction loses them ("Economische Zakenen Klimaat").
    squeezed = text.replace(" ", "")
    return next((area for word, area in rules if word.replace(" ", "") in squeezed), None)
