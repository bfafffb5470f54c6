"""The Integrationsbericht as PDF (fpdf2): A4, cover, table of contents, summary, one section per field of action
(question, table, charts with the verdict's explanation, source and Stand), annex (Steckbriefe, flags, symbols).
Title, author and language are set, the outline mirrors the contents, every chart carries an alternative text.
Printed in black and white, symbols, words and line styles carry the meaning, never colour alone."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from fpdf import FPDF
from fpdf.fonts import FontFace

from indicators import texts
from indicators.fmt import fmt_date
from indicators.report import figures as figs
from indicators.report.content import FLAG_TEXT, FieldEntry, IndicatorEntry, Report, ReportError, profile
from indicators.report.render import Deadline
from indicators.service import Monitor
from indicators.wording import STATUS_LABELS, STATUS_SYMBOLS

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF")
FONT = "DejaVu"
INK = (17, 17, 17)
GREY = (90, 90, 90)
TOC_FIRST, TOC_MORE = 40, 46  # lines of the table of contents on its first and further pages


def font_file(name: str) -> Path:
    from indicators import config

    for d in [x for x in (config.settings().font_dir, *FONT_DIRS) if x]:
        if (Path(d) / name).exists():
            return Path(d) / name
    raise ReportError(
        f"Die Schrift {name} fehlt auf dem Server (Debian: apt-get install fonts-dejavu-core; "
        "anderer Ort: Umgebungsvariable MONITOR_FONT_DIR)."
    )


class _Pdf(FPDF):
    def __init__(self, report: Report):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report = report
        self.add_font(FONT, "", str(font_file("DejaVuSans.ttf")))
        self.add_font(FONT, "B", str(font_file("DejaVuSans-Bold.ttf")))
        self.add_font(FONT, "I", str(font_file("DejaVuSans-Oblique.ttf")))
        self.set_margins(18, 22, 18)
        self.set_auto_page_break(True, margin=20)
        self.set_text_color(*INK)

    def header(self) -> None:
        if self.report.demo:  # on every page, the cover too
            self.set_xy(self.l_margin, 8)
            self.set_font(FONT, "B", 9)
            self.set_draw_color(0, 0, 0)
            self.cell(0, 6, texts.DEMO_BADGE + " – alle Zahlen erfunden", border=1, align="C")
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"Integrationsbericht {self.report.year} · Landkreis Peine", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Seite {self.page_no()} von {{nb}}", align="R")
        self.set_text_color(*INK)

    def multi_cell(self, w: float, h: float | None = None, text: str = "", *args: Any, **kwargs: Any) -> Any:
        """Continue below at the left margin unless told otherwise (fpdf2 would continue to the right)."""
        kwargs.setdefault("new_x", "LMARGIN")
        kwargs.setdefault("new_y", "NEXT")
        kwargs.setdefault("align", "L")  # justified text spreads words apart in the narrow column
        return super().multi_cell(w, h, text, *args, **kwargs)

    # -- small helpers -------------------------------------------------------------------------
    def h1(self, text: str, level: int = 0) -> None:
        self.start_section(text, level=level)
        self.set_font(FONT, "B", 17 if level == 0 else 12)
        self.multi_cell(0, 8 if level == 0 else 6, text)
        self.ln(1 if level else 2)

    def para(self, text: str, size: float = 9.5, style: str = "", h: float = 4.6) -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, h, text)

    def room(self, mm: float) -> None:
        if self.get_y() + mm > self.h - self.b_margin:
            self.add_page()


def _toc_pages(n_lines: int) -> int:
    return 1 if n_lines <= TOC_FIRST else 1 + math.ceil((n_lines - TOC_FIRST) / TOC_MORE)


def _render_toc(pdf: _Pdf, outline: Any) -> None:
    pdf.set_x(pdf.l_margin)
    pdf.set_font(FONT, "B", 17)
    pdf.cell(0, 9, "Inhalt", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    limit = TOC_FIRST
    for n, sec in enumerate(outline):
        if n == limit:
            pdf.add_page()
            limit += TOC_MORE
        indent = 6 * sec.level
        pdf.set_font(FONT, "B" if sec.level == 0 else "", 10 if sec.level == 0 else 9)
        link = pdf.add_link(page=sec.page_number)
        pdf.set_x(pdf.l_margin + indent)
        width = pdf.epw - indent - 14
        name = sec.name if pdf.get_string_width(sec.name) <= width else sec.name[:75] + " …"
        pdf.cell(width, 5.5, name, link=link)
        pdf.cell(14, 5.5, str(sec.page_number), align="R", link=link, new_x="LMARGIN", new_y="NEXT")


def _cover(pdf: _Pdf, monitor: Monitor, report: Report) -> None:
    pdf.add_page()
    pdf.set_y(60)
    pdf.set_font(FONT, "B", 28)
    pdf.multi_cell(0, 13, f"Integrationsbericht {report.year}")
    pdf.set_font(FONT, "", 15)
    pdf.multi_cell(0, 8, "Landkreis Peine – Integrationsmonitor")
    pdf.ln(4)
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(0, 6, texts.APP_SUBTITLE)
    pdf.ln(10)
    fields = ", ".join(f.field.name for f in report.fields)
    extra = sorted({report.entries[0].region_names[r] for e in report.entries for r in e.regions[1:]})
    for label, value in (
        ("Berichtsjahr", str(report.year)),
        ("Stand der Daten", report.stand.split(": ", 1)[1]),
        ("Erstellt am", report.created.strftime("%d.%m.%Y")),
        ("Handlungsfelder", fields),
        ("Indikatoren", str(len(report.entries))),
        ("Regionen", ", ".join(["Landkreis Peine", *extra])),
    ):
        pdf.set_font(FONT, "B", 10)
        pdf.cell(42, 6, label)
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    if report.demo:
        pdf.ln(10)
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(0, 7, texts.DEMO_BADGE, border="LTR", padding=(2, 3, 0, 3))
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(
            0,
            5.5,
            "Alle Zahlen in diesem Bericht sind erfunden und dienen nur der Vorführung.",
            border="LBR",
            padding=(0, 3, 2, 3),
        )


def _summary(pdf: _Pdf, report: Report) -> None:
    """On the page the table of contents' placeholder opened."""
    pdf.h1("Zusammenfassung")
    pdf.para(
        f"Bewertung je Handlungsfeld für {report.year} (Landkreis Peine). Das Symbol und die Worte tragen die "
        "Bewertung; die mittlere Bewertung liegt auf der Skala von -5 (Verschlechterung) bis +5."
    )
    pdf.ln(2)
    pdf.set_font(FONT, "", 8.5)
    with pdf.table(
        col_widths=(48, 42, 84),
        line_height=4.4,
        text_align="LEFT",
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
    ) as t:
        t.row(["Handlungsfeld", "Bewertung", "Einzelheiten"])
        for f in report.fields:
            r = f.rollup
            t.row([f.field.name, f"{r['symbol']} {r['label']}", f.rollup_text.split(" · ", 1)[1]])
    better, worse = report.movers()
    for title, items in (
        ("Am stärksten verbessert gegenüber dem Vorjahr", better),
        ("Am stärksten verschlechtert gegenüber dem Vorjahr", worse),
    ):
        pdf.ln(4)
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(0, 6, title)
        pdf.set_font(FONT, "", 9)
        if not items:
            pdf.multi_cell(0, 5, "– keiner –")
        for e in items:
            pdf.multi_cell(
                0,
                5,
                f"• {e.ind.name}: {e.value_text} ({cast('tuple[int, float]', e.latest)[0]}), {e.change_text}; Bewertung {e.verdict_text}",
                new_x="LMARGIN",
                new_y="NEXT",
            )


def _field_table(pdf: _Pdf, report: Report, entries: list[IndicatorEntry]) -> None:
    pdf.set_font(FONT, "", 8)
    with pdf.table(
        col_widths=(52, 22, 40, 24, 36),
        line_height=4.2,
        text_align="LEFT",
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
    ) as t:
        t.row(["Indikator", "Wert", "Veränderung zum Vorjahr", "Ziel", "Bewertung"])
        for e in entries:
            year = f" ({e.latest[0]})" if e.latest and e.latest[0] != report.year else ""
            t.row([e.ind.name, e.value_text + year, e.change_text, e.target_text, e.verdict_text])


def _field_measures(pdf: _Pdf, report: Report, f: FieldEntry, show: int = 8) -> None:
    """The strategy's other half (issue 12): the field's measures by state, the late ones with their reason."""
    pdf.para(f"Maßnahmen (Stand {fmt_date(report.created)}): {f.measures}", size=9.5, style="B")
    if not f.late_measures:
        return
    pdf.ln(1)
    pdf.set_font(FONT, "", 8)
    with pdf.table(
        col_widths=(16, 62, 24, 72),
        line_height=4.2,
        text_align="LEFT",
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
    ) as t:
        t.row(["Nr.", "Verzögerte und gefährdete Maßnahmen", "Stand", "Grund"])
        for m in f.late_measures[:show]:
            t.row([m.id, m.title, m.state, m.reason])
    if len(f.late_measures) > show:
        pdf.para(f"… und {len(f.late_measures) - show} weitere (Seite Maßnahmen).", size=8.5)


def _indicator_block(pdf: _Pdf, e: IndicatorEntry, images: dict[Any, Any]) -> None:
    trend = images.get((e.ind.id, "verlauf"))
    breakdown = images.get((e.ind.id, "aufschluesselung"))
    pdf.room(80 if trend else 30)
    pdf.h1(e.ind.name, level=1)
    chart_w, chart_h = 108, 60.75
    text_x = pdf.l_margin + chart_w + 4
    text_w = pdf.epw - chart_w - 4
    top = pdf.get_y()
    if trend:
        pdf.image(
            io.BytesIO(trend),
            x=pdf.l_margin,
            y=top,
            w=chart_w,
            h=chart_h,
            alt_text=f"Verlauf {e.ind.name}: {e.value_text} im Jahr {e.latest[0] if e.latest else '–'}",
        )
    pdf.set_xy(text_x if trend else pdf.l_margin, top)
    w = text_w if trend else 0
    pdf.set_font(FONT, "B", 9.5)
    pdf.multi_cell(w, 4.8, f"Bewertung: {e.verdict_text}", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "", 8.5)
    lines = [
        e.sentence,
        f"Wert {e.latest[0] if e.latest else ''}: {e.value_text}",
        f"Veränderung: {e.change_text}",
        f"Ziel: {e.target_text}",
        f"Verfahren: {e.method_text}",
    ]
    for line in lines:
        pdf.multi_cell(w, 4.2, line, new_x="LEFT", new_y="NEXT")
        pdf.set_xy(pdf.get_x(), pdf.get_y() + 0.6)
    pdf.set_y(max(pdf.get_y(), top + (chart_h if trend else 0)) + 2)
    pdf.set_x(pdf.l_margin)
    pdf.set_font(FONT, "", 8.5)
    pdf.multi_cell(0, 4.2, e.verdict.explanation, new_x="LMARGIN", new_y="NEXT")
    if trend and e.notes:
        pdf.set_font(FONT, "", 7.5)
        pdf.multi_cell(0, 3.8, "Notizen im Diagramm: " + e.notes_text, new_x="LMARGIN", new_y="NEXT")
    if breakdown:
        pdf.room(chart_h + 6)
        top = pdf.get_y() + 1
        pdf.image(
            io.BytesIO(breakdown),
            x=pdf.l_margin,
            y=top,
            w=chart_w,
            h=chart_h,
            alt_text=f"{e.ind.name} {figs.BREAKDOWN_TITLES[e.breakdown]}",
        )
        pdf.set_xy(text_x, top)
        pdf.set_font(FONT, "", 8.5)
        pdf.multi_cell(
            text_w,
            4.2,
            f"Aufschlüsselung {figs.BREAKDOWN_TITLES[e.breakdown]} (Landkreis Peine, "
            f"Hauptreihe des Indikators je Gruppe).",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_y(top + chart_h + 1)
    pdf.set_font(FONT, "I", 7.5)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(0, 3.8, e.stand_text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.ln(4)


def _annex(pdf: _Pdf, monitor: Monitor, report: Report) -> None:
    pdf.add_page()
    pdf.h1("Anhang: Steckbriefe der Indikatoren")
    for e in report.entries:
        pdf.room(40)
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(0, 5.5, e.ind.name, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 7.5)
        with pdf.table(col_widths=(38, 136), line_height=3.8, text_align="LEFT", first_row_as_headings=False) as t:
            for k, v in profile(monitor, e.ind).items():
                t.row([k, str(v)])
        pdf.ln(3)
    pdf.add_page()
    pdf.h1("Anhang: Kennzeichen und Bewertungssymbole")
    _legend(
        pdf, "Kennzeichen an Werten (amtliche Zeichen und solche, die der Monitor setzt):", "Zeichen", FLAG_TEXT.items()
    )
    pdf.ln(4)
    _legend(
        pdf,
        "Bewertungssymbole (Open SDG, Wettersymbole, Sollpfad):",
        "Symbol",
        ((symbol, STATUS_LABELS.get(status, status)) for status, symbol in STATUS_SYMBOLS.items()),
    )


def write_pdf(
    monitor: Monitor,
    report: Report,
    progress: Callable[[float, str], object] | None = None,
    deadline: Deadline | None = None,
) -> bytes:
    """The PDF as bytes; ``progress(share, text)`` reports the steps (charts take most of the time)."""
    say = progress or (lambda share, text: None)
    # JPEG from the browser goes into the PDF as it is (a PNG would be decoded and packed again: 2 s for the full
    # report); at 1024 px for 108 mm (240 dpi) lines and labels stay sharp
    images = figs.chart_images(monitor, report, False, "jpeg", figs.PRINT_SIZE, 1.6, say, deadline)
    say(0.88, "PDF wird gesetzt …")
    pdf = _Pdf(report)
    pdf.set_title(f"Integrationsbericht {report.year} – Landkreis Peine")
    pdf.set_author("Landkreis Peine, Stabsstelle Migration und Teilhabe")
    pdf.set_subject(
        "Integrationsmonitor: Indikatoren, Ziele und Bewertungen" + (f" – {texts.DEMO_BADGE}" if report.demo else "")
    )
    pdf.set_creator("Integrationsmonitor Landkreis Peine")
    pdf.set_lang("de-DE")
    pdf.set_display_mode("fullpage", "continuous")
    _cover(pdf, monitor, report)
    pdf.add_page()
    n_toc = 1 + sum(1 + len(f.entries) for f in report.fields) + 2
    pdf.insert_toc_placeholder(_render_toc, pages=_toc_pages(n_toc))  # type: ignore[arg-type]  # (called with our _Pdf)
    _summary(pdf, report)
    for f in report.fields:
        pdf.add_page()
        pdf.h1(f.field.name)
        if f.field.description:
            pdf.para(f.field.description, size=10, style="I", h=5)
            pdf.ln(2)
        pdf.para(f"Bewertung des Handlungsfelds: {f.rollup_text}", size=9.5, style="B")
        pdf.ln(2)
        _field_table(pdf, report, f.entries)
        pdf.ln(3)
        _field_measures(pdf, report, f)
        pdf.ln(5)
        for e in f.entries:
            _indicator_block(pdf, e, images)
    _annex(pdf, monitor, report)
    data = bytes(pdf.output())
    say(1.0, "fertig")
    return data


def _legend(pdf: _Pdf, intro: str, head: str, rows: Any) -> None:
    """An annex table: a sign or symbol and its meaning."""
    pdf.para(intro)
    pdf.ln(1)
    pdf.set_font(FONT, "", 8.5)
    with pdf.table(
        col_widths=(20, 154),
        line_height=4.2,
        text_align="LEFT",
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
    ) as t:
        t.row([head, "Bedeutung"])
        for sign, meaning in rows:
            t.row([sign, meaning])
