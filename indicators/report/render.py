"""Static images of Plotly figures: kaleido (>= 1) drives the system's Chromium (``/usr/bin/chromium``, or the
path in ``MONITOR_CHROMIUM`` / ``BROWSER_PATH``). Nothing is downloaded: plotly.js comes from the installed plotly
package, MathJax is switched off, and a missing browser ends in a German message instead of kaleido's download."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import shutil
from collections.abc import Callable, Coroutine, Hashable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import plotly.graph_objects as go

from indicators import config
from indicators.report.content import ReportError

log = logging.getLogger("integrationsmonitor")

START_TIMEOUT_S = 60.0  # Chromium's start
PER_IMAGE_S = 3.0  # a whole batch may take this long per image (at least 90 s) before it is given up
CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def browser_path() -> str:
    """The Chromium to render with; a German ReportError when there is none (never a download)."""
    for p in (
        *config.settings().chromium,  # MONITOR_CHROMIUM, BROWSER_PATH
        *CANDIDATES,
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if p and Path(p).exists():
            return p
    raise ReportError(
        "Für die Diagrammbilder wird Chromium gebraucht, es ist auf dem Server aber nicht installiert "
        "(Debian: apt-get install chromium; anderer Ort: Umgebungsvariable MONITOR_CHROMIUM)."
    )


T = TypeVar("T")


def _run_outside_any_loop(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in this thread, or, where this thread already runs an event loop (a caller inside asyncio, or a
    browser driver's loop), in a thread of its own: the same result either way."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="diagrammbilder") as pool:
        return pool.submit(asyncio.run, coro).result()


def render(
    figures: dict[Hashable, go.Figure] | Iterable[tuple[Hashable, go.Figure]],
    fmt: str = "png",
    size: tuple[int, int] = (720, 400),
    scale: float = 2.0,
    progress: Callable[[int, int], object] | None = None,
    tabs: int = 1,
    total: int | None = None,
) -> dict[Hashable, bytes]:
    """Each figure as PNG or SVG bytes, in one browser session. One tab: as fast as two on 2 cores (Python builds the
    next figure meanwhile), 250 MB less, and no tab in the background (where Chromium may hold back drawing). ``figures`` may
    be a generator of (key, figure): each figure is handed to the browser as soon as it is built, so building the
    next one (Python) and drawing (Chromium) overlap; ``total`` is then the count for ``progress``."""
    items = figures.items() if isinstance(figures, dict) else figures
    total = len(figures) if isinstance(figures, dict) else total
    path = browser_path()
    try:
        return _run_outside_any_loop(_render(iter(items), fmt, size, scale, progress, tabs, path, total))
    except ReportError:
        raise
    except Exception as exc:  # the browser did not start or crashed: a German message, details in the log
        log.exception("Diagrammbilder: Chromium unter %s", path)
        raise ReportError(
            "Die Diagrammbilder konnten nicht erzeugt werden (Chromium startet nicht). "
            "Einzelheiten stehen im Protokoll des Servers."
        ) from exc


def _kaleido_class() -> Any:
    import kaleido

    class _Kaleido(kaleido.Kaleido):  # type: ignore[misc]  # (no type information)
        """Kaleido reloads a tab (and its 4,5 MB plotly.js) after every image: 0,2 s each. The page draws every
        figure into a new element and exports it with Plotly.toImage, so the next figure starts clean without."""

        async def _return_kaleido_tab(self, tab: Any) -> None:
            await self.tabs_ready.put(tab)

    return _Kaleido


async def _render(
    items: Iterator[tuple[Hashable, go.Figure]],
    fmt: str,
    size: tuple[int, int],
    scale: float,
    progress: Callable[[int, int], object] | None,
    tabs: int,
    path: str,
    total: int | None,
) -> dict[Hashable, bytes]:
    """Chromium starts while the first figures are built; each figure goes to the browser as soon as it is built
    and the browser is up (kaleido refuses work before), so Python and Chromium work side by side."""
    width, height = size
    out: dict[Hashable, bytes] = {}
    keys: list[Any] = []
    done = 0
    k = _kaleido_class()(n=tabs, mathjax=False, path=path, timeout=30)

    async def one(key: Hashable, fig: go.Figure) -> None:
        nonlocal done
        out[key] = await k.calc_fig(fig, opts=dict(format=fmt, width=width, height=height, scale=scale))
        done += 1
        if progress:
            progress(done, total or len(keys))

    opener = asyncio.ensure_future(k.open())
    try:
        waiting: list[Any] = []
        tasks: list[Any] = []
        for key, fig in items:
            keys.append(key)
            waiting.append((key, fig))
            await asyncio.sleep(0)  # let the browser's start and the running images go on
            if opener.done():
                opener.result()  # a failed start ends here
                tasks += [asyncio.ensure_future(one(*w)) for w in waiting]
                waiting = []
        await asyncio.wait_for(asyncio.shield(opener), START_TIMEOUT_S)
        tasks += [asyncio.ensure_future(one(*w)) for w in waiting]
        # never an endless wait for the page: a browser that stops answering ends in a German message
        await asyncio.wait_for(asyncio.gather(*tasks), max(90.0, PER_IMAGE_S * len(tasks)))
    except TimeoutError as exc:
        raise ReportError(
            "Die Diagrammbilder wurden nicht rechtzeitig fertig (Chromium antwortet nicht oder der "
            "Server ist ausgelastet). Bitte später noch einmal versuchen."
        ) from exc
    finally:
        if opener.done() and not opener.cancelled() and not opener.exception():
            await k.close()
        else:
            opener.cancel()
    return {key: out[key] for key in keys}
