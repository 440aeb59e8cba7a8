"""Every way of addressing the government: the rewrite rules, and heads that read all forms as one."""

from __future__ import annotations

import numpy as np
import pytest

import kvclassify as kv
from kvclassify.addressee import THIRD_PERSON_SUBJECTS, canonical_addressee, third_person
from kvclassify.errors import InputError
from kvclassify.features import FeatureConfig, Featurizer


@pytest.mark.parametrize(
    ("text", "subject", "expected"),
    [
        ("Bent u bereid dit te doen?", "de minister", "Is de minister bereid dit te doen?"),
        ("Kunt u aangeven hoeveel?", "het kabinet", "Kan het kabinet aangeven hoeveel?"),
        ("Wilt u de Kamer informeren?", "de regering", "Wil de regering de Kamer informeren?"),
        ("Deelt u de mening dat dit moet?", "de staatssecretaris", "Deelt de staatssecretaris de mening dat dit moet?"),
        ("Zult u dat doen?", "de minister", "Zal de minister dat doen?"),
        ("Hebt u uw oordeel klaar?", "de staatssecretaris", "Heeft de staatssecretaris haar oordeel klaar?"),
        ("Ben u bekend met het bericht?", "het kabinet", "Is het kabinet bekend met het bericht?"),
        ("Waarom kunt u dat niet? Kent u zichzelf?", "de minister", "Waarom kan de minister dat niet? Kent de minister zichzelf?"),
        ("Is het onderzoek naar uzelf klaar?", "de minister", "Is het onderzoek naar zichzelf klaar?"),
        ("Hoeveel ben ik kwijt aan uur en uren?", "de minister", "Hoeveel ben ik kwijt aan uur en uren?"),
    ],
)
def test_third_person_agrees_the_verb(text: str, subject: str, expected: str) -> None:
    assert third_person(text, subject) == expected


def test_third_person_names_the_subjects_it_knows() -> None:
    with pytest.raises(InputError, match="subject must be one of"):
        third_person("Bent u bereid?", "de burgemeester")


@pytest.mark.parametrize("subject", list(THIRD_PERSON_SUBJECTS))
def test_every_form_reads_as_one(subject: str) -> None:
    text = "Bent u bereid uw besluit te heroverwegen en kunt u de Kamer informeren?"
    assert canonical_addressee(third_person(text, subject)) == canonical_addressee(text)


def test_third_person_is_linear_in_the_text() -> None:
    import time

    start = time.perf_counter()
    third_person("u " * 200_000 + "bent" * 50_000)
    assert time.perf_counter() - start < 2.0


def test_a_canonical_featurizer_gives_both_forms_the_same_row() -> None:
    texts = ["Bent u bereid dit te onderzoeken?", "Hoeveel mensen wachten?", "Is het kabinet bereid te helpen?"]
    plain = Featurizer.fit(texts, FeatureConfig(char_ngrams=None, min_df=1, clause_start=3))
    canonical = Featurizer.fit(texts, FeatureConfig(char_ngrams=None, min_df=1, clause_start=3, canonical_addressee=True))
    a, b = "Bent u bereid te helpen?", "Is de regering bereid te helpen?"
    assert (canonical.transform([a]) != canonical.transform([b])).nnz == 0
    assert (plain.transform([a]) != plain.transform([b])).nnz > 0


def test_old_configs_read_as_written() -> None:
    d = FeatureConfig().to_dict()
    del d["canonical_addressee"]  # a model file written before the option
    assert FeatureConfig.from_dict(d).canonical_addressee is False


def test_a_model_reads_the_address_per_head() -> None:
    rows = [{"text": t, "flag": f, "area": a} for t, f, a in [
        ("Bent u bereid de zorg te verbeteren?", "yes", "zorg"), ("Wilt u de Kamer over de zorg informeren?", "yes", "zorg"),
        ("Gaat u de wegen verbreden?", "yes", "wegen"), ("Hoeveel wegen zijn er?", "no", "wegen"),
        ("Wat kost de zorg?", "no", "zorg"), ("Klopt het dat de wegen slecht zijn?", "no", "wegen")]]
    canonical = kv.HeadConfig(features=FeatureConfig(char_ngrams=None, min_df=1, clause_start=2, canonical_addressee=True))
    config = kv.TrainConfig(validation="none", heads={"flag": canonical, "area": kv.HeadConfig(features=FeatureConfig(min_df=1))})
    m = kv.train(rows, label_fields=("flag", "area"), config=config)
    texts = ["Bent u bereid de wegen te herstellen?", "Is het kabinet bereid de wegen te herstellen?"]
    p = m.predict_proba(texts, "flag")
    assert np.allclose(p[0], p[1])
    batch = kv.classify_many(texts, model=m)
    assert [r["flag"].probabilities for r in batch] == [kv.classify(t, model=m)["flag"].probabilities for t in texts]
    assert not np.allclose(m.predict_proba(texts, "area")[0], m.predict_proba(texts, "area")[1])


def test_the_batch_reads_every_clause_as_the_reference_rules() -> None:
    import random

    from kvclassify.addressee import CANONICAL_PAIRS, CANONICAL_WORDS, canonical_words
    from kvclassify.tokens import clauses, tokenize_batch

    rng = random.Random(3)
    vocabulary = [*CANONICAL_WORDS, *(w for pair in CANONICAL_PAIRS for w in pair), "is", "minister", "x", "2024"]
    texts = [
        " ".join(rng.choice([*vocabulary, "?", "\n\n", ",", "U", "Het  Kabinet"]) for _ in range(rng.randint(0, 14)))
        for _ in range(3000)
    ]
    batch = tokenize_batch(texts, canonical=True).clauses()
    assert batch == [[canonical_words(c) for c in clauses(t)] for t in texts]


def test_no_pair_can_overlap_the_next() -> None:
    from kvclassify.addressee import CANONICAL_PAIRS

    # A pair is read at its first word: no second word may start another pair, or the reading would depend on order.
    assert not {b for _, b in CANONICAL_PAIRS} & {a for a, _ in CANONICAL_PAIRS}


def test_the_text_rewrite_and_the_token_reading_agree() -> None:
    from kvclassify.tokens import clauses

    for text in ("Bent u bereid uw besluit te heroverwegen?", "Ben u bekend met het  kabinet en haar plan?",
                 "Kan de Regering, of de staatssecretaris, uzelf informeren?"):
        assert clauses(canonical_addressee(text)) == clauses(text, canonical=True)
