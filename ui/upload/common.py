"""Shared parts of the page "Daten und Upload": the session slots per file, German error display, freeing a
file that is done, and formatting (values, dates, region names, the diff table)."""

from __future__ import annotations

from typing import Any, cast

import pandas as pd
import streamlit as st

from indicators import errors
from indicators import texts as T
from indicators.fmt import fmt_date, fmt_int, fmt_num, is_missing, with_flag
from indicators.ingest import session as upload_session
from indicators.ingest.session import UploadReport, UploadSession
from indicators.service import Monitor
from indicators.wording import breakdown_text, code_label, readable_assumption
from ui.components import plain
from ui.state import data_version, region_names

#: session-state slots (dicts keyed by the file's SHA-256): the upload session of each file (the core's
#: :class:`~indicators.ingest.session.UploadSession`), its report, the profile chosen for it, the result of its
#: commit, the profile offered, a notice to show once
RAWS, PREVIEWS, READERS, RESULTS, OFFERS, NOTICES = (
    "upl_raws",
    "upl_previews",
    "upl_readers",
    "upl_results",
    "upl_offers",
    "upl_notices",
)
#: per file: True where the user chose to leave out the regions outside the own area (issue 10)
SKIP_OTHER = "upl_skip_other"
#: per file: the profile preselected for it by its form (an unrecognised file shaped like a profile), or False where
#: the person went back to the automatic recognition (not preselected again)
PRESELECTED = "upl_preselected"
SAMPLE_ROWS = 10
ALL_ROWS = 500
MAX_REGIONS = 100
GRID_ROWS = 12
MAX_WIDE = 40


def session_slot(name: str) -> dict:
    return st.session_state.setdefault(name, {})


def file_key(upload: UploadSession) -> str:
    """Short widget key of a file (stable across reruns)."""
    return upload.sha256[:12]


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


def forget_upload(upload: UploadSession, keep_cells: bool = False) -> None:
    """Free what the session holds of a file that is done (taken over, rejected for good, or removed from the
    uploader): the parsed sheets, the values read and the bytes (the name and the checksum stay for the result
    panel; Streamlit's uploader keeps its own copy until the file is removed); the memory goes back to the
    operating system (:meth:`UploadSession.release`)."""
    upload.release(keep_cells)


def rerun_fresh(sha: str) -> None:
    """Forget the preview of a file so that it is read and checked again, then rerun."""
    session_slot(PREVIEWS).pop(sha, None)
    st.rerun()


# -- formatting --------------------------------------------------------------------------------------
def num_text(v: object) -> str:
    """A value as written here, with as many decimals as it has (up to 4): 12.345 · 14,85."""
    if is_missing(v):
        return "–"
    x = float(cast(float, v))
    decimals = len(f"{x:.4f}".rstrip("0").split(".")[1]) if not x.is_integer() else 0
    return fmt_num(x, decimals)


def value_text(v: object, flag: object) -> str:
    return with_flag(num_text(v), flag)  # "4,4 (p)", "(4,4)" for the symbol (), "– (Fz)"


def when(t: object) -> str:
    if t is None or (isinstance(t, float) and pd.isna(t)) or t is pd.NaT:
        return "–"
    ts = pd.Timestamp(t)
    return "–" if pd.isna(ts) else fmt_date(ts.to_pydatetime(), with_time=True)


def names_for(m: Monitor, report: UploadReport | None = None) -> dict[str, str]:
    names = region_names(data_version(m))
    if report is not None:
        names = {**report.region_names, **names}
    return names


def diff_widths() -> dict[str, Any]:
    """Column widths of a diff table that keep every column, "Neu" included, inside the page at 1280 px (issue 25:
    the table scrolled sideways and hid the new values)."""
    c = T.DIFF_COLUMNS
    w = {"change": 90, "variable": 170, "region": 160, "year": 50, "breakdown": 125, "old": 95, "new": 95}
    return {c[k]: st.column_config.TextColumn(width=v) for k, v in w.items()}


def changes_view(changes: pd.DataFrame, names: dict[str, str], catalog=None) -> pd.DataFrame:
    """The rows of a :class:`indicators.ingest.diff.Diff` for the table: German labels (variable names, breakdowns
    in words, not codes), values as text."""
    c = T.DIFF_COLUMNS
    rows = []
    for rec in changes.to_dict("records"):
        region = str(rec["region"])
        rows.append(
            {
                c["change"]: T.DIFF_KINDS.get(rec["change"], rec["change"]),
                c["variable"]: code_label("variable", rec["variable"], catalog),
                c["region"]: f"{region} {names.get(region, '')}".strip(),
                c["year"]: str(int(rec["year"])) if not pd.isna(rec["year"]) else "–",
                c["breakdown"]: breakdown_text(rec, catalog),
                c["old"]: value_text(rec["old_value"], rec["old_flag"]) if rec["change"] != "neu" else "",
                c["new"]: value_text(rec["new_value"], rec["new_flag"]),
            }
        )
    return pd.DataFrame(rows, columns=list(c.values()))


def german_ids(text: object, catalog=None) -> str:
    """An assumption as the page shows it: ids and codes in German (see :func:`indicators.wording.readable_assumption`)."""
    return readable_assumption(text, catalog)


def count_text(n: int, one: str, many: str) -> str:
    """'1 Warnung', '2 Warnungen' (numbers German)."""
    return f"{fmt_int(n)} {one if n == 1 else many}"


def warnings_text(report: UploadReport, detail: bool = False) -> str:
    """'70 Warnungen': every warning counted, also those a summary line stands for ('… und 48 weitere Werte'), so that
    the headline, the badge, the status line, the button and the plausibility box count alike; with ``detail``:
    '70 Warnungen, davon 69 Plausibilitätswarnungen'."""
    n, plausible = report.warning_count(), report.plausibility_count()
    text = count_text(n, "Warnung", "Warnungen")
    if detail and plausible and plausible != n:
        return T.UPL_WARNINGS_OF_WHICH.format(
            n=text, plausible=count_text(plausible, "Plausibilitätswarnung", "Plausibilitätswarnungen")
        )
    return text


def format_labels() -> dict[str, str]:
    """Format code -> German label of every reader (for the history)."""
    return upload_session.format_labels()


def listing(items: list[str], limit: int = 12) -> str:
    more = T.UPL_MORE.format(n=len(items) - limit) if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def diff_counts(counts: dict[str, int]) -> None:
    st.markdown(
        T.UPL_DIFF_COUNTS.format(
            neu=fmt_int(counts.get("neu", 0)),
            changed=fmt_int(counts.get("geändert", 0)),
            same=fmt_int(counts.get("unverändert", 0)),
        )
    )
