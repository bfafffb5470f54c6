"""Widget groups of the page "Daten und Upload", one module per part:

- ``flow``: the uploader's files read with progress, the panel of each file, diff and confirmation, result;
- ``preview``: format and reasoning, facts, problems, assumptions, sample, the regions a file brings;
- ``mapping_editor``: profiles offered for a file and the column-mapping editor;
- ``pending``: files of the inbox waiting for a confirmation of their plausibility warnings;
- ``history``: uploads, details, diff, original, rollback;
- ``profiles``: the saved and shipped mapping profiles;
- ``common``: session slots, German error display, formatting shared by the parts.

Only calls into the core (``indicators``): no SQL here. Each file is one upload session of the core
(:class:`indicators.ingest.session.UploadSession`): it reads, checks and commits the file and hands the page one
report to draw; the file's cells (for the mapping editor) come from it too. Every core call that can fail is caught
and shown as a German message (never a traceback).
"""

from __future__ import annotations

from ui.upload.common import (
    NOTICES,
    OFFERS,
    PREVIEWS,
    RAWS,
    READERS,
    RESULTS,
    changes_view,
    fail,
    forget_upload,
    format_labels,
    guarded,
    num_text,
    session_slot,
    value_text,
)
from ui.upload.flow import current_files, file_panel, read_files
from ui.upload.history import history
from ui.upload.mapping_editor import mapping_editor
from ui.upload.pending import pending
from ui.upload.preview import problems_frame, problems_table
from ui.upload.profiles import profiles

_slot = session_slot  # the name the tests knew

__all__ = [
    "NOTICES",
    "OFFERS",
    "PREVIEWS",
    "RAWS",
    "READERS",
    "RESULTS",
    "changes_view",
    "current_files",
    "fail",
    "file_panel",
    "forget_upload",
    "format_labels",
    "guarded",
    "history",
    "mapping_editor",
    "num_text",
    "pending",
    "problems_frame",
    "problems_table",
    "profiles",
    "read_files",
    "session_slot",
    "value_text",
]
