"""``FlowLayer``: the flow map as a folium element, to add to any ``folium.Map``.

    >>> import folium, pandas as pd, flowmap
    >>> places = pd.DataFrame({"id": ["A", "B"], "name": ["Alpha", "Beta"],
    ...                        "lat": [42.9, 40.5], "lon": [74.6, 72.8]})
    >>> flows = pd.DataFrame({"origin": ["A"], "dest": ["B"], "count": [120]})
    >>> m = folium.Map(location=[41.7, 73.7], zoom_start=6, tiles=None)
    >>> layer = flowmap.FlowLayer(flows, places, wording=flowmap.Wording(title="Moves"))
    >>> layer.add_to(m) is layer
    True
    >>> "window.flowmap.app(" in m.get_root().render()
    True

Like a folium plugin, the element lists its JavaScript and CSS in the class attributes
``default_js`` and ``default_css``; unlike one, they name files of the package
(``flowmap/assets``), inlined into the page once however many layers it has, never a link
to a CDN. Leaflet itself is inlined in place of the map's link to it, so the map and its
flows show offline (tiles, and other plugins' own links, still need the internet).

The table's data reaches the page only as JSON through
:class:`~flowmap.render._elements.DataElement`: a place named ``{{ 7*7 }}`` stays that text.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

import folium
import pandas as pd
from branca.element import Figure
from folium.template import Template

from flowmap.core._escape import visible_text
from flowmap.core.errors import FlowmapError
from flowmap.engine.cluster import CLUSTER_FROM
from flowmap.engine.flows import Skipped, choose_period, clean_flows, select
from flowmap.engine.flows.compare import change, changed
from flowmap.engine.flows.limit import largest
from flowmap.engine.framing import frame_bounds, shift_places
from flowmap.engine.unplaced import not_drawn
from flowmap.io.tables import as_flows, as_places, is_flows, replaced_in
from flowmap.render._assets import PLAYER_SCRIPTS, SCRIPTS, asset, leaflet_assets, leaflet_icons
from flowmap.render._elements import Raw
from flowmap.render.cluster import said_widest, with_clusters
from flowmap.render.compare import change_of, compare_words
from flowmap.render.element import FlowLayerElement, remember_spec
from flowmap.render.layer import (
    Attribute,
    flow_fade,
)
from flowmap.render.options import Selection, Style, Wording, default_text
from flowmap.render.pagespec import basemap_layer, default_scale, layer_spec
from flowmap.text import numbers
from flowmap.text.i18n import msg, t


def skipped_note(skipped: Skipped, lang: str) -> str:
    """Return the map's note on skipped rows, naming only the kinds there are: "12 rows
    skipped: 10 from a place to itself, 2 without coordinates (XK, ZZ)"."""
    return skipped.summary().text(lang)


class FlowLayer(FlowLayerElement):
    """The flows of an origin–destination table as a layer of a ``folium.Map``: curved
    lines whose widths scale with the counts, circles, labels, a title box, a legend and
    notes, all in the wording's language.

    Parameters
    ----------
    flows
        ``origin``, ``dest`` (or ``destination``) and ``count`` columns; optionally a time
        column (``time``, ``year`` or ``period``) and attribute columns, shown in tooltips.
    places
        ``id``, ``name``, ``lat`` and ``lon`` columns (``name`` may be missing; a
        ``name_<lang>`` column is shown when the map is in that language).
    selection, style, wording
        Which flows, how they are drawn, what the map says (:mod:`flowmap.render.options`).
        A map shows one period: without ``selection.period`` the latest, said under the
        title. ``style.basemap`` ``offline`` adds the package's country outlines (opaque:
        they hide tiles under them); by default none is added.
    origin, dest, count, time
        Column names, when they differ from the defaults.
    skipped
        Rows already skipped before the flows came here (blank counts), counted in the
        map's note on skipped rows.
    fit_bounds
        Open the map at the flows (``True``) or at the map's own view (``False``).

    Attributes
    ----------
    layer_text
        The map's wording (:class:`~flowmap.render.layer.LayerText`), in its language.
    bounds
        The view that holds the flows, ``[[south, west], [north, east]]`` (or ``None``).

    Raises
    ------
    FlowmapError
        For bad tables (every problem listed), an unknown place in ``selection.places``,
        or a span of a stock table.
    """

    default_js: ClassVar[list[tuple[str, str]]] = [
        (f"flowmap_{name.removesuffix('.js')}", name)
        for name in SCRIPTS
        if name not in PLAYER_SCRIPTS
    ]
    """The layer's scripts: (name, file in ``flowmap/assets``), in load order."""
    default_css: ClassVar[list[tuple[str, str]]] = [("flowmap_css", "flowmap.css")]
    """The layer's style sheets: (name, file in ``flowmap/assets``)."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}<script type="application/json" id="fm-spec-{{
            this.get_name() }}">{{ this.slot("spec") }}</script>{% endmacro %}
        {% macro script(this, kwargs) %}
        window.flowmap.app({{ this.map_name() }}, JSON.parse(
            document.getElementById("fm-spec-{{ this.get_name() }}").textContent));
        {% endmacro %}
        """
    )

    def __init__(
        self,
        flows: pd.DataFrame,
        places: pd.DataFrame,
        *,
        selection: Selection | None = None,
        style: Style | None = None,
        wording: Wording | None = None,
        origin: str = "origin",
        dest: str | None = None,
        count: str = "count",
        time: str | None = None,
        skipped: Skipped | None = None,
        fit_bounds: bool = False,
    ) -> None:
        selection = selection or Selection()
        style = style or Style()
        wording = wording or Wording()
        lang = wording.lang
        place_table = as_places(places)
        table = (
            flows
            if is_flows(flows) and (origin, dest, count, time) == ("origin", None, "count", None)
            else as_flows(flows, origin=origin, dest=dest, count=count, time=time)
        )
        # Ids and values were made visible when the tables were read: so are the ones asked.
        chosen = [visible_text(p)[0] for p in selection.places]
        filters = selection.filters
        if filters is not None:
            filters = {
                visible_text(k)[0]: (
                    visible_text(v)[0] if isinstance(v, str) else [visible_text(x)[0] for x in v]
                )
                for k, v in filters.items()
            }
        unknown = [p for p in chosen if p not in place_table.index]
        if unknown:
            ids = ", ".join(map(repr, unknown[:10]))
            raise FlowmapError(msg("general.unknown_places", ids=ids))
        period, measure, pair = selection.period, selection.measure, selection.compare
        missing = not_drawn(table, place_table, period=pair[1] if pair else period, measure=measure)
        table, skipped_here = clean_flows(table, place_table)
        shown = choose_period(table["time"], period, measure=measure)
        how: dict[str, Any] = {"places": chosen, "direction": selection.direction}
        how |= {"filters": filters, "min_count": selection.min_count, "measure": measure}
        compared = change(table, *pair, **how) if pair else None
        if compared is not None:
            drawn = compared[0]
            shown = choose_period(pd.Series([], dtype=str), None)  # says no one period
        else:
            drawn = select(table, period=shown.label or None, **how)
        # A map of many places clusters them by zoom: the page limits the flows between
        # clusters at each zoom (and says so); any other map, the flows here (said in the
        # title box, never silent). A net view is never clustered (summed balances of
        # opposite directions would not be net), nor a map of change (its gains, losses and
        # one-period pairs are drawn as they are; its limit keeps the largest changes: a
        # pair in one period only has none, comes last and draws thinnest).
        ends = pd.unique(pd.concat([drawn["origin"], drawn["dest"]]))
        plain = compared is None and selection.direction != "net"
        clustered = plain and len(ends) > CLUSTER_FROM
        ranked = drawn if compared is None else drawn.assign(count=changed(drawn))
        limited = None
        if not clustered:
            ranked, limited = largest(ranked, selection.top)
            drawn = drawn.loc[ranked.index]
        bases = set(drawn["basis"].astype(str)) if "basis" in drawn.columns else set()
        words = None
        if compared is not None:
            words = compare_words(
                compared[1],
                lang,
                modelled="modelled" in bases,
                derived="derived" in bases,
                lines=style.lines,
            )
        notes, alerts, subtitle = list(wording.notes), tuple(wording.alerts), wording.subtitle
        dropped = skipped_here if skipped is None else skipped.merged(skipped_here)
        if dropped.total or dropped.cells:
            notes.append(skipped_note(dropped, lang))
        untimed = int((table["time"].astype(str) == "").sum()) if shown.period is not None else 0
        if untimed:  # rows without a year belong to no period: said, not drawn
            notes.append(t("general.untimed", lang, count=numbers.count(untimed, lang), n=untimed))
        replaced = t("note.replaced", lang)
        if replaced_in(table, place_table, places) and replaced not in notes:
            notes.append(replaced)
        statement = shown.statement()
        said = statement.text(lang) if statement is not None else None
        if words is not None:
            said = words.subtitle
        if said is not None and subtitle is None:
            subtitle = said
        elif said is not None:
            alerts = (said, *alerts)
        alerts = (*alerts, *(words.alerts if words is not None else ()))
        if missing.flows:  # in the title box, not only in the notes
            alerts = (*alerts, missing.message().text(lang))
        if limited is not None:
            alerts = (*alerts, limited.message().text(lang))
        self.layer_text = wording.text or default_text(
            lang,
            title=wording.title,
            subtitle=subtitle,
            source=wording.source,
            notes=tuple(notes) or None,
            alerts=alerts or None,
        )
        fade = flow_fade(len(drawn))
        if wording.text is None and fade[0] < fade[1]:  # the legend says small flows fade
            legend = self.layer_text.legend
            fading = "legend.fade_change" if compared is not None else "legend.fade"
            notes_said = [*legend.get("notes", []), t(fading, lang)]
            self.layer_text = replace(self.layer_text, legend={**legend, "notes": notes_said})
        if wording.text is None and words is not None:  # the change's kinds and widths
            text = self.layer_text
            kinds = {**text.kinds, **words.kinds}
            notes_said = [*text.legend.get("notes", []), words.dots]
            legend = {**text.legend, "width": words.width, "notes": notes_said}
            self.layer_text = replace(text, kinds=kinds, legend=legend)
        attributes = wording.attributes
        if attributes is None:
            extra = [c for c in table.columns if c not in ("origin", "dest", "count", "time")]
            attributes = [Attribute(c, c) for c in extra]
        localised = f"name_{lang}"
        if localised in place_table.columns:
            names = place_table[localised].astype("string").fillna("").str.strip()
            place_table = place_table.assign(name=names.where(names != "", place_table["name"]))
        # A map of change frames the changes: a pair in one period only claims no size of
        # change (ranked by 0), so its far end never stretches the frame.
        framed = drawn if compared is None else ranked
        self.bounds = frame_bounds(framed, place_table, chosen, also=style.area, edge=style.edge)
        if fit_bounds:  # a Pacific-centred world: the places in the copy of the world in view
            place_table = shift_places(place_table, self.bounds)
        spec = layer_spec(
            drawn,
            place_table,
            text=self.layer_text,
            scale=style.scale or default_scale(ranked),
            bounds=self.bounds if fit_bounds else None,
            chosen=chosen,
            attributes=attributes,
            palette=style.palette,
            basemap=style.basemap,
            lines=style.lines,
            layers=style.layers,
            lang=lang,
            theme=style.theme,
            change=change_of(drawn, compared[1]) if compared is not None else None,
        )
        if style.area:  # the focus area stays in sight when the page zooms in to fill
            spec = replace(spec, area=tuple((float(p[0]), float(p[1])) for p in style.area))
        if clustered:
            spec = with_clusters(spec, selection.top, lang, scaled=style.scale is not None)
        else:  # a given scale smaller than the flows: they are drawn as wide as its widest
            spec = said_widest(spec, max(spec.flows.count, default=0), lang)
        super().__init__(spec)
        self.code = {}

    def add_to(self, parent: Any, name: str | None = None, index: int | None = None) -> FlowLayer:
        """Add the layer to ``parent`` (a ``folium.Map`` or a layer of one); the map keeps
        its spec, so an image of the map draws these flows
        (:func:`flowmap.render.element.page_spec`)."""
        super().add_to(parent, name=name, index=index)
        fmap = self._map()
        if fmap is not None:
            remember_spec(fmap, self.spec)
        return self

    def _map(self) -> folium.Map | None:
        """Return the map this layer is on (also through a feature group), or None."""
        parent = self._parent
        while parent is not None and not isinstance(parent, folium.Map):
            parent = parent._parent
        return parent

    def map_name(self) -> str:
        """Return the JavaScript name of the map this layer is on (also when it was added
        to a feature group of the map)."""
        fmap = self._map()
        if fmap is None:
            raise TypeError("a FlowLayer must be added to a folium.Map")
        name: str = fmap.get_name()
        return name

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Put Leaflet (in place of the map's link to it), the layer's scripts and styles
        (once per page) and its data on the page."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("a FlowLayer can only be rendered inside a Figure")
        js, css = leaflet_assets()
        figure.header.add_child(Raw(f"<script>{js}</script>"), name="leaflet")
        figure.header.add_child(Raw(f'<link rel="stylesheet" href="{css}"/>'), name="leaflet_css")
        figure.header.add_child(Raw(f"<script>{leaflet_icons()}</script>"), name="leaflet_icons")
        for name, file in self.default_css:
            figure.header.add_child(Raw(f"<style>{asset(file)}</style>"), name=name)
        for name, file in self.default_js:
            figure.header.add_child(Raw(f"<script>{asset(file)}</script>"), name=name)
        super().render(**kwargs)


__all__ = ["FlowLayer", "basemap_layer", "default_scale", "layer_spec", "skipped_note"]
