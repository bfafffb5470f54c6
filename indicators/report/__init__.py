"""The committee's report (issue 13): the Integrationsbericht as PDF, the PowerPoint, the value exports and the
chart images. No Streamlit: the page "Bericht" and the command line call these functions.

- :mod:`indicators.report.content` gathers what the report says (the same verdicts and wording as the pages),
- :mod:`indicators.report.figures` builds the charts with the pages' figure builders (``indicators.charts``),
- :mod:`indicators.report.render` draws them statically with matplotlib (no browser, no child process),
- :mod:`indicators.report.pdf` and :mod:`indicators.report.slides` write the documents,
- :mod:`indicators.report.values` exports every current indicator value (Excel, CSV).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from indicators.report.content import Report, Selection
    from indicators.report.render import Deadline
    from indicators.service import Monitor

FORMATS = ("pdf", "pptx")


def make_report(
    monitor: Monitor, selection: Selection, fmt: str = "pdf", progress: Callable[[float, str], object] | None = None
) -> bytes:
    """The report for ``selection`` (:class:`indicators.report.content.Selection`) as PDF or PPTX bytes; a selection
    it cannot be built for raises :class:`indicators.report.content.ReportError` with a German message. The whole
    work is bounded by MONITOR_REPORT_TIMEOUT (a German message when it is exceeded; nothing keeps running)."""
    from indicators.report import content
    from indicators.report.render import Deadline

    if fmt not in FORMATS:
        raise content.SelectionError(f"Unbekanntes Format „{fmt}“: pdf oder pptx.")
    deadline = Deadline(monitor.settings.report_timeout)
    return write_report(monitor, content.build(monitor, selection), fmt, progress, deadline)


def write_report(
    monitor: Monitor,
    report: Report,
    fmt: str,
    progress: Callable[[float, str], object] | None = None,
    deadline: Deadline | None = None,
) -> bytes:
    """A built :class:`indicators.report.content.Report` as PDF or PPTX bytes (the page keeps the report it built,
    so its summary is not computed again on every rerun)."""
    from indicators.report.render import Deadline

    deadline = deadline or Deadline(monitor.settings.report_timeout)
    if fmt == "pdf":
        from indicators.report.pdf import write_pdf

        return write_pdf(monitor, report, progress, deadline)
    from indicators.report.slides import write_pptx

    return write_pptx(monitor, report, progress, deadline)


def chart_images(
    monitor: Monitor, indicator: str, kind: str = "verlauf", year: int | None = None, regions: list[str] | None = None
) -> dict[str, tuple[str, bytes]]:
    """One chart of the report as PNG and SVG: {'png': (file name, bytes), 'svg': (…)}; empty if the indicator
    has no such chart (no values, no breakdown)."""
    from indicators.report import content, figures
    from indicators.report.render import image

    report = content.build(
        monitor, content.Selection(year=year, indicators=[indicator], regions=regions or []), check_regions=False
    )
    entry = report.entries[0]
    fig = figures.report_figures(monitor, report, slides=(kind == "folie")).get((indicator, kind))
    if fig is None:
        return {}
    size = figures.SLIDE_SIZE if kind == "folie" else figures.PRINT_SIZE
    out = {}
    for fmt, scale in (("png", 2.0), ("svg", 1.0)):
        out[fmt] = (
            figures.file_name(entry.ind.name, kind, report.year, fmt),
            image(fig, fmt, size, scale),
        )
    return out


def check_target(target: Path) -> None:
    """Before the work: the file's folder exists and may be written to, the file itself is no folder; else a
    German :class:`indicators.report.content.SelectionError` naming the folder."""
    import os

    from indicators.report.content import SelectionError

    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise SelectionError(f"Den Ordner {folder} gibt es nicht: bitte einen vorhandenen Ordner angeben.")
    if target.is_dir():
        raise SelectionError(
            f"{target} ist ein Ordner; bitte einen Dateinamen angeben (z. B. {target / 'bericht.pdf'})."
        )
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise SelectionError(f"In den Ordner {folder} darf nicht geschrieben werden (Schreibrechte fehlen).")


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
