"""The review's report: selection flow, PRISMA diagram, charts, meta-summary, references.

``project.report.write(out, formats=...)`` writes HTML, Markdown, LaTeX and XLSX from one
collected :class:`~metasummary.report.content.ReportContent`; see :mod:`.service`.
"""

from metasummary.report.service import FORMATS, Report, ReportFiles

__all__ = ["FORMATS", "Report", "ReportFiles"]
