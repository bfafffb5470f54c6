"""Differences between data states, for the upload page and the command line (no Streamlit here).

One definition for both places: the rows of a file or an upload against the values they replace, key by
key (:func:`_compare`). A file only ever adds or replaces cells; a cell it does not deliver stays as it is,
so nothing is "removed".

- :func:`changed_against_current`: a parsed file against the current state, before a commit (the preview).
- :func:`upload_diff`: an upload against the state just before it (the history); for the same upload it
  gives the counts and previous values the preview showed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from indicators.errors import UserError
from indicators.ingest.base import distinct_values
from indicators.store import OBS_KEY, Store, one_row

#: rows of changed values shown at most
LIMIT = 50

_JOIN = " AND ".join(f"a.{k} = b.{k}" for k in OBS_KEY)
_KEYS = ", ".join(f"coalesce(b.{k}, a.{k}) AS {k}" for k in OBS_KEY)
_CHANGED = "(a.value IS DISTINCT FROM b.value OR a.flag IS DISTINCT FROM b.flag)"


@dataclass
class Diff:
    """Counts per kind of change ('neu', 'geändert', 'unverändert') and (up to ``limit``) the rows that change.

    ``changes`` has the observation key, ``change`` ('geändert', 'neu'), ``old_value``, ``old_flag``,
    ``new_value``, ``new_flag``; changed keys first, then by key. ``replaced``: the uploads the previous
    values came from."""

    counts: dict[str, int]
    changes: pd.DataFrame
    replaced: list[int] = field(default_factory=list)

    @property
    def shown(self) -> int:
        return len(self.changes)

    @property
    def total_changes(self) -> int:
        return sum(v for k, v in self.counts.items() if k != "unverändert")


def _empty_changes() -> pd.DataFrame:
    cols = {k: pd.Series(dtype="object") for k in OBS_KEY}
    cols["year"] = pd.Series(dtype="Int64")
    return pd.DataFrame(
        {
            **cols,
            "change": pd.Series(dtype="object"),
            "old_value": pd.Series(dtype="float64"),
            "old_flag": pd.Series(dtype="object"),
            "new_value": pd.Series(dtype="float64"),
            "new_flag": pd.Series(dtype="object"),
        }
    )


def _compare(
    cur: duckdb.DuckDBPyConnection, incoming: str, before: str, params: dict[str, Any], limit: int, include_new: bool
) -> Diff:
    """The one comparison: the rows of ``incoming`` (observation key, value, flag) against ``before`` (at
    most one row per key with its ``upload_id``: the values they replace). 'neu': a key without a
    previous value; 'geändert': value or flag differ; 'unverändert'. ``limit=0``: only the counts."""
    base = f"FROM ({incoming}) b LEFT JOIN ({before}) a ON {_JOIN}"
    row = cur.execute(
        f"""SELECT count(*) FILTER (WHERE a.variable IS NULL),
                   count(*) FILTER (WHERE a.variable IS NOT NULL AND {_CHANGED}),
                   count(*) FILTER (WHERE a.variable IS NOT NULL AND NOT {_CHANGED}),
                   list(DISTINCT a.upload_id ORDER BY a.upload_id) FILTER (WHERE a.upload_id IS NOT NULL) {base}""",
        params,
    ).fetchone()
    row = one_row(row)
    counts = {"neu": int(row[0]), "geändert": int(row[1]), "unverändert": int(row[2])}
    replaced = [int(u) for u in (row[3] or [])]
    if limit <= 0:
        return Diff(counts, _empty_changes(), replaced)
    kinds = "('geändert')" if not include_new else "('geändert', 'neu')"
    changes = cur.execute(
        f"""SELECT * FROM (
              SELECT {_KEYS}, CASE WHEN a.variable IS NULL THEN 'neu' ELSE 'geändert' END AS change,
                     a.value AS old_value, a.flag AS old_flag, b.value AS new_value, b.flag AS new_flag {base}
              WHERE a.variable IS NULL OR {_CHANGED})
            WHERE change IN {kinds}
            ORDER BY CASE change WHEN 'geändert' THEN 0 ELSE 1 END, variable, region, year,
                     nationality, sex, age_group, category
            LIMIT $limit""",
        {**params, "limit": limit},
    ).df()
    return Diff(counts, changes if len(changes) else _empty_changes(), replaced)


def changed_against_current(data: pd.DataFrame, store: Store, limit: int = LIMIT, include_new: bool = True) -> Diff:
    """How a parsed file's rows (``ParsedFile.data``) relate to the current state, key by key (the preview).

    Counts 'neu', 'geändert', 'unverändert' (``limit=0``: only these) and lists up to
    ``limit`` rows that change: changed keys first (old → new), then, with ``include_new``, new keys."""
    if data is None or data.empty:
        return Diff({"neu": 0, "geändert": 0, "unverändert": 0}, _empty_changes())
    if (limit <= 0 or not include_new) and not store.scalar(
        "SELECT EXISTS (SELECT 1 FROM obs_current WHERE list_contains(?, variable))",
        [distinct_values(data["variable"])],
    ):
        return Diff({"neu": len(data), "geändert": 0, "unverändert": 0}, _empty_changes())  # nothing to compare with
    incoming = data[list(OBS_KEY) + ["value", "flag"]].copy()
    incoming["year"] = pd.to_numeric(incoming["year"], errors="coerce").astype("Int64")
    incoming["value"] = pd.to_numeric(incoming["value"], errors="coerce").astype("float64")
    incoming["flag"] = incoming["flag"].astype(object).where(incoming["flag"].notna(), None)
    cur = store.cursor()
    try:
        cur.register("incoming_diff", incoming)
        return _compare(
            cur, "SELECT * FROM incoming_diff", "SELECT * FROM observations WHERE current", {}, limit, include_new
        )
    finally:
        cur.close()


class UnknownUpload(UserError, ValueError):
    """An upload number that does not exist (German message)."""


#: the state just before upload $u: per key the row of the newest earlier upload that was active then
#: (active now, or rolled back only after $u was loaded), for the variables $u brought
_STATE_BEFORE = f"""
    SELECT o.* FROM observations o JOIN uploads p ON p.id = o.upload_id
    WHERE o.upload_id < $u AND (p.status = 'aktiv' OR p.rolled_back_at > $at) AND list_contains($vars, o.variable)
    QUALIFY row_number() OVER (PARTITION BY {", ".join(f"o.{k}" for k in OBS_KEY)} ORDER BY o.upload_id DESC) = 1"""


def upload_diff(store: Store, upload_id: int, limit: int = LIMIT, include_new: bool = True) -> Diff:
    """What an upload changed (the history): its rows against the state just before it, with the same
    comparison as the preview (:func:`changed_against_current`), so the counts and previous values are the
    ones shown before the confirmation. Later uploads and rollbacks do not change it."""
    up = store.upload(upload_id)
    if up is None:
        raise UnknownUpload(f"Upload Nr. {upload_id} gibt es nicht.")
    params = {"u": upload_id, "at": up["uploaded_at"], "vars": store.upload_variables(upload_id)}
    cur = store.cursor()
    try:
        return _compare(
            cur, "SELECT * FROM observations WHERE upload_id = $u", _STATE_BEFORE, params, limit, include_new
        )
    finally:
        cur.close()
