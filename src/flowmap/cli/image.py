"""``flowmap export --out map.png`` (or ``.svg``, ``.pdf``) of the embedded Batken data: the
map's page spec (:func:`flowmap.batken.mapspec.make_spec`) drawn as an image, without
building a folium map, so the command imports no folium, branca or geopandas (issue 20: a
Batken PNG in 1.5 s).

:data:`flowmap.cli.commands.COMMANDS` runs this command for such an export
(:func:`flowmap.cli.parser.batken_image`); every other export (HTML, a comparison, files of
one's own, one's own districts) is :func:`flowmap.cli.export.export_map`, which draws the
same image from the same spec.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from flowmap.batken import facts
from flowmap.batken.dataset import MapData
from flowmap.batken.mapspec import make_spec
from flowmap.cli.exportview import asked_selection, export_view, write_image
from flowmap.cli.parser import IMAGE_KINDS, out_kind
from flowmap.core.budget import CLI
from flowmap.core.errors import FlowmapError
from flowmap.io._files import check_target
from flowmap.text.i18n import msg


def export_image(args: argparse.Namespace, out: TextIO) -> int:
    """Write the image of the selected view of the embedded Batken data to ``--out`` and
    say what was written; the destinations the view leaves out are also printed to
    stderr as a warning, as :func:`flowmap.cli.export.export_map` does."""
    target = check_target(Path(args.out))
    kind = out_kind(args)
    if kind not in IMAGE_KINDS:
        raise FlowmapError(msg("cli.err.out_kind", path=repr(str(target))))
    data = MapData.load(focus=(args.focus or facts.FOCUS).upper(), budget=CLI)
    selection = data.resolve(asked_selection(args, data))
    view = export_view(args, data, selection)
    spec = make_spec(data, selection, view.options)
    view.warn(args.lang)
    what = view.drawn(args.lang)
    return write_image(spec.wire(), target, kind, args.size, out, what, lang=args.lang)


__all__ = ["export_image"]
