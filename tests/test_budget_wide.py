"""Issue 17, workbooks, matrices and wide tables, places files: every limit of
:class:`flowmap.core.budget.Budget` refuses a file before it is melted or read whole, with one
line naming the limit; swapped coordinates in a places file are warned about. The
hostile files are made here at small scale, with tiny budgets."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from flowmap.core.budget import Budget
from flowmap.core.errors import DataValidationError
from flowmap.io.userdata import read_user_flows, read_user_places
from flowmap.io.userdata.flows import _check_cells
from flowmap.io.userdata.xlsx import _cell, _read_xlsx
from flowmap.render.usermap import load_user_data
from flowmap.text.i18n import error_text

TINY = Budget(rows=50, columns=40, cells=500, sheet_xml=100_000, workbook=300_000)


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
    melt = Budget(melt_cells=500)  # read as text (31 × 31 cells), refused before melting
    with pytest.raises(DataValidationError) as caught:
        read_user_flows(path, budget=melt)
    text = str(caught.value)
    assert len(caught.value.problems) == 1
    assert "30 rows × 30 columns of counts = 900 cells, more than the limit of 500 cells" in text
    assert "m.csv" in text
    ru = error_text(caught.value, "ru")
    assert "ячеек с числами (строки × столбцы): 30 × 30 = 900, это больше предела (500)" in ru
    with pytest.raises(DataValidationError, match=r"more than (the limit of )?800 cells"):
        read_user_flows(path, budget=Budget(cells=800))  # the limit of every table
    small = read_user_flows(_matrix(tmp_path / "s.csv", 20), budget=TINY)  # 400 cells
    assert small.detected.layout == "matrix"
    assert small.skipped.empty_cells + len(small.flows) == 400


def test_a_table_of_more_count_columns_than_the_budget_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError) as caught:
        _check_cells(3, 45, "w.xlsx", TINY)  # a workbook's frame, say
    assert caught.value.problems == [
        "45 columns of counts, more than the limit of 40: split the table or aggregate it first"
    ]
    _check_cells(12, 40, "w.xlsx", TINY)  # 480 cells, 40 columns: within
    years = [str(1950 + i) for i in range(45)]
    rows = [f"A{i},B{i}," + ",".join("1" for _ in years) for i in range(3)]
    path = tmp_path / "w.csv"
    path.write_text("origin,dest," + ",".join(years) + "\n" + "\n".join(rows) + "\n")
    with pytest.raises(DataValidationError, match=r"(at most|the limit of) 40\b"):
        read_user_flows(path, budget=TINY)  # by the text reader, or here before melting
    assert len(read_user_flows(path).flows) == 3 * 45


def test_a_bad_matrix_cell_is_named_by_row_and_column_as_before(tmp_path: Path) -> None:
    path = _matrix(tmp_path / "bad.csv", 12, bad=(4, 7))  # 144 cells: within the budget
    with pytest.raises(DataValidationError) as caught:
        read_user_flows(path, budget=TINY)
    assert "row 5 (line 6), column 'AH': must be a whole number" in str(caught.value)
    assert "'12a'" in str(caught.value)
    assert caught.value.total == 1


def test_a_melted_matrix_keeps_every_cell_where_it_was(tmp_path: Path) -> None:
    path = _matrix(tmp_path / "m.csv", 20)
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


# --------------------------------------------------------------------------- workbooks


def _book(path: Path, rows: list[list[object]], title: str = "Flows") -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _long(n: int) -> list[list[object]]:
    header: list[object] = ["origin", "dest", "count"]
    return [header] + [[f"A{i}", f"B{i % 7}", i + 1] for i in range(n)]


def _refused(path: Path, budget: Budget) -> str:
    with pytest.raises(DataValidationError) as caught:
        _read_xlsx(path.read_bytes(), path.name, None, budget)
    assert len(caught.value.problems) == 1
    return str(caught.value.problems[0])


def test_a_sheet_of_more_rows_than_the_budget_stops_at_the_first_row_over(
    tmp_path: Path,
) -> None:
    path = _book(tmp_path / "rows.xlsx", _long(80))
    said = _refused(path, TINY)
    assert said.startswith("sheet 'Flows' has more than 50 rows (stopped at row 52)")
    assert "save the sheet as CSV" in said
    frame, title = _read_xlsx(_book(tmp_path / "ok.xlsx", _long(50)).read_bytes(), "ok", None, TINY)
    assert (len(frame), title) == (50, "Flows")
    sheet_rows = Budget(sheet_rows=20)  # a sheet's own, smaller limit
    assert "more than 20 rows" in _refused(path, sheet_rows)


def test_a_cell_far_down_the_sheet_is_refused_without_filling_the_rows_between(
    tmp_path: Path,
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["origin", "dest", "count"])
    sheet.cell(row=1_000_000, column=1, value="KG")
    path = tmp_path / "far.xlsx"
    book.save(path)
    assert "more than 2,000 rows (stopped at row 1,000,000)" in _refused(path, Budget(rows=2_000))


def test_a_row_wider_than_the_budget_names_its_row(tmp_path: Path) -> None:
    rows = _long(5)
    rows[3] = [*rows[3], *([None] * 40), "x"]  # a cell in column 44
    said = _refused(_book(tmp_path / "wide.xlsx", rows), TINY)
    assert said.startswith("sheet 'Flows', row 4: more than 40 columns")


def test_a_sheet_of_more_cells_or_text_than_the_budget_is_refused(tmp_path: Path) -> None:
    rows: list[list[object]] = [[f"c{j}" for j in range(20)]]
    rows += [[i * j for j in range(20)] for i in range(30)]  # 620 cells > 500
    said = _refused(_book(tmp_path / "cells.xlsx", rows), TINY)
    assert said.startswith("sheet 'Flows' has more than 500 cells (stopped at row 26)")
    long_text: list[list[object]] = [["origin", "dest", "count"]]
    long_text += [["Ж" * 300, "KG", 1] for _ in range(40)]
    said = _refused(_book(tmp_path / "text.xlsx", long_text), Budget(bytes=2**20 // 100))
    assert said.startswith("the cells of sheet 'Flows' hold more than 0.01 MB of text (stopped")


def test_sheet_xml_and_workbook_sizes_are_checked_from_the_zip_directory(
    tmp_path: Path,
) -> None:
    path = _book(tmp_path / "big.xlsx", _long(400), title="Big")
    said = _refused(path, Budget(sheet_xml=30_000))
    assert said.startswith("sheet 'Big' unpacks to 0.06 MB of XML, more than the limit of 0.03 MB")
    assert "unpacks to more than 0.01 MB" in _refused(path, Budget(workbook=2**20 // 100))
    with_styles = _book(tmp_path / "s.xlsx", _long(1))  # styles.xml: about 1 KB
    assert "a part of the workbook unpacks to" in _refused(with_styles, Budget(sheet_xml=600))


def _with_doctype(path: Path, member: str, doctype: str) -> Path:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    text = parts[member].decode("utf-8")
    end = text.index("?>") + 2 if text.startswith("<?xml") else 0
    parts[member] = (text[:end] + doctype + text[end:]).encode("utf-8")
    out = path.with_name("dtd-" + path.name)
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out


XXE = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>'
)


@pytest.mark.parametrize("doctype", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_a_workbook_declaring_entities_is_refused(
    tmp_path: Path, doctype: str, member: str
) -> None:
    path = _with_doctype(_book(tmp_path / "b.xlsx", _long(3)), member, doctype)
    with pytest.raises(DataValidationError) as caught:
        _read_xlsx(path.read_bytes(), path.name, None, TINY)
    assert caught.value.problems == [
        "the workbook's XML declares a document type or entities (DTD), which no workbook "
        "needs: refused for safety"
    ]
    assert "коопсуздук үчүн кабыл алынган жок" in error_text(caught.value, "ky")


def test_streamed_cells_read_as_openpyxl_reads_them(tmp_path: Path) -> None:
    import datetime as dt

    openpyxl = pytest.importorskip("openpyxl")
    rows: list[list[object]] = [
        ["Откуда", "Куда", "Число", "Дата", "Флаг", "Доля"],
        ["Баткен", "Бишкек", 1200, dt.date(2023, 1, 31), True, 0.25],
        ["Ош", None, 7.0, dt.datetime(2024, 5, 6, 7, 8), False, 1e20],
        [],
        ["  Жалал-Абад ", "=1+1", -3, None, None, "2 500"],
    ]
    path = _book(tmp_path / "types.xlsx", rows, title="Миграция")
    book = openpyxl.load_workbook(path, read_only=False, data_only=True)
    expected = [[_cell(v) for v in row] for row in book.active.iter_rows(values_only=True)]
    frame, title = _read_xlsx(path.read_bytes(), "types.xlsx", None, TINY)
    assert title == "Миграция"
    assert list(frame.columns) == expected[0]
    assert frame.to_numpy().tolist() == [[*r, *[""] * (6 - len(r))] for r in expected[1:]]
    assert frame.iloc[0].tolist() == ["Баткен", "Бишкек", "1200", "2023-01-31", "TRUE", "0.25"]


# --------------------------------------------------------------------------- places


def test_swapped_coordinates_in_a_places_file_are_warned_about_never_swapped(
    tmp_path: Path,
) -> None:
    places = tmp_path / "places.csv"
    places.write_text(
        "id,name,Lat,Lon\n"
        "GB,Bishkek,74.59,42.87\n"  # at sea (the Barents Sea); swapped: Kyrgyzstan
        "RU,Russia,37.62,55.75\n"  # on land, but in Iran: swapped, in Russia as its id says
        "OSH,Osh,40.53,72.80\n"  # right
        "TJ,Tajikistan,38.56,68.77\n"  # right, and in the country its id names
        "XX,Nowhere,,\n",
        encoding="utf-8",
    )
    read = read_user_places(places)
    assert read.notes == (
        "row 1 (line 2), columns 'Lat'/'Lon': (74.59, 42.87) lies at sea, but (42.87, 74.59) "
        "is in KG: are latitude and longitude swapped? lat is north-south (-90..90), "
        "lon east-west",
        "row 2 (line 3), columns 'Lat'/'Lon': (37.62, 55.75) is outside RU, but (55.75, 37.62) "
        "is in it: are latitude and longitude swapped? lat is north-south (-90..90), "
        "lon east-west",
    )
    assert read.places.loc["GB", ["lat", "lon"]].tolist() == [74.59, 42.87]  # as written
    flows = tmp_path / "flows.csv"
    flows.write_text("origin,dest,count\nOSH,GB,5\nOSH,RU,7\n", encoding="utf-8")
    data = load_user_data(flows, places)
    ru = data.warnings("ru")
    assert any("не перепутаны ли широта и долгота?" in line for line in ru)
    assert any("за пределами страны RU" in line for line in ru)
    ky = data.warnings("ky")
    assert any("кеңдик менен узундук алмашып калган жокпу?" in line for line in ky)
