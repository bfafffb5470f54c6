"""The public website (issue 23): built from the demo once per test run (``demo_site``); only what may be public,
suppressed values stay suppressed, nothing from another host, the same data gives the same bytes, and a new build
says what changed since the last publication."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import shutil
from pathlib import Path

import pandas as pd
from conftest import cli, load_frame, make_settings, obs, write_definitions
from test_compute import FIELD, VARIABLES, _gemeinde_rows

from indicators.publish import content, site
from indicators.service import open_monitor

INTERNAL = "bearbeitungsdauer_aufenthaltstitel"  # public: false in migrationsmanagement.yaml


def _html(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8") for p in folder.rglob("*.html")}


def test_the_demo_site_has_a_page_per_indicator_and_its_downloads(demo_site):
    pages = _html(demo_site)
    downloads = [p for p in (demo_site / "daten").iterdir() if p.suffix in (".csv", ".json")]
    assert len(pages) >= 40 and len(downloads) >= 40, (len(pages), len(downloads))
    indicators = sorted(p.stem for p in (demo_site / "indikatoren").glob("*.html"))
    assert len(indicators) >= 35
    for ind in indicators:  # each with its CSV and JSON, linked from its page
        assert (demo_site / "daten" / f"{ind}.csv").is_file() and (demo_site / "daten" / f"{ind}.json").is_file()
        assert f'href="../daten/{ind}.csv"' in pages[f"indikatoren/{ind}.html"]
    assert {"index.html", "methodik.html", "impressum.html", "daten.html"} <= set(pages)
    assert all('<html lang="de">' in text for text in pages.values())
    # the start page links every field, every field page every indicator of it
    fields = sorted(p.stem for p in (demo_site / "felder").glob("*.html"))
    assert len(fields) == 7 and all(f'href="felder/{f}.html"' in pages["index.html"] for f in fields)


def test_without_imprint_and_contact_the_site_says_so_neutrally(demo_site, demo_database, tmp_path):
    """Citizens read no setting names and no reference to a contact that is not named; the administration is
    warned with the settings (the preview's and the command line's warnings)."""
    page = (demo_site / "impressum.html").read_text(encoding="utf-8")
    assert "MONITOR_" not in page and "Einstellung" not in page
    assert "Die Angaben zum Impressum werden derzeit ergänzt." in page
    assert "Eine Kontaktangabe wird derzeit ergänzt." in page
    assert "oben genannte Kontaktstelle" not in page and "mailto:" not in page
    db = tmp_path / "monitor.duckdb"  # a copy: another test of this process may hold the session's demo database
    shutil.copyfile(demo_database, db)
    m = open_monitor(db)
    try:
        warnings = content.preview(m).warnings
    finally:
        m.close()
    assert [w.split(" (")[0] for w in warnings] == [
        "Das Impressum ist nicht eingerichtet",
        "Die Kontaktangabe ist nicht eingerichtet",
    ]
    assert "MONITOR_PUBLISH_IMPRESSUM" in warnings[0] and "MONITOR_PUBLISH_KONTAKT" in warnings[1]


def test_an_indicator_not_marked_public_is_absent_everywhere(demo_site):
    assert not (demo_site / "indikatoren" / f"{INTERNAL}.html").exists()
    assert not list(demo_site.rglob(f"{INTERNAL}*"))
    for path in [*demo_site.rglob("*.html"), *demo_site.rglob("*.csv"), *demo_site.rglob("*.json")]:
        text = path.read_text(encoding="utf-8")
        assert INTERNAL not in text and "Bearbeitungsdauer Aufenthaltstitel" not in text, path


def test_nothing_is_loaded_from_another_host_and_links_are_relative(demo_site):
    attr = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
    for name, text in _html(demo_site).items():
        for target in attr.findall(text):
            assert not re.match(r"^(https?:)?//", target, re.IGNORECASE), (name, target)
            assert not target.startswith("/"), (name, target)  # relative: works from any path and from disk
            if not target.startswith(("mailto:", "#")):
                assert (demo_site / name).parent.joinpath(target.split("#")[0]).resolve().is_file(), (name, target)
    css = (demo_site / "assets" / "stil.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css
    assert (demo_site / "assets" / "plotly.min.js").stat().st_size > 1_000_000  # the bundled Plotly


def test_every_chart_has_a_text_alternative_and_a_table_without_javascript(demo_site):
    page = (demo_site / "indikatoren" / "alq_auslaender.html").read_text(encoding="utf-8")
    assert 'id="chart-alq_auslaender"' in page and 'aria-hidden="true"' in page
    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", page, re.S).group(1)
    assert caption.startswith("Liniendiagramm") and "Niedersachsen" in caption and "Ziel:" in caption
    tables = pd.read_html(io.StringIO(page), thousands=".", decimal=",")
    trend = tables[0]
    assert list(trend.columns[:3]) == ["Jahr", "Landkreis Peine", "Niedersachsen"]
    assert trend["Landkreis Peine"].str.endswith("%").all()
    # the verdict with its explanation, the definition, the comparison with other Kreise
    for words in ("Was die Bewertung sagt", "Verfahren:", "Definition", "Stichtag", "Quelle", "Stand"):
        assert f">{words}" in page, words
    assert "Vergleich mit anderen Regionen" in page and "Kreisen in Niedersachsen" in page
    groups = tables[1]  # the Kreis by Deutsche / Ausländer, as the app's breakdown
    assert list(groups.columns) == ["Jahr", "Insgesamt", "Ausländer/-innen", "Deutsche"]
    assert groups["Ausländer/-innen"].tolist() == trend["Landkreis Peine"].tolist()
    share = (demo_site / "indikatoren" / "beschaeftigungsquote_ausl.html").read_text(encoding="utf-8")
    assert "<dt>Zähler</dt>" in share and "<dt>Nenner</dt>" in share


def test_notes_only_where_marked_public(demo_site):
    text = "\n".join(_html(demo_site).values())
    assert "Ankunft vieler Geflüchteter" in text  # the demo's public note
    assert "Zuzug aus der Ukraine (Demo-Notiz)" not in text  # the other one stays in the app


def test_the_open_sdg_csv_is_tidy(demo_site):
    rows = list(csv.reader(io.StringIO((demo_site / "daten" / "alq_auslaender.csv").read_text(encoding="utf-8"))))
    head = rows[0]
    assert head[0] == "Year" and head[-2:] == ["Units", "Value"] and "Region" in head
    headline = [r for r in rows[1:] if all(c == "" for c in r[1:-2])]
    assert headline and all(r[-2] == "%" for r in headline)
    json_values = json.loads((demo_site / "daten" / "alq_auslaender.json").read_text(encoding="utf-8"))
    own = [
        v
        for v in json_values["werte"]
        if v["regionalschluessel"] == "03157" and v["nationality"] == "auslaendisch" and v["sex"] == "insgesamt"
    ]
    assert sorted(int(r[0]) for r in headline) == sorted(v["jahr"] for v in own if v["wert"] is not None)
    assert {float(r[-1]) for r in headline} == {v["wert"] for v in own if v["wert"] is not None}


def test_the_same_data_gives_the_same_bytes(demo_site, demo_database, tmp_path):
    db = tmp_path / "monitor.duckdb"
    shutil.copyfile(demo_database, db)
    proc = cli("publish", "--out", str(tmp_path / "zweiter"), "--json", db=db)
    assert proc.returncode == 0, proc.stderr
    told = json.loads(proc.stdout)
    assert told["erste_veroeffentlichung"] is True and told["seiten"] >= 40 and told["dateien"] >= 40
    first = {str(p.relative_to(demo_site)): p.read_bytes() for p in demo_site.rglob("*") if p.is_file()}
    second = {
        str(p.relative_to(tmp_path / "zweiter")): p.read_bytes()
        for p in (tmp_path / "zweiter").rglob("*")
        if p.is_file()
    }
    assert len(first) > 100 and first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_a_new_build_states_what_changed_and_removes_what_is_gone(demo_site, demo_database, tmp_path, monkeypatch):
    from indicators import targets
    from indicators.service import open_monitor as open_

    db = tmp_path / "monitor.duckdb"
    shutil.copyfile(demo_database, db)
    folder = tmp_path / "website"
    shutil.copytree(demo_site, folder)
    (folder / "eigene-datei.txt").write_text("vom Webteam", encoding="utf-8")  # not ours: stays
    m = open_(settings=make_settings(tmp_path))
    hostile = '<script>alert("x")</script> **fett** <img src="https://example.invalid/a.png">'
    targets.add_note(m.store, "alq_gap", 2021, hostile, "test", public=True)
    m.close()
    monkeypatch.setenv("MONITOR_PUBLISH_OHNE", "einbuergerungsquote_alle")
    monkeypatch.setenv("MONITOR_PUBLISH_KONTAKT", "integration@example.org")
    proc = cli("publish", "--out", str(folder), db=db)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    # the administration is told what is missing (the imprint), naming the setting; the contact is set
    assert "Hinweis: Das Impressum ist nicht eingerichtet (Einstellung MONITOR_PUBLISH_IMPRESSUM" in out
    assert "MONITOR_PUBLISH_KONTAKT" not in out
    imprint = (folder / "impressum.html").read_text(encoding="utf-8")
    assert 'href="mailto:integration@example.org"' in imprint and "oben genannte Kontaktstelle" in imprint
    assert "Seit der letzten Veröffentlichung:" in out and "3 entfernt" in out
    assert "geändert: indikatoren/alq_gap.html" in out
    assert "entfernt: indikatoren/einbuergerungsquote_alle.html" in out
    assert "entfernt: daten/einbuergerungsquote_alle.csv" in out
    assert not (folder / "indikatoren" / "einbuergerungsquote_alle.html").exists()
    assert (folder / "eigene-datei.txt").read_text(encoding="utf-8") == "vom Webteam"
    page = (folder / "indikatoren" / "alq_gap.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; **fett**" in page  # shown as text, never run
    assert "<script>alert" not in page and "<img" not in page
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["dateien"]
    assert "indikatoren/einbuergerungsquote_alle.html" not in manifest and "eigene-datei.txt" not in manifest


def test_a_foreign_folder_is_refused_and_left_alone(demo_database, tmp_path):
    folder = tmp_path / "homepage"
    folder.mkdir()
    (folder / "index.html").write_text("die Startseite des Kreises", encoding="utf-8")
    proc = cli("publish", "--out", str(folder), db=demo_database)
    assert proc.returncode == 1
    assert "ist nicht leer und enthält keine frühere Veröffentlichung" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert [p.name for p in folder.iterdir()] == ["index.html"]
    assert (folder / "index.html").read_text(encoding="utf-8") == "die Startseite des Kreises"


def test_indicators_from_an_own_list_kept_internal_are_withheld(demo_database, tmp_path):
    db = tmp_path / "monitor.duckdb"
    shutil.copyfile(demo_database, db)
    m = open_monitor(settings=make_settings(tmp_path))
    try:
        before = {i.id for i in content.selection(m)[0]}
        m.settings = dataclasses.replace(m.settings, publish_internal_lists=("personalamt",))
        public, withheld = content.selection(m)
    finally:
        m.close()
    gone = before - {i.id for i in public}
    # every indicator that reads a variable of the Personalamt list (the staff count is a denominator too)
    assert gone == {"personal_mh_anteil", "auszubildende_mh_anteil", "interkulturell_geschult_anteil"}
    reasons = {w.id: w.reason for w in withheld}
    assert all("personalamt" in reasons[i] for i in gone)
    assert reasons[INTERNAL] == content.WITHHELD_DEFINITION


def test_a_suppressed_value_of_the_app_is_suppressed_on_the_site(tmp_path):
    """One Gemeinde below the minimum count (Fz) and, so that it cannot be derived, the smallest other one (Fz2): the
    site shows their signs, never a number, in pages, CSV and JSON."""
    field = FIELD.replace("field: {id: test, name: Testfeld}", "field: {id: test, name: Testfeld, public: true}")
    field = field.replace("  - id: saldo_rate\n", "  - id: saldo_rate\n    public: false\n")
    defs = write_definitions(tmp_path / "defs", VARIABLES, {"test": field})
    imprint = tmp_path / "impressum.txt"
    imprint.write_text("Landkreis Peine\nBurgstraße 1\n\nVertreten durch <b>den Landrat</b>", encoding="utf-8")
    settings = make_settings(tmp_path, definitions=defs)
    settings = dataclasses.replace(settings, publish_imprint=imprint, publish_contact="integration@kreis-peine.de")
    m = open_monitor(settings=settings)
    try:
        load_frame(
            m, obs(_gemeinde_rows(2020, [10, 2, 30, 40, 50, 60, 90], [190, 180, 170, 160, 150, 140, 110])), tmp_path
        )
        app = m.store.query_df(
            "SELECT region, flag FROM indicator_values WHERE indicator = 'anzahl' AND year = 2020 AND value IS NULL"
        )
        assert dict(zip(app["region"], app["flag"])) == {"03157002": "Fz", "03157001": "Fz2"}
        files = site.render(content.gather(m))
    finally:
        m.close()
    assert not any("saldo_rate" in p for p in files)  # marked not public
    values = json.loads(files["daten/anzahl.json"])["werte"]
    shown = {v["regionalschluessel"]: (v["wert"], v["kennzeichen"]) for v in values if v["jahr"] == 2020}
    assert shown["03157002"] == (None, "Fz") and shown["03157001"] == (None, "Fz2")
    assert shown["03157004"] == (30.0, None)
    csv_rows = list(csv.reader(io.StringIO(files["daten/anzahl.csv"].decode("utf-8"))))
    regions = [r[1] for r in csv_rows[1:]]
    assert "Edemissen" not in regions and "Hohenhameln" not in regions, csv_rows
    all_rows = [r for r in csv.reader(io.StringIO(files[site.ALL_VALUES].decode())) if r[3] in ("03157001", "03157002")]
    assert all_rows and all(r[-2] == "" and r[-1] in ("Fz", "Fz2") for r in all_rows)
    # imprint and contact from the settings, as text
    page = files["impressum.html"].decode("utf-8")
    assert (
        "<p>Landkreis Peine Burgstraße 1</p>" in page
        and "<p>Vertreten durch &lt;b&gt;den Landrat&lt;/b&gt;</p>" in page
    )
    assert '<a href="mailto:integration@kreis-peine.de">integration@kreis-peine.de</a>' in page


def test_an_unreadable_imprint_is_named_and_nothing_is_written(demo_database, tmp_path, monkeypatch):
    monkeypatch.setenv("MONITOR_PUBLISH_IMPRESSUM", str(tmp_path / "fehlt.txt"))
    proc = cli("publish", "--out", str(tmp_path / "website"), db=demo_database)
    assert proc.returncode == 1 and "Die Impressumsdatei fehlt.txt (MONITOR_PUBLISH_IMPRESSUM)" in proc.stderr
    assert not (tmp_path / "website").exists()


def test_the_verwaltung_page_previews_and_publishes(writable_demo_db, tmp_path, monkeypatch):
    """Administration: the tab 'Veröffentlichen' lists what becomes public and what not (with the reason), and its
    button builds the site into MONITOR_PUBLISH_DIR and says what it wrote."""
    from streamlit.testing.v1 import AppTest

    from indicators import texts

    folder = tmp_path / "website"
    monkeypatch.setenv("MONITOR_PUBLISH_DIR", str(folder))
    app = str(Path(__file__).resolve().parent.parent / "app.py")
    # a note marked public on the indicator page (issue 23: the new checkbox)
    at = AppTest.from_file(app, default_timeout=120)
    at.switch_page("views/indikator.py")
    at.query_params["id"] = "alq_gap"
    at.run()
    at.text_input(key="note_text").set_value("Neue Zählweise der Arbeitsagentur")
    at.number_input[0].set_value(2023)
    at.checkbox(key="note_public").check()
    at.button[[b.label for b in at.button].index("Notiz speichern")].click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    listed = next(d.value for d in at.dataframe if "Notiz" in d.value.columns).set_index("Notiz")
    assert listed.loc["Neue Zählweise der Arbeitsagentur", "Öffentlich"] == "ja"

    at = AppTest.from_file(app, default_timeout=120)
    at.switch_page("views/verwaltung.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(str(m.value) for m in at.markdown)
    assert "Indikatoren in 7 Handlungsfeldern, 2 öffentliche Notizen" in shown
    warned = [w.value for w in at.warning]
    assert texts.PUBLISH_MISSING_IMPRINT in warned and texts.PUBLISH_MISSING_CONTACT in warned, warned
    notes = next(f for f in (d.value for d in at.dataframe) if "Notiz" in f.columns)
    assert notes["Notiz"].tolist() == ["Ankunft vieler Geflüchteter (Demo-Notiz)", "Neue Zählweise der Arbeitsagentur"]
    frames = [d.value for d in at.dataframe]
    withheld = next(f for f in frames if "Grund" in f.columns)
    assert withheld.set_index("Indikator")["Grund"].to_dict() == {
        "Bearbeitungsdauer Aufenthaltstitel": content.WITHHELD_DEFINITION
    }
    settings = next(t.value for t in at.table if "MONITOR_PUBLISH_DIR" in t.value.to_string())
    assert "website/" in settings.to_string() and str(tmp_path) not in settings.to_string()
    at.button(key="publish_now").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    done = at.success[0].value.replace("\\", "")  # (plain(): Markdown characters escaped)
    assert done.startswith("Website erstellt in website/: 52 Seiten, 83 Datendateien, "), done
    assert str(tmp_path) not in done  # no server path on a page
    assert texts.PUBLISH_FIRST in [i.value.replace("\\", "") for i in at.info]
    assert (folder / "index.html").is_file() and (folder / "manifest.json").is_file()
    assert "Neue Zählweise der Arbeitsagentur" in (folder / "indikatoren" / "alq_gap.html").read_text(encoding="utf-8")


def test_the_preview_counts_one_note_in_the_singular():
    """The Verwaltung page said „1 öffentliche Notizen“ (review); one is singular, more stay plural."""
    from indicators.publish.content import Preview

    one = Preview([("Arbeit", "Arbeitslosenquote")], [], [(2023, "Arbeitslosenquote", "Neue Zählweise")])
    assert one.count_line == "1 Indikator in 1 Handlungsfeld, 1 öffentliche Notiz."
    two = Preview([("Arbeit", "A"), ("Bildung", "B")], [], [(2023, "A", "x"), (2024, "B", "y")])
    assert two.count_line == "2 Indikatoren in 2 Handlungsfeldern, 2 öffentliche Notizen."
