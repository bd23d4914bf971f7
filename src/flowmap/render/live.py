"""A live map: one page that loads Leaflet and the page's scripts once and then draws the
spec of each view it is sent (the app's map, :mod:`webapp.livemap`).

:func:`live_page` is that page (offline: Leaflet, its style sheet and the page's scripts
inlined, as in a map page of :func:`flowmap.render.maps.map_html`); :func:`live_map` turns a
map into what the page is sent for it (:class:`LiveMap`): the spec's JSON without the
GeoJSON of its layers, each layer's GeoJSON apart under a digest of its text, so that a
page that holds a layer already (the countries, the oblasts) is sent only its digest, and
the map's tile layers. The page draws a view with ``flowmap.redraw`` (flowmap.js).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import folium
from folium.utilities import camelize

from flowmap.core._escape import visible_text
from flowmap.render._assets import (
    PLAYER_SCRIPTS,
    SCRIPTS,
    asset,
    leaflet_assets,
    leaflet_icons,
    scripts,
)
from flowmap.render._elements import title_element
from flowmap.render.element import page_spec
from flowmap.render.maps import bounds_centre

#: The live page's scripts: the page's (with the clusters, without the player's), then the
#: Streamlit component's side of it (live.js).
LIVE_SCRIPTS = (*(name for name in SCRIPTS if name not in PLAYER_SCRIPTS), "live.js")


def _json(data: object) -> str:
    """Return ``data`` as compact JSON (no NaN: a spec never holds one)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


# The layers' GeoJSON texts by digest, the most recently used 64: the live maps of many
# views share one copy of each (the countries are 0.3 MB of text, the same in every view).
_SHARED: OrderedDict[str, str] = OrderedDict()
_SHARED_MAX = 64
_SHARED_LOCK = threading.Lock()


def _shared(digest: str, text: str) -> str:
    """Return the one copy kept of the text of ``digest`` (``text`` if none is kept)."""
    with _SHARED_LOCK:
        kept = _SHARED.get(digest)
        if kept is not None:
            _SHARED.move_to_end(digest)
            return kept
        _SHARED[digest] = text
        if len(_SHARED) > _SHARED_MAX:
            _SHARED.popitem(last=False)
        return text


# The digest and JSON text of the features of base layers by the features' identity: the
# offline basemap's countries are one object shared by every map
# (:func:`flowmap.render.flowlayer.basemap_layer`), 0.3 MB of JSON that is not written again
# for each view. The object is held with its text, so its identity is not reused.
_BASE_TEXTS: OrderedDict[int, tuple[object, str, str]] = OrderedDict()
_BASE_TEXTS_MAX = 4


def _features_text(layer: dict[str, Any]) -> tuple[str, str]:
    """Return the digest and the JSON text of a layer's features."""
    features = layer.get("features", [])
    base = bool(layer.get("base"))
    if base:
        with _SHARED_LOCK:
            held = _BASE_TEXTS.get(id(features))
            if held is not None and held[0] is features:
                _BASE_TEXTS.move_to_end(id(features))
                return held[1], held[2]
    text = _json(features)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    if base:
        with _SHARED_LOCK:
            _BASE_TEXTS[id(features)] = (features, digest, text)
            if len(_BASE_TEXTS) > _BASE_TEXTS_MAX:
                _BASE_TEXTS.popitem(last=False)
    return digest, text


@dataclass(frozen=True)
class LiveMap:
    """What a live page is sent to draw one map: the spec's JSON with each layer's
    ``features`` replaced by the digest of their JSON (``featuresRef``), the JSON of those
    features by digest, the map's tile layers and where it opens before it is framed."""

    spec: str
    features: tuple[tuple[str, str], ...]
    tiles: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    centre: tuple[float, float] = (30.0, 0.0)

    @property
    def size(self) -> int:
        """The characters it holds (the cache of live maps is bounded by it)."""
        return len(self.spec) + sum(len(h) + len(text) for h, text in self.features)

    def digests(self) -> tuple[str, ...]:
        """The digests of the features of its layers."""
        return tuple(h for h, _ in self.features)

    def payload(self, known: Collection[str] = ()) -> dict[str, Any]:
        """Return the arguments the page is sent: ``spec`` (JSON text), ``features`` (the
        JSON text of each layer's features by digest, but for those in ``known``: the page
        holds them already), ``tiles`` (``url`` and Leaflet ``options``) and ``centre``."""
        return {
            "spec": self.spec,
            "features": {h: text for h, text in self.features if h not in known},
            "tiles": [{"url": url, "options": dict(options)} for url, options in self.tiles],
            "centre": list(self.centre),
        }


def live_map(fmap: folium.Map) -> LiveMap:
    """Return what a live page is sent to draw ``fmap`` (a map of
    :func:`flowmap.render.maps.draw_map` or :func:`flowmap.flow_map`): its spec, the
    features of its layers apart, and its tile layers (the online basemap).

    Raises
    ------
    FlowmapError
        If the map has no flow layer.
    """
    spec = page_spec(fmap)
    wire = spec.wire()
    features: dict[str, str] = {}
    layers = []
    for layer in wire.get("layers") or []:
        digest, text = _features_text(layer)
        features[digest] = _shared(digest, text)
        layers.append(
            {**{k: v for k, v in layer.items() if k != "features"}, "featuresRef": digest}
        )
    wire["layers"] = layers
    tiles = tuple(
        (str(child.tiles), tuple((camelize(k), v) for k, v in child.options.items()))
        for child in fmap._children.values()
        if isinstance(child, folium.TileLayer)
    )
    centre = bounds_centre(spec.bounds)
    return LiveMap(_json(wire), tuple(features.items()), tiles, (centre[0], centre[1]))


def live_page(title: str = "Flowmap") -> str:
    """Return the live page: one self-contained HTML document (Leaflet, its style sheet,
    the page's style and scripts inlined; nothing from the network) with an empty map
    element that ``flowmap.redraw`` draws each map in. ``title`` is the document's title."""
    js, css = leaflet_assets()
    page_js = scripts(LIVE_SCRIPTS)
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n"
        '<meta http-equiv="content-type" content="text/html; charset=UTF-8" />\n'
        f"<script>{js}</script>\n"
        f"{title_element(visible_text(title)[0]).render()}\n"
        f'<link rel="stylesheet" href="{css}"/>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0, '
        'maximum-scale=1.0, user-scalable=no" />\n'
        # As a folium page: the map fills the page; Leaflet's text in the page's size.
        "<style>html,body{width:100%;height:100%;margin:0;padding:0}"
        "#fm-live{position:relative;width:100%;height:100%;left:0;top:0}"
        ".leaflet-container{font-size:1rem}</style>\n"
        f"<style>{asset('flowmap.css')}</style>\n"
        "</head>\n<body>\n"
        '<div class="folium-map" id="fm-live"></div>\n'
        f"<script>{leaflet_icons()}\n{page_js}</script>\n"
        "</body>\n</html>\n"
    )


__all__ = ["LIVE_SCRIPTS", "LiveMap", "live_map", "live_page"]
