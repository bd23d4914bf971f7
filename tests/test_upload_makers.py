"""The load test's makers of issue 22's uploads (``scripts/_uploads.py``) make what they say,
at a small size: a readable workbook of the given rows, a gzipped matrix of zeros that the
app refuses for its cells, a workbook whose sheet unpacks to the given size."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from flowmap.app import userview
from flowmap.app.userview import Upload
from flowmap.core.errors import DataValidationError
from tests.conftest import ROOT, _module

uploads, _loader = _module(ROOT / "scripts" / "_uploads.py", "flowmap_scripts_uploads")
sys.modules[uploads.__name__] = uploads  # its dataclass looks itself up there
_loader.exec_module(uploads)


def test_excel_rows_is_a_workbook_of_that_many_rows(tmp_path: Path) -> None:
    path = tmp_path / "rows.xlsx"
    uploads.excel_rows(path, rows=11)
    user = userview.read_upload(Upload(path.name, path.read_bytes()))
    assert len(user.flows) == 10  # the header and ten flows between distinct countries
    assert set(user.flows["origin"]) <= set(uploads.COUNTRIES)


def test_gz_matrix_is_refused_by_the_app_for_its_cells(tmp_path: Path) -> None:
    path = tmp_path / "matrix.csv.gz"
    uploads.gz_matrix(path, size=1001)
    assert path.stat().st_size < 20_000
    with pytest.raises(DataValidationError, match="1,002,001 cells, more than the limit"):
        userview.classify([Upload(path.name, path.read_bytes())])


def test_sheet_bomb_declares_its_unpacked_size(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    uploads.sheet_bomb(path, unpacked=3 * uploads.MB)
    with zipfile.ZipFile(path) as book:
        sheet = book.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size >= 3 * uploads.MB - 200
    assert [name for name, _ in uploads.ISSUE_22] == [
        "sheet-900mb.xlsx",
        "rows-1048576.xlsx",
        "matrix-1500-zeros.csv.gz",
    ]
