"""Verdicts for the catalog: each indicator's headline series against its target, rolled up per field."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators import progress, queries
from indicators.catalog import Catalog, Indicator
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

    @property
    def latest(self) -> tuple[int, float] | None:
        vals = [(y, v) for y, v in sorted(self.series.items()) if v is not None]
        return vals[-1] if vals else None

    def soll_path(self) -> dict[int, float]:
        """The yearly milestones: the stored path, else linear from the baseline to the target."""
        t = self.target
        if t is None:
            return {}
        if t.path:
            return dict(t.path)
        base_year = t.baseline_year or next((y for y, v in sorted(self.series.items()) if v is not None), None)
        base = self.series.get(base_year) if base_year is not None else None
        if base is None or base_year >= t.target_year:
            return {}
        return progress.linear_path(base_year, base, t.target_year, t.target_value)


def method_for(ind: Indicator, target: Target | None, series: dict[int, float | None]) -> str:
    """The target's chosen method; a Soll path means the Soll/Ist comparison; else the sensible default."""
    if target is not None and target.method:
        return target.method
    if target is not None and target.path:
        return "sollpfad"
    return progress.default_method(ind.direction, ind.unit, [v for v in series.values() if v is not None])


def evaluate(ind: Indicator, series: dict[int, float | None], target: Target | None) -> IndicatorStatus:
    method = method_for(ind, target, series)
    verdict = progress.assess(
        method, series, ind.direction,
        target=target.target_value if target else None,
        target_year=target.target_year if target else None,
        base_year=target.baseline_year if target else None,
        limit=ind.limit, unit=ind.unit,
        path=(target.path or None) if target else None,
        tolerance=target.tolerance if target else None,
        tolerance2=target.tolerance2 if target else None,
        breaks=[b.year for b in ind.series_breaks],
    )
    return IndicatorStatus(ind, series, target, method, verdict)


def _series_dict(frame: pd.DataFrame) -> dict[int, float | None]:
    return {int(y): (None if pd.isna(v) else float(v)) for y, v in zip(frame["year"], frame["value"])}


def all_statuses(store: Store, catalog: Catalog, region: str = queries.KREIS) -> dict[str, IndicatorStatus]:
    """Every indicator of the catalog with its verdict (headline series of the region)."""
    s = queries.headline_series(store, catalog, region)
    tg = targets(store) if region == queries.KREIS else {}
    grouped = {k: g for k, g in s.groupby("indicator")}
    out = {}
    for ind in catalog.indicators.values():
        frame = grouped.get(ind.id)
        series = _series_dict(frame) if frame is not None else {}
        out[ind.id] = evaluate(ind, series, tg.get(ind.id))
    return out


def status_for(store: Store, catalog: Catalog, ind: Indicator, region: str = queries.KREIS) -> IndicatorStatus:
    s = queries.headline_series(store, catalog, region, [ind])
    tg = targets(store).get(ind.id) if region == queries.KREIS else None
    return evaluate(ind, _series_dict(s), tg)


def field_rollups(catalog: Catalog, statuses: dict[str, IndicatorStatus]) -> dict[str, dict]:
    """Per field of action: mean score, its band, and the count of indicators per status."""
    return {f.id: progress.rollup([statuses[i.id].verdict for i in catalog.by_field(f.id) if i.id in statuses])
            for f in catalog.ordered_fields()}
