"""Import written questions from the Tweede Kamer open data (OData v4 ``Zaak`` records).

A response of ``.../OData/v4/2.0/Zaak?$filter=Soort eq 'Schriftelijke vragen'&$expand=ZaakActor``
becomes kvclassify training records shaped like ``subjects/train.jsonl``; the
policy area of a question is the area of the post of each minister or state
secretary it is addressed to (``Gericht aan``) on the day it was asked.

Posts are mapped to areas in two steps (rules: ``ministers/MAPPING.md`` of
the shared data):

1. the dated table shipped as ``kvclassify/data/posts.csv`` (who held which
   post when, and that post's area, 2007 onwards) — by title and date, and
   by person where one title covered different areas (a state secretary of
   Justitie en Veiligheid for asylum or for prisons);
2. for posts or dates the table does not cover, the title itself: the
   portfolio named in it (``minister voor Medische Zorg``,
   ``staatssecretaris van Financiën``) or else the ministry's default area.
"""

from __future__ import annotations

import csv
import datetime
import functools
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kvclassify.data import _decode
from kvclassify.errors import DataError

__all__ = ["ImportedRecords", "area_of_post", "records_from_opendata", "SOORT"]

#: The ``Soort`` of the Zaak records that are written questions.
SOORT = "Schriftelijke vragen"

#: A tenure that ended (or starts) at most this many days from the question date
#: still counts for a named person: questions are dated when registered, which can
#: lag or lead a change of office by weeks (MAPPING.md, rule 5).
_GRACE = datetime.timedelta(days=45)


class ImportedRecords(list):
    """The records of an import (a ``list`` of dicts) plus what was skipped.

    Attributes
    ----------
    skipped : collections.Counter
        Reason -> number of Zaak records not imported: ``"deleted"``
        (``Verwijderd`` is true) or ``"soort: <Soort>"`` (not a written question).
    """

    def __init__(self, records: Sequence[dict[str, Any]] = (), skipped: Counter | None = None):
        super().__init__(records)
        self.skipped: Counter[str] = Counter(skipped or {})


def records_from_opendata(
    payload: Mapping[str, Any] | Sequence[Mapping[str, Any]] | str | os.PathLike,
) -> ImportedRecords:
    """Turn open-data ``Zaak`` records into kvclassify records.

    Parameters
    ----------
    payload
        One OData response (``{"value": [...], ...}``), a list of Zaak objects,
        or the path of a JSON file holding either. Each Zaak needs ``Nummer``,
        ``Soort``, ``GestartOp`` and ``Onderwerp`` (or ``Titel``); ``ZaakActor``
        (from ``$expand=ZaakActor``) gives addressees and submitters.

    Returns
    -------
    ImportedRecords
        A list of records ``{"id", "date", "text", "policy_area",
        "policy_areas", "addressees", "positions", "submitter",
        "cosubmitters"}`` in payload order; ``.skipped`` counts the Zaak
        records left out (deleted ones, other ``Soort``) by reason.
        ``positions`` are the ``Functie`` strings as given (None if absent);
        ``submitter`` is the first ``Indiener``, any further ones lead
        ``cosubmitters`` before the ``Medeindiener``s; ``policy_areas``
        holds the areas that could be resolved (``algemene_zaken`` only when
        nothing else is addressed), ``policy_area`` its single element or None.

    Raises
    ------
    DataError
        If the payload or a Zaak is malformed (the message names the Zaak).

    Examples
    --------
    >>> zaak = {"Nummer": "2025Z00001", "Soort": "Schriftelijke vragen", "Verwijderd": False,
    ...         "GestartOp": "2025-01-07T00:00:00+01:00", "Onderwerp": "De  wachtlijsten",
    ...         "ZaakActor": [{"Relatie": "Gericht aan", "ActorNaam": "M. Agema",
    ...                        "Functie": "minister van Volksgezondheid, Welzijn en Sport"}]}
    >>> records_from_opendata([zaak])[0]["policy_areas"]
    ['zorg_welzijn']
    """
    zaken, where = _zaken(payload)
    result = ImportedRecords()
    for index, zaak in enumerate(zaken):
        if not isinstance(zaak, Mapping):
            raise DataError(f"{where}: Zaak {index} is a {type(zaak).__name__}, expected an object")
        name = f"{where}: Zaak {index} ({zaak.get('Nummer', 'no Nummer')})"
        if zaak.get("Verwijderd") is True:
            result.skipped["deleted"] += 1
        elif (soort := zaak.get("Soort")) != SOORT:
            result.skipped[f"soort: {soort}"] += 1
        else:
            result.append(_record(zaak, name))
    return result


def area_of_post(position: str, on: datetime.date, *, person: str | None = None) -> str | None:
    """Return the policy area of a cabinet post on a date, or None if it cannot be told.

    Parameters
    ----------
    position
        The post title as in the open data's ``Functie`` (``"staatssecretaris van
        Financiën"``); a portfolio in parentheses and a cabinet in brackets, as
        in ``subjects/*.jsonl`` positions, are used when present.
    on
        The date of the question.
    person
        The holder's name as in ``ActorNaam`` (any form: ``"T. van Ark"``,
        ``"Tamara van Ark (T.)"``); needed only when one title covered several
        areas at that date.

    Examples
    --------
    >>> import datetime
    >>> area_of_post("minister voor Buitenlandse Handel en Ontwikkelingshulp", datetime.date(2025, 3, 1))
    'handel_ontwikkeling'
    >>> area_of_post("minister van Economische Zaken en Klimaat", datetime.date(2019, 5, 1))
    'klimaat_energie'
    >>> area_of_post("minister van Economische Zaken en Klimaat", datetime.date(2023, 5, 1))
    'economie'
    """
    post, portfolio, cabinet = _split_position(position)
    rows = _posts().get(_norm(post), [])
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
    areas = {row.area for row in candidates}
    if len(areas) == 1:
        return areas.pop()
    if areas:
        return None  # one title, several areas at that date, and no person to decide
    return _area_by_title(post, portfolio)


# -- Zaak -> record -------------------------------------------------------------------------


def _zaken(payload: Any) -> tuple[Sequence[Any], str]:
    where = "payload"
    if isinstance(payload, (str, os.PathLike)):
        path = Path(payload)
        where = str(path)
        if not path.is_file():
            raise DataError(f"{path}: file not found" if not path.exists() else f"{path}: not a file")
        try:
            payload = json.loads(_decode(path, path.read_bytes()))
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}: line {exc.lineno}: invalid JSON: {exc.msg}") from None
    if isinstance(payload, Mapping):
        if "value" not in payload:
            raise DataError(f"{where}: an OData response needs a 'value' list; got keys {sorted(payload)[:5]}")
        payload = payload["value"]
    if isinstance(payload, (str, bytes)) or not isinstance(payload, Sequence):
        raise DataError(f"{where}: expected a list of Zaak objects, got a {type(payload).__name__}")
    return payload, where


def _record(zaak: Mapping[str, Any], name: str) -> dict[str, Any]:
    nummer = zaak.get("Nummer")
    if not isinstance(nummer, str) or not nummer:
        raise DataError(f"{name}: 'Nummer' is missing or not a string")
    date = _date(zaak.get("GestartOp"), name)
    text = " ".join(str(zaak.get("Onderwerp") or zaak.get("Titel") or "").split())
    if not text:
        raise DataError(f"{name}: no subject ('Onderwerp' and 'Titel' are empty)")
    actors = zaak.get("ZaakActor", [])
    if not isinstance(actors, list):
        raise DataError(f"{name}: 'ZaakActor' is a {type(actors).__name__}, expected a list")

    addressees: list[str] = []
    positions: list[str | None] = []
    areas: set[str] = set()
    submitters: list[str] = []
    cosubmitters: list[str] = []
    for number, actor in enumerate(actors):
        if not isinstance(actor, Mapping):
            raise DataError(f"{name}: ZaakActor {number} is a {type(actor).__name__}, expected an object")
        if actor.get("Verwijderd") is True:
            continue
        actor_name = " ".join(str(actor.get("ActorNaam") or "").split())
        relation = actor.get("Relatie")
        if relation == "Gericht aan":
            if actor_name in addressees:  # the same minister listed twice counts once
                continue
            function = " ".join(str(actor.get("Functie") or "").split()) or None
            addressees.append(actor_name)
            positions.append(function)
            area = area_of_post(function, date, person=actor_name) if function else None
            if area:
                areas.add(area)
        elif relation == "Indiener":
            submitters.append(actor_name)
        elif relation == "Medeindiener":
            cosubmitters.append(actor_name)
    if len(areas) > 1:
        # The prime minister co-addressed with a minister: the minister's area is the topic.
        areas.discard("algemene_zaken")
    policy_areas = sorted(areas)
    return {
        "id": nummer,
        "date": date.isoformat(),
        "text": text,
        "policy_area": policy_areas[0] if len(policy_areas) == 1 else None,
        "policy_areas": policy_areas,
        "addressees": addressees,
        "positions": positions,
        "submitter": submitters[0] if submitters else None,
        "cosubmitters": submitters[1:] + cosubmitters,
    }


def _date(value: Any, name: str) -> datetime.date:
    if not isinstance(value, str):
        raise DataError(f"{name}: 'GestartOp' is missing or not a string")
    try:
        # The local date as written: converting to UTC would move late-evening questions a day.
        return datetime.datetime.fromisoformat(value).date()
    except ValueError:
        raise DataError(f"{name}: 'GestartOp' is not an ISO date: {value!r}") from None


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
    """Load ``data/posts.csv`` once, keyed by normalised post title."""
    table: dict[str, list[_Post]] = {}
    text = resources.files("kvclassify").joinpath("data/posts.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(text.splitlines()):
        table.setdefault(_norm(row["post"]), []).append(
            _Post(
                portfolio=_norm(row["portfolio"]),
                cabinet=row["cabinet"],
                person=_person_key(row["person"]),
                area=row["area"],
                start=datetime.date.fromisoformat(row["start"]),
                end=datetime.date.fromisoformat(row["end"]) if row["end"] else None,
            )
        )
    return table


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
        return _first_match(title, _PORTFOLIO_RULES) or _first_match(words, _MINISTRY_RULES)
    if words and (area := _first_match(words, _PORTFOLIO_RULES)):
        return area
    if title.startswith("staatssecretaris") and any(m in title for m in _SPLIT_MINISTRIES):
        return None
    return _first_match(title, _MINISTRY_RULES)


def _first_match(text: str, rules: tuple[tuple[str, str], ...]) -> str | None:
    return next((area for word, area in rules if word in text), None)
