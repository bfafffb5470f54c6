"""Shared pieces of the source readers: mapping tables (YAML + pydantic), labels, keys, frames, problems."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ValidationError

from indicators import config

# the readers' models use these (re-exported)
from indicators.catalog import Code as Code
from indicators.catalog import Dim as Dim
from indicators.catalog import Ident as Ident
from indicators.catalog import Strict as Strict
from indicators.catalog import pydantic_message
from indicators.catalog import read_yaml as catalog_yaml
from indicators.config import PACKAGE_DIR
from indicators.errors import UserError
from indicators.ingest.base import PARSED_COLUMNS, Problem, RawFile, RejectFile, Severity
from indicators.ingest.headers import header_key
from indicators.ingest.values import EMPTY_CELL, KindTable, cell_kinds
from indicators.keys import REGION_KEY

Dims = dict[Dim, Code]

DIM_LABELS = {
    "nationality": "Staatsangehörigkeit",
    "sex": "Geschlecht",
    "age_group": "Altersgruppe",
    "category": "Kategorie",
}
MAX_LISTED = 50  # cell problems listed one by one per kind; the rest are counted
TOTAL_WORDS = {"summe", "gesamt", "insgesamt", "gesamtsumme", "total", "zusammen", "summe gesamt"}
M = TypeVar("M", bound=BaseModel)


class MappingError(UserError):
    """A mapping table or profile is not valid; the German message names the file and the entry."""


# -- mapping tables --------------------------------------------------------------------------------
def mappings_dir() -> Path:
    """``<definitions>/mappings`` (MONITOR_DEFINITIONS overrides the definitions folder)."""
    custom = config.settings().definitions_dir / "mappings"
    return custom if custom.is_dir() else PACKAGE_DIR / "definitions" / "mappings"


def mapping_file_label(name: str) -> str:
    """How messages name a mapping file: by its name, never by a path of the server ('der Zuordnung „genesis.yaml“');
    the administration knows where it lies (README: indicators/definitions/mappings/)."""
    return f"der Zuordnung „{name}“"


def ask_admin(name: str, what: str) -> str:
    """What a user does when a mapping lacks an entry: ask the administration (who can edit the mapping), no path."""
    return (
        f"Bitte wenden Sie sich an die Administration (oder die Stabsstelle, die den Monitor betreut): sie kann in "
        f"{mapping_file_label(name)} {what}."
    )


_LOADED: dict[tuple[str, type, float], BaseModel] = {}


def load_mapping(name: str, model: type[M]) -> M:
    """Read ``mappings/<name>`` with yaml.safe_load and validate it; cached until the file changes."""
    path = mappings_dir() / name
    try:
        mtime = path.stat().st_mtime
    except OSError:
        raise MappingError(
            f"Die Zuordnung „{name}“ fehlt auf dem Server; bitte die Administration verständigen."
        ) from None
    key = (str(path), model, mtime)
    if key not in _LOADED:
        _LOADED[key] = parse_mapping(read_yaml(path), model, f"Zuordnung „{name}“")
    return _LOADED[key]  # type: ignore[return-value]


def read_yaml(path: Path) -> object:
    return catalog_yaml(path, "Zuordnungsdatei", MappingError)


def parse_mapping(data: object, model: type[M], label: str) -> M:
    """Validate parsed YAML; errors name the file and the entry (path of keys) in German."""
    try:
        return model.model_validate(data or {})
    except ValidationError as exc:
        raise MappingError(f"{label}: {pydantic_message(exc, 'Eintrag „{}“', ' → ', 5)}") from None


def reject_mapping(raw: RawFile, exc: MappingError) -> RejectFile:
    return RejectFile(raw.error(str(exc)))


# -- labels, keys, dates ---------------------------------------------------------------------------
def cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else str(v)
    if isinstance(v, (dt.datetime, dt.date)):
        return v.strftime("%d.%m.%Y")
    return str(v).strip()


def region_key(v: object) -> str | None:
    """A region key cell as text; a key that a spreadsheet stored as a number gets its leading zero back."""
    s = cell_text(v)
    if isinstance(v, (int, float)) and not isinstance(v, bool) and len(s) in (1, 4, 7, 11):
        s = "0" + s
    elif s.isdigit() and len(s) in (4, 7, 11):
        s = "0" + s  # a CSV that Excel re-saved: '3157' is 03157 (a one-digit text stays: column numbers 1, 2, 3)
    return s if REGION_KEY.match(s) else None


def _strip_all(values: np.ndarray) -> np.ndarray:
    """``str.strip`` of every string (a plain loop: far faster than a round trip through pandas' string dtype)."""
    out = np.empty(len(values), dtype=object)
    out[:] = [v.strip() for v in values]
    return out


#: a key cell: text (1) or a number a spreadsheet stored (2: Python's int and float only)
_KEY_KINDS = KindTable({str: 1, int: 2, float: 2})


def region_keys(col: pd.Series) -> pd.Series:
    """Vectorised :func:`region_key` for a column of spreadsheet cells (``None`` where no key)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    col = col.reset_index(drop=True)
    cells = col.to_numpy(dtype=object)
    out = np.full(len(cells), None, dtype=object)
    kinds = cell_kinds(cells, _KEY_KINDS)
    num = kinds == 2
    if num.any():
        vals = pd.to_numeric(col[num], errors="coerce")
        whole = vals[vals.notna() & (vals == vals.round()) & (vals >= 0)].astype("int64").astype(str)
        out[whole.index.to_numpy()] = whole.where(~whole.str.len().isin((1, 4, 7, 11)), "0" + whole).to_numpy(
            dtype=object
        )
    text = kinds == 1
    if text.any():
        stripped = _strip_all(cells[text])
        # a CSV re-saved by Excel lost the leading zero of its keys: '3157' is 03157
        out[text] = [("0" + k) if k.isdigit() and len(k) in (4, 7, 11) else k for k in stripped]
    valid = pc.match_substring_regex(pa.array(out, type=pa.string(), from_pandas=True), REGION_KEY.pattern)  # anchored
    out[~valid.fill_null(False).to_numpy(zero_copy_only=False)] = None
    return pd.Series(out, index=col.index, dtype=object)


def texts(col: pd.Series) -> pd.Series:
    """Cells as stripped text ('' for empty), vectorised for the common case of text cells."""
    col = col.reset_index(drop=True)
    cells = col.to_numpy(dtype=object)
    is_str = cell_kinds(cells) == 1
    out = np.full(len(cells), "", dtype=object)
    out[is_str] = _strip_all(cells[is_str])
    rest = ~is_str & col.notna().to_numpy()
    if rest.any():
        out[rest] = [cell_text(v) for v in cells[rest]]
    return pd.Series(out, index=col.index, dtype=object)


_MONTHS = {
    "januar": 1,
    "jänner": 1,
    "februar": 2,
    "märz": 3,
    "maerz": 3,
    "april": 4,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "dezember": 12,
}
_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH_YEAR = re.compile(r"(" + "|".join(_MONTHS) + r")\s+(\d{4})", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
#: a date a spreadsheet program wrote with a two-digit year ('31.12.18': a German LibreOffice/Excel re-saving a CSV)
_DATE_SHORT = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2})$")


def parse_period(text: object) -> tuple[int, dt.date | None] | None:
    """Year and reference date from '31.12.2022', '2022-12-31', 'Juni 2022' (end of month) or '2022'."""
    if isinstance(text, dt.datetime):
        return text.year, text.date()
    if isinstance(text, dt.date):
        return text.year, text
    s = cell_text(text)
    for rx, order in ((_DATE, (3, 2, 1)), (_ISO, (1, 2, 3))):
        m = rx.search(s)
        if m:
            try:
                d = dt.date(int(m.group(order[0])), int(m.group(order[1])), int(m.group(order[2])))
            except ValueError:
                return None
            return d.year, d
    m = _DATE_SHORT.match(s)
    if m:
        year = 2000 + int(m.group(3))
        year = year if year <= dt.date.today().year + 1 else year - 100
        try:
            d = dt.date(year, int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
        return d.year, d
    m = _MONTH_YEAR.search(s)
    if m:
        year, month = int(m.group(2)), _MONTHS[m.group(1).lower()]
        last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        return year, last
    m = _YEAR.match(s)
    if m:
        return int(m.group(1)), None
    return None


_AGE_RANGE = re.compile(r"^(\d+)\s*bis\s*unter\s*(\d+)\s*jahre?n?$")
_AGE_UNDER = re.compile(r"^unter\s*(\d+)\s*jahre?n?$")
_AGE_SINGLE = re.compile(r"^(\d+)\s*-\s*jährige$")
_AGE_PLUS = re.compile(r"^(\d+)\s*(?:jahre?\s*und\s*(?:mehr|älter)|und\s*mehr\s*jahre?|jahre?\s*u\.\s*m\.)$")


def age_code(label: str) -> str | None:
    """'15 bis unter 18 Jahre' → '15-18', 'unter 3 Jahre' → 'u3', '75 Jahre und mehr' → '75_plus'."""
    s = header_key(label)
    if s in ("insgesamt", "alle altersgruppen", "zusammen"):
        return "insgesamt"
    if s == "alter unbekannt":
        return "unbekannt"
    m = _AGE_SINGLE.match(s)
    if m:  # '11-Jährige' (single years of age): 11 bis unter 12
        return f"{m.group(1)}-{int(m.group(1)) + 1}"
    for rx, fmt in ((_AGE_RANGE, "{}-{}"), (_AGE_UNDER, "u{}"), (_AGE_PLUS, "{}_plus")):
        m = rx.match(s)
        if m:
            return fmt.format(*m.groups())
    return None


# -- problems --------------------------------------------------------------------------------------
def row_problems(
    raw: RawFile, positions: np.ndarray, rows: np.ndarray, column: str, message_of: Callable[[int], str]
) -> list[Problem]:
    """Problems of a column of a text file at ``positions`` (into the frame; ``rows``: their line numbers in
    the file): the messages are built for the listed ones only (a large file may have millions), then one
    line counts the rest."""
    shown = positions[:MAX_LISTED]
    found = pd.DataFrame(
        {
            "source_sheet": None,
            "source_row": rows[:MAX_LISTED],
            "source_column": column,
            "message": [message_of(i) for i in shown],
        }
    )
    return cell_problems(raw, found, "message", total=len(positions))


def cell_problems(
    raw: RawFile,
    found: pd.DataFrame,
    message_col: str,
    severity: Severity = "fehler",
    limit: int = MAX_LISTED,
    total: int | None = None,
) -> list[Problem]:
    """One problem per row of ``found`` (columns source_sheet, source_row, source_column and the message),
    the first ``limit`` of them, and one more that counts the rest. ``total``: how many rows have the
    problem when ``found`` holds only the first of them (:func:`row_problems`)."""
    total = len(found) if total is None else total
    out = [
        Problem(
            severity,
            str(r[message_col]),
            raw.name,
            r["source_sheet"],
            r["source_row"],
            r["source_column"],
            content=None if r.get("content") is None else str(r["content"]),
        )
        for r in found.head(limit).to_dict("records")
    ]
    if total > min(limit, len(found)):
        shown = min(limit, len(found))
        out.append(
            Problem(
                severity,
                f"… und {total - shown:,} weitere Zellen mit demselben Problem.".replace(",", "."),
                raw.name,
                found["source_sheet"].iloc[0],
                None,
                None,
                more=total - shown,
            )
        )
    return out


def cell_place(j: int, label: object = None) -> str:
    """How a problem names a value column: its Excel letter and, where the file has one, its label ('D (Quote in %)')."""
    from indicators.ingest.files import column_letter

    text = cell_text(label)
    return f"{column_letter(j)} ({text})" if text else column_letter(j)


#: text cells refused as a warning only (the one value left out) while the file is otherwise sound
SOFT_REFUSALS = 3


def soften_refusals(raw: RawFile, found: list[Problem], parsed: pd.DataFrame, problems: list[Problem]) -> list[Problem]:
    """The problems of refused value cells (``found``, from :func:`value_problems`) as the reader reports them: a few
    texts ('k.A.', 'ca. 100') in a file otherwise sound are warnings with that one value left out (every other row is
    read); more of them (over 3, or over 1 % of the cells of a larger file), empty cells or other errors keep them
    errors. ``parsed``: the parsed cells of the whole block; ``problems``: the reader's other problems so far."""
    err = parsed["error"]
    bad = err.notna().to_numpy()
    n_bad = int(bad.sum())
    if not n_bad:
        return found
    n_text = int((err.notna() & (err != EMPTY_CELL)).sum())
    soft = (
        n_text == n_bad
        and n_bad <= SOFT_REFUSALS
        and n_bad <= max(1, len(bad) // 100)
        and n_bad < len(bad)
        and not any(p.severity == "fehler" for p in problems)
    )
    if not soft:
        return found
    return [
        dataclasses.replace(  # the place and the cell's content stay
            p,
            severity="warnung",
            left_out=True,
            message=f"{p.message} – dieser eine Wert wird nicht übernommen; alle übrigen Zeilen sind gelesen. "
            "Bitte die Zelle prüfen (ein Wert, der fehlen soll, ist „.“ oder „-“).",
        )
        if p.severity == "fehler"
        else p
        for p in found
    ]


def value_problems(
    raw: RawFile, cells: pd.DataFrame, parsed: pd.DataFrame, spreadsheet: bool, contents: pd.Series | None = None
) -> list[Problem]:
    """Errors for value cells that are neither numbers nor special symbols; a warning for numbers stored as text.

    ``cells`` has source_sheet, source_row, source_column and (for spreadsheets) ``col``, the 0-based
    column index, used to tell an empty cell from a formula without saved result. ``contents``: the value cells as
    read (aligned with ``cells``); a refused cell's problem then carries its content.
    """
    problems: list[Problem] = []
    bad = parsed["error"].notna().to_numpy()
    if bad.any():
        found = cells.loc[bad].copy()
        found["message"] = parsed["error"].to_numpy()[bad]
        if contents is not None:
            found["content"] = [None if pd.isna(v) else str(v) for v in contents.to_numpy(dtype=object)[bad]]
        if spreadsheet and "col" in found.columns:
            from indicators.ingest.files import explain_empty

            empty = (found["message"] == EMPTY_CELL).to_numpy()
            found.loc[empty, "message"] = [
                explain_empty(raw, sh, int(r), int(c), EMPTY_CELL)
                for sh, r, c in zip(
                    found.loc[empty, "source_sheet"], found.loc[empty, "source_row"], found.loc[empty, "col"]
                )
            ]
        problems += cell_problems(raw, found, "message")
    as_text = parsed["as_text"].to_numpy()
    if spreadsheet and as_text.any():
        first = cells.loc[as_text].iloc[0]
        problems.append(
            raw.warning(
                text_as_number_message(int(as_text.sum())),
                first["source_sheet"],
                int(first["source_row"]),
                first["source_column"],
            )
        )
    return problems


# -- the canonical frame ---------------------------------------------------------------------------
#: text columns of the canonical frame held as categoricals: few distinct values, integer codes per row
CATEGORICAL_COLUMNS = (
    "variable",
    "region",
    "nationality",
    "sex",
    "age_group",
    "category",
    "source_sheet",
    "source_column",
)


def as_categorical(col: pd.Series | object, n: int) -> pd.Categorical:
    """A column (or one value for every row) as a categorical; missing values stay missing."""
    if not isinstance(col, pd.Series):
        if col is None or (isinstance(col, float) and np.isnan(col)):
            return pd.Categorical.from_codes(np.full(n, -1, dtype=np.int8), categories=pd.Index([], dtype=object))
        return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[col])
    if isinstance(col.dtype, pd.CategoricalDtype):
        return col.array  # unused categories are harmless: every check selects rows by their codes
    return pd.Categorical(col.astype(object).where(col.notna(), None))


def finish_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Defaults for the dimensions, column order and dtypes of :data:`PARSED_COLUMNS`.

    Text columns become categoricals (:data:`CATEGORICAL_COLUMNS`): validation and the commit then work
    on integer codes, and a column with one value for two million rows costs two million bytes."""
    n = len(frame)
    out = pd.DataFrame(index=pd.RangeIndex(n))
    for col in PARSED_COLUMNS:
        src = frame[col].reset_index(drop=True) if col in frame.columns else None
        if col in ("nationality", "sex", "age_group", "category"):
            if src is None:
                src = "insgesamt"
            elif src.isna().any():
                src = src.astype(object).where(src.notna(), "insgesamt")
        if col in CATEGORICAL_COLUMNS:
            out[col] = as_categorical(src, n)
        else:
            out[col] = src
    out["value"] = out["value"].astype("float64")
    out["year"] = out["year"].astype("int64") if n else out["year"].astype("Int64")
    out["source_row"] = out["source_row"].astype("int64") if n else out["source_row"].astype("Int64")
    out["flag"] = out["flag"].astype(object).where(out["flag"].notna(), None)
    return out


def merge_flags(a: pd.Series, b: pd.Series) -> pd.Series:
    """Two flag columns into one comma-separated, sorted set per row."""

    def one(x: object, y: object) -> object:
        parts = {p for v in (x, y) if isinstance(v, str) and v for p in v.split(",") if p}
        return ",".join(sorted(parts)) or None

    if not b.notna().any():
        return a
    return pd.Series([one(x, y) for x, y in zip(a, b)], index=a.index, dtype=object)


# -- categorical columns (large files: work on distinct values, spread by integer codes) -----------
def categories(col: pd.Series) -> list[str]:
    return [str(c).strip() for c in col.cat.categories]


def spread(labels: Sequence[object], codes: np.ndarray) -> pd.Categorical:
    """Row ``i`` gets ``labels[codes[i]]``, as a categorical (a code of -1 or a ``None`` label is missing):
    the work is done once per distinct label, the rows only move integers."""
    uniq = list(dict.fromkeys(v for v in labels if v is not None))
    pos = {v: i for i, v in enumerate(uniq)}
    lut = np.array([pos[v] if v is not None else -1 for v in labels] + [-1], dtype=np.int32)
    return pd.Categorical.from_codes(lut[codes], categories=uniq)


def recode(col: pd.Series, new: Sequence[object]) -> pd.Categorical:
    """Replace each category of ``col`` by ``new[i]`` (``None`` becomes a missing value)."""
    return spread(new, col.cat.codes.to_numpy())


def combined_key(parts: list[tuple[np.ndarray, int]], n: int) -> np.ndarray:
    """One integer per distinct combination of several code arrays (each with its number of values; -1 is
    missing), for ``n`` rows."""
    key = np.zeros(n, dtype=np.int64)
    span = 1
    for codes, size in parts:
        if span * (size + 1) >= 2**62:  # would overflow: renumber the combinations so far densely
            key = pd.factorize(key)[0].astype(np.int64)
            span = int(key.max()) + 1 if n else 1
        key = key * (size + 1) + (codes + 1)
        span *= size + 1
    return key


def combine(*cols: pd.Series) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Row codes of the distinct combinations of several categorical columns, and those combinations
    (a missing value is "")."""
    cats = [categories(c) for c in cols]
    codes = [c.cat.codes.to_numpy().astype(np.int64) for c in cols]
    key = combined_key([(cd, len(cs)) for cd, cs in zip(codes, cats)], len(cols[0]))
    inverse, uniq = pd.factorize(key, sort=True)  # hashing, not sorting two million keys
    first = np.empty(len(uniq), dtype=np.int64)  # a row of each combination: the last write is the first row
    first[inverse[::-1]] = np.arange(len(inverse) - 1, -1, -1)
    combos = [tuple(cs[cd[i]] if cd[i] >= 0 else "" for cs, cd in zip(cats, codes)) for i in first]
    return inverse.reshape(-1), combos


def text_as_number_message(n: int) -> str:
    """The warning for numbers stored as text (the row named is the first such cell)."""
    if n == 1:
        return "1 Zahl war als Text gespeichert und wurde als Zahl gelesen."
    return f"{n} Zahlen waren als Text gespeichert und wurden als Zahl gelesen (die erste hier)."
