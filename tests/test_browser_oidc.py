"""Streamlit's own OIDC sign-in (st.login) against a small local OpenID Connect provider (issue 11), offline.

The provider (this file, ~60 lines on http.server and Authlib's JOSE) serves discovery, an authorize endpoint that
signs the person in at once, a token endpoint with an RS256-signed ID token and the JWKS. The app gets ``[auth]``
through a secrets file of its own; the identity's e-mail address is mapped to the local account with that
'Dienstkonto'. Screenshot: ``test-artifacts/oidc_angemeldet.png``.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, CHROMIUM, serve_app
from browser_support import free_port as _free_port
from browser_support import wait_idle as _wait_idle

from indicators import auth
from indicators.service import open_monitor

pytestmark = pytest.mark.browser
CLIENT_ID, CLIENT_SECRET = "integrationsmonitor", "geheim-" + secrets.token_hex(8)
EMAIL = "oskar@kreis-peine.example"


class Provider:
    """A minimal OIDC provider: every authorization request signs in EMAIL."""

    def __init__(self):
        from authlib.jose import JsonWebKey

        self.key = JsonWebKey.generate_key("RSA", 2048, is_private=True)
        self.codes: dict[str, str] = {}  # code -> nonce
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):  # quiet
                pass

            def _json(self, data: dict) -> None:
                body = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                q = dict(urllib.parse.parse_qsl(url.query))
                if url.path == "/.well-known/openid-configuration":
                    b = provider.base
                    self._json(
                        {
                            "issuer": b,
                            "authorization_endpoint": b + "/authorize",
                            "token_endpoint": b + "/token",
                            "jwks_uri": b + "/jwks",
                            "response_types_supported": ["code"],
                            "subject_types_supported": ["public"],
                            "id_token_signing_alg_values_supported": ["RS256"],
                        }
                    )
                elif url.path == "/jwks":
                    self._json(
                        {
                            "keys": [
                                {**provider.key.as_dict(is_private=False), "kid": "k1", "use": "sig", "alg": "RS256"}
                            ]
                        }
                    )
                elif url.path == "/authorize":
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = q.get("nonce", "")
                    target = q["redirect_uri"] + "?" + urllib.parse.urlencode({"code": code, "state": q["state"]})
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                else:
                    self.send_error(404)

            def do_POST(self):
                from authlib.jose import jwt

                form = dict(urllib.parse.parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
                nonce = provider.codes.pop(form.get("code", ""), None)
                if nonce is None:
                    self.send_error(400)
                    return
                now = int(time.time())
                claims = {
                    "iss": provider.base,
                    "aud": CLIENT_ID,
                    "sub": "oskar-123",
                    "email": EMAIL,
                    "name": "Oskar Beispiel",
                    "nonce": nonce,
                    "iat": now,
                    "exp": now + 600,
                }
                token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, provider.key).decode()
                self._json(
                    {"access_token": secrets.token_hex(8), "token_type": "Bearer", "expires_in": 600, "id_token": token}
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def test_oidc_sign_in_maps_the_identity_to_a_local_account(demo_database, tmp_path, browser):  # noqa: F811
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} fehlt")
    db = tmp_path / "monitor.duckdb"
    db.write_bytes(Path(demo_database).read_bytes())
    m = open_monitor(db)
    with auth.acting_as(auth.system_actor("einrichtung")):
        auth.add_user(m.store, "oskar", auth.ANALYSIS, None, "einrichtung", oidc=EMAIL)
    m.close()
    provider = Provider()
    port = _free_port()
    app_url = f"http://127.0.0.1:{port}"
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{app_url}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(16)}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{provider.base}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    env = {**os.environ, "MONITOR_DB": str(db), "MONITOR_AUTH": "an", "MONITOR_USER": "root"}
    server = serve_app(db, tmp_path, env, port=port, extra=("--secrets.files", str(secrets_file)))
    try:
        next(server)
        page = browser.new_page()
        page.goto(app_url)
        main = page.locator('[data-testid="stMain"]')
        main.get_by_role("heading", name="Anmelden").wait_for(timeout=45_000)
        main.get_by_role("button", name="Mit dem Dienstkonto der Kreisverwaltung anmelden").click()
        page.locator('[data-testid="stSidebar"]').get_by_text("Angemeldet als oskar (Analyse)", exact=False).wait_for(
            timeout=60_000
        )
        _wait_idle(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "oidc_angemeldet.png"))
        page.close()
    finally:
        next(server, None)  # runs serve_app's end: stops the server
        provider.close()
    m = open_monitor(db)
    try:
        assert m.store.query("SELECT count(*) FROM users WHERE name = 'oskar'") == [(1,)]
    finally:
        m.close()
