"""The app's own upload template: one tidy sheet ``Daten`` with fixed German columns and a sheet
``Codes`` listing the allowed codes. It is the easy path for own data, the format of the demo data
and of the export of all current base data (round trip)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from indicators.catalog import NATIONALITIES, SEXES, Catalog
from indicators.export import plain_value, safe_text

DATA_SHEET = "Daten"
CODES_SHEET = "Codes"

#: canonical column -> German template header (fixed, in this order)
TEMPLATE_COLUMNS: dict[str, str] = {
    "variable": "Variable",
    "region": "Regionalschlüssel",
    "region_name": "Region",
    "year": "Jahr",
    "ref_date": "Stichtag",
    "nationality": "Staatsangehörigkeit",
    "sex": "Geschlecht",
    "age_group": "Altersgruppe",
    "category": "Kategorie",
    "value": "Wert",
    "flag": "Kennzeichen",
}
REQUIRED_COLUMNS = ("variable", "region", "year", "value")

#: The canonical observation frame every reader produces.
OBS_COLUMNS = ("variable", "region", "year", "ref_date", "nationality", "sex", "age_group", "category", "value", "flag")


def write_template(
    path: str | Path,
    observations: pd.DataFrame | None,
    catalog: Catalog,
    regions: Iterable[tuple[str, str]],
    note: str | None = None,
) -> Path:
    """Write observations (canonical columns, ``region_name`` optional) as a template workbook.

    With ``observations=None`` an empty template (headers and codes only) is written. ``note`` is put
    into the first cell of the codes sheet (e.g. "Demodaten (synthetisch)").
    Text cells that a spreadsheet would read as a formula are prefixed with ``'``.
    """
    path = Path(path)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(DATA_SHEET)
    ws.append(list(TEMPLATE_COLUMNS.values()))
    region_names = dict(regions)
    if observations is not None and len(observations):
        df = observations.copy()
        if "region_name" not in df.columns:
            df["region_name"] = df["region"].map(region_names)
        for col in TEMPLATE_COLUMNS:
            if col not in df.columns:
                df[col] = None
        df = df[list(TEMPLATE_COLUMNS)]
        for row in df.itertuples(index=False, name=None):
            ws.append([_cell(v) for v in row])
    codes = wb.create_sheet(CODES_SHEET)
    if note:
        codes.append([note])
        codes.append([])
    codes.append(["Spalte", "Code", "Bedeutung"])
    for var in catalog.variables.values():
        codes.append(["Variable", var.id, var.name])
    for key, name in region_names.items():
        codes.append(["Regionalschlüssel", key, name])
    for code in NATIONALITIES:
        codes.append(["Staatsangehörigkeit", code, ""])
    for code in SEXES:
        codes.append(["Geschlecht", code, ""])
    codes.append(["Kennzeichen", "- . ... / x * ( ) p r s", "amtliche Zeichen, siehe README"])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _cell(v: object) -> object:
    return safe_text(plain_value(v))

