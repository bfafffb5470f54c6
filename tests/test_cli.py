"""The command line as a script would use it: JSON output, exit codes, German messages."""

from __future__ import annotations

import json
import os

import pandas as pd
from conftest import ROOT, cli, obs

from indicators.catalog import load_catalog
from indicators.demo.comparison import comparison_regions
from indicators.ingest.template import write_template


def test_values_json(demo_copy):
    r = cli("values", "alq_auslaender", "--region", "03157", "--year", "2025", "--json", db=demo_copy)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert rows and all({"indicator", "region", "year", "nationality", "sex", "value", "flag"} <= set(x) for x in rows)
    head = [x for x in rows if x["nationality"] == "auslaendisch" and x["sex"] == "insgesamt"]
    assert len(head) == 1 and isinstance(head[0]["value"], float)
    assert {x["region"] for x in rows} == {"03157"} and {x["year"] for x in rows} == {2025}


def test_unknown_indicator_is_usage_error(demo_copy):
    r = cli("values", "gibt_es_nicht", db=demo_copy)
    assert r.returncode == 2
    assert "Unbekannter Indikator" in r.stderr


def test_usage_error_exit_2(demo_copy):
    r = cli("values", db=demo_copy)
    assert r.returncode == 2
    assert "Fehler im Aufruf" in r.stderr


def test_import_json_rejected_names_row_and_column(demo_copy, tmp_path):
    cat = load_catalog(ROOT / "indicators" / "definitions")
    df = obs(
        [
            dict(variable="bevoelkerung", region="03157", year=2024, value=100),
            dict(variable="bevoelkerung", region="03157", year=2024, nationality="auslaendisch", value=-5),
        ]
    )
    path = write_template(tmp_path / "negativ.xlsx", df, cat, [("03157", "Landkreis Peine")])
    before = cli("values", "auslaender_anzahl", "--json", db=demo_copy).stdout
    r = cli("import", str(path), "--json", db=demo_copy)
    assert r.returncode == 1
    report = json.loads(r.stdout)
    assert report["status"] == "abgelehnt" and report["upload_id"] is None
    err = report["errors"][0]
    assert err["sheet"] == "Daten" and err["row"] == 3 and err["column"] == "Wert"
    assert "Negativer Wert" in err["message"]
    assert cli("values", "auslaender_anzahl", "--json", db=demo_copy).stdout == before


def test_import_dry_run_and_commit(demo_copy, tmp_path):
    cat = load_catalog(ROOT / "indicators" / "definitions")
    df = obs([dict(variable="integrationslotsen_aktiv", region="03157", year=2025, value=99)])
    path = write_template(tmp_path / "lotsen.xlsx", df, cat, [("03157", "Landkreis Peine")])
    dry = json.loads(cli("import", str(path), "--dry-run", "--json", db=demo_copy).stdout)
    assert dry["status"] == "vorschau" and dry["diff"]["geändert"] == 1
    r = cli("import", str(path), "--json", db=demo_copy)
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["status"] == "importiert"
    vals = json.loads(
        cli(
            "values", "ehrenamt_integrationslotsen", "--year", "2025", "--region", "03157", "--json", db=demo_copy
        ).stdout
    )
    assert vals[0]["value"] == 99
    again = json.loads(cli("import", str(path), "--json", db=demo_copy).stdout)
    assert again["status"] == "bereits_vorhanden"
    ups = json.loads(cli("uploads", "--json", db=demo_copy).stdout)
    uid = max(u["id"] for u in ups)
    assert cli("rollback", str(uid), db=demo_copy).returncode == 0
    vals = json.loads(
        cli(
            "values", "ehrenamt_integrationslotsen", "--year", "2025", "--region", "03157", "--json", db=demo_copy
        ).stdout
    )
    assert vals[0]["value"] != 99
    twice = cli("rollback", str(uid), db=demo_copy)  # a refusal, not an internal error
    assert twice.returncode == 1
    assert twice.stderr.strip() == f"Upload Nr. {uid} ist bereits zurückgenommen."
    listed = [line for line in cli("uploads", db=demo_copy).stdout.splitlines() if line.strip().startswith(str(uid))]
    assert listed and "zurückgenommen" in listed[0] and "zurueckgenommen" not in listed[0], listed  # issue 25


def test_status_and_targets(demo_copy):
    r = cli(
        "targets",
        "set",
        "alq_gap",
        "--value",
        "0",
        "--year",
        "2032",
        "--baseline",
        "2022",
        "--reason",
        "Beschluss",
        db=demo_copy,
    )
    assert r.returncode == 0, r.stderr
    status = json.loads(cli("status", "--json", db=demo_copy).stdout)
    row = next(x for x in status["indicators"] if x["indicator"] == "alq_gap")
    assert row["target_value"] == 0 and row["target_year"] == 2032
    assert row["method"] == "linear" and row["explanation"]
    assert set(status["fields"]) == {
        "rahmen",
        "bildung",
        "sprache",
        "arbeit",
        "gesellschaft",
        "kommunikation",
        "migrationsmanagement",
    }
    bad = cli("targets", "set", "auslaenderanteil", "--value", "3", "--year", "2030", db=demo_copy)
    assert bad.returncode == 1 and "Kontextindikator" in bad.stderr


def test_export_round_trip(demo_copy, tmp_path):
    """Template export of the current data, re-imported into a fresh database, gives identical values. The demo's
    comparison regions (Deutschland and the other Kreise, from official files) are left out and the export says so:
    the template takes only regions of the region list (with them the import into a new database was refused)."""
    target = tmp_path / "export.xlsx"
    out = cli("export", str(target), db=demo_copy)
    assert out.returncode == 0
    assert "Werte von 45 Vergleichsregionen" in out.stdout, out.stdout
    fresh = tmp_path / "fresh.duckdb"
    assert cli("init", "--empty", db=fresh).returncode == 0
    r = cli("import", str(target), "--json", "--ja", db=fresh)  # the demo's synthetic series jump (plausibility)
    assert r.returncode == 0, r.stdout[:2000]
    comparison = {"DG", *(k for k, _ in comparison_regions() if len(k) == 5)}
    for ind in ("auslaenderanteil", "alq_gap", "segregationsindex", "einbuergerungsquote"):
        a = pd.DataFrame(json.loads(cli("values", ind, "--json", db=demo_copy).stdout))
        a = a[~a["region"].isin(comparison)].reset_index(drop=True)
        b = pd.DataFrame(json.loads(cli("values", ind, "--json", db=fresh).stdout))
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)


def test_a_database_made_empty_on_purpose_gets_no_demo_data_at_the_start(tmp_path, monkeypatch):
    """`make init-empty` and then `make run`: the start (``init --demo --if-empty``) leaves the empty database empty
    (was: it loaded the demo data again, because it found no data)."""
    from indicators import service

    loaded = []
    monkeypatch.setattr(service, "load_demo", lambda monitor: loaded.append(monitor) or [])
    db = tmp_path / "leer.duckdb"
    assert cli("init", "--empty", db=db).returncode == 0
    start = cli("init", "--demo", "--if-empty", db=db)
    assert start.returncode == 0 and "bewusst leer" in start.stdout, start.stdout
    assert json.loads(cli("uploads", "--json", db=db).stdout) == [] and loaded == []
    # a database that never existed still gets the demo data on its first start (the loading itself: the session's
    # demo database is made by `init --demo`, and test_fresh_clone starts a lone copy with it)
    fresh = tmp_path / "neu.duckdb"
    assert cli("init", "--demo", "--if-empty", db=fresh).returncode == 0
    assert len(loaded) == 1


def test_user_command_while_the_app_holds_the_database_says_what_to_do(demo_copy):
    """`user add` while the app runs: a German message that names the way (Verwaltung, or stop the app briefly),
    without the database's English words, the interpreter or the PID (was: "IO Error: Could not set lock …")."""
    import subprocess
    import sys

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(demo_copy)!r}); print('ok', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        r = cli("user", "add", "neu", "--rolle", "Betrachter", db=demo_copy)
        assert r.returncode == 2
        said = r.stdout + r.stderr
        assert "Verwaltung" in said and "App kurz beenden" in said, said
        assert "IO Error" not in said and "lock" not in said.lower() and str(holder.pid) not in said, said
    finally:
        holder.kill()
        holder.wait()


def test_values_without_a_flag_print_no_nan(demo_copy):
    """Beside values with a flag (a Gemeinde's '.' in the sample GENESIS file), the others print no "nan"."""
    sample = ROOT / "tests" / "fixtures" / "samples" / "genesis_flat_12411-01-01-5_gemeinden.csv"
    assert cli("import", "--ja", str(sample), db=demo_copy).returncode == 0  # illustrative figures jump: confirmed
    r = cli("values", "auslaenderanteil", db=demo_copy)
    assert r.returncode == 0 and "03157" in r.stdout
    assert "nan" not in r.stdout.lower(), [line for line in r.stdout.splitlines() if "nan" in line.lower()][:5]


def test_write_commands_beside_the_running_app_are_refused_in_german(tmp_path):
    """Issue 22: a write command while the app holds the database ended with the database's English words (and
    ``init --empty`` deleted the app's database under it); now a German refusal, and nothing changes."""
    import subprocess
    import sys

    from conftest import ROOT

    db = tmp_path / "monitor.duckdb"
    assert cli("init", "--empty", db=db).returncode == 0
    holder = subprocess.Popen(  # stands in for the running app: holds the file until its stdin closes
        [
            sys.executable,
            "-c",
            f"import duckdb, sys; c = duckdb.connect({str(db)!r}); print('ok', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        sample = ROOT / "tests" / "fixtures" / "samples" / "opensdg_indicator_5-3-2_niedersachsen.csv"
        for args in (("import", str(sample)), ("init", "--empty"), ("recompute",), ("rollback", "1")):
            r = cli(*args, db=db)
            out = r.stdout + r.stderr
            assert r.returncode == 2, (args, out)
            assert "Die App läuft gerade und hält die Datenbank" in r.stderr, (args, out)
            assert "Traceback" not in out and "IO Error" not in out, (args, out)
        assert db.exists()
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_read_and_export_commands_work_beside_the_running_app(demo_database, tmp_path):
    """Issue 25: `report`, `export-values`, `measures list`, `measures forms`, `strategy export`, `publish` and the dry
    runs of `strategy import` and `import` failed while the app ran, with the database's raw lock message. Now the app runs
    them (its inbox, the same code as in the app); a write command is still refused in German, nothing changed."""
    import shutil
    import subprocess
    import sys

    from conftest import ROOT

    db = tmp_path / "app" / "monitor.duckdb"
    db.parent.mkdir()
    shutil.copyfile(demo_database, db)
    holder = subprocess.Popen(  # the app's side: holds the database and watches its inbox, until stdin closes
        [
            sys.executable,
            "-c",
            "import sys; from indicators import inbox, service; "
            f"m = service.open_monitor({str(db)!r}); inbox.Inbox(m).start(); print('ok', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "MONITOR_INBOX_POLL": "0.2", "MONITOR_AUTH": "aus"},
    )
    out = tmp_path / "aus"
    out.mkdir()
    sample = ROOT / "tests" / "fixtures" / "samples" / "opensdg_indicator_5-3-2_niedersachsen.csv"
    try:
        assert holder.stdout.readline().strip() == "ok"
        calls = [
            (("report", "--fields", "kommunikation", "--out", str(out / "bericht.pdf")), out / "bericht.pdf"),
            (("export-values", str(out / "werte.csv")), out / "werte.csv"),
            (("measures", "list", "--json"), None),
            (("strategy", "export", str(out / "strategie.xlsx")), out / "strategie.xlsx"),
            (("strategy", "import", str(out / "strategie.xlsx"), "--dry-run"), None),
            (("import", str(sample), "--dry-run"), None),
            (("measures", "forms", str(out / "formulare")), out / "formulare"),
            (("publish", "--out", str(out / "website")), out / "website" / "index.html"),
        ]
        for args, made in calls:
            r = cli(*args, db=db)
            said = r.stdout + r.stderr
            assert r.returncode == 0, (args, said)
            for raw in ("IO Error", "lock", "Conflicting", "Traceback"):
                assert raw not in said, (args, said)
            assert made is None or made.exists(), (args, said)
        assert (out / "bericht.pdf").read_bytes().startswith(b"%PDF")
        assert json.loads(cli("measures", "list", "--json", db=db).stdout)  # the measures, as the app has them
        assert list((out / "formulare").glob("*.xlsx"))  # a form per unit, written by the app
        r = cli("strategy", "import", str(out / "strategie.xlsx"), db=db)  # a write: refused in German
        assert r.returncode == 2 and "Die App läuft gerade und hält die Datenbank" in r.stderr, r.stderr
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
