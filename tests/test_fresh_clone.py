"""The repository stands alone: a copy of its tracked files in a folder with another name, with nothing
beside it, runs the tests that read sample files and starts the command line, reading nothing outside."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from indicators.health import is_up, wait_until_up


def _tracked_files() -> list[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.fail("Dieser Test braucht git und einen Klon des Projekts.")
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line for line in out.splitlines() if line and (ROOT / line).is_file()]


@pytest.fixture(scope="module")
def lone_copy(tmp_path_factory) -> Path:
    """The project's files (as a clone would hold them) in ``<tmp>/irgendwo/anderer-name``; ``<tmp>/irgendwo``
    holds nothing else, so ``../shared`` does not exist."""
    dest = tmp_path_factory.mktemp("irgendwo") / "anderer-name"
    for rel in _tracked_files():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    assert not (dest.parent / "shared").exists()
    return dest


def test_sample_fixtures_are_inside_the_repository():
    from conftest import SAMPLES

    assert SAMPLES.is_relative_to(ROOT)
    names = {p.name for p in SAMPLES.iterdir()}
    assert {
        "genesis_12411-03-03-4_kreise.csv",
        "genesis_flat_12411-01-01-5_gemeinden.csv",
        "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx",
        "opensdg_indicator_5-3-2_niedersachsen.csv",
        "personalamt_migrationsgeschichte_2024.xlsx",
    } <= names


def test_data_folder_is_tracked_but_its_contents_are_not():
    tracked = set(_tracked_files())
    assert "data/README.md" in tracked
    for path in (
        "data/monitor.duckdb",
        "data/monitor.duckdb.wal",
        "data/archive/x.csv",
        "data/backups/x.duckdb",
        "data/inbox/x.xlsx",
        "data/demo/x.csv",
    ):
        assert subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT).returncode == 0, path
    assert subprocess.run(["git", "check-ignore", "-q", "data/README.md"], cwd=ROOT).returncode == 1


def test_no_tracked_file_reads_the_reference_folder_beside_the_project():
    """``../shared`` is reference material for the developers, never a path the code or the tests read."""
    import re

    pattern = re.compile(r"\.\./shared|parent\s*/\s*[\"']shared[\"']|/work/shared")
    for rel in _tracked_files():
        if rel.endswith((".py", ".toml", ".cfg", ".ini", ".yaml", ".yml", ".sh", "Makefile")) or rel == ".ci/run":
            text = (ROOT / rel).read_text(encoding="utf-8", errors="replace")
            hits = [m.group(0) for m in pattern.finditer(text)]
            if rel == "tests/test_fresh_clone.py":
                continue  # this test names the pattern
            assert not hits, (rel, hits)


def test_sample_based_tests_pass_in_a_lone_copy_with_another_name(lone_copy):
    """The tests that read every sample file (recognition, import with values, the demo's files against the
    samples), run from the copy: a path outside the repository would fail here. (The full files run in the main
    suite; here only the tests that open the samples, so the copy's run stays short: the demo's import, which
    reads no sample, is not repeated.)"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-x",
            "-p",
            "no:cacheprovider",
            "tests/test_sources.py::test_samples_are_recognised_by_content_not_name",
            "tests/test_sources.py::test_samples_import_with_values_in_the_database",
            "tests/test_sources.py::test_ba_table_as_legacy_xls_reads_like_the_xlsx",
            "tests/test_demo_sources.py::test_genesis_flat_csv_looks_like_the_export",
            "tests/test_demo_sources.py::test_opensdg_csv_looks_like_the_export",
            "tests/test_demo_sources.py::test_personalamt_list_looks_like_the_sample",
        ],
        cwd=lone_copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "9 passed" in proc.stdout, proc.stdout[-3000:]


def test_cli_in_a_lone_copy_uses_its_own_data_folder(lone_copy):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    proc = subprocess.run(
        [sys.executable, "-m", "indicators", "init", "--empty"],
        cwd=lone_copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (lone_copy / "data" / "monitor.duckdb").exists()


def test_start_command_loads_the_demo_on_first_start_and_serves_the_app(lone_copy):
    """The console command of the plain-pip way (README): demo data on the first start, then the server."""
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    env["MONITOR_DB"] = str(lone_copy / "data" / "start.duckdb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "indicators", "start", "--port", str(port), "--address", "127.0.0.1"],
        cwd=lone_copy,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        up = wait_until_up(port, 240, alive=lambda: proc.poll() is None)
        assert up, proc.stdout.read() if proc.poll() is not None else "Server antwortet nicht"
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).status == 200
        # a service manager stops the process it started: the server must stop with it
        os.kill(proc.pid, 15)
        out = proc.communicate(timeout=30)[0]
        deadline = time.monotonic() + 10  # the port is closed once the server is gone (no fixed pause)
        while is_up(port, timeout=1) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not is_up(port)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
        try:
            os.killpg(proc.pid, 9)  # anything left of its group
        except ProcessLookupError:
            pass
    assert "Demodaten (synthetisch) geladen" in out
    assert "startet auf http://127.0.0.1:" in out
    # a second start keeps what is there
    second = subprocess.run(
        [sys.executable, "-m", "indicators", "init", "--if-empty", "--demo"],
        cwd=lone_copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "enthält bereits Daten" in second.stdout
