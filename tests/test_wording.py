"""Issue 21: every number a reader sees goes through the one formatter (the resolutions'
texts included), ``data show --format csv|json`` speaks the reader's language, and a group
of places is named in sentence form inside a sentence."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from flowmap.batken.article import load_article, resolution_text
from flowmap.batken.data import load_places
from flowmap.cli.commands import main
from flowmap.core.errors import DataValidationError
from flowmap.core.paths import data_dir
from flowmap.text.numbers import MINUS, count, percent, whole, whole_percent
from flowmap.text.places import sentence_name

NBSP = "\u00a0"
#: A number of four or more digits written without the language's grouping.
UNGROUPED = re.compile(r"(?<![\w.,-])\d{4,}(?![\w-])")


def _years_removed(text: str) -> str:
    """Return ``text`` without the years 2000–2099 (a year is never grouped)."""
    return re.sub(r"(?<!\d)20\d\d(?!\d)", " ", text)


@pytest.mark.parametrize("lang", ["en", "ky", "ru"])
def test_resolution_numbers_are_written_by_the_formatter(lang: str) -> None:
    article = load_article()
    texts = [
        resolution_text(res, column, lang)
        for res in article.resolutions.itertuples()
        for column in ("title", "rule")
    ]
    joined = "\n".join(texts)
    if lang == "en":
        assert "1,578" in joined
        assert f"{MINUS}1,017" in joined
        assert "92.1%" in joined
        return
    for text in texts:
        assert not UNGROUPED.findall(_years_removed(text)), text
        assert "-1017" not in text
        assert "1578" not in text
    assert f"{MINUS}1{NBSP}017 = 561 − 1{NBSP}578" in joined
    assert f"1{NBSP}650, 1{NBSP}519" in joined
    assert ("92,1" + (f"{NBSP}%" if lang == "ru" else "%")) in joined
    if lang == "ky":
        # A suffix after a number takes a hyphen.
        assert "«Жалпы калктын 92%-ы»" in joined
        assert "Баткен облусунун калкынын" in joined
    else:
        assert "населения Баткенской области" in joined


def test_a_resolution_naming_a_number_it_does_not_give_is_refused(tmp_path: Path) -> None:
    base = tmp_path / "article"
    base.mkdir()
    source = data_dir() / "article"
    for name in ("figures.csv", "references.csv"):
        (base / name).write_text((source / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "sources.csv").write_text(
        (data_dir() / "sources.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    text = (source / "resolutions.csv").read_text(encoding="utf-8")
    text = text.replace("keep=561;", "keep=five hundred;").replace("{dep13}", "{missing}", 1)
    (base / "resolutions.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        load_article(base)
    problems = "\n".join(caught.value.problems)
    assert "keep='five hundred' is not a number" in problems
    assert "{missing} is not in the column 'numbers'" in problems


def _show(*argv: str) -> str:
    out = io.StringIO()
    assert main(["data", "show", *argv], out) == 0
    return out.getvalue()


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_data_show_csv_and_json_give_method_and_note_in_the_language(lang: str) -> None:
    selection = ("--period", "2014-2023", "--dest", "KG-GO", "--direction", "out")
    english = json.loads(_show(*selection, "--format", "json", "--lang", "en"))
    rows = json.loads(_show(*selection, "--format", "json", "--lang", lang))
    assert english[0]["method"].startswith("gravity-v2")
    assert rows[0]["method"]
    assert not re.search(r"[A-Za-z]{4,}", rows[0]["method"])
    assert rows[0]["note"]
    assert not re.search(r"[A-Za-z]{4,}", rows[0]["note"])
    # The codes stay codes, for scripts.
    assert rows[0]["basis"] == "modelled"
    assert rows[0]["destination"] == "KG-GO"
    csv_text = _show(*selection, "--format", "csv", "--lang", lang)
    assert rows[0]["method"].split(",")[0] in csv_text
    assert "gravity-v2" not in csv_text


def test_groups_take_a_small_letter_inside_a_sentence() -> None:
    places = load_places()
    assert sentence_name(places, "KG-REST", "ru") == "остальные области"
    assert sentence_name(places, "ABROAD", "ru") == "зарубежье"
    assert sentence_name(places, "KG-OTHER", "ru") == "другие области Кыргызстана"
    assert sentence_name(places, "KG-REST", "ky") == "калган облустар"
    # A group named after a place keeps that place's capital; a place keeps its own.
    assert sentence_name(places, "KG-OTHER", "ky") == "Кыргызстандын башка облустары"
    assert sentence_name(places, "KG-GO", "ru") == "город Ош"
    assert sentence_name(places, "RU", "ru") == "Россия"


@pytest.mark.parametrize("lang", ["en", "ky", "ru"])
def test_the_help_numbers_are_what_the_formatter_writes(lang: str) -> None:
    """``--help`` writes its numbers without Babel, exactly as the one formatter does."""
    for n in (0, 7, 999, 1000, 5_000, 20_000, 600_000, 1_048_576, 10_000_000, -1017):
        assert whole(n, lang) == count(n, lang), n
    for n in (5, 50, 100):
        assert whole_percent(n, lang) == percent(n / 100, lang), n
