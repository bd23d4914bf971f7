"""The message catalogue: every text of the maps and the app in English, Kyrgyz and Russian.

The texts live in ``messages.csv`` next to this module (columns ``key,en,ky,ru``, UTF-8,
one row per key), read once with :mod:`importlib.resources`. Use :func:`t` to get a
message. Place names come from ``data/places.csv`` (``name_en``, ``name_ky``,
``name_ru``), not from here.

Plural forms
------------
A message that puts a count next to a noun may have variants ``KEY#one``, ``KEY#few``,
``KEY#many``, ``KEY#other`` (any CLDR category: ``zero``, ``one``, ``two``, ``few``,
``many``, ``other``). ``t(KEY, lang, count=n)`` picks the variant for the CLDR plural
category of ``n`` in ``lang`` (from Babel); a variant cell left empty falls back to
``KEY#other`` and then to the plain ``KEY``, so a language without plural inflection
(Kyrgyz) fills only ``#other`` or nothing. The plain ``KEY`` row may be left out when
``KEY#other`` is complete; when both exist, ``KEY`` is the text used when no number is
given (such as a ``{count}`` template handed to JavaScript).

When the ``count`` given to the format is already formatted (``count="7 529"`` from
:func:`flowmap.text.numbers.count`), pass the number as well with ``n=7529``: ``n`` chooses the
form, ``count`` is what is printed.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import TYPE_CHECKING

from flowmap.core.errors import DataValidationError, FlowmapError
from flowmap.core.langs import LANGS
from flowmap.text.deferred import Count, Deferred

if TYPE_CHECKING:
    from babel import Locale

__all__ = [
    "LANGS",
    "LANG_LABELS",
    "MESSAGES",
    "PLURAL_CATEGORIES",
    "Count",
    "Deferred",
    "Message",
    "Term",
    "Texts",
    "error_text",
    "localise",
    "method_text",
    "msg",
    "plural_category",
    "plural_forms",
    "t",
]

LANG_LABELS: dict[str, str] = {"en": "English", "ky": "Кыргызча", "ru": "Русский"}

#: The CLDR plural categories a ``KEY#category`` variant may name.
PLURAL_CATEGORIES: tuple[str, ...] = ("zero", "one", "two", "few", "many", "other")

CATALOGUE = "messages.csv"
_KEY = re.compile(r"[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)+")


@dataclass(frozen=True)
class _Catalogue:
    #: key -> lang -> text: the plain ``KEY`` text, or ``KEY#other`` without one.
    messages: Mapping[str, Mapping[str, str]]
    #: key -> lang -> category -> text, only for keys with plural variants and only the
    #: non-empty cells.
    variants: Mapping[str, Mapping[str, Mapping[str, str]]]


def _parse_catalogue(text: str, source: str = CATALOGUE) -> _Catalogue:
    """Parse the catalogue CSV; raise :class:`DataValidationError` listing every problem."""
    problems: list[str] = []
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise DataValidationError(source, [f"not a valid CSV file: {exc}"]) from None
    header = ["key", *LANGS]
    if not rows or rows[0] != header:
        got = rows[0] if rows else []
        raise DataValidationError(source, [f"the header must be {header}, got {got}"])
    plain: dict[str, dict[str, str]] = {}
    variants: dict[str, dict[str, dict[str, str]]] = {}
    seen: set[str] = set()
    for line, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(header):
            problems.append(f"line {line}: {len(row)} fields, expected {len(header)}")
            continue
        key, texts = row[0], dict(zip(LANGS, row[1:], strict=True))
        if key in seen:
            problems.append(f"line {line}: duplicate key {key!r}")
            continue
        seen.add(key)
        name, _, category = key.partition("#")
        if not _KEY.fullmatch(name) or (key != name and category not in PLURAL_CATEGORIES):
            problems.append(
                f"line {line}: bad key {key!r} (expected words joined by dots, optionally "
                f"followed by #{'/#'.join(PLURAL_CATEGORIES)})"
            )
            continue
        if key == name:
            missing = [lang for lang in LANGS if not texts[lang].strip()]
            if missing:
                problems.append(f"line {line}: {key!r} has no text in {', '.join(missing)}")
            plain[key] = texts
        elif not any(value.strip() for value in texts.values()):
            problems.append(f"line {line}: {key!r} has no text in any language")
        else:
            forms = variants.setdefault(name, {lang: {} for lang in LANGS})
            for lang, value in texts.items():
                if value.strip():
                    forms[lang][category] = value
    messages: dict[str, Mapping[str, str]] = {}
    for name in [*plain, *(k for k in variants if k not in plain)]:
        entry = {}
        for lang in LANGS:
            value = plain[name][lang] if name in plain else ""
            if not value.strip():
                value = variants.get(name, {}).get(lang, {}).get("other", "")
            if not value.strip():
                problems.append(f"{name!r} has no text in {lang} (neither {name} nor {name}#other)")
            entry[lang] = value
        messages[name] = MappingProxyType(entry)
    if problems:
        raise DataValidationError(source, problems)
    return _Catalogue(
        messages=MappingProxyType(messages),
        variants=MappingProxyType(
            {
                name: MappingProxyType({lang: MappingProxyType(f) for lang, f in forms.items()})
                for name, forms in variants.items()
            }
        ),
    )


@cache
def _catalogue() -> _Catalogue:
    resource = files("flowmap").joinpath(CATALOGUE)
    return _parse_catalogue(resource.read_text(encoding="utf-8-sig"), f"flowmap/{CATALOGUE}")


#: Every message: key -> language -> text (read-only, built from ``messages.csv``). A key
#: with plural variants maps to its plain text (or its ``#other`` text without one).
MESSAGES: Mapping[str, Mapping[str, str]] = _catalogue().messages


@cache
def _locale(lang: str) -> Locale:
    # Babel is imported on the first plural form chosen, not with the package (issue 20).
    from babel import Locale

    return Locale.parse(lang)


def _number(value: object) -> int | float | Decimal | None:
    """``value`` as a number Babel can classify, or None if it is not a finite number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if math.isfinite(number) else None
    return None


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise FlowmapError(f"language must be one of {', '.join(LANGS)}, got {lang!r}")


def _category(number: object, lang: str) -> str:
    value = _number(number)
    if value is None:
        raise FlowmapError(f"a plural form needs a finite number, got {number!r}")
    return str(_locale(lang).plural_form(value))


def plural_category(number: float | Decimal, lang: str) -> str:
    """Return the CLDR plural category (``one``, ``few``, ``many``, ``other``…) of ``number``.

    Raises
    ------
    FlowmapError
        If the language is unknown or ``number`` is not a finite number.
    """
    _check_lang(lang)
    return _category(number, lang)


def t(key: str, lang: str = "en", /, **values: object) -> str:
    """Return the message ``key`` in ``lang``, with ``{name}`` fields filled from ``values``.

    When ``key`` has plural variants (``KEY#one``, ``KEY#few``…), the one for the plural
    category of ``n`` (if given) or else ``count`` is used. Pass ``n`` when ``count`` is an
    already formatted string:
    ``t("legend.people", "ru", count=numbers.count(7529, "ru"), n=7529)``. Without
    a number (``count="{count}"`` for a template), the plain text is used.

    Raises
    ------
    FlowmapError
        If the language or the key is unknown, or ``n`` is not a finite number.
    """
    _check_lang(lang)
    catalogue = _catalogue()
    try:
        text = catalogue.messages[key][lang]
    except KeyError:
        raise FlowmapError(f"no message {key!r} in language {lang!r}") from None
    forms = catalogue.variants.get(key)
    if "n" in values:
        category: str | None = _category(values["n"], lang)
    else:
        number = _number(values.get("count"))
        category = None if number is None or forms is None else _category(number, lang)
    if forms is not None and category is not None:
        text = forms[lang].get(category) or forms[lang].get("other") or text
    return text.format(**values) if values else text


def plural_forms(key: str, lang: str = "en", /, **values: object) -> dict[str, str]:
    """Return ``key`` in every plural category ``lang`` has, e.g. for a JavaScript template.

    ``{"one": "{count} person", "other": "{count} people"}`` for
    ``plural_forms("legend.people", "en", count="{count}")``; a browser picks one with
    ``forms[new Intl.PluralRules(lang).select(n)] ?? forms.other``. A key without variants
    gives its one text under ``other``.

    Raises
    ------
    FlowmapError
        If the language or the key is unknown.
    """
    values.pop("n", None)
    base = t(key, lang, **values)
    forms = _catalogue().variants.get(key)
    if forms is None:
        return {"other": base}
    categories = sorted({*_locale(lang).plural_form.tags, "other"}, key=PLURAL_CATEGORIES.index)
    texts = forms[lang]
    chosen = {c: texts.get(c) or texts.get("other") or MESSAGES[key][lang] for c in categories}
    return {c: text.format(**values) if values else text for c, text in chosen.items()}


def method_text(method: str, lang: str = "en") -> str:
    """Return a derived or modelled row's method in ``lang``.

    Method texts start with an id (``gravity-v2: ...``); a known id gets its translated
    summary, any other method (from a user's file) is returned as it is.
    """
    key = "method." + method.split(":", 1)[0].strip()
    if not method or key not in MESSAGES:
        return method
    return t(key, lang)


# --------------------------------------------------------------------------- messages in flight
# The catalogue's kinds of :class:`~flowmap.text.deferred.Deferred` (numbers and periods are
# in flowmap.text.deferred); :func:`localise` renders every kind through the base.


@dataclass(frozen=True)
class Term(Deferred):
    """A word from the catalogue (``sex.male``) inside a message, said in its language."""

    key: str

    def text(self, lang: str) -> str:
        """Return the word in ``lang``."""
        return t(self.key, lang)


class Message(str, Deferred):
    """A catalogue message that is English text and knows how to say itself in any language.

    It *is* the English string (so it can be logged, compared and joined as before) and
    keeps its ``key`` and ``values``; :meth:`text` gives it in another language. Values
    that are :class:`~flowmap.text.deferred.Deferred` (messages, :class:`Count`…) are
    rendered in that language too, and ``n`` picks the plural form. Build one with
    :func:`msg`. Errors and warnings are made of these, so
    the layer that shows them (the app, the command line) chooses the language.
    """

    key: str
    values: Mapping[str, object]

    def __new__(cls, key: str, values: Mapping[str, object] | None = None) -> Message:
        values = dict(values or {})
        self = super().__new__(cls, _render(key, "en", values))
        self.key = key
        self.values = MappingProxyType(values)
        return self

    def __reduce__(self) -> tuple[object, tuple[str, dict[str, object]]]:
        return (Message, (self.key, dict(self.values)))

    def text(self, lang: str = "en") -> str:
        """Return the message in ``lang``."""
        return _render(self.key, lang, self.values)


class Texts(Message):
    """A text written differently in each language but not from the catalogue (a
    gazetteer's place names, a coordinate with the language's decimal sign): a
    :class:`~flowmap.text.i18n.Message` whose :meth:`text` looks the language up."""

    def __new__(cls, texts: Mapping[str, str]) -> Texts:
        self = str.__new__(cls, texts["en"])
        self.key = ""
        self.values = MappingProxyType(dict(texts))
        return self

    def __reduce__(self) -> tuple[object, tuple[str, dict[str, object]]]:
        return (_texts, (self.key, dict(self.values)))

    def text(self, lang: str = "en") -> str:
        """Return the text in ``lang`` (the English one where there is none)."""
        return str(self.values.get(lang) or self.values["en"])


def _texts(key: str, values: Mapping[str, object]) -> Texts:
    """Rebuild a pickled :class:`Texts` (the key is always empty)."""
    return Texts({lang: str(text) for lang, text in values.items()})


def _render(key: str, lang: str, values: Mapping[str, object]) -> str:
    shown = {name: localise(value, lang) for name, value in values.items()}
    if "n" in values:
        shown["n"] = values["n"]  # type: ignore[assignment]
    return t(key, lang, **shown)


def msg(key: str, /, **values: object) -> Message:
    """Return the catalogue message ``key`` with ``values``: English now, any language later.

    >>> msg("err.example", row=3)  # doctest: +SKIP
    """
    return Message(key, values)


def localise(value: object, lang: str) -> str:
    """Return ``value`` in ``lang``: any :class:`~flowmap.text.deferred.Deferred` (a message,
    a count, a term…) is rendered in that language, anything else (a user's own text, a
    number) is shown as it is."""
    if isinstance(value, Deferred):
        return value.text(lang)
    return str(value)


def error_text(exc: BaseException, lang: str = "en") -> str:
    """Return a :class:`~flowmap.core.errors.FlowmapError` as a reader of ``lang`` should see it.

    A :class:`~flowmap.core.errors.DataValidationError` is its file and one line per problem;
    problems and messages built with :func:`msg` are translated, other text is shown as it
    is.
    """
    if isinstance(exc, DataValidationError):
        total = exc.total if exc.total is not None else len(exc.problems)
        head = t("error.problems", lang, source=exc.source, count=Count(total).text(lang), n=total)
        return "\n".join([head, *(f"  - {localise(p, lang)}" for p in exc.problems)])
    if exc.args and isinstance(exc.args[0], Message):
        return exc.args[0].text(lang)
    return str(exc)
