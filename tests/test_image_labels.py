"""The labels of map images (:mod:`flowmap.render._image_labels`): placed by the placer the page
shares (:mod:`flowmap.render.labelplace`), and the edge labels the page shows ("→ Russia 7,529")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from flowmap.batken.dataset import MapData
from flowmap.batken.export import make_map
from flowmap.batken.preset import MapOptions
from flowmap.batken.query import Selection
from flowmap.engine.curves import project, spec_curves
from flowmap.render._image_labels import Frame, edge_labels, place
from flowmap.render._image_parts import label
from flowmap.render.element import map_spec
from flowmap.render.image import render_image
from flowmap.render.labelplace import PAD, LabelBox
from flowmap.text.period import Period
from tests.test_image import svg_texts


def _spec(**options: Any) -> dict[str, Any]:
    lang = options.pop("lang", "en")
    period = options.pop("period", Period(2014, 2023))
    selection = Selection(period=period, **options)
    return map_spec(make_map(MapData.load(), selection, MapOptions(lang=lang)))


def test_edge_labels_in_the_image_say_what_the_page_says(tmp_path: Path) -> None:
    """The largest flow leaving the slide is named at its edge, with the page's figure
    (tests/test_browser_map.py: "→ Russia 7,529"); one label per far end, at most 12."""
    spec = _spec()
    texts = svg_texts(render_image(spec, tmp_path / "map.svg"))
    assert "→ Russia 7,529" in texts
    edges = [t for t in texts if t.startswith(("→ ", "← "))]
    assert 1 <= len(edges) <= 12
    assert len({t.split(" ")[1] for t in edges}) == len(edges)


def _frame_on_batken(width: float = 1400, height: float = 900, zoom: float = 7) -> Frame:
    x, y = project(40.0, 71.0)
    return Frame(float(x), float(y), 2.0**zoom, width, height)


def _axes(frame: Frame) -> tuple[Figure, Any]:
    fig = Figure(figsize=(frame.width / 96, frame.height / 96), dpi=96)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(frame.cx - frame.width / 2 / frame.s, frame.cx + frame.width / 2 / frame.s)
    ax.set_ylim(frame.cy + frame.height / 2 / frame.s, frame.cy - frame.height / 2 / frame.s)
    return fig, ax


def test_net_and_range_edge_labels() -> None:
    """Zoomed on Batken oblast (as the page's test zooms), a net map's flow abroad is
    signed with a true minus, and a modelled flow gives its range in the page's language."""
    frame = _frame_on_batken()
    spec = _spec(period=Period(2023, 2023), direction="net")
    _, ax = _axes(frame)
    texts = [e.text.get_text() for e in edge_labels(ax, spec, spec_curves(spec), frame, 12.0)]
    assert "→ Abroad −1,607" in texts, texts
    spec = _spec(period=Period(2023, 2023), lang="ru")
    _, ax = _axes(frame)
    texts = [e.text.get_text() for e in edge_labels(ax, spec, spec_curves(spec), frame, 12.0)]
    assert "→ США 22 (11–43)" in texts, texts


def _css_box(fig: Figure, text: Any, height: float) -> tuple[float, float, float, float]:
    e = text.get_window_extent(fig.canvas.get_renderer())  # type: ignore[attr-defined]
    px = fig.dpi / 96
    return e.x0 / px, height - e.y1 / px, e.x1 / px, height - e.y0 / px


@pytest.mark.parametrize("dpi", [96, 150])
def test_labels_go_where_the_placer_says(dpi: int) -> None:
    """Two places on one point: the chosen one (rank 0) takes the right of its circle
    although the other is bigger, which goes left; one at the frame's right edge goes left
    instead of vanishing; and one wider than the frame is hidden with its halo. The drawn
    texts are where the placer put them, at any resolution."""
    frame = Frame(500.0, 500.0, 1.0, 400.0, 200.0)
    fig, ax = _axes(frame)
    fig.set_dpi(dpi)

    def at(x: float, y: float, name: str, rank: int, value: float, circle: int) -> Any:
        box = LabelBox(kind="place", rank=rank, value=value, radius=6, circle=circle)
        # World = frame px shifted by the centre: (500 - 200, 500 - 100) is the top left.
        return label(ax, name, 300 + x, 400 + y, 14, "#222222", bold=True, box=box)

    labels = [
        at(150, 100, "Bigger", 2, 900, 0),
        at(150, 100, "Chosen", 0, 10, 1),
        at(390, 60, "Edge", 2, 5, 2),
        at(150, 100, "No room " * 12, 2, 1, 3),
    ]
    circles = [
        (450.0, 500.0, 6.0, 0, None),
        (450.0, 500.0, 6.0, 1, None),
        (690.0, 460.0, 6.0, 2, None),
    ]
    place(ax, labels, circles, [], frame, fig.canvas.get_renderer())  # type: ignore[attr-defined]
    boxes = [_css_box(fig, item.text, frame.height) for item in labels]
    bigger, chosen, edge, _ = boxes
    assert chosen[0] > 150 + 6
    assert bigger[2] < 150 - 6
    assert abs(chosen[0] - (150 + 9)) < 0.6  # radius + 3 px, as labels.js
    assert edge[2] < 390 - 6
    assert edge[0] >= PAD
    assert [item.text.get_visible() for item in labels] == [True, True, True, False]
    assert not labels[3].halo.get_visible()
    shown = [b for b, item in zip(boxes, labels, strict=True) if item.text.get_visible()]
    for i, a in enumerate(shown):
        assert 0 <= a[0] < a[2] <= frame.width
        assert 0 <= a[1] < a[3] <= frame.height
        for b in shown[i + 1 :]:
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1])
    # The halo moves with its text.
    for item in labels:
        np.testing.assert_allclose(item.halo.get_position(), item.text.get_position())
