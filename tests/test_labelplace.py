"""The label placer the page and the images share (:mod:`flowmap.render.labelplace`; the page's
copy is ``assets/labelplace.js``, checked on the same cases by ``tests/js/labelplace.test.js``
under ``node --test``)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from flowmap.render.labelplace import (
    CIRCLE_PAD,
    PAD,
    Box,
    Circle,
    LabelBox,
    Line,
    Placed,
    label_box,
    offsets,
    place_labels,
    rank,
)

CASES = json.loads((Path(__file__).parent / "labelplace_cases.json").read_text(encoding="utf-8"))


def _run(case: dict[str, Any]) -> list[Placed | None]:
    return place_labels(
        case["frame"][0],
        case["frame"][1],
        [label_box(item) for item in case["labels"]],
        [Box(*b) for b in case.get("blocks", [])],
        [Circle(*c) for c in case.get("circles", [])],
        [Line([(x, y) for x, y in line["points"]], line["w"]) for line in case.get("lines", [])],
    )


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: c["name"])
def test_cases(case: dict[str, Any]) -> None:
    got = _run(case)
    assert len(got) == len(case["expect"])
    for i, (spot, want) in enumerate(zip(got, case["expect"], strict=True)):
        if want is None:
            assert spot is None, (i, spot)
        else:
            assert spot is not None, (i, want)
            assert [spot.x, spot.y, spot.dx, spot.dy] == pytest.approx(want, abs=1e-6), i


@pytest.mark.parametrize(("classes", "own", "want"), CASES["ranks"])
def test_ranks(classes: str, own: int | None, want: float) -> None:
    assert rank(classes, own) == want


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _hits(r: tuple[float, ...], c: Circle) -> bool:
    x, y = max(r[0], min(c.x, r[2])), max(r[1], min(c.y, r[3]))
    return (x - c.x) ** 2 + (y - c.y) ** 2 < (c.r + CIRCLE_PAD) ** 2


def _rules(case: dict[str, Any]) -> list[Placed | None]:
    """The rules read plainly, without the grid: every label in its order takes its first
    free position against the frame, every block, every other circle and every box placed
    before it."""
    width, height = case["frame"]
    labels = [label_box(item) for item in case["labels"]]
    blocks = [(b[0] - PAD, b[1] - PAD, b[2] + PAD, b[3] + PAD) for b in case.get("blocks", [])]
    circles = [Circle(*c) for c in case.get("circles", [])]
    order = sorted(
        range(len(labels)),
        key=lambda i: (0.5 if labels[i].kind == "edge" else labels[i].rank, -labels[i].value, i),
    )
    placed: list[tuple[float, ...]] = []
    out: list[Placed | None] = [None] * len(labels)
    for i in order:
        lab = labels[i]
        points = lab.path if lab.kind == "edge" else [(lab.x, lab.y)]
        for px, py in reversed(points):
            for ox, oy in offsets(lab.kind, lab.w, lab.h, lab.radius):
                x, y = px + ox, py + oy
                r = (x - PAD, y - PAD, x + lab.w + PAD, y + lab.h + PAD)
                inside = r[0] >= PAD and r[1] >= PAD and r[2] <= width - PAD
                if not (inside and r[3] <= height - PAD):
                    continue
                if any(_overlaps(r, b) for b in blocks + placed):
                    continue
                if any(_hits(r, c) for c in circles if lab.circle < 0 or c.index != lab.circle):
                    continue
                placed.append(r)
                out[i] = Placed(x, y, ox, oy)
                break
            if out[i] is not None:
                break
    return out


@pytest.mark.parametrize(
    "case", [c for c in CASES["cases"] if len(c["labels"]) > 100], ids=lambda c: c["name"]
)
def test_dense_answers_follow_the_rules(case: dict[str, Any]) -> None:
    """The dense cases' answers (made by the placer) are what the plain rules give, and
    they show many labels and hide many: the cases are dense."""
    got = [None if p is None else [p.x, p.y, p.dx, p.dy] for p in _rules(case)]
    assert [p is None for p in got] == [p is None for p in case["expect"]]
    for spot, want in zip(got, case["expect"], strict=True):
        assert spot == (None if want is None else pytest.approx(want, abs=1e-6))
    shown = sum(p is not None for p in got)
    assert 100 < shown < len(got)


def test_circles_off_the_frame_and_without_an_index() -> None:
    """A circle without an index (-1) still keeps every label off; one off the frame is
    skipped without changing any answer."""
    lab = LabelBox(x=50, y=50, w=30, h=10, kind="place", radius=5, rank=2, circle=-1)
    assert place_labels(200, 100, [lab], [], [Circle(90, 50, 20)])[0] == Placed(12, 45, -38, -5)
    far = [Circle(-500, -500, 10, 3), Circle(5000, 50, 10, 4)]
    assert place_labels(200, 100, [lab], [], far)[0] == Placed(58, 45, 8, -5)


def test_bad_numbers_do_not_break_placement() -> None:
    """A label of unknown size (NaN) is placed as a point; a NaN rank counts as the last
    rank (6), so a rank-5 label at the same spot wins it (the other goes below, the
    first position left)."""
    odd = LabelBox(x=50, y=50, w=float("nan"), h=10, kind="area", rank=float("nan"), value=9)
    assert place_labels(100, 100, [odd]) == [Placed(50, 45, 0, -5)]
    wide = replace(odd, w=90)
    assert place_labels(100, 100, [wide, replace(wide, rank=5, value=0)]) == [
        Placed(5, 64, -45, 14),
        Placed(5, 45, -45, -5),
    ]


def test_label_box_from_json() -> None:
    item = {"kind": "edge", "w": 10, "h": 5, "path": [[1, 2], [3, 4]], "circle": 2}
    assert label_box(item) == replace(
        LabelBox(kind="edge", w=10, h=5, circle=2), path=((1.0, 2.0), (3.0, 4.0))
    )
