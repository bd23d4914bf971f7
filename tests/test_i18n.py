"""The message catalogue: every key in every language, with the same fields."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from flowmap.batken.data import load_places
from flowmap.core.errors import FlowmapError
from flowmap.core.langs import LANGS
from flowmap.text.i18n import MESSAGES, t
from tests.conftest import ROOT


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_every_language() -> None:
    """Every key of the catalogue has a text in each language, with the same fields; one
    test for all the keys (not one each: a thousand tests cost a few seconds of
    ``make check``), naming every key that fails."""
    lacking = {key: set(LANGS) - set(e) for key, e in MESSAGES.items() if set(e) != set(LANGS)}
    assert lacking == {}
    empty = [key for key, e in sorted(MESSAGES.items()) if not all(e[c].strip() for c in LANGS)]
    assert empty == []
    fields_differ = [
        key
        for key, entry in sorted(MESSAGES.items())
        if len({frozenset(fields(entry[lang])) for lang in LANGS}) != 1
    ]
    assert fields_differ == []


def test_kyrgyz_and_russian_are_translated() -> None:
    same = [k for k, v in MESSAGES.items() if v["en"] == v["ky"] or v["en"] == v["ru"]]
    # Only texts that are the same in every language (such as "Сальдо") may repeat.
    assert all(MESSAGES[k]["ky"] == MESSAGES[k]["ru"] for k in same), same


def test_every_key_used_in_code_exists() -> None:
    sources = [
        ROOT / "app.py",
        *sorted((ROOT / "webapp").glob("*.py")),
        *sorted((ROOT / "src" / "flowmap").rglob("*.py")),
    ]
    used: set[str] = set()
    for path in sources:
        text = Path(path).read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+(?:\.[a-z_0-9]+)+)["']""", text))
    assert used, "no message keys found: the pattern is wrong"
    assert sorted(used - set(MESSAGES)) == []


def test_places_have_names_in_three_languages() -> None:
    places = load_places()
    for lang in LANGS:
        assert places[f"name_{lang}"].str.len().min() > 0


def test_unknown_language_or_key() -> None:
    with pytest.raises(FlowmapError, match="language must be one of en, ky, ru, got 'fr'"):
        t("map.title", "fr")
    with pytest.raises(FlowmapError, match="no message 'nope' in language 'en'"):
        t("nope", "en")


def test_method_texts_are_translated_by_id() -> None:
    from flowmap.text.i18n import method_text

    assert method_text("gravity-v2: long English text", "ky").startswith("Моделдик баалоо:")
    assert method_text("abroad-shares-v1: x", "ru").startswith("Модельная оценка:")
    assert method_text("sum-v1: sum of the yearly figures 2014–2023", "en").startswith("Derived")
    assert method_text("my own method", "ru") == "my own method"  # a user's file
    assert method_text("", "en") == ""
