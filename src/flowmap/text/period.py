"""A period of a migration table: one year or an inclusive span of years."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering

from flowmap.core.errors import FlowmapError
from flowmap.text.i18n import msg

_PERIOD_RE = re.compile(r"^([0-9]{4})(?:\s*[-–]\s*([0-9]{4}))?$", re.ASCII)


def _short(value: str, limit: int = 40) -> str:
    """Return ``value`` cut to ``limit`` characters for an error message."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


@total_ordering
@dataclass(frozen=True)
class Period:
    """A single year (``start == end``) or an inclusive span of years."""

    start: int
    end: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """Return the period written as ``"2019"`` or ``"2014-2023"`` (an en dash works too).

        Raises
        ------
        FlowmapError
            If ``text`` is not a year or a span whose end is not before its start.
        """
        match = _PERIOD_RE.match(text.strip())
        if not match:
            raise FlowmapError(msg("data.period_format", value=repr(_short(text))))
        start = int(match.group(1))
        end = int(match.group(2) or start)
        if end < start:
            raise FlowmapError(msg("data.period_reversed", value=repr(_short(text))))
        return cls(start, end)

    @property
    def is_year(self) -> bool:
        """Return True for a single year."""
        return self.start == self.end

    @property
    def years(self) -> range:
        """Return the years the period covers."""
        return range(self.start, self.end + 1)

    def __str__(self) -> str:
        return str(self.start) if self.is_year else f"{self.start}-{self.end}"

    def label(self) -> str:
        """Return the period for people: ``2019`` or ``2014–2023`` (with an en dash)."""
        return str(self.start) if self.is_year else f"{self.start}–{self.end}"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.end - self.start, self.start) < (other.end - other.start, other.start)
