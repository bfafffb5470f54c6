"""The process-wide monitor (one DuckDB connection) and small cached reads for the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from indicators import auth, queries, regions, targets, verdicts
from indicators.catalog import CatalogError
from indicators.service import Monitor, for_tenant, open_monitor
from indicators.store import StoreError


@st.cache_resource(show_spinner="Datenbank wird geöffnet …")
def _monitor() -> Monitor:
    monitor = open_monitor()
    _freeze_long_lived()
    return monitor


def _freeze_long_lived() -> None:
    """Once per server process: the libraries, the catalog and the connection live as long as the process; moved out
    of the cyclic garbage collector's sight, a full collection no longer scans them (issue 11: with 50 viewers each
    took 150-180 ms, during which no page ran)."""
    import gc

    import plotly.graph_objects  # noqa: F401  (imported here so that they are frozen, not scanned again and again)

    from indicators import charts  # noqa: F401

    gc.collect()
    gc.freeze()


def get_monitor() -> Monitor:
    """The shared monitor, seen from the current tenant (issue 24: its Kreis is ``settings.own_region``); a
    definition or database problem stops the page with a German message."""
    try:
        return _for_tenant(_monitor(), auth.current_tenant())
    except CatalogError as exc:
        st.error(f"**Die Indikator-Definitionen enthalten einen Fehler.** {exc}")
        st.stop()
    except StoreError as exc:
        st.error(f"**Die Datenbank ist nicht verfügbar.** {exc}")
        st.stop()
    raise AssertionError("unreachable")


_TENANT_VIEWS: dict[tuple[int, str], Monitor] = {}


def _for_tenant(m: Monitor, tenant: str) -> Monitor:
    """The process's monitor with the tenant's Kreis as the own one (the same store and catalog)."""
    if tenant == m.settings.own_region:
        return m
    key = (id(m), tenant)
    if key not in _TENANT_VIEWS:
        _TENANT_VIEWS[key] = for_tenant(m, tenant)
    return _TENANT_VIEWS[key]


def data_version(m: Monitor) -> str:
    """Changes whenever indicators are recomputed or targets/notes change; used as a cache key."""
    return m.store.version()


def strategy_version(m: Monitor) -> str:
    """Changes with every change of the strategy (goals, measures, partners, Leitbild); a cache key."""
    from indicators.strategy import model

    tenant = auth.current_tenant()  # (one memo per tenant: each Kreis has its own strategy, issue 24)
    return m.store.memo(f"strategy:{tenant}", lambda: model.version(m.store))


# -- parts of pages that are the same for every viewer (issue 11: many viewers) --------------------------------
# A page part without widgets and without anything of the session (role, choices) looks the same to every viewer of
# one data version. Drawn inside a cached function, Streamlit records its elements (charts already turned into
# JSON, tables into HTML) and replays them for every later viewer instead of running the part again: a field page
# no longer converts six Plotly figures per view. The arguments are the key: the data version comes first.
_PARTS: list = []


def shared_part(func):
    """Decorator for such a page part (see above); ``clear_caches`` clears it too."""
    cached = st.cache_resource(show_spinner=False, max_entries=64)(func)
    _PARTS.append(cached)
    return cached


# The two reads every page needs are shared objects (st.cache_resource), not copies per run (unpickling the verdicts
# of all indicators took a tenth of an indicator page with many viewers): callers must not change them.
@st.cache_resource(show_spinner=False, max_entries=8)
def cockpit_table(version: str, region: str | None = None):  # None: the own Kreis (MONITOR_OWN_REGION)
    m = _monitor()
    return queries.cockpit(m.store, m.catalog, region)


@st.cache_resource(show_spinner=False, max_entries=8)
def statuses(version: str):
    """Verdicts of every indicator (Landkreis headline series) and the roll-up per field of action."""
    m = _monitor()
    result = verdicts.all_statuses(m.store, m.catalog)
    return result, verdicts.field_rollups(m.catalog, result)


@st.cache_data(show_spinner=False, max_entries=32)
def history_diff(version: str, upload_id: int):
    """What an upload changed, against the state just before it (``indicators.ingest.api.upload_diff``, the
    preview's comparison; the changed values only), computed once per data version instead of on every run
    of the data page."""
    from indicators.ingest.api import upload_diff

    return upload_diff(_monitor().store, upload_id, include_new=False)


@st.cache_data(show_spinner=False, max_entries=4)
def region_names(version: str) -> dict[str, str]:
    """Key → name of every known region (adding regions clears the caches)."""
    regions = _monitor().store.regions()
    return dict(zip(regions["key"], regions["name"]))


@st.cache_data(show_spinner=False, max_entries=8)
def has_demo(version: str) -> bool:
    return _monitor().store.has_demo_data()


# -- reads of the core, cached per data version (issue 11: many viewers) ----------------------------------------
# Every viewer of a page asks the same questions until the data change; the answer is computed once per data
# version and shared by all sessions (``st.cache_data`` hands each run its own copy). The core stays free of
# Streamlit: these are plain calls of its functions, named here so that the cache key is (version, name, args).
def _indicator(m: Monitor, ind_id: str):
    return m.catalog.indicators[ind_id]


_READERS: dict[str, Callable[..., Any]] = {
    "breakdown_options": lambda m, i: queries.breakdown_options(m.store, i),
    "gemeinden": lambda m, parent: queries.gemeinden(m.store, parent),
    "region_name": lambda m, key: regions.region_name(m.store, key),
    "has_values_for": lambda m, i, keys: queries.has_values_for(m.store, i, list(keys)),
    "series": lambda m, i, regions: queries.series(m.store, _indicator(m, i), list(regions)),
    "breakdown_series": lambda m, i, dim: queries.breakdown_series(m.store, _indicator(m, i), dim),
    "notes": lambda m, i: targets.notes(m.store, i),
    # the Landkreis against its Land, Deutschland and the neighbours (issue 10)
    "default_comparison": lambda m, i, own: regions.default_comparison(m.store, _indicator(m, i), own, m.settings),
    "comparison_years": lambda m, i, keys: regions.years(m.store, _indicator(m, i), list(keys)),
    "comparison_rows": lambda m, i, year, keys: regions.comparison_rows(m.store, _indicator(m, i), year, list(keys)),
    "land_rank": lambda m, i, year, own: regions.land_rank(m.store, _indicator(m, i), year, own, m.settings),
}


@st.cache_data(show_spinner=False, max_entries=2048)
def _read(version: str, name: str, args: tuple):
    return _READERS[name](get_monitor(), *args)  # (the tenant's view: the version names the tenant)


def _key(args: tuple) -> tuple:
    """Arguments as a cache key (lists become tuples)."""
    return tuple(tuple(a) if isinstance(a, list) else a for a in args)


def read(m: Monitor, name: str, *args):
    """``name`` of a core read (see ``_READERS``) with its arguments, from the cache of this data version."""
    return _read(data_version(m), name, _key(args))


@st.cache_resource(show_spinner=False, max_entries=512)
def _shared_figure(version: str, name: str, args: tuple):
    return _FIGURES[name](get_monitor(), version, *args)  # (the tenant's view: the version names the tenant)


def figure(m: Monitor, name: str, *args):
    """A chart shared by every session until the data change (built once: building a Plotly figure costs more than
    sending it). The figure must not be changed by the caller."""
    return _shared_figure(data_version(m), name, _key(args))


def _field_trend(m: Monitor, version: str, ind_id: str):
    """The Landkreis' headline line of one indicator with its target and projection, as the field pages show it;
    None without data."""
    from indicators import charts

    ind = _indicator(m, ind_id)
    own = m.settings.own_region
    data = queries.headline_series(m.store, m.catalog, own, [ind]).assign(region=region_names(version).get(own, own))
    if data.empty:
        return None
    s = statuses(version)[0][ind_id]
    fig = charts.trend(ind, data, "region", height=300)
    if s.target:
        charts.add_target(fig, ind, s.target.target_year, s.target.target_value, None, list(s.verdict.projection))
    return fig


def _indicator_trend(m: Monitor, version: str, ind_id: str, breakdown: str, regions: tuple[str, ...]):
    """The indicator page's chart and its data: one line per breakdown group (``breakdown``) or per region (the
    Landkreis first, with its target, Soll path and projection), the notes as markers."""
    from indicators import charts

    ind = _indicator(m, ind_id)
    if breakdown:
        data = queries.breakdown_series(m.store, ind, breakdown, m.settings.own_region)
        data["label"] = data["group_code"].map(charts.GROUP_LABELS).fillna(data["group_code"])
        fig = charts.trend(ind, data, "group_code", label_col="label")
    else:
        names = region_names(version)
        data = queries.series(m.store, ind, list(regions))
        data["label"] = data["region"].map(names).fillna(data["region_name"])
        data["order"] = data["region"].map({r: i for i, r in enumerate(regions)})
        data = data.sort_values(["order", "year"]).drop(columns="order")
        fig = charts.trend(ind, data, "region", label_col="label")
        status = statuses(version)[0][ind_id]
        if status.target:
            charts.add_target(
                fig,
                ind,
                status.target.target_year,
                status.target.target_value,
                status.soll_path(),
                list(status.verdict.projection),
            )
    note_rows = targets.notes(m.store, ind_id)
    charts.add_notes(fig, list(zip(note_rows["year"], note_rows["text"])))
    return data, fig


_FIGURES: dict[str, Callable[..., Any]] = {"field_trend": _field_trend, "indicator_trend": _indicator_trend}


def clear_caches() -> None:
    st.cache_data.clear()
    _shared_figure.clear()
    cockpit_table.clear()
    statuses.clear()
    for part in _PARTS:
        part.clear()


@st.cache_resource(show_spinner=False)
def _inbox():
    """The inbox watcher (issue 11), once per server process: imports dropped files, answers the command line.
    A failure to start is logged once and kept (None): it is not tried again on every page run."""
    import logging

    from indicators import config
    from indicators.inbox import Inbox

    if not config.settings().inbox:  # MONITOR_INBOX=aus
        return None
    try:
        return Inbox(_monitor()).start()
    except Exception as exc:  # the pages work without it; the details are in the log, once
        logging.getLogger("integrationsmonitor").warning(
            "Eingangsordner nicht gestartet (Importe über den Ordner und die Kommandozeile neben der App gehen "
            "erst nach einem Neustart): %s",
            exc,
            exc_info=True,
        )
        return None


def start_inbox() -> None:
    _inbox()
