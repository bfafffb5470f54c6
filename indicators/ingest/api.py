"""The small public interface of :mod:`indicators.ingest` for the pages, besides the upload session
(:mod:`indicators.ingest.session`): the mapping profiles, the cell texts and column letters the mapping editor shows,
the official flags, the diff of an upload in the history and its rollback.

The pages (``ui/``, ``views/``) import nothing else of the ingest package (tests/test_architecture.py); the readers
and the pipeline stay inside the core.
"""

from __future__ import annotations

from indicators.ingest.diff import upload_diff
from indicators.ingest.files import column_letter
from indicators.ingest.pipeline import rollback
from indicators.ingest.sources.common import DIM_LABELS, MappingError, cell_text
from indicators.ingest.sources.mapping import ProfileSpec, delete_profile, get_profile, list_profiles, load_spec
from indicators.ingest.values import ALL_FLAGS

__all__ = [
    "ALL_FLAGS",
    "DIM_LABELS",
    "MappingError",
    "ProfileSpec",
    "cell_text",
    "column_letter",
    "delete_profile",
    "get_profile",
    "list_profiles",
    "load_spec",
    "rollback",
    "upload_diff",
]
