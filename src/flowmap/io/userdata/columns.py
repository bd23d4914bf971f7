"""Which column of a user's table is which: the usual names of each role (``from``/``to``/``n``,
``Latitude``…, :data:`COLUMN_NAMES`, compared case-insensitively), a wide table's year
columns, and the cells that mean "no value" (:data:`BLANK`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from flowmap.core.errors import DataValidationError
from flowmap.io.choices import COLUMN_NAMES as COLUMN_NAMES
from flowmap.io.problems import _quoted
from flowmap.io.tables import (
    DEST_COLUMNS,
    TIME_COLUMNS,
)
from flowmap.text.i18n import msg

FLOW_ROLES: tuple[str, ...] = ("origin", "dest", "count", "time")

PLACE_ROLES: tuple[str, ...] = ("id", "name", "lat", "lon")

BLANK = frozenset(
    {"", "nan", "na", "n/a", "n.a.", "null", "none", "-", "–", "—", "..", "...", "…", "x"}
)
"""Cells that mean "no value" (compared case-insensitively after stripping spaces): empty,
or marked missing as statistical offices do (``N/A``, ``NA``, ``-``, ``—``, ``..``, ``x``
for a suppressed figure, ``…``)."""

_YEAR_COLUMN = re.compile(r"(?:y|yr|year)?[ _]?([12][0-9]{3}(?:\s*[-–]\s*[12][0-9]{3})?)(?:\.0)?")

_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+")

_PLAIN = {"dest": DEST_COLUMNS, "time": TIME_COLUMNS}
"""Column names that need no mention: :func:`flowmap.io.tables.as_flows` takes them as they are."""


def _role(role: str) -> str:
    """Return a column role (``origin``, ``lat``…) as a word of the reader's language."""
    return msg(f"user.col.{role}") if role in COLUMN_NAMES else role


def _key(column: str) -> str:
    """Return a column name as compared with :data:`COLUMN_NAMES` (a note in brackets at
    its end left out: ``Country of origin (ISO)`` is ``country_of_origin``)."""
    bare = re.sub(r"\s*\([^()]*\)\s*$", "", column.strip()) or column.strip()
    return re.sub(r"[\s.\-]+", "_", bare.lower())


def _year(column: str) -> str | None:
    """Return the year (or span) a wide table's column stands for, or None."""
    match = _YEAR_COLUMN.fullmatch(column.strip().lower())
    return re.sub(r"\s*[-–]\s*", "-", match.group(1)) if match else None


def _find_columns(
    header: Sequence[str], roles: Sequence[str], given: Mapping[str, str], source: str
) -> dict[str, str]:
    """Return role -> column: the ``given`` ones (checked), then the usual names."""
    unknown_roles = sorted(set(given) - set(COLUMN_NAMES))
    missing = [c for c in given.values() if c not in header]
    problems: list[str] = []
    if unknown_roles:
        known = ", ".join(COLUMN_NAMES)
        problems.append(msg("user.unknown_roles", roles=_quoted(unknown_roles), known=known))
    if missing:
        problems.append(msg("user.no_column", columns=_quoted(missing), header=_quoted(header)))
    if problems:
        raise DataValidationError(source, problems)
    found = {role: column for role, column in given.items() if role in roles}
    taken = set(given.values())
    keys = {column: _key(column) for column in header}
    for role in roles:
        if role in found:
            continue
        for wanted in COLUMN_NAMES[role]:
            column = next((c for c in header if keys[c] == wanted and c not in taken), None)
            if column is not None:
                found[role] = column
                taken.add(column)
                break
    return {role: found[role] for role in roles if role in found}


def _blank(values: pd.Series) -> np.ndarray:
    """Return a mask of cells that mean "no value" (see :data:`BLANK`)."""
    text = values.astype(str).str.strip().str.lower()
    return np.asarray(text.isin(BLANK).to_numpy(), dtype=bool)


__all__ = ["BLANK", "COLUMN_NAMES", "FLOW_ROLES", "PLACE_ROLES"]
