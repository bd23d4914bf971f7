"""The names of Batken's districts and cities (rayons): the spellings a boundary file may
use in English, Kyrgyz or Russian, and each unit's name as readers write it.

Kept apart from :mod:`flowmap.batken.districts` (which reads boundary files with
geopandas), so that the map's layers name units without importing geopandas.
"""

from __future__ import annotations

import re
import unicodedata

from flowmap.core._escape import printable
from flowmap.core.errors import FlowmapError
from flowmap.text.i18n import msg, t

# Canonical English name -> names in the three languages (and common spellings).
KNOWN_UNITS: dict[str, tuple[str, ...]] = {
    "Batken district": ("Batken", "Баткен", "Batkenskiy", "Баткенский"),
    "Leilek district": ("Leilek", "Leylek", "Lailak", "Лейлек", "Лейлекский"),
    "Kadamjay district": ("Kadamjay", "Kadamzhay", "Kadamdzhai", "Кадамжай", "Кадамжайский"),
    "Kyzyl-Kiya city": ("Kyzyl-Kiya", "Kyzyl-Kyya", "Кызыл-Кыя", "Кызыл-Кия"),
    "Sulukta city": ("Sulukta", "Suluktu", "Сүлүктү", "Сулюкта"),
}
UNIT_KEYS: dict[str, str] = {
    "Batken district": "app.unit.batken",
    "Leilek district": "app.unit.leilek",
    "Kadamjay district": "app.unit.kadamjay",
    "Kyzyl-Kiya city": "app.unit.kyzyl_kiya",
    "Sulukta city": "app.unit.sulukta",
}
"""The catalogue key of each unit's name (:data:`KNOWN_UNITS`), for :func:`unit_name`."""
_DROP_WORDS = r"\b(district|rayon|raion|region|району|район|районы|city|шаары|город|г)\b"


def normalise(name: str) -> str:
    """Return a name folded for matching: no accents, case, 'district' words or punctuation."""
    text = re.sub(_DROP_WORDS, " ", name.casefold())
    text = re.sub(r"(ский|skiy|skii|sky)\b", "", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", text)


_LOOKUP = {normalise(alias): unit for unit, names in KNOWN_UNITS.items() for alias in names}


def match_unit(name: str) -> str:
    """Return the canonical name of the Batken unit called ``name``, or ``""``."""
    return _LOOKUP.get(normalise(name), "")


def unit_name(unit: str, lang: str = "en") -> str:
    """Return a matched unit's name (a key of :data:`KNOWN_UNITS`, as in the ``matched``
    column) as readers of ``lang`` write it (``Лейлекский район``); ``""`` stays ``""``.

    Raises
    ------
    FlowmapError
        If ``unit`` is not a known unit or ``lang`` is not a language of the catalogue.
    """
    if not unit:
        return ""
    if unit not in UNIT_KEYS:
        raise FlowmapError(msg("app.unit.unknown", unit=printable(unit, 60)))
    return t(UNIT_KEYS[unit], lang)


__all__ = ["KNOWN_UNITS", "UNIT_KEYS", "match_unit", "normalise", "unit_name"]
