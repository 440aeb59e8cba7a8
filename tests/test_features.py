"""The vectorised featurizer equals its string reference, term for term."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest

import kvclassify as kv
from kvclassify.feature_kinds import FEATURE_KINDS, kind_of
from kvclassify.features import FeatureConfig, Featurizer
from kvclassify.tokens import clauses, tokenize_batch

TEXTS = [
    "Bent u bereid de Kamer te informeren? Zo ja, wanneer? Zo nee, waarom niet?",
    "Deelt u de mening dat de wachtlijsten in de jeugdzorg onacceptabel zijn?",
    "Hoeveel asielzoekers verbleven in 2023 in het aanmeldcentrum Ter Apel?",
    "Wat vindt u van het bericht ‘Boeren boos over stikstofregels’?1)",
    "Klopt het dat de NS-treinen vaker uitvallen;  kunt u dit toelichten:\n\nen waarom",
    "",
    "   ",
    "?!.;:",
    "Hoe kijkt u aan tegen het verwijt van de indieners van de brandbrief?",
    "ICT-\nproblemen bij het OM, de politie en de rechtspraak.",
]
CONFIGS = [
    FeatureConfig(word_ngrams=(1, 3), char_ngrams=None, clause_start=4, min_df=1),
    FeatureConfig(word_ngrams=(1, 2), char_ngrams=(3, 5), min_df=1),
    FeatureConfig(word_ngrams=(2, 3), char_ngrams=(2, 4), clause_start=2, min_df=1, sublinear_tf=False),
    FeatureConfig(word_ngrams=None, char_ngrams=(3, 3), min_df=1),
]


def reference(f: Featurizer, texts: list[str]) -> np.ndarray:
    """TF-IDF rows computed term by term from ``Featurizer.terms``."""
    index = {t: i for i, t in enumerate(f.vocabulary)}
    out = np.zeros((len(texts), f.n_features))
    for r, text in enumerate(texts):
        for term, n in Counter(t for t in f.terms(text) if t in index).items():
            tf = 1 + np.log(n) if f.config.sublinear_tf else n
            out[r, index[term]] = tf * f.idf[index[term]]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: str(c.to_dict()))
def test_transform_equals_reference(config: FeatureConfig) -> None:
    f = Featurizer.fit(TEXTS[:5] + TEXTS[8:], config)
    unseen = ["Bent u bereid om de jeugdzorg te verbeteren?", "Hoeveel treinen vielen uit?", "x"]
    for texts in (TEXTS, unseen, TEXTS + unseen):
        np.testing.assert_allclose(f.transform(texts).toarray(), reference(f, texts), atol=1e-6)


def test_batch_rows_are_independent() -> None:
    f = Featurizer.fit(TEXTS, CONFIGS[1])
    whole = f.transform(TEXTS).toarray()
    one_by_one = np.vstack([f.transform([t]).toarray() for t in TEXTS])
    np.testing.assert_array_equal(whole, one_by_one)


def test_clause_start_terms() -> None:
    f = Featurizer.fit(["Bent u bereid? Zo ja, wanneer?"], CONFIGS[0])
    assert "^ bent u bereid" in f.vocabulary and "^ zo ja" in f.vocabulary
    assert "bereid zo" not in f.vocabulary  # n-grams stay inside a clause


def test_tokenize_batch_marks_clauses_and_rows() -> None:
    b = tokenize_batch(["Klopt dit? Zo ja", "", "Wat\ue000vindt u"])
    stream = [(b.unique[i], int(r)) for i, r in zip(b.inv, b.row)]
    assert stream == [("^", 0), ("klopt", 0), ("dit", 0), ("^", 0), ("zo", 0), ("ja", 0),
                      ("^", 2), ("wat", 2), ("vindt", 2), ("u", 2)]
    assert b.n_texts == 3


def test_folding_and_clauses() -> None:
    assert clauses("Ter Apel 2023, COVID19 en ²") == [["ter", "apel", "0", "covid0", "en", "0"]]
    # Tokens that fold to one ("2023", "2024") are one token of the batch.
    b = tokenize_batch(["in 2023 en 2024"])
    assert [b.unique[i] for i in b.inv] == ["^", "in", "0", "en", "0"] and len(set(b.unique)) == len(b.unique)
    assert clauses("Klopt dit? Zo ja, waarom?") == [["klopt", "dit"], ["zo", "ja", "waarom"]]


@pytest.mark.parametrize(("settings", "message"), [
    ({"word_ngrams": None, "char_ngrams": None}, "extracts nothing"),
    ({"word_ngrams": (3, 1)}, "1 <= min_n <= max_n"),
    ({"word_ngrams": (0, 2)}, "1 <= min_n <= max_n"),
    ({"char_ngrams": (3, 10**6)}, "max_n <= 20"),
    ({"word_ngrams": (1, True)}, "two integers"),
    ({"word_ngrams": (1.5, 2)}, "two integers"),
    ({"char_ngrams": (1, 2, 3)}, "two integers"),
    ({"char_ngrams": "35"}, "two integers"),
    ({"min_df": True}, "min_df must be an integer"),
    ({"min_df": 0}, "min_df must be an integer at least 1"),
    ({"min_df": "2"}, "min_df must be an integer"),
    ({"clause_start": -1}, "clause_start must be an integer between 0"),
    ({"max_features": 0}, "max_features must be an integer at least 1 or None"),
    ({"max_features": 2.5}, "max_features"),
    ({"sublinear_tf": 1}, "sublinear_tf must be True or False"),
])
def test_config_validation_names_the_field(settings: dict, message: str) -> None:
    with pytest.raises(kv.InputError, match=re.escape(message)):
        FeatureConfig(**settings)


def test_config_ranges_and_round_trip() -> None:
    assert FeatureConfig(word_ngrams=[1, 3], char_ngrams=(np.int64(2), 4)).to_dict()["char_ngrams"] == [2, 4]
    assert FeatureConfig.from_dict(CONFIGS[2].to_dict()) == CONFIGS[2]


def test_feature_kinds_are_keyed_and_own_their_terms() -> None:
    f = Featurizer.fit(TEXTS, CONFIGS[1])
    assert list(f.kinds) == list(FEATURE_KINDS)
    for i, term in enumerate(f.vocabulary):
        kind = f.kinds[kind_of(term)]
        assert term in kind.terms(clauses(term if kind_of(term) == "words" else term[1:].strip()))
        assert f.readable(i) == FEATURE_KINDS[kind_of(term)].readable(term)
    assert f.readable(f.vocabulary.index("# bent")).startswith("'_")


def test_a_vocabulary_without_a_kind_builds_its_empty_index() -> None:
    f = Featurizer.fit(TEXTS, CONFIGS[0])  # no char n-grams
    assert not f.kinds["chars"].active and f.kinds["words"].active
    np.testing.assert_allclose(f.transform(TEXTS).toarray(), reference(f, TEXTS), atol=1e-6)


def test_a_vocabulary_of_lines_is_split_only_when_read() -> None:
    from kvclassify.features import TermLines

    fitted = Featurizer.fit(["Bent u bereid?", "Wat vindt u?"], FeatureConfig(char_ngrams=None, min_df=1))
    lines = TermLines("\n".join(fitted.vocabulary))
    f = Featurizer(fitted.config, lines, fitted.idf, {name: k.index for name, k in fitted.kinds.items()})
    assert f.n_features == len(fitted.vocabulary) and isinstance(f._terms, TermLines)  # loading did not split
    batch = tokenize_batch(["Wat vindt u?"])
    assert f.rows(batch).indices.tolist() == fitted.rows(batch).indices.tolist()
    assert f.vocabulary == fitted.vocabulary and len(TermLines("")) == 0
