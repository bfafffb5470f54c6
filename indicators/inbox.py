"""The inbox (issue 11): scripted work handed to the running app, which alone may write the database.

DuckDB allows one process per database file to write, and while it does no other process can open the file, not
even read-only. The app therefore watches ``<folder of the database>/inbox`` (``MONITOR_INBOX_DIR``):

- a data file dropped there (``.xlsx``, ``.csv`` …) is imported with the same reading, validation, archive and
  audit as an upload on the page; afterwards it moves to ``inbox/erledigt/`` or ``inbox/abgelehnt/`` with a
  report ``<name>.ergebnis.json`` beside it. A file with plausibility warnings (a value far from the previous year's,
  …) is not taken without a person's word: it waits in ``inbox/zu_bestaetigen/`` (status ``zu_bestaetigen``) until
  someone confirms or discards it on the page "Daten und Upload" (:func:`pending_files`, :func:`confirm_pending`,
  :func:`discard_pending`). A file is taken once its size and time have not changed for two
  polls (copy large files under a name starting with ``.`` and rename them when complete). A file the app did
  not survive reading (a crash, a restart) goes to ``inbox/quarantaene/`` with its reason, once; symbolic links
  are ignored. The audit log names
  the file's owner (``Eingang: <account>``);
- a request ``<id>.anfrage.json`` from the command line (``backup`` and the read-only commands while the app
  runs) is answered with ``<id>.antwort.json`` (the channel's client side: :mod:`indicators.app_channel`).

The inbox folder is created private to the monitor's account (0700): whoever may write there may import.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indicators import auth
from indicators.app_channel import ANSWER, HEARTBEAT, REQUEST, REQUEST_MAX_BYTES, inbox_dir, poll_seconds
from indicators.status import ImportStatus
from indicators.store import private_files

if TYPE_CHECKING:
    from indicators.config import Settings
    from indicators.ingest.pipeline import ImportResult
    from indicators.service import Monitor


log = logging.getLogger("integrationsmonitor")
DATA_EXT = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt"}
#: names the file being imported; found on the next poll (after a crash or restart) it sends that file to quarantine
IN_WORK = ".in-arbeit.json"
QUARANTINE = "quarantaene"
#: files with plausibility warnings wait here for a person's confirmation (the page "Daten und Upload")
TO_CONFIRM = str(ImportStatus.TO_CONFIRM)
DONE, REFUSED = "erledigt", "abgelehnt"
RESULT = ".ergebnis.json"
QUARANTINED = (
    "Beim letzten Versuch, diese Datei zu lesen, wurde die App beendet (Absturz oder Neustart). Die Datei wurde "
    "deshalb in die Quarantäne verschoben und wird nicht noch einmal gelesen. Bitte die Datei prüfen (in Excel "
    "öffnen und neu speichern) und erneut ablegen."
)


def _owner(path: Path) -> str:
    try:
        import pwd

        return pwd.getpwuid(path.stat().st_uid).pw_name
    except (ImportError, KeyError, OSError):
        return "unbekannt"


#: what the command line reads when the app fails on its request (the details, with the exception, are in the app's log)
INTERNAL_ANSWER = (
    "Die laufende App konnte den Befehl wegen eines internen Fehlers nicht ausführen. Die Einzelheiten "
    "stehen im Protokoll der App."
)
INTERNAL_IMPORT = (
    "Die Datei ließ sich wegen eines internen Fehlers nicht übernehmen. Die Einzelheiten stehen im Protokoll der App."
)


class Inbox:
    """Polls the inbox of one open monitor (the app's) in a daemon thread."""

    def __init__(self, monitor: Monitor) -> None:
        self.monitor = monitor
        self.folder = inbox_dir(monitor.settings)
        self._seen: dict[str, tuple[int, float]] = {}
        self._stop = threading.Event()
        self._cli_lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def start(self) -> Inbox:
        with private_files():
            self.folder.mkdir(parents=True, exist_ok=True)
        self.thread = threading.Thread(target=self._loop, name="monitor-inbox", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.wait(poll_seconds()):
            try:
                (self.folder / HEARTBEAT).touch()  # the command line sees that the app watches
                self.process_once()
            except Exception:  # the watcher never dies of one bad file
                log.exception("Eingangsordner: Fehler beim Abarbeiten")

    def process_once(self) -> list[dict[str, Any]]:
        done = []
        if (quarantined := self._quarantine_unfinished()) is not None:
            done.append(quarantined)
        for path in sorted(self.folder.iterdir()) if self.folder.exists() else []:
            # a symbolic link is never followed: whoever may write the inbox could make the app read any of its files
            if path.name.startswith(".") or path.is_symlink() or not path.is_file():
                continue
            if path.name.endswith(REQUEST):
                done.append(self._answer(path))
            elif path.suffix.lower() in DATA_EXT and self._stable(path):
                done.append(self._import(path))
        return done

    def _stable(self, path: Path) -> bool:
        st = path.stat()
        now = (st.st_size, st.st_mtime)
        before = self._seen.get(path.name)
        self._seen[path.name] = now
        return before == now and time.time() - st.st_mtime > 1

    def _import(self, path: Path) -> dict[str, Any]:
        self._seen.pop(path.name, None)
        who = f"Eingang: {_owner(path)}"
        marker = self.folder / IN_WORK
        with private_files():
            marker.write_text(json.dumps({"datei": path.name}, ensure_ascii=False), encoding="utf-8")
        with auth.acting_as(auth.Actor(who, auth.DATA)):
            # plausibility warnings are not confirmed here: such a file waits for a person (zu_bestaetigen)
            report, folder = _import_file(self.monitor, path, path.name, who, confirmed=False)
        if folder == TO_CONFIRM:
            report["eingang"] = who
        _file_away(self.folder, path, folder, report)
        marker.unlink(missing_ok=True)
        log.info("Eingangsordner: %s → %s", path.name, report["status"])
        return report

    def _quarantine_unfinished(self) -> dict[str, Any] | None:
        """The file whose import the app did not survive (the marker of :meth:`_import` is still there) goes to
        ``quarantaene/`` with its reason beside it, once: the app never dies twice of the same file."""
        marker = self.folder / IN_WORK
        try:
            name = json.loads(marker.read_text(encoding="utf-8")).get("datei")
        except FileNotFoundError:
            return None
        except (ValueError, OSError, AttributeError):
            name = None
        path = self.folder / name if isinstance(name, str) and name == Path(name).name else None
        report = None
        if path is not None and path.is_file() and not path.is_symlink():
            report = {"datei": path.name, "status": "quarantaene", "fehler": [QUARANTINED]}
            _file_away(self.folder, path, QUARANTINE, report)
            self._seen.pop(path.name, None)
            log.error("Eingangsordner: %s in die Quarantäne verschoben (die App endete beim Lesen)", path.name)
        marker.unlink(missing_ok=True)
        return report

    def _answer(self, path: Path) -> dict[str, Any]:
        try:  # a request is a few hundred bytes: anything larger is not read (bounded before it allocates)
            if path.stat().st_size > REQUEST_MAX_BYTES:
                log.warning("Eingangsordner: Anfrage %s zu groß, nicht gelesen", path.name)
                return {}
            req = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            return {}
        finally:
            path.unlink(missing_ok=True)
        answer_path = self.folder / (path.name[: -len(REQUEST)] + ANSWER)
        try:
            if req.get("command") == "backup":
                answer = self._backup(req)
            elif req.get("command") == "cli" and isinstance(req.get("argv"), list) and req["argv"]:
                answer = self._cli(req["argv"])
            else:
                answer = {"ok": False, "error": "Unbekannte Anfrage."}
        except auth.UserError as exc:
            answer = {"ok": False, "error": str(exc)}
        except Exception:  # (SystemExit of a command too: the watcher must not end)
            log.exception("Eingangsordner: Anfrage %s fehlgeschlagen", path.name)
            answer = {"ok": False, "error": INTERNAL_ANSWER}
        with private_files():
            tmp = answer_path.with_name("." + answer_path.name)
            tmp.write_text(json.dumps(answer, ensure_ascii=False, default=str), encoding="utf-8")
            tmp.replace(answer_path)
        return answer

    def _backup(self, req: dict[str, Any]) -> dict[str, Any]:
        from indicators import backup

        who = f"Kommandozeile: {req.get('user') or _owner(self.folder)}"
        with auth.acting_as(auth.Actor(who, auth.ADMIN)):
            info = backup.backup(self.monitor, Path(req["target"]), who)
        return {"ok": True, "info": info}

    def _cli(self, argv: list[str]) -> dict[str, Any]:
        from indicators import cli

        try:  # (argparse's own output, e.g. for --help, stays out of the app's log)
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                args = cli.build_parser().parse_args([str(a) for a in argv])
        except SystemExit:  # argparse: the command line has checked the call already
            return {"ok": False, "error": "Ungültiger Aufruf."}
        if not cli.by_app(args):
            return {
                "ok": False,
                "error": "Nur lesende Befehle, „measures forms“ und „publish“ gehen über die laufende App.",
            }
        # read-only commands as a viewer; the new round of the measures survey and the publication as the server's
        # administrator (the owner of the private inbox folder, as for a backup)
        actor = (
            auth.Actor("Kommandozeile", auth.VIEWER)
            if cli.is_read_only(args)
            else auth.Actor(f"Kommandozeile: {_owner(self.folder)}", auth.ADMIN)
        )
        from indicators import tenants
        from indicators.service import for_tenant

        try:  # --tenant (issue 24): the Kreis whose data the command reads
            tenant = tenants.require_known(self.monitor.store, args.tenant or self.monitor.settings.own_region)
        except auth.UserError as exc:
            return {"ok": True, "code": 2, "stdout": "", "stderr": f"{exc}\n"}
        out, err = io.StringIO(), io.StringIO()
        with self._cli_lock, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            with auth.acting_as(actor), auth.in_tenant(tenant.key):
                try:
                    code = cli.dispatch(args, for_tenant(self.monitor, tenant.key))
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else 1
                except auth.UserError as exc:
                    print(str(exc), file=sys.stderr)
                    code = 1
        return {"ok": True, "code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}


def _import_file(monitor: Monitor, path: Path, name: str, who: str, confirmed: bool) -> tuple[dict[str, Any], str]:
    """Import one file of the inbox through the upload session; the report written beside it and the folder it goes
    to (erledigt, abgelehnt, or zu_bestaetigen for unconfirmed plausibility warnings)."""
    from indicators.ingest.session import UploadSession

    m = monitor
    try:
        session = UploadSession.from_path(path, m.store, m.catalog, m.settings, who, name=name, impact=False)
        result = session.run(confirmed=confirmed)
        report = _report(name, result)
        status = result.status
    except Exception as exc:
        log.exception("Eingangsordner: %s nicht importiert", name)
        reason = str(exc) if isinstance(exc, auth.UserError) else INTERNAL_IMPORT
        return {"datei": name, "status": "fehler", "fehler": [reason]}, REFUSED
    return report, DONE if status.ok else TO_CONFIRM if status == ImportStatus.TO_CONFIRM else REFUSED


def _report(name: str, result: ImportResult) -> dict[str, Any]:
    return {
        "datei": name,
        "status": result.status,
        "zeilen": result.rows,
        "fehler": [e.text() for e in result.errors][:200],
        "hinweise": [w.text() for w in result.warnings][:200],
        "plausibilitaet": [w.text() for w in result.warnings if w.rule][:200],
    }


def _file_away(inbox: Path, path: Path, folder: str, report: dict[str, Any], stamp: bool = True) -> Path:
    """Move a file into a subfolder of the inbox (its name prefixed with the time) with its report beside it."""
    dest = inbox / folder
    with private_files():
        dest.mkdir(exist_ok=True)
        target = dest / (f"{time.strftime('%Y%m%d-%H%M%S')}-{path.name}" if stamp else path.name)
        path.replace(target)
        (dest / f"{target.name}{RESULT}").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return target


# -- files waiting for a person's confirmation ------------------------------------------------------------
@dataclass(frozen=True)
class PendingFile:
    """A file of the inbox with plausibility warnings, waiting in ``zu_bestaetigen/`` for a person."""

    #: the file's name in ``zu_bestaetigen/`` (with the time it arrived)
    stored: str
    #: the file's own name (recorded with the upload)
    name: str
    #: who dropped it (``Eingang: <account>``)
    owner: str
    #: the plausibility warnings (German, with file, row and column)
    warnings: list[str]


def pending_files(settings: Settings) -> list[PendingFile]:
    """The inbox's files waiting for a confirmation, oldest first."""
    folder = inbox_dir(settings) / TO_CONFIRM
    found = []
    for path in sorted(folder.glob(f"*{RESULT}")) if folder.is_dir() else []:
        data_file = path.with_name(path.name[: -len(RESULT)])
        if not data_file.is_file() or data_file.is_symlink():
            continue
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            continue
        found.append(
            PendingFile(
                data_file.name,
                str(report.get("datei") or data_file.name),
                str(report.get("eingang") or ""),
                [str(w) for w in report.get("plausibilitaet") or []],
            )
        )
    return found


def _pending_path(settings: Settings, stored: str) -> tuple[Path, dict[str, Any]]:
    folder = inbox_dir(settings) / TO_CONFIRM
    path = folder / stored
    if stored != Path(stored).name or not path.is_file() or path.is_symlink():
        raise auth.UserError(f"Die Datei „{stored}“ wartet nicht (mehr) auf eine Bestätigung.")
    try:
        report = json.loads((folder / f"{stored}{RESULT}").read_text(encoding="utf-8"))
    except (ValueError, OSError):
        report = {}
    return path, report


def confirm_pending(monitor: Monitor, stored: str, user: str) -> ImportResult:
    """A person has read the plausibility warnings of a waiting file: take it over (all or nothing) as that person.
    The file then goes to ``erledigt/`` (or ``abgelehnt/`` if it fails now) with its new report."""
    from indicators.ingest.session import UploadSession

    user = auth.require(auth.UPLOAD, user)
    path, before = _pending_path(monitor.settings, stored)
    name = str(before.get("datei") or stored)
    m = monitor
    session = UploadSession.from_path(path, m.store, m.catalog, m.settings, user, name=name, impact=False)
    result = session.run(confirmed=True)
    report = {**_report(name, result), "bestaetigt_von": user}
    _file_away(path.parent.parent, path, DONE if result.status.ok else REFUSED, report, stamp=False)
    (path.parent / f"{stored}{RESULT}").unlink(missing_ok=True)
    log.info("Eingangsordner: %s nach Bestätigung → %s", name, result.status)
    return result


def discard_pending(monitor: Monitor, stored: str, user: str) -> None:
    """A person discards a waiting file: it goes to ``abgelehnt/``; nothing is written to the database."""
    user = auth.require(auth.UPLOAD, user)
    path, before = _pending_path(monitor.settings, stored)
    report = {**before, "status": "verworfen", "verworfen_von": user}
    _file_away(path.parent.parent, path, REFUSED, report, stamp=False)
    (path.parent / f"{stored}{RESULT}").unlink(missing_ok=True)
    log.info("Eingangsordner: %s verworfen von %s", stored, user)
