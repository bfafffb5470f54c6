"""Static images of Plotly figures: kaleido (>= 1) drives the system's Chromium (``/usr/bin/chromium``, or the
path in ``MONITOR_CHROMIUM`` / ``BROWSER_PATH``). Nothing is downloaded: plotly.js comes from the installed plotly
package, MathJax is switched off, and a missing browser ends in a German message instead of kaleido's download."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from collections.abc import Callable, Hashable
from pathlib import Path

import plotly.graph_objects as go

from indicators.report.content import ReportError

log = logging.getLogger("integrationsmonitor")

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def browser_path() -> str:
    """The Chromium to render with; a German ReportError when there is none (never a download)."""
    for p in (os.environ.get("MONITOR_CHROMIUM"), os.environ.get("BROWSER_PATH"), *CANDIDATES,
              shutil.which("chromium"), shutil.which("chromium-browser")):
        if p and Path(p).exists():
            return p
    raise ReportError("Für die Diagrammbilder wird Chromium gebraucht, es ist auf dem Server aber nicht installiert "
                      "(Debian: apt-get install chromium; anderer Ort: Umgebungsvariable MONITOR_CHROMIUM).")


def render(figures: dict[Hashable, go.Figure], fmt: str = "png", size: tuple[int, int] = (720, 400),
           scale: float = 2.0, progress: Callable[[int, int], None] | None = None,
           tabs: int = 2) -> dict[Hashable, bytes]:
    """Each figure as PNG or SVG bytes, in one browser session (``tabs`` pages render side by side)."""
    if not figures:
        return {}
    path = browser_path()
    try:
        return asyncio.run(_render(figures, fmt, size, scale, progress, tabs, path))
    except ReportError:
        raise
    except Exception as exc:  # the browser did not start or crashed: a German message, details in the log
        log.exception("Diagrammbilder: Chromium unter %s", path)
        raise ReportError("Die Diagrammbilder konnten nicht erzeugt werden (Chromium startet nicht). "
                          "Einzelheiten stehen im Protokoll des Servers.") from exc


def _kaleido_class():
    import kaleido

    class _Kaleido(kaleido.Kaleido):
        """Kaleido reloads a tab (and its 4,5 MB plotly.js) after every image: 0,2 s each. The page draws every
        figure into a new element and exports it with Plotly.toImage, so the next figure starts clean without."""

        async def _return_kaleido_tab(self, tab) -> None:
            await self.tabs_ready.put(tab)

    return _Kaleido


async def _render(figures, fmt, size, scale, progress, tabs, path):

    width, height = size
    keys = list(figures)
    out: dict = {}
    done = 0
    async with _kaleido_class()(n=tabs, mathjax=False, path=path, timeout=60) as k:
        async def one(key):
            nonlocal done
            fig = figures[key]
            out[key] = await k.calc_fig(fig, opts=dict(format=fmt, width=width, height=height, scale=scale))
            done += 1
            if progress:
                progress(done, len(keys))

        await asyncio.gather(*(one(key) for key in keys))
    return {key: out[key] for key in keys}
