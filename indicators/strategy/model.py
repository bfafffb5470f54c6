"""Tables, reads and writes of the strategy. Every write takes ``user`` and a ``reason``, runs in one transaction
(``store.transaction()``) and is logged in ``strat_history`` (old and new record as JSON) and in the audit log.
Every table carries the tenant (issue 24: each Kreis has its own strategy); every query takes the current tenant
(:func:`indicators.permissions.current_tenant`) as a parameter.

The tables are created by :func:`ensure_schema` (idempotent, called when the monitor opens); they have their own
version row in ``meta`` (``strategy_schema``) so the store's migrations stay untouched."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any, cast

from indicators import auth, config
from indicators.errors import UserError
from indicators.permissions import current_tenant
from indicators.status import MeasureStatus
from indicators.store import Store, one_row

if TYPE_CHECKING:
    import duckdb

    from indicators.catalog import Catalog


SCHEMA_VERSION = 1

#: the measures' statuses as stored and shown (plain strings, in this order)
STATUSES = tuple(s.value for s in MeasureStatus)
PARTNER_KINDS = (
    "Verwaltung",
    "Jobcenter",
    "Agentur für Arbeit",
    "Schule",
    "Kita-Träger",
    "Wohlfahrtsverband",
    "Migrantenorganisation",
    "Ehrenamt",
    "Bildungsträger",
    "Kammer",
    "Gemeinde",
    "Sonstige",
)
TITLE_MAX, TEXT_MAX, NOTE_MAX, REASON_MAX = 200, 2000, 500, 300

TABLES = [
    """CREATE TABLE IF NOT EXISTS strat_leitbild (
        version INTEGER NOT NULL, text TEXT NOT NULL, adopted_on DATE, adopted_by TEXT,
        created_at TIMESTAMP NOT NULL, created_by TEXT NOT NULL, reason TEXT, demo BOOLEAN NOT NULL DEFAULT FALSE)""",
    """CREATE TABLE IF NOT EXISTS strat_goals (
        id TEXT NOT NULL, kind TEXT NOT NULL, field TEXT NOT NULL, parent TEXT, title TEXT NOT NULL,
        description TEXT, indicators JSON, position INTEGER NOT NULL DEFAULT 0,
        demo BOOLEAN NOT NULL DEFAULT FALSE, updated_at TIMESTAMP NOT NULL, updated_by TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS strat_partners (
        id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, fields JSON, contact TEXT,
        demo BOOLEAN NOT NULL DEFAULT FALSE, updated_at TIMESTAMP NOT NULL, updated_by TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS strat_measures (
        id TEXT NOT NULL, title TEXT NOT NULL, description TEXT, fields JSON, goals JSON, unit TEXT NOT NULL,
        partners JSON, start_date DATE, end_date DATE, budget_planned DOUBLE, budget_spent DOUBLE,
        status TEXT NOT NULL, reach_target INTEGER, reach_actual INTEGER, next_review DATE,
        milestones JSON, reviews JSON, demo BOOLEAN NOT NULL DEFAULT FALSE,
        updated_at TIMESTAMP NOT NULL, updated_by TEXT NOT NULL)""",
    "CREATE SEQUENCE IF NOT EXISTS strat_history_seq START 1",
    """CREATE TABLE IF NOT EXISTS strat_history (
        id INTEGER NOT NULL, kind TEXT NOT NULL, object_id TEXT NOT NULL, changed_at TIMESTAMP NOT NULL,
        changed_by TEXT NOT NULL, old JSON, new JSON, reason TEXT, import_id INTEGER)""",
    "CREATE SEQUENCE IF NOT EXISTS strat_import_seq START 1",
    """CREATE TABLE IF NOT EXISTS strat_imports (
        id INTEGER NOT NULL, file_name TEXT NOT NULL, sha256 TEXT NOT NULL, kind TEXT NOT NULL, unit TEXT,
        round INTEGER, imported_at TIMESTAMP NOT NULL, user_name TEXT NOT NULL, changes INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'aktiv', rolled_back_at TIMESTAMP, rolled_back_by TEXT)""",
    """CREATE TABLE IF NOT EXISTS strat_rounds (
        round INTEGER NOT NULL, created_at TIMESTAMP NOT NULL, created_by TEXT NOT NULL, units JSON)""",
    # the forms as sent out in a round, so that they can be downloaded again until the next round
    """CREATE TABLE IF NOT EXISTS strat_round_forms (round INTEGER NOT NULL, unit TEXT NOT NULL, data BLOB NOT NULL)""",
]

#: the strategy's tables; each row carries its tenant's key (issue 24)
TENANT_TABLES = (
    "strat_leitbild",
    "strat_goals",
    "strat_partners",
    "strat_measures",
    "strat_history",
    "strat_imports",
    "strat_rounds",
    "strat_round_forms",
)

KINDS = {"leitbild": "Leitbild", "ziel": "Ziel", "partner": "Partner", "massnahme": "Maßnahme"}


class StrategyError(UserError):
    """Bad input for the strategy; the German message names the field. ``column``: the key of the field (as in the
    Excel file's columns), so that an import can name the cell."""

    def __init__(self, message: str, column: str | None = None) -> None:
        super().__init__(message)
        self.column = column


def ensure_schema(store: Store) -> None:
    if store.read_only:
        return
    with store.transaction() as cur:
        for stmt in TABLES:
            cur.execute(stmt)
        for table in TENANT_TABLES:  # (a strategy from before tenants belongs to the installation's own Kreis)
            cur.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS tenant TEXT")
            cur.execute(f"UPDATE {table} SET tenant = ? WHERE tenant IS NULL", [config.own_region_setting()])
        if not one_row(cur.execute("SELECT count(*) FROM meta WHERE key = 'strategy_schema'").fetchone())[0]:
            cur.execute("INSERT INTO meta VALUES ('strategy_schema', ?)", [str(SCHEMA_VERSION)])


def has_tables(store: Store) -> bool:
    return bool(store.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'strat_measures'"))


# -- JSON helpers ---------------------------------------------------------------------------------
def _iso(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, list):
        return [_iso(x) for x in v]
    if isinstance(v, dict):
        return {k: _iso(x) for k, x in v.items()}
    return v


def dumps(record: dict[str, Any] | None) -> str | None:
    return None if record is None else json.dumps(_iso(record), ensure_ascii=False, sort_keys=True)


def _date(v: Any) -> dt.date | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def _loads(v: Any, default: Any) -> Any:
    if v is None:
        return default
    return json.loads(v) if isinstance(v, str) else v


# -- reads ----------------------------------------------------------------------------------------
MEASURE_COLS = (
    "id",
    "title",
    "description",
    "fields",
    "goals",
    "unit",
    "partners",
    "start_date",
    "end_date",
    "budget_planned",
    "budget_spent",
    "status",
    "reach_target",
    "reach_actual",
    "next_review",
    "milestones",
    "reviews",
    "demo",
)


def _measure_from_row(row: tuple[Any, ...]) -> dict[str, Any]:
    r = dict(zip(MEASURE_COLS, row))
    for k in ("fields", "goals", "partners"):
        r[k] = list(_loads(r[k], []))
    r["milestones"] = [
        {"title": m["title"], "due": _date(m.get("due")), "done": _date(m.get("done"))}
        for m in _loads(r["milestones"], [])
    ]
    r["reviews"] = [
        {"date": _date(v.get("date")), "note": v.get("note") or "", "by": v.get("by") or ""}
        for v in _loads(r["reviews"], [])
    ]
    for k in ("start_date", "end_date", "next_review"):
        r[k] = _date(r[k])
    for k in ("budget_planned", "budget_spent"):
        r[k] = None if r[k] is None else float(r[k])
    for k in ("reach_target", "reach_actual"):
        r[k] = None if r[k] is None else int(r[k])
    r["demo"] = bool(r["demo"])
    return r


def measures(store: Store, cur: duckdb.DuckDBPyConnection | None = None) -> list[dict[str, Any]]:
    sql, t = f"SELECT {', '.join(MEASURE_COLS)} FROM strat_measures WHERE tenant = ? ORDER BY id", [current_tenant()]
    rows = cur.execute(sql, t).fetchall() if cur is not None else store.query(sql, t)
    return [_measure_from_row(r) for r in rows]


def measure(store: Store, measure_id: str, cur: duckdb.DuckDBPyConnection | None = None) -> dict[str, Any] | None:
    sql, params = (
        f"SELECT {', '.join(MEASURE_COLS)} FROM strat_measures WHERE id = ? AND tenant = ?",
        [
            measure_id,
            current_tenant(),
        ],
    )
    rows = cur.execute(sql, params).fetchall() if cur is not None else store.query(sql, params)
    return _measure_from_row(rows[0]) if rows else None


GOAL_COLS = ("id", "kind", "field", "parent", "title", "description", "indicators", "position", "demo")


def goals(store: Store, cur: duckdb.DuckDBPyConnection | None = None) -> list[dict[str, Any]]:
    sql = f"SELECT {', '.join(GOAL_COLS)} FROM strat_goals WHERE tenant = ? ORDER BY field, position, id"
    t = [current_tenant()]
    rows = cur.execute(sql, t).fetchall() if cur is not None else store.query(sql, t)
    out = []
    for row in rows:
        r = dict(zip(GOAL_COLS, row))
        r["indicators"] = list(_loads(r["indicators"], []))
        r["demo"] = bool(r["demo"])
        out.append(r)
    return out


PARTNER_COLS = ("id", "name", "kind", "fields", "contact", "demo")


def partners(store: Store, cur: duckdb.DuckDBPyConnection | None = None) -> list[dict[str, Any]]:
    sql, t = f"SELECT {', '.join(PARTNER_COLS)} FROM strat_partners WHERE tenant = ? ORDER BY name", [current_tenant()]
    rows = cur.execute(sql, t).fetchall() if cur is not None else store.query(sql, t)
    out = []
    for row in rows:
        r = dict(zip(PARTNER_COLS, row))
        r["fields"] = list(_loads(r["fields"], []))
        r["demo"] = bool(r["demo"])
        out.append(r)
    return out


def leitbild(store: Store) -> dict[str, Any] | None:
    """The current Leitbild (highest version) or None."""
    rows = leitbild_versions(store)
    return rows[0] if rows else None


def leitbild_versions(store: Store) -> list[dict[str, Any]]:
    cols = ("version", "text", "adopted_on", "adopted_by", "created_at", "created_by", "reason", "demo")
    rows = store.query(
        f"SELECT {', '.join(cols)} FROM strat_leitbild WHERE tenant = ? ORDER BY version DESC", [current_tenant()]
    )
    return [dict(zip(cols, r)) for r in rows]


def units(store: Store) -> list[str]:
    return [
        r[0]
        for r in store.query(
            "SELECT DISTINCT unit FROM strat_measures WHERE tenant = ? ORDER BY unit", [current_tenant()]
        )
    ]


def history(
    store: Store, kind: str | None = None, object_id: str | None = None, limit: int = 500
) -> list[dict[str, Any]]:
    cols = ("id", "kind", "object_id", "changed_at", "changed_by", "old", "new", "reason", "import_id")
    rows = store.query(
        f"SELECT {', '.join(cols)} FROM strat_history WHERE tenant = ? AND (? IS NULL OR kind = ?) "
        "AND (? IS NULL OR object_id = ?) ORDER BY id DESC LIMIT ?",
        [current_tenant(), kind, kind, object_id, object_id, limit],
    )
    out = []
    for row in rows:
        r = dict(zip(cols, row))
        r["old"], r["new"] = _loads(r["old"], None), _loads(r["new"], None)
        out.append(r)
    return out


def version(store: Store) -> str:
    """A cache key: changes with every strategy change."""
    if not has_tables(store):
        return "0"
    tenant = current_tenant()
    return f"{tenant}|{store.query('SELECT count(*), max(id) FROM strat_history WHERE tenant = ?', [tenant])[0]}"


# -- validation -----------------------------------------------------------------------------------
def _text(value: Any, label: str, max_len: int, required: bool = False, column: str | None = None) -> str:
    s = "" if value is None else str(value).strip()
    if required and not s:
        raise StrategyError(f"Feld „{label}“: bitte ausfüllen.", column)
    if len(s) > max_len:
        raise StrategyError(f"Feld „{label}“: höchstens {max_len} Zeichen; der Text hat {len(s)}.", column)
    return s


def _reason(reason: str | None) -> str:
    return _text(reason, "Begründung", REASON_MAX)


def _next_id(cur: duckdb.DuckDBPyConnection, table: str, prefix: str) -> str:
    ids = [
        r[0]
        for r in cur.execute(
            f"SELECT id FROM {table} WHERE id LIKE ? AND tenant = ?", [prefix + "%", current_tenant()]
        ).fetchall()
    ]
    nums = [int(m.group(1)) for i in ids if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", i))]
    return f"{prefix}{max(nums, default=0) + 1:03d}"


def log_change(
    cur: duckdb.DuckDBPyConnection,
    user: str,
    kind: str,
    object_id: str,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    reason: str | None,
    import_id: int | None = None,
) -> None:
    cur.execute(
        "INSERT INTO strat_history VALUES (nextval('strat_history_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [kind, object_id, dt.datetime.now(), user, dumps(old), dumps(new), reason, import_id, current_tenant()],
    )
    action = "angelegt" if old is None else ("geloescht" if new is None else "geaendert")
    Store.audit(cur, user, f"strategie_{kind}_{action}", object_id, {"begruendung": reason, "import": import_id})


# -- Leitbild -------------------------------------------------------------------------------------
def set_leitbild(
    store: Store,
    text: str,
    adopted_on: dt.date | None,
    adopted_by: str,
    user: str,
    reason: str | None = None,
    demo: bool = False,
) -> int:
    """A new version of the Leitbild; earlier versions are kept."""
    user = auth.require(auth.STRATEGY, user)  # the role is checked here, not only on the page
    text = _text(text, "Leitbild", 5000, required=True)
    adopted_by = _text(adopted_by, "Beschlossen durch", TITLE_MAX)
    reason = _reason(reason)
    with store.transaction() as cur:
        old = cur.execute(
            "SELECT version, text, adopted_on, adopted_by FROM strat_leitbild WHERE tenant = ? "
            "ORDER BY version DESC LIMIT 1",
            [current_tenant()],
        ).fetchone()
        n = (old[0] if old else 0) + 1
        cur.execute(
            "INSERT INTO strat_leitbild VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [n, text, adopted_on, adopted_by, dt.datetime.now(), user, reason, demo, current_tenant()],
        )
        old_rec = dict(zip(("version", "text", "adopted_on", "adopted_by"), old)) if old else None
        log_change(
            cur,
            user,
            "leitbild",
            str(n),
            old_rec,
            {"version": n, "text": text, "adopted_on": adopted_on, "adopted_by": adopted_by},
            reason,
        )
    return n


# -- goals ----------------------------------------------------------------------------------------
def save_goal(
    store: Store,
    catalog: Catalog,
    goal: dict[str, Any],
    user: str,
    reason: str | None = None,
    cur: duckdb.DuckDBPyConnection | None = None,
) -> str:
    """Create (no ``id``) or change a Leitziel (``kind='leitziel'``) or Handlungsziel (``kind='handlungsziel'``,
    ``parent``: its Leitziel, ``indicators``: indicator ids)."""
    user = auth.require(auth.STRATEGY, user)  # the role is checked here, not only on the page
    if cur is None:
        with store.transaction() as c:
            return save_goal(store, catalog, goal, user, reason, cur=c)
    leitziele = {
        r[0]: r[1]
        for r in cur.execute(
            "SELECT id, field FROM strat_goals WHERE kind = 'leitziel' AND tenant = ?", [current_tenant()]
        ).fetchall()
    }
    kind, title, description, field, parent, inds = check_goal(goal, catalog, leitziele)
    reason = _reason(reason)
    gid = goal.get("id")
    old = None
    if gid:
        old = next((g for g in goals(store, cur) if g["id"] == gid), None)
        if old is None:
            raise StrategyError(f"Ziel {gid} gibt es nicht.")
    else:
        gid = _next_id(cur, "strat_goals", "LZ-" if kind == "leitziel" else "HZ-")
    position = int(goal.get("position") or (old or {}).get("position") or 0)
    demo = bool(goal.get("demo", (old or {}).get("demo", False)))
    new = {
        "id": gid,
        "kind": kind,
        "field": field,
        "parent": parent,
        "title": title,
        "description": description,
        "indicators": inds,
        "position": position,
        "demo": demo,
    }
    write_goal(cur, new, user)
    if old != new:
        log_change(cur, user, "ziel", gid, old, new, reason)
    return gid


def check_goal(
    goal: dict[str, Any], catalog: Catalog, leitziele: dict[str, str]
) -> tuple[str, str, str, str, str | None, list[str]]:
    """The checks of a goal, the same for the form and an import's preview (``leitziele``: id → field of the
    Leitziele there are): kind, title, description, field (a Handlungsziel's is its Leitziel's), parent, indicators."""
    kind = str(goal.get("kind") or "")
    if kind not in ("leitziel", "handlungsziel"):
        raise StrategyError("Feld „Art“: Leitziel oder Handlungsziel.", "kind")
    title = _text(goal.get("title"), "Titel", TITLE_MAX, required=True, column="title")
    description = _text(goal.get("description"), "Beschreibung", TEXT_MAX, column="description")
    field = str(goal.get("field") or "")
    parent = goal.get("parent") or None
    if kind == "handlungsziel":
        if not parent:
            raise StrategyError("Feld „Leitziel“: ein Handlungsziel gehört zu einem Leitziel.", "parent")
        if parent not in leitziele:
            raise StrategyError(f"Feld „Leitziel“: {parent} gibt es nicht.", "parent")
        field = leitziele[parent]
    else:
        parent = None
    if field not in catalog.fields:
        raise StrategyError(f"Feld „Handlungsfeld“: „{field}“ gibt es nicht.", "field")
    inds = [str(i) for i in (goal.get("indicators") or [])]
    unknown = [i for i in inds if i not in catalog.indicators]
    if unknown:
        raise StrategyError(f"Feld „Indikatoren“: unbekannt: {', '.join(unknown)}.", "indicators")
    if kind == "leitziel":
        inds = []
    return kind, title, description, field, parent, inds


def write_goal(cur: duckdb.DuckDBPyConnection, g: dict[str, Any], user: str) -> None:
    cur.execute("DELETE FROM strat_goals WHERE id = ? AND tenant = ?", [g["id"], current_tenant()])
    cur.execute(
        "INSERT INTO strat_goals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            g["id"],
            g["kind"],
            g["field"],
            g.get("parent"),
            g["title"],
            g.get("description") or "",
            json.dumps(g.get("indicators") or []),
            int(g.get("position") or 0),
            bool(g.get("demo")),
            dt.datetime.now(),
            user,
            current_tenant(),
        ],
    )


def write_partner(cur: duckdb.DuckDBPyConnection, p: dict[str, Any], user: str) -> None:
    cur.execute("DELETE FROM strat_partners WHERE id = ? AND tenant = ?", [p["id"], current_tenant()])
    cur.execute(
        "INSERT INTO strat_partners VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            p["id"],
            p["name"],
            p["kind"],
            json.dumps(p.get("fields") or []),
            p.get("contact") or "",
            bool(p.get("demo")),
            dt.datetime.now(),
            user,
            current_tenant(),
        ],
    )


# -- partners -------------------------------------------------------------------------------------
def save_partner(
    store: Store,
    catalog: Catalog,
    partner: dict[str, Any],
    user: str,
    reason: str | None = None,
    cur: duckdb.DuckDBPyConnection | None = None,
) -> str:
    user = auth.require(auth.STRATEGY, user)  # the role is checked here, not only on the page
    if cur is None:
        with store.transaction() as c:
            return save_partner(store, catalog, partner, user, reason, cur=c)
    name, kind, fields, contact = check_partner(partner, catalog)
    reason = _reason(reason)
    pid = partner.get("id")
    old = next((p for p in partners(store, cur) if p["id"] == pid), None) if pid else None
    if pid and old is None:
        raise StrategyError(f"Partner {pid} gibt es nicht.")
    pid = pid or _next_id(cur, "strat_partners", "P-")
    demo = bool(partner.get("demo", (old or {}).get("demo", False)))
    new = {"id": pid, "name": name, "kind": kind, "fields": fields, "contact": contact, "demo": demo}
    write_partner(cur, new, user)
    if old != new:
        log_change(cur, user, "partner", pid, old, new, reason)
    return pid


def check_partner(partner: dict[str, Any], catalog: Catalog) -> tuple[str, str, list[str], str]:
    """The checks of a partner, the same for the form and an import's preview: name, kind, fields, contact."""
    name = _text(partner.get("name"), "Name", TITLE_MAX, required=True, column="name")
    kind = str(partner.get("kind") or "")
    if kind not in PARTNER_KINDS:
        raise StrategyError(f"Feld „Art“: „{kind}“ ist nicht vorgesehen (erlaubt: {', '.join(PARTNER_KINDS)}).", "kind")
    fields = [f for f in (partner.get("fields") or [])]
    bad = [f for f in fields if f not in catalog.fields]
    if bad:
        raise StrategyError(f"Feld „Handlungsfelder“: unbekannt: {', '.join(bad)}.", "fields")
    contact = _text(partner.get("contact"), "Kontakt (Funktion)", TITLE_MAX, column="contact")
    if re.search(r"@[^@\s]+\.\w+", contact) and not re.match(
        r"^(info|kontakt|integration|post|poststelle|service|"
        r"buero|office|team|[a-z-]+stelle)@",
        contact,
        re.I,
    ):
        raise StrategyError(
            "Feld „Kontakt (Funktion)“: bitte eine Funktionsadresse (z. B. integration@…) oder "
            "eine Funktion angeben, keine persönliche Adresse.",
            "contact",
        )
    return name, kind, fields, contact


# -- measures -------------------------------------------------------------------------------------
def normalise_measure(m: dict[str, Any], catalog: Catalog, goal_ids: set[str], partner_ids: set[str]) -> dict[str, Any]:
    """A complete, checked measure record (raises StrategyError with the field's name)."""
    out: dict[str, Any] = {"id": m.get("id")}
    out["title"] = _text(m.get("title"), "Titel", TITLE_MAX, required=True, column="title")
    out["description"] = _text(m.get("description"), "Beschreibung", TEXT_MAX, column="description")
    out["unit"] = _text(m.get("unit"), "Verantwortlich (Fachdienst/Amt)", 120, required=True, column="unit")
    out["fields"] = list(m.get("fields") or [])
    bad = [f for f in out["fields"] if f not in catalog.fields]
    if bad:
        raise StrategyError(f"Feld „Handlungsfelder“: unbekannt: {', '.join(bad)}.", "fields")
    out["goals"] = list(m.get("goals") or [])
    bad = [g for g in out["goals"] if g not in goal_ids]
    if bad:
        raise StrategyError(f"Feld „Handlungsziele“: unbekannt: {', '.join(bad)}.", "goals")
    out["partners"] = list(m.get("partners") or [])
    bad = [p for p in out["partners"] if p not in partner_ids]
    if bad:
        raise StrategyError(f"Feld „Partner“: unbekannt: {', '.join(bad)}.", "partners")
    status = m.get("status") or "geplant"
    if status not in STATUSES:
        raise StrategyError(
            f"Feld „Status“: „{status}“ ist nicht vorgesehen (erlaubt: {', '.join(STATUSES)}).", "status"
        )
    out["status"] = status
    for k in ("start_date", "end_date", "next_review"):
        out[k] = _date(m.get(k))
    if out["start_date"] and out["end_date"] and out["end_date"] < out["start_date"]:
        raise StrategyError("Feld „Ende“: liegt vor dem Beginn.", "end_date")
    for k, label in (("budget_planned", "Budget geplant"), ("budget_spent", "Budget verausgabt")):
        v = m.get(k)
        out[k] = None if v is None or v == "" else float(v)
        if out[k] is not None and out[k] < 0:
            raise StrategyError(f"Feld „{label}“: darf nicht negativ sein.", k)
    for k, label in (("reach_target", "Erreichte Personen (Ziel)"), ("reach_actual", "Erreichte Personen (Ist)")):
        v = m.get(k)
        out[k] = None if v is None or v == "" else int(v)
        if out[k] is not None and out[k] < 0:
            raise StrategyError(f"Feld „{label}“: darf nicht negativ sein.", k)
    ms = []
    for i, x in enumerate(m.get("milestones") or [], start=1):
        title = _text(x.get("title"), f"Meilenstein {i}", TITLE_MAX, column="milestones")
        if not title:
            continue
        due = _date(x.get("due"))
        if due is None:
            raise StrategyError(f"Feld „Meilenstein {i}: fällig am“: bitte ein Datum angeben.", "milestones")
        ms.append({"title": title, "due": due, "done": _date(x.get("done"))})
    out["milestones"] = ms
    out["reviews"] = [
        {
            "date": _date(v.get("date")),
            "note": _text(v.get("note"), "Fortschrittsnotiz", NOTE_MAX, column="review_note"),
            "by": v.get("by") or "",
        }
        for v in (m.get("reviews") or [])
    ]
    out["demo"] = bool(m.get("demo", False))
    return out


def save_measure(
    store: Store,
    catalog: Catalog,
    m: dict[str, Any],
    user: str,
    reason: str | None = None,
    cur: duckdb.DuckDBPyConnection | None = None,
    import_id: int | None = None,
) -> str:
    """Create (no ``id``) or change a measure as a whole record; logged with old and new record."""
    user = auth.require(auth.STRATEGY, user)  # the role is checked here, not only on the page
    if cur is None:
        with store.transaction() as c:
            return save_measure(store, catalog, m, user, reason, cur=c, import_id=import_id)
    goal_ids = {g["id"] for g in goals(store, cur) if g["kind"] == "handlungsziel"}
    partner_ids = {p["id"] for p in partners(store, cur)}
    new = normalise_measure(m, catalog, goal_ids, partner_ids)
    reason = _reason(reason)
    old = measure(store, new["id"], cur) if new["id"] else None
    if new["id"] and old is None and import_id is None:
        raise StrategyError(f"Maßnahme {new['id']} gibt es nicht.")
    if not new["id"]:
        new["id"] = _next_id(cur, "strat_measures", "M-")
    if old is not None and "demo" not in m:
        new["demo"] = old["demo"]
    write_measure(cur, new, user)
    if old != new:
        log_change(cur, user, "massnahme", new["id"], old, new, reason, import_id)
    return cast(str, new["id"])


def write_measure(cur: duckdb.DuckDBPyConnection, m: dict[str, Any], user: str) -> None:
    cur.execute("DELETE FROM strat_measures WHERE id = ? AND tenant = ?", [m["id"], current_tenant()])
    cur.execute(
        f"INSERT INTO strat_measures ({', '.join(MEASURE_COLS)}, updated_at, updated_by, tenant) "
        f"VALUES ({', '.join('?' * (len(MEASURE_COLS) + 3))})",
        [
            m["id"],
            m["title"],
            m["description"],
            json.dumps(m["fields"]),
            json.dumps(m["goals"]),
            m["unit"],
            json.dumps(m["partners"]),
            m["start_date"],
            m["end_date"],
            m["budget_planned"],
            m["budget_spent"],
            m["status"],
            m["reach_target"],
            m["reach_actual"],
            m["next_review"],
            json.dumps(_iso(m["milestones"])),
            json.dumps(_iso(m["reviews"])),
            m["demo"],
            dt.datetime.now(),
            user,
            current_tenant(),
        ],
    )


def record_from_json(data: dict[str, Any]) -> dict[str, Any]:
    """A measure record from its JSON in the history (dates back to dates)."""
    r = dict(data)
    for k in ("start_date", "end_date", "next_review"):
        r[k] = _date(r.get(k))
    r["milestones"] = [
        {"title": x["title"], "due": _date(x.get("due")), "done": _date(x.get("done"))}
        for x in r.get("milestones") or []
    ]
    r["reviews"] = [
        {"date": _date(x.get("date")), "note": x.get("note") or "", "by": x.get("by") or ""}
        for x in r.get("reviews") or []
    ]
    return r


def add_review(
    store: Store,
    catalog: Catalog,
    measure_id: str,
    note: str,
    user: str,
    on: dt.date,
    next_review: dt.date | None = None,
) -> None:
    """A short progress note for a review; sets the next review date."""
    user = auth.require(auth.STRATEGY, user)  # the role is checked here, not only on the page
    with store.transaction() as cur:
        m = measure(store, measure_id, cur)
        if m is None:
            raise StrategyError(f"Maßnahme {measure_id} gibt es nicht.")
        note = _text(note, "Fortschrittsnotiz", NOTE_MAX, required=True)
        m = {**m, "reviews": [*m["reviews"], {"date": on, "note": note, "by": user}], "next_review": next_review}
        save_measure(store, catalog, m, user, "Überprüfung", cur=cur)


def remove_demo(store: Store, user: str, cur: duckdb.DuckDBPyConnection | None = None) -> int:
    """Delete the demo strategy (Leitbild versions, goals, partners, measures marked demo); logged."""
    if not has_tables(store):
        return 0
    if cur is None:
        with store.transaction() as c:
            return remove_demo(store, user, c)
    n, t = 0, [current_tenant()]
    for table in ("strat_measures", "strat_goals", "strat_partners", "strat_leitbild"):
        n += int(one_row(cur.execute(f"SELECT count(*) FROM {table} WHERE demo AND tenant = ?", t).fetchone())[0])
        cur.execute(f"DELETE FROM {table} WHERE demo AND tenant = ?", t)
    if n:
        Store.audit(cur, user, "strategie_demo_entfernt", None, {"eintraege": n})
        cur.execute(
            "INSERT INTO strat_history VALUES (nextval('strat_history_seq'), 'demo', 'alle', ?, ?, NULL, NULL, "
            "'Demodaten entfernt', NULL, ?)",
            [dt.datetime.now(), user, current_tenant()],
        )
    return n
