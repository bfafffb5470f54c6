"""All-or-nothing imports: a killed import leaves the state before it, the same file is not loaded
twice, a new version supersedes the old values, rollback restores them, and no input makes the import
raise."""

from __future__ import annotations

import errno
import logging
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from badfiles import SAMPLES, ff_good_rows, ff_row, ffcsv
from conftest import ROOT, make_settings

from indicators.ingest import pipeline, session
from indicators.ingest.base import RawFile
from indicators.ingest.sources.mapping import MappingReader, get_profile
from indicators.store import Store


def big_ffcsv(path: Path, ages: int = 1000) -> int:
    """A GENESIS flat file with unique keys: 11 regions x 37 years x 2 x 2 x ``ages`` age groups rows."""
    head = (
        "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;"
        "1_variable_attribute_code;1_variable_attribute_label;2_variable_code;2_variable_label;"
        "2_variable_attribute_code;2_variable_attribute_label;3_variable_code;3_variable_label;"
        "3_variable_attribute_code;3_variable_attribute_label;4_variable_code;4_variable_label;"
        "4_variable_attribute_code;4_variable_attribute_label;value;value_unit;value_variable_code;value_variable_label\n"
    )
    regions = [("KREISE", "03157"), ("DLAND", "03")] + [("GEMEIN", f"0315700{i}") for i in range(1, 10)]
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("\ufeff" + head)
        for year in range(1990, 2027):
            for region_var, key in regions:
                pre = f"12411;Bevölkerung;STAG;Stichtag;{year}-12-31;{region_var};Regionen;{key};Region {key};"
                lines = []
                for nat, nat_label in (("NATD", "Deutsche"), ("NATA", "Ausländer(innen)")):
                    for ges, ges_label in (("GESM", "männlich"), ("GESW", "weiblich")):
                        mid = f"{pre}NAT;Nationalität;{nat};{nat_label};GES;Geschlecht;{ges};{ges_label};ALTX20;Alter;"
                        lines.extend(
                            f"{mid}ALT{a};{a} bis unter {a + 1} Jahre;{(a * 7 + year) % 500};Anzahl;BEVSTD;"
                            "Bevölkerungsstand\n"
                            for a in range(ages)
                        )
                fh.write("".join(lines))
                n += len(lines)
    return n


def _cli(db: Path, *args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "indicators", "--db", str(db), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_killed_import_leaves_the_state_before(tmp_path):
    db = tmp_path / "monitor.duckdb"
    archive = tmp_path / "archive"
    env = {**os.environ, "MONITOR_ARCHIVE_DIR": str(archive), "MONITOR_MAX_UPLOAD_MB": "2000", "MONITOR_USER": "test"}
    first = _cli(db, "import", "--ja", str(SAMPLES / "genesis_flat_12411-01-01-5_gemeinden.csv"), env=env)
    assert first.wait(120) == 0, first.stderr.read().decode()
    store = Store(db)
    before = store.content_digest()
    uploads_before = len(store.uploads())
    store.close()

    big = tmp_path / "gross.csv"
    try:
        _kill_during_import(db, archive, big, env, before, uploads_before)
    finally:  # pytest keeps temporary folders; do not leave 400 MB behind
        big.unlink(missing_ok=True)
        for p in archive.rglob("*.csv"):
            p.unlink()


def _kill_during_import(db: Path, archive: Path, big: Path, env: dict, before: str, uploads_before: int) -> None:
    rows = big_ffcsv(big)
    assert rows > 1_500_000
    db_size = db.stat().st_size
    proc = _cli(db, "import", "--ja", str(big), env=env)
    try:
        _kill_inside_transaction(proc, db, archive, big.stat().st_size, db_size)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    _check_state_and_continue(db, env, before, uploads_before)


def _kill_inside_transaction(proc: subprocess.Popen, db: Path, archive: Path, size: int, db_size: int) -> None:
    # Markers of "inside the transaction": the original bytes are archived (in a second thread) while it
    # runs, and while it inserts 1.6 million rows DuckDB already writes blocks into the database file (the
    # commit itself comes seconds later). Kill as soon as both are seen (or 3 s after the archive).
    deadline, archived_at = time.monotonic() + 300, None
    while time.monotonic() < deadline and proc.poll() is None:
        if archived_at is None and any(p.stat().st_size == size for p in archive.rglob("*.csv")):
            archived_at = time.monotonic()
        if archived_at is not None and (db.stat().st_size > db_size or time.monotonic() - archived_at > 3):
            break
        time.sleep(0.01)
    assert proc.poll() is None, "Der Import endete vor dem Abbruch: " + proc.stdout.read().decode()[:500]
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(30) == -signal.SIGKILL


def _check_state_and_continue(db: Path, env: dict, before: str, uploads_before: int) -> None:
    store = Store(db)
    try:
        assert store.content_digest() == before
        assert len(store.uploads()) == uploads_before
    finally:
        store.close()
    again = _cli(db, "import", "--ja", str(SAMPLES / "opensdg_indicator_5-3-2_niedersachsen.csv"), env=env)
    assert again.wait(120) == 0, again.stderr.read().decode()
    store = Store(db)
    try:
        assert len(store.uploads()) == uploads_before + 1
        assert store.scalar("SELECT count(*) FROM obs_current WHERE variable = 'alq' AND region = '03'") == 32
    finally:
        store.close()


def test_archive_that_cannot_be_written_rolls_the_import_back(tmp_path):
    """The original is written while the transaction runs; if it cannot be written, nothing is committed."""
    from dataclasses import replace

    from indicators.service import open_monitor

    settings = make_settings(tmp_path)
    blocked = tmp_path / "kein_ordner"
    blocked.write_text("eine Datei, wo das Archiv liegen soll", encoding="utf-8")
    m = open_monitor(settings=replace(settings, archive_dir=blocked))
    try:
        before = m.store.content_digest()
        raw = (SAMPLES / "opensdg_indicator_5-3-2_niedersachsen.csv").read_bytes()
        res = session.import_bytes("opensdg.csv", raw, m.store, m.catalog, m.settings, "test")
        assert res.status == "abgelehnt"
        message = res.errors[-1].message
        assert "vollständig zurückgenommen" in message
        assert "Eine Datei des Monitors ließ sich nicht lesen oder schreiben" in message  # German, not errno text
        assert "Errno" not in message and "kein_ordner" not in message
        assert m.store.content_digest() == before and m.store.uploads().empty
    finally:
        m.close()


def test_same_file_twice_is_not_loaded_twice(tmp_monitor):
    m = tmp_monitor
    raw = (SAMPLES / "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx").read_bytes()
    first = session.import_bytes("ba.xlsx", raw, m.store, m.catalog, m.settings, "test")
    assert first.status == "importiert"
    state = m.store.content_digest()
    second = session.import_bytes("ba_kopie.xlsx", raw, m.store, m.catalog, m.settings, "test")
    assert second.status == "bereits_vorhanden" and second.upload_id == first.upload_id
    assert any("bereits als Upload Nr." in w.message for w in second.warnings)
    assert m.store.content_digest() == state
    assert m.store.scalar("SELECT count(*) FROM observations") == first.rows


def _value(m, region="03157001", nationality="deutsch", year=2021) -> float:
    return m.store.scalar(
        "SELECT value FROM obs_current WHERE variable = 'bevoelkerung' AND region = ? AND year = ? AND nationality = ?",
        [region, year, nationality],
    )


def test_new_version_supersedes_and_rollback_restores(tmp_monitor):
    m = tmp_monitor
    v1 = session.import_bytes("v1.csv", ffcsv(ff_good_rows()), m.store, m.catalog, m.settings, "test")
    assert v1.status == "importiert"
    state_v1 = m.store.content_digest()
    assert _value(m) == 100
    v2_rows = [ff_row(value="150"), ff_row("03157004", "Lengede", value="70")]
    v2 = session.import_bytes("v2.csv", ffcsv(v2_rows), m.store, m.catalog, m.settings, "test")
    assert v2.status == "importiert" and v2.diff == {"neu": 1, "geändert": 1, "unverändert": 0}
    assert _value(m) == 150  # the new version wins for its keys
    assert _value(m, nationality="auslaendisch") == 20  # keys only in the old version stay
    assert _value(m, region="03157004") == 70
    pipeline.rollback(v2.upload_id, m.store, m.catalog, m.settings, "test")
    assert _value(m) == 100 and _value(m, region="03157004") is None
    uploads = m.store.uploads().set_index("id")
    assert uploads.loc[v2.upload_id, "status"] == "zurueckgenommen"
    with pytest.raises(pipeline.RollbackError):
        pipeline.rollback(v2.upload_id, m.store, m.catalog, m.settings, "test")
    current = m.store.query_df("SELECT * EXCLUDE (upload_id) FROM obs_current ORDER BY ALL")
    pipeline.rollback(v1.upload_id, m.store, m.catalog, m.settings, "test")
    assert _value(m) is None
    assert m.store.content_digest() != state_v1
    assert len(current) > 0


@pytest.mark.parametrize(
    ("failure", "said"),
    [
        (RuntimeError("internal state xyz"), "Ein interner Fehler ist aufgetreten."),
        (
            OSError(errno.ENOSPC, "No space left on device"),
            "Auf dem Datenträger des Monitors ist kein Platz mehr frei.",
        ),
        (duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block"), "Der Arbeitsspeicher reicht"),
        (
            duckdb.IOException("IO Error: Could not write file"),
            "Die Datenbankdatei ließ sich nicht lesen oder schreiben",
        ),
    ],
)
def test_failure_inside_the_commit_rolls_back_everything(tmp_monitor, monkeypatch, caplog, failure, said):
    m = tmp_monitor
    before = m.store.content_digest()

    def broken(*args, **kwargs):
        raise failure

    monkeypatch.setattr(pipeline, "recompute_in", broken)
    with caplog.at_level(logging.ERROR, logger="integrationsmonitor"):
        res = session.import_bytes("v1.csv", ffcsv(ff_good_rows()), m.store, m.catalog, m.settings, "test")
    assert res.status == "abgelehnt"
    message = res.errors[-1].message
    assert "vollständig zurückgenommen" in message and said in message and "Protokoll des Servers" in message
    assert str(failure) not in message and type(failure).__name__ not in message  # the technical text: in the log
    number = re.search(r"Fehlernummer (\d{8}-\d{6}-[0-9a-f]{4})", message)
    assert number, message  # the number the administration looks up in the log
    assert any(r.exc_info and r.exc_info[1] is failure and number.group(1) in r.getMessage() for r in caplog.records)
    assert m.store.content_digest() == before
    monkeypatch.undo()
    ok = session.import_bytes("v1.csv", ffcsv(ff_good_rows()), m.store, m.catalog, m.settings, "test")
    assert ok.status == "importiert"


def _mutations(content: bytes, rng: random.Random, n: int) -> list[bytes]:
    out = [content[: rng.randrange(1, len(content))] for _ in range(n)]
    for _ in range(n):
        b = bytearray(content)
        for _ in range(rng.randrange(1, 20)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        out.append(bytes(b))
    for _ in range(n // 2):
        i = rng.randrange(len(content))
        out.append(content[:i] + content[i:][::-1][: rng.randrange(1, 200)] + content[i:])
    return out


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".csv", ".xlsx")))
def test_no_input_makes_the_import_raise(tmp_monitor, name):
    """Truncated, bit-flipped and spliced versions of every sample: always a result, never an exception."""
    m = tmp_monitor
    rng = random.Random(name)
    content = (SAMPLES / name).read_bytes()
    profile = MappingReader(get_profile(m.store, "personalamt"))
    before = m.store.content_digest()
    for _i, variant in enumerate(_mutations(content, rng, 12)):
        for reader in (None, profile):
            parsed = pipeline.preview(RawFile(name, variant), m.store, m.catalog, m.settings, reader)
            assert isinstance(parsed.data, pd.DataFrame)
            res = session.import_bytes(
                name, variant, m.store, m.catalog, m.settings, "test", dry_run=True, reader=reader
            )
            assert res.status in ("abgelehnt", "vorschau")
            for p in [*res.errors, *res.warnings]:
                assert p.message and "Traceback" not in p.message
    assert m.store.content_digest() == before


def test_parse_is_safe_without_a_store(tmp_path):
    settings = make_settings(tmp_path)
    for content in (
        b"",
        b"\x00" * 10,
        b"PK\x03\x04" + b"\x00" * 100,
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        b"Year,Value\n",
        b";;;\n;;;\n",
    ):
        for ext in ("csv", "xlsx", "xls", "ods", "txt"):
            parsed = pipeline.parse(RawFile(f"x.{ext}", content), settings)
            assert parsed.errors or parsed.data.empty


def test_reading_pauses_the_garbage_collector_and_always_gives_it_back(tmp_monitor, monkeypatch):
    """Issue 10 (xlsx speed): Python's cyclic collector is paused while a file is read and checked (a 200.000-row
    workbook is millions of fresh cells that every collection would walk again) and runs again afterwards: after a
    refused file, after a reader that crashes, and when two uploads of the page's sessions overlap (the first one
    to finish must not leave it off or switch it on under the other). A collector switched off before stays off."""
    import gc
    import threading

    from indicators.ingest.files import gc_paused

    seen = []
    real_parse = pipeline.parse

    def parse(raw, settings, reader=None):
        seen.append(gc.isenabled())
        if raw.name == "kaputt.csv":
            raise RuntimeError("Fehler im Leser")
        return real_parse(raw, settings, reader)

    monkeypatch.setattr(pipeline, "parse", parse)
    m = tmp_monitor
    parsed = pipeline.preview(RawFile("leer.csv", b""), m.store, m.catalog, m.settings)
    assert parsed.errors and gc.isenabled()
    with pytest.raises(RuntimeError):
        pipeline.preview(RawFile("kaputt.csv", b"a;b\n1;2\n"), m.store, m.catalog, m.settings)
    assert seen == [False, False] and gc.isenabled()

    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    during: list[bool] = []

    def first():
        with gc_paused():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second():
        first_in.wait(5)
        with gc_paused():
            second_in.set()
            first_out.wait(5)
            during.append(gc.isenabled())  # the first reader is done, this one still reads

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert during == [False] and gc.isenabled()

    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_full_disk_leaves_no_hidden_temporary_file(tmp_monitor, monkeypatch):
    """Issue 22: a failed import on a full disk left its hidden temporary copy (23 MB) in the archive."""
    import errno

    real_fsync = pipeline.os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pipeline.os, "fsync", full)
    m = tmp_monitor
    before = m.store.content_digest()
    raw = (SAMPLES / "opensdg_indicator_5-3-2_niedersachsen.csv").read_bytes()
    res = session.import_bytes("opensdg.csv", raw, m.store, m.catalog, m.settings, "test")
    monkeypatch.setattr(pipeline.os, "fsync", real_fsync)
    assert res.status == "abgelehnt" and "vollständig zurückgenommen" in res.errors[-1].message
    assert m.store.content_digest() == before
    left = [p for p in m.settings.archive_dir.rglob("*") if p.is_file()] if m.settings.archive_dir.exists() else []
    assert left == [], left
