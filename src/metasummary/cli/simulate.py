"""``simulate``: replay a labelled data set through the prioritisation used in screening."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer

from metasummary.cli.options import JsonOption
from metasummary.cli.output import console, print_json
from metasummary.errors import InputError


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
        str, typer.Option("--features", help="tfidf, or embeddings (semantic extra).")
    ] = "tfidf",
    as_json: JsonOption = False,
) -> None:
    """Replay a labelled screening data set and measure the work saved (WSS, RRF, recall).

    Example: metasummary simulate records.csv --seed 1 --json
    """
    from metasummary.screening.labelled import read_labelled_csv
    from metasummary.screening.simulation import simulate as run

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
    )
    if out is not None:
        labels = dict(zip(dataset.ids, (int(v) for v in dataset.labels), strict=True))
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["position", "record_id", "label"])
            for position, record_id in enumerate(result.order, start=1):
                writer.writerow([position, record_id, labels[record_id]])
    if as_json:
        print_json(result.to_dict())
        return
    m = result.metrics
    console().print(
        f"{dataset.name}: {m.records} records, {m.inclusions} inclusions, seed {seed}\n"
        f"  WSS@95 {m.wss95:.3f}  WSS@100 {m.wss100:.3f}  RRF@10 {m.rrf10:.3f}\n"
        f"  records to 95 % recall {m.to_recall95}, to 100 % {m.to_recall100}\n"
        f"  {result.wall_time:.2f} s" + (f"; order written to {out}" if out else "")
    )
