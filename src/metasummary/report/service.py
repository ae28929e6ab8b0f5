"""``project.report``: write the review's report in every format, the same bytes for the same data.

The report folder holds ``index.html`` (self-contained), ``report.md``, ``report.tex``,
``report.xlsx``, the figures (``figures/*.svg``, ``.pdf``, and the PRISMA diagram as
``.png``) and the included papers as ``included.bib`` and ``included.ris``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

from metasummary.errors import InputError, ProjectError
from metasummary.fulltext import FullTexts
from metasummary.imports.writers import write_bibtex, write_ris
from metasummary.query.service import QueryService
from metasummary.report import html, latex, markdown, xlsx
from metasummary.report import notes as report_notes
from metasummary.report.collect import collect
from metasummary.report.content import ReportContent
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

    def content(self, *, timestamps: bool = False) -> ReportContent:
        """Everything the report shows, computed now."""
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
    ) -> ReportFiles:
        """Write the report to ``out`` (default: ``report/`` in the review folder).

        Args:
            formats: Any of html, markdown, latex, xlsx (or all).
            timestamps: Date the report and the query versions; off by default, so the
                same data gives byte-identical files.
        """
        chosen = check_formats(formats)
        folder = out if out is not None else self._default_folder()
        content = self.content(timestamps=timestamps)
        written = ReportFiles(folder)
        try:
            (folder / FIGURES).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProjectError(f"{folder}: cannot write the report there ({exc})") from None
        for chart in [content.prisma_chart, *content.charts]:
            for fmt, data in sorted(chart.files.items()):
                if fmt == "png" and chart is not content.prisma_chart:
                    continue
                self._put(written, f"{FIGURES}/{chart.name}.{fmt}", data)
        bib, ris = StringIO(), StringIO()
        write_bibtex(content.bibliography, bib)
        write_ris(content.bibliography, ris)
        self._put(written, "included.bib", bib.getvalue().encode("utf-8"))
        self._put(written, "included.ris", ris.getvalue().encode("utf-8"))
        renderers = {
            "html": lambda: html.render(content).encode("utf-8"),
            "markdown": lambda: markdown.render(content, FIGURES).encode("utf-8"),
            "latex": lambda: latex.render(content, FIGURES).encode("utf-8"),
            "xlsx": lambda: xlsx.render(content, stamp=clock.now() if timestamps else None),
        }
        for fmt in chosen:
            self._put(written, FILES[fmt], renderers[fmt]())
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
