"""Widget groups of the page "Daten und Upload": reading with progress, the preview of each file,
unknown regions, the diff before and after the commit, the mapping editor, the history and the profiles.

Only calls into the core (``indicators``): no SQL here, and the file's cells (for the mapping editor) come
from the core's readers. Every core call that can fail is caught and shown as a German message (never a
traceback).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from indicators import errors
from indicators.catalog import DIMENSIONS, NATIONALITIES, SEXES
from indicators.fmt import fmt_date, fmt_int, fmt_num, is_missing
from indicators.ingest import diff as idiff
from indicators.ingest import pipeline
from indicators.ingest.base import ParsedFile, RawFile, RejectFile
from indicators.ingest.files import (
    SPREADSHEET_EXT, column_letter, read_sheets, read_text_table, release_parse_cache, return_free_memory,
)
from indicators.ingest.sources import mapping
from indicators.ingest.sources.common import DIM_LABELS, MappingError, cell_text, region_level
from indicators.service import Monitor, archived_original
from ui import texts as T
from ui.components import plain
from ui.state import clear_caches, data_version, history_diff, region_names


#: session-state slots (dicts keyed by the file's SHA-256)
RAWS, PREVIEWS, READERS, RESULTS, OFFERS, NOTICES, DIFFS = (
    "upl_raws", "upl_previews", "upl_readers", "upl_results", "upl_offers", "upl_notices", "upl_diffs")
SAMPLE_ROWS = 10
ALL_ROWS = 500
MAX_REGIONS = 100
GRID_ROWS = 12
MAX_WIDE = 40


def _slot(name: str) -> dict:
    return st.session_state.setdefault(name, {})


def _k(raw: RawFile) -> str:
    """Short widget key of a file (stable across reruns)."""
    return raw.sha256[:12]


def fail(template: str, exc: BaseException, what: str = "Seite Daten und Upload") -> None:
    """Show a failed action in German (``template`` with ``{detail}``); unexpected errors go to the log as ``what``."""
    st.error(template.format(detail=plain(errors.report(exc, what))), icon=":material/error:")


def guarded(section, *args) -> None:
    """Draw a section; an unexpected error shows a German message instead of a traceback (Streamlit's
    rerun/stop signals are BaseExceptions and pass through)."""
    try:
        section(*args)
    except Exception as exc:
        detail = errors.report(exc, f"Abschnitt {getattr(section, '__name__', section)}")
        st.error(T.UPL_SECTION_FAILED.format(detail=plain(detail)), icon=":material/error:")


def forget_upload(raw: RawFile, keep_cells: bool = False) -> None:
    """Free what the session holds of a file that is done (taken over, rejected for good, or removed from the
    uploader): the parsed sheets and the decoded text, and after the commit its bytes too (the name and the
    checksum stay for the result panel; Streamlit's uploader keeps its own copy until the file is removed). The
    freed memory goes back to the operating system: eight 49 MB uploads kept about 400 MB after their sessions."""
    if not keep_cells:
        release_parse_cache(raw)
    if raw.content:
        _ = raw.sha256  # computed before the bytes go
        raw.content = b""
    _slot(DIFFS).pop(raw.sha256, None)
    return_free_memory()


def _rerun_fresh(sha: str) -> None:
    """Forget the preview of a file so that it is read and checked again, then rerun."""
    _slot(PREVIEWS).pop(sha, None)
    st.rerun()


# -- formatting --------------------------------------------------------------------------------------
def num_text(v: object) -> str:
    """A value as written here, with as many decimals as it has (up to 4): 12.345 · 14,85."""
    if is_missing(v):
        return "–"
    x = float(v)
    decimals = len(f"{x:.4f}".rstrip("0").split(".")[1]) if not x.is_integer() else 0
    return fmt_num(x, decimals)


def value_text(v: object, flag: object) -> str:
    s = num_text(v)
    if isinstance(flag, str) and flag:
        s = f"{s} ({flag})" if s != "–" else f"– ({flag})"
    return s


def _when(t: object) -> str:
    if t is None or (isinstance(t, float) and pd.isna(t)) or t is pd.NaT:
        return "–"
    ts = pd.Timestamp(t)
    return "–" if pd.isna(ts) else fmt_date(ts.to_pydatetime(), with_time=True)


def _region_names(m: Monitor, parsed: ParsedFile | None = None) -> dict[str, str]:
    names = region_names(data_version(m))
    if parsed is not None:
        names = {**parsed.region_names, **names}
    return names


def _breakdown(rec: dict) -> str:
    parts = [str(rec[d]) for d in DIMENSIONS if rec.get(d) not in (None, "insgesamt") and not pd.isna(rec.get(d))]
    return " · ".join(parts) or T.BREAKDOWN_TOTAL


def changes_view(changes: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The rows of a :class:`indicators.ingest.diff.Diff` for the table: German labels, values as text."""
    c = T.DIFF_COLUMNS
    rows = []
    for rec in changes.to_dict("records"):
        region = str(rec["region"])
        rows.append({
            c["change"]: T.DIFF_KINDS.get(rec["change"], rec["change"]),
            c["variable"]: rec["variable"],
            c["region"]: f"{region} {names.get(region, '')}".strip(),
            c["year"]: str(int(rec["year"])) if not pd.isna(rec["year"]) else "–",
            c["breakdown"]: _breakdown(rec),
            c["old"]: value_text(rec["old_value"], rec["old_flag"]) if rec["change"] != "neu" else "",
            c["new"]: value_text(rec["new_value"], rec["new_flag"]),
        })
    return pd.DataFrame(rows, columns=list(c.values()))


def format_labels() -> dict[str, str]:
    """Format code -> German label of every reader (for the history)."""
    labels = {r.format: r.label for r in pipeline.readers()}
    labels[mapping.FORMAT] = mapping.LABEL
    labels.setdefault("unbekannt", "nicht erkannt")
    return labels


# -- reading with progress ---------------------------------------------------------------------------
def current_files(uploaded: list) -> list[RawFile]:
    """The uploader's files as RawFile (kept in the session, so that a file is read once), duplicates
    shown once; state of files no longer in the uploader is forgotten."""
    raws = _slot(RAWS)
    out: list[RawFile] = []
    seen: dict[str, str] = {}
    for f in uploaded or []:
        content = f.getvalue()
        sha = hashlib.sha256(content).hexdigest()
        if sha in seen:
            st.info(T.UPL_DUPLICATE_IN_BATCH.format(name=plain(f.name), first=plain(seen[sha])), icon=":material/content_copy:")
            continue
        seen[sha] = f.name
        if sha not in raws or raws[sha].name != f.name:
            raws[sha] = RawFile(f.name, content)
        out.append(raws[sha])
    gone = [raws[s] for s in raws if s not in seen]
    for name in (RAWS, PREVIEWS, READERS, RESULTS, OFFERS, NOTICES, DIFFS):
        slot = _slot(name)
        for sha in [s for s in slot if s not in seen]:
            del slot[sha]
    for raw in gone:  # removed from the uploader: nothing of it stays
        forget_upload(raw)
    return out


def read_files(raws: list[RawFile], m: Monitor) -> dict[str, ParsedFile]:
    """Read and check every file not yet previewed, with a progress bar and a status per file."""
    previews = _slot(PREVIEWS)
    todo = [r for r in raws if r.sha256 not in previews and r.sha256 not in _slot(RESULTS)]
    if todo:
        # progress by bytes (a large file weighs more than a small one); reading is most of a file's time
        total, done, n = sum(max(r.size, 1) for r in todo), 0, len(todo)
        bar = st.progress(0.0, text=T.UPL_PROGRESS.format(i=1, n=n, name=plain(todo[0].name)))
        for i, raw in enumerate(todo):
            size = max(raw.size, 1)
            bar.progress(done / total, text=T.UPL_PROGRESS.format(i=i + 1, n=n, name=plain(raw.name)))

            def checking(_parsed: ParsedFile, i: int = i, name: str = raw.name,
                         at: float = (done + 0.7 * size) / total) -> None:
                bar.progress(min(at, 1.0), text=T.UPL_PROGRESS_CHECKING.format(i=i + 1, n=n, name=plain(name)))

            previews[raw.sha256] = parsed = _read_one(raw, m, checking)
            if not (parsed.format == "unbekannt" and parsed.table_found) and raw.sha256 not in _slot(READERS):
                release_parse_cache(raw)  # the cells are read; only a column mapping reads them again (once)
            done += size
        bar.progress(1.0, text=T.UPL_PROGRESS_DONE.format(n=n))
    return {r.sha256: previews[r.sha256] for r in raws if r.sha256 in previews}


def _read_one(raw: RawFile, m: Monitor, on_read: Callable[[ParsedFile], None]) -> ParsedFile:
    spec = _slot(READERS).get(raw.sha256)
    status = st.status(T.UPL_STATUS_READING.format(name=plain(raw.name)), expanded=False)
    try:
        reader = mapping.MappingReader(spec) if spec else None
    except MappingError as exc:  # a stored profile that no longer validates
        _slot(READERS).pop(raw.sha256, None)
        status.write(plain(exc))
        reader = None

    def read_done(parsed: ParsedFile) -> None:
        rows = fmt_int(len(parsed.data))
        status.update(label=T.UPL_STATUS_READ.format(name=plain(raw.name), rows=rows))
        status.write(T.UPL_STATUS_STEP_READ.format(format=parsed.format_label, rows=rows))
        on_read(parsed)

    # never raises for bad input; the page offers matching profiles itself
    parsed = pipeline.preview(raw, m.store, m.catalog, m.settings, reader, on_read=read_done, offer_profile=False)
    n_err, n_warn, rows = len(parsed.errors), len(parsed.warnings), fmt_int(len(parsed.data))
    status.write(T.UPL_STATUS_STEP_CHECKED.format(errors=n_err, warnings=n_warn))
    status.update(label=T.UPL_STATUS_CHECKED.format(name=plain(raw.name), rows=rows, errors=n_err, warnings=n_warn),
                  state="error" if n_err else "complete")
    return parsed


# -- one file ----------------------------------------------------------------------------------------
def file_panel(raw: RawFile, parsed: ParsedFile | None, m: Monitor) -> None:
    """Everything about one uploaded file: preview, problems, regions, mapping, diff, confirmation."""
    sha = raw.sha256
    result = _slot(RESULTS).get(sha)
    with st.container(border=True):
        if result is not None:
            _result_block(raw, result, m)
            return
        if parsed is None:
            return
        badge = (T.UPL_BADGE_ERR.format(n=len(parsed.errors)) if parsed.errors else
                 T.UPL_BADGE_WARN.format(n=len(parsed.warnings)) if parsed.warnings else T.UPL_BADGE_OK)
        st.markdown(f"#### {plain(raw.name)} &nbsp; {badge}")
        notice = _slot(NOTICES).pop(sha, None)
        if notice:
            st.success(notice, icon=":material/check_circle:")
        existing = m.store.active_upload_with_checksum(sha)
        if existing is not None:
            st.info(T.UPL_ALREADY.format(id=existing["id"], when=_when(existing["uploaded_at"])), icon=":material/info:")
        _format_block(parsed)
        _facts(parsed, m)
        _problems(parsed)
        _unknown_regions(raw, parsed, m)
        _assumptions(parsed)
        _sample(parsed, m)
        if parsed.table_found:  # a file without a table (empty, encrypted, …) has nothing to map
            _mapping_section(raw, parsed, m)
        if parsed.ok:
            _diff_and_confirm(raw, parsed, m)


def _unrecognised(parsed: ParsedFile) -> bool:
    """A table that no format recognised (the column mapping can read it)."""
    return parsed.format == "unbekannt" and parsed.table_found and parsed.format_label == pipeline.UNRECOGNISED


def _format_block(parsed: ParsedFile) -> None:
    if not parsed.table_found:  # the one reason follows as the error
        st.markdown(T.UPL_FORMAT_NO_TABLE)
        return
    if _unrecognised(parsed):
        st.markdown(T.UPL_FORMAT_UNKNOWN)
    else:
        st.markdown(T.UPL_FORMAT.format(label=parsed.format_label))
    if parsed.reasoning:
        st.caption(T.UPL_REASONING.format(text=plain(parsed.reasoning)))


def _listing(items: list[str], limit: int = 12) -> str:
    more = T.UPL_MORE.format(n=len(items) - limit) if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def _facts(parsed: ParsedFile, m: Monitor) -> None:
    d = parsed.data
    if d.empty:
        return
    summary = parsed.summary()
    c1, c2, c3, c4 = st.columns(4)
    variables = sorted(d["variable"].dropna().astype(str).unique())
    regions = sorted(d["region"].dropna().astype(str).unique(), key=lambda k: (len(k), k))
    years = sorted(int(y) for y in d["year"].dropna().unique())
    c1.metric(T.UPL_FACT_ROWS, fmt_int(len(d)))
    c2.metric(T.UPL_FACT_YEARS, str(summary["Jahre"]))
    c3.metric(T.UPL_FACT_REGIONS, fmt_int(len(regions)))
    c4.metric(T.UPL_FACT_VARIABLES, fmt_int(len(variables)))
    names = _region_names(m, parsed)
    var_names = {v.id: v.name for v in m.catalog.variables.values()}
    st.markdown(T.UPL_VARIABLES.format(items=_listing([plain(f"{v} {var_names.get(v, '')}".strip()) for v in variables])))
    st.markdown(T.UPL_REGIONS.format(items=_listing([plain(f"{k} {names.get(k, '')}".strip()) for k in regions])))
    if len(years) > 1:
        st.markdown(T.UPL_YEARS.format(items=_listing([str(y) for y in years], 30)))


def _assumptions(parsed: ParsedFile) -> None:
    shown = {k: v for k, v in parsed.assumptions.items() if k not in ("Format", "Erkannt, weil")}
    if not shown:
        return
    with st.expander(T.UPL_ASSUMPTIONS, expanded=True):
        st.table(pd.DataFrame({T.UPL_ASSUMPTION_COL: list(shown), T.UPL_ASSUMPTION_VALUE: [plain(v) for v in shown.values()]})
                 .set_index(T.UPL_ASSUMPTION_COL))


def problems_frame(parsed: ParsedFile) -> pd.DataFrame:
    """The problem list as the page shows it: Art, Blatt, Zeile, Spalte, Meldung (errors first)."""
    c = T.PROBLEM_COLUMNS
    ordered = sorted(parsed.problems, key=lambda p: p.severity != "fehler")
    return pd.DataFrame([{c["Art"]: T.SEVERITY.get(p.severity, p.severity), c["Blatt"]: p.sheet or "",
                          c["Zeile"]: str(p.row) if p.row is not None else "", c["Spalte"]: p.column or "",
                          c["Meldung"]: p.message} for p in ordered], columns=list(c.values()))


def _problems(parsed: ParsedFile) -> None:
    if not parsed.table_found:  # one reason, with the file's name (and row, where there is one)
        reason = " ".join(p.text() for p in parsed.errors)
        st.error(T.UPL_NOT_READABLE.format(reason=plain(reason)), icon=":material/block:")
        return
    if parsed.errors:
        st.error(T.UPL_ERRORS.format(n=len(parsed.errors)), icon=":material/block:")
    elif parsed.warnings:
        st.warning(T.UPL_WARNINGS.format(n=len(parsed.warnings)), icon=":material/warning:")
    if parsed.problems:
        st.markdown(f"##### {T.UPL_PROBLEMS_TITLE}")
        problems_table(problems_frame(parsed))


def problems_table(frame: pd.DataFrame) -> None:
    """A static table that wraps long messages; scrolls when there are many problems."""
    shown = frame.map(plain)  # st.table reads Markdown in its cells
    st.table(shown, hide_index=True, height="content" if len(frame) <= 12 else 480)


def _values_view(d: pd.DataFrame) -> pd.DataFrame:
    view = d.astype({c: object for c in d.columns if isinstance(d[c].dtype, pd.CategoricalDtype)})  # codes → text
    view["value"] = [value_text(v, None) for v in view["value"]]
    view["ref_date"] = [fmt_date(x) if isinstance(x, dt.date) else "" for x in view["ref_date"]]
    view["source_row"] = [str(int(x)) if not pd.isna(x) else "" for x in view["source_row"]]
    view["year"] = [str(int(x)) if not pd.isna(x) else "" for x in view["year"]]
    view = view.fillna("")
    return view[[c for c in T.OBS_LABELS if c in view.columns]].rename(columns=T.OBS_LABELS)


def _sample(parsed: ParsedFile, m: Monitor) -> None:
    d = parsed.data
    if d.empty:
        return
    st.markdown("##### " + T.UPL_SAMPLE.format(shown=fmt_int(min(SAMPLE_ROWS, len(d))), total=fmt_int(len(d))))
    st.dataframe(_values_view(d.head(SAMPLE_ROWS)), hide_index=True, width="stretch")
    if len(d) > SAMPLE_ROWS:
        with st.expander(T.UPL_SAMPLE_ALL.format(n=fmt_int(ALL_ROWS))):
            st.dataframe(_values_view(d.head(ALL_ROWS)), hide_index=True, width="stretch")


def _diff_and_confirm(raw: RawFile, parsed: ParsedFile, m: Monitor) -> None:
    st.markdown(f"##### {T.UPL_DIFF_TITLE}")
    try:
        d = _current_diff(raw, parsed, m)
    except Exception as exc:
        fail(T.UPL_ERROR_GENERIC, exc)
        return
    _diff_counts(d.counts)
    if d.counts["geändert"]:
        st.caption(T.UPL_DIFF_CHANGED.format(shown=fmt_int(d.shown), total=fmt_int(d.counts["geändert"])))
        st.dataframe(changes_view(d.changes, _region_names(m, parsed)), hide_index=True, width="stretch")
    else:
        st.caption(T.UPL_DIFF_NONE_CHANGED)
    if st.button(T.UPLOAD_BUTTON, key=f"commit_{_k(raw)}", type="primary", icon=":material/check:"):
        with st.spinner(T.UPL_COMMITTING):
            try:
                result = pipeline.commit(parsed, m.store, m.catalog, m.settings, m.settings.user, diff=d.counts)
            except Exception as exc:  # the transaction has rolled back; nothing is half-written
                fail(T.UPL_COMMIT_FAILED, exc)
                return
        _slot(RESULTS)[raw.sha256] = {"result": result, "changes": d.changes, "changed": d.counts["geändert"]}
        _slot(PREVIEWS).pop(raw.sha256, None)
        if result.status == "importiert":
            forget_upload(raw)  # the preview, its cells and the bytes are no longer needed
        if result.upload_id is not None:  # the history shows the new (or the existing) upload
            st.session_state["history_pick"] = result.upload_id
        clear_caches()
        st.rerun()


def _current_diff(raw: RawFile, parsed: ParsedFile, m: Monitor) -> idiff.Diff:
    """The diff against the current state, computed again only when the data changed (commit, rollback)."""
    key = (raw.sha256, id(parsed), m.store.version())
    cache = _slot(DIFFS)
    if cache.get(raw.sha256, (None,))[0] != key:
        cache[raw.sha256] = (key, idiff.changed_against_current(parsed.data, m.store, include_new=False))
    return cache[raw.sha256][1]


def _diff_counts(counts: dict[str, int]) -> None:
    st.markdown(T.UPL_DIFF_COUNTS.format(neu=fmt_int(counts.get("neu", 0)), changed=fmt_int(counts.get("geändert", 0)),
                                         same=fmt_int(counts.get("unverändert", 0))))


def _result_block(raw: RawFile, entry: dict, m: Monitor) -> None:
    result: pipeline.ImportResult = entry["result"]
    if result.status == "importiert":
        st.markdown(f"#### {plain(raw.name)} &nbsp; {T.UPL_BADGE_DONE.format(id=result.upload_id)}")
        st.success(T.UPL_SUCCESS.format(name=plain(raw.name), rows=fmt_int(result.rows), id=result.upload_id),
                   icon=":material/check_circle:")
        if result.diff:
            st.markdown(T.UPL_RESULT_DIFF)
            _diff_counts(result.diff)
        changes = entry.get("changes")
        if changes is not None and len(changes):
            st.caption(T.UPL_DIFF_CHANGED.format(shown=fmt_int(len(changes)), total=fmt_int(entry.get("changed", 0))))
            st.dataframe(changes_view(changes, _region_names(m)), hide_index=True, width="stretch")
        st.caption(T.UPL_SEE_HISTORY)
        return
    st.markdown(f"#### {plain(raw.name)}")
    if result.status == "bereits_vorhanden":
        st.warning(plain(" ".join(w.message for w in result.warnings[-1:])), icon=":material/content_copy:")
    else:
        reason = "; ".join(e.message for e in result.errors[:3])
        st.error(T.UPL_REJECTED.format(name=plain(raw.name), reason=plain(reason)), icon=":material/block:")
    if st.button(T.UPL_RECHECK, key=f"recheck_{_k(raw)}", icon=":material/refresh:"):
        _slot(RESULTS).pop(raw.sha256, None)
        _rerun_fresh(raw.sha256)


# -- unknown regions ---------------------------------------------------------------------------------
def _unknown_regions(raw: RawFile, parsed: ParsedFile, m: Monitor) -> None:
    keys = parsed.unknown_regions  # found by the validation
    if not keys:
        return
    k = _k(raw)
    st.markdown(f"##### {T.UPL_REGIONS_TITLE}")
    st.caption(T.UPL_REGIONS_HELP)
    chosen = []
    cols = st.columns(3)
    for i, key in enumerate(keys[:MAX_REGIONS]):
        name = parsed.region_names.get(key) or T.UPL_REGIONS_NO_NAME
        label = T.UPL_REGIONS_ROW.format(key=plain(key), name=plain(name), level=region_level(key))
        if cols[i % 3].checkbox(label, value=True, key=f"region_{k}_{key}"):
            chosen.append(key)
    if len(keys) > MAX_REGIONS:
        st.caption(T.UPL_MORE.format(n=len(keys) - MAX_REGIONS))
    if st.button(T.UPL_REGIONS_BUTTON, key=f"regions_{k}", disabled=not chosen, icon=":material/add_location_alt:"):
        try:
            added = pipeline.add_regions_from_file(parsed, chosen, m.store, m.catalog, m.settings, m.settings.user)
        except Exception as exc:
            fail(T.UPL_REGIONS_FAILED, exc, "Regionen aufnehmen")
            return
        _slot(NOTICES)[raw.sha256] = T.UPL_REGIONS_ADDED.format(n=len(added), keys=plain(", ".join(a["key"] for a in added)))
        _slot(OFFERS).clear()
        clear_caches()
        _rerun_fresh(raw.sha256)


# -- profiles for a file -----------------------------------------------------------------------------
def _offer(raw: RawFile, m: Monitor) -> mapping.ProfileSpec | None:
    offers = _slot(OFFERS)
    if raw.sha256 not in offers:
        try:
            offers[raw.sha256] = mapping.find_profile_for(m.store, raw)
        except Exception:  # an offer is a convenience; never block the page for it
            offers[raw.sha256] = None
    return offers[raw.sha256]


def _apply(raw: RawFile, spec: mapping.ProfileSpec | dict) -> None:
    data = spec.model_dump(mode="json") if isinstance(spec, mapping.ProfileSpec) else spec
    _slot(READERS)[raw.sha256] = data
    st.session_state.pop(f"map_{_k(raw)}_seeded", None)
    _rerun_fresh(raw.sha256)


def _mapping_section(raw: RawFile, parsed: ParsedFile, m: Monitor) -> None:
    k = _k(raw)
    applied = _slot(READERS).get(raw.sha256)
    unknown = _unrecognised(parsed)
    if applied:
        st.info(T.UPL_PROFILE_APPLIED.format(name=plain(applied.get("name", ""))), icon=":material/table_view:")
        if st.button(T.UPL_PROFILE_RESET, key=f"auto_{k}", icon=":material/auto_fix_high:"):
            _slot(READERS).pop(raw.sha256, None)
            _rerun_fresh(raw.sha256)
    elif unknown:
        offer = _offer(raw, m)
        if offer is not None:
            title = f" ({plain(offer.title)})" if offer.title else ""
            st.info(T.UPL_PROFILE_OFFER.format(name=plain(offer.name), title=title), icon=":material/lightbulb:")
            if st.button(T.UPL_PROFILE_USE.format(name=plain(offer.name)), key=f"useprofile_{k}", type="primary",
                         icon=":material/table_view:"):
                _apply(raw, offer)
    if not st.toggle(T.UPL_MAPPING_TOGGLE, value=unknown or bool(applied), key=f"maptoggle_{k}"):
        return
    with st.container(border=True):
        _choose_profile(raw, m)
        mapping_editor(raw, parsed, m)


def _choose_profile(raw: RawFile, m: Monitor) -> None:
    try:
        profiles = mapping.list_profiles(m.store)
    except Exception as exc:
        fail(T.UPL_ERROR_GENERIC, exc)
        return
    if not profiles:
        return
    k = _k(raw)
    names = [p["name"] for p in profiles]
    titles = {p["name"]: p["title"] for p in profiles}
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    name = c1.selectbox(T.UPL_PROFILE_CHOOSE, names, key=f"pickprofile_{k}",
                        format_func=lambda n: f"{n} – {titles[n]}" if titles.get(n) else n)
    if c2.button(T.UPL_PROFILE_APPLY, key=f"applyprofile_{k}", icon=":material/table_view:"):
        try:
            spec = mapping.get_profile(m.store, name)
        except MappingError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        if spec is None:
            st.error(T.UPL_PROFILE_NOT_FOUND.format(name=plain(name)), icon=":material/error:")
            return
        _apply(raw, spec)


# -- mapping editor ----------------------------------------------------------------------------------
def _grid(raw: RawFile) -> dict[str | None, list[list[object]]]:
    """The file's cells per sheet (text files: one table under the key None), as read by the core."""
    if raw.extension in SPREADSHEET_EXT:
        return {sh.name: sh.rows for sh in read_sheets(raw)}
    return {None: read_text_table(raw).rows}


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


def _codes_text(codes: dict) -> str:
    return "\n".join(f"{a} = {b}" for a, b in (codes or {}).items())


def _seed(k: str, spec: dict, parsed: ParsedFile) -> None:
    """Fill the editor's widgets from an applied profile (once per applied profile)."""
    ss = st.session_state
    marker = json.dumps(spec, sort_keys=True, default=str)
    if ss.get(f"map_{k}_seeded") == marker:
        return
    ss[f"map_{k}_seeded"] = marker
    p = f"map_{k}_"
    sheet = spec.get("sheet") or str(parsed.assumptions.get("Blatt", "")).split(" (")[0] or None
    values = {
        "sheet": sheet, "header": spec.get("header_row", 1), "decimal": spec.get("decimal", ","),
        "label": spec.get("label_column") or T.MAP_NONE, "name": spec.get("name", ""), "title": spec.get("title", ""),
        "flag": spec.get("flag_column") or T.MAP_NONE, "aggregate": spec.get("aggregate", "none"),
        "region_name": spec.get("region_name_column") or T.MAP_NONE,
    }
    region = spec.get("region") or {}
    values["region_mode"] = "value" if region.get("value") is not None else "column"
    values["region_value"] = str(region.get("value") or "03157")
    values["region_col"] = region.get("column")
    values["region_codes"] = _codes_text(region.get("codes"))
    year = spec.get("year") or {}
    values["year_mode"] = "from_title" if year.get("from_title") else ("value" if year.get("value") is not None else "column")
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
        for n, v in enumerate(spec.get("values", [])):
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
    return st.radio(label, list(options), key=key, format_func=options.get, horizontal=True,
                    label_visibility="collapsed" if titled else "visible")


def _codes(what: str, key: str) -> str:
    return st.text_area(T.MAP_CODES.format(what=what), key=key, height=80, placeholder="Edemissen = 03157001")


def mapping_editor(raw: RawFile, parsed: ParsedFile, m: Monitor) -> None:
    """Define a column mapping (profile) for this file; preview with it; save it as a profile."""
    k = _k(raw)
    p = f"map_{k}_"
    applied = _slot(READERS).get(raw.sha256)
    if applied:
        _seed(k, applied, parsed)
    st.markdown(f"##### {T.MAP_TITLE}")
    st.caption(T.MAP_INTRO)
    try:
        grid = _grid(raw)
    except RejectFile as exc:
        st.error(T.MAP_READ_FAILED.format(detail=plain(exc.problem.message)), icon=":material/error:")
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

    spec: dict = {"name": (st.session_state.get(p + "name") or T.DEFAULT_PROFILE_NAME).strip() or T.DEFAULT_PROFILE_NAME,
                  "title": st.session_state.get(p + "title", ""), "sheet": sheet, "header_row": header_row,
                  "decimal": decimal}
    missing: list[str] = []  # what the user still has to fill in (German), checked before the core validates
    _editor_region_year(p, header, spec, missing)
    _editor_values(p, header, m, spec, missing)
    _editor_options(p, header, spec, missing)
    _editor_actions(raw, m, spec, missing)


def _none_or(value: str) -> str | None:
    return None if value == T.MAP_NONE else value


def _editor_region_year(p: str, header: list[str], spec: dict, missing: list[str]) -> None:
    r1, r2 = st.columns(2)
    with r1:
        st.markdown(f"**{T.MAP_REGION}**")
        if _radio(T.MAP_REGION, T.MAP_REGION_MODES, p + "region_mode", titled=True) == "value":
            spec["region"] = {"value": st.text_input(T.MAP_REGION_VALUE, key=_default(p + "region_value", "03157")).strip()}
        else:
            col = _select(T.MAP_REGION_COLUMN, header, p + "region_col")
            codes = _parse_codes_safe(_codes(T.MAP_CODES_REGION, p + "region_codes"), missing)
            spec["region"] = {"column": col, "codes": codes}
            spec["region_name_column"] = _none_or(_select(T.MAP_REGION_NAME_COLUMN, [T.MAP_NONE, *header], p + "region_name"))
    with r2:
        st.markdown(f"**{T.MAP_YEAR}**")
        mode = _radio(T.MAP_YEAR, T.MAP_YEAR_MODES, p + "year_mode", titled=True)
        if mode == "column":
            spec["year"] = {"column": _select(T.MAP_YEAR_COLUMN, header, p + "year_col")}
        elif mode == "value":
            spec["year"] = {"value": int(st.number_input(
                T.MAP_YEAR_VALUE, min_value=1990, max_value=2100, step=1,
                key=_default(p + "year_value", dt.date.today().year - 1)))}
        else:
            spec["year"] = {"from_title": st.text_input(T.MAP_YEAR_WORD, key=_default(p + "year_word", "Stand")).strip()}


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
                spec["variable"] = {"value": _select(T.MAP_VARIABLE_VALUE, variables, p + "var_value",
                                                     format_func=var_label.get)}
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
        dims = {}
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


def _editor_actions(raw: RawFile, m: Monitor, spec: dict, missing: list[str]) -> None:
    """"Vorschau mit dieser Zuordnung" and "Als Profil speichern" (both re-read the file with the mapping)."""
    p = f"map_{_k(raw)}_"
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
        checked = mapping.load_spec(spec)
    except MappingError as exc:
        st.error(T.MAP_INVALID.format(detail=plain(exc)), icon=":material/error:")
        return
    if save:
        try:
            checked = mapping.save_profile(m.store, checked.name, checked, m.settings.user, raw)
        except Exception as exc:
            fail(T.UPL_ERROR_GENERIC, exc)
            return
        _slot(OFFERS).clear()
        _slot(NOTICES)[raw.sha256] = T.MAP_SAVED.format(name=plain(checked.name))
    _slot(READERS)[raw.sha256] = checked.model_dump(mode="json")
    st.session_state[p + "seeded"] = json.dumps(_slot(READERS)[raw.sha256], sort_keys=True, default=str)
    _rerun_fresh(raw.sha256)


def _parse_codes_safe(text: str, missing: list[str]) -> dict[str, str]:
    try:
        return _parse_codes(text)
    except MappingError as exc:
        missing.append(str(exc))
        return {}


def _dim_value(dim: str, key: str) -> str:
    if dim == "nationality":
        return _select(T.MAP_DIM_VALUE.format(dim=DIM_LABELS[dim]), list(NATIONALITIES), key)
    if dim == "sex":
        return _select(T.MAP_DIM_VALUE.format(dim=DIM_LABELS[dim]), list(SEXES), key)
    return st.text_input(T.MAP_DIM_VALUE.format(dim=DIM_LABELS[dim]), key=_default(key, "insgesamt")).strip() or "insgesamt"


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
                value = _select(DIM_LABELS[dim], list(NATIONALITIES if dim == "nationality" else SEXES), key + dim)
            else:
                value = st.text_input(DIM_LABELS[dim], key=_default(key + dim, "insgesamt")).strip() or "insgesamt"
        if value != "insgesamt":
            dims[dim] = value
    return {"column": col, "variable": variable, "dimensions": dims}


def _grid_view(rows: list[list[object]], header_row: int) -> None:
    start = max(0, header_row - 4)
    part = rows[start:start + GRID_ROWS]
    width = max((len(r) for r in part), default=0)
    frame = pd.DataFrame([[cell_text(v) for v in r] + [""] * (width - len(r)) for r in part],
                         columns=[column_letter(j) for j in range(width)],
                         index=[str(start + i + 1) for i in range(len(part))])
    styled = frame.style.apply(
        lambda r: ["background-color: #fff3c4; font-weight: 700" if r.name == str(header_row) else "" for _ in r], axis=1)
    st.caption(T.MAP_GRID)
    st.dataframe(styled, width="stretch")


# -- history -----------------------------------------------------------------------------------------
def history(m: Monitor) -> None:
    """Table of uploads; details of one; diff to its previous version; original download; rollback."""
    try:
        ups = m.store.uploads()
    except Exception as exc:
        fail(T.UPL_ERROR_GENERIC, exc)
        return
    if ups.empty:
        st.info(T.HIST_EMPTY)
        return
    labels = format_labels()
    c = T.HIST_COLUMNS
    view = pd.DataFrame({
        c["id"]: ups["id"], c["file"]: ups["file_name"], c["format"]: ups["format"].map(lambda f: labels.get(f, f)),
        c["when"]: [_when(t) for t in ups["uploaded_at"]], c["user"]: ups["user_name"],
        c["rows"]: [fmt_int(r) for r in ups["rows"]], c["status"]: ups["status"].map(T.UPLOAD_STATUS),
        c["demo"]: [T.HIST_DEMO_YES if d else "" for d in ups["demo"]], c["sha"]: ups["sha256"].str[:16] + "…",
    })
    st.dataframe(view, hide_index=True, width="stretch")
    by_id = ups.set_index("id")
    choice = st.selectbox(T.HIST_PICK, ups["id"].tolist(), key="history_pick",
                          format_func=lambda i: T.HIST_PICK_FORMAT.format(id=i, file=by_id.loc[i, "file_name"],
                                                                          when=_when(by_id.loc[i, "uploaded_at"])))
    if choice is None:
        return
    up = by_id.loc[choice].to_dict()
    with st.container(border=True):
        _details(int(choice), up, labels)
        _history_diff(int(choice), m)
        _download_and_rollback(int(choice), up, m)


def _details(upload_id: int, up: dict, labels: dict[str, str]) -> None:
    st.markdown(f"#### {T.HIST_DETAILS.format(id=upload_id, file=plain(up['file_name']))}")
    meta = T.HIST_META
    facts = {
        meta["format"]: labels.get(up["format"], up["format"]), meta["when"]: _when(up["uploaded_at"]),
        meta["user"]: up["user_name"], meta["rows"]: fmt_int(up["rows"]),
        meta["size"]: f"{fmt_num((up.get('size_bytes') or 0) / 1024, 1)} KB",
        meta["status"]: T.UPLOAD_STATUS.get(up["status"], up["status"]), meta["sha"]: up["sha256"],
        meta["demo"]: T.HIST_DEMO_YES if up.get("demo") else "nein",
    }
    if up["status"] != "aktiv":
        facts[meta["rolled_back"]] = T.HIST_ROLLED_BACK.format(when=_when(up.get("rolled_back_at")),
                                                              user=up.get("rolled_back_by") or "–")
    left, right = st.columns(2)
    with left:
        st.table(pd.DataFrame({T.HIST_FACT_COL: list(facts), T.UPL_ASSUMPTION_VALUE: [plain(v) for v in facts.values()]})
                 .set_index(T.HIST_FACT_COL))
    with right:
        st.markdown(f"**{T.HIST_ASSUMPTIONS}**")
        try:
            assumptions = json.loads(up.get("assumptions") or "{}")
        except (TypeError, ValueError):
            assumptions = {}
        if assumptions:
            st.table(pd.DataFrame({T.UPL_ASSUMPTION_COL: [plain(k) for k in assumptions],
                                   T.UPL_ASSUMPTION_VALUE: [plain(v) for v in assumptions.values()]})
                     .set_index(T.UPL_ASSUMPTION_COL))
        else:
            st.caption(T.HIST_NO_ASSUMPTIONS)


def _history_diff(upload_id: int, m: Monitor) -> None:
    st.markdown(f"##### {T.HIST_DIFF_TITLE}")
    try:
        d = history_diff(data_version(m), upload_id)
    except Exception as exc:
        fail(T.UPL_ERROR_GENERIC, exc)
        return
    # the same comparison as the preview before the confirmation, against the state just before this upload
    st.caption(T.HIST_DIFF_BASIS.format(uploads=_listing([str(u) for u in d.replaced], 20)) if d.replaced
               else T.HIST_DIFF_BASIS_ALL_NEW)
    _diff_counts(d.counts)
    if d.counts["geändert"]:
        st.caption(T.UPL_DIFF_CHANGED.format(shown=fmt_int(d.shown), total=fmt_int(d.counts["geändert"])))
        st.dataframe(changes_view(d.changes, _region_names(m)), hide_index=True, width="stretch")
    else:
        st.caption(T.HIST_DIFF_NONE_CHANGED)


def _download_and_rollback(upload_id: int, up: dict, m: Monitor) -> None:
    col_a, col_b = st.columns(2)
    with col_a:
        def original() -> bytes:  # read only when the button is clicked
            found = archived_original(m, upload_id)
            return found[1] if found is not None else b""

        available = bool(up.get("archive_path")) and Path(str(up["archive_path"])).exists()
        st.download_button(T.HIST_DOWNLOAD, original, file_name=up["file_name"], icon=":material/download:",
                           key="download_original", on_click="ignore", disabled=not available)
        if not available:
            st.caption(T.HIST_ARCHIVE_MISSING)
    with col_b:
        if up["status"] != "aktiv":
            st.caption(T.HIST_NOT_ACTIVE)
            return
        sure = st.checkbox(T.HIST_ROLLBACK_SURE.format(id=upload_id), key=f"rollback_sure_{upload_id}",
                           help=T.HIST_ROLLBACK_HELP)
        if st.button(T.HIST_ROLLBACK, disabled=not sure, icon=":material/undo:", key="rollback_btn"):
            try:
                pipeline.rollback(upload_id, m.store, m.catalog, m.settings, m.settings.user)
            except Exception as exc:
                fail(T.HIST_ROLLBACK_FAILED, exc, f"Rücknahme von Upload {upload_id}")
                return
            clear_caches()
            st.session_state["history_notice"] = T.HIST_ROLLED_BACK_DONE.format(id=upload_id)
            st.session_state.pop(f"rollback_sure_{upload_id}", None)
            st.rerun()


# -- profiles ----------------------------------------------------------------------------------------
def profiles(m: Monitor) -> None:
    """The saved and shipped column-mapping profiles, and the definition of one."""
    st.caption(T.PROF_INTRO)
    try:
        found = mapping.list_profiles(m.store)
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
            cols = ", ".join(mapping.load_spec(prof["spec"]).columns())
        except MappingError:
            cols = "–"
        rows.append({c["name"]: prof["name"], c["title"]: prof["title"], c["origin"]: T.PROF_ORIGIN.get(prof["origin"], prof["origin"]),
                     c["created"]: _when(prof["created_at"]) if prof["created_at"] is not None else "–",
                     c["by"]: prof["created_by"] or "–", c["columns"]: cols})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if notice := st.session_state.pop("profile_notice", None):
        st.success(notice, icon=":material/check_circle:")
    name = st.selectbox(T.PROF_PICK, [p["name"] for p in found], key="profile_pick")
    chosen = next((p for p in found if p["name"] == name), None)
    if chosen is None:
        return
    import yaml

    st.markdown(f"**{T.PROF_SPEC.format(name=plain(name))}**")
    st.code(yaml.safe_dump(_compact(chosen["spec"]), allow_unicode=True, sort_keys=False, default_flow_style=False,
                           width=100), language="yaml")
    if chosen["origin"] != "gespeichert":
        st.caption(T.PROF_SHIPPED_NOTE)
        return
    sure = st.checkbox(T.PROF_DELETE_SURE.format(name=plain(name)), key=f"profile_delete_sure_{name}", help=T.PROF_DELETE_HELP)
    if st.button(T.PROF_DELETE, disabled=not sure, icon=":material/delete:", key="profile_delete"):
        try:
            mapping.delete_profile(m.store, name, m.settings.user)
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
