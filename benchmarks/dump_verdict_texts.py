"""Dump every verdict text the monitor shows, to compare the wording before and after a change (issue 26).

    .venv/bin/python -m indicators --db /tmp/v/monitor.duckdb init --demo
    .venv/bin/python benchmarks/dump_verdict_texts.py /tmp/v/monitor.duckdb > /tmp/v/after.txt
    diff /tmp/v/before.txt /tmp/v/after.txt && echo identical

Two parts: (1) the demo database -- every indicator of every region (the own region with its targets) under its
own method and under each of the three methods, the texts the pages and the report build from a verdict
(one sentence, the change, the field roll-ups, the Soll/Ist table, the report's entries); (2) a grid of
synthetic series (gaps, breaks, zeros, negative values, targets met and missed) through every method and
direction, so that branches the demo data never reach are compared too. Reads the database only.
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import replace

from indicators import progress, queries, verdicts, wording
from indicators.report import content
from indicators.service import open_monitor
from indicators.wording import change_text, rollup_details


def _items(d: dict) -> list[tuple[str, object]]:
    """A dict's items sorted, a status as the text it is shown as (an enum member's repr is never shown)."""
    return sorted((str(k), str(v) if isinstance(v, str) else v) for k, v in d.items())


def _verdict_lines(key: str, v: progress.Verdict) -> list[str]:
    return [
        f"{key} | {v.method} | {v.status} | {v.label} | {v.symbol} | {v.score!r} | {v.assessable}",
        f"{key} | numbers | {v.observed_change!r} | {v.required_change!r} | {v.projected_value!r} | {v.years_used}",
        f"{key} | projection | {v.projection}",
        f"{key} | explanation | {v.explanation}",
    ]


def _demo(db: str) -> list[str]:
    out: list[str] = []
    monitor = open_monitor(db, read_only=True)
    store, cat = monitor.store, monitor.catalog
    regions = [r[0] for r in store.query("SELECT DISTINCT region FROM indicator_values ORDER BY region")]
    own = queries.own_region()
    for region in [own, *[r for r in regions if r != own]]:
        statuses = verdicts.all_statuses(store, cat, region)
        for ind_id, st in statuses.items():
            key = f"demo {region} {ind_id}"
            v = st.verdict
            out += _verdict_lines(key, v)
            out.append(f"{key} | one_sentence | {wording.one_sentence(st.indicator, v)}")
            for change in (-1.0, -0.01, 0.0, 0.02, 2.5):
                out.append(
                    f"{key} | change {change} | {change_text(change, st.indicator.unit, st.indicator.direction, v)}"
                )
            out.append(f"{key} | trend | {progress.trend_sign(v, st.indicator.direction)}")
            if st.target is not None:
                for method in progress.METHODS:
                    other = verdicts.evaluate(st.indicator, st.series, replace(st.target, method=method))
                    out += _verdict_lines(f"{key} as {method}", other.verdict)
                path = st.soll_path()
                if path:
                    for row in progress.sollpfad_table(st.series, path, st.indicator.direction, 0.5, 1.0):
                        out.append(f"{key} | soll row | {_items(row)}")
        for field_id, r in verdicts.field_rollups(cat, statuses).items():
            out.append(f"demo {region} field {field_id} | {_items(r)} | {rollup_details(r)}")
    report = content.build(monitor, content.Selection())
    for e in report.entries:
        key = f"report {e.ind.id}"
        out += [f"{key} | {e.verdict_text} | {e.sentence} | {e.change_text} | {e.method_text}"]
    for fe in report.fields:
        out.append(f"report field {fe.field.id} | {fe.rollup_text}")
    monitor.close()
    return out


_SERIES: dict[str, dict[int, float | None]] = {
    "rising": {2015: 10.0, 2016: 10.5, 2017: 11.0, 2018: 11.6, 2019: 12.0, 2020: 12.4},
    "falling": {2015: 12.0, 2016: 11.6, 2017: 11.0, 2018: 10.8, 2019: 10.2, 2020: 10.0},
    "flat": {2016: 5.0, 2017: 5.0, 2018: 5.0, 2019: 5.0, 2020: 5.0},
    "slow": {2015: 50.0, 2016: 50.1, 2017: 50.2, 2018: 50.3, 2019: 50.35, 2020: 50.4},
    "gaps": {2014: 3.0, 2015: None, 2016: 3.4, 2017: 3.5, 2018: None, 2019: 3.9, 2020: 4.1, 2021: None, 2022: None},
    "gap_closing": {2016: -4.0, 2017: -3.2, 2018: -2.5, 2019: -1.6, 2020: -0.9},
    "gap_crossing": {2016: -1.0, 2017: -0.6, 2018: -0.2, 2019: 0.3, 2020: 0.6},
    "negative": {2015: -8.0, 2016: -7.5, 2017: -7.0, 2018: -6.2, 2019: -6.0},
    "zero_base": {2015: 0.0, 2016: 0.5, 2017: 1.0, 2018: 1.2, 2019: 1.5},
    "two_points": {2018: 20.0, 2020: 22.0},
    "one_point": {2020: 7.0},
    "empty": {},
    "all_missing": {2019: None, 2020: None},
    "counts": {2015: 1200.0, 2016: 1350.0, 2017: 1280.0, 2018: 1500.0, 2019: 1650.0, 2020: 1710.0},
}
_TARGETS: list[tuple[float | None, int | None, int | None]] = [
    (None, None, None),
    (15.0, 2030, None),
    (15.0, None, None),
    (11.0, 2025, 2016),
    (0.0, 2030, None),
    (9.0, 2030, 2017),
    (12.4, 2020, None),
    (-5.0, 2028, None),
    (50.5, 2022, 2010),
    (2000.0, 2026, None),
    (10.0, 2030, 2015),
    (15.0, 2035, 2030),  # no value from the base year on
    (15.0, 2016, 2016),  # target year not after the base year
    (15.0, 2014, 2016),  # target year before the base year
    (17.3, 2030, None),  # missed by less than 5 % (rising)
]


def _grid() -> list[str]:
    out: list[str] = []
    combos = itertools.product(_SERIES.items(), _TARGETS, progress.DIRECTIONS, progress.METHODS)
    for (name, series), (target, year, base), direction, method in combos:
        for unit, limit, breaks, default_base in (("%", None, (), None), ("Anzahl", 60.0, (2017,), 2016)):
            key = f"grid {name} {target} {year} {base} {direction} {method} {unit}"
            v = progress.assess(
                method,
                series,
                direction,
                target,
                year,
                base,
                limit,
                unit,
                tolerance=0.2 if unit == "%" else None,
                tolerance2=0.6 if unit == "%" else None,
                breaks=breaks,
                default_base_year=default_base,
            )
            out += _verdict_lines(key, v)
    path = {2016: 10.0, 2018: 11.0, 2020: 12.0, 2022: 13.0}
    for (name, series), direction in itertools.product(_SERIES.items(), ("up", "down", "zero")):
        for tol in ((0.0, 0.0), (0.3, 0.9)):
            v = progress.assess_sollpfad(series, path, direction, *tol, unit="%-Pkt.")
            out += _verdict_lines(f"grid path {name} {direction} {tol}", v)
    for empty_path in ({}, {2020: None}):
        out += _verdict_lines(
            f"grid path {empty_path}", progress.assess_sollpfad(_SERIES["rising"], empty_path, "up", 0, 0)
        )
    return out


def main(argv: list[str]) -> int:
    lines = _demo(argv[1]) + _grid()
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
