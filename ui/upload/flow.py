"""The upload flow: the uploader's files read once with progress, the panel of each file, the diff before the
confirmation, the commit and its result."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import streamlit as st

from indicators import texts as T
from indicators.fmt import fmt_int
from indicators.ingest.api import MappingError
from indicators.ingest.session import ImportResult, UploadReport, UploadSession
from indicators.service import Monitor
from indicators.status import ImportStatus
from indicators.wording import error_count
from ui.components import plain
from ui.state import clear_caches
from ui.upload.common import (
    NOTICES,
    OFFERS,
    PRESELECTED,
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
    warnings_text,
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
def current_files(uploaded: list, m: Monitor | None) -> list[UploadSession]:
    """The uploader's files as upload sessions of the core (kept in the session, so that a file is read once),
    duplicates shown once; state of files no longer in the uploader is forgotten."""
    sessions = session_slot(RAWS)
    out: list[UploadSession] = []
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
        if (sha not in sessions or sessions[sha].name != f.name) and m is not None:
            sessions[sha] = UploadSession.from_bytes(f.name, content, m.store, m.catalog, m.settings, m.settings.user)
        if sha in sessions:
            out.append(sessions[sha])
    gone = [sessions[s] for s in sessions if s not in seen]
    for name in (RAWS, PREVIEWS, READERS, RESULTS, OFFERS, NOTICES, SKIP_OTHER, PRESELECTED):
        slot = session_slot(name)
        for sha in [s for s in slot if s not in seen]:
            del slot[sha]
    for upload in gone:  # removed from the uploader: nothing of it stays
        forget_upload(upload)
    return out


def read_files(uploads: list[UploadSession], m: Monitor) -> dict[str, UploadReport]:
    """Read and check every file not yet previewed, with a progress bar and a status per file."""
    previews = session_slot(PREVIEWS)
    todo = [u for u in uploads if u.sha256 not in previews and u.sha256 not in session_slot(RESULTS)]
    if todo:
        # progress by bytes (a large file weighs more than a small one); reading is most of a file's time
        total, done, n = sum(max(u.size, 1) for u in todo), 0, len(todo)
        bar = st.progress(0.0, text=T.UPL_PROGRESS.format(i=1, n=n, name=plain(todo[0].name)))
        for i, upload in enumerate(todo):
            size = max(upload.size, 1)
            bar.progress(done / total, text=T.UPL_PROGRESS.format(i=i + 1, n=n, name=plain(upload.name)))

            def checking(
                _report: UploadReport, i: int = i, name: str = upload.name, at: float = (done + 0.7 * size) / total
            ) -> None:
                bar.progress(min(at, 1.0), text=T.UPL_PROGRESS_CHECKING.format(i=i + 1, n=n, name=plain(name)))

            previews[upload.sha256] = report = _read_one(upload, checking)
            if not (report.format == "unbekannt" and report.table_found) and upload.sha256 not in session_slot(READERS):
                upload.release_cells()  # the cells are read; only a column mapping reads them again (once)
            done += size
        bar.progress(1.0, text=T.UPL_PROGRESS_DONE.format(n=n))
    return {u.sha256: previews[u.sha256] for u in uploads if u.sha256 in previews}


def _taken(report: UploadReport) -> str:
    """'40 Werte und 1 amtliches Zeichen', as the reconciliation counts them (not '41 Werte')."""
    acc = report.accounting
    return acc.taken_text() if acc is not None else count_text(len(report.data), "Wert", "Werte")


def _preselect(upload: UploadSession, report: UploadReport) -> bool:
    """An unrecognised file shaped like a mapping profile (the Personalamt's list: its header row holds every column
    of the shipped profile; a saved profile: the same header): read with that profile at once. The page says so; the
    person checks the preview and takes it over, or goes back to the automatic recognition."""
    chosen = session_slot(PRESELECTED)
    if report.format != "unbekannt" or not report.table_found or upload.sha256 in chosen:
        return False
    try:
        offer = upload.profile_offer()
    except Exception:  # an offer is a convenience; never block the page for it
        offer = None
    if offer is None:
        return False
    data = offer.model_dump(mode="json")
    session_slot(READERS)[upload.sha256] = data
    chosen[upload.sha256] = offer.name
    upload.use_profile(data)
    return True


def _read_one(upload: UploadSession, on_read: Callable[[UploadReport], None]) -> UploadReport:
    spec = session_slot(READERS).get(upload.sha256)
    status = st.status(T.UPL_STATUS_READING.format(name=plain(upload.name)), expanded=False)
    try:
        upload.use_profile(spec)  # (read afresh: another profile, regions added, the other regions' choice)
    except MappingError as exc:  # a stored profile that no longer validates
        session_slot(READERS).pop(upload.sha256, None)
        status.write(plain(exc))
        upload.use_profile(None)

    def read_done(report: UploadReport) -> None:
        rows = _taken(report)
        status.update(label=T.UPL_STATUS_READ.format(name=plain(upload.name), rows=rows))
        status.write(T.UPL_STATUS_STEP_READ.format(format=report.format_label, rows=rows))
        on_read(report)

    # never raises for bad input; the page offers matching profiles itself
    upload.offer_profile = False
    upload.other_regions = "skip" if session_slot(SKIP_OTHER).get(upload.sha256) else "keep"
    report = upload.check(on_read=read_done)
    if spec is None and _preselect(upload, report):
        report = upload.check(on_read=read_done)
    n_err = len(report.errors)
    rows = _taken(report)
    warnings = warnings_text(report)
    errors = error_count(*report.error_counts()) if n_err else T.UPL_ERROR_COUNT.format(errors=0)
    status.write(T.UPL_STATUS_STEP_CHECKED_N.format(errors=errors, warnings=warnings))
    status.update(
        label=T.UPL_STATUS_CHECKED_N.format(name=plain(upload.name), rows=rows, errors=errors, warnings=warnings),
        state="error" if n_err else "complete",
    )
    return report


# -- one file ----------------------------------------------------------------------------------------
def file_panel(upload: UploadSession, report: UploadReport | None, m: Monitor) -> None:
    """Everything about one uploaded file: preview, problems, regions, mapping, diff, confirmation."""
    sha = upload.sha256
    result = session_slot(RESULTS).get(sha)
    with st.container(border=True):
        if result is not None:
            _result_block(upload, result, m)
            return
        if report is None:
            return
        # up to date with the data: the effect on the own Kreis tried again when the data changed since the file was
        # read (another file taken over, an upload rolled back), and whether the same bytes are loaded already
        report = upload.check()
        existing = report.existing  # the same bytes are already loaded: nothing to take over
        badge = (
            T.UPL_BADGE_ERR.format(n=error_count(*report.error_counts()))
            if report.errors
            else T.UPL_BADGE_ALREADY.format(id=existing["id"])
            if existing is not None
            else T.UPL_BADGE_WARN_N.format(n=warnings_text(report))
            if report.warnings
            else T.UPL_BADGE_OK
        )
        st.markdown(f"#### {plain(upload.name)} &nbsp; {badge}")
        notice = session_slot(NOTICES).pop(sha, None)
        if notice:
            st.success(notice, icon=":material/check_circle:")
        if existing is not None:
            st.warning(
                T.UPL_ALREADY.format(id=existing["id"], when=when(existing["uploaded_at"])),
                icon=":material/content_copy:",
            )
        format_block(report)
        facts_block(report, m)
        problems_block(report)
        accounting_block(report)
        file_regions(upload, report, m)
        other_regions_block(upload, report)
        assumptions_block(report, m)
        sample_block(report, m)
        if report.table_found:  # a file without a table (empty, encrypted, …) has nothing to map
            mapping_section(upload, report, m)
        if existing is not None and report.ok:
            st.caption(T.UPL_ALREADY_NO_BUTTON.format(id=existing["id"]))  # no button that would do nothing
        elif report.ok:
            _diff_and_confirm(upload, report, m)


def _diff_and_confirm(upload: UploadSession, report: UploadReport, m: Monitor) -> None:
    st.markdown(f"##### {T.UPL_DIFF_TITLE}")
    try:
        d = upload.diff()  # against the current state, computed again only when the data changed
    except Exception as exc:
        fail(T.UPL_ERROR_GENERIC, exc)
        return
    diff_counts(d.counts)
    if d.counts["geändert"]:
        st.caption(T.UPL_DIFF_CHANGED.format(shown=fmt_int(d.shown), total=fmt_int(d.counts["geändert"])))
        st.dataframe(
            changes_view(d.changes, names_for(m, report), m.catalog),
            hide_index=True,
            width="stretch",
            column_config=diff_widths(),
        )
    else:
        st.caption(T.UPL_DIFF_NONE_CHANGED)
    impact_block(report)
    doubts = report.plausibility_warnings
    n_listed = sum(1 for p in doubts if p.more is None)  # one by one; the summary lines count the rest
    confirmed = True
    if doubts:  # plausibility warnings are confirmed by the person before the button takes the file
        st.warning(
            T.UPL_PLAUSIBILITY_ALERT.format(
                n=count_text(report.plausibility_count(), "Plausibilitätswarnung", "Plausibilitätswarnungen"),
                listed=T.UPL_PLAUSIBILITY_LISTED.format(listed=fmt_int(n_listed))
                if n_listed < report.plausibility_count()
                else "",
            ),
            icon=":material/rule:",
        )
        confirmed = st.checkbox(T.UPL_PLAUSIBILITY_CONFIRM, key=f"plausible_{file_key(upload)}")
    n_warn = report.warning_count()
    if st.button(
        T.UPLOAD_BUTTON_WARNINGS.format(n=warnings_text(report)) if n_warn else T.UPLOAD_BUTTON,
        key=f"commit_{file_key(upload)}",
        type="primary",
        icon=":material/check:",
        disabled=not confirmed,
    ):
        with st.spinner(T.UPL_COMMITTING):
            try:
                result = upload.commit(confirmed_plausibility=confirmed)
            except Exception as exc:  # the transaction has rolled back; nothing is half-written
                fail(T.UPL_COMMIT_FAILED, exc)
                return
        session_slot(RESULTS)[upload.sha256] = {"result": result, "changes": d.changes, "changed": d.counts["geändert"]}
        session_slot(PREVIEWS).pop(upload.sha256, None)
        if result.status == ImportStatus.IMPORTED:
            forget_upload(upload)  # the preview, its cells and the bytes are no longer needed
        if result.upload_id is not None:  # the history shows the new (or the existing) upload
            st.session_state["history_pick"] = result.upload_id
        clear_caches()
        st.rerun()


def _result_block(upload: UploadSession, entry: dict, m: Monitor) -> None:
    result: ImportResult = entry["result"]
    if result.status == ImportStatus.IMPORTED:
        st.markdown(f"#### {plain(upload.name)} &nbsp; {T.UPL_BADGE_DONE.format(id=result.upload_id)}")
        st.success(
            T.UPL_SUCCESS.format(
                name=plain(upload.name), rows=count_text(result.rows, "Wert", "Werte"), id=result.upload_id
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
    st.markdown(f"#### {plain(upload.name)}")
    if result.status == ImportStatus.ALREADY_PRESENT:
        st.warning(plain(" ".join(w.message for w in result.warnings[-1:])), icon=":material/content_copy:")
    else:
        reason = "; ".join(e.message for e in result.errors[:3])
        st.error(T.UPL_REJECTED.format(name=plain(upload.name), reason=plain(reason)), icon=":material/block:")
    if st.button(T.UPL_RECHECK, key=f"recheck_{file_key(upload)}", icon=":material/refresh:"):
        session_slot(RESULTS).pop(upload.sha256, None)
        rerun_fresh(upload.sha256)
