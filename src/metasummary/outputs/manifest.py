"""The manifest of a multi-file output: which files, their sha256, the data version, the time.

It is written last, so a folder whose manifest lists files that are all there, at their sizes,
is complete; anything else (no manifest, a file missing or cut short) is not, and is never
shown as the current output.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from metasummary.outputs.staging import TEMP, parse_name

MANIFEST = "manifest.json"
FORMAT = "metasummary-output"
VERSION = 1


@dataclass(frozen=True, slots=True)
class Entry:
    path: str
    """Relative to the folder, with forward slashes."""
    sha256: str
    bytes: int


@dataclass(slots=True)
class Manifest:
    kind: str
    """What the folder holds (``report``)."""
    written_at: datetime
    data_version: list[int]
    files: list[Entry] = field(default_factory=list)

    def names(self) -> list[str]:
        return [e.path for e in self.files]

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "kind": self.kind,
            "written_at": self.written_at.isoformat(),
            "data_version": list(self.data_version),
            "files": [asdict(e) for e in self.files],
        }
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def entry(folder: Path, name: str) -> Entry:
    data = (folder / name).read_bytes()
    return Entry(name, hashlib.sha256(data).hexdigest(), len(data))


def write(
    folder: Path, kind: str, written_at: datetime, data_version: Sequence[int], names: list[str]
) -> Manifest:
    """Hash every file in ``names`` and write the manifest beside them (last of all)."""
    manifest = Manifest(kind, written_at, list(data_version), [entry(folder, n) for n in names])
    partial = folder / (MANIFEST + ".part")
    partial.write_text(manifest.to_json(), encoding="utf-8")
    partial.replace(folder / MANIFEST)
    return manifest


def read(folder: Path) -> Manifest | None:
    """The folder's manifest, or None when there is none or it cannot be read."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        return Manifest(
            kind=str(data["kind"]),
            written_at=datetime.fromisoformat(data["written_at"]),
            data_version=[int(v) for v in data["data_version"]],
            files=[Entry(str(f["path"]), str(f["sha256"]), int(f["bytes"])) for f in data["files"]],
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def complete(folder: Path) -> Manifest | None:
    """The manifest when every file it lists is there at its size (cheap: no hashing)."""
    manifest = read(folder)
    if manifest is None:
        return None
    for item in manifest.files:
        path = folder / item.path
        try:
            if not path.is_file() or path.stat().st_size != item.bytes:
                return None
        except OSError:
            return None
    return manifest


def damaged(folder: Path) -> list[str]:
    """Files whose content differs from the manifest's sha256 (or are missing); [] when sound."""
    manifest = read(folder)
    if manifest is None:
        return [MANIFEST]
    bad = []
    for item in manifest.files:
        try:
            digest = hashlib.sha256((folder / item.path).read_bytes()).hexdigest()
        except OSError:
            bad.append(item.path)
            continue
        if digest != item.sha256:
            bad.append(item.path)
    return bad


@dataclass(frozen=True, slots=True)
class Written:
    """An output as last written whole: where, when, its files (the manifest first), and
    whether the data changed since (``outdated``)."""

    folder: Path
    written_at: datetime
    files: list[str]
    outdated: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "folder": str(self.folder),
            "written_at": self.written_at.isoformat(),
            "files": self.files,
            "outdated": self.outdated,
        }


def written(target: Path, version: Sequence[int]) -> Written | None:
    """What :func:`current` finds for ``target``, against the data's ``version`` now."""
    found = current(target)
    if found is None:
        return None
    folder, manifest = found
    outdated = list(version) != manifest.data_version
    return Written(folder, manifest.written_at, [MANIFEST, *manifest.names()], outdated)


def current(target: Path) -> tuple[Path, Manifest] | None:
    """The complete output that stands for ``target``, and its manifest.

    That is ``target`` itself when its manifest is complete; else, in the instant between the
    two renames of a swap (or after a run killed there), the newest complete folder beside it
    that was meant to become it. None when there is no complete one.
    """
    found = complete(target)
    if found is not None:
        return target, found
    try:
        beside = [p for p in target.parent.iterdir() if p.is_dir()]
    except OSError:
        return None
    finished = []
    for path in beside:
        parsed = parse_name(path)
        if parsed is not None and parsed[0] == target:
            candidate = complete(path)
            if candidate is not None:
                # The new folder of a swap before the old one it replaces, then the newest.
                rank = (parsed[2] == TEMP, candidate.written_at, str(path))
                finished.append((rank, path, candidate))
    if not finished:
        return None
    _, path, found = max(finished, key=lambda item: item[0])
    return path, found
