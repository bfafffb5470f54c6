"""The monitor: settings, catalog and store opened together, as the app and the command line use them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indicators.catalog import Catalog, load_catalog
from indicators.compute import ensure_current, recompute
from indicators.config import Settings, load_settings
from indicators.store import Store


@dataclass
class Monitor:
    settings: Settings
    catalog: Catalog
    store: Store

    def close(self) -> None:
        self.store.close()


def open_monitor(db_path: str | Path | None = None, settings: Settings | None = None, read_only: bool = False) -> Monitor:
    """Validate the definitions (CatalogError stops with a named message), open the store, recompute if needed."""
    settings = settings or load_settings(db_path)
    catalog = load_catalog(settings.definitions_dir)
    store = Store(settings.db_path, None if read_only else settings.regions_file, read_only=read_only)
    if not read_only:
        ensure_current(store, catalog, settings.min_count)
    return Monitor(settings, catalog, store)


def load_demo(monitor: Monitor, user: str = "Demodaten") -> list:
    """Generate the synthetic demo exports and load them through the normal import."""
    from indicators import demo
    from indicators.ingest.pipeline import import_path

    out = monitor.settings.db_path.parent / "demo"
    regions = list(monitor.store.regions()[["key", "name"]].itertuples(index=False, name=None))
    paths = demo.write_demo_files(out, monitor.catalog, regions)
    return [import_path(p, monitor.store, monitor.catalog, monitor.settings, user, demo=True) for p in paths]


def reset_database(settings: Settings) -> None:
    """Remove the database file (and its WAL) so that the next open starts empty. The archive stays."""
    for p in (settings.db_path, Path(str(settings.db_path) + ".wal")):
        if p.exists():
            p.unlink()


def recompute_all(monitor: Monitor):
    return recompute(monitor.store, monitor.catalog, monitor.settings.min_count)


__all__ = ["Monitor", "open_monitor", "load_demo", "reset_database", "recompute_all"]


def remove_demo(monitor: Monitor, user: str) -> int:
    """Roll back every active demo upload in one transaction (they stay visible in the history)."""
    import datetime as dt

    from indicators.compute import recompute_in

    with monitor.store.transaction() as cur:
        ids = [r[0] for r in cur.execute("SELECT id FROM uploads WHERE demo AND status = 'aktiv'").fetchall()]
        if not ids:
            return 0
        cur.execute("UPDATE uploads SET status = 'zurueckgenommen', rolled_back_at = ?, rolled_back_by = ? "
                    "WHERE list_contains(?, id)", [dt.datetime.now(), user, ids])
        Store.audit(cur, user, "demodaten_entfernt", None, {"upload_ids": ids})
        recompute_in(cur, monitor.catalog, monitor.settings.min_count)
    return len(ids)


def archived_original(monitor: Monitor, upload_id: int) -> tuple[str, bytes] | None:
    """The original bytes of an upload from the archive (None if the archive file is missing)."""
    up = monitor.store.upload(upload_id)
    if up is None or not up.get("archive_path"):
        return None
    path = Path(up["archive_path"])
    if not path.exists():
        return None
    return up["file_name"], path.read_bytes()
