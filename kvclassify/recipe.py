"""The recipe of the shipped model: which data, which weights, which settings.

``kvclassify build-model --data-dir ../shared/data --out models/kvclassify.kvc``
rebuilds ``models/kvclassify.kvc`` and its card from the train splits, and
scores it on the dev splits. The settings below were chosen by measurement
on the dev splits and cross-validation on train (see the model card).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .data import read_records
from .errors import DataError
from .evaluation import evaluate_records
from .features import FeatureConfig
from .labels import TYPE_PRECEDENCE
from .persist import atomic_write_bytes, file_sha256, save_model
from .train import HeadConfig, TrainConfig, train

__all__ = [
    "SHIPPED_CONFIG",
    "QUESTION_UNIT_AREA_WEIGHT",
    "THIRD_PERSON_SUBJECTS",
    "shipped_records",
    "build_shipped",
    "third_person",
]

#: Weight of a question unit against a subject line in the area head (3 measured no better than 1).
QUESTION_UNIT_AREA_WEIGHT = 1.0

SHIPPED_CONFIG = TrainConfig(
    heads={
        "question_type": HeadConfig(
            features=FeatureConfig(word_ngrams=(1, 3), char_ngrams=None, clause_start=2, min_df=2),
            C=10.0,
            class_weight="balanced",
            precedence=TYPE_PRECEDENCE,
        ),
        "policy_area": HeadConfig(
            features=FeatureConfig(word_ngrams=(1, 2), char_ngrams=(4, 5), min_df=2),
            C=10.0,
            class_weight="balanced",
        ),
    },
    # The held-out fifth of train scores each head and fits its temperature; the model is then refitted on all.
    validation="holdout",
    test_size=0.2,
    conflicts="keep",
)

#: The third-person ways of addressing the government, each with the possessive that replaces "uw".
THIRD_PERSON_SUBJECTS: dict[str, str] = {
    "de minister": "zijn",
    "de staatssecretaris": "haar",
    "het kabinet": "zijn",
    "de regering": "haar",
}
# The formal second-person forms that differ from the third person; every other verb ("deelt u") is the same.
_SECOND_PERSON_VERBS = {"bent": "is", "kunt": "kan", "wilt": "wil", "zult": "zal", "hebt": "heeft"}
# "ben u" (a common slip for "bent u") only with its "u": "ben ik" is first person.
_ADDRESS = re.compile(r"\b(?:(ben)\s+u|(bent|kunt|wilt|zult|hebt)|(uzelf|uw|u))\b", re.IGNORECASE)


def third_person(text: str, subject: str = "de minister") -> str:
    """Rewrite a question that addresses the government as "u" into the third person.

    The verb agrees with the new subject ("Bent u bereid" becomes "Is de
    minister bereid", "Kunt u" "Kan de minister"), "uw" becomes the subject's
    possessive and "uzelf" "zichzelf"; a capital stays a capital. Used to
    train the question-type head on both forms (labels unchanged).

    Parameters
    ----------
    text : the question.
    subject : one of :data:`THIRD_PERSON_SUBJECTS`.

    Examples
    --------
    >>> third_person("Bent u bereid uw besluit te heroverwegen? Zo nee, waarom kunt u dat niet?")
    'Is de minister bereid zijn besluit te heroverwegen? Zo nee, waarom kan de minister dat niet?'
    >>> third_person("Wilt u de Kamer informeren?", "het kabinet")
    'Wil het kabinet de Kamer informeren?'
    """
    if subject not in THIRD_PERSON_SUBJECTS:
        raise ValueError(f"subject must be one of {sorted(THIRD_PERSON_SUBJECTS)}, got {subject!r}")
    replacements = {"u": subject, "uw": THIRD_PERSON_SUBJECTS[subject], "uzelf": "zichzelf", **_SECOND_PERSON_VERBS}

    def rewrite(m: re.Match[str]) -> str:
        if m.group(1):
            return _like(m.group(1), "is") + " " + subject
        word = m.group(2) or m.group(3)
        return _like(word, replacements[word.lower()])

    return _ADDRESS.sub(rewrite, text)


def _like(original: str, new: str) -> str:
    """``new`` with the capital of ``original``."""
    return new[:1].upper() + new[1:] if original[:1].isupper() else new


_FILES = {
    "subjects": "subjects/{split}.jsonl",
    "questions": "questions/{split}.jsonl",
}


def shipped_records(data_dir: str | os.PathLike[str], split: str = "train") -> list[dict[str, Any]]:
    """Training records of both heads from the shared data's ``split``.

    Subject lines carry only an area: their single ``policy_area`` or, for
    sets addressed to several portfolios, the list ``policy_areas`` (a soft
    label). Question units carry the set of types they ask for and (mostly)
    an area.
    """
    root = Path(data_dir)
    records: list[dict[str, Any]] = []
    for rec in read_records(root / _FILES["subjects"].format(split=split)):
        area = rec.get("policy_area") or rec.get("policy_areas") or None
        records.append(
            {"text": rec["text"], "question_type": None, "policy_area": area, "area_weight": 1.0, "doc_id": None}
        )
    for rec in read_records(root / _FILES["questions"].format(split=split)):
        records.append(
            {
                "text": rec["text"],
                # Every type the unit asks for: the head learns each "asks for" separately.
                "question_type": rec.get("question_types") or rec["question_type"],
                "policy_area": rec.get("policy_area"),
                "area_weight": QUESTION_UNIT_AREA_WEIGHT,
                "doc_id": rec.get("doc_id"),
            }
        )
    return records


def _dev_metrics(model: Any, root: Path) -> dict[str, Any]:
    subjects = read_records(root / _FILES["subjects"].format(split="dev"))
    questions = read_records(root / _FILES["questions"].format(split="dev"))
    return {
        "question_type (questions/dev.jsonl)": evaluate_records(model, questions, "question_type").to_dict(),
        "policy_area (subjects/dev.jsonl)": evaluate_records(model, subjects, "policy_area").to_dict(),
        "policy_area (questions/dev.jsonl)": evaluate_records(model, questions, "policy_area").to_dict(),
    }


def build_shipped(
    data_dir: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Train the shipped model, score it on dev, save it and its card; return the card."""
    root = Path(data_dir)
    if not (root / "subjects").is_dir() or not (root / "questions").is_dir():
        raise DataError(f"{root} does not look like the shared data folder (no subjects/ and questions/)")
    files = {
        f"{kind}/{split}.jsonl": file_sha256(root / pattern.format(split=split))
        for kind, pattern in _FILES.items()
        for split in ("train", "dev")
    }
    model = train(
        shipped_records(root, "train"),
        label_fields=("question_type", "policy_area"),
        config=SHIPPED_CONFIG,
        weight_fields={"policy_area": "area_weight"},
        group_field="doc_id",  # the questions of one document stay on one side of the hold-out split
        random_state=0,
        progress=progress,
        card={
            "name": "kvclassify",
            "version": "2026.11",
            "command": f"kvclassify build-model --data-dir {data_dir} --out {out}",
            "data_files": files,
            "splits": {
                "train": "subjects/train.jsonl (2007-2022) + questions/train.jsonl",
                "dev": "subjects/dev.jsonl (2023) + questions/dev.jsonl (scored below, never fitted)",
            },
            "weights": {"question units in the policy_area head": QUESTION_UNIT_AREA_WEIGHT},
        },
    )
    if progress:
        progress("scoring on the dev splits")
    model = model.with_card({"metrics": {**model.card["metrics"], "dev": _dev_metrics(model, root)}})
    digest = save_model(model, out)
    card = {**model.card, "sha256": digest, "file": Path(out).name, "size_bytes": Path(out).stat().st_size}
    card_path = Path(out).with_suffix(".card.json")
    atomic_write_bytes(card_path, (json.dumps(card, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode())
    if progress:
        progress(f"wrote {out} and {card_path}")
    return card

