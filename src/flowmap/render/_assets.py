"""The page's own JavaScript and CSS (files in ``flowmap/assets``) and Leaflet, inlined so
that a map works offline.

:func:`asset` reads a file of the package, :func:`leaflet_assets` gives Leaflet's script
and style sheet, and :func:`leaflet_icons` the script that gives Leaflet's default marker
its images (for markers of a user's own map, :class:`flowmap.render.flowlayer.FlowLayer`).
"""

from __future__ import annotations

import base64
import re
from functools import cache
from importlib.resources import files


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
