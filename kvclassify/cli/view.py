"""The text view of a classified document: header, one line per question, the summary.

Every head of the model shows its label per question (a custom model's own
labels too), and the summary counts them per head. Commitments come in two
tiers: "asks for commitments" (probability at or above the card's strict
threshold) and "possibly" (between the threshold in force and the strict one),
so a clerk sees the borderline cases.
"""

from __future__ import annotations

from collections import Counter
from typing import TextIO

import kvclassify as kv

from .output import model_stamp, short, stamp_line


def _labels(q: kv.QuestionResult, tasks: list[str], widths: dict[str, int]) -> str:
    # A question's area as read in its document (smoothed by the document's content area).
    shown = {**q.classification.predictions, **({"policy_area": q.policy_area} if q.policy_area else {})}
    return "  ".join(f"{shown[t].label:<{widths[t]}} {shown[t].score:.2f}" for t in tasks)


def print_document(
    r: kv.DocumentClassification, model: kv.Model, out: TextIO, *, wide: bool = False, threshold: float | None = None
) -> None:
    """Write the document view of ``r`` to ``out`` (``wide``: whole questions instead of one line each)."""
    d = r.document
    members = ", ".join(f"{m.name} ({m.party})" if m.party else m.name for m in d.members) or "-"
    addressees = "; ".join(a.text for a in d.addressees) or "-"
    out.write(f"kind:       {d.kind}\n")
    if d.zaak:
        out.write(f"zaak:       {d.zaak}\n")
    out.write(f"submitted:  {d.submitted.isoformat() if d.submitted else '-'}\n")
    if d.received:
        out.write(f"received:   {d.received.isoformat()}  (the answer)\n")
    out.write(f"members:    {members}\n")
    out.write(f"addressed:  {addressees}\n")
    out.write(f"subject:    {_short_or_all(d.subject or '-', 100, wide)}\n")
    out.write(f"questions:  {len(r.questions)}\n\n")
    # The question type first, then the area, then any heads of a custom model.
    tasks = sorted(model.heads, key=lambda t: ({"question_type": 0, "policy_area": 1}.get(t, 2), t))
    widths = {t: max(len(c) for c in model.heads[t].classes_) for t in tasks}
    width = sum(w + 7 for w in widths.values())
    for number, q in zip(r.question_numbers, r.questions):
        text = q.unit.text if wide else short(q.unit.text, max(40, 120 - width))
        out.write(f"  {number:>3}. {_labels(q, tasks, widths)}  {text}\n")
    out.write("\n")
    if r.policy_area:
        alts = ", ".join(f"{lab} {p:.2f}" for lab, p in r.policy_area.top(3)[1:])
        out.write(f"policy area (content):  {r.policy_area.label} {r.policy_area.score:.2f}  (next: {alts})\n")
    out.write(f"addressed areas:        {', '.join(r.addressed_areas) or '-'}\n")
    if r.routed_area and r.addressed_areas:
        routed = f"{r.routed_area.label} {r.routed_area.score:.2f}"
        out.write(f"routed area:            {routed}  (content among the addressed)\n")
    for task in tasks:
        if task == "policy_area":
            continue
        counts = Counter(q.classification.predictions[task].label for q in r.questions)
        # The guideline's order for question types (as type_counts has it), the head's order for others.
        order = list(r.type_counts) if task == "question_type" and r.type_counts else model.heads[task].classes_
        shown = ", ".join(f"{label} {counts.get(label, 0)}" for label in order)
        title = "question types:" if task == "question_type" else f"{task}:"
        out.write(f"{title:<24}{shown}\n")
    _commitment_tiers(r, model, out, threshold)
    out.write(f"model:                  {stamp_line(model_stamp(model))}\n")


def _commitment_tiers(r: kv.DocumentClassification, model: kv.Model, out: TextIO, threshold: float | None) -> None:
    strict = kv.commitment_thresholds(model, threshold)[1]
    sure, maybe = [], []
    for number, q in zip(r.question_numbers, r.questions):
        c = q.classification
        if c.asks_commitment:
            (sure if c.commitment_probability is not None and c.commitment_probability >= strict else maybe).append(
                number
            )
    if sure:
        out.write(f"asks for commitments:   questions {', '.join(map(str, sure))}\n")
    if maybe:
        out.write(f"possibly commitments:   questions {', '.join(map(str, maybe))}\n")
    if not (sure or maybe) and "question_type" in model.heads:
        out.write("asks for commitments:   none\n")


def _short_or_all(text: str, width: int, wide: bool) -> str:
    return " ".join(text.split()) if wide else short(text, width)
