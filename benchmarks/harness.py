"""What the benchmark scripts share: peak memory and CPU time of the current process (Linux /proc),
measurements in fresh worker processes, a cursor that times every SQL statement, the machine's load.

Each measurement runs in a fresh subprocess: reset the peak (``reset_peak_rss``), run, read ``peak_rss_mb``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0). Returns False if not possible."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def rss_mb() -> float:
    return _status_kb("VmRSS") / 1024


def peak_rss_mb() -> float:
    return _status_kb("VmHWM") / 1024


def cpu_seconds() -> float:
    """User + system CPU time of this process (all threads)."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def run_worker(script: str | Path, args: list[str], timeout: float | None = None) -> dict | None:
    """Run ``script --worker ARGS`` in a fresh Python process; its last output line is JSON.
    ``None`` when it ran out of ``timeout`` seconds."""
    script = Path(script).resolve()
    cmd = [sys.executable, str(script), "--worker", *args]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=script.parent.parent)
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        raise RuntimeError(f"Worker {' '.join(args)} fehlgeschlagen:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def load_text(digits: int = 2) -> str:
    """The load average over 1, 5 and 15 minutes."""
    return " / ".join(f"{x:.{digits}f}" for x in os.getloadavg())


class TimedCursor:
    """Wraps a DuckDB cursor and records the wall time of every ``execute`` in ``log`` (label: the start of
    the SQL, ``width`` characters)."""

    def __init__(self, cur, log: list | None = None, width: int = 110):
        self._cur = cur
        self.log: list[tuple[str, float]] = [] if log is None else log
        self._width = width

    def execute(self, sql, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            return self._cur.execute(sql, *args, **kwargs)
        finally:
            self.log.append((" ".join(str(sql).split())[: self._width], time.perf_counter() - t0))

    def __getattr__(self, name):
        return getattr(self._cur, name)
