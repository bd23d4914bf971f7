"""Playable exports: one offline HTML file that carries every year of a selection, each
direction and the three languages, with its own controls (``assets/player*.js``).

The page is made from the spec of the opening view's map
(:func:`flowmap.batken.export.make_map`), which :func:`player_spec` extends: the flows of every
period of the selection for departures, arrivals and net migration (net from the balance
table), each once, as place indices and codes, and a ``player`` entry
(:attr:`flowmap.render.spec.FlowSpec.player`) that says which flows belong to which view:

``sets``, ``v``, ``views``
    The direction sets (``out``, ``in``, ``net``), the set of each flow, and per slider
    stop and set the flows of that view (:func:`player_flows`: one period, one group).
``cp``, ``boxes``, ``box``
    The counterpart place of each flow, the places that get a checkbox (in places-table
    order) and each flow's checkbox (``-1`` for an aggregate whose parts have boxes).
``agg``, ``under``
    ``[flow, [parts]]`` for each aggregate flow, deepest first, its parts being every flow
    of the same view whose place lies under it: it is drawn only when one of its members'
    boxes (``under[place]``) is ticked and none of its parts is drawn, so a total and its
    split are never drawn together (as :func:`flowmap.batken.query.drawable_flows`).
``stops``, ``span``, ``onlyTotal``
    The slider's periods as time codes (years first, then the multi-year totals) and
    which are totals. A total is only drawn on its own stop: on a year, flows published
    only as a total are not drawn and the page says so: ``onlyTotal[set][box]`` is the
    stop of a reported total of a place the source gives no yearly figure for in that
    direction, else -1 (a place whose total is modelled, such as Osh city in 2014–2023, is
    never "only a total": in 2024 it simply has no figure).
``dirs``, ``start``, ``langs``
    The direction choices, the opening view, and per language the place names, texts,
    legend lines, tooltip labels and values (group, basis, source, method, note), what the
    legend and tooltips say in each direction (``byDir``: net as gain and loss, with signs)
    and the player's own words.

The rule (``flowmap.play.mask`` in ``assets/playview.js``): a view draws only its own flows;
a flow with a box is drawn when its box is ticked; an aggregate as said above. Direction
"both" is the union of the departures and arrivals views of the stop.

The page's layers gain what the language switch needs besides: each named layer its
``names`` and each feature with a tooltip its ``_tips``, by language
(:func:`localised_layers`), so that no text stays in the language the file was written in.

Widths keep the data set's one scale, so the years compare.

The parts: :mod:`~flowmap.batken.player.views` (the slider's periods, the views' flows, the
checkboxes and aggregates), :mod:`~flowmap.batken.player.languages` (what changes with the
language) and :mod:`~flowmap.batken.player.page` (the spec and the page).
"""

from __future__ import annotations

from flowmap.batken.player.languages import localised_layers, overlay_languages
from flowmap.batken.player.page import STEP_MS, add_player, player_spec, summary
from flowmap.batken.player.views import (
    SETS,
    opening_selection,
    opening_stop,
    player_flows,
    player_periods,
)

__all__ = [
    "SETS",
    "STEP_MS",
    "add_player",
    "localised_layers",
    "opening_selection",
    "opening_stop",
    "overlay_languages",
    "player_flows",
    "player_periods",
    "player_spec",
    "summary",
]
