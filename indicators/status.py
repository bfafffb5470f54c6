"""Status codes compared across modules, as enums (issue 26). Their values are str (``StrEnum``): what is stored in
the database, written to JSON and shown stays the same German word, and a comparison with the plain string still
holds."""

from __future__ import annotations

from enum import StrEnum


class ImportStatus(StrEnum):
    """The outcome of an import of one file (:class:`indicators.ingest.pipeline.ImportResult`)."""

    IMPORTED = "importiert"
    ALREADY_PRESENT = "bereits_vorhanden"
    REJECTED = "abgelehnt"
    PREVIEW = "vorschau"
    #: plausibility warnings not yet confirmed (command line without --ja; a file of the inbox waits in
    #: inbox/zu_bestaetigen/ for a person): nothing written
    TO_CONFIRM = "zu_bestaetigen"

    @property
    def ok(self) -> bool:
        """The file's data are in the database (imported now or before)."""
        return self in (ImportStatus.IMPORTED, ImportStatus.ALREADY_PRESENT)


class UploadStatus(StrEnum):
    """An upload's state in the table ``uploads`` (column ``status``)."""

    ACTIVE = "aktiv"
    ROLLED_BACK = "zurueckgenommen"


class MeasureStatus(StrEnum):
    """A measure's status as its owner reports it (strategy, issue 12; column ``status`` of the measures)."""

    PLANNED = "geplant"
    RUNNING = "laufend"
    COMPLETED = "abgeschlossen"
    SUSPENDED = "ausgesetzt"
    CANCELLED = "abgebrochen"
