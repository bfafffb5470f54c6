"""A corpus of bad uploads, built at test time (nothing large is committed).

Each :class:`Case` builds the bytes of one file and names the German message fragment the import must
report, and where applicable the row and column it must point at. Large files (a zip bomb, a million
rows, too many rows) are generated on the fly.
"""

from __future__ import annotations

import io
import os
import random
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "samples"
FF_HEADER = (
    "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;"
    "1_variable_attribute_code;1_variable_attribute_label;2_variable_code;2_variable_label;"
    "2_variable_attribute_code;2_variable_attribute_label;value;value_unit;value_variable_code;value_variable_label"
)


@dataclass(frozen=True)
class Case:
    id: str
    name: str  # file name (the extension matters)
    build: Callable[[], bytes]
    fragment: str  # German message fragment that must appear in an error
    row: int | None = None  # the row the error must name
    column: str | None = None  # the column the error must name
    profile: str | None = None  # read with this shipped mapping profile


# -- helpers -----------------------------------------------------------------------------------------
def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def ff_row(
    key: str = "03157001",
    name: str = "Edemissen",
    nat: tuple[str, str] = ("NATD", "Deutsche"),
    value: str = "100",
    time: str = "2021-12-31",
    stat: str = "12411",
    value_var: str = "BEVSTD",
) -> str:
    return (
        f"{stat};Fortschreibung des Bevölkerungsstandes;STAG;Stichtag;{time};GEMEIN;Gemeinden;{key};{name};"
        f"NAT;Nationalität;{nat[0]};{nat[1]};{value};Anzahl;{value_var};Bevölkerungsstand"
    )


def ffcsv(rows: list[str]) -> bytes:
    return ("\ufeff" + FF_HEADER + "\r\n" + "".join(r + "\r\n" for r in rows)).encode("utf-8")


def ff_good_rows() -> list[str]:
    return [ff_row(), ff_row(nat=("NATA", "Ausländer(innen)"), value="20"), ff_row("03157002", "Hohenhameln")]


def xlsx(rows: list[list[object]], title: str = "Tabelle1", merged: list[str] = ()) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    for rng in merged:
        ws.merge_cells(rng)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_csv(rows: list[str]) -> bytes:
    head = "Variable;Regionalschlüssel;Region;Jahr;Stichtag;Staatsangehörigkeit;Geschlecht;Altersgruppe;Kategorie;Wert;Kennzeichen"
    return (head + "\r\n" + "".join(r + "\r\n" for r in rows)).encode("utf-8")


def opensdg(rows: list[str]) -> bytes:
    return ("Year,Kategorie,Geschlecht,Units,Value\n" + "".join(r + "\n" for r in rows)).encode("utf-8")


SDG_TOTAL = "Arbeitslosenquote Insgesamt (alle Erwerbspersonen)"


def zip_bomb() -> bytes:
    """An .xlsx-like zip whose worksheet unpacks to 1 GB of zeros (a few MB packed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * (16 << 20)
            for _ in range(64):
                fh.write(chunk)
    return buf.getvalue()


def zip_bomb_lying_sizes() -> bytes:
    """The BA sample with a worksheet that unpacks to 300 MB while its headers declare 5.000 bytes, so
    that a check of the declared sizes passes; the reader must stop at the declared size."""
    src = zipfile.ZipFile(io.BytesIO(sample("ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx")))
    sheet = max(
        (i for i in src.infolist() if i.filename.startswith("xl/worksheets/sheet")), key=lambda i: i.file_size
    ).filename  # the table sheet
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == sheet:
                data = data.replace(
                    b"</sheetData>",
                    b'<row r="99999"><c r="A99999" t="inlineStr"><is><t>'
                    + b"x" * 300_000_000
                    + b"</t></is></c></row></sheetData>",
                )
            zf.writestr(info.filename, data)
    out = bytearray(buf.getvalue())
    name = sheet.encode()
    for sig, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        pos = out.find(sig)
        while pos >= 0:
            n = struct.unpack_from("<H", out, pos + name_len_at)[0]
            if bytes(out[pos + name_at : pos + name_at + n]) == name:
                struct.pack_into("<I", out, pos + size_at, 5000)
            pos = out.find(sig, pos + 4)
    return bytes(out)


def zip_many_entries() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for i in range(2100):
            zf.writestr(f"xl/media/bild{i}.bin", b"x")
    return buf.getvalue()


def ole_file(streams: list[str]) -> bytes:
    """A minimal OLE2 compound file: header and one directory sector naming the given streams."""
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 48, 0)  # first directory sector
    directory = bytearray(512)
    for i, name in enumerate(["Root Entry", *streams][:4]):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le")
        entry[0 : len(encoded)] = encoded
        struct.pack_into("<H", entry, 64, len(encoded) + 2)
        entry[66] = 5 if i == 0 else 2
        directory[i * 128 : (i + 1) * 128] = entry
    return bytes(header) + bytes(directory)


def ods(content_body: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr(
            "META-INF/manifest.xml",
            (
                '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
            ),
        )
        zf.writestr(
            "content.xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
                f"<office:body><office:spreadsheet>{content_body}</office:spreadsheet></office:body></office:document-content>"
            ),
        )
    return buf.getvalue()


def ba_rows(shift: int = 0) -> tuple[list[list[object]], list[str]]:
    """The BA layout; ``shift`` moves the merged group header to the right so columns cannot be identified."""

    def letter(i: int) -> str:
        return chr(65 + i)

    groups = ["", "", "", "", "", "", "", "", ""]
    groups[0], groups[1] = "Region", "Schlüssel"
    for k, g in enumerate(("Insgesamt", "Deutsche", "Ausländer")):
        groups[2 + 2 * k + shift] = g
    rows = [
        ["Arbeitslose nach ausgewählten Staatsangehörigkeiten"],
        ["Landkreis Peine (03157) und Gemeinden"],
        ["Berichtsmonat: Juni 2025"],
        [],
        groups,
        ["", "", "Anzahl", "Quote in %", "Anzahl", "Quote in %", "Anzahl", "Quote in %"],
        ["Landkreis Peine", "03157", 4312, 5.6, 3105, 4.5, 1198, 14.9],
        ["Edemissen", "03157001", 1468, "x", 1323, "x", 145, "x"],
        [],
        ["© Statistik der Bundesagentur für Arbeit"],
    ]
    merged = [f"{letter(2 + 2 * k + shift)}5:{letter(3 + 2 * k + shift)}5" for k in range(3)]
    return rows, merged


def personalamt_with_formula() -> bytes:
    rows = [
        ["Landkreis Peine - Personalamt"],
        ["Stand: 31.12.2024"],
        [],
        [
            "Organisationseinheit",
            "Beschäftigte gesamt",
            "davon mit Migrationsgeschichte",
            "Auszubildende gesamt",
            "davon Azubi mit Migrationsgeschichte",
        ],
        ["Dezernat I", 212, 19, 14, 3],
        ["Dezernat II", "=B5*2", 31, 11, 2],
        ["Summe", "=SUM(B5:B6)", None, None, None],
    ]
    return xlsx(rows, "Auswertung 2024")


def template_xlsx(rows: list[list[object]]) -> bytes:
    head = [
        "Variable",
        "Regionalschlüssel",
        "Region",
        "Jahr",
        "Stichtag",
        "Staatsangehörigkeit",
        "Geschlecht",
        "Altersgruppe",
        "Kategorie",
        "Wert",
        "Kennzeichen",
    ]
    return xlsx([head, *rows], "Daten")


def million_rows_last_bad() -> bytes:
    """1,000,000 data rows in a minimal ffcsv (only the required columns, < 50 MB); the last value is text."""
    head = "statistics_code;time;1_variable_code;1_variable_attribute_code;2_variable_code;2_variable_attribute_code;value;value_variable_code\n"
    rows = [
        f"12411;{1990 + i % 30};GEMEIN;0315700{1 + (i // 30) % 7};NAT;{'NATD' if i % 2 else 'NATA'};{i % 997};BEVSTD\n"
        for i in range(999_999)
    ]
    return (head + "".join(rows) + "12411;2020;GEMEIN;03157001;NAT;NATD;zwölf;BEVSTD\n").encode("utf-8")


def too_many_rows() -> bytes:
    return b"a;b\n" + b"1;2\n" * 2_600_000


def long_cell_csv() -> bytes:
    rows = ff_good_rows()
    rows[1] = rows[1].replace("Ausländer(innen)", "A" * 100_000)
    return ffcsv(rows)


def genesis_table(change: Callable[[str], str]) -> bytes:
    text = sample("genesis_12411-03-03-4_kreise.csv").decode("cp1252")
    return change(text).encode("cp1252")


# -- the corpus --------------------------------------------------------------------------------------
def corpus() -> list[Case]:
    ba = sample("ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx")
    return [
        Case("xlsx_abgeschnitten", "arbeitsmarkt.xlsx", lambda: ba[: len(ba) // 2], "beschädigt oder unvollständig"),
        Case(
            "pdf_als_xlsx",
            "bericht.xlsx",
            lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
            "PDF-Dokument",
        ),
        Case("zip_bombe", "bombe.xlsx", zip_bomb, "ZIP-Bombe"),
        Case("zip_bombe_falsche_groessen", "bombe2.xlsx", zip_bomb_lying_sizes, "ZIP-Bombe"),
        Case("zip_zu_viele_teile", "teile.xlsx", zip_many_entries, "Teile"),
        Case(
            "verschluesselt_ole_xlsx",
            "geheim.xlsx",
            lambda: ole_file(["EncryptionInfo", "EncryptedPackage"]),
            "verschlüsselt",
        ),
        Case("xls_als_xlsx", "alt.xlsx", lambda: ole_file(["Workbook"]), "ältere Excel-Arbeitsmappe"),
        Case("leere_datei", "leer.csv", lambda: b"", "leer (0 Byte)"),
        Case("nur_kopfzeile_ffcsv", "nur_kopf.csv", lambda: ffcsv([]), "nur die Kopfzeile"),
        Case("nur_kopfzeile_vorlage", "vorlage.xlsx", lambda: template_xlsx([]), "keine Datenzeilen"),
        Case(  # UTF-16 ("Unicode-Text") is read; one that breaks off in a character is refused
            "utf16_kaputt",
            "utf16.csv",
            lambda: ("\ufeff" + FF_HEADER + "\r\n" + ff_row()).encode("utf-16-le") + b"\x00\xd8",
            "UTF-16",
        ),
        Case(
            "falsche_kodierung",
            "kodierung.csv",
            lambda: FF_HEADER.encode() + b"\r\n" + b"12411;\x81\x8d\x8f;x\r\n",
            "weder UTF-8 noch Windows-1252",
            row=2,
        ),
        Case("binaerdaten_csv", "muell.csv", lambda: random.Random(7).randbytes(20_000), "Binärdaten"),
        Case(
            "gemischte_trennzeichen",
            "gemischt.csv",
            lambda: ffcsv([*ff_good_rows(), ff_row("03157004", "Lengede").replace(";", ",")]),
            "statt 17 Felder",
            row=5,
        ),
        Case(
            "text_in_zahlenspalte",
            "text.csv",
            lambda: ffcsv([*ff_good_rows(), ff_row("03157004", "Lengede", value="zwölf")]),
            "keine Zahl und kein amtliches Zeichen",
            row=5,
            column="N (value)",
        ),
        Case(
            "doppelte_schluessel", "doppelt.csv", lambda: ffcsv([*ff_good_rows(), ff_row()]), "Doppelter Eintrag", row=5
        ),
        Case(
            "unbekannte_region",
            "region.csv",
            lambda: ffcsv([*ff_good_rows(), ff_row("03157999", "Neustadt")]),
            "Unbekannte Region 03157999 („Neustadt“)",
            row=5,
            column="N (value)",
        ),
        Case(
            "negative_anzahl",
            "negativ.csv",
            lambda: ffcsv([*ff_good_rows(), ff_row("03157004", "Lengede", value="-5")]),
            "Negativer Wert -5",
            row=5,
        ),
        Case(
            "anteil_ueber_100",
            "quote.csv",
            lambda: opensdg([f"Juni 2021,{SDG_TOTAL},Insgesamt,%,5.5", f"Juni 2022,{SDG_TOTAL},Insgesamt,%,120.5"]),
            "Anteil 120,5 % liegt außerhalb",
            row=3,
            column="E (Value)",
        ),
        Case(
            "zukunftsjahr",
            "zukunft.csv",
            lambda: ffcsv([*ff_good_rows(), ff_row(time="2031-12-31")]),
            "Jahr 2031 liegt außerhalb",
            row=5,
        ),
        Case(
            "jahr_vor_1990",
            "alt.csv",
            lambda: opensdg([f"Juni 1985,{SDG_TOTAL},Insgesamt,%,5.5"]),
            "Jahr 1985 liegt außerhalb",
            row=2,
        ),
        Case(
            "ungueltiges_datum",
            "datum.csv",
            lambda: ffcsv([*ff_good_rows(), ff_row(time="31.02.2021")]),
            "Keine Jahreszahl und kein Datum",
            row=5,
            column="time",
        ),
        Case(
            "ba_kopf_verschoben",
            "ba.xlsx",
            lambda: xlsx(_shifted_ba()[0], "aGB - Tabelle II", _shifted_ba()[1]),
            "nicht eindeutig zuordnen",
            row=5,
        ),
        Case(
            "eine_million_zeilen",
            "million.csv",
            million_rows_last_bad,
            "keine Zahl und kein amtliches Zeichen",
            row=1_000_001,
            column="G (value)",
        ),
        Case("zu_viele_zeilen", "lang.csv", too_many_rows, "höchstens 2.500.000 sind erlaubt"),
        Case(
            "zu_viele_spalten",
            "breit.csv",
            lambda: (";".join(f"s{i}" for i in range(600)) + "\n" + ";".join("1" for _ in range(600)) + "\n").encode(),
            "höchstens 500 sind erlaubt",
        ),
        Case("zelle_100000_zeichen_csv", "lang_zelle.csv", long_cell_csv, "100.000 Zeichen", row=3),
        Case(
            "zelle_100000_zeichen_xlsx",
            "lang_zelle.xlsx",
            lambda: template_xlsx(
                [
                    [
                        "bevoelkerung",
                        "03157",
                        "x" * 100_000,
                        2020,
                        None,
                        "insgesamt",
                        "insgesamt",
                        "insgesamt",
                        "insgesamt",
                        5,
                        None,
                    ]
                ]
            ),
            "Zeichen; erlaubt sind höchstens 10.000",
            row=2,
            column="C",
        ),
        Case(
            "formel_ohne_ergebnis_profil",
            "personal.xlsx",
            personalamt_with_formula,
            "Formel ohne gespeichertes Ergebnis",
            row=6,
            column="B (Beschäftigte gesamt)",
            profile="personalamt",
        ),
        Case(
            "formel_ohne_ergebnis_vorlage",
            "vorlage_formel.xlsx",
            lambda: template_xlsx(
                [
                    [
                        "bevoelkerung",
                        "03157",
                        "Landkreis Peine",
                        2020,
                        None,
                        "insgesamt",
                        "insgesamt",
                        "insgesamt",
                        "insgesamt",
                        "=1+1",
                        None,
                    ]
                ]
            ),
            "Formel ohne gespeichertes Ergebnis",
            row=2,
            column="Wert",
        ),
        Case(
            "csv_injektion_in_codespalte",
            "injektion.csv",
            lambda: template_csv(
                [
                    "bevoelkerung;03157;Landkreis Peine;2020;;insgesamt;insgesamt;insgesamt;"
                    '=HYPERLINK("http://example.org","klick");5;'
                ]
            ),
            "Ungültiger Code der Kategorie",
            row=2,
            column="Kategorie",
        ),
        Case(
            "xls_ist_text", "export.xls", lambda: b"Region\tWert\r\nPeine\t5\r\n", "keine gültige Excel-97-Arbeitsmappe"
        ),
        Case("nur_titel", "titel.xlsx", lambda: xlsx([["Bericht Integration 2024"]]), "nur einen Titel"),
        Case("ods_ohne_tabelle", "leer.ods", lambda: ods(""), "kein Tabellenblatt"),
        Case(
            "ods_leeres_blatt",
            "leer2.ods",
            lambda: ods('<table:table table:name="Tabelle1"></table:table>'),
            "alle Blätter sind leer",
        ),
        Case("falsche_endung", "daten.docx", lambda: b"PK\x03\x04", "wird nicht unterstützt"),
        Case(
            "kein_trennzeichen",
            "notiz.txt",
            lambda: b"Bitte die Zahlen bis Freitag schicken.\nDanke\n",
            "kein Trennzeichen",
        ),
        Case(
            "genesis_unbekannte_statistik",
            "wanderung.csv",
            lambda: ffcsv([ff_row(stat="12711", value_var="BEV081")]),
            "Statistik 12711",
        ),
        Case(
            "genesis_unbekannte_beschriftung",
            "tabelle.csv",
            lambda: genesis_table(lambda t: t.replace("Deutsche;Deutsche;Deutsche", "EU-Bürger;EU-Bürger;EU-Bürger")),
            "Spaltenbeschriftung nicht zugeordnet: „EU-Bürger“",
            row=7,
        ),
        Case(
            "genesis_summe_kleiner_als_teile",
            "tabelle2.csv",
            lambda: genesis_table(
                lambda t: t.replace(
                    "31.12.2022;03157;      Peine, Landkreis;153088", "31.12.2022;03157;      Peine, Landkreis;150088"
                )
            ),
            "Summe kleiner als ihre Teile",
            row=16,
            column="D (Insgesamt / Insgesamt)",
        ),
        Case(
            "opensdg_unbekannte_kategorie",
            "sdg.csv",
            lambda: opensdg(["Juni 2022,Erwerbstätigenquote,Insgesamt,%,70.1"]),
            "passt zu keinem bekannten Open-SDG-Indikator",
        ),
        Case("zip_ohne_arbeitsmappe", "kaputt.xlsx", _zip_with_text, "lässt sich nicht lesen"),
    ]


def _shifted_ba() -> tuple[list[list[object]], list[str]]:
    return ba_rows(shift=1)


def _zip_with_text() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("notiz.txt", "kein Excel")
    return buf.getvalue()


def write_all(folder: Path) -> list[Path]:  # pragma: no cover - for looking at the corpus by hand
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for case in corpus():
        path = folder / f"{case.id}__{case.name}"
        path.write_bytes(case.build())
        out.append(path)
    return out


if __name__ == "__main__":  # pragma: no cover
    import sys

    for p in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "badfiles")):
        print(p, os.path.getsize(p))


# -- hostile files (issue 11): each must end in a German refusal within seconds, the process alive ------------------
def sparse_xlsx(far: str = "XFD1048576", sheet: str = "Daten") -> bytes:
    """4.8 KB: values only in A1 and in ``far``; a reader that builds the grid asks for gigabytes (XFD1048576:
    512 GiB, SF1048576 – 500 columns – 16 GB)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws["A1"] = "Variable"
    ws[far] = "x"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _ods_row(body: str, repeat: int | None = None) -> str:
    rep = f' table:number-rows-repeated="{repeat}"' if repeat else ""
    return f"<table:table-row{rep}>{body}</table:table-row>"


def _ods_cell(value: int, repeat: int | None = None) -> str:
    rep = f' table:number-columns-repeated="{repeat}"' if repeat else ""
    return f'<table:table-cell{rep} office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'


def sparse_ods() -> bytes:
    """An .ods with values in A1 and XFD1048576 (the empty space between written as repeated empty rows)."""
    return ods(
        '<table:table table:name="Tabelle1">'
        + _ods_row(_ods_cell(1))
        + _ods_row('<table:table-cell table:number-columns-repeated="1"/>', 1_048_574)
        + _ods_row('<table:table-cell table:number-columns-repeated="16383"/>' + _ods_cell(2))
        + "</table:table>"
    )


def repeated_ods() -> bytes:
    """One cell with a value, repeated 16.384 times in a row repeated 1.048.576 times: a few hundred bytes."""
    return ods('<table:table table:name="Tabelle1">' + _ods_row(_ods_cell(1, 16_384), 1_048_576) + "</table:table>")


def libreoffice_ods() -> bytes:
    """A normal LibreOffice sheet: a small table, then the trailing empty rows LibreOffice writes as one repeat."""
    return ods(
        '<table:table table:name="Tabelle1">'
        + _ods_row(_ods_cell(1) + _ods_cell(2))
        + _ods_row('<table:table-cell table:number-columns-repeated="1024"/>', 1_048_575)
        + "</table:table>"
    )


TEMPLATE_HEAD = [
    "Variable",
    "Regionalschlüssel",
    "Region",
    "Jahr",
    "Stichtag",
    "Staatsangehörigkeit",
    "Geschlecht",
    "Altersgruppe",
    "Kategorie",
    "Wert",
    "Kennzeichen",
]


def template_xlsx_stream(
    rows: int, target: io.BufferedIOBase | None = None, level: int = 6, refs: bool = True
) -> bytes | None:
    """A template workbook whose ``Daten`` sheet has ``rows`` data rows that each lack the variable (one problem a
    row), written by hand in streamed chunks (no openpyxl: 2.4 million rows would take minutes). With
    ``refs=False`` the rows and cells carry no references (allowed; a reader places them one after the other): 175
    bytes of XML a row that differ in one digit, a deflate ratio near 90:1 – under the zip limits (200:1); 2.4
    million rows are 4.6 MB that unpack to 420 MB."""
    buf = target or io.BytesIO()
    rnd = random.Random(11)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        zf.writestr(
            "[Content_Types].xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                "</Types>"
            ),
        )
        zf.writestr(
            "_rels/.rels",
            (
                '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>"
            ),
        )
        zf.writestr(
            "xl/workbook.xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                '<sheet name="Daten" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ),
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            (
                '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                "</Relationships>"
            ),
        )
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            head = "".join(
                f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(TEMPLATE_HEAD)
            )
            fh.write(
                (
                    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                    f'spreadsheetml/2006/main"><sheetData><row r="1">{head}</row>'
                ).encode()
            )
            block, filler = [], "Landkreis Peine " * 12
            plain = [
                f'<row><c/><c t="inlineStr"><is><t>03157</t></is></c><c t="inlineStr"><is><t>{"Peine " * 5}'
                f"</t></is></c><c><v>2020</v></c><c/><c/><c/><c/><c/><c><v>{d}</v></c></row>"
                for d in range(10)
            ]
            for r in range(2, rows + 2):
                if not refs:
                    block.append(plain[rnd.randrange(10)])
                    if len(block) == 20_000:
                        fh.write("".join(block).encode())
                        block = []
                    continue
                block.append(
                    f'<row r="{r}"><c r="B{r}" t="inlineStr"><is><t>03157</t></is></c><c r="C{r}" t="inlineStr">'
                    f'<is><t>{filler}</t></is></c><c r="D{r}"><v>2020</v></c><c r="J{r}"><v>{rnd.randrange(4)}</v></c></row>'
                )
                if len(block) == 20_000:
                    fh.write("".join(block).encode())
                    block = []
            fh.write(("".join(block) + "</sheetData></worksheet>").encode())
    return None if target is not None else buf.getvalue()


def template_csv_huge_cell(chars: int = 1_000_000) -> bytes:
    """A template CSV whose region name (row 2, column Region) holds a million characters."""
    return template_csv([f"bevoelkerung;03157;{'A' * chars};2020;;insgesamt;insgesamt;insgesamt;insgesamt;5;"])


def xlsx_sheet_changed(change: Callable[[bytes], bytes]) -> bytes:
    """A small valid template workbook whose sheet XML is changed by ``change`` (written by hand: other writers)."""
    src = zipfile.ZipFile(
        io.BytesIO(
            template_xlsx(
                [
                    [
                        "bevoelkerung",
                        "03157",
                        "Peine",
                        2020,
                        None,
                        "insgesamt",
                        "insgesamt",
                        "insgesamt",
                        "insgesamt",
                        5,
                        None,
                    ]
                ]
            )
        )
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            zf.writestr(info.filename, data)
    return buf.getvalue()


_FAR_ROW = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'

#: references the way calamine also reads them: each variant must be measured like the plain one
FAR_CELL_SPELLINGS: dict[str, Callable[[bytes], bytes]] = {
    "klein": lambda d: d.replace(b"</sheetData>", _FAR_ROW.replace(b"XFD", b"xfd")),
    "hochkomma": lambda d: d.replace(b"</sheetData>", _FAR_ROW.replace(b'"', b"'")),
    "leerzeichen": lambda d: d.replace(b"</sheetData>", _FAR_ROW.replace(b'r="XFD', b'r = "XFD')),
    "praefix": lambda d: d.replace(
        b"<worksheet xmlns=", b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns='
    ).replace(b"</sheetData>", b'<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row></sheetData>'),
    "ohne_bezug_davor": lambda d: d.replace(b"<sheetData>", b"<sheetData><row><c><v>1</v></c></row>").replace(
        b"</sheetData>", _FAR_ROW
    ),
    "ohne_bezug_breit": lambda d: d.replace(
        b"</sheetData>", b'<row r="1048576">' + b"<c><v>1</v></c>" * 600 + b"</row></sheetData>"
    ),
}


def many_sheets_xlsx(sheets: int = 30, far: str = "K1000000") -> bytes:
    """``sheets`` sheets, each with values in A1 and ``far`` (11 million cells each, within the per-sheet limit):
    a few kilobytes whose grids together are hundreds of millions of cells."""
    wb = Workbook()
    wb.remove(wb.active)
    for i in range(sheets):
        ws = wb.create_sheet(f"Blatt{i + 1}")
        ws["A1"] = 1
        ws[far] = 2
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# -- old Excel workbooks (.xls, BIFF records in an OLE file) whose records lie about their grid -------------------
XLS_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xls"


def _biff_records(data: bytes, stream_at: int = 512, stream_len: int = 8192):
    """(offset of the record in ``data``, type) of every record of the fixture's Workbook stream."""
    pos = 0
    while pos + 4 <= stream_len:
        kind, length = struct.unpack_from("<HH", data, stream_at + pos)
        yield stream_at + pos, kind
        pos += 4 + length


def forged_xls_dimensions(rows: int = 1_048_576, cols: int = 16_384) -> bytes:
    """The fixture .xls (9.7 KB) whose data sheet's DIMENSIONS record claims ``rows`` × ``cols`` (calamine reserved
    687 GB for 1.048.576 × 16.384 and the process aborted)."""
    data = bytearray(XLS_FIXTURE.read_bytes())
    dims = [at for at, kind in _biff_records(data) if kind == 0x0200]
    struct.pack_into("<IIHH", data, dims[1] + 4, 0, rows, 0, cols)
    return bytes(data)


def forged_xls_far_cell() -> bytes:
    """The fixture .xls with one text cell moved to row 65.536, column 65.536 (a 137 GB grid for calamine)."""
    data = bytearray(XLS_FIXTURE.read_bytes())
    cells = [at for at, kind in _biff_records(data) if kind == 0x00FD]
    struct.pack_into("<HH", data, cells[-2] + 4, 0xFFFF, 0xFFFF)
    return bytes(data)


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;'
    '&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;'
    '&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
)


def xlsx_part_changed(member: str, change: Callable[[bytes], bytes]) -> bytes:
    """A small good template workbook with one zip member rewritten."""
    good = template_xlsx([["03157", "Peine", 2024, 5]])
    src = zipfile.ZipFile(io.BytesIO(good))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            out.writestr(info, change(data) if info.filename == member else data)
    return buf.getvalue()


_ENTITY_AT = {"xl/workbook.xml": b"Daten", "xl/worksheets/sheet1.xml": b"Variable", "xl/styles.xml": b"Calibri"}


def xlsx_entity_expansion(member: str = "xl/workbook.xml") -> bytes:
    """'Billion laughs' in a part the monitor reads itself (the workbook) or calamine reads (shared strings)."""
    return xlsx_part_changed(
        member, lambda d: LAUGHS.encode() + d.split(b"?>", 1)[-1].replace(_ENTITY_AT[member], b"&lol9;", 1)
    )


def xlsx_external_entity(member: str = "xl/workbook.xml") -> bytes:
    """An external entity reading a file of the server (XXE)."""
    head = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return xlsx_part_changed(
        member, lambda d: head.encode() + d.split(b"?>", 1)[-1].replace(_ENTITY_AT[member], b"&xxe;", 1)
    )
