"""Build the notebooks from the cells below, run them headless and save them with their outputs.

Usage (from the repository): ``python notebooks/build.py``. Needs the ``bench`` extra
(nbformat, nbclient, ipykernel, matplotlib) and ``../shared/data``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent

# Shared first cell: find ../shared/data whether the kernel starts in notebooks/ or in the repository.
FIND_DATA = '''\
from pathlib import Path
import dataclasses
import json

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import kvclassify as kv


def find_data() -> Path:
    """The shared data folder: next to the repository (located from the package or the working directory)."""
    starts = [Path(kv.__file__).resolve().parents[1], Path.cwd(), *Path.cwd().parents]
    for base in starts:
        for candidate in (base / ".." / "shared" / "data", base / "shared" / "data"):
            if (candidate / "questions" / "dev.jsonl").is_file():
                return candidate.resolve()
    raise FileNotFoundError("../shared/data not found next to the repository")


def read_jsonl(path: Path) -> pd.DataFrame:
    return pd.DataFrame([json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()])


DATA = find_data()
pd.set_option("display.max_colwidth", 120)
DATA'''

DATA_CELLS: list[tuple[str, str]] = [
    ("md", "# 01 · The data\n\nWhat the shared data looks like: record counts per class and year, text lengths, "
           "and examples. Everything is read from `../shared/data` (never copied into the repository)."),
    ("code", FIND_DATA),
    ("code", '''\
frames = {
    (kind, split): read_jsonl(DATA / kind / f"{split}.jsonl")
    for kind in ("subjects", "questions") for split in ("train", "dev")
}
pd.DataFrame({f"{k}/{s}": {"records": len(df), "with policy_area": int(df["policy_area"].notna().sum())}
              for (k, s), df in frames.items()}).T'''),
    ("md", "## Question types (question units)\n\nThe primary type follows the guideline's precedence "
           "commitment > opinion > factual; `question_types` lists every type a unit asks for."),
    ("code", '''\
q = pd.concat([frames["questions", s].assign(split=s) for s in ("train", "dev")])
display(pd.crosstab(q["question_type"], q["split"], margins=True))
pd.crosstab(q["question_types"].map(lambda t: " + ".join(sorted(t))), q["split"])'''),
    ("code", '''\
pd.crosstab(q["source"], q["split"])'''),
    ("md", "## Policy areas\n\nSubject lines take their area from the addressed portfolio; multi-portfolio sets "
           "have `policy_area = null` and several `policy_areas`."),
    ("code", '''\
s = pd.concat([frames["subjects", sp].assign(split=sp) for sp in ("train", "dev")])
areas = pd.DataFrame({
    "subjects/train": frames["subjects", "train"]["policy_area"].value_counts(),
    "subjects/dev": frames["subjects", "dev"]["policy_area"].value_counts(),
    "questions/train": frames["questions", "train"]["policy_area"].value_counts(),
    "questions/dev": frames["questions", "dev"]["policy_area"].value_counts(),
}).fillna(0).astype(int)
areas.loc["(multi-area / none)"] = [int(frames[k, sp]["policy_area"].isna().sum())
                                    for k, sp in [("subjects", "train"), ("subjects", "dev"),
                                                  ("questions", "train"), ("questions", "dev")]]
areas'''),
    ("code", '''\
s["year"] = s["date"].str[:4].astype(int)
by_year = pd.crosstab(s["year"], s["policy_area"].fillna("(multi)"))
ax = by_year.plot.bar(stacked=True, figsize=(11, 4.5), width=0.85, colormap="tab20")
ax.set(title="Subject lines per year and area (2023 = dev)", ylabel="records")
ax.legend(ncol=2, fontsize=7, bbox_to_anchor=(1.01, 1), loc="upper left")
plt.tight_layout()
plt.show()'''),
    ("code", '''\
(by_year.div(by_year.sum(axis=1), axis=0) * 100).round(1).loc[[2007, 2012, 2017, 2022, 2023]]'''),
    ("md", "## Lengths (characters)"),
    ("code", '''\
docs = read_jsonl(DATA / "documents" / "index.jsonl")
docs["chars"] = [len((DATA / "documents" / f).read_text(encoding="utf-8")) for f in docs["file"]]
lengths = pd.DataFrame({
    "subject lines": s["text"].str.len().describe(),
    "question units": q["text"].str.len().describe(),
    "documents": docs["chars"].describe(),
}).round(0)
lengths'''),
    ("code", '''\
fig, axes = plt.subplots(1, 3, figsize=(12, 3.2))
for ax, (name, values) in zip(axes, [("subject lines", s["text"].str.len()), ("question units", q["text"].str.len()),
                                     ("documents", docs["chars"])]):
    ax.hist(values, bins=40)
    ax.set(title=name, xlabel="characters", yscale="log")
plt.tight_layout()
plt.show()'''),
    ("md", "## Examples"),
    ("code", '''\
train_q = frames["questions", "train"]
pd.concat([train_q[train_q["question_type"] == t].sample(2, random_state=0) for t in ("factual", "opinion", "commitment")])[
    ["question_type", "question_types", "policy_area", "text"]]'''),
    ("code", '''\
train_s = frames["subjects", "train"]
train_s.dropna(subset=["policy_area"]).groupby("policy_area").sample(1, random_state=0)[["policy_area", "text"]]'''),
    ("code", '''\
train_s[train_s["policy_area"].isna()].sample(5, random_state=0)[["policy_areas", "text"]]'''),
    ("md", "## Documents\n\nFull texts as extracted from PDF/DOCX, with the ground truth of the question splitter."),
    ("code", '''\
display(docs.groupby("kind").agg(documents=("doc_id", "size"), questions=("n_questions", "sum"),
                                 median_chars=("chars", "median")))
print((DATA / "documents" / docs.loc[docs["kind"] == "questions", "file"].iloc[0]).read_text(encoding="utf-8")[:1200])'''),
]

ERROR_CELLS: list[tuple[str, str]] = [
    ("md", "# 02 · Errors of the shipped recipe\n\nThe shipped recipe fitted on the train splits only, scored on "
           "the dev splits it has not seen: confusion matrices, the most informative "
           "features per class (from each head's weights), and the misclassified dev examples with their "
           "probabilities."),
    ("code", FIND_DATA),
    ("code", '''\
# The shipped model is trained on the dev splits too: its "errors" there would be those of a model on its
# own training data. The same recipe is refitted here on the train splits alone, with one hold-out fifth
# instead of 5 folds for the temperatures (about two minutes).
config = dataclasses.replace(kv.SHIPPED_CONFIG, validation="holdout")
model = kv.train(kv.shipped_records(DATA, "train"), label_fields=("question_type", "policy_area"), config=config,
                 weight_fields={"policy_area": "area_weight"}, group_field="doc_id")
print("the shipped recipe, fitted on train only:", model.info.tasks)
sets = {
    ("question_type", "questions/dev"): read_jsonl(DATA / "questions" / "dev.jsonl"),
    ("policy_area", "subjects/dev"): read_jsonl(DATA / "subjects" / "dev.jsonl"),
    ("policy_area", "questions/dev"): read_jsonl(DATA / "questions" / "dev.jsonl"),
}
scored = {}
for (task, name), df in sets.items():
    df = df[df[task].notna()].reset_index(drop=True)
    head = model.heads[task]
    proba = head.predict_proba(df["text"].tolist())
    df["pred"] = head.predict(df["text"].tolist())
    df["p_pred"] = proba.max(axis=1)
    df["p_gold"] = [proba[i, head.classes_.index(g)] if g in head.classes_ else 0.0 for i, g in enumerate(df[task])]
    scored[task, name] = df
pd.DataFrame({f"{t} · {n}": {"n": len(df), "accuracy": (df[t] == df["pred"]).mean().round(3)}
              for (t, n), df in scored.items()}).T'''),
    ("md", "## Confusion matrices (rows: gold, columns: predicted)"),
    ("code", '''\
def confusion(task: str, name: str) -> pd.DataFrame:
    df = scored[task, name]
    labels = sorted(set(df[task]) | set(df["pred"]))
    return pd.crosstab(pd.Categorical(df[task], labels), pd.Categorical(df["pred"], labels),
                       rownames=["gold"], colnames=["predicted"], dropna=False)


def plot_confusion(cm: pd.DataFrame, title: str) -> None:
    share = cm.div(cm.sum(axis=1).replace(0, 1), axis=0)
    fig, ax = plt.subplots(figsize=(0.45 * len(cm) + 3, 0.45 * len(cm) + 2))
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(cm)), cm.columns, rotation=90, fontsize=8)
    ax.set_yticks(range(len(cm)), cm.index, fontsize=8)
    for i in range(len(cm)):
        for j in range(len(cm)):
            if cm.iat[i, j]:
                ax.text(j, i, cm.iat[i, j], ha="center", va="center", fontsize=7,
                        color="white" if share.iat[i, j] > 0.5 else "black")
    ax.set(title=title, xlabel="predicted", ylabel="gold")
    plt.tight_layout()
    plt.show()


confusion("question_type", "questions/dev")'''),
    ("code", '''\
for task, name in scored:
    plot_confusion(confusion(task, name), f"{task} · {name}")'''),
    ("md", "## Most informative features per class\n\n`head.coef` has one row per feature and one column per "
           "output (per class, or per \"asks for\" type for a head with a precedence order); the largest "
           "weights of a column are the terms that most push a text towards it (char n-grams start with `#`, "
           "clause starts with the clause mark)."),
    ("code", '''\
def top_features(task: str, k: int = 8) -> pd.DataFrame:
    """Largest weights per output. A precedence head has one "asks for" output per type but the last
    (its label is what remains when nothing more demanding is asked): its row shows the terms that
    push against every ask."""
    head = model.heads[task]
    vocab = np.asarray(head.featurizer.vocabulary, dtype=object)
    softmax = getattr(head, "precedence", None) is None  # a precedence head has one output per ask
    columns = {c: head.coef[:, j] for j, c in enumerate(head.classes_)} if softmax else {
        **{f"asks for {c}": head.coef[:, j] for j, c in enumerate(head.precedence[:-1])},
        f"{head.precedence[-1]} (against every ask)": -head.coef.sum(axis=1),
    }
    return pd.DataFrame({name: [f"{vocab[i]} ({w[i]:.1f})" for i in np.argsort(-w)[:k]]
                         for name, w in columns.items()}).T


top_features("question_type", 12)'''),
    ("code", '''\
top_features("policy_area", 8)'''),
    ("md", "## Misclassified dev examples\n\nMost confident errors first: `p_pred` is the probability of the "
           "predicted label, `p_gold` that of the gold one."),
    ("code", '''\
def errors(task: str, name: str, k: int = 12) -> pd.DataFrame:
    df = scored[task, name]
    wrong = df[df[task] != df["pred"]].sort_values("p_pred", ascending=False)
    print(f"{task} · {name}: {len(wrong)} of {len(df)} wrong")
    return wrong.head(k)[[task, "pred", "p_pred", "p_gold", "text"]].round(3)


errors("question_type", "questions/dev")'''),
    ("code", '''\
errors("policy_area", "subjects/dev")'''),
    ("code", '''\
errors("policy_area", "questions/dev")'''),
    ("code", '''\
# Why the most confident question-type error went that way: the terms that separate its label from the runner-up.
worst = errors("question_type", "questions/dev", 1).iloc[0]
pd.DataFrame([t.to_dict() for t in kv.explain(worst["text"], task="question_type", k=8, model=model).terms])'''),
]

NOTEBOOKS = {"01-data.ipynb": DATA_CELLS, "02-errors.ipynb": ERROR_CELLS}


def build(name: str, cells: list[tuple[str, str]], timeout: int = 120) -> Path:
    """Write notebook ``name`` from ``cells``, execute it in ``notebooks/`` and save it with outputs."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src)
                for kind, src in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}).execute()
    path = HERE / name
    nbformat.write(nb, path)
    return path


if __name__ == "__main__":
    for name in sys.argv[1:] or NOTEBOOKS:
        print("built", build(name, NOTEBOOKS[name]))
