"""The committee's report (issue 13): the Integrationsbericht as PDF, the PowerPoint, the value exports and the
chart images. No Streamlit: the page "Bericht" and the command line call these functions.

- :mod:`indicators.report.content` gathers what the report says (the same verdicts and wording as the pages),
- :mod:`indicators.report.figures` builds the charts with the pages' figure builders (``indicators.charts``),
- :mod:`indicators.report.render` renders them statically (kaleido with the system's Chromium, nothing downloaded),
- :mod:`indicators.report.pdf` and :mod:`indicators.report.slides` write the documents,
- :mod:`indicators.report.values` exports every current indicator value (Excel, CSV).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from indicators.report.content import Report, Selection
    from indicators.service import Monitor

FORMATS = ("pdf", "pptx")


def make_report(
    monitor: Monitor, selection: Selection, fmt: str = "pdf", progress: Callable[[float, str], object] | None = None
) -> bytes:
    """The report for ``selection`` (:class:`indicators.report.content.Selection`) as PDF or PPTX bytes; a selection
    it cannot be built for raises :class:`indicators.report.content.ReportError` with a German message."""
    from indicators.report import content

    if fmt not in FORMATS:
        raise content.SelectionError(f"Unbekanntes Format „{fmt}“: pdf oder pptx.")
    return write_report(monitor, content.build(monitor, selection), fmt, progress)


def write_report(
    monitor: Monitor, report: Report, fmt: str, progress: Callable[[float, str], object] | None = None
) -> bytes:
    """A built :class:`indicators.report.content.Report` as PDF or PPTX bytes (the page keeps the report it built,
    so its summary is not computed again on every rerun)."""
    if fmt == "pdf":
        from indicators.report.pdf import write_pdf

        return write_pdf(monitor, report, progress)
    from indicators.report.slides import write_pptx

    return write_pptx(monitor, report, progress)


def chart_images(
    monitor: Monitor, indicator: str, kind: str = "verlauf", year: int | None = None, regions: list[str] | None = None
) -> dict[str, tuple[str, bytes]]:
    """One chart of the report as PNG and SVG: {'png': (file name, bytes), 'svg': (…)}; empty if the indicator
    has no such chart (no values, no breakdown)."""
    from indicators.report import content, figures
    from indicators.report.render import render

    report = content.build(monitor, content.Selection(year=year, indicators=[indicator], regions=regions or []))
    entry = report.entries[0]
    fig = figures.report_figures(monitor, report, slides=(kind == "folie")).get((indicator, kind))
    if fig is None:
        return {}
    size = figures.SLIDE_SIZE if kind == "folie" else figures.PRINT_SIZE
    out = {}
    for fmt, scale in (("png", 2.0), ("svg", 1.0)):
        out[fmt] = (
            figures.file_name(entry.ind.name, kind, report.year, fmt),
            render([(kind, fig)], fmt, size, scale, tabs=1)[kind],
        )
    return out


def preview_pages(pdf: bytes, pages: int = 2, dpi: int = 60) -> list[bytes]:
    """The first pages of a PDF as PNG (pdftoppm from poppler-utils); empty when pdftoppm is not installed."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    exe = shutil.which("pdftoppm")
    if not exe:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "bericht.pdf"
        src.write_bytes(pdf)
        subprocess.run(
            [exe, "-png", "-r", str(dpi), "-f", "1", "-l", str(pages), str(src), str(Path(tmp) / "s")],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return [p.read_bytes() for p in sorted(Path(tmp).glob("s-*.png"))]
