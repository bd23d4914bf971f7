"""Issue 17, workbooks, matrices and wide tables, places files: every limit of
:class:`flowmap.budget.Budget` refuses a file before it is melted or read whole, with one
line naming the limit; swapped coordinates in a places file are warned about. The
hostile files are made here at small scale, with tiny budgets."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from flowmap.budget import Budget
from flowmap.errors import DataValidationError
from flowmap.i18n import error_text
from flowmap.userdata import read_user_flows

TINY = Budget(rows=50, columns=40, cells=500, sheet_xml=20_000, workbook=60_000)


def _matrix(path: Path, n: int, *, bad: tuple[int, int] | None = None) -> Path:
    """Write an n × n matrix of country-like ids, random counts and blanks."""
    rnd = random.Random(n)
    ids = [f"{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(n)]
    lines = ["from\\to," + ",".join(ids)]
    for r, origin in enumerate(ids):
        cells = ["" if rnd.random() < 0.3 else str(rnd.randrange(1, 900)) for _ in ids]
        if bad is not None and bad[0] == r:
            cells[bad[1]] = "12a"
        lines.append(origin + "," + ",".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_matrix_of_more_cells_than_the_budget_is_refused_before_melting(
    tmp_path: Path,
) -> None:
    path = _matrix(tmp_path / "m.csv", 30)  # 30 × 30 = 900 cells > 500
    with pytest.raises(DataValidationError) as caught:
        read_user_flows(path, budget=TINY)
    text = str(caught.value)
    assert len(caught.value.problems) == 1
    assert "30 rows × 30 columns of counts = 900 cells, more than the limit of 500 cells" in text
    assert "m.csv" in text
    ru = error_text(caught.value, "ru")
    assert "ячеек с числами: 30 × 30 = 900, это больше предела (500)" in ru
    small = read_user_flows(_matrix(tmp_path / "s.csv", 20), budget=TINY)  # 400 cells
    assert small.detected.layout == "matrix"
    assert small.skipped.empty_cells + len(small.flows) == 400


def test_a_table_of_more_count_columns_than_the_budget_is_refused(tmp_path: Path) -> None:
    years = [str(1950 + i) for i in range(45)]
    rows = [f"A{i},B{i}," + ",".join("1" for _ in years) for i in range(3)]
    path = tmp_path / "w.csv"
    path.write_text("origin,dest," + ",".join(years) + "\n" + "\n".join(rows) + "\n")
    too_wide = "45 columns of counts, more than the limit of 40"
    with pytest.raises(DataValidationError, match=too_wide):
        read_user_flows(path, budget=TINY)
    assert len(read_user_flows(path).flows) == 3 * 45


def test_a_bad_matrix_cell_is_named_by_row_and_column_as_before(tmp_path: Path) -> None:
    path = _matrix(tmp_path / "bad.csv", 12, bad=(4, 7))  # 144 cells: within the budget
    with pytest.raises(DataValidationError) as caught:
        read_user_flows(path, budget=TINY)
    assert "row 5 (line 6), column 'AH': must be a whole number" in str(caught.value)
    assert "'12a'" in str(caught.value)
    assert caught.value.total == 1


def test_a_melted_matrix_keeps_every_cell_where_it_was(tmp_path: Path) -> None:
    path = _matrix(tmp_path / "m.csv", 22)
    read = read_user_flows(path, budget=TINY)
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    assert read.cells is not None
    for i in range(0, len(read.flows), 37):
        row, column = int(read.rows[i]), str(read.cells[i])
        written = lines[row + 1].split(",")[header.index(column)]
        flow = read.flows.iloc[i]
        assert (str(flow["origin"]), str(flow["dest"]), str(flow["count"])) == (
            lines[row + 1].split(",")[0],
            column,
            written,
        )
