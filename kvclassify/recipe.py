"""The recipe of the shipped model: which data, which weights, which settings.

``kvclassify build-model --data-dir ../shared/data --out models/kvclassify.kvc``
rebuilds ``models/kvclassify.kvc`` and its card from **all** public data (the
train and dev splits): a model is used on the year after its newest data.
The settings were chosen by a rolling-origin evaluation (for Y = 2020..2023:
train on the years before Y, score Y; ``python -m benchmarks --tasks
rolling``), whose figures the card carries as the honest estimate
(:data:`ROLLING_ESTIMATE`); no score of this model on data it was fitted on
is reported as accuracy.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .data import read_records
from .errors import DataError
from .features import FeatureConfig
from .labels import TYPE_PRECEDENCE
from .persist import file_sha256, save_model
from .training import HeadConfig, TrainConfig, train
from .writing import atomic_write_bytes

__all__ = [
    "SHIPPED_CONFIG",
    "QUESTION_UNIT_AREA_WEIGHT",
    "AREA_HALF_LIFE",
    "ROLLING_ESTIMATE",
    "shipped_records",
    "build_shipped",
]

#: Weight of a question unit against a subject line in the area head.
QUESTION_UNIT_AREA_WEIGHT = 1.0
#: Half-life in years of a subject line's weight in the area head (None: every year weighs the same).
AREA_HALF_LIFE: float | None = 6.0

SHIPPED_CONFIG = TrainConfig(
    heads={
        "question_type": HeadConfig(
            features=FeatureConfig(
                word_ngrams=(1, 3), char_ngrams=None, clause_start=5, min_df=2, canonical_addressee=True
            ),
            solver="svc",
            C=1.0,
            class_weight="balanced",
            precedence=TYPE_PRECEDENCE,
        ),
        "policy_area": HeadConfig(
            features=FeatureConfig(word_ngrams=(1, 2), char_ngrams=(5, 5), min_df=2),
            solver="svc",
            C=0.3,
            class_weight="balanced",
        ),
    },
    # Out-of-fold scores fit each head's temperature and the commitment thresholds; the model is then refitted on all.
    validation="cv",
    folds=5,
    conflicts="keep",
    n_jobs=2,
)

#: The rolling-origin figures of this recipe (macro-F1), from ``benchmarks/results/rolling/rolling.json``.
ROLLING_ESTIMATE: dict[str, Any] = {
    "method": "rolling origin: for Y = 2020..2023 trained on the subject lines of the years before Y, scored on Y "
    "(macro-F1); question units by 5-fold CV grouped by document; question type also on a forward split "
    "(trained on units of documents before 2024 or of unknown year, scored on 2024+ documents)",
    "command": "python -m benchmarks --tasks rolling",
    "policy_area": {
        "subject lines, addressee label": {
            "mean": 0.6164, "sd": 0.0237, "by_year": {"2020": 0.5903, "2021": 0.6123, "2022": 0.6154, "2023": 0.6477},
        },
        "subject lines, content label": {
            "mean": 0.636, "sd": 0.0441, "by_year": {"2020": 0.6565, "2021": 0.6061, "2022": 0.5935, "2023": 0.688},
        },
        "question units": 0.6024,
        "ece (temperature fitted out of year)": 0.064,
    },
    "question_type": {
        "cv": 0.8751,
        "forward": 0.8504,
        "third person (held-out units rewritten)": 0.8862,
        "type kept under the rewrite": 1.0,
    },
}

_FILES = {
    "subjects": "subjects/{split}.jsonl",
    "questions": "questions/{split}.jsonl",
}


def _content_labels(root: Path) -> dict[str, str | None]:
    """The content area of every subject line of the content sample, by id (None: no recognisable topic)."""
    return {r["id"]: r.get("policy_area") for r in read_records(root / "subjects" / "content.jsonl")}


def shipped_records(
    data_dir: str | os.PathLike[str], split: str | Sequence[str] = ("train", "dev")
) -> list[dict[str, Any]]:
    """Training records of both heads from the shared data's ``split`` (one name or several).

    Subject lines carry only an area: their content label where the line is
    in ``subjects/content.jsonl`` (instead of, not besides, the addressee's),
    else their single ``policy_area`` or, for sets addressed to several
    portfolios, the list ``policy_areas`` (a soft label). With
    :data:`AREA_HALF_LIFE` a line weighs ``0.5 ** (age / half-life)``, its
    age counted in years from the newest line. Question units carry the set
    of types they ask for and (mostly) an area.
    """
    root = Path(data_dir)
    splits = [split] if isinstance(split, str) else list(split)
    content = _content_labels(root)
    subjects = [rec for s in splits for rec in read_records(root / _FILES["subjects"].format(split=s))]
    newest = max((int(rec["date"][:4]) for rec in subjects), default=0)
    records: list[dict[str, Any]] = []
    for rec in subjects:
        area = content[rec["id"]] if rec["id"] in content else rec.get("policy_area") or rec.get("policy_areas")
        age = newest - int(rec["date"][:4])
        weight = 0.5 ** (age / AREA_HALF_LIFE) if AREA_HALF_LIFE else 1.0
        records.append(
            {"text": rec["text"], "question_type": None, "policy_area": area or None, "area_weight": weight,
             "doc_id": None}
        )
    for s in splits:
        for rec in read_records(root / _FILES["questions"].format(split=s)):
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


def build_shipped(
    data_dir: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Train the shipped model on all public data, save it and its card; return the card."""
    root = Path(data_dir)
    if not (root / "subjects").is_dir() or not (root / "questions").is_dir():
        raise DataError(f"{root} does not look like the shared data folder (no subjects/ and questions/)")
    files = {
        f"{kind}/{split}.jsonl": file_sha256(root / pattern.format(split=split))
        for kind, pattern in _FILES.items()
        for split in ("train", "dev")
    }
    files["subjects/content.jsonl"] = file_sha256(root / "subjects" / "content.jsonl")
    model = train(
        shipped_records(root),
        label_fields=("question_type", "policy_area"),
        config=SHIPPED_CONFIG,
        weight_fields={"policy_area": "area_weight"},
        group_field="doc_id",  # the questions of one document stay in one validation fold
        random_state=0,
        progress=progress,
        card={
            "name": "kvclassify",
            "version": "2026.12",
            "command": f"kvclassify build-model --data-dir {data_dir} --out {out}",
            "data_files": files,
            "splits": {
                "train": "all public data: subjects/train.jsonl + dev.jsonl (2007-2023, content labels from "
                "subjects/content.jsonl where coded) + questions/train.jsonl + dev.jsonl",
                "dev": "none: the dev splits are trained on; the honest estimate is the rolling-origin one",
            },
            "estimate": ROLLING_ESTIMATE,
            "weights": {
                "question units in the policy_area head": QUESTION_UNIT_AREA_WEIGHT,
                "subject-line half-life in years": AREA_HALF_LIFE,
            },
        },
    )
    digest = save_model(model, out)
    card = {**model.card, "sha256": digest, "file": Path(out).name, "size_bytes": Path(out).stat().st_size}
    card_path = Path(out).with_suffix(".card.json")
    atomic_write_bytes(card_path, (json.dumps(card, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode())
    if progress:
        progress(f"wrote {out} and {card_path}")
    return card

