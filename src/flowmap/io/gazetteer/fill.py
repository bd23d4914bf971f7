"""Filling the missing coordinates of a places table from the gazetteer
(:func:`fill_places`), with a report of what was filled, ambiguous, unknown or doubtful
(:class:`FillReport`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from flowmap.core.errors import DataValidationError
from flowmap.io.gazetteer.entries import (
    SHOWN_CANDIDATES,
    Doubt,
    Lookup,
    Match,
    Place,
    _candidates_text,
)
from flowmap.io.gazetteer.keys import KINDS, normalise
from flowmap.io.gazetteer.matcher import _country, _kinds, _lookup, _order, _table_level, _text
from flowmap.io.gazetteer.resolve import (
    _both_kinds_named,
    _countries_beside,
    _decide,
    _far_from_the_rest,
    _in_main_country,
    _in_table_countries,
)
from flowmap.io.gazetteer.table import _index
from flowmap.io.problems import Problems, _join, _quoted, check_choice
from flowmap.text.i18n import Count, msg


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


__all__ = ["FillReport", "fill_places"]
