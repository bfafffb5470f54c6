"""Tests for indicators.progress (docs/progress-methods.md).

Expected numbers are derived in the tests from the formulas of the specification, not copied from
the output of the code under test.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from indicators import progress
from indicators.progress import (
    STATUS_SCORES,
    Verdict,
    assess,
    assess_linear,
    assess_opensdg,
    assess_sollpfad,
    cagr,
    default_method,
    fmt_change,
    fmt_num,
    fmt_value,
    linear_path,
    opensdg_score,
    rollup,
    sollpfad_table,
)
from indicators.wording import STATUS_LABELS, STATUS_SYMBOLS


def de(x: float, decimals: int = 1) -> str:
    """Independent German rendering of a small number (no thousands) for expected strings."""
    return f"{x:.{decimals}f}".replace(".", ",")


def ref_cagr(a: float, b: float, t1: int, t0: int) -> float:
    """CAGR exactly as written in the specification."""
    return (a / b) ** (1 / (t1 - t0)) - 1


def ref_score(p: float) -> float:
    """Open SDG score with a target, as written in the specification."""
    return min(7.1429 * p - 4.2857, 5) if p >= 0.6 else max(4.1667 * p - 2.5, -5)


def two_points(base: float, current: float, t0: int = 2015, t1: int = 2020) -> dict[int, float]:
    return {t0: base, t1: current}


def assert_consistent(v: Verdict) -> None:
    assert v.label == STATUS_LABELS[v.status]
    assert v.symbol == STATUS_SYMBOLS[v.status]
    assert v.assessable == (v.status != "nicht_bewertbar")
    assert (v.score is None) == (not v.assessable)
    if v.score is not None:
        assert -5.0 <= v.score <= 5.0


# ---------------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------------


class TestFormatting:
    def test_fmt_num_decimal_comma_and_thousands_dot(self) -> None:
        assert fmt_num(1234.5) == "1.234,5"
        assert fmt_num(1234567.891, 2) == "1.234.567,89"
        assert fmt_num(14.94) == "14,9"
        assert fmt_num(12345, 0) == "12.345"
        assert fmt_num(-1234.56) == "-1.234,6"

    def test_fmt_num_no_negative_zero_and_missing(self) -> None:
        assert fmt_num(-0.04) == "0,0"
        assert fmt_num(-0.0, 2) == "0,00"
        assert fmt_num(None) == "–"
        assert fmt_num(float("nan")) == "–"

    def test_fmt_value_units(self) -> None:
        assert fmt_value(14.94, "%") == "14,9 %"
        assert fmt_value(12345, "Anzahl") == "12.345"
        assert fmt_value(-0.4, "%-Pkt.") == "-0,4 %-Pkt."
        assert fmt_value(3.26, "je 1000 EW") == "3,3 je 1000 EW"
        assert fmt_value(42.4, "Tage") == "42 Tage"
        assert fmt_value(None, "%") == "–"
        assert fmt_value(23.45, "Index", 2) == "23,45"

    def test_fmt_change_explicit_sign(self) -> None:
        assert fmt_change(1.2, "%-Pkt.") == "+1,2 %-Pkt."
        assert fmt_change(-0.4, "%-Pkt.") == "-0,4 %-Pkt."
        assert fmt_change(0.0, "%-Pkt.") == "±0,0 %-Pkt."
        assert fmt_change(-0.01, "%-Pkt.") == "±0,0 %-Pkt."
        assert fmt_change(1234.5, "Anzahl", 1) == "+1.234,5"
        # a change of a share is written in percentage points
        assert fmt_change(1.23, "%", 2) == "+1,23 %-Pkt."
        assert fmt_change(-3, "Anzahl") == "-3"
        assert fmt_change(None, "%") == "–"

    def test_fmt_num_sign_flag(self) -> None:
        assert fmt_num(1.23, 2, sign=True) == "+1,23"
        assert fmt_num(-1.23, 2, sign=True) == "-1,23"
        assert fmt_num(-0.001, 2, sign=True) == "±0,00"
        assert fmt_num(1234.5, sign=True) == "+1.234,5"


# ---------------------------------------------------------------------------------------------
# CAGR and score
# ---------------------------------------------------------------------------------------------


class TestCagrAndScore:
    def test_cagr_formula(self) -> None:
        assert cagr(12.0, 10.0, 2020, 2015) == pytest.approx((12 / 10) ** (1 / 5) - 1)
        assert cagr(-8.0, -10.0, 2020, 2015) == pytest.approx((0.8) ** (1 / 5) - 1)

    @pytest.mark.parametrize("args", [(1.0, 1.0, 2020, 2020), (1.0, 0.0, 2020, 2015), (-1.0, 2.0, 2020, 2015)])
    def test_cagr_undefined(self, args: tuple[float, float, int, int]) -> None:
        with pytest.raises(ValueError):
            cagr(*args)

    def test_score_at_boundaries(self) -> None:
        # P = 0.6: both branches meet at (almost exactly) 0
        assert opensdg_score(0.6) == pytest.approx(7.1429 * 0.6 - 4.2857)
        assert opensdg_score(0.6) == pytest.approx(0.0, abs=1e-3)
        assert opensdg_score(0.5999) == pytest.approx(4.1667 * 0.5999 - 2.5)
        # P = 0.95: start of the "on track" band at 2.5
        assert opensdg_score(0.95) == pytest.approx(7.1429 * 0.95 - 4.2857)
        assert opensdg_score(0.95) == pytest.approx(2.5, abs=1e-3)
        # P = 0: -2.5
        assert opensdg_score(0.0) == pytest.approx(-2.5)
        # clamps
        assert opensdg_score(1.3) == pytest.approx(5.0, abs=1e-3)
        assert opensdg_score(2.0) == 5.0
        assert opensdg_score(50.0) == 5.0
        assert opensdg_score(-0.6) == pytest.approx(-5.0, abs=1e-3)
        assert opensdg_score(-3.0) == -5.0


# ---------------------------------------------------------------------------------------------
# A. Open SDG with a target
# ---------------------------------------------------------------------------------------------


class TestOpenSdgWithTarget:
    def _p(self, base: float, current: float, target: float, d: int = 1, s: int = 1) -> float:
        obs = ref_cagr(current, base, 2020, 2015)
        req = ref_cagr(target, base, 2030, 2015)
        return s * d * obs / abs(req)

    def test_substantial_progress(self) -> None:
        series = two_points(10.0, 12.0)
        p = self._p(10.0, 12.0, 16.0)
        assert 0.95 <= p < 1.3  # on track, score not clamped
        v = assess_opensdg(series, "up", target=16.0, target_year=2030)
        assert_consistent(v)
        assert v.status == "substantial_progress"
        assert v.label == "auf Kurs"
        assert v.score == pytest.approx(ref_score(p))
        assert v.observed_change == pytest.approx(ref_cagr(12, 10, 2020, 2015))
        assert v.required_change == pytest.approx(ref_cagr(16, 10, 2030, 2015))
        assert v.years_used == (2015, 2020)

    def test_explanation_contains_rates_p_and_score(self) -> None:
        v = assess_opensdg(two_points(10.0, 12.0), "up", target=16.0, target_year=2030)
        obs = ref_cagr(12, 10, 2020, 2015) * 100
        req = ref_cagr(16, 10, 2030, 2015) * 100
        p = self._p(10.0, 12.0, 16.0)
        assert f"+{de(obs, 2)} % pro Jahr" in v.explanation
        assert f"+{de(req, 2)} % pro Jahr" in v.explanation
        assert f"Verhältnis von beobachteter zu benötigter Veränderung: {de(p, 2)}" in v.explanation
        assert f"Bewertung {de(ref_score(p))} auf der Skala von -5 bis +5" in v.explanation
        assert "16,0 %" in v.explanation and "2030" in v.explanation
        assert "Datengrundlage: 2015–2020." in v.explanation

    def test_moderate_progress(self) -> None:
        p = self._p(10.0, 12.0, 18.0)
        assert 0.6 <= p < 0.95
        v = assess_opensdg(two_points(10.0, 12.0), "up", target=18.0, target_year=2030)
        assert v.status == "moderate_progress"
        assert v.label == "Beschleunigung nötig"
        assert v.score == pytest.approx(ref_score(p))
        assert 0 <= v.score < 2.5

    def test_limited_progress(self) -> None:
        p = self._p(10.0, 10.5, 18.0)
        assert 0 <= p < 0.6
        v = assess_opensdg(two_points(10.0, 10.5), "up", target=18.0, target_year=2030)
        assert v.status == "limited_progress"
        assert v.label == "geringer Fortschritt"
        assert v.score == pytest.approx(ref_score(p))
        assert -2.5 <= v.score < 0

    def test_deterioration(self) -> None:
        p = self._p(10.0, 9.0, 18.0)
        assert p < 0
        v = assess_opensdg(two_points(10.0, 9.0), "up", target=18.0, target_year=2030)
        assert v.status == "deterioration"
        assert v.symbol == "✖"
        assert v.score == pytest.approx(ref_score(p))

    def test_strong_deterioration_clamps_at_minus_five(self) -> None:
        p = self._p(10.0, 5.0, 11.0)
        assert p < -0.6
        v = assess_opensdg(two_points(10.0, 5.0), "up", target=11.0, target_year=2030)
        assert v.score == -5.0

    def test_target_achieved(self) -> None:
        v = assess_opensdg(two_points(10.0, 12.0), "up", target=11.0, target_year=2030)
        assert_consistent(v)
        assert v.status == "target_achieved"
        assert v.score == 5.0
        assert v.label == "Ziel erreicht"
        assert "12,0 %" in v.explanation and "11,0 %" in v.explanation

    def test_direction_down(self) -> None:
        series = two_points(20.0, 16.0)
        p = self._p(20.0, 16.0, 10.0, d=-1)
        assert p >= 0.95
        v = assess_opensdg(series, "down", target=10.0, target_year=2030)
        assert v.status == "substantial_progress"
        assert v.score == pytest.approx(ref_score(p))
        # the same numbers read as "up" are a deterioration
        assert assess_opensdg(series, "up", target=30.0, target_year=2030).status == "deterioration"

    def test_direction_down_target_achieved_uses_lower_or_equal(self) -> None:
        series = two_points(20.0, 16.0)
        assert assess_opensdg(series, "down", 16.0, 2030).status == "target_achieved"
        assert assess_opensdg(series, "up", 16.0, 2030).status == "target_achieved"
        assert assess_opensdg(series, "down", 15.9, 2030).status != "target_achieved"

    def test_zero_target_replaced(self) -> None:
        series = two_points(5.0, 3.0)
        v = assess_opensdg(series, "down", target=0.0, target_year=2030)
        req = ref_cagr(0.001, 5.0, 2030, 2015)
        obs = ref_cagr(3.0, 5.0, 2020, 2015)
        p = -1 * obs / abs(req)
        assert v.required_change == pytest.approx(req)
        assert v.score == pytest.approx(ref_score(p))
        assert "0,001" in v.explanation

    def test_negative_base_value_flips_direction(self) -> None:
        # -10 -> -8 is an increase; with target -5 in 2030 ("up")
        series = two_points(-10.0, -8.0)
        p = self._p(-10.0, -8.0, -5.0, d=1, s=-1)
        assert p > 0
        v = assess_opensdg(series, "up", target=-5.0, target_year=2030)
        assert v.score == pytest.approx(ref_score(p))
        assert v.status == ("substantial_progress" if p >= 0.95 else "moderate_progress")
        assert "Die Werte sind negativ" in v.explanation

    def test_projection_line(self) -> None:
        v = assess_opensdg(two_points(10.0, 12.0), "up", target=18.0, target_year=2030)
        g = ref_cagr(12, 10, 2020, 2015)
        assert v.projection[0] == (2020, pytest.approx(12.0))
        assert [y for y, _ in v.projection] == list(range(2020, 2031))
        assert v.projected_value == pytest.approx(12.0 * (1 + g) ** 10)
        assert v.projection[-1][1] == pytest.approx(v.projected_value)
        expected = 12.0 * (1 + g) ** 10
        assert f"2030 ein Wert von {de(expected)} %" in v.explanation

    def test_target_year_not_after_base_year(self) -> None:
        v = assess_opensdg(two_points(10.0, 12.0), "up", target=18.0, target_year=2015)
        assert not v.assessable

    def test_target_and_base_of_different_sign(self) -> None:
        v = assess_opensdg(two_points(-10.0, -8.0), "up", target=5.0, target_year=2030)
        assert not v.assessable
        assert "Vorzeichen" in v.explanation


# ---------------------------------------------------------------------------------------------
# A. Open SDG without a target
# ---------------------------------------------------------------------------------------------


class TestOpenSdgBaseAlreadyPastTarget:
    """Issue 25 (fresh-user review): "Benötigt: +2,53 % pro Jahr" where lower is better and the base value was
    already below the target -- the text asked for a change in the wrong direction."""

    def test_lower_is_better_base_below_target_now_above(self) -> None:
        v = assess_opensdg({2019: 8.0, 2025: 11.0}, "down", target=9.0, target_year=2030, base_year=2019)
        assert v.status == "deterioration"
        assert "Benötigt: +" not in v.explanation
        assert "Im Basisjahr 2019 war das Ziel von 9,0 % mit 8,0 % schon erreicht" in v.explanation
        assert v.required_change is not None and v.required_change < 0  # a decline is what is needed
        assert f"eine Veränderung von {fmt_change(v.required_change)}" in v.explanation or "-" in v.explanation

    def test_higher_is_better_base_above_target_now_below(self) -> None:
        v = assess_opensdg({2019: 60.0, 2025: 50.0}, "up", target=55.0, target_year=2030, base_year=2019)
        assert v.status == "deterioration" and v.required_change is not None and v.required_change > 0
        assert "schon erreicht" in v.explanation and "Benötigt: -" not in v.explanation


class TestOpenSdgWithoutTarget:
    @pytest.mark.parametrize(
        ("growth", "status"),
        [
            (0.02, "substantial_progress"),
            (0.016, "substantial_progress"),
            (0.01, "moderate_progress"),
            (0.003, "limited_progress"),
            (-0.01, "deterioration"),
        ],
    )
    def test_thresholds(self, growth: float, status: str) -> None:
        base = 40.0
        current = base * (1 + growth) ** 5
        v = assess_opensdg(two_points(base, current), "up")
        assert_consistent(v)
        assert v.status == status
        assert v.observed_change == pytest.approx(ref_cagr(current, base, 2020, 2015))
        assert v.required_change is None

    def test_thresholds_direction_down(self) -> None:
        base = 40.0
        current = base * (1 - 0.01) ** 5  # falling by 1 % a year is good for "down"
        assert assess_opensdg(two_points(base, current), "down").status == "moderate_progress"
        assert assess_opensdg(two_points(current, base), "down").status == "deterioration"

    def test_piecewise_score(self) -> None:
        # P = 1 %: between 0.5 % and 1.5 % -> 0 .. 2.5
        base = 40.0
        v = assess_opensdg(two_points(base, base * 1.01**5), "up")
        p = ref_cagr(base * 1.01**5, base, 2020, 2015)
        assert v.score == pytest.approx(2.5 * (p - 0.005) / (0.015 - 0.005))
        # P <= -2 % -> -5
        assert assess_opensdg(two_points(base, base * 0.97**5), "up").score == -5.0
        # P >= 2 % -> 5
        assert assess_opensdg(two_points(base, base * 1.03**5), "up").score == 5.0

    def test_natural_limit_scales_thresholds(self) -> None:
        base, lim, growth = 90.0, 100.0, 0.01
        current = base * (1 + growth) ** 5
        c = 1 - (base / lim) ** 4.44
        p = ref_cagr(current, base, 2020, 2015)
        # the case sits between the scaled and the unscaled "on track" threshold
        assert 0.015 * c <= p < 0.015
        without = assess_opensdg(two_points(base, current), "up")
        with_limit = assess_opensdg(two_points(base, current), "up", limit=lim)
        assert without.status == "moderate_progress"
        assert with_limit.status == "substantial_progress"
        assert f"Faktor {de(c, 2)}" in with_limit.explanation
        assert with_limit.score > without.score

    def test_natural_limit_moves_limited_to_moderate(self) -> None:
        base, lim, growth = 90.0, 100.0, 0.003
        current = base * (1 + growth) ** 5
        c = 1 - (base / lim) ** 4.44
        p = ref_cagr(current, base, 2020, 2015)
        assert 0.005 * c <= p < 0.005
        assert assess_opensdg(two_points(base, current), "up").status == "limited_progress"
        assert assess_opensdg(two_points(base, current), "up", limit=lim).status == "moderate_progress"

    def test_base_at_limit_any_non_negative_change_is_on_track(self) -> None:
        v = assess_opensdg(two_points(100.0, 100.0), "up", limit=100.0)
        assert v.status == "substantial_progress"
        assert v.score == 5.0

    def test_limit_ignored_for_direction_down(self) -> None:
        base = 90.0
        current = base * 0.99**5
        plain = assess_opensdg(two_points(base, current), "down")
        limited = assess_opensdg(two_points(base, current), "down", limit=100.0)
        assert plain.status == limited.status == "moderate_progress"

    def test_zero_base_value_replaced(self) -> None:
        v = assess_opensdg(two_points(0.0, 2.0), "up")
        assert v.assessable
        assert v.observed_change == pytest.approx(ref_cagr(2.0, 0.001, 2020, 2015))
        assert v.status == "substantial_progress"
        assert "0,001" in v.explanation

    def test_negative_base_value(self) -> None:
        # -10 -> -8: the value rises; s = -1 turns the negative CAGR into progress for "up"
        v = assess_opensdg(two_points(-10.0, -8.0), "up")
        obs = ref_cagr(-8.0, -10.0, 2020, 2015)
        assert obs < 0
        p = -1 * 1 * obs
        assert p >= 0.015
        assert v.status == "substantial_progress"
        assert assess_opensdg(two_points(-10.0, -8.0), "down").status == "deterioration"

    def test_target_without_year_falls_back_to_trend(self) -> None:
        v = assess_opensdg(two_points(40.0, 40.0 * 1.01**5), "up", target=60.0)
        assert v.status == "moderate_progress"
        assert "ohne Zieljahr" in v.explanation


# ---------------------------------------------------------------------------------------------
# A. Open SDG: not assessable, missing values, breaks
# ---------------------------------------------------------------------------------------------


class TestOpenSdgNotAssessable:
    def test_sign_change(self) -> None:
        v = assess_opensdg(two_points(-2.0, 3.0), "up")
        assert_consistent(v)
        assert v.status == "nicht_bewertbar"
        assert v.label == "nicht bewertbar"
        assert "Vorzeichen" in v.explanation
        assert "lineare Methode" in v.explanation

    def test_too_few_points(self) -> None:
        v = assess_opensdg({2020: 5.0, 2021: None}, "up", target=8.0, target_year=2030)
        assert_consistent(v)
        assert not v.assessable
        assert "mindestens zwei Jahreswerte" in v.explanation

    def test_context(self) -> None:
        v = assess_opensdg(two_points(10.0, 12.0), "context")
        assert not v.assessable
        assert v.score is None
        assert "Kontextindikator" in v.explanation

    def test_direction_zero_recommends_linear(self) -> None:
        v = assess_opensdg(two_points(3.0, 2.0), "zero", target=0.0, target_year=2030)
        assert not v.assessable
        assert "lineare Methode" in v.explanation

    def test_no_values(self) -> None:
        assert not assess_opensdg({2020: None, 2021: None}, "up").assessable
        assert not assess_opensdg({}, "up").assessable

    def test_base_year_without_value(self) -> None:
        # as in the Open SDG reference code: the next year with a value becomes the base year
        v = assess_opensdg({2015: None, 2016: 10.0, 2020: 12.0}, "up", base_year=2015)
        assert v.assessable and v.years_used == (2016, 2020)
        assert "Basisjahr 2015" in v.explanation

    def test_missing_values_are_skipped_and_named(self) -> None:
        series = {2015: 10.0, 2016: None, 2017: 11.0, 2018: 11.5, 2019: 12.0, 2020: None}
        v = assess_opensdg(series, "up")
        assert v.years_used == (2015, 2019)
        assert v.observed_change == pytest.approx(ref_cagr(12.0, 10.0, 2019, 2015))
        assert "2016" in v.explanation
        assert "Für 2020 liegt kein Wert vor" in v.explanation
        assert "2019" in v.explanation

    def test_nan_counts_as_missing(self) -> None:
        v = assess_opensdg({2015: 10.0, 2019: 12.0, 2020: float("nan")}, "up")
        assert v.years_used == (2015, 2019)

    def test_explicit_base_year(self) -> None:
        series = {2015: 8.0, 2017: 10.0, 2020: 12.0}
        v = assess_opensdg(series, "up", base_year=2017)
        assert v.observed_change == pytest.approx(ref_cagr(12.0, 10.0, 2020, 2017))

    def test_series_break(self) -> None:
        series = {2018: 8.0, 2019: 8.5, 2020: 10.0, 2021: 10.4, 2022: 11.0}
        v = assess_opensdg(series, "up", breaks=[2020])
        assert v.years_used == (2020, 2022)
        assert v.observed_change == pytest.approx(ref_cagr(11.0, 10.0, 2022, 2020))
        spanned = assess_opensdg(series, "up", base_year=2018, breaks=[2020])
        assert not spanned.assessable
        assert "Bruch" in spanned.explanation
        too_short = assess_opensdg({2019: 8.0, 2020: 9.0, 2021: 10.0}, "up", breaks=[2021])
        assert not too_short.assessable
        assert "Bruch" in too_short.explanation


# ---------------------------------------------------------------------------------------------
# B. Weather symbols (linear)
# ---------------------------------------------------------------------------------------------


def window(first: float, last: float, middle: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)) -> dict:
    """Series 2019..2024 with given endpoints; the middle values must not matter (Destatis)."""
    values = [first, *middle, last]
    return dict(zip(range(2019, 2025), values, strict=True))


class TestLinear:
    TARGET, TARGET_YEAR, LATEST = 60.0, 2030, 50.0

    def _miss(self, first: float) -> tuple[float, float, float]:
        slope = (self.LATEST - first) / 5
        projected = self.LATEST + slope * (self.TARGET_YEAR - 2024)
        miss = (self.TARGET - projected) / (self.TARGET - self.LATEST)
        return slope, projected, miss

    def _series(self, first: float) -> dict:
        return window(first, self.LATEST, (47.0, 30.0, 55.0, 49.0))

    def test_sun_near_miss(self) -> None:
        slope, projected, miss = self._miss(42.0)
        assert 0 < miss < 0.05
        v = assess_linear(self._series(42.0), "up", self.TARGET, self.TARGET_YEAR)
        assert_consistent(v)
        assert v.status == "sonne"
        assert v.symbol == "☀"
        assert v.label == "Sonne: Ziel wird erreicht"
        assert v.observed_change == pytest.approx(slope)
        assert v.projected_value == pytest.approx(projected)
        assert v.required_change == pytest.approx((self.TARGET - self.LATEST) / 6)

    def test_sun_reached(self) -> None:
        v = assess_linear(self._series(40.0), "up", self.TARGET, self.TARGET_YEAR)
        assert v.status == "sonne"
        hit = 2024 + (self.TARGET - self.LATEST) / ((self.LATEST - 40.0) / 5)
        assert str(math.ceil(hit)) in v.explanation

    def test_partly_cloudy(self) -> None:
        _, _, miss = self._miss(43.0)
        assert 0.05 <= miss <= 0.20
        v = assess_linear(self._series(43.0), "up", self.TARGET, self.TARGET_YEAR)
        assert v.status == "leicht_bewoelkt"
        assert v.symbol == "☀☁"
        assert f"{miss * 100:.0f} %" in v.explanation

    def test_cloud(self) -> None:
        _, _, miss = self._miss(45.0)
        assert miss > 0.20
        v = assess_linear(self._series(45.0), "up", self.TARGET, self.TARGET_YEAR)
        assert v.status == "bewoelkt"
        assert v.symbol == "☁"

    def test_thunderstorm(self) -> None:
        v = assess_linear(self._series(52.5), "up", self.TARGET, self.TARGET_YEAR)
        assert v.status == "gewitter"
        assert v.symbol == "⚡"
        assert v.score == STATUS_SCORES["gewitter"]

    def test_no_change_is_thunderstorm(self) -> None:
        # Destatis: the distance to the target stays constant
        v = assess_linear(self._series(50.0), "up", self.TARGET, self.TARGET_YEAR)
        assert v.status == "gewitter"

    def test_explanation_numbers_in_german_notation(self) -> None:
        slope, projected, _ = self._miss(45.0)
        required = (self.TARGET - self.LATEST) / 6
        v = assess_linear(self._series(45.0), "up", self.TARGET, self.TARGET_YEAR, unit="%")
        assert f"Benötigt: +{de(required)} %-Pkt. pro Jahr" in v.explanation
        assert f"beobachtet: +{de(slope)} %-Pkt. pro Jahr seit 2019" in v.explanation
        assert f"2030 ein Wert von {de(projected)} %" in v.explanation
        assert "(Ziel: 60,0 %)" in v.explanation
        assert "Datengrundlage: 2019–2024" in v.explanation

    def test_direction_down(self) -> None:
        series = window(20.0, 15.0)
        slope = (15.0 - 20.0) / 5
        assert 15.0 + slope * 6 <= 10.0
        assert assess_linear(series, "down", 10.0, 2030).status == "sonne"
        assert assess_linear(window(14.0, 15.0), "down", 10.0, 2030).status == "gewitter"

    def test_fewer_than_four_points(self) -> None:
        series = {2015: 1.0, 2016: 2.0, 2017: 3.0, 2022: 4.0, 2023: None, 2024: 5.0}
        v = assess_linear(series, "up", 10.0, 2030)
        assert_consistent(v)
        assert not v.assessable
        assert "mindestens 4 Werte" in v.explanation
        assert "vorhanden: 2" in v.explanation

    def test_window_is_last_five_years(self) -> None:
        series = {2010: 0.0, **window(40.0, 50.0)}
        v = assess_linear(series, "up", 60.0, 2030)
        assert v.years_used == tuple(range(2019, 2025))
        assert v.observed_change == pytest.approx((50.0 - 40.0) / 5)

    def test_missing_value_inside_window(self) -> None:
        series = window(40.0, 50.0)
        series[2019] = None
        v = assess_linear(series, "up", 60.0, 2030)
        assert v.years_used == (2020, 2021, 2022, 2023, 2024)
        assert v.observed_change == pytest.approx((50.0 - series[2020]) / 4)
        series = window(40.0, 50.0)
        series[2021] = None
        v = assess_linear(series, "up", 60.0, 2030)
        assert "übersprungen: 2021" in v.explanation

    def test_gap_indicator_going_to_zero(self) -> None:
        series = window(3.0, 1.0, (2.6, 2.2, 1.8, 1.4))
        slope = (1.0 - 3.0) / 5
        required = (0.0 - 1.0) / (2035 - 2024)
        assert default_method("zero", "%-Pkt.", series.values()) == "linear"
        v = assess_linear(series, "zero", 0.0, 2035, unit="%-Pkt.")
        assert v.status == "sonne"
        hit = 2024 + 1.0 / abs(slope)
        assert f"voraussichtlich {math.ceil(hit)}" in v.explanation
        assert f"Benötigt: {de(required)} %-Pkt. pro Jahr" in v.explanation
        assert f"beobachtet: {de(slope)} %-Pkt. pro Jahr seit 2019" in v.explanation
        assert [y for y, _ in v.projection] == list(range(2024, 2036))

    def test_gap_indicator_closing_too_slowly(self) -> None:
        series = window(5.0, 4.0)
        slope = (4.0 - 5.0) / 5
        projected = 4.0 + slope * 11
        miss = abs(projected) / 4.0
        assert miss > 0.2
        v = assess_linear(series, "zero", 0.0, 2035, unit="%-Pkt.")
        assert v.status == "bewoelkt"
        assert v.projected_value == pytest.approx(projected)

    def test_gap_indicator_without_target_defaults_to_zero(self) -> None:
        v = assess_linear(window(5.0, 4.0), "zero", None, 2035, unit="%-Pkt.")
        assert v.status == "bewoelkt"
        assert "(Ziel: 0,0 %-Pkt.)" in v.explanation

    def test_gap_indicator_crossing_zero(self) -> None:
        # crossed 0 inside the window and keeps growing on the other side: moving away
        series = window(-1.0, 1.5, (-0.5, 0.0, 0.5, 1.0))
        assert default_method("up", "%", series.values()) == "linear"
        v = assess_linear(series, "zero", 0.0, 2035, unit="%-Pkt.")
        assert v.status == "gewitter"
        assert "Abstand zu 0 wächst" in v.explanation
        # crossing 0 in the projection before the target year: the gap closes
        v = assess_linear(window(4.0, 1.5), "zero", 0.0, 2035, unit="%-Pkt.")
        assert v.status == "sonne"
        assert v.projected_value is not None and v.projected_value < 0
        assert "rein rechnerische" in v.explanation

    def test_gap_at_parity_drifting_away(self) -> None:
        # parity today, but the average change leads away from it by 2035
        v = assess_linear(window(-1.0, 0.0), "zero", 0.0, 2035, unit="%-Pkt.")
        assert v.status == "gewitter"
        assert "derzeit erreicht" in v.explanation
        assert assess_linear(window(0.0, 0.0), "zero", 0.0, 2035).status == "sonne"

    def test_direction_only(self) -> None:
        assert assess_linear(window(40.0, 50.0), "up").status == "sonne"
        assert assess_linear(window(50.0, 40.0), "up").status == "gewitter"
        assert assess_linear(window(50.0, 50.0), "up").status == "gewitter"
        assert assess_linear(window(50.0, 40.0), "down").status == "sonne"
        v = assess_linear(window(40.0, 50.0), "up")
        assert v.projection == () and v.projected_value is None
        assert "nur die Richtung" in v.explanation

    def test_target_year_passed(self) -> None:
        v = assess_linear(window(40.0, 50.0), "up", 60.0, 2020)
        assert v.status == "bewoelkt"
        assert v.projected_value == pytest.approx(50.0)
        assert v.required_change is None
        assert assess_linear(window(40.0, 61.0), "up", 60.0, 2020).status == "sonne"

    def test_target_met_but_lost(self) -> None:
        v = assess_linear(window(66.0, 62.0), "up", 60.0, 2030)
        assert v.status == "gewitter"
        assert "derzeit erreicht" in v.explanation

    def test_context(self) -> None:
        assert not assess_linear(window(1.0, 2.0), "context").assessable

    def test_series_break_shortens_window_where_enough_values_follow_it(self) -> None:
        series = {2019: 40.0, 2020: 44.0, 2021: 45.0, 2022: 46.0, 2023: 47.0, 2024: 48.0}
        v = assess_linear(series, "up", 60.0, 2030, breaks=[2020])
        assert v.assessable and v.years_used == (2020, 2021, 2022, 2023, 2024)
        assert v.observed_change == pytest.approx(1.0)  # (48 - 44) / 4, not from 2019 across the break

    def test_a_recent_break_does_not_make_the_last_five_years_unassessable(self) -> None:
        """Issue 25: Destatis measures the last five years; a break in 2023 left three values after it, and the
        verdict was „nicht bewertbar (mindestens 4 Werte)“ although 2020–2025 were there. Now measured across the
        break, and the verdict says so."""
        series = {2020: 40.2, 2021: 41.8, 2022: 42.9, 2023: 38.8, 2024: 41.4, 2025: 43.2}
        v = assess_linear(series, "up", 49.6, 2030, breaks=[2023])
        assert v.assessable and v.years_used == (2020, 2021, 2022, 2023, 2024, 2025)
        assert v.observed_change == pytest.approx((43.2 - 40.2) / 5)
        assert v.status == "bewoelkt"
        assert (
            "Seit dem Bruch der Zeitreihe 2023 liegen erst 3 Werte vor, zu wenige für die Methode (mindestens 4); "
            "gemessen wird daher, wie bei Destatis, über die letzten fünf Jahre einschließlich des Bruchs."
        ) in v.explanation
        assert "Nicht bewertbar" not in v.explanation
        # too few values even across the break: still not assessable, naming the break
        v = assess_linear({2023: 38.8, 2024: 41.4, 2025: 43.2}, "up", 49.6, 2030, breaks=[2023])
        assert not v.assessable

    def test_the_demo_beschaeftigungsquote_with_base_year_2023_is_assessed_by_the_weather_method(self) -> None:
        from indicators import verdicts
        from indicators.catalog import load_catalog
        from indicators.targets import Target

        ind = load_catalog(Path(progress.__file__).parent / "definitions").indicators["beschaeftigungsquote_ausl"]
        series = {2019: 40.7, 2020: 40.2, 2021: 41.8, 2022: 42.9, 2023: 38.8, 2024: 41.4, 2025: 43.2}
        target = Target("beschaeftigungsquote_ausl", 49.6, 2030, baseline_year=2023, method="linear")
        st = verdicts.evaluate(ind, series, target, 2019)
        assert st.verdict.assessable and st.verdict.years_used[0] == 2020, st.verdict.explanation


# ---------------------------------------------------------------------------------------------
# Soll path
# ---------------------------------------------------------------------------------------------


class TestSollpfad:
    PATH = linear_path(2019, 50.0, 2025, 56.0)

    def test_linear_path(self) -> None:
        assert {y: pytest.approx(50.0 + (y - 2019)) for y in range(2019, 2026)} == self.PATH
        assert linear_path(2020, 3.0, 2020, 0.0) == {2020: 0.0}
        with pytest.raises(ValueError):
            linear_path(2025, 1.0, 2020, 0.0)

    @pytest.mark.parametrize(
        ("shortfall", "status"),
        [
            (-1.0, "gruen"),
            (0.3, "gruen"),
            (0.5, "gruen"),
            (0.8, "gelb"),
            (1.0, "gelb"),
            (1.5, "rot"),
        ],
    )
    def test_status_up(self, shortfall: float, status: str) -> None:
        soll = self.PATH[2023]
        series = {2019: 50.0, 2020: 51.0, 2021: 52.0, 2022: 53.0, 2023: soll - shortfall}
        v = assess_sollpfad(series, self.PATH, "up", 0.5, 1.0)
        assert_consistent(v)
        assert v.status == status
        assert v.score == STATUS_SCORES[status]
        assert v.years_used == (2019, 2020, 2021, 2022, 2023)

    def test_labels_and_symbols(self) -> None:
        assert (STATUS_LABELS["gruen"], STATUS_LABELS["gelb"], STATUS_LABELS["rot"]) == (
            "im Soll",
            "knapp hinter dem Soll",
            "deutlich hinter dem Soll",
        )
        assert len({STATUS_SYMBOLS[s] for s in ("gruen", "gelb", "rot")}) == 3

    def test_direction_down_and_zero(self) -> None:
        path = linear_path(2020, 10.0, 2024, 6.0)
        assert assess_sollpfad({2023: 6.5}, path, "down", 0.5, 1.0).status == "gruen"
        assert assess_sollpfad({2023: 7.8}, path, "down", 0.5, 1.0).status == "gelb"
        assert assess_sollpfad({2023: 9.0}, path, "down", 0.5, 1.0).status == "rot"
        gap = linear_path(2020, 4.0, 2024, 0.0)
        assert assess_sollpfad({2023: -1.2}, gap, "zero", 0.5, 1.0).status == "gruen"
        assert assess_sollpfad({2023: -2.0}, gap, "zero", 0.5, 1.0).status == "gelb"

    def test_latest_year_with_both_values_and_explanation(self) -> None:
        series = {2019: 50.0, 2020: 50.5, 2021: None, 2022: 52.0, 2023: 53.4, 2024: None}
        v = assess_sollpfad(series, self.PATH, "up", 0.5, 1.0)
        soll = self.PATH[2023]
        deviation = 53.4 - soll
        assert v.status == "gelb"
        assert f"{fmt_change(deviation, '%-Pkt.')}" in v.explanation
        assert f"{de(soll)} %" in v.explanation
        assert "53,4 %" in v.explanation
        assert "Für 2024 liegt kein Istwert vor" in v.explanation
        assert "übersprungen: 2021" in v.explanation
        assert v.observed_change == pytest.approx((53.4 - 50.0) / 4)
        assert v.required_change == pytest.approx(1.0)
        assert v.projected_value == pytest.approx(53.4 + (53.4 - 50.0) / 4 * 2)

    def test_table(self) -> None:
        series = {2018: 49.0, 2019: 50.0, 2020: 50.2, 2021: None, 2022: 51.5, 2026: 58.0}
        rows = sollpfad_table(series, self.PATH, "up", 0.5, 1.0)
        assert [r["year"] for r in rows] == list(range(2019, 2027))
        by_year = {r["year"]: r for r in rows}
        assert by_year[2019]["abweichung"] == pytest.approx(0.0)
        assert by_year[2019]["status"] == "gruen"
        assert by_year[2020]["abweichung"] == pytest.approx(50.2 - 51.0)
        assert by_year[2020]["status"] == "gelb"
        assert by_year[2021]["ist"] is None and by_year[2021]["status"] is None
        assert by_year[2022]["status"] == "rot"
        assert by_year[2022]["label"] == "deutlich hinter dem Soll"
        assert by_year[2023]["ist"] is None and by_year[2023]["soll"] == pytest.approx(54.0)
        assert by_year[2026]["soll"] is None and by_year[2026]["abweichung"] is None
        assert set(rows[0]) >= {"year", "soll", "ist", "abweichung", "status"}

    def test_not_assessable(self) -> None:
        assert not assess_sollpfad({2023: 1.0}, {}, "up", 0.5, 1.0).assessable
        assert not assess_sollpfad({2018: 1.0}, self.PATH, "up", 0.5, 1.0).assessable
        assert not assess_sollpfad({2023: 1.0}, self.PATH, "context", 0.5, 1.0).assessable

    def test_invalid_tolerances(self) -> None:
        with pytest.raises(ValueError):
            assess_sollpfad({2023: 1.0}, self.PATH, "up", 1.0, 0.5)


# ---------------------------------------------------------------------------------------------
# Method choice and dispatcher
# ---------------------------------------------------------------------------------------------


class TestDispatch:
    def test_default_method(self) -> None:
        assert default_method("up", "%", [10.0, 12.0]) == "opensdg"
        assert default_method("down", "Anzahl", {2020: 5.0, 2021: None}) == "opensdg"
        assert default_method("zero", "%", [1.0, 2.0]) == "linear"
        assert default_method("up", "%-Pkt.", [1.0, 2.0]) == "linear"
        assert default_method("up", "%", [0.0, 2.0]) == "linear"
        assert default_method("up", "%", [-1.0, 2.0]) == "linear"

    def test_assess_dispatches(self) -> None:
        series = two_points(10.0, 12.0)
        expected = assess_opensdg(series, "up", 16.0, 2030)
        assert assess("opensdg", series, "up", 16.0, 2030) == expected
        lin = window(40.0, 50.0)
        assert assess("linear", lin, "up", 60.0, 2030) == assess_linear(lin, "up", 60.0, 2030)

    def test_assess_sollpfad_derives_linear_path(self) -> None:
        series = {2019: 50.0, 2020: 50.5, 2021: 51.0, 2022: 51.9, 2023: 52.0}
        v = assess("sollpfad", series, "up", target=56.0, target_year=2025, tolerance=0.5, tolerance2=1.0)
        path = linear_path(2019, 50.0, 2025, 56.0)
        explicit = assess_sollpfad(series, path, "up", 0.5, 1.0)
        assert v.status == explicit.status == "rot"  # Soll 2023 = 54, Ist 52
        assert v.score == explicit.score and v.projection == explicit.projection
        assert v.explanation.startswith(explicit.explanation)
        assert "im Basisjahr 2019 (erstes Jahr mit Wert)" in v.explanation
        missing = assess("sollpfad", series, "up")
        assert not missing.assessable

    def test_unknown_method_or_direction(self) -> None:
        with pytest.raises(ValueError):
            assess("magic", {2020: 1.0}, "up")
        with pytest.raises(ValueError):
            assess("opensdg", {2020: 1.0}, "sideways")


# ---------------------------------------------------------------------------------------------
# Roll-up
# ---------------------------------------------------------------------------------------------


def make(status: str, score: float | None = None) -> Verdict:
    if status == "nicht_bewertbar":
        score = None
    elif score is None:
        score = STATUS_SCORES[status]
    return Verdict(
        method="opensdg",
        status=status,
        score=score,
        label=STATUS_LABELS[status],
        symbol=STATUS_SYMBOLS[status],
        explanation="",
        assessable=status != "nicht_bewertbar",
    )


class TestRollup:
    def test_score_mapping_for_weather_and_soll_path(self) -> None:
        # each state sits in the middle of the Open SDG band with the same meaning
        bands = {
            "sonne": "substantial_progress",
            "gruen": "substantial_progress",
            "leicht_bewoelkt": "moderate_progress",
            "gelb": "moderate_progress",
            "bewoelkt": "limited_progress",
            "gewitter": "deterioration",
            "rot": "deterioration",
        }
        for status, band in bands.items():
            assert rollup([make(status)])["status"] == band

    @pytest.mark.parametrize(
        ("scores", "status"),
        [
            ([5.0, 0.0], "substantial_progress"),  # mean 2.5
            ([2.4999, 2.5], "moderate_progress"),
            ([0.0], "moderate_progress"),
            ([-0.01], "limited_progress"),
            ([-2.5], "limited_progress"),
            ([-2.51], "deterioration"),
            ([-5.0, -5.0], "deterioration"),
        ],
    )
    def test_bands(self, scores: list[float], status: str) -> None:
        result = rollup([make("moderate_progress", s) for s in scores])
        assert result["score"] == pytest.approx(sum(scores) / len(scores))
        assert result["status"] == status
        assert result["label"] == STATUS_LABELS[status]
        assert result["symbol"] == STATUS_SYMBOLS[status]

    def test_counts_and_not_assessable_ignored(self) -> None:
        verdicts = [
            make("sonne"),
            make("gewitter"),
            make("gruen"),
            make("nicht_bewertbar"),
            make("nicht_bewertbar"),
        ]
        result = rollup(verdicts)
        expected = (STATUS_SCORES["sonne"] + STATUS_SCORES["gewitter"] + STATUS_SCORES["gruen"]) / 3
        assert result["score"] == pytest.approx(expected)
        assert result["counts"] == {"sonne": 1, "gewitter": 1, "gruen": 1, "nicht_bewertbar": 2}
        assert result["assessable"] == 3
        assert result["not_assessable"] == 2

    def test_empty_and_only_not_assessable(self) -> None:
        for verdicts in ([], [make("nicht_bewertbar")]):
            result = rollup(verdicts)
            assert result["score"] is None
            assert result["status"] == "nicht_bewertbar"
            assert result["label"] == "nicht bewertbar"
            assert result["assessable"] == 0
            assert result["not_assessable"] == len(verdicts)
        assert rollup([])["counts"] == {}

    def test_all_targets_achieved(self) -> None:
        assert rollup([make("target_achieved")] * 2)["status"] == "target_achieved"
        mixed = rollup([make("target_achieved"), make("substantial_progress", 4.0)])
        assert mixed["status"] == "substantial_progress"
        assert mixed["score"] == pytest.approx(4.5)

    def test_rollup_of_real_verdicts(self) -> None:
        verdicts = [
            assess_opensdg(two_points(10.0, 12.0), "up", target=16.0, target_year=2030),
            assess_linear(window(45.0, 50.0), "up", 60.0, 2030),
            assess_opensdg(two_points(10.0, 12.0), "context"),
        ]
        result = rollup(verdicts)
        scores = [v.score for v in verdicts if v.assessable]
        assert result["score"] == pytest.approx(sum(scores) / 2)
        # a context indicator is not "nicht bewertbar": it is counted apart
        assert result["not_assessable"] == 0
        assert result["context"] == 1


def test_core_does_not_import_streamlit() -> None:
    source = Path(progress.__file__).read_text(encoding="utf-8")
    assert "streamlit" not in source
    assert "duckdb" not in source
