"""The ``flowmap`` command line: ``flowmap data check|show|build`` and ``flowmap export``.

It calls the same library functions as the Streamlit app. Expected failures (bad input,
bad options) print one clear message to stderr and exit with status 2; a data check that
finds an unexplained problem exits with status 1.

The options are in :mod:`flowmap.cli.parser`, the commands in
:mod:`flowmap.cli.data_commands`, :mod:`flowmap.cli.export` and :mod:`flowmap.cli.userdata`.
The parser imports none of the commands' modules (which load pandas, folium, matplotlib
and Babel): :data:`COMMANDS` names each command's function, imported when it runs, so
``flowmap --help`` answers at once.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from flowmap.cli import painter
from flowmap.cli.output import error
from flowmap.cli.parser import (
    IMAGE_KINDS,
    RUN_LANG,
    batken_image,
    default_lang,
    make_parser,
    out_kind,
)
from flowmap.core._escape import printable
from flowmap.core.errors import FlowmapError
from flowmap.core.langs import LANGS
from flowmap.text.i18n import error_text, t


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; return the exit status.

    Expected failures print one clear message and exit 2; anything else is a bug: it
    prints one line saying so (the traceback only with ``FLOWMAP_DEBUG=1``) and exits 70.
    """
    lang = _lang_of(sys.argv[1:] if argv is None else argv)
    token = RUN_LANG.set(lang)
    try:
        return _run(argv, out or sys.stdout)
    except BrokenPipeError:
        # The reader went away (as `flowmap data check | head` does): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except FlowmapError as exc:
        error(error_text(exc, lang), lang)
        return 2
    except KeyboardInterrupt:
        error(t("cli.interrupted", lang), lang)
        return 130
    except MemoryError:
        error(t("cli.out_of_memory", lang), lang)
        return 2
    except Exception as exc:
        if os.environ.get("FLOWMAP_DEBUG"):
            raise
        logging.getLogger("flowmap").debug("internal error", exc_info=True)
        detail = f"{type(exc).__name__}: {printable(exc, 200)}"
        error(t("cli.internal", lang, error=detail), lang)
        return 70
    finally:
        RUN_LANG.reset(token)


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


#: Each command (``command``, ``data_command``) and the function that runs it, as
#: ``module:function``: imported when the command runs (tests/test_architecture.py reads
#: this table as imports of this module).
COMMANDS: dict[tuple[str, str | None], str] = {
    ("export", None): "flowmap.cli.export:export_map",
    ("export", "image"): "flowmap.cli.image:export_image",
    ("data", "check"): "flowmap.cli.data_commands:check_data",
    ("data", "show"): "flowmap.cli.data_commands:show_data",
    ("data", "build"): "flowmap.cli.data_commands:build_data",
}

Command = Callable[[argparse.Namespace, TextIO], int]
"""A command's function: the parsed arguments and the output -> the exit status."""


def command(args: argparse.Namespace) -> Command:
    """Return the function of the command ``args`` name (see :data:`COMMANDS`): an image
    of the embedded Batken data is drawn from its page spec alone (``("export", "image")``,
    :func:`flowmap.cli.parser.batken_image`), without importing folium."""
    key = (args.command, getattr(args, "data_command", None))
    if key == ("export", None) and batken_image(args):
        key = ("export", "image")
    module, _, name = COMMANDS[key].partition(":")
    run: Command = getattr(importlib.import_module(module), name)
    return run


def _run(argv: Sequence[str] | None, out: TextIO) -> int:
    """Parse the arguments and run one command."""
    args = make_parser().parse_args(argv)
    if args.command == "export" and out_kind(args) in IMAGE_KINDS:
        painter.start()  # the image's drawing process, forked before the data is read
    try:
        return command(args)(args, out)
    except FlowmapError as exc:
        error(error_text(exc, args.lang), args.lang)
        return 2
    finally:
        painter.stop()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
