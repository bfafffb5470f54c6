"""Load: N concurrent sessions on the real server while one session imports a 20,000-row file (issue 11).

Run from the project folder::

    .venv/bin/python benchmarks/load.py                  # 50 sessions, 3 rounds each
    .venv/bin/python benchmarks/load.py --sessions 20 --rounds 2
    .venv/bin/python benchmarks/load.py --storm 50       # plus 50 sessions sending wrong passwords

What is measured
----------------
* A demo database in a temporary folder (``init --demo``) plus the synthetic regions of a GENESIS flat file with
  20,000 rows (``benchmarks/ingest.py``'s generator: population by nationality, 20 years, synthetic Gemeinden).
* The real Streamlit server as ``make run`` starts it (``streamlit run server.py``) with sign-in on and ``MONITOR_ANONYMOUS_READ=1``: the
  sessions are readers of an intranet screen.
* Protocol-level clients: each session is a WebSocket to ``/_stcore/stream`` that asks for a page run
  (``BackMsg.rerun_script`` with the page's name) and waits for ``script_finished``; the page time is from the
  request to that message. Pages per round: Cockpit, Handlungsfeld Bildung, Indikator (``id=alq_auslaender``).
* **Alone**: one session, at least 10 rounds (30 page runs), first (after a warm-up run of every page). It pauses
  briefly between pages like a viewer (``--think`` but at most 0,5 s): asked back to back, a page waits for the
  previous run of its session to wind down, which made single pages look up to 30 ms slower than they are.
* **Under load**: the 20,000-row file is dropped into the app's inbox (the app imports it, with validation,
  archive and audit, in its own process) and N sessions run their rounds at the same time. A session is a viewer:
  after each page it looks at it for a while (``--think``, 5 s on average, uniform between 2,5 and 7,5 s; the first
  page after a random part of it) before it opens the next. ``--think 0`` asks for pages back to back without a
  pause: a throughput test, not a crowd of viewers (with N clients that never pause, every request waits for the
  N-1 others in one Python process, so its p95 grows with N whatever a page costs).
* Errors: a page run that ends otherwise than successfully, shows an exception or an error box, or times out;
  a connection that fails. The import must end as ``importiert``.

* **Sign-in storm** (``--storm N``, issue 22): after the phase above, the same number of viewers twice, without the
  import: first alone, then beside N sessions that open the sign-in form and send wrong passwords for one account
  back to back for as long as the viewers run (each checked attempt is an Argon2 check of 64 MiB on the server,
  bounded by ``auth.HASH_SLOTS``). Printed: the viewers' p95 with the storm against without it (same run, same
  server), the server's CPU (cores in use) in both, attempts and how they were refused, the server's memory peak.

Printed: machine (CPUs, model), median and p95 page time alone and under load, the ratio p95 (load) / p95
(alone), errors, page runs per second, the server's memory before, at its peak and after the sessions ended, the page
times while the import ran and after it, of a session's first page and of the others, and the import's duration. Aim (issue 11): 50 sessions + 1 importer with 0 errors, p95 at
most 3x the single-user figure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

PAGES = [("", ""), ("bildung", ""), ("indikator", "id=alq_auslaender")]
ROWS = 20_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def machine() -> str:
    model = "?"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPU(s), {model}"


class Session:
    """One browser tab at the protocol level."""

    def __init__(self, port: int, timeout: float = 120):
        from websockets.sync.client import connect

        self._conn = connect(
            f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], open_timeout=timeout, max_size=None
        )
        self.ws = self._conn.__enter__()
        self.timeout = timeout

    def run_page(self, page_name: str, query: str) -> tuple[float, str | None]:
        """Seconds until the page run finished; an error text or None."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page_name
        t0 = time.perf_counter()
        self.ws.send(msg.SerializeToString())
        error = None
        deadline = t0 + self.timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                return time.perf_counter() - t0, "Zeitüberschreitung"
            fwd = ForwardMsg()
            fwd.ParseFromString(self.ws.recv(timeout=left))
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                el = fwd.delta.new_element
                etype = el.WhichOneof("type")
                if etype == "exception":
                    error = error or f"Ausnahme: {el.exception.message[:200]}"
                elif etype == "alert" and el.alert.format == el.alert.ERROR:
                    error = error or f"Fehlermeldung: {el.alert.body[:200]}"
            elif kind == "page_not_found":
                error = error or "Seite nicht gefunden"
            elif kind == "script_finished":
                status = fwd.script_finished
                if status in (fwd.FINISHED_SUCCESSFULLY, fwd.FINISHED_EARLY_FOR_RERUN):
                    return time.perf_counter() - t0, error
                if status == fwd.FINISHED_WITH_COMPILE_ERROR:
                    return time.perf_counter() - t0, "Kompilierfehler"
                return time.perf_counter() - t0, error

    def close(self) -> None:
        self._conn.__exit__(None, None, None)


class Attacker(Session):
    """A tab on the sign-in form that sends wrong passwords (the widgets found in the page's own messages)."""

    def _run(self, page_name: str = "", states: list | None = None) -> tuple[float, dict, list[str]]:
        """(seconds, widgets by label: (id, form submitter?), texts of the alerts shown)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.page_name = page_name
        for wid, kind, value in states or []:
            w = msg.rerun_script.widget_states.widgets.add()
            w.id = wid
            setattr(w, kind, value)
        t0 = time.perf_counter()
        self.ws.send(msg.SerializeToString())
        widgets, alerts = {}, []
        deadline = t0 + self.timeout
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(self.ws.recv(timeout=max(0.1, deadline - time.perf_counter())))
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                el = fwd.delta.new_element
                etype = el.WhichOneof("type")
                if etype in ("text_input", "button"):
                    w = getattr(el, etype)
                    submit = etype == "button" and w.is_form_submitter
                    widgets[(w.label, submit)] = w.id
                elif etype == "alert":
                    alerts.append(el.alert.body)
            elif kind == "script_finished":
                if fwd.script_finished != fwd.FINISHED_EARLY_FOR_RERUN:
                    return time.perf_counter() - t0, widgets, alerts

    def open_form(self) -> dict:
        _, widgets, _ = self._run()
        to_form = widgets[("Anmelden", False)]  # the sidebar's button of the anonymous screen
        _, widgets, _ = self._run("", [(to_form, "trigger_value", True)])
        return widgets

    def wrong_password(self, widgets: dict, name: str, n: int) -> tuple[float, list[str]]:
        secs, _, alerts = self._run(
            "",
            [
                (widgets[("Benutzername", False)], "string_value", name),
                (widgets[("Passwort", False)], "string_value", f"falsch-{n}-{random.random()}"),
                (widgets[("Anmelden", True)], "trigger_value", True),
            ],
        )
        return secs, alerts


def _storm(port: int, stop: threading.Event, start: threading.Event, out: list, errors: list, seed: int) -> None:
    """Wrong passwords for one account, back to back, until ``stop``; ``out`` gets (seconds, refusal kind)."""
    start.wait()
    time.sleep(random.Random(seed).uniform(0, 1))
    try:
        a = Attacker(port)
        widgets = a.open_form()
    except Exception as exc:
        errors.append(f"Angreifer-Verbindung: {type(exc).__name__}: {exc}")
        return
    n = 0
    try:
        while not stop.is_set():
            n += 1
            secs, alerts = a.wrong_password(widgets, STORM_ACCOUNT, n)
            text = " ".join(alerts)
            kind = "besetzt" if "Gerade melden sich" in text else "abgelehnt" if "fehlgeschlagen" in text else "?"
            out.append((secs, kind))
    except Exception as exc:
        errors.append(f"Angreifer: {type(exc).__name__}: {exc}")
    finally:
        a.close()


STORM_ACCOUNT = "sachbearbeitung"


def _storm_phase(port: int, pid: int, args: argparse.Namespace) -> dict:
    """The sign-in storm, measured against the viewers alone in the same run: first the viewers without the storm,
    then the same viewers with ``args.storm`` sessions sending wrong passwords (no import in either)."""
    out: dict = {}
    for phase, storm in (("ohne", 0), ("mit", args.storm)):
        times: list = []
        errors: list = []
        start, stop = threading.Event(), threading.Event()
        storm_out: list = []
        storm_e: list = []
        viewers = [
            threading.Thread(target=_rounds, args=(port, args.rounds, times, errors, start, args.think, 500 + i))
            for i in range(args.sessions)
        ]
        attackers = [
            threading.Thread(target=_storm, args=(port, stop, start, storm_out, storm_e, 1000 + i))
            for i in range(storm)
        ]
        cpu0 = _cpu_seconds(pid)
        t0 = time.perf_counter()
        for t in viewers + attackers:
            t.start()
        start.set()
        for t in viewers:
            t.join()
        secs = time.perf_counter() - t0
        stop.set()
        for t in attackers:
            t.join()
        out[phase] = {
            "times": [x for _, x, _, _ in times],
            "later": [x for _, x, _, first in times if not first],
            "load": _loadavg(),
            "errors": errors,
            "storm": storm_out,
            "storm_errors": storm_e,
            "cpu": (_cpu_seconds(pid) - cpu0) / secs,
            "rss_peak": _rss(pid, "VmHWM"),
        }
    return out


def _loadavg() -> str:
    """The machine's load average over the last minute (other work on a shared machine shows here)."""
    try:
        return open("/proc/loadavg", encoding="ascii").read().split()[0].replace(".", ",")
    except OSError:
        return "?"


def _cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) the server process has used so far."""
    fields = open(f"/proc/{pid}/stat", encoding="ascii").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _print_storm(storm: dict, args: argparse.Namespace) -> None:
    without, with_ = storm["ohne"], storm["mit"]
    p_without, p_with = _p(without["times"], 0.95), _p(with_["times"], 0.95)
    print(
        f"Anmelde-Sturm, {args.sessions} Betrachter ohne Sturm: {len(without['times'])} Seitenläufe, Median "
        f"{statistics.median(without['times']) * 1000:.0f} ms, p95 {p_without * 1000:.0f} ms, Fehler "
        f"{len(without['errors'])}; Server-CPU {without['cpu']:.2f} Kerne; Last {without['load']}"
    )
    print(
        f"Anmelde-Sturm, dieselben Betrachter mit {args.storm} Sitzungen falscher Passwörter: "
        f"{len(with_['times'])} Seitenläufe, Median {statistics.median(with_['times']) * 1000:.0f} ms, p95 "
        f"{p_with * 1000:.0f} ms, Fehler {len(with_['errors'])}; Server-CPU {with_['cpu']:.2f} Kerne; Last {with_['load']}"
    )
    print(f"p95 mit Sturm / ohne Sturm: {p_with / p_without:.1f}x (Ziel: höchstens 3x)")
    # the first page of a viewer opens its session; those in the storm's first seconds meet the 50 storm sessions
    # opening theirs (two script runs each, no password checked yet)
    l_without, l_with = _p(without["later"], 0.95), _p(with_["later"], 0.95)
    print(
        f"  ohne die erste Seite jeder Sitzung: p95 {l_without * 1000:.0f} ms ohne, {l_with * 1000:.0f} ms mit Sturm "
        f"({l_with / l_without:.1f}x)"
    )
    storm_out = with_["storm"]
    kinds = {k: sum(1 for _, x in storm_out if x == k) for k in ("abgelehnt", "besetzt", "?")}
    secs = [x for x, _ in storm_out]
    print(
        f"Sturm: {len(storm_out)} falsche Passwörter ({kinds['abgelehnt']} geprüft und abgelehnt, {kinds['besetzt']} "
        f"als „besetzt“ abgewiesen, {kinds['?']} ohne Meldung), "
        + (f"Median {statistics.median(secs) * 1000:.0f} ms je Versuch; " if secs else "")
        + f"Speicherspitze des Servers bis zum Ende des Sturms {with_['rss_peak']} MB; Fehler {len(with_['storm_errors'])}"
    )
    for e in with_["storm_errors"][:5]:
        print("  Fehler (Sturm):", e)


def _rounds(
    port: int,
    rounds: int,
    times: list,
    errors: list,
    start: threading.Event | None = None,
    think: float = 0.0,
    seed: int = 0,
) -> None:
    """``rounds`` rounds over PAGES in one session; ``think``: mean seconds a viewer looks at a page before the next
    (uniform between half and one and a half times it; the first page after a random part of it, as viewers do not
    all arrive in the same millisecond)."""
    rnd = random.Random(seed)
    if start is not None:
        start.wait()
    if think:
        time.sleep(rnd.uniform(0, think))
    try:
        s = Session(port)
    except Exception as exc:
        errors.append(f"Verbindung: {type(exc).__name__}: {exc}")
        return
    first = True  # the first page of a session also opens the session
    try:
        for _ in range(rounds):
            for name, query in PAGES:
                try:
                    began = time.perf_counter()
                    secs, err = s.run_page(name, query)
                except Exception as exc:
                    errors.append(f"{name or 'cockpit'}: {type(exc).__name__}: {exc}")
                    return
                times.append((name or "cockpit", secs, began, first))
                first = False
                if err:
                    errors.append(f"{name or 'cockpit'}: {err}")
                if think:
                    time.sleep(rnd.uniform(0.5 * think, 1.5 * think))
    finally:
        s.close()


def _rss(pid: int, field: str = "VmRSS") -> int:
    """MB of the server process (resident now, or its peak with VmHWM)."""
    for line in open(f"/proc/{pid}/status", encoding="ascii"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) // 1024
    return 0


def _p(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]


def prepare(folder: Path) -> tuple[Path, Path]:
    """Demo database with the synthetic regions of the 20,000-row file, and that file."""
    import ingest as bench_ingest

    db = folder / "monitor.duckdb"
    r = subprocess.run(
        [sys.executable, "-m", "indicators", "--db", str(db), "init", "--demo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "MONITOR_AUTH": "aus"},
    )
    if r.returncode != 0:
        raise SystemExit(r.stdout + r.stderr)
    path = folder / f"{ROWS}_genesis_flat_12411_last.csv"
    bench_ingest.write_genesis_csv(path, ROWS)
    from indicators.store import Store

    store = Store(db)
    from indicators import auth

    auth.ensure_schema(store)
    with auth.acting_as(auth.system_actor("lasttest")):  # the account the sign-in storm aims at
        auth.add_user(store, STORM_ACCOUNT, auth.DATA, "Kaffee-Fahrrad-Leuchtturm", "lasttest", one_time=False)
    regions = bench_ingest.csv_regions(ROWS)
    regions["origin"] = "Benchmark"
    with store.transaction() as cur:
        cur.register("bench_regions", regions)
        cur.execute(
            "INSERT INTO regions (key, name, level, parent, origin) "
            "SELECT key, name, level, parent, origin FROM bench_regions WHERE key NOT IN (SELECT key FROM regions)"
        )
    store.close()
    return db, path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument(
        "--think",
        type=float,
        default=5.0,
        help="mittlere Betrachtungszeit je Seite in Sekunden (0: ohne Pause, reiner Durchsatztest)",
    )
    ap.add_argument("--storm", type=int, default=0, help="so viele Sitzungen senden zugleich falsche Passwörter")
    ap.add_argument("--keep", action="store_true", help="temporären Ordner behalten")
    args = ap.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="monitor-load-"))
    db, big = prepare(folder)
    port = _free_port()
    env = {
        **os.environ,
        "MONITOR_DB": str(db),
        "MONITOR_AUTH": "an",
        "MONITOR_ANONYMOUS_READ": "1",
        "MONITOR_INBOX_POLL": "0.5",
        "MONITOR_USER": "lasttest",
    }
    log = open(folder / "server.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "server.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        from indicators.health import wait_until_up

        wait_until_up(port, 90, alive=lambda: proc.poll() is None)
        # warm-up: every page once (opens the database, fills the caches, starts the inbox watcher)
        warm_t, warm_e = [], []
        _rounds(port, 1, warm_t, warm_e)
        if warm_e:
            raise SystemExit(f"Aufwärmen fehlgeschlagen: {warm_e}")

        alone_t, alone_e = [], []
        _rounds(port, max(args.rounds, 10), alone_t, alone_e, None, min(args.think, 0.5), 1)  # >= 30 runs: a steady p95

        inbox = folder / "inbox"
        load_t, load_e = [], []
        start = threading.Event()
        rss_before = _rss(proc.pid)
        threads = [
            threading.Thread(target=_rounds, args=(port, args.rounds, load_t, load_e, start, args.think, i))
            for i in range(args.sessions)
        ]
        for t in threads:
            t.start()
        shutil.copyfile(big, inbox / ("." + big.name))
        (inbox / ("." + big.name)).rename(inbox / big.name)
        t_import = time.perf_counter()
        done: dict = {}

        def watch_import() -> None:  # the end of the import, to tell page runs during it from those after it
            deadline = time.time() + 300
            while time.time() < deadline:
                found = list(inbox.glob("*/*.ergebnis.json"))
                if found:
                    done["at"] = time.perf_counter()
                    done["report"] = json.loads(found[0].read_text(encoding="utf-8"))
                    return
                time.sleep(0.1)

        watcher = threading.Thread(target=watch_import)
        watcher.start()
        start.set()
        t_load = time.perf_counter()
        for t in threads:
            t.join()
        load_secs = time.perf_counter() - t_load
        watcher.join()
        storm = _storm_phase(port, proc.pid, args) if args.storm else None
        report = done.get("report")
        import_secs = done["at"] - t_import if report else None
        time.sleep(3)  # the sessions have closed their connections; what the server still holds
        rss_after, rss_peak = _rss(proc.pid), _rss(proc.pid, "VmHWM")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()

    def stats(times):
        v = [s for _, s, _, _ in times]
        return statistics.median(v), _p(v, 0.95), len(v)

    a_med, a_p95, a_n = stats(alone_t)
    l_med, l_p95, l_n = stats(load_t)
    print(f"Maschine: {machine()}")
    print(
        f"Seiten je Runde: Cockpit, Bildung, Indikator; {args.rounds} Runden je Sitzung; "
        + (
            f"Betrachtungszeit je Seite {args.think:.1f} s im Mittel (gleichverteilt {args.think / 2:.1f}–"
            f"{args.think * 1.5:.1f} s)"
            if args.think
            else "ohne Betrachtungszeit (Durchsatztest)"
        )
    )
    print(
        f"Allein:      {a_n:4d} Seitenläufe, Median {a_med * 1000:7.0f} ms, p95 {a_p95 * 1000:7.0f} ms, Fehler {len(alone_e)}"
    )
    print(
        f"{args.sessions} Sitzungen + Import: {l_n:4d} Seitenläufe, Median {l_med * 1000:7.0f} ms, p95 {l_p95 * 1000:7.0f} ms, "
        f"Fehler {len(load_e)} (Dauer {load_secs:.1f} s)"
    )
    print(f"p95 unter Last / allein: {l_p95 / a_p95:.1f}x (Ziel: höchstens 3x)")
    print(f"Durchsatz unter Last: {l_n / load_secs:.1f} Seitenläufe/s")
    print(
        f"Server-Speicher: {rss_before} MB vor der Last, Spitze {rss_peak} MB, {rss_after} MB nach dem Ende der Sitzungen"
    )
    for page in ("cockpit", "bildung", "indikator"):
        pa = [s for n, s, _, _ in alone_t if n == page]
        pl = [s for n, s, _, _ in load_t if n == page]
        if pa and pl:
            print(
                f"  {page:<10} allein Median {statistics.median(pa) * 1000:6.0f} ms · unter Last Median "
                f"{statistics.median(pl) * 1000:6.0f} ms, p95 {_p(pl, 0.95) * 1000:6.0f} ms"
            )
    if storm:
        _print_storm(storm, args)
    if report:
        during = [s for _, s, b, _ in load_t if b < done["at"]]
        after = [s for _, s, b, _ in load_t if b >= done["at"]]
        opening = [s for _, s, _, f in load_t if f]
        later = [s for _, s, _, f in load_t if not f]
        for label, v in (
            ("während des Imports", during),
            ("nach dem Import", after),
            ("erste Seite einer Sitzung", opening),
            ("weitere Seiten", later),
        ):
            if v:
                print(
                    f"  {label}: {len(v)} Seitenläufe, Median {statistics.median(v) * 1000:6.0f} ms, "
                    f"p95 {_p(v, 0.95) * 1000:6.0f} ms"
                )
        print(
            f"Import {ROWS} Zeilen über den Eingangsordner: {report['status']} ({report.get('zeilen')} Zeilen), "
            f"fertig nach {import_secs:.1f} s"
        )
    else:
        print("Import: kein Ergebnis innerhalb von 300 s")
    for e in (alone_e + load_e)[:10]:
        print("  Fehler:", e)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        print(f"Ordner: {folder}")


if __name__ == "__main__":
    main()
