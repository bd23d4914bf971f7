"""Issue 22: the app reads an upload within limits stricter than the command line's, and the
three uploads of the issue (a workbook whose sheet unpacks to hundreds of megabytes, a
workbook of Excel's 1,048,576 rows, a gzipped 1,500 × 1,500 matrix) are refused before the
expensive step, with a message that names the limit. Small stand-ins are made here: just
over the app's limit, far under the command line's."""

from __future__ import annotations

import dataclasses
import gzip
from pathlib import Path

import pytest

from flowmap.app import userview, worker
from flowmap.app.userview import MAX_ROWS, Upload
from flowmap.core.budget import APP, CLI
from flowmap.core.errors import DataValidationError
from flowmap.text.i18n import error_text
from tests.hostile import generate


@pytest.mark.parametrize("limit", [f.name for f in dataclasses.fields(APP)])
def test_every_app_limit_is_at_most_the_command_lines(limit: str) -> None:
    assert getattr(APP, limit) <= getattr(CLI, limit)


@pytest.mark.parametrize("limit", ["bytes", "rows", "cells", "sheet_xml", "workbook", "melt_cells"])
def test_the_limits_the_issue_names_are_stricter_in_the_app(limit: str) -> None:
    assert getattr(APP, limit) < getattr(CLI, limit)


def test_the_app_melts_no_more_cells_than_the_rows_it_maps() -> None:
    assert APP.melt_cells <= MAX_ROWS
    assert worker.MEMORY_LIMIT < 1024 * 1024 * 1024


def _refused(path: Path) -> DataValidationError:
    """Return how the app refuses the upload at ``path`` (read as the worker reads it)."""
    upload = Upload(path.name, path.read_bytes())

    def read() -> None:
        userview.classify([upload])
        userview.read_upload(upload)

    with pytest.raises(DataValidationError) as caught:
        read()
    assert len(caught.value.problems) == 1
    return caught.value


def test_a_gzipped_matrix_of_more_cells_than_the_app_maps_is_refused_before_melting(
    tmp_path: Path,
) -> None:
    """1,001 × 1,001 zeros: 4 MB of text in 10 kB; the command line reads it."""
    path = tmp_path / "matrix.csv.gz"
    ids = [f"P{i:04d}" for i in range(1001)]
    zeros = ",".join("0" * len(ids))
    text = "from\\to," + ",".join(ids) + "\n" + "".join(f"{p},{zeros}\n" for p in ids)
    path.write_bytes(gzip.compress(text.encode(), 6))
    # Refused at the app's first look (classify), which reads the file once.
    with pytest.raises(DataValidationError) as caught:
        userview.classify([Upload(path.name, path.read_bytes())])
    refused = caught.value
    assert "1,001 rows × 1,001 columns of counts = 1,002,001 cells, more than the limit of" in (
        str(refused)
    )
    assert "1,000,000 cells" in str(refused)
    assert "предела (1\u00a0000\u00a0000)" in error_text(refused, "ru")


def test_a_sheet_over_the_apps_xml_limit_is_refused_from_the_zip_directory(
    tmp_path: Path,
) -> None:
    """A workbook of a few rows padded to 41 MB of sheet XML (the command line takes 300 MB):
    refused from the sizes in the zip directory, naming the sheet and the limit."""
    path = tmp_path / "padded.xlsx"
    rows: list[list[str | int]] = [["origin", "destination", "count"], ["KG", "RU", 5]]
    generate._write_xlsx(path, [generate._padded_sheet(rows, 41 * 1024 * 1024)])
    refused = _refused(path)
    assert "sheet 'Sheet1' unpacks to 41 MB of XML, more than the limit of 40 MB" in str(refused)
    assert "40" in error_text(refused, "ky")


def test_a_workbook_over_the_apps_unpacked_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    generate.xlsx_sheet_900mb(path, scale=210 / 900)  # 210 MB of rows, 2 MB packed
    assert "the workbook unpacks to more than 200 MB" in str(_refused(path))
