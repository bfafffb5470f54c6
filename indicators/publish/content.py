"""What the public website says, and only what may be public (issue 23).

Public are the indicators the definitions mark ``public`` (the indicator's own flag, else its field's), less those the
settings withhold (``MONITOR_PUBLISH_OHNE``) and those that read a variable loaded from one of the own lists the
settings keep internal (``MONITOR_PUBLISH_INTERN``, names of mapping profiles). Notes only where marked public; no
account names, no audit, no measures. Values are the computed ``indicator_values`` the app shows: small counts are
already suppressed there (``Fz``, secondary ``Fz2``, :mod:`indicators.compute`), so the site reveals nothing the app
hides. Verdicts, sentences and the Steckbrief come from :mod:`indicators.verdicts`, :mod:`indicators.wording` and
:func:`indicators.report.content.profile` – the same words the app shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from indicators import charts, progress, queries, regions, targets, texts, verdicts, wording
from indicators.catalog import FieldOfAction, Indicator
from indicators.config import Settings
from indicators.fmt import count_text, fmt_date, fmt_exact, fmt_value
from indicators.report.content import FLAG_TEXT, profile
from indicators.service import Monitor

#: why an indicator is not on the site
WITHHELD_DEFINITION = "in den Definitionen nicht als öffentlich markiert"
WITHHELD_SETTING = "durch die Einstellung MONITOR_PUBLISH_OHNE zurückgehalten"
WITHHELD_LIST = "liest Daten aus einer intern gehaltenen eigenen Liste ({lists})"


@dataclass(frozen=True)
class Withheld:
    id: str
    name: str
    reason: str


@dataclass
class Point:
    year: int
    value: float | None
    flag: str

    def text(self, unit: str) -> str:
        """'12,3 %', '12,3 % (p)', 'Fz (kein Wert)' – a suppressed value is a sign, never a number."""
        if self.value is None:
            return f"{self.flag or '–'} (kein Wert)" if self.flag else "–"
        return fmt_value(self.value, unit) + (f" ({self.flag})" if self.flag else "")


@dataclass
class Line:
    region: str
    name: str
    points: list[Point]


@dataclass
class Comparison:
    year: int
    rows: list[list[str]]  # region, level, value (as text, a suppressed one as its sign)
    rank: str  # '' or 'Rang 3 von 45 Kreisen …'


@dataclass
class IndicatorContent:
    ind: Indicator
    field: FieldOfAction
    status: verdicts.IndicatorStatus
    lines: list[Line]  # the own Kreis, its Land, Deutschland (where they have values)
    notes: list[tuple[int, str]]  # public notes: this indicator's and the general ones
    profile: dict[str, str]
    comparison: Comparison | None
    values: pd.DataFrame  # every public value: region, region_name, year, breakdowns, value, flag

    @property
    def verdict(self) -> progress.Verdict:
        return self.status.verdict

    @property
    def latest_text(self) -> str:
        latest = self.status.latest
        return f"{fmt_value(latest[1], self.ind.unit)} ({latest[0]})" if latest else "–"

    @property
    def target_text(self) -> str:
        t = self.status.target
        return f"{fmt_exact(t.target_value, self.ind.unit)} bis {t.target_year}" if t else "kein Ziel festgelegt"

    @property
    def sentence(self) -> str:
        return wording.one_sentence(self.ind, self.verdict)

    @property
    def method_text(self) -> str:
        if self.ind.direction == "context":
            return ""
        return wording.METHOD_LABELS.get(self.status.method, self.status.method)

    @property
    def direction_text(self) -> str:
        return texts.DIRECTION_TEXT[self.ind.direction]

    @property
    def years(self) -> list[int]:
        return sorted({p.year for line in self.lines for p in line.points})

    def figure(self) -> Any:
        """The trend chart as the app draws it (the Landkreis first, its target and projection, the notes)."""
        rows = [
            {"region": ln.region, "label": ln.name, "year": p.year, "value": p.value, "flag": p.flag or None}
            for ln in self.lines
            for p in ln.points
        ]
        data = pd.DataFrame(rows, columns=["region", "label", "year", "value", "flag"])
        data["value"] = data["value"].astype("float64")
        fig = charts.trend(self.ind, data, "region", label_col="label")
        t = self.status.target
        if t is not None:
            charts.add_target(
                fig, self.ind, t.target_year, t.target_value, self.status.soll_path(), list(self.verdict.projection)
            )
        charts.add_notes(fig, self.notes)
        return fig

    def chart_text(self) -> str:
        """The chart's text alternative: what it shows, first and latest value of each line, the target."""
        parts = [f"Liniendiagramm „{self.ind.name}“ ({self.ind.unit})."]
        for ln in self.lines:
            with_value = [p for p in ln.points if p.value is not None]
            if not with_value:
                continue
            first, last = with_value[0], with_value[-1]
            if first.year == last.year:
                parts.append(f"{ln.name}: {first.text(self.ind.unit)} im Jahr {first.year}.")
            else:
                parts.append(
                    f"{ln.name}: {first.text(self.ind.unit)} im Jahr {first.year}, "
                    f"{last.text(self.ind.unit)} im Jahr {last.year}."
                )
        t = self.status.target
        if t is not None:
            parts.append(f"Ziel: {fmt_exact(t.target_value, self.ind.unit)} bis {t.target_year}.")
        parts.append("Alle Werte stehen in der Tabelle darunter.")
        return " ".join(parts)


@dataclass
class FieldContent:
    field: FieldOfAction
    rollup: dict[str, Any]
    indicators: list[IndicatorContent]

    @property
    def rollup_text(self) -> str:
        r = self.rollup
        return f"{r['symbol']} {r['label']}" + wording.rollup_details(r)


@dataclass
class SiteContent:
    title: str
    own: str
    own_name: str
    stand: str
    demo: bool
    fields: list[FieldContent]
    withheld: list[Withheld]
    imprint: list[str]  # paragraphs
    contact: str
    min_count: int
    flags: dict[str, str] = field(default_factory=dict)

    @property
    def indicators(self) -> list[IndicatorContent]:
        return [i for f in self.fields for i in f.indicators]


def internal_variables(monitor: Monitor) -> dict[str, list[str]]:
    """Variables with current values loaded from an own list the settings keep internal: variable → list names."""
    lists = list(monitor.settings.publish_internal_lists)
    if not lists:
        return {}
    rows = monitor.store.query(
        """SELECT o.variable, list_sort(list(DISTINCT json_extract_string(u.assumptions, '$.Zuordnungsprofil')))
           FROM obs_current o JOIN uploads u ON u.id = o.upload_id
           WHERE u.format = 'zuordnung' AND list_contains(?, json_extract_string(u.assumptions, '$.Zuordnungsprofil'))
           GROUP BY o.variable""",
        [lists],
    )
    return {str(r[0]): [str(x) for x in r[1]] for r in rows}


def selection(monitor: Monitor) -> tuple[list[Indicator], list[Withheld]]:
    """The indicators on the site (catalog order) and those withheld, each with its reason."""
    cat, s = monitor.catalog, monitor.settings
    internal = internal_variables(monitor)
    public: list[Indicator] = []
    withheld: list[Withheld] = []
    for ind in cat.indicators.values():
        lists = sorted({name for v in ind.variables() for name in internal.get(v, [])})
        if not cat.is_public(ind):
            withheld.append(Withheld(ind.id, ind.name, WITHHELD_DEFINITION))
        elif ind.id in s.publish_withheld:
            withheld.append(Withheld(ind.id, ind.name, WITHHELD_SETTING))
        elif lists:
            withheld.append(Withheld(ind.id, ind.name, WITHHELD_LIST.format(lists=", ".join(lists))))
        else:
            public.append(ind)
    return public, withheld


def setup_warnings(settings: Settings) -> list[str]:
    """What the administration should set before publishing (imprint, contact), naming the settings; the public site
    itself only says neutrally that the details follow."""
    out = []
    if settings.publish_imprint is None:
        out.append(texts.PUBLISH_MISSING_IMPRINT)
    if not settings.publish_contact:
        out.append(texts.PUBLISH_MISSING_CONTACT)
    return out


def _imprint(monitor: Monitor) -> list[str]:
    """The imprint's paragraphs from MONITOR_PUBLISH_IMPRESSUM (a UTF-8 text file); a note where none is set."""
    path = monitor.settings.publish_imprint
    if path is None:
        return [texts.PUBLISH_NO_IMPRINT]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        from indicators.errors import UserError

        raise UserError(texts.PUBLISH_IMPRINT_UNREADABLE.format(name=path.name)) from None
    return [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _lines(frame: pd.DataFrame, keys: list[str], names: dict[str, str]) -> list[Line]:
    out = []
    for key in keys:
        rows = frame[frame["region"] == key].sort_values("year")
        if rows["value"].notna().any():
            points = [
                Point(int(y), None if pd.isna(v) else float(v), f if isinstance(f, str) else "")
                for y, v, f in zip(rows["year"], rows["value"], rows["flag"])
            ]
            out.append(Line(key, names.get(key, key), points))
    return out


def _comparison(monitor: Monitor, ind: Indicator, own: str) -> Comparison | None:
    """The Landkreis against its Land, Deutschland and the neighbours in the latest year with a comparison value."""
    store = monitor.store
    shown = regions.compared(own, regions.default_comparison(store, ind, own, monitor.settings))
    years = regions.years(store, ind, shown[1:])
    if not years:
        return None
    year = years[-1]
    rows = regions.comparison_rows(store, ind, year, shown)
    if len(rows) < 2:
        return None
    rank = regions.land_rank(store, ind, year, own, monitor.settings)
    rank_text = (
        texts.REG_RANK.format(
            rank=rank.rank,
            count=rank.count,
            land=rank.land_name,
            year=year,
            order=texts.REG_RANK_BEST if rank.best_first else texts.REG_RANK_HIGHEST,
        )
        if rank
        else ""
    )
    table = [
        [
            str(r["name"]),
            str(r["level"]),
            Point(
                year,
                None if pd.isna(r["value"]) else float(r["value"]),
                r["flag"] if isinstance(r["flag"], str) else "",
            ).text(ind.unit),
        ]
        for r in rows.to_dict("records")
    ]
    return Comparison(year, table, rank_text)


def _values(monitor: Monitor, ids: list[str]) -> dict[str, pd.DataFrame]:
    """Every computed value of the public indicators, per indicator (suppressed ones are empty with their flag)."""
    df = monitor.store.query_df(
        """SELECT v.indicator, v.region, coalesce(r.name, v.region) AS region_name, v.year, v.nationality, v.sex,
                  v.age_group, v.category, v.value, v.flag
           FROM indicator_values v LEFT JOIN regions r ON r.key = v.region
           WHERE list_contains(?, v.indicator)
           ORDER BY v.indicator, v.region, v.year, v.nationality, v.sex, v.age_group, v.category""",
        [ids],
    )
    df["year"] = df["year"].astype("int64")
    df["flag"] = [f if isinstance(f, str) else "" for f in df["flag"]]
    return {str(k): g.drop(columns="indicator").reset_index(drop=True) for k, g in df.groupby("indicator")}


def gather(monitor: Monitor) -> SiteContent:
    """Everything the website shows, public parts only."""
    store, cat, own = monitor.store, monitor.catalog, monitor.settings.own_region
    imprint = _imprint(monitor)  # an unreadable imprint file stops before any work
    public, withheld = selection(monitor)
    own_name = regions.region_name(store, own)
    land, de = own[:2], "DG"
    names = {own: own_name, land: regions.region_name(store, land), de: "Deutschland"}
    statuses = verdicts.all_statuses(store, cat, own)
    head = {key: queries.headline_series(store, cat, key, public) for key in (own, land, de)}
    frames = pd.concat([h.assign(region=k) for k, h in head.items() if len(h)], ignore_index=True)
    notes = targets.public_notes(store)
    values = _values(monitor, [i.id for i in public])
    empty = pd.DataFrame(
        columns=["region", "region_name", "year", "nationality", "sex", "age_group", "category", "value", "flag"]
    )
    by_field: dict[str, list[IndicatorContent]] = {}
    for ind in public:
        frame = frames[frames["indicator"] == ind.id] if len(frames) else frames
        by_field.setdefault(ind.field, []).append(
            IndicatorContent(
                ind=ind,
                field=cat.fields[ind.field],
                status=statuses[ind.id],
                lines=_lines(frame, [own, land, de], names) if len(frame) else [],
                notes=[(y, t) for i, y, t in notes if i is None or i == ind.id],
                # the Steckbrief as the app shows it; the description stands at the top of the page already
                profile={k: v for k, v in profile(monitor, ind).items() if k not in ("Kennung", "Beschreibung")},
                comparison=_comparison(monitor, ind, own),
                values=values.get(ind.id, empty),
            )
        )
    fields = [
        FieldContent(f, progress.rollup([e.verdict for e in by_field[f.id]], combine=f.rollup), by_field[f.id])
        for f in cat.ordered_fields()
        if f.id in by_field
    ]
    uploaded = store.scalar("SELECT max(uploaded_at) FROM uploads WHERE status = 'aktiv'")
    used = {f for v in values.values() for flags in v["flag"] for f in flags.split(",") if f}
    return SiteContent(
        title=f"Integrationsmonitor {own_name}",
        own=own,
        own_name=own_name,
        stand=fmt_date(uploaded) if uploaded else "–",
        demo=store.has_demo_data(),
        fields=fields,
        withheld=withheld,
        imprint=imprint,
        contact=monitor.settings.publish_contact,
        min_count=monitor.settings.min_count,
        flags={f: FLAG_TEXT.get(f, "") for f in sorted(used)},
    )


@dataclass
class Preview:
    """What a publication would show, for the Administration before it builds: the public indicators (field,
    name), those withheld with their reason, and the public notes (year, indicator name or 'alle', text)."""

    public: list[tuple[str, str]]
    withheld: list[Withheld]
    notes: list[tuple[int, str, str]]
    #: what is not set up yet (imprint, contact), naming the settings
    warnings: list[str] = field(default_factory=list)

    @property
    def field_count(self) -> int:
        return len({f for f, _ in self.public})

    @property
    def count_line(self) -> str:
        """'12 Indikatoren in 7 Handlungsfeldern, 1 öffentliche Notiz.' (singular where it is one)."""
        return texts.PUBLISH_PUBLIC_COUNT.format(
            n=count_text(len(self.public), "Indikator", "Indikatoren"),
            f=count_text(self.field_count, "Handlungsfeld", "Handlungsfeldern"),
            notes=count_text(len(self.notes), "öffentliche Notiz", "öffentliche Notizen"),
        )


def preview(monitor: Monitor) -> Preview:
    """The preview of the Verwaltung page (quick: no verdicts, no charts)."""
    cat = monitor.catalog
    public, withheld = selection(monitor)
    shown = {i.id for i in public}
    notes = [
        (year, cat.indicators[i].name if i in cat.indicators else i, text) if i else (year, "alle Indikatoren", text)
        for i, year, text in targets.public_notes(monitor.store)
        if i is None or i in shown
    ]
    return Preview(
        [(cat.fields[i.field].name, i.name) for i in public], withheld, notes, setup_warnings(monitor.settings)
    )
