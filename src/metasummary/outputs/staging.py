"""Files and folders written under a temporary name beside their target, then renamed into place.

A reader (or a process killed half-way) never sees half of an output: everything is written to
``.NAME.<pid>-<token>.ms-tmp`` in the target's folder and becomes ``NAME`` by one rename. The
writing process holds an advisory lock on its temporary for as long as it lives, so the next
process can tell a temporary left by a killed run (unlocked) from one still being written
(locked): see :mod:`metasummary.outputs.sweep`.

A folder replacing another one takes two renames (the old one is moved aside to
``.NAME.<pid>-<token>.ms-old`` first); a run killed between them leaves both beside the missing
target, and the sweep finishes the swap.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from metasummary import crashpoints
from metasummary.errors import ProjectError

try:  # advisory locks where the system has them (every Unix); elsewhere the process id
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

TEMP = ".ms-tmp"
"""The ending of every temporary being written."""
OLD = ".ms-old"
"""The ending of a folder moved aside while its replacement is renamed in."""
_NAME = re.compile(
    r"^\.(?P<target>.+)\.(?P<pid>\d+)-(?P<token>[0-9a-f]+)(?P<kind>\.ms-tmp|\.ms-old)$"
)


def temporary_name(target: Path, ending: str = TEMP) -> Path:
    """A fresh name beside ``target`` that only this process uses."""
    return target.parent / f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}{ending}"


def parse_name(path: Path) -> tuple[Path, int, str] | None:
    """``(target, pid, ending)`` of a temporary name, or None for any other name."""
    match = _NAME.match(path.name)
    if match is None:
        return None
    return path.parent / match.group("target"), int(match.group("pid")), match.group("kind")


class Claim:
    """An advisory lock held on a temporary while this process writes it.

    The lock is on the file or folder itself, so it follows a rename and is released by the
    system when the process dies, however it dies.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        if fcntl is None:  # pragma: no cover - Windows: the name's process id tells
            return
        fd = os.open(path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def is_claimed(path: Path) -> bool:
    """Whether a live process still holds ``path`` (a temporary it is writing)."""
    parsed = parse_name(path)
    if fcntl is None:  # pragma: no cover - Windows
        return parsed is not None and _alive(parsed[1])
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # closing releases the lock just taken
    return False


def _alive(pid: int) -> bool:  # pragma: no cover - used where there is no flock
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(folder: Path) -> None:
    # The rename is durable only once the folder holding it is flushed (POSIX).
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - a system that cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


class StagedFile:
    """One file written under a temporary name; :meth:`commit` renames it into place.

    Use it as a context manager: leaving without a commit removes the temporary. Writers may
    open :attr:`path` themselves (openpyxl saves by name).
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProjectError(
                f"{target.parent}: cannot create the folder ({exc.strerror})"
            ) from None
        self.path = temporary_name(target)
        try:
            self.path.touch(exist_ok=False)
        except OSError as exc:
            raise ProjectError(f"{target}: cannot write there ({exc.strerror})") from None
        self._claim = Claim(self.path)
        self.committed = False

    def write_bytes(self, data: bytes) -> None:
        try:
            self.path.write_bytes(data)
        except OSError as exc:
            self.discard()
            raise ProjectError(f"{self.target}: cannot write ({exc.strerror})") from None

    def commit(self) -> Path:
        """Flush the temporary and rename it to the target (replacing any file there)."""
        _fsync_file(self.path)
        self.path.replace(self.target)
        _fsync_dir(self.target.parent)
        self.committed = True
        self._claim.release()
        return self.target

    def discard(self) -> None:
        if not self.committed:
            self.path.unlink(missing_ok=True)
            self._claim.release()

    def __enter__(self) -> StagedFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.discard()


@contextmanager
def staged_file(target: Path) -> Iterator[Path]:
    """A temporary path to write; renamed to ``target`` when the block ends without error."""
    with StagedFile(target) as staged:
        yield staged.path
        staged.commit()


class StagedFolder:
    """A folder written under a temporary name and swapped in for ``target`` by rename."""

    def __init__(self, target: Path) -> None:
        self.target = target
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.path = temporary_name(target)
            self.path.mkdir()
        except OSError as exc:
            raise ProjectError(f"{target}: cannot write there ({exc.strerror})") from None
        self._claim = Claim(self.path)
        self.committed = False

    def swap_in(self) -> Path:
        """Replace ``target`` (if any) with the staged folder; the old one is removed."""
        old: Path | None = None
        if self.target.exists():
            old = temporary_name(self.target, OLD)
            self.target.rename(old)
            crashpoints.reached("output.swap")
        self.path.rename(self.target)
        _fsync_dir(self.target.parent)
        self.committed = True
        self._claim.release()
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return self.target

    def discard(self) -> None:
        if not self.committed:
            shutil.rmtree(self.path, ignore_errors=True)
            self._claim.release()

    def __enter__(self) -> StagedFolder:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.discard()
