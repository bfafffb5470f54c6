"""Read-only queries the pages and the command line use. Pages never write SQL themselves."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pandas as pd

from indicators.catalog import DIMENSIONS, Catalog, Indicator
from indicators.permissions import current_tenant
from indicators.store import Store


def own_region() -> str:
    """The own Kreis: the current tenant's (issue 24; default MONITOR_OWN_REGION, 03157): the region the queries
    default to."""
    return current_tenant()


#: months after the reference year's end until a value of that interval is due (then it is 'stale')
STALE_AFTER_YEARS = {
    "monatlich": 1,
    "vierteljährlich": 1,
    "jährlich": 2,
    "zweijährlich": 3,
    "fünfjährlich": 6,
    "unregelmäßig": 6,
}


def _headline_frame(catalog: Catalog, indicators: list[Indicator] | None = None) -> pd.DataFrame:
    rows = []
    for ind in indicators or catalog.indicators.values():
        key = ind.headline_key
        rows.append({"indicator": ind.id, **{d: key[d] for d in DIMENSIONS}})
    return pd.DataFrame(rows, columns=["indicator", *DIMENSIONS])


def headline_series(
    store: Store, catalog: Catalog, region: str | None = None, indicators: list[Indicator] | None = None
) -> pd.DataFrame:
    """The headline series (year, value, flag) of the given indicators for one region."""
    region = region or own_region()
    cur = store.cursor()
    try:
        cur.register("headline", _headline_frame(catalog, indicators))
        return cur.execute(
            """SELECT v.indicator, v.year, v.value, v.flag, v.numerator, v.denominator
               FROM indicator_values v JOIN headline h USING (indicator, nationality, sex, age_group, category)
               WHERE v.region = ? ORDER BY v.indicator, v.year""",
            [region],
        ).df()
    finally:
        cur.close()


def cockpit(store: Store, catalog: Catalog, region: str | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """Per indicator: latest year with a value, that value, change to the previous year, sparkline, staleness."""
    region = region or own_region()
    today = today or dt.date.today()
    s = headline_series(store, catalog, region)
    out = []
    for ind in catalog.indicators.values():
        mine = s[s["indicator"] == ind.id]
        with_value = mine[mine["value"].notna()]
        latest = with_value.iloc[-1] if len(with_value) else None
        prev = None
        if latest is not None:
            before = with_value[with_value["year"] == latest["year"] - 1]
            prev = before.iloc[0] if len(before) else None
        latest_year = int(latest["year"]) if latest is not None else None
        stale_after = STALE_AFTER_YEARS.get(ind.update_interval, 2)
        out.append(
            {
                "indicator": ind.id,
                "field": ind.field,
                "name": ind.name,
                "unit": ind.unit,
                "direction": ind.direction,
                "year": latest_year,
                "value": float(latest["value"]) if latest is not None else None,
                "flag": latest["flag"] if latest is not None else None,
                "previous": float(prev["value"]) if prev is not None else None,
                "change": float(cast(Any, latest)["value"] - prev["value"]) if prev is not None else None,
                "spark_years": mine["year"].astype(int).tolist(),
                "spark_values": [None if pd.isna(v) else float(v) for v in mine["value"]],
                "stale": latest_year is None or today.year - latest_year > stale_after,
            }
        )
    return pd.DataFrame(out)


def breakdown_options(store: Store, indicator: str, region: str | None = None) -> dict[str, list[str]]:
    """Values of each breakdown dimension that the indicator has data for (one query)."""
    region = region or own_region()
    row = store.query(
        "SELECT "
        + ", ".join(f"list_sort(list(DISTINCT {dim}))" for dim in DIMENSIONS)
        + " FROM indicator_values WHERE indicator = ? AND region = ?",
        [indicator, region],
    )[0]
    return {dim: list(vals or []) for dim, vals in zip(DIMENSIONS, row)}


def has_values_for(store: Store, indicator: str, regions: list[str]) -> bool:
    """Whether the indicator has any value for one of these regions (e.g. the Gemeinden)."""
    return bool(
        store.scalar(
            "SELECT EXISTS (SELECT 1 FROM indicator_values WHERE indicator = ? AND list_contains(?, region))",
            [indicator, regions],
        )
    )


def series(store: Store, ind: Indicator, regions: list[str], selection: dict[str, str] | None = None) -> pd.DataFrame:
    """The indicator's values over time for several regions and one choice per breakdown dimension."""
    key = dict(ind.headline_key)
    for dim, val in (selection or {}).items():
        if dim in DIMENSIONS:
            key[dim] = val
    return store.query_df(
        """SELECT v.region, r.name AS region_name, r.level, v.year, v.value, v.flag, v.numerator, v.denominator,
                  v.nationality, v.sex, v.age_group, v.category
           FROM indicator_values v LEFT JOIN regions r ON r.key = v.region
           WHERE v.indicator = ? AND list_contains(?, v.region)
             AND v.nationality = ? AND v.sex = ? AND v.age_group = ? AND v.category = ?
           ORDER BY v.region, v.year""",
        [ind.id, regions, key["nationality"], key["sex"], key["age_group"], key["category"]],
    )


def breakdown_series(store: Store, ind: Indicator, dim: str, region: str | None = None) -> pd.DataFrame:
    """One line per value of ``dim`` (e.g. Deutsche / Ausländer), other dimensions at the headline."""
    region = region or own_region()
    if dim not in DIMENSIONS:
        raise ValueError(dim)
    key = ind.headline_key
    others = [d for d in DIMENSIONS if d != dim]
    where = " AND ".join(f"{d} = ?" for d in others)
    return store.query_df(
        f"""SELECT year, {dim} AS group_code, value, flag FROM indicator_values
            WHERE indicator = ? AND region = ? AND {where} ORDER BY {dim}, year""",
        [ind.id, region, *[key[d] for d in others]],
    )


def gemeinde_values(store: Store, ind: Indicator, year: int, parent: str | None = None) -> pd.DataFrame:
    parent = parent or own_region()
    key = ind.headline_key
    return store.query_df(
        """SELECT v.region, r.name AS region_name, r.level, v.value, v.flag
           FROM indicator_values v JOIN regions r ON r.key = v.region
           WHERE v.indicator = ? AND v.year = ? AND (r.parent = ? OR r.key = ?)
             AND v.nationality = ? AND v.sex = ? AND v.age_group = ? AND v.category = ?
           ORDER BY v.value DESC NULLS LAST""",
        [ind.id, year, parent, parent, key["nationality"], key["sex"], key["age_group"], key["category"]],
    )


def years_with_values(store: Store, indicator: str) -> list[int]:
    return [
        int(r[0])
        for r in store.query(
            "SELECT DISTINCT year FROM indicator_values WHERE indicator = ? ORDER BY year", [indicator]
        )
    ]


def gemeinden(store: Store, parent: str | None = None) -> pd.DataFrame:
    parent = parent or own_region()
    return store.query_df(
        "SELECT key, name, valid_from, valid_to FROM regions WHERE parent = ? AND level = 'gemeinde' ORDER BY name",
        [parent],
    )


def coverage(store: Store, catalog: Catalog, region: str | None = None) -> pd.DataFrame:
    """Indicator x year: 'wert', 'markiert' (value with a flag), 'gesperrt' (no value, flag) for the headline series."""
    region = region or own_region()
    s = headline_series(store, catalog, region)
    if s.empty:
        return pd.DataFrame(columns=["indicator", "year", "status", "flag"])
    s["status"] = "wert"
    s.loc[s["value"].notna() & s["flag"].notna(), "status"] = "markiert"
    s.loc[s["value"].isna(), "status"] = "gesperrt"
    return s[["indicator", "year", "status", "flag", "value"]]


def values(store: Store, indicator: str, region: str | None = None, year: int | None = None) -> pd.DataFrame:
    """All computed values of one indicator (command line ``values``)."""
    return store.query_df(
        """SELECT indicator, region, year, nationality, sex, age_group, category, value, flag
           FROM indicator_values WHERE indicator = ? AND (? IS NULL OR region = ?) AND (? IS NULL OR year = ?)
           ORDER BY region, year, nationality, sex, age_group, category""",
        [indicator, region, region, year, year],
    )


def current_observations(store: Store) -> pd.DataFrame:
    """The current base data (without Kreis sums computed from Gemeinden), for the template export."""
    return store.query_df(
        """SELECT o.variable, o.region, r.name AS region_name, o.year, o.ref_date, o.nationality, o.sex,
                  o.age_group, o.category, o.value, o.flag
           FROM obs_current o LEFT JOIN regions r ON r.key = o.region
           ORDER BY o.variable, o.region, o.year"""
    )
