"""The options of a flow map, grouped by what they decide: :class:`Selection` (which flows),
:class:`Style` (how they are drawn) and :class:`Wording` (what the map says, and in which
language). Each checks its choices once, when it is made; everything after trusts them.

>>> from flowmap import Selection, Style, Wording
>>> Selection(places=["A"], direction="out", top=10).direction
'out'
>>> Style(palette="colourblind").palette
'colourblind'
>>> Wording(lang="ru", title="Переезды").lang
'ru'
>>> Style(palette="rainbow")
Traceback (most recent call last):
...
flowmap.core.errors.FlowmapError: palette must be one of default, colourblind, got 'rainbow'
>>> Style(theme="night")
Traceback (most recent call last):
...
flowmap.core.errors.FlowmapError: theme must be one of light, dark, got 'night'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, Literal, TypedDict, get_args

from flowmap.core.langs import LANGS
from flowmap.engine.flows import DIRECTIONS, MEASURES, Direction
from flowmap.engine.flows.compare import check_pair
from flowmap.engine.flows.limit import DEFAULT_TOP
from flowmap.engine.geometry import WidthScale
from flowmap.io.tables import check_choice
from flowmap.render.layer import PALETTES, Attribute, LayerText, LineStyles, Palette
from flowmap.render.theme import THEMES, Theme
from flowmap.text.i18n import plural_forms, t

Measure = Literal["flow", "stock"]
"""``flow``: counts of moves (a span of years may be summed); ``stock``: people present at a
date (a span is refused)."""
Basemap = Literal["offline", "tiles", "none"]
"""``offline`` country outlines shipped with the package, online OpenStreetMap ``tiles``,
or ``none``."""
Lang = Literal["en", "ky", "ru"]
"""The languages of a map's own wording (:data:`flowmap.core.langs.LANGS`)."""

BASEMAPS: tuple[Basemap, ...] = get_args(Basemap)
"""The basemaps, in :data:`Basemap`'s order (the choices of
:data:`flowmap.engine.flows.DIRECTIONS`, ``MEASURES`` and
:data:`flowmap.render.layer.PALETTES` are the other types' values, a test checks)."""


@dataclass(frozen=True)
class Selection:
    """Which flows a map draws.

    Parameters
    ----------
    places
        Only flows touching these place ids (every flow when empty).
    direction
        One of :data:`Direction`, relative to ``places``.
    period
        A year or a span (``"2014-2016"``, summed only for flows); by default the latest
        year or period of the table, said under the title.
    filters
        Attribute values to keep, by column.
    top, min_count
        The largest ``top`` flows (by default :data:`~flowmap.engine.flows.limit.DEFAULT_TOP`,
        1,000; ``None`` or 0: every flow), said in the title box whenever flows are left out
        ("Largest 1,000 of 11,155 flows shown, 96% of the volume"); flows of at least
        ``min_count``.
    measure
        One of :data:`Measure`.
    compare
        Two periods of the table (``(2017, 2023)``): the map shows the change from the
        first to the second (:func:`flowmap.engine.flows.compare.change`) instead of one
        period; ``period`` must then be None.
    """

    places: Sequence[str] = ()
    direction: Direction = "both"
    period: str | int | None = None
    filters: Mapping[str, str | Sequence[str]] | None = None
    top: int | None = DEFAULT_TOP
    min_count: int = 0
    measure: Measure = "flow"
    compare: tuple[str | int, str | int] | None = None

    def __post_init__(self) -> None:
        check_choice("direction", self.direction, DIRECTIONS)
        check_choice("measure", self.measure, MEASURES)
        object.__setattr__(self, "places", tuple(str(p) for p in self.places))
        if self.compare is not None:
            object.__setattr__(self, "compare", check_pair(self.compare, self.period))


@dataclass(frozen=True)
class Style:
    """How a map draws its flows.

    Parameters
    ----------
    palette
        One of :data:`Palette`: ``default`` (departures red, arrivals blue) or
        ``colourblind`` (Okabe–Ito based).
    basemap
        One of :data:`Basemap`; by default ``offline`` on a new map and ``none`` on a map of
        yours (your tiles stay the base). ``offline`` outlines are opaque: on your map they
        hide your tiles and your own shapes (markers stay on top). ``tiles`` adds
        OpenStreetMap's (online) to a new map only.
    scale
        A fixed width scale, so that several maps compare; by default the largest drawn
        flow is drawn 28 px wide.
    lines
        Line styles by an attribute (for example dashed for modelled figures).
    layers
        Extra GeoJSON layers (``name``, ``features``; see :mod:`flowmap.batken.layers`).
    height
        The height of a new map (CSS).
    theme
        One of :data:`~flowmap.render.theme.Theme`: ``light`` (the default) or ``dark``
        (a near-black sea, dark land with light outlines, light flows; the boxes, labels,
        tooltips, inset and images follow).
    area
        Points (lat, lon) the opening view always holds, such as a focus area's corners.
    edge
        Ids of places that never stretch the opening view (symbolic points such as
        "Abroad"): out of view, their flows are named at the frame's edge.
    """

    palette: Palette = "default"
    basemap: Basemap | None = None
    scale: WidthScale | None = None
    lines: LineStyles | None = None
    layers: Sequence[Mapping[str, Any]] = ()
    height: str = "100%"
    theme: Theme = "light"
    area: Sequence[Sequence[float]] = ()
    edge: Sequence[str] = ()

    def __post_init__(self) -> None:
        check_choice("palette", self.palette, PALETTES)
        check_choice("theme", self.theme, THEMES)
        if self.basemap is not None:
            check_choice("basemap", self.basemap, BASEMAPS)


@dataclass(frozen=True)
class Wording:
    """What a map says, and in which language.

    Parameters
    ----------
    lang
        One of :data:`Lang`: the map's own wording, and a place's ``name_<lang>`` column
        when the places table has one.
    title, subtitle, source, notes, alerts
        ``title`` defaults to a neutral "Flows"; the period shown is said in ``subtitle``
        when it is not given, else first among the ``alerts`` (shown under the title, not
        folded away like ``notes``).
    attributes
        The attribute columns shown in tooltips (by default every column of the flows
        besides origin, destination, count and time, labelled with its name).
    text
        The complete wording (used by presets such as :mod:`flowmap.batken.preset`).
    """

    lang: Lang = "en"
    title: str | None = None
    subtitle: str | None = None
    source: str | None = None
    notes: Sequence[str] = ()
    alerts: Sequence[str] = ()
    attributes: Sequence[Attribute] | None = None
    text: LayerText | None = None

    def __post_init__(self) -> None:
        check_choice("lang", self.lang, LANGS)


class Keywords(TypedDict, total=False):
    """The single keywords :func:`flowmap.flow_map` took before :class:`Selection`,
    :class:`Style` and :class:`Wording`; still accepted (``select_places`` is
    ``Selection.places``, ``styles`` is ``Style.lines``). Their choices are plain text, as
    they always were, and checked when the objects are made."""

    select_places: Sequence[str]
    direction: str
    period: str | int | None
    filters: Mapping[str, str | Sequence[str]] | None
    top: int | None
    min_count: int
    measure: str
    compare: tuple[str | int, str | int] | None
    palette: str
    theme: str
    basemap: str
    scale: WidthScale | None
    styles: LineStyles | None
    layers: Sequence[Mapping[str, Any]]
    height: str
    lang: str
    title: str | None
    subtitle: str | None
    source: str | None
    notes: Sequence[str]
    alerts: Sequence[str]
    attributes: Sequence[Attribute] | None
    text: LayerText | None


_RENAMED = {"select_places": "places", "styles": "lines"}


def grouped(
    keywords: Mapping[str, Any],
    selection: Selection | None = None,
    style: Style | None = None,
    wording: Wording | None = None,
) -> tuple[Selection, Style, Wording]:
    """Return the options objects with the single ``keywords`` (:class:`Keywords`) put in
    their places, each object checked once.

    >>> grouped({"select_places": ["A"], "palette": "colourblind"})[0].places
    ('A',)

    Raises
    ------
    TypeError
        For a keyword :func:`flowmap.flow_map` never had.
    FlowmapError
        For an unknown choice (a direction, palette, basemap, measure or language).
    """
    unknown = sorted(set(keywords) - set(Keywords.__annotations__))
    if unknown:
        raise TypeError(f"flow_map() got an unexpected keyword argument {unknown[0]!r}")
    if "basemap" in keywords:  # None, the object's "by the map", was never a keyword's value
        check_choice("basemap", keywords["basemap"], BASEMAPS)
    out: list[Any] = []
    for given, kind in ((selection, Selection), (style, Style), (wording, Wording)):
        names = {f.name for f in fields(kind)}
        mine = {_RENAMED.get(k, k): v for k, v in keywords.items() if _RENAMED.get(k, k) in names}
        base = given if given is not None else kind()
        out.append(replace(base, **mine) if mine else base)
    return out[0], out[1], out[2]


def default_text(lang: str, **overrides: Any) -> LayerText:
    """Return the general wording of a flow map in ``lang`` (no data set's own wording)."""
    values: dict[str, Any] = {
        "title": t("general.title", lang),
        "source": t("general.source", lang),
        "empty": t("note.empty", lang),
        "tip": {
            key: t(f"tip.{key}", lang)
            for key in ("from", "to", "period", "count", "net", "arrivals", "departures")
        }
        | {
            "change": t("tip.change", lang),
            "noFigure": t("tip.no_figure", lang),
            "notComputed": t("tip.not_computed", lang),
            "arrivalsChange": t("tip.arrivals_change", lang),
            "departuresChange": t("tip.departures_change", lang),
        },
        "legend": {
            "title": t("legend.title", lang),
            "width": t("legend.width", lang),
            "people": t("legend.people", lang, count="{count}"),
            "peopleForms": plural_forms("legend.people", lang, count="{count}"),
            "ramp": t("legend.ramp", lang),
            "rampDark": t("legend.ramp_dark", lang),
            "notes": [],
        },
        "kinds": {k: t(f"general.kind.{k}", lang) for k in ("out", "in", "between", "net")},
        "layers": {
            "places": t("layer.circles", lang),
            "labels": t("layer.labels", lang),
            "inset": t("layer.inset", lang),
        },
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    if overrides.get("source") is None and overrides.get("still") is None:
        # "Source and notes" only captions the page's folding box: an image says no source
        # line then, only the notes (flowmap.render._image_parts.credits).
        values["still"] = {"credits": []}
    return LayerText(**values)


__all__ = [
    "BASEMAPS",
    "Basemap",
    "Direction",
    "Keywords",
    "Lang",
    "Measure",
    "Palette",
    "Selection",
    "Style",
    "Wording",
    "default_text",
    "grouped",
]
