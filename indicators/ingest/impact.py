"""What an upload would do to the indicators of the own Kreis, before anything is written (the preview).

The file's rows are written and the indicators recomputed exactly as :func:`indicators.ingest.pipeline.commit`
does, but inside a transaction that is always rolled back (:meth:`Store.trial`); the headline series of the own
Kreis (``MONITOR_OWN_REGION``) before and after are compared per indicator and year. A value can disappear although
the file only adds numbers: a Kreis sum computed from Gemeinden becomes incomplete when a Gemeinde's cell carries a
special symbol (flag ``tw``), a small count is suppressed (``Fz``).

Only the rows of the own area (the Kreis and its Gemeinden) can change the Kreis's values, so only they are tried;
a file without such rows, or without a variable any indicator reads, has no effect and costs no trial.
No Streamlit here; the texts are in :mod:`indicators.texts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from indicators import texts as T
from indicators.catalog import DIMENSIONS, Catalog
from indicators.compute import affected_indicators, apply_upload, recompute_in
from indicators.fmt import count_text, fmt_int, fmt_value
from indicators.ingest import plausibility
from indicators.ingest.base import STORED_COLUMNS, ParsedFile, Problem, distinct_values
from indicators.ingest.values import ALL_FLAGS
from indicators.store import Store

#: the rows of the trial carry this upload number (no real upload has it; the transaction is rolled back)
TRIAL_UPLOAD = -1
#: values that disappear listed one by one as warnings; the rest in one summary line
MAX_LOST_LISTED = 10
#: changes (appear, change) kept for the table
MAX_LISTED = 50

LOST, NEW, CHANGED = "entfällt", "neu", "geändert"


@dataclass
class ValueChange:
    indicator: str
    name: str
    unit: str
    year: int
    change: str  # LOST | NEW | CHANGED
    old: float | None
    new: float | None
    new_flag: str | None
    reason: str = ""  # why a value disappears (German), where it can be told

    @property
    def old_text(self) -> str:
        return fmt_value(self.old, self.unit)

    @property
    def new_text(self) -> str:
        return fmt_value(self.new, self.unit)


@dataclass
class Impact:
    """The effect of a file on the headline series of the own Kreis: ``changes`` ordered lost, new, changed
    (then by catalog order and year), at most :data:`MAX_LISTED`; ``counts`` has them all."""

    region: str
    region_name: str
    counts: dict[str, int] = field(default_factory=lambda: {LOST: 0, NEW: 0, CHANGED: 0})
    changes: list[ValueChange] = field(default_factory=list)
    tried: bool = False  # False: the file cannot touch the own Kreis's values (no trial was needed)
    version: str = ""  # the data version it was tried on (Store.version): a commit or rollback since makes it stale
    problems: list[Problem] = field(default_factory=list)  # the warnings it added to the file's problems
    #: (region key, what jumped) for comparison regions (outside the own area) with a jump warning of the
    #: plausibility rules (:data:`indicators.ingest.plausibility.JUMP_RULES`)
    jumps: list[tuple[str, str]] = field(default_factory=list)
    #: comparison regions (names) whose synthetic demo values stop counting once the file is taken over, because
    #: the file brings real values of them (:func:`indicators.compute.hide_demo_beside_real`), and how many values
    demo_hidden: list[str] = field(default_factory=list)
    demo_hidden_values: int = 0

    @property
    def lost(self) -> list[ValueChange]:
        return [c for c in self.changes if c.change == LOST]

    @property
    def unlisted(self) -> int:
        """Changes counted but not in ``changes`` (beyond the cap)."""
        return sum(self.counts.values()) - len(self.changes)

    @property
    def any(self) -> bool:
        return any(self.counts.values())

    def as_dict(self) -> dict[str, Any]:
        """For the command line's JSON: counts and the listed changes (numbers as numbers)."""
        return {
            "region": self.region,
            "counts": dict(self.counts),
            "comparison_jumps": [{"region": r, "text": t} for r, t in self.jumps],
            "demo_hidden": {
                "regions": list(self.demo_hidden),
                "values": self.demo_hidden_values,
                "text": demo_hidden_text(self),
            },
            "changes": [
                {
                    "indicator": c.indicator,
                    "year": c.year,
                    "change": c.change,
                    "old": c.old,
                    "new": c.new,
                    "flag": c.new_flag,
                    "reason": c.reason,
                }
                for c in self.changes
            ],
        }

    def frame(self) -> pd.DataFrame:
        """The listed changes as a table (German column names, numbers German)."""
        c = T.IMPACT_COLUMNS
        return pd.DataFrame(
            [
                {
                    c["indicator"]: ch.name,
                    c["year"]: str(ch.year),
                    c["change"]: T.IMPACT_KIND[ch.change],
                    c["old"]: ch.old_text,
                    c["new"]: ch.new_text,
                    c["reason"]: ch.reason,
                }
                for ch in self.changes
            ],
            columns=list(c.values()),
        )


def _own_area_rows(data: pd.DataFrame, own: str) -> pd.DataFrame:
    """The rows of the own Kreis and of its Gemeinden (their keys begin with the Kreis's key)."""
    region = data["region"].astype(str)
    return data[region.str.startswith(own)]


def _headline(cur: duckdb.DuckDBPyConnection, catalog: Catalog, ids: list[str], region: str) -> pd.DataFrame:
    rows = [{"indicator": i, **{d: catalog.indicators[i].headline_key[d] for d in DIMENSIONS}} for i in ids]
    cur.register("impact_headline", pd.DataFrame(rows, columns=["indicator", *DIMENSIONS]))
    try:
        return cur.execute(
            """SELECT v.indicator, v.year, v.value, v.flag FROM indicator_values v
               JOIN impact_headline h USING (indicator, nationality, sex, age_group, category)
               WHERE v.region = ?""",
            [region],
        ).df()
    finally:
        cur.unregister("impact_headline")


def _reason(flag: object, missing_cells: dict[int, list[str]], year: int) -> str:
    """Why a value is gone, from its flag: the computed ones (incomplete Kreis sum, suppressed small count, zero
    denominator), else the file's special symbol. For an incomplete sum the Gemeinden without a number in the file
    (that year) are named."""
    flags = [f for f in str(flag).split(",") if f] if isinstance(flag, str) else []
    parts = []
    if "tw" in flags:  # the sum's own reason; the symbols of the Gemeinden's cells are named with the cells
        flags = [f for f in flags if f in T.IMPACT_REASONS]
    for f in flags:
        if f in T.IMPACT_REASONS:
            text = T.IMPACT_REASONS[f]
            if f == "tw" and missing_cells.get(year):
                names = missing_cells[year]
                text += T.IMPACT_MISSING_CELLS.format(names=", ".join(names[:5]) + (" …" if len(names) > 5 else ""))
            parts.append(text)
        elif f in ALL_FLAGS:
            parts.append(T.IMPACT_SYMBOL.format(symbol=f, meaning=ALL_FLAGS[f]))
    return "; ".join(dict.fromkeys(parts))


def _missing_cells(rows: pd.DataFrame, own: str, region_names: dict[str, str]) -> dict[int, list[str]]:
    """Per year: the Gemeinden of the own Kreis whose cell in the file has no number (with the row)."""
    gone = rows[(rows["region"].astype(str) != own) & rows["value"].isna()]
    out: dict[int, list[str]] = {}
    for rec in gone.itertuples(index=False):
        name = region_names.get(str(rec.region)) or str(rec.region)
        where = [f"Zeile {int(rec.source_row)}"] if not pd.isna(rec.source_row) else []
        if isinstance(rec.flag, str) and rec.flag:
            where.append(f"„{rec.flag}“")
        entry = f"{name} ({', '.join(where)})" if where else name
        lst = out.setdefault(int(rec.year), [])
        if entry not in lst:
            lst.append(entry)
    return out


#: the current demo values of the given regions (outside the own area): a real upload of any value of such a region
#: makes all of them stop counting (:func:`indicators.compute.hide_demo_beside_real`); per region its name and count
_DEMO_HIDDEN = """SELECT o.region, coalesce(any_value(r.name), o.region) AS name, count(*) AS n
    FROM observations o LEFT JOIN regions r ON r.key = o.region
    WHERE o.current AND list_contains($regions, o.region) AND NOT starts_with(o.region, $own)
      AND o.upload_id IN (SELECT id FROM uploads WHERE demo AND status = 'aktiv')
    GROUP BY o.region ORDER BY o.region"""


def demo_hidden(parsed: ParsedFile, store: Store, own: str) -> tuple[list[str], int]:
    """The comparison regions of the file whose synthetic demo values would no longer count after the takeover
    (names, in key order) and how many values that are; ([], 0) without demo data or such regions."""
    d = parsed.data
    if d is None or d.empty or "region" not in d.columns:
        return [], 0
    regions = [r for r in distinct_values(d["region"]) if not str(r).startswith(own)]
    if not regions:
        return [], 0
    rows = store.query(_DEMO_HIDDEN, {"regions": [str(r) for r in regions], "own": own})
    return [str(name) for _, name, _ in rows], sum(int(n) for *_, n in rows)


def own_region_impact(
    parsed: ParsedFile, store: Store, catalog: Catalog, min_count: int, own: str, region_name: str | None = None
) -> Impact:
    """The file's effect on the headline series of the own Kreis ``own``; nothing is written (the trial is rolled
    back). Raises on a database problem (the caller reports it)."""
    names = dict(store.query("SELECT key, name FROM regions"))
    impact = Impact(own, region_name or names.get(own, own), version=store.version())
    impact.jumps = plausibility.jumps_outside(parsed.problems, own)
    d = parsed.data
    if d is None or d.empty or parsed.errors:
        return impact
    impact.demo_hidden, impact.demo_hidden_values = demo_hidden(parsed, store, own)
    rows = _own_area_rows(d, own)
    ids = affected_indicators(catalog, distinct_values(rows["variable"])) if len(rows) else []
    if not ids:
        return impact
    data = rows[STORED_COLUMNS].assign(source_row=pd.to_numeric(rows["source_row"], errors="coerce").astype("Int64"))
    with store.trial() as cur:
        before = _headline(cur, catalog, ids, own)
        cur.register("impact_incoming", pa.Table.from_pandas(data, preserve_index=False))
        cur.execute(
            """INSERT INTO observations (upload_id, variable, region, year, ref_date, nationality, sex, age_group,
                                         category, value, flag, source_row, current)
               SELECT ?, variable, region, year, ref_date, nationality, sex, age_group, category, value, flag,
                      source_row, TRUE
               FROM impact_incoming""",
            [TRIAL_UPLOAD],
        )
        cur.unregister("impact_incoming")
        apply_upload(cur, TRIAL_UPLOAD, own)
        recompute_in(cur, catalog, min_count, variables=distinct_values(rows["variable"]))
        after = _headline(cur, catalog, ids, own)
    impact.tried = True
    both = before.merge(after, on=["indicator", "year"], how="outer", suffixes=("_old", "_new"))
    order = {i: n for n, i in enumerate(catalog.indicators)}
    both["pos"] = both["indicator"].map(order)
    both = both.sort_values(["pos", "year"])
    missing = _missing_cells(rows, own, {**names, **parsed.region_names})
    found: dict[str, list[ValueChange]] = {LOST: [], NEW: [], CHANGED: []}
    for rec in both.itertuples(index=False):
        had, has = not pd.isna(rec.value_old), not pd.isna(rec.value_new)
        ind = catalog.indicators[rec.indicator]
        old = float(rec.value_old) if had else None
        new = float(rec.value_new) if has else None
        flag = rec.flag_new if isinstance(rec.flag_new, str) else None
        if had and not has:
            kind = LOST
        elif has and not had:
            kind = NEW
        elif had and fmt_value(old, ind.unit) != fmt_value(new, ind.unit):  # a change the pages would show
            kind = CHANGED
        else:
            continue
        found[kind].append(
            ValueChange(
                rec.indicator,
                ind.name,
                ind.unit,
                int(rec.year),
                kind,
                old,
                new,
                flag,
                _reason(flag, missing, int(rec.year)) if kind == LOST else "",
            )
        )
    impact.counts = {k: len(v) for k, v in found.items()}
    impact.changes = (found[LOST] + found[NEW] + found[CHANGED])[:MAX_LISTED]
    return impact


def warnings(impact: Impact, file: str) -> list[Problem]:
    """Each value of the own Kreis that would disappear as a warning (up to :data:`MAX_LOST_LISTED`, the rest
    counted in one more)."""
    listed = impact.lost[:MAX_LOST_LISTED]
    out = []
    for ch in listed:
        reason = f" {T.IMPACT_REASON.format(reason=ch.reason)}" if ch.reason else ""
        out.append(
            Problem(
                "warnung",
                T.IMPACT_LOST_WARNING.format(region=impact.region_name, name=ch.name, year=ch.year, old=ch.old_text)
                + reason,
                file,
            )
        )
    rest = impact.counts[LOST] - len(listed)
    if rest > 0:
        out.append(
            Problem("warnung", T.IMPACT_LOST_MORE.format(n=fmt_int(rest), region=impact.region_name), file, more=rest)
        )
    return out


def demo_hidden_text(impact: Impact) -> str:
    """In words: the demo values of comparison regions that stop counting after the takeover ('' when none)."""
    if not impact.demo_hidden:
        return ""
    n = len(impact.demo_hidden)
    names = impact.demo_hidden[: T.IMPACT_DEMO_HIDDEN_NAMES]
    return T.IMPACT_DEMO_HIDDEN.format(
        regions=count_text(n, "Vergleichsregion", "Vergleichsregionen"),
        values=count_text(impact.demo_hidden_values, "Wert", "Werte"),
        names="; ".join(names) + (" …" if n > len(names) else ""),
    )


def summary(impact: Impact) -> str:
    """One line: '3 entfallen · 0 neu · 42 geändert' (the Kreis's headline values)."""
    c = impact.counts
    return T.IMPACT_COUNTS.format(lost=fmt_int(c[LOST]), new=fmt_int(c[NEW]), changed=fmt_int(c[CHANGED]))
