"""Numbers, percentages and years as a reader of each language writes them: in one place.

Everything comes from Babel's CLDR data for the language (``en``, ``ky``, ``ru``): the
thousands separator (a comma in English, a non-breaking space U+00A0 in Kyrgyz and
Russian), the decimal sign (a point, or a comma) and the percent pattern (``21,6 %`` in
Russian). Two things are set here on purpose: negative numbers take a true minus sign
U+2212 (``−1 607``, as the data's notes and resolutions write it) rather than Babel's
hyphen-minus, and years are written without a thousands separator.

>>> count(7529, "ru")
'7\\xa0529'
>>> decimal(533.66, "ky")
'533,7'
>>> signed(-1607, "en")
'−1,607'
>>> years(2014, 2023, "ru")
'2014–2023\\xa0гг.'
"""

from __future__ import annotations

import copy
import math
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from flowmap.core.errors import FlowmapError
from flowmap.core.langs import LANGS

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

__all__ = [
    "MINUS",
    "count",
    "decimal",
    "number",
    "numeral",
    "percent",
    "period",
    "signed",
    "symbols",
    "year",
    "years",
]

#: The minus sign of negative numbers in every language (U+2212).
MINUS = "\u2212"
#: The dash between the two years of a span (U+2013).
DASH = "\u2013"
_NBSP = "\u00a0"

#: How a year stands in running text: ``{year}`` is the number (or span). Kyrgyz adds the
#: suffix «-жыл» (one year) or «-жылдар» (a span); Russian «г.» or «гг.» after a
#: non-breaking space.
_YEAR = {"en": "{year}", "ky": "{year}-жыл", "ru": "{year}" + _NBSP + "г."}
_YEARS = {"en": "{years}", "ky": "{years}-жылдар", "ru": "{years}" + _NBSP + "гг."}


@cache
def _locale(lang: str) -> Locale:
    if lang not in LANGS:
        raise FlowmapError(f"language must be one of {', '.join(LANGS)}, got {lang!r}")
    # Babel is imported on the first number written, not with the package (issue 20).
    from babel import Locale

    return Locale.parse(lang)


@cache
def _pattern(lang: str, kind: str, digits: int) -> NumberPattern:
    """The language's decimal or percent pattern with exactly ``digits`` decimals."""
    locale = _locale(lang)
    formats = locale.decimal_formats if kind == "decimal" else locale.percent_formats
    pattern: NumberPattern = copy.copy(formats[None])
    pattern.frac_prec = (digits, digits)
    return pattern


def _finite(value: float | Decimal) -> float | Decimal | int:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise FlowmapError(f"a number is needed, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise FlowmapError(f"a finite number is needed, got {value!r}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise FlowmapError(f"a finite number is needed, got {value!r}")
    return value


def _minus(text: str, lang: str) -> str:
    """Replace the locale's minus sign (a hyphen-minus in CLDR) by U+2212."""
    sign = _locale(lang).number_symbols["latn"]["minusSign"]
    return MINUS + text[len(sign) :] if text.startswith(sign) else text


def count(n: int, lang: str) -> str:
    """Return a whole number with the language's thousands separator.

    ``7,529`` in English, ``7 529`` (a non-breaking space) in Kyrgyz and Russian; a negative
    number takes U+2212.
    """
    value = _finite(n)
    return decimal(value, lang, 0)


def decimal(x: float | Decimal, lang: str, digits: int = 1) -> str:
    """Return ``x`` rounded to ``digits`` decimals: ``533.7`` in English, ``533,7`` in ky/ru."""
    if digits < 0:
        raise FlowmapError(f"digits must be 0 or more, got {digits}")
    value = _finite(x)
    text = _pattern(lang, "decimal", digits).apply(value, _locale(lang))
    return _minus(text, lang)


def number(x: float | Decimal, lang: str, digits: int = 3) -> str:
    """Return ``x`` with at most ``digits`` decimals and no trailing zeros: ``1.5`` px in
    English, ``1,5`` in Kyrgyz and Russian, ``4`` for 4.0."""
    if digits < 0:
        raise FlowmapError(f"digits must be 0 or more, got {digits}")
    value = _finite(x)
    pattern = copy.copy(_pattern(lang, "decimal", 0))
    pattern.frac_prec = (0, digits)
    return _minus(pattern.apply(value, _locale(lang)), lang)


def numeral(text: str, lang: str) -> str:
    """Return a number written the data's way (``1607``, ``-1017``, ``85.5``) the way
    ``lang`` writes it, keeping its decimals (``1 607``, ``−1 017``, ``85,5``); any other
    text is returned as it is."""
    raw = str(text).strip()
    body = raw.lstrip("+-" + MINUS)
    whole, dot, frac = body.partition(".")
    if not whole.isdigit() or (dot and not frac.isdigit()) or len(raw) - len(body) > 1:
        return str(text)
    value = Decimal(whole + dot + frac)
    if raw[0] in "-" + MINUS:
        value = -value
    return decimal(value, lang, len(frac))


def percent(x: float | Decimal, lang: str, digits: int = 0) -> str:
    """Return the share ``x`` (0.216 for 21.6 %) as a percentage with ``digits`` decimals.

    ``21.6%`` in English, ``21,6%`` in Kyrgyz, ``21,6 %`` (a non-breaking space) in Russian.
    """
    if digits < 0:
        raise FlowmapError(f"digits must be 0 or more, got {digits}")
    value = _finite(x)
    text = _pattern(lang, "percent", digits).apply(value, _locale(lang))
    return _minus(text, lang)


def signed(n: float | Decimal, lang: str, *, plus: bool = False, digits: int = 0) -> str:
    """Return a number that may be negative (a net balance): ``−1 607`` with U+2212.

    With ``plus=True`` a positive number gets ``+`` (``+561``); zero never has a sign.
    """
    text = decimal(n, lang, digits)
    value = _finite(n)
    nonzero = any(c in "123456789" for c in text)
    return "+" + text if plus and value > 0 and nonzero else text


def symbols(locale: str) -> dict[str, str]:
    """Return the symbols a page's script writes whole numbers with, for a language or a
    BCP 47 tag (``ru-RU``): ``{"group": " ", "decimal": ",", "minus": "−"}`` (the group
    a non-breaking space). A tag of another language gets the English symbols."""
    lang = str(locale).replace("_", "-").split("-", 1)[0].lower()
    lang = lang if lang in LANGS else "en"
    table = _locale(lang).number_symbols["latn"]
    return {"group": table["group"], "decimal": table["decimal"], "minus": MINUS}


def year(y: int | str, lang: str) -> str:
    """Return a year as running text writes it: ``2019``, ``2019-жыл``, ``2019 г.``.

    Use it where a sentence needs the year form; a compact label (a slider, a column
    heading) shows the bare number.
    """
    return _YEAR[_lang(lang)].format(year=_year(y))


def years(a: int | str, b: int | str, lang: str) -> str:
    """Return a span of years in running text: ``2014–2023``, ``2014–2023-жылдар``,
    ``2014–2023 гг.``."""
    return _YEARS[_lang(lang)].format(years=f"{_year(a)}{DASH}{_year(b)}")


def period(text: str, lang: str) -> str:
    """Return a period written ``2019`` or ``2014-2023`` (the data's form) as running text.

    Anything else (a user's own period label) is returned as it is.
    """
    first, dash, last = str(text).partition("-")
    if first.isdigit() and (not dash or last.isdigit()):
        return years(first, last, lang) if dash else year(first, lang)
    return str(text)


def _lang(lang: str) -> str:
    _locale(lang)
    return lang


def _year(y: int | str) -> str:
    text = str(y).strip()
    if not text.isdigit():
        raise FlowmapError(f"a year must be a whole number, got {y!r}")
    return str(int(text))


#: The thousands separator of a whole number in each language, as CLDR (Babel) has it;
#: ``tests/test_wording.py`` checks that :func:`whole` writes what :func:`count` writes.
_GROUP = {"en": ",", "ky": "\u00a0", "ru": "\u00a0"}
#: A whole percentage in each language: ``5%`` in English and Kyrgyz, ``5 %`` in Russian.
_PERCENT = {"en": "{}%", "ky": "{}%", "ru": "{}\u00a0%"}


def whole(n: int, lang: str) -> str:
    """Return a whole number as :func:`count` writes it (``600,000``, ``600 000``), without
    loading Babel: for ``flowmap --help``, which stays quick."""
    if lang not in _GROUP:
        raise FlowmapError(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")
    text = f"{abs(int(n)):,}".replace(",", _GROUP[lang])
    return MINUS + text if n < 0 else text


def whole_percent(n: int, lang: str) -> str:
    """Return a whole percentage (``5`` for 5 %) as :func:`percent` writes it, without
    loading Babel: for ``flowmap --help``."""
    if lang not in _PERCENT:
        raise FlowmapError(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")
    return _PERCENT[lang].format(whole(n, lang))
