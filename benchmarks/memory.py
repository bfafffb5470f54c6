"""Peak memory and CPU time of the current process (Linux /proc), shared by the benchmark scripts.

Each measurement runs in a fresh subprocess: reset the peak (``reset_peak_rss``), run, read ``peak_rss_mb``.
"""

from __future__ import annotations

import resource


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
