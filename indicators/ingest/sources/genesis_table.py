"""GENESIS / Regionaldatenbank table CSV ("Tabellen-CSV").

Title lines padded with ``;``, two or three header lines that together name each value column, data
rows (reference date or year, region key, indented name, optionally an age group, values), then a
footer (``__________``, a quoted footnote over several lines, ©, ``Stand:``). The data block is found
by its region keys, never by counting footer lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from indicators.ingest.base import ParsedFile, Problem, RawFile, RejectFile
from indicators.ingest.files import TEXT_EXT, TextTable, head_text, read_text_table
from indicators.ingest.sources import genesis_mapping
from indicators.ingest.sources.common import (
    DIM_LABELS, REGION_KEY, MappingError, age_code, finish_frame, lookup_table, mapping_file_label, norm, parse_period,
    region_level, reject_mapping, value_problems,
)
from indicators.ingest.values import parse_series

FORMAT = "genesis_tabelle"
LABEL = "GENESIS-Tabelle (CSV)"
_TABLE_CODE = re.compile(r"\b(\d{5})-\d{2}[-\w]*")
_MEASURE = re.compile(r"^(.*\S)\s*\(([^()]+)\)\s*$")
MAX_LABEL_COLS = 4


@dataclass
class Layout:
    """Where things are in a table CSV (0-based indices into the rows)."""

    first: int  # first data row
    last: int  # last data row (inclusive)
    key_col: int
    time_col: int | None
    name_col: int | None
    extra_cols: list[int]  # label columns between name and values (age group)
    value_cols: list[int]
    header_rows: list[int]
    labels: dict[int, list[str]] = field(default_factory=dict)  # value column -> header labels, top to bottom


def _is_key(v: str) -> bool:
    return bool(REGION_KEY.match(v.strip()))


def _key_col(row: list[str]) -> int | None:
    for j, v in enumerate(row[:MAX_LABEL_COLS]):
        if _is_key(v):
            return j
    return None


def _is_data_row(row: list[str], key_col: int) -> bool:
    return len(row) > key_col + 1 and _is_key(row[key_col]) and all(
        parse_period(row[j]) is not None for j in range(key_col) if row[j].strip())


def _find_first_data_row(rows: list[list[str]]) -> tuple[int, int] | None:
    for i, row in enumerate(rows):
        j = _key_col(row)
        if j is None or not _is_data_row(row, j):
            continue
        # the rows above must contain a header (cells to the right of the key) - else this is not a table
        if i >= 1 and any(any(c.strip() for c in r[j + 1:]) for r in rows[max(0, i - 3):i]):
            return i, j
    return None


def _title_lines(rows: list[list[str]], until: int) -> list[str]:
    return [" ".join(c.strip() for c in r if c.strip()) for r in rows[:until] if any(c.strip() for c in r)]


class GenesisTableReader:
    format = FORMAT
    label = LABEL

    def sniff(self, raw: RawFile) -> str | None:
        if raw.extension not in TEXT_EXT:
            return None
        head = head_text(raw)
        lines = head.splitlines()[:12]
        code = next((m.group(0) for ln in lines if (m := _TABLE_CODE.search(ln.split(";")[0]))), None)
        if code is None:
            return None
        rows = [ln.split(";") for ln in head.splitlines()[:200]]
        found = _find_first_data_row(rows)
        if found is None:
            return None
        i, j = found
        return (f"Die Titelzeilen nennen die Tabelle {code}, darunter folgen Kopfzeilen und Datenzeilen mit "
                f"Regionalschlüssel (z. B. {rows[i][j].strip()} in Zeile {i + 1}).")

    def read(self, raw: RawFile) -> ParsedFile:
        table = read_text_table(raw, ";")
        rows = table.rows
        found = _find_first_data_row(rows)
        if found is None:
            raise RejectFile(raw.error("Keine Datenzeilen mit Regionalschlüssel gefunden (GENESIS-Tabelle)."))
        try:
            mapping = genesis_mapping.load()
        except MappingError as exc:
            raise reject_mapping(raw, exc) from None
        layout = _layout(raw, table, *found)
        title = _title_lines(rows, layout.header_rows[0])
        statistic, variable, unit, measure = _statistic(raw, title, mapping)
        assumptions = {**table.assumptions(), "Dezimalzeichen": "Komma",
                       "Kopfzeilen": ", ".join(f"Zeile {table.line_numbers[h]}" for h in layout.header_rows),
                       "Datenzeilen": f"Zeile {table.line_numbers[layout.first]} bis {table.line_numbers[layout.last]} "
                                      "(erkannt an den Regionalschlüsseln)",
                       "Statistik": statistic, "Messgröße": measure, "Variable": variable}
        if unit:
            assumptions["Einheit"] = unit
        problems: list[Problem] = []
        columns = _column_dims(raw, table, layout, mapping, assumptions)
        data, region_names = _values(raw, table, layout, columns, variable, mapping, problems, assumptions)
        levels = sorted({region_level(k) for k in region_names})
        assumptions["Regionsebene"] = ", ".join(levels) + " (aus der Länge der Regionalschlüssel)"
        return ParsedFile(raw, FORMAT, LABEL, "", data, assumptions, problems, region_names)


def _layout(raw: RawFile, table: TextTable, first: int, key_col: int) -> Layout:
    rows = table.rows
    last = first
    while last + 1 < len(rows) and _is_data_row(rows[last + 1], key_col):
        last += 1
    header_rows = []
    h = first - 1
    while h >= 0 and len(header_rows) < 3 and any(c.strip() for c in rows[h][key_col + 1:]):
        header_rows.insert(0, h)
        h -= 1
    width = max(len(r) for r in rows[first:last + 1])
    value_start = min((j for j in range(key_col + 1, width) for r in header_rows
                       if j < len(rows[r]) and rows[r][j].strip()), default=None)
    if value_start is None:
        raise RejectFile(raw.error("Über den Datenzeilen stehen keine Spaltenköpfe.", row=table.line_numbers[first]))
    time_col = next((j for j in range(key_col) if rows[first][j].strip()), None)
    name_col = key_col + 1 if key_col + 1 < value_start else None
    extra = list(range(key_col + 2, value_start))
    value_cols = [j for j in range(value_start, width)
                  if any(j < len(rows[r]) and rows[r][j].strip() for r in header_rows + list(range(first, last + 1)))]
    layout = Layout(first, last, key_col, time_col, name_col, extra, value_cols, header_rows)
    for r in header_rows:  # labels repeat across merged columns; fill gaps from the left
        current = ""
        for j in value_cols:
            cell = rows[r][j].strip() if j < len(rows[r]) else ""
            current = cell or current
            if current:
                layout.labels.setdefault(j, []).append(current)
    if len(extra) > 1:
        raise RejectFile(raw.error(f"Die Tabelle hat {len(extra)} Beschriftungsspalten zwischen Name und Werten; "
                                   "erwartet wird höchstens eine (Altersgruppe).", row=table.line_numbers[first]))
    return layout


def _statistic(raw: RawFile, title: list[str], mapping: genesis_mapping.GenesisMapping) -> tuple[str, str, str, str]:
    """Statistic number, base variable, unit and measure label from the title lines."""
    code = next((m.group(1) for ln in title if (m := _TABLE_CODE.search(ln))), None)
    if code is None:
        raise RejectFile(raw.error("In den Titelzeilen steht keine Tabellennummer (z. B. 12411-03-03-4)."))
    measure, unit = "", ""
    for ln in reversed(title):
        m = _MEASURE.match(ln)
        if m:
            measure, unit = m.group(1).strip(), m.group(2).strip()
            break
    variable = mapping.measure_variable(code, measure)
    if variable is None:
        what = f"Statistik {code}" + (f", Messgröße „{measure}“" if measure else "")
        raise RejectFile(raw.error(
            f"Keiner Basisvariable zugeordnet: {what}. Bitte in {mapping_file_label(genesis_mapping.FILE)} unter „statistics“ → „{code}“ "
            "ergänzen (Wertmerkmal mit variable und labels)."))
    return code, variable, unit, measure or "(eine Messgröße)"


@dataclass
class ColumnSpec:
    dims: dict[str, str]
    year: int | None
    ref_date: object
    name: str


def _column_dims(raw: RawFile, table: TextTable, layout: Layout, mapping: genesis_mapping.GenesisMapping,
                 assumptions: dict[str, str]) -> dict[int, ColumnSpec]:
    table_labels = mapping.label_dims()
    out: dict[int, ColumnSpec] = {}
    missing: dict[str, int] = {}
    for j in layout.value_cols:
        labels = layout.labels.get(j, [])
        dims: dict[str, str] = {}
        year, ref = None, None
        for lab in labels:
            period = parse_period(lab)
            if period:
                year, ref = period
                continue
            got = table_labels.get(norm(lab))
            if got is None:
                missing.setdefault(lab, j)
                continue
            for dim, code in got.items():
                if dims.get(dim, code) != code:
                    raise RejectFile(raw.error(f"Die Spaltenköpfe „{' / '.join(labels)}“ widersprechen sich ({DIM_LABELS[dim]}).",
                                               row=table.line_numbers[layout.header_rows[0]]))
                dims[dim] = code
        out[j] = ColumnSpec(dims, year, ref, " / ".join(labels) or f"Nr. {j + 1}")
    if missing:
        listed = ", ".join(f"„{lab}“ (Spalte {j + 1})" for lab, j in missing.items())
        raise RejectFile(raw.error(
            f"Spaltenbeschriftung nicht zugeordnet: {listed}. Bitte in {mapping_file_label(genesis_mapping.FILE)} unter „labels“ ergänzen.",
            row=table.line_numbers[layout.header_rows[0]]))
    assumptions["Spalten"] = "; ".join(
        f"{c.name} → " + (", ".join(f"{DIM_LABELS[d]} {v}" for d, v in c.dims.items()) or "insgesamt")
        for c in out.values())
    return out


def _values(raw: RawFile, table: TextTable, layout: Layout, columns: dict[int, ColumnSpec], variable: str,
            mapping: genesis_mapping.GenesisMapping, problems: list[Problem],
            assumptions: dict[str, str]) -> tuple[pd.DataFrame, dict[str, str]]:
    rows = table.rows[layout.first:layout.last + 1]
    lines = table.line_numbers[layout.first:layout.last + 1]
    ages = lookup_table(mapping.age_groups)
    recs, cells, region_names = [], [], {}
    for row, line in zip(rows, lines):
        key = row[layout.key_col].strip()
        name = row[layout.name_col].strip() if layout.name_col is not None else ""
        if name:
            region_names.setdefault(key, name)
        period = parse_period(row[layout.time_col]) if layout.time_col is not None else None
        age = "insgesamt"
        if layout.extra_cols:
            label = row[layout.extra_cols[0]].strip() if layout.extra_cols[0] < len(row) else ""
            age = ages.get(norm(label)) or age_code(label) or ""
            if not age:
                problems.append(raw.error(f"Altersgruppe „{label}“ nicht zugeordnet; bitte in {mapping_file_label(genesis_mapping.FILE)} unter "
                                          "„age_groups“ ergänzen.", row=line, column=f"Nr. {layout.extra_cols[0] + 1}"))
                continue
        for j, spec in columns.items():
            year, ref = (period if period else (spec.year, spec.ref_date))
            recs.append((key, year, ref, age, spec.dims, line, spec.name))
            cells.append(row[j] if j < len(row) else None)
    if any(r[1] is None for r in recs):
        raise RejectFile(raw.error("Weder die Datenzeilen noch die Spaltenköpfe nennen einen Stichtag oder ein Jahr."))
    frame = pd.DataFrame({
        "variable": variable, "region": [r[0] for r in recs], "year": [r[1] for r in recs],
        "ref_date": [r[2] for r in recs], "age_group": [r[3] for r in recs],
        "nationality": [r[4].get("nationality", "insgesamt") for r in recs],
        "sex": [r[4].get("sex", "insgesamt") for r in recs], "category": [r[4].get("category", "insgesamt") for r in recs],
        "source_row": [r[5] for r in recs], "source_column": [r[6] for r in recs], "source_sheet": None})
    parsed = parse_series(pd.Series(cells, dtype=object), ",")
    problems += value_problems(raw, frame, parsed, spreadsheet=False)
    frame["value"] = parsed["value"].to_numpy()
    frame["flag"] = parsed["flag"].to_numpy()
    if layout.extra_cols:
        assumptions["Altersgruppe"] = f"Spalte {layout.extra_cols[0] + 1}"
    assumptions["Stichtag"] = f"Spalte {layout.time_col + 1}" if layout.time_col is not None else "aus den Spaltenköpfen"
    ok = parsed["error"].isna().to_numpy()
    return finish_frame(frame[ok].copy()), region_names
