"""Benchmark: full recompute of the shipped catalog in DuckDB against a plain pandas baseline.

Run from the project folder::

    .venv/bin/python benchmarks/compute.py                       # 1e4, 1e5, 1e6, 1e7
    .venv/bin/python benchmarks/compute.py --sizes 1e4,1e5,1e6   # without the big one
    .venv/bin/python benchmarks/compute.py --skip-pandas-above 1e6

What is measured
----------------
* **Data**: synthetic base data for every base variable of the shipped catalog, generated with numpy
  (vectorised, fixed seed). The size is scaled by adding synthetic Landkreise (each with 7-10 synthetic
  Gemeinden, some with a Gemeinde merger in the middle of the series) and by the number of years. The
  synthetic regions go into the ``regions`` table (level/parent/validity), so that the Kreis sums from
  Gemeinden, the completeness check (flag ``tw``) and the dissimilarity index do real work. Counts are
  population x rate x noise, split into parts (nationality, sex, category ...) whose totals are the sums
  of the parts (up to rounding); AZR variables are rounded to 5; a small share of cells is missing (value
  NULL, flag ``.`` or ``-``), the last year carries some provisional values (flag ``p``), a few Gemeinde
  rows are missing entirely, and in some Kreise the Kreis rows of Wanderungssaldo are delivered directly.
  The rows are written straight into the benchmark DuckDB (one ``uploads`` row with status ``aktiv``).
* **DuckDB**: ``indicators.compute.recompute(store, catalog, min_count)`` — the current state marked anew
  from the whole upload history (newest active upload per key), the Kreis sums from Gemeinden and all
  indicators of the catalog, written to ``indicator_values`` and committed. One untimed warm-up run first
  (it reads the database file into memory; pandas' loading is not timed either), then best of N runs.
  Also timed: the catalog alone on the kept current state, and the partial recompute an import of only
  some variables triggers (:data:`PARTIAL`; only the indicators that read them are computed anew).
* **pandas**: the same formulas written in plain pandas (merge/groupby), starting from the tables
  ``observations``, ``uploads`` and ``regions`` already loaded into DataFrames (loading is *not* timed,
  which favours pandas). Best of N runs.
* **Peak memory**: every measurement runs in its own fresh Python process. After the data is loaded, the
  process resets its peak RSS counter (``echo 5 > /proc/self/clear_refs``) and reads ``VmHWM`` from
  ``/proc/self/status`` after the runs. The figure is therefore the peak resident set size of the whole
  process during the measured runs (interpreter, libraries and, for pandas, the input frames included);
  the RSS just before the runs is printed as well.
* **Verification**: at the smallest size both implementations run on the same data and every indicator
  value (value, numerator, denominator within 1e-9; flags exactly; row sets) is compared. A second
  verification data set adds a newer active upload overriding 2 % of the rows and a rolled-back upload, so
  that "newest active upload wins" is checked as well.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indicators.catalog import DIMENSIONS, TOTAL, Catalog, Indicator, Operand, load_catalog  # noqa: E402
from indicators.config import DEFAULT_OWN_REGION  # noqa: E402  (the benchmark database is the demo's: Peine)

DEFINITIONS = ROOT / "indicators" / "definitions"
RESULTS_DIR = Path(__file__).resolve().parent / "results"
SEED = 20250101
YEAR0 = 2012
TOL = 1e-9
AIM_SECONDS_1E6 = 1.0
AIM_SPEEDUP_1E6 = 3.0
#: imports of only some variables: then only the indicators reading them are recomputed
PARTIAL = {"BA-Arbeitsmarktdaten (alq, arbeitslose)": ["alq", "arbeitslose"], "Bevölkerung": ["bevoelkerung"]}


# ================================================================================================
# memory helpers (Linux /proc)
# ================================================================================================
from harness import TimedCursor, cpu_seconds, load_text, peak_rss_mb, reset_peak_rss, rss_mb, run_worker  # noqa: E402


# ================================================================================================
# synthetic data
# ================================================================================================
@dataclass(frozen=True)
class Axis:
    """One breakdown dimension of a variable.

    ``partition``  the parts add up to the total (noisy shares, normalised)
    ``subset``     each part is a share of the total (e.g. category ``8_jahre_plus``)
    ``multiplier`` for levels (published rates): the part is total x multiplier
    ``signed``     parts are independent (mean, sd) per head (a balance); the total is their sum
    """

    dim: str
    parts: tuple[str, ...]
    weights: tuple[float, ...]
    mode: str = "partition"
    sd: float = 0.08


@dataclass(frozen=True)
class Spec:
    level: str = "kreis"  # 'gemeinde': delivered per Gemeinde (summed to the Kreis by the app)
    rate: float = 0.01  # value per inhabitant (counts) or the level itself (kind 'level')
    axes: tuple[Axis, ...] = ()
    sd: float = 0.05  # lognormal noise of the base value
    kind: str = "count"  # 'count' | 'level'
    decimals: int = 0
    years: str = "all"  # 'all' | 'election' (every fifth year)
    month_day: tuple[int, int] = (12, 31)
    cross: bool = True  # False: only cells with at most one non-total axis
    trend: float = 0.0  # relative change per year
    regional: bool = True  # the rate differs between Kreise (False: population and elections)


NAT = ("deutsch", "auslaendisch")
SEX = ("maennlich", "weiblich")


def _nat(foreign: float, sd: float = 0.1) -> Axis:
    return Axis("nationality", NAT, (1 - foreign, foreign), sd=sd)


def _sex(male: float = 0.5) -> Axis:
    return Axis("sex", SEX, (male, 1 - male), sd=0.03)


def _sub(dim: str, **shares: float) -> Axis:
    return Axis(dim, tuple(shares), tuple(shares.values()), mode="subset")


def _part(dim: str, **shares: float) -> Axis:
    return Axis(dim, tuple(shares), tuple(shares.values()))


#: Plausible specs for the base variables of the shipped catalog (rates relative to the population).
SPECS: dict[str, Spec] = {
    "bevoelkerung": Spec(
        "gemeinde",
        1.0,
        (_nat(0.09, 0.25), _sex(0.495), _sub("age_group", **{"15-65": 0.64, "18-21": 0.034, "15-67": 0.665})),
        sd=0.0,
        trend=0.003,
        regional=False,
    ),
    "auslaender_aufenthaltsdauer": Spec(
        "kreis", 0.095, (_sex(0.54), _sub("category", **{"8_jahre_plus": 0.5})), trend=0.04
    ),
    "auslaender_aufenthaltsstatus": Spec(
        "kreis",
        0.095,
        (
            _sex(0.54),
            _part(
                "category",
                niederlassungserlaubnis=0.28,
                daueraufenthalt_eu=0.04,
                eu_freizuegigkeit=0.30,
                aufenthaltserlaubnis=0.20,
                aufenthaltsgestattung=0.04,
                duldung=0.03,
                sonstige=0.09,
            ),
        ),
        trend=0.04,
    ),
    "wanderungssaldo": Spec(
        "gemeinde", 1.0, (Axis("nationality", NAT, (-0.002, 0.008), mode="signed", sd=0.006),), sd=0.0, regional=False
    ),
    "schutzsuchende": Spec("kreis", 0.03, (_sex(0.58),), sd=0.1, trend=0.05),
    "einbuergerungen": Spec("kreis", 0.0012, (_sex(0.5),), sd=0.15, trend=0.05),
    "bearbeitungsdauer_median": Spec("kreis", 75.0, sd=0.25, kind="level"),
    "kinder_in_betreuung": Spec(
        "kreis",
        0.04,
        (_part("age_group", u3=0.35, **{"3-6": 0.65}), _part("category", mit_mh=0.3, ohne_mh=0.7)),
        month_day=(3, 1),
    ),
    "kinder_bevoelkerung": Spec(
        "kreis",
        0.045,
        (_part("age_group", u3=0.5, **{"3-6": 0.5}), _part("category", mit_mh=0.33, ohne_mh=0.67)),
        month_day=(3, 1),
    ),
    "schulabgaenger": Spec(
        "kreis",
        0.009,
        (_nat(0.12), _sex(0.51), _sub("category", ohne_abschluss=0.06, hochschulreife=0.33)),
        month_day=(7, 31),
    ),
    "schueler_jg8": Spec("kreis", 0.0095, (_nat(0.13), _sex(0.51), _sub("category", gymnasium=0.4)), month_day=(8, 15)),
    "ausbildung_neu": Spec("kreis", 0.0045, (_nat(0.1),)),
    "anerkennung_verfahren": Spec("kreis", 0.0005, (_sub("category", beschieden=0.97, gleichwertig=0.6),), sd=0.15),
    "integrationskurs_eintritte": Spec("kreis", 0.005, sd=0.2),
    "integrationskurs_berechtigte": Spec("kreis", 0.007, sd=0.2),
    "dtz_pruefungen": Spec("kreis", 0.003, (_sub("category", b1=0.6),), sd=0.15),
    "einschulung_untersuchte": Spec(
        "kreis", 0.009, (_nat(0.13), _part("category", deutsch=0.75, nichtdeutsch=0.25)), cross=False, month_day=(7, 31)
    ),
    "einschulung_sprachfoerderbedarf": Spec(
        "kreis", 0.0018, (_part("category", deutsch=0.55, nichtdeutsch=0.45),), month_day=(7, 31)
    ),
    "einschulung_masern_geimpft": Spec("kreis", 0.0084, (_nat(0.12),), sd=0.02, month_day=(7, 31)),
    "einschulung_u8u9": Spec("kreis", 0.0076, (_nat(0.11),), sd=0.03, month_day=(7, 31)),
    "kita_kinder": Spec("kreis", 0.03, (_sub("category", nichtdeutsche_familiensprache=0.22),), month_day=(3, 1)),
    "sprachkursplaetze": Spec("kreis", 0.0075, sd=0.2),
    "neuzugewanderte": Spec("kreis", 0.009, sd=0.3),
    "alq": Spec(
        "kreis",
        5.5,
        (
            Axis("nationality", NAT, (0.85, 2.6), mode="multiplier", sd=0.08),
            Axis("sex", SEX, (1.04, 0.96), mode="multiplier", sd=0.04),
        ),
        sd=0.15,
        kind="level",
        decimals=1,
    ),
    "svb_wohnort": Spec("kreis", 0.36, (_nat(0.1), _sex(0.54)), sd=0.03, month_day=(6, 30)),
    "elb_sgb2": Spec("kreis", 0.035, (_nat(0.35),), sd=0.1),
    "arbeitslose": Spec("kreis", 0.022, (_nat(0.25), _sub("category", langzeit=0.35)), sd=0.1),
    "wahlberechtigte": Spec("gemeinde", 0.83, sd=0.01, years="election", month_day=(9, 11), regional=False),
    "waehler": Spec("gemeinde", 0.83 * 0.57, sd=0.04, years="election", month_day=(9, 11), regional=False),
    "gremienmitglieder_mh": Spec("kreis", 0.00007, sd=0.4),
    "beratungsfaelle_antidiskriminierung": Spec("kreis", 0.0004, sd=0.3),
    "integrationslotsen_aktiv": Spec("kreis", 0.0004, sd=0.3),
    "gefluechtete_untergebracht": Spec(
        "kreis", 0.012, (_part("category", dezentral=0.78, gemeinschaftsunterkunft=0.22),), sd=0.2
    ),
    "personal_verwaltung": Spec("kreis", 0.008, (_sub("category", mit_mh=0.09, interkulturell_geschult=0.2),), sd=0.05),
    "auszubildende_verwaltung": Spec("kreis", 0.0004, (_sub("category", mit_mh=0.12),), sd=0.1),
    "sprachmittlung_einsaetze": Spec("kreis", 0.007, sd=0.3),
    "informationssprachen": Spec("kreis", 8.0, sd=0.3, kind="level"),
}


def _generic_spec(var_id: str, catalog: Catalog) -> Spec:
    """A spec for a variable that is not in :data:`SPECS` (a changed catalog must still work)."""
    codes: dict[str, set[str]] = {d: set() for d in DIMENSIONS}
    free: set[str] = set()
    for ind in catalog.indicators.values():
        for op in ind.operands().values():
            if op.variable != var_id:
                continue
            for dim, want in op.filter.items():
                codes[dim].update(want if isinstance(want, list) else [want])
            free.update(d for d in ind.breakdowns if d not in op.filter)
            if ind.kind == "gap" and ind.compare.dimension not in op.filter:
                free.add(ind.compare.dimension)
                codes[ind.compare.dimension].update([ind.compare.minuend, ind.compare.subtrahend])
    axes = []
    for dim in DIMENSIONS:
        parts = sorted(codes[dim] - {TOTAL})
        if dim in free and not parts:
            parts = list(NAT if dim == "nationality" else SEX if dim == "sex" else ("a", "b"))
        if parts:
            axes.append(Axis(dim, tuple(parts), tuple([0.8 / len(parts)] * len(parts)), mode="subset"))
    var = catalog.variables[var_id]
    level = var.unit != "Anzahl" or not var.additive
    return Spec(
        "kreis", 10.0 if level else 0.01, tuple(axes), kind="level" if level else "count", decimals=1 if level else 0
    )


@dataclass
class Regions:
    """The synthetic region hierarchy: Kreise, Gemeinden (with validity) and their populations."""

    kreis_keys: np.ndarray  # (K,) str
    gem_keys: np.ndarray  # (G,) str
    gem_kreis: np.ndarray  # (G,) int index into kreis_keys
    gem_pop: np.ndarray  # (G,) population in YEAR0
    gem_from: np.ndarray  # (G,) first valid year (0 = always)
    gem_to: np.ndarray  # (G,) last valid year (9999 = always)

    def frame(self) -> pd.DataFrame:
        land = pd.DataFrame(
            {
                "key": ["99"],
                "name": ["Synthetisches Land"],
                "level": ["land"],
                "parent": [None],
                "valid_from": [None],
                "valid_to": [None],
            }
        )
        kreise = pd.DataFrame(
            {
                "key": self.kreis_keys,
                "name": [f"Synthetischer Kreis {k}" for k in self.kreis_keys],
                "level": "kreis",
                "parent": "99",
                "valid_from": None,
                "valid_to": None,
            }
        )
        gem = pd.DataFrame(
            {
                "key": self.gem_keys,
                "name": [f"Synthetische Gemeinde {k}" for k in self.gem_keys],
                "level": "gemeinde",
                "parent": self.kreis_keys[self.gem_kreis],
                "valid_from": pd.array([int(v) if v > 0 else None for v in self.gem_from], dtype="Int64"),
                "valid_to": pd.array([int(v) if v < 9999 else None for v in self.gem_to], dtype="Int64"),
            }
        )
        return pd.concat([land, kreise, gem], ignore_index=True)


def make_regions(n_kreise: int, years: np.ndarray, rng: np.random.Generator) -> Regions:
    merge_year = int(years[0] + len(years) // 3)
    kreis_pop = np.clip(np.exp(rng.normal(np.log(150_000), 0.5, n_kreise)), 40_000, 1_200_000)
    n_gem = rng.integers(7, 11, n_kreise)  # Gemeinden after the merger
    merged = rng.random(n_kreise) < 0.25  # these Kreise had two Gemeinden merged into one
    keys, kreis_idx, pops, vfrom, vto = [], [], [], [], []
    for k in range(n_kreise):
        w = rng.dirichlet(np.full(n_gem[k], 2.0))
        w[0] += 0.4  # one town
        w = w / w.sum() * kreis_pop[k]
        pk, fk, tk = list(w), [0] * n_gem[k], [9999] * n_gem[k]
        if merged[k]:  # the last Gemeinde is new from merge_year, made of two predecessors
            share = rng.uniform(0.3, 0.7)
            fk[-1] = merge_year
            pk += [w[-1] * share, w[-1] * (1 - share)]
            fk += [0, 0]
            tk += [merge_year - 1, merge_year - 1]
        kk = f"9{k + 1:04d}"
        keys += [f"{kk}{g + 1:03d}" for g in range(len(pk))]
        kreis_idx += [k] * len(pk)
        pops += pk
        vfrom += fk
        vto += tk
    return Regions(
        np.array([f"9{k + 1:04d}" for k in range(n_kreise)], dtype=object),
        np.array(keys, dtype=object),
        np.array(kreis_idx),
        np.array(pops),
        np.array(vfrom),
        np.array(vto),
    )


def _cells(spec: Spec) -> tuple[list[list[str]], np.ndarray]:
    """Codes per axis (total first) and the index tuples of the cells to write."""
    codes = [[TOTAL, *a.parts] for a in spec.axes]
    shape = [len(c) for c in codes] or [1]
    idx = np.indices(shape).reshape(len(shape), -1).T  # (C, n_axes)
    if not spec.cross and spec.axes:
        idx = idx[(idx > 0).sum(axis=1) <= 1]
    return codes, idx


def _multipliers(axis: Axis, unit_region: np.ndarray, n_regions: int, rng: np.random.Generator) -> np.ndarray:
    """(units, 1 + parts) multipliers of the base value, column 0 = total.

    The noise is mostly a lasting difference between regions plus a smaller one from year to year, so
    that the series look like real ones.
    """
    n = len(unit_region)
    w = np.asarray(axis.weights, dtype=float)
    if axis.mode == "signed":  # per head means; the total is the sum of the parts
        parts = rng.normal(w, axis.sd, (n, len(w)))
        return np.column_stack([parts.sum(axis=1), parts])
    lasting = rng.normal(0.0, axis.sd, (n_regions, len(w)))[unit_region]
    parts = w * np.exp(lasting + rng.normal(0.0, axis.sd / 4, (n, len(w))))
    if axis.mode == "partition":
        parts = parts / parts.sum(axis=1, keepdims=True)
    elif axis.mode == "subset":
        parts = np.minimum(parts, 0.98)
    return np.column_stack([np.ones(n), parts])


def _plan_counts(regions: Regions, years: np.ndarray) -> dict[str, int]:
    """Number of units (region x year) per level and year set."""
    valid = (regions.gem_from[:, None] <= years[None, :]) & (regions.gem_to[:, None] >= years[None, :])
    election = (years - 2016) % 5 == 0
    return {
        ("gemeinde", "all"): int(valid.sum()),
        ("gemeinde", "election"): int(valid[:, election].sum()),
        ("kreis", "all"): len(regions.kreis_keys) * len(years),
        ("kreis", "election"): len(regions.kreis_keys) * int(election.sum()),
    }


def expected_rows(catalog: Catalog, regions: Regions, years: np.ndarray) -> int:
    counts = _plan_counts(regions, years)
    total = 0
    for var_id in catalog.variables:
        spec = SPECS.get(var_id) or _generic_spec(var_id, catalog)
        total += len(_cells(spec)[1]) * counts[(spec.level, spec.years)]
    return total


def choose_shape(n_target: int, catalog: Catalog) -> tuple[int, int]:
    """(number of Kreise, number of years) whose row count is closest to ``n_target``."""
    probe_rng = np.random.default_rng(SEED)
    years14 = np.arange(YEAR0, YEAR0 + 14)
    probe = make_regions(50, years14, probe_rng)
    per_kreis_year = expected_rows(catalog, probe, years14) / (50 * 14)
    best = None
    for n_years in range(8, 25):
        k = max(1, round(n_target / (per_kreis_year * n_years)))
        err = abs(k * n_years * per_kreis_year - n_target)
        if (
            best is None
            or err < best[0] - 1e-9
            or (abs(err - best[0]) < 1e-9 and abs(n_years - 14) < abs(best[2] - 14))
        ):
            best = (err, k, n_years)
    return best[1], best[2]


def generate(catalog: Catalog, n_kreise: int, n_years: int, seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Synthetic observations (canonical columns, categorical strings) and the region table."""
    rng = np.random.default_rng(seed)
    years = np.arange(YEAR0, YEAR0 + n_years)
    regions = make_regions(n_kreise, years, rng)
    valid = (regions.gem_from[:, None] <= years[None, :]) & (regions.gem_to[:, None] >= years[None, :])
    g_idx, y_idx = np.nonzero(valid)  # Gemeinde units
    growth = (1 + 0.003) ** (years - YEAR0)
    gem_pop = regions.gem_pop[g_idx] * growth[y_idx]
    kreis_pop = np.zeros((n_kreise, n_years))
    np.add.at(kreis_pop, (regions.gem_kreis[g_idx], y_idx), gem_pop)
    k_idx, ky_idx = np.divmod(np.arange(n_kreise * n_years), n_years)
    k_pop = kreis_pop[k_idx, ky_idx]
    kreis_factor = np.exp(rng.normal(0.0, 0.15, n_kreise))  # Kreise differ in their rates
    election = (years - 2016) % 5 == 0

    region_codes = np.concatenate([regions.kreis_keys, regions.gem_keys])  # kreis i -> i, gemeinde g -> K + g
    variables = list(catalog.variables)
    dim_codes: dict[str, list[str]] = {d: [TOTAL] for d in DIMENSIONS}
    flag_codes = [".", "-", "p"]
    parts: list[dict[str, np.ndarray]] = []

    for v_no, var_id in enumerate(variables):
        spec = SPECS.get(var_id) or _generic_spec(var_id, catalog)
        var = catalog.variables[var_id]
        if spec.level == "gemeinde":
            unit_region = len(regions.kreis_keys) + g_idx
            unit_year = y_idx
            unit_kreis = regions.gem_kreis[g_idx]
            pop = gem_pop
        else:
            unit_region, unit_year, unit_kreis, pop = k_idx, ky_idx, k_idx, k_pop
        if spec.years == "election":
            keep = election[unit_year]
            unit_region, unit_year, unit_kreis, pop = unit_region[keep], unit_year[keep], unit_kreis[keep], pop[keep]
        n = len(unit_region)
        noise = np.exp(rng.normal(0.0, spec.sd, n)) * (1 + spec.trend) ** unit_year
        if spec.kind == "level":
            base = spec.rate * noise
        else:
            base = pop * spec.rate * noise * (kreis_factor[unit_kreis] if spec.regional else 1.0)
        codes, idx = _cells(spec)
        mults = [_multipliers(a, unit_region, len(region_codes), rng) for a in spec.axes]
        vals = np.repeat(base[:, None], len(idx), axis=1)
        for a_no, m in enumerate(mults):
            vals = vals * m[:, idx[:, a_no]]
        if spec.kind == "level":
            vals = np.round(vals, spec.decimals)
        elif var.rounded_to and var.rounded_to > 1:
            vals = np.round(vals / var.rounded_to) * var.rounded_to
        else:
            vals = np.rint(vals)
        c = len(idx)
        col: dict[str, np.ndarray] = {
            "variable": np.full(n * c, v_no, dtype=np.int32),
            "region": np.repeat(unit_region, c).astype(np.int32),
            "year": np.repeat(years[unit_year], c).astype(np.int32),
            "value": vals.reshape(-1),
        }
        for dim in DIMENSIONS:
            col[dim] = np.zeros(n * c, dtype=np.int32)
        for a_no, axis in enumerate(spec.axes):
            local = [TOTAL, *axis.parts]
            glob = []
            for code in local:
                if code not in dim_codes[axis.dim]:
                    dim_codes[axis.dim].append(code)
                glob.append(dim_codes[axis.dim].index(code))
            col[axis.dim] = np.tile(np.asarray(glob, dtype=np.int32)[idx[:, a_no]], n)
        month, day = spec.month_day
        ym = (np.repeat(years[unit_year], c) - 1970).astype("datetime64[Y]").astype("datetime64[M]")
        col["ref_date"] = (ym + np.timedelta64(month - 1, "M")).astype("datetime64[D]") + np.timedelta64(day - 1, "D")
        # special symbols: missing values and provisional values in the last year
        flag = np.full(n * c, -1, dtype=np.int32)
        missing = rng.random(n * c) < 0.004
        col["value"][missing] = np.nan
        flag[missing] = rng.integers(0, 2, int(missing.sum()))
        provisional = (~missing) & (col["year"] == years[-1]) & (rng.random(n * c) < 0.03)
        flag[provisional] = 2
        col["flag"] = flag
        keep = np.ones(n * c, dtype=bool)
        if spec.level == "gemeinde":
            keep &= rng.random(n * c) >= 0.002  # a few Gemeinde cells are not delivered at all
        part = {k: v[keep] for k, v in col.items()}
        parts.append(part)
        if var_id == "wanderungssaldo":  # some Kreise deliver their Kreis rows themselves
            parts.append(_kreis_rows(col, regions, n_kreise, rng, flag_share=0.1))

    cat = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    df = pd.DataFrame(
        {
            "variable": pd.Categorical.from_codes(cat["variable"], categories=variables),
            "region": pd.Categorical.from_codes(cat["region"], categories=list(region_codes)),
            "year": cat["year"],
            "ref_date": cat["ref_date"],
            **{d: pd.Categorical.from_codes(cat[d], categories=dim_codes[d]) for d in DIMENSIONS},
            "value": cat["value"],
            "flag": pd.Categorical.from_codes(cat["flag"], categories=flag_codes),
        }
    )
    return df, regions.frame()


def _kreis_rows(
    col: dict[str, np.ndarray], regions: Regions, n_kreise: int, rng: np.random.Generator, flag_share: float
) -> dict[str, np.ndarray]:
    """Kreis rows (sum of the Gemeinde rows) for a random tenth of the Kreise."""
    chosen = rng.random(n_kreise) < flag_share
    gem = col["region"] - n_kreise
    kreis = regions.gem_kreis[gem]
    sel = chosen[kreis]
    keys = pd.DataFrame(
        {
            "kreis": kreis[sel],
            "year": col["year"][sel],
            "nationality": col["nationality"][sel],
            "value": np.nan_to_num(col["value"][sel]),
            "ref_date": col["ref_date"][sel],
        }
    )
    agg = keys.groupby(["kreis", "year", "nationality"], as_index=False).agg(
        value=("value", "sum"), ref_date=("ref_date", "max")
    )
    m = len(agg)
    out = {
        "variable": np.full(m, col["variable"][0], dtype=np.int32),
        "region": agg["kreis"].to_numpy().astype(np.int32),
        "year": agg["year"].to_numpy().astype(np.int32),
        "value": agg["value"].to_numpy().astype(float),
        "nationality": agg["nationality"].to_numpy().astype(np.int32),
        "ref_date": agg["ref_date"].to_numpy().astype("datetime64[D]"),
        "flag": np.full(m, -1, dtype=np.int32),
    }
    for dim in ("sex", "age_group", "category"):
        out[dim] = np.zeros(m, dtype=np.int32)
    return {k: out[k] for k in col}


def build_database(db_path: Path, n_target: int, variant: str = "single") -> dict:
    """Create the benchmark database: schema, synthetic regions, uploads, observations."""
    from indicators.store import Store

    catalog = load_catalog(DEFINITIONS)
    n_kreise, n_years = choose_shape(n_target, catalog)
    t0 = time.perf_counter()
    obs, regions = generate(catalog, n_kreise, n_years)
    t_gen = time.perf_counter() - t0
    store = Store(db_path, DEFINITIONS / "regions.csv")
    now = dt.datetime.now()
    with store.transaction() as cur:
        cur.register("reg_df", regions)
        cur.execute("""INSERT INTO regions (key, name, level, parent, valid_from, valid_to, origin)
                       SELECT key, name, level, parent, valid_from::INTEGER, valid_to::INTEGER, 'Benchmark' FROM reg_df""")
        cur.unregister("reg_df")
        uploads = [(1, "aktiv", obs)]
        if variant == "multi":
            rng = np.random.default_rng(SEED + 1)
            newer = obs[rng.random(len(obs)) < 0.02].copy()
            newer["value"] = np.round(newer["value"] * rng.uniform(0.8, 1.2, len(newer)))
            newer.loc[newer.index[: len(newer) // 20], "value"] = np.nan  # some become missing
            rolled = obs[rng.random(len(obs)) < 0.01].copy()
            rolled["value"] = rolled["value"] * 10
            uploads += [(2, "aktiv", newer), (3, "zurueckgenommen", rolled)]
        for uid, status, frame in uploads:
            cur.execute(
                """INSERT INTO uploads (id, file_name, sha256, format, uploaded_at, user_name, rows, status, demo)
                   VALUES (?, ?, ?, 'benchmark', ?, 'benchmark', ?, ?, FALSE)""",
                [uid, f"benchmark_{uid}.parquet", f"{uid:064x}", now, len(frame), status],
            )
            cur.register("obs_df", frame)
            cur.execute(
                f"""INSERT INTO observations (upload_id, variable, region, year, ref_date, nationality, sex, age_group,
                                              category, value, flag, source_row)
                    SELECT {uid}, variable::VARCHAR, region::VARCHAR, year, ref_date::DATE, nationality::VARCHAR,
                           sex::VARCHAR, age_group::VARCHAR, category::VARCHAR, value, flag::VARCHAR, NULL
                    FROM obs_df"""
            )
            cur.unregister("obs_df")
    n_rows = store.scalar("SELECT count(*) FROM observations")
    n_active = store.scalar(
        "SELECT count(*) FROM observations o JOIN uploads u ON u.id = o.upload_id AND u.status = 'aktiv'"
    )
    store.close()
    return {
        "rows": int(n_rows),
        "active_rows": int(n_active),
        "kreise": n_kreise,
        "years": n_years,
        "gemeinden": int((regions["level"] == "gemeinde").sum()),
        "generate_seconds": t_gen,
    }


# ================================================================================================
# pandas baseline: the same formulas as indicators/compute.py
# ================================================================================================
KEY = ["variable", "region", "year", *DIMENSIONS]


def _merge_codes(*items) -> str | None:
    codes = set()
    for s in items:
        if isinstance(s, str) and s:
            codes.update(c for c in s.split(",") if c)
    return ",".join(sorted(codes)) or None


def _merge_series(a: pd.Series, b) -> pd.Series:
    """merge_flags(a, b) row-wise; b is a Series or a constant (str or None)."""
    out = pd.Series(None, index=a.index, dtype=object)
    if isinstance(b, pd.Series):
        a_ok, b_ok = a.notna(), b.notna()
        only_b = ~a_ok & b_ok
        out[only_b] = [_merge_codes(x) for x in b[only_b]]
        out[a_ok] = [_merge_codes(x, y) for x, y in zip(a[a_ok], b[a_ok])]
    else:
        if b is not None:
            out[:] = _merge_codes(b)
        a_ok = a.notna()
        out[a_ok] = [_merge_codes(x, b) for x in a[a_ok]]
    return out


def _attach_flags(target: pd.DataFrame, rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """target + column ``flag`` = merge_flags(string_agg(rows.flag)) per group of ``keys``.

    Only the groups with at least one flag are aggregated in Python; the others get NULL.
    """
    flagged = rows.loc[rows["flag"].notna(), [*keys, "flag"]]
    target = target.drop(columns=["flag"], errors="ignore")
    if flagged.empty:
        return target.assign(flag=None)
    f = flagged.groupby(keys, sort=False, observed=True)["flag"].agg(lambda s: _merge_codes(*s)).reset_index()
    return target.merge(f, on=keys, how="left")


def _expected_children(regions: pd.DataFrame) -> pd.DataFrame:
    g = regions[(regions["level"] == "gemeinde") & regions["parent"].notna()]
    years = pd.DataFrame({"year": np.arange(1990, 2101)})
    x = g[["parent", "valid_from", "valid_to"]].merge(years, how="cross")
    ok = (x["valid_from"].fillna(0) <= x["year"]) & (x["valid_to"].fillna(9999) >= x["year"])
    return (
        x[ok]
        .groupby(["parent", "year"], sort=False)
        .size()
        .rename("expected")
        .reset_index()
        .rename(columns={"parent": "region"})
    )


def pandas_obs_current(
    obs: pd.DataFrame, uploads: pd.DataFrame, regions: pd.DataFrame, catalog: Catalog
) -> pd.DataFrame:
    active = uploads.loc[uploads["status"] == "aktiv", ["id"]].rename(columns={"id": "upload_id"})
    cur = obs.merge(active, on="upload_id")
    cur = cur.sort_values("upload_id", ascending=False, kind="stable").drop_duplicates(KEY, keep="first")
    cur = cur[[*KEY[:3], "ref_date", *DIMENSIONS, "value", "flag", "upload_id"]].assign(aggregated=False)

    additive = [v.id for v in catalog.variables.values() if v.additive]
    gem = regions.loc[(regions["level"] == "gemeinde") & regions["parent"].notna(), ["key", "parent"]]
    g = cur[cur["variable"].isin(additive)].merge(gem, left_on="region", right_on="key")
    gkeys = ["variable", "parent", "year", *DIMENSIONS]
    agg = (
        g.assign(isnull=g["value"].isna())
        .groupby(gkeys, sort=False, observed=True)
        .agg(ref_date=("ref_date", "max"), n=("value", "size"), missing=("isnull", "any"), total=("value", "sum"))
        .reset_index()
    )
    agg = _attach_flags(agg, g, gkeys).rename(columns={"parent": "region"})
    agg = agg.merge(_expected_children(regions), on=["region", "year"])
    incomplete = agg["missing"] | (agg["n"] < agg["expected"])
    agg["value"] = agg["total"].where(~incomplete)
    agg.loc[incomplete, "flag"] = _merge_series(agg.loc[incomplete, "flag"], "tw")
    # only where the data has no row for that key itself
    exists = agg[KEY].merge(cur[KEY], on=KEY, how="left", indicator=True)["_merge"].to_numpy() == "both"
    agg = agg[~exists].assign(upload_id=pd.NA, aggregated=True)
    cols = [*KEY[:3], "ref_date", *DIMENSIONS, "value", "flag", "upload_id", "aggregated"]
    return pd.concat([cur[cols], agg[cols]], ignore_index=True)


def _free_dims(ind: Indicator, op: Operand, extra: tuple[str, ...] = ()) -> list[str]:
    dims = [d for d in DIMENSIONS if (d in ind.breakdowns or d in extra)]
    return [d for d in dims if d not in op.filter]


def _operand(cur: pd.DataFrame, op: Operand, free: list[str], catalog: Catalog, prefix: str) -> pd.DataFrame:
    mask = cur["variable"] == op.variable
    for dim in DIMENSIONS:
        if dim in free:
            continue
        want = op.filter.get(dim, TOTAL)
        mask &= cur[dim].isin(want) if isinstance(want, list) else (cur[dim] == want)
    rows = cur.loc[mask, ["region", "year", *free, "value", "flag"]]
    keys = ["region", "year", *free]
    out = (
        rows.assign(isnull=rows["value"].isna())
        .groupby(keys, sort=False, observed=True)
        .agg(v=("value", "sum"), miss=("isnull", "any"))
        .reset_index()
    )
    out["v"] = out["v"].where(~out["miss"])
    out = _attach_flags(out, rows, keys)
    var = catalog.variables[op.variable]
    round_flag = "~5" if var.rounded_to and var.rounded_to > 1 else None
    out["f"] = _merge_series(out["flag"], round_flag)
    out["year"] = out["year"] + int(op.lag)
    return out[[*keys, "v", "f"]].rename(columns={"v": f"{prefix}v", "f": f"{prefix}f"})


def _published(cur, ind: Indicator, op: Operand, catalog: Catalog, min_count: int, free: list[str]) -> pd.DataFrame:
    v = _operand(cur, op, free, catalog, "n")
    nv = v["nv"]
    sup = (ind.unit == "Anzahl") & nv.notna() & (nv > 0) & (nv < min_count) & (min_count > 0)
    flag = _merge_series(v["nf"], None)
    if sup.any():
        flag[sup] = _merge_series(v["nf"][sup], "Fz")
    return pd.DataFrame(
        {
            **{c: v[c] for c in ["region", "year", *free]},
            "value": nv.where(~sup),
            "numerator": nv.where(~sup),
            "denominator": np.nan,
            "flag": flag,
        }
    )


def _ratio(
    cur, ind: Indicator, catalog: Catalog, min_count: int, extra: tuple[str, ...] = ()
) -> tuple[pd.DataFrame, list[str]]:
    free = _free_dims(ind, ind.numerator, extra)
    if ind.denominator is None:
        return _published(cur, ind, ind.numerator, catalog, min_count, free), free
    free_d = _free_dims(ind, ind.denominator, extra)
    if free_d != free:
        free = [d for d in free if d in free_d]
    keys = ["region", "year", *free]
    x = _operand(cur, ind.numerator, free, catalog, "n").merge(
        _operand(cur, ind.denominator, free, catalog, "d"), on=keys
    )
    nv, dv = x["nv"], x["dv"]
    sup = (dv.notna() & (dv < min_count)) | (nv.notna() & (nv > 0) & (nv < min_count))
    zero = ~sup & (dv == 0)
    extra_flag = pd.Series(None, index=x.index, dtype=object)
    extra_flag[sup] = "Fz"
    extra_flag[zero] = "x0"
    out = x[keys].copy()
    out["value"] = (nv / dv.where(dv != 0) * ind.factor).where(~sup & ~zero)
    out["numerator"] = nv.where(~sup)
    out["denominator"] = dv.where(~sup)
    out["flag"] = _merge_series(_merge_series(x["nf"], x["df"]), extra_flag)
    return out, free


def _out(ind: Indicator, df: pd.DataFrame, free: list[str]) -> pd.DataFrame:
    out = pd.DataFrame({"indicator": ind.id, "region": df["region"], "year": df["year"]})
    for dim in DIMENSIONS:
        out[dim] = df[dim] if dim in free else ind.fixed_output(dim)
    for c in ("value", "numerator", "denominator", "flag"):
        out[c] = df[c]
    return out


def pandas_indicator(
    cur: pd.DataFrame,
    regions: pd.DataFrame,
    expected: pd.DataFrame,
    ind: Indicator,
    catalog: Catalog,
    default_min_count: int,
) -> pd.DataFrame:
    min_count = ind.min_count if ind.min_count is not None else default_min_count
    if ind.kind == "published":
        free = _free_dims(ind, ind.value)
        return _out(ind, _published(cur, ind, ind.value, catalog, min_count, free), free)
    if ind.kind in ("share", "rate", "ratio"):
        body, free = _ratio(cur, ind, catalog, min_count)
        return _out(ind, body, free)
    if ind.kind == "gap":
        cmp = ind.compare.dimension
        r, free = _ratio(cur, ind, catalog, min_count, extra=(cmp,))
        rest = [d for d in free if d != cmp]
        a = r[r[cmp] == ind.compare.minuend]
        b = r[r[cmp] == ind.compare.subtrahend]
        j = a.merge(b, on=["region", "year", *rest], suffixes=("_a", "_b"))
        body = j[["region", "year", *rest]].assign(
            value=j["value_a"] - j["value_b"],
            numerator=j["value_a"],
            denominator=j["value_b"],
            flag=_merge_series(j["flag_a"], j["flag_b"]),
        )
        return _out(ind, body, rest)
    if ind.kind == "dissimilarity":
        free = [d for d in _free_dims(ind, ind.group_a) if d in _free_dims(ind, ind.group_b)]
        keys = ["region", "year", *free]
        x = _operand(cur, ind.group_a, free, catalog, "a").merge(
            _operand(cur, ind.group_b, free, catalog, "b"), on=keys
        )
        gem = regions.loc[(regions["level"] == "gemeinde") & regions["parent"].notna(), ["key", "parent"]]
        j = x.merge(gem, left_on="region", right_on="key")
        j = j.drop(columns=["region", "key"]).rename(columns={"parent": "region"})
        j["flag"] = _merge_series(j["af"], j["bf"])
        t = _attach_flags(_dissim_totals(j, keys), j, keys)
        js = j.merge(t[[*keys, "ta", "tb"]], on=keys)
        js = js[(js["ta"] > 0) & (js["tb"] > 0)]
        js = js.assign(term=(js["av"] / js["ta"] - js["bv"] / js["tb"]).abs())
        s = js.groupby(keys, sort=False)["term"].sum(min_count=1).rename("d").reset_index()
        t = t.merge(expected, on=["region", "year"]).merge(s, on=keys, how="left")
        incomplete = t["missing"] | (t["n"] < t["expected"])
        body = t[keys].assign(
            value=(50 * t["d"]).where(~incomplete & t["d"].notna()),
            numerator=t["ta"],
            denominator=t["tb"],
            flag=t["flag"].where(~incomplete, _merge_series(t["flag"], "tw")),
        )
        return _out(ind, body, free)
    raise ValueError(ind.kind)


def _dissim_totals(j: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    g = j.assign(miss=j["av"].isna() | j["bv"].isna(), a_ok=j["av"].notna(), b_ok=j["bv"].notna())
    t = (
        g.groupby(keys, sort=False)
        .agg(
            ta=("av", "sum"),
            tb=("bv", "sum"),
            n=("av", "size"),
            missing=("miss", "any"),
            a_n=("a_ok", "sum"),
            b_n=("b_ok", "sum"),
        )
        .reset_index()
    )
    t["ta"] = t["ta"].where(t["a_n"] > 0)  # SQL sum() of only NULLs is NULL
    t["tb"] = t["tb"].where(t["b_n"] > 0)
    return t.drop(columns=["a_n", "b_n"])


def pandas_recompute(
    obs: pd.DataFrame, uploads: pd.DataFrame, regions: pd.DataFrame, catalog: Catalog, min_count: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    cur = pandas_obs_current(obs, uploads, regions, catalog)
    expected = _expected_children(regions)
    parts = [pandas_indicator(cur, regions, expected, ind, catalog, min_count) for ind in catalog.indicators.values()]
    values = pd.concat(parts, ignore_index=True)
    return cur, values


# ================================================================================================
# workers (each runs in a fresh process)
# ================================================================================================
def _load_tables(db_path: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        obs = con.execute(
            "SELECT upload_id, variable, region, year, ref_date, nationality, sex, age_group, category, "
            "value, flag FROM observations"
        ).df()
        uploads = con.execute("SELECT id, status FROM uploads").df()
        regions = con.execute("SELECT key, level, parent, valid_from, valid_to FROM regions").df()
    finally:
        con.close()
    return obs, uploads, regions


def worker_duckdb(db_path: Path, repeats: int, min_count: int, profile: bool) -> dict:
    from indicators.compute import recompute, recompute_in
    from indicators.store import Store

    catalog = load_catalog(DEFINITIONS)
    store = Store(db_path)
    recompute(
        store, catalog, min_count, own=DEFAULT_OWN_REGION
    )  # warm-up, not timed: reads the database file (pandas' loading is not timed either)
    rss_before = rss_mb()
    reset_ok = reset_peak_rss()
    times, cpu, report = [], [], None
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), cpu_seconds()
        report = recompute(store, catalog, min_count, own=DEFAULT_OWN_REGION)
        times.append(time.perf_counter() - t0)
        cpu.append(cpu_seconds() - c0)
    catalog_times = []  # the catalog alone, on the current state an import keeps up to date
    for _ in range(repeats):
        t0 = time.perf_counter()
        recompute(store, catalog, min_count, rebuild=False)
        catalog_times.append(time.perf_counter() - t0)
    partial = {}  # what an import of only these variables recomputes (the other indicators are kept)
    for label, variables in PARTIAL.items():
        best = math.inf
        for _ in range(repeats):
            t0 = time.perf_counter()
            with store.transaction() as cur:
                part = recompute_in(cur, catalog, min_count, variables=variables)
            best = min(best, time.perf_counter() - t0)
        partial[label] = {"best": best, "indicators": part.recomputed}
    out = {
        "seconds": times,
        "best": min(times),
        "cpu": cpu,
        "rss_before_mb": rss_before,
        "peak_mb": peak_rss_mb(),
        "peak_reset": reset_ok,
        "obs_current": report.observations,
        "values": report.values,
        "catalog_best": min(catalog_times),
        "partial": partial,
    }
    if profile:
        out["profile"] = profile_statements(store, catalog, min_count)
    store.close()
    return out


def profile_statements(store, catalog: Catalog, min_count: int) -> list[tuple[str, float, int]]:
    """Wall time of each SQL statement of one recompute (whatever ``recompute_in`` executes) and the commit.

    Only relies on ``indicators.compute.recompute_in(cur, catalog, min_count)`` executing its SQL through
    the cursor it is given.
    """
    from indicators import compute

    cur = store.cursor()
    timed = TimedCursor(cur, width=90)
    try:
        cur.execute("BEGIN TRANSACTION")
        compute.recompute_in(timed, catalog, min_count, rebuild=True, own=DEFAULT_OWN_REGION)
        t0 = time.perf_counter()
        cur.execute("COMMIT")
        timed.log.append(("COMMIT", time.perf_counter() - t0))
    finally:
        cur.close()
    return [(label, secs, 0) for label, secs in timed.log]


def worker_pandas(db_path: Path, repeats: int, min_count: int) -> dict:
    catalog = load_catalog(DEFINITIONS)
    obs, uploads, regions = _load_tables(db_path)
    rss_before = rss_mb()
    reset_ok = reset_peak_rss()
    times, cpu, values, cur = [], [], None, None
    for _ in range(repeats):
        del values, cur
        t0, c0 = time.perf_counter(), cpu_seconds()
        cur, values = pandas_recompute(obs, uploads, regions, catalog, min_count)
        times.append(time.perf_counter() - t0)
        cpu.append(cpu_seconds() - c0)
    return {
        "seconds": times,
        "best": min(times),
        "cpu": cpu,
        "rss_before_mb": rss_before,
        "peak_mb": peak_rss_mb(),
        "peak_reset": reset_ok,
        "obs_current": len(cur),
        "values": len(values),
    }


def worker_verify(db_path: Path, min_count: int) -> dict:
    from indicators.compute import current_state, recompute
    from indicators.store import Store

    catalog = load_catalog(DEFINITIONS)
    store = Store(db_path)
    recompute(store, catalog, min_count, own=DEFAULT_OWN_REGION)
    db_values = store.query_df("SELECT * FROM indicator_values")
    db_current = current_state(store, catalog)[[*KEY, "value", "flag", "aggregated"]]
    store.close()
    obs, uploads, regions = _load_tables(db_path)
    pd_current, pd_values = pandas_recompute(obs, uploads, regions, catalog, min_count)
    return {
        "indicators": compare_values(db_values, pd_values, catalog),
        "obs_current": compare_frames(db_current, pd_current, KEY, ["value"], ["flag", "aggregated"]),
        "rows": len(db_values),
        "n_flags": int(db_values["flag"].notna().sum()),
        "n_null_values": int(db_values["value"].isna().sum()),
        "flag_counts": _flag_counts(db_values),
    }


def _flag_counts(values: pd.DataFrame) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in values["flag"].dropna():
        for c in str(f).split(","):
            out[c] = out.get(c, 0) + 1
    return dict(sorted(out.items()))


def _norm(s: pd.Series) -> pd.Series:
    return s.astype(object).where(s.notna(), None)


def compare_frames(a: pd.DataFrame, b: pd.DataFrame, keys: list[str], numeric: list[str], exact: list[str]) -> dict:
    a = a.copy()
    b = b.copy()
    for df in (a, b):
        for k in keys:
            df[k] = df[k].astype(str)
    dup_a = int(a.duplicated(keys).sum())
    dup_b = int(b.duplicated(keys).sum())
    m = a[[*keys, *numeric, *exact]].merge(
        b[[*keys, *numeric, *exact]], on=keys, how="outer", indicator=True, suffixes=("_db", "_pd")
    )
    res = {
        "rows_duckdb": len(a),
        "rows_pandas": len(b),
        "dup_duckdb": dup_a,
        "dup_pandas": dup_b,
        "only_duckdb": int((m["_merge"] == "left_only").sum()),
        "only_pandas": int((m["_merge"] == "right_only").sum()),
    }
    both = m[m["_merge"] == "both"]
    bad = np.zeros(len(both), dtype=bool)
    for c in numeric:
        x = both[f"{c}_db"].astype(float).to_numpy()
        y = both[f"{c}_pd"].astype(float).to_numpy()
        ok = (np.isnan(x) & np.isnan(y)) | np.isclose(x, y, rtol=TOL, atol=TOL)
        res[f"mismatch_{c}"] = int((~ok).sum())
        if (~ok).any():
            res[f"max_abs_diff_{c}"] = (
                float(np.nanmax(np.abs(x - y)[~ok])) if np.isfinite(np.abs(x - y)[~ok]).any() else None
            )
        bad |= ~ok
    for c in exact:
        x = _norm(both[f"{c}_db"]).map(lambda v: None if v is None else str(v))
        y = _norm(both[f"{c}_pd"]).map(lambda v: None if v is None else str(v))
        ok = (x == y) | (x.isna() & y.isna())
        res[f"mismatch_{c}"] = int((~ok.to_numpy()).sum())
        bad |= ~ok.to_numpy()
    res["ok"] = not (dup_a or dup_b or res["only_duckdb"] or res["only_pandas"] or bad.any())
    if bad.any():
        res["examples"] = both[bad].head(3).astype(str).to_dict("records")
    return res


def compare_values(db: pd.DataFrame, pdv: pd.DataFrame, catalog: Catalog) -> dict[str, dict]:
    keys = ["indicator", "region", "year", *DIMENSIONS]
    out = {}
    for ind_id in catalog.indicators:
        out[ind_id] = compare_frames(
            db[db["indicator"] == ind_id],
            pdv[pdv["indicator"] == ind_id],
            keys,
            ["value", "numerator", "denominator"],
            ["flag"],
        )
    return out


# ================================================================================================
# driver
# ================================================================================================
def _parse_size(s: str) -> int:
    return int(float(s))


def _fmt_s(x: float | None) -> str:
    return "–" if x is None else (f"{x:.3f}" if x < 10 else f"{x:.1f}")


def _fmt_n(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def print_verification(label: str, res: dict) -> bool:
    inds = res["indicators"]
    bad = {k: v for k, v in inds.items() if not v["ok"]}
    oc = res["obs_current"]
    print(
        f"\nPrüfung ({label}): {res['rows']} Indikatorwerte, davon {res['n_null_values']} ohne Wert, "
        f"{res['n_flags']} mit Kennzeichen {res['flag_counts']}"
    )
    print(
        f"  obs_current: DuckDB {oc['rows_duckdb']} Zeilen, pandas {oc['rows_pandas']} Zeilen, "
        f"{'gleich' if oc['ok'] else 'UNTERSCHIEDLICH: ' + json.dumps(oc, ensure_ascii=False)}"
    )
    if not bad:
        print(
            f"  Indikatoren: alle {len(inds)} gleich (Wert, Zähler, Nenner bis {TOL:g}; Kennzeichen und Zeilen exakt)"
        )
    else:
        print(f"  Indikatoren: {len(inds) - len(bad)} von {len(inds)} gleich, ABWEICHUNGEN bei:")
        for k, v in bad.items():
            print(f"    {k}: {json.dumps(v, ensure_ascii=False, default=str)[:600]}")
    return oc["ok"] and not bad


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1e4,1e5,1e6,1e7", help="Zeilenzahlen, z. B. 1e4,1e5,1e6")
    ap.add_argument(
        "--skip-pandas-above",
        type=_parse_size,
        default=None,
        help="pandas oberhalb dieser Größe nicht laufen lassen (Standard: laufen lassen, solange es "
        "innerhalb von --pandas-timeout fertig wird)",
    )
    ap.add_argument("--pandas-timeout", type=float, default=1200.0, help="Sekunden je pandas-Messung (Standard 1200)")
    ap.add_argument(
        "--repeats", type=int, default=None, help="Wiederholungen (Standard: 3, bei 1e7: 2 DuckDB / 1 pandas)"
    )
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--no-verify", action="store_true")
    ap.add_argument("--no-profile", action="store_true", help="keine Zeitaufteilung je Anweisung")
    ap.add_argument("--keep", action="store_true", help="Benchmark-Datenbanken nicht löschen")
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        kind, *rest = args.worker
        if kind == "build":
            res = build_database(Path(rest[0]), int(rest[1]), rest[2])
        elif kind == "duckdb":
            res = worker_duckdb(Path(rest[0]), int(rest[1]), int(rest[2]), rest[3] == "1")
        elif kind == "pandas":
            res = worker_pandas(Path(rest[0]), int(rest[1]), int(rest[2]))
        elif kind == "verify":
            res = worker_verify(Path(rest[0]), int(rest[1]))
        else:
            raise SystemExit(f"unbekannter Worker {kind}")
        print(json.dumps(res, default=str))
        return 0

    sizes = [_parse_size(s) for s in args.sizes.split(",") if s.strip()]
    import duckdb

    print(
        f"Integrationsmonitor – Benchmark Neuberechnung ({len(load_catalog(DEFINITIONS).indicators)} Indikatoren "
        f"des ausgelieferten Katalogs), DuckDB {duckdb.__version__}, pandas {pd.__version__}, numpy {np.__version__}, "
        f"{os.cpu_count()} Kerne, Mindestfallzahl {args.min_count}; Last (1/5/15 min) {load_text(1)}"
    )
    print(
        "Spitzenspeicher: VmHWM des jeweiligen Messprozesses (frischer Prozess je Messung, Zähler nach dem Laden "
        "der Daten per /proc/self/clear_refs zurückgesetzt; RSS vor den Läufen in Klammern)."
    )
    all_ok = True
    results: list[dict] = []
    tmp_path = Path(tempfile.mkdtemp(prefix="bench_compute_"))
    try:
        if not args.no_verify:
            for variant, label in (("single", "1 Upload"), ("multi", "3 Uploads: neuerer aktiver + zurückgenommener")):
                db = tmp_path / f"verify_{variant}.duckdb"
                info = run_worker(__file__, ["build", str(db), str(min(sizes)), variant])
                res = run_worker(__file__, ["verify", str(db), str(args.min_count)])
                all_ok &= print_verification(f"{_fmt_n(info['rows'])} Zeilen, {label}", res)
                if not args.keep:
                    db.unlink(missing_ok=True)

        prev_pandas = None
        for size in sizes:
            db = tmp_path / f"bench_{size}.duckdb"
            info = run_worker(__file__, ["build", str(db), str(size), "single"])
            big = size >= 5_000_000
            rep_db = args.repeats or (2 if big else 3)
            rep_pd = args.repeats or (1 if big else 3)
            profile = (not args.no_profile) and size >= 1_000_000
            print(
                f"\n{_fmt_n(size)}: {_fmt_n(info['rows'])} Zeilen ({info['kreise']} Kreise, {info['gemeinden']} "
                f"Gemeinden, {info['years']} Jahre; erzeugt in {info['generate_seconds']:.1f} s) …",
                flush=True,
            )
            print(f"  Last vor der Messung: {load_text(1)}", flush=True)
            d = run_worker(__file__, ["duckdb", str(db), str(rep_db), str(args.min_count), "1" if profile else "0"])
            print(
                f"  DuckDB: {', '.join(f'{t:.3f}' for t in d['seconds'])} s (CPU {', '.join(f'{t:.2f}' for t in d['cpu'])} s); obs_current {_fmt_n(d['obs_current'])}, "
                f"Indikatorwerte {_fmt_n(d['values'])}; Spitze {d['peak_mb']:.0f} MB",
                flush=True,
            )
            p, why = None, ""
            if args.skip_pandas_above is not None and size > args.skip_pandas_above:
                why = "übersprungen (--skip-pandas-above)"
            elif (
                prev_pandas is not None
                and prev_pandas[1] * (info["rows"] / prev_pandas[0]) * rep_pd > args.pandas_timeout
            ):
                why = f"übersprungen (geschätzt > {args.pandas_timeout:.0f} s)"
            else:
                p = run_worker(
                    __file__, ["pandas", str(db), str(rep_pd), str(args.min_count)], timeout=args.pandas_timeout
                )
                if p is None:
                    why = f"übersprungen (nicht fertig in {args.pandas_timeout:.0f} s)"
                else:
                    prev_pandas = (info["rows"], p["best"])
                    print(
                        f"  pandas: {', '.join(f'{t:.3f}' for t in p['seconds'])} s (CPU {', '.join(f'{t:.2f}' for t in p['cpu'])} s); Spitze {p['peak_mb']:.0f} MB",
                        flush=True,
                    )
            if why:
                print(f"  pandas: {why}", flush=True)
            results.append({"size": size, "info": info, "duckdb": d, "pandas": p, "pandas_note": why})
            if not args.keep:
                db.unlink(missing_ok=True)
    finally:
        if args.keep:
            print(f"\nDatenbanken behalten in {tmp_path}")
        else:
            shutil.rmtree(tmp_path, ignore_errors=True)

    print_table(results)
    aims_ok = print_aims(results)
    print_profiles(results)
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"compute_{dt.datetime.now():%Y%m%d_%H%M%S}.json"
    out.write_text(json.dumps(results, default=str, indent=1), encoding="utf-8")
    print(f"\nRohdaten: {out.relative_to(ROOT)}")
    return 0 if (all_ok and aims_ok) else 1


def print_table(results: list[dict]) -> None:
    print("\nErgebnis (beste Wandzeit je Größe; CPU = Prozess-CPU-Zeit dieses Laufs, alle Threads)")
    head = (
        f"{'Größe':>10} {'Zeilen':>11} {'DuckDB s':>9} {'(CPU)':>7} {'pandas s':>12} {'(CPU)':>7} {'pd/DuckDB':>9} "
        f"{'DuckDB MB':>11} {'pandas MB':>12} {'Wachstum DuckDB':>16} {'Wachstum pandas':>16}"
    )
    print(head)
    print("-" * len(head))
    prev = None
    for r in results:
        d, p = r["duckdb"], r["pandas"]
        d_cpu = d["cpu"][d["seconds"].index(d["best"])]
        ratio = f"{p['best'] / d['best']:.1f}x" if p else "–"
        ps = _fmt_s(p["best"]) if p else "übersprungen"
        p_cpu = f"{p['cpu'][p['seconds'].index(p['best'])]:.2f}" if p else "–"
        dmb = f"{d['peak_mb']:.0f} ({d['rss_before_mb']:.0f})"
        pmb = f"{p['peak_mb']:.0f} ({p['rss_before_mb']:.0f})" if p else "übersprungen"
        g_d = g_p = "–"
        if prev is not None:
            rows_f = r["info"]["rows"] / prev["info"]["rows"]
            g_d = f"{d['best'] / prev['duckdb']['best']:.1f}x/{rows_f:.1f}x"
            if p and prev["pandas"]:
                g_p = f"{p['best'] / prev['pandas']['best']:.1f}x/{rows_f:.1f}x"
        print(
            f"{_fmt_n(r['size']):>10} {_fmt_n(r['info']['rows']):>11} {_fmt_s(d['best']):>9} {d_cpu:>7.2f} {ps:>12} "
            f"{p_cpu:>7} {ratio:>9} {dmb:>11} {pmb:>12} {g_d:>16} {g_p:>16}"
        )
        prev = r
    print("DuckDB s: voller Lauf inkl. Neuaufbau des aktuellen Stands aus allen Uploads (wie nach einer Rücknahme).")
    print(
        "Nur Katalog (aktueller Stand vorhanden, wie nach einem Import): "
        + ", ".join(f"{_fmt_n(r['size'])}: {_fmt_s(r['duckdb'].get('catalog_best'))} s" for r in results)
    )
    for label in PARTIAL:
        print(
            f"Nur die Indikatoren eines Imports mit {label} (die übrigen bleiben): "
            + ", ".join(
                f"{_fmt_n(r['size'])}: {_fmt_s(p['best'])} s ({p['indicators']} Indikatoren)"
                for r in results
                if (p := r["duckdb"].get("partial", {}).get(label))
            )
        )
    print(
        "Wachstum: Zeitfaktor / Zeilenfaktor gegenüber der vorigen Größe (linear: beide gleich). "
        "MB: Spitze (RSS vor den Läufen)."
    )


def print_aims(results: list[dict]) -> bool:
    print("\nZiele")
    ok_all = True
    at = [r for r in results if 500_000 <= r["size"] <= 2_000_000]
    if at:
        r = at[0]
        d, p = r["duckdb"], r["pandas"]
        ok1 = d["best"] <= AIM_SECONDS_1E6
        print(f"  1e6 in ≤ {AIM_SECONDS_1E6:g} s (voller Lauf): {'erfüllt' if ok1 else 'VERFEHLT'} ({d['best']:.3f} s)")
        cat_s = d.get("catalog_best")
        if cat_s is not None:
            print(
                f"  1e6 in ≤ {AIM_SECONDS_1E6:g} s (nur Katalog): {'erfüllt' if cat_s <= AIM_SECONDS_1E6 else 'VERFEHLT'} "
                f"({cat_s:.3f} s)"
            )
        if p:
            sp = p["best"] / d["best"]
            ok2 = sp >= AIM_SPEEDUP_1E6
            print(
                f"  1e6 mindestens {AIM_SPEEDUP_1E6:g}x schneller als pandas: {'erfüllt' if ok2 else 'VERFEHLT'} ({sp:.1f}x)"
            )
        else:
            ok2 = True
            print("  1e6 gegen pandas: nicht gemessen")
        ok_all &= ok1 and ok2
    else:
        print("  1e6 nicht gemessen: Ziele für 1e6 nicht geprüft")
    steps = []
    for a, b in zip(results, results[1:]):
        rows_f = b["info"]["rows"] / a["info"]["rows"]
        f = b["duckdb"]["best"] / a["duckdb"]["best"]
        exp = math.log(f) / math.log(rows_f) if rows_f > 1 and f > 0 else float("nan")
        steps.append((a["size"], b["size"], f, rows_f, exp))
    if steps:
        worst = max(s[4] for s in steps)
        ok3 = worst <= 1.1  # 10 % tolerance for measurement noise
        print(
            f"  Wachstum höchstens linear: {'erfüllt' if ok3 else 'VERFEHLT'} (Exponent je Schritt: "
            + ", ".join(f"{_fmt_n(s[0])}→{_fmt_n(s[1])}: {s[4]:.2f}" for s in steps)
            + "; 1 = linear)"
        )
        ok_all &= ok3
    return ok_all


def print_profiles(results: list[dict]) -> None:
    for r in results:
        prof = r["duckdb"].get("profile")
        if not prof:
            continue
        total = sum(p[1] for p in prof)
        print(
            f"\nZeitaufteilung DuckDB bei {_fmt_n(r['info']['rows'])} Zeilen (ein zusätzlicher Lauf, Summe "
            f"{total:.3f} s; {len(prof)} Anweisungen), die teuersten:"
        )
        for name, secs, _ in sorted(prof, key=lambda p: -p[1])[:10]:
            print(f"  {secs:8.3f} s {100 * secs / total:5.1f} %  {name}")


if __name__ == "__main__":
    sys.exit(main())
