"""The command line's options: the parser of ``flowmap``, its options shared by ``data show``
and ``export`` (what to show, the language, your own data), and argparse's own messages in the
run's language.

It imports no stage that draws or reads maps, so that ``flowmap --help`` stays quick.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Mapping
from contextvars import ContextVar
from typing import NoReturn

from flowmap.batken import facts
from flowmap.batken.data import SCHEMA_PLACES, SCHEMA_ROWS
from flowmap.batken.query import AGE_FILTERS, BASIS_FILTERS, DIRECTIONS, SEX_FILTERS, Selection
from flowmap.core._escape import printable
from flowmap.core.budget import CLI, Budget
from flowmap.core.langs import LANGS
from flowmap.core.version import __version__
from flowmap.engine.flows import MEASURES
from flowmap.engine.flows.limit import DEFAULT_TOP
from flowmap.io.userdata import COLUMN_NAMES, LAYOUTS, ORIENTS
from flowmap.render.layer import PALETTES
from flowmap.render.theme import THEMES
from flowmap.text.i18n import t

USER_OPTIONS: tuple[str, ...] = (
    "top",
    "min_count",
    "columns",
    "place_columns",
    "layout",
    "sheet",
    "source",
    "orient",
    "measure",
)
"""Options that only your own data takes (their ``argparse`` destinations)."""


def _whole(text: str) -> int:
    """Return a whole number of at least 0 for an option such as ``--top``."""
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text[:20]!r}")
    return int(text)


def add_user_data_arguments(parser: argparse.ArgumentParser, *, map_options: bool = False) -> None:
    """Add the options for your own flows to ``data show`` (and, with ``map_options``,
    ``export``)."""
    group = parser.add_argument_group(
        "your own data (--flows FILE [--places FILE]: CSV, TSV, XLSX or .gz; long, wide or "
        f"matrix layout; each file {file_limits()})"
    )
    group.add_argument(
        "--top",
        type=_whole,
        metavar="N",
        help=f"only the N largest flows (a map's default: {DEFAULT_TOP}, said on the map; "
        "0: every flow)",
    )
    group.add_argument(
        "--min-count", type=_whole, metavar="N", help="only flows of at least N people"
    )
    roles = ", ".join(r for r in COLUMN_NAMES if r not in ("id", "name", "lat", "lon"))
    group.add_argument(
        "--columns",
        metavar="ROLE=COLUMN,...",
        help=f"the flows' columns when their names are not the usual ones (roles: {roles}), "
        "e.g. origin=Herkunft,dest=Ziel,count=Anzahl,time=Jahr",
    )
    group.add_argument(
        "--place-columns",
        metavar="ROLE=COLUMN,...",
        help="the places' columns (roles: id, name, lat, lon), e.g. id=Code,lat=Breite",
    )
    group.add_argument(
        "--layout",
        choices=[layout for layout in LAYOUTS if layout != "places"],
        help="the flows' layout, when it is not detected (default: detected)",
    )
    group.add_argument("--sheet", help="an XLSX workbook's sheet (default: the first with data)")
    group.add_argument(
        "--orient",
        choices=ORIENTS,
        help="how a matrix is read (default: as its corner cell says, such as 'from\\to' or "
        "'Current x Origin', else rows as origins, said as assumed)",
    )
    group.add_argument(
        "--measure",
        choices=MEASURES,
        help="flow: counts of moves, summable over a span (the default); stock: people "
        "present at a date (such as refugees at the end of each year), never summed: "
        "--period must then be a single year",
    )
    group.add_argument(
        "--allow-missing",
        action="store_true",
        help="go on when more than 5%% of the volume has places without coordinates (the "
        "map's title says what is not drawn); by default that stops with an error",
    )
    if map_options:
        group.add_argument("--source", help="the map's source line")


def _direction(text: str) -> str:
    """Return a ``--direction`` value: ``all``, the older word, read as ``both``."""
    return "both" if text == "all" else text


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options that choose what to show: shared by ``data show`` and ``export``."""
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--year", help="a single year, e.g. 2022")
    when.add_argument(
        "--period",
        help=f"a year or a span of years, e.g. {facts.ARTICLE_PERIOD} (default: "
        f"{facts.DEFAULT_PERIOD}, the app's default view; data show also takes 'all': every "
        "period, one table)",
    )
    parser.add_argument(
        "--dest",
        help="comma-separated place ids of the other end, e.g. RU,KG-GB (default: all)",
    )
    parser.add_argument(
        "--direction",
        choices=DIRECTIONS,
        type=_direction,
        help="out: departures, in: arrivals, net: arrivals − departures, both: out and in "
        "('all' is read as both) (default: out; both for your own flows, where out and in "
        "need --focus)",
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
        help=f"the place whose departures and arrivals are shown (default {facts.FOCUS}, "
        f"{facts.FOCUS_NAME}; for your own flows: none, every flow is drawn, or comma-separated "
        "place ids)",
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
RUN_LANG: ContextVar[str] = ContextVar("flowmap_cli_lang", default="en")

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
        lang = RUN_LANG.get()
        self.print_usage(sys.stderr)
        # The message quotes the arguments as typed: control characters are removed.
        text = printable(argparse_text(message, lang), 500)
        self.exit(2, f"{self.prog}: {t('cli.error', lang)}: {text}\n")

    def format_usage(self) -> str:
        """Return the usage line, "usage:" in the run's language."""
        formatter = self._get_formatter()
        prefix = t("cli.usage", RUN_LANG.get()) + " "
        formatter.add_usage(self.usage, self._actions, self._mutually_exclusive_groups, prefix)
        return formatter.format_help()


def make_parser() -> argparse.ArgumentParser:
    """Return the parser of ``flowmap`` and its commands."""
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
    show.add_argument(
        "--compare",
        nargs=2,
        metavar=("FIRST", "SECOND"),
        help="list the change from one period to another, e.g. --compare 2017 2023: both "
        "figures, the change and its basis (derived from reported figures, or modelled); a "
        "pair with a figure in one period only has no change, never taken as 0 (Batken data; "
        "not with --year, --period or --direction net)",
    )
    add_lang_argument(show, "place names and group names")
    show.add_argument(
        "--flows", help=f"a flows CSV to show instead of the embedded one ({file_limits()})"
    )
    show.add_argument(
        "--places", help=f"a places CSV to use instead of the embedded one ({file_limits()})"
    )
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
        "--theme",
        choices=THEMES,
        default="light",
        help="the look: light (default) or dark (near-black background, light outlines and "
        "flows); the page, its boxes, labels and tooltips, and images alike",
    )
    export.add_argument(
        "--compare",
        nargs=2,
        metavar=("FIRST", "SECOND"),
        help="map the change from one period to another, e.g. --compare 2017 2023: gains and "
        "losses coloured, widths by the size of the change; a pair with a figure in one period "
        "only is drawn grey and counted, never taken as 0 (not with --year, --period or "
        "--direction net; Batken data: a static map, a change with a modelled figure drawn "
        "as modelled, two periods of the same length that do not overlap)",
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
