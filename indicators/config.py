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
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

#: Years accepted in uploaded data (upper bound: next calendar year).
MIN_YEAR = 1990

#: "Basisjahr der Strategie": the base year of a target that names none (Open SDG, Soll path)
DEFAULT_BASE_YEAR = 2019


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SystemExit(f"Die Umgebungsvariable {name} muss eine ganze Zahl sein, nicht {raw!r}.") from exc


def strategy_base_year() -> int:
    """The strategy's base year from MONITOR_BASE_YEAR (default 2019); a German message if it is no year."""
    year = _env_int("MONITOR_BASE_YEAR", DEFAULT_BASE_YEAR)
    if not MIN_YEAR <= year <= 2100:
        raise SystemExit(f"Die Umgebungsvariable MONITOR_BASE_YEAR muss ein Jahr zwischen {MIN_YEAR} und 2100 sein, "
                         f"nicht {year}.")
    return year


#: the monitor's own area: this Kreis and its Gemeinden (other regions of official files are comparison regions)
DEFAULT_OWN_REGION = "03157"


def own_region_setting() -> str:
    """The own Kreis from MONITOR_OWN_REGION (five digits, default 03157); a German message otherwise."""
    key = (os.environ.get("MONITOR_OWN_REGION") or DEFAULT_OWN_REGION).strip()
    if not (len(key) == 5 and key.isascii() and key.isdigit()):
        raise SystemExit(f"Die Umgebungsvariable MONITOR_OWN_REGION muss ein fünfstelliger Kreisschlüssel sein "
                         f"(z. B. 03157), nicht {key!r}.")
    return key


def today_override() -> dt.date | None:
    """MONITOR_TODAY (``2026-03-31`` or ``31.03.2026``): the date the measures' schedule state is derived for
    (tests and rehearsals control the clock); unset: the real date."""
    raw = (os.environ.get("MONITOR_TODAY") or "").strip()
    if not raw:
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            pass
    raise SystemExit(f"Die Umgebungsvariable MONITOR_TODAY muss ein Datum sein (2026-03-31 oder 31.03.2026), "
                     f"nicht {raw!r}.")


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

    @property
    def today(self) -> dt.date:
        return self.today_override or dt.date.today()

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def max_unpacked_bytes(self) -> int:
        return self.max_unpacked_mb * 1024 * 1024


def load_settings(db_path: str | os.PathLike | None = None) -> Settings:
    """Settings from the environment; ``db_path`` (the CLI's ``--db``) wins over MONITOR_DB."""
    data_dir = Path(os.environ.get("MONITOR_DATA_DIR", PROJECT_DIR / "data"))
    db = Path(db_path or os.environ.get("MONITOR_DB", data_dir / "monitor.duckdb"))
    archive = Path(os.environ.get("MONITOR_ARCHIVE_DIR", db.parent / "archive"))
    definitions = Path(os.environ.get("MONITOR_DEFINITIONS", PACKAGE_DIR / "definitions"))
    return Settings(
        data_dir=data_dir,
        db_path=db,
        archive_dir=archive,
        definitions_dir=definitions,
        regions_file=definitions / "regions.csv",
        max_upload_mb=_env_int("MONITOR_MAX_UPLOAD_MB", 50),
        max_unpacked_mb=_env_int("MONITOR_MAX_UNPACKED_MB", 200),
        min_count=_env_int("MONITOR_MIN_COUNT", 3),
        user=os.environ.get("MONITOR_USER") or _default_user(),
        db_memory_mb=_env_int("MONITOR_DB_MEMORY_MB", 0) or None,
        port=_env_int("MONITOR_PORT", 8501),
        base_year=strategy_base_year(),
        own_region=own_region_setting(),
        today_override=today_override(),
    )
