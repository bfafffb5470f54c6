"""Issue 22: the inbox never dies twice of the same file, never follows a link, and refuses a forged .xls.

Each file that could take the process down is handled in a child process with a memory limit, so that a regression
fails the test instead of the machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import badfiles
from conftest import ROOT, make_settings

from indicators import inbox
from indicators.service import open_monitor

CHILD = """
import os, resource, sys, time, json
resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, sys.argv[1] + "/tests")
os.environ["MONITOR_AUTH"] = "aus"
from pathlib import Path
from conftest import make_settings
from indicators import inbox
from indicators.service import open_monitor
if sys.argv[3] == "abbruch":  # the reader ends the process, as calamine did for a forged .xls
    from indicators.ingest.session import UploadSession
    UploadSession.from_path = lambda *a, **k: os.abort()
m = open_monitor(settings=make_settings(Path(sys.argv[2])))
box = inbox.Inbox(m)
box.process_once()
print(json.dumps(box.process_once()))
"""


def _run_inbox(tmp_path, mode: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), str(tmp_path), mode], capture_output=True, text=True, timeout=120
    )


def _drop(folder, name: str, content: bytes):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    old = time.time() - 10
    os.utime(path, (old, old))
    return path


def _uploads(tmp_path) -> int:
    m = open_monitor(settings=make_settings(tmp_path))
    try:
        return len(m.store.uploads())
    finally:
        m.close()


def test_forged_xls_in_the_inbox_is_refused_and_filed_away(tmp_path):
    folder = make_settings(tmp_path).db_path.parent / "inbox"
    _drop(folder, "gefaelscht.xls", badfiles.forged_xls_dimensions())
    proc = _run_inbox(tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (report,) = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["status"] != "importiert" and "manipuliert" in report["fehler"][0], report
    assert not (folder / "gefaelscht.xls").exists()
    assert len(list((folder / "abgelehnt").glob("*-gefaelscht.xls"))) == 1
    assert _uploads(tmp_path) == 0


def test_a_file_the_app_died_on_goes_to_quarantine_once(tmp_path):
    folder = make_settings(tmp_path).db_path.parent / "inbox"
    _drop(folder, "toedlich.xls", b"egal")
    proc = _run_inbox(tmp_path, "abbruch")
    assert proc.returncode != 0  # the process died while reading the file
    assert (folder / "toedlich.xls").exists()
    # the next start (here: this process) does not read it again, but files it away with the reason
    m = open_monitor(settings=make_settings(tmp_path))
    try:
        from indicators.ingest.session import UploadSession

        box = inbox.Inbox(m)
        called = []
        real = UploadSession.from_path
        UploadSession.from_path = lambda *a, **k: called.append(a)  # type: ignore[method-assign,assignment]
        try:
            first = box.process_once()
            second = box.process_once() + box.process_once()
        finally:
            UploadSession.from_path = real  # type: ignore[method-assign]
    finally:
        m.close()
    assert called == [] and second == []
    (report,) = first
    assert report["status"] == "quarantaene" and "Quarantäne" in report["fehler"][0]
    (kept,) = (folder / "quarantaene").glob("*-toedlich.xls")
    reason = json.loads((folder / "quarantaene" / f"{kept.name}.ergebnis.json").read_text(encoding="utf-8"))
    assert "nicht noch einmal gelesen" in reason["fehler"][0]
    assert not (folder / "toedlich.xls").exists() and not (folder / inbox.IN_WORK).exists()


def test_inbox_ignores_symbolic_links(tmp_path):
    settings = make_settings(tmp_path)
    outside = tmp_path / "geheim.csv"
    outside.write_bytes((badfiles.SAMPLES / "opensdg_indicator_5-3-2_niedersachsen.csv").read_bytes())
    folder = settings.db_path.parent / "inbox"
    folder.mkdir(parents=True)
    link = folder / "werte.csv"
    link.symlink_to(outside)
    old = time.time() - 10
    os.utime(outside, (old, old))
    m = open_monitor(settings=settings)
    try:
        box = inbox.Inbox(m)
        assert box.process_once() + box.process_once() == []
        assert len(m.store.uploads()) == 0
    finally:
        m.close()
    assert link.is_symlink() and outside.exists()
