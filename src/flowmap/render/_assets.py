"""The page's own JavaScript and CSS (files in ``flowmap/assets``) and Leaflet, inlined so
that a map works offline.

:func:`asset` reads a file of the package, :func:`leaflet_assets` gives Leaflet's script
and style sheet, and :func:`leaflet_icons` the script that gives Leaflet's default marker
its images (for markers of a user's own map, :class:`flowmap.render.flowlayer.FlowLayer`).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib.resources import files
from typing import Final

#: The page's scripts in the order they are inlined (each may use those before it; all hang
#: their parts on the one namespace ``window.flowmap``): the pure modules first (also
#: loaded by ``tests/js`` under Node), then the flow layer, the labels, the page around it
#: and, last, the player of a playable export (only in such a page).
SCRIPTS: Final = (
    "dom.js",  # el, escapeHtml, tipBody: every text goes in with textContent
    "format.js",  # numbers and short texts in the page's language
    "geo.js",  # curves, bends and arrowheads (flowmap.engine.curves mirrors them)
    "scales.js",  # line widths and circle radii
    "hit.js",  # which flow is under the mouse
    "tips.js",  # what the tooltips say
    "cluster.js",  # places clustered by zoom on a map of many places
    "flowlayer.js",  # the canvas layer of flows
    "labelplace.js",  # where labels go (flowmap.render.labelplace runs the same rules)
    "labels.js",  # the labels: measured, placed by labelplace.js, shown or hidden
    "inset.js",  # the overview map
    "legend.js",
    "frame.js",  # the opening view
    "overlays.js",  # base layers, place circles and names
    "controls.js",  # boxes and Leaflet's controls in the page's language
    "flowmap.js",  # flowmap.app: the page around the flow layer
    "playview.js",  # player: what a view shows
    "playerui.js",  # player: its controls
    "player.js",  # player: state, language switch, updates
)
#: The scripts only a playable export carries (the last ones of :data:`SCRIPTS`).
PLAYER_SCRIPTS: Final = ("playview.js", "playerui.js", "player.js")
#: The scripts only a map of many places carries (its places clustered by zoom).
CLUSTER_SCRIPTS: Final = ("cluster.js",)


@cache
def asset(name: str) -> str:
    """Return the text of a file in ``flowmap/assets`` (read once per process).

    Raises
    ------
    ValueError
        If the file could end the ``<script>`` or ``<style>`` element it is placed in.
    """
    text = (files("flowmap") / "assets" / name).read_text(encoding="utf-8")
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise ValueError(f"asset {name} must not contain a closing script or style tag")
    return text


def scripts(names: Iterable[str]) -> str:
    """Return the text of the named files of ``flowmap/assets``, one after another.

    Raises
    ------
    ValueError
        If a file could end the ``<script>`` element it is placed in.
    """
    return "\n".join(_compact(asset(name)) for name in names)


@lru_cache(maxsize=64)
def _compact(text: str) -> str:
    """Return a script without its whole-line comments (``// ...`` lines and ``/* ... */``
    blocks that start a line and end one) and without its lines' indentation: a page
    carries the code, not its notes and layout (the files in ``flowmap/assets`` keep
    them). Comments after code on a line stay. Every line break stays where it was, so
    the code means the same (no string or template of these scripts spans lines).

    Kept by the text: every map page carries the same dozen files (:func:`asset`, read
    once per process), compacted once."""
    out: list[str] = []
    block = False
    for line in text.splitlines():
        bare = line.strip()
        if block:
            if "*/" in line:
                block, rest = False, line.split("*/", 1)[1]
                if rest.strip():
                    out.append(rest.strip())
            continue
        if bare.startswith("//"):
            continue
        if bare.startswith("/*") and "*/" not in bare[2:-2]:
            block = not bare.endswith("*/") or len(bare) < 4
            continue
        out.append(bare)
    return "\n".join(out)


def page_scripts(clustered: bool = False) -> str:
    """Return the page's scripts (:data:`SCRIPTS` without the player's, and without
    :data:`CLUSTER_SCRIPTS` unless ``clustered``), in order."""
    left_out = PLAYER_SCRIPTS if clustered else (*PLAYER_SCRIPTS, *CLUSTER_SCRIPTS)
    return scripts(name for name in SCRIPTS if name not in left_out)


def player_scripts() -> str:
    """Return the player's scripts (:data:`PLAYER_SCRIPTS`), in order."""
    return scripts(PLAYER_SCRIPTS)


@cache
def leaflet_assets() -> tuple[str, str]:
    """Return Leaflet's JavaScript as text to place in a ``<script>`` element, and its CSS
    as a ``data:`` URI with the images inlined (from the xstatic-leaflet package: no CDN).

    The script is inlined as text, not as a base64 ``data:`` URI, which would make it a
    third larger.

    Raises
    ------
    ValueError
        If the script could end its ``<script>`` element early.
    """
    root = files("xstatic.pkg.leaflet") / "data"
    js = (root / "leaflet.js").read_text(encoding="utf-8")
    if re.search(r"</script|<!--", js, re.IGNORECASE):
        raise ValueError("leaflet.js must not contain a closing script tag or <!--")
    css = (root / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        name = match.group(1)
        data = base64.b64encode((root / "images" / name).read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css)
    return (
        js,
        "data:text/css;base64," + base64.b64encode(css.encode("utf-8")).decode("ascii"),
    )


@cache
def leaflet_icons() -> str:
    """Return a script that sets Leaflet's default marker images to ``data:`` URIs.

    Leaflet finds them next to its style sheet by its file name, which an inlined sheet
    has none of: a ``folium.Marker`` would show a broken image.
    """
    root = files("xstatic.pkg.leaflet") / "data" / "images"
    urls = {
        key: "data:image/png;base64," + base64.b64encode((root / name).read_bytes()).decode("ascii")
        for key, name in (
            ("iconUrl", "marker-icon.png"),
            ("iconRetinaUrl", "marker-icon-2x.png"),
            ("shadowUrl", "marker-shadow.png"),
        )
    }
    sets = "".join(f'L.Icon.Default.prototype.options.{k}="{v}";' for k, v in urls.items())
    return f'L.Icon.Default.imagePath="";{sets}'


__all__ = ["asset", "leaflet_assets", "leaflet_icons"]
