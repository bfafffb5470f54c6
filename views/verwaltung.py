"""Verwaltung (Administration only, issue 11): users and roles, backup, settings overview, audit log."""

import datetime as dt

import pandas as pd
import streamlit as st

from indicators import auth, backup, errors, texts, wording
from indicators.fmt import fmt_datetime, fmt_int
from indicators.publish import content as publish_content
from indicators.publish import site as publish_site
from ui.components import plain
from ui.signin import can, oidc_configured, read_only_hint
from ui.state import get_monitor

m = get_monitor()
st.title(texts.PAGE_ADMIN)
if not can(auth.USERS):  # the page is only in the navigation for Administration; a deep link ends here
    st.error(read_only_hint())
    st.stop()


REFUSED = object()


def _run(action, *args):
    """A core write with a German message instead of a traceback: the core's answer, or REFUSED."""
    try:
        return action(*args)
    except errors.UserError as exc:
        st.error(plain(str(exc)), icon=":material/error:")
    except Exception as exc:
        st.error(texts.ADMIN_FAILED.format(detail=errors.report(exc, "Verwaltung")), icon=":material/error:")
    return REFUSED


tab_users, tab_backup, tab_publish, tab_settings, tab_audit = st.tabs(
    [texts.ADMIN_USERS, texts.ADMIN_BACKUP, texts.PUBLISH_TAB, texts.ADMIN_SETTINGS, texts.ADMIN_AUDIT]
)

with tab_users:
    if notice := st.session_state.pop("admin_notice", None):
        st.success(notice, icon=":material/check_circle:")
    if notice := st.session_state.pop("admin_unchanged", None):
        st.info(notice, icon=":material/info:")
    users = auth.users(m.store)
    c = texts.ADMIN_USER_COLUMNS
    st.dataframe(
        pd.DataFrame(
            {
                c["name"]: users["name"],
                c["role"]: users["role"],
                c["active"]: [texts.ADMIN_YES if a else texts.ADMIN_NO for a in users["active"]],
                c["locked"]: [fmt_datetime(t) for t in users["locked_until"]],
                c["last_login"]: [fmt_datetime(t) for t in users["last_login"]],
                c["one_time"]: [texts.ADMIN_YES if x else "" for x in users["must_change"]],
                c["oidc"]: users["oidc"].fillna(""),
            }
        ),
        hide_index=True,
        width="stretch",
        # issue 25: "gesperrt bis" was beyond the right edge at 1280 px
        column_config={
            c["name"]: st.column_config.Column(width=110),
            c["role"]: st.column_config.Column(width=100),
            c["active"]: st.column_config.Column(width=50),
            c["locked"]: st.column_config.Column(width=150),
            c["last_login"]: st.column_config.Column(width=150),
            c["one_time"]: st.column_config.Column(width=100),
            c["oidc"]: st.column_config.Column(width=125),
        },
    )
    with st.form(f"add_user_{auth.current_tenant()}", clear_on_submit=True):
        st.markdown(f"**{texts.ADMIN_ADD_USER}**")
        a1, a2 = st.columns(2)
        new_name = a1.text_input(texts.ADMIN_NEW_NAME, key="new_user_name")
        new_role = a2.selectbox(texts.ADMIN_NEW_ROLE, auth.grantable_roles(), key="new_user_role")
        b1, b2 = st.columns(2)
        new_pw = b1.text_input(
            texts.ADMIN_NEW_PASSWORD, type="password", key="new_user_pw", autocomplete="new-password"
        )
        new_oidc = b2.text_input(texts.ADMIN_NEW_OIDC, key="new_user_oidc")
        if st.form_submit_button(texts.ADMIN_CREATE, icon=":material/person_add:"):
            if (
                _run(auth.add_user, m.store, new_name, new_role, new_pw or None, m.settings.user, new_oidc or None)
                is not REFUSED
            ):
                st.session_state["admin_notice"] = texts.ADMIN_CREATED.format(
                    name=plain(new_name.strip()), role=new_role
                ) + (" " + texts.ADMIN_ONE_TIME_NOTE if new_pw else "")
                st.rerun()
    if len(users):
        st.markdown(f"**{texts.ADMIN_CHANGE_USER}**")
        pick = st.selectbox(texts.ADMIN_PICK_USER, list(users["name"]), key="admin_pick")
        row = users[users["name"] == pick].iloc[0]
        r1, r2 = st.columns([2, 1], vertical_alignment="bottom")
        offered = auth.grantable_roles(row["role"])
        role = r1.selectbox(texts.ADMIN_NEW_ROLE, offered, index=offered.index(row["role"]), key=f"role_{pick}")
        if r2.button(texts.ADMIN_SET_ROLE, key="admin_set_role"):
            changed = _run(auth.set_role, m.store, pick, role, m.settings.user)
            if changed is True:
                st.session_state["admin_notice"] = texts.ADMIN_ROLE_CHANGED.format(name=plain(pick), role=role)
                st.rerun()
            elif changed is False:  # the account has this role already: nothing written, and said so
                st.info(texts.ADMIN_UNCHANGED.format(name=plain(pick), role=role), icon=":material/info:")
        p1, p2 = st.columns([2, 1], vertical_alignment="bottom")
        pw = p1.text_input(texts.ADMIN_NEW_PW, type="password", key=f"pw_{pick}", autocomplete="new-password")
        if p2.button(texts.ADMIN_SET_PW, key="admin_set_pw"):
            one_time = _run(auth.set_password, m.store, pick, pw, m.settings.user)
            if one_time is not REFUSED:
                st.session_state["admin_notice"] = (
                    texts.ADMIN_PW_SET_ONE_TIME if one_time else texts.ADMIN_PW_SET_OWN
                ).format(name=plain(pick))
                st.rerun()
        locked = row["locked_until"]
        if locked is not None and not pd.isna(locked) and locked > dt.datetime.now():
            # issue 25: a locked account could only wait its time out or get a new password
            st.warning(texts.ADMIN_LOCKED.format(name=plain(pick), until=fmt_datetime(locked)), icon=":material/lock:")
            if st.button(texts.ADMIN_UNLOCK, key="admin_unlock", icon=":material/lock_open:"):
                if _run(auth.unlock, m.store, pick, m.settings.user) is not REFUSED:
                    st.session_state["admin_notice"] = texts.ADMIN_UNLOCKED.format(name=plain(pick))
                    st.rerun()
        if bool(row["active"]):
            sure = st.checkbox(texts.ADMIN_DISABLE_SURE, key=f"disable_sure_{pick}")
            if st.button(texts.ADMIN_DISABLE, disabled=not sure, key="admin_disable", icon=":material/person_off:"):
                if _run(auth.set_active, m.store, pick, False, m.settings.user) is not REFUSED:
                    st.session_state["admin_notice"] = texts.ADMIN_CHANGED.format(name=plain(pick))
                    st.rerun()
        elif st.button(texts.ADMIN_ENABLE, key="admin_enable"):
            if _run(auth.set_active, m.store, pick, True, m.settings.user) is not REFUSED:
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
                name=info["name"], files=fmt_int(info["archive_files"]), size=backup.human_size(info["bytes"])
            )
            st.rerun()
    found = backup.list_backups(folder)
    st.markdown(f"**{texts.ADMIN_BACKUP_LIST.format(keep=backup.retention())}**")
    if not found:
        st.info(texts.ADMIN_BACKUP_NONE)
    else:
        c = texts.ADMIN_BACKUP_COLUMNS
        st.dataframe(
            pd.DataFrame(
                {
                    c["name"]: [b["name"] for b in found],
                    c["when"]: [fmt_datetime(b["created_at"]) for b in found],
                    c["by"]: [b["created_by"] for b in found],
                    c["uploads"]: [b["counts"]["uploads"] for b in found],
                    c["size"]: [backup.human_size(b["bytes"]) for b in found],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    st.caption(texts.ADMIN_RESTORE_HINT)

with tab_publish:  # issue 23: the public website, with a preview of what becomes public
    st.caption(texts.PUBLISH_INTRO)
    target_folder = publish_site.default_folder(m)
    st.markdown(texts.PUBLISH_FOLDER.format(folder=plain(target_folder.name + "/")))  # no server paths on a page
    if published := st.session_state.pop("publish_result", None):
        lines, changes = published
        st.success(plain(lines[0]), icon=":material/check_circle:")
        for line in lines[1:]:
            st.info(plain(line), icon=":material/info:")
        if changes:
            fc = texts.PUBLISH_FILE_COLUMNS
            st.dataframe(
                pd.DataFrame(
                    {
                        fc["path"]: [p for p, _ in changes],
                        fc["change"]: [texts.PUBLISH_CHANGE_WORDS[c] for _, c in changes],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
    if st.button(texts.PUBLISH_BUTTON, icon=":material/public:", key="publish_now"):
        built = _run(publish_site.build, m, target_folder, m.settings.user)
        if built is not REFUSED:
            st.session_state["publish_result"] = (built.summary(folder_name_only=True), built.changes())
            st.rerun()
    st.markdown(f"**{texts.PUBLISH_PREVIEW}**")
    view = publish_content.preview(m)
    for warning in view.warnings:  # imprint or contact not set: the site would lack them
        st.warning(warning, icon=":material/warning:")
    st.markdown(view.count_line)
    pc = texts.PUBLISH_COLUMNS
    st.dataframe(
        pd.DataFrame({pc["field"]: [f for f, _ in view.public], pc["name"]: [n for _, n in view.public]}),
        hide_index=True,
        width="stretch",
    )
    if view.notes:
        nc = texts.NOTE_COLUMNS
        st.dataframe(
            pd.DataFrame(
                {
                    nc["year"]: [str(y) for y, _, _ in view.notes],
                    nc["scope"]: [n for _, n, _ in view.notes],
                    nc["text"]: [t for _, _, t in view.notes],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    if view.withheld:
        st.markdown(f"**{texts.PUBLISH_WITHHELD}**")
        wc = texts.PUBLISH_WITHHELD_COLUMNS
        st.dataframe(
            pd.DataFrame(
                {wc["name"]: [w.name for w in view.withheld], wc["reason"]: [w.reason for w in view.withheld]}
            ),
            hide_index=True,
            width="stretch",
        )

with tab_settings:
    s = m.settings
    n = texts.ADMIN_SETTING_NAMES
    rows = [
        (n["db"], "MONITOR_DB", s.db_path.name),
        (n["upload"], "MONITOR_MAX_UPLOAD_MB", s.max_upload_mb),
        (n["unpacked"], "MONITOR_MAX_UNPACKED_MB", s.max_unpacked_mb),
        (n["min_count"], "MONITOR_MIN_COUNT", s.min_count),
        (n["base_year"], "MONITOR_BASE_YEAR", s.base_year),
        (n["session"], "MONITOR_SESSION_MINUTES", auth.session_minutes()),
        (n["anonymous"], "MONITOR_ANONYMOUS_READ", texts.ADMIN_YES if auth.anonymous_read() else texts.ADMIN_NO),
        (n["keep"], "MONITOR_BACKUP_KEEP", backup.retention()),
        (
            n["oidc"],
            "Abschnitt [auth] in .streamlit/secrets.toml",
            texts.ADMIN_OIDC_ON if oidc_configured() else texts.ADMIN_OIDC_OFF,
        ),
        (n["lock"], "–", f"{auth.MAX_FAILURES} / {auth.LOCK_MINUTES}"),
        (n["publish_dir"], "MONITOR_PUBLISH_DIR", publish_site.default_folder(m).name + "/"),
        (n["publish_imprint"], "MONITOR_PUBLISH_IMPRESSUM", s.publish_imprint.name if s.publish_imprint else "–"),
        (n["publish_contact"], "MONITOR_PUBLISH_KONTAKT", s.publish_contact or "–"),
        (n["publish_internal"], "MONITOR_PUBLISH_INTERN", ", ".join(s.publish_internal_lists) or "–"),
        (n["publish_withheld"], "MONITOR_PUBLISH_OHNE", ", ".join(s.publish_withheld) or "–"),
    ]
    c = texts.ADMIN_SETTINGS_COLUMNS
    # a static table: each value is shown whole at any width (in a data grid "nicht eingerichtet" was cut off)
    st.table(
        pd.DataFrame(
            {c["name"]: [r[0] for r in rows], c["var"]: [r[1] for r in rows], c["value"]: [str(r[2]) for r in rows]}
        ).set_index(c["name"])
    )

with tab_audit:
    log = m.store.audit_log(200)
    a = texts.AUDIT_COLUMNS
    # German words for the actions and readable details instead of keys and JSON
    st.dataframe(
        pd.DataFrame(
            {
                a["when"]: [fmt_datetime(t) for t in log["logged_at"]],
                a["who"]: log["user_name"],
                a["action"]: [wording.audit_action(x) for x in log["action"]],
                a["object"]: log["object"].fillna(""),
                a["detail"]: [wording.audit_detail(d) for d in log["detail"]],
            }
        ),
        hide_index=True,
        width="stretch",
        # the time whole ('29.11.2026, 07:15 Uhr'); the details take the rest of the width
        column_config={
            a["when"]: st.column_config.TextColumn(width=150),
            a["who"]: st.column_config.TextColumn(width=85),
            a["action"]: st.column_config.TextColumn(width=170),
            a["object"]: st.column_config.TextColumn(width=110),
            a["detail"]: st.column_config.TextColumn(width=270),  # inside the page at 1280 px (issue 25)
        },
    )
