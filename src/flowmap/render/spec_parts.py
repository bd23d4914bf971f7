"""The optional parts of a page spec (:mod:`flowmap.render.spec`): the clusters of a map of
many places and the two periods of a map of change. Each is None on a spec without it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Change:
    """A map of the change between two periods: each flow's figure in the first
    (``before``) and the second (``after``) period, ``None`` where the table has no row
    for the pair in that period (then no change is computed)."""

    first: str
    second: str
    before: tuple[int | None, ...]
    after: tuple[int | None, ...]

    def wire(self) -> dict[str, Any]:
        """Return the JSON of the change (``from``, ``to``, ``before``, ``after``)."""
        return {
            "from": self.first,
            "to": self.second,
            "before": list(self.before),
            "after": list(self.after),
        }


@dataclass(frozen=True)
class Clusters:
    """Places clustered by zoom (:mod:`flowmap.engine.cluster`): the tree, the cut and the
    limit on the flows between clusters, with the words the page says of them."""

    merges: tuple[tuple[int, int, float], ...]
    px: float
    top: int
    """The largest flows between clusters drawn at each zoom (0: every flow)."""
    text: Mapping[str, Any] = field(default_factory=dict)

    def wire(self) -> dict[str, Any]:
        """Return the JSON of the clusters (``merges``, ``px``, ``top``, ``text``)."""
        return {
            "merges": [list(m) for m in self.merges],
            "px": self.px,
            "top": self.top,
            "text": dict(self.text),
        }


__all__ = ["Change", "Clusters"]
