"""Counts as people write them: whole numbers from 0 written with the digits 0-9, grouped
by thousands as statistical offices print them (``101,466``, ``1 000``, ``1'000``), read a
million at a time; anything else is a problem of the table
(:class:`~flowmap.io.problems.Problems`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from flowmap.core import lazy
from flowmap.io.problems import Problems, _in_column
from flowmap.text.i18n import Count, msg

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy.module("pandas")  # imported on first use (flowmap.core.lazy)

MAX_COUNT = 10**12
_COUNT_RE = r"[0-9]{1,13}"
_GROUPED_RE = r"[0-9]{1,3}([,'\u2019 \u00a0\u202f\u2009])[0-9]{3}(?:\1[0-9]{3}){0,3}"
"""A whole number with thousands separators as statistical offices print them: ``101,466``
(a comma: inside quotes in a comma-separated file), ``1 000`` (a space, a no-break space,
a narrow no-break space or a thin space), ``1'000`` (an apostrophe); one separator
throughout, groups of three digits."""


def _counts(values: pd.Series, column: str, problems: Problems) -> pd.Series:
    """Return counts as int64, recording every value that is not a whole number from 0 to
    10^12 - 1 (text must use the digits 0-9, optionally grouped by thousands as in
    ``101,466``, ``1 000`` or ``1'000``, see :data:`_GROUPED_RE`)."""
    number, bad, dotted = _parse_counts(values)
    problems.add_rows(
        "bad count",
        bad & ~dotted,
        _in_column(column, msg("user.bad_count", max=Count(MAX_COUNT - 1))),
        values,
    )
    ambiguous = _in_column(column, msg("user.dotted_count"))
    problems.add_rows("ambiguous count", bad & dotted, ambiguous, values)
    return number.where(~bad, 0).fillna(0).astype("int64")


def _parse_counts(values: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Return counts as numbers (see :func:`_counts`), a mask of the values that are not
    counts, and a mask of those written like ``1.000`` (ambiguous)."""
    if pd.api.types.is_bool_dtype(values.dtype):
        values = values.astype(str)
    dotted = np.zeros(len(values), dtype=bool)
    if pd.api.types.is_integer_dtype(values.dtype) and not values.hasnans:
        ints = values.to_numpy(dtype=np.int64)  # counts already read (a melted matrix)
        return values, np.asarray((ints < 0) | (ints >= MAX_COUNT)), dotted
    if pd.api.types.is_numeric_dtype(values.dtype):
        number = values.astype("float64")
    else:
        # Plain digits are converted directly (a regular expression and a cast: fast for a
        # million rows); "12.0" is accepted too. Anything else is a problem.
        text = values.astype("string").str.strip()
        digits = text.str.fullmatch(r"[0-9]{1,12}", na=False)
        if not digits.all():
            # "12.0" and "12.00" are whole numbers; "1.000" is not taken for 1 (in much of
            # Europe it is a thousand): it stays a problem, said as ambiguous.
            grouped_by_dots = text.str.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+", na=False)
            dotted = grouped_by_dots.to_numpy(dtype=bool)
            decimal = text.str.fullmatch(r"[0-9]{1,12}\.0*", na=False) & ~grouped_by_dots
            text = text.where(~decimal, text.str.replace(r"\.0*$", "", regex=True))
            grouped = text.str.fullmatch(_GROUPED_RE, na=False)
            text = text.where(~grouped, text.str.replace(r"[^0-9]", "", regex=True))
            digits = digits | decimal | grouped
        filled = text.where(digits, "0")
        try:  # arrow parses a million digit strings in a tenth of a second
            whole_numbers = filled.astype("int64[pyarrow]").to_numpy(dtype="int64")
        except (TypeError, ValueError):
            whole_numbers = filled.astype("int64").to_numpy()
        number = pd.Series(whole_numbers, index=values.index, dtype="float64").where(digits)
    whole = number.notna() & np.isfinite(number) & (number % 1 == 0)
    bad = np.asarray((~whole | (number < 0) | (number >= MAX_COUNT)).to_numpy(), dtype=bool)
    return number, bad, dotted


__all__ = ["MAX_COUNT"]
