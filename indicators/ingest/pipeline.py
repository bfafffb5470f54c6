"""From bytes to committed base data: check, recognise, read, validate, preview, commit, roll back.

Nothing is written before :func:`commit`; a commit is one transaction that stores the observations,
records the upload, writes the audit entry and recomputes every indicator, or does none of it.
The original bytes are archived under their checksum before the transaction starts.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from indicators.catalog import NATIONALITIES, SEXES, Catalog
from indicators.compute import recompute_in
from indicators.config import MIN_YEAR, Settings
from indicators.ingest.base import ParsedFile, Problem, RawFile, Reader, RejectFile, empty_frame
from indicators.ingest.files import check_container
from indicators.store import OBS_KEY, Store

MAX_LISTED = 200  # problems listed one by one per kind; the rest are counted


def readers() -> list[Reader]:
    """The source formats, most specific first. Each recognises its files by content."""
    from indicators.ingest.template_reader import TemplateReader

    found: list[Reader] = []
    try:  # format readers of the real exports (GENESIS, BA, Open SDG, own lists)
        from indicators.ingest import sources

        found.extend(sources.READERS)
    except ImportError:
        pass
    found.append(TemplateReader())
    return found


def _rejected(raw: RawFile, problem: Problem) -> ParsedFile:
    return ParsedFile(raw, "unbekannt", "nicht erkannt", "", empty_frame(), {}, [problem])


def parse(raw: RawFile, settings: Settings, reader: Reader | None = None) -> ParsedFile:
    """Recognise and read one file. Never raises for bad input: problems come back in the result."""
    try:
        check_container(raw, settings.max_upload_bytes)
        if reader is None:
            reasons = []
            for candidate in readers():
                why = candidate.sniff(raw)
                if why:
                    reader = candidate
                    reasons.append(why)
                    break
            if reader is None:
                return _rejected(raw, raw.error(
                    "Das Format wurde nicht erkannt: weder die Vorlage des Integrationsmonitors noch eine bekannte "
                    "Exportform (GENESIS, BA, Open SDG). Für andere Tabellen bitte eine Spaltenzuordnung anlegen."))
            parsed = reader.read(raw)
            parsed.reasoning = parsed.reasoning or reasons[0]
        else:
            parsed = reader.read(raw)
        return parsed
    except RejectFile as exc:
        return _rejected(raw, exc.problem)
    except MemoryError:
        return _rejected(raw, raw.error("Die Datei ist zu groß, um sie im Speicher zu verarbeiten."))
    except Exception as exc:  # a reader bug must not reach the user as a traceback
        return _rejected(raw, raw.error(f"Die Datei konnte nicht gelesen werden (interner Fehler: {type(exc).__name__}). "
                                        "Bitte wenden Sie sich mit der Datei an die Administration."))


def _listed(problems: list[Problem], raw: RawFile, found: pd.DataFrame, message: str, column: str,
            severity: str = "fehler") -> None:
    """Add one problem per offending row (up to MAX_LISTED) and a count of the rest."""
    if found.empty:
        return
    for rec in found.head(MAX_LISTED).itertuples(index=False):
        problems.append(Problem(severity, message.format(**rec._asdict()), raw.name, rec.source_sheet,
                                int(rec.source_row) if pd.notna(rec.source_row) else None, rec.source_column or column))
    if len(found) > MAX_LISTED:
        problems.append(Problem(severity, f"… und {len(found) - MAX_LISTED} weitere Zeilen mit demselben Problem ({message.split(':')[0]}).",
                                raw.name, None, None, column))


def validate(parsed: ParsedFile, store: Store, catalog: Catalog, today: dt.date | None = None) -> ParsedFile:
    """Checks against the catalog and the region list; adds problems to ``parsed`` (errors block)."""
    d = parsed.data
    raw = parsed.raw
    p = parsed.problems
    if d.empty:
        if not parsed.errors:
            p.append(raw.error("Die Datei enthält keine Datenzeilen (nur Kopfzeilen oder leer)."))
        return parsed
    for col in ("source_sheet", "source_column"):
        d[col] = d[col].astype("object")
    max_year = (today or dt.date.today()).year + 1
    known_vars = set(catalog.variables)
    _listed(p, raw, d[~d["variable"].isin(known_vars)],
            "Unbekannte Variable „{variable}“; erlaubt sind die Codes im Blatt „Codes“ der Vorlage.", "Variable")
    regions = store.regions()
    known_regions = set(regions["key"])
    unknown = d[~d["region"].isin(known_regions)]
    if not unknown.empty:
        first = unknown.drop_duplicates("region")
        _listed(p, raw, first, "Unbekannte Region „{region}“. Sie kann auf der Datenseite in die Regionsliste "
                "aufgenommen werden.", "Regionalschlüssel")
    bad_year = d[(d["year"] < MIN_YEAR) | (d["year"] > max_year)]
    _listed(p, raw, bad_year, f"Jahr {{year}} liegt außerhalb von {MIN_YEAR} bis {max_year}.", "Jahr")
    _listed(p, raw, d[~d["nationality"].isin(NATIONALITIES)],
            "Unbekannter Code der Staatsangehörigkeit „{nationality}“ (erlaubt: " + ", ".join(NATIONALITIES) + ").",
            "Staatsangehörigkeit")
    _listed(p, raw, d[~d["sex"].isin(SEXES)], "Unbekannter Code des Geschlechts „{sex}“ (erlaubt: " + ", ".join(SEXES) + ").",
            "Geschlecht")
    # value checks per variable
    var = d["variable"].map(lambda v: catalog.variables.get(v))
    counts = var.map(lambda v: v is not None and not v.allow_negative and v.unit in ("Anzahl", "Tage", "Euro"))
    _listed(p, raw, d[counts & (d["value"] < 0)], "Negativer Wert {value:g} bei einer Anzahl ist unmöglich.", "Wert")
    shares = var.map(lambda v: v is not None and v.unit == "%")
    _listed(p, raw, d[shares & ((d["value"] > 100) | (d["value"] < 0))],
            "Anteil {value:g} % liegt außerhalb von 0 bis 100 %.", "Wert")
    dup = d[d.duplicated(list(OBS_KEY), keep="first")]
    _listed(p, raw, dup, "Doppelter Eintrag: {variable}, Region {region}, Jahr {year} kommt in der Datei mehrfach vor.", "Wert")
    return parsed


@dataclass
class ImportResult:
    file: str
    format: str
    status: str  # 'importiert' | 'abgelehnt' | 'vorschau' | 'bereits_vorhanden'
    rows: int
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    upload_id: int | None = None
    assumptions: dict[str, str] = field(default_factory=dict)
    diff: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "file": self.file, "format": self.format, "status": self.status, "rows": self.rows,
            "errors": [e.as_dict() for e in self.errors], "warnings": [w.as_dict() for w in self.warnings],
            "upload_id": self.upload_id, "assumptions": self.assumptions, "diff": self.diff,
        }


def diff_against_current(parsed: ParsedFile, store: Store) -> dict[str, int]:
    """How the file's values relate to the current state: new, changed, unchanged keys."""
    if parsed.data.empty:
        return {"neu": 0, "geändert": 0, "unverändert": 0}
    cur = store.cursor()
    try:
        cur.register("incoming", parsed.data[list(OBS_KEY) + ["value", "flag"]])
        row = cur.execute(
            """SELECT count(*) FILTER (WHERE c.variable IS NULL),
                      count(*) FILTER (WHERE c.variable IS NOT NULL AND (c.value IS DISTINCT FROM i.value OR c.flag IS DISTINCT FROM i.flag)),
                      count(*) FILTER (WHERE c.variable IS NOT NULL AND c.value IS NOT DISTINCT FROM i.value AND c.flag IS NOT DISTINCT FROM i.flag)
               FROM incoming i LEFT JOIN obs_current c ON NOT c.aggregated AND c.variable = i.variable AND c.region = i.region
                    AND c.year = i.year AND c.nationality = i.nationality AND c.sex = i.sex
                    AND c.age_group = i.age_group AND c.category = i.category"""
        ).fetchone()
    finally:
        cur.close()
    return {"neu": int(row[0]), "geändert": int(row[1]), "unverändert": int(row[2])}


def preview(raw: RawFile, store: Store, catalog: Catalog, settings: Settings) -> ParsedFile:
    return validate(parse(raw, settings), store, catalog)


def archive(raw: RawFile, settings: Settings) -> Path:
    """Keep the original bytes under their checksum (written atomically, never overwritten)."""
    target = settings.archive_dir / raw.sha256[:2] / f"{raw.sha256}.{raw.extension or 'bin'}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw.content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    return target


def commit(parsed: ParsedFile, store: Store, catalog: Catalog, settings: Settings, user: str,
           demo: bool = False) -> ImportResult:
    """Write one validated file all-or-nothing and recompute. Rejects a file with errors."""
    raw = parsed.raw
    result = ImportResult(raw.name, parsed.format, "abgelehnt", len(parsed.data), parsed.errors, parsed.warnings,
                          assumptions=parsed.assumptions)
    if parsed.errors:
        return result
    existing = store.active_upload_with_checksum(raw.sha256)
    if existing is not None:
        result.status = "bereits_vorhanden"
        result.upload_id = int(existing["id"])
        result.warnings = [*parsed.warnings, raw.warning(
            f"Diese Datei (gleiche Prüfsumme) wurde bereits als Upload Nr. {existing['id']} am "
            f"{pd.Timestamp(existing['uploaded_at']):%d.%m.%Y %H:%M} geladen; sie wird nicht doppelt geladen.")]
        return result
    result.diff = diff_against_current(parsed, store)
    path = archive(raw, settings)
    data = parsed.data[["variable", "region", "year", "ref_date", "nationality", "sex", "age_group", "category",
                        "value", "flag", "source_row"]].copy()
    data["source_row"] = pd.to_numeric(data["source_row"], errors="coerce").astype("Int64")
    assumptions = dict(parsed.assumptions)
    assumptions["Format"] = parsed.format_label
    if parsed.reasoning:
        assumptions["Erkannt, weil"] = parsed.reasoning
    with store.transaction() as cur:
        upload_id = cur.execute("SELECT nextval('upload_seq')").fetchone()[0]
        cur.execute(
            "INSERT INTO uploads (id, file_name, sha256, format, uploaded_at, user_name, rows, status, assumptions,"
            " archive_path, size_bytes, demo) VALUES (?, ?, ?, ?, ?, ?, ?, 'aktiv', ?, ?, ?, ?)",
            [upload_id, raw.name, raw.sha256, parsed.format, dt.datetime.now(), user, len(data),
             json.dumps(assumptions, ensure_ascii=False), str(path), raw.size, demo],
        )
        cur.register("incoming", data)
        cur.execute(
            """INSERT INTO observations (upload_id, variable, region, year, ref_date, nationality, sex, age_group,
                                         category, value, flag, source_row)
               SELECT ?, variable, region, year, ref_date, nationality, sex, age_group, category, value, flag, source_row
               FROM incoming""",
            [upload_id],
        )
        cur.unregister("incoming")
        Store.audit(cur, user, "upload", raw.name, {"upload_id": upload_id, "rows": len(data), "format": parsed.format,
                                                    "sha256": raw.sha256, "diff": result.diff})
        recompute_in(cur, catalog, settings.min_count)
    result.status = "importiert"
    result.upload_id = int(upload_id)
    return result


def import_bytes(name: str, content: bytes, store: Store, catalog: Catalog, settings: Settings, user: str,
                 dry_run: bool = False, demo: bool = False) -> ImportResult:
    parsed = preview(RawFile(name, content), store, catalog, settings)
    if dry_run or parsed.errors:
        res = ImportResult(name, parsed.format, "abgelehnt" if parsed.errors else "vorschau", len(parsed.data),
                           parsed.errors, parsed.warnings, assumptions=parsed.assumptions)
        if not parsed.errors:
            res.diff = diff_against_current(parsed, store)
        return res
    return commit(parsed, store, catalog, settings, user, demo=demo)


def import_path(path: str | Path, store: Store, catalog: Catalog, settings: Settings, user: str,
                dry_run: bool = False, demo: bool = False) -> ImportResult:
    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError as exc:
        problem = Problem("fehler", f"Die Datei lässt sich nicht öffnen: {exc.strerror or exc}.", path.name)
        return ImportResult(path.name, "unbekannt", "abgelehnt", 0, [problem])
    return import_bytes(path.name, content, store, catalog, settings, user, dry_run=dry_run, demo=demo)


class RollbackError(Exception):
    pass


def rollback(upload_id: int, store: Store, catalog: Catalog, settings: Settings, user: str) -> dict:
    """Undo one upload: its values no longer count, the previous state is back; recorded in the audit log."""
    up = store.upload(upload_id)
    if up is None:
        raise RollbackError(f"Upload Nr. {upload_id} gibt es nicht.")
    if up["status"] != "aktiv":
        raise RollbackError(f"Upload Nr. {upload_id} ist bereits zurückgenommen.")
    with store.transaction() as cur:
        cur.execute("UPDATE uploads SET status = 'zurueckgenommen', rolled_back_at = ?, rolled_back_by = ? WHERE id = ?",
                    [dt.datetime.now(), user, upload_id])
        Store.audit(cur, user, "rollback", up["file_name"], {"upload_id": upload_id})
        report = recompute_in(cur, catalog, settings.min_count)
    return {"upload_id": upload_id, "file": up["file_name"], "values": report.values}
