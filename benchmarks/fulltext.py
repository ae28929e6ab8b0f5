"""Full texts: pages per second extracted, attach-and-match accuracy, and the reader's time
from a click to the first page shown.

Usage::

    .venv/bin/python benchmarks/fulltext.py                       # ../shared/data/pdfs
    .venv/bin/python benchmarks/fulltext.py FOLDER ... [--no-peer] [--no-browser]

A folder holds PDFs and an ``index.csv`` (file, title, doi ... as printed in each PDF: the
ground truth). Printed as Markdown tables:

1. Extraction: every PDF read page by page with pypdfium2 (ours, with the repairs for search)
   and, beside it in the same run, with pdfminer.six (``extract_pages``, the engine under
   pdfplumber) installed into ``benchmarks/.venvs/pdfminer``. Pages per second, best of
   ``--repeat`` runs.
2. Matching: a review holding the folders' papers as records among distractors (titles and
   DOIs of the real screening sets in ``../shared/data/screening``), every PDF attached;
   correct, wrong and unmatched, with the records' DOIs and without them (title only).
3. Reader: Debian's chromium opens each PDF from the full-text desk (a click on "Read") and
   the time to the first page drawn with its text layer is taken; median and maximum.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from metasummary import Project, RecordData  # noqa: E402
from metasummary.fulltext.reader import read_file  # noqa: E402
from metasummary.models import Phase, SourceKind  # noqa: E402
from tables import markdown_table  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "pdfs"
SCREENING = ROOT.parent / "shared" / "data" / "screening"
PEER_VENV = HERE / ".venvs" / "pdfminer"
PEER_PACKAGE = "pdfminer.six==20260107"
PEER_SCRIPT = """
import sys, time
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTTextContainer
pages = 0
started = time.perf_counter()
for name in sys.argv[1:]:
    for layout in extract_pages(name):
        "".join(e.get_text() for e in layout if isinstance(e, LTTextContainer))
        pages += 1
print(pages, time.perf_counter() - started)
"""


@dataclass(frozen=True, slots=True)
class Paper:
    folder: Path
    file: str
    title: str
    doi: str


def papers_of(folders: list[Path]) -> list[Paper]:
    found = []
    for folder in folders:
        with (folder / "index.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                found.append(Paper(folder, row["file"], row["title"], row.get("doi", "")))
    return found


# -- 1. extraction ---------------------------------------------------------------------------


def ours(files: list[Path], repeat: int) -> tuple[int, float]:
    best = float("inf")
    pages = 0
    for _ in range(repeat):
        started = time.perf_counter()
        pages = sum(len(read_file(path).pages) for path in files)
        best = min(best, time.perf_counter() - started)
    return pages, best


def peer(files: list[Path], repeat: int) -> tuple[int, float] | None:
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        print(f"installing {PEER_PACKAGE} into {PEER_VENV} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", PEER_PACKAGE], check=True)
    best = float("inf")
    pages = 0
    for _ in range(repeat):
        done = subprocess.run(
            [str(python), "-c", PEER_SCRIPT, *map(str, files)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(f"pdfminer.six failed: {done.stderr.strip()[-300:]}", file=sys.stderr)
            return None
        count, seconds = done.stdout.split()
        pages, best = int(count), min(best, float(seconds))
    return pages, best


# -- 2. matching -----------------------------------------------------------------------------


def distractors(limit: int) -> list[RecordData]:
    """Real titles and DOIs from the labelled screening sets (other papers entirely)."""
    found: list[RecordData] = []
    for path in sorted(SCREENING.glob("*/*.csv")):
        with path.open(encoding="utf-8", errors="replace") as handle:
            for row in csv.DictReader(handle):
                title = (row.get("title") or "").strip()
                if title:
                    found.append(RecordData(title=title, doi=(row.get("doi") or "").strip()))
                if len(found) >= limit:
                    return found
    return found


def match_accuracy(papers: list[Paper], with_doi: bool, noise: list[RecordData]) -> list[object]:
    with tempfile.TemporaryDirectory() as tmp:
        project = Project.init(Path(tmp) / "review")
        try:
            items = [RecordData(title=p.title, doi=p.doi if with_doi else "") for p in papers]
            ids = project.add_records("Library", items + noise, kind=SourceKind.LIBRARY)
            truth = {(p.folder, p.file): ids[i] for i, p in enumerate(papers)}
            started = time.perf_counter()
            results = project.fulltexts.attach(sorted({p.folder for p in papers}))
            seconds = time.perf_counter() - started
        finally:
            project.close()
    by_name = {r.file: r for r in results}
    right = wrong = unmatched = 0
    for paper in papers:
        result = by_name[paper.file]
        if result.record_id is None:
            unmatched += 1
        elif result.record_id == truth[(paper.folder, paper.file)]:
            right += 1
        else:
            wrong += 1
    label = "DOI and title" if with_doi else "title only (no DOIs)"
    return [label, len(papers), len(noise), right, wrong, unmatched, right / len(papers), seconds]


# -- 3. the reader ---------------------------------------------------------------------------


@contextmanager
def served(project: Project) -> Iterator[str]:
    from metasummary.web import create_app
    from metasummary.web.server import bind_socket, make_server, url_of

    sock = bind_socket("127.0.0.1", 0)
    server = make_server(create_app(project), log_level="warning")
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield url_of(sock).rstrip("/")
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def reader_times(papers: list[Paper]) -> list[tuple[str, int, float]]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        project = Project.init(Path(tmp) / "review")
        items = [RecordData(title=p.title, doi=p.doi) for p in papers]
        ids = project.add_records("Library", items, kind=SourceKind.LIBRARY)
        for record in ids:
            project.screening.decide(
                record, phase=Phase.TITLE_ABSTRACT, reviewer="R1", verdict="include"
            )
        project.fulltexts.attach(sorted({p.folder for p in papers}))
        times = []
        with served(project) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"]
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for paper, record in zip(papers, ids, strict=True):
                page.goto(f"{url}/fulltext")
                link = page.locator(f'tr[data-record="{record}"] a.read')
                started = time.perf_counter()
                link.click()
                page.wait_for_selector(
                    ".pdf-page[data-state='drawn'] .textLayer span", timeout=60_000
                )
                elapsed = time.perf_counter() - started
                pages = int(page.get_attribute("#reader", "data-pages") or 0)
                times.append((paper.file, pages, elapsed))
            browser.close()
        project.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[DEFAULT])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--distractors", type=int, default=5000)
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    papers = papers_of(args.folders)
    files = [p.folder / p.file for p in papers]

    print("## Extraction\n")
    rows: list[list[object]] = []
    pages, seconds = ours(files, args.repeat)
    rows.append(
        ["pypdfium2 (metasummary, with repairs)", len(files), pages, seconds, pages / seconds]
    )
    if not args.no_peer:
        other = peer(files, args.repeat)
        if other is not None:
            rows.append(
                ["pdfminer.six extract_pages", len(files), other[0], other[1], other[0] / other[1]]
            )
    print(markdown_table(["Reader", "PDFs", "Pages", "Seconds", "Pages/s"], rows))

    print("\n## Attach and match\n")
    noise = distractors(args.distractors)
    rows = [match_accuracy(papers, True, noise), match_accuracy(papers, False, noise)]
    print(
        markdown_table(
            [
                "Records carry",
                "PDFs",
                "Distractors",
                "Right",
                "Wrong",
                "Unmatched",
                "Accuracy",
                "Seconds",
            ],
            rows,
        )
    )
    if not args.no_browser:
        print("\n## Reader: click to first page shown (chromium)\n")
        times = reader_times(papers)
        rows = [[name, pages, round(seconds * 1000)] for name, pages, seconds in times]
        print(markdown_table(["PDF", "Pages", "ms"], rows))
        values = [s * 1000 for _, _, s in times]
        print(f"\nmedian {statistics.median(values):.0f} ms, max {max(values):.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
