"""The Integrationsbericht as PDF (fpdf2): A4, cover, table of contents, summary, one section per field of action
(question, table, the strategy's chain, measures, then per indicator its heading, charts, verdict, source and Stand),
annex (Steckbriefe, flags, symbols). Printed in black and white, symbols, words and line styles carry the meaning,
never colour alone.

Tagged for BITV 2.0 / PDF/UA (issue 25): document language ``de``, title shown as the window's title, a structure
tree in reading order (``H1``–``H3``, ``P``, ``Table``/``TR``/``TH``/``TD``, ``Figure`` with its alternative text,
``TOC``/``TOCI``), page furniture (running heads, page numbers, rules, cell frames) marked as artifacts. fpdf2 tags
only figures and outline titles itself (always as ``Figure``), so the tags are written here with fpdf2's structure
tree objects.

Layout: every page break is decided here (no automatic break inside a tagged text): a heading keeps with what
follows, an indicator's heading, charts and texts stay on one page, a table row never splits and a table's heading
row is repeated on the next page."""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from fpdf import FPDF
from fpdf.prefs import ViewerPreferences
from fpdf.structure_tree import StructElem, StructureTreeBuilder

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
HEAD_FILL = (230, 230, 230)
TOC_FIRST, TOC_MORE = 40, 46  # lines of the table of contents on its first and further pages
#: one scale of type sizes (pt) for the whole report: title page, headings, text, tables, notes
SIZE = {"title": 28, "h1": 17, "h2": 12, "h3": 10.5, "text": 9.5, "small": 8.5, "table": 8, "note": 7.5}
LINE = {"h1": 8.0, "h2": 6.0, "h3": 5.2, "text": 4.6, "small": 4.2, "table": 3.9, "note": 3.8}
CHART_W, CHART_H = 108.0, 60.75  # mm, 16:9 like the images (640 × 360)
PAD = 1.2  # mm inside a table cell


def font_file(name: str) -> Path:
    from indicators import config

    for d in [x for x in (config.settings().font_dir, *FONT_DIRS) if x]:
        if (Path(d) / name).exists():
            return Path(d) / name
    raise ReportError(
        f"Die Schrift {name} fehlt auf dem Server (Debian: apt-get install fonts-dejavu-core; "
        "anderer Ort: Umgebungsvariable MONITOR_FONT_DIR)."
    )


class _Tree(StructureTreeBuilder):
    """fpdf2's structure tree with nesting (Table → TR → TD, TOC → TOCI): every element is written out, the marked
    content ids are counted per page here."""

    def __init__(self) -> None:
        super().__init__()
        self.elems: list[StructElem] = []
        self.mcids: dict[int, int] = {}

    def next_mcid_for_page(self, page_number: int) -> int:
        n = self.mcids.get(page_number, 0)
        self.mcids[page_number] = n + 1
        return n

    def __iter__(self) -> Iterator[Any]:
        yield self.struct_tree_root
        yield self.doc_struct_elem
        yield self.struct_tree_root.parent_tree
        yield from self.elems


class _Pdf(FPDF):
    def __init__(self, report: Report):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report = report
        self.add_font(FONT, "", str(font_file("DejaVuSans.ttf")))
        self.add_font(FONT, "B", str(font_file("DejaVuSans-Bold.ttf")))
        self.add_font(FONT, "I", str(font_file("DejaVuSans-Oblique.ttf")))
        self.set_margins(18, 22, 18)
        self.set_auto_page_break(False, margin=20)  # every break is decided here (see the module's text)
        self.set_text_color(*INK)
        self.tree = _Tree()
        self.struct_builder = self.tree
        self.toc_head: StructElem | None = None  # the contents' heading and list, placed where they are read
        self.toc_elem: StructElem | None = None

    # -- tags ------------------------------------------------------------------------------------------------------
    def elem(
        self, kind: str, parent: StructElem | None = None, alt: str | None = None, title: str | None = None
    ) -> StructElem:
        """A structure element (``/H1``, ``/Table`` …) under ``parent`` (the document), starting on this page;
        ``title``: its /T (a heading's words, for tools that list the structure)."""
        owner = parent or self.tree.doc_struct_elem
        el = StructElem(struct_type=f"/{kind}", parent=owner, kids=[], page_number=self.page, alt=alt, title=title)
        if parent is not None:
            el.pg = cast("Any", self.pages[self.page])  # fpdf2 sets the page only for the document's direct children
        cast("Any", owner.k).append(el)
        self.tree.elems.append(el)
        return el

    @contextmanager
    def tag(
        self,
        kind: str,
        parent: StructElem | None = None,
        alt: str | None = None,
        into: StructElem | None = None,
        title: str | None = None,
    ) -> Iterator[StructElem]:
        """Content drawn inside is the element's (one marked-content sequence on this page); ``into``: an element
        made earlier (the contents' heading, placed in reading order before the contents were known)."""
        el = into or self.elem(kind, parent, alt, title)
        mcid = self.tree.next_mcid_for_page(self.page)
        cast("Any", el.k).append(mcid)
        spid = self.tree.spid_per_page_number.setdefault(self.page, len(self.tree.spid_per_page_number))
        self.pages[self.page].struct_parents = spid
        self.tree.struct_tree_root.parent_tree.nums[spid].append(el)
        start = self.page
        self._out(f"/{kind} <</MCID {mcid}>> BDC")
        yield el
        if self.page != start:  # never: every break is decided before a tagged text
            raise RuntimeError("Seitenwechsel in einem ausgezeichneten Text")
        self._out("EMC")

    @contextmanager
    def artifact(self) -> Iterator[None]:
        """Page furniture: running heads, page numbers, frames (not read out)."""
        self._out("/Artifact BMC")
        yield
        self._out("EMC")

    # -- page furniture --------------------------------------------------------------------------------------------
    def header(self) -> None:
        with self.artifact():
            if self.report.demo:  # on every page, the cover too
                self.set_xy(self.l_margin, 8)
                self.set_font(FONT, "B", 9)
                self.set_draw_color(0, 0, 0)
                self.cell(0, 6, texts.DEMO_BADGE + " – alle Zahlen erfunden", border=1, align="C")
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self) -> None:
        with self.artifact():
            self.set_y(-14)
            self.set_font(FONT, "", 8)
            self.set_text_color(*GREY)
            self.cell(0, 5, f"Integrationsbericht {self.report.year} · {self.report.own_name}", align="L")
            self.set_x(self.l_margin)
            self.cell(0, 5, f"Seite {self.page_no()} von {{nb}}", align="R")
            self.set_text_color(*INK)

    def multi_cell(self, w: float, h: float | None = None, text: str = "", *args: Any, **kwargs: Any) -> Any:
        """Continue below at the left margin unless told otherwise (fpdf2 would continue to the right)."""
        kwargs.setdefault("new_x", "LMARGIN")
        kwargs.setdefault("new_y", "NEXT")
        kwargs.setdefault("align", "L")  # justified text spreads words apart in the narrow column
        return super().multi_cell(w, h, text, *args, **kwargs)

    # -- measuring and breaking ------------------------------------------------------------------------------------
    @property
    def bottom(self) -> float:
        return self.h - self.b_margin

    def wrap(self, text: str, w: float = 0) -> list[str]:
        """``text`` broken into lines ``w`` mm wide (0: to the right margin) in the current font, at spaces (a word
        longer than the line at a character). fpdf2's own line breaking took a third of the report's time."""
        avail = (w or (self.w - self.r_margin - self.get_x())) - 2 * self.c_margin
        space = self.get_string_width(" ")
        out = []
        for paragraph in text.split("\n"):
            line, width = "", 0.0
            for word in paragraph.split(" "):
                ww = self.get_string_width(word)
                if line and width + space + ww <= avail:
                    line, width = line + " " + word, width + space + ww
                    continue
                if line:
                    out.append(line)
                while ww > avail and len(word) > 1:  # (a long word: as much as fits, the rest on the next line)
                    k = len(word) - 1
                    while k > 1 and self.get_string_width(word[:k]) > avail:
                        k -= 1
                    out.append(word[:k])
                    word = word[k:]
                    ww = self.get_string_width(word)
                line, width = word, ww
            out.append(line)
        return out

    def write_text(self, text: str, h: float, w: float = 0, new_x: str = "LMARGIN") -> None:
        """``text`` left-aligned in lines of ``h`` mm (:meth:`wrap`), then below at ``new_x`` (LMARGIN or LEFT)."""
        x = self.get_x()
        width = w or (self.w - self.r_margin - x)
        for line in self.wrap(text, width):
            self.set_x(x)
            self.cell(width, h, line, new_x="LEFT", new_y="NEXT")
        self.set_x(self.l_margin if new_x == "LMARGIN" else x)

    def text_h(self, text: str, style: str = "text", w: float = 0, bold: str = "") -> float:
        """The height of ``text`` set ``w`` mm wide (0: to the right margin)."""
        self.set_font(FONT, bold, SIZE[style])
        return len(self.wrap(text, w)) * LINE[style]

    def room(self, mm: float) -> None:
        """A new page unless ``mm`` fit below (keep together)."""
        if self.get_y() + mm > self.bottom:
            self.add_page()

    # -- text ------------------------------------------------------------------------------------------------------
    def heading(self, text: str, level: int, keep: float = 0.0, outline: bool = True) -> None:
        """H1–H3, kept together with the next ``keep`` mm (no heading alone at a page's end)."""
        style = f"h{level}"
        before, after = {1: 0.0, 2: 2.0, 3: 1.5}[level], 1.0 if level > 1 else 2.0
        self.room(before + self.text_h(text, style, bold="B") + after + keep)
        if self.get_y() > self.t_margin + 0.1:
            self.ln(before)
        if outline:
            self.start_section(text, level=level - 1, strict=False)
        with self.tag(f"H{level}", title=text):
            self.set_font(FONT, "B", SIZE[style])
            self.write_text(text, LINE[style])
        self.ln(after)

    def para(
        self,
        text: str,
        style: str = "text",
        bold: str = "",
        w: float = 0,
        keep: bool = True,
        parent: StructElem | None = None,
        kind: str = "P",
    ) -> None:
        """A paragraph, never split over two pages (``keep``: the caller has made room already when False)."""
        if keep:
            self.room(self.text_h(text, style, w, bold))
        with self.tag(kind, parent):
            self.set_font(FONT, bold, SIZE[style])
            self.write_text(text, LINE[style], w, new_x="LEFT" if w else "LMARGIN")

    # -- tables ----------------------------------------------------------------------------------------------------
    def _row_h(self, widths: tuple[float, ...], row: list[str], head: bool, row_heads: bool = False) -> float:
        return (
            max(
                self.text_h(str(t), "table", w - 2 * PAD, "B" if head or (row_heads and i == 0) else "")
                for i, (w, t) in enumerate(zip(widths, row))
            )
            + 2 * PAD
        )

    def _row(
        self,
        widths: tuple[float, ...],
        row: list[str],
        h: float,
        head: bool,
        parent: StructElem | None,
        row_heads: bool,
    ) -> None:
        """One row ``h`` mm high: frames and fill as artifacts, each cell's text as TH or TD (``parent`` None: an
        artifact row, the repeated heading row on a following page)."""
        y, x = self.get_y(), self.l_margin
        with self.artifact():
            self.set_draw_color(120, 120, 120)
            self.set_line_width(0.2)
            if head:
                self.set_fill_color(*HEAD_FILL)
            for w in widths:
                self.rect(x, y, w, h, style="DF" if head else "D")
                x += w
        tr = self.elem("TR", parent) if parent is not None else None
        x = self.l_margin
        for i, (w, t) in enumerate(zip(widths, row)):
            self.set_xy(x + PAD, y + PAD)
            self.set_font(FONT, "B" if head or (row_heads and i == 0) else "", SIZE["table"])
            if tr is None:
                with self.artifact():
                    self.write_text(str(t), LINE["table"], w - 2 * PAD, new_x="LEFT")
            else:
                with self.tag("TH" if head or (row_heads and i == 0) else "TD", tr):
                    self.write_text(str(t), LINE["table"], w - 2 * PAD, new_x="LEFT")
            x += w
        self.set_xy(self.l_margin, y + h)

    def grid(
        self, widths: tuple[float, ...], rows: list[list[str]], head: list[str] | None = None, row_heads: bool = False
    ) -> None:
        """A table as a table (``Table``/``TR``/``TH``/``TD``); a row never splits, the heading row is repeated
        after a page break; ``row_heads``: the first column heads its row (a Steckbrief)."""
        head_h = self._row_h(widths, head, True) if head else 0.0
        heights = [self._row_h(widths, row, False, row_heads) for row in rows]
        whole = head_h + sum(heights)
        # a short table (up to a third of a page) stays together; a longer one starts and ends with two rows or more
        self.room(whole if whole <= (self.bottom - self.t_margin) / 3 else head_h + sum(heights[:2]))
        table = self.elem("Table")
        if head:
            self._row(widths, head, head_h, True, table, row_heads)
        for i, (row, h) in enumerate(zip(rows, heights)):
            last_two = i == len(rows) - 2 and self.get_y() + h + heights[-1] > self.bottom
            if self.get_y() + h > self.bottom or last_two:  # never one row alone on the next page
                self.add_page()
                if head:
                    self._row(widths, head, head_h, True, None, row_heads)
            self._row(widths, row, h, False, table, row_heads)

    def grid_height(self, widths: tuple[float, ...], rows: list[list[str]], head: list[str] | None = None) -> float:
        return (self._row_h(widths, head, True) if head else 0.0) + sum(self._row_h(widths, r, False) for r in rows)


def _toc_pages(n_lines: int) -> int:
    return 1 if n_lines <= TOC_FIRST else 1 + math.ceil((n_lines - TOC_FIRST) / TOC_MORE)


def _render_toc(pdf: _Pdf, outline: Any) -> None:
    pdf.set_x(pdf.l_margin)
    with pdf.tag("H1", into=pdf.toc_head):
        pdf.set_font(FONT, "B", SIZE["h1"])
        pdf.cell(0, 9, "Inhalt", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    limit = TOC_FIRST
    for n, sec in enumerate([s for s in outline if s.level <= 1]):
        if n == limit:
            pdf.add_page()
            limit += TOC_MORE
        indent = 6 * sec.level
        pdf.set_font(FONT, "B" if sec.level == 0 else "", 10 if sec.level == 0 else 9)
        link = pdf.add_link(page=sec.page_number)
        pdf.set_x(pdf.l_margin + indent)
        width = pdf.epw - indent - 14
        name = sec.name if pdf.get_string_width(sec.name) <= width else sec.name[:75] + " …"
        with pdf.tag("TOCI", cast(StructElem, pdf.toc_elem)):
            pdf.cell(width, 5.5, name, link=link)
            pdf.cell(14, 5.5, str(sec.page_number), align="R", link=link, new_x="LMARGIN", new_y="NEXT")


def _cover(pdf: _Pdf, monitor: Monitor, report: Report) -> None:
    pdf.add_page()
    pdf.set_y(60)
    with pdf.tag("H1"):
        pdf.set_font(FONT, "B", SIZE["title"])
        pdf.multi_cell(0, 13, f"Integrationsbericht {report.year}")
    with pdf.tag("P"):
        pdf.set_font(FONT, "", 15)
        pdf.multi_cell(0, 8, f"{report.own_name} – Integrationsmonitor")
    pdf.ln(4)
    pdf.para(texts.APP_SUBTITLE, "text")
    pdf.ln(8)
    fields = ", ".join(f.field.name for f in report.fields)
    extra = sorted({report.entries[0].region_names[r] for e in report.entries for r in e.regions[1:]})
    pdf.grid(
        (42, 132),
        [
            ["Berichtsjahr", str(report.year)],
            ["Stand der Daten", report.stand.split(": ", 1)[1]],
            ["Erstellt am", report.created.strftime("%d.%m.%Y")],
            ["Handlungsfelder", fields],
            ["Indikatoren", str(len(report.entries))],
            ["Regionen", ", ".join([report.own_name, *extra])],
        ],
        row_heads=True,
    )
    if report.demo:
        pdf.ln(10)
        pdf.para(texts.DEMO_BADGE, "h3", bold="B")
        pdf.para("Alle Zahlen in diesem Bericht sind erfunden und dienen nur der Vorführung.")


def _summary(pdf: _Pdf, report: Report) -> None:
    """On the page after the table of contents."""
    pdf.heading("Zusammenfassung", 1)
    pdf.para(
        f"Bewertung je Handlungsfeld für {report.year} ({report.own_name}). Das Symbol und die Worte tragen die "
        "Bewertung; die mittlere Bewertung liegt auf der Skala von -5 (Verschlechterung) bis +5."
    )
    pdf.ln(2)
    pdf.grid(
        (48, 42, 84),
        [
            [f.field.name, f"{f.rollup['symbol']} {f.rollup['label']}", f.rollup_text.split(" · ", 1)[1]]
            for f in report.fields
        ],
        head=["Handlungsfeld", "Bewertung", "Einzelheiten"],
    )
    better, worse = report.movers()
    for title, items in (
        ("Am stärksten verbessert gegenüber dem Vorjahr", better),
        ("Am stärksten verschlechtert gegenüber dem Vorjahr", worse),
    ):
        lines = [
            f"• {e.ind.name}: {e.value_text} ({cast('tuple[int, float]', e.latest)[0]}), {e.change_text}; "
            f"Bewertung {e.verdict_text}"
            for e in items
        ] or ["– keiner –"]
        pdf.heading(title, 2, keep=pdf.text_h(lines[0], "text"), outline=False)
        for line in lines:
            pdf.para(line)


def _field_table(pdf: _Pdf, report: Report, entries: list[IndicatorEntry]) -> None:
    rows = []
    for e in entries:
        year = f" ({e.latest[0]})" if e.latest and e.latest[0] != report.year else ""
        rows.append([e.ind.name, e.value_text + year, e.change_text, e.target_text, e.verdict_text])
    pdf.grid((52, 22, 40, 24, 36), rows, head=["Indikator", "Wert", "Veränderung zum Vorjahr", "Ziel", "Bewertung"])


def _field_chain(pdf: _Pdf, f: FieldEntry) -> None:
    """The strategy's chain (issue 25): Leitziel → Handlungsziel → indicators and measures."""
    if not f.chain:
        return
    width = pdf.epw - 4

    def texts_of(lz: Any) -> list[str]:
        return [
            f"Handlungsziel {hz.id}: {hz.title}\n"
            f"Indikatoren: {', '.join(hz.indicators) or '–'}\n"
            f"Maßnahmen: {'; '.join(hz.measures) or 'keine'}"
            for hz in lz.goals
        ] or ["Noch kein Handlungsziel."]

    first = f"Leitziel {f.chain[0].id}: {f.chain[0].title}"
    pdf.heading(
        "Ziele und Maßnahmen der Strategie",
        2,
        keep=pdf.text_h(first, "h3", bold="B") + 3 + pdf.text_h(texts_of(f.chain[0])[0], "small", width),
    )
    for lz in f.chain:
        parts = texts_of(lz)
        # a Leitziel's heading keeps with its first Handlungsziel (never alone at a page's end)
        pdf.heading(f"Leitziel {lz.id}: {lz.title}", 3, keep=pdf.text_h(parts[0], "small", width), outline=False)
        for text in parts:
            pdf.room(pdf.text_h(text, "small", width))
            pdf.set_x(pdf.l_margin + 4)
            pdf.para(text, "small", w=width, keep=False)
            pdf.set_x(pdf.l_margin)
            pdf.ln(1)


def _field_measures(pdf: _Pdf, report: Report, f: FieldEntry) -> None:
    """The strategy's other half (issue 12): the field's measures by state, every late one by name with its reason."""
    summary = f.measures or "Keine Maßnahmen."
    widths = (16.0, 62.0, 24.0, 72.0)
    head = ["Nr.", "Verzögerte und gefährdete Maßnahmen", "Stand", "Grund"]
    rows = [[m.id, m.title, m.state, m.reason] for m in f.late_measures]
    keep = pdf.text_h(summary, bold="B") + (
        1 + pdf._row_h(widths, head, True) + pdf._row_h(widths, rows[0], False) if rows else 0
    )  # the heading with the counts and the table's first row
    pdf.heading(f"Maßnahmen (Stand {fmt_date(report.created)})", 2, keep=keep, outline=False)
    pdf.para(summary, bold="B")
    if rows:
        pdf.ln(1)
        pdf.grid(widths, rows, head=head)


def _indicator_block(pdf: _Pdf, e: IndicatorEntry, images: dict[Any, bytes], alts: dict[Any, str]) -> None:
    """Heading, trend chart with the verdict beside it and the explanation: one unit on one page (measured first).
    The breakdown follows under its own heading that names the indicator, on the same page where it fits, else
    together with the Stand on the next one: a chart never stands on a page without its indicator's name."""
    trend = images.get((e.ind.id, "verlauf"))
    breakdown = images.get((e.ind.id, "aufschluesselung"))
    text_w = pdf.epw - CHART_W - 4
    side = [
        e.sentence,
        f"Wert {e.latest[0] if e.latest else ''}: {e.value_text}",
        f"Veränderung: {e.change_text}",
        f"Ziel: {e.target_text}",
        f"Verfahren: {e.method_text}",
    ]
    w = text_w if trend else 0
    side_h = pdf.text_h(f"Bewertung: {e.verdict_text}", "text", w, "B") + sum(
        pdf.text_h(t, "small", w) + 0.6 for t in side
    )
    notes = "Notizen im Diagramm: " + e.notes_text if trend and e.notes else ""
    first = (
        pdf.text_h(e.ind.name, "h2", bold="B")
        + 3
        + max(side_h, CHART_H if trend else 0)
        + 2
        + pdf.text_h(e.verdict.explanation, "small")
        + (pdf.text_h(notes, "note") if notes else 0)
    )
    sub = f"{e.ind.name}: Aufschlüsselung {figs.BREAKDOWN_TITLES.get(e.breakdown, '')}"
    second = (pdf.text_h(sub, "h3", bold="B") + 4.5 + CHART_H if breakdown else 0) + pdf.text_h(
        e.stand_text, "note", bold="I"
    )
    pdf.room(first)
    pdf.heading(e.ind.name, 2)
    top = pdf.get_y()
    if trend:
        with pdf.tag("Figure", alt=alts.get((e.ind.id, "verlauf"))):
            pdf.image(io.BytesIO(trend), x=pdf.l_margin, y=top, w=CHART_W, h=CHART_H)
    pdf.set_xy(pdf.l_margin + CHART_W + 4 if trend else pdf.l_margin, top)
    x = pdf.get_x()
    pdf.para(f"Bewertung: {e.verdict_text}", bold="B", w=w, keep=False)
    for line in side:
        pdf.set_x(x)
        pdf.para(line, "small", w=w, keep=False)
        pdf.set_xy(x, pdf.get_y() + 0.6)
    pdf.set_xy(pdf.l_margin, max(pdf.get_y(), top + (CHART_H if trend else 0)) + 2)
    pdf.para(e.verdict.explanation, "small", keep=False)
    if notes:
        pdf.para(notes, "note", keep=False)
    pdf.room(second)  # the breakdown and the Stand together, under a heading with the indicator's name
    if breakdown:
        pdf.heading(sub, 3, outline=False)
        top = pdf.get_y() + 0.5
        with pdf.tag("Figure", alt=alts.get((e.ind.id, "aufschluesselung"))):
            pdf.image(io.BytesIO(breakdown), x=pdf.l_margin, y=top, w=CHART_W, h=CHART_H)
        pdf.set_xy(pdf.l_margin + CHART_W + 4, top)
        pdf.para(f"{pdf.report.own_name}, Hauptreihe des Indikators je Gruppe.", "small", w=text_w, keep=False)
        pdf.set_xy(pdf.l_margin, top + CHART_H + 1)
    pdf.set_text_color(*GREY)
    pdf.para(e.stand_text, "note", bold="I", keep=False)
    pdf.set_text_color(*INK)
    pdf.ln(4)


def _annex(pdf: _Pdf, monitor: Monitor, report: Report, deadline: Deadline | None) -> None:
    pdf.add_page()
    pdf.heading("Anhang: Steckbriefe der Indikatoren", 1)
    for e in report.entries:
        if deadline:
            deadline.check()
        rows = [[k, str(v)] for k, v in profile(monitor, e.ind).items()]
        pdf.heading(e.ind.name, 3, keep=pdf._row_h((38, 136), rows[0], False, True) * 3, outline=False)
        pdf.grid((38, 136), rows, row_heads=True)
        pdf.ln(3)
    pdf.add_page()
    pdf.heading("Anhang: Kennzeichen und Bewertungssymbole", 1)
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
    # JPEG goes into the PDF as it is (a PNG would be decoded and packed again); 1024 px for 108 mm (240 dpi)
    images, alts = figs.chart_images(monitor, report, False, "jpeg", figs.PRINT_SIZE, 1.6, say, deadline)
    say(0.88, "PDF wird gesetzt …")
    title = f"Integrationsbericht {report.year} – {report.own_name}"
    pdf = _Pdf(report)
    pdf.set_title(title)
    pdf.set_author(f"{report.own_name}, Stabsstelle Migration und Teilhabe")
    pdf.set_subject(
        "Integrationsmonitor: Indikatoren, Ziele und Bewertungen" + (f" – {texts.DEMO_BADGE}" if report.demo else "")
    )
    pdf.set_keywords(f"Integrationsmonitor, Integrationsbericht, {report.own_name}, Indikatoren")
    pdf.set_creator(f"Integrationsmonitor {report.own_name}")
    pdf.set_lang("de")
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)  # the title, not the file name, in the window
    pdf.set_display_mode("fullpage", "continuous")
    _cover(pdf, monitor, report)
    pdf.add_page()
    pdf.toc_head, pdf.toc_elem = pdf.elem("H1"), pdf.elem("TOC")  # filled when the contents are known, at the end
    n_toc = 1 + sum(1 + len(f.entries) for f in report.fields) + 2
    pdf.insert_toc_placeholder(_render_toc, pages=_toc_pages(n_toc))  # type: ignore[arg-type]  # (called with our _Pdf)
    _summary(pdf, report)
    for f in report.fields:
        if deadline:
            deadline.check()
        pdf.add_page()
        pdf.heading(f.field.name, 1)
        if f.field.description:
            pdf.para(f.field.description, bold="I")
            pdf.ln(2)
        pdf.para(f"Bewertung des Handlungsfelds: {f.rollup_text}", bold="B")
        pdf.ln(2)
        _field_table(pdf, report, f.entries)
        pdf.ln(2)
        _field_chain(pdf, f)
        _field_measures(pdf, report, f)
        pdf.ln(4)
        for e in f.entries:
            _indicator_block(pdf, e, images, alts)
    _annex(pdf, monitor, report, deadline)
    data = bytes(pdf.output())
    say(1.0, "fertig")
    return data


def _legend(pdf: _Pdf, intro: str, head: str, rows: Any) -> None:
    """An annex table: a sign or symbol and its meaning, kept with its introduction."""
    table = [[sign, meaning] for sign, meaning in rows]
    pdf.room(pdf.text_h(intro) + 1 + pdf.grid_height((20, 154), table, [head, "Bedeutung"]))
    pdf.para(intro)
    pdf.ln(1)
    pdf.grid((20, 154), table, head=[head, "Bedeutung"])
