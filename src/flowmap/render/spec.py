"""The page spec: what a flow map page, its images and its player are drawn from.

A :class:`FlowSpec` is built once (:func:`flowmap.render.layer.build_spec`) and read by the
HTML page (:class:`flowmap.render.layer.FlowLayerElement`), the image renderer
(:mod:`flowmap.render.image`) and the playable page (:mod:`flowmap.batken.player`). It is
typed and frozen; :meth:`FlowSpec.wire` is the one place that turns it into the JSON the
page's scripts read (``assets/flowlayer.js``, ``flowmap.js``, ``labels.js``, ``inset.js``,
``player.js``), with their short keys:

``version``
    :data:`SPEC_VERSION`, the version of this format.
``places``
    ``id``, ``name``, ``lat``, ``lon`` and ``focus`` (1 for a chosen place), one entry per
    place drawn, each place once.
``flows``
    ``o`` and ``d`` (place indices), ``c`` (count), ``k`` (kind index into
    ``style.kinds``), ``t`` (time index into ``times``) and ``a`` (attribute column ->
    value index into that attribute's ``labels``; ``-1`` for no value).
``times``, ``attributes``, ``totals``
    The time labels; each attribute's ``key``, ``label`` and value ``labels``; arrivals
    (``in``), departures (``out``) and their sum (``total``) per place index.
``scale``, ``legend``
    The width scale (``maxCount``, ``maxPx``, ``minPx``) and the legend's ``counts``; its
    ``atLeast`` (only when some flow drawn, at some zoom of a clustered map, is larger than
    ``maxCount``): the count of the widest line, which the legend says "or more" of, since
    no line is drawn wider.
``style``
    ``bend``, ``kinds`` (``colour``, ``legend``, ``net``, ``kind``), ``styleBy`` (the
    attribute column of the line styles), ``dashed`` and ``pale`` (value index -> true),
    ``legend`` (``label``, ``dashed``, ``pale``), ``fade`` (the opacity ``[lowest,
    highest]`` of a line, rising with the square root of its count: equal on a map of few
    flows), ``theme`` (``light`` or ``dark``) and ``ramp`` (the colours of the flows by
    count, smallest first, on a busy map of flows between places; empty: the kinds'
    colours).
``text``, ``layers``, ``view``
    Every text, already in the page's language; the GeoJSON layers; the opening view's
    ``bounds``.
``clusters``
    Only on a map of many places (:mod:`flowmap.engine.cluster`): ``merges`` (the tree of
    places as ``[a, b, distance]`` rows), ``px`` (the most pixels a cluster spans), ``top``
    (how many flows between clusters are drawn at most, the largest; 0 for all) and
    ``text`` (its words, in the page's language). The page (``assets/cluster.js``) cuts the
    tree at each zoom and draws the flows between clusters summed, the images at their
    scale (:mod:`flowmap.render.cluster`).
``change``
    Only on a map of change between two periods: ``from`` and ``to`` (the periods) and
    each flow's ``before`` and ``after`` figure (``null``: no row in that period).
``player``
    Only on a playable page: which flows belong to which view (written by
    :mod:`flowmap.batken.player`, read by ``assets/player.js``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from flowmap.engine.geometry import WidthScale
from flowmap.render.spec_parts import Change, Clusters, visible

SPEC_VERSION = 1
"""The version of the page spec's format (the ``version`` of its JSON)."""


@dataclass(frozen=True)
class PlaceTable:
    """The places drawn, each once, in the order the flows' indices refer to."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    lat: tuple[float, ...]
    lon: tuple[float, ...]
    focus: tuple[bool, ...]
    """True for a chosen place (drawn highlighted)."""

    def wire(self) -> dict[str, Any]:
        """Return the JSON of the places (``id``, ``name``, ``lat``, ``lon``, ``focus``)."""
        return {
            "id": list(self.ids),
            "name": list(self.names),
            "lat": list(self.lat),
            "lon": list(self.lon),
            "focus": [1 if f else 0 for f in self.focus],
        }


@dataclass(frozen=True)
class FlowTable:
    """The flows drawn, as place indices and codes (one entry per flow)."""

    origin: tuple[int, ...]
    dest: tuple[int, ...]
    count: tuple[int, ...]
    kind: tuple[int, ...]
    """Index into :attr:`Style.kinds`."""
    time: tuple[int, ...] = ()
    """Index into :attr:`FlowSpec.times` (``-1``: none); empty without a time column."""
    attributes: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    """Attribute column -> each flow's value index (``-1``: no value)."""

    def wire(self) -> dict[str, Any]:
        """Return the JSON of the flows (``o``, ``d``, ``c``, ``k``, ``t``, ``a``)."""
        return {
            "o": list(self.origin),
            "d": list(self.dest),
            "c": list(self.count),
            "k": list(self.kind),
            "t": list(self.time),
            "a": {key: list(codes) for key, codes in self.attributes.items()},
        }


@dataclass(frozen=True)
class AttributeColumn:
    """An attribute shown in tooltips: its column, label and the label of each value code."""

    key: str
    label: str
    labels: tuple[str, ...]

    def wire(self) -> dict[str, Any]:
        """Return the JSON of the attribute (``key``, ``label``, ``labels``)."""
        return {"key": self.key, "label": self.label, "labels": list(self.labels)}


@dataclass(frozen=True)
class PlaceTotals:
    """Arrivals, departures and their sum per place index, over the drawn flows."""

    arrivals: tuple[int, ...]
    departures: tuple[int, ...]
    total: tuple[int, ...]

    def wire(self) -> dict[str, Any]:
        """Return the JSON of the totals (``in``, ``out``, ``total``)."""
        return {"in": list(self.arrivals), "out": list(self.departures), "total": list(self.total)}


@dataclass(frozen=True)
class Scale:
    """The width scale: flows of ``max_count`` people are ``max_px`` CSS px wide (widths
    grow with the square root of the count), never under ``min_px``."""

    max_count: float
    max_px: float
    min_px: float

    @classmethod
    def of(cls, scale: WidthScale) -> Scale:
        """Return the page's scale of the engine's width scale."""
        return cls(max_count=scale.max_count, max_px=scale.max_px, min_px=scale.min_px)

    def wire(self) -> dict[str, Any]:
        """Return the JSON of the scale (``maxCount``, ``maxPx``, ``minPx``)."""
        return {"maxCount": self.max_count, "maxPx": self.max_px, "minPx": self.min_px}


@dataclass(frozen=True)
class KindStyle:
    """A kind of flow drawn on the page: its colour and legend line."""

    kind: str
    """``out``, ``in``, ``between`` or ``net``."""
    colour: str
    legend: str

    def wire(self) -> dict[str, Any]:
        """Return the JSON of the kind (``colour``, ``legend``, ``net``, ``kind``)."""
        return {
            "colour": self.colour,
            "legend": self.legend,
            "net": self.kind == "net",
            "kind": self.kind,
        }


@dataclass(frozen=True)
class StyleEntry:
    """A legend entry of the line styles: its text, and whether its lines are dashed or pale."""

    label: str
    dashed: bool
    pale: bool

    def wire(self) -> dict[str, Any]:
        """Return the JSON of the entry (``label``, ``dashed``, ``pale``)."""
        return {"label": self.label, "dashed": self.dashed, "pale": self.pale}


@dataclass(frozen=True)
class Style:
    """How the flows are drawn: their bend, kinds and line styles."""

    bend: float
    kinds: tuple[KindStyle, ...]
    style_by: str = ""
    """The attribute column whose values style the lines (``""``: none)."""
    dashed: tuple[int, ...] = ()
    """The value codes of ``style_by`` drawn dashed."""
    pale: tuple[int, ...] = ()
    """The value codes of ``style_by`` drawn pale."""
    legend: tuple[StyleEntry, ...] = ()
    fade: tuple[float, float] = (0.85, 0.85)
    """A line's opacity for the smallest and the largest count (it rises with the
    square root of the count, as widths do): small flows recede on a busy map; equal (no
    fading) on a map of few flows (:func:`flowmap.render.layer.flow_fade`)."""
    theme: str = "light"
    """The look (:data:`flowmap.render.theme.THEMES`): ``light`` or ``dark``."""
    ramp: tuple[str, ...] = ()
    """The colours of the flows by count, smallest first (:func:`flowmap.render.theme.
    count_ramp`), in place of the kind's colour; empty: each kind's own colour."""
    max_radius: float = 0.0
    """The radius (px) of the largest place circle; 0: the page's 16. A map of change sets
    3, the smallest: every place a dot of one size, since no circle there would say what
    the map says (its totals mix sizes of change with one-period figures)."""

    def wire(self) -> dict[str, Any]:
        """Return the JSON of the style (``bend``, ``kinds``, ``styleBy``, ``dashed``,
        ``pale``, ``legend``, ``fade``, ``theme``, ``ramp``)."""
        return {
            "bend": self.bend,
            "kinds": [k.wire() for k in self.kinds],
            "styleBy": self.style_by,
            "dashed": dict.fromkeys(self.dashed, True),
            "pale": dict.fromkeys(self.pale, True),
            "legend": [e.wire() for e in self.legend],
            "fade": list(self.fade),
            "theme": self.theme,
            "ramp": list(self.ramp),
            **({"maxRadius": self.max_radius} if self.max_radius else {}),
        }


@dataclass(frozen=True)
class PageText:
    """Every text of the page, in its language (see :class:`flowmap.render.layer.LayerText`,
    which it is made from, for what each says)."""

    title: str
    subtitle: str
    source: str
    notes: tuple[str, ...]
    alerts: tuple[str, ...]
    empty: str
    tip: Mapping[str, Any]
    legend: Mapping[str, Any]
    layers: Mapping[str, Any]
    still: Mapping[str, Any]
    controls: Mapping[str, str]
    """The words of Leaflet's own controls (:func:`flowmap.render.layer.control_words`)."""

    def wire(self) -> dict[str, Any]:
        """Return the JSON of the texts."""
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "source": self.source,
            "notes": list(self.notes),
            "alerts": list(self.alerts),
            "empty": self.empty,
            "tip": dict(self.tip),
            "legend": dict(self.legend),
            "layers": dict(self.layers),
            "still": dict(self.still),
            "controls": dict(self.controls),
        }


@dataclass(frozen=True)
class FlowSpec:
    """The spec of a flow map page (see the module doc for its JSON)."""

    locale: str
    """The BCP 47 tag numbers are written for (``en``, ``ky-KG``, ``ru-RU``)."""
    numbers: Mapping[str, str]
    """The symbols whole numbers are written with (:func:`flowmap.text.numbers.symbols`)."""
    places: PlaceTable
    flows: FlowTable
    times: tuple[str, ...]
    attributes: tuple[AttributeColumn, ...]
    totals: PlaceTotals
    scale: Scale
    legend_counts: tuple[int, ...]
    style: Style
    text: PageText
    layers: tuple[Mapping[str, Any], ...] = ()
    """GeoJSON layers: ``name``, ``features`` and Leaflet options (see ``flowmap.js``)."""
    bounds: tuple[tuple[float, float], tuple[float, float]] | None = None
    """The opening view, ``((south, west), (north, east))``; None for the world view."""
    player: Mapping[str, Any] | None = None
    """The playable page's views (:mod:`flowmap.batken.player`); None on a static page."""
    clusters: Clusters | None = None
    """Places clustered by zoom; None on a map of few places."""
    change: Change | None = None
    """On a map of change between two periods, both periods' figures of each flow."""
    area: tuple[tuple[float, float], ...] = ()
    """Points ``(lat, lon)`` the opening view keeps in sight besides the flows, such as a
    focus area's corners (the frame's ``also``)."""
    widest: int | None = None
    """The count of the widest line when larger flows are drawn as wide (``legend.atLeast``:
    the legend's widest sample says "or more"); None when no flow is larger."""
    version: int = SPEC_VERSION

    def wire(self) -> dict[str, Any]:
        """Return the JSON the page carries: new dicts and lists down to each part (the
        GeoJSON of :attr:`layers` and the values of the text mappings are shared, not
        copied)."""
        out: dict[str, Any] = {
            "version": self.version,
            "locale": self.locale,
            "numbers": dict(self.numbers),
            "places": self.places.wire(),
            "flows": self.flows.wire(),
            "times": list(self.times),
            "attributes": [a.wire() for a in self.attributes],
            "totals": self.totals.wire(),
            "scale": self.scale.wire(),
            "legend": {"counts": list(self.legend_counts)},
            "style": self.style.wire(),
            "text": self.text.wire(),
            "layers": list(self.layers),
            "view": {"bounds": [list(b) for b in self.bounds] if self.bounds is not None else None},
        }
        if self.widest is not None:
            out["legend"]["atLeast"] = self.widest
        if self.area:
            out["view"]["area"] = [list(p) for p in self.area]
        if self.player is not None:
            out["player"] = dict(self.player)
        if self.clusters is not None:
            out["clusters"] = self.clusters.wire()
        if self.change is not None:
            out["change"] = self.change.wire()
        return out


def with_note(spec: FlowSpec, note: str) -> FlowSpec:
    """Return ``spec`` with ``note`` added to its notes, unless it is there already."""
    if note in spec.text.notes:
        return spec
    return replace(spec, text=replace(spec.text, notes=(*spec.text.notes, note)))


def bounds_of(
    bounds: Sequence[Sequence[float]] | None,
) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """Return ``[[south, west], [north, east]]`` as :attr:`FlowSpec.bounds`."""
    if bounds is None:
        return None
    (south, west), (north, east) = bounds
    return (south, west), (north, east)


__all__ = [
    "SPEC_VERSION",
    "AttributeColumn",
    "Change",
    "Clusters",
    "FlowSpec",
    "FlowTable",
    "KindStyle",
    "PageText",
    "PlaceTable",
    "PlaceTotals",
    "Scale",
    "Style",
    "StyleEntry",
    "bounds_of",
    "visible",
    "with_note",
]
