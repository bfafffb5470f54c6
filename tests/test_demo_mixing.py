"""Demo comparison regions never mix with real values of the same region (issue 21): a real GENESIS table with
Salzgitter's population made the demo's synthetic number of foreigners divide by the real population (Salzgitter's
Ausländeranteil about 40 %). Rule: once a real upload brings any value of a region, no demo value of that region is
current (any variable, any year); rolling the real upload back brings the demo values back."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_settings

from indicators.fmt import fmt_int
from indicators.ingest import pipeline, session
from indicators.service import open_monitor
from tests.test_real_files import REAL

CSV = REAL / "genesis_table" / "regio_12411-01-01-4_bevoelkerung_kreise_2018.csv"  # population by sex, 2018
SALZGITTER = "03102"


@pytest.fixture
def demo_monitor(demo_copy):
    m = open_monitor(settings=make_settings(demo_copy.parent))
    yield m
    m.close()


def _share(m, region: str) -> dict[int, float]:
    rows = m.store.query_df(
        "SELECT year, value FROM indicator_values WHERE indicator = 'auslaenderanteil' AND region = $r "
        "AND sex = 'insgesamt' AND value IS NOT NULL",
        {"r": region},
    )
    return {int(y): float(v) for y, v in zip(rows["year"], rows["value"])}


def _demo_rows(m, region: str) -> int:
    return int(
        m.store.scalar(
            "SELECT count(*) FROM obs_current o JOIN uploads u ON u.id = o.upload_id AND u.demo WHERE o.region = $r",
            {"r": region},
        )
    )


def test_a_real_upload_hides_the_demo_values_of_its_regions_and_a_rollback_brings_them_back(demo_monitor):
    m = demo_monitor
    before = _share(m, SALZGITTER)
    assert before and _demo_rows(m, SALZGITTER) > 0  # the demo has a synthetic Salzgitter
    res = session.import_bytes(CSV.name, CSV.read_bytes(), m.store, m.catalog, m.settings, "test")
    assert res.status == "importiert", [e.text() for e in res.errors]
    assert _demo_rows(m, SALZGITTER) == 0  # no synthetic value beside the real population
    assert _share(m, SALZGITTER) == {}  # no share from real population and demo foreigners (was about 40 % for 2018)
    real = m.store.scalar(
        "SELECT value FROM obs_current WHERE region = $r AND variable = 'bevoelkerung' AND year = 2018 "
        "AND nationality = 'insgesamt' AND sex = 'insgesamt'",
        {"r": SALZGITTER},
    )
    assert real == 104948
    assert _demo_rows(m, "03103") == 0  # every region of the file (Wolfsburg) …
    pipeline.rollback(res.upload_id, m.store, m.catalog, m.settings, "test")
    assert _demo_rows(m, SALZGITTER) > 0 and _share(m, SALZGITTER) == before  # … and back after the rollback


SAMPLE_KREISE = Path(__file__).parent / "fixtures" / "samples" / "genesis_12411-03-03-4_kreise.csv"


def test_the_preview_and_the_dry_run_name_the_demo_values_a_real_file_makes_stop_counting(demo_monitor):
    """Taking over the official sample (9 Kreise) hides the demo's synthetic values of its comparison regions: the
    preview said „0 entfallen“ and nothing of it while the counters dropped."""
    m = demo_monitor
    content = SAMPLE_KREISE.read_bytes()
    upload = session.UploadSession.from_bytes(SAMPLE_KREISE.name, content, m.store, m.catalog, m.settings, "test")
    report = upload.check()
    regions = m.store.query(
        "SELECT DISTINCT o.region FROM obs_current o JOIN uploads u ON u.id = o.upload_id AND u.demo "
        "WHERE list_contains($r, o.region) AND NOT starts_with(o.region, $own)",
        {"r": sorted(set(report.data["region"].astype(str))), "own": m.settings.own_region},
    )
    hidden = sum(_demo_rows(m, r) for (r,) in regions)
    assert len(regions) >= 2 and hidden > 0
    text = report.demo_hidden_text
    assert f"Die synthetischen Demowerte von {len(regions)} Vergleichsregionen ({fmt_int(hidden)} Werte)" in text
    assert "Braunschweig" in text
    res = session.import_bytes(SAMPLE_KREISE.name, content, m.store, m.catalog, m.settings, "test", dry_run=True)
    assert res.impact is not None and res.impact.as_dict()["demo_hidden"]["values"] == hidden
    assert sum(_demo_rows(m, r) for (r,) in regions) == hidden  # the dry run wrote nothing
    assert upload.commit(confirmed_plausibility=True).status == "importiert"
    assert sum(_demo_rows(m, r) for (r,) in regions) == 0  # as announced


def test_the_rule_follows_the_monitors_own_kreis_not_the_environment(demo_copy, monkeypatch):
    """The rule read the own Kreis from the environment again (MONITOR_OWN_REGION, 03157) instead of the monitor's
    setting: a monitor of Salzgitter (03102) lost Salzgitter's own demo values and kept Peine's beside real ones."""
    import dataclasses

    monkeypatch.delenv("MONITOR_OWN_REGION", raising=False)
    settings = dataclasses.replace(make_settings(demo_copy.parent), own_region=SALZGITTER)
    m = open_monitor(settings=settings)
    try:
        assert _demo_rows(m, SALZGITTER) > 0 and _demo_rows(m, "03157") > 0
        res = session.import_bytes(CSV.name, CSV.read_bytes(), m.store, m.catalog, m.settings, "test")
        assert res.status == "importiert", [e.text() for e in res.errors]
        assert _demo_rows(m, "03157") == 0  # Peine is a comparison region of this monitor: no demo beside real
        assert _demo_rows(m, SALZGITTER) > 0  # the own Kreis keeps the rule of the upload history
    finally:
        m.close()
