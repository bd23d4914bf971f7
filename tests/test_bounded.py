"""Every hostile input of issue 17 ends accepted or refused with a clear error, never another
exception: the cases of ``tests/hostile/generate.py`` at small scale, read through the Python
API within small budgets (``scripts/stress.py`` runs the same cases at full size)."""

from __future__ import annotations

import gzip
import subprocess
import sys
import threading
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from flowmap.batken.data import load_flows
from flowmap.core.budget import Budget
from flowmap.core.errors import DataValidationError, FlowmapError
from flowmap.io.geoio import BoundaryFileError, BoundaryLimits, read_boundary_file
from flowmap.render.usermap import load_user_data
from tests.hostile import generate

SMALL = Budget(
    bytes=256 * 1024,
    rows=2000,
    columns=100,
    cells=20_000,
    line=2048,
    sheet_xml=300 * 1024,
    workbook=1024 * 1024,
    sheet_rows=150,
    sheet_cells=1000,
    melt_cells=5000,
)
"""A budget as the command line's, a thousandth of its size (rows, cells, sheet XML)."""
GEO = BoundaryLimits(
    max_bytes=2 * 1024 * 1024,
    max_features=50,
    max_vertices=1000,
    max_parts=50,
    max_json_values=4000,
    max_blob_bytes=20 * 1024,
    simplify_above=300,
    max_zip_bytes=8 * 1024 * 1024,
)
"""Boundary limits a thousandth of the default ones (vertices, JSON values, blob bytes) or
smaller (features, parts)."""
# The scale of each case against SMALL: as big against it as the full case against CLI.
SCALES = {
    "xlsx_sheet_900mb": 0.0005,
    "matrix_1500": 0.01,
    "matrix_3000_gz": 0.01,
    "wide_sum_overflow": 0.0001,
    "mixed_encodings": 0.05,
    "normal_world_matrix": 0.1,
    "normal_national_long": 0.005,
    "normal_wide_30_years": 0.5,
}
ONE_PER_MILLE = 0.001
FIFO_SECONDS = 15.0
FIFO_PROCESS_SECONDS = 120.0  # the read's limit plus Python's start and imports
# Cases whose fix has not reached main yet -> why they fail now.
PENDING: dict[str, str] = {}


def _dataset_schema(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.readline().startswith(b"origin,destination,period,sex,age,count")


def read(files: generate.Inputs, budget: Budget = SMALL) -> list[str]:
    """Read a case's files as the Python API does; return the warnings (empty if none).

    Raises
    ------
    FlowmapError
        When the files are refused.
    """
    if "districts" in files:
        boundaries = read_boundary_file(files["districts"], limits=GEO)
        return [str(n) for n in boundaries.notes]
    flows = files["flows"]
    if _dataset_schema(flows):
        load_flows(flows, budget=budget)
        return []
    data = load_user_data(flows, files.get("places"), budget=budget)
    return [str(w) for w in data.warnings("en")]


def outcome(files: generate.Inputs, budget: Budget = SMALL) -> tuple[str, list[str], Any]:
    """Return how reading ends: ``("accepted", warnings, None)`` or ``("refused", [],
    error)`` for a :class:`FlowmapError` (any other exception propagates)."""
    try:
        return "accepted", read(files, budget), None
    except FlowmapError as exc:
        return "refused", [], exc


def _marks(name: str) -> list[Any]:
    reason = PENDING.get(name)
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def _params(cases: tuple[generate.Case, ...]) -> list[Any]:
    return [
        pytest.param(c, id=c.name, marks=_marks(c.name)) for c in cases if c.name != "fifo_flows"
    ]


@pytest.mark.parametrize("case", _params(generate.HOSTILE + generate.NORMAL))
def test_case_ends_as_it_must(case: generate.Case, tmp_path: Path) -> None:
    files = case.make(tmp_path / f"input{case.suffix}", SCALES.get(case.name, ONE_PER_MILLE))
    before = {p: p.read_bytes() for p in files.values()}
    expected = BoundaryFileError if "districts" in files else DataValidationError
    ending, said, error = outcome(files)
    assert ending in case.ends, f"{ending}: {error}"
    if error is not None:
        assert isinstance(error, expected), f"{type(error).__name__}: {error}"
        assert any(p.name in str(error) for p in files.values()), str(error)  # names the file
    # A warning, or the limit a refusal names (not the sizes under 1 MB of SMALL).
    says = case.says or ("" if case.limit in generate.BYTE_LIMITS else case.expected_text(SMALL))
    if says:
        text = str(error) if error is not None else "\n".join(said)
        assert says.lower() in text.lower(), text
    assert {p: p.read_bytes() for p in files.values()} == before  # nothing changed


LIMIT_CASES = {
    "bytes": generate.over_bytes,
    "rows": generate.over_rows,
    "columns": generate.over_columns,
    "cells": generate.over_cells,
    "line": generate.over_line,
    "sheet_xml": generate.over_sheet_xml,
    "workbook": generate.over_workbook,
    "sheet_rows": generate.over_sheet_rows,
    "sheet_cells": generate.over_sheet_cells,
    "melt_cells": generate.over_melt_cells,
}
XLSX_LIMITS = ("sheet_xml", "workbook", "sheet_rows", "sheet_cells")
MEASURED = ("bytes", "rows", "columns", "cells", "line", "sheet_xml", "workbook")


@pytest.mark.parametrize("limit", [pytest.param(k, marks=_marks(f"over_{k}")) for k in LIMIT_CASES])
def test_table_just_over_a_limit_is_refused_in_one_line(limit: str, tmp_path: Path) -> None:
    make = LIMIT_CASES[limit]
    suffix = ".xlsx" if limit in XLSX_LIMITS else ".csv"
    files = make(tmp_path / f"input{suffix}", SMALL)
    with pytest.raises(DataValidationError) as caught:
        read(files)
    assert len(caught.value.problems) == 1, caught.value.problems
    if limit not in generate.BYTE_LIMITS:
        assert generate.names(limit, SMALL) in caught.value.problems[0]
    assert caught.value.source.endswith(files["flows"].name)
    # Just under the limit is no refusal for this limit.
    roomy = Budget(**{**SMALL.__dict__, limit: getattr(SMALL, limit) + 1})
    ending, _, error = outcome(files, roomy)
    assert ending == "accepted" or error.problems != caught.value.problems


GEO_CASES = {
    "features": (generate.over_features, ".geojson"),
    "vertices": (generate.over_vertices, ".geojson"),
    "parts": (generate.over_parts, ".geojson"),
    "json_values": (generate.over_json_values, ".geojson"),
    "blob_bytes": (generate.over_blob_bytes, ".gpkg"),
}


@pytest.mark.parametrize("limit", [pytest.param(k, marks=_marks(f"over_{k}")) for k in GEO_CASES])
def test_boundary_just_over_a_limit_is_refused(limit: str, tmp_path: Path) -> None:
    make, suffix = GEO_CASES[limit]
    files = make(tmp_path / f"input{suffix}", GEO)
    with pytest.raises(BoundaryFileError) as caught:
        read(files)
    if f"max_{limit}" not in generate.BYTE_LIMITS:
        assert generate.names(f"max_{limit}", GEO) in str(caught.value)
    # One more of the limit reads the file, or refuses it for another reason.
    field = f"max_{limit}"
    roomy = replace(GEO, **{field: getattr(GEO, field) + (64 if limit == "blob_bytes" else 1)})
    try:
        read_boundary_file(files["districts"], limits=roomy)
        again = ""
    except BoundaryFileError as exc:
        again = str(exc)
    assert again != str(caught.value)


# The reader times the read itself (after its imports, which take many seconds on a busy
# machine): the read must end within FIFO_SECONDS; the process as a whole gets more.
_FIFO_READER = """
import sys
import time
from flowmap.core.budget import Budget
from flowmap.core.errors import FlowmapError
from flowmap.render.usermap import load_user_data
start = time.monotonic()
try:
    load_user_data(sys.argv[1], budget=Budget(rows=2000, bytes=262144))
except FlowmapError as exc:
    print("refused:", type(exc).__name__)
else:
    print("accepted")
print(f"{time.monotonic() - start:.3f}")
"""


def test_named_pipe_is_refused_not_read_forever(tmp_path: Path) -> None:
    files = generate.fifo_flows(tmp_path / "input.csv")
    stop = threading.Event()
    feeder = threading.Thread(
        target=generate.feed_fifo, args=(files["flows"], stop.is_set), daemon=True
    )
    feeder.start()
    try:
        done = subprocess.run(
            [sys.executable, "-c", _FIFO_READER, str(files["flows"])],
            capture_output=True,
            text=True,
            timeout=FIFO_PROCESS_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"reading a named pipe did not end in {FIFO_PROCESS_SECONDS:g} s")
    finally:
        stop.set()
        feeder.join(5)
    said, _, seconds = done.stdout.strip().rpartition("\n")
    assert said == "refused: DataValidationError", done.stdout + done.stderr
    assert float(seconds) < FIFO_SECONDS, f"reading a named pipe took {seconds} s"


def _measure(path: Path) -> dict[str, int]:
    """Return the sizes of a generated table as a budget counts them."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            sheets = [i.file_size for i in book.infolist() if i.filename.startswith("xl/works")]
            return {
                "sheet_xml": max(sheets),
                "workbook": sum(i.file_size for i in book.infolist()),
            }
    raw = path.read_bytes()
    text = (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8")
    lines = text.splitlines()
    columns = max(len(line.split(",")) for line in lines)
    return {
        "bytes": len(text.encode("utf-8")),
        "rows": len(lines) - 1,
        "columns": columns,
        "cells": (len(lines) - 1) * columns,
        "line": max(len(line) for line in lines),
    }


@pytest.mark.parametrize("limit", MEASURED)
def test_limit_cases_are_one_over_exactly_one_limit(limit: str, tmp_path: Path) -> None:
    suffix = ".xlsx" if limit in XLSX_LIMITS else ".csv"
    files = LIMIT_CASES[limit](tmp_path / f"input{suffix}", SMALL)
    sizes = _measure(files["flows"])
    # Just over: by one (cells: by less than a row, as cells are rows times columns).
    over = sizes["columns"] if limit == "cells" else 1
    assert getattr(SMALL, limit) < sizes[limit] <= getattr(SMALL, limit) + over
    assert [k for k, v in sizes.items() if v > getattr(SMALL, k)] == [limit]
