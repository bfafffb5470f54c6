"""One helper waits for a Streamlit server (indicators/health.py): no copy of the wait loop in the tests, the
benchmarks or the command line."""

from __future__ import annotations

from conftest import ROOT


def test_the_health_check_lives_in_one_place():
    files = [
        *ROOT.joinpath("indicators").rglob("*.py"),
        *ROOT.joinpath("tests").glob("*.py"),
        *ROOT.joinpath("benchmarks").glob("*.py"),
    ]
    users = sorted(str(p.relative_to(ROOT)) for p in files if "_stcore/" + "health" in p.read_text(encoding="utf-8"))
    assert users == ["indicators/health.py"]


def test_is_up_says_no_for_a_closed_port():
    import socket

    from indicators.health import is_up, wait_until_up

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert not is_up(port, timeout=1)
    assert not wait_until_up(port, timeout=1, interval=0.2)


def test_a_path_prefix_of_the_server_is_followed(monkeypatch):
    """Behind a reverse proxy the server runs under a prefix (``server.baseUrlPath``): the command line looks for
    the running app there (was: always at the root, so `start` never woke an app served under /monitor)."""
    from indicators.health import health_url

    monkeypatch.setenv("STREAMLIT_SERVER_BASE_URL_PATH", "/monitor/")
    assert health_url(8501) == "http://127.0.0.1:8501/monitor/_stcore/" + "health"
    monkeypatch.setenv("STREAMLIT_SERVER_BASE_URL_PATH", "")
    assert health_url(8501) == "http://127.0.0.1:8501/_stcore/" + "health"
