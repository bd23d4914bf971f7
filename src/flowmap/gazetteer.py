"""An offline gazetteer: coordinates for places given by name or code, without a network.

The table ``gazetteer.csv`` next to this module is built by ``geo/build_gazetteer.py`` (see
``geo/SOURCES.md``) and holds:

* countries: ISO 3166-1 alpha-2 id and alpha-3 code, English, Russian and Kyrgyz names
  (Unicode CLDR through Babel, GeoNames, ``data/places.csv``); the point is the capital, or
  the project's anchor city where ``data/places.csv`` has one (Kazakhstan at Almaty,
  Turkey at Istanbul, the USA at New York);
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
   ``"Frunze"`` or ``"Alma-Ata"``); a place's own name wins over another place's alternate
   name (``"Mexico"`` is the country, not Mexico City).

A text that matches several places is listed as ambiguous with its candidates; ``kind=``
(``"country"``, ``"oblast"``, ``"district"``, ``"city"``) and ``country=`` (an ISO code:
only places inside that country, countries themselves are always found) narrow the search.
GeoNames ids are not matched as codes: numeric ids in a user's table are the user's own.
:func:`fill_places` fills the missing coordinates of a places table and reports what it
filled, what is ambiguous and what is unknown.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

import numpy as np
import pandas as pd

from flowmap.errors import DataValidationError, FlowmapError
from flowmap.i18n import Count, Message, Texts, msg
from flowmap.numbers import decimal
from flowmap.tables import Problems, _join, _quoted, check_choice

TABLE = "gazetteer.csv"
KINDS = ("country", "oblast", "district", "city")
"""Kinds of places in the gazetteer, the larger first (the order candidates are listed in)."""
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
        :class:`~flowmap.i18n.Message`: in Russian «Ош (город KG-GO, KG; 40,5283; 72,7985)»)."""
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
class Located:
    """The result of :func:`locate`: texts found (with their place), ambiguous texts (with
    their candidates) and unknown texts, each in the order first given."""

    found: Mapping[str, Match]
    ambiguous: Mapping[str, tuple[Place, ...]]
    unknown: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """True when every text was found."""
        return not self.ambiguous and not self.unknown

    def coordinates(self) -> dict[str, tuple[float, float]]:
        """Return ``{text: (lat, lon)}`` of every text found."""
        return {q: (m.place.lat, m.place.lon) for q, m in self.found.items()}

    def problems(self, source: str = "places") -> Problems:
        """Return the ambiguous and unknown texts as :class:`~flowmap.tables.Problems`."""
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
        if place.kind in ("country", "oblast") or (place.kind == "city" and "-" in place.id):
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
                if kind == place.kind:
                    add(bare, base, i)
        for name in row["alternates"].split("|"):
            add(alternates, normalise(name), i)
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
        ("name", (index.names, index.bare)),
        ("alternate name", (index.alternates,)),
    ):
        found = {i for table in tables for i in table.get(key, ()) if allowed(i)}
        for base, kind in stripped:
            found.update(
                i
                for table in tables
                for i in table.get(base, ())
                if index.places[i].kind == kind and allowed(i)
            )
        if found:
            return Lookup(query, _order(index, found), how)
    return Lookup(query, ())


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
    found: dict[str, Match] = {}
    ambiguous: dict[str, tuple[Place, ...]] = {}
    unknown: list[str] = []
    seen: set[str] = set()
    for raw in names:
        query = _text(raw)
        if query in seen:
            continue
        seen.add(query)
        result = _lookup(query, kinds, code)
        match = result.match
        if match is not None:
            found[query] = match
        elif result.candidates:
            ambiguous[query] = result.candidates
        else:
            unknown.append(query)
    return Located(found=found, ambiguous=ambiguous, unknown=tuple(unknown))


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

    @property
    def complete(self) -> bool:
        """True when every place that lacked coordinates got them."""
        return not self.ambiguous and not self.unknown

    def problems(self, source: str = "places") -> Problems:
        """Return the places left without coordinates as :class:`~flowmap.tables.Problems`."""
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
        """Raise :class:`~flowmap.errors.DataValidationError` listing the places left
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
    for position in np.flatnonzero(missing):
        place_id = _text(out["id"].iloc[position])
        name = _text(names.iloc[position])
        row_kind = _text(row_kinds.iloc[position])
        narrowed = kinds & {row_kind} if row_kind in KINDS else kinds
        result, text = _resolve(place_id, name, narrowed, code, on)
        match = result.match
        if match is not None:
            filled[place_id] = match
            lats[int(position)] = match.place.lat
            lons[int(position)] = match.place.lon
        elif result.candidates:
            ambiguous[place_id] = (text, result.candidates)
        else:
            unknown[place_id] = text
            by_id = _lookup(place_id, narrowed, code).match if on == "both" else None
            if by_id is not None and text != place_id:
                unknown_by_id[place_id] = by_id
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
        filled=filled, ambiguous=ambiguous, unknown=unknown, unknown_by_id=unknown_by_id
    )
    return out, report


__all__ = [
    "KINDS",
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
]
