"""The upload flow: the uploader's files read once with progress, the panel of each file, the diff before the
confirmation, the commit and its result."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import streamlit as st

from indicators import texts as T
from indicators.fmt import fmt_int
from indicators.ingest import diff as idiff
from indicators.ingest import pipeline
from indicators.ingest.base import ParsedFile, RawFile
from indicators.ingest.files import release_parse_cache
from indicators.ingest.sources import mapping
from indicators.ingest.sources.common import MappingError
from indicators.service import Monitor
from indicators.status import ImportStatus
from indicators.wording import error_count
from ui.components import plain
from ui.state import clear_caches
from ui.upload.common import (
    DIFFS,
    NOTICES,
    OFFERS,
    PREVIEWS,
    RAWS,
    READERS,
    RESULTS,
    SKIP_OTHER,
    changes_view,
    count_text,
    diff_counts,
    diff_widths,
    fail,
    file_key,
    forget_upload,
    names_for,
    rerun_fresh,
    session_slot,
    when,
)
from ui.upload.mapping_editor import mapping_section
from ui.upload.preview import (
    accounting_block,
    assumptions_block,
    facts_block,
    file_regions,
    format_block,
    impact_block,
    other_regions_block,
    problems_block,
    sample_block,
)


# -- reading with progress ---------------------------------------------------------------------------
def current_files(uploaded: list) -> list[RawFile]:
    """The uploader's files as RawFile (kept in the session, so that a file is read once), duplicates
    shown once; state of files no longer in the uploader is forgotten."""
    raws = session_slot(RAWS)
    out: list[RawFile] = []
    seen: dict[str, str] = {}
    for f in uploaded or []:
        content = f.getvalue()
        sha = hashlib.sha256(content).hexdigest()
        if sha in seen:
            st.info(
                T.UPL_DUPLICATE_IN_BATCH.format(name=plain(f.name), first=plain(seen[sha])),
                icon=":material/content_copy:",
            )
            continue
        seen[sha] = f.name
        if sha not in raws or raws[sha].name != f.name:
            raws[sha] = RawFile(f.name, content)
        out.append(raws[sha])
    gone = [raws[s] for s in raws if s not in seen]
    for name in (RAWS, PREVIEWS, READERS, RESULTS, OFFERS, NOTICES, DIFFS, SKIP_OTHER):
        slot = session_slot(name)
        for sha in [s for s in slot if s not in seen]:
            del slot[sha]
    for raw in gone:  # removed from the uploader: nothing of it stays
        forget_upload(raw)
    return out


def read_files(raws: list[RawFile], m: Monitor) -> dict[str, ParsedFile]:
    """Read and check every file not yet previewed, with a progress bar and a status per file."""
    previews = session_slot(PREVIEWS)
    todo = [r for r in raws if r.sha256 not in previews and r.sha256 not in session_slot(RESULTS)]
    if todo:
        # progress by bytes (a large file weighs more than a small one); reading is most of a file's time
        total, done, n = sum(max(r.size, 1) for r in todo), 0, len(todo)
        bar = st.progress(0.0, text=T.UPL_PROGRESS.format(i=1, n=n, name=plain(todo[0].name)))
        for i, raw in enumerate(todo):
            size = max(raw.size, 1)
            bar.progress(done / total, text=T.UPL_PROGRESS.format(i=i + 1, n=n, name=plain(raw.name)))

            def checking(
                _parsed: ParsedFile, i: int = i, name: str = raw.name, at: float = (done + 0.7 * size) / total
            ) -> None:
                bar.progress(min(at, 1.0), text=T.UPL_PROGRESS_CHECKING.format(i=i + 1, n=n, name=plain(name)))

            previews[raw.sha256] = parsed = _read_one(raw, m, checking)
            if not (parsed.format == "unbekannt" and parsed.table_found) and raw.sha256 not in session_slot(READERS):
                release_parse_cache(raw)  # the cells are read; only a column mapping reads them again (once)
            done += size
        bar.progress(1.0, text=T.UPL_PROGRESS_DONE.format(n=n))
    return {r.sha256: previews[r.sha256] for r in raws if r.sha256 in previews}


def _read_one(raw: RawFile, m: Monitor, on_read: Callable[[ParsedFile], None]) -> ParsedFile:
    spec = session_slot(READERS).get(raw.sha256)
    status = st.status(T.UPL_STATUS_READING.format(name=plain(raw.name)), expanded=False)
    try:
        reader = mapping.MappingReader(spec) if spec else None
    except MappingError as exc:  # a stored profile that no longer validates
        session_slot(READERS).pop(raw.sha256, None)
        status.write(plain(exc))
        reader = None

    def read_done(parsed: ParsedFile) -> None:
        rows = count_text(len(parsed.data), "Wert", "Werte")
        status.update(label=T.UPL_STATUS_READ.format(name=plain(raw.name), rows=rows))
        status.write(T.UPL_STATUS_STEP_READ.format(format=parsed.format_label, rows=rows))
        on_read(parsed)

    # never raises for bad input; the page offers matching profiles itself
    other = "skip" if session_slot(SKIP_OTHER).get(raw.sha256) else "keep"
    parsed = pipeline.preview(
        raw, m.store, m.catalog, m.settings, reader, on_read=read_done, offer_profile=False, other_regions=other
    )
    n_err, n_warn = len(parsed.errors), len(parsed.warnings)
    rows = count_text(len(parsed.data), "Wert", "Werte")
    warnings = count_text(n_warn, "Warnung", "Warnungen")
    errors = error_count(*parsed.error_counts()) if n_err else T.UPL_ERROR_COUNT.format(errors=0)
    status.write(T.UPL_STATUS_STEP_CHECKED_N.format(errors=errors, warnings=warnings))
    status.update(
        label=T.UPL_STATUS_CHECKED_N.format(name=plain(raw.name), rows=rows, errors=errors, warnings=warnings),
        state="error" if n_err else "complete",
    )
    return parsed


# -- one file ----------------------------------------------------------------------------------------
def file_panel(raw: RawFile, parsed: ParsedFile | None, m: Monitor) -> None:
    """Everything about one uploaded file: preview, problems, regions, mapping, diff, confirmation."""
    sha = raw.sha256
    result = session_slot(RESULTS).get(sha)
    with st.container(border=True):
        if result is not None:
            _result_block(raw, result, m)
            return
        if parsed is None:
            return
        _fresh_impact(parsed, m)
        existing = m.store.active_upload_with_checksum(sha)  # the same bytes are already loaded: nothing to take over
        badge = (
            T.UPL_BADGE_ERR.format(n=error_count(*parsed.error_counts()))
            if parsed.errors
            else T.UPL_BADGE_ALREADY.format(id=existing["id"])
            if existing is not None
            else T.UPL_BADGE_WARN_N.format(n=count_text(len(parsed.warnings), "Warnung", "Warnungen"))
            if parsed.warnings
            else T.UPL_BADGE_OK
        )
        st.markdown(f"#### {plain(raw.name)} &nbsp; {badge}")
        notice = session_slot(NOTICES).pop(sha, None)
        if notice:
            st.success(notice, icon=":material/check_circle:")
        if existing is not None:
            st.warning(
                T.UPL_ALREADY.format(id=existing["id"], when=when(existing["uploaded_at"])),
                icon=":material/content_copy:",
            )
        format_block(parsed)
        facts_block(parsed, m)
        problems_block(parsed)
        accounting_block(parsed)
        file_regions(raw, parsed, m)
        other_regions_block(raw, parsed)
        assumptions_block(parsed, m)
        sample_block(parsed, m)
        if parsed.table_found:  # a file without a table (empty, encrypted, …) has nothing to map
            mapping_section(raw, parsed, m)
        if existing is not None and parsed.ok:
            st.caption(T.UPL_ALREADY_NO_BUTTON.format(id=existing["id"]))  # no button that would do nothing
        elif parsed.ok:
            _diff_and_confirm(raw, parsed, m)


def _fresh_impact(parsed: ParsedFile, m: Monitor) -> None:
    """The effect on the own Kreis's indicators tried again when the data changed since the file was read (another
    file taken over, an upload rolled back): its warnings and table are then those of the current state."""
    impact = parsed.impact
    if parsed.ok and impact is not None and getattr(impact, "version", None) != m.store.version():
        pipeline.add_impact(parsed, m.store, m.catalog, m.settings)


def _diff_and_confirm(raw: RawFile, parsed: ParsedFile, m: Monitor) -> None:
    st.markdown(f"##### {T.UPL_DIFF_TITLE}")
    try:
        d = _current_diff(raw, parsed, m)
    except Exception as exc:
        fail(T.UPL_ERROR_GENERIC, exc)
        return
    diff_counts(d.counts)
    if d.counts["geändert"]:
        st.caption(T.UPL_DIFF_CHANGED.format(shown=fmt_int(d.shown), total=fmt_int(d.counts["geändert"])))
        st.dataframe(
            changes_view(d.changes, names_for(m, parsed), m.catalog),
            hide_index=True,
            width="stretch",
            column_config=diff_widths(),
        )
    else:
        st.caption(T.UPL_DIFF_NONE_CHANGED)
    impact_block(parsed)
    doubts = parsed.plausibility_warnings
    confirmed = True
    if doubts:  # plausibility warnings are confirmed by the person before the button takes the file
        st.warning(
            T.UPL_PLAUSIBILITY_ALERT.format(
                n=count_text(len(doubts), "Plausibilitätswarnung", "Plausibilitätswarnungen")
            ),
            icon=":material/rule:",
        )
        confirmed = st.checkbox(T.UPL_PLAUSIBILITY_CONFIRM, key=f"plausible_{file_key(raw)}")
    if st.button(
        T.UPLOAD_BUTTON, key=f"commit_{file_key(raw)}", type="primary", icon=":material/check:", disabled=not confirmed
    ):
        with st.spinner(T.UPL_COMMITTING):
            try:
                result = pipeline.commit(parsed, m.store, m.catalog, m.settings, m.settings.user, diff=d.counts)
            except Exception as exc:  # the transaction has rolled back; nothing is half-written
                fail(T.UPL_COMMIT_FAILED, exc)
                return
        session_slot(RESULTS)[raw.sha256] = {"result": result, "changes": d.changes, "changed": d.counts["geändert"]}
        session_slot(PREVIEWS).pop(raw.sha256, None)
        if result.status == ImportStatus.IMPORTED:
            forget_upload(raw)  # the preview, its cells and the bytes are no longer needed
        if result.upload_id is not None:  # the history shows the new (or the existing) upload
            st.session_state["history_pick"] = result.upload_id
        clear_caches()
        st.rerun()


def _current_diff(raw: RawFile, parsed: ParsedFile, m: Monitor) -> idiff.Diff:
    """The diff against the current state, computed again only when the data changed (commit, rollback)."""
    key = (raw.sha256, id(parsed), m.store.version())
    cache = session_slot(DIFFS)
    if cache.get(raw.sha256, (None,))[0] != key:
        cache[raw.sha256] = (key, idiff.changed_against_current(parsed.data, m.store, include_new=False))
    return cache[raw.sha256][1]


def _result_block(raw: RawFile, entry: dict, m: Monitor) -> None:
    result: pipeline.ImportResult = entry["result"]
    if result.status == ImportStatus.IMPORTED:
        st.markdown(f"#### {plain(raw.name)} &nbsp; {T.UPL_BADGE_DONE.format(id=result.upload_id)}")
        st.success(
            T.UPL_SUCCESS.format(
                name=plain(raw.name), rows=count_text(result.rows, "Wert", "Werte"), id=result.upload_id
            ),
            icon=":material/check_circle:",
        )
        if result.diff:
            st.markdown(T.UPL_RESULT_DIFF)
            diff_counts(result.diff)
        changes = entry.get("changes")
        if changes is not None and len(changes):
            st.caption(T.UPL_DIFF_CHANGED.format(shown=fmt_int(len(changes)), total=fmt_int(entry.get("changed", 0))))
            st.dataframe(
                changes_view(changes, names_for(m), m.catalog),
                hide_index=True,
                width="stretch",
                column_config=diff_widths(),
            )
        st.caption(T.UPL_SEE_HISTORY)
        return
    st.markdown(f"#### {plain(raw.name)}")
    if result.status == ImportStatus.ALREADY_PRESENT:
        st.warning(plain(" ".join(w.message for w in result.warnings[-1:])), icon=":material/content_copy:")
    else:
        reason = "; ".join(e.message for e in result.errors[:3])
        st.error(T.UPL_REJECTED.format(name=plain(raw.name), reason=plain(reason)), icon=":material/block:")
    if st.button(T.UPL_RECHECK, key=f"recheck_{file_key(raw)}", icon=":material/refresh:"):
        session_slot(RESULTS).pop(raw.sha256, None)
        rerun_fresh(raw.sha256)
