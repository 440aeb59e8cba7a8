"""Import written questions from the Tweede Kamer open data (OData v4 ``Zaak`` records).

A response of ``.../OData/v4/2.0/Zaak?$filter=Soort eq 'Schriftelijke vragen'&$expand=ZaakActor``
becomes kvclassify training records shaped like ``subjects/train.jsonl``; the
policy area of a question is the area of the post of each minister or state
secretary it is addressed to (``Gericht aan``) on the day it was asked.

Posts are mapped to areas by :func:`kvclassify.areas.areas_of_post` (the dated
post table and the title rules, shared with the document parser); an addressee
counts only when its post resolves to one area.
"""

from __future__ import annotations

import datetime
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .areas import areas_of_post, combine_areas
from .data import decode_file, json_value
from .errors import DataError
from .missing import is_missing

__all__ = ["ImportedRecords", "records_from_opendata", "SOORT"]

#: The ``Soort`` of the Zaak records that are written questions.
SOORT = "Schriftelijke vragen"

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
        ``addressees`` and ``positions`` are parallel: one entry per
        distinct ``Gericht aan`` actor (distinct by ``ActorNaam`` and
        ``Functie`` together, so two nameless actors in different posts are
        both kept); ``positions`` are the ``Functie`` strings as given (None
        if absent); an actor without ``ActorNaam`` is shown in
        ``addressees`` by its ``Functie`` (as a document's header names
        addressees by post) and its post counts for the areas; one with
        neither is left out;
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


# -- Zaak -> record -------------------------------------------------------------------------


def _zaken(payload: Any) -> tuple[Sequence[Any], str]:
    where = "payload"
    if isinstance(payload, (str, os.PathLike)):
        path = Path(payload)
        where = str(path)
        if not path.is_file():
            raise DataError(f"{path}: file not found" if not path.exists() else f"{path}: not a file")
        # No encoding can be passed here (the OData API writes UTF-8): the message suggests converting.
        payload = json_value(decode_file(path, path.read_bytes(), retry=None), where, document=True)
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
    text = _subject(zaak, name)
    actors = zaak.get("ZaakActor", [])
    if not isinstance(actors, list):
        raise DataError(f"{name}: 'ZaakActor' is a {type(actors).__name__}, expected a list")

    addressees: list[str] = []
    seen: set[tuple[str | None, str | None]] = set()
    positions: list[str | None] = []
    areas: set[str] = set()
    submitters: list[str] = []
    cosubmitters: list[str] = []
    for number, actor in enumerate(actors):
        if not isinstance(actor, Mapping):
            raise DataError(f"{name}: ZaakActor {number} is a {type(actor).__name__}, expected an object")
        if actor.get("Verwijderd") is True:
            continue
        where = f"{name}: ZaakActor {number}"
        person = _words(actor, "ActorNaam", where)
        actor_name = person or ""
        relation = actor.get("Relatie")
        if relation == "Gericht aan":
            function = _words(actor, "Functie", where)
            # Identity is name and post together: two nameless actors are two posts, not one minister twice.
            if (person is None and function is None) or (person, function) in seen:
                continue  # nothing identifies it, or the same minister in the same post listed twice
            seen.add((person, function))
            # Nameless, it is shown by its post, as a document's header names addressees: the lists stay parallel.
            addressees.append(person or function or "")  # one of them is set (checked above)
            positions.append(function)
            post_areas = areas_of_post(function, date, person=person) if function else ()
            if len(post_areas) == 1:  # one title, several areas and no person to decide: unresolved
                areas.update(post_areas)
        elif relation == "Indiener":
            submitters.append(actor_name)
        elif relation == "Medeindiener":
            cosubmitters.append(actor_name)
    policy_areas = sorted(combine_areas(areas))
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


def _words(entry: Mapping[str, Any], field: str, where: str) -> str | None:
    """A string field, white space normalised; None when missing or blank; a value of another type is an error."""
    value = entry.get(field)
    if is_missing(value):
        return None
    if not isinstance(value, str):
        raise DataError(f"{where}: {field!r} is a {type(value).__name__}, expected a string")
    return " ".join(value.split()) or None


def _subject(zaak: Mapping[str, Any], name: str) -> str:
    """The ``Onderwerp``, else the ``Titel`` (see :func:`_words`)."""
    for field in ("Onderwerp", "Titel"):
        if text := _words(zaak, field, name):
            return text
    raise DataError(f"{name}: no subject ('Onderwerp' and 'Titel' are empty)")


def _date(value: Any, name: str) -> datetime.date:
    if not isinstance(value, str):
        raise DataError(f"{name}: 'GestartOp' is missing or not a string")
    try:
        # The local date as written: converting to UTC would move late-evening questions a day.
        return datetime.datetime.fromisoformat(value).date()
    except ValueError:
        raise DataError(f"{name}: 'GestartOp' is not an ISO date: {value!r}") from None
