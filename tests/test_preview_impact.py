"""The upload preview tells which indicator values of the own Kreis an import would make disappear, appear or
change, before anything is written (review: a GENESIS file of Gemeinden with one '.' removed the Kreis's 2021 values
of three indicators without a word; the preview said '0 Fehler, 0 Warnungen').

The core tries the import in a transaction that is rolled back (indicators/ingest/impact.py); the page, the command
line's dry run and the warnings count show the result."""

from __future__ import annotations

import json
import re

import pandas as pd
from conftest import SAMPLES, cli

from indicators import queries
from indicators.ingest import pipeline
from indicators.ingest.base import RawFile
from indicators.service import open_monitor

GEMEINDEN = SAMPLES / "genesis_flat_12411-01-01-5_gemeinden.csv"
#: the Kreis's 2021 values that are gone after the import: the sum of the Gemeinden misses Hohenhameln ('.')
LOST_2021 = {("auslaenderanteil", 2021), ("auslaender_anzahl", 2021), ("segregationsindex", 2021)}


def _raw() -> RawFile:
    return RawFile(GEMEINDEN.name, GEMEINDEN.read_bytes())


def _headline(m) -> pd.DataFrame:
    return queries.headline_series(m.store, m.catalog, m.settings.own_region)


def test_preview_names_the_three_disappearing_2021_values_and_writes_nothing(demo_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("MONITOR_ARCHIVE_DIR", str(tmp_path / "archive"))
    m = open_monitor(demo_copy)
    try:
        digest, version = m.store.content_digest(), m.store.version()
        before = _headline(m)
        parsed = pipeline.preview(_raw(), m.store, m.catalog, m.settings)
        assert m.store.content_digest() == digest and m.store.version() == version  # nothing written
        assert not parsed.errors
        impact = parsed.impact
        assert impact.region == "03157" and impact.region_name == "Landkreis Peine"
        assert {(c.indicator, c.year) for c in impact.lost} == LOST_2021
        assert impact.counts["entfällt"] == 3
        for c in impact.lost:
            assert c.new is None and "Summe aus Gemeinden unvollständig" in c.reason and "Hohenhameln" in c.reason
        # each disappearing value is a warning (counted), with the old value in German notation
        lost_warnings = [w for w in parsed.warnings if "entfällt der Wert" in w.message]
        # the sample's illustrative figures also jump between years: those are plausibility warnings (issue 21)
        assert len(lost_warnings) == 3 and len([w for w in parsed.warnings if not w.rule]) == 3
        share = next(w.message for w in lost_warnings if "„Ausländeranteil“ 2021" in w.message)
        assert "bisher 9,6 %" in share and "Summe aus Gemeinden unvollständig" in share
        count = next(w.message for w in lost_warnings if "„Ausländerinnen und Ausländer“ 2021" in w.message)
        assert "bisher 13.087" in count
        # the changed values old → new, German numbers
        changed = {(c.indicator, c.year): (c.old_text, c.new_text) for c in impact.changes if c.change == "geändert"}
        assert changed[("auslaenderanteil", 2022)] == ("11,2 %", "9,7 %")

        # the trial told the truth: after the real import exactly these values are gone and changed
        res = pipeline.commit(parsed, m.store, m.catalog, m.settings, "test")
        assert res.status == "importiert"
        after = _headline(m)
        both = before.merge(after, on=["indicator", "year"], suffixes=("_old", "_new"))
        gone = both[both["value_old"].notna() & both["value_new"].isna()]
        assert set(zip(gone["indicator"], gone["year"])) == LOST_2021
        share_2022 = after[(after["indicator"] == "auslaenderanteil") & (after["year"] == 2022)]["value"].iloc[0]
        assert round(share_2022, 1) == 9.7
    finally:
        m.close()


def test_file_outside_the_own_area_has_no_effect_and_no_trial(tmp_monitor):
    """Regions of other Kreise cannot change the own Kreis's values: no trial, no warning."""
    content = GEMEINDEN.read_bytes().decode("utf-8-sig").replace(";03157", ";03158")
    m = tmp_monitor
    parsed = pipeline.preview(RawFile("andere.csv", content.encode()), m.store, m.catalog, m.settings)
    impact = parsed.impact
    assert impact is not None and not impact.tried and not impact.any
    assert not [w for w in parsed.warnings if "entfällt" in w.message]


def test_command_line_dry_run_says_the_same(demo_copy):
    from indicators.service import open_monitor as om

    m = om(demo_copy)
    digest = m.store.content_digest()
    m.close()
    proc = cli("import", "--dry-run", str(GEMEINDEN), db=demo_copy)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Indikatoren Landkreis Peine: 3 entfallen · 0 neu · 6 geändert" in out
    assert "Ausländeranteil 2022: 11,2 % → 9,7 %" in out
    assert out.count("entfällt der Wert") == 3 and "entfällt der Wert „Segregationsindex (Gemeinden)“ 2021" in out
    assert out.count("Hinweis") == 3 + out.count("Plausibilität –")
    proc = cli("import", "--dry-run", "--json", str(GEMEINDEN), db=demo_copy)
    report = json.loads(proc.stdout)
    assert report["impact"]["counts"] == {"entfällt": 3, "neu": 0, "geändert": 6}
    assert {(c["indicator"], c["year"]) for c in report["impact"]["changes"] if c["change"] == "entfällt"} == LOST_2021
    m = om(demo_copy)
    try:
        assert m.store.content_digest() == digest
    finally:
        m.close()


def test_upload_page_warns_before_the_commit_that_kreis_values_disappear(writable_demo_db):
    """AppTest: the preview of the page shows the warning (counted), the table old → new and the reasons;
    nothing is written until the button."""
    from test_upload_page import _button, _clean, _markdown, _monitor, _page, _problem_table, _unescaped, _upload

    at = _page()
    digest = _monitor().store.content_digest()
    _upload(at, (GEMEINDEN.name, GEMEINDEN.read_bytes()))
    assert _monitor().store.content_digest() == digest
    text = _markdown(at)
    n_plausibility = sum("Plausibilität –" in msg for msg in _problem_table(at)["Meldung"])
    assert f"{3 + n_plausibility} Warnungen" in text  # the badge and the problem summary count them
    assert not re.search(r"(?<!\d)0 Warnungen", text)
    alerts = [w.value for w in at.warning]
    assert any("Mit der Übernahme entfallen Werte des eigenen Kreises (3 Werte)" in a for a in alerts), alerts
    assert "Auswirkung auf die Indikatoren: Landkreis Peine" in text
    assert "3** entfallen" in text and "6** geändert" in text
    messages = " ".join(_problem_table(at)["Meldung"])
    assert messages.count("entfällt der Wert") == 3 and "Summe aus Gemeinden unvollständig" in messages
    table = next(t.value for t in at.table if "Änderung" in t.value.columns).map(_unescaped)
    lost = table[table["Änderung"] == "entfällt"]
    assert set(lost["Indikator"]) == {
        "Ausländeranteil",
        "Ausländerinnen und Ausländer",
        "Segregationsindex (Gemeinden)",
    }
    assert set(lost["Jahr"]) == {"2021"} and set(lost["Neu"]) == {"–"}
    assert "9,6 %" in set(lost["Bisher"]) and "13.087" in set(lost["Bisher"])
    assert all("Summe aus Gemeinden unvollständig" in r for r in lost["Grund"])
    assert _monitor().store.content_digest() == digest  # still nothing written

    if n_plausibility:  # the illustrative figures jump between years: the person confirms them first
        next(c for c in at.checkbox if c.key and c.key.startswith("plausible_")).check()
        at.run()
    _button(at, "commit_").click()  # the user can still take the file over
    at.run()
    _clean(at)
    assert any("übernommen (Upload Nr." in s.value for s in at.success)


def test_many_disappearing_values_are_bounded_and_counted():
    """Hundreds of lost values: 10 warnings one by one and one that counts the rest; the table keeps 50 rows and
    says how many more."""
    from indicators.ingest import impact as imp

    lost = [
        imp.ValueChange(
            "auslaenderanteil",
            "Ausländeranteil",
            "%",
            1900 + i,
            "entfällt",
            10.0 + i,
            None,
            "tw",
            "Summe aus Gemeinden unvollständig",
        )
        for i in range(120)
    ]
    found = imp.Impact(
        "03157", "Landkreis Peine", counts={"entfällt": 120, "neu": 0, "geändert": 30}, changes=lost[: imp.MAX_LISTED]
    )
    warnings = imp.warnings(found, "x.csv")
    assert len(warnings) == imp.MAX_LOST_LISTED + 1
    assert "… und 110 weitere Werte entfallen" in warnings[-1].message and warnings[-1].more == 110
    assert "bisher 10,0 %" in warnings[0].message
    assert len(found.frame()) == 50 and found.unlisted == 100
