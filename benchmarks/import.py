"""Import throughput and peak memory on synthetic RIS, BibTeX and CSV files, beside the parser.

    .venv/bin/python benchmarks/import.py                 # 100,000 records per format
    .venv/bin/python benchmarks/import.py --records 20000 --repeat 1 ../shared/data/exports

For each format it writes one synthetic file (``import_data.py``) and measures on it, each in
a fresh process started the same way: the bare parser alone as a user would call it (rispy,
bibtexparser 2, csv.DictReader), the same with the garbage collector paused (as the importer
pauses it for the parser's pass, see ``metasummary/sources/bulk.py``), metasummary's reader
(decode, sniff, split, parse, normalise) and the whole import into a new review on SQLite
(one transaction: file copy, records, batch, event, commit). In every process the modules are
imported and the review is created before the clock starts; the clock is wall time
(``perf_counter``), and memory is the step's own peak: the process's peak resident set above
what it held when the step began (the peak is reset there, ``/proc/self/clear_refs``).

Each measurement runs ``--repeat`` times (interleaved, after ``sync`` so no earlier run's
writes are still being flushed) and the fastest run counts: on a shared machine other work
only ever adds time. The load average before and after is printed. Then the time of one
import is broken down by stage (``import_stages.py``), and every real export file found in
the folders given (default ``../shared/data/exports``) is imported and timed.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_data import write_all
from import_stages import STAGES, stages
from tables import markdown_table

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "exports"
MODES = ("bare", "bare-paused", "reader", "import")


# -- one measurement, run in its own process ------------------------------------------------


def _bare(fmt: str, path: Path) -> Callable[[], int]:
    import rispy
    from bibtexparser.entrypoint import parse_string

    def step() -> int:
        text = path.read_text(encoding="utf-8")
        if fmt == "ris":
            return len(rispy.loads(text))
        if fmt == "bibtex":
            return len(parse_string(text).entries)
        return len(list(csv.DictReader(io.StringIO(text))))

    return step


def _bare_paused(fmt: str, path: Path) -> Callable[[], int]:
    bare = _bare(fmt, path)

    def step() -> int:
        gc.disable()
        try:
            return bare()
        finally:
            gc.enable()

    return step


def _reader(fmt: str, path: Path) -> Callable[[], int]:
    from metasummary.models import RecordData
    from metasummary.sources import decode, read, sniff

    def step() -> int:
        doc = decode(path.read_bytes(), str(path))
        return sum(1 for item in read(doc, sniff(doc)) if isinstance(item, RecordData))

    return step


STEPS = {"bare": _bare, "bare-paused": _bare_paused, "reader": _reader}


def _status_mb(field: str) -> float:
    status = Path("/proc/self/status").read_text()
    match = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else 0.0


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> tuple[float, bool]:
    """Resident MB now, and whether the peak was reset to it (Linux); else ru_maxrss counts."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return _max_rss_mb(), False
    return _status_mb("VmRSS"), True


def _peak_mb(reset: bool) -> float:
    return _status_mb("VmHWM") if reset else _max_rss_mb()


def _timed(step: Callable[[], int]) -> dict[str, float]:
    start_mb, reset = _reset_peak()
    start = time.perf_counter()
    count = step()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "records": count, "peak_mb": _peak_mb(reset) - start_mb}


def measure(mode: str, fmt: str, path: Path) -> dict[str, float]:
    """One step, timed after its modules are imported (and for an import, the review made)."""
    if mode == "import":
        from metasummary import Project

        with tempfile.TemporaryDirectory() as folder, Project.init(Path(folder) / "r") as project:
            return _timed(lambda: project.imports.import_file(path, source="bench").imported)
    if mode == "stages":
        return stages(path)
    return _timed(STEPS[mode](fmt, path))


def run_measure(mode: str, fmt: str, path: Path) -> dict[str, float]:
    os.sync()  # no earlier run's writes still being flushed while this one is timed
    result = subprocess.run(
        [sys.executable, __file__, "--measure", mode, fmt, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise SystemExit(f"{mode} on {path.name} ({fmt}) failed: {last}")
    data: dict[str, float] = json.loads(result.stdout)
    return data


# -- the report -----------------------------------------------------------------------------


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def synthetic(n: int, repeat: int, folder: Path) -> None:
    paths = write_all(n, folder)
    print(f"## Import of {n:,} synthetic records (SQLite, one process per measurement)\n")
    print(f"Fastest of {repeat} run(s) each. Load average before: {_load()}.\n")
    times, memory, breakdown = [], [], []
    for fmt, path in paths.items():
        best: dict[str, dict[str, float]] = {}
        peaks: dict[str, float] = {}  # the highest of all runs, not only of the fastest
        for _ in range(repeat):
            for mode in MODES:
                run = run_measure(mode, fmt, path)
                assert run["records"] == n, (fmt, mode, run)  # every step read the whole file
                if mode not in best or run["seconds"] < best[mode]["seconds"]:
                    best[mode] = run
                peaks[mode] = max(peaks.get(mode, 0.0), run["peak_mb"])
        bare, paused, reader, full = (best[mode] for mode in MODES)
        times.append(
            [
                fmt,
                round(path.stat().st_size / 2**20, 1),
                bare["seconds"],
                paused["seconds"],
                reader["seconds"],
                full["seconds"],
                round(n / full["seconds"]),
                full["seconds"] / bare["seconds"],
                full["seconds"] / paused["seconds"],
            ]
        )
        memory.append([fmt, *(round(peaks[mode]) for mode in MODES)])
        parts = run_measure("stages", fmt, path)
        breakdown.append([fmt, *(parts[name] for name, _ in STAGES), parts["total"]])
    print(
        markdown_table(
            [
                "format",
                "MB",
                "bare parser s",
                "bare, GC paused s",
                "reader s",
                "import s",
                "import rec/s",
                "import / bare",
                "import / bare, GC paused",
            ],
            times,
        )
    )
    print(
        "\nPeak memory of each step (highest of its runs), MB above the process's resident set "
        "when it began:\n"
    )
    print(
        markdown_table(
            ["format", "bare parser", "bare, GC paused", "reader", "import"],
            memory,
        )
    )
    print("\nOne import by stage, seconds:\n")
    print(markdown_table(["format", *(label for _, label in STAGES), "total"], breakdown))
    print(f"\nLoad average after: {_load()}.")


def real_files(folders: list[Path]) -> None:
    from metasummary import Project

    rows = []
    with tempfile.TemporaryDirectory() as tmp, Project.init(Path(tmp) / "r") as project:
        for folder in folders:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                if path.name == "provenance.json":
                    continue
                start = time.perf_counter()
                try:
                    result = project.imports.import_file(path, source=str(path.parent.name))
                except Exception as exc:  # a file the tool refuses is a row too
                    rows.append(
                        [path.name, "refused", 0, time.perf_counter() - start, str(exc)[:60]]
                    )
                    continue
                rows.append(
                    [path.name, result.format, result.imported, time.perf_counter() - start, ""]
                )
    print("\n## Real export files\n")
    print(markdown_table(["file", "format", "records", "seconds", "note"], rows))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.argv[2], sys.argv[3], Path(sys.argv[4]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, help="folders of export files")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        synthetic(args.records, args.repeat, Path(tmp))
    folders = args.folders or ([DEFAULT_DATA] if DEFAULT_DATA.is_dir() else [])
    if folders:
        real_files(folders)


if __name__ == "__main__":
    main()
