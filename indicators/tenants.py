"""Tenants (issue 24): one installation serves several Kreise.

A tenant is a Kreis of the region list (its five-digit key and name). It has its own targets, notes, strategy and
audit log (those rows carry its key); the official data – uploads, observations, computed values, regions – are
shared: a Land-wide file uploaded once gives every tenant its values. The installation's own Kreis
(``MONITOR_OWN_REGION``) is a tenant from the start (:func:`ensure_default`), so a single-Kreis installation never
has to do anything about tenants. The current tenant of a page run or a command is a context variable
(:func:`indicators.permissions.current_tenant`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from indicators import config, permissions
from indicators.errors import UserError
from indicators.store import Store

KEY_PATTERN = re.compile(r"^\d{5}$")


class TenantError(UserError):
    """An unknown or unsuitable tenant key (German message)."""


@dataclass(frozen=True)
class Tenant:
    key: str
    name: str


def _kreis_name(store: Store, key: str) -> str | None:
    """The Kreis's name: from the installation's region list, else from the official list of every Kreis
    (``official_regions.csv``, „Wolfenbüttel, Landkreis“ written „Landkreis Wolfenbüttel“); None: no Kreis."""
    from indicators.ingest.sources.regions import name_variants, official_regions

    row = store.query("SELECT name FROM regions WHERE key = ? AND level = 'kreis' ORDER BY origin LIMIT 1", [key])
    name = str(row[0][0]) if row else official_regions().get(key) if len(key) == 5 else None
    if name is None:
        return None
    variants = name_variants(name)  # („Landkreis Peine“ stays so)
    return variants[1] if "," in name and len(variants) > 1 else name


def ensure_default(store: Store, key: str) -> None:
    """The installation's own Kreis is a tenant (created on opening; nothing happens when it exists)."""
    if store.read_only or store.scalar("SELECT count(*) FROM tenants WHERE key = ?", [key]):
        return
    name = _kreis_name(store, key) or key
    with store.transaction() as cur:
        cur.execute("INSERT INTO tenants VALUES (?, ?, ?, ?)", [key, name, dt.datetime.now(), "Installation"])


def tenants(store: Store) -> list[Tenant]:
    """Every tenant of the installation, by key."""
    return [Tenant(str(k), str(n)) for k, n in store.query("SELECT key, name FROM tenants ORDER BY key")]


def get(store: Store, key: str) -> Tenant | None:
    rows = store.query("SELECT key, name FROM tenants WHERE key = ?", [key])
    return Tenant(str(rows[0][0]), str(rows[0][1])) if rows else None


def require_known(store: Store, key: str) -> Tenant:
    """The tenant of this key, or a German refusal naming the known ones."""
    key = (key or "").strip()
    tenant = get(store, key)
    if tenant is None and key == config.settings().own_region:  # (a read-only store cannot create it)
        tenant = Tenant(key, _kreis_name(store, key) or key)
    if tenant is None:
        known = ", ".join(f"{t.key} ({t.name})" for t in tenants(store)) or "keiner"
        raise TenantError(
            f"Unbekannter Kreis „{key}“: diese Installation führt ihn nicht. Bekannte Kreise: {known}. "
            "Einen Kreis legt die Landesadministration mit „tenants add SCHLÜSSEL“ an."
        )
    return tenant


def add(store: Store, key: str, user: str) -> Tenant:
    """Add a Kreis of the region list as a tenant (Landesadministration). Refused in German: not five digits, not
    a Kreis of the region list, already a tenant."""
    user = permissions.require(permissions.TENANTS, user)
    key = (key or "").strip()
    if not KEY_PATTERN.match(key):
        raise TenantError(f"„{key}“ ist kein Kreisschlüssel: erwartet werden fünf Ziffern (z. B. 03157).")
    name = _kreis_name(store, key)
    if name is None:
        raise TenantError(f"Der Kreisschlüssel {key} steht nicht als Kreis in der Regionsliste.")
    if get(store, key) is not None:
        raise TenantError(f"Der Kreis {key} ({name}) ist schon angelegt.")
    with store.transaction() as cur:
        cur.execute("INSERT INTO tenants VALUES (?, ?, ?, ?)", [key, name, dt.datetime.now(), user])
        # the Kreis is a region of the installation (the pages name it as the own Kreis), if it is not one yet
        cur.execute(
            "INSERT INTO regions (key, name, level, parent, origin) SELECT ?, ?, 'kreis', ?, 'Mandant' "
            "WHERE NOT EXISTS (SELECT 1 FROM regions WHERE key = ?)",
            [key, name, key[:2], key],
        )
        with permissions.in_tenant(key):  # the new tenant's log begins with its creation
            Store.audit(cur, user, "kreis_angelegt", key, {"name": name})
    return Tenant(key, name)


def enter(store: Store, key: str | None) -> Tenant:
    """Make the tenant of ``key`` (None: the installation's own Kreis) the current one for this context (the command
    line: ``--tenant``); an unknown key is refused (TenantError) and nothing is set."""
    tenant = require_known(store, key or config.settings().own_region)
    permissions.set_tenant(tenant.key)
    return tenant
