"""Open SDG tidy CSV (Integrationsmonitoring Niedersachsen, LSN): ``Year,<breakdowns…>,Units,Value``.

Year may be a label (``Juni 2022`` → 2022, reference date 30.06.2022). Breakdown columns are German
(``Kategorie``, ``Geschlecht``, ``Kreise``); a row with empty breakdowns is the headline series.
Which indicator a file holds follows from its labels (all of them must be known to one indicator).
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
from pydantic import Field

from indicators import texts as _T
from indicators.fmt import fmt_num
from indicators.ingest.base import ParsedFile, Problem, RawFile, RejectFile
from indicators.ingest.files import TEXT_EXT, head_text, read_text_table
from indicators.ingest.headers import header_key, lookup
from indicators.ingest.sources.common import (
    DIM_LABELS,
    Dims,
    Ident,
    MappingError,
    Strict,
    ask_admin,
    cell_place,
    finish_frame,
    load_mapping,
    parse_period,
    region_key,
    reject_mapping,
    row_problems,
    value_problems,
)
from indicators.ingest.sources.regions import german_name
from indicators.ingest.values import MISSING_SYMBOLS, parse_series

FORMAT = "opensdg"
LABEL = "Open-SDG-Indikatordatei (CSV)"
FILE = "opensdg.yaml"
FIXED = {"year", "units", "value", "unit multiplier", "unit_multiplier", "series", "observation status", "geocode"}
_COMMENT = re.compile(r"^(comment_obs(_\d+)?|observation status|obs_status)$", re.IGNORECASE)
_GEOCODE = re.compile(r"^code(\d{2,12})$", re.IGNORECASE)
_INDICATOR_NAME = re.compile(r"indicator_(\d+(?:-\d+)*[a-z]?)", re.IGNORECASE)


class SdgIndicator(Strict):
    id: str
    name: str = ""
    variable: Ident
    region: str = "03"
    units: list[str] = Field(default_factory=list)
    headline: Dims = Field(default_factory=dict)
    columns: dict[str, dict[str, Dims]] = Field(default_factory=dict)
    #: rows not taken: column → labels of another quantity in the same file (e.g. Series "difference")
    skip: dict[str, list[str]] = Field(default_factory=dict)
    #: the file publishes the complement of our variable (share WITH at least Hauptschulabschluss): the value taken is
    #: ``complement − x``, flagged ``abg`` (derived)
    complement: float | None = None


class SdgMapping(Strict):
    indicators: list[SdgIndicator]
    common_columns: dict[str, dict[str, Dims]] = Field(default_factory=dict)
    region_columns: list[str] = Field(default_factory=list)
    regions: dict[str, str] = Field(default_factory=dict)


def _header(raw: RawFile) -> tuple[list[str], str] | None:
    import csv

    first = head_text(raw).splitlines()[0] if raw.content else ""
    for sep in (",", ";", "\t"):
        cols = next(csv.reader([first], delimiter=sep), [])
        if len(cols) >= 2 and header_key(cols[0]) == "year" and header_key(cols[-1]) == "value":
            return [c.strip() for c in cols], sep
    return None


class OpenSdgReader:
    format = FORMAT
    label = LABEL

    def sniff(self, raw: RawFile) -> str | None:
        if raw.extension not in TEXT_EXT:
            return None
        found = _header(raw)
        if found is None:
            return None
        header, _ = found
        breakdowns = [h for h in header if header_key(h) not in FIXED]
        return (
            f"Die Kopfzeile hat die Spalten des Open-SDG-Formats: Year, "
            f"{', '.join(breakdowns) + ', ' if breakdowns else ''}Value."
        )

    def read(self, raw: RawFile) -> ParsedFile:
        found = _header(raw)
        if found is None:
            raise RejectFile(raw.error("Die Kopfzeile beginnt nicht mit „Year“ und endet nicht mit „Value“.", row=1))
        header, sep = found
        try:
            mapping = load_mapping(FILE, SdgMapping)
        except MappingError as exc:
            raise reject_mapping(raw, exc) from None
        table = read_text_table(raw, sep)
        body = [(r, ln) for r, ln in zip(table.rows[1:], table.line_numbers[1:]) if any(c.strip() for c in r)]
        if not body:
            raise RejectFile(raw.error("Die Datei enthält nur die Kopfzeile und keine Werte."))
        width = len(header)
        frame = pd.DataFrame([(r + [""] * width)[:width] for r, _ in body], columns=header, dtype=object)
        lines = np.asarray([ln for _, ln in body], dtype=np.int64)
        region_cols = [
            h for h in header if header_key(h) in {header_key(c) for c in mapping.region_columns} | {"geocode"}
        ]
        region_col = next(
            (h for h in region_cols if header_key(h) == "geocode"), region_cols[0] if region_cols else None
        )
        name_col = next((h for h in region_cols if h != region_col), None)  # 'länder' beside 'GeoCode': names only
        comments = [h for h in header if _COMMENT.match(h)]
        breakdowns = [h for h in header if header_key(h) not in FIXED and h not in region_cols and h not in comments]
        indicator = _choose(raw, frame, breakdowns, mapping)
        frame, lines, skipped = _skip_rows(frame, lines, indicator)
        breakdowns += [
            h
            for h in header
            if header_key(h) == "series" and header_key(h) in {header_key(k) for k in indicator.columns}
        ]
        assumptions = {
            **table.assumptions(),
            "Dezimalzeichen": "Punkt",
            "Kopfzeile": "Zeile 1",
            "Indikator": f"{indicator.id} {indicator.name} → Variable {indicator.variable} (erkannt an den Beschriftungen)",
            "Jahr": "Spalte Year (Monatsangaben wie „Juni 2022“ → Jahr 2022, Stichtag Monatsende)",
            **({"Nicht übernommen": skipped} if skipped else {}),
        }
        problems: list[Problem] = []
        out = pd.DataFrame(
            {
                "variable": indicator.variable,
                "source_row": lines,
                "source_column": cell_place(header.index("Value") if "Value" in header else width - 1, "Value"),
                "source_sheet": None,
            }
        )
        _dims(frame, out, breakdowns, indicator, mapping, assumptions)
        region_names = _regions(raw, frame, out, region_col, indicator, mapping, assumptions, name_col)
        _years(raw, frame, out, problems)
        _units(raw, frame, out, indicator, problems, assumptions)
        cells = _value_cells(frame, header, comments, assumptions)
        parsed = parse_series(cells, ".")
        problems += value_problems(raw, out, parsed, spreadsheet=False, contents=cells)
        out["value"] = parsed["value"].to_numpy()
        out["flag"] = parsed["flag"].to_numpy()
        ok = parsed["error"].isna().to_numpy() & out["year"].notna().to_numpy() & out["region"].notna().to_numpy()
        ok &= _derived_and_later(out, indicator, assumptions)
        return ParsedFile(raw, FORMAT, LABEL, "", finish_frame(out[ok].copy()), assumptions, problems, region_names)


def _value_cells(frame: pd.DataFrame, header: list[str], comments: list[str], assumptions: dict[str, str]) -> pd.Series:
    """The Value column; an empty value with a symbol in a comment column takes the symbol ('…' target year, '.')."""
    cells = frame["Value" if "Value" in frame else header[-1]].reset_index(drop=True)
    for c in comments:
        note = frame[c].reset_index(drop=True).str.strip()
        use = (cells.str.strip() == "") & note.isin(list(MISSING_SYMBOLS))
        cells = cells.where(~use, note)
        if use.any():
            assumptions["Zeichen"] = (
                f"leere Werte mit einem Zeichen in Spalte {c} ({', '.join(sorted(set(note[use])))})"
            )
    return cells


def _derived_and_later(out: pd.DataFrame, indicator: SdgIndicator, assumptions: dict[str, str]) -> np.ndarray:
    """A complement series taken as 100 − x (flag 'abg', derived); the rows to keep: not those of a target year
    without a value ('…', the value comes later), which are named as an assumption."""
    if indicator.complement is not None:
        out["value"] = indicator.complement - out["value"]
        has = ~np.isnan(out["value"].to_numpy(dtype="float64"))
        out.loc[has, "flag"] = [f"{f},abg" if isinstance(f, str) and f else "abg" for f in out.loc[has, "flag"]]
        assumptions["Abgeleitet"] = (
            f"Die Datei veröffentlicht das Gegenstück: übernommen wird {fmt_num(indicator.complement, 0 if float(indicator.complement).is_integer() else 1)} minus der Wert "
            "(Kennzeichen „abg“, abgeleitet), als Vergleichswert"
        )
    later = out["flag"].isin(["…", "..."]).to_numpy() & np.isnan(out["value"].to_numpy(dtype="float64"))
    future = later & (pd.to_numeric(out["year"], errors="coerce").to_numpy() > dt.date.today().year + 1)
    if future.any():
        years = sorted({int(y) for y in out["year"][future]})
        assumptions["Zieljahr"] = (
            f"{int(future.sum())} Zeilen ohne Wert („…“, Angabe fällt später an) für {', '.join(map(str, years))} "
            "nicht übernommen"
        )
    return np.asarray(~future, dtype=bool)


def _tables(indicator: SdgIndicator, mapping: SdgMapping) -> dict[str, dict[str, Dims]]:
    tables = {header_key(k): lookup(v) for k, v in mapping.common_columns.items()}
    tables.update({header_key(k): lookup(v) for k, v in indicator.columns.items()})
    for col, labels in indicator.skip.items():  # known labels (their rows are left out)
        tables.setdefault(header_key(col), {}).update({header_key(x): {} for x in labels})
    return tables


def _skip_rows(frame: pd.DataFrame, lines: np.ndarray, indicator: SdgIndicator) -> tuple[pd.DataFrame, np.ndarray, str]:
    """The rows of another quantity (``skip``) left out, and what was left out in words."""
    keep = np.ones(len(frame), dtype=bool)
    said = []
    for col, labels in indicator.skip.items():
        c = next((h for h in frame.columns if header_key(h) == header_key(col)), None)
        if c is None:
            continue
        drop = frame[c].str.strip().map(header_key).isin({header_key(x) for x in labels}).to_numpy()
        if drop.any():
            said.append(f"{int(drop.sum())} Zeilen mit {c} " + " / ".join(f"„{x}“" for x in labels))
        keep &= ~drop
    if keep.all():
        return frame, lines, ""
    return frame[keep].reset_index(drop=True), lines[keep], "; ".join(said) + " (andere Größe)"


def _unmapped(frame: pd.DataFrame, breakdowns: list[str], indicator: SdgIndicator, mapping: SdgMapping) -> list[str]:
    tables = _tables(indicator, mapping)
    missing = []
    for col in breakdowns:
        table = tables.get(header_key(col))
        values = [v for v in frame[col].str.strip().unique() if v]
        if table is None:
            if values:
                missing.append(f"Spalte „{col}“")
            continue
        missing += [f"„{v}“ (Spalte {col})" for v in values if header_key(v) not in table]
    return missing


def _choose(raw: RawFile, frame: pd.DataFrame, breakdowns: list[str], mapping: SdgMapping) -> SdgIndicator:
    """The indicator whose labels cover every breakdown value of the file."""
    scored = []
    for ind in mapping.indicators:
        missing = _unmapped(frame, breakdowns, ind, mapping)
        own = sum(1 for c in breakdowns if header_key(c) in {header_key(k) for k in ind.columns})
        if not missing and own:
            return ind
        scored.append((len(missing) - own, ind, missing))
    best = min(scored, key=lambda s: s[0])[2] if scored else [f"Spalte „{c}“" for c in breakdowns]
    m = _INDICATOR_NAME.search(raw.name)
    if m and m.group(1) not in {i.id for i in mapping.indicators}:
        raise RejectFile(raw.error(unused_indicator_message(m.group(1)), row=1))
    raise RejectFile(
        raw.error(
            "Die Datei passt zu keinem bekannten Open-SDG-Indikator; nicht zugeordnet: "
            + ", ".join(best[:10])
            + ". "
            + ask_admin(FILE, "unter „indicators“ den Indikator ergänzen"),
            row=1,
        )
    )


def unused_indicator_message(indicator: str) -> str:
    """The refusal of an Open SDG indicator the catalog does not use, and how to map it."""
    return (
        f"Die Open-SDG-Datei gehört laut Dateiname zum Indikator {indicator}, den kein Indikator des Katalogs "
        f"verwendet; sie wird nicht übernommen. Wird er gebraucht: "
        + ask_admin(
            FILE, f"unter „indicators“ einen Eintrag „{indicator}“ mit Basisvariable und Beschriftungen anlegen"
        )
        + f" Oder Sie lesen die Datei selbst über „{_T.UPL_MAPPING_TOGGLE}“ auf dieser Seite."
    )


def _dims(
    frame: pd.DataFrame,
    out: pd.DataFrame,
    breakdowns: list[str],
    indicator: SdgIndicator,
    mapping: SdgMapping,
    assumptions: dict[str, str],
) -> None:
    tables = _tables(indicator, mapping)
    dims = {d: np.full(len(frame), "insgesamt", dtype=object) for d in DIM_LABELS}
    headline = np.ones(len(frame), dtype=bool)
    for col in breakdowns:
        values = frame[col].str.strip().to_numpy(dtype=object)
        headline &= values == ""
        table = tables.get(header_key(col), {})
        for v in set(values) - {""}:
            rows = values == v
            for dim, code in table[header_key(v)].items():
                dims[dim][rows] = code
    for dim, code in indicator.headline.items():
        dims[dim][headline] = code
    for column, arr in dims.items():
        out[column] = arr
    if breakdowns:
        assumptions["Aufschlüsselungen"] = ", ".join(breakdowns) + " (leer = Hauptreihe)"


def _regions(
    raw: RawFile,
    frame: pd.DataFrame,
    out: pd.DataFrame,
    region_col: str | None,
    indicator: SdgIndicator,
    mapping: SdgMapping,
    assumptions: dict[str, str],
    name_col: str | None = None,
) -> dict[str, str]:
    if region_col is None:
        out["region"] = indicator.region
        assumptions["Region"] = f"{indicator.region} (die Datei hat keine Regionsspalte)"
        return {}
    names = lookup(mapping.regions)
    values = frame[region_col].str.strip()
    keys, region_names, missing = {}, {}, []
    shown = frame[name_col].str.strip() if name_col else values
    for v, label in dict(zip(values, shown)).items():
        geo = _GEOCODE.match(v)
        key = indicator.region if v == "" else (geo.group(1) if geo else (region_key(v) or names.get(header_key(v))))
        if key is None:
            missing.append(v)
        keys[v] = key
        if v and key:  # the German name of the region list ('Bayern'), not the file's ('bavaria')
            region_names[key] = german_name(key) or label or v
    if missing:
        raise RejectFile(
            raw.error(
                f"Regionsnamen in Spalte „{region_col}“ unbekannt: "
                + ", ".join(f"„{m}“" for m in missing[:10])
                + ". "
                + ask_admin(FILE, "unter „regions“ diese Namen mit Regionalschlüssel ergänzen"),
                column=region_col,
            )
        )
    out["region"] = values.map(keys).to_numpy()
    assumptions["Region"] = f"Spalte {region_col} (leer = {indicator.region})"
    return region_names


def _years(raw: RawFile, frame: pd.DataFrame, out: pd.DataFrame, problems: list[Problem]) -> None:
    col = frame.columns[0]
    periods = {v: parse_period(v) for v in frame[col].unique()}
    out["year"] = frame[col].map(lambda v: p[0] if (p := periods[v]) else None).to_numpy()
    out["ref_date"] = frame[col].map(lambda v: p[1] if (p := periods[v]) else None).to_numpy()
    bad = np.flatnonzero(out["year"].isna().to_numpy())
    if len(bad):
        problems += row_problems(
            raw, bad, out["source_row"].to_numpy()[bad], col, lambda i: f"Keine Jahresangabe: „{frame[col].iloc[i]}“."
        )


def _units(
    raw: RawFile,
    frame: pd.DataFrame,
    out: pd.DataFrame,
    indicator: SdgIndicator,
    problems: list[Problem],
    assumptions: dict[str, str],
) -> None:
    col = next((c for c in frame.columns if header_key(c) == "units"), None)
    if col is None:
        return
    units = [u for u in frame[col].str.strip().unique() if u]
    assumptions["Einheit"] = ", ".join(units) or "(leer)"
    allowed = {header_key(u) for u in indicator.units}
    wrong = [u for u in units if allowed and header_key(u) not in allowed]
    if wrong:
        problems.append(
            raw.error(
                f"Einheit „{wrong[0]}“ passt nicht zum Indikator {indicator.id} (erwartet: "
                f"{', '.join(indicator.units)}).",
                column=col,
            )
        )
