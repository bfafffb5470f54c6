"""Sign-in in the app frame (issue 11): who acts in this script run, the sign-in form, sign-out.

``current_actor`` runs at the top of every script run (app.py) and sets the core's actor
(:func:`indicators.auth.set_actor`); pages ask :func:`can` to hide controls, the core refuses anyway.
"""

from __future__ import annotations

import datetime as dt
import html
import logging

import streamlit as st

from indicators import auth, texts
from indicators.errors import UserError
from indicators.service import Monitor
from ui import session_cookie
from ui.components import plain

SESSION_KEY = "auth_session"
#: the cookie with the session token: a link or reload opens a new Streamlit session, the sign-in stays
COOKIE = session_cookie.COOKIE
log = logging.getLogger("integrationsmonitor")


def oidc_configured() -> bool:
    """``[auth]`` in .streamlit/secrets.toml: Streamlit's own OIDC sign-in (st.login) is offered."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _oidc_claims() -> dict:
    try:
        if st.user.is_logged_in:
            return st.user.to_dict()
    except Exception:
        pass
    return {}


def current_actor(m: Monitor) -> auth.Actor | None:
    """The actor of this run: sign-in switched off, a live session, an OIDC identity mapped to an account,
    the anonymous reader, or None (the sign-in form is shown)."""
    auth.set_server_address(server_address())
    if auth.auth_disabled():
        return auth.system_actor(m.settings.user)
    if refusal := auth.auth_off_refusal(server_address()):  # MONITOR_AUTH=aus on a server in the network: refused
        if not st.session_state.get("auth_off_refused_logged"):
            st.session_state["auth_off_refused_logged"] = True
            log.warning(refusal)
        st.session_state["auth_notice"] = texts.AUTH_OFF_REFUSED
    now = dt.datetime.now()
    sess: auth.Session | None = st.session_state.get(SESSION_KEY)
    if sess is None and not st.session_state.get("auth_signed_out"):  # a new page load: the cookie's session
        sess = auth.resume_session(m.store, _cookie())
        if sess is not None:
            st.session_state[SESSION_KEY] = sess
    if sess is not None:
        if sess.expired(now):
            st.session_state.pop(SESSION_KEY, None)
            auth.close_session(m.store, sess.token)
            st.session_state["auth_notice"] = texts.AUTH_EXPIRED
            if sess.oidc:  # the provider's identity stays in Streamlit's cookie: a new sign-in needs the button
                st.session_state["auth_oidc_signed_out"] = True
        elif sess.token and not auth.session_alive(m.store, sess.token):  # signed out elsewhere, password changed
            st.session_state.pop(SESSION_KEY, None)
            st.session_state["auth_notice"] = texts.AUTH_ENDED_ELSEWHERE
        else:
            actor = auth.actor_for(m.store, sess.name, oidc=sess.oidc)
            if actor is None:  # deactivated meanwhile
                st.session_state.pop(SESSION_KEY, None)
                auth.close_session(m.store, sess.token)
                st.session_state["auth_notice"] = texts.AUTH_GONE
            else:
                auth.touch_session(m.store, sess, now)
                return actor
    if oidc_configured() and not st.session_state.get("auth_oidc_signed_out"):
        claims = _oidc_claims()
        if claims:
            actor = auth.oidc_actor(m.store, claims)
            if actor is not None:
                st.session_state[SESSION_KEY] = auth.Session(actor.name, now, now, oidc=True)
                return actor
            st.session_state["auth_notice"] = texts.AUTH_OIDC_UNKNOWN.format(
                who=plain(str(claims.get("email") or claims.get("sub") or "?"))
            )
    if auth.anonymous_read() and not st.session_state.get("auth_want_form"):
        return auth.Actor(texts.AUTH_ANONYMOUS, auth.VIEWER, anonymous=True)
    return None


def auth_off_banner(actor: auth.Actor) -> None:
    """With sign-in switched off: a banner on top of the page, so nobody mistakes this for a protected server."""
    if auth.auth_disabled():
        st.html(texts.AUTH_OFF_BANNER.format(name=html.escape(actor.name)))


def server_address() -> str | None:
    """Where this web server listens (``server.address``; not set: Streamlit listens on every interface); None when
    no server runs (AppTest runs the script with a stand-in for Streamlit's runtime)."""
    from streamlit import runtime

    if not runtime.exists() or type(runtime.get_instance()) is not runtime.Runtime:
        return None
    return (st.get_option("server.address") or "").strip() or "0.0.0.0"


def _cookie() -> str | None:
    try:
        return st.context.cookies.get(COOKIE)
    except Exception:  # no browser (AppTest)
        return None


def note_upload_right(actor: auth.Actor | None) -> None:
    """Tell the server's guard (ui/http_guard.py) whether this session may upload files: only a signed-in actor who
    may write (role Analyse or above, no one-time password, not the anonymous reader)."""
    from streamlit import runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from ui import http_guard

    ctx = get_script_run_ctx()
    if ctx is None:
        return
    http_guard.note_session(ctx.session_id, auth.allowed(actor, auth.NOTES))
    if runtime.exists() and len(http_guard._writers) > 200:
        http_guard.forget_ended_sessions(runtime.get_instance().is_active_session)


def _client_address() -> str | None:
    """The browser's address (for the per-client bound on sign-in work); None without a browser (AppTest)."""
    try:
        return st.context.ip_address
    except Exception:
        return None


def cookie_pending() -> None:
    """After a sign-in or sign-out (the run before ended with a rerun): the page hands a one-time code to the
    server's route, which sets or removes the HttpOnly session cookie (ui/session_cookie.py)."""
    if (code := st.session_state.pop("auth_cookie_code", None)) is not None:
        st.html(session_cookie.script(code), unsafe_allow_javascript=True)


def _cookie_handoff(token: str | None) -> None:
    """Prepare the cookie for the next run; without the route (``streamlit run app.py``) no cookie is set."""
    if session_cookie.served:
        st.session_state["auth_cookie_code"] = session_cookie.handoff(token)
    elif token is not None and not st.session_state.get("auth_no_cookie_warned"):
        st.session_state["auth_no_cookie_warned"] = True
        log.warning("Ohne server.py gibt es kein Sitzungs-Cookie: die Anmeldung gilt nur für diesen Browser-Tab.")


def can(permission: str) -> bool:
    return auth.can(permission)


def read_only_hint() -> str:
    """'Ihre Rolle (Betrachter) kann hier nur lesen.' where a page hides a control the role lacks."""
    actor = auth.current()
    if actor is not None and not actor.shared and auth.rank(actor.role) >= auth.rank(auth.PERMISSIONS[auth.UPLOAD]):
        if not auth.can(auth.UPLOAD):  # several Kreise: the shared uploads are the Landesadministration's (issue 24)
            return texts.AUTH_READONLY_SHARED.format(role=actor.role)
    return texts.AUTH_READONLY_HINT.format(role=(actor.role or texts.AUTH_NO_ROLE_HERE) if actor else "–")


def sign_in_form(m: Monitor) -> None:
    """The sign-in page (shown instead of any page): local account, and the identity provider if configured."""
    st.title(texts.AUTH_TITLE)
    st.caption(texts.AUTH_INTRO)
    if notice := st.session_state.pop("auth_notice", None):
        st.info(notice, icon=":material/info:")
    if oidc_configured():
        if st.button(texts.AUTH_OIDC_BUTTON, icon=":material/badge:", key="auth_oidc"):
            st.session_state.pop("auth_oidc_signed_out", None)
            st.login()
        st.caption(texts.AUTH_OR_LOCAL)
    with st.form("signin"):
        name = st.text_input(texts.AUTH_NAME, key="auth_name", autocomplete="username")
        password = st.text_input(
            texts.AUTH_PASSWORD, type="password", key="auth_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(texts.AUTH_SUBMIT, type="primary", icon=":material/login:")
    if submitted:
        try:
            actor = auth.authenticate(m.store, name, password, client=_client_address())
        except UserError as exc:
            st.error(plain(str(exc)), icon=":material/lock:")
        except Exception as exc:  # never a traceback
            log.exception("Anmeldung fehlgeschlagen: %s", exc)
            st.error(texts.AUTH_FAILED_INTERNAL, icon=":material/error:")
        else:
            token, sess = auth.open_session(m.store, actor.name)
            st.session_state[SESSION_KEY] = sess
            _cookie_handoff(token)
            st.session_state.pop("auth_signed_out", None)
            st.session_state.pop("auth_want_form", None)
            st.session_state.pop("auth_password", None)
            st.rerun()
    if auth.anonymous_read() and st.session_state.get("auth_want_form"):
        if st.button(texts.AUTH_BACK_ANONYMOUS, key="auth_back"):
            st.session_state.pop("auth_want_form", None)
            st.rerun()


def sidebar(m: Monitor, actor: auth.Actor) -> None:
    """Who is signed in, with which role; sign-out (or sign-in from the anonymous screen)."""
    if auth.auth_disabled():
        st.caption(texts.AUTH_OFF_SIDEBAR.format(name=plain(actor.name)))
        return
    if actor.anonymous:
        st.caption(texts.AUTH_ANONYMOUS_NOTE)
        if st.button(texts.AUTH_SIGNIN_BUTTON, icon=":material/login:", key="auth_to_form"):
            st.session_state["auth_want_form"] = True
            st.rerun()
        return
    st.caption(texts.AUTH_SIGNED_IN_AS.format(name=plain(actor.name), role=actor.role or texts.AUTH_NO_ROLE_HERE))
    if notice := st.session_state.pop("auth_pw_notice", None):
        st.success(notice, icon=":material/check_circle:")
    if st.button(texts.AUTH_SIGNOUT, icon=":material/logout:", key="auth_signout"):
        sign_out(m, actor)
    if actor.must_change:  # the form is in the main column (must_change_form)
        st.caption(texts.AUTH_MUST_CHANGE_SIDEBAR)
    elif not actor.oidc:
        with st.expander(texts.AUTH_CHANGE_PW):
            with st.form("own_password", clear_on_submit=True):
                old = st.text_input(texts.AUTH_OLD_PW, type="password", autocomplete="current-password")
                new = st.text_input(texts.AUTH_NEW_PW, type="password", autocomplete="new-password")
                again = st.text_input(texts.AUTH_NEW_PW_AGAIN, type="password", autocomplete="new-password")
                if st.form_submit_button(texts.AUTH_CHANGE_PW):
                    try:
                        if new != again:
                            raise UserError(texts.AUTH_PW_MISMATCH)
                        auth.change_own_password(m.store, old, new, _token())
                    except UserError as exc:
                        st.error(plain(str(exc)))
                    else:
                        st.success(texts.AUTH_PW_CHANGED)


def must_change_form(m: Monitor, actor: auth.Actor) -> None:
    """Signed in with a one-time password: only this form, until the person has set a password of their own (the
    core refuses every write meanwhile, :func:`indicators.auth.allowed`). Then the page asked for opens."""
    st.title(texts.AUTH_MUST_CHANGE_TITLE)
    st.info(texts.AUTH_MUST_CHANGE_INTRO, icon=":material/key:")
    with st.form("must_change"):
        old = st.text_input(
            texts.AUTH_ONE_TIME_PW, type="password", key="must_change_old", autocomplete="current-password"
        )
        new = st.text_input(texts.AUTH_NEW_PW, type="password", key="must_change_new", autocomplete="new-password")
        again = st.text_input(
            texts.AUTH_NEW_PW_AGAIN, type="password", key="must_change_again", autocomplete="new-password"
        )
        submitted = st.form_submit_button(texts.AUTH_MUST_CHANGE_SUBMIT, type="primary", icon=":material/key:")
    if submitted:
        try:
            if new != again:
                raise UserError(texts.AUTH_PW_MISMATCH)
            auth.change_own_password(m.store, old, new, _token())
        except UserError as exc:
            st.error(plain(str(exc)), icon=":material/error:")
        except Exception as exc:  # never a traceback
            log.exception("Passwort nicht gesetzt: %s", exc)
            st.error(texts.AUTH_FAILED_INTERNAL, icon=":material/error:")
        else:
            for key in ("must_change_old", "must_change_new", "must_change_again"):
                st.session_state.pop(key, None)
            st.session_state["auth_pw_notice"] = texts.AUTH_MUST_CHANGE_DONE
            st.rerun()


def _token() -> str | None:
    return getattr(st.session_state.get(SESSION_KEY), "token", None)


def sign_out(m: Monitor, actor: auth.Actor) -> None:
    """Sign out: every session of the account ends, in every browser (issue 22)."""
    sess = st.session_state.pop(SESSION_KEY, None)
    try:
        auth.close_session(m.store, getattr(sess, "token", None))
        auth.end_sessions(m.store, actor.name)
    except Exception:
        log.exception("Sitzung nicht beendet")
    _cookie_handoff(None)
    st.session_state["auth_signed_out"] = True  # the old cookie may still arrive with this connection
    try:
        auth.record_sign_out(m.store, actor.name)
    except Exception:  # the log entry is not worth an error page
        log.exception("Abmeldung nicht protokolliert")
    st.session_state["auth_notice"] = texts.AUTH_SIGNED_OUT
    if actor.oidc:
        st.session_state["auth_oidc_signed_out"] = True
        st.logout()
    st.rerun()
