"""Benchmark: warm page runs of the Streamlit app (AppTest) on the demo data and on ten times the demo data.

Run from the project folder::

    .venv/bin/python benchmarks/pages.py
    .venv/bin/python benchmarks/pages.py --runs 10 --wait 300

What is measured
----------------
* Two databases in a temporary folder:

  - **Demo**: ``python -m indicators --db PATH init --demo`` (the normal demo import).
  - **10x Demo**: the same, plus nine synthetic Landkreise ("Synthetischer Kreis 1" … "9", keys
    ``03901`` … ``03909``) with copies of the Peine Gemeinden (same validity, keys ``039kk`` + the last
    three digits). Every active demo observation of Peine and its Gemeinden is copied to each synthetic
    Kreis (Niedersachsen rows are not copied), counts scaled with a factor 0.7 … 1.5 per Kreis (rounded, AZR
    counts to multiples of 5; published rates and medians unchanged). Each synthetic Kreis is one
    additional upload (status ``aktiv``, marked as demo data) written straight into the database; then
    ``indicators.service.recompute_all`` computes all indicators. So observations, ``obs_current`` and
    ``indicator_values`` are about ten times as large as with the demo alone.

* For each database a fresh Python process with ``MONITOR_DB`` pointing to it runs, in this order:

  1. **Baseline**: ``AppTest.from_string("import streamlit as st\\nst.title('x')")`` – first run and the
     median of N warm runs: the fixed cost of an AppTest run.
  2. **Cockpit** (``app.py``, default page): first (cold) run – includes opening the database and filling
     the caches – then the median of N warm runs.
  3. **Indikator** (``at.switch_page('views/indikator.py')``): first run after switching (the database is
     already open, the page's own caches are empty), then the median of N warm runs.

  Aims: warm ≤ 0.5 s with the demo data, ≤ 1 s with ten times the demo data. The ratio page / baseline
  shows the page's own cost. Only the paths ``app.py`` and ``views/indikator.py`` are used; nothing inside
  the pages.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

APP = ROOT / "app.py"
INDICATOR_PAGE = "views/indikator.py"
TRIVIAL = "import streamlit as st\nst.title('x')"
AIMS = {"demo": 0.5, "demo10": 1.0}
N_EXTRA_KREISE = 9
KREIS = "03157"
LAND = "03"


# ------------------------------------------------------------------------------------------------
# databases
# ------------------------------------------------------------------------------------------------
def demo_available() -> tuple[bool, str]:
    try:
        from indicators.demo import generator as demo
    except Exception as exc:  # noqa: BLE001 - a colleague may be editing it right now
        return False, f"indicators.demo.generator lässt sich nicht importieren: {exc}"
    if not hasattr(demo, "write_demo_files"):
        return False, "indicators.demo.generator hat noch kein write_demo_files"
    return True, ""


def init_demo(db: Path) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "indicators", "--db", str(db), "init", "--demo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "MONITOR_DB": str(db)},
    )
    if proc.returncode != 0:
        raise RuntimeError(f"init --demo fehlgeschlagen ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return time.perf_counter() - t0


def add_synthetic_kreise(db: Path, n: int = N_EXTRA_KREISE) -> dict:
    """Copy the active demo observations of Peine (Kreis + Gemeinden) to ``n`` synthetic Kreise."""
    import datetime as dt

    from indicators.service import open_monitor, recompute_all
    from indicators.store import Store

    monitor = open_monitor(db)
    try:
        store: Store = monitor.store
        catalog = monitor.catalog
        additive = [v.id for v in catalog.variables.values() if v.additive]
        rounded = {v.id: int(v.rounded_to) for v in catalog.variables.values() if v.rounded_to and v.rounded_to > 1}
        with store.transaction() as cur:
            gem = cur.execute(
                "SELECT key, name, valid_from, valid_to FROM regions WHERE parent = ? AND level = 'gemeinde'", [KREIS]
            ).fetchall()
            base_rows = cur.execute(
                """SELECT count(*) FROM observations o JOIN uploads u ON u.id = o.upload_id AND u.status = 'aktiv'
                   WHERE o.region = ? OR o.region IN (SELECT key FROM regions WHERE parent = ?)""",
                [KREIS, KREIS],
            ).fetchone()[0]
            for k in range(1, n + 1):
                kreis = f"039{k:02d}"
                factor = 0.6 + 0.1 * k
                cur.execute(
                    "INSERT INTO regions (key, name, level, parent, origin) VALUES (?, ?, 'kreis', ?, 'Benchmark')",
                    [kreis, f"Synthetischer Kreis {k}", LAND],
                )
                cur.executemany(
                    "INSERT INTO regions (key, name, level, parent, valid_from, valid_to, origin) "
                    "VALUES (?, ?, 'gemeinde', ?, ?, ?, 'Benchmark')",
                    [(kreis + key[-3:], f"{name} (synthetisch {k})", kreis, vf, vt) for key, name, vf, vt in gem],
                )
                upload_id = cur.execute("SELECT nextval('upload_seq')").fetchone()[0]
                cur.execute(
                    """INSERT INTO uploads (id, file_name, sha256, format, uploaded_at, user_name, rows, status, demo)
                       VALUES (?, ?, ?, 'benchmark', ?, 'benchmark', 0, 'aktiv', TRUE)""",
                    [upload_id, f"benchmark_kreis_{k}.xlsx", f"{upload_id:064x}", dt.datetime.now()],
                )
                cur.execute(
                    """INSERT INTO observations (upload_id, variable, region, year, ref_date, nationality, sex, age_group,
                                                  category, value, flag, source_row)
                       SELECT $uid, o.variable,
                              CASE WHEN o.region = $kreis_old THEN $kreis ELSE $kreis || right(o.region, 3) END,
                              o.year, o.ref_date, o.nationality, o.sex, o.age_group, o.category,
                              CASE WHEN o.value IS NULL OR NOT list_contains($additive, o.variable) THEN o.value
                                   WHEN list_contains($rvars, o.variable)
                                       THEN round(o.value * $f / $rbase[list_position($rvars, o.variable)])
                                            * $rbase[list_position($rvars, o.variable)]
                                   ELSE round(o.value * $f) END,
                              o.flag, NULL
                       FROM (SELECT o.* FROM observations o JOIN uploads u ON u.id = o.upload_id AND u.status = 'aktiv'
                             WHERE u.demo AND u.file_name NOT LIKE 'benchmark_%'
                             QUALIFY row_number() OVER (PARTITION BY o.variable, o.region, o.year, o.nationality, o.sex,
                                                        o.age_group, o.category ORDER BY o.upload_id DESC) = 1) o
                       WHERE o.region = $kreis_old
                          OR o.region IN (SELECT key FROM regions WHERE parent = $kreis_old AND level = 'gemeinde')""",
                    {
                        "uid": upload_id,
                        "kreis_old": KREIS,
                        "kreis": kreis,
                        "additive": additive,
                        "rvars": list(rounded),
                        "rbase": list(rounded.values()) or [1],
                        "f": factor,
                    },
                )
                cur.execute(
                    "UPDATE uploads SET rows = (SELECT count(*) FROM observations WHERE upload_id = $u) WHERE id = $u",
                    {"u": upload_id},
                )
        report = recompute_all(monitor)
        counts = store.counts()
        return {
            "copied_rows_per_kreis": int(base_rows),
            "observations": counts["observations"],
            "values": counts["values"],
            "recompute_seconds": report.seconds,
        }
    finally:
        monitor.close()


def db_counts(db: Path) -> dict:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("observations", "obs_current", "indicator_values", "uploads", "regions")
        }
    finally:
        con.close()


# ------------------------------------------------------------------------------------------------
# measurement (runs in a fresh process per database)
# ------------------------------------------------------------------------------------------------
def _timed_run(at) -> float:
    t0 = time.perf_counter()
    at.run()
    return time.perf_counter() - t0


def _problems(at) -> list[str]:
    out = [f"Exception: {e.value}"[:300] for e in at.exception]
    out += [f"Fehlermeldung: {e.value}"[:300] for e in at.error]
    return out


def _wrong_page(at, title: str | None) -> list[str]:
    """A run that shows another page than measured (the sign-in form, above all) is a problem, not a figure."""
    titles = [t.value for t in at.title]
    if "Anmelden" in titles or (title is not None and title not in titles):
        return [f"falsche Seite gemessen: {titles[:1]}"]
    return []


def measure(runs: int, timeout: float) -> dict:
    from streamlit.testing.v1 import AppTest

    res: dict = {}
    # 1. baseline: a trivial page
    at = AppTest.from_string(TRIVIAL, default_timeout=timeout)
    cold = _timed_run(at)
    warm = [_timed_run(at) for _ in range(runs)]
    res["baseline"] = {"cold": cold, "warm": warm, "problems": _problems(at)}
    # 2. cockpit (default page of app.py)
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    cold = _timed_run(at)
    problems = _problems(at)
    warm = [_timed_run(at) for _ in range(runs)]
    res["cockpit"] = {
        "cold": cold,
        "warm": warm,
        "problems": problems + _problems(at) + _wrong_page(at, "Cockpit"),
        "title": [t.value for t in at.title][:1],
    }
    # 3. indicator page
    at.switch_page(INDICATOR_PAGE)
    cold = _timed_run(at)
    problems = _problems(at)
    warm = [_timed_run(at) for _ in range(runs)]
    res["indikator"] = {
        "cold": cold,
        "warm": warm,
        "problems": problems + _problems(at) + _wrong_page(at, None),
        "title": [t.value for t in at.title][:1],
    }
    return res


def run_worker(db: Path, runs: int, timeout: float) -> dict:
    # the pages themselves, not the sign-in form (with sign-in on, an AppTest session is signed out)
    env = {**os.environ, "MONITOR_DB": str(db), "MONITOR_AUTH": "aus"}
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        str(db),
        "--runs",
        str(runs),
        "--timeout",
        str(timeout),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"Messprozess fehlgeschlagen:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------------
# report
# ------------------------------------------------------------------------------------------------
def _ms(x: float) -> str:
    return f"{1000 * x:7.0f} ms"


def print_results(label: str, counts: dict, res: dict, aim: float) -> bool:
    base = statistics.median(res["baseline"]["warm"])
    print(
        f"\n{label}: {counts['observations']:,} Beobachtungen, {counts['obs_current']:,} in obs_current, "
        f"{counts['indicator_values']:,} Indikatorwerte, {counts['uploads']} Uploads, {counts['regions']} Regionen".replace(
            ",", "."
        )
    )
    print(
        f"  {'Seite':<22} {'erster Lauf':>12} {'Median warm':>12} {'min':>10} {'max':>10} {'/ Basis':>8}  Ziel warm ≤ {aim:g} s"
    )
    ok = True
    for key, name in (
        ("baseline", "Basis (triviale Seite)"),
        ("cockpit", "Cockpit (app.py)"),
        ("indikator", "Indikator"),
    ):
        r = res[key]
        med = statistics.median(r["warm"])
        verdict = ""
        if key != "baseline":
            hit = med <= aim
            ok &= hit and not r["problems"]
            verdict = "erfüllt" if hit else "VERFEHLT"
        print(
            f"  {name:<22} {_ms(r['cold']):>12} {_ms(med):>12} {_ms(min(r['warm'])):>10} {_ms(max(r['warm'])):>10} "
            f"{med / base:7.1f}x  {verdict}"
        )
        if r.get("title"):
            print(f"    Titel der Seite: {r['title'][0]}")
        for p in r["problems"]:
            print(f"    ! {p}")
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=10, help="warme Läufe je Seite (Median), Standard 10")
    ap.add_argument("--timeout", type=float, default=180.0, help="Zeitlimit je AppTest-Lauf in Sekunden")
    ap.add_argument(
        "--wait",
        type=float,
        default=0.0,
        help="so viele Sekunden auf indicators/demo/generator.py (write_demo_files) warten, falls noch nicht da",
    )
    ap.add_argument("--keep", action="store_true", help="Datenbanken nicht löschen")
    ap.add_argument("--worker", metavar="DB", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        os.chdir(ROOT)
        print(json.dumps(measure(args.runs, args.timeout)))
        return 0

    deadline = time.monotonic() + args.wait
    while True:
        ok, why = demo_available()
        if ok:
            break
        if time.monotonic() >= deadline:
            print(f"Demodaten nicht verfügbar: {why}. Abbruch (später erneut versuchen oder --wait SEKUNDEN).")
            return 2
        print(f"{why}; neuer Versuch in 60 s …", flush=True)
        time.sleep(60)

    import streamlit

    print(
        f"Integrationsmonitor – Benchmark Seiten (Streamlit {streamlit.__version__} AppTest), {os.cpu_count()} Kerne, "
        f"Last {' / '.join(f'{x:.1f}' for x in os.getloadavg())}; {args.runs} warme Läufe je Seite"
    )
    tmp = Path(tempfile.mkdtemp(prefix="bench_pages_"))
    all_ok = True
    try:
        db1 = tmp / "demo" / "monitor.duckdb"
        db1.parent.mkdir()
        t = init_demo(db1)
        print(f"Demo-Datenbank angelegt in {t:.1f} s (python -m indicators init --demo)")
        db10 = tmp / "demo10" / "monitor.duckdb"
        db10.parent.mkdir()
        init_demo(db10)
        info = add_synthetic_kreise(db10)
        print(
            f"10x-Datenbank: Demo + {N_EXTRA_KREISE} synthetische Kreise je {info['copied_rows_per_kreis']:,} Zeilen "
            f"(Neuberechnung {info['recompute_seconds']:.2f} s)".replace(",", ".")
        )
        for key, label, db in (("demo", "Demodaten", db1), ("demo10", "10x Demodaten", db10)):
            counts = db_counts(db)
            res = run_worker(db, args.runs, args.timeout)
            all_ok &= print_results(label, counts, res, AIMS[key])
    finally:
        if args.keep:
            print(f"\nDatenbanken behalten in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(
        "\nErster Lauf: Cockpit inkl. Öffnen der Datenbank und Füllen der Caches; Indikator: erster Lauf nach "
        "switch_page im selben Prozess. Basis: AppTest einer trivialen Seite (Fixkosten eines Laufs)."
    )
    print(f"\nZiele insgesamt: {'erfüllt' if all_ok else 'NICHT erfüllt'}")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
