"""One definition of an upload's diff (issue 9, section 6): the preview compares a file with the current
state of the cells it touches, the history compares an upload with the state before it, and both give
the same counts and the same previous values for the same upload. A file that delivers one variable for
some years removes nothing."""

from __future__ import annotations

import pandas as pd
from conftest import obs

from indicators.ingest import diff, pipeline
from indicators.ingest.base import RawFile
from indicators.ingest.template import write_template
from indicators.store import OBS_KEY

YEARS = range(2015, 2021)
#: the first version: two variables for six years
FIRST = [{"variable": "einbuergerungen", "region": "03157", "year": y, "value": 100 + y - 2015} for y in YEARS] + [
    {"variable": "bevoelkerung", "region": "03157", "year": y, "value": 130000 + y} for y in YEARS
]


def _raw(m, tmp_path, name: str, rows: list[dict]) -> RawFile:
    regions = list(m.store.regions()[["key", "name"]].itertuples(index=False, name=None))
    path = write_template(tmp_path / name, obs(rows), m.catalog, regions)
    return RawFile(path.name, path.read_bytes())


def _preview(m, raw: RawFile):
    parsed = pipeline.preview(raw, m.store, m.catalog, m.settings)
    assert not parsed.errors, [p.text() for p in parsed.errors]
    return parsed


def _upload(m, tmp_path, name: str, rows: list[dict]) -> int:
    result = pipeline.commit(_preview(m, _raw(m, tmp_path, name, rows)), m.store, m.catalog, m.settings, "test")
    assert result.status == "importiert", result.errors
    return result.upload_id


def _rows(d: diff.Diff) -> list[tuple]:
    def num(x):
        return None if pd.isna(x) else float(x)

    return sorted(
        (
            (r["change"], r["variable"], int(r["year"]), num(r["old_value"]), num(r["new_value"]))
            for r in d.changes.to_dict("records")
        ),
        key=str,
    )


def test_history_counts_and_previous_values_equal_the_preview(tmp_monitor, tmp_path):
    m = tmp_monitor
    _upload(m, tmp_path, "v1.xlsx", FIRST)
    second = [
        {"variable": "einbuergerungen", "region": "03157", "year": 2016, "value": 111},  # was 101
        {"variable": "einbuergerungen", "region": "03157", "year": 2017, "value": 122},  # was 102
        {"variable": "einbuergerungen", "region": "03157", "year": 2018, "value": 133},  # was 103
        {"variable": "einbuergerungen", "region": "03157", "year": 2019, "value": 104},  # unchanged
        {"variable": "einbuergerungen", "region": "03157", "year": 2021, "value": 140},
    ]  # new
    parsed = _preview(m, _raw(m, tmp_path, "v2.xlsx", second))
    before = diff.changed_against_current(parsed.data, m.store)
    assert before.counts == {"neu": 1, "geändert": 3, "unverändert": 1}
    result = pipeline.commit(parsed, m.store, m.catalog, m.settings, "test", diff=before.counts)
    after = diff.upload_diff(m.store, result.upload_id)
    assert after.counts == before.counts == result.diff
    assert (
        _rows(after)
        == _rows(before)
        == [
            ("geändert", "einbuergerungen", 2016, 101.0, 111.0),
            ("geändert", "einbuergerungen", 2017, 102.0, 122.0),
            ("geändert", "einbuergerungen", 2018, 103.0, 133.0),
            ("neu", "einbuergerungen", 2021, None, 140.0),
        ]
    )
    # the page shows only the changed values, both before and after the confirmation
    only = diff.upload_diff(m.store, result.upload_id, include_new=False)
    assert set(only.changes["change"]) == {"geändert"} and only.changes["old_value"].notna().all()


def test_a_file_for_some_years_of_one_variable_removes_nothing(tmp_monitor, tmp_path):
    m = tmp_monitor
    _upload(m, tmp_path, "v1.xlsx", FIRST)
    upload_id = _upload(
        m, tmp_path, "korrektur.xlsx", [{"variable": "einbuergerungen", "region": "03157", "year": 2016, "value": 99}]
    )
    d = diff.upload_diff(m.store, upload_id)
    assert d.counts == {"neu": 0, "geändert": 1, "unverändert": 0}
    assert d.counts.get("entfernt", 0) == 0 and "entfernt" not in set(d.changes["change"])
    assert m.store.scalar("SELECT count(*) FROM obs_current") == len(FIRST)  # nothing left the current state


def test_state_before_an_upload_is_the_state_at_its_time(tmp_monitor, tmp_path):
    """Later uploads do not change an upload's diff; an upload rolled back before it does not count,
    one rolled back after it does (it was the state then)."""
    m = tmp_monitor

    def cell(value: float) -> list[dict]:
        return [{"variable": "einbuergerungen", "region": "03157", "year": 2016, "value": value}]

    _upload(m, tmp_path, "v1.xlsx", FIRST)  # 2016: 101
    v2 = _upload(m, tmp_path, "v2.xlsx", cell(150))
    pipeline.rollback(v2, m.store, m.catalog, m.settings, "test")
    v3 = _upload(m, tmp_path, "v3.xlsx", cell(170))  # replaces 101 (v2 was already rolled back)
    v4 = _upload(m, tmp_path, "v4.xlsx", cell(190))  # replaces 170
    pipeline.rollback(v3, m.store, m.catalog, m.settings, "test")
    olds = {u: _rows(diff.upload_diff(m.store, u)) for u in (v2, v3, v4)}
    assert olds[v2] == [("geändert", "einbuergerungen", 2016, 101.0, 150.0)]
    assert olds[v3] == [("geändert", "einbuergerungen", 2016, 101.0, 170.0)]
    assert olds[v4] == [("geändert", "einbuergerungen", 2016, 170.0, 190.0)]


def test_counts_agree_with_a_plain_pandas_comparison(tmp_monitor, tmp_path):
    """The oracle: the upload's rows merged in pandas with the newest earlier row of each key."""
    m = tmp_monitor
    _upload(m, tmp_path, "v1.xlsx", FIRST)
    rows = [{**r, "value": r["value"] + (1 if r["year"] % 2 else 0)} for r in FIRST if r["year"] >= 2017]
    rows += [{"variable": "einbuergerungen", "region": "03157001", "year": 2018, "value": 7}]
    upload_id = _upload(m, tmp_path, "v2.xlsx", rows)
    obs_all = m.store.query_df("SELECT * FROM observations")
    new = obs_all[obs_all["upload_id"] == upload_id]
    old = obs_all[obs_all["upload_id"] < upload_id].sort_values("upload_id").drop_duplicates(list(OBS_KEY), keep="last")
    both = new.merge(old, on=list(OBS_KEY), how="left", suffixes=("", "_alt"), indicator=True)
    known = both[both["_merge"] == "both"]
    same = (known["value"] == known["value_alt"]) & (known["flag"].fillna("") == known["flag_alt"].fillna(""))
    expected = {
        "neu": int((both["_merge"] == "left_only").sum()),
        "geändert": int((~same).sum()),
        "unverändert": int(same.sum()),
    }
    assert diff.upload_diff(m.store, upload_id).counts == expected
    assert expected == {"neu": 1, "geändert": 4, "unverändert": 4}
    assert isinstance(diff.upload_diff(m.store, upload_id, limit=1).changes, pd.DataFrame)
    assert diff.upload_diff(m.store, upload_id, limit=1).shown == 1
