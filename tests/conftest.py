from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Sign-in (issue 11) is off for the tests unless a test switches it on (tests/test_auth*.py): every test acts as
# MONITOR_USER with Administration, in this process, in the app servers and command lines it starts (they inherit
# the environment). Tests of sign-in and roles set MONITOR_AUTH="an" for their server or act as a given actor.
os.environ.setdefault("MONITOR_AUTH", "aus")

import contextlib  # noqa: E402
import contextvars  # noqa: E402
import io  # noqa: E402
import logging  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402

from indicators.config import Settings  # noqa: E402
from indicators.ingest.template import write_template  # noqa: E402
from indicators.service import Monitor, open_monitor  # noqa: E402

SHIPPED_DEFINITIONS = ROOT / "indicators" / "definitions"
SAMPLES = ROOT / "tests" / "fixtures" / "samples"


def make_settings(tmp_path: Path, definitions: Path = SHIPPED_DEFINITIONS, min_count: int = 3) -> Settings:
    return Settings(
        data_dir=tmp_path,
        db_path=tmp_path / "monitor.duckdb",
        archive_dir=tmp_path / "archive",
        definitions_dir=definitions,
        regions_file=SHIPPED_DEFINITIONS / "regions.csv",
        max_upload_mb=50,
        min_count=min_count,
        user="test",
    )


def write_definitions(folder: Path, variables: str, fields: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "variables.yaml").write_text(textwrap.dedent(variables), encoding="utf-8")
    for name, text in fields.items():
        (folder / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def obs(rows: list[dict]) -> pd.DataFrame:
    """Observations with defaults for the breakdown columns."""
    df = pd.DataFrame(rows)
    for col, default in (
        ("nationality", "insgesamt"),
        ("sex", "insgesamt"),
        ("age_group", "insgesamt"),
        ("category", "insgesamt"),
        ("flag", None),
        ("ref_date", None),
    ):
        if col not in df.columns:
            df[col] = default
    return df


def load_frame(monitor: Monitor, df: pd.DataFrame, tmp_path: Path, name: str = "daten.xlsx"):
    """Write a frame as the app's template and import it through the real pipeline."""
    from indicators.ingest.session import import_path

    regions = list(monitor.store.regions()[["key", "name"]].itertuples(index=False, name=None))
    path = write_template(tmp_path / name, df, monitor.catalog, regions)
    return import_path(path, monitor.store, monitor.catalog, monitor.settings, "test")


MODULE_SECONDS = Path(__file__).with_name("module_seconds.json")


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--record-module-seconds",
        action="store_true",
        help="write each test module's measured seconds (setup + call + teardown) to tests/module_seconds.json, "
        "the order in which the modules are handed to the workers",
    )


def pytest_collection_modifyitems(config, items) -> None:
    """The longest modules first (each file stays on one worker, ``--dist loadfile --no-loadscope-reorder``): the
    two workers then end together instead of one waiting for a long browser module handed out last (longest
    processing time first). The seconds come from tests/module_seconds.json (``--record-module-seconds``); a module
    not listed there (a new one) counts as a browser module if it drives the browser, else as short. Order inside a
    module is kept."""
    import json

    seconds = json.loads(MODULE_SECONDS.read_text(encoding="utf-8")) if MODULE_SECONDS.exists() else {}
    browser_modules = {item.module.__name__ for item in items if item.get_closest_marker("browser")}

    def cost(item) -> float:
        module = item.nodeid.split("::")[0]
        if module in seconds:
            return seconds[module]
        return 30.0 if item.module.__name__ in browser_modules else 0.0

    items.sort(key=lambda item: -cost(item))


_module_seconds: dict[str, float] = {}


def pytest_runtest_logreport(report) -> None:
    module = report.nodeid.split("::")[0]
    _module_seconds[module] = _module_seconds.get(module, 0.0) + report.duration


def pytest_sessionfinish(session, exitstatus) -> None:
    """With ``--record-module-seconds``: the controller (which sees every worker's reports) writes the seconds."""
    import json

    if not session.config.getoption("--record-module-seconds") or hasattr(session.config, "workerinput"):
        return
    if exitstatus != 0 or not _module_seconds:
        return
    ordered = dict(sorted(((k, round(v, 1)) for k, v in _module_seconds.items()), key=lambda kv: -kv[1]))
    MODULE_SECONDS.write_text(json.dumps(ordered, indent=1) + "\n", encoding="utf-8")


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_installations_kreis():
    """The current Kreis (issue 24) is a context variable; a page run in this process (AppTest) sets it for the test's
    thread, as the app's script thread does on every run. Every test starts without one (the installation's own
    Kreis), whatever ran before it on this worker."""
    from indicators import permissions

    permissions.set_tenant(None)
    yield
    permissions.set_tenant(None)


@pytest.fixture(autouse=True)
def _sign_in_rate_of_the_tests(request, monkeypatch):
    """The server lets one client start at most ``auth.HASH_RATE_PER_CLIENT`` password checks a second, so that a storm
    from one address cannot keep a core busy; in this process every test is that one client ("-"), and a test of the
    lock-out with six attempts waited five seconds for its turns. Raised here for the tests in this process (the
    servers the browser tests start keep the real rate); tests marked ``sign_in_rate`` keep it."""
    if request.node.get_closest_marker("sign_in_rate") is None:
        from indicators import auth

        monkeypatch.setattr(auth, "HASH_RATE_PER_CLIENT", 1000.0)


def _cached_component_scan() -> None:
    """Streamlit scans every installed package for components at each new AppTest (0,3–3 s each, the same answer every
    time in one test run): scanned once per process."""
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    if getattr(scan, "_cached", False):
        return
    found: list = []

    def cached(max_workers: int | None = None):
        if not found:
            found.append(scan(max_workers))
        return list(found[0])

    cached._cached = True  # type: ignore[attr-defined]
    manifest_scanner.scan_component_manifests = cached


_cached_component_scan()


def _shared_dir(tmp_path_factory) -> Path:
    """A folder all pytest-xdist workers of this run see (the run's base folder); the worker's own one without xdist."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _build_once(tmp_path_factory, name: str, build) -> Path:
    """``build(folder)`` writes ``folder/monitor.duckdb`` once per test run (under a lock across the workers); every
    worker gets its own copy, so no two processes hold one database file."""
    from filelock import FileLock

    shared = _shared_dir(tmp_path_factory)
    made = shared / f"{name}-built"
    with FileLock(str(shared / f"{name}.lock")):
        if not (made / "monitor.duckdb").exists():
            work = shared / f"{name}-work"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            build(work)
            work.rename(made)
    own = tmp_path_factory.mktemp(name)
    for f in made.iterdir():
        if f.is_file():
            shutil.copyfile(f, own / f.name)
    return own / "monitor.duckdb"


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory) -> Path:
    """An empty database with the shipped catalog, made once; :func:`tmp_monitor` copies it."""

    def build(folder: Path) -> None:
        open_monitor(settings=make_settings(folder)).close()

    return _build_once(tmp_path_factory, "leer", build)


@pytest.fixture
def tmp_monitor(tmp_path, empty_template):
    """A monitor on the shipped catalog with an empty database in a temporary folder (a copy of the template)."""
    shutil.copyfile(empty_template, tmp_path / "monitor.duckdb")
    m = open_monitor(settings=make_settings(tmp_path))
    yield m
    m.close()


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Path:
    """A database with the demo data, built once per test run through the command line (a copy per worker)."""

    def build(folder: Path) -> None:
        proc = cli_process("init", "--demo", db=folder / "monitor.duckdb", timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr

    return _build_once(tmp_path_factory, "demo", build)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory, demo_database) -> Path:
    """The demo's public website (issue 23), built once per test run through the command line (under a lock across
    the workers, from a copy of the demo database: the build's audit entry stays out of it). Tests only read it."""
    from filelock import FileLock

    shared = _shared_dir(tmp_path_factory)
    made = shared / "website-built"
    with FileLock(str(shared / "website.lock")):
        if not (made / "manifest.json").exists():
            work = shared / "website-work"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            shutil.copyfile(demo_database, work / "monitor.duckdb")
            proc = cli("publish", "--out", str(work / "site"), db=work / "monitor.duckdb")
            assert proc.returncode == 0, proc.stdout + proc.stderr
            work.rename(shared / "website-done")
            (shared / "website-done" / "site").rename(made)
    return made


@pytest.fixture(scope="module")
def demo_db(demo_database, monkeypatch_module):
    """The session's demo database for AppTests that only read (MONITOR_DB set for the module)."""
    import streamlit as st

    monkeypatch_module.setenv("MONITOR_DB", str(demo_database))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield demo_database
    st.cache_resource.clear()
    st.cache_data.clear()


def cli_process(*args: str, db, timeout: int = 300) -> subprocess.CompletedProcess:
    """The command line in its own process, as a user calls it (for tests of the process boundary: exit codes seen by
    the shell, a database held by another process, the interpreter's start)."""
    return subprocess.run(
        [sys.executable, "-m", "indicators", "--db", str(db), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@contextlib.contextmanager
def _stdin(stream):
    saved, sys.stdin = sys.stdin, stream
    try:
        yield
    finally:
        sys.stdin = saved


def cli(*args: str, db, stdin: str = "") -> subprocess.CompletedProcess:
    """The command line in this process: ``main`` with the same arguments, its standard output and error captured, its
    return code as the exit status. Nothing of its state stays behind: the acting account (a context variable) and the
    monitor's log handler are the caller's again afterwards; ``stdin`` is what a pipe would give it (not a terminal). About a
    second faster per call than :func:`cli_process`."""
    from indicators.cli import main

    argv = ["--db", str(db), *args]
    out, err = io.StringIO(), io.StringIO()
    log = logging.getLogger("integrationsmonitor")
    saved = (list(log.handlers), log.level, log.propagate, log.disabled)
    log.handlers = [h for h in log.handlers if not getattr(h, "_monitor", False)]  # the CLI adds its own on stderr
    try:
        with (
            contextlib.chdir(ROOT),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            _stdin(io.StringIO(stdin)),
        ):
            try:
                code = contextvars.copy_context().run(main, argv)
            except SystemExit as exc:  # argparse's refusals
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
                if isinstance(exc.code, str):
                    print(exc.code, file=sys.stderr)
    finally:
        log.handlers, log.level, log.propagate, log.disabled = saved
    return subprocess.CompletedProcess(["integrationsmonitor", *argv], code or 0, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium (Debian's) per test process; every module gets its own contexts."""
    from browser_support import launch_chromium
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def browser(chromium):
    """A browser context for one module (its own cookies), 1920x1080, German."""
    from browser_support import new_context

    ctx = new_context(chromium, viewport={"width": 1920, "height": 1080})
    yield ctx
    ctx.close()


@pytest.fixture
def demo_copy(demo_database, tmp_path) -> Path:
    """A copy of the session's demo database for one test that writes through the command line."""
    import shutil

    db = tmp_path / "monitor.duckdb"
    shutil.copy(demo_database, db)
    return db


@pytest.fixture
def writable_demo_db(demo_database, tmp_path, monkeypatch):
    """A fresh copy of the session's demo database per test, used by the app in this process (for tests
    that write: uploads, rollbacks, notes). The app's cached connection is closed afterwards."""
    import shutil

    import streamlit as st

    db = tmp_path / "monitor.duckdb"
    shutil.copyfile(demo_database, db)
    wal = Path(str(demo_database) + ".wal")
    if wal.exists():
        shutil.copyfile(wal, str(db) + ".wal")
    monkeypatch.setenv("MONITOR_DB", str(db))
    monkeypatch.setenv("MONITOR_ARCHIVE_DIR", str(tmp_path / "archive"))
    monkeypatch.setenv("MONITOR_USER", "apptest")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield db
    from ui.state import _monitor

    _monitor().close()
    st.cache_resource.clear()
    st.cache_data.clear()
