"""The one period a map shows (:mod:`flowmap.engine.flows`): a year, a span summed from its
years or given as one, or the latest of several, and what the map says about it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flowmap.core import lazy
from flowmap.core.errors import FlowmapError
from flowmap.engine.choices import MEASURES as MEASURES
from flowmap.text.i18n import Count, Message, msg
from flowmap.text.period import Period

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy.module("pandas")  # imported on first use (flowmap.core.lazy)


def as_period(value: Period | str | int | None) -> Period | None:
    """Return a period from ``2019``, ``"2019"``, ``"2014-2023"`` or a :class:`Period`."""
    if value is None or isinstance(value, Period):
        return value
    return Period.parse(str(value))


@dataclass(frozen=True)
class Coverage:
    """Which years of a period the data has: a map of a span says how many it sums."""

    period: Period
    years: tuple[int, ...]
    """The years of ``period`` with at least one row."""
    missing: tuple[int, ...]
    """The years of ``period`` without any row."""


def coverage(times: pd.Series, period: Period | str | int | None = None) -> Coverage | None:
    """Return the years of ``period`` that the time labels ``times`` cover (a yearly row
    covers its year; a row labelled with exactly the span covers all of it), or, without a
    period, of the span from the first to the last year of the data. None when there is
    nothing to say: no years, or a single year."""
    distinct = (
        times.cat.remove_unused_categories().cat.categories
        if isinstance(times.dtype, pd.CategoricalDtype)
        else pd.unique(times.astype(str).to_numpy())
    )
    labels = [str(v) for v in distinct if str(v).strip()]
    span = as_period(period)
    covered: set[int] = set()
    for label in labels:
        try:
            found = Period.parse(label)
        except FlowmapError:
            continue
        if span is None or found == span or (found.is_year and found.start in span.years):
            covered.update(found.years)
    if span is None:
        if not covered:
            return None
        span = Period(min(covered), max(covered))
    if span.is_year:
        return None
    return Coverage(
        period=span,
        years=tuple(y for y in span.years if y in covered),
        missing=tuple(y for y in span.years if y not in covered),
    )


@dataclass(frozen=True)
class PeriodChoice:
    """The one period a map or table shows, and why: asked for, or the latest of several.

    Made by :func:`choose_period`; :meth:`statement` says it for the title.
    """

    period: Period | None
    """The period shown; None when the table has no time values."""
    labels: frozenset[str]
    """The time labels of the rows shown (one year; the years of a span summed; or the
    span's own label when rows have exactly that label)."""
    latest: bool = False
    """True when no period was asked and the table has several: the latest is shown."""
    values: int = 0
    """How many distinct time values the table has."""
    years_only: bool = True
    """True when every time value is a single year (else some are spans)."""
    coverage: Coverage | None = None
    """For a span summed from yearly rows: the years found and missing."""

    @property
    def label(self) -> str:
        """Return the period as a time label (``2023``, ``2014-2023``), ``""`` without one."""
        return "" if self.period is None else str(self.period)

    def statement(self) -> Message | None:
        """Return what the map shows, for its title: "2023, the latest of 35 years",
        "2014–2023, sum of 10 years", "2014–2020, sum of 6 of 7 years (no data for 2017)",
        or the period alone ("2019"); None for a table without time values."""
        if self.period is None:
            return None
        label = self.period.label()
        if self.latest:
            key = "general.period.latest" if self.years_only else "general.period.latest_periods"
            return msg(key, period=label, count=Count(self.values), n=self.values)
        found = self.coverage
        if found is None:
            return msg("general.period.one", period=label)
        if not found.missing:
            n = len(found.years)
            return msg("general.period.sum", period=label, count=Count(n), n=n)
        total = len(found.period.years)
        return msg(
            "general.period.sum_missing",
            period=label,
            count=Count(len(found.years)),
            n=total,  # "6 of 7 years": the noun goes with the total
            total=Count(total),
            missing=years_text(found.missing),
        )


def years_text(years: Sequence[int], limit: int = 6) -> str:
    """Return years as runs: ``2017, 2019–2021`` (at most ``limit`` runs, then "…")."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]
    return ", ".join(parts[:limit]) + (", …" if len(parts) > limit else "")


def _time_values(times: pd.Series) -> dict[str, Period]:
    """Return the distinct non-empty time labels of ``times`` and their periods."""
    distinct = (
        times.cat.remove_unused_categories().cat.categories
        if isinstance(times.dtype, pd.CategoricalDtype)
        else pd.unique(times.astype(str).to_numpy())
    )
    out: dict[str, Period] = {}
    for value in distinct:
        label = str(value).strip()
        if not label or label == "nan":
            continue
        try:
            out[str(value)] = Period.parse(label)
        except FlowmapError:
            continue
    return out


def choose_period(
    times: pd.Series,
    period: Period | str | int | None = None,
    *,
    measure: str = "flow",
) -> PeriodChoice:
    """Return the one period a map of these time labels shows.

    Without ``period``, a table with several time values shows the latest (the one ending
    last; a single year before a span ending the same year), never their sum. A year
    shows that year's rows. A span shows the rows labelled with exactly that span when
    there are any (never together with the yearly rows inside it: they are its parts),
    else the sum of the yearly rows inside it, which a ``stock`` table refuses.

    Raises
    ------
    FlowmapError
        For an unknown ``measure``, or a span of a stock table.
    """
    if measure not in MEASURES:
        options = ", ".join(MEASURES)
        raise FlowmapError(msg("user.choice", name="measure", options=options, value=repr(measure)))
    values = _time_values(times)
    years_only = all(p.is_year for p in values.values())
    count = len(values)
    span = as_period(period)
    if span is None:
        if not values:
            return PeriodChoice(None, frozenset(), values=0)
        label, latest = max(values.items(), key=lambda kv: (kv[1].end, kv[1].start))
        return PeriodChoice(
            latest,
            frozenset({label}),
            latest=count > 1,
            values=count,
            years_only=years_only,
        )
    exact = frozenset(label for label, p in values.items() if p == span)
    if exact or span.is_year:
        return PeriodChoice(span, exact, values=count, years_only=years_only)
    if measure == "stock":
        raise FlowmapError(msg("user.stock_span", period=span.label(), year=span.end))
    inside = {label: p for label, p in values.items() if p.is_year and p.start in span.years}
    found = {p.start for p in inside.values()}
    covered = Coverage(
        period=span,
        years=tuple(y for y in span.years if y in found),
        missing=tuple(y for y in span.years if y not in found),
    )
    return PeriodChoice(
        span, frozenset(inside), values=count, years_only=years_only, coverage=covered
    )


__all__ = [
    "MEASURES",
    "Coverage",
    "PeriodChoice",
    "as_period",
    "choose_period",
    "coverage",
    "years_text",
]
