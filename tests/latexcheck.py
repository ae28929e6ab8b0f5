"""Compile a LaTeX report and check that it fits its pages (used by the report tests).

``compile_report`` runs pdflatex, bibtex, pdflatex, pdflatex as an author would, then reads the
log for overfull boxes wider than :data:`TOLERANCE_PT` and for undefined references or
citations, and renders every page with ``pdftoppm`` to look for ink in the margins: outside
the text block, except for the page number's line at the foot.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

TOLERANCE_PT = 1.0
DPI = 72
"""Rendering resolution: one pixel per big point."""
MARGIN_PT = 2.2 / 2.54 * 72
"""The report's margins (``geometry``: 2.2 cm on every side)."""
SLACK_PT = 2.0
"""Ink may reach this far past the text block (anti-aliasing, italic overhangs)."""
FOOTER_PT = (30.0 - 9.0, 30.0 + 4.0)
"""Where the page number sits below the text block (``\\footskip`` 30 pt, less its height)."""
_OVERFULL = re.compile(r"Overfull \\[hv]box \((\d+(?:\.\d+)?)pt too (?:wide|high)\)[^\n]*")
_UNDEFINED = re.compile(
    r"(LaTeX Warning: (?:Reference|Citation) [^\n]* undefined[^\n]*"
    r"|There were undefined (?:references|citations))"
)


@dataclass(slots=True)
class LatexCheck:
    pdf: Path
    pages: list[Path]
    overfull: list[str] = field(default_factory=list)
    undefined: list[str] = field(default_factory=list)
    ink: list[str] = field(default_factory=list)
    """Pages with ink in a margin: page number and where."""

    @property
    def problems(self) -> list[str]:
        return [*self.overfull, *self.undefined, *self.ink]


def tools() -> dict[str, str] | None:
    found = {name: shutil.which(name) for name in ("pdflatex", "bibtex", "pdftoppm")}
    if any(path is None for path in found.values()):
        return None
    return {name: str(path) for name, path in found.items()}


def _run(command: list[str], folder: Path) -> str:
    result = subprocess.run(
        command, cwd=folder, capture_output=True, text=True, timeout=180, check=False
    )
    if result.returncode != 0 and command[0].endswith("pdflatex"):
        raise AssertionError(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}")
    return result.stdout


def compile_report(folder: Path, render: Path | None = None) -> LatexCheck:
    """Compile ``folder/report.tex`` and check the result; page images go to ``render``."""
    found = tools()
    assert found is not None, "pdflatex, bibtex and pdftoppm are needed"
    latex = [found["pdflatex"], "-interaction=nonstopmode", "-halt-on-error", "report.tex"]
    _run(latex, folder)
    _run([found["bibtex"], "report"], folder)
    _run(latex, folder)
    _run(latex, folder)
    log = (folder / "report.log").read_text(encoding="latin-1")
    pdf = folder / "report.pdf"
    check = LatexCheck(pdf, [])
    check.overfull = [
        m.group(0) for m in _OVERFULL.finditer(log) if float(m.group(1)) > TOLERANCE_PT
    ]
    check.undefined = [m.group(0) for m in _UNDEFINED.finditer(log)]
    out = render or folder / "pages"
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [found["pdftoppm"], "-r", str(DPI), "-png", str(pdf), str(out / "page")],
        check=True,
        timeout=180,
    )
    check.pages = sorted(out.glob("page-*.png"))
    for number, page in enumerate(check.pages, 1):
        where = margin_ink(page)
        if where:
            check.ink.append(f"page {number}: ink in the {where} margin ({page.name})")
    return check


def margin_ink(page: Path) -> str:
    """Which margin of a page image holds ink ('' when none)."""
    from PIL import Image

    image = Image.open(page).convert("L")
    width, height = image.size
    scale = width / (210 / 25.4 * 72)  # pixels per point, on A4
    edge = int((MARGIN_PT - SLACK_PT) * scale)
    inner_bottom = height - int(MARGIN_PT * scale)
    footer = (inner_bottom + int(FOOTER_PT[0] * scale), inner_bottom + int(FOOTER_PT[1] * scale))
    number_box = (width // 2 - int(20 * scale), width // 2 + int(20 * scale))
    regions = {
        "left": (0, 0, edge, height),
        "right": (width - edge, 0, width, height),
        "top": (0, 0, width, edge),
        "bottom": (0, height - edge, width, height),
    }
    for name, box in regions.items():
        crop = image.crop(box)
        darkest, _ = crop.getextrema()
        if int(darkest) >= 200:  # type: ignore[call-overload]
            continue
        pixels = crop.load()
        assert pixels is not None
        cw, ch = crop.size
        for y in range(ch):
            for x in range(cw):
                if pixels[x, y] < 200:
                    px, py = x + box[0], y + box[1]
                    in_footer = (
                        footer[0] <= py <= footer[1] and number_box[0] <= px <= number_box[1]
                    )
                    if not in_footer:
                        return name
    return ""
