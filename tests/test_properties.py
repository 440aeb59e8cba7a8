"""Property-based tests (hypothesis) of parse_document, classify, classify_many, classify_document.

On arbitrary text: no unexpected exception, strict-JSON results, finite
probabilities summing to 1, ``classify_many`` item for item equal to
``classify``, deterministic parsing.  On generated Kamervragen-like documents:
no word of a question is lost, and re-parsing a document rebuilt from the
parsed questions gives the same questions.
"""

from __future__ import annotations

import json
import math
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kvclassify as kv
from kvclassify.document.text import strip_trailing_markers as _strip_trailing_markers

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any unicode except lone surrogates (which no decoder produces; they have their own case
# in test_robustness).
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)

# Text built from the pieces the parser reacts to, so that its branches are exercised.
_PIECES = [
    "\n", "\n\n", " ", "\t", "\f", "\r\n", "1", "2", "3", "10", "99", "2025", ".", ")", "(", "[", "]", "?", ":",
    ",", "-", "–", "Vraag 1", "Vragen 2 en 3", "Vraag", "Antwoord", "Antwoord 1", "Antwoord van",
    "Toelichting:", "Vragen van het lid ", "Jansen (SP) ", "aan de minister van Defensie ", "over ",
    "(ingezonden 3 maart 2025)", "Tweede Kamer der Staten-Generaal", "2025Z01234", "[^1]: ",
    "--- footnotes ---", "https://www.example.org/a_", "Bent u bereid", "Kent u het bericht", "Zo ja",
    "wachtlijsten", "jeugdzorg", "é", "´", "\xa0", "\u200b", "\xad", "ﬁ", "😀", "مرحبا", "Ⅻ", "١٢٣",
]
structured_text = st.lists(st.sampled_from(_PIECES), max_size=80).map("".join)
texts = st.one_of(any_text, structured_text)


def _check_prediction(pred: kv.Prediction) -> None:
    probs = list(pred.probabilities.values())
    assert all(math.isfinite(p) and 0.0 <= p <= 1.0 for p in probs)
    assert abs(sum(probs) - 1.0) <= 1e-6
    assert pred.label in pred.probabilities
    assert pred.score == pred.probabilities[pred.label] == max(probs)


def _check_classification(c: kv.Classification) -> None:
    assert c.predictions
    for pred in c.predictions.values():
        _check_prediction(pred)
    assert isinstance(c.in_domain, bool)
    assert 0.0 <= c.coverage <= 1.0
    json.dumps(c.to_dict(), allow_nan=False)


@SETTINGS
@given(texts)
def test_parse_document_total_and_deterministic(text: str) -> None:
    first = kv.parse_document(text)
    second = kv.parse_document(text)
    assert first.to_dict() == second.to_dict()
    json.dumps(first.to_dict(), allow_nan=False)
    for unit in first.questions:
        assert unit.text or unit.answer
        assert unit.text == unit.text.strip()


@SETTINGS
@given(texts)
def test_classify_total(text: str) -> None:
    c = kv.classify(text)
    _check_classification(c)
    if not text.strip():
        assert c.in_domain is False


@FEW
@given(st.lists(texts, max_size=12))
def test_classify_many_equals_classify(xs: list[str]) -> None:
    many = kv.classify_many(xs)
    assert len(many) == len(xs)
    assert [c.to_dict() for c in many] == [kv.classify(x).to_dict() for x in xs]
    # batching does not change results either
    assert [c.to_dict() for c in kv.classify_many(xs, batch_size=3)] == [c.to_dict() for c in many]


@FEW
@given(texts)
def test_classify_document_total(text: str) -> None:
    r = kv.classify_document(text)
    json.dumps(r.to_dict(), allow_nan=False)
    for q in r.questions:
        _check_classification(q.classification)
    if r.policy_area is not None:
        _check_prediction(r.policy_area)
    assert sum(r.type_counts.values()) == len(r.questions)


# -- generated Kamervragen ---------------------------------------------------------------

_WORDS = (
    "kent bericht wachtlijsten jeugdzorg gemeenten minister bereid kamer informeren hoeveel mensen "
    "wachten woning huurprijzen stikstof boeren subsidie regeling onderzoek maatregelen politie agenten "
    "rechtspraak gevangenissen defensie munitie asielzoekers opvang scholen leraren tekort zorgverzekering "
    "premie ziekenhuizen energie rekening belasting toeslagen ouders kinderen wanneer waarom welke stappen "
    "zet plannen vindt acceptabel deelt mening bijdrage verschil gevolgen provincie waterschap dijken"
).split()
_STARTS = ["Kent u", "Bent u bereid", "Hoeveel", "Wat is", "Deelt u de mening dat", "Waarom", "Welke",
           "Kunt u", "Is het waar dat", "Wanneer"]

_word = st.sampled_from(_WORDS)
_sentence = st.builds(
    lambda start, words: f"{start} {' '.join(words)}?",
    st.sampled_from(_STARTS),
    st.lists(_word, min_size=1, max_size=15),
)
_question = st.lists(_sentence, min_size=1, max_size=3).map(" ".join)


@st.composite
def kamervragen(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A Kamervragen document and the texts of its questions."""
    questions = draw(st.lists(_question, min_size=1, max_size=10))
    style = draw(st.sampled_from(["{n}. ", "{n}) ", "Vraag {n}\n", "Vraag {n}: "]))
    sep = draw(st.sampled_from(["\n\n", "\n"]))
    wrap = draw(st.booleans())  # hard-wrapped lines, as extracted from a PDF
    subject = " ".join(draw(st.lists(_word, min_size=1, max_size=8)))
    header = (
        f"Vragen van het lid Jansen (SP) aan de minister van Volksgezondheid, Welzijn en Sport over "
        f"{subject} (ingezonden 3 maart 2025)."
    )
    body = []
    for n, q in enumerate(questions, 1):
        text = q
        if wrap:
            words = q.split(" ")
            text = "\n".join(" ".join(words[i:i + 7]) for i in range(0, len(words), 7))
        body.append(style.format(n=n) + text)
    return header + "\n\n" + sep.join(body) + "\n", questions


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@SETTINGS
@given(kamervragen())
def test_generated_documents_keep_every_word(case: tuple[str, list[str]]) -> None:
    text, questions = case
    doc = kv.parse_document(text)
    assert doc.kind == "questions"
    assert [m.name for m in doc.members] == ["Jansen"]
    assert doc.addressed_areas == ("zorg_welzijn",)
    assert doc.questions, "the questions were lost"
    found = set()
    for unit in doc.questions:
        found.update(_words(unit.text))
    for q in questions:
        missing = [w for w in _words(q) if w not in found]
        assert not missing, (missing, q)
    # numbers, where kept (a lone "1." is no numbering scheme), are the generated ones, in order
    numbers = [u.number for u in doc.questions if u.number is not None]
    assert numbers == sorted(set(numbers)) and set(numbers) <= set(range(1, len(questions) + 1))
    if len(questions) > 1:
        assert numbers == list(range(1, len(questions) + 1))


@SETTINGS
@given(kamervragen())
def test_rebuilt_document_parses_to_the_same_questions(case: tuple[str, list[str]]) -> None:
    text, _ = case
    doc = kv.parse_document(text)
    header = text.split("\n\n", 1)[0]
    rebuilt = header + "\n\n" + "\n\n".join(f"{i}. {u.text}" for i, u in enumerate(doc.questions, 1)) + "\n"
    again = kv.parse_document(rebuilt)
    assert [u.text for u in again.questions] == [u.text for u in doc.questions]
    assert again.subject == doc.subject and again.members == doc.members
    # and a third time: a fixed point
    third = kv.parse_document(
        header + "\n\n" + "\n\n".join(f"{i}. {u.text}" for i, u in enumerate(again.questions, 1)) + "\n"
    )
    assert third.to_dict() == again.to_dict()


@FEW
@given(kamervragen())
def test_generated_documents_classify(case: tuple[str, list[str]]) -> None:
    text, _ = case
    r = kv.classify_document(text)
    assert len(r.questions) >= 1
    assert r.addressed_areas == ("zorg_welzijn",)
    json.dumps(r.to_dict(), allow_nan=False)
    units = [q.unit.text for q in r.questions]
    assert [q.classification.to_dict() for q in r.questions] == [c.to_dict() for c in kv.classify_many(units)]


# -- the linear replacement of the trailing-marker regex ------------------------------------

_MARKERS_RE = re.compile(r"(?:\s*\[?\d{1,3}\)?\]?)+$")  # the original (exponential on long digit runs)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="12 [])?x\n\t٣", max_size=14))
def test_strip_trailing_markers_equals_the_regex(text: str) -> None:
    assert _strip_trailing_markers(text) == _MARKERS_RE.sub("", text)


@pytest.mark.parametrize("text, expected", [
    ("Kent u het bericht?1", "Kent u het bericht?"),
    ("Kent u het bericht? [2]", "Kent u het bericht?"),
    ("Kent u het bericht?3) 4)", "Kent u het bericht?"),
    ("Geen marker.", "Geen marker."),
    ("1" * 10_000 + "x", "1" * 10_000 + "x"),
])
def test_strip_trailing_markers_examples(text: str, expected: str) -> None:
    assert _strip_trailing_markers(text) == expected
