"""The monitor: settings, catalog and store opened together, as the app and the command line use them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import duckdb

from indicators import auth
from indicators.catalog import Catalog, load_catalog
from indicators.compute import RecomputeReport, ensure_current, is_current, recompute
from indicators.config import Settings, load_settings
from indicators.store import Store, StoreError


@dataclass
class Monitor:
    settings: Settings
    catalog: Catalog
    store: Store
    #: opened read-only while the stored values are not those of the current definitions, minimum count or regions,
    #: and the file could not be opened for the recompute (another process reads it): the values are from the last
    #: recompute (the command line says so)
    stale: bool = False

    def close(self) -> None:
        self.store.close()


def open_monitor(
    db_path: str | Path | None = None, settings: Settings | None = None, read_only: bool = False
) -> Monitor:
    """Validate the definitions (CatalogError stops with a named message), open the store, recompute if needed."""
    settings = settings or load_settings(db_path)
    catalog = load_catalog(settings.definitions_dir)
    store = Store(
        settings.db_path,
        None if read_only else settings.regions_file,
        read_only=read_only,
        memory_limit_mb=settings.db_memory_mb,
    )
    if read_only and not is_current(store, catalog, settings.min_count):
        # the values were computed with other definitions or another minimum count: the app would recompute on
        # opening, so a read-only command would show other values than the app. Recompute like the app does, if
        # nobody else holds the file; otherwise the values are marked as those of the last recompute.
        store.close()
        try:
            return open_monitor(settings=settings)
        except StoreError:
            store = Store(settings.db_path, None, read_only=True, memory_limit_mb=settings.db_memory_mb)
            return Monitor(settings, catalog, store, stale=True)
    if not read_only:
        auth.ensure_schema(store)  # the accounts (issue 11)
        from indicators import tenants

        tenants.ensure_default(store, settings.own_region)  # the own Kreis is a tenant from the start (issue 24)
        ensure_current(store, catalog, settings.min_count)
        from indicators.strategy.model import ensure_schema

        ensure_schema(store)  # the strategy's tables (issue 12)
    return Monitor(settings, catalog, store)


def for_tenant(monitor: Monitor, tenant: str) -> Monitor:
    """The monitor seen from a tenant (issue 24): the same store and catalog, the tenant's Kreis as the own one
    (``settings.own_region``: pages, reports and the checks of an upload use it)."""
    if tenant == monitor.settings.own_region:
        return monitor
    return dataclasses.replace(monitor, settings=dataclasses.replace(monitor.settings, own_region=tenant))


def load_demo(monitor: Monitor, user: str = "Demodaten") -> list[Any]:
    """Generate the synthetic demo and load it as the real sources deliver it (GENESIS, BA, Open SDG,
    Personalamt and Ausländerbehörde lists, the template), through the normal import; then demo targets."""
    from indicators.demo.sources import load_demo_exports

    results = load_demo_exports(monitor, user)
    if all(r.status.ok for r in results):
        from indicators.demo.comparison import load_demo_comparison

        results += load_demo_comparison(monitor, user)  # Land, Bund and the other Kreise (Regionalvergleich)
    if all(r.status.ok for r in results):
        set_demo_targets(monitor, user)
        from indicators.strategy.demo import load_demo_strategy

        load_demo_strategy(monitor.store, monitor.catalog, user, monitor.settings.today)
    return results


DEMO_REASON = "Demo-Zielwert (synthetisch)"
#: how the demo's notes end (:func:`set_demo_targets`)
DEMO_NOTE_MARK = "(Demo-Notiz)"


def set_demo_targets(monitor: Monitor, user: str = "Demodaten") -> int:
    """Plausible demo targets for the assessable indicators (gaps to 0 by 2035, others by 2030),
    one with an explicit Soll path, and two general notes. Existing targets are kept."""
    from indicators import targets, verdicts
    from indicators.fmt import decimals_for

    existing = targets.targets(monitor.store)
    statuses = verdicts.all_statuses(monitor.store, monitor.catalog)
    n = 0
    with monitor.store.transaction() as cur:
        for ind in monitor.catalog.indicators.values():
            st = statuses[ind.id]
            if ind.direction == "context" or ind.id in existing or st.latest is None:
                continue
            years = [y for y, v in sorted(st.series.items()) if v is not None]
            last_break = max([b.year for b in ind.series_breaks if b.year <= years[-1]], default=0)
            base = next((y for y in years if y >= max(2016, last_break)), years[0])
            latest, at_base = st.latest[1], cast(float, st.series[base])  # (a year with a value)
            best = max(latest, at_base) if ind.direction == "up" else min(latest, at_base)
            if ind.direction == "zero":
                value, year = 0.0, 2035
            elif ind.direction == "up":
                value = min(best * 1.15, best + 10, 100) if ind.unit == "%" else best * 1.2
                year = 2030
            else:
                value, year = best * 0.8, 2030
            # as a committee would write it: counts and days whole (no 15,6 members), shares with one decimal
            t = targets.Target(
                ind.id,
                round(value, decimals_for(ind.unit)),
                year,
                baseline_year=base,
                reason=DEMO_REASON,
                tolerance=0.5 if ind.unit in ("%", "%-Pkt.") else None,
                tolerance2=1.5 if ind.unit in ("%", "%-Pkt.") else None,
            )
            if ind.id == "personal_mh_anteil":
                from indicators.progress import linear_path

                t.path = {y: round(v, 2) for y, v in linear_path(base, at_base, year, value).items()}
            targets.set_target(monitor.store, monitor.catalog, t, user, cur=cur)
            n += 1
    if not monitor.store.scalar("SELECT count(*) FROM notes WHERE tenant = ?", [auth.current_tenant()]):
        targets.add_note(monitor.store, None, 2015, f"Ankunft vieler Geflüchteter {DEMO_NOTE_MARK}", user, public=True)
        targets.add_note(monitor.store, None, 2022, f"Zuzug aus der Ukraine {DEMO_NOTE_MARK}", user)
    return n


def reset_database(settings: Settings) -> None:
    """Remove the database file (and its WAL) so that the next open starts empty. The archive stays. Refused (a
    StoreError with ``held``) while another process – the running app – holds the file: removing it then lost the
    app's data (issue 22)."""
    if settings.db_path.exists():
        import duckdb

        from indicators.store import StoreError

        try:
            duckdb.connect(str(settings.db_path)).close()
        except duckdb.IOException as exc:
            raise StoreError(
                "Die Datenbank ist von einem anderen Prozess geöffnet und wird nicht gelöscht.",
                detail=f"Datei {settings.db_path}: {exc}",
                held="lock" in str(exc).lower(),
            ) from None
    for p in (settings.db_path, Path(str(settings.db_path) + ".wal")):
        if p.exists():
            p.unlink()


def recompute_all(monitor: Monitor) -> RecomputeReport:
    return recompute(monitor.store, monitor.catalog, monitor.settings.min_count, own=monitor.settings.own_region)


def remove_demo(monitor: Monitor, user: str) -> int:
    """Roll back every active demo upload in one transaction (they stay visible in the history)."""
    user = auth.require(auth.REMOVE_DEMO, user)  # issue 11: the core checks the role
    import datetime as dt

    from indicators.compute import recompute_in

    with monitor.store.transaction() as cur:
        ids = [r[0] for r in cur.execute("SELECT id FROM uploads WHERE demo AND status = 'aktiv'").fetchall()]
        if not ids:
            return 0
        cur.execute(
            "UPDATE uploads SET status = 'zurueckgenommen', rolled_back_at = ?, rolled_back_by = ? "
            "WHERE list_contains(?, id)",
            [dt.datetime.now(), user, ids],
        )
        Store.audit(cur, user, "demodaten_entfernt", None, {"upload_ids": ids})
        # the demo's comparison regions (Land, Deutschland, the other Kreise) go with their data
        Store.drop_unused_comparison_regions(cur, user, "Demodaten entfernt")
        from indicators.strategy.model import remove_demo as remove_demo_strategy

        remove_demo_strategy(monitor.store, user, cur)  # the demo strategy goes with the demo data (issue 12)
        _remove_demo_targets_and_notes(cur, user)  # nothing synthetic stays to look official (issue 21)
        recompute_in(cur, monitor.catalog, monitor.settings.min_count, rebuild=True, own=monitor.settings.own_region)
    return len(ids)


def _remove_demo_targets_and_notes(cur: duckdb.DuckDBPyConnection, user: str) -> dict[str, int]:
    """Inside the removal's transaction: the demo targets (still with the demo's reason: a target a person has
    changed since is theirs and stays) with their history, and the demo notes; logged."""
    ids = [r[0] for r in cur.execute("SELECT id FROM targets WHERE reason = ?", [DEMO_REASON]).fetchall()]
    if ids:
        cur.execute("DELETE FROM target_history WHERE list_contains(?, target_id)", [ids])
        cur.execute("DELETE FROM targets WHERE list_contains(?, id)", [ids])
    notes = [r[0] for r in cur.execute("SELECT id FROM notes WHERE text LIKE ?", [f"%{DEMO_NOTE_MARK}"]).fetchall()]
    if notes:
        cur.execute("DELETE FROM notes WHERE list_contains(?, id)", [notes])
    removed = {"zielwerte": len(ids), "notizen": len(notes)}
    if ids or notes:
        Store.audit(cur, user, "demo_ziele_notizen_entfernt", None, removed)
    return removed


def archived_original(monitor: Monitor, upload_id: int) -> tuple[str, bytes] | None:
    """The original bytes of an upload from the archive (None if the archive file is missing)."""
    up = monitor.store.upload(upload_id)
    if up is None or not up.get("archive_path"):
        return None
    path = Path(up["archive_path"])
    if not path.exists():
        return None
    return up["file_name"], path.read_bytes()


def template_bytes(monitor: Monitor, with_data: bool) -> bytes:
    """The app's template as xlsx bytes: empty, or with all current base data (round trip export)."""
    import tempfile

    from indicators import queries
    from indicators.ingest.template import write_template

    regions = list(monitor.store.regions()[["key", "name"]].itertuples(index=False, name=None))
    obs = queries.current_observations(monitor.store) if with_data else None
    with tempfile.TemporaryDirectory() as tmp:
        return write_template(Path(tmp) / "vorlage.xlsx", obs, monitor.catalog, regions).read_bytes()
