"""How a map image frames Batken and draws its flows (issue 19): the same frame in every
language, the overview inset the page carries, modelled flows as a pale band in a dashed
outline, arrowheads longer than wide."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from flowmap.engine.curves import project, spec_curves
from flowmap.engine.framing import fill_frame, place_at
from flowmap.render._image_parts import arrow, dash_look, nominal_corners, offset_line
from flowmap.render._image_parts.inset import draw_inset, inset_box
from flowmap.render._picture import _frame
from flowmap.render.image import render_image
from flowmap.text.period import Period
from tests.test_image import svg_texts
from tests.test_image_labels import _spec

SLIDES = [(1920, 1080), (1280, 720)]


@pytest.fixture(scope="module")
def specs() -> dict[str, dict[str, Any]]:
    return {lang: _spec(lang=lang) for lang in ("en", "ky", "ru")}


@pytest.mark.parametrize("size", SLIDES)
def test_every_language_frames_batken_alike(
    specs: dict[str, dict[str, Any]], size: tuple[int, int]
) -> None:
    """The frame keeps clear of the boxes by what they hold, not by how long the words of
    a language are: the English, Kyrgyz and Russian images show the same view."""
    width, height = size
    frames = []
    for spec in specs.values():
        corners = nominal_corners(spec, height / 60)
        box = inset_box(spec, width, height)
        assert box is not None  # Russia leaves the view: the inset opens, as on the page
        corners.append((True, False, width - box[0], box[1] + box[3]))
        frames.append(_frame(spec, spec_curves(spec), width, height, corners))
    assert all(np.allclose(f, frames[0], rtol=0, atol=1e-9) for f in frames)
    # ...and the titles differ in length, so measured boxes would differ.
    titles = {len(spec["text"]["title"]) for spec in specs.values()}
    assert len(titles) > 1


def test_the_inset_shows_the_whole_and_where_the_view_is(specs: dict[str, Any]) -> None:
    """The inset holds every flow end (Moscow and Bishkek) and marks the main view."""
    spec = specs["en"]
    fig = Figure(figsize=(20, 11.25), dpi=96)
    FigureCanvasAgg(fig)
    box = inset_box(spec, 1920, 1080)
    assert box is not None
    left, top, w, _h = box
    assert left + w == 1910
    assert top == 10
    assert 160 <= w <= 240
    view = (170.0, 90.0, 185.0, 100.0)
    ax = draw_inset(fig, spec, spec_curves(spec), box, (1920, 1080), view)
    (x0, x1), (y1, y0) = ax.get_xlim(), ax.get_ylim()
    places, flows = spec["places"], spec["flows"]
    for i in set(flows["o"]) | set(flows["d"]):
        x, y = project(places["lat"][i], places["lon"][i])
        assert x0 <= float(x) <= x1
        assert y0 <= float(y) <= y1
    assert len(ax.collections) >= 2
    assert ax.patches
    # A map whose flows all stay in view has no inset.
    inside = {**spec, "view": {"bounds": [[-80, -180], [80, 180]]}}
    assert inset_box(inside, 1920, 1080) is None


def test_wide_modelled_flows_are_a_pale_band_in_a_dashed_outline() -> None:
    """No dashes as wide as the line (blocks): a wide modelled flow is a pale band with a
    fine dashed outline along both its edges; a thin one stays a dashed line."""
    wide, thin, solid = dash_look(14, True), dash_look(3, True), dash_look(14, False)
    assert wide.dash == ()
    assert 0 < wide.alpha < 1
    assert 0 < wide.outline < 2
    assert wide.edge == pytest.approx((14 - wide.outline) / 2)
    assert max(wide.outline_dash) < 14
    assert thin.dash
    assert not thin.outline
    assert solid.dash == ()
    assert solid.alpha == 1
    assert not solid.outline
    line = np.array([[0.0, 0.0], [10.0, 0.0], [20.0, 0.0]])
    left, right = offset_line(line, 2.0), offset_line(line, -2.0)
    np.testing.assert_allclose(left[:, 1], -2.0)  # y grows down: left of eastward is up
    np.testing.assert_allclose(right[:, 1], 2.0)


@pytest.mark.parametrize("w", [1.0, 4.0, 12.0, 30.0])
def test_arrowheads_are_longer_than_wide(w: float) -> None:
    """An arrowhead longer than wide points away from the start, not back at it."""
    line = np.array([[float(k), 0.0] for k in range(11)])
    head = arrow(line, w, 1.0)
    assert head is not None
    tip, b1, b2 = head
    length = abs(tip[0] - (b1[0] + b2[0]) / 2)
    across = math.dist(b1, b2)
    assert length > across > w
    assert tip[0] > b1[0]  # it points the way of travel


NAMES = {
    "en": ["Kadamjay district", "Leilek district", "Batken district", "Sokh"],
    "ky": ["Кадамжай району", "Лейлек району", "Баткен району", "Сох"],
    "ru": ["Кадамжайский район", "Лейлекский район", "Баткенский район", "Сох"],
}


@pytest.mark.parametrize(
    ("lang", "options", "size"),
    [
        ("en", {}, "1920x1080"),
        ("ky", {}, "1920x1080"),
        ("ru", {}, "1920x1080"),
        ("en", {}, "1280x720"),
        ("en", {"direction": "net"}, "1920x1080"),
        ("ru", {"period": Period(2016, 2016)}, "1280x720"),
    ],
)
def test_districts_and_sokh_are_named_in_every_view(
    tmp_path: Path, lang: str, options: dict[str, Any], size: str
) -> None:
    """The three districts and the Sokh enclave are named in the default, net and
    single-year images in each language (Kadamjay was hidden in every view); the English
    district says "district", so "Batken" is not written three times alike."""
    texts = svg_texts(render_image(_spec(lang=lang, **options), tmp_path / "m.svg", size=size))
    for name in NAMES[lang]:
        assert name in texts, name
    if lang == "en":
        assert texts.count("Batken") <= 1  # the town; the district and oblast say what they are


def test_the_frame_fills_around_the_corner_boxes() -> None:
    """Data shaped like Batken and Bishkek (an L: the south-east corner empty) zoom in past
    the strips, with the legend in the empty corner; every point stays in the frame and
    clear of the box. With a point in that corner the frame cannot zoom in as far."""
    size, legend = (1000.0, 600.0), (600.0, 250.0, 400.0, 350.0)  # left, top, w, h
    ell = np.array([[0.0, 0.0], [0.0, 60.0], [50.0, 60.0], [100.0, 0.0]])
    start = 2.0  # the strips: the legend's side kept free, 100 wide in 1000 - 400 - 32 px
    got = fill_frame(ell, start, size, [legend])
    assert got is not None
    cx, cy, s = got
    assert s > 2.0**start
    x = (ell[:, 0] - cx) * s + size[0] / 2
    y = (ell[:, 1] - cy) * s + size[1] / 2
    assert (x >= 16 - 1e-9).all()
    assert (x <= size[0] - 16 + 1e-9).all()
    assert (y >= 16 - 1e-9).all()
    assert (y <= size[1] - 16 + 1e-9).all()
    in_box = (x > legend[0] - 16) & (y > legend[1] - 16)
    assert not in_box.any()
    full = np.vstack([ell, [[100.0, 60.0]]])
    other = fill_frame(full, start, size, [legend])
    assert other is None or other[2] < s
    assert place_at(full, 100.0, size, [legend]) is None  # too big for the frame
