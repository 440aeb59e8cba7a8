"""Tests of classify_document's document-level results: three areas, per-question areas, JSON."""

from __future__ import annotations

import json

import pytest

import kvclassify as kv

# Content about schools, addressed to the Defence minister: content and routing differ.
MIXED = ("Vragen van het lid Jansen (SP) aan de minister van Defensie en de minister van Financiën over scholen "
         "(ingezonden 3 maart 2025).\n\n"
         "1. Hoeveel basisscholen kampen met een lerarentekort?\n\n"
         "2. Bent u bereid de leraren in het primair onderwijs beter te betalen?\n")


@pytest.fixture(scope="module")
def mixed() -> kv.DocumentClassification:
    return kv.classify_document(MIXED)


def test_routed_area_is_the_content_area_among_the_addressed_ones(mixed: kv.DocumentClassification) -> None:
    assert mixed.policy_area.label == "onderwijs_cultuur"
    assert mixed.addressed_areas == ("defensie", "financien")
    assert mixed.routed_area.label in mixed.addressed_areas
    assert set(p for p, v in mixed.routed_area.probabilities.items() if v > 0) <= set(mixed.addressed_areas)
    assert sum(mixed.routed_area.probabilities.values()) == pytest.approx(1.0)
    content = mixed.policy_area.probabilities
    assert mixed.routed_area.label == max(mixed.addressed_areas, key=content.__getitem__)


def test_routed_area_is_the_content_area_without_addressees() -> None:
    r = kv.classify_document("1. Hoeveel basisscholen kampen met een lerarentekort?\n2. Wat doet u eraan?")
    assert r.addressed_areas == ()
    assert r.routed_area == r.policy_area


def test_question_area_lies_between_the_question_and_its_document(mixed: kv.DocumentClassification) -> None:
    for q in mixed.questions:
        own, doc = q.classification.policy_area.probabilities, mixed.policy_area.probabilities
        for area, p in q.policy_area.probabilities.items():
            assert min(own[area], doc[area]) - 1e-9 <= p <= max(own[area], doc[area]) + 1e-9


def test_to_dict_carries_every_area(mixed: kv.DocumentClassification) -> None:
    data = json.loads(json.dumps(mixed.to_dict()))
    assert data["routed_area"]["label"] == mixed.routed_area.label
    assert data["questions"][0]["policy_area"]["label"] == mixed.questions[0].policy_area.label
    assert data["questions"][0]["footnote_refs"] == []
