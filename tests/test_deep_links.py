"""Deep links that a page cannot show say so in one German line and then show the default; parameters
of another view do not linger in the address (AppTest on the demo data)."""

from __future__ import annotations

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")


def _run(page: str | None, query: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if page:  # the page itself is the first request, as with a link in an e-mail
        at.switch_page(page)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def _warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.main.warning]


def _params(at: AppTest) -> dict:
    return {k: at.query_params[k] for k in at.query_params}


def test_indicator_unknown_id_says_so_and_shows_the_default(demo_db):
    at = _run("views/indikator.py", {"id": "doesnotexist"})
    warnings = _warnings(at)
    assert len(warnings) == 1 and "doesnotexist" in warnings[0] and "gibt es nicht" in warnings[0], warnings
    assert at.title[0].value == "Ausländeranteil"
    assert _params(at)["id"] == "auslaenderanteil"


def test_indicator_breakdown_it_cannot_show(demo_db):
    at = _run("views/indikator.py", {"id": "auslaenderanteil", "bd": "nationality"})
    warnings = _warnings(at)
    assert len(warnings) == 1 and "Aufschlüsselung" in warnings[0], warnings
    assert "bd" not in _params(at)


def test_indicator_known_link_has_no_warning(demo_db):
    at = _run("views/indikator.py", {"id": "alq_auslaender", "bd": "nationality"})
    assert not _warnings(at)


def test_comparison_year_not_a_number(demo_db):
    at = _run("views/gemeindevergleich.py", {"id": "auslaenderanteil", "jahr": "abc"})
    warnings = _warnings(at)
    assert len(warnings) == 1 and "abc" in warnings[0] and "Jahr" in warnings[0], warnings
    assert _params(at)["jahr"] == "2025"


def test_comparison_year_without_values(demo_db):
    at = _run("views/gemeindevergleich.py", {"id": "auslaenderanteil", "jahr": "1990"})
    warnings = _warnings(at)
    assert len(warnings) == 1 and "1990" in warnings[0], warnings


def test_comparison_indicator_without_gemeinden(demo_db):
    """alq_gap exists, but not for the Gemeinden: the page says so instead of silently showing another."""
    at = _run("views/gemeindevergleich.py", {"id": "alq_gap"})
    warnings = _warnings(at)
    assert len(warnings) == 1 and "Gemeinden" in warnings[0], warnings
    assert _params(at)["id"] == "auslaenderanteil"


def test_comparison_unknown_id(demo_db):
    at = _run("views/gemeindevergleich.py", {"id": "doesnotexist"})
    warnings = _warnings(at)
    assert len(warnings) == 1 and "doesnotexist" in warnings[0], warnings


def test_presentation_bad_slide_number(demo_db):
    at = _run("views/praesentation.py", {"folie": "abc"})
    warnings = _warnings(at)
    assert len(warnings) == 1 and "abc" in warnings[0], warnings
    assert _params(at)["folie"] == "1"
    at = _run("views/praesentation.py", {"folie": "99"})
    assert len(_warnings(at)) == 1 and "99" in _warnings(at)[0]


def test_presentation_unknown_slides(demo_db):
    at = _run("views/praesentation.py", {"folien": "alq_gap,doesnotexist"})
    warnings = _warnings(at)
    assert len(warnings) == 1 and "doesnotexist" in warnings[0], warnings
    assert "1 / 1" in " ".join(md.value for md in at.markdown)


def test_markdown_in_the_address_is_not_rendered(demo_db):
    at = _run("views/indikator.py", {"id": "**fett**[x](http://example.org)"})
    warnings = _warnings(at)
    assert len(warnings) == 1
    assert "**" not in warnings[0] and "](" not in warnings[0]


@pytest.mark.parametrize(
    "page,query,kept",
    [
        (None, {"id": "alq_gap", "folie": "3"}, set()),  # cockpit
        ("views/indikator.py", {"id": "alq_gap", "folie": "2", "jahr": "2020"}, {"id"}),
        ("views/gemeindevergleich.py", {"id": "auslaenderanteil", "bd": "sex", "folie": "2"}, {"id", "jahr"}),
        ("views/praesentation.py", {"id": "alq_gap", "folie": "2"}, {"folie"}),
        ("views/ziele.py", {"id": "alq_gap", "folie": "2"}, {"id"}),
        ("views/abdeckung.py", {"jahr": "2020"}, set()),
    ],
)
def test_parameters_of_another_view_do_not_linger(demo_db, page, query, kept):
    at = _run(page, query)
    assert set(_params(at)) == kept, _params(at)


def test_targets_page_context_indicator_has_no_target(demo_db):
    """auslaenderanteil is a context indicator: it gets no target; the Ziele page says so."""
    at = _run("views/ziele.py", {"id": "auslaenderanteil"})
    warnings = _warnings(at)
    assert len(warnings) == 1 and "Kontextindikator" in warnings[0], warnings
    at = _run("views/ziele.py", {"id": "doesnotexist"})
    assert len(_warnings(at)) == 1 and "doesnotexist" in _warnings(at)[0]


# -- issue 10 review: the indicator page's address ------------------------------------------------------------
def test_indicator_breakdown_warning_names_it_in_german(demo_db):
    at = _run("views/indikator.py", {"id": "auslaenderanteil", "bd": "nationality"})
    warnings = _warnings(at)
    assert len(warnings) == 1 and "„Deutsche / Ausländer“" in warnings[0] and "nationality" not in warnings[0], warnings
    nonsense = _warnings(_run("views/indikator.py", {"id": "alq_auslaender", "bd": "quatsch"}))
    assert len(nonsense) == 1 and "`quatsch`" in nonsense[0], nonsense


def test_indicator_regions_dropped_with_a_breakdown_say_so(demo_db):
    at = _run("views/indikator.py", {"id": "auslaenderanteil", "bd": "sex", "region": ["03157001", "99999"]})
    warnings = _warnings(at)
    assert any("`99999`" in w and "gibt es hier nicht" in w for w in warnings), warnings
    assert any("`03157001`" in w and "Aufschlüsselung" in w for w in warnings), warnings
    assert "region" not in _params(at) and _params(at).get("bd") == "sex"


def test_indicator_choosing_a_breakdown_puts_it_into_the_address(demo_db):
    at = _run("views/indikator.py", {"id": "alq_auslaender"})
    assert "bd" not in _params(at)
    at.radio(key="breakdown").set_value("nationality").run()
    assert _params(at).get("bd") == "nationality"
    at.radio(key="breakdown").set_value("").run()
    assert "bd" not in _params(at)
    # the address changes from outside (a link within the running session): the page follows it
    at.query_params["bd"] = "nationality"
    at.run()
    assert at.radio(key="breakdown").value == "nationality" and _params(at).get("bd") == "nationality"
