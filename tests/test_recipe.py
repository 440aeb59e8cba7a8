"""The shipped recipe: all public data, content labels, recency weights, the card's honest estimate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kvclassify.recipe as recipe
from kvclassify.recipe import ROLLING_ESTIMATE, SHIPPED_CONFIG, shipped_records

ROLLING_JSON = Path(__file__).resolve().parents[1] / "benchmarks" / "results" / "rolling" / "rolling.json"


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    """A miniature of the shared data's layout."""
    write_jsonl(tmp_path / "subjects" / "train.jsonl", [
        {"id": "2019Z1", "date": "2019-03-01", "text": "Het bericht over de zorg", "policy_area": "zorg_welzijn",
         "policy_areas": ["zorg_welzijn"]},
        {"id": "2020Z2", "date": "2020-05-01", "text": "De staatssecretaris en de asielopvang in gevangenissen",
         "policy_area": "justitie_veiligheid", "policy_areas": ["justitie_veiligheid"]},
        {"id": "2021Z3", "date": "2021-05-01", "text": "Schoolgebouwen en sportvelden", "policy_area": None,
         "policy_areas": ["onderwijs_cultuur", "zorg_welzijn"]},
    ])
    write_jsonl(tmp_path / "subjects" / "dev.jsonl", [
        {"id": "2023Z4", "date": "2023-01-09", "text": "Windmolens op zee", "policy_area": "klimaat_energie",
         "policy_areas": ["klimaat_energie"]},
    ])
    write_jsonl(tmp_path / "subjects" / "content.jsonl", [
        {"id": "2020Z2", "date": "2020-05-01", "text": "...", "policy_area": "asiel_migratie"},
        {"id": "2023Z4", "date": "2023-01-09", "text": "...", "policy_area": None},
    ])
    write_jsonl(tmp_path / "questions" / "train.jsonl", [
        {"id": "q1", "text": "Bent u bereid dit te onderzoeken?", "question_type": "commitment",
         "question_types": ["commitment", "factual"], "policy_area": "zorg_welzijn", "doc_id": "2024Z1"},
    ])
    write_jsonl(tmp_path / "questions" / "dev.jsonl", [
        {"id": "q2", "text": "Hoeveel kost dit?", "question_type": "factual", "question_types": ["factual"],
         "policy_area": None, "doc_id": None},
    ])
    return tmp_path


def by_text(records: list[dict]) -> dict[str, dict]:
    return {r["text"]: r for r in records}


def test_records_come_from_train_and_dev(data_dir: Path) -> None:
    texts = set(by_text(shipped_records(data_dir)))
    assert {"Windmolens op zee", "Hoeveel kost dit?", "Het bericht over de zorg"} <= texts
    assert "Windmolens op zee" not in by_text(shipped_records(data_dir, "train"))


def test_a_content_label_replaces_the_addressee_label(data_dir: Path) -> None:
    rows = by_text(shipped_records(data_dir))
    assert rows["De staatssecretaris en de asielopvang in gevangenissen"]["policy_area"] == "asiel_migratie"
    assert rows["Windmolens op zee"]["policy_area"] is None  # coded as having no recognisable topic
    assert rows["Schoolgebouwen en sportvelden"]["policy_area"] == ["onderwijs_cultuur", "zorg_welzijn"]
    assert rows["Bent u bereid dit te onderzoeken?"]["question_type"] == ["commitment", "factual"]


def test_recency_weights_halve_per_half_life(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recipe, "AREA_HALF_LIFE", 2.0)
    rows = by_text(shipped_records(data_dir))
    assert rows["Windmolens op zee"]["area_weight"] == 1.0
    assert rows["Schoolgebouwen en sportvelden"]["area_weight"] == pytest.approx(0.5)
    assert rows["Het bericht over de zorg"]["area_weight"] == pytest.approx(0.25)
    assert rows["Hoeveel kost dit?"]["area_weight"] == recipe.QUESTION_UNIT_AREA_WEIGHT


def test_the_type_head_reads_every_form_of_address_and_flags_commitments() -> None:
    head = SHIPPED_CONFIG.for_task("question_type")
    assert head.features.canonical_addressee and head.precedence and head.precedence[0] == "commitment"
    assert SHIPPED_CONFIG.validation == "cv"  # out-of-fold probabilities of every unit choose the thresholds


def test_the_card_estimate_is_the_committed_rolling_result() -> None:
    rolling = json.loads(ROLLING_JSON.read_text(encoding="utf-8"))
    area, types = rolling["policy_area"]["chosen"], rolling["question_type"]["chosen"]
    assert ROLLING_ESTIMATE["policy_area"]["subject lines, addressee label"]["mean"] == round(area["addressee_f1"]["mean"], 4)
    assert ROLLING_ESTIMATE["policy_area"]["subject lines, content label"]["mean"] == round(area["content_f1"]["mean"], 4)
    assert ROLLING_ESTIMATE["policy_area"]["question units"] == round(area["unit_f1"], 4)
    assert ROLLING_ESTIMATE["question_type"]["forward"] == round(types["forward_f1"], 4)
    assert rolling["recipes"]["question_type"]["chosen"]["C"] == SHIPPED_CONFIG.for_task("question_type").C
    assert rolling["recipes"]["policy_area"]["chosen"]["C"] == SHIPPED_CONFIG.for_task("policy_area").C
