"""The public functions on texts: classify, explain, load the model, the commitment flag.

All are pure: the same input and model give the same output. The shipped
model is read once, on first use, and cached.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InputError
from .limits import DEFAULT_MAX_CHARS, as_count, check_text
from .missing import is_missing
from .model import Model
from .persist import read_model
from .results import Classification, Explanation, TermContribution
from .schema import card_commitment
from .schema import threshold as as_threshold
from .tokens import clauses

__all__ = [
    "DEFAULT_MAX_CHARS",
    "classify",
    "classify_many",
    "commitment_thresholds",
    "explain",
    "load_model",
    "shipped_model_path",
]

SHIPPED_MODEL = "kvclassify.kvc"
_load_lock = threading.Lock()


def shipped_model_path() -> Path:
    """Where the shipped model file lies."""
    return Path(str(resources.files("kvclassify.models").joinpath(SHIPPED_MODEL)))


@lru_cache(maxsize=1)
def _shipped() -> Model:
    return read_model(shipped_model_path())


def _shipped_once() -> Model:
    """The cached shipped model; concurrent first callers wait for one read instead of each reading."""
    with _load_lock:
        return _shipped()


def load_model(path: str | os.PathLike[str] | None = None) -> Model:
    """Load a model file, verified against its checksums; without a path, the shipped model (cached).

    Raises :class:`~kvclassify.errors.ModelError` subclasses for a missing,
    corrupted, tampered or newer-format file.

    Examples
    --------
    >>> import kvclassify as kv
    >>> kv.load_model().info.tasks["question_type"]
    ('commitment', 'factual', 'opinion')
    """
    if path is None:
        return _shipped_once()
    if not isinstance(path, (str, os.PathLike)):
        raise InputError(f"model path must be a str or os.PathLike, got {type(path).__name__}")
    return read_model(path)


def model_or_shipped(model: Model | None) -> Model:
    """``model`` checked, or the cached shipped model when it is None (every function's ``model=``)."""
    if model is None:
        return _shipped_once()
    if not isinstance(model, Model):
        raise InputError(f"model must be a kvclassify Model (see kv.load_model), got {type(model).__name__}")
    return model


#: The commitment threshold of a model whose card does not name one.
DEFAULT_COMMITMENT_THRESHOLD = 0.5


def commitment_thresholds(model: Model | None = None, threshold: float | None = None) -> tuple[float, float]:
    """The commitment threshold in force and the strict one, from the model card.

    ``threshold`` overrides the card's ``commitment.threshold`` (else 0.5);
    the strict threshold is the card's ``strict_threshold`` (never below the
    threshold in force): probabilities between the two are "possibly" a commitment.

    Examples
    --------
    >>> import kvclassify as kv
    >>> t, strict = kv.commitment_thresholds(threshold=0.3)
    >>> t, strict >= t
    (0.3, True)
    """
    m = model_or_shipped(model)
    try:
        asked = as_threshold(threshold, "commitment_threshold")
        t, strict = card_commitment(m.card)  # a loaded card was checked; one made in memory may not be
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if asked is not None and not m.flags_commitments:
        raise InputError("this model sets no commitment flag (it has no question_type head with a commitment "
                         "class): give no commitment threshold")
    t = asked if asked is not None else DEFAULT_COMMITMENT_THRESHOLD if t is None else t  # 0.0 is a threshold
    return t, max(t if strict is None else strict, t)


def classify_flagged(m: Model, texts: list[str], threshold: float | None) -> list[Classification]:
    """Classify validated texts with the commitment flag at ``threshold`` (see :func:`commitment_thresholds`)."""
    flagged = m.flags_commitments or threshold is not None  # a threshold for a model without the flag is refused
    return m.classify_texts(texts, commitment_thresholds(m, threshold)[0] if flagged else None)


def classify(
    text: str, *, model: Model | None = None, max_chars: int | None = None, commitment_threshold: float | None = None
) -> Classification:
    """Classify one question unit or short text (a subject line, a sentence).

    Parameters
    ----------
    text : the text, as a ``str``.
    model : a :class:`~kvclassify.model.Model`; default the shipped one.
    max_chars : reject longer texts (default ``DEFAULT_MAX_CHARS``).
    commitment_threshold : flag ``asks_commitment`` from this probability on
        (default: the model card's threshold, see :func:`commitment_thresholds`).

    Returns
    -------
    Classification
        ``.question_type`` and ``.policy_area`` predictions (label, score,
        probabilities, ``top(k)``), ``in_domain``, ``asks_commitment`` and
        ``commitment_probability``.

    Examples
    --------
    >>> import kvclassify as kv
    >>> c = kv.classify("Bent u bereid de Kamer te informeren over de wachtlijsten in de jeugdzorg?")
    >>> c.question_type.label, c.policy_area.label
    ('commitment', 'zorg_welzijn')
    >>> c.asks_commitment
    True
    """
    m = model_or_shipped(model)
    return classify_flagged(m, [check_text(text, max_chars)], commitment_threshold)[0]


def classify_many(
    texts: Iterable[str | None],
    *,
    model: Model | None = None,
    max_chars: int | None = None,
    batch_size: int = 4096,
    on_missing: str = "error",
    commitment_threshold: float | None = None,
) -> list[Classification | None]:
    """Classify many texts; item for item the same as :func:`classify`, but vectorised.

    Parameters
    ----------
    texts : an iterable of ``str`` (a list, a generator, a pandas Series...).
    model, max_chars : as for :func:`classify`.
    batch_size : texts transformed at once (bounds the memory of one step).
    on_missing : a missing text (None, NaN, pandas' ``NA``) is an error naming
        its position (``"error"``, the default), or gets a ``None`` result in
        its place (``"skip"``): nothing shifts.
    commitment_threshold : as for :func:`classify`.

    Examples
    --------
    >>> import kvclassify as kv
    >>> [c.question_type.label for c in kv.classify_many(["Hoeveel boetes zijn er uitgedeeld?",
    ...                                                  "Deelt u de mening dat dit onacceptabel is?"])]
    ['factual', 'opinion']
    >>> kv.classify_many(["Hoeveel boetes zijn er uitgedeeld?", None], on_missing="skip")[1] is None
    True
    """
    _check_text_iterable(texts)
    if on_missing not in ("error", "skip"):
        raise InputError(f"on_missing must be 'error' or 'skip', got {on_missing!r}")
    m = model_or_shipped(model)
    commitment_thresholds(m, commitment_threshold)  # a bad threshold fails before any work
    as_count(batch_size, "batch_size", least=1)
    try:
        values = list(texts)
    except TypeError:
        raise InputError(f"classify_many expects an iterable of str, got {type(texts).__name__}") from None
    missing = [i for i, t in enumerate(values) if is_missing(t)]
    if missing and on_missing == "error":
        shown = ", ".join(f"texts[{i}]" for i in missing[:5]) + (", ..." if len(missing) > 5 else "")
        raise InputError(
            f"{len(missing)} of {len(values)} texts are missing ({shown}); "
            "pass on_missing='skip' to give them a None result"
        )
    present = [i for i, t in enumerate(values) if not is_missing(t)]
    items = [check_text(values[i], max_chars, f"texts[{i}]") for i in present]
    results: list[Classification] = []
    for start in range(0, len(items), batch_size):
        results.extend(classify_flagged(m, items[start : start + batch_size], commitment_threshold))
    out: list[Classification | None] = [None] * len(values)
    for i, c in zip(present, results):
        out[i] = c
    return out


def _check_text_iterable(texts: Any) -> None:
    """Refuse what iterates as something other than its texts in order (a string, a table, a dict, a set)."""
    name = type(texts).__name__
    if isinstance(texts, (str, bytes)):
        raise InputError("classify_many expects an iterable of texts, not a single string; use classify()")
    if hasattr(texts, "columns"):  # a DataFrame iterates over its column names
        raise InputError(f"classify_many expects texts, got a {name} (a table); pass its text column, e.g. df['text']")
    if isinstance(texts, Mapping):
        raise InputError(f"classify_many expects texts, got a {name}, which iterates over its keys; pass a list")
    if isinstance(texts, (set, frozenset)):
        raise InputError(f"classify_many expects texts in order, got a {name} (no order to match results to); "
                         "pass a list")


def _by_word(model: Model, text: str, task: str, explanation: Explanation) -> list[TermContribution]:
    """The explanation's terms with character n-grams summed into the words they came from.

    An n-gram found in several of the text's words is shared among them by
    its number of occurrences in each; the sums stay those of the head.
    """
    kind = model.head(task).featurizer.kinds.get("chars")
    if kind is None:
        return list(explanation.terms)
    owners: dict[str, Counter[str]] = {}
    for word in (tok for clause in clauses(text) for tok in clause):
        for term in kind.terms([[word]]):
            owners.setdefault(kind.readable(term), Counter())[word] += 1
    totals: dict[str, float] = {}
    for t in explanation.terms:
        words = owners.get(t.term)
        if words is None:
            totals[t.term] = totals.get(t.term, 0.0) + t.contribution
            continue
        n = sum(words.values())
        for word, count in words.items():
            totals[word] = totals.get(word, 0.0) + t.contribution * count / n
    return [TermContribution(term, value) for term, value in totals.items()]


def explain(text: str, *, task: str, k: int = 10, model: Model | None = None) -> Explanation:
    """The ``k`` terms that pushed ``text`` towards its label, then those that pushed towards the runner-up.

    Character n-grams are summed into the words they came from (``"bereid"``,
    not ``'_ber'``, ``'bere'``...), so every term is a word, a word n-gram or
    a clause start (``^ bent u``). ``str()`` gives a readable table.

    Examples
    --------
    >>> import kvclassify as kv
    >>> e = kv.explain("Bent u bereid een onderzoek te starten?", task="question_type", k=3)
    >>> e.label, [t.contribution > 0 for t in e.terms]
    ('commitment', [True, True, True])
    """
    k = as_count(k, "k")
    if not isinstance(task, str):
        raise InputError(f"task must be a str, got {type(task).__name__}")
    m = model_or_shipped(model)
    text = check_text(text, None)
    full = m.explain(text, task, m.head(task).featurizer.n_features)
    strongest = sorted(_by_word(m, text, task, full), key=lambda t: (-abs(t.contribution), t.term))[:k]
    ordered = sorted(strongest, key=lambda t: (t.contribution <= 0, -abs(t.contribution), t.term))
    return replace(full, terms=tuple(ordered))
