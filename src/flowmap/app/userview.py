"""The app's "Your data" page, without Streamlit: which uploaded file holds what, the
choices a user's table offers (years, places), the tables shown, and the zip download.

Everything here works on :class:`flowmap.render.usermap.UserData` (read by
:func:`flowmap.render.usermap.load_user_data`); ``app.py`` only wires widgets to it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from flowmap.app.cache import size_of_frame
from flowmap.app.table import csv_bytes
from flowmap.core._escape import printable
from flowmap.core.budget import APP, Budget
from flowmap.core.errors import FlowmapError
from flowmap.engine.flows import location_totals
from flowmap.io._csvio import MAX_ROWS as CSV_MAX_ROWS
from flowmap.io.tables import _join
from flowmap.io.userdata import detect_layout, read_any
from flowmap.io.userdata.flows import check_cells
from flowmap.render.usermap import UserData, load_user_data
from flowmap.text.i18n import Count, Message, localise, msg, t

MAX_UPLOAD_MB = 50
"""Largest upload the app takes (``server.maxUploadSize`` in ``.streamlit/config.toml``)."""
MAX_ROWS = 1_000_000
"""Most flow rows the app maps (the command line takes up to 2,000,000)."""
CLI_MAX_ROWS = CSV_MAX_ROWS
"""Most flow rows the command line maps."""
ROLES = ("origin", "dest", "count", "time")
"""Columns of a long table a user may map by hand."""
_YEAR = re.compile(r"^\s*([12][0-9]{3})(?:\s*[-–]\s*([12][0-9]{3}))?\s*$")


@dataclass(frozen=True)
class Upload:
    """One uploaded file: its name and bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Roles:
    """Which upload holds the flows and which (if any) the places, and why."""

    flows: Upload
    places: Upload | None = None
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Each upload's columns (by name), for the column mapping."""


def classify(
    uploads: Sequence[Upload], budget: Budget = APP
) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """Read every upload within ``budget`` and return what each looks like (``flows`` or
    ``places``) and its columns (by name): the reading part of :func:`assign`, which the app
    runs in a worker process (:mod:`flowmap.app.worker`).

    Raises
    ------
    FlowmapError
        For no upload, more than two, or one that cannot be read as a table.
    """
    if not uploads or len(uploads) > 2:
        raise FlowmapError(msg("user.view.choose_files", count=Count(len(uploads))))
    kinds: list[str] = []
    columns: dict[str, tuple[str, ...]] = {}
    for upload in uploads:
        frame, _ = read_any(upload.data, name=upload.name, budget=budget)
        columns[upload.name] = tuple(str(c) for c in frame.columns)
        try:
            layout, roles = detect_layout(frame, source=upload.name)
        except FlowmapError:
            layout, roles = "unknown", {}
        # A wide table or matrix of more cells than the app melts is refused here, before
        # a second reading (read_upload's) would parse it again.
        check_cells(frame, layout, roles, upload.name, budget)
        kinds.append("places" if layout == "places" else "flows")
    return tuple(kinds), columns


def assign(
    uploads: Sequence[Upload],
    classified: tuple[tuple[str, ...], dict[str, tuple[str, ...]]] | None = None,
) -> Roles:
    """Return which of one or two uploads holds the flows and which the places.

    A table whose columns look like places (id, name, lat, lon) is the places; the other
    one is the flows. With one upload it is the flows (its places are then found in the
    offline gazetteer by id).

    Parameters
    ----------
    uploads
        The uploaded files.
    classified
        What :func:`classify` returned for ``uploads``, when it was run elsewhere (the
        files are then not read again).

    Raises
    ------
    FlowmapError
        For no upload, more than two, or two that are both places or both flows.
    """
    kinds, columns = classified if classified is not None else classify(uploads)
    if len(kinds) != len(uploads):
        raise ValueError("classified describes other uploads")
    if len(uploads) == 1:
        if kinds[0] == "places":
            raise FlowmapError(msg("user.view.only_places", file=printable(uploads[0].name, 80)))
        return Roles(uploads[0], None, columns)
    if kinds.count("places") != 1:
        found = _join(
            [
                msg(
                    "user.view.looks_like",
                    file=printable(u.name, 80),
                    kind=msg(f"user.view.like.{k}"),
                )
                for u, k in zip(uploads, kinds, strict=True)
            ]
        )
        raise FlowmapError(msg("user.view.two_files", found=found))
    flows = uploads[kinds.index("flows")]
    places = uploads[kinds.index("places")]
    return Roles(flows, places, columns)


def size_of(user: UserData) -> int:
    """Return roughly how much memory a user's data takes, in bytes: its flows and places
    (:func:`flowmap.app.cache.size_of_frame`), plus 64 KiB for its notes and examples."""
    return size_of_frame(user.flows) + size_of_frame(user.places) + 64 * 1024


def years_of(user: UserData) -> list[int]:
    """Return the years the flows are labelled with (a span counts its first and last)."""
    if "time" not in user.flows:
        return []
    years: set[int] = set()
    for label in pd.unique(user.flows["time"].astype(str)):
        match = _YEAR.match(str(label))
        if match:
            years.update(int(y) for y in match.groups() if y)
    return sorted(years)


def time_values(user: UserData) -> list[str]:
    """Return the time labels of the flows (``2019``, ``2014-2023``), earliest first (by
    their end, then their start): the one-period choices of a map, the last being the one
    drawn by default (see :func:`flowmap.engine.flows.choose_period`)."""
    if "time" not in user.flows:
        return []
    labels = {str(v) for v in pd.unique(user.flows["time"].astype(str)) if str(v).strip()}
    known: list[tuple[int, int, str]] = []
    for label in labels:
        match = _YEAR.match(label)
        if match:
            start = int(match.group(1))
            known.append((int(match.group(2) or start), start, label))
    return [label for _, _, label in sorted(known)]


def place_choices(user: UserData) -> dict[str, str]:
    """Return id -> "name (id)" of the places with flows, largest total first."""
    flows = user.flows
    totals = location_totals(flows)
    order = (totals["incoming"] + totals["outgoing"] + totals["internal"]).sort_values(
        ascending=False, kind="stable"
    )
    names = user.places["name"] if "name" in user.places else pd.Series(dtype=str)
    out: dict[str, str] = {}
    for pid in order.index.astype(str):
        name = str(names.get(pid, "")) if pid in names.index else ""
        out[pid] = (
            f"{printable(name, 60)} ({printable(pid, 30)})"
            if name and name != pid
            else printable(pid, 60)
        )
    return out


COLUMNS = (
    "origin",
    "dest",
    "count",
    "time",
    "id",
    "name",
    "lat",
    "lon",
    "incoming",
    "outgoing",
    "net",
    "internal",
    "total",
)
"""The columns of the tables made here whose headers are words, said in the reader's
language by :func:`headers` (a user's own columns keep their names)."""


def headers(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Return ``frame`` with the headers of :data:`COLUMNS` in ``lang`` (``origin`` is
    «откуда» in Russian); English headers are left as they are."""
    if lang == "en":
        return frame
    names = {c: t(f"user.col.{c}", lang) for c in COLUMNS if c in frame.columns}
    taken = {str(c) for c in frame.columns if c not in names}
    return frame.rename(columns={c: n for c, n in names.items() if n not in taken})


def totals_table(user: UserData, lang: str = "en") -> pd.DataFrame:
    """Return incoming, outgoing, net and internal per place, with names, largest first;
    headers in ``lang`` (see :func:`headers`)."""
    totals = location_totals(user.cleaned())
    names = user.places["name"] if "name" in user.places else pd.Series(dtype=str)
    localised = f"name_{lang}"
    if localised in user.places:
        shown = user.places[localised].astype("string").fillna("").str.strip()
        names = shown.where(shown != "", names)
    table = totals.reset_index(names="id")
    table.insert(1, "name", [str(names.get(p, "")) for p in table["id"]])
    table["total"] = table["incoming"] + table["outgoing"]
    table = table.sort_values("total", ascending=False, kind="stable").reset_index(drop=True)
    return headers(table, lang)


def preview(frame: pd.DataFrame, rows: int = 50, lang: str = "en") -> pd.DataFrame:
    """Return the first rows of a table, every cell as one line of printable text, the
    headers of :data:`COLUMNS` in ``lang``."""
    head = frame.head(rows).copy()
    for column in head.columns:
        if head[column].dtype == object or pd.api.types.is_string_dtype(head[column]):
            head[column] = head[column].map(lambda v: printable(v, 120))
    return headers(head, lang)


def bundle(user: UserData, html: str, *, title: str, lang: str = "en") -> bytes:
    """Return a zip of the map and the cleaned tables: ``map.html``, ``flows.csv`` (the
    flows the map can draw), ``places.csv``, ``totals.csv`` and ``README.txt`` (what was
    read, what was skipped and why), the texts and the tables' headers in ``lang``. CSV
    cells that a spreadsheet would run as formulas are escaped."""
    files = [
        ("flows.csv", "user.bundle.flows"),
        ("places.csv", "user.bundle.places"),
        ("totals.csv", "user.bundle.totals"),
        ("map.html", "user.bundle.map"),
    ]
    lines = [
        printable(title, 200),
        "",
        t("user.bundle.made", lang),
        "",
        *(localise(line, lang) for line in [*user.describe(), *user.notes]),
        *user.warnings(lang),
        "",
        *(f"{name:<12}{t(key, lang)}" for name, key in files),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("map.html", html)
        archive.writestr("flows.csv", csv_bytes(headers(user.cleaned(), lang)))
        places = headers(user.places.reset_index(drop=True), lang)
        archive.writestr("places.csv", csv_bytes(places))
        archive.writestr("totals.csv", csv_bytes(totals_table(user, lang)))
        archive.writestr("README.txt", "\n".join(printable(line) for line in lines) + "\n")
    return buffer.getvalue()


def too_many_rows(user: UserData) -> Message | None:
    """Return why a table is too large for the app (a :class:`~flowmap.text.i18n.Message`), or
    None."""
    rows = len(user.flows)
    if rows > MAX_ROWS:
        return msg(
            "user.view.too_many",
            rows=Count(rows),
            max=Count(MAX_ROWS),
            cli=Count(CLI_MAX_ROWS),
        )
    return None


def read_upload(
    flows: Upload,
    places: Upload | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    layout: str | None = None,
    orient: str | None = None,
    measure: str = "flow",
    budget: Budget = APP,
) -> UserData:
    """Read a user's upload(s) as the app does, refusing more flow rows than it maps.

    The app runs this in a worker process (:mod:`flowmap.app.worker`): a table refused for its
    size then never reaches the server, whose memory would keep the pages of its millions
    of cells.

    Parameters
    ----------
    flows, places
        The uploads (no places: the gazetteer locates the flows' ids).
    columns, layout, orient, measure
        As for :func:`flowmap.render.usermap.load_user_data` (``flow_columns``, ...).
    budget
        The most a file may hold (the app's, by default).

    Raises
    ------
    FlowmapError
        For a file that cannot be read, or one of more than :data:`MAX_ROWS` flow rows.
    """
    user = load_user_data(
        flows.data,
        places.data if places is not None else None,
        flows_name=flows.name,
        places_name=places.name if places is not None else None,
        flow_columns=dict(columns) if columns else None,
        layout=layout,
        orient=orient,
        measure=measure,
        hints="app",
        budget=budget,
    )
    refusal = too_many_rows(user)
    if refusal is not None:
        raise FlowmapError(refusal)
    return user


__all__ = [
    "MAX_ROWS",
    "MAX_UPLOAD_MB",
    "ROLES",
    "Roles",
    "Upload",
    "assign",
    "bundle",
    "classify",
    "headers",
    "place_choices",
    "preview",
    "read_upload",
    "size_of",
    "time_values",
    "too_many_rows",
    "totals_table",
    "years_of",
]
