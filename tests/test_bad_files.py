"""The bad-file corpus (tests/badfiles.py): every file is rejected with a specific German message that
names row and column where applicable, nothing in the database changes, and nothing is archived."""

from __future__ import annotations

import pytest
from badfiles import SAMPLES, corpus

from indicators.ingest import pipeline, session
from indicators.ingest.base import RawFile
from indicators.ingest.sources.mapping import MappingReader, get_profile

CASES = corpus()


def _archived(monitor) -> set[str]:
    folder = monitor.settings.archive_dir
    return {str(p) for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


@pytest.fixture
def loaded(tmp_monitor):
    """A monitor that already holds data, so that 'unchanged' means something."""
    res = session.import_path(
        SAMPLES / "genesis_flat_12411-01-01-5_gemeinden.csv",
        tmp_monitor.store,
        tmp_monitor.catalog,
        tmp_monitor.settings,
        "test",
    )
    assert res.status == "importiert", res.errors
    return tmp_monitor


def test_corpus_is_large_enough():
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_file_is_rejected_with_a_precise_message(case, loaded):
    m = loaded
    before, archived = m.store.content_digest(), _archived(m)
    reader = MappingReader(get_profile(m.store, case.profile)) if case.profile else None
    content = case.build()
    res = session.import_bytes(case.name, content, m.store, m.catalog, m.settings, "test", reader=reader)
    assert res.status == "abgelehnt"
    hits = [e for e in res.errors if case.fragment in e.message]
    assert hits, f"erwartet „{case.fragment}“, erhalten: {[e.text() for e in res.errors]}"
    if case.row is not None:
        assert any(e.row == case.row for e in hits), [e.text() for e in hits]
    if case.column is not None:
        assert any(e.column == case.column for e in hits), [e.text() for e in hits]
    assert all(e.file == case.name for e in res.errors)
    assert m.store.content_digest() == before
    assert _archived(m) == archived
    # the preview (what the upload page shows) also returns instead of raising
    parsed = pipeline.preview(RawFile(case.name, content), m.store, m.catalog, m.settings, reader)
    assert parsed.errors
