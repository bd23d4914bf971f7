"""Assemble the flow map as a ``folium.Map`` that works offline.

The map holds: an offline vector basemap (countries, Kyrgyz oblasts, labels) drawn from
``geo/``; an optional online tile layer (off unless asked for); the border overlay of Batken
oblast; an optional user district layer; the flow lines with arrowheads; circles sized by
arrivals + departures; a layer control, title, legend, notes and source citation.

Every layer is a GeoJSON FeatureCollection whose features carry their final style and
tooltip in their properties; a few lines of JavaScript apply them. This avoids folium's
per-feature ``style_function`` (compiled into a JavaScript ``switch``) and keeps large flow
sets fast. Every text that comes from data is HTML-escaped in Python, and every JSON
payload is escaped for a ``<script>`` block, so names such as ``</script>``, quotes,
backticks, ``${...}`` or backslashes stay inert text.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Figure
from folium.map import Layer
from folium.template import Template
from shapely.geometry import shape

from flowmap._elements import DataElement, title_element
from flowmap._escape import esc, script_json
from flowmap._files import write_text
from flowmap.data import FLOW_COLUMNS, FLOW_OPTIONAL, Period, geo_dir, place_name
from flowmap.geometry import LatLon, WidthScale, corridor_bends, curved_line
from flowmap.i18n import method_text, t
from flowmap.query import Selection

COLOURS: dict[str, str] = {"out": "#b2182b", "in": "#2166ac"}
OPACITY: dict[str, float] = {"reported": 0.85, "derived": 0.5, "modelled": 0.85}
BORDER_COLOURS: dict[str, str] = {"UZ": "#7b3294", "TJ": "#1b7837"}
COUNTRY_NAMES_FOR_BORDER = ("UZ", "TJ")


def _rows(pairs: Iterable[tuple[str, object]]) -> str:
    """Return tooltip HTML: one escaped ``label: value`` line per pair with a value."""
    return "<br>".join(
        f"<b>{esc(label)}</b>: {esc(value)}" for label, value in pairs if str(value) != ""
    )


# --------------------------------------------------------------------------- offline assets


@cache
def _leaflet_assets() -> tuple[str, str]:
    """Return Leaflet's JavaScript and CSS as ``data:`` URIs, images inlined into the CSS."""
    root = files("xstatic.pkg.leaflet") / "data"
    js = (root / "leaflet.js").read_bytes()
    css = (root / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        name = match.group(1)
        data = base64.b64encode((root / "images" / name).read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css)
    return (
        "data:text/javascript;base64," + base64.b64encode(js).decode("ascii"),
        "data:text/css;base64," + base64.b64encode(css.encode("utf-8")).decode("ascii"),
    )


@cache
def _geo_json(name: str) -> dict[str, Any]:
    """Return one of the committed GeoJSON files of ``geo/`` (read once per process)."""
    data: dict[str, Any] = json.loads((geo_dir() / name).read_text(encoding="utf-8"))
    return data


# --------------------------------------------------------------------------- folium pieces


class JsonLayer(Layer, DataElement):
    """A GeoJSON layer whose features carry their own style, tooltip, label or circle.

    Feature properties read by the script: ``_style`` (Leaflet path options),
    ``_tip`` (tooltip HTML, already escaped), ``_sticky`` (tooltip follows the mouse),
    ``_label`` (escaped text drawn as a label at a point), ``_circle`` (draw a point as a
    circle marker with ``_style``) and ``_arrow`` (add an arrowhead along a line).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON({{ this.slot("features") }}, {
            interactive: {{ this.slot("interactive") }},
            style: function (f) { return f.properties._style || {}; },
            pointToLayer: function (f, latlng) {
                if (f.properties._label !== undefined) {
                    return L.marker(latlng, {interactive: false, keyboard: false,
                        icon: L.divIcon({className: "fm-label " + (f.properties._class || ""),
                                         html: f.properties._label, iconSize: null})});
                }
                return L.circleMarker(latlng, f.properties._style || {});
            },
            onEachFeature: function (f, layer) {
                if (f.properties._tip) {
                    layer.bindTooltip(f.properties._tip, {sticky: !!f.properties._sticky});
                }
            }
        });
        {% if this.arrows %}flowmapArrows({{ this._parent.get_name() }}, {{ this.get_name() }});
        {% endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self,
        features: Sequence[Mapping[str, Any]],
        name: str,
        *,
        show: bool = True,
        control: bool = True,
        interactive: bool = True,
        arrows: bool = False,
    ) -> None:
        super().__init__(name=name, overlay=True, control=control, show=show)
        self._name = "JsonLayer"
        self.features = list(features)
        self.payload = {
            "features": {"type": "FeatureCollection", "features": self.features},
            "interactive": interactive,
        }
        self.arrows = arrows


class HtmlControl(DataElement):
    """A Leaflet control holding HTML that the caller has already escaped."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var control = L.control({position: {{ this.slot("position") }}});
            control.onAdd = function () {
                var div = L.DomUtil.create("div", {{ this.slot("css_class") }});
                div.innerHTML = {{ this.slot("html") }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            control.addTo({{ this._parent.get_name() }});
            if ({{ this._parent.get_name() }}.getSize().x < 700) {
                control.getContainer().querySelectorAll("details").forEach(function (d) {
                    d.open = false;
                });
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "HtmlControl"
        self.payload = {"html": html_text, "position": position, "css_class": f"fm-box {css_class}"}


class FlowmapScript(DataElement):
    """The page's own CSS and the arrowhead function, placed in the map script (not the
    header, which ``st_folium`` drops)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var style = document.createElement("style");
            style.textContent = {{ this.slot("css") }};
            document.head.appendChild(style);
        })();
        function flowmapArrows(map, layer) {
            var heads = L.layerGroup();
            function draw() {
                heads.clearLayers();
                layer.eachLayer(function (line) {
                    var f = line.feature;
                    if (!f || !f.properties._arrow || !line.getLatLngs) { return; }
                    var pts = line.getLatLngs();
                    var n = pts.length;
                    if (n < 3) { return; }
                    var k = Math.floor(n * 0.62);
                    var a = map.latLngToLayerPoint(pts[k - 1]);
                    var b = map.latLngToLayerPoint(pts[k + 1]);
                    var dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy);
                    if (len === 0) { return; }
                    dx /= len; dy /= len;
                    var w = f.properties._style.weight || 2;
                    var size = Math.max(9, w * 1.6), half = Math.max(6, w * 1.1);
                    var mid = map.latLngToLayerPoint(pts[k]);
                    var tip = mid.add(L.point(dx * size / 2, dy * size / 2));
                    var base = tip.subtract(L.point(dx * size, dy * size));
                    var left = base.add(L.point(-dy * half, dx * half));
                    var right = base.add(L.point(dy * half, -dx * half));
                    heads.addLayer(L.polygon([
                        map.layerPointToLatLng(tip), map.layerPointToLatLng(left),
                        map.layerPointToLatLng(right)
                    ], {stroke: false, fillColor: f.properties._style.color, fillOpacity: 0.95,
                        interactive: false, className: "fm-arrow"}));
                });
            }
            layer.on("add", function () { heads.addTo(map); draw(); });
            layer.on("remove", function () { map.removeLayer(heads); });
            map.on("zoomend viewreset", draw);
            if (map.hasLayer(layer)) { heads.addTo(map); draw(); }
        }
        {% endmacro %}
        """
    )

    def __init__(self, css: str) -> None:
        super().__init__()
        self._name = "FlowmapScript"
        self.payload = {"css": css}


PAGE_CSS = """
.fm-box{background:rgba(255,255,255,.93);padding:5px 8px;border-radius:5px;
  box-shadow:0 1px 4px rgba(0,0,0,.35);font:11px/1.3 system-ui,sans-serif;max-width:230px}
.fm-box summary{cursor:pointer}.fm-box p{margin:3px 0}.fm-empty{color:#b2182b;font-weight:600}
.fm-title{max-width:320px}
.fm-title h1{font-size:15px;margin:0 0 2px}.fm-title p{margin:0;color:#444}
.fm-legend svg{display:block}.fm-legend td{padding:1px 4px;vertical-align:middle}
.fm-notes{max-width:360px;color:#333}
.fm-label{font:11px system-ui,sans-serif;color:#555;white-space:nowrap;
  text-shadow:0 0 3px #fff,0 0 3px #fff;transform:translate(-50%,-50%)}
.fm-label.fm-country{font-size:12px;letter-spacing:.05em;color:#777;text-transform:uppercase}
.fm-label.fm-centre{color:#222;font-weight:600;transform:translate(6px,-50%)}
.fm-label.fm-batken{color:#8a6d00;font-weight:700}
"""


# --------------------------------------------------------------------------- flow lines


def flow_geometry(
    pairs: Iterable[tuple[str, str]], anchors: Mapping[str, LatLon]
) -> dict[tuple[str, str], list[LatLon]]:
    """Return the curved line of each (origin, destination) pair that has two anchors.

    Computed once per data set (the bends depend on every pair leaving the same place), so
    the app caches it and every selection reuses it.
    """
    drawable = sorted({p for p in pairs if p[0] in anchors and p[1] in anchors})
    ends = [(anchors[o], anchors[d]) for o, d in drawable]
    bends = corridor_bends(ends)
    return {
        pair: curved_line(a, b, bend)
        for pair, (a, b), bend in zip(drawable, ends, bends, strict=True)
    }


def drawable_flows(selected: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Return the finest set of flows to draw: an aggregate's row is left out when the rows
    of its parts (same direction, period, sex, age) are also selected, so people are never
    drawn twice (for example "other oblasts" versus Osh city, Bishkek, Chüy and the rest).
    """
    if selected.empty:
        return selected
    parents = places["parent"].to_dict()
    keys = ["direction", "period", "sex", "age"]
    covered: set[tuple[Any, ...]] = set()
    for row in selected.itertuples(index=False):
        parent = parents.get(row.counterpart, "")
        if parent:
            covered.add((parent, *(getattr(row, k) for k in keys)))
    mask = [
        (row.counterpart, *(getattr(row, k) for k in keys)) not in covered
        for row in selected.itertuples(index=False)
    ]
    return selected[mask].reset_index(drop=True)


def net_as_flows(balances: pd.DataFrame, focus: str) -> pd.DataFrame:
    """Return net balances as flows: a net loss points away from ``focus``, a gain to it."""
    rows = []
    for row in balances.itertuples(index=False):
        loss = row.net < 0
        rows.append(
            {
                "origin": focus if loss else row.counterpart,
                "destination": row.counterpart if loss else focus,
                "period": row.period,
                "sex": row.sex,
                "age": row.age,
                "count": abs(int(row.net)),
                "basis": row.basis,
                "source_ref": row.source_ref,
                "method": "",
                "note": f"{row.arrivals} − {row.departures} = {row.net}",
                "direction": "out" if loss else "in",
                "counterpart": row.counterpart,
            }
        )
    columns = [*FLOW_COLUMNS, *FLOW_OPTIONAL, "direction", "counterpart"]
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- features


def _line_feature(
    row: Any,
    line: Sequence[LatLon],
    scale: WidthScale,
    places: pd.DataFrame,
    lang: str,
    *,
    net: bool,
) -> dict[str, Any]:
    """Return the GeoJSON feature of one flow line with its style and escaped tooltip."""
    weight = scale.width(int(row.count))
    style: dict[str, Any] = {
        "color": COLOURS[row.direction],
        "weight": weight,
        "opacity": OPACITY[row.basis],
        "lineCap": "butt" if row.basis == "modelled" else "round",
        # Place ids are validated as [A-Z0-9-]+, so they are safe in a class name.
        "className": f"fm-flow fm-{row.basis} fm-{row.direction} "
        f"fm-from-{row.origin} fm-to-{row.destination}",
    }
    if row.basis == "modelled":
        style["dashArray"] = f"{max(4.0, 1.6 * weight):.0f} {max(4.0, 1.1 * weight):.0f}"
    group = f"{t('sex.' + row.sex, lang)}, {t('age.' + row.age, lang)}"
    tip = _rows(
        [
            (t("tip.from", lang), place_name(places, row.origin, lang)),
            (t("tip.to", lang), place_name(places, row.destination, lang)),
            (t("tip.period", lang), Period.parse(row.period).label()),
            (t("tip.net" if net else "tip.count", lang), f"{int(row.count):,}"),
            (t("tip.group", lang), group),
            (t("tip.basis", lang), t("basis." + row.basis, lang)),
            (t("tip.source", lang), row.source_ref),
            (t("tip.method", lang), method_text(row.method, lang)),
            (t("tip.note", lang), row.note if row.basis != "modelled" else ""),
        ]
    )
    return {
        "type": "Feature",
        "properties": {
            "_style": style,
            "_tip": tip,
            "_sticky": True,
            "_arrow": True,
            "origin": row.origin,
            "destination": row.destination,
            "count": int(row.count),
            "basis": row.basis,
            "direction": row.direction,
            "period": row.period,
        },
        "geometry": {
            "type": "LineString",
            "coordinates": [[round(lon, 3), round(lat, 3)] for lat, lon in line],
        },
    }


def _circle_features(
    drawn: pd.DataFrame,
    anchors: Mapping[str, LatLon],
    scale: WidthScale,
    places: pd.DataFrame,
    lang: str,
    focus: str,
) -> list[dict[str, Any]]:
    """Return one circle per place on the map, sized by the arrivals + departures drawn."""
    totals: dict[str, dict[str, int]] = {}
    for row in drawn.itertuples(index=False):
        for place in {row.origin, row.destination}:
            entry = totals.setdefault(place, {"in": 0, "out": 0})
            entry[row.direction] += int(row.count)
    features: list[dict[str, Any]] = []
    labels: list[dict[str, Any]] = []
    for place, entry in sorted(totals.items()):
        if place not in anchors:
            continue
        lat, lon = anchors[place]
        total = entry["in"] + entry["out"]
        radius = max(3.0, 0.45 * scale.width(total))
        name, focus_name = place_name(places, place, lang), place_name(places, focus, lang)
        counts = {k: f"{v:,}" if v else "" for k, v in entry.items()}
        if place == focus:
            lines = [
                (t("tip.arrivals", lang), counts["in"]),
                (t("tip.departures", lang), counts["out"]),
            ]
        else:  # flows between this place and the focus place, with arrows for direction
            lines = [
                (f"{focus_name} → {name}", counts["out"]),
                (f"{name} → {focus_name}", counts["in"]),
            ]
        lines.append((t("tip.anchor", lang), places.at[place, "anchor"]))
        title = f"<b>{esc(name)}</b>"
        tip = _rows(lines)
        if places.at[place, "kind"] in ("city", "aggregate"):
            labels.append(_label(name, lat, lon, "fm-centre"))
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "_circle": True,
                    "_style": {
                        "radius": round(radius, 1),
                        "color": "#333",
                        "weight": 1,
                        "fillColor": "#ffd54f" if place == focus else "#fff",
                        "fillOpacity": 0.9,
                        "className": "fm-place",
                    },
                    "_tip": title + ("<br>" + tip if tip else ""),
                    "place": place,
                },
                "geometry": {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]},
            }
        )
    return features + labels


def _label(text: str, lat: float, lon: float, css: str) -> dict[str, Any]:
    """Return a point feature drawn as an escaped text label."""
    return {
        "type": "Feature",
        "properties": {"_label": esc(text), "_class": css},
        "geometry": {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]},
    }


@cache
def _label_points() -> dict[str, LatLon]:
    """Return a point inside each country (its largest part) and oblast, for labels."""
    points: dict[str, LatLon] = {}
    for name in ("countries.geojson", "oblasts.geojson"):
        for f in _geo_json(name)["features"]:
            geom = shape(f["geometry"])
            parts = getattr(geom, "geoms", [geom])
            largest = max(parts, key=lambda g: g.area)
            point = largest.representative_point()
            points[f["properties"]["id"]] = (point.y, point.x)
    return points


def basemap_layers(places: pd.DataFrame, lang: str) -> list[JsonLayer]:
    """Return the offline basemap: country areas, oblast outlines, and their labels."""
    countries = [
        {
            "type": "Feature",
            "properties": {
                "_style": {
                    "color": "#9a9a9a",
                    "weight": 0.7,
                    "fillColor": "#efe9dc" if f["properties"]["id"] == "KG" else "#f7f5f0",
                    "fillOpacity": 1,
                }
            },
            "geometry": f["geometry"],
        }
        for f in _geo_json("countries.geojson")["features"]
    ]
    oblasts = [
        {
            "type": "Feature",
            "properties": {
                "_style": {
                    "color": "#b5a88a",
                    "weight": 0.8,
                    "dashArray": "3 3",
                    "fill": f["properties"]["id"] == "KG-B",
                    "fillColor": "#ffe9a8",
                    "fillOpacity": 0.55,
                }
            },
            "geometry": f["geometry"],
        }
        for f in _geo_json("oblasts.geojson")["features"]
    ]
    labels = []
    centres = _label_points()
    for pid, row in places.iterrows():
        if str(pid) not in centres or row["kind"] not in ("country", "oblast"):
            continue
        css = "fm-country" if row["kind"] == "country" else "fm-oblast"
        if pid == "KG-B":
            css += " fm-batken"
        lat, lon = centres[str(pid)]
        labels.append(_label(place_name(places, str(pid), lang), lat, lon, css))
    return [
        JsonLayer(countries, t("layer.countries", lang), interactive=False),
        JsonLayer(oblasts, t("layer.oblasts", lang), interactive=False),
        JsonLayer(labels, "labels", control=False, interactive=False),
    ]


def border_layer(places: pd.DataFrame, lang: str) -> JsonLayer:
    """Return the border overlay: Batken's borders with Uzbekistan and Tajikistan, the
    enclaves inside it, and the centres of its districts and cities, all labelled."""
    features: list[dict[str, Any]] = []
    names = {
        cid: place_name(places, cid, lang) if cid in places.index else cid
        for cid in COUNTRY_NAMES_FOR_BORDER
    }
    for f in _geo_json("border.geojson")["features"]:
        p = f["properties"]
        if p["kind"] == "border":
            country = names.get(p["country"], p["country"])
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "_style": {
                            "color": BORDER_COLOURS.get(p["country"], "#555"),
                            "weight": 4,
                            "opacity": 0.9,
                            "className": f"fm-border fm-border-{p['country']}",
                        },
                        "_tip": esc(t("tip.border", lang, country=country, km=p["length_km"])),
                        "_sticky": True,
                        "kind": "border",
                        "country": p["country"],
                    },
                    "geometry": f["geometry"],
                }
            )
        elif p["kind"] == "enclave":
            country = names.get(p["country"], p["country"])
            name = p.get(f"name_{lang}") or p["name_en"]
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "_style": {
                            "color": BORDER_COLOURS.get(p["country"], "#555"),
                            "weight": 2,
                            "fillColor": BORDER_COLOURS.get(p["country"], "#555"),
                            "fillOpacity": 0.35,
                            "className": "fm-enclave",
                        },
                        "_tip": esc(
                            t("tip.enclave", lang, country=country, name=name, area=p["area_km2"])
                        ),
                        "kind": "enclave",
                        "id": p["id"],
                    },
                    "geometry": f["geometry"],
                }
            )
    for f in _geo_json("border.geojson")["features"]:
        p = f["properties"]
        if p["kind"] != "centre":
            continue
        name = p.get(f"name_{lang}") or p["name_en"]
        lon, lat = f["geometry"]["coordinates"]
        role = t(_CENTRE_ROLES.get(p["id"], "centre.city"), lang)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "_circle": True,
                    "_style": {
                        "radius": 4,
                        "color": "#222",
                        "weight": 1.5,
                        "fillColor": "#222",
                        "fillOpacity": 1,
                        "className": "fm-centre",
                    },
                    "_tip": f"<b>{esc(name)}</b><br>{esc(role)}",
                    "kind": "centre",
                    "id": p["id"],
                },
                "geometry": f["geometry"],
            }
        )
        features.append(_label(name, lat, lon, "fm-centre"))
    return JsonLayer(features, t("layer.border", lang))


_CENTRE_ROLES = {
    "batken": "centre.district.batken",
    "isfana": "centre.district.leilek",
    "pulgon": "centre.district.kadamjay",
    "kyzyl-kiya": "centre.city",
    "sulukta": "centre.city",
}


def district_layer(districts: gpd.GeoDataFrame, lang: str) -> JsonLayer:
    """Return user-supplied district areas (from :func:`flowmap.districts.load_districts`)."""
    features = []
    for row in districts.itertuples(index=False):
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "_style": {
                        "color": "#6a51a3",
                        "weight": 1.5,
                        "fillColor": "#bcbddc",
                        "fillOpacity": 0.35,
                        "className": "fm-district",
                    },
                    "_tip": f"<b>{esc(row.label)}</b>"
                    + (f"<br>{esc(row.matched)}" if row.matched else ""),
                    "_sticky": True,
                },
                "geometry": json.loads(gpd.GeoSeries([row.geometry]).to_json())["features"][0][
                    "geometry"
                ],
            }
        )
    return JsonLayer(features, t("layer.districts", lang))


# --------------------------------------------------------------------------- the map


@dataclass(frozen=True)
class MapOptions:
    """How to draw: language, overlays and basemap."""

    lang: str = "en"
    border_overlay: bool = True
    online_tiles: bool = False
    height: str = "100%"
    notes: tuple[str, ...] = field(default_factory=tuple)
    title: str | None = None
    """The map's title; the data set's own title when None."""
    subtitle: str | None = None
    """The line under the title; what is shown (direction, period, group) when None."""


def _legend_html(scale: WidthScale, lang: str) -> str:
    """Return the legend: reference widths, line styles, colours, circles."""
    rows = []
    for count in scale.legend_counts():
        width = scale.width(count)
        rows.append(
            f'<tr><td><svg width="60" height="{max(8, int(width) + 4)}">'
            f'<line x1="2" x2="58" y1="{max(4, width / 2 + 2):.1f}" '
            f'y2="{max(4, width / 2 + 2):.1f}" stroke="#555" stroke-width="{width}"/></svg></td>'
            f"<td>{esc(t('legend.people', lang, count=f'{count:,}'))}</td></tr>"
        )
    styles = []
    for basis in ("reported", "derived", "modelled"):
        dash = ' stroke-dasharray="8 5"' if basis == "modelled" else ""
        styles.append(
            f'<tr><td><svg width="60" height="10"><line x1="2" x2="58" y1="5" y2="5" '
            f'stroke="#b2182b" stroke-opacity="{OPACITY[basis]}" stroke-width="4"{dash}/></svg>'
            f"</td><td>{esc(t('legend.style.' + basis, lang))}</td></tr>"
        )
    threshold = int((scale.min_px / scale.px_per_sqrt_person) ** 2)
    return (
        f"<details open><summary><b>{esc(t('legend.title', lang))}</b></summary>"
        f"<p>{esc(t('legend.width', lang))}</p><table>{''.join(rows)}</table>"
        f"<table>{''.join(styles)}</table>"
        f"<p>{esc(t('legend.colour.out', lang))}<br>{esc(t('legend.colour.in', lang))}<br>"
        f"{esc(t('legend.arrows', lang))}<br>{esc(t('legend.circles', lang))}</p>"
        f"<p>{esc(t('legend.min_width', lang, count=f'{threshold:,}', px=scale.min_px))}</p>"
        "</details>"
    )


def _page_title(selection: Selection, options: MapOptions) -> str:
    """Return the text of the page's ``<title>``: the map title and its period."""
    lang = options.lang
    period = selection.period.label() if selection.period else "2013–2024"
    title = options.title if options.title is not None else t("map.title", lang)
    return f"{title} · {t('direction.' + selection.direction, lang)} · {period}"


def _title_html(selection: Selection, options: MapOptions, places: pd.DataFrame) -> str:
    """Return the title box: what is shown, for which period and group."""
    lang = options.lang
    period = selection.period.label() if selection.period else "2013–2024"
    group = t("sex." + (selection.sex if selection.sex != "any" else "total"), lang)
    subtitle = f"{t('direction.' + selection.direction, lang)} · {period} · {group}"
    chosen = [d for d in selection.dest if places.at[d, "kind"] != "aggregate"]
    if 0 < len(chosen) <= 4:
        subtitle += " · " + ", ".join(place_name(places, d, lang) for d in chosen)
    if options.subtitle is not None:
        subtitle = options.subtitle
    title = options.title if options.title is not None else t("map.title", lang)
    return f"<h1>{esc(title)}</h1><p>{esc(subtitle)}</p>"


def build_map(
    selected: pd.DataFrame,
    selection: Selection,
    *,
    places: pd.DataFrame,
    anchors: Mapping[str, LatLon],
    geometry: Mapping[tuple[str, str], Sequence[LatLon]],
    scale: WidthScale,
    options: MapOptions | None = None,
    districts: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """Return the flow map of the ``selected`` flows (from :func:`flowmap.query.select_flows`,
    or :func:`net_as_flows` for net migration).

    Parameters
    ----------
    selected
        The flows to draw, with ``direction`` and ``counterpart`` columns.
    selection
        What the user chose (used for the title).
    places, anchors, geometry, scale
        The places table, anchor points, the cached line of every pair and the width scale
        of the whole data set.
    options
        Language, overlays, basemap.
    districts
        Optional district areas to draw.
    """
    options = options or MapOptions()
    lang = options.lang
    js, css = _leaflet_assets()
    fmap = folium.Map(
        location=list(anchors.get(selection.focus, (40.0, 71.0))),
        zoom_start=5,
        tiles=None,
        control_scale=True,
        zoom_snap=0.25,
        height=options.height,
    )
    # Offline: Leaflet comes inlined from xstatic-leaflet; none of folium's CDN links.
    fmap.default_js = [("leaflet", js)]
    fmap.default_css = [("leaflet_css", css)]
    root = fmap.get_root()
    if isinstance(root, Figure):
        root.header.add_child(title_element(_page_title(selection, options)), name="title")
    fmap.add_child(FlowmapScript(PAGE_CSS))
    if options.online_tiles:
        folium.TileLayer(
            "OpenStreetMap", name=t("layer.tiles", lang), overlay=True, show=True
        ).add_to(fmap)
    for layer in basemap_layers(places, lang):
        fmap.add_child(layer)
    if districts is not None and len(districts):
        fmap.add_child(district_layer(districts, lang))
    if options.border_overlay:
        fmap.add_child(border_layer(places, lang))
    drawn = drawable_flows(selected, places)
    is_net = selection.direction == "net"
    features = []
    for row in drawn.sort_values("count", ascending=False).itertuples(index=False):
        line = geometry.get((row.origin, row.destination))
        if line is not None:
            features.append(_line_feature(row, line, scale, places, lang, net=is_net))
    fmap.add_child(JsonLayer(features, t("layer.flows", lang), arrows=True))
    fmap.add_child(
        JsonLayer(
            _circle_features(drawn, anchors, scale, places, lang, selection.focus),
            t("layer.circles", lang),
        )
    )
    folium.LayerControl(collapsed=True).add_to(fmap)
    title = _title_html(selection, options, places)
    if not features:
        title += f'<p class="fm-empty">{esc(t("note.empty", lang))}</p>'
    fmap.add_child(HtmlControl(title, "topleft", "fm-title"))
    fmap.add_child(HtmlControl(_legend_html(scale, lang), "bottomright", "fm-legend"))
    notes = [t("note.border_2025", lang)]
    if len(drawn) and (drawn["basis"] == "modelled").any():
        notes.append(t("note.modelled", lang))
    if len(drawn) and drawn["counterpart"].isin(["ABROAD", "KG-OTHER", "KG-REST"]).any():
        notes.append(t("note.symbolic", lang))
    notes.extend(options.notes)
    fmap.add_child(
        HtmlControl(
            f"<details><summary>{esc(t('note.source', lang))}</summary>"
            + "".join(f"<p>{esc(n)}</p>" for n in notes)
            + "</details>",
            "bottomleft",
            "fm-notes",
        )
    )
    _fit(fmap, features, _focus_bounds(selection.focus, anchors))
    return fmap


def _focus_bounds(focus: str, anchors: Mapping[str, LatLon]) -> list[LatLon]:
    """Return points that must be in view: the focus place's area (or its anchor)."""
    for f in _geo_json("oblasts.geojson")["features"]:
        if f["properties"]["id"] == focus:
            minx, miny, maxx, maxy = shape(f["geometry"]).bounds
            return [(miny, minx), (maxy, maxx)]
    return [anchors[focus]] if focus in anchors else []


def _fit(fmap: folium.Map, features: Sequence[Mapping[str, Any]], focus: list[LatLon]) -> None:
    """Fit the view to the drawn lines, leaving room for the boxes at the edges.

    Latitudes are capped at 72° so that a great circle over the Arctic (Batken to New York)
    does not squeeze everything else into a corner of the Mercator map.
    """
    points = [p for f in features for p in f["geometry"]["coordinates"]]
    points += [[lon, lat] for lat, lon in focus]
    if not points:
        return
    lats = [max(-60.0, min(72.0, p[1])) for p in points]
    lons = [p[0] for p in points]
    fmap.fit_bounds(
        [[min(lats), min(lons)], [max(lats), max(lons)]],
        padding_top_left=(40, 90),
        padding_bottom_right=(240, 70),
    )


def map_html(fmap: folium.Map) -> str:
    """Return the map as one self-contained HTML document."""
    html_text: str = fmap.get_root().render()
    return html_text


def save_html(fmap: folium.Map, path: Path | str) -> Path:
    """Write the self-contained HTML of ``fmap`` to ``path``; return the path."""
    path = Path(path)
    write_text(path, map_html(fmap))
    return path


__all__ = [
    "MapOptions",
    "build_map",
    "drawable_flows",
    "esc",
    "flow_geometry",
    "map_html",
    "net_as_flows",
    "save_html",
    "script_json",
]
