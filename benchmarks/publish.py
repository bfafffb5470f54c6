"""Benchmark: the public website of the demo (issue 23), build time and size. Aim: at most 10 s on a 2-core machine.

Run from the project folder::

    .venv/bin/python benchmarks/publish.py              # builds a demo database in a temporary folder
    .venv/bin/python benchmarks/publish.py --db data/monitor.duckdb --runs 5

Measured in one process on one open database, best and median of ``--runs``:

* **baseline**: the plainest publication – read every public indicator's values with one query and write one CSV
  file per indicator with pandas (no pages, no verdicts, no charts);
* **build, first**: ``indicators.publish.site.build`` into an empty folder – gather (verdicts, comparisons, notes),
  render every page, chart and data file, write them and the manifest;
* **build, again**: the same into the folder of the previous build (nothing changed: hashes compared, no file
  written), as a Kreis republishes;
* the parts of a build: ``gather`` and ``render`` alone.

Printed: the times, the number of pages and data files, and the site's size (all files; Plotly's bundled
JavaScript separately).
"""

from __future__ import annotations

import argparse
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
os.environ.setdefault("MONITOR_AUTH", "aus")  # the build is Administration's; the benchmark acts as the system

AIM_S = 10.0


def _demo(folder: Path) -> Path:
    db = folder / "monitor.duckdb"
    subprocess.run(
        [sys.executable, "-m", "indicators", "--db", str(db), "init", "--demo"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return db


def _de(x: float, decimals: int = 2) -> str:
    """A number the German way: 3,52."""
    return f"{x:.{decimals}f}".replace(".", ",")


def _timed(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default=None, help="a database with data (default: the demo, built in a temporary folder)")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    from indicators.publish import content, site
    from indicators.service import open_monitor

    with tempfile.TemporaryDirectory(prefix="publish-bench-") as tmp:
        work = Path(tmp)
        if args.db:
            db = work / "monitor.duckdb"
            shutil.copyfile(args.db, db)
        else:
            print("Demodatenbank wird angelegt …", flush=True)
            db = _demo(work)
        monitor = open_monitor(db)
        try:
            public = [i.id for i in content.selection(monitor)[0]]

            def baseline() -> None:
                out = work / "baseline"
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir()
                df = monitor.store.query_df(
                    "SELECT * FROM indicator_values WHERE list_contains(?, indicator) ORDER BY ALL", [public]
                )
                for ind, g in df.groupby("indicator"):
                    g.to_csv(out / f"{ind}.csv", index=False)

            def first() -> None:
                out = work / "site"
                shutil.rmtree(out, ignore_errors=True)
                site.build(monitor, out)

            def again() -> None:
                site.build(monitor, work / "site")

            gathered: list = []
            results = {
                "Baseline (CSV je Indikator, pandas)": _timed(baseline, args.runs),
                "gather (Inhalte, Bewertungen)": _timed(lambda: gathered.append(content.gather(monitor)), args.runs),
                "render (Seiten, Diagramme, Dateien)": _timed(lambda: site.render(gathered[-1]), args.runs),
                "Website erstellen (leerer Ordner)": _timed(first, args.runs),
                "Website erneut erstellen (unverändert)": _timed(again, args.runs),
            }
            result = site.build(monitor, work / "site")
        finally:
            monitor.close()
        files = [p for p in (work / "site").rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        plotly = (work / "site" / "assets" / "plotly.min.js").stat().st_size
        print(f"\n{'Messung':42} {'beste':>9} {'Median':>9}")
        for name, (best, median) in results.items():
            print(f"{name:42} {_de(best):>7} s {_de(median):>7} s")
        print(
            f"\nSeiten: {result.pages}, Datendateien: {result.downloads}, Dateien insgesamt: {len(files)}; "
            f"Größe: {_de(size / 1024 / 1024, 1)} MB (davon Plotly {_de(plotly / 1024 / 1024, 1)} MB)"
        )
        worst = results["Website erstellen (leerer Ordner)"][1]
        print(f"Ziel: höchstens {AIM_S:.0f} s – {'erreicht' if worst <= AIM_S else 'VERFEHLT'} (Median {_de(worst)} s)")
        return 0 if worst <= AIM_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
