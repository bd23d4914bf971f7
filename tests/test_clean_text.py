"""Control, text-direction and invisible format characters from data are shown as codes in
every output (HTML spec, SVG/PDF/PNG, CSV, JSON, terminal) and said once; CSV headers are
escaped like cells; long or invalid output names are one-line errors."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import flowmap
from flowmap.app.table import csv_bytes
from flowmap.app.userview import bundle
from flowmap.cli.commands import main
from flowmap.core._escape import (
    csv_cell,
    csv_header,
    printable,
    replaced_in,
    visible_frame,
    visible_text,
    visible_tree,
    visible_values,
)
from flowmap.core.errors import FlowmapError
from flowmap.io._csvio import render_rows
from flowmap.io._files import check_target, write_text
from flowmap.io.geoio import read_boundaries
from flowmap.render.element import map_spec
from flowmap.render.image import render_image
from flowmap.render.layer import LineStyles
from flowmap.text.i18n import t
from tests.conftest import FLOWS_HEADER

HOSTILE = "Osh\u202eevil\x00x"
SHOWN = "Osh[U+202E]evil[U+0000]x"
RAW = ("\x00", "\x1b", "\u202e", "\u2066", "\x9b", "\u200b")
FORMULA_HEADERS = ("=cmd|' /C calc'!A0", "@SUM(1+1)", "+x", "-y")


def _clean(text: str) -> bool:
    return not any(c in text for c in RAW)


# --------------------------------------------------------------------------- the function


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("\x00", "[U+0000]"),
        ("\x1b[31m", "[U+001B][31m"),
        ("\x7f", "[U+007F]"),
        ("\x9b", "[U+009B]"),  # C1: CSI
        ("a\u202eb", "a[U+202E]b"),
        ("\u202a\u202b\u202c\u202d", "[U+202A][U+202B][U+202C][U+202D]"),
        ("\u2066\u2067\u2068\u2069", "[U+2066][U+2067][U+2068][U+2069]"),
        ("\u200e\u200f\u061c", "[U+200E][U+200F][U+061C]"),
        ("zero\u200bwidth\ufeff\u2060\u00ad", "zero[U+200B]width[U+FEFF][U+2060][U+00AD]"),
        ("\U000e0041", "[U+E0041]"),  # a tag character
        ("\ud800", "[U+D800]"),  # a lone surrogate
        ("\ufffe", "[U+FFFE]"),  # not allowed in XML
        ("\u2028", "[U+2028]"),
    ],
)
def test_visible_text_replaces(value: str, expected: str) -> None:
    assert visible_text(value) == (expected, True)


@pytest.mark.parametrize(
    "value", ["Баткен", "Ош\tшаары\n2", "کوه\u200cپایه", "👩\u200d👩", "Chüy", "", "[U+202E]"]
)
def test_visible_text_keeps_ordinary_text(value: str) -> None:
    assert visible_text(value) == (value, False)


def test_two_names_stay_two() -> None:
    # One mark for every character would merge these two ids into one place.
    assert visible_text("A\u202d")[0] != visible_text("A\u202e")[0]


def test_visible_values_frame_and_tree() -> None:
    values = pd.Series(["a\x1b", "b", "a\x1b", None])
    shown, changed = visible_values(values)
    assert changed == 1
    assert shown.tolist()[:3] == ["a[U+001B]", "b", "a[U+001B]"]
    assert pd.isna(shown.tolist()[3])
    category = pd.Series(pd.Categorical(["x\u202e", "y", "x\u202e"]))
    assert visible_values(category)[0].tolist() == ["x[U+202E]", "y", "x[U+202E]"]
    numbers = pd.Series([1, 2])
    assert visible_values(numbers) == (numbers, 0)
    frame = pd.DataFrame({"n\x00": ["a\u2066"], "c": [1]})
    out, count = visible_frame(frame)
    assert count == 2
    assert list(out.columns) == ["n[U+0000]", "c"]
    assert out.iloc[0, 0] == "a[U+2066]"
    assert visible_frame(out) == (out, 0)
    tree, changed_tree = visible_tree({"k\x07": [1, "v\u202e", {"w": "\x00"}]})
    assert changed_tree
    assert tree == {"k[U+0007]": [1, "v[U+202E]", {"w": "[U+0000]"}]}


def test_printable_shows_codes_on_one_line() -> None:
    assert printable("a\x1b[2J\u202eb\r\nc") == "a[U+001B][2J[U+202E]b  c"


# --------------------------------------------------------------------------- tables


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    places = pd.DataFrame(
        {
            "id": ["A", "M"],
            "name": [HOSTILE, "Moscow"],
            "lat": [40.5, 55.75],
            "lon": [72.8, 37.62],
        }
    )
    flows = pd.DataFrame(
        {
            "origin": ["A", "M"],
            "dest": ["M", "A"],
            "count": [1200, 300],
            "why\u202e": ["w\x1b", "s"],
        }
    )
    return flows, places


def test_tables_are_read_visible_and_counted() -> None:
    flows, places = _tables()
    table = flowmap.as_flows(flows)
    assert "why[U+202E]" in table.columns
    assert set(table["why[U+202E]"].astype(str)) == {"w[U+001B]", "s"}
    assert replaced_in(table) == 2
    place_table = flowmap.as_places(places)
    assert place_table.loc["A", "name"] == SHOWN
    assert replaced_in(place_table) == 1
    assert replaced_in(flowmap.as_places(place_table)) == 1  # kept, not counted twice


def test_map_spec_is_clean_and_says_so_once() -> None:
    flows, places = _tables()
    fmap = flowmap.flow_map(flows, places, notes=[t("note.replaced", "en")])
    spec = map_spec(fmap)
    text = json.dumps(spec, ensure_ascii=False)
    assert _clean(text)
    assert SHOWN in spec["places"]["name"]
    assert spec["text"]["notes"].count(t("note.replaced", "en")) == 1
    # A spec made elsewhere goes through the same guard before an image is drawn.
    clean = flowmap.flow_map(flows.drop(columns="why\u202e"), places.assign(name=["Osh", "M"]))
    assert t("note.replaced", "en") not in map_spec(clean)["text"]["notes"]


def test_line_styles_match_the_visible_values() -> None:
    flows, places = _tables()
    styles = LineStyles("why\u202e", dashed=("w\x1b",), legend={"w\x1b": "w\x1b legend"})
    spec = map_spec(flowmap.flow_map(flows, places, styles=styles))
    assert spec["style"]["legend"] == [{"label": "w[U+001B] legend", "dashed": True, "pale": False}]


@pytest.mark.parametrize("fmt", ["svg", "pdf", "png"])
def test_images_are_clean(tmp_path: Path, fmt: str) -> None:
    flows, places = _tables()
    spec = map_spec(flowmap.flow_map(flows, places))
    # A hostile spec from elsewhere: the image's own guard.
    spec["text"]["title"] = "T\x00\u202e"
    path = render_image(spec, tmp_path / f"map.{fmt}", size="1280x720")
    data = path.read_bytes()
    if fmt == "svg":
        root = ET.fromstring(data)  # a NUL would make it invalid XML
        assert root.tag.endswith("svg")
        assert b"\x00" not in data
        assert "\u202e".encode() not in data
    else:
        assert len(data) > 1000


def test_user_data_says_it_once(tmp_path: Path) -> None:
    flows = b"origin,dest,count\nA,M,5\nM,A,7\n"
    places = f"id,name,lat,lon\nA,{HOSTILE},40.5,72.8\nM,Moscow,55.75,37.62\n".encode()
    data = flowmap.load_user_data(flows, places, flows_name="f.csv", places_name="p.csv")
    assert data.replaced == 1
    lines = data.warnings("ru")
    assert lines.count(t("note.replaced", "ru")) == 1
    notes = map_spec(data.flow_map(lang="ky"))["text"]["notes"]
    assert notes.count(t("note.replaced", "ky")) == 1


def test_boundary_attributes_are_visible() -> None:
    feature = {
        "type": "Feature",
        "properties": {"name\u202e": "Kadamjai\x00", "code": "K1"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[71, 40], [71.5, 40], [71.5, 40.5], [71, 40.5], [71, 40]]],
        },
    }
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    found = read_boundaries(data, name="d.geojson")
    assert "name[U+202E]" in found.frame.columns
    assert found.frame["name[U+202E]"].tolist() == ["Kadamjai[U+0000]"]
    assert found.frame["code"].tolist() == ["K1"]
    assert str(found.notes[-1]) == t("note.replaced", "en")


# --------------------------------------------------------------------------- CSV and JSON writers


def test_csv_cells_and_headers() -> None:
    for header in FORMULA_HEADERS:
        assert csv_header(header) == "'" + header
    assert csv_header("origin") == "origin"
    assert csv_cell("=1\x00") == "'=1[U+0000]"
    assert csv_cell(-5) == -5
    text = render_rows(["@SUM(1+1)", "b"], [{"@SUM(1+1)": "x\u202e", "b": 3}])
    assert text == "'@SUM(1+1),b\nx[U+202E],3\n"
    table = pd.DataFrame({h: ["v\x1b"] for h in FORMULA_HEADERS} | {"n": [1]})
    written = csv_bytes(table).decode()
    header = written.splitlines()[0]
    assert header == "'=cmd|' /C calc'!A0,'@SUM(1+1),'+x,'-y,n"
    assert "v[U+001B]" in written
    assert "\x1b" not in written


def _user_files(tmp_path: Path) -> tuple[Path, Path]:
    flows = tmp_path / "flows.csv"
    extra = ",".join(f'"{h}"' if "," in h or "'" in h else h for h in FORMULA_HEADERS)
    flows.write_text(
        f"origin,dest,count,{extra}\nA,M,5,a\x1b[31m,b,c,d\nM,A,7,e,f\u202e,g,h\n",
        encoding="utf-8",
    )
    places = tmp_path / "places.csv"
    places.write_text(
        f'id,name,lat,lon\nA,"{HOSTILE}",40.5,72.8\nM,Moscow,55.75,37.62\n', encoding="utf-8"
    )
    return flows, places


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_data_show_of_user_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    flows, places = _user_files(tmp_path)
    out = io.StringIO()
    args = ["data", "show", "--flows", str(flows), "--places", str(places)]
    assert main([*args, "--format", fmt], out) == 0
    text = out.getvalue()
    assert _clean(text)
    assert SHOWN in text
    assert "[U+001B][31m" in text
    if fmt == "csv":
        header = text.splitlines()[0]
        for name in FORMULA_HEADERS:
            assert f"'{name}" in header
    if fmt == "json":
        assert json.loads(text)[0]["origin_name"] in (SHOWN, "Moscow")
    err = capsys.readouterr().err
    assert err.count("control or text-direction characters") == 1


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_data_show_of_the_data_sets_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    flows = tmp_path / "flows.csv"
    flows.write_text(
        FLOWS_HEADER + "KG-B,RU,2014-2023,total,all,5,reported,P,,n\x1b[2J\u202eote\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    assert main(["data", "show", "--flows", str(flows), "--format", fmt], out) == 0
    text = out.getvalue()
    assert _clean(text)
    assert "n[U+001B][2J[U+202E]ote" in text
    assert "cannot hide or reorder text" in capsys.readouterr().err


def test_the_apps_zip(tmp_path: Path) -> None:
    flows, places = _user_files(tmp_path)
    data = flowmap.load_user_data(flows, places)
    archive = zipfile.ZipFile(io.BytesIO(bundle(data, "<html></html>", title="T\x1b")))
    flows_csv = archive.read("flows.csv").decode()
    places_csv = archive.read("places.csv").decode()
    readme = archive.read("README.txt").decode()
    for name in FORMULA_HEADERS:
        assert f"'{name}" in flows_csv.splitlines()[0]
    assert SHOWN in places_csv
    assert all(_clean(text) for text in (flows_csv, places_csv, readme))
    assert "cannot hide or reorder text" in readme


# --------------------------------------------------------------------------- output names


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("a" * 300 + ".html", "longer than the system allows"),
        ("b/" * 2100 + "x.html", "longer than the system allows"),
        ("a\x00b.html", "cannot hold a NUL character"),
    ],
)
def test_bad_output_names_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, words: str
) -> None:
    target = tmp_path / name
    with pytest.raises(FlowmapError, match=words):
        check_target(target)
    with pytest.raises(FlowmapError, match=words):
        write_text(target, "x")
    assert main(["export", "--out", str(target)], io.StringIO()) == 2
    err = capsys.readouterr().err
    assert words in err
    assert err.count("\n") == 1
    assert "internal error" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_255_byte_name_is_written(tmp_path: Path) -> None:
    target = tmp_path / ("ы" * 122 + ".svg")  # 249 bytes: the temporary name still fits
    assert write_text(target, "x") == target
    assert target.read_text() == "x"


def test_the_data_sets_map_says_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from flowmap.core.paths import data_dir

    places = tmp_path / "places.csv"
    text = (data_dir() / "places.csv").read_text(encoding="utf-8")
    places.write_text(text.replace("Russia,", '"Ru\x1b[31m\u202eevil",', 1), encoding="utf-8")
    out = tmp_path / "map.html"
    args = ["export", "--places", str(places), "--period", "2014-2023", "--static"]
    assert main([*args, "--out", str(out)], io.StringIO()) == 0
    page = out.read_text(encoding="utf-8")
    assert "Ru[U+001B][31m[U+202E]evil" in page
    assert _clean(page)
    assert page.count("cannot hide or reorder text") == 1
    assert capsys.readouterr().err.count("cannot hide or reorder text") == 1


def test_places_and_filters_asked_for_match_the_visible_ids() -> None:
    flows, places = _tables()
    places = places.assign(id=["A\u202e", "M"])
    flows = flows.assign(origin=["A\u202e", "M"], dest=["M", "A\u202e"])
    fmap = flowmap.flow_map(
        flows, places, select_places=["A\u202e"], direction="out", filters={"why\u202e": "w\x1b"}
    )
    spec = map_spec(fmap)
    assert spec["places"]["id"][spec["flows"]["o"][0]] == "A[U+202E]"
    assert spec["flows"]["c"] == [1200]


def test_a_title_with_control_characters() -> None:
    from flowmap.render.maps import map_html

    flows, places = _tables()
    page = map_html(flowmap.flow_map(flows, places, title="T\u202eX\x00"))
    assert _clean(page)
    assert "<title>T[U+202E]X[U+0000]</title>" in page


def test_format_characters_are_only_in_the_planes_scanned() -> None:
    """The class of replaced characters is built from the planes that hold format
    characters; no other plane has one in this Python's Unicode database."""
    import itertools
    import unicodedata

    from flowmap.core import _escape

    scanned = set(itertools.chain(*_escape._FORMAT_PLANES))
    elsewhere = [
        hex(code)
        for code in range(0x110000)
        if code not in scanned and unicodedata.category(chr(code)) == "Cf"
    ]
    assert elsewhere == []
    assert _escape._unsafe_class() == _escape._unsafe_class()  # the scan can be repeated
    assert _escape.visible_text("a\U000e0041b")[1]  # a tag character (plane 14) is replaced
