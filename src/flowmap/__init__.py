"""Batken Flowmap: flow maps of any origin–destination table, and the Batken migration data
with provenance.

The public API reads like the tasks it does (in a temporary folder here):

>>> import os, tempfile
>>> import pandas as pd
>>> import flowmap
>>> folder = tempfile.mkdtemp()
>>> _ = pd.DataFrame({"id": ["BSK", "OSH", "MOW"], "name": ["Bishkek", "Osh", "Moscow"],
...                   "lat": [42.87, 40.53, 55.76], "lon": [74.59, 72.80, 37.62]}
...                  ).to_csv(os.path.join(folder, "locations.csv"), index=False)
>>> _ = pd.DataFrame({"origin": ["OSH", "BSK"], "dest": ["MOW", "MOW"], "count": [900, 400]}
...                  ).to_csv(os.path.join(folder, "flows.csv"), index=False)
>>> flows = flowmap.read_flows(os.path.join(folder, "flows.csv"))
>>> places = flowmap.read_places(os.path.join(folder, "locations.csv"))
>>> m = flowmap.flow_map(flows, places, selection=flowmap.Selection(top=500),
...                      wording=flowmap.Wording(title="Moves"))
>>> flowmap.save_html(m, os.path.join(folder, "moves.html")).name
'moves.html'

The engine's steps are public too: :func:`select` the flows of a map, and
:func:`location_totals` of each place:

>>> table = flowmap.as_flows(flows)
>>> print(flowmap.select(table, places=["MOW"], direction="in")[["origin", "dest", "count"]])
  origin dest  count
0    OSH  MOW    900
1    BSK  MOW    400
>>> print(flowmap.location_totals(table).loc["MOW"].to_dict())
{'incoming': 1300, 'outgoing': 0, 'net': 1300, 'internal': 0}
>>> import shutil; shutil.rmtree(folder)  # the example's temporary folder

``flow_map(..., m=your_map)`` and :class:`FlowLayer` draw the flows on a ``folium.Map`` of
your own; every error the library raises on purpose is a :class:`FlowmapError`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from flowmap.core.errors import (
    BoundaryFileError,
    BuildError,
    DataValidationError,
    FlowmapError,
    MissingExtraError,
)
from flowmap.core.version import __version__

if TYPE_CHECKING:
    from flowmap.engine.flows import location_totals, select
    from flowmap.io.tables import as_flows, as_places, read_flows, read_places, validate
    from flowmap.io.userdata import read_user_flows, read_user_places
    from flowmap.render.flowlayer import FlowLayer
    from flowmap.render.maps import flow_map, map_html, save_html
    from flowmap.render.options import Selection, Style, Wording
    from flowmap.render.usermap import load_user_data

#: Where each public name of the API lives. ``import flowmap`` loads none of these modules
#: (they import pandas, folium and Babel): :func:`__getattr__` imports a name's module when
#: the name is first used (PEP 562), so the command line and ``import flowmap`` start
#: quickly. tests/test_architecture.py reads this table as imports of the package.
LAZY: dict[str, str] = {
    "location_totals": "flowmap.engine.flows",
    "select": "flowmap.engine.flows",
    "as_flows": "flowmap.io.tables",
    "as_places": "flowmap.io.tables",
    "read_flows": "flowmap.io.tables",
    "read_places": "flowmap.io.tables",
    "validate": "flowmap.io.tables",
    "read_user_flows": "flowmap.io.userdata",
    "read_user_places": "flowmap.io.userdata",
    "FlowLayer": "flowmap.render.flowlayer",
    "flow_map": "flowmap.render.maps",
    "map_html": "flowmap.render.maps",
    "save_html": "flowmap.render.maps",
    "Selection": "flowmap.render.options",
    "Style": "flowmap.render.options",
    "Wording": "flowmap.render.options",
    "load_user_data": "flowmap.render.usermap",
}


def __getattr__(name: str) -> Any:
    """Return a public name of the API, importing its module on first use (PEP 562)."""
    module = LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'flowmap' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    """Return the module's names, the lazy ones included."""
    return sorted({*globals(), *LAZY})


__all__ = [
    "BoundaryFileError",
    "BuildError",
    "DataValidationError",
    "FlowLayer",
    "FlowmapError",
    "MissingExtraError",
    "Selection",
    "Style",
    "Wording",
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
