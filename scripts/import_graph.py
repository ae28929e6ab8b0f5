#!/usr/bin/env python3
"""List the package's module import edges with ``ast``: cycles and arrows into chosen modules.

    python scripts/import_graph.py                      # src/metasummary of this checkout
    python scripts/import_graph.py path/to/src/metasummary --into metasummary.project

Every ``import`` counts, wherever it stands: at module level, under ``if TYPE_CHECKING`` (a
type-only arrow still ties two modules together for a reader) or inside a function (a lazy
import). Each edge is marked with its kind, and the cycles are printed twice: over every edge,
and over the module-level runtime edges alone. ``from package import name`` points at
``package.name`` when that is a module, else at the package. Only the standard library is used,
so the script runs on any checkout, old or new.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_INTO = ("metasummary.project", "metasummary.browse")


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str  # "runtime", "typing" (under TYPE_CHECKING) or "lazy" (inside a function)


def module_names(root: Path) -> dict[str, Path]:
    """Every module under ``root`` (a package directory) by dotted name."""
    package = root.name
    names: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


ImportNode = ast.Import | ast.ImportFrom


def _imports(tree: ast.Module) -> Iterator[tuple[ImportNode, str]]:
    """Each import statement with where it stands (runtime, typing, lazy)."""

    def walk(nodes: Iterable[ast.AST], kind: str) -> Iterator[tuple[ImportNode, str]]:
        for node in nodes:
            if isinstance(node, ast.Import | ast.ImportFrom):
                yield node, kind
            elif isinstance(node, ast.If) and _is_type_checking(node.test):
                yield from walk(node.body, "typing")
                yield from walk(node.orelse, kind)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                yield from walk(ast.iter_child_nodes(node), "lazy" if kind == "runtime" else kind)
            else:
                yield from walk(ast.iter_child_nodes(node), kind)

    yield from walk(tree.body, "runtime")


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def edges(root: Path) -> list[Edge]:
    modules = module_names(root)
    found: set[Edge] = set()
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        for node, kind in _imports(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = name.split(".")
                    drop = node.level - 1 if is_package else node.level
                    anchor = anchor[: len(anchor) - drop] if drop else anchor
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{alias.name}" for alias in node.names]
            for target in targets:
                resolved = _resolve(target, modules)
                if resolved and resolved != name:
                    found.add(Edge(name, resolved, kind))
    return sorted(found, key=lambda e: (e.source, e.target, e.kind))


def cycles(nodes: Iterable[str], arrows: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    graph: dict[str, list[str]] = {node: [] for node in nodes}
    for source, target in arrows:
        graph.setdefault(source, []).append(target)
        graph.setdefault(target, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found, key=lambda c: (-len(c), c))


def _within(target: str, module: str) -> bool:
    return module == target or module.startswith(target + ".")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_root = Path(__file__).resolve().parent.parent / "src" / "metasummary"
    parser.add_argument("root", nargs="?", type=Path, default=default_root)
    parser.add_argument("--into", action="append", help="list the arrows into this module")
    args = parser.parse_args(argv)
    root: Path = args.root
    found = edges(root)
    modules = module_names(root)
    print(f"{len(modules)} modules, {len(found)} import edges under {root.name}/")

    for title, chosen in (
        ("every import (runtime, TYPE_CHECKING, inside functions)", found),
        ("module-level runtime imports only", [e for e in found if e.kind == "runtime"]),
    ):
        components = cycles(modules, ((e.source, e.target) for e in chosen))
        print(f"\nimport cycles over {title}: {len(components)}")
        for component in components:
            print(f"  {len(component)} modules: {' '.join(component)}")

    for target in args.into or DEFAULT_INTO:
        # Arrows from outside the target: a package's own modules may import each other.
        arrows = [e for e in found if _within(target, e.target) and not _within(target, e.source)]
        print(f"\narrows into {target}: {len(arrows)}")
        for edge in arrows:
            print(f"  {edge.source} -> {edge.target} ({edge.kind})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
