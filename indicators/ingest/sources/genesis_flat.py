"""GENESIS flat file CSV ("ffcsv"): long format, one value per row, any number of ``N_variable_*`` groups.

Vectorised: pyarrow reads every column dictionary-encoded; codes are mapped per distinct value and
spread to the rows by integer codes, never in a loop over rows.
"""

from __future__ import annotations

import csv
import re
from typing import cast

import numpy as np
import pandas as pd

from indicators.ingest.base import ParsedFile, Problem, RawFile, RejectFile
from indicators.ingest.files import (
    DELIMITER_NAMES,
    ENCODING_NAMES,
    TEXT_EXT,
    detect_encoding,
    head_text,
    read_csv_frame,
)
from indicators.ingest.headers import header_key
from indicators.ingest.sources import genesis_mapping
from indicators.ingest.sources.common import (
    DIM_LABELS,
    MappingError,
    age_code,
    as_categorical,
    ask_admin,
    categories,
    cell_place,
    combine,
    finish_frame,
    mapping_file_label,
    merge_flags,
    parse_period,
    recode,
    region_key,
    reject_mapping,
    row_problems,
    spread,
    value_problems,
)
from indicators.ingest.values import parse_series

FORMAT = "genesis_flat"
LABEL = "GENESIS-Flatfile (ffcsv)"
REQUIRED = ("statistics_code", "time", "value", "value_variable_code")
_GROUP = re.compile(r"^(\d+)_variable_code$")


#: the older flat download ("Flat", before 2024) names the same columns in German
_OLD_NAMES = {
    "statistik_code": "statistics_code",
    "statistik_label": "statistics_label",
    "zeit_code": "time_code",
    "zeit_label": "time_label",
    "zeit": "time",
}
_OLD_GROUP = re.compile(r"^(\d+)_(merkmal|auspraegung)_(code|label)$", re.IGNORECASE)
#: the value column of the old flat file: '<code>__<label>__<unit>' ('BEVSTD__Bevoelkerungsstand__Anzahl')
_OLD_VALUE = re.compile(r"^([A-Za-z0-9]+)__(.+?)(?:__([^_].*))?$")


def _raw_header(raw: RawFile) -> tuple[list[str], str]:
    first = head_text(raw).lstrip("\ufeff").splitlines()[0] if raw.content else ""
    sep = max((";", ",", "\t"), key=first.count)
    return next(csv.reader([first], delimiter=sep), []), sep


def _old_names(header: list[str]) -> dict[str, str] | None:
    """Old German column name → name of the current format, if the header is the old flat layout."""
    out: dict[str, str] = {}
    values = []
    for h in header:
        key = header_key(h)  # the shared header comparison (case, spacing, BOM)
        if key in _OLD_NAMES:
            out[h] = _OLD_NAMES[key]
        elif m := _OLD_GROUP.match(h.strip()):
            n, part, kind = m.group(1), m.group(2).casefold(), m.group(3).casefold()
            out[h] = f"{n}_variable_{kind}" if part == "merkmal" else f"{n}_variable_attribute_{kind}"
        elif _OLD_VALUE.match(h.strip()):
            values.append(h)
    if "statistics_code" not in out.values() or "time" not in out.values() or len(values) != 1:
        return None
    out[values[0]] = "value"
    return out


def _header(raw: RawFile) -> tuple[list[str], str]:
    header, sep = _raw_header(raw)
    old = _old_names(header)
    return ([old.get(h, h) for h in header] + ["value_variable_code"] if old else header), sep


def _groups(header: list[str]) -> list[str]:
    return sorted((m.group(1) for h in header if (m := _GROUP.match(h))), key=int)


def _needed(header: list[str]) -> list[str]:
    """The columns the reader uses (labels only where they name a region or an age group)."""
    skip = {"statistics_label", "time_code", "time_label", "value_variable_label"}
    return [h for h in header if h not in skip and not re.match(r"^\d+_variable_label$", h)]


def _first_row(raw: RawFile, header: list[str], sep: str) -> dict[str, str]:
    lines = head_text(raw).splitlines()
    return dict(zip(header, next(csv.reader(lines[1:2], delimiter=sep), [])))


def _read_frame(raw: RawFile, header: list[str], sep: str) -> tuple[pd.DataFrame, str | None]:
    """The frame with the current column names; for the old flat layout the value column's code as
    ``value_variable_code`` and a note for the assumptions."""
    original, _ = _raw_header(raw)
    old = _old_names(original)
    if old is None:
        return read_csv_frame(raw, sep, _needed(header)), None
    wanted = [h for h in original if old.get(h, h) in _needed(header)]
    df = read_csv_frame(raw, sep, wanted).rename(columns=old)
    value_col = next(h for h, new in old.items() if new == "value")
    m = cast("re.Match[str]", _OLD_VALUE.match(value_col.strip()))  # (the old names were recognised by it)
    df["value_variable_code"] = as_categorical(m.group(1), len(df))
    if m.group(3):
        df["value_unit"] = as_categorical(m.group(3), len(df))
    return df, (f"ältere Flat-Datei (deutsche Spaltennamen); Wertspalte „{value_col}“ → Wertmerkmal {m.group(1)}")


class GenesisFlatReader:
    format = FORMAT
    label = LABEL

    def sniff(self, raw: RawFile) -> str | None:
        if raw.extension not in TEXT_EXT:
            return None
        header, _ = _header(raw)
        groups = _groups(header)
        if all(c in header for c in REQUIRED) and groups:
            return (
                f"Die Kopfzeile hat die Spalten des GENESIS-Flatfile-Formats (statistics_code, time, value, "
                f"{len(groups)} Merkmalsgruppe(n) N_variable_*)."
            )
        return None

    def read(self, raw: RawFile) -> ParsedFile:
        header, sep = _header(raw)
        groups = _groups(header)
        for g in groups:
            if f"{g}_variable_attribute_code" not in header:
                raise RejectFile(
                    raw.error(f"Spalte {g}_variable_attribute_code fehlt zur Spalte {g}_variable_code.", row=1)
                )
        try:
            mapping = genesis_mapping.load()
        except MappingError as exc:
            raise reject_mapping(raw, exc) from None
        df, old_layout = _read_frame(raw, header, sep)
        if df.empty:
            raise RejectFile(raw.error("Die Datei enthält nur die Kopfzeile und keine Werte."))
        assumptions = {
            "Zeichenkodierung": ENCODING_NAMES[detect_encoding(raw)],
            "Trennzeichen": DELIMITER_NAMES[sep],
            "Dezimalzeichen": "Komma",
            "Kopfzeile": "Zeile 1 (Spaltennamen des Flatfile-Formats)",
        }
        if old_layout:
            assumptions["Kopfzeile"] = f"Zeile 1: {old_layout}"
        problems: list[Problem] = []
        out = pd.DataFrame(index=df.index)
        out["variable"] = _variables(raw, df, mapping, assumptions, _first_row(raw, header, sep))
        region_group = _region_group(raw, df, groups, mapping)
        out["region"], region_names = _regions(raw, df, region_group, problems)
        assumptions["Region"] = (
            f"Merkmal {', '.join(categories(df[f'{region_group}_variable_code']))} (Schlüssel in Spalte {region_group}_variable_attribute_code)"
        )
        for dim, codes in _dimensions(raw, df, [g for g in groups if g != region_group], mapping, assumptions).items():
            out[dim] = codes
        out["year"], out["ref_date"] = _periods(raw, df, problems, assumptions)
        out["source_row"] = np.arange(len(df), dtype="int64") + 2
        out["source_column"] = as_categorical(cell_place(header.index("value"), "value"), len(df))
        out["source_sheet"] = as_categorical(None, len(df))
        parsed = parse_series(df["value"], ",")
        problems += value_problems(raw, out, parsed, spreadsheet=False, contents=df["value"])
        out["value"] = parsed["value"].to_numpy()
        out["flag"] = parsed["flag"].to_numpy()
        if "value_q" in df.columns:
            quality = pd.Series(recode(df["value_q"], [c or None for c in categories(df["value_q"])]), index=df.index)
            out["flag"] = merge_flags(out["flag"], quality.astype(object).where(quality.notna(), None))
            assumptions["Qualitätskennzeichen"] = "Spalte value_q als Kennzeichen übernommen"
        if "value_unit" in df.columns:
            assumptions["Einheit"] = ", ".join(categories(df["value_unit"]))
        ok = parsed["error"].isna().to_numpy() & ~np.isnan(out["year"].to_numpy()) & out["region"].notna().to_numpy()
        data = finish_frame(out[ok].copy())
        return ParsedFile(raw, FORMAT, LABEL, "", data, assumptions, problems, region_names)


def _variables(
    raw: RawFile,
    df: pd.DataFrame,
    mapping: genesis_mapping.GenesisMapping,
    assumptions: dict[str, str],
    first: dict[str, str],
) -> pd.Categorical:
    codes, combos = combine(df["statistics_code"], df["value_variable_code"])
    targets, missing = [], []
    for _i, (stat, value_code) in enumerate(combos):
        var = mapping.value_variable(stat, value_code)
        if var is None:
            same = first.get("statistics_code") == stat and first.get("value_variable_code") == value_code
            stat_label = f" „{first.get('statistics_label')}“" if same and first.get("statistics_label") else ""
            value_label = (
                f" „{first.get('value_variable_label')}“" if same and first.get("value_variable_label") else ""
            )
            missing.append(f"Statistik {stat}{stat_label}, Wertmerkmal {value_code}{value_label}")
        else:
            assumptions[f"Wertmerkmal {value_code} (Statistik {stat})"] = f"Variable {var}"
        targets.append(var)
    unused = [stat for stat, _ in combos if stat not in mapping.statistics]
    if unused:  # a statistic the catalog does not use at all: say so, and how to map it
        from indicators.ingest.sources.genesis_table import unused_statistic_message

        name = first.get("statistics_label", "") if first.get("statistics_code") == unused[0] else ""
        raise RejectFile(raw.error(unused_statistic_message(unused[0], unused[0], name), column="statistics_code"))
    if missing:
        raise RejectFile(
            raw.error(
                "Keiner Basisvariable zugeordnet: "
                + "; ".join(missing)
                + ". "
                + ask_admin(genesis_mapping.FILE, "unter „statistics“ das Wertmerkmal einer Basisvariable zuordnen"),
                column="value_variable_code",
            )
        )
    return spread(targets, codes)


def _region_group(raw: RawFile, df: pd.DataFrame, groups: list[str], mapping: genesis_mapping.GenesisMapping) -> str:
    region_vars = set(mapping.region_variables)
    found = [g for g in groups if set(categories(df[f"{g}_variable_code"])) <= region_vars]
    if not found:
        seen = ", ".join(sorted({c for g in groups for c in categories(df[f"{g}_variable_code"])}))
        raise RejectFile(
            raw.error(
                f"Keine Merkmalsgruppe enthält die Region: Merkmale {seen}; als Regionsmerkmal gelten "
                f"{', '.join(mapping.region_variables)} (in {mapping_file_label(genesis_mapping.FILE)} unter „region_variables“)."
            )
        )
    return found[0]


def _regions(
    raw: RawFile, df: pd.DataFrame, group: str, problems: list[Problem]
) -> tuple[pd.Categorical, dict[str, str]]:
    col = df[f"{group}_variable_attribute_code"]
    label_col = f"{group}_variable_attribute_label"
    cats = categories(col)
    keys = [region_key(c) for c in cats]
    names: dict[str, str] = {}
    if label_col in df.columns:
        codes, combos = combine(col, df[label_col])
        names = {key: n for k, n in combos if (key := region_key(k))}
    bad = [i for i, k in enumerate(keys) if k is None]
    if bad:
        rows = np.flatnonzero(np.isin(col.cat.codes.to_numpy(), bad))
        problems += row_problems(
            raw, rows, rows + 2, col.name, lambda r: f"Kein gültiger Regionalschlüssel: „{col.iloc[r]}“."
        )
    return recode(col, keys), names


def _dimensions(
    raw: RawFile,
    df: pd.DataFrame,
    groups: list[str],
    mapping: genesis_mapping.GenesisMapping,
    assumptions: dict[str, str],
) -> dict[str, pd.Categorical]:
    out: dict[str, pd.Categorical] = {}
    missing: list[str] = []
    for g in groups:
        label_col = f"{g}_variable_attribute_label"
        cols = [df[f"{g}_variable_code"], df[f"{g}_variable_attribute_code"]]
        if label_col in df.columns:
            cols.append(df[label_col])
        codes, combos = combine(*cols)
        values: list[tuple[str, str] | None] = []
        for combo in combos:
            feature_code, attr = combo[0], combo[1]
            label = combo[2] if len(combo) > 2 else attr
            feature = mapping.features.get(feature_code)
            if feature is None:
                missing.append(f"Merkmal {feature_code} (Spalte {g}_variable_code)")
                values.append(None)
                continue
            code = "insgesamt" if attr == "" else feature.codes.get(attr)
            if code is None and feature.age_from_label:
                code = age_code(label)
            if code is None:
                missing.append(f"Ausprägung {attr} „{label}“ des Merkmals {feature_code}")
            values.append((feature.dimension, code) if code else None)
        dims = sorted({v[0] for v in values if v})
        for dim in dims:
            if dim in out:
                raise RejectFile(
                    raw.error(
                        f"Zwei Merkmalsgruppen ergeben dieselbe Dimension „{DIM_LABELS[dim]}“; die "
                        f"Zuordnung in {mapping_file_label(genesis_mapping.FILE)} ist mehrdeutig."
                    )
                )
            out[dim] = spread([v[1] if v and v[0] == dim else "insgesamt" for v in values], codes)
        features = ", ".join(categories(df[f"{g}_variable_code"]))
        assumptions[f"Merkmal {features}"] = ", ".join(DIM_LABELS[d] for d in dims) or "nicht zugeordnet"
    if missing:
        raise RejectFile(
            raw.error(
                "Nicht zugeordnet: "
                + "; ".join(dict.fromkeys(missing))
                + ". "
                + ask_admin(genesis_mapping.FILE, "unter „features“ die Ausprägungen ergänzen")
            )
        )
    return out


def _periods(
    raw: RawFile, df: pd.DataFrame, problems: list[Problem], assumptions: dict[str, str]
) -> tuple[np.ndarray, np.ndarray]:
    cats = categories(df["time"])
    parsed = [parse_period(c) for c in cats]
    codes = df["time"].cat.codes.to_numpy()
    years = np.asarray([p[0] if p else np.nan for p in parsed] + [np.nan], dtype="float64")[codes]
    dates = np.asarray([p[1] if p else None for p in parsed] + [None], dtype=object)[codes]
    bad = np.flatnonzero(np.isnan(years))
    if len(bad):
        problems += row_problems(
            raw, bad, bad + 2, "time", lambda i: f"Keine Jahreszahl und kein Datum: „{df['time'].iloc[i]}“."
        )
    assumptions["Zeit"] = "Spalte time (Datum → Jahr und Stichtag, sonst Jahr)"
    return years, dates
