"""Backup and restore, the command line beside the running app, the inbox (issue 11).

The main test starts the real app server on a copy of the demo data, drops a file into its inbox (imported by
the app), runs read-only commands and ``backup`` from the command line while the app serves (the app answers and
makes the backup), stops the app, restores the backup elsewhere and compares ``values --json`` and
``status --json`` of both."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from browser_support import serve_app
from conftest import SAMPLES, cli, make_settings
from test_browser import _open  # noqa: F401 (the module's own server on a demo copy)

from indicators import auth, backup
from indicators.auth import Actor, acting_as
from indicators.health import is_up
from indicators.service import open_monitor

# (was the BA June 2025 table: on the demo data it would replace the yearly averages of 2025 with June values,
# which the import now refuses; the Open SDG file is new to the demo database)
GOOD = "opensdg_indicator_5-3-2_niedersachsen.csv"
BAD = "kaputt.csv"  # no table in it: refused (other Kreise are comparison regions since issue 10, not an error)


def _same_outputs(db_a: Path, db_b: Path) -> None:
    for args in (
        ("status", "--json"),
        ("values", "alq_auslaender", "--json"),
        ("values", "einbuergerungsquote", "--json"),
        ("uploads", "--json"),
        ("targets", "list", "--json"),
    ):
        a, b = cli(*args, db=db_a), cli(*args, db=db_b)
        assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
        if args[0] == "uploads":  # the archive path points into the restored folder; everything else is equal
            ja, jb = json.loads(a.stdout), json.loads(b.stdout)
            for rows in (ja, jb):
                for r in rows:
                    r.pop("archive_path", None)
            assert ja == jb
        else:
            assert a.stdout == b.stdout and len(a.stdout) > 100, args


def test_backup_and_restore_give_the_same_values(demo_copy, tmp_path):
    m = open_monitor(demo_copy)
    try:
        with acting_as(Actor("betty", auth.VIEWER)):
            with pytest.raises(auth.PermissionDenied):
                backup.backup(m, tmp_path / "nein", "betty")
        assert not (tmp_path / "nein").exists()
        with acting_as(Actor("adam", auth.ADMIN)):
            info = backup.backup(m, tmp_path / "b1", "root")
        assert info["created_by"] == "adam" and info["counts"]["uploads"] > 10
        assert (m.store.query("SELECT user_name FROM audit_log WHERE action = 'sicherung'")) == [("adam",)]
    finally:
        m.close()
    restored = tmp_path / "neu" / "monitor.duckdb"
    r = cli("restore", str(tmp_path / "b1"), "--to", str(restored), db=tmp_path / "unbenutzt.duckdb")
    assert r.returncode == 0, r.stderr
    _same_outputs(demo_copy, restored)
    # the originals come along: the restored upload history points at the restored archive
    rows = json.loads(cli("uploads", "--json", db=restored).stdout)
    assert all(
        Path(u["archive_path"]).is_file() and str(tmp_path / "neu" / "archive") in u["archive_path"]
        for u in rows
        if u.get("archive_path")
    )
    # never over an existing database
    again = cli("restore", str(tmp_path / "b1"), "--to", str(restored), db=tmp_path / "unbenutzt.duckdb")
    assert again.returncode == 1 and "gibt es schon" in again.stderr


def test_a_damaged_backup_is_refused(demo_copy, tmp_path):
    r = cli("backup", str(tmp_path / "b"), db=demo_copy)
    assert r.returncode == 0, r.stderr
    with open(tmp_path / "b" / "monitor.duckdb", "r+b") as fh:
        fh.seek(5000)
        fh.write(b"kaputt")
    r = cli("restore", str(tmp_path / "b"), "--to", str(tmp_path / "neu" / "m.duckdb"), db=demo_copy)
    assert r.returncode == 1 and "beschädigt" in r.stderr
    assert not (tmp_path / "neu" / "m.duckdb").exists()


def test_retention_keeps_the_newest(tmp_path):
    m = open_monitor(settings=make_settings(tmp_path))
    try:
        with acting_as(auth.system_actor("t")):
            for i in range(4):
                backup.backup(m, tmp_path / "backups" / f"sicherung-2026112{i}", "t")
        gone = backup.prune(tmp_path / "backups", 2)
    finally:
        m.close()
    assert sorted(gone) == ["sicherung-20261120", "sicherung-20261121"]
    assert [b["name"] for b in backup.list_backups(tmp_path / "backups")] == [
        "sicherung-20261123",
        "sicherung-20261122",
    ]


@pytest.mark.browser
def test_backup_while_the_app_serves_and_restore_elsewhere(demo_database, tmp_path, browser):
    folder = tmp_path / "app"
    folder.mkdir()
    db = folder / "monitor.duckdb"
    shutil.copyfile(demo_database, db)
    env = {**os.environ, "MONITOR_DB": str(db), "MONITOR_USER": "browsertest", "MONITOR_INBOX_POLL": "0.3"}
    server = serve_app(db, folder, env)
    url = next(server)
    try:
        # nobody has opened the app yet: one session wakes it (what `integrationsmonitor start` does on its own)
        from indicators.app_channel import wake_when_up

        assert wake_when_up(int(url.rsplit(":", 1)[1]), timeout=60)
        deadline = time.time() + 30
        while not (folder / "inbox" / ".beobachtet").exists() and time.time() < deadline:
            time.sleep(0.3)
        # while the app holds the file, a read-only command is answered by the app
        before = cli("uploads", "--json", db=db)
        assert before.returncode == 0, before.stderr
        n_before = len(json.loads(before.stdout))
        # files dropped into the inbox are imported by the app, with the same validation and audit
        for name in (GOOD, BAD):
            if name == BAD:
                (folder / "inbox" / ("." + name)).write_text(
                    "Sehr geehrte Damen und Herren,\nanbei die Zahlen.\n", encoding="utf-8"
                )
            else:
                shutil.copyfile(SAMPLES / name, folder / "inbox" / ("." + name))
            (folder / "inbox" / ("." + name)).rename(folder / "inbox" / name)
        deadline = time.time() + 90
        while len(list((folder / "inbox").glob("*/*.ergebnis.json"))) < 2 and time.time() < deadline:
            time.sleep(0.3)
        reports = {
            p.parent.name: json.loads(p.read_text(encoding="utf-8"))
            for p in (folder / "inbox").glob("*/*.ergebnis.json")
        }
        assert reports["erledigt"]["datei"] == GOOD and reports["erledigt"]["status"] == "importiert", reports
        assert reports["abgelehnt"]["datei"] == BAD and reports["abgelehnt"]["fehler"], reports
        after = json.loads(cli("uploads", "--json", db=db).stdout)
        assert len(after) == n_before + 1 and after[0]["file_name"] == GOOD
        # read-only values while the app serves = the app's values after the import (checked below, app stopped)
        served_values = cli("values", "alq_auslaender", "--json", db=db)
        assert served_values.returncode == 0, served_values.stderr
        assert after[0]["user_name"].startswith("Eingang: ")
        # the backup while the app serves: the app makes it
        r = cli("backup", str(tmp_path / "sicherung"), db=db)
        assert r.returncode == 0, r.stderr
        assert "laufende App" in r.stderr and (tmp_path / "sicherung" / "manifest.json").is_file()
        assert is_up(url, timeout=10)
        _open(browser, url, "Cockpit", "backup_app_laeuft").close()  # and the pages still work
    finally:
        next(server, None)  # stops the server
    app_values = cli("values", "alq_auslaender", "--json", db=db)
    assert app_values.stdout == served_values.stdout and len(app_values.stdout) > 100
    restored = tmp_path / "woanders" / "monitor.duckdb"
    r = cli("restore", str(tmp_path / "sicherung"), "--to", str(restored), db=tmp_path / "x.duckdb")
    assert r.returncode == 0, r.stderr
    _same_outputs(db, restored)


def test_inbox_does_not_read_an_oversized_request(tmp_path, monkeypatch):
    """A command-line request in the inbox is a few hundred bytes; a huge one is dropped unread, with no answer."""
    from indicators import inbox
    from indicators.service import open_monitor

    m = open_monitor(settings=make_settings(tmp_path))
    try:
        box = inbox.Inbox(m)
        box.folder.mkdir(parents=True, exist_ok=True)
        big = box.folder / ("x" + inbox.REQUEST)
        with open(big, "w", encoding="utf-8") as fh:  # valid JSON, but 65 KB of it
            fh.write('{"command": "cli", "argv": ["status"], "pad": "' + "a" * (inbox.REQUEST_MAX_BYTES + 1) + '"}')
        monkeypatch.setattr(inbox.json, "loads", lambda *a, **k: pytest.fail("oversized request was read"))
        assert box.process_once() == [{}]
        assert not big.exists() and not list(box.folder.glob("*" + inbox.ANSWER))
    finally:
        m.close()


def test_backup_refusal_names_no_server_path(demo_copy, tmp_path):
    """A backup into a folder that is not empty is refused with the folder's name only (was: the full server path,
    shown on the page Verwaltung)."""
    m = open_monitor(demo_copy)
    target = tmp_path / "geheim" / "sicherung-1"
    target.mkdir(parents=True)
    (target / "etwas.txt").write_text("x", encoding="utf-8")
    try:
        with acting_as(auth.system_actor("root")), pytest.raises(backup.BackupError) as exc:
            backup.backup(m, target, "root")
    finally:
        m.close()
    assert "„sicherung-1“ ist nicht leer" in str(exc.value)
    assert str(tmp_path) not in str(exc.value) and "geheim" not in str(exc.value)


def test_inbox_failures_name_no_exception_class(tmp_path, monkeypatch):
    """A command the app fails on, and a file it fails on, answer in plain German (was: 'Interner Fehler
    (RuntimeError)' and the exception's own text); the details go to the log."""
    from indicators import cli, inbox

    m = open_monitor(settings=make_settings(tmp_path))
    try:
        box = inbox.Inbox(m)
        box.folder.mkdir(parents=True, exist_ok=True)

        def broken(*a, **k):
            raise RuntimeError("/srv/monitor/geheim.duckdb kaputt")

        monkeypatch.setattr(cli, "dispatch", broken)
        (box.folder / ("a" + inbox.REQUEST)).write_text(
            json.dumps({"command": "cli", "argv": ["status"]}), encoding="utf-8"
        )
        (answer,) = box.process_once()
        assert answer["ok"] is False
        assert "internen Fehlers" in answer["error"] and "Protokoll der App" in answer["error"]
        assert "RuntimeError" not in answer["error"] and "/srv" not in answer["error"]

        from indicators.ingest.session import UploadSession

        monkeypatch.setattr(UploadSession, "from_path", broken)
        data = box.folder / "werte.csv"
        data.write_text("a;b\n1;2\n", encoding="utf-8")
        old = time.time() - 10
        os.utime(data, (old, old))
        box.process_once()  # first look: size and time noted
        (report,) = box.process_once()
        assert report["status"] == "fehler"
        assert "Protokoll der App" in report["fehler"][0] and "/srv" not in report["fehler"][0]
        assert "RuntimeError" not in json.dumps(report)
    finally:
        m.close()


def test_read_only_values_are_recomputed_like_the_app_would(demo_copy, monkeypatch):
    """A read-only command on values computed with another minimum count (or other definitions) shows what the app
    would show after its recompute on opening (was: the old values, silently)."""

    def values(min_count: str) -> str:
        monkeypatch.setenv("MONITOR_MIN_COUNT", min_count)
        r = cli("values", "einbuergerungsquote", "--json", db=demo_copy)
        assert r.returncode == 0, r.stderr
        return r.stdout

    default = json.loads(values("3"))
    strict = json.loads(values("100000"))  # every count below 100.000 suppressed, as the app computes it then
    assert len(strict) == len(default) > 0
    assert [r["value"] for r in strict if r["region"] == "03157"] != [
        r["value"] for r in default if r["region"] == "03157"
    ]
    assert any(r["value"] is None for r in strict)
    assert json.loads(values("3")) == default  # and back


def test_inbox_start_failure_is_tried_once_and_logged(writable_demo_db, monkeypatch):
    """The inbox watcher that cannot start (e.g. no right to create the folder) is tried once per server process with
    a warning in the log; the pages run (was: tried again, with a traceback in the log, on every page run)."""
    import io
    import logging

    from conftest import ROOT
    from streamlit.testing.v1 import AppTest

    from indicators import inbox

    calls = []

    def refuse(self):
        calls.append(1)
        raise PermissionError("kein Recht auf den Eingangsordner")

    monkeypatch.setattr(inbox.Inbox, "start", refuse)
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    logging.getLogger("integrationsmonitor").addHandler(handler)
    try:
        for _ in range(2):  # two sessions, three page runs
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
            at.run()
            assert not at.exception and not at.error, [e.value for e in at.exception]
        at.run()
    finally:
        logging.getLogger("integrationsmonitor").removeHandler(handler)
    assert len(calls) == 1
    assert lines.getvalue().count("Eingangsordner nicht gestartet") == 1


def test_the_app_answers_exactly_the_read_only_commands_of_the_command_line(tmp_path, monkeypatch):
    """One rule decides which commands only read (cli.is_read_only): the inbox answers those and refuses the rest."""
    from indicators import cli, inbox

    m = open_monitor(settings=make_settings(tmp_path))
    try:
        box = inbox.Inbox(m)
        box.folder.mkdir(parents=True, exist_ok=True)

        def ask(argv):
            (box.folder / ("a" + inbox.REQUEST)).write_text(
                json.dumps({"command": "cli", "argv": argv}), encoding="utf-8"
            )
            (answer,) = box.process_once()
            return answer

        assert ask(["status", "--json"])["ok"] is True
        for argv in (
            ["targets", "set", "alq_auslaender", "--value", "5", "--year", "2030"],
            ["profiles", "--delete", "x"],
            ["rollback", "1"],
            ["import", "x.csv"],
        ):
            answer = ask(argv)
            assert answer["ok"] is False and "Nur lesende Befehle" in answer["error"], (argv, answer)
        assert ask(["--help"]) == {"ok": False, "error": "Ungültiger Aufruf."}
        monkeypatch.setattr(cli, "is_read_only", lambda args: False, raising=False)
        assert ask(["status", "--json"])["ok"] is False  # the inbox has no rule of its own
    finally:
        m.close()


def test_retention_and_restore_touch_only_their_own_folders(tmp_path):
    """Issue 22: a manifest naming ``../victim`` made "Jetzt sichern" delete that folder outside the backups."""
    root = tmp_path / "backups"
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "wichtig.txt").write_text("bleibt", encoding="utf-8")
    m = open_monitor(settings=make_settings(tmp_path / "daten"))
    try:
        with acting_as(auth.system_actor("t")):
            for i in range(2):
                backup.backup(m, root / f"sicherung-2026112{i}", "t")
            forged = root / "sicherung-20200101"
            forged.mkdir()
            (forged / "monitor.duckdb").write_bytes((root / "sicherung-20261120" / "monitor.duckdb").read_bytes())
            manifest = json.loads((root / "sicherung-20261120" / "manifest.json").read_text(encoding="utf-8"))
            (forged / "manifest.json").write_text(json.dumps({**manifest, "name": "../victim"}), encoding="utf-8")
            gone = backup.prune(root, 1)
            assert gone == ["sicherung-20261120"]
            assert (victim / "wichtig.txt").read_text(encoding="utf-8") == "bleibt"
            assert forged.exists()  # not ours: neither listed nor deleted
            assert [b["name"] for b in backup.list_backups(root)] == ["sicherung-20261121"]
            with pytest.raises(backup.BackupError) as exc:
                backup.restore(forged, tmp_path / "neu" / "monitor.duckdb")
            assert "keine Sicherung des Monitors" in str(exc.value)
            assert not (tmp_path / "neu" / "monitor.duckdb").exists()
    finally:
        m.close()


def test_a_failed_backup_leaves_nothing_behind(tmp_path, monkeypatch):
    """Issue 22: a backup that fails (a full disk) left its half copy ``monitor.duckdb.teil`` behind."""
    import errno

    m = open_monitor(settings=make_settings(tmp_path / "daten"))
    target = tmp_path / "backups" / "sicherung-1"

    def full(src, dst, *a, **k):
        Path(dst).write_bytes(b"halb")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup.shutil, "copyfile", full)
    try:
        with acting_as(auth.system_actor("t")), pytest.raises(OSError):
            backup.backup(m, target, "t")
    finally:
        m.close()
    assert not target.exists() and not list((tmp_path / "backups").rglob("*"))
