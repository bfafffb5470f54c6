"""Which page the browser asked for, and what to tell the user when it cannot be shown (app.py).

Streamlit's ``st.navigation`` runs the default page (the Cockpit) for an address it does not know – a page that does
not exist (``/gibtsnicht``) or one the role does not have in its navigation (``/verwaltung`` as Betrachter) – and
says nothing. The app registers the same pages for everyone who may see them and compares the page asked for with
the page it runs, so that it can say what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

from indicators import auth, texts
from ui.components import plain

if TYPE_CHECKING:
    from streamlit.navigation.page import Page as StreamlitPage


@dataclass(frozen=True)
class Request:
    """The page the browser asked for in this run: its script hash (a click in the navigation, a rerun) or its
    address (a link typed or opened: ``/verwaltung``); both empty for the start page."""

    script_hash: str = ""
    path: str = ""


def requested() -> Request:
    """What the browser asked for (Streamlit's intent for this script run)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    try:
        pm = ctx.pages_manager  # type: ignore[union-attr]  # (no context: AttributeError, handled)
        return Request(pm.intended_page_script_hash or "", (pm.intended_page_name or "").strip("/"))
    except AttributeError:  # another Streamlit: then no notice, the default page as before
        return Request()


def find(request: Request, pages: list[StreamlitPage]) -> StreamlitPage | None:
    """The page among ``pages`` the request names (None: none of them, or no particular page asked for)."""
    for p in pages:
        if request.script_hash and p._script_hash == request.script_hash:
            return p
        if not request.script_hash and request.path and p.url_path == request.path:
            return p
    return None


def unknown(request: Request, pages: list[StreamlitPage]) -> bool:
    """An address that names no page of the app at all (``/gibtsnicht``)."""
    return bool(request.path or request.script_hash) and find(request, pages) is None


def notice(
    request: Request,
    all_pages: list[StreamlitPage],
    shown: list[StreamlitPage],
    needs: dict[str, str],
    actor: auth.Actor | None,
) -> str | None:
    """The German line for a request the app cannot fulfil for ``actor`` (None: nothing to say).

    ``needs`` maps a page's url_path to the permission it requires; ``shown`` are the pages in the actor's
    navigation."""
    if unknown(request, all_pages):
        path = plain(request.path[:80] + ("…" if len(request.path) > 80 else "")) if request.path else "?"
        return (texts.NAV_NOT_FOUND if actor is not None else texts.NAV_NOT_FOUND_SIGNED_OUT).format(path=path)
    page = find(request, all_pages)
    if page is None or page in shown or actor is None:
        return None
    permission = needs.get(page.url_path)
    role = auth.PERMISSIONS.get(permission or "", auth.ADMIN)
    if actor.anonymous:
        return texts.NAV_NOT_ALLOWED_ANONYMOUS.format(page=page.title, role=role)
    return texts.NAV_NOT_ALLOWED.format(page=page.title, role=role, mine=actor.role)


def show(line: str | None) -> None:
    if line:
        st.warning(line, icon=":material/block:")
