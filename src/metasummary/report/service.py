"""``project.report``: write the review's report in every format, the same bytes for the same data.

The report folder holds ``index.html`` (self-contained), ``report.md``, ``report.tex``,
``report.xlsx``, the figures (``figures/prisma.svg``, ``.pdf`` and ``.png``; each chart as
``.svg`` for the HTML and Markdown, ``.pdf`` for LaTeX) and the included papers as
``included.bib`` (LaTeX-safe, cited from ``report.tex``) and ``included.ris``.

The content is collected once and laid out once (:mod:`~metasummary.report.outline`); each
chart is drawn once, in the formats the chosen writers use; a progress callback hears of each
step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

from metasummary.errors import InputError, ProjectError
from metasummary.fulltext import FullTexts
from metasummary.imports.writers import write_bibtex, write_ris
from metasummary.query.service import QueryService
from metasummary.report import diagram, latex, outline
from metasummary.report import notes as report_notes
from metasummary.report.charts import Chart
from metasummary.report.collect import collect
from metasummary.report.content import ReportContent
from metasummary.report.document import Document
from metasummary.report.notes import Annotations
from metasummary.review import Review
from metasummary.screening.decisions import Screening
from metasummary.store import clock, events
from metasummary.store import themes as store_themes
from metasummary.synthesis import Synthesis

FORMATS = ("html", "markdown", "latex", "xlsx")
FIGURES = "figures"
REPORT_DIR = "report"
FILES = {
    "html": "index.html",
    "markdown": "report.md",
    "latex": "report.tex",
    "xlsx": "report.xlsx",
}


Progress = Callable[[str, int, int], None]
"""Told of each step: what it does, how many steps are done, of how many."""
FIGURE_FORMATS = {"html": ("svg",), "markdown": ("svg",), "latex": ("pdf",), "xlsx": ()}
PRISMA_FORMATS = ("svg", "pdf", "png")


def _silent(_step: str, _done: int, _total: int) -> None:
    return None


@dataclass(slots=True)
class ReportFiles:
    """Where a report was written, and every file written, relative to that folder."""

    folder: Path
    files: list[str] = field(default_factory=list)

    def main(self, fmt: str) -> Path:
        return self.folder / FILES[fmt]


def check_formats(formats: Iterable[str]) -> list[str]:
    chosen: list[str] = []
    for fmt in formats:
        if fmt == "all":
            chosen.extend(f for f in FORMATS if f not in chosen)
        elif fmt in FORMATS:
            if fmt not in chosen:
                chosen.append(fmt)
        else:
            raise InputError(f"report format {fmt!r}: use one of {', '.join(FORMATS)} or all")
    return chosen or list(FORMATS)


class Report:
    """The report of one review (``project.report``), from its store and the services whose
    figures it shows."""

    def __init__(
        self,
        review: Review,
        *,
        synthesis: Synthesis,
        screening: Screening,
        query: QueryService,
        fulltexts: FullTexts | None = None,
    ) -> None:
        self.review = review
        self.synthesis = synthesis
        self.screening = screening
        self.query = query
        self.fulltexts = fulltexts

    def content(self, *, timestamps: bool = False, progress: Progress = _silent) -> ReportContent:
        """Everything the report shows, computed now."""
        progress("collecting the review's data", 0, 1)
        return collect(
            self.review,
            synthesis=self.synthesis,
            screening=self.screening,
            query=self.query,
            fulltexts=self.fulltexts,
            timestamps=timestamps,
        )

    def write(
        self,
        out: Path | None = None,
        *,
        formats: Iterable[str] = FORMATS,
        timestamps: bool = False,
        progress: Progress = _silent,
    ) -> ReportFiles:
        """Write the report to ``out`` (default: ``report/`` in the review folder).

        Args:
            formats: Any of html, markdown, latex, xlsx (or all).
            timestamps: Date the report and the query versions; off by default, so the
                same data gives byte-identical files.
            progress: Called before each step with its name, the steps done and their number.
        """
        chosen = check_formats(formats)
        folder = out if out is not None else self._default_folder()
        content = self.content(timestamps=timestamps, progress=progress)
        charts = {spec.name: spec for spec in content.figures}
        wanted = sorted({f for fmt in chosen for f in FIGURE_FORMATS[fmt]})
        total = 2 + (len(charts) if wanted else 0) + 1 + len(chosen)
        step = _Steps(progress, total, done=1)
        written = ReportFiles(folder)
        try:
            (folder / FIGURES).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProjectError(f"{folder}: cannot write the report there ({exc})") from None
        step("drawing the PRISMA flow diagram")
        drawn: dict[str, Chart] = {
            outline.PRISMA: diagram.draw(content.prisma, outline.PRISMA, PRISMA_FORMATS)
        }
        for name, spec in charts.items() if wanted else ():
            step(f"drawing the chart {spec.title!r}")
            drawn[name] = spec.draw(wanted)
        for chart in drawn.values():
            for fmt, data in sorted(chart.files.items()):
                self._put(written, f"{FIGURES}/{chart.name}.{fmt}", data)
        step("writing the included papers (BibTeX, RIS)")
        bib, ris = StringIO(), StringIO()
        write_bibtex(content.bibliography, bib, text=latex.bib_text)
        write_ris(content.bibliography, ris)
        self._put(written, "included.bib", bib.getvalue().encode("utf-8"))
        self._put(written, "included.ris", ris.getvalue().encode("utf-8"))
        doc = outline.build(content)
        for fmt in chosen:
            step(f"writing {FILES[fmt]}")
            self._put(written, FILES[fmt], _render(fmt, doc, drawn, timestamps))
        progress("done", total, total)
        written.files.sort()
        return written

    def notes(self) -> Annotations:
        """The notice and the published theme counts the report shows."""
        with self.review.store.read() as conn:
            return report_notes.load(conn)

    def annotate(
        self,
        *,
        notice: str | None = None,
        reported_frequency: Mapping[int, int] | None = None,
        actor: str = "",
    ) -> Annotations:
        """Set the report's notice and/or published theme frequencies (theme id -> count)."""
        with self.review.store.write() as conn:
            current = report_notes.load(conn)
            if notice is not None:
                current.notice = " ".join(notice.split())
            if reported_frequency is not None:
                known = {t.id for t in store_themes.list_themes(conn)}
                for theme_id, count in reported_frequency.items():
                    if theme_id not in known:
                        raise InputError(f"theme {theme_id}: no such theme in this review")
                    if count < 0:
                        raise InputError(f"theme {theme_id}: a frequency cannot be negative")
                    current.reported_frequency[theme_id] = count
            report_notes.save(conn, current)
            events.log(conn, "report.annotate", actor=actor, payload={"notes": current.to_json()})
        return current

    def _default_folder(self) -> Path:
        if self.review.root is None:
            raise InputError("this review is opened by URL; give the folder with --out DIR")
        return self.review.root / REPORT_DIR

    @staticmethod
    def _put(written: ReportFiles, name: str, data: bytes) -> None:
        path = written.folder / name
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise ProjectError(f"{path}: cannot write ({exc.strerror})") from None
        written.files.append(name)


class _Steps:
    """Counts the steps of one write for the progress callback."""

    def __init__(self, progress: Progress, total: int, done: int = 0) -> None:
        self.progress = progress
        self.total = total
        self.done = done

    def __call__(self, what: str) -> None:
        self.progress(what, self.done, self.total)
        self.done += 1


def _render(fmt: str, doc: Document, charts: Mapping[str, Chart], stamp: bool) -> bytes:
    """One format's main file; its writer is imported only when it is asked for."""
    if fmt == "html":
        from metasummary.report import html

        return html.render(doc, charts).encode("utf-8")
    if fmt == "markdown":
        from metasummary.report import markdown

        return markdown.render(doc, FIGURES).encode("utf-8")
    if fmt == "latex":
        return latex.render(doc, charts, FIGURES).encode("utf-8")
    from metasummary.report import xlsx

    return xlsx.render(doc, stamp=clock.now() if stamp else None)
