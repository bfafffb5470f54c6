"""Roles, permissions and the current actor (issue 11): what every write in the core checks first.

Below the store (which checks :data:`REGIONS` itself) and below :mod:`indicators.auth` (accounts, sign-in,
sessions), which re-exports these names, so ``auth.require(auth.UPLOAD, user)`` reads as before.

Roles, each including the ones before: Betrachter (read), Analyse (notes, targets), Datenpflege (uploads,
rollback, profiles, regions, removing demo data), Administration (users, backup/restore, settings), each in one
tenant (a Kreis, issue 24); Landesadministration (adding tenants) in every tenant.
:func:`require` reads the *current actor* from a context variable that the app sets on every script run (the
signed-in person) and the command line sets once (the OS account acting as Administration). A write without an
actor is refused. ``MONITOR_AUTH=aus`` switches sign-in off (one trusted workstation, the tests): everyone then
acts as ``MONITOR_USER`` with Administration.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from indicators import config
from indicators.errors import UserError

ROLES = ("Betrachter", "Analyse", "Datenpflege", "Administration", "Landesadministration")
#: LAND_ADMIN (issue 24): the installation's administration across all tenants (Kreise): manages tenants and the
#: shared uploads; every other role holds in one tenant only
VIEWER, ANALYSIS, DATA, ADMIN, LAND_ADMIN = ROLES

# permission names: what the core checks
READ = "lesen"
NOTES = "notizen"
TARGETS = "ziele"
UPLOAD = "upload"
ROLLBACK = "ruecknahme"
PROFILES = "profile"
REGIONS = "regionen"
REMOVE_DEMO = "demo_entfernen"
USERS = "benutzer"
BACKUP = "sicherung"
SETTINGS = "einstellungen"
STRATEGY = "strategie"
MEASURE_ROUND = "massnahmenabfrage"
PUBLISH = "veroeffentlichen"  # issue 23: the public website
TENANTS = "mandanten"  # issue 24: add tenants (Kreise) to the installation

#: the least role that holds a permission
PERMISSIONS: dict[str, str] = {
    READ: VIEWER,
    NOTES: ANALYSIS,
    TARGETS: ANALYSIS,
    STRATEGY: ANALYSIS,
    MEASURE_ROUND: DATA,
    UPLOAD: DATA,
    ROLLBACK: DATA,
    PROFILES: DATA,
    REGIONS: DATA,
    REMOVE_DEMO: DATA,
    USERS: ADMIN,
    BACKUP: ADMIN,
    SETTINGS: ADMIN,
    PUBLISH: ADMIN,
    TENANTS: LAND_ADMIN,
}
#: the permissions that change the data every tenant shares (issue 24: uploads of official files, their rollback, the
#: regions, the mapping profiles, the demo): in an installation with several Kreise only the Landesadministration
#: holds them (:attr:`Actor.shared`); with one Kreis they stay with the roles above
SHARED = frozenset({UPLOAD, ROLLBACK, PROFILES, REGIONS, REMOVE_DEMO})

#: German words for the refusal
PERMISSION_TEXT = {
    READ: "lesen",
    NOTES: "Notizen schreiben",
    TARGETS: "Ziele ändern",
    UPLOAD: "Dateien übernehmen",
    ROLLBACK: "Uploads zurücknehmen",
    PROFILES: "Zuordnungsprofile ändern",
    REGIONS: "Regionen anlegen",
    REMOVE_DEMO: "Demodaten entfernen",
    USERS: "Benutzer verwalten",
    BACKUP: "sichern und wiederherstellen",
    SETTINGS: "Einstellungen ändern",
    STRATEGY: "Strategie, Ziele, Partner und Maßnahmen ändern",
    MEASURE_ROUND: "die Maßnahmenabfrage durchführen (Formulare, Import, Rücknahme)",
    PUBLISH: "die Website veröffentlichen",
    TENANTS: "Kreise (Mandanten) anlegen",
}


#: the address the web server listens on, told by the app (None: no web server – the command line, AppTest)
_server_address: str | None = None
#: the second setting that allows MONITOR_AUTH=aus on a server reachable from the network
AUTH_OFF_CONFIRM = "MONITOR_AUTH_AUS_IM_NETZ"


def set_server_address(address: str | None) -> None:
    """The app tells the core where its server listens (``server.address``; ``0.0.0.0`` when not set)."""
    global _server_address
    _server_address = address


def auth_off_requested() -> bool:
    return not config.settings().auth


def is_loopback(address: str | None) -> bool:
    import ipaddress

    if address is None:
        return True  # no web server at all
    address = address.strip().strip("[]").lower()
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False  # a host name or an interface: reachable from elsewhere, as far as we can tell


def auth_off_refusal(address: str | None) -> str | None:
    """Why MONITOR_AUTH=aus is not allowed for a server on ``address`` (German), or None when it is: only on the
    loopback address (127.0.0.1, localhost), or confirmed with MONITOR_AUTH_AUS_IM_NETZ=ja."""
    if not auth_off_requested() or is_loopback(address):
        return None
    if config.settings().auth_off_in_network:  # MONITOR_AUTH_AUS_IM_NETZ
        return None
    shown = address or "alle Netzwerkschnittstellen"
    return (
        f"MONITOR_AUTH=aus wird abgelehnt: der Server ist über {shown} aus dem Netz erreichbar, dann könnte jede "
        f"Person alles ändern. Die Anmeldung bleibt an. Ohne Anmeldung nur mit --address 127.0.0.1 (nur dieser "
        f"Rechner) oder ausdrücklich bestätigt mit {AUTH_OFF_CONFIRM}=ja."
    )


def auth_disabled() -> bool:
    """``MONITOR_AUTH=aus``: no sign-in, everyone acts as MONITOR_USER with Administration (tests, one workstation);
    refused (sign-in stays on) for a web server that listens beyond the loopback address, unless confirmed."""
    return auth_off_requested() and auth_off_refusal(_server_address) is None


def anonymous_read() -> bool:
    """``MONITOR_ANONYMOUS_READ=1``: pages can be read without signing in (an intranet screen); nothing is written."""
    return config.settings().anonymous_read


class PermissionDenied(UserError):
    """A write the current actor's role does not allow (German message)."""


@dataclass(frozen=True)
class Actor:
    name: str
    role: str
    #: the OS account on the command line (and MONITOR_AUTH=aus): names passed to the core (``--user``,
    #: "Demodaten") are kept in the log; for a signed-in person the log always names the person
    system: bool = False
    #: anonymous read-only mode (MONITOR_ANONYMOUS_READ)
    anonymous: bool = False
    #: signed in through the identity provider (st.login)
    oidc: bool = False
    #: signed in with a one-time password: nothing is allowed until the person has set a password of their own
    must_change: bool = False
    #: the tenant (Kreis key) the role holds in (issue 24); None: every tenant (the command line, MONITOR_AUTH=aus,
    #: anonymous reading, the Landesadministration). Outside it the actor may do nothing, not even read.
    tenant: str | None = None
    #: may change the data all tenants share (:data:`SHARED`): False for a role of one Kreis in an installation with
    #: several (issue 24)
    shared: bool = True


# -- the current tenant (issue 24) -----------------------------------------------------------------------------
#: the tenant (a Kreis key) whose data the core reads and writes in this context: set by the app on every script run
#: (the Kreis chosen in the frame or by ``kreis=`` in the address) and once by the command line (``--tenant``).
#: Unset: the installation's own Kreis (MONITOR_OWN_REGION), so a single-Kreis installation never sets it.
_tenant: contextvars.ContextVar[str | None] = contextvars.ContextVar("integrationsmonitor_tenant", default=None)


def current_tenant() -> str:
    """The tenant of this context: its Kreis key (default MONITOR_OWN_REGION)."""
    return _tenant.get() or config.settings().own_region


def set_tenant(key: str | None) -> contextvars.Token[str | None]:
    return _tenant.set(key)


@contextmanager
def in_tenant(key: str | None) -> Iterator[None]:
    token = _tenant.set(key)
    try:
        yield
    finally:
        _tenant.reset(token)


_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("integrationsmonitor_actor", default=None)


def set_actor(actor: Actor | None) -> contextvars.Token[Actor | None]:
    return _actor.set(actor)


@contextmanager
def acting_as(actor: Actor | None) -> Iterator[None]:
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def system_actor(name: str) -> Actor:
    """The command line (the server's administrator) and MONITOR_AUTH=aus: every tenant, adding tenants too."""
    return Actor(name=name, role=LAND_ADMIN, system=True)


def current() -> Actor | None:
    actor = _actor.get()
    if actor is None and auth_disabled():
        return system_actor(config.settings().user)  # MONITOR_USER or the OS account
    return actor


def rank(role: str) -> int:
    return ROLES.index(role) if role in ROLES else -1


def allowed(actor: Actor | None, permission: str) -> bool:
    if actor is None:
        return False
    if actor.anonymous and permission != READ:
        return False
    if actor.must_change:  # a one-time password: first a password of one's own (change_own_password)
        return False
    if actor.tenant is not None and actor.tenant != current_tenant():  # a role holds in its own tenant only
        return False
    if permission in SHARED and not actor.shared:
        return False
    return rank(actor.role) >= rank(PERMISSIONS[permission])


def can(permission: str) -> bool:
    return allowed(current(), permission)


def require(permission: str, user: str | None = None) -> str:
    """Refuse unless the current actor may do this; returns the name for the audit log (the signed-in person;
    for the command line the name passed, e.g. ``--user``)."""
    actor = current()
    if not allowed(actor, permission):
        what = PERMISSION_TEXT.get(permission, permission)
        if actor is None or actor.anonymous:
            raise PermissionDenied(f"Nicht angemeldet: {what} ist nur nach der Anmeldung möglich.")
        if actor.must_change:
            raise PermissionDenied(MUST_CHANGE_REFUSED.format(what=what))
        if permission in SHARED and not actor.shared and rank(actor.role) >= rank(PERMISSIONS[permission]):
            raise PermissionDenied(
                f"Keine Berechtigung: {what} ändert die Daten, die alle Kreise dieser Installation teilen; das darf "
                f"nur die Rolle {LAND_ADMIN} (angemeldet als {actor.name}, Rolle {actor.role})."
            )
        if actor.tenant is not None and actor.tenant != current_tenant() or actor.role not in ROLES:
            raise PermissionDenied(
                f"Keine Berechtigung: {what} im Kreis {current_tenant()} ist {actor.name} nicht freigegeben."
            )
        raise PermissionDenied(
            f"Keine Berechtigung: {what} erfordert die Rolle {PERMISSIONS[permission]} "
            f"(angemeldet als {actor.name}, Rolle {actor.role})."
        )
    assert actor is not None  # (allowed() is False without an actor)
    if actor.system and user:
        return user
    return actor.name


#: the refusal while a one-time password is in use
MUST_CHANGE_REFUSED = (
    "Erst ein eigenes Passwort setzen: Sie sind mit einem Einmalpasswort angemeldet; {what} ist erst danach möglich."
)
