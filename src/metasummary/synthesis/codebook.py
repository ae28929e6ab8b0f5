"""The theme hierarchy as a REFI-QDA codebook (``.qdc``), out and in.

REFI-QDA Codebook 1.0 (namespace ``urn:QDA-XML:codebook:1.0``) is the exchange format
QualCoder, ATLAS.ti, MAXQDA and NVivo read: ``CodeBook > Codes > Code`` with a ``guid``,
``name`` and ``isCodable``, an optional ``Description``, then nested ``Code`` children.
Stages are exported as top-level codes (not codable), themes as their children with the
description, and sub-points as the themes' children. GUIDs are derived from the review and
the theme id, so exporting twice gives the same codebook.

Importing reads a codebook back as themes: a top-level code named like a stage (its code or
label) holds themes; with ``stage`` given, any other top-level code becomes a theme of that
stage. Codes below a theme become its sub-points. Themes already on the board (same label in
the same stage) are left as they are. The import is one undoable card-sort step.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from metasummary.errors import ImportFileError, InputError
from metasummary.review import Review
from metasummary.store import themes as store_themes
from metasummary.store.catalog import StageRow, list_stages
from metasummary.synthesis.changeset import Changeset
from metasummary.synthesis.sortsteps import log_change

NAMESPACE = "urn:QDA-XML:codebook:1.0"
SCHEMA_LOCATION = f"{NAMESPACE} Codebook.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass(slots=True)
class CodebookImport:
    file: str
    created: list[str] = field(default_factory=list)
    existing: int = 0


@dataclass(slots=True)
class _ThemeSpec:
    stage: StageRow
    label: str
    description: str
    sub_points: list[str]


class Codebook:
    """REFI-QDA codebook export and import (``project.synthesis.codebook``)."""

    def __init__(self, review: Review) -> None:
        self.review = review

    def _guid(self, *parts: object) -> str:
        name = ":".join(["metasummary", self.review.protocol.title, *map(str, parts)])
        return str(uuid.uuid5(uuid.NAMESPACE_URL, name)).upper()

    def export(self, path: Path) -> int:
        """Write the stage > theme > sub-point hierarchy; the number of themes written."""
        with self.review.store.read() as conn:
            stages = list_stages(conn)
            themes = store_themes.list_themes(conn, active_only=True)
        ET.register_namespace("", NAMESPACE)
        ET.register_namespace("xsi", XSI)
        root = ET.Element(
            _tag("CodeBook"),
            {"origin": f"metasummary {_version()}", f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION},
        )
        codes = ET.SubElement(root, _tag("Codes"))
        used = {t.stage_id for t in themes}
        for stage in stages:
            if not (stage.in_protocol or stage.id in used):
                continue
            node = _code(
                codes,
                self._guid("stage", stage.code),
                stage.label,
                codable=False,
                description=f"Card-sort stage {stage.code}",
            )
            for theme in (t for t in themes if t.stage_id == stage.id):
                child = _code(
                    node,
                    self._guid("theme", theme.id),
                    theme.label,
                    codable=True,
                    description=theme.description,
                )
                for i, point in enumerate(theme.sub_points):
                    _code(
                        child,
                        self._guid("theme", theme.id, "point", i, point),
                        point,
                        codable=True,
                        description="",
                    )
        if not len(codes):
            raise InputError("the protocol has no stages, so there is no codebook to export")
        ET.indent(root)
        path.parent.mkdir(parents=True, exist_ok=True)
        ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
        return len(themes)

    def import_file(
        self, path: Path, *, stage: str | None = None, actor: str = ""
    ) -> CodebookImport:
        """Add the codebook's themes to the board; all of them or none."""
        try:
            root = ET.parse(path).getroot()
        except FileNotFoundError:
            raise ImportFileError(f"{path}: no such file") from None
        except ET.ParseError as exc:
            line = exc.position[0]
            raise ImportFileError(f"{path}:{line}: not valid XML ({exc})") from None
        if _local(root.tag) != "CodeBook":
            raise ImportFileError(f"{path}: not a REFI-QDA codebook (root is <{_local(root.tag)}>)")
        with self.review.store.read() as conn:
            stages = [s for s in list_stages(conn) if s.in_protocol]
            existing = {
                (t.stage_id, t.label.casefold())
                for t in store_themes.list_themes(conn, active_only=True)
            }
        fallback = _find_stage(stages, stage) if stage else None
        if stage and fallback is None:
            codes = ", ".join(s.code for s in stages) or "none"
            raise InputError(f"stage {stage!r} is not a stage of the protocol ({codes})")
        specs, problems = _read_specs(path, root, stages, fallback)
        if problems:
            raise ImportFileError(
                f"{path}: {len(problems)} problem(s); nothing was imported", problems=problems
            )
        result = CodebookImport(file=path.name)
        with self.review.store.write() as conn:
            cs = Changeset(conn)
            for spec in specs:
                key = (spec.stage.id, spec.label.casefold())
                if key in existing:
                    result.existing += 1
                    continue
                existing.add(key)
                theme_id = store_themes.insert_theme(
                    conn,
                    stage_id=spec.stage.id,
                    label=spec.label,
                    description=spec.description,
                    sub_points=spec.sub_points,
                    position=store_themes.next_theme_position(conn, spec.stage.id),
                )
                cs.created_theme(theme_id)
                result.created.append(spec.label)
            if result.created:
                log_change(
                    conn,
                    cs,
                    "codebook-import",
                    f"imported {len(result.created)} theme(s) from {path.name}",
                    actor,
                    None,
                )
        return result


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _version() -> str:
    # The installed distribution's version, read from its metadata: the package face
    # (metasummary.__version__) imports the facade, which no step may import.
    from importlib.metadata import version

    return version("metasummary")


def _code(
    parent: ET.Element, guid: str, name: str, *, codable: bool, description: str
) -> ET.Element:
    node = ET.SubElement(
        parent,
        _tag("Code"),
        {"guid": guid, "name": name, "isCodable": "true" if codable else "false"},
    )
    if description:
        ET.SubElement(node, _tag("Description")).text = description
    return node


def _children(node: ET.Element) -> list[ET.Element]:
    return [c for c in node if _local(c.tag) == "Code"]


def _description(node: ET.Element) -> str:
    found = next((c for c in node if _local(c.tag) == "Description"), None)
    return (found.text or "").strip() if found is not None else ""


def _find_stage(stages: list[StageRow], name: str) -> StageRow | None:
    folded = name.strip().casefold()
    return next((s for s in stages if folded in (s.code.casefold(), s.label.casefold())), None)


def _points(node: ET.Element) -> list[str]:
    found: list[str] = []
    for child in _children(node):
        name = child.get("name", "").strip()
        if name:
            found.append(name)
        found.extend(_points(child))
    return found


def _read_specs(
    path: Path, root: ET.Element, stages: list[StageRow], fallback: StageRow | None
) -> tuple[list[_ThemeSpec], list[str]]:
    codes = next((c for c in root if _local(c.tag) == "Codes"), None)
    if codes is None:
        return [], [f"{path}: the codebook has no <Codes>"]
    specs: list[_ThemeSpec] = []
    problems: list[str] = []
    for i, top in enumerate(_children(codes), start=1):
        name = " ".join(top.get("name", "").split())
        stage = _find_stage(stages, name) if name else None
        if stage is not None:
            for theme in _children(top):
                label = " ".join(theme.get("name", "").split())
                if label:
                    specs.append(_ThemeSpec(stage, label, _description(theme), _points(theme)))
        elif fallback is not None and name:
            specs.append(_ThemeSpec(fallback, name, _description(top), _points(top)))
        else:
            listed = ", ".join(s.code for s in stages) or "none"
            problems.append(
                f"{path.name}: Codes/Code[{i}] {name!r} is not a stage of the protocol "
                f"({listed}); give --stage CODE to import such codes as themes of one stage"
            )
    return specs, problems
