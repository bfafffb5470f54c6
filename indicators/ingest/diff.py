"""Differences between data states, for the upload page and the command line (no Streamlit here).

- :func:`changed_against_current`: the values of a parsed file that differ from the current state
  (new keys and changed keys, old value → new value), before a commit.
- :func:`previous_upload`: the earlier upload that a later one replaces (same format, overlapping variables).
- :func:`diff_uploads`: values added, changed and removed between two uploads, with counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from indicators.errors import UserError
from indicators.ingest.base import distinct_values
from indicators.store import OBS_KEY, Store

#: rows of changed values shown at most
LIMIT = 50

_JOIN = " AND ".join(f"a.{k} = b.{k}" for k in OBS_KEY)
_KEYS = ", ".join(f"coalesce(b.{k}, a.{k}) AS {k}" for k in OBS_KEY)
_CHANGED = "(a.value IS DISTINCT FROM b.value OR a.flag IS DISTINCT FROM b.flag)"


@dataclass
class Diff:
    """Counts per kind of change and (up to ``limit``) the changed rows.

    ``changes`` has the observation key, ``change`` ('neu', 'geändert', 'entfernt'), ``old_value``,
    ``old_flag``, ``new_value``, ``new_flag``; sorted by kind of change, then by key."""

    counts: dict[str, int]
    changes: pd.DataFrame
    old_upload: dict | None = None
    new_upload: dict | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def shown(self) -> int:
        return len(self.changes)

    @property
    def total_changes(self) -> int:
        return sum(v for k, v in self.counts.items() if k != "unverändert")


def _empty_changes() -> pd.DataFrame:
    cols = {k: pd.Series(dtype="object") for k in OBS_KEY}
    cols["year"] = pd.Series(dtype="Int64")
    return pd.DataFrame({**cols, "change": pd.Series(dtype="object"), "old_value": pd.Series(dtype="float64"),
                         "old_flag": pd.Series(dtype="object"), "new_value": pd.Series(dtype="float64"),
                         "new_flag": pd.Series(dtype="object")})


def changed_against_current(data: pd.DataFrame, store: Store, limit: int = LIMIT,
                            include_new: bool = True) -> Diff:
    """How a parsed file's rows (``ParsedFile.data``) relate to the current state, key by key.

    Counts 'neu', 'geändert', 'unverändert' (``limit=0``: only these) and lists up to
    ``limit`` rows that change: changed keys first (old → new), then, with ``include_new``, new keys."""
    if data is None or data.empty:
        return Diff({"neu": 0, "geändert": 0, "unverändert": 0}, _empty_changes())
    if (limit <= 0 or not include_new) and not store.scalar(
            "SELECT EXISTS (SELECT 1 FROM obs_current WHERE list_contains(?, variable))", [distinct_values(data["variable"])]):
        return Diff({"neu": len(data), "geändert": 0, "unverändert": 0}, _empty_changes())  # nothing to compare with
    incoming = data[list(OBS_KEY) + ["value", "flag"]].copy()
    incoming["year"] = pd.to_numeric(incoming["year"], errors="coerce").astype("Int64")
    incoming["value"] = pd.to_numeric(incoming["value"], errors="coerce").astype("float64")
    incoming["flag"] = incoming["flag"].astype(object).where(incoming["flag"].notna(), None)
    cur = store.cursor()
    try:
        cur.register("incoming_diff", incoming)
        base = f"""
            FROM incoming_diff b LEFT JOIN (SELECT * FROM observations WHERE current) a ON {_JOIN}"""
        row = cur.execute(
            f"""SELECT count(*) FILTER (WHERE a.variable IS NULL),
                       count(*) FILTER (WHERE a.variable IS NOT NULL AND {_CHANGED}),
                       count(*) FILTER (WHERE a.variable IS NOT NULL AND NOT {_CHANGED}) {base}""").fetchone()
        counts = {"neu": int(row[0]), "geändert": int(row[1]), "unverändert": int(row[2])}
        if limit <= 0:  # only the counts
            return Diff(counts, _empty_changes())
        kinds = "('geändert')" if not include_new else "('geändert', 'neu')"
        changes = cur.execute(
            f"""SELECT * FROM (
                  SELECT {_KEYS}, CASE WHEN a.variable IS NULL THEN 'neu' ELSE 'geändert' END AS change,
                         a.value AS old_value, a.flag AS old_flag, b.value AS new_value, b.flag AS new_flag {base}
                  WHERE a.variable IS NULL OR {_CHANGED})
                WHERE change IN {kinds}
                ORDER BY CASE change WHEN 'geändert' THEN 0 ELSE 1 END, variable, region, year,
                         nationality, sex, age_group, category
                LIMIT ?""", [limit]).df()
    finally:
        cur.close()
    return Diff(counts, changes if len(changes) else _empty_changes())


class UnknownUpload(UserError, ValueError):
    """An upload number that does not exist (German message)."""


def previous_upload(store: Store, upload_id: int) -> dict | None:
    """The previous version of the same source: the newest earlier upload with the same format whose
    variables overlap; an active one if there is one, else one rolled back. ``None`` if there is none."""
    up = store.upload(upload_id)
    if up is None:
        return None
    mine = set(store.upload_variables(upload_id))
    if not mine:
        return None
    earlier = store.query_df(
        """SELECT u.*, list(DISTINCT o.variable) AS variables FROM uploads u JOIN observations o ON o.upload_id = u.id
           WHERE u.id < ? AND u.format = ? GROUP BY ALL ORDER BY u.id DESC""", [upload_id, up["format"]])
    if earlier.empty:
        return None
    overlap = earlier[[bool(mine & set(v)) for v in earlier["variables"]]]
    if overlap.empty:
        return None
    active = overlap[overlap["status"] == "aktiv"]
    pick = (active if len(active) else overlap).iloc[0].to_dict()
    pick["variables"] = sorted(set(pick["variables"]))
    pick["shared_variables"] = sorted(mine & set(pick["variables"]))
    return pick


def diff_uploads(store: Store, old_id: int, new_id: int, limit: int = LIMIT, only_shared: bool = True) -> Diff:
    """Values of upload ``new_id`` against upload ``old_id``: 'neu' (only in the new one), 'geändert',
    'entfernt' (only in the old one), 'unverändert'. With ``only_shared`` only the variables both
    uploads carry are compared (a file with other variables does not 'remove' anything)."""
    old, new = store.upload(old_id), store.upload(new_id)
    if old is None or new is None:
        missing = old_id if old is None else new_id
        raise UnknownUpload(f"Upload Nr. {missing} gibt es nicht.")
    shared = sorted(set(store.upload_variables(old_id)) & set(store.upload_variables(new_id))) if only_shared else None
    where_var = "AND list_contains(?, variable)" if shared is not None else ""
    params_var = [shared] if shared is not None else []
    side = ("SELECT variable, region, year, nationality, sex, age_group, category, value, flag FROM observations "
            f"WHERE upload_id = ? {where_var}")
    body = f"FROM ({side}) a FULL OUTER JOIN ({side}) b ON {_JOIN}"
    params = [old_id, *params_var, new_id, *params_var]
    row = store.query(
        f"""SELECT count(*) FILTER (WHERE a.variable IS NULL), count(*) FILTER (WHERE b.variable IS NULL),
                   count(*) FILTER (WHERE a.variable IS NOT NULL AND b.variable IS NOT NULL AND {_CHANGED}),
                   count(*) FILTER (WHERE a.variable IS NOT NULL AND b.variable IS NOT NULL AND NOT {_CHANGED})
            {body}""", params)[0]
    changes = store.query_df(
        f"""SELECT * FROM (
              SELECT {_KEYS},
                     CASE WHEN a.variable IS NULL THEN 'neu' WHEN b.variable IS NULL THEN 'entfernt' ELSE 'geändert' END
                       AS change,
                     a.value AS old_value, a.flag AS old_flag, b.value AS new_value, b.flag AS new_flag
              {body}
              WHERE a.variable IS NULL OR b.variable IS NULL OR {_CHANGED})
            ORDER BY CASE change WHEN 'geändert' THEN 0 WHEN 'neu' THEN 1 ELSE 2 END, variable, region, year,
                     nationality, sex, age_group, category
            LIMIT ?""", [*params, limit])
    counts = {"neu": int(row[0]), "geändert": int(row[2]), "entfernt": int(row[1]), "unverändert": int(row[3])}
    notes = []
    if shared is not None:
        notes.append("Verglichen werden die Variablen, die beide Uploads enthalten: " + (", ".join(shared) or "keine") + ".")
    return Diff(counts, changes if len(changes) else _empty_changes(), old, new, notes)


def diff_to_previous(store: Store, upload_id: int, limit: int = LIMIT) -> Diff | None:
    """The diff of an upload to its previous version (:func:`previous_upload`, kept in ``old_upload`` with
    its ``shared_variables``); ``None`` without one."""
    prev = previous_upload(store, upload_id)
    if prev is None:
        return None
    d = diff_uploads(store, int(prev["id"]), upload_id, limit)
    d.old_upload = prev
    return d
