"""Every current indicator value for further work (15 significant digits, as Excel holds them): Excel (one sheet per field of action plus a sheet of flags and
sources) and CSV (long format, UTF-8 with BOM, ';', decimal comma). Values stay values: numbers are numbers, a text
that starts with =, +, - or @ is a text cell in Excel (never a formula, unchanged on re-import); in the CSV such a
text gets the usual apostrophe guard (``indicators.export``), numbers and the official signs ``-``/``+`` stay bare.
Suppressed values (Fz, Fz2) are already empty in the computed values: nothing is revealed here."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators import export
from indicators.report.content import FLAG_TEXT, ReportError
from indicators.service import Monitor

COLUMNS = {
    "field": "Handlungsfeld",
    "indicator": "Indikator",
    "name": "Bezeichnung",
    "unit": "Einheit",
    "region": "Regionalschlüssel",
    "region_name": "Region",
    "year": "Jahr",
    "nationality": "Staatsangehörigkeit",
    "sex": "Geschlecht",
    "age_group": "Altersgruppe",
    "category": "Kategorie",
    "value": "Wert",
    "flag": "Kennzeichen",
}
SOURCES_SHEET = "Kennzeichen und Quellen"


def values_frame(monitor: Monitor) -> pd.DataFrame:
    """All computed indicator values (every region, year and breakdown) with German column names."""
    cat = monitor.catalog
    df = monitor.store.query_df(
        """SELECT v.indicator, v.region, r.name AS region_name, v.year, v.nationality, v.sex, v.age_group,
                  v.category, v.value, v.flag
           FROM indicator_values v LEFT JOIN regions r ON r.key = v.region
           ORDER BY v.indicator, v.region, v.year, v.nationality, v.sex, v.age_group, v.category"""
    )
    df = df[df["indicator"].isin(cat.indicators)]
    order = {i: n for n, i in enumerate(cat.indicators)}
    df = df.assign(
        field=df["indicator"].map(lambda i: cat.fields[cat.indicators[i].field].name),
        name=df["indicator"].map(lambda i: cat.indicators[i].name),
        unit=df["indicator"].map(lambda i: cat.indicators[i].unit),
        _order=df["indicator"].map(order),
    )
    df = df.sort_values(["_order", "region", "year", "nationality", "sex", "age_group", "category"], kind="stable")
    df["year"] = df["year"].astype("int64")
    # 15 significant digits, Excel's precision: Excel files carry at most 16 digits (openpyxl writes '%.16g'), so a
    # 17-digit double would come back one bit off; with 15 the file's number is exactly the exported value
    df["value"] = [float(f"{v:.15g}") if pd.notna(v) else None for v in df["value"]]
    df["value"] = df["value"].astype("float64")
    df["flag"] = df["flag"].where(df["flag"].notna() & (df["flag"] != ""), None).astype(object)
    return df[list(COLUMNS)].rename(columns=COLUMNS).reset_index(drop=True)


def sources_frame(monitor: Monitor) -> pd.DataFrame:
    """The flags' meanings and each indicator's source, reference date and update interval."""
    rows = [
        {
            "Art": "Kennzeichen",
            "Code": f,
            "Bezeichnung": meaning,
            "Quelle": None,
            "Stichtag": None,
            "Aktualisierung": None,
        }
        for f, meaning in FLAG_TEXT.items()
    ]
    rows += [
        {
            "Art": "Indikator",
            "Code": i.id,
            "Bezeichnung": i.name,
            "Quelle": i.source,
            "Stichtag": i.reference_date,
            "Aktualisierung": i.update_interval,
        }
        for i in monitor.catalog.indicators.values()
    ]
    return pd.DataFrame(rows, columns=["Art", "Code", "Bezeichnung", "Quelle", "Stichtag", "Aktualisierung"])


def excel_frames(monitor: Monitor) -> dict[str, pd.DataFrame]:
    """Sheet name → frame: one sheet per field of action (catalog order), then flags and sources."""
    df = values_frame(monitor)
    out: dict[str, pd.DataFrame] = {}
    for f in monitor.catalog.ordered_fields():
        part = df[df["Handlungsfeld"] == f.name].reset_index(drop=True)
        out[export.sheet_title(f.short or f.name)] = part
    out[SOURCES_SHEET] = sources_frame(monitor)
    return out


def excel_bytes(monitor: Monitor) -> bytes:
    return export.to_excel_bytes(excel_frames(monitor))


def csv_bytes(monitor: Monitor) -> bytes:
    """Long format: one row per value, all fields together."""
    return export.to_csv_bytes(values_frame(monitor))


def write_values(monitor: Monitor, target: str | Path) -> Path:
    """Write the export by the file's ending (.xlsx or .csv)."""
    target = Path(target)
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        data = excel_bytes(monitor)
    elif suffix == ".csv":
        data = csv_bytes(monitor)
    else:
        raise ReportError(f"Unbekannte Dateiendung „{target.suffix}“: .xlsx oder .csv.")
    target.write_bytes(data)
    return target


def read_excel_export(path: str | Path) -> dict[str, pd.DataFrame]:
    """Read an Excel export back (for checks): every sheet as written, texts as texts, numbers as numbers."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=False)
    out = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        out[ws.title] = pd.DataFrame(rows[1:], columns=rows[0]) if rows else pd.DataFrame()
    wb.close()
    return out
