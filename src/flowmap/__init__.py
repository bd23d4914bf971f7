"""Batken Flowmap: flow maps of any origin–destination table, and the Batken migration data
with provenance.

The public API reads like the tasks it does::

    import flowmap
    flows = flowmap.read_flows("flows.csv")
    places = flowmap.read_places("locations.csv")
    m = flowmap.flow_map(flows, places, title="Moves", top=500)
    flowmap.save_html(m, "moves.html")
"""

from __future__ import annotations

from flowmap.core.errors import DataValidationError, FlowmapError
from flowmap.core.version import __version__
from flowmap.engine.flows import location_totals, select
from flowmap.io.tables import as_flows, as_places, read_flows, read_places, validate
from flowmap.io.userdata import load_user_data, read_user_flows, read_user_places
from flowmap.render.maps import flow_map, map_html, save_html

__all__ = [
    "DataValidationError",
    "FlowmapError",
    "__version__",
    "as_flows",
    "as_places",
    "flow_map",
    "load_user_data",
    "location_totals",
    "map_html",
    "read_flows",
    "read_places",
    "read_user_flows",
    "read_user_places",
    "save_html",
    "select",
    "validate",
]
