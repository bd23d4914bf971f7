"""The flow layer on a folium map: the element that puts a page spec's JSON, scripts and
styles on the page, and the map's own spec.

The JSON goes in through a :class:`~flowmap.render._elements.DataElement`, so no text from
data is ever read by Jinja. A map keeps the spec of its flow layer (:func:`add_flow_layer`,
:func:`page_spec`): the HTML page, the images and the player all read that one spec, never
the page's elements.
"""

from __future__ import annotations

from typing import Any, Final

import folium
from folium.template import Template

from flowmap.core.errors import FlowmapError
from flowmap.render._assets import asset, page_scripts, player_scripts
from flowmap.render._elements import DataElement
from flowmap.render.spec import FlowSpec


class FlowLayerElement(DataElement):
    """The flow map's scripts and styles, and the JSON of its spec (never parsed by Jinja).

    The JSON sits in a ``<script type="application/json">`` block that the page reads with
    ``JSON.parse``: browsers parse JSON many times faster than a JavaScript literal of the
    same size (40,000 flows: a fraction of a second instead of seconds). A spec with a
    ``player`` brings the player's scripts (``_assets.PLAYER_SCRIPTS``)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}<style>{{ this.raw("css") }}</style>{% endmacro %}
        {% macro html(this, kwargs) %}<script type="application/json" id="fm-spec-{{
            this.get_name() }}">{{ this.slot("spec") }}</script>{% endmacro %}
        {% macro script(this, kwargs) %}
        {{ this.raw("page_js") }}
        {{ this.raw("player_js") }}
        window.flowmap.app({{ this._parent.get_name() }}, JSON.parse(
            document.getElementById("fm-spec-{{ this.get_name() }}").textContent));
        {% endmacro %}
        """
    )

    def __init__(self, spec: FlowSpec) -> None:
        super().__init__()
        self._name = "FlowLayer"
        self.spec: Final = spec
        self.payload = {"spec": spec.wire()}
        self.code = {
            "css": asset("flowmap.css"),
            "page_js": page_scripts(spec.clusters is not None),  # _assets.SCRIPTS, in order
            "player_js": player_scripts() if spec.player is not None else "",
        }


_SPEC = "flowmap_spec"
"""The attribute of a ``folium.Map`` that holds the spec of its flow layer."""


def add_flow_layer(fmap: folium.Map, spec: FlowSpec) -> folium.Map:
    """Add the flow layer of ``spec`` to ``fmap`` and keep ``spec`` as the map's own (read
    with :func:`page_spec`); return the map.

    Raises
    ------
    ValueError
        If the map has a flow layer already (a page has one).
    """
    if getattr(fmap, _SPEC, None) is not None:
        raise ValueError("this map has a flow layer already")
    fmap.add_child(FlowLayerElement(spec))
    remember_spec(fmap, spec)
    return fmap


def remember_spec(fmap: folium.Map, spec: FlowSpec) -> None:
    """Keep ``spec`` as the spec of ``fmap`` (read with :func:`page_spec`) unless the map
    has one already: the first flow layer added is the one an image of the map draws."""
    if getattr(fmap, _SPEC, None) is None:
        setattr(fmap, _SPEC, spec)


def page_spec(fmap: folium.Map) -> FlowSpec:
    """Return the spec of the flow layer of ``fmap`` (:func:`add_flow_layer`).

    Raises
    ------
    FlowmapError
        If the map has no flow layer.
    """
    spec = getattr(fmap, _SPEC, None)
    if not isinstance(spec, FlowSpec):
        raise FlowmapError("this map has no flow layer to draw")
    return spec


def map_spec(fmap: folium.Map) -> dict[str, Any]:
    """Return the JSON of the spec a map of :func:`flowmap.render.maps.draw_map` carries
    (:func:`flowmap.render.element.page_spec`), as its page does: a new dict each time.

    Raises
    ------
    FlowmapError
        If the map has no flow layer.
    """
    return page_spec(fmap).wire()


__all__ = ["FlowLayerElement", "add_flow_layer", "map_spec", "page_spec", "remember_spec"]
