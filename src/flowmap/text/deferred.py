"""Texts translated at the edge: values that say themselves in a language only when shown.

Everything below the outputs (errors, warnings, notes, the data checks' findings) carries a
:class:`Deferred` instead of finished text; the output that shows it (a page, an image, the
command line, the app) calls :func:`flowmap.text.i18n.localise` with its language. A
deferred value is English when made into a plain string (``str(value)``).

The kinds here need no catalogue: numbers (:class:`Count`, :class:`Signed`,
:class:`Megabytes`, :class:`Numerals`, :class:`Percent`) and periods (:class:`When`). The
catalogue's own kinds (a message, a term, a text given in each language) are in
:mod:`flowmap.text.i18n`; the Batken data checks add theirs (a table of the article, a
flow between two places) in :mod:`flowmap.batken.checks`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal

from flowmap.text import numbers

__all__ = [
    "Count",
    "Deferred",
    "Megabytes",
    "Numerals",
    "Percent",
    "Signed",
    "When",
]

_MIB = 1024 * 1024


class Deferred(ABC):
    """A text that is written in a language only when it is shown.

    A kind says itself with :meth:`text`; :func:`flowmap.text.i18n.localise` renders any
    kind, and a catalogue message renders the deferred values it holds in its own
    language. Kinds are values (frozen dataclasses, or strings for messages), so they
    compare, hash and pickle (messages cross the upload worker's process boundary).
    """

    __slots__ = ()

    @abstractmethod
    def text(self, lang: str) -> str:
        """Return the text in ``lang`` (``en``, ``ky`` or ``ru``)."""

    def __str__(self) -> str:
        return self.text("en")


@dataclass(frozen=True)
class Count(Deferred):
    """A whole number, written the way each language writes it (``7,529``, ``7 529``)."""

    value: int

    def text(self, lang: str) -> str:
        """Return the number in ``lang``'s format (``7,529``, ``7 529``)."""
        return numbers.count(self.value, lang)


@dataclass(frozen=True)
class Megabytes(Count):
    """A size given in bytes and shown in megabytes (MiB) with ``digits`` decimals.

    Put it in a :func:`~flowmap.text.i18n.msg` like a :class:`Count`: ``250.0`` in English,
    ``250,0`` in Kyrgyz and Russian (the unit is part of the message).
    """

    digits: int = 1

    def text(self, lang: str) -> str:
        """Return the size in megabytes as ``lang`` writes decimals."""
        return numbers.decimal(self.value / _MIB, lang, self.digits)


@dataclass(frozen=True)
class Signed(Deferred):
    """A whole number that may be negative, with the true minus sign (``−1 017``)."""

    value: int

    def text(self, lang: str) -> str:
        """Return the number as ``lang`` writes it (:func:`flowmap.text.numbers.signed`)."""
        return numbers.signed(self.value, lang)


@dataclass(frozen=True)
class Numerals(Deferred):
    """Numbers as the data writes them (``"1590"``, ``"85.5"``), listed with commas."""

    values: tuple[str, ...]

    def text(self, lang: str) -> str:
        """Return the numbers as ``lang`` writes them."""
        return ", ".join(numbers.numeral(v, lang) for v in self.values)


@dataclass(frozen=True)
class Percent(Deferred):
    """A percentage (``85.47`` for 85.47 %) shown with ``digits`` decimals."""

    value: Decimal
    digits: int

    def text(self, lang: str) -> str:
        """Return the percentage as ``lang`` writes it."""
        return numbers.percent(self.value / 100, lang, self.digits)


@dataclass(frozen=True)
class When(Deferred):
    """Periods as the data writes them (``"2021"``, ``"2014-2023"``), listed with commas:
    as they are in English, in running text in Kyrgyz and Russian («2021-жыл», «2021 г.»)."""

    periods: tuple[str, ...]

    @classmethod
    def of(cls, *periods: object) -> When:
        """Return the periods given (:class:`~flowmap.text.period.Period` or text)."""
        return cls(tuple(str(p) for p in periods))

    def text(self, lang: str) -> str:
        """Return the periods as ``lang`` writes them in a sentence."""
        if lang == "en":
            return ", ".join(self.periods)
        return ", ".join(numbers.period(p, lang) for p in self.periods)
