"""Opening uploads safely: size and container checks, spreadsheets via python-calamine, text decoding."""

from __future__ import annotations

import codecs
import csv
import functools
import gc
import io
import logging
import re
import struct
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, TypeVar, cast
from xml.etree import ElementTree

import pandas as pd
from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException

from indicators import config
from indicators.fmt import fmt_num
from indicators.ingest import sandbox
from indicators.ingest.base import RawFile, RejectFile
from indicators.ingest.values import EMPTY_CELL

log = logging.getLogger("integrationsmonitor")

SPREADSHEET_EXT = {"xlsx", "xlsm", "xls", "ods"}
TEXT_EXT = {"csv", "txt", "tsv"}
ZIP_EXT = {"xlsx", "xlsm", "ods"}

MAX_ZIP_ENTRIES = 2_000
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # default of the setting MONITOR_MAX_UNPACKED_MB (Settings.max_unpacked_mb)
MAX_RATIO = 200
MAX_ROWS = 2_500_000
MAX_COLS = 500
MAX_CELL_CHARS = 10_000  # no cell of a statistics table comes near this; Excel itself stops at 32.767
#: a note alone in its row (a GENESIS footnote block, the BA's methodological notes) may be longer: real school
#: statistics carry footnotes of more than 10.000 characters; the per-cell limit guards the cells of data rows
MAX_NOTE_CHARS = 100_000
#: cells of a sheet's grid (rows × columns, counted from A1): python-calamine builds the whole grid in memory
#: (32 bytes a cell, then a Python object each), so two cells in A1 and XFD1048576 asked for 512 GiB
MAX_CELLS = 12_000_000
SNIFF_BYTES = 64 * 1024
#: the start of an OLE compound file (an old Excel workbook, .xls)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# the csv module refuses a field over 131.072 characters with an English error and no column; with a limit above
# any upload the field is read and check_cell_lengths names its row and column in German
csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]
    #: merged cell ranges as ((first_row, first_col), (last_row, last_col)), 0-based
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


T = TypeVar("T")


def _cache(raw: RawFile) -> dict[Any, Any]:
    """Per-upload cache (sheets, decoded text): each reader's ``sniff`` and ``read`` share one parse."""
    return cast("dict[Any, Any]", raw.__dict__.setdefault("_ingest_cache", {}))


def release_parse_cache(raw: RawFile) -> None:
    """Drop the parsed sheets and the decoded text of an upload (once its data is read, before the commit):
    for a large workbook these are hundreds of MB of Python objects nobody needs any more. The freed
    memory is then handed back to the operating system: the C allocator and Arrow's pool keep it
    otherwise, and DuckDB, which allocates on its own, would come on top of it (measured for a 2-million-row
    CSV: 260 MB less before the database work)."""
    cache = _cache(raw)
    for key in [k for k in cache if k in ("sheets", "text") or (isinstance(k, tuple) and k[0] == "table")]:
        del cache[key]
    _return_free_memory()


def return_free_memory() -> None:
    """Hand memory that Python has freed back to the operating system (glibc and Arrow keep it otherwise)."""
    _return_free_memory()


def _return_free_memory() -> None:
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    try:
        _libc().malloc_trim(0)  # glibc only; elsewhere there is nothing to do
    except (OSError, AttributeError):
        pass


_GC_LOCK = threading.Lock()
_gc_pauses = 0  # readers inside gc_paused() now (the page's sessions are threads of one process)
_gc_was_enabled = True


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a file is read and checked. A sheet of 200.000 rows is
    millions of fresh Python objects (cells, rows, texts) and each automatic collection walks them again (measured:
    about a quarter of the time of reading a 200.000-row BA workbook), while none of them is part of a cycle;
    reference counting frees them as before. Counted over threads: the collector runs again (if it ran before)
    once the last reader is done."""
    global _gc_pauses, _gc_was_enabled
    with _GC_LOCK:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


@functools.cache
def _libc() -> Any:
    import ctypes
    import ctypes.util

    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")


def kind_of(raw: RawFile) -> str:
    """'zip', 'ole' (old .xls or an encrypted workbook), 'pdf', 'text' or 'binary', from the bytes."""
    head = raw.content[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    sample = raw.content[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(sample):
        return "utf16"
    if b"\x00" in sample or _control_share(sample) > 0.05:
        return "binary"
    return "text"


def _looks_utf16(sample: bytes) -> bool:
    """Text saved as UTF-16 without byte order mark: every other byte is zero."""
    if len(sample) < 16:
        return False
    zeros_odd = sample[1::2].count(0) / len(sample[1::2])
    zeros_even = sample[0::2].count(0) / len(sample[0::2])
    return max(zeros_odd, zeros_even) > 0.4 and min(zeros_odd, zeros_even) < 0.05


def _control_share(sample: bytes) -> float:
    """Share of control bytes other than tab, CR, LF, form feed (text files have practically none)."""
    if not sample:
        return 0.0
    bad = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(sample)


def check_container(raw: RawFile, max_bytes: int, max_unpacked: int = MAX_UNCOMPRESSED) -> None:
    """Size, emptiness, extension against content, and the zip container before any parsing (``max_unpacked``:
    what a workbook may unpack to, the setting MONITOR_MAX_UNPACKED_MB)."""
    if raw.size == 0:
        raise RejectFile(raw.error("Die Datei ist leer (0 Byte)."))
    if raw.size > max_bytes:
        raise RejectFile(
            raw.error(
                f"Die Datei ist {fmt_num(raw.size / 1024 / 1024, 1)} MB groß; erlaubt sind höchstens "
                f"{fmt_num(max_bytes // 1024 // 1024, 0)} MB (Einstellung MONITOR_MAX_UPLOAD_MB)."
            )
        )
    ext = raw.extension
    kind = kind_of(raw)
    if ext not in SPREADSHEET_EXT | TEXT_EXT:
        raise RejectFile(
            raw.error(
                f"Dateiendung „.{ext}“ wird nicht unterstützt. Erlaubt sind .xlsx, .xlsm, .xls, .ods, .csv und .txt."
            )
        )
    if kind == "pdf":
        raise RejectFile(
            raw.error("Die Datei ist ein PDF-Dokument, keine Tabelle. Bitte die Excel- oder CSV-Fassung hochladen.")
        )
    if kind == "ole" and _ole_encrypted(raw.content):
        raise RejectFile(
            raw.error(
                "Die Arbeitsmappe ist verschlüsselt bzw. kennwortgeschützt. Bitte ohne Kennwort speichern und erneut hochladen."
            )
        )
    if ext in ZIP_EXT:
        if kind == "ole":
            raise RejectFile(
                raw.error(
                    f"Der Inhalt passt nicht zur Endung .{ext}: das ist eine ältere Excel-Arbeitsmappe (.xls). "
                    "Bitte in Excel als .xlsx speichern oder mit der Endung .xls hochladen."
                )
            )
        if kind != "zip":
            raise RejectFile(raw.error(f"Der Inhalt passt nicht zur Endung .{ext}: keine gültige Arbeitsmappe."))
        _check_zip(raw, max_unpacked)
    elif ext == "xls":
        if kind != "ole":
            raise RejectFile(raw.error("Der Inhalt passt nicht zur Endung .xls: keine gültige Excel-97-Arbeitsmappe."))
        _check_ole(raw)
    else:  # text
        if kind in ("zip", "ole"):
            raise RejectFile(
                raw.error(f"Der Inhalt passt nicht zur Endung .{ext}: das ist eine Arbeitsmappe, keine Textdatei.")
            )
        if kind == "utf16":
            text_bytes(raw)  # Excel's "Unicode-Text": read as UTF-16 (refused if it is not)
        if kind == "binary":
            raise RejectFile(raw.error(f"Die Datei enthält Binärdaten und ist keine Textdatei (.{ext})."))
        check_text_limits(raw)


def _ole_encrypted(content: bytes) -> bool:
    """An OLE container holding an encrypted OOXML workbook (streams ``EncryptionInfo``/``EncryptedPackage``).

    A password-protected .xls is recognised later, when calamine refuses to open it."""
    head = content[: 1024 * 1024]
    return any(name.encode("utf-16-le") in head for name in ("EncryptionInfo", "EncryptedPackage"))


_ENDOFCHAIN, _FREESECT = 0xFFFFFFFE, 0xFFFFFFFF


def _check_ole(raw: RawFile) -> None:
    """The compound-file structure of an old Excel workbook, checked before calamine opens it: a forged header
    or a sector chain that loops made calamine allocate without end (a 1 KB upload stopped the server).
    Checks the header, the DIFAT, the FAT, and that every chain calamine follows (directory, mini FAT, the
    streams) stays inside the file and ends, and that no stream claims more bytes than its chain holds."""
    c = raw.content
    broken = RejectFile(
        raw.error(
            "Die Excel-97-Arbeitsmappe (.xls) ist beschädigt oder unvollständig (innere Dateistruktur nicht lesbar). "
            "Bitte in Excel öffnen und als .xlsx speichern."
        )
    )
    if len(c) < 512:
        raise broken
    major, order, shift, mini_shift = struct.unpack_from("<HHHH", c, 26)
    if order != 0xFFFE or (major, shift) not in ((3, 9), (4, 12)) or mini_shift != 6:
        raise broken
    size, per = 1 << shift, (1 << shift) // 4
    n_sectors = -(-len(c) // size) - 1  # sector N starts at (N + 1) * size; a short last sector counts
    n_fat, first_dir, _, cutoff, first_mini, n_mini, first_difat, n_difat = struct.unpack_from("<8I", c, 44)
    if not 0 < n_fat <= n_sectors or n_mini > n_sectors or n_difat > n_sectors or cutoff != 4096:
        raise broken

    def sector(n: int) -> bytes:
        return c[(n + 1) * size : (n + 2) * size].ljust(size, b"\0")

    difat = _difat(c, first_difat, n_sectors, per, sector, broken)
    if len(difat) < n_fat or any(s >= n_sectors for s in difat[:n_fat]):
        raise broken
    fat = list(struct.unpack(f"<{n_fat * per}I", b"".join(sector(s) for s in difat[:n_fat])))
    ends: dict[int, set[int]] = {}  # per table: the entries already followed to the end of their chain

    def chain(start: int, table: list[int], limit: int) -> int:
        """The number of sectors from ``start`` not yet counted in another chain (streams never share
        sectors); raises for a loop or a sector outside the file. Each entry is followed once."""
        known, path, seen, n = ends.setdefault(id(table), set()), [], set(), start
        while n != _ENDOFCHAIN and n not in known:
            if n >= min(limit, len(table)) or n in seen:
                raise broken
            path.append(n)
            seen.add(n)
            n = table[n]
        known.update(seen)
        return len(path)

    if first_dir == _ENDOFCHAIN:
        raise broken
    directory = [first_dir]
    chain(first_dir, fat, n_sectors)
    while fat[directory[-1]] != _ENDOFCHAIN:
        directory.append(fat[directory[-1]])
    mini_fat: list[int] = []
    if n_mini:
        chain(first_mini, fat, n_sectors)
        n = first_mini
        while n != _ENDOFCHAIN:
            mini_fat.extend(struct.unpack(f"<{per}I", sector(n)))
            n = fat[n]
    root_size, root_start, book = None, _ENDOFCHAIN, None
    for d in directory:
        block = sector(d)
        for i in range(0, size, 128):
            kind, start = block[i + 66], struct.unpack_from("<I", block, i + 116)[0]
            length = struct.unpack_from("<Q" if major == 4 else "<I", block, i + 120)[0]
            name_len = min(64, struct.unpack_from("<H", block, i + 64)[0])
            name = block[i : i + max(0, name_len - 2)].decode("utf-16-le", errors="replace")
            if kind == 5 and root_size is None:  # the root entry: the mini stream's sectors
                root_size, root_start = length, start
                if length and chain(start, fat, n_sectors) * size < length:
                    raise broken
            elif kind == 2 and length:
                if length >= cutoff:
                    if chain(start, fat, n_sectors) * size < length:
                        raise broken
                elif chain(start, mini_fat, -(-(root_size or 0) // 64)) * 64 < length:
                    raise broken
                if name in ("Workbook", "Book") and book is None:
                    book = (start, length)
    if root_size is None:
        raise broken
    if book is not None:  # the chains are known to end inside the file: the workbook stream can be put together
        _check_biff(raw, _book_stream(book, fat, mini_fat, sector, size, cutoff, root_start))


def _difat(
    c: bytes, first: int, n_sectors: int, per: int, sector: Callable[[int], bytes], broken: RejectFile
) -> list[int]:
    """The DIFAT of a compound file: the 109 entries of the header and those of its chain of DIFAT sectors."""
    difat, seen, n = list(struct.unpack_from("<109I", c, 76)), set(), first
    while n not in (_ENDOFCHAIN, _FREESECT):
        if n >= n_sectors or n in seen:
            raise broken
        seen.add(n)
        entries = struct.unpack(f"<{per}I", sector(n))
        difat.extend(entries[:-1])
        n = entries[-1]
    return difat


def _book_stream(
    book: tuple[int, int],
    fat: list[int],
    mini_fat: list[int],
    sector: Callable[[int], bytes],
    size: int,
    cutoff: int,
    root_start: int,
) -> bytes:
    """The workbook stream put together from its chain (in the FAT, or in the mini stream for a small one)."""
    start, length = book

    def follow(n: int, table: list[int], unit: tuple[Callable[[int], bytes], int]) -> bytes:
        parts: list[bytes] = []
        while n != _ENDOFCHAIN and len(parts) * unit[1] < length:
            parts.append(unit[0](n))
            n = table[n]
        return b"".join(parts)[:length]

    if length >= cutoff:
        return follow(start, fat, (sector, size))
    mini = b"".join(sector(n) for n in _walk(root_start, fat))
    return follow(start, mini_fat, (lambda n: mini[n * 64 : (n + 1) * 64], 64))


def _walk(n: int, table: list[int]) -> Iterator[int]:
    while n != _ENDOFCHAIN:
        yield n
        n = table[n]


# -- the grid of every sheet of an old Excel workbook (BIFF records), before calamine reads it ---------------
# calamine reserves a sheet's cells by the sheet's DIMENSIONS record and builds its grid from the highest row and
# column of any cell record: a 9.7 KB .xls whose DIMENSIONS claimed 1.048.576 × 16.384 asked for 687 GB, a single
# cell at row 65.536, column 65.536 for 137 GB, and the process aborted. So the records are walked first.
_BIFF_BOF, _BIFF_EOF, _BIFF_SHEET, _BIFF_DIMENSIONS = 0x0809, 0x000A, 0x0085, 0x0200
#: records of a cell with a value (row and first column in their first four bytes); MULRK ends with its last column.
#: Blank cells (BLANK, MULBLANK) carry formatting only and calamine does not place them.
_BIFF_CELLS = {0x0203, 0x00FD, 0x0204, 0x027E, 0x0205, 0x0006, 0x00D6, 0x0002, 0x0003, 0x0004, 0x0206, 0x0406}
_BIFF_MULRK = 0x00BD
_BIFF_MAX_ROWS, _BIFF_MAX_COLS = 65_536, 256  # Excel 97–2003


def _check_biff(raw: RawFile, stream: bytes) -> None:
    """Refuse an .xls with a sheet whose declared or actual grid exceeds the limits, naming the sheet."""
    names: list[str] = []
    pos, n_sheet, in_sheet, total = 0, -1, False, 0
    rows = cols = 0
    declared: tuple[int, int] | None = None

    def finish() -> None:
        nonlocal total
        name = names[n_sheet] if 0 <= n_sheet < len(names) else f"Blatt {n_sheet + 1}"
        if declared is not None:
            d_rows, d_cols = declared
            if d_rows > _BIFF_MAX_ROWS or d_cols > _BIFF_MAX_COLS or d_rows * d_cols > MAX_CELLS:
                raise RejectFile(
                    raw.error(
                        f"Das Blatt gibt seine Größe mit {_de_int(d_rows)} Zeilen × {_de_int(d_cols)} Spalten an; "
                        f"eine Excel-97-Arbeitsmappe hat höchstens {_de_int(_BIFF_MAX_ROWS)} Zeilen und "
                        f"{_BIFF_MAX_COLS} Spalten, und erlaubt sind höchstens {_de_int(MAX_CELLS)} Zellen je Blatt. "
                        "Die Datei ist beschädigt oder manipuliert und wird aus Sicherheitsgründen nicht geöffnet.",
                        sheet=name,
                    )
                )
        ext = _Extent()
        ext.rows, ext.cols = rows, cols
        if (refusal := ext.refusal(raw, name)) is not None:
            raise refusal
        total = _add_to_total(raw, name, total, rows * cols)

    while pos + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4 : pos + 4 + length]
        pos += 4 + length
        if kind == _BIFF_BOF and len(body) >= 4:
            sub = struct.unpack_from("<H", body, 2)[0]
            if sub in (0x0010, 0x0020, 0x0040):  # worksheet, chart, macro sheet: counted like the workbook's list
                n_sheet += 1
                in_sheet, rows, cols, declared = True, 0, 0, None
        elif kind == _BIFF_EOF:
            if in_sheet:
                finish()
            in_sheet = False
        elif kind == _BIFF_SHEET and len(body) >= 8:
            names.append(_biff_sheet_name(body))
        elif not in_sheet:
            continue
        elif kind == _BIFF_DIMENSIONS:
            if len(body) >= 14:
                first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", body)
            elif len(body) >= 8:
                first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", body)
            else:
                continue
            declared = (max(last_row, first_row), max(last_col, first_col))  # one past the last row and column
        elif (kind in _BIFF_CELLS and len(body) >= 4) or (kind == _BIFF_MULRK and len(body) >= 6):
            row, col = struct.unpack_from("<HH", body)
            if kind == _BIFF_MULRK:
                col = max(col, struct.unpack_from("<H", body, len(body) - 2)[0])
            rows, cols = max(rows, row + 1), max(cols, col + 1)
    if in_sheet:  # a sheet without its end record
        finish()


def _biff_sheet_name(body: bytes) -> str:
    """The name in a BOUNDSHEET record (BIFF8: length, flag byte, Latin-1 or UTF-16; BIFF5: length, bytes)."""
    n = body[6]
    if len(body) >= 8 + n and len(body) in (8 + n, 8 + 2 * n) and body[7] in (0, 1):
        text = body[8 : 8 + n * (2 if body[7] else 1)]
        return text.decode("utf-16-le" if body[7] else "latin-1", errors="replace")
    return body[7 : 7 + n].decode("cp1252", errors="replace")


def _check_zip(raw: RawFile, max_unpacked: int = MAX_UNCOMPRESSED) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw.content))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        raise RejectFile(
            raw.error("Die Arbeitsmappe ist beschädigt oder unvollständig (ZIP-Container nicht lesbar).")
        ) from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise RejectFile(
            raw.error(f"Die Arbeitsmappe enthält {len(infos)} Teile; das ist für eine Tabelle unplausibel.")
        )
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > max_unpacked or total / packed > MAX_RATIO:
        raise RejectFile(
            raw.error(
                f"Die Arbeitsmappe würde entpackt {_de_int(round(total / 1024 / 1024))} MB belegen (Verhältnis "
                f"{_de_int(round(total / packed))}:1; erlaubt sind {_de_int(max_unpacked // 1024 // 1024)} MB und "
                f"{MAX_RATIO}:1, Einstellung MONITOR_MAX_UNPACKED_MB). Sie wird aus Sicherheitsgründen nicht geöffnet "
                "(mögliche ZIP-Bombe)."
            )
        )
    if any(i.flag_bits & 0x1 for i in infos):
        raise RejectFile(raw.error("Die Arbeitsmappe ist verschlüsselt. Bitte ohne Kennwort speichern."))


# -- the extent of every sheet, before a grid is built -------------------------------------------
# python-calamine builds a sheet's whole grid (from its first to its last cell with a value) before anything can
# be checked: a 4.8 KB .xlsx with values in A1 and XFD1048576 asked for 512 GiB and aborted the process. So the
# sheets' XML is streamed first (bounded chunks, nothing kept but counters) and a sheet whose grid would exceed
# MAX_ROWS, MAX_COLS or MAX_CELLS is refused with its name. Calamine 0.9 allocates by the cells that carry a value
# (an empty styled cell <c r="XFD1" s="1"/> and the declared <dimension> do not count), and so does this scan.
_SCAN_CHUNK = 4 * 1024 * 1024
# calamine also takes a reference in lower case, in single quotes, with spaces around '=' and a namespace prefix
_XLSX_FAST = re.compile(rb'<c r="([A-Za-z]+)(\d+)"[^>]*?(/?)>')  # (letters, digits, '/' of an empty cell)
_XLSX_REFS = re.compile(rb'<c r="([A-Za-z]+)(\d+)"')  # every cell, valued or empty (a bound: three times faster)
_REF_ATTR = rb'\br\s*=\s*["\']([A-Za-z]+)(\d+)["\']'
_XLSX_VALUED = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?" + _REF_ATTR + rb"[^>]*(?<!/)>")
_XLSX_ANY_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_XLSX_CELL_WITH_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?" + _REF_ATTR)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def _dtd_refusal(raw: RawFile) -> RejectFile:
    return RejectFile(
        raw.error(
            "Die Arbeitsmappe enthält eine DTD-Deklaration; das kommt in Excel-Dateien nicht "
            "vor. Sie wird aus Sicherheitsgründen nicht geöffnet."
        )
    )


def _refuse_dtd(zf: zipfile.ZipFile, member: str, raw: RawFile) -> None:
    """Refuse a part with a document type declaration (where entities are declared), read in bounded chunks."""
    tail = b""
    for chunk in _chunks(zf, member, raw):
        if _DOCTYPE.search(tail + chunk) or b"<!ENTITY" in (tail + chunk).upper():
            raise _dtd_refusal(raw)
        tail = chunk[-16:]


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


class _Extent:
    """The grid a sheet would need: its last row and column with a value (1-based; the grid starts at A1)."""

    def __init__(self) -> None:
        self.rows = 0
        self.cols = 0
        self.exact = True  # False: a bound (empty cells counted too), see _scan_xlsx_sheet(bound=True)
        self.at_least = False  # True: the reading stopped once a limit was broken (the sheet goes further)

    def refusal(self, raw: RawFile, sheet: str) -> RejectFile | None:
        if not _too_large(self.rows, self.cols):
            return None
        last = f"{column_letter(self.cols - 1)}{self.rows}"
        reaches = "reicht mindestens bis" if self.at_least else "reicht bis"
        return RejectFile(
            raw.error(
                f"Das Blatt {reaches} Zelle {last} ({_de_int(self.rows)} Zeilen × {_de_int(self.cols)} Spalten = "
                f"{_de_int(self.rows * self.cols)} Zellen). Erlaubt sind höchstens {_de_int(MAX_ROWS)} Zeilen, {MAX_COLS} "
                f"Spalten und {_de_int(MAX_CELLS)} Zellen je Blatt. Stehen weit außerhalb der Tabelle noch Werte? Bitte nur "
                "die Tabelle in eine neue Arbeitsmappe kopieren.",
                sheet=sheet,
            )
        )


def _de_int(n: int) -> str:
    return f"{n:_}".replace("_", ".")


def _unpacked_limit(raw: RawFile) -> RejectFile:
    return RejectFile(
        raw.error(
            "Ein Teil der Arbeitsmappe ist entpackt größer, als die Datei angibt. Sie wird aus "
            "Sicherheitsgründen nicht weiter gelesen (mögliche ZIP-Bombe oder beschädigte Datei)."
        )
    )


def _chunks(zf: zipfile.ZipFile, name: str, raw: RawFile) -> Iterator[bytes]:
    """The bytes of one zip member in bounded chunks; never more than the member declares."""
    info = zf.getinfo(name)
    read = 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_SCAN_CHUNK):
                read += len(chunk)
                if read > info.file_size:
                    raise _unpacked_limit(raw)
                yield chunk
    except (zipfile.BadZipFile, zlib_error(), EOFError, OSError, NotImplementedError) as exc:
        if "declared" in str(exc).lower() or "bad crc" in str(exc).lower():
            raise _unpacked_limit(raw) from None
        raise RejectFile(
            raw.error("Die Arbeitsmappe ist beschädigt oder unvollständig (ein Teil lässt sich nicht entpacken).")
        ) from None


def zlib_error() -> type[Exception]:
    import zlib

    return zlib.error


def _xlsx_sheets(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member) of every worksheet, in workbook order."""
    names = set(zf.namelist())
    if "xl/workbook.xml" not in names:
        return []
    wb = SafeElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = (
        SafeElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        if "xl/_rels/workbook.xml.rels" in names
        else None
    )
    targets = (
        {el.get("Id"): el.get("Target") for el in rels.iter(f"{{{_NS['rel']}}}Relationship")}
        if rels is not None
        else {}
    )
    out = []
    for el in wb.iter(f"{{{_NS['m']}}}sheet"):
        target = targets.get(el.get(f"{{{_NS['r']}}}id"))
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        path = "/".join(p for p in path.replace("/./", "/").split("/") if p)
        if path in names:
            out.append((el.get("name") or "", path))
    return out


def _scan_xlsx_sheet(zf: zipfile.ZipFile, member: str, raw: RawFile, bound: bool = False) -> _Extent:
    """The last row and column with a value, from the cells' references (regular expressions over bounded chunks:
    a million-row sheet takes seconds, not the minutes of an XML parser calling Python for every element).
    A sheet with cells that carry no reference (rare writers) is bounded per row instead (_bound_refless).
    ``bound=True``: the last row and column of any cell, valued or empty (never below the exact extent)."""
    ext, tail = _Extent(), b""
    rows: set[bytes] = set()
    cols: set[bytes] = set()
    any_cells = with_ref = 0
    for chunk in _chunks(zf, member, raw):
        data = tail + chunk
        cut = data.rfind(b"<")
        data, tail = (data[:cut], data[cut:]) if cut >= 0 else (data, b"")
        if len(tail) > 1024 * 1024:  # no tag is that long
            data, tail = data + tail, b""
        if _DOCTYPE.search(data):
            raise RejectFile(
                raw.error(
                    "Die Arbeitsmappe enthält eine DTD-Deklaration; das kommt in Excel-Dateien nicht "
                    "vor. Sie wird aus Sicherheitsgründen nicht geöffnet."
                )
            )
        # fast path (Excel, openpyxl, LibreOffice): every cell tag starts '<c r="'. Every cell tag contains '<c' or
        # ':c' (a namespace prefix), so when the counts agree no cell can hide; otherwise the general patterns
        found = (_XLSX_REFS if bound else _XLSX_FAST).findall(data)
        if len(found) == data.count(b"<c") + data.count(b":c"):
            if bound and found:
                ext.exact = False
                ext.rows = max(ext.rows, _max_row(found))
                ext.cols = max([ext.cols, *map(_col_number, set(map(itemgetter(0), found)))])
            if bound:
                continue
            found = [f for f in found if not f[2]]  # the cells with a value
        else:
            any_cells += len(_XLSX_ANY_CELL.findall(data))
            with_ref += len(_XLSX_CELL_WITH_REF.findall(data))
            if any_cells != with_ref:  # cells without a reference: bounded per row instead
                return _bound_refless(zf, member, raw, ext)
            found = _XLSX_VALUED.findall(data)
        if found:
            cols.update(map(itemgetter(0), found))
            rows.update(map(itemgetter(1), found))
            ext.rows = max(ext.rows, max(map(int, rows)))
            ext.cols = max(ext.cols, max(map(_col_number, cols)))
            rows.clear()
            cols.clear()
    return ext


def _max_row(found: list[tuple[bytes, bytes]]) -> int:
    """The highest row number of (letters, digits) references, without converting a million digit strings: among
    the longest digit strings the greatest is the highest number, unless it has a leading zero ('A007')."""
    digits = list(map(itemgetter(1), found))
    longest = max(map(len, digits))
    top = max([d for d in digits if len(d) == longest])
    return int(top) if not top.startswith(b"0") else max(map(int, set(digits)))


_XLSX_ROW = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)row[\s>/]")
_XLSX_ROW_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?\br\s*=\s*["\'](\d+)["\']')


def _bound_refless(zf: zipfile.ZipFile, member: str, raw: RawFile, with_refs: _Extent) -> _Extent:
    """An upper bound of the grid of a sheet with cells that carry no reference (calamine places such a cell right of
    the previous one, such a row below the previous one): rows ≤ highest row number (of a row or a cell) + number of
    rows without one, columns ≤ highest column of a referenced cell + most cell tags in one row. Counted per row on
    the bytes (no parser); any namespace prefix; too high rather than too low."""
    ext, tail, prefix, n_refless, most = _Extent(), b"", None, 0, 0
    ext.rows, ext.cols, ext.exact = with_refs.rows, with_refs.cols, with_refs.exact
    chunks = _chunks(zf, member, raw)
    for chunk in chunks:
        data = tail + chunk
        if prefix is None and (m := _XLSX_ROW.search(data)):
            prefix = m.group(1)
        rows = data.split(b"</" + (prefix or b"") + b"row>")
        tail = rows.pop()
        if len(tail) > 64 * 1024 * 1024:  # one row of more than 64 MB (or rows closed otherwise): count it now
            rows.append(tail)
            tail = b""
        done = b"".join(rows)
        refs = _XLSX_ROW_REF.findall(done)
        n_refless += max(0, len(_XLSX_ROW.findall(done)) - len(refs))
        cells = _XLSX_VALUED.findall(done)
        ext.rows = max([ext.rows, *map(int, refs), *map(int, set(map(itemgetter(1), cells)))])
        ext.cols = max([ext.cols, *map(_col_number, set(map(itemgetter(0), cells)))])
        most = max([most, *(r.count(b"<c") + r.count(b":c") for r in set(rows))])  # equal rows counted once
        if _too_large(ext.rows + n_refless, ext.cols + most):  # the bound only grows: refused already, stop reading
            ext.at_least = _more_cells(tail, chunks)
            break
    ext.rows += n_refless
    ext.cols += most
    return ext


def _more_cells(rest: bytes, chunks: Iterator[bytes]) -> bool:
    """Whether a row or a cell follows in what is left unread (the message then says "mindestens")."""
    while not (_XLSX_ANY_CELL.search(rest) or _XLSX_ROW.search(rest)):
        if (chunk := next(chunks, None)) is None:
            return False
        rest = rest[-1024:] + chunk
    return True


def _too_large(rows: int, cols: int) -> bool:
    return rows > MAX_ROWS or cols > MAX_COLS or rows * cols > MAX_CELLS


_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _scan_ods(zf: zipfile.ZipFile, member: str, raw: RawFile) -> list[tuple[str, _Extent]]:
    """Every table of an .ods ``content.xml`` with its extent, by an expat parse fed bounded chunks: repeated rows
    and cells count as often as they repeat (calamine expands a repeated cell with a value), repeated empty ones
    (LibreOffice ends every sheet with a million of them) do not. No DTD allowed."""
    from xml.parsers import expat

    sheets: list[tuple[str, _Extent]] = []
    st = {"row": 0, "col": 0, "rrep": 1, "crep": 1, "valued": False, "row_cols": 0, "depth": 0, "cell": False}
    sep = " "

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(sep)
        if ns == _ODS_TABLE and local == "table":
            st["depth"] += 1
            if st["depth"] == 1:
                sheets.append((attrs.get(f"{_ODS_TABLE}{sep}name", ""), _Extent()))
                st["row"] = 0
        elif not sheets or st["depth"] != 1:
            return
        elif ns == _ODS_TABLE and local == "table-row":
            st.update(rrep=_int(attrs.get(f"{_ODS_TABLE}{sep}number-rows-repeated")), col=0, row_cols=0)
        elif ns == _ODS_TABLE and local in ("table-cell", "covered-table-cell"):
            st.update(
                crep=_int(attrs.get(f"{_ODS_TABLE}{sep}number-columns-repeated")),
                cell=True,
                valued=f"{_ODS_OFFICE}{sep}value-type" in attrs,
            )
        elif st["cell"]:
            st["valued"] = True  # text:p and friends: text content

    def end(name: str) -> None:
        ns, _, local = name.rpartition(sep)
        if ns != _ODS_TABLE or not sheets:
            return
        if local == "table":
            st["depth"] -= 1
        elif st["depth"] != 1:
            return
        elif local in ("table-cell", "covered-table-cell"):
            if st["valued"]:
                st["row_cols"] = st["col"] + st["crep"]
            st["col"] += st["crep"]
            st["cell"] = False
        elif local == "table-row":
            ext = sheets[-1][1]
            if st["row_cols"]:
                ext.rows = st["row"] + st["rrep"]
                ext.cols = max(ext.cols, st["row_cols"])
            st["row"] += st["rrep"]

    def no_dtd(*_args: Any) -> None:
        raise RejectFile(
            raw.error(
                "Die Arbeitsmappe enthält eine DTD-Deklaration; das kommt in Tabellendateien nicht "
                "vor. Sie wird aus Sicherheitsgründen nicht geöffnet."
            )
        )

    parser = expat.ParserCreate(namespace_separator=sep)
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.StartDoctypeDeclHandler = no_dtd
    try:
        for chunk in _chunks(zf, member, raw):
            parser.Parse(chunk, False)
            if sheets and sheets[-1][1].refusal(raw, sheets[-1][0]):
                break  # enough seen
        else:
            parser.Parse(b"", True)
    except expat.ExpatError:
        raise RejectFile(raw.error("Die Arbeitsmappe ist beschädigt oder unvollständig (XML nicht lesbar).")) from None
    return sheets


def _int(v: str | None) -> int:
    return int(v) if v and v.isascii() and v.isdigit() and len(v) < 10 else 1


def check_sheet_extents(raw: RawFile) -> None:
    """Refuse a workbook (.xlsx, .xlsm, .ods) with a sheet whose grid would be too large, naming the sheet, before
    python-calamine builds any grid. Cached per upload."""
    if raw.extension in ZIP_EXT:
        _cached(raw, "extents", _check_sheet_extents)


def _cached(raw: RawFile, key: str, work: Callable[[RawFile], T]) -> T:
    """``work(raw)`` once per upload; a refusal is kept and raised again like a result."""
    cache = _cache(raw)
    if key not in cache:
        try:
            cache[key] = work(raw)
        except RejectFile as exc:
            cache[key] = exc
    if isinstance(cache[key], RejectFile):
        raise cache[key]
    return cast(T, cache[key])


def _check_sheet_extents(raw: RawFile) -> bool:
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw.content))
        names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return True  # calamine says why it cannot read the file
    # no XML part of a spreadsheet has a DTD: one with a DTD (entity expansion, external entities) is refused
    # before any parser sees it; the sheets are checked while they are scanned below
    for member in sorted(names):
        if member.endswith((".xml", ".rels")) and not member.startswith(("xl/worksheets/", "content.xml", "META-INF/")):
            _refuse_dtd(zf, member, raw)
    if raw.extension == "ods" or ("content.xml" in names and "xl/workbook.xml" not in names):
        if "content.xml" not in names:
            return True
        extents: Iterable[tuple[str, _Extent]] = _scan_ods(zf, "content.xml", raw)
    else:
        try:
            sheets = _xlsx_sheets(zf)
        except DefusedXmlException:
            raise _dtd_refusal(raw) from None
        except ElementTree.ParseError:
            return True  # calamine says why it cannot read the file
            # first a bound over every cell tag, valued or not (far cheaper); only when the bound breaks a limit are the
        # sheets scanned exactly (the cells with a value), so a refusal and its message are those of the exact scan
        # (a sheet the fast pattern does not fit is scanned exactly at once and not twice)
        bounds = [_scan_xlsx_sheet(zf, member, raw, bound=True) for _, member in sheets]
        if (
            all(b.rows <= MAX_ROWS and b.cols <= MAX_COLS for b in bounds)
            and sum(b.rows * b.cols for b in bounds) <= MAX_CELLS
        ):
            return True
        extents = (
            (name, b if b.exact else _scan_xlsx_sheet(zf, member, raw)) for (name, member), b in zip(sheets, bounds)
        )
    total = 0
    for name, ext in extents:
        if (refusal := ext.refusal(raw, name)) is not None:
            raise refusal
        total = _add_to_total(raw, name, total, ext.rows * ext.cols)
    return True


def _add_to_total(raw: RawFile, sheet: str, total: int, cells: int) -> int:
    """Every sheet is read and kept: their grids together must stay within MAX_CELLS too (thirty sheets with a value
    in A1 and one in K1000000 are a few kilobytes)."""
    total += cells
    if total > MAX_CELLS:
        raise RejectFile(
            raw.error(
                f"Die Blätter der Arbeitsmappe bis einschließlich diesem ergeben zusammen {_de_int(total)} Zellen (jeweils von "
                f"A1 bis zur letzten Zelle mit Wert); erlaubt sind höchstens {_de_int(MAX_CELLS)} Zellen je Arbeitsmappe. "
                "Bitte nur die Blätter mit der Tabelle hochladen.",
                sheet=sheet,
            )
        )
    return total


def read_sheets(raw: RawFile) -> list[Sheet]:
    """All sheets as lists of rows (values only: calamine returns cached formula results). Cached per upload."""
    return _cached(raw, "sheets", _read_sheets)


def _read_sheets(raw: RawFile) -> list[Sheet]:
    check_sheet_extents(raw)  # before calamine builds a grid
    try:
        if raw.content[:8] == OLE_MAGIC or raw.extension == "xls":  # BIFF: the library trusts its records
            found = sandbox.read_workbook(raw.content, parse_limits())
        else:  # .xlsx, .ods: every grid bounded by the exact scan above; a child would cost 2× on large workbooks
            found = sandbox.read_in_process(raw.content, parse_limits())
    except sandbox.SheetRefused as exc:
        raise RejectFile(raw.error(_limit_message(exc.kind, exc.numbers), sheet=exc.sheet)) from None
    except sandbox.ChildFailed as exc:
        log.warning("Arbeitsmappe %s: Lesen abgebrochen (%s)", raw.name, exc.reason)
        raise RejectFile(raw.error(_CHILD_FAILED[exc.reason])) from None
    except sandbox.ReaderError as exc:
        raise _reader_refusal(raw, exc.kind, exc.message) from None
    sheets = []
    for name, cells, merged in found:
        check_cell_lengths(raw, cells, name)
        sheets.append(Sheet(name, cells, merged))
    return sheets


def parse_limits() -> sandbox.Limits:
    """The child's limits: memory (MONITOR_PARSE_MEMORY_MB), time (MONITOR_PARSE_SECONDS) and the grid's."""
    s = config.settings()
    return sandbox.Limits(
        memory_bytes=s.parse_memory_mb * 1024 * 1024,
        seconds=float(s.parse_seconds),
        max_cells=MAX_CELLS,
        max_total_cells=MAX_CELLS,
        max_rows=MAX_ROWS,
        max_cols=MAX_COLS,
    )


#: the refusal when the child that parses a workbook fails
_CHILD_FAILED = {
    "memory": "Die Arbeitsmappe verlangt beim Lesen mehr Arbeitsspeicher, als für eine Datei erlaubt ist (gefälschte "
    "oder beschädigte Angaben über ihre Größe?). Sie wird aus Sicherheitsgründen nicht gelesen; es wurde nichts "
    "gespeichert.",
    "time": "Das Lesen der Arbeitsmappe dauerte länger, als für eine Datei erlaubt ist; es wurde abgebrochen. Die Datei "
    "wird nicht gelesen (beschädigt oder gefälscht?); es wurde nichts gespeichert.",
    "crash": "Das Lesen der Arbeitsmappe ist abgebrochen (beschädigte oder gefälschte Datei). Sie wird nicht gelesen; "
    "es wurde nichts gespeichert.",
}


def _limit_message(kind: str, numbers: tuple[int, ...]) -> str:
    if kind == "cells":
        rows, cols = numbers
        return (
            f"Das Blatt hat {_de_int(rows)} Zeilen × {_de_int(cols)} Spalten = {_de_int(rows * cols)} Zellen; "
            f"höchstens {_de_int(MAX_CELLS)} sind erlaubt."
        )
    if kind == "total":
        return (
            f"Die Blätter der Arbeitsmappe bis einschließlich diesem ergeben zusammen {_de_int(numbers[0])} Zellen (jeweils "
            f"von A1 bis zur letzten Zelle mit Wert); erlaubt sind höchstens {_de_int(MAX_CELLS)} Zellen je Arbeitsmappe. "
            "Bitte nur die Blätter mit der Tabelle hochladen."
        )
    if kind == "rows":
        return f"Das Blatt hat {_de_int(numbers[0])} Zeilen; höchstens {_de_int(MAX_ROWS)} sind erlaubt."
    return f"Das Blatt hat {numbers[0]} Spalten; höchstens {MAX_COLS} sind erlaubt."


def _reader_refusal(raw: RawFile, kind: str, message: str) -> RejectFile:
    """The library's refusal of a workbook in German (its own English words go to the log only)."""
    msg = message.lower()
    if "password" in msg or "encrypt" in msg or kind == "PasswordError":
        return RejectFile(raw.error("Die Arbeitsmappe ist kennwortgeschützt. Bitte ohne Kennwort speichern."))
    if "larger than its declared" in msg:  # the zip lies about its sizes: the reader stops at the declared size
        return RejectFile(
            raw.error(
                "Ein Teil der Arbeitsmappe ist entpackt größer, als die Datei angibt. Sie wird aus Sicherheitsgründen "
                "nicht weiter gelesen (mögliche ZIP-Bombe oder beschädigte Datei)."
            )
        )
    log.info("Arbeitsmappe %s nicht lesbar: %s: %s", raw.name, kind, message)
    detail = (
        "Dateiformat nicht erkennbar"
        if msg.strip() == "cannot detect file format"
        else "Inhalt passt nicht zum Aufbau einer Arbeitsmappe"
    )
    return RejectFile(raw.error(f"Die Arbeitsmappe lässt sich nicht lesen (beschädigt oder unvollständig): {detail}."))


def column_letter(col: int) -> str:
    """0-based column index -> spreadsheet letters (0 -> A, 27 -> AB)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def check_cell_lengths(
    raw: RawFile, rows: Sequence[Sequence[object]], sheet: str | None, line_numbers: list[int] | None = None
) -> None:
    """Reject a file with an absurdly long cell (a pasted document, an attack, a broken export)."""
    if max((len(v) for row in rows for v in row if type(v) is str), default=0) <= MAX_CELL_CHARS:
        return  # the common case, one fast pass; otherwise find the first such cell for the message
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if type(v) is str and len(v) > MAX_CELL_CHARS:
                alone = not any(w not in (None, "") for k, w in enumerate(row) if k != c)
                if alone and len(v) < MAX_NOTE_CHARS:
                    continue  # a footnote: no value beside it
                rownum = line_numbers[r] if line_numbers else r + 1
                shown = (
                    f"mindestens {len(v):,}" if len(v) == 32_767 else f"{len(v):,}"
                )  # calamine stops at Excel's limit
                raise RejectFile(
                    raw.error(
                        f"Eine Zelle enthält {shown} Zeichen; erlaubt sind höchstens {MAX_CELL_CHARS:,} je Zelle. "
                        "Ist die Datei beschädigt oder ein Text versehentlich eingefügt?".replace(",", "."),
                        sheet=sheet,
                        row=rownum,
                        column=column_letter(c),
                    )
                )  # letters in CSV too: Excel shows them


# -- formulas without a saved result ------------------------------------------------------------
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_REF = re.compile(r"^([A-Z]+)(\d+)$")


def formula_cells_without_value(raw: RawFile, sheet: str) -> set[tuple[int, int]]:
    """Cells of an .xlsx/.xlsm sheet holding a formula but no saved result, as (row 1-based, column 0-based).

    Programs other than Excel (and openpyxl) write formulas without computing them; every reader
    then sees an empty cell. Returns an empty set for other formats or when the sheet is not found.
    """
    cache = _cache(raw).setdefault("formulas", {})
    if sheet not in cache:
        try:
            cache[sheet] = _formula_cells(raw, sheet) if raw.extension in ("xlsx", "xlsm") else set()
        except Exception:  # best effort: a hint, never a reason to fail
            cache[sheet] = set()
    return cast("set[tuple[int, int]]", cache[sheet])


def _formula_cells(raw: RawFile, sheet: str) -> set[tuple[int, int]]:
    zf = zipfile.ZipFile(io.BytesIO(raw.content))
    wb = SafeElementTree.fromstring(zf.read("xl/workbook.xml"))
    rid = next((el.get(f"{{{_NS['r']}}}id") for el in wb.iter(f"{{{_NS['m']}}}sheet") if el.get("name") == sheet), None)
    rels = SafeElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    target = next((el.get("Target") for el in rels.iter(f"{{{_NS['rel']}}}Relationship") if el.get("Id") == rid), None)
    if target is None:
        return set()
    path = target.lstrip("/") if target.startswith("/") else "xl/" + target
    found: set[tuple[int, int]] = set()
    with zf.open(path) as fh:
        for _, el in SafeElementTree.iterparse(fh):
            if el.tag != f"{{{_NS['m']}}}c":
                continue
            f = el.find("m:f", _NS)
            v = el.find("m:v", _NS)
            if f is not None and (v is None or not (v.text or "").strip()):
                m = _REF.match(el.get("r", ""))
                if m:
                    col = 0
                    for ch in m.group(1):
                        col = col * 26 + ord(ch) - 64
                    found.add((int(m.group(2)), col - 1))
            el.clear()
    return found


def explain_empty(raw: RawFile, sheet: str | None, row: int, col: int, message: str) -> str:
    """A value problem of a spreadsheet cell, made specific: an "empty" cell that holds a formula without a
    saved result gets that explanation and the fix; every other message stays as it is."""
    if message == EMPTY_CELL and sheet is not None and (row, col) in formula_cells_without_value(raw, sheet):
        return (
            "Die Zelle enthält eine Formel ohne gespeichertes Ergebnis (die Datei wurde wohl nicht mit Excel "
            "gespeichert). Bitte die Datei einmal in Excel öffnen, speichern und erneut hochladen."
        )
    return message


def text_bytes(raw: RawFile) -> bytes:
    """The bytes the text readers parse: the file itself, or for UTF-16 text (Excel's "Unicode-Text", tab-separated,
    with byte order mark; also without one) the same text as UTF-8 with BOM. Cached per upload; the upload itself
    (archive, checksum) stays as it came."""
    cache = _cache(raw)
    if "text_bytes" not in cache:
        cache["text_bytes"] = _utf8_of_utf16(raw) if kind_of(raw) == "utf16" else raw.content
    if isinstance(cache["text_bytes"], RejectFile):
        raise cache["text_bytes"]
    return cast(bytes, cache["text_bytes"])


def _utf8_of_utf16(raw: RawFile) -> bytes | RejectFile:
    data = raw.content
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"  # the BOM says the byte order
    else:
        sample = data[:8192]
        codec = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        return RejectFile(
            raw.error(
                f"Die Textdatei sieht nach UTF-16 („Unicode-Text“) aus, enthält aber ungültige Zeichen "
                f"(Byte {fmt_num(exc.start, 0)}). Bitte als „CSV UTF-8“ speichern."
            )
        )
    return b"\xef\xbb\xbf" + text.lstrip("\ufeff").encode("utf-8")


#: the codec of :func:`text_bytes` for an encoding :func:`detect_encoding` names
def _codec(encoding: str) -> str:
    return "utf-8-sig" if encoding == "utf-16" else encoding


def detect_encoding(raw: RawFile) -> str:
    """'utf-8-sig', 'utf-8' or 'cp1252', checked over the whole file (in chunks, without keeping the text)."""
    cache = _cache(raw)
    if "encoding" not in cache:
        cache["encoding"] = _detect_encoding(raw)
    if isinstance(cache["encoding"], RejectFile):
        raise cache["encoding"]
    return cast(str, cache["encoding"])


def _detect_encoding(raw: RawFile) -> str | RejectFile:
    if kind_of(raw) == "utf16":
        try:
            text_bytes(raw)
        except RejectFile as exc:
            return exc
        return "utf-16"
    data = raw.content
    bom = data.startswith(b"\xef\xbb\xbf")
    dec = codecs.getincrementaldecoder("utf-8")("strict")
    cache = _cache(raw)
    try:
        step = 16 * 1024 * 1024
        suspect = False
        for i in range(0, len(data), step):
            part = dec.decode(data[i : i + step], final=i + step >= len(data))
            # a sign of text once read with the wrong character set (:func:`mojibake_of` looks closer), seen in
            # the text this check decodes anyway
            suspect = suspect or "\ufffd" in part or "Ã" in part or "Â" in part or part.startswith(("ï»¿", "\ufeffï»¿"))
        cache["suspect"] = suspect
        return "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("cp1252")("strict").decode(data, final=True)
        return "cp1252"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return RejectFile(
            raw.error(
                f"Die Zeichenkodierung ist weder UTF-8 noch Windows-1252 (unlesbares Byte 0x{data[exc.start]:02X} in Zeile {line}); "
                "die Datei lässt sich nicht lesen. Bitte als „CSV UTF-8“ speichern.",
                row=line,
            )
        )


ENCODING_NAMES = {
    "utf-8-sig": "UTF-8 mit BOM",
    "utf-8": "UTF-8",
    "cp1252": "Windows-1252",
    "utf-16": "UTF-16 (Unicode-Text)",
}


def decode_text(raw: RawFile) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 (with or without BOM), else Windows-1252. Cached per upload. Text that was
    once opened with the wrong character set and saved again (UTF-8 read as Windows-1252: 'AuslÃ¤nder') is repaired
    where that is unambiguous; :func:`encoding_problem` names it."""
    cache = _cache(raw)
    if "text" not in cache:
        enc = detect_encoding(raw)
        text, found = repair_mojibake(text_bytes(raw).decode(_codec(enc)))
        cache["text"], cache["mojibake"] = text, found
    return cache["text"], ENCODING_NAMES[detect_encoding(raw)]


#: a run of characters outside ASCII (a word's umlauts, or the two or three characters of one mis-read letter)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
#: what a repaired run may give: letters and signs of a Western text ('ä', '€', '–', '„'), the byte order mark
_PLAUSIBLE = re.compile(r"[\u00a0-\u024f\u2010-\u206f\u20ac\u2122\ufeff]+")
#: a letter mis-read: 'Ã' or 'Â' (the first byte of UTF-8 'ä', 'ß', '©' read as Windows-1252) before another sign
_SUSPECT = re.compile(
    r"[ÃÂ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


@dataclass
class Mojibake:
    """Text read with the wrong character set and saved again: where first, what stood there, and whether it was
    repaired (UTF-8 read as Windows-1252: unambiguous) or cannot be (replacement characters '\ufffd': the letters
    are lost)."""

    offset: int
    found: str
    repaired: str | None
    count: int


def _unmangle(run: str) -> str | None:
    """The run as it was before UTF-8 was read as Windows-1252 ('Ã¤' → 'ä'), or None where it was not that."""
    try:
        fixed = run.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return None
    return fixed if fixed != run and _PLAUSIBLE.fullmatch(fixed) else None


def repair_mojibake(text: str) -> tuple[str, Mojibake | None]:
    """``text`` with UTF-8 read as Windows-1252 undone, if that is unambiguous: every suspicious run ('Ã¤') turns
    back into plausible letters. Replacement characters ('\ufffd') or a suspicious run that does not turn back:
    nothing is changed (never guessed), the finding says where."""
    bad = text.find("\ufffd")
    if bad >= 0:
        return text, Mojibake(bad, _word_at(text, bad), None, text.count("\ufffd"))
    first = _SUSPECT.search(text)
    if first is None and not text.startswith("ï»¿"):
        return text, None
    runs = [(m.start(), m.group(), _unmangle(m.group())) for m in _NON_ASCII.finditer(text)]
    suspect = [r for r in runs if _SUSPECT.search(r[1]) or (r[0] == 0 and r[1].startswith("ï»¿"))]
    where = suspect[0][0] if suspect else 0
    if not suspect or any(fixed is None for _, _, fixed in suspect):
        return text, Mojibake(where, _word_at(text, where), None, len(suspect))
    out, last = [], 0
    for start, run, fixed in runs:
        if fixed is not None:
            out.append(text[last:start] + fixed)
            last = start + len(run)
    repaired = ("".join(out) + text[last:]).lstrip("\ufeff")
    word = _word_at(text, where)
    return repaired, Mojibake(where, word, repair_mojibake_word(word), len(suspect))


def repair_mojibake_word(word: str) -> str:
    return _NON_ASCII.sub(lambda m: _unmangle(m.group()) or m.group(), word).lstrip("\ufeff")


def _word_at(text: str, offset: int) -> str:
    """The field around ``offset`` (up to the separators), at most 60 characters: what the person sees in the cell."""
    start = max(text.rfind(sep, 0, offset) for sep in ';,\t\n"') + 1
    ends = [i for i in (text.find(sep, offset) for sep in ';,\t\r\n"') if i >= 0]
    end = min(ends) if ends else len(text)
    word = text[start:end].strip()
    return word if len(word) <= 60 else word[:57] + "…"


def looks_mangled(text: str) -> bool:
    """Text with a letter read with the wrong character set ('Ã¤') or lost ('\ufffd')."""
    return "\ufffd" in text or _SUSPECT.search(text) is not None


#: rows of each sheet searched for a mangled label (the header rows and the first data rows)
MANGLED_ROWS = 300


def mojibake_in_sheets(raw: RawFile) -> tuple[str, int, int, Mojibake] | None:
    """A workbook whose text was once read with the wrong character set before it was saved (a CSV opened wrongly,
    saved as .xlsx): the first such cell among the first rows of each sheet (sheet, 1-based row, 0-based column),
    with the repair the cell would need, if unambiguous. Workbook cells are not repaired: the finding is reported.
    Only the sheets a reader has read already (never a second parse of a large workbook)."""
    if "sheets" not in _cache(raw):
        return None
    try:
        sheets = read_sheets(raw)
    except RejectFile:
        return None
    for sheet in sheets:
        for r, row in enumerate(sheet.rows[:MANGLED_ROWS]):
            for c, cell in enumerate(row):
                if isinstance(cell, str) and looks_mangled(cell):
                    text = cell.strip()
                    fixed = None if "\ufffd" in text else repair_mojibake_word(text)
                    shown = text if len(text) <= 60 else text[:57] + "…"
                    return sheet.name, r + 1, c, Mojibake(0, shown, fixed if fixed != text else None, 1)
    return None


def mojibake_of(raw: RawFile) -> tuple[Mojibake, int, int] | None:
    """The finding of :func:`repair_mojibake` for a text upload with its line and field (1-based), or None. A large
    file read straight from its bytes (a flat file) is decoded for it only where the check of its encoding saw a
    sign of such text ('Ã', 'Â', '\ufffd'); a Windows-1252 file cannot hold UTF-8 read as Windows-1252."""
    if kind_of(raw) not in ("text", "utf16"):
        return None
    try:
        enc = detect_encoding(raw)
        if "mojibake" not in _cache(raw) and (enc == "cp1252" or not _cache(raw).get("suspect", True)):
            return None
        decode_text(raw)
    except RejectFile:
        return None
    found = cast("Mojibake | None", _cache(raw).get("mojibake"))
    if found is None:
        return None
    enc = detect_encoding(raw)
    original = text_bytes(raw).decode(_codec(enc))  # the offsets are those of the text as it came
    line_start = original.rfind("\n", 0, found.offset) + 1
    line = original.count("\n", 0, found.offset) + 1
    head = original[line_start : found.offset]
    sep = detect_delimiter(original[:SNIFF_BYTES])
    return found, line, head.count(sep) + 1


def head_text(raw: RawFile, size: int = SNIFF_BYTES) -> str:
    """The first lines of a text file, for recognising the format without decoding all of it."""
    content = text_bytes(raw)
    chunk = content[:size]
    if len(content) > size and b"\n" in chunk:
        chunk = chunk[: chunk.rfind(b"\n")]
    if chunk.startswith(b"\xef\xbb\xbf"):
        chunk = chunk[3:]
    try:
        text = chunk.decode("utf-8")
    except UnicodeDecodeError:
        text = chunk.decode("cp1252", errors="replace")
    return repair_mojibake(text)[0]  # recognised as it will be read (decode_text repairs the same)


@dataclass
class TextTable:
    """A small delimited text file split into rows; ``line_numbers[i]`` is the file line where row i starts."""

    rows: list[list[str]]
    line_numbers: list[int]
    encoding: str
    delimiter: str

    def assumptions(self) -> dict[str, str]:
        return {"Zeichenkodierung": self.encoding, "Trennzeichen": DELIMITER_NAMES[self.delimiter]}


def read_text_table(raw: RawFile, delimiter: str | None = None) -> TextTable:
    """Decode, detect the separator and split into rows (quoted fields may span lines). Cached per upload."""
    cache = _cache(raw)
    key = ("table", delimiter)
    if key not in cache:
        text, enc = decode_text(raw)
        check_text_limits(raw)
        sep = delimiter or detect_delimiter(text[:SNIFF_BYTES])
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
        rows, lines, last = [], [], 0
        try:
            for row in reader:
                rows.append(row)
                lines.append(last + 1)
                last = reader.line_num
        except csv.Error as exc:
            log.info("CSV %s nicht lesbar: %s", raw.name, exc)
            raise RejectFile(
                raw.error(
                    "Die Textdatei ist kein gültiges CSV: diese Zeile lässt sich nicht in Felder "
                    "zerlegen (z. B. ein Anführungszeichen ohne Gegenstück oder ein übergroßes Feld).",
                    row=last + 1,
                )
            ) from None
        width = max((len(r) for r in rows), default=0)
        if width > MAX_COLS:
            raise RejectFile(raw.error(f"Die Datei hat {width} Spalten; höchstens {MAX_COLS} sind erlaubt."))
        check_cell_lengths(raw, rows, None, lines)
        cache[key] = TextTable(rows, lines, enc, sep)
    return cast(TextTable, cache[key])


def check_text_limits(raw: RawFile) -> None:
    """Row limit for text files, checked on the bytes before splitting (counted once per upload)."""
    cache = _cache(raw)
    if "line_count" not in cache:
        cache["line_count"] = text_bytes(raw).count(b"\n")
    lines = cache["line_count"]
    if lines > MAX_ROWS:
        raise RejectFile(
            raw.error(f"Die Datei hat {lines:,} Zeilen; höchstens {MAX_ROWS:,} sind erlaubt.".replace(",", "."))
        )
    first = text_bytes(raw)[:SNIFF_BYTES].split(b"\n", 1)[0]
    for sep in (b";", b"\t", b","):
        if first.count(sep) + 1 > MAX_COLS:
            raise RejectFile(
                raw.error(
                    f"Die Kopfzeile hat {first.count(sep) + 1} Spalten; höchstens {MAX_COLS} sind erlaubt.", row=1
                )
            )


def read_csv_frame(raw: RawFile, delimiter: str, columns: list[str] | None = None) -> pd.DataFrame:
    """A large delimited file with a header line as a frame of categorical text columns (pyarrow, multithreaded).

    Every column is dictionary-encoded while parsing, so readers work on the distinct values
    (``.cat.categories``) and integer codes (``.cat.codes``) instead of millions of strings.

    Rows with the wrong number of fields are rejected with their line numbers. Row ``i`` of the frame
    is line ``i + 2`` of the file (one header line; quoted line breaks are not expected here).
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    check_text_limits(raw)
    encoding = detect_encoding(raw)
    header = next(csv.reader([head_text(raw).splitlines()[0] if raw.content else ""], delimiter=delimiter), [])
    if len(header) != len(set(header)):
        dup = sorted({h for h in header if header.count(h) > 1})
        raise RejectFile(raw.error(f"Die Kopfzeile enthält Spaltennamen mehrfach: {', '.join(dup)}.", row=1))
    bad: list[tuple[str, int, int]] = []

    def on_bad_row(row: Any) -> str:
        bad.append((row.text, row.actual_columns, row.expected_columns))
        return "skip"

    def read(handler: Callable[[Any], str] | None = None) -> Any:
        return pacsv.read_csv(
            io.BytesIO(text_bytes(raw)),
            read_options=pacsv.ReadOptions(encoding="utf8" if _codec(encoding).startswith("utf-8") else encoding),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=handler),
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.dictionary(pa.int32(), pa.string()) for h in header},
                include_columns=[c for c in columns if c in header] if columns else None,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )

    try:
        try:  # without a row handler pyarrow parses faster; a file with bad rows is read again to find them
            table = read()
        except pa.ArrowInvalid as exc:
            if "columns" not in str(exc):
                raise
            table = read(on_bad_row)
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        log.info("CSV %s nicht lesbar: %s", raw.name, exc)
        raise RejectFile(
            raw.error(
                "Die CSV-Datei lässt sich nicht lesen: ihr Aufbau ist nicht durchgehend eine Tabelle "
                "(z. B. ein Anführungszeichen ohne Gegenstück oder ein Zeilenumbruch in einem Feld)."
            )
        ) from None
    if bad:
        text, actual, expected = bad[0]
        line = _line_of(raw, text, encoding)
        where = "Die Zeile" if line else "Eine Zeile"
        raise RejectFile(
            raw.error(
                f"{where} hat {actual} statt {expected} Felder (insgesamt {len(bad)} solche Zeilen). Sind Trennzeichen gemischt "
                "oder Anführungszeichen nicht geschlossen?",
                row=line,
            )
        )
    frame = table.combine_chunks().to_pandas()  # one dictionary per column: far faster than per-chunk categoricals
    for name in frame.columns:
        cats = frame[name].cat.categories
        longest = int(cats.str.len().max()) if len(cats) else 0
        if longest > MAX_CELL_CHARS:
            line = int(np_first(frame[name].cat.codes.to_numpy() == cats.str.len().argmax())) + 2
            raise RejectFile(
                raw.error(
                    f"Eine Zelle enthält {longest:,} Zeichen; erlaubt sind höchstens {MAX_CELL_CHARS:,} je Zelle. "
                    "Ist die Datei beschädigt oder ein Text versehentlich eingefügt?".replace(",", "."),
                    row=line,
                    column=name,
                )
            )
    return frame


def np_first(mask: Any) -> int:
    """Index of the first True in a boolean array (0 if none)."""
    import numpy as np

    hits = np.flatnonzero(mask)
    return int(hits[0]) if len(hits) else 0


def _line_of(raw: RawFile, text: str, encoding: str) -> int | None:
    content = text_bytes(raw)
    pos = content.find(text.encode(_codec(encoding).replace("-sig", ""), errors="replace")) if text else -1
    return content[:pos].count(b"\n") + 1 if pos >= 0 else None


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
