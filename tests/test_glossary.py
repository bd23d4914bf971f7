"""The glossary ``glossary.csv``: one Kyrgyz and one Russian term per recurring concept.

Each glossary row names a concept, its English term and the Kyrgyz and Russian terms the
catalogue (``messages.csv``) must use for it, plus wrong or inconsistent variants
(``avoid_ky``, ``avoid_ru``, separated by ``|``) that no catalogue text may contain.
A term cell may list accepted alternatives separated by ``|`` (Russian «табл.» next to
«таблица», «чел.» next to «человек»).

Matching is case-insensitive. English terms match as whole words (an optional plural
``s``), with ``{placeholders}`` removed first. Kyrgyz and Russian terms match in any
inflected form: each word of the term is cut to a stem (the last letter dropped in
Kyrgyz, where suffixes are added and a final ``к`` may turn into ``г``; the last two
letters in Russian, where endings change) and must be followed by word letters only.
"""

from __future__ import annotations

import csv
import io
import re
import string
from functools import cache
from importlib.resources import files
from pathlib import Path

import pytest

from flowmap.core.langs import LANGS
from flowmap.core.paths import data_dir
from flowmap.text.i18n import MESSAGES, t

COLUMNS = ["concept", "en", "ky", "ru", "avoid_ky", "avoid_ru"]
TARGETS = ("ky", "ru")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
#: What a reader types as it is, not English prose: an option and its value
#: (``--direction net``) and a file's path (``data/flows.csv``).
_TYPED = re.compile(r"--[\w-]+(?:\s+[\w-]+)?|[\w./-]*\w\.(?:csv|html|png|pdf|svg|json)\b")


def _read(name: str) -> list[dict[str, str]]:
    text = (files("flowmap") / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline=""), strict=True))


@cache
def glossary() -> tuple[dict[str, str], ...]:
    return tuple(_read("glossary.csv"))


@cache
def catalogue() -> tuple[dict[str, str], ...]:
    """Every row of the catalogue, the plural variants included."""
    return tuple(_read("messages.csv"))


def _alternatives(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _stem(word: str, lang: str) -> str:
    cut = 1 if lang == "ky" or len(word) <= 5 else 2
    return word if len(word) <= 3 else word[:-cut]


def term_pattern(term: str, lang: str) -> re.Pattern[str]:
    """A pattern for ``term`` in ``lang``: whole words in English, inflected elsewhere."""
    words = term.split()
    if lang == "en":
        body = r"\s+".join(re.escape(w) for w in words)
        return re.compile(rf"(?<!\w){body}s?(?!\w)", re.IGNORECASE)
    body = r"\s+".join(re.escape(_stem(w, lang)) + r"[\w-]*" for w in words)
    return re.compile(rf"(?<!\w){body}", re.IGNORECASE)


def uses_term(text: str, cell: str, lang: str) -> bool:
    return any(term_pattern(term, lang).search(text) for term in _alternatives(cell))


def english(text: str) -> str:
    return _TYPED.sub(" ", _PLACEHOLDER.sub(" ", text))


def test_the_glossary_ships_next_to_the_catalogue() -> None:
    assert (files("flowmap") / "glossary.csv").is_file()
    text = (files("flowmap") / "glossary.csv").read_text(encoding="utf-8")
    assert next(csv.reader(io.StringIO(text))) == COLUMNS


def test_every_glossary_row_is_complete_and_unique() -> None:
    rows = glossary()
    assert len(rows) >= 15
    concepts = [row["concept"] for row in rows]
    assert len(concepts) == len(set(concepts))
    for row in rows:
        for column in ("concept", "en", "ky", "ru"):
            assert row[column].strip(), (row["concept"], column)
        for lang in TARGETS:
            # A term is never also listed as a variant to avoid.
            for bad in _alternatives(row[f"avoid_{lang}"]):
                for term in _alternatives(row[lang]):
                    assert bad.casefold() not in term.casefold(), (row["concept"], bad)


@pytest.mark.parametrize("lang", TARGETS)
def test_each_concept_uses_the_glossary_term(lang: str) -> None:
    """Wherever the English text uses a concept, the translation uses its glossary term."""
    problems = []
    for concept in glossary():
        pattern = term_pattern(concept["en"], "en")
        for row in catalogue():
            text = row[lang]
            if not text.strip() or not pattern.search(english(row["en"])):
                continue
            if not english(text).strip():
                # Only placeholders ("{name}"): the term is in the value, as in the
                # Kyrgyz and Russian district names («Баткен району», «Баткенский район»).
                continue
            if not uses_term(text, concept[lang], lang):
                problems.append(f"{row['key']}: {concept['concept']!r} is not «{concept[lang]}»")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", TARGETS)
def test_no_text_uses_an_avoided_variant(lang: str) -> None:
    problems = []
    for concept in glossary():
        for bad in _alternatives(concept[f"avoid_{lang}"]):
            for row in catalogue():
                if bad.casefold() in row[lang].casefold():
                    problems.append(f"{row['key']}: «{bad}» ({concept['concept']})")
    assert not problems, "\n".join(problems)


def test_the_checks_catch_an_old_wording() -> None:
    """The checks above are not vacuous: old wordings of the catalogue fail them."""
    by_concept = {row["concept"]: row for row in glossary()}
    tiles = by_concept["online tiles (the online basemap)"]
    assert not uses_term("Онлайн-тайлы (нужен интернет)", tiles["ru"], "ru")
    assert uses_term("Онлайн-подложку не загрузить", tiles["ru"], "ru")
    modelled = by_concept["modelled estimate"]
    assert uses_term("С модельными оценками", modelled["ru"], "ru")
    assert uses_term("Моделдик баалоолор менен", modelled["ky"], "ky")
    assert not uses_term(
        "помечено: опубликовано, вычислено или смоделировано", modelled["ru"], "ru"
    )
    avoided = {
        bad.casefold()
        for row in glossary()
        for lang in TARGETS
        for bad in _alternatives(row[f"avoid_{lang}"])
    }
    old_wordings = (
        "тутумдуу сызык",
        "бозомтук тутумдуу сызык",
        "Легенда",
        "Оффлайн контурлар",
        "Граница Баткена, анклавы и центры",
        "Основание",
        "Ош, Бишкек, Чүй жана башка облустар",
        "по Ошу, Бишкеку, Чуйской и прочим областям",
        "жыныстык бөлүштүрүү",
        "Нарисовано областей: 3",
        # issue 21: the forms a bilingual review found
        "Миграционное сальдо (прибывшие − выбывшие)",
        "вычислено по опубликованным числам",
        "Вычислено: сумма годовых чисел за период.",
        "Статья пишет, что большинство внутренних мигрантов едет в город Ош",
        "(по статье, туда едет большинство, но числа нет)",
        "Лучшие доступные данные о выбывших",
        "доля трудоспособных среди выбывших за рубеж, а не среди населения Баткена",
        "карта с проигрыванием: 11 лет",
        "{where}, {column} мамычасы",
        "92% — Баткендин калкынын эмес",
    )
    for old in old_wordings:
        assert any(bad in old.casefold() for bad in avoided), old
    # The Kyrgyz statistical office's forms: a bare «кеткендер» or «Топ: жалпы» fails.
    assert not uses_term("Кеткендер", by_concept["departures"]["ky"], "ky")
    assert uses_term("Баткен облусунан көчүп кеткендер", by_concept["departures"]["ky"], "ky")
    assert not uses_term("Келгендер", by_concept["arrivals"]["ky"], "ky")
    both = by_concept["both sexes (the total of men and women)"]
    assert not uses_term("жалпы", both["ky"], "ky")
    assert uses_term("Сальдо миграции, 2023", by_concept["net migration"]["ru"], "ru")
    assert term_pattern("oblast", "en").search("Other oblasts")
    assert not term_pattern("net", "en").search("the internet")


def _resolution_texts() -> list[tuple[str, str, str]]:
    """Return (id, language, text) for every title and rule of the resolutions."""
    path = Path(data_dir()) / "article" / "resolutions.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        (row["id"], lang, row[f"{column}_{lang}"])
        for row in rows
        for column in ("title", "rule")
        for lang in TARGETS
    ]


def test_the_resolutions_use_no_avoided_variant() -> None:
    """The resolutions' titles and rules, read in the data check, follow the glossary too."""
    problems = []
    for concept in glossary():
        for res_id, lang, text in _resolution_texts():
            for bad in _alternatives(concept[f"avoid_{lang}"]):
                if bad.casefold() in text.casefold():
                    problems.append(f"{res_id} {lang}: «{bad}» ({concept['concept']})")
    assert not problems, "\n".join(problems)


def test_the_statistical_office_forms() -> None:
    """«Сальдо миграции», «эки жыныс тең», «Данные», «Число человек» (issue 21)."""
    assert t("direction.net", "ru").startswith("Сальдо миграции")
    assert t("sex.total", "ky") == "эки жыныс тең"
    assert t("app.basis", "ru") == "Данные"
    assert t("app.tab.table", "ru") == "Таблица"
    assert t("tip.count", "ru") == t("app.chart.people", "ru") == "Число человек"
    assert t("tip.count", "ky") == "Адамдардын саны"
    assert t("basis.derived", "ru") == "рассчитано по опубликованным данным"
    assert t("app.palette.default", "ky") == "Демейки"
    for key in ("direction.out", "direction.in", "legend.colour.out", "legend.colour.in"):
        assert "көчүп к" in t(key, "ky").casefold(), key


def test_the_solid_line_is_туташ_and_the_pale_line_is_солгун() -> None:
    for key in ("legend.style.reported", "legend.style.derived", "legend.enclave"):
        assert "туташ" in t(key, "ky")
        assert "тутумдуу" not in t(key, "ky")
    assert "солгун" in t("legend.style.derived", "ky")
    assert "бозомтук" not in t("legend.style.derived", "ky")
    assert "тийет" in t("method.gravity-v2", "ky")
    assert not re.search(r"(?<!\w)тиет(?!\w)", t("method.gravity-v2", "ky"))


def test_every_key_has_text_in_every_language() -> None:
    """One test for all the keys (not one each), naming every key and language without text."""
    missing = [
        (key, lang) for key in sorted(MESSAGES) for lang in LANGS if not MESSAGES[key][lang].strip()
    ]
    assert missing == []


def test_russian_plurals_have_every_form() -> None:
    """A message whose Russian is inflected has all of one/few/many (Kyrgyz needs none).

    A Russian text may avoid the inflection instead («Нарисовано территорий: {count}»)
    and leave every variant empty.
    """
    variants = {
        row["key"].partition("#")[0]
        for row in catalogue()
        if "#" in row["key"] and row["ru"].strip()
    }
    texts = {row["key"]: row for row in catalogue()}
    for key in sorted(variants):
        for category in ("one", "few", "many"):
            row = texts.get(f"{key}#{category}")
            assert row is not None, (key, category)
            assert row["ru"].strip(), (key, category)


def test_translations_are_not_left_in_english() -> None:
    """A Kyrgyz or Russian text equal to the English one holds no English words."""
    words = re.compile(r"[A-Za-z]{4,}")
    allowed = {"Natural", "Earth", "GeoNames", "geoBoundaries", "Runfola", "GeoJSON"}
    for key, texts in MESSAGES.items():
        for lang in TARGETS:
            if texts[lang] == texts["en"]:
                found = set(words.findall(english(texts["en"]))) - allowed
                assert not found, (key, lang, found)


def test_placeholders_are_kept() -> None:
    def names(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for row in catalogue():
        if not row["en"].strip():
            continue
        for lang in TARGETS:
            if row[lang].strip():
                assert names(row[lang]) == names(row["en"]), (row["key"], lang)


def _place(place_id: str) -> dict[str, str]:
    path = Path(data_dir()) / "places.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return next(row for row in csv.DictReader(handle) if row["id"] == place_id)


@pytest.mark.parametrize(
    ("place_id", "en_term"),
    [
        ("KG-OTHER", "other oblasts"),
        ("KG-REST", "remaining oblasts"),
    ],
)
def test_the_two_groups_of_oblasts_have_distinct_names(place_id: str, en_term: str) -> None:
    term = next(row for row in glossary() if row["en"] == en_term)
    place = _place(place_id)
    for lang in ("en", *TARGETS):
        assert uses_term(place[f"name_{lang}"], term[lang], lang), (place_id, lang)
    other = _place("KG-OTHER" if place_id == "KG-REST" else "KG-REST")
    for lang in LANGS:
        assert place[f"name_{lang}"] != other[f"name_{lang}"]
