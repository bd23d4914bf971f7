"""The article's percentages, checked against the counts they are shares of."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from flowmap.batken.checks.finding import Finding, _op
from flowmap.batken.checks.values import Where
from flowmap.text.deferred import Numerals, Percent, When


def percentages(figures: pd.DataFrame) -> list[Finding]:
    """Check each printed percentage against the counts it is a share of.

    The share is rounded half-up to as many decimals as the article prints.
    """
    out: list[Finding] = []
    counts = figures[figures["unit"] == "persons"]
    for _, pct in figures[figures["unit"] == "percent"].iterrows():
        same = counts[
            (counts["ref"] == pct["ref"])
            & (counts["period"] == pct["period"])
            & (counts["measure"] == pct["measure"])
            & (counts["counterpart"] == pct["counterpart"])
            & (counts["sex"] == pct["sex"])
        ]
        part = same[same["age"] == pct["age"]]
        whole = same[same["age"] == "all"]
        printed = Decimal(str(pct["value"]))
        if part.empty or whole.empty:
            out.append(
                Finding(
                    f"pct:{pct['fig_id']}",
                    "percentage",
                    False,
                    "no counts to check against",
                    "check.pct.none",
                )
            )
            continue
        share = Decimal(int(part.iloc[0]["value"]) * 100) / Decimal(int(whole.iloc[0]["value"]))
        exponent = Decimal(1).scaleb(printed.as_tuple().exponent)  # type: ignore[arg-type]
        rounded = share.quantize(exponent, rounding=ROUND_HALF_UP)
        digits = max(0, -int(printed.as_tuple().exponent))
        ok = rounded == printed
        out.append(
            Finding(
                f"pct:{pct['fig_id']}",
                "percentage",
                ok,
                f"{pct['ref']} {pct['period']}: {part.iloc[0]['value']} / "
                f"{whole.iloc[0]['value']} = {share:.2f}% → {rounded}% "
                f"{'=' if ok else '≠'} printed {printed}%",
                "check.pct",
                (
                    ("where", Where(str(pct["ref"]), When.of(pct["period"]))),
                    ("part", Numerals((str(part.iloc[0]["value"]),))),
                    ("whole", Numerals((str(whole.iloc[0]["value"]),))),
                    ("share", Percent(share, 2)),
                    ("rounded", Percent(rounded, digits)),
                    ("op", _op(ok)),
                    ("printed", Percent(printed, digits)),
                ),
            )
        )
    return out
