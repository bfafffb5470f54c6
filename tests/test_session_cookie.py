"""The HttpOnly session cookie route (issue 11): a one-time code from the sign-in becomes the cookie; a code works
once; an unknown code sets nothing."""

from __future__ import annotations

import pytest
import streamlit as st
from starlette.testclient import TestClient

import server
from ui import session_cookie


@pytest.fixture(scope="module")
def client():
    """The real start file's app (Streamlit's runtime starts once per process, so one client for the module)."""
    assert isinstance(server.app, st.App)
    with TestClient(server.app) as c:
        yield c


def test_handoff_code_sets_an_http_only_cookie_once(client):
    code = session_cookie.handoff("geheimes-token")

    r = client.post(session_cookie.PATH, json={"code": code})
    assert r.status_code == 204
    header = r.headers["set-cookie"]
    assert header.startswith("monitor_sitzung=geheimes-token;")
    assert "HttpOnly" in header and "SameSite=strict" in header and "Path=/" in header
    assert "Secure" not in header  # plain http on loopback
    again = client.post(session_cookie.PATH, json={"code": code})
    assert again.status_code == 400 and "set-cookie" not in again.headers


def test_unknown_code_and_sign_out(client):
    r = client.post(session_cookie.PATH, json={"code": "geraten"})
    assert r.status_code == 400 and "set-cookie" not in r.headers
    r = client.post(session_cookie.PATH, content=b"kein json")
    assert r.status_code == 403  # not JSON: refused before the body is read (issue 22)
    r = client.post(session_cookie.PATH, content=b"kein json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    r = client.post(
        session_cookie.PATH, json={"code": session_cookie.handoff(None)}, headers={"X-Forwarded-Proto": "https"}
    )
    assert r.status_code == 204
    header = r.headers["set-cookie"]
    assert header.startswith('monitor_sitzung="";') and "Max-Age=0" in header
    assert "HttpOnly" in header and "Secure" in header


def test_an_oversized_body_is_not_read(client):
    """The route reads at most BODY_MAX_BYTES: a large body with a valid code is refused, nothing is set."""
    code = session_cookie.handoff("token-gross")
    body = ('{{"code": "{}", "x": "{}"}}'.format(code, "a" * 5_000_000)).encode()
    r = client.post(session_cookie.PATH, content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and "set-cookie" not in r.headers


def test_only_same_origin_json_is_accepted(client):
    """Issue 22 (login CSRF): a form posted from another site, or a fetch from another origin, sets no cookie."""
    code = session_cookie.handoff("token-fremd")
    as_form = client.post(
        session_cookie.PATH,
        data={"code": code},
        headers={"Origin": "https://angreifer.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert as_form.status_code == 403 and "set-cookie" not in as_form.headers
    for headers in (
        {"Origin": "https://angreifer.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "null"},
    ):
        r = client.post(session_cookie.PATH, json={"code": code}, headers=headers)
        assert r.status_code == 403 and "set-cookie" not in r.headers, headers
    r = client.post(
        session_cookie.PATH,
        json={"code": code},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert r.status_code == 204 and r.headers["set-cookie"].startswith("monitor_sitzung=token-fremd;")
