"""Verdicts follow their published methods and say so in words a committee member understands (issue 9, part 3).

Each test names the defect it guards against; the expectations are the words and numbers a user sees.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators import progress, verdicts
from indicators.catalog import load_catalog
from indicators.config import check_environment, load_settings
from indicators.progress import (
    assess,
    assess_linear,
    assess_opensdg,
    assess_sollpfad,
    linear_path,
    rollup,
    sollpfad_table,
)
from indicators.targets import Target
from indicators.wording import change_text
from ui.components import rollup_line

DEFINITIONS = Path(__file__).resolve().parent.parent / "indicators" / "definitions"


def window(first: float, last: float) -> dict[int, float]:
    """Six yearly values 2019..2024 on a straight line from ``first`` to ``last``."""
    step = (last - first) / 5
    return {2019 + i: first + step * i for i in range(6)}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(DEFINITIONS)


# -- weather symbols: a flat trend is a thunderstorm ---------------------------------------------


def test_flat_trend_with_target_is_thunderstorm() -> None:
    """Destatis: a distance to the target that stays constant (or grows) gives the thunderstorm."""
    v = assess_linear(window(50.0, 50.0), "up", 60.0, 2030)
    assert v.status == "gewitter"
    assert v.symbol == "⚡"
    assert "nicht verändert" in v.explanation


def test_flat_trend_without_target_is_thunderstorm() -> None:
    v = assess_linear(window(8.0, 8.0), "down")
    assert v.status == "gewitter" and v.symbol == "⚡"


def test_flat_trend_at_the_target_keeps_the_sun() -> None:
    assert assess_linear(window(61.0, 61.0), "up", 60.0, 2030).status == "sonne"


# -- Open SDG: a base year without data moves forward ----------------------------------------------


def test_opensdg_base_year_without_value_moves_to_next_year_with_data() -> None:
    series = {2015: None, 2016: 10.0, 2018: 11.0, 2020: 12.0}
    v = assess_opensdg(series, "up", target=16.0, target_year=2030, base_year=2015)
    assert v.assessable
    assert v.years_used == (2016, 2020)
    assert v.observed_change == pytest.approx((12.0 / 10.0) ** (1 / 4) - 1)
    assert v.required_change == pytest.approx((16.0 / 10.0) ** (1 / 14) - 1)
    assert "Für das Basisjahr 2015 (aus dem Ziel) liegt kein Wert vor" in v.explanation
    assert "nächste Jahr mit Wert, 2016" in v.explanation


def test_opensdg_base_year_after_all_data_is_not_assessable() -> None:
    v = assess_opensdg({2015: 10.0, 2016: 11.0}, "up", base_year=2018)
    assert not v.assessable
    assert "2018" in v.explanation


# -- "Basisjahr der Strategie" -------------------------------------------------------------------


def test_setting_base_year_default_and_environment(monkeypatch) -> None:
    monkeypatch.delenv("MONITOR_BASE_YEAR", raising=False)
    assert load_settings().base_year == 2019
    monkeypatch.setenv("MONITOR_BASE_YEAR", "2017")
    assert load_settings().base_year == 2017
    monkeypatch.setenv("MONITOR_BASE_YEAR", "zwanzig")
    with pytest.raises(SystemExit, match="MONITOR_BASE_YEAR"):  # at the start of the command line
        check_environment()
    assert load_settings().base_year == 2019  # in a page run: the default (and a warning in the log)


SERIES = {2012: 8.0, 2013: 8.5, 2014: 9.0, 2015: 9.5, 2016: 10.0, 2017: 10.5, 2018: 11.0, 2019: 11.5, 2020: 12.0}


def test_strategy_base_year_used_when_target_names_none() -> None:
    v = assess_opensdg(SERIES, "up", target=16.0, target_year=2030, default_base_year=2016)
    assert v.years_used == (2016, 2020)
    assert v.observed_change == pytest.approx((12.0 / 10.0) ** (1 / 4) - 1)
    assert "Basisjahr 2016 (Basisjahr der Strategie)" in v.explanation


def test_target_base_year_wins_and_is_named() -> None:
    v = assess_opensdg(SERIES, "up", target=16.0, target_year=2030, base_year=2014, default_base_year=2016)
    assert v.years_used == (2014, 2020)
    assert "Basisjahr 2014 (aus dem Ziel)" in v.explanation


def test_strategy_base_year_before_the_data_moves_forward_and_says_so() -> None:
    series = {y: v for y, v in SERIES.items() if y >= 2018}
    v = assess_opensdg(series, "up", default_base_year=2016)
    assert v.years_used == (2018, 2020)
    assert "Basisjahr der Strategie" in v.explanation
    assert "nächste Jahr mit Wert, 2018" in v.explanation


def test_sollpfad_derived_from_strategy_base_year() -> None:
    v = assess("sollpfad", SERIES, "up", target=16.0, target_year=2030, default_base_year=2016)
    path = linear_path(2016, 10.0, 2030, 16.0)
    assert v.required_change == pytest.approx((16.0 - 10.0) / 14)
    assert f"{progress.fmt_value(path[2020], '%')}" in v.explanation


def test_indicator_status_uses_strategy_base_year(catalog) -> None:
    ind = catalog.indicators["einbuergerungsquote"]
    target = Target(ind.id, 16.0, 2030)
    status = verdicts.evaluate(ind, dict(SERIES), target, default_base_year=2016)
    assert status.base_year == 2016
    assert min(status.soll_path()) == 2016
    assert status.verdict.required_change == pytest.approx((16.0 / 10.0) ** (1 / 14) - 1)
    assert "Basisjahr 2016 (Basisjahr der Strategie)" in status.verdict.explanation


# -- wording that contradicts itself ---------------------------------------------------------------


def test_change_that_rounds_to_zero_has_no_arrow_and_no_judgement() -> None:
    text = change_text(0.0438, "%", "up")
    assert text.startswith("±0,0 %-Pkt.")
    assert "▲" not in text and "▼" not in text
    assert "besser" not in text and "schlechter" not in text
    assert "unverändert" in text
    assert "besser" not in change_text(-0.004, "Anzahl", "down")


def test_one_year_change_against_an_on_course_trend_is_explained() -> None:
    on_course = assess_opensdg({2016: 10.0, 2024: 16.7}, "up", target=19.2, target_year=2030)
    assert on_course.label == "auf Kurs"
    text = change_text(-1.38, "%", "up", on_course)
    assert text.startswith("-1,4 %-Pkt. ▼ schlechter als im Vorjahr")
    assert "mehrjährige Entwicklung" in text and "richtige Richtung" in text


def test_one_year_improvement_against_a_deteriorating_trend_is_explained() -> None:
    worse = assess_linear(window(20.0, 25.0), "down", 10.0, 2030)
    assert worse.status == "gewitter"
    text = change_text(-1.0, "%", "down", worse)
    assert "besser als im Vorjahr" in text and "falsche Richtung" in text
    # no contradiction: no extra words
    assert change_text(1.0, "%", "down", worse) == "+1,0 %-Pkt. ▲ schlechter"


def test_soll_path_label_does_not_say_below_when_above_the_line() -> None:
    """Lower is better: an Ist above the Soll line is a shortfall, but not 'unter Soll'."""
    path = linear_path(2020, 10.0, 2024, 6.0)
    v = assess_sollpfad({2023: 9.0}, path, "down", 0.5, 1.0)
    assert v.status == "rot"
    assert "unter" not in v.label
    assert v.label == "deutlich hinter dem Soll"
    assert "über dem Sollwert" in v.explanation
    assert "Pkt.." not in v.explanation and "Rückstand" in v.explanation
    rows = sollpfad_table({2023: 9.0}, path, "down", 0.5, 1.0)
    assert "unter" not in next(r for r in rows if r["year"] == 2023)["label"]
    # higher is better and Ist below the line: the same label, no 'über'
    up = assess_sollpfad({2023: 5.0}, linear_path(2020, 4.0, 2024, 8.0), "up", 0.5, 1.0)
    assert up.label == "deutlich hinter dem Soll" and "unter dem Sollwert" in up.explanation


def test_context_indicators_get_no_verdict() -> None:
    for method in progress.METHODS:
        v = assess(method, window(1.0, 2.0), "context", target=3.0, target_year=2030)
        assert v.status == "kontext"
        assert v.label == "ohne Bewertung (Kontextindikator)"
        assert "nicht bewertbar" not in v.explanation.lower()
    r = rollup([assess("linear", window(1.0, 2.0), "context")] * 2)
    assert r["status"] == "kontext" and r["score"] is None
    line = rollup_line(r)
    assert "ohne Bewertung" in line and "nicht bewertbar" not in line


def test_context_indicators_counted_apart_in_field_rollup() -> None:
    r = rollup(
        [
            assess("linear", window(40.0, 50.0), "up", 60.0, 2030),
            assess("linear", window(1.0, 2.0), "context"),
            assess("linear", {2024: 1.0}, "up", 60.0, 2030),
        ]
    )
    line = rollup_line(r)
    assert "1 bewertet" in line and "1 nicht bewertbar" in line and "1 Kontextindikator ohne Bewertung" in line


def test_rahmendaten_field_has_no_combined_verdict(catalog) -> None:
    statuses = {}
    for ind in catalog.indicators.values():
        target = None if ind.direction == "context" else Target(ind.id, 60.0 if ind.direction == "up" else 5.0, 2030)
        statuses[ind.id] = verdicts.evaluate(ind, window(40.0, 45.0), target, default_base_year=2019)
    rollups = verdicts.field_rollups(catalog, statuses)
    rahmen = rollups["rahmen"]
    assert rahmen["score"] is None
    assert rahmen["status"] == "kontext"
    line = rollup_line(rahmen)
    for verdict_label in ("Beschleunigung nötig", "auf Kurs", "geringer Fortschritt", "Verschlechterung"):
        assert verdict_label not in line.split(" · ")[0]
    assert "nicht zusammengefasst bewertet" in line
    assert rollups["bildung"]["score"] is not None


def test_no_needed_change_when_target_already_exceeded() -> None:
    v = assess_linear(window(56.0, 62.0), "up", 60.0, 2030)
    assert v.status == "sonne"
    assert "Benötigt" not in v.explanation
    assert "bereits erreicht" in v.explanation
    down = assess_linear(window(12.0, 8.0), "down", 10.0, 2030)
    assert "Benötigt" not in down.explanation and "bereits erreicht" in down.explanation
    lost = assess_linear(window(66.0, 62.0), "up", 60.0, 2030)
    assert lost.status == "gewitter" and "Benötigt" not in lost.explanation


# -- plain words instead of jargon -----------------------------------------------------------------


def test_rollup_line_in_plain_words() -> None:
    r = rollup([assess_opensdg({2015: 10.0, 2020: 12.0}, "up", target=16.0, target_year=2030)])
    line = rollup_line(r)
    assert "Ø" not in line and "Punktwert" not in line
    assert f"mittlere Bewertung {progress.fmt_num(r['score'], 1)}" in line
    assert "Skala von -5 bis +5" in line


@pytest.mark.parametrize("target", [16.0, None])
def test_opensdg_explanation_without_jargon_keeps_numbers(target) -> None:
    v = assess_opensdg({2015: 10.0, 2020: 12.0}, "up", target=target, target_year=2030 if target else None)
    for jargon in ("CAGR", "Punktwert", "P ="):
        assert jargon not in v.explanation
    observed = (12.0 / 10.0) ** (1 / 5) - 1
    assert "durchschnittliche jährliche veränderung" in v.explanation.lower()
    assert f"+{observed * 100:.2f} % pro Jahr".replace(".", ",") in v.explanation
    assert f"Bewertung {progress.fmt_num(v.score, 1)} auf der Skala von -5 bis +5" in v.explanation
    if target:
        required = (16.0 / 10.0) ** (1 / 15) - 1
        assert f"+{required * 100:.2f} % pro Jahr".replace(".", ",") in v.explanation
        ratio = observed / required
        assert f"{ratio:.2f}".replace(".", ",") in v.explanation


def test_base_year_text_names_origin_and_move(catalog) -> None:
    from indicators.wording import base_year_text

    ind = catalog.indicators["einbuergerungsquote"]
    assert (
        base_year_text(verdicts.evaluate(ind, dict(SERIES), Target(ind.id, 16.0, 2030), 2016))
        == "Basisjahr 2016 (Basisjahr der Strategie)"
    )
    assert (
        base_year_text(verdicts.evaluate(ind, dict(SERIES), Target(ind.id, 16.0, 2030, baseline_year=2014), 2016))
        == "Basisjahr 2014 (aus dem Ziel)"
    )
    late = {y: v for y, v in SERIES.items() if y >= 2018}
    assert base_year_text(verdicts.evaluate(ind, late, Target(ind.id, 16.0, 2030), 2016)).startswith(
        "Basisjahr 2018 (verschoben von 2016, Basisjahr der Strategie"
    )


# -- what the pages show (AppTest on the demo data) -------------------------------------------------


@pytest.fixture(scope="module")
def demo_app(demo_database, monkeypatch_module):
    import streamlit as st

    monkeypatch_module.setenv("MONITOR_DB", str(demo_database))
    monkeypatch_module.delenv("MONITOR_BASE_YEAR", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield demo_database
    st.cache_resource.clear()
    st.cache_data.clear()


def test_cockpit_wording(demo_app) -> None:
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    lines = [m.value for m in at.markdown]
    rollups = [v for v in lines if "bewertet" in v]
    assert len(rollups) == 7
    assert not any("Ø" in v or "Punktwert" in v for v in rollups)
    assert "nicht zusammengefasst bewertet" in rollups[0]  # Rahmendaten, the first field
    import html as html_lib
    import re

    tables = [h.proto.body for h in at.get("html") if "cockpit-table" in h.proto.body and "<table" in h.proto.body]
    assert len(tables) == 7
    # the symbols' legend stands under each table whose values carry one (e.g. "~5" in Rahmendaten), not only
    # at the very end of the page: as many legends as tables with a symbol in a value cell
    flagged = sum(1 for t in tables if re.search(r"<td[^>]*>(?:[^<]*\d[^<]* \([^\s()<]+\)|\([^<]*\))</td>", t))
    legends = [c.value for c in at.caption if c.value.startswith("Kennzeichen:")]
    assert flagged >= 2 and len(legends) == flagged
    assert "~5" in legends[0] and "gerundet" in legends[0]

    def cell_text(cell: str) -> str:
        return html_lib.unescape(re.sub(r"<[^>]+>", "", cell)).replace("\xa0", " ").strip()

    head = [cell_text(h) for h in re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", tables[0].split("</thead>")[0], re.S)]
    col_status = next(i for i, h in enumerate(head) if h.startswith("Bewertung"))
    col_change = next(i for i, h in enumerate(head) if h.startswith("Veränderung"))

    rows = [
        [cell_text(c) for c in re.findall(r"<t[hd](?:\s[^>]*)?>(.*?)</t[hd]>", tr, re.S)]
        for t in tables
        for tr in re.findall(r"<tr(?:\s[^>]*)?>(.*?)</tr>", t.split("<tbody>")[-1], re.S)
    ]
    rows = [r for r in rows if len(r) == len(head) and r != head]
    assert len(rows) >= 40, len(rows)
    changes = [r[col_change] for r in rows]
    statuses = [r[col_status] for r in rows]
    # the demo has one-year changes against the multi-year trend: the cockpit says so in words
    assert any("als im Vorjahr (mehrjährige Entwicklung" in c for c in changes), changes
    for change, status in zip(changes, statuses, strict=True):
        assert not (change.startswith("±") and ("▲" in change or "▼" in change)), change
        if "Verschlechterung" in status or "Gewitter" in status:
            assert change.endswith("besser") is False, (status, change)
        if "auf Kurs" in status:
            assert not change.endswith("schlechter"), (status, change)
        if "Kontextindikator" in status:
            assert "besser" not in change and "schlechter" not in change


def test_a_verdict_on_one_year_of_change_says_so_in_the_committee_sentence(catalog):
    """Einbürgerungsquote I read „Verschlechterung“ on the projector from its base year 2024 and the value of 2025
    alone; the sentence now says that the basis is one year. Over several years it says nothing of the kind."""
    from indicators.wording import one_sentence

    ind = catalog.indicators["einbuergerungsquote"]
    one_year = assess_opensdg({2024: 6.6, 2025: 6.2}, "up", target=7.5, target_year=2030, base_year=2024)
    assert one_year.assessable and one_year.years_used == (2024, 2025)
    assert one_sentence(ind, one_year).endswith(
        "Die Einschätzung beruht auf der Entwicklung eines einzigen Jahres (2024 bis 2025)."
    )
    longer = assess_opensdg({2019: 5.0, 2022: 6.0, 2025: 6.2}, "up", target=7.5, target_year=2030, base_year=2019)
    assert longer.assessable and "einzigen Jahres" not in one_sentence(ind, longer)


def test_growth_rate_of_a_share_is_called_relative_not_percentage_points():
    """Open SDG's rate of a share read „+1,17 % pro Jahr (von 45,0 % auf 49,9 %)“: a reader took it for 1,17
    percentage points. For a share it now says that it is relative; for other units nothing is added."""
    share = assess_opensdg({2016: 45.0, 2025: 49.9}, "up", target=57.4, target_year=2030, base_year=2016, unit="%")
    assert "pro Jahr (relativ, nicht in %-Pkt.: von 45,0 % auf 49,9 % im Jahr 2025)" in share.explanation
    assert "pro Jahr (relativ), um das Ziel von 57,4 % bis 2030" in share.explanation
    index = assess_opensdg({2016: 45.0, 2025: 49.9}, "up", target=57.4, target_year=2030, base_year=2016, unit="Index")
    assert "relativ" not in index.explanation and "pro Jahr (von 45,0 auf 49,9 im Jahr 2025)" in index.explanation
