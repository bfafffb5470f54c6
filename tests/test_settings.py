"""One settings object, read in one place (issue 26): every environment variable is read by indicators/config.py,
yes/no settings follow one rule, status codes are str-valued enums."""

from __future__ import annotations

import ast
import json
import logging
from pathlib import Path

import pytest

from indicators import app_channel, auth, backup, config
from indicators.status import ImportStatus, MeasureStatus, UploadStatus

ROOT = Path(__file__).resolve().parent.parent

#: yes/no variable → the field of Settings it sets
FLAGS = {
    "MONITOR_AUTH": "auth",
    "MONITOR_AUTH_AUS_IM_NETZ": "auth_off_in_network",
    "MONITOR_ANONYMOUS_READ": "anonymous_read",
    "MONITOR_INBOX": "inbox",
}


@pytest.mark.parametrize("name", sorted(FLAGS))
def test_every_yes_no_setting_follows_one_rule(name, monkeypatch):
    # was: MONITOR_AUTH took aus/off/0/nein, MONITOR_INBOX only aus/off/0, the others ja/1/an/on/true
    assert set(FLAGS) == set(config.FLAG_SETTINGS)
    for word in ("ja", "Ja", "an", "on", "1", "true", "YES", " ja "):
        monkeypatch.setenv(name, word)
        assert getattr(config.settings(), FLAGS[name]) is True, (name, word)
    for word in ("nein", "Nein", "aus", "off", "0", "false", "no", "AUS"):
        monkeypatch.setenv(name, word)
        assert getattr(config.settings(), FLAGS[name]) is False, (name, word)
    monkeypatch.setenv(name, "")
    assert getattr(config.settings(), FLAGS[name]) is config.FLAG_SETTINGS[name]


def test_the_rule_reaches_sign_in_and_the_inbox(monkeypatch):
    monkeypatch.setenv("MONITOR_AUTH", "nein")
    assert auth.auth_off_requested() and auth.auth_disabled()
    monkeypatch.setenv("MONITOR_AUTH", "ja")
    assert not auth.auth_off_requested() and not auth.auth_disabled()
    monkeypatch.setenv("MONITOR_ANONYMOUS_READ", "ja")
    assert auth.anonymous_read()
    monkeypatch.setenv("MONITOR_AUTH", "aus")
    monkeypatch.setenv("MONITOR_AUTH_AUS_IM_NETZ", "nein")
    assert auth.auth_off_refusal("0.0.0.0") is not None
    monkeypatch.setenv("MONITOR_AUTH_AUS_IM_NETZ", "yes")
    assert auth.auth_off_refusal("0.0.0.0") is None


def test_an_unknown_yes_no_word_keeps_the_default_and_says_so(monkeypatch, caplog):
    monkeypatch.setattr(config, "_warned", set())
    monkeypatch.setenv("MONITOR_AUTH", "vielleicht")
    with caplog.at_level(logging.WARNING, logger="integrationsmonitor"):
        assert config.settings().auth is True  # sign-in stays on
    assert "MONITOR_AUTH muss ja oder nein sein" in caplog.text and "Es gilt die Vorgabe ja." in caplog.text


def test_the_settings_are_read_once_per_state_of_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MONITOR_INBOX_POLL", "5")
    first = config.settings()
    assert config.settings() is first and first.inbox_poll == 5.0
    monkeypatch.setenv("MONITOR_INBOX_POLL", "0.01")  # at least 0,2 s
    assert config.settings() is not first and app_channel.poll_seconds() == 0.2
    monkeypatch.setenv("MONITOR_INBOX_POLL", "schnell")
    assert app_channel.poll_seconds() == 2.0
    monkeypatch.setenv("MONITOR_BACKUP_DIR", str(tmp_path / "sich"))
    monkeypatch.setenv("MONITOR_INBOX_DIR", str(tmp_path / "ein"))
    settings = config.load_settings(tmp_path / "monitor.duckdb")
    assert backup.backup_root(settings) == tmp_path / "sich"
    assert app_channel.inbox_dir(settings) == tmp_path / "ein"
    monkeypatch.delenv("MONITOR_BACKUP_DIR")
    monkeypatch.delenv("MONITOR_INBOX_DIR")
    assert backup.backup_root(settings) == tmp_path / "backups"
    assert app_channel.inbox_dir(settings) == tmp_path / "inbox"


def _environment_reads(path: Path) -> list[int]:
    """Lines that read ``os.environ``/``os.getenv`` (copying the whole environment for a child process is no read)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    copied = {
        id(v)
        for node in ast.walk(tree)
        if isinstance(node, ast.Dict)
        for k, v in zip(node.keys, node.values)
        if k is None
    }
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv") and id(node) not in copied:
            lines.append(node.lineno)
        elif isinstance(node, ast.Name) and node.id in ("environ", "getenv"):
            lines.append(node.lineno)
    return sorted(lines)


def test_only_the_configuration_reads_the_environment():
    paths = [p for d in ("indicators", "ui", "views") for p in (ROOT / d).rglob("*.py")]
    paths += [ROOT / "app.py", ROOT / "server.py"]
    offending = [
        f"{p.relative_to(ROOT)}:{line}"
        for p in paths
        if p != ROOT / "indicators" / "config.py"
        for line in _environment_reads(p)
    ]
    assert not offending, offending


def test_the_reader_of_the_environment_is_checked(tmp_path):
    f = tmp_path / "x.py"
    f.write_text(
        'import os\na = os.environ.get("X")\nb = {**os.environ, "Y": "1"}\nc = os.getenv("Z")\n', encoding="utf-8"
    )
    assert _environment_reads(f) == [2, 4]


def test_status_codes_keep_their_stored_and_shown_words():
    assert [s.value for s in ImportStatus] == [
        "importiert",
        "bereits_vorhanden",
        "abgelehnt",
        "vorschau",
        "zu_bestaetigen",
    ]
    assert json.dumps({"status": ImportStatus.ALREADY_PRESENT}) == '{"status": "bereits_vorhanden"}'
    assert f"{ImportStatus.REJECTED:10s}|" == "abgelehnt |"
    assert ImportStatus.IMPORTED.ok and ImportStatus.ALREADY_PRESENT.ok
    assert not ImportStatus.REJECTED.ok and not ImportStatus.PREVIEW.ok
    assert UploadStatus.ACTIVE == "aktiv" and UploadStatus.ROLLED_BACK == "zurueckgenommen"
    from indicators.strategy.model import STATUSES

    assert STATUSES == ("geplant", "laufend", "abgeschlossen", "ausgesetzt", "abgebrochen")
    assert [s.value for s in MeasureStatus] == list(STATUSES)
