"""The modelled figures' ranges: each holds its figure, and together they bracket the total."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from flowmap.batken.checks.finding import Finding
from flowmap.batken.checks.values import _flow
from flowmap.text.deferred import Signed, When
from flowmap.text.i18n import Term
from flowmap.text.ranges import ends


def _range_findings(
    groups: Mapping[tuple[str, str, str, str, str], Sequence[tuple[int, Any, Any]]],
    index: Mapping[tuple[str, str, str, str, str], int],
    places: pd.DataFrame,
) -> list[Finding]:
    """Return one ``range`` finding per reported total split by a model: every part has a
    range holding its figure, and the total lies between the sums of the parts' low and
    high ends (each end of a part comes from the setting that moves it most, so the sums
    bracket the total; within any one setting the parts add up to it exactly)."""
    out: list[Finding] = []
    for whole, rows in groups.items():
        total = index.get(whole)
        pairs = [(count, ends(low, high)) for count, low, high in rows]
        bad = sum(pair is None or not pair[0] <= count <= pair[1] for count, pair in pairs)
        low = sum(pair[0] for _, pair in pairs if pair is not None)
        high = sum(pair[1] for _, pair in pairs if pair is not None)
        ok = not bad and total is not None and low <= total <= high
        where = f"modelled parts of {whole[0]}→{whole[1]} {whole[2]} ({whole[3]}, {whole[4]} ages)"
        message = (
            f"{where}: each within its range; the low ends add up to {low}, the high ends to "
            f"{high}, around the total {total}"
            if not bad
            else f"{where}: {bad} without a range or outside it; the low ends add up to {low}, "
            f"the high ends to {high}; the total is {total}"
        )
        out.append(
            Finding(
                f"range:{whole[0]}>{whole[1]}:{whole[2]}:{whole[3]}:{whole[4]}",
                "range",
                ok,
                message,
                "check.range.bad" if bad else "check.range",
                (
                    ("flow", _flow(places, f"{whole[0]}>{whole[1]}")),
                    ("period", When.of(whole[2])),
                    ("sex", Term(f"sex.{whole[3]}")),
                    ("age", Term(f"age.{whole[4]}")),
                    ("low", Signed(low)),
                    ("high", Signed(high)),
                    ("bad", Signed(bad)),
                    ("total", Signed(total) if total is not None else Term("check.no_total")),
                ),
            )
        )
    return out
