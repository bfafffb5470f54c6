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
    from indicators.ingest.pipeline import import_path

    regions = list(monitor.store.regions()[["key", "name"]].itertuples(index=False, name=None))
    path = write_template(tmp_path / name, df, monitor.catalog, regions)
    return import_path(path, monitor.store, monitor.catalog, monitor.settings, "test")


@pytest.fixture
def tmp_monitor(tmp_path):
    """A monitor on the shipped catalog with an empty database in a temporary folder."""
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
    """A database with the demo data, built once per test session through the command line."""
    import subprocess

    folder = tmp_path_factory.mktemp("demo")
    db = folder / "monitor.duckdb"
    proc = subprocess.run(
        [sys.executable, "-m", "indicators", "--db", str(db), "init", "--demo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return db


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


def cli(*args: str, db):
    """The command line in its own process, as a user calls it."""
    import subprocess

    return subprocess.run(
        [sys.executable, "-m", "indicators", "--db", str(db), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


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
