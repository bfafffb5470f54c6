"""Verwaltung (Administration only, issue 11): users and roles, backup, settings overview, audit log."""

import pandas as pd
import streamlit as st

from indicators import auth, backup, errors
from indicators.fmt import fmt_date, fmt_int
from indicators import texts
from ui.components import plain
from ui.signin import can, oidc_configured, read_only_hint
from ui.state import get_monitor

m = get_monitor()
st.title(texts.PAGE_ADMIN)
if not can(auth.USERS):  # the page is only in the navigation for Administration; a deep link ends here
    st.error(read_only_hint())
    st.stop()


def _when(t) -> str:
    return "–" if t is None or pd.isna(t) else fmt_date(pd.Timestamp(t).to_pydatetime(), with_time=True)


def _run(action, *args) -> bool:
    """A core write with a German message instead of a traceback."""
    try:
        action(*args)
    except errors.UserError as exc:
        st.error(plain(str(exc)), icon=":material/error:")
        return False
    except Exception as exc:
        st.error(texts.ADMIN_FAILED.format(detail=errors.report(exc, "Verwaltung")), icon=":material/error:")
        return False
    return True


tab_users, tab_backup, tab_settings, tab_audit = st.tabs(
    [texts.ADMIN_USERS, texts.ADMIN_BACKUP, texts.ADMIN_SETTINGS, texts.ADMIN_AUDIT])

with tab_users:
    if notice := st.session_state.pop("admin_notice", None):
        st.success(notice, icon=":material/check_circle:")
    users = auth.users(m.store)
    c = texts.ADMIN_USER_COLUMNS
    st.dataframe(pd.DataFrame({c["name"]: users["name"], c["role"]: users["role"],
                               c["active"]: [texts.ADMIN_YES if a else texts.ADMIN_NO for a in users["active"]],
                               c["oidc"]: users["oidc"].fillna(""),
                               c["last_login"]: [_when(t) for t in users["last_login"]],
                               c["locked"]: [_when(t) for t in users["locked_until"]]}),
                 hide_index=True, width="stretch")
    with st.form("add_user", clear_on_submit=True):
        st.markdown(f"**{texts.ADMIN_ADD_USER}**")
        a1, a2 = st.columns(2)
        new_name = a1.text_input(texts.ADMIN_NEW_NAME, key="new_user_name")
        new_role = a2.selectbox(texts.ADMIN_NEW_ROLE, auth.ROLES, key="new_user_role")
        b1, b2 = st.columns(2)
        new_pw = b1.text_input(texts.ADMIN_NEW_PASSWORD, type="password", key="new_user_pw", autocomplete="new-password")
        new_oidc = b2.text_input(texts.ADMIN_NEW_OIDC, key="new_user_oidc")
        if st.form_submit_button(texts.ADMIN_CREATE, icon=":material/person_add:"):
            if _run(auth.add_user, m.store, new_name, new_role, new_pw or None, m.settings.user, new_oidc or None):
                st.session_state["admin_notice"] = texts.ADMIN_CREATED.format(name=plain(new_name.strip()), role=new_role)
                st.rerun()
    if len(users):
        st.markdown(f"**{texts.ADMIN_CHANGE_USER}**")
        pick = st.selectbox(texts.ADMIN_PICK_USER, list(users["name"]), key="admin_pick")
        row = users[users["name"] == pick].iloc[0]
        r1, r2 = st.columns([2, 1], vertical_alignment="bottom")
        role = r1.selectbox(texts.ADMIN_NEW_ROLE, auth.ROLES, index=auth.ROLES.index(row["role"]), key=f"role_{pick}")
        if r2.button(texts.ADMIN_SET_ROLE, key="admin_set_role"):
            if _run(auth.set_role, m.store, pick, role, m.settings.user):
                st.session_state["admin_notice"] = texts.ADMIN_CHANGED.format(name=plain(pick))
                st.rerun()
        p1, p2 = st.columns([2, 1], vertical_alignment="bottom")
        pw = p1.text_input(texts.ADMIN_NEW_PW, type="password", key=f"pw_{pick}", autocomplete="new-password")
        if p2.button(texts.ADMIN_SET_PW, key="admin_set_pw"):
            if _run(auth.set_password, m.store, pick, pw, m.settings.user):
                st.session_state["admin_notice"] = texts.ADMIN_CHANGED.format(name=plain(pick))
                st.rerun()
        if bool(row["active"]):
            sure = st.checkbox(texts.ADMIN_DISABLE_SURE, key=f"disable_sure_{pick}")
            if st.button(texts.ADMIN_DISABLE, disabled=not sure, key="admin_disable", icon=":material/person_off:"):
                if _run(auth.set_active, m.store, pick, False, m.settings.user):
                    st.session_state["admin_notice"] = texts.ADMIN_CHANGED.format(name=plain(pick))
                    st.rerun()
        elif st.button(texts.ADMIN_ENABLE, key="admin_enable"):
            if _run(auth.set_active, m.store, pick, True, m.settings.user):
                st.session_state["admin_notice"] = texts.ADMIN_CHANGED.format(name=plain(pick))
                st.rerun()

with tab_backup:
    folder = backup.backup_root(m.settings)
    st.caption(texts.ADMIN_BACKUP_INTRO.format(folder=folder.name + "/"))
    if notice := st.session_state.pop("backup_notice", None):
        st.success(notice, icon=":material/check_circle:")
    if st.button(texts.ADMIN_BACKUP_NOW, icon=":material/backup:", key="backup_now"):
        try:
            info = backup.backup(m, folder / backup.new_name(), m.settings.user)
        except errors.UserError as exc:
            st.error(plain(str(exc)))
        except Exception as exc:
            st.error(texts.ADMIN_FAILED.format(detail=errors.report(exc, "Sicherung")))
        else:
            backup.prune(folder, backup.retention())
            st.session_state["backup_notice"] = texts.ADMIN_BACKUP_DONE.format(
                name=info["name"], files=fmt_int(info["archive_files"]), size=backup.human_size(info["bytes"]))
            st.rerun()
    found = backup.list_backups(folder)
    st.markdown(f"**{texts.ADMIN_BACKUP_LIST.format(keep=backup.retention())}**")
    if not found:
        st.info(texts.ADMIN_BACKUP_NONE)
    else:
        c = texts.ADMIN_BACKUP_COLUMNS
        st.dataframe(pd.DataFrame({c["name"]: [b["name"] for b in found], c["when"]: [b["created_at"] for b in found],
                                   c["by"]: [b["created_by"] for b in found],
                                   c["uploads"]: [b["counts"]["uploads"] for b in found],
                                   c["size"]: [backup.human_size(b["bytes"]) for b in found]}),
                     hide_index=True, width="stretch")
    st.caption(texts.ADMIN_RESTORE_HINT)

with tab_settings:
    s = m.settings
    n = texts.ADMIN_SETTING_NAMES
    rows = [(n["db"], "MONITOR_DB", s.db_path.name), (n["upload"], "MONITOR_MAX_UPLOAD_MB", s.max_upload_mb),
            (n["unpacked"], "MONITOR_MAX_UNPACKED_MB", s.max_unpacked_mb),
            (n["min_count"], "MONITOR_MIN_COUNT", s.min_count), (n["base_year"], "MONITOR_BASE_YEAR", s.base_year),
            (n["session"], "MONITOR_SESSION_MINUTES", auth.session_minutes()),
            (n["anonymous"], "MONITOR_ANONYMOUS_READ", texts.ADMIN_YES if auth.anonymous_read() else texts.ADMIN_NO),
            (n["keep"], "MONITOR_BACKUP_KEEP", backup.retention()),
            (n["oidc"], "[auth] in secrets.toml", texts.ADMIN_OIDC_ON if oidc_configured() else texts.ADMIN_OIDC_OFF),
            (n["lock"], "–", f"{auth.MAX_FAILURES} / {auth.LOCK_MINUTES}")]
    c = texts.ADMIN_SETTINGS_COLUMNS
    st.dataframe(pd.DataFrame({c["name"]: [r[0] for r in rows], c["var"]: [r[1] for r in rows],
                               c["value"]: [str(r[2]) for r in rows]}), hide_index=True, width="stretch")

with tab_audit:
    log = m.store.audit_log(200)
    a = texts.AUDIT_COLUMNS
    st.dataframe(pd.DataFrame({a["when"]: [_when(t) for t in log["logged_at"]], a["who"]: log["user_name"],
                               a["action"]: log["action"], a["object"]: log["object"].fillna(""),
                               a["detail"]: log["detail"].fillna("")}), hide_index=True, width="stretch")
