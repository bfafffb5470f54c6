"""All paths and settings in one place, each overridable by an environment variable.

| setting            | environment variable   | default                      |
|--------------------|------------------------|------------------------------|
| database file      | MONITOR_DB             | data/monitor.duckdb          |
| data folder        | MONITOR_DATA_DIR       | data/                        |
| upload archive     | MONITOR_ARCHIVE_DIR    | <data folder>/archive        |
| upload limit (MB)  | MONITOR_MAX_UPLOAD_MB  | 50                           |
| unpacked workbook  | MONITOR_MAX_UNPACKED_MB| 200                          |
| minimum case count | MONITOR_MIN_COUNT      | 3                            |
| definitions folder | MONITOR_DEFINITIONS    | indicators/definitions       |
| default user name  | MONITOR_USER           | the OS user                  |
| database memory    | MONITOR_DB_MEMORY_MB   | DuckDB's default (80 % RAM)  |
| web server port    | MONITOR_PORT           | 8501                         |
| strategy base year | MONITOR_BASE_YEAR      | 2019                         |
| own area (Kreis)   | MONITOR_OWN_REGION     | 03157 (Landkreis Peine)      |
| today (the clock)  | MONITOR_TODAY          | the real date                |
| session timeout    | MONITOR_SESSION_MINUTES| 30                           |
| backups kept       | MONITOR_BACKUP_KEEP    | 14 (0: all)                  |
| backup folder      | MONITOR_BACKUP_DIR     | <database folder>/backups    |
| inbox folder       | MONITOR_INBOX_DIR      | <database folder>/inbox      |
| inbox poll (s)     | MONITOR_INBOX_POLL     | 2 (at least 0,2)             |
| inbox watched      | MONITOR_INBOX          | ja                           |
| sign-in            | MONITOR_AUTH           | ja (aus: one trusted user)   |
| no sign-in on net  | MONITOR_AUTH_AUS_IM_NETZ| nein                        |
| anonymous reading  | MONITOR_ANONYMOUS_READ | nein                         |
| report fonts       | MONITOR_FONT_DIR       | the system's font folders    |
| website folder     | MONITOR_PUBLISH_DIR    | <database folder>/website    |
| website imprint    | MONITOR_PUBLISH_IMPRESSUM | a text file; none: a note |
| website contact    | MONITOR_PUBLISH_KONTAKT| –                            |
| lists kept internal| MONITOR_PUBLISH_INTERN | – (profile names, commas)    |
| indicators withheld| MONITOR_PUBLISH_OHNE   | – (indicator ids, commas)    |
| report time bound  | MONITOR_REPORT_TIMEOUT | 120 (seconds, 10 … 3600)     |
| report chart workers | MONITOR_REPORT_WORKERS | 1 (0: draw in the process) |

Every setting is read here and nowhere else: :func:`load_settings` reads the environment into one typed
:class:`Settings`; :func:`settings` returns it for the process, read once per state of the environment (a test
that changes a variable gets a new one). Yes/no settings follow one rule (:func:`env_flag`): ``ja``, ``an``,
``on``, ``1``, ``true``, ``yes`` mean yes; ``nein``, ``aus``, ``off``, ``0``, ``false``, ``no`` mean no
(any case); empty means the default; any other value the default with a warning in the log.
"""

from __future__ import annotations

import datetime as dt
import getpass
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

#: Years accepted in uploaded data (upper bound: next calendar year).
MIN_YEAR = 1990

#: "Basisjahr der Strategie": the base year of a target that names none (Open SDG, Soll path)
DEFAULT_BASE_YEAR = 2019


#: integer settings: variable → (default, least, greatest); a bad value is a German message at the start of the
#: command line (``check_environment``) and the default with a logged warning in a page run (never a traceback)
INT_SETTINGS: dict[str, tuple[int, int | None, int | None]] = {
    "MONITOR_MAX_UPLOAD_MB": (50, 1, None),
    "MONITOR_MAX_UNPACKED_MB": (200, 1, None),
    "MONITOR_MIN_COUNT": (3, 0, None),
    "MONITOR_DB_MEMORY_MB": (0, 0, None),
    "MONITOR_PORT": (8501, 1, 65535),
    "MONITOR_BASE_YEAR": (DEFAULT_BASE_YEAR, MIN_YEAR, 2100),
    "MONITOR_SESSION_MINUTES": (30, 1, None),
    "MONITOR_BACKUP_KEEP": (14, 0, None),
    "MONITOR_REPORT_TIMEOUT": (120, 10, 3600),
    "MONITOR_REPORT_WORKERS": (1, 0, 8),
    "MONITOR_PARSE_MEMORY_MB": (2048, 64, None),
    "MONITOR_PARSE_SECONDS": (120, 1, None),
}
_warned: set[tuple[str, str]] = set()
log = logging.getLogger("integrationsmonitor")


def _int_problem(name: str) -> tuple[int, str | None]:
    """(value, None) or (default, German message) for an integer setting."""
    default, lo, hi = INT_SETTINGS[name]
    raw = (os.environ.get(name) or "").strip()
    if not raw:
        return default, None
    try:
        value = int(raw)
    except ValueError:
        return default, f"Die Umgebungsvariable {name} muss eine ganze Zahl sein, nicht {raw!r}."
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        bounds = f"zwischen {lo} und {hi}" if hi is not None else f"mindestens {lo}"
        return default, f"Die Umgebungsvariable {name} muss {bounds} sein, nicht {value}."
    return value, None


def _warn_default(name: str, problem: str, default: object) -> None:
    """A bad setting in a running app: the default, and one warning per variable and value in the log."""
    key = (name, os.environ.get(name, ""))
    if key not in _warned:
        _warned.add(key)
        log.warning("%s Es gilt die Vorgabe %s.", problem, default)


def env_int(name: str) -> int:
    """An integer setting from the environment (INT_SETTINGS); a bad value gives the default and a logged warning."""
    value, problem = _int_problem(name)
    if problem:
        _warn_default(name, problem, value)
    return value


#: the one rule for yes/no settings
YES = ("ja", "an", "on", "1", "true", "yes")
NO = ("nein", "aus", "off", "0", "false", "no")

#: yes/no settings: variable → default
FLAG_SETTINGS: dict[str, bool] = {
    "MONITOR_AUTH": True,  # sign-in on; "aus": one trusted workstation (refused on a server in the network)
    "MONITOR_AUTH_AUS_IM_NETZ": False,  # confirms MONITOR_AUTH=aus for a server reachable from the network
    "MONITOR_ANONYMOUS_READ": False,  # pages readable without signing in
    "MONITOR_INBOX": True,  # the app watches its inbox folder
}


def env_flag(name: str) -> bool:
    """A yes/no setting from the environment (FLAG_SETTINGS, one rule: YES/NO); empty: the default; another value:
    the default and a logged warning."""
    default = FLAG_SETTINGS[name]
    raw = (os.environ.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in YES:
        return True
    if raw in NO:
        return False
    _warn_default(
        name,
        f"Die Umgebungsvariable {name} muss ja oder nein sein (auch an/aus, 1/0), nicht {raw!r}.",
        "ja" if default else "nein",
    )
    return default


def env_float(name: str, default: float, least: float) -> float:
    """A decimal setting (at least ``least``); a bad value gives the default and a logged warning."""
    raw = (os.environ.get(name) or "").strip()
    if not raw:
        return default
    try:
        return max(least, float(raw))
    except ValueError:
        _warn_default(name, f"Die Umgebungsvariable {name} muss eine Zahl sein, nicht {raw!r}.", default)
        return default


def env_list(name: str) -> tuple[str, ...]:
    """A comma-separated list setting (names, ids), each entry trimmed, empty entries left out."""
    return tuple(x.strip() for x in (os.environ.get(name) or "").split(",") if x.strip())


def env_path(name: str) -> Path | None:
    """A folder or file named by an environment variable (None: not set)."""
    raw = os.environ.get(name)
    return Path(raw) if raw else None


def strategy_base_year() -> int:
    """The strategy's base year from MONITOR_BASE_YEAR (default 2019)."""
    return env_int("MONITOR_BASE_YEAR")


#: the monitor's own area: this Kreis and its Gemeinden (other regions of official files are comparison regions)
DEFAULT_OWN_REGION = "03157"


def _own_region_problem() -> tuple[str, str | None]:
    key = (os.environ.get("MONITOR_OWN_REGION") or DEFAULT_OWN_REGION).strip()
    if not (len(key) == 5 and key.isascii() and key.isdigit()):
        return DEFAULT_OWN_REGION, (
            f"Die Umgebungsvariable MONITOR_OWN_REGION muss ein fünfstelliger Kreisschlüssel "
            f"sein (z. B. 03157), nicht {key!r}."
        )
    return key, None


def base_url_path() -> str:
    """The web server's path prefix behind a reverse proxy (Streamlit's ``server.baseUrlPath``: the environment
    variable STREAMLIT_SERVER_BASE_URL_PATH, else the project's ``.streamlit/config.toml``), as ``/monitor`` or ``""``.
    The command line needs it to reach the running app's health check and page stream."""
    raw = os.environ.get("STREAMLIT_SERVER_BASE_URL_PATH")
    if raw is None:
        try:
            import tomllib

            with open(PROJECT_DIR / ".streamlit" / "config.toml", "rb") as fh:
                raw = str(tomllib.load(fh).get("server", {}).get("baseUrlPath", ""))
        except (OSError, ValueError):
            raw = ""
    raw = raw.strip().strip("/")
    return f"/{raw}" if raw else ""


def own_region_setting() -> str:
    """The own Kreis from MONITOR_OWN_REGION (five digits, default 03157)."""
    key, problem = _own_region_problem()
    if problem:
        _warn_default("MONITOR_OWN_REGION", problem, key)
    return key


def _today_problem() -> tuple[dt.date | None, str | None]:
    raw = (os.environ.get("MONITOR_TODAY") or "").strip()
    if not raw:
        return None, None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date(), None
        except ValueError:
            pass
    return None, (
        f"Die Umgebungsvariable MONITOR_TODAY muss ein Datum sein (2026-03-31 oder 31.03.2026), nicht {raw!r}."
    )


def today_override() -> dt.date | None:
    """MONITOR_TODAY (``2026-03-31`` or ``31.03.2026``): the date the measures' schedule state is derived for
    (tests and rehearsals control the clock); unset (or not a date, with a logged warning): the real date."""
    day, problem = _today_problem()
    if problem:
        _warn_default("MONITOR_TODAY", problem, "das heutige Datum")
    return day


def setting_problems() -> list[str]:
    """Every bad setting, each as a German sentence (empty: all fine)."""
    problems = [p for name in INT_SETTINGS if (p := _int_problem(name)[1])]
    problems += [p for p in (_own_region_problem()[1], _today_problem()[1]) if p]
    return problems


def check_environment() -> None:
    """At the start of the command line and ``start``: every bad setting named in German, then stop (exit code 2),
    before anything runs. The app itself uses the defaults instead (see ``env_int``)."""
    if problems := setting_problems():
        raise SystemExit("\n".join(["Ungültige Einstellung:", *problems]))


def _default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unbekannt"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    db_path: Path
    archive_dir: Path
    definitions_dir: Path
    regions_file: Path
    max_upload_mb: int = 50
    #: what an .xlsx/.xlsm/.ods may unpack to (its XML) in MB: a 4,6 MB workbook with 422 MB of XML took 4,5 GB
    max_unpacked_mb: int = 200
    min_count: int = 3
    user: str = field(default_factory=_default_user)
    #: upper bound for DuckDB's memory in MB (None: DuckDB's default); larger work spills to disk
    db_memory_mb: int | None = None
    #: port of the web server (``make run``, ``integrationsmonitor start``)
    port: int = 8501
    #: "Basisjahr der Strategie": base year of every target that names none (MONITOR_BASE_YEAR)
    base_year: int = DEFAULT_BASE_YEAR
    #: the own Kreis (MONITOR_OWN_REGION): it and its Gemeinden are the monitor's area
    own_region: str = DEFAULT_OWN_REGION
    #: the clock of the measures' schedule state (MONITOR_TODAY); None: the real date
    today_override: dt.date | None = None
    #: a session ends after this many minutes without activity (MONITOR_SESSION_MINUTES)
    session_minutes: int = 30
    #: backups kept in the backup folder, 0: all (MONITOR_BACKUP_KEEP)
    backup_keep: int = 14
    #: address space of the child that parses one workbook, in MB (MONITOR_PARSE_MEMORY_MB)
    parse_memory_mb: int = 2048
    #: seconds the child may take for one workbook (MONITOR_PARSE_SECONDS)
    parse_seconds: int = 120
    #: the backup folder (MONITOR_BACKUP_DIR); None: ``<folder of the database>/backups``
    backup_dir: Path | None = None
    #: the inbox folder (MONITOR_INBOX_DIR); None: ``<folder of the database>/inbox``
    inbox_dir: Path | None = None
    #: seconds between two looks into the inbox (MONITOR_INBOX_POLL)
    inbox_poll: float = 2.0
    #: whether the app watches its inbox (MONITOR_INBOX)
    inbox: bool = True
    #: sign-in on (MONITOR_AUTH); off only for one trusted workstation and the tests
    auth: bool = True
    #: MONITOR_AUTH=aus confirmed for a server reachable from the network (MONITOR_AUTH_AUS_IM_NETZ)
    auth_off_in_network: bool = False
    #: pages readable without signing in (MONITOR_ANONYMOUS_READ)
    anonymous_read: bool = False
    #: the report's fonts (MONITOR_FONT_DIR), searched before the system's font folders
    font_dir: Path | None = None
    #: the public website (issue 23): its folder (MONITOR_PUBLISH_DIR; None: ``<folder of the database>/website``)
    publish_dir: Path | None = None
    #: a UTF-8 text file with the imprint (MONITOR_PUBLISH_IMPRESSUM; paragraphs separated by blank lines)
    publish_imprint: Path | None = None
    #: the contact line of the website (MONITOR_PUBLISH_KONTAKT), e.g. an e-mail address of the Stabsstelle
    publish_contact: str = ""
    #: own lists (names of mapping profiles) whose data stays internal (MONITOR_PUBLISH_INTERN): an indicator that
    #: reads a variable loaded from such a list is not published
    publish_internal_lists: tuple[str, ...] = ()
    #: indicators withheld from the website whatever the definitions say (MONITOR_PUBLISH_OHNE)
    publish_withheld: tuple[str, ...] = ()
    #: the hard bound on one report's time in seconds (MONITOR_REPORT_TIMEOUT): PDF or PowerPoint, charts included
    report_timeout: int = 120
    #: worker processes that draw a large report's charts (MONITOR_REPORT_WORKERS; 0: in the process itself)
    report_workers: int = 1

    @property
    def today(self) -> dt.date:
        return self.today_override or dt.date.today()

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def max_unpacked_bytes(self) -> int:
        return self.max_unpacked_mb * 1024 * 1024


def load_settings(db_path: str | os.PathLike[str] | None = None) -> Settings:
    """Settings from the environment; ``db_path`` (the CLI's ``--db``) wins over MONITOR_DB."""
    data_dir = Path(os.environ.get("MONITOR_DATA_DIR", PROJECT_DIR / "data"))
    db = Path(cast("str | os.PathLike[str]", db_path or os.environ.get("MONITOR_DB", data_dir / "monitor.duckdb")))
    archive = Path(os.environ.get("MONITOR_ARCHIVE_DIR", db.parent / "archive"))
    definitions = Path(os.environ.get("MONITOR_DEFINITIONS", PACKAGE_DIR / "definitions"))
    return Settings(
        data_dir=data_dir,
        db_path=db,
        archive_dir=archive,
        definitions_dir=definitions,
        regions_file=definitions / "regions.csv",
        max_upload_mb=env_int("MONITOR_MAX_UPLOAD_MB"),
        max_unpacked_mb=env_int("MONITOR_MAX_UNPACKED_MB"),
        min_count=env_int("MONITOR_MIN_COUNT"),
        user=os.environ.get("MONITOR_USER") or _default_user(),
        db_memory_mb=env_int("MONITOR_DB_MEMORY_MB") or None,
        port=env_int("MONITOR_PORT"),
        base_year=strategy_base_year(),
        own_region=own_region_setting(),
        today_override=today_override(),
        session_minutes=env_int("MONITOR_SESSION_MINUTES"),
        backup_keep=env_int("MONITOR_BACKUP_KEEP"),
        parse_memory_mb=env_int("MONITOR_PARSE_MEMORY_MB"),
        parse_seconds=env_int("MONITOR_PARSE_SECONDS"),
        backup_dir=env_path("MONITOR_BACKUP_DIR"),
        inbox_dir=env_path("MONITOR_INBOX_DIR"),
        inbox_poll=env_float("MONITOR_INBOX_POLL", 2.0, 0.2),
        inbox=env_flag("MONITOR_INBOX"),
        auth=env_flag("MONITOR_AUTH"),
        auth_off_in_network=env_flag("MONITOR_AUTH_AUS_IM_NETZ"),
        anonymous_read=env_flag("MONITOR_ANONYMOUS_READ"),
        font_dir=env_path("MONITOR_FONT_DIR"),
        publish_dir=env_path("MONITOR_PUBLISH_DIR"),
        publish_imprint=env_path("MONITOR_PUBLISH_IMPRESSUM"),
        publish_contact=(os.environ.get("MONITOR_PUBLISH_KONTAKT") or "").strip(),
        publish_internal_lists=env_list("MONITOR_PUBLISH_INTERN"),
        publish_withheld=env_list("MONITOR_PUBLISH_OHNE"),
        report_timeout=env_int("MONITOR_REPORT_TIMEOUT"),
        report_workers=env_int("MONITOR_REPORT_WORKERS"),
    )


#: what the process's settings depend on: every variable read above (and the login name's sources)
_ENV_NAMES = (
    *INT_SETTINGS,
    *FLAG_SETTINGS,
    "MONITOR_DATA_DIR",
    "MONITOR_DB",
    "MONITOR_ARCHIVE_DIR",
    "MONITOR_DEFINITIONS",
    "MONITOR_USER",
    "MONITOR_OWN_REGION",
    "MONITOR_TODAY",
    "MONITOR_BACKUP_DIR",
    "MONITOR_INBOX_DIR",
    "MONITOR_INBOX_POLL",
    "MONITOR_FONT_DIR",
    "MONITOR_PUBLISH_DIR",
    "MONITOR_PUBLISH_IMPRESSUM",
    "MONITOR_PUBLISH_KONTAKT",
    "MONITOR_PUBLISH_INTERN",
    "MONITOR_PUBLISH_OHNE",
    "LOGNAME",
    "USER",
    "LNAME",
    "USERNAME",
)
_current: tuple[tuple[str | None, ...], Settings] | None = None


def settings() -> Settings:
    """The process's settings, read from the environment once (again only when one of its variables changed)."""
    global _current
    key = tuple(os.environ.get(name) for name in _ENV_NAMES)
    if _current is None or _current[0] != key:
        _current = (key, load_settings())
    return _current[1]
