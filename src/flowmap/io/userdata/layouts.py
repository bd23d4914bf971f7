"""The layout of a user's table, told from its header (:func:`detect_layout`, one of
:data:`LAYOUTS`): a long table, a wide table of yearly columns, a square matrix (read as its
corner cell says, :func:`matrix_orientation`) or a places table; and the rows and columns
that are totals rather than places (:func:`is_total`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from flowmap.core.errors import DataValidationError, FlowmapError
from flowmap.io.choices import LAYOUTS as LAYOUTS
from flowmap.io.choices import ORIENTS as ORIENTS
from flowmap.io.problems import HINTS, _quoted, check_choice
from flowmap.io.userdata.columns import FLOW_ROLES, PLACE_ROLES, _find_columns, _year
from flowmap.text.i18n import msg

_ORIGIN_WORDS = frozenset(
    {
        "from",
        "origin",
        "origins",
        "source",
        "sources",
        "sending",
        "departure",
        "departures",
        "previous",
        "prior",
        "ago",
        "born",
        "birth",
        "outflow",
        "откуда",
        "из",
        "выбытия",
        "отправления",
        "происхождения",
        "кайдан",
        "чыккан",
    }
)

_DEST_WORDS = frozenset(
    {
        "to",
        "dest",
        "destination",
        "destinations",
        "target",
        "receiving",
        "current",
        "present",
        "arrival",
        "arrivals",
        "inflow",
        "куда",
        "в",
        "прибытия",
        "назначения",
        "текущее",
        "кайда",
        "келген",
    }
)

_ROWS_MARKS = frozenset({"down", "rows", "row", "vertical", "строки", "строках", "саптар"})

_COLUMNS_MARKS = frozenset(
    {"across", "columns", "column", "horizontal", "столбцы", "столбцах", "тилкелер"}
)

_CORNER_SPLIT = re.compile(r"\s*(?:[\\/×]|\s[xх]\s|\s-\s|\s?[–—]\s?)\s*", re.IGNORECASE)

_TOTAL = re.compile(
    r"(?:grand\s+)?(?:total|totals|sum|всего|итого|бардыгы|жалпы|баары)\b.*"
    r"|.*\b(?:total|totals|всего|итого|бардыгы)"
    r"|all(?:\s+(?:places|countries|regions|areas|origins|destinations|states|provinces))?"
    r"|\(?(?:total|all)\)?",
    re.IGNORECASE,
)


def detect_layout(
    frame: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    layout: str | None = None,
    source: str = "table",
    hints: str = "python",
) -> tuple[str, dict[str, str]]:
    """Return the layout of a table read as text (one of :data:`LAYOUTS`) and its
    columns (role -> column).

    ``columns`` maps roles to columns, overriding the detection; ``layout`` forces one;
    ``hints`` (one of :data:`HINTS`) says where the error is read, so that it names that
    place's way of naming columns.

    Raises
    ------
    DataValidationError
        If the layout cannot be told, naming what was looked for and the header.
    """
    header = [str(c) for c in frame.columns]
    given = dict(columns or {})
    if layout is not None and layout not in LAYOUTS:
        options = ", ".join(LAYOUTS)
        raise FlowmapError(msg("user.choice", name="layout", options=options, value=repr(layout)))
    flows = _find_columns(header, FLOW_ROLES, given, source)
    places = _find_columns(header, PLACE_ROLES, given, source)
    years = [c for c in header if _year(c) and c not in flows.values()]
    if layout in (None, "long") and {"origin", "dest", "count"} <= set(flows):
        return "long", flows
    if layout in (None, "wide") and {"origin", "dest"} <= set(flows) and years:
        return "wide", {k: v for k, v in flows.items() if k in ("origin", "dest")}
    if (
        layout in (None, "places")
        and {"lat", "lon"} <= set(places)
        and set(places)
        & {
            "id",
            "name",
        }
    ):
        return "places", places
    if layout == "places" and set(places) & {"id", "name"}:
        return "places", places
    if layout in (None, "matrix") and _is_matrix(frame, given.get("origin")):
        return "matrix", {"origin": given.get("origin", header[0])}
    shown = _quoted(header[:20]) + (", …" if len(header) > 20 else "")
    kind = "places" if layout == "places" else "flows"
    hint = msg(f"user.hint.{kind}.{check_choice('hints', hints, HINTS)}")
    unknown = "user.unknown_places" if kind == "places" else "user.unknown_layout"
    raise DataValidationError(source, [msg(unknown, header=shown, hint=hint)])


def _is_matrix(frame: pd.DataFrame, first: str | None) -> bool:
    """Return True for a square matrix: most column labels are also row labels."""
    if frame.shape[1] < 3:
        return False
    labels = frame[first] if first is not None else frame.iloc[:, 0]
    rows = set(labels.astype(str).str.strip())
    heads = [str(c) for c in frame.columns if str(c) != (first or str(frame.columns[0]))]
    shared = sum(1 for h in heads if h in rows)
    return shared >= 2 and shared * 2 >= len(heads)


def matrix_orientation(corner: str) -> str | None:
    """Return how a matrix's corner cell says it is read (one of :data:`ORIENTS`), or
    None when it does not say.

    The corner names the rows, then the columns: ``from\\to``, ``origin/destination``,
    ``откуда\\куда`` (rows are origins), ``to\\from``, ``Current x Origin`` (rows are
    destinations: people's current place), with ``\\``, ``/``, `` x ``, ``×`` or `` - ``
    between, in any case; words marked ``(across)``/``(columns)`` or ``(down)``/``(rows)``
    say it outright: ``Destination (across) - Source (down)`` has origins as rows. A
    single word names the rows (``Origin``).
    """
    text = corner.strip().lower()
    votes: set[str] = set()
    for words, mark in re.findall(r"([^()]+?)\s*\(([^()]*)\)", text):
        role, marks = _corner_role(words), set(re.findall(r"\w+", mark))
        if role is not None and marks & _ROWS_MARKS:
            votes.add(role)
        elif role is not None and marks & _COLUMNS_MARKS:
            votes.add("dest" if role == "origin" else "origin")
    if not votes:
        parts = [part for part in _CORNER_SPLIT.split(text) if part.strip()]
        first = _corner_role(parts[0]) if parts else None
        last = _corner_role(parts[-1]) if len(parts) > 1 else None
        if first is not None and first != last:
            votes.add(first)
        elif first is None and last is not None:
            votes.add("dest" if last == "origin" else "origin")
    if len(votes) != 1:
        return None
    return "rows-are-origins" if votes == {"origin"} else "rows-are-destinations"


def _corner_role(words: str) -> str | None:
    """Return ``origin`` or ``dest`` for the words of a corner cell naming one side."""
    tokens = set(re.findall(r"\w+", words.lower()))
    origin, dest = bool(tokens & _ORIGIN_WORDS), bool(tokens & _DEST_WORDS)
    if origin == dest:
        return None
    return "origin" if origin else "dest"


def is_total(label: object) -> bool:
    """Return True for a row, column or place label that names a total rather than a
    place: ``Total``, ``Grand total``, ``All``, ``Sum``, ``Всего``, ``Итого``,
    ``Бардыгы``, ``Жалпы``, ``World total`` (in any case)."""
    return bool(_TOTAL.fullmatch(str(label).strip()))


def _total_rows(frame: pd.DataFrame, keys: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Return a mask of the rows whose place (in any of ``keys``) is a total, and those
    labels as written (each once)."""
    mask = np.zeros(len(frame), dtype=bool)
    labels: list[str] = []
    for key in keys:
        values = frame[key]
        totals = [v for v in values.unique() if is_total(v)]  # each label once
        if totals:
            mask |= values.isin(totals).to_numpy()
            labels += [str(v).strip() for v in totals if str(v).strip() not in labels]
    return mask, labels


__all__ = ["LAYOUTS", "ORIENTS", "detect_layout", "is_total", "matrix_orientation"]
