"""The DuckDB store: one connection per process, a cursor per query, one writer at a time.

Schema (versioned, migrations applied at open):

- ``observations``: the base data in one long table, every row tagged with the upload it came from.
- ``observations.current``: the current state, derived and kept as a mark on the base rows: for each
  observation key the row of the newest upload that has not been rolled back. An import marks its own
  rows and unmarks the rows they supersede; a rollback re-marks from the upload history.
- ``obs_current`` (a view): the marked rows. Landkreis values summed from Gemeinden are computed with the
  indicators (:func:`indicators.compute.current_state` shows them), never stored.
- ``indicator_values``: all computed indicator values (pages only read these).
- ``regions``, ``uploads``, ``targets``, ``target_history``, ``notes``, ``audit_log``, ``meta``.
- ``tenants`` (issue 24): the Kreise this installation serves; ``targets``, ``target_history``, ``notes`` and
  ``audit_log`` carry the tenant's key (``tenant``), every query of them takes it as a parameter.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar, cast

import duckdb
import pandas as pd

from indicators import config, permissions

OBS_KEY = ("variable", "region", "year", "nationality", "sex", "age_group", "category")
_K = ", ".join(OBS_KEY)

#: Marks the current rows from the whole upload history: a row is current when its upload is active and
#: no newer active upload delivers the same key. Only keys delivered more than once are ranked.
MARK_CURRENT = [
    "UPDATE observations SET current = upload_id IN (SELECT id FROM uploads WHERE status = 'aktiv')",
    f"""UPDATE observations o SET current = FALSE FROM (
            SELECT rid FROM (
                SELECT rowid AS rid, row_number() OVER (PARTITION BY {_K} ORDER BY upload_id DESC) AS rn
                FROM observations
                WHERE current AND hash({_K}) IN (
                    SELECT hash({_K}) AS h FROM observations WHERE current GROUP BY h HAVING count(*) > 1))
            WHERE rn > 1) x
        WHERE o.rowid = x.rid""",
]

#: the store's tables that belong to a tenant (issue 24); official data (uploads, observations, values, regions) are
#: shared by every tenant
TENANT_TABLES = ("targets", "target_history", "notes", "audit_log")

MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "Grundschema",
        [
            "CREATE SEQUENCE IF NOT EXISTS upload_seq START 1",
            """CREATE TABLE uploads (
                id INTEGER NOT NULL, file_name TEXT NOT NULL, sha256 TEXT NOT NULL, format TEXT NOT NULL,
                uploaded_at TIMESTAMP NOT NULL, user_name TEXT NOT NULL, rows INTEGER NOT NULL,
                status TEXT NOT NULL DEFAULT 'aktiv', assumptions JSON, archive_path TEXT,
                size_bytes BIGINT, demo BOOLEAN NOT NULL DEFAULT FALSE,
                rolled_back_at TIMESTAMP, rolled_back_by TEXT)""",
            """CREATE TABLE observations (
                upload_id INTEGER NOT NULL, variable TEXT NOT NULL, region TEXT NOT NULL, year INTEGER NOT NULL,
                ref_date DATE, nationality TEXT NOT NULL DEFAULT 'insgesamt', sex TEXT NOT NULL DEFAULT 'insgesamt',
                age_group TEXT NOT NULL DEFAULT 'insgesamt', category TEXT NOT NULL DEFAULT 'insgesamt',
                value DOUBLE, flag TEXT, source_row INTEGER)""",
            """CREATE TABLE obs_current (
                variable TEXT, region TEXT, year INTEGER, ref_date DATE, nationality TEXT, sex TEXT,
                age_group TEXT, category TEXT, value DOUBLE, flag TEXT, upload_id INTEGER, aggregated BOOLEAN)""",
            """CREATE TABLE regions (
                key TEXT NOT NULL, name TEXT NOT NULL, level TEXT NOT NULL, parent TEXT,
                valid_from INTEGER, valid_to INTEGER, origin TEXT NOT NULL DEFAULT 'Liste')""",
            """CREATE TABLE indicator_values (
                indicator TEXT, region TEXT, year INTEGER, nationality TEXT, sex TEXT, age_group TEXT,
                category TEXT, value DOUBLE, numerator DOUBLE, denominator DOUBLE, flag TEXT)""",
            "CREATE SEQUENCE IF NOT EXISTS target_seq START 1",
            """CREATE TABLE targets (
                id INTEGER NOT NULL, indicator TEXT NOT NULL, region TEXT NOT NULL DEFAULT '03157',
                nationality TEXT, sex TEXT, target_value DOUBLE NOT NULL, target_year INTEGER NOT NULL,
                baseline_year INTEGER, method TEXT, tolerance DOUBLE, tolerance2 DOUBLE, path JSON,
                updated_at TIMESTAMP NOT NULL, updated_by TEXT NOT NULL, reason TEXT)""",
            """CREATE TABLE target_history (
                target_id INTEGER, indicator TEXT, changed_at TIMESTAMP, changed_by TEXT,
                old JSON, new JSON, reason TEXT)""",
            "CREATE SEQUENCE IF NOT EXISTS note_seq START 1",
            """CREATE TABLE notes (
                id INTEGER NOT NULL, indicator TEXT, region TEXT, year INTEGER NOT NULL, text TEXT NOT NULL,
                created_at TIMESTAMP NOT NULL, created_by TEXT NOT NULL)""",
            "CREATE SEQUENCE IF NOT EXISTS audit_seq START 1",
            """CREATE TABLE audit_log (
                id INTEGER NOT NULL, logged_at TIMESTAMP NOT NULL, user_name TEXT NOT NULL, action TEXT NOT NULL,
                object TEXT, detail JSON)""",
            "CREATE TABLE meta (key TEXT NOT NULL, value TEXT)",
        ],
    ),
    (
        2,
        "Zuordnungsprofile",
        [
            """CREATE TABLE mapping_profiles (
                name TEXT NOT NULL, created_at TIMESTAMP NOT NULL, created_by TEXT NOT NULL,
                signature TEXT, spec JSON NOT NULL)""",
        ],
    ),
    (
        3,
        "Aktueller Stand als Markierung der Beobachtungen",
        [
            "ALTER TABLE observations ADD COLUMN current BOOLEAN NOT NULL DEFAULT FALSE",
            *MARK_CURRENT,
            "DROP TABLE obs_current",
            """CREATE VIEW obs_current AS
               SELECT variable, region, year, ref_date, nationality, sex, age_group, category, value, flag, upload_id
               FROM observations WHERE current""",
        ],
    ),
    (
        4,
        "Öffentliche Notizen (Veröffentlichung als Website)",
        ["ALTER TABLE notes ADD COLUMN public BOOLEAN NOT NULL DEFAULT FALSE"],
    ),
    (
        5,
        "Mandanten: mehrere Kreise in einer Installation",
        [
            # a tenant is a Kreis (key and name from the region list); the installation's own Kreis
            # (MONITOR_OWN_REGION) is created when the monitor opens (indicators.tenants.ensure_default)
            """CREATE TABLE tenants (
                key TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, created_at TIMESTAMP NOT NULL,
                created_by TEXT NOT NULL)""",
            # the tenant's own data carry its key; what was there belongs to the installation's own Kreis ($own)
            *(
                stmt
                for table in TENANT_TABLES
                for stmt in (
                    f"ALTER TABLE {table} ADD COLUMN tenant TEXT",
                    f"UPDATE {table} SET tenant = $own",
                )
            ),
        ],
    ),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


log = logging.getLogger("integrationsmonitor")

T = TypeVar("T")

#: a query's parameters: positional (``?``) or named (``$name``)
Params = list[Any] | tuple[Any, ...] | dict[str, Any] | None


def one_row(row: tuple[Any, ...] | None) -> tuple[Any, ...]:
    """The row of a query that always returns one (an aggregate, ``nextval``): ``fetchone()`` typed as found."""
    if row is None:
        raise TypeError("'NoneType' object is not subscriptable")  # as indexing the missing row did
    return row


class StoreError(Exception):
    """A problem with the database; the message is German and names neither the file nor another process (it is
    shown to every user of the web pages); ``detail`` holds the path and the database's own words, for the log and
    the command line."""

    def __init__(self, message: str, detail: str = "", held: bool = False):
        super().__init__(message)
        self.detail = detail
        #: another process (the running app) holds the file
        self.held = held


#: the database, its write-ahead log and the archived originals are readable by the monitor's account only
PRIVATE_UMASK = 0o077


@contextmanager
def private_files() -> Iterator[None]:
    """Files created inside are readable by the owner only (umask 077): the database file, its WAL, DuckDB's
    spill files. The umask is the process's; the store's write lock serialises the writers that create them."""
    old = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(old)


def _make_private(*paths: Path) -> None:
    """A database file created before this rule (0644) becomes private too (when it is ours)."""
    for path in paths:
        try:
            if path.exists() and path.stat().st_mode & 0o077:
                path.chmod(0o600)
        except OSError:  # not ours or read-only: the administrator's decision
            pass


def _init_connection(con: duckdb.DuckDBPyConnection) -> None:
    # Flags are comma-separated sets of codes; merging keeps them sorted and unique.
    con.execute(
        """CREATE OR REPLACE TEMP MACRO merge_flags(a, b) AS
           nullif(array_to_string(list_sort(list_distinct(string_split(concat_ws(',', a, b), ','))), ','), '')"""
    )


# Writes committed per database file in this process (every write goes through Store.transaction): the data version
# is read from the database once per write instead of on every call (a page run asked for it a dozen times).
_GENERATIONS: dict[str, int] = {}
_GEN_LOCK = threading.Lock()


def _bump_generation(key: str) -> None:
    with _GEN_LOCK:
        _GENERATIONS[key] = _GENERATIONS.get(key, 0) + 1


class Store:
    """One DuckDB connection for the process; call :meth:`cursor` for each query."""

    def __init__(
        self,
        path: str | Path,
        regions_file: str | Path | None = None,
        read_only: bool = False,
        memory_limit_mb: int | None = None,
    ):
        self.path = Path(path)
        self.read_only = read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        config: dict[str, str | bool | int | float | list[str]] = (
            {"memory_limit": f"{int(memory_limit_mb)}MB"} if memory_limit_mb else {}
        )
        try:
            with private_files():
                self._con = duckdb.connect(str(self.path), read_only=read_only, config=config)
        except duckdb.IOException as exc:
            held = "lock" in str(exc).lower()  # (held: the caller says so in German; the details at info level)
            (log.info if held else log.error)("Datenbank %s nicht zu öffnen: %s", self.path, exc)
            raise StoreError(
                "Die Datenbank lässt sich nicht öffnen. Läuft schon ein anderer Prozess (App oder Kommandozeile) mit "
                "derselben Datei?",
                detail=f"Datei {self.path}: {exc}",
                held=held,
            ) from exc
        self.write_lock = threading.RLock()
        self._memos: dict[str, tuple[int, object]] = {}
        self._gen_key = str(self.path.resolve())
        _init_connection(self._con)
        if not read_only:
            _make_private(self.path, self.path.with_name(self.path.name + ".wal"))
            self._migrate()
            if regions_file is not None:
                self.sync_regions(regions_file)

    # -- connection handling -------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = self._con.cursor()
        _init_connection(cur)
        return cur

    def _read_cursor(self, sql: str) -> duckdb.DuckDBPyConnection:
        """A cursor for one read; the macros only where the query uses them (creating them took a tenth of a page
        run with many viewers)."""
        return self.cursor() if "merge_flags" in sql else self._con.cursor()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One writer at a time; everything inside commits together or not at all."""
        with self.write_lock, private_files():  # a write may create the WAL anew (after a checkpoint)
            cur = self.cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            else:
                cur.execute("COMMIT")
                _bump_generation(self._gen_key)
            finally:
                cur.close()

    @contextmanager
    def trial(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A transaction that is always rolled back: to see what a write would do (the upload preview) without
        writing anything. Holds the writers' lock meanwhile; other cursors never see its changes."""
        with self.write_lock, private_files():
            cur = self.cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            finally:
                try:
                    cur.execute("ROLLBACK")
                finally:
                    cur.close()

    def close(self) -> None:
        self._con.close()

    def query_df(self, sql: str, params: Params = None) -> pd.DataFrame:
        cur = self._read_cursor(sql)
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def query(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        cur = self._read_cursor(sql)
        try:
            return cur.execute(sql, params or []).fetchall()
        finally:
            cur.close()

    def scalar(self, sql: str, params: Params = None) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    # -- schema --------------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self.transaction() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER, name TEXT, applied_at TIMESTAMP)")
            current = one_row(cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone())[0]
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"Die Datenbank hat Schema-Version {current}, diese Programmversion kennt nur "
                    f"bis {SCHEMA_VERSION}. Bitte die neuere Programmversion verwenden.",
                    detail=f"Datei {self.path}",
                )
            for version, name, statements in MIGRATIONS:
                if version <= current:
                    continue
                for stmt in statements:
                    cur.execute(stmt, {"own": config.own_region_setting()} if "$own" in stmt else None)
                cur.execute("INSERT INTO schema_version VALUES (?, ?, now())", [version, name])

    def schema_version(self) -> int:
        return int(self.scalar("SELECT max(version) FROM schema_version") or 0)

    # -- regions -------------------------------------------------------------------------------
    def sync_regions(self, regions_file: str | Path) -> None:
        """Load the region list shipped as data; regions added by users are kept."""
        with open(regions_file, encoding="utf-8", newline="") as fh:
            rows = [r for r in csv.DictReader(fh, delimiter=";")]

        def _int(s: str | None) -> int | None:
            return int(s) if s not in (None, "") else None

        records = [
            (
                r["key"].strip(),
                r["name"].strip(),
                r["level"].strip(),
                (r.get("parent") or "").strip() or None,
                _int(r.get("valid_from")),
                _int(r.get("valid_to")),
            )
            for r in rows
        ]
        with self.transaction() as cur:
            cur.execute("DELETE FROM regions WHERE origin = 'Liste'")
            existing = {k for (k,) in cur.execute("SELECT key FROM regions").fetchall()}
            cur.executemany(
                "INSERT INTO regions (key, name, level, parent, valid_from, valid_to, origin) VALUES (?, ?, ?, ?, ?, ?, 'Liste')",
                [r for r in records if r[0] not in existing],
            )

    def regions(self) -> pd.DataFrame:
        return self.query_df("SELECT key, name, level, parent, valid_from, valid_to, origin FROM regions ORDER BY key")

    @classmethod
    def add_comparison_regions(
        cls,
        cur: duckdb.DuckDBPyConnection,
        rows: list[dict[str, Any]],
        user: str,
        file_name: str,
        origin: str = "Vergleich",
    ) -> int:
        """Add the regions an official file brings (key, name, level, parent) in the caller's transaction,
        skipping keys already present; one audit entry for all of them. Returns how many were added."""
        if not rows:
            return 0
        frame = pd.DataFrame(rows, columns=["key", "name", "level", "parent"]).astype(object)
        cur.register("new_regions", frame)
        try:
            added = cur.execute(
                """INSERT INTO regions (key, name, level, parent, origin)
                   SELECT n.key, n.name, n.level, n.parent, ? FROM new_regions n
                   WHERE n.key NOT IN (SELECT key FROM regions) RETURNING key""",
                [origin],
            ).fetchall()
        finally:
            cur.unregister("new_regions")
        if added:
            keys = sorted((k for (k,) in added), key=lambda k: (len(k), k))
            cls.audit(
                cur,
                user,
                "vergleichsregionen_hinzugefuegt",
                file_name,
                {"count": len(keys), "keys": keys[:50], "more": max(0, len(keys) - 50)},
            )
        return len(added)

    @classmethod
    def drop_unused_comparison_regions(
        cls, cur: duckdb.DuckDBPyConnection, user: str, why: str, origin: str = "Vergleich"
    ) -> int:
        """Remove the comparison regions (``origin``) that no active upload has values for any more and that are
        no other region's parent, targets or notes do not name (in the caller's transaction; one audit entry).
        Returns how many were removed."""
        removed = cur.execute(
            """DELETE FROM regions r WHERE r.origin = ?
               AND NOT EXISTS (SELECT 1 FROM observations o JOIN uploads u ON u.id = o.upload_id
                               WHERE u.status = 'aktiv' AND o.region = r.key)
               AND NOT EXISTS (SELECT 1 FROM regions c WHERE c.parent = r.key AND c.origin <> ?)
               AND r.key NOT IN (SELECT region FROM targets)
               AND r.key NOT IN (SELECT region FROM notes WHERE region IS NOT NULL)
               AND r.key NOT IN (SELECT key FROM tenants)
               RETURNING key""",
            [origin, origin],
        ).fetchall()
        if removed:
            keys = sorted((k for (k,) in removed), key=lambda k: (len(k), k))
            cls.audit(
                cur,
                user,
                "vergleichsregionen_entfernt",
                why,
                {"count": len(keys), "keys": keys[:50], "more": max(0, len(keys) - 50)},
            )
        return len(removed)

    def add_region(
        self,
        key: str,
        name: str,
        level: str,
        parent: str | None,
        user: str,
        cur: duckdb.DuckDBPyConnection | None = None,
    ) -> None:
        user = permissions.require(permissions.REGIONS, user)  # issue 11: the core checks the role

        def _do(c: duckdb.DuckDBPyConnection) -> None:
            c.execute(
                "INSERT INTO regions (key, name, level, parent, origin) VALUES (?, ?, ?, ?, 'Upload')",
                [key, name, level, parent],
            )
            self.audit(c, user, "region_hinzugefuegt", key, {"name": name, "level": level, "parent": parent})

        if cur is not None:
            _do(cur)
        else:
            with self.transaction() as c:
                _do(c)

    # -- audit ---------------------------------------------------------------------------------
    @staticmethod
    def audit(
        cur: duckdb.DuckDBPyConnection, user: str, action: str, obj: str | None, detail: dict[str, Any] | None = None
    ) -> None:
        """One entry of the audit log, in the current tenant's log (issue 24)."""
        cur.execute(
            "INSERT INTO audit_log VALUES (nextval('audit_seq'), ?, ?, ?, ?, ?, ?)",
            [
                datetime.now(),
                user,
                action,
                obj,
                json.dumps(detail or {}, ensure_ascii=False, default=str),
                permissions.current_tenant(),
            ],
        )

    def audit_log(self, limit: int = 500, tenant: str | None = None) -> pd.DataFrame:
        """The newest entries of a tenant's log (default: the current tenant)."""
        return self.query_df(
            "SELECT * FROM audit_log WHERE tenant = ? ORDER BY id DESC LIMIT ?",
            [tenant or permissions.current_tenant(), limit],
        )

    # -- uploads -------------------------------------------------------------------------------
    def uploads(self) -> pd.DataFrame:
        return self.query_df("SELECT * FROM uploads ORDER BY id DESC")

    def upload(self, upload_id: int) -> dict[str, Any] | None:
        df = self.query_df("SELECT * FROM uploads WHERE id = ?", [upload_id])
        return None if df.empty else df.iloc[0].to_dict()

    def upload_variables(self, upload_id: int, cur: duckdb.DuckDBPyConnection | None = None) -> list[str]:
        """The base variables an upload brought (also inside an open transaction with ``cur``)."""
        sql, params = "SELECT DISTINCT variable FROM observations WHERE upload_id = ? ORDER BY 1", [upload_id]
        rows = cur.execute(sql, params).fetchall() if cur is not None else self.query(sql, params)
        return [r[0] for r in rows]

    def active_upload_with_checksum(self, sha256: str) -> dict[str, Any] | None:
        df = self.query_df(
            "SELECT * FROM uploads WHERE sha256 = ? AND status = 'aktiv' ORDER BY id DESC LIMIT 1", [sha256]
        )
        return None if df.empty else df.iloc[0].to_dict()

    def is_empty(self) -> bool:
        return not self.scalar("SELECT count(*) FROM uploads")

    def started_empty(self) -> bool:
        """Whether the database was created empty on purpose (``init --empty``): the start loads no demo data then."""
        return bool(self.scalar("SELECT count(*) FROM meta WHERE key = 'started_empty'"))

    def mark_started_empty(self) -> None:
        with self.transaction() as cur:
            cur.execute("DELETE FROM meta WHERE key = 'started_empty'")
            cur.execute("INSERT INTO meta VALUES ('started_empty', ?)", [datetime.now().isoformat(timespec="seconds")])

    def has_demo_data(self) -> bool:
        return bool(self.scalar("SELECT count(*) FROM uploads WHERE demo AND status = 'aktiv'"))

    def counts(self) -> dict[str, int]:
        return {
            "uploads": int(self.scalar("SELECT count(*) FROM uploads WHERE status = 'aktiv'")),
            "observations": int(self.scalar("SELECT count(*) FROM obs_current")),
            "values": int(self.scalar("SELECT count(*) FROM indicator_values")),
        }

    def version(self) -> str:
        """Changes whenever indicators are recomputed (also after regions are added), targets or notes change
        (a cache key). It names the current tenant (issue 24): what is cached per version is cached per tenant."""
        return f"{permissions.current_tenant()}|{self.memo('version', self._read_version)}"

    def memo(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()``, read again only after a write of this process: no other process can write while a writing
        store holds the file, so a cache key (the data version, the strategy's) need not be queried on every page
        run. A read-only store computes on every call (the app may write meanwhile)."""
        if self.read_only:
            return compute()
        generation = _GENERATIONS.get(self._gen_key, 0)  # read before the query: a write after it bumps it again
        cached = self._memos.get(name)
        if cached is not None and cached[0] == generation:
            return cast(T, cached[1])
        value = compute()
        self._memos[name] = (generation, value)
        return value

    def _read_version(self) -> str:
        row = self.query(
            """SELECT (SELECT value FROM meta WHERE key = 'computed_at'), (SELECT count(*) FROM target_history),
                      (SELECT max(changed_at) FROM target_history), (SELECT count(*) FROM notes),
                      (SELECT max(id) FROM notes)"""
        )[0]
        return "|".join(str(x) for x in row)

    # -- state fingerprint (used by tests: 'nothing changed') -----------------------------------
    def content_digest(self) -> str:
        """A digest of everything a failed import must not change."""
        parts = []
        for table in (
            "uploads",
            "observations",
            "indicator_values",
            "regions",
            "targets",
            "target_history",
            "notes",
            "audit_log",
            "mapping_profiles",
            "meta",
            "tenants",
        ):
            parts.append(str(self.scalar(f"SELECT count(*) || ':' || coalesce(sum(hash(t)), 0) FROM {table} t")))
        return "|".join(parts)
