"""The exported HTML map in a real browser (Debian's Chromium), with the network blocked."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from flowmap.cli import main
from tests.conftest import OfflinePage

pytestmark = pytest.mark.browser

EIGHT = ["KG-GO", "KG-GB", "KG-C", "RU", "UZ", "KZ", "TR", "US"]


def export(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "map.html"
    assert main(["export", *args, "--out", str(out)], io.StringIO()) == 0
    return out


def open_map(page: OfflinePage, path: Path) -> None:
    page.page.goto(path.as_uri())
    page.page.wait_for_selector("path.fm-flow", state="attached")
    page.page.wait_for_timeout(300)


def hover_line(page: OfflinePage, selector: str) -> None:
    """Move the mouse onto a painted part of an SVG path (dashed lines have gaps, and the
    centre of a curve's bounding box is usually off the curve)."""
    point = page.page.evaluate(
        """(selector) => {
            const path = document.querySelector(selector);
            const total = path.getTotalLength();
            for (let f = 0.3; f < 0.9; f += 0.01) {
                const p = path.getPointAtLength(total * f).matrixTransform(path.getScreenCTM());
                if (document.elementFromPoint(p.x, p.y) === path) { return [p.x, p.y]; }
            }
            return null;
        }""",
        selector,
    )
    assert point is not None, f"no painted point found on {selector}"
    page.page.mouse.move(*point)


def widths(page: OfflinePage) -> dict[str, float]:
    """Return the stroke width of each drawn flow by destination id."""
    out: dict[str, float] = {}
    for element in page.page.query_selector_all("path.fm-flow"):
        classes = (element.get_attribute("class") or "").split()
        dest = next(c[len("fm-to-") :] for c in classes if c.startswith("fm-to-"))
        out[dest] = float(element.get_attribute("stroke-width") or 0)
    return out


def test_2014_2023_map_offline(tmp_path: Path, offline_page: OfflinePage) -> None:
    path = export(tmp_path, "--period", "2014-2023")
    assert path.stat().st_size < 2 * 1024 * 1024
    open_map(offline_page, path)
    page = offline_page.page
    drawn = widths(offline_page)
    assert set(EIGHT) <= set(drawn)
    assert max(drawn, key=lambda k: drawn[k]) == "RU"
    assert page.locator("path.fm-flow.fm-modelled").count() >= 3  # Osh, Bishkek, Chüy
    assert page.locator("path.fm-border").count() >= 2
    assert page.locator("path.fm-enclave").count() >= 3
    assert page.locator("path.leaflet-interactive").count() > 15
    assert page.locator("svg path").count() > 150  # country outlines of the basemap
    assert page.locator(".fm-label", has_text="Sulukta").count() == 1
    assert page.locator(".fm-legend").is_visible()
    assert "Migration of the population of Batken oblast" in page.inner_text(".fm-title")
    assert offline_page.errors == []
    assert offline_page.blocked == []


def test_tooltip_of_a_modelled_flow(tmp_path: Path, offline_page: OfflinePage) -> None:
    open_map(offline_page, export(tmp_path, "--year", "2022", "--dest", "KG-GB"))
    page = offline_page.page
    hover_line(offline_page, "path.fm-flow.fm-to-KG-GB")
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    text = tooltip.inner_text()
    assert "Bishkek" in text
    assert "modelled estimate" in text
    assert "Osh city, Bishkek and Chüy together get two thirds" in text


def test_widths_per_person_match_across_years(tmp_path: Path, offline_page: OfflinePage) -> None:
    open_map(offline_page, export(tmp_path, "--year", "2022", "--basis", "reported"))
    w2022 = widths(offline_page)["KG-OTHER"]
    open_map(offline_page, export(tmp_path, "--year", "2016", "--basis", "reported"))
    w2016 = widths(offline_page)["KG-OTHER"]
    # 2169 and 1355 departures: the same pixels per square root of a person.
    assert w2022 / 2169**0.5 == pytest.approx(w2016 / 1355**0.5, rel=0.01)


def test_dest_and_basis_filters(tmp_path: Path, offline_page: OfflinePage) -> None:
    open_map(offline_page, export(tmp_path, "--period", "2014-2023", "--dest", "RU,UZ"))
    assert set(widths(offline_page)) == {"RU", "UZ"}
    open_map(offline_page, export(tmp_path, "--year", "2023", "--basis", "reported"))
    page = offline_page.page
    assert page.locator("path.fm-flow").count() == 2  # other oblasts, abroad
    assert page.locator("path.fm-flow.fm-modelled").count() == 0
