"""The public API contract on the shipped model."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import kvclassify as kv
from kvclassify.labels import POLICY_AREA_CODES, QUESTION_TYPE_CODES

from .conftest import FIXTURES

QUESTIONS = [
    "Bent u bereid de Kamer voor het zomerreces te informeren over de wachtlijsten in de jeugdzorg?",
    "Deelt u de mening dat het onacceptabel is dat treinen op het spoor tussen Utrecht en Amsterdam uitvallen?",
    "Hoeveel asielzoekers verbleven vorig jaar in het aanmeldcentrum in Ter Apel?",
    "Kent u het bericht 'Boeren boos over nieuwe stikstofregels'?",
    "Wat gaat u doen om de belastingdienst beter bereikbaar te maken?",
    "",
]


def test_classify_returns_both_heads() -> None:
    c = kv.classify(QUESTIONS[0])
    assert isinstance(c, kv.Classification)
    assert c.question_type.label in QUESTION_TYPE_CODES
    assert c.policy_area.label in POLICY_AREA_CODES
    assert c.question_type.label == "commitment"
    assert c.in_domain and 0.5 <= c.coverage <= 1.0


@pytest.mark.parametrize("text", QUESTIONS)
def test_probabilities_are_a_distribution(text: str) -> None:
    for p in kv.classify(text).predictions.values():
        assert math.isclose(sum(p.probabilities.values()), 1.0, abs_tol=1e-6)
        assert all(0.0 <= v <= 1.0 for v in p.probabilities.values())
        assert p.score == max(p.probabilities.values())
        assert p.probabilities[p.label] == p.score
        top = p.top(3)
        assert top[0] == (p.label, p.score) and [v for _, v in top] == sorted((v for _, v in top), reverse=True)


def test_classify_many_equals_classify() -> None:
    many = kv.classify_many(QUESTIONS)
    assert [m.to_dict() for m in many] == [kv.classify(q).to_dict() for q in QUESTIONS]
    assert kv.classify_many([]) == []


def test_results_are_frozen_and_json_ready() -> None:
    c = kv.classify(QUESTIONS[1])
    with pytest.raises(AttributeError):
        c.coverage = 0.0  # type: ignore[misc]
    d = json.loads(json.dumps(c.to_dict(), allow_nan=False))
    assert set(d) == {"question_type", "policy_area", "coverage", "in_domain", "commitment_probability", "asks_commitment"}
    assert set(d["policy_area"]["probabilities"]) == set(POLICY_AREA_CODES)


def test_shipped_model_labels_are_the_guideline_codes() -> None:
    info = kv.load_model().info
    assert set(info.tasks["question_type"]) == set(QUESTION_TYPE_CODES)
    assert set(info.tasks["policy_area"]) == set(POLICY_AREA_CODES)
    assert kv.load_model() is kv.load_model()  # loaded once, cached


def test_explain_adds_up_to_the_margin() -> None:
    e = kv.explain(QUESTIONS[0], task="question_type", k=1000)
    assert e.label == kv.classify(QUESTIONS[0]).question_type.label
    assert e.label != e.runner_up and e.margin > 0
    assert math.isclose(sum(t.contribution for t in e.terms) + e.intercept, e.margin, rel_tol=1e-4, abs_tol=1e-4)
    top = kv.explain(QUESTIONS[0], task="question_type", k=3).terms
    assert len(top) == 3 and abs(top[0].contribution) >= abs(top[-1].contribution)
    json.dumps(e.to_dict())
    with pytest.raises(kv.InputError):
        kv.explain(QUESTIONS[0], task="no_such_task")


def test_policy_area_explanation_names_topic_terms() -> None:
    e = kv.explain("De wachtlijsten in de jeugdzorg en de ggz", task="policy_area", k=10)
    assert e.label == "zorg_welzijn"
    assert any("jeugdzorg" in t.term or "ggz" in t.term for t in e.terms)


def test_foreign_text_is_out_of_domain() -> None:
    for text in ("Will the minister inform the House about the waiting lists?",
                 "Ist die Regierung bereit, das Parlament zu informieren?",
                 "هل الوزير مستعد لإبلاغ البرلمان؟", ""):
        assert kv.classify(text).in_domain is False


def test_classify_document_on_the_seed() -> None:
    text = (FIXTURES / "documents" / "seed-2025-om-ict.txt").read_text(encoding="utf-8")
    r = kv.classify_document(text)
    assert len(r.questions) == 10
    assert r.addressed_areas == ("justitie_veiligheid",)
    assert r.policy_area is not None and r.policy_area.label == "justitie_veiligheid"
    assert sum(r.type_counts.values()) == 10 and set(r.type_counts) == set(QUESTION_TYPE_CODES)
    assert r.questions[4].classification.question_type.label == "opinion"  # "Deelt u de mening ..."
    assert all(q.classification == kv.classify(q.unit.text) for q in r.questions)
    assert set(r.commitments) == {i + 1 for i, q in enumerate(r.questions)
                                  if q.classification.question_type.label == "commitment"}
    json.dumps(r.to_dict(), allow_nan=False)


def test_custom_model_argument_and_bad_model() -> None:
    m = kv.load_model()
    assert kv.classify(QUESTIONS[2], model=m) == kv.classify(QUESTIONS[2])
    with pytest.raises(kv.InputError):
        kv.classify(QUESTIONS[2], model="models/kvclassify.kvc")  # type: ignore[arg-type]


def test_classify_document_accepts_a_parsed_document() -> None:
    text = (FIXTURES / "documents" / "seed-2025-om-ict.txt").read_text(encoding="utf-8")
    assert kv.classify_document(kv.parse_document(text)).to_dict() == kv.classify_document(text).to_dict()


# -- the commitment flag -------------------------------------------------------------------


def test_commitment_flag_follows_the_question_type_head() -> None:
    c = kv.classify("Bent u bereid de Kamer voor de zomer te informeren?")
    assert c.commitment_probability == c.question_type.probabilities["commitment"]
    assert c.asks_commitment is (c.commitment_probability >= kv.commitment_thresholds()[0])
    low = kv.classify("Hoeveel mensen wachten op een woning?")
    assert low.asks_commitment is False
    assert kv.classify("Hoeveel mensen wachten op een woning?",
                       commitment_threshold=low.commitment_probability / 2).asks_commitment is True


def test_commitment_threshold_comes_from_the_card() -> None:
    model = kv.load_model()
    text = "Hoeveel mensen wachten op een woning?"
    p = kv.classify(text).commitment_probability
    lenient = kv.Model(model.heads, {**model.card, "commitment": {"threshold": p / 2, "strict_threshold": 0.9}})
    assert kv.commitment_thresholds(lenient) == (p / 2, 0.9)
    assert kv.classify(text, model=lenient).asks_commitment is True
    bare = kv.Model(model.heads, {k: v for k, v in model.card.items() if k != "commitment"})
    assert kv.commitment_thresholds(bare) == (0.5, 0.5)  # no card entry: 0.5, and no "possibly" tier


def test_commitment_flag_in_documents_and_many() -> None:
    doc = ("Vragen van het lid Jansen (SP) aan de minister van Defensie over munitie (ingezonden 3 maart 2025).\n\n"
           "1. Kent u het bericht over de tekorten aan munitie?\n\n"
           "2. Bent u bereid de Kamer voor de zomer te informeren over de voorraden?\n")
    r = kv.classify_document(doc)
    assert r.commitments == (2,)
    p1 = r.questions[0].classification.commitment_probability
    assert kv.classify_document(doc, commitment_threshold=p1 / 2).commitments == (1, 2)
    many = kv.classify_many(["Kent u het bericht?"], commitment_threshold=0.0)
    assert many[0].asks_commitment is True


def test_models_without_a_type_head_have_no_flag() -> None:
    model = kv.load_model()
    areas_only = kv.Model({"policy_area": model.heads["policy_area"]}, model.card)
    c = kv.classify("Kent u het bericht?", model=areas_only)
    assert c.commitment_probability is None and c.asks_commitment is None
    assert "asks_commitment" not in c.to_dict()


@pytest.mark.parametrize("bad", [-0.1, 1.5, "0.5", True, float("nan")])
def test_bad_commitment_threshold(bad: object) -> None:
    with pytest.raises(kv.InputError, match="commitment_threshold"):
        kv.classify("Kent u het bericht?", commitment_threshold=bad)  # type: ignore[arg-type]


# -- missing texts (pandas) ----------------------------------------------------------------


def test_classify_many_on_missing_with_a_series() -> None:
    pd = pytest.importorskip("pandas")
    texts = pd.Series(["Kent u het bericht?", None, float("nan"), "Hoeveel boetes?"])
    with pytest.raises(kv.InputError, match=r"2 of 4 texts are missing \(texts\[1\], texts\[2\]\)"):
        kv.classify_many(texts)
    out = kv.classify_many(texts, on_missing="skip")
    assert out[1] is None and out[2] is None
    assert out[3].to_dict() == kv.classify("Hoeveel boetes?").to_dict()  # nothing shifts


# -- explanations --------------------------------------------------------------------------


def test_explain_sums_char_ngrams_into_words_and_lists_positive_terms_first() -> None:
    text = "Bent u bereid een onderzoek te starten naar de wachtlijsten?"
    e = kv.explain(text, task="policy_area", k=10_000)
    assert not any(t.term.startswith("'") for t in e.terms)  # no bare character n-grams
    assert "wachtlijsten" in {t.term for t in e.terms}
    assert sum(t.contribution for t in e.terms) + e.intercept == pytest.approx(e.margin, abs=1e-3)
    signs = [t.contribution > 0 for t in kv.explain(text, task="policy_area", k=8).terms]
    assert signs == sorted(signs, reverse=True) and True in signs and False in signs
    shown = str(kv.explain(text, task="question_type", k=3))
    assert shown.startswith("question_type: commitment rather than ") and len(shown.splitlines()) == 5


@pytest.mark.parametrize("texts, says", [({"Hoeveel?": 1}, "iterates over its keys"), ({"Hoeveel?"}, "in order"),
                                         (frozenset({"a", "b"}), "in order")])
def test_classify_many_refuses_what_does_not_iterate_as_its_texts(texts: object, says: str) -> None:
    with pytest.raises(kv.InputError, match=says):
        kv.classify_many(texts)  # type: ignore[arg-type]


def test_classify_many_refuses_a_dataframe_and_takes_its_column() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"text": ["Hoeveel boetes zijn er uitgedeeld?", "Bent u bereid de Kamer te informeren?"]})
    with pytest.raises(kv.InputError, match=r"df\['text'\]"):
        kv.classify_many(df)  # iterating a DataFrame gives its column names, not its texts
    assert [c.question_type.label for c in kv.classify_many(df["text"])] == ["factual", "commitment"]


def test_a_card_threshold_of_zero_is_a_threshold() -> None:
    model = kv.load_model()
    zero = model.with_card({**model.card, "commitment": {**model.card["commitment"], "threshold": 0.0,
                                                         "strict_threshold": 0.0}})
    assert kv.commitment_thresholds(zero) == (0.0, 0.0)  # not the 0.5 of a card without one
    assert kv.classify("Hoeveel boetes zijn er uitgedeeld?", model=zero).asks_commitment is True


def test_a_commitment_threshold_needs_a_model_with_the_flag() -> None:
    rows = [{"text": t, "y": y} for t, y in [("Bent u bereid?", "a"), ("Wilt u dit doen?", "a"),
                                             ("Hoeveel?", "b"), ("Wat is de stand?", "b")]]
    model = kv.train(rows, label_fields="y", config=kv.TrainConfig(validation="none", min_examples=1))
    calls = [lambda: kv.classify("Hoeveel?", model=model, commitment_threshold=0.3),
             lambda: kv.classify_many(["Hoeveel?"], model=model, commitment_threshold=0.3),
             lambda: kv.classify_document("1. Hoeveel?", model=model, commitment_threshold=0.3),
             lambda: kv.batch_classifier(model, commitment_threshold=0.3),
             lambda: kv.commitment_thresholds(model, 0.3)]
    for call in calls:
        with pytest.raises(kv.InputError, match="sets no commitment flag"):
            call()
    assert kv.classify("Hoeveel?", model=model)["y"].label in ("a", "b")  # without one it classifies


@pytest.mark.parametrize("threshold", [np.float32(0.3), np.float64(0.3), 0.3, 1])
def test_a_commitment_threshold_may_be_any_real_number(threshold: object) -> None:
    assert kv.commitment_thresholds(threshold=threshold)[0] == pytest.approx(0.3 if threshold != 1 else 1.0)
