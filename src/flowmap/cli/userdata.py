"""The command line on your own data: ``flowmap export`` and ``flowmap data show`` with
``--flows FILE [--places FILE]`` in any layout :mod:`flowmap.io.userdata` reads, drawn by the
general engine (:func:`flowmap.flow_map`), not the Batken preset.

Files in the Batken data set's own schema (flows with ``basis`` and ``source_ref``, places
with ``kind`` and names in three languages) keep going through the preset, as before.

What was read goes to stderr ("flowmap: read flows.csv: long table, ';'-separated, cp1251,
1,204 rows"), and so do the rows skipped, as ``flowmap: warning:`` lines.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from flowmap.batken.data import FLOW_COLUMNS, PLACE_COLUMNS
from flowmap.cli.mapfile import write_map
from flowmap.cli.output import say, table, warn, write_json
from flowmap.cli.parser import USER_OPTIONS
from flowmap.core._escape import csv_cell, csv_header, printable
from flowmap.core.budget import CLI
from flowmap.core.errors import FlowmapError
from flowmap.engine.flows import choose_period, coverage, select
from flowmap.engine.flows.compare import change
from flowmap.engine.flows.limit import DEFAULT_TOP
from flowmap.io._textread import check_regular
from flowmap.render.element import map_spec
from flowmap.render.usermap import UserData, load_user_data
from flowmap.text import numbers
from flowmap.text.i18n import MESSAGES, msg, t


def _has_columns(path: str, required: Sequence[str]) -> bool:
    """Return True when the file's header has every ``required`` column (a CSV in the
    Batken schema), or when it cannot be read (the Batken loader then says why).

    Raises
    ------
    DataValidationError
        For a pipe, device or folder, before it is opened (a FIFO would never end).
    """
    check_regular(path, path)
    try:
        with Path(path).open("rb") as stream:
            head = stream.read(64 * 1024)
    except OSError:
        return True
    if head[:2] == b"\x1f\x8b" or head[:4] == b"PK\x03\x04":
        return False
    lines = head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()
    if not lines:
        return True
    header = {cell.strip() for cell in next(csv.reader([lines[0]]), [])}
    return set(required) <= header


def user_files(args: argparse.Namespace) -> bool:
    """Return True when ``--flows`` (or ``--places``) is a user's own table for the
    general engine, False for the embedded data or files in the Batken schema.

    Raises
    ------
    FlowmapError
        If options of the general engine are given for the Batken data.
    """
    own = bool(args.flows) and (
        not _has_columns(args.flows, FLOW_COLUMNS)
        or (bool(args.places) and not _has_columns(args.places, PLACE_COLUMNS))
    )
    given = [name for name in USER_OPTIONS if getattr(args, name, None) is not None]
    if not own and given:
        shown = ", ".join("--" + name.replace("_", "-") for name in given)
        raise FlowmapError(msg("cli.err.user_only", options=shown))
    return own


def _mapping(text: str | None, option: str) -> dict[str, str] | None:
    """Return ``origin=From,dest=To`` as a role -> column mapping."""
    if not text:
        return None
    mapping: dict[str, str] = {}
    for part in text.split(","):
        role, sep, column = part.partition("=")
        if not sep or not role.strip() or not column.strip():
            example = (
                "id=Code,lat=Lat,lon=Lon"
                if option == "--place-columns"
                else "origin=From,dest=To,count=N"
            )
            raise FlowmapError(
                msg("cli.err.mapping", option=option, example=example, part=repr(part[:40]))
            )
        mapping[role.strip()] = column.strip()
    return mapping


def load(args: argparse.Namespace) -> UserData:
    """Return the user's data named by the options, saying on stderr, in ``--lang``, what
    was read and which rows are skipped."""
    lang = args.lang
    data = load_user_data(
        args.flows,
        args.places,
        flow_columns=_mapping(args.columns, "--columns"),
        place_columns=_mapping(args.place_columns, "--place-columns"),
        layout=args.layout,
        sheet=args.sheet,
        orient=args.orient,
        measure=args.measure or "flow",
        hints="cli",
        budget=CLI,
    )
    for line in [*data.describe(), *data.notes]:
        say(line, lang)
    for line in data.warnings(lang):
        warn(line, lang, limit=500)
    return data


def _places(text: str, places: pd.DataFrame, option: str) -> list[str]:
    """Return the place ids of a comma-separated option (case-insensitive when unique)."""
    ids = [str(i) for i in places.index]
    folded: dict[str, list[str]] = {}
    for place_id in ids:
        folded.setdefault(place_id.casefold(), []).append(place_id)
    chosen, unknown = [], []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if part in places.index:
            chosen.append(part)
        elif len(folded.get(part.casefold(), [])) == 1:
            chosen.append(folded[part.casefold()][0])
        else:
            unknown.append(part)
    if unknown:
        known = ", ".join(ids[:20]) + (", …" if len(ids) > 20 else "")
        values = ", ".join(repr(u[:40]) for u in unknown[:5])
        raise FlowmapError(msg("cli.err.not_a_place", option=option, values=values, known=known))
    return chosen


def _filters(args: argparse.Namespace, flows: pd.DataFrame) -> dict[str, str]:
    """Return the attribute filters of ``--sex``, ``--age`` and ``--basis`` for a user's
    flows: a column of that name is filtered on a value it has; the defaults filter only
    where the column has that value (``sex`` ``total``), other values need the column."""
    filters: dict[str, str] = {}
    for column, value, default in (
        ("sex", args.sex, "total"),
        ("age", args.age, "any"),
        ("basis", args.basis, "all"),
    ):
        if value in ("any", "all"):
            continue
        has = column in flows.columns and (flows[column].astype(str) == value).any()
        if has:
            filters[column] = value
        elif value != default:
            raise FlowmapError(
                msg("cli.err.no_column", column=column, value=value, name=repr(column))
            )
    return filters


def selection(args: argparse.Namespace, data: UserData) -> tuple[UserData, dict[str, Any]]:
    """Return the data (narrowed by ``--dest``) and the options of
    :func:`flowmap.engine.flows.select` given on the command line; stop (a
    :class:`~flowmap.core.errors.FlowmapError`) when more than 5% of the volume cannot be drawn,
    unless ``--allow-missing``."""
    focus = _places(args.focus, data.places, "--focus") if args.focus else []
    direction = args.direction or "both"
    if direction in ("out", "in") and not focus:
        raise FlowmapError(msg(f"cli.err.needs_focus.{direction}"))
    if args.dest:
        ends = _places(args.dest, data.places, "--dest")
        flows = data.flows
        if focus:
            keep = (flows["origin"].isin(focus) & flows["dest"].isin(ends)) | (
                flows["dest"].isin(focus) & flows["origin"].isin(ends)
            )
        else:
            keep = flows["origin"].isin(ends) | flows["dest"].isin(ends)
        data = replace(data, flows=flows[keep])
    options: dict[str, Any] = {
        "places": focus,
        "direction": direction,
        "period": args.year or args.period,
        "filters": _filters(args, data.flows),
        "top": args.top,
        "min_count": args.min_count or 0,
        "measure": data.measure,
    }
    data.not_drawn(options["period"]).check(args.allow_missing, hints="cli")
    return data, options


def say_period(data: UserData, period: str | None, lang: str) -> str:
    """Say on stderr which period is shown ("shown: 2023, the latest of 35 years; --year
    YEAR shows another, --period 1989-2023 sums them"), as a warning when years of a span
    are missing; return the statement in ``lang`` (``""`` without time values).

    Raises
    ------
    FlowmapError
        For a span of a stock table.
    """
    times = data.cleaned()["time"]
    choice = choose_period(times, period, measure=data.measure)
    statement = choice.statement()
    if statement is None:
        return ""
    if choice.coverage is not None and choice.coverage.missing:
        warn(msg("cli.user.shown", what=statement), lang)
    elif choice.latest:
        span = coverage(times)
        if data.measure == "stock" or span is None:
            say(msg("cli.user.shown_latest_stock", what=statement), lang)
        else:
            say(msg("cli.user.shown_latest", what=statement, span=str(span.period)), lang)
    else:
        say(msg("cli.user.shown", what=statement), lang)
    return statement.text(lang)


def export_user_map(args: argparse.Namespace, out: TextIO, target: Path, kind: str) -> int:
    """Write the map of a user's flows (``flowmap export --flows FILE``) and say what was
    written; what was read and skipped goes to stderr."""
    if args.districts:
        raise FlowmapError(msg("cli.err.districts"))
    data, options = selection(args, load(args))
    if options["top"] is None:  # the map's default limit (--top 0: every flow), said on it
        options["top"] = DEFAULT_TOP
    compare = getattr(args, "compare", None)
    shown = "" if compare else say_period(data, options["period"], args.lang)
    fmap = data.flow_map(
        compare=tuple(compare) if compare else None,
        theme=args.theme,
        select_places=options.pop("places"),
        **options,
        title=args.title,
        subtitle=args.subtitle,
        source=args.source,
        lang=args.lang,
        basemap="tiles" if args.online_tiles else "offline",
        palette=args.palette,
    )
    spec = map_spec(fmap)
    lang = args.lang
    for alert in spec["text"].get("alerts") or []:
        if alert != shown:  # said above
            warn(alert, lang, limit=500)
    drawn = len(spec["flows"]["c"])
    if not drawn:
        warn(t("cli.export.empty", lang), lang)
    what = t("cli.export.drawn", lang, count=numbers.count(drawn, lang), n=drawn)
    return write_map(fmap, target, kind, args.size, out, what, lang=lang)


def _names(places: pd.DataFrame, lang: str) -> Mapping[str, str]:
    """Return place id -> name in ``lang`` (``name_<lang>`` where the table has it)."""
    names = places["name"].astype(str)
    localised = f"name_{lang}"
    if localised in places.columns:
        shown = places[localised].astype("string").fillna("").str.strip()
        names = shown.where(shown != "", names).astype(str)
    return dict(zip(places.index.astype(str), names, strict=True))


def show_user_data(args: argparse.Namespace, out: TextIO) -> int:
    """Print a user's cleaned flows (``flowmap data show --flows FILE``): the selected
    flows of one period (the latest unless ``--year`` or ``--period`` says; a span
    summed), largest first, the period in their own column."""
    data, options = selection(args, load(args))
    if getattr(args, "compare", None):
        return _show_change(data, options, args, out)
    say_period(data, options["period"], args.lang)
    missing = data.not_drawn(options["period"])
    if missing.flows:  # allowed (--allow-missing, or 5% or less): said all the same
        warn(missing.message(), args.lang, limit=500)
    frame = select(data.cleaned(), **options)
    names = _names(data.places, args.lang)
    frame.insert(1, "origin_name", frame["origin"].map(names))
    frame.insert(3, "dest_name", frame["dest"].map(names))
    if args.format == "csv":
        header = [csv_header(c) for c in frame.columns]
        out.write(frame.map(csv_cell).to_csv(index=False, header=header, lineterminator="\n"))
        return 0
    if args.format == "json":
        write_json(frame.to_dict(orient="records"), out)
        return 0
    lang = args.lang
    if frame.empty:
        out.write(t("cli.show.user_none", lang) + "\n")
        return 0
    shown = ("origin", "origin_name", "dest", "dest_name", "count", "time", "kind")
    attributes = [c for c in frame.columns if c not in shown]
    rows = [
        [
            _named(row["origin"], row["origin_name"]),
            _named(row["dest"], row["dest_name"]),
            int(row["count"]),
            row["time"],
            _kind(str(row["kind"]), lang),
            *(row[c] for c in attributes),
        ]
        for row in frame.to_dict(orient="records")
    ]
    header = [t(f"cli.show.{h}", lang) for h in ("from", "to", "count", "period", "kind")]
    out.write(table([*header, *attributes], rows, lang) + "\n")
    return 0


def _show_change(
    data: UserData, options: Mapping[str, Any], args: argparse.Namespace, out: TextIO
) -> int:
    """Print the change of a user's flows from one period to another (``data show --flows
    FILE --compare A B``, :func:`flowmap.engine.flows.compare.change`): both figures, empty
    where a pair has none in a period (never taken as 0), the change and its kind."""
    if options["period"] is not None:
        raise FlowmapError(msg("compare.period"))
    how = {k: options[k] for k in ("places", "direction", "filters", "min_count", "measure")}
    frame, said = change(data.cleaned(), args.compare[0], args.compare[1], **how)
    frame = frame.drop(columns=["count", "time"])
    for column in ("before", "after", "change"):  # whole numbers, empty where none
        frame[column] = frame[column].round().astype("Int64")
    names = _names(data.places, args.lang)
    frame.insert(1, "origin_name", frame["origin"].map(names))
    frame.insert(3, "dest_name", frame["dest"].map(names))
    if args.format in ("csv", "json"):
        records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        if args.format == "json":
            write_json(records, out)
            return 0
        header = [csv_header(c) for c in frame.columns]
        cells = frame.astype(object).where(frame.notna(), "").map(csv_cell)
        out.write(cells.to_csv(index=False, header=header, lineterminator="\n"))
        return 0
    lang = args.lang

    def figure(value: object) -> object:
        return "—" if value is None or pd.isna(value) else int(float(str(value)))

    rows = [
        [
            _named(row["origin"], row["origin_name"]),
            _named(row["dest"], row["dest_name"]),
            figure(row["before"]),
            figure(row["after"]),
            "—" if pd.isna(row["change"]) else numbers.signed(row["change"], lang, plus=True),
        ]
        for row in frame.to_dict(orient="records")
    ]
    header = [t("cli.show.from", lang), t("cli.show.to", lang), said.first, said.second]
    out.write(table([*header, t("cli.show.change", lang)], rows, lang) + "\n")
    note = t("cli.show.change_note_user", lang, first=said.first, second=said.second)
    out.write(printable(note) + "\n")
    return 0


def _kind(kind: str, lang: str) -> str:
    """Return a flow's kind (``out``, ``in``, ``net``, ``between``) for a table cell: the
    code in English (scripts may read it), the catalogue's word in Kyrgyz and Russian."""
    key = "cli.show.kind.between" if kind == "between" else f"player.dir.{kind}"
    return t(key, lang) if lang != "en" and key in MESSAGES else kind


def _named(place_id: object, name: object) -> str:
    """Return ``"ID name"``, or the id alone when the name is the id."""
    return str(place_id) if str(name) in (str(place_id), "nan", "") else f"{place_id} {name}"


__all__ = [
    "export_user_map",
    "load",
    "selection",
    "show_user_data",
    "user_files",
]
