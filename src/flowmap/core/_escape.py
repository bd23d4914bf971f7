"""Escaping for the three places text from data ends up: HTML, ``<script>`` JSON and
terminals/spreadsheets.

Every string from a data file, an upload or a URL is hostile until escaped here. Before
any escaping, names and text from data go through :func:`visible_text`, which shows
control, text-direction and invisible format characters as visible marks.
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


_KEPT_FORMAT = "\u200c\u200d"
"""Format characters that words legitimately hold: the zero-width non-joiner and joiner
(Persian and Indic spelling, emoji sequences). They cannot reorder text."""
_VISIBLE_FORMAT = frozenset(
    "\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2\U000110bd\U000110cd"
)
"""Format characters drawn as visible signs (Arabic, Syriac and Kaithi number marks)."""


_FORMAT_PLANES = (range(0x20000), range(0xE0000, 0xF0000))
"""Where Unicode has format characters (Cf): the Basic and Supplementary Multilingual
Planes and the Supplementary Special-purpose Plane (tags, variation selectors). Scanning
these instead of all 1,114,112 code points saves most of the scan at every start; a test
checks that no other plane has one in this Python's Unicode database."""


def _unsafe_class() -> str:
    """Return the regular-expression class of the characters :func:`visible_text` replaces,
    as ranges (a class of single characters is many times slower to search)."""
    codes = [
        *range(0x00, 0x09),
        0x0B,
        0x0C,
        *range(0x0E, 0x20),  # C0 controls but tab, line feed, carriage return
        *range(0x7F, 0xA0),  # DEL and the C1 controls (CSI \x9b starts a terminal sequence)
        0x2028,
        0x2029,  # line and paragraph separators
        *range(0xD800, 0xE000),  # lone surrogates (no UTF-8 for them)
        0xFFFE,
        0xFFFF,  # non-characters (not allowed in XML)
    ]
    codes += [
        code
        for code in itertools.chain(*_FORMAT_PLANES)
        if unicodedata.category(chr(code)) == "Cf"
        and chr(code) not in _KEPT_FORMAT
        and chr(code) not in _VISIBLE_FORMAT
    ]
    codes.sort()
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    parts = [
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    ]
    return "[" + "".join(parts) + "]"


_UNSAFE = re.compile(_unsafe_class())


def _visible_mark(match: re.Match[str]) -> str:
    return f"[U+{ord(match.group()):04X}]"


def visible_text(value: object) -> tuple[str, bool]:
    """Return ``value`` as text whose every character shows, and whether anything changed.

    Control characters, text-direction embeddings, overrides, isolates and marks
    (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) and other invisible format
    characters (zero-width space, word joiner, soft hyphen, byte-order mark, tag
    characters…) cannot reach a page, an image, a table or a terminal as themselves:
    each becomes its code point in brackets, NUL ``[U+0000]``, ESC ``[U+001B]``,
    RIGHT-TO-LEFT OVERRIDE ``[U+202E]``.

    Why this mark: it is plain ASCII, so it shows in every output and every font (the
    Unicode Control Pictures, ``␀``, are in neither DejaVu Sans, which draws the PNG, SVG
    and PDF images, nor the usual fonts of a Linux browser, and would show as empty
    boxes); it says which character was there; and two names that differ only in such
    characters stay two names (one mark for all, such as U+FFFD, would merge two place
    ids into one and sum their flows).

    Tab, line feed and carriage return (which a note may hold) are kept, as are the
    zero-width non-joiner and joiner (spelling in Persian and Indic scripts, emoji).
    Terminals get :func:`printable` on top, which turns those into spaces.
    """
    text = value if isinstance(value, str) else str(value)
    if text.isprintable() or _UNSAFE.search(text) is None:  # the first test is fast
        return text, False
    return _UNSAFE.sub(_visible_mark, text), True


REPLACED = "flowmap.replaced"
"""The ``attrs`` key of a table read and normalised (:func:`flowmap.io.tables.as_flows`,
:func:`flowmap.batken.data.load_places`…) that counts its distinct names and values whose
characters :func:`visible_text` replaced; maps and writers say so once."""


def replaced_in(*frames: pd.DataFrame | None) -> int:
    """Return how many names and values of these tables had characters replaced by
    :func:`visible_text` while they were read (see :data:`REPLACED`)."""
    return sum(int(f.attrs.get(REPLACED, 0)) for f in frames if f is not None)


def _all_printable(values: pd.Series) -> bool:
    """Return True when ``values`` are Arrow-backed text (pandas' default for text) and all
    printable, tested in Arrow's C++ (a million values in a tenth of a second); False when
    unknown."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        from pandas.arrays import ArrowStringArray
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        return False
    if not isinstance(values.array, ArrowStringArray):
        return False
    printable_ = pc.utf8_is_printable(pa.array(values.array))
    return bool(pc.all(printable_, skip_nulls=True).as_py() is not False)


def visible_values(values: pd.Series) -> tuple[pd.Series, int]:
    """Return text values through :func:`visible_text` (each distinct value once), and how
    many distinct values changed; other values (numbers, missing) are kept as they are.

    A categorical keeps its categories' order; a series that needs no change is
    returned itself.
    """
    import numpy as np
    import pandas as pd

    if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
        return values, 0
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = values.cat.categories
        mapped = {c: visible_text(c)[0] for c in categories if isinstance(c, str)}
        changed = sum(1 for c, v in mapped.items() if c != v)
        if not changed:
            return values, 0
        new = [mapped.get(c, c) for c in categories]
        if len(set(new)) == len(new):
            return values.cat.rename_categories(new), changed
        return values.astype(object).map(lambda v: mapped.get(v, v)).astype("category"), changed
    if _all_printable(values):
        return values, 0
    # One search over the distinct values joined (hashed in C: a million rows usually hold
    # a few thousand values); value by value only when something is to be replaced.
    codes, found = pd.factorize(values, use_na_sentinel=True)
    uniques = found.tolist()
    texts = [u for u in uniques if isinstance(u, str)]
    if not texts or not visible_text(" ".join(texts))[1]:
        return values, 0
    shown = [visible_text(u) if isinstance(u, str) else (u, False) for u in uniques]
    changed = sum(1 for _, did in shown if did)
    table = np.array([text for text, _ in shown] + [None], dtype=object)
    out = pd.Series(table[codes], index=values.index, name=values.name, dtype=object)
    return out.where(codes >= 0, values), changed


def visible_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Return ``frame`` with its column names and text values through
    :func:`visible_text`, and how many distinct names and values changed (0: the frame
    itself is returned). The frame's ``attrs`` are kept."""
    count = 0
    out = frame
    names = [visible_text(c) if isinstance(c, str) else (c, False) for c in frame.columns]
    renamed = sum(1 for _, did in names if did)
    if renamed:
        out = out.copy()
        out.columns = type(frame.columns)([name for name, _ in names])
        count += renamed
    for position in range(out.shape[1]):
        values, changed = visible_values(out.iloc[:, position])
        if changed:
            if out is frame:
                out = out.copy()
            out.isetitem(position, values)
            count += changed
    return out, count


_PLAIN = frozenset({int, float, bool, type(None)})


def visible_tree(value: object) -> tuple[object, bool]:
    """Return a JSON-like value (dicts, lists, text, numbers) with every string, key or
    value, through :func:`visible_text`, and whether anything changed (an unchanged
    value is returned itself). GeoJSON ``coordinates`` are numbers and are not walked."""
    if isinstance(value, str):
        return visible_text(value)
    if isinstance(value, dict):
        changed = False
        out: dict[object, object] = {}
        for key, item in value.items():
            new_key, key_changed = visible_text(key) if isinstance(key, str) else (key, False)
            new_item, item_changed = (item, False) if key == "coordinates" else visible_tree(item)
            out[new_key] = new_item
            changed = changed or key_changed or item_changed
        return (out, True) if changed else (value, False)
    if isinstance(value, (list, tuple)):
        if set(map(type, value)) <= _PLAIN:  # a list of numbers: nothing to walk
            return value, False
        items: list[object] = []
        changed = False
        for item in value:
            if isinstance(item, (str, dict, list, tuple)):
                item, did = visible_tree(item)
                changed = changed or did
            items.append(item)
        return (type(value)(items), True) if changed else (value, False)
    return value, False


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
    # Jinja is imported with the first page written, not with the command line (issue 20).
    from jinja2.utils import htmlsafe_json_dumps

    text = str(
        htmlsafe_json_dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    )
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def printable(value: object, limit: int | None = None) -> str:
    """Return ``value`` as one line of text for a terminal: tab, line feed and carriage
    return become spaces, every other control, text-direction or invisible format
    character shows as its code (:func:`visible_text`: no ANSI escape sequence, no
    reordered text), cut to ``limit`` characters with ``…``."""
    text = str(value).replace("\n", " ").replace("\t", " ").replace("\r", " ")
    text = visible_text(text)[0]
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


def csv_cell(value: object) -> object:
    """Return ``value`` for a cell of a CSV file the project writes: text through
    :func:`visible_text` and :func:`spreadsheet_cell`; numbers and missing values as they
    are."""
    if isinstance(value, str):
        return spreadsheet_cell(visible_text(value)[0])
    return value


def csv_header(name: object) -> str:
    """Return a column name for the header of a CSV file the project writes, escaped as a
    cell is (:func:`csv_cell`): a header ``=cmd|' /C calc'!A0`` is written
    ``'=cmd|' /C calc'!A0``."""
    return str(csv_cell(str(name)))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^&\"'@%/;?])")


NO_LINK = "\u2060"
"""The word joiner (U+2060, invisible and of no width) that :func:`unlinked` puts where a
URL or an address would start."""

_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)


def unlinked(text: str) -> str:
    """Return ``text`` with nothing Markdown's autolinking can make a link of.

    GitHub-flavoured Markdown (Streamlit's) makes links of bare ``http://``, ``https://``
    and ``www.`` URLs and of e-mail addresses (``mailto:`` ones too), and it does so in the
    text after backslash escapes are resolved: escaping the punctuation does not stop it.
    A word joiner (:data:`NO_LINK`) between ``:`` and ``//``, between ``www`` and ``.``
    (any case) and before every ``@`` breaks each pattern while the text reads the same.
    """
    return _AUTOLINK.sub(NO_LINK, text)


def markdown_literal(value: object, limit: int | None = None) -> str:
    """Return ``value`` as Markdown that shows exactly the text, on one line.

    Every ASCII punctuation character that Markdown, GitHub-flavoured Markdown, LaTeX
    (``$``), HTML or Streamlit's directives (``:red[…]``, ``:material/…:``) could read is
    backslash-escaped, control characters are removed, and URLs and e-mail addresses are
    broken for autolinking (:func:`unlinked`), so an image, a link, a heading, a formula,
    a URL or an address in the value stays inert text. Every text from a user, a file or a
    URL that the app shows in Markdown (messages, warnings, captions, expander labels)
    goes through this.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", unlinked(printable(value, limit)))


def markdown_lines(text: object, limit: int = 2000) -> str:
    """Return multi-line text as Markdown that shows each line literally (see
    :func:`markdown_literal`), with hard line breaks between the lines."""
    lines = str(text).splitlines() or [""]
    return "  \n".join(markdown_literal(line, limit) for line in lines)


SHOWN_CHARS = 80
"""The longest value an error message shows (:func:`shown`)."""


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """Return ``value`` as text fit for a message: no control characters, at most ``limit``.

    Control and format characters (including bidirectional overrides) are dropped, and
    long text is cut with an ellipsis.
    """
    text = value if isinstance(value, str) else repr(value)
    text = "".join(
        " " if ch in "\t\n\r" else ch
        for ch in text
        if ch in "\t\n\r" or unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"
