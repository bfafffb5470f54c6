"""Command line for accounts, backup and restore (issue 11): ``user …``, ``backup DIR``, ``restore DIR --to NEWDB``.

Kept apart from :mod:`indicators.cli` (which only registers and dispatches these commands) to ease merging.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indicators import auth, texts

if TYPE_CHECKING:
    from indicators.service import Monitor


COMMANDS = ("user", "backup", "restore")


def add_parsers(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    s = sub.add_parser("user", help="Benutzerkonten: anlegen, auflisten, Rolle setzen, deaktivieren")
    u = s.add_subparsers(dest="user_command", required=True, parser_class=parser_class, metavar="AKTION")
    a = u.add_parser(
        "add", help="Konto anlegen (Einmalpasswort aus einer Eingabeaufforderung oder einer Zeile auf stdin)"
    )
    a.add_argument("name", metavar="NAME")
    a.add_argument("--rolle", "--role", dest="rolle", required=True, choices=auth.ROLES)
    a.add_argument(
        "--oidc",
        metavar="E-MAIL",
        default=None,
        help="Dienstkonto beim Identitätsanbieter (st.login); ohne Passwort mit --ohne-passwort",
    )
    a.add_argument("--ohne-passwort", action="store_true", help="nur Anmeldung über den Identitätsanbieter")
    a = u.add_parser("list", help="alle Konten")
    a.add_argument("--json", action="store_true")
    a = u.add_parser("set-role", help="Rolle eines Kontos setzen")
    a.add_argument("name", metavar="NAME")
    a.add_argument("rolle", choices=auth.ROLES, metavar="ROLLE")
    a = u.add_parser("disable", help="Konto deaktivieren")
    a.add_argument("name", metavar="NAME")
    a = u.add_parser("enable", help="Konto wieder aktivieren (hebt auch eine Sperre auf)")
    a.add_argument("name", metavar="NAME")
    a = u.add_parser(
        "set-password", help="Einmalpasswort setzen (Eingabeaufforderung oder stdin); die Person setzt dann ein eigenes"
    )
    a.add_argument("name", metavar="NAME")

    s = sub.add_parser("backup", help="Sicherung in einen neuen Ordner (auch während die App läuft)")
    s.add_argument("target", metavar="ORDNER")
    s.add_argument(
        "--wait",
        type=int,
        default=120,
        metavar="SEKUNDEN",
        help="läuft die App: so lange auf ihre Sicherung warten (Vorgabe 120)",
    )

    s = sub.add_parser("restore", help="Sicherung in eine neue Datenbankdatei wiederherstellen")
    s.add_argument("source", metavar="SICHERUNGSORDNER")
    s.add_argument("--to", required=True, metavar="NEUE_DATENBANK", dest="to")


def _password(prompt: str = "Passwort: ") -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("Passwort wiederholen: ") != first:
            raise auth.UserError("Die beiden Passwörter stimmen nicht überein.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def run(args: argparse.Namespace, open_monitor: Callable[[], Monitor]) -> int:
    """Run one of COMMANDS; ``open_monitor`` opens the database as the other commands do."""
    if args.command == "restore":
        from indicators import backup

        info = backup.restore(args.source, args.to)
        print(
            f"Sicherung {info['name']} vom {info['created_at']} wiederhergestellt nach {args.to} "
            f"({info['counts']['uploads']} Uploads, {info['counts']['values']} Indikatorwerte; Prüfsumme stimmt)."
        )
        return 0
    if args.command == "backup":
        return _backup(args, open_monitor)
    monitor = open_monitor()
    try:
        store, by = monitor.store, monitor.settings.user
        c = args.user_command
        if c == "add":
            password = None if args.ohne_passwort else _password()
            auth.add_user(store, args.name, args.rolle, password, by, oidc=args.oidc)
            done = texts.CLI_USER_ADDED if password is not None else texts.CLI_USER_ADDED_OIDC
            print(done.format(name=args.name.strip(), role=args.rolle))
        elif c == "list":
            df = auth.users(store)
            if args.json:
                rows = [
                    {
                        k: (None if v is None or v != v else (v.isoformat() if hasattr(v, "isoformat") else v))
                        for k, v in r.items()
                    }
                    for r in df.to_dict(orient="records")
                ]
                print(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
            else:
                for r in df.itertuples():
                    state = "aktiv" if r.active else "deaktiviert"
                    mark = texts.CLI_ONE_TIME_MARK if r.must_change else ""
                    print(f"{r.name:<24} {r.role:<15} {state:<12} {r.oidc or '':<24} {mark}".rstrip())
        elif c == "set-role":
            auth.set_role(store, args.name, args.rolle, by)
            print(f"{args.name}: Rolle {args.rolle}.")
        elif c in ("disable", "enable"):
            auth.set_active(store, args.name, c == "enable", by)
            print(f"{args.name}: {'aktiv' if c == 'enable' else 'deaktiviert'}.")
        elif c == "set-password":
            auth.set_password(store, args.name, _password("Neues Passwort: "), by)
            print(texts.CLI_PASSWORD_SET.format(name=args.name))
        return 0
    finally:
        monitor.close()


def _backup(args: argparse.Namespace, open_monitor: Callable[[], Monitor]) -> int:
    from indicators import backup
    from indicators.store import StoreError

    target = Path(args.target).resolve()
    try:
        monitor = open_monitor()
    except StoreError:  # the app holds the database: it makes the backup (inbox request)
        from indicators import app_channel
        from indicators.config import load_settings

        settings = load_settings(args.db)
        print("Die App hält die Datenbank; die Sicherung übernimmt die laufende App …", file=sys.stderr)
        info = app_channel.request_backup(settings, target, settings.user, timeout=args.wait)
    else:
        try:
            info = backup.backup(monitor, target, monitor.settings.user)
        finally:
            monitor.close()
    print(
        f"Sicherung {info['name']} angelegt: {info['counts']['uploads']} Uploads, {info['archive_files']} "
        f"Originaldateien, {backup.human_size(info['bytes'])} in {target}."
    )
    return 0
