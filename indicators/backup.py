"""Backup and restore (issue 11).

A backup is a folder with

- ``monitor.duckdb``: the whole database (base data, uploads, targets and their history, notes, mapping
  profiles, users, audit log), copied after a ``CHECKPOINT`` while the store's write lock is held: no write of
  this process can happen in between, and after the checkpoint the file holds every committed transaction
  (the WAL is empty). The copy is opened once and its content digest compared with the live database's;
- ``archive/``: the archived original files of every upload;
- ``manifest.json``: when, by whom, schema version, counts, content digest, SHA-256 of the database copy.

DuckDB allows one writing process per file, and while the app holds it no other process can open it even
read-only. So a backup is made by the process that holds the database: the app (page *Verwaltung* or a request
the command line drops into the inbox, see :mod:`indicators.inbox`) or the command line when no app runs.

Restore copies a backup into a new folder (never over a database), checks the SHA-256 and the content digest,
and points the uploads' archive paths at the restored archive.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from indicators import auth
from indicators.errors import UserError
from indicators.store import Store, private_files

if TYPE_CHECKING:
    from indicators.config import Settings
    from indicators.service import Monitor


log = logging.getLogger("integrationsmonitor")

MANIFEST = "manifest.json"
DB_NAME = "monitor.duckdb"
DEFAULT_KEEP = 14


class BackupError(UserError):
    pass


def retention() -> int:
    """How many backups in the backup folder are kept (MONITOR_BACKUP_KEEP, default 14; 0 keeps all; a bad value:
    the default and a warning in the log)."""
    from indicators import config

    return config.settings().backup_keep


def backup_root(settings: Settings) -> Path:
    """Where the page and the inbox put backups: MONITOR_BACKUP_DIR or ``<folder of the database>/backups``."""
    from indicators import config

    return config.settings().backup_dir or settings.db_path.parent / "backups"


def new_name(now: dt.datetime | None = None) -> str:
    return "sicherung-" + (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S-%f")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def human_size(n: int) -> str:
    from indicators.fmt import fmt_num

    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            return f"{fmt_num(n / size, 1)} {unit}"
    return f"{n} Bytes"


def backup(monitor: Monitor, target: str | Path, user: str) -> dict[str, Any]:
    """A consistent backup of the open monitor into the new folder ``target``; returns the manifest."""
    user = auth.require(auth.BACKUP, user)
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        log.warning("Sicherung abgelehnt: der Ordner %s ist nicht leer", target.resolve())
        raise BackupError(f"Der Sicherungsordner „{target.name}“ ist nicht leer; bitte einen neuen Ordner angeben.")
    store: Store = monitor.store
    settings = monitor.settings
    existed = target.exists()
    try:
        return _backup(monitor, store, settings, target, user)
    except BaseException:  # a full disk, a failed check: no half backup stays behind (issue 22)
        (shutil.rmtree(target, ignore_errors=True) if not existed else _empty(target))
        raise


def _empty(folder: Path) -> None:
    for p in folder.iterdir():
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() and not p.is_symlink() else p.unlink(missing_ok=True)


def _backup(monitor: Any, store: Store, settings: Any, target: Path, user: str) -> dict[str, Any]:
    with private_files():
        target.mkdir(parents=True, exist_ok=True)
        partial = target / (DB_NAME + ".teil")
        with store.write_lock:  # no write of this process between the checkpoint and the end of the copy
            cur = store.cursor()
            try:
                cur.execute("CHECKPOINT")
            finally:
                cur.close()
            digest = store.content_digest()
            counts = store.counts()
            schema = store.schema_version()
            shutil.copyfile(store.path, partial)
            archive_files = 0
            if settings.archive_dir.exists():
                for src in settings.archive_dir.rglob("*"):
                    if src.is_file():
                        dst = target / "archive" / src.relative_to(settings.archive_dir)
                        dst.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(src, dst)
                        archive_files += 1
            with store.transaction() as c:  # the write lock is re-entrant
                Store.audit(c, user, "sicherung", target.name, {"uploads": counts["uploads"]})
        copy = Store(partial, read_only=True)
        try:
            copied = copy.content_digest()
        finally:
            copy.close()
        if copied != digest:
            raise BackupError("Die Sicherung stimmt nicht mit der Datenbank überein; bitte erneut versuchen.")
        partial.rename(target / DB_NAME)
        info = {
            "name": target.name,
            "created_at": dt.datetime.now().isoformat(timespec="seconds"),
            "created_by": user,
            "schema_version": schema,
            "counts": counts,
            "content_digest": digest,
            "sha256": _sha256(target / DB_NAME),
            "archive_dir": str(settings.archive_dir.resolve()),
            "archive_files": archive_files,
            "bytes": sum(p.stat().st_size for p in target.rglob("*") if p.is_file()),
        }
        (target / MANIFEST).write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    return info


def _own_backup(folder: Path, info: object) -> bool:
    """A folder this module made: a real folder (no link) with the database copy, whose manifest names that very
    folder. A manifest naming another folder (``../victim``) marks nothing of ours."""
    return (
        isinstance(info, dict)
        and isinstance(info.get("name"), str)
        and info["name"] == folder.name
        and Path(info["name"]).name == info["name"] not in ("", ".", "..")
        and not folder.is_symlink()
        and folder.is_dir()
        and (folder / DB_NAME).is_file()
        and not (folder / DB_NAME).is_symlink()
    )


def list_backups(root: Path) -> list[dict[str, Any]]:
    """The backups under ``root`` (only folders this module made, :func:`_own_backup`), newest first."""
    found = []
    if root.exists():
        for d in root.iterdir():
            m = d / MANIFEST
            if m.is_file() and not m.is_symlink():
                try:
                    info = json.loads(m.read_text(encoding="utf-8"))
                except ValueError:
                    continue
                if _own_backup(d, info):
                    found.append(info)
                else:
                    log.warning("Sicherungsordner: %s hat kein passendes Manifest und bleibt unberührt", d.name)
    return sorted(found, key=lambda b: b["name"], reverse=True)


def prune(root: Path, keep: int) -> list[str]:
    """Delete all but the newest ``keep`` backups (0: keep all). Only folders this module made are touched: a
    folder directly inside ``root`` whose own manifest names it (never a path a manifest names)."""
    if keep <= 0:
        return []
    gone = []
    base = root.resolve()
    for b in list_backups(root)[keep:]:
        folder = root / b["name"]
        if folder.is_symlink() or folder.resolve().parent != base:  # (list_backups checked it; checked again here)
            log.warning("Sicherungsordner: %s liegt nicht im Sicherungsordner und wird nicht gelöscht", b["name"])
            continue
        shutil.rmtree(folder)
        gone.append(b["name"])
    return gone


def restore(source: str | Path, db_path: str | Path) -> dict[str, Any]:
    """Restore the backup folder ``source`` as the new database ``db_path`` (its folder gets ``archive/``).
    Refuses an existing database; checks the SHA-256 and the content digest of the manifest."""
    auth.require(auth.BACKUP)
    source, db_path = Path(source), Path(db_path)
    manifest = source / MANIFEST
    if not manifest.is_file() or not (source / DB_NAME).is_file():
        raise BackupError(f"{source} ist kein Sicherungsordner (es fehlen {MANIFEST} oder {DB_NAME}).")
    try:
        info = json.loads(manifest.read_text(encoding="utf-8"))
    except ValueError:
        info = None
    links = (source / "archive").exists() and any(p.is_symlink() for p in (source / "archive").rglob("*"))
    if not _own_backup(source, info) or links or manifest.is_symlink():
        raise BackupError(
            f"„{source.name}“ ist keine Sicherung des Monitors: das Manifest passt nicht zum Ordner (oder er enthält "
            "Verknüpfungen). Es wird nichts wiederhergestellt."
        )
    if db_path.exists() or Path(str(db_path) + ".wal").exists():
        raise BackupError(f"{db_path} gibt es schon; die Wiederherstellung schreibt nur in eine neue Datei.")
    if _sha256(source / DB_NAME) != info["sha256"]:
        raise BackupError("Die Datenbank der Sicherung ist beschädigt (Prüfsumme stimmt nicht).")
    archive = db_path.parent / "archive"
    with private_files():
        db_path.parent.mkdir(parents=True, exist_ok=True)
        if (source / "archive").exists():
            if archive.exists() and any(archive.iterdir()):
                raise BackupError(f"Der Archivordner {archive} ist nicht leer; bitte einen neuen Ordner wählen.")
            shutil.copytree(source / "archive", archive, dirs_exist_ok=True)
        shutil.copyfile(source / DB_NAME, db_path)
        store = Store(db_path)
        try:
            if store.content_digest() != info["content_digest"]:
                raise BackupError("Die wiederhergestellte Datenbank weicht von der Sicherung ab.")
            old = info.get("archive_dir")
            if old:
                with store.transaction() as cur:  # the originals now lie in the restored archive
                    cur.execute(
                        "UPDATE uploads SET archive_path = ? || substr(archive_path, ?) "
                        "WHERE starts_with(archive_path, ?)",
                        [str(archive.resolve()), len(old) + 1, old],
                    )
                    Store.audit(
                        cur,
                        (actor.name if (actor := auth.current()) else "wiederherstellung"),
                        "wiederhergestellt",
                        info["name"],
                        {"aus": str(source)},
                    )
        finally:
            store.close()
    return cast(dict[str, Any], info)
