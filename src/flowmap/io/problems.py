"""Problems found in a table and how they are said: grouped by kind so that thousands stay
readable ("… and 4,051 more like this"), each naming its row ("row N (line M)") and column,
as :class:`~flowmap.text.i18n.Message` objects that translate; and the check of an option's
choice (:func:`check_choice`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from flowmap.core import lazy
from flowmap.core.errors import DataValidationError, FlowmapError
from flowmap.text.i18n import Count, Message, msg

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy.module("pandas")  # imported on first use (flowmap.core.lazy)

SHOWN_PER_KIND = 5
"""How many problems of one kind are listed before the rest is summarised."""


class Problems:
    """Problems found in a table, grouped by kind so that thousands stay readable.

    Lines are :class:`~flowmap.text.i18n.Message` objects (English text that
    :func:`flowmap.text.i18n.error_text` and :func:`flowmap.text.i18n.localise` say in Kyrgyz or
    Russian); ``detail`` texts given as messages translate with them.
    """

    def __init__(self, source: str, *, where: Callable[[int], str] | None = None) -> None:
        self.source = source
        self.where = where or _row
        """Where a row is, from its 0-based position: "row N (line M)" by default (a table
        made from another, such as a wide table turned long, names the original row)."""
        self._kinds: dict[str, list[str]] = defaultdict(list)
        self._counts: dict[str, int] = defaultdict(int)

    def add(self, kind: str, message: str) -> None:
        """Record one problem of ``kind`` (only the first few of each kind keep their text)."""
        self._counts[kind] += 1
        if len(self._kinds[kind]) < SHOWN_PER_KIND:
            self._kinds[kind].append(message)

    def add_rows(
        self, kind: str, mask: np.ndarray, detail: str, values: pd.Series | None = None
    ) -> None:
        """Record one problem per row where ``mask`` is true: "row N (line M), ``detail``"
        followed by the row's value from ``values`` (quoted, cut to 40 characters). Texts
        are made only for the few rows that are shown."""
        positions = np.flatnonzero(mask)
        if len(positions) == 0:
            return
        self._counts[kind] += len(positions)
        room = max(0, SHOWN_PER_KIND - len(self._kinds[kind]))
        for i in positions[:room]:
            where = self.where(int(i))
            if values is None:
                self._kinds[kind].append(msg("user.at", where=where, detail=detail))
            else:
                value = _short(values.iloc[int(i)])
                self._kinds[kind].append(
                    msg("user.at_value", where=where, detail=detail, value=value)
                )

    def __bool__(self) -> bool:
        return any(self._counts.values())

    def counts(self) -> dict[str, int]:
        """Return how many problems of each kind there are, in the order first met."""
        return {kind: n for kind, n in self._counts.items() if n}

    def extend(self, other: Problems) -> None:
        """Add the problems of ``other`` (its shown examples and its counts)."""
        for kind, shown in other._kinds.items():
            room = max(0, SHOWN_PER_KIND - len(self._kinds[kind]))
            self._kinds[kind].extend(shown[:room])
        for kind, n in other._counts.items():
            self._counts[kind] += n

    def lines(self) -> list[str]:
        """Return the problems, each kind followed by how many more there are."""
        out: list[str] = []
        for kind, shown in self._kinds.items():
            out.extend(shown)
            more = self._counts[kind] - len(shown)
            if more > 0:
                out.append(msg("user.more_like_this", count=Count(more), n=more))
        return out

    def raise_if_any(self) -> None:
        """Raise :class:`DataValidationError` listing the problems, if there are any."""
        if self:
            raise DataValidationError(self.source, self.lines(), total=sum(self._counts.values()))


HINTS: tuple[str, ...] = ("python", "cli", "app")
"""Where a user reads the messages: the hints name that place's own way of saying which
column is which (``flow_columns=`` in Python, ``--columns`` on the command line, "Layout
and columns" in the app)."""


def _short(value: object, limit: int = 40) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _row(position: int) -> Message:
    """Return "row N (line M)" for a 0-based position in a table read from CSV."""
    return msg("user.row", row=position + 1, line=position + 2)


def _column(column: str) -> Message:
    """Return "column 'name'" (the name quoted as the user wrote it)."""
    return msg("user.column", column=repr(column))


def _in_column(column: str, detail: Message) -> Message:
    """Return "column 'name': detail"."""
    return msg("user.at_colon", where=_column(column), detail=detail)


def _quoted(values: Iterable[object]) -> str:
    """Return values as a list of quoted names: ``'a', 'b'`` (user data, not translated)."""
    return ", ".join(map(repr, values))


def _join(items: Sequence[str], separator: str = ",") -> str:
    """Return ``items`` joined by ``", "`` (or ``"; "`` with ``separator=";"``): a
    :class:`~flowmap.text.i18n.Message` when an item is one, so the list translates with it."""
    key = "user.join.semicolon" if separator == ";" else "user.join.comma"
    if not any(isinstance(item, Message) for item in items):
        return f"{separator} ".join(items)
    out: str = items[0]
    for item in items[1:]:
        out = msg(key, a=out, b=item)
    return out


def check_choice(name: str, value: object, allowed: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``allowed``.

    Raises
    ------
    FlowmapError
        Naming the option, the value and the allowed values.
    """
    options = tuple(allowed)
    if not isinstance(value, str) or value not in options:
        shown = repr(value[:40]) if isinstance(value, str) else repr(value)[:40]
        raise FlowmapError(msg("user.choice", name=name, options=", ".join(options), value=shown))
    return value


__all__ = ["HINTS", "SHOWN_PER_KIND", "Problems", "check_choice"]
