"""What the web server itself refuses or adds, before Streamlit sees a request (issue 22).

- **Uploads only from signed-in sessions with a write role.** Streamlit's upload route
  (``PUT …/_stcore/upload_file/<session>/<file>``) takes a file from any live session, also one that shows only the
  sign-in form; the files stay in the server's memory. Every script run records whether its session's actor may
  write (:func:`note_session`); the middleware refuses an upload of any other session with 403 before a byte of the
  body is read.
- **Security headers** on every HTTP response: a Content-Security-Policy that Streamlit's page works with
  (its own scripts and styles, inline ones included; connections to the same host), no framing by other sites
  (``frame-ancestors 'self'``, ``X-Frame-Options``), ``X-Content-Type-Options: nosniff``, ``Referrer-Policy``.
"""

from __future__ import annotations

import threading

UPLOAD_MARK = "/_stcore/upload_file/"

#: sessions (Streamlit's session id) whose actor may write: signed in, not anonymous, role Analyse or above
_writers: set[str] = set()
_lock = threading.Lock()

CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws: wss:; media-src 'self' data: blob:; "
    "frame-src 'self' blob: data:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]
REFUSED = "Hochladen nur nach der Anmeldung mit einer Rolle, die Daten ändern darf.".encode()


def note_session(session_id: str | None, may_write: bool) -> None:
    """Called on every script run: may this session upload files?"""
    if not session_id:
        return
    with _lock:
        if may_write:
            _writers.add(session_id)
        else:
            _writers.discard(session_id)


def upload_allowed(session_id: str) -> bool:
    with _lock:
        return session_id in _writers


def forget_ended_sessions(active) -> None:
    """Drop sessions that have ended (``active(session_id)`` says whether one is still live)."""
    with _lock:
        for sid in [s for s in _writers if not active(s)]:
            _writers.discard(sid)


def _upload_session(path: str) -> str | None:
    at = path.find(UPLOAD_MARK)
    if at < 0:
        return None
    return path[at + len(UPLOAD_MARK) :].split("/", 1)[0]


class Guard:
    """Pure ASGI middleware (it never touches a request's body): refuses uploads of sessions that may not write
    and adds the security headers to every HTTP response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "http":
            return await self.app(scope, receive, send)
        sid = _upload_session(scope.get("path", ""))
        if sid is not None and scope.get("method") in ("PUT", "POST") and not upload_allowed(sid):
            await send(
                {
                    "type": "http.response.start",
                    "status": 403,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"), *HEADERS],
                }
            )
            await send({"type": "http.response.body", "body": REFUSED})
            return None

        async def with_headers(message):
            if message.get("type") == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message = {
                    **message,
                    "headers": [*message.get("headers", []), *((k, v) for k, v in HEADERS if k not in names)],
                }
            await send(message)

        return await self.app(scope, receive, with_headers)


def middleware() -> list:
    from starlette.middleware import Middleware

    return [Middleware(Guard)]
