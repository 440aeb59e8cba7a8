"""Metamorphic: a question keeps its type when it addresses the government in the third person."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kvclassify as kv
from kvclassify.addressee import third_person
from kvclassify.recipe import SHIPPED_CONFIG

SUBJECTS = ("de minister", "het kabinet")
MIN_KEPT = 0.97  # of the units that contain a form of "u"


def units(data: Path, split: str) -> list[dict]:
    return [json.loads(line) for line in (data / "questions" / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()]


def kept(model: kv.Model, texts: list[str]) -> dict[str, float]:
    """Per subject: the share of the rewritten texts whose predicted type is that of the original."""
    changed = [t for t in texts if third_person(t) != t]
    before = [r.question_type.label for r in kv.classify_many(changed, model=model)]
    out = {}
    for s in SUBJECTS:
        after = [r.question_type.label for r in kv.classify_many([third_person(t, s) for t in changed], model=model)]
        out[s] = sum(a == b for a, b in zip(before, after)) / len(changed)
    return out


@pytest.fixture(scope="module")
def recipe_type_model(shared_data: Path) -> kv.Model:
    """The shipped recipe's type head, trained on the train units only."""
    rows = [{"text": u["text"], "question_type": u["question_types"]} for u in units(shared_data, "train")]
    config = kv.TrainConfig(validation="none", heads={"question_type": SHIPPED_CONFIG.for_task("question_type")})
    return kv.train(rows, label_fields="question_type", config=config)


def test_the_recipe_keeps_the_type_of_unseen_units_in_the_third_person(recipe_type_model: kv.Model, shared_data: Path) -> None:
    rates = kept(recipe_type_model, [u["text"] for u in units(shared_data, "dev")])
    assert min(rates.values()) >= MIN_KEPT, rates


def test_without_the_canonical_reading_the_third_person_loses_types(shared_data: Path) -> None:
    """The guarantee above is the recipe's doing: the same head reading the text as written keeps far fewer."""
    import dataclasses

    head = SHIPPED_CONFIG.for_task("question_type")
    plain = dataclasses.replace(head, features=dataclasses.replace(head.features, canonical_addressee=False))
    rows = [{"text": u["text"], "question_type": u["question_types"]} for u in units(shared_data, "train")]
    m = kv.train(rows, label_fields="question_type", config=kv.TrainConfig(validation="none", heads={"question_type": plain}))
    rates = kept(m, [u["text"] for u in units(shared_data, "dev")])
    assert min(rates.values()) < MIN_KEPT, rates


def test_the_shipped_model_keeps_the_type_of_every_public_unit(shared_data: Path) -> None:
    model = kv.load_model()
    if not model.head("question_type").featurizer.config.canonical_addressee:
        pytest.skip("the shipped model predates the canonical addressee reading; rebuild it with build-model")
    rates = kept(model, [u["text"] for split in ("train", "dev") for u in units(shared_data, split)])
    assert min(rates.values()) >= MIN_KEPT, rates
