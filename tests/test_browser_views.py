"""Canonical views of the Batken map, measured from the drawn page in Chromium.

Each view is exported with the command line and opened offline at 1400×900 and 1920×1080.
From the page itself the test measures: no two visible labels overlap; no flow end (place
circle), no label and no part of Batken oblast lies under the title, legend or source box;
and, in the default view, Batken oblast's bounding box covers at least 5% of the map.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from flowmap.batken.layers import area_bounds
from flowmap.cli.commands import main
from flowmap.core.langs import LANGS
from tests.conftest import OfflinePage

pytestmark = pytest.mark.browser

SIZES = [(1400, 900), (1920, 1080)]
ABROAD = "RU,UZ,KZ,TR,US"
HOME = "KG-GO,KG-GB,KG-C,KG-OTHER"
HOME_ENDS = {"KG-GO", "KG-GB", "KG-C", "KG-OTHER"}
"""Osh, Bishkek, Chüy and the other oblasts taken together: where a view draws flows to
them, they are in its frame (a year in which Russia is the largest flow opened on Moscow,
Batken a dot in a corner; a map of reported figures framed Batken alone)."""

VIEWS: dict[str, list[str]] = {
    "default": ["--period", "2014-2023"],
    **{f"year {y}": ["--year", str(y)] for y in range(2013, 2025)},
    "whole period": [],
    "ky": ["--period", "2014-2023", "--lang", "ky"],
    "ru": ["--period", "2014-2023", "--lang", "ru"],
    "net": ["--direction", "net"],
    "in": ["--direction", "in"],
    "both directions 2022": ["--year", "2022", "--direction", "all"],
    "abroad only": ["--period", "2014-2023", "--dest", ABROAD],
    "home only": ["--period", "2014-2023", "--dest", HOME],
    # The map of change: its title box (counts and how the change is computed, longest in
    # Kyrgyz) covers no end; of reported figures, it frames "other oblasts" with Batken.
    **{f"change {lang}": ["--compare", "2017", "2023", "--lang", lang] for lang in LANGS},
    **{
        f"change reported {lang}": [
            "--compare",
            "2017",
            "2023",
            "--basis",
            "reported",
            "--lang",
            lang,
        ]
        for lang in LANGS
    },
}

MEASURE = """(batken) => {
    const map = window.flowmap.map, spec = window.flowmap.spec;
    const root = map.getContainer().getBoundingClientRect();
    const rect = (r) => [
        r.left - root.left, r.top - root.top, r.right - root.left, r.bottom - root.top,
    ];
    const boxes = [...document.querySelectorAll('.fm-box')]
        .map((b) => b.getBoundingClientRect()).filter((r) => r.width && r.height).map(rect);
    const labels = [...document.querySelectorAll('.fm-label')]
        .filter((n) => getComputedStyle(n).visibility === 'visible' && n.textContent.trim())
        .map((n) => {
            const inner = n.classList.contains('fm-edge') ? n : (n.firstElementChild || n);
            return { text: n.textContent, r: rect(inner.getBoundingClientRect()) };
        })
        .filter((l) => l.r[2] > 0 && l.r[0] < root.width && l.r[3] > 0 && l.r[1] < root.height);
    const ends = [], drawn = [];
    for (let i = 0; i < spec.places.id.length; i++) {
        if (!(spec.totals.total[i] > 0)) { continue; }
        drawn.push(spec.places.id[i]);
        const p = map.latLngToContainerPoint([spec.places.lat[i], spec.places.lon[i]]);
        if (p.x >= 0 && p.y >= 0 && p.x <= root.width && p.y <= root.height) {
            ends.push({ id: spec.places.id[i], x: p.x, y: p.y });
        }
    }
    const a = map.latLngToContainerPoint(batken[0]), b = map.latLngToContainerPoint(batken[1]);
    return {
        size: [root.width, root.height], boxes, labels, ends, drawn,
        batken: [Math.min(a.x, b.x), Math.min(a.y, b.y), Math.max(a.x, b.x), Math.max(a.y, b.y)],
        edges: document.querySelectorAll('.fm-edge').length,
    };
}"""


def overlap(a: list[float], b: list[float], slack: float = 0.5) -> bool:
    """True when two rectangles [left, top, right, bottom] overlap by more than ``slack``."""
    return min(a[2], b[2]) - max(a[0], b[0]) > slack and min(a[3], b[3]) - max(a[1], b[1]) > slack


def inside(x: float, y: float, r: list[float]) -> bool:
    return r[0] <= x <= r[2] and r[1] <= y <= r[3]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("views")
    out: dict[str, Path] = {}
    for name, args in VIEWS.items():
        path = folder / (name.replace(" ", "-") + ".html")
        assert main(["export", *args, "--out", str(path)], io.StringIO()) == 0
        out[name] = path
    return out


def measure(page: OfflinePage, path: Path, size: tuple[int, int]) -> dict[str, Any]:
    page.page.set_viewport_size({"width": size[0], "height": size[1]})
    page.page.goto(path.as_uri())
    page.page.wait_for_selector("html[data-flowmap-complete='1']", state="attached")
    # Labels are placed in the animation frame after the last move.
    page.page.evaluate("() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)))")
    result: dict[str, Any] = page.page.evaluate(MEASURE, area_bounds("KG-B"))
    return result


@pytest.mark.parametrize("view", list(VIEWS))
def test_view_is_clear_and_readable(
    offline_page: OfflinePage, pages: dict[str, Path], view: str
) -> None:
    for size in SIZES:
        m = measure(offline_page, pages[view], size)
        where = f"{view} at {size[0]}x{size[1]}"
        labels = m["labels"]
        assert labels, where
        for i, a in enumerate(labels):
            for b in labels[i + 1 :]:
                assert not overlap(a["r"], b["r"]), f"{where}: {a['text']!r} overlaps {b['text']!r}"
            for box in m["boxes"]:
                assert not overlap(a["r"], box), f"{where}: label {a['text']!r} under a box"
        for end in m["ends"]:
            for box in m["boxes"]:
                assert not inside(end["x"], end["y"], box), f"{where}: {end['id']} under a box"
        for box in m["boxes"]:
            assert not overlap(m["batken"], box, slack=1), f"{where}: Batken under a box"
        home = HOME_ENDS & set(m["drawn"])
        if home:  # Batken and its destinations at home fill the frame, in every view
            assert home <= {e["id"] for e in m["ends"]}, f"{where}: {home} not all in view"
            w, h = m["size"]
            b = m["batken"]
            share = (min(b[2], w) - max(b[0], 0)) * (min(b[3], h) - max(b[1], 0)) / (w * h)
            assert share >= 0.05, f"{where}: Batken covers {share:.1%} of the map"
        if view == "default":
            assert m["edges"] >= 3, f"{where}: flows abroad leave the frame unlabelled"
    assert not offline_page.blocked
    assert not offline_page.errors


def test_small_near_ends_are_not_left_under_a_box(
    offline_page: OfflinePage, tmp_path: Path
) -> None:
    """A user's table of country codes: Kazakhstan is a small, near end that the frame
    leaves out, yet it is in view; it must not sit under the legend."""
    flows = tmp_path / "moves.csv"
    flows.write_text(
        "origin,dest,year,count\nKG,RU,2020,500\nKG,KZ,2020,120\nUZ,RU,2021,900\nKG,TR,2021,30\n",
        encoding="utf-8",
    )
    out = tmp_path / "moves.html"
    both = ["--period", "2020-2021"]  # both years, summed (one alone would not draw KZ)
    assert main(["export", "--flows", str(flows), *both, "--out", str(out)], io.StringIO()) == 0
    for size in SIZES:
        m = measure(offline_page, out, size)
        assert {e["id"] for e in m["ends"]} >= {"KG", "KZ", "UZ"}
        for end in m["ends"]:
            for box in m["boxes"]:
                assert not inside(end["x"], end["y"], box), f"{end['id']} under a box at {size}"
    assert not offline_page.blocked
