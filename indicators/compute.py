"""Computation in DuckDB: current state, Gemeinde aggregation, every indicator of the catalog.

Everything here is SQL with bound parameters. The only identifiers spliced into SQL text are the
dimension names from :data:`indicators.catalog.DIMENSIONS` (a fixed whitelist, checked again below).

Flags are comma-separated sets of codes: the source's special symbols (``-``, ``.``, ``*``, ``p`` …)
plus the computed ones in :data:`COMPUTED_FLAGS`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import duckdb

from indicators.catalog import DIMENSIONS, TOTAL, Catalog, Indicator, Operand
from indicators.store import Store

COMPUTED_FLAGS = {
    "Fz": "unter der Mindestfallzahl, unterdrückt",
    "tw": "Teilwerte fehlen (Summe aus Gemeinden unvollständig)",
    "~5": "aus auf 5 gerundeten Fallzahlen berechnet",
    "x0": "Nenner ist 0, kein Wert berechenbar",
}

_EXPECTED_CHILDREN = """
    SELECT r.parent AS region, y.year AS year, count(*) AS expected
    FROM regions r, range(1990, 2101) AS y(year)
    WHERE r.level = 'gemeinde' AND r.parent IS NOT NULL
      AND coalesce(r.valid_from, 0) <= y.year AND coalesce(r.valid_to, 9999) >= y.year
    GROUP BY ALL
"""


def _dim(name: str) -> str:
    if name not in DIMENSIONS:  # whitelist: never splice anything else into SQL
        raise ValueError(f"unbekannte Dimension {name!r}")
    return name


@dataclass
class _Sql:
    """SQL text with named parameters, built piece by piece."""

    params: dict
    counter: int = 0

    def p(self, value: object) -> str:
        self.counter += 1
        name = f"p{self.counter}"
        self.params[name] = value
        return f"${name}"


def refresh_current(cur: duckdb.DuckDBPyConnection, catalog: Catalog) -> None:
    """Rebuild ``obs_current``: newest active upload per key, plus Kreis sums from Gemeinden."""
    cur.execute("DELETE FROM obs_current")
    cur.execute(
        """
        INSERT INTO obs_current
        SELECT o.variable, o.region, o.year, o.ref_date, o.nationality, o.sex, o.age_group, o.category,
               o.value, o.flag, o.upload_id, FALSE
        FROM observations o JOIN uploads u ON u.id = o.upload_id AND u.status = 'aktiv'
        QUALIFY row_number() OVER (
            PARTITION BY o.variable, o.region, o.year, o.nationality, o.sex, o.age_group, o.category
            ORDER BY o.upload_id DESC) = 1
        ORDER BY o.variable, o.region, o.year
        """
    )
    additive = [v.id for v in catalog.variables.values() if v.additive]
    # A Kreis value is the sum of its Gemeinden where the data has no Kreis row. A Gemeinde cell
    # without a number (special symbol) or a missing Gemeinde makes the sum unknown: NULL, flag 'tw'.
    cur.execute(
        f"""
        INSERT INTO obs_current
        WITH g AS (
            SELECT o.*, r.parent FROM obs_current o
            JOIN regions r ON r.key = o.region AND r.level = 'gemeinde' AND r.parent IS NOT NULL
            WHERE list_contains($additive, o.variable)
        ), agg AS (
            SELECT variable, parent AS region, year, nationality, sex, age_group, category,
                   max(ref_date) AS ref_date, count(*) AS n, bool_or(value IS NULL) AS missing,
                   sum(value) AS total, merge_flags(string_agg(flag, ','), NULL) AS flag
            FROM g GROUP BY variable, parent, year, nationality, sex, age_group, category
        ), e AS ({_EXPECTED_CHILDREN})
        SELECT a.variable, a.region, a.year, a.ref_date, a.nationality, a.sex, a.age_group, a.category,
               CASE WHEN a.missing OR a.n < e.expected THEN NULL ELSE a.total END,
               CASE WHEN a.missing OR a.n < e.expected THEN merge_flags(a.flag, 'tw') ELSE a.flag END,
               NULL, TRUE
        FROM agg a JOIN e ON e.region = a.region AND e.year = a.year
        WHERE NOT EXISTS (
            SELECT 1 FROM obs_current k
            WHERE k.variable = a.variable AND k.region = a.region AND k.year = a.year
              AND k.nationality = a.nationality AND k.sex = a.sex AND k.age_group = a.age_group
              AND k.category = a.category)
        """,
        {"additive": additive},
    )


def _operand_cte(q: _Sql, op: Operand, free: list[str], catalog: Catalog, prefix: str) -> str:
    """Rows of one operand: region, year (+lag), the free dimensions, value ``<prefix>v``, flag ``<prefix>f``.

    Fixed dimensions are filtered (default ``insgesamt``); a list filter sums those codes. A sum with a
    missing part is missing.
    """
    where = [f"variable = {q.p(op.variable)}"]
    for dim in DIMENSIONS:
        if dim in free:
            continue
        want = op.filter.get(dim, TOTAL)
        if isinstance(want, list):
            where.append(f"list_contains({q.p(want)}, {_dim(dim)})")
        else:
            where.append(f"{_dim(dim)} = {q.p(want)}")
    var = catalog.variables[op.variable]
    round_flag = q.p("~5" if var.rounded_to and var.rounded_to > 1 else None)
    free_cols = "".join(f", {_dim(d)}" for d in free)
    lag = int(op.lag)
    return f"""
        SELECT region, year + {lag} AS year{free_cols},
               CASE WHEN bool_or(value IS NULL) THEN NULL ELSE sum(value) END AS {prefix}v,
               merge_flags(string_agg(flag, ','), {round_flag}) AS {prefix}f
        FROM obs_current WHERE {' AND '.join(where)}
        GROUP BY region, year{free_cols}"""


def _free_dims(ind: Indicator, op: Operand, extra: tuple[str, ...] = ()) -> list[str]:
    dims = [d for d in DIMENSIONS if (d in ind.breakdowns or d in extra)]
    return [d for d in dims if d not in op.filter]


def _out_dims(q: _Sql, ind: Indicator, free: list[str], alias: str = "") -> str:
    cols = []
    for dim in DIMENSIONS:
        if dim in free:
            cols.append(f"{alias}{_dim(dim)} AS {_dim(dim)}")
        else:
            cols.append(f"{q.p(ind.fixed_output(dim))} AS {_dim(dim)}")
    return ", ".join(cols)


def _join_using(free: list[str]) -> str:
    return ", ".join(["region", "year", *[_dim(d) for d in free]])


def _ratio_select(q: _Sql, ind: Indicator, catalog: Catalog, min_count: int, extra: tuple[str, ...] = ()) -> tuple[str, list[str]]:
    """A CTE body producing region, year, free dims, value, numerator, denominator, flag."""
    assert ind.numerator is not None
    free = _free_dims(ind, ind.numerator, extra)
    if ind.denominator is not None:
        free_d = _free_dims(ind, ind.denominator, extra)
        if free_d != free:
            free = [d for d in free if d in free_d]
        n = _operand_cte(q, ind.numerator, free, catalog, "n")
        d = _operand_cte(q, ind.denominator, free, catalog, "d")
        mn = q.p(min_count)
        mn2 = q.p(min_count)
        factor = q.p(ind.factor)
        body = f"""
            SELECT {_join_using(free)},
                CASE WHEN sup OR dv = 0 THEN NULL ELSE nv / dv * {factor} END AS value,
                CASE WHEN sup THEN NULL ELSE nv END AS numerator,
                CASE WHEN sup THEN NULL ELSE dv END AS denominator,
                merge_flags(merge_flags(nf, df), CASE WHEN sup THEN 'Fz' WHEN dv = 0 THEN 'x0' END) AS flag
            FROM (SELECT *, coalesce(dv < {mn} OR (nv > 0 AND nv < {mn2}), FALSE) AS sup
                  FROM ({n}) JOIN ({d}) USING ({_join_using(free)}))"""
        return body, free
    # a published value (e.g. a published rate) without denominator
    return _published_select(q, ind, ind.numerator, catalog, min_count, free), free


def _published_select(q: _Sql, ind: Indicator, op: Operand, catalog: Catalog, min_count: int, free: list[str]) -> str:
    v = _operand_cte(q, op, free, catalog, "n")
    is_count = q.p(ind.unit == "Anzahl")
    mn = q.p(min_count)
    mn2 = q.p(min_count)
    return f"""
        SELECT {_join_using(free)},
            CASE WHEN sup THEN NULL ELSE nv END AS value,
            CASE WHEN sup THEN NULL ELSE nv END AS numerator,
            NULL::DOUBLE AS denominator,
            merge_flags(nf, CASE WHEN sup THEN 'Fz' END) AS flag
        FROM (SELECT *, coalesce({is_count} AND nv > 0 AND nv < {mn} AND {mn2} > 0, FALSE) AS sup FROM ({v}))"""


def indicator_sql(ind: Indicator, catalog: Catalog, default_min_count: int) -> tuple[str, dict]:
    """The SELECT that yields all rows of ``indicator_values`` for one indicator."""
    q = _Sql(params={})
    min_count = ind.min_count if ind.min_count is not None else default_min_count
    ind_p = q.p(ind.id)
    if ind.kind == "published":
        assert ind.value is not None
        free = _free_dims(ind, ind.value)
        body = _published_select(q, ind, ind.value, catalog, min_count, free)
        sql = f"SELECT {ind_p} AS indicator, region, year, {_out_dims(q, ind, free)}, value, numerator, denominator, flag FROM ({body})"
    elif ind.kind in ("share", "rate", "ratio"):
        body, free = _ratio_select(q, ind, catalog, min_count)
        sql = f"SELECT {ind_p} AS indicator, region, year, {_out_dims(q, ind, free)}, value, numerator, denominator, flag FROM ({body})"
    elif ind.kind == "gap":
        cmp = _dim(ind.compare.dimension)
        body, free = _ratio_select(q, ind, catalog, min_count, extra=(cmp,))
        rest = [d for d in free if d != cmp]
        mnd, sub = q.p(ind.compare.minuend), q.p(ind.compare.subtrahend)
        outs = _out_dims(q, ind, rest, alias="a.")
        on = " AND ".join(f"a.{c} = b.{c}" for c in ["region", "year", *rest])
        sql = f"""
            WITH r AS ({body})
            SELECT {ind_p} AS indicator, a.region, a.year, {outs},
                   a.value - b.value AS value, a.value AS numerator, b.value AS denominator,
                   merge_flags(a.flag, b.flag) AS flag
            FROM r a JOIN r b ON {on}
            WHERE a.{cmp} = {mnd} AND b.{cmp} = {sub}"""
    elif ind.kind == "dissimilarity":
        assert ind.group_a is not None and ind.group_b is not None
        free = [d for d in _free_dims(ind, ind.group_a) if d in _free_dims(ind, ind.group_b)]
        a = _operand_cte(q, ind.group_a, free, catalog, "a")
        b = _operand_cte(q, ind.group_b, free, catalog, "b")
        keys = ", ".join(["region", "year", *free])
        on = " AND ".join(f"j.{c} = t.{c}" for c in ["region", "year", *free])
        outs = _out_dims(q, ind, free, alias="t.")
        sql = f"""
            WITH j AS (
                SELECT r.parent AS region, x.year{''.join(f', x.{d}' for d in free)}, x.av, x.bv,
                       merge_flags(x.af, x.bf) AS flag
                FROM (SELECT * FROM ({a}) JOIN ({b}) USING ({_join_using(free)})) AS x
                JOIN regions r ON r.key = x.region AND r.level = 'gemeinde' AND r.parent IS NOT NULL
            ), t AS (
                SELECT {keys}, sum(av) AS ta, sum(bv) AS tb, count(*) AS n,
                       bool_or(av IS NULL OR bv IS NULL) AS missing,
                       merge_flags(string_agg(flag, ','), NULL) AS flag
                FROM j GROUP BY {keys}
            ), s AS (
                SELECT {', '.join('j.' + c for c in ['region', 'year', *free])},
                       sum(abs(j.av / t.ta - j.bv / t.tb)) AS d
                FROM j JOIN t ON {on} WHERE t.ta > 0 AND t.tb > 0
                GROUP BY {', '.join('j.' + c for c in ['region', 'year', *free])}
            ), e AS ({_EXPECTED_CHILDREN})
            SELECT {ind_p} AS indicator, t.region, t.year, {outs},
                   CASE WHEN t.missing OR t.n < e.expected OR s.d IS NULL THEN NULL ELSE 50 * s.d END AS value,
                   t.ta AS numerator, t.tb AS denominator,
                   CASE WHEN t.missing OR t.n < e.expected THEN merge_flags(t.flag, 'tw') ELSE t.flag END AS flag
            FROM t JOIN e ON e.region = t.region AND e.year = t.year
            LEFT JOIN s ON {' AND '.join(f's.{c} = t.{c}' for c in ['region', 'year', *free])}"""
    else:  # pragma: no cover - the catalog's schema rules this out
        raise ValueError(ind.kind)
    return sql, q.params


@dataclass
class RecomputeReport:
    seconds: float
    observations: int
    values: int
    per_indicator: dict[str, int]


def recompute_in(cur: duckdb.DuckDBPyConnection, catalog: Catalog, min_count: int) -> RecomputeReport:
    """Recompute inside an open transaction (so an import and its recompute commit together)."""
    t0 = time.perf_counter()
    refresh_current(cur, catalog)
    cur.execute("DELETE FROM indicator_values")
    for ind in catalog.indicators.values():
        sql, params = indicator_sql(ind, catalog, min_count)
        cur.execute(f"INSERT INTO indicator_values {sql}", params)
    counts = dict(cur.execute("SELECT indicator, count(*) FROM indicator_values GROUP BY indicator").fetchall())
    per = {i: int(counts.get(i, 0)) for i in catalog.indicators}
    n_obs = cur.execute("SELECT count(*) FROM obs_current").fetchone()[0]
    cur.execute("DELETE FROM meta WHERE key IN ('catalog_fingerprint', 'computed_at')")
    cur.execute("INSERT INTO meta VALUES ('catalog_fingerprint', $f), ('computed_at', CAST(now() AS TEXT))",
                {"f": catalog.fingerprint})
    return RecomputeReport(time.perf_counter() - t0, int(n_obs), sum(per.values()), per)


def recompute(store: Store, catalog: Catalog, min_count: int) -> RecomputeReport:
    with store.transaction() as cur:
        return recompute_in(cur, catalog, min_count)


def ensure_current(store: Store, catalog: Catalog, min_count: int) -> RecomputeReport | None:
    """Recompute when the definitions changed since the last computation (checked at start-up)."""
    if store.get_meta("catalog_fingerprint") != catalog.fingerprint or store.get_meta("min_count") != str(min_count):
        with store.transaction() as cur:
            report = recompute_in(cur, catalog, min_count)
            store.set_meta("min_count", str(min_count), cur=cur)
        return report
    return None
