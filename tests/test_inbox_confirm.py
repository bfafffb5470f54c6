"""Issue 26: the inbox reads a file through the same upload session as the page, and like the page it does not take
a file with plausibility warnings without a person's word: the file waits in ``zu_bestaetigen/`` (nothing written)
until someone confirms it (then it is taken over) or discards it (nothing is written)."""

from __future__ import annotations

import json
import os
import time

import pytest
from conftest import load_frame, obs

from indicators import inbox

FF_HEADER = (
    "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;"
    "1_variable_attribute_code;1_variable_attribute_label;2_variable_code;2_variable_label;"
    "2_variable_attribute_code;2_variable_attribute_label;value;value_unit;value_variable_code;value_variable_label"
)


def _population(value: str) -> bytes:
    """A GENESIS flat file: Edemissen's population on 31.12.2022."""
    line = (
        "12411;Fortschreibung des Bevölkerungsstandes;STAG;Stichtag;31.12.2022;GEMEIN;Gemeinden;03157001;Region;"
        f"NAT;Nationalität;;Insgesamt;{value};Anzahl;BEVSTD;Bevölkerungsstand"
    )
    return ("\ufeff" + FF_HEADER + "\r\n" + line + "\r\n").encode("utf-8")


@pytest.fixture
def box(tmp_monitor, tmp_path):
    res = load_frame(
        tmp_monitor, obs([dict(variable="bevoelkerung", region="03157001", year=2021, value=13000)]), tmp_path
    )
    assert res.status == "importiert"
    return inbox.Inbox(tmp_monitor)


def _drop(box: inbox.Inbox, name: str, content: bytes) -> list[dict]:
    box.folder.mkdir(parents=True, exist_ok=True)
    path = box.folder / name
    path.write_bytes(content)
    old = time.time() - 10
    os.utime(path, (old, old))
    box.process_once()  # first look: size and time noted
    return box.process_once()


def _uploads(box: inbox.Inbox) -> list[str]:
    return list(box.monitor.store.uploads()["file_name"])


def test_a_file_with_plausibility_warnings_waits_for_a_person_then_is_taken(box):
    before = _uploads(box)
    (report,) = _drop(box, "bevoelkerung.csv", _population("15000"))  # +15 % against 2021: a plausibility warning
    assert report["status"] == "zu_bestaetigen"
    assert "Veränderung zum Vorjahr über ±10 %" in report["plausibilitaet"][0]
    assert _uploads(box) == before  # nothing written
    assert not (box.folder / "bevoelkerung.csv").exists()
    (waiting,) = inbox.pending_files(box.monitor.settings)
    assert waiting.name == "bevoelkerung.csv" and waiting.owner.startswith("Eingang: ")
    assert "13.000 (2021) → 15.000" in waiting.warnings[0]
    assert box.process_once() == []  # it is not read again by the watcher

    result = inbox.confirm_pending(box.monitor, waiting.stored, "Prüferin")
    assert result.status == "importiert"
    assert _uploads(box)[: len(before) + 1].count("bevoelkerung.csv") == 1  # recorded under its own name
    assert inbox.pending_files(box.monitor.settings) == []
    (done,) = (box.folder / "erledigt").glob("*bevoelkerung.csv")
    report = json.loads((done.parent / f"{done.name}.ergebnis.json").read_text(encoding="utf-8"))
    assert report["status"] == "importiert" and report["bestaetigt_von"] == "Prüferin"


def test_a_discarded_file_writes_nothing_and_a_plausible_file_is_taken_at_once(box):
    before = _uploads(box)
    (report,) = _drop(box, "zu_viel.csv", _population("15000"))
    assert report["status"] == "zu_bestaetigen"
    (waiting,) = inbox.pending_files(box.monitor.settings)
    inbox.discard_pending(box.monitor, waiting.stored, "Prüferin")
    assert _uploads(box) == before and inbox.pending_files(box.monitor.settings) == []
    (gone,) = (box.folder / "abgelehnt").glob("*zu_viel.csv")
    assert json.loads((gone.parent / f"{gone.name}.ergebnis.json").read_text(encoding="utf-8"))["status"] == "verworfen"
    with pytest.raises(inbox.auth.UserError, match="wartet nicht"):  # once only
        inbox.confirm_pending(box.monitor, waiting.stored, "Prüferin")
    # a change within the threshold needs no word: taken over at once
    (report,) = _drop(box, "passt.csv", _population("13500"))
    assert report["status"] == "importiert" and report["plausibilitaet"] == []
    assert "passt.csv" in _uploads(box)


def test_the_upload_session_reports_once_and_commits_only_confirmed_doubts(box):
    """The object the page, the command line and the inbox share: one report; the commit refuses unconfirmed
    plausibility warnings without writing, and takes the file once they are confirmed."""
    from indicators.ingest.session import UploadSession

    m = box.monitor
    before = _uploads(box)
    session = UploadSession.from_bytes(
        "bevoelkerung.csv", _population("15000"), m.store, m.catalog, m.settings, "Prüferin"
    )
    report = session.check()
    assert report.ok and report.format_label.startswith("GENESIS") and len(report.data) == 1
    assert [p.rule for p in report.plausibility_warnings] == ["vorjahr"]
    assert report.accounting is not None and report.accounting.balanced
    assert session.diff().counts == {"neu": 1, "geändert": 0, "unverändert": 0}
    refused = session.commit()
    assert refused.status == "zu_bestaetigen" and refused.upload_id is None and _uploads(box) == before
    taken = session.commit(confirmed_plausibility=True)
    assert taken.status == "importiert" and taken.diff == {"neu": 1, "geändert": 0, "unverändert": 0}
    assert session.check().existing["id"] == taken.upload_id  # the same bytes are loaded now
