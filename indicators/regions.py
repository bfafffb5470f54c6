"""Regions of official files and the Regionalvergleich.

Official exports (GENESIS, BA, Open SDG) bring whatever regions they were cut for: Deutschland (``DG``), Länder,
Regierungsbezirke/statistische Regionen, Kreise, Gemeinden. These are facts, not errors. The monitor's own area
is one Kreis and its Gemeinden (setting ``own_region``, MONITOR_OWN_REGION); its region list stays the shipped
one (an unknown Gemeinde of the own area changes every Kreis sum and is still refused). Every other region of an
official file is kept as a **comparison region** (origin ``Vergleich``), with the name the file gives and the
level read from its key. Own lists (column mapping) and the template keep refusing unknown keys.

The Regionalvergleich shows the own Kreis against its Land, Deutschland and chosen Kreise (default: the
neighbours of :file:`definitions/regions/comparison.yaml` that the data holds) and its rank among the Kreise of its
Land where all of them have a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from indicators.catalog import Indicator
from indicators.config import PACKAGE_DIR, Settings
from indicators.keys import REGION_KEY, region_level
from indicators.store import Store

#: formats whose regions are the monitor's own lists: unknown keys stay errors there
OWN_LIST_FORMATS = frozenset({"vorlage", "zuordnung", "unbekannt"})
#: region origin of the comparison regions taken over from official files
COMPARISON_ORIGIN = "Vergleich"
#: ``--other-regions`` / the page's choice
OTHER_REGIONS = ("keep", "skip")

LEVEL_LABELS = {
    "deutschland": "Deutschland",
    "land": "Land",
    "regierungsbezirk": "Regierungsbezirk/statistische Region",
    "kreis": "Kreis",
    "gemeindeverband": "Gemeindeverband",
    "gemeinde": "Gemeinde",
    "unbekannt": "unbekannt",
}


def in_own_area(key: str, own: str) -> bool:
    """The own Kreis and every key below it (Gemeinden, Gemeindeverbände, 12-digit ARS)."""
    return key == own or (len(key) > len(own) and key.startswith(own))


def context_keys(own: str) -> set[str]:
    """The own Land and Deutschland: always kept beside the own area (not "other" regions)."""
    return {own[:2], "DG"}


def is_other(key: str, own: str) -> bool:
    """A region outside the own area, its Land and Deutschland."""
    return not in_own_area(key, own) and key not in context_keys(own)


def official(format_code: str) -> bool:
    """Whether a format's regions are facts (official exports), not the monitor's own lists."""
    return format_code not in OWN_LIST_FORMATS


def parent_of(key: str, known: set[str]) -> str | None:
    """The longest known key prefix (Kreis of a Gemeinde, Land of a Kreis), else ``DG`` when known."""
    parent = next((key[:n] for n in (9, 8, 5, 3, 2) if n < len(key) and key[:n] in known), None)
    if parent is None and key != "DG" and "DG" in known:
        parent = "DG"
    return parent


@dataclass
class RegionCheck:
    """What the validation found about the regions of a file."""

    #: keys of the file outside the own area, its Land and Deutschland (taken over or skipped as a whole)
    other: list[str]
    #: keys not yet in the region list that are taken over as comparison regions
    new_comparison: list[str]
    #: keys not in the region list that block the file (own area; own lists and the template)
    refused: list[str]


def check(keys: list[str], known: set[str], format_code: str, own: str) -> RegionCheck:
    """Sort the distinct region keys of a file (sorted by level and key)."""
    ordered = sorted(sorted({str(k) for k in keys if k is not None}), key=len)  # by level, then key (stable sort)
    context = context_keys(own)  # (a file may hold 200.000 keys: no per-key function calls)
    other = [k for k in ordered if not k.startswith(own) and k not in context]  # startswith(own): in_own_area
    unknown = [k for k in ordered if k not in known]
    if not official(format_code):
        return RegionCheck(other, [], unknown)
    new = [k for k in unknown if not k.startswith(own) and REGION_KEY.match(k)]
    taken = set(new)  # once: built per key it made a file of 200.000 regions take minutes (issue 22)
    return RegionCheck(other, new, [k for k in unknown if k not in taken])


def new_region_rows(keys: list[str], names: dict[str, str], known: set[str]) -> list[dict[str, Any]]:
    """Rows for the region table: name from the file (else the key), level from the key, parent by prefix.

    A Gemeinde gets its Kreis as parent only (or none): the Kreis sums from Gemeinden and the secondary
    suppression group Gemeinden by parent, and a Land is no sum of the few Gemeinden a file may list."""
    rows, known = [], set(known)
    for key in sorted(keys, key=lambda k: (len(k), k)):
        level = region_level(key)
        parent = (key[:5] if key[:5] in known else None) if level == "gemeinde" else parent_of(key, known)
        rows.append({"key": key, "name": (names.get(key) or key).strip() or key, "level": level, "parent": parent})
        known.add(key)
    return rows


# -- comparison data -------------------------------------------------------------------------------
def _comparison_file(settings: Settings | None) -> Path:
    if settings is not None and (settings.definitions_dir / "regions" / "comparison.yaml").is_file():
        return settings.definitions_dir / "regions" / "comparison.yaml"
    return PACKAGE_DIR / "definitions" / "regions" / "comparison.yaml"


@lru_cache(maxsize=4)
def _load(path: Path) -> dict[str, Any]:
    import yaml

    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return {
        "neighbours": {str(k): [str(x) for x in (v or [])] for k, v in (data.get("neighbours") or {}).items()},
        "kreise_per_land": {str(k): list(v or []) for k, v in (data.get("kreise_per_land") or {}).items()},
    }


def neighbours(own: str, settings: Settings | None = None) -> list[str]:
    """The neighbour Kreise of ``own`` shipped as data (definitions/regions/comparison.yaml)."""
    return list(_load(_comparison_file(settings))["neighbours"].get(own, []))


def kreise_in_land(land: str, year: int, settings: Settings | None = None) -> int | None:
    """How many Kreise and kreisfreie Städte the Land had in ``year`` (None where the data does not say)."""
    for period in _load(_comparison_file(settings))["kreise_per_land"].get(land, []):
        if int(period.get("from", 0)) <= year <= int(period.get("until", 9999)):
            return int(period["count"])
    return None


def kreise_with_values(store: Store, ind: Indicator) -> pd.DataFrame:
    """Kreise (key, name) that have at least one value of the indicator's headline series."""
    key = ind.headline_key
    return store.query_df(
        """SELECT DISTINCT r.key, r.name FROM indicator_values v JOIN regions r ON r.key = v.region
           WHERE v.indicator = ? AND r.level = 'kreis' AND v.value IS NOT NULL
             AND v.nationality = ? AND v.sex = ? AND v.age_group = ? AND v.category = ?
           ORDER BY r.key""",
        [ind.id, key["nationality"], key["sex"], key["age_group"], key["category"]],
    )


def indicators_compared(store: Store, own: str) -> set[str]:
    """Indicators with at least one value for a region outside the own area (a Kreis, the Land, Deutschland)."""
    rows = store.query(
        "SELECT DISTINCT indicator FROM indicator_values WHERE value IS NOT NULL AND NOT starts_with(region, ?)", [own]
    )
    return {r[0] for r in rows}


def region_name(store: Store, key: str) -> str:
    """The name the regions table holds for a key (the key itself where there is none)."""
    return store.scalar("SELECT name FROM regions WHERE key = ?", [key]) or key


def kreise_with_value(store: Store, ind: Indicator, year: int, land: str) -> int:
    """How many Kreise of a Land have a value of the indicator in the year (for 'no rank: 40 of 45 present')."""
    return int(
        store.scalar(
            "SELECT count(DISTINCT v.region) FROM indicator_values v JOIN regions r ON r.key = v.region "
            "WHERE v.indicator = ? AND v.year = ? AND r.level = 'kreis' AND starts_with(v.region, ?) "
            "AND v.value IS NOT NULL",
            [ind.id, year, land],
        )
        or 0
    )


def default_comparison(store: Store, ind: Indicator, own: str, settings: Settings | None = None) -> list[str]:
    """The neighbours of the own Kreis that have values of this indicator."""
    present = set(kreise_with_values(store, ind)["key"])
    return [k for k in neighbours(own, settings) if k in present]


def values_in_year(store: Store, ind: Indicator, year: int, regions: list[str]) -> pd.DataFrame:
    """region, name, level, value, flag of the headline series in one year, for the given regions."""
    key = ind.headline_key
    return store.query_df(
        """SELECT v.region, coalesce(r.name, v.region) AS name, r.level, v.value, v.flag
           FROM indicator_values v LEFT JOIN regions r ON r.key = v.region
           WHERE v.indicator = ? AND v.year = ? AND list_contains(?, v.region)
             AND v.nationality = ? AND v.sex = ? AND v.age_group = ? AND v.category = ?""",
        [ind.id, year, regions, key["nationality"], key["sex"], key["age_group"], key["category"]],
    )


def compared(own: str, kreise: list[str]) -> list[str]:
    """The regions of a comparison in their order: the own Kreis, its Land, Deutschland, then the chosen Kreise."""
    return [own, own[:2], "DG", *[k for k in kreise if k not in (own, own[:2], "DG")]]


def comparison_rows(store: Store, ind: Indicator, year: int, regions: list[str]) -> pd.DataFrame:
    """One row per region with a value row in ``year``, in the order given: region, name (from the region list),
    level (as a label), value, flag. Shared by the Regionalvergleich and the indicator page's comparison tab."""
    found = values_in_year(store, ind, year, regions).set_index("region")
    rows = [
        {
            "region": k,
            "name": found.loc[k, "name"],
            "level": LEVEL_LABELS.get(found.loc[k, "level"], found.loc[k, "level"] or ""),
            "value": found.loc[k, "value"],
            "flag": found.loc[k, "flag"],
        }
        for k in regions
        if k in found.index
    ]
    return pd.DataFrame(rows, columns=["region", "name", "level", "value", "flag"])


def years(store: Store, ind: Indicator, regions: list[str]) -> list[int]:
    """Years in which one of the regions has a value of the headline series."""
    key = ind.headline_key
    return [
        int(y)
        for (y,) in store.query(
            """SELECT DISTINCT year FROM indicator_values WHERE indicator = ? AND list_contains(?, region)
             AND value IS NOT NULL AND nationality = ? AND sex = ? AND age_group = ? AND category = ?
           ORDER BY year""",
            [ind.id, regions, key["nationality"], key["sex"], key["age_group"], key["category"]],
        )
    ]


@dataclass
class Rank:
    rank: int  # 1 = best where the indicator has a direction, else the highest value
    count: int
    land: str
    land_name: str
    best_first: bool  # False: ordered by value, highest first (no direction)
    closest_to_zero: bool = False  # direction "zero": ordered by the distance from 0, the closest first


def land_rank(store: Store, ind: Indicator, year: int, own: str, settings: Settings | None = None) -> Rank | None:
    """The own Kreis' rank among the Kreise of its Land in ``year``, only where every Kreis of the Land has a
    value (their number from definitions/regions/comparison.yaml) and the own Kreis has one."""
    land = own[:2]
    expected = kreise_in_land(land, year, settings)
    if expected is None:
        return None
    key = ind.headline_key
    rows = store.query_df(
        """SELECT v.region, v.value FROM indicator_values v JOIN regions r ON r.key = v.region
           WHERE v.indicator = ? AND v.year = ? AND r.level = 'kreis' AND starts_with(v.region, ?)
             AND v.value IS NOT NULL AND v.nationality = ? AND v.sex = ? AND v.age_group = ? AND v.category = ?""",
        [ind.id, year, land, key["nationality"], key["sex"], key["age_group"], key["category"]],
    )
    if len(rows) < expected or own not in set(rows["region"]):
        return None
    order = rank_order(dict(zip(rows["region"], rows["value"])), ind.direction)
    position = order.index(own) + 1
    name = store.scalar("SELECT name FROM regions WHERE key = ?", [land]) or land
    zero = ind.direction == "zero"
    return Rank(position, len(rows), land, str(name), ind.direction in ("up", "down", "zero"), zero)


def rank_order(values: dict[str, float], direction: str) -> list[str]:
    """Region keys from rank 1 on: ``up`` highest first, ``down`` lowest first, ``zero`` (a gap: closer to 0 is
    better, whichever side) smallest distance from 0 first, ``context`` highest first; ties by key."""

    def key(region: str) -> tuple[float, str]:
        v = float(values[region])
        if direction == "zero":
            return abs(v), region
        return (v if direction == "down" else -v), region

    return sorted(values, key=key)
