"""Images of maps drawn without a browser (:mod:`flowmap.render.image`), and the curves they share
with the browser (:mod:`flowmap.engine.curves`, checked against Debian's Chromium)."""

from __future__ import annotations

import json
import re
import struct
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import folium
import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest

from flowmap.batken.dataset import MapData
from flowmap.batken.export import make_map
from flowmap.batken.preset import MapOptions
from flowmap.batken.query import Selection
from flowmap.core.errors import FlowmapError
from flowmap.engine.curves import curve, curves, project, spec_bends, spec_curves
from flowmap.render import _picture
from flowmap.render._image_parts import distance
from flowmap.render.element import map_spec
from flowmap.render.image import SIZES, render_image
from flowmap.render.maps import flow_map, save_html
from flowmap.render.usermap import load_user_data
from flowmap.text.i18n import t
from flowmap.text.period import Period
from tests.conftest import QUICK, OfflinePage

SYNTHETIC_PLACES = pd.DataFrame(
    {
        "id": ["TYO", "LAX", "ANC", "SEA", "YVR", "SFO", "OSL", "SUV", "APW", "LYR", "UIO", "SIN"],
        "name": [
            "Tokyo",
            "Los Angeles",
            "Anchorage",
            "Seattle",
            "Vancouver",
            "San Francisco",
            "Oslo",
            "Suva",
            "Apia",
            "Longyearbyen",
            "Quito",
            "Singapore",
        ],
        "lat": [35.68, 34.05, 61.2, 47.6, 49.28, 37.77, 59.9, -18.14, -13.83, 78.22, -0.18, 1.35],
        "lon": [
            *(139.69, -118.24, -149.9, -122.3, -123.12, -122.42),
            *(10.75, 178.44, -171.76, 15.65, -78.47, 103.82),
        ],
    }
)
SYNTHETIC_FLOWS = pd.DataFrame(
    [
        ("TYO", "LAX", 900),  # across the antimeridian
        ("TYO", "SEA", 500),  # a corridor of five from Tokyo to North America
        ("TYO", "YVR", 400),
        ("TYO", "SFO", 300),
        ("TYO", "ANC", 200),
        ("ANC", "OSL", 150),  # over the pole: a straight map line
        ("LYR", "OSL", 120),  # starts beyond 75°
        ("SUV", "APW", 100),  # a short hop across the antimeridian
        ("APW", "SUV", 90),
        ("UIO", "SIN", 80),  # nearly antipodal
        ("LAX", "TYO", 70),
    ],
    columns=["origin", "dest", "count"],
)
RAW_CURVES = [
    (39.85, 71.59, 55.75, 37.62, 0.12),
    (35.68, 139.69, 34.05, -118.24, 0.2),
    (-18.14, 178.44, -13.83, -171.76, 0.12),
    (61.2, -149.9, 59.9, 10.75, 0.12),
    (80.0, 20.0, -80.0, 20.0, 0.3),
    (10.0, 20.0, -10.0, -160.0, 0.12),  # antipodal: the linear fallback
    (40.0, 70.0, 40.0, 70.0, 0.12),  # one point
    (10.0, 190.0, 20.0, -170.0, 0.12),  # longitudes beyond 180
    (-85.0, -179.9, 85.0, 179.9, 0.06),
    (0.0, 0.0, 0.0, 3.0, 0.0),
]


def batken_map(lang: str = "en", **options: Any) -> Any:
    data = MapData.load()
    return make_map(data, Selection(period=Period(2014, 2023)), MapOptions(lang=lang, **options))


def browser_curves(page: OfflinePage, path: Path) -> tuple[dict[str, Any], list[float], list[Any]]:
    """Open a map; return its spec, the layer's bends and every flow's curve."""
    page.page.goto(path.as_uri())
    page.page.wait_for_selector("html[data-flowmap-ready='1']", state="attached")
    spec, bends, curves = page.page.evaluate(
        """() => {
            const layer = window.flowmap.layer, out = [];
            for (let i = 0; i < layer.n; i++) { out.push(Array.from(layer.curveOf(i))); }
            return [window.flowmap.spec, Array.from(layer.bends), out];
        }"""
    )
    assert not page.errors
    return spec, bends, curves


def assert_same_curves(spec: dict[str, Any], bends: list[float], curves: list[Any]) -> None:
    mine = spec_bends(spec)
    np.testing.assert_allclose(mine, bends, rtol=0, atol=1e-12)
    ours = spec_curves(spec)
    assert len(ours) == len(curves)
    for i, (a, b) in enumerate(zip(ours, curves, strict=True)):
        assert a.shape == (len(b) // 2, 2), i
        np.testing.assert_allclose(a.ravel(), b, rtol=0, atol=1e-6, err_msg=f"flow {i}")


@pytest.mark.browser
def test_curves_match_the_browser(tmp_path: Path, offline_page: OfflinePage) -> None:
    path = save_html(batken_map(), tmp_path / "batken.html")
    spec, bends, curves = browser_curves(offline_page, path)
    assert len(curves) >= 8
    assert_same_curves(spec, bends, curves)

    synthetic = flow_map(SYNTHETIC_FLOWS, SYNTHETIC_PLACES, title="Synthetic")
    path = save_html(synthetic, tmp_path / "synthetic.html")
    spec, bends, curves = browser_curves(offline_page, path)
    assert len(curves) == len(SYNTHETIC_FLOWS)
    assert len(set(bends)) >= 4  # the Tokyo corridor fans out
    assert_same_curves(spec, bends, curves)

    raw = offline_page.page.evaluate(
        "(cases) => cases.map((c) => Array.from(window.flowmap.geo.curve(...c)))", RAW_CURVES
    )
    for case, points in zip(RAW_CURVES, raw, strict=True):
        np.testing.assert_allclose(curve(*case).ravel(), points, rtol=0, atol=1e-6, err_msg=case)


# --- images -----------------------------------------------------------------------------

HOSTILE = "$x^2$ <script>alert(1)</script> {{ 7*7 }} $\\frac{1}$"
PIXELS = {"1920x1080": (1920, 1080), "1280x720": (1280, 720), "a4": (1754, 1240)}


@pytest.fixture(scope="module")
def specs() -> dict[str, dict[str, Any]]:
    """The 2014–2023 Batken map's spec in each language."""
    return {lang: map_spec(batken_map(lang)) for lang in ("en", "ky", "ru")}


@pytest.fixture(scope="module")
def svgs(
    specs: dict[str, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], Path]:
    """Return the SVG (default size) of the Batken map in a language, each drawn once per
    module for the tests that only read it."""
    folder = tmp_path_factory.mktemp("svg")
    drawn: dict[str, Path] = {}

    def svg(lang: str) -> Path:
        if lang not in drawn:
            drawn[lang] = render_image(specs[lang], folder / f"map-{lang}.svg")
        return drawn[lang]

    return svg


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def svg_texts(path: Path) -> list[str]:
    """The content of every ``<text>`` element of an SVG file, in document order."""
    root = ET.parse(path).getroot()
    return ["".join(e.itertext()) for e in root.iter("{http://www.w3.org/2000/svg}text")]


def _pdf_strings(array: bytes) -> bytes:
    """The bytes of the literal strings in a TJ array, joined (kerning numbers dropped)."""
    out, i, escapes = bytearray(), 0, {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b"}
    while i < len(array):
        if array[i : i + 1] != b"(":
            i += 1
            continue
        i, depth = i + 1, 1
        while depth:
            char = array[i : i + 1]
            if char == b"\\":
                nxt = array[i + 1 : i + 2]
                octal = re.match(rb"[0-7]{1,3}", array[i + 1 : i + 4])
                if octal:
                    out.append(int(octal.group(), 8))
                    i += 1 + len(octal.group())
                    continue
                out += escapes.get(nxt, b"\f" if nxt == b"f" else nxt)
                i += 2
                continue
            depth += {b"(": 1, b")": -1}.get(char, 0)
            if depth:
                out += char
            i += 1
    return bytes(out)


def pdf_text(path: Path) -> str:
    """The text of a PDF written by matplotlib with Type 42 fonts: each line's TJ strings
    decoded as UTF-16 (character codes are Unicode code points; a ToUnicode map says so
    to PDF readers)."""
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert b"/FontFile2" in data  # TrueType (Type 42) fonts embedded
    assert b"/ToUnicode" in data  # with the map PDF readers extract text by
    lines = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            body = zlib.decompress(raw)
        except zlib.error:
            body = raw
        for array in re.findall(rb"\[((?:\\.|[^\]\\])*)\]\s*TJ", body, re.S):
            lines.append(_pdf_strings(array).decode("utf-16-be", "replace"))
    return "\n".join(lines)


def legend_words(spec: dict[str, Any]) -> list[str]:
    legend = spec["text"]["legend"]
    return [legend["title"], spec["style"]["kinds"][0]["legend"].split()[0]]


FORMATS_AND_SIZES = (
    [("png", "a4"), ("svg", "1920x1080"), ("pdf", "1280x720")]
    if QUICK
    else [(fmt, size) for fmt in ("png", "svg", "pdf") for size in ("1920x1080", "1280x720", "a4")]
)
"""Every format at every size in ``make test``; in ``make check`` (``FLOWMAP_QUICK=1``) each
format once and each size once, the PDF at the size whose page is worked out apart."""


@pytest.mark.parametrize(("fmt", "size"), FORMATS_AND_SIZES)
def test_each_format_and_size(tmp_path: Path, specs: dict[str, Any], fmt: str, size: str) -> None:
    spec = specs["en"]
    out = render_image(spec, tmp_path / f"map.{fmt}", size=size)
    assert out == tmp_path / f"map.{fmt}"
    assert out.stat().st_size > 10_000
    if fmt == "png":
        width, height = png_size(out)
        assert abs(width - PIXELS[size][0]) <= 1
        assert height == PIXELS[size][1]
        pixels = mpimg.imread(out)
        assert pixels.shape[:2] == (height, width)
        assert len(np.unique(pixels.reshape(-1, pixels.shape[2])[::97], axis=0)) > 50
    elif fmt == "svg":
        texts = " ".join(svg_texts(out))
        for words in [spec["text"]["title"], spec["text"]["source"], *legend_words(spec)]:
            assert " ".join(words.split()) in texts
        assert "km" in texts
    else:
        text = " ".join(pdf_text(out).split())
        for words in [spec["text"]["title"], *legend_words(spec)]:
            assert " ".join(words.split()) in text
        width_in, height_in = {"a4": (297 / 25.4, 210 / 25.4)}.get(size, (20.0, 11.25))
        if size == "1280x720":
            width_in, height_in = 1280 / 96, 7.5
        box = re.search(rb"/MediaBox \[ ?0 0 ([0-9.]+) ([0-9.]+) ?\]", out.read_bytes())
        assert box is not None
        assert abs(float(box[1]) - width_in * 72) < 0.5
        assert abs(float(box[2]) - height_in * 72) < 0.5


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_cyrillic_texts(
    tmp_path: Path, specs: dict[str, Any], svgs: Callable[[str], Path], lang: str
) -> None:
    spec = specs[lang]
    svg = svgs(lang)
    pdf = render_image(spec, tmp_path / "map.pdf", size="a4")
    texts = " ".join(svg_texts(svg))
    extracted = " ".join(pdf_text(pdf).split())
    for words in [spec["text"]["title"], spec["text"]["subtitle"], *legend_words(spec)]:
        assert " ".join(words.split()) in texts
        assert " ".join(words.split()) in extracted
    assert spec["places"]["name"][0] in texts  # Batken oblast's label
    if lang == "ky":
        assert {"ң", "ө", "ү"} <= set(extracted)
    assert "\ufffd" not in extracted


@pytest.mark.parametrize(("lang", "unit"), [("en", "km"), ("ky", "км"), ("ru", "км")])
def test_scale_bar_in_kilometres_in_the_language(
    svgs: Callable[[str], Path], lang: str, unit: str
) -> None:
    """The scale bar is in kilometres, its unit written in the map's language (never "km"
    or miles in a Kyrgyz or Russian image), its number as the language writes it."""
    texts = svg_texts(svgs(lang))
    scale = [x for x in texts if re.fullmatch(r"[0-9\u00a0]+\u00a0" + unit, x)]
    assert len(scale) == 1, texts
    assert not [x for x in texts if re.search(r"\b(km|mi|miles?)\b", x)] or lang == "en"


def test_scale_bar_numbers_and_metres() -> None:
    """Kilometres from 1 km up (thousands grouped as the locale groups them), metres below."""
    ru = {"locale": "ru-RU", "text": {"controls": {"km": "км", "m": "м"}}}
    assert distance(ru, 2_000_000) == "2\u00a0000\u00a0км"
    assert distance(ru, 500) == "500\u00a0м"
    assert distance({}, 3000) == "3\u00a0km"


def test_hostile_texts_are_drawn_literally(tmp_path: Path) -> None:
    spec = map_spec(batken_map("en", title=HOSTILE, subtitle="<b>bold</b> & $y$"))
    spec["places"]["name"][0] = "$\\sqrt{2}$ <img src=x onerror=alert(1)>"
    spec["text"]["legend"]["title"] = "{{ 7*7 }} ${x}$"
    svg = render_image(spec, tmp_path / "map.svg")
    raw = svg.read_text(encoding="utf-8")
    for markup in ("<script", "<img", "<b>"):
        assert markup not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    texts = svg_texts(svg)
    joined = " ".join(texts)
    assert HOSTILE in joined
    assert "<b>bold</b> & $y$" in texts
    assert "$\\sqrt{2}$ <img src=x onerror=alert(1)>" in texts
    assert "{{ 7*7 }} ${x}$" in texts
    assert "49" not in joined
    pdf = render_image(spec, tmp_path / "map.pdf")
    assert HOSTILE in " ".join(pdf_text(pdf).split())
    png = render_image(spec, tmp_path / "map.png")
    assert png_size(png) == (1920, 1080)


USER_MATRIX = (
    "from\\to,Almaty,Tashkent,Bishkek,Dushanbe\n"
    "Almaty,N/A,3120,7778,1433\n"
    "Tashkent,6235,N/A,8214,7623\n"
    "Bishkek,6160,3409,N/A,7229\n"
    "Dushanbe,7100,7214,6253,N/A\n"
)


@pytest.mark.parametrize("lang", ["en", "ky", "ru"])
def test_images_of_users_tables_carry_the_notes_not_the_caption(tmp_path: Path, lang: str) -> None:
    """The page folds its notes under "Source and notes"; an image has no folding box, so
    it gives the notes themselves (cells marked missing, the orientation read) and never
    that caption alone."""
    table = tmp_path / "matrix.csv"
    table.write_text(USER_MATRIX, encoding="utf-8")
    spec = map_spec(load_user_data(table).flow_map(lang=lang))
    notes = spec["text"]["notes"]
    assert any("N/A" in note for note in notes)
    assert len(notes) >= 2
    texts = " ".join(" ".join(svg_texts(render_image(spec, tmp_path / "map.svg"))).split())
    assert t("general.source", lang) not in texts
    for note in notes:
        assert " ".join(note.split()) in texts, note
    # A source given by the user is its source line, with the notes under it.
    given = map_spec(load_user_data(table).flow_map(lang=lang, source="UN DESA 2020"))
    texts = " ".join(svg_texts(render_image(given, tmp_path / "given.svg")))
    assert "UN DESA 2020" in texts
    assert "N/A" in texts


@pytest.mark.parametrize("lang", ["en", "ky", "ru"])
def test_batken_images_say_the_symbolic_points_and_the_border(
    tmp_path: Path, specs: dict[str, Any], lang: str
) -> None:
    spec = specs[lang]
    texts = " ".join(" ".join(svg_texts(render_image(spec, tmp_path / "map.svg"))).split())
    for key in ("note.symbolic", "note.border_2025", "note.districts_source"):
        assert " ".join(t(key, lang).split()) in texts, key
    assert texts.count(t("note.districts_source", lang)) == 1  # once, in the credits


def test_map_without_flows(tmp_path: Path) -> None:
    empty = flow_map(SYNTHETIC_FLOWS, SYNTHETIC_PLACES, title="Nothing here", min_count=10**9)
    spec = map_spec(empty)
    assert spec["flows"]["c"] == []
    assert spec["view"]["bounds"] is None
    texts = svg_texts(render_image(spec, tmp_path / "empty.svg"))
    assert "Nothing here" in texts
    assert " ".join(spec["text"]["empty"].split()) in " ".join(texts)
    assert png_size(render_image(spec, tmp_path / "empty.png", size="1280x720")) == (1280, 720)


def test_flow_widths_are_the_browsers_in_points(
    specs: dict[str, Any], svgs: Callable[[str], Path]
) -> None:
    """Stroke widths in the SVG (pt) are the page's CSS px × 0.75, so a 1920 × 1080 PNG
    (96 px to the inch) shows flows exactly as wide as the browser."""
    spec = specs["en"]
    raw = svgs("en").read_text(encoding="utf-8")
    found = {round(float(w), 3) for w in re.findall(r"stroke-width: ([0-9.]+)", raw)}
    scale = spec["scale"]
    for count in spec["flows"]["c"]:
        px = max(scale["minPx"], scale["maxPx"] * (count / scale["maxCount"]) ** 0.5)
        assert round(np.floor(px * 2 + 0.5) / 2 * 0.75, 3) in found, count


def test_spec_from_json_draws_the_same(
    tmp_path: Path, specs: dict[str, Any], svgs: Callable[[str], Path]
) -> None:
    """The spec as the page has it (JSON: dict keys as text) draws the same image."""
    spec = specs["en"]
    a = svgs("en").read_bytes()
    b = render_image(json.loads(json.dumps(spec)), tmp_path / "b.svg").read_bytes()
    assert a == b
    assert "stroke-dasharray" in a.decode()  # modelled flows are dashed


def test_format_and_size_choices(tmp_path: Path, specs: dict[str, Any]) -> None:
    spec = specs["en"]
    out = render_image(spec, tmp_path / "slide.PNG", size="1280x720")
    assert png_size(out) == (1280, 720)
    out = render_image(spec, tmp_path / "picture.img", format="svg", size="A4")
    assert out.read_bytes().lstrip().startswith(b"<?xml")
    assert set(SIZES) == {"1920x1080", "1280x720", "a4"}
    with pytest.raises(FlowmapError, match="format"):
        render_image(spec, tmp_path / "map.gif")
    with pytest.raises(FlowmapError, match="size"):
        render_image(spec, tmp_path / "map.png", size="800x600")
    with pytest.raises(FlowmapError, match="folder"):
        render_image(spec, tmp_path / "missing" / "map.png")


def test_a_target_that_cannot_be_written_is_refused_before_drawing(
    specs: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A missing folder, or a folder where the file should be, is said at once, not after
    the image is drawn (a second or more for a PNG); nothing is written."""

    def no_drawing(*args: Any) -> bytes:
        raise AssertionError("drawn before the target was checked")

    monkeypatch.setattr(_picture, "draw_bytes", no_drawing)
    with pytest.raises(FlowmapError, match="does not exist"):
        render_image(specs["en"], tmp_path / "missing" / "map.png")
    (tmp_path / "map.svg").mkdir()
    with pytest.raises(FlowmapError, match="folder"):
        render_image(specs["en"], tmp_path / "map.svg")
    assert [p.name for p in tmp_path.iterdir()] == ["map.svg"]
    with pytest.raises(FlowmapError, match="no flow layer"):
        map_spec(folium.Map())


def test_curves_without_a_browser() -> None:
    """Curves start and end at their places, bend right of travel, and are vectorised."""
    start, end = project(39.85, 71.59), project(55.75, 37.62)
    line = curve(39.85, 71.59, 55.75, 37.62, 0.12)
    np.testing.assert_allclose(line[0], start, atol=1e-9)
    np.testing.assert_allclose(line[-1], end, atol=1e-9)
    chord = np.subtract(end, start)
    middle = line[len(line) // 2] - np.asarray(start)
    assert chord[0] * middle[1] - chord[1] * middle[0] > 0  # right of travel (y down)
    across = curve(35.68, 139.69, 34.05, -118.24, 0.12)
    assert np.all(np.abs(np.diff(across[:, 0])) < 10)  # continuous over the antimeridian
    assert across[-1, 0] > 256  # unwrapped east of the antimeridian
    rng = np.random.default_rng(7)
    lat1, lat2 = rng.uniform(-70, 70, (2, 3000))
    lon1, lon2 = rng.uniform(-180, 180, (2, 3000))
    many = curves(lat1, lon1, lat2, lon2, 0.12)
    for i in (0, 1234, 2999):
        np.testing.assert_array_equal(many[i], curve(lat1[i], lon1[i], lat2[i], lon2[i], 0.12))
