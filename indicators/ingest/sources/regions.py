"""Region facts shipped as data: official names (for tables without a key column) and Jobcenter → Kreis.

``definitions/official_regions.csv``: Deutschland, Länder, Regierungsbezirke/statistische Regionen and Kreise
with their official names; ``definitions/jobcenter.csv``: the BA's Jobcenter numbers (Trägernummer) and the
Kreis each covers. Both are read from the definitions folder (MONITOR_DEFINITIONS overrides it).
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

from indicators import config
from indicators.config import PACKAGE_DIR
from indicators.ingest.headers import header_key

#: header words of a Jobcenter number column (BA tables by Jobcenter)
JOBCENTER_HEADERS = ("Trägernummer", "Träger-Nr.", "Jobcenter-Nummer", "JC-Nummer", "Trägernr.")


def _definitions() -> Path:
    return config.settings().definitions_dir  # MONITOR_DEFINITIONS or the shipped definitions


def _rows(name: str) -> list[dict[str, str]]:
    path = _definitions() / name
    if not path.exists():
        path = PACKAGE_DIR / "definitions" / name
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter=";"))


def name_variants(name: str) -> list[str]:
    """'Peine, Landkreis' and 'Landkreis Peine' (and the bare 'Peine') name the same Kreis."""
    name = name.strip()
    out = [name]
    m = re.match(r"^(.*?),\s*(Landkreis|Kreis|Kreisfreie Stadt|kreisfreie Stadt|Stadt|Region|Stadtkreis)$", name, re.I)
    if m:
        out += [f"{m.group(2)} {m.group(1)}", m.group(1)]
    m = re.match(r"^(Landkreis|Kreis|Region|Stadt)\s+(.*)$", name, re.I)
    if m:
        out += [f"{m.group(2)}, {m.group(1)}", m.group(2)]
    return out


@functools.lru_cache(maxsize=4)
def _official_names(folder: str) -> dict[str, str]:
    names: dict[str, str] = {}
    bare: dict[str, set[str]] = {}
    for row in _rows("official_regions.csv") + _rows("regions.csv"):
        key, name = row["key"].strip(), re.sub(r"\s*\(bis \d{4}\)$", "", row["name"]).strip()
        variants = name_variants(name)
        names.setdefault(header_key(variants[0]), key)
        for v in variants[1:]:
            bare.setdefault(header_key(v), set()).add(key)
    for k, keys in bare.items():  # a short name only where it is unambiguous ('Göttingen': Kreis, not the Stadt)
        if len(keys) == 1 and k not in names:
            names[k] = next(iter(keys))
    return names


@functools.lru_cache(maxsize=4)
def _official_keys(folder: str) -> frozenset[str]:
    return frozenset(r["key"].strip() for r in _rows("official_regions.csv") + _rows("regions.csv"))


def official_keys() -> frozenset[str]:
    """The keys of the official list (Deutschland, Länder, Regierungsbezirke, Kreise) and of the own region list."""
    return _official_keys(str(_definitions()))


@functools.lru_cache(maxsize=4)
def _official_regions(folder: str) -> dict[str, str]:
    return {r["key"].strip(): r["name"].strip() for r in _rows("official_regions.csv")}


def official_regions() -> dict[str, str]:
    """Key → official name of every region of the official list (Deutschland, Länder, Kreise)."""
    return _official_regions(str(_definitions()))


def official_names() -> dict[str, str]:
    """Official region name (as :func:`header_key`) → key."""
    return _official_names(str(_definitions()))


@functools.lru_cache(maxsize=4)
def _names_of_keys(folder: str) -> dict[str, str]:
    names = {r["key"].strip(): r["name"].strip() for r in _rows("official_regions.csv")}
    names.update({r["key"].strip(): r["name"].strip() for r in _rows("regions.csv") if r.get("name")})
    return names


def german_name(key: str) -> str | None:
    """The German name of a key in the region list (the own list first, then the official one): '09' → 'Bayern'
    where a file names it 'bavaria'."""
    return _names_of_keys(str(_definitions())).get(key)


@functools.lru_cache(maxsize=4)
def _jobcenter(folder: str) -> dict[str, str]:
    return {r["traegernummer"].strip(): r["key"].strip() for r in _rows("jobcenter.csv")}


def jobcenter_kreise() -> dict[str, str]:
    """Trägernummer → AGS of the Kreis."""
    return _jobcenter(str(_definitions()))


@functools.lru_cache(maxsize=4)
def _jobcenter_names(folder: str) -> dict[str, str]:
    return {r["key"].strip(): r["kreis"].strip() for r in _rows("jobcenter.csv") if r.get("kreis")}


def jobcenter_kreis_names() -> dict[str, str]:
    """AGS of a Kreis that a Jobcenter covers → the Kreis' official name (a Jobcenter row names the Jobcenter)."""
    return _jobcenter_names(str(_definitions()))
