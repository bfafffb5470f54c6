"""The 8 real public exports (tests/fixtures/samples/real, origin in PROVENANCE.md): each recognised by its
content, every cell of expected.json read (symbols included), and the refusal of files whose statistic the
catalog does not use checked word for word.

Cells of columns the catalog does not take (deaths, the BA's Sanktionen, the rate on dependent labour, the
Open SDG indicator 10-1) are read with a mapping extended the way the refusal tells a user to extend it
(a copy of the mapping folder via MONITOR_DEFINITIONS), so the readers are shown to read those cells too.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
from pathlib import Path

import pytest
import yaml

from indicators.ingest.base import RawFile
from indicators.ingest.pipeline import detect, parse
from tests.conftest import SHIPPED_DEFINITIONS, make_settings

REAL = Path(__file__).parent / "fixtures" / "samples" / "real"
EXPECTED = json.loads((REAL / "expected.json").read_text(encoding="utf-8"))

#: per expected.json entry (same order): the observation that holds the cell
SELECT = [
    dict(variable="bevoelkerung"),
    dict(variable="bevoelkerung", sex="weiblich"),
    dict(variable="bevoelkerung"),
    dict(variable="bevoelkerung"),
    dict(variable="bevoelkerung"),
    dict(variable="bevoelkerung"),
    dict(variable="bevoelkerung"),
    dict(variable="bevoelkerung"),
    dict(variable="bevoelkerung"),
    dict(variable="gestorbene", nationality="auslaendisch", age_group="insgesamt"),
    dict(variable="gestorbene", nationality="auslaendisch", sex="maennlich", age_group="insgesamt"),
    dict(variable="gestorbene", nationality="deutsch", sex="maennlich", age_group="11-12"),
    dict(variable="gestorbene", age_group="unbekannt"),
    dict(variable="arbeitslose"),
    dict(variable="arbeitslose", nationality="auslaendisch"),
    dict(variable="alq", nationality="auslaendisch"),
    dict(variable="alq_abh"),
    dict(variable="arbeitslose", nationality="auslaendisch"),
    dict(variable="bevoelkerung"),
    dict(variable="bevoelkerung"),
    dict(variable="bevoelkerung", age_group="u1"),
    dict(variable="bevoelkerung", age_group="insgesamt"),
    dict(variable="elb_sgb2", nationality="auslaendisch"),
    dict(variable="elb_sgb2", nationality="auslaendisch"),
    dict(variable="sanktionierte_neu", nationality="auslaendisch"),
    dict(variable="sanktionierte_neu", nationality="auslaendisch"),
    dict(variable="schulabsolventen_hsa", nationality="auslaendisch"),
    dict(variable="schulabsolventen_hsa", nationality="auslaendisch", sex="weiblich"),
    dict(variable="schulabsolventen_hsa", category="differenz"),
    dict(variable="schulabsolventen_hsa", nationality="auslaendisch"),
    dict(variable="schulabsolventen_hsa", nationality="auslaendisch"),
]
FORMATS = {
    "genesis_table/regio_12411-01-01-4_bevoelkerung_kreise_2018.csv": "GENESIS-Tabelle (CSV)",
    "genesis_table/destatis_12411-0015_bevoelkerung_kreise_2014-2018.csv": "GENESIS-Tabelle (CSV)",
    "genesis_table/destatis_12613-0004_gestorbene_nationalitaet.csv": "GENESIS-Tabelle (CSV)",
    "genesis_table/regio_13211-02-05-4_arbeitslose_kreise_2023.csv": "GENESIS-Tabelle (CSV)",
    "genesis_xlsx/destatis_12411-0015_bevoelkerung_kreise_2014-2018.xlsx": "GENESIS-Tabelle (CSV)",
    "genesis_flat/oldflat_12411-0012_bevoelkerung_laender_alter_2019.csv": "GENESIS-Flatfile (ffcsv)",
    "ba_excel/ba_sanktionen-d-0-201912-xlsx.xlsx": "Tabelle der Statistik der Bundesagentur für Arbeit (Excel)",
    "open_sdg/dns_indicator_10-1_auslaendische_schulabsolventen.csv": "Open-SDG-Indikatordatei (CSV)",
}
#: statistics the catalog does not use: refused, word for word
REFUSALS = {
    "genesis_table/destatis_12613-0004_gestorbene_nationalitaet.csv": "Datei destatis_12613-0004_gestorbene_nationalitaet.csv: Die Tabelle 12613-0004 („Gestorbene: Deutschland, "
    "Jahre, Nationalität, Geschlecht, Altersjahre“) gehört zur Statistik 12613, die kein Indikator des Katalogs "
    "verwendet; sie wird nicht übernommen. Wird sie gebraucht: Bitte wenden Sie sich an die Administration (oder die Stabsstelle, die den Monitor betreut): sie kann in der Zuordnung „genesis.yaml“ "
    "unter „statistics“ → „12613“ eine Basisvariable zuordnen. Oder Sie lesen die Datei selbst über "
    "„Spaltenzuordnung anlegen“ auf dieser Seite.",
}


def _raw(rel: str) -> RawFile:
    return RawFile(Path(rel).name, (REAL / rel).read_bytes())


@pytest.fixture(scope="module")
def extended(tmp_path_factory):
    """A definitions folder whose mappings also take the columns the catalog does not use."""
    folder = tmp_path_factory.mktemp("defs")
    shutil.copytree(SHIPPED_DEFINITIONS / "mappings", folder / "mappings")
    g = yaml.safe_load((folder / "mappings" / "genesis.yaml").read_text(encoding="utf-8"))
    g["statistics"]["12613"] = {"values": {"GESTORB": {"variable": "gestorbene", "labels": ["Gestorbene"]}}}
    s13211 = g["statistics"]["13211"]
    s13211["values"]["ERWP01"] = {"variable": "alq_abh", "labels": ["Arbeitslosenquote bez. abh. zivile Erwerbspers."]}
    s13211["skip"] = [x for x in s13211["skip"] if not x.startswith("Arbeitslosenquote")]
    (folder / "mappings" / "genesis.yaml").write_text(yaml.safe_dump(g, allow_unicode=True), encoding="utf-8")
    b = yaml.safe_load((folder / "mappings" / "ba.yaml").read_text(encoding="utf-8"))
    for t in b["tables"]:
        if t.get("columns"):
            t["columns"]["Anzahl neu sanktionierte ausländische ELB"] = {
                "variable": "sanktionierte_neu",
                "nationality": "auslaendisch",
            }
    (folder / "mappings" / "ba.yaml").write_text(yaml.safe_dump(b, allow_unicode=True), encoding="utf-8")
    o = yaml.safe_load((folder / "mappings" / "opensdg.yaml").read_text(encoding="utf-8"))
    o["indicators"] = [i for i in o["indicators"] if i["id"] != "10-1"]  # the shipped entry takes the complement
    o["indicators"].append(
        {
            "id": "10-1",
            "variable": "schulabsolventen_hsa",
            "region": "DG",
            "units": ["percentage", "percentage points"],
            "columns": {
                "Series": {
                    "foreigns": {"nationality": "auslaendisch"},
                    "germans": {"nationality": "deutsch"},
                    "difference": {"category": "differenz"},
                },
                "sex": {"female": {"sex": "weiblich"}, "male": {"sex": "maennlich"}},
            },
        }
    )
    o["region_columns"] = [*o.get("region_columns", []), "länder"]
    (folder / "mappings" / "opensdg.yaml").write_text(yaml.safe_dump(o, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.mark.parametrize("rel", sorted(FORMATS))
def test_real_file_is_recognised_by_content(rel):
    raw = _raw(rel)
    reader, why = detect(RawFile("upload." + raw.extension, raw.content))  # not by its name
    assert reader is not None, why
    assert reader.label.split(" (")[0] == FORMATS[rel].split(" (")[0]


@pytest.mark.parametrize("rel", sorted(REFUSALS))
def test_unused_statistic_is_refused_with_the_way_to_map_it(rel, tmp_path):
    parsed = parse(_raw(rel), make_settings(tmp_path))
    assert [p.text() for p in parsed.errors] == [REFUSALS[rel]]
    assert "Format nicht erkannt" not in REFUSALS[rel] and parsed.format_label != "nicht erkannt"


def _cell(data, region: str, year: int, select: dict):
    dims = {"nationality": "insgesamt", "sex": "insgesamt", "age_group": "insgesamt", "category": "insgesamt", **select}
    hit = data[(data["region"].astype(str) == region) & (data["year"] == year)]
    for col, v in dims.items():
        hit = hit[hit[col].astype(str) == v]
    return hit


@pytest.mark.parametrize(
    "i",
    range(len(EXPECTED)),
    ids=[f"{e['file'].split('/')[-1][:30]}-{e['region']}-{e['year']}-{n}" for n, e in enumerate(EXPECTED)],
)
def test_every_expected_cell_is_read(i, extended, tmp_path, monkeypatch):
    monkeypatch.setenv("MONITOR_DEFINITIONS", str(extended))
    e = EXPECTED[i]
    parsed = parse(_raw(e["file"]), make_settings(tmp_path))
    assert parsed.ok, [p.text() for p in parsed.errors]
    if e["symbol"] == "…" and e["year"] > dt.date.today().year + 1:  # a target year's placeholder row: named, not taken
        assert str(e["year"]) in parsed.assumptions["Zieljahr"] and "„…“" in parsed.assumptions["Zieljahr"]
        assert _cell(parsed.data, e["region"], e["year"], SELECT[i]).empty
        return
    hit = _cell(parsed.data, e["region"], e["year"], SELECT[i])
    assert len(hit) == 1, (e["what"], hit)
    value, flag = hit["value"].iloc[0], hit["flag"].iloc[0]
    if e["value"] is None:
        assert math.isnan(value) and flag == e["symbol"], (e["what"], value, flag)
    else:
        assert value == pytest.approx(e["value"], abs=1e-9) and flag is None, (e["what"], value, flag)


def test_region_names_come_out_of_every_reader(extended, tmp_path, monkeypatch):
    monkeypatch.setenv("MONITOR_DEFINITIONS", str(extended))
    names = {rel: parse(_raw(rel), make_settings(tmp_path)).region_names for rel in FORMATS}
    assert names["genesis_table/regio_12411-01-01-4_bevoelkerung_kreise_2018.csv"]["03157"] == "Peine, Landkreis"
    assert (
        names["genesis_table/destatis_12411-0015_bevoelkerung_kreise_2014-2018.csv"]["03152"] == "Göttingen, Landkreis"
    )
    assert names["genesis_xlsx/destatis_12411-0015_bevoelkerung_kreise_2014-2018.xlsx"]["03157"] == "Peine, Landkreis"
    assert names["genesis_flat/oldflat_12411-0012_bevoelkerung_laender_alter_2019.csv"]["03"] == "Niedersachsen"
    assert names["ba_excel/ba_sanktionen-d-0-201912-xlsx.xlsx"]["03157"] == "Peine, Landkreis"  # not 'JC Peine'
    assert names["ba_excel/ba_sanktionen-d-0-201912-xlsx.xlsx"]["03"] == "Niedersachsen"
    # the German names of the region list, not the DNS file's English ones ('lower saxony', 'bavaria')
    dns = names["open_sdg/dns_indicator_10-1_auslaendische_schulabsolventen.csv"]
    assert (dns["03"], dns["09"], dns["05"]) == ("Niedersachsen", "Bayern", "Nordrhein-Westfalen")


def test_jobcenter_rows_are_mapped_to_the_kreis_as_a_shown_assumption(tmp_path):
    parsed = parse(_raw("ba_excel/ba_sanktionen-d-0-201912-xlsx.xlsx"), make_settings(tmp_path))
    assert parsed.ok, [p.text() for p in parsed.errors]
    assert "Trägernummer" in parsed.assumptions["Regionalschlüssel"]
    assert "JC Peine 24404 → 03157" in parsed.assumptions["Regionalschlüssel"]
    d = parsed.data
    peine = d[(d["region"].astype(str) == "03157")]
    assert list(peine["value"]) == [2047.0]
    assert "24404" not in set(d["region"].astype(str))  # the Jobcenter number never becomes a region key
    # Niedersachsen is listed twice (Länder block and head of its Jobcenter): one observation
    assert len(d[d["region"].astype(str) == "03"]) == 1


#: read as derived values of another variable (100 − x): imported in the complement test below
DERIVED = {"open_sdg/dns_indicator_10-1_auslaendische_schulabsolventen.csv"}


@pytest.mark.parametrize("rel", [r for r in sorted(FORMATS) if r not in REFUSALS and r not in DERIVED])
def test_catalog_files_import_with_the_shipped_mappings(rel, tmp_monitor):
    """Read, validated and committed with the shipped catalog: every expected cell the catalog takes is in the
    database afterwards (value and symbol)."""
    from indicators.ingest.session import import_path

    m = tmp_monitor
    res = import_path(REAL / rel, m.store, m.catalog, m.settings, "test")
    assert res.status == "importiert", [e.text() for e in res.errors]
    checked = 0
    for e, sel in zip(EXPECTED, SELECT):
        if e["file"] != rel or sel["variable"] not in m.catalog.variables:
            continue
        dims = {
            "nationality": "insgesamt",
            "sex": "insgesamt",
            "age_group": "insgesamt",
            "category": "insgesamt",
            **sel,
        }
        rows = m.store.query(
            "SELECT value, flag FROM observations WHERE current AND variable = ? AND region = ? AND year = ? AND "
            "nationality = ? AND sex = ? AND age_group = ? AND category = ?",
            [
                dims["variable"],
                e["region"],
                e["year"],
                dims["nationality"],
                dims["sex"],
                dims["age_group"],
                dims["category"],
            ],
        )
        assert len(rows) == 1, e["what"]
        value, flag = rows[0]
        if e["value"] is None:
            assert value is None and flag == e["symbol"], e["what"]
        else:
            assert value == pytest.approx(e["value"]) and flag is None, e["what"]
        checked += 1
    assert checked >= 1


def test_ba_reference_month_is_shown_as_read_from_the_title(tmp_path):
    parsed = parse(_raw("ba_excel/ba_sanktionen-d-0-201912-xlsx.xlsx"), make_settings(tmp_path))
    assert parsed.assumptions["Stichtag"] == "Berichtsmonat Dezember 2019 → Jahr 2019"


def test_the_complement_series_gives_derived_comparison_values_of_our_indicator(tmp_monitor):
    """Issue 21: the DNS 10.1 file publishes the share of foreign school leavers WITH at least Hauptschulabschluss; our
    indicator is the share WITHOUT. It was refused as unused; now 100 − x is taken as the comparison values of
    'Schulabgang ohne Abschluss (Ausländer)' for Land and Bund, flagged 'abg' (derived), the 'difference' series left
    out."""
    from indicators.ingest import session

    rel = "open_sdg/dns_indicator_10-1_auslaendische_schulabsolventen.csv"
    m = tmp_monitor
    parsed = parse(_raw(rel), m.settings)
    assert parsed.ok, [p.text() for p in parsed.errors]
    d = parsed.data
    ni = _cell(d, "03", 2019, {"nationality": "auslaendisch"})
    assert (ni["variable"].iloc[0], ni["value"].iloc[0], ni["flag"].iloc[0]) == (
        "schulabgang_ohne_abschluss_quote",
        pytest.approx(100 - 76.9),
        "abg",
    )
    assert _cell(d, "03", 2019, {"nationality": "auslaendisch", "sex": "weiblich"})["value"].iloc[0] == pytest.approx(
        100 - 80.5
    )
    assert "differenz" not in set(d["category"].astype(str)) and "difference" in parsed.assumptions["Nicht übernommen"]
    berlin = _cell(d, "11", 2022, {"nationality": "auslaendisch"})  # a symbol stays a symbol, nothing derived
    assert math.isnan(berlin["value"].iloc[0]) and berlin["flag"].iloc[0] == "."
    res = session.import_bytes(rel.split("/")[-1], _raw(rel).content, m.store, m.catalog, m.settings, "test")
    assert res.status == "importiert", [e.text() for e in res.errors]
    row = m.store.query(
        "SELECT value, flag FROM indicator_values WHERE indicator = 'schulabgang_ohne_abschluss_ausl' AND region = '03' "
        "AND year = 2019 AND nationality = 'auslaendisch' AND sex = 'insgesamt'"
    )
    assert len(row) == 1 and row[0][0] == pytest.approx(23.1) and row[0][1] == "abg"

    from indicators.compute import COMPUTED_FLAGS

    assert COMPUTED_FLAGS["abg"].startswith("abgeleitet")
