"""Your own data (issue 10): every layout, delimiter, encoding and container, odd rows
skipped with a count and a list, real errors naming file, row, column and value, and
years summed over a period with the missing ones named. Files are made in each test."""

from __future__ import annotations

import codecs
import gzip
import pickle
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pytest

import flowmap
from flowmap.app import userview
from flowmap.core.errors import DataValidationError, FlowmapError
from flowmap.engine.flows import coverage, select
from flowmap.io import gazetteer
from flowmap.io.userdata import (
    COLUMN_NAMES,
    HINTS,
    LAYOUTS,
    detect_layout,
    is_total,
    matrix_orientation,
    read_any,
    read_user_flows,
    read_user_places,
)
from flowmap.render.usermap import load_user_data
from flowmap.text.i18n import MESSAGES, error_text, localise
from tests.conftest import drawn_flows, map_spec

LOCATIONS = "id,name,lat,lon\n001,Alpha,42.9,74.6\n002,Beta,40.5,72.8\n*ST,Gamma,55.7,37.6\n"
FLOWS = "origin,dest,count\n001,002,120\n002,001,40\n001,*ST,300\n"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def pairs(frame: pd.DataFrame) -> set[tuple[str, str, int]]:
    ends = zip(frame["origin"], frame["dest"], frame["count"], strict=True)
    return {(str(o), str(d), int(c)) for o, d, c in ends}


# --------------------------------------------------------------------------- layouts


def test_flowmap_blue_pair_as_is(tmp_path: Path) -> None:
    data = load_user_data(
        write(tmp_path, "flows.csv", FLOWS), write(tmp_path, "loc.csv", LOCATIONS)
    )
    assert data.describe() == [
        "read flows.csv: long table, ','-separated, utf-8, 3 rows",
        "read loc.csv: places, ','-separated, utf-8, 3 rows",
    ]
    assert pairs(data.flows) == {("001", "002", 120), ("002", "001", 40), ("001", "*ST", 300)}
    assert list(data.places.index) == ["001", "002", "*ST"]
    assert data.skipped.total == 0
    assert data.warnings() == []
    page = flowmap.map_html(data.flow_map(title="Moves"))
    assert len(drawn_flows(page)) == 3
    assert "Batken" not in page


def test_long_table_with_year_attributes_and_other_names(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "moves.csv",
        "From,To,N,Year,sex\n007,*ST,5,2019,f\n007,*ST,6,2020,m\n*ST,007,1,2020,f\n",
    )
    read = read_user_flows(path)
    assert read.detected.layout == "long"
    assert read.detected.columns == {"origin": "From", "dest": "To", "count": "N", "time": "Year"}
    assert "columns origin='From', dest='To', count='N', time='Year'" in read.detected.describe()
    assert list(read.flows["time"].astype(str)) == ["2019", "2020", "2020"]
    assert list(read.flows["sex"].astype(str)) == ["f", "m", "f"]
    assert set(read.flows["origin"].astype(str)) == {"007", "*ST"}


def test_wide_table_one_column_per_year(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "refugees.csv",
        "origin,dest,1975,1976,1977,note\nVN,US,100,,30,boat\n*ST,US,NaN,2,0,x\n",
    )
    read = read_user_flows(path)
    detected = read.detected
    assert (detected.layout, detected.years) == ("wide", ("1975", "1976", "1977"))
    assert "wide table (one count column per year, 1975–1977)" in detected.describe()
    rows = {
        (str(r.origin), str(r.dest), str(r.time), int(r.count), str(r.note))
        for r in read.flows.itertuples()
    }
    assert rows == {
        ("VN", "US", "1975", 100, "boat"),
        ("VN", "US", "1977", 30, "boat"),
        ("*ST", "US", "1976", 2, "x"),
        ("*ST", "US", "1977", 0, "x"),
    }
    # Cells, not rows: one empty, one written NaN (issue 16).
    assert (read.skipped.blank_counts, read.skipped.total) == (0, 0)
    assert (read.skipped.empty_cells, read.skipped.missing_cells) == (1, 1)
    assert read.skipped.missing_marks == ("NaN",)
    assert read.skipped.summary() == (
        "Not drawn, as no figure is given: 1 empty cell, 1 cell marked missing ('NaN')."
    )
    # The latest year unless a span is asked for; then summed.
    assert pairs(select(read.flows)) == {("VN", "US", 30)}
    assert pairs(select(read.flows, period="1975-1977")) == {("VN", "US", 130), ("*ST", "US", 2)}


def test_wide_table_bad_cell_names_its_year_column(tmp_path: Path) -> None:
    path = write(tmp_path, "wide.csv", "origin,dest,2001,2002\nA,B,1,2\nB,A,3,x7\n")
    with pytest.raises(DataValidationError) as caught:
        read_user_flows(path)
    assert "row 2 (line 3), column '2002': must be a whole number" in str(caught.value)
    assert "got 'x7'" in str(caught.value)
    assert str(path) in str(caught.value)


def test_square_matrix(tmp_path: Path) -> None:
    path = write(tmp_path, "od.csv", ",AA,BB,CC\nAA,0,5,6\nBB,1,,2\nCC,3,4,0\n")
    read = read_user_flows(path)
    assert read.detected.layout == "matrix"
    assert read.detected.describe() == (
        "read od.csv: origin–destination matrix, ','-separated, utf-8, 3 rows, rows read as "
        "origins, columns as destinations: assumed, as the corner cell is empty"
    )
    assert ("AA", "BB", 5) in pairs(read.flows)
    assert ("BB", "AA", 1) in pairs(read.flows)
    assert ("BB", "CC", 2) in pairs(read.flows)
    assert (read.skipped.blank_counts, read.skipped.empty_cells) == (0, 1)
    assert read.skipped.examples == ()
    places = write(tmp_path, "p.csv", "id,name,lat,lon\nAA,A,40,70\nBB,B,41,71\nCC,C,42,72\n")
    data = load_user_data(path, places)
    assert data.skipped.self_flows == 2
    # A matrix's flows are its cells: a zero or a diagonal cell is not a row skipped.
    assert data.warnings()[0] == (
        "2 cells not drawn: 2 from a place to itself. "
        "Not drawn, as no figure is given: 1 empty cell."
    )
    assert "row 1 (line 2), column 'AA', origin and destination are the same place: 'AA'" in (
        data.skipped.examples
    )


def test_explicit_column_mapping_overrides_detection(tmp_path: Path) -> None:
    path = write(tmp_path, "de.csv", "Herkunft,Ziel,Anzahl,count\nA,B,5,99\n")
    read = read_user_flows(path, columns={"origin": "Herkunft", "dest": "Ziel", "count": "Anzahl"})
    assert pairs(read.flows) == {("A", "B", 5)}
    with pytest.raises(DataValidationError, match="no column 'Nope'"):
        read_user_flows(path, columns={"origin": "Nope"})
    with pytest.raises(DataValidationError, match="unknown role"):
        read_user_flows(path, columns={"size": "Anzahl"})


def test_places_with_other_names_decimal_commas_and_no_id(tmp_path: Path) -> None:
    path = write(tmp_path, "orte.csv", "Name;Latitude;Longitude\nBishkek;42,87;74,59\n")
    read = read_user_places(path)
    assert read.detected.columns == {"name": "Name", "lat": "Latitude", "lon": "Longitude"}
    row = read.places.loc["Bishkek"]
    assert (row["lat"], row["lon"]) == (42.87, 74.59)


def test_unknown_layout_says_what_was_expected(tmp_path: Path) -> None:
    path = write(tmp_path, "what.csv", "a,b,c\n1,2,3\n")
    with pytest.raises(DataValidationError) as caught:
        read_user_flows(path)
    message = str(caught.value)
    assert "cannot tell the layout" in message
    assert "the header has 'a', 'b', 'c'" in message


def test_a_places_file_given_as_flows(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError, match="this is a places table"):
        read_user_flows(write(tmp_path, "loc.csv", LOCATIONS))


def test_forced_layout() -> None:
    frame = pd.DataFrame({"x": ["A", "B"], "A": ["0", "1"], "B": ["2", "0"]})
    assert detect_layout(frame)[0] == "matrix"
    with pytest.raises(FlowmapError, match="layout must be one of"):
        detect_layout(frame, layout="diagonal")


# --------------------------------------------------------------------------- text forms


@pytest.mark.parametrize(("delimiter", "said"), [(",", "','"), (";", "';'"), ("\t", "tab")])
def test_every_delimiter(tmp_path: Path, delimiter: str, said: str) -> None:
    text = FLOWS.replace(",", delimiter)
    read = read_user_flows(write(tmp_path, "f.txt", text))
    assert read.detected.delimiter == delimiter
    assert f"{said}-separated" in read.detected.describe()
    assert read.detected.container == ("tsv" if delimiter == "\t" else "csv")
    assert pairs(read.flows) == {("001", "002", 120), ("002", "001", 40), ("001", "*ST", 300)}


def test_semicolons_with_decimal_commas_in_places(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "id;name;lat;lon\nA;Ala, Too;42,5;74,1\nB;Bee;40,0;70,0\n")
    read = read_user_places(path)
    assert read.detected.delimiter == ";"
    assert read.places.loc["A", "name"] == "Ala, Too"
    assert read.places.loc["A", "lat"] == 42.5


CYRILLIC = "origin;dest;count;note\nKG;RU;5;Бишкек\nRU;KG;3;Москва\n"


@pytest.mark.parametrize(
    ("encoding", "prefix", "said"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8 with BOM"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
        ("cp1251", b"", "cp1251"),
    ],
)
def test_every_encoding(tmp_path: Path, encoding: str, prefix: bytes, said: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(prefix + CYRILLIC.encode(encoding))
    before = path.read_bytes()
    read = read_user_flows(path)
    assert read.detected.describe().endswith(f"';'-separated, {said}, 2 rows")
    assert list(read.flows["note"].astype(str)) == ["Бишкек", "Москва"]
    assert pairs(read.flows) == {("KG", "RU", 5), ("RU", "KG", 3)}
    assert path.read_bytes() == before


def test_bytes_that_are_not_a_table(tmp_path: Path) -> None:
    junk = bytes(range(256)) * 40
    with pytest.raises(DataValidationError, match="not a text table") as caught:
        read_user_flows(junk, name="image.png")
    assert str(caught.value).startswith("image.png: 1 problem")
    with pytest.raises(DataValidationError, match="no comma, semicolon or tab"):
        read_user_flows(write(tmp_path, "one.csv", "just one column\nand more\n"))
    with pytest.raises(DataValidationError, match="empty"):
        read_user_flows(write(tmp_path, "empty.csv", "\n\n"))
    with pytest.raises(DataValidationError, match="file not found"):
        read_user_flows(tmp_path / "missing.csv")
    with pytest.raises(DataValidationError, match="header but no rows"):
        read_user_flows(write(tmp_path, "header.csv", "origin,dest,count\n"))


# --------------------------------------------------------------------------- containers


@pytest.mark.parametrize(("name", "delimiter"), [("f.csv.gz", ","), ("f.tsv.gz", "\t")])
def test_gzip_of_a_text_table(tmp_path: Path, name: str, delimiter: str) -> None:
    path = tmp_path / name
    path.write_bytes(gzip.compress(CYRILLIC.replace(";", delimiter).encode("cp1251")))
    read = read_user_flows(path)
    assert read.detected.container == name[2:]
    assert "gzip-compressed" in read.detected.describe()
    assert read.detected.encoding == "cp1251"
    assert list(read.flows["note"].astype(str)) == ["Бишкек", "Москва"]


def test_damaged_gzip(tmp_path: Path) -> None:
    path = tmp_path / "f.csv.gz"
    path.write_bytes(gzip.compress(FLOWS.encode())[:20])
    with pytest.raises(DataValidationError, match=r"a damaged \.gz file"):
        read_user_flows(path)


def test_xlsx_workbook(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "About"
    sheet = book.create_sheet("Flows")
    sheet.append(["Origin", "Destination", "Value", "Year"])
    sheet.append(["001", "*ST", 5, 2014])
    sheet.append(["*ST", "001", 7.0, 2015])
    sheet.append([None, None, None, None])
    sheet.append(["001", "*ST", None, 2016])
    path = tmp_path / "book.xlsx"
    book.save(path)
    read = read_user_flows(path)
    assert read.detected.container == "xlsx"
    assert read.detected.describe().startswith("read book.xlsx: long table, XLSX sheet 'Flows'")
    assert pairs(read.flows) == {("001", "*ST", 5), ("*ST", "001", 7)}
    assert list(read.flows["time"].astype(str)) == ["2014", "2015"]
    assert read.skipped.blank_counts == 2
    with pytest.raises(DataValidationError, match="no sheet 'Nope'"):
        read_user_flows(path, sheet="Nope")
    frame, detected = read_any(path, sheet="Flows")
    assert detected.sheet == "Flows"
    assert list(frame.columns) == ["Origin", "Destination", "Value", "Year"]


def test_xlsx_places(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "name", "lat", "lon"])
    sheet.append(["001", "Alpha", 42.9, 74.6])
    path = tmp_path / "places.xlsx"
    book.save(path)
    read = read_user_places(path)
    assert read.places.loc["001", "lat"] == 42.9


def test_old_xls_and_other_zip_files(tmp_path: Path) -> None:
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(DataValidationError, match=r"old Excel \.xls"):
        read_user_flows(xls)
    import zipfile

    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(DataValidationError, match="not an XLSX workbook"):
        read_user_flows(other)


# --------------------------------------------------------------------------- odd rows


def test_odd_rows_are_skipped_with_a_count_and_a_list(tmp_path: Path) -> None:
    flows = write(
        tmp_path,
        "flows.csv",
        "origin,dest,count\n"
        "001,002,120\n"  # drawn
        "001,001,7\n"  # self-flow
        "002,001,0\n"  # zero count
        "002,*ST,\n"  # blank count
        "*ST,002,NaN\n"  # NaN count
        "001,*ST,3\n"  # *ST has NaN coordinates
        "001,ZZ,4\n",  # ZZ is in no places file
    )
    places = write(
        tmp_path, "loc.csv", "id,name,lat,lon\n001,A,42.9,74.6\n002,B,40.5,72.8\n*ST,G,NaN,37.6\n"
    )
    data = load_user_data(flows, places, gazetteer=False)
    skipped = data.skipped
    counts = (skipped.self_flows, skipped.zero_counts, skipped.blank_counts)
    assert counts == (1, 1, 1)
    assert (skipped.marked_counts, skipped.missing_marks) == (1, ("NaN",))
    assert skipped.no_coordinates == 2
    assert skipped.total == 6
    assert skipped.unknown_places == ("ZZ",)
    assert skipped.missing_coordinates == ("*ST",)
    assert skipped.examples == (
        "row 4 (line 5), column 'count': no count",
        "row 5 (line 6), column 'count': marked missing: 'NaN'",
        "row 2 (line 3), origin and destination are the same place: '001'",
        "row 3 (line 4), the count is 0",
        "row 6 (line 7), no coordinates for place '*ST'",
        "row 7 (line 8), no coordinates for place 'ZZ'",
    )
    warnings = data.warnings()
    assert warnings[0] == (
        "6 rows skipped: 1 from a place to itself, 1 with a zero count, 1 without a count, "
        "1 with the count marked missing ('NaN'), 2 without coordinates (ZZ, *ST)."
    )
    assert any("column 'lat': read as no coordinates" in w and "'NaN'" in w for w in warnings)
    spec = map_spec(flowmap.map_html(data.flow_map()))
    assert warnings[0] in spec["text"]["notes"]
    assert len(spec["flows"]["c"]) == 1


def test_thousands_of_one_kind_are_summarised(tmp_path: Path) -> None:
    rows = "".join(f"{i:05d},{i:05d},1\n" for i in range(10_000))
    places = "id,lat,lon\n" + "".join(f"{i:05d},1,1\n" for i in range(10_000))
    data = load_user_data(
        write(tmp_path, "f.csv", "origin,dest,count\n" + rows),
        write(tmp_path, "p.csv", places),
        gazetteer=False,
    )
    assert data.skipped.self_flows == 10_000
    assert data.skipped.examples[-1] == "… and 9,995 more like this"
    assert len(data.skipped.examples) == 6


def test_ten_thousand_identical_errors_are_summarised(tmp_path: Path) -> None:
    path = write(tmp_path, "f.csv", "origin,dest,count\n" + "A,B,abc\n" * 10_000)
    with pytest.raises(DataValidationError) as caught:
        read_user_flows(path)
    error = caught.value
    assert error.problems[0] == (
        "row 1 (line 2), column 'count': must be a whole number from 0 to 999,999,999,999 "
        "written with the digits 0-9 (thousands may be grouped: 1,000 or 1 000), got 'abc'"
    )
    assert error.problems[-1] == "… and 9,995 more like this"
    assert str(error).startswith(f"{path}: 10000 problems")
    assert len(str(error)) < 2000


def test_real_errors_name_file_row_column_and_value(tmp_path: Path) -> None:
    path = write(tmp_path, "f.csv", "from;to;n\nA;B;5\nA;C;-3\n")
    with pytest.raises(DataValidationError) as caught:
        read_user_flows(path)
    assert str(caught.value).startswith(str(path))
    assert "row 2 (line 3), column 'n': must be a whole number" in str(caught.value)
    assert "got '-3'" in str(caught.value)


def test_rows_after_skipped_rows_keep_their_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "f.csv", "origin,dest,count\nA,B,\nA,B,\n,B,4\n")
    with pytest.raises(DataValidationError, match=r"row 3 \(line 4\), column 'origin'"):
        read_user_flows(path)


# --------------------------------------------------------------------------- time


def test_years_are_summed_and_missing_years_named(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "f.csv",
        "origin,dest,count,year\n"
        "001,002,1,2014\n001,002,2,2015\n001,002,4,2017\n001,002,8,2018\n002,001,16,2014\n",
    )
    places = write(tmp_path, "p.csv", LOCATIONS)
    data = load_user_data(path, places)
    assert pairs(select(data.flows, period="2014-2015")) == {("001", "002", 3), ("002", "001", 16)}
    found = coverage(data.flows["time"], "2014-2017")
    assert found is not None
    assert (found.years, found.missing) == ((2014, 2015, 2017), (2016,))
    spec = map_spec(flowmap.map_html(data.flow_map(period="2014-2017")))
    assert spec["text"]["subtitle"] == "2014–2017, sum of 3 of 4 years (no data for 2016)"
    spec = map_spec(flowmap.map_html(data.flow_map(period="2014-2015")))
    assert spec["text"]["subtitle"] == "2014–2015, sum of 2 years"
    assert spec["text"]["alerts"] == []
    spec = map_spec(flowmap.map_html(data.flow_map(period="2012-2018", lang="ru")))
    assert spec["text"]["subtitle"] == (
        "2012–2018, сумма за 4 из 7 лет (нет данных за 2012–2013, 2016)"
    )
    spec = map_spec(flowmap.map_html(data.flow_map()))  # the latest year, not all years
    assert spec["text"]["subtitle"] == "2018, the latest of 4 years"
    assert drawn_flows(flowmap.map_html(data.flow_map()))[0]["count"] == 8
    assert coverage(data.flows["time"], "2015") is None


def test_a_span_row_covers_its_span() -> None:
    times = pd.Series(["2014-2016", "2019"])
    found = coverage(times, "2014-2016")
    assert found is not None
    assert found.missing == ()
    assert coverage(pd.Series(["", ""])) is None


# --------------------------------------------------------------------------- places


def test_country_codes_without_a_places_file(tmp_path: Path) -> None:
    path = write(tmp_path, "f.csv", "origin,dest,count\nKG,RU,10\nKG,KZ,5\nRU,XX,1\n")
    data = load_user_data(path)
    assert data.places.loc["RU", "name"] == "Russia"
    assert data.places.loc[["KG", "RU", "KZ"], "lat"].notna().all()
    assert pd.isna(data.places.loc["XX", "lat"])
    assert data.skipped.no_coordinates == 1
    assert any("'XX'" in line for line in data.unlocated)
    assert any("gazetteer" in line for line in data.notes)
    page = flowmap.map_html(data.flow_map(title="Countries"))
    assert {(f["origin"], f["dest"]) for f in drawn_flows(page)} == {("KG", "RU"), ("KG", "KZ")}


def test_bytes_of_an_upload(tmp_path: Path) -> None:
    data = load_user_data(
        FLOWS.encode(), LOCATIONS.encode(), flows_name="up.csv", places_name="loc.csv"
    )
    assert data.describe()[0].startswith("read up.csv: long table")
    assert len(data.cleaned()) == 3


# --------------------------------------------------------------------------- languages

LATIN_WORD = re.compile(r"[A-Za-z]{4,}")
SOURCES = (Path(__file__).parent.parent / "src" / "flowmap").resolve()
MINE = tuple(str(path.relative_to(SOURCES)) for path in sorted(SOURCES.rglob("*.py")))


def english_words(text: str, allowed: Iterable[str] = ()) -> set[str]:
    """Return the runs of four or more Latin letters in ``text`` that are not ``allowed``."""
    return set(LATIN_WORD.findall(text)) - set(allowed)


CYRILLIC_FLOWS = "откуда;куда;число\nА;Б;5\nА;А;4\nБ;А;\nБ;В;0\nВ;Г;2\n"
CYRILLIC_PLACES = "код,название,шир,долг\nА,Ала,40,70\nБ,Бел,41,71\nВ,Вер,42,72\n"
CYRILLIC_COLUMNS = {"origin": "откуда", "dest": "куда", "count": "число"}
CYRILLIC_PLACE_COLUMNS = {"id": "код", "name": "название", "lat": "шир", "lon": "долг"}


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_an_error_reads_in_kyrgyz_and_russian(lang: str) -> None:
    text = "откуда;куда;число\nА;Б;5\nА;В;-3\n;Б;4\n" + "А;Б;х\n" * 8
    with pytest.raises(DataValidationError) as caught:
        read_user_flows(text.encode(), name="поток.csv", columns=CYRILLIC_COLUMNS)
    shown = error_text(caught.value, lang)
    assert not english_words(shown), shown
    assert str(caught.value).startswith("поток.csv: 10 problems")  # English unchanged
    expected = {
        "ru": (
            "поток.csv: 10 проблем:",
            "строка 2 (строка файла 3), столбец 'число': должно быть целое число от 0 до "
            "999\xa0999\xa0999\xa0999, записанное цифрами 0-9 (разряды можно разделять: 1,000 "
            "или 1 000); получено: '-3'",
            "строка 3 (строка файла 4), столбец 'откуда': не должен быть пустым",
            "… и ещё подобных: 4",
        ),
        "ky": (
            "поток.csv: 10 көйгөй:",
            "2-сап (файлдын 3-сабы), 'число' тилкеси: 0-9 цифралары менен жазылган "
            "0…999\xa0999\xa0999\xa0999 аралыгындагы бүтүн сан болушу керек (миңдер бөлүнсө болот: "
            "1,000 же 1 000); берилгени: '-3'",
            "3-сап (файлдын 4-сабы), 'откуда' тилкеси: бош болбошу керек",
            "… жана ушундай дагы 4",
        ),
    }[lang]
    for part in expected:
        assert part in shown, (part, shown)


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_skipped_rows_and_descriptions_read_in_kyrgyz_and_russian(lang: str) -> None:
    data = load_user_data(
        CYRILLIC_FLOWS.encode(),
        CYRILLIC_PLACES.encode(),
        flows_name="поток.csv",
        places_name="места.csv",
        flow_columns=CYRILLIC_COLUMNS,
        place_columns=CYRILLIC_PLACE_COLUMNS,
        gazetteer=False,
    )
    warnings = data.warnings(lang)
    described = [localise(line, lang) for line in data.describe()]
    for line in [*warnings, *described]:
        assert not english_words(line, {"utf"}), line
    assert data.warnings() == [str(m) for m in data.warnings()]  # English: Messages
    assert data.warnings()[0].startswith("4 rows skipped: 1 from a place to itself")
    expected = {
        "ru": (
            "Пропущено строк — 4: 1 из места в то же место, 1 с нулевым числом, 1 без числа, "
            "1 без координат (Г).",
            "  строка 2 (строка файла 3), место выбытия совпадает с местом прибытия: 'А'",
            "  строка 4 (строка файла 5), число равно 0",
            "  строка 5 (строка файла 6), нет координат места 'Г'",
            "прочитан поток.csv: длинная таблица, разделитель ';', utf-8, 5 строк, "
            "столбцы: откуда — 'откуда', куда — 'куда', число — 'число'",
            "прочитан места.csv: таблица мест, разделитель ',', utf-8, 3 строки, столбцы: "
            "код — 'код', название — 'название', широта — 'шир', долгота — 'долг'",
        ),
        "ky": (
            "4 сап өткөрүлүп жиберилди: 1 бир эле жерден ошол жерге, 1 нөл сан менен, 1 сансыз, "
            "1 координатасыз (Г).",
            "  2-сап (файлдын 3-сабы), чыккан жана барган жер бир эле: 'А'",
            "  4-сап (файлдын 5-сабы), саны 0",
            "  5-сап (файлдын 6-сабы), координаттары жок жер: 'Г'",
            "поток.csv окулду: узун таблица, бөлгүч ';', utf-8, 5 сап, "
            "тилкелер: кайдан — 'откуда', кайда — 'куда', сан — 'число'",
        ),
    }[lang]
    for line in expected:
        assert line in [*warnings, *described], (line, warnings, described)


@pytest.mark.parametrize(
    ("rows", "ru"), [(1, "1 строка"), (3, "3 строки"), (5, "5 строк"), (21, "21 строка")]
)
def test_rows_read_take_the_russian_plural(rows: int, ru: str) -> None:
    text = "origin,dest,count\n" + "А,Б,1\n" * rows
    described = read_user_flows(text.encode(), name="п.csv").detected.describe()
    assert described.text("ru").endswith(f"utf-8, {ru}")
    assert described.endswith(f"utf-8, {rows} row" + ("" if rows == 1 else "s"))


def test_a_wide_table_and_a_tab_are_described_in_russian(tmp_path: Path) -> None:
    path = write(tmp_path, "ш.tsv", "origin\tdest\t2001\t2002\nА\tБ\t1\t2\n")
    described = read_user_flows(path).detected.describe()
    assert described == "read ш.tsv: wide table (one count column per year, 2001–2002), " + (
        "tab-separated, utf-8, 1 row"
    )
    assert described.text("ru") == (
        "прочитан ш.tsv: широкая таблица (столбец на каждый год, 2001–2002), "
        "разделитель — табуляция, utf-8, 1 строка"
    )


def test_messages_survive_pickling(tmp_path: Path) -> None:
    """The app caches user data with ``st.cache_data``, which pickles it."""
    data = load_user_data(write(tmp_path, "f.csv", "origin,dest,count\nKG,RU,10\nKG,KG,1\n"))
    again = pickle.loads(pickle.dumps(data))
    assert again.warnings("ru") == data.warnings("ru")
    assert [localise(n, "ru") for n in again.notes] == [localise(n, "ru") for n in data.notes]
    assert "'KG' → Кыргызстан (страна KG)" in localise(again.notes[0], "ru")
    assert again.places.loc["RU", "name_ru"] == "Россия"


def test_every_user_key_in_the_source_is_in_the_catalogue() -> None:
    """Every ``"user.…"`` key written in these modules, and every key their f-string keys
    (``f"user.layout.{layout}"``) can make, has a row in ``messages.csv``."""
    literal = re.compile(r"""(?<![\w.{])["']((?:user|general)\.[a-z0-9_.#-]+)["']""")
    formatted = re.compile(r"""f["']((?:user|general)\.[a-z0-9_.-]+)\.\{""")
    keys: set[str] = set()
    prefixes: set[str] = set()
    paths = [SOURCES / name for name in MINE]
    for path in [p for d in paths for p in (sorted(d.glob("*.py")) if d.is_dir() else [d])]:
        text = path.read_text(encoding="utf-8")
        keys.update(literal.findall(text))
        prefixes.update(formatted.findall(text))
    assert len(keys) > 80, keys
    assert not sorted(k for k in keys if k not in MESSAGES)
    expansions = {
        "user.layout": [*LAYOUTS, "table"],
        "user.col": [*COLUMN_NAMES, *userview.COLUMNS],
        "user.gaz.kind": list(gazetteer.KINDS),
        "user.gaz.level": list(gazetteer.LEVELS),
        "user.gaz.how": ["code", "name", "alternate"],
        "user.view.like": ["flows", "places"],
        "general.skip": ["self", "zero", "blank", "located"],
        "general.cells": ["empty", "missing"],
        "user.orient": [
            f"{rows}.{why}"
            for rows in ("origins", "destinations")
            for why in ("corner", "given", "assumed", "empty")
        ],
        "user.hint": [f"{kind}.{where}" for kind in ("flows", "places") for where in HINTS],
        "user.hint.places": list(HINTS),
        "user.too_much_missing": list(HINTS),
        "general.kind": ["out", "in", "between", "net"],
    }
    assert prefixes == set(expansions)
    missing = [f"{p}.{v}" for p, vs in expansions.items() for v in vs if f"{p}.{v}" not in MESSAGES]
    assert not missing


# --------------------------------------------------------------------------- issue 16


CENSUS = (
    "Current x Origin,Alabama,Texas,Ohio,Total\n"
    'Alabama,N/A,"101,466",12,"101,478"\n'
    "Texas,7,N/A,3,10\n"
    "Ohio,1,2,N/A,3\n"
    'Total,8,"101,468",15,"101,491"\n'
)
STATES = (
    "id,name,lat,lon\nAlabama,Alabama,32.8,-86.8\nTexas,Texas,31.0,-99.9\nOhio,Ohio,40.4,-82.9\n"
)


def test_a_current_by_origin_matrix_is_read_with_rows_as_destinations(tmp_path: Path) -> None:
    path = write(tmp_path, "census.csv", CENSUS)
    read = read_user_flows(path)
    # Rows are where people live now: Texas -> Alabama is the 101,466 of row Alabama.
    assert pairs(read.flows) == {
        ("Texas", "Alabama", 101466),
        ("Ohio", "Alabama", 12),
        ("Alabama", "Texas", 7),
        ("Ohio", "Texas", 3),
        ("Alabama", "Ohio", 1),
        ("Texas", "Ohio", 2),
    }
    said = read.detected.describe()
    assert (
        "rows are destinations, columns origins (as the corner cell 'Current x Origin' says)"
        in said
    )
    assert "1 total row left out ('Total')" in said
    assert "total column left out ('Total')" in said
    assert "итоговые строки исключены — 1 ('Total')" in said.text("ru")
    # N/A on the diagonal: cells marked missing, not errors and not rows.
    assert (read.skipped.missing_cells, read.skipped.empty_cells, read.skipped.total) == (3, 0, 0)
    assert read.skipped.missing_marks == ("N/A",)
    # The reversed reading only when asked for, and said so.
    reversed_read = read_user_flows(path, orient="rows-are-origins")
    assert ("Alabama", "Texas", 101466) in pairs(reversed_read.flows)
    assert "rows read as origins, columns as destinations (as asked)" in (
        reversed_read.detected.describe()
    )
    with pytest.raises(FlowmapError, match="orient must be one of"):
        read_user_flows(path, orient="across")
    # The map says how the matrix was read.
    data = load_user_data(path, write(tmp_path, "states.csv", STATES))
    spec = map_spec(flowmap.map_html(data.flow_map(lang="ky")))
    assert any("саптар — кайда" in note for note in spec["text"]["notes"])


@pytest.mark.parametrize(
    ("corner", "orient"),
    [
        ("Current x Origin", "rows-are-destinations"),
        ("current residence × residence 1 year ago", "rows-are-destinations"),
        ("Destination (across) - Source (down)", "rows-are-origins"),
        ("from\\to", "rows-are-origins"),
        ("FROM/TO", "rows-are-origins"),
        ("origin\\destination", "rows-are-origins"),
        ("to\\from", "rows-are-destinations"),
        ("откуда\\куда", "rows-are-origins"),
        ("Куда / откуда", "rows-are-destinations"),
        ("Origin", "rows-are-origins"),
        ("destination - origin", "rows-are-destinations"),
        ("column 1", None),
        ("Country", None),
        ("", None),
    ],
)
def test_the_corner_cell_says_the_orientation(corner: str, orient: str | None) -> None:
    assert matrix_orientation(corner) == orient


def test_a_matrix_whose_corner_does_not_say_is_assumed_and_says_so_on_the_map(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "m.csv", ",Alabama,Texas,Ohio\nAlabama,,5,1\nTexas,2,,3\nOhio,4,6,\n")
    data = load_user_data(path, write(tmp_path, "states.csv", STATES))
    assert "assumed, as the corner cell is empty" in data.describe()[0]
    spec = map_spec(flowmap.map_html(data.flow_map(lang="ru")))
    assert spec["text"]["alerts"] == [
        "Матрица: строки прочитаны как места выбытия, столбцы — как места прибытия: это "
        "предположение, так как угловая ячейка пуста."
    ]
    named = write(tmp_path, "n.csv", "State,Alabama,Texas,Ohio\nAlabama,,5,1\nTexas,2,,3\n")
    assert "assumed, as the corner cell 'State' does not say" in (
        read_user_flows(named).detected.describe()
    )
    # Empty diagonal cells are cells, not "rows skipped".
    assert data.warnings() == ["Not drawn, as no figure is given: 3 empty cells."]
    assert data.warnings("ru") == ["Не нарисовано, так как число не указано: 3 пустые ячейки."]


@pytest.mark.parametrize(
    "label", ["Total", "TOTAL", "Grand total", "All", "Sum", "Всего", "Итого", "Бардыгы", "Жалпы"]
)
def test_totals_are_named(label: str) -> None:
    assert is_total(label)


@pytest.mark.parametrize("label", ["Sumy", "Allentown", "Totalville", "Alabama", "Баткен"])
def test_places_are_not_totals(label: str) -> None:
    assert not is_total(label)


def test_total_rows_of_long_and_wide_tables_are_left_out_and_named(tmp_path: Path) -> None:
    long = write(tmp_path, "l.csv", "origin,dest,count\nKG,RU,5\nKG,Total,9\nВсего,RU,7\n")
    read = read_user_flows(long)
    assert pairs(read.flows) == {("KG", "RU", 5)}
    assert "2 total rows left out ('Всего', 'Total')" in read.detected.describe()
    wide = write(tmp_path, "w.csv", "origin,dest,2019,2020,Total\nKG,RU,1,2,3\nAll,RU,4,5,9\n")
    read = read_user_flows(wide)
    assert set(read.flows.columns) == {"origin", "dest", "count", "time"}
    assert pairs(read.flows) == {("KG", "RU", 1), ("KG", "RU", 2)}
    said = read.detected.describe()
    assert "1 total row left out ('All')" in said
    assert "total column left out ('Total')" in said


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('origin,dest,count\nKG,RU,"101,466"\n', 101466),
        ("origin;dest;count\nKG;RU;101,466\n", 101466),
        ("origin,dest,count\nKG,RU,1 000\n", 1000),
        ("origin,dest,count\nKG,RU,1\u00a0000\n", 1000),
        ("origin,dest,count\nKG,RU,1\u202f000 000\n", None),
        ("origin,dest,count\nKG,RU,1\u202f000\u202f000\n", 1000000),
        ("origin,dest,count\nKG,RU,1'000\n", 1000),
        ("origin\tdest\tcount\nKG\tRU\t2,500\n", 2500),
        ("origin,dest,count\nKG,RU,12.0\n", 12),
    ],
)
def test_numbers_as_people_write_them(tmp_path: Path, text: str, value: int | None) -> None:
    path = write(tmp_path, "n.csv", text)
    if value is None:  # mixed separators stay an error naming the cell
        with pytest.raises(DataValidationError, match=r"row 1 .* column 'count'"):
            read_user_flows(path)
        return
    assert pairs(read_user_flows(path).flows) == {("KG", "RU", value)}


@pytest.mark.parametrize("bad", ["1.000", '"1,00"', '"1,000.5"', "12abc", '"-1,000"'])
def test_bad_numbers_are_still_named(tmp_path: Path, bad: str) -> None:
    path = write(tmp_path, "n.csv", f"origin,dest,count\nKG,RU,5\nKG,KZ,{bad}\n")
    with pytest.raises(DataValidationError) as caught:
        read_user_flows(path)
    assert "n.csv" in str(caught.value)
    assert "row 2 (line 3), column 'count'" in str(caught.value)
    assert repr(bad.strip('"')) in str(caught.value)
    ambiguous = "is ambiguous: the dot may separate thousands" in str(caught.value)
    assert ambiguous == (bad == "1.000")


@pytest.mark.parametrize("layout", ["long", "wide", "matrix"])
def test_a_dotted_thousand_is_said_to_be_ambiguous(tmp_path: Path, layout: str) -> None:
    text = {
        "long": "origin,dest,count\nKG,RU,1.000\nKG,KZ,12.500\n",
        "wide": "origin,dest,2019\nKG,RU,1.000\nKG,KZ,12.500\n",
        "matrix": "from\\to,KG,RU\nKG,,1.000\nRU,12.500,\n",
    }[layout]
    with pytest.raises(DataValidationError) as caught:
        read_user_flows(write(tmp_path, "n.csv", text))
    for lang, words in (
        ("en", "write thousands without a dot (1000, 1 000 or 1,000)"),
        ("ky", "эки маанилүү"),
        ("ru", "неоднозначно"),
    ):
        said = error_text(caught.value, lang)
        assert said.count(words) == 2, said
        assert "'1.000'" in said
        assert "'12.500'" in said
    assert "whole number from 0 to" not in str(caught.value)


@pytest.mark.parametrize("mark", ["N/A", "NA", "-", "—", "..", "x", "…", "n/a"])
def test_missing_marks_are_missing(tmp_path: Path, mark: str) -> None:
    long = write(tmp_path, "l.csv", f"origin,dest,count\nKG,RU,5\nKG,KZ,{mark}\nKZ,KG,\n")
    read = read_user_flows(long)
    assert pairs(read.flows) == {("KG", "RU", 5)}
    # Marked missing in a long table too, as in wide tables; an empty cell has no count.
    skipped = read.skipped
    assert (skipped.marked_counts, skipped.blank_counts, skipped.total) == (1, 1, 2)
    assert skipped.missing_marks == (mark,)
    said = skipped.summary().text("en")
    assert f"1 without a count, 1 with the count marked missing ({mark!r})" in said
    assert f"marked missing: {mark!r}" in "\n".join(skipped.examples)
    assert "с отметкой «нет данных»" in skipped.summary().text("ru")
    wide = write(tmp_path, "w.csv", f"origin,dest,2019,2020\nKG,RU,5,{mark}\n")
    read = read_user_flows(wide)
    assert pairs(read.flows) == {("KG", "RU", 5)}
    assert (read.skipped.missing_cells, read.skipped.missing_marks) == (1, (mark,))


def test_a_wide_table_is_not_summed_without_a_period(tmp_path: Path) -> None:
    years = list(range(1989, 2024))
    header = "origin,dest," + ",".join(map(str, years))
    body = "\n".join(
        f"{o},{d}," + ",".join(str(100 + i) for i, _ in enumerate(years))
        for o, d in (("AF", "PK"), ("AF", "IR"), ("SY", "TR"))
    )
    data = load_user_data(write(tmp_path, "stock.csv", f"{header}\n{body}\n"))
    page = flowmap.map_html(data.flow_map())
    assert {f["count"] for f in drawn_flows(page)} == {134}  # 2023 alone, never the sum
    assert {f["time"] for f in drawn_flows(page)} == {"2023"}
    assert map_spec(page)["text"]["subtitle"] == "2023, the latest of 35 years"
    summed = flowmap.map_html(data.flow_map(period="2014-2023"))
    assert {f["count"] for f in drawn_flows(summed)} == {sum(range(125, 135))}
    assert map_spec(summed)["text"]["subtitle"] == "2014–2023, sum of 10 years"
    stock = load_user_data(write(tmp_path, "stock.csv", f"{header}\n{body}\n"), measure="stock")
    with pytest.raises(FlowmapError, match="cannot be summed over years"):
        stock.flow_map(period="2014-2023")
    assert map_spec(flowmap.map_html(stock.flow_map(period=2020)))["text"]["subtitle"] == "2020"
    with pytest.raises(FlowmapError, match="measure must be one of flow, stock"):
        load_user_data(write(tmp_path, "stock.csv", f"{header}\n"), measure="stocks")


@pytest.mark.parametrize(
    ("hints", "flows_hint", "places_hint"),
    [
        ("python", "flow_columns=dict(origin='FROM'", "place_columns=dict(id='CODE'"),
        ("cli", "--columns origin=FROM,dest=TO,count=N", "--place-columns id=CODE"),
        ("app", "under “Layout and columns”", "Name the places file's columns id, name"),
    ],
)
def test_hints_name_the_place_they_are_read_in(
    tmp_path: Path, hints: str, flows_hint: str, places_hint: str
) -> None:
    odd = write(tmp_path, "odd.csv", "a,b,c\n1,2,3\n")
    with pytest.raises(DataValidationError) as caught:
        load_user_data(odd, hints=hints)
    assert flows_hint in str(caught.value)
    others = {"--columns", "flow_columns=", "Layout and columns"} - {
        w for w in ("--columns", "flow_columns=", "Layout and columns") if w in flows_hint
    }
    assert not [w for w in others if w in str(caught.value)]
    places = write(tmp_path, "p.csv", "where,when\nKG,now\n")
    flows = write(tmp_path, "f.csv", "origin,dest,count\nKG,RU,1\n")
    with pytest.raises(DataValidationError) as caught:
        load_user_data(flows, places, hints=hints)
    assert places_hint in str(caught.value)
    assert "--columns " not in str(caught.value)
    assert "flow_columns" not in str(caught.value)


@pytest.mark.parametrize(
    ("hints", "option"),
    [
        ("python", "place_columns=dict("),
        ("cli", "--place-columns "),
        ("app", "Name the places file's columns id, name, lat and lon"),
    ],
)
def test_a_places_file_whose_coordinates_are_not_found_is_never_ignored(
    tmp_path: Path, hints: str, option: str
) -> None:
    """Breite and Laenge are not taken for lat and lon, and not ignored silently either:
    the error names the file, its columns and the option of the place it is read in."""
    flows = write(tmp_path, "f.csv", "from,to,count\nAlmaty,Xyzzy,500\nXyzzy,Bishkek,900\n")
    places = write(tmp_path, "pl.csv", "Code,Breite,Laenge\nXyzzy,40.1,70.1\nAlmaty,43.2,76.9\n")
    with pytest.raises(DataValidationError) as caught:
        load_user_data(flows, places, hints=hints)
    said = str(caught.value)
    assert "pl.csv" in said
    assert "'Code', 'Breite', 'Laenge'" in said
    assert "no column 'lat', 'lon'" in said
    assert option in said
    for other in {"--place-columns", "place_columns=", "--columns", "flow_columns="} - {
        option.split("dict")[0].strip()
    }:
        assert other not in said, other
    for lang in ("ky", "ru"):
        text = error_text(caught.value, lang)
        assert "'Code', 'Breite', 'Laenge'" in text
        assert "lat" in text
    # Named, they are read.
    read = load_user_data(flows, places, place_columns={"lat": "Breite", "lon": "Laenge"})
    assert read.places.loc["Xyzzy", ["lat", "lon"]].tolist() == [40.1, 70.1]
    # Only the longitude missing is said too.
    half = write(tmp_path, "half.csv", "id,lat,Laenge\nXyzzy,40.1,70.1\n")
    with pytest.raises(DataValidationError, match="no column 'lon'"):
        load_user_data(flows, half, hints=hints)


def test_an_xlsx_with_cyrillic_headers_and_grouped_numbers(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Миграция"
    sheet.append(["Откуда", "Куда", "Год", "Число"])
    sheet.append(["Баткенская область", "Бишкек", 2022, "1 000"])
    sheet.append(["Баткенская область", "Бишкек", 2023, "12\u00a0500"])
    sheet.append(["Ошская область", "Бишкек", 2023, 730])
    sheet.append(["Всего", "Бишкек", 2023, "13 230"])
    path = tmp_path / "миграция.xlsx"
    book.save(path)
    data = load_user_data(path)
    assert pairs(data.flows) == {
        ("Баткенская область", "Бишкек", 1000),
        ("Баткенская область", "Бишкек", 12500),
        ("Ошская область", "Бишкек", 730),
    }
    said = data.describe()[0]
    assert "count='Число', time='Год'" in said
    assert "1 total row left out ('Всего')" in said
    spec = map_spec(flowmap.map_html(data.flow_map(lang="ky")))
    assert spec["text"]["subtitle"] == "2023: 2 жылдын акыркысы"
    assert sorted(f["count"] for f in drawn_flows(flowmap.map_html(data.flow_map()))) == [
        730,
        12500,
    ]
