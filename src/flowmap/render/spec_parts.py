"""The optional parts of a page spec (:mod:`flowmap.render.spec`): the clusters of a map of
many places and the two periods of a map of change (each is None on a spec without it), and
:func:`visible`, which makes every text of a spec or any part of one visible."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any, TypeVar

from flowmap.core._escape import visible_tree


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


T = TypeVar("T")


def visible(value: T) -> tuple[T, bool]:
    """Return a spec (or any part of one) with every text through
    :func:`~flowmap.core._escape.visible_text`, and whether anything changed (an unchanged
    value is returned itself)."""
    if is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {}
        for f in fields(value):
            old = getattr(value, f.name)
            new, changed = visible(old)
            if changed:
                changes[f.name] = new
        return (replace(value, **changes), True) if changes else (value, False)
    if isinstance(value, tuple) and _holds_dataclass(value):
        items = [visible(item) for item in value]
        if not any(changed for _, changed in items):
            return value, False
        return tuple(item for item, _ in items), True  # type: ignore[return-value]
    if isinstance(value, Mapping) and not isinstance(value, dict):
        value = dict(value)  # type: ignore[assignment]
    cleaned, changed = visible_tree(value)
    return cleaned, changed  # type: ignore[return-value]


def _holds_dataclass(items: tuple[object, ...]) -> bool:
    """Whether a tuple holds a dataclass instance: asked of the types it holds, once each
    (a spec's tuples of 40,000 counts hold one type)."""
    kinds = set(map(type, items))
    if type in kinds:  # classes among the items: ask each item, as is_dataclass does
        return any(is_dataclass(item) for item in items)
    return any(is_dataclass(kind) for kind in kinds)


__all__ = ["Change", "Clusters", "visible"]
