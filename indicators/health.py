"""Whether a Streamlit server answers: one helper for the command line (``start``), the tests and the benchmarks."""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Callable


def local_url(port: int) -> str:
    """The local server's address on ``port``, with the path prefix the server is configured for (``baseUrlPath``)."""
    from indicators.config import base_url_path

    return f"http://127.0.0.1:{port}{base_url_path()}"


def health_url(where: str | int) -> str:
    """``http://127.0.0.1:PORT[/prefix]/_stcore/health`` for a port, or the health address under a base URL."""
    base = local_url(where) if isinstance(where, int) else str(where).rstrip("/")
    return f"{base}/_stcore/health"


def is_up(where: str | int, timeout: float = 2) -> bool:
    """One look: the server answers its health check with 200."""
    try:
        with urllib.request.urlopen(health_url(where), timeout=timeout) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def wait_until_up(
    where: str | int, timeout: float = 60, alive: Callable[[], bool] | None = None, interval: float = 0.5
) -> bool:
    """Wait until the server answers (True) or ``timeout`` seconds pass or ``alive()`` turns False (False)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if is_up(where):
            return True
        if alive is not None and not alive():
            return False
        time.sleep(interval)
    return False
