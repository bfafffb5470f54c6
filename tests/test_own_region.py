"""The own region is a setting (MONITOR_OWN_REGION, issue 10): the cockpit, the headline series, the Gemeinden,
targets and verdicts default to it, not to a hard-coded 03157."""

from __future__ import annotations

from dataclasses import replace

from conftest import make_settings

from indicators import queries, targets, verdicts
from indicators.demo.comparison import write_comparison_exports
from indicators.ingest import session
from indicators.service import open_monitor

OWN = "03158"  # Wolfenbüttel instead of Peine


def test_another_own_region_is_used_everywhere(tmp_path, monkeypatch):
    monkeypatch.setenv("MONITOR_OWN_REGION", OWN)
    m = open_monitor(settings=replace(make_settings(tmp_path), own_region=OWN))
    try:
        with m.store.transaction() as cur:  # the own Kreis is in the region list (as 03157 is in the shipped one)
            cur.execute(
                "INSERT INTO regions (key, name, level, parent, origin) "
                "VALUES (?, 'Landkreis Wolfenbüttel', 'kreis', '03', 'Test')",
                [OWN],
            )
        for path in write_comparison_exports(tmp_path / "dateien"):  # population and unemployment of every Kreis
            result = session.import_path(path, m.store, m.catalog, m.settings, "test")
            assert result.status == "importiert", [e.text() for e in result.errors]

        own = queries.headline_series(m.store, m.catalog, OWN)
        peine = queries.headline_series(m.store, m.catalog, "03157")
        shown = queries.headline_series(m.store, m.catalog)  # the default: the setting
        assert len(own) and not own.equals(peine)
        assert shown.reset_index(drop=True).equals(own.reset_index(drop=True))
        cockpit = queries.cockpit(m.store, m.catalog).set_index("indicator")
        value = own[(own["indicator"] == "alq_auslaender") & (own["year"] == 2025)]["value"].iloc[0]
        assert cockpit.loc["alq_auslaender", "value"] == value
        assert queries.gemeinden(m.store).empty  # Peine's nine Gemeinden are not the own area

        target = targets.Target("alq_auslaender", round(value - 1, 1), 2030)
        assert target.region == OWN
        targets.set_target(m.store, m.catalog, target, "test")
        assert set(targets.targets(m.store)) == {"alq_auslaender"}
        assert targets.get_target(m.store, "alq_auslaender").region == OWN
        status = verdicts.status_for(m.store, m.catalog, m.catalog.indicators["alq_auslaender"])
        assert status.target is not None and status.latest[1] == value
    finally:
        m.close()
