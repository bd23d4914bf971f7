"""The shipped flows add up: male + female = total, and modelled parts add up to the
reported whole they split (each within its range: :mod:`flowmap.batken.checks.ranges`)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd

from flowmap.batken.checks.finding import Finding, _op
from flowmap.batken.checks.ranges import _range_findings
from flowmap.batken.checks.values import _flow
from flowmap.text.deferred import Signed, When
from flowmap.text.i18n import Term


def flow_identities(flows: pd.DataFrame, places: pd.DataFrame) -> list[Finding]:
    """Check the shipped flows: male + female = total, and modelled parts add up to the whole.

    A modelled flow's whole is the flow between the same focus place and the parent
    aggregate of its other end (Osh city's parent is "other oblasts", Russia's "abroad").
    """
    out: list[Finding] = []
    index = {
        (r.origin, r.destination, r.period, r.sex, r.age): int(r.count)
        for r in flows.itertuples(index=False)
    }
    for (origin, destination, period, sex, age), total in index.items():
        if sex != "total":
            continue
        male = index.get((origin, destination, period, "male", age))
        female = index.get((origin, destination, period, "female", age))
        if male is None or female is None:
            continue
        ok = male + female == total
        out.append(
            Finding(
                f"flows-sex-sum:{origin}>{destination}:{period}:{age}",
                "identity",
                ok,
                f"flows {origin}→{destination} {period}: male {male} + female {female} "
                f"{'=' if ok else '≠'} total {total}",
                "check.flows_sex_sum",
                (
                    ("flow", _flow(places, f"{origin}>{destination}")),
                    ("period", When.of(period)),
                    ("male", Signed(male)),
                    ("female", Signed(female)),
                    ("op", _op(ok)),
                    ("total", Signed(total)),
                ),
            )
        )
    parts: dict[tuple[str, str, str, str, str], list[int]] = defaultdict(list)
    ranges: dict[tuple[str, str, str, str, str], list[tuple[int, Any, Any]]] = defaultdict(list)
    for row in flows[flows["basis"] == "modelled"].itertuples(index=False):
        origin_parent = str(places.at[row.origin, "parent"])
        destination_parent = str(places.at[row.destination, "parent"])
        if (
            places.at[row.origin, "kind"] != "aggregate"
            and (
                row.origin,
                destination_parent,
                row.period,
                row.sex,
                row.age,
            )
            in index
        ):
            whole = (row.origin, destination_parent, row.period, row.sex, row.age)
        else:
            whole = (origin_parent, row.destination, row.period, row.sex, row.age)
        parts[whole].append(int(row.count))
        ranges[whole].append(
            (int(row.count), getattr(row, "low", None), getattr(row, "high", None))
        )
    out.extend(_range_findings(ranges, index, places))
    for whole, counts in parts.items():
        expected = index.get(whole)
        ok = expected is not None and sum(counts) == expected
        out.append(
            Finding(
                f"conservation:{whole[0]}>{whole[1]}:{whole[2]}:{whole[3]}:{whole[4]}",
                "model",
                ok,
                f"modelled parts of {whole[0]}→{whole[1]} {whole[2]} ({whole[3]}, {whole[4]} "
                f"ages) add up to {sum(counts)}; the total is {expected}",
                "check.conservation",
                (
                    ("flow", _flow(places, f"{whole[0]}>{whole[1]}")),
                    ("period", When.of(whole[2])),
                    ("sex", Term(f"sex.{whole[3]}")),
                    ("age", Term(f"age.{whole[4]}")),
                    ("sum", Signed(sum(counts))),
                    ("total", Signed(expected) if expected is not None else Term("check.no_total")),
                ),
            )
        )
    return out
