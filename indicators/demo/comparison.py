"""Synthetic comparison data for the demo (issue 10): Deutschland, Niedersachsen and the other Kreise of Niedersachsen.

Without them the Regionalvergleich of a fresh demo showed only its explanation. The values are made up (labelled
"Demodaten" in every file) but plausible: population by nationality for Deutschland, the Land and every other Kreis
and kreisfreie Stadt of Niedersachsen (so that the Landkreis' rank can be shown), unemployed persons and
unemployment rates by nationality for Deutschland and the Kreise (the Land's rates come with the demo's Open SDG
file). They are written in the official layouts (a GENESIS flat file, a BA workbook with one sheet per year) and
loaded through the normal import as demo uploads, so "Demodaten entfernen" removes them with the rest.
Deterministic: every region draws from its own generator derived from the seed and its key.

The Kreise are those of Niedersachsen since the merger of Göttingen and Osterode am Harz (1.11.2016): 45, so a
rank is possible from 2016 on (before, the Land had 46 Kreise and the two old ones are not in the demo).
"""

from __future__ import annotations

import csv
import datetime as dt
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from openpyxl import Workbook

from indicators.config import PACKAGE_DIR
from indicators.demo import generator as demo
from indicators.ingest.template import OBS_COLUMNS

if TYPE_CHECKING:
    from indicators.service import Monitor


T = "insgesamt"
OFFICIAL_REGIONS = PACKAGE_DIR / "definitions" / "official_regions.csv"
GERMANY, LAND = "DG", demo.LAND
FOLDER = "vergleich"  # under the demo folder

# national curves, by year (made up, in the range of the published figures)
_YEARS = demo.YEARS
_GROWTH = {2015: 0.011, 2016: 0.007, 2022: 0.013}  # arrival waves; otherwise +0,3 % a year
_FOREIGN_DG = dict(zip(_YEARS, (9.3, 9.9, 10.5, 11.2, 12.2, 12.4, 12.8, 13.1, 13.3, 13.7, 15.3, 15.6, 15.8, 15.9)))
_ALQ_DG = dict(zip(_YEARS, (6.8, 6.9, 6.7, 6.4, 6.1, 5.7, 5.2, 5.0, 5.9, 5.7, 5.3, 5.7, 6.0, 6.3)))


def comparison_regions(own: str = demo.KREIS) -> list[tuple[str, str]]:
    """(key, official name) of Deutschland, the own Land and the other Kreise of the Land (official_regions.csv)."""
    land = own[:2]
    with open(OFFICIAL_REGIONS, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader((line for line in fh if not line.startswith("#")), delimiter=";"))[1:]
    names = {r[0]: r[1] for r in rows if len(r) >= 2}
    kreise = [(k, n) for k, n in names.items() if len(k) == 5 and k.startswith(land) and k != own]
    return [(GERMANY, names.get(GERMANY, "Deutschland")), (land, names.get(land, land)), *sorted(kreise)]


def _rng(seed: int, key: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(key.encode())])


def generate_comparison(seed: int = 2025, own: str = demo.KREIS) -> pd.DataFrame:
    """The comparison observations (columns :data:`OBS_COLUMNS`): ``bevoelkerung`` by nationality (31.12.) for
    every region, ``arbeitslose`` and ``alq`` by nationality (annual averages) for Deutschland and the Kreise."""
    rows: list[tuple[Any, ...]] = []
    for key, _ in comparison_regions(own):
        rng = _rng(seed, key)
        if key == GERMANY:
            pop, f_factor, u_factor = 80_520_000.0, 1.0, 1.0
        elif key == own[:2]:
            pop, f_factor, u_factor = 7_780_000.0, 0.75, 0.95
        else:
            pop = float(np.clip(np.exp(rng.normal(np.log(170_000), 0.45)), 48_000, 1_150_000))
            f_factor = float(np.clip(np.exp(rng.normal(-0.3, 0.35)), 0.35, 1.8))
            u_factor = float(np.clip(np.exp(rng.normal(-0.05, 0.22)), 0.55, 1.7))
        trend = rng.normal(0.0, 0.002)
        ratio = float(rng.uniform(2.3, 2.9))  # unemployment rate of foreigners against all
        for year in _YEARS:
            pop *= 1.003 + _GROWTH.get(year, 0.0) + trend
            total = int(round(pop))
            foreign = int(round(total * _FOREIGN_DG[year] * f_factor / 100))
            stichtag = dt.date(year, 12, 31)
            for nat, value in ((T, total), ("deutsch", total - foreign), ("auslaendisch", foreign)):
                rows.append(("bevoelkerung", key, year, stichtag, nat, T, T, T, float(value), None))
            if key != GERMANY and len(key) == 2:
                continue  # the Land's rates: the demo's Open SDG file
            alq = round(_ALQ_DG[year] * u_factor * float(rng.uniform(0.97, 1.03)), 1)
            alq_foreign = round(alq * ratio, 1)
            unemployed = int(round(total * 0.52 * alq / 100))
            unemployed_foreign = min(unemployed - 1, int(round(foreign * 0.55 * alq_foreign / 100)))
            alq_german = round((unemployed - unemployed_foreign) / ((total - foreign) * 0.52) * 100, 1)
            for nat, count, rate in (
                (T, unemployed, alq),
                ("deutsch", unemployed - unemployed_foreign, alq_german),
                ("auslaendisch", unemployed_foreign, alq_foreign),
            ):
                rows.append(("arbeitslose", key, year, None, nat, T, T, T, float(count), None))
                rows.append(("alq", key, year, None, nat, T, T, T, float(rate), None))
    df = pd.DataFrame.from_records(rows, columns=list(OBS_COLUMNS))
    df["year"] = df["year"].astype("int64")
    for col in ("variable", "region", "nationality", "sex", "age_group", "category", "ref_date", "flag"):
        df[col] = df[col].astype(object)
    return df


BA_GROUPS = ((T, "Insgesamt"), ("deutsch", "Deutsche"), ("auslaendisch", "Ausländer"))
BA_TITLE = "Arbeitslose und Arbeitslosenquoten nach Staatsangehörigkeit (Kreise)"


def write_ba_comparison(path: Path, frame: pd.DataFrame, names: dict[str, str]) -> Path:
    """Unemployed persons and rates of Deutschland and the Kreise as a BA workbook: one sheet per year with the
    title block, a two-row header (Insgesamt | Deutsche | Ausländer over Anzahl | Quote in %), a row of column
    numbers, one row per region, footnotes and ©."""
    cells = {(r.variable, r.region, int(r.year), r.nationality): r.value for r in frame.itertuples(index=False)}
    regions = list(dict.fromkeys(frame["region"]))
    wb = Workbook()
    inhalt = wb.active
    inhalt.title = "Inhalt"
    for row in ([BA_TITLE], [f"{demo.DEMO_LABEL} – keine amtlichen Zahlen."], []):
        inhalt.append(row)
    for year in sorted(int(y) for y in frame["year"].unique()):
        ws = wb.create_sheet(f"Jahr {year}")
        for row in (
            [BA_TITLE],
            ["Deutschland und Kreise"],
            [f"Berichtsjahr: {year}"],
            [f"{demo.DEMO_LABEL} – keine amtlichen Zahlen"],
            [f"Erstellungsdatum: 15.01.{year + 1}, Statistik-Service Nordost"],
            [],
        ):
            ws.append(row)
        ws.append(["Region", "Schlüssel", *[x for _, label in BA_GROUPS for x in (label, None)]])
        ws.append([None, None, *["Anzahl", "Quote in %"] * len(BA_GROUPS)])
        ws.append([str(i) for i in range(1, 3 + 2 * len(BA_GROUPS))])
        for rng_text in ("A7:A8", "B7:B8", "C7:D7", "E7:F7", "G7:H7"):
            ws.merge_cells(rng_text)
        for key in regions:
            values = []
            for nat, _ in BA_GROUPS:
                values += [int(cells[("arbeitslose", key, year, nat)]), cells[("alq", key, year, nat)]]
            ws.append([names.get(key, key), key, *values])
        for row in (
            [],
            ["Quote: Arbeitslose in % aller zivilen Erwerbspersonen (Jahresdurchschnitt)."],
            [],
            ["© Statistik der Bundesagentur für Arbeit"],
        ):
            ws.append(row)
    wb.save(path)
    return path


def write_comparison_exports(out_dir: Path, seed: int = 2025, own: str = demo.KREIS) -> list[Path]:
    """The GENESIS flat file (population) and the BA workbook (unemployment) of the comparison regions."""
    from indicators.demo.sources import write_genesis_flat

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    obs = generate_comparison(seed, own)
    names = dict(comparison_regions(own))
    years = f"{min(_YEARS)}-{max(_YEARS)}"
    pop = obs[obs["variable"] == "bevoelkerung"]
    flat = write_genesis_flat(out_dir / f"demo_genesis_flat_12411_vergleichsregionen_{years}.csv", pop, names)
    ba = write_ba_comparison(
        out_dir / f"demo_ba_arbeitslose_kreise_vergleich_{years}.xlsx", obs[obs["variable"] != "bevoelkerung"], names
    )
    return [flat, ba]


def load_demo_comparison(monitor: Monitor, user: str = "Demodaten") -> list[Any]:
    """Write the comparison files into ``<database folder>/demo/vergleich`` and import them as demo uploads (the
    regions they bring become comparison regions); only the indicators reading their variables are recomputed.
    Variables the catalog does not know are left out (a changed catalog still loads)."""
    from indicators.ingest.session import import_path

    needed = {"bevoelkerung", "arbeitslose", "alq"}
    if not needed <= set(monitor.catalog.variables):
        return []
    out = monitor.settings.db_path.parent / "demo" / FOLDER
    return [
        import_path(path, monitor.store, monitor.catalog, monitor.settings, user, demo=True)
        for path in write_comparison_exports(out, own=monitor.settings.own_region)
    ]
