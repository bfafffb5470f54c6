"""The demo data in the layouts the real sources deliver (labelled as demo data wherever a layout has room).

:func:`indicators.demo.generator.generate_observations` is split over the export layouts the importer reads, so that
loading these files through the normal import gives exactly the observations of the template path
(:func:`indicators.demo.generator.write_demo_files`):

* GENESIS flat CSV (ffcsv): ``bevoelkerung`` 2012–2018, Gemeinden, Nationalität × Geschlecht × Altersgruppe;
* GENESIS table CSV: ``bevoelkerung`` 2019–2025, same breakdown (Windows-1252, title lines, footer);
* BA Excel tables, one file per year: ``arbeitslose`` (insgesamt) with ``alq`` of the Landkreis,
  ``svb_wohnort``, ``elb_sgb2``;
* Open SDG CSV: ``alq`` of Niedersachsen (the comparison series by nationality);
* Personalamt list, one file per year: ``personal_verwaltung`` / ``auszubildende_verwaltung``
  (insgesamt, mit_mh), read with the profile ``profile_personalamt.yaml``;
* Ausländerbehörde export: ``auslaender_aufenthaltsstatus``, ``bearbeitungsdauer_median``, read with the
  profile ``profile_auslaenderbehoerde.yaml``;
* the app's template: everything else (own counts, AZR, school statistics, elections, …).

Every row of the demo goes to exactly one layout (:func:`route`); each writer takes its cells one by one
(:class:`_Cells`) and fails loudly if a row has no place in its layout, so nothing is lost silently.
The file ``demo_manifest.json`` lists each file with its expected format and, for the administration's
own lists, the mapping profile it must be read with. :func:`load_demo_exports` writes and imports them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd
from openpyxl import Workbook

from indicators.catalog import Catalog
from indicators.demo import generator as demo
from indicators.ingest.base import Reader

if TYPE_CHECKING:
    from indicators.service import Monitor
from indicators.ingest.template import write_template

T = "insgesamt"
KREIS, LAND = demo.KREIS, demo.LAND
MANIFEST = "demo_manifest.json"
FLAT_LAST_YEAR = 2018  # bevoelkerung up to this year as ffcsv, later years as table CSV
NATIONALITY_ORDER = (T, "deutsch", "auslaendisch")
SEX_ORDER = (T, "maennlich", "weiblich")
MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


# ------------------------------------------------------------------------------------------------
# the manifest: which file is which layout, and which profile reads it
# ------------------------------------------------------------------------------------------------
@dataclass
class DemoFile:
    file: str
    layout: str  # human-readable name of the source layout
    format: str  # the ``ParsedFile.format`` the import must recognise
    profile: str | None = None  # mapping profile file in definitions/mappings (own lists only)
    variables: list[str] = field(default_factory=list)
    values: int = 0  # observations the file carries


def read_manifest(out_dir: Path) -> list[DemoFile]:
    data = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    return [DemoFile(**f) for f in data["files"]]


def _write_manifest(out_dir: Path, files: list[DemoFile], seed: int) -> Path:
    path = out_dir / MANIFEST
    doc = {
        "label": demo.DEMO_LABEL,
        "seed": seed,
        "note": "Einträge mit 'profile' nur mit diesem Zuordnungsprofil laden (import --profile NAME).",
        "files": [asdict(f) for f in files],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------------
# routing: every demo row to exactly one layout
# ------------------------------------------------------------------------------------------------
#: Layouts whose columns need several variables: written only if the catalog has all of them (a changed
#: catalog must still import cleanly; otherwise the rows go to the template).
NEEDS: dict[str, set[str]] = {
    "ba_arbeitslose": {"arbeitslose", "alq"},
    "personalamt": {"personal_verwaltung", "auszubildende_verwaltung"},
}


def route(obs: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The demo rows per layout key, each row in exactly one; rows no real layout carries go to ``template``."""
    v, reg, y = obs["variable"], obs["region"], obs["year"]
    nat_t, sex_t = obs["nationality"] == T, obs["sex"] == T
    age_t, cat_t = obs["age_group"] == T, obs["category"] == T
    kreis = reg == KREIS
    masks = {
        "genesis_flat": (v == "bevoelkerung") & (y <= FLAT_LAST_YEAR),
        "genesis_table": (v == "bevoelkerung") & (y > FLAT_LAST_YEAR),
        "ba_arbeitslose": kreis & age_t & cat_t & (((v == "arbeitslose") & sex_t) | (v == "alq")),
        "ba_beschaeftigte": kreis & age_t & cat_t & (v == "svb_wohnort"),
        "ba_leistungsberechtigte": kreis & age_t & cat_t & sex_t & (v == "elb_sgb2"),
        "opensdg": (reg == LAND) & age_t & cat_t & sex_t & (v == "alq"),
        "personalamt": kreis
        & nat_t
        & sex_t
        & age_t
        & v.isin(["personal_verwaltung", "auszubildende_verwaltung"])
        & obs["category"].isin([T, "mit_mh"]),
        "auslaenderbehoerde": kreis
        & nat_t
        & age_t
        & v.isin(["auslaender_aufenthaltsstatus", "bearbeitungsdauer_median"]),
    }
    present = set(v)
    out: dict[str, pd.DataFrame] = {}
    taken = pd.Series(False, index=obs.index)
    for key, mask in masks.items():
        mask = mask & ~taken
        if not mask.any() or not NEEDS.get(key, set()) <= present:
            continue
        taken |= mask
        out[key] = obs[mask]
    if (~taken).any():
        out["template"] = obs[~taken]
    return out


# ------------------------------------------------------------------------------------------------
# cells: taking the routed rows one by one
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cell:
    value: float
    flag: str | None
    ref_date: dt.date | None

    @property
    def missing(self) -> bool:
        return self.value is None or (isinstance(self.value, float) and math.isnan(self.value))

    def number(self) -> int | float:
        """The value for a spreadsheet cell (whole numbers as int)."""
        return int(self.value) if float(self.value).is_integer() else float(self.value)

    def text(self, decimal: str = ",", thousands: str = "") -> str:
        """The value as a text cell: a number, an official symbol instead of a missing value, or
        the number with its flag ('123 p', '(123)')."""
        if self.missing:
            if not self.flag:
                raise ValueError("Wert fehlt ohne Kennzeichen")
            return self.flag
        n = self.number()
        s = f"{n:,}".replace(",", thousands) if isinstance(n, int) else repr(n).replace(".", decimal)
        if self.flag == "()":
            return f"({s})"
        return f"{s} {self.flag}" if self.flag else s

    def sheet_value(self) -> int | float | str:
        return self.number() if not self.missing and not self.flag else self.text()


class _Cells:
    """The rows of one layout by key; a writer takes each cell once, :meth:`done` checks nothing is left."""

    KEY = ("variable", "region", "year", "nationality", "sex", "age_group", "category")

    def __init__(self, frame: pd.DataFrame, layout: str):
        self.layout = layout
        self.all: dict[tuple[Any, ...], Cell] = {}
        for r in frame.itertuples(index=False):
            key = tuple(getattr(r, k) for k in self.KEY)
            self.all[key] = Cell(r.value, r.flag, r.ref_date)
        self.cells = dict(self.all)  # not yet written

    def _key(
        self,
        variable: str,
        region: str,
        year: int,
        nationality: str = T,
        sex: str = T,
        age_group: str = T,
        category: str = T,
    ) -> tuple[Any, ...]:
        return (variable, region, int(year), nationality, sex, age_group, category)

    def has(self, *args: Any, **kw: Any) -> bool:
        return self._key(*args, **kw) in self.cells

    def peek(self, *args: Any, **kw: Any) -> Cell:
        """A cell of the layout, written or not (for derived columns such as shares)."""
        key = self._key(*args, **kw)
        if key not in self.all:
            raise ValueError(f"{self.layout}: kein Demowert für {key}")
        return self.all[key]

    def take(self, *args: Any, **kw: Any) -> Cell:
        """A cell to write; each exactly once."""
        key = self._key(*args, **kw)
        if key not in self.cells:
            raise ValueError(f"{self.layout}: kein Demowert für {key} (oder schon geschrieben)")
        return cast(Cell, self.cells.pop(key))

    def done(self) -> None:
        if self.cells:
            first = ", ".join(str(k) for k in list(self.cells)[:3])
            raise ValueError(
                f"{self.layout}: {len(self.cells)} Demowerte haben in der Exportform keinen Platz: {first}"
            )


def _one_ref(cells: list[Cell], what: str) -> dt.date | None:
    refs = {c.ref_date for c in cells}
    if len(refs) != 1:
        raise ValueError(f"{what}: uneinheitliche Stichtage {sorted(map(str, refs))}")
    return refs.pop()


def _age_label(code: str) -> str:
    """Inverse of ``common.age_code``: '15-65' → '15 bis unter 65 Jahre'."""
    if code == T:
        return "Insgesamt"
    if code.startswith("u") and code[1:].isdigit():
        return f"unter {code[1:]} Jahre"
    if code.endswith("_plus"):
        return f"{code[:-5]} Jahre und mehr"
    lo, hi = code.split("-")
    return f"{lo} bis unter {hi} Jahre"


def _age_order(codes: Iterable[str]) -> list[str]:
    """'insgesamt' first, then by the ages in the code ('15-65' before '15-67' before '18-21')."""
    return sorted(set(codes), key=lambda c: (c != T, [int(x) for x in re.findall(r"\d+", c)], c))


# ------------------------------------------------------------------------------------------------
# GENESIS flat file CSV (ffcsv)
# ------------------------------------------------------------------------------------------------
FF_GROUPS = (("NAT", "Nationalität"), ("GES", "Geschlecht"), ("ALTX20", "Altersgruppen"))  # after the region
FF_CODES = {
    "nationality": {
        T: ("INSGESAMT", "Insgesamt"),
        "deutsch": ("NATD", "Deutsche"),
        "auslaendisch": ("NATA", "Ausländer(innen)"),
    },
    "sex": {T: ("INSGESAMT", "Insgesamt"), "maennlich": ("GESM", "männlich"), "weiblich": ("GESW", "weiblich")},
}


def _ff_age(code: str) -> tuple[str, str]:
    """Attribute code and label of an age group ('15-65' → ALT015B65, '15 bis unter 65 Jahre')."""
    if code == T:
        return "INSGESAMT", "Insgesamt"
    ages = [int(x) for x in re.findall(r"\d+", code)]
    if code.startswith("u"):
        attr = f"ALT000B{ages[0]:02d}"
    elif code.endswith("_plus"):
        attr = f"ALT{ages[0]:03d}UM"
    else:
        attr = f"ALT{ages[0]:03d}B{ages[1]:02d}"
    return attr, _age_label(code)


def _ff_region(key: str) -> tuple[str, str]:
    """Code and label of the region variable of a flat file, by the level of the key (as GENESIS names them)."""
    if key == "DG":
        return "DINSG", "Deutschland insgesamt"
    return {2: ("DLAND", "Bundesländer"), 5: ("KREISE", "Kreise und krfr. Städte")}.get(
        len(key), ("GEMEIN", "Gemeinden")
    )


def write_genesis_flat(path: Path, frame: pd.DataFrame, names: dict[str, str]) -> Path:
    """Bevölkerung as GENESIS ffcsv: UTF-8 with BOM, ';', CRLF, one value per row, symbols in ``value``."""
    cells = _Cells(frame, "GENESIS-Flatfile")
    header = ["statistics_code", "statistics_label", "time_code", "time_label", "time"]
    for i in range(1, len(FF_GROUPS) + 2):
        header += [
            f"{i}_variable_code",
            f"{i}_variable_label",
            f"{i}_variable_attribute_code",
            f"{i}_variable_attribute_label",
        ]
    header += ["value", "value_unit", "value_variable_code", "value_variable_label"]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(header)
    label = f"Fortschreibung des Bevölkerungsstandes – {demo.DEMO_LABEL}"
    ages = _age_order(frame["age_group"])
    for year, region in sorted(set(zip(frame["year"].astype(int), frame["region"]))):
        for nat in NATIONALITY_ORDER:
            for sex in SEX_ORDER:
                for age in ages:
                    if not cells.has("bevoelkerung", region, year, nat, sex, age):
                        continue
                    cell = cells.take("bevoelkerung", region, year, nat, sex, age)
                    time = cell.ref_date.isoformat() if cell.ref_date else str(year)
                    time_code, time_label = ("STAG", "Stichtag") if cell.ref_date else ("JAHR", "Jahr")
                    row = [
                        "12411",
                        label,
                        time_code,
                        time_label,
                        time,
                        *_ff_region(region),
                        region,
                        names.get(region, region),
                    ]
                    for (code, code_label), attr in zip(
                        FF_GROUPS, (FF_CODES["nationality"][nat], FF_CODES["sex"][sex], _ff_age(age))
                    ):
                        row += [code, code_label, *attr]
                    row += [cell.text(","), "Anzahl", "BEVSTD", "Bevölkerungsstand"]
                    w.writerow(row)
    cells.done()
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))
    return path


# ------------------------------------------------------------------------------------------------
# GENESIS table CSV
# ------------------------------------------------------------------------------------------------
TABLE_NATIONALITY = {T: "Insgesamt", "deutsch": "Deutsche", "auslaendisch": "Ausländer(innen)"}
TABLE_SEX = {T: "Insgesamt", "maennlich": "männlich", "weiblich": "weiblich"}


def write_genesis_table(path: Path, frame: pd.DataFrame, names: dict[str, str]) -> Path:
    """Bevölkerung as GENESIS table CSV: Windows-1252, CRLF, title lines, two header lines, data rows
    (Stichtag, Gemeinde key, indented name, age group), then ``__________``, a quoted multi-line footnote,
    © and licence, ``Stand:``."""
    cells = _Cells(frame, "GENESIS-Tabelle")
    columns = [(n, s) for n in NATIONALITY_ORDER for s in SEX_ORDER]
    width = 4 + len(columns)

    def line(*parts: str) -> str:
        return ";".join(list(parts) + [""] * (width - len(parts)))

    years = sorted(int(y) for y in frame["year"].unique())
    lines = [
        line("GENESIS-Tabelle: 12411-03-03-5"),
        line("Bevölkerung nach Geschlecht, Nationalität"),
        line("und Altersgruppen - Stichtag 31.12. - (ab 2011)"),
        line("regionale Tiefe: Gemeinden"),
        line("Fortschreibung des Bevölkerungsstandes"),
        line("Bevölkerungsstand (Anzahl)"),
        ";;;;" + ";".join(TABLE_NATIONALITY[n] for n, _ in columns),
        ";;;;" + ";".join(TABLE_SEX[s] for _, s in columns),
    ]
    ages = _age_order(frame["age_group"])
    for year in years:
        regions = sorted(frame.loc[frame["year"] == year, "region"].unique())
        for region in regions:
            for age in ages:
                row = [cells.take("bevoelkerung", region, year, n, s, age) for n, s in columns]
                ref = _one_ref(row, f"GENESIS-Tabelle {region} {year}")
                period = ref.strftime("%d.%m.%Y") if ref else str(year)
                name = "      " + names.get(region, region)
                lines.append(";".join([period, region, name, _age_label(age)] + [c.text(",") for c in row]))
    cells.done()
    lines += [
        line("__________"),
        '"zu ""gesamte Tabelle"":' + ";" * (width - 1),
        line(f"{demo.DEMO_LABEL}: synthetische Werte des Integrationsmonitors, keine amtlichen Zahlen."),
        'Ab dem Berichtsjahr 2022 basieren die Ergebnisse auf dem Zensus 2022."',
        line(f"© Statistische Ämter des Bundes und der Länder, Deutschland, {years[-1] + 1}."),
        line("Dieses Werk ist lizenziert unter der Datenlizenz Deutschland – Namensnennung – Version 2.0."),
        line(f"Stand: 14.03.{years[-1] + 1} / 10:12:45"),
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


# ------------------------------------------------------------------------------------------------
# BA Excel tables
# ------------------------------------------------------------------------------------------------
BA_NATIONALITY = {T: "Insgesamt", "deutsch": "Deutsche", "auslaendisch": "Ausländer"}
BA_SEX = {T: "Insgesamt", "maennlich": "Männer", "weiblich": "Frauen"}
BA_FOOTNOTES = [
    "*) Aus Datenschutzgründen und Gründen der statistischen Geheimhaltung werden Zahlenwerte von 1 oder 2 und "
    "Daten, aus denen rechnerisch auf einen solchen Zahlenwert geschlossen werden kann, anonymisiert.",
    "x) Nachweis nicht sinnvoll.",
]


@dataclass(frozen=True)
class BaColumn:
    groups: tuple[str, ...]  # group labels top to bottom (merged over equal neighbours)
    measure: str
    cell: Callable[[_Cells, int], object]  # (cells, year) -> the cell value


@dataclass(frozen=True)
class BaTableSpec:
    key: str  # layout key in :func:`route`
    file: str  # file name pattern with {year}
    sheet: str
    title: str  # first title line; must contain the words ba.yaml matches the table by
    contents: str  # line of the sheet 'Inhalt'
    columns: list[BaColumn]
    footnotes: list[str] = field(default_factory=list)


def _share(variable: str, nationality: str) -> Callable[[_Cells, int], object]:
    """'Anteil in %' of a nationality among all (BA prints 'x' for the total itself); ba.yaml does not
    import it (measure mapped to null)."""

    def cell(cells: _Cells, year: int) -> object:
        if nationality == T:
            return "x"
        part = cells.peek(variable, KREIS, year, nationality).value
        total = cells.peek(variable, KREIS, year).value
        return round(100.0 * part / total, 1)

    return cell


def _take(variable: str, nationality: str = T, sex: str = T) -> Callable[[_Cells, int], object]:
    return lambda cells, year: cells.take(variable, KREIS, year, nationality, sex).sheet_value()


def ba_tables() -> list[BaTableSpec]:
    arbeitslose = []
    for nat, label in BA_NATIONALITY.items():
        arbeitslose += [
            BaColumn((label, "Insgesamt"), "Anzahl", _take("arbeitslose", nat)),
            BaColumn((label, "Insgesamt"), "Anteil in %", _share("arbeitslose", nat)),
            BaColumn((label, "Insgesamt"), "Quote in %", _take("alq", nat)),
        ]
        arbeitslose += [
            BaColumn((label, BA_SEX[s]), "Quote in %", _take("alq", nat, s)) for s in ("maennlich", "weiblich")
        ]
    beschaeftigte = []
    for nat, label in BA_NATIONALITY.items():
        beschaeftigte += [
            BaColumn((label, "Insgesamt"), "Anzahl", _take("svb_wohnort", nat)),
            BaColumn((label, "Insgesamt"), "Anteil in %", _share("svb_wohnort", nat)),
        ]
        beschaeftigte += [
            BaColumn((label, BA_SEX[s]), "Anzahl", _take("svb_wohnort", nat, s)) for s in ("maennlich", "weiblich")
        ]
    leistungsberechtigte = []
    for nat, label in BA_NATIONALITY.items():
        leistungsberechtigte += [
            BaColumn((label,), "Anzahl", _take("elb_sgb2", nat)),
            BaColumn((label,), "Anteil in %", _share("elb_sgb2", nat)),
        ]
    return [
        BaTableSpec(
            "ba_arbeitslose",
            "demo_ba_arbeitsmarkt_staatsangehoerigkeit_{year}.xlsx",
            "aGB - Tabelle II",
            "Arbeitslose und Arbeitslosenquoten nach Staatsangehörigkeit und Geschlecht",
            "Tabelle II: Arbeitslose und Arbeitslosenquoten (Jahresdurchschnitt)",
            arbeitslose,
            BA_FOOTNOTES + ["Quote: Arbeitslose in % aller zivilen Erwerbspersonen."],
        ),
        BaTableSpec(
            "ba_beschaeftigte",
            "demo_ba_beschaeftigte_wohnort_staatsangehoerigkeit_{year}.xlsx",
            "Tabelle 2",
            "Sozialversicherungspflichtig Beschäftigte am Wohnort nach Staatsangehörigkeit und Geschlecht",
            "Tabelle 2: Sozialversicherungspflichtig Beschäftigte am Wohnort",
            beschaeftigte,
            BA_FOOTNOTES,
        ),
        BaTableSpec(
            "ba_leistungsberechtigte",
            "demo_ba_grundsicherung_staatsangehoerigkeit_{year}.xlsx",
            "Tabelle 1",
            "Erwerbsfähige Leistungsberechtigte (SGB II) nach Staatsangehörigkeit",
            "Tabelle 1: Erwerbsfähige Leistungsberechtigte (Jahresdurchschnitt)",
            leistungsberechtigte,
            BA_FOOTNOTES,
        ),
    ]


def _period_line(ref: dt.date | None, year: int) -> str:
    """'Berichtsjahr: 2025' for annual averages (no reference date), else 'Stichtag: 30.06.2025'."""
    return f"Berichtsjahr: {year}" if ref is None else f"Stichtag: {ref:%d.%m.%Y}"


def write_ba_table(path: Path, spec: BaTableSpec, cells: _Cells, year: int, region_name: str) -> Path:
    """One BA table for one year: sheets 'Inhalt', the table, 'Hinweise'; title block, header rows with
    merged cells over a row of column numbers, the Landkreis row, footnotes and ©."""
    year_cells = [c for k, c in cells.all.items() if k[2] == year]
    ref = _one_ref(year_cells, f"{spec.sheet} {year}")
    wb = Workbook()
    inhalt = wb.active
    inhalt.title = "Inhalt"
    for row in ([spec.title], [region_name], [spec.contents], [], [f"{demo.DEMO_LABEL} – keine amtlichen Zahlen."]):
        inhalt.append(row)
    ws = wb.create_sheet(spec.sheet)
    created = dt.date(year + 1, 1, 15) if ref is None else ref + dt.timedelta(days=33)
    title = [
        [spec.title],
        [f"{region_name} ({KREIS})"],
        [_period_line(ref, year)],
        [f"{demo.DEMO_LABEL} – keine amtlichen Zahlen"],
        [f"Erstellungsdatum: {created:%d.%m.%Y}, Statistik-Service Nordost"],
        [],
    ]
    for row in title:
        ws.append(row)
    top = len(title) + 1  # first header row (1-based)
    depth = len(spec.columns[0].groups)
    first_col = 3
    for level in range(depth):
        ws.append(["Region", "Schlüssel"] if level == 0 else [])
        for j, col in enumerate(spec.columns):
            left = spec.columns[j - 1].groups[: level + 1] if j else None
            if col.groups[: level + 1] != left:
                ws.cell(top + level, first_col + j, col.groups[level])
    ws.append([None, None] + [c.measure for c in spec.columns])
    ws.append([str(i) for i in range(1, len(spec.columns) + 3)])  # column numbers, as BA prints them
    ws.append([region_name, KREIS] + [c.cell(cells, year) for c in spec.columns])
    _merge_header(ws, spec, top, first_col)
    ws.append([])
    for note in spec.footnotes:
        ws.append([note])
    ws.append([])
    ws.append(["© Statistik der Bundesagentur für Arbeit"])
    ws.column_dimensions["A"].width = 24
    hinweise = wb.create_sheet("Hinweise")
    hinweise.append(["Methodische Hinweise"])
    hinweise.append(
        [
            f"{demo.DEMO_LABEL}: die Werte sind vom Integrationsmonitor erzeugt und stammen nicht von der "
            "Statistik der Bundesagentur für Arbeit."
        ]
    )
    wb.save(path)
    return path


def _merge_header(ws: Any, spec: BaTableSpec, top: int, first_col: int) -> None:
    depth = len(spec.columns[0].groups)
    last_header = top + depth  # the measure row
    ws.merge_cells(start_row=top, start_column=1, end_row=last_header, end_column=1)
    ws.merge_cells(start_row=top, start_column=2, end_row=last_header, end_column=2)
    for level in range(depth):
        start = 0
        for j in range(1, len(spec.columns) + 1):
            if j == len(spec.columns) or spec.columns[j].groups[: level + 1] != spec.columns[start].groups[: level + 1]:
                if j - 1 > start:
                    ws.merge_cells(
                        start_row=top + level,
                        start_column=first_col + start,
                        end_row=top + level,
                        end_column=first_col + j - 1,
                    )
                start = j


def write_ba_tables(
    out_dir: Path, routed: dict[str, pd.DataFrame], names: dict[str, str]
) -> list[tuple[Path, pd.DataFrame]]:
    written = []
    for spec in ba_tables():
        frame = routed.get(spec.key)
        if frame is None:
            continue
        cells = _Cells(frame, spec.sheet)
        for year in sorted(int(y) for y in frame["year"].unique()):
            path = write_ba_table(out_dir / spec.file.format(year=year), spec, cells, year, names.get(KREIS, KREIS))
            written.append((path, frame[frame["year"] == year]))
        cells.done()
    return written


# ------------------------------------------------------------------------------------------------
# Open SDG tidy CSV (Niedersachsen comparison)
# ------------------------------------------------------------------------------------------------
SDG_CATEGORY = {
    T: "Arbeitslosenquote Insgesamt (alle Erwerbspersonen)",
    "auslaendisch": "Arbeitslosenquote von Ausländerinnen und Ausländern (alle Erwerbspersonen)",
    "deutsch": "Arbeitslosenquote von Deutschen (alle Erwerbspersonen)",
}


def write_opensdg(path: Path, frame: pd.DataFrame) -> Path:
    """Indicator 5-3-2 as Open SDG CSV: ``Year,Kategorie,Geschlecht,Units,Value``, comma, decimal point.

    The year label is 'Juni 2022' for values with a reference date at the end of June, the plain year
    for annual values without a reference date (as the demo's rates are: annual averages)."""
    cells = _Cells(frame, "Open SDG")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Year", "Kategorie", "Geschlecht", "Units", "Value"])
    years = sorted(int(y) for y in frame["year"].unique())
    for nat, label in SDG_CATEGORY.items():
        for year in years:
            if not cells.has("alq", LAND, year, nat):
                continue
            cell = cells.take("alq", LAND, year, nat)
            when = f"{MONTHS[cell.ref_date.month - 1]} {year}" if cell.ref_date else str(year)
            w.writerow([when, label, "Insgesamt", "%", cell.text(".")])
    cells.done()
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------------
# Personalamt list (profile 'personalamt')
# ------------------------------------------------------------------------------------------------
UNITS = ("Dezernat I", "Dezernat II", "Dezernat III", "Gesundheitsamt", "Jobcenter (kommunaler Teil)")
UNIT_WEIGHTS = {
    "personal_verwaltung": (0.22, 0.31, 0.19, 0.10, 0.18),
    "auszubildende_verwaltung": (0.36, 0.30, 0.24, 0.10, 0.0),
}
PERSONAL_COLUMNS = (
    ("Beschäftigte gesamt", "personal_verwaltung", T),
    ("davon mit Migrationsgeschichte", "personal_verwaltung", "mit_mh"),
    ("Auszubildende gesamt", "auszubildende_verwaltung", T),
    ("davon Azubi mit Migrationsgeschichte", "auszubildende_verwaltung", "mit_mh"),
)


def split_total(total: int, weights: tuple[float, ...], caps: list[int] | None = None) -> list[int]:
    """Split a whole number over units by weights (largest remainder, deterministic), within ``caps``."""
    caps = caps or [total] * len(weights)
    kept = [w if c > 0 else 0.0 for w, c in zip(weights, caps)]
    s = sum(kept) or 1.0
    exact = [total * w / s for w in kept]
    parts = [min(int(math.floor(x)), c) for x, c in zip(exact, caps)]
    order = sorted(range(len(kept)), key=lambda i: (-(exact[i] - math.floor(exact[i])), i))
    while sum(parts) < total:
        progressed = False
        for i in order:
            if sum(parts) < total and parts[i] < caps[i] and kept[i] > 0:
                parts[i] += 1
                progressed = True
        if not progressed:
            raise ValueError(f"{total} lässt sich nicht innerhalb von {caps} aufteilen")
    return parts


def write_personalamt(path: Path, cells: _Cells, year: int) -> Path:
    """The Personalamt's staff list for one year: title rows, header in row 4, five Organisationseinheiten
    that sum to the Landkreis value, a 'Summe' row with formulas (as Excel users write it)."""
    columns: dict[str, list[int]] = {}
    refs = []
    for label, variable, category in PERSONAL_COLUMNS:
        cell = cells.take(variable, KREIS, year, category=category)
        if cell.flag or cell.missing:
            raise ValueError(f"Personalamt {year}: Kennzeichen {cell.flag!r} hat in der Liste keinen Platz")
        refs.append(cell)
        if category == T:
            columns[label] = split_total(int(cell.value), UNIT_WEIGHTS[variable])
        else:  # a part of the total column of the same variable, unit by unit
            units = next(columns[lab] for lab, v, c in PERSONAL_COLUMNS if v == variable and c == T)
            columns[label] = split_total(int(cell.value), tuple(float(u) for u in units), caps=units)
    ref = _one_ref(refs, f"Personalamt {year}")
    wb = Workbook()
    ws = wb.active
    ws.title = f"Auswertung {year}"
    ws.append(["Landkreis Peine - Personalamt - Freiwillige Befragung Migrationsgeschichte"])
    ws.merge_cells("A1:E1")
    ws.append([f"Stand: {ref:%d.%m.%Y}" if ref else f"Stand: {year}"])
    ws.append([demo.DEMO_LABEL])
    ws.append(["Organisationseinheit"] + [label for label, _, _ in PERSONAL_COLUMNS])
    for i, unit in enumerate(UNITS):
        ws.append([unit] + [columns[label][i] for label, _, _ in PERSONAL_COLUMNS])
    last = 4 + len(UNITS)
    ws.append(["Summe"] + [f"=SUM({c}5:{c}{last})" for c in "BCDE"])
    ws.column_dimensions["A"].width = 30
    wb.save(path)
    return path


def write_personalamt_lists(out_dir: Path, frame: pd.DataFrame) -> list[tuple[Path, pd.DataFrame]]:
    cells = _Cells(frame, "Personalamt")
    written = []
    for year in sorted(int(y) for y in frame["year"].unique()):
        path = write_personalamt(out_dir / f"demo_personalamt_migrationsgeschichte_{year}.xlsx", cells, year)
        written.append((path, frame[frame["year"] == year]))
    cells.done()
    return written


# ------------------------------------------------------------------------------------------------
# Ausländerbehörde export (profile 'auslaenderbehoerde')
# ------------------------------------------------------------------------------------------------
ABH_EVALUATIONS = {
    "auslaender_aufenthaltsstatus": "Ausländer nach Aufenthaltsstatus",
    "bearbeitungsdauer_median": "Bearbeitungsdauer Aufenthaltstitel (Median in Tagen)",
}
ABH_STATUS = {
    T: "Insgesamt",
    "niederlassungserlaubnis": "Niederlassungserlaubnis",
    "daueraufenthalt_eu": "Erlaubnis zum Daueraufenthalt-EU",
    "eu_freizuegigkeit": "EU-Freizügigkeit",
    "aufenthaltserlaubnis": "Aufenthaltserlaubnis",
    "aufenthaltsgestattung": "Aufenthaltsgestattung",
    "duldung": "Duldung",
    "sonstige": "Sonstiger Status",
}
ABH_SEX = {T: "Insgesamt", "maennlich": "männlich", "weiblich": "weiblich"}
ABH_BROKEN_DOWN = {"auslaender_aufenthaltsstatus"}
ABH_HEADER = ["Auswertung", "Stichtag bzw. Jahr", "Aufenthaltsstatus", "Geschlecht", "Wert"]


def write_auslaenderbehoerde(path: Path, frame: pd.DataFrame) -> Path:
    """A statistics export of the Ausländerbehörde's case system: title rows, header in row 5, one value
    per row (long form), dates and numbers as formatted text ('31.12.2024', '1.234', as the export writes
    them); breakdown columns left empty where they do not apply."""
    cells = _Cells(frame, "Ausländerbehörde")
    wb = Workbook()
    ws = wb.active
    ws.title = "Export"
    years = sorted(int(y) for y in frame["year"].unique())
    ws.append(["Fachverfahren Ausländerwesen – Statistik-Export"])
    ws.merge_cells("A1:E1")
    ws.append(["Landkreis Peine – Fachdienst Ausländerangelegenheiten"])
    ws.append([f"{demo.DEMO_LABEL} – erstellt am 20.01.{years[-1] + 1}"])
    ws.append([])
    ws.append(ABH_HEADER)
    for variable, label in ABH_EVALUATIONS.items():
        for year in years:
            for cat, cat_label in ABH_STATUS.items():
                for sex, sex_label in ABH_SEX.items():
                    if not cells.has(variable, KREIS, year, sex=sex, category=cat):
                        continue
                    cell = cells.take(variable, KREIS, year, sex=sex, category=cat)
                    when = cell.ref_date.strftime("%d.%m.%Y") if cell.ref_date else str(year)
                    value = cell.text(",", thousands=".")
                    breakdown = variable in ABH_BROKEN_DOWN  # else the columns stay empty (= insgesamt)
                    ws.append([label, when, cat_label if breakdown else None, sex_label if breakdown else None, value])
    cells.done()
    for col, width in zip("ABCDE", (52, 18, 34, 12, 10)):
        ws.column_dimensions[col].width = width
    wb.save(path)
    return path


# ------------------------------------------------------------------------------------------------
# writing all of it
# ------------------------------------------------------------------------------------------------
def _vars(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["variable"].unique())


def write_demo_exports(out_dir: Path, catalog: Catalog, regions: list[tuple[str, str]], seed: int = 2025) -> list[Path]:
    """Write the demo base data as the real sources deliver them, plus the app template for the rest,
    and ``demo_manifest.json`` (which file is which format, which needs a profile). Returns the data files."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    regions = list(regions)
    names = {**{g.key: g.name for g in demo.GEMEINDEN}, **dict(regions)}
    obs = demo.generate_observations(seed)
    obs = obs[obs["variable"].isin(set(catalog.variables))]
    routed = route(obs)
    files: list[DemoFile] = []

    def add(path: Path, frame: pd.DataFrame, layout: str, fmt: str, profile: str | None = None) -> None:
        files.append(DemoFile(path.name, layout, fmt, profile, _vars(frame), len(frame)))

    flat = routed.get("genesis_flat")
    if flat is not None:
        years = f"{flat['year'].min()}-{flat['year'].max()}"
        add(
            write_genesis_flat(out_dir / f"demo_genesis_flat_12411_gemeinden_{years}.csv", flat, names),
            flat,
            "GENESIS-Flatfile (ffcsv)",
            "genesis_flat",
        )
    table = routed.get("genesis_table")
    if table is not None:
        years = f"{table['year'].min()}-{table['year'].max()}"
        add(
            write_genesis_table(out_dir / f"demo_genesis_12411-03-03-5_gemeinden_{years}.csv", table, names),
            table,
            "GENESIS-Tabelle (CSV)",
            "genesis_tabelle",
        )
    for path, frame in write_ba_tables(out_dir, routed, names):
        add(path, frame, "Tabelle der Statistik der Bundesagentur für Arbeit (Excel)", "ba_excel")
    sdg = routed.get("opensdg")
    if sdg is not None:
        add(
            write_opensdg(out_dir / "demo_opensdg_indicator_5-3-2_niedersachsen.csv", sdg),
            sdg,
            "Open-SDG-Indikatordatei (CSV)",
            "opensdg",
        )
    personal = routed.get("personalamt")
    if personal is not None:
        for path, frame in write_personalamt_lists(out_dir, personal):
            add(path, frame, "Liste des Personalamts", "zuordnung", "profile_personalamt.yaml")
    abh = routed.get("auslaenderbehoerde")
    if abh is not None:
        years = f"{abh['year'].min()}-{abh['year'].max()}"
        add(
            write_auslaenderbehoerde(out_dir / f"demo_auslaenderbehoerde_export_{years}.xlsx", abh),
            abh,
            "Export aus dem Fachverfahren der Ausländerbehörde",
            "zuordnung",
            "profile_auslaenderbehoerde.yaml",
        )
    rest = routed.get("template")
    if rest is not None:
        path = write_template(out_dir / "demo_vorlage_eigene_daten.xlsx", rest, catalog, regions, note=demo.DEMO_LABEL)
        add(path, rest, "Vorlage des Integrationsmonitors", "vorlage")
    _write_manifest(out_dir, files, seed)
    return [out_dir / f.file for f in files]


def profile_reader(profile_file: str) -> Reader:
    """A :class:`MappingReader` for a shipped profile file in ``definitions/mappings``."""
    from indicators.ingest.sources.common import mappings_dir
    from indicators.ingest.sources.mapping import MappingReader, load_profile_file

    return MappingReader(load_profile_file(mappings_dir() / profile_file))


def load_demo_exports(monitor: Monitor, user: str = "Demodaten") -> list[Any]:
    """Write the real-layout demo into ``<database folder>/demo`` and import every file through the normal
    pipeline (the administration's lists with their profile), as demo uploads; recompute once at the end."""
    from indicators.compute import recompute
    from indicators.ingest.session import import_path

    out = monitor.settings.db_path.parent / "demo"
    regions = list(monitor.store.regions()[["key", "name"]].itertuples(index=False, name=None))
    write_demo_exports(out, monitor.catalog, regions)
    readers: dict[str, Reader] = {}
    results = []
    for entry in read_manifest(out):
        reader = None
        if entry.profile:
            if entry.profile not in readers:
                readers[entry.profile] = profile_reader(entry.profile)
            reader = readers[entry.profile]
        results.append(
            import_path(
                out / entry.file,
                monitor.store,
                monitor.catalog,
                monitor.settings,
                user,
                demo=True,
                reader=reader,
                recompute=False,
            )
        )
    recompute(monitor.store, monitor.catalog, monitor.settings.min_count, rebuild=False)  # each import kept the marks
    return results


__all__ = [
    "MANIFEST",
    "DemoFile",
    "route",
    "read_manifest",
    "write_demo_exports",
    "load_demo_exports",
    "profile_reader",
]
