"""Sign-in and roles (issue 11): local accounts, lock-out, sessions; re-exports the roles, permissions and the
current actor of :mod:`indicators.permissions` (below the store, which checks a permission itself).

Roles, each including the ones before: Betrachter (read), Analyse (notes, targets), Datenpflege (uploads,
rollback, profiles, regions, removing demo data), Administration (users, backup/restore, settings).

Every write in the core calls :func:`require` first; it reads the *current actor* from a context variable that
the app sets on every script run (the signed-in person) and the command line sets once (the OS account acting as
Administration). A write without an actor is refused. ``MONITOR_AUTH=aus`` switches sign-in off (one trusted
workstation, the tests): everyone then acts as ``MONITOR_USER`` with Administration.

Passwords are hashed with Argon2id (argon2-cffi). After ``MAX_FAILURES`` wrong passwords an account is locked for
``LOCK_MINUTES``. A password somebody else set (the first ``admin`` account, a new account, a reset by Administration
or on the command line) is a *one-time password*: the account is marked ``must_change``, and until the person sets a
password of their own, :func:`allowed` grants nothing and :func:`require` refuses every write (the app shows only the
form for the new password). A session expires after ``MONITOR_SESSION_MINUTES`` without activity (default 30) and after
``SESSION_MAX_HOURS`` in any case.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import random
import secrets
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from indicators import config
from indicators.errors import UserError
from indicators.permissions import (
    ADMIN,
    ANALYSIS,
    AUTH_OFF_CONFIRM,
    BACKUP,
    DATA,
    LAND_ADMIN,
    MEASURE_ROUND,
    MUST_CHANGE_REFUSED,
    NOTES,
    PERMISSION_TEXT,
    PERMISSIONS,
    PROFILES,
    PUBLISH,
    READ,
    REGIONS,
    REMOVE_DEMO,
    ROLES,
    ROLLBACK,
    SETTINGS,
    STRATEGY,
    TARGETS,
    TENANTS,
    UPLOAD,
    USERS,
    VIEWER,
    Actor,
    PermissionDenied,
    acting_as,
    allowed,
    anonymous_read,
    auth_disabled,
    auth_off_refusal,
    auth_off_requested,
    can,
    current,
    current_tenant,
    in_tenant,
    is_loopback,
    rank,
    require,
    set_actor,
    set_server_address,
    set_tenant,
    system_actor,
)
from indicators.store import Store

if TYPE_CHECKING:
    import duckdb
    from argon2 import PasswordHasher

#: roles, permissions and the current actor live in indicators.permissions (below the store); re-exported here
__all__ = [
    "UserError",
    "ADMIN",
    "ANALYSIS",
    "AUTH_OFF_CONFIRM",
    "BACKUP",
    "DATA",
    "LAND_ADMIN",
    "MEASURE_ROUND",
    "MUST_CHANGE_REFUSED",
    "NOTES",
    "PERMISSION_TEXT",
    "PERMISSIONS",
    "PROFILES",
    "PUBLISH",
    "READ",
    "REGIONS",
    "REMOVE_DEMO",
    "ROLES",
    "ROLLBACK",
    "SETTINGS",
    "STRATEGY",
    "TARGETS",
    "TENANTS",
    "UPLOAD",
    "USERS",
    "VIEWER",
    "Actor",
    "PermissionDenied",
    "acting_as",
    "allowed",
    "anonymous_read",
    "auth_disabled",
    "auth_off_refusal",
    "auth_off_requested",
    "can",
    "current",
    "current_tenant",
    "in_tenant",
    "is_loopback",
    "rank",
    "require",
    "set_actor",
    "set_server_address",
    "set_tenant",
    "system_actor",
]

log = logging.getLogger("integrationsmonitor")

MAX_FAILURES = 5
LOCK_MINUTES = 15
SESSION_MAX_HOURS = 10
MIN_PASSWORD = 10
NAME_MAX = 64


def session_minutes() -> int:
    """MONITOR_SESSION_MINUTES (default 30); a bad value: the default and a warning in the log (config.env_int)."""
    return config.settings().session_minutes


class SignInError(UserError):
    """Sign-in refused; the message says neither whether the name exists nor which part was wrong."""


# -- users table ----------------------------------------------------------------------------------------
SCHEMA = """CREATE TABLE IF NOT EXISTS users (
    name TEXT NOT NULL, role TEXT NOT NULL, password_hash TEXT, active BOOLEAN NOT NULL DEFAULT TRUE,
    oidc TEXT, failed INTEGER NOT NULL DEFAULT 0, locked_until TIMESTAMP, last_login TIMESTAMP,
    created_at TIMESTAMP NOT NULL, created_by TEXT NOT NULL)"""


#: accounts of a database made before one-time passwords existed get the column (their passwords stay valid)
MUST_CHANGE_COLUMN = "ALTER TABLE users ADD COLUMN IF NOT EXISTS must_change BOOLEAN DEFAULT FALSE"


SESSIONS = """CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT NOT NULL, name TEXT NOT NULL, started TIMESTAMP NOT NULL, last_seen TIMESTAMP NOT NULL,
    oidc BOOLEAN NOT NULL DEFAULT FALSE)"""


#: roles per tenant (issue 24): ``users.tenant`` is the account's own Kreis, where ``users.role`` holds (the
#: Landesadministration holds in every tenant); ``user_tenants`` gives an account a role in further Kreise
TENANT_COLUMN = "ALTER TABLE users ADD COLUMN IF NOT EXISTS tenant TEXT"
USER_TENANTS = """CREATE TABLE IF NOT EXISTS user_tenants (
    name TEXT NOT NULL, tenant TEXT NOT NULL, role TEXT NOT NULL, created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL)"""


def ensure_schema(store: Store) -> None:
    with store.transaction() as cur:
        cur.execute(SCHEMA)
        cur.execute(MUST_CHANGE_COLUMN)
        cur.execute(SESSIONS)
        cur.execute(TENANT_COLUMN)
        # accounts made before tenants existed belong to the installation's own Kreis
        cur.execute("UPDATE users SET tenant = ? WHERE tenant IS NULL", [config.own_region_setting()])
        cur.execute(USER_TENANTS)


def role_in(store: Store, name: str, tenant: str | None = None) -> str | None:
    """The account's role in a tenant (default: the current one); None: no role there."""
    tenant = tenant or current_tenant()
    rows = store.query(
        """SELECT CASE WHEN u.role = ? OR u.tenant = ? THEN u.role ELSE t.role END
           FROM users u LEFT JOIN user_tenants t ON lower(t.name) = lower(u.name) AND t.tenant = ?
           WHERE lower(u.name) = lower(?)""",
        [LAND_ADMIN, tenant, tenant, name],
    )
    return str(rows[0][0]) if rows and rows[0][0] is not None else None


def tenants_of(store: Store, name: str) -> list[str]:
    """The tenants (Kreis keys) the account has a role in, sorted: every tenant for the Landesadministration."""
    rows = store.query(
        """SELECT t.key FROM tenants t, users u WHERE lower(u.name) = lower(?) AND (
               u.role = ? OR u.tenant = t.key OR EXISTS (
                   SELECT 1 FROM user_tenants x WHERE lower(x.name) = lower(u.name) AND x.tenant = t.key))
           ORDER BY t.key""",
        [name, LAND_ADMIN],
    )
    return [str(k) for (k,) in rows]


def _actor(store: Store, row: dict[str, Any], oidc: bool = False, must_change: bool = False) -> Actor:
    """The account as an actor of the current tenant: its role there, bound to it (none: the role is empty and the
    actor may do nothing there, not even read); the Landesadministration holds in every tenant."""
    role = row["role"] if row["role"] == LAND_ADMIN else role_in(store, row["name"]) or ""
    tenant = None if role == LAND_ADMIN else current_tenant()
    # the shared data (uploads, regions, profiles): with several Kreise the Landesadministration's only
    shared = role == LAND_ADMIN or int(store.scalar("SELECT count(*) FROM tenants") or 0) <= 1
    return Actor(row["name"], role, oidc=oidc, must_change=must_change, tenant=tenant, shared=shared)


def grantable_roles(keep: str | None = None) -> list[str]:
    """The roles the current actor may give (the Landesadministration only by itself; ``keep``: an account's present
    role, always listed): a single-Kreis installation's Administration is offered the four roles as before."""
    return [r for r in ROLES if r != LAND_ADMIN or r == keep or can(TENANTS)]


def grant_tenant(store: Store, name: str, role: str, by: str) -> bool:
    """Give an account of another Kreis a role in the current tenant (Administration of this tenant); False when it
    has this role here already. The account's own Kreis and the Landesadministration are not changed here."""
    by = require(USERS, by)
    role = _check_role(role)
    if role == LAND_ADMIN:
        raise UserError("Die Landesadministration gilt für alle Kreise; sie wird mit „Rolle setzen“ vergeben.")
    tenant = current_tenant()
    with store.transaction() as cur:
        row = _row(cur, name)
        if row is None:
            raise UserError(f"Den Benutzer „{name}“ gibt es nicht.")
        if row["role"] == LAND_ADMIN or row.get("tenant") == tenant:
            raise UserError(f"„{row['name']}“ gehört schon zu diesem Kreis; die Rolle ändert „Rolle setzen“.")
        old = cur.execute(
            "SELECT role FROM user_tenants WHERE lower(name) = lower(?) AND tenant = ?", [name, tenant]
        ).fetchone()
        if old is not None and old[0] == role:
            return False
        cur.execute("DELETE FROM user_tenants WHERE lower(name) = lower(?) AND tenant = ?", [name, tenant])
        cur.execute(
            "INSERT INTO user_tenants VALUES (?, ?, ?, ?, ?)", [row["name"], tenant, role, dt.datetime.now(), by]
        )
        Store.audit(cur, by, "kreis_rolle_gesetzt", row["name"], {"role": role, "kreis": tenant})
    return True


def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()  # Argon2id with the library's current defaults (RFC 9106 low-memory profile)


def hash_password(password: str) -> str:
    return str(_argon2(_hasher().hash, password))


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise UserError("Der Benutzername fehlt.")
    if len(name) > NAME_MAX:
        raise UserError(f"Der Benutzername hat {len(name)} Zeichen; erlaubt sind höchstens {NAME_MAX}.")
    if any(unicodedata.category(ch)[0] in "CZ" and ch != " " for ch in name):
        raise UserError("Der Benutzername darf keine Steuer- oder Sonderleerzeichen enthalten.")
    return name


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"Unbekannte Rolle „{role}“; erlaubt: {', '.join(ROLES)}.")
    return role


#: common and easily guessed passwords (shipped with the monitor, one a line; issue 22)
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "definitions" / "common_passwords.txt"
PASSWORD_COMMON = (
    "Das Passwort ist zu leicht zu erraten: es steht (ggf. mit Ziffern oder Zeichen davor oder dahinter) auf der Liste "
    "häufig verwendeter Passwörter oder ist eine einfache Folge. Bitte ein anderes wählen, am besten mehrere Wörter "
    "(z. B. „Kaffee-Fahrrad-Leuchtturm“)."
)
PASSWORD_HAS_NAME = "Das Passwort darf den Benutzernamen nicht enthalten."


@functools.cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().lower() for x in lines if x.strip() and not x.startswith("#"))


def _simple_run(text: str) -> bool:
    """One or two characters repeated, or a run up or down the alphabet or the digits ('abcdefghij', '9876543210')."""
    if len(set(text)) <= 2:
        return True
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:])}
    return steps in ({1}, {-1})


def check_password(password: str, name: str | None = None) -> None:
    """The password policy as the BSI recommends it: a minimum length (MIN_PASSWORD) and no common or easily
    guessed password (the shipped list, checked as a whole and as the word without leading and trailing digits and
    punctuation, simple runs), nor the account's name."""
    password = password or ""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"Das Passwort muss mindestens {MIN_PASSWORD} Zeichen lang sein.")
    low = password.lower()
    stem = low.strip("0123456789!?.,;:-_+*#@$%&/()=<>[]{}'\"§ ")
    if low in common_passwords() or stem in common_passwords() or _simple_run(low) or len(set(stem)) <= 2:
        raise UserError(PASSWORD_COMMON)
    if name and len(name.strip()) >= 3 and name.strip().lower() in low:
        raise UserError(PASSWORD_HAS_NAME)


def _row(store_or_cur: Store | duckdb.DuckDBPyConnection, name: str) -> dict[str, Any] | None:
    sql = "SELECT * FROM users WHERE lower(name) = lower(?)"
    if hasattr(store_or_cur, "query_df"):
        df = store_or_cur.query_df(sql, [name])
    else:
        df = store_or_cur.execute(sql, [name]).df()
    return None if df.empty else df.iloc[0].to_dict()


def _flag(value: object) -> bool:
    """A BOOLEAN cell as read through pandas (None/NaN: false)."""
    return value is not None and not (isinstance(value, float) and value != value) and bool(value)


def has_users(store: Store) -> bool:
    return bool(store.scalar("SELECT count(*) FROM users"))


def users(store: Store) -> pd.DataFrame:
    """The accounts with a role in the current tenant, with that role, without their password hashes
    (``must_change``: a one-time password is still in use)."""
    tenant = current_tenant()
    return store.query_df(
        """SELECT u.name, CASE WHEN u.role = $land OR u.tenant = $tenant THEN u.role ELSE t.role END AS role, u.active,
                  u.oidc, u.failed, u.locked_until, u.last_login, u.created_at, u.created_by,
                  coalesce(u.must_change, FALSE) AS must_change
           FROM users u LEFT JOIN user_tenants t ON lower(t.name) = lower(u.name) AND t.tenant = $tenant
           WHERE u.role = $land OR u.tenant = $tenant OR t.role IS NOT NULL
           ORDER BY lower(u.name)""",
        {"land": LAND_ADMIN, "tenant": tenant},
    )


def add_user(
    store: Store, name: str, role: str, password: str | None, by: str, oidc: str | None = None, one_time: bool = True
) -> None:
    """A new account. Its password was chosen by someone else, so it is a one-time password (``one_time``): the
    person sets their own at the first sign-in. ``one_time=False`` only for accounts set up by tests and tools."""
    by = require(USERS, by)
    name, role = _check_name(name), _check_role(role)
    if role == LAND_ADMIN:
        require(TENANTS, by)  # only the Landesadministration makes another one
    oidc = (oidc or "").strip() or None
    if password is None and oidc is None:
        raise UserError("Ein Konto braucht ein Passwort oder eine Anmeldung über den Identitätsanbieter (--oidc).")
    if password is not None:
        check_password(password, name)
    hashed = hash_password(password) if password is not None else None
    with store.transaction() as cur:
        if _row(cur, name) is not None:
            raise UserError(f"Den Benutzer „{name}“ gibt es schon.")
        must_change = bool(one_time and hashed is not None)
        cur.execute(
            "INSERT INTO users (name, role, password_hash, oidc, created_at, created_by, must_change, tenant) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [name, role, hashed, oidc, dt.datetime.now(), by, must_change, current_tenant()],
        )
        Store.audit(cur, by, "benutzer_angelegt", name, {"role": role, "oidc": oidc, "einmalpasswort": must_change})


def _update(
    store: Store,
    name: str,
    by: str,
    action: str,
    sql: str,
    params: list[Any],
    detail: dict[str, Any],
    unchanged: Callable[[dict[str, Any]], bool] | None = None,
    own: bool = False,
) -> bool:
    """One change of an account, with its audit entry; False (nothing written, nothing logged) when
    ``unchanged(row)`` says the account is already so. Another person's account: only one of the current tenant
    (issue 24: the Administration of one Kreis does not change the accounts of another), unless the actor is the
    Landesadministration; ``own``: the person changes their own account."""
    with store.transaction() as cur:
        row = _row(cur, name)
        if row is not None and not own and not _manages(row):
            row = None
        if row is None:
            raise UserError(f"Den Benutzer „{name}“ gibt es nicht.")
        if unchanged is not None and unchanged(row):
            return False
        cur.execute(f"UPDATE users SET {sql} WHERE name = ?", [*params, row["name"]])
        Store.audit(cur, by, action, row["name"], detail)
    return True


def _manages(row: dict[str, Any]) -> bool:
    """Whether the current actor may change this account: Landesadministration everywhere; the Administration of a
    Kreis the accounts of its Kreis (not the Landesadministration's)."""
    actor = current()
    if actor is not None and actor.role == LAND_ADMIN:
        return True
    return row["role"] != LAND_ADMIN and row.get("tenant") == current_tenant()


def _last_admin(store: Store, name: str) -> bool:
    admins = store.query("SELECT lower(name) FROM users WHERE role IN (?, ?) AND active", [ADMIN, LAND_ADMIN])
    return [a for (a,) in admins] == [name.strip().lower()]


def set_role(store: Store, name: str, role: str, by: str) -> bool:
    """Set the role; False when the account has this role already (nothing written)."""
    by = require(USERS, by)
    role = _check_role(role)
    if role == LAND_ADMIN:
        require(TENANTS, by)  # only the Landesadministration makes another one
    if rank(role) < rank(ADMIN) and _last_admin(store, name):
        raise UserError("Das ist das letzte aktive Administrationskonto; es behält seine Rolle.")
    row = _row(store, name)
    if row is not None and LAND_ADMIN not in (row["role"], role) and row.get("tenant") != current_tenant():
        return grant_tenant(store, name, role, by)  # an account of another Kreis: its role in this one
    return _update(
        store,
        name,
        by,
        "rolle_geaendert",
        "role = ?",
        [role],
        {"role": role},
        unchanged=lambda row: row["role"] == role,
    )


def set_active(store: Store, name: str, active: bool, by: str) -> bool:
    """(De)activate; False when the account is so already (nothing written)."""
    by = require(USERS, by)
    if not active and _last_admin(store, name):
        raise UserError("Das ist das letzte aktive Administrationskonto; es bleibt aktiv.")
    return _update(
        store,
        name,
        by,
        "benutzer_aktiviert" if active else "benutzer_deaktiviert",
        "active = ?, failed = 0, locked_until = NULL",
        [active],
        {},
        unchanged=lambda row: (
            bool(row["active"]) == active
            and not row.get("failed")
            and (row.get("locked_until") is None or pd.isna(row.get("locked_until")))
        ),
    )


def unlock(store: Store, name: str, by: str) -> bool:
    """Administration lifts the lock after too many wrong passwords (and clears the count), audited; False when the
    account is not locked (nothing written)."""
    by = require(USERS, by)
    now = dt.datetime.now()
    return _update(
        store,
        name,
        by,
        "benutzer_entsperrt",
        "failed = 0, locked_until = NULL",
        [],
        {},
        unchanged=lambda row: (
            row.get("locked_until") is None or pd.isna(row.get("locked_until")) or row["locked_until"] <= now
        ),
    )


def set_password(store: Store, name: str, password: str, by: str) -> bool:
    """Administration (page or command line) sets an account's password. Set for someone else, it is a one-time
    password (the person chooses their own at the next sign-in); a signed-in person setting their own is not.
    Returns whether it is one-time."""
    by = require(USERS, by)
    check_password(password, name)
    actor = current()
    one_time = not (actor is not None and not actor.system and actor.name.strip().lower() == name.strip().lower())
    _update(
        store,
        name,
        by,
        "passwort_gesetzt",
        "password_hash = ?, failed = 0, locked_until = NULL, must_change = ?",
        [hash_password(password), one_time],
        {"einmalpasswort": one_time},
    )
    end_sessions(store, name)  # a new password: every browser signed in with the old one is signed out
    return one_time


def change_own_password(store: Store, old: str, new: str, keep_token: str | None = None) -> None:
    """The signed-in person changes their own password (the old one is checked). Every other session of the
    account ends (``keep_token``: this browser's session, which stays)."""
    from argon2.exceptions import VerificationError

    actor = current()
    if actor is None or actor.anonymous or actor.system:
        raise PermissionDenied("Nicht angemeldet: das eigene Passwort ändern geht nur nach der Anmeldung.")
    row = _row(store, actor.name)
    try:
        with hashing_slot(actor.name):
            ok = (
                row is not None
                and bool(row.get("password_hash"))
                and _argon2(_hasher().verify, row["password_hash"], old or "")
            )
    except VerificationError:
        ok = False
    if not ok:
        raise UserError("Das bisherige Passwort stimmt nicht.")
    check_password(new, actor.name)
    if new == old:
        raise UserError("Das neue Passwort muss sich vom bisherigen unterscheiden.")
    _update(
        store,
        actor.name,
        actor.name,
        "passwort_geaendert",
        "password_hash = ?, must_change = FALSE",
        [hash_password(new)],
        {},
        own=True,
    )
    end_sessions(store, actor.name, keep_token)


def one_time_password() -> str:
    return secrets.token_urlsafe(12)


def ensure_first_admin(store: Store, name: str = "admin") -> str | None:
    """On a database without accounts: create ``name`` with Administration and a random one-time password, returned
    once (``make run`` prints it; the first sign-in asks for a password of one's own). None if accounts exist."""
    if has_users(store):
        return None
    password = one_time_password()
    with acting_as(system_actor("Ersteinrichtung")):
        add_user(store, name, ADMIN, password, "Ersteinrichtung")
    return password


# -- sign-in -------------------------------------------------------------------------------------------
_DUMMY_HASH: str | None = None
#: the one answer to a refused sign-in, whatever the reason (it names the lock-out, so a locked person knows to wait)
SIGN_IN_REFUSED = (
    f"Anmeldung fehlgeschlagen: Benutzername oder Passwort ist falsch, oder das Konto ist deaktiviert "
    f"oder nach {MAX_FAILURES} Fehlversuchen für {LOCK_MINUTES} Minuten gesperrt. Bitte später erneut "
    "versuchen oder die Administration fragen."
)


def _dummy_verify(hasher: PasswordHasher, password: str | None) -> None:
    from argon2.exceptions import VerificationError

    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _argon2(hasher.hash, secrets.token_hex(8))
    try:
        _argon2(hasher.verify, _DUMMY_HASH, password or "")
    except VerificationError:
        pass


# -- bounds on sign-in work (issue 22) ------------------------------------------------------------------------
#: password hashings (Argon2id, 64 MiB each) at the same time in this process, and per client address
HASH_SLOTS = 2
HASH_SLOTS_PER_CLIENT = 1
#: how long an attempt waits for its turn (the account's lock, a hashing slot) before it is refused politely: short,
#: so that a storm of attempts does not hold the server's threads (a person just tries again). Measured with
#: benchmarks/load.py --storm (30 viewers, 50 storm sessions, loaded machine): 10 s made the viewers' p95 worse
#: (3,3–6,7 s), 1,5 s cost twice the page runs for no gain (2,3 s); 5 s: 0,9–3,3 s. Not shorter: every attempt is a
#: whole script run of the app, and a storm session sends its next one as soon as it has the answer
HASH_WAIT_SECONDS = 5.0
#: each wait is cut by a random part of up to this share, so that attempts queued together are not refused together
#: (a storm of sessions that all started at once otherwise came back every HASH_WAIT_SECONDS in one wave of script
#: runs that held up the viewers' pages)
HASH_WAIT_JITTER = 0.4
#: the hashing threads run this much lower in the CPU's favour than the page runs (Linux "nice"; each Argon2 check
#: keeps 4 threads busy for a fifth of a second): under a storm the processor serves the viewers first
HASH_NICE = 10
#: attempts of one client waiting at once; more are refused at once (a storm does not pile up threads)
WAITING_PER_CLIENT = 64
#: hashings one client may start per second: a storm from one address keeps a core busy at most part of the time,
#: so the pages of everybody else stay quick (benchmarks/load.py --storm: an Argon2 check costs 0,2 s of CPU; at 2 a
#: second the storm's hashing alone took 0,4 of the 2 cores)
HASH_RATE_PER_CLIENT = 1.0
SIGN_IN_BUSY = (
    "Gerade melden sich sehr viele an; Ihre Anmeldung wurde deshalb nicht geprüft. Bitte in einigen Sekunden "
    "erneut versuchen."
)


class SignInBusy(UserError):
    """Too many sign-ins at once: this one was not checked (and does not count as a failure)."""


_slots_lock = threading.Lock()
_pool: tuple[int, ThreadPoolExecutor] | None = None  # (process id, the hashing threads)
_slots = threading.BoundedSemaphore(HASH_SLOTS)
_client_slots: dict[str, tuple[threading.BoundedSemaphore, int]] = {}
_account_locks: dict[str, tuple[threading.Lock, int]] = {}
_client_next: dict[str, float] = {}  # per client: when its next hashing may start (time.monotonic)


def _lower_priority() -> None:
    """Run the calling thread (a hashing thread) HASH_NICE lower than it is; the threads Argon2 starts inherit it.
    Only where a thread's priority is its own (Linux); elsewhere, or if refused, it stays as it is."""
    if not sys.platform.startswith("linux"):
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + HASH_NICE))
    except OSError as exc:
        log.info("Passwortprüfung läuft mit normaler Priorität: %s", exc)


def _argon2(work: Callable[..., Any], *args: Any) -> Any:
    """One Argon2 computation (``hasher.verify``/``hasher.hash``), run on the hashing threads and waited for. There are
    HASH_SLOTS of them, so the process never holds more than HASH_SLOTS × 64 MiB for hashing, whoever asks (sign-in,
    password change, a new account), and they run at a lower priority than the page runs (HASH_NICE). The caller's
    thread waits without holding the interpreter; exceptions (a wrong password) come back to it."""
    global _pool
    with _slots_lock:
        if _pool is None or _pool[0] != os.getpid():  # (a forked child has none of its parent's threads)
            pool = ThreadPoolExecutor(HASH_SLOTS, thread_name_prefix="monitor-passwort", initializer=_lower_priority)
            _pool = (os.getpid(), pool)
        pool = _pool[1]
    return pool.submit(work, *args).result()


def _wait_seconds() -> float:
    """How long this attempt may wait for a turn: HASH_WAIT_SECONDS, less a random part of up to HASH_WAIT_JITTER."""
    return HASH_WAIT_SECONDS * (1.0 - HASH_WAIT_JITTER * random.random())


def _client_turn(client: str, deadline: float) -> float:
    """When this client's next hashing may start (at most HASH_RATE_PER_CLIENT a second); SignInBusy when that is
    after ``deadline``."""
    with _slots_lock:
        now = time.monotonic()
        if len(_client_next) > 10_000:  # forget clients that have long had their turn
            for key in [k for k, t in _client_next.items() if t < now]:
                del _client_next[key]
        start = max(now, _client_next.get(client, now))
        if start > deadline:
            raise SignInBusy(SIGN_IN_BUSY)
        _client_next[client] = start + 1.0 / HASH_RATE_PER_CLIENT
        return start


@contextmanager
def _keyed(
    table: dict[str, tuple[Any, int]], key: str, make: Callable[[], Any], limit: int | None = None
) -> Iterator[Any]:
    """The shared object for ``key`` (made on first use), counted while in use and dropped after the last user."""
    with _slots_lock:
        obj, users = table.get(key) or (make(), 0)
        if limit is not None and users >= limit:
            raise SignInBusy(SIGN_IN_BUSY)
        table[key] = (obj, users + 1)
    try:
        yield obj
    finally:
        with _slots_lock:
            obj, users = table[key]
            if users <= 1:
                del table[key]
            else:
                table[key] = (obj, users - 1)


@contextmanager
def hashing_slot(client: str | None = None) -> Iterator[None]:
    """A turn to hash a password: at most HASH_SLOTS in the process and HASH_SLOTS_PER_CLIENT per client address
    at once (each Argon2 hashing holds 64 MiB), and at most HASH_RATE_PER_CLIENT starts a second per client; one
    that does not get its turn within HASH_WAIT_SECONDS is refused with SignInBusy (German)."""
    deadline = time.monotonic() + _wait_seconds()
    client_sem = threading.BoundedSemaphore(HASH_SLOTS_PER_CLIENT)
    with _keyed(_client_slots, client or "-", lambda: client_sem, WAITING_PER_CLIENT) as mine:
        if (wait := _client_turn(client or "-", deadline) - time.monotonic()) > 0:
            time.sleep(wait)  # this client's turn (a server thread waits, nothing is hashed meanwhile)
        if not mine.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise SignInBusy(SIGN_IN_BUSY)
        try:
            if not _slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
                raise SignInBusy(SIGN_IN_BUSY)
            try:
                yield
            finally:
                _slots.release()
        finally:
            mine.release()


@contextmanager
def _account_turn(name: str) -> Iterator[None]:
    """One sign-in of an account at a time in this process: its failures are counted like serial ones (20 wrong
    passwords sent at the same instant lock the account as 20 in a row do)."""
    with _keyed(_account_locks, name.strip().lower(), threading.Lock) as lock:
        if not lock.acquire(timeout=_wait_seconds()):
            raise SignInBusy(SIGN_IN_BUSY)
        try:
            yield
        finally:
            lock.release()


def authenticate(
    store: Store, name: str, password: str, now: dt.datetime | None = None, client: str | None = None
) -> Actor:
    """The account's actor, or SignInError. Wrong passwords count; the ``MAX_FAILURES``-th locks the account for
    ``LOCK_MINUTES``. Every attempt is in the audit log. Attempts on one account take turns (the count is read and
    written under the account's lock); hashing is bounded per process and per ``client`` (its address): an attempt
    that does not get its turn in time is refused with SignInBusy and not counted."""
    name = (name or "").strip()[:NAME_MAX]
    try:
        with _account_turn(name), hashing_slot(client):
            return _authenticate(store, name, password, now)
    except SignInBusy:
        # not checked, but counted like a wrong password: a burst of attempts locks the account as a series does
        # (and a guess never gets through unchecked because others were refused). Kept cheap (one small read, no
        # table for pandas): in a storm most attempts end here
        found = store.query("SELECT name, locked_until FROM users WHERE lower(name) = lower(?)", [name]) if name else []
        when = now or dt.datetime.now()
        if found and found[0][1] is not None and found[0][1] > when:
            raise  # already locked: nothing more to count (no write per refused attempt of a storm)
        if found:
            _count_failure(store, found[0][0], when, {"grund": "nicht geprüft (überlastet)"})
        raise


def _count_failure(store: Store, name: str, now: dt.datetime, detail: dict[str, Any]) -> None:
    """One failed attempt of the account, counted in the database (failed + 1 in SQL, one transaction: parallel
    attempts never overwrite each other's count); the MAX_FAILURES-th locks it for LOCK_MINUTES. A locked account
    counts nothing more."""
    from indicators.store import Store as _S

    with store.transaction() as cur:
        locked = cur.execute("SELECT locked_until FROM users WHERE name = ?", [name]).fetchone()
        if locked and locked[0] is not None and locked[0] > now:
            _S.audit(cur, name, "anmeldung_gesperrt", name, {"gesperrt_bis": locked[0], **detail})
            return
        cur.execute("UPDATE users SET failed = failed + 1 WHERE name = ?", [name])
        row = cur.execute("SELECT failed FROM users WHERE name = ?", [name]).fetchone()
        failed = int(row[0]) if row else 0
        lock = now + dt.timedelta(minutes=LOCK_MINUTES) if failed >= MAX_FAILURES else None
        if lock:
            cur.execute("UPDATE users SET failed = 0, locked_until = ? WHERE name = ?", [lock, name])
        _S.audit(cur, name, "anmeldung_fehlgeschlagen", name, {"fehlversuche": failed, "gesperrt_bis": lock, **detail})
    if lock:
        log.warning("Konto %r nach %d Fehlversuchen gesperrt bis %s", name, failed, lock)


def _authenticate(store: Store, name: str, password: str, now: dt.datetime | None) -> Actor:
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    now = now or dt.datetime.now()
    # one message for every refusal (unknown name, wrong password, deactivated, locked): the words must not tell
    # whether an account of that name exists; the audit log and the server log keep the reason
    generic = SignInError(SIGN_IN_REFUSED)
    row = _row(store, name) if name else None
    hasher = _hasher()
    if row is None or not row.get("password_hash"):
        _dummy_verify(hasher, password)  # the same work as for an existing account: the time tells nothing either
        with store.transaction() as cur:
            Store.audit(cur, name or "–", "anmeldung_fehlgeschlagen", name or None, {"grund": "unbekannt"})
        raise generic
    locked = row.get("locked_until")
    if locked is not None and not pd.isna(locked) and pd.Timestamp(locked).to_pydatetime() > now:
        _dummy_verify(hasher, password)
        with store.transaction() as cur:
            Store.audit(
                cur,
                row["name"],
                "anmeldung_gesperrt",
                row["name"],
                {"gesperrt_bis": pd.Timestamp(locked).to_pydatetime()},
            )
        log.info("Anmeldung abgelehnt: Konto %r ist gesperrt bis %s", row["name"], locked)
        raise generic
    try:
        ok: bool = _argon2(hasher.verify, row["password_hash"], password or "")
    except (VerifyMismatchError, InvalidHashError, VerificationError):
        ok = False
    if not ok or not bool(row["active"]):
        _count_failure(store, row["name"], now, {})
        raise generic
    with store.transaction() as cur:
        rehash = hasher.check_needs_rehash(row["password_hash"])
        new_hash = _argon2(hasher.hash, password) if rehash else row["password_hash"]
        cur.execute(
            "UPDATE users SET failed = 0, locked_until = NULL, last_login = ?, password_hash = ? WHERE name = ?",
            [now, new_hash, row["name"]],
        )
        Store.audit(cur, row["name"], "angemeldet", row["name"], {})
    return _actor(store, row, must_change=_flag(row.get("must_change")))


def actor_for(store: Store, name: str, oidc: bool = False) -> Actor | None:
    """The account as it is now (role changes and deactivation apply on the next page run)."""
    row = _row(store, name)
    if row is None or not bool(row["active"]):
        return None
    # (the identity provider's sign-in uses no password of ours: nothing to change there)
    return _actor(store, row, oidc=oidc, must_change=_flag(row.get("must_change")) and not oidc)


def oidc_actor(store: Store, claims: dict[str, Any]) -> Actor | None:
    """Map an identity from the identity provider (st.user) to a local account: the account whose ``oidc`` field
    equals the e-mail address or the subject (``sub``) of the identity. None: not enabled in the monitor."""
    keys = [str(claims[k]).strip().lower() for k in ("email", "sub") if claims.get(k)]
    if not keys:
        return None
    rows = store.query(
        "SELECT name FROM users WHERE active AND oidc IS NOT NULL AND list_contains(?, lower(oidc)) "
        "ORDER BY name LIMIT 1",
        [keys],
    )
    return actor_for(store, rows[0][0], oidc=True) if rows else None


def record_sign_out(store: Store, name: str) -> None:
    with store.transaction() as cur:
        Store.audit(cur, name, "abgemeldet", name, {})


@dataclass
class Session:
    """A signed-in browser session (kept in Streamlit's session state, on the server)."""

    name: str
    started: dt.datetime
    last_seen: dt.datetime
    oidc: bool = False
    #: the cookie's token (None for a session kept only in Streamlit's session state)
    token: str | None = None
    #: when last_seen was last written to the database
    stored_seen: dt.datetime | None = None

    def expired(self, now: dt.datetime | None = None) -> bool:
        now = now or dt.datetime.now()
        return now - self.last_seen > dt.timedelta(minutes=session_minutes()) or now - self.started > dt.timedelta(
            hours=SESSION_MAX_HOURS
        )


# -- sessions that survive a page load (a link, a reload): a random token in a cookie, its hash in the database ---
#: how often a session's last activity is written (a write on every page view would be needless)
TOUCH_SECONDS = 60


def _token_hash(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()


def open_session(store: Store, name: str, oidc: bool = False, now: dt.datetime | None = None) -> tuple[str, Session]:
    """A new session for the account ``name``: the token for the browser's cookie (only its hash is stored)."""
    now = now or dt.datetime.now()
    token = secrets.token_urlsafe(32)
    with store.transaction() as cur:
        cur.execute("DELETE FROM sessions WHERE last_seen < ?", [now - dt.timedelta(hours=SESSION_MAX_HOURS)])
        cur.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)", [_token_hash(token), name, now, now, oidc])
    return token, Session(name, now, now, oidc=oidc, token=token, stored_seen=now)


def resume_session(store: Store, token: str | None, now: dt.datetime | None = None) -> Session | None:
    """The live session of a cookie's token (None: unknown, ended or expired; an expired one is removed)."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    now = now or dt.datetime.now()
    rows = store.query("SELECT name, started, last_seen, oidc FROM sessions WHERE token_hash = ?", [_token_hash(token)])
    if not rows:
        return None
    name, started, last_seen, oidc = rows[0]
    sess = Session(name, started, last_seen, oidc=bool(oidc), token=token, stored_seen=last_seen)
    if sess.expired(now):
        close_session(store, token)
        return None
    return sess


def touch_session(store: Store, sess: Session, now: dt.datetime | None = None) -> None:
    """Record activity: in memory on every run, in the database at most every TOUCH_SECONDS."""
    now = now or dt.datetime.now()
    if sess.token and (now - (sess.stored_seen or sess.last_seen)).total_seconds() >= TOUCH_SECONDS:
        with store.transaction() as cur:
            cur.execute("UPDATE sessions SET last_seen = ? WHERE token_hash = ?", [now, _token_hash(sess.token)])
        sess.stored_seen = now
    sess.last_seen = now


def session_alive(store: Store, token: str) -> bool:
    """Whether the session of this token still exists (sign-out elsewhere, a password change end it)."""
    return bool(store.query("SELECT 1 FROM sessions WHERE token_hash = ?", [_token_hash(token)]))


def end_sessions(store: Store, name: str, keep_token: str | None = None, cur: Any = None) -> None:
    """End every session of the account ``name`` (all browsers), except the one of ``keep_token``."""
    sql = "DELETE FROM sessions WHERE lower(name) = lower(?) AND token_hash <> ?"
    params = [name, _token_hash(keep_token) if keep_token else ""]
    if cur is not None:
        cur.execute(sql, params)
        return
    with store.transaction() as c:
        c.execute(sql, params)


def close_session(store: Store, token: str | None) -> None:
    if token:
        with store.transaction() as cur:
            cur.execute("DELETE FROM sessions WHERE token_hash = ?", [_token_hash(token)])
