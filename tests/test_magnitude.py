"""Magnitude you can read (issue 19): a default limit on the flows drawn, said on the map's
face; small flows faded on busy maps, none on small ones; widths capped on busy maps."""

from __future__ import annotations

import numpy as np
import pandas as pd

import flowmap
from flowmap.engine.flows import select
from flowmap.engine.flows.limit import DEFAULT_TOP, largest
from flowmap.render.element import map_spec
from flowmap.render.flowlayer import default_scale
from flowmap.render.layer import FADE_FROM, flow_fade


def _table(n_places: int, n_flows: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A heavy-tailed table of ``n_flows`` distinct flows between ``n_places`` places."""
    rng = np.random.default_rng(seed)
    ids = [f"P{i}" for i in range(n_places)]
    places = pd.DataFrame(
        {"id": ids, "lat": rng.uniform(-40, 60, n_places), "lon": rng.uniform(-120, 140, n_places)}
    )
    pairs = [(o, d) for o in range(n_places) for d in range(n_places) if o != d]
    chosen = rng.choice(len(pairs), n_flows, replace=False)
    flows = pd.DataFrame(
        {
            "origin": [ids[pairs[k][0]] for k in chosen],
            "dest": [ids[pairs[k][1]] for k in chosen],
            "count": (rng.pareto(1.1, n_flows) * 50 + 1).astype(int),
        }
    )
    return flows, places


def test_the_limit_keeps_the_largest_flows_and_says_n_m_and_the_share() -> None:
    flows = pd.DataFrame(
        {"origin": list("abcde"), "dest": list("bcdea"), "count": [10, 500, 30, 400, 60]}
    )
    kept, limited = largest(flows, 2)
    assert sorted(kept["count"]) == [400, 500]
    assert limited is not None
    assert (limited.shown, limited.total) == (2, 5)
    assert limited.share == 900 / 1000
    message = limited.message()
    assert message.text("en") == "Largest 2 of 5 flows shown, 90% of the volume"
    assert message.text("ru") == "Показаны крупнейшие потоки: 2 из 5, 90\u00a0% объёма"
    assert "көлөмдүн 90%" in message.text("ky")
    # Nothing left out: nothing said; 0 or None is every flow.
    assert largest(flows, 5)[1] is None
    assert largest(flows, 0)[0] is flows
    assert largest(flows, 0)[1] is None
    assert largest(flows, None)[1] is None


def test_the_default_limit_applies_to_flow_map_and_is_said_on_the_map() -> None:
    flows, places = _table(60, 2000)
    spec = map_spec(flowmap.flow_map(flows, places))
    drawn = spec["flows"]["c"]
    assert len(drawn) == DEFAULT_TOP < 2000
    assert sorted(drawn) == sorted(flows["count"].nlargest(DEFAULT_TOP))
    share = sum(drawn) / flows["count"].sum()
    alerts = spec["text"]["alerts"]
    assert f"Largest 1,000 of 2,000 flows shown, {share:.0%} of the volume" in alerts
    # top=None draws every flow, and nothing is said of a limit.
    every = map_spec(flowmap.flow_map(flows, places, top=None))
    assert len(every["flows"]["c"]) == 2000
    assert not any("Largest" in a for a in every["text"].get("alerts") or [])
    # A busy map fades its small flows; its widest line is capped.
    assert spec["style"]["fade"] == [0.15, 0.85]
    assert spec["scale"]["maxPx"] <= 8.0
    assert "the largest flows are drawn on top" in spec["text"]["legend"]["notes"][-1]


def test_few_flows_are_not_faded_nor_thinned() -> None:
    flows, places = _table(8, FADE_FROM)
    spec = map_spec(flowmap.flow_map(flows, places))
    assert spec["style"]["fade"] == [0.85, 0.85] == list(flow_fade(FADE_FROM))
    assert not any("Largest" in a for a in spec["text"].get("alerts") or [])
    assert not any("fainter" in n for n in spec["text"]["legend"]["notes"])
    assert default_scale(flows).max_px == 28.0
    assert default_scale(pd.concat([flows] * 20)).max_px < 10


def test_top_zero_is_every_flow_in_a_table_too() -> None:
    flows, _ = _table(8, 20)
    assert len(select(flows.assign(time=""), top=0)) == 20
    assert len(select(flows.assign(time=""), top=3)) == 3
