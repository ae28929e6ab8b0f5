"""The interactive screening loop behind ``metasummary screen``.

One record at a time: title, venue, year and the abstract with the query's terms
highlighted. Keys: ``i`` include, ``e`` exclude, ``m`` maybe; digits toggle criterion codes
before that; ``n`` adds a note, ``p`` a PDF link (full text); ``u`` undoes the last vote,
``s`` skips, ``q`` quits, ``?`` shows the keys. The key source and the console are injected,
so tests drive the loop by feeding keys.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from metasummary.errors import MetasummaryError
from metasummary.models import Phase, Verdict
from metasummary.screening.decisions import Screening
from metasummary.screening.highlight import query_pattern, spans
from metasummary.screening.queue import Queue, ReviewerQueue

KeySource = Callable[[], str]
"""Returns the next key pressed (one character; ``""`` when the input has ended)."""

VERDICT_KEYS = {"i": Verdict.INCLUDE, "e": Verdict.EXCLUDE, "m": Verdict.MAYBE}
HELP = (
    "keys: i include · e exclude · m maybe · 1-9 toggle criterion · n note · p PDF link · "
    "u undo · s skip · q quit · ? help"
)


@dataclass(slots=True)
class SessionSummary:
    """What one session did."""

    decided: int = 0
    undone: int = 0
    skipped: int = 0
    finished: bool = False
    """True when nothing was left to screen; False when the reviewer quit."""
    records: list[int] = field(default_factory=list)


class ScreeningSession:
    """Screens ``phase`` as ``reviewer`` until the queue is empty or ``q`` is pressed."""

    def __init__(
        self,
        screening: Screening,
        *,
        phase: Phase,
        reviewer: str,
        keys: KeySource,
        console: Console,
        features: str = "tfidf",
    ) -> None:
        self.screening = screening
        self.phase = phase
        self.reviewer = reviewer
        self.keys = keys
        self.out = console
        self.queue: ReviewerQueue = screening.reviewer_queue(
            phase=phase, reviewer=reviewer, features=features
        )
        criteria = screening.protocol.criteria
        self.codes = [c.code for c in (*criteria.inclusion, *criteria.exclusion)][:9]
        self.texts = {c.code: c.text for c in (*criteria.inclusion, *criteria.exclusion)}
        self.pattern = query_pattern(screening.protocol.query)
        self.summary = SessionSummary()
        self._skipped: set[int] = set()
        self._front: int | None = None

    def run(self) -> SessionSummary:
        current = self.queue.refresh()
        while True:
            record = self._next(current)
            if record is None:
                self.summary.finished = True
                self.out.print(
                    "Nothing left to screen in this phase for you. " + _progress(current)
                )
                return self.summary
            outcome = self._screen_one(record, current)
            if outcome == "quit":
                self.out.print(f"Stopped. {_progress(current)}")
                return self.summary
            if outcome == "skip":
                self._skipped.add(record)
                self.summary.skipped += 1
                continue
            current = self.queue.refresh()

    def _next(self, current: Queue) -> int | None:
        front, self._front = self._front, None
        if front is not None and front in current.records:
            return front  # the record just undone comes back first
        fresh = [r for r in current.records if r not in self._skipped]
        if fresh:
            return fresh[0]
        self._skipped.clear()  # everything left was skipped once: offer it again
        return current.records[0] if current.records else None

    def _screen_one(self, record: int, current: Queue) -> str:
        codes: list[str] = []
        note = ""
        pdf = ""
        self._show(record, current)
        while True:
            key = self.keys()
            if key in ("", "q"):
                return "quit"
            if key == "?":
                self.out.print(HELP)
            elif key == "s":
                return "skip"
            elif key.isdigit() and 0 < int(key) <= len(self.codes):
                code = self.codes[int(key) - 1]
                codes = [c for c in codes if c != code] if code in codes else [*codes, code]
                self.out.print(f"criteria: {', '.join(codes) or '(none)'}")
            elif key == "n":
                note = self._line("note")
            elif key == "p" and self.phase is Phase.FULL_TEXT:
                pdf = self._line("PDF link")
            elif key == "u":
                if self._undo():
                    return "undone"
            elif key in VERDICT_KEYS:
                checked = record in current.check
                if self._decide(record, VERDICT_KEYS[key], codes, note, pdf, checked):
                    return "decided"
            else:
                self.out.print(f"unknown key {key!r}; ? for help")

    def _decide(
        self, record: int, verdict: Verdict, codes: list[str], note: str, pdf: str, checked: bool
    ) -> bool:
        try:
            result = self.screening.decide(
                record,
                phase=self.phase,
                reviewer=self.reviewer,
                verdict=verdict,
                criteria=codes,
                note=note,
                pdf=pdf,
                random_check=checked,
            )
        except MetasummaryError as exc:
            self.out.print(f"[red]{exc.message}[/red]")
            return False
        self.summary.decided += 1
        self.summary.records.append(record)
        self.out.print(f"{verdict.value} recorded ({result.state.value})")
        return True

    def _undo(self) -> bool:
        try:
            result = self.screening.retract(phase=self.phase, reviewer=self.reviewer)
        except MetasummaryError as exc:
            self.out.print(f"[red]{exc.message}[/red]")
            return False
        self.summary.undone += 1
        self._skipped.discard(result.group)
        self._front = result.group
        self.out.print(f"undid your vote on record {result.record_id}")
        return True

    def _line(self, what: str) -> str:
        self.out.print(f"{what} (Enter to finish):")
        chars: list[str] = []
        while (key := self.keys()) not in ("", "\r", "\n"):
            chars.append(key)
        return "".join(chars).strip()

    def _show(self, record: int, current: Queue) -> None:
        view = self.screening.view(record, phase=self.phase, viewer=self.reviewer)
        data = view.record.data
        meta = " · ".join(p for p in (data.venue, str(data.year or "")) if p)
        abstract = self._highlight(data.abstract or "(no abstract)")
        title = self._highlight(data.title or "(no title)")
        title.stylize("bold")
        legend = "\n".join(
            f"{i} {code}  {_short(self.texts[code])}" for i, code in enumerate(self.codes, start=1)
        )
        pilot = " · pilot" if record in current.pilot else ""
        pilot += " · random check for the stopping rule" if record in current.check else ""
        body = Group(title, Text(meta, style="dim"), Text(""), abstract, Text(""), Text(legend))
        self.out.print(Panel(body, title=f"record {record}{pilot}", subtitle=_progress(current)))

    def _highlight(self, text: str) -> Text:
        rich_text = Text(re.sub(r"\s+", " ", text).strip())
        for start, end in spans(rich_text.plain, self.pattern):
            rich_text.stylize("bold yellow", start, end)
        return rich_text


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _progress(current: Queue) -> str:
    p = current.progress
    left = "n/a" if p.inclusions_left is None else f"~{p.inclusions_left:.0f}"
    stop = " · knee rule: consider stopping" if p.knee.stop else ""
    rule = f" · stopping rule: {p.stopping.statement}" if p.stopping is not None else ""
    return (
        f"{p.screened}/{p.eligible} screened · {p.included} included · {p.open} open · "
        f"{p.since_inclusion} since the last inclusion · inclusions left {left}{stop}{rule}"
    )
