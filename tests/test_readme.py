"""The README's Python examples run and print what the README says."""

from __future__ import annotations

import doctest
import io

import pytest

from kvclassify.cli import main

from .conftest import REPO


def test_readme_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # the examples open repository files by relative path
    result = doctest.testfile(str(REPO / "README.md"), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 10
    assert result.failed == 0


def test_readme_cli_output_is_real() -> None:
    """The first set-up command's output, as the README shows it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("```text\nkind:") + len("```text\n")
    shown = readme[start : readme.index("```", start)]
    out = io.StringIO()
    assert main(["classify", str(REPO / "tests" / "fixtures" / "documents" / "seed-2025-om-ict.txt")], out=out) == 0
    assert out.getvalue() == shown
