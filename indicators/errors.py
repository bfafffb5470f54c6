"""Unexpected failures in German: what went wrong, in words a user can act on.

The exception text itself (often English, from DuckDB, the operating system or a library) is never shown;
it goes to the server log, where the administration finds it under the same time.
"""

from __future__ import annotations

import errno
import logging

import duckdb

log = logging.getLogger("integrationsmonitor")

LOG_HINT = "Die technischen Einzelheiten stehen im Protokoll des Servers."


class UserError(Exception):
    """A refusal whose text is already a German message for the user (a target without a value, a
    rollback of an upload that is already rolled back …); shown as it is."""


def reason(exc: BaseException) -> str:
    """One German sentence on the kind of failure (disk full, no permission, database locked …)."""
    if isinstance(exc, MemoryError) or isinstance(exc, duckdb.OutOfMemoryException):
        return ("Der Arbeitsspeicher reicht für diese Aktion nicht (Grenze der Datenbank: Einstellung "
                "MONITOR_DB_MEMORY_MB).")
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "Auf dem Datenträger des Monitors ist kein Platz mehr frei."
    if isinstance(exc, PermissionError):
        where = f" für {exc.filename}" if exc.filename else ""
        return f"Dem Monitor fehlt die Schreib- oder Leseberechtigung{where}."
    if isinstance(exc, OSError):
        return "Eine Datei des Monitors ließ sich nicht lesen oder schreiben."
    if isinstance(exc, duckdb.IOException):
        return ("Die Datenbankdatei ließ sich nicht lesen oder schreiben (Datenträger voll, keine Berechtigung "
                "oder von einem anderen Programm gesperrt).")
    if isinstance(exc, duckdb.Error):
        return f"Die Datenbank hat die Aktion abgelehnt (interner Fehler {type(exc).__name__})."
    return f"Ein interner Fehler ist aufgetreten ({type(exc).__name__})."


def report(exc: BaseException, what: str) -> str:
    """The German message for the user: a :class:`UserError` as it is; anything else is logged with its
    traceback and described by :func:`reason`."""
    if isinstance(exc, UserError):
        return str(exc)
    log.error("%s fehlgeschlagen", what, exc_info=exc)
    return f"{reason(exc)} {LOG_HINT}"
