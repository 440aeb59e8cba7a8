"""The README's Python examples run and print what the README says."""

from __future__ import annotations

import doctest

import pytest

from .conftest import REPO


def test_readme_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # the examples open repository files by relative path
    result = doctest.testfile(str(REPO / "README.md"), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 10
    assert result.failed == 0
