"""``flowmap data check``, ``data show`` and ``data build``: the embedded data (or files in its
schema) as a report, a table and rebuilt files.

``data show`` of a user's own table (any layout) goes to :mod:`flowmap.cli.userdata`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TextIO

import pandas as pd

from flowmap.batken import facts
from flowmap.batken.article import note_text, source_text
from flowmap.batken.build import compute_balances, rendered_tables, write_tables
from flowmap.batken.checks import Finding, Report, report_json, run_checks, summary_text
from flowmap.batken.compare import change_rows
from flowmap.batken.data import load_balances, load_flows, load_places, with_ranges
from flowmap.batken.dataset import MapData
from flowmap.batken.query import (
    default_period,
    select_balances,
    select_flows,
    totals_of,
)
from flowmap.cli.exportview import selection_from
from flowmap.cli.output import table, warn, write_json
from flowmap.cli.userdata import show_user_data, user_files
from flowmap.core._escape import csv_cell, printable, replaced_in
from flowmap.core.budget import CLI
from flowmap.core.errors import FlowmapError
from flowmap.io._csvio import render_rows
from flowmap.text import numbers
from flowmap.text.i18n import MESSAGES, method_text, msg, t
from flowmap.text.period import Period
from flowmap.text.places import place_name, sentence_name
from flowmap.text.ranges import plain_ranges, range_text


def check_data(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``data check``: print the data-quality report (text or JSON); return 0 when it
    finds no unexplained problem, else 1."""
    report = run_checks(args.data_dir)
    if args.format == "json":
        write_json(report_json(report, args.lang), out)
    else:
        print_report(report, out, verbose=args.verbose, lang=args.lang)
    return 0 if report.ok else 1


def print_report(report: Report, out: TextIO, *, verbose: bool = False, lang: str = "en") -> None:
    """Print the data-quality report as text, its headings, titles, rules, values and notes
    in ``lang``."""
    out.write(summary_text("cli.check.summary", report.counts(), lang) + "\n\n")
    check, rule = t("cli.check.check", lang), t("cli.check.rule", lang)

    def named(f: Finding) -> str:
        # The check's id is for developers: English shows it, Kyrgyz and Russian say
        # what the check is in the message itself.
        return f"{f.check}: " if lang == "en" else ""

    if report.contradictions:
        out.write(t("cli.check.contradictions", lang) + "\n")
        for c in report.contradictions:
            out.write(f"\n{c.id}. {c.title.text(lang)}\n")
            for f in c.findings:
                head = f"{check} {f.check}" if lang == "en" else check
                out.write(f"  {head}: {f.text(lang)}\n")
            out.write(f"  {rule}: {c.rule.text(lang)}\n")
            if c.values:
                out.write(f"  {t('cli.check.values', lang)}:\n")
                for v in c.values:
                    out.write(f"    - {v.text(lang)}\n")
    if report.failures:
        out.write("\n" + t("cli.check.failed", lang) + "\n")
        for f in report.failures:
            out.write(f"  {named(f)}{f.text(lang)}\n")
    if report.notes:
        out.write("\n" + t("app.quality.notes", lang) + "\n")
        for note in report.notes:
            out.write(f"  - {note.text(lang)}\n")
    if verbose:
        out.write("\n" + t("cli.check.all", lang) + "\n")
        tags = {True: t("cli.check.tag.ok", lang), False: t("cli.check.tag.fail", lang)}
        for f in report.findings:
            out.write(f"  [{tags[f.ok]}] {named(f)}{f.text(lang)}\n")
    result = t("cli.check.result.ok" if report.ok else "cli.check.result.failed", lang)
    out.write("\n" + result + "\n")


def _words(lang: str) -> Callable[[str, str], str]:
    """Return ``word(group, code)``: the catalogue's ``group.code`` in ``lang`` (the code
    itself in English, or when the catalogue has no such key)."""

    def word(group: str, code: str) -> str:
        key = f"{group}.{code}"
        return t(key, lang) if lang != "en" and key in MESSAGES else code

    return word


def _named(places: pd.DataFrame, place_id: str, lang: str) -> str:
    """Return a place for a table cell: ``"ID name"`` in English (the id is what
    ``--dest`` takes), the name alone in Kyrgyz and Russian."""
    name = place_name(places, place_id, lang)
    return f"{place_id} {name}" if lang == "en" else name


def _total_line(row: Mapping[str, object], places: pd.DataFrame, basis: str, lang: str) -> str:
    """Return the line ``data show`` prints under its table for a total whose parts are
    rows of the table (``row["total_of"]``: their ids): what, where, when, how many and
    which rows it is the total of, in ``lang``."""
    net = "net" in row
    place = str(
        row["counterpart"] if net else row["destination" if row["direction"] == "out" else "origin"]
    )
    parts = ", ".join(sentence_name(places, p, lang) for p in str(row["total_of"]).split("; "))
    value = int(str(row["net" if net else "count"]))
    return t(
        "cli.show.total",
        lang,
        what=", ".join(
            [t(f"player.dir.{'net' if net else row['direction']}", lang)]
            + ([t(f"sex.{row['sex']}", lang)] if row["sex"] != "total" else [])
            + ([t(f"age.{row['age']}", lang)] if row["age"] != "all" else [])
        ),
        place=place_name(places, place, lang),
        period=Period.parse(str(row["period"])).label(),
        count=numbers.signed(value, lang),
        basis=basis,
        parts=parts,
    )


def _readable_texts(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return ``frame`` with its ``method`` and ``note`` texts in ``lang`` (as the table's
    footnotes say them), for ``--format csv|json``."""
    texts = {"note": [note_text(str(n or ""), lang) for n in frame["note"]]}
    if "method" in frame.columns:
        texts["method"] = [method_text(str(m or ""), lang) for m in frame["method"]]
    return frame.assign(**texts)


def show_data(args: argparse.Namespace, out: TextIO) -> int:
    """Print the selected flows or balances in the requested format."""
    if user_files(args):
        return show_user_data(args, out)
    if getattr(args, "compare", None):
        return show_change(args, out)
    places = load_places(args.places, budget=CLI)
    selection = selection_from(args, places)
    flows = load_flows(args.flows, places, budget=CLI)
    if args.flows and args.year is None and args.period is None:
        # Your own flows file: its default period (2014-2023 if it has it, else its
        # longest span or latest year), as its map would show.
        ends = flows[
            (flows["origin"] == selection.focus) | (flows["destination"] == selection.focus)
        ]
        chosen = default_period(Period.parse(str(p)) for p in ends["period"].unique())
        selection = replace(selection, period=chosen)
    if selection.direction == "net":
        balances = compute_balances(flows, selection.focus) if args.flows else load_balances()
        frame = select_balances(balances, selection)
        columns = ["period", "place", "counterpart", "sex", "age", "arrivals", "departures"]
        columns += ["net", "low", "high", "basis", "source_ref", "note"]
    else:
        frame = select_flows(flows, selection)
        columns = ["direction", "period", "origin", "destination", "sex", "age", "count"]
        columns += ["low", "high", "basis", "source_ref", "method", "note"]
    # A total listed beside its own parts (other oblasts beside Osh, Bishkek, Chüy and the
    # rest) says so on its face: its total_of names the rows it is the total of.
    parts = totals_of(frame, places)
    frame = plain_ranges(with_ranges(frame)).assign(total_of=["; ".join(p) for p in parts])
    columns += ["total_of"]
    frame = frame[columns]
    if replaced_in(flows, places):
        warn(msg("note.replaced"), args.lang)
    if args.lang != "en":
        # The codes stay codes for scripts; the method and the note are text for readers.
        frame = _readable_texts(frame, args.lang)
    if args.format == "csv":
        records = [{k: csv_cell(v) for k, v in row.items()} for row in frame.to_dict("records")]
        out.write(render_rows(columns, records))
        return 0
    if args.format == "json":
        write_json(frame.to_dict(orient="records"), out)
        return 0
    lang = args.lang
    if frame.empty:
        out.write(t("cli.show.none", lang) + "\n")
        return 0
    # English keeps the data's own codes (out, total, reported), which scripts may read;
    # Kyrgyz and Russian show the catalogue's words for them.
    word = _words(lang)

    def source(refs: str) -> str:
        return refs if lang == "en" else source_text(refs, lang)

    def when(period: object) -> str:
        return str(period) if lang == "en" else Period.parse(str(period)).label()

    methods: dict[str, int] = {}
    rows = []
    totals: list[str] = []
    for row in frame.to_dict(orient="records"):
        basis = word("basis", str(row["basis"]))
        method = str(row.get("method", "") or "")
        if method:
            basis += f" [{methods.setdefault(method, len(methods) + 1)}]"
        if row["total_of"]:
            # Not a row: a line under the table, so the count column adds up.
            totals.append(_total_line(row, places, basis, lang))
            continue
        if "origin" in row:
            ends = [
                _named(places, str(row["origin"]), lang),
                _named(places, str(row["destination"]), lang),
            ]
            rows.append(
                [
                    word("player.dir", str(row["direction"])),
                    when(row["period"]),
                    *ends,
                    word("sex", str(row["sex"])),
                    word("age", str(row["age"])),
                    int(row["count"]),
                    range_text(row["low"], row["high"], lang),
                    basis,
                    source(str(row["source_ref"])),
                ]
            )
        else:
            rows.append(
                [
                    when(row["period"]),
                    _named(places, str(row["place"]), lang),
                    _named(places, str(row["counterpart"]), lang),
                    word("sex", str(row["sex"])),
                    word("age", str(row["age"])),
                    int(row["arrivals"]),
                    int(row["departures"]),
                    int(row["net"]),
                    range_text(row["low"], row["high"], lang),
                    basis,
                    source(str(row["source_ref"])),
                ]
            )
    if "origin" in frame.columns:
        header = ["dir", "period", "from", "to", "sex", "age", "count", "range", "basis"]
        header += ["source"]
    else:
        header = ["period", "place", "counterpart", "sex", "age", "arrivals", "departures"]
        header += ["net", "range", "basis", "source"]
    header = [t(f"cli.show.{h}", lang) for h in header]
    out.write(table(header, rows, lang) + "\n")
    for line in totals:
        out.write(printable(line) + "\n")
    for method, number in methods.items():
        text = method if lang == "en" else method_text(method, lang)
        out.write(f"[{number}] {printable(text)}\n")
    notes = sorted({str(n) for n in frame["note"] if n and "resolution" in str(n)})
    for note in notes:
        out.write(f"{t('cli.show.note', lang)}: {printable(note_text(note, lang))}\n")
    return 0


def show_change(args: argparse.Namespace, out: TextIO) -> int:
    """Print the change of the selected flows from one period to another
    (:func:`flowmap.batken.compare.change_rows`): the rows the map of change draws, with
    both figures, the change and its basis, and the unchanged pairs it counts."""
    if args.year is not None or args.period is not None:
        raise FlowmapError(msg("compare.period"))
    data = MapData.load(args.flows, args.places, focus=(args.focus or facts.FOCUS).upper())
    asked = selection_from(args, data.places)
    frame = change_rows(data, asked, args.compare[0], args.compare[1])
    lang = args.lang
    if args.format in ("csv", "json"):
        records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        if args.format == "json":
            write_json(records, out)
            return 0
        cells = [{k: csv_cell("" if v is None else v) for k, v in r.items()} for r in records]
        out.write(render_rows(list(frame.columns), cells))
        return 0
    word = _words(lang)
    first, second = (Period.parse(str(frame[c].iloc[0])).label() for c in ("first", "second"))

    def figure(value: object) -> object:
        return "—" if value is None or pd.isna(value) else int(str(value))

    def signed(value: object) -> str:
        return (
            "—"
            if value is None or pd.isna(value)
            else numbers.signed(int(str(value)), lang, plus=True)
        )

    rows = [
        [
            word("player.dir", str(row["direction"])),
            _named(data.places, str(row["origin"]), lang),
            _named(data.places, str(row["destination"]), lang),
            figure(row["before"]),
            figure(row["after"]),
            signed(row["change"]),
            word("basis", str(row["basis"])),
        ]
        for row in frame.to_dict(orient="records")
    ]
    header = [t(f"cli.show.{h}", lang) for h in ("dir", "from", "to")]
    header += [first, second, t("cli.show.change", lang), t("cli.show.basis", lang)]
    out.write(table(header, rows, lang) + "\n")
    out.write(printable(t("cli.show.change_note", lang, first=first, second=second)) + "\n")
    return 0


def build_data(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``data build``: rewrite data/flows.csv and data/balances.csv from the
    transcription (with ``--check``, only say whether they are up to date: 1 when not)."""
    if args.check:
        stale = [
            p.name
            for p, text in rendered_tables().items()
            if not p.exists() or p.read_text(encoding="utf-8") != text
        ]
        files = ", ".join(stale)
        key = "cli.build.out_of_date" if stale else "cli.build.up_to_date"
        out.write(t(key, args.lang, files=files) + "\n")
        return 1 if stale else 0
    changed = write_tables()
    files = ", ".join(p.name for p in changed)
    key = "cli.build.rewrote" if changed else "cli.build.up_to_date"
    out.write(t(key, args.lang, files=files) + "\n")
    return 0
