"""From bytes to committed base data: check, recognise, read, validate, preview, commit, roll back.

Nothing is written before :func:`commit`; a commit is one transaction that stores the observations,
records the upload, writes the audit entry and recomputes every indicator, or does none of it.
The original bytes are archived under their checksum; the transaction commits only once they are on disk.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from indicators import auth
from indicators import regions as reg
from indicators import texts as T
from indicators.catalog import NATIONALITIES, SEXES, Catalog
from indicators.compute import apply_upload, recompute_in
from indicators.config import DEFAULT_OWN_REGION, MIN_YEAR, Settings
from indicators.errors import UserError, report
from indicators.fmt import fmt_date, fmt_exact, fmt_num
from indicators.ingest.base import (
    STORED_COLUMNS,
    Accounting,
    ParsedFile,
    Problem,
    RawFile,
    Reader,
    RejectFile,
    Severity,
    distinct_values,
    empty_frame,
    label_for,
    place_text,
    row_accounting,
)
from indicators.ingest.files import check_container, gc_paused, release_parse_cache
from indicators.ingest.sources.common import combined_key
from indicators.status import ImportStatus, UploadStatus
from indicators.store import OBS_KEY, Store, one_row

if TYPE_CHECKING:
    from indicators.ingest.impact import Impact

MAX_LISTED = 200  # problems listed one by one per kind; the rest are counted
#: the key fields with their article in the genitive ("Code des Geschlechts"), for messages
GENITIVE = {
    "nationality": "der Staatsangehörigkeit",
    "sex": "des Geschlechts",
    "age_group": "der Altersgruppe",
    "category": "der Kategorie",
}


def readers() -> list[Reader]:
    """The source formats, most specific first. Each recognises its files by content."""
    from indicators.ingest import sources  # the real exports: GENESIS, BA, Open SDG, own lists
    from indicators.ingest.template_reader import TemplateReader

    return [*sources.READERS, TemplateReader()]


#: the format label of a file no format recognised
UNRECOGNISED = "nicht erkannt"


def rejected_file(
    raw: RawFile, problem: Problem, reasoning: str = "", reader: Reader | None = None, table_found: bool | None = None
) -> ParsedFile:
    """A file that cannot be taken over, with its one reason. ``reader``: the format that recognised the
    file before it rejected it (its label is kept; a table was found); without one, ``table_found`` says
    whether the file holds a table that a column mapping could read."""
    return ParsedFile(
        raw,
        "unbekannt",
        label_for(reader, raw) if reader is not None else UNRECOGNISED,
        reasoning,
        empty_frame(),
        {},
        [problem],
        table_found=reader is not None if table_found is None else table_found,
    )


def detect(raw: RawFile) -> tuple[Reader | None, str]:
    """The first reader that recognises the file by its content, and the reasoning (German):
    which formats were checked in which order, and why the chosen one fits."""
    rejected: list[str] = []
    for candidate in readers():
        try:
            why = candidate.sniff(raw)
        except Exception:  # a sniff must never decide by crashing
            why = None
        if why:
            before = f" Vorher geprüft und verworfen: {', '.join(rejected)}." if rejected else ""
            return candidate, f"Erkannt als {label_for(candidate, raw)}: {why}{before}"
        rejected.append(label_for(candidate, raw))
    return None, "Geprüft und verworfen: " + ", ".join(rejected) + "."


def _unrecognised(raw: RawFile, reasoning: str) -> tuple[Problem, bool]:
    """Why no format fits, as specific as the content allows, and whether the file holds a table at all."""
    from indicators.ingest.files import SPREADSHEET_EXT, head_text, read_sheets

    if raw.extension in SPREADSHEET_EXT:
        sheets = read_sheets(raw)
        filled = [(sh, [[c for c in r if c not in (None, "")] for r in sh.rows]) for sh in sheets]
        filled = [(sh, [r for r in rows if r]) for sh, rows in filled]
        if not sheets:
            return raw.error("Die Arbeitsmappe enthält kein Tabellenblatt und damit keine Tabelle."), False
        if all(not rows for _, rows in filled):
            return raw.error("Die Arbeitsmappe enthält keine Tabelle: alle Blätter sind leer."), False
        if all(len(rows) <= 2 and all(len(r) == 1 for r in rows) for _, rows in filled):
            return raw.error(
                "Die Arbeitsmappe enthält nur einen Titel und keine Tabelle (keine Kopfzeile mit Spalten, keine Werte)."
            ), False
    else:
        lines = [ln for ln in head_text(raw).splitlines() if ln.strip()]
        if not lines:
            return raw.error("Die Datei enthält keinen Text (nur Leerzeilen oder Leerzeichen)."), False
        if not any(sep in ln for ln in lines for sep in (";", ",", "\t")):
            return raw.error(
                "Die Datei enthält keine Tabelle: kein Trennzeichen (Semikolon, Komma, Tabulator) gefunden."
            ), False
        if not _columns_in(lines):
            return raw.error(
                "Die Datei enthält keine Tabelle, sondern Fließtext: kein Trennzeichen (Semikolon, Komma, "
                "Tabulator) teilt ihre Zeilen gleichmäßig in Spalten."
            ), False
    return raw.error(
        "Das Format wurde nicht erkannt: weder die Vorlage des Integrationsmonitors noch eine bekannte Exportform "
        f"(GENESIS, BA, Open SDG). {reasoning} Für andere Tabellen bitte eine Spaltenzuordnung (Profil) anlegen."
    ), True


def _columns_in(lines: list[str]) -> bool:
    """Whether text lines look like a table: one separator splits most of them into the same number of columns
    (prose has commas too, but in no regular number)."""
    from collections import Counter

    sample = lines[:200]
    for sep in (";", "\t", ","):
        counts = Counter(ln.count(sep) for ln in sample)
        common = [(n, k) for k, n in counts.most_common() if k >= 1]
        if common and common[0][0] >= max(2, 0.5 * len(sample)):
            return True
    return False


def parse(raw: RawFile, settings: Settings, reader: Reader | None = None) -> ParsedFile:
    """Recognise and read one file. Never raises for bad input: problems come back in the result.

    A rejected file carries one reason; ``table_found`` is False where no table was found (the container,
    the content or the sheets), and a format that recognised the file keeps its label. A text once opened with the
    wrong character set and saved again is named as such (:func:`encoding_problem`), not as unknown labels."""
    parsed = _parse(raw, settings, reader)
    try:
        encoding_problem(raw, parsed)
    except Exception as exc:  # a bug of the check must not reach the user as a traceback
        parsed.problems.append(_internal(raw, exc))
    return parsed


def encoding_problem(raw: RawFile, parsed: ParsedFile) -> None:
    """Name a text file's wrong character set (:func:`indicators.ingest.files.repair_mojibake`) with the place and
    what stands there: repaired ('AuslÃ¤nder' → 'Ausländer'), a warning; lost letters ('Ausl\ufffdnder'), an error
    in place of the unknown labels they cause (a warning where the file could be read all the same)."""
    from indicators.ingest.files import column_letter, kind_of, looks_mangled, mojibake_of

    found = mojibake_of(raw)
    if found is None:
        if parsed.table_found and kind_of(raw) in ("zip", "ole"):
            _mangled_cell(raw, parsed)
        return
    m, line, col = found
    n = f"{_de(m.count)} {'Stelle' if m.count == 1 else 'Stellen'}"
    if m.repaired is not None:
        problem = raw.warning(
            T.ENCODING_REPAIRED.format(found=m.found, repaired=m.repaired, n=n), None, line, column_letter(col - 1)
        )
    else:
        severity: Severity = "fehler" if not parsed.ok else "warnung"
        problem = Problem(
            severity, T.ENCODING_LOST.format(found=m.found, n=n), raw.name, None, line, column_letter(col - 1)
        )
        if severity == "fehler":  # the unknown labels are its consequence: no call for the administration
            parsed.problems = [p for p in parsed.problems if not looks_mangled(p.message)]
    parsed.problems.insert(0, problem)


def _mangled_cell(raw: RawFile, parsed: ParsedFile) -> None:
    """A workbook cell read with the wrong character set before the file was saved ('AuslÃ¤nder' in an .xlsx):
    named with sheet, row, column and what to do; not repaired (an error where the file is refused anyway, in place
    of the unknown labels it causes; else a warning)."""
    from indicators.ingest.files import column_letter, looks_mangled, mojibake_in_sheets

    found = mojibake_in_sheets(raw)
    if found is None:
        return
    sheet, row, col, m = found
    meant = T.ENCODING_MEANT.format(repaired=m.repaired) if m.repaired else ""
    severity: Severity = "fehler" if not parsed.ok else "warnung"
    problem = Problem(
        severity, T.ENCODING_CELL.format(found=m.found, meant=meant), raw.name, sheet, row, column_letter(col)
    )
    if severity == "fehler":
        parsed.problems = [p for p in parsed.problems if not looks_mangled(p.message)]
    parsed.problems.insert(0, problem)


def _parse(raw: RawFile, settings: Settings, reader: Reader | None = None) -> ParsedFile:
    reasoning = ""
    chosen: Reader | None = None  # the format that recognised the file (or was given)
    try:
        check_container(raw, settings.max_upload_bytes, settings.max_unpacked_bytes)
        if reader is None:
            reader, reasoning = detect(raw)
            if reader is None:
                problem, table_found = _unrecognised(raw, reasoning)
                return rejected_file(raw, problem, reasoning, table_found=table_found)
        else:
            why = reader.sniff(raw)
            reasoning = f"Vorgegeben: {label_for(reader, raw)}." + (f" {why}" if why else "")
        chosen = reader
        parsed = reader.read(raw)
        if parsed.accounting is None:
            parsed.accounting = row_accounting(parsed)
        else:
            _count_left_out(parsed)
        parsed.reasoning = parsed.reasoning or reasoning
        parsed.assumptions = {"Format": parsed.format_label, "Erkannt, weil": parsed.reasoning, **parsed.assumptions}
        return parsed
    except RejectFile as exc:
        return rejected_file(raw, exc.problem, reasoning, chosen)
    except MemoryError:
        return rejected_file(raw, raw.error("Die Datei ist zu groß, um sie im Speicher zu verarbeiten."), reasoning)
    except Exception as exc:  # a reader bug must not reach the user as a traceback
        return rejected_file(raw, _internal(raw, exc), reasoning, chosen)


def _count_left_out(parsed: ParsedFile) -> None:
    """A reader's own reconciliation counts a cell left out with a warning among the refused: counted apart, so
    that the sentence says what happened ('+ 1 mit Warnung ausgelassen', not '1 abgelehnt' beside no error)."""
    acc = parsed.accounting
    if acc is None:
        return
    left = [p for p in parsed.problems if p.left_out]
    n = min(len(left), acc.refused_count)
    acc.refused_count -= n
    acc.left_out += n
    # the listed cells too: a cell left out is listed under its own heading, never among the refused ones
    places = {(p.sheet, p.row, _letters(p.column)) for p in left}
    acc.left_out_cells += [
        c for c in acc.refused if (c.get("sheet"), c.get("row"), _letters(c.get("column"))) in places
    ]
    acc.refused = [c for c in acc.refused if (c.get("sheet"), c.get("row"), _letters(c.get("column"))) not in places]
    if "Datenblock" in parsed.assumptions:  # the reader wrote its sentence before the cells were counted apart
        parsed.assumptions["Datenblock"] = acc.text()


def _letters(column: object) -> str:
    """'D (Insgesamt / Insgesamt)' → 'D': a problem names the column with its label, the reconciliation by letter."""
    return str(column or "").split(" ")[0]


def _internal(raw: RawFile, exc: BaseException) -> Problem:
    return raw.error(
        f"Die Datei konnte nicht gelesen werden. {report(exc, f'Lesen von {raw.name}')} "
        "Bitte wenden Sie sich mit der Datei an die Administration."
    )


def _listed(
    problems: list[Problem],
    raw: RawFile,
    found: pd.DataFrame,
    message: str,
    column: str,
    severity: Severity = "fehler",
    own_column: bool = False,
    parsed: ParsedFile | None = None,
) -> None:
    """Add one problem per offending row (up to MAX_LISTED) and a count of the rest.

    The problem names the value's column, or with ``own_column`` the given column (a code column: the file's own
    column of it where the reader names one, see ``ParsedFile.key_columns``). With ``parsed``, the rows only counted
    are remembered for the number of rows with errors."""
    if found.empty:
        return
    for rec in found.head(MAX_LISTED).itertuples(index=False):
        source = getattr(rec, "source_column", None)
        problems.append(
            Problem(
                severity,
                message.format(**_german_values(rec._asdict())),
                raw.name,
                rec.source_sheet,
                rec.source_row,
                column if own_column else (place_text(source) or column),
            )
        )
    if len(found) > MAX_LISTED:
        rest = found.iloc[MAX_LISTED:]
        problems.append(
            Problem(
                severity,
                f"… und {_de(len(rest))} weitere Zeilen mit demselben Problem ({message.split(':')[0]}).",
                raw.name,
                None,
                None,
                column,
                more=len(rest),
            )
        )
        if parsed is not None and severity == "fehler":
            for sheet, part in rest.groupby(rest["source_sheet"].astype(object).fillna(""), sort=False):
                parsed.note_unlisted_errors(sheet or None, part["source_row"].to_numpy())


def _codes(col: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Integer codes (-1 = missing) and the distinct values of a column; categoricals are not hashed again."""
    if isinstance(col.dtype, pd.CategoricalDtype):  # (iterating an Arrow-backed index is slow: via numpy)
        return col.cat.codes.to_numpy().astype(np.int64), col.cat.categories.to_numpy(dtype=object).tolist()
    codes, uniques = pd.factorize(col)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object).tolist()


class _Keys:
    """The observation key of every row of the canonical frame as integer codes (computed once)."""

    def __init__(self, d: pd.DataFrame):
        self.n = len(d)
        self.codes: dict[str, np.ndarray] = {}
        self.uniques: dict[str, list[Any]] = {}
        for k in OBS_KEY:
            self.codes[k], self.uniques[k] = _codes(d[k])

    def combined(self, without: str | None = None) -> np.ndarray:
        return combined_key([(self.codes[k], len(self.uniques[k])) for k in OBS_KEY if k != without], self.n)

    def isin(self, dim: str, values: Iterable[Any]) -> np.ndarray:
        """For every row: whether its value of column ``dim`` is one of ``values`` (decided once per distinct value)."""
        wanted = set(values)
        return cast(
            np.ndarray, np.asarray([v in wanted for v in self.uniques[dim]] + [False], dtype=bool)[self.codes[dim]]
        )

    def per_row(self, dim: str, table: dict[str, Any], default: Any = None) -> np.ndarray:
        """``table[value]`` for every row of column ``dim``, looked up once per distinct value."""
        lut = np.asarray([table.get(v, default) for v in self.uniques[dim]] + [default])
        return cast(np.ndarray, lut[self.codes[dim]])


def validate(
    parsed: ParsedFile,
    store: Store,
    catalog: Catalog,
    today: dt.date | None = None,
    own_region: str = DEFAULT_OWN_REGION,
) -> ParsedFile:
    """Checks against the catalog and the region list; adds problems to ``parsed`` (errors block).

    Regions: an official file's regions outside the own area (``own_region`` and its Gemeinden) are comparison
    regions (taken over at the commit, see :mod:`indicators.regions`); unknown keys of the own area, and every
    unknown key of an own list or the template, are errors.

    Large files: every check works on the integer codes of the key columns (:class:`_Keys`), never on
    the text of two million rows."""
    d = parsed.data
    raw = parsed.raw
    p = parsed.problems
    rest = parsed.incomplete_rows  # rows a reader left out for another error: their codes are checked as well
    if d.empty:
        if not parsed.errors:
            p.append(raw.error("Die Datei enthält keine Datenzeilen (nur Kopfzeilen oder leer)."))
        if rest is not None and len(rest):
            _code_checks(parsed, catalog, None, rest)
        parsed.sort_problems()
        return parsed
    keys = _Keys(d)
    max_year = (today or dt.date.today()).year + 1
    own = parsed.key_columns  # the file's column of a key field (the template), else the value's column
    _code_checks(parsed, catalog, keys, rest)
    _unknown_regions(parsed, store, keys, own_region)
    _own_list_of_another_kreis(parsed, store, keys, own_region)
    year = d["year"].to_numpy()
    bad_year = d[(year < MIN_YEAR) | (year > max_year)]
    _listed(
        p,
        raw,
        bad_year,
        f"Jahr {{year}} liegt außerhalb von {MIN_YEAR} bis {max_year}.",
        own.get("year", "Jahr"),
        own_column="year" in own,
        parsed=parsed,
    )
    # value checks per variable (looked up once per variable, spread by the codes)
    value = d["value"].to_numpy()
    counts = [
        v.id for v in catalog.variables.values() if v.unit in ("Anzahl", "Tage", "Euro") and v.allow_negative is False
    ]
    shares = [v.id for v in catalog.variables.values() if v.unit == "%"]
    with np.errstate(invalid="ignore"):
        negative = keys.isin("variable", counts) & (value < 0)
        share_out = keys.isin("variable", shares) & ((value > 100) | (value < 0))
    _listed(p, raw, d[negative], "Negativer Wert {anzahl_de} bei einer Anzahl ist unmöglich.", "Wert", parsed=parsed)
    _listed(p, raw, d[share_out], "Anteil {anteil_de} liegt außerhalb von 0 bis 100 %.", "Wert", parsed=parsed)
    dup = d[pd.Index(keys.combined()).duplicated(keep="first")]
    _listed(
        p,
        raw,
        dup,
        "Doppelter Eintrag: {variable}, Region {region}, Jahr {year}, {nationality}/{sex}/{age_group}/"
        "{category} kommt in der Datei mehrfach vor.",
        "Wert",
        parsed=parsed,
    )
    _totals_below_parts(parsed, catalog, keys)
    _month_for_annual_average(parsed, store, catalog, keys, own_region)
    from indicators.ingest import plausibility

    p.extend(plausibility.check(parsed, store, catalog))
    parsed.sort_problems()
    return parsed


def _month_for_annual_average(
    parsed: ParsedFile, store: Store, catalog: Catalog, keys: _Keys, own_region: str = DEFAULT_OWN_REGION
) -> None:
    """Values of a reference date (a BA table of 'Berichtsmonat: Juni 2025': 30.06.2025; Open SDG 'Juni 2022') for a
    variable that the catalog defines as a yearly average (``period: Jahresdurchschnitt``): not the same figure.

    Where the database holds the yearly average of the same key for the own area (the Kreis and its Gemeinden: the
    values the indicators and targets are judged on), the file would replace it with one month's value: an error per
    row (the file is refused; nothing is written). Otherwise a warning per variable, before anything is written:
    the month's value stands for the year until a file with the yearly average replaces it, and where it replaces
    the yearly average of a comparison region (the Land's figures in Open SDG are June values), the warning says how
    many and gives the first."""
    annual = [v.id for v in catalog.variables.values() if v.period == "Jahresdurchschnitt"]
    if not annual or "ref_date" not in parsed.data.columns:
        return
    d, raw = parsed.data, parsed.raw
    dated = keys.isin("variable", annual) & d["ref_date"].notna().to_numpy()
    if not dated.any():
        return
    # every step below works on row positions and integer codes (a BA table: 1,2 million dated rows)
    idx = np.flatnonzero(dated)
    old_value = _annual_values(store, d, idx)
    replaces = ~np.isnan(old_value)
    region_codes = keys.codes["region"][idx]
    own_lut = np.asarray([reg.in_own_area(str(k), own_region) for k in keys.uniques["region"]] + [False], dtype=bool)
    own = own_lut[region_codes]  # decided once per region (code -1, a missing region: the last entry)
    names = {v.id: v.name for v in catalog.variables.values()}
    rows = d["source_row"].to_numpy()

    def first_by_row(pos: np.ndarray) -> int:
        """The position (in ``idx``) of the first row by source row, as a quicksort of the rows would put it."""
        return int(pos[np.argsort(rows[idx[pos]], kind="quicksort")[0]])

    refused = np.flatnonzero(replaces & own)
    if len(refused):
        listed = d.iloc[idx[refused[:MAX_LISTED]]].assign(old_value=old_value[refused[:MAX_LISTED]])
        for rec in listed.to_dict("records"):
            parsed.problems.append(
                Problem(
                    "fehler",
                    T.MONTH_REPLACES_AVERAGE.format(
                        name=names.get(rec["variable"], rec["variable"]),
                        date=fmt_date(rec["ref_date"]),
                        year=int(rec["year"]),
                        old=_number(rec["old_value"]),
                    ),
                    raw.name,
                    rec["source_sheet"],
                    rec["source_row"],
                    rec["source_column"],
                )
            )
    if len(refused) > MAX_LISTED:
        more = len(refused) - MAX_LISTED
        parsed.problems.append(Problem("fehler", T.MONTH_REPLACES_MORE.format(n=_de(more)), raw.name, more=more))
        rest = d.iloc[idx[refused[MAX_LISTED:]]]
        for sheet, part in rest.groupby(rest["source_sheet"].astype(object).fillna(""), sort=False):
            parsed.note_unlisted_errors(sheet or None, part["source_row"].to_numpy())
    if len(refused):  # the file is refused: no word on what it would take over (the preview contradicted itself)
        return
    var_codes = keys.codes["variable"][idx]
    var_names = keys.uniques["variable"]
    for code in sorted(np.unique(var_codes), key=lambda c: var_names[c]):
        part = np.flatnonzero(var_codes == code)
        variable = var_names[code]
        first = _record(d, int(idx[first_by_row(part)]))
        years = sorted({int(y) for y in pd.unique(d["year"].to_numpy()[idx[part]])})
        text = T.MONTH_FOR_AVERAGE.format(
            name=names.get(variable, variable),
            date=fmt_date(first["ref_date"]),
            n=_de(len(part)),
            years=_years_text(years),
        )
        replaced = part[replaces[part]]
        if len(replaced):
            k = first_by_row(replaced)
            r = _record(d, int(idx[k]))
            text += " " + T.MONTH_REPLACES_COMPARISON.format(
                n=_de(len(replaced)),
                year=int(r["year"]),
                region=reg.region_name(store, str(r["region"])),
                old=_number(old_value[k]),
                new=_number(r["value"]),
            )
        parsed.problems.append(
            Problem("warnung", text, raw.name, first["source_sheet"], first["source_row"], first["source_column"])
        )


def _record(d: pd.DataFrame, i: int) -> dict[str, Any]:
    """Row ``i`` of the canonical frame as a dict, column by column (``d.iloc[i]`` first finds a dtype common to all
    columns, hashing the categories of every categorical: five times as long with 200.000 regions)."""
    return {c: d[c].iloc[i] for c in d.columns}


def _annual_values(store: Store, d: pd.DataFrame, idx: np.ndarray) -> np.ndarray:
    """For the rows ``idx`` of the file: the current value of the same key in the database that has no reference
    date (a yearly average), else NaN. The synthetic demo values do not count (a real month's value replaces them
    like any demo value; the review found every real BA table refused over the demo's averages). The join runs in
    DuckDB on the file's categoricals (no Python per row)."""
    key_cols = list(OBS_KEY)
    out = np.full(len(idx), np.nan)
    cur = store.cursor()
    try:
        if not cur.execute("SELECT EXISTS (SELECT 1 FROM obs_current WHERE ref_date IS NULL)").fetchall()[0][0]:
            return out
        wanted = d[key_cols].iloc[idx].reset_index(drop=True).assign(_i=np.arange(len(idx), dtype=np.int64))
        cur.register("month_keys", wanted)
        try:
            same = " AND ".join(f"o.{k} = w.{k}" if k == "year" else f"o.{k} = w.{k}::VARCHAR" for k in key_cols)
            found = cur.execute(
                f"SELECT w._i, o.value FROM month_keys w JOIN obs_current o ON {same} "
                "JOIN uploads u ON u.id = o.upload_id AND NOT u.demo "
                "WHERE o.ref_date IS NULL AND o.value IS NOT NULL"
            ).fetchnumpy()
        finally:
            cur.unregister("month_keys")
    finally:
        cur.close()
    out[np.asarray(found["_i"], dtype=np.int64)] = np.asarray(found["value"], dtype="float64")
    return out


def _years_text(years: list[int]) -> str:
    """'2025', '2019–2025' for a run, else '2019, 2021'."""
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))


def _number(v: object) -> str:
    return (
        "–"
        if v is None or pd.isna(v)
        else fmt_num(float(cast(float, v)), 0 if float(cast(float, v)).is_integer() else 1)
    )


def _code_checks(parsed: ParsedFile, catalog: Catalog, keys: _Keys | None, rest: pd.DataFrame | None) -> None:
    """Unknown variables and invalid codes: on the read rows (by the integer codes of :class:`_Keys`), and on the
    rows a reader left out for another error (``rest``, few), so that a row lists all its problems. A problem
    names the file's own column of the field where the reader knows it (the template), else the value's column
    (a variable of a wide table is its column)."""
    d, raw, own = parsed.data, parsed.raw, parsed.key_columns
    rest = rest if rest is not None and len(rest) else None

    def found(dim: str, ok_values: Callable[[list[Any]], list[Any]]) -> pd.DataFrame:
        parts = []
        if keys is not None:
            parts.append(d[~keys.isin(dim, ok_values([v for v in keys.uniques[dim] if v is not None]))])
        if rest is not None:
            known = rest[dim].notna() if dim == "variable" else pd.Series(True, index=rest.index)
            values = [v for v in rest[dim].dropna().unique()]
            parts.append(rest[known & ~rest[dim].isin(ok_values(values))])
        parts = [x for x in parts if len(x)]
        if not parts:
            return d.iloc[:0]
        out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        out = out.drop_duplicates(["source_sheet", "source_row", dim])  # a wide table: one line per row, not per cell
        return out.sort_values("source_row", kind="stable") if len(parts) > 1 else out

    variables = set(catalog.variables)
    _listed(
        parsed.problems,
        raw,
        found("variable", lambda vs: [v for v in vs if v in variables]),
        "Unbekannte Variable „{variable}“; erlaubt sind die Codes im Blatt „Codes“ der Vorlage.",
        own.get("variable", "Variable"),
        own_column="variable" in own,
        parsed=parsed,
    )
    for dim, allowed, name in (("nationality", NATIONALITIES, "Staatsangehörigkeit"), ("sex", SEXES, "Geschlecht")):
        _listed(
            parsed.problems,
            raw,
            found(dim, lambda vs, allowed=allowed: [v for v in vs if v in allowed]),  # type: ignore[misc]
            f"Unbekannter Code {GENITIVE[dim]} „{{{dim}}}“ (erlaubt: {', '.join(allowed)}).",
            own.get(dim, name),
            own_column=True,
            parsed=parsed,
        )
    for dim, name in (("age_group", "Altersgruppe"), ("category", "Kategorie")):
        _listed(
            parsed.problems,
            raw,
            found(dim, lambda vs: [v for v in vs if re.fullmatch(r"[a-z0-9_\-]{1,60}", str(v))]),
            f"Ungültiger Code {GENITIVE[dim]} „{{{dim}}}“ (erlaubt: Kleinbuchstaben, Ziffern, _ und -).",
            own.get(dim, name),
            own_column=True,
            parsed=parsed,
        )


def _missing_regions(store: Store, file_keys: list[Any], cur: duckdb.DuckDBPyConnection | None = None) -> set[str]:
    """The distinct keys of a file that are not in the region list (checked in the database)."""
    own_cursor = cur is None
    cur = store.cursor() if cur is None else cur
    try:
        cur.register("file_regions", pd.DataFrame({"key": pd.Series(list(file_keys), dtype=object)}))
        try:
            return {
                k
                for (k,) in cur.execute(
                    "SELECT f.key FROM file_regions f WHERE f.key IS NOT NULL AND f.key NOT IN (SELECT key FROM regions)"
                ).fetchall()
            }
        finally:
            cur.unregister("file_regions")
    finally:
        if own_cursor:
            cur.close()


def _own_list_of_another_kreis(parsed: ParsedFile, store: Store, keys: _Keys, own_region: str) -> None:
    """Issue 24: in an installation with several Kreise an own list (Personalamt, Ausländerbehörde, the template)
    belongs to the Kreis it is loaded for: a row of another Kreis's area is an error (a shipped profile names the
    installation's Kreis, and Wolfenbüttel's list booked its values on Peine). With one Kreis nothing changes."""
    if reg.official(parsed.format) or int(store.scalar("SELECT count(*) FROM tenants") or 0) <= 1:
        return
    file_keys = [str(k) for k in keys.uniques["region"] if k is not None and not pd.isna(k)]
    outside = [k for k in file_keys if not reg.in_own_area(k, own_region)]
    if not outside:
        return
    name = reg.region_name(store, own_region)
    rows = parsed.data[keys.isin("region", outside)].drop_duplicates(["source_sheet", "source_row", "region"])
    _listed(
        parsed.problems,
        parsed.raw,
        rows,
        f"Region {{region}} liegt außerhalb von {name} ({own_region}): eine eigene Liste gilt in dieser Installation "
        "mit mehreren Kreisen nur für den Kreis, für den sie geladen wird, und seine Gemeinden. Bitte im "
        f"Zuordnungsprofil die Region {own_region} wählen (oder die Datei im anderen Kreis laden).",
        parsed.key_columns.get("region", "Region"),
        own_column=True,
        parsed=parsed,
    )


def _unknown_regions(parsed: ParsedFile, store: Store, keys: _Keys, own_region: str = DEFAULT_OWN_REGION) -> None:
    """Regions not in the region list. An official file's regions outside the own area become comparison
    regions (an assumption says how many); the others are one error per key with the name the file brings,
    and a summary."""
    d, raw = parsed.data, parsed.raw
    uniques = np.asarray(keys.uniques["region"], dtype=object)
    file_keys = uniques[~pd.isna(uniques)].tolist()  # (one call for 200.000 keys, not one per key)
    missing = _missing_regions(store, file_keys)
    texts = [str(k) for k in file_keys]
    found = reg.check(texts, set(texts) - missing, parsed.format, own_region)
    if reg.official(parsed.format) and (found.other or found.new_comparison):
        text = _other_regions_text(found, parsed.region_names)
        skipped = parsed.assumptions.get("Weitere Regionen")  # set by skip_other_regions
        parsed.assumptions["Weitere Regionen"] = f"{skipped}; {text}" if skipped else text
    missing = set(found.refused)
    if not missing:
        return
    rows = d[keys.isin("region", missing)]  # every row with an unknown key (capped), named in the region's column
    rows = rows.drop_duplicates(
        ["source_sheet", "source_row", "region"]
    )  # a wide table: one line per row, not per cell
    unknown = rows.drop_duplicates("region")
    unknown = unknown.assign(name=[parsed.region_names.get(k, "") for k in unknown["region"]])
    parsed.unknown_regions = sorted(map(str, unknown["region"]), key=lambda k: (len(k), k))  # rows present only
    column = parsed.key_columns.get("region")
    for rec in rows.head(MAX_LISTED).itertuples(index=False):
        name = parsed.region_names.get(rec.region, "")
        named = f" („{name}“)" if name else ""
        parsed.problems.append(
            Problem(
                "fehler",
                f"Unbekannte Region {rec.region}{named}: nicht in der Regionsliste. Sie kann aus der Datei in die "
                "Regionsliste aufgenommen werden (Datenseite); danach den Import wiederholen.",
                raw.name,
                rec.source_sheet,
                rec.source_row,
                column or rec.source_column,
            )
        )
    if len(rows) > MAX_LISTED:
        more = rows.iloc[MAX_LISTED:]
        parsed.problems.append(
            Problem(
                "fehler",
                f"… und {_de(len(more))} weitere Zeilen mit einer unbekannten Region.",
                raw.name,
                None,
                None,
                column,
                more=len(more),
            )
        )
        for sheet, part in more.groupby(more["source_sheet"].astype(object).fillna(""), sort=False):
            parsed.note_unlisted_errors(sheet or None, part["source_row"].to_numpy())
    if len(unknown) > 1:
        listed = ", ".join(f"{r.region} {r.name}".strip() for r in unknown.head(30).itertuples(index=False))
        more = f" und {len(unknown) - 30} weitere" if len(unknown) > 30 else ""
        parsed.problems.append(
            Problem(
                "fehler", f"{len(unknown)} Regionen sind nicht in der Regionsliste: {listed}{more}.", raw.name, more=0
            )
        )


def _other_regions_text(found: reg.RegionCheck, names: dict[str, str]) -> str:
    """'enthält 401 weitere Regionen; sie werden als Vergleichsregionen übernommen (398 davon neu …)'."""
    n = len(found.other)
    text = (
        (
            f"enthält {_de(n)} weitere {'Region' if n == 1 else 'Regionen'}; "
            f"{'sie wird' if n == 1 else 'sie werden'} als Vergleichsregionen übernommen"
        )
        if n
        else ""
    )
    other = set(found.other)
    new_other = [k for k in found.new_comparison if k in other]
    new_context = [k for k in found.new_comparison if k not in other]  # the own Land, Deutschland
    if new_other:
        text += f" ({_de(len(new_other))} davon neu in der Regionsliste)"
    if new_context:
        listed = ", ".join(f"{k} {names.get(k, '')}".strip() for k in new_context)
        text += ("; " if text else "") + f"neu in der Regionsliste als Vergleichsregion: {listed}"
    return text


def skip_other_regions(parsed: ParsedFile, own_region: str) -> int:
    """Drop the rows of regions outside the own area, its Land and Deutschland (``--other-regions skip``);
    only for official files. Returns the number of regions dropped."""
    if not reg.official(parsed.format) or parsed.data.empty:
        return 0
    d = parsed.data
    keys = [k for k in d["region"].dropna().unique()]
    other = [k for k in keys if reg.is_other(str(k), own_region)]
    if not other:
        return 0
    kept = d[~d["region"].isin(other)].reset_index(drop=True)
    for col in kept.columns:  # the checks read the categories: the skipped regions must not stay among them
        if isinstance(kept[col].dtype, pd.CategoricalDtype):
            kept[col] = kept[col].cat.remove_unused_categories()
    parsed.data = kept
    n = len(other)
    parsed.assumptions["Weitere Regionen"] = (
        f"{_de(n)} weitere {'Region' if n == 1 else 'Regionen'} ausgelassen "
        "(gewählt: nur das eigene Gebiet, das Land und Deutschland)"
    )
    return n


def _german_values(rec: dict[str, Any]) -> dict[str, Any]:
    """A row's fields for a message, with its value written the German way: ``anzahl_de`` '-5', '1.234,5';
    ``anteil_de`` '140,5 %' (never '140.5')."""
    value = rec.get("value")
    return {**rec, "anzahl_de": fmt_exact(value, "Anzahl"), "anteil_de": fmt_exact(value, "%")}


def _de(x: float) -> str:
    return f"{x:,.0f}".replace(",", ".")


#: allowed shortfall of a total against the sum of its parts (sources round: AZR to 5, others to 10)
TOTALS_TOLERANCE = 10.0


def _totals_below_parts(parsed: ParsedFile, catalog: Catalog, keys: _Keys) -> None:
    """A total smaller than the sum of its parts (insgesamt < deutsch + auslaendisch, or < maennlich + weiblich).

    Works on the integer codes of the key columns: one combined key per dimension, sums by bincount."""
    d, raw = parsed.data, parsed.raw
    tolerance = {
        v.id: max(TOTALS_TOLERANCE, 2.0 * (v.rounded_to or 0))
        for v in catalog.variables.values()
        if v.additive and v.unit == "Anzahl"
    }
    limit_all = keys.per_row("variable", tolerance, np.nan).astype(float)
    value_all = d["value"].to_numpy()
    checked = ~np.isnan(limit_all) & ~np.isnan(value_all)
    if not checked.any():
        return
    rows = np.flatnonzero(checked)
    value, limit = value_all[rows], limit_all[rows]
    for dim, parts, label in (
        ("nationality", ("deutsch", "auslaendisch"), "Deutsche + Ausländer"),
        ("sex", ("maennlich", "weiblich"), "männlich + weiblich"),
    ):
        names = keys.uniques[dim]
        if "insgesamt" not in names or not any(part in names for part in parts):
            continue
        key = pd.factorize(keys.combined(without=dim)[rows])[0]  # one integer per combination of the other keys
        codes = keys.codes[dim][rows]
        n_keys = int(key.max()) + 1
        piece = np.isin(codes, [names.index(p) for p in parts if p in names])
        total = np.flatnonzero(codes == names.index("insgesamt"))
        sums = np.bincount(key[piece], weights=value[piece], minlength=n_keys)
        count = np.bincount(key[piece], minlength=n_keys)
        bad = total[(count[key[total]] == len(parts)) & (value[total] < sums[key[total]] - limit[total])]
        for i in bad[:MAX_LISTED]:
            rec = d.iloc[rows[i]]
            parsed.problems.append(
                Problem(
                    "fehler",
                    f"Summe kleiner als ihre Teile: insgesamt {_de(rec['value'])} < {label} {_de(sums[key[i]])} "
                    f"({rec['variable']}, Region {rec['region']}, Jahr {rec['year']}; Rundung bis "
                    f"{tolerance[rec['variable']]:.0f} berücksichtigt).",
                    raw.name,
                    rec["source_sheet"],
                    rec["source_row"],
                    rec["source_column"],
                )
            )
        if len(bad) > MAX_LISTED:
            parsed.problems.append(
                Problem(
                    "fehler",
                    f"… und {_de(len(bad) - MAX_LISTED)} weitere Summen kleiner als ihre Teile.",
                    raw.name,
                    more=len(bad) - MAX_LISTED,
                )
            )


@dataclass
class ImportResult:
    file: str
    format: str
    status: ImportStatus
    rows: int
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    upload_id: int | None = None
    assumptions: dict[str, str] = field(default_factory=dict)
    diff: dict[str, int] = field(default_factory=dict)
    #: a dry run: the effect on the indicators of the own Kreis (:class:`indicators.ingest.impact.Impact`)
    impact: Impact | None = None
    #: every cell of the data block accounted for (:class:`indicators.ingest.base.Accounting`)
    accounting: Accounting | None = None

    def as_dict(self) -> dict[str, Any]:
        out = {
            "file": self.file,
            "format": self.format,
            "status": self.status,
            "rows": self.rows,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
            # every warning counted, those a summary line stands for included (as the page counts them)
            "warning_count": sum(1 if w.more is None else w.more for w in self.warnings),
            "upload_id": self.upload_id,
            "assumptions": self.assumptions,
            "diff": self.diff,
        }
        if self.impact is not None:
            out["impact"] = self.impact.as_dict()
        if self.accounting is not None:
            out["abgleich"] = self.accounting.as_dict()
        return out


def diff_against_current(parsed: ParsedFile, store: Store) -> dict[str, int]:
    """How the file's values relate to the current state: new, changed, unchanged keys."""
    from indicators.ingest.diff import changed_against_current

    return changed_against_current(parsed.data, store, limit=0).counts


def preview(
    raw: RawFile,
    store: Store,
    catalog: Catalog,
    settings: Settings,
    reader: Reader | None = None,
    on_read: Callable[[ParsedFile], None] | None = None,
    offer_profile: bool = True,
    other_regions: str = "keep",
    impact: bool = True,
) -> ParsedFile:
    """Read and check a file without writing anything. Never raises for bad input.

    ``other_regions``: ``keep`` takes the regions of an official file outside the own area over as comparison
    regions, ``skip`` leaves their rows out.

    ``on_read`` is told when the file is read, before the checks (the page shows the step);
    ``offer_profile`` names a saved mapping profile of the same shape in the message of an unrecognised file;
    ``impact``: for a file without errors, try the import and tell which indicator values of the own Kreis would
    disappear, appear or change (:func:`add_impact`; rolled back, nothing is written)."""
    with gc_paused():  # millions of short-lived cells: no cyclic collection while they are read and checked
        parsed = parse(raw, settings, reader)
        if on_read is not None:
            on_read(parsed)
        try:
            if (
                offer_profile
                and reader is None
                and parsed.format == "unbekannt"
                and parsed.table_found
                and parsed.reasoning
            ):
                _offer_profile(parsed, store)
            if other_regions == "skip":
                skip_other_regions(parsed, settings.own_region)
            validate(parsed, store, catalog, own_region=settings.own_region)
        except Exception as exc:  # a validation bug must not reach the user as a traceback
            parsed.problems.append(_internal(raw, exc))
            return parsed
        if impact and parsed.ok:
            add_impact(parsed, store, catalog, settings)
        return parsed


def add_impact(parsed: ParsedFile, store: Store, catalog: Catalog, settings: Settings) -> None:
    """The file's effect on the indicators of the own Kreis, tried and rolled back (nothing is written): kept in
    ``parsed.impact``; every value that would disappear is a warning. A failed trial is a warning too (the file
    can still be taken over)."""
    from indicators.ingest import impact as imp

    if isinstance(parsed.impact, imp.Impact):  # tried again (the data changed since): its old warnings go
        parsed.problems = [p for p in parsed.problems if not any(p is q for q in parsed.impact.problems)]
    try:
        parsed.impact = imp.own_region_impact(parsed, store, catalog, settings.min_count, settings.own_region)
    except Exception as exc:
        parsed.impact = None
        parsed.problems.append(parsed.raw.warning(f"{T.IMPACT_FAILED} {report(exc, 'Probeberechnung')}"))
        return
    parsed.impact.problems = imp.warnings(parsed.impact, parsed.raw.name)
    parsed.problems.extend(parsed.impact.problems)


def _offer_profile(parsed: ParsedFile, store: Store) -> None:
    """An unrecognised file of the same shape as a saved profile: name the profile in the message."""
    from dataclasses import replace

    from indicators.ingest.sources.mapping import find_profile_for

    spec = find_profile_for(store, parsed.raw)
    if spec is not None and parsed.problems:
        first = parsed.problems[0]
        parsed.problems[0] = replace(
            first,
            message=f"{first.message} Passendes Zuordnungsprofil: „{spec.name}“ "
            f"(Kommandozeile: import --profile {spec.name}).",
        )


def archive_path(raw: RawFile, settings: Settings) -> Path:
    return settings.archive_dir / raw.sha256[:2] / f"{raw.sha256}.{raw.extension or 'bin'}"


def archive(raw: RawFile, settings: Settings) -> Path:
    """Keep the original bytes under their checksum (written atomically, never overwritten)."""
    target = archive_path(raw, settings)
    if not target.exists():
        for folder in (settings.archive_dir, target.parent):  # the owner's only, like the file (mkstemp: 0600)
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw.content)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:  # a full disk, an interrupt: no hidden half file stays behind (issue 22)
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    return target


def commit(
    parsed: ParsedFile,
    store: Store,
    catalog: Catalog,
    settings: Settings,
    user: str,
    demo: bool = False,
    recompute: bool = True,
    diff: dict[str, int] | None = None,
) -> ImportResult:
    """Write one validated file all-or-nothing and recompute. Rejects a file with errors.

    ``recompute=False`` is for loading several files in a row (the demo): the caller recomputes once.
    ``diff``: the counts against the current state if the caller has just computed them (the upload
    page shows them before the confirmation); otherwise they are computed here.
    """
    user = auth.require(auth.UPLOAD, user)  # issue 11: the core checks the role
    raw = parsed.raw
    result = ImportResult(
        raw.name,
        parsed.format,
        ImportStatus.REJECTED,
        len(parsed.data),
        parsed.errors,
        parsed.warnings,
        assumptions=parsed.assumptions,
        accounting=parsed.accounting,
    )
    if parsed.errors:
        return result
    existing = store.active_upload_with_checksum(raw.sha256)
    if existing is not None:
        return _already_present(result, parsed, existing)
    result.diff = diff if diff is not None else diff_against_current(parsed, store)
    release_parse_cache(raw)  # the cells are read: free them before the database needs memory
    data = parsed.data[STORED_COLUMNS]
    data = data.assign(source_row=pd.to_numeric(data["source_row"], errors="coerce").astype("Int64"))
    # The original is written (and synced) in a second thread while the database works; the transaction
    # commits only after the archive is complete, and rolls back if it cannot be written.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="archiv") as pool, store.transaction() as cur:
        archived = pool.submit(archive, raw, settings)
        _add_comparison_regions(cur, parsed, store, settings, user)
        upload_id = _insert_upload(cur, parsed, len(data), archive_path(raw, settings), user, demo)
        cur.register("incoming", pa.Table.from_pandas(data, preserve_index=False))  # Arrow: scanned in parallel
        cur.execute(
            """INSERT INTO observations (upload_id, variable, region, year, ref_date, nationality, sex, age_group,
                                         category, value, flag, source_row, current)
               SELECT ?, variable, region, year, ref_date, nationality, sex, age_group, category, value, flag,
                      source_row, TRUE
               FROM incoming""",
            [upload_id],
        )
        cur.unregister("incoming")
        apply_upload(cur, upload_id, settings.own_region)
        audit = {"upload_id": upload_id, "rows": len(data), "format": parsed.format, "sha256": raw.sha256}
        Store.audit(cur, user, "upload", raw.name, {**audit, "diff": result.diff})
        if recompute:  # only the indicators that read a variable of this file
            recompute_in(cur, catalog, settings.min_count, variables=distinct_values(parsed.data["variable"]))
        archived.result()
    result.status = ImportStatus.IMPORTED
    result.upload_id = int(upload_id)
    return result


def _already_present(result: ImportResult, parsed: ParsedFile, existing: dict[str, Any]) -> ImportResult:
    """The same bytes are loaded as an active upload: not loaded twice (said as the last warning)."""
    result.status = ImportStatus.ALREADY_PRESENT
    result.upload_id = int(existing["id"])
    result.warnings = [
        *parsed.warnings,
        parsed.raw.warning(
            f"Diese Datei (gleiche Prüfsumme) wurde bereits als Upload Nr. {existing['id']} am "
            f"{pd.Timestamp(existing['uploaded_at']):%d.%m.%Y %H:%M} geladen; sie wird nicht doppelt geladen."
        ),
    ]
    return result


def _insert_upload(
    cur: duckdb.DuckDBPyConnection, parsed: ParsedFile, rows: int, path: Path, user: str, demo: bool
) -> int:
    """Inside the commit's transaction: the record of the upload (with the assumptions: parse() has put the format
    and the reasoning first); its number."""
    raw = parsed.raw
    upload_id = one_row(cur.execute("SELECT nextval('upload_seq')").fetchone())[0]
    cur.execute(
        "INSERT INTO uploads (id, file_name, sha256, format, uploaded_at, user_name, rows, status, assumptions,"
        " archive_path, size_bytes, demo) VALUES (?, ?, ?, ?, ?, ?, ?, 'aktiv', ?, ?, ?, ?)",
        [
            upload_id,
            raw.name,
            raw.sha256,
            parsed.format,
            dt.datetime.now(),
            user,
            rows,
            json.dumps(parsed.assumptions, ensure_ascii=False),
            str(path),
            raw.size,
            demo,
        ],
    )
    return cast(int, upload_id)


def _add_comparison_regions(
    cur: duckdb.DuckDBPyConnection, parsed: ParsedFile, store: Store, settings: Settings, user: str
) -> int:
    """Inside the commit's transaction: the regions of an official file outside the own area that the region
    list does not know yet, with the file's names (a file with unknown keys of the own area never gets here)."""
    if not reg.official(parsed.format) or parsed.data.empty:
        return 0
    file_keys = [str(k) for k in parsed.data["region"].dropna().unique()]
    missing = _missing_regions(store, file_keys, cur)
    if not missing:
        return 0
    found = reg.check(file_keys, set(file_keys) - missing, parsed.format, settings.own_region)
    known = {k for (k,) in cur.execute("SELECT key FROM regions").fetchall()}
    rows = reg.new_region_rows(found.new_comparison, parsed.region_names, known)
    return Store.add_comparison_regions(cur, rows, user, parsed.raw.name, reg.COMPARISON_ORIGIN)


def add_regions_from_file(
    parsed: ParsedFile, keys: list[str], store: Store, catalog: Catalog, settings: Settings, user: str
) -> list[dict[str, Any]]:
    """Add unknown regions with the names the file brings; level from the key length, parent from the
    longest key prefix that is (or becomes) a known region. One transaction, recorded in the audit log;
    the indicators are recomputed in it (a new Gemeinde is missing from its Kreis's sums until it has values)."""
    user = auth.require(auth.REGIONS, user)  # issue 11: the core checks the role
    from indicators.keys import REGION_KEY, region_level

    known = set(store.regions()["key"])
    todo = sorted({k for k in keys if k not in known}, key=lambda k: (len(k), k))
    invalid = [k for k in todo if not REGION_KEY.match(k)]
    if invalid:
        raise UserError(f"Kein gültiger Regionalschlüssel: {', '.join(invalid)}.")
    added = []
    with store.transaction() as cur:
        for key in todo:
            level = region_level(key)
            parent = next((key[:n] for n in (9, 8, 5, 3, 2) if n < len(key) and key[:n] in known), None)
            if parent is None and key != "DG" and "DG" in known:
                parent = "DG"
            name = (parsed.region_names.get(key) or key).strip()
            store.add_region(key, name, level, parent, user, cur=cur)
            known.add(key)
            added.append({"key": key, "name": name, "level": level, "parent": parent})
        if added:
            recompute_in(cur, catalog, settings.min_count)
    return added


class RollbackError(UserError):
    pass


def rollback(upload_id: int, store: Store, catalog: Catalog, settings: Settings, user: str) -> dict[str, Any]:
    """Undo one upload: its values no longer count, the previous state is back; recorded in the audit log."""
    user = auth.require(auth.ROLLBACK, user)  # issue 11: the core checks the role
    up = store.upload(upload_id)
    if up is None:
        raise RollbackError(f"Upload Nr. {upload_id} gibt es nicht.")
    if up["status"] != UploadStatus.ACTIVE:
        raise RollbackError(f"Upload Nr. {upload_id} ist bereits zurückgenommen.")
    with store.transaction() as cur:
        cur.execute(
            "UPDATE uploads SET status = 'zurueckgenommen', rolled_back_at = ?, rolled_back_by = ? WHERE id = ?",
            [dt.datetime.now(), user, upload_id],
        )
        Store.audit(cur, user, "rollback", up["file_name"], {"upload_id": upload_id})
        computed = recompute_in(
            cur,
            catalog,
            settings.min_count,
            rebuild=True,
            variables=store.upload_variables(upload_id, cur),
            own=settings.own_region,
        )
    return {"upload_id": upload_id, "file": up["file_name"], "values": computed.values}
