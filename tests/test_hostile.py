"""Hostile place names and file contents stay text: in the HTML and in a real browser."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from flowmap.cli.commands import main
from tests.conftest import OfflinePage

HOSTILE = [
    '</script><script>alert("script")</script>',
    "<img src=x onerror=alert('img')>",
    "`${alert('template')}` {{ 7*7 }}",
    "Back\\slash \"quote\" 'single'",
]


@pytest.fixture
def hostile_files(tmp_path: Path) -> tuple[Path, Path]:
    places = tmp_path / "places.csv"
    names = [h.replace('"', '""') for h in HOSTILE]
    places.write_text(
        "id,kind,name_en,name_ky,name_ru,parent,lat,lon,anchor\n"
        f'KG-B,oblast,"{names[0]}",Баткен,Баткен,,39.853,71.591,"{names[1]}"\n'
        f'RU,country,"{names[1]}","{names[2]}","{names[3]}",,55.752,37.618,"{names[3]}"\n'
        f'UZ,country,"{names[2]}","{names[3]}","{names[0]}",,41.265,69.216,Tashkent\n',
        encoding="utf-8",
    )
    flows = tmp_path / "flows.csv"
    flows.write_text(
        "origin,destination,period,sex,age,count,basis,source_ref,method,note\n"
        f'KG-B,RU,2014-2023,total,all,7529,reported,"{names[3]}",,"{names[0]}"\n'
        f'KG-B,UZ,2014-2023,total,all,566,modelled,"{names[1]}","{names[2]}","{names[3]}"\n',
        encoding="utf-8",
    )
    return places, flows


def export(tmp_path: Path, places: Path, flows: Path, lang: str) -> str:
    out = tmp_path / f"hostile-{lang}.html"
    code = main(
        [
            "export",
            "--period",
            "2014-2023",
            "--places",
            str(places),
            "--flows",
            str(flows),
            "--lang",
            lang,
            "--out",
            str(out),
        ],
        io.StringIO(),
    )
    assert code == 0
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "ky", "ru"])
def test_no_unescaped_text_from_data(
    tmp_path: Path, hostile_files: tuple[Path, Path], lang: str
) -> None:
    text = export(tmp_path, *hostile_files, lang)
    for raw in ("<script>alert", "<img src=x", "onerror=alert('img')>", "</script><script>"):
        assert raw not in text
    # The names are there as text, escaped for the script block (the page shows them with
    # textContent, never as HTML).
    assert "\\u003cimg src=x onerror=alert(\\u0027img\\u0027)\\u003e" in text


def test_show_and_data_files_are_untouched(
    tmp_path: Path, hostile_files: tuple[Path, Path]
) -> None:
    before = [p.read_bytes() for p in hostile_files]
    export(tmp_path, *hostile_files, "en")
    assert [p.read_bytes() for p in hostile_files] == before


@pytest.mark.browser
def test_hostile_names_render_as_text(
    tmp_path: Path, hostile_files: tuple[Path, Path], offline_page: OfflinePage
) -> None:
    export(tmp_path, *hostile_files, "en")
    page = offline_page.page
    page.goto((tmp_path / "hostile-en.html").as_uri())
    page.wait_for_selector("html[data-flowmap-ready='1']", state="attached")
    assert offline_page.dialogs == []
    assert offline_page.errors == []
    assert offline_page.blocked == []
    # Labels and tooltips show the names literally.
    assert page.locator(".fm-label", has_text="<img src=x onerror=alert('img')>").count() >= 1
    tips = ""
    box = page.locator(".leaflet-container").bounding_box()
    assert box is not None
    for index in range(2):  # the two flows: hover each where it is drawn
        point = page.evaluate(
            """(i) => {
                const layer = window.flowmap.layer;
                for (let t = 0.3; t < 0.95; t += 0.05) {
                    const p = layer.pointOf(i, t);
                    if (layer.pick(p) === i && window.flowmap.free(p)) { return [p.x, p.y]; }
                }
                return null;
            }""",
            index,
        )
        assert point is not None
        # A real mouse move (it used to miss the map over the place circles' canvas).
        page.mouse.move(box["x"] + point[0], box["y"] + point[1], steps=3)
        page.wait_for_function("(i) => window.flowmap.layer.hovered === i", arg=index)
        page.locator(".fm-tip").wait_for()
        tips += page.locator(".fm-tip").inner_text()
    assert '</script><script>alert("script")</script>' in tips
    assert "{{ 7*7 }}" in tips
    assert page.locator("img[src='x']").count() == 0
    assert page.evaluate("document.querySelectorAll('script').length") >= 1
    title = page.inner_text(".fm-title")
    assert "Migration" in title
