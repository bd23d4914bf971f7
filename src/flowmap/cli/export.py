"""``flowmap export``: the map of a selection of the Batken data (or files in its schema)
written as a playable or static HTML page or an image; a user's own table goes to
:func:`flowmap.cli.userdata.export_user_map`."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from flowmap.batken import facts
from flowmap.batken.compare import compare_map
from flowmap.batken.dataset import MapData, periods_have
from flowmap.batken.districts import load_districts
from flowmap.batken.export import make_map, playable_map
from flowmap.batken.player import opening_selection
from flowmap.batken.preset import MapOptions, data_destinations, missing_note
from flowmap.batken.query import Selection, drawable_flows, select_flows
from flowmap.cli.data_commands import selection_from
from flowmap.cli.mapfile import write_map
from flowmap.cli.output import warn
from flowmap.cli.userdata import export_user_map, user_files
from flowmap.core._escape import replaced_in
from flowmap.core.budget import CLI
from flowmap.core.errors import FlowmapError
from flowmap.io._files import check_target
from flowmap.render.element import map_spec
from flowmap.text import numbers
from flowmap.text.i18n import Message, msg, t
from flowmap.text.period import Period


def export_map(args: argparse.Namespace, out: TextIO) -> int:
    """Write the selected map to ``--out`` and say what was written.

    When chosen destinations have no figure in the selection (a net map of Russia, say),
    the map's note that says so is also printed to stderr as a warning.
    """
    target = check_target(Path(args.out))
    inputs = [p for p in (args.flows, args.places, args.districts) if p]
    if any(target.resolve() == Path(p).resolve() for p in inputs):
        raise FlowmapError(msg("cli.err.overwrite", path=str(target)))
    suffix = target.suffix.lower().lstrip(".")
    kind = args.format or {"htm": "html"}.get(suffix, suffix)
    if kind not in ("html", "png", "svg", "pdf"):
        raise FlowmapError(msg("cli.err.out_kind", path=repr(str(target))))
    check_target(target)
    if user_files(args):
        return export_user_map(args, out, target, kind)
    data = MapData.load(
        args.flows, args.places, focus=(args.focus or facts.FOCUS).upper(), budget=CLI
    )
    asked = selection_from(args, data.places)
    if getattr(args, "compare", None):  # a static map of the change between two periods
        if args.year is not None or args.period is not None:
            raise FlowmapError(msg("compare.period"))
        options = options_from(args)
        fmap = compare_map(data, asked, args.compare[0], args.compare[1], options)
        drawn = len(map_spec(fmap)["flows"]["c"])
        said = t("cli.export.drawn", args.lang, count=numbers.count(drawn, args.lang), n=drawn)
        return write_map(fmap, target, kind, args.size, out, said, lang=args.lang)
    if args.year is None and args.period is None:
        # No period asked for: the data set's default, the app's default view (a user's
        # flows file without 2014-2023: its longest span or latest year), named on the map;
        # a playable page carries every period and opens there.
        asked = replace(asked, period=None)
    playable = kind == "html" and not args.static
    # A playable page's span is the range of its slider; it opens at one of its periods.
    selection = opening_selection(data, asked) if playable else data.resolve(asked)
    districts = load_districts(args.districts) if args.districts else None
    selected = data.selected(selection)
    # Without --dest the map stands for every counterpart in the data: the note names
    # those it leaves out (the map's own note covers destinations chosen with --dest).
    everything = None if selection.dest else data_destinations(data.flows, selection.focus)
    shown = drawable_flows(selected, data.places)
    missing = missing_note(selection, data.places, shown, args.lang, everything)
    if shown.empty:
        # An empty map is no map: say why and write nothing.
        why = _why_empty(data, selection) or missing or msg("note.empty")
        raise FlowmapError(msg("cli.err.empty_map", why=why))
    options = options_from(
        args,
        subtitle=args.subtitle,
        notes=(missing,) if missing and everything is not None else (),
    )
    if playable:
        # A playable page names the destinations each of its views leaves out itself.
        fmap = playable_map(data, asked, replace(options, notes=()), districts)
    else:
        fmap = make_map(data, selection, options, districts)
    if missing:
        warn(missing, args.lang)
    if replaced_in(data.flows, data.places):
        warn(msg("note.replaced"), args.lang)
    # The flows the map draws: a total whose parts are drawn is not counted.
    n = len(shown)
    what = (
        None
        if kind == "html" and not args.static
        else t("cli.export.drawn", args.lang, count=numbers.count(n, args.lang), n=n)
    )
    return write_map(fmap, target, kind, args.size, out, what, lang=args.lang)


def options_from(args: argparse.Namespace, **more: Any) -> MapOptions:
    """The Batken map's options the export command asks for (language, border, tiles,
    title, palette, look), with ``more`` of them (subtitle, notes)."""
    return MapOptions(
        lang=args.lang,
        border_overlay=not args.no_border,
        online_tiles=args.online_tiles,
        title=args.title,
        palette=args.palette,
        theme=args.theme,
        **more,
    )


def _why_empty(data: MapData, selection: Selection) -> Message | None:
    """Return why ``selection`` has no flow when its sex or age group has figures for
    other periods only (men, 2014–2023: figures by sex exist only for the years 2017–2023);
    None when that is not the reason."""
    for column, value, everyone in (("sex", selection.sex, "total"), ("age", selection.age, "all")):
        if value == everyone:
            continue
        if selection.direction == "net":
            rows = data.balances[data.balances["place"] == selection.focus]
        else:
            rows = select_flows(data.flows, replace(selection, period=None, sex="any", age="any"))
        periods = {Period.parse(str(p)) for p in rows.loc[rows[column] == value, "period"]}
        if periods and selection.period not in periods:
            return msg(
                "query.no_group",
                group=msg(f"{column}.{value}"),
                period=selection.period.label() if selection.period else "",
                have=periods_have(periods),
            )
    return None
