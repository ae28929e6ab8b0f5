"""Where an import's time goes: the steps of ``Imports.import_bytes`` timed one by one.

The steps run as the importer runs them, in one process, the records streaming from the
reader into the insert. Hooks (installed here, never in the package) time the third-party
parser, the making of each record, and every record the insert asks the reader for; writing
is the rest of the insert. What is left of the reader is checking the file and splitting it
into entries (counts, spans, line numbers, raw text).
"""

from __future__ import annotations

import csv
import hashlib
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STAGES = (
    ("read", "read, hash, decode"),
    ("parse", "parse (rispy, bibtexparser, csv)"),
    ("split", "check, split"),
    ("normalise", "normalise, build"),
    ("copy", "copy to imports/"),
    ("write", "write"),
    ("commit", "commit"),
)


class _Clock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {name: 0.0 for name, _ in STAGES}

    def timed(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - start

        return call


class _TimedRows:
    """A csv reader whose every row is timed (the csv module parses as rows are asked for)."""

    def __init__(self, reader: Any, clock: _Clock) -> None:
        self._reader = reader
        self._clock = clock

    def __iter__(self) -> Iterator[list[str]]:
        return self

    def __next__(self) -> list[str]:
        start = time.perf_counter()
        try:
            row: list[str] = next(self._reader)
            return row
        finally:
            self._clock.seconds["parse"] += time.perf_counter() - start

    @property
    def line_num(self) -> int:
        return int(self._reader.line_num)


@contextmanager
def _hooks(clock: _Clock) -> Iterator[None]:
    import rispy

    from metasummary.sources import bibtex, ris, table

    saved: list[tuple[Any, str, Any]] = []

    def wrap(owner: Any, name: str, make: Callable[[Any], Any]) -> None:
        original = getattr(owner, name)
        saved.append((owner, name, original))
        setattr(owner, name, make(original))

    def parse(function: Any) -> Any:
        return clock.timed("parse", function)

    def rows(reader: Any) -> Any:
        return lambda *args, **kwargs: _TimedRows(reader(*args, **kwargs), clock)

    def normalise(function: Any) -> Any:
        return clock.timed("normalise", function)

    wrap(rispy.RisParser, "parse", parse)
    wrap(bibtex, "parse_string", parse)
    wrap(csv, "reader", rows)
    for module in (ris, bibtex, table):
        wrap(module, "build", normalise)
    try:
        yield
    finally:
        for owner, name, value in reversed(saved):
            setattr(owner, name, value)


def stages(path: Path) -> dict[str, float]:
    """Seconds per stage of importing ``path`` into a new review, and their ``total``."""
    from metasummary import Project
    from metasummary.models import RecordData, SourceKind
    from metasummary.sources import decode, read, sniff
    from metasummary.store import imports as store_imports
    from metasummary.store import records as store_records

    clock = _Clock()
    with tempfile.TemporaryDirectory() as folder, Project.init(Path(folder) / "r") as project:
        start = time.perf_counter()
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        doc = decode(data, str(path))
        fmt = sniff(doc)
        clock.seconds["read"] = time.perf_counter() - start

        start = time.perf_counter()
        assert project.root is not None
        copy = project.root / "imports" / f"{sha}{path.suffix}.part"
        copy.parent.mkdir()
        copy.write_bytes(data)
        copy.replace(copy.with_suffix(""))
        clock.seconds["copy"] = time.perf_counter() - start

        reading = 0.0

        def records() -> Iterator[RecordData]:
            nonlocal reading
            items = read(doc, fmt)
            while True:
                start = time.perf_counter()
                item = next(items, None)
                reading += time.perf_counter() - start
                if item is None:
                    return
                if isinstance(item, RecordData):
                    yield item

        with _hooks(clock), project.store.write() as conn:
            source = project.ensure_source(conn, "bench", kind=SourceKind.FILE)
            batch = store_imports.insert(
                conn,
                source_id=source.id,
                file_name=path.name,
                sha256=sha,
                format=fmt.name,
                stored_path="",
                entries=0,
                imported=0,
            )
            start = time.perf_counter()
            store_records.insert_many(
                conn, records(), source_id=source.id, batch_id=batch, raw_format=fmt.name
            )
            written = time.perf_counter()
        clock.seconds["commit"] = time.perf_counter() - written
        clock.seconds["write"] = written - start - reading
        clock.seconds["split"] = reading - clock.seconds["parse"] - clock.seconds["normalise"]
    return {**clock.seconds, "total": sum(clock.seconds.values())}
