"""Benchmark: the full demo report (all fields, all indicators, Landkreis plus Niedersachsen in the charts) as PDF
and as PowerPoint through the command line, as a user runs it (Python's start included), against a baseline in the
same run. Aim (issue 25): PDF and PowerPoint together in at most 15 s on the 2-core machine.

Run from the project folder::

    .venv/bin/python benchmarks/report.py                  # baseline: the commit `main` points to
    .venv/bin/python benchmarks/report.py --baseline 79b9ae2   # against the report before issue 25 (kaleido)
    .venv/bin/python benchmarks/report.py --baseline HEAD~3 --runs 2
    .venv/bin/python benchmarks/report.py --baseline ''    # no baseline

The baseline is the same command from another commit (a temporary `git worktree`, same Python, same database
copy); where it cannot run (its renderer needs Chromium and kaleido, which this checkout no longer installs) the
line says why. Each run gets its own copy of a fresh demo database; wall time, CPU time of the process (user +
system, children included), pages or slides, size, and the machine's load are printed.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from harness import load_text  # noqa: E402

AIM_S = 15.0
TIMEOUT_S = 300  # a report that takes longer hangs (issue 25: at most 120 s, MONITOR_REPORT_TIMEOUT)


def pages(path: Path) -> int:
    """Pages of a PDF (its page objects) or slides of a PowerPoint."""
    if path.suffix == ".pptx":
        with zipfile.ZipFile(path) as z:
            return sum(1 for n in z.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n))
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", path.read_bytes()))


def run(tree: Path, db: Path, fmt: str, folder: Path) -> dict:
    """`python -m indicators report` from ``tree`` on a copy of ``db``: wall and CPU seconds, pages, bytes."""
    copy = folder / f"{fmt}-{time.monotonic_ns()}.duckdb"
    shutil.copy(db, copy)
    out = folder / f"bericht-{time.monotonic_ns()}.{fmt}"
    env = {**os.environ, "PYTHONPATH": str(tree), "MONITOR_INBOX": "nein"}
    cmd = [sys.executable, "-m", "indicators", "--db", str(copy), "report", "--regions", "03", "--out", str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    # a session of its own: a run that hangs (the old renderer waited on Chromium's pipe for minutes) is ended with
    # every process it started (Chromium included)
    proc = subprocess.Popen(
        cmd, cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        stdout, stderr = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {"error": f"hängt, nach {TIMEOUT_S} s beendet"}
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # (whatever it left running)
        except ProcessLookupError:
            pass
    proc = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    copy.unlink(missing_ok=True)
    if proc.returncode != 0 or not out.exists():
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1][:160] if proc.stderr else "kein Bericht"}
    result = {
        "seconds": seconds,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "pages": pages(out),
        "bytes": out.stat().st_size,
    }
    out.unlink()
    return result


def line(label: str, fmt: str, results: list[dict]) -> tuple[str, float | None]:
    bad = [r for r in results if "error" in r]
    if bad:
        return f"{label:10s} {fmt:5s} nicht messbar: {bad[0]['error']}", None
    secs = [r["seconds"] for r in results]
    r = results[-1]
    what = "Seiten" if fmt == "pdf" else "Folien"
    return (
        f"{label:10s} {fmt:5s} {statistics.median(secs):6.1f} s (Läufe: {', '.join(f'{s:.1f}' for s in secs)}; "
        f"CPU {statistics.median(x['cpu'] for x in results):.1f} s) · {r['pages']} {what} · "
        f"{r['bytes'] / 2**20:.1f} MB",
        statistics.median(secs),
    )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", help="database (default: a fresh demo database in a temporary folder)")
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--baseline", default="main", help="git commit of the baseline ('' for none)")
    args = p.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-report-"))
    base_tree = folder / "baseline"
    try:
        db = Path(args.db) if args.db else folder / "monitor.duckdb"
        if not args.db:
            subprocess.run(
                [sys.executable, "-m", "indicators", "--db", str(db), "init", "--demo"],
                cwd=ROOT,
                check=True,
                capture_output=True,
                env={**os.environ, "MONITOR_INBOX": "nein"},
            )
        trees = [("jetzt", ROOT)]
        if args.baseline:
            made = subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base_tree), args.baseline],
                capture_output=True,
                text=True,
            )
            if made.returncode == 0:
                trees.insert(0, (f"Basis {args.baseline}", base_tree))
            else:
                print(f"Basis {args.baseline}: nicht messbar ({made.stderr.strip()[:160]})")
        print(f"Bericht, alle Handlungsfelder und Indikatoren, Demodaten · Last {load_text()} · {os.cpu_count()} Kerne")
        ok = True
        for label, tree in trees:
            together: list[float] = []
            for fmt in ("pdf", "pptx"):
                text, median = line(label, fmt, [run(tree, db, fmt, folder) for _ in range(args.runs)])
                print(text, flush=True)
                if median is not None:
                    together.append(median)
            if len(together) == 2:
                total = sum(together)
                verdict = "erreicht" if total <= AIM_S else "VERFEHLT"
                print(f"{label:10s} zusammen {total:5.1f} s (Ziel ≤ {AIM_S:.0f} s: {verdict})")
                if tree == ROOT and total > AIM_S:
                    ok = False
        print(f"Last am Ende: {load_text()}")
    finally:
        if base_tree.exists():
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base_tree)], capture_output=True
            )
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
