"""The request channel between the command line and the running app (issue 11), client side.

While the app holds the database (DuckDB: one writing process per file), the command line hands its request to
the app through the inbox folder (``<folder of the database>/inbox``, ``MONITOR_INBOX_DIR``): it writes
``<id>.anfrage.json`` and waits for ``<id>.antwort.json``. :func:`request_backup` and :func:`request_cli` are the
public interface; the app's side (:class:`indicators.inbox.Inbox`) reads the requests and runs them with the
command line's own parser and dispatcher (:func:`indicators.cli.build_parser`, :func:`indicators.cli.dispatch`).

This module imports neither the command line nor the inbox, so both can import it. Waking the app
(:func:`wake_app`) speaks Streamlit's wire protocol (``streamlit.proto``) as a client; nothing of its page API.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any, cast

from indicators import config
from indicators.errors import UserError
from indicators.fmt import fmt_num

REQUEST = ".anfrage.json"
ANSWER = ".antwort.json"
#: touched by the watcher on every poll
HEARTBEAT = ".beobachtet"
#: largest command-line request the app reads from the inbox
REQUEST_MAX_BYTES = 64 * 1024


def inbox_dir(settings: config.Settings) -> Path:
    """MONITOR_INBOX_DIR or ``<folder of the database>/inbox``."""
    return config.settings().inbox_dir or settings.db_path.parent / "inbox"


def poll_seconds() -> float:
    """MONITOR_INBOX_POLL (default 2 s, at least 0,2 s)."""
    return config.settings().inbox_poll


def ask(settings: config.Settings, request: dict[str, Any], timeout: float) -> dict[str, Any]:
    folder = inbox_dir(settings)
    if not folder.is_dir():
        raise UserError(
            f"Die Datenbank ist von einem anderen Prozess geöffnet und der Eingangsordner {folder} "
            "fehlt: läuft die App mit dieser Datenbank?"
        )
    beat = folder / HEARTBEAT
    if not beat.exists() or time.time() - beat.stat().st_mtime > 5 * poll_seconds() + 5:
        wake_app(settings)
    rid = uuid.uuid4().hex
    tmp = folder / f".{rid}{REQUEST}"
    tmp.write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
    tmp.replace(folder / f"{rid}{REQUEST}")
    answer = folder / f"{rid}{ANSWER}"
    deadline = time.time() + timeout
    while time.time() < deadline:
        if answer.exists():
            data: dict[str, Any] = json.loads(answer.read_text(encoding="utf-8"))
            answer.unlink(missing_ok=True)
            if not data.get("ok"):
                raise UserError(data.get("error") or "Die App hat die Anfrage abgelehnt.")
            return data
        time.sleep(0.2)
    (folder / f"{rid}{REQUEST}").unlink(missing_ok=True)
    raise UserError(
        f"Die laufende App hat nach {fmt_num(timeout, 0 if float(timeout).is_integer() else 1)} s nicht geantwortet (Eingangsordner {folder})."
    )


def wake_app(settings: config.Settings | None = None, port: int | None = None) -> bool:
    """Streamlit runs app.py (which opens the database and starts the watcher) only for a session: after a start
    nobody may have opened the app yet. Open one session on the local port (MONITOR_PORT) and run the first page
    once. ``integrationsmonitor start`` does this as soon as the server answers (:func:`wake_when_up`)."""
    port = port or cast(config.Settings, settings).port
    try:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from websockets.sync.client import connect
        from websockets.typing import Subprotocol

        from indicators.health import local_url

        with connect(
            local_url(port).replace("http://", "ws://", 1) + "/_stcore/stream",
            subprotocols=[cast("Subprotocol", "streamlit")],
            open_timeout=5,
            max_size=None,
        ) as ws:
            msg = BackMsg()
            msg.rerun_script.query_string = ""
            ws.send(msg.SerializeToString())
            deadline = time.time() + 30
            while time.time() < deadline:
                fwd = ForwardMsg()
                fwd.ParseFromString(ws.recv(timeout=max(0.1, deadline - time.time())))
                if fwd.WhichOneof("type") == "script_finished":
                    return True
    except Exception:  # no app on this port: the request waits and says so
        return False
    return False


def wake_when_up(port: int, timeout: float = 300) -> bool:
    """Wait until the server on ``port`` answers, then wake it (a helper process of ``integrationsmonitor start``)."""
    from indicators.health import wait_until_up

    return wait_until_up(port, timeout, interval=1) and wake_app(port=port)


def request_backup(settings: config.Settings, target: Path, user: str, timeout: float = 120) -> dict[str, Any]:
    return cast(
        dict[str, Any], ask(settings, {"command": "backup", "target": str(target), "user": user}, timeout)["info"]
    )


def request_cli(settings: config.Settings, argv: list[str], timeout: float = 60) -> dict[str, Any]:
    return ask(settings, {"command": "cli", "argv": argv}, timeout)
