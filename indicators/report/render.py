"""Static images of the report's charts, without a browser (issue 25): the pages' Plotly figures
(``indicators.charts``) are drawn again with matplotlib (:mod:`indicators.report.draw`): the same series, colours
(Okabe-Ito), dash patterns, marker symbols, target star, Soll path, projection and note markers as on the pages;
numbers the German way (``1.234,5``), German axis labels. Nothing is downloaded, no browser is started.

A larger report (from :data:`POOL_MIN` charts) made by the command line is drawn by worker processes
(``MONITOR_REPORT_WORKERS``, 1: the second core, as Chromium drew beside Python before) while this process builds
the next figures; a smaller one, one in the app (:func:`pool_safe`), or where no worker starts, in this process.
Workers are ended on every path (done, error, time bound): ``Pool.terminate``."""

from __future__ import annotations

import logging
import multiprocessing
import sys
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import plotly.graph_objects as go

from indicators import config
from indicators.fmt import fmt_num
from indicators.report import draw
from indicators.report.content import ReportError

log = logging.getLogger("integrationsmonitor")

#: from this many charts on, worker processes draw (their start costs about a second)
POOL_MIN = 12
#: the clock of the time bound (a test moves it on)
_now = time.monotonic


class Deadline:
    """The report's hard bound on its time (``MONITOR_REPORT_TIMEOUT``): checked between charts and pages, so the
    work stops with a German message instead of running on; nothing runs in the background afterwards."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.end = None if seconds is None else _now() + seconds

    def check(self) -> None:
        if self.end is not None and _now() > self.end:
            raise ReportError(
                f"Der Bericht wurde nicht in {fmt_num(self.seconds, 0)} s fertig und wurde abgebrochen "
                "(Server ausgelastet?). Bitte eine kleinere Auswahl wählen oder später noch einmal versuchen; "
                "die Grenze stellt MONITOR_REPORT_TIMEOUT ein."
            )

    def remaining(self) -> float | None:
        return None if self.end is None else max(0.0, self.end - _now())


def render(
    figures: dict[Hashable, go.Figure] | Iterable[tuple[Hashable, go.Figure]],
    fmt: str = "png",
    size: tuple[int, int] = (720, 400),
    scale: float = 2.0,
    progress: Callable[[int, int], object] | None = None,
    total: int | None = None,
    deadline: Deadline | None = None,
) -> dict[Hashable, bytes]:
    """Each figure as PNG, JPEG or SVG bytes (``size`` in Plotly's pixels, ``scale`` as in Plotly: 640 × 360 at
    scale 2 is a 1280 × 720 PNG). ``figures`` may be a generator of (key, figure); ``total`` is then the count for
    ``progress``. Stops with a German message once ``deadline`` has passed."""
    items = figures.items() if isinstance(figures, dict) else figures
    total = len(figures) if isinstance(figures, dict) else total
    workers = config.settings().report_workers
    if workers and (total or 0) >= POOL_MIN:
        pool = _start_pool(workers)
        if pool is not None:
            return _render_in_pool(pool, iter(items), fmt, size, scale, progress, total, deadline)
    out: dict[Hashable, bytes] = {}
    for key, fig in items:
        if deadline:
            deadline.check()
        out[key] = image(fig, fmt, size, scale)
        if progress:
            progress(len(out), total or len(out))
    return out


def pool_safe() -> bool:
    """Whether a fresh worker (spawn) starts without running this process's main script again: only where the main
    module is a package's ``__main__`` (``python -m indicators``, ``python -m pytest``), which spawn skips. Inside the
    app Streamlit's script is the main module (it would run again in every worker): there the charts are drawn here."""
    main = sys.modules.get("__main__")
    name = getattr(getattr(main, "__spec__", None), "name", None) or ""
    return name == "__main__" or name.endswith(".__main__") or not getattr(main, "__file__", None)


def _start_pool(workers: int) -> Any:
    """A pool of fresh worker processes (spawn: nothing of this process's threads or connections is copied);
    None where none may or can start (then this process draws)."""
    if not pool_safe():
        return None
    try:
        return multiprocessing.get_context("spawn").Pool(workers)
    except (OSError, ValueError, RuntimeError):
        return None


#: a worker that has not answered its first task after this many seconds is given up: this process draws instead
WORKER_START_S = 20.0


def _render_in_pool(
    pool: Any,
    items: Any,
    fmt: str,
    size: tuple[int, int],
    scale: float,
    progress: Callable[[int, int], object] | None,
    total: int | None,
    deadline: Deadline | None,
) -> dict[Hashable, bytes]:
    """This process builds the figures and hands each to a worker at once; the workers draw meanwhile. A worker that
    does not start (or fails) costs at most :data:`WORKER_START_S`: the rest is drawn here, the report still comes."""
    out: dict[Hashable, bytes] = {}
    figures: dict[Hashable, go.Figure] = {}
    pending: deque[tuple[Hashable, Any]] = deque()
    failed = False

    def done(key: Hashable, data: bytes) -> None:
        out[key] = data
        if progress:
            progress(len(out), total or len(out))

    try:
        for key, fig in items:
            if deadline:
                deadline.check()
            figures[key] = fig
            if not failed:
                pending.append((key, pool.apply_async(draw.job, ((fig.to_dict(), fmt, size, scale),))))
            while pending and pending[0][1].ready():  # (progress for what is done already)
                k, res = pending.popleft()
                if res.successful():
                    done(k, res.get())
                else:
                    failed = True
        first = True
        while pending and not failed:
            k, res = pending.popleft()
            wait = deadline.remaining() if deadline else None
            if first and not out:  # nothing back yet: the worker may not have started at all
                wait = WORKER_START_S if wait is None else min(wait, WORKER_START_S)
            first = False
            try:
                done(k, res.get(timeout=wait))
            except multiprocessing.TimeoutError:
                if deadline:
                    deadline.check()
                failed = True
            except Exception:  # a worker failed: this process draws the rest
                failed = True
        if failed:
            log.warning("Diagramme: Hilfsprozess antwortet nicht, der Bericht zeichnet sie selbst")
            for key, fig in figures.items():
                if key not in out:
                    if deadline:
                        deadline.check()
                    done(key, image(fig, fmt, size, scale))
        return {key: out[key] for key in figures}
    finally:
        pool.terminate()  # every worker ends, whatever happened above
        pool.join()


def image(fig: go.Figure, fmt: str = "png", size: tuple[int, int] = (720, 400), scale: float = 2.0) -> bytes:
    """One Plotly figure as PNG, JPEG or SVG bytes (text in the SVG stays text)."""
    return draw.image(fig, fmt, size, scale)
