"""Hostile text tables within a tiny :class:`~flowmap.core.budget.Budget` (issue 17): every
limit refuses the file from its bytes, with one line naming the limit, the file and the
line, before pandas sees it; pipes are refused without blocking; mixed encodings are
refused; the data set's own schema lists fifty problems and counts the rest."""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd
import pytest

from flowmap.batken.data import FLOW_COLUMNS, load_flows, load_places
from flowmap.cli.commands import main
from flowmap.core.budget import Budget
from flowmap.core.errors import DataValidationError, FlowmapError
from flowmap.engine.flows import location_totals, select
from flowmap.io._csvio import read_records
from flowmap.io.tables import as_flows, read_table
from flowmap.io.userdata import read_any
from flowmap.render.usermap import load_user_data
from tests.conftest import FLOWS_HEADER

TINY = Budget(rows=50, columns=20, cells=500, line=2000, bytes=50_000)


def refusal(call: Any, *args: Any, **kwargs: Any) -> str:
    """Return the one problem line of the DataValidationError that ``call`` raises."""
    with pytest.raises(DataValidationError) as info:
        call(*args, **kwargs)
    assert len(info.value.problems) == 1, info.value.problems
    return info.value.problems[0]


@pytest.fixture
def no_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any pandas CSV parse fail the test: the limits are met before it."""

    def boom(*_: object, **__: object) -> NoReturn:
        raise AssertionError("pandas.read_csv was called")

    monkeypatch.setattr(pd, "read_csv", boom)


def run(*argv: str) -> int:
    return main(list(argv), io.StringIO())


# --------------------------------------------------------------------------- files


def test_fifo_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "flows.csv"
    os.mkfifo(fifo)  # nobody writes: opening it to read would wait for ever
    for call in (read_any, read_table, load_flows, load_places):
        assert "is not a regular file" in refusal(call, fifo)
    assert "is not a regular file" in refusal(read_records, fifo, FLOW_COLUMNS)


def test_fifo_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "flows.csv"
    os.mkfifo(fifo)
    assert run("data", "show", "--flows", str(fifo)) == 2
    err = capsys.readouterr().err
    assert "flows.csv" in err
    assert "is not a regular file (a pipe" in err


def test_device_and_folder_are_refused(tmp_path: Path) -> None:
    assert "is not a regular file" in refusal(read_any, "/dev/zero")
    assert "is a folder" in refusal(read_any, tmp_path)
    assert "is a folder" in refusal(load_flows, tmp_path)


def test_bytes_after_gunzip_are_capped(tmp_path: Path) -> None:
    path = tmp_path / "flows.csv.gz"
    rows = "".join(f"A{i},B,{i}\n" for i in range(20_000))  # ~200 KB of text, 60 KB packed
    path.write_bytes(gzip.compress(("origin,dest,count\n" + rows).encode(), 9))
    budget = Budget(bytes=100_000, rows=10**6, cells=10**7)
    assert path.stat().st_size < budget.bytes
    assert "unpacks to more than" in refusal(read_any, path, budget=budget)
    assert "larger than" in refusal(read_any, b"x" * 50_001, name="up.csv", budget=TINY)


# --------------------------------------------------------------------------- shape


def test_one_long_line_is_refused_without_pandas(tmp_path: Path, no_pandas: None) -> None:
    path = tmp_path / "flows.csv"
    path.write_text("origin,dest,count\nA,B,1" + "x" * 20_000 + "\n")
    line = refusal(read_any, path, budget=TINY)
    assert line == "line 2 is longer than 2,000 characters: is this really a table?"
    assert "line 2 is longer" in refusal(read_table, path, budget=TINY)


def test_a_long_line_of_cyrillic_counts_characters_not_bytes(tmp_path: Path) -> None:
    path = tmp_path / "flows.csv"
    path.write_text("origin,dest,count\nОш," + "ж" * 1500 + ",1\n", encoding="utf-8")
    frame, _ = read_any(path, budget=TINY)  # 1,505 characters in 3,008 bytes
    assert len(frame) == 1


def test_too_many_columns_from_the_header(tmp_path: Path, no_pandas: None) -> None:
    path = tmp_path / "wide.csv"
    header = ",".join(f"c{i}" for i in range(100))
    path.write_text(header + "\n" + ",".join("1" * 100) + "\n")
    assert refusal(read_any, path, budget=TINY) == "line 1 has 100 columns; at most 20 are read"
    # A header too long to be parsed at all is counted by its separators.
    path.write_text(",".join("c" * 5000) + "\n" + ",".join("1" * 5000) + "\n")
    assert "line 1 has 5,000 columns" in refusal(read_any, path, budget=TINY)


def test_too_many_rows_names_the_line(tmp_path: Path, no_pandas: None) -> None:
    path = tmp_path / "flows.csv"
    body = "".join(f"A,B,{i}\n\n" if i == 10 else f"A,B,{i}\n" for i in range(60))
    path.write_text("origin,dest,count\n" + body)
    line = refusal(read_any, path, budget=TINY)
    assert line.startswith("more than 50 rows (row 51 is line 53 of the file)")


def test_quoted_cells_on_one_line_each_are_counted_from_the_lines(
    tmp_path: Path, no_pandas: None
) -> None:
    path = tmp_path / "flows.csv"
    path.write_text("origin,dest,count\n" + "".join(f'"A","B, C","{i}"\n' for i in range(60)))
    assert refusal(read_any, path, budget=TINY).startswith("more than 50 rows (row 51 is line 52")


def test_quoted_line_breaks_are_counted_as_one_row(tmp_path: Path) -> None:
    path = tmp_path / "flows.csv"
    rows = "".join(f'A,"B\n{i}",{i}\n' for i in range(40))  # 80 lines, 40 rows
    path.write_text("origin,dest,count\n" + rows)
    frame, detected = read_any(path, budget=TINY)
    assert len(frame) == detected.rows == 40
    path.write_text("origin,dest,count\n" + rows + rows)
    assert refusal(read_any, path, budget=TINY).startswith("more than 50 rows")


def test_a_huge_quoted_cell_over_short_lines_is_refused(tmp_path: Path, no_pandas: None) -> None:
    path = tmp_path / "flows.csv"
    cell = ("x" * 1990 + "\n") * 70  # 139,370 characters in lines of 1,991
    path.write_text(f'origin,dest,count\nA,"{cell}",1\n')
    budget = Budget(rows=50, columns=20, cells=500, line=2000, bytes=1_000_000)
    line = refusal(read_table, path, budget=budget)
    assert line.endswith(": a cell is longer than 131,072 characters; is this really a table?")
    assert line.startswith("line 6")  # the line where the cell passes the limit


def test_old_mac_line_ends_are_counted_after_parsing(tmp_path: Path) -> None:
    path = tmp_path / "flows.csv"
    path.write_text("origin,dest,count\r" + "".join(f"A,B,{i}\r" for i in range(60)), newline="")
    assert refusal(read_any, path, budget=TINY).startswith("more than 50 rows")


def test_too_many_cells(tmp_path: Path, no_pandas: None) -> None:
    path = tmp_path / "wide.csv"
    header = "origin,dest," + ",".join(str(1990 + i) for i in range(18))
    rows = "".join("A,B," + ",".join(["1"] * 18) + "\n" for _ in range(30))
    path.write_text(header + "\n" + rows)
    line = refusal(read_any, path, budget=TINY)
    assert line.startswith("more than 500 cells: 20 columns, and row 26 (line 27 of the file)")


def test_within_the_budget_is_read(tmp_path: Path) -> None:
    path = tmp_path / "flows.csv"
    path.write_text("origin,dest,count\n" + "".join(f"A,B{i},{i}\n" for i in range(50)))
    data = load_user_data(path, gazetteer=False, budget=TINY)
    assert len(data.flows) == 50


def test_the_limits_are_said_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["data", "show", "--help"], io.StringIO())
    help_text = " ".join(capsys.readouterr().out.split())
    assert "at most 200 MB of text, 2,000,000 rows, 5,000 columns" in help_text


# --------------------------------------------------------------------------- encodings


def test_mixed_utf8_and_cp1251_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "flows.csv"
    utf8 = "origin,dest,count\nОш,Бишкек,1\n".encode()
    path.write_bytes(utf8 + "Ош,Бишкек,2\n".encode("cp1251"))
    line = refusal(read_any, path)
    assert line.startswith("line 3 is not UTF-8 (byte b'\\xce'), while line 2 is")
    # The other way round: CP1251 first, a UTF-8 line after it.
    path.write_bytes(b"origin,dest,count\n" + "Ош,Бишкек,2\n".encode("cp1251") + utf8[18:])
    assert refusal(read_any, path).startswith("line 2 is not UTF-8 (byte b'\\xce'), while line 3")


def test_wholly_cp1251_is_read_as_cp1251(tmp_path: Path) -> None:
    path = tmp_path / "flows.csv"
    path.write_bytes("origin,dest,count\nОш,Бишкек,1\nБаткен,Ош,2\n".encode("cp1251"))
    frame, detected = read_any(path)
    assert detected.encoding == "cp1251"
    assert list(frame["origin"]) == ["Ош", "Баткен"]


# --------------------------------------------------------------------------- own schema


def test_schema_lists_fifty_problems_and_counts_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "flows.csv"
    rows = "".join(f"KG-B,RU,20x{i % 10},total,all,-{i},reported,P,,\n" for i in range(1, 400))
    path.write_text(FLOWS_HEADER + rows)
    with pytest.raises(DataValidationError) as info:
        load_flows(path)
    assert info.value.total == 798  # a bad period and a negative count in each row
    assert len(info.value.problems) == 51
    assert info.value.problems[-1] == "… and 748 more problems"


def test_schema_duplicates_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "flows.csv"
    rows = "".join(f"KG-B,RU,2019,total,all,{i},reported,P,,\n" for i in range(300))
    path.write_text(FLOWS_HEADER + rows)
    with pytest.raises(DataValidationError) as info:
        load_flows(path)
    assert info.value.total == 299
    assert "duplicate flow KG-B/RU/2019/total/all (first at row 1 (line 2))" in str(info.value)


def test_schema_rows_within_the_budget(tmp_path: Path) -> None:
    path = tmp_path / "flows.csv"
    rows = "".join(f"KG-B,RU,{1900 + i},total,all,{i},reported,P,,\n" for i in range(60))
    path.write_text(FLOWS_HEADER + rows)
    assert "more than 50 rows (row 51 is line 52" in refusal(load_flows, path, budget=TINY)
    assert len(load_flows(path)) == 60


# --------------------------------------------------------------------------- sums


def _big_flows() -> pd.DataFrame:
    """Flows whose counts were checked (each below 10^12) and then made huge, as in a table
    of millions of large cells: three yearly rows of A → B that no int64 can sum."""
    flows = as_flows(
        pd.DataFrame(
            {
                "origin": ["A", "A", "A", "C"],
                "dest": ["B", "B", "B", "B"],
                "count": ["1", "1", "1", "1"],
                "year": ["2019", "2020", "2021", "2019"],
            }
        )
    )
    flows["count"] = [2**62, 2**62, 2**62, 5]
    return flows


def test_a_sum_beyond_int64_is_refused_naming_the_flow() -> None:
    flows = _big_flows()
    with pytest.raises(FlowmapError) as info:
        select(flows, period="2019-2021")
    text = str(info.value)
    assert text.startswith("the counts of A → B (2019-2021) add up to 13,835,058,055,282,163,712")
    assert "9,223,372,036,854,775,807" in text
    with pytest.raises(FlowmapError, match="the counts of → B add up to"):
        location_totals(flows)
    with pytest.raises(FlowmapError, match="the counts of A → B"):
        select(flows, period="2019-2021", direction="net")  # the net of sums that overflow


def test_sums_that_fit_are_exact() -> None:
    flows = _big_flows().assign(count=[2**61, 2**61, 2**61 - 1, 5])
    table = select(flows, period="2019-2021")
    assert int(table.loc[table["origin"] == "A", "count"].iloc[0]) == 3 * 2**61 - 1
    assert int(location_totals(flows).loc["B", "incoming"]) == 3 * 2**61 + 4


def test_a_long_parent_chain_is_walked_once(tmp_path: Path) -> None:
    # Each place's chain up was walked again from every place, with a list lookup at each
    # step: 3,000 places in one chain took hours. Each place is now walked once.
    path = tmp_path / "places.csv"
    rows = [
        f"P{i},district,P {i},P {i},P {i},{f'P{i + 1}' if i < 2999 else ''}" for i in range(3000)
    ]
    path.write_text("id,kind,name_en,name_ky,name_ru,parent\n" + "\n".join(rows) + "\n")
    places = load_places(path)
    assert places.loc["P0", "parent"] == "P1"
    rows[-1] = rows[-1] + "P0"  # the last place's parent closes the chain into a cycle
    path.write_text("id,kind,name_en,name_ky,name_ru,parent\n" + "\n".join(rows) + "\n")
    with pytest.raises(DataValidationError, match=r"the parents form a cycle P0 -> P1 -> P2"):
        load_places(path)


def test_schema_places_within_their_budget(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    rows = "".join(f"P{i},district,P {i},P {i},P {i},\n" for i in range(10_001))
    path.write_text("id,kind,name_en,name_ky,name_ru,parent\n" + rows)
    line = refusal(load_places, path, budget=Budget(rows=10**6, cells=10**7))
    assert line.startswith("more than 10,000 rows (row 10001 is line 10002 of the file)")
