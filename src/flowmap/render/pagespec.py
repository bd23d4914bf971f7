"""The page spec of flows already selected, built without folium: what the HTML page, the
player and the images all draw (:class:`~flowmap.render.spec.FlowSpec`).

:func:`map_page_spec` frames the flows and builds the spec (:func:`layer_spec`: the width
scale, the offline basemap, extra layers, the locale); :func:`flowmap.render.maps.draw_map`
puts that spec on a ``folium.Map``, and an image (:func:`flowmap.render.image.render_image`)
draws it without one, so ``flowmap export --out map.png`` never imports folium or branca.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING, Any

from flowmap.core import lazy
from flowmap.core.paths import geo_dir
from flowmap.engine.framing import frame_bounds, shift_places
from flowmap.engine.geometry import WidthScale
from flowmap.render.layer import Attribute, LayerText, LineStyles, Palette, build_spec
from flowmap.render.options import Basemap
from flowmap.render.spec import Change, FlowSpec, Scale
from flowmap.text.i18n import t

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy.module("pandas")  # imported on first use (flowmap.core.lazy)


@cache
def _basemap_features() -> dict[str, Any]:
    """Return the offline country outlines styled as the basemap draws them, as GeoJSON
    (read once: every map shares this one object, which nothing changes, so the live map
    writes its JSON once: :mod:`flowmap.render.live`)."""
    data: dict[str, Any] = json.loads((geo_dir() / "countries.geojson").read_text("utf-8"))
    for feature in data["features"]:
        feature["properties"] = {
            "_style": {"color": "#9a9a9a", "weight": 0.7, "fillColor": "#f4f1ea", "fillOpacity": 1}
        }
    return data


def basemap_layer(lang: str) -> dict[str, Any]:
    """Return the offline basemap layer: country outlines, no labels, no tiles."""
    return {
        "name": t("layer.countries", lang),
        "features": _basemap_features(),
        "interactive": False,
        "base": True,  # also drawn in the overview inset
    }


def default_scale(drawn: pd.DataFrame) -> WidthScale:
    """Return the width scale of a map without a fixed one: the largest drawn flow is
    28 px wide on a map of up to 50 flows, thinner on busier maps (14 px at 200 flows,
    8 px from 800 on: one flow never hides a region, and a busy map is not one solid
    blob), never under 8 px."""
    largest = max(1, int(drawn["count"].max()) if len(drawn) else 1)
    widest = min(28.0, max(8.0, 28.0 * (50 / max(1, len(drawn))) ** 0.5))
    return WidthScale(max_count=largest, max_px=round(widest, 1))


def layer_spec(
    drawn: pd.DataFrame,
    places: pd.DataFrame,
    *,
    text: LayerText,
    scale: WidthScale,
    bounds: Sequence[Sequence[float]] | None,
    chosen: Sequence[str] = (),
    attributes: Sequence[Attribute] = (),
    palette: Palette = "default",
    basemap: Basemap | None = None,
    lines: LineStyles | None = None,
    layers: Sequence[Mapping[str, Any]] = (),
    lang: str = "en",
    theme: str = "light",
    change: Change | None = None,
) -> FlowSpec:
    """Return the page spec of flows already selected (:func:`build_spec` with the width
    scale, the offline basemap when ``basemap`` is ``offline``, the extra ``layers`` and the
    locale of ``lang``); ``bounds`` is the view the page opens at (``None``: the map's own).
    ``palette``, ``basemap``, ``lines``, ``layers`` and ``theme`` are a checked
    :class:`~flowmap.render.options.Style`'s (or a preset's checked options): trusted here;
    ``change`` is a map of change's two figures per flow."""
    base = [basemap_layer(lang)] if basemap == "offline" else []
    return build_spec(
        drawn,
        places,
        text=text,
        scale=Scale.of(scale),
        legend_counts=scale.legend_counts(),
        chosen=chosen,
        attributes=attributes,
        styles=lines,
        layers=[*base, *layers],
        bounds=bounds,
        locale={"ky": "ky-KG", "ru": "ru-RU"}.get(lang, "en"),
        palette=palette,
        lang=lang,
        theme=theme,
        change=change,
    )


def map_page_spec(
    drawn: pd.DataFrame,
    places: pd.DataFrame,
    *,
    text: LayerText,
    scale: WidthScale,
    chosen: Sequence[str] = (),
    attributes: Sequence[Attribute] = (),
    styles: LineStyles | None = None,
    layers: Sequence[Mapping[str, Any]] = (),
    lang: str = "en",
    basemap: Basemap = "offline",
    frame_also: Sequence[Sequence[float]] = (),
    palette: Palette = "default",
    theme: str = "light",
    edge: Sequence[str] = (),
) -> FlowSpec:
    """Return the page spec of flows already selected (:func:`flowmap.engine.flows.select`
    or a preset's own selection), framed: what :func:`flowmap.render.maps.draw_map` puts on
    its map, and what an image draws.

    ``places`` is indexed by id with ``name``, ``lat`` and ``lon``; ``frame_also`` lists
    points (lat, lon) the opening view must include, such as a focus area's corners, and
    ``edge`` the places that never stretch it (:func:`~flowmap.engine.framing.frame_bounds`);
    ``palette``, ``basemap`` and ``theme`` are trusted: the preset's options object checked them
    (:class:`flowmap.batken.preset.MapOptions`), as :class:`~flowmap.render.options.Style`
    does on :func:`flowmap.render.maps.flow_map`'s path.
    """
    bounds = frame_bounds(drawn, places, chosen, also=frame_also, edge=edge)
    spec = layer_spec(
        drawn,
        shift_places(places, bounds),
        text=text,
        scale=scale,
        bounds=bounds,
        chosen=chosen,
        attributes=attributes,
        palette=palette,
        basemap=basemap,
        lines=styles,
        layers=layers,
        lang=lang,
        theme=theme,
    )
    if frame_also:  # the focus area stays in sight when the page zooms in to fill its frame
        spec = replace(spec, area=tuple((float(p[0]), float(p[1])) for p in frame_also))
    return spec


__all__ = ["basemap_layer", "default_scale", "layer_spec", "map_page_spec"]
