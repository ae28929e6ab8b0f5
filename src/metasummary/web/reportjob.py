"""Writing the report on a thread of its own, its progress shown while the page polls.

``metasummary report`` takes some seconds on a large review; the report page starts the
writing here and asks for its progress until it is done, so a request never waits for it. One
writing at a time: pressing the button again while one runs shows the one running.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from metasummary.errors import MetasummaryError
from metasummary.project import Project


@dataclass(frozen=True, slots=True)
class ReportProgress:
    """Where the latest writing of the report stands."""

    running: bool = False
    step: str = ""
    done: int = 0
    total: int = 0
    seconds: float = 0.0
    files: int = 0
    """Files written by the latest writing that finished."""
    folder: str = ""
    error: str = ""
    """Why the latest writing failed ("" if it did not)."""
    finished: bool = False
    """A writing finished (or failed) since the page last showed one."""


class ReportWriter:
    """Writes the review's report on a thread, one writing at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._state = ReportProgress()
        self._started = 0.0

    def start(self, project: Project, folder: Path | None) -> ReportProgress:
        """Start writing unless a writing is under way; the progress to show."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._started = time.monotonic()
                self._state = ReportProgress(running=True, step="starting")
                self._thread = threading.Thread(
                    target=self._write, args=(project, folder), name="report", daemon=True
                )
                self._thread.start()
            return self._state

    def progress(self) -> ReportProgress:
        with self._lock:
            state = self._state
            if state.running:
                state = replace(state, seconds=time.monotonic() - self._started)
            return state

    def seen(self) -> None:
        """The page showed the finished writing: the next look shows the report alone."""
        with self._lock:
            self._state = replace(self._state, finished=False)

    def _step(self, what: str, done: int, total: int) -> None:
        with self._lock:
            self._state = replace(self._state, step=what, done=done, total=total)

    def _write(self, project: Project, folder: Path | None) -> None:
        outcome: dict[str, object] = {}
        try:
            written = project.report.write(folder, progress=self._step)
        except MetasummaryError as exc:
            outcome["error"] = str(exc)
        except Exception as exc:  # shown on the page; the button tries again
            outcome["error"] = str(exc) or type(exc).__name__
        else:
            outcome.update(files=len(written.files), folder=str(written.folder))
        with self._lock:
            self._state = replace(
                self._state,
                running=False,
                finished=True,
                seconds=time.monotonic() - self._started,
                **outcome,  # type: ignore[arg-type]
            )

    def wait(self, timeout: float | None = None) -> bool:
        """Whether no writing is running, after waiting up to ``timeout`` seconds for one."""
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def close(self) -> None:
        self.wait()
