"""Images of flow maps for slides and print (PNG, SVG, PDF), drawn without a browser.

:func:`render_image` draws the spec of a map page (:class:`flowmap.render.spec.FlowSpec`, read
as the JSON the page's scripts read) with matplotlib: the same layers, flows (curves from
:mod:`flowmap.engine.curves`, widths in CSS pixels, colours, dashes, arrowheads), place
circles and labels, the title, legend, source and a scale in km, framed as the browser
frames the page. One CSS pixel is 1/96 inch (0.75 pt): a 1920 × 1080 PNG shows flows exactly
as wide as the browser does. Texts grow with the image height so that slides stay readable
from the back of a room.

Every text comes from data and is drawn as plain text: no mathtext (``$``), no TeX, no
markup. SVG keeps texts as ``<text>``; PDF embeds DejaVu Sans (TrueType) so texts can be
searched and copied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from flowmap.core.errors import FlowmapError, MissingExtraError
from flowmap.io._files import check_target, write_bytes
from flowmap.render.layer import visible_spec
from flowmap.render.spec import SPEC_VERSION, FlowSpec
from flowmap.text.i18n import msg


@dataclass(frozen=True)
class ImageSize:
    """A page: its size in inches and the pixels per inch of a PNG."""

    width_in: float
    height_in: float
    dpi: float


SIZES: dict[str, ImageSize] = {
    "1920x1080": ImageSize(1920 / 96, 1080 / 96, 96),
    "1280x720": ImageSize(1280 / 96, 720 / 96, 96),
    "a4": ImageSize(297 / 25.4, 210 / 25.4, 150),
}
"""The image sizes: two slide sizes (pixels) and A4 landscape (150 dpi as a PNG)."""
FORMATS: tuple[str, ...] = ("png", "svg", "pdf")


def _drawing() -> ModuleType:
    """Return the drawing code (:mod:`flowmap.render._picture`), imported on the first
    image: matplotlib is the ``[image]`` extra, and the rest of the package (the command
    line, HTML maps) starts without it.

    Raises
    ------
    MissingExtraError
        Without matplotlib, naming the extra to install.
    """
    try:
        from flowmap.render import _picture  # lazy on purpose: the [image] extra
    except ModuleNotFoundError as exc:  # PNG, SVG and PDF need the [image] extra
        if (exc.name or "").partition(".")[0] == "flowmap":
            raise
        raise MissingExtraError(msg("error.extra.image"), "image", "matplotlib") from exc
    return _picture


def prepare() -> None:
    """Import the drawing code and load what every image needs before its spec is known
    (the fonts, the offline basemap's paths): what a drawing process does while the
    command line reads the data (:mod:`flowmap.cli.painter`).

    Raises
    ------
    MissingExtraError
        Without matplotlib (the ``[image]`` extra), naming the extra to install.
    """
    _drawing().warm()


def render_image(
    spec: FlowSpec | Mapping[str, Any],
    path: str | Path,
    *,
    format: str | None = None,
    size: str = "1920x1080",
) -> Path:
    """Draw the map of ``spec`` to ``path`` as PNG, SVG or PDF; return the path.

    ``spec`` is a map's :class:`~flowmap.render.spec.FlowSpec` (:func:`map_spec` gives its
    JSON) or that JSON, as a page carries it. ``format`` defaults to the file's suffix;
    ``size`` is one of :data:`SIZES`. The file is written atomically.

    Raises
    ------
    FlowmapError
        For an unknown format or size, a spec of another version, or a file that cannot
        be written.
    MissingExtraError
        Without matplotlib (the ``[image]`` extra), naming the extra to install.
    """
    path = Path(path)
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise FlowmapError(f"image format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    page = SIZES.get(size.strip().lower().replace("×", "x"))
    if page is None:
        raise FlowmapError(f"image size must be one of {', '.join(SIZES)}, got {size!r}")
    drawing = _drawing()
    if isinstance(spec, FlowSpec):  # clean already (flowmap.render.layer.build_spec)
        spec = spec.wire()
    else:  # any other JSON goes through the same guard, so no control character reaches
        # the SVG's XML or the PDF's text
        version = spec.get("version", SPEC_VERSION)
        if version != SPEC_VERSION:
            raise FlowmapError(f"this map spec is of version {version!r}; drawn: {SPEC_VERSION}")
        spec = visible_spec(dict(spec), str(spec.get("locale", "en")).partition("-")[0])
    check_target(path)  # a missing folder is said before the second or so of drawing
    return write_bytes(path, drawing.draw_bytes(spec, fmt, page))


__all__ = ["FORMATS", "SIZES", "ImageSize", "prepare", "render_image"]
