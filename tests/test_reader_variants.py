"""Each layout quirk of the real exports, on a variant the test builds itself (not only on the real files):
the readers must handle the families of files, not the eight samples."""

from __future__ import annotations

import io
import math

import openpyxl
import pytest

from indicators.ingest.base import RawFile
from indicators.ingest.pipeline import parse
from tests.conftest import SAMPLES, make_settings

TITLE = [
    "GENESIS-Tabelle: 12411-01-01-4;;;;",
    "Bevölkerung nach Geschlecht - Stichtag 31.12. - regionale;;;;",
    "Tiefe: Kreise und krfr. Städte;;;;",
    "Fortschreibung des Bevölkerungsstandes;;;;",
    "Bevölkerungsstand (Anzahl);;;;",
]
HEAD = [";;Stichtag;Stichtag;Stichtag", ";;31.12.2018;31.12.2018;31.12.2018", ";;Insgesamt;männlich;weiblich"]
ROWS = [
    "DG;Deutschland;83019213;40966691;42052522",
    "03;  Niedersachsen;7982448;3934510;4047938",
    "03157;      Peine, Landkreis;133965;66286;67679",
    "03152;      Göttingen, Landkreis;-;-;-",
]
FOOT = [
    "__________",
    '"Hinweis zur Tabelle:',
    "Gebietsstand",
    "01.01.2009",
    "",
    "01.01.1979; ab Berichtsjahr 2011",
    'Ende"',
    "© Statistisches Bundesamt (Destatis), 2020",
    "Stand: 27.03.2020 / 03:59:13",
]


def csv_file(
    lines: list[str], name: str = "t.csv", encoding: str = "cp1252", newline: str = "\r\n", bom: bool = False
) -> RawFile:
    data = newline.join(lines).encode(encoding)
    return RawFile(name, (b"\xef\xbb\xbf" if bom else b"") + data)


def read(raw: RawFile, tmp_path):
    parsed = parse(raw, make_settings(tmp_path))
    assert parsed.ok, [p.text() for p in parsed.errors]
    return parsed


def value(parsed, region: str, year: int = 2018, variable: str | None = None, **dims):
    d = parsed.data
    hit = d[(d["region"].astype(str) == region) & (d["year"] == year)]
    if variable:
        hit = hit[hit["variable"].astype(str) == variable]
    for col in ("nationality", "sex", "age_group", "category"):
        hit = hit[hit[col].astype(str) == dims.get(col, "insgesamt")]
    assert len(hit) == 1, hit
    v, f = hit["value"].iloc[0], hit["flag"].iloc[0]
    return f if math.isnan(v) else v


# -- title line ------------------------------------------------------------------------------------
@pytest.mark.parametrize("first", ["GENESIS-Tabelle: 12411-01-01-4", "Tabelle: 12411-01-01-4", "tabelle:12411-01-01-4"])
@pytest.mark.parametrize("bom", [False, True])
def test_title_line_with_or_without_genesis_prefix_and_bom(first, bom, tmp_path):
    lines = [first + ";;;;", *TITLE[1:], *HEAD, *ROWS, *FOOT]
    parsed = read(csv_file(lines, encoding="utf-8" if bom else "cp1252", bom=bom), tmp_path)
    assert parsed.format == "genesis_tabelle"
    assert value(parsed, "03157") == 133965 and value(parsed, "03157", sex="weiblich") == 67679


def test_title_wrapped_over_lines_names_the_unused_statistic(tmp_path):
    lines = [
        "GENESIS-Tabelle: 11111-01-01-4;;;",
        "Gebietsfläche in qkm - Stichtag 31.12. -;;;",
        "regionale Tiefe: Kreise und krfr. Städte;;;",
        "Feststellung des Gebietsstands;;;",
        "Gebietsfläche (qkm);;;",
        ";;Stichtag",
        ";;31.12.2018",
        "03157;Peine, Landkreis;536,52",
        *FOOT,
    ]
    parsed = parse(csv_file(lines), make_settings(tmp_path))
    assert [p.message for p in parsed.errors] == [
        "Die Tabelle 11111-01-01-4 („Gebietsfläche in qkm - Stichtag 31.12. - regionale Tiefe: Kreise und krfr. Städte“) "
        "gehört zur Statistik 11111, die kein Indikator des Katalogs verwendet; sie wird nicht übernommen. Wird sie "
        "gebraucht: Bitte wenden Sie sich an die Administration (oder die Stabsstelle, die den Monitor betreut): sie kann in der Zuordnung „genesis.yaml“ unter „statistics“ → „11111“ eine "
        "Basisvariable zuordnen. Oder Sie lesen die Datei selbst über „Spaltenzuordnung anlegen“ auf dieser Seite."
    ]
    assert "nicht erkannt" not in parsed.errors[0].message


# -- header ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "head",
    [
        [";;Insgesamt;männlich;weiblich"],  # depth 1: the date in the title
        [";;31.12.2018;31.12.2018;31.12.2018", ";;Insgesamt;männlich;weiblich"],
        HEAD,
        [*HEAD, ";;Anzahl;Anzahl;Anzahl"],  # depth 4 with a units row
    ],
)
def test_header_depth_one_to_four_with_units_row(head, tmp_path):
    title = TITLE if len(head) > 1 else [TITLE[0], "Bevölkerung am 31.12.2018;;;;", *TITLE[3:]]
    parsed = read(csv_file([*title, *head, *ROWS, *FOOT]), tmp_path)
    assert value(parsed, "03157", sex="maennlich") == 66286
    assert value(parsed, "03152") == "-"
    assert parsed.assumptions["Kopfzeilen"].count("Zeile") == len(head)


def test_header_cells_in_other_case_spacing_and_with_line_breaks(tmp_path):
    head = [
        ";;Stichtag;Stichtag;Stichtag",
        ";;31.12.2018;31.12.2018;31.12.2018",
        ';;  INSGESAMT ;"männ-\nlich";"Weib-\r\nlich"',
    ]
    parsed = read(csv_file([*TITLE, *head, *ROWS, *FOOT]), tmp_path)
    assert value(parsed, "03157", sex="maennlich") == 66286 and value(parsed, "03157", sex="weiblich") == 67679


def test_merged_header_written_once_is_filled_only_under_its_own_parent(tmp_path):
    """A merged cell exported once ('Arbeitslose' over four columns); a blank subgroup under a measure of its
    own is 'insgesamt', never the subgroup of its left neighbour."""
    lines = [
        "Tabelle: 13211-02-05-4;;;;;;",
        "Arbeitslose nach ausgewählten Personengruppen sowie;;;;;;",
        "Arbeitslosenquoten - Jahresdurchschnitt -;;;;;;",
        "Arbeitsmarktstatistik der Bundesagentur für Arbeit;;;;;;",
        ";;;Arbeitslose;;Arbeitslosenquote bez. auf alle zivile Erwerbsp.;",
        ";;;;ausländisch;;ausländisch",
        ";;;Anzahl;Anzahl;Prozent;Prozent",
        "2023;03157;Peine, Landkreis;4228;1614;5,7;25,1",
        *FOOT,
    ]
    parsed = read(csv_file(lines), tmp_path)
    d = parsed.data
    got = {(r.variable, r.nationality): r.value for r in d.itertuples()}
    assert got == {
        ("arbeitslose", "insgesamt"): 4228,
        ("arbeitslose", "auslaendisch"): 1614,
        ("alq", "insgesamt"): 5.7,
        ("alq", "auslaendisch"): 25.1,
    }


# -- footer ----------------------------------------------------------------------------------------
def test_footer_with_quoted_multiline_note_and_date_like_lines_is_no_data(tmp_path):
    parsed = read(csv_file([*TITLE, *HEAD, *ROWS, *FOOT]), tmp_path)
    assert sorted(set(parsed.data["region"].astype(str))) == ["03", "03152", "03157", "DG"]
    assert set(parsed.data["year"]) == {2018}
    assert parsed.assumptions["Datenzeilen"].startswith("Zeile 9 bis 12")


# -- key column ------------------------------------------------------------------------------------
def test_key_column_found_by_content_right_of_the_name(tmp_path):
    rows = ["Deutschland;DG;83019213;40966691;42052522", "Peine, Landkreis;03157;133965;66286;67679"]
    parsed = read(csv_file([*TITLE, *HEAD, *rows, *FOOT]), tmp_path)
    assert value(parsed, "DG") == 83019213 and value(parsed, "03157") == 133965
    assert parsed.region_names["03157"] == "Peine, Landkreis"


def test_without_key_column_regions_are_matched_by_official_names(tmp_path):
    rows = [
        ";Deutschland;83019213;40966691;42052522",
        ";  Niedersachsen;7982448;3934510;4047938",
        ";Landkreis Peine;133965;66286;67679",
        ";Göttingen, Landkreis (bis 31.10.2016);-;-;-",
    ]
    lines = [*TITLE, *HEAD, *rows, *FOOT]
    parsed = read(
        csv_file([ln[1:] for ln in lines[:5]] + [ln[1:] for ln in lines[5:8]] + [r[1:] for r in rows] + FOOT), tmp_path
    )
    assert value(parsed, "DG") == 83019213 and value(parsed, "03") == 7982448 and value(parsed, "03157") == 133965
    assert "amtlichen Namen" in parsed.assumptions["Regionalschlüssel"]


def test_region_from_the_title_when_the_table_has_no_region_column(tmp_path):
    lines = [
        "GENESIS-Tabelle: 12411-0005;;;",
        "Bevölkerung: Deutschland, Stichtag, Altersjahre;;;",
        "Deutschland;;;",
        "Bevölkerungsstand (Anzahl);;;",
        ";;Stichtag",
        ";;31.12.2018",
        "2018;unter 1 Jahr;785000",
        "2018;Insgesamt;83019213",
        *FOOT,
    ]
    parsed = read(csv_file(lines), tmp_path)
    assert value(parsed, "DG", age_group="u1") == 785000 and value(parsed, "DG") == 83019213


def test_keys_whose_leading_zero_excel_dropped(tmp_path):
    rows = [
        "3;Niedersachsen;7982448;3934510;4047938",
        "3157;Peine, Landkreis;133965;66286;67679",
        "3157005;Peine, Stadt;50000;25000;25000",
    ]
    parsed = read(csv_file([*TITLE, *HEAD, *rows, *FOOT]), tmp_path)
    assert value(parsed, "03") == 7982448 and value(parsed, "03157") == 133965 and value(parsed, "03157005") == 50000


def test_blank_keys_are_filled_down_from_the_total_row(tmp_path):
    head = [";;;Stichtag", ";;;31.12.2018"]
    rows = [
        "03157;Peine, Landkreis;Insgesamt;133965",
        ";;unter 3 Jahre;3900",
        ";;75 Jahre und mehr;17000",
        "03158;Wolfenbüttel, Landkreis;Insgesamt;119960",
        ";;unter 3 Jahre;3100",
    ]
    parsed = read(csv_file([*TITLE, *head, *rows, *FOOT]), tmp_path)
    assert value(parsed, "03157", age_group="u3") == 3900 and value(parsed, "03157", age_group="75_plus") == 17000
    assert value(parsed, "03158", age_group="u3") == 3100 and value(parsed, "03158") == 119960


# -- values ----------------------------------------------------------------------------------------
def test_value_and_quality_flag_column_pairs(tmp_path):
    head = [";;31.12.2022;;31.12.2023;"]
    rows = ["03157;Peine, Landkreis;136000;e;137000;p", "03158;Wolfenbüttel, Landkreis;-;e;120000;e"]
    parsed = read(csv_file([*TITLE, *head, *rows, *FOOT]), tmp_path)
    assert value(parsed, "03157", 2022) == 136000 and value(parsed, "03157", 2023) == 137000
    d = parsed.data
    assert d[(d["region"].astype(str) == "03157") & (d["year"] == 2023)]["flag"].iloc[0] == "p"
    assert d[(d["region"].astype(str) == "03157") & (d["year"] == 2022)]["flag"].iloc[0] is None
    assert value(parsed, "03158", 2022) == "-"
    assert len(d) == 4  # the flag columns are no values of their own


@pytest.mark.parametrize("layout", ["date_column", "year_column", "first_row_only", "as_columns", "header_only"])
def test_year_in_every_place_a_table_puts_it(layout, tmp_path):
    if layout == "as_columns":
        head, rows = [";;Stichtag;Stichtag", ";;31.12.2017;31.12.2018"], ["03157;Peine, Landkreis;133368;133965"]
    elif layout == "header_only":
        head, rows = HEAD, ROWS
    else:
        head = [";;;Stichtag", ";;;Insgesamt"]
        first = {"date_column": "31.12.2018", "year_column": "2018", "first_row_only": "2018"}[layout]
        later = "" if layout == "first_row_only" else first
        rows = [f"{first};03157;Peine, Landkreis;133965", f"{later};03158;Wolfenbüttel, Landkreis;119960"]
    parsed = read(csv_file([*TITLE, *head, *rows, *FOOT]), tmp_path)
    assert value(parsed, "03157", 2018) == 133965
    if layout == "as_columns":
        assert value(parsed, "03157", 2017) == 133368
    if layout in ("date_column", "year_column", "first_row_only"):
        assert value(parsed, "03158", 2018) == 119960


def test_padded_lines(tmp_path):
    lines = [ln + ";;;;;" for ln in [*TITLE, *HEAD]] + ["  " + r.replace(";", " ; ") + " ;;;" for r in ROWS] + FOOT
    parsed = read(csv_file(lines), tmp_path)
    assert value(parsed, "03157") == 133965 and value(parsed, "DG") == 83019213
    assert len(parsed.data) == 12


def test_crlf_between_records_with_bare_lf_inside_quoted_cells(tmp_path):
    head = [";;Stichtag;Stichtag;Stichtag", ";;31.12.2018;31.12.2018;31.12.2018", ';;"Ins-\ngesamt";männlich;weiblich']
    foot = ["__________", '"zu ""gesamte Tabelle"":\nGebietsstand\n31.12.2018"', "Stand: 27.03.2020 / 03:59:13"]
    parsed = read(csv_file([*TITLE, *head, *ROWS, *foot], newline="\r\n"), tmp_path)
    assert value(parsed, "03157") == 133965
    assert parsed.assumptions["Datenzeilen"].startswith("Zeile 10 bis 13")  # the lines a user counts


# -- spreadsheets ----------------------------------------------------------------------------------
def _genesis_workbook(numeric_keys: bool = False) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "12411-0015"
    ws.append(["Bevölkerung: Kreise, Stichtag"])
    ws.append(["Fortschreibung des Bevölkerungsstandes"])
    ws.append(["Bevölkerungsstand (Anzahl)"])
    ws.append(["Kreise", None, "Stichtag"])
    ws.append([None, None, "31.12.2017", "31.12.2018"])
    ws.merge_cells("A4:B5")
    ws.merge_cells("C4:D4")
    ws.append([3157 if numeric_keys else "03157", "Peine, Landkreis", 133368.0, 133965.0])
    ws.append([3159 if numeric_keys else "03159", "Göttingen, Landkreis", 328036.0, "-"])
    ws.append(["______________"])
    ws.append(["© Statistisches Bundesamt (Destatis), 2020 | Stand: 27.03.2020 / 03:59:13"])
    return wb


def _xlsx_bytes(wb: openpyxl.Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("numeric_keys", [False, True])
def test_genesis_excel_download_with_merged_header(numeric_keys, tmp_path):
    parsed = read(RawFile("t.xlsx", _xlsx_bytes(_genesis_workbook(numeric_keys))), tmp_path)
    assert parsed.format_label == "GENESIS-Tabelle (Excel)"
    assert value(parsed, "03157", 2018) == 133965 and value(parsed, "03157", 2017) == 133368
    assert value(parsed, "03159", 2018) == "-"


def test_xls_resave_reads_the_same(tmp_path):
    """An Excel-97 re-save (.xls, written here with xlwt): keys as numbers without their leading zero."""
    import xlwt

    book = xlwt.Workbook()
    sh = book.add_sheet("12411-0015")
    rows = [
        ["Bevölkerung: Kreise, Stichtag"],
        ["Fortschreibung des Bevölkerungsstandes"],
        ["Bevölkerungsstand (Anzahl)"],
        ["Kreise", None, "Stichtag"],
        [None, None, "31.12.2017", "31.12.2018"],
        [3157, "Peine, Landkreis", 133368.0, 133965.0],
        [3159, "Göttingen, Landkreis", 328036.0, "-"],
        ["______________"],
        ["© Statistisches Bundesamt (Destatis), 2020"],
    ]
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is not None:
                sh.write(i, j, v)
    buf = io.BytesIO()
    book.save(buf)
    parsed = read(RawFile("t.xls", buf.getvalue()), tmp_path)
    assert value(parsed, "03157", 2018) == 133965 and value(parsed, "03159", 2018) == "-"


@pytest.mark.parametrize(
    "spelling", ["Regional-schlüssel", "Regional-\nschlüssel", "  REGIONAL schlüssel".replace(" schl", "schl")]
)
def test_ba_header_hyphenated_or_broken_key_header(spelling, tmp_path):
    wb = openpyxl.load_workbook(SAMPLES / "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx")
    ws = wb["aGB - Tabelle II"]
    assert ws["B7"].value == "Schlüssel"
    ws["B7"].value = spelling
    original = read(
        RawFile("a.xlsx", (SAMPLES / "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx").read_bytes()), tmp_path
    )
    parsed = read(RawFile("b.xlsx", _xlsx_bytes(wb)), tmp_path)
    assert len(parsed.data) == len(original.data) > 0
    assert (
        value(parsed, "03157", 2025, "arbeitslose", nationality="auslaendisch")
        == value(original, "03157", 2025, "arbeitslose", nationality="auslaendisch")
        == 1198
    )


def _jobcenter_workbook() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "3.4 ELB Ausl"
    ws.append([None, None, None, "Grundsicherung für Arbeitsuchende nach dem SGB II"])
    ws.append(["3.4 Sanktionen gegenüber ausländischen erwerbsfähigen Leistungsberechtigten (ELB)"])
    ws.append(["Deutschland, West/Ost, Länder und Jobcenter"])
    ws.append(["Berichtsmonat Juni 2024"])
    ws.append([])
    ws.append(["Regionen", "Träger-\nnummer", "Neu festgestellte Sanktionen", None, "Bestand ausländische ELB"])
    ws.append(
        [None, None, "Anzahl \nneu sanktionierte ausländische\nELB", "Anzahl neu sanktionierte arbeitslose", None]
    )
    ws.append([None, None, 1, 2, 3])
    ws.append(["Deutschland", None, 9000.5, 4000.0, 1400000.0])
    ws.append(["Westdeutschland", None, 7000.0, 3000.0, 1100000.0])
    ws.append([])
    ws.append(["Niedersachsen", "03", 800.0, 300.0, 130000.0])
    ws.append(["Niedersachsen", "03", 800.0, 300.0, 130000.0])
    ws.append(["JC Peine", "24404", 5.0, "*", 2100.0])
    ws.append(["JC Goslar", "21124", "*", 0.0, 1900.0])
    ws.append(["JC Unbekannt", "99999", 1.0, 1.0, 10.0])
    ws.append([None, None, None, None, "© Statistik der Bundesagentur für Arbeit"])
    ws.append(["*) Aus Datenschutzgründen …"])
    return wb


def test_ba_table_by_jobcenter_number_is_mapped_to_the_kreis(tmp_path):
    parsed = read(RawFile("jc.xlsx", _xlsx_bytes(_jobcenter_workbook())), tmp_path)
    assert value(parsed, "03157", 2024, nationality="auslaendisch") == 2100
    assert value(parsed, "03153", 2024, nationality="auslaendisch") == 1900
    assert value(parsed, "03", 2024, nationality="auslaendisch") == 130000  # listed twice, taken once
    assert value(parsed, "DG", 2024, nationality="auslaendisch") == 1400000
    assert set(parsed.data["region"].astype(str)) == {"DG", "03", "03157", "03153"}
    assert "JC Peine 24404 → 03157" in parsed.assumptions["Regionalschlüssel"]
    assert "99999 JC Unbekannt" in parsed.assumptions["Zeilen ohne Region"]
    assert "Westdeutschland" in parsed.assumptions["Zeilen ohne Region"]
    assert parsed.region_names["03157"] == "Peine, Landkreis"  # the Kreis' name from jobcenter.csv


def _ba_csv_text(strip_zeros: bool) -> str:
    """The BA sample workbook's table sheet as a semicolon CSV the way Excel re-saves it: numbers with decimal
    comma, keys as numbers (leading zero lost), lines padded with separators."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(SAMPLES / "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx"))
    out = []
    for row in wb.get_sheet_by_name("aGB - Tabelle II").to_python():
        cells = []
        for j, v in enumerate(row):
            if isinstance(v, float):
                v = str(int(v)) if v.is_integer() else str(v).replace(".", ",")
            elif j == 1 and strip_zeros and isinstance(v, str) and v.isdigit():
                v = str(int(v))
            cells.append(str(v))
        out.append(";".join(cells) + ";;")
    return "\r\n".join(out)


@pytest.mark.parametrize("strip_zeros", [False, True])
def test_ba_table_saved_as_csv_by_excel(strip_zeros, tmp_path):
    original = read(
        RawFile("a.xlsx", (SAMPLES / "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx").read_bytes()), tmp_path
    )
    parsed = read(RawFile("ba.csv", _ba_csv_text(strip_zeros).encode("cp1252")), tmp_path)
    assert parsed.format == "ba_excel"
    assert len(parsed.data) == len(original.data)
    for key in ("03157", "03157001"):
        assert value(parsed, key, 2025, "arbeitslose", nationality="auslaendisch") == value(
            original, key, 2025, "arbeitslose", nationality="auslaendisch"
        )
    assert value(parsed, "03157", 2025, "alq", nationality="auslaendisch") == 14.9


# -- the template reads German numbers like every other input ----------------------------------------
@pytest.mark.parametrize("sep", [";", ","])
def test_template_refuses_ambiguous_1_234_like_the_target_inputs(sep, tmp_path):
    from indicators.fmt import NumberError, parse_number

    with pytest.raises(NumberError) as refused:
        parse_number("1.234", "Wert")
    q = '"' if sep == "," else ""
    lines = [
        sep.join(["Variable", "Regionalschlüssel", "Jahr", "Wert"]),
        sep.join(["bevoelkerung", "03157", "2023", "1.234"]),
        sep.join(["bevoelkerung", "03157001", "2023", f"{q}1.234,5{q}" if sep == ";" else "1234.5"]),
    ]
    parsed = parse(RawFile("vorlage.csv", "\r\n".join(lines).encode("utf-8")), make_settings(tmp_path))
    assert [(p.row, p.column, p.message) for p in parsed.errors] == [(2, "Wert", str(refused.value))]
    assert "mehrdeutig" in str(refused.value)


def test_age_groups_as_columns(tmp_path):
    head = [
        ";;Stichtag;Stichtag;Stichtag",
        ";;31.12.2018;31.12.2018;31.12.2018",
        ";;Insgesamt;unter 3 Jahre;75 Jahre und mehr",
    ]
    parsed = read(csv_file([*TITLE, *head, "03157;Peine, Landkreis;133965;3900;17000", *FOOT]), tmp_path)
    assert value(parsed, "03157", age_group="u3") == 3900 and value(parsed, "03157", age_group="75_plus") == 17000
    assert value(parsed, "03157") == 133965


def test_flat_file_of_an_unused_statistic_is_refused_with_the_way_to_map_it(tmp_path):
    header = (
        "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;"
        "1_variable_attribute_code;1_variable_attribute_label;value;value_unit;value_variable_code;value_variable_label"
    )
    row = "11111;Feststellung des Gebietsstands;STAG;Stichtag;31.12.2022;KREISE;Kreise;03157;Peine;536,52;qkm;FLC006;Fläche"
    parsed = parse(csv_file([header, row], encoding="utf-8", bom=True), make_settings(tmp_path))
    assert [p.message for p in parsed.errors] == [
        "Die Tabelle 11111 („Feststellung des Gebietsstands“) gehört zur Statistik 11111, die kein Indikator des "
        "Katalogs verwendet; sie wird nicht übernommen. Wird sie gebraucht: Bitte wenden Sie sich an die Administration (oder die Stabsstelle, die den Monitor betreut): sie kann in der Zuordnung „genesis.yaml“ "
        "unter „statistics“ → „11111“ eine Basisvariable zuordnen. Oder Sie lesen die Datei selbst über "
        "„Spaltenzuordnung anlegen“ auf dieser Seite."
    ]


def test_user_built_table_without_number_is_matched_by_the_statistic_name(tmp_path):
    lines = ["GENESIS-Tabelle: Temporär;;;;", *TITLE[1:], *HEAD, *ROWS, *FOOT]
    parsed = read(csv_file(lines), tmp_path)
    assert parsed.assumptions["Statistik"] == "12411"
    assert value(parsed, "03157") == 133965


def test_ba_table_with_a_keyless_germany_row_blank_rows_between_blocks_and_a_repeated_row(tmp_path):
    wb = openpyxl.load_workbook(SAMPLES / "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx")
    ws = wb["aGB - Tabelle II"]
    assert ws["A10"].value == "Landkreis Peine"
    peine = [c.value for c in ws[10]]
    ws.insert_rows(10, amount=1)
    for j, v in enumerate(["Deutschland", None, 2900000, 6.2, 2000000, 5.0, 900000, 15.0], start=1):
        ws.cell(10, j, v)
    ws.insert_rows(12, amount=2)  # a blank row after the Kreis, then the Kreis once more (as in BA workbooks)
    for j, v in enumerate(peine, start=1):
        ws.cell(13, j, v)
    original = read(
        RawFile("a.xlsx", (SAMPLES / "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx").read_bytes()), tmp_path
    )
    parsed = read(RawFile("b.xlsx", _xlsx_bytes(wb)), tmp_path)
    assert value(parsed, "DG", 2025, "arbeitslose", nationality="auslaendisch") == 900000
    assert len(parsed.data) == len(original.data) + 6  # Deutschland added, no Gemeinde lost after the blank row
    assert value(parsed, "03157008", 2025, "arbeitslose") == value(original, "03157008", 2025, "arbeitslose")


def test_breakdown_in_rows_instead_of_columns(tmp_path):
    head = [";;;Stichtag", ";;;31.12.2018"]
    rows = ["03157;Peine, Landkreis;Insgesamt;133965", ";;männlich;66286", ";;weiblich;67679"]
    parsed = read(csv_file([*TITLE, *head, *rows, *FOOT]), tmp_path)
    assert value(parsed, "03157", sex="maennlich") == 66286 and value(parsed, "03157", sex="weiblich") == 67679
    assert value(parsed, "03157") == 133965


def test_ba_group_measure_table_keyed_by_jobcenter_number(tmp_path):
    wb = openpyxl.load_workbook(SAMPLES / "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx")
    ws = wb["aGB - Tabelle II"]
    assert ws["B10"].value == "03157"
    ws["B7"].value = "Träger-\nnummer"
    ws["A10"].value, ws["B10"].value = "JC Peine", "24404"
    original = read(
        RawFile("a.xlsx", (SAMPLES / "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx").read_bytes()), tmp_path
    )
    parsed = read(RawFile("jc.xlsx", _xlsx_bytes(wb)), tmp_path)
    assert value(parsed, "03157", 2025, "arbeitslose", nationality="auslaendisch") == value(
        original, "03157", 2025, "arbeitslose", nationality="auslaendisch"
    )
    assert "24404" not in set(parsed.data["region"].astype(str))
    assert "JC Peine 24404 → 03157" in parsed.assumptions["Regionalschlüssel"]


def test_school_leavers_table_takes_the_categories_the_catalog_uses(tmp_path):
    lines = [
        "GENESIS-Tabelle: 21111-02-06-4;;;;;",
        "Absolventen/Abgänger allgemeinbildender Schulen nach Abschlussart;;;;;",
        "Statistik der allgemeinbildenden Schulen;;;;;",
        "Absolventen und Abgänger (Anzahl);;;;;",
        ";;;Insgesamt;ohne Hauptschulabschluss;mit Hauptschulabschluss;mit allgemeiner Hochschulreife",
        ";;;Ausländer;Ausländer;Ausländer;Ausländer",
        "2023;03157;Peine, Landkreis;180;25;60;20",
        *FOOT,
    ]
    parsed = read(csv_file(lines), tmp_path)
    d = parsed.data
    got = {(r.variable, r.nationality, r.category): r.value for r in d.itertuples()}
    assert got == {
        ("schulabgaenger", "auslaendisch", "insgesamt"): 180,
        ("schulabgaenger", "auslaendisch", "ohne_abschluss"): 25,
        ("schulabgaenger", "auslaendisch", "hochschulreife"): 20,
    }
    assert "mit Hauptschulabschluss" in parsed.assumptions["Nicht übernommen"]


def test_durations_of_stay_are_not_read_as_age_groups(tmp_path):
    lines = [
        "GENESIS-Tabelle: 12521-01-02-4;;;",
        "Ausländer nach Aufenthaltsdauer;;;",
        "Ausländerstatistik;;;",
        "Ausländer (Anzahl);;;",
        ";;Stichtag;Stichtag",
        ";;31.12.2023;31.12.2023",
        ";;Insgesamt;8 bis unter 10 Jahre",
        "03157;Peine, Landkreis;15000;1200",
        *FOOT,
    ]
    parsed = parse(csv_file(lines), make_settings(tmp_path))
    assert len(parsed.errors) == 1 and "„8 bis unter 10 Jahre“ (Spalte D)" in parsed.errors[0].message
    assert parsed.errors[0].message.startswith("Spaltenbeschriftung nicht zugeordnet")


def test_template_header_in_other_spelling_is_read_through_the_shared_helper(tmp_path):
    lines = ["VARIABLE;Regional-schlüssel;  Jahr ;Wert", "bevoelkerung;03157;2023;100"]
    parsed = read(RawFile("vorlage.csv", "\r\n".join(lines).encode("utf-8")), tmp_path)
    assert parsed.format == "vorlage" and value(parsed, "03157", 2023) == 100


@pytest.mark.parametrize(
    "head",
    [[";;31.12.2022;31.12.2022;31.12.2023;31.12.2023"], [";;31.12.2022;;31.12.2023;", ";;Wert;Qualität;Wert;Qualität"]],
)
def test_value_and_flag_pairs_under_a_repeated_or_labelled_header(head, tmp_path):
    rows = ["03157;Peine, Landkreis;136000;e;137000;p"]
    parsed = read(csv_file([*TITLE, *head, *rows, *FOOT]), tmp_path)
    assert value(parsed, "03157", 2022) == 136000 and value(parsed, "03157", 2023) == 137000
    assert len(parsed.data) == 2


def test_time_series_without_region_column_dates_in_rows(tmp_path):
    lines = [
        "GENESIS-Tabelle: 12411-0001;",
        "Bevölkerung: Deutschland, Stichtag;",
        "Fortschreibung des Bevölkerungsstandes;",
        "Deutschland;",
        ";Bevölkerungsstand",
        ";Anzahl",
        "31.12.2017;82792351",
        "31.12.2018;83019213",
        *FOOT,
    ]
    parsed = read(csv_file(lines), tmp_path)
    assert value(parsed, "DG", 2018) == 83019213 and value(parsed, "DG", 2017) == 82792351
    assert "Titel" in parsed.assumptions["Regionalschlüssel"]


def test_genesis_workbook_recognised_by_its_title_line(tmp_path):
    wb = _genesis_workbook()
    ws = wb.active
    ws.title = "Tabelle1"
    ws.insert_rows(1)
    ws["A1"] = "GENESIS-Tabelle: 12411-0015"
    parsed = read(RawFile("t.xlsx", _xlsx_bytes(wb)), tmp_path)
    assert parsed.format_label == "GENESIS-Tabelle (Excel)" and value(parsed, "03157", 2018) == 133965


def test_template_numbers_stored_as_text_are_named_with_their_first_row(tmp_path):
    """A template workbook with values typed as text: read as numbers, and the warning names the first such row
    and counts them in German (was: no row, '2 Zahlen' / '1 Zahlen')."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Daten"
    ws.append(["Variable", "Regionalschlüssel", "Jahr", "Wert"])
    ws.append(["bevoelkerung", "03157", 2023, 133965])
    ws.append(["bevoelkerung", "03157001", 2023, "50123"])
    ws.append(["bevoelkerung", "03157002", 2023, "12000"])
    buf = io.BytesIO()
    wb.save(buf)
    parsed = parse(RawFile("vorlage.xlsx", buf.getvalue()), make_settings(tmp_path))
    assert not parsed.errors, [p.message for p in parsed.errors]
    warn = [p for p in parsed.warnings if "als Text gespeichert" in p.message]
    assert [(w.row, w.column) for w in warn] == [(3, "Wert")]
    assert warn[0].message.startswith("2 Zahlen waren als Text gespeichert")
