"""The Batken page's state: every widget's value set from the URL on a new session (or
the defaults), and the view the widgets choose."""

from __future__ import annotations

import streamlit as st

from flowmap.app import view
from flowmap.batken import facts


def start_from_url() -> None:
    """On a new session, set every widget from the URL query string (or the defaults).

    Later, after a visit to "Your data" (where Streamlit forgets the Batken widgets), put
    back the defaults of any widget that is gone."""
    started = "started" in st.session_state
    state = view.state_from_query({} if started else st.query_params.to_dict())
    values = {
        "started": True,
        "lang": state.lang,
        "when": "year" if state.year is not None else "period",
        "year": state.year if state.year is not None else facts.DEFAULT_YEAR,
        "period": state.period or view.PERIODS[0],
        "dest": list(state.dest),
        "direction": state.direction,
        "sex": state.sex,
        "basis": state.basis,
        "border": state.border,
        "basemap": "tiles" if state.tiles else "offline",
        "palette": state.palette,
        "theme": state.theme,
        "compare_on": state.compare is not None,
        "compare_first": state.compare[0] if state.compare else view.COMPARE_DEFAULT[0],
        "compare_second": state.compare[1] if state.compare else view.COMPARE_DEFAULT[1],
        "url_notes": list(state.notes),
    }
    for key, value in values.items():
        if not started or key not in st.session_state:
            st.session_state[key] = value


def current_state() -> view.ViewState:
    """Return the view chosen with the widgets."""
    s = st.session_state
    return view.ViewState(
        lang=s.lang,
        year=s.year if s.when == "year" else None,
        period=s.period if s.when == "period" else None,
        dest=tuple(d for d in view.DESTINATIONS if d in s.dest),
        direction=s.direction,
        sex=s.sex,
        basis=s.basis,
        border=s.border,
        tiles=s.basemap == "tiles",
        palette=s.palette,
        theme=s.theme,
        compare=(s.compare_first, s.compare_second) if s.compare_on else None,
    )
