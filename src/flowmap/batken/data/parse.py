"""Reading the cells of the data set's tables: whole numbers, coordinates, choices, periods
and ranges, each bad cell recorded as a problem naming its row, line, column and value."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import pandas as pd

from flowmap.batken.data.schema import MAX_COUNT, RANGE_COLUMNS
from flowmap.core._escape import REPLACED, visible_frame
from flowmap.core.errors import FlowmapError
from flowmap.io._csvio import ProblemList, Record, msg
from flowmap.text.i18n import Count, Message
from flowmap.text.period import Period

_INT_RE = re.compile(r"[+-]?[0-9]{1,13}", re.ASCII)
_FLOAT_RE = re.compile(r"[+-]?(?:[0-9]{1,3}(?:\.[0-9]{0,12})?|\.[0-9]{1,12})", re.ASCII)


def _count(n: int) -> Count:
    """Return :class:`flowmap.text.i18n.Count` of ``n``."""
    return Count(n)


def _at(record: Record, column: str, detail: str) -> Message:
    """Return ``"row N (line M), column 'C': detail"``, a problem in one cell."""
    return msg("data.at_column", where=record.where(), column=repr(column), detail=detail)


def _at_pair(record: Record, columns: str, detail: str) -> Message:
    """Return ``"row N (line M), columns 'A'/'B': detail"``, a problem in two cells."""
    return msg("data.at_columns", where=record.where(), columns=columns, detail=detail)


def _problem(
    problems: ProblemList,
    record: Record,
    column: str,
    key: str,
    /,
    *,
    first: Record | None = None,
    **values: object,
) -> None:
    """Record the problem ``msg(key, **values)`` in one cell of ``record`` (in two cells
    when ``column`` is ``'a'/'b'``; in the row when it is empty), its text made only if
    it is shown; ``first`` is where a repeated value was first met."""

    def make() -> str:
        if first is not None:
            values["first"] = first.where()
        detail = msg(key, **values)
        if not column:
            return msg("user.at_colon", where=record.where(), detail=detail)
        if "/" in column:
            return _at_pair(record, column, detail)
        return _at(record, column, detail)

    problems.add(make)


def _parse_count(
    value: str,
    record: Record,
    column: str,
    problems: ProblemList,
    *,
    allow_negative: bool = False,
) -> int | None:
    """Return ``value`` as an int, or record a problem and return None.

    Only ASCII digits are accepted (not Arabic-Indic or full-width ones), and the number
    must be below :data:`MAX_COUNT` in size.
    """
    if not _INT_RE.fullmatch(value):
        if re.fullmatch(r"[+-]?[0-9]{14,}", value, re.ASCII):
            digits = len(value.lstrip("+-"))
            problems.add(
                lambda: _at(
                    record,
                    column,
                    msg(
                        "data.count_digits", max=_count(MAX_COUNT), digits=digits, value=_got(value)
                    ),
                )
            )
        else:
            problems.add(lambda: _at(record, column, msg("data.count_whole", value=_got(value))))
        return None
    number = int(value)
    if abs(number) >= MAX_COUNT:
        problems.add(
            lambda: _at(
                record, column, msg("data.count_below", max=_count(MAX_COUNT), value=_got(value))
            )
        )
        return None
    if number < 0 and not allow_negative:
        problems.add(lambda: _at(record, column, msg("data.count_negative", value=_got(value))))
        return None
    return number


def _parse_coordinate(
    value: str, record: Record, column: str, limit: float, problems: ProblemList
) -> float | None:
    """Return a latitude or longitude in ``[-limit, limit]``, or record a problem."""
    if value == "":
        return None
    if not _FLOAT_RE.fullmatch(value):
        problems.add(lambda: _at(record, column, msg("data.decimal", value=_got(value))))
        return None
    number = float(value)
    if not math.isfinite(number) or abs(number) > limit:
        problems.add(
            lambda: _at(record, column, msg("data.range", limit=f"{limit:g}", value=_got(value)))
        )
        return None
    return number


def _short(value: str, limit: int = 40) -> str:
    """Return ``value`` cut to ``limit`` characters for an error message."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _got(value: str) -> str:
    """Return ``value`` cut and quoted for an error message: ``'abc'``."""
    return repr(_short(value))


def _check_choice(
    value: str, choices: Iterable[str], record: Record, column: str, problems: ProblemList
) -> None:
    """Record a problem when ``value`` is not one of ``choices``."""
    allowed = tuple(choices)
    if value not in allowed:
        options = ", ".join(allowed)
        problems.add(
            lambda: _at(record, column, msg("data.choice", options=options, value=_got(value)))
        )


def _visible(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a table read with its names and texts through
    :func:`flowmap.core._escape.visible_text`, counted in its ``attrs`` (:data:`REPLACED`)."""
    frame, replaced = visible_frame(frame)
    frame.attrs[REPLACED] = replaced
    return frame


def _period(text: str) -> Period | None:
    """Return the period written as ``text``, or None when it is not one."""
    try:
        return Period.parse(text)
    except FlowmapError:
        return None


def _period_problem(problems: ProblemList, record: Record, text: str) -> None:
    """Record why ``text`` in the ``period`` cell of ``record`` is not a period (the text
    made only if it is shown)."""

    def make() -> str:
        try:
            Period.parse(text)
        except FlowmapError as exc:
            reason = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
            return _at(record, "period", reason)
        return _at(record, "period", text)  # pragma: no cover - only called for bad periods

    problems.add(make)


def _parse_range(
    rec: Record, value: int | None, problems: ProblemList, *, basis: str, signed: bool = False
) -> tuple[int | None, int | None]:
    """Return the ``low`` and ``high`` cells of a row as numbers (None when empty), or
    record a problem: a range on a row that is not modelled, only one end given, or ends
    that do not hold ``value`` (``low <= value <= high``)."""
    cells = {c: rec.values.get(c, "") or "" for c in RANGE_COLUMNS}
    if not any(cells.values()):
        return None, None
    if basis != "modelled":
        _problem(problems, rec, "'low'/'high'", "data.range_not_modelled", basis=_got(basis))
        return None, None
    ends = [
        _parse_count(cells[c], rec, c, problems, allow_negative=signed) if cells[c] else None
        for c in RANGE_COLUMNS
    ]
    low, high = ends
    if low is None or high is None:
        if all(cells.values()):
            return None, None
        _problem(problems, rec, "'low'/'high'", "data.range_one_end")
        return None, None
    if value is not None and not low <= value <= high:
        low_, value_, high_ = _count(low), _count(value), _count(high)
        _problem(
            problems, rec, "'low'/'high'", "data.range_outside", low=low_, value=value_, high=high_
        )
    return low, high
