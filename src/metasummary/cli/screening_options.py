"""Options the screening commands share: phase, reviewer, criteria."""

from __future__ import annotations

from typing import Annotated

import typer

REVIEWER_ENV = "METASUMMARY_REVIEWER"

PhaseOption = Annotated[
    str,
    typer.Option(
        "--phase", help="Screening phase: title-abstract (ta) or full-text (ft).", show_default=True
    ),
]
ReviewerOption = Annotated[
    str,
    typer.Option(
        "--reviewer",
        "-r",
        envvar=REVIEWER_ENV,
        help="Your reviewer id from protocol.yaml (also $METASUMMARY_REVIEWER).",
        show_default=False,
    ),
]
CriteriaOption = Annotated[
    list[str] | None,
    typer.Option(
        "--criteria",
        "-c",
        help="Criterion code(s) from the protocol; repeat or separate with commas (E1,E2).",
        show_default=False,
    ),
]
NoteOption = Annotated[str, typer.Option("--note", help="A free note kept with the decision.")]


def split_codes(values: list[str] | None) -> list[str]:
    """``["E1,E2", "E3"]`` -> ``["E1", "E2", "E3"]``."""
    return [code.strip() for value in values or [] for code in value.split(",") if code.strip()]
