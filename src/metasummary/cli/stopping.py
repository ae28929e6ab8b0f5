"""``stopping`` and ``stop``: what the stopping rules read, and the team's decision to stop."""

from __future__ import annotations

import typer

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json
from metasummary.cli.screening_options import NoteOption, PhaseOption, ReviewerOption


def register(app: typer.Typer) -> None:
    app.command("stopping")(stopping)
    app.command("stop")(stop)


def stopping(
    phase: PhaseOption = "title-abstract",
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show every stopping rule's reading of the team's screening, and any decision to stop.

    The rule the protocol follows (screening.stopping.rule) comes first; the JSON adds the
    gain curve (1 = included or maybe, in the order records were settled).

    Example: metasummary stopping --phase title-abstract --json
    """
    with open_project(project_dir, db) as project:
        curve = project.screening.stopping(phase)
    if as_json:
        print_json(curve.to_dict())
        return
    out = console()
    h = curve.history
    out.print(
        f"{curve.phase.value}: {h.screened} of {h.total} settled, {h.found} included or maybe; "
        f"target {curve.settings.recall:.0%} recall at {curve.settings.confidence:.0%} confidence"
    )
    for reading in curve.readings:
        followed = " (followed)" if reading.rule == curve.settings.rule else ""
        out.print(f"  {reading.rule}{followed}: {reading.statement}")
    if curve.decision is not None:
        d = curve.decision
        out.print(
            f"stopped by {d.actor} on {d.at:%Y-%m-%d} after {d.screened} records: {d.statement}"
        )


def stop(
    reviewer: ReviewerOption,
    phase: PhaseOption = "title-abstract",
    note: NoteOption = "",
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record the team's decision to stop screening a phase, with the rule's reading now.

    The decision is an event in the review's log and appears in the report's methods; the
    records not screened stay undecided (nothing is excluded).

    Example: metasummary stop --phase title-abstract --reviewer R1 --note "agreed in meeting"
    """
    with open_project(project_dir, db) as project:
        decision = project.screening.stop(phase=phase, reviewer=reviewer, note=note)
    if as_json:
        print_json(decision.to_dict())
        return
    console().print(
        f"{decision.phase.value}: stop recorded by {decision.actor} after {decision.screened} "
        f"records ({decision.found} included); {decision.rule}: {decision.statement}"
    )
