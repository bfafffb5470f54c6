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
from indicators.report.content import IndicatorEntry, Report
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
                f"Integrationsbericht {report.year} · Landkreis Peine"
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


def _indicator_slide(prs: Any, report: Report, e: IndicatorEntry, image: bytes | None, number: int, total: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    _frame(slide, report, number, total, report_field_name(report, e))
    # one line: a long name in smaller type (at 34 pt it would wrap into the value below)
    title_size = 34 if len(e.ind.name) <= 38 else 28 if len(e.ind.name) <= 48 else 22
    _text(slide, Inches(0.5), Inches(0.65), Inches(12.3), Inches(0.9), [(e.ind.name, title_size, True)])
    lines = []
    if e.latest:
        big = 60 if len(e.value_text) <= 8 else 44 if len(e.value_text) <= 12 else 36
        lines += [(e.value_text, big, True), (f"Landkreis Peine, {e.latest[0]}", 22, False)]
        if e.change is not None:
            lines.append((f"{e.change_text} gegenüber {e.latest[0] - 1}", 20, False))
    else:
        lines.append((texts.NO_DATA, 22, False))
    if e.status.target:
        lines.append((f"Ziel: {e.target_text}", 20, False))
    sentence = f"{e.verdict.symbol} {e.sentence}"
    lines.append((sentence, 20 if len(sentence) <= 80 else 16, True))
    _text(slide, Inches(0.5), Inches(1.7), Inches(4.6), Inches(5.2), lines)
    if image:
        slide.shapes.add_picture(io.BytesIO(image), Inches(5.3), Inches(1.65), width=Inches(7.7))
    _notes(
        slide,
        f"{e.verdict_text}. {e.verdict.explanation}\n\nVerfahren: {e.method_text}.\n{e.stand_text}."
        + (f"\n{texts.DEMO_BADGE}: alle Zahlen erfunden." if report.demo else ""),
    )


def report_field_name(report: Report, e: IndicatorEntry) -> str:
    return next(f.field.name for f in report.fields if e in f.entries)


def write_pptx(
    monitor: Monitor,
    report: Report,
    progress: Callable[[float, str], object] | None = None,
    deadline: Deadline | None = None,
) -> bytes:
    say = progress or (lambda share, text: None)
    images = figs.chart_images(monitor, report, True, "png", figs.SLIDE_SIZE, 1.5, say, deadline)
    say(0.9, "Folien werden gesetzt …")
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(WIDTH), Emu(HEIGHT)
    props = prs.core_properties
    props.title = f"Integrationsbericht {report.year} – Landkreis Peine"
    props.author = "Landkreis Peine, Stabsstelle Migration und Teilhabe"
    props.language = "de-DE"
    props.subject = texts.DEMO_BADGE if report.demo else "Integrationsmonitor"
    total = 3 + len(report.entries)

    title = prs.slides.add_slide(prs.slide_layouts[6])
    _frame(title, report, 1, total)
    _text(
        title,
        Inches(0.8),
        Inches(2.0),
        Inches(11.5),
        Inches(3.5),
        [
            (f"Integrationsbericht {report.year}", 48, True),
            ("Landkreis Peine – Integrationsmonitor", 28, False),
            (f"{report.stand} · {len(report.entries)} Indikatoren in {len(report.fields)} Handlungsfeldern", 20, False),
            *([(texts.DEMO_BADGE + ": alle Zahlen erfunden", 22, True)] if report.demo else []),
        ],
    )
    _notes(title, "Handlungsfelder: " + ", ".join(f.field.name for f in report.fields))

    summary = prs.slides.add_slide(prs.slide_layouts[6])
    _frame(summary, report, 2, total)
    _text(summary, Inches(0.5), Inches(0.65), Inches(12.3), Inches(0.9), [("Bewertung je Handlungsfeld", 34, True)])
    _text(
        summary,
        Inches(0.5),
        Inches(1.7),
        Inches(12.3),
        Inches(5.2),
        [(f"{f.rollup['symbol']} {f.field.name}: {f.rollup['label']}", 22, False) for f in report.fields],
    )
    _notes(summary, "\n".join(f"{f.field.name}: {f.rollup_text}" for f in report.fields))

    # the strategy's other half (issue 12): the measures of each field by state, the late ones in the notes
    plan = prs.slides.add_slide(prs.slide_layouts[6])
    _frame(plan, report, 3, total)
    _text(
        plan,
        Inches(0.5),
        Inches(0.65),
        Inches(12.3),
        Inches(0.9),
        [(f"Maßnahmen je Handlungsfeld (Stand {fmt_date(report.created)})", 34, True)],
    )
    _text(
        plan,
        Inches(0.5),
        Inches(1.7),
        Inches(12.3),
        Inches(5.2),
        [(f"{f.field.name}: {f.measures}", 20, False) for f in report.fields],
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

    for n, e in enumerate(report.entries, start=4):
        _indicator_slide(prs, report, e, images.get((e.ind.id, "folie")), n, total)
    buf = io.BytesIO()
    prs.save(buf)
    say(1.0, "fertig")
    return buf.getvalue()
