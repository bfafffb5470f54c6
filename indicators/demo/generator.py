"""Synthetic demo data for Landkreis Peine (labelled as such wherever it appears).

The demo gives a fresh install a complete, plausible dashboard: every base variable of the shipped
catalog gets a series 2012–2025 whose levels and shapes resemble the real district (about 139,000
inhabitants in 2023, Stadt Peine about 51,500; a foreigners' share rising from about 5 % with arrival
waves in 2015/16 and 2022), so that every indicator lands in a plausible range.

Design:

* :func:`generate_observations` returns the canonical observation frame
  (:data:`indicators.ingest.template.OBS_COLUMNS`); it is deterministic for a given seed (each
  variable draws from its own generator derived from the seed and the variable id).
* One small generator function per base variable, registered in :data:`GENERATORS`. The population
  model (:class:`_Population`) is shared, because several variables are derived from it (AZR counts,
  employment, benefits, elections).
* Gemeinde-level variables (Bevölkerung, Wanderungen, Kommunalwahl) deliver only Gemeinde rows; the app
  sums them to the Landkreis. Kreis-level variables deliver only rows for 03157. Totals are the sums of
  their parts (``insgesamt`` = ``deutsch`` + ``auslaendisch`` = ``maennlich`` + ``weiblich``).
* A few cells carry official special symbols (value missing, flag ``.``) and a few values in the
  latest year are provisional (flag ``p``), so that the app's handling of both is visible.
"""

from __future__ import annotations

import datetime as dt
import math
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from indicators.catalog import Catalog
from indicators.ingest.template import OBS_COLUMNS, write_template

DEMO_LABEL = "Demodaten (synthetisch)"

YEARS: tuple[int, ...] = tuple(range(2012, 2026))
FIRST, LAST = YEARS[0], YEARS[-1]
LAND = "03"
KREIS = "03157"
T = "insgesamt"
NATS = ("deutsch", "auslaendisch")
SEXES = ("maennlich", "weiblich")
AGE_GROUPS = ("15-65", "18-21", "15-67")  # besides 'insgesamt'
KOMMUNALWAHLEN = {2016: dt.date(2016, 9, 11), 2021: dt.date(2021, 9, 12)}


@dataclass(frozen=True)
class Gemeinde:
    key: str
    name: str
    pop_2023: int  # inhabitants 2023 (for the pre-2015 parts: their share of the merged Gemeinde)
    foreign_share: float  # share of foreigners 2023
    valid_from: int | None = None
    valid_to: int | None = None

    def valid(self, year: int) -> bool:
        return (self.valid_from or 0) <= year <= (self.valid_to or 9999)


#: The Gemeinden of Landkreis Peine (keys and validity as in ``definitions/regions.csv``).
#: Ilsede (bis 2014) and Lahstedt were merged into the new Gemeinde Ilsede on 1.1.2015.
GEMEINDEN: tuple[Gemeinde, ...] = (
    Gemeinde("03157001", "Edemissen", 12_900, 0.060),
    Gemeinde("03157002", "Hohenhameln", 10_000, 0.065),
    Gemeinde("03157003", "Ilsede (bis 2014)", 11_900, 0.110, valid_to=2014),
    Gemeinde("03157004", "Lengede", 13_700, 0.090),
    Gemeinde("03157005", "Peine, Stadt", 51_500, 0.205),
    Gemeinde("03157006", "Vechelde", 17_400, 0.092),
    Gemeinde("03157007", "Wendeburg", 11_100, 0.055),
    Gemeinde("03157008", "Ilsede", 22_300, 0.095, valid_from=2015),
    Gemeinde("03157009", "Lahstedt (bis 2014)", 10_400, 0.078, valid_to=2014),
)
PEINE = "03157005"


# ------------------------------------------------------------------------------------------------
# small helpers
# ------------------------------------------------------------------------------------------------
def _by_year(*values: float) -> dict[int, float]:
    """A series for the last ``len(values)`` years up to 2025 (a late start gives fewer values)."""
    if not 0 < len(values) <= len(YEARS):
        raise ValueError(f"{len(values)} Werte für {len(YEARS)} Jahre")
    years = YEARS[len(YEARS) - len(values) :]
    return dict(zip(years, values, strict=True))


def _linear(start: float, end: float) -> dict[int, float]:
    n = len(YEARS) - 1
    return {y: start + (end - start) * i / n for i, y in enumerate(YEARS)}


def _round_to(x: float, base: int) -> int:
    return int(base * round(x / base))


def _date(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


def _dec31(year: int) -> dt.date:
    return dt.date(year, 12, 31)


@dataclass
class _Rows:
    """Collects observation rows of one variable."""

    variable: str
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def add(
        self,
        region: str,
        year: int,
        value: float | None,
        *,
        nationality: str = T,
        sex: str = T,
        age_group: str = T,
        category: str = T,
        ref_date: dt.date | None = None,
        flag: str | None = None,
    ) -> None:
        v = float("nan") if value is None else float(value)
        self.rows.append((self.variable, region, year, ref_date, nationality, sex, age_group, category, v, flag))


class _Rng:
    """Deterministic random draws: one numpy Generator per variable, derived from seed and id."""

    def __init__(self, seed: int, name: str):
        self.g = np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])

    def jitter(self, x: float, sd: float) -> float:
        """x times (1 + N(0, sd))."""
        return x * (1.0 + self.g.normal(0.0, sd))

    def count(self, x: float, sd: float = 0.02) -> int:
        return max(0, int(round(self.jitter(x, sd))))

    def binom(self, n: int, p: float, damp: float = 0.5) -> int:
        """A binomial-like draw with damped spread (``damp`` x the binomial standard deviation).

        Small real groups fluctuate a lot from year to year; the demo keeps some of that but not all,
        so that trends stay readable.
        """
        n = max(0, int(n))
        p = min(max(p, 0.0), 1.0)
        k = n * p + self.g.normal(0.0, damp * math.sqrt(n * p * (1 - p)))
        return int(min(n, max(0, round(k))))

    def normal(self, sd: float) -> float:
        return float(self.g.normal(0.0, sd))


# ------------------------------------------------------------------------------------------------
# the population model (shared by several variables)
# ------------------------------------------------------------------------------------------------
#: Foreign population of the Landkreis (Fortschreibung, before the Zensus 2022 correction).
FOREIGNERS_RAW = _by_year(
    6_550, 7_000, 7_700, 9_800, 10_900, 11_400, 11_900, 12_300, 12_600, 13_100, 16_300, 17_400, 18_100, 18_600
)
#: Zensus 2022 rebasing from 31.12.2022: fewer foreigners (and slightly fewer Germans) than projected.
ZENSUS_FACTOR = {"deutsch": 0.995, "auslaendisch": 0.955}
#: Share of men among foreigners (higher after 2015/16, lower after the arrivals from Ukraine 2022).
MALE_SHARE_FOREIGN = _by_year(
    0.51, 0.515, 0.525, 0.55, 0.56, 0.555, 0.553, 0.55, 0.548, 0.546, 0.52, 0.522, 0.524, 0.525
)
MALE_SHARE_GERMAN = 0.492
#: Age-group fractions of each nationality x sex cell.
AGE_FRACTIONS: dict[str, Callable[[int], dict[str, float]]] = {
    "deutsch": lambda y: {
        "15-65": 0.648 - 0.004 * (y - FIRST),
        "18-21": 0.032 - 0.0002 * (y - FIRST),
        "15-67": 0.670 - 0.0035 * (y - FIRST),
    },
    "auslaendisch": lambda y: {
        "15-65": 0.74 - 0.003 * (y - FIRST),
        "18-21": _by_year(
            0.036, 0.037, 0.039, 0.046, 0.050, 0.050, 0.048, 0.046, 0.044, 0.043, 0.042, 0.042, 0.042, 0.042
        )[y],
        "15-67": 0.752 - 0.003 * (y - FIRST),
    },
}
#: Naturalisations per year (used by the migration balance and the naturalisation count).
EINBUERGERUNGEN = _by_year(95, 95, 100, 100, 110, 115, 125, 140, 120, 175, 220, 290, 480, 520)


def germans_raw(year: int) -> float:
    return 125_200 - 150 * (year - FIRST)


class _Population:
    """Bevölkerung by Gemeinde, year, nationality, sex and age group (whole numbers, consistent)."""

    def __init__(self, seed: int):
        self.rng = _Rng(seed, "bevoelkerung")
        self.frame = self._build()

    # Gemeinde weights -------------------------------------------------------------------------
    @staticmethod
    def weights(year: int) -> dict[str, tuple[float, float]]:
        """Share of the Kreis' Germans and foreigners living in each Gemeinde valid in ``year``."""
        wd: dict[str, float] = {}
        wf: dict[str, float] = {}
        for g in GEMEINDEN:
            if not g.valid(year):
                continue
            wd[g.key] = g.pop_2023 * (1 - g.foreign_share)
            wf[g.key] = g.pop_2023 * g.foreign_share
            if g.key == PEINE:  # concentration in the town, slowly decreasing (decentral housing)
                wf[g.key] *= 1.08 - 0.012 * (year - FIRST)
        sd, sf = sum(wd.values()), sum(wf.values())
        return {k: (wd[k] / sd, wf[k] / sf) for k in wd}

    @staticmethod
    def kreis_total(year: int, nationality: str) -> float:
        if nationality == "deutsch":
            raw = germans_raw(year)
        else:
            raw = FOREIGNERS_RAW[year]
        return raw * (ZENSUS_FACTOR[nationality] if year >= 2022 else 1.0)

    def _build(self) -> pd.DataFrame:
        recs = []
        for year in YEARS:
            for key, (wd, wf) in self.weights(year).items():
                for nat, w, sd in (("deutsch", wd, 0.003), ("auslaendisch", wf, 0.012)):
                    total = self.rng.count(self.kreis_total(year, nat) * w, sd)
                    male_share = MALE_SHARE_GERMAN if nat == "deutsch" else MALE_SHARE_FOREIGN[year]
                    male = int(round(total * self.rng.jitter(male_share, 0.005)))
                    fractions = AGE_FRACTIONS[nat](year)
                    for sex, n in (("maennlich", male), ("weiblich", total - male)):
                        recs.append((key, year, nat, sex, T, n))
                        # nested groups: 18-21 within 15-65 within 15-67 within the total
                        a1565 = min(n, self.rng.count(n * fractions["15-65"], 0.01))
                        a1567 = min(n, a1565 + self.rng.count(n * (fractions["15-67"] - fractions["15-65"]), 0.05))
                        a1821 = min(a1565, self.rng.count(n * fractions["18-21"], 0.02))
                        for age, count in (("15-65", a1565), ("18-21", a1821), ("15-67", a1567)):
                            recs.append((key, year, nat, sex, age, count))
        df = pd.DataFrame(recs, columns=["region", "year", "nationality", "sex", "age_group", "value"])
        # totals as sums of the parts
        by_sex = df.groupby(["region", "year", "nationality", "age_group"], as_index=False)["value"].sum()
        by_sex["sex"] = T
        df = pd.concat([df, by_sex], ignore_index=True)
        by_nat = df.groupby(["region", "year", "sex", "age_group"], as_index=False)["value"].sum()
        by_nat["nationality"] = T
        return pd.concat([df, by_nat], ignore_index=True)

    @cached_property
    def _kreis(self) -> dict[tuple[Any, ...], int]:
        s = self.frame.groupby(["year", "nationality", "sex", "age_group"])["value"].sum()
        return {k: int(v) for k, v in s.items()}

    def kreis(self, year: int, nationality: str = T, sex: str = T, age_group: str = T) -> int:
        """Landkreis sum of the Gemeinden (what the app aggregates)."""
        return self._kreis[(max(year, FIRST), nationality, sex, age_group)]

    def gemeinde(self, key: str, year: int, nationality: str = T) -> int:
        f = self.frame
        sel = (f.region == key) & (f.year == year) & (f.nationality == nationality) & (f.sex == T) & (f.age_group == T)
        return int(f.loc[sel, "value"].iloc[0])


@dataclass
class _Ctx:
    seed: int

    @cached_property
    def pop(self) -> _Population:
        return _Population(self.seed)

    def rng(self, name: str) -> _Rng:
        return _Rng(self.seed, name)

    @cached_property
    def _azr(self) -> dict[int, dict[str, int]]:
        rng = self.rng("azr_insgesamt")
        out = {}
        for y in YEARS:
            total = FOREIGNERS_RAW[y] * 1.04  # the register counts more people than the Fortschreibung
            out[y] = {
                "maennlich": _round_to(rng.jitter(total * MALE_SHARE_FOREIGN[y], 0.004), 5),
                "weiblich": _round_to(rng.jitter(total * (1 - MALE_SHARE_FOREIGN[y]), 0.004), 5),
            }
        return out

    def azr_foreigners(self, year: int) -> dict[str, int]:
        """Foreigners in the Ausländerzentralregister by sex (rounded to 5; no Zensus correction)."""
        return dict(self._azr[year])


# ------------------------------------------------------------------------------------------------
# one generator per base variable
# ------------------------------------------------------------------------------------------------
def gen_bevoelkerung(ctx: _Ctx, r: _Rows) -> None:
    f = ctx.pop.frame.sort_values(["region", "year", "nationality", "sex", "age_group"])
    for rec in f.itertuples(index=False):
        secret = (
            rec.region == "03157009"
            and rec.year in (2012, 2013)
            and rec.nationality == "auslaendisch"
            and rec.sex == "weiblich"
            and rec.age_group == "18-21"
        )
        r.add(
            rec.region,
            rec.year,
            None if secret else rec.value,
            nationality=rec.nationality,
            sex=rec.sex,
            age_group=rec.age_group,
            ref_date=_dec31(rec.year),
            flag="." if secret else None,
        )


def gen_auslaender_aufenthaltsdauer(ctx: _Ctx, r: _Rows) -> None:
    share8 = _by_year(0.66, 0.64, 0.60, 0.49, 0.45, 0.45, 0.45, 0.46, 0.47, 0.47, 0.40, 0.43, 0.47, 0.50)
    rng = ctx.rng(r.variable)
    for y in YEARS:
        by_sex = ctx.azr_foreigners(y)
        long = {s: min(n, _round_to(rng.jitter(n * share8[y], 0.01), 5)) for s, n in by_sex.items()}
        for cat, values in ((T, by_sex), ("8_jahre_plus", long)):
            for sex, n in values.items():
                r.add(KREIS, y, n, sex=sex, category=cat, ref_date=_dec31(y))
            r.add(KREIS, y, sum(values.values()), category=cat, ref_date=_dec31(y))


STATUS_SHARES: dict[str, dict[int, float]] = {
    "niederlassungserlaubnis": _by_year(
        0.27, 0.265, 0.25, 0.20, 0.18, 0.18, 0.185, 0.19, 0.20, 0.205, 0.18, 0.19, 0.20, 0.21
    ),
    "daueraufenthalt_eu": _by_year(
        0.04, 0.04, 0.037, 0.03, 0.028, 0.028, 0.028, 0.029, 0.03, 0.03, 0.026, 0.027, 0.028, 0.029
    ),
    "eu_freizuegigkeit": _by_year(
        0.38, 0.385, 0.38, 0.31, 0.29, 0.295, 0.30, 0.305, 0.305, 0.30, 0.26, 0.265, 0.27, 0.27
    ),
    "aufenthaltserlaubnis": _by_year(
        0.20, 0.20, 0.21, 0.22, 0.28, 0.32, 0.33, 0.33, 0.33, 0.33, 0.40, 0.39, 0.38, 0.37
    ),
    "aufenthaltsgestattung": _by_year(
        0.035, 0.045, 0.07, 0.17, 0.15, 0.10, 0.07, 0.055, 0.045, 0.045, 0.05, 0.055, 0.05, 0.045
    ),
    "duldung": _by_year(0.025, 0.027, 0.03, 0.035, 0.04, 0.045, 0.045, 0.045, 0.042, 0.042, 0.035, 0.028, 0.024, 0.022),
}


def gen_auslaender_aufenthaltsstatus(ctx: _Ctx, r: _Rows) -> None:
    rng = ctx.rng(r.variable)
    for y in YEARS:
        by_sex = ctx.azr_foreigners(y)
        cells: dict[str, dict[str, int]] = {T: by_sex}
        for cat, share in STATUS_SHARES.items():
            cells[cat] = {s: _round_to(rng.jitter(n * share[y], 0.02), 5) for s, n in by_sex.items()}
        cells["sonstige"] = {s: n - sum(cells[c][s] for c in STATUS_SHARES) for s, n in by_sex.items()}
        for cat, values in cells.items():
            for sex, n in values.items():
                r.add(KREIS, y, n, sex=sex, category=cat, ref_date=_dec31(y))
            r.add(KREIS, y, sum(values.values()), category=cat, ref_date=_dec31(y))


def gen_wanderungssaldo(ctx: _Ctx, r: _Rows) -> None:
    rng = ctx.rng(r.variable)
    pop = ctx.pop
    for y in YEARS:
        prev = FOREIGNERS_RAW.get(y - 1, 6_250)
        # balance = change of the stock + naturalisations - natural increase (births minus deaths)
        saldo = {
            "auslaendisch": FOREIGNERS_RAW[y] - prev + EINBUERGERUNGEN[y] - 60,
            "deutsch": -150 + 450 - EINBUERGERUNGEN[y],
        }
        for key, (wd, wf) in pop.weights(y).items():
            values = {}
            for nat, w in (("deutsch", wd), ("auslaendisch", wf)):
                values[nat] = int(round(rng.jitter(saldo[nat] * w, 0.15) + rng.normal(8)))
            for nat, v in values.items():
                r.add(key, y, v, nationality=nat)
            r.add(key, y, sum(values.values()))


def gen_schutzsuchende(ctx: _Ctx, r: _Rows) -> None:
    share = _by_year(0.075, 0.09, 0.12, 0.22, 0.27, 0.275, 0.27, 0.265, 0.26, 0.255, 0.34, 0.34, 0.335, 0.33)
    male_share = {y: (0.62 if y < 2022 else 0.52) for y in YEARS}
    rng = ctx.rng(r.variable)
    for y in YEARS:
        total = sum(ctx.azr_foreigners(y).values()) * rng.jitter(share[y], 0.01)
        male = _round_to(total * male_share[y], 5)
        female = _round_to(total * (1 - male_share[y]), 5)
        r.add(KREIS, y, male, sex="maennlich", ref_date=_dec31(y))
        r.add(KREIS, y, female, sex="weiblich", ref_date=_dec31(y))
        r.add(KREIS, y, male + female, ref_date=_dec31(y))


def gen_einbuergerungen(ctx: _Ctx, r: _Rows) -> None:
    rng = ctx.rng(r.variable)
    for y in YEARS:
        total = rng.count(EINBUERGERUNGEN[y], 0.04)
        male = rng.binom(total, 0.48)
        flag = "p" if y == LAST else None  # provisional
        r.add(KREIS, y, male, sex="maennlich", flag=flag)
        r.add(KREIS, y, total - male, sex="weiblich", flag=flag)
        r.add(KREIS, y, total, flag=flag)


def gen_bearbeitungsdauer_median(ctx: _Ctx, r: _Rows) -> None:
    rng = ctx.rng(r.variable)
    for y, days in _by_year(38, 55, 62, 75, 81, 68, 59).items():  # export exists from 2019
        r.add(KREIS, y, max(1, int(round(days + rng.normal(2)))))


def _children(ctx: _Ctx, r: _Rows, quotas: bool) -> None:
    """Kinder im Betreuungsalter (quotas=False) or Kinder in Betreuung (quotas=True)."""
    cohorts = {
        "u3": _by_year(3520, 3560, 3600, 3700, 3800, 3850, 3870, 3880, 3850, 3820, 3880, 3790, 3700, 3620),
        "3-6": _by_year(3650, 3620, 3600, 3650, 3750, 3850, 3900, 3950, 3960, 3950, 4000, 3980, 3920, 3850),
    }
    mh_share = {"u3": _linear(0.27, 0.38), "3-6": _linear(0.26, 0.37)}
    arrival_bump = {2016: 0.02, 2017: 0.01, 2022: 0.02, 2023: 0.01}
    quota = {  # (mit_mh, ohne_mh)
        "u3": (_linear(0.13, 0.27), _linear(0.25, 0.42)),
        "3-6": (_linear(0.82, 0.88), _linear(0.955, 0.965)),
    }
    arrival_dip = {"u3": {2016: 0.02, 2022: 0.03, 2023: 0.01}, "3-6": {2016: 0.05, 2017: 0.02, 2022: 0.05, 2023: 0.02}}
    base_rng = ctx.rng("kinder_bevoelkerung")  # same children for both variables
    rng = ctx.rng("kinder_in_betreuung")
    for y in YEARS:
        for age in ("u3", "3-6"):
            total = base_rng.count(cohorts[age][y], 0.01)
            mit = int(round(total * (mh_share[age][y] + arrival_bump.get(y, 0.0))))
            values = {"mit_mh": mit, "ohne_mh": total - mit}
            if quotas:
                q_mit, q_ohne = quota[age]
                values = {
                    "mit_mh": rng.binom(mit, q_mit[y] - arrival_dip[age].get(y, 0.0)),
                    "ohne_mh": rng.binom(total - mit, q_ohne[y]),
                }
            for cat, n in values.items():
                r.add(KREIS, y, n, age_group=age, category=cat, ref_date=_date(y, 3, 1))
            r.add(KREIS, y, sum(values.values()), age_group=age, ref_date=_date(y, 3, 1))


def gen_kinder_bevoelkerung(ctx: _Ctx, r: _Rows) -> None:
    _children(ctx, r, quotas=False)


def gen_kinder_in_betreuung(ctx: _Ctx, r: _Rows) -> None:
    _children(ctx, r, quotas=True)


def _school_cohort(
    ctx: _Ctx,
    r: _Rows,
    totals: dict[int, float],
    foreign_share: dict[int, float],
    categories: dict[str, tuple[dict[int, float], dict[int, float], dict[str, float]]],
    ref: Callable[[int], dt.date | None],
    secret: tuple[Any, ...] | None = None,
) -> None:
    """Pupils by nationality x sex, with mutually exclusive categories (subsets of the total).

    ``categories``: code -> (probability Deutsche by year, probability Ausländer by year, factor by sex).
    ``secret``: (year, nationality, sex, category) of one cell published as '.'.
    """
    rng = ctx.rng(r.variable)
    for y in YEARS:
        n_total = rng.count(totals[y], 0.015)
        n_nat = {"auslaendisch": rng.binom(n_total, foreign_share[y])}
        n_nat["deutsch"] = n_total - n_nat["auslaendisch"]
        cells: dict[tuple[str, str, str], int] = {}
        for nat, n in n_nat.items():
            male = rng.binom(n, 0.51)
            for sex, m in (("maennlich", male), ("weiblich", n - male)):
                cells[(nat, sex, T)] = m
                rest = m
                for cat, (p_de, p_aus, by_sex) in categories.items():
                    p = (p_de if nat == "deutsch" else p_aus)[y] * by_sex[sex]
                    k = rng.binom(rest, p * m / rest) if rest else 0
                    cells[(nat, sex, cat)] = k
                    rest -= k  # categories are mutually exclusive
        for (nat, _sex, cat), n in list(cells.items()):
            cells.setdefault((nat, T, cat), 0)
            cells[(nat, T, cat)] += n
        for (_nat, sex, cat), n in list(cells.items()):
            cells.setdefault((T, sex, cat), 0)
            cells[(T, sex, cat)] += n
        for (nat, sex, cat), n in sorted(cells.items()):
            hidden = secret is not None and (y, nat, sex, cat) == secret
            r.add(
                KREIS,
                y,
                None if hidden else n,
                nationality=nat,
                sex=sex,
                category=cat,
                ref_date=ref(y),
                flag="." if hidden else None,
            )


def gen_schulabgaenger(ctx: _Ctx, r: _Rows) -> None:
    _school_cohort(
        ctx,
        r,
        totals=_by_year(1420, 1390, 1380, 1400, 1370, 1350, 1330, 1340, 1320, 1310, 1330, 1340, 1350, 1360),
        foreign_share=_by_year(
            0.045, 0.047, 0.05, 0.055, 0.065, 0.075, 0.085, 0.085, 0.088, 0.09, 0.095, 0.10, 0.105, 0.105
        ),
        categories={
            "ohne_abschluss": (
                _by_year(0.052, 0.05, 0.049, 0.048, 0.048, 0.049, 0.05, 0.051, 0.05, 0.053, 0.054, 0.055, 0.054, 0.053),
                _by_year(0.14, 0.15, 0.15, 0.17, 0.21, 0.25, 0.24, 0.22, 0.20, 0.19, 0.20, 0.19, 0.18, 0.17),
                {"maennlich": 1.2, "weiblich": 0.8},
            ),
            "hochschulreife": (
                _linear(0.31, 0.36),
                _by_year(0.11, 0.12, 0.12, 0.13, 0.12, 0.11, 0.11, 0.12, 0.14, 0.15, 0.15, 0.16, 0.17, 0.18),
                {"maennlich": 0.87, "weiblich": 1.14},
            ),
        },
        ref=lambda y: _date(y, 7, 31),
        secret=(2013, "auslaendisch", "weiblich", "ohne_abschluss"),
    )


def gen_schulabgang_ohne_abschluss_quote(ctx: _Ctx, r: _Rows) -> None:
    """The Land's published share (DNS 10.1 as 100 minus the share WITH at least Hauptschulabschluss, flag 'abg'):
    comparison values of 'Schulabgang ohne Abschluss (Ausländer)' where the demo has no counts."""
    rng = ctx.rng(r.variable)
    foreign = _by_year(19.5, 19.3, 19.0, 19.8, 21.5, 23.1, 22.6, 21.9, 20.8, 20.4, 20.9, 20.5, 20.1, 19.8)
    for y in YEARS:
        value = round(foreign[y] + rng.normal(0.2), 1)
        r.add(LAND, y, value, nationality="auslaendisch", ref_date=_date(y, 7, 31), flag="abg")
        r.add(
            LAND,
            y,
            round(value - 3.1, 1),
            nationality="auslaendisch",
            sex="weiblich",
            ref_date=_date(y, 7, 31),
            flag="abg",
        )
        r.add(
            LAND,
            y,
            round(value + 2.9, 1),
            nationality="auslaendisch",
            sex="maennlich",
            ref_date=_date(y, 7, 31),
            flag="abg",
        )


def gen_schueler_jg8(ctx: _Ctx, r: _Rows) -> None:
    _school_cohort(
        ctx,
        r,
        totals=_by_year(1450, 1430, 1410, 1390, 1400, 1380, 1370, 1390, 1380, 1370, 1400, 1410, 1390, 1380),
        foreign_share=_by_year(
            0.05, 0.052, 0.055, 0.062, 0.075, 0.085, 0.09, 0.095, 0.098, 0.10, 0.11, 0.118, 0.12, 0.12
        ),
        categories={
            "gymnasium": (
                _linear(0.38, 0.41),
                _by_year(0.15, 0.155, 0.16, 0.15, 0.14, 0.13, 0.14, 0.15, 0.16, 0.17, 0.17, 0.18, 0.20, 0.21),
                {"maennlich": 0.89, "weiblich": 1.12},
            ),
        },
        ref=lambda y: None,
    )


def gen_ausbildung_neu(ctx: _Ctx, r: _Rows) -> None:
    series = {
        "deutsch": _by_year(820, 800, 790, 780, 770, 760, 765, 750, 700, 710, 720, 730, 720, 710),
        "auslaendisch": _by_year(25, 27, 30, 34, 45, 62, 72, 78, 70, 76, 85, 92, 95, 98),
    }
    _nationality_counts(ctx, r, series, sd=0.04, ref=_dec31)


def _nationality_counts(
    ctx: _Ctx,
    r: _Rows,
    series: dict[str, dict[int, float]],
    sd: float,
    ref: Callable[[int], dt.date | None] = lambda y: None,
    category: str = T,
) -> None:
    rng = ctx.rng(r.variable + category)
    for y in next(iter(series.values())):
        values = {nat: rng.count(s[y], sd) for nat, s in series.items()}
        for nat, n in values.items():
            r.add(KREIS, y, n, nationality=nat, category=category, ref_date=ref(y))
        r.add(KREIS, y, sum(values.values()), category=category, ref_date=ref(y))


def gen_anerkennung_verfahren(ctx: _Ctx, r: _Rows) -> None:
    rng = ctx.rng(r.variable)
    decided = _by_year(45, 70, 85, 80, 65, 70, 90, 110, 120, 125)  # statistics from 2016
    success = _by_year(0.62, 0.64, 0.66, 0.68, 0.70, 0.72, 0.72, 0.74, 0.76, 0.78)
    for y, n in decided.items():
        total = rng.count(n, 0.05)
        r.add(KREIS, y, total, category="beschieden")
        r.add(KREIS, y, rng.binom(total, success[y]), category="gleichwertig")


def _simple(
    ctx: _Ctx,
    r: _Rows,
    series: dict[int, float],
    sd: float = 0.03,
    ref: Callable[[int], dt.date | None] = lambda y: None,
    flag_last: str | None = None,
) -> None:
    """One Kreis count per year (own data and similar)."""
    rng = ctx.rng(r.variable)
    for y, v in series.items():
        r.add(KREIS, y, rng.count(v, sd) if sd else v, ref_date=ref(y), flag=flag_last if y == LAST else None)


INTEGRATIONSKURS_BERECHTIGTE = _by_year(250, 280, 350, 900, 1400, 900, 600, 500, 380, 420, 1500, 1100, 700, 600)
INTEGRATIONSKURS_QUOTE = _by_year(0.68, 0.70, 0.70, 0.55, 0.62, 0.78, 0.80, 0.80, 0.58, 0.70, 0.60, 0.78, 0.80, 0.79)


def gen_integrationskurs_berechtigte(ctx: _Ctx, r: _Rows) -> None:
    _simple(ctx, r, INTEGRATIONSKURS_BERECHTIGTE, sd=0.02)


def gen_integrationskurs_eintritte(ctx: _Ctx, r: _Rows) -> None:
    series = {y: INTEGRATIONSKURS_BERECHTIGTE[y] * q for y, q in INTEGRATIONSKURS_QUOTE.items()}
    _simple(ctx, r, series, sd=0.03, flag_last="p")


def gen_dtz_pruefungen(ctx: _Ctx, r: _Rows) -> None:
    rng = ctx.rng(r.variable)
    b1 = _by_year(0.60, 0.59, 0.58, 0.56, 0.52, 0.47, 0.48, 0.51, 0.53, 0.54, 0.53, 0.50, 0.53, 0.55)
    for y in YEARS:
        entries_before = INTEGRATIONSKURS_BERECHTIGTE.get(y - 1, 240) * INTEGRATIONSKURS_QUOTE.get(y - 1, 0.68)
        total = rng.count(0.75 * entries_before, 0.04)
        r.add(KREIS, y, total)
        r.add(KREIS, y, rng.binom(total, b1[y]), category="b1")


# Schuleingangsuntersuchung: one examined cohort per year, split by nationality and by family language.
SEU_TOTAL = _by_year(1250, 1240, 1230, 1260, 1290, 1310, 1300, 1320, 1330, 1340 * 0.82, 1360, 1380, 1350, 1330)
SEU_FOREIGN = _by_year(0.04, 0.045, 0.05, 0.06, 0.08, 0.10, 0.11, 0.11, 0.11, 0.115, 0.13, 0.145, 0.145, 0.145)
SEU_NONGERMAN_LANGUAGE = _by_year(
    0.16, 0.165, 0.17, 0.18, 0.20, 0.22, 0.23, 0.235, 0.24, 0.245, 0.26, 0.275, 0.275, 0.275
)


def _seu_cohort(ctx: _Ctx, year: int) -> dict[str, int]:
    """Examined children: by nationality and by family language (deterministic per year)."""
    rng = _Rng(ctx.seed, f"seu{year}")
    total = rng.count(SEU_TOTAL[year], 0.01)
    foreign = rng.binom(total, SEU_FOREIGN[year])
    nongerman = max(foreign, rng.binom(total, SEU_NONGERMAN_LANGUAGE[year]))
    return {
        "total": total,
        "auslaendisch": foreign,
        "deutsch": total - foreign,
        "nichtdeutsch": nongerman,
        "deutsch_sprache": total - nongerman,
    }


def gen_einschulung_untersuchte(ctx: _Ctx, r: _Rows) -> None:
    for y in YEARS:
        c = _seu_cohort(ctx, y)
        r.add(KREIS, y, c["total"])
        r.add(KREIS, y, c["deutsch"], nationality="deutsch")
        r.add(KREIS, y, c["auslaendisch"], nationality="auslaendisch")
        r.add(KREIS, y, c["deutsch_sprache"], category="deutsch")
        r.add(KREIS, y, c["nichtdeutsch"], category="nichtdeutsch")


def gen_einschulung_sprachfoerderbedarf(ctx: _Ctx, r: _Rows) -> None:
    rng = ctx.rng(r.variable)
    p = {
        "deutsch": _by_year(0.14, 0.14, 0.145, 0.145, 0.15, 0.15, 0.155, 0.155, 0.16, 0.17, 0.17, 0.168, 0.165, 0.16),
        "nichtdeutsch": _by_year(0.48, 0.49, 0.50, 0.52, 0.55, 0.56, 0.54, 0.52, 0.52, 0.55, 0.58, 0.57, 0.54, 0.52),
    }
    for y in YEARS:
        c = _seu_cohort(ctx, y)
        values = {
            "deutsch": rng.binom(c["deutsch_sprache"], p["deutsch"][y]),
            "nichtdeutsch": rng.binom(c["nichtdeutsch"], p["nichtdeutsch"][y]),
        }
        for cat, n in values.items():
            r.add(KREIS, y, n, category=cat)
        r.add(KREIS, y, sum(values.values()))


def _seu_by_nationality(ctx: _Ctx, r: _Rows, p: dict[str, dict[int, float]]) -> None:
    rng = ctx.rng(r.variable)
    for y in YEARS:
        c = _seu_cohort(ctx, y)
        values = {nat: rng.binom(c[nat], p[nat][y]) for nat in NATS}
        for nat, n in values.items():
            r.add(KREIS, y, n, nationality=nat)
        r.add(KREIS, y, sum(values.values()))


def gen_einschulung_masern_geimpft(ctx: _Ctx, r: _Rows) -> None:
    _seu_by_nationality(
        ctx,
        r,
        {
            "deutsch": _by_year(
                0.935, 0.94, 0.94, 0.942, 0.945, 0.948, 0.95, 0.952, 0.96, 0.962, 0.965, 0.965, 0.966, 0.967
            ),
            "auslaendisch": _by_year(
                0.78, 0.79, 0.79, 0.78, 0.76, 0.79, 0.81, 0.83, 0.87, 0.88, 0.86, 0.85, 0.87, 0.88
            ),
        },
    )


def gen_einschulung_u8u9(ctx: _Ctx, r: _Rows) -> None:
    _seu_by_nationality(
        ctx,
        r,
        {
            "deutsch": _linear(0.90, 0.92),
            "auslaendisch": _by_year(
                0.64, 0.64, 0.63, 0.60, 0.55, 0.58, 0.62, 0.65, 0.67, 0.66, 0.62, 0.64, 0.67, 0.69
            ),
        },
    )


def gen_kita_kinder(ctx: _Ctx, r: _Rows) -> None:
    rng = ctx.rng(r.variable)
    totals = _by_year(4900, 4950, 5000, 5050, 5150, 5250, 5300, 5380, 5420, 5450, 5500, 5560, 5600, 5620)
    share = _by_year(0.14, 0.145, 0.15, 0.16, 0.175, 0.19, 0.20, 0.205, 0.21, 0.215, 0.23, 0.24, 0.245, 0.25)
    for y in YEARS:
        total = rng.count(totals[y], 0.01)
        r.add(KREIS, y, total, ref_date=_date(y, 3, 1))
        r.add(KREIS, y, rng.binom(total, share[y]), category="nichtdeutsche_familiensprache", ref_date=_date(y, 3, 1))


def gen_sprachkursplaetze(ctx: _Ctx, r: _Rows) -> None:
    _simple(ctx, r, _by_year(900, 950, 900, 880, 700, 780, 1400, 1300, 1150, 1050), sd=0.02)  # own count from 2016


def gen_neuzugewanderte(ctx: _Ctx, r: _Rows) -> None:
    _simple(ctx, r, _by_year(900, 1000, 1300, 3200, 2000, 1300, 1200, 1100, 800, 1050, 3400, 1900, 1500, 1300))


def gen_alq(ctx: _Ctx, r: _Rows) -> None:
    """Published rates (not additive): Landkreis by nationality x sex, Niedersachsen by nationality.

    Totals are weighted with the foreign share of the labour force, as the published rates would be.
    """
    rng = ctx.rng(r.variable)
    kreis = {
        "deutsch": _by_year(5.6, 5.5, 5.3, 5.1, 4.8, 4.5, 4.2, 4.0, 4.6, 4.3, 4.0, 4.2, 4.5, 4.6),
        "auslaendisch": _by_year(13.8, 13.9, 13.5, 13.9, 15.4, 15.0, 13.6, 12.6, 14.1, 13.4, 13.0, 14.6, 15.0, 14.8),
    }
    land = {
        "deutsch": _by_year(5.9, 5.8, 5.6, 5.3, 5.0, 4.7, 4.3, 4.1, 4.6, 4.4, 4.1, 4.3, 4.6, 4.8),
        "auslaendisch": _by_year(15.2, 15.3, 15.0, 15.4, 16.3, 16.2, 14.9, 13.9, 15.6, 15.0, 14.2, 15.5, 15.9, 16.0),
    }
    foreign_labour = {KREIS: _linear(0.06, 0.115), LAND: _linear(0.09, 0.13)}
    sex_offset = {"deutsch": {"maennlich": 0.3, "weiblich": -0.3}, "auslaendisch": {"maennlich": -0.8, "weiblich": 1.0}}
    for y in YEARS:
        for region, rates in ((KREIS, kreis), (LAND, land)):
            lf = foreign_labour[region][y]
            nat_rate = {nat: rates[nat][y] + rng.normal(0.12) for nat in NATS}
            r.add(region, y, round(nat_rate["deutsch"] * (1 - lf) + nat_rate["auslaendisch"] * lf, 1))
            for nat, v in nat_rate.items():
                r.add(region, y, round(v, 1), nationality=nat)
            if region != KREIS:
                continue  # Niedersachsen only as a comparison by nationality
            cell = {
                (nat, sex): nat_rate[nat] + off + rng.normal(0.1)
                for nat in NATS
                for sex, off in sex_offset[nat].items()
            }
            for (nat, sex), v in cell.items():
                r.add(region, y, round(v, 1), nationality=nat, sex=sex)
            for sex in SEXES:
                r.add(
                    region, y, round(cell[("deutsch", sex)] * (1 - lf) + cell[("auslaendisch", sex)] * lf, 1), sex=sex
                )


def gen_svb_wohnort(ctx: _Ctx, r: _Rows) -> None:
    """Employees at place of residence (30.06.): a quota times the population 15-65 of the year before."""
    rng = ctx.rng(r.variable)
    quota = {
        ("deutsch", "maennlich"): _linear(0.605, 0.665),
        ("deutsch", "weiblich"): _linear(0.56, 0.64),
        ("auslaendisch", "maennlich"): _by_year(
            0.43, 0.43, 0.42, 0.40, 0.38, 0.41, 0.45, 0.48, 0.47, 0.49, 0.50, 0.47, 0.49, 0.51
        ),
        ("auslaendisch", "weiblich"): _by_year(
            0.28, 0.285, 0.285, 0.28, 0.27, 0.28, 0.30, 0.32, 0.32, 0.33, 0.34, 0.31, 0.33, 0.35
        ),
    }
    for y in YEARS:
        cells = {k: rng.count(q[y] * ctx.pop.kreis(y - 1, k[0], k[1], "15-65"), 0.005) for k, q in quota.items()}
        _add_nat_sex(r, KREIS, y, cells, ref=_date(y, 6, 30))


def _add_nat_sex(r: _Rows, region: str, year: int, cells: dict[tuple[str, str], int], ref: dt.date | None) -> None:
    """Write nationality x sex cells plus all totals."""
    for (nat, sex), n in cells.items():
        r.add(region, year, n, nationality=nat, sex=sex, ref_date=ref)
    for nat in NATS:
        r.add(region, year, sum(cells[(nat, s)] for s in SEXES), nationality=nat, ref_date=ref)
    for sex in SEXES:
        r.add(region, year, sum(cells[(n, sex)] for n in NATS), sex=sex, ref_date=ref)
    r.add(region, year, sum(cells.values()), ref_date=ref)


def gen_elb_sgb2(ctx: _Ctx, r: _Rows) -> None:
    quota = {
        "deutsch": _by_year(
            0.060, 0.059, 0.058, 0.056, 0.054, 0.052, 0.050, 0.048, 0.049, 0.048, 0.046, 0.046, 0.047, 0.047
        ),
        "auslaendisch": _by_year(0.19, 0.20, 0.205, 0.21, 0.25, 0.29, 0.28, 0.26, 0.26, 0.25, 0.31, 0.34, 0.31, 0.28),
    }
    series = {nat: {y: q[y] * ctx.pop.kreis(y - 1, nat, T, "15-67") for y in YEARS} for nat, q in quota.items()}
    _nationality_counts(ctx, r, series, sd=0.01)


def gen_arbeitslose(ctx: _Ctx, r: _Rows) -> None:
    rng = ctx.rng(r.variable)
    totals = {
        "deutsch": _by_year(2650, 2600, 2520, 2430, 2300, 2150, 2000, 1900, 2200, 2100, 1950, 2050, 2180, 2230),
        "auslaendisch": _by_year(420, 440, 450, 480, 600, 700, 660, 620, 730, 700, 800, 1000, 1060, 1080),
    }
    long_share = {
        "deutsch": _by_year(0.38, 0.385, 0.39, 0.385, 0.38, 0.37, 0.35, 0.33, 0.34, 0.40, 0.39, 0.36, 0.34, 0.35),
        "auslaendisch": _by_year(0.28, 0.29, 0.29, 0.27, 0.22, 0.24, 0.28, 0.29, 0.30, 0.34, 0.30, 0.24, 0.26, 0.28),
    }
    for y in YEARS:
        all_ = {nat: rng.count(totals[nat][y], 0.02) for nat in NATS}
        long = {nat: rng.binom(all_[nat], long_share[nat][y]) for nat in NATS}
        for cat, values in ((T, all_), ("langzeit", long)):
            for nat, n in values.items():
                r.add(KREIS, y, n, nationality=nat, category=cat)
            r.add(KREIS, y, sum(values.values()), category=cat)


TURNOUT = {
    "03157001": 0.60,
    "03157002": 0.61,
    "03157004": 0.58,
    "03157005": 0.50,
    "03157006": 0.60,
    "03157007": 0.63,
    "03157008": 0.57,
}


def _election(ctx: _Ctx, r: _Rows, voters: bool) -> None:
    rng_e = ctx.rng("wahlberechtigte")
    rng_v = ctx.rng("waehler")
    for y, day in KOMMUNALWAHLEN.items():
        for key in ctx.pop.weights(y):
            # Germans and EU citizens aged 16 and over (about a third of the foreigners are EU citizens)
            electorate = int(
                round(0.845 * (ctx.pop.gemeinde(key, y, "deutsch") + 0.35 * ctx.pop.gemeinde(key, y, "auslaendisch")))
            )
            electorate = rng_e.count(electorate, 0.003)
            turnout = TURNOUT[key] - (0.015 if y == 2021 else 0.0) + rng_v.normal(0.01)
            r.add(key, y, rng_v.binom(electorate, turnout) if voters else electorate, ref_date=day)


def gen_wahlberechtigte(ctx: _Ctx, r: _Rows) -> None:
    _election(ctx, r, voters=False)


def gen_waehler(ctx: _Ctx, r: _Rows) -> None:
    _election(ctx, r, voters=True)


def gen_gremienmitglieder_mh(ctx: _Ctx, r: _Rows) -> None:
    _simple(ctx, r, _by_year(4, 4, 4, 5, 9, 9, 9, 10, 10, 12, 12, 12, 13, 13), sd=0, ref=_dec31)


def gen_beratungsfaelle_antidiskriminierung(ctx: _Ctx, r: _Rows) -> None:
    _simple(ctx, r, _by_year(24, 31, 45, 52, 61, 74, 88, 92), sd=0.05)  # counselling service since 2018


def gen_integrationslotsen_aktiv(ctx: _Ctx, r: _Rows) -> None:
    _simple(ctx, r, _by_year(25, 28, 35, 70, 95, 82, 70, 62, 48, 50, 78, 74, 66, 64), sd=0.03)


def gen_gefluechtete_untergebracht(ctx: _Ctx, r: _Rows) -> None:
    rng = ctx.rng(r.variable)
    totals = _by_year(250, 300, 520, 1600, 1900, 1700, 1500, 1400, 1350, 1300, 2600, 2500, 2300, 2100)
    decentral = _by_year(0.85, 0.84, 0.78, 0.60, 0.68, 0.74, 0.78, 0.82, 0.83, 0.84, 0.66, 0.72, 0.76, 0.79)
    for y in YEARS:
        total = rng.count(totals[y], 0.02)
        d = rng.binom(total, decentral[y])
        for cat, n in ((T, total), ("dezentral", d), ("gemeinschaftsunterkunft", total - d)):
            r.add(KREIS, y, n, category=cat, ref_date=_dec31(y))


def gen_personal_verwaltung(ctx: _Ctx, r: _Rows) -> None:
    rng = ctx.rng(r.variable)
    staff = _by_year(1050, 1060, 1080, 1100, 1120, 1140, 1160, 1180, 1195, 1210, 1220, 1225)  # survey since 2014
    mh = _by_year(0.065, 0.068, 0.072, 0.076, 0.08, 0.084, 0.088, 0.094, 0.099, 0.104, 0.108, 0.112)
    trained = _by_year(0.03, 0.05, 0.08, 0.11, 0.14, 0.17, 0.19, 0.22, 0.26, 0.29, 0.32, 0.35)
    for y, n in staff.items():
        total = rng.count(n, 0.005)
        r.add(KREIS, y, total, ref_date=_dec31(y))
        r.add(KREIS, y, rng.binom(total, mh[y]), category="mit_mh", ref_date=_dec31(y))
        r.add(KREIS, y, rng.binom(total, trained[y]), category="interkulturell_geschult", ref_date=_dec31(y))


def gen_auszubildende_verwaltung(ctx: _Ctx, r: _Rows) -> None:
    trainees = _by_year(45, 48, 50, 52, 55, 56, 58, 60, 62, 62, 64, 65)
    mh = _by_year(0.04, 0.05, 0.07, 0.08, 0.09, 0.10, 0.11, 0.12, 0.13, 0.14, 0.15, 0.16)
    for y, n in trainees.items():
        r.add(KREIS, y, n, ref_date=_dec31(y))
        r.add(KREIS, y, int(round(n * mh[y])), category="mit_mh", ref_date=_dec31(y))  # small: 2 in 2014


def gen_sprachmittlung_einsaetze(ctx: _Ctx, r: _Rows) -> None:
    _simple(ctx, r, _by_year(180, 210, 290, 720, 1150, 980, 860, 820, 640, 760, 1480, 1390, 1260, 1210), sd=0.03)


def gen_informationssprachen(ctx: _Ctx, r: _Rows) -> None:
    _simple(ctx, r, _by_year(3, 4, 6, 7, 9, 10, 11, 12), sd=0, ref=_dec31)  # own count since 2018


#: The table of generators: base variable id -> function filling its rows.
GENERATORS: dict[str, Callable[[_Ctx, _Rows], None]] = {
    "bevoelkerung": gen_bevoelkerung,
    "auslaender_aufenthaltsdauer": gen_auslaender_aufenthaltsdauer,
    "auslaender_aufenthaltsstatus": gen_auslaender_aufenthaltsstatus,
    "wanderungssaldo": gen_wanderungssaldo,
    "schutzsuchende": gen_schutzsuchende,
    "einbuergerungen": gen_einbuergerungen,
    "bearbeitungsdauer_median": gen_bearbeitungsdauer_median,
    "kinder_in_betreuung": gen_kinder_in_betreuung,
    "kinder_bevoelkerung": gen_kinder_bevoelkerung,
    "schulabgaenger": gen_schulabgaenger,
    "schulabgang_ohne_abschluss_quote": gen_schulabgang_ohne_abschluss_quote,
    "schueler_jg8": gen_schueler_jg8,
    "ausbildung_neu": gen_ausbildung_neu,
    "anerkennung_verfahren": gen_anerkennung_verfahren,
    "integrationskurs_eintritte": gen_integrationskurs_eintritte,
    "integrationskurs_berechtigte": gen_integrationskurs_berechtigte,
    "dtz_pruefungen": gen_dtz_pruefungen,
    "einschulung_untersuchte": gen_einschulung_untersuchte,
    "einschulung_sprachfoerderbedarf": gen_einschulung_sprachfoerderbedarf,
    "einschulung_masern_geimpft": gen_einschulung_masern_geimpft,
    "einschulung_u8u9": gen_einschulung_u8u9,
    "kita_kinder": gen_kita_kinder,
    "sprachkursplaetze": gen_sprachkursplaetze,
    "neuzugewanderte": gen_neuzugewanderte,
    "alq": gen_alq,
    "svb_wohnort": gen_svb_wohnort,
    "elb_sgb2": gen_elb_sgb2,
    "arbeitslose": gen_arbeitslose,
    "wahlberechtigte": gen_wahlberechtigte,
    "waehler": gen_waehler,
    "gremienmitglieder_mh": gen_gremienmitglieder_mh,
    "beratungsfaelle_antidiskriminierung": gen_beratungsfaelle_antidiskriminierung,
    "integrationslotsen_aktiv": gen_integrationslotsen_aktiv,
    "gefluechtete_untergebracht": gen_gefluechtete_untergebracht,
    "personal_verwaltung": gen_personal_verwaltung,
    "auszubildende_verwaltung": gen_auszubildende_verwaltung,
    "sprachmittlung_einsaetze": gen_sprachmittlung_einsaetze,
    "informationssprachen": gen_informationssprachen,
}


def generate_observations(seed: int = 2025) -> pd.DataFrame:
    """All demo observations in the canonical frame (columns :data:`OBS_COLUMNS`), deterministic."""
    ctx = _Ctx(seed)
    rows: list[tuple[Any, ...]] = []
    for variable, gen in GENERATORS.items():
        r = _Rows(variable)
        gen(ctx, r)
        rows.extend(r.rows)
    df = pd.DataFrame.from_records(rows, columns=list(OBS_COLUMNS))
    df["year"] = df["year"].astype("int64")
    df["value"] = df["value"].astype("float64")
    for col in ("variable", "region", "nationality", "sex", "age_group", "category", "ref_date", "flag"):
        df[col] = df[col].astype(object)
    df["flag"] = df["flag"].where(df["flag"].notna(), None)
    df["ref_date"] = df["ref_date"].where(df["ref_date"].notna(), None)
    return df


def variable_fields(catalog: Catalog) -> dict[str, str]:
    """Each variable's field of action: that of the first indicator (in catalog order) that uses it."""
    out: dict[str, str] = {}
    for f in catalog.ordered_fields():
        for ind in catalog.by_field(f.id):
            for op in [*ind.operands().values(), *([ind.official] if ind.official else [])]:
                out.setdefault(op.variable, f.id)
    return out


def write_demo_files(out_dir: Path, catalog: Catalog, regions: Iterable[tuple[str, str]]) -> list[Path]:
    """Write the demo as template workbooks, one per field of action (``demo_<field>.xlsx``).

    Only variables the catalog knows are written (a changed catalog must still import cleanly);
    catalog variables that no indicator uses go to ``demo_sonstige.xlsx``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    regions = list(regions)
    obs = generate_observations()
    obs = obs[obs["variable"].isin(set(catalog.variables))]
    fields = variable_fields(catalog)
    obs = obs.assign(_field=obs["variable"].map(fields).fillna("sonstige"))
    order = [f.id for f in catalog.ordered_fields()] + ["sonstige"]
    paths = []
    for field_id in order:
        part = obs[obs["_field"] == field_id]
        if part.empty:
            continue
        path = out_dir / f"demo_{field_id}.xlsx"
        write_template(path, part.drop(columns="_field"), catalog, regions, note=DEMO_LABEL)
        paths.append(path)
    return paths


__all__ = [
    "DEMO_LABEL",
    "GENERATORS",
    "GEMEINDEN",
    "YEARS",
    "generate_observations",
    "write_demo_files",
    "variable_fields",
]
