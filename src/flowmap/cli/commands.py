"""The ``flowmap`` command line: ``flowmap data check|show|build`` and ``flowmap export``.

It calls the same library functions as the Streamlit app. Expected failures (bad input,
bad options) print one clear message to stderr and exit with status 2; a data check that
finds an unexplained problem exits with status 1.

The options are in :mod:`flowmap.cli.parser`, the commands in
:mod:`flowmap.cli.data_commands`, :mod:`flowmap.cli.export` and :mod:`flowmap.cli.userdata`.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from flowmap.cli.data_commands import build_data, check_data, show_data
from flowmap.cli.export import export_map
from flowmap.cli.output import error
from flowmap.cli.parser import RUN_LANG, default_lang, make_parser
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


def _run(argv: Sequence[str] | None, out: TextIO) -> int:
    """Parse the arguments and run one command."""
    args = make_parser().parse_args(argv)
    try:
        if args.command == "export":
            return export_map(args, out)
        if args.command == "data" and args.data_command == "check":
            return check_data(args, out)
        if args.command == "data" and args.data_command == "show":
            return show_data(args, out)
        if args.command == "data" and args.data_command == "build":
            return build_data(args, out)
    except FlowmapError as exc:
        error(error_text(exc, args.lang), args.lang)
        return 2
    raise AssertionError(f"unhandled command {args!r}")  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
