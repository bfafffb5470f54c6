"""The app's own upload template: one tidy sheet ``Daten`` with fixed German columns and a sheet
``Codes`` listing the allowed codes. It is the easy path for own data, the format of the demo data
and of the export of all current base data (round trip)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from indicators.catalog import NATIONALITIES, SEXES, Catalog
from indicators.export import append_row

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
    Every text is written as a text cell (never a formula) and exactly as it is: an apostrophe before ``=``, ``-``
    or ``@`` came back as part of the value, so export → import changed flags and region names.
    """
    path = Path(path)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(DATA_SHEET)
    append_row(ws, list(TEMPLATE_COLUMNS.values()))
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
            append_row(ws, row)
    codes = wb.create_sheet(CODES_SHEET)
    if note:
        append_row(codes, [note])
        codes.append([])
    append_row(codes, ["Spalte", "Code", "Bedeutung"])
    for var in catalog.variables.values():
        append_row(codes, ["Variable", var.id, var.name])
    for key, name in region_names.items():
        append_row(codes, ["Regionalschlüssel", key, name])
    for code in NATIONALITIES:
        append_row(codes, ["Staatsangehörigkeit", code, ""])
    for code in SEXES:
        append_row(codes, ["Geschlecht", code, ""])
    append_row(codes, ["Kennzeichen", "- . ... / x * ( ) p r s", "amtliche Zeichen, siehe README"])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
