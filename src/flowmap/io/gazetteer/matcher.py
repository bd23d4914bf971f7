"""Looking one text up in the gazetteer (:func:`lookup`: codes, then names, then alternate
names, the first step that finds something deciding), and the level of a table of texts
(:func:`table_level`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from flowmap.core.errors import FlowmapError
from flowmap.io.gazetteer.entries import SAME_POINT_KM, Lookup, Place, distance_km, one_per_point
from flowmap.io.gazetteer.keys import _LEVEL_KINDS, KINDS, LEVELS, kind_words, level_of, normalise
from flowmap.io.gazetteer.table import _Index, _index
from flowmap.text.i18n import msg

LEVEL_SHARE = 2 / 3
"""A table has a level when at least this share of its names found at all is found at
that level; a mixed table (countries, an oblast, a city) has none and each name is looked
up alone."""


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def _kinds(kind: str | Iterable[str] | None) -> frozenset[str]:
    if kind is None:
        return frozenset(KINDS)
    chosen = [kind] if isinstance(kind, str) else list(kind)
    for k in chosen:
        if not isinstance(k, str) or k not in KINDS:
            shown = repr(k)[:40]
            raise FlowmapError(
                msg("user.choice", name="kind", options=", ".join(KINDS), value=shown)
            )
    return frozenset(chosen)


def _country(country: str | None) -> str | None:
    if country is None:
        return None
    code = _index().countries.get(str(country).strip().upper())
    if code is None:
        raise FlowmapError(msg("user.gaz.bad_country", value=repr(str(country)[:40])))
    return code


def _order(index: _Index, found: Iterable[int]) -> tuple[Place, ...]:
    rank = {k: i for i, k in enumerate(KINDS)}
    chosen = [index.places[i] for i in set(found)]
    return tuple(
        sorted(chosen, key=lambda p: (rank[p.kind], -(p.population or 0), p.country, p.id))
    )


@lru_cache(maxsize=2**16)
def _lookup(query: str, kinds: frozenset[str], country: str | None) -> Lookup:
    index = _index()

    def allowed(i: int) -> bool:
        place = index.places[i]
        if place.kind not in kinds:
            return False
        return country is None or place.kind == "country" or place.country == country

    text = query.strip()
    # A code is written in capitals or in lower case: "Bo" is the town, "BO" Bolivia.
    code = index.codes.get(text.upper()) if text in (text.upper(), text.lower()) else None
    if code is not None and allowed(code):
        return Lookup(query, (index.places[code],), "code")
    key = normalise(query)
    if not key:
        return Lookup(query, ())
    stripped = kind_words(key)
    for how, tables in (
        ("name", (index.names,)),
        ("name", (index.bare,)),
        ("alternate name", (index.alternates,)),
    ):
        found = {i for table in tables for i in table.get(key, ()) if allowed(i)}
        # "Almaty Region" is the region of that name, not also Almaty (a region too).
        for base, kind in [] if found else stripped:
            found.update(
                i
                for table in tables
                for i in table.get(base, ())
                if level_of(index.places[i].kind) == level_of(kind) and allowed(i)
            )
        if found and how == "name":
            # A city whose Cyrillic name is only an alternate name ("Москва") at the point
            # of a division of that name is that one place: the city.
            found.update(_same_point_alternates(index, found, key, allowed))
        if found:
            return Lookup(query, one_per_point(_order(index, found)), how)
    return Lookup(query, ())


def _same_point_alternates(
    index: _Index, found: set[int], key: str, allowed: Callable[[int], bool]
) -> set[int]:
    near: set[int] = set()
    for i in index.alternates.get(key, ()):
        place = index.places[i]
        if allowed(i) and any(
            index.places[j].country == place.country
            and distance_km(index.places[j], place) <= SAME_POINT_KM
            for j in found
        ):
            near.add(i)
    return near


def _at_level(query: str, kinds: frozenset[str], country: str | None, level: str) -> Lookup:
    narrowed = kinds & _LEVEL_KINDS[level]
    if not narrowed:
        return Lookup(query, ())
    return _lookup(query, narrowed, country)


def lookup(
    name: object, *, kind: str | Iterable[str] | None = None, country: str | None = None
) -> Lookup:
    """Return the candidates of one name or code (see the module's matching rules)."""
    return _lookup(_text(name), _kinds(kind), _country(country))


def table_level(
    names: Iterable[object],
    *,
    kind: str | Iterable[str] | None = None,
    country: str | None = None,
) -> str | None:
    """Return the level of a table's places: the level (``country``, ``region``,
    ``district``, ``city``) at which most of its names have a candidate (the larger level
    on a tie), when that is at least :data:`LEVEL_SHARE` of the names found at all; None
    for a mixed table or when no name is found. A table of the US states is a table of
    regions although "New York", "Washington" and "Georgia" are also cities or a
    country."""
    return _table_level([_text(n) for n in names], _kinds(kind), _country(country))


def _table_level(queries: Sequence[str], kinds: frozenset[str], country: str | None) -> str | None:
    counts = Counter[str]()
    found = 0
    for query in dict.fromkeys(queries):
        levels = [lv for lv in LEVELS if _at_level(query, kinds, country, lv).candidates]
        counts.update(levels)
        found += bool(levels)
    if not counts:
        return None
    level = max(LEVELS, key=lambda level: (counts[level], -LEVELS.index(level)))
    return level if counts[level] >= LEVEL_SHARE * found else None


__all__ = ["LEVEL_SHARE", "lookup", "table_level"]
