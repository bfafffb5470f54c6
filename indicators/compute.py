"""Computation in DuckDB: current state, Gemeinde aggregation, every indicator of the catalog.

The current state is a mark on the base rows (``observations.current``): an import sets it for its rows
and clears it for the rows they supersede (:func:`apply_upload`); a rollback marks anew from the upload
history (:func:`rebuild_current`).

The catalog is turned into two small parameter tables (like dbt's metric definitions compiled to
SQL): ``ops`` (one row per operand: variable, lag, a filter per dimension or NULL where the dimension
is a free breakdown) and ``inds`` (one row per indicator: kind, factor, minimum case count, the
values of its fixed dimensions). One set-based statement then computes every indicator at once (Kreis
sums, operand values, base values and results as CTEs), so the cost does not grow with the number of
indicators, and nothing intermediate is written to disk.
No identifier from a definition or an upload is ever spliced into SQL text.

Flags are comma-separated sets of codes: the source's special symbols (``-``, ``.``, ``*``, ``p`` …)
plus the computed ones in :data:`COMPUTED_FLAGS`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import duckdb
import pandas as pd

from indicators.catalog import DIMENSIONS, TOTAL, Catalog, Dim, Indicator
from indicators.store import MARK_CURRENT, OBS_KEY, Store, one_row

COMPUTED_FLAGS = {
    "Fz": "unter der Mindestfallzahl, unterdrückt (primäre Geheimhaltung)",
    "Fz2": "zusätzlich unterdrückt (Sekundärgeheimhaltung): sonst ließe sich ein unterdrückter Wert aus "
    "Summe und übrigen Gemeinden errechnen",
    "tw": "Teilwerte fehlen (Summe aus Gemeinden unvollständig)",
    "~5": "aus auf 5 gerundeten Fallzahlen berechnet",
    "x0": "Nenner ist 0, kein Wert berechenbar",
    "abg": "abgeleitet: 100 minus den veröffentlichten Anteil des Gegenstücks (etwa „mit mindestens "
    "Hauptschulabschluss“); ein Vergleichswert, nicht aus Zählwerten berechnet",
}
FIXED = "*"  # dimension value of an operand row whose dimension is fixed by the definition
#: operand roles as small integers (the joins inside the computation compare numbers, not names)
ROLES = {"numerator": 0, "denominator": 1, "group_a": 2, "group_b": 3}


def _expected_children(years: str) -> str:
    """Number of Gemeinden each Kreis has in each year (validity of mergers), for the years of the CTE
    ``years`` only: a cross product with every possible year would cost millions of rows for nothing."""
    return f"""
    SELECT r.parent AS region, y.year AS year, count(*) AS expected
    FROM regions r JOIN (SELECT DISTINCT year FROM {years}) AS y
      ON coalesce(r.valid_from, 0) <= y.year AND coalesce(r.valid_to, 9999) >= y.year
    WHERE r.level = 'gemeinde' AND r.parent IS NOT NULL
    GROUP BY ALL
"""


def _official_values(cur: duckdb.DuckDBPyConnection, catalog: Catalog, only: list[str] | None) -> None:
    """Published values of an indicator's quantity (``official``: e.g. 100 minus the published share of the complement
    series) where the indicator has no value of its own for that region, year and breakdown: comparison values of
    Land and Bund, with the observation's flag (``abg``: derived)."""
    for ind in catalog.indicators.values():
        if ind.official is None or (only is not None and ind.id not in only):
            continue
        op = ind.official
        filters: list[str] = []
        params: dict[str, object] = {"ind": ind.id, "var": op.variable}
        for n, (dim, code) in enumerate(op.filter.items()):
            filters.append(f"AND list_contains($f{n}, o.{dim})")
            params[f"f{n}"] = code if isinstance(code, list) else [code]
        same = " AND ".join(f"v.{k} = o.{k}" for k in ("region", "year", *DIMENSIONS))
        cur.execute(
            f"""INSERT INTO indicator_values (indicator, region, year, {", ".join(DIMENSIONS)}, value, numerator,
                                              denominator, flag)
                SELECT $ind, o.region, o.year + {op.lag}, {", ".join("o." + d for d in DIMENSIONS)}, o.value, NULL, NULL,
                       nullif(o.flag, '')
                FROM obs_current o
                WHERE o.variable = $var {" ".join(filters)}
                  AND NOT EXISTS (SELECT 1 FROM indicator_values v WHERE v.indicator = $ind AND {same})""",
            params,
        )


def rebuild_current(cur: duckdb.DuckDBPyConnection, own: str) -> None:
    """Mark the current rows from the whole upload history: for each key the row of the newest active
    upload (after a rollback; an import updates the marks with :func:`apply_upload`). ``own``: the monitor's own
    Kreis (its setting, :attr:`indicators.config.Settings.own_region`)."""
    for stmt in MARK_CURRENT:
        cur.execute(stmt)
    hide_demo_beside_real(cur, own)


#: regions outside the own area ($own: the Kreis, whose Gemeinden' keys begin with it) with a current value of a real
#: (not demo) upload
_REAL_REGIONS = """SELECT DISTINCT region FROM observations
    WHERE current AND NOT starts_with(region, $own)
      AND upload_id IN (SELECT id FROM uploads WHERE NOT demo AND status = 'aktiv')"""
#: the regions whose demo values are hidden (count and hash: a change forces a full recompute)
_HIDDEN_DIGEST = f"""SELECT count(*) || ':' || coalesce(sum(hash(region)), 0) FROM (
    {_REAL_REGIONS}
    INTERSECT
    SELECT DISTINCT region FROM observations WHERE upload_id IN (SELECT id FROM uploads WHERE demo AND status = 'aktiv'))"""


def hide_demo_beside_real(cur: duckdb.DuckDBPyConnection, own_region: str) -> None:
    """Demo comparison regions never mix with real values of the same region (issue 21): once a real upload brings any
    value of a region outside the own area (Salzgitter's population from a GENESIS table), none of the demo's
    synthetic values of that region is current any more, of any variable or year (a real population beside a
    synthetic number of foreigners gave Salzgitter an Ausländeranteil of 40 %). Rolled back, the real upload gives the
    demo values back. The own Kreis and its Gemeinden keep the rule of the upload history (the preview names every
    change of the Kreis's values there). When the set of hidden regions changes, the next recompute computes every
    indicator (the hidden rows belong to other variables than the upload's). ``own_region``: the monitor's own Kreis
    (the setting of the monitor at hand, not the environment read again: one source of truth)."""
    own = {"own": own_region}
    if not one_row(cur.execute("SELECT count(*) FROM uploads WHERE demo AND status = 'aktiv'").fetchone())[0]:
        return
    cur.execute(
        f"""UPDATE observations SET current = FALSE
            WHERE current AND upload_id IN (SELECT id FROM uploads WHERE demo) AND region IN ({_REAL_REGIONS})""",
        own,
    )
    digest = str(one_row(cur.execute(_HIDDEN_DIGEST, own).fetchone())[0])
    old = cur.execute("SELECT value FROM meta WHERE key = 'demo_hidden'").fetchone()
    if (old[0] if old else "0:0") != digest:
        cur.execute("DELETE FROM meta WHERE key IN ('demo_hidden', 'catalog_fingerprint')")
        cur.execute("INSERT INTO meta VALUES ('demo_hidden', $d)", {"d": digest})


def apply_upload(cur: duckdb.DuckDBPyConnection, upload_id: int, own: str) -> None:
    """A new upload is the newest: its rows (inserted as current) supersede the current rows with the same key
    (``own``: the monitor's own Kreis, for :func:`hide_demo_beside_real`)."""
    same_key = " AND ".join(f"o.{k} = n.{k}" for k in OBS_KEY)
    cur.execute(
        f"""UPDATE observations o SET current = FALSE
                    FROM (SELECT {", ".join(OBS_KEY)} FROM observations WHERE upload_id = $u) n
                    WHERE o.current AND o.upload_id <> $u AND {same_key}""",
        {"u": upload_id},
    )
    hide_demo_beside_real(cur, own)


# Kreis values summed from the Gemeinden where the data has no Kreis row ($additive: the variables that
# may be summed). A Gemeinde cell without a number (special symbol) or a missing Gemeinde makes the sum
# unknown: NULL, flag 'tw'. Computed inside the indicator statement, never stored.
_AGGREGATED = f"""
    WITH g AS (
        SELECT o.*, r.parent FROM observations o
        JOIN regions r ON r.key = o.region AND r.level = 'gemeinde' AND r.parent IS NOT NULL
        WHERE o.current AND list_contains($additive, o.variable)
    ), agg AS (
        SELECT variable, parent AS region, year, nationality, sex, age_group, category,
               max(ref_date) AS ref_date, count(*) AS n, bool_or(value IS NULL) AS missing,
               sum(value) AS total, string_agg(flag, ',') AS flag
        FROM g GROUP BY variable, parent, year, nationality, sex, age_group, category
    ), e AS ({_expected_children("agg")})
    SELECT a.variable, a.region, a.year, a.ref_date, a.nationality, a.sex, a.age_group, a.category,
           CASE WHEN a.missing OR a.n < e.expected THEN NULL ELSE a.total END AS value,
           merge_flags(a.flag, CASE WHEN a.missing OR a.n < e.expected THEN 'tw' END) AS flag
    FROM agg a JOIN e ON e.region = a.region AND e.year = a.year
    WHERE NOT EXISTS (
        SELECT 1 FROM observations k
        WHERE k.current AND k.variable = a.variable AND k.region = a.region AND k.year = a.year
          AND k.nationality = a.nationality AND k.sex = a.sex AND k.age_group = a.age_group
          AND k.category = a.category)
"""

#: the state every indicator is computed from: the current rows and the Kreis sums from Gemeinden
_STATE = """
    SELECT variable, region, year, ref_date, nationality, sex, age_group, category, value, flag, FALSE AS aggregated
    FROM obs_current
    UNION ALL
    SELECT *, TRUE AS aggregated FROM agg_rows
"""


def additive_variables(catalog: Catalog) -> list[str]:
    return [v.id for v in catalog.variables.values() if v.additive]


def current_state(store: Store, catalog: Catalog) -> pd.DataFrame:
    """The current rows plus the Kreis sums from Gemeinden, with ``aggregated`` telling which is which."""
    return store.query_df(f"WITH agg_rows AS ({_AGGREGATED}) {_STATE}", {"additive": additive_variables(catalog)})


# -- the catalog as parameter tables ----------------------------------------------------------------
def _free_dims(ind: Indicator) -> list[str]:
    """Dimensions on which an indicator's operands are joined and that its results are broken down by."""
    extra = {ind.comparison.dimension} if ind.kind == "gap" else set()
    wanted = [d for d in DIMENSIONS if d in ind.breakdowns or d in extra]
    ops = [op for role, op in ind.operands().items()]
    return [d for d in wanted if all(d not in op.filter for op in ops)]


def parameter_tables(catalog: Catalog, default_min_count: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``ops`` (one row per operand) and ``inds`` (one row per indicator), the inputs of the SQL below.

    Inside the computation an indicator is its number ``ind`` (position in the catalog) and a role its
    number in :data:`ROLES`; the indicator's id is joined back only for the stored result."""
    ops, inds = [], []
    for no, ind in enumerate(catalog.indicators.values()):
        free = _free_dims(ind)
        for role, op in ind.operands().items():
            role = "numerator" if role == "value" else role
            row = {
                "ind": no,
                "role": ROLES[role],
                "variable": op.variable,
                "lag": int(op.lag),
                "round_flag": "~5" if (catalog.variables[op.variable].rounded_to or 0) > 1 else None,
            }
            for dim in DIMENSIONS:
                want = op.filter.get(cast(Dim, dim), TOTAL)
                row[f"f_{dim}"] = None if dim in free else (list(want) if isinstance(want, list) else [want])
            ops.append(row)
        min_count = ind.min_count if ind.min_count is not None else default_min_count
        cmp = ind.comparison.dimension if ind.kind == "gap" else None
        inds.append(
            {
                "ind": no,
                "indicator": ind.id,
                "kind": ind.kind,
                "factor": ind.factor,
                "min_count": int(min_count),
                "is_count": ind.unit == "Anzahl",
                "has_denominator": ind.denominator is not None,
                "cmp_dim": cmp,
                "minuend": ind.comparison.minuend if cmp else None,
                "subtrahend": ind.comparison.subtrahend if cmp else None,
                **{f"out_{d}": (TOTAL if d == cmp else ind.fixed_output(d)) for d in DIMENSIONS},
            }
        )
    ops_df = pd.DataFrame(ops)
    for dim in DIMENSIONS:
        ops_df[f"f_{dim}"] = ops_df[f"f_{dim}"].astype(object)
    inds_df = pd.DataFrame(inds)
    inds_df["ind"] = inds_df["ind"].astype("int32")
    return ops_df, inds_df


def exploded_operands(ops: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[tuple[str, ...], bool]]]:
    """One row per operand and combination of filter codes (a list filter becomes several rows that are
    summed), with the number of its pattern: (free dimensions, whether rows must be summed)."""
    patterns: list[tuple[tuple[str, ...], bool]] = []
    rows = []
    for rec in ops.to_dict("records"):
        free = tuple(d for d in DIMENSIONS if rec[f"f_{d}"] is None)
        combos: list[dict[str, Any]] = [{}]
        for d in DIMENSIONS:
            if d in free:
                continue
            combos = [{**c, f"f_{d}": code} for c in combos for code in dict.fromkeys(rec[f"f_{d}"])]
        pattern = (free, len(combos) > 1)
        if pattern not in patterns:
            patterns.append(pattern)
        for c in combos:
            rows.append(
                {
                    "ind": rec["ind"],
                    "role": rec["role"],
                    "variable": rec["variable"],
                    "lag": rec["lag"],
                    "round_flag": rec["round_flag"],
                    "pattern": patterns.index(pattern),
                    **{f"f_{d}": c.get(f"f_{d}") for d in DIMENSIONS},
                }
            )
    out = pd.DataFrame(rows)
    # text columns stay text also where every entry is empty: a selection of indicators (partial recompute)
    # can leave round_flag all NaN, which pandas would make a float column and DuckDB a DOUBLE
    for col in ("round_flag", *(f"f_{d}" for d in DIMENSIONS)):
        out[col] = out[col].astype(object)
    out["ind"] = out["ind"].astype("int32")
    out["role"] = out["role"].astype("int8")
    return out, patterns


_DIMS = ", ".join(DIMENSIONS)
_JOIN_DIMS = " AND ".join(f"n.{d} = d.{d}" for d in DIMENSIONS)
_OUT = ", ".join(f"CASE WHEN x.{d} = '{FIXED}' THEN i.out_{d} ELSE x.{d} END AS {d}" for d in DIMENSIONS)


# 1) every operand's values, grouped by the free dimensions (fixed ones collapse to '*', lists are summed).
#    One equi-join per pattern of free dimensions: an observation row meets only the operands that use it.
def _operand_values_sql(patterns: list[tuple[tuple[str, ...], bool]]) -> str:
    branches = []
    for k, (free, summed) in enumerate(patterns):
        on = " AND ".join(
            [
                "op.pattern = " + str(k),
                "o.variable = op.variable",
                *[f"o.{d} = op.f_{d}" for d in DIMENSIONS if d not in free],
            ]
        )
        dims = ", ".join(f"o.{d} AS {d}" if d in free else f"'{FIXED}' AS {d}" for d in DIMENSIONS)
        if not summed:  # one observation row per operand value: no aggregation needed
            branches.append(f"""
SELECT op.ind, op.role, o.region, o.year + op.lag AS year, {dims},
       o.value AS v, cat_flags(o.flag, op.round_flag) AS f
FROM state o JOIN ops_x op ON {on}""")
            continue
        keys = ", ".join(["op.ind", "op.role", "o.region", "o.year + op.lag", *[f"o.{d}" for d in free]])
        branches.append(f"""
SELECT op.ind, op.role, o.region, o.year + op.lag AS year, {dims},
       CASE WHEN bool_or(o.value IS NULL) THEN NULL ELSE sum(o.value) END AS v,
       cat_flags(string_agg(o.flag, ','), any_value(op.round_flag)) AS f
FROM state o JOIN ops_x op ON {on}
GROUP BY {keys}""")
    return "\nUNION ALL".join(branches)


# 2) base values: numerator / denominator x factor (with suppression), or the published value
_BASE = f"""
WITH r AS (
    SELECT n.ind, n.region, n.year, {", ".join("n." + d for d in DIMENSIONS)},
           n.v AS nv, d.v AS dv, n.f AS nf, d.f AS df, i.factor,
           coalesce(d.v < i.min_count OR (n.v > 0 AND n.v < i.min_count), FALSE) AS sup
    FROM opv n
    JOIN opv d ON d.ind = n.ind AND d.role = {ROLES["denominator"]} AND n.region = d.region
              AND n.year = d.year AND {_JOIN_DIMS}
    JOIN inds i ON i.ind = n.ind
    WHERE n.role = {ROLES["numerator"]} AND i.has_denominator
)
SELECT ind, region, year, {_DIMS},
       CASE WHEN sup OR dv = 0 THEN NULL ELSE nv / dv * factor END AS value,
       CASE WHEN sup THEN NULL ELSE nv END AS numerator,
       CASE WHEN sup THEN NULL ELSE dv END AS denominator,
       cat_flags(cat_flags(nf, df), CASE WHEN sup THEN 'Fz' WHEN dv = 0 THEN 'x0' END) AS flag
FROM r
UNION ALL
SELECT n.ind, n.region, n.year, {", ".join("n." + d for d in DIMENSIONS)},
       CASE WHEN sup THEN NULL ELSE n.v END, CASE WHEN sup THEN NULL ELSE n.v END, NULL::DOUBLE,
       cat_flags(n.f, CASE WHEN sup THEN 'Fz' END)
FROM (SELECT n.*, coalesce(i.is_count AND i.min_count > 0 AND n.v > 0 AND n.v < i.min_count, FALSE) AS sup
      FROM opv n JOIN inds i ON i.ind = n.ind
      WHERE n.role = {ROLES["numerator"]} AND NOT i.has_denominator AND i.kind IN ('published', 'gap')) AS n
"""


def _dim_of(alias: str) -> str:
    """The value of the indicator's compare dimension (chosen per row from the whitelist)."""
    return "CASE i.cmp_dim " + " ".join(f"WHEN '{d}' THEN {alias}.{d}" for d in DIMENSIONS) + " END"


# 3) results: base values for the simple kinds, differences for gaps, the dissimilarity index
_RESULTS = f"""
SELECT * REPLACE (CASE WHEN flag IS NULL OR flag = '' THEN NULL WHEN NOT contains(flag, ',') THEN flag
                       ELSE merge_flags(flag, NULL) END AS flag) FROM (
SELECT i.indicator, x.region, x.year, {_OUT}, x.value, x.numerator, x.denominator, x.flag
FROM base x JOIN inds i ON i.ind = x.ind
WHERE i.kind IN ('published', 'share', 'rate', 'ratio')
UNION ALL
SELECT i.indicator, x.region, x.year, {_OUT}, x.value, x.numerator, x.denominator, x.flag
FROM (
    -- both groups of a gap side by side: an equi-join on every dimension but the compared one ('*' there)
    WITH g AS (
        SELECT x.ind, x.region, x.year, x.value, x.flag,
               {_dim_of("x")} = i.minuend AS is_minuend, {_dim_of("x")} = i.subtrahend AS is_subtrahend,
               {", ".join(f"CASE WHEN i.cmp_dim = '{d}' THEN '{FIXED}' ELSE x.{d} END AS {d}" for d in DIMENSIONS)}
        FROM base x JOIN inds i ON i.ind = x.ind AND i.kind = 'gap'
    )
    SELECT a.ind, a.region, a.year, {", ".join("a." + d for d in DIMENSIONS)},
           a.value - b.value AS value, a.value AS numerator, b.value AS denominator,
           cat_flags(a.flag, b.flag) AS flag
    FROM (SELECT * FROM g WHERE is_minuend) a
    JOIN (SELECT * FROM g WHERE is_subtrahend) b
      ON b.ind = a.ind AND b.region = a.region AND b.year = a.year AND {" AND ".join(f"a.{d} = b.{d}" for d in DIMENSIONS)}
) x JOIN inds i ON i.ind = x.ind
UNION ALL
SELECT i.indicator, x.region, x.year, {_OUT}, x.value, x.numerator, x.denominator, x.flag
FROM (
    WITH j AS (
        SELECT a.ind, r.parent AS region, a.year, {", ".join("a." + d for d in DIMENSIONS)},
               a.v AS av, b.v AS bv, cat_flags(a.f, b.f) AS flag
        FROM opv a
        JOIN opv b ON b.ind = a.ind AND b.role = {ROLES["group_b"]} AND b.region = a.region
                  AND b.year = a.year AND {" AND ".join(f"a.{d} = b.{d}" for d in DIMENSIONS)}
        JOIN regions r ON r.key = a.region AND r.level = 'gemeinde' AND r.parent IS NOT NULL
        WHERE a.role = {ROLES["group_a"]}
    ), t AS (
        SELECT ind, region, year, {_DIMS}, sum(av) AS ta, sum(bv) AS tb, count(*) AS n,
               bool_or(av IS NULL OR bv IS NULL) AS missing, string_agg(flag, ',') AS flag
        FROM j GROUP BY ALL
    ), s AS (
        SELECT j.ind, j.region, j.year, {", ".join("j." + d for d in DIMENSIONS)},
               sum(abs(j.av / t.ta - j.bv / t.tb)) AS d
        FROM j JOIN t USING (ind, region, year, {_DIMS})
        WHERE t.ta > 0 AND t.tb > 0
        GROUP BY ALL
    ), e AS ({_expected_children("t")})
    SELECT t.ind, t.region, t.year, {", ".join("t." + d for d in DIMENSIONS)},
           CASE WHEN t.missing OR t.n < e.expected OR s.d IS NULL THEN NULL ELSE 50 * s.d END AS value,
           t.ta AS numerator, t.tb AS denominator,
           cat_flags(t.flag, CASE WHEN t.missing OR t.n < e.expected THEN 'tw' END) AS flag
    FROM t JOIN e ON e.region = t.region AND e.year = t.year
    LEFT JOIN s ON s.ind = t.ind AND s.region = t.region AND s.year = t.year
              AND {" AND ".join(f"s.{d} = t.{d}" for d in DIMENSIONS)}
) x JOIN inds i ON i.ind = x.ind
)
"""


# 4) secondary suppression: where exactly one Gemeinde of a shown Kreis total is suppressed (flag Fz...),
#    it could be recovered by subtraction; the smallest other Gemeinde of that cell is suppressed as well
#    (value, numerator and denominator NULL, flag 'Fz2'). Only for additive kinds (counts, shares, rates,
#    ratios: their numerators are sums). One pass suffices: afterwards every such cell hides 0 or >= 2.
_DIMS_EQ = " AND ".join(f"{{a}}.{d} IS NOT DISTINCT FROM {{b}}.{d}" for d in DIMENSIONS)
_SECONDARY = f"""
UPDATE indicator_values v
SET value = NULL, numerator = NULL, denominator = NULL,
    flag = CASE WHEN v.flag IS NULL OR v.flag = '' THEN 'Fz2' ELSE merge_flags(v.flag, 'Fz2') END
FROM (
    WITH g AS (
        SELECT v.*, r.parent FROM indicator_values v
        JOIN regions r ON r.key = v.region AND r.level = 'gemeinde' AND r.parent IS NOT NULL
        JOIN inds i ON i.indicator = v.indicator
        WHERE i.kind IN ('share', 'rate', 'ratio') OR (i.kind = 'published' AND i.is_count)
    ), one AS (
        SELECT indicator, parent, year, {_DIMS} FROM g GROUP BY ALL
        HAVING count(*) FILTER (WHERE value IS NULL AND contains(coalesce(flag, ''), 'Fz')) = 1
    ), shown AS (
        SELECT o.* FROM one o JOIN indicator_values k
          ON k.indicator = o.indicator AND k.region = o.parent AND k.year = o.year AND {_DIMS_EQ.format(a="k", b="o")}
        WHERE k.value IS NOT NULL
    )
    SELECT g.indicator, g.region, g.year, {", ".join("g." + d for d in DIMENSIONS)},
           row_number() OVER (PARTITION BY g.indicator, g.parent, g.year, {", ".join("g." + d for d in DIMENSIONS)}
                              ORDER BY coalesce(g.numerator, g.value), g.region) AS rn
    FROM g JOIN shown s ON s.indicator = g.indicator AND s.parent = g.parent AND s.year = g.year
                        AND {_DIMS_EQ.format(a="s", b="g")}
    WHERE g.value IS NOT NULL
    QUALIFY rn = 1
) p
WHERE v.indicator = p.indicator AND v.region = p.region AND v.year = p.year AND {_DIMS_EQ.format(a="v", b="p")}
"""


def _indicator_sql(patterns: list[tuple[tuple[str, ...], bool]]) -> str:
    """Kreis sums, operand values, base values and results as one statement: the intermediate results
    stay in DuckDB's memory (materialised CTEs) instead of being written to temporary tables."""
    return (
        f"INSERT INTO indicator_values WITH agg_rows AS MATERIALIZED ({_AGGREGATED}),\n"
        f"state AS NOT MATERIALIZED ({_STATE}),\n"  # each branch scans with its own filters: cheaper than a copy
        f"opv AS MATERIALIZED ({_operand_values_sql(patterns)}),\n"
        f"base AS MATERIALIZED ({_BASE})\n{_RESULTS}"
    )


@dataclass
class RecomputeReport:
    seconds: float
    observations: int
    values: int  # indicator values stored now (all, not only the recomputed ones)
    recomputed: int  # indicators computed anew (the others were kept)


def affected_indicators(catalog: Catalog, variables: Iterable[str]) -> list[str]:
    """The indicators that read at least one of these base variables (in catalog order)."""
    wanted = set(variables)
    return [i.id for i in catalog.indicators.values() if i.variables() & wanted]


#: the regions an indicator value depends on (Kreis sums count the Gemeinden valid in each year)
_REGIONS_DIGEST = "SELECT count(*) || ':' || coalesce(sum(hash(r)), 0) FROM regions r"


def _stored_state_matches(cur: duckdb.DuckDBPyConnection, catalog: Catalog, min_count: int) -> bool:
    """Whether the stored indicator values were computed with these definitions, this minimum count and
    these regions (only then may a part of them be recomputed and the rest kept)."""
    meta = dict(
        cur.execute(
            "SELECT key, value FROM meta WHERE key IN ('catalog_fingerprint', 'min_count', 'regions_digest')"
        ).fetchall()
    )
    return (
        meta.get("catalog_fingerprint") == catalog.fingerprint
        and meta.get("min_count") == str(min_count)
        and meta.get("regions_digest") == one_row(cur.execute(_REGIONS_DIGEST).fetchone())[0]
    )


def recompute_in(
    cur: duckdb.DuckDBPyConnection,
    catalog: Catalog,
    min_count: int,
    rebuild: bool = False,
    variables: Iterable[str] | None = None,
    own: str | None = None,
) -> RecomputeReport:
    """Recompute the indicators inside an open transaction (an import and its recompute commit together).

    ``rebuild=True`` first marks the current rows from the whole upload history (after a rollback);
    an import keeps the marks up to date with :func:`apply_upload` instead.
    ``variables``: only the base variables whose values changed (an import, a rollback). Then only the
    indicators that read one of them are recomputed and the others are kept, provided the stored values
    were computed with the same definitions, minimum count and regions (an added Gemeinde changes every
    Kreis sum); otherwise everything is recomputed. ``own``: the monitor's own Kreis, needed with ``rebuild``.
    """
    t0 = time.perf_counter()
    if rebuild:
        if own is None:
            raise ValueError("recompute_in(rebuild=True) needs the monitor's own Kreis")
        rebuild_current(cur, own)
    only: list[str] | None = None
    if variables is not None and _stored_state_matches(cur, catalog, min_count):
        only = affected_indicators(catalog, variables)
    # flags are concatenated cheaply inside the statements and sorted/deduplicated once at the end
    # (equal sets are not doubled: most cells carry the same single symbol on both sides)
    cur.execute("""CREATE OR REPLACE TEMP MACRO cat_flags(a, b) AS
                   CASE WHEN b IS NULL OR b = '' OR a = b THEN nullif(a, '') WHEN a IS NULL OR a = '' THEN b
                        ELSE a || ',' || b END""")
    ops, inds = parameter_tables(catalog, min_count)
    additive = additive_variables(catalog)
    if only is None:
        cur.execute("DELETE FROM indicator_values")
    else:
        cur.execute("DELETE FROM indicator_values WHERE list_contains($ids, indicator)", {"ids": only})
        chosen = inds.loc[inds["indicator"].isin(only), "ind"]
        ops, inds = ops[ops["ind"].isin(chosen)], inds[inds["ind"].isin(chosen)]
        additive = sorted(set(additive) & set(ops["variable"]))  # Kreis sums only of the variables still read
    if len(inds):
        ops_x, patterns = exploded_operands(ops)
        cur.register("ops_x", ops_x)
        cur.register("inds", inds)
        try:
            cur.execute(_indicator_sql(patterns), {"additive": additive})
            cur.execute(_SECONDARY)
        finally:  # a failed statement aborts the transaction; the caller rolls back
            cur.unregister("ops_x")
            cur.unregister("inds")
    _official_values(cur, catalog, only)
    n_values, n_obs = one_row(
        cur.execute("SELECT (SELECT count(*) FROM indicator_values), (SELECT count(*) FROM obs_current)").fetchone()
    )
    cur.execute("DELETE FROM meta WHERE key IN ('catalog_fingerprint', 'min_count', 'regions_digest', 'computed_at')")
    cur.execute(
        f"INSERT INTO meta VALUES ('catalog_fingerprint', $f), ('min_count', $m), "
        f"('regions_digest', ({_REGIONS_DIGEST})), ('computed_at', CAST(now() AS TEXT))",
        {"f": catalog.fingerprint, "m": str(min_count)},
    )
    recomputed = len(catalog.indicators) if only is None else len(only)
    return RecomputeReport(time.perf_counter() - t0, int(n_obs), int(n_values), recomputed)


def recompute(
    store: Store, catalog: Catalog, min_count: int, rebuild: bool = True, own: str | None = None
) -> RecomputeReport:
    """Full recompute: by default the current state is rebuilt from the upload history first (``own``: the
    monitor's own Kreis, needed then)."""
    with store.transaction() as cur:
        return recompute_in(cur, catalog, min_count, rebuild=rebuild, own=own)


def is_current(store: Store, catalog: Catalog, min_count: int) -> bool:
    """Whether the stored values are those of these definitions, this minimum count and the stored regions (what
    :func:`ensure_current` would leave as they are); also for a read-only store."""
    cur = store.cursor()
    try:
        return _stored_state_matches(cur, catalog, min_count)
    except duckdb.Error:  # no meta table yet (a new or very old file): not current
        return False
    finally:
        cur.close()


def ensure_current(store: Store, catalog: Catalog, min_count: int) -> RecomputeReport | None:
    """Recompute when the definitions, the minimum count or the regions changed since the last
    computation (checked at start-up)."""
    cur = store.cursor()
    try:
        if _stored_state_matches(cur, catalog, min_count):
            return None
    finally:
        cur.close()
    with store.transaction() as cur:  # the current-row marks are kept by every import and rollback
        return recompute_in(cur, catalog, min_count)
