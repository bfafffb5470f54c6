"""Spreadsheets of uploads parsed in a child process with a memory and a time limit (issue 22).

The pre-checks in :mod:`indicators.ingest.files` bound what python-calamine allocates for every container we know of
(BIFF dimensions, OLE chains, the grid of .xlsx and .ods). This is the second line: should a forged record slip past
them, the library runs out of its address space (``RLIMIT_AS``) or time in a child, never in the server. The child
dies or is ended, the upload is refused in German with the file's name; the server goes on.

The children come from a fork server that has imported this module and python-calamine only (a few MB of address
space, started once per process); each file gets its own child, which ends after the file. This module imports
nothing of the monitor but the standard library, so that the fork server stays small.
"""

from __future__ import annotations

import importlib
import io
import multiprocessing as mp
import multiprocessing.connection
import os
import resource
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: what a sheet is in the child's answer: (name, rows, merged ranges)
SheetData = tuple[str, list[list[object]], list[Any]]


@dataclass(frozen=True)
class Limits:
    memory_bytes: int
    seconds: float
    max_cells: int
    max_total_cells: int
    max_rows: int
    max_cols: int


class ChildFailed(Exception):
    """The child ran out of memory, out of time or died; ``reason`` says which (German)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class SheetRefused(Exception):
    """A limit of the sheet, found in the child before its grid was built: (kind, sheet, numbers)."""

    def __init__(self, kind: str, sheet: str, numbers: tuple[int, ...]):
        super().__init__(kind, sheet, numbers)
        self.kind, self.sheet, self.numbers = kind, sheet, numbers


class ReaderError(Exception):
    """The library's own refusal of the file (broken, encrypted …): its type name and message."""

    def __init__(self, kind: str, message: str):
        super().__init__(kind, message)
        self.kind, self.message = kind, message


_CONTEXT: Any = None
_LOCK = threading.Lock()
#: children at the same time (each may use up to the memory limit)
_SLOTS = threading.BoundedSemaphore(2)


def _context() -> Any:
    global _CONTEXT
    with _LOCK:
        if _CONTEXT is None:
            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload([__name__, "python_calamine"])  # not the server's __main__
            _CONTEXT = ctx
        return _CONTEXT


def _popen_class() -> Any:
    from multiprocessing import context, forkserver, popen_forkserver, reduction, spawn, util

    class Popen(popen_forkserver.Popen):
        """The fork server's start of a child, without importing the parent's main script in the child (multiprocessing
        does that by default: the Streamlit or pytest launcher, hundreds of MB, in every child; an unguarded script would
        run again). CPython 3.11's ``popen_forkserver.Popen._launch`` with the main module left out."""

        def _launch(self, process_obj: Any) -> None:
            prep = spawn.get_preparation_data(process_obj._name)
            prep.pop("init_main_from_path", None)
            prep.pop("init_main_from_name", None)
            buf = io.BytesIO()
            context.set_spawning_popen(self)
            try:
                reduction.dump(prep, buf)
                reduction.dump(process_obj, buf)
            finally:
                context.set_spawning_popen(None)
            self.sentinel, w = forkserver.connect_to_new_process(self._fds)  # type: ignore[attr-defined]
            parent_w = os.dup(w)
            self.finalizer = util.Finalize(self, util.close_fds, (parent_w, self.sentinel))  # type: ignore[attr-defined]
            with open(w, "wb", closefd=True) as f:
                f.write(buf.getbuffer())
            self.pid = forkserver.read_signed(self.sentinel)

    return Popen


#: the private pieces :func:`_popen_class` relies on (CPython 3.11–3.13); where one is missing (another Python), the
#: standard start is used: the child then imports the parent's main script too (slower, the same limits)
_PRIVATE_OK = all(
    hasattr(importlib.import_module(f"multiprocessing.{module}"), name)
    for module, name in (
        ("forkserver", "connect_to_new_process"),
        ("forkserver", "read_signed"),
        ("popen_forkserver", "Popen"),
        ("spawn", "get_preparation_data"),
        ("context", "set_spawning_popen"),
    )
)


class _Process(mp.context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj: Any) -> Any:
        if not _PRIVATE_OK:
            return mp.context.ForkServerProcess._Popen(process_obj)
        return _popen_class()(process_obj)


def read_workbook(content: bytes, limits: Limits) -> list[SheetData]:
    """Every sheet of a workbook, parsed in a child. Raises :class:`SheetRefused` (a limit of a sheet),
    :class:`ReaderError` (the library refuses the file) or :class:`ChildFailed` (memory, time, crash)."""
    ctx = _context()
    with _SLOTS:
        parent, child = ctx.Pipe(duplex=False)
        proc = _Process(target=_child, args=(child, content, limits), daemon=True)
        proc.start()
        child.close()
        try:
            return _receive(parent, proc, limits)
        finally:
            parent.close()
            if proc.is_alive():
                proc.kill()
            proc.join(5)
            proc.close()


def _receive(conn: multiprocessing.connection.Connection, proc: Any, limits: Limits) -> list[SheetData]:
    import time

    deadline = time.monotonic() + limits.seconds
    sheets: list[SheetData] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not conn.poll(left):
            proc.kill()
            raise ChildFailed("time")
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            proc.join(5)
            raise ChildFailed("memory" if proc.exitcode in (-6, 1) else "crash") from None
        kind = msg[0]
        if kind == "sheet":
            sheets.append(msg[1])
        elif kind == "done":
            return sheets
        elif kind == "limit":
            raise SheetRefused(msg[1], msg[2], msg[3])
        elif kind == "memory":
            raise ChildFailed("memory")
        else:
            raise ReaderError(msg[1], msg[2])


def _child(conn: multiprocessing.connection.Connection, content: bytes, limits: Limits) -> None:
    """In the child: the limits first, then the workbook, one message per sheet."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = limits.memory_bytes if hard == resource.RLIM_INFINITY else min(limits.memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort leaves no core file
    except (ValueError, OSError):
        pass
    try:
        parse_sheets(content, limits, lambda sheet: conn.send(("sheet", sheet)))
        conn.send(("done",))
    except MemoryError:
        conn.send(("memory",))
    except SheetRefused as exc:
        conn.send(("limit", exc.kind, exc.sheet, exc.numbers))
    except Exception as exc:  # the library's refusal: the parent words it
        conn.send(("error", type(exc).__name__, str(exc)[:500]))
    finally:
        conn.close()
        os._exit(0)  # no clean-up of the fork server's inherited state


def read_in_process(content: bytes, limits: Limits) -> list[SheetData]:
    """The same as :func:`read_workbook` in this process (for containers whose every allocation the pre-checks bound);
    raises :class:`SheetRefused` or :class:`ReaderError`."""
    sheets: list[SheetData] = []
    try:
        parse_sheets(content, limits, sheets.append)
    except SheetRefused:
        raise
    except Exception as exc:  # the library's refusal: the caller words it
        raise ReaderError(type(exc).__name__, str(exc)[:500]) from None
    return sheets


def parse_sheets(content: bytes, limits: Limits, emit: Callable[[SheetData], None]) -> None:
    """Every sheet of the workbook to ``emit``, each checked against the limits before its grid is copied."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
    total = 0
    for name in wb.sheet_names:
        sh = wb.get_sheet_by_name(name)
        rows, cols = (sh.end[0] + 1, sh.end[1] + 1) if sh.end else (0, 0)  # the copy starts at A1
        if rows * cols > limits.max_cells:  # an .xls: its grid is at most 65.536 × 256, not yet copied
            raise SheetRefused("cells", name, (rows, cols))
        total += rows * cols
        if total > limits.max_total_cells:
            raise SheetRefused("total", name, (total,))
        if sh.height > limits.max_rows:
            raise SheetRefused("rows", name, (sh.height,))
        if sh.width > limits.max_cols:
            raise SheetRefused("cols", name, (sh.width,))
        cells: list[list[object]] = sh.to_python(skip_empty_area=False)  # type: ignore[assignment]
        emit((name, cells, list(sh.merged_cell_ranges or [])))
        del cells
