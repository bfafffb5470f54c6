"""Numbers as people here type them: ``30,5`` and ``1.234,5``; ``30.5`` where it cannot mean anything else."""

from __future__ import annotations

import pytest

from indicators import fmt
from indicators.errors import UserError
from indicators.fmt import NumberError, fmt_exact, fmt_input, fmt_num, fmt_value, parse_number, with_flag


@pytest.mark.parametrize(
    "text,expected",
    [
        ("30,5", 30.5),
        ("14,5", 14.5),
        ("1.234,5", 1234.5),
        ("1.234.567,25", 1234567.25),
        ("1.234.567", 1234567.0),
        ("30.5", 30.5),
        ("0.123", 0.123),  # a leading zero cannot be a group of thousands
        ("1.23", 1.23),
        ("12.3456", 12.3456),
        ("1234,5", 1234.5),
        ("1234.5", 1234.5),
        ("1,234.5", 1234.5),  # English notation with both separators is unambiguous
        ("0", 0.0),
        ("57", 57.0),
        ("-0,4", -0.4),
        ("−0,4", -0.4),  # typographic minus, as copied from a report
        ("+1,2", 1.2),
        ("  30,5  ", 30.5),
        ("30,5 %", 30.5),
        ("30,5%", 30.5),
        ("1 234,5", 1234.5),
        ("1\u00a0234,5", 1234.5),  # no-break space, as Excel copies it
        ("1\u202f234,5", 1234.5),  # narrow no-break space
        (",5", 0.5),
        ("5,", 5.0),
    ],
)
def test_parse_number_accepts_german_and_unambiguous_notation(text, expected):
    assert parse_number(text, "Zielwert") == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    [
        "3x",
        "abc",
        "1,2,3",
        "1.2.3",
        "1,23.4",
        "1.234,5,6",
        "12.34,5",
        "1 23",
        "--1",
        "nan",
        "inf",
        "1e5",
        "%",
        "1.234.5",
        "0x10",
        "1,234,567",
    ],
)
def test_parse_number_rejects_what_is_not_a_number(text):
    with pytest.raises(NumberError) as err:
        parse_number(text, "Zielwert")
    msg = str(err.value)
    assert msg.startswith("Feld „Zielwert“:"), msg
    assert f"„{text.strip()}“" in msg
    assert "Beispiel: 30,5" in msg


def test_parse_number_error_message_names_field_and_example():
    with pytest.raises(NumberError) as err:
        parse_number("3x", "Zielwert")
    assert str(err.value) == "Feld „Zielwert“: „3x“ ist keine Zahl. Beispiel: 30,5"
    assert isinstance(err.value, UserError) and isinstance(err.value, ValueError)


@pytest.mark.parametrize("text", ["1.234", "12.500", "-1.000", "999.999"])
def test_parse_number_refuses_ambiguous_dot(text):
    """``1.234`` is 1234 for a German reader and 1,234 for an English one: ask instead of guessing."""
    with pytest.raises(NumberError) as err:
        parse_number(text, "Toleranz")
    msg = str(err.value)
    assert msg.startswith("Feld „Toleranz“:") and "mehrdeutig" in msg, msg
    assert "Komma" in msg


def test_parse_number_empty():
    with pytest.raises(NumberError) as err:
        parse_number("  ", "Zielwert")
    assert str(err.value) == "Feld „Zielwert“: bitte eine Zahl angeben. Beispiel: 30,5"
    assert parse_number("", "Toleranz", required=False) is None
    assert parse_number(None, "Toleranz", required=False) is None


@pytest.mark.parametrize(
    "value,expected",
    [
        (30.5, "30,5"),
        (57.4, "57,4"),
        (57.40000000001, "57,4"),
        (1234.5, "1234,5"),
        (0.0, "0"),
        (-0.4, "-0,4"),
        (12.55, "12,55"),
        (1.0, "1"),
        (1234567.0, "1234567"),
        (None, ""),
        (float("nan"), ""),
        (0.123, "0,123"),
    ],
)
def test_fmt_input_is_german_without_thousands_dot(value, expected):
    """What an input field shows: German decimal comma, no grouping (``1.234`` would be ambiguous on re-entry)."""
    assert fmt_input(value) == expected


@pytest.mark.parametrize("value", [30.5, 1234.5, 0.123, -7.25, 1234567.0, 12.55, 99.99])
def test_fmt_input_round_trips(value):
    assert parse_number(fmt_input(value), "Wert") == pytest.approx(value)


@pytest.mark.parametrize(
    "value,decimals,expected",
    [
        (32.25, 1, "32,3"),
        (0.15, 1, "0,2"),
        (2.5, 0, "3"),
        (-2.5, 0, "-3"),
        (1234.45, 1, "1.234,5"),
        (14.94, 1, "14,9"),
        (-0.04, 1, "0,0"),
        (1e20, 0, "100.000.000.000.000.000.000"),
    ],
)
def test_fmt_num_rounds_half_up_as_written(value, decimals, expected):
    """A typed 32,25 is shown as 32,3 (kaufmännisch gerundet), not 32,2 (binary float, half to even)."""
    assert fmt_num(value, decimals) == expected


def test_fmt_value_of_a_typed_target():
    assert fmt_value(parse_number("32,25", "Zielwert"), "%") == "32,3 %"


@pytest.mark.parametrize(
    "value,unit,expected",
    [
        (32.25, "%", "32,25 %"),
        (30.5, "%", "30,5 %"),
        (30.0, "%", "30,0 %"),
        (1234.5, "Anzahl", "1.234,5"),
        (16.0, "Anzahl", "16"),
        (0.1 + 0.2, "%", "0,3 %"),
        (-0.125, "%-Pkt.", "-0,125 %-Pkt."),
        (None, "%", "–"),
    ],
)
def test_fmt_exact_keeps_typed_decimals(value, unit, expected):
    """A target is shown as it was typed: 32,25 % stays 32,25 %, 1.234,5 Lotsen are not 1.235."""
    assert fmt_exact(value, unit) == expected


@pytest.mark.parametrize(
    "flag, expected",
    [
        ("()", "(4,4 %)"),  # Aussagewert eingeschränkt: the value in brackets, as the offices print it
        ("p", "4,4 % (p)"),
        ("~5", "4,4 % (~5)"),
        (" () ", "(4,4 %)"),
        ("", "4,4 %"),
        (None, "4,4 %"),
        (float("nan"), "4,4 %"),
    ],
)
def test_value_with_official_symbol(flag, expected):
    assert with_flag(fmt_value(4.4, "%"), flag) == expected


def test_points_in_time_look_the_same_everywhere():
    """Upload history, strategy and Verwaltung wrote times in two ways ('29.11.2026 08:15' and '29.11.2026, 08:12 Uhr')."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from indicators.fmt import fmt_date, fmt_datetime

    t = dt.datetime(2026, 11, 29, 8, 15, 42, tzinfo=ZoneInfo("Europe/Berlin"))
    assert fmt_date(t, with_time=True) == fmt_datetime(t) == "29.11.2026, 08:15 Uhr"
    # a server clock on UTC: shown in German local time (winter: one hour later)
    assert fmt_datetime(dt.datetime(2026, 11, 29, 7, 15, tzinfo=dt.UTC)) == "29.11.2026, 08:15 Uhr"
    assert fmt_date(t) == "29.11.2026" and fmt_date(t.date(), with_time=True) == "29.11.2026"


@pytest.mark.parametrize(
    ("word", "broken"),
    [
        ("Stabsstelle", "Stabs-stelle"),  # was Stab-s-stelle: no piece of a single letter
        ("Arbeitsmarktintegration", "Arbeits-markt-in-te-gra-tion"),  # was Arbeits-mark-tin-te-gra-tion
        ("Migrationsgeschichte", "Migra-ti-ons-ge-schichte"),
        ("Einbürgerungsquote", "Ein-bür-ge-rungs-quote"),
        ("Peine", "Peine"),  # short words stay whole
    ],
)
def test_long_words_break_only_where_german_allows(word, broken):
    """The soft hyphens of narrow table columns (the measures table, the projector): the breaks a reader expects."""
    assert fmt.hyphenate(word) == broken.replace("-", fmt.SOFT_HYPHEN)
    assert fmt.hyphenate(f"Die {word} 2025").replace(fmt.SOFT_HYPHEN, "") == f"Die {word} 2025"
