"""The shipped indicator catalog: the reference set of indicator-catalog.md, and clear errors for broken files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from indicators.catalog import DIMENSIONS, CatalogError, load_catalog

DEFINITIONS = Path(__file__).resolve().parents[1] / "indicators" / "definitions"

#: The reference set (docs/indicator-catalog.md): id, field of action, name (de), unit, direction.
EXPECTED: list[tuple[str, str, str, str, str]] = [
    ("auslaenderanteil", "rahmen", "Ausländeranteil", "%", "context"),
    ("auslaender_anzahl", "rahmen", "Ausländerinnen und Ausländer", "Anzahl", "context"),
    ("aufenthalt_8j_anteil", "rahmen", "Ausländer mit mind. 8 Jahren Aufenthalt", "%", "up"),
    ("wanderungssaldo_auslaender", "rahmen", "Wanderungssaldo Ausländer je 1000 EW", "je 1000 EW", "context"),
    ("schutzsuchende_anteil", "rahmen", "Anteil Schutzsuchende", "%", "context"),
    ("segregationsindex", "rahmen", "Segregationsindex (Gemeinden)", "Index", "down"),
    ("einbuergerungsquote", "migrationsmanagement", "Einbürgerungsquote I", "%", "up"),
    ("einbuergerungsquote_alle", "migrationsmanagement", "Einbürgerungsquote II", "%", "up"),
    ("sicherer_aufenthalt_anteil", "migrationsmanagement", "Gesicherter Aufenthaltsstatus", "%", "up"),
    ("duldung_anteil", "migrationsmanagement", "Anteil Geduldeter", "%", "down"),
    (
        "bearbeitungsdauer_aufenthaltstitel",
        "migrationsmanagement",
        "Bearbeitungsdauer Aufenthaltstitel",
        "Tage",
        "down",
    ),
    ("betreuungsquote_u3_mh", "bildung", "Betreuungsquote U3 mit Migrationshintergrund", "%", "up"),
    ("betreuungsquote_3_6_mh", "bildung", "Betreuungsquote 3 bis 6 mit Migrationshintergrund", "%", "up"),
    ("schulabgang_ohne_abschluss_ausl", "bildung", "Schulabgang ohne Abschluss (Ausländer)", "%", "down"),
    ("schulabgang_ohne_abschluss_gap", "bildung", "Abstand Schulabgang ohne Abschluss", "%-Pkt.", "zero"),
    ("hochschulreife_ausl", "bildung", "Hochschulreife (Ausländer)", "%", "up"),
    ("gymnasium_jg8_ausl", "bildung", "Gymnasialquote Jahrgang 8 (Ausländer)", "%", "up"),
    ("ausbildungseinmuendung_ausl", "bildung", "Einmündung in Ausbildung (Ausländer)", "%", "up"),
    ("anerkennung_quote", "bildung", "Anerkennung ausländischer Abschlüsse", "%", "up"),
    ("integrationskurs_teilnahme", "sprache", "Teilnahme an Integrationskursen", "%", "up"),
    ("dtz_b1_quote", "sprache", "Erfolgsquote B1 im Deutsch-Test für Zuwanderer", "%", "up"),
    ("sprachfoerderbedarf_einschulung", "sprache", "Sprachförderbedarf bei der Einschulung", "%", "down"),
    ("familiensprache_nichtdeutsch_kita", "sprache", "Kita-Kinder mit nichtdeutscher Familiensprache", "%", "context"),
    ("sprachkursplaetze_je_100", "sprache", "Sprachkursplätze je 100 Neuzugewanderte", "je 100", "up"),
    ("alq_auslaender", "arbeit", "Arbeitslosenquote Ausländer", "%", "down"),
    ("alq_gap", "arbeit", "Abstand Arbeitslosenquote", "%-Pkt.", "zero"),
    ("beschaeftigungsquote_ausl", "arbeit", "Beschäftigungsquote Ausländer", "%", "up"),
    ("beschaeftigungsquote_ausl_frauen", "arbeit", "Beschäftigungsquote ausländische Frauen", "%", "up"),
    ("sgb2_quote_ausl", "arbeit", "SGB-II-Quote Ausländer", "%", "down"),
    ("langzeitarbeitslose_anteil_ausl", "arbeit", "Langzeitarbeitslose unter arbeitslosen Ausländern", "%", "down"),
    ("wahlbeteiligung_kommunal", "gesellschaft", "Wahlbeteiligung Kommunalwahl", "%", "up"),
    (
        "integrationsbeirat_mitglieder_mh",
        "gesellschaft",
        "Mitglieder mit Migrationsgeschichte in Kreistag und Beiräten",
        "Anzahl",
        "up",
    ),
    ("diskriminierung_beratungsfaelle", "gesellschaft", "Beratungsfälle Antidiskriminierung", "Anzahl", "context"),
    ("ehrenamt_integrationslotsen", "gesellschaft", "Aktive Integrationslotsinnen und -lotsen", "Anzahl", "up"),
    ("wohnen_dezentral_anteil", "gesellschaft", "Dezentrale Unterbringung Geflüchteter", "%", "up"),
    ("masern_impfquote_ausl", "gesellschaft", "Masern-Impfquote bei Einschulung (Ausländer)", "%", "up"),
    ("vorsorge_u8u9_ausl", "gesellschaft", "Vorsorgeuntersuchung U8/U9 wahrgenommen (Ausländer)", "%", "up"),
    ("personal_mh_anteil", "kommunikation", "Beschäftigte mit Migrationsgeschichte in der Kreisverwaltung", "%", "up"),
    ("auszubildende_mh_anteil", "kommunikation", "Auszubildende mit Migrationsgeschichte", "%", "up"),
    ("interkulturell_geschult_anteil", "kommunikation", "Interkulturell geschulte Beschäftigte", "%", "up"),
    ("sprachmittlung_einsaetze", "kommunikation", "Einsätze der Sprachmittlung", "Anzahl", "context"),
    ("mehrsprachige_informationen", "kommunikation", "Sprachen der zentralen Informationsangebote", "Anzahl", "up"),
]
FIELDS = ["rahmen", "bildung", "sprache", "arbeit", "gesellschaft", "kommunikation", "migrationsmanagement"]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(DEFINITIONS)


# -- the shipped catalog ------------------------------------------------------------------------
def test_expected_table_is_complete():
    assert len(EXPECTED) == 42
    assert len({row[0] for row in EXPECTED}) == 42


def test_shipped_catalog_loads(catalog):
    assert catalog.fingerprint
    assert sorted(catalog.fields) == sorted(FIELDS)
    assert [f.id for f in catalog.ordered_fields()] == FIELDS


def test_exactly_the_reference_indicators(catalog):
    assert set(catalog.indicators) == {row[0] for row in EXPECTED}


@pytest.mark.parametrize(("iid", "field", "name", "unit", "direction"), EXPECTED, ids=[r[0] for r in EXPECTED])
def test_indicator_matches_reference(catalog, iid, field, name, unit, direction):
    ind = catalog.indicators[iid]
    assert (ind.field, ind.name, ind.unit, ind.direction) == (field, name, unit, direction)


def test_one_headline_per_field(catalog):
    for f in catalog.fields:
        marked = [i.id for i in catalog.by_field(f) if i.headline_of_field]
        assert len(marked) == 1, f"Handlungsfeld {f}: {marked}"
    assert len(catalog.headline_indicators()) == len(FIELDS)


def test_every_variable_is_used(catalog):
    used = set().union(*(i.variables() for i in catalog.indicators.values()))
    assert used == set(catalog.variables)


def test_definitions_are_coherent(catalog):
    for ind in catalog.indicators.values():
        # the headline names only dimensions the indicator breaks down by
        assert set(ind.headline) <= set(ind.breakdowns), ind.id
        assert set(ind.headline_key) == set(DIMENSIONS)
        # units fit the formula kind
        if ind.kind == "share":
            assert ind.unit == "%", ind.id
        if ind.kind == "gap":
            assert ind.unit == "%-Pkt." and ind.direction == "zero", ind.id
        if ind.kind == "dissimilarity":
            assert ind.unit == "Index", ind.id
        # German texts
        assert ind.interpretation.startswith("Ein Anstieg"), ind.id
        assert ind.source and ind.reference_date


def test_lagged_denominators_where_the_method_says_so(catalog):
    for iid in ("einbuergerungsquote", "einbuergerungsquote_alle"):
        ind = catalog.indicators[iid]
        assert ind.denominator.lag == 1 and ind.numerator.lag == 0


def test_ausl_indicators_switch_by_nationality(catalog):
    for iid in (
        "schulabgang_ohne_abschluss_ausl",
        "hochschulreife_ausl",
        "gymnasium_jg8_ausl",
        "alq_auslaender",
        "beschaeftigungsquote_ausl",
        "sgb2_quote_ausl",
        "masern_impfquote_ausl",
        "vorsorge_u8u9_ausl",
    ):
        ind = catalog.indicators[iid]
        assert "nationality" in ind.breakdowns and ind.headline_key["nationality"] == "auslaendisch", iid


def test_gemeinde_series_note_the_merger(catalog):
    for ind in catalog.indicators.values():
        if ind.gemeinde_level:
            assert any(b.year == 2015 for b in ind.series_breaks), ind.id


# -- broken definitions -------------------------------------------------------------------------
def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS, target)
    return target


def _edit(folder: Path, file: str, change) -> None:
    """Load a definition file, let ``change`` modify the data, write it back."""
    path = folder / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _indicator(data: dict, iid: str) -> dict:
    return next(i for i in data["indicators"] if i["id"] == iid)


def _break_kind(d: dict) -> None:
    _indicator(d, "hochschulreife_ausl")["kind"] = "quotient"


def _drop_numerator(d: dict) -> None:
    del _indicator(d, "hochschulreife_ausl")["numerator"]


def _unknown_variable(d: dict) -> None:
    _indicator(d, "hochschulreife_ausl")["numerator"]["variable"] = "abiturienten"


def _wrong_direction(d: dict) -> None:
    _indicator(d, "hochschulreife_ausl")["direction"] = "higher"


def _field_mismatch(d: dict) -> None:
    _indicator(d, "hochschulreife_ausl")["field"] = "arbeit"


def _headline_not_broken_down(d: dict) -> None:
    _indicator(d, "hochschulreife_ausl")["headline"] = {"category": "abitur"}


def _unit_of_share(d: dict) -> None:
    _indicator(d, "hochschulreife_ausl")["unit"] = "Anzahl"


def _bad_nationality_code(d: dict) -> None:
    _indicator(d, "hochschulreife_ausl")["numerator"]["filter"]["nationality"] = "auslaender"


def _two_headlines(d: dict) -> None:
    for ind in d["indicators"][:2]:
        ind["headline_of_field"] = True


BROKEN = [
    # (description, change of bildung.yaml, texts the message must contain)
    ("unknown kind", _break_kind, ["bildung.yaml", "hochschulreife_ausl", "kind"]),
    ("share without numerator", _drop_numerator, ["bildung.yaml", "hochschulreife_ausl", "numerator"]),
    (
        "unknown variable",
        _unknown_variable,
        ["bildung.yaml", "hochschulreife_ausl", "numerator.variable", "abiturienten"],
    ),
    ("wrong direction", _wrong_direction, ["bildung.yaml", "hochschulreife_ausl", "direction"]),
    ("field mismatch", _field_mismatch, ["bildung.yaml", "hochschulreife_ausl", "'field'", "arbeit", "bildung"]),
    (
        "headline without breakdown",
        _headline_not_broken_down,
        ["bildung.yaml", "hochschulreife_ausl", "'headline'", "category"],
    ),
    ("share not in %", _unit_of_share, ["bildung.yaml", "hochschulreife_ausl", "'unit'", "Anzahl"]),
    (
        "unknown nationality code",
        _bad_nationality_code,
        ["bildung.yaml", "hochschulreife_ausl", "'numerator.filter.nationality'", "auslaender"],
    ),
    ("two headline indicators", _two_headlines, ["bildung.yaml", "'headline_of_field'"]),
]


@pytest.mark.parametrize(("what", "change", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_definition_is_named(tmp_path, what, change, expected):
    folder = _copy(tmp_path)
    _edit(folder, "bildung.yaml", change)
    with pytest.raises(CatalogError) as exc:
        load_catalog(folder)
    message = str(exc.value)
    for text in expected:
        assert text in message, f"{what}: {text!r} fehlt in {message!r}"


def test_duplicate_id_is_named(tmp_path):
    folder = _copy(tmp_path)
    # an indicator of arbeit.yaml copied into bildung.yaml (with the right field)
    arbeit = yaml.safe_load((folder / "arbeit.yaml").read_text(encoding="utf-8"))
    twin = dict(_indicator(arbeit, "alq_gap"))
    _edit(folder, "bildung.yaml", lambda d: d["indicators"].append(twin))
    with pytest.raises(CatalogError) as exc:
        load_catalog(folder)
    message = str(exc.value)
    # files are read in name order: arbeit.yaml first, the duplicate is found in bildung.yaml
    for text in ("bildung.yaml", "alq_gap", "arbeit.yaml", "'id'"):
        assert text in message


def test_bad_yaml_syntax_names_file_and_line(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "sprache.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "  name: [Sprache")  # an unclosed bracket
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CatalogError) as exc:
        load_catalog(folder)
    message = str(exc.value)
    assert "sprache.yaml" in message and "Zeile" in message and "YAML" in message


def test_definition_not_in_utf8_is_named(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "sprache.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").replace("Sprache", "Sprache – Fördermaßnahmen").encode("cp1252"))
    with pytest.raises(CatalogError, match=r"^Definitionsdatei sprache\.yaml: nicht in UTF-8 gespeichert\.$"):
        load_catalog(folder)


def test_mapping_file_with_bad_yaml_is_named(tmp_path):
    """The same reading as the definitions, with the mapping's own error and wording."""
    from indicators.ingest.sources.common import MappingError, read_yaml

    bad = tmp_path / "profile_kaputt.yaml"
    bad.write_text("name: test\ncolumns: {region: [A\n", encoding="utf-8")
    with pytest.raises(
        MappingError, match=r"^Zuordnungsdatei profile_kaputt\.yaml \(Zeile \d+, Spalte \d+\): kein gültiges YAML\.$"
    ):
        read_yaml(bad)


def test_unknown_variable_field_in_variables_yaml(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder, "variables.yaml", lambda d: d["variables"][0].update(unit="Personen"))
    with pytest.raises(CatalogError) as exc:
        load_catalog(folder)
    message = str(exc.value)
    assert "variables.yaml" in message and "bevoelkerung" in message and "unit" in message


def test_rounding_dumped_copy_still_loads(tmp_path):
    """Sanity check of the test helper: a load/dump round trip alone breaks nothing."""
    folder = _copy(tmp_path)
    _edit(folder, "bildung.yaml", lambda d: None)
    assert len(load_catalog(folder).indicators) == 42


def test_every_profile_states_numerator_and_denominator(catalog):
    """Issue 14: the Steckbrief names each operand; the register-based and BA denominators with source and date."""
    for ind in catalog.indicators.values():
        texts = ind.operand_texts(catalog.variables)
        assert set(texts) == set(ind.operands()) and all(texts.values()), ind.id
        if ind.denominator is not None and ind.kind != "gap":
            assert "denominator" in texts, ind.id
    assert catalog.indicators["beschaeftigungsquote_ausl"].operand_texts(catalog.variables)["denominator"] == (
        "Bevölkerung 15 bis unter 65 Jahre; 31.12. des Vorjahres, wie die BA rechnet; Regionaldatenbank 12411"
    )
    for iid in ("einbuergerungsquote", "einbuergerungsquote_alle"):
        den = catalog.indicators[iid].operand_texts(catalog.variables)["denominator"]
        assert "31.12. des Vorjahres" in den and "Ausländerzentralregister" in den, iid
