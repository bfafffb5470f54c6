"""The process-wide monitor (one DuckDB connection) and small cached reads for the pages."""

from __future__ import annotations

import streamlit as st

from indicators import queries, verdicts
from indicators.catalog import CatalogError
from indicators.service import Monitor, open_monitor
from indicators.store import StoreError


@st.cache_resource(show_spinner="Datenbank wird geöffnet …")
def _monitor() -> Monitor:
    return open_monitor()


def get_monitor() -> Monitor:
    """The shared monitor; a definition or database problem stops the page with a German message."""
    try:
        return _monitor()
    except CatalogError as exc:
        st.error(f"**Die Indikator-Definitionen enthalten einen Fehler.** {exc}")
        st.stop()
    except StoreError as exc:
        st.error(f"**Die Datenbank ist nicht verfügbar.** {exc}")
        st.stop()
    raise AssertionError("unreachable")


def data_version(m: Monitor) -> str:
    """Changes whenever indicators are recomputed or targets/notes change; used as a cache key."""
    return m.store.version()


@st.cache_data(show_spinner=False, max_entries=8)
def cockpit_table(version: str, region: str = queries.KREIS):
    m = _monitor()
    return queries.cockpit(m.store, m.catalog, region)


@st.cache_data(show_spinner=False, max_entries=8)
def statuses(version: str):
    """Verdicts of every indicator (Landkreis headline series) and the roll-up per field of action."""
    m = _monitor()
    result = verdicts.all_statuses(m.store, m.catalog)
    return result, verdicts.field_rollups(m.catalog, result)


@st.cache_data(show_spinner=False, max_entries=32)
def history_diff(version: str, upload_id: int):
    """What an upload changed, against the state just before it (``indicators.ingest.diff.upload_diff``, the
    preview's comparison; the changed values only), computed once per data version instead of on every run
    of the data page."""
    from indicators.ingest.diff import upload_diff

    return upload_diff(_monitor().store, upload_id, include_new=False)


@st.cache_data(show_spinner=False, max_entries=4)
def region_names(version: str) -> dict[str, str]:
    """Key → name of every known region (adding regions clears the caches)."""
    regions = _monitor().store.regions()
    return dict(zip(regions["key"], regions["name"]))


@st.cache_data(show_spinner=False, max_entries=8)
def has_demo(version: str) -> bool:
    return _monitor().store.has_demo_data()


def clear_caches() -> None:
    st.cache_data.clear()


@st.cache_resource(show_spinner=False)
def _inbox():
    """The inbox watcher (issue 11), once per server process: imports dropped files, answers the command line.
    A failure to start is logged once and kept (None): it is not tried again on every page run."""
    import logging
    import os

    from indicators.inbox import Inbox

    if os.environ.get("MONITOR_INBOX", "").strip().lower() in ("aus", "off", "0"):
        return None
    try:
        return Inbox(_monitor()).start()
    except Exception as exc:  # the pages work without it; the details are in the log, once
        logging.getLogger("integrationsmonitor").warning(
            "Eingangsordner nicht gestartet (Importe über den Ordner und die Kommandozeile neben der App gehen "
            "erst nach einem Neustart): %s", exc, exc_info=True)
        return None


def start_inbox() -> None:
    _inbox()
