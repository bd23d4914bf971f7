"""An offline gazetteer: coordinates for places given by name or code, without a network.

The table ``gazetteer.csv`` next to this module is built by ``geo/build_gazetteer.py`` (see
``geo/SOURCES.md``) and holds:

* countries: ISO 3166-1 alpha-2 id and alpha-3 code, English, Russian and Kyrgyz names
  (Unicode CLDR through Babel, GeoNames, ``data/places.csv``); the point is the capital, or
  the project's anchor city where ``data/places.csv`` has one (Kazakhstan at Almaty,
  Turkey at Istanbul, the USA at New York);
* first-level divisions of every other country (``region``: ISO 3166-2 ids such as
  ``US-VA``, ``DE-BY``, ``RU-SVE``; names from the countries-states-cities database and
  ISO 3166-2 with Russian and Kyrgyz translations, through pycountry);
* the oblasts of Kyrgyzstan (ISO 3166-2 ids such as ``KG-B``) and the cities of Bishkek
  (``KG-GB``) and Osh (``KG-GO``), with names in the three languages;
* the districts of Kyrgyzstan (geoBoundaries ADM2; ids such as ``batken-district``);
* cities: every GeoNames place of 100,000 people or more, every Kyrgyz place of 500 or more
  and every capital (GeoNames ids), with GeoNames' alternate names in Latin and Cyrillic
  (for a Kyrgyz town they count as its own names: GeoNames calls Jalal-Abad "Manas").

Matching (:func:`locate`) never guesses silently. Each text is compared case- and
accent-insensitively (:func:`normalise`: ``ё`` = ``е``, ``ө`` = ``о``, ``ü`` = ``u``,
hyphens and dots are spaces, apostrophes vanish), in this order, the first step that finds
something deciding:

1. **Codes**: a country's ISO alpha-2 or alpha-3 code, an oblast's ISO 3166-2 code
   (``KG``, ``KGZ``, ``KG-B``, ``kg``), written in capitals or in lower case. A code beats
   any name (``"BO"`` is Bolivia, ``"Bo"`` the town in Sierra Leone).
2. **Names**: a place's own names in English, Russian or Kyrgyz. A kind word narrows the
   search to that kind: ``"Osh oblast"``, ``"Ошская область"``, ``"Ош облусу"`` (oblast),
   ``"г. Ош"``, ``"Osh city"``, ``"Ош шаары"`` (city), ``"Batken district"``,
   ``"Баткен району"`` (district). A place is found by its bare name too (``"Chüy"``,
   ``"Бишкек"``), so ``"Osh"`` alone, the name of a city and of an oblast, is ambiguous.
   (A GeoNames name keeps its "City": ``"Mexico City"`` is not ``"Mexico"``.)
3. **Alternate names** from GeoNames (historical, foreign and transliterated forms such as
   ``"Frunze"`` or ``"Alma-Ata"``, never of fewer than three letters); a place's own name
   wins over another place's alternate name (``"Mexico"`` is not Mexico City).

Candidates of one country within :data:`SAME_POINT_KM` are one place (Singapore the
country and the city: the country; Moscow the federal city and the city: the city).

A list of names is a **table** and is resolved as a whole (:func:`locate`,
:func:`fill_places`): its level (:func:`table_level`: countries, first-level divisions,
districts or cities) is the one most of its names are found at, and each name is looked up
at that level ("Georgia" among US states is the state, among countries the country). A name
found only at another level and in none of the table's countries, or a division far from
the table's main country, is **doubtful** (:class:`Doubt`) and not placed; a country beside
divisions is not doubtful. A bare name of places of several levels is doubtful too in a
table that names places of those levels explicitly ("Ош" beside "Ошская область" and
"город Ош"). Among divisions of one main country, an ambiguous name with one candidate in
that country takes it ("Florida" among US states).

A text that matches several places is listed as ambiguous with its candidates; ``kind=``
(``"country"``, ``"region"``, ``"oblast"``, ``"district"``, ``"city"``) and ``country=`` (an
ISO code: only places inside that country, countries themselves are always found) narrow
the search.
GeoNames ids are not matched as codes: numeric ids in a user's table are the user's own.
:func:`fill_places` fills the missing coordinates of a places table and reports what it
filled, what is ambiguous and what is unknown.
"""

from __future__ import annotations

from flowmap.io.gazetteer.entries import (
    SAME_POINT_KM,
    SHOWN_CANDIDATES,
    Doubt,
    Located,
    Lookup,
    Match,
    Place,
    distance_km,
    one_per_point,
)
from flowmap.io.gazetteer.fill import (
    FillReport,
    fill_places,
)
from flowmap.io.gazetteer.keys import (
    KINDS,
    LEVELS,
    kind_words,
    level_of,
    normalise,
)
from flowmap.io.gazetteer.matcher import (
    LEVEL_SHARE,
    lookup,
    table_level,
)
from flowmap.io.gazetteer.resolve import (
    FAR_KM,
    locate,
)
from flowmap.io.gazetteer.table import (
    COLUMNS,
    MIN_ALTERNATE,
    TABLE,
    places,
)

__all__ = [
    "COLUMNS",
    "FAR_KM",
    "KINDS",
    "LEVELS",
    "LEVEL_SHARE",
    "MIN_ALTERNATE",
    "SAME_POINT_KM",
    "SHOWN_CANDIDATES",
    "TABLE",
    "Doubt",
    "FillReport",
    "Located",
    "Lookup",
    "Match",
    "Place",
    "distance_km",
    "fill_places",
    "kind_words",
    "level_of",
    "locate",
    "lookup",
    "normalise",
    "one_per_point",
    "places",
    "table_level",
]
