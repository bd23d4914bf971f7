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

import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

import numpy as np
import pandas as pd

from flowmap.core.errors import DataValidationError, FlowmapError
from flowmap.io.tables import Problems, _join, _quoted, check_choice
from flowmap.text.i18n import Count, Message, Texts, msg
from flowmap.text.numbers import decimal

TABLE = "gazetteer.csv"
KINDS = ("country", "region", "oblast", "district", "city")
"""Kinds of places in the gazetteer, the larger first (the order candidates are listed in):
``region`` is a first-level division of any country (a US state, a German Land, a Russian
federal subject), ``oblast`` one of Kyrgyzstan's."""
LEVELS = ("country", "region", "district", "city")
"""Levels of a table (:func:`table_level`): countries, first-level divisions (``region``
and ``oblast``), districts, cities."""
_LEVEL = {"country": "country", "region": "region", "oblast": "region"}
LEVEL_SHARE = 2 / 3
"""A table has a level when at least this share of its names found at all is found at
that level; a mixed table (countries, an oblast, a city) has none and each name is looked
up alone."""
SAME_POINT_KM = 5.0
"""Candidates of one country this close (km) are one place (Singapore the country and the
city; Luxembourg, Monaco)."""
FAR_KM = 1500.0
"""A place in another country than the rest of a table and farther than this (km) from
all of them is doubtful ("Virginia" in South Africa among US states)."""
MIN_ALTERNATE = 3
"""Alternate names of fewer letters are never matched ("PA" is not Chongqing)."""
COLUMNS = (
    "id",
    "kind",
    "country",
    "iso3",
    "name",
    "name_ru",
    "name_ky",
    "names",
    "alternates",
    "lat",
    "lon",
    "population",
    "geonameid",
    "anchor",
)
"""Columns of ``gazetteer.csv``; ``names`` and ``alternates`` are ``|``-separated lists."""
SHOWN_CANDIDATES = 5
"""How many candidates of an ambiguous name are named in a report line."""

# Letters that Unicode does not decompose into a base letter and a mark.
_FOLD = str.maketrans(
    {
        "ө": "о",
        "ү": "у",
        "ң": "н",
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "'": None,
        "’": None,
        "‘": None,
        "ʼ": None,
        "ʻ": None,
        "ʹ": None,
        "`": None,
        "´": None,
    }
)
_WORD = re.compile(r"[^\W_]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}

# Kind words, normalised: (kind, words before the name, words after the name).
_KIND_WORDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "city",
        ("г", "гор", "город", "g", "gorod", "city of", "the city of"),
        ("city", "шаары", "шаар", "shaary", "shaar"),
    ),
    (
        "oblast",
        (),
        (
            "oblast",
            "oblasty",
            "oblusu",
            "oblysy",
            "state",
            "krai",
            "kray",
            "край",
            "region",
            "province",
            "область",
            "обл",
            "облусу",
            "облысы",
        ),
    ),
    (
        "district",
        (),
        ("district", "rayon", "raion", "rajon", "район", "рн", "району", "rayonu"),
    ),
)


def level_of(kind: str) -> str:
    """Return the level of a kind of place: ``oblast`` and ``region`` are ``region``."""
    return _LEVEL.get(kind, kind)


def distance_km(a: Place, b: Place) -> float:
    """Return the great-circle distance between two places in km."""
    lat1, lon1, lat2, lon2 = map(np.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return float(2 * 6371.0 * np.arcsin(np.sqrt(min(1.0, h))))


def one_per_point(candidates: tuple[Place, ...]) -> tuple[Place, ...]:
    """Return candidates without those of the same country within :data:`SAME_POINT_KM` of
    an earlier (larger) one of another kind, or of a city near another record of a city:
    Singapore the country and Singapore the city are one place (the country), Moscow the
    federal city and Moscow the city too (the city). Two divisions are never merged (a
    database may put an oblast's point on its capital, a division of its own)."""
    kept: list[Place] = []
    for place in candidates:
        same = [
            i
            for i, k in enumerate(kept)
            if k.country == place.country
            and (k.kind != place.kind or k.kind == "city")
            and distance_km(k, place) <= SAME_POINT_KM
        ]
        if not same:
            kept.append(place)
        elif kept[same[0]].kind in ("region", "oblast", "district") and place.kind == "city":
            kept[same[0]] = place  # a division at its city's point is the city (Moscow)
    return tuple(kept)


_PREFIXES = {w: kind for kind, prefixes, _ in _KIND_WORDS for w in prefixes}
_SUFFIXES = {w: kind for kind, _, suffixes in _KIND_WORDS for w in suffixes}


def normalise(text: str) -> str:
    """Return the matching key of a name: case-folded, accents and apostrophes removed,
    ``ё``/``е``, ``ө``/``о``, ``ү``/``у`` and ``ң``/``н`` folded, every run of other
    characters (spaces, hyphens, dots, commas…) one space, the words ``St``, ``Ste``,
    ``Mt``, ``Ft`` written out (``Saint``…) and initials joined (``U.S.A.`` is ``usa``).

    >>> normalise("  Kyzyl-Kiya ") == normalise("KYZYL KIYA")
    True
    >>> normalise("Пүлгөн") == normalise("Пулгон")
    True
    """
    folded = str(text).casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    words = [_ABBREVIATIONS.get(w, w) for w in _WORD.findall(folded.translate(_FOLD))]
    if len(words) > 1 and sum(len(w) == 1 for w in words) > 1:
        words = _join_initials(words)
    return " ".join(words)


def _join_initials(words: list[str]) -> list[str]:
    """Join runs of two or more one-letter words: "U.S.A." is "usa"."""
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1:
            run.append(word)
            continue
        if len(run) > 1:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if word:
            out.append(word)
    return out


def kind_words(key: str) -> list[tuple[str, str]]:
    """Return ``(bare name, kind)`` for each kind word that starts or ends ``key`` (a key
    from :func:`normalise`), e.g. ``[("ош", "city")]`` for ``"г ош"``."""
    words = key.split(" ")
    if len(words) < 2:
        return []
    out: list[tuple[str, str]] = []
    for n in range(1, min(3, len(words) - 1) + 1):
        kind = _PREFIXES.get(" ".join(words[:n]))
        if kind is not None:
            out.append((" ".join(words[n:]), kind))
        kind = _SUFFIXES.get(" ".join(words[-n:]))
        if kind is not None:
            out.append((" ".join(words[:-n]), kind))
    return out


@dataclass(frozen=True)
class Place:
    """One place of the gazetteer."""

    id: str
    kind: str
    country: str
    iso3: str
    name: str
    name_ru: str
    name_ky: str
    lat: float
    lon: float
    population: int | None
    geonameid: int | None

    def describe(self) -> Message:
        """Return e.g. ``"Osh (city KG-GO, KG, 40.5283, 72.7985)"`` (a
        :class:`~flowmap.text.i18n.Message`: in Russian
        «Ош (город KG-GO, KG; 40,5283; 72,7985)»)."""
        values = {
            "name": self.label(),
            "kind": msg(f"user.gaz.kind.{self.kind}"),
            "id": self.id,
            "lat": _coordinate(self.lat),
            "lon": _coordinate(self.lon),
        }
        if self.kind == "country":
            return msg("user.gaz.place", **values)
        return msg("user.gaz.place_in", country=self.country, **values)

    def label(self) -> Message:
        """Return the place's name, in each language where the gazetteer has one."""
        return Texts({"en": self.name, "ky": self.name_ky, "ru": self.name_ru})


@dataclass(frozen=True)
class Match:
    """A text found in the gazetteer: the place and how it was found (``"code"``,
    ``"name"`` or ``"alternate name"``)."""

    query: str
    place: Place
    how: str

    def describe(self) -> Message:
        """Return e.g. ``"'RU' -> Russia (country RU, 55.7520, 37.6178) by code"``."""
        return msg(
            "user.gaz.match",
            query=repr(self.query),
            place=self.place.describe(),
            how=_how(self.how),
        )


@dataclass(frozen=True)
class Lookup:
    """What one text gives: no candidate (unknown), one (found) or several (ambiguous)."""

    query: str
    candidates: tuple[Place, ...]
    how: str = ""

    @property
    def match(self) -> Match | None:
        """The match when there is exactly one candidate, else None."""
        if len(self.candidates) == 1:
            return Match(self.query, self.candidates[0], self.how)
        return None


def _coordinate(value: float) -> Message:
    """Return a latitude or longitude with four decimals, as each language writes it."""
    return Texts(
        {"en": f"{value:.4f}", "ky": decimal(value, "ky", 4), "ru": decimal(value, "ru", 4)}
    )


def _how(how: str) -> str:
    """Return how a text was found (``code``, ``name``, ``alternate name``) as words."""
    keys = {"code": "code", "name": "name", "alternate name": "alternate"}
    return msg(f"user.gaz.how.{keys[how]}") if how in keys else how


def _candidates_text(candidates: tuple[Place, ...]) -> str:
    shown = _join([p.describe() for p in candidates[:SHOWN_CANDIDATES]], ";")
    more = len(candidates) - SHOWN_CANDIDATES
    if more > 0:
        return msg("user.and_more_semicolon", items=shown, count=Count(more), n=more)
    return shown


@dataclass(frozen=True)
class Doubt:
    """A text that names one place, but not one a table of its kind means: the place is
    at another level than the table's (``reason`` ``"level"``: "Kutaisi" in a table of US
    states) or in another country than the table's, far from it (``"country"``); or a bare
    text of places of several kinds in a table that names those kinds explicitly
    (``"kinds"``: "Ош" beside "Ошская область" and "город Ош"). Doubtful places are not
    drawn."""

    place: Place
    reason: str
    level: str
    country: str = ""
    candidates: tuple[Place, ...] = ()
    """For ``reason`` ``"kinds"``: the places of several kinds the bare text names."""
    named: tuple[str, ...] = ()
    """For ``reason`` ``"kinds"``: texts of the table naming those kinds explicitly."""

    def describe(self, query: str) -> Message:
        """Return e.g. "'Kutaisi' is only a city here, Kutaisi (city …), while the table's
        places are first-level divisions …: doubtful, not drawn; …"."""
        values = {
            "query": query,
            "place": self.place.describe(),
            "kind": msg(f"user.gaz.kind.{self.place.kind}"),
            "level": msg(f"user.gaz.level.{self.level}") if self.level else "—",
            "country": self.country,
            "candidates": _candidates_text(self.candidates),
            "named": _quoted(self.named),
            "hint": msg("user.gaz.hint"),
        }
        return msg(f"user.gaz.doubtful_{self.reason}", **values)


@dataclass(frozen=True)
class Located:
    """The result of :func:`locate`: texts found (with their place), ambiguous texts (with
    their candidates) and unknown texts, each in the order first given."""

    found: Mapping[str, Match]
    ambiguous: Mapping[str, tuple[Place, ...]]
    unknown: tuple[str, ...]
    doubtful: Mapping[str, Doubt] = field(default_factory=dict)
    """Texts found only at another level than the table's, or in a far country (not
    found: see :class:`Doubt`)."""
    level: str | None = None
    """The table's level (:func:`table_level`), None for a mixed or empty table."""

    @property
    def complete(self) -> bool:
        """True when every text was found."""
        return not self.ambiguous and not self.unknown and not self.doubtful

    def coordinates(self) -> dict[str, tuple[float, float]]:
        """Return ``{text: (lat, lon)}`` of every text found."""
        return {q: (m.place.lat, m.place.lon) for q, m in self.found.items()}

    def problems(self, source: str = "places") -> Problems:
        """Return the ambiguous and unknown texts as :class:`~flowmap.io.tables.Problems`."""
        problems = Problems(source)
        for query, candidates in self.ambiguous.items():
            problems.add(
                "ambiguous",
                msg(
                    "user.gaz.ambiguous",
                    query=repr(query),
                    count=Count(len(candidates)),
                    n=len(candidates),
                    candidates=_candidates_text(candidates),
                    hint=msg("user.gaz.hint"),
                ),
            )
        for query in self.unknown:
            problems.add("unknown", msg("user.gaz.unknown", query=repr(query)))
        for query, doubt in self.doubtful.items():
            problems.add("doubtful", doubt.describe(repr(query)))
        return problems

    def lines(self) -> list[str]:
        """Return one line per ambiguous or unknown text (thousands summarised)."""
        return self.problems().lines()


@dataclass(frozen=True)
class _Index:
    places: tuple[Place, ...]
    codes: Mapping[str, int]
    names: Mapping[str, tuple[int, ...]]
    bare: Mapping[str, tuple[int, ...]]
    alternates: Mapping[str, tuple[int, ...]]
    countries: Mapping[str, str] = field(default_factory=dict)  # ISO2/ISO3 -> ISO2


def _number(text: str) -> int | None:
    return int(text) if text else None


def _parse(text: str, source: str) -> _Index:
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise FlowmapError(msg("user.gaz.bad_table", source=source, columns=str(reader.fieldnames)))
    places: list[Place] = []
    codes: dict[str, int] = {}
    names: dict[str, list[int]] = {}
    bare: dict[str, list[int]] = {}
    alternates: dict[str, list[int]] = {}
    countries: dict[str, str] = {}

    def add(index: dict[str, list[int]], key: str, i: int) -> None:
        if key:
            bucket = index.setdefault(key, [])
            if not bucket or bucket[-1] != i:
                bucket.append(i)

    for i, row in enumerate(reader):
        place = Place(
            id=row["id"],
            kind=row["kind"],
            country=row["country"],
            iso3=row["iso3"],
            name=row["name"],
            name_ru=row["name_ru"],
            name_ky=row["name_ky"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            population=_number(row["population"]),
            geonameid=_number(row["geonameid"] or (row["id"] if row["id"].isdigit() else "")),
        )
        places.append(place)
        if place.kind in ("country", "region", "oblast") or (
            place.kind == "city" and "-" in place.id
        ):
            codes[place.id.upper()] = i
        if place.kind == "country":
            countries[place.id.upper()] = place.id
            if place.iso3:
                codes[place.iso3.upper()] = i
                countries[place.iso3.upper()] = place.id
        own = [place.name, place.name_ru, place.name_ky, *row["names"].split("|")]
        for j, name in enumerate(own):
            key = normalise(name)
            add(names, key, i)
            if place.kind == "country" or (place.kind == "city" and j == 0):
                continue  # "Mexico City" is not "Mexico"
            # "Osh oblast", "Баткен району", "город Ош" are also found by their bare name.
            for base, kind in kind_words(key):
                if level_of(kind) == level_of(place.kind):
                    add(bare, base, i)
        for name in row["alternates"].split("|"):
            key = normalise(name)
            if len(key.replace(" ", "")) >= MIN_ALTERNATE:
                add(alternates, key, i)
    return _Index(
        places=tuple(places),
        codes=codes,
        names={k: tuple(v) for k, v in names.items()},
        bare={k: tuple(v) for k, v in bare.items()},
        alternates={k: tuple(v) for k, v in alternates.items()},
        countries=countries,
    )


@cache
def _index() -> _Index:
    """Read ``gazetteer.csv`` once (no network)."""
    text = files("flowmap").joinpath(TABLE).read_text(encoding="utf-8")
    return _parse(text, f"flowmap/{TABLE}")


def places() -> pd.DataFrame:
    """Return the whole gazetteer as a table (one row per place, without name lists)."""
    index = _index()
    table = pd.DataFrame([asdict(p) for p in index.places])
    return table.astype({"population": "Int64", "geonameid": "Int64"})


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


_LEVEL_KINDS = {level: frozenset(k for k in KINDS if level_of(k) == level) for level in LEVELS}


def _at_level(query: str, kinds: frozenset[str], country: str | None, level: str) -> Lookup:
    narrowed = kinds & _LEVEL_KINDS[level]
    if not narrowed:
        return Lookup(query, ())
    return _lookup(query, narrowed, country)


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


def _explicit(query: str, place: Place, how: str) -> bool:
    """Return whether a text names its place's level itself: by a code, or by a kind word
    of that level ("Osh oblast", "г. Ош")."""
    if how == "code":
        return True
    return any(level_of(k) == level_of(place.kind) for _, k in kind_words(normalise(query)))


def _decide(
    query: str,
    level: str | None,
    lookups: Callable[[frozenset[str]], tuple[Lookup, str]],
    kinds: frozenset[str],
    explicit: bool = False,
) -> tuple[Lookup, str, Doubt | None]:
    """Return the lookup of a text within the table's level; a text found only at another
    level is doubtful unless its place is a country, the text says its level or the row
    its kind (``explicit``); the caller keeps it when it lies in one of the table's
    countries (:func:`_in_table_countries`)."""
    if level is not None:
        narrowed = kinds & _LEVEL_KINDS[level]
        if narrowed:
            result, text = lookups(narrowed)
            if result.candidates:
                return result, text, None
    result, text = lookups(kinds)
    match = result.match
    if (
        level is None
        or match is None
        or explicit
        or level_of(match.place.kind) in (level, "country")
        or _explicit(text, match.place, match.how)
    ):
        return result, text, None
    return result, text, Doubt(match.place, "level", level)


def _both_kinds_named(
    found: Mapping[str, Match],
    candidates_of: Callable[[str], tuple[Place, ...]],
    level: str | None,
    given: Iterable[str] = (),
) -> dict[str, Doubt]:
    """Return the texts of ``found`` that name no kind (``"Ош"``) while their candidates
    are of several levels that the table itself names explicitly ("Ошская область",
    "город Ош"): such a table mixes kinds, so its level does not decide, and the text is
    doubtful. ``candidates_of`` gives a key's candidates at every level; ``given`` are keys
    whose row gives its kind."""
    given = set(given)
    named: dict[str, list[str]] = {}
    bare: list[str] = []
    for key, match in found.items():
        if key in given or _explicit(match.query, match.place, match.how):
            named.setdefault(level_of(match.place.kind), []).append(match.query)
        else:
            bare.append(key)
    out: dict[str, Doubt] = {}
    if len(named) < 2:
        return out
    for key in bare:
        candidates = candidates_of(key)
        levels = {level_of(p.kind) for p in candidates}
        both = [lv for lv in LEVELS if lv in levels and lv in named]
        if len(both) >= 2:
            shown = tuple(text for lv in both for text in named[lv][:2])
            place = found[key].place
            out[key] = Doubt(place, "kinds", level or "", candidates=candidates, named=shown)
    return out


def _main_country(found: Iterable[Place]) -> str | None:
    """Return the country of at least half of the places found (countries left out), when
    there are three or more; else None."""
    inner = [p.country for p in found if p.kind != "country"]
    if len(inner) < 3:
        return None
    main, n = Counter(inner).most_common(1)[0]
    return main if n * 2 >= len(inner) else None


def _in_main_country(
    ambiguous: Mapping[str, tuple[Place, ...]], found: Iterable[Place]
) -> dict[str, Place]:
    """Return the ambiguous texts with exactly one candidate (not a country) in the
    table's main country: "Florida" among US states is the state, not the department of
    Uruguay."""
    main = _main_country(found)
    out: dict[str, Place] = {}
    if main is None:
        return out
    for key, candidates in ambiguous.items():
        home = [p for p in candidates if p.country == main and p.kind != "country"]
        if len(home) == 1:
            out[key] = home[0]
    return out


def _countries_beside(
    found: Mapping[str, Place], level: str | None, country_of: Callable[[str], Match | None]
) -> dict[str, Match]:
    """Return the texts of a table of divisions or districts found as a division outside
    the table's main country that also name a country ("Mexico" among US states is the
    country, not the State of México): ``country_of`` looks a text up among countries."""
    if level not in ("region", "district"):
        return {}
    main = _main_country(found.values())
    out: dict[str, Match] = {}
    if main is None:
        return out
    for key, place in found.items():
        if place.kind != "country" and place.country != main:
            match = country_of(key)
            if match is not None and match.how != "alternate name":
                out[key] = match
    return out


def _in_table_countries(doubts: Mapping[str, Doubt], found: Iterable[Place]) -> dict[str, Doubt]:
    """Return the doubts of another level whose place lies in none of the countries of the
    places found at the table's level ("Bishkek" in a table of countries with Kyrgyzstan
    is kept; "Kutaisi" in a table of US states is doubtful)."""
    countries = {p.country for p in found}
    return {
        k: d for k, d in doubts.items() if d.reason != "level" or d.place.country not in countries
    }


def _far_from_the_rest(found: Mapping[str, Place], level: str | None) -> dict[str, Doubt]:
    """Return the places (not countries) of a table of divisions or districts that lie in
    another country than most of the table's places and farther than :data:`FAR_KM` from
    every place of that country."""
    if level not in ("region", "district"):
        return {}
    inner = {k: p for k, p in found.items() if p.kind != "country"}
    counts = Counter(p.country for p in inner.values())
    if len(inner) < 3 or not counts:
        return {}
    main, n = counts.most_common(1)[0]
    if n * 2 < len(inner):
        return {}
    home = np.radians([(p.lat, p.lon) for p in inner.values() if p.country == main])
    out: dict[str, Doubt] = {}
    for key, place in inner.items():
        if place.country == main:
            continue
        lat, lon = np.radians(place.lat), np.radians(place.lon)
        h = (
            np.sin((home[:, 0] - lat) / 2) ** 2
            + np.cos(lat) * np.cos(home[:, 0]) * np.sin((home[:, 1] - lon) / 2) ** 2
        )
        if 2 * 6371.0 * np.arcsin(np.sqrt(np.minimum(1.0, h.min()))) > FAR_KM:
            out[key] = Doubt(place, "country", level, main)
    return out


def lookup(
    name: object, *, kind: str | Iterable[str] | None = None, country: str | None = None
) -> Lookup:
    """Return the candidates of one name or code (see the module's matching rules)."""
    return _lookup(_text(name), _kinds(kind), _country(country))


def locate(
    names: Iterable[object],
    *,
    kind: str | Iterable[str] | None = None,
    country: str | None = None,
) -> Located:
    """Find each name or code in the gazetteer.

    Parameters
    ----------
    names
        Place names or codes, e.g. ``["KG", "Россия", "Ош облусу", "Istanbul"]``.
        Repeated texts are looked up once; blank texts are unknown.
    kind
        Only places of this kind (or kinds): ``"country"``, ``"oblast"``, ``"district"``,
        ``"city"``.
    country
        Only places inside this country (ISO alpha-2 or alpha-3 code); countries themselves
        are always found.

    Returns
    -------
    Located
        ``found`` (text -> :class:`Match`), ``ambiguous`` (text -> candidates, largest
        kind and population first) and ``unknown`` texts.

    Raises
    ------
    FlowmapError
        If ``kind`` or ``country`` is not a known value.
    """
    kinds = _kinds(kind)
    code = _country(country)
    queries = list(dict.fromkeys(_text(raw) for raw in names))
    level = _table_level(queries, kinds, code)
    found: dict[str, Match] = {}
    ambiguous: dict[str, tuple[Place, ...]] = {}
    unknown: list[str] = []
    doubtful: dict[str, Doubt] = {}
    for query in queries:

        def lookups(chosen: frozenset[str], query: str = query) -> tuple[Lookup, str]:
            return _lookup(query, chosen, code), query

        result, _, doubt = _decide(query, level, lookups, kinds)
        match = result.match
        if doubt is not None:
            doubtful[query] = doubt
        elif match is not None:
            found[query] = match
        elif result.candidates:
            ambiguous[query] = result.candidates
        else:
            unknown.append(query)
    mixed = _both_kinds_named(found, lambda q: _lookup(q, kinds, code).candidates, level)
    for query, doubt in mixed.items():
        del found[query]
        doubtful[query] = doubt
    for query, place in _in_main_country(ambiguous, [m.place for m in found.values()]).items():
        del ambiguous[query]
        found[query] = Match(query, place, "name")
    for query, country_match in _countries_beside(
        {q: m.place for q, m in found.items()},
        level,
        lambda q: _lookup(q, frozenset({"country"}), code).match,
    ).items():
        found[query] = country_match
    far = _far_from_the_rest({q: m.place for q, m in found.items()}, level)
    kept = _in_table_countries(doubtful, [m.place for q, m in found.items() if q not in far])
    for query in [q for q in doubtful if q not in kept]:
        found[query] = Match(query, doubtful.pop(query).place, "name")
    for query, doubt in far.items():
        del found[query]
        doubtful[query] = doubt
    return Located(
        found=found, ambiguous=ambiguous, unknown=tuple(unknown), doubtful=doubtful, level=level
    )


@dataclass(frozen=True)
class FillReport:
    """What :func:`fill_places` did: places filled from the gazetteer (place id -> match),
    places left without coordinates because their name is ambiguous (place id -> the text
    looked up and its candidates) or unknown (place id -> text)."""

    filled: Mapping[str, Match]
    ambiguous: Mapping[str, tuple[str, tuple[Place, ...]]]
    unknown: Mapping[str, str]
    unknown_by_id: Mapping[str, Match] = field(default_factory=dict)
    """Unknown places whose id alone is found (e.g. id ``RU``, name "Russian Federation"):
    not filled, but named in the report with the advice to use ``on="id"``."""
    doubtful: Mapping[str, tuple[str, Doubt]] = field(default_factory=dict)
    """Places not filled because the one place their text names is at another level than
    the table's or in a far country (place id -> the text looked up and the doubt)."""
    level: str | None = None
    """The table's level (:func:`table_level`)."""

    @property
    def complete(self) -> bool:
        """True when every place that lacked coordinates got them."""
        return not self.ambiguous and not self.unknown and not self.doubtful

    def problems(self, source: str = "places") -> Problems:
        """Return the places left without coordinates as :class:`~flowmap.io.tables.Problems`."""
        problems = Problems(source)
        for place_id, (text, candidates) in self.ambiguous.items():
            problems.add(
                "ambiguous",
                msg(
                    "user.gaz.place_ambiguous",
                    id=repr(place_id),
                    text=repr(text),
                    count=Count(len(candidates)),
                    n=len(candidates),
                    candidates=_candidates_text(candidates),
                    hint=msg("user.gaz.hint"),
                ),
            )
        for place_id, text in self.unknown.items():
            reason = msg("user.gaz.not_found", text=repr(text)) if text else msg("user.gaz.no_name")
            by_id = self.unknown_by_id.get(place_id)
            if by_id is None:
                line = msg("user.gaz.place_unknown", id=repr(place_id), reason=reason)
            else:
                line = msg(
                    "user.gaz.place_unknown_id",
                    id=repr(place_id),
                    reason=reason,
                    place=by_id.place.describe(),
                )
            problems.add("unknown", line)
        for place_id, (text, doubt) in self.doubtful.items():
            problems.add(
                "doubtful",
                msg("user.gaz.place_doubtful", id=repr(place_id), line=doubt.describe(repr(text))),
            )
        return problems

    def lines(self) -> list[str]:
        """Return a summary line of the places filled, then one line per place left
        without coordinates (thousands of one kind summarised)."""
        out: list[str] = []
        if self.filled:
            count = len(self.filled)
            shown = _join(
                [
                    msg(
                        "user.gaz.filled_item",
                        query=repr(pid),
                        name=m.place.label(),
                        kind=msg(f"user.gaz.kind.{m.place.kind}"),
                        id=m.place.id,
                    )
                    for pid, m in list(self.filled.items())[:SHOWN_CANDIDATES]
                ]
            )
            more = count - SHOWN_CANDIDATES
            if more > 0:
                shown = msg("user.and_more", items=shown, count=Count(more), n=more)
            out.append(msg("user.gaz.filled", count=Count(count), n=count, shown=shown))
        return out + self.problems().lines()

    def raise_if_incomplete(self, source: str = "places") -> None:
        """Raise :class:`~flowmap.core.errors.DataValidationError` listing the places left
        without coordinates, if there are any."""
        self.problems(source).raise_if_any()


def _blank(values: pd.Series) -> np.ndarray:
    """Return a mask of missing values: NaN, None, blank text or the words NaN, None,
    null, NA."""
    if pd.api.types.is_numeric_dtype(values.dtype):
        return np.asarray(values.isna(), dtype=bool)
    text = values.astype("string").str.strip()
    blank = text.isna() | (text == "") | text.str.fullmatch(r"(?i)nan|none|null|na")
    return np.asarray(blank.fillna(True), dtype=bool)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def _resolve(
    place_id: str, name: str, kinds: frozenset[str], country: str | None, on: str
) -> tuple[Lookup, str]:
    """Return the lookup of a place and the text shown in reports. With ``on="both"`` a
    place with a name and a different id must match both where both are found (the id
    decides between the candidates of an ambiguous name; an id naming another place makes
    the row ambiguous); an id that is not found is ignored, a name that is not found
    leaves the place unknown."""
    if on == "id" or not name or (on == "both" and normalise(name) == normalise(place_id)):
        return _lookup(place_id, kinds, country), place_id
    by_name = _lookup(name, kinds, country)
    if on == "name":
        return by_name, name
    by_id = _lookup(place_id, kinds, country)
    if not by_name.candidates or not by_id.candidates:
        return by_name, name
    both = tuple(p for p in by_name.candidates if p in by_id.candidates)
    text = f"{place_id} / {name}"
    if both:
        how = by_id.how if len(by_name.candidates) > 1 else by_name.how
        return Lookup(text, both, how), text
    return Lookup(text, _order(_index(), _positions(by_name, by_id))), text


def _positions(*lookups: Lookup) -> list[int]:
    index = _index()
    where = {p: i for i, p in enumerate(index.places)}
    return [where[p] for lk in lookups for p in lk.candidates]


def fill_places(
    places: pd.DataFrame,
    *,
    kind: str | Iterable[str] | None = None,
    country: str | None = None,
    on: str = "both",
) -> tuple[pd.DataFrame, FillReport]:
    """Fill the missing coordinates of a places table from the gazetteer.

    Each place whose ``lat`` and ``lon`` are both missing (NaN, blank, or the column is
    absent) is looked up by its ``name`` and its ``id`` (see :func:`locate`): when both are
    given the place must match both (``id`` ``KG-O`` with name ``Osh`` is Osh oblast; ``RU``
    with name ``Russia`` is Russia; a numeric id is not a code and leaves the name alone).
    A ``kind`` column (``country``, ``oblast``, ``district``, ``city``), where a row has one
    of those values, narrows that row's search like ``kind=``.

    Parameters
    ----------
    places
        Columns ``id`` and optionally ``name``, ``lat``, ``lon`` (numbers or text) and
        ``kind``; other columns are kept.
    kind, country
        As in :func:`locate`, for every row.
    on
        ``"both"`` (name and id, as above), ``"name"`` (names only) or ``"id"`` (ids
        only: for tables whose ids are codes such as ``RU`` and whose names are long
        official names such as "Russian Federation").

    Returns
    -------
    (DataFrame, FillReport)
        A copy of ``places`` with the coordinates found (numbers where the column held
        numbers, text where it held text), and what was filled, ambiguous or unknown. Places
        that keep no coordinates are left as they were: nothing is guessed.

    Raises
    ------
    FlowmapError
        If the table has no ``id`` column, or ``kind`` or ``country`` is not a known value.
    """
    if "id" not in places.columns:
        raise DataValidationError(
            "places", [msg("user.missing_id", header=_quoted(places.columns))]
        )
    kinds = _kinds(kind)
    code = _country(country)
    check_choice("on", on, ("both", "name", "id"))
    out = places.copy()
    for column in ("lat", "lon"):
        if column not in out.columns:
            out[column] = np.nan
    missing = _blank(out["lat"]) & _blank(out["lon"])
    names = out["name"] if "name" in out.columns else pd.Series("", index=out.index)
    row_kinds = out["kind"] if "kind" in out.columns else pd.Series("", index=out.index)
    filled: dict[str, Match] = {}
    ambiguous: dict[str, tuple[str, tuple[Place, ...]]] = {}
    unknown: dict[str, str] = {}
    unknown_by_id: dict[str, Match] = {}
    lats: dict[int, float] = {}
    lons: dict[int, float] = {}
    doubtful: dict[str, tuple[str, Doubt]] = {}
    doubt_rows: dict[str, int] = {}
    ambiguous_rows: dict[str, int] = {}
    positions = np.flatnonzero(missing)
    texts = [
        _text(out["id"].iloc[i]) if on == "id" else _text(names.iloc[i]) or _text(out["id"].iloc[i])
        for i in positions
    ]
    level = _table_level(texts, kinds, code)
    placed: dict[str, Place] = {}
    placed_rows: dict[str, int] = {}
    row_lookups: dict[str, Callable[[frozenset[str]], tuple[Lookup, str]]] = {}
    for position in positions:
        place_id = _text(out["id"].iloc[position])
        name = _text(names.iloc[position])
        row_kind = _text(row_kinds.iloc[position])
        narrowed = kinds & {row_kind} if row_kind in KINDS else kinds

        def lookups(
            chosen: frozenset[str], place_id: str = place_id, name: str = name
        ) -> tuple[Lookup, str]:
            return _resolve(place_id, name, chosen, code, on)

        row_lookups[place_id] = lookups
        result, text, doubt = _decide(
            name or place_id, level, lookups, narrowed, explicit=row_kind in KINDS
        )
        match = result.match
        if doubt is not None:
            doubtful[place_id] = (text, doubt)
            doubt_rows[place_id] = int(position)
        elif match is not None:
            filled[place_id] = match
            placed[place_id] = match.place
            placed_rows[place_id] = int(position)
            lats[int(position)] = match.place.lat
            lons[int(position)] = match.place.lon
        elif result.candidates:
            ambiguous[place_id] = (text, result.candidates)
            ambiguous_rows[place_id] = int(position)
        else:
            unknown[place_id] = text
            by_id = _lookup(place_id, narrowed, code).match if on == "both" else None
            if by_id is not None and text != place_id:
                unknown_by_id[place_id] = by_id
    given_kinds = [k for k, i in placed_rows.items() if _text(row_kinds.iloc[i]) in KINDS]
    mixed = _both_kinds_named(
        filled, lambda k: row_lookups[k](kinds)[0].candidates, level, given_kinds
    )
    for place_id, doubt in mixed.items():
        doubtful[place_id] = (filled.pop(place_id).query, doubt)
        doubt_rows[place_id] = placed_rows.pop(place_id)
        del placed[place_id]
        lats.pop(doubt_rows[place_id], None)
        lons.pop(doubt_rows[place_id], None)
    home = _in_main_country({k: c for k, (_, c) in ambiguous.items()}, placed.values())
    for place_id, place in home.items():
        text, _ = ambiguous.pop(place_id)
        filled[place_id] = Match(text, place, "name")
        placed[place_id] = place
        lats[ambiguous_rows[place_id]] = place.lat
        lons[ambiguous_rows[place_id]] = place.lon
    for place_id, country_match in _countries_beside(
        placed, level, lambda k: row_lookups[k](frozenset({"country"}))[0].match
    ).items():
        filled[place_id] = country_match
        placed[place_id] = country_match.place
        lats[placed_rows[place_id]] = country_match.place.lat
        lons[placed_rows[place_id]] = country_match.place.lon
    far = _far_from_the_rest(placed, level)
    kept = _in_table_countries(
        {k: d for k, (_, d) in doubtful.items()},
        [p for k, p in placed.items() if k not in far],
    )
    for place_id in [k for k in doubtful if k not in kept]:
        text, doubt = doubtful.pop(place_id)
        filled[place_id] = Match(text, doubt.place, "name")
        lats[doubt_rows[place_id]] = doubt.place.lat
        lons[doubt_rows[place_id]] = doubt.place.lon
    for position in positions:
        place_id = _text(out["id"].iloc[position])
        if place_id in far and place_id in filled:
            doubtful[place_id] = (filled.pop(place_id).query, far[place_id])
            lats.pop(int(position), None)
            lons.pop(int(position), None)
    for column, values in (("lat", lats), ("lon", lons)):
        if not values:
            continue
        positions = np.fromiter(values, dtype=np.int64)
        numbers = np.array(list(values.values()), dtype="float64")
        if pd.api.types.is_numeric_dtype(out[column].dtype):
            series = out[column].astype("float64").to_numpy(copy=True)
            series[positions] = numbers
            out[column] = series
        else:
            series = out[column].astype(object).to_numpy(copy=True)
            series[positions] = [f"{v:.4f}" for v in numbers]
            out[column] = series
    report = FillReport(
        filled=filled,
        ambiguous=ambiguous,
        unknown=unknown,
        unknown_by_id=unknown_by_id,
        doubtful=doubtful,
        level=level,
    )
    return out, report


__all__ = [
    "KINDS",
    "LEVELS",
    "Doubt",
    "FillReport",
    "Located",
    "Lookup",
    "Match",
    "Place",
    "fill_places",
    "kind_words",
    "locate",
    "lookup",
    "normalise",
    "places",
    "table_level",
]
