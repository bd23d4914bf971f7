"""The command line's options: the parser of ``flowmap``, its options shared by ``data show``
and ``export`` (what to show, the language, your own data), and argparse's own messages in the
run's language.

It imports no module that draws or reads maps (no pandas, folium, matplotlib or Babel): the
option values come from the stages' light ``choices`` modules, so that ``flowmap --help``
stays quick.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any, NoReturn

from flowmap.batken import facts
from flowmap.batken.choices import (
    AGE_FILTERS,
    BASIS_FILTERS,
    DEFAULT_AGE,
    DEFAULT_SEX,
    SCHEMA_PLACES,
    SCHEMA_ROWS,
    SEX_FILTERS,
)
from flowmap.core._escape import printable
from flowmap.core.budget import CLI, Budget
from flowmap.core.langs import LANGS
from flowmap.core.version import __version__
from flowmap.engine.choices import DEFAULT_TOP, DIRECTIONS, MEASURES
from flowmap.io.choices import COLUMN_NAMES, LAYOUTS, ORIENTS
from flowmap.render.theme import PALETTES, THEMES
from flowmap.text import numbers
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


IMAGE_KINDS: tuple[str, ...] = ("png", "svg", "pdf")
"""The image formats of ``flowmap export`` (:mod:`flowmap.render.image`)."""


def out_kind(args: argparse.Namespace) -> str:
    """Return the format ``flowmap export`` writes: ``--format``, else the suffix of
    ``--out`` (``map.htm`` is ``html``); the command refuses any but html, png, svg, pdf."""
    suffix = Path(str(args.out)).suffix.lower().lstrip(".")
    return str(args.format or {"htm": "html"}.get(suffix, suffix))


def batken_image(args: argparse.Namespace) -> bool:
    """Return whether ``flowmap export`` asks for an image of the embedded Batken data:
    no files of one's own, no comparison, no options of the general engine. That export
    is drawn from the map's page spec alone (:mod:`flowmap.cli.image`), without folium."""
    own = (args.flows, args.places, args.districts, getattr(args, "compare", None))
    given = [name for name in USER_OPTIONS if getattr(args, name, None) is not None]
    return out_kind(args) in IMAGE_KINDS and not any(own) and not given


def _whole(text: str) -> int:
    """Return a whole number of at least 0 for an option such as ``--top``."""
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text[:20]!r}")
    return int(text)


def _help(key: str, **values: object) -> str:
    """Return the help text ``cli.help.KEY`` in the run's language, ``%`` escaped for
    argparse."""
    return t(f"cli.help.{key}", RUN_LANG.get(), **values).replace("%", "%%")


def _meta(key: str) -> str:
    """Return the placeholder ``cli.metavar.KEY`` of an option's value (``YEAR``, ``ГОД``)."""
    return t(f"cli.metavar.{key}", RUN_LANG.get())


def add_user_data_arguments(parser: argparse.ArgumentParser, *, map_options: bool = False) -> None:
    """Add the options for your own flows to ``data show`` (and, with ``map_options``,
    ``export``)."""
    group = parser.add_argument_group(_help("user_group", limits=file_limits()))
    top = numbers.whole(DEFAULT_TOP, RUN_LANG.get())
    group.add_argument("--top", type=_whole, metavar="N", help=_help("top", top=top))
    group.add_argument("--min-count", type=_whole, metavar="N", help=_help("min_count"))
    roles = ", ".join(r for r in COLUMN_NAMES if r not in ("id", "name", "lat", "lon"))
    group.add_argument("--columns", metavar=_meta("columns"), help=_help("columns", roles=roles))
    group.add_argument("--place-columns", metavar=_meta("columns"), help=_help("place_columns"))
    layouts = [layout for layout in LAYOUTS if layout != "places"]
    group.add_argument("--layout", choices=layouts, help=_help("layout"))
    group.add_argument("--sheet", metavar=_meta("sheet"), help=_help("sheet"))
    group.add_argument("--orient", choices=ORIENTS, help=_help("orient"))
    group.add_argument("--measure", choices=MEASURES, help=_help("measure"))
    share = numbers.whole_percent(5, RUN_LANG.get())
    group.add_argument(
        "--allow-missing", action="store_true", help=_help("allow_missing", share=share)
    )
    if map_options:
        group.add_argument("--source", metavar=_meta("text"), help=_help("source"))


def _direction(text: str) -> str:
    """Return a ``--direction`` value: ``all``, the older word, read as ``both``."""
    return "both" if text == "all" else text


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options that choose what to show: shared by ``data show`` and ``export``."""
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--year", metavar=_meta("year"), help=_help("year"))
    when.add_argument(
        "--period",
        metavar=_meta("period"),
        help=_help("period", example=facts.ARTICLE_PERIOD, default=facts.DEFAULT_PERIOD),
    )
    parser.add_argument("--dest", metavar=_meta("dest"), help=_help("dest"))
    parser.add_argument("--direction", choices=DIRECTIONS, type=_direction, help=_help("direction"))
    parser.add_argument("--sex", choices=SEX_FILTERS, default=DEFAULT_SEX, help=_help("sex"))
    parser.add_argument("--age", choices=AGE_FILTERS, default=DEFAULT_AGE, help=_help("age"))
    parser.add_argument("--focus", metavar=_meta("focus"), help=_help("focus", focus=facts.FOCUS))
    parser.add_argument("--basis", choices=BASIS_FILTERS, default="all", help=_help("basis"))


def file_limits(budget: Budget = CLI, lang: str | None = None) -> str:
    """Return what an input table may hold, for ``--help``: "at most 200 MB of text,
    2,000,000 rows, …" (see :class:`flowmap.core.budget.Budget`), in ``lang`` (by default
    the run's language)."""
    lang = lang or RUN_LANG.get()
    sizes = {
        "mb": budget.bytes // 2**20,
        "rows": budget.rows,
        "columns": budget.columns,
        "cells": budget.cells,
        "line": budget.line,
        "schema_rows": SCHEMA_ROWS,
        "schema_places": SCHEMA_PLACES,
    }
    return t("cli.help.limits", lang, **{k: numbers.whole(v, lang) for k, v in sizes.items()})


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
    """Add ``--lang`` (en, ky, ru; by default from the environment's locale); ``what`` is
    the ``cli.help.lang.*`` key of what it sets (``report``, ``names``, ``map``)."""
    what_text = t(f"cli.help.lang.{what}", RUN_LANG.get())
    parser.add_argument(
        "--lang", choices=LANGS, default=default_lang(), help=_help("lang", what=what_text)
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


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout with "usage:" in the run's language."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        """Add the usage line, headed "usage:" in the run's language."""
        if prefix is None:
            prefix = t("cli.usage", RUN_LANG.get()) + " "
        super().add_usage(usage, actions, groups, prefix)


class _Parser(argparse.ArgumentParser):
    """argparse's parser whose help, errors and usage line are in the run's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Make the parser with its section titles and ``--help`` in the run's language."""
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        lang = RUN_LANG.get()
        self._positionals.title = t("cli.section.positional", lang)
        self._optionals.title = t("cli.section.options", lang)
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS, help=_help("help")
        )

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error in the run's language, without the control
        characters of what was typed; exit 2."""
        lang = RUN_LANG.get()
        self.print_usage(sys.stderr)
        # The message quotes the arguments as typed: control characters are removed.
        text = printable(argparse_text(message, lang), 500)
        self.exit(2, f"{self.prog}: {t('cli.error', lang)}: {text}\n")


def make_parser() -> argparse.ArgumentParser:
    """Return the parser of ``flowmap`` and its commands, its help in the run's language."""
    parser = _Parser(prog="flowmap", description=_help("description"))
    parser.add_argument(
        "--version", action="version", version=f"flowmap {__version__}", help=_help("version")
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{data,export}")
    data = commands.add_parser("data", help=_help("data"), description=_help("data"))
    data_commands = data.add_subparsers(
        dest="data_command", required=True, metavar="{check,show,build}"
    )

    check = data_commands.add_parser("check", help=_help("check"), description=_help("check"))
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help=_help("format.check")
    )
    check.add_argument("--verbose", action="store_true", help=_help("verbose"))
    check.add_argument("--data-dir", metavar=_meta("folder"), help=_help("data_dir"))
    add_lang_argument(check, "report")

    show = data_commands.add_parser("show", help=_help("show"), description=_help("show"))
    add_selection_arguments(show)
    show.add_argument(
        "--compare",
        nargs=2,
        metavar=(_meta("first"), _meta("second")),
        help=_help("compare_show"),
    )
    show.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help=_help("format.show")
    )
    add_lang_argument(show, "names")
    limits = file_limits()
    show.add_argument("--flows", metavar=_meta("file"), help=_help("flows.show", limits=limits))
    show.add_argument("--places", metavar=_meta("file"), help=_help("places", limits=limits))
    add_user_data_arguments(show)

    export = commands.add_parser("export", help=_help("export"), description=_help("export"))
    export.add_argument("--out", required=True, metavar=_meta("file"), help=_help("out"))
    export.add_argument(
        "--format", choices=("html", "png", "svg", "pdf"), help=_help("format.export")
    )
    export.add_argument(
        "--size", default="1920x1080", choices=("1920x1080", "1280x720", "a4"), help=_help("size")
    )
    add_selection_arguments(export)
    add_lang_argument(export, "map")
    lang = RUN_LANG.get()
    districts = {  # the boundary limits of flowmap.io (CLI, then the app's)
        "mb": 50,
        "features": 20_000,
        "vertices": 600_000,
        "rings": 10_000,
        "app_mb": 20,
        "app_features": 5_000,
        "app_vertices": 250_000,
        "app_rings": 3_000,
    }
    export.add_argument(
        "--districts",
        metavar=_meta("file"),
        help=_help("districts", **{k: numbers.whole(v, lang) for k, v in districts.items()}),
    )
    export.add_argument("--no-border", action="store_true", help=_help("no_border"))
    export.add_argument("--static", action="store_true", help=_help("static"))
    export.add_argument(
        "--palette", choices=tuple(PALETTES), default="default", help=_help("palette")
    )
    export.add_argument("--theme", choices=THEMES, default="light", help=_help("theme"))
    export.add_argument(
        "--compare", nargs=2, metavar=(_meta("first"), _meta("second")), help=_help("compare")
    )
    export.add_argument("--online-tiles", action="store_true", help=_help("online_tiles"))
    export.add_argument("--title", metavar=_meta("text"), help=_help("title"))
    export.add_argument("--subtitle", metavar=_meta("text"), help=_help("subtitle"))
    export.add_argument("--flows", metavar=_meta("file"), help=_help("flows.export", limits=limits))
    export.add_argument("--places", metavar=_meta("file"), help=_help("places", limits=limits))
    add_user_data_arguments(export, map_options=True)

    build = data_commands.add_parser("build", help=_help("build"), description=_help("build"))
    build.add_argument("--check", action="store_true", help=_help("build_check"))
    add_lang_argument(build, "messages")
    return parser
