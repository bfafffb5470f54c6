"""The store's schema migrations: a database of an earlier version opens with its data intact."""

from __future__ import annotations

import duckdb

from indicators.store import MIGRATIONS, SCHEMA_VERSION, Store

OBS_COLS = "upload_id, variable, region, year, nationality, sex, age_group, category, value, flag"


def _schema_2_database(path) -> None:
    """A database as version 2 wrote it: the current state as its own table ``obs_current``."""
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER, name TEXT, applied_at TIMESTAMP)")
    for version, name, statements in MIGRATIONS[:2]:
        for stmt in statements:
            con.execute(stmt)
        con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [version, name])
    for uid, status in ((1, "aktiv"), (2, "aktiv"), (3, "zurueckgenommen")):
        con.execute(
            "INSERT INTO uploads (id, file_name, sha256, format, uploaded_at, user_name, rows, status) "
            "VALUES (?, ?, ?, 'vorlage', now(), 'test', 2, ?)",
            [uid, f"f{uid}.xlsx", f"sha{uid}", status],
        )
    rows = [
        (1, "bevoelkerung", "03157001", 2020, "insgesamt", "insgesamt", "insgesamt", "insgesamt", 100.0, None),
        (1, "bevoelkerung", "03157002", 2020, "insgesamt", "insgesamt", "insgesamt", "insgesamt", 200.0, None),
        (2, "bevoelkerung", "03157001", 2020, "insgesamt", "insgesamt", "insgesamt", "insgesamt", 110.0, "p"),
        (3, "bevoelkerung", "03157002", 2020, "insgesamt", "insgesamt", "insgesamt", "insgesamt", 999.0, None),
    ]
    con.executemany(f"INSERT INTO observations ({OBS_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    # the state version 2 kept: newest active upload per key, plus one Kreis sum (now computed, not stored)
    con.execute("""INSERT INTO obs_current VALUES
        ('bevoelkerung', '03157001', 2020, NULL, 'insgesamt', 'insgesamt', 'insgesamt', 'insgesamt', 110.0, 'p', 2, FALSE),
        ('bevoelkerung', '03157002', 2020, NULL, 'insgesamt', 'insgesamt', 'insgesamt', 'insgesamt', 200.0, NULL, 1, FALSE),
        ('bevoelkerung', '03157', 2020, NULL, 'insgesamt', 'insgesamt', 'insgesamt', 'insgesamt', 310.0, 'p', NULL, TRUE)""")
    con.execute("INSERT INTO notes VALUES (1, NULL, NULL, 2015, 'Eine alte Notiz', now(), 'test')")
    con.close()


def test_migration_from_version_2_keeps_the_current_state(tmp_path):
    db = tmp_path / "alt.duckdb"
    _schema_2_database(db)
    store = Store(db)
    try:
        assert store.schema_version() == SCHEMA_VERSION == 5
        current = store.query("SELECT region, value, flag, upload_id FROM obs_current ORDER BY region")
        assert current == [("03157001", 110.0, "p", 2), ("03157002", 200.0, None, 1)]
        assert "obs_current" in {n for (n,) in store.query("SELECT view_name FROM duckdb_views() WHERE NOT internal")}
        # the base rows are all kept; only the newest active one per key is marked current
        marks = store.query("SELECT upload_id, region, current FROM observations ORDER BY upload_id, region")
        assert marks == [(1, "03157001", False), (1, "03157002", True), (2, "03157001", True), (3, "03157002", False)]
    finally:
        store.close()
    # opening again applies nothing twice
    store = Store(db)
    try:
        assert store.query("SELECT count(*) FROM schema_version WHERE version = 3") == [(1,)]
    finally:
        store.close()


def test_migration_4_keeps_notes_and_makes_none_public(tmp_path):
    """Issue 23: notes written before the website existed stay, and none of them becomes public by the update."""
    db = tmp_path / "alt.duckdb"
    _schema_2_database(db)
    store = Store(db)
    try:
        assert store.query("SELECT text, public FROM notes") == [("Eine alte Notiz", False)]
    finally:
        store.close()


def test_migration_5_gives_old_notes_to_the_own_kreis(tmp_path, monkeypatch):
    """Issue 24: what a database held before tenants existed belongs to the installation's own Kreis
    (MONITOR_OWN_REGION), and stays visible there."""
    monkeypatch.setenv("MONITOR_OWN_REGION", "03158")
    db = tmp_path / "alt.duckdb"
    _schema_2_database(db)
    store = Store(db)
    try:
        assert store.query("SELECT text, tenant FROM notes") == [("Eine alte Notiz", "03158")]
        assert store.query("SELECT count(*) FROM tenants") == [(0,)]  # the default one comes with the monitor
    finally:
        store.close()


def test_database_memory_limit_from_the_environment(tmp_path, monkeypatch):
    """MONITOR_DB_MEMORY_MB caps DuckDB's memory; imports and the computation still work under it."""
    from indicators.config import load_settings
    from indicators.demo.generator import write_demo_files
    from indicators.ingest.session import import_path
    from indicators.service import open_monitor

    monkeypatch.setenv("MONITOR_DB_MEMORY_MB", "64")
    settings = load_settings(tmp_path / "begrenzt.duckdb")
    assert settings.db_memory_mb == 64
    monitor = open_monitor(settings=settings)
    try:
        limit = monitor.store.scalar("SELECT current_setting('memory_limit')")
        assert limit.replace(" ", "") in ("64.0MiB", "61.0MiB", "64MB", "61.0MB"), limit
        regions = monitor.store.query("SELECT key, name FROM regions")
        files = write_demo_files(tmp_path / "vorlage", monitor.catalog, regions)
        results = [import_path(f, monitor.store, monitor.catalog, monitor.settings, "test") for f in files]
        assert all(r.status == "importiert" for r in results), [r.errors[:1] for r in results]
        assert monitor.store.scalar("SELECT count(*) FROM indicator_values WHERE value IS NOT NULL") > 1000
    finally:
        monitor.close()
    monkeypatch.setenv("MONITOR_DB_MEMORY_MB", "")
    assert load_settings(tmp_path / "x.duckdb").db_memory_mb is None
