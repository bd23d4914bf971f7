"""Provenance as readers see it: references by their labels, notes and methods of the embedded
tables in every language, and messages that carry their key for a later language (issue 11)."""

from __future__ import annotations

import csv
import pickle
import re

import pytest

from flowmap.batken.article import load_article, note_text, reference_labels, source_text
from flowmap.core.errors import DataValidationError, FlowmapError
from flowmap.core.paths import data_dir
from flowmap.text.i18n import Count, error_text, localise, method_text, msg

#: A run of four or more Latin letters: English (or a code) in a Kyrgyz or Russian text.
LATIN_RUN = re.compile(r"[A-Za-z]{4,}")


def _cells(name: str, column: str) -> list[str]:
    with (data_dir() / name).open(encoding="utf-8") as f:
        return sorted({row[column] for row in csv.DictReader(f) if row[column]})


def test_every_reference_has_a_label_in_every_language() -> None:
    refs = set(load_article().references["ref"])
    labels = reference_labels()
    assert set(labels) == refs
    for ref, by_lang in labels.items():
        assert all(by_lang[lang] for lang in ("en", "ky", "ru")), ref
        assert not LATIN_RUN.search(by_lang["ky"] + by_lang["ru"]), ref


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Table 1; Table 2"),
        ("ky", "1-таблица; 2-таблица"),
        ("ru", "табл. 1; табл. 2"),
    ],
)
def test_source_text_names_tables_as_readers_do(lang: str, expected: str) -> None:
    assert source_text("T1; T2", lang) == expected


def test_source_text_keeps_a_users_own_source() -> None:
    assert source_text("Rosstat 2024; T1", "ru") == "Rosstat 2024; табл. 1"


@pytest.mark.parametrize("lang", ["ky", "ru"])
@pytest.mark.parametrize(("table", "column"), [("flows.csv", "note"), ("balances.csv", "note")])
def test_every_shipped_note_is_translated(table: str, column: str, lang: str) -> None:
    notes = _cells(table, column)
    assert notes, f"{table} has no notes to check"
    for note in notes:
        shown = note_text(note, lang)
        assert shown != note, note
        assert not LATIN_RUN.search(shown), (note, shown)


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_every_shipped_method_is_translated(lang: str) -> None:
    for method in _cells("flows.csv", "method"):
        shown = method_text(method, lang)
        assert not LATIN_RUN.search(shown), (method, shown)


def test_note_numbers_and_references_follow_the_language() -> None:
    note = "22.2% of the derived 15186 departures to other oblasts"
    assert note_text(note, "en") == "22.2% of the derived 15,186 departures to other oblasts"
    assert note_text(note, "ru") == (
        "22,2\u00a0% от рассчитанного итога 15\u00a0186 (выбывшие в другие области)"
    )
    two = (
        "T1 prints 261 (not shipped; resolution C1); "
        "P-INT-2018 prints this under 2018 (resolution C2)"
    )
    shown = note_text(two, "ru").split("); ", 1)
    assert shown[0] == "табл. 1: напечатано 261 (не используется; решение C1"
    assert "2018\u00a0г." in shown[1]


def test_a_users_note_is_shown_as_it_is() -> None:
    assert note_text("estimated by the ministry", "ru") == "estimated by the ministry"


def test_a_message_is_english_text_that_renders_in_another_language() -> None:
    message = msg(
        "note.row.share",
        share="5%",
        basis=msg("note.row.basis.reported"),
        total=Count(1751),
        what=msg("note.row.out_abroad"),
    )
    assert message == "5% of the reported 1,751 departures abroad"
    assert message.text("ru") == "5% от опубликованного итога 1\u00a0751 (выбывшие за рубеж)"
    assert localise(message, "ky").startswith(
        "чет өлкөгө көчүп кеткендер боюнча жарыяланган жалпы сандын (1\u00a0751"
    )
    assert localise("user text", "ru") == "user text"
    copied = pickle.loads(pickle.dumps(message))
    assert copied.text("ru") == message.text("ru")


@pytest.mark.parametrize(
    ("total", "head"),
    [
        (1, "f.csv: 1 проблема:"),
        (3, "f.csv: 3 проблемы:"),
        (5, "f.csv: 5 проблем:"),
        (21, "f.csv: 21 проблема:"),
    ],
)
def test_error_text_translates_the_header_and_the_messages(total: int, head: str) -> None:
    exc = DataValidationError("f.csv", [msg("note.row.net"), "row 3: 'x'"], total=total)
    lines = error_text(exc, "ru").splitlines()
    assert lines == [head, "  - прибывшие − выбывшие", "  - row 3: 'x'"]
    assert str(exc).startswith(f"f.csv: {total} problem")


def test_error_text_of_a_plain_error_is_its_text() -> None:
    assert (
        error_text(FlowmapError(msg("note.row.net")), "ky") == "көчүп келгендер − көчүп кеткендер"
    )
    assert error_text(FlowmapError("plain"), "ky") == "plain"
