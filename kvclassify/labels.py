"""The two taxonomies: question types and policy areas, as code.

The codes are the labels in the data (``../shared/guidelines``) and the only
labels the shipped model outputs.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import UnknownLabelError
from .plain import Plain

__all__ = [
    "Label",
    "QUESTION_TYPES",
    "POLICY_AREAS",
    "QUESTION_TYPE_CODES",
    "POLICY_AREA_CODES",
    "TYPE_PRECEDENCE",
    "label_info",
]


@dataclass(frozen=True, slots=True)
class Label(Plain):
    """One label of a taxonomy.

    Examples
    --------
    >>> QUESTION_TYPES[0].code, QUESTION_TYPES[0].name_en
    ('factual', 'Factual')
    """

    code: str
    name_nl: str
    name_en: str
    description: str


QUESTION_TYPES: tuple[Label, ...] = (
    Label(
        "factual",
        "Feitelijk",
        "Factual",
        "Asks for information: facts, numbers, whether something is true or known, "
        "what happened, what is being done now, how a rule works, why something happened.",
    ),
    Label(
        "opinion",
        "Oordeel",
        "Opinion",
        "Asks for a judgement, view, position or appreciation "
        "(Deelt u de mening, Wat vindt u, Hoe beoordeelt u, Erkent u dat).",
    ),
    Label(
        "commitment",
        "Toezegging",
        "Commitment",
        "Asks the minister to promise or undertake a future action: do, change, stop, "
        "investigate, send, inform, take measures (Bent u bereid, Gaat u, Wilt u).",
    ),
)

POLICY_AREAS: tuple[Label, ...] = (
    Label("justitie_veiligheid", "Justitie en veiligheid", "Justice and security",
          "Police, courts, prosecution (OM), prisons, crime, legal aid, counter-terrorism, "
          "fire services, privacy law."),
    Label("asiel_migratie", "Asiel en migratie", "Asylum and migration",
          "Asylum, immigration, naturalisation, reception of asylum seekers."),
    Label("zorg_welzijn", "Zorg en welzijn", "Health and welfare",
          "Health care, public health, youth care, long-term care, sport, medicines."),
    Label("sociale_zaken_werk", "Sociale zaken en werk", "Social affairs and employment",
          "Employment, labour law, social security, pensions, poverty, integration "
          "(inburgering), childcare."),
    Label("onderwijs_cultuur", "Onderwijs, cultuur en wetenschap", "Education, culture and science",
          "Education, science, culture, media, emancipation."),
    Label("economie", "Economie", "Economy",
          "Economic policy, business, competition, consumer affairs, telecom, innovation."),
    Label("klimaat_energie", "Klimaat en energie", "Climate and energy",
          "Energy, climate, gas extraction (Groningen), mining."),
    Label("landbouw_natuur", "Landbouw en natuur", "Agriculture and nature",
          "Agriculture, nature, fisheries, food safety, animal welfare, nitrogen."),
    Label("infrastructuur_milieu", "Infrastructuur en milieu", "Infrastructure and environment",
          "Transport (road, rail, aviation, shipping), water management, environment."),
    Label("wonen_ruimte", "Wonen en ruimtelijke ordening", "Housing and spatial planning",
          "Housing, spatial planning, construction."),
    Label("binnenlands_bestuur", "Binnenlands bestuur", "Public administration",
          "Public administration, elections, local and provincial government, civil service, "
          "digital government, Caribbean parts of the Kingdom, constitution."),
    Label("financien", "Financiën", "Finance",
          "Taxes, Belastingdienst, benefits (toeslagen), budget, banks and financial markets."),
    Label("buitenlandse_zaken", "Buitenlandse zaken", "Foreign affairs",
          "Foreign policy, EU affairs, human rights abroad, consular affairs."),
    Label("handel_ontwikkeling", "Buitenlandse handel en ontwikkelingssamenwerking",
          "Foreign trade and development", "Foreign trade, development cooperation."),
    Label("defensie", "Defensie", "Defence", "Armed forces, military missions, veterans."),
    Label("algemene_zaken", "Algemene zaken", "General affairs",
          "The prime minister's own portfolio: royal house, government communication, "
          "general cabinet policy."),
)

QUESTION_TYPE_CODES: tuple[str, ...] = tuple(label.code for label in QUESTION_TYPES)
POLICY_AREA_CODES: tuple[str, ...] = tuple(label.code for label in POLICY_AREAS)

#: Primary type of a unit asking for several: the most demanding wins (guideline, step 3).
TYPE_PRECEDENCE: tuple[str, ...] = ("commitment", "opinion", "factual")

_BY_CODE: dict[str, Label] = {label.code: label for label in QUESTION_TYPES + POLICY_AREAS}


def label_info(code: str) -> Label:
    """Return the :class:`Label` for a code.

    Examples
    --------
    >>> label_info("commitment").name_nl
    'Toezegging'

    An unknown code raises :class:`~kvclassify.errors.UnknownLabelError`
    (an ``InputError`` and a ``KeyError``).
    """
    label = _BY_CODE.get(code) if isinstance(code, str) else None
    if label is None:
        raise UnknownLabelError(f"unknown label code {code!r}; known: {', '.join(sorted(_BY_CODE))}")
    return label
