"""Clusters on a map of many places: the spec's part that the page cuts at each zoom
(``assets/cluster.js``), and the same cut at an image's scale (:func:`view_at`).

:func:`with_clusters` adds the tree of places (:func:`flowmap.engine.cluster.hierarchy`) and
its words to a spec, and sets the width scale so that the largest flow between clusters at
any zoom is the widest line. :func:`view_at` returns what a view at a scale shows (as the
page's ``flowmap.cluster.view`` does): clusters as places ("Rennes +41", at the centre of
their members), the flows between them summed, the largest ``top`` of them, the totals
(arrivals, departures, and the volume within each cluster), and the title box saying that
places are merged, how much volume moves within them and what the limit left out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from flowmap.engine.cluster import CLUSTER_PX, cut, hierarchy, largest_by_zoom, level, threshold
from flowmap.engine.curves import project
from flowmap.engine.flows.limit import DEFAULT_TOP
from flowmap.engine.geometry import WidthScale
from flowmap.render.spec import Clusters, FlowSpec, Scale
from flowmap.text.i18n import plural_forms, t
from flowmap.text.numbers import count as count_text
from flowmap.text.numbers import percent

LIST_MOST = 8
"""A cluster's tooltip names this many of its places, then says how many more."""


def cluster_text(lang: str) -> dict[str, Any]:
    """Return the words the page says of clusters in ``lang`` (``zoom``, "Zoom in to split
    them", only on the page: an image is one zoom) (templates with ``{name}``,
    ``{count}``, ``{shown}``, ``{total}``, ``{share}`` and, for a percentage, ``{n}``)."""
    return {
        "label": plural_forms("cluster.label", lang, name="{name}", count="{count}"),
        "clustered": t("general.clustered", lang, share="{share}"),
        "clusteredNone": t("general.clustered.none", lang),
        "zoom": t("general.clustered.zoom", lang),
        "largest": t("general.largest", lang, shown="{shown}", total="{total}", share="{share}"),
        "percent": percent(0.5, lang, 0).replace("50", "{n}"),
        "members": plural_forms("tip.members", lang, count="{count}"),
        "internal": t("tip.internal", lang),
        "summed": t("tip.summed", lang),
    }


def with_clusters(spec: FlowSpec, top: int | None, lang: str, *, scaled: bool) -> FlowSpec:
    """Return ``spec`` with its places clustered by zoom, drawing at most the ``top``
    largest flows between clusters at each zoom (None or 0: every flow); unless the width
    scale was given (``scaled``), the widest line is the largest flow between clusters at
    any zoom from one below the opening zoom in. Zoomed out further, summed flows may be
    larger: they are drawn as wide as the widest line, and the legend's widest sample says
    "or more" (:func:`said_widest`)."""
    places, flows = spec.places, spec.flows
    chosen = [i for i, focus in enumerate(places.focus) if focus]
    merges = hierarchy(places.lat, places.lon, chosen)  # a chosen place stays itself
    rows = tuple((int(a), int(b), float(d)) for a, b, d in merges)
    scale, counts = spec.scale, spec.legend_counts
    largest = largest_by_zoom(merges, places.lat, places.lon, flows.origin, flows.dest,
                              flows.count, flows.kind)  # fmt: skip
    most = max(int(max(flows.count, default=1)), int(largest.max()))
    if not scaled:
        lowest = max(0, _opening_zoom(spec) - 1)
        widest = max(int(max(flows.count, default=1)), int(largest[lowest:].max()), 1)
        shown = min(len(flows.count), top or len(flows.count))
        px = min(28.0, max(8.0, 28.0 * (50 / max(1, shown)) ** 0.5))
        scale = Scale(max_count=widest, max_px=round(px, 1), min_px=scale.min_px)
        counts = tuple(WidthScale(max_count=widest).legend_counts())
    clusters = Clusters(merges=rows, px=CLUSTER_PX, top=int(top or 0), text=cluster_text(lang))
    out = replace(spec, clusters=clusters, scale=scale, legend_counts=counts)
    return said_widest(out, most, lang)


def said_widest(spec: FlowSpec, most: float, lang: str) -> FlowSpec:
    """Return ``spec`` with its legend's widest sample saying "or more" when ``most`` (the
    largest flow it draws, at any zoom) is larger than the width scale's count: such flows
    are drawn as wide as the widest line (``scales.width``, ``width_px``), no wider, so the
    legend's widest sample is as wide as any line on the map."""
    top = spec.scale.max_count
    if most <= top:
        return spec
    legend = {**spec.text.legend, "orMore": t("legend.or_more", lang, people="{people}")}
    counts = tuple(c for c in spec.legend_counts if c < top)
    return replace(
        spec, widest=int(top), legend_counts=counts, text=replace(spec.text, legend=legend)
    )


def _opening_zoom(spec: FlowSpec) -> int:
    """The zoom a 1400 × 900 view of the spec's opening bounds has (whole, rounded down;
    2, a world view, without bounds)."""
    if spec.bounds is None:
        return 2
    (south, west), (north, east) = spec.bounds
    x, y = project([north, south], [west, east])
    span = max(float(x[1] - x[0]) / 1400, float(y[1] - y[0]) / 900, 1e-9)
    return max(0, math.floor(math.log2(1 / span)))


def _label(name: str, others: int, lang: str) -> str:
    """Return "Rennes +41": a cluster named by its largest place and how many others."""
    if others == 0:
        return name
    return t("cluster.label", lang, name=name, count=count_text(others, lang), n=others)


def view_at(spec: Mapping[str, Any], scale: float) -> dict[str, Any]:
    """Return the spec JSON of what a view at ``scale`` (screen pixels per world pixel at
    zoom 0, ``2 ** zoom``) shows of a clustered ``spec`` JSON: the page's
    ``flowmap.cluster.view`` in Python (a spec without clusters is returned as is)."""
    info = spec.get("clusters")
    if not info:
        return dict(spec)
    p, f, words = spec["places"], spec["flows"], info["text"]
    lang = str(spec.get("locale") or "en").partition("-")[0]
    n = len(p["id"])
    labels = cut(info["merges"], n, threshold(scale, float(info["px"])))
    found = level(labels, p["lat"], p["lon"], f["o"], f["d"], f["c"], f.get("k") or None)
    top = int(info.get("top") or 0)
    keep = len(found.count) if not top else min(top, len(found.count))
    whole = int(np.sum(f["c"]))
    between = int(found.count.sum())
    alerts = list(spec["text"].get("alerts") or [])
    if keep < len(found.count):
        share = float(found.count[:keep].sum()) / between if between else 1.0
        alerts.append(
            words["largest"]
            .replace("{shown}", count_text(keep, lang))
            .replace("{total}", count_text(len(found.count), lang))
            .replace("{share}", _percent(share, lang))
        )
    if any(len(m) > 1 for m in found.members):
        if between == whole:  # nothing within merged places: said without a share
            alerts.append(words["clusteredNone"])
        else:
            inside = 1 - between / whole
            alerts.append(words["clustered"].replace("{share}", _percent(inside, lang)))
    names = p["name"]
    time = f.get("t") or []
    places = {
        "id": [p["id"][m[0]] for m in found.members],
        "name": [_label(names[m[0]], len(m) - 1, lang) for m in found.members],
        "lat": [round(float(v), 5) for v in found.lat],
        "lon": [round(float(v), 5) for v in found.lon],
        "focus": [int(any(p["focus"][i] for i in m)) for m in found.members],
        "held": [_held([names[i] for i in m]) if len(m) > 1 else "" for m in found.members],
    }
    return {
        **spec,
        "places": places,
        "flows": {
            "o": found.origin[:keep].tolist(),
            "d": found.dest[:keep].tolist(),
            "c": found.count[:keep].tolist(),
            "k": found.kind[:keep].tolist(),
            "t": [time[0]] * keep if time else [],
            "a": {},
        },
        "attributes": [],
        "totals": {
            "in": found.arrivals.tolist(),
            "out": found.departures.tolist(),
            "total": (found.arrivals + found.departures).tolist(),
            "internal": found.internal.tolist(),
        },
        "text": {**spec["text"], "alerts": alerts},
    }


def _held(names: list[str]) -> str:
    """The places a cluster holds, as its tooltip lists them (``format.listOf``)."""
    if len(names) <= LIST_MOST:
        return ", ".join(names)
    return ", ".join(names[:LIST_MOST]) + f", … (+{len(names) - LIST_MOST})"


def _percent(share: float, lang: str) -> str:
    """Return a share as the limit's message writes it (one decimal near 0 and 100%)."""
    return percent(share, lang, 0 if 0.1 <= share <= 0.99 else 1)


__all__ = ["DEFAULT_TOP", "LIST_MOST", "cluster_text", "said_widest", "view_at", "with_clusters"]
