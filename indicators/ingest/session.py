"""The upload of one file as one object (issue 26): the page, the command line and the inbox use it alike.

An :class:`UploadSession` is built from a file's bytes and name (or a path) and the person acting. :meth:`check`
reads the file, checks it (catalog, regions, plausibility), accounts for every cell of its data block, tries the
effect on the own Kreis's indicators and tells which regions it brings (own area and comparison regions); it hands
back one :class:`UploadReport` for the page to draw. Nothing is written before :meth:`~UploadSession.commit`, which
applies the file all-or-nothing (the comparison regions, the observations, the upload record, the audit entry and
the recomputation in one transaction); a file with plausibility warnings is taken only when they are confirmed.

The pages import nothing else of :mod:`indicators.ingest` but this module and :mod:`indicators.ingest.api`
(tests/test_architecture.py): the parsed file stays inside the core.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, Unpack, cast

import pandas as pd

from indicators.errors import UserError, report
from indicators.fmt import fmt_num
from indicators.ingest import impact as imp
from indicators.ingest import pipeline
from indicators.ingest.base import Accounting, ParsedFile, Problem, RawFile, Reader, RejectFile
from indicators.ingest.diff import Diff, changed_against_current
from indicators.ingest.files import SPREADSHEET_EXT, read_sheets, read_text_table, release_parse_cache
from indicators.ingest.files import return_free_memory as _return_free_memory
from indicators.ingest.pipeline import ImportResult
from indicators.ingest.sources import mapping
from indicators.status import ImportStatus

if TYPE_CHECKING:
    from indicators.catalog import Catalog
    from indicators.config import Settings
    from indicators.store import Store

__all__ = [
    "ImportOptions",
    "ImportResult",
    "UnreadableCells",
    "UploadReport",
    "UploadSession",
    "format_labels",
    "import_bytes",
    "import_path",
    "return_free_memory",
]

#: the assumption in which the checks say what happens to the regions outside the own area
OTHER_REGIONS = "Weitere Regionen"


def return_free_memory() -> None:
    """Give freed memory back to the operating system (after a file is done)."""
    _return_free_memory()


def format_labels() -> dict[str, str]:
    """Format code -> German label of every reader (for the history)."""
    labels = {r.format: r.label for r in pipeline.readers()}
    labels[mapping.FORMAT] = mapping.LABEL
    labels.setdefault("unbekannt", "nicht erkannt")
    return labels


class UnreadableCells(UserError):
    """The file's cells cannot be read for the column mapping (German reason)."""


class UploadReport:
    """What the session found in one file, for the page to draw (and the command line and the inbox to report):
    format and why, the values read, problems (errors, warnings, plausibility warnings), the reconciliation of the
    data block, the regions it brings, the effect on the own Kreis, and whether the same bytes are loaded already.
    Read-only; nothing of it is written."""

    def __init__(self, parsed: ParsedFile, existing: dict[str, Any] | None = None) -> None:
        self._parsed = parsed
        #: the active upload with the same checksum (the same bytes are loaded already), else None
        self.existing = existing

    # -- the file and its format
    @property
    def name(self) -> str:
        return self._parsed.raw.name

    @property
    def sha256(self) -> str:
        return self._parsed.raw.sha256

    @property
    def format(self) -> str:
        return self._parsed.format

    @property
    def format_label(self) -> str:
        return self._parsed.format_label

    @property
    def reasoning(self) -> str:
        return self._parsed.reasoning

    @property
    def table_found(self) -> bool:
        """Whether the file holds a table at all (False: empty, encrypted, too large …; nothing to map)."""
        return self._parsed.table_found

    @property
    def unrecognised(self) -> bool:
        """A table that no format recognised (a column mapping can read it)."""
        p = self._parsed
        return p.format == "unbekannt" and p.table_found and p.format_label == pipeline.UNRECOGNISED

    # -- the values read
    @property
    def data(self) -> pd.DataFrame:
        """The values read, one row per observation (canonical columns)."""
        return self._parsed.data

    def summary(self) -> dict[str, object]:
        return self._parsed.summary()

    def value_counts(self) -> tuple[int, int]:
        """(values, official symbols) as the reconciliation counts them: '158 Werte und 3 amtliche Zeichen', never
        '161 Werte' for both. A list whose rows were summed counts the sums it gives."""
        acc = self._parsed.accounting
        if acc is not None and acc.summed_to is None:
            return acc.values, acc.symbols
        d = self._parsed.data
        symbols = int(pd.to_numeric(d["value"], errors="coerce").isna().sum()) if len(d) else 0
        return len(d) - symbols, symbols

    @property
    def assumptions(self) -> dict[str, str]:
        return self._parsed.assumptions

    @property
    def accounting(self) -> Accounting | None:
        """Every cell of the data block accounted for: values + symbols + refused cells."""
        return self._parsed.accounting

    # -- problems
    @property
    def problems(self) -> list[Problem]:
        return self._parsed.problems

    @property
    def errors(self) -> list[Problem]:
        return self._parsed.errors

    @property
    def warnings(self) -> list[Problem]:
        return self._parsed.warnings

    @property
    def plausibility_warnings(self) -> list[Problem]:
        """Warnings of the plausibility rules: confirmed by the person before the commit."""
        return self._parsed.plausibility_warnings

    def error_counts(self) -> tuple[int, int]:
        """(rows with errors, errors)."""
        return self._parsed.error_counts()

    def warning_count(self) -> int:
        """Warnings, those a summary line stands for included (every place on the page counts them so)."""
        return self._parsed.warning_count()

    def plausibility_count(self) -> int:
        """Plausibility warnings (one per value and rule), those a summary line stands for included."""
        return self._parsed.plausibility_count()

    @property
    def ok(self) -> bool:
        return self._parsed.ok

    # -- regions and effect
    @property
    def region_names(self) -> dict[str, str]:
        """The names the file gives its region keys."""
        return self._parsed.region_names

    @property
    def unknown_regions(self) -> list[str]:
        """Keys of the own area (or of an own list) not in the region list: they can be added from the file."""
        return self._parsed.unknown_regions

    @property
    def other_regions(self) -> str | None:
        """What happens to an official file's regions outside the own area (comparison regions), in words."""
        return self._parsed.assumptions.get(OTHER_REGIONS)

    @property
    def impact(self) -> imp.Impact | None:
        """The effect on the headline values of the own Kreis (tried and rolled back), where it was tried."""
        found = self._parsed.impact
        return found if isinstance(found, imp.Impact) else None

    @property
    def impact_lost(self) -> int:
        """How many values of the own Kreis would disappear."""
        found = self.impact
        return found.counts[imp.LOST] if found is not None else 0

    def impact_summary(self) -> str:
        found = self.impact
        return imp.summary(found) if found is not None else ""

    @property
    def demo_hidden_text(self) -> str:
        """In words: the synthetic demo values of comparison regions that stop counting after the takeover,
        because the file brings real values of those regions ('' when none)."""
        found = self.impact
        return imp.demo_hidden_text(found) if found is not None else ""


class ImportOptions(TypedDict, total=False):
    """The options of :func:`import_bytes` and :func:`import_path` (one list for both)."""

    #: only check; nothing is written (the effect on the own Kreis is tried)
    dry_run: bool
    #: plausibility warnings are confirmed (the command line's ``--ja``); False: such a file is not taken
    confirmed: bool
    #: the upload is marked as demo data
    demo: bool
    #: recompute the indicators in the commit (False: the caller recomputes once after several files)
    recompute: bool
    #: read with this reader (a mapping profile) instead of recognising the format
    reader: Reader | None
    #: ``keep`` or ``skip`` the regions of an official file outside the own area
    other_regions: str


class UploadSession:
    """One file on its way from bytes to committed base data (see the module's docstring)."""

    def __init__(
        self,
        raw: RawFile,
        store: Store,
        catalog: Catalog,
        settings: Settings,
        user: str | None = None,
        *,
        reader: Reader | None = None,
        other_regions: str = "keep",
        impact: bool = True,
        offer_profile: bool = True,
    ) -> None:
        self.raw = raw
        self.store, self.catalog, self.settings = store, catalog, settings
        self.user = user or settings.user
        self.reader = reader
        #: ``keep`` takes an official file's regions outside the own area over as comparison regions, ``skip``
        #: leaves their rows out
        self.other_regions = other_regions
        #: try the effect on the own Kreis's indicators (a commit recomputes anyway: the command line tries it
        #: only for a dry run)
        self.impact = impact
        #: name a saved mapping profile of the same shape in the message of an unrecognised file
        self.offer_profile = offer_profile
        self._parsed: ParsedFile | None = None
        self._diff: tuple[object, Diff] | None = None

    @property
    def name(self) -> str:
        return self.raw.name

    @property
    def sha256(self) -> str:
        """The checksum of the file's bytes (kept after :meth:`release`)."""
        return self.raw.sha256

    @property
    def size(self) -> int:
        return self.raw.size

    # -- building
    @classmethod
    def from_bytes(
        cls, name: str, content: bytes, store: Store, catalog: Catalog, settings: Settings, user: str | None = None
    ) -> UploadSession:
        return cls(RawFile(name, content), store, catalog, settings, user)

    @classmethod
    def from_path(
        cls,
        path: str | Path,
        store: Store,
        catalog: Catalog,
        settings: Settings,
        user: str | None = None,
        *,
        name: str | None = None,
        reader: Reader | None = None,
        other_regions: str = "keep",
        impact: bool = True,
    ) -> UploadSession:
        """A session for a file on disk (``name``: the name recorded, by default the file's; the other options as
        for the constructor). A file too large or that cannot be opened gives a session whose report is that one
        reason (nothing more is read)."""
        path = Path(path)
        name = name or path.name
        try:
            size = path.stat().st_size
            if size > settings.max_upload_bytes:  # refused before reading: a 2 GB file was read whole first
                message = (
                    f"Die Datei ist {fmt_num(size / 1024 / 1024, 1)} MB groß; erlaubt sind höchstens "
                    f"{fmt_num(settings.max_upload_mb, 0)} MB (Einstellung MONITOR_MAX_UPLOAD_MB)."
                )
                return cls._refused(name, message, store, catalog, settings, user)
            content = path.read_bytes()
        except OSError as exc:
            why = {
                FileNotFoundError: "es gibt sie nicht",
                PermissionError: "keine Leseberechtigung",
                IsADirectoryError: "es ist ein Ordner",
            }.get(type(exc), "Lesefehler des Datenträgers")
            return cls._refused(
                name, f"Die Datei lässt sich nicht öffnen: {why} ({path}).", store, catalog, settings, user
            )
        return cls(
            RawFile(name, content),
            store,
            catalog,
            settings,
            user,
            reader=reader,
            other_regions=other_regions,
            impact=impact,
        )

    @classmethod
    def _refused(
        cls, name: str, message: str, store: Store, catalog: Catalog, settings: Settings, user: str | None
    ) -> UploadSession:
        session = cls(RawFile(name, b""), store, catalog, settings, user)
        session._parsed = pipeline.rejected_file(session.raw, session.raw.error(message), table_found=False)
        return session

    def use_profile(self, spec: dict[str, Any] | mapping.ProfileSpec | None) -> None:
        """Read the file with this column mapping (None: recognise the format); raises
        :class:`~indicators.ingest.api.MappingError` for a profile that does not validate. Read again at the next
        :meth:`check`."""
        self.reader = mapping.MappingReader(spec) if spec else None
        self.reset()

    def reset(self) -> None:
        """Forget what was found: the next :meth:`check` reads the file again (another profile, regions added)."""
        self._parsed, self._diff = None, None

    # -- checking
    @property
    def checked(self) -> bool:
        return self._parsed is not None

    def check(self, on_read: Callable[[UploadReport], None] | None = None) -> UploadReport:
        """Read and check the file once (``on_read`` is told when it is read, before the checks); afterwards bring
        the report up to date with the data: the effect on the own Kreis tried again when the data changed since (a
        file taken over, an upload rolled back), and whether the same bytes are loaded already."""
        if self._parsed is None:
            told = (lambda parsed: on_read(UploadReport(parsed))) if on_read is not None else None
            self._parsed = pipeline.preview(
                self.raw,
                self.store,
                self.catalog,
                self.settings,
                self.reader,
                on_read=told,
                offer_profile=self.offer_profile and self.reader is None,
                other_regions=self.other_regions,
                impact=self.impact,
            )
        parsed = self._parsed
        if self.impact and parsed.ok and parsed.impact is not None:
            if getattr(parsed.impact, "version", None) != self.store.version():
                pipeline.add_impact(parsed, self.store, self.catalog, self.settings)
        existing = self.store.active_upload_with_checksum(self.raw.sha256) if self.raw.content else None
        return UploadReport(parsed, existing)

    @property
    def report(self) -> UploadReport:
        return self.check()

    def _checked(self) -> ParsedFile:
        if self._parsed is None:
            self.check()
        return cast(ParsedFile, self._parsed)

    def diff(self) -> Diff:
        """The file's values against the current state: counts and the changed rows (computed again only when
        the data changed)."""
        parsed = self._checked()
        version = self.store.version()
        if self._diff is None or self._diff[0] != version:
            self._diff = (version, changed_against_current(parsed.data, self.store, include_new=False))
        return self._diff[1]

    def _diff_counts(self) -> dict[str, int] | None:
        """The counts of the diff when it is current (the page has just shown them), else None."""
        return self._diff[1].counts if self._diff is not None and self._diff[0] == self.store.version() else None

    # -- the file's cells and profiles (column mapping)
    def cells(self) -> dict[str | None, list[list[object]]]:
        """The file's cells per sheet (a text file: one table under the key None), for the mapping editor."""
        try:
            if self.raw.extension in SPREADSHEET_EXT:
                return {sh.name: sh.rows for sh in read_sheets(self.raw)}
            return {None: cast("list[list[object]]", read_text_table(self.raw).rows)}
        except RejectFile as exc:
            raise UnreadableCells(exc.problem.message) from None

    def profile_offer(self) -> mapping.ProfileSpec | None:
        """A saved or shipped mapping profile for a file of this shape, if there is one."""
        return mapping.find_profile_for(self.store, self.raw)

    def save_profile(self, spec: mapping.ProfileSpec) -> mapping.ProfileSpec:
        """Save a column mapping as a profile, recording this file's shape."""
        return mapping.save_profile(self.store, spec.name, spec, self.user, self.raw)

    # -- writing
    def add_regions(self, keys: list[str]) -> list[dict[str, Any]]:
        """Add regions the file brings (unknown keys) with the file's names, then check the file again."""
        added = pipeline.add_regions_from_file(
            self._checked(), keys, self.store, self.catalog, self.settings, self.user
        )
        self.reset()
        return added

    def commit(
        self, *, confirmed_plausibility: bool = False, demo: bool = False, recompute: bool = True
    ) -> ImportResult:
        """Apply the file all-or-nothing. Nothing is written for a file with errors (status ``abgelehnt``) or with
        plausibility warnings not confirmed (``zu_bestaetigen``); the same bytes loaded before give
        ``bereits_vorhanden``. A failure in the transaction raises (it has rolled back; nothing is half-written).

        ``recompute=False`` is for loading several files in a row (the demo): the caller recomputes once."""
        parsed = self._checked()
        if parsed.errors or (parsed.plausibility_warnings and not confirmed_plausibility):
            return self._unwritten(ImportStatus.TO_CONFIRM)
        return pipeline.commit(
            parsed,
            self.store,
            self.catalog,
            self.settings,
            self.user,
            demo=demo,
            recompute=recompute,
            diff=self._diff_counts(),
        )

    def run(
        self, *, dry_run: bool = False, confirmed: bool = True, demo: bool = False, recompute: bool = True
    ) -> ImportResult:
        """Check, then commit unless there are errors, unconfirmed plausibility warnings or ``dry_run`` (the command
        line and the inbox). Never raises for bad input: a failed commit is a rejection naming the reason."""
        parsed = self._checked()
        try:
            if dry_run:
                return self._unwritten(ImportStatus.PREVIEW)
            return self.commit(confirmed_plausibility=confirmed, demo=demo, recompute=recompute)
        except Exception as exc:  # the transaction has rolled back; nothing is half-written
            return ImportResult(
                self.raw.name,
                parsed.format,
                ImportStatus.REJECTED,
                len(parsed.data),
                [
                    *parsed.errors,
                    self.raw.error(
                        "Der Import ist fehlgeschlagen und wurde vollständig "
                        f"zurückgenommen. {report(exc, f'Import von {self.raw.name}')}"
                    ),
                ],
                parsed.warnings,
                assumptions=parsed.assumptions,
            )

    def _unwritten(self, status: ImportStatus) -> ImportResult:
        """The result of a file not written: ``abgelehnt`` for errors, else ``status`` with the diff and the
        effect on the own Kreis."""
        parsed = self._checked()
        result = ImportResult(
            self.raw.name,
            parsed.format,
            ImportStatus.REJECTED if parsed.errors else status,
            len(parsed.data),
            parsed.errors,
            parsed.warnings,
            assumptions=parsed.assumptions,
            accounting=parsed.accounting,
        )
        if not parsed.errors:
            counts = self._diff_counts()
            result.diff = counts if counts is not None else pipeline.diff_against_current(parsed, self.store)
            result.impact = UploadReport(parsed).impact
        return result

    # -- memory
    def release_cells(self) -> None:
        """Free the file's parsed cells (read again only for a column mapping)."""
        release_parse_cache(self.raw)

    def release(self, keep_cells: bool = False) -> None:
        """Free what the session holds of a file that is done (taken over, rejected for good, or removed): the
        parsed cells, the values read and the bytes (the name and the checksum stay), and give the memory back to
        the operating system: eight 49 MB uploads kept about 400 MB after their sessions."""
        if not keep_cells:
            release_parse_cache(self.raw)
        if self.raw.content:
            _ = self.raw.sha256  # computed before the bytes go
            self.raw.content = b""
        self._parsed, self._diff = None, None
        return_free_memory()


def import_bytes(
    name: str,
    content: bytes,
    store: Store,
    catalog: Catalog,
    settings: Settings,
    user: str,
    **options: Unpack[ImportOptions],
) -> ImportResult:
    """Check, then commit unless there are errors or ``dry_run`` (an :class:`UploadSession` in one call). Never
    raises for bad input. ``confirmed=False``: a file with plausibility warnings is not committed (status
    ``zu_bestaetigen``)."""
    session = UploadSession(
        RawFile(name, content),
        store,
        catalog,
        settings,
        user,
        reader=options.get("reader"),
        other_regions=options.get("other_regions", "keep"),
        impact=options.get("dry_run", False),  # a commit recomputes anyway: the effect is tried for a dry run only
    )
    return _run(session, options)


def import_path(
    path: str | Path,
    store: Store,
    catalog: Catalog,
    settings: Settings,
    user: str,
    **options: Unpack[ImportOptions],
) -> ImportResult:
    """:func:`import_bytes` for a file on disk (too large or unreadable: rejected before it is read)."""
    session = UploadSession.from_path(
        path,
        store,
        catalog,
        settings,
        user,
        reader=options.get("reader"),
        other_regions=options.get("other_regions", "keep"),
        impact=options.get("dry_run", False),
    )
    return _run(session, options)


def _run(session: UploadSession, options: ImportOptions) -> ImportResult:
    return session.run(
        dry_run=options.get("dry_run", False),
        confirmed=options.get("confirmed", True),
        demo=options.get("demo", False),
        recompute=options.get("recompute", True),
    )
