"""User and file text in Markdown elements is shown as written (ui.components.plain)."""

from __future__ import annotations

import pytest

from ui.components import plain

HOSTILE = [
    "**fett** _kursiv_ ~~weg~~ `code`",
    "[Sitzung abgelaufen – hier neu anmelden](http://example.invalid/login)",
    "![bild](http://example.invalid/b.png)",
    "http://example.invalid/x www.example.invalid jemand@example.invalid",
    ":red[rot] :material/warning: $x^2$ <b>fett</b> &amp;",
    "# Überschrift\n1. Liste\n- Punkt\n> Zitat",
    "Datei (2024) – 12,5 % | a\\b",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_every_markdown_character_is_escaped(text):
    out = plain(text)
    unescaped = [c for i, c in enumerate(out) if c in "*_~`[]()!<>#$:&|-" and (i == 0 or out[i - 1] != "\\")]
    assert not unescaped, (out, unescaped)
    assert out.replace("\u2060", "").replace("  \n", "\n").replace("\\", "") == text.replace("\\", "")


def test_addresses_are_not_autolinked():
    out = plain("siehe http://example.invalid und www.example.invalid oder a@example.invalid")
    assert "http\u2060" in out and "www\u2060" in out and "a\u2060@" in out


def test_none_and_numbers():
    assert plain(None) == "" and plain(2024) == "2024" and plain(12.5) == "12\\.5"


def test_note_in_the_chart_hover_is_text():
    """plotly renders a subset of HTML (links, bold) in hover texts: a note's text is escaped."""
    import plotly.graph_objects as go

    from indicators import charts

    fig = charts.add_notes(go.Figure(), [(2020, '<a href="http://example.invalid">hier</a> <b>fett</b>')])
    hover = fig.layout.annotations[0].hovertext
    assert "<a" not in hover and "<b>" not in hover and "&lt;a href" in hover
