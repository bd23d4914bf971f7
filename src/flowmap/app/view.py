"""What the app shows, as plain functions: view state and its URL, explanations of empty
selections and the data-coverage grid (the charts are in :mod:`flowmap.app.charts`, the
table behind a map in :mod:`flowmap.app.table`).

``app.py`` only wires Streamlit widgets to these; the tests call them directly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, cast

import pandas as pd

from flowmap.batken import facts
from flowmap.batken.dataset import MapData
from flowmap.batken.query import Selection, ancestors, drawable_flows, parents_of, select_flows
from flowmap.core._escape import printable, script_json
from flowmap.core.langs import LANGS
from flowmap.engine.flows import DIRECTIONS as EVERY_DIRECTION
from flowmap.render._assets import asset
from flowmap.render.layer import PALETTES, Palette
from flowmap.render.theme import THEMES, Theme
from flowmap.text.i18n import MESSAGES, msg, t
from flowmap.text.period import Period
from flowmap.text.places import sentence_name

if TYPE_CHECKING:
    pass

DESTINATIONS: tuple[str, ...] = facts.DESTINATIONS
"""The destinations a user can pick, in display order (from :mod:`flowmap.batken.facts`)."""

YEARS: tuple[int, ...] = facts.YEARS
PERIODS: tuple[str, ...] = tuple(str(span) for span in facts.SPANS)
DIRECTIONS: tuple[str, ...] = tuple(d for d in EVERY_DIRECTION if d != "both")
"""The directions the app's Batken page offers: :data:`flowmap.engine.flows.DIRECTIONS`
without ``both`` (which an export and ``data show`` also take)."""
SEXES: tuple[str, ...] = ("total", "male", "female")
BASES: tuple[str, ...] = ("reported", "all")
COMPARABLE: tuple[str, ...] = (*(str(y) for y in YEARS), *PERIODS)
"""The periods a user can compare (the ``compare`` URL value: two of them, comma-separated)."""
COMPARE_DEFAULT: tuple[str, str] = ("2017", "2023")
"""The pair the compare control starts on: the first and last years with figures by sex."""
PALETTE_NAMES: tuple[str, ...] = tuple(PALETTES)
"""The colour palettes a user can pick (:data:`flowmap.render.layer.PALETTES`)."""
THEME_NAMES: tuple[str, ...] = THEMES
"""The looks a user can pick (:data:`flowmap.render.theme.THEMES`)."""


@dataclass(frozen=True)
class ViewState:
    """Every choice of the app: it is mirrored in the URL and restored from it.

    The defaults are the library's (:data:`flowmap.batken.facts.DEFAULT_PERIOD` and the defaults of
    :class:`~flowmap.batken.query.Selection`), so that the app, the command line's exports and
    ``data show`` open on one and the same view.
    """

    lang: str = "en"
    year: int | None = None
    period: str | None = str(facts.DEFAULT_PERIOD)
    dest: tuple[str, ...] = DESTINATIONS
    direction: str = Selection.direction
    sex: str = Selection.sex
    basis: str = Selection.basis
    border: bool = True
    tiles: bool = False
    palette: Palette = "default"
    theme: Theme = "light"
    compare: tuple[str, str] | None = None
    """Two periods (``"2017"``, ``"2014-2023"``): the map of the change from the first to
    the second (:func:`flowmap.batken.compare.compare_map`) instead of one period's map."""
    notes: tuple[str, ...] = field(default=(), compare=False)

    def selection(self, places: pd.DataFrame) -> Selection:
        """Return the library selection of this view (destinations widened to their
        aggregates, so that reported totals such as "other oblasts" stay visible)."""
        period = Period(self.year, self.year) if self.year is not None else None
        if period is None and self.period is not None:
            period = Period.parse(self.period)
        return Selection(
            period=period,
            dest=with_parents(self.dest, places),
            direction=self.direction,
            sex=self.sex,
            age="all",
            basis=self.basis,
        )

    def to_query(self) -> dict[str, str]:
        """Return the URL query parameters of this view."""
        query = {"lang": self.lang}
        if self.year is not None:
            query["year"] = str(self.year)
        elif self.period is not None:
            query["period"] = self.period
        query["dest"] = ",".join(self.dest)
        query.update(direction=self.direction, sex=self.sex, basis=self.basis)
        if not self.border:
            query["border"] = "off"
        if self.tiles:
            query["tiles"] = "on"
        if self.palette != "default":
            query["palette"] = self.palette
        if self.theme != "light":
            query["theme"] = self.theme
        if self.compare is not None:
            query["compare"] = ",".join(self.compare)
        return query


def _first(value: str | Sequence[str] | None) -> str | None:
    """Return a query value (Streamlit gives the last one when a key repeats)."""
    if value is None or isinstance(value, str):
        return value
    return value[-1] if value else None


def state_from_query(query: Mapping[str, str | Sequence[str]]) -> ViewState:
    """Return the view described by URL query parameters.

    Invalid values fall back to the default of their key; each fallback adds a note that the
    app shows (a :class:`~flowmap.text.i18n.Message`: show it with
    ``localise(note, lang)`` in the page's language). Unknown keys are ignored.
    """
    default = ViewState()
    problems: list[tuple[str, str]] = []
    lang = _first(query.get("lang"))
    if lang is not None and lang not in LANGS:
        problems.append(("lang", lang))
        lang = None
    state = replace(default, lang=lang or default.lang)

    def choose(key: str, allowed: Sequence[str]) -> str | None:
        value = _first(query.get(key))
        if value is None:
            return None
        if value not in allowed:
            problems.append((key, value))
            return None
        return value

    year_text = _first(query.get("year"))
    period_text = _first(query.get("period"))
    if year_text is not None:
        if re.fullmatch(r"[0-9]{4}", year_text, re.ASCII) and int(year_text) in YEARS:
            state = replace(state, year=int(year_text), period=None)
        else:
            problems.append(("year", year_text))
    if period_text is not None and state.year is None:
        normalised = period_text.replace("–", "-")
        if normalised in PERIODS:
            state = replace(state, period=normalised)
        else:
            problems.append(("period", period_text))
    dest_text = _first(query.get("dest"))
    if dest_text is not None:
        wanted = [d.strip().upper() for d in dest_text.split(",") if d.strip()]
        good = tuple(d for d in DESTINATIONS if d in wanted)
        bad = [d for d in wanted if d not in DESTINATIONS]
        if bad:
            problems.append(("dest", ",".join(bad)))
        if good or not wanted:
            state = replace(state, dest=good)
    direction = choose("direction", DIRECTIONS)
    sex = choose("sex", SEXES)
    basis = choose("basis", BASES)
    state = replace(
        state,
        direction=direction or state.direction,
        sex=sex or state.sex,
        basis=basis or state.basis,
    )
    border = choose("border", ("on", "off"))
    if border is not None:
        state = replace(state, border=border == "on")
    tiles = choose("tiles", ("on", "off"))
    if tiles is not None:
        state = replace(state, tiles=tiles == "on")
    palette = choose("palette", PALETTE_NAMES)
    if palette is not None:
        state = replace(state, palette=cast(Palette, palette))  # one of PALETTE_NAMES
    theme = choose("theme", THEMES)
    if theme is not None:
        state = replace(state, theme=cast(Theme, theme))
    compare_text = _first(query.get("compare"))
    if compare_text is not None:
        pair = [p.strip().replace("–", "-") for p in compare_text.split(",")]
        if len(pair) == 2 and pair[0] != pair[1] and all(p in COMPARABLE for p in pair):
            state = replace(state, compare=(pair[0], pair[1]))
        else:
            problems.append(("compare", compare_text))
    texts = tuple(
        msg("app.bad_query", key=printable(key, 20), value=printable(value, 40))
        for key, value in problems
    )
    return replace(state, notes=texts)


def flows_for(data: MapData, state: ViewState) -> pd.DataFrame:
    """Return the flows to draw for a view: none when no destination is chosen."""
    frame = data.selected(state.selection(data.places))
    return frame.iloc[0:0] if not state.dest else frame


def with_parents(dest: Sequence[str], places: pd.DataFrame) -> tuple[str, ...]:
    """Return ``dest`` plus the aggregates its places belong to (Osh city -> other oblasts,
    Russia -> abroad), so that a total the source does not split is still shown."""
    parents = parents_of(places)  # read once, not per step
    kinds = {str(k): v for k, v in places["kind"].items()}
    out = list(dest)
    for pid in dest:
        for parent in ancestors(parents, pid):  # nearest first, up to the first non-aggregate
            if kinds[parent] != "aggregate":
                break
            if parent not in out:
                out.append(parent)
    return tuple(out)


def explain(
    flows: pd.DataFrame, state: ViewState, places: pd.DataFrame, drawn: pd.DataFrame
) -> list[str]:
    """Return plain-language notes on what the data cannot show for this view.

    ``drawn`` holds the selected flows (as from :func:`flows_for`). For each chosen
    destination with no line on the map, say so, and say what the source does give for it
    (another period, a total, or modelled estimates).
    """
    return [text for _, _, text in _reasons(flows, state, places, drawn)]


def explain_line(
    flows: pd.DataFrame, state: ViewState, places: pd.DataFrame, drawn: pd.DataFrame
) -> str:
    """Return the notes of :func:`explain` as one short statement ("" when there are none).

    Destinations left out for the same reason are named together ("No reported yearly
    figure for Russia, Uzbekistan and Turkey in 2016."), so that a single-year view says
    in one line what :func:`explain` says place by place; the app shows this line above
    the map and the notes themselves under it, folded.
    """
    return _line(_reasons(flows, state, places, drawn), state, places)


def explained(
    flows: pd.DataFrame, state: ViewState, places: pd.DataFrame, drawn: pd.DataFrame
) -> tuple[list[str], str]:
    """Return the notes of :func:`explain` and their line (:func:`explain_line`), worked
    out once."""
    reasons = _reasons(flows, state, places, drawn)
    return [text for _, _, text in reasons], _line(reasons, state, places)


def _line(reasons: list[tuple[str, str, str]], state: ViewState, places: pd.DataFrame) -> str:
    """Return the line of :func:`explain_line` for the reasons of :func:`_reasons`."""
    if not reasons:
        return ""
    if len(reasons) == 1:  # one note (such as a net view's) is already one statement
        return reasons[0][2]
    lang = state.lang
    selection = state.selection(places)
    period = selection.period.label() if selection.period else ""
    groups: dict[str, list[str]] = {}
    for reason, name, _ in reasons:
        groups.setdefault(reason, []).append(name)
    return " ".join(
        _started(
            t(f"app.explain.group.{reason}", lang, places=join_names(names, lang), period=period)
        )
        for reason, names in groups.items()
    )


def _started(text: str) -> str:
    """Return ``text`` with a capital first letter: a note may start with a group's name,
    written in sentence form («остальные области»)."""
    return text[:1].upper() + text[1:]


def join_names(names: Sequence[str], lang: str) -> str:
    """Return names as a list in ``lang``: "A", "A and B", "A, B and C"."""
    if len(names) < 2:
        return "".join(names)
    return t("geo.and", lang, head=", ".join(names[:-1]), tail=names[-1])


def _reasons(
    flows: pd.DataFrame, state: ViewState, places: pd.DataFrame, drawn: pd.DataFrame
) -> list[tuple[str, str, str]]:
    """Return the notes of :func:`explain` as (reason, place name, note) triples; reason is
    a suffix of the ``app.explain.*`` keys (``other_periods_year``, ``aggregate``...)."""
    lang = state.lang
    selection = state.selection(places)
    period_label = selection.period.label() if selection.period else ""
    notes: list[tuple[str, str, str]] = []
    shown = set(drawable_flows(drawn, places)["counterpart"]) if len(drawn) else set()
    if selection.direction == "net":
        if not shown and state.dest:
            notes.append(("no_net", "", t("app.explain.no_net", lang, period=period_label)))
        return notes
    missing = tuple(dest for dest in state.dest if dest not in shown)
    # Every period and basis of the destinations not drawn, selected once for all of them.
    every = (
        select_flows(flows, replace(selection, dest=missing, basis="all", period=None))
        if missing
        else pd.DataFrame(columns=["counterpart"])
    )
    for dest in missing:
        name = sentence_name(places, dest, lang)
        any_basis = every[every["counterpart"] == dest]
        same_period = any_basis[any_basis["period"] == str(selection.period)]
        if not same_period.empty and state.basis == "reported":
            key = "only_modelled"
            text = _started(t(f"app.explain.{key}", lang, place=name, period=period_label))
            notes.append((key, name, text))
            continue
        reported = any_basis[any_basis["basis"] != "modelled"]
        if not reported.empty:
            periods = ", ".join(
                sorted({Period.parse(p).label() for p in reported["period"]}, key=str)
            )
            key = "other_periods"
            if selection.period is not None and selection.period.is_year:
                key += "_year"
            text = _started(
                t(f"app.explain.{key}", lang, place=name, period=period_label, periods=periods)
            )
            notes.append((key, name, text))
        else:
            text = _started(t("app.explain.nothing", lang, place=name, period=period_label))
            notes.append(("nothing", name, text))
    aggregates = set(with_parents(state.dest, places)) - set(state.dest)
    for agg in sorted(aggregates & shown):
        name = sentence_name(places, agg, lang)
        notes.append(("aggregate", name, _started(t("app.explain.aggregate", lang, place=name))))
    return notes


def coverage(flows: pd.DataFrame, places: pd.DataFrame, *, direction: str = "out") -> pd.DataFrame:
    """Return, for each destination and year, the best basis available: ``reported``,
    ``derived``, ``modelled`` or ``""`` (no data). Columns are the years plus the spans."""
    periods = [str(y) for y in YEARS] + list(PERIODS)
    rank = {"reported": 0, "derived": 1, "modelled": 2}
    rows = {}
    for dest in (*DESTINATIONS, *facts.AGGREGATES):
        selection = Selection(dest=(dest,), direction=direction, sex="any", age="any")
        rows_for = select_flows(flows, selection)
        best: dict[str, str] = {}
        for row in rows_for.itertuples(index=False):
            current = best.get(row.period)
            if current is None or rank[row.basis] < rank[current]:
                best[row.period] = row.basis
        rows[dest] = [best.get(p, "") for p in periods]
    return pd.DataFrame.from_dict(rows, orient="index", columns=periods)


def streamlit_words(lang: str, names: Mapping[str, str] | None = None) -> str:
    """Return the HTML (one ``<script>``) that puts the words Streamlit writes itself in
    ``lang``: its skip link, the file uploader's button, size line and file chips, and its
    own labels and pop-ups (``Download as CSV``, ``Choose an option``, ``No results``…:
    the catalogue's ``app.st.ui.*`` messages, whose English is Streamlit's own text).
    ``names`` maps more labels Streamlit writes (a component frame's title, which is the
    component's module path) to what a reader should see instead, in every language.

    The words come from the catalogue, as JSON escaped for ``<script>``; no data is in it.
    The app passes it to ``st.html(..., unsafe_allow_javascript=True)``.
    """
    keys = [key for key in MESSAGES if key.startswith("app.st.ui.")]
    words = {
        "skip": t("app.st.skip", lang),
        "upload": t("app.st.upload", lang),
        "add": t("app.st.ui.add", lang),
        "limit": t("app.st.limit", lang, size="{size}"),
        "units": {u: t(f"app.st.unit.{u.lower()}", lang) for u in ("KB", "MB", "GB")},
        "ui": {**{t(key, "en"): t(key, lang) for key in keys}, **(names or {})},
        "prefixes": [
            ["Remove ", t("app.st.remove", lang, name="{name}")],
            ["Help for ", t("app.st.help", lang, name="{name}")],
        ],
    }
    return (
        "<script>(window.flowmap = window.flowmap || {}).streamlitWords = "
        f"{script_json(words)};\n{asset('streamlit_words.js')}</script>"
    )
