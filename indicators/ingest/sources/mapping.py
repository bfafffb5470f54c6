"""Column-mapping profiles: read any table (the administration's own lists) with a mapping the user
defines once and saves for next year's file.

A profile (``ProfileSpec``, YAML or JSON) says which row holds the header, which column is the region,
the year, the value (or which columns are values, each with its variable and dimension codes), fixed
dimension values, the decimal mark, and whether all rows are summed to one region::

    name: personalamt
    header_row: 4                     # 1-based, as the spreadsheet shows it
    sheet: null                       # sheet name; empty = the first sheet whose header row fits
    decimal: ","                      # for numbers stored as text / CSV
    label_column: Organisationseinheit  # row labels; 'Summe', 'Gesamt', 'Insgesamt' rows are skipped
    region: {value: "03157"}          # or {column: AGS} or {column: Gemeinde, codes: {Edemissen: "03157001"}}
    year: {from_title: Stand}         # or {column: Jahr} or {value: 2024}
    aggregate: sum                    # sum all rows per key (rows are parts of one region)
    values:                           # wide layout: one value column per variable/breakdown …
      - {column: Beschäftigte gesamt, variable: personal_verwaltung, dimensions: {category: insgesamt}}
    # … or long layout: value_column: Wert, variable: {column: Merkmal} or {value: bevoelkerung}
    dimensions:                       # per dimension a fixed value or a column (labels mapped by codes)
      nationality: {column: Staatsangehörigkeit, codes: {Deutsche: deutsch, Ausländer: auslaendisch}}

Profiles are stored in the table ``mapping_profiles`` with a header signature, so that a file of the
same shape is offered its profile again (:func:`find_profile_for`). Example profiles ship as
``indicators/definitions/mappings/profile_*.yaml``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal, cast

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from indicators import auth
from indicators.ingest.base import ParsedFile, Problem, RawFile, RejectFile, row_accounting
from indicators.ingest.files import (
    SPREADSHEET_EXT,
    TEXT_EXT,
    column_letter,
    formula_cells_without_value,
    read_sheets,
    read_text_table,
)
from indicators.ingest.headers import header_key, lookup
from indicators.ingest.sources.common import (
    DIM_LABELS,
    TOTAL_WORDS,
    Dim,
    Dims,
    Ident,
    MappingError,
    Strict,
    cell_place,
    cell_text,
    finish_frame,
    load_mapping,
    mappings_dir,
    parse_mapping,
    parse_period,
    read_yaml,
    region_key,
    value_problems,
)
from indicators.ingest.values import parse_series
from indicators.keys import REGION_KEY
from indicators.store import Store, one_row

FORMAT = "zuordnung"
LABEL = "Tabelle mit Spaltenzuordnung (Profil)"
_CODE = re.compile(r"^[a-z0-9_\-]+$")


class Source(Strict):
    """Where a field comes from: a column of the file, a fixed value, or (year only) the title rows."""

    column: str | None = None
    value: str | int | None = None
    codes: dict[str, str] = Field(default_factory=dict)  # labels in the column -> codes / region keys
    from_title: str | None = None  # a word in the rows above the header followed by a date or year ('Stand')

    @model_validator(mode="after")
    def _one(self) -> Source:
        given = [x for x in (self.column, self.value, self.from_title) if x not in (None, "")]
        if len(given) != 1:
            raise ValueError("genau eine Angabe von 'column', 'value' oder 'from_title' erwartet")
        return self


class ValueColumn(Strict):
    column: str
    variable: Ident | None = None
    dimensions: Dims = Field(default_factory=dict)


class ProfileSpec(Strict):
    name: Annotated[str, Field(min_length=1, max_length=80)]
    title: str = ""
    sheet: str | None = None
    header_row: int = Field(1, ge=1, le=100_000)
    decimal: Literal[",", "."] = ","
    label_column: str | None = None
    region: Source
    region_name_column: str | None = None
    year: Source
    variable: Source | None = None
    value_column: str | None = None
    values: list[ValueColumn] = Field(default_factory=list)
    dimensions: dict[Dim, Source] = Field(default_factory=dict)
    flag_column: str | None = None
    aggregate: Literal["none", "sum"] = "none"

    @model_validator(mode="after")
    def _layout(self) -> ProfileSpec:
        if bool(self.value_column) == bool(self.values):
            raise ValueError("entweder 'value_column' (lange Form) oder 'values' (breite Form) angeben")
        if self.value_column and self.variable is None:
            raise ValueError("in der langen Form fehlt 'variable' (fester Wert oder Spalte)")
        if (
            self.values
            and any(v.variable is None for v in self.values)
            and (self.variable is None or self.variable.value is None)
        ):
            raise ValueError("jede Wertspalte braucht 'variable' (oder ein fester Wert unter 'variable')")
        if self.region.from_title or (self.variable and self.variable.from_title):
            raise ValueError("'from_title' gibt es nur beim Jahr")
        keys = ([self.region.value] if self.region.value is not None else []) + list(self.region.codes.values())
        wrong = [k for k in keys if not isinstance(k, str) or not REGION_KEY.match(k)]
        if wrong:
            raise ValueError(
                f"Regionalschlüssel „{wrong[0]}“ ungültig; Schlüssel bitte in Anführungszeichen angeben "
                '(z. B. "03157"), sonst geht die führende 0 verloren'
            )
        return self

    def columns(self) -> list[str]:
        """Every column of the file the profile refers to."""
        cols = [
            self.label_column,
            self.region.column,
            self.region_name_column,
            self.year.column,
            self.value_column,
            self.flag_column,
            self.variable.column if self.variable else None,
        ]
        cols += [v.column for v in self.values] + [s.column for s in self.dimensions.values()]
        return [c for c in dict.fromkeys(cols) if c]


def load_spec(data: object, label: str = "Zuordnungsprofil") -> ProfileSpec:
    """Validate a profile given as dict/YAML text; German errors name the profile and the entry."""
    if isinstance(data, ProfileSpec):
        return data
    if isinstance(data, str):
        import yaml

        data = yaml.safe_load(data)
    return parse_mapping(data, ProfileSpec, label)


# -- reading a file with a profile -----------------------------------------------------------------
class MappingReader:
    """A reader driven by a profile (not auto-detected: chosen by the user or by a matching signature)."""

    format = FORMAT

    def __init__(self, spec: ProfileSpec | dict[str, Any]):
        self.spec = load_spec(spec)
        self.label = f"{LABEL} „{self.spec.name}“"

    def sniff(self, raw: RawFile) -> str | None:
        try:
            sheet, rows, _ = _table(raw, self.spec)
        except RejectFile:
            return None
        where = f"Blatt „{sheet}“, " if sheet else ""
        return f"{where}Zeile {self.spec.header_row} enthält die Spalten des Profils „{self.spec.name}“."

    def read(self, raw: RawFile) -> ParsedFile:
        spec = self.spec
        sheet, rows, lines = _table(raw, spec)
        header = _header_index(rows[spec.header_row - 1])
        assumptions = {
            "Zuordnungsprofil": spec.name,
            "Kopfzeile": f"Zeile {spec.header_row}",
            "Dezimalzeichen": "Komma" if spec.decimal == "," else "Punkt",
        }
        if sheet:
            assumptions["Blatt"] = sheet
        else:
            table = read_text_table(raw)
            assumptions.update(table.assumptions())
        problems: list[Problem] = []
        body = _body(raw, spec, sheet, rows, lines, header, problems)
        frame = _long_frame(raw, spec, sheet, rows, body, lines, header, problems, assumptions)
        accounting = None
        if spec.aggregate == "sum" and len(frame):
            # the reconciliation counts the cells of the list, not the sums ('Zeile 5 bis 9, Spalten B, C, D, E:
            # 20 Zellen … (summiert zu 4 Werten)', not 'Zeile 5 bis 5 … 4 Zellen')
            cells = ParsedFile(raw, FORMAT, self.label, "", finish_frame(frame.copy()), {}, problems)
            accounting = row_accounting(cells)
            frame = _summed(frame, assumptions)
            if accounting is not None:
                accounting.summed_to = len(frame)
        names: dict[str, str] = {}
        if spec.region_name_column:
            j = header[header_key(spec.region_name_column)]
            for i in body:
                key = _region_of(spec, rows[i], header)
                if key:
                    names.setdefault(key, cell_text(rows[i][j]) if j < len(rows[i]) else "")
        parsed = ParsedFile(raw, FORMAT, self.label, "", finish_frame(frame), assumptions, problems, names)
        parsed.accounting = accounting
        return parsed


def _table(raw: RawFile, spec: ProfileSpec) -> tuple[str | None, list[list[object]], list[int]]:
    """The sheet (or text rows) whose header row holds every column of the profile."""
    wanted = {header_key(c) for c in spec.columns()}
    if raw.extension in SPREADSHEET_EXT:
        sheets = read_sheets(raw)
        candidates = [s for s in sheets if spec.sheet in (None, "", s.name)]
        for sh in candidates:
            if len(sh.rows) >= spec.header_row and wanted <= set(_header_index(sh.rows[spec.header_row - 1])):
                return sh.name, sh.rows, list(range(1, len(sh.rows) + 1))
        first = candidates[0] if candidates else None
        present = (
            [cell_text(v) for v in first.rows[spec.header_row - 1]]
            if first and len(first.rows) >= spec.header_row
            else []
        )
        raise _missing_columns(raw, spec, wanted, present, first.name if first else spec.sheet)
    if raw.extension not in TEXT_EXT:
        raise RejectFile(raw.error(f"Dateiendung .{raw.extension} wird von Zuordnungsprofilen nicht gelesen."))
    table = read_text_table(raw)
    rows = table.rows
    present = rows[spec.header_row - 1] if len(rows) >= spec.header_row else []
    if not wanted <= set(_header_index(present)):
        raise _missing_columns(raw, spec, wanted, present, None)
    return None, cast("list[list[object]]", rows), table.line_numbers


def _missing_columns(
    raw: RawFile, spec: ProfileSpec, wanted: set[str], present: list[Any], sheet: str | None
) -> RejectFile:
    have = {header_key(p) for p in present}
    missing = [c for c in spec.columns() if header_key(c) not in have]
    shown = ", ".join(f"„{cell_text(p)}“" for p in present if cell_text(p)) or "(leer)"
    return RejectFile(
        raw.error(
            f"Das Profil „{spec.name}“ passt nicht: in Kopfzeile {spec.header_row} fehlen die Spalten "
            + ", ".join(f"„{m}“" for m in missing)
            + f". Vorhanden: {shown}.",
            sheet,
            spec.header_row,
        )
    )


def _header_index(row: Sequence[object]) -> dict[str, int]:
    out: dict[str, int] = {}
    for j, v in enumerate(row):
        key = header_key(cell_text(v))
        if key and key not in out:
            out[key] = j
    return out


def _cell(row: list[object], j: int) -> object:
    return row[j] if j < len(row) else None


def _label_col(spec: ProfileSpec, header: dict[str, int]) -> int:
    name = spec.label_column or spec.region.column
    return header[header_key(name)] if name else 0


def _value_cols(spec: ProfileSpec, header: dict[str, int]) -> list[int]:
    cols = [spec.value_column] if spec.value_column else [v.column for v in spec.values]
    return [header[header_key(c)] for c in cols]


def _body(
    raw: RawFile,
    spec: ProfileSpec,
    sheet: str | None,
    rows: list[list[object]],
    lines: list[int],
    header: dict[str, int],
    problems: list[Problem],
) -> list[int]:
    """Data rows below the header: empty rows dropped, totals rows skipped with a warning."""
    label_col = _label_col(spec, header)
    value_cols = _value_cols(spec, header)
    formulas = formula_cells_without_value(raw, sheet) if sheet else set()
    body = []
    for i in range(spec.header_row, len(rows)):
        row = rows[i]
        if not any(cell_text(v) for v in row):
            continue
        label = header_key(cell_text(_cell(row, label_col)))
        if label in TOTAL_WORDS or label.startswith(("summe ", "gesamt ")):
            without = [column_letter(j) for j in value_cols if (lines[i], j) in formulas]
            extra = (
                (
                    f" Ihre Formeln (Spalte {', '.join(without)}) haben kein gespeichertes Ergebnis; das ist hier "
                    "unschädlich."
                )
                if without
                else ""
            )
            problems.append(
                raw.warning(
                    f"Summenzeile „{cell_text(_cell(row, label_col))}“ übersprungen (nicht als Daten gelesen).{extra}",
                    sheet,
                    lines[i],
                    cell_text(_cell(rows[spec.header_row - 1], label_col)) or column_letter(label_col),
                )
            )
            continue
        body.append(i)
    return body


def _region_of(spec: ProfileSpec, row: list[object], header: dict[str, int]) -> str | None:
    if spec.region.value is not None:
        return str(spec.region.value)
    v = _cell(row, header[header_key(spec.region.column)])
    mapped = lookup(spec.region.codes).get(header_key(cell_text(v)))
    return str(mapped) if mapped else region_key(v)


def _title_period(
    raw: RawFile, spec: ProfileSpec, rows: list[list[object]], sheet: str | None
) -> tuple[int, object, str]:
    word = header_key(spec.year.from_title)
    for i in range(spec.header_row - 1):
        for v in rows[i]:
            text = cell_text(v)
            pos = header_key(text).find(word)
            if text and pos >= 0:
                period = parse_period(text[pos + len(word) :].lstrip(" :"))
                if period:
                    return period[0], period[1], f"„{text}“ (Zeile {i + 1})"
    raise RejectFile(raw.error(f"Über der Kopfzeile steht kein „{spec.year.from_title}“ mit Datum oder Jahr.", sheet))


def _long_frame(
    raw: RawFile,
    spec: ProfileSpec,
    sheet: str | None,
    rows: list[list[object]],
    body: list[int],
    lines: list[int],
    header: dict[str, int],
    problems: list[Problem],
    assumptions: dict[str, str],
) -> pd.DataFrame:
    """One record per value cell with variable, region, year, dimensions and the source position."""
    base = pd.DataFrame({"source_row": [lines[i] for i in body]})
    base["source_sheet"] = sheet
    errors: list[tuple[int, str, str]] = []  # (row index in body, column, message)
    _fill_region(spec, rows, body, header, base, errors, assumptions)
    _fill_year(raw, spec, rows, body, header, base, errors, assumptions, sheet)
    for dim, src in spec.dimensions.items():
        _fill_code(spec, src, dim, rows, body, header, base, errors)
    if spec.variable is not None:
        _fill_code(spec, spec.variable, "variable", rows, body, header, base, errors)
    if spec.flag_column:
        j = header[header_key(spec.flag_column)]
        base["flag_col"] = [cell_text(_cell(rows[i], j)) or None for i in body]
    columns = (
        [(spec.value_column, None, {})]
        if spec.value_column
        else [(v.column, v.variable, v.dimensions) for v in spec.values]
    )
    parts = []
    for col, variable, dims in columns:
        j = header[header_key(col)]
        part = base.copy()
        part["source_column"] = cell_place(j, col)
        part["col"] = j
        if variable:
            part["variable"] = variable
        for dim, code in dims.items():
            part[dim] = code
        cells = pd.Series([_cell(rows[i], j) for i in body], dtype=object)
        parsed = parse_series(cells, spec.decimal)
        problems += value_problems(raw, part, parsed, spreadsheet=sheet is not None, contents=cells)
        part["value"] = parsed["value"].to_numpy()
        part["flag"] = parsed["flag"].to_numpy()
        if "flag_col" in part:
            part["flag"] = [
                ",".join(sorted({*(a.split(",") if a else []), *(b.split(",") if b else [])})) or None
                for a, b in zip(part["flag"], part.pop("flag_col"))
            ]
        parts.append(part[parsed["error"].isna().to_numpy()])
    for idx, col, msg in errors[:50]:
        problems.append(raw.error(msg, sheet, lines[body[idx]], col))
    if len(errors) > 50:
        problems.append(
            Problem(
                "fehler",
                f"… und {len(errors) - 50} weitere Zellen, die sich nicht zuordnen lassen.",
                raw.name,
                sheet,
                more=len(errors) - 50,
            )
        )
    bad_rows = {e[0] for e in errors}
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if bad_rows and len(frame):
        keep = ~frame["source_row"].isin([lines[body[i]] for i in bad_rows])
        frame = frame[keep]
    assumptions["Spalten"] = "; ".join(
        f"{c} → {v or 'Variable aus Spalte'}" + "".join(f", {DIM_LABELS[d]} {x}" for d, x in dims.items())
        for c, v, dims in columns
    )
    return frame.drop(columns=["col"], errors="ignore")


def _fill_region(
    spec: ProfileSpec,
    rows: list[list[object]],
    body: list[int],
    header: dict[str, int],
    base: pd.DataFrame,
    errors: list[Any],
    assumptions: dict[str, str],
) -> None:
    if spec.region.value is not None:
        base["region"] = str(spec.region.value)
        assumptions["Region"] = f"fest {spec.region.value}" + (
            " (alle Zeilen summiert)" if spec.aggregate == "sum" else ""
        )
        return
    keys = [_region_of(spec, rows[i], header) for i in body]
    for n, k in enumerate(keys):
        if k is None:
            shown = cell_text(_cell(rows[body[n]], header[header_key(spec.region.column)]))
            errors.append(
                (n, spec.region.column, f"Kein Regionalschlüssel und kein zugeordneter Name: „{shown[:40]}“.")
            )
    base["region"] = keys
    assumptions["Region"] = f"Spalte {spec.region.column}"


def _fill_year(
    raw: RawFile,
    spec: ProfileSpec,
    rows: list[list[object]],
    body: list[int],
    header: dict[str, int],
    base: pd.DataFrame,
    errors: list[Any],
    assumptions: dict[str, str],
    sheet: str | None,
) -> None:
    if spec.year.from_title:
        year, ref, where = _title_period(raw, spec, rows, sheet)
        base["year"], base["ref_date"] = year, ref
        assumptions["Jahr"] = f"{year} aus {where}"
        return
    if spec.year.value is not None:
        base["year"], base["ref_date"] = int(spec.year.value), None
        assumptions["Jahr"] = f"fest {spec.year.value}"
        return
    j = header[header_key(spec.year.column)]
    periods = [parse_period(_cell(rows[i], j)) for i in body]
    for n, p in enumerate(periods):
        if p is None:
            errors.append(
                (n, spec.year.column, f"Keine Jahreszahl und kein Datum: „{cell_text(_cell(rows[body[n]], j))[:30]}“.")
            )
    base["year"] = [p[0] if p else None for p in periods]
    base["ref_date"] = [p[1] if p else None for p in periods]
    assumptions["Jahr"] = f"Spalte {spec.year.column}"


def _fill_code(
    spec: ProfileSpec,
    src: Source,
    target: str,
    rows: list[list[object]],
    body: list[int],
    header: dict[str, int],
    base: pd.DataFrame,
    errors: list[Any],
) -> None:
    if src.value is not None:
        base[target] = str(src.value)
        return
    j = header[header_key(src.column)]
    table = lookup(src.codes)
    values = []
    for n, i in enumerate(body):
        text = cell_text(_cell(rows[i], j))
        code = (
            table.get(header_key(text))
            or (text if _CODE.match(text) else None)
            or ("insgesamt" if not text and target != "variable" else None)
        )
        if code is None:
            errors.append(
                (
                    n,
                    src.column,
                    f"„{text[:40]}“ ist keinem Code zugeordnet (Profil „{spec.name}“, "
                    f"{'Variable' if target == 'variable' else DIM_LABELS[target]} → codes).",
                )
            )
        values.append(code)
    base[target] = values


def _summed(frame: pd.DataFrame, assumptions: dict[str, str]) -> pd.DataFrame:
    """All rows per key summed (a missing part makes the sum missing; flags are merged)."""
    keys = ["variable", "region", "year", "nationality", "sex", "age_group", "category"]
    for k in keys:
        if k not in frame:
            frame[k] = "insgesamt"
    frame = frame.copy()
    frame["ref_date"] = frame["ref_date"].astype(object) if "ref_date" in frame else None
    grouped = frame.groupby(keys, sort=False, dropna=False)
    out = grouped.agg(
        value=("value", lambda s: s.sum() if s.notna().all() else np.nan),
        flag=("flag", lambda s: ",".join(sorted({p for f in s if isinstance(f, str) for p in f.split(",")})) or None),
        ref_date=("ref_date", "first"),
        source_row=("source_row", "min"),
        source_sheet=("source_sheet", "first"),
        source_column=("source_column", "first"),
        rows=("source_row", "count"),
        first=("source_row", "min"),
        last=("source_row", "max"),
    ).reset_index()
    if len(out):
        assumptions["Summiert"] = (
            f"je Schlüssel {int(out['rows'].max())} Zeilen (Zeile {int(out['first'].min())} bis "
            f"{int(out['last'].max())}) zu einem Wert"
        )
    return out.drop(columns=["rows", "first", "last"])


# -- profiles in the store -------------------------------------------------------------------------
def signature_of(cells: list[object]) -> str:
    """Fingerprint of a header row: the non-empty cells, normalised, in order."""
    text = "|".join(header_key(cell_text(c)) for c in cells if cell_text(c))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _file_signature(raw: RawFile, spec: ProfileSpec) -> str | None:
    try:
        _, rows, _ = _table(raw, spec)
    except RejectFile:
        return None
    return signature_of(rows[spec.header_row - 1])


def save_profile(
    store: Store, name: str, spec: ProfileSpec | dict[str, Any], user: str, raw: RawFile | None = None
) -> ProfileSpec:
    """Save (or replace) a profile under ``name``; with ``raw`` the file's header becomes its signature."""
    user = auth.require(auth.PROFILES, user)  # issue 11: the core checks the role
    data = spec.model_dump() if isinstance(spec, ProfileSpec) else dict(spec)
    data["name"] = name
    spec = load_spec(data, f"Zuordnungsprofil „{name}“")
    signature = _file_signature(raw, spec) if raw is not None else None
    with store.transaction() as cur:
        cur.execute("DELETE FROM mapping_profiles WHERE name = ?", [name])
        cur.execute(
            "INSERT INTO mapping_profiles (name, created_at, created_by, signature, spec) VALUES (?, ?, ?, ?, ?)",
            [name, dt.datetime.now(), user, signature, json.dumps(spec.model_dump(mode="json"), ensure_ascii=False)],
        )
        store.audit(cur, user, "profil_gespeichert", name, {"signature": signature})
    return spec


def delete_profile(store: Store, name: str, user: str) -> None:
    """Delete a saved profile (recorded in the audit log). Shipped examples are files and stay; a saved
    profile that replaced a shipped one of the same name makes the example visible again.
    Raises :class:`MappingError` (German) for a shipped example or a name that is not (or no longer) saved."""
    user = auth.require(auth.PROFILES, user)  # issue 11: the core checks the role
    with store.transaction() as cur:
        deleted = one_row(cur.execute("DELETE FROM mapping_profiles WHERE name = ?", [name]).fetchone())[0]
        if deleted:
            store.audit(cur, user, "profil_geloescht", name, {})
    if not deleted:
        if any(spec.name == name for spec in shipped_profiles()):
            raise MappingError(
                f"Zuordnungsprofil „{name}“ ist ein mitgeliefertes Beispiel (gehört zum "
                "Programm) und wird nicht gelöscht."
            )
        raise MappingError(f"Zuordnungsprofil „{name}“ gibt es nicht (mehr).")


def shipped_profiles() -> list[ProfileSpec]:
    """Example profiles shipped as ``mappings/profile_*.yaml``."""
    out = []
    for path in sorted(mappings_dir().glob("profile_*.yaml")):
        try:
            out.append(load_mapping(path.name, ProfileSpec))  # read again only when the file changes
        except MappingError:
            continue  # a broken example must not block the saved profiles; load_profile_file names the error
    return out


def load_profile_file(path: str | os.PathLike[str]) -> ProfileSpec:
    from pathlib import Path

    path = Path(path)
    return load_spec(read_yaml(path), f"Zuordnungsdatei {path.name}")


def list_profiles(store: Store) -> list[dict[str, Any]]:
    """Saved profiles (newest definition per name) and the shipped examples not overridden by a saved one."""
    df = store.query_df("SELECT name, created_at, created_by, signature, spec FROM mapping_profiles ORDER BY name")
    out = []
    for r in df.to_dict("records"):
        spec = json.loads(r["spec"]) if isinstance(r["spec"], str) else r["spec"]
        out.append(
            {
                "name": r["name"],
                "title": spec.get("title", ""),
                "created_at": r["created_at"],
                "created_by": r["created_by"],
                "signature": r["signature"],
                "origin": "gespeichert",
                "spec": spec,
            }
        )
    saved = {p["name"] for p in out}
    for spec in shipped_profiles():
        if spec.name not in saved:
            out.append(
                {
                    "name": spec.name,
                    "title": spec.title,
                    "created_at": None,
                    "created_by": None,
                    "signature": None,
                    "origin": "mitgeliefert",
                    "spec": spec.model_dump(mode="json"),
                }
            )
    return out


def get_profile(store: Store, name: str) -> ProfileSpec | None:
    for p in list_profiles(store):
        if p["name"] == name:
            return load_spec(p["spec"], f"Zuordnungsprofil „{name}“")
    return None


def find_profile_for(store: Store, raw: RawFile) -> ProfileSpec | None:
    """A profile for a file of the same shape: same header signature, else (profiles without signature)
    every column the profile needs is in its header row."""
    fallback = None
    for p in list_profiles(store):
        try:
            spec = load_spec(p["spec"])
        except MappingError:
            continue
        sig = _file_signature(raw, spec)
        if sig is None:
            continue
        if p["signature"] and sig == p["signature"]:
            return spec
        if not p["signature"] and fallback is None:
            fallback = spec
    return fallback
