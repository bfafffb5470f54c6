"""Verdicts for the catalog: each indicator's headline series against its target, rolled up per field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from indicators import progress, queries
from indicators.catalog import Catalog, Indicator
from indicators.config import strategy_base_year
from indicators.progress import Verdict
from indicators.store import Store
from indicators.targets import Target, targets


@dataclass
class IndicatorStatus:
    indicator: Indicator
    series: dict[int, float | None]
    target: Target | None
    method: str
    verdict: Verdict
    #: "Basisjahr der Strategie", used when the target names no base year
    default_base_year: int | None = None

    @property
    def base_year(self) -> int | None:
        """The base year actually used: the target's, else the strategy's, moved forward to the next
        year with a value (as in the verdict's explanation); ``None`` without target or values."""
        if self.target is None:
            return None
        return progress.base_year_used(
            self.series,
            self.target.baseline_year,
            self.default_base_year,
            [b.year for b in self.indicator.series_breaks],
        )

    @property
    def latest(self) -> tuple[int, float] | None:
        vals = [(y, v) for y, v in sorted(self.series.items()) if v is not None]
        return vals[-1] if vals else None

    def soll_path(self) -> dict[int, float]:
        """The yearly milestones: the stored path, else linear from the base year used to the target."""
        t = self.target
        if t is None:
            return {}
        if t.path:
            return dict(t.path)
        base_year = self.base_year
        base = self.series.get(base_year) if base_year is not None else None
        if base is None or base_year is None or base_year >= t.target_year:
            return {}
        return progress.linear_path(base_year, base, t.target_year, t.target_value)


def method_for(ind: Indicator, target: Target | None, series: dict[int, float | None]) -> str:
    """The target's chosen method; a Soll path means the Soll/Ist comparison; else the sensible default."""
    if target is not None and target.method:
        return target.method
    if target is not None and target.path:
        return "sollpfad"
    return progress.default_method(ind.direction, ind.unit, [v for v in series.values() if v is not None])


def evaluate(
    ind: Indicator, series: dict[int, float | None], target: Target | None, default_base_year: int | None = None
) -> IndicatorStatus:
    """The verdict of one series; ``default_base_year`` (None: the setting MONITOR_BASE_YEAR) is the base year
    of a target that names none."""
    if default_base_year is None:
        default_base_year = strategy_base_year()
    method = method_for(ind, target, series)
    verdict = progress.assess(
        method,
        series,
        ind.direction,
        target=target.target_value if target else None,
        target_year=target.target_year if target else None,
        base_year=target.baseline_year if target else None,
        limit=ind.limit,
        unit=ind.unit,
        path=(target.path or None) if target else None,
        tolerance=target.tolerance if target else None,
        tolerance2=target.tolerance2 if target else None,
        breaks=[b.year for b in ind.series_breaks],
        default_base_year=default_base_year,
    )
    return IndicatorStatus(ind, series, target, method, verdict, default_base_year)


def _series_dict(frame: pd.DataFrame) -> dict[int, float | None]:
    return {int(y): (None if pd.isna(v) else float(v)) for y, v in zip(frame["year"], frame["value"])}


def all_statuses(
    store: Store, catalog: Catalog, region: str | None = None, base_year: int | None = None
) -> dict[str, IndicatorStatus]:
    """Every indicator of the catalog with its verdict (headline series of the region); ``base_year``: the
    strategy's (None: the setting)."""
    region = region or queries.own_region()
    s = queries.headline_series(store, catalog, region)
    tg = targets(store) if region == queries.own_region() else {}
    grouped = {k: g for k, g in s.groupby("indicator")}
    out = {}
    for ind in catalog.indicators.values():
        frame = grouped.get(ind.id)
        series = _series_dict(frame) if frame is not None else {}
        out[ind.id] = evaluate(ind, series, tg.get(ind.id), base_year)
    return out


def status_for(
    store: Store, catalog: Catalog, ind: Indicator, region: str | None = None, base_year: int | None = None
) -> IndicatorStatus:
    region = region or queries.own_region()
    s = queries.headline_series(store, catalog, region, [ind])
    tg = targets(store).get(ind.id) if region == queries.own_region() else None
    return evaluate(ind, _series_dict(s), tg, base_year)


def field_rollups(catalog: Catalog, statuses: dict[str, IndicatorStatus]) -> dict[str, dict[str, Any]]:
    """Per field of action: mean score, its band, and the count of indicators per status. A field defined with
    ``rollup: false`` (the Rahmendaten, background for every field) gets no combined verdict, only the counts."""
    return {
        f.id: progress.rollup(
            [statuses[i.id].verdict for i in catalog.by_field(f.id) if i.id in statuses], combine=f.rollup
        )
        for f in catalog.ordered_fields()
    }
