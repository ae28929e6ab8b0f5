"""Writing a file of decisions into the review: every line, or none of them.

The lines of a :class:`~metasummary.screening.decision_files.DecisionFile` are looked up
(their paper by record id, DOI or title; their reviewer by code, name or ``--reviewer-map``;
their reasons in words by criterion code or text, or ``--reason``), then written in one
transaction through the same rules as a single decision (``Screening.vote_in``): title and
abstract before full text, votes before resolutions. Any line that breaks a rule refuses the
file, with every such line named. A line that says what the review already holds (the same
reviewer's standing vote, the same resolution) is counted, not written again, so a file can
be imported twice. Papers the review does not hold are listed, not guessed at.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa

from metasummary.errors import ImportFileError, InputError
from metasummary.models import Phase, RecordState
from metasummary.protocol import Protocol
from metasummary.screening.decision_files import DecisionFile, Incoming
from metasummary.screening.decisions import Screening
from metasummary.screening.reviewers import find_reviewer
from metasummary.store import events
from metasummary.store import records as store_records
from metasummary.store.counts import record_links
from metasummary.store.groups import DuplicateGroups
from metasummary.synthesis.papers import Corpus, PaperIndex

SHOWN = 20


@dataclass(slots=True)
class IntakeResult:
    """What a file of decisions brought in."""

    file: str
    format: str
    written: int = 0
    already: int = 0
    """Lines the review already held (the same standing vote or resolution)."""
    records: int = 0
    """Distinct papers the file decided on."""
    skipped: int = 0
    """Rows the file holds without a decision (not screened there)."""
    unmatched: list[str] = field(default_factory=list)
    """Lines naming a paper the review does not hold, with where they are."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Names:
    """How a file's names become the review's: reviewers and exclusion reasons."""

    reviewer: str = ""
    """The reviewer whose decisions a file naming nobody holds."""
    reviewers: Mapping[str, str] = field(default_factory=dict)
    reasons: Mapping[str, str] = field(default_factory=dict)
    default_reason: str = ""
    """The criterion code for exclusions the file gives no reason for."""


def parse_pairs(values: list[str], what: str) -> dict[str, str]:
    """``["Ann=R1", "wrong design=E2"]`` as a dict; :class:`InputError` on a malformed one."""
    pairs: dict[str, str] = {}
    for value in values:
        name, sep, code = value.rpartition("=")
        if not sep or not name.strip() or not code.strip():
            raise InputError(f"--{what} {value!r}: write NAME=CODE, e.g. 'Ann=R1'")
        pairs[name.strip().casefold()] = code.strip()
    return pairs


class Intake:
    """Applies decision files to one review through its screening service."""

    def __init__(self, screening: Screening) -> None:
        self.screening = screening
        self.protocol: Protocol = screening.protocol

    def apply(
        self,
        found: DecisionFile,
        names: Names,
        *,
        by_record_id: bool,
        elsewhere: bool,
        actor: str,
    ) -> IntakeResult:
        """Write the lines of ``found``.

        Args:
            by_record_id: The file's ``record`` column names this review's records (``decide
                --from``); otherwise papers are found by DOI and title.
            elsewhere: The decisions were made in another tool (or another copy): a
                resolution there needs no conflict here.
        """
        name = found.sheet.path.name
        result = IntakeResult(name, found.format, skipped=found.skipped)
        problems = list(found.problems)
        reviewers = self._reviewers(found, names, problems)
        codes = {id(line): self._codes(line, names, problems) for line in found.lines}
        if not by_record_id:
            found.papers.record = None
        with self.screening.store.write() as conn:
            papers = self._papers(conn, found, problems, result, by_record_id)
            if problems:
                raise _refused(name, problems)
            ordered = sorted(
                (line for line in found.lines if id(line) in papers),
                key=lambda ln: (ln.phase is Phase.FULL_TEXT, ln.kind == "resolution"),
            )
            for line in ordered:
                try:
                    self._write(
                        conn,
                        line,
                        papers[id(line)],
                        reviewers[line.who],
                        codes[id(line)],
                        result,
                        elsewhere=elsewhere,
                        actor=actor,
                        via=name,
                    )
                except InputError as exc:
                    problems.append(f"{line.where}: {exc.message}")
            if problems:
                raise _refused(name, problems)
            result.records = len({papers[id(line)] for line in ordered})
            events.log(
                conn,
                "screening.import",
                actor=actor,
                payload={
                    "file": name,
                    "format": found.format,
                    "written": result.written,
                    "already": result.already,
                    "unmatched": len(result.unmatched),
                },
            )
        return result

    # -- looking names up ----------------------------------------------------------------------

    def _reviewers(self, found: DecisionFile, names: Names, problems: list[str]) -> dict[str, str]:
        known = {r.id.casefold(): r.id for r in self.protocol.reviewers}
        known.update({r.name.casefold(): r.id for r in self.protocol.reviewers if r.name})
        codes: dict[str, str] = {}
        for who in sorted({line.who for line in found.lines}):
            if not who:
                if not names.reviewer:
                    problems.append(
                        f"{found.sheet.path.name}: the file names no reviewer; say whose "
                        "decisions these are with --reviewer CODE"
                    )
                codes[who] = names.reviewer
                continue
            mapped = names.reviewers.get(who.casefold()) or known.get(who.casefold())
            if mapped is None:
                listed = ", ".join(r.id for r in self.protocol.reviewers) or "none"
                problems.append(
                    f"{found.sheet.path.name}: reviewer {who!r} is not in the protocol "
                    f"({listed}); map them with --reviewer-map '{who}=CODE'"
                )
                continue
            codes[who] = mapped
        return codes

    def _codes(self, line: Incoming, names: Names, problems: list[str]) -> list[str]:
        criteria = self.protocol.criteria
        listed = (*criteria.inclusion, *criteria.exclusion)
        by_text = {c.text.strip().casefold(): c.code for c in listed}
        by_code = {code.casefold(): code for code in criteria.codes()}
        codes = list(line.codes)
        for reason in line.reasons:
            key = reason.strip().casefold()
            code = names.reasons.get(key) or by_code.get(key) or by_text.get(key)
            if code is None:
                problems.append(
                    f"{line.where}: exclusion reason {reason!r} names no criterion of the "
                    f"protocol; map it with --reason '{reason}=CODE'"
                )
            elif code not in codes:
                codes.append(code)
        excluding = line.verdict.value == "exclude"
        if excluding and not codes and names.default_reason:
            codes.append(names.default_reason)
        return codes

    def _papers(
        self,
        conn: sa.Connection,
        found: DecisionFile,
        problems: list[str],
        result: IntakeResult,
        by_record_id: bool,
    ) -> dict[int, int]:
        """The paper (canonical record) of each line, by ``id(line)``; unmatched listed."""
        groups = DuplicateGroups(record_links(conn))
        index = PaperIndex(store_records.iter_all(conn), Corpus(groups, set()))
        papers: dict[int, int] = {}
        missing: set[str] = set()
        for line in found.lines:
            paper = index.resolve(found.sheet, line.row, found.papers)
            if isinstance(paper, int):
                papers[id(line)] = paper
                continue
            title = line.row.text(found.papers.title) or line.row.text(found.papers.doi)
            text = paper if isinstance(paper, str) else f"{title!r}: not in this review"
            if by_record_id:
                problems.append(f"{line.where}: {text}")
            elif line.where not in missing:
                missing.add(line.where)
                result.unmatched.append(f"{line.where}: {text}")
        index.new.clear()  # a paper the review lacks is listed, never added
        return papers

    # -- writing ------------------------------------------------------------------------------

    def _write(
        self,
        conn: sa.Connection,
        line: Incoming,
        paper: int,
        reviewer: str,
        codes: list[str],
        result: IntakeResult,
        *,
        elsewhere: bool,
        actor: str,
        via: str,
    ) -> None:
        screening = self.screening
        group = screening.standing.group(conn, paper, line.phase)
        who = find_reviewer(conn, reviewer)
        if line.kind == "resolution":
            held = group.votes.resolution
            if held is not None and held.verdict == line.verdict.value:
                result.already += 1
                return
            screening.resolve_in(
                conn,
                paper,
                phase=line.phase,
                reviewer=reviewer,
                verdict=line.verdict,
                criteria=codes,
                note=line.note,
                replace=elsewhere and held is not None,
                settled_elsewhere=elsewhere,
                actor=actor,
                via=via,
            )
        else:
            held = group.votes.current().get(who.id)
            if (
                held is not None
                and held.verdict == line.verdict.value
                and sorted(held.criteria) == sorted(codes)
            ):
                result.already += 1
                return
            if group.state(screening.required[line.phase]) is RecordState.NOT_ELIGIBLE:
                before = line.phase.previous.value if line.phase.previous else ""
                raise InputError(
                    f"record {paper} is not in {line.phase.value}: it was not included at {before}"
                )
            screening.vote_in(
                conn,
                paper,
                phase=line.phase,
                reviewer=reviewer,
                verdict=line.verdict,
                criteria=codes,
                note=line.note,
                pdf=line.pdf,
                actor=actor,
                via=via,
            )
        result.written += 1


def _refused(name: str, problems: list[str]) -> ImportFileError:
    shown = problems[:SHOWN]
    if len(problems) > SHOWN:
        shown.append(f"{name}: ... and {len(problems) - SHOWN} more")
    return ImportFileError(
        f"{name}: {len(problems)} problem{'' if len(problems) == 1 else 's'}; no decision was "
        "recorded (fix them and import the file again)",
        problems=shown,
    )
