"""The page's pure JavaScript and its Python mirrors meet the same cases.

``tests/js/cases.json`` holds curves, corridor bends, line widths and arrowheads with the
answers of ``assets/geo.js`` and ``assets/scales.js``; ``node --test tests/js/`` checks the
scripts against them and these tests check :mod:`flowmap.engine.curves` (the image renderer's
curves) and the image renderer's widths and arrowheads, so the browser and the images
cannot drift apart.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from flowmap.engine.curves import curve, spec_bends
from flowmap.render._assets import PLAYER_SCRIPTS, SCRIPTS, _compact, asset, page_scripts
from flowmap.render._image_parts import alpha_of, width_px
from flowmap.render._image_parts import arrow as _arrow

CASES: dict[str, Any] = json.loads(
    (Path(__file__).parent / "js" / "cases.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES["curves"], ids=lambda c: str(c["args"]))
def test_curves_match_the_page(case: dict[str, Any]) -> None:
    np.testing.assert_allclose(curve(*case["args"]).ravel(), case["points"], rtol=0, atol=1e-6)


@pytest.mark.parametrize("case", CASES["bends"])
def test_corridor_bends_match_the_page(case: dict[str, Any]) -> None:
    spec = {"flows": case["flows"], "places": case["places"], "style": case["style"]}
    np.testing.assert_allclose(spec_bends(spec), case["bends"], rtol=0, atol=1e-12)


def test_the_cases_fan_out_a_corridor() -> None:
    """The bend cases are worth checking: some flows bend more than the base, none beyond
    the cap."""
    fanned = [c for c in CASES["bends"] if max(c["bends"], default=0) > c["style"]["bend"]]
    assert len(fanned) >= 2
    for c in CASES["bends"]:
        assert all(b <= c["style"].get("bendMax", 0.3) + 1e-12 for b in c["bends"])


@pytest.mark.parametrize("case", CASES["widths"])
def test_widths_match_the_page(case: dict[str, Any]) -> None:
    np.testing.assert_allclose(width_px(case["scale"], case["counts"]), case["px"], atol=1e-9)


@pytest.mark.parametrize("case", CASES["alphas"])
def test_opacities_match_the_page(case: dict[str, Any]) -> None:
    """Lines and arrowheads fade by count in the image as on the page (one spec field)."""
    lines, heads = alpha_of(case["scale"], case["fade"], case["counts"], case["pale"])
    expected = np.asarray(case["alpha"])
    np.testing.assert_allclose(lines, expected[:, 0], atol=1e-12)
    np.testing.assert_allclose(heads, expected[:, 1], atol=1e-12)


@pytest.mark.parametrize("case", CASES["arrows"])
def test_arrowheads_match_the_page(case: dict[str, Any]) -> None:
    """The image's arrowhead (world units) is the page's (screen pixels) over the scale."""
    points = np.asarray(CASES["curves"][case["curve"]]["points"]).reshape(-1, 2)
    head = _arrow(points, case["w"], case["s"])
    if case["head"] is None:
        assert head is None
    else:
        assert head is not None
        np.testing.assert_allclose(head.ravel() * case["s"], case["head"], rtol=0, atol=1e-6)


def test_every_page_script_is_loaded_once_in_order() -> None:
    """One list says the order; the player's scripts come last; every script of the map
    page is in it (streamlit_words.js belongs to the app's own page, live.js to the app's
    live map, which loads these and then it)."""
    folder = Path(__file__).parents[1] / "src" / "flowmap" / "assets"
    scripts = {p.name for p in folder.glob("*.js")} - {"streamlit_words.js", "live.js"}
    assert sorted(SCRIPTS) == sorted(scripts)
    assert len(set(SCRIPTS)) == len(SCRIPTS)
    assert SCRIPTS[-len(PLAYER_SCRIPTS) :] == PLAYER_SCRIPTS
    for name in SCRIPTS:
        assert len(asset(name).splitlines()) <= 400, name


def test_page_scripts_use_only_the_one_namespace() -> None:
    """No script sets or reads a global of its own (``window.flowmapDom``,
    ``window.flowmapLabels``, ...): every part hangs on ``window.flowmap``."""
    for name in SCRIPTS:
        own = re.findall(r"\bwindow\.(flowmap\w+)", asset(name))
        assert own == [], (name, own)


def test_pages_carry_the_code_without_whole_line_comments_or_indentation() -> None:
    """A page inlines the scripts without their whole-line comments and indentation (its
    size stays in bounds); comments after code, strings with slashes and code after a
    block stay, each line where it was. That keeps the code's meaning only while no
    string or template literal spans lines: none does (no line ends in a backslash, and
    every line has an even number of backticks)."""
    text = 'var a = 1; // kept\n  // gone\n/* gone\n * gone */ var b = "http://x/*y*/";\n'
    text += "/* gone */\n    var c = 2;\n"
    assert _compact(text).splitlines() == [
        "var a = 1; // kept",
        'var b = "http://x/*y*/";',
        "var c = 2;",
    ]
    for line in page_scripts().splitlines():
        assert not line.startswith(("//", "/*", "* ", " ")), line
    for name in (*SCRIPTS, *PLAYER_SCRIPTS):
        for line in _compact(asset(name)).splitlines():
            assert not line.endswith("\\"), (name, line)
            assert line.count("`") % 2 == 0, (name, line)
