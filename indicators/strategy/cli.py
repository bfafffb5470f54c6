"""Command line of the strategy (issue 12): ``strategy export FILE.xlsx``, ``strategy import FILE.xlsx [--dry-run]
[--json]``, ``measures list [--json] [--field F] [--state S]``, ``measures forms OUTDIR``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indicators import texts
from indicators.fmt import fmt_date
from indicators.strategy import model, schedule, workbook

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from indicators.service import Monitor


def add_parsers(sub: Any) -> None:
    s = sub.add_parser("strategy", help="Strategie (Leitbild, Ziele, Partner, Maßnahmen) als Excel")
    ssub = s.add_subparsers(dest="strategy_command", required=True, parser_class=type(s), metavar="AKTION")
    t = ssub.add_parser("export", help="die ganze Strategie als xlsx exportieren")
    t.add_argument("target", metavar="DATEI.xlsx")
    t = ssub.add_parser("import", help="Strategie-Export oder Formular der Maßnahmenabfrage importieren")
    t.add_argument("file", metavar="DATEI.xlsx")
    t.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts schreiben")
    t.add_argument("--json", action="store_true", help="Bericht als JSON")
    t.add_argument("--user", default=None, help="Name für das Protokoll (Vorgabe: MONITOR_USER)")
    t = ssub.add_parser("imports", help="Verlauf der Strategie-Importe")
    t.add_argument("--json", action="store_true")
    t = ssub.add_parser("rollback", help="einen Strategie-Import zurücknehmen")
    t.add_argument("import_id", type=int, metavar="IMPORT_ID")
    t.add_argument(
        "--mit-spaeteren",
        action="store_true",
        dest="with_later",
        help="spätere Importe, die dieselben Einträge geändert haben, zuerst mit zurücknehmen (alles oder nichts)",
    )
    t.add_argument("--user", default=None)

    s = sub.add_parser("measures", help="Maßnahmen anzeigen; Formulare der Maßnahmenabfrage erzeugen")
    msub = s.add_subparsers(dest="measures_command", required=True, parser_class=type(s), metavar="AKTION")
    t = msub.add_parser("list", help="Maßnahmen mit Zeitplan-Stand")
    t.add_argument("--json", action="store_true")
    t.add_argument("--field", metavar="F", help="nur dieses Handlungsfeld (id, z. B. bildung)")
    t.add_argument(
        "--state", metavar="S", choices=list(schedule.STATES), help="nur dieser Stand: " + ", ".join(schedule.STATES)
    )
    t = msub.add_parser("forms", help="neue Runde der Maßnahmenabfrage: ein Formular je Fachdienst")
    t.add_argument("outdir", metavar="ORDNER")
    t.add_argument("--user", default=None)


def dispatch(args: argparse.Namespace, monitor: Monitor, user: str) -> int:
    if args.command == "strategy":
        command = _STRATEGY.get(args.strategy_command)
    elif args.command == "measures":
        command = _MEASURES.get(args.measures_command)
    else:
        command = None
    return command(args, monitor, user) if command is not None else 2


def _strategy_export(args: argparse.Namespace, monitor: Monitor, user: str) -> int:
    path = Path(args.target)
    path.write_bytes(workbook.strategy_bytes(monitor.store))
    print(f"Strategie exportiert: {path}")
    return 0


def _strategy_import(args: argparse.Namespace, monitor: Monitor, user: str) -> int:
    store, catalog = monitor.store, monitor.catalog
    path = Path(args.file)
    if not path.is_file():
        print(f"Datei {path} gibt es nicht.", file=sys.stderr)
        return 2
    if path.stat().st_size > monitor.settings.max_upload_bytes:
        print(f"Datei {path.name} ist größer als {monitor.settings.max_upload_mb} MB.", file=sys.stderr)
        return 1
    pv = workbook.read_file(store, catalog, path.read_bytes(), path.name, monitor.settings.today)
    iid = None
    if pv.ok and not args.dry_run:
        iid = workbook.apply(store, catalog, pv, user)
    if args.json:
        print(
            json.dumps(
                {**pv.as_dict(), "import_id": iid, "probelauf": args.dry_run},
                ensure_ascii=False,
                indent=2,
                default=str,
            )
        )
    else:
        _print_preview(pv, iid, args.dry_run)
    return 0 if pv.ok else 1


def _strategy_imports(args: argparse.Namespace, monitor: Monitor, user: str) -> int:
    rows = workbook.imports(monitor.store)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    else:
        for r in rows:
            print(
                f"{r['id']:>4}  {fmt_date(r['imported_at'], with_time=True)}  {r['user_name']:<12} "
                f"{texts.ROUND_STATUS.get(r['status'], r['status']):<16} {r['changes']:>3} Änderungen  "
                f"{r['file_name']}"
            )
    return 0


def _strategy_rollback(args: argparse.Namespace, monitor: Monitor, user: str) -> int:
    ids, n = workbook.rollback_all(monitor.store, monitor.catalog, args.import_id, user, with_later=args.with_later)
    if len(ids) > 1:
        print(f"Importe {', '.join(map(str, ids))} zurückgenommen ({n} Einträge wieder im Stand davor).")
    else:
        print(f"Import {args.import_id} zurückgenommen ({n} Einträge wieder im Stand davor).")
    return 0


def _measures_list(args: argparse.Namespace, monitor: Monitor, user: str) -> int:
    catalog, today = monitor.catalog, monitor.settings.today
    if args.field and args.field not in catalog.fields:
        print(
            f"Handlungsfeld „{args.field}“ gibt es nicht (erlaubt: {', '.join(catalog.fields)}).",
            file=sys.stderr,
        )
        return 2
    rows = []
    for m in model.measures(monitor.store):
        sch = schedule.schedule_state(m, today)
        if args.field and args.field not in m["fields"]:
            continue
        if args.state and sch.state != args.state:
            continue
        rows.append(_measure_row(m, sch))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    else:
        for r in rows:
            print(f"{r['id']:<6} {r['stand']:<13} {r['titel'][:60]:<60}  {r['verantwortlich']}  – {r['grund']}")
        print(f"{len(rows)} Maßnahmen (Stichtag {fmt_date(today)}).")
    return 0


def _measure_row(m: dict[str, Any], sch: schedule.Schedule) -> dict[str, Any]:
    """A measure as the command line lists it (German keys)."""
    return {
        "id": m["id"],
        "titel": m["title"],
        "handlungsfelder": m["fields"],
        "handlungsziele": m["goals"],
        "verantwortlich": m["unit"],
        "partner": m["partners"],
        "status": m["status"],
        "stand": sch.state,
        "grund": sch.reason,
        "beginn": m["start_date"],
        "ende": m["end_date"],
        "naechste_ueberpruefung": m["next_review"],
        "budget_geplant": m["budget_planned"],
        "budget_verausgabt": m["budget_spent"],
        "erreicht_ziel": m["reach_target"],
        "erreicht_ist": m["reach_actual"],
        "meilensteine": m["milestones"],
        "demo": m["demo"],
    }


def _measures_forms(args: argparse.Namespace, monitor: Monitor, user: str) -> int:
    before = workbook.round_overview(monitor.store)
    n, paths = workbook.write_forms(monitor.store, Path(args.outdir), user, monitor.settings.today)
    for p in paths:
        print(f"  {p}")
    if before is not None:  # the forms sent out before are invalid from now: say which
        back = ", ".join(before["returned"]) or "keines"
        print(
            f"Ungültig geworden: die Formulare von Runde {before['round']} (erzeugt am "
            f"{fmt_date(before['created_at'])}) für {', '.join(before['units'])}; davon zurückgekommen: {back}."
        )
    print(
        f"Runde {n} der Maßnahmenabfrage: {len(paths)} Formulare geschrieben; Formulare früherer Runden "
        "werden ab jetzt abgelehnt."
    )
    return 0


_STRATEGY: dict[str, Callable[[argparse.Namespace, Monitor, str], int]] = {
    "export": _strategy_export,
    "import": _strategy_import,
    "imports": _strategy_imports,
    "rollback": _strategy_rollback,
}
_MEASURES: dict[str, Callable[[argparse.Namespace, Monitor, str], int]] = {
    "list": _measures_list,
    "forms": _measures_forms,
}


def _print_preview(pv: workbook.Preview, iid: int | None, dry_run: bool) -> None:
    if pv.refusal:
        print(f"ABGELEHNT: {pv.refusal}", file=sys.stderr)
        return
    for p in pv.problems:
        print(f"  FEHLER  {p}", file=sys.stderr)
    if pv.problems:
        print(f"Datei „{pv.file_name}“: {len(pv.problems)} Problem(e); nichts übernommen.", file=sys.stderr)
        return
    for c in pv.changes:
        print(f"  {c.object_id:<8} {c.what}: {c.old} → {c.new}")
    if not pv.changes:
        print(f"Datei „{pv.file_name}“: keine Änderungen.")
    elif dry_run:
        print(f"Probelauf: {len(pv.changes)} Änderungen würden übernommen; nichts geschrieben.")
    else:
        print(f"Übernommen als Import {iid}: {len(pv.changes)} Änderungen.")
