"""The PowerPoint for a meeting (python-pptx): 16:9, a title slide, a summary, then one indicator per slide as in
the projector view (large value, change, target, verdict, chart) in the order chosen; the speaker notes hold the
verdict's explanation, source and Stand."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Length, Pt

from indicators import texts
from indicators.fmt import fmt_date
from indicators.report import figures as figs
from indicators.report.content import FieldEntry, IndicatorEntry, Report
from indicators.report.render import Deadline
from indicators.service import Monitor

BLACK = RGBColor(0, 0, 0)
GREY = RGBColor(0x44, 0x44, 0x44)
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)


def _text(
    slide: Any, x: Length, y: Length, w: Length, h: Length, lines: list[tuple[str, int, bool]], colour: RGBColor = BLACK
) -> Any:
    """A text box; ``lines``: (text, size in pt, bold). Words wrap inside the box."""
    box = slide.shapes.add_textbox(x, y, w, h)
    tf = box.text_frame
    tf.word_wrap = True
    for i, (text, size, bold) in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = p.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = colour
        p.space_after = Pt(size * 0.35)
    return box


def _frame(slide: Any, report: Report, number: int, total: int, field_name: str = "") -> None:
    """Top line (field, demo) and bottom line (title of the report, slide number) on every slide."""
    top = field_name + (" · " if field_name and report.demo else "") + (texts.DEMO_BADGE if report.demo else "")
    if top:
        _text(slide, Inches(0.5), Inches(0.2), Inches(10), Inches(0.45), [(top, 16, report.demo)], GREY)
    _text(
        slide,
        Inches(0.5),
        Inches(7.0),
        Inches(9),
        Inches(0.4),
        [
            (
                f"Integrationsbericht {report.year} · {report.own_name}"
                + (f" · {texts.DEMO_BADGE}" if report.demo else ""),
                12,
                False,
            )
        ],
        GREY,
    )
    _text(slide, Inches(11.3), Inches(7.0), Inches(1.6), Inches(0.4), [(f"{number} / {total}", 12, False)], GREY)


def _notes(slide: Any, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = text


#: one scale of type sizes (pt) for every slide: the title slide's title, every slide's title, text, small text
TITLE_PAGE, TITLE, TEXT, SMALL, DETAIL = 48, 28, 20, 16, 14
TITLE_BOX = (Inches(0.5), Inches(0.6), Inches(12.3), Inches(1.0))  # two lines of 28 pt for the longest names
BODY_TOP = Inches(1.75)
LATE_PER_SLIDE = 6


def _title(slide: Any, text: str) -> None:
    _text(slide, *TITLE_BOX, [(text, TITLE, True)])


def _indicator_slide(
    prs: Any, report: Report, e: IndicatorEntry, image: bytes | None, alt: str, number: int, total: int
) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    _frame(slide, report, number, total, report_field_name(report, e))
    _title(slide, e.ind.name)
    lines = []
    if e.latest:
        big = 60 if len(e.value_text) <= 8 else 44 if len(e.value_text) <= 12 else 36
        lines += [(e.value_text, big, True), (f"{report.own_name}, {e.latest[0]}", TEXT, False)]
        if e.change is not None:
            lines.append((f"{e.change_text} gegenüber {e.latest[0] - 1}", TEXT, False))
    else:
        lines.append((texts.NO_DATA, TEXT, False))
    if e.status.target:
        lines.append((f"Ziel: {e.target_text}", TEXT, False))
    sentence = f"{e.verdict.symbol} {e.sentence}"
    lines.append((sentence, TEXT if len(sentence) <= 80 else SMALL, True))
    _text(slide, Inches(0.5), BODY_TOP, Inches(4.6), Inches(5.1), lines)
    if image:
        pic = slide.shapes.add_picture(io.BytesIO(image), Inches(5.3), BODY_TOP, width=Inches(7.7))
        pic._element.nvPicPr.cNvPr.set("descr", alt)  # the chart's alternative text, as in the PDF
    _notes(
        slide,
        f"{e.verdict_text}. {e.verdict.explanation}\n\nVerfahren: {e.method_text}.\n{e.stand_text}."
        + (f"\n{texts.DEMO_BADGE}: alle Zahlen erfunden." if report.demo else ""),
    )


def _late_slides(prs: Any, report: Report, first: int, total: int) -> None:
    """Every late measure by name (issue 25): number, title, field, state and reason, as a table."""
    late = [(f.field.name, m) for f in report.fields for m in f.late_measures]
    for n, i in enumerate(range(0, len(late), LATE_PER_SLIDE)):
        part = late[i : i + LATE_PER_SLIDE]
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        _frame(slide, report, first + n, total)
        more = f" ({n + 1}/{-(-len(late) // LATE_PER_SLIDE)})" if len(late) > LATE_PER_SLIDE else ""
        _title(slide, f"Verzögerte und gefährdete Maßnahmen{more}")
        shape = slide.shapes.add_table(len(part) + 1, 4, Inches(0.5), BODY_TOP, Inches(12.3), Inches(0.5))
        table = shape.table
        for col, width in enumerate((Inches(1.0), Inches(4.6), Inches(2.0), Inches(4.7))):
            table.columns[col].width = width
        for col, head in enumerate(("Nr.", "Maßnahme (Handlungsfeld)", "Stand", "Grund")):
            table.cell(0, col).text = head
        for row, (field_name, m) in enumerate(part, start=1):
            for col, value in enumerate((m.id, f"{m.title} ({field_name})", m.state, m.reason)):
                table.cell(row, col).text = value
        for row in table.rows:
            for cell in row.cells:
                for p in cell.text_frame.paragraphs:
                    for run in p.runs:
                        run.font.size = Pt(DETAIL)
        _notes(slide, "\n".join(f"{m.id} {m.title} ({fn}) – {m.state}: {m.reason}" for fn, m in part))


def _chain_slide(prs: Any, report: Report, f: FieldEntry, number: int, total: int) -> None:
    """The strategy's chain of one field: Leitziel → Handlungsziel → indicators and measures (issue 25)."""
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _frame(slide, report, number, total, f.field.name)
    _title(slide, f"Ziele und Maßnahmen: {f.field.name}")
    lines: list[tuple[str, int, bool]] = []
    notes = []
    for lz in f.chain:
        lines.append((f"Leitziel: {lz.title}", SMALL, True))
        notes.append(f"Leitziel {lz.id}: {lz.title}")
        for hz in lz.goals:
            ms = ", ".join(m.split(" ", 1)[0] + m[m.rfind(" (") :] for m in hz.measures) or "keine"
            lines.append(
                (f"→ {hz.title} · Indikatoren: {', '.join(hz.indicators) or '–'} · Maßnahmen: {ms}", 13, False)
            )
            notes.append(f"  Handlungsziel {hz.id}: {hz.title}; Maßnahmen: {'; '.join(hz.measures) or 'keine'}")
    _text(slide, Inches(0.5), BODY_TOP, Inches(12.3), Inches(5.2), lines)
    _notes(slide, "\n".join(notes))


def report_field_name(report: Report, e: IndicatorEntry) -> str:
    return next(f.field.name for f in report.fields if e in f.entries)


def _title_slide(prs: Any, report: Report, total: int) -> None:
    """Slide 1: the report's title, its data state and size; the fields in the notes."""
    title = prs.slides.add_slide(prs.slide_layouts[6])
    _frame(title, report, 1, total)
    _text(
        title,
        Inches(0.8),
        Inches(2.0),
        Inches(11.5),
        Inches(3.5),
        [
            (f"Integrationsbericht {report.year}", TITLE_PAGE, True),
            (f"{report.own_name} – Integrationsmonitor", TITLE, False),
            (
                f"{report.stand} · {len(report.entries)} Indikatoren in {len(report.fields)} Handlungsfeldern",
                TEXT,
                False,
            ),
            *([(texts.DEMO_BADGE + ": alle Zahlen erfunden", TEXT, True)] if report.demo else []),
        ],
    )
    _notes(title, "Handlungsfelder: " + ", ".join(f.field.name for f in report.fields))


def _summary_slide(prs: Any, report: Report, total: int) -> None:
    """Slide 2: the verdict of each field; the rollup in words in the notes."""
    summary = prs.slides.add_slide(prs.slide_layouts[6])
    _frame(summary, report, 2, total)
    _title(summary, "Bewertung je Handlungsfeld")
    _text(
        summary,
        Inches(0.5),
        BODY_TOP,
        Inches(12.3),
        Inches(5.2),
        [(f"{f.rollup['symbol']} {f.field.name}: {f.rollup['label']}", TEXT, False) for f in report.fields],
    )
    _notes(summary, "\n".join(f"{f.field.name}: {f.rollup_text}" for f in report.fields))


def _plan_slide(prs: Any, report: Report, total: int) -> None:
    """Slide 3: the strategy's other half (issue 12): the measures of each field by state, the late ones by
    name in the notes (issue 25)."""
    plan = prs.slides.add_slide(prs.slide_layouts[6])
    _frame(plan, report, 3, total)
    _title(plan, f"Maßnahmen je Handlungsfeld (Stand {fmt_date(report.created)})")
    _text(
        plan,
        Inches(0.5),
        BODY_TOP,
        Inches(12.3),
        Inches(5.2),
        [(f"{f.field.name}: {f.measures}", TEXT, False) for f in report.fields],
    )
    _notes(
        plan,
        "\n".join(
            f"{f.field.name}: "
            + (
                "; ".join(f"{m.id} {m.title} – {m.state}: {m.reason}" for m in f.late_measures)
                or "keine verzögert oder gefährdet"
            )
            for f in report.fields
        ),
    )


def write_pptx(
    monitor: Monitor,
    report: Report,
    progress: Callable[[float, str], object] | None = None,
    deadline: Deadline | None = None,
) -> bytes:
    say = progress or (lambda share, text: None)
    # JPEG: half the drawing time of a PNG at this size (1440 × 960 px), sharp enough for a projector
    images, alts = figs.chart_images(monitor, report, True, "jpeg", figs.SLIDE_SIZE, 1.5, say, deadline)
    say(0.9, "Folien werden gesetzt …")
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(WIDTH), Emu(HEIGHT)
    props = prs.core_properties
    props.title = f"Integrationsbericht {report.year} – {report.own_name}"
    props.author = f"{report.own_name}, Stabsstelle Migration und Teilhabe"
    props.language = "de-DE"
    props.subject = texts.DEMO_BADGE if report.demo else "Integrationsmonitor"
    n_late = -(-sum(len(f.late_measures) for f in report.fields) // LATE_PER_SLIDE)
    chains = [f for f in report.fields if f.chain]
    total = 3 + n_late + len(chains) + len(report.entries)

    _title_slide(prs, report, total)
    _summary_slide(prs, report, total)
    _plan_slide(prs, report, total)
    _late_slides(prs, report, 4, total)

    n = 4 + n_late
    for f in report.fields:
        if f.chain:
            _chain_slide(prs, report, f, n, total)
            n += 1
        for e in f.entries:
            _indicator_slide(
                prs, report, e, images.get((e.ind.id, "folie")), alts.get((e.ind.id, "folie"), ""), n, total
            )
            n += 1
    buf = io.BytesIO()
    prs.save(buf)
    say(1.0, "fertig")
    return buf.getvalue()
