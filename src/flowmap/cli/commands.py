"""The ``flowmap`` command line: ``flowmap data check|show|build`` (and ``flowmap export``).

It calls the same library functions as the Streamlit app. Expected failures (bad input,
bad options) print one clear message to stderr and exit with status 2; a data check that
finds an unexplained problem exits with status 1.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

import pandas as pd

from flowmap import __version__
from flowmap.batken.article import note_text, source_text
from flowmap.batken.build import compute_balances
from flowmap.batken.checks import Finding, Report, report_json, run_checks, summary_text
from flowmap.batken.data import (
    SCHEMA_PLACES,
    SCHEMA_ROWS,
    load_balances,
    load_flows,
    load_places,
    with_ranges,
)
from flowmap.batken.query import (
    AGE_FILTERS,
    BASIS_FILTERS,
    DEFAULT_PERIOD,
    DIRECTIONS,
    SEX_FILTERS,
    Selection,
    default_period,
    drawable_flows,
    parse_dest,
    period_from,
    select_balances,
    select_flows,
    totals_of,
)
from flowmap.core._escape import csv_cell, printable, replaced_in, visible_tree
from flowmap.core.budget import CLI, Budget
from flowmap.core.errors import FlowmapError
from flowmap.core.langs import LANGS
from flowmap.io._csvio import render_rows
from flowmap.io._files import LARGE_FILE_BYTES, check_target, write_text
from flowmap.render.layer import PALETTES
from flowmap.text import numbers
from flowmap.text.i18n import MESSAGES, Message, error_text, localise, method_text, msg, t
from flowmap.text.period import Period
from flowmap.text.places import place_name
from flowmap.text.ranges import plain_ranges, range_text

if TYPE_CHECKING:
    import folium

    from flowmap.batken.dataset import MapData


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options that choose what to show: shared by ``data show`` and ``export``."""
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--year", help="a single year, e.g. 2022")
    when.add_argument(
        "--period",
        help="a year or a span of years, e.g. 2014-2023 (default: 2014-2023, the app's "
        "default view; data show also takes 'all': every period, one table)",
    )
    parser.add_argument(
        "--dest",
        help="comma-separated place ids of the other end, e.g. RU,KG-GB (default: all)",
    )
    parser.add_argument(
        "--direction",
        choices=DIRECTIONS,
        help="out: departures, in: arrivals, net: arrivals − departures, all: out and in "
        "(default: out; all for your own flows, where out and in need --focus)",
    )
    parser.add_argument(
        "--sex",
        choices=SEX_FILTERS,
        default=Selection.sex,
        help="total (default), male, female; any: all three (data show only)",
    )
    parser.add_argument(
        "--age",
        choices=AGE_FILTERS,
        default=Selection.age,
        help="all: all ages (default), working: working age; any: both (data show only)",
    )
    parser.add_argument(
        "--focus",
        help="the place whose departures and arrivals are shown (default KG-B, Batken; "
        "for your own flows: none, every flow is drawn, or comma-separated place ids)",
    )
    parser.add_argument(
        "--basis",
        choices=BASIS_FILTERS,
        default="all",
        help="reported: printed figures and arithmetic on them only; all: with modelled estimates",
    )


def file_limits(budget: Budget = CLI) -> str:
    """Return what an input table may hold, for ``--help``: "at most 200 MB of text,
    2,000,000 rows, …" (see :class:`flowmap.core.budget.Budget`)."""
    return (
        f"at most {budget.bytes // 2**20:,} MB of text, {budget.rows:,} rows, "
        f"{budget.columns:,} columns, {budget.cells:,} cells and lines of {budget.line:,} "
        f"characters; {SCHEMA_ROWS:,} rows in the data set's own schema, "
        f"{SCHEMA_PLACES:,} places"
    )


def selection_from(args: argparse.Namespace, places: pd.DataFrame) -> Selection:
    """Return the :class:`Selection` described by parsed command-line options."""
    chosen = args.focus or "KG-B"
    try:
        focus = parse_dest(chosen, places)
    except FlowmapError:
        known = ", ".join(map(str, places.index[:30]))
        raise FlowmapError(
            msg("cli.err.focus_unknown", value=repr(chosen[:40]), known=known)
        ) from None
    if len(focus) != 1:
        raise FlowmapError(msg("cli.err.focus_one", value=repr(chosen)))
    every = args.year is None and str(args.period).strip().lower() == "all"
    if every and getattr(args, "command", "") != "data":
        raise FlowmapError(msg("cli.err.period_all"))
    return Selection(
        period=None if every else period_from(args.year, args.period) or DEFAULT_PERIOD,
        dest=parse_dest(args.dest, places) if args.dest else (),
        direction=args.direction or "out",
        sex=args.sex,
        age=args.age,
        basis=args.basis,
        focus=focus[0],
    )


#: The environment variables that name the user's language, in POSIX order of precedence.
LOCALE_VARIABLES: tuple[str, ...] = ("LC_ALL", "LC_MESSAGES", "LANG")


def default_lang(environ: Mapping[str, str] | None = None) -> str:
    """Return the language of the command line's output when ``--lang`` is not given.

    The first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set decides: ``ky`` or
    ``ru`` when it starts with that code (``ru_RU.UTF-8``, ``ky_KG``), English otherwise
    (``C.UTF-8``, ``en_GB.UTF-8``, ``de_DE``).
    """
    env = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            code = value.split(".", 1)[0].split("@", 1)[0].replace("-", "_").split("_", 1)[0]
            return code.lower() if code.lower() in ("ky", "ru") else "en"
    return "en"


def add_lang_argument(parser: argparse.ArgumentParser, what: str) -> None:
    """Add ``--lang`` (en, ky, ru; by default from the environment's locale)."""
    parser.add_argument(
        "--lang",
        choices=LANGS,
        default=default_lang(),
        help=f"language of {what} (default: from LC_ALL, LC_MESSAGES or LANG when it "
        "starts with ky or ru, else en)",
    )


#: The language of this run of the command line (``--lang``, else the environment's), for
#: the messages argparse writes while it parses.
_LANG: ContextVar[str] = ContextVar("flowmap_cli_lang", default="en")

#: What argparse itself writes when the arguments are wrong (Python 3.11–3.13), as
#: patterns, and the catalogue key that says each in the reader's language. Anything else
#: is shown as argparse writes it.
_ARGPARSE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"the following arguments are required: (?P<args>.+)"), "cli.arg.required"),
    (re.compile(r"unrecognized arguments: (?P<args>.+)"), "cli.arg.unrecognized"),
    (
        re.compile(
            r"argument (?P<arg>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)"
        ),
        "cli.arg.choice",
    ),
    (re.compile(r"argument (?P<arg>\S+): expected one argument"), "cli.arg.one"),
    (
        re.compile(r"argument (?P<arg>\S+): not allowed with argument (?P<other>\S+)"),
        "cli.arg.exclusive",
    ),
    (
        re.compile(r"argument (?P<arg>\S+): must be a whole number, got (?P<value>.+)"),
        "cli.arg.whole",
    ),
    (re.compile(r"argument (?P<arg>\S+): invalid \w+ value: (?P<value>.+)"), "cli.arg.invalid"),
    (
        re.compile(r"ambiguous option: (?P<arg>\S+) could match (?P<matches>.+)"),
        "cli.arg.ambiguous",
    ),
)


def argparse_text(message: str, lang: str) -> str:
    """Return an error argparse wrote (``the following arguments are required: --out``) in
    ``lang``; option names and values stay as they were typed."""
    for pattern, key in _ARGPARSE:
        match = pattern.fullmatch(message)
        if match is not None:
            return t(key, lang, **match.groupdict())
    return message


class _Parser(argparse.ArgumentParser):
    """argparse's parser whose errors and usage line are in the run's language."""

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error in the run's language, without the control
        characters of what was typed; exit 2."""
        lang = _LANG.get()
        self.print_usage(sys.stderr)
        # The message quotes the arguments as typed: control characters are removed.
        text = printable(argparse_text(message, lang), 500)
        self.exit(2, f"{self.prog}: {t('cli.error', lang)}: {text}\n")

    def format_usage(self) -> str:
        """Return the usage line, "usage:" in the run's language."""
        formatter = self._get_formatter()
        prefix = t("cli.usage", _LANG.get()) + " "
        formatter.add_usage(self.usage, self._actions, self._mutually_exclusive_groups, prefix)
        return formatter.format_help()


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="flowmap",
        description="Batken Flowmap: migration of Batken oblast, as tables and flow maps.",
    )
    parser.add_argument("--version", action="version", version=f"flowmap {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("data", help="inspect and check the embedded data")
    data_commands = data.add_subparsers(dest="data_command", required=True)

    check = data_commands.add_parser(
        "check", help="run the data-quality checks and report contradictions"
    )
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--verbose", action="store_true", help="list every check, not only findings")
    check.add_argument("--data-dir", help="check another data folder laid out like data/")
    add_lang_argument(check, "the report")

    show = data_commands.add_parser("show", help="print flows or net balances as a table")
    add_selection_arguments(show)
    show.add_argument("--format", choices=("table", "csv", "json"), default="table")
    add_lang_argument(show, "place names and group names")
    show.add_argument(
        "--flows", help=f"a flows CSV to show instead of the embedded one ({file_limits()})"
    )
    show.add_argument(
        "--places", help=f"a places CSV to use instead of the embedded one ({file_limits()})"
    )
    from flowmap.cli.userdata import add_user_data_arguments

    add_user_data_arguments(show)

    export = commands.add_parser(
        "export", help="write a flow map as one self-contained, offline HTML file"
    )
    export.add_argument(
        "--out", required=True, help="the file to write, e.g. map.html, map.png, map.pdf"
    )
    export.add_argument(
        "--format",
        choices=("html", "png", "svg", "pdf"),
        help="html (interactive, offline) or an image for slides and print "
        "(default: from the --out suffix)",
    )
    export.add_argument(
        "--size",
        default="1920x1080",
        choices=("1920x1080", "1280x720", "a4"),
        help="image size: 1920x1080, 1280x720 or a4 (A4 landscape)",
    )
    add_selection_arguments(export)
    add_lang_argument(export, "the map")
    export.add_argument(
        "--districts",
        help="a district boundary file (GeoJSON, GeoPackage, Shapefile, TopoJSON); at most "
        "50 MB, 20,000 features, 600,000 vertices and 10,000 polygon rings (the app takes "
        "less: 20 MB, 5,000, 250,000 and 3,000)",
    )
    export.add_argument("--no-border", action="store_true", help="leave out the border overlay")
    export.add_argument(
        "--static",
        action="store_true",
        help="HTML: only the selected view; by default the file plays: it carries every year, "
        "direction and language of the selection, with a year slider, play button and toggles",
    )
    export.add_argument(
        "--palette",
        choices=tuple(PALETTES),
        default="default",
        help="colours of flows, legend and borders: default (departures red, arrivals blue) "
        "or colourblind (Okabe–Ito based, distinct for every kind of colour blindness)",
    )
    export.add_argument(
        "--online-tiles", action="store_true", help="add an online tile layer (needs internet)"
    )
    export.add_argument("--title", help="the map's title (default: the data set's title)")
    export.add_argument("--subtitle", help="the line under the title (default: what is shown)")
    export.add_argument(
        "--flows", help=f"a flows CSV to map instead of the embedded one ({file_limits()})"
    )
    export.add_argument(
        "--places", help=f"a places CSV to use instead of the embedded one ({file_limits()})"
    )
    add_user_data_arguments(export, map_options=True)

    build = data_commands.add_parser(
        "build", help="rebuild data/flows.csv and data/balances.csv from the transcription"
    )
    build.add_argument(
        "--check", action="store_true", help="only report whether the files are up to date"
    )
    add_lang_argument(build, "the messages")
    return parser


def _table(columns: Sequence[str], rows: Sequence[Sequence[object]], lang: str = "en") -> str:
    """Return rows as a plain-text table with aligned columns (numbers right-aligned).

    Every cell goes through :func:`printable` first. ``DataFrame.to_string`` lays the table
    out; a dashed line under the header is its first row, text columns are padded on the
    right (pandas pads on the left, which suits numbers) and ``col_space`` puts two spaces
    between columns. Whole numbers are written as ``lang`` writes them, as the range column
    is (``7,529``, ``−1,017``; ``7 529``, ``−1 017``): a true minus and grouping in every
    language. Scripts read ``--format csv`` or ``json``, whose numbers stay plain.
    """
    header = [printable(c) for c in columns]
    cells = [
        [numbers.signed(v, lang) if isinstance(v, int) else printable(v) for v in row]
        for row in rows
    ]
    widths = [max(map(len, column)) for column in zip(header, *cells, strict=True)]
    text = [
        not rows or not all(isinstance(row[i], int) for row in rows) for i in range(len(header))
    ]
    frame = pd.DataFrame([["-" * w for w in widths], *cells], dtype=object)
    table = frame.to_string(
        index=False,
        header=[h.ljust(w) if t else h for h, w, t in zip(header, widths, text, strict=True)],
        formatters={i: (lambda v, w=w: v.ljust(w)) for i, w in enumerate(widths) if text[i]},
        col_space={i: w + 1 for i, w in enumerate(widths) if i},
    )
    return "\n".join(line.rstrip() for line in table.split("\n"))


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
    parts = ", ".join(place_name(places, p, lang) for p in str(row["total_of"]).split("; "))
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


def show_data(args: argparse.Namespace, out: TextIO) -> int:
    """Print the selected flows or balances in the requested format."""
    from flowmap.cli.userdata import show_user_data, user_files

    if user_files(args):
        return show_user_data(args, out)
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
    if args.format == "csv":
        records = [{k: csv_cell(v) for k, v in row.items()} for row in frame.to_dict("records")]
        out.write(render_rows(columns, records))
        return 0
    if args.format == "json":
        shown = visible_tree(frame.to_dict(orient="records"))[0]
        json.dump(shown, out, ensure_ascii=False, indent=1)
        out.write("\n")
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
    out.write(_table(header, rows, lang) + "\n")
    for line in totals:
        out.write(printable(line) + "\n")
    for method, number in methods.items():
        text = method if lang == "en" else method_text(method, lang)
        out.write(f"[{number}] {printable(text)}\n")
    notes = sorted({str(n) for n in frame["note"] if n and "resolution" in str(n)})
    for note in notes:
        out.write(f"{t('cli.show.note', lang)}: {printable(note_text(note, lang))}\n")
    return 0


def export_map(args: argparse.Namespace, out: TextIO) -> int:
    """Write the selected map to ``--out`` and say what was written.

    When chosen destinations have no figure in the selection (a net map of Russia, say),
    the map's note that says so is also printed to stderr as a warning.
    """
    from flowmap.batken.dataset import MapData
    from flowmap.batken.districts import load_districts
    from flowmap.batken.export import make_map, playable_map
    from flowmap.batken.player import opening_selection
    from flowmap.batken.preset import MapOptions, data_destinations, missing_note

    target = check_target(Path(args.out))
    inputs = [p for p in (args.flows, args.places, args.districts) if p]
    if any(target.resolve() == Path(p).resolve() for p in inputs):
        raise FlowmapError(msg("cli.err.overwrite", path=str(target)))
    suffix = target.suffix.lower().lstrip(".")
    kind = args.format or {"htm": "html"}.get(suffix, suffix)
    if kind not in ("html", "png", "svg", "pdf"):
        raise FlowmapError(msg("cli.err.out_kind", path=repr(str(target))))
    check_target(target)
    from flowmap.cli.userdata import export_user_map, user_files

    if user_files(args):
        return export_user_map(args, out, target, kind)
    data = MapData.load(args.flows, args.places, focus=(args.focus or "KG-B").upper(), budget=CLI)
    asked = selection_from(args, data.places)
    if args.year is None and args.period is None:
        # No period asked for: the data set's default, the app's default view (a user's
        # flows file without 2014-2023: its longest span or latest year), named on the map;
        # a playable page carries every period and opens there.
        asked = replace(asked, period=None)
    playable = kind == "html" and not args.static
    # A playable page's span is the range of its slider; it opens at one of its periods.
    selection = opening_selection(data, asked) if playable else data.resolve(asked)
    districts = load_districts(args.districts) if args.districts else None
    selected = data.selected(selection)
    # Without --dest the map stands for every counterpart in the data: the note names
    # those it leaves out (the map's own note covers destinations chosen with --dest).
    everything = None if selection.dest else data_destinations(data.flows, selection.focus)
    shown = drawable_flows(selected, data.places)
    missing = missing_note(selection, data.places, shown, args.lang, everything)
    if shown.empty:
        # An empty map is no map: say why and write nothing.
        why = _why_empty(data, selection) or missing or msg("note.empty")
        raise FlowmapError(msg("cli.err.empty_map", why=why))
    options = MapOptions(
        lang=args.lang,
        border_overlay=not args.no_border,
        online_tiles=args.online_tiles,
        title=args.title,
        subtitle=args.subtitle,
        notes=(missing,) if missing and everything is not None else (),
        palette=args.palette,
    )
    if playable:
        # A playable page names the destinations each of its views leaves out itself.
        fmap = playable_map(data, asked, replace(options, notes=()), districts)
    else:
        fmap = make_map(data, selection, options, districts)
    if missing:
        warn(missing, args.lang)
    if replaced_in(data.flows, data.places):
        warn(msg("note.replaced"), args.lang)
    # The flows the map draws: a total whose parts are drawn is not counted.
    n = len(shown)
    what = (
        None
        if kind == "html" and not args.static
        else t("cli.export.drawn", args.lang, count=numbers.count(n, args.lang), n=n)
    )
    return write_map(fmap, target, kind, args.size, out, what, lang=args.lang)


def _why_empty(data: MapData, selection: Selection) -> Message | None:
    """Return why ``selection`` has no flow when its sex or age group has figures for
    other periods only (men, 2014–2023: figures by sex exist only for the years 2017–2023);
    None when that is not the reason."""
    from flowmap.batken.dataset import periods_have

    for column, value, everyone in (("sex", selection.sex, "total"), ("age", selection.age, "all")):
        if value == everyone:
            continue
        if selection.direction == "net":
            rows = data.balances[data.balances["place"] == selection.focus]
        else:
            rows = select_flows(data.flows, replace(selection, period=None, sex="any", age="any"))
        periods = {Period.parse(str(p)) for p in rows.loc[rows[column] == value, "period"]}
        if periods and selection.period not in periods:
            return msg(
                "query.no_group",
                group=msg(f"{column}.{value}"),
                period=selection.period.label() if selection.period else "",
                have=periods_have(periods),
            )
    return None


def write_map(
    fmap: folium.Map,
    target: Path,
    kind: str,
    size: str,
    out: TextIO,
    what: str | None,
    *,
    lang: str = "en",
) -> int:
    """Write a map as ``kind`` (html, png, svg, pdf) and say in ``lang`` what was written:
    ``what`` ("38 flows selected"), or for a playable page (``None``) what it carries."""
    from flowmap.render.maps import map_html

    if kind != "html":
        from flowmap.render.image import map_spec, render_image

        render_image(map_spec(fmap), target, format=kind, size=size)
        size_kb = numbers.count(round(target.stat().st_size / 1024), lang)
        shown = kind if lang == "en" else kind.upper()
        line = t(
            "cli.wrote.image", lang, path=printable(target), size=size_kb, kind=shown, what=what
        )
        out.write(line + "\n")
        return 0
    text = map_html(fmap)
    length = len(text.encode("utf-8"))
    if length > LARGE_FILE_BYTES:
        megabytes = numbers.decimal(length / 2**20, lang, 1)
        warn(t("cli.large", lang, size=megabytes, limit=LARGE_FILE_BYTES // 2**20), lang)
    write_text(target, text)
    if what is None:
        from flowmap.batken.player import summary

        what = summary(fmap, lang)
    size_kb = numbers.count(round(length / 1024), lang)
    out.write(t("cli.wrote.html", lang, path=printable(target), size=size_kb, what=what) + "\n")
    return 0


def warn(message: object, lang: str = "en", *, limit: int | None = None) -> None:
    """Print a warning to stderr in ``lang``: ``flowmap: warning: …`` (a
    :class:`~flowmap.text.i18n.Message` is rendered in ``lang``, any other text as it is), cut
    to ``limit`` characters when given (text that quotes a user's file)."""
    text = printable(localise(message, lang), limit)
    print(f"flowmap: {t('cli.warning', lang)}: {text}", file=sys.stderr)


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
            out.write(f"\n{c.id}. {c.title[lang]}\n")
            for f in c.findings:
                head = f"{check} {f.check}" if lang == "en" else check
                out.write(f"  {head}: {f.text(lang)}\n")
            out.write(f"  {rule}: {c.rule[lang]}\n")
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
            out.write(f"  - {note[lang]}\n")
    if verbose:
        out.write("\n" + t("cli.check.all", lang) + "\n")
        tags = {True: t("cli.check.tag.ok", lang), False: t("cli.check.tag.fail", lang)}
        for f in report.findings:
            out.write(f"  [{tags[f.ok]}] {named(f)}{f.text(lang)}\n")
    result = t("cli.check.result.ok" if report.ok else "cli.check.result.failed", lang)
    out.write("\n" + result + "\n")


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; return the exit status.

    Expected failures print one clear message and exit 2; anything else is a bug: it
    prints one line saying so (the traceback only with ``FLOWMAP_DEBUG=1``) and exits 70.
    """
    lang = _lang_of(sys.argv[1:] if argv is None else argv)
    token = _LANG.set(lang)
    try:
        return _run(argv, out or sys.stdout)
    except BrokenPipeError:
        # The reader went away (as `flowmap data check | head` does): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except FlowmapError as exc:
        _error(error_text(exc, lang), lang)
        return 2
    except KeyboardInterrupt:
        _error(t("cli.interrupted", lang), lang)
        return 130
    except MemoryError:
        _error(t("cli.out_of_memory", lang), lang)
        return 2
    except Exception as exc:
        if os.environ.get("FLOWMAP_DEBUG"):
            raise
        logging.getLogger("flowmap").debug("internal error", exc_info=True)
        detail = f"{type(exc).__name__}: {printable(exc, 200)}"
        _error(t("cli.internal", lang, error=detail), lang)
        return 70
    finally:
        _LANG.reset(token)


def _lang_of(argv: Sequence[str]) -> str:
    """Return the language the arguments ask for (``--lang ru``, ``--lang=ru``), else the
    environment's: for messages printed before or without parsed arguments."""
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value in LANGS:
            return value
    return default_lang()


def _error(message: str, lang: str = "en") -> None:
    """Print an error message to stderr in ``lang``'s words (``flowmap: error: …``), one
    clean line per line of the message."""
    lines = [printable(line, 500) for line in message.splitlines()] or [""]
    print(f"flowmap: {t('cli.error', lang)}: " + "\n".join(lines), file=sys.stderr)


def _run(argv: Sequence[str] | None, out: TextIO) -> int:
    """Parse the arguments and run one command."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "data" and args.data_command == "check":
            report = run_checks(args.data_dir)
            if args.format == "json":
                shown = visible_tree(report_json(report, args.lang))[0]
                json.dump(shown, out, ensure_ascii=False, indent=1)
                out.write("\n")
            else:
                print_report(report, out, verbose=args.verbose, lang=args.lang)
            return 0 if report.ok else 1
        if args.command == "export":
            return export_map(args, out)
        if args.command == "data" and args.data_command == "show":
            return show_data(args, out)
        if args.command == "data" and args.data_command == "build":
            from flowmap.batken.build import rendered_tables, write_tables

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
    except FlowmapError as exc:
        _error(error_text(exc, args.lang), args.lang)
        return 2
    raise AssertionError(f"unhandled command {args!r}")  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
