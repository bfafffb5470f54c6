"""Chart builders (indicators/charts.py): labels inside the figure, notes apart from the legend, the
Gemeindevergleich with gaps for missing values and like compared with like."""

from __future__ import annotations

import math

import pandas as pd
from conftest import ROOT

from indicators import charts
from indicators.catalog import load_catalog

CAT = load_catalog(ROOT / "indicators" / "definitions")


def _series(ind_id: str) -> pd.DataFrame:
    years = list(range(2015, 2026))
    return pd.DataFrame(
        {
            "region": "03157",
            "year": years,
            "value": [50 + i * 0.5 for i in range(len(years))],
            "flag": None,
            "label": "Landkreis Peine",
        }
    )


def _bars(ind_id: str, values: dict[str, tuple[float | None, str | None]]) -> pd.DataFrame:
    rows = [
        {"region": f"0315700{i}", "region_name": name, "level": "gemeinde", "value": v, "flag": f}
        for i, (name, (v, f)) in enumerate(values.items())
    ]
    rows.append({"region": "03157", "region_name": "Landkreis Peine", "level": "kreis", "value": 60.0, "flag": None})
    return pd.DataFrame(rows)


def test_target_label_is_not_clipped_at_the_plot_edge():
    """The target is usually the last year on the axis: its label 'Ziel 57,4 %' must not be cut off by the plot
    area (cliponaxis) nor run over the right edge of the figure."""
    ind = CAT.indicators["auslaenderanteil"]
    fig = charts.trend(ind, _series(ind.id), "region", label_col="label")
    charts.add_target(fig, ind, 2030, 57.4)
    target = next(t for t in fig.data if t.name == "Ziel 2030")
    assert target.cliponaxis is False
    assert "left" in target.textposition  # the last point on the axis: the label runs into the plot, not out
    assert target.text[0] == "Ziel 57,4 %"


def test_note_markers_do_not_sit_on_the_legend():
    ind = CAT.indicators["auslaenderanteil"]
    fig = charts.trend(ind, _series(ind.id), "region", label_col="label")
    charts.add_target(fig, ind, 2030, 57.4)
    charts.add_notes(fig, [(2020, "Zensus"), (2022, "Zuzug aus der Ukraine")])
    notes = [a for a in fig.layout.annotations if "[" in (a.text or "")]
    assert len(notes) == 2
    legend = fig.layout.legend
    above = all(a.yref == "paper" and a.y >= 1 for a in notes)
    # notes above the plot area: the legend must be elsewhere (below the plot)
    assert not (above and legend.y is not None and legend.y >= 1), (legend.y, [a.y for a in notes])


def test_gemeinde_bars_missing_value_is_a_gap_with_its_symbol():
    """A suppressed value (flag Fz) is no bar and no '–' at zero that reads like a zero bar: the row shows the
    symbol and says that there is no value."""
    ind = CAT.indicators["auslaenderanteil"]
    data = _bars(ind.id, {"Ilsede": (55.0, None), "Lengede": (None, "Fz"), "Vechelde": (None, None)})
    fig = charts.gemeinde_bars(ind, data, 60.0, 2024)
    bar = fig.data[0]
    rows = dict(zip(bar.y, zip(bar.x, bar.text)))
    for name in ("Lengede", "Vechelde"):
        x, text = rows[name]
        assert x is None or (isinstance(x, float) and math.isnan(x))
        assert not text, f"{name}: bar text {text!r} at zero looks like a value"
    gaps = {a.y: a.text for a in fig.layout.annotations if a.y in ("Lengede", "Vechelde")}
    assert "Fz" in gaps["Lengede"] and "kein Wert" in gaps["Lengede"]
    assert "–" in gaps["Vechelde"] and "kein Wert" in gaps["Vechelde"]


def test_gemeinde_bars_count_has_no_landkreis_total_line():
    """Counts: the Landkreis total is the sum of the Gemeinden, a line at it stands beyond every bar and
    compares nothing. Only rates and shares get the Landkreis line."""
    count = CAT.indicators["auslaender_anzahl"]
    data = _bars(count.id, {"Ilsede": (2222.0, None), "Peine, Stadt": (10185.0, None)})
    fig = charts.gemeinde_bars(count, data, 17548.0, 2025)
    assert not fig.layout.shapes
    assert not any("Landkreis" in (a.text or "") for a in fig.layout.annotations)

    share = CAT.indicators["auslaenderanteil"]
    fig = charts.gemeinde_bars(share, _bars(share.id, {"Ilsede": (10.0, None)}), 12.5, 2025)
    assert len(fig.layout.shapes) == 1
    assert any("Landkreis" in (a.text or "") for a in fig.layout.annotations)


def test_gemeinde_bars_leave_room_for_the_longest_label():
    """The value label beside the longest bar ("19,7 %") lies inside the axis range, not cut at the edge; a
    count's axis is not stretched to the Landkreis total that is not drawn; negative values get room too."""
    share = CAT.indicators["auslaenderanteil"]
    fig = charts.gemeinde_bars(
        share, _bars(share.id, {"Peine, Stadt": (19.7, None), "Ilsede": (9.8, "()")}), 12.5, 2025
    )
    lo, hi = fig.layout.xaxis.range
    assert lo == 0 and hi >= 19.7 * 1.15
    assert "(9,8 %)" in fig.data[0].text  # Aussagewert eingeschränkt: the value in brackets

    count = CAT.indicators["auslaender_anzahl"]
    fig = charts.gemeinde_bars(
        count, _bars(count.id, {"Ilsede": (2222.0, None), "Peine, Stadt": (10185.0, None)}), 17548.0, 2025
    )
    assert 10185 * 1.15 <= fig.layout.xaxis.range[1] < 17548

    gap = CAT.indicators["alq_gap"] if "alq_gap" in CAT.indicators else share
    fig = charts.gemeinde_bars(gap, _bars(gap.id, {"A": (-4.0, None), "B": (6.0, None)}), None, 2025)
    lo, hi = fig.layout.xaxis.range
    assert lo <= -4.0 - 1.5 and hi >= 6.0 + 1.5


def test_projector_style_readable_sizes():
    """Axis titles, target label and ticks at least 24 px, dark enough on white (contrast >= 4.5:1)."""
    ind = CAT.indicators["auslaenderanteil"]
    fig = charts.trend(ind, _series(ind.id), "region", label_col="label")
    charts.add_target(fig, ind, 2030, 57.4)
    charts.projector_style(fig)
    target = next(t for t in fig.data if t.name == "Ziel 2030")
    assert target.textfont.size >= 24
    assert fig.layout.yaxis.title.font.size >= 24 and fig.layout.yaxis.tickfont.size >= 24
    assert fig.layout.xaxis.tickfont.size >= 24
    assert fig.layout.yaxis.title.font.color in ("#000000", "#111111")


def test_region_names_from_files_are_text_not_html():
    ind = CAT.indicators["auslaenderanteil"]
    fig = charts.gemeinde_bars(ind, _bars(ind.id, {"<b>Ilsede</b>": (10.0, None), "A&B": (None, "Fz")}), 12.5, 2025)
    assert set(fig.data[0].y) == {"&lt;b&gt;Ilsede&lt;/b&gt;", "A&amp;B"}
    data = _series(ind.id).assign(label="<a href='x'>Peine</a>")
    fig = charts.trend(ind, data, "region", label_col="label")
    assert fig.data[0].name == "&lt;a href=&#x27;x&#x27;&gt;Peine&lt;/a&gt;"
