"""The structure of the package: imports run one way, modules stay small, fronts use the public API.

The layers are those of ARCHITECTURE.md. A module imports only modules of
its own or a lower layer (imports under ``if TYPE_CHECKING:`` do not run and
do not count); there is no import circle; the parser and the model never
import each other; the CLI and the benchmarks import nothing but the
package face ``kvclassify``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "kvclassify"
MAX_LINES = 450

#: Bottom up. A module not listed here fails the test: place it (and in ARCHITECTURE.md).
LAYERS: tuple[frozenset[str], ...] = tuple(frozenset(layer.split()) for layer in (
    "version errors plain missing calibration fitting addressee tokens",
    "labels limits areas writing archive ngrams feature_config decoding",
    "document.types document.text",
    "document.markers",
    "document.footnotes document.answers document.units",
    "document.header",
    "document.parse",
    "document reading feature_kinds results records",
    "data features splitting",
    "opendata options heads",
    "model thresholds",
    "schema",
    "persist",
    "api",
    "document_classification evaluation batches",
    "training",
    "tuning recipe estimator",
    "",  # the package face
    "cli.output",
    "cli.view cli.commands",
    "cli.classify",
    "cli __main__",
))
FACE = len(LAYERS) - 5
PARSER = {m for m in set().union(*LAYERS) if m == "document" or m.startswith("document.")}
MODEL = {"tokens", "ngrams", "feature_config", "feature_kinds", "features", "addressee", "heads", "model", "results"}


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of a module except those under ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _imports(path: Path, known: set[str]) -> set[str]:
    """The package modules a file imports at run time ('' is the package face ``kvclassify``)."""
    name = _name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names if a.name.split(".")[0] == "kvclassify"]
            found.update(t.partition(".")[2] for t in targets)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif (node.module or "").split(".")[0] == "kvclassify":
                target = node.module.partition(".")[2]  # type: ignore[union-attr]
            else:
                continue
            subs = {f"{target}.{a.name}".lstrip(".") for a in node.names} & known
            found.update(subs or {target})
    found.discard(name)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(path, known) for name, path in modules.items()}


def _layer(module: str) -> int:
    for i, layer in enumerate(LAYERS):
        if module in layer or (module == "" and i == FACE):
            return i
    raise AssertionError(f"kvclassify.{module} is in no layer: add it to LAYERS here and to ARCHITECTURE.md")


def test_every_module_has_a_layer() -> None:
    for module in _graph():
        _layer(module)


def test_no_import_circle() -> None:
    try:
        tuple(TopologicalSorter(_graph()).static_order())
    except CycleError as err:
        pytest.fail(f"import circle: {' -> '.join(err.args[1])}")


def test_imports_run_downwards_only() -> None:
    upward = [
        f"kvclassify.{m} (layer {_layer(m)}) imports kvclassify.{t or ''} (layer {_layer(t)})"
        for m, targets in _graph().items() for t in sorted(targets) if _layer(t) > _layer(m)
    ]
    assert not upward, "\n".join(upward)


def test_parser_and_model_do_not_know_each_other() -> None:
    graph = _graph()
    assert not {(m, t) for m in PARSER for t in graph[m] if not (t in PARSER or _layer(t) <= 1)}
    assert not {(m, t) for m in MODEL for t in graph.get(m, ()) if t in PARSER}


def test_only_the_fronts_import_the_package_face() -> None:
    users = {m for m, targets in _graph().items() if "" in targets}
    assert users <= {m for m in _graph() if m.startswith("cli") or m == "__main__"}


@pytest.mark.parametrize("folder", ["kvclassify/cli", "benchmarks"])
def test_fronts_import_only_the_public_api(folder: str) -> None:
    offending = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            offending += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.startswith("kvclassify.")]
    assert not offending, "\n".join(offending)


def test_modules_stay_small() -> None:
    big = {name: n for name, path in _modules().items() if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert not big, big


def test_every_public_name_resolves() -> None:
    import kvclassify as kv

    missing = [name for name in kv.__all__ if not hasattr(kv, name)]
    assert not missing
