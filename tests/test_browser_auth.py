"""Sign-in and roles in the real server and headless Chromium (issue 11), and a hostile file uploaded through the
page with the server alive afterwards.

- signed out, every page shows only the sign-in form and nothing is written (database digest unchanged);
- a Betrachter sees no upload, target, note or rollback control; an Administration session creates a user on the
  page *Verwaltung*; the audit rows carry the people who signed in and acted.

Screenshots: ``test-artifacts/anmeldung.png``, ``betrachter_daten.png``, ``verwaltung_benutzer.png``,
``feindliche_datei.png``.
"""

from __future__ import annotations

import os
import shutil
import time

import badfiles
import pytest
from browser_support import ARTIFACTS, ERROR_SELECTORS, serve_app
from browser_support import wait_idle as _wait_idle

from indicators import auth
from indicators.health import is_up
from indicators.service import open_monitor

pytestmark = pytest.mark.browser
PW = "richtig-langes-Passwort"
PAGES = [
    "verwaltung",
    "praesentation",
    "bildung",
    "indikator?id=alq_auslaender",
    "gemeindevergleich",
    "ziele",
    "daten",
    "abdeckung",
    "",
]


def _db_with_accounts(demo_database, folder):
    db = folder / "monitor.duckdb"
    shutil.copyfile(demo_database, db)
    m = open_monitor(db)
    with auth.acting_as(auth.system_actor("einrichtung")):
        auth.add_user(m.store, "betty", auth.VIEWER, PW, "einrichtung", one_time=False)
        auth.add_user(m.store, "adam", auth.ADMIN, PW, "einrichtung", one_time=False)
    digest = m.store.content_digest()
    m.close()
    return db, digest


def _server(db, folder, **extra):
    env = {**os.environ, "MONITOR_DB": str(db), "MONITOR_USER": "root", "MONITOR_AUTH": "an", **extra}
    return serve_app(db, folder, env)


def _main(page):
    return page.locator('[data-testid="stMain"]')


def _sign_in(page, url: str, name: str) -> None:
    page.goto(url)
    main = _main(page)
    main.get_by_role("heading", name="Anmelden", exact=True).wait_for(timeout=45_000)
    main.get_by_label("Benutzername").fill(name)
    main.get_by_label("Passwort").fill(PW)
    # the field's reveal button speaks German too (issue 25: "Show password")
    main.get_by_role("button", name="Eingabe anzeigen").wait_for(state="attached", timeout=10_000)
    main.get_by_role("button", name="Anmelden").click()
    page.locator('[data-testid="stSidebar"]').get_by_text(f"Angemeldet als {name}", exact=False).wait_for(
        timeout=45_000
    )
    _wait_idle(page)


def _session_ids(page) -> list[str]:
    """Streamlit's session ids of this page, read from the server's first message on each of its WebSockets (a new
    session per page load); collected from the moment this is called."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    found: list[str] = []

    def on_frame(payload) -> None:
        if isinstance(payload, (bytes, bytearray)):
            msg = ForwardMsg()
            try:
                msg.ParseFromString(bytes(payload))
            except Exception:  # not a ForwardMsg
                return
            if msg.WhichOneof("type") == "new_session":
                found.append(msg.new_session.initialize.session_id)

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return found


def _upload_from_the_page(page, session_id: str) -> dict:
    """A file sent to Streamlit's upload route from inside the page, as the page's own script would (the browser's
    cookies and XSRF token): what the server answers."""
    return page.evaluate(
        """async (sid) => {
            const xsrf = (document.cookie.match(/(?:^|; )_streamlit_xsrf=([^;]*)/) || [])[1] || "";
            const form = new FormData();
            form.append("file", new Blob(["a;b\\n" + "1;2\\n".repeat(100000)], {type: "text/csv"}), "gross.csv");
            const r = await fetch(`_stcore/upload_file/${sid}/datei-1`,
                                  {method: "PUT", body: form, headers: {"X-Xsrftoken": decodeURIComponent(xsrf)},
                                   credentials: "same-origin"});
            return {status: r.status, text: await r.text(), xsrf: xsrf !== ""};
        }""",
        session_id,
    )


def _no_errors(page) -> None:
    errors = page.locator(ERROR_SELECTORS)
    assert errors.count() == 0, errors.first.inner_text()
    assert "Traceback" not in page.content()


def test_signed_out_no_page_shows_data_or_writes(demo_database, tmp_path, browser):  # noqa: F811
    db, before = _db_with_accounts(demo_database, tmp_path)
    server = _server(db, tmp_path)
    url = next(server)
    try:
        page = browser.new_page()
        sessions = _session_ids(page)
        for path in PAGES:
            page.goto(f"{url}/{path}")
            _main(page).get_by_role("heading", name="Anmelden", exact=True).wait_for(timeout=45_000)
            _wait_idle(page)
            main = _main(page).inner_text()
            assert "Cockpit" not in main and "Upload" not in main, path
            assert page.locator('input[type="file"]').count() == 0
            assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # no navigation either
            assert page.get_by_text("does not seem to exist").count() == 0  # the address is kept for the sign-in
            _no_errors(page)
        # issue 22: the session showing the sign-in form cannot upload, even from the page's own script
        answer = _upload_from_the_page(page, sessions[-1])
        assert answer["xsrf"] and answer["status"] == 403, answer
        assert "nur nach der Anmeldung" in answer["text"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "anmeldung.png"))
        page.close()
    finally:
        next(server, None)
    m = open_monitor(db)
    try:
        assert m.store.content_digest() == before
    finally:
        m.close()


def test_roles_in_the_browser_and_the_audit_names_the_person(demo_database, tmp_path, browser):  # noqa: F811
    db, _ = _db_with_accounts(demo_database, tmp_path)
    server = _server(db, tmp_path)
    url = next(server)
    try:
        page = browser.new_page()
        sessions = _session_ids(page)
        _sign_in(page, url, "betty")
        page.reload()  # a reload (or a link) is a new Streamlit session: the session cookie keeps the sign-in
        page.locator('[data-testid="stSidebar"]').get_by_text("Angemeldet als betty", exact=False).wait_for(
            timeout=45_000
        )
        _wait_idle(page)
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Verwaltung" not in nav
        main = _main(page)
        page.locator('[data-testid="stSidebarNav"]').get_by_text("Daten und Upload", exact=True).click()
        main.get_by_role("heading", name="Daten und Upload", exact=True).wait_for(timeout=45_000)
        _wait_idle(page)
        assert page.locator('input[type="file"]').count() == 0
        answer = _upload_from_the_page(page, sessions[-1])  # a viewer's session: no upload either (issue 22)
        assert answer["status"] == 403 and "nur nach der Anmeldung" in answer["text"], answer
        text = main.inner_text()
        assert "zurücknehmen" not in text and "Demodaten entfernen" not in text
        assert "nur lesen" in text
        page.screenshot(path=str(ARTIFACTS / "betrachter_daten.png"))
        page.locator('[data-testid="stSidebarNav"]').get_by_text("Ziele", exact=True).click()
        main.get_by_role("heading", name="Ziele").first.wait_for(timeout=45_000)
        _wait_idle(page)
        assert page.get_by_role("button", name="Ziel speichern").count() == 0
        _no_errors(page)
        page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Abmelden").click()
        main.get_by_role("heading", name="Anmelden", exact=True).wait_for(timeout=45_000)
        _wait_idle(page)
        page.reload()  # signed out stays signed out
        main.get_by_role("heading", name="Anmelden", exact=True).wait_for(timeout=45_000)

        _sign_in(page, url, "adam")
        page.locator('[data-testid="stSidebarNav"]').get_by_text("Verwaltung", exact=True).click()
        main.get_by_role("heading", name="Verwaltung", exact=True).wait_for(timeout=45_000)
        _wait_idle(page)
        main.get_by_label("Benutzername").fill("neu.person")
        main.get_by_label("Passwort (mindestens 10 Zeichen)").fill(PW)
        main.get_by_role("button", name="Anlegen").click()
        main.get_by_text("Benutzer neu.person mit der Rolle Betrachter angelegt", exact=False).wait_for(timeout=45_000)
        _wait_idle(page)
        page.screenshot(path=str(ARTIFACTS / "verwaltung_benutzer.png"))
        _no_errors(page)
        page.close()
    finally:
        next(server, None)
    m = open_monitor(db)
    try:
        rows = m.store.query(
            "SELECT user_name, action, object FROM audit_log WHERE logged_at > now() - INTERVAL 10 MINUTE"
        )
        assert ("adam", "benutzer_angelegt", "neu.person") in rows
        assert ("betty", "angemeldet", "betty") in rows and ("betty", "abgemeldet", "betty") in rows
        assert not any(u == "root" for u, _, _ in rows)  # the OS account of the server acts for nobody
    finally:
        m.close()


def test_hostile_file_upload_leaves_the_server_alive(demo_database, tmp_path, browser):  # noqa: F811
    """A workbook with values only in A1 and XFD1048576 (it stopped the server for everyone) uploaded through
    the page: a German refusal, then another page loads from the same server."""
    db, _ = _db_with_accounts(demo_database, tmp_path)
    hostile = tmp_path / "weit.xlsx"
    hostile.write_bytes(badfiles.sparse_xlsx("XFD1048576"))
    server = _server(db, tmp_path)
    url = next(server)
    try:
        page = browser.new_page()
        _sign_in(page, url, "adam")
        page.locator('[data-testid="stSidebarNav"]').get_by_text("Daten und Upload", exact=True).click()
        main = _main(page)
        main.get_by_role("heading", name="Daten und Upload", exact=True).wait_for(timeout=45_000)
        _wait_idle(page)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(hostile))
        main.get_by_text("weit.xlsx", exact=False).first.wait_for(timeout=60_000)
        _wait_idle(page)
        assert (
            main.get_by_text("XFD1048576", exact=False).count() >= 1
            or main.get_by_text("Spalten", exact=False).count() >= 1
        )
        page.screenshot(path=str(ARTIFACTS / "feindliche_datei.png"))
        assert is_up(url, timeout=10)
        page.locator('[data-testid="stSidebarNav"]').get_by_text("Cockpit", exact=True).click()
        main.get_by_role("heading", name="Cockpit").first.wait_for(timeout=45_000)
        _wait_idle(page)
        _no_errors(page)
        page.close()
    finally:
        next(server, None)


@pytest.mark.parametrize("prefix", ["", "monitor"])
def test_session_cookie_is_http_only_and_survives_a_reload(demo_database, tmp_path, browser, prefix):  # noqa: F811
    """The session token is set by the server (HttpOnly, SameSite=Strict): page scripts cannot read it, a reload
    keeps the sign-in, and sign-out removes it (was: set by JavaScript, readable by any script on the page). Also
    behind a reverse proxy's path prefix (``server.baseUrlPath``): the route and the cookie's path carry it (was:
    the route at /api/sitzung only, so the sign-in did not survive a reload)."""
    db, _ = _db_with_accounts(demo_database, tmp_path)
    server = _server(db, tmp_path, STREAMLIT_SERVER_BASE_URL_PATH=prefix)
    url = next(server)
    try:
        page = browser.new_page()
        page.context.clear_cookies()
        _sign_in(page, url, "betty")

        def session_cookie():
            return [c for c in page.context.cookies(url) if c["name"] == "monitor_sitzung"]

        deadline = time.time() + 20
        while not session_cookie() and time.time() < deadline:
            time.sleep(0.2)
        (cookie,) = session_cookie()
        assert cookie["httpOnly"] is True
        assert cookie["sameSite"] == "Strict"
        assert cookie["path"] == (f"/{prefix}" if prefix else "/")
        assert "monitor_sitzung" not in page.evaluate("document.cookie")
        page.reload()
        page.locator('[data-testid="stSidebar"]').get_by_text("Angemeldet als betty", exact=False).wait_for(
            timeout=45_000
        )
        _wait_idle(page)
        page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Abmelden").click()
        _main(page).get_by_role("heading", name="Anmelden", exact=True).wait_for(timeout=45_000)
        deadline = time.time() + 20
        while session_cookie() and time.time() < deadline:
            time.sleep(0.2)
        assert session_cookie() == []
        page.close()
    finally:
        next(server, None)
