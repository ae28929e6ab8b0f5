"""The import structure: faces -> project -> steps -> store / sources -> models.

Read from the source with ``ast`` (``scripts/import_graph.py``, which anyone can run for the
whole picture), counting every import: module level, under ``TYPE_CHECKING`` and inside
functions.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "src" / "metasummary"

FACES = ("metasummary.cli", "metasummary.web", "metasummary.example")
"""What may import the facade: the CLI, the web app and the built-in example (a script)."""


def _within(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


@pytest.fixture(scope="module")
def graph() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_graph", REPO / "scripts/import_graph.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_graph"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def edges(graph: ModuleType) -> list[tuple[str, str, str]]:
    return [(e.source, e.target, e.kind) for e in graph.edges(PACKAGE)]


def test_only_the_faces_import_the_facade(edges: list[tuple[str, str, str]]) -> None:
    importers = {
        source
        for source, target, _ in edges
        if _within(target, "metasummary.project") and source != "metasummary"
    }
    assert importers, "the graph found no import of the facade at all"
    assert {m for m in importers if not _within(m, *FACES)} == set()


def test_nothing_below_the_faces_imports_the_package_face(
    edges: list[tuple[str, str, str]],
) -> None:
    # ``from metasummary import X`` runs the package's __init__, which imports the facade.
    below = {
        source
        for source, target, _ in edges
        if target == "metasummary" and not _within(source, *FACES)
    }
    assert below == set()


def test_only_the_faces_and_the_facade_import_browse(edges: list[tuple[str, str, str]]) -> None:
    importers = {
        source
        for source, target, _ in edges
        if _within(target, "metasummary.browse") and not _within(source, "metasummary.browse")
    }
    assert "metasummary.project" in importers
    allowed = ("metasummary.project", "metasummary.cli", "metasummary.web")
    assert {m for m in importers if not _within(m, *allowed)} == set()


def test_steps_do_not_reach_back_up(edges: list[tuple[str, str, str]]) -> None:
    """Screening never asks browse, the store and the sources know no step."""
    lower = ("metasummary.store", "metasummary.sources", "metasummary.review")
    steps = (
        "metasummary.imports",
        "metasummary.query",
        "metasummary.dedup",
        "metasummary.screening",
        "metasummary.snowball",
        "metasummary.synthesis",
        "metasummary.report",
        "metasummary.accounts",
        "metasummary.keeping",
    )
    upward = [
        (source, target)
        for source, target, _ in edges
        if (_within(source, *lower) and _within(target, *steps, *FACES, "metasummary.project"))
        or (_within(source, "metasummary.screening") and _within(target, "metasummary.browse"))
    ]
    assert upward == []


def test_no_import_cycle_crosses_a_package(graph: ModuleType) -> None:
    """The facade is in no cycle; what cycles remain are a package's registry of its own
    modules (search clients, full-text back ends), never two packages."""
    names = graph.module_names(PACKAGE)

    def home(module: str) -> str:  # a package's modules share it; a top-level module is its own
        parent = module if names[module].name == "__init__.py" else module.rsplit(".", 1)[0]
        return module if parent == "metasummary" else parent

    found = graph.edges(PACKAGE)
    cycles = graph.cycles(names, ((e.source, e.target) for e in found))
    for cycle in cycles:
        assert "metasummary.project" not in cycle
        assert len({home(m) for m in cycle}) == 1, cycle


def test_the_graph_sees_every_kind_of_import(tmp_path: Path, graph: ModuleType) -> None:
    """The checks above would pass on an empty graph: the reader must find all three kinds."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text(
        "from typing import TYPE_CHECKING\nfrom pkg import b\n"
        "if TYPE_CHECKING:\n    from pkg.c import C\n"
        "def f():\n    from . import d\n"
    )
    for name in "bcd":
        (package / f"{name}.py").write_text("import pkg.a\n" if name == "b" else "")
    kinds = {(e.source, e.target): e.kind for e in graph.edges(package)}
    assert kinds == {
        ("pkg.a", "pkg.b"): "runtime",
        ("pkg.a", "pkg.c"): "typing",
        ("pkg.a", "pkg.d"): "lazy",
        ("pkg.b", "pkg.a"): "runtime",
    }
    assert graph.cycles(graph.module_names(package), kinds) == [["pkg.a", "pkg.b"]]
