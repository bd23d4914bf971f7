"""The Batken data set's facts (``flowmap.batken.facts``) agree with its tables, and every
front end reads them from there."""

from __future__ import annotations

import re
from pathlib import Path

from flowmap.app.view import DESTINATIONS, PERIODS, YEARS, ViewState
from flowmap.batken import facts
from flowmap.batken.build import BuildSettings
from flowmap.batken.data import load_balances, load_flows, load_places
from flowmap.batken.query import DEFAULT_PERIOD, Selection  # the preset's name for it
from flowmap.text.period import Period

ROOT = Path(__file__).resolve().parents[1]


def test_the_facts_are_those_of_the_embedded_tables() -> None:
    places = load_places()
    flows = load_flows(places=places)
    ends = flows[(flows["origin"] == facts.FOCUS) | (flows["destination"] == facts.FOCUS)]
    periods = {Period.parse(str(p)) for p in ends["period"]}
    assert sorted(p.start for p in periods if p.is_year) == list(facts.YEARS)
    assert sorted(p for p in periods if not p.is_year) == list(facts.SPANS)
    balances = load_balances()
    assert set(balances["place"]) == {facts.FOCUS}
    counterparts = {*ends["origin"], *ends["destination"]} - {facts.FOCUS}
    assert set(facts.DESTINATIONS) | set(facts.AGGREGATES) == counterparts
    assert set(places.loc[list(facts.AGGREGATES), "kind"]) == {"aggregate"}
    assert places.at[facts.FOCUS, "name_en"].startswith(facts.FOCUS_NAME)
    assert facts.DEFAULT_YEAR in facts.YEARS
    assert facts.DEFAULT_PERIOD in facts.SPANS
    assert Period(min(facts.YEARS), max(facts.YEARS)) == facts.PERIOD_ALL


def test_the_preset_and_the_app_read_the_facts() -> None:
    assert Selection().focus == BuildSettings().focus == facts.FOCUS
    assert DEFAULT_PERIOD == facts.DEFAULT_PERIOD
    assert BuildSettings().derived_periods == facts.SPANS
    assert (YEARS, DESTINATIONS) == (facts.YEARS, facts.DESTINATIONS)
    assert tuple(str(p) for p in facts.SPANS) == PERIODS
    assert ViewState().period == str(facts.DEFAULT_PERIOD)


def test_no_front_end_or_preset_module_spells_the_focus_or_the_years() -> None:
    """``"KG-B"``, ``2014-2023`` and the app's year range are written only in the facts."""
    sources = [
        ROOT / "app.py",
        *(ROOT / "webapp").glob("*.py"),
        *(ROOT / "src" / "flowmap" / "cli").glob("*.py"),
        *(ROOT / "src" / "flowmap" / "app").glob("*.py"),
        ROOT / "src" / "flowmap" / "batken" / "query.py",
        ROOT / "src" / "flowmap" / "batken" / "dataset.py",
    ]
    literal = re.compile(r"""["']KG-B["']|Period\(20\d\d|range\(20\d\d""")
    found = [
        f"{path.name}:{n}"
        for path in sources
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if literal.search(line)
    ]
    assert found == []
