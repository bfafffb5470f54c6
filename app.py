"""Integrationsmonitor Landkreis Peine – entry point: page frame and navigation around all pages."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from indicators import auth, texts
from indicators.errors import configure_logging
from ui import assets, navigation, signin
from ui import tenant as tenant_frame
from ui.components import keep_page_params
from ui.field_page import field_page
from ui.state import data_version, get_monitor, has_demo, start_inbox

# the monitor's log with date and time (messages on the pages point to it), set up once per process
configure_logging()
# wherever the server was started: no traceback for the users (also set in .streamlit/config.toml)
st.set_option("client.showErrorDetails", "none")

# not "pages/": Streamlit would serve such a folder as its own pages on a deep link before app.py has run
PAGES = Path(__file__).parent / "views"

# a file of our own: a ":material/…:" icon would be fetched from fonts.gstatic.com (nothing may load from outside)
st.set_page_config(
    page_title=texts.APP_TITLE, page_icon=str(Path(__file__).parent / "ui" / "static" / "favicon.png"), layout="wide"
)
# German for Streamlit's own words and a visible keyboard focus, once for every page
st.html(assets.GERMAN_UI, unsafe_allow_javascript=True)
auth.set_tenant(None)  # (a context variable of the script's thread: the last run's Kreis must not linger)
base = get_monitor()
tenant = tenant_frame.choose(base)  # the Kreis of this run (issue 24), set for the core before the actor's role
st.set_page_config(page_title=texts.APP_TITLE_FOR.format(name=tenant.name))  # the browser tab names the Kreis too
monitor = get_monitor()  # the tenant's view: its Kreis is the own one
start_inbox()  # scripted imports and the command line beside the running app (issue 11)
actor = signin.current_actor(monitor)

presentation = st.Page(
    PAGES / "praesentation.py", title=texts.PAGE_PRESENTATION, icon=":material/co_present:", url_path="praesentation"
)
admin_page = st.Page(
    PAGES / "verwaltung.py", title=texts.PAGE_ADMIN, icon=":material/admin_panel_settings:", url_path="verwaltung"
)
#: pages only some roles may open (url_path → permission); the others are open to every signed-in role
NEEDS = {admin_page.url_path: auth.USERS}
sections = {
    texts.NAV_OVERVIEW: [
        st.Page(PAGES / "cockpit.py", title=texts.PAGE_COCKPIT, icon=":material/dashboard:", default=True),
        presentation,
        st.Page(PAGES / "bericht.py", title=texts.PAGE_REPORT, icon=":material/description:", url_path="bericht"),
    ],
    texts.NAV_FIELDS: [field_page(f) for f in monitor.catalog.ordered_fields()],
    texts.NAV_ANALYSIS: [
        st.Page(PAGES / "indikator.py", title=texts.PAGE_INDICATOR, icon=":material/show_chart:", url_path="indikator"),
        st.Page(
            PAGES / "gemeindevergleich.py",
            title=texts.PAGE_COMPARISON,
            icon=":material/bar_chart:",
            url_path="gemeindevergleich",
        ),
        st.Page(
            PAGES / "regionalvergleich.py",
            title=texts.PAGE_REGIONS,
            icon=":material/compare_arrows:",
            url_path="regionalvergleich",
        ),
        st.Page(PAGES / "ziele.py", title=texts.PAGE_TARGETS, icon=":material/flag:", url_path="ziele"),
    ],
    texts.NAV_STRATEGY: [  # issue 12
        st.Page(
            PAGES / "strategie.py", title=texts.PAGE_STRATEGY, icon=":material/account_tree:", url_path="strategie"
        ),
        st.Page(PAGES / "massnahmen.py", title=texts.PAGE_MEASURES, icon=":material/checklist:", url_path="massnahmen"),
        st.Page(PAGES / "netzwerk.py", title=texts.PAGE_NETWORK, icon=":material/hub:", url_path="netzwerk"),
    ],
    texts.NAV_DATA: [
        st.Page(PAGES / "daten.py", title=texts.PAGE_DATA, icon=":material/upload_file:", url_path="daten"),
        st.Page(PAGES / "abdeckung.py", title=texts.PAGE_COVERAGE, icon=":material/grid_on:", url_path="abdeckung"),
        admin_page,
    ],
}
all_pages = [p for pages in sections.values() for p in pages]
request = navigation.requested()
wanted = navigation.find(request, all_pages)
if actor is not None and actor.anonymous and wanted is not None and wanted.url_path in NEEDS:
    # reading without sign-in, and a link to a page that needs a role: the sign-in form, and the page after it
    st.session_state["auth_want_form"] = True
    st.session_state.setdefault("auth_notice", navigation.notice(request, all_pages, [], NEEDS, actor))
    actor = None
auth.set_actor(actor)
signin.note_upload_right(actor)  # the server refuses uploads of sessions that may not write (issue 22)
# who acts in this run (issue 11): set for the core on every run. Nobody signed in, or a one-time password still in
# use: every page is registered, the navigation hidden, and a form runs instead of the page – so the address asked
# for survives the sign-in (and the new password) and opens afterwards.
gate = actor is None or actor.must_change
shown = [p for p in all_pages if gate or p.url_path not in NEEDS or auth.allowed(actor, NEEDS[p.url_path])]
page = st.navigation(
    {section: [p for p in pages if p in shown] for section, pages in sections.items()},
    expanded=True,
    position="sidebar" if not gate else "hidden",
)
problem = navigation.notice(request, all_pages, shown, NEEDS, actor)

# no role in the Kreis the address did not ask for (the installation's own): the person's own Kreis instead – before
# anything is drawn, so that the rerun drops nothing of this run (the session cookie's hand-over after a sign-in)
if actor is not None and tenant_frame.without_role(actor) and tenant_frame.to_own_kreis(base, actor):
    st.rerun()
demo = has_demo(data_version(monitor))
with st.sidebar:
    st.markdown(f"**{texts.APP_TITLE_FOR.format(name=tenant.name)}**  \n{texts.APP_SUBTITLE}")
    if demo:
        st.warning(texts.DEMO_BADGE, icon=":material/science:")
    if actor is not None:
        tenant_frame.sidebar(base, actor, tenant)
        signin.sidebar(monitor, actor)
    signin.cookie_pending()  # the session cookie after a sign-in or sign-out
if actor is None:  # signed out: the sign-in form instead of any page, nothing else runs
    if problem:
        st.session_state.setdefault("auth_notice", problem)
    signin.sign_in_form(monitor)
    st.stop()
if actor.must_change:  # a one-time password: a password of one's own first (the core refuses everything else)
    signin.must_change_form(monitor, actor)
    st.stop()
if tenant_frame.refused(actor):  # no role in this Kreis (a link of another one, a changed address): no page of it
    tenant_frame.refusal(base, actor, tenant)
    st.stop()
if page.url_path != presentation.url_path:  # (a projector slide must fit the screen: the sidebar says it there)
    signin.auth_off_banner(actor)  # MONITOR_AUTH=aus (issue 11)
navigation.show(problem)  # a page the role may not open, or one that does not exist: said, not silently replaced
if demo and page.url_path != presentation.url_path:  # the upload hint only for roles that can upload
    if not auth.allowed(actor, auth.UPLOAD):  # (several Kreise: the Landesadministration loads the shared data)
        banner = texts.DEMO_BANNER_READ_LAND if tenant_frame.several(base) else texts.DEMO_BANNER_READ
    else:  # on the Daten page itself: "here", not "on the page Daten und Upload"
        banner = texts.DEMO_BANNER_HERE if page.url_path == "daten" else texts.DEMO_BANNER
    st.info(banner, icon=":material/science:")

keep_page_params(page.url_path)  # parameters of the previous view do not linger in the address
tenant_frame.keep_in_address(tenant, base)  # the Kreis does (issue 24)
try:
    page.run()
except Exception:  # never a traceback for the user; the details go to the server log
    logging.getLogger("integrationsmonitor").exception("Fehler auf der Seite %s", page.title)
    st.error(texts.PAGE_ERROR, icon=":material/error:")
