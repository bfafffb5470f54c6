"""Sign-in and roles (issue 11): the core refuses writes a role lacks, the audit log names the person, lock-out,
session expiry, the command line's user commands, the sign-in form and role-dependent pages (AppTest), and the
OIDC wiring (st.login) without a provider."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, _build_once, cli, make_settings
from streamlit.testing.v1 import AppTest

from indicators import auth, service, targets
from indicators.auth import ADMIN, ANALYSIS, DATA, VIEWER, Actor, PermissionDenied, acting_as
from indicators.service import open_monitor

APP = str(ROOT / "app.py")
PW = "richtig-langes-Passwort"


@pytest.fixture
def signin_on(monkeypatch):
    monkeypatch.setenv("MONITOR_AUTH", "an")


def _add_accounts(db: Path, roles) -> None:
    m = open_monitor(settings=make_settings(db.parent))
    with acting_as(auth.system_actor("einrichtung")):
        for name, role in roles:
            auth.add_user(m.store, name, role, PW, "einrichtung", one_time=False)
    m.close()


@pytest.fixture(scope="session")
def accounts_template(tmp_path_factory, empty_template) -> Path:
    """An empty database with one account per role, made once per run (an Argon2 hash costs about 0.3 s)."""

    def build(folder: Path) -> None:
        shutil.copyfile(empty_template, folder / "monitor.duckdb")
        _add_accounts(
            folder / "monitor.duckdb", (("betty", VIEWER), ("ana", ANALYSIS), ("dana", DATA), ("adam", ADMIN))
        )

    return _build_once(tmp_path_factory, "konten", build)


@pytest.fixture(scope="session")
def demo_accounts_template(tmp_path_factory, demo_database) -> Path:
    """The demo database with an account for Betrachtung, Analyse and Administration, made once per run."""

    def build(folder: Path) -> None:
        shutil.copyfile(demo_database, folder / "monitor.duckdb")
        _add_accounts(folder / "monitor.duckdb", (("betty", VIEWER), ("ana", ANALYSIS), ("adam", ADMIN)))

    return _build_once(tmp_path_factory, "demo-konten", build)


@pytest.fixture
def mon(tmp_path, signin_on, accounts_template):
    shutil.copyfile(accounts_template, tmp_path / "monitor.duckdb")
    m = open_monitor(settings=make_settings(tmp_path))
    yield m
    m.close()


def test_each_role_includes_the_ones_before():
    for perm, least in auth.PERMISSIONS.items():
        for role in auth.ROLES:
            assert auth.allowed(Actor("x", role), perm) == (auth.rank(role) >= auth.rank(least)), (perm, role)
    assert not auth.allowed(None, auth.READ)
    assert not auth.allowed(Actor("anonym", VIEWER, anonymous=True), auth.NOTES)


def test_core_refuses_writes_the_role_lacks_and_writes_nothing(mon):
    store = mon.store
    before = store.content_digest()
    t = targets.Target("betreuungsquote_u3_mh", 40.0, 2030, reason="x")
    for actor in (None, Actor("betty", VIEWER), Actor("anonym", VIEWER, anonymous=True)):
        with acting_as(actor):
            with pytest.raises(PermissionDenied):
                targets.set_target(store, mon.catalog, t, "root")
            with pytest.raises(PermissionDenied):
                targets.add_note(store, None, 2020, "Notiz", "root")
            with pytest.raises(PermissionDenied):
                service.remove_demo(mon, "root")
            with pytest.raises(PermissionDenied):
                store.add_region("03157999", "Neu", "gemeinde", "03157", "root")
    with acting_as(Actor("ana", ANALYSIS)):
        from indicators.ingest import pipeline
        from indicators.ingest.sources import mapping

        with pytest.raises(PermissionDenied, match="Datenpflege"):
            pipeline.rollback(1, store, mon.catalog, mon.settings, "root")
        with pytest.raises(PermissionDenied):
            mapping.delete_profile(store, "x", "root")
        with pytest.raises(PermissionDenied, match="Administration"):
            auth.add_user(store, "neu", VIEWER, PW, "root")
    with acting_as(Actor("dana", DATA)):
        with pytest.raises(PermissionDenied, match="Administration"):
            auth.set_role(store, "betty", ADMIN, "root")
    assert store.content_digest() == before


def test_audit_log_and_records_name_the_signed_in_person(mon):
    with acting_as(Actor("ana", ANALYSIS)):  # the page passes the OS account; the core records the person
        targets.add_note(mon.store, None, 2020, "Notiz von Ana", "root")
        targets.set_target(
            mon.store, mon.catalog, targets.Target("betreuungsquote_u3_mh", 40.0, 2030, reason="r"), "root"
        )
    assert mon.store.query("SELECT created_by FROM notes") == [("ana",)]
    assert mon.store.query("SELECT updated_by FROM targets") == [("ana",)]
    who = {a: u for u, a in mon.store.query("SELECT user_name, action FROM audit_log")}
    assert who["notiz"] == "ana" and who["ziel_gesetzt"] == "ana"
    # the command line (the OS account as Administration) keeps the name it is given (--user, "Demodaten")
    with acting_as(auth.system_actor("root")):
        targets.add_note(mon.store, None, 2021, "vom Server", "Demodaten")
    assert ("Demodaten",) in mon.store.query("SELECT created_by FROM notes")


def test_password_is_hashed_with_argon2id(mon):
    (h,) = mon.store.query("SELECT password_hash FROM users WHERE name = 'ana'")[0]
    assert h.startswith("$argon2id$") and PW not in h


def test_lock_out_after_repeated_failures(mon):
    store, now = mon.store, dt.datetime(2026, 11, 28, 10, 0)
    assert auth.authenticate(store, "ana", PW, now).role == ANALYSIS
    for _i in range(auth.MAX_FAILURES - 1):
        with pytest.raises(auth.SignInError, match="falsch"):
            auth.authenticate(store, "ana", "falsch-falsch", now)
    with pytest.raises(auth.SignInError, match="gesperrt"):
        auth.authenticate(store, "ana", "falsch-falsch", now)
    with pytest.raises(auth.SignInError, match="15 Minuten gesperrt"):  # the right password too, while locked
        auth.authenticate(store, "ana", PW, now + dt.timedelta(minutes=5))
    assert auth.authenticate(store, "ana", PW, now + dt.timedelta(minutes=16)).name == "ana"
    with pytest.raises(auth.SignInError, match="falsch"):  # the same words whether the name exists or not
        auth.authenticate(store, "niemand", PW, now)
    actions = [a for (a,) in store.query("SELECT action FROM audit_log WHERE object = 'ana' ORDER BY id")]
    assert actions.count("anmeldung_fehlgeschlagen") == auth.MAX_FAILURES and "anmeldung_gesperrt" in actions


def test_a_locked_name_and_an_unknown_name_get_the_same_words(mon):
    """The refusal does not tell whether an account exists: an unknown name, a wrong password, the lock-out attempt
    and a locked account (even with the right password) read the same; the audit log keeps the difference."""
    store, now = mon.store, dt.datetime(2026, 11, 28, 10, 0)

    def refusal(name, password):
        with pytest.raises(auth.SignInError) as exc:
            auth.authenticate(store, name, password, now)
        return str(exc.value)

    known = [refusal("ana", "falsch-falsch") for _ in range(auth.MAX_FAILURES)] + [refusal("ana", PW)]
    unknown = [refusal("niemand", "falsch-falsch") for _ in range(auth.MAX_FAILURES)] + [refusal("niemand", PW)]
    assert known == unknown
    assert len(set(known)) == 1 and "gesperrt" in known[0]
    actions = [a for (a,) in store.query("SELECT action FROM audit_log WHERE object = 'ana' ORDER BY id")]
    assert actions[-1] == "anmeldung_gesperrt"


def _submit_sign_in(name: str, password: str) -> AppTest:
    """A fresh session that fills in and sends the sign-in form."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    at.button[0].click()
    at.run()
    return at


def test_locked_and_unknown_names_look_the_same_on_the_sign_in_form(app_db):
    def form_error(name, password):
        return _submit_sign_in(name, password).error[0].value

    for _ in range(auth.MAX_FAILURES):
        form_error("ana", "falsch-falsch")
    assert form_error("ana", PW) == form_error("niemand", PW) == form_error("ana", "falsch-falsch")


def test_deactivated_account_cannot_sign_in_and_last_admin_stays(mon):
    with acting_as(Actor("adam", ADMIN)):
        auth.set_active(mon.store, "betty", False, "root")
        with pytest.raises(auth.UserError, match="letzte"):
            auth.set_role(mon.store, "adam", VIEWER, "root")
    with pytest.raises(auth.SignInError):
        auth.authenticate(mon.store, "betty", PW)
    assert auth.actor_for(mon.store, "betty") is None


def test_sessions_expire(monkeypatch):
    monkeypatch.setenv("MONITOR_SESSION_MINUTES", "30")
    now = dt.datetime(2026, 11, 28, 12, 0)
    assert not auth.Session("a", now - dt.timedelta(minutes=40), now - dt.timedelta(minutes=29)).expired(now)
    assert auth.Session("a", now - dt.timedelta(minutes=40), now - dt.timedelta(minutes=31)).expired(now)
    assert auth.Session("a", now - dt.timedelta(hours=11), now).expired(now)  # at most SESSION_MAX_HOURS


def _cli(db, *args, stdin: str = ""):
    return cli(*args, db=db, stdin=stdin)


def test_cli_user_commands(tmp_path, signin_on):
    db = tmp_path / "monitor.duckdb"
    assert _cli(db, "init", "--empty").returncode == 0
    r = _cli(db, "user", "add", "chefin", "--rolle", "Administration", stdin=PW + "\n")
    assert r.returncode == 0, r.stderr
    r = _cli(db, "user", "add", "chefin", "--rolle", "Betrachter", stdin=PW + "\n")
    assert r.returncode == 1 and "Den Benutzer „chefin“ gibt es schon." in r.stderr
    r = _cli(db, "user", "add", "kurz", "--rolle", "Betrachter", stdin="kurz\n")
    assert r.returncode == 1 and "mindestens 10 Zeichen" in r.stderr
    assert _cli(db, "user", "add", "bert", "--rolle", "Betrachter", stdin=PW + "\n").returncode == 0
    assert _cli(db, "user", "set-role", "bert", "Datenpflege").returncode == 0
    assert _cli(db, "user", "disable", "bert").returncode == 0
    users = {u["name"]: u for u in json.loads(_cli(db, "user", "list", "--json").stdout)}
    assert users["chefin"]["role"] == "Administration" and users["bert"]["role"] == "Datenpflege"
    assert users["bert"]["active"] is False and "password_hash" not in users["bert"]
    m = open_monitor(db)
    try:
        assert auth.authenticate(m.store, "chefin", PW).role == ADMIN
        audit = m.store.query(
            "SELECT action, object FROM audit_log WHERE action LIKE 'benutzer%' OR action = 'rolle_geaendert'"
        )
        assert ("benutzer_angelegt", "bert") in audit and ("benutzer_deaktiviert", "bert") in audit
    finally:
        m.close()


def test_strategy_writes_need_analyse_and_the_department_round_datenpflege(mon):
    """Issue 12 under the roles of issue 11: goals, partners and measures from Analyse on, the department round
    (forms, import, rollback) from Datenpflege on; refused in the core, nothing written."""
    from indicators.strategy import model, workbook

    store = mon.store
    before = store.content_digest()
    partner = {
        "name": "Jobcenter Peine",
        "kind": "Jobcenter",
        "fields": ["arbeit"],
        "contact": "Teamleitung Integration",
    }
    for actor in (None, Actor("betty", VIEWER), Actor("anonym", VIEWER, anonymous=True)):
        with acting_as(actor):
            with pytest.raises(PermissionDenied):
                model.set_leitbild(store, "Peine lebt Vielfalt.", None, "Kreistag", "root", "Test")
            with pytest.raises(PermissionDenied):
                model.save_partner(store, mon.catalog, partner, "root", "Test")
    with acting_as(Actor("ana", ANALYSIS)):
        with pytest.raises(PermissionDenied, match="Datenpflege"):
            workbook.start_round(store, "root", mon.settings.today)
    assert store.content_digest() == before
    with acting_as(Actor("ana", ANALYSIS)):
        pid = model.save_partner(store, mon.catalog, partner, "root", "Test")
    assert ("ana",) in store.query("SELECT user_name FROM audit_log WHERE user_name = 'ana' LIMIT 1")
    assert pid


# -- the app (AppTest) ------------------------------------------------------------------------------------
@pytest.fixture
def app_db(writable_demo_db, signin_on, demo_accounts_template):
    """A copy of the demo database with one account per role, used by the app in this process."""
    shutil.copyfile(demo_accounts_template, writable_demo_db)
    Path(str(writable_demo_db) + ".wal").unlink(missing_ok=True)
    return writable_demo_db


def _signed_in(name: str, page: str | None = None) -> AppTest:
    at = _submit_sign_in(name, PW)
    assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_signed_out_the_app_shows_only_the_sign_in_form(app_db):
    for page in (None, "views/daten.py", "views/ziele.py", "views/verwaltung.py"):
        at = AppTest.from_file(APP, default_timeout=90)
        if page:
            at.switch_page(page)
        at.run()
        assert [t.value for t in at.title] == ["Anmelden"], page
        assert not at.get("file_uploader") and not at.get("plotly_chart")


def test_wrong_password_is_refused_in_the_form(app_db):
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.text_input(key="auth_name").input("ana")
    at.text_input(key="auth_password").input("falsch-falsch")
    at.button[0].click()
    at.run()
    assert [t.value for t in at.title] == ["Anmelden"]
    assert "Anmeldung fehlgeschlagen" in at.error[0].value


def test_betrachter_sees_no_upload_target_note_or_rollback_control(app_db):
    at = _signed_in("betty", "views/daten.py")
    assert not at.get("file_uploader")
    labels = [b.label for b in at.button] + [c.label for c in at.checkbox]
    assert not any("zurücknehmen" in x.lower() or "Demodaten entfernen" in x for x in labels), labels
    assert any("Angemeldet als betty (Betrachter)" in c.value for c in at.sidebar.caption)
    at.switch_page("views/ziele.py")
    at.run()
    assert not at.main.get("form") and "Ziel speichern" not in [b.label for b in at.get("form_submit_button")]
    at.switch_page("views/indikator.py")
    at.run()
    assert "Notiz speichern" not in [b.label for b in at.get("form_submit_button")]
    assert not at.exception
    for page in ("views/strategie.py", "views/massnahmen.py", "views/netzwerk.py"):  # issue 12: reading only
        at.switch_page(page)
        at.run()
        assert not at.exception, page
        assert not at.main.get("form"), page  # (the sidebar keeps the own-password form)
        if page == "views/massnahmen.py":  # no tabs that only say "kann hier nur lesen"
            assert [t.label for t in at.tabs] == ["Übersicht", "Zeitleiste"], [t.label for t in at.tabs]
        else:
            assert any("kann hier nur lesen" in c.value for c in at.main.caption), page


def test_analyse_may_note_and_the_note_names_the_person(app_db):
    at = _signed_in("ana", "views/indikator.py")
    assert any("Notiz" in b.label for b in at.get("form_submit_button"))
    at.text_input(key="note_text").input("Notiz aus dem Test")
    [b for b in at.get("form_submit_button") if "Notiz" in b.label][0].click()
    at.run()
    assert not at.exception
    from ui.state import _monitor

    assert ("ana",) in _monitor().store.query("SELECT created_by FROM notes WHERE text = 'Notiz aus dem Test'")


def test_administration_creates_a_user(app_db):
    at = _signed_in("adam", "views/verwaltung.py")
    assert [t.value for t in at.title] == ["Verwaltung"]
    at.text_input(key="new_user_name").input("neue.kollegin")
    at.selectbox(key="new_user_role").select("Datenpflege")
    at.text_input(key="new_user_pw").input(PW)
    [b for b in at.get("form_submit_button") if b.label == "Anlegen"][0].click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    from ui.state import _monitor

    store = _monitor().store
    assert store.query("SELECT role FROM users WHERE name = 'neue.kollegin'") == [("Datenpflege",)]
    assert store.query(
        "SELECT user_name FROM audit_log WHERE action = 'benutzer_angelegt' AND object = 'neue.kollegin'"
    ) == [("adam",)]


def test_verwaltung_is_not_offered_below_administration(app_db):
    at = _signed_in("ana")
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not in Analyse's navigation
        at.switch_page("views/verwaltung.py")


def test_sign_out_returns_to_the_form(app_db):
    at = _signed_in("ana")
    [b for b in at.sidebar.button if b.label == "Abmelden"][0].click()
    at.run()
    assert [t.value for t in at.title] == ["Anmelden"]


def test_anonymous_read_mode_reads_but_offers_no_write(app_db, monkeypatch):
    monkeypatch.setenv("MONITOR_ANONYMOUS_READ", "1")
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("views/ziele.py")
    at.run()
    assert [t.value for t in at.title] == ["Ziele"] and not at.main.get("form")
    assert any(b.label == "Anmelden" for b in at.sidebar.button)


def test_oidc_identity_maps_to_a_local_account(app_db, monkeypatch):
    """The wiring of Streamlit's own OIDC sign-in without a provider (none can be started offline here): with
    ``[auth]`` configured and st.user carrying an identity, the account whose 'Dienstkonto' matches acts."""
    from ui import signin

    m = open_monitor(app_db)
    with acting_as(auth.system_actor("einrichtung")):
        auth.add_user(m.store, "oskar", ANALYSIS, None, "einrichtung", oidc="Oskar@Peine.example")
    assert auth.oidc_actor(m.store, {"email": "oskar@peine.example"}).name == "oskar"
    assert auth.oidc_actor(m.store, {"email": "fremd@example.org"}) is None
    m.close()
    monkeypatch.setattr(signin, "oidc_configured", lambda: True)
    monkeypatch.setattr(signin, "_oidc_claims", lambda: {"email": "oskar@peine.example", "sub": "123"})
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert any("Angemeldet als oskar (Analyse)" in c.value for c in at.sidebar.caption)
    monkeypatch.setattr(signin, "_oidc_claims", lambda: {"email": "fremd@example.org"})
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert [t.value for t in at.title] == ["Anmelden"]
    assert "nicht freigeschaltet" in at.info[0].value
    assert any(b.label.startswith("Mit dem Dienstkonto") for b in at.button)


def test_cookie_sessions_survive_a_page_load_and_end(mon, monkeypatch):
    monkeypatch.setenv("MONITOR_SESSION_MINUTES", "30")
    now = dt.datetime(2026, 11, 28, 12, 0)
    token, sess = auth.open_session(mon.store, "ana", now=now)
    assert token not in str(mon.store.query("SELECT * FROM sessions"))  # only its hash is stored
    assert auth.resume_session(mon.store, token, now + dt.timedelta(minutes=20)).name == "ana"
    auth.touch_session(mon.store, sess, now + dt.timedelta(minutes=25))  # activity is written (>= 60 s later)
    assert auth.resume_session(mon.store, token, now + dt.timedelta(minutes=50)) is not None
    assert auth.resume_session(mon.store, token, now + dt.timedelta(minutes=56)) is None  # 31 min idle: expired
    assert auth.resume_session(mon.store, token, now) is None  # and removed
    token2, _ = auth.open_session(mon.store, "ana", now=now)
    auth.close_session(mon.store, token2)  # sign-out
    assert auth.resume_session(mon.store, token2, now) is None
    assert auth.resume_session(mon.store, "erfunden", now) is None


def test_first_start_creates_admin_with_one_time_password(tmp_path, signin_on, capsys):
    from indicators import cli
    from indicators.config import load_settings

    settings = load_settings(tmp_path / "monitor.duckdb")
    cli._first_admin(settings)
    out = capsys.readouterr().out
    password = re.search(r"Einmalpasswort\s+(\S+)", out).group(1)
    cli._first_admin(settings)  # only once: accounts exist now
    assert "Passwort" not in capsys.readouterr().out
    m = open_monitor(settings=settings)
    try:
        assert auth.authenticate(m.store, "admin", password).role == ADMIN
    finally:
        m.close()


def test_own_password_change_checks_the_old_one(mon):
    new = "ein-anderes-Passwort"
    with acting_as(Actor("ana", ANALYSIS)):
        with pytest.raises(auth.UserError, match="bisherige"):
            auth.change_own_password(mon.store, "falsch-falsch", new)
        auth.change_own_password(mon.store, PW, new)
    with acting_as(None):
        with pytest.raises(PermissionDenied):
            auth.change_own_password(mon.store, new, PW)
    assert auth.authenticate(mon.store, "ana", new).name == "ana"
    with pytest.raises(auth.SignInError):
        auth.authenticate(mon.store, "ana", PW)


def test_sidebar_password_change(app_db):
    at = _signed_in("betty")
    at.sidebar.text_input[0].input(PW)
    at.sidebar.text_input[1].input("neues-Passwort-123")
    at.sidebar.text_input[2].input("neues-Passwort-123")
    [b for b in at.sidebar.get("form_submit_button") if b.label == "Eigenes Passwort ändern"][0].click()
    at.run()
    assert not at.exception and "Passwort geändert." in [s.value for s in at.sidebar.success]
    from ui.state import _monitor

    assert auth.authenticate(_monitor().store, "betty", "neues-Passwort-123").name == "betty"


def test_removing_demo_data_asks_first(writable_demo_db):
    """Sign-in off (Administration): the button stays disabled until the confirmation is ticked."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("views/daten.py")
    at.run()
    button = at.button(key="remove_demo")
    assert button.disabled
    at.checkbox(key="remove_demo_sure").check()
    at.run()
    assert not at.button(key="remove_demo").disabled
    at.button(key="remove_demo").click()
    at.run()
    assert not at.exception
    from ui.state import _monitor

    assert not _monitor().store.has_demo_data()


def test_backup_from_the_administration_page(writable_demo_db, tmp_path, monkeypatch):
    monkeypatch.setenv("MONITOR_BACKUP_DIR", str(tmp_path / "sicherungen"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("views/verwaltung.py")
    at.run()
    assert not at.exception and [t.value for t in at.title] == ["Verwaltung"]
    at.button(key="backup_now").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("Sicherung sicherung-" in s.value for s in at.success)
    from indicators import backup

    (found,) = backup.list_backups(tmp_path / "sicherungen")
    assert found["counts"]["uploads"] > 10 and found["created_by"] == "apptest"


def test_account_name_is_shown_as_text_not_as_a_link(app_db):
    """A name such as "[Hier klicken](http://…)" is allowed for an account; where the app shows it (signed-in line,
    notices of the Verwaltung page) it stays text: Markdown characters escaped, no link."""
    name = "[Hier klicken](http://example.invalid)"
    m = open_monitor(app_db)
    with acting_as(auth.system_actor("einrichtung")):
        auth.add_user(m.store, name, VIEWER, PW, "einrichtung", one_time=False)
    m.close()
    at = _signed_in(name)
    line = next(c.value for c in at.sidebar.caption if c.value.startswith("Angemeldet als"))
    assert "\\[Hier klicken\\]" in line and "](http" not in line, line

    at = _signed_in("adam", "views/verwaltung.py")
    at.selectbox(key="admin_pick").set_value(name).run()
    at.selectbox(key=f"role_{name}").set_value(ANALYSIS).run()
    at.button(key="admin_set_role").click().run()
    assert not at.exception, [e.value for e in at.exception]
    notice = next(s.value for s in at.success if "Rolle jetzt" in s.value)
    assert "\\[Hier klicken\\]" in notice and "](http" not in notice, notice


def test_bad_int_settings_give_the_default_in_page_runs(app_db, monkeypatch):
    """MONITOR_SESSION_MINUTES / MONITOR_BACKUP_KEEP / MONITOR_MAX_UPLOAD_MB that are no numbers: the pages run with the
    defaults and the log says so (was: SystemExit inside the page run)."""
    monkeypatch.setenv("MONITOR_SESSION_MINUTES", "dreißig")
    monkeypatch.setenv("MONITOR_BACKUP_KEEP", "viele")
    monkeypatch.setenv("MONITOR_MIN_COUNT", "-4")
    import io
    import logging

    from indicators import config

    monkeypatch.setattr(config, "_warned", set(), raising=False)
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    logging.getLogger("integrationsmonitor").addHandler(handler)
    try:
        at = _signed_in("adam", "views/verwaltung.py")
        assert any("Angemeldet als adam" in c.value for c in at.sidebar.caption)
        assert [t.value for t in at.title] == ["Verwaltung"]
        settings = at.table[-1].value  # the tab "Einstellungen" (a static table: values shown whole)
        shown = dict(zip(settings["Variable"], settings["Wert"]))
    finally:
        logging.getLogger("integrationsmonitor").removeHandler(handler)
    assert shown["MONITOR_SESSION_MINUTES"] == "30" and shown["MONITOR_BACKUP_KEEP"] == "14"
    assert shown["MONITOR_MIN_COUNT"] == "3"
    assert (
        "MONITOR_SESSION_MINUTES muss eine ganze Zahl sein, nicht 'dreißig'. Es gilt die Vorgabe 30."
        in lines.getvalue()
    )
    assert "MONITOR_BACKUP_KEEP muss eine ganze Zahl sein, nicht 'viele'. Es gilt die Vorgabe 14." in lines.getvalue()
    assert lines.getvalue().count("MONITOR_BACKUP_KEEP") == 1  # once, not on every page run


@pytest.mark.parametrize("command", [["status"], ["start", "--port", "1"]])
def test_bad_int_settings_are_named_at_the_start_of_the_command_line(command, demo_copy):
    """The command line and ``start`` refuse a bad setting in German before anything runs, without a traceback (was:
    ``start`` started the server, whose pages then failed)."""
    import os

    env = {**os.environ, "MONITOR_SESSION_MINUTES": "dreißig", "MONITOR_BACKUP_KEEP": "-1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "indicators", "--db", str(demo_copy), *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
    assert proc.returncode == 2, out + err
    assert "MONITOR_SESSION_MINUTES muss eine ganze Zahl sein, nicht 'dreißig'" in err
    assert "MONITOR_BACKUP_KEEP muss mindestens 0 sein, nicht -1" in err
    assert "Traceback" not in out + err


def test_sign_in_off_only_on_loopback_or_confirmed(monkeypatch):
    """MONITOR_AUTH=aus holds for no server, 127.0.0.1/localhost/::1, or with MONITOR_AUTH_AUS_IM_NETZ=ja; a server on
    the network keeps sign-in on, and the core then refuses writes of nobody (was: everyone Administration)."""
    monkeypatch.setenv("MONITOR_AUTH", "aus")
    monkeypatch.delenv("MONITOR_AUTH_AUS_IM_NETZ", raising=False)
    try:
        for address in (None, "127.0.0.1", "localhost", "::1"):
            auth.set_server_address(address)
            assert auth.auth_disabled(), address
        for address in ("0.0.0.0", "192.168.1.20", "::", "monitor.kreis-peine.de"):
            auth.set_server_address(address)
            assert not auth.auth_disabled(), address
            assert "MONITOR_AUTH_AUS_IM_NETZ=ja" in auth.auth_off_refusal(address)
            with acting_as(None), pytest.raises(PermissionDenied, match="Nicht angemeldet"):
                auth.require(auth.UPLOAD)
        monkeypatch.setenv("MONITOR_AUTH_AUS_IM_NETZ", "ja")
        assert auth.auth_disabled()
    finally:
        auth.set_server_address(None)


def test_start_refuses_sign_in_off_on_every_interface(demo_copy):
    """``start`` with MONITOR_AUTH=aus and no --address (Streamlit listens on every interface) stops with a German
    message before the server starts."""
    import os

    env = {**os.environ, "MONITOR_AUTH": "aus"}
    env.pop("MONITOR_AUTH_AUS_IM_NETZ", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "indicators", "--db", str(demo_copy), "start", "--port", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
    assert proc.returncode == 2, out + err
    assert "MONITOR_AUTH=aus wird abgelehnt" in err and "--address 127.0.0.1" in err
    assert "Traceback" not in out + err


def test_sign_in_off_shows_a_banner_on_every_page(writable_demo_db):
    """With MONITOR_AUTH=aus every page carries 'Anmeldung ausgeschaltet' on top of the page (the projector slide in
    the sidebar, like the demo notice)."""
    for page in (None, "views/daten.py", "views/praesentation.py", "views/verwaltung.py"):
        at = AppTest.from_file(APP, default_timeout=90)
        if page:
            at.switch_page(page)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        if page == "views/praesentation.py":  # the slide must fit the projector: the sidebar says it there
            assert any("Anmeldung ausgeschaltet" in c.value for c in at.sidebar.caption)
            continue
        banners = [h.proto.body for h in at.main.get("html") if "Anmeldung ausgeschaltet" in h.proto.body]
        assert len(banners) == 1 and 'role="status"' in banners[0], page


def test_sign_in_off_refused_on_a_network_server_shows_the_form(app_db, monkeypatch):
    """The app on a server in the network with MONITOR_AUTH=aus: the sign-in form with the reason, not the pages."""
    from ui import signin

    monkeypatch.setenv("MONITOR_AUTH", "aus")
    monkeypatch.setattr(signin, "server_address", lambda: "0.0.0.0")
    try:
        at = AppTest.from_file(APP, default_timeout=90)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert [t.value for t in at.title] == ["Anmelden"]
        assert any("MONITOR_AUTH=aus ist für diesen Server abgelehnt" in i.value for i in at.info)
    finally:
        auth.set_server_address(None)


# -- one-time passwords (review finding 8) ---------------------------------------------------------------------
def test_one_time_password_allows_nothing_until_an_own_password_is_set(tmp_path, signin_on):
    """The first 'admin' account's password (printed once by `make run`) and every password Administration sets for
    someone else are one-time: signed in with one, the core allows nothing – not even reading pages' controls or
    any write – until the person has set a password of their own (was: usable for ever)."""
    m = open_monitor(settings=make_settings(tmp_path))
    try:
        first = auth.ensure_first_admin(m.store)
        admin = auth.authenticate(m.store, "admin", first)
        assert admin.must_change and not auth.allowed(admin, auth.USERS) and not auth.allowed(admin, auth.READ)
        with acting_as(admin):
            with pytest.raises(PermissionDenied, match="eigenes Passwort"):
                auth.add_user(m.store, "neu", VIEWER, PW, "admin")
            with pytest.raises(PermissionDenied, match="eigenes Passwort"):
                targets.add_note(m.store, None, 2020, "Notiz", "admin")
            with pytest.raises(auth.UserError, match="unterscheiden"):
                auth.change_own_password(m.store, first, first)
            auth.change_own_password(m.store, first, PW)
        admin = auth.actor_for(m.store, "admin")  # the next page run
        assert not admin.must_change and auth.authenticate(m.store, "admin", PW).must_change is False
        with acting_as(admin):
            auth.add_user(m.store, "betty", VIEWER, PW, "admin")  # a new account: its password is one-time
            assert auth.authenticate(m.store, "betty", PW).must_change
            assert auth.actor_for(m.store, "betty").must_change  # a session resumed from the cookie, too
            with acting_as(auth.actor_for(m.store, "betty")):
                auth.change_own_password(m.store, PW, "B-eigenes-Passwort-7")
            assert not auth.authenticate(m.store, "betty", "B-eigenes-Passwort-7").must_change
            assert auth.set_password(m.store, "betty", "zurueckgesetzt-123", "admin") is True  # a reset: one-time
            assert auth.authenticate(m.store, "betty", "zurueckgesetzt-123").must_change
            assert auth.set_password(m.store, "admin", "meins-auf-der-Seite", "admin") is False  # one's own: not
            assert not auth.authenticate(m.store, "admin", "meins-auf-der-Seite").must_change
        with acting_as(auth.system_actor("root")):  # the command line sets passwords for others: one-time
            auth.set_password(m.store, "admin", "vom-Server-gesetzt", "root")
        assert auth.authenticate(m.store, "admin", "vom-Server-gesetzt").must_change
        assert list(auth.users(m.store).set_index("name")["must_change"].items()) == [("admin", True), ("betty", True)]
    finally:
        m.close()


def test_one_time_password_is_said_on_the_command_line(tmp_path, signin_on, capsys):
    """The first start and `user add` / `user set-password` say that the password is one-time and where an own one is
    set later – in the sidebar, not on the page Verwaltung (was: 'auf der Seite Verwaltung ein eigenes Passwort
    setzen', where no such form is)."""
    from indicators import cli
    from indicators.config import load_settings

    cli._first_admin(load_settings(tmp_path / "monitor.duckdb"))
    out = capsys.readouterr().out
    assert "Einmalpasswort" in out and "Seitenleiste" in out and "Eigenes Passwort ändern" in out
    assert "Seite Verwaltung ein eigenes" not in out
    db = tmp_path / "monitor.duckdb"
    r = _cli(db, "user", "add", "bert", "--rolle", "Betrachter", stdin=PW + "\n")
    assert r.returncode == 0 and "nur für die erste Anmeldung" in r.stdout, r.stdout + r.stderr
    r = _cli(db, "user", "list")
    assert [line.split()[-1] for line in r.stdout.splitlines() if line.startswith("bert")] == ["Einmalpasswort"]


def test_one_time_password_shows_only_the_new_password_form(app_db):
    """Signed in with a password Administration set: the app shows the form for an own password instead of any page
    (no navigation); after it, the page asked for opens and the role's controls are there."""
    from ui.state import _monitor

    with acting_as(Actor("adam", ADMIN)):
        auth.set_password(_monitor().store, "ana", "einmal-Passwort-1", "adam")
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("views/ziele.py")
    at.run()
    at.text_input(key="auth_name").input("ana")
    at.text_input(key="auth_password").input("einmal-Passwort-1")
    at.button[0].click()
    at.run()
    assert [t.value for t in at.title] == ["Eigenes Passwort setzen"], [t.value for t in at.title]
    assert not at.main.get("plotly_chart") and "Ziel speichern" not in [b.label for b in at.get("form_submit_button")]
    at.text_input(key="must_change_old").input("einmal-Passwort-1")
    at.text_input(key="must_change_new").input("A-eigenes-Passwort-7")
    at.text_input(key="must_change_again").input("A-eigenes-Passwort-7")
    [b for b in at.get("form_submit_button") if b.label == "Passwort setzen und weiter"][0].click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [t.value for t in at.title] == ["Ziele"]
    assert "Ziel speichern" in [b.label for b in at.get("form_submit_button")]
    assert "Eigenes Passwort gesetzt" in " ".join(s.value for s in at.sidebar.success)


def test_verwaltung_speaks_german_and_says_when_nothing_changed(app_db, tmp_path, monkeypatch):
    """Review finding 9: the backup time was ISO ('2026-11-29T06:37:33'), the audit log showed keys and JSON
    ('benutzer_angelegt', '{"role": …}'), and setting the role an account already has said 'geändert'."""
    monkeypatch.setenv("MONITOR_BACKUP_DIR", str(tmp_path / "sicherungen"))
    at = _signed_in("adam", "views/verwaltung.py")
    at.button(key="backup_now").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    frames = {tuple(d.value.columns): d.value for d in at.dataframe}
    backups = next(v for k, v in frames.items() if "Sicherung" in k)
    assert re.fullmatch(r"\d\d\.\d\d\.20\d\d, \d\d:\d\d Uhr", backups["Zeitpunkt"].iloc[0]), backups["Zeitpunkt"].iloc[
        0
    ]
    audit = next(v for k, v in frames.items() if "Aktion" in k)
    actions = set(audit["Aktion"])
    assert {"Benutzer angelegt", "Angemeldet", "Sicherung angelegt"} <= actions, actions
    assert not any("_" in a for a in actions), actions
    assert not any(d.startswith("{") or '"' in d for d in audit["Einzelheiten"]), list(audit["Einzelheiten"])[:5]
    assert "Rolle: Analyse" in set(audit["Einzelheiten"])
    assert all(re.fullmatch(r"\d\d\.\d\d\.20\d\d, \d\d:\d\d Uhr", t) for t in audit["Zeitpunkt"])
    at.selectbox(key="admin_pick").select("ana")
    at.run()
    at.button(key="admin_set_role").click()  # the role ana has already
    at.run()
    assert "keine Änderung" in " ".join(i.value for i in at.info)
    assert not any("geändert" in s.value for s in at.success)
    at.selectbox(key="role_ana").select("Datenpflege")
    at.run()
    at.button(key="admin_set_role").click()
    at.run()
    assert "Benutzer ana: Rolle jetzt Datenpflege." in [s.value for s in at.success]


def test_sign_out_and_password_change_end_every_session_of_the_account(app_db):
    """Issue 22: signing out ended only this browser's session, a password change none."""
    first, second = _signed_in("betty"), _signed_in("betty")
    [b for b in first.sidebar.button if b.label == "Abmelden"][0].click()
    first.run()
    second.run()
    assert [t.value for t in second.title] == ["Anmelden"]
    assert any("Sitzung wurde beendet" in i.value for i in second.info)
    # a password change signs out the other browsers, not this one
    here, there = _signed_in("ana"), _signed_in("ana")
    here.sidebar.text_input[0].input(PW)
    here.sidebar.text_input[1].input("neues-Passwort-123")
    here.sidebar.text_input[2].input("neues-Passwort-123")
    [b for b in here.sidebar.get("form_submit_button") if b.label == "Eigenes Passwort ändern"][0].click()
    here.run()
    assert "Passwort geändert." in [s.value for s in here.sidebar.success]
    here.run()
    there.run()
    assert [t.value for t in there.title] == ["Anmelden"]
    assert [t.value for t in here.title] != ["Anmelden"]


@pytest.mark.parametrize(
    "password, message",
    [
        ("Passwort2026!", "zu leicht zu erraten"),
        ("qwertzuiop", "zu leicht zu erraten"),
        ("1234567890", "zu leicht zu erraten"),
        ("abcdefghijk", "zu leicht zu erraten"),
        ("aaaaaaaaaaaa", "zu leicht zu erraten"),
        ("Sommer-2025", "zu leicht zu erraten"),
        ("!Landkreispeine1", "zu leicht zu erraten"),
        ("dana-ist-hier-2026", "Benutzernamen"),
        ("kurz", "mindestens 10 Zeichen"),
    ],
)
def test_password_policy_refuses_common_passwords_and_the_name(mon, password, message):
    """Issue 22: a password policy as the BSI recommends (length and a list of common passwords, shipped in
    indicators/definitions/common_passwords.txt), on every way a password is set."""
    with acting_as(auth.system_actor("einrichtung")):
        with pytest.raises(auth.UserError, match=message):
            auth.add_user(mon.store, "dana", DATA, password, "einrichtung")
        with pytest.raises(auth.UserError, match=message):
            auth.set_password(mon.store, "dana", password, "einrichtung")
    with acting_as(Actor("dana", DATA)), pytest.raises(auth.UserError, match=message):
        auth.change_own_password(mon.store, PW, password)
    assert auth.authenticate(mon.store, "dana", PW).name == "dana"  # nothing changed


def test_password_policy_keeps_good_passwords(mon):
    with acting_as(auth.system_actor("einrichtung")):
        auth.add_user(mon.store, "emil", DATA, "Kaffee-Fahrrad-Leuchtturm", "einrichtung", one_time=False)
    assert auth.authenticate(mon.store, "emil", "Kaffee-Fahrrad-Leuchtturm").name == "emil"


def test_administration_unlocks_a_locked_account_audited(mon):
    """Issue 25: Verwaltung had no way to lift a lock (only waiting or a new password)."""
    store = mon.store
    for _i in range(auth.MAX_FAILURES):
        with pytest.raises(auth.SignInError):
            auth.authenticate(store, "ana", "falsch-falsch")
    with pytest.raises(auth.SignInError, match="gesperrt"):
        auth.authenticate(store, "ana", PW)
    with acting_as(Actor("dana", DATA)), pytest.raises(PermissionDenied, match="Administration"):
        auth.unlock(store, "ana", "dana")
    with acting_as(Actor("adam", ADMIN)):
        assert auth.unlock(store, "ana", "adam") is True
        assert auth.unlock(store, "ana", "adam") is False  # not locked any more: nothing written
    assert auth.authenticate(store, "ana", PW).name == "ana"
    rows = store.query("SELECT user_name FROM audit_log WHERE action = 'benutzer_entsperrt' AND object = 'ana'")
    assert rows == [("adam",)]


def test_times_are_shown_in_german_local_time():
    """Issue 25: times were shown in the server's UTC."""
    import datetime as _dt

    from indicators.fmt import fmt_datetime

    utc = _dt.datetime(2026, 7, 1, 10, 0, tzinfo=_dt.UTC)
    assert fmt_datetime(utc) == "01.07.2026, 12:00 Uhr"  # summer time in Peine
    assert fmt_datetime(_dt.datetime(2026, 12, 1, 10, 0, tzinfo=_dt.UTC)) == "01.12.2026, 11:00 Uhr"
