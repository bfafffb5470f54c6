"""Targets (Soll) and notes on data points. Every target change is kept with who, when, old, new, why."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, cast

import duckdb
import pandas as pd

from indicators import auth
from indicators.catalog import Catalog
from indicators.errors import UserError
from indicators.fmt import is_missing
from indicators.permissions import current_tenant
from indicators.progress import METHODS
from indicators.store import Store, one_row

NOTE_MAX_CHARS = 500  #: longest note; the page names it and keeps a longer text in the field
REASON_MAX_CHARS = 300  #: longest reason for a target change (likewise)


class TargetError(UserError, ValueError):
    """A target that cannot be saved; the message is German and names the field."""


@dataclass
class Target:
    indicator: str
    target_value: float
    target_year: int
    baseline_year: int | None = None
    method: str | None = None  # None: the default for the indicator
    tolerance: float | None = None
    tolerance2: float | None = None
    path: dict[int, float] = field(default_factory=dict)  # optional yearly milestones (Soll path)
    region: str = field(default_factory=current_tenant)  # the own Kreis: the tenant's (default MONITOR_OWN_REGION)
    nationality: str | None = None
    sex: str | None = None
    reason: str | None = None
    id: int | None = None
    updated_at: dt.datetime | None = None
    updated_by: str | None = None

    def as_record(self) -> dict[str, Any]:
        d = asdict(self)
        d["path"] = {str(k): v for k, v in self.path.items()}
        d.pop("updated_at", None)
        return d


def validate_target(t: Target, catalog: Catalog, this_year: int | None = None) -> None:
    ind = catalog.indicators.get(t.indicator)
    if ind is None:
        raise TargetError(f"Unbekannter Indikator „{t.indicator}“.")
    if ind.direction == "context":
        raise TargetError(f"„{ind.name}“ ist ein Kontextindikator und bekommt keinen Zielwert.")
    if t.target_value is None or t.target_value != t.target_value:
        raise TargetError("Feld „Zielwert“: bitte eine Zahl angeben.")
    if not 1990 <= int(t.target_year) <= 2100:
        raise TargetError("Feld „Zieljahr“: bitte ein Jahr zwischen 1990 und 2100 angeben.")
    if t.baseline_year is not None and not 1990 <= t.baseline_year < t.target_year:
        raise TargetError("Feld „Basisjahr“: muss vor dem Zieljahr liegen.")
    if ind.unit == "%" and not 0 <= t.target_value <= 100:
        raise TargetError("Feld „Zielwert“: ein Anteil liegt zwischen 0 und 100 %.")
    if t.method is not None and t.method not in METHODS:
        raise TargetError(f"Feld „Methode“: erlaubt sind {', '.join(METHODS)}.")
    for tol_name, tol in (("Toleranz", t.tolerance), ("zweite Toleranz", t.tolerance2)):
        if tol is not None and tol < 0:
            raise TargetError(f"Feld „{tol_name}“: darf nicht negativ sein.")
    if t.tolerance is not None and t.tolerance2 is not None and t.tolerance2 < t.tolerance:
        raise TargetError("Feld „zweite Toleranz“: muss mindestens so groß sein wie die erste.")
    if t.reason and len(t.reason) > REASON_MAX_CHARS:
        raise TargetError(
            f"Feld „Begründung“: höchstens {REASON_MAX_CHARS} Zeichen; Ihr Text hat {len(t.reason)}. Bitte kürzen."
        )


def parse_path(rows: Iterable[tuple[object, object]]) -> dict[int, float]:
    """A Soll path from the rows of an editor, (year, typed value) each: German numbers (``12,5``), rows
    without a year or a value skipped; a value that cannot be read raises :class:`NumberError` naming the
    year (``Feld „Sollpfad 2027“: …``), a year twice or outside 1990–2100 a :class:`TargetError`."""
    from indicators.fmt import parse_number

    path: dict[int, float] = {}
    for year, value in rows:
        if (
            is_missing(year)
            or value is None
            or (not isinstance(value, str) and is_missing(value))
            or not str(value).strip()
        ):
            continue
        y = int(float(year))  # type: ignore[arg-type]
        if not 1990 <= y <= 2100:
            raise TargetError(f"Feld „Sollpfad“: das Jahr {y} liegt nicht zwischen 1990 und 2100.")
        if y in path:
            raise TargetError(f"Feld „Sollpfad“: das Jahr {y} steht zweimal in der Tabelle.")
        path[y] = parse_number(cast("str | float | int | None", value), f"Sollpfad {y}")
    return path


FAR_OFF_FACTOR = 2.0  # more than twice the size of the observed values away from them: ask first


def far_off(t: Target, catalog: Catalog, observed: Mapping[int, float | None] | Iterable[float | None]) -> list[str]:
    """Values of a target that are possible but far off the indicator's range – most likely a typo (``305``
    for ``30,5``): German warnings naming the field; the caller asks for a confirmation before saving.

    Far off: a share below 0 or above 100 % (a Soll path milestone), a value more than
    ``FAR_OFF_FACTOR`` times the size of the observed values (their largest magnitude or spread) beyond
    their range, a negative value where every observed value is at least 0 (except gaps), and a
    tolerance larger than the observed values themselves. Nothing is checked against an empty series
    but the share's 0 to 100 %. With the series by year (``observed`` a mapping): also a target that the latest
    value already meets although the indicator should get better (``30,5`` typed for ``50,5``: the verdict would
    turn to "erreicht" at once).
    """
    from indicators import texts
    from indicators.fmt import change_unit, fmt_exact, fmt_value

    ind = catalog.indicators.get(t.indicator)
    if ind is None:
        return []
    latest = None
    if isinstance(observed, Mapping):
        pairs = [(int(y), float(v)) for y, v in sorted(observed.items()) if not is_missing(v)]
        latest = pairs[-1] if pairs else None
        observed = [v for _, v in pairs]
    unit = ind.unit
    vals = [float(v) for v in observed if not is_missing(v) and math.isfinite(float(v))]  # type: ignore[arg-type]
    checked = [("Zielwert", t.target_value)] + [(f"Sollpfad {y}", v) for y, v in sorted(t.path.items())]
    out: list[str] = []
    lo = hi = scale = None
    if vals:
        lo, hi = min(vals), max(vals)
        scale = max(hi - lo, abs(lo), abs(hi)) or 1.0
    for name, value in checked:
        if is_missing(value):
            continue
        value = float(value)
        if unit == "%" and not 0 <= value <= 100:
            out.append(f"Feld „{name}“: {fmt_exact(value, unit)} – ein Anteil liegt zwischen 0 und 100 %.")
        elif (
            lo is not None
            and hi is not None
            and scale is not None
            and not lo - FAR_OFF_FACTOR * scale <= value <= hi + FAR_OFF_FACTOR * scale
        ):
            out.append(
                f"Feld „{name}“: {fmt_exact(value, unit)} liegt weit außerhalb der bisherigen Werte "
                f"({fmt_value(lo, unit)} bis {fmt_value(hi, unit)})."
            )
        elif lo is not None and value < 0 <= lo and ind.kind != "gap":
            out.append(
                f"Feld „{name}“: {fmt_exact(value, unit)} ist negativ, die bisherigen Werte sind es nie "
                f"({fmt_value(lo, unit)} bis {fmt_value(hi, unit)})."
            )
    if latest is not None and not is_missing(t.target_value):
        year, now = latest
        goal = float(t.target_value)
        met = {"up": goal < now, "down": goal > now, "zero": abs(goal) > abs(now)}.get(ind.direction, False)
        if met:
            out.append(
                f"Feld „Zielwert“: {fmt_exact(goal, unit)} ist schon erreicht – der Wert von {year} ist "
                f"{fmt_value(now, unit)}, und {texts.DIRECTION_TEXT[ind.direction][0].lower()}"
                f"{texts.DIRECTION_TEXT[ind.direction][1:-1]}; die Bewertung hieße sofort „Ziel erreicht“."
            )
    for name, tol in (("Toleranz", t.tolerance), ("zweite Toleranz", t.tolerance2)):
        if scale is not None and not is_missing(tol) and float(tol) > scale:  # type: ignore[arg-type]
            out.append(
                f"Feld „{name}“: {fmt_exact(tol, change_unit(unit))} ist größer als die bisherigen Werte selbst "
                f"(bis {fmt_value(max(abs(cast(float, lo)), abs(cast(float, hi))), unit)}); damit gälte fast jeder Wert als im Soll."
            )
    return out


def _row_to_target(r: dict[str, Any]) -> Target:
    r = {k: (None if not isinstance(v, (str, list, dict)) and pd.isna(v) else v) for k, v in r.items()}
    path = json.loads(r["path"]) if isinstance(r.get("path"), str) else {}

    def _num(v: Any) -> float | None:
        return None if v is None or (isinstance(v, float) and v != v) else float(v)

    def _int(v: Any) -> int | None:
        return None if v is None else int(v)

    return Target(
        indicator=r["indicator"],
        target_value=float(r["target_value"]),
        target_year=int(r["target_year"]),
        baseline_year=_int(r.get("baseline_year")),
        method=r.get("method") or None,
        tolerance=_num(r.get("tolerance")),
        tolerance2=_num(r.get("tolerance2")),
        path={int(k): float(v) for k, v in path.items()},
        region=r["region"],
        nationality=r.get("nationality") or None,
        sex=r.get("sex") or None,
        reason=r.get("reason"),
        id=int(r["id"]),
        updated_at=r.get("updated_at"),
        updated_by=r.get("updated_by"),
    )


def targets(store: Store, tenant: str | None = None) -> dict[str, Target]:
    """The current targets of a tenant (default: the current one) for its Kreis' headline series, by indicator."""
    tenant = tenant or current_tenant()
    df = store.query_df("SELECT * FROM targets WHERE tenant = ? AND region = ? ORDER BY id", [tenant, tenant])
    return {r["indicator"]: _row_to_target(r) for r in df.to_dict(orient="records")}


def get_target(store: Store, indicator: str, region: str | None = None) -> Target | None:
    region = region or current_tenant()
    df = store.query_df(
        "SELECT * FROM targets WHERE tenant = ? AND indicator = ? AND region = ?", [current_tenant(), indicator, region]
    )
    return None if df.empty else _row_to_target(df.iloc[0].to_dict())


def set_target(
    store: Store, catalog: Catalog, t: Target, user: str, cur: duckdb.DuckDBPyConnection | None = None
) -> Target:
    """Create or change the target of an indicator; the change goes into the history and the audit log."""
    user = auth.require(auth.TARGETS, user)  # issue 11: the core checks the role
    validate_target(t, catalog)
    if cur is None:
        with store.transaction() as c:
            return set_target(store, catalog, t, user, cur=c)
    now = dt.datetime.now()
    tenant = current_tenant()
    old = cur.execute(
        "SELECT * FROM targets WHERE tenant = ? AND indicator = ? AND region = ?", [tenant, t.indicator, t.region]
    ).df()
    path_json = json.dumps({str(k): v for k, v in sorted(t.path.items())}) if t.path else None
    values = [
        t.target_value,
        t.target_year,
        t.baseline_year,
        t.method,
        t.tolerance,
        t.tolerance2,
        path_json,
        t.nationality,
        t.sex,
        now,
        user,
        t.reason,
    ]
    if old.empty:
        t.id = int(one_row(cur.execute("SELECT nextval('target_seq')").fetchone())[0])
        cur.execute(
            "INSERT INTO targets (id, indicator, region, target_value, target_year, baseline_year, method, tolerance,"
            " tolerance2, path, nationality, sex, updated_at, updated_by, reason, tenant)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [t.id, t.indicator, t.region, *values, tenant],
        )
        old_record = None
    else:
        t.id = int(old.iloc[0]["id"])
        old_record = _row_to_target(old.iloc[0].to_dict()).as_record()
        cur.execute(
            "UPDATE targets SET target_value = ?, target_year = ?, baseline_year = ?, method = ?, tolerance = ?,"
            " tolerance2 = ?, path = ?, nationality = ?, sex = ?, updated_at = ?, updated_by = ?, reason = ?"
            " WHERE id = ?",
            [*values, t.id],
        )
    new_record = t.as_record()
    cur.execute(
        "INSERT INTO target_history VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            t.id,
            t.indicator,
            now,
            user,
            json.dumps(old_record, ensure_ascii=False) if old_record else None,
            json.dumps(new_record, ensure_ascii=False),
            t.reason,
            tenant,
        ],
    )
    Store.audit(
        cur,
        user,
        "ziel_geaendert" if old_record else "ziel_gesetzt",
        t.indicator,
        {"alt": old_record, "neu": new_record, "begruendung": t.reason},
    )
    t.updated_at, t.updated_by = now, user
    return t


def delete_target(
    store: Store, indicator: str, user: str, reason: str | None = None, region: str | None = None
) -> bool:
    tenant = current_tenant()
    region = region or tenant
    user = auth.require(auth.TARGETS, user)  # issue 11: the core checks the role
    with store.transaction() as cur:
        where, params = "tenant = ? AND indicator = ? AND region = ?", [tenant, indicator, region]
        old = cur.execute(f"SELECT * FROM targets WHERE {where}", params).df()
        if old.empty:
            return False
        rec = _row_to_target(old.iloc[0].to_dict()).as_record()
        cur.execute(f"DELETE FROM targets WHERE {where}", params)
        cur.execute(
            "INSERT INTO target_history VALUES (?, ?, ?, ?, ?, NULL, ?, ?)",
            [rec["id"], indicator, dt.datetime.now(), user, json.dumps(rec, ensure_ascii=False), reason, tenant],
        )
        Store.audit(cur, user, "ziel_geloescht", indicator, {"alt": rec, "begruendung": reason})
    return True


def target_history(store: Store, indicator: str | None = None) -> pd.DataFrame:
    return store.query_df(
        "SELECT * EXCLUDE (tenant) FROM target_history WHERE tenant = ? AND (? IS NULL OR indicator = ?) "
        "ORDER BY changed_at DESC",
        [current_tenant(), indicator, indicator],
    )


# -- notes on data points -----------------------------------------------------------------------
def add_note(
    store: Store,
    indicator: str | None,
    year: int,
    text: str,
    user: str,
    region: str | None = None,
    public: bool = False,
) -> int:
    """A note on a year (of one indicator, or general with ``indicator`` None); ``public``: shown on the published
    website too (issue 23), otherwise only in the app."""
    user = auth.require(auth.NOTES, user)  # issue 11: the core checks the role
    text = (text or "").strip()
    if not text:
        raise TargetError("Feld „Notiz“: bitte einen Text eingeben.")
    if len(text) > NOTE_MAX_CHARS:
        raise TargetError(
            f"Feld „Notiz“: höchstens {NOTE_MAX_CHARS} Zeichen; Ihr Text hat {len(text)}. "
            "Bitte kürzen – der Text steht noch im Feld."
        )
    if not 1990 <= int(year) <= 2100:
        raise TargetError("Feld „Jahr“: bitte ein Jahr zwischen 1990 und 2100 angeben.")
    with store.transaction() as cur:
        nid = int(one_row(cur.execute("SELECT nextval('note_seq')").fetchone())[0])
        cur.execute(
            "INSERT INTO notes (id, indicator, region, year, text, created_at, created_by, public, tenant) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [nid, indicator, region, int(year), text, dt.datetime.now(), user, bool(public), current_tenant()],
        )
        Store.audit(cur, user, "notiz", indicator, {"jahr": year, "text": text, "oeffentlich": bool(public)})
    return nid


def delete_note(store: Store, note_id: int, user: str) -> bool:
    """Delete a note (a typo, a note on the wrong year); its text stays in the audit log."""
    user = auth.require(auth.NOTES, user)  # issue 11: the core checks the role
    with store.transaction() as cur:
        params = [int(note_id), current_tenant()]
        row = cur.execute("SELECT indicator, year, text FROM notes WHERE id = ? AND tenant = ?", params).fetchone()
        if row is None:
            return False
        cur.execute("DELETE FROM notes WHERE id = ? AND tenant = ?", params)
        Store.audit(cur, user, "notiz_geloescht", row[0], {"id": int(note_id), "jahr": row[1], "text": row[2]})
    return True


def notes(store: Store, indicator: str) -> pd.DataFrame:
    """Notes of this indicator and general notes (indicator NULL, e.g. '2022: Zuzug aus der Ukraine')."""
    return store.query_df(
        "SELECT id, indicator, region, year, text, created_at, created_by, public FROM notes "
        "WHERE tenant = ? AND (indicator = ? OR indicator IS NULL) ORDER BY year",
        [current_tenant(), indicator],
    )


def public_notes(store: Store) -> list[tuple[str | None, int, str]]:
    """The notes marked public (issue 23): (indicator or None for a general note, year, text), in a fixed order.
    Neither author nor time: the website names no account."""
    return [
        (r[0], int(r[1]), str(r[2]))
        for r in store.query(
            "SELECT indicator, year, text FROM notes WHERE public AND tenant = ? "
            "ORDER BY year, coalesce(indicator, ''), text, id",
            [current_tenant()],
        )
    ]
