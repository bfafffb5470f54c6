"""Conventions of the pages that a browser test would only catch on the page that breaks them."""

from __future__ import annotations

import re

from conftest import ROOT

SOURCES = sorted([*(ROOT / "views").glob("*.py"), *(ROOT / "ui").rglob("*.py"), ROOT / "app.py"])


def _calls(name: str):
    """(file, call text) for every call of ``name`` (up to its closing parenthesis)."""
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(re.escape(name) + r"\(", text):
            depth, i = 0, m.end() - 1
            while True:
                depth += {"(": 1, ")": -1}.get(text[i], 0)
                if depth == 0:
                    break
                i += 1
            yield path.relative_to(ROOT), text[m.start() : i + 1]


def test_every_chart_uses_the_shared_plotly_config():
    """German words, one toolbar button (one tab stop), no logo: ui.components.PLOTLY_CONFIG."""
    calls = list(_calls("st.plotly_chart"))
    assert calls
    assert all("PLOTLY_CONFIG" in call for _, call in calls), [c for c in calls if "PLOTLY_CONFIG" not in c[1]]


def test_no_max_chars_on_text_fields():
    """A pasted text longer than max_chars is dropped by the browser without a word: check on saving instead."""
    found = [(p, c) for name in ("text_input", "text_area") for p, c in _calls(name) if "max_chars" in c]
    assert not found, found


def test_no_icon_from_outside():
    """A ':material/…:' page icon (favicon) is fetched from fonts.gstatic.com."""
    for _, call in _calls("st.set_page_config"):
        assert 'page_icon=":material' not in call and "page_icon=':material" not in call, call


def test_every_audit_action_has_words():
    """The Verwaltung's audit log shows actions in words: every action the code writes has a label (a new action
    without one showed its raw key, e.g. 'vergleichsregionen_entfernt')."""
    import re

    from indicators import texts, wording

    written = set()
    for path in (ROOT / "indicators").rglob("*.py"):
        written |= set(re.findall(r'audit\([^,()]+, *[^,()]+, *"([a-z_]+)"', path.read_text(encoding="utf-8")))
    assert len(written) >= 15, written
    missing = sorted(a for a in written if a not in texts.AUDIT_ACTIONS and wording.audit_action(a) == a)
    assert missing == []
