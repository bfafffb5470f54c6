"""The committee's report (issue 13): the PDF and the PowerPoint as a reader gets them, built through the command line
on a copy of the demo database, opened with pdftotext/pdftoppm (poppler-utils) and python-pptx/LibreOffice.
PNGs of the first four PDF pages and two slides go to ``test-artifacts/``."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import ROOT, cli

ARTIFACTS = ROOT / "test-artifacts"
FIELDS = ["sprache", "arbeit"]  # deliberately not in catalog order: the report keeps the order chosen
YEAR = 2024


def _need(exe: str) -> str:
    path = shutil.which(exe)
    if not path:
        pytest.fail(f"{exe} fehlt: apt-get install poppler-utils libreoffice-impress (siehe .ci/run)")
    return path


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        [_need("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def _expected(db: Path, year: int, fields: list[str], indicators: list[str] | None = None):
    """Per chosen indicator: name, German latest value up to ``year`` and verdict label, computed here from the
    database (headline series, same verdict function as the pages)."""
    import pandas as pd

    from indicators import queries, targets, verdicts
    from indicators.fmt import fmt_value
    from indicators.service import open_monitor

    m = open_monitor(db, read_only=True)
    try:
        cat = m.catalog
        inds = [cat.indicators[i] for i in indicators] if indicators else [i for f in fields for i in cat.by_field(f)]
        s = queries.headline_series(m.store, cat, m.settings.own_region, inds)
        s = s[s["year"] <= year]
        tg = targets.targets(m.store)
        out = []
        for ind in inds:
            mine = s[s["indicator"] == ind.id]
            series = {int(y): (None if pd.isna(v) else float(v)) for y, v in zip(mine["year"], mine["value"])}
            st = verdicts.evaluate(ind, series, tg.get(ind.id))
            out.append((ind, fmt_value(st.latest[1], ind.unit), st.latest[0], st.verdict.label))
        return out
    finally:
        m.close()


def _measures(db: Path, fields: list[str]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Per field: its name, '<n> Maßnahmen: <n> im Plan, …' counted here from each measure's state, and the late
    measures (id, state) – what the Maßnahmen page shows for the same day."""
    from indicators.service import open_monitor
    from indicators.strategy import model, schedule

    m = open_monitor(db, read_only=True)
    try:
        out = []
        for fid in fields:
            states = [
                (mm["id"], schedule.schedule_state(mm, m.settings.today).state)
                for mm in model.measures(m.store)
                if fid in mm["fields"]
            ]
            order = ("im Plan", "verzögert", "gefährdet", "abgeschlossen")
            counted = ", ".join(f"{n} {st}" for st in order if (n := sum(1 for _, x in states if x == st)))
            assert states, fid  # the demo has measures in every field
            out.append(
                (
                    m.catalog.fields[fid].name,
                    f"{len(states)} Maßnahmen: {counted}",
                    [(i, x) for i, x in states if x in ("verzögert", "gefährdet")],
                )
            )
        return out
    finally:
        m.close()


@pytest.fixture(scope="module")
def report_pdf(demo_database, tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("report")
    db = folder / "monitor.duckdb"
    shutil.copy(demo_database, db)
    out = folder / "bericht.pdf"
    proc = cli(
        "report",
        "--year",
        str(YEAR),
        "--fields",
        *FIELDS,
        "--regions",
        "03",  # Niedersachsen has values in Arbeit; a Gemeinde has none in either field (refused, issue 25)
        "--format",
        "pdf",
        "--out",
        str(out),
        db=db,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out, db


def test_pdf_has_the_selection_year_values_verdicts_and_demo_on_every_page(report_pdf):
    pdf, db = report_pdf
    pages = _pages(pdf)
    flat = [re.sub(r"\s+", " ", p) for p in pages]
    assert len(pages) >= 6
    assert f"Integrationsbericht {YEAR}" in flat[0] and "Stand der Daten" in flat[0]
    for i, page in enumerate(flat, start=1):  # demo data: said on every page, with the page number
        assert "Demodaten (synthetisch)" in page, f"Seite {i} ohne Demo-Hinweis"
        assert f"Seite {i} von {len(pages)}" in page
        rest = page.replace("Demodaten (synthetisch) – alle Zahlen erfunden", "").replace(
            f"Seite {i} von {len(pages)}", ""
        )
        assert len(rest.replace(f"Integrationsbericht {YEAR} · Landkreis Peine", "").strip()) > 100, f"Seite {i} leer"
    # table of contents: the chosen fields in the chosen order, no other field
    toc = flat[1]
    assert toc.index("Sprache") < toc.index("Arbeit")
    for other in ("Bildung", "Gesellschaft und Teilhabe", "Migrationsmanagement"):
        assert other not in toc
    body = " ".join(flat)
    for ind, value, year, label in _expected(db, YEAR, FIELDS):
        assert ind.name in body, ind.name
        assert f"{value}" in body, (ind.name, value)
        assert label in body, (ind.name, label)
        assert year <= YEAR
        assert f"Wert {year}: {value}" in body, (ind.name, year, value)  # the reporting year, not the newest
    assert "Anhang: Steckbriefe der Indikatoren" in body and "Anhang: Kennzeichen" in body
    for name, summary, late in _measures(db, FIELDS):  # the strategy's other half per field (issue 12)
        assert "Maßnahmen (Stand " in body and summary in body, (name, summary)
        for mid, _ in late[:8]:
            assert mid in body, (name, mid)
    assert "Niedersachsen" in body  # the chosen comparison region is named (legend text sits in the images)

    info = subprocess.run([_need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert f"Integrationsbericht {YEAR} – Landkreis Peine" in info
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+", info)  # A4

    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        [_need("pdftoppm"), "-png", "-r", "80", "-f", "1", "-l", "4", str(pdf), str(ARTIFACTS / "bericht_pdf_seite")],
        check=True,
    )
    assert len(list(ARTIFACTS.glob("bericht_pdf_seite-*.png"))) >= 4


def test_pdf_charts_are_images_with_alt_text(report_pdf):
    """The charts are in the PDF (one image per trend and per breakdown), drawn by the pages' figure builders."""
    pdf, _ = report_pdf
    listing = subprocess.run([_need("pdfimages"), "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    images = [line for line in listing.splitlines()[2:] if line.strip()]
    assert len(images) >= 11  # 11 indicators in Sprache and Arbeit, each with a trend; breakdowns on top
    raw = pdf.read_bytes()
    assert b"/Alt" in raw and b"/Lang" in raw


def _pdf_objects(pdf: Path, kind: str) -> list[bytes]:
    """The structure elements of one type (``/S /Figure`` …) as written in the file (fpdf2 writes no object
    streams)."""
    raw = pdf.read_bytes()
    return re.findall(
        rb"\d+ 0 obj\s*<<(?:(?!endobj).)*?/S /" + kind.encode() + rb"\b(?:(?!endobj).)*?endobj", raw, re.S
    )


def _pdf_text(value: bytes) -> str:
    """A PDF text string: <FEFF…> (UTF-16) or (…)."""
    if value.startswith(b"<"):
        return bytes.fromhex(value[1:-1].decode()).decode("utf-16")
    return value[1:-1].decode("latin-1")


def _structure(pdf: Path) -> str:
    """poppler's view of the structure tree with each element's text; a heading's title (/T, UTF-16) is left out."""
    raw = subprocess.run([_need("pdfinfo"), "-struct-text", str(pdf)], capture_output=True, check=True).stdout
    return re.sub(r'^(\s*H\d) "[^"\n]*"', r"\1", raw.decode("utf-8", "replace"), flags=re.M)


def test_pdf_is_tagged_for_bitv(report_pdf):
    """Issue 25 (BITV 2.0 / PDF/UA): language de, title shown as the window title, a structure tree with headings,
    paragraphs and tables as tables, every chart a Figure whose alternative text says what it shows."""
    pdf, db = report_pdf
    raw = pdf.read_bytes()
    assert re.search(rb"/Lang \(de\)", raw)
    assert b"/StructTreeRoot" in raw and b"/MarkInfo <</Marked true>>" in raw
    assert re.search(rb"/DisplayDocTitle true", raw)
    tree = _structure(pdf)
    flat = re.sub(r"\s+", " ", tree)
    assert flat.startswith("Document H1 (block)"), flat[:200]
    assert 'H1 (block) "Zusammenfassung"' in flat and 'H1 (block) "Sprache"' in flat and 'H1 (block) "Arbeit"' in flat
    for ind, *_ in _expected(db, YEAR, FIELDS):  # every indicator's heading is an H2, followed by its chart
        assert f'H2 (block) "{ind.name}" Figure' in flat, ind.name
    assert "Table (block) TR TH" in flat and " TD " in flat and "TOC TOCI" in flat
    figures = _pdf_objects(pdf, "Figure")
    images = subprocess.run([_need("pdfimages"), "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len(figures) == len([line for line in images.splitlines()[2:] if line.strip()]) >= 11
    alts = [_pdf_text(re.search(rb"/Alt (<[0-9a-fA-F]+>|\((?:[^)\\]|\\.)*\))", f).group(1)) for f in figures]
    names = [ind.name for ind, *_ in _expected(db, YEAR, FIELDS)]
    for name in names:
        mine = [a for a in alts if f"Verlauf {name}," in a]
        assert mine, name
        assert "Letzte Werte: Landkreis Peine " in mine[0] and "Bewertung: " in mine[0], mine[0]
        assert re.search(r", \d{4} bis \d{4}\.", mine[0]), mine[0]  # the period shown
    assert all(len(a) > 60 for a in alts)
    # page furniture is not read out: the running head and the page numbers are artifacts, not in the tree
    assert "Seite 1 von" not in tree and "alle Zahlen erfunden" not in tree


def test_pdf_keeps_headings_with_their_content(report_pdf):
    """Issue 25: no heading or single line alone at a page's end or start; each chart on the page of its
    indicator's name (7 pages began with a breakdown chart without its heading)."""
    pdf, db = report_pdf
    tree = _structure(pdf)
    pages = _pages(pdf)
    names = [ind.name for ind, *_ in _expected(db, YEAR, FIELDS)]
    for i, page in enumerate(pages, start=1):
        body = [
            line.strip()
            for line in page.splitlines()
            if line.strip()
            and "Demodaten (synthetisch) – alle Zahlen erfunden" not in line
            and not re.search(r"Seite \d+ von \d+", line)
        ]
        assert len(body) >= 3, (i, body)  # never one orphaned line on a page
    # in reading order, every chart follows a heading with its indicator's name on the same page
    raw = pdf.read_bytes()
    objs = {int(n): body for n, body in re.findall(rb"(\d+) 0 obj\s*(<<(?:(?!endobj).)*?)endobj", raw, re.S)}
    doc = next(b for b in objs.values() if b"/S /Document" in b)
    kids = [int(k) for k in re.findall(rb"(\d+) 0 R", re.search(rb"/K \[([^\]]*)\]", doc).group(1))]
    pages_of = [re.search(rb"/Pg (\d+) 0 R", objs[k]).group(1) for k in kids]
    kinds = [re.search(rb"/S /(\w+)", objs[k]).group(1) for k in kids]
    for i, kind in enumerate(kinds[:-1]):  # a heading is never the last thing on its page
        if kind in (b"H1", b"H2", b"H3"):
            assert pages_of[i] == pages_of[i + 1], (i, kind, kinds[i + 1])
    last_heading = None
    charts = 0
    for k in kids:
        el = objs[k]
        kind = re.search(rb"/S /(\w+)", el).group(1)
        page = re.search(rb"/Pg (\d+) 0 R", el).group(1)
        if kind in (b"H2", b"H3"):
            last_heading = (_pdf_text(re.search(rb"/T (<[0-9a-fA-F]+>|\([^)]*\))", el).group(1)), page)
        if kind == b"Figure":
            charts += 1
            alt = _pdf_text(re.search(rb"/Alt (<[0-9a-fA-F]+>)", el).group(1))
            name = next(n for n in sorted(names, key=len, reverse=True) if n in alt)
            assert last_heading and name in last_heading[0] and last_heading[1] == page, (alt[:80], last_heading)
    assert charts >= len(names)
    assert "Leitziel" in tree and "Handlungsziel" in tree  # the strategy's chain per field


def test_pptx_has_the_chosen_slides_in_order_with_notes(demo_copy, tmp_path):
    from pptx import Presentation

    chosen = ["dtz_b1_quote", "alq_gap", "alq_auslaender"]
    out = tmp_path / "sitzung.pptx"
    proc = cli("report", "--fields", "sprache,arbeit", "--indicators", *chosen, "--out", str(out), db=demo_copy)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    prs = Presentation(str(out))
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    slides = list(prs.slides)

    def text_of(slide):
        out = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        out += [c.text for sh in slide.shapes if sh.has_table for row in sh.table.rows for c in row.cells]
        return " ".join(out)

    measures = _measures(demo_copy, ["sprache", "arbeit"])
    plan = text_of(slides[2])
    assert "Maßnahmen je Handlungsfeld" in plan
    late_slides = [s for s in slides if "Verzögerte und gefährdete Maßnahmen" in text_of(s)]
    late_text = " ".join(text_of(s) for s in late_slides)
    for name, summary, late in measures:
        assert f"{name}: {summary}" in plan, (name, summary)
        for mid, state in late:  # issue 25: every late measure by name on a slide, not only counted
            assert mid in slides[2].notes_slide.notes_text_frame.text
            assert mid in late_text and state in late_text, (mid, state)
    # issue 25: the strategy's chain per field, before the field's indicators
    chains = [i for i, s in enumerate(slides) if "Ziele und Maßnahmen:" in text_of(s)]
    assert len(chains) == 2 and "Leitziel:" in text_of(slides[chains[0]])
    expected = _expected(demo_copy, 2025, [], chosen)
    names = {ind.name for ind, *_ in expected}
    indicator_slides = [s for s in slides if any(sh.has_text_frame and sh.text_frame.text in names for sh in s.shapes)]
    assert len(slides) == 3 + len(late_slides) + len(chains) + len(chosen)
    assert len(indicator_slides) == len(chosen)
    # one size for every slide's title (issue 25: 22 to 34 pt before)
    sizes = {
        sh.text_frame.paragraphs[0].runs[0].font.size.pt
        for s in slides[1:]
        for sh in s.shapes
        if sh.has_text_frame
        and sh.top < 914400
        and sh.text_frame.paragraphs[0].runs
        and sh.text_frame.paragraphs[0].runs[0].font.bold
        and sh.text_frame.paragraphs[0].runs[0].font.size.pt > 20
    }
    assert sizes == {28.0}, sizes
    for slide, (ind, value, year, label) in zip(indicator_slides, expected):
        text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
        assert ind.name in text and value in text and f"Landkreis Peine, {year}" in text
        assert "Demodaten (synthetisch)" in text
        notes = slide.notes_slide.notes_text_frame.text
        assert label in notes and "Quelle:" in notes and len(notes) > 80
        pictures = [sh for sh in slide.shapes if sh.shape_type == 13]  # the chart picture, with its description
        assert pictures and ind.name in pictures[0]._element.nvPicPr.cNvPr.get("descr")
    assert all(
        "Demodaten (synthetisch)" in " ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
        for s in slides
    )

    # LibreOffice Impress opens it (a damaged file does not convert); two slides as PNG for a look
    folder = tmp_path / "impress"
    proc = subprocess.run(
        [
            _need("soffice"),
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'lo'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    converted = folder / "sitzung.pdf"
    assert converted.exists(), proc.stdout + proc.stderr
    assert len(_pages(converted)) == len(slides)
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        [
            _need("pdftoppm"),
            "-png",
            "-r",
            "100",
            "-f",
            "3",
            "-l",
            "4",
            str(converted),
            str(ARTIFACTS / "bericht_folie"),
        ],
        check=True,
    )


@pytest.mark.parametrize(
    "args, words",
    [
        (["--fields", "gibtsnicht"], "Unbekanntes Handlungsfeld"),
        (["--year", "1990"], "Für das Jahr 1990 gibt es keine Werte"),
        (["--regions", "99999"], "Unbekannte Region"),
        (["--indicators", "alq_gap", "--fields", "sprache"], "keinen Indikator"),
    ],
)
def test_a_selection_the_report_cannot_take_is_refused_in_german(demo_copy, tmp_path, args, words):
    out = tmp_path / "x.pdf"
    proc = cli("report", *args, "--out", str(out), db=demo_copy)
    assert proc.returncode == 2
    assert words in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


def test_chart_images_png_and_svg_with_german_names(demo_copy):
    from indicators.report import chart_images
    from indicators.service import open_monitor

    m = open_monitor(demo_copy)
    try:
        images = chart_images(m, "alq_auslaender", "verlauf", 2024, ["03"])
        none = chart_images(m, "anerkennung_quote", "aufschluesselung")  # no breakdown: no chart
    finally:
        m.close()
    png_name, png = images["png"]
    svg_name, svg = images["svg"]
    assert png_name == "Verlauf_Arbeitslosenquote_Auslaender_2024.png" and png.startswith(b"\x89PNG")
    assert svg_name.endswith(".svg") and b"<svg" in svg[:200] and "Niedersachsen" in svg.decode()
    import io

    from PIL import Image

    assert Image.open(io.BytesIO(png)).size == (1280, 720)  # 640 × 360 at scale 2: readable when enlarged
    assert none == {}


def test_report_page_builds_a_powerpoint_and_offers_the_exports(writable_demo_db):
    """The page (AppTest): choose one field and PowerPoint, build; the slides are named, the download is there, and
    the value exports and chart images are offered."""
    from streamlit.testing.v1 import AppTest

    from indicators import texts

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("views/bericht.py")
    at.run()
    assert not at.exception and not at.error
    at.multiselect(key="report_fields").set_value(["kommunikation"])
    at.radio(key="report_format").set_value("pptx")
    at.run()
    at.button(key="report_build").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success and "Handlungsfelder: 1" in at.success[0].value
    slides = " ".join(c.value for c in at.caption)
    assert "Beschäftigte mit Migrationsgeschichte in der Kreisverwaltung" in slides
    labels = [b.label for b in at.get("download_button")]
    assert texts.REPORT_DOWNLOAD in labels and texts.REPORT_EXPORT_XLSX in labels and texts.REPORT_EXPORT_CSV in labels
    # another selection: the finished report is not offered for it
    at.multiselect(key="report_fields").set_value(["arbeit"])
    at.run()
    assert texts.REPORT_DOWNLOAD not in [b.label for b in at.get("download_button")]
    assert any(texts.REPORT_STALE in i.value for i in at.info)


def test_real_data_carry_no_demo_notice(demo_copy, tmp_path):
    """The same numbers marked as real uploads: no page and no slide says "Demodaten"."""
    from pptx import Presentation

    from indicators.report import content, make_report
    from indicators.service import open_monitor

    m = open_monitor(demo_copy)
    try:
        with m.store.transaction() as cur:
            cur.execute("UPDATE uploads SET demo = false")
        pdf = tmp_path / "echt.pdf"
        pdf.write_bytes(make_report(m, content.Selection(fields=["kommunikation"]), "pdf"))
        pptx = make_report(m, content.Selection(fields=["kommunikation"]), "pptx")
    finally:
        m.close()
    pages = _pages(pdf)
    assert len(pages) >= 4 and not any("Demodaten" in p for p in pages)
    assert "Beschäftigte mit Migrationsgeschichte in der Kreisverwaltung" in " ".join(pages)
    import io

    prs = Presentation(io.BytesIO(pptx))
    text = " ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert "Demodaten" not in text and "Beschäftigte mit Migrationsgeschichte" in text


def test_the_report_comes_without_any_browser_and_leaves_nothing_running(demo_copy, monkeypatch, tmp_path):
    """Issue 25: no Chromium on the server (PATH without it, kaleido and choreographer unable to start, no child
    process allowed at all): the PDF still comes, with its charts, and no thread or process is left behind. The old
    renderer (kaleido driving Chromium) ended here in "Chromium startet nicht"."""
    import subprocess as sp
    import sys
    import threading

    from indicators.report import content, make_report
    from indicators.service import open_monitor

    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("MONITOR_REPORT_TIMEOUT", "600")
    for name in ("kaleido", "choreographer"):  # importing them fails (None in sys.modules: ImportError)
        monkeypatch.setitem(sys.modules, name, None)

    def no_child(*args, **kwargs):
        raise AssertionError(f"Kindprozess gestartet: {args[:1]}")

    monkeypatch.setattr(sp.Popen, "__init__", no_child)
    before = set(threading.enumerate())
    m = open_monitor(demo_copy)
    try:
        pdf = make_report(m, content.Selection(fields=["sprache"]), "pdf")
        pptx = make_report(m, content.Selection(fields=["sprache"]), "pptx")
    finally:
        m.close()
    monkeypatch.undo()
    assert pdf.startswith(b"%PDF") and pptx.startswith(b"PK")
    assert pdf.count(b"/Subtype /Image") >= 5  # every indicator of Sprache with its chart
    assert pptx.count(b"ppt/media/image") >= 5
    assert {t for t in threading.enumerate() if t.is_alive()} <= before  # no renderer thread left running


def test_the_report_stops_at_its_time_bound_with_a_german_message(demo_copy, monkeypatch):
    """MONITOR_REPORT_TIMEOUT is a hard bound: past it the work stops with a German message, nothing keeps running."""
    from indicators.report import content, make_report, render
    from indicators.service import open_monitor

    monkeypatch.setenv("MONITOR_REPORT_TIMEOUT", "10")
    clock = iter(range(0, 10_000, 4))  # every look at the clock: four seconds later
    monkeypatch.setattr(render, "_now", lambda: float(next(clock)))
    m = open_monitor(demo_copy)
    try:
        with pytest.raises(content.ReportError, match="nicht in 10 s fertig"):
            make_report(m, content.Selection(fields=["sprache"]), "pdf")
    finally:
        m.close()


def _child_processes() -> set[str]:
    """This process's children, without multiprocessing's resource tracker (one helper per process that lives as
    long as the process, for its semaphores; it draws nothing)."""
    import glob
    import os
    from pathlib import Path

    kids: set[str] = set()
    for path in glob.glob(f"/proc/{os.getpid()}/task/*/children"):
        with open(path, encoding="ascii") as fh:
            kids |= set(fh.read().split())
    try:
        return {k for k in kids if b"resource_tracker" not in Path(f"/proc/{k}/cmdline").read_bytes()}
    except FileNotFoundError:  # (ended meanwhile)
        return _child_processes()


def test_chart_workers_end_on_every_path(demo_copy, monkeypatch):
    """A large report's charts are drawn by a worker process (issue 25, both cores as with Chromium before); it ends
    when the report is done and when the time bound stops the report: no process is left behind."""
    import sys
    import types

    from pptx import Presentation

    from indicators.report import content, make_report, render, write_report
    from indicators.service import open_monitor

    monkeypatch.setattr(render, "POOL_MIN", 2)  # the pool for a small report too
    # a main module a worker need not run (an AppTest earlier in this process leaves app.py as __main__)
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    pools = []
    start = render._start_pool
    monkeypatch.setattr(render, "_start_pool", lambda n: pools.append(start(n)) or pools[-1])
    before = _child_processes()
    m = open_monitor(demo_copy)
    try:
        data = make_report(m, content.Selection(fields=["sprache"]), "pptx")
        assert pools and pools[0] is not None  # drawn by the worker
        assert _child_processes() == before
        import io

        pictures = [sh for s in Presentation(io.BytesIO(data)).slides for sh in s.shapes if sh.shape_type == 13]
        assert len(pictures) >= 5
        clock = iter(range(0, 10_000, 4))
        monkeypatch.setattr(render, "_now", lambda: float(next(clock)))
        built = content.build(m, content.Selection(fields=["sprache"]))
        with pytest.raises(content.ReportError, match="nicht in 10 s fertig"):
            write_report(m, built, "pptx", deadline=render.Deadline(10))
        assert len(pools) == 2 and pools[1] is not None
        assert _child_processes() == before
        # a worker that never starts (here: it would run app.py again): the report draws its charts itself
        monkeypatch.setattr(render, "_now", time.monotonic)
        monkeypatch.setattr(render, "WORKER_START_S", 3.0)
        monkeypatch.setattr(render.draw, "job", _never)
        data = make_report(m, content.Selection(fields=["sprache"]), "pptx")
        assert len(pools) == 3 and pools[2] is not None
        pictures = [sh for s in Presentation(io.BytesIO(data)).slides for sh in s.shapes if sh.shape_type == 13]
        assert len(pictures) >= 5
        assert _child_processes() == before
    finally:
        m.close()


def _never(args):
    """A worker's task that never ends (stands in for a worker that does not start)."""
    import time as clock

    clock.sleep(3600)


def test_a_missing_folder_and_a_region_without_values_are_said_before_the_work(demo_copy, tmp_path):
    """Issue 25: `report --out /nicht/da/x.pdf` worked 30 s before it said the folder was missing; a chosen region
    without values for the chosen indicators disappeared from the report without a word."""
    proc = cli("report", "--fields", "sprache", "--out", str(tmp_path / "nicht" / "da" / "x.pdf"), db=demo_copy)
    assert proc.returncode == 2 and "Den Ordner" in proc.stderr and "gibt es nicht" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = cli("export-values", str(tmp_path / "nicht" / "werte.xlsx"), db=demo_copy)
    assert proc.returncode == 2 and "gibt es nicht" in proc.stderr
    out = tmp_path / "x.pdf"
    # Gemeinde Edemissen has values only for indicators on the Gemeinde level, none in Sprache
    proc = cli("report", "--fields", "sprache", "--regions", "03157001", "--out", str(out), db=demo_copy)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "keine Werte" in proc.stderr and "Edemissen" in proc.stderr
    assert not out.exists()
