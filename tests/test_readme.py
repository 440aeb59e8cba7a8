"""The README's examples run and print what the README says: Python (doctest) and ``console`` blocks."""

from __future__ import annotations

import doctest
import io
import re
import shlex

import pytest

import kvclassify as kv
from kvclassify.cli import main

from .conftest import REPO

README = REPO / "README.md"


def test_readme_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # the examples open repository files by relative path
    result = doctest.testfile(str(README), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 10
    assert result.failed == 0


def test_readme_cli_output_is_real() -> None:
    """The first set-up command's output, as the README shows it."""
    readme = README.read_text(encoding="utf-8")
    start = readme.index("```text\nkind:") + len("```text\n")
    shown = readme[start : readme.index("```", start)]
    out = io.StringIO()
    assert main(["classify", str(REPO / "tests" / "fixtures" / "documents" / "seed-2025-om-ict.txt")], out=out) == 0
    assert out.getvalue() == shown


def _console_commands() -> list[tuple[list[str], str]]:
    readme = README.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```console\n(.*?)```", readme, flags=re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            commands.append((shlex.split(command), output))
    return commands


def test_readme_console_blocks_are_real(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    commands = _console_commands()
    assert len(commands) >= 3
    for argv, shown in commands:
        assert argv[0] == "kvclassify", argv
        out = io.StringIO()
        assert main(argv[1:], out=out) == 0, argv
        assert out.getvalue() == shown, argv


def test_readme_lists_every_policy_area_with_its_description() -> None:
    readme = README.read_text(encoding="utf-8")
    for area in kv.POLICY_AREAS:
        assert f"| `{area.code}` | {area.name_nl} | {area.description} |" in readme, area.code
    assert "not the CAP major topics" in readme
