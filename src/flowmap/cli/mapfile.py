"""Writing a map to the file ``flowmap export --out`` names: an HTML page or an image, and
one line saying what was written (a warning first when the page is large)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import folium

from flowmap.batken.player import summary
from flowmap.cli.exportview import write_image
from flowmap.cli.output import warn
from flowmap.core._escape import printable
from flowmap.io._files import LARGE_FILE_BYTES, write_text
from flowmap.render.element import map_spec
from flowmap.render.maps import map_html
from flowmap.text import numbers
from flowmap.text.i18n import t


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
    if kind != "html":
        return write_image(map_spec(fmap), target, kind, size, out, what, lang=lang)
    text = map_html(fmap)
    length = len(text.encode("utf-8"))
    if length > LARGE_FILE_BYTES:
        megabytes = numbers.decimal(length / 2**20, lang, 1)
        warn(t("cli.large", lang, size=megabytes, limit=LARGE_FILE_BYTES // 2**20), lang)
    write_text(target, text)
    if what is None:
        what = summary(fmap, lang)
    size_kb = numbers.count(round(length / 1024), lang)
    out.write(t("cli.wrote.html", lang, path=printable(target), size=size_kb, what=what) + "\n")
    return 0
