"""What ``flowmap export`` and ``flowmap data show`` share about a view of the Batken data:
the selection the options ask for, the map's options, the flows it draws and the note on
the destinations it leaves out; and the image file written from a map's page spec.

It imports no module that builds a folium map: an image of the Batken data
(:mod:`flowmap.cli.image`) is drawn from the page spec alone, without folium, branca or
geopandas, and the HTML export (:mod:`flowmap.cli.export`) uses the same steps.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from flowmap.batken import facts
from flowmap.batken.dataset import MapData, periods_have
from flowmap.batken.options import MapOptions
from flowmap.batken.query import (
    Selection,
    drawable_flows,
    parse_dest,
    period_from,
    select_flows,
)
from flowmap.batken.wording import data_destinations, missing_note
from flowmap.cli import painter
from flowmap.cli.output import warn
from flowmap.core._escape import printable, replaced_in
from flowmap.core.errors import FlowmapError
from flowmap.render.image import render_image
from flowmap.render.spec import FlowSpec
from flowmap.text import numbers
from flowmap.text.i18n import Message, msg, t
from flowmap.text.period import Period


def selection_from(args: argparse.Namespace, places: pd.DataFrame) -> Selection:
    """Return the :class:`Selection` described by parsed command-line options."""
    chosen = args.focus or facts.FOCUS
    try:
        focus = parse_dest(chosen, places)
    except FlowmapError:
        known = ", ".join(map(str, places.index[:30]))
        raise FlowmapError(
            msg("cli.err.focus_unknown", value=repr(chosen[:40]), known=known)
        ) from None
    if len(focus) != 1:
        raise FlowmapError(msg("cli.err.focus_one", value=repr(chosen)))
    every = args.year is None and str(args.period).strip().lower() == "all"
    if every and getattr(args, "command", "") != "data":
        raise FlowmapError(msg("cli.err.period_all"))
    return Selection(
        period=None if every else period_from(args.year, args.period) or facts.DEFAULT_PERIOD,
        dest=parse_dest(args.dest, places) if args.dest else (),
        direction=args.direction or "out",
        sex=args.sex,
        age=args.age,
        basis=args.basis,
        focus=focus[0],
    )


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


def asked_selection(args: argparse.Namespace, data: MapData) -> Selection:
    """Return the selection ``flowmap export`` asks for: without ``--year`` or
    ``--period``, no period (the data set's default, the app's default view, named on the
    map; a user's flows file without 2014-2023: its longest span or latest year)."""
    asked = selection_from(args, data.places)
    if args.year is None and args.period is None:
        asked = replace(asked, period=None)
    return asked


@dataclass(frozen=True)
class ExportView:
    """One view of the Batken data as ``flowmap export`` draws it.

    Attributes
    ----------
    shown
        The flows the map draws (a total whose parts are drawn is not among them).
    missing
        The note on chosen or data destinations without a figure in the view, or None.
    options
        The map's options (the note on left-out destinations among its notes).
    replaced
        How many names were made visible while the data set was read (0: none).
    """

    shown: pd.DataFrame
    missing: str | None
    options: MapOptions
    replaced: int

    def warn(self, lang: str) -> None:
        """Print the view's warnings to stderr in ``lang``: the destinations it leaves out,
        the names made visible."""
        if self.missing:
            warn(self.missing, lang)
        if self.replaced:
            warn(msg("note.replaced"), lang)

    def drawn(self, lang: str) -> str:
        """Return "9 flows drawn" in ``lang``."""
        n = len(self.shown)
        return t("cli.export.drawn", lang, count=numbers.count(n, lang), n=n)


def export_view(args: argparse.Namespace, data: MapData, selection: Selection) -> ExportView:
    """Return the view of ``selection`` that ``flowmap export`` draws.

    Raises
    ------
    FlowmapError
        When the view has no flow to draw, saying why (an empty map is no map).
    """
    selected = data.selected(selection)
    # Without --dest the map stands for every counterpart in the data: the note names
    # those it leaves out (the map's own note covers destinations chosen with --dest).
    everything = None if selection.dest else data_destinations(data.flows, selection.focus)
    shown = drawable_flows(selected, data.places)
    missing = missing_note(selection, data.places, shown, args.lang, everything)
    if shown.empty:
        # An empty map is no map: say why and write nothing.
        why = why_empty(data, selection) or missing or msg("note.empty")
        raise FlowmapError(msg("cli.err.empty_map", why=why))
    options = options_from(
        args,
        subtitle=args.subtitle,
        notes=(missing,) if missing and everything is not None else (),
    )
    return ExportView(shown, missing, options, replaced_in(data.flows, data.places))


def why_empty(data: MapData, selection: Selection) -> Message | None:
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


def write_image(
    spec: FlowSpec | Mapping[str, Any],
    target: Path,
    kind: str,
    size: str,
    out: TextIO,
    what: str | None,
    *,
    lang: str = "en",
) -> int:
    """Draw the map of ``spec`` to ``target`` as ``kind`` (png, svg, pdf) and say in
    ``lang`` what was written ("9 flows drawn": ``what``)."""
    if not painter.paint(spec, target, kind, size):  # drawn here unless a child drew it
        render_image(spec, target, format=kind, size=size)
    size_kb = numbers.count(round(target.stat().st_size / 1024), lang)
    shown = kind if lang == "en" else kind.upper()
    line = t("cli.wrote.image", lang, path=printable(target), size=size_kb, kind=shown, what=what)
    out.write(line + "\n")
    return 0


__all__ = [
    "ExportView",
    "asked_selection",
    "export_view",
    "options_from",
    "selection_from",
    "why_empty",
    "write_image",
]
