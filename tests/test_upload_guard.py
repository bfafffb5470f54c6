"""Issue 22: the server refuses uploads from sessions that are not signed in with a write role (Streamlit's upload
route took 45 MB files from a session showing only the sign-in form), and sends security headers.

HTTP level against the real server (``server.py``): a WebSocket session like a browser's, its session id from the
server's first message, then a PUT to Streamlit's upload route with a valid XSRF token."""

from __future__ import annotations

import os
from contextlib import contextmanager

import httpx
import pytest
from browser_support import serve_app
from conftest import make_settings

from indicators import auth
from indicators.health import health_url
from indicators.service import open_monitor


@pytest.fixture(scope="module")
def signin_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("guard")
    m = open_monitor(settings=make_settings(folder))
    with auth.acting_as(auth.system_actor("einrichtung")):
        auth.add_user(m.store, "dana", auth.DATA, "richtig-langes-Passwort", "einrichtung", one_time=False)
    m.close()
    env = {**os.environ, "MONITOR_DB": str(folder / "monitor.duckdb"), "MONITOR_AUTH": "an", "MONITOR_INBOX": "aus"}
    yield from serve_app(folder / "monitor.duckdb", folder, env)


@contextmanager
def _anonymous_session(url: str):
    """A session opened as a browser does (the page shows the sign-in form): Streamlit's session id, while its
    WebSocket is open."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    with connect(url.replace("http://", "ws://", 1) + "/_stcore/stream", subprotocols=["streamlit"]) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        ws.send(msg.SerializeToString())
        session_id = None
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(ws.recv(timeout=60))
            if fwd.WhichOneof("type") == "new_session":
                session_id = fwd.new_session.initialize.session_id
            if fwd.WhichOneof("type") == "script_finished":
                break
        assert session_id
        yield session_id


def test_anonymous_session_cannot_upload(signin_server):
    with _anonymous_session(signin_server) as session_id, httpx.Client(base_url=signin_server) as client:
        page = client.get(health_url(signin_server))  # (sets Streamlit's XSRF cookie, as for the page)
        xsrf = client.cookies.get("_streamlit_xsrf")
        assert xsrf, page.headers
        r = client.put(
            f"/_stcore/upload_file/{session_id}/datei-1",
            files={"file": ("gross.csv", b"a;b\n" + b"1;2\n" * 250_000, "text/csv")},
            headers={"X-Xsrftoken": xsrf},
        )
    assert r.status_code == 403, (r.status_code, r.text)
    assert "nur nach der Anmeldung" in r.text


def test_every_response_has_security_headers(signin_server):
    with httpx.Client(base_url=signin_server) as client:
        for url in (signin_server + "/", health_url(signin_server)):
            r = client.get(url)
            assert r.headers["x-content-type-options"] == "nosniff"
            assert "frame-ancestors 'self'" in r.headers["content-security-policy"]
            assert r.headers["x-frame-options"] == "SAMEORIGIN"
