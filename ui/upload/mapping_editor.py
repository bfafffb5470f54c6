"""Column mapping for a file no format recognises: offered and chosen profiles, the editor, preview with the
mapping, saving it as a profile."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd
import streamlit as st

from indicators import texts as T
from indicators.catalog import DIMENSIONS, NATIONALITIES, SEXES
from indicators.ingest import api
from indicators.ingest.api import DIM_LABELS, MappingError, cell_text, column_letter
from indicators.ingest.session import UnreadableCells, UploadReport, UploadSession
from indicators.service import Monitor
from indicators.wording import code_label
from ui.components import plain
from ui.upload.common import (
    GRID_ROWS,
    MAX_WIDE,
    NOTICES,
    OFFERS,
    PRESELECTED,
    READERS,
    fail,
    file_key,
    rerun_fresh,
    session_slot,
)


# -- profiles for a file -----------------------------------------------------------------------------
def _offer(upload: UploadSession) -> api.ProfileSpec | None:
    offers = session_slot(OFFERS)
    if upload.sha256 not in offers:
        try:
            offers[upload.sha256] = upload.profile_offer()
        except Exception:  # an offer is a convenience; never block the page for it
            offers[upload.sha256] = None
    return offers[upload.sha256]


def _apply(upload: UploadSession, spec: api.ProfileSpec | dict) -> None:
    data = spec.model_dump(mode="json") if isinstance(spec, api.ProfileSpec) else spec
    session_slot(READERS)[upload.sha256] = data
    st.session_state.pop(f"map_{file_key(upload)}_seeded", None)
    rerun_fresh(upload.sha256)


def mapping_section(upload: UploadSession, report: UploadReport, m: Monitor) -> None:
    k = file_key(upload)
    applied = session_slot(READERS).get(upload.sha256)
    unknown = report.unrecognised
    if applied:
        name = plain(applied.get("name", ""))
        preselected = session_slot(PRESELECTED).get(upload.sha256)
        if preselected:
            title = f" ({plain(applied['title'])})" if applied.get("title") else ""
            st.info(T.UPL_PROFILE_PRESELECTED.format(name=name, title=title), icon=":material/table_view:")
        else:
            st.info(T.UPL_PROFILE_APPLIED.format(name=name), icon=":material/table_view:")
        if st.button(T.UPL_PROFILE_RESET, key=f"auto_{k}", icon=":material/auto_fix_high:"):
            session_slot(READERS).pop(upload.sha256, None)
            session_slot(PRESELECTED)[upload.sha256] = False  # not preselected again
            for key in [x for x in st.session_state if str(x).startswith(f"map_{k}_")]:
                del st.session_state[key]  # the editor starts afresh, not from the profile set aside
            rerun_fresh(upload.sha256)
    elif unknown:
        offer = _offer(upload)
        if offer is not None:
            title = f" ({plain(offer.title)})" if offer.title else ""
            st.info(T.UPL_PROFILE_OFFER.format(name=plain(offer.name), title=title), icon=":material/lightbulb:")
            if st.button(
                T.UPL_PROFILE_USE.format(name=plain(offer.name)),
                key=f"useprofile_{k}",
                type="primary",
                icon=":material/table_view:",
            ):
                _apply(upload, offer)
    if not st.toggle(T.UPL_MAPPING_TOGGLE, value=unknown or bool(applied), key=f"maptoggle_{k}"):
        return
    with st.container(border=True):
        _choose_profile(upload, m)
        mapping_editor(upload, report, m)


def _choose_profile(upload: UploadSession, m: Monitor) -> None:
    try:
        profiles = api.list_profiles(m.store)
    except Exception as exc:
        fail(T.UPL_ERROR_GENERIC, exc)
        return
    if not profiles:
        return
    k = file_key(upload)
    names = [p["name"] for p in profiles]
    titles = {p["name"]: p["title"] for p in profiles}
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    applied = session_slot(READERS).get(upload.sha256) or {}
    offered = session_slot(OFFERS).get(upload.sha256)
    preferred = applied.get("name") or (offered.name if offered is not None else None)
    name = c1.selectbox(
        T.UPL_PROFILE_CHOOSE,
        names,
        index=names.index(preferred) if preferred in names else 0,  # the profile the file's form suggests
        key=f"pickprofile_{k}",
        format_func=lambda n: f"{n} – {titles[n]}" if titles.get(n) else n,
    )
    if c2.button(T.UPL_PROFILE_APPLY, key=f"applyprofile_{k}", icon=":material/table_view:"):
        try:
            spec = api.get_profile(m.store, name)
        except MappingError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        if spec is None:
            st.error(T.UPL_PROFILE_NOT_FOUND.format(name=plain(name)), icon=":material/error:")
            return
        _apply(upload, spec)


# -- mapping editor ----------------------------------------------------------------------------------
def _guess_header(rows: list[list[object]]) -> int:
    """The first of the top rows with the most filled text cells (a default the user sees and can change)."""
    top = rows[:30]
    counts = [sum(1 for v in r if isinstance(v, str) and v.strip()) for r in top]
    best = max(counts, default=0)
    return counts.index(best) + 1 if best else 1


def _parse_codes(text: str) -> dict[str, str]:
    out = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        if "=" not in line:
            raise MappingError(T.MAP_CODES_INVALID.format(line=line.strip()[:60]))
        label, code = line.rsplit("=", 1)
        out[label.strip()] = code.strip()
    return out


def _codes_text(codes: dict[str, str] | None) -> str:
    return "\n".join(f"{a} = {b}" for a, b in (codes or {}).items())


def _seed(k: str, spec: dict, report: UploadReport) -> None:
    """Fill the editor's widgets from an applied profile (once per applied profile)."""
    ss = st.session_state
    marker = json.dumps(spec, sort_keys=True, default=str)
    if ss.get(f"map_{k}_seeded") == marker:
        return
    ss[f"map_{k}_seeded"] = marker
    p = f"map_{k}_"
    sheet = spec.get("sheet") or str(report.assumptions.get("Blatt", "")).split(" (")[0] or None
    values = {
        "sheet": sheet,
        "header": spec.get("header_row", 1),
        "decimal": spec.get("decimal", ","),
        "label": spec.get("label_column") or T.MAP_NONE,
        "name": spec.get("name", ""),
        "title": spec.get("title", ""),
        "flag": spec.get("flag_column") or T.MAP_NONE,
        "aggregate": spec.get("aggregate", "none"),
        "region_name": spec.get("region_name_column") or T.MAP_NONE,
    }
    region = spec.get("region") or {}
    values["region_mode"] = "value" if region.get("value") is not None else "column"
    values["region_value"] = str(region.get("value") or "03157")
    values["region_col"] = region.get("column")
    values["region_codes"] = _codes_text(region.get("codes"))
    year = spec.get("year") or {}
    values["year_mode"] = (
        "from_title" if year.get("from_title") else ("value" if year.get("value") is not None else "column")
    )
    values["year_col"] = year.get("column")
    values["year_value"] = int(year["value"]) if year.get("value") is not None else dt.date.today().year - 1
    values["year_word"] = year.get("from_title") or "Stand"
    var = spec.get("variable") or {}
    if spec.get("value_column"):
        values["layout"] = "long"
        values["value_col"] = spec["value_column"]
    else:
        values["layout"] = "wide"
        values["wide_cols"] = [v["column"] for v in spec.get("values", [])]
        for _n, v in enumerate(spec.get("values", [])):
            col = v["column"]
            values[f"w_{col}_var"] = v.get("variable") or var.get("value")
            for dim in DIMENSIONS:
                values[f"w_{col}_{dim}"] = (v.get("dimensions") or {}).get(dim, "insgesamt")
    values["var_mode"] = "column" if var.get("column") else "value"
    values["var_value"] = var.get("value")
    values["var_col"] = var.get("column")
    values["var_codes"] = _codes_text(var.get("codes"))
    for dim in DIMENSIONS:
        src = (spec.get("dimensions") or {}).get(dim)
        if not src:
            values[f"dim_{dim}_mode"] = "total"
        elif src.get("column"):
            values[f"dim_{dim}_mode"] = "column"
            values[f"dim_{dim}_col"] = src["column"]
            values[f"dim_{dim}_codes"] = _codes_text(src.get("codes"))
        else:
            values[f"dim_{dim}_mode"] = "value"
            values[f"dim_{dim}_value"] = str(src.get("value"))
    for key, v in values.items():
        if v is None:
            ss.pop(p + key, None)
        else:
            ss[p + key] = v


def _default(key: str, value: object) -> str:
    """Give a keyed widget its first value through the session state (so a profile can pre-fill it)."""
    st.session_state.setdefault(key, value)
    return key


def _select(label: str, options: list, key: str, **kw):
    """A selectbox whose stored value is dropped when it is no longer among the options."""
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]
    return st.selectbox(label, options, key=key, **kw)


def _radio(label: str, options: dict[str, str], key: str, titled: bool = False):
    """Horizontal radio; ``titled``: a bold heading above names it already, so its label is hidden."""
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]
    return st.radio(
        label,
        list(options),
        key=key,
        format_func=options.get,
        horizontal=True,
        label_visibility="collapsed" if titled else "visible",
    )


def _codes(what: str, key: str) -> str:
    return st.text_area(T.MAP_CODES.format(what=what), key=key, height=80, placeholder="Edemissen = 03157001")


def mapping_editor(upload: UploadSession, report: UploadReport, m: Monitor) -> None:
    """Define a column mapping (profile) for this file; preview with it; save it as a profile."""
    k = file_key(upload)
    p = f"map_{k}_"
    applied = session_slot(READERS).get(upload.sha256)
    if applied:
        _seed(k, applied, report)
    st.markdown(f"##### {T.MAP_TITLE}")
    st.caption(T.MAP_INTRO)
    try:
        grid = upload.cells()  # per sheet (a text file: one table under the key None), as read by the core
    except UnreadableCells as exc:
        st.error(T.MAP_READ_FAILED.format(detail=plain(exc)), icon=":material/error:")
        return
    except Exception as exc:
        fail(T.UPL_ERROR_GENERIC, exc)
        return
    grid = {name: rows for name, rows in grid.items() if rows}
    if not grid:
        st.warning(T.MAP_NO_SHEETS, icon=":material/warning:")
        return
    c1, c2, c3 = st.columns(3)
    sheets = list(grid)
    with c1:
        sheet = _select(T.MAP_SHEET, sheets, p + "sheet") if sheets != [None] else None
    rows = grid[sheet]
    if p + "header" not in st.session_state or not 1 <= int(st.session_state[p + "header"]) <= len(rows):
        st.session_state[p + "header"] = _guess_header(rows)
    header_row = int(c2.number_input(T.MAP_HEADER_ROW, min_value=1, max_value=len(rows), step=1, key=p + "header"))
    with c3:
        decimal = _radio(T.MAP_DECIMAL, T.MAP_DECIMALS, p + "decimal")
    _grid_view(rows, header_row)
    header = list(dict.fromkeys(cell_text(v) for v in rows[header_row - 1] if cell_text(v)))
    if not header:
        st.warning(T.MAP_HEADER_EMPTY.format(row=header_row), icon=":material/warning:")
        return
    st.caption(T.MAP_HEADER_CELLS.format(cols=", ".join(f"„{plain(h)}“" for h in header)))

    spec: dict = {
        "name": (st.session_state.get(p + "name") or T.DEFAULT_PROFILE_NAME).strip() or T.DEFAULT_PROFILE_NAME,
        "title": st.session_state.get(p + "title", ""),
        "sheet": sheet,
        "header_row": header_row,
        "decimal": decimal,
    }
    missing: list[str] = []  # what the user still has to fill in (German), checked before the core validates
    _editor_region_year(p, header, spec, missing)
    _editor_values(p, header, m, spec, missing)
    _editor_options(p, header, spec, missing)
    _editor_actions(upload, m, spec, missing)


def _none_or(value: str) -> str | None:
    return None if value == T.MAP_NONE else value


def _editor_region_year(p: str, header: list[str], spec: dict, missing: list[str]) -> None:
    r1, r2 = st.columns(2)
    with r1:
        st.markdown(f"**{T.MAP_REGION}**")
        if _radio(T.MAP_REGION, T.MAP_REGION_MODES, p + "region_mode", titled=True) == "value":
            spec["region"] = {
                "value": st.text_input(T.MAP_REGION_VALUE, key=_default(p + "region_value", "03157")).strip()
            }
        else:
            col = _select(T.MAP_REGION_COLUMN, header, p + "region_col")
            codes = _parse_codes_safe(_codes(T.MAP_CODES_REGION, p + "region_codes"), missing)
            spec["region"] = {"column": col, "codes": codes}
            spec["region_name_column"] = _none_or(
                _select(T.MAP_REGION_NAME_COLUMN, [T.MAP_NONE, *header], p + "region_name")
            )
    with r2:
        st.markdown(f"**{T.MAP_YEAR}**")
        mode = _radio(T.MAP_YEAR, T.MAP_YEAR_MODES, p + "year_mode", titled=True)
        if mode == "column":
            spec["year"] = {"column": _select(T.MAP_YEAR_COLUMN, header, p + "year_col")}
        elif mode == "value":
            spec["year"] = {
                "value": int(
                    st.number_input(
                        T.MAP_YEAR_VALUE,
                        min_value=1990,
                        max_value=2100,
                        step=1,
                        key=_default(p + "year_value", dt.date.today().year - 1),
                    )
                )
            }
        else:
            spec["year"] = {
                "from_title": st.text_input(T.MAP_YEAR_WORD, key=_default(p + "year_word", "Stand")).strip()
            }


def _editor_values(p: str, header: list[str], m: Monitor, spec: dict, missing: list[str]) -> None:
    """Long layout (one value column, variable fixed or from a column) or wide layout (several value columns)."""
    variables = list(m.catalog.variables)
    var_label = {v.id: f"{v.id} – {v.name}" for v in m.catalog.variables.values()}
    st.markdown(f"**{T.MAP_LAYOUT}**")
    if _radio(T.MAP_LAYOUT, T.MAP_LAYOUTS, p + "layout", titled=True) == "long":
        v1, v2 = st.columns(2)
        with v1:
            spec["value_column"] = _select(T.MAP_VALUE_COLUMN, header, p + "value_col")
        with v2:
            if _radio(T.MAP_VARIABLE, T.MAP_VARIABLE_MODES, p + "var_mode") == "value":
                spec["variable"] = {
                    "value": _select(T.MAP_VARIABLE_VALUE, variables, p + "var_value", format_func=var_label.get)
                }
            else:
                col = _select(T.MAP_VARIABLE_COLUMN, header, p + "var_col")
                codes = _parse_codes_safe(_codes(T.MAP_CODES_CODE, p + "var_codes"), missing)
                spec["variable"] = {"column": col, "codes": codes}
        return
    if p + "wide_cols" in st.session_state:
        st.session_state[p + "wide_cols"] = [c for c in st.session_state[p + "wide_cols"] if c in header]
    chosen = st.multiselect(T.MAP_VALUE_COLUMNS, header, key=p + "wide_cols", max_selections=MAX_WIDE)
    if chosen:
        st.caption(T.MAP_WIDE_HINT)
    else:
        missing.append(T.MAP_NEED_VALUES)
    spec["values"] = [_wide_column(p, col, variables, var_label) for col in chosen]


def _editor_options(p: str, header: list[str], spec: dict, missing: list[str]) -> None:
    """Breakdown for all rows (fixed or from a column), row-label and flag columns, aggregation."""
    with st.expander(T.MAP_DIMENSIONS):
        dims: dict[str, dict[str, Any]] = {}
        for dim in DIMENSIONS:
            label = DIM_LABELS[dim]
            d1, d2, d3 = st.columns(3)
            with d1:
                mode = _select(label, list(T.MAP_DIM_MODES), p + f"dim_{dim}_mode", format_func=T.MAP_DIM_MODES.get)
            if mode == "value":
                with d2:
                    dims[dim] = {"value": _dim_value(dim, p + f"dim_{dim}_value")}
            elif mode == "column":
                with d2:
                    col = _select(T.MAP_DIM_COLUMN.format(dim=label), header, p + f"dim_{dim}_col")
                with d3:
                    codes = _parse_codes_safe(_codes(T.MAP_CODES_CODE, p + f"dim_{dim}_codes"), missing)
                dims[dim] = {"column": col, "codes": codes}
        spec["dimensions"] = dims
    o1, o2, o3 = st.columns(3)
    with o1:
        spec["label_column"] = _none_or(_select(T.MAP_LABEL_COLUMN, [T.MAP_NONE, *header], p + "label"))
    with o2:
        spec["flag_column"] = _none_or(_select(T.MAP_FLAG_COLUMN, [T.MAP_NONE, *header], p + "flag"))
    with o3:
        spec["aggregate"] = _radio(T.MAP_AGGREGATE, T.MAP_AGGREGATES, p + "aggregate")


def _editor_actions(upload: UploadSession, m: Monitor, spec: dict, missing: list[str]) -> None:
    """ "Vorschau mit dieser Zuordnung" and "Als Profil speichern" (both re-read the file with the mapping)."""
    p = f"map_{file_key(upload)}_"
    preview = st.button(T.MAP_PREVIEW, key=p + "preview", type="primary", icon=":material/preview:")
    b1, b2, b3 = st.columns([2, 3, 2], vertical_alignment="bottom")
    name = b1.text_input(T.MAP_NAME, key=p + "name", help=T.MAP_NAME_HELP)
    b2.text_input(T.MAP_TITLE_FIELD, key=p + "title")
    save = b3.button(T.MAP_SAVE, key=p + "save", icon=":material/save:")
    if not (preview or save):
        return
    if missing:
        st.warning(missing[0], icon=":material/warning:")
        return
    if save and not name.strip():
        st.warning(T.MAP_NEED_NAME, icon=":material/warning:")
        return
    if save:
        spec["name"] = name.strip()
    try:
        checked = api.load_spec(spec)
    except MappingError as exc:
        st.error(T.MAP_INVALID.format(detail=plain(exc)), icon=":material/error:")
        return
    if save:
        try:
            checked = upload.save_profile(checked)
        except Exception as exc:
            fail(T.UPL_ERROR_GENERIC, exc)
            return
        session_slot(OFFERS).clear()
        session_slot(NOTICES)[upload.sha256] = T.MAP_SAVED.format(name=plain(checked.name))
    session_slot(READERS)[upload.sha256] = checked.model_dump(mode="json")
    st.session_state[p + "seeded"] = json.dumps(session_slot(READERS)[upload.sha256], sort_keys=True, default=str)
    rerun_fresh(upload.sha256)


def _parse_codes_safe(text: str, missing: list[str]) -> dict[str, str]:
    try:
        return _parse_codes(text)
    except MappingError as exc:
        missing.append(str(exc))
        return {}


def _dim_value(dim: str, key: str) -> str:
    if dim == "nationality":
        return _select(
            T.MAP_DIM_VALUE.format(dim=DIM_LABELS[dim]),
            list(NATIONALITIES),
            key,
            format_func=lambda c: code_label("nationality", c),
        )
    if dim == "sex":
        return _select(
            T.MAP_DIM_VALUE.format(dim=DIM_LABELS[dim]), list(SEXES), key, format_func=lambda c: code_label("sex", c)
        )
    return (
        st.text_input(T.MAP_DIM_VALUE.format(dim=DIM_LABELS[dim]), key=_default(key, "insgesamt")).strip()
        or "insgesamt"
    )


def _wide_column(p: str, col: str, variables: list[str], var_label: dict[str, str]) -> dict:
    """Variable and breakdown of one value column (wide layout)."""
    key = p + f"w_{col}_"
    c0, c1, c2, c3, c4, c5 = st.columns([2, 3, 2, 2, 2, 2])
    c0.markdown(f"**{plain(col)}**")
    with c1:
        variable = _select(T.MAP_VARIABLE, variables, key + "var", format_func=var_label.get)
    dims = {}
    for dim, c in zip(DIMENSIONS, (c2, c3, c4, c5)):
        with c:
            if dim in ("nationality", "sex"):
                value = _select(
                    DIM_LABELS[dim],
                    list(NATIONALITIES if dim == "nationality" else SEXES),
                    key + dim,
                    format_func=lambda c, dim=dim: code_label(dim, c),
                )
            else:
                value = st.text_input(DIM_LABELS[dim], key=_default(key + dim, "insgesamt")).strip() or "insgesamt"
        if value != "insgesamt":
            dims[dim] = value
    return {"column": col, "variable": variable, "dimensions": dims}


def _grid_view(rows: list[list[object]], header_row: int) -> None:
    start = max(0, header_row - 4)
    part = rows[start : start + GRID_ROWS]
    width = max((len(r) for r in part), default=0)
    frame = pd.DataFrame(
        [[cell_text(v) for v in r] + [""] * (width - len(r)) for r in part],
        columns=[column_letter(j) for j in range(width)],
        index=[str(start + i + 1) for i in range(len(part))],
    )
    styled = frame.style.apply(
        lambda r: ["background-color: #fff3c4; font-weight: 700" if r.name == str(header_row) else "" for _ in r],
        axis=1,
    )
    st.caption(T.MAP_GRID)
    st.dataframe(styled, width="stretch")
