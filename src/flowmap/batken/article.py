"""The faithful transcription of the source article and the documented resolutions.

``data/article/figures.csv`` holds every figure exactly as printed (including the ones we
do not ship, such as Table 1's 261 for 2021), each with the table or paragraph it comes
from (``data/article/references.csv``). ``data/article/resolutions.csv`` records each
contradiction, the checks it explains, the rule used and what it does to the figures
(``exclude`` one, ``relabel`` its period, or ``none``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Any

import pandas as pd

from flowmap.batken.data import load_table
from flowmap.core.errors import DataValidationError, FlowmapError
from flowmap.core.paths import data_dir
from flowmap.text import numbers
from flowmap.text.i18n import t
from flowmap.text.period import Period

FIGURE_COLUMNS = (
    "fig_id",
    "ref",
    "period",
    "place",
    "counterpart",
    "measure",
    "sex",
    "age",
    "value",
    "unit",
    "locator",
)
REFERENCE_COLUMNS = (
    "ref",
    "source_id",
    "label",
    "label_ky",
    "label_ru",
    "locator",
    "period_printed",
    "describes",
    "excerpt",
)
RESOLUTION_COLUMNS = (
    "id",
    "title",
    "title_ky",
    "title_ru",
    "checks",
    "figures",
    "action",
    "new_period",
    "numbers",
    "rule",
    "rule_ky",
    "rule_ru",
)
ACTIONS = ("exclude", "relabel", "none", "note")
#: The columns of ``resolutions.csv`` written for readers, with ``{name}`` places for the
#: numbers of its ``numbers`` column.
TEXT_COLUMNS = ("title", "title_ky", "title_ru", "rule", "rule_ky", "rule_ru")
#: A number of the ``numbers`` column: a whole number (``-1017``), a decimal, or a share
#: in per cent (``92.1%``).
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?%?")
FLOW_MEASURES = ("arrivals", "departures")


@dataclass(frozen=True)
class Article:
    """The transcribed figures of one article with its references and resolutions."""

    figures: pd.DataFrame
    references: pd.DataFrame
    resolutions: pd.DataFrame
    sources: pd.DataFrame


def split_list(text: str) -> list[str]:
    """Return the items of a ``;``-separated cell, without blanks."""
    return [item.strip() for item in str(text).split(";") if item.strip()]


def load_article(folder: Path | str | None = None) -> Article:
    """Return the transcription in ``folder`` (``data/article`` by default), checked.

    Raises
    ------
    DataValidationError
        If ids repeat, a figure cites an unknown reference, a value is not a number, or a
        resolution names an unknown figure or action.
    """
    base = Path(folder) if folder is not None else data_dir() / "article"
    sources = load_table("sources.csv", ("source_id", "citation"), base.parent / "sources.csv")
    references = load_table("references.csv", REFERENCE_COLUMNS, base / "references.csv")
    figures = load_table("figures.csv", FIGURE_COLUMNS, base / "figures.csv")
    resolutions = load_table("resolutions.csv", RESOLUTION_COLUMNS, base / "resolutions.csv")
    problems: list[str] = []

    def unique(frame: pd.DataFrame, column: str, name: str) -> None:
        for value, count in frame[column].value_counts().items():
            if count > 1:
                problems.append(f"{name}: {column} {value!r} appears {count} times")

    unique(references, "ref", "references.csv")
    unique(figures, "fig_id", "figures.csv")
    unique(resolutions, "id", "resolutions.csv")
    known_sources = set(sources["source_id"])
    for row in references.itertuples():
        for column in ("label", "label_ky", "label_ru"):
            if not getattr(row, column):
                problems.append(
                    f"references.csv line {row.line}, column {column!r}: must not be empty"
                )
        if row.source_id not in known_sources:
            problems.append(
                f"references.csv line {row.line}, column 'source_id': unknown source "
                f"{row.source_id!r}"
            )
    known_refs = set(references["ref"])
    for row in figures.itertuples():
        where = f"figures.csv line {row.line}"
        if row.ref not in known_refs:
            problems.append(f"{where}, column 'ref': unknown reference {row.ref!r}")
        try:
            Period.parse(row.period)
        except FlowmapError as exc:
            problems.append(f"{where}, column 'period': {exc}")
        try:
            float(row.value)
        except ValueError:
            problems.append(f"{where}, column 'value': must be a number, got {row.value!r}")
    known_figures = set(figures["fig_id"])
    for row in resolutions.itertuples():
        where = f"resolutions.csv line {row.line}"
        for column in TEXT_COLUMNS:
            if not getattr(row, column):
                problems.append(f"{where}, column {column!r}: must not be empty")
        problems += [f"{where}: {problem}" for problem in _number_problems(row)]
        if row.action not in ACTIONS:
            problems.append(
                f"{where}, column 'action': must be one of {ACTIONS}, got {row.action!r}"
            )
        for fig in split_list(row.figures):
            if fig not in known_figures:
                problems.append(f"{where}, column 'figures': unknown figure {fig!r}")
        if row.action == "relabel":
            try:
                Period.parse(row.new_period)
            except FlowmapError as exc:
                problems.append(f"{where}, column 'new_period': {exc}")
    if problems:
        raise DataValidationError(str(base), problems)
    return Article(
        figures=figures.set_index("fig_id", drop=False),
        references=references.set_index("ref", drop=False),
        resolutions=resolutions.set_index("id", drop=False),
        sources=sources.set_index("source_id", drop=False),
    )


def _numbers(cell: str) -> dict[str, str]:
    """Return a ``numbers`` cell (``keep=561;net=-1017;share=92.1%``) as names and values."""
    pairs = (item.partition("=") for item in split_list(cell))
    return {name.strip(): value.strip() for name, _, value in pairs}


def _number_problems(row: Any) -> list[str]:
    """Return what is wrong with a resolution's numbers: a value that is not a number, a
    ``{name}`` in a text that the ``numbers`` cell does not give."""
    problems = []
    values = _numbers(row.numbers)
    for name, value in values.items():
        if not _NUMBER.fullmatch(value):
            problems.append(f"column 'numbers': {name}={value!r} is not a number")
    for column in TEXT_COLUMNS:
        for _, field, _, _ in Formatter().parse(str(getattr(row, column))):
            if field is not None and field not in values:
                problems.append(f"column {column!r}: {{{field}}} is not in the column 'numbers'")
    return problems


def _formatted(value: str, lang: str) -> str:
    """Return one number of a resolution as ``lang`` writes it: ``-1017`` as ``−1 017``,
    ``92.1%`` as ``92,1 %`` (Russian)."""
    if value.endswith("%"):
        digits = value[:-1].partition(".")[2]
        return numbers.percent(Decimal(value[:-1]) / 100, lang, len(digits))
    return numbers.numeral(value, lang)


def resolution_text(resolution: Any, column: str, lang: str = "en") -> str:
    """Return a resolution's ``title`` or ``rule`` in ``lang``, its numbers written by
    :mod:`flowmap.text.numbers` (``1 578``, ``−1 017``, ``92,1 %`` in Kyrgyz and Russian)."""
    text = str(getattr(resolution, column if lang == "en" else f"{column}_{lang}"))
    values = {name: _formatted(v, lang) for name, v in _numbers(resolution.numbers).items()}
    return text.format_map(values)


def resolved_figures(article: Article) -> pd.DataFrame:
    """Return the figures after applying the resolutions.

    Excluded figures are dropped; relabelled ones get their new period. The column
    ``resolution`` names the resolution that changed a figure (empty otherwise).
    """
    figures = article.figures.copy()
    figures["resolution"] = ""
    figures["printed_period"] = figures["period"]
    keep = pd.Series(True, index=figures.index)
    for res in article.resolutions.itertuples():
        for fig in split_list(res.figures):
            if res.action == "exclude":
                keep[fig] = False
                figures.loc[fig, "resolution"] = res.id
            elif res.action == "relabel":
                figures.loc[fig, "period"] = str(Period.parse(res.new_period))
                figures.loc[fig, "resolution"] = res.id
    return figures[keep]


# --------------------------------------------------------------------------- shown to readers


@cache
def reference_labels() -> Mapping[str, Mapping[str, str]]:
    """Return each reference's label per language (``T1`` -> ``{"en": "Table 1", "ky":
    "1-таблица", "ru": "табл. 1"}``), from the embedded ``references.csv``."""
    path = data_dir() / "article" / "references.csv"
    table = load_table("references.csv", REFERENCE_COLUMNS, path)
    return {
        str(row.ref): {"en": str(row.label), "ky": str(row.label_ky), "ru": str(row.label_ru)}
        for row in table.itertuples()
    }


def source_text(refs: str, lang: str = "en") -> str:
    """Return a ``source_ref`` cell (``"T1; T2"``) as readers of ``lang`` name the tables and
    paragraphs (``"табл. 1; табл. 2"``). A reference the article does not have (a user's own
    source) is shown as it is."""
    labels = reference_labels()
    return "; ".join(labels[r][lang] if r in labels else r for r in split_list(refs))


#: The notes ``flowmap.batken.build`` writes, as patterns, and the catalogue key of each.
_NOTES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"(?P<ref>\S+) prints (?P<value>-?\d+) \(not shipped; resolution (?P<id>\w+)\)"),
        "note.row.not_shipped",
    ),
    (
        re.compile(r"(?P<ref>\S+) prints this under (?P<period>\S+) \(resolution (?P<id>\w+)\)"),
        "note.row.printed_under",
    ),
    (
        re.compile(
            r"(?P<share>\d+(?:\.\d+)?)% of the (?P<basis>reported|derived) (?P<total>\d+) "
            r"(?P<what>departures to other oblasts|arrivals from other oblasts|departures abroad)"
        ),
        "note.row.share",
    ),
    (re.compile("arrivals − departures"), "note.row.net"),
    # A net row of flowmap.batken.query.net_as_flows: its sum, numbers in the language's format.
    (
        re.compile(r"(?P<arrivals>-?\d+) − (?P<departures>-?\d+) = (?P<net>-?\d+)"),
        "note.row.sum",
    ),
)
#: "; " between notes, not inside a note's parentheses.
_NOTE_SEPARATOR = re.compile(r"; (?![^()]*\))")
_WHAT = {
    "departures to other oblasts": "note.row.out_internal",
    "arrivals from other oblasts": "note.row.in_internal",
    "departures abroad": "note.row.out_abroad",
}


def note_text(note: str, lang: str = "en") -> str:
    """Return a ``note`` cell of the embedded tables in ``lang``.

    The notes :mod:`flowmap.batken.build` writes (a share of a reported total, a figure printed
    under another year, a figure not shipped, a net as arrivals − departures, a net row's
    sum ``1607 − 1017 = 590``) are
    written through the catalogue, their references named as readers name them ("Table 1",
    not ``T1``, in English too) and their numbers in the language's format; any other note
    (a user's own) is shown as it is.
    Several notes in one cell are separated by ``"; "``.
    """
    if not note:
        return note
    parts = []
    for part in _NOTE_SEPARATOR.split(note):
        for pattern, key in _NOTES:
            match = pattern.fullmatch(part)
            if match is None:
                continue
            found = match.groupdict()
            values: dict[str, object] = {}
            for name in ("arrivals", "departures", "net"):
                if name in found:
                    values[name] = numbers.numeral(found[name], lang)
            if "ref" in found:
                values["ref"] = source_text(found["ref"], lang)
                values["id"] = found["id"]
            if "value" in found:
                values["value"] = numbers.numeral(found["value"], lang)
            if "period" in found:
                values["period"] = numbers.period(str(Period.parse(found["period"])), lang)
            if "share" in found:
                values["share"] = numbers.percent(float(found["share"]) / 100, lang, 1)
                values["basis"] = t(f"note.row.basis.{found['basis']}", lang)
                values["total"] = numbers.count(int(found["total"]), lang)
                values["what"] = t(_WHAT[found["what"]], lang)
            part = t(key, lang, **values)
            break
        parts.append(part)
    return "; ".join(parts)
