"""How a Batken map is drawn: :class:`MapOptions` (language, overlays, basemap, wording)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flowmap.io.tables import check_choice
from flowmap.render.layer import PALETTES, Palette
from flowmap.render.theme import THEMES, Theme


@dataclass(frozen=True)
class MapOptions:
    """How to draw: language, overlays, basemap and wording."""

    lang: str = "en"
    border_overlay: bool = True
    online_tiles: bool = False
    height: str = "100%"
    notes: tuple[str, ...] = field(default_factory=tuple)
    title: str | None = None
    """The map's title; the data set's own title when None."""
    subtitle: str | None = None
    """The line under the title; what is shown (direction, period, group) when None."""
    alerts: bool = True
    """Say under the title which chosen destinations the view leaves out. False only where
    the page around the map says it already (the app, above the map): the map's notes
    still say it."""
    palette: Palette = "default"
    """The colours of flows, legend and border overlay: a key of
    :data:`flowmap.render.layer.PALETTES` (``default`` or ``colourblind``)."""
    theme: Theme = "light"
    """The look: ``light`` or ``dark`` (:mod:`flowmap.render.theme`)."""

    def __post_init__(self) -> None:
        # The one check of the palette on a Batken map's path (a FlowmapError naming it).
        check_choice("palette", self.palette, PALETTES)
        check_choice("theme", self.theme, THEMES)
