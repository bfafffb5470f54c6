"""The strategy as Excel: the whole strategy (``strategy export``/``import``) and the department round
("Maßnahmenabfrage": one pre-filled form per responsible unit with validation lists for status and dates).

A returned file goes the same way as a data upload: :func:`read_file` gives a preview (what changes, old → new,
and every problem with sheet, row and column), :func:`apply` writes all of it in one transaction or nothing,
:func:`imports` is the history and :func:`rollback` restores the state before an import. A form of another unit
or of an outdated round is refused with its reason."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from indicators import auth
from indicators.errors import UserError
from indicators.export import put
from indicators.fmt import NumberError, fmt_date, fmt_num, parse_number
from indicators.permissions import current_tenant
from indicators.status import UploadStatus
from indicators.store import Store, one_row
from indicators.strategy import model
from indicators.strategy.model import STATUSES, StrategyError

if TYPE_CHECKING:
    from indicators.catalog import Catalog


META_SHEET, MEASURES_SHEET, MILESTONES_SHEET = "Formular", "Maßnahmen", "Meilensteine"
GOALS_SHEET, PARTNERS_SHEET, LEITBILD_SHEET = "Ziele", "Partner", "Leitbild"
KIND_FORM, KIND_STRATEGY = "Maßnahmenabfrage", "Strategie"
MAX_ROWS = 5000
MAX_UNPACKED = 10 * 1024 * 1024  #: a form of a whole Landkreis is below 1 MB unpacked

# (header, key, type, editable in the department form)
MEASURE_COLUMNS = [
    ("Maßnahme-Nr.", "id", "id", False),
    ("Titel", "title", "text", False),
    ("Beschreibung", "description", "text", False),
    ("Handlungsfelder", "fields", "list", False),
    ("Handlungsziele", "goals", "list", False),
    ("Verantwortlich", "unit", "text", False),
    ("Partner", "partners", "list", False),
    ("Status", "status", "status", True),
    ("Beginn", "start_date", "date", True),
    ("Ende", "end_date", "date", True),
    ("Budget geplant (EUR)", "budget_planned", "money", True),
    ("Budget verausgabt (EUR)", "budget_spent", "money", True),
    ("Erreichte Personen Ziel", "reach_target", "int", True),
    ("Erreichte Personen Ist", "reach_actual", "int", True),
    ("Nächste Überprüfung", "next_review", "date", True),
    ("Überprüft am", "review_date", "date", True),
    ("Fortschrittsnotiz", "review_note", "text", True),
]
FORM_MEASURE_KEYS = (
    "id",
    "title",
    "status",
    "start_date",
    "end_date",
    "budget_planned",
    "budget_spent",
    "reach_target",
    "reach_actual",
    "next_review",
    "review_date",
    "review_note",
)
MILESTONE_COLUMNS = [
    ("Maßnahme-Nr.", "measure", "id"),
    ("Nr.", "nr", "int"),
    ("Meilenstein", "title", "text"),
    ("Fällig am", "due", "date"),
    ("Erledigt am", "done", "date"),
]
GOAL_COLUMNS = [
    ("Ziel-Nr.", "id", "id"),
    ("Art", "kind", "text"),
    ("Handlungsfeld", "field", "text"),
    ("Leitziel", "parent", "text"),
    ("Titel", "title", "text"),
    ("Beschreibung", "description", "text"),
    ("Indikatoren", "indicators", "list"),
    ("Reihenfolge", "position", "int"),
]
PARTNER_COLUMNS = [
    ("Partner-Nr.", "id", "id"),
    ("Name", "name", "text"),
    ("Art", "kind", "text"),
    ("Handlungsfelder", "fields", "list"),
    ("Kontakt (Funktion)", "contact", "text"),
]
LEITBILD_COLUMNS = [
    ("Text", "text", "text"),
    ("Beschlossen am", "adopted_on", "date"),
    ("Beschlossen durch", "adopted_by", "text"),
]
LABELS = {key: header for header, key, *_ in MEASURE_COLUMNS} | {
    "milestones": "Meilensteine",
    "reviews": "Überprüfungen",
}

HEAD_FONT = Font(bold=True)
EDIT_FILL = PatternFill("solid", fgColor="FFF7D6")
DATE_FORMAT = "DD.MM.YYYY"


# -- writing --------------------------------------------------------------------------------------
def _cell_value(key: str, m: dict[str, Any]) -> Any:
    if key == "review_date":
        return m["reviews"][-1]["date"] if m["reviews"] else None
    if key == "review_note":
        return m["reviews"][-1]["note"] if m["reviews"] else None
    v = m.get(key)
    if isinstance(v, list):
        return ", ".join(v)
    return v


def _write_table(
    ws: Any, columns: list[tuple[Any, ...]], rows: list[list[Any]], editable: set[str] | None = None
) -> None:
    for c, (header, key, _typ, *_) in enumerate(columns, start=1):
        cell = put(ws, 1, c, header)
        cell.font = HEAD_FONT
        ws.column_dimensions[get_column_letter(c)].width = (
            40 if key in ("title", "description", "review_note", "text") else 16
        )
    for r, values in enumerate(rows, start=2):
        for c, ((_header, key, typ, *_), v) in enumerate(zip(columns, values), start=1):
            cell = put(ws, r, c, v)
            if typ == "date":
                cell.number_format = DATE_FORMAT
            if editable is not None and key in editable:
                cell.fill = EDIT_FILL
    ws.freeze_panes = "A2"


def _validations(ws: Any, columns: list[tuple[Any, ...]], first: int, last: int) -> None:
    """Excel's own checks in the cells a department fills in (a list for the status, dates, numbers ≥ 0)."""
    for c, (header, _key, typ, *_) in enumerate(columns, start=1):
        col = get_column_letter(c)
        ref = f"{col}{first}:{col}{max(last, first)}"
        if typ == "status":
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(STATUSES) + '"',
                allow_blank=False,
                showErrorMessage=True,
                errorTitle="Status",
                error="Bitte einen Status aus der Liste wählen.",
            )
        elif typ == "date":
            dv = DataValidation(
                type="date",
                operator="between",
                formula1="DATE(2000,1,1)",
                formula2="DATE(2100,12,31)",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=header,
                error="Bitte ein Datum eingeben, z. B. 31.03.2026.",
            )
        elif typ in ("money", "int"):
            dv = DataValidation(
                type="decimal" if typ == "money" else "whole",
                operator="greaterThanOrEqual",
                formula1="0",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=header,
                error="Bitte eine Zahl ab 0 eingeben.",
            )
        else:
            continue
        ws.add_data_validation(dv)
        dv.add(ref)


def _meta_sheet(wb: Workbook, kind: str, rows: list[tuple[str, Any]]) -> None:
    ws = wb.active
    ws.title = META_SHEET
    put(ws, 1, 1, "Angabe").font = HEAD_FONT
    put(ws, 1, 2, "Wert").font = HEAD_FONT
    for r, (k, v) in enumerate([("Art", kind), *rows], start=2):
        put(ws, r, 1, k)
        put(ws, r, 2, v)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 90


def _milestone_rows(ms: list[dict[str, Any]]) -> list[list[Any]]:
    return [[m["id"], i, x["title"], x["due"], x["done"]] for m in ms for i, x in enumerate(m["milestones"], start=1)]


def form_bytes(store: Store, unit: str, round_no: int, today: dt.date) -> bytes:
    """The pre-filled form of one responsible unit (its measures; yellow cells are to be updated)."""
    ms = [m for m in model.measures(store) if m["unit"] == unit]
    wb = Workbook()
    _meta_sheet(
        wb,
        KIND_FORM,
        [
            ("Fachdienst/Amt", unit),
            ("Runde", round_no),
            ("Erstellt am", fmt_date(today)),
            (
                "Hinweis",
                "Bitte nur die gelb hinterlegten Zellen ändern (Status aus der Liste, Datum als TT.MM.JJJJ). "
                "Neue Meilensteine als neue Zeile im Blatt „Meilensteine“ mit der Maßnahme-Nr. eintragen. "
                "Die Datei unverändert in Name und Blättern zurückgeben.",
            ),
        ],
    )
    cols = [c for c in MEASURE_COLUMNS if c[1] in FORM_MEASURE_KEYS]
    ws = wb.create_sheet(MEASURES_SHEET)
    _write_table(ws, cols, [[_cell_value(c[1], m) for c in cols] for m in ms], editable={c[1] for c in cols if c[3]})
    _validations(ws, cols, 2, len(ms) + 1)
    ws2 = wb.create_sheet(MILESTONES_SHEET)
    rows = _milestone_rows(ms)
    _write_table(ws2, MILESTONE_COLUMNS, rows, editable={"title", "due", "done"})
    _validations(ws2, MILESTONE_COLUMNS, 2, len(rows) + 30)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def current_round(store: Store) -> tuple[int, dt.datetime] | None:
    row = store.query(
        "SELECT round, created_at FROM strat_rounds WHERE tenant = ? ORDER BY round DESC LIMIT 1", [current_tenant()]
    )
    return (int(row[0][0]), row[0][1]) if row else None


def round_overview(store: Store) -> dict[str, Any] | None:
    """The current round before a new one replaces it: its number, when its forms were made, for which units, and
    which of them came back (an active import of that round, with its id and time). None before the first round."""
    row = store.query(
        "SELECT round, created_at, units FROM strat_rounds WHERE tenant = ? ORDER BY round DESC LIMIT 1",
        [current_tenant()],
    )
    if not row:
        return None
    n, created, units = int(row[0][0]), row[0][1], list(model._loads(row[0][2], []))
    back = store.query(
        "SELECT unit, max(id), max(imported_at) FROM strat_imports WHERE kind = ? AND round = ? AND status = ? "
        "AND tenant = ? GROUP BY unit ORDER BY unit",
        [KIND_FORM, n, UploadStatus.ACTIVE.value, current_tenant()],
    )
    returned = {str(u): (int(i), t) for u, i, t in back}
    return {"round": n, "created_at": created, "units": units, "returned": returned}


def start_round(store: Store, user: str, today: dt.date) -> tuple[int, dict[str, bytes]]:
    """A new department round: one form per responsible unit; forms of earlier rounds are outdated from now."""
    user = auth.require(auth.MEASURE_ROUND, user)  # the role is checked here, not only on the page
    unit_list = model.units(store)
    if not unit_list:
        raise StrategyError("Es gibt noch keine Maßnahmen; ohne Maßnahmen gibt es keine Formulare.")
    with store.transaction() as cur:
        tenant = current_tenant()
        n = int(
            one_row(
                cur.execute(
                    "SELECT coalesce(max(round), 0) + 1 FROM strat_rounds WHERE tenant = ?", [tenant]
                ).fetchone()
            )[0]
        )
        cur.execute(
            "INSERT INTO strat_rounds VALUES (?, ?, ?, ?, ?)",
            [n, dt.datetime.now(), user, json.dumps(unit_list, ensure_ascii=False), tenant],
        )
        forms = {u: form_bytes(store, u, n, today) for u in unit_list}
        for u, data in forms.items():
            cur.execute("INSERT INTO strat_round_forms VALUES (?, ?, ?, ?)", [n, u, data, tenant])
        Store.audit(cur, user, "massnahmenabfrage_gestartet", str(n), {"fachdienste": unit_list})
    return n, forms


def round_forms(store: Store) -> tuple[int, dict[str, bytes]] | None:
    """The forms of the current round, byte for byte as they were made when it started (for a second download);
    None before the first round. A round started before the forms were kept gets them made anew for its number."""
    cr = current_round(store)
    if cr is None:
        return None
    n = cr[0]
    rows = (
        store.query(
            "SELECT unit, data FROM strat_round_forms WHERE round = ? AND tenant = ? ORDER BY unit",
            [n, current_tenant()],
        )
        if store.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'strat_round_forms'")
        else []
    )
    if rows:
        return n, {str(u): bytes(d) for u, d in rows}
    overview = round_overview(store) or {}
    return n, {u: form_bytes(store, u, n, cr[1].date()) for u in overview.get("units", [])}


def form_file_name(unit: str, round_no: int) -> str:
    safe = "".join(ch if ch.isalnum() else "_" for ch in unit).strip("_")
    return f"massnahmenabfrage_runde{round_no}_{safe}.xlsx"


def write_forms(store: Store, folder: Path, user: str, today: dt.date) -> tuple[int, list[Path]]:
    user = auth.require(auth.MEASURE_ROUND, user)  # the role is checked here, not only on the page
    n, forms = start_round(store, user, today)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for unit, data in forms.items():
        p = folder / form_file_name(unit, n)
        p.write_bytes(data)
        paths.append(p)
    return n, paths


def strategy_bytes(store: Store) -> bytes:
    """The whole strategy: Leitbild, Ziele, Partner, Maßnahmen, Meilensteine (the CLI's ``strategy export``)."""
    wb = Workbook()
    lb = model.leitbild(store)
    _meta_sheet(
        wb,
        KIND_STRATEGY,
        [("Hinweis", "Export der Strategie; geändert zurückgeben mit `strategy import`. Leere Nr.: neuer Eintrag.")],
    )
    ws = wb.create_sheet(LEITBILD_SHEET)
    _write_table(ws, LEITBILD_COLUMNS, [[lb["text"], lb["adopted_on"], lb["adopted_by"]]] if lb else [])
    ws = wb.create_sheet(GOALS_SHEET)
    _write_table(ws, GOAL_COLUMNS, [[_cell_value(c[1], g) for c in GOAL_COLUMNS] for g in model.goals(store)])
    ws = wb.create_sheet(PARTNERS_SHEET)
    _write_table(ws, PARTNER_COLUMNS, [[_cell_value(c[1], p) for c in PARTNER_COLUMNS] for p in model.partners(store)])
    ms = model.measures(store)
    ws = wb.create_sheet(MEASURES_SHEET)
    _write_table(ws, MEASURE_COLUMNS, [[_cell_value(c[1], m) for c in MEASURE_COLUMNS] for m in ms])
    _validations(ws, MEASURE_COLUMNS, 2, len(ms) + 50)
    ws = wb.create_sheet(MILESTONES_SHEET)
    rows = _milestone_rows(ms)
    _write_table(ws, MILESTONE_COLUMNS, rows)
    _validations(ws, MILESTONE_COLUMNS, 2, len(rows) + 50)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# -- reading --------------------------------------------------------------------------------------
@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"Blatt „{self.sheet}“"
        if self.row:
            where += f", Zeile {self.row}"
        if self.column:
            where += f", Spalte {self.column}"
        return f"{where}: {self.message}"


@dataclass
class Change:
    kind: str  # massnahme, ziel, partner, leitbild
    object_id: str
    title: str
    what: str  # the field's German name
    old: str
    new: str


@dataclass
class Preview:
    file_name: str
    sha256: str
    kind: str = ""
    unit: str | None = None
    round: int | None = None
    refusal: str | None = None
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    #: (kind, new record, old record) to write
    records: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = field(default_factory=list)
    #: (sheet, row) of each record, so that a refusal while writing names the cell as the preview would
    origins: list[tuple[str, int]] = field(default_factory=list)
    #: (sheet, key) → the column as the messages name it, e.g. "K (Überprüft am)"
    columns: dict[tuple[str, str], str] = field(default_factory=dict)
    #: the day of the import (the monitor's today): the date of a new review note without a date of its own
    today: dt.date = field(default_factory=dt.date.today)

    def column(self, sheet: str, key: str | None) -> str | None:
        return self.columns.get((sheet, key)) if key else None

    def add(self, kind: str, rec: dict[str, Any], old: dict[str, Any] | None, sheet: str, row: int) -> None:
        self.records.append((kind, rec, old))
        self.origins.append((sheet, row))

    @property
    def ok(self) -> bool:
        return self.refusal is None and not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "datei": self.file_name,
            "art": self.kind,
            "fachdienst": self.unit,
            "runde": self.round,
            "abgelehnt": self.refusal,
            "probleme": [str(p) for p in self.problems],
            "aenderungen": [
                {"art": c.kind, "nr": c.object_id, "titel": c.title, "feld": c.what, "bisher": c.old, "neu": c.new}
                for c in self.changes
            ],
        }


class ImportRefused(UserError):
    pass


def _fmt(v: Any) -> str:
    if v is None or v == "" or v == []:
        return "–"
    if isinstance(v, (dt.date, dt.datetime)):
        return fmt_date(v)
    if isinstance(v, float):
        return fmt_num(v, 2)
    if isinstance(v, list):
        if v and isinstance(v[0], dict):
            return " · ".join(_fmt_item(x) for x in v)
        return ", ".join(str(x) for x in v)
    return str(v)


def _fmt_item(x: dict[str, Any]) -> str:
    if "due" in x:
        return f"{x['title']} (fällig {fmt_date(x['due'])}{', erledigt ' + fmt_date(x['done']) if x['done'] else ''})"
    return f"{fmt_date(x.get('date'))}: {x.get('note')}"


def _parse(value: Any, typ: str) -> Any:
    """A cell's value by type; raises ValueError with a German message."""
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        return [] if typ == "list" else None
    if typ == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
            try:
                return dt.datetime.strptime(str(value), fmt).date()
            except ValueError:
                pass
        raise ValueError(f"„{value}“ ist kein Datum (bitte TT.MM.JJJJ, z. B. 31.03.2026)")
    if typ in ("money", "int"):
        if isinstance(value, bool):
            raise ValueError(f"„{value}“ ist keine Zahl")
        if isinstance(value, (int, float)):
            num = float(value)
        else:
            try:
                num = parse_number(str(value), "x")
            except NumberError:
                raise ValueError(f"„{value}“ ist keine Zahl (Beispiel: 1.234,50)") from None
        if num < 0:
            raise ValueError(f"{fmt_num(num, 2)} ist negativ")
        if typ == "int":
            if num != int(num):
                raise ValueError(f"{fmt_num(num, 2)} ist keine ganze Zahl")
            return int(num)
        return round(num, 2)
    if typ == "status":
        s = str(value).strip().lower()
        if s not in STATUSES:
            raise ValueError(f"„{value}“ ist kein Status (erlaubt: {', '.join(STATUSES)})")
        return s
    if typ == "list":
        return [x.strip() for x in str(value).replace(";", ",").split(",") if x.strip()]
    if typ == "int":
        return int(value)
    s = str(value)
    if typ == "id":
        return s.strip()
    return s


def _read_sheet(
    wb: Any,
    sheet: str,
    columns: list[tuple[Any, ...]],
    required: bool,
    problems: list[Problem],
    needed: tuple[str, ...] | None = None,
    positions: dict[tuple[str, str], str] | None = None,
) -> list[tuple[int, dict[str, Any]]] | None:
    """The rows of a sheet as (Excel row, record) with parsed values; problems for unknown/missing columns and
    bad cells. ``needed``: the keys whose columns must be there (default: all)."""
    if sheet not in wb.sheetnames:
        if required:
            found = ", ".join(f"„{n}“" for n in wb.sheetnames)
            problems.append(
                Problem(
                    sheet,
                    None,
                    None,
                    f"das Blatt „{sheet}“ fehlt; die Datei hat die Blätter {found}. Wurde es umbenannt? "
                    f"Bitte das Blatt wieder „{sheet}“ nennen.",
                )
            )
        return None
    ws = wb[sheet]
    for merged in sorted(getattr(ws, "merged_cells", None) or [], key=lambda x: (x.min_row, x.min_col)):
        # a merged cell keeps only its first value; the others read as empty, which would silently blank them
        problems.append(
            Problem(
                sheet,
                merged.min_row,
                get_column_letter(merged.min_col)
                + (f" bis {get_column_letter(merged.max_col)}" if merged.max_col > merged.min_col else ""),
                f"verbundene Zellen {merged.coord}; bitte die Verbindung aufheben und jede Zelle einzeln ausfüllen",
            )
        )
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    names = [str(h).strip() if h is not None else "" for h in header]
    pos = {}
    for header_text, key, _typ, *_ in columns:
        if header_text in names:
            pos[key] = names.index(header_text)
        elif needed is None or key in needed:
            problems.append(Problem(sheet, 1, header_text, "die Spalte fehlt"))
    if positions is not None:
        for header_text, key, *_ in columns:
            if key in pos:
                positions[(sheet, key)] = f"{get_column_letter(pos[key] + 1)} ({header_text})"
    if any(k not in pos for k in (needed or [c[1] for c in columns])):
        return None
    out = []
    for r, row in enumerate(rows, start=2):
        if r > MAX_ROWS:
            problems.append(Problem(sheet, r, None, f"mehr als {MAX_ROWS - 1} Zeilen"))
            break
        if row is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        rec = {}
        for header_text, key, typ, *_ in columns:
            if key not in pos:
                continue
            i = pos[key]
            raw = row[i] if i < len(row) else None
            try:
                rec[key] = _parse(raw, typ)
            except ValueError as exc:
                letter = get_column_letter(i + 1)
                problems.append(Problem(sheet, r, f"{letter} ({header_text})", str(exc)))
                rec[key] = _BAD
        out.append((r, rec))
    return out


_BAD = object()


def _meta(wb: Any) -> dict[str, Any]:
    if META_SHEET not in wb.sheetnames:
        return {}
    out = {}
    for row in wb[META_SHEET].iter_rows(min_row=2, values_only=True):
        if row and row[0] is not None:
            out[str(row[0]).strip()] = row[1] if len(row) > 1 else None
    return out


def _open(data: bytes, file_name: str) -> Any:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED:
                raise ImportRefused(f"Datei „{file_name}“: entpackt größer als {MAX_UNPACKED // 2**20} MB.")
        return load_workbook(io.BytesIO(data), data_only=True)
    except ImportRefused:
        raise
    except Exception:
        raise ImportRefused(f"Datei „{file_name}“ ist keine lesbare Excel-Datei (.xlsx).") from None


def read_file(store: Store, catalog: Catalog, data: bytes, file_name: str, today: dt.date | None = None) -> Preview:
    """Read a returned form or a strategy workbook: a preview with changes and problems; nothing is written.
    ``today`` (the monitor's today, default the calendar day) dates a new review note that kept the last date."""
    pv = Preview(file_name, hashlib.sha256(data).hexdigest(), today=today or dt.date.today())
    try:
        wb = _open(data, file_name)
    except ImportRefused as exc:
        pv.refusal = str(exc)
        return pv
    meta = _meta(wb)
    pv.kind = str(meta.get("Art") or "")
    if pv.kind == KIND_FORM:
        _read_form(store, catalog, wb, meta, pv)
    elif pv.kind == KIND_STRATEGY:
        _read_strategy(store, catalog, wb, pv)
    else:
        pv.refusal = (
            f"Datei „{file_name}“ ist weder ein Formular der Maßnahmenabfrage noch ein Export der "
            f"Strategie (Blatt „{META_SHEET}“, Angabe „Art“ fehlt oder ist unbekannt)."
        )
    if pv.refusal:
        pv.changes, pv.records = [], []
    return pv


def _read_form(store: Store, catalog: Catalog, wb: Any, meta: dict[str, Any], pv: Preview) -> None:
    unit = str(meta.get("Fachdienst/Amt") or "").strip()
    pv.unit = unit or None
    try:
        pv.round = int(meta.get("Runde"))  # type: ignore[arg-type]  # (None: TypeError, handled)
    except (TypeError, ValueError):
        pv.refusal = f"Blatt „{META_SHEET}“: die Angabe „Runde“ fehlt oder ist keine Zahl."
        return
    cur_round = current_round(store)
    if cur_round is None or pv.round > cur_round[0]:
        pv.refusal = f"Das Formular nennt Runde {pv.round}; diese Runde der Maßnahmenabfrage wurde hier nie erstellt."
        return
    if pv.round < cur_round[0]:
        pv.refusal = (
            f"Das Formular stammt aus Runde {pv.round} der Maßnahmenabfrage; aktuell ist Runde "
            f"{cur_round[0]} (erstellt am {fmt_date(cur_round[1])}). Veraltete Formulare werden nicht "
            "übernommen – bitte das Formular der aktuellen Runde ausfüllen."
        )
        return
    current = {m["id"]: m for m in model.measures(store)}
    known_units = {m["unit"] for m in current.values()}
    if unit not in known_units:
        pv.refusal = (
            f"Das Formular ist für „{unit or '(leer)'}“; dieser Fachdienst ist für keine Maßnahme verantwortlich."
        )
        return
    form_cols = [c for c in MEASURE_COLUMNS if c[1] in FORM_MEASURE_KEYS]
    rows = _read_sheet(wb, MEASURES_SHEET, form_cols, True, pv.problems, positions=pv.columns)
    ms_rows = _read_sheet(wb, MILESTONES_SHEET, MILESTONE_COLUMNS, True, pv.problems, positions=pv.columns)
    if rows is None or ms_rows is None:
        return
    foreign = []
    col_id = pv.column(MEASURES_SHEET, "id") or "A (Maßnahme-Nr.)"
    for r, rec in rows:
        mid = rec.get("id")
        if not mid:
            title = rec.get("title")
            named = f" („{title}“)" if isinstance(title, str) and title.strip() else ""
            pv.problems.append(
                Problem(
                    MEASURES_SHEET,
                    r,
                    col_id,
                    f"eine hinzugefügte Zeile{named} ohne Maßnahme-Nr.: im Formular lassen sich keine neuen "
                    "Maßnahmen anlegen. Bitte die Zeile löschen und die neue Maßnahme der Stabsstelle melden "
                    "(sie legt sie auf der Seite Maßnahmen an).",
                )
            )
        elif mid not in current:
            pv.problems.append(Problem(MEASURES_SHEET, r, col_id, f"Maßnahme „{mid}“ gibt es nicht"))
        elif current[mid]["unit"] != unit:
            foreign.append(f"Zeile {r}: {mid} (verantwortlich: {current[mid]['unit']})")
    if foreign:
        pv.refusal = (
            f"Das Formular ist für „{unit}“, enthält aber Maßnahmen eines anderen Fachdienstes – "
            f"{'; '.join(foreign)}. Bitte das Formular des zuständigen Fachdienstes verwenden."
        )
        return
    _merge_measures(store, catalog, current, rows, ms_rows, pv, form=True)


def _merge_measures(
    store: Store, catalog: Catalog, current: dict[str, Any], rows: Any, ms_rows: Any, pv: Preview, form: bool
) -> None:
    by_measure = _milestones_by_measure(current, rows, ms_rows, pv, form)
    goal_ids = {g["id"] for g in model.goals(store) if g["kind"] == "handlungsziel"} | pv_goal_ids(pv)
    partner_ids = {p["id"] for p in model.partners(store)} | pv_partner_ids(pv)
    for r, rec in rows:
        if any(v is _BAD for v in rec.values()):
            continue
        mid = rec.get("id") or None
        old = current.get(mid) if mid else None
        if form and old is None:
            continue
        if mid and old is None and not form:
            pv.problems.append(
                Problem(
                    MEASURES_SHEET,
                    r,
                    "A (Maßnahme-Nr.)",
                    f"Maßnahme „{mid}“ gibt es nicht (für eine neue Maßnahme die Nr. leer lassen)",
                )
            )
            continue
        new = _merged_measure(rec, old, mid, by_measure, form, pv, r)
        if new is None:
            continue
        try:
            checked = model.normalise_measure({**new, "id": mid}, catalog, goal_ids, partner_ids)
        except StrategyError as exc:
            pv.problems.append(Problem(MEASURES_SHEET, r, pv.column(MEASURES_SHEET, exc.column), str(exc)))
            continue
        checked["demo"] = (old or {}).get("demo", False)
        if old is not None and checked == old:
            continue
        _measure_changes(mid, checked, old, pv)
        pv.add("massnahme", checked, old, MEASURES_SHEET, r)


def _milestones_by_measure(
    current: dict[str, Any], rows: Any, ms_rows: Any, pv: Preview, form: bool
) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """The milestone rows by measure number; rows of a measure that does not exist (or is not in the form) and rows
    without a date or a name become problems."""
    by_measure: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for r, rec in ms_rows:
        mid = rec.get("measure")
        if rec.get("title") in (None, _BAD) and rec.get("due") in (None, _BAD) and rec.get("done") in (None,):
            continue
        if not mid or (mid not in current and mid not in {x.get("id") for _, x in rows}):
            pv.problems.append(
                Problem(
                    MILESTONES_SHEET,
                    r,
                    "A (Maßnahme-Nr.)",
                    f"Maßnahme „{mid or ''}“ gibt es nicht" + (" in diesem Formular" if form else ""),
                )
            )
            continue
        if form and mid not in {x.get("id") for _, x in rows}:
            pv.problems.append(
                Problem(
                    MILESTONES_SHEET, r, "A (Maßnahme-Nr.)", f"Maßnahme „{mid}“ steht nicht im Blatt „{MEASURES_SHEET}“"
                )
            )
            continue
        if rec.get("due") is None:
            pv.problems.append(Problem(MILESTONES_SHEET, r, "D (Fällig am)", "bitte ein Datum angeben"))
        if not rec.get("title"):
            pv.problems.append(Problem(MILESTONES_SHEET, r, "C (Meilenstein)", "bitte den Meilenstein benennen"))
        by_measure.setdefault(mid, []).append((r, rec))
    return by_measure


def _merged_measure(
    rec: dict[str, Any],
    old: dict[str, Any] | None,
    mid: str | None,
    by_measure: dict[str, list[tuple[int, dict[str, Any]]]],
    form: bool,
    pv: Preview,
    r: int,
) -> dict[str, Any] | None:
    """A measure with a row's values over the stored ones: its milestones (where the sheet has them) and a new
    review note; None where a milestone row of it has an unreadable cell or the review date lies before the last
    review (a problem then)."""
    base: dict[str, Any] = dict(old) if old else {"reviews": [], "milestones": [], "demo": False}
    new = dict(base)
    for key, value in rec.items():
        if key in ("review_date", "review_note", "id"):
            continue
        new[key] = value
    if mid in by_measure or (not form):
        items = sorted(
            by_measure.get(cast(str, mid), []), key=lambda x: (x[1].get("nr") is None, x[1].get("nr") or 0, x[0])
        )
        if any(v is _BAD for _, x in items for v in x.values()):
            return None
        new["milestones"] = [
            {"title": x["title"], "due": x["due"], "done": x["done"]}
            for _, x in items
            if x.get("title") and x.get("due")
        ]
    note = (rec.get("review_note") or "").strip()
    last = base["reviews"][-1] if base["reviews"] else None
    on = rec.get("review_date")
    if on and last and last["date"] and on < last["date"]:
        pv.problems.append(
            Problem(
                MEASURES_SHEET,
                r,
                pv.column(MEASURES_SHEET, "review_date"),
                f"{fmt_date(on)} liegt vor der letzten Überprüfung am {fmt_date(last['date'])}; "
                "bitte das Datum dieser Überprüfung eintragen",
            )
        )
        return None
    if note and (last is None or last["note"] != note or (on and last["date"] != on)):
        when = on or pv.today
        if last and last["date"] and on == last["date"] and last["note"] != note:
            # a new note under the prefilled date of the last review: written today, not back then
            when = max(pv.today, last["date"])
        new["reviews"] = [*base["reviews"], {"date": when, "note": note, "by": ""}]
    return new


#: the fields of a measure whose changes the preview lists
MEASURE_FIELDS = (
    "title",
    "description",
    "fields",
    "goals",
    "unit",
    "partners",
    "status",
    "start_date",
    "end_date",
    "budget_planned",
    "budget_spent",
    "reach_target",
    "reach_actual",
    "next_review",
    "milestones",
    "reviews",
)


def _measure_changes(mid: str | None, checked: dict[str, Any], old: dict[str, Any] | None, pv: Preview) -> None:
    """One line of the preview per changed field of a measure."""
    title = checked["title"]
    for key in MEASURE_FIELDS:
        before = old.get(key) if old else None
        if before != checked[key] and not (old is None and checked[key] in (None, "", [])):
            pv.changes.append(
                Change(
                    "massnahme",
                    mid or "(neu)",
                    title,
                    LABELS.get(key, key),
                    _fmt(before) if old else "–",
                    _fmt(checked[key]),
                )
            )


def pv_goal_ids(pv: Preview) -> set[str]:
    return {rec["id"] for kind, rec, _ in pv.records if kind == "ziel" and rec.get("kind") == "handlungsziel"}


def pv_partner_ids(pv: Preview) -> set[str]:
    return {rec["id"] for kind, rec, _ in pv.records if kind == "partner"}


def _read_strategy(store: Store, catalog: Catalog, wb: Any, pv: Preview) -> None:
    problems = pv.problems
    lb_rows = _read_sheet(wb, LEITBILD_SHEET, LEITBILD_COLUMNS, False, problems, positions=pv.columns)
    goal_rows = _read_sheet(wb, GOALS_SHEET, GOAL_COLUMNS, True, problems, positions=pv.columns)
    partner_rows = _read_sheet(wb, PARTNERS_SHEET, PARTNER_COLUMNS, True, problems, positions=pv.columns)
    rows = _read_sheet(wb, MEASURES_SHEET, MEASURE_COLUMNS, True, problems, positions=pv.columns)
    ms_rows = _read_sheet(wb, MILESTONES_SHEET, MILESTONE_COLUMNS, True, problems, positions=pv.columns)
    if goal_rows is None or partner_rows is None or rows is None or ms_rows is None:
        return
    _read_leitbild(store, lb_rows or [], pv)
    _read_goals(store, catalog, goal_rows, pv)
    _read_partners(store, catalog, partner_rows, pv)
    current = {m["id"]: m for m in model.measures(store)}
    _merge_measures(store, catalog, current, rows, ms_rows, pv, form=False)


def _read_leitbild(store: Store, lb_rows: Any, pv: Preview) -> None:
    """The Leitbild's first readable row: a new version where its text differs."""
    lb = model.leitbild(store)
    for r, rec in lb_rows:
        if any(v is _BAD for v in rec.values()):
            continue
        new: dict[str, Any] = {
            "text": (rec.get("text") or "").strip(),
            "adopted_on": rec.get("adopted_on"),
            "adopted_by": (rec.get("adopted_by") or "").strip(),
        }
        old = {k: lb[k] for k in new} if lb else None
        if old is not None:
            old["adopted_on"] = model._date(old["adopted_on"])
            old["adopted_by"] = old["adopted_by"] or ""
        if new["text"] and new != old:
            pv.changes.append(
                Change("leitbild", "Leitbild", "Leitbild", "neue Fassung", _fmt(old and old["text"]), new["text"])
            )
            pv.add("leitbild", new, old, LEITBILD_SHEET, r)
        break


def _read_goals(store: Store, catalog: Catalog, goal_rows: Any, pv: Preview) -> None:
    """The goals sheet: each row checked as when it is written (model.check_goal) against the stored goal."""
    problems = pv.problems
    goals_by_id = {g["id"]: g for g in model.goals(store)}  # read once, not once per row
    leitziele = {g["id"]: g["field"] for g in goals_by_id.values() if g["kind"] == "leitziel"}
    for r, rec in goal_rows:
        if any(v is _BAD for v in rec.values()):
            continue
        old = goals_by_id.get(rec.get("id")) if rec.get("id") else None
        if rec.get("id") and old is None:
            problems.append(Problem(GOALS_SHEET, r, "A (Ziel-Nr.)", f"Ziel „{rec['id']}“ gibt es nicht"))
            continue
        new = {
            "id": rec.get("id") or None,
            "kind": (rec.get("kind") or "").strip().lower(),
            "field": rec.get("field"),
            "parent": rec.get("parent") or None,
            "title": (rec.get("title") or "").strip(),
            "description": (rec.get("description") or "").strip(),
            "indicators": rec.get("indicators") or [],
            "position": rec.get("position") or 0,
            "demo": old["demo"] if old else False,
        }
        try:  # the same checks as when it is written (model.save_goal)
            kind, title, description, fld, parent, inds = model.check_goal(new, catalog, leitziele)
        except StrategyError as exc:
            problems.append(Problem(GOALS_SHEET, r, pv.column(GOALS_SHEET, exc.column), str(exc)))
            continue
        new |= {
            "kind": kind,
            "title": title,
            "description": description,
            "field": fld,
            "parent": parent,
            "indicators": inds,
        }
        if old is not None and new == old:
            continue
        pv.changes.append(
            Change("ziel", new["id"] or "(neu)", new["title"], "Ziel", _fmt(old and old["title"]), new["title"])
        )
        pv.add("ziel", new, old, GOALS_SHEET, r)


def _read_partners(store: Store, catalog: Catalog, partner_rows: Any, pv: Preview) -> None:
    """The partners sheet: each row checked as when it is written (model.check_partner) against the stored one."""
    problems = pv.problems
    partners_by_id = {p["id"]: p for p in model.partners(store)}
    for r, rec in partner_rows:
        if any(v is _BAD for v in rec.values()):
            continue
        old = partners_by_id.get(rec.get("id")) if rec.get("id") else None
        if rec.get("id") and old is None:
            problems.append(Problem(PARTNERS_SHEET, r, "A (Partner-Nr.)", f"Partner „{rec['id']}“ gibt es nicht"))
            continue
        new = {
            "id": rec.get("id") or None,
            "name": (rec.get("name") or "").strip(),
            "kind": rec.get("kind"),
            "fields": rec.get("fields") or [],
            "contact": (rec.get("contact") or "").strip(),
            "demo": old["demo"] if old else False,
        }
        try:  # the same checks as when it is written (model.save_partner)
            new["name"], new["kind"], new["fields"], new["contact"] = model.check_partner(new, catalog)
        except StrategyError as exc:
            problems.append(Problem(PARTNERS_SHEET, r, pv.column(PARTNERS_SHEET, exc.column), str(exc)))
            continue
        if old is not None and new == old:
            continue
        pv.changes.append(
            Change("partner", new["id"] or "(neu)", new["name"], "Partner", _fmt(old and old["name"]), new["name"])
        )
        pv.add("partner", new, old, PARTNERS_SHEET, r)


# -- writing an import ----------------------------------------------------------------------------
def apply(store: Store, catalog: Catalog, pv: Preview, user: str) -> int | None:
    """Write everything of a checked preview in one transaction (or nothing); returns the import's id, None when
    nothing changes. Refused and faulty files raise :class:`ImportRefused`."""
    user = auth.require(auth.MEASURE_ROUND, user)  # the role is checked here, not only on the page
    if pv.refusal:
        raise ImportRefused(pv.refusal)
    if pv.problems:
        raise ImportRefused(
            f"Datei „{pv.file_name}“: {len(pv.problems)} Problem(e); nichts übernommen. Erstes: {pv.problems[0]}"
        )
    if not pv.records:
        return None
    reason = f"Import „{pv.file_name}“" + (f" ({pv.unit}, Runde {pv.round})" if pv.kind == KIND_FORM else "")
    with store.transaction() as cur:
        if pv.kind == KIND_FORM:
            cr = one_row(
                cur.execute("SELECT max(round) FROM strat_rounds WHERE tenant = ?", [current_tenant()]).fetchone()
            )[0]
            if cr != pv.round:  # a new round started between preview and confirmation
                raise ImportRefused(f"Inzwischen gilt Runde {cr}; das Formular aus Runde {pv.round} ist veraltet.")
        iid = int(one_row(cur.execute("SELECT nextval('strat_import_seq')").fetchone())[0])
        first = int(one_row(cur.execute("SELECT coalesce(max(id), 0) FROM strat_history").fetchone())[0])
        for (kind, rec, old), (sheet, row) in zip(pv.records, pv.origins, strict=True):
            try:
                _write_record(store, catalog, cur, kind, rec, old, user, reason, iid)
            except StrategyError as exc:  # the preview checks the same; should the data have changed since:
                where = Problem(sheet, row, pv.column(sheet, exc.column), str(exc))
                raise ImportRefused(f"Datei „{pv.file_name}“: nichts übernommen. {where}") from None
        # every history row this import wrote belongs to it (goals and partners are written without an import id)
        cur.execute(
            "UPDATE strat_history SET import_id = ? WHERE id > ? AND import_id IS NULL AND tenant = ?",
            [iid, first, current_tenant()],
        )
        n_changes = len(pv.changes)  # as the preview counted them (field by field)
        cur.execute(
            "INSERT INTO strat_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'aktiv', NULL, NULL, ?)",
            [
                iid,
                pv.file_name,
                pv.sha256,
                pv.kind,
                pv.unit,
                pv.round,
                dt.datetime.now(),
                user,
                n_changes,
                current_tenant(),
            ],
        )
        Store.audit(cur, user, "strategie_import", str(iid), {"datei": pv.file_name, "aenderungen": n_changes})
    return iid


def _write_record(
    store: Store,
    catalog: Catalog,
    cur: Any,
    kind: str,
    rec: dict[str, Any],
    old: dict[str, Any] | None,
    user: str,
    reason: str,
    iid: int,
) -> None:
    if kind == "leitbild":
        tenant = current_tenant()
        n = int(
            one_row(
                cur.execute(
                    "SELECT coalesce(max(version), 0) + 1 FROM strat_leitbild WHERE tenant = ?", [tenant]
                ).fetchone()
            )[0]
        )
        cur.execute(
            "INSERT INTO strat_leitbild VALUES (?, ?, ?, ?, ?, ?, ?, FALSE, ?)",
            [n, rec["text"], rec["adopted_on"], rec["adopted_by"], dt.datetime.now(), user, reason, tenant],
        )
        model.log_change(cur, user, "leitbild", str(n), old, {**rec, "version": n}, reason, iid)
    elif kind == "ziel":
        model.save_goal(store, catalog, rec, user, reason, cur=cur)
    elif kind == "partner":
        model.save_partner(store, catalog, rec, user, reason, cur=cur)
    else:
        rec = {**rec, "reviews": [{**v, "by": v.get("by") or user} for v in rec["reviews"]]}
        model.save_measure(store, catalog, rec, user, reason, cur=cur, import_id=iid)


def imports(store: Store) -> list[dict[str, Any]]:
    cols = (
        "id",
        "file_name",
        "kind",
        "unit",
        "round",
        "imported_at",
        "user_name",
        "changes",
        "status",
        "rolled_back_at",
        "rolled_back_by",
    )
    sql = f"SELECT {', '.join(cols)} FROM strat_imports WHERE tenant = ? ORDER BY id DESC"
    return [dict(zip(cols, r)) for r in store.query(sql, [current_tenant()])]


class RollbackBlocked(ImportRefused):
    """A rollback that later, still active imports stand in the way of: ``later`` names them (newest first); rolled
    back together (``rollback(..., with_later=True)``), the state before this import comes back."""

    def __init__(self, message: str, later: list[int]) -> None:
        super().__init__(message)
        self.later = later


def _current_record(cur: Any, kind: str, oid: str) -> Any:
    """An object's record as it stands now, in the form the history stores it (JSON), or None when it is gone."""
    if kind == "massnahme":
        rec: dict[str, Any] | None = model.measure(cast(Store, None), oid, cur)
    elif kind == "ziel":
        rec = next((g for g in model.goals(cast(Store, None), cur) if g["id"] == oid), None)
    elif kind == "partner":
        rec = next((p for p in model.partners(cast(Store, None), cur) if p["id"] == oid), None)
    else:
        return None
    return model._loads(model.dumps(rec), None)


def _blockers(cur: Any, import_id: int) -> tuple[list[int], str | None]:
    """What stands in the way of rolling back an import: the later active imports that changed one of its objects
    since (ids, newest first), and the first change by hand (a German sentence) – None when there is none. A later
    change that was itself undone (a later import rolled back, a value set back by hand) stands in no one's way: what
    counts is whether the object is still as this import left it."""
    hist = cur.execute(
        "SELECT id, kind, object_id, new FROM strat_history WHERE import_id = ? ORDER BY id", [import_id]
    ).fetchall()
    last_new: dict[tuple[str, str], tuple[int, Any]] = {}
    for hid, kind, oid, new in hist:
        last_new[(kind, oid)] = (hid, new)
    later: set[int] = set()
    manual = None
    for (kind, oid), (hid, new) in last_new.items():
        if kind == "leitbild":
            newer = cur.execute(
                "SELECT count(*) FROM strat_leitbild WHERE version > ? AND tenant = ?", [int(oid), current_tenant()]
            ).fetchone()[0]
            if not newer:
                continue
        elif _current_record(cur, kind, oid) == model._loads(new, None):
            continue
        rows = cur.execute(
            "SELECT h.import_id, i.status, h.changed_at, h.changed_by FROM strat_history h "
            "LEFT JOIN strat_imports i ON i.id = h.import_id "
            "WHERE h.kind = ? AND h.object_id = ? AND h.id > ? AND coalesce(h.import_id, -1) <> ? AND h.tenant = ? "
            "ORDER BY h.id",
            [kind, oid, hid, import_id, current_tenant()],
        ).fetchall()
        active = [r for r in rows if r[0] is not None and r[1] == UploadStatus.ACTIVE]
        if active:
            later.update(int(r[0]) for r in active)
        elif manual is None:
            by_hand = [r for r in rows if r[0] is None] or rows
            when = f" (am {fmt_date(by_hand[-1][2], with_time=True)} von {by_hand[-1][3]})" if by_hand else ""
            manual = (
                f"{model.KINDS[kind]} {oid} wurde nach dem Import geändert{when}; der Import lässt sich "
                "nicht mehr zurücknehmen, ohne diese Änderung zu überschreiben."
            )
    return sorted(later, reverse=True), manual


def _rollback_one(cur: Any, import_id: int, user: str, with_later: bool) -> list[tuple[int, int]]:
    """Roll back one import inside the caller's transaction (with ``with_later`` first the later imports in its way,
    newest first); returns (import id, entries restored) of each rolled back, in that order."""
    row = cur.execute(
        "SELECT status, file_name FROM strat_imports WHERE id = ? AND tenant = ?", [import_id, current_tenant()]
    ).fetchone()
    if row is None:
        raise ImportRefused(f"Import {import_id} gibt es nicht.")
    if row[0] != UploadStatus.ACTIVE:
        raise ImportRefused(f"Import {import_id} („{row[1]}“) ist bereits zurückgenommen.")
    later, manual = _blockers(cur, import_id)
    if manual:
        raise ImportRefused(manual)
    done: list[tuple[int, int]] = []
    if later:
        if not with_later:
            names = cur.execute(
                f"SELECT id, file_name FROM strat_imports WHERE id IN ({', '.join('?' * len(later))}) ORDER BY id DESC",
                later,
            ).fetchall()
            which = ", ".join(f"Import {i} („{f}“)" for i, f in names)
            raise RollbackBlocked(
                f"Import {import_id} („{row[1]}“) lässt sich nicht allein zurücknehmen: {which} hat dieselben "
                f"Einträge danach geändert. Erst {'diesen' if len(later) == 1 else 'diese'} zurücknehmen oder "
                f"alle zusammen (Schaltfläche „Zusammen zurücknehmen“, Befehl "
                f"strategy rollback {import_id} --mit-spaeteren“).",
                later,
            )
        for other in later:
            if cur.execute("SELECT status FROM strat_imports WHERE id = ?", [other]).fetchone()[0] == "aktiv":
                done += _rollback_one(cur, other, user, True)
        return [*done, *_rollback_one(cur, import_id, user, False)]
    hist = cur.execute(
        "SELECT id, kind, object_id, old FROM strat_history WHERE import_id = ? ORDER BY id DESC", [import_id]
    ).fetchall()
    reason = f"Rücknahme des Imports {import_id} („{row[1]}“)"
    for hid, kind, oid, old in hist:
        old = model._loads(old, None)
        current = one_row(cur.execute("SELECT new FROM strat_history WHERE id = ?", [hid]).fetchone())[0]
        if kind == "massnahme":
            if old is None:
                cur.execute("DELETE FROM strat_measures WHERE id = ? AND tenant = ?", [oid, current_tenant()])
            else:
                model.write_measure(cur, model.record_from_json(old), user)
        elif kind == "ziel":
            cur.execute("DELETE FROM strat_goals WHERE id = ? AND tenant = ?", [oid, current_tenant()])
            if old is not None:
                model.write_goal(cur, old, user)
        elif kind == "partner":
            cur.execute("DELETE FROM strat_partners WHERE id = ? AND tenant = ?", [oid, current_tenant()])
            if old is not None:
                model.write_partner(cur, old, user)
        elif kind == "leitbild":
            cur.execute("DELETE FROM strat_leitbild WHERE version = ? AND tenant = ?", [int(oid), current_tenant()])
        model.log_change(cur, user, kind, oid, model._loads(current, None), old, reason)
    cur.execute(
        "UPDATE strat_imports SET status = 'zurueckgenommen', rolled_back_at = ?, rolled_back_by = ? "
        "WHERE id = ? AND tenant = ?",
        [dt.datetime.now(), user, import_id, current_tenant()],
    )
    Store.audit(
        cur, user, "strategie_import_zurueckgenommen", str(import_id), {"datei": row[1], "eintraege": len(hist)}
    )
    return [(import_id, len(hist))]


def rollback(store: Store, catalog: Catalog, import_id: int, user: str, with_later: bool = False) -> int:
    """Restore every object the import changed to its state before, in one transaction. A change by hand since
    refuses it; later active imports that changed the same objects refuse it with :class:`RollbackBlocked` (naming
    them), or with ``with_later`` are rolled back first, together with it. Returns the entries restored."""
    return rollback_all(store, catalog, import_id, user, with_later)[1]


def rollback_all(
    store: Store, catalog: Catalog, import_id: int, user: str, with_later: bool = False
) -> tuple[list[int], int]:
    """:func:`rollback` with the ids of all imports rolled back (the later ones first) and the entries restored."""
    user = auth.require(auth.MEASURE_ROUND, user)  # the role is checked here, not only on the page
    with store.transaction() as cur:
        done = _rollback_one(cur, import_id, user, with_later)
    return [i for i, _ in done], sum(n for _, n in done)
