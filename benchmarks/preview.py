"""Benchmark: from dropping a file on the upload page to its preview shown in the browser (issue 10: at most 1 s
for a typical file under 1 MB), against a plain rerun of the same page in the same run.

Run from the project folder::

    .venv/bin/python benchmarks/preview.py
    .venv/bin/python benchmarks/preview.py --repeats 5

What is measured
----------------
* A demo database in a temporary folder (``python -m indicators --db PATH init --demo``) and the app's real
  Streamlit server on it (``MONITOR_AUTH=aus``: no sign-in), Debian's Chromium driven by Playwright (1280 × 900).
* **Upload**: for each test fixture under 1 MB in ``tests/fixtures/samples/`` and ``samples/real/`` (data files,
  not the notes): the file goes into the upload page's file input (``set_input_files``); the time runs from that
  call until the preview's heading with the file name is visible (**sichtbar**) and until the page's run has
  finished (**fertig**: Streamlit's running indicator gone). Then the file is removed from the input (not timed).
  Each file once per repeat; the median per file is shown.
* **Baseline**: a plain rerun of the same page (``page.reload()``: a new session that runs the page's script and
  draws it, until the heading "Daten und Upload" and the file input are visible and the run has finished),
  measured between the uploads, so both see the same machine state. Ratio = upload / baseline (medians).

The server's own timing of the preview (read + check) is not separated here: see ``benchmarks/ingest.py``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from harness import load_text  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SAMPLES = ROOT / "tests" / "fixtures" / "samples"
DATA_SUFFIXES = {".csv", ".xlsx", ".xls", ".xlsm", ".ods", ".txt", ".tsv"}
MAX_BYTES = 1024 * 1024
AIM_SECONDS = 1.0
RUNNING = '[data-testid="stStatusWidget"]'


def fixtures() -> list[Path]:
    files = [p for p in sorted(SAMPLES.rglob("*")) if p.is_file() and p.suffix.lower() in DATA_SUFFIXES]
    return [p for p in files if p.stat().st_size < MAX_BYTES]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, folder: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {
        **os.environ,
        "MONITOR_DB": str(db),
        "MONITOR_AUTH": "aus",
        "MONITOR_USER": "benchmark",
        "MONITOR_ARCHIVE_DIR": str(folder / "archive"),
    }
    log = open(folder / "server.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit(f"Der Server startet nicht; siehe {folder / 'server.log'}")


def _idle(page, timeout: float = 60_000) -> None:
    page.wait_for_function(f"() => !document.querySelector('{RUNNING}')", timeout=timeout, polling=20)


def baseline(page, url: str) -> float:
    t0 = time.perf_counter()
    page.reload()
    main = page.locator('[data-testid="stMain"]')
    main.get_by_role("heading", name="Daten und Upload").wait_for(timeout=60_000)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').wait_for(state="attached", timeout=60_000)
    _idle(page)
    return time.perf_counter() - t0


def upload(page, path: Path) -> tuple[float, float]:
    main = page.locator('[data-testid="stMain"]')
    t0 = time.perf_counter()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    main.locator("h4", has_text=path.name).first.wait_for(timeout=60_000)
    shown = time.perf_counter() - t0
    _idle(page)
    done = time.perf_counter() - t0
    page.locator('[data-testid="stFileChipDeleteBtn"]').first.click()  # not timed: ready for the next file
    main.locator("h4", has_text=path.name).first.wait_for(state="detached", timeout=60_000)
    _idle(page)
    return shown, done


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=3, help="Durchgänge über alle Dateien (Median je Datei)")
    args = ap.parse_args(argv)
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} fehlt (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    files = fixtures()
    print(
        f"Integrationsmonitor – Benchmark Vorschau im Browser: {len(files)} Testdateien unter 1 MB, {args.repeats} "
        f"Durchgänge; Last (1/5/15 min) {load_text()}",
        flush=True,
    )
    tmp = Path(tempfile.mkdtemp(prefix="bench_preview_"))
    proc = None
    try:
        db = tmp / "monitor.duckdb"
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "indicators", "--db", str(db), "init", "--demo"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            env={**os.environ, "MONITOR_AUTH": "aus"},
        )
        print(f"Demodatenbank angelegt in {time.perf_counter() - t0:.1f} s", flush=True)
        proc, url = start_server(db, tmp)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
            page.goto(url + "/daten")
            page.locator('[data-testid="stMain"]').get_by_role("heading", name="Daten und Upload").wait_for(
                timeout=90_000
            )
            _idle(page)
            upload(page, files[0])  # warm-up (imports of the readers, caches): not counted
            baseline(page, url)
            times: dict[str, list[tuple[float, float]]] = {f.name: [] for f in files}
            bases: list[float] = []
            for r in range(args.repeats):
                print(f"Durchgang {r + 1}: Last {load_text()}", flush=True)
                for f in files:
                    bases.append(baseline(page, url))
                    times[f.name].append(upload(page, f))
            browser.close()
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)

    base = statistics.median(bases)
    print(
        f"\nBasis: Neuladen der Seite (neuer Lauf, bis Überschrift und Dateifeld da sind und der Lauf fertig ist): "
        f"Median {base:.2f} s (min {min(bases):.2f}, max {max(bases):.2f}, {len(bases)} Messungen)"
    )
    head = f"{'Datei':<62} {'KB':>6} {'sichtbar s':>10} {'fertig s':>9} {'fertig/Basis':>12}"
    print(head)
    print("-" * len(head))
    over = []
    for f in files:
        shown = statistics.median(s for s, _ in times[f.name])
        done = statistics.median(d for _, d in times[f.name])
        if shown > AIM_SECONDS:
            over.append(f.name)
        print(
            f"{str(f.relative_to(SAMPLES))[:62]:<62} {f.stat().st_size / 1024:>6.0f} {shown:>10.2f} {done:>9.2f} "
            f"{done / base:>11.1f}x"
        )
    all_shown = [statistics.median(s for s, _ in times[f.name]) for f in files]
    print(
        f"\nMedian über die Dateien: sichtbar {statistics.median(all_shown):.2f} s, höchstens {max(all_shown):.2f} s; "
        f"Ziel höchstens {AIM_SECONDS:g} s: "
        + ("erfüllt" if not over else f"VERFEHLT für {len(over)} Dateien: " + ", ".join(over))
    )
    print(f"Last am Ende {load_text()}")
    return 0 if not over else 1


if __name__ == "__main__":
    sys.exit(main())
