"""'Demodaten entfernen und leer beginnen' removes everything the demo brought (issue 21): its data, comparison
regions, strategy, and its targets ('Demo-Zielwert (synthetisch)', about 35) and notes ('… (Demo-Notiz)'). A target a
person set or changed stays. Review before: the targets and notes stayed and looked official."""

from __future__ import annotations

from indicators import service, targets
from indicators.service import DEMO_NOTE_MARK, DEMO_REASON, open_monitor


def test_demo_removal_takes_the_demo_targets_and_notes_and_keeps_the_own(demo_copy):
    m = open_monitor(demo_copy)
    try:
        store = m.store
        assert store.scalar("SELECT count(*) FROM targets WHERE reason = ?", [DEMO_REASON]) >= 20
        assert store.scalar("SELECT count(*) FROM notes WHERE text LIKE ?", [f"%{DEMO_NOTE_MARK}"]) == 2
        own = targets.Target("einbuergerungsquote", 2.5, 2030, reason="Beschluss Kreistag")
        targets.set_target(store, m.catalog, own, "test")
        targets.add_note(store, None, 2024, "Neue Ausländerbehörde eröffnet", "test")
        assert service.remove_demo(m, "test") > 0
        assert store.scalar("SELECT count(*) FROM targets WHERE reason = ?", [DEMO_REASON]) == 0
        assert store.scalar("SELECT count(*) FROM notes WHERE text LIKE ?", [f"%{DEMO_NOTE_MARK}"]) == 0
        orphans = "SELECT count(*) FROM target_history WHERE target_id NOT IN (SELECT id FROM targets)"
        assert store.scalar(orphans) == 0  # the history of the removed ones goes too (a changed one keeps its own)
        kept = store.query("SELECT indicator, reason FROM targets")
        assert kept == [("einbuergerungsquote", "Beschluss Kreistag")]
        assert [r[0] for r in store.query("SELECT text FROM notes")] == ["Neue Ausländerbehörde eröffnet"]
        assert not store.has_demo_data()
    finally:
        m.close()
