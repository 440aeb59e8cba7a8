"""What the featurizer extracts: :class:`FeatureConfig`, one switch per feature kind and the TF-IDF settings."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .errors import InputError

__all__ = ["FeatureConfig"]


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    """What the featurizer extracts.

    Parameters
    ----------
    word_ngrams : (min_n, max_n) of word n-grams within a clause, or None.
    char_ngrams : (min_n, max_n) of character n-grams of ``" word "``, or None.
    clause_start : clause-start n-grams of 1..k words; 0 disables.
    min_df : minimum document frequency of a feature to enter the vocabulary.
    max_features : keep only the most frequent features (ties by name).
    sublinear_tf : use ``1 + log(tf)`` instead of raw counts.
    canonical_addressee : read every way of addressing the government ("u",
        "het kabinet", "de staatssecretaris", ...) as "de minister", with the
        verb in agreement (:mod:`kvclassify.addressee`): an ask is learnt once,
        whatever its form of address.

    Examples
    --------
    >>> FeatureConfig(char_ngrams=(4, 5)).to_dict()["char_ngrams"]
    [4, 5]
    """

    word_ngrams: tuple[int, int] | None = (1, 2)
    char_ngrams: tuple[int, int] | None = (3, 5)
    clause_start: int = 0
    min_df: int = 2
    max_features: int | None = None
    sublinear_tf: bool = True
    canonical_addressee: bool = False

    def __post_init__(self) -> None:
        # An n-gram longer than this is never useful and its count of features grows with n: refuse it.
        longest = 20

        def integer(value: object) -> bool:
            return isinstance(value, (int, np.integer)) and not isinstance(value, bool)

        for name in ("word_ngrams", "char_ngrams"):
            rng = getattr(self, name)
            if rng is None:
                continue
            if not (isinstance(rng, (tuple, list)) and len(rng) == 2 and all(integer(v) for v in rng)):
                raise InputError(f"{name} must be None or two integers (min_n, max_n), got {rng!r}")
            lo, hi = int(rng[0]), int(rng[1])
            if not 1 <= lo <= hi <= longest:
                raise InputError(f"{name} must be (min_n, max_n) with 1 <= min_n <= max_n <= {longest}, got {rng!r}")
            object.__setattr__(self, name, (lo, hi))
        for name, least, most in (("clause_start", 0, longest), ("min_df", 1, None), ("max_features", 1, None)):
            value = getattr(self, name)
            if value is None and name == "max_features":
                continue
            if not (integer(value) and least <= value and (most is None or value <= most)):
                bounds = f"between {least} and {most}" if most is not None else f"at least {least}"
                none = " or None" if name == "max_features" else ""
                raise InputError(f"{name} must be an integer {bounds}{none}, got {value!r}")
            object.__setattr__(self, name, int(value))
        if not isinstance(self.sublinear_tf, (bool, np.bool_)):
            raise InputError(f"sublinear_tf must be True or False, got {self.sublinear_tf!r}")
        object.__setattr__(self, "sublinear_tf", bool(self.sublinear_tf))
        if self.word_ngrams is None and self.char_ngrams is None and self.clause_start == 0:
            raise InputError("FeatureConfig extracts nothing: enable word, char or clause_start features")

    def to_dict(self) -> dict[str, object]:
        """The config as JSON types (ranges as lists)."""
        d = asdict(self)
        for name in ("word_ngrams", "char_ngrams"):
            if d[name] is not None:
                d[name] = list(d[name])
        return d

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> FeatureConfig:
        """The inverse of :meth:`to_dict`."""
        d = dict(d)
        for name in ("word_ngrams", "char_ngrams"):
            if d.get(name) is not None:
                d[name] = tuple(d[name])  # type: ignore[arg-type]
        return cls(**d)  # type: ignore[arg-type]
