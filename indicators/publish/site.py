"""The public website as files: rendered with Jinja2 (autoescaping on: every text from files and people is text),
relative links only, every script and style in the folder (Plotly's JavaScript copied from the installed package).

Deterministic: the same data gives the same bytes (no build time, sorted keys, fixed chart ids), so a Kreis can keep
the site in version control. ``manifest.json`` in the folder holds a SHA-256 per file; the next build compares with
it and says what is new, changed and removed (and removes only files it wrote itself).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from indicators import auth, charts, config, texts, wording
from indicators.catalog import DIMENSIONS, TOTAL
from indicators.errors import UserError
from indicators.export import safe_text
from indicators.fmt import fmt_int, fmt_num
from indicators.publish.content import IndicatorContent, Point, SiteContent, gather
from indicators.report.content import FLAG_TEXT
from indicators.service import Monitor
from indicators.store import Store

HERE = Path(__file__).resolve().parent
MANIFEST = "manifest.json"
#: Open SDG breakdown columns (German, as the Land's site names them)
DIM_COLUMNS = {
    "nationality": "Staatsangehörigkeit",
    "sex": "Geschlecht",
    "age_group": "Altersgruppe",
    "category": "Kategorie",
}
ALL_VALUES = "daten/alle_werte.csv"


class PublishError(UserError):
    """The site cannot be written (German message naming the folder); nothing was changed."""


@dataclass
class BuildResult:
    folder: Path
    pages: int
    downloads: int
    size: int
    first: bool
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self, folder_name_only: bool = False) -> list[str]:
        """The German lines the command line and the page show (the page names the folder only: no server paths)."""
        lines = [
            texts.PUBLISH_DONE.format(
                folder=f"{self.folder.name}/" if folder_name_only else self.folder,
                pages=fmt_int(self.pages),
                downloads=fmt_int(self.downloads),
                size=human(self.size),
            )
        ]
        if self.first:
            lines.append(texts.PUBLISH_FIRST)
        elif not (self.new or self.changed or self.removed):
            lines.append(texts.PUBLISH_UNCHANGED)
        else:
            lines.append(
                texts.PUBLISH_CHANGES.format(
                    new=fmt_int(len(self.new)),
                    changed=fmt_int(len(self.changed)),
                    removed=fmt_int(len(self.removed)),
                    same=fmt_int(self.unchanged),
                )
            )
        return lines

    def changes(self) -> list[tuple[str, str]]:
        """(path, 'neu' / 'geaendert' / 'entfernt'), sorted by path."""
        out = [(p, "neu") for p in self.new] + [(p, "geaendert") for p in self.changed]
        return sorted(out + [(p, "entfernt") for p in self.removed])


def human(size: int) -> str:
    """'4,9 MB', '812 KB' (German decimal comma)."""
    if size >= 1024 * 1024:
        return f"{fmt_num(size / 1024 / 1024, 1)} MB"
    return f"{max(1, round(size / 1024))} KB"


# -- rendering ---------------------------------------------------------------------------------------------------
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=True,  # every text from files and people is shown as text
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["number"] = lambda n: fmt_int(n)
    env.globals["source_rows"] = lambda site: [
        [i.ind.name, i.ind.source, i.ind.reference_date, i.ind.update_interval] for i in site.indicators
    ]
    return env


def _json_script(data: Any) -> Markup:
    """JSON for a ``<script type="application/json">``: '<', '>' and '&' as escapes, so no text can end the script."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _chart(item: IndicatorContent) -> Markup | None:
    """The chart's figure as JSON (None without any value: the page shows the table only)."""
    if not any(p.value is not None for ln in item.lines for p in ln.points):
        return None
    fig = item.figure()
    fig.update_layout(height=420, margin=dict(l=10, r=10, t=60, b=10))
    spec = json.loads(fig.to_json())
    spec.pop("config", None)
    return _json_script({"data": spec["data"], "layout": spec["layout"]})


def _table(item: IndicatorContent) -> dict[str, Any]:
    """The chart's data table: years as rows, one column per line (suppressed values as their sign)."""
    years = item.years
    cols = [ln.name for ln in item.lines]
    by_line = [{p.year: p for p in ln.points} for ln in item.lines]
    rows = [[str(y)] + [(b[y].text(item.ind.unit) if y in b else "–") for b in by_line] for y in years]
    return {"columns": cols, "rows": rows}


def _breakdowns(item: IndicatorContent, own: str) -> list[dict[str, Any]]:
    """The own Kreis by Deutsche/Ausländer and by sex, where the indicator has such values (the app's
    'Aufschlüsselung'): one table per dimension, years as rows, one column per group."""
    out = []
    head = item.ind.headline_key
    mine = item.values[item.values["region"] == own]
    for dim in ("nationality", "sex"):
        if dim not in item.ind.breakdowns:
            continue
        rows = mine
        for other in DIMENSIONS:
            if other != dim:
                rows = rows[rows[other] == head[other]]
        groups = [g for g in dict.fromkeys(sorted(rows[dim], key=lambda c: (c != TOTAL, c)))]
        if len(groups) < 2 or not rows["value"].notna().any():
            continue
        cells = {
            (int(y), str(g)): Point(int(y), None if pd.isna(v) else float(v), f).text(item.ind.unit)
            for y, g, v, f in zip(rows["year"], rows[dim], rows["value"], rows["flag"])
        }
        years = sorted({y for y, _ in cells})
        out.append(
            {
                "id": f"tab-{dim}",
                "caption": f"{item.ind.name} im {item.lines[0].name if item.lines else own} "
                f"{texts.PUBLISH_BREAKDOWN_BY[dim]} ({item.ind.unit})",
                "columns": ["Jahr", *[charts.GROUP_LABELS.get(g) or wording.code_label(dim, g) for g in groups]],
                "rows": [[str(y), *[cells.get((y, g), "–") for g in groups]] for y in years],
            }
        )
    return out


def _flags(item: IndicatorContent) -> dict[str, str]:
    """The flags this indicator's values carry, with their meaning (the legend under its tables)."""
    used = {f for flags in item.values["flag"] for f in str(flags).split(",") if f}
    return {f: FLAG_TEXT.get(f, "") for f in sorted(used)}


def _fmt_number(v: float) -> str:
    return f"{v:.15g}"


def _open_sdg_csv(item: IndicatorContent, own: str) -> bytes:
    """The values in the tidy Open SDG layout ``Year,Region,<breakdowns>,Units,Value`` (UTF-8, ',' and '.'): the
    headline series of the own Kreis has empty breakdowns; suppressed values (no number) are left out."""
    df = item.values[item.values["value"].notna()]
    dims = [d for d in DIMENSIONS if df[d].nunique() > 1 or (len(df) and (df[d] != TOTAL).any())]
    head = item.ind.headline_key
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["Year", "Region", *[DIM_COLUMNS[d] for d in dims], "Units", "Value"])
    for r in df.to_dict("records"):
        headline = r["region"] == own and all(r[d] == head[d] for d in DIMENSIONS)
        region = "" if headline else safe_text(str(r["region_name"]))
        labels = ["" if headline else wording.code_label(d, r[d]) for d in dims]
        w.writerow([r["year"], region, *[safe_text(x) for x in labels], item.ind.unit, _fmt_number(float(r["value"]))])
    return out.getvalue().encode("utf-8")


def _json_values(item: IndicatorContent) -> bytes:
    """The indicator with all its values (a suppressed one with ``value: null`` and its flag)."""
    ind = item.ind
    records = [
        {
            "jahr": int(r["year"]),
            "regionalschluessel": str(r["region"]),
            "region": str(r["region_name"]),
            **{d: str(r[d]) for d in DIMENSIONS},
            "wert": None if pd.isna(r["value"]) else float(_fmt_number(float(r["value"]))),
            "kennzeichen": r["flag"] or None,
        }
        for r in item.values.to_dict("records")
    ]
    data = {
        "indikator": ind.id,
        "bezeichnung": ind.name,
        "handlungsfeld": item.field.name,
        "einheit": ind.unit,
        "quelle": ind.source,
        "stichtag": ind.reference_date,
        "werte": records,
    }
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def _all_values(content: SiteContent) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(
        [
            "Indikator",
            "Bezeichnung",
            "Year",
            "Regionalschluessel",
            "Region",
            *DIM_COLUMNS.values(),
            "Units",
            "Value",
            "Kennzeichen",
        ]
    )
    for item in content.indicators:
        for r in item.values.to_dict("records"):
            w.writerow(
                [
                    item.ind.id,
                    safe_text(item.ind.name),
                    r["year"],
                    r["region"],
                    safe_text(str(r["region_name"])),
                    *[safe_text(wording.code_label(d, r[d])) for d in DIMENSIONS],
                    item.ind.unit,
                    "" if pd.isna(r["value"]) else _fmt_number(float(r["value"])),
                    r["flag"],
                ]
            )
    return out.getvalue().encode("utf-8")


def render(content: SiteContent) -> dict[str, bytes]:
    """Every file of the site: relative path → bytes."""
    env = _environment()
    files: dict[str, bytes] = {}
    common = {"site": content, "flags": content.flags}

    def page(path: str, template: str, **kw: Any) -> None:
        root = "../" * path.count("/")
        html = env.get_template(template).render(root=root, path=path, **common, **kw)
        files[path] = html.encode("utf-8")

    page("index.html", "start.html", title="Übersicht")
    for f in content.fields:
        page(f"felder/{f.field.id}.html", "feld.html", title=f.field.name, fc=f)
    for item in content.indicators:
        files[f"daten/{item.ind.id}.csv"] = _open_sdg_csv(item, content.own)
        files[f"daten/{item.ind.id}.json"] = _json_values(item)
        page(
            f"indikatoren/{item.ind.id}.html",
            "indikator.html",
            title=item.ind.name,
            item=item,
            chart=_chart(item),
            table=_table(item),
            item_flags=_flags(item),
            breakdowns=_breakdowns(item, content.own),
        )
    files[ALL_VALUES] = _all_values(content)
    page("daten.html", "daten.html", title="Daten zum Herunterladen")
    page("methodik.html", "methodik.html", title="Methodik und Quellen", methods=wording.METHOD_LABELS)
    page("impressum.html", "impressum.html", title="Impressum und Kontakt", no_contact=texts.PUBLISH_NO_CONTACT)
    for name in ("stil.css", "diagramme.js"):
        files[f"assets/{name}"] = (HERE / "static" / name).read_bytes()
    files["assets/plotly.min.js"] = _plotly_js()
    return files


def _plotly_js() -> bytes:
    """Plotly's JavaScript from the installed package (the same version the app uses): nothing from another host."""
    import plotly

    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()


# -- writing -----------------------------------------------------------------------------------------------------
def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _old_manifest(folder: Path) -> dict[str, str] | None:
    """The hashes of the last publication in the folder; None for a new or empty folder; refused for a folder
    with other content (nothing of someone else's is overwritten or removed)."""
    if folder.exists() and not folder.is_dir():
        raise PublishError(texts.PUBLISH_NOT_A_FOLDER.format(folder=folder))
    path = folder / MANIFEST
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return {str(k): str(v) for k, v in dict(data.get("dateien", {})).items()}
        except (OSError, ValueError, AttributeError, TypeError):
            raise PublishError(texts.PUBLISH_FOREIGN_FOLDER.format(folder=folder)) from None
    if folder.exists() and any(folder.iterdir()):
        raise PublishError(texts.PUBLISH_FOREIGN_FOLDER.format(folder=folder))
    return None


def write(files: dict[str, bytes], folder: Path) -> BuildResult:
    """Write the files (only those new or changed), remove the ones of the last publication that are gone, and
    write the manifest; the result says what changed."""
    old = _old_manifest(folder)
    hashes = {p: _digest(b) for p, b in sorted(files.items())}
    previous = old or {}
    result = BuildResult(
        folder=folder,
        pages=sum(1 for p in files if p.endswith(".html")),
        downloads=sum(1 for p in files if p.startswith("daten/")),
        size=sum(len(b) for b in files.values()),
        first=old is None,
    )
    result.new = [p for p in hashes if p not in previous]
    result.changed = [p for p in hashes if p in previous and previous[p] != hashes[p]]
    result.removed = sorted(p for p in previous if p not in hashes)
    result.unchanged = len(hashes) - len(result.new) - len(result.changed)
    try:
        for rel, data in sorted(files.items()):
            target = folder / rel
            if rel in previous and previous[rel] == hashes[rel] and target.is_file():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(target.name + ".neu")
            tmp.write_bytes(data)
            os.replace(tmp, target)
        for rel in result.removed:
            target = folder / rel
            if target.is_file() and ".." not in Path(rel).parts:
                target.unlink()
        manifest = {"dateien": hashes, "hinweis": "Prüfsummen (SHA-256) der veröffentlichten Dateien"}
        (folder / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1) + "\n", "utf-8"
        )
    except OSError as exc:
        raise PublishError(texts.PUBLISH_CANNOT_WRITE.format(folder=folder, reason=exc.strerror or exc)) from exc
    return result


def default_folder(monitor: Monitor) -> Path:
    """MONITOR_PUBLISH_DIR, else ``<folder of the database>/website``; for a tenant other than the installation's
    own Kreis its subfolder named by the key (issue 24: one Kreis's website does not overwrite another's)."""
    folder = monitor.settings.publish_dir or monitor.settings.db_path.parent / "website"
    own = monitor.settings.own_region
    return folder if own == config.settings().own_region else folder / own


def build(monitor: Monitor, folder: Path, user: str | None = None) -> BuildResult:
    """Gather the public content, render it and write it into ``folder`` (Administration; logged)."""
    name = auth.require(auth.PUBLISH, user or monitor.settings.user)
    _old_manifest(Path(folder))  # a foreign folder is refused before any work
    if not monitor.store.scalar("SELECT count(*) FROM indicator_values WHERE value IS NOT NULL"):
        raise PublishError(texts.PUBLISH_NO_VALUES)
    content = gather(monitor)
    result = write(render(content), Path(folder))
    with monitor.store.transaction() as cur:
        Store.audit(
            cur,
            name,
            "website_veroeffentlicht",
            None,
            {
                "seiten": result.pages,
                "dateien": result.downloads,
                "neu": len(result.new),
                "geaendert": len(result.changed),
                "entfernt": len(result.removed),
            },
        )
    return result
