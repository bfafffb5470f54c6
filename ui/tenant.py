"""The tenant (Kreis) of a page run (issue 24): chosen in the frame, carried by the address (``mandant=``).

A single-Kreis installation never shows any of it: its one tenant is the default, the address carries no
parameter and the sidebar no choice. With several Kreise the address names the tenant of every page other than the
default, a person with roles in several Kreise switches in the sidebar, and a person without a role in the Kreis
asked for (a link of another Kreis, a changed address, a forged widget value) sees the refusal, not its pages: the
check is made on every run against the accounts in the database (:func:`indicators.auth.actor_for`)."""

from __future__ import annotations

import streamlit as st

from indicators import auth, tenants, texts
from indicators.service import Monitor
from ui.components import address_value, plain

#: the address parameter (``kreis`` is the Regionalvergleich's comparison Kreis)
PARAM = "mandant"
_SESSION = "tenant_key"
_WIDGET = "tenant_select"
#: the Kreis of the last run (a change forgets the pages' state)
_SHOWN = "tenant_shown"
#: session state that outlives a switch of the Kreis: the sign-in (``auth_…``, the one-time password form) and the frame
_FRAME_STATE = ("auth_", "must_change_", "tenant_")


def choose(m: Monitor) -> tenants.Tenant:
    """The tenant of this run, set for the core: the address's, else the one this session had, else the
    installation's own Kreis. An unknown key in the address: said, and the own Kreis instead."""
    default = m.settings.own_region
    asked = st.query_params.get(PARAM)
    key = asked or st.session_state.get(_SESSION) or default
    tenant = tenants.get(m.store, key)
    if tenant is None:
        if asked:
            st.session_state["tenant_notice"] = texts.TENANT_UNKNOWN.format(key=address_value(asked))
        tenant = tenants.get(m.store, default) or tenants.Tenant(default, default)
    st.session_state[_SESSION] = tenant.key
    st.session_state["tenant_asked"] = bool(asked)
    if st.session_state.get(_SHOWN, tenant.key) != tenant.key:
        forget_page_state()
    st.session_state[_SHOWN] = tenant.key
    auth.set_tenant(tenant.key)
    if tenant.key != default:  # the address names it (a copied link opens the same Kreis)
        st.query_params[PARAM] = tenant.key
    elif PARAM in st.query_params:
        del st.query_params[PARAM]
    return tenant


def forget_page_state() -> None:
    """Another Kreis than in the last run: the pages' widget values and pending entries are forgotten, so that no
    form holds the previous Kreis's values (one click on „Ziel speichern“ would have copied a target of Peine into
    Wolfenbüttel). The sign-in and the frame's own state stay."""
    for key in list(st.session_state.keys()):
        if not str(key).startswith(_FRAME_STATE):
            del st.session_state[key]


def keep_in_address(tenant: tenants.Tenant, m: Monitor) -> None:
    """After the page's own parameters are tidied: the tenant stays in the address (not for the default one)."""
    if tenant.key != m.settings.own_region:
        st.query_params[PARAM] = tenant.key


def refused(actor: auth.Actor | None) -> bool:
    """A signed-in person without a role in this tenant (anonymous reading and sign-in switched off hold for
    every tenant)."""
    return actor is not None and not actor.anonymous and not actor.must_change and not auth.allowed(actor, auth.READ)


def without_role(actor: auth.Actor) -> bool:
    """A signed-in person without a role in this tenant, also while a one-time password is still to be replaced."""
    return not actor.anonymous and not actor.role


def several(m: Monitor) -> bool:
    """More than one Kreis on this installation."""
    return len(tenants.tenants(m.store)) > 1


def to_own_kreis(m: Monitor, actor: auth.Actor) -> bool:
    """A person signed in without a role in the Kreis the address did not ask for (the installation's default, the
    last one of this session): their first own Kreis instead (True: rerun). A Kreis the address names is refused."""
    own = auth.tenants_of(m.store, actor.name)
    if st.session_state.get("tenant_asked") or not own:
        return False
    st.session_state[_SESSION] = own[0]
    if own[0] != m.settings.own_region:
        st.query_params[PARAM] = own[0]
    elif PARAM in st.query_params:
        del st.query_params[PARAM]
    return True


def refusal(m: Monitor, actor: auth.Actor, tenant: tenants.Tenant) -> None:
    """The refusal instead of any page of a Kreis the person has no role in; links to the Kreise they have."""
    st.error(texts.TENANT_REFUSED.format(name=plain(tenant.name), key=tenant.key), icon=":material/block:")
    own = [t for t in tenants.tenants(m.store) if t.key in auth.tenants_of(m.store, actor.name)]
    for t in own:
        suffix = "" if t.key == m.settings.own_region else f"?{PARAM}={t.key}"
        st.markdown(f"- [{plain(t.name)}](./{suffix})")


def _switch() -> None:
    st.query_params[PARAM] = st.session_state[_WIDGET]
    st.session_state[_SESSION] = st.session_state[_WIDGET]


def sidebar(m: Monitor, actor: auth.Actor, tenant: tenants.Tenant) -> None:
    """The tenant's name in the frame; a choice for a person with roles in several Kreise (every Kreis for the
    Landesadministration and where sign-in is switched off)."""
    every = tenants.tenants(m.store)
    if actor.anonymous or actor.role == auth.LAND_ADMIN:
        keys = [t.key for t in every]
    else:
        keys = auth.tenants_of(m.store, actor.name)
    if len(keys) > 1 and tenant.key in keys:
        names = {t.key: t.name for t in every}
        st.session_state[_WIDGET] = tenant.key  # (follows the address: a link of another Kreis)
        st.selectbox(texts.TENANT_SELECT, keys, format_func=lambda k: names.get(k, k), key=_WIDGET, on_change=_switch)
    if notice := st.session_state.pop("tenant_notice", None):
        st.warning(notice, icon=":material/warning:")
