"""What the command line writes to the terminal: aligned tables, warnings, notes and errors,
every line in the run's language and without the control characters of what it quotes."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from flowmap.core._escape import printable, visible_tree
from flowmap.text import numbers
from flowmap.text.i18n import localise, t


def table(columns: Sequence[str], rows: Sequence[Sequence[object]], lang: str = "en") -> str:
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
    import pandas as pd  # lazy: the command line's errors are written without pandas

    frame = pd.DataFrame([["-" * w for w in widths], *cells], dtype=object)
    laid_out = frame.to_string(
        index=False,
        header=[h.ljust(w) if t else h for h, w, t in zip(header, widths, text, strict=True)],
        formatters={i: (lambda v, w=w: v.ljust(w)) for i, w in enumerate(widths) if text[i]},
        col_space={i: w + 1 for i, w in enumerate(widths) if i},
    )
    return "\n".join(line.rstrip() for line in laid_out.split("\n"))


def warn(message: object, lang: str = "en", *, limit: int | None = None) -> None:
    """Print a warning to stderr in ``lang``: ``flowmap: warning: …`` (a
    :class:`~flowmap.text.i18n.Message` is rendered in ``lang``, any other text as it is), cut
    to ``limit`` characters when given (text that quotes a user's file)."""
    text = printable(localise(message, lang), limit)
    print(f"flowmap: {t('cli.warning', lang)}: {text}", file=sys.stderr)


def say(line: object, lang: str = "en") -> None:
    """Print one line to stderr in ``lang`` (a :class:`~flowmap.text.i18n.Message` is rendered
    in it, other text shown as it is)."""
    print("flowmap: " + printable(localise(line, lang), 500), file=sys.stderr)


def error(message: str, lang: str = "en") -> None:
    """Print an error message to stderr in ``lang``'s words (``flowmap: error: …``), one
    clean line per line of the message."""
    lines = [printable(line, 500) for line in message.splitlines()] or [""]
    print(f"flowmap: {t('cli.error', lang)}: " + "\n".join(lines), file=sys.stderr)


def write_json(value: Any, out: TextIO) -> None:
    """Write ``value`` as indented UTF-8 JSON and a newline, every text in it made visible
    (:func:`~flowmap.core._escape.visible_tree`: control and bidi characters shown as
    ``[U+XXXX]``): the ``--format json`` of ``data check`` and ``data show``."""
    json.dump(visible_tree(value)[0], out, ensure_ascii=False, indent=1)
    out.write("\n")
