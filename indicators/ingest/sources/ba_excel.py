"""Excel tables of the Statistik der Bundesagentur für Arbeit (BA).

Several sheets (``Inhalt``, ``Hinweise``, the table); the table has a title block (title, region,
reference month), a header block of two or three rows with merged cells (``Insgesamt | Deutsche |
Ausländer`` over ``Anzahl | Quote in %``), sometimes a row of column numbers, the data rows with region
name and key, then footnotes and ``© Statistik der Bundesagentur für Arbeit``.
"""

from __future__ import annotations

import re
from typing import Any, cast

import numpy as np
import pandas as pd
from pydantic import Field

from indicators.ingest.base import MAX_REFUSED_LISTED, Accounting, ParsedFile, Problem, RawFile, RejectFile, file_kind
from indicators.ingest.files import SPREADSHEET_EXT, TEXT_EXT, Sheet, column_letter, read_sheets, read_text_table
from indicators.ingest.headers import header_key, lookup
from indicators.ingest.sources.common import (
    DIM_LABELS,
    TOTAL_WORDS,
    Code,
    Dims,
    Ident,
    MappingError,
    Strict,
    as_categorical,
    ask_admin,
    cell_place,
    cell_text,
    finish_frame,
    load_mapping,
    mapping_file_label,
    parse_period,
    region_key,
    region_keys,
    reject_mapping,
    soften_refusals,
    spread,
    texts,
    value_problems,
)
from indicators.ingest.values import parse_series

FORMAT = "ba_excel"
LABEL = "Tabelle der Statistik der Bundesagentur für Arbeit (Excel)"


def label_for(raw: RawFile) -> str:
    """'(Excel)', or '(CSV)' for a table Excel saved as CSV, '(OpenDocument)' for an .ods: the kind of the file."""
    return f"Tabelle der Statistik der Bundesagentur für Arbeit ({file_kind(raw)})"


FILE = "ba.yaml"
MARKERS = ("statistik der bundesagentur für arbeit", "statistik-service", "bundesagentur für arbeit")
HEADER_SCAN = 40  # rows searched for the header at the top of a sheet


class BaColumn(Strict):
    variable: Ident
    nationality: Code | None = None
    sex: Code | None = None
    age_group: Code | None = None
    category: Code | None = None


class BaTable(Strict):
    match: list[str]
    measures: dict[str, Ident | None] = Field(default_factory=dict)
    #: tables read by their column heads (any level of a merged head names the column); columns not listed
    #: are not taken. For BA products whose head is no 'group over measure' grid (e.g. Sanktionen by Jobcenter).
    columns: dict[str, BaColumn] = Field(default_factory=dict)


class BaMapping(Strict):
    key_headers: list[str]
    name_headers: list[str] = Field(default_factory=list)
    groups: dict[str, Dims]
    tables: list[BaTable]


def _marker(sheet: Sheet) -> str | None:
    """The BA copyright or service line, searched in the first and last rows of a sheet."""
    rows = sheet.rows[:HEADER_SCAN] + sheet.rows[-HEADER_SCAN:]
    for row in rows:
        for v in row:
            if isinstance(v, str) and any(m in v.casefold() for m in MARKERS):
                return v.strip()
    return None


def _find_header(sheet: Sheet, mapping: BaMapping) -> tuple[int, int, int | None] | None:
    """(row of the key header, key column, name column) in the top rows of a sheet."""
    keys = {header_key(k) for k in mapping.key_headers}
    names = {header_key(k) for k in mapping.name_headers}
    for i, row in enumerate(sheet.rows[:HEADER_SCAN]):
        cells = [header_key(cell_text(v)) for v in row]
        key_col = next((j for j, c in enumerate(cells) if c in keys), None)
        if key_col is not None:
            name_col = next((j for j, c in enumerate(cells) if c in names and j != key_col), None)
            return i, key_col, name_col
    return None


def _sheets(raw: RawFile) -> list[Sheet]:
    """The workbook's sheets; a BA table saved as CSV (e.g. re-saved by Excel) is one sheet without a name."""
    if raw.extension in TEXT_EXT:
        table = read_text_table(raw)
        return [Sheet("", [list(r) for r in table.rows], [])]
    return read_sheets(raw)


class BaExcelReader:
    format = FORMAT
    label = LABEL

    def label_for(self, raw: RawFile) -> str:
        return label_for(raw)

    def sniff(self, raw: RawFile) -> str | None:
        if raw.extension not in SPREADSHEET_EXT | TEXT_EXT:
            return None
        try:
            sheets = _sheets(raw)
        except RejectFile:
            return None
        for sh in sheets:
            mark = _marker(sh)
            if mark:
                return (f"Blatt „{sh.name}“ trägt" if sh.name else "Die Datei trägt") + f" den Vermerk „{mark[:80]}“."
        return None

    def read(self, raw: RawFile) -> ParsedFile:
        try:
            mapping = load_mapping(FILE, BaMapping)
        except MappingError as exc:
            raise reject_mapping(raw, exc) from None
        sheets = _sheets(raw)
        by_columns = [(sh, t) for sh in sheets if (t := _column_table(sh, mapping))]
        if by_columns:
            parts = [_read_by_columns(raw, sh, t) for sh, t in by_columns]
            return parts[0] if len(parts) == 1 else _combine(raw, parts)
        found = [(sh, h) for sh in sheets if (h := _find_header(sh, mapping))]
        if not found:
            raise RejectFile(
                raw.error(
                    "Kein Blatt mit einer Tabelle gefunden (gesucht: eine Kopfzeile mit „"
                    + "“ oder „".join(mapping.key_headers[:2])
                    + "“ in den ersten Zeilen). Geprüfte Blätter: "
                    + ", ".join(s.name for s in sheets)
                    + "."
                )
            )
        names = [s.name for s in sheets]
        parts = [
            _read_table(raw, sheet, top, key_col, name_col, mapping, names) for sheet, (top, key_col, name_col) in found
        ]
        return parts[0] if len(parts) == 1 else _combine(raw, parts)


def _title_of(sheet: Sheet) -> list[str]:
    out = []
    for row in sheet.rows[:12]:
        filled = [cell_text(v) for v in row if cell_text(v)]
        if len(filled) == 1:
            out.append(filled[0])
        elif len(filled) > 1:
            break
    return out


def _column_table(sheet: Sheet, mapping: BaMapping) -> BaTable | None:
    """The mapping entry that reads this sheet by its column heads, if its title matches one."""
    text = header_key(" ".join(_title_of(sheet)))
    for table in mapping.tables:
        if table.columns and text and all(header_key(w) in text for w in table.match):
            return table
    return None


def _read_by_columns(raw: RawFile, sheet: Sheet, table: BaTable) -> ParsedFile:
    """A BA sheet read as a grid (shared with the GENESIS tables): regions by key, Jobcenter number or name."""
    from indicators.ingest.sources.genesis_table import ColumnSpec, Grid, Layout, read_table_grid

    grid = Grid.of(sheet.rows, list(range(1, len(sheet.rows) + 1)), sheet.name, sheet.name)
    wanted = {header_key(k): v for k, v in table.columns.items()}
    assumptions = {
        "Blatt": sheet.name,
        "Tabelle": " + ".join(table.match),
        "Dezimalzeichen": "Zahlen wie in Excel gespeichert",
    }

    def resolve(layout: Layout, title: list[str]) -> dict[int, ColumnSpec]:
        period = None
        for line in title:
            for part in [line] + line.split(":")[1:]:
                period = period or parse_period(part.strip())
        if period is None:
            raise RejectFile(raw.error("Im Titelbereich steht kein Berichtsmonat, Stichtag oder Jahr.", sheet.name))
        line = next((t for t in title if parse_period(t) or any(parse_period(x.strip()) for x in t.split(":")[1:])), "")
        assumptions["Stichtag"] = f"{line} → Jahr {period[0]}" if line else f"aus dem Titel → Jahr {period[0]}"
        out, skipped = {}, []
        for j in layout.value_cols:
            labels = layout.labels.get(j, [])
            hit = next((wanted[header_key(x)] for x in [" / ".join(labels), *labels] if header_key(x) in wanted), None)
            name = " / ".join(labels) or column_letter(j)
            if hit is None:
                skipped.append(f"{column_letter(j)} ({name})")
                continue
            dims = {d: getattr(hit, d) for d in ("nationality", "sex", "age_group", "category") if getattr(hit, d)}
            out[j] = ColumnSpec(hit.variable, dims, period[0], period[1], name)
        if not out:
            raise RejectFile(
                raw.error("Keine Spalte der Tabelle ist zugeordnet (" + ", ".join(table.columns) + ").", sheet.name)
            )
        assumptions["Spalten"] = "; ".join(
            f"{column_letter(j)} {c.name} → {c.variable}" + "".join(f", {DIM_LABELS[d]} {v}" for d, v in c.dims.items())
            for j, c in out.items()
        )
        if skipped:
            assumptions["Nicht übernommen"] = ", ".join(skipped)
        return out

    return read_table_grid(raw, grid, resolve, {}, mapping_file_label(FILE), FORMAT, label_for(raw), assumptions)


def _combine(raw: RawFile, parts: list[ParsedFile]) -> ParsedFile:
    """A workbook with several tables (one per sheet): every table is read, none is dropped."""
    assumptions: dict[str, str] = {
        "Tabellenblätter": ", ".join(p.data["source_sheet"].iloc[0] if len(p.data) else "?" for p in parts)
    }
    for p in parts:
        sheet = p.assumptions.get("Blatt", "").split(" (")[0]
        for k, v in p.assumptions.items():
            assumptions[f"{sheet}: {k}"] = v
    data = pd.concat([p.data for p in parts], ignore_index=True)
    region_names = {k: v for p in parts for k, v in p.region_names.items()}
    out = ParsedFile(
        raw, FORMAT, label_for(raw), "", data, assumptions, [pr for p in parts for pr in p.problems], region_names
    )
    accounts = [p.accounting for p in parts if p.accounting is not None]
    if accounts:
        out.accounting = Accounting(
            "; ".join(a.block for a in accounts),
            sum(a.cells for a in accounts),
            sum(a.values for a in accounts),
            sum(a.symbols for a in accounts),
            sum(a.refused_count for a in accounts),
            [r for a in accounts for r in a.refused][:MAX_REFUSED_LISTED],
        )
    return out


def _read_table(
    raw: RawFile, sheet: Sheet, top: int, key_col: int, name_col: int | None, mapping: BaMapping, sheet_names: list[str]
) -> ParsedFile:
    rows = sheet.rows
    from indicators.ingest.sources.regions import official_names

    official = official_names()
    first = next(
        (
            i
            for i in range(top + 1, min(len(rows), top + 12))
            if key_col < len(rows[i])
            and (
                region_key(rows[i][key_col])
                or (
                    name_col is not None
                    and name_col < len(rows[i])
                    and official.get(header_key(cell_text(rows[i][name_col])))
                )
            )
        ),
        None,
    )
    if first is None:
        raise RejectFile(
            raw.error(
                "Unter der Kopfzeile folgen keine Zeilen mit Regionalschlüssel.",
                sheet.name,
                top + 1,
                column_letter(key_col),
            )
        )
    header_rows = [r for r in range(top, first) if not _is_numbering_row(rows[r])]
    title = [" ".join(cell_text(v) for v in row if cell_text(v)) for row in rows[:top]]
    title = [t for t in title if t]
    # the table's subject ('Arbeitslose') stands in the title or in the top header row
    heads = [" ".join(cell_text(v) for v in rows[r] if cell_text(v)) for r in header_rows]
    table = _choose_table(raw, sheet, title, mapping, heads)
    year, ref_date, period_text = _period(raw, sheet, title)
    assumptions = {
        **({"Blatt": f"{sheet.name} (geprüft: {', '.join(sheet_names)})"} if sheet.name else {}),  # a CSV: no sheet
        "Kopfzeilen": ", ".join(f"Zeile {r + 1}" for r in header_rows),
        "Regionalschlüssel": f"Spalte {column_letter(key_col)}",
        "Stichtag": f"{period_text} → Jahr {year}",
        "Dezimalzeichen": "Zahlen wie in Excel gespeichert; als Text gespeicherte Zahlen mit Dezimalkomma",
        "Tabelle": f"{title[0] if title else sheet.name} (Zuordnung: {' + '.join(table.match)})",
    }
    if len(header_rows) < first - top:
        assumptions["Spaltennummern"] = "Zeile mit Spaltennummern übersprungen"
    if raw.extension in TEXT_EXT:  # a BA table saved as text: how it was read
        assumptions.update(read_text_table(raw).assumptions())
    columns = _columns(raw, sheet, header_rows, key_col, name_col, first, table, mapping, assumptions)
    from indicators.ingest.sources.regions import JOBCENTER_HEADERS

    jobcenter = header_key(cell_text(rows[top][key_col])) in {header_key(x) for x in JOBCENTER_HEADERS}
    block, problems = _data_block(raw, sheet, first, key_col, name_col, jobcenter, assumptions)
    data, region_names, accounting = _values(raw, sheet, block, columns, year, ref_date, problems)
    assumptions["Datenblock"] = accounting.text()
    assumptions["Datenzeilen"] = (
        f"Zeile {block['_row'].iloc[0]} bis {block['_row'].iloc[-1]} (bis zur ersten Zeile ohne Regionalschlüssel)"
        if len(block)
        else "keine"
    )
    parsed = ParsedFile(raw, FORMAT, label_for(raw), "", data, assumptions, problems, region_names)
    parsed.accounting = accounting
    return parsed


def _is_numbering_row(row: list[object]) -> bool:
    """A row of column numbers (1, 2, 3 …) under the header."""
    vals = [cell_text(v) for v in row if cell_text(v)]
    return (
        len(vals) >= 3
        and all(v.isdigit() for v in vals)
        and [int(v) for v in vals] == list(range(int(vals[0]), int(vals[0]) + len(vals)))
    )


def _choose_table(
    raw: RawFile, sheet: Sheet, title: list[str], mapping: BaMapping, heads: list[str] | None = None
) -> BaTable:
    text = header_key(" ".join(title))
    for table in mapping.tables:
        if all(header_key(w) in text for w in table.match):
            return table
    text = header_key(" ".join([*title, *(heads or [])]))  # the subject in the header rows instead of the title
    for table in mapping.tables:
        if all(header_key(w) in text for w in table.match):
            return table
    raise RejectFile(
        raw.error(
            f"Die Tabelle „{title[0] if title else sheet.name}“ ist keiner Zuordnung bekannt (geprüft: "
            + "; ".join(" + ".join(t.match) for t in mapping.tables)
            + "). "
            + ask_admin(FILE, "unter „tables“ diese Tabelle ergänzen"),
            sheet.name,
            1,
        )
    )


def _period(raw: RawFile, sheet: Sheet, title: list[str]) -> tuple[int, object, str]:
    preferred = [
        t for t in title if any(w in t.casefold() for w in ("berichtsmonat", "stichtag", "berichtsjahr", "stand"))
    ]
    others = [t for t in title if "erstellungsdatum" not in t.casefold() and t not in preferred]
    for line in preferred + others:
        for part in [line] + line.split(":")[1:]:
            period = parse_period(part.strip())
            if period:
                return period[0], period[1], line
        annual = re.search(
            r"(?:jahresdurchschnitt|berichtsjahr|jahreszahlen|jahr)\D{0,3}((?:19|20)\d\d)\b", line.casefold()
        )
        if annual:  # 'Jahresdurchschnitt 2025', 'Berichtsjahr 2025 (Jahresdurchschnitt)'
            return int(annual.group(1)), None, line
    raise RejectFile(
        raw.error(
            "Im Titelbereich steht kein Berichtsmonat, Stichtag oder Jahr (z. B. „Berichtsmonat: Juni 2025“).",
            sheet.name,
        )
    )


def _filled_header(
    sheet: Sheet, header_rows: list[int], label_cols: set[int], assumptions: dict[str, str]
) -> dict[int, dict[int, str]]:
    """Header texts per row and column, with merged cells copied to every cell they cover.

    Without merge information (older formats, exports that un-merge) a group label is carried to the
    right over empty cells above a measure, but never out of a region/key column."""
    out = {r: {j: cell_text(v) for j, v in enumerate(sheet.rows[r]) if cell_text(v)} for r in header_rows}
    merged = [m for m in sheet.merged if m[0][0] <= header_rows[-1] and m[1][0] >= header_rows[0]]
    for (r0, c0), (r1, c1) in merged:
        text = cell_text(sheet.rows[r0][c0]) if r0 < len(sheet.rows) and c0 < len(sheet.rows[r0]) else ""
        for r in range(r0, r1 + 1):
            if r in out and text:
                for c in range(c0, c1 + 1):
                    out[r].setdefault(c, text)
    if not merged and len(header_rows) > 1:
        measures = out[header_rows[-1]]
        for r in header_rows[:-1]:
            carry = ""
            for j in range(max(measures, default=-1) + 1):
                if j in label_cols:
                    carry = ""
                elif j in out[r]:
                    carry = out[r][j]
                elif carry and j in measures:
                    out[r][j] = carry
        assumptions["Kopf"] = "keine verbundenen Zellen gespeichert: Gruppenköpfe nach rechts fortgeschrieben"
    return out


def _columns(
    raw: RawFile,
    sheet: Sheet,
    header_rows: list[int],
    key_col: int,
    name_col: int | None,
    first: int,
    table: BaTable,
    mapping: BaMapping,
    assumptions: dict[str, str],
) -> dict[int, tuple[str, Dims, str]]:
    """Value column -> (variable, dimensions, header name); checks that the header can be read unambiguously."""
    label_cols = {key_col} | ({name_col} if name_col is not None else set())
    header = _filled_header(sheet, header_rows, label_cols, assumptions)
    measure_row, group_rows = header_rows[-1], header_rows[:-1]
    measures = lookup(table.measures)
    groups = lookup(mapping.groups)
    subject = {
        header_key(w) for w in table.match
    }  # a header row naming the table's subject ('Arbeitslose') is no group
    width = max(len(sheet.rows[r]) for r in header_rows + [first])
    has_groups = any(j not in label_cols and j in header[r] for r in group_rows for j in range(width))
    out: dict[int, tuple[str, Dims, str]] = {}
    issues, skipped = [], []
    for j in range(width):
        if j in label_cols or j < min(label_cols):
            continue
        measure = header[measure_row].get(j, "")
        group_labels = [
            header[r][j]
            for r in group_rows
            if j in header[r] and header[r][j] != measure and header_key(header[r][j]) not in subject
        ]
        has_data = first < len(sheet.rows) and j < len(sheet.rows[first]) and cell_text(sheet.rows[first][j]) != ""
        if not measure and not group_labels and not has_data:
            continue
        letter = column_letter(j)
        if measure and not group_labels and header_key(measure) not in measures:
            # one header row 'Ausländer - Quote in %' (a portal CSV export flattens the two header rows)
            found = _split_flat(measure, groups, measures)
            if found:
                group_labels, measure = [found[0]], found[1]
                assumptions["Kopf"] = (
                    "eine Kopfzeile „Personengruppe – Messgröße“ (aus zwei Kopfzeilen zusammengefasst)"
                )
        if not measure:
            issues.append(f"Spalte {letter} hat keine Messgröße in Zeile {measure_row + 1}")
            continue
        if has_groups and not group_labels:
            issues.append(f"Spalte {letter} („{measure}“) hat keine Personengruppe in Zeile {group_rows[0] + 1}")
            continue
        if header_key(measure) not in measures:
            issues.append(f"Spalte {letter}: Messgröße „{measure}“ unbekannt")
            continue
        variable = measures[header_key(measure)]
        dims: Dims = {}
        for g in group_labels:
            if header_key(g) not in groups:
                issues.append(f"Spalte {letter}: Personengruppe „{g}“ unbekannt")
                break
            dims.update(groups[header_key(g)])
        else:
            name = " / ".join(group_labels + [measure])
            if variable is None:
                skipped.append(f"{letter} ({name})")
            else:
                out[j] = (variable, dims, name)
    return _checked_columns(raw, sheet, header_rows, out, issues, skipped, assumptions)


def _checked_columns(
    raw: RawFile,
    sheet: Sheet,
    header_rows: list[int],
    out: dict[int, tuple[str, Dims, str]],
    issues: list[str],
    skipped: list[str],
    assumptions: dict[str, str],
) -> dict[int, tuple[str, Dims, str]]:
    """The value columns once every one is read: refused with the issues found, else stated as assumptions."""
    if issues:
        raise RejectFile(
            raw.error(
                "Die Spalten lassen sich nicht eindeutig zuordnen: "
                + "; ".join(issues[:8])
                + f". Ist der Tabellenkopf verschoben oder verändert? Bekannte Beschriftungen stehen in {mapping_file_label(FILE)}; "
                "neue kann die Administration dort ergänzen.",
                sheet.name,
                header_rows[0] + 1,
            )
        )
    _distinct_columns(raw, sheet, header_rows, out)
    assumptions["Einheit"] = ", ".join(dict.fromkeys(name.rsplit(" / ", 1)[-1] for _, _, name in out.values()))
    assumptions["Spalten"] = "; ".join(
        f"{column_letter(j)} {name} → {var}" + "".join(f", {DIM_LABELS[d]} {c}" for d, c in dims.items())
        for j, (var, dims, name) in out.items()
    )
    if skipped:
        assumptions["Nicht übernommen"] = ", ".join(skipped)
    return out


def _distinct_columns(
    raw: RawFile, sheet: Sheet, header_rows: list[int], out: dict[int, tuple[str, Dims, str]]
) -> None:
    """Refuses a header in which two value columns mean the same, or none is recognised."""
    seen: dict[tuple[Any, ...], str] = {}
    for j, (var, dims, name) in out.items():
        key = (var, tuple(sorted(dims.items())))
        if key in seen:
            raise RejectFile(
                raw.error(
                    f"Die Spalten {seen[key]} und {column_letter(j)} bedeuten dasselbe ({name}); "
                    "der Tabellenkopf ist nicht eindeutig.",
                    sheet.name,
                    header_rows[0] + 1,
                )
            )
        seen[key] = column_letter(j)
    if not out:
        raise RejectFile(raw.error("Keine Wertspalte erkannt.", sheet.name, header_rows[0] + 1))


_FLAT_SEPARATORS = (" - ", " – ", ": ", " / ", ", ", "; ", " ")


def _split_flat(label: str, groups: dict[str, Any], measures: dict[str, Any]) -> tuple[str, str] | None:
    """'Ausländer - Quote in %' → ('Ausländer', 'Quote in %') where both halves are known labels (either order)."""
    for sep in _FLAT_SEPARATORS:
        parts = label.split(sep)
        for i in range(1, len(parts)):
            left, right = sep.join(parts[:i]).strip(), sep.join(parts[i:]).strip()
            if header_key(left) in groups and header_key(right) in measures:
                return left, right
            if header_key(right) in groups and header_key(left) in measures:
                return right, left
    return None


#: casefold never shortens a text: a name longer than the longest total word is none
_TOTAL_LEN = max(map(len, TOTAL_WORDS))


def _totals(names: pd.Series) -> np.ndarray:
    """Whether each name is a total word ('Insgesamt'); only the short names are casefolded."""
    cells = names.to_numpy(dtype=object)
    short = np.fromiter(map(len, cells), dtype=np.int64, count=len(cells)) <= _TOTAL_LEN
    out = np.zeros(len(cells), dtype=bool)
    out[short] = [v.casefold() in TOTAL_WORDS for v in cells[short]]
    return out


def _data_block(
    raw: RawFile,
    sheet: Sheet,
    first: int,
    key_col: int,
    name_col: int | None,
    jobcenter: bool = False,
    assumptions: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows from the first data row up to the first row without a key; totals rows are skipped with a warning.

    Returns the block as a frame (one column per sheet column, plus ``_row`` 1-based and ``_key``)."""
    from indicators.ingest.sources.regions import official_names

    frame = pd.DataFrame(sheet.rows[first:], dtype=object)
    keys = region_keys(frame[key_col])
    names = texts(frame[name_col]) if name_col is not None else pd.Series("", index=frame.index, dtype=object)
    total = _totals(names)
    # a row with a key or a name is not blank: only the others are looked at cell by cell (below)
    maybe_blank = keys.isna().to_numpy() & (names == "").to_numpy()
    if jobcenter:  # Trägernummer of a Jobcenter (5 digits) → its Kreis; Länder keep their 2-digit key
        from indicators.ingest.sources.regions import jobcenter_kreise

        jc = jobcenter_kreise()
        five = keys.notna().to_numpy() & (keys.str.len() == 5).to_numpy()
        unmapped = [f"{k} {n}".strip() for k, n in zip(keys[five], names[five]) if k not in jc]
        keys[five] = [jc.get(k) for k in keys[five]]
        from indicators.ingest.sources.regions import jobcenter_kreis_names

        kreis_names = jobcenter_kreis_names()  # the Kreis' own name for the region list, not the Jobcenter's
        names = names.copy()
        names[five] = [kreis_names.get(k, n) if k else n for k, n in zip(keys[five], names[five])]
        if assumptions is not None:
            assumptions["Regionalschlüssel"] = (
                f"Spalte {column_letter(key_col)}: Trägernummer des Jobcenters, dem Kreis zugeordnet über "
                "die Jobcenter-Liste des Monitors (jobcenter.csv; Annahme: ein Jobcenter je Kreis, z. B. JC Peine 24404 → 03157)"
            )
            if unmapped:
                assumptions["Zeilen ohne Region"] = (
                    f"{len(unmapped)} Jobcenter ohne Zuordnung nicht übernommen: " + ", ".join(unmapped[:10])
                )
        blank_key = keys.isna().to_numpy() & five
        keys[blank_key] = "__skip__"
    missing = keys.isna().to_numpy() & (names != "").to_numpy()
    if missing.any():  # a row without key whose name is official ('Deutschland', 'Niedersachsen') keeps its key
        official = official_names()
        keys[missing] = [official.get(header_key(n)) for n in names[missing]]
    # a blank row between blocks (Länder, Kreise) does not end the table; a row without key and name does
    blank = np.zeros(len(frame), dtype=bool)
    if maybe_blank.any():
        rest = frame[maybe_blank]
        blank[maybe_blank] = (
            (rest.isna() | rest.map(lambda v: isinstance(v, str) and not v.strip())).all(axis=1).to_numpy()
        )
    stop = keys.isna().to_numpy() & ~total & ~blank
    end = int(np.argmax(stop)) if stop.any() else len(frame)
    problems = [
        raw.warning(
            f"Summenzeile „{names.iloc[i]}“ übersprungen (nicht als Daten gelesen).",
            sheet.name,
            first + int(i) + 1,
            column_letter(cast(int, name_col)),
        )
        for i in np.flatnonzero(total[:end])
    ]
    keep = np.zeros(len(frame), dtype=bool)
    keep[:end] = ~total[:end] & ~blank[:end] & (keys[:end] != "__skip__").to_numpy()
    block = frame[keep]  # a new frame already (copy on write): no second copy
    block["_row"] = np.flatnonzero(keep) + first + 1
    block["_key"] = pd.Series(keys[keep].to_numpy(), index=block.index, dtype=object)  # not pandas' 'str'
    block["_name"] = pd.Series(names[keep].to_numpy(), index=block.index, dtype=object)
    twice = block["_key"].duplicated(keep=False).to_numpy()
    if twice.any():  # a region listed twice with the same cells (a Land above its Kreise): taken once
        cells = [c for c in block.columns if not str(c).startswith("_")] + ["_key"]
        same = np.zeros(len(block), dtype=bool)
        same[twice] = block.loc[twice, cells].astype(str).duplicated().to_numpy()
        block = block[~same]
    return block, problems


def _accounting(
    sheet: Sheet, rows: np.ndarray, columns: list[int], taken: np.ndarray, n_refused: int, refused: list[dict[str, Any]]
) -> Accounting:
    """The reconciliation of the data block: its cells = values taken + symbols + refused cells."""
    n = len(rows)
    where = f"Blatt {sheet.name}, " if sheet.name else ""  # a CSV has no sheet
    return Accounting(
        f"{where}Zeile {rows[0]} bis {rows[-1]}, Spalten " + ", ".join(column_letter(j) for j in columns)
        if n
        else (f"Blatt {sheet.name}: keine Datenzeilen" if sheet.name else "keine Datenzeilen"),
        cells=n * len(columns),
        values=int((~np.isnan(taken)).sum()),
        symbols=int(np.isnan(taken).sum()),
        refused_count=n_refused,
        refused=refused,
    )  # (never empty: _columns rejects a table without a value column)


def _values(
    raw: RawFile,
    sheet: Sheet,
    block: pd.DataFrame,
    columns: dict[int, tuple[str, Dims, str]],
    year: int,
    ref_date: object,
    problems: list[Problem],
) -> tuple[pd.DataFrame, dict[str, str], Accounting]:
    """One observation per data row and value column, built from integer codes: the region column is
    encoded once and repeated for every value column, the constants of a column are one code each."""
    keys, names = block["_key"].to_numpy(dtype=object), block["_name"].to_numpy(dtype=object)
    n = len(block)
    region = pd.Categorical(keys)
    if len(region.categories) == n:  # every key once (the common case): its name, where it has one
        named = names.astype(bool)
        region_names = dict(zip(keys[named][::-1], names[named][::-1]))
    else:  # the first name of a key wins
        region_names = {k: v for k, v in dict(zip(keys[::-1], names[::-1])).items() if v}
    rows = block["_row"].to_numpy()
    values, flags, keep = [], [], []
    refused: list[dict[str, Any]] = []
    n_refused = 0
    found: list[Problem] = []
    errors = []
    for j, (_var, _dims, name) in columns.items():
        cells = block[j] if j in block.columns else pd.Series(None, index=block.index, dtype=object)
        parsed = parse_series(cells.reset_index(drop=True), ",")
        errors.append(parsed["error"])
        fine = parsed["error"].isna().to_numpy()
        if not fine.all() or parsed["as_text"].any():  # rare: the problems need the cells' places
            part = pd.DataFrame(
                {"source_sheet": sheet.name, "source_row": rows, "source_column": cell_place(j, name), "col": j}
            )
            found += value_problems(raw, part, parsed, spreadsheet=raw.extension in SPREADSHEET_EXT)
            bad = np.flatnonzero(~fine)
            n_refused += len(bad)
            refused += [
                {
                    "sheet": sheet.name,
                    "row": int(rows[k]),
                    "column": column_letter(j),
                    "content": cell_text(cells.iloc[k]),
                    "reason": str(parsed["error"].iloc[k]),
                }
                for k in bad[: max(0, MAX_REFUSED_LISTED - len(refused))]
            ]
        values.append(parsed["value"].to_numpy())
        flags.append(parsed["flag"].to_numpy())
        keep.append(fine)
    if found:  # a few texts in a sound file: warnings, the one value left out
        problems += soften_refusals(raw, found, pd.DataFrame({"error": pd.concat(errors)}), problems)
    ok = np.concatenate(keep)
    taken = np.concatenate(values)[ok]
    accounting = _accounting(sheet, rows, list(columns), taken, n_refused, refused)
    per_col = np.repeat(np.arange(len(columns), dtype=np.int32), n)[ok]  # the value column of every observation

    def by_column(vals: list[object]) -> pd.Categorical:
        return spread(vals, per_col)

    specs = list(columns.values())
    frame = pd.DataFrame(
        {
            "variable": by_column([var for var, _, _ in specs]),
            "region": pd.Categorical.from_codes(np.tile(region.codes, len(columns))[ok], categories=region.categories),
            "year": year,
            "ref_date": ref_date,
            **{
                dim: by_column([dims.get(dim, "insgesamt") for _, dims, _ in specs])
                for dim in ("nationality", "sex", "age_group", "category")
            },
            "value": np.concatenate(values)[ok],
            "flag": pd.Series(np.concatenate(flags)[ok], dtype=object),  # not 'str'
            "source_sheet": as_categorical(sheet.name, len(per_col)),
            "source_row": np.tile(rows, len(columns))[ok],
            "source_column": by_column([cell_place(j, name) for j, (_, _, name) in columns.items()]),
        }
    )
    return finish_frame(frame), region_names, accounting
