"""Screening decisions in files: this tool's own table and the exports of Rayyan, ASReview
LAB and Covidence, each read into the same :class:`Incoming` lines.

* **metasummary** (``export decisions``): one line per vote or resolution, with ``phase``,
  ``reviewer``, ``kind``, ``verdict`` and ``criteria`` columns (``ledger.HEADERS``).
* **Rayyan** (the review's CSV export, ``articles.csv``): the decisions sit in the
  ``notes`` column, ``RAYYAN-INCLUSION: {"Ann"=>"Included", "Bo"=>"Excluded"} |
  RAYYAN-LABELS: ... | RAYYAN-EXCLUSION-REASONS: wrong population,wrong design``; one vote
  per reviewer named there, the exclusion reasons going with the exclusions.
* **ASReview LAB** (a project's dataset export): ``asreview_label`` is 1 (relevant), 0
  (irrelevant) or empty (not screened); ``asreview_note`` the note. One reviewer's labels.
* **RIS** from ``export decisions --out FILE.ris``, after a reference manager (Zotero,
  EndNote) kept it: each decision is a note (``N1``) ``metasummary-decision: full-text R1
  vote exclude E1,E2``, or, where the notes were lost, a keyword ``screening:...``.
* **Covidence** (the CSV of one list: ``review_<id>_<list>_csv_<time>.csv`` with ``Title``,
  ``DOI``, ``Covidence #`` ... columns): the list is the team's settled decision:
  ``irrelevant`` (excluded at title/abstract), ``select`` (included at title/abstract, to be
  read in full), ``excluded`` (excluded at full text) and ``included``.

Every problem is collected with its place (``file.csv:12: verdict``), so a file is refused
whole with all of them listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import rispy

from metasummary.errors import ImportFileError, InputError
from metasummary.models import Phase, Verdict
from metasummary.screening.rules import parse_phase, parse_verdict
from metasummary.synthesis.papers import PaperColumns
from metasummary.synthesis.sheets import Sheet, SheetRow, read_sheet

FORMATS = ("metasummary", "rayyan", "asreview", "covidence", "ris")
NOTE_PREFIX = "metasummary-decision: "
KEYWORD_PREFIX = "screening:"
"""How ``export decisions`` labels a decision in RIS notes and keywords (``ledger.py``)."""
COVIDENCE_LISTS = {
    "irrelevant": ((Phase.TITLE_ABSTRACT, Verdict.EXCLUDE),),
    "select": ((Phase.TITLE_ABSTRACT, Verdict.INCLUDE),),
    "excluded": ((Phase.TITLE_ABSTRACT, Verdict.INCLUDE), (Phase.FULL_TEXT, Verdict.EXCLUDE)),
    "included": ((Phase.TITLE_ABSTRACT, Verdict.INCLUDE), (Phase.FULL_TEXT, Verdict.INCLUDE)),
}
_RAYYAN_VERDICTS = {
    "included": Verdict.INCLUDE,
    "excluded": Verdict.EXCLUDE,
    "maybe": Verdict.MAYBE,
}
_RAYYAN_INCLUSION = re.compile(r"RAYYAN-INCLUSION:\s*\{([^}]*)\}")
_RAYYAN_PAIR = re.compile(r'"([^"]+)"\s*=>\s*"([^"]*)"')
_RAYYAN_REASONS = re.compile(r"RAYYAN-EXCLUSION-REASONS:\s*([^|]*)")
_COVIDENCE_FILE = re.compile(r"_(irrelevant|select|excluded|included)_csv", re.IGNORECASE)


@dataclass(slots=True)
class Incoming:
    """One decision a file holds, before its record and reviewer are looked up."""

    where: str
    """``file.csv:12`` (or ``Sheet1!A12``): where the line is."""
    row: SheetRow
    phase: Phase
    verdict: Verdict
    who: str = ""
    """The reviewer as the file names them ('' when the file names nobody)."""
    kind: str = "vote"  # vote | resolution
    codes: list[str] = field(default_factory=list)
    """Criterion codes the file gives as codes."""
    reasons: list[str] = field(default_factory=list)
    """Reasons the file gives in words (Rayyan's, Covidence's), to be mapped to codes."""
    note: str = ""
    pdf: str = ""


@dataclass(slots=True)
class DecisionFile:
    """A file read: its format, its table, the columns that name the paper, its lines."""

    format: str
    sheet: Sheet
    papers: PaperColumns
    lines: list[Incoming] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: int = 0
    """Rows with no decision (not screened there)."""


def split_codes(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]", text) if part.strip()]


def sniff(sheet: Sheet) -> str:
    """The format a table is in, told from its columns (and Rayyan's notes)."""
    if sheet.column("asreview_label", "asreview label"):
        return "asreview"
    if sheet.column("covidence #", "covidence number"):
        return "covidence"
    if sheet.column("verdict") and sheet.column("phase"):
        return "metasummary"
    notes = sheet.column("notes")
    if notes and any("RAYYAN-INCLUSION" in row.text(notes) for row in sheet.rows):
        return "rayyan"
    raise InputError(
        f"{sheet.path.name}: cannot tell whose decisions these are (no verdict/phase, "
        "asreview_label, Covidence # or RAYYAN-INCLUSION notes); give --format, one of "
        f"{', '.join(FORMATS)}"
    )


def read_decisions(
    path: Path,
    *,
    fmt: str | None = None,
    phase: Phase = Phase.TITLE_ABSTRACT,
    covidence_list: str | None = None,
) -> DecisionFile:
    """The decisions ``path`` holds (a .csv or .xlsx file, or RIS with decision notes)."""
    if (fmt or "").strip().lower() == "ris" or (fmt is None and path.suffix.lower() == ".ris"):
        return _ris(path)
    sheet = read_sheet(path)
    chosen = (fmt or sniff(sheet)).strip().lower()
    if chosen not in FORMATS:
        raise InputError(f"format {fmt!r}: use one of {', '.join(FORMATS)}")
    papers = PaperColumns(
        record=sheet.column("record", "record id") if chosen == "metasummary" else None,
        key=None,  # another tool's keys are its own, not the review's
        doi=sheet.column("doi"),
        title=sheet.column("title", "primary_title"),
        year=sheet.column("year", "published year", "publication_year"),
        authors=None,
        venue=None,
    )
    found = DecisionFile(chosen, sheet, papers)
    if chosen == "metasummary":
        _metasummary(found)
    elif chosen == "rayyan":
        _rayyan(found, phase)
    elif chosen == "asreview":
        _asreview(found, phase)
    else:
        _covidence(found, covidence_list or _covidence_list(path))
    return found


def _metasummary(found: DecisionFile) -> None:
    sheet = found.sheet
    cols = {name: sheet.column(name) for name in ("phase", "reviewer", "kind", "verdict")}
    codes, note, pdf = sheet.column("criteria"), sheet.column("note"), sheet.column("pdf")
    for name in ("phase", "reviewer", "verdict"):
        if cols[name] is None:
            found.problems.append(f"{sheet.path.name}:1: no '{name}' column")
    if found.problems:
        return
    for row in sheet.rows:
        try:
            kind = (row.text(cols["kind"]) or "vote").strip().lower()
            if kind not in ("vote", "resolution"):
                raise InputError(f"kind {kind!r}: use vote or resolution")
            found.lines.append(
                Incoming(
                    where=_line(sheet, row),
                    row=row,
                    phase=parse_phase(row.text(cols["phase"])),
                    verdict=parse_verdict(row.text(cols["verdict"])),
                    who=row.text(cols["reviewer"]).strip(),
                    kind=kind,
                    codes=split_codes(row.text(codes)),
                    note=row.text(note),
                    pdf=row.text(pdf),
                )
            )
        except InputError as exc:
            found.problems.append(f"{_line(sheet, row)}: {exc.message}")


def _rayyan(found: DecisionFile, phase: Phase) -> None:
    sheet = found.sheet
    notes = sheet.column("notes")
    if notes is None:
        found.problems.append(f"{sheet.path.name}:1: no 'notes' column, where Rayyan puts them")
        return
    for row in sheet.rows:
        text = row.text(notes)
        inclusion = _RAYYAN_INCLUSION.search(text)
        if inclusion is None:
            found.skipped += 1
            continue
        reasons_match = _RAYYAN_REASONS.search(text)
        reasons = split_codes(reasons_match.group(1)) if reasons_match else []
        for name, said in _RAYYAN_PAIR.findall(inclusion.group(1)):
            verdict = _RAYYAN_VERDICTS.get(said.strip().lower())
            if verdict is None:
                found.problems.append(
                    f"{_line(sheet, row)}: {name} decided {said!r}; Rayyan's decisions are "
                    "Included, Excluded or Maybe"
                )
                continue
            found.lines.append(
                Incoming(
                    where=_line(sheet, row),
                    row=row,
                    phase=phase,
                    verdict=verdict,
                    who=name.strip(),
                    reasons=reasons if verdict is not Verdict.INCLUDE else [],
                )
            )


def _asreview(found: DecisionFile, phase: Phase) -> None:
    sheet = found.sheet
    label = sheet.column("asreview_label", "asreview label")
    note = sheet.column("asreview_note", "asreview note")
    for row in sheet.rows:
        value = row.text(label).strip()
        if value in ("", "nan", "-1"):
            found.skipped += 1
            continue
        if value not in ("0", "1"):
            found.problems.append(
                f"{_line(sheet, row)}: asreview_label {value!r}: ASReview writes 1 "
                "(relevant), 0 (irrelevant) or nothing"
            )
            continue
        found.lines.append(
            Incoming(
                where=_line(sheet, row),
                row=row,
                phase=phase,
                verdict=Verdict.INCLUDE if value == "1" else Verdict.EXCLUDE,
                note=row.text(note),
            )
        )


def _covidence_list(path: Path) -> str:
    match = _COVIDENCE_FILE.search(path.name)
    if match is None:
        lists = ", ".join(COVIDENCE_LISTS)
        raise InputError(
            f"{path.name}: which Covidence list is this ({lists})? Covidence names it in "
            "the file name (review_1_irrelevant_csv_...); give --list"
        )
    return match.group(1).lower()


def _covidence(found: DecisionFile, listed: str) -> None:
    if listed not in COVIDENCE_LISTS:
        raise InputError(f"Covidence list {listed!r}: use one of {', '.join(COVIDENCE_LISTS)}")
    sheet = found.sheet
    reason = sheet.column("exclusion reason", "reason for exclusion")
    notes = sheet.column("notes")
    for row in sheet.rows:
        for phase, verdict in COVIDENCE_LISTS[listed]:
            excluded = verdict is Verdict.EXCLUDE
            found.lines.append(
                Incoming(
                    where=_line(sheet, row),
                    row=row,
                    phase=phase,
                    verdict=verdict,
                    kind="resolution",  # a Covidence list holds the team's settled decision
                    reasons=split_codes(row.text(reason)) if excluded and reason else [],
                    note=row.text(notes),
                )
            )


def _ris(path: Path) -> DecisionFile:
    try:
        entries = rispy.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except (UnicodeDecodeError, OSError) as exc:
        raise ImportFileError(f"{path}: cannot be read as UTF-8 RIS ({exc})") from None
    sheet = Sheet(path, None, ["title", "doi", "year"])
    papers = PaperColumns(None, None, "doi", "title", "year", None, None)
    found = DecisionFile("ris", sheet, papers)
    for number, entry in enumerate(entries, start=1):
        cells = {
            "title": entry.get("title") or entry.get("primary_title"),
            "doi": entry.get("doi"),
            "year": entry.get("year"),
        }
        row = SheetRow(number, {k: str(v) for k, v in cells.items() if v})
        sheet.rows.append(row)
        labels = [
            n[len(NOTE_PREFIX) :] for n in entry.get("notes", []) if n.startswith(NOTE_PREFIX)
        ]
        if not labels:
            keywords = entry.get("keywords", [])
            labels = [k[len(KEYWORD_PREFIX) :] for k in keywords if k.startswith(KEYWORD_PREFIX)]
        if not labels:
            found.skipped += 1
        where = f"{path.name}: entry {number}"
        for label in labels:
            try:
                found.lines.append(_labelled(label, where, row))
            except InputError as exc:
                found.problems.append(f"{where}: {label!r}: {exc.message}")
    return found


def _labelled(label: str, where: str, row: SheetRow) -> Incoming:
    """A decision from its label: ``full-text R1 vote exclude E1,E2``."""
    parts = label.split()
    if len(parts) not in (4, 5) or parts[2] not in ("vote", "resolution"):
        raise InputError("write PHASE REVIEWER vote|resolution VERDICT [CODES]")
    return Incoming(
        where=where,
        row=row,
        phase=parse_phase(parts[0]),
        verdict=parse_verdict(parts[3]),
        who=parts[1],
        kind=parts[2],
        codes=split_codes(parts[4]) if len(parts) == 5 else [],
    )


def _line(sheet: Sheet, row: SheetRow) -> str:
    if sheet.sheet is None:
        return f"{sheet.path.name}:{row.number}"
    return f"{sheet.sheet}!{row.number}"
