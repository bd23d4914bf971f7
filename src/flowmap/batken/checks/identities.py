"""The article's identities: net = arrivals − departures, male + female = total."""

from __future__ import annotations

import pandas as pd

from flowmap.batken.checks.finding import Finding, _op, _persons
from flowmap.batken.checks.values import Where
from flowmap.text.deferred import Signed, When
from flowmap.text.i18n import Term


def net_identities(figures: pd.DataFrame) -> list[Finding]:
    """Check net = arrivals − departures wherever one table or paragraph prints all three."""
    out: list[Finding] = []
    persons = _persons(figures)
    for key, group in persons.groupby(["ref", "period", "place", "counterpart", "sex", "age"]):
        by = {str(r["measure"]): r for _, r in group.iterrows()}
        if not {"net", "arrivals", "departures"} <= set(by):
            continue
        ref, period, place, counterpart, sex, age = (str(k) for k in key)
        arrivals, departures, net = (int(by[m]["value"]) for m in ("arrivals", "departures", "net"))
        ok = net == arrivals - departures
        out.append(
            Finding(
                f"net:{ref}:{period}:{place}~{counterpart}:{sex}:{age}",
                "identity",
                ok,
                f"{ref} {period}: net {net} {'=' if ok else '≠'} arrivals {arrivals} − "
                f"departures {departures} = {arrivals - departures}",
                "check.net",
                (
                    ("where", Where(ref, When.of(period))),
                    ("net", Signed(net)),
                    ("op", _op(ok)),
                    ("arrivals", Signed(arrivals)),
                    ("departures", Signed(departures)),
                    ("diff", Signed(arrivals - departures)),
                ),
            )
        )
    return out


def sex_sums(figures: pd.DataFrame) -> list[Finding]:
    """Check male + female = total wherever a table prints all three."""
    out: list[Finding] = []
    persons = _persons(figures)
    columns = ["ref", "measure", "period", "place", "counterpart", "age"]
    for key, group in persons.groupby(columns):
        by = {str(r["sex"]): int(r["value"]) for _, r in group.iterrows()}
        if not {"total", "male", "female"} <= set(by):
            continue
        ref, measure, period = (str(k) for k in key[:3])
        ok = by["male"] + by["female"] == by["total"]
        out.append(
            Finding(
                f"sex-sum:{ref}:{measure}:{period}",
                "identity",
                ok,
                f"{ref} {period} {measure}: male {by['male']} + female {by['female']} = "
                f"{by['male'] + by['female']} {'=' if ok else '≠'} total {by['total']}",
                "check.sex_sum",
                (
                    ("where", Where(ref, When.of(period))),
                    ("measure", Term(f"check.measure.{measure}")),
                    ("male", Signed(by["male"])),
                    ("female", Signed(by["female"])),
                    ("sum", Signed(by["male"] + by["female"])),
                    ("op", _op(ok)),
                    ("total", Signed(by["total"])),
                ),
            )
        )
    return out
