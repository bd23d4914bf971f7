"""Agreement within the article: a figure printed twice says the same, no paragraph repeats
another's numbers under other years, and captions name the years their figures cover."""

from __future__ import annotations

from itertools import combinations

import pandas as pd

from flowmap.batken.article import Article
from flowmap.batken.checks.finding import Finding, _cite, _cited, _ends, _persons
from flowmap.batken.checks.values import Cited, Ref, Where, _flow
from flowmap.text.deferred import Numerals, When
from flowmap.text.i18n import Term
from flowmap.text.period import Period


def agreement(figures: pd.DataFrame, places: pd.DataFrame | None = None) -> list[Finding]:
    """Check that every figure printed more than once (same year, measure, sex, age) agrees.

    ``places`` (the places table) gives the names of the flow's ends in Kyrgyz and
    Russian; without it the ids are shown.
    """
    out: list[Finding] = []
    persons = _persons(figures)
    columns = ["measure", "period", "place", "counterpart", "sex", "age"]
    for key, group in persons.groupby(columns):
        if len(group) < 2:
            continue
        measure, period, place, counterpart, sex, age = (str(k) for k in key)
        values = {int(v) for v in group["value"]}
        ok = len(values) == 1
        cited = ", ".join(_cite(r) for _, r in group.iterrows())
        ends = _ends(measure, place, counterpart)
        out.append(
            Finding(
                f"agree:{measure}:{period}:{ends}:{sex}:{age}",
                "agreement",
                ok,
                f"{measure} {_flow(None, ends).text('en')} {period} ({sex}, {age} ages): "
                f"{'all agree' if ok else 'differ'}: {cited}",
                "check.agree.same" if ok else "check.agree.differ",
                (
                    ("measure", Term(f"check.measure.{measure}")),
                    ("flow", _flow(places, ends)),
                    ("period", When.of(period)),
                    ("sex", Term(f"sex.{sex}")),
                    ("age", Term(f"age.{age}")),
                    ("cited", Cited(tuple(_cited(r) for _, r in group.iterrows()))),
                ),
            )
        )
    return out


def repeats(figures: pd.DataFrame) -> list[Finding]:
    """Flag paragraphs that print the same set of numbers under different years."""
    out: list[Finding] = []
    numeric = figures[figures["unit"].isin(("persons", "percent"))]
    sets = {
        str(ref): (sorted(group["value"].map(str)), sorted(set(group["period"])))
        for ref, group in numeric.groupby("ref")
    }
    for a, b in combinations(sorted(sets), 2):
        (values_a, periods_a), (values_b, periods_b) = sets[a], sets[b]
        if len(values_a) >= 2 and values_a == values_b and periods_a != periods_b:
            out.append(
                Finding(
                    f"repeat:{a}={b}",
                    "label",
                    False,
                    f"{a} (printed {', '.join(periods_a)}) and {b} (printed "
                    f"{', '.join(periods_b)}) print the same numbers: {', '.join(values_a)}",
                    "check.repeat",
                    (
                        ("where_a", Where(a, When.of(*periods_a))),
                        ("where_b", Where(b, When.of(*periods_b))),
                        ("values", Numerals(tuple(values_a))),
                    ),
                )
            )
    return out


def printed_periods(article: Article) -> list[Finding]:
    """Check that the years a table's caption names are the years of its rows or columns."""
    out: list[Finding] = []
    figures = article.figures
    for ref in article.references.itertuples():
        if not ref.period_printed:
            continue
        target = ref.describes or ref.ref
        rows = figures[figures["ref"] == target]
        if rows.empty:
            continue
        periods = [Period.parse(p) for p in rows["period"]]
        span = Period(min(p.start for p in periods), max(p.end for p in periods))
        printed = Period.parse(ref.period_printed)
        ok = printed == span
        out.append(
            Finding(
                f"period:{ref.ref}",
                "label",
                ok,
                f"{ref.ref} names {printed.label()}; the figures of {target} cover {span.label()}",
                "check.period",
                (
                    ("ref", Ref(str(ref.ref))),
                    ("printed", When.of(printed)),
                    ("target", Ref(str(target))),
                    ("span", When.of(span)),
                ),
            )
        )
    return out
