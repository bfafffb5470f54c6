"""A GENESIS table (Regionalstatistik layout of ``samples/genesis_12411-03-03-4_kreise.csv``) holding every region
of Germany: Deutschland, Länder, statistische Regionen, Kreise and kreisfreie Städte, built from the list of
regions of the real export 12411-01-01-4 (2018, ``fixtures/regionen_deutschland_2018.csv``), including the
dissolved Kreise Göttingen (03152) and Osterode am Harz (03156) with ``-`` rows."""

from __future__ import annotations

import csv
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
REGIONS = FIXTURES / "regionen_deutschland_2018.csv"


def regions() -> list[dict]:
    with open(REGIONS, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def foreign_share(key: str) -> float:
    """A made-up but fixed share of foreigners per region (5 % to 24 %), different for every key."""
    return 0.05 + (sum(ord(c) * (i + 1) for i, c in enumerate(key)) % 190) / 1000


def genesis_all_regions(years: tuple[int, ...] = (2022, 2023), peine_share: float | None = None) -> bytes:
    """The table as the Regionalstatistik exports it (Latin-1, ``;``). ``peine_share`` sets the Landkreis'
    share of foreigners (to test its rank)."""
    head = [
        "GENESIS-Tabelle: 12411-03-03-4;;;;;;;;;;;",
        "Bevölkerung nach Geschlecht, Nationalität;;;;;;;;;;;",
        "und Altersgruppen (21) - Stichtag 31.12. - (ab 2011);;;;;;;;;;;",
        "regionale Tiefe: Kreise und krfr. Städte;;;;;;;;;;;",
        "Fortschreibung des Bevölkerungsstandes;;;;;;;;;;;",
        "Bevölkerungsstand (Anzahl);;;;;;;;;;;",
        ";;;Insgesamt;Insgesamt;Insgesamt;Deutsche;Deutsche;Deutsche;Ausländer(innen);Ausländer(innen);Ausländer(innen)",
        ";;;Insgesamt;männlich;weiblich;Insgesamt;männlich;weiblich;Insgesamt;männlich;weiblich",
    ]
    lines = list(head)
    for year in years:
        for r in regions():
            key, name, pop = r["key"], r["name"], r["bevoelkerung_2018"]
            indent = {2: "  ", 3: "    "}.get(len(key), "      ") if key != "DG" else ""
            if not pop.strip().isdigit():  # '-' (dissolved) or '.' (unknown) as in the export
                cells = [pop.strip()] * 9
            else:
                total = int(pop) + (year - 2022) * 1000
                share = peine_share if key == "03157" and peine_share is not None else foreign_share(key)
                foreign = round(total * share)
                german = total - foreign
                parts = []
                for group in (total, german, foreign):
                    male = group // 2
                    parts += [group, male, group - male]
                cells = [str(v) for v in parts]
            lines.append(";".join([f"31.12.{year}", key, indent + name, *cells]))
    lines += [
        "__________;;;;;;;;;;;",
        '"zu ""gesamte Tabelle"":;;;;;;;;;;;',
        'Die Werte sind gerundet."',
        "© Statistische Ämter des Bundes und der Länder, Deutschland, 2025.;;;;;;;;;;;",
        "Stand: 14.03.2025 / 10:12:45;;;;;;;;;;;",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("latin-1")
