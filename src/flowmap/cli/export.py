"""``flowmap export``: the map of a selection of the Batken data (or files in its schema)
written as a playable or static HTML page or an image; a user's own table goes to
:func:`flowmap.cli.userdata.export_user_map`. An image of the embedded data alone is
:func:`flowmap.cli.image.export_image`'s (the same spec, drawn without a folium map)."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from flowmap.batken import facts
from flowmap.batken.compare import compare_map
from flowmap.batken.dataset import MapData
from flowmap.batken.districts import load_districts
from flowmap.batken.export import make_map, playable_map
from flowmap.batken.player import opening_selection
from flowmap.cli.exportview import asked_selection, export_view, options_from, selection_from
from flowmap.cli.mapfile import write_map
from flowmap.cli.parser import IMAGE_KINDS, out_kind
from flowmap.cli.userdata import export_user_map, user_files
from flowmap.core.budget import CLI
from flowmap.core.errors import FlowmapError
from flowmap.io._files import check_target
from flowmap.render.element import map_spec
from flowmap.text import numbers
from flowmap.text.i18n import msg, t


def export_map(args: argparse.Namespace, out: TextIO) -> int:
    """Write the selected map to ``--out`` and say what was written.

    When chosen destinations have no figure in the selection (a net map of Russia, say),
    the map's note that says so is also printed to stderr as a warning.
    """
    target = check_target(Path(args.out))
    inputs = [p for p in (args.flows, args.places, args.districts) if p]
    if any(target.resolve() == Path(p).resolve() for p in inputs):
        raise FlowmapError(msg("cli.err.overwrite", path=str(target)))
    kind = out_kind(args)
    if kind not in ("html", *IMAGE_KINDS):
        raise FlowmapError(msg("cli.err.out_kind", path=repr(str(target))))
    check_target(target)
    if user_files(args):
        return export_user_map(args, out, target, kind)
    data = MapData.load(
        args.flows, args.places, focus=(args.focus or facts.FOCUS).upper(), budget=CLI
    )
    if getattr(args, "compare", None):  # a static map of the change between two periods
        asked = selection_from(args, data.places)
        if args.year is not None or args.period is not None:
            raise FlowmapError(msg("compare.period"))
        options = options_from(args)
        fmap = compare_map(data, asked, args.compare[0], args.compare[1], options)
        drawn = len(map_spec(fmap)["flows"]["c"])
        said = t("cli.export.drawn", args.lang, count=numbers.count(drawn, args.lang), n=drawn)
        return write_map(fmap, target, kind, args.size, out, said, lang=args.lang)
    # No period asked for: the data set's default, named on the map; a playable page
    # carries every period and opens there.
    asked = asked_selection(args, data)
    playable = kind == "html" and not args.static
    # A playable page's span is the range of its slider; it opens at one of its periods.
    selection = opening_selection(data, asked) if playable else data.resolve(asked)
    districts = load_districts(args.districts) if args.districts else None
    view = export_view(args, data, selection)
    if playable:
        # A playable page names the destinations each of its views leaves out itself.
        fmap = playable_map(data, asked, replace(view.options, notes=()), districts)
    else:
        fmap = make_map(data, selection, view.options, districts)
    view.warn(args.lang)
    # The flows the map draws: a total whose parts are drawn is not counted.
    what = None if playable else view.drawn(args.lang)
    return write_map(fmap, target, kind, args.size, out, what, lang=args.lang)


__all__ = ["export_map"]
