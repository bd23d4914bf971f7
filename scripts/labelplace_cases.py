"""Write ``tests/labelplace_cases.json``: the label placement cases both placers answer
(``flowmap.render.labelplace`` in Python, ``assets/labelplace.js`` under Node).

The small cases are written out by hand below, with the answers worked out by hand from
the rules (see each ``why``). The dense cases (hundreds of labels, circles and boxes at
random, seeded) take their answers from ``flowmap.render.labelplace``; ``tests/test_labelplace.py``
checks those answers against the rules themselves (nothing overlaps, everything stays in
the frame, and every hidden label has no free position), and the Node test checks that the
JavaScript gives the same. Run ``.venv/bin/python scripts/labelplace_cases.py`` after a
change to the rules, and review the diff.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict
from pathlib import Path
from typing import Any

from flowmap.render.labelplace import Box, Circle, Line, label_box, place_labels

OUT = Path(__file__).resolve().parent.parent / "tests" / "labelplace_cases.json"


def _place(x: float, y: float, w: float, h: float, r: float, **more: Any) -> dict[str, Any]:
    return {"kind": "place", "x": x, "y": y, "w": w, "h": h, "radius": r, **more}


def _area(x: float, y: float, w: float, h: float, **more: Any) -> dict[str, Any]:
    return {"kind": "area", "x": x, "y": y, "w": w, "h": h, **more}


HAND: list[dict[str, Any]] = [
    {
        "name": "a place label goes right of its circle",
        "why": "first position: (r + 3, -h / 2) from the point",
        "frame": [200, 100],
        "labels": [_place(100, 50, 40, 10, 5, rank=2)],
        "expect": [[108, 45, 8, -5]],
    },
    {
        "name": "at the frame's right edge it goes left",
        "why": "right: 188 + 40 + 2 > 198; left: 180 - 8 - 40 = 132",
        "frame": [200, 100],
        "labels": [_place(180, 50, 40, 10, 5, rank=2)],
        "expect": [[132, 45, -48, -5]],
    },
    {
        "name": "in the top-left corner it takes the lower-right diagonal over its own circle",
        "why": "sides, top and bottom leave the frame; (d, d) with d = 0.7 r + 2 touches "
        "only its own circle (index 0), which it may",
        "frame": [200, 100],
        "circles": [[5, 5, 3, 0]],
        "labels": [_place(5, 5, 40, 10, 3, rank=2, circle=0)],
        "expect": [[9.1, 9.1, 4.1, 4.1]],
    },
    {
        "name": "another circle on the same point hides it",
        "why": "the same as before, but the circle is another place's (index 0, label's 1)",
        "frame": [200, 100],
        "circles": [[5, 5, 3, 0]],
        "labels": [_place(5, 5, 40, 10, 3, rank=2, circle=1)],
        "expect": [None],
    },
    {
        "name": "the chosen place (rank 0) wins the right side from a bigger place",
        "why": "rank before value; the other takes its second position, left",
        "frame": [200, 100],
        "labels": [
            _place(50, 50, 30, 10, 5, rank=2, value=9),
            _place(50, 50, 30, 10, 5, rank=0, value=1),
        ],
        "expect": [[12, 45, -38, -5], [58, 45, 8, -5]],
    },
    {
        "name": "two area labels with room for one: the bigger value wins",
        "why": "only the centred position fits a 60 x 30 frame",
        "frame": [60, 30],
        "labels": [_area(30, 15, 40, 10, rank=5, value=1), _area(30, 15, 40, 10, rank=5, value=5)],
        "expect": [None, [10, 10, -20, -5]],
    },
    {
        "name": "equal rank and value: the first given wins",
        "why": "the order given breaks ties",
        "frame": [60, 30],
        "labels": [_area(30, 15, 40, 10, rank=5, value=2), _area(30, 15, 40, 10, rank=5, value=2)],
        "expect": [[10, 10, -20, -5], None],
    },
    {
        "name": "an edge label comes after rank 0",
        "why": "edge labels rank 0.5: after the chosen places",
        "frame": [60, 30],
        "labels": [
            _area(30, 15, 40, 10, rank=1, value=100),
            {"kind": "edge", "w": 40, "h": 10, "path": [[30, 15]]},
            _area(30, 15, 40, 10, rank=0, value=0),
        ],
        "expect": [None, None, [10, 10, -20, -5]],
    },
    {
        "name": "an edge label comes before every other rank",
        "why": "edge labels rank 0.5: before places (2) and layers' labels (1 and up)",
        "frame": [60, 30],
        "labels": [
            _area(30, 15, 40, 10, rank=1, value=100),
            {"kind": "edge", "w": 40, "h": 10, "path": [[30, 15]]},
        ],
        "expect": [None, [10, 10, -20, -5]],
    },
    {
        "name": "an edge label tries its path from the last point",
        "why": "at (190, 50) centred and right leave the frame; above-left fits",
        "frame": [200, 100],
        "labels": [{"kind": "edge", "w": 30, "h": 10, "path": [[100, 50], [150, 50], [190, 50]]}],
        "expect": [[156, 38, -34, -12]],
    },
    {
        "name": "an edge label walks back along its path when the end has no room",
        "why": "a block covers x >= 140; at (100, 50) the centred position fits",
        "frame": [200, 100],
        "blocks": [[140, 0, 200, 100]],
        "labels": [{"kind": "edge", "w": 30, "h": 10, "path": [[100, 50], [150, 50], [190, 50]]}],
        "expect": [[85, 45, -15, -5]],
    },
    {
        "name": "a block (legend) pushes a label to the other side",
        "why": "right: box from 145 meets the block grown by 2 from 148; left: 140 - 7 - 40",
        "frame": [300, 100],
        "blocks": [[150, 0, 300, 100]],
        "labels": [_place(140, 50, 40, 10, 4, rank=2)],
        "expect": [[93, 45, -47, -5]],
    },
    {
        "name": "another place's circle pushes a label to the other side",
        "why": "right: the box 106..150 meets the circle of radius 10 + 1 at x = 130",
        "frame": [200, 100],
        "circles": [[100, 50, 5, 0], [130, 50, 10, 1]],
        "labels": [_place(100, 50, 40, 10, 5, rank=2, circle=0)],
        "expect": [[52, 45, -48, -5]],
    },
    {
        "name": "an area label moves above when its centre is taken",
        "why": "second position of an area: (-w / 2, -1.6 h); the first label's box 48..62",
        "frame": [200, 100],
        "labels": [_area(100, 55, 40, 10, rank=0), _area(100, 50, 40, 10, rank=3)],
        "expect": [[80, 50, -20, -5], [80, 34, -20, -16]],
    },
    {
        "name": "an area label keeps off a flow when it can",
        "why": "its centre lies on the flow (y 48..52); above, (-w / 2, -1.6 h), is clear",
        "frame": [200, 100],
        "lines": [{"w": 4, "points": [[0, 50], [200, 50]]}],
        "labels": [_area(100, 50, 40, 10, rank=5)],
        "expect": [[80, 34, -20, -16]],
    },
    {
        "name": "a flow under every position does not hide an area label",
        "why": "a 200-px flow covers the frame: the label takes its first position anyway",
        "frame": [200, 100],
        "lines": [{"w": 200, "points": [[0, 50], [200, 50]]}],
        "labels": [_area(100, 50, 40, 10, rank=5)],
        "expect": [[80, 45, -20, -5]],
    },
    {
        "name": "a place label stays beside its circle over a flow",
        "why": "only area labels keep off flows; a place's name stays next to it",
        "frame": [200, 100],
        "lines": [{"w": 4, "points": [[0, 50], [200, 50]]}],
        "labels": [_place(100, 50, 40, 10, 5, rank=2)],
        "expect": [[108, 45, 8, -5]],
    },
    {
        "name": "a label larger than the frame is hidden",
        "why": "no position keeps it 2 px inside",
        "frame": [50, 20],
        "labels": [_area(25, 10, 60, 10, rank=0)],
        "expect": [None],
    },
]

RANKS: list[list[Any]] = [
    ["fm-label fm-district", None, 3.5],
    ["fm-label fm-enclave", None, 3],
    ["fm-label fm-centre", None, 4],
    ["fm-label fm-oblast fm-batken", None, 5],
    ["fm-label fm-country", None, 6],
    ["", None, 6],
    ["fm-label fm-country", 1, 1],
    ["fm-enclave fm-centre", None, 3],
]
"""A layer label's CSS classes, its own ``_rank`` (or null) and its rank."""


def _dense(name: str, seed: int, n: int, width: int, height: int, kinds: str) -> dict[str, Any]:
    """A dense map: ``n`` labels (and a circle per place label), a title and a legend."""
    rng = random.Random(seed)
    blocks = [[10, 10, 330, 70], [width - 230, height - 190, width - 10, height - 10]]
    circles, labels = [], []
    for i in range(n):
        x, y = round(rng.uniform(-20, width + 20), 1), round(rng.uniform(-20, height + 20), 1)
        w, h = round(rng.uniform(25, 110), 1), rng.choice([13, 15, 16, 17])
        kind = rng.choice(kinds)
        if kind == "place":
            r = round(rng.uniform(3, 16), 1)
            circles.append([x, y, r, i])
            rank = 0 if rng.random() < 0.05 else 2
            labels.append(
                _place(x, y, w, h, r, rank=rank, value=rng.randrange(1, 10_000), circle=i)
            )
        elif kind == "area":
            labels.append(_area(x, y, w, h, rank=rng.choice([3, 4, 5, 6]), value=0))
        else:
            path = [[x + 12 * k, y + 5 * k] for k in range(rng.randrange(1, 8))]
            labels.append({"kind": "edge", "w": w, "h": h, "path": path})
    return {
        "name": name,
        "why": "answers from flowmap.render.labelplace, checked against the rules by the tests",
        "frame": [width, height],
        "blocks": blocks,
        "circles": circles,
        "labels": labels,
    }


def _points(points: list[list[float]]) -> tuple[tuple[float, float], ...]:
    return tuple((float(x), float(y)) for x, y in points)


def answer(case: dict[str, Any]) -> list[list[float] | None]:
    """The placements of ``case`` by :func:`flowmap.render.labelplace.place_labels`."""
    got = place_labels(
        case["frame"][0],
        case["frame"][1],
        [label_box(item) for item in case["labels"]],
        [Box(*b) for b in case.get("blocks", [])],
        [Circle(*c) for c in case.get("circles", [])],
        [Line(_points(line["points"]), line["w"]) for line in case.get("lines", [])],
    )
    return [None if p is None else [round(v, 6) for v in asdict(p).values()] for p in got]


def main() -> None:
    dense = [
        _dense("dense: 300 place labels on a slide", 1, 300, 1400, 900, "place"),
        _dense("dense: 500 mixed labels on a small frame", 2, 500, 800, 500, "pppppaae"),
        _dense("dense: 700 labels, some off the frame", 3, 700, 1920, 1080, "ppppaae"),
    ]
    for case in dense:
        case["expect"] = answer(case)
    for case in HAND:  # the hand answers must be what the rules give
        if answer(case) != case["expect"]:
            raise SystemExit(f"{case['name']}: {answer(case)} != {case['expect']}")
    doc = {"cases": HAND + dense, "ranks": RANKS}
    OUT.write_text(
        json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
