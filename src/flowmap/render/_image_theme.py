"""The dark look of a map image (:mod:`flowmap.render._picture`): a pass over a drawn
figure that turns the page's light ink dark, as ``flowmap.css``'s ``.fm-dark`` does.

The flows, the layers and the place circles already carry the dark look's colours (the
spec's, :mod:`flowmap.render.theme`); this pass turns the rest: the boxes' white faces
dark, the labels' white halos near-black, dark text light (its hue kept) and the grey
swatches and scale bar light. Imported with matplotlib, only when an image is drawn.
"""

from __future__ import annotations

from matplotlib import colors as mcolors
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Patch
from matplotlib.text import Text

from flowmap.render.theme import SHADES, from_oklab, oklab

_DARK = SHADES["dark"]


def light_ink(colour: str) -> str:
    """Return a text or line colour of the light look as the dark look writes it: its
    OKLab lightness mirrored (dark text light, between 0.75 and 0.95), its hue kept, never
    darker than it was.

    >>> light_ink("#222222")
    '#e9e9e9'
    """
    lightness, a, b = oklab(colour)
    wanted = min(0.95, max(0.75, 1.18 - lightness))
    if lightness >= wanted:
        return colour
    k = min(1.6, wanted / lightness) if lightness > 1e-6 else 1.0
    return from_oklab((wanted, a * k, b * k))


def _hex(value: object) -> tuple[str, float]:
    rgba = mcolors.to_rgba(value)  # type: ignore[arg-type]
    return mcolors.to_hex(rgba[:3]), rgba[3]


def _dark_box(patch: Patch) -> None:
    """A white box's face dark (its opacity kept), its edge a dim grey."""
    face, alpha = _hex(patch.get_facecolor())
    if face == "#ffffff":
        patch.set_facecolor((*mcolors.to_rgb(_DARK["box"]), alpha))
        patch.set_edgecolor((0.45, 0.45, 0.45, 0.8))


def darken(fig: Figure) -> None:
    """Turn the light ink of a drawn map image dark (see the module doc)."""
    halo = _DARK["halo"]
    for text in fig.findobj(Text):
        assert isinstance(text, Text)
        colour, alpha = _hex(text.get_color())
        effects = text.get_path_effects()
        if effects and colour == "#ffffff":  # a label's halo: near-black, as the page's
            width = getattr(effects[0], "_gc", {}).get("linewidth", 2.0)
            text.set_color(halo)
            text.set_path_effects([patheffects.Stroke(linewidth=width, foreground=halo)])
        else:
            text.set_color((*mcolors.to_rgb(light_ink(colour)), alpha))
        box = text.get_bbox_patch()
        if box is not None:
            _dark_box(box)
    for patch in fig.findobj(FancyBboxPatch):
        assert isinstance(patch, FancyBboxPatch)
        _dark_box(patch)
    for ax in fig.axes:  # the title, legend and source boxes (anchored, not children)
        for artist in ax.artists:
            face = getattr(artist, "patch", None)
            if isinstance(face, Patch):
                _dark_box(face)
    for line in fig.findobj(Line2D):
        assert isinstance(line, Line2D)
        colour, alpha = _hex(line.get_color())
        _lightness, a, b = oklab(colour)
        if a * a + b * b < 0.03**2:  # a grey swatch or the scale bar: light
            line.set_color((*mcolors.to_rgb(light_ink(colour)), alpha))


__all__ = ["darken", "light_ink"]
