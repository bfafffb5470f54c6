"""Issue 22: the uploader's own size refusal was English ("File must be 1.0MB or smaller."); it is German now.
Its own server with MONITOR_MAX_UPLOAD_MB=1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_support import serve_app
from test_browser import _open

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def small_server(demo_database, tmp_path_factory):
    folder = tmp_path_factory.mktemp("klein")
    db = folder / "monitor.duckdb"
    db.write_bytes(Path(demo_database).read_bytes())
    env = {**os.environ, "MONITOR_DB": str(db), "MONITOR_USER": "browsertest", "MONITOR_MAX_UPLOAD_MB": "1"}
    yield from serve_app(db, folder, env)


def test_too_large_file_is_refused_in_german(small_server, browser, tmp_path):  # noqa: F811
    big = tmp_path / "gross.csv"
    big.write_bytes(b"a;b\n" + b"1;2\n" * 400_000)  # 1,6 MB
    page = _open(browser, small_server + "/daten", "Daten und Upload", "upload_size")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(big))
    msg = page.get_by_text("Die Datei ist zu groß", exact=False).first
    msg.wait_for(timeout=30_000)
    assert "höchstens 1,0" in msg.inner_text()
    assert page.get_by_text("or smaller", exact=False).count() == 0
