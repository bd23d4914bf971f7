"""Places of a table by id: their names in each language and the members of an aggregate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowmap.core import lazy
from flowmap.core.errors import FlowmapError
from flowmap.core.langs import LANGS
from flowmap.text.i18n import msg

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy.module("pandas")  # imported on first use (flowmap.core.lazy)


def place_name(places: pd.DataFrame, place_id: str, lang: str = "en") -> str:
    """Return the name of ``place_id`` in ``lang`` (``en``, ``ky`` or ``ru``)."""
    if lang not in LANGS:
        raise FlowmapError(msg("data.bad_lang", options=", ".join(LANGS), value=repr(lang)))
    return str(places.at[place_id, f"name_{lang}"])


def sentence_name(places: pd.DataFrame, place_id: str, lang: str = "en") -> str:
    """Return the name of ``place_id`` as it stands inside a sentence.

    A group of places is named with common nouns («Остальные области», «Зарубежье», «Калган
    облустар»), which take a small letter inside a sentence («… и остальные области»); a
    group named after a place keeps its capital («Кыргызстандын башка облустары»), as
    every other place's name does.
    """
    name = place_name(places, place_id, lang)
    if places.at[place_id, "kind"] != "aggregate":
        return name
    column = f"name_{lang}"
    proper = (str(other) for other in places[column] if str(other) and str(other) != name)
    if any(name.startswith(other) for other in proper):
        return name
    return name[:1].lower() + name[1:]


def members(places: pd.DataFrame, aggregate: str) -> list[str]:
    """Return the ids of the non-aggregate places that belong, at any depth, to ``aggregate``."""
    children: dict[str, list[str]] = {}
    for pid, parent in places["parent"].items():
        children.setdefault(str(parent), []).append(str(pid))
    found: list[str] = []
    stack = list(children.get(aggregate, []))
    while stack:
        pid = stack.pop(0)
        if places.at[pid, "kind"] == "aggregate":
            stack.extend(children.get(pid, []))
        else:
            found.append(pid)
    return found
