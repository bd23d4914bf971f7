"""The gazetteer's matching keys: kinds and levels of places, each text folded to the key it
is compared by (:func:`normalise`) and the kind words that start or end a name ("г. Ош",
"Osh oblast", :func:`kind_words`)."""

from __future__ import annotations

import re
import unicodedata

KINDS = ("country", "region", "oblast", "district", "city")
"""Kinds of places in the gazetteer, the larger first (the order candidates are listed in):
``region`` is a first-level division of any country (a US state, a German Land, a Russian
federal subject), ``oblast`` one of Kyrgyzstan's."""

LEVELS = ("country", "region", "district", "city")
"""Levels of a table (:func:`table_level`): countries, first-level divisions (``region``
and ``oblast``), districts, cities."""

_LEVEL = {"country": "country", "region": "region", "oblast": "region"}


# Letters that Unicode does not decompose into a base letter and a mark.
_FOLD = str.maketrans(
    {
        "ө": "о",
        "ү": "у",
        "ң": "н",
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "'": None,
        "’": None,
        "‘": None,
        "ʼ": None,
        "ʻ": None,
        "ʹ": None,
        "`": None,
        "´": None,
    }
)

_WORD = re.compile(r"[^\W_]+")

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}

# Kind words, normalised: (kind, words before the name, words after the name).
_KIND_WORDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "city",
        ("г", "гор", "город", "g", "gorod", "city of", "the city of"),
        ("city", "шаары", "шаар", "shaary", "shaar"),
    ),
    (
        "oblast",
        (),
        (
            "oblast",
            "oblasty",
            "oblusu",
            "oblysy",
            "state",
            "krai",
            "kray",
            "край",
            "region",
            "province",
            "область",
            "обл",
            "облусу",
            "облысы",
        ),
    ),
    (
        "district",
        (),
        ("district", "rayon", "raion", "rajon", "район", "рн", "району", "rayonu"),
    ),
)


def level_of(kind: str) -> str:
    """Return the level of a kind of place: ``oblast`` and ``region`` are ``region``."""
    return _LEVEL.get(kind, kind)


_LEVEL_KINDS = {level: frozenset(k for k in KINDS if level_of(k) == level) for level in LEVELS}


_PREFIXES = {w: kind for kind, prefixes, _ in _KIND_WORDS for w in prefixes}

_SUFFIXES = {w: kind for kind, _, suffixes in _KIND_WORDS for w in suffixes}


def normalise(text: str) -> str:
    """Return the matching key of a name: case-folded, accents and apostrophes removed,
    ``ё``/``е``, ``ө``/``о``, ``ү``/``у`` and ``ң``/``н`` folded, every run of other
    characters (spaces, hyphens, dots, commas…) one space, the words ``St``, ``Ste``,
    ``Mt``, ``Ft`` written out (``Saint``…) and initials joined (``U.S.A.`` is ``usa``).

    >>> normalise("  Kyzyl-Kiya ") == normalise("KYZYL KIYA")
    True
    >>> normalise("Пүлгөн") == normalise("Пулгон")
    True
    """
    folded = str(text).casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    words = [_ABBREVIATIONS.get(w, w) for w in _WORD.findall(folded.translate(_FOLD))]
    if len(words) > 1 and sum(len(w) == 1 for w in words) > 1:
        words = _join_initials(words)
    return " ".join(words)


def _join_initials(words: list[str]) -> list[str]:
    """Join runs of two or more one-letter words: "U.S.A." is "usa"."""
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1:
            run.append(word)
            continue
        if len(run) > 1:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if word:
            out.append(word)
    return out


def kind_words(key: str) -> list[tuple[str, str]]:
    """Return ``(bare name, kind)`` for each kind word that starts or ends ``key`` (a key
    from :func:`normalise`), e.g. ``[("ош", "city")]`` for ``"г ош"``."""
    words = key.split(" ")
    if len(words) < 2:
        return []
    out: list[tuple[str, str]] = []
    for n in range(1, min(3, len(words) - 1) + 1):
        kind = _PREFIXES.get(" ".join(words[:n]))
        if kind is not None:
            out.append((" ".join(words[n:]), kind))
        kind = _SUFFIXES.get(" ".join(words[-n:]))
        if kind is not None:
            out.append((" ".join(words[:-n]), kind))
    return out


__all__ = ["KINDS", "LEVELS", "kind_words", "level_of", "normalise"]
