"""Command line: ``python -m indicators [--db PATH] COMMAND``.

Exit codes: 0 success, 1 data rejected (or nothing found), 2 usage error. Messages are German.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from indicators import tenants
from indicators.catalog import CatalogError
from indicators.errors import UserError
from indicators.export import plain_value
from indicators.fmt import fmt_num
from indicators.status import ImportStatus
from indicators.store import StoreError

if TYPE_CHECKING:
    from indicators.config import Settings
    from indicators.ingest.impact import Impact
    from indicators.ingest.pipeline import ImportResult
    from indicators.service import Monitor


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        return super().add_usage(usage, actions, groups, "Aufruf: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse in German: usage line, section titles, help option and errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "Argumente"
        self._optionals.title = "Optionen"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="diese Hilfe anzeigen")

    _MESSAGES = (
        (r"the following arguments are required: (.*)", r"es fehlt: \1"),
        (r"unrecognized arguments: (.*)", r"unbekannte Angabe(n): \1"),
        (r"argument (.*?): invalid int value: (.*)", r"Angabe \1: keine ganze Zahl: \2"),
        (r"argument (.*?): invalid float value: (.*)", r"Angabe \1: keine Zahl: \2"),
        (
            r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)",
            r"Angabe \1: \2 ist nicht erlaubt (erlaubt: \3)",
        ),
        (r"argument (.*?): expected one argument", r"Angabe \1: erwartet einen Wert"),
        (r"argument (.*?): not allowed with argument (.*)", r"Angabe \1: nicht zusammen mit \2"),
        (r"^argument (\S+?): ", r"Angabe \1: "),  # a German message of a type check (_number)
    )

    def error(self, message: str) -> NoReturn:  # German, exit 2
        for pattern, german in self._MESSAGES:
            message = re.sub(pattern, german, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"Fehler im Aufruf: {message}\nHilfe: python -m indicators --help\n")


def _number(option: str) -> Callable[[str], float]:
    """argparse type for a number typed the German way (``30,5``, ``1.234,5``; ``30.5`` where unambiguous)."""
    from indicators.fmt import NumberError, parse_number

    def read(text: str) -> float:
        try:
            return parse_number(text, option)
        except NumberError as exc:
            raise argparse.ArgumentTypeError(str(exc).removeprefix(f"Feld „{option}“: ")) from None

    read.__name__ = "Zahl"
    return read


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser (also used by the running app for the requests it answers, indicators/inbox.py)."""
    p = _Parser(prog="python -m indicators", description="Integrationsmonitor Landkreis Peine – Kommandozeile")
    p.add_argument("--db", metavar="PATH", help="Datenbankdatei (Vorgabe: MONITOR_DB oder data/monitor.duckdb)")
    p.add_argument(
        "--tenant",
        "--kreis",
        dest="tenant",
        metavar="SCHLÜSSEL",
        default=None,
        help="Kreis (Mandant), dessen Ziele, Notizen, Strategie, Konten und Protokoll gelten (Vorgabe: "
        "MONITOR_OWN_REGION)",
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="BEFEHL")

    _add_setup_and_import(sub)
    _add_data_commands(sub)
    from indicators import cli_admin  # issue 11: user, backup, restore

    cli_admin.add_parsers(sub, _Parser)
    from indicators.strategy.cli import add_parsers as add_strategy_parsers  # issue 12

    add_strategy_parsers(sub)
    _add_report_commands(sub)
    s = sub.add_parser("tenants", help="Kreise (Mandanten) dieser Installation: anlegen, auflisten")  # issue 24
    tsub = s.add_subparsers(dest="tenants_command", required=True, parser_class=_Parser, metavar="AKTION")
    t = tsub.add_parser("add", help="einen Kreis der Regionsliste als Mandanten anlegen (Landesadministration)")
    t.add_argument("key", metavar="SCHLÜSSEL", help="fünfstelliger Kreisschlüssel, z. B. 03158")
    t = tsub.add_parser("list", help="alle Kreise dieser Installation")
    t.add_argument("--json", action="store_true")
    return p


def _add_setup_and_import(sub: Any) -> None:
    """init, start, import."""
    s = sub.add_parser("init", help="Datenbank anlegen; mit Demodaten oder leer")
    g = s.add_mutually_exclusive_group()
    g.add_argument("--demo", action="store_true", help="synthetische Demodaten laden")
    g.add_argument("--empty", action="store_true", help="leere Datenbank (vorhandene Datei wird ersetzt)")
    s.add_argument("--if-empty", action="store_true", help="nur handeln, wenn noch nichts geladen ist")

    s = sub.add_parser("start", help="die App starten (beim ersten Start mit Demodaten)")
    s.add_argument("--port", type=int, default=None, metavar="PORT", help="Port (Vorgabe: MONITOR_PORT oder 8501)")
    s.add_argument(
        "--address",
        default=None,
        metavar="ADRESSE",
        help="nur auf dieser Adresse lauschen, z. B. 127.0.0.1 (Vorgabe: alle)",
    )
    s.add_argument("--ohne-demo", action="store_true", help="beim ersten Start leer beginnen statt mit Demodaten")

    s = sub.add_parser("import", help="Dateien importieren (alles oder nichts je Datei)")
    s.add_argument("files", nargs="+", metavar="DATEI")
    s.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts schreiben")
    s.add_argument(
        "--ja",
        action="store_true",
        help="Plausibilitätswarnungen (z. B. Veränderung zum Vorjahr über der Schwelle) sind geprüft: trotzdem übernehmen",
    )
    s.add_argument("--json", action="store_true", help="Bericht als JSON")
    s.add_argument("--user", default=None, help="Name für das Protokoll (Vorgabe: MONITOR_USER)")
    s.add_argument(
        "--profile",
        metavar="NAME",
        default=None,
        help="mit diesem Zuordnungsprofil lesen (Liste: python -m indicators profiles)",
    )
    s.add_argument(
        "--other-regions",
        choices=("keep", "skip"),
        default="keep",
        help="Regionen amtlicher Dateien außerhalb des eigenen Gebiets (Kreis, Land, Deutschland): "
        "keep = als Vergleichsregionen übernehmen (Vorgabe), skip = auslassen",
    )


def _add_data_commands(sub: Any) -> None:
    """profiles, catalog, values, uploads, rollback, recompute, status, targets, export."""
    s = sub.add_parser("profiles", help="gespeicherte und mitgelieferte Zuordnungsprofile")
    s.add_argument("--json", action="store_true")
    s.add_argument("--delete", metavar="NAME", default=None, help="ein gespeichertes Profil löschen")
    s.add_argument("--user", default=None, help="Name für das Protokoll (Vorgabe: MONITOR_USER)")

    s = sub.add_parser("catalog", help="Indikatorenkatalog anzeigen")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("values", help="berechnete Werte eines Indikators")
    s.add_argument("indicator", metavar="INDIKATOR")
    s.add_argument("--region", metavar="AGS")
    s.add_argument("--year", type=int, metavar="JAHR")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("uploads", help="Upload-Verlauf")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("rollback", help="einen Upload zurücknehmen")
    s.add_argument("upload_id", type=int, metavar="UPLOAD_ID")
    s.add_argument("--user", default=None)

    sub.add_parser("recompute", help="alle Indikatoren neu berechnen")

    s = sub.add_parser("status", help="Bewertung aller Indikatoren gegen ihre Ziele")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("targets", help="Zielwerte anzeigen oder setzen")
    tsub = s.add_subparsers(dest="targets_command", required=True, parser_class=_Parser, metavar="AKTION")
    t = tsub.add_parser("set", help="Ziel für einen Indikator setzen oder ändern")
    t.add_argument("indicator", metavar="INDIKATOR")
    t.add_argument(
        "--value",
        type=_number("--value"),
        required=True,
        metavar="WERT",
        help="Zielwert, mit Dezimalkomma: 30,5 oder 1.234,5",
    )
    t.add_argument("--year", type=int, required=True, metavar="JAHR")
    t.add_argument("--baseline", type=int, metavar="JAHR")
    t.add_argument("--method", choices=["opensdg", "linear", "sollpfad"])
    t.add_argument("--tolerance", type=_number("--tolerance"), metavar="WERT", help="Toleranz des Sollpfads, z. B. 0,5")
    t.add_argument(
        "--ja",
        "--force",
        action="store_true",
        dest="ja",
        help="auch einen Wert weit außerhalb der bisherigen Werte speichern (sonst wird nachgefragt)",
    )
    t.add_argument("--reason", metavar="TEXT")
    t.add_argument("--user", default=None)
    t = tsub.add_parser("list", help="alle Ziele")
    t.add_argument("--json", action="store_true")

    s = sub.add_parser("export", help="aktuelle Basisdaten als Vorlage (xlsx) exportieren")
    s.add_argument("target", metavar="ZIELDATEI")


def _add_report_commands(sub: Any) -> None:
    """issue 13: committee report and value export."""
    s = sub.add_parser("report", help="Integrationsbericht als PDF oder PowerPoint")
    s.add_argument("--year", type=int, default=None, metavar="JAHR", help="Berichtsjahr (Vorgabe: neuestes)")
    s.add_argument(
        "--fields",
        nargs="+",
        default=None,
        metavar="FELD",
        help="Handlungsfelder in dieser Reihenfolge (Kennungen, auch mit Komma getrennt; Vorgabe: alle)",
    )
    s.add_argument(
        "--indicators",
        nargs="+",
        default=None,
        metavar="INDIKATOR",
        help="nur diese Indikatoren, in dieser Reihenfolge (Vorgabe: alle der Felder)",
    )
    s.add_argument(
        "--regions",
        nargs="+",
        default=[],
        metavar="AGS",
        help="Regionen neben dem Landkreis in den Diagrammen (Regionalschlüssel, z. B. 03157001 03)",
    )
    s.add_argument("--format", choices=["pdf", "pptx"], default=None, help="Vorgabe: aus der Endung von --out")
    s.add_argument("--out", required=True, metavar="DATEI")
    s = sub.add_parser("export-values", help="alle aktuellen Indikatorwerte als Excel (.xlsx) oder CSV (.csv)")
    s.add_argument("target", metavar="DATEI.xlsx|DATEI.csv")
    s = sub.add_parser("publish", help="die öffentlichen Indikatoren als statische Website in einen Ordner schreiben")
    s.add_argument(
        "--out",
        default=None,
        metavar="ORDNER",
        help="Zielordner (Vorgabe: MONITOR_PUBLISH_DIR oder <Ordner der Datenbank>/website)",
    )
    s.add_argument("--json", action="store_true", help="Ergebnis als JSON (Seiten, Dateien, Änderungen)")
    s.add_argument("--user", default=None, help="Name für das Protokoll (Vorgabe: MONITOR_USER)")


def _records(df: Any) -> list[dict[str, Any]]:
    return [{k: plain_value(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def _print_impact(impact: Impact) -> None:
    """A dry run: the effect on the headline values of the own Kreis, as the upload page shows it (the values that
    disappear follow as warnings)."""
    from indicators import texts
    from indicators.fmt import fmt_int
    from indicators.ingest.impact import CHANGED, NEW, demo_hidden_text, summary

    print(texts.IMPACT_CLI.format(region=impact.region_name, counts=summary(impact).replace("**", "")))
    if impact.demo_hidden:
        print("    " + demo_hidden_text(impact))
    for c in impact.changes:
        if c.change in (NEW, CHANGED):
            print(f"    {texts.IMPACT_KIND[c.change]:9s} {c.name} {c.year}: {c.old_text} → {c.new_text}")
    more = impact.counts[NEW] + impact.counts[CHANGED] - sum(c.change in (NEW, CHANGED) for c in impact.changes)
    if more > 0:
        print("    " + texts.IMPACT_CLI_MORE.format(n=fmt_int(more)))


def _print_problem_list(res: ImportResult) -> None:
    for e in res.errors:
        print(f"  FEHLER  {e.text()}")
    for w in res.warnings:
        print(f"  Hinweis {w.text()}")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from indicators import service
    from indicators.errors import configure_logging

    configure_logging(logging.WARNING, traceback=False)  # the details of a failure, with time, on stderr
    from indicators import auth
    from indicators.config import check_environment, load_settings

    try:  # every bad setting named in German before anything runs (the app would use the defaults)
        check_environment()
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 2

    # the command line is the server's administrator: the OS account (or MONITOR_USER) acting as Administration
    auth.set_actor(auth.system_actor(load_settings(args.db).user))

    try:
        if args.command == "init":
            return _cmd_init(args)
        if args.command == "start":
            return _cmd_start(args)
        from indicators import cli_admin

        if args.command in cli_admin.COMMANDS:  # issue 11: accounts, backup, restore
            return _cmd_admin(args)

        # a database that does not exist yet is created as before (read-only could not open it)
        read_only = is_read_only(args) and load_settings(args.db).db_path.exists()
        quiet = logging.getLogger("integrationsmonitor")
        # a held file is expected here: the app answers instead (no error line)
        quiet.disabled = read_only or by_app(args)
        try:
            monitor = service.open_monitor(args.db, read_only=read_only)
        except StoreError as exc:
            if not (read_only or (exc.held and by_app(args))):
                raise
            return _ask_running_app(args, argv)  # the app holds the file: it answers (issues 11, 25)
        finally:
            quiet.disabled = False
        if monitor.stale:
            print(STALE_NOTE, file=sys.stderr)
        try:  # --tenant (issue 24): an unknown Kreis is refused before anything is read or written
            monitor = service.for_tenant(monitor, tenants.enter(monitor.store, args.tenant).key)
        except UserError as exc:
            monitor.close()
            print(str(exc), file=sys.stderr)
            return 2
    except CatalogError as exc:
        print(f"Fehler in den Indikator-Definitionen: {exc}", file=sys.stderr)
        return 2
    except StoreError as exc:  # the command line is the administrator's: the file and the database's words too
        if exc.held:  # the running app holds the file: a write is refused in plain German (issue 22)
            print(HELD_BY_APP["write"], file=sys.stderr)
            logging.getLogger("integrationsmonitor").debug("Datenbank gehalten: %s", exc.detail)
            return 2
        print(f"{exc} ({exc.detail})" if exc.detail else str(exc), file=sys.stderr)
        return 2
    try:
        return dispatch(args, monitor)
    except (BrokenPipeError, KeyboardInterrupt):
        raise
    except UserError as exc:  # a refusal with its German reason (an upload already rolled back, a broken profile …)
        print(str(exc), file=sys.stderr)
        return 1
    except Exception as exc:  # no traceback for the user; details for the administrator
        logging.getLogger("integrationsmonitor").error("Befehl %s fehlgeschlagen", args.command, exc_info=exc)
        print(
            f"Interner Fehler bei „{args.command}“; die Einzelheiten stehen in der Protokollzeile darüber. "
            "Bitte wenden Sie sich an die Administration.",
            file=sys.stderr,
        )
        return 1
    finally:
        monitor.close()


def _cmd_admin(args: argparse.Namespace) -> int:
    """Accounts, backup and restore (cli_admin): a refusal in German, the running app's hold named."""
    from indicators import cli_admin

    try:
        return cli_admin.run(args, lambda: _open_in_tenant(args))
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except StoreError as exc:
        if not exc.held:
            raise
        print(HELD_BY_APP.get(args.command, HELD_BY_APP["user"]), file=sys.stderr)
        logging.getLogger("integrationsmonitor").debug("Datenbank gehalten: %s", exc.detail)
        return 2


def _cmd_init(args: argparse.Namespace) -> int:
    from indicators import service
    from indicators.config import load_settings

    settings = load_settings(args.db)
    if args.empty and not args.if_empty:
        service.reset_database(settings)
    monitor = service.open_monitor(settings=settings)
    try:
        if args.if_empty and not monitor.store.is_empty():
            print(f"Datenbank {settings.db_path} enthält bereits Daten; nichts geändert.")
            return 0
        if args.if_empty and monitor.store.started_empty():  # `init --empty` on purpose: no demo data at the start
            print(f"Datenbank {settings.db_path} wurde bewusst leer angelegt; keine Demodaten geladen.")
            return 0
        if args.empty and not args.if_empty:
            monitor.store.mark_started_empty()
        if args.demo:
            results = service.load_demo(monitor)
            bad = [r for r in results if not r.status.ok]
            for r in bad:
                _print_problem_list(r)
            rows = sum(r.rows for r in results)
            print(
                f"Demodaten (synthetisch) geladen: {len(results)} Dateien, {fmt_num(rows, 0)} Zeilen in {settings.db_path}."
            )
            return 1 if bad else 0
        print(f"Leere Datenbank bereit: {settings.db_path}")
        return 0
    finally:
        monitor.close()


def _cmd_start(args: argparse.Namespace) -> int:
    """What ``make run`` does, without make: demo data on first start, then the Streamlit server with the
    project's settings (``.streamlit/config.toml`` is read from the working directory, so the server starts in
    the project folder; the database path is made absolute first)."""
    import os
    import subprocess

    from indicators.config import PROJECT_DIR, load_settings

    app = PROJECT_DIR / "server.py"  # app.py with the route that sets the HttpOnly session cookie
    if not app.is_file() or not (PROJECT_DIR / "app.py").is_file():
        print(
            f"Die App-Datei {app} fehlt. Bitte das Projekt mit „pip install -e .“ aus dem Projektordner "
            "installieren (siehe README).",
            file=sys.stderr,
        )
        return 2
    from indicators import auth

    # the server listens on --address (Streamlit: every interface when not given): no MONITOR_AUTH=aus beyond loopback
    if refusal := auth.auth_off_refusal(args.address or "0.0.0.0"):
        print(refusal, file=sys.stderr)
        return 2
    auth.set_server_address(args.address or "0.0.0.0")
    settings = load_settings(args.db)
    init = argparse.Namespace(
        db=str(settings.db_path.resolve()), empty=args.ohne_demo, demo=not args.ohne_demo, if_empty=True
    )
    code = _cmd_init(init)
    if code != 0:
        return code
    _first_admin(settings)
    port = args.port or settings.port
    env = {**os.environ, "MONITOR_DB": str(settings.db_path.resolve())}
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(port),
        "--server.maxUploadSize",
        str(settings.max_upload_mb),
    ]
    if args.address:
        cmd += ["--server.address", args.address]
    from indicators.config import base_url_path

    print(
        f"Integrationsmonitor startet auf http://{args.address or 'localhost'}:{port}{base_url_path()}/ "
        "(beenden mit Strg+C).",
        flush=True,
    )
    # the inbox is watched from the first session on: a helper process opens one as soon as the server answers
    subprocess.Popen(
        [sys.executable, "-c", f"from indicators.app_channel import wake_when_up; wake_when_up({int(port)})"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=os.name == "posix",
    )
    if os.name == "posix":  # the server takes this process's place: a service manager's stop signal reaches it
        os.chdir(PROJECT_DIR)
        os.execve(sys.executable, cmd, env)
    proc = subprocess.Popen(cmd, cwd=PROJECT_DIR, env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        return 0
    finally:
        if proc.poll() is None:
            proc.terminate()


def _open_in_tenant(args: argparse.Namespace) -> Monitor:
    """Open the monitor for an account command, in the Kreis of ``--tenant`` (an unknown one: TenantError)."""
    from indicators import service

    monitor = _open_quietly(args.db)
    try:
        return service.for_tenant(monitor, tenants.enter(monitor.store, args.tenant).key)
    except UserError:
        monitor.close()
        raise


def _open_quietly(db: str | None) -> Monitor:
    """Open the monitor without the error line of a file the running app holds (the command says what to do)."""
    from indicators import service

    log = logging.getLogger("integrationsmonitor")
    was, log.disabled = log.disabled, True
    try:
        return service.open_monitor(db)
    finally:
        log.disabled = was


#: an administrative command while the app holds the database (no English words of the database, no path, no PID)
HELD_BY_APP = {
    "write": (
        "Die App läuft gerade und hält die Datenbank; schreibende Befehle (import, rollback, targets set, init, "
        "recompute …) führt die Kommandozeile nur aus, wenn die App beendet ist. Dateien lassen sich bei laufender "
        "App über den Eingangsordner übernehmen (siehe README), Ziele und Rücknahmen auf den Seiten der App; "
        "sonst die App kurz beenden, den Befehl wiederholen und die App wieder starten. Nichts wurde geändert."
    ),
    "user": (
        "Die App läuft gerade und hält die Datenbank; Benutzerkonten ändert die Kommandozeile nur, wenn die App "
        "beendet ist. Entweder in der App unter „Verwaltung“ (Rolle Administration) anlegen und ändern, oder die "
        "App kurz beenden, den Befehl wiederholen und die App wieder starten."
    ),
    "restore": (
        "Die App läuft gerade und hält die Datenbank. Wiederherstellen geht in einen neuen Ordner "
        "(--to NEUE_DATEI) auch bei laufender App; sonst die App kurz beenden und den Befehl wiederholen."
    ),
}

#: a read-only command on values computed with other definitions or another minimum count (not recomputable now)
STALE_NOTE = (
    "Hinweis: Die Werte stammen aus der letzten Neuberechnung. Die Indikator-Definitionen, die "
    "Mindestfallzahl oder die Regionen haben sich seitdem geändert; die App rechnet beim nächsten Start neu. "
    "Die Datei ist gerade von einem anderen lesenden Prozess geöffnet, daher hier ohne Neuberechnung."
)


#: commands that only read (``targets`` only as ``targets list``, ``profiles`` not with ``--delete``); the report and
#: the exports write files, never the database (issue 25)
READ_COMMANDS = {"uploads", "values", "status", "catalog", "targets", "profiles", "report", "export-values"}
#: (command, action) pairs that only read: the strategy's export, its import as a dry run, the measures' list
READ_ACTIONS = {("measures", "list"), ("strategy", "export"), ("strategy", "imports")}


def is_read_only(args: argparse.Namespace) -> bool:
    """The one rule for commands that only read (issues 11, 25): they open the database read-only, and while the app
    holds the file the app answers them (indicators/app_channel.py, indicators/inbox.py)."""
    if args.command == "tenants":
        return bool(args.tenants_command == "list")
    if args.command in ("measures", "strategy"):
        action = getattr(args, f"{args.command}_command", None)
        dry_run = args.command == "strategy" and action == "import" and bool(getattr(args, "dry_run", False))
        return (args.command, action) in READ_ACTIONS or dry_run
    return (
        args.command in READ_COMMANDS
        and not getattr(args, "delete", None)
        and getattr(args, "targets_command", "list") == "list"
    )


def by_app(args: argparse.Namespace) -> bool:
    """Commands the running app runs for the command line: every read-only one; ``import --dry-run`` (its trial
    import is rolled back, but needs the writing connection, the app's); the new round of the measures survey
    (``measures forms``: it writes form files and starts the round in the app's own database connection); and
    ``publish`` (it writes the website's files and notes the publication in the audit log)."""
    return (
        is_read_only(args)
        or args.command == "publish"
        or (args.command == "import" and bool(getattr(args, "dry_run", False)))
        or (args.command == "measures" and getattr(args, "measures_command", None) == "forms")
    )


#: the file arguments of the commands the app runs: made absolute, the app works in its own folder
PATH_ARGS = ("out", "target", "file", "outdir", "files")


def _ask_running_app(args: argparse.Namespace, argv: list[str] | None) -> int:
    """A read-only command while the app holds the database: the app runs it and sends the output."""
    from indicators import app_channel
    from indicators.config import load_settings

    raw = list(sys.argv[1:] if argv is None else argv)
    if "--db" in raw:  # the app has its own database
        i = raw.index("--db")
        del raw[i : i + 2]
    raw = [a for a in raw if not a.startswith("--db=")]
    for attr in PATH_ARGS:  # the app's working folder is not this one
        values = getattr(args, attr, None)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, str) and value:
                absolute = str(Path(value).expanduser().absolute())
                raw = [
                    absolute if a == value else f"--{attr}={absolute}" if a == f"--{attr}={value}" else a for a in raw
                ]
    settings = load_settings(args.db)
    # a report may take up to its time bound (MONITOR_REPORT_TIMEOUT), the app finishes a running request first
    timeout = settings.report_timeout + 60 if args.command in ("report", "export-values") else 120
    try:
        answer = app_channel.request_cli(settings, raw, timeout)
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    sys.stdout.write(answer["stdout"])
    sys.stderr.write(answer["stderr"])
    return int(answer["code"])


def _first_admin(settings: Settings) -> None:
    """First start (issue 11): no account yet, so create 'admin' with a one-time password and print it once."""
    from indicators import auth, service, texts

    if auth.auth_disabled():
        return
    monitor = service.open_monitor(settings=settings)
    try:
        password = auth.ensure_first_admin(monitor.store)
    finally:
        monitor.close()
    if password:
        print("\n" + "=" * 72 + "\n" + texts.FIRST_ADMIN.format(password=password) + "\n" + "=" * 72 + "\n", flush=True)


def dispatch(args: argparse.Namespace, monitor: Monitor) -> int:
    """Run a parsed command on an open monitor (the command line, and the running app for a read-only request)."""
    user = getattr(args, "user", None) or monitor.settings.user
    if args.command == "tenants":  # issue 24
        return _cmd_tenants(args, monitor, user)
    if args.command in ("report", "export-values"):
        return _cmd_report(args, monitor)
    if args.command == "profiles":
        return _cmd_profiles(args, monitor, user)
    if args.command == "status":
        return _cmd_status(args, monitor)
    if args.command == "targets":
        return _cmd_targets(args, monitor, user)
    if args.command in ("strategy", "measures"):  # issue 12
        from indicators.strategy.cli import dispatch as strategy_dispatch

        return strategy_dispatch(args, monitor, user)
    command = _COMMANDS.get(args.command)
    return command(args, monitor, user) if command else 2


def _cmd_tenants(args: argparse.Namespace, monitor: Monitor, user: str) -> int:
    """``tenants add KEY`` (Landesadministration) and ``tenants list``."""
    if args.tenants_command == "add":
        tenant = tenants.add(monitor.store, args.key, user)
        print(f"Kreis {tenant.key} ({tenant.name}) angelegt. Aufruf für ihn: --tenant {tenant.key}")
        return 0
    rows = tenants.tenants(monitor.store)
    if args.json:
        print(json.dumps([{"key": t.key, "name": t.name} for t in rows], ensure_ascii=False, indent=2))
        return 0
    default = monitor.settings.own_region
    for t in rows:
        print(f"{t.key}  {t.name}" + ("  (Vorgabe der Installation)" if t.key == default else ""))
    return 0


def _cmd_import(args: argparse.Namespace, monitor: Monitor, user: str) -> int:
    from indicators.ingest.session import UploadSession

    reader = None
    if args.profile:
        from indicators.ingest.sources.mapping import MappingReader, get_profile

        spec = get_profile(monitor.store, args.profile)
        if spec is None:
            print(
                f"Zuordnungsprofil „{args.profile}“ gibt es nicht. Liste: python -m indicators profiles",
                file=sys.stderr,
            )
            return 2
        reader = MappingReader(spec)
    results = []
    for f in args.files:
        session = UploadSession.from_path(
            Path(f),
            monitor.store,
            monitor.catalog,
            monitor.settings,
            user,
            reader=reader,
            other_regions=args.other_regions,
            impact=args.dry_run,  # a commit recomputes anyway: the effect is tried for a dry run only
        )
        results.append(session.run(dry_run=args.dry_run, confirmed=args.ja))
    if args.json:
        out = [r.as_dict() for r in results]
        print(json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False, indent=2, default=str))
    else:
        for r in results:
            status = {
                ImportStatus.IMPORTED: "importiert",
                ImportStatus.REJECTED: "ABGELEHNT",
                ImportStatus.PREVIEW: "geprüft (nichts geschrieben)",
                ImportStatus.ALREADY_PRESENT: "bereits vorhanden, nicht erneut geladen",
                ImportStatus.TO_CONFIRM: "NICHT übernommen – Plausibilitätswarnungen prüfen, dann mit --ja bestätigen",
            }[r.status]
            up = f", Upload Nr. {r.upload_id}" if r.upload_id else ""
            print(f"{r.file}: {status} – Format {r.format}, {fmt_num(r.rows, 0)} Zeilen{up}")
            if r.accounting is not None:
                print(f"  {r.accounting.text()}")
            if r.assumptions.get("Weitere Regionen"):
                print(f"  Regionen: {r.assumptions['Weitere Regionen']}")
            if r.impact is not None:
                _print_impact(r.impact)
            _print_problem_list(r)
    return 1 if any(r.status in (ImportStatus.REJECTED, ImportStatus.TO_CONFIRM) for r in results) else 0


def _cmd_catalog(args: argparse.Namespace, monitor: Monitor, user: str) -> int:
    cat = monitor.catalog
    if args.json:
        print(json.dumps([i.model_dump(mode="json") for i in cat.indicators.values()], ensure_ascii=False, indent=2))
    else:
        for f in cat.ordered_fields():
            print(f"\n{f.name} ({f.id})")
            for i in cat.by_field(f.id):
                print(f"  {i.id:38s} {i.name} [{i.unit}, {i.kind}]")
    return 0


def _cmd_values(args: argparse.Namespace, monitor: Monitor, user: str) -> int:
    from indicators import queries

    if args.indicator not in monitor.catalog.indicators:
        print(f"Unbekannter Indikator „{args.indicator}“. Liste: python -m indicators catalog", file=sys.stderr)
        return 2
    df = queries.values(monitor.store, args.indicator, args.region, args.year)
    if args.json:
        print(json.dumps(_records(df), ensure_ascii=False, indent=2, default=str))
    else:
        from indicators.fmt import fmt_value

        unit = monitor.catalog.indicators[args.indicator].unit
        for r in df.itertuples():
            dims = "/".join(x for x in (r.nationality, r.sex, r.age_group, r.category))
            flag = r.flag if isinstance(r.flag, str) else ""  # no value is NaN, not None: not "nan"
            print(f"{r.region:9s} {r.year}  {dims:40s} {fmt_value(r.value, unit):>14s}  {flag}")
    return 0 if len(df) else 1


def _cmd_uploads(args: argparse.Namespace, monitor: Monitor, user: str) -> int:
    from indicators import texts
    from indicators.fmt import fmt_datetime

    df = monitor.store.uploads()
    cols = ["id", "file_name", "format", "uploaded_at", "user_name", "rows", "status", "sha256", "demo"]
    if args.json:
        print(json.dumps(_records(df[cols]), ensure_ascii=False, indent=2, default=str))
    else:
        for r in df.itertuples():
            status = texts.UPLOAD_STATUS.get(r.status, r.status)  # "zurückgenommen", not the stored code
            when = fmt_datetime(r.uploaded_at).removesuffix(" Uhr")
            print(f"{r.id:4d}  {when}  {status:16s} {fmt_num(r.rows, 0):>8} Zeilen  {r.file_name}")
    return 0


def _cmd_rollback(args: argparse.Namespace, monitor: Monitor, user: str) -> int:
    from indicators.ingest import pipeline

    res = pipeline.rollback(args.upload_id, monitor.store, monitor.catalog, monitor.settings, user)
    print(f"Upload Nr. {res['upload_id']} ({res['file']}) zurückgenommen; Indikatoren neu berechnet.")
    return 0


def _cmd_recompute(args: argparse.Namespace, monitor: Monitor, user: str) -> int:
    from indicators.service import recompute_all

    rep = recompute_all(monitor)
    print(
        f"{fmt_num(rep.values, 0)} Werte aus {fmt_num(rep.observations, 0)} Beobachtungen "
        f"in {fmt_num(rep.seconds, 2)} s berechnet."
    )
    return 0


def _cmd_export(args: argparse.Namespace, monitor: Monitor, user: str) -> int:
    from indicators import queries
    from indicators.fmt import fmt_num
    from indicators.ingest.template import write_template
    from indicators.regions import COMPARISON_ORIGIN

    # the template takes only regions of the region list: the comparison regions of official files (origin
    # 'Vergleich') stay out, they come with their files (else the export cannot be imported into a new database)
    listed = monitor.store.regions()
    comparison = set(listed.loc[listed["origin"] == COMPARISON_ORIGIN, "key"])
    obs = queries.current_observations(monitor.store)
    left_out = obs["region"].isin(comparison)
    regions = [(k, n) for k, n in listed[["key", "name"]].itertuples(index=False, name=None) if k not in comparison]
    path = write_template(args.target, obs[~left_out], monitor.catalog, regions)
    print(f"Basisdaten exportiert: {path}")
    if left_out.any():
        n_regions = obs.loc[left_out, "region"].nunique()
        print(
            f"Nicht exportiert: {fmt_num(int(left_out.sum()), 0)} Werte von {fmt_num(n_regions, 0)} Vergleichsregionen "
            "(die Vorlage nimmt nur Regionen der Regionsliste; Vergleichsregionen kommen mit ihren amtlichen Dateien)."
        )
    return 0


def _cmd_publish(args: argparse.Namespace, monitor: Monitor, user: str) -> int:
    """issue 23: the public website into a folder; says what changed since the last publication there."""
    from indicators.publish import content, site

    folder = Path(args.out) if args.out else site.default_folder(monitor)
    try:
        result = site.build(monitor, folder, user)
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    warnings = content.setup_warnings(monitor.settings)  # imprint/contact not set: named for the administration
    if args.json:
        out = {
            "hinweise": warnings,
            "ordner": str(result.folder),
            "seiten": result.pages,
            "dateien": result.downloads,
            "bytes": result.size,
            "erste_veroeffentlichung": result.first,
            "neu": result.new,
            "geaendert": result.changed,
            "entfernt": result.removed,
            "unveraendert": result.unchanged,
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for line in result.summary():
        print(line)
    for line in warnings:
        print(f"Hinweis: {line}")
    if not result.first:
        words = {"neu": "neu", "geaendert": "geändert", "entfernt": "entfernt"}
        for path, change in result.changes():
            print(f"  {words[change]}: {path}")
    return 0


_COMMANDS: dict[str, Callable[[argparse.Namespace, Monitor, str], int]] = {
    "import": _cmd_import,
    "catalog": _cmd_catalog,
    "values": _cmd_values,
    "uploads": _cmd_uploads,
    "rollback": _cmd_rollback,
    "recompute": _cmd_recompute,
    "export": _cmd_export,
    "publish": _cmd_publish,
}


def _cmd_profiles(args: argparse.Namespace, monitor: Monitor, user: str) -> int:
    from indicators.ingest.sources.common import MappingError
    from indicators.ingest.sources.mapping import delete_profile, list_profiles

    if args.delete:
        try:
            delete_profile(monitor.store, args.delete, user)
        except MappingError as exc:
            print(f"{exc} Liste: python -m indicators profiles", file=sys.stderr)
            return 1
        print(f"Zuordnungsprofil „{args.delete}“ gelöscht.")
        return 0
    profiles = list_profiles(monitor.store)
    if args.json:
        print(json.dumps(profiles, ensure_ascii=False, indent=2, default=str))
        return 0
    if not profiles:
        print("Keine Zuordnungsprofile vorhanden.")
    for p in profiles:
        when = f", {p['created_at']:%d.%m.%Y} von {p['created_by']}" if p["created_at"] is not None else ""
        print(f"{p['name']:24s} {p['origin']}{when}  {p['title']}")
    return 0


def _cmd_status(args: argparse.Namespace, monitor: Monitor) -> int:
    from indicators import verdicts
    from indicators.fmt import fmt_value

    statuses = verdicts.all_statuses(monitor.store, monitor.catalog)
    rows: list[dict[str, Any]] = []
    for ind_id, st in statuses.items():
        latest = st.latest
        v = st.verdict
        rows.append(
            {
                "indicator": ind_id,
                "field": st.indicator.field,
                "name": st.indicator.name,
                "unit": st.indicator.unit,
                "latest_year": latest[0] if latest else None,
                "latest_value": latest[1] if latest else None,
                "target_value": st.target.target_value if st.target else None,
                "target_year": st.target.target_year if st.target else None,
                "method": st.method,
                "status": v.status,
                "label": v.label,
                "symbol": v.symbol,
                "score": v.score,
                "explanation": v.explanation,
            }
        )
    if args.json:
        rollups = verdicts.field_rollups(monitor.catalog, statuses)
        print(json.dumps({"indicators": rows, "fields": rollups}, ensure_ascii=False, indent=2, default=str))
        return 0
    for r in rows:
        value = fmt_value(r["latest_value"], r["unit"]) if r["latest_value"] is not None else "–"
        target = (
            f"Ziel {fmt_value(r['target_value'], r['unit'])} bis {r['target_year']}"
            if r["target_value"] is not None
            else ""
        )
        print(
            f"{r['symbol']:3s} {r['indicator']:36s} {value:>14s} ({r['latest_year'] or '–'})  {r['label']:24s} {target}"
        )
    return 0


def _cmd_targets(args: argparse.Namespace, monitor: Monitor, user: str) -> int:
    from indicators import targets
    from indicators.fmt import fmt_exact

    if args.targets_command == "list":
        tg = targets.targets(monitor.store)
        if args.json:
            print(json.dumps([t.as_record() for t in tg.values()], ensure_ascii=False, indent=2, default=str))
        else:
            for t in tg.values():
                ind = monitor.catalog.indicators.get(t.indicator)
                value = fmt_exact(t.target_value, ind.unit if ind else "")
                print(
                    f"{t.indicator:36s} {value} bis {t.target_year} (Basis {t.baseline_year or '–'}, "
                    f"Methode {t.method or 'automatisch'})"
                )
        return 0
    existing = targets.get_target(monitor.store, args.indicator)
    t = targets.Target(
        indicator=args.indicator,
        target_value=args.value,
        target_year=args.year,
        baseline_year=args.baseline,
        method=args.method,
        tolerance=args.tolerance,
        reason=args.reason,
        path=existing.path if existing else {},
    )
    try:
        targets.validate_target(t, monitor.catalog)
        if not args.ja:
            from indicators import verdicts

            series = verdicts.status_for(
                monitor.store, monitor.catalog, monitor.catalog.indicators[args.indicator]
            ).series
            warnings = targets.far_off(t, monitor.catalog, series)
            if warnings:
                print(
                    "Ziel nicht gespeichert: " + " ".join(warnings) + " Vielleicht ein Tippfehler? Wenn der Wert "
                    "stimmt, denselben Aufruf mit --ja wiederholen.",
                    file=sys.stderr,
                )
                return 1
        targets.set_target(monitor.store, monitor.catalog, t, user)
    except targets.TargetError as exc:
        print(f"Ziel nicht gespeichert: {exc}", file=sys.stderr)
        return 1 if args.indicator in monitor.catalog.indicators else 2
    unit = monitor.catalog.indicators[args.indicator].unit
    print(f"Ziel gespeichert: {args.indicator} = {fmt_exact(args.value, unit)} bis {args.year}.")
    return 0


def _split(items: list[str] | None) -> list[str] | None:
    return [x.strip() for item in items for x in item.split(",") if x.strip()] if items else None


def _cmd_report(args: argparse.Namespace, monitor: Monitor) -> int:
    """``report`` and ``export-values`` (issue 13); a selection the report cannot take ends with code 2."""
    from indicators.report import FORMATS, check_target, content, make_report
    from indicators.report.values import write_values

    try:
        if args.command == "export-values":
            check_target(Path(args.target))  # before the work: a missing folder is said at once
            path = write_values(monitor, args.target)
            print(f"Indikatorwerte geschrieben: {path}")
            return 0
        out = Path(args.out)
        fmt = args.format or out.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            print(f"Format unklar: --format pdf oder --format pptx angeben (Endung „{out.suffix}“).", file=sys.stderr)
            return 2
        check_target(out)
        sel = content.Selection(
            year=args.year,
            fields=_split(args.fields),
            indicators=_split(args.indicators),
            regions=_split(args.regions) or [],
        )
        data = make_report(monitor, sel, fmt)
    except content.SelectionError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except content.ReportError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    out.write_bytes(data)
    print(f"Bericht geschrieben: {out} ({fmt_num(len(data) // 1024, 0)} KB)")
    return 0
