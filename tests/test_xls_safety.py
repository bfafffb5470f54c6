"""A forged or broken old Excel workbook (.xls, an OLE compound file) is refused with a German reason
before python-calamine opens it: a 1 KB file with a broken header or a sector chain that loops made
calamine allocate gigabytes (the server process was killed). Each file is read in a child process with a
memory and time limit, so that a regression fails the test instead of the machine."""

from __future__ import annotations

import json
import struct
import subprocess
import sys

import pytest
from badfiles import forged_xls_dimensions, forged_xls_far_cell, ole_file
from conftest import ROOT

XLS = ROOT / "tests" / "fixtures" / "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xls"
SECTOR = 512


def _patched(*changes: tuple[int, bytes]) -> bytes:
    data = bytearray(XLS.read_bytes())
    for offset, value in changes:
        data[offset : offset + len(value)] = value
    return bytes(data)


def _u32(x: int) -> bytes:
    return struct.pack("<I", x)


def _layout() -> dict[str, int]:
    """Where the fixture keeps its FAT, its directory and the Workbook stream (read from its header)."""
    c = XLS.read_bytes()
    first_dir = struct.unpack_from("<I", c, 48)[0]
    fat = struct.unpack_from("<I", c, 76)[0]
    entry = (first_dir + 1) * SECTOR + 128  # the second directory entry: the Workbook stream
    assert c[entry : entry + 16].decode("utf-16-le") == "Workbook"
    start = struct.unpack_from("<I", c, entry + 116)[0]
    return {
        "fat": (fat + 1) * SECTOR,
        "dir": first_dir,
        "dir_at": (first_dir + 1) * SECTOR,
        "entry": entry,
        "start": start,
    }


def _cases() -> dict[str, bytes]:
    at = _layout()
    return {
        "header_ohne_fat": ole_file(["Workbook"]),
        # the DIFAT chain points at the directory sector, whose last four bytes point at itself
        "difat_schleife": _patched((68, _u32(at["dir"])), (72, _u32(1)), (at["dir_at"] + SECTOR - 4, _u32(at["dir"]))),
        # the directory's sector is its own successor
        "verzeichnis_schleife": _patched((at["fat"] + 4 * at["dir"], _u32(at["dir"]))),
        # the Workbook stream's chain leads back to its start
        "stream_schleife": _patched((at["fat"] + 4 * (at["start"] + 1), _u32(at["start"]))),
        # the Workbook stream claims 4 GB
        "stream_zu_gross": _patched((at["entry"] + 120, _u32(0xFFFFFF00))),
        "sektorgroesse": _patched((30, struct.pack("<H", 20))),
    }


CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))
sys.path.insert(0, sys.argv[1])
from indicators.config import load_settings
from indicators.ingest.base import RawFile
from indicators.ingest.pipeline import parse
parsed = parse(RawFile("alt.xls", open(sys.argv[2], "rb").read()), load_settings())
print(json.dumps({"errors": [p.message for p in parsed.errors], "rows": len(parsed.data)}))
"""


def _parse_in_child(content: bytes, tmp_path) -> dict:
    path = tmp_path / "alt.xls"
    path.write_bytes(content)
    try:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(ROOT), str(path)], capture_output=True, text=True, timeout=60
        )
    except subprocess.TimeoutExpired:
        pytest.fail("Die Datei wurde nach 60 s noch gelesen (Endlosschleife).")
    assert proc.returncode == 0, proc.stderr[-2000:]  # a crash or an exhausted memory limit
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("case", list(_cases()))
def test_broken_xls_is_refused_with_a_reason(case, tmp_path):
    result = _parse_in_child(_cases()[case], tmp_path)
    assert result["rows"] == 0
    assert len(result["errors"]) == 1
    assert "beschädigt" in result["errors"][0] or "Excel-97" in result["errors"][0], result


def test_the_real_xls_still_reads(tmp_path):
    result = _parse_in_child(XLS.read_bytes(), tmp_path)
    assert result["rows"] > 0 and not result["errors"], result


# -- issue 22: records that lie about the grid (calamine aborted the process: upload page, inbox and CLI) -------
@pytest.mark.parametrize(
    "build, fragments",
    [
        (forged_xls_dimensions, ["1.048.576 Zeilen × 16.384 Spalten", "manipuliert"]),
        (forged_xls_far_cell, ["65.536 Zeilen × 65.536 Spalten"]),
    ],
)
def test_forged_xls_grid_is_refused_before_calamine(build, fragments, tmp_path):
    content = build()
    assert len(content) < 10_000
    result = _parse_in_child(content, tmp_path)
    assert result["rows"] == 0 and len(result["errors"]) == 1, result
    for fragment in fragments:
        assert fragment in result["errors"][0], result


def test_forged_xls_is_refused_by_the_command_line(demo_copy, tmp_path):
    path = tmp_path / "gefaelscht.xls"
    path.write_bytes(forged_xls_dimensions())
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20)); "
        f"sys.argv = ['indicators', '--db', {str(demo_copy)!r}, 'import', {str(path)!r}]; sys.path.insert(0, {str(ROOT)!r}); "
        "from indicators.cli import main; sys.exit(main())"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert (
        "manipuliert" in proc.stdout
        and "aGB - Tabelle II" in proc.stdout
        and "Traceback" not in proc.stdout + proc.stderr
    ), proc.stdout + proc.stderr


# -- issue 22: the second line – .xls parsed in a child with a memory and a time limit ------------------------------
def test_a_forged_xls_that_passes_the_pre_check_is_refused_by_the_child_and_the_process_lives(tmp_path, monkeypatch):
    """Should the pre-check miss a forged record, the library allocates in a child under RLIMIT_AS: the child dies,
    the upload is refused in German naming the file, this process (the server) goes on and reads the next file."""
    from conftest import make_settings

    from indicators.ingest import files
    from indicators.ingest.base import RawFile
    from indicators.ingest.pipeline import parse

    monkeypatch.setattr(files, "_check_biff", lambda raw, stream: None)  # the pre-check misses the record
    monkeypatch.setenv("MONITOR_PARSE_MEMORY_MB", "512")
    parsed = parse(RawFile("gefaelscht.xls", forged_xls_dimensions()), make_settings(tmp_path))
    (error,) = parsed.errors
    assert error.file == "gefaelscht.xls" and "Arbeitsspeicher" in error.message, error.text()
    assert "Traceback" not in error.message and not len(parsed.data)
    real = parse(RawFile(XLS.name, XLS.read_bytes()), make_settings(tmp_path))  # the process still reads files
    assert real.ok and len(real.data) == 48


def test_the_child_is_ended_after_its_time():
    from indicators.ingest import files, sandbox

    limits = files.parse_limits()
    slow = sandbox.Limits(**{**limits.__dict__, "seconds": 0.000_001})
    with pytest.raises(sandbox.ChildFailed) as exc:
        sandbox.read_workbook(XLS.read_bytes(), slow)
    assert exc.value.reason == "time"
    assert len(sandbox.read_workbook(XLS.read_bytes(), limits)) == 3  # the next child works
