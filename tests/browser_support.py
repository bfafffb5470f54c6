"""What the browser tests share: Debian's Chromium, the app's real server, and waiting on Streamlit's own state.

Waiting is on state, never on time: :func:`wait_idle` returns when the server has answered the browser's last message,
Streamlit reports the script run as finished (``data-test-script-state="notRunning"`` on ``stApp``), no element of an
earlier run is still shown as stale, no element waits for its code (Streamlit's skeleton), and every visible Plotly chart
has drawn. The script :data:`INIT_JS`, added to
every browser context by :func:`new_context`, counts the messages on Streamlit's websocket for this.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from indicators.health import wait_until_up

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
ERROR_SELECTORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'

# Before any script of the page: wrap the WebSocket so that the page knows whether the server has answered the last
# message the app sent (a rerun after a click is a message; until its answer arrives, the page still says 'notRunning').
INIT_JS = """(() => {
  if (window.__monitorWs) return;
  const st = window.__monitorWs = {answered: true, okFrames: 0};
  const Native = window.WebSocket;
  class Watched extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { st.answered = true; });
    }
    send(data) { st.answered = false; return super.send(data); }
  }
  window.WebSocket = Watched;
})();"""

# The page is idle when the condition holds in three animation frames in a row (React has drawn what arrived).
IDLE_JS = """() => {
  const st = window.__monitorWs || {answered: true, okFrames: 0};
  const app = document.querySelector('[data-testid="stApp"]');
  let ok = !!app && st.answered && app.getAttribute('data-test-script-state') === 'notRunning'
           && !document.querySelector('[data-stale="true"]')
           // a lazily loaded element (the Plotly chart, a table) shows a skeleton until its code has arrived
           && !document.querySelector('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]');
  if (ok) {
    for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
      if (chart.offsetParent !== null && !chart.querySelector('.main-svg')) { ok = false; break; }
    }
  }
  st.okFrames = ok ? st.okFrames + 1 : 0;
  window.__monitorWs = st;
  return st.okFrames >= 3;
}"""


def wait_idle(page, timeout: int = 45_000) -> None:
    """Until Streamlit has finished the script run the last action started and its charts are drawn."""
    page.evaluate("() => { if (window.__monitorWs) window.__monitorWs.okFrames = 0; }")
    page.wait_for_function(IDLE_JS, polling="raf", timeout=timeout)


def new_context(chromium, **options):
    """A fresh browser context (own cookies, own session) that watches Streamlit's websocket for :func:`wait_idle`."""
    options.setdefault("locale", "de-DE")
    ctx = chromium.new_context(**options)
    ctx.add_init_script(INIT_JS)
    return ctx


def launch_chromium(playwright):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} fehlt: apt-get install chromium (siehe README)")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_app(db: Path, folder: Path, env: dict | None = None, port: int | None = None, extra: tuple[str, ...] = ()):
    """Run the app's real Streamlit server on ``db``; yields its address, stops it afterwards (a generator for
    the modules' ``server`` fixtures). ``port`` where the address must be known before (a sign-in provider's
    redirect), ``extra`` options for ``streamlit run``."""
    port = port or free_port()
    env = env or {**os.environ, "MONITOR_DB": str(db), "MONITOR_USER": "browsertest"}
    log = open(folder / "server.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "server.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    prefix = env.get("STREAMLIT_SERVER_BASE_URL_PATH", "").strip("/")  # behind a reverse proxy's path prefix
    url = f"http://127.0.0.1:{port}" + (f"/{prefix}" if prefix else "")
    if not wait_until_up(url, 60, alive=lambda: proc.poll() is None):
        proc.kill()
        pytest.fail("Streamlit-Server startet nicht: " + (folder / "server.log").read_text())
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


def settle(page) -> None:
    """Until the browser has drawn twice since now (after a scroll, before a screenshot)."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def no_dialog(page, timeout: int = 10_000) -> None:
    """Until no dialog is shown (at once if none was opened); fails if one stays open."""
    page.locator('[role="dialog"]').first.wait_for(state="hidden", timeout=timeout)


def open_upload_page(browser, server: str):
    """The page „Daten und Upload“ at 1280x900, loaded and idle: the page and its main area."""
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + "/daten")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_role("heading", name="Daten und Upload").wait_for(timeout=45_000)
    wait_idle(page)
    return page, main
