"""Start file of the web server: ``streamlit run server.py`` (``make run`` and ``integrationsmonitor start`` use it).

It serves app.py as Streamlit's ASGI ``st.App`` plus one route of our own, ``POST /api/sitzung``, that sets the
session cookie with HttpOnly (ui/session_cookie.py; a Streamlit script cannot set a cookie itself), and a
middleware (ui/http_guard.py) that refuses uploads from sessions without a signed-in actor who may write and adds
security headers to every response.
"""

from pathlib import Path

import streamlit as st

from ui import http_guard, session_cookie

app = st.App(
    Path(__file__).resolve().parent / "app.py", routes=session_cookie.routes(), middleware=http_guard.middleware()
)
