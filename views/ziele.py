"""Ziele: targets for the indicators, set and changed by the Stabsstelle, with the full history."""

import json

import pandas as pd
import streamlit as st

from indicators import auth, errors, progress, targets, texts, wording
from indicators.fmt import (
    NumberError,
    change_unit,
    decimals_for,
    fmt_date,
    fmt_exact,
    fmt_input,
    fmt_value,
    parse_number,
)
from ui.components import address_value, plain
from ui.signin import can, read_only_hint
from ui.state import clear_caches, data_version, get_monitor, statuses

m = get_monitor()
cat = m.catalog
status, _ = statuses(data_version(m))
params = st.query_params

st.title(texts.PAGE_TARGETS)
st.caption(texts.TARGETS_INTRO)

judged = [i for i in cat.indicators.values() if i.direction != "context"]
overview = pd.DataFrame(
    {
        "Handlungsfeld": [cat.fields[i.field].short or cat.fields[i.field].name for i in judged],
        "Indikator": [i.name for i in judged],
        "Neuester Wert": [
            f"{fmt_value(status[i.id].latest[1], i.unit)} ({status[i.id].latest[0]})" if status[i.id].latest else "–"
            for i in judged
        ],
        "Ziel": [
            f"{fmt_exact(status[i.id].target.target_value, i.unit)} bis {status[i.id].target.target_year}"
            if status[i.id].target
            else "–"
            for i in judged
        ],
        "Methode": [wording.METHOD_LABELS[status[i.id].method] for i in judged],
        "Bewertung": [f"{status[i.id].verdict.symbol} {status[i.id].verdict.label}" for i in judged],
    }
)
# a static table: every column fits and wraps at 1280 px and on a projector (the grid cut Methode and Bewertung)
st.table(overview.set_index("Handlungsfeld"))


def show_history() -> None:
    """Every target change (read by every role)."""
    st.subheader(texts.TARGET_HISTORY)
    hist = targets.target_history(m.store)
    if hist.empty:
        st.info("Noch keine Zieländerungen.")
    else:

        def _short(raw: str | None) -> str:
            if not isinstance(raw, str) or not raw:  # None, or NaN under pandas 3 when the column also holds text
                return "–"
            d = json.loads(raw)
            i = cat.indicators.get(d["indicator"])
            unit = i.unit if i else ""
            return f"{fmt_exact(d['target_value'], unit)} bis {d['target_year']}"

        st.dataframe(
            pd.DataFrame(
                {
                    "Zeitpunkt": [fmt_date(t.to_pydatetime(), with_time=True) for t in hist["changed_at"]],
                    "Indikator": [cat.indicators[i].name if i in cat.indicators else i for i in hist["indicator"]],
                    "Alt": [_short(o) for o in hist["old"]],
                    "Neu": [_short(n) for n in hist["new"]],
                    "Begründung": hist["reason"].fillna(""),
                    "Von": hist["changed_by"],
                }
            ),
            hide_index=True,
            width="stretch",
            # issue 25: at 1280 px the Begründung was beyond the right edge
            column_config={
                "Zeitpunkt": st.column_config.Column(width=150),
                "Indikator": st.column_config.Column(width=180),
                "Alt": st.column_config.Column(width=110),
                "Neu": st.column_config.Column(width=110),
                "Begründung": st.column_config.Column(width=160),
                "Von": st.column_config.Column(width=75),
            },
        )


if not can(auth.TARGETS):  # issue 11: Betrachter read only (the core refuses anyway)
    st.caption(read_only_hint())
    show_history()
    st.stop()

st.subheader(texts.TARGET_EDIT)
ids = [i.id for i in judged]
wanted = params.get("id")
ind_id = st.selectbox(
    texts.INDICATOR_SELECT,
    ids,
    index=ids.index(wanted) if wanted in ids else 0,
    format_func=lambda i: cat.indicators[i].name,
    key="target_indicator",
)
if wanted is not None and wanted not in ids:
    shown = cat.indicators[ind_id].name
    st.warning(
        (
            texts.LINK_NO_TARGET.format(name=cat.indicators[wanted].name, shown=shown)
            if wanted in cat.indicators
            else texts.LINK_UNKNOWN_INDICATOR.format(value=address_value(wanted), shown=shown)
        ),
        icon=":material/link_off:",
    )
params["id"] = ind_id
ind = cat.indicators[ind_id]
current = status[ind_id].target
series = status[ind_id].series
years_with_value = [y for y, v in sorted(series.items()) if v is not None]
default_method = progress.default_method(ind.direction, ind.unit, [v for v in series.values() if v is not None])
st.caption(
    f"Einheit: {ind.unit} · {texts.DIRECTION_TEXT[ind.direction]} · Vorgeschlagene Methode: "
    f"{wording.METHOD_LABELS[default_method]}"
)

methods = ["auto", *progress.METHODS]
suggested = (
    current.target_value
    if current
    else (0.0 if ind.direction == "zero" else series[years_with_value[-1]] if years_with_value else None)
)
far_off_key, confirm_key = f"target_far_off_{ind_id}", f"target_confirm_{ind_id}"
pending = st.session_state.get(far_off_key)  # warnings of the last attempt, shown until confirmed or changed
if notice := st.session_state.pop("target_notice", None):
    st.success(notice, icon=":material/check_circle:")
# default tolerances in the indicator's own steps: half a point of a share, but not half a person or half a day
tol_default = (0.5, 1.5) if decimals_for(ind.unit) else (1.0, 2.0)
with st.form(f"target_form_{auth.current_tenant()}_{ind_id}"):  # (unkeyed fields: per Kreis too)
    c1, c2, c3 = st.columns(3)
    # text, not st.number_input: that one reads "30,5" as 305 and shows "57.40"; German numbers via parse_number
    value_text = c1.text_input(
        f"Zielwert ({ind.unit})",
        value=fmt_input(suggested),
        key=f"target_value_{ind_id}",
        help=texts.NUMBER_HELP,
        placeholder="z. B. 30,5",
    )
    try:
        value: float | None = parse_number(value_text, "Zielwert")
    except NumberError:
        value = suggested
    year = c2.number_input(
        "Zieljahr", min_value=2000, max_value=2100, value=current.target_year if current else 2030, step=1
    )
    base = c3.number_input(
        "Basisjahr",
        min_value=1990,
        max_value=2100,
        value=current.baseline_year if current and current.baseline_year else m.settings.base_year,
        step=1,
        help=texts.BASE_YEAR_HELP.format(year=m.settings.base_year),
    )
    c4, c5, c6 = st.columns(3)
    method = c4.selectbox(
        "Methode",
        methods,
        index=methods.index(current.method) if current and current.method else 0,
        format_func=lambda x: (
            "automatisch (" + wording.METHOD_LABELS[default_method] + ")" if x == "auto" else wording.METHOD_LABELS[x]
        ),
    )
    tol_text = c5.text_input(
        f"Toleranz Sollpfad ({change_unit(ind.unit)})",
        key=f"target_tolerance_{ind_id}",
        help=texts.NUMBER_HELP,
        value=fmt_input(current.tolerance if current and current.tolerance is not None else tol_default[0]),
    )
    tol2_text = c6.text_input(
        f"zweite Toleranz ({change_unit(ind.unit)})",
        key=f"target_tolerance2_{ind_id}",
        help=texts.NUMBER_HELP,
        value=fmt_input(current.tolerance2 if current and current.tolerance2 is not None else tol_default[1]),
    )
    use_path = st.checkbox("Eigenen Sollpfad (Meilensteine je Jahr) verwenden", value=bool(current and current.path))
    if current and current.path:
        path_df = pd.DataFrame({"Jahr": list(current.path), "Soll": [fmt_input(v) for v in current.path.values()]})
    else:
        start_value = series.get(int(base))
        lp = (
            progress.linear_path(int(base), start_value, int(year), float(value))
            if start_value is not None and value is not None and base < year
            else {}
        )
        path_df = pd.DataFrame(
            {"Jahr": list(lp), "Soll": [fmt_input(round(v, decimals_for(ind.unit))) for v in lp.values()]}
        )
    path_df["Soll"] = path_df["Soll"].astype(object)  # typed text, read by parse_number
    edited = st.data_editor(
        path_df,
        num_rows="dynamic",
        hide_index=True,
        key=f"path_{ind_id}",
        column_config={
            "Jahr": st.column_config.NumberColumn("Jahr", format="%d", step=1),
            "Soll": st.column_config.TextColumn(f"Soll ({ind.unit})", help=texts.TARGET_PATH_HELP),
        },
    )
    # no max_chars: the browser would drop a longer pasted text without a word; validate_target checks the length
    reason = st.text_input(texts.TARGET_REASON.format(n=targets.REASON_MAX_CHARS))
    confirmed = False
    if pending:
        st.warning("\n\n".join([*pending, texts.TARGET_FAR_OFF]), icon=":material/warning:")
        confirmed = st.checkbox(texts.TARGET_CONFIRM, key=confirm_key)
    submitted = st.form_submit_button("Ziel speichern", type="primary", icon=":material/flag:")


def _typed_target() -> targets.Target:
    """The form's entries as a target; NumberError/TargetError name the field that cannot be read."""
    path = targets.parse_path(zip(edited["Jahr"], edited["Soll"])) if use_path else {}
    return targets.Target(
        indicator=ind_id,
        target_value=parse_number(value_text, "Zielwert"),
        target_year=int(year),
        baseline_year=int(base),
        method=None if method == "auto" else method,
        tolerance=parse_number(tol_text, "Toleranz", required=False),
        tolerance2=parse_number(tol2_text, "zweite Toleranz", required=False),
        path=path,
        reason=reason.strip() or None,
    )


if submitted:
    try:
        t = _typed_target()
        if current and not reason.strip():
            raise targets.TargetError(texts.TARGET_NEED_REASON)
        targets.validate_target(t, cat)
    except (NumberError, targets.TargetError) as exc:
        st.error(plain(exc))  # the message quotes what was typed: shown as written, never as Markdown
    else:
        warnings = targets.far_off(t, cat, series)
        if warnings and not (confirmed and warnings == pending):
            st.session_state[far_off_key] = warnings  # ask first: the form shows them with a confirmation
            st.session_state.pop(confirm_key, None)
            st.rerun()
        try:
            targets.set_target(m.store, cat, t, m.settings.user)
        except targets.TargetError as exc:
            st.error(plain(exc))
        except Exception as exc:  # one transaction: nothing was saved
            st.error(texts.TARGET_SAVE_FAILED.format(detail=errors.report(exc, "Ziel speichern")))
        else:
            st.session_state.pop(far_off_key, None)
            st.session_state.pop(confirm_key, None)
            for typed in ("target_value", "target_tolerance", "target_tolerance2"):  # shown again as saved: 30,5
                st.session_state.pop(f"{typed}_{ind_id}", None)
            clear_caches()
            st.session_state["target_notice"] = texts.TARGET_SAVED.format(
                name=ind.name, value=fmt_exact(t.target_value, ind.unit), year=t.target_year
            )
            st.rerun()
if current:
    with st.expander("Ziel löschen"):
        why = st.text_input(texts.TARGET_DELETE_REASON, key="delete_reason")
        sure_del = st.checkbox(texts.TARGET_DELETE_SURE, key=f"delete_target_sure_{ind_id}")  # asks first (issue 11)
        if st.button(
            "Ziel löschen", disabled=not (why.strip() and sure_del), key="delete_target", icon=":material/delete:"
        ):
            targets.delete_target(m.store, ind_id, m.settings.user, why.strip())
            clear_caches()
            st.rerun()

show_history()
