"""The session cookie, set by the server with HttpOnly (issue 11).

A Streamlit script cannot send HTTP headers: the page talks to the server over a WebSocket. Streamlit 1.67 serves
the app as an ASGI ``st.App`` with routes of our own (``server.py``), so the cookie is set by such a route:

1. after a sign-in the script stores the new session token under a random one-time *handoff code* (valid for
   ``HANDOFF_SECONDS``, used once) and the page sends only that code with ``fetch`` to ``POST /api/sitzung``;
2. the route answers with ``Set-Cookie: monitor_sitzung=<token>; HttpOnly; SameSite=Strict; Path=/`` (plus
   ``Secure`` under https). Page scripts never see the token; the cookie is sent with the WebSocket of each new page
   load, where :func:`st.context.cookies` reads it.

Behind a reverse proxy with a path prefix (Streamlit's ``server.baseUrlPath``, e.g. ``/monitor``) the route, the
page's request and the cookie's path carry the prefix (Streamlit does not prefix an ``st.App``'s own routes).

Sign-out hands over a code without a token: the route removes the cookie (the session is closed in the database
anyway). Without ``server.py`` (``streamlit run app.py``) no route exists: then no cookie is set at all and a
sign-in holds only for the open browser tab.
"""

from __future__ import annotations

import secrets
import threading
import time

#: the cookie with the session token
COOKIE = "monitor_sitzung"
#: the route that sets or removes it
PATH = "/api/sitzung"
#: how long a handoff code is valid (the page sends it at once)
HANDOFF_SECONDS = 60

_codes: dict[str, tuple[str | None, float]] = {}
_lock = threading.Lock()
#: set by server.py when the route is served (False under ``streamlit run app.py`` and AppTest)
served = False


def handoff(token: str | None) -> str:
    """A one-time code for the route: with a token it sets the cookie, with None it removes it."""
    code = secrets.token_urlsafe(24)
    now = time.monotonic()
    with _lock:
        for old in [c for c, (_, t) in _codes.items() if now - t > HANDOFF_SECONDS]:
            del _codes[old]
        _codes[code] = (token, now)
    return code


def redeem(code: object) -> tuple[bool, str | None]:
    """(valid, token) for a code; a code works once and only within HANDOFF_SECONDS."""
    if not isinstance(code, str) or not code or len(code) > 100:
        return False, None
    with _lock:
        entry = _codes.pop(code, None)
    if entry is None or time.monotonic() - entry[1] > HANDOFF_SECONDS:
        return False, None
    return True, entry[0]


def _https(request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


#: the largest body the route reads (a code is 32 characters; nothing bigger is read into memory)
BODY_MAX_BYTES = 1024


async def _small_json(request) -> object:
    """The request's JSON body, read in chunks up to BODY_MAX_BYTES; None when it is longer or no JSON."""
    import json

    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > BODY_MAX_BYTES:
            return None
    try:
        return json.loads(data)
    except ValueError:
        return None


def same_origin(request) -> bool:
    """Only the page itself may call the route (no login CSRF from another site): a JSON body (a form of another
    site cannot send one without the browser asking first), ``Sec-Fetch-Site: same-origin`` where the browser sends
    it, and an ``Origin`` naming this host (or the reverse proxy's ``X-Forwarded-Host``) where there is one."""
    from urllib.parse import urlsplit

    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return False
    site = request.headers.get("sec-fetch-site")
    if site is not None and site.strip().lower() != "same-origin":
        return False
    origin = request.headers.get("origin")
    if origin is not None:
        hosts = {request.headers.get("host", "").lower()}
        hosts |= {h.strip().lower() for h in request.headers.get("x-forwarded-host", "").split(",") if h.strip()}
        if origin.strip().lower() == "null" or urlsplit(origin.strip()).netloc.lower() not in hosts:
            return False
    return True


async def endpoint(request):
    """``POST /api/sitzung`` with the body ``{"code": …}``: sets (or removes) the HttpOnly session cookie."""
    from starlette.responses import Response

    if not same_origin(request):
        return Response(status_code=403)
    body = await _small_json(request)
    ok, token = redeem(body.get("code") if isinstance(body, dict) else None)
    if not ok:
        return Response(status_code=400)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    path = cookie_path()
    if token is None:
        response.delete_cookie(COOKIE, path=path, httponly=True, samesite="strict", secure=_https(request))
    else:  # no max-age: the cookie ends with the browser; the server ends the session after idle time anyway
        response.set_cookie(COOKIE, token, path=path, httponly=True, samesite="strict", secure=_https(request))
    return response


def prefix() -> str:
    """The server's path prefix (``server.baseUrlPath``) as ``/monitor``, or ``""``."""
    from streamlit import config

    base = str(config.get_option("server.baseUrlPath") or "").strip().strip("/")
    return f"/{base}" if base else ""


def route_path() -> str:
    return prefix() + PATH


def cookie_path() -> str:
    return prefix() or "/"


def routes() -> list:
    from starlette.routing import Route

    global served
    served = True
    return [Route(route_path(), endpoint, methods=["POST"])]


def script(code: str) -> str:
    """The page's part: send the code to the route (same origin, the answer's cookie is stored by the browser)."""
    import json

    return (
        "<script>fetch(" + json.dumps(route_path()) + ", {method: 'POST', credentials: 'same-origin', "
        "headers: {'Content-Type': 'application/json'}, body: "
        + json.dumps(json.dumps({"code": code}))
        + "});</script>"
    )
