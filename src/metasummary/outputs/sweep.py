"""Temporaries left by killed runs: found, finished or removed, and reported.

A temporary no live process holds (see :class:`~metasummary.outputs.staging.Claim`) was left by
a run that died. When its target is missing, the run died in the middle of putting it in place:

* a folder whose manifest is complete is the finished output, so the swap is completed;
* a file is put in place when ``adopt`` says it is wanted (an import copy whose import was
  committed); the caller knows, the file system does not.

Every other stale temporary is removed. Each action is returned, so the command that opened
the review can say what it cleaned.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from metasummary.outputs import manifest
from metasummary.outputs.staging import OLD, TEMP, is_claimed, parse_name

Adopt = Callable[[Path, Path], bool]
"""``adopt(temporary, target)``: whether a stale temporary file is the target's content."""


@dataclass(frozen=True, slots=True)
class Swept:
    path: Path
    target: Path
    action: str
    """``removed`` or ``restored`` (renamed to its target)."""

    def line(self, root: Path | None = None) -> str:
        shown, target = _shown(self.path, root), _shown(self.target, root)
        if self.action == "restored":
            return f"{shown}: left by a run that was stopped; put in place as {target}"
        return f"{shown}: left by a run that was stopped; removed"


def _shown(path: Path, root: Path | None) -> Path:
    return path.relative_to(root) if root is not None and path.is_relative_to(root) else path


def _never(temporary: Path, target: Path) -> bool:
    return False


def temporaries(folders: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for folder in folders:
        try:
            found.extend(p for p in folder.iterdir() if parse_name(p) is not None)
        except OSError:
            continue
    return sorted(found)


def review_folders(root: Path) -> list[Path]:
    """Where a review's outputs live: its folder and the folders directly in it."""
    try:
        subfolders = [
            p
            for p in root.iterdir()
            if p.is_dir() and not p.name.startswith(".") and not p.is_symlink()
        ]
    except OSError:
        return []
    return [root, *sorted(subfolders)]


def sweep(
    folders: Iterable[Path], *, adopt: Adopt = _never, only: Path | None = None
) -> list[Swept]:
    """Finish or remove every stale temporary in ``folders`` (not their subfolders), or only
    those of the target ``only``."""
    by_target: dict[Path, list[Path]] = {}
    for path in temporaries(folders):
        parsed = parse_name(path)
        assert parsed is not None
        if (only is None or parsed[0] == only) and not is_claimed(path):
            by_target.setdefault(parsed[0], []).append(path)
    done: list[Swept] = []
    for target, stale in sorted(by_target.items()):
        chosen = None if os.path.lexists(target) else _replacement(target, stale, adopt)
        if chosen is not None:
            chosen.rename(target)
            done.append(Swept(chosen, target, "restored"))
        for path in stale:
            if path == chosen:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            done.append(Swept(path, target, "removed"))
    return done


def sweep_target(target: Path, *, adopt: Adopt = _never) -> list[Swept]:
    """The stale temporaries of one target (cleaned before it is written again)."""
    return sweep([target.parent], adopt=adopt, only=target)


def _replacement(target: Path, stale: list[Path], adopt: Adopt) -> Path | None:
    """The stale temporary that is the target's finished content, if one is."""
    folders = [p for p in stale if p.is_dir()]
    if folders:
        # The new folder when it was finished (its manifest complete), else the old one.
        for ending in (TEMP, OLD):
            complete = [
                (found.written_at, p)
                for p in folders
                if p.name.endswith(ending) and (found := manifest.complete(p)) is not None
            ]
            if complete:
                return max(complete)[1]
        olds = [p for p in folders if p.name.endswith(OLD)]
        return olds[0] if olds else None  # an output from before manifests: better than none
    for path in stale:
        if path.name.endswith(TEMP) and adopt(path, target):
            return path
    return None
