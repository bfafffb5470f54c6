"""The saved and shipped column-mapping profiles and the definition of one."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators import texts as T
from indicators.ingest import api
from indicators.ingest.api import MappingError
from indicators.service import Monitor
from ui.components import plain
from ui.upload.common import fail, when


# -- profiles ----------------------------------------------------------------------------------------
def profiles(m: Monitor) -> None:
    """The saved and shipped column-mapping profiles, and the definition of one."""
    st.caption(T.PROF_INTRO)
    try:
        found = api.list_profiles(m.store)
    except Exception as exc:
        fail(T.UPL_ERROR_GENERIC, exc)
        return
    if not found:
        st.info(T.PROF_EMPTY)
        return
    c = T.PROF_COLUMNS
    rows = []
    for prof in found:
        try:
            cols = ", ".join(api.load_spec(prof["spec"]).columns())
        except MappingError:
            cols = "–"
        rows.append(
            {
                c["name"]: prof["name"],
                c["title"]: prof["title"],
                c["origin"]: T.PROF_ORIGIN.get(prof["origin"], prof["origin"]),
                c["created"]: when(prof["created_at"]) if prof["created_at"] is not None else "–",
                c["by"]: prof["created_by"] or "–",
                c["columns"]: cols,
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if notice := st.session_state.pop("profile_notice", None):
        st.success(notice, icon=":material/check_circle:")
    name = st.selectbox(T.PROF_PICK, [p["name"] for p in found], key="profile_pick")
    chosen = next((p for p in found if p["name"] == name), None)
    if chosen is None:
        return
    import yaml

    st.markdown(f"**{T.PROF_SPEC.format(name=plain(name))}**")
    st.code(
        yaml.safe_dump(
            _compact(chosen["spec"]), allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
        ),
        language="yaml",
    )
    if chosen["origin"] != "gespeichert":
        st.caption(T.PROF_SHIPPED_NOTE)
        return
    sure = st.checkbox(
        T.PROF_DELETE_SURE.format(name=plain(name)), key=f"profile_delete_sure_{name}", help=T.PROF_DELETE_HELP
    )
    if st.button(T.PROF_DELETE, disabled=not sure, icon=":material/delete:", key="profile_delete"):
        try:
            api.delete_profile(m.store, name, m.settings.user)
        except Exception as exc:
            fail(T.UPL_ERROR_GENERIC, exc)
            return
        st.session_state.pop(f"profile_delete_sure_{name}", None)
        st.session_state.pop("profile_pick", None)
        st.session_state["profile_notice"] = T.PROF_DELETED.format(name=plain(name))
        st.rerun()


def _compact(obj: object) -> object:
    """A profile without its empty entries (null, {}, []), for reading."""
    if isinstance(obj, dict):
        out = {k: _compact(v) for k, v in obj.items()}
        return {k: v for k, v in out.items() if v not in (None, {}, [], "")}
    if isinstance(obj, list):
        return [_compact(v) for v in obj]
    return obj
