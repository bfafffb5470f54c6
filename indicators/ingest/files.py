"""Opening uploads safely: size and container checks, spreadsheets via python-calamine, text decoding."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from indicators.ingest.base import RawFile, RejectFile

SPREADSHEET_EXT = {"xlsx", "xlsm", "xls", "ods"}
TEXT_EXT = {"csv", "txt", "tsv"}
ZIP_EXT = {"xlsx", "xlsm", "ods"}

MAX_ZIP_ENTRIES = 2_000
MAX_UNCOMPRESSED = 500 * 1024 * 1024
MAX_RATIO = 200
MAX_ROWS = 2_500_000
MAX_COLS = 500


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]


def kind_of(raw: RawFile) -> str:
    """'zip', 'ole' (old .xls or an encrypted workbook), 'pdf', 'text' or 'binary', from the bytes."""
    head = raw.content[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    sample = raw.content[:8192]
    if b"\x00" in sample and not (sample.startswith(b"\xff\xfe") or sample.startswith(b"\xfe\xff")):
        return "binary"
    return "text"


def check_container(raw: RawFile, max_bytes: int) -> None:
    """Size, emptiness, extension against content, and the zip container before any parsing."""
    if raw.size == 0:
        raise RejectFile(raw.error("Die Datei ist leer (0 Byte)."))
    if raw.size > max_bytes:
        raise RejectFile(raw.error(
            f"Die Datei ist {raw.size / 1024 / 1024:.1f} MB groß; erlaubt sind höchstens "
            f"{max_bytes // 1024 // 1024} MB (Einstellung MONITOR_MAX_UPLOAD_MB).".replace(".", ",", 1)))
    ext = raw.extension
    kind = kind_of(raw)
    if ext not in SPREADSHEET_EXT | TEXT_EXT:
        raise RejectFile(raw.error(
            f"Dateiendung „.{ext}“ wird nicht unterstützt. Erlaubt sind .xlsx, .xlsm, .xls, .ods, .csv und .txt."))
    if kind == "pdf":
        raise RejectFile(raw.error("Die Datei ist ein PDF-Dokument, keine Tabelle. Bitte die Excel- oder CSV-Fassung hochladen."))
    if ext in ZIP_EXT:
        if kind == "ole":
            raise RejectFile(raw.error(
                "Die Arbeitsmappe ist verschlüsselt bzw. kennwortgeschützt. Bitte ohne Kennwort speichern und erneut hochladen."))
        if kind != "zip":
            raise RejectFile(raw.error(f"Der Inhalt passt nicht zur Endung .{ext}: keine gültige Arbeitsmappe."))
        _check_zip(raw)
    elif ext == "xls":
        if kind != "ole":
            raise RejectFile(raw.error("Der Inhalt passt nicht zur Endung .xls: keine gültige Excel-97-Arbeitsmappe."))
    else:  # text
        if kind in ("zip", "ole"):
            raise RejectFile(raw.error(f"Der Inhalt passt nicht zur Endung .{ext}: das ist eine Arbeitsmappe, keine Textdatei."))
        if kind == "binary":
            raise RejectFile(raw.error(f"Die Datei enthält Binärdaten und ist keine Textdatei (.{ext})."))


def _check_zip(raw: RawFile) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw.content))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise RejectFile(raw.error("Die Arbeitsmappe ist beschädigt oder unvollständig (ZIP-Container nicht lesbar).")) from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise RejectFile(raw.error(f"Die Arbeitsmappe enthält {len(infos)} Teile; das ist für eine Tabelle unplausibel."))
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
        raise RejectFile(raw.error(
            f"Die Arbeitsmappe würde entpackt {total / 1024 / 1024:,.0f} MB belegen (Verhältnis {total / packed:,.0f}:1). "
            "Sie wird aus Sicherheitsgründen nicht geöffnet (mögliche ZIP-Bombe).".replace(",", ".")))
    if any(i.flag_bits & 0x1 for i in infos):
        raise RejectFile(raw.error("Die Arbeitsmappe ist verschlüsselt. Bitte ohne Kennwort speichern."))


def read_sheets(raw: RawFile) -> list[Sheet]:
    """All sheets as lists of rows (values only: calamine returns cached formula results)."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(raw.content))
        sheets = []
        for name in wb.sheet_names:
            sh = wb.get_sheet_by_name(name)
            if sh.height > MAX_ROWS:
                raise RejectFile(raw.error(f"Das Blatt hat {sh.height:,} Zeilen; höchstens {MAX_ROWS:,} sind erlaubt.".replace(",", "."), sheet=name))
            if sh.width > MAX_COLS:
                raise RejectFile(raw.error(f"Das Blatt hat {sh.width} Spalten; höchstens {MAX_COLS} sind erlaubt.", sheet=name))
            sheets.append(Sheet(name, sh.to_python(skip_empty_area=False)))
        return sheets
    except RejectFile:
        raise
    except Exception as exc:  # calamine raises several error types for broken files
        msg = str(exc).lower()
        if "password" in msg or "encrypt" in msg:
            raise RejectFile(raw.error("Die Arbeitsmappe ist kennwortgeschützt. Bitte ohne Kennwort speichern.")) from None
        raise RejectFile(raw.error(f"Die Arbeitsmappe lässt sich nicht lesen (beschädigt oder unvollständig): {str(exc)[:200]}")) from None


def decode_text(raw: RawFile) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 (with or without BOM), else Windows-1252."""
    data = raw.content
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 mit BOM"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise RejectFile(raw.error("Die Zeichenkodierung ist weder UTF-8 noch Windows-1252; die Datei lässt sich nicht lesen.")) from None


def detect_delimiter(text: str) -> str:
    """The separator among ';', ',' and tab that splits the first lines most consistently."""
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    best, best_score = ";", -1.0
    for sep in (";", "\t", ","):
        counts = [ln.count(sep) for ln in lines]
        if not counts or max(counts) == 0:
            continue
        common = max(set(counts), key=counts.count)
        score = counts.count(common) * (common > 0) + common * 0.01
        if score > best_score:
            best, best_score = sep, score
    return best


DELIMITER_NAMES = {";": "Semikolon", ",": "Komma", "\t": "Tabulator"}
