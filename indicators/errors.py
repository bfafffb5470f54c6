"""Unexpected failures in German: what went wrong, in words a user can act on.

The exception text itself (often English, from DuckDB, the operating system or a library) is never shown;
it goes to the server log, where the administration finds it under the same time.
"""

from __future__ import annotations

import errno
import logging
from typing import Any

import duckdb

log = logging.getLogger("integrationsmonitor")

LOG_HINT = "Die technischen Einzelheiten stehen im Protokoll des Servers."
LOG_HINT_REF = "Die technischen Einzelheiten stehen im Protokoll des Servers unter der Fehlernummer {ref}."


class UserError(Exception):
    """A refusal whose text is already a German message for the user (a target without a value, a
    rollback of an upload that is already rolled back …); shown as it is."""


def reason(exc: BaseException) -> str:
    """One German sentence on the kind of failure (disk full, no permission, database locked …)."""
    if isinstance(exc, MemoryError) or isinstance(exc, duckdb.OutOfMemoryException):
        return (
            "Der Arbeitsspeicher reicht für diese Aktion nicht (Grenze der Datenbank: Einstellung "
            "MONITOR_DB_MEMORY_MB)."
        )
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "Auf dem Datenträger des Monitors ist kein Platz mehr frei."
    if isinstance(exc, PermissionError):  # which file: in the log (no server path on a page)
        return "Dem Monitor fehlt die Schreib- oder Leseberechtigung für eine seiner Dateien."
    if isinstance(exc, OSError):
        return "Eine Datei des Monitors ließ sich nicht lesen oder schreiben."
    if isinstance(exc, duckdb.IOException):
        return (
            "Die Datenbankdatei ließ sich nicht lesen oder schreiben (Datenträger voll, keine Berechtigung "
            "oder von einem anderen Programm gesperrt)."
        )
    if isinstance(exc, duckdb.Error):
        return "Die Datenbank hat die Aktion abgelehnt."
    return "Ein interner Fehler ist aufgetreten."


class _OneLineFormatter(logging.Formatter):
    """For the command line: the exception as one line (type and text), no traceback."""

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        return f"  ({ei[0].__name__}: {ei[1]})" if ei and ei[0] else ""


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: int = logging.INFO, traceback: bool = True) -> None:
    """The monitor's log ("das Protokoll", which the messages point to): one handler on stderr with date and time,
    set up once per process (the app on start, the command line in ``main``). Streamlit's own log stays as it is."""
    if any(getattr(h, "_monitor", False) for h in log.handlers):
        return
    handler = logging.StreamHandler()
    handler._monitor = True  # type: ignore[attr-defined]
    handler.setFormatter((logging.Formatter if traceback else _OneLineFormatter)(LOG_FORMAT, "%Y-%m-%d %H:%M:%S"))
    log.addHandler(handler)
    log.setLevel(level)
    log.propagate = False


def report(exc: BaseException, what: str) -> str:
    """The German message for the user: a :class:`UserError` as it is; anything else is logged with its
    traceback and described by :func:`reason`."""
    if isinstance(exc, UserError):
        return str(exc)
    ref = error_number()
    log.error("%s fehlgeschlagen (Fehlernummer %s)", what, ref, exc_info=exc)
    return f"{reason(exc)} {LOG_HINT_REF.format(ref=ref)}"


def error_number() -> str:
    """A short number that names one failure on the page and in the log (time and four random hex digits): the
    administration finds the details of what a user reports, and the page shows no internals (issue 11)."""
    import datetime as dt
    import secrets

    return f"{dt.datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"
