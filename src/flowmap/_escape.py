"""Escaping for the three places text from data ends up: HTML, ``<script>`` JSON and
terminals/spreadsheets.

Every string from a data file, an upload or a URL is hostile until escaped here.
"""

from __future__ import annotations

import html
import re
import unicodedata

from jinja2.utils import htmlsafe_json_dumps

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def esc(value: object) -> str:
    """Return ``value`` as text safe inside HTML (``&``, ``<``, ``>``, quotes escaped)."""
    return html.escape(str(value), quote=True)


def script_json(data: object) -> str:
    """Return ``data`` as JSON that is safe to place inside a ``<script>`` element.

    This is the escaping folium's templates use (Jinja's ``|tojson`` filter,
    :func:`jinja2.utils.htmlsafe_json_dumps`): ``<``, ``>``, ``&`` and ``'`` become
    ``\\u003c`` etc., so no ``</script>`` or ``<!--`` can appear. U+2028/U+2029 are
    escaped as well, for old JavaScript parsers. JSON strings are double-quoted, so
    backticks and ``${...}`` are plain characters.
    """
    text = str(
        htmlsafe_json_dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    )
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def printable(value: object, limit: int | None = None) -> str:
    """Return ``value`` as one line of text with control characters removed (no ANSI escape
    sequences, no bidirectional overrides), cut to ``limit`` characters with ``…``."""
    text = _CONTROL.sub("", str(value).replace("\n", " ").replace("\t", " "))
    text = "".join(c for c in text if unicodedata.category(c) != "Cs")
    if limit is not None and len(text) > limit:
        text = text[: max(0, limit - 1)] + "…"
    return text


def spreadsheet_cell(value: object) -> object:
    """Return ``value`` safe for a CSV cell opened in a spreadsheet: text that starts like
    a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets a leading ``'``.

    Numbers are returned unchanged, so a negative count stays a number.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^&\"'@%/;?])")


def markdown_literal(value: object, limit: int | None = None) -> str:
    """Return ``value`` as Markdown that shows exactly the text, on one line.

    Every ASCII punctuation character that Markdown, GitHub-flavoured Markdown, LaTeX
    (``$``), HTML or Streamlit's directives (``:red[…]``, ``:material/…:``) could read is
    backslash-escaped, and control characters are removed, so an image, a link, a heading
    or a formula in the value stays inert text.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", printable(value, limit))


def markdown_lines(text: object, limit: int = 2000) -> str:
    """Return multi-line text as Markdown that shows each line literally (see
    :func:`markdown_literal`), with hard line breaks between the lines."""
    lines = str(text).splitlines() or [""]
    return "  \n".join(markdown_literal(line, limit) for line in lines)
