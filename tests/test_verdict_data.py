"""Verdicts as data, wording apart (issue 26): ``indicators.progress`` computes status, figures and reasons as
codes with their parameters and holds no German prose; ``indicators.wording`` turns them into the sentences
(docs/progress-methods.md). The sentences themselves are checked in test_progress.py and test_verdict_wording.py."""

from __future__ import annotations

import ast
import json
import pickle
import re
from pathlib import Path

from indicators import progress, wording
from indicators.progress import Reason, Status, Verdict, Why, assess, assess_linear, assess_opensdg


def codes(v: Verdict) -> list[Why]:
    return [r.code for r in v.reasons]


def test_opensdg_verdict_names_its_reasons_with_the_figures() -> None:
    v = assess_opensdg({2015: 10.0, 2020: 12.0}, "up", target=16.0, target_year=2030)
    observed = (12.0 / 10.0) ** (1 / 5) - 1
    required = (16.0 / 10.0) ** (1 / 15) - 1
    p = observed / abs(required)
    assert p >= 0.95 and v.status is Status.SUBSTANTIAL_PROGRESS
    assert codes(v) == [Why.OBSERVED_GROWTH, Why.REQUIRED_GROWTH, Why.GROWTH_RATIO, Why.PROJECTION, Why.DATA_SPAN]
    ratio = v.reasons[2]
    assert abs(float(ratio.get("p")) - p) < 1e-12  # type: ignore[arg-type]
    assert ratio.get("score") == v.score
    assert v.reasons[0].get("base") == 10.0 and v.reasons[0].get("current_year") == 2020
    assert v.reasons[4].get("first_year") == 2015 and v.reasons[4].get("last_year") == 2020


def test_linear_verdict_reasons_say_why_the_weather() -> None:
    series = {2016: 50.0, 2017: 49.0, 2018: 48.0, 2019: 47.0, 2020: 46.0}
    v = assess_linear(series, "up", 60.0, 2030)
    assert v.status is Status.GEWITTER
    assert codes(v) == [Why.REQUIRED_RATE, Why.PROJECTION, Why.AWAY_FROM_TARGET, Why.DATA_SPAN_POINTS]
    assert v.reasons[0].get("slope") == -1.0
    assert v.reasons[0].get("required") == (60.0 - 46.0) / 10


def test_not_assessable_and_context_are_statuses_not_sentences() -> None:
    empty = assess("opensdg", {2020: None}, "up")
    assert empty.status is Status.NOT_ASSESSABLE and not empty.assessable
    assert codes(empty) == [Why.NO_VALUES]
    assert empty.explanation == "Nicht bewertbar: Es liegen keine Werte vor (unterdrückt oder fehlend)."
    context = assess("sollpfad", {2020: 1.0}, "context")
    assert context.status is Status.CONTEXT and codes(context) == [Why.CONTEXT_INDICATOR]


def test_explanation_is_the_wording_of_the_reasons() -> None:
    v = assess_opensdg({2015: 10.0, 2020: 12.0}, "up", target=16.0, target_year=2030)
    assert wording.explanation(v) == v.explanation
    # the same reason with another figure gives another sentence: the text follows the data
    moved = Reason(Why.SERIES_BREAK, (("year", 2019),))
    data = Verdict("linear", Status.NOT_ASSESSABLE, None, reasons=(moved,), unit="%")
    assert wording.explanation(data) == (
        "Nicht bewertbar: Werte vor dem Bruch der Zeitreihe 2019 sind nicht vergleichbar und bleiben außer Betracht."
    )


def test_every_reason_and_status_has_its_words() -> None:
    assert {w.value for w in Why} == set(wording._SENTENCES)
    for status in Status:
        assert wording.status_label(status) and wording.status_symbol(status)
    assert set(wording.METHOD_LABELS) == set(progress.METHODS)


def test_status_is_stored_and_shown_as_its_id() -> None:
    v = assess_linear({2016: 1.0, 2017: 2.0, 2018: 3.0, 2019: 4.0, 2020: 5.0}, "up")
    assert v.status == "sonne" and f"{v.status}" == "sonne"
    assert json.dumps({"status": v.status}) == '{"status": "sonne"}'
    assert pickle.loads(pickle.dumps(v)) == v  # the pages keep verdicts in Streamlit's cache
    assert hash(v) == hash(pickle.loads(pickle.dumps(v)))
    assert progress.rollup([v])["counts"] == {"sonne": 1}


def _literals(path: Path) -> list[str]:
    """The string literals of a module, without its docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}  # docstrings, also of constants
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    ]


def test_progress_holds_no_german_prose() -> None:
    german = re.compile(r"[äöüÄÖÜß]|\b(der|die|das|und|nicht|wird|Ziel|Wert|Jahr|Bewertung|liegt)\b")
    prose = [s for s in _literals(Path(progress.__file__)) if german.search(s)]
    assert prose == []


def test_wording_does_not_import_progress() -> None:
    # progress words its verdicts with wording; the other way round would be an import cycle
    tree = ast.parse(Path(wording.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert "indicators.progress" not in imported
    assert not any(
        isinstance(node, ast.ImportFrom) and node.module == "indicators" and "progress" in {a.name for a in node.names}
        for node in ast.walk(tree)
    )
