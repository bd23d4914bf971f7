"""``flowmap export`` and ``flowmap data show`` on your own files (issue 10): the general
engine, what was read and skipped on stderr, exit codes, files written and files kept."""

from __future__ import annotations

import gzip
import io
import json
import re
from pathlib import Path

import pytest

from flowmap.cli.commands import main
from tests.conftest import drawn_flows, map_spec

LOCATIONS = "id,name,lat,lon\n001,Alpha,42.9,74.6\n002,Beta,40.5,72.8\n*ST,Gamma,55.7,37.6\n"
FLOWS = "origin,dest,count\n001,002,120\n002,001,40\n001,*ST,300\n001,001,9\n"
COUNTRIES = (
    "origin;dest;count;year\n"
    "KG;RU;100;2014\nKG;RU;50;2015\nKG;KZ;30;2014\nKZ;KG;5;2015\nKG;TR;7;2017\nRU;KG;12;2014\n"
)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out)
    return code, out.getvalue()


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    flows, places = tmp_path / "flows.csv", tmp_path / "locations.csv"
    flows.write_text(FLOWS, encoding="utf-8")
    places.write_text(LOCATIONS, encoding="utf-8")
    return flows, places


@pytest.fixture
def countries(tmp_path: Path) -> Path:
    path = tmp_path / "countries.csv"
    path.write_bytes(COUNTRIES.encode("cp1251"))
    return path


def test_export_a_flowmap_blue_pair(
    tmp_path: Path, pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    flows, places = pair
    before = [flows.read_bytes(), places.read_bytes()]
    out = tmp_path / "map.html"
    code, text = run("export", "--flows", str(flows), "--places", str(places), "--out", str(out))
    err = capsys.readouterr().err
    assert code == 0, err
    assert text.startswith(f"wrote {out} (")
    assert text.endswith(", 3 flows drawn)\n")
    page = out.read_text(encoding="utf-8")
    assert {(f["origin"], f["dest"]) for f in drawn_flows(page)} == {
        ("001", "002"),
        ("002", "001"),
        ("001", "*ST"),
    }
    assert "Batken" not in page
    assert "flowmap: read flows.csv: long table, ','-separated, utf-8, 4 rows" in err
    assert "flowmap: read locations.csv: places, ','-separated, utf-8, 3 rows" in err
    assert "flowmap: warning: 1 row skipped: 1 from a place to itself." in err
    assert "flowmap: warning:   row 4 (line 5), origin and destination are the same place" in err
    assert "Traceback" not in err
    assert [flows.read_bytes(), places.read_bytes()] == before


def test_export_a_long_table_of_country_codes_alone(
    tmp_path: Path, countries: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "countries.html"
    code, text = run(
        "export",
        "--flows",
        str(countries),
        "--period",
        "2014-2017",
        "--title",
        "Moves from Kyrgyzstan",
        "--subtitle",
        "A test",
        "--source",
        "My survey",
        "--out",
        str(out),
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert "read countries.csv: long table, ';'-separated, utf-8, 6 rows" in err
    assert "coordinates of 4 places from the gazetteer" in err
    assert "flowmap: warning: shown: 2014–2017, sum of 3 of 4 years (no data for 2016)" in err
    page = out.read_text(encoding="utf-8")
    flows = {(f["origin"], f["dest"]): f["count"] for f in drawn_flows(page)}
    assert flows == {
        ("KG", "RU"): 150,
        ("KG", "KZ"): 30,
        ("KZ", "KG"): 5,
        ("KG", "TR"): 7,
        ("RU", "KG"): 12,
    }
    spec = map_spec(page)
    assert spec["text"]["title"] == "Moves from Kyrgyzstan"
    assert spec["text"]["subtitle"] == "A test"
    assert spec["text"]["source"] == "My survey"
    assert "wrote" in text


def test_cp1251_names_are_read_and_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flows = tmp_path / "ru.csv"
    flows.write_bytes("откуда;куда;n\nKG;RU;5\n".encode("cp1251"))
    out = tmp_path / "m.html"
    code, _ = run(
        "export", "--flows", str(flows), "--columns", "origin=откуда,dest=куда", "--out", str(out)
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert "';'-separated, cp1251, 1 row, columns origin='откуда', dest='куда'" in err


def test_selection_options(
    tmp_path: Path, countries: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "m.html"
    base = ("export", "--flows", str(countries), "--out", str(out), "--period", "2014-2017")
    assert run(*base, "--top", "2")[0] == 0
    assert [f["count"] for f in drawn_flows(out.read_text(encoding="utf-8"))] == [150, 30]
    assert run(*base, "--min-count", "12")[0] == 0
    assert sorted(f["count"] for f in drawn_flows(out.read_text(encoding="utf-8"))) == [
        12,
        30,
        150,
    ]
    assert run(*base, "--focus", "kz", "--direction", "out")[0] == 0
    assert [(f["origin"], f["dest"]) for f in drawn_flows(out.read_text(encoding="utf-8"))] == [
        ("KZ", "KG")
    ]
    assert run(*base[:-2], "--year", "2015", "--lang", "ru")[0] == 0
    page = out.read_text(encoding="utf-8")
    assert sorted(f["count"] for f in drawn_flows(page)) == [5, 50]
    assert map_spec(page)["text"]["title"] == "Потоки"
    capsys.readouterr()


def test_direction_out_needs_a_focus(countries: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run("data", "show", "--flows", str(countries), "--direction", "out")
    assert code == 2
    assert "--direction out needs --focus ID" in capsys.readouterr().err


def test_unknown_focus_lists_the_places(
    countries: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run("data", "show", "--flows", str(countries), "--focus", "XX")
    assert code == 2
    err = capsys.readouterr().err
    assert "--focus 'XX': not a place of your data; its places are KG, KZ, RU, TR" in err


def test_batken_options_are_refused_for_user_files_and_vice_versa(
    tmp_path: Path, pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    flows, places = pair
    code, _ = run(
        "export", "--flows", str(flows), "--places", str(places), "--districts", "d.geojson",
        "--out", str(tmp_path / "m.html"),
    )  # fmt: skip
    assert code == 2
    assert "--districts draws Batken's districts" in capsys.readouterr().err
    code, _ = run("data", "show", "--top", "3")
    assert code == 2
    assert "--top: only for your own flows" in capsys.readouterr().err
    code, _ = run("data", "show", "--flows", str(flows), "--sex", "male")
    assert code == 2
    assert "--sex male: your flows have no 'sex' column" in capsys.readouterr().err


def test_export_an_image_of_user_data(
    tmp_path: Path, pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    flows, places = pair
    out = tmp_path / "map.png"
    code, text = run("export", "--flows", str(flows), "--places", str(places), "--out", str(out))
    assert code == 0, capsys.readouterr().err
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "kB png, 3 flows drawn" in text


def test_show_prints_the_cleaned_table(
    pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    flows, places = pair
    code, text = run("data", "show", "--flows", str(flows), "--places", str(places))
    err = capsys.readouterr().err
    assert code == 0, err
    lines = text.splitlines()
    assert lines[0].split() == ["from", "to", "count", "period", "kind"]
    assert lines[2].split()[:5] == ["001", "Alpha", "*ST", "Gamma", "300"]
    assert len(lines) == 5  # the self-flow is skipped
    assert "1 row skipped: 1 from a place to itself." in err
    code, text = run(
        "data", "show", "--flows", str(flows), "--places", str(places), "--format", "csv"
    )
    assert code == 0
    assert text.splitlines()[0] == "origin,origin_name,dest,dest_name,count,time,kind"
    assert text.splitlines()[1] == "001,Alpha,*ST,Gamma,300,,between"
    code, text = run(
        "data", "show", "--flows", str(flows), "--places", str(places), "--format", "json"
    )
    assert code == 0
    assert [r["count"] for r in json.loads(text)] == [300, 120, 40]


def test_show_a_wide_gzip_table_summed_over_a_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "wide.tsv.gz"
    path.write_bytes(gzip.compress(b"origin\tdest\t2001\t2002\t2003\nKG\tRU\t1\t2\t4\n"))
    code, text = run(
        "data", "show", "--flows", str(path), "--period", "2001-2002", "--format", "json"
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert "wide table (one count column per year, 2001–2003), gzip-compressed, tab" in err
    assert [(r["origin"], r["dest"], r["count"]) for r in json.loads(text)] == [("KG", "RU", 3)]


def test_show_fills_the_period_column_and_never_sums_without_a_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 16: the latest year unless a span is asked for, in the period column too."""
    path = tmp_path / "wide.csv"
    path.write_text("origin,dest,2001,2002,2003\nKG,RU,1,2,4\nKG,KZ,8,,\n", encoding="utf-8")
    code, text = run("data", "show", "--flows", str(path))
    err = capsys.readouterr().err
    assert code == 0, err
    lines = text.splitlines()
    assert lines[2].split() == ["KG", "Kyrgyzstan", "RU", "Russia", "4", "2003", "between"]
    assert len(lines) == 3  # KG -> KZ has no 2003 figure
    assert (
        "flowmap: shown: 2003, the latest of 3 years; --year YEAR shows another year, "
        "--period 2001-2003 sums them" in err
    )
    assert "Not drawn, as no figure is given: 2 empty cells." in err
    assert "rows skipped" not in err
    code, text = run("data", "show", "--flows", str(path), "--period", "2001-2003")
    assert code == 0
    assert text.splitlines()[2].split()[4:6] == ["8", "2001-2003"]
    assert "flowmap: shown: 2001–2003, sum of 3 years" in capsys.readouterr().err
    code, text = run("data", "show", "--flows", str(path), "--period", "2001-2003", "--lang", "ru")
    assert "показано: 2001–2003, сумма за 3 года" in capsys.readouterr().err


def test_a_stock_table_refuses_a_span_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "stock.csv"
    path.write_text("origin,dest,2001,2002\nAF,PK,100,120\n", encoding="utf-8")
    out = tmp_path / "m.html"
    base = ("export", "--flows", str(path), "--measure", "stock", "--out", str(out))
    code, _ = run(*base, "--period", "2001-2002", "--lang", "ky")
    err = capsys.readouterr().err
    assert code == 2
    assert "аларды жылдар боюнча кошууга болбойт" in err
    assert not out.exists()
    code, _ = run(*base)
    err = capsys.readouterr().err
    assert code == 0, err
    assert "flowmap: shown: 2002, the latest of 2 years; --year YEAR shows another year" in err
    assert map_spec(out.read_text(encoding="utf-8"))["text"]["subtitle"] == (
        "2002, the latest of 2 years"
    )


def test_orient_and_hints_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "m.csv"
    path.write_text("to\\from,KG,RU,KZ\nKG,N/A,5,1\nRU,2,N/A,3\nKZ,4,6,N/A\n", encoding="utf-8")
    code, text = run("data", "show", "--flows", str(path), "--format", "csv")
    err = capsys.readouterr().err
    assert code == 0, err
    assert "rows are destinations, columns origins (as the corner cell 'to\\from' says)" in err
    assert "RU,Russia,KZ,Kazakhstan,6," in text
    code, text = run(
        "data", "show", "--flows", str(path), "--format", "csv", "--orient", "rows-are-origins"
    )
    assert "KZ,Kazakhstan,RU,Russia,6," in text
    assert "rows read as origins, columns as destinations (as asked)" in capsys.readouterr().err
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    code, _ = run("data", "show", "--flows", str(odd))
    err = capsys.readouterr().err
    assert code == 2
    assert "Name the columns with --columns origin=FROM,dest=TO,count=N" in err
    assert "flow_columns" not in err


def test_errors_name_file_row_column_and_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flows = tmp_path / "bad.csv"
    flows.write_text("origin,dest,count\nA,B,5\nA,C,abc\n", encoding="utf-8")
    out = tmp_path / "m.html"
    code, _ = run("export", "--flows", str(flows), "--out", str(out))
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"flowmap: error: {flows}: 1 problem:")
    assert "row 2 (line 3), column 'count'" in err
    assert "got 'abc'" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_a_file_that_is_not_a_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "photo.csv"
    junk.write_bytes(bytes(range(256)) * 50)
    code, _ = run("data", "show", "--flows", str(junk))
    err = capsys.readouterr().err
    assert code == 2
    assert "not a text table" in err
    assert "Traceback" not in err


def test_batken_schema_files_still_use_the_preset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flows = tmp_path / "flows.csv"
    flows.write_text(
        "origin,destination,period,sex,age,count,basis,source_ref,method,note\n"
        "KG-B,RU,2020,total,all,100,reported,my survey,,\n",
        encoding="utf-8",
    )
    code, text = run("data", "show", "--flows", str(flows), "--format", "json")
    assert code == 0
    assert json.loads(text)[0]["basis"] == "reported"
    assert "flowmap: read" not in capsys.readouterr().err


def test_show_your_own_flows_in_russian(
    pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    flows, places = pair
    code, text = run("data", "show", "--flows", str(flows), "--places", str(places), "--lang", "ru")
    err = capsys.readouterr().err
    assert code == 0, err
    assert text.splitlines()[0].split() == ["откуда", "куда", "человек", "период", "вид"]
    assert "между местами" in text
    # The places are the user's own (ids and names): everything else is Russian.
    for own in ("Alpha", "Beta", "Gamma"):
        text = text.replace(own, "")
    assert not re.search(r"[A-Za-z]{4,}", text), text
    assert "flowmap: предупреждение: " in err
    assert "flowmap: warning" not in err


def test_errors_on_your_own_flows_in_russian(
    countries: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run("data", "show", "--flows", str(countries), "--focus", "XX", "--lang", "ru")
    assert code == 2
    err = capsys.readouterr().err
    assert "flowmap: ошибка: --focus 'XX': такого места нет в ваших данных" in err
    code, _ = run("data", "show", "--flows", str(countries), "--direction", "in", "--lang", "ky")
    assert code == 2
    assert "--direction in үчүн --focus ID керек" in capsys.readouterr().err
    code, _ = run("data", "show", "--top", "3", "--lang", "ru")
    assert code == 2
    assert "--top: только для ваших собственных потоков" in capsys.readouterr().err


def test_a_bad_place_mapping_is_explained_in_place_words(
    pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    flows, places = pair
    base = ("data", "show", "--flows", str(flows), "--places", str(places))
    assert run(*base, "--place-columns", "Breite")[0] == 2
    assert "--place-columns must look like id=Code,lat=Lat,lon=Lon, got 'Breite'" in (
        capsys.readouterr().err
    )
    assert run(*base, "--columns", "Herkunft")[0] == 2
    assert "--columns must look like origin=From,dest=To,count=N" in capsys.readouterr().err


def test_a_places_file_with_other_coordinate_names_is_said_not_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flows = tmp_path / "flows.csv"
    flows.write_text("from,to,count\nAlmaty,Xyzzy,500\nXyzzy,Bishkek,900\n", encoding="utf-8")
    places = tmp_path / "pl.csv"
    places.write_text(
        "Code,Breite,Laenge\nXyzzy,40.1,70.1\nAlmaty,43.24,76.89\nBishkek,42.87,74.59\n",
        encoding="utf-8",
    )
    out = tmp_path / "map.html"
    base = ("export", "--flows", str(flows), "--places", str(places), "--out", str(out))
    assert run(*base)[0] != 0
    err = capsys.readouterr().err
    assert f"{places}: 1 problem" in err
    assert "'Code', 'Breite', 'Laenge'" in err
    assert "--place-columns id=CODE,lat=LAT,lon=LON" in err
    assert "place_columns=" not in err
    assert "a places file with lat and lon" not in err
    assert not out.exists()
    code, _ = run(*base, "--place-columns", "lat=Breite,lon=Laenge")
    assert code == 0, capsys.readouterr().err
