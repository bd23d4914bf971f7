"""The catalogue file ``messages.csv``: its shape, its loader and the plural forms."""

from __future__ import annotations

import csv
import io
import string
from decimal import Decimal
from importlib.resources import files

import pytest

from flowmap.core.errors import DataValidationError, FlowmapError
from flowmap.core.langs import LANGS
from flowmap.text.i18n import (
    MESSAGES,
    PLURAL_CATEGORIES,
    _parse_catalogue,
    plural_category,
    plural_forms,
    t,
)


def catalogue_rows() -> list[list[str]]:
    text = (files("flowmap") / "messages.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), strict=True))


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_file_ships_with_the_package() -> None:
    assert (files("flowmap") / "messages.csv").is_file()


def test_the_csv_parses_with_one_row_per_key() -> None:
    rows = catalogue_rows()
    assert rows[0] == ["key", *LANGS]
    assert all(len(row) == 1 + len(LANGS) for row in rows[1:])
    keys = [row[0] for row in rows[1:]]
    assert len(keys) > 100
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []


def test_every_key_has_text_in_every_language() -> None:
    for row in catalogue_rows()[1:]:
        key, texts = row[0], dict(zip(LANGS, row[1:], strict=True))
        name, _, category = key.partition("#")
        assert name in MESSAGES, key
        if category:
            assert category in PLURAL_CATEGORIES, key
            assert any(text.strip() for text in texts.values()), key
        else:
            assert all(text.strip() for text in texts.values()), key
    for key, entry in MESSAGES.items():
        assert set(entry) == set(LANGS), key
        assert all(entry[lang].strip() for lang in LANGS), key


def test_variants_have_the_fields_of_their_message() -> None:
    rows = [row for row in catalogue_rows()[1:] if "#" in row[0]]
    assert rows
    for key, *texts in rows:
        name = key.partition("#")[0]
        expected = fields(MESSAGES[name]["en"])
        for text in texts:
            if text:
                assert fields(text) == expected, (key, text)


def test_messages_are_read_only() -> None:
    with pytest.raises(TypeError):
        MESSAGES["map.title"] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        MESSAGES["map.title"]["en"] = "x"  # type: ignore[index]


NUMBERS = (1, 2, 5, 11, 21, 22, 25)
PEOPLE = {
    "en": ("person", "people", "people", "people", "people", "people", "people"),
    "ru": ("человек", "человека", "человек", "человек", "человек", "человека", "человек"),
    "ky": ("адам",) * 7,
}
# «меньше N …» takes the genitive: меньше 1 человека, 5 человек, 21 человека.
UNDER = {
    "en": ("person", "people", "people", "people", "people", "people", "people"),
    "ru": ("человека", "человек", "человек", "человек", "человека", "человек", "человек"),
}


@pytest.mark.parametrize("lang", ["en", "ru", "ky"])
@pytest.mark.parametrize(("index", "number"), list(enumerate(NUMBERS)))
def test_legend_people_plural(lang: str, index: int, number: int) -> None:
    expected = f"{number} {PEOPLE[lang][index]}"
    assert t("legend.people", lang, count=number) == expected
    # A formatted count needs the number as n.
    assert t("legend.people", lang, count=f"{number:,}", n=number) == expected


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize(("index", "number"), list(enumerate(NUMBERS)))
def test_legend_min_width_plural(lang: str, index: int, number: int) -> None:
    text = t("legend.min_width", lang, count=f"{number:,}", n=number, px=2)
    under = "Flows under" if lang == "en" else "Потоки меньше"
    assert f"{under} {number} {UNDER[lang][index]} " in text
    assert t("legend.min_width", lang, count=number, px=2) == text


def test_large_formatted_counts_choose_by_n() -> None:
    assert t("legend.people", "ru", count="7,521", n=7521) == "7,521 человек"
    assert t("legend.people", "ru", count="7,522", n=7522) == "7,522 человека"
    assert t("legend.people", "ru", count="1.5", n=Decimal("1.5")) == "1.5 человека"
    assert t("legend.people", "en", count="1,000", n=1000) == "1,000 people"


def test_without_a_number_the_plain_text_is_the_template() -> None:
    # The legend hands "{count} …" to JavaScript: no plural form can be chosen there.
    assert t("legend.people", "en", count="{count}") == "{count} people"
    assert t("legend.people", "ru", count="{count}") == "{count} чел."
    assert t("legend.people", "ky", count="{count}") == "{count} адам"
    assert t("legend.people", "en") == MESSAGES["legend.people"]["en"] == "{count} people"


def test_plural_forms_for_javascript() -> None:
    assert plural_forms("legend.people", "en", count="{count}") == {
        "one": "{count} person",
        "other": "{count} people",
    }
    assert plural_forms("legend.people", "ru", count="{count}") == {
        "one": "{count} человек",
        "few": "{count} человека",
        "many": "{count} человек",
        "other": "{count} человека",
    }
    assert set(plural_forms("legend.people", "ky", count="{count}").values()) == {"{count} адам"}
    assert plural_forms("map.title", "en") == {"other": t("map.title", "en")}


def test_other_counted_messages() -> None:
    one = t("app.districts.loaded", "en", count=1, matched=1)
    assert one.startswith("1 area drawn, 1 matched")
    assert t("app.districts.loaded", "en", count=3, matched=0).startswith("3 areas drawn")
    assert t("app.districts.loaded", "ru", count=1, matched=1) == (
        "Нарисовано территорий: 1, из них сопоставлено с районами и городами Баткенской области: 1."
    )
    skipped = {"self": 1, "zero": 0, "located": 0, "places": ""}
    assert t("general.skipped", "en", total="1", n=1, **skipped).startswith("1 row is not")
    assert t("general.skipped", "en", total="2", n=2, **skipped).startswith("2 rows are not")


def test_plural_category() -> None:
    assert [plural_category(n, "ru") for n in NUMBERS] == [
        "one",
        "few",
        "many",
        "many",
        "one",
        "few",
        "many",
    ]
    assert plural_category(1, "en") == "one"
    assert plural_category(1.5, "ru") == "other"


def test_unknown_key_or_language() -> None:
    with pytest.raises(FlowmapError, match="no message 'nope' in language 'ru'"):
        t("nope", "ru")
    with pytest.raises(FlowmapError, match="no message"):
        t("legend.people#one", "en", count=1)  # variants are not messages of their own
    with pytest.raises(FlowmapError, match="language must be one of en, ky, ru, got 'de'"):
        t("legend.people", "de", count=1)
    with pytest.raises(FlowmapError, match="language must be one of"):
        plural_forms("legend.people", "fr")


@pytest.mark.parametrize("n", ["7", None, True, float("nan"), float("inf"), Decimal("NaN")])
def test_n_must_be_a_finite_number(n: object) -> None:
    with pytest.raises(FlowmapError, match="plural form needs a finite number"):
        t("legend.people", "en", count="7", n=n)


HEADER = "key,en,ky,ru\n"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("id,en,ky,ru\na.b,x,y,z\n", "the header must be"),
        ("", "the header must be"),
        (HEADER + "a.b,x,y,z\na.b,x,y,z\n", "line 3: duplicate key 'a.b'"),
        (HEADER + "a.b,x,,z\n", "line 2: 'a.b' has no text in ky"),
        (HEADER + "a.b,x,y\n", "line 2: 3 fields, expected 4"),
        (HEADER + "A b,x,y,z\n", "bad key 'A b'"),
        (HEADER + "a.b,x,y,z\na.b#dual,x,y,z\n", "bad key 'a.b#dual'"),
        (HEADER + "a.b,x,y,z\na.b#one,,,\n", "'a.b#one' has no text in any language"),
        (HEADER + "a.b#one,x,y,z\na.b#other,x,,z\n", "'a.b' has no text in ky"),
        (HEADER + 'a.b,"x,y,z\n', "unexpected end of data"),
    ],
)
def test_bad_catalogues_are_refused(text: str, problem: str) -> None:
    with pytest.raises(DataValidationError, match=problem):
        _parse_catalogue(text, "test.csv")


def test_a_catalogue_with_only_plural_rows() -> None:
    catalogue = _parse_catalogue(HEADER + "a.b#one,{n} x,,{n} y\na.b#other,{n} xs,{n} k,{n} ys\n")
    assert dict(catalogue.messages["a.b"]) == {"en": "{n} xs", "ky": "{n} k", "ru": "{n} ys"}
    assert dict(catalogue.variants["a.b"]["ky"]) == {"other": "{n} k"}
