"""Plausibility before the commit (issue 21): values that are possible but improbable are warnings the person
confirms (the page: a tick before the button; the command line: ``--ja``). Each names region, year, variable,
old → new and the rule.

The thresholds are data: ``plausibility`` of each variable in ``variables.yaml`` (defaults per unit under
``plausibility_defaults``). The rules:

- ``vorjahr``: a change against the previous year beyond ``change_pct`` (from a previous value of ``min_base`` on);
- ``tausendfach``: a value about 1,000 times or a thousandth of its nearest neighbour in time (file or database);
  a neighbour that is itself the outlier is no measure (after a thousandfold 2022 the correct 2023 is no finding);
- ``bruchteil``: a count of persons with a fraction (``whole``);
- ``gemeinden``: the Gemeinden of a Kreis summing to more than the Kreis (additive counts);
- ``teile``: a total ("insgesamt") above the sum of its parts in the same file beyond ``parts_pct`` (Deutsche +
  Ausländer, männlich + weiblich: ``parts``; a total below its parts is an error of the pipeline);
- ``zeichen``: a number in the database replaced by an official symbol ('-', '.').

Shares outside 0–100 % and negative counts are errors already (:func:`indicators.ingest.pipeline.validate`).
The comparison runs in DuckDB on the file's rows and the current values of the same variables and regions: one
query per rule, whatever the size of the file. Values of the demo data are synthetic: a real file is never compared
with them (a jump against an invented figure says nothing)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from indicators.catalog import Catalog
from indicators.fmt import fmt_num
from indicators.ingest.base import ParsedFile, Problem
from indicators.store import OBS_KEY, Store

if TYPE_CHECKING:
    import duckdb

#: warnings listed one by one per rule; the rest are counted
MAX_LISTED = 20
#: a value this many times its neighbour (or the neighbour this many times the value) is 'about a thousandfold'
THOUSANDFOLD = 300.0
#: tolerance of the Gemeinden sum above the Kreis (sources round: AZR to 5, others to 10)
SUM_TOLERANCE = 10.0

RULES = {
    "vorjahr": "Veränderung zum Vorjahr über ±{pct} %",
    "tausendfach": "etwa das 1.000-fache oder ein Tausendstel des Werts von {year}",
    "bruchteil": "eine Personenzahl mit Nachkommastellen",
    "gemeinden": "die Gemeinden ergeben zusammen mehr als der Kreis",
    "teile": "die Summe weicht von ihren Teilen ab (über {pct} %)",
    "zeichen": "eine Zahl wird durch das Zeichen „{flag}“ ersetzt",
}
RULE_NAMES = {
    "vorjahr": "Veränderung zum Vorjahr",
    "tausendfach": "etwa 1.000-fach oder ein Tausendstel",
    "bruchteil": "Personenzahl mit Nachkommastellen",
    "gemeinden": "Gemeinden über dem Kreis",
    "teile": "Summe weicht von ihren Teilen ab",
    "zeichen": "Zahl durch Zeichen ersetzt",
}
#: the rules by which a value jumps (the impact section names comparison regions with such a warning)
JUMP_RULES = ("tausendfach", "vorjahr")
_PREFIX, _SUFFIX = "Plausibilität – ", " Bitte prüfen und bestätigen."


def jumps_outside(problems: list[Problem], own: str) -> list[tuple[str, str]]:
    """(region key, what jumped) of the jump warnings about regions outside the own area (the Kreis ``own`` and its
    Gemeinden): 'Veränderung zum Vorjahr über ±10 %: Salzgitter (03102), 2018, Bevölkerung: 104.948 (2017) → …'."""
    out = []
    for p in problems:
        if p.rule in JUMP_RULES and p.region and not p.region.startswith(own):
            text = p.message.removeprefix(_PREFIX).removesuffix(_SUFFIX)
            out.append((p.region, text))
    return out


_NO_NEIGHBOURS = pd.DataFrame(
    columns=[
        "i",
        "from_file",
        "variable",
        "value",
        "year",
        "prev_year",
        "prev",
        "next_year",
        "next",
        "prev2",
        "next2",
        "med",
        "prev_med",
        "next_med",
        "change_pct",
        "min_base",
    ]
)
_DIMS = ("nationality", "sex", "age_group", "category")
_ON = " AND ".join(f"a.{k} = b.{k}" for k in OBS_KEY if k != "year")


def _num(x: float) -> str:
    x = float(x)
    return fmt_num(x, 0) if x.is_integer() else fmt_num(x, 2 if abs(x) < 100 else 1)


def check(parsed: ParsedFile, store: Store, catalog: Catalog) -> list[Problem]:
    """The plausibility warnings of a parsed file against itself and the current state (nothing is written)."""
    d = parsed.data
    if d.empty:
        return []
    incoming = d[list(OBS_KEY) + ["value", "flag"]].copy()
    # the key columns stay categoricals: DuckDB reads them as ENUMs (codes, no Python strings per row)
    incoming["year"] = pd.to_numeric(incoming["year"], errors="coerce").astype("Int64")
    incoming["value"] = pd.to_numeric(incoming["value"], errors="coerce").astype("float64")
    incoming["flag"] = incoming["flag"].astype(object).where(incoming["flag"].notna(), None)
    incoming["i"] = np.arange(len(incoming), dtype=np.int64)
    present = set(incoming["variable"].dropna().unique())
    variables = [v for v in catalog.variables.values() if v.id in present]
    limits = pd.DataFrame(
        {
            "variable": [v.id for v in variables],
            "change_pct": [v.plausibility.change_pct for v in variables],
            "min_base": [v.plausibility.min_base or 0.0 for v in variables],
            "whole": [bool(v.plausibility.whole) for v in variables],
            "summable": [v.additive and v.unit == "Anzahl" for v in variables],
            "tolerance": [max(SUM_TOLERANCE, 2.0 * (v.rounded_to or 0)) for v in variables],
            "parts_pct": [v.plausibility.parts_pct or 0.0 for v in variables],
        }
    )
    parts = pd.DataFrame(
        [
            (v.id, dim, part, len(codes))
            for v in variables
            if v.additive and v.unit == "Anzahl"
            for dim, codes in (v.plausibility.parts or {}).items()
            for part in codes
        ],
        columns=["variable", "dim", "part", "n"],
    )
    # only the dimensions in which the file has a total and a part (a flat file by nationality has no sexes)
    present_codes = {dim: set(incoming[dim].dropna().unique()) for dim in set(parts["dim"])}
    keep = [("insgesamt" in present_codes[d] and c in present_codes[d]) for d, c in zip(parts["dim"], parts["part"])]
    parts = parts.loc[np.asarray(keep, dtype=bool)]
    if limits.empty:
        return []
    cur = store.cursor()
    try:
        found = _flagged(cur, incoming, limits, present)
        found["teile"] = _parts(cur, parts)
    finally:
        cur.execute("DROP TABLE IF EXISTS plaus_now")
        cur.close()
    return _warnings(parsed, catalog, found, limits, store)


def _flagged(
    cur: duckdb.DuckDBPyConnection, incoming: pd.DataFrame, limits: pd.DataFrame, present: set[str]
) -> dict[str, pd.DataFrame]:
    """The rows each rule flags, computed in the database (the file registered as Arrow: no Python per row)."""
    import pyarrow as pa

    cur.register("plaus_in", pa.Table.from_pandas(incoming, preserve_index=False))
    cur.register("plaus_limits", limits)
    # the database's real values of these variables, if any (a first import, or demo data only: the file alone)
    exists = cur.execute(
        """SELECT EXISTS (SELECT 1 FROM observations o JOIN uploads u ON u.id = o.upload_id AND NOT u.demo
           WHERE o.current AND list_contains($v, o.variable))""",
        {"v": sorted(present)},
    ).fetchone()
    stored = bool(exists and exists[0])
    one_year = incoming["year"].nunique() <= 1
    _now_table(cur, stored)
    # only the rows a rule flags come back (a large file has hundreds of thousands of neighbours); a file of one
    # year without real values in the database has no neighbours in time
    return {
        "neighbours": _NO_NEIGHBOURS.copy() if one_year and not stored else _neighbours(cur),
        "zeichen": pd.DataFrame(columns=["i", "old", "flag"]) if not stored else _symbols(cur),
        "gemeinden": _gemeinden(cur),
    }


def _now_table(cur: duckdb.DuckDBPyConnection, stored: bool) -> None:
    """``plaus_now``: the file's values, with the database's real values of the same series where it has some."""
    file_rows = """SELECT variable::VARCHAR AS variable, region::VARCHAR AS region, year,
                  nationality::VARCHAR AS nationality, sex::VARCHAR AS sex, age_group::VARCHAR AS age_group,
                  category::VARCHAR AS category, value, TRUE AS from_file, i
           FROM plaus_in WHERE value IS NOT NULL"""
    if not stored:
        cur.execute(f"CREATE OR REPLACE TEMP TABLE plaus_now AS {file_rows}")
        return
    cur.execute(
        f"""CREATE OR REPLACE TEMP TABLE plaus_now AS {file_rows}
           UNION ALL
           SELECT o.variable, o.region, o.year, o.nationality, o.sex, o.age_group, o.category, o.value, FALSE, NULL
           FROM observations o JOIN uploads u ON u.id = o.upload_id AND NOT u.demo
           WHERE o.current AND o.value IS NOT NULL
             AND o.variable IN (SELECT DISTINCT variable FROM plaus_in)
             AND o.region IN (SELECT DISTINCT region FROM plaus_in)
             AND NOT EXISTS (SELECT 1 FROM plaus_in b WHERE """
        + " AND ".join(f"o.{k} = b.{k}" for k in OBS_KEY)
        + ")"
    )


def _neighbours(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The file's values far from their neighbours in time (about a thousandfold, or beyond the change threshold)."""
    nb = cur.execute(
        """WITH w AS (
          SELECT i, from_file, variable, region, nationality, sex, age_group, category, value, year,
                 lag(year) OVER k AS prev_year, lag(value) OVER k AS prev,
                 lead(year) OVER k AS next_year, lead(value) OVER k AS next,
                 lag(value, 2) OVER k AS prev2, lead(value, 2) OVER k AS next2
          FROM plaus_now
          WINDOW k AS (PARTITION BY variable, region, nationality, sex, age_group, category ORDER BY year)),
        nb AS (SELECT w.*, l.change_pct, l.min_base FROM w JOIN plaus_limits l ON l.variable = w.variable
               WHERE w.from_file)
        SELECT * FROM nb
        WHERE (value <> 0 AND prev <> 0 AND (abs(value / prev) >= $t OR abs(value / prev) <= 1 / $t))
           OR (value <> 0 AND next <> 0 AND (abs(value / next) >= $t OR abs(value / next) <= 1 / $t))
           OR (change_pct IS NOT NULL AND prev_year = year - 1 AND abs(prev) >= min_base AND prev <> 0
               AND abs(value - prev) * 100 > change_pct * abs(prev))
        ORDER BY i""",
        {"t": THOUSANDFOLD},
    ).df()
    return _typical(cur, nb)


def _typical(cur: duckdb.DuckDBPyConnection, nb: pd.DataFrame) -> pd.DataFrame:
    """For a series of two values alone (a table of 2022 and 2023): the typical value of each year among the file's
    regions of the same level (median, from 3 regions on) as ``med``, ``prev_med``, ``next_med``; it decides which of
    the two is the thousandfold one. Asked only for such rows (none in most files)."""
    nb = nb.assign(med=np.nan, prev_med=np.nan, next_med=np.nan)
    alone = (nb["prev2"].isna() & nb["next2"].isna() & (nb["prev"].isna() != nb["next"].isna())).to_numpy(copy=True)
    with np.errstate(divide="ignore", invalid="ignore"):  # only the thousandfold ones need the tie-breaker
        ratio = np.abs(nb["value"].to_numpy(dtype="float64") / nb["prev"].fillna(nb["next"]).to_numpy(dtype="float64"))
    alone &= (ratio >= THOUSANDFOLD) | (ratio <= 1 / THOUSANDFOLD)
    if not alone.any():
        return nb
    rows = nb[alone]
    other_year = rows["prev_year"].where(rows["prev"].notna(), rows["next_year"])
    keys = pd.concat([rows.assign(y=rows["year"]), rows.assign(y=other_year)], ignore_index=True)
    keys = keys.assign(lvl=keys["region"].str.len())[["variable", "y", *_DIMS, "lvl"]].drop_duplicates()
    keys["y"] = keys["y"].astype("int64")
    cur.register("plaus_typ_keys", keys)
    typ = cur.execute(
        """SELECT k.variable, k.y, k.nationality, k.sex, k.age_group, k.category, k.lvl, median(abs(n.value)) AS med
           FROM plaus_typ_keys k JOIN plaus_now n ON n.variable = k.variable AND n.year = k.y
                AND n.nationality = k.nationality AND n.sex = k.sex AND n.age_group = k.age_group
                AND n.category = k.category AND length(n.region) = k.lvl AND n.value <> 0
           GROUP BY ALL HAVING count(*) >= 3"""
    ).df()
    med = {tuple(r[:-1]): r[-1] for r in typ.itertuples(index=False, name=None)}

    def typical(r: Any, year: Any) -> float:
        key = (r.variable, int(year), *(getattr(r, d) for d in _DIMS), len(r.region))
        return float(med.get(key, np.nan))

    for idx, r in zip(rows.index, rows.itertuples(index=False)):
        nb.at[idx, "med"] = typical(r, r.year)
        side = "prev" if not pd.isna(r.prev) else "next"
        nb.at[idx, f"{side}_med"] = typical(r, getattr(r, f"{side}_year"))
    return nb


def _parts(cur: duckdb.DuckDBPyConnection, parts: pd.DataFrame) -> pd.DataFrame:
    """A total of the file above the sum of its parts in the file (all parts present) beyond the threshold."""
    out = []
    cur.register("plaus_parts", parts)
    for dim in sorted(set(parts["dim"])):
        if dim not in _DIMS:  # the catalog allows only these; the name goes into the SQL
            continue
        same = " AND ".join(f"p.{k} = t.{k}" for k in _DIMS if k != dim)
        out.append(
            cur.execute(
                f"""SELECT t.i, t.value AS total, sum(p.value) AS parts, l.parts_pct AS pct, '{dim}' AS dim,
                       list(p.{dim} ORDER BY q.part) AS codes
                FROM plaus_now t
                JOIN plaus_limits l ON l.variable = t.variable AND l.summable
                JOIN plaus_parts q ON q.variable = t.variable AND q.dim = '{dim}'
                JOIN plaus_now p ON p.from_file AND p.variable = t.variable AND p.region = t.region
                     AND p.year = t.year AND p.{dim} = q.part AND {same}
                WHERE t.from_file AND t.{dim} = 'insgesamt'
                GROUP BY t.i, t.value, l.parts_pct, l.tolerance, q.n
                HAVING count(*) = q.n
                   AND t.value > sum(p.value) + greatest(l.tolerance, l.parts_pct * abs(t.value) / 100)
                ORDER BY t.i"""
            ).df()
        )
    if not out:
        return pd.DataFrame(columns=["i", "total", "parts", "pct", "dim", "codes"])
    return pd.concat(out, ignore_index=True).drop_duplicates("i")  # one warning per cell


def _symbols(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The file's symbols where the database holds a number."""
    return cur.execute(
        f"""SELECT b.i, a.value AS old, b.flag FROM plaus_in b
        JOIN observations a ON a.current AND {_ON} AND a.year = b.year
        JOIN uploads u ON u.id = a.upload_id AND NOT u.demo
        WHERE b.value IS NULL AND b.flag IS NOT NULL AND a.value IS NOT NULL
        ORDER BY b.i"""
    ).df()


def _gemeinden(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """A Kreis whose Gemeinden sum to more than its own value. The Gemeinden are summed per Kreis first (one pass
    over the rows), then joined with the Kreise: the same sums as joining every Gemeinde with its Kreis. A Kreis row
    that occurs ``times`` times counts its Gemeinden as often (as the join of every Kreis row did)."""
    return cur.execute(
        """WITH g AS (
             SELECT variable, year, nationality, sex, age_group, category, region[1:5] AS kreis,
                    min(i) AS gi, sum(value) AS parts, count(*) AS n, bool_or(from_file) AS from_file
             FROM plaus_now
             WHERE length(region) = 8 AND variable IN (SELECT variable FROM plaus_limits WHERE summable)
             GROUP BY ALL),
           k AS (
             SELECT variable, region, year, nationality, sex, age_group, category, value, from_file,
                    any_value(i) AS i, count(*) AS times
             FROM plaus_now WHERE length(region) = 5
             GROUP BY ALL)
           SELECT k.i AS ki, g.gi, k.value AS kreis, g.parts * k.times AS parts, g.n * k.times AS n,
                  k.variable, k.region, k.year
           FROM k
           JOIN plaus_limits l ON l.variable = k.variable AND l.summable
           JOIN g ON g.variable = k.variable AND g.year = k.year AND g.nationality = k.nationality
                AND g.sex = k.sex AND g.age_group = k.age_group AND g.category = k.category AND g.kreis = k.region
           WHERE g.parts * k.times > k.value + l.tolerance AND (k.from_file OR g.from_file)
           ORDER BY k.region, k.variable, k.year"""
    ).df()


def _warnings(
    parsed: ParsedFile, catalog: Catalog, found: dict[str, pd.DataFrame], limits: pd.DataFrame, store: Store
) -> list[Problem]:
    d = parsed.data
    w = _Listing(parsed, catalog, _RegionNames(store, parsed.region_names))
    thousand, change = _neighbour_flags(found["neighbours"])
    w.listed("tausendfach", sorted(thousand, key=lambda x: x[0]))
    w.listed("vorjahr", sorted(change, key=lambda x: x[0]))
    whole = set(limits.loc[limits["whole"], "variable"])
    if whole:
        value = d["value"].to_numpy(dtype="float64", na_value=np.nan)
        is_whole_var = d["variable"].isin(list(whole)).to_numpy()
        with np.errstate(invalid="ignore"):
            frac = is_whole_var & ~np.isnan(value) & (np.abs(value - np.round(value)) > 1e-9)
        w.listed("bruchteil", [(i, f"{_num(value[i])}", {}) for i in np.flatnonzero(frac)])
    w.listed(
        "gemeinden",
        [
            (
                r.ki if not pd.isna(r.ki) else r.gi,
                f"Kreis {_num(r.kreis)} → Summe der {int(r.n)} Gemeinden {_num(r.parts)}",
                {},
            )
            for r in found["gemeinden"].itertuples(index=False)
            if not (pd.isna(r.ki) and pd.isna(r.gi))
        ],
    )
    w.listed("teile", sorted((_parts_row(r, catalog) for r in found["teile"].itertuples(index=False)), key=_first))
    w.listed("zeichen", [(r.i, f"{_num(r.old)} → „{r.flag}“", {"flag": r.flag}) for r in found["zeichen"].itertuples()])
    return w.out


class _RegionNames:
    """The name of a region: the region list's, else the file's; looked up for the few regions a warning names
    (not the whole region list for every file: 200.000 regions cost some tenths of a second)."""

    def __init__(self, store: Store, from_file: dict[str, str]) -> None:
        self.store, self.from_file = store, from_file
        self.known: dict[str, str] = {}

    def get(self, region: str, default: str) -> str:
        if region not in self.known:
            name = self.from_file.get(region, default)
            try:
                found = self.store.query("SELECT name FROM regions WHERE key = ? ORDER BY key", [region])
                name = str(found[-1][0]) if found else name
            except Exception:  # the names are a courtesy; the rule holds without them
                pass
            self.known[region] = name
        return self.known[region]


def _first(row: tuple[Any, ...]) -> Any:
    return row[0]


def _parts_row(r: Any, catalog: Catalog) -> tuple[Any, ...]:
    """'insgesamt 153.088.000, Deutsche + Ausländer/-innen zusammen 153.088'."""
    from indicators.wording import code_label

    label = " + ".join(code_label(str(r.dim), str(c), catalog) for c in _order(r.codes, str(r.dim)))
    return (r.i, f"insgesamt {_num(r.total)}, {label} zusammen {_num(r.parts)}", {"pct": fmt_num(float(r.pct), 0)})


def _order(codes: Any, dim: str) -> list[str]:
    """The parts in the order the definitions name them (deutsch before auslaendisch)."""
    from indicators.catalog import NATIONALITIES, SEXES

    known = {"nationality": NATIONALITIES, "sex": SEXES}.get(dim, ())
    return sorted((str(c) for c in codes), key=lambda c: known.index(c) if c in known else len(known))


class _Listing:
    """The warnings of the rules, each naming the place (region, year, variable) and the change; per rule the first
    MAX_LISTED one by one and the rest counted."""

    def __init__(self, parsed: ParsedFile, catalog: Catalog, names: _RegionNames) -> None:
        self.parsed, self.catalog, self.names = parsed, catalog, names
        self.out: list[Problem] = []

    def what(self, i: int) -> tuple[str, dict[str, Any]]:
        from indicators.wording import code_label

        catalog = self.catalog
        d = self.parsed.data  # column by column (d.iloc[i] hashes the categories of every categorical)
        rec = {c: d[c].iloc[int(i)] for c in d.columns}
        region = str(rec["region"])
        dims = [code_label(dim, rec[dim], catalog, str(rec["variable"])) for dim in _DIMS if rec[dim] != "insgesamt"]
        label = code_label("variable", rec["variable"], catalog) + (f" ({', '.join(dims)})" if dims else "")
        return f"{self.names.get(region, region)} ({region}), {int(rec['year'])}, {label}", rec

    def add(self, rule: str, i: int, change: str, **kw: object) -> None:
        place, rec = self.what(i)
        self.out.append(
            Problem(
                "warnung",
                f"{_PREFIX}{RULES[rule].format(**kw)}: {place}: {change}.{_SUFFIX}",
                self.parsed.raw.name,
                rec["source_sheet"],
                rec["source_row"],
                rec["source_column"],
                rule=rule,
                region=str(rec["region"]),
            )
        )

    def listed(self, rule: str, rows: list[tuple[Any, ...]]) -> None:
        for args in rows[:MAX_LISTED]:
            self.add(rule, *args[:2], **args[2])
        if len(rows) > MAX_LISTED:
            rest = len(rows) - MAX_LISTED
            self.out.append(
                Problem(
                    "warnung",
                    f"… und {fmt_num(rest, 0)} weitere Werte mit derselben Plausibilitätswarnung ({RULE_NAMES[rule]}).",
                    self.parsed.raw.name,
                    more=rest,
                    rule=rule,
                )
            )


def _far(a: Any, b: Any) -> bool:
    """``a`` about 1,000 times ``b`` or a thousandth of it (both present and not zero)."""
    if pd.isna(a) or pd.isna(b) or float(a) == 0 or float(b) == 0:
        return False
    ratio = abs(float(a) / float(b))
    return ratio >= THOUSANDFOLD or ratio <= 1 / THOUSANDFOLD


def _outlier(v: float, x: Any, outer: Any, other: Any, v_med: Any = None, x_med: Any = None) -> bool:
    """The neighbour ``x`` of ``v`` is itself the odd one out (about a thousandfold): far from ``v`` and from its
    own other neighbour ``outer`` while ``v`` agrees with ``outer``, or (at the end of the series) far from ``v``'s
    neighbour on the other side ``other`` while ``v`` agrees with that one. Two values alone (a table of 2022 and
    2023): the one far from the typical value of its year among the file's regions of its level (``v_med``,
    ``x_med``) is the odd one. A value is judged against its plausible neighbours: after a thousandfold 2022 the
    correct 2023 is no finding (2022 is)."""
    if not _far(v, x):
        return False
    if not pd.isna(outer):
        return _far(x, outer) and not _far(v, outer)
    if not pd.isna(other):
        return _far(x, other) and not _far(v, other)
    return _far(x, x_med) and not _far(v, v_med) and not pd.isna(v_med)


def _beyond(v: float, base: Any, pct: Any, min_base: Any) -> bool:
    """``v`` changed against ``base`` by more than ``pct`` percent (from a base of ``min_base`` on)."""
    if pd.isna(base) or pd.isna(pct) or float(base) == 0 or abs(float(base)) < float(min_base):
        return False
    return abs(v - float(base)) * 100 > float(pct) * abs(float(base))


def _neighbour_flags(nb: pd.DataFrame) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The rows flagged against their neighbours in time: (about a thousandfold, change beyond the threshold). A
    neighbour that is itself an outlier is no measure: the outlier is flagged, the plausible value beside it not."""
    thousand, change = [], []
    for r in nb.itertuples(index=False):
        v = float(r.value)
        prev_odd = _outlier(v, r.prev, r.prev2, r.next, r.med, r.prev_med)
        next_odd = _outlier(v, r.next, r.next2, r.prev, r.med, r.next_med)
        hit = None
        for year, other, odd in ((r.prev_year, r.prev, prev_odd), (r.next_year, r.next, next_odd)):
            if not odd and _far(v, other):
                hit = (int(year), float(other))
                break
        if hit:
            thousand.append((r.i, f"{_num(hit[1])} ({hit[0]}) → {_num(v)}", {"year": hit[0]}))
            continue
        if prev_odd or pd.isna(r.prev) or int(r.prev_year) != int(r.year) - 1:
            continue
        # the previous year beyond the threshold of its own previous value while this one is within it: the
        # previous year is the odd one (a tenfold typing error in 2022 does not make the correct 2023 doubtful)
        if _beyond(float(r.prev), r.prev2, r.change_pct, r.min_base) and not _beyond(
            v, r.prev2, r.change_pct, r.min_base
        ):
            continue
        if _beyond(v, r.prev, r.change_pct, r.min_base):
            pct = (v - float(r.prev)) * 100 / abs(float(r.prev))
            change.append(
                (
                    r.i,
                    f"{_num(r.prev)} ({int(r.prev_year)}) → {_num(v)} ({fmt_num(pct, 1, sign=True)} %)",
                    {"pct": fmt_num(float(r.change_pct), 0)},
                )
            )
    return thousand, change
