#!/usr/bin/env python3
"""Rewrite imports and module references after modules moved: the map of old to new names.

    python scripts/relocate.py                 # rewrite src/, tests/, benchmarks/, docs/ here
    python scripts/relocate.py --check         # list what would change, change nothing
    python scripts/relocate.py path/to/file.py other/dir

A branch started before the synthesis step, the import step and the example became packages
can run this once to follow the moves: it rewrites ``from metasummary.papers import X``,
``from metasummary import sheets``, ``import metasummary.sorting`` and every dotted mention
(``:mod:`metasummary.summary```, ``"metasummary.embeddings.load_encoder"``) to the new
names. Names that moved to another module (not just their module) are listed in ``RENAMED``
for the reader: they need a look by hand. Only the standard library is used.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

# old module -> new module, for every module that moved (packages move with their modules).
MOVED: dict[str, str] = {
    # the synthesis step: one package
    "metasummary.synthesis": "metasummary.synthesis.service",
    "metasummary.papers": "metasummary.synthesis.papers",
    "metasummary.extraction": "metasummary.synthesis.extraction",
    "metasummary.fieldvalues": "metasummary.synthesis.fieldvalues",
    "metasummary.findings": "metasummary.synthesis.findings",
    "metasummary.findings_sheet": "metasummary.synthesis.findings_sheet",
    "metasummary.statements": "metasummary.synthesis.statements",
    "metasummary.sorting": "metasummary.synthesis.sorting",
    "metasummary.sortsteps": "metasummary.synthesis.sortsteps",
    "metasummary.changeset": "metasummary.synthesis.changeset",
    "metasummary.board": "metasummary.synthesis.board",
    "metasummary.coding": "metasummary.synthesis.coding",
    "metasummary.summary": "metasummary.synthesis.summary",
    "metasummary.descriptives": "metasummary.synthesis.descriptives",
    "metasummary.suggest": "metasummary.synthesis.suggest",
    "metasummary.centroids": "metasummary.synthesis.centroids",
    "metasummary.codebook": "metasummary.synthesis.codebook",
    "metasummary.sheets": "metasummary.synthesis.sheets",
    # the import step (guide page 02): files, API searches, exports
    "metasummary.importing": "metasummary.imports.files",
    "metasummary.exporting": "metasummary.imports.exports",
    "metasummary.writers": "metasummary.imports.writers",
    "metasummary.search": "metasummary.imports.search",
    # the built-in example (its data files: examples/cain2023/ -> example/cain2023/)
    "metasummary.demo": "metasummary.example.demo",
    "metasummary.example": "metasummary.example.data",
    # the review every service is built from (and the protocol template: resources/protocol.yaml
    # -> review/protocol.yaml), and the store's duplicate groups
    "metasummary.catalog": "metasummary.review.catalog",
    "metasummary.grouping": "metasummary.store.groups",
    # one state model: rules in screening/state.py, the read model in screening/standing.py
    "metasummary.status": "metasummary.screening.status",
    "metasummary.browse.states": "metasummary.screening.state",
    "metasummary.screening.group": "metasummary.screening.standing",
    "metasummary.screening.included": "metasummary.screening.standing",
    "metasummary.browse.decided": "metasummary.screening.standing",
}

# What a module that became a package exports from its __init__: imports of these work
# unchanged and are left alone.
EXPORTED: dict[str, set[str]] = {"metasummary.synthesis": {"Synthesis"}}

# Names that changed, not only their module: these need a look by hand (old -> new).
RENAMED: dict[str, str] = {
    "screening.included.included_groups(conn, required, phase)": (
        "screening.standing.Standing(required).included(conn, phase)"
    ),
    "screening.included.decided_states(conn, required)": (
        "screening.standing.Standing(required).decided(conn)"
    ),
    "screening.included.included_in(states, phase)": (
        "states.with_state(phase, RecordState.INCLUDED)"
    ),
    "screening.group.load_group(conn, record_id, phase, required)": (
        "screening.standing.Standing(required).group(conn, record_id, phase)"
    ),
    "screening.group.fold(entries)": "screening.state.GroupVotes.of(entries)",
    "browse.states.state_filter": "browse.listing._state_filter (the list's own helper)",
    "browse.decided.decision_roots(rows, parents, keys, reviewer_id=, criterion=)": (
        "screening.standing.Standing(required).decided_by(conn, keys, reviewer_id=, criterion=)"
    ),
    "GroupKeys(store_phases.chain_links(conn))": "screening.standing.group_keys(conn)",
    "PhaseSnapshot.take(conn, phase, required)": "Standing(required).phase(conn, phase)",
    "Service(project) for every step's service": (
        "Service(project.review): Imports, Exports, Searches, QueryService, Screening, "
        "Snowball, Synthesis and its parts; Report(review, synthesis=, screening=, query=)"
    ),
    "project.ensure_source(conn, ...) inside a service": "review.ensure_source(conn, ...)",
    "report.collect.collect(project, timestamps=)": (
        "collect(review, synthesis=, screening=, query=, timestamps=)"
    ),
    "screening.views.record_view(conn, id, phase, viewer, required)": (
        "record_view(conn, id, phase, viewer, Standing(required))"
    ),
    "screening.progress.reviewer_progress(conn, reviewers)": (
        "reviewer_progress(conn, reviewers, standing)"
    ),
    "snowball.rounds.RoundBook.read(conn, required)": "RoundBook.read(conn, Standing(required))",
    "browse.detail.record_detail(store, required, id)": (
        "record_detail(store, Standing(required), id)"
    ),
}

_SUFFIXES = {".py", ".md", ".txt", ".toml", ".cfg", ".ini", ".yaml", ".yml"}
_FROM_PACKAGE = re.compile(
    r"^(?P<indent>[ \t]*)from metasummary import (?P<names>[A-Za-z_][\w ,]*?)[ \t]*$", re.MULTILINE
)


def _became_package(old: str) -> bool:
    return MOVED[old].startswith(old + ".")


def _submodules(package: str) -> set[str]:
    """The names of ``package``'s modules under the new layout (``synthesis``: papers ...)."""
    return {
        new[len(package) + 1 :].split(".")[0]
        for new in MOVED.values()
        if new.startswith(package + ".")
    }


def _dotted(text: str) -> str:
    # A module that became a package of the same name (metasummary.synthesis) is rewritten
    # only where it still means the old module: not before a dot, and not in an import of
    # the new package's own modules. So a second run changes nothing.
    def from_package(match: re.Match[str]) -> str:
        old, names = match.group(1), match.group(2)
        imported = {n.strip().split(" ")[0] for n in names.strip("() \n").split(",")}
        if imported and imported <= _submodules(old) | EXPORTED.get(old, set()):
            return match.group(0)
        return f"from {MOVED[old]} import {names}"

    packages = [k for k in MOVED if _became_package(k)]
    text = re.sub(
        r"(?<![\w.])from (" + "|".join(re.escape(k) for k in packages) + r") import ([^\n]+)",
        from_package,
        text,
    )
    # Longest names first, each once, so "metasummary.example" and "metasummary.examples"
    # do not feed into each other.
    keys = sorted(MOVED, key=len, reverse=True)
    alternatives = [
        re.escape(k) + (r"(?!\.|\w| import |\")" if _became_package(k) else r"(?!\w)") for k in keys
    ]
    pattern = re.compile(r"(?<![\w.])(" + "|".join(alternatives) + r")")
    return pattern.sub(lambda m: MOVED[m.group(1)], text)


def _from_package(text: str) -> str:
    """``from metasummary import sheets`` -> ``from metasummary.synthesis import sheets``."""

    def one(match: re.Match[str]) -> str:
        indent = match.group("indent")
        lines = []
        kept = []
        for item in (n.strip() for n in match.group("names").split(",")):
            name, _, alias = (p.strip() for p in item.partition(" as "))
            target = MOVED.get(f"metasummary.{name}")
            if target is None:
                kept.append(item)
                continue
            parent, _, leaf = target.rpartition(".")
            bound = alias or name
            suffix = f" as {bound}" if bound != leaf else ""
            lines.append(f"{indent}from {parent} import {leaf}{suffix}")
        if kept:
            lines.insert(0, f"{indent}from metasummary import {', '.join(kept)}")
        return "\n".join(lines)

    return _FROM_PACKAGE.sub(one, text)


def rewrite(text: str) -> str:
    # Dotted names first: a module import rewritten by the second pass names its new parent
    # (metasummary.synthesis), which the first must not take for the old module.
    return _from_package(_dotted(text))


def _files(paths: list[Path]) -> list[Path]:
    found = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.suffix in _SUFFIXES and ".venv" not in p.parts and p.is_file()
            )
        elif path.is_file():
            found.append(path)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true", help="list, do not change")
    parser.add_argument("--names", action="store_true", help="print the names to change by hand")
    args = parser.parse_args(argv)
    if args.names:
        for old, new in RENAMED.items():
            print(f"{old}\n    -> {new}")
        return 0
    here = Path(__file__).resolve().parent.parent
    paths = args.paths or [here / d for d in ("src", "tests", "benchmarks", "docs")]
    changed = 0
    for path in _files(paths):
        text = path.read_text(encoding="utf-8")
        new = rewrite(text)
        if new != text:
            changed += 1
            print(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    print(f"{changed} files {'to change' if args.check else 'changed'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
