"""The Batken preset's map layers: Kyrgyz oblasts, country and oblast labels, the border
overlay (Batken's borders with Uzbekistan and Tajikistan, the enclaves, the district
centres) and user district areas.

Each layer is plain data for ``assets/overlays.js``: GeoJSON features whose properties carry
``_style`` (Leaflet path options), ``_tip`` (tooltip lines as text) and ``_label`` (a text
label at a point). Nothing here is HTML: the page puts every text in with textContent.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from functools import cache
from typing import TYPE_CHECKING, Any

import pandas as pd
from shapely.geometry import mapping, shape

from flowmap.batken.units import unit_name
from flowmap.core.langs import LANGS
from flowmap.core.paths import geo_dir
from flowmap.text import numbers
from flowmap.text.i18n import t
from flowmap.text.places import place_name

if TYPE_CHECKING:
    import geopandas as gpd

BORDER_COLOURS: dict[str, str] = {"UZ": "#7b3294", "TJ": "#1b7837"}
"""Colour of Batken's border with each country (and of that country's enclaves)."""
BORDER_PALETTES: dict[str, dict[str, str]] = {
    "default": BORDER_COLOURS,
    "colourblind": {"UZ": "#7a1f6e", "TJ": "#009e73"},
}
"""Border colours by flow palette (:data:`flowmap.render.layer.PALETTES`).

With the ``colourblind`` flow palette the borders are a deep purple (Uzbekistan) and the
Okabe–Ito bluish green (Tajikistan): in the Machado et al. (2009) simulations of
protanopia, deuteranopia and tritanopia they stay apart from each other and from the
departure and arrival colours (CIEDE2000 difference 12 or more), where the default purple
is close to the arrivals blue for deuteranopia. Both keep a contrast of at least 3:1 on
the basemap's land. Colour is never the only cue: see :data:`BORDER_DASHES`."""
BORDER_DASHES: dict[str, str] = {"UZ": "10 6", "TJ": ""}
"""Leaflet ``dashArray`` of each border and its enclaves' outlines (``""``: solid), in every
palette, so the two borders differ by pattern as well as by colour."""
CENTRE_ROLES: dict[str, str] = {
    "batken": "centre.district.batken",
    "isfana": "centre.district.leilek",
    "pulgon": "centre.district.kadamjay",
    "kyzyl-kiya": "centre.city",
    "sulukta": "centre.city",
}


@cache
def geo_json(name: str) -> dict[str, Any]:
    """Return one of the committed GeoJSON files of ``geo/`` (read once per process)."""
    data: dict[str, Any] = json.loads((geo_dir() / name).read_text(encoding="utf-8"))
    return data


@cache
def label_points() -> dict[str, tuple[float, float]]:
    """Return a point inside each country (its largest part) and oblast, for labels."""
    points: dict[str, tuple[float, float]] = {}
    for name in ("countries.geojson", "oblasts.geojson"):
        for feature in geo_json(name)["features"]:
            geom = shape(feature["geometry"])
            largest = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
            point = largest.representative_point()
            points[feature["properties"]["id"]] = (point.y, point.x)
    return points


def area_bounds(place_id: str) -> list[list[float]] | None:
    """Return ``[[south, west], [north, east]]`` of an oblast polygon, or None."""
    for feature in geo_json("oblasts.geojson")["features"]:
        if feature["properties"]["id"] == place_id:
            minx, miny, maxx, maxy = shape(feature["geometry"]).bounds
            return [[miny, minx], [maxy, maxx]]
    return None


def home_points(
    place_table: pd.DataFrame, ends: Collection[str], skip: Collection[str]
) -> list[list[float]]:
    """Return ``[lat, lon]`` of the drawn ``ends`` at home (ids ``KG-…``) in ``place_table``
    (the engine's places: ``lat``, ``lon`` by id), except ``skip`` (the focus and the
    symbolic points). A Batken map's frame always holds them: the oblast and its
    destinations at home fill it in every view, whatever the share of the flows abroad (a
    year in which Russia is the largest flow framed the oblast alone, its flows to Bishkek
    and Chüy as edge labels).

    >>> table = pd.DataFrame({"lat": [40.5, 42.9, 55.8], "lon": [72.8, 74.6, 37.6]},
    ...                      index=["KG-GO", "KG-GB", "RU"])
    >>> home_points(table, {"KG-B", "KG-GO", "KG-GB", "RU"}, {"KG-B"})
    [[42.9, 74.6], [40.5, 72.8]]
    """
    home = sorted(
        e for e in ends if e.startswith("KG-") and e not in skip and e in place_table.index
    )
    return [[float(place_table.at[e, "lat"]), float(place_table.at[e, "lon"])] for e in home]


def _feature(geometry: Any, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _label(
    text: str, lat: float, lon: float, css: str, names: dict[str, str] | None = None
) -> dict[str, Any]:
    """A label at a point; ``names`` (by language) let a playable export switch it."""
    point = {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]}
    if names:
        return _feature(point, _label=text, _class=css, _names=names)
    return _feature(point, _label=text, _class=css)


def _names(props: dict[str, Any]) -> dict[str, str]:
    """The name of a feature in each language (English where one is missing)."""
    return {code: str(props.get(f"name_{code}") or props["name_en"]) for code in LANGS}


def oblast_layers(
    places: pd.DataFrame, lang: str, focus: str, named: Collection[str] = ()
) -> list[dict[str, Any]]:
    """Return the Kyrgyz oblasts (the focus oblast filled) and the country/oblast labels,
    but for the places in ``named`` (the ends of the flows drawn, the focus among them):
    the map names those by their circles, one name per place, never "Chüy oblast" or
    "Batken oblast" twice."""
    oblasts = [
        _feature(
            f["geometry"],
            _style={
                "color": "#b5a88a",
                "weight": 0.8,
                "dashArray": "3 3",
                "fill": f["properties"]["id"] == focus,
                "fillColor": "#ffe9a8",
                "fillOpacity": 0.55,
            },
        )
        for f in geo_json("oblasts.geojson")["features"]
    ]
    labels = []
    centres = label_points()
    for pid, row in places.iterrows():
        if str(pid) not in centres or row["kind"] not in ("country", "oblast"):
            continue
        if str(pid) in named:
            continue
        css = "fm-country" if row["kind"] == "country" else "fm-oblast"
        if pid == focus:
            css += " fm-batken"
        lat, lon = centres[str(pid)]
        names = {code: place_name(places, str(pid), code) for code in LANGS}
        labels.append(_label(names[lang], lat, lon, css, names))
    return [
        {
            "name": t("layer.oblasts", lang),
            "features": {"type": "FeatureCollection", "features": oblasts},
        },
        {"name": "", "features": {"type": "FeatureCollection", "features": labels}},
    ]


def _dashed(style: dict[str, Any], country: str) -> dict[str, Any]:
    """Return a Leaflet path style with the dash pattern of ``country``'s border."""
    dash = BORDER_DASHES.get(country, "")
    return {**style, "dashArray": dash} if dash else style


def border_layer(places: pd.DataFrame, lang: str, palette: str = "default") -> dict[str, Any]:
    """Return the border overlay: Batken's borders with Uzbekistan and Tajikistan, the
    enclaves inside it, and the centres of its districts and cities, all labelled.

    ``palette`` (a key of :data:`BORDER_PALETTES`) chooses the border colours; each border
    also has its own dash pattern (:data:`BORDER_DASHES`)."""
    colours = BORDER_PALETTES[palette]
    names = {
        cid: place_name(places, cid, lang) if cid in places.index else cid for cid in BORDER_COLOURS
    }
    features: list[dict[str, Any]] = []
    for f in geo_json("border.geojson")["features"]:
        p = f["properties"]
        colour = colours.get(p.get("country", ""), "#555")
        country = names.get(p.get("country", ""), p.get("country", ""))
        if p["kind"] == "border":
            features.append(
                _feature(
                    f["geometry"],
                    _style=_dashed(
                        {"color": colour, "weight": 4, "opacity": 0.9}, p.get("country", "")
                    ),
                    _tip=[
                        t(
                            "tip.border",
                            lang,
                            country=country,
                            km=numbers.decimal(p["length_km"], lang, 1),
                        )
                    ],
                )
            )
        elif p["kind"] == "enclave":
            name = p.get(f"name_{lang}") or p["name_en"]
            features.append(
                _feature(
                    f["geometry"],
                    _style=_dashed(
                        {"color": colour, "weight": 2, "fillColor": colour, "fillOpacity": 0.35},
                        p.get("country", ""),
                    ),
                    _above=True,  # over the flows: no flow hides an enclave
                    _tip=[
                        t(
                            "tip.enclave",
                            lang,
                            country=country,
                            name=name,
                            area=numbers.decimal(p["area_km2"], lang, 1),
                        )
                    ],
                )
            )
            centre = shape(f["geometry"]).representative_point()
            features.append(_label(name, centre.y, centre.x, "fm-enclave", _names(p)))
    for f in geo_json("border.geojson")["features"]:
        p = f["properties"]
        if p["kind"] != "centre":
            continue
        name = p.get(f"name_{lang}") or p["name_en"]
        lon, lat = f["geometry"]["coordinates"]
        features.append(
            _feature(
                f["geometry"],
                _style={
                    "radius": 4,
                    "color": "#222",
                    "weight": 1.5,
                    "fillColor": "#222",
                    "fillOpacity": 1,
                },
                _tip=[name, t(CENTRE_ROLES.get(p["id"], "centre.city"), lang)],
                _above=True,
            )
        )
        features.append(_label(name, lat, lon, "fm-centre", _names(p)))
    return {
        "name": t("layer.border", lang),
        "features": {"type": "FeatureCollection", "features": features},
        "interactive": True,
    }


DISTRICT_COLOUR = "#8c6d31"
DISTRICT_STYLE: dict[str, Any] = {
    "color": DISTRICT_COLOUR,
    "weight": 1.2,
    "fillColor": "#e7cb94",
    "fillOpacity": 0.25,
}


def batken_districts_layer(lang: str) -> dict[str, Any]:
    """Return Batken's three districts (rayons) as areas with their names, from the
    geoBoundaries polygons built into ``geo/districts.geojson``."""
    features: list[dict[str, Any]] = []
    labels: list[dict[str, Any]] = []
    for f in geo_json("districts.geojson")["features"]:
        p = f["properties"]
        # "Batken district", not a third "Batken" beside the town and the oblast (the
        # Kyrgyz and Russian names say "району", "район" already).
        names = {code: t("layer.district_name", code, name=n) for code, n in _names(p).items()}
        name = names[lang]
        features.append(
            _feature(
                f["geometry"],
                _style=DISTRICT_STYLE,
                _tip=[
                    name,
                    t("tip.district_area", lang, area=numbers.count(round(p["area_km2"]), lang)),
                ],
            )
        )
        labels.append(_label(name, p["label_lat"], p["label_lon"], "fm-district", names))
    return {
        "name": t("layer.batken_districts", lang),
        "features": {"type": "FeatureCollection", "features": features + labels},
        "interactive": True,
    }


def _swatch(shape: str, colour: str, label: str, country: str = "") -> dict[str, str]:
    """Return a legend entry; a dashed border's entries carry its ``dash`` (a Leaflet
    ``dashArray``, such as ``"10 6"``)."""
    entry = {"shape": shape, "colour": colour, "label": label}
    if BORDER_DASHES.get(country):
        entry["dash"] = BORDER_DASHES[country]
    return entry


def overlay_legend(
    lang: str, *, border: bool, districts: bool, palette: str = "default"
) -> list[dict[str, str]]:
    """Return the legend entries that explain the overlay's lines and areas.

    Each entry has ``shape`` (``line``, ``area`` or ``point``), ``colour`` and ``label``;
    the entries of a dashed border (and of its enclaves) also have ``dash``, the border's
    Leaflet ``dashArray``. ``palette`` chooses the border colours as in
    :func:`border_layer`."""
    colours = BORDER_PALETTES[palette]
    entries: list[dict[str, str]] = []
    if border:
        entries += [
            _swatch("line", colours["TJ"], t("legend.border.tj", lang), "TJ"),
            _swatch("line", colours["UZ"], t("legend.border.uz", lang), "UZ"),
            _swatch("area", colours["UZ"], t("legend.enclave", lang), "UZ"),
            _swatch("point", "#222222", t("legend.centre", lang)),
        ]
    if districts:
        entries.append(
            {
                "shape": "area",
                "colour": DISTRICT_STYLE["color"],
                "label": t("legend.district", lang),
            }
        )
    return entries


def district_layer(districts: gpd.GeoDataFrame, lang: str) -> dict[str, Any]:
    """Return user-supplied district areas (from :func:`flowmap.batken.districts.load_districts`),
    each with its own name and the Batken unit it was matched to, in ``lang``."""
    features = [
        _feature(
            mapping(row.geometry),
            _style={"color": "#6a51a3", "weight": 1.5, "fillColor": "#bcbddc", "fillOpacity": 0.35},
            _tip=[str(row.label), *([unit_name(str(row.matched), lang)] if row.matched else [])],
        )
        for row in districts.itertuples(index=False)
    ]
    return {
        "name": t("layer.districts", lang),
        "features": {"type": "FeatureCollection", "features": features},
        "interactive": True,
    }
