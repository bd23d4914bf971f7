"""The report of ``flowmap data check``: every check run, each failing one matched to the
documented resolution that explains it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from flowmap.batken.article import load_article, resolution_text, resolved_figures, split_list
from flowmap.batken.checks.agreement import agreement, printed_periods, repeats
from flowmap.batken.checks.fates import Fate, _fate
from flowmap.batken.checks.finding import Finding, _ends, _persons
from flowmap.batken.checks.identities import net_identities, sex_sums
from flowmap.batken.checks.notes import model_notes
from flowmap.batken.checks.percentages import percentages
from flowmap.batken.checks.rebuild import build_is_current
from flowmap.batken.checks.sums import flow_identities
from flowmap.batken.data import load_balances, load_flows, load_places
from flowmap.core.langs import LANGS
from flowmap.core.paths import data_dir
from flowmap.text.i18n import Texts, t


@dataclass(frozen=True)
class Contradiction:
    """A documented contradiction: the failing checks it explains, its rule and its outcome."""

    id: str
    title: Texts
    rule: Texts
    findings: tuple[Finding, ...]
    values: tuple[Fate, ...]

    @property
    def shipped(self) -> tuple[Fate, ...]:
        """Return the figures that are shipped (as a flow or a net)."""
        return tuple(v for v in self.values if v.shipped_value)


@dataclass
class Report:
    """Everything ``flowmap data check`` prints."""

    findings: list[Finding] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)
    failures: list[Finding] = field(default_factory=list)
    notes: list[Texts] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return True when every failing check is a documented, resolved contradiction."""
        return not self.failures

    def counts(self) -> Counter[str]:
        """Return how many checks passed, were resolved, and failed."""
        return Counter(
            {
                "checks": len(self.findings),
                "passed": sum(f.ok for f in self.findings),
                "resolved": sum(len(c.findings) for c in self.contradictions),
                "failed": len(self.failures),
            }
        )


def _figures_of(finding: Finding, figures: pd.DataFrame) -> list[str]:
    """Return the ids of the figures a failing check looked at."""
    kind, _, rest = finding.check.partition(":")
    if kind == "repeat":
        refs = rest.split("=")
        return list(figures[figures["ref"].isin(refs)]["fig_id"])
    if kind == "agree":
        measure, period, ends, sex, age = rest.split(":")
        out = []
        for _, row in _persons(figures).iterrows():
            if (
                row["measure"] == measure
                and row["period"] == period
                and _ends(measure, row["place"], row["counterpart"]) == ends
                and row["sex"] == sex
                and row["age"] == age
            ):
                out.append(str(row["fig_id"]))
        return out
    if kind == "net":
        ref, period, ends, sex, age = rest.split(":")
        place, counterpart = ends.split("~")
        rows = _persons(figures)
        pick = rows[
            (rows["ref"] == ref)
            & (rows["period"] == period)
            & (rows["place"] == place)
            & (rows["counterpart"] == counterpart)
            & (rows["sex"] == sex)
            & (rows["age"] == age)
        ]
        return list(pick["fig_id"])
    return []


def _unique(items: Iterable[str]) -> list[str]:
    """Return items without repeats, in first-seen order."""
    return list(dict.fromkeys(items))


def run_checks(folder: Path | str | None = None) -> Report:
    """Return the data-quality report for the data in ``folder`` (``data/`` by default)."""
    base = Path(folder) if folder is not None else data_dir()
    article = load_article(base / "article")
    places = load_places(base / "places.csv")
    flows = load_flows(base / "flows.csv", places)
    balances = load_balances(base / "balances.csv")
    figures = article.figures
    report = Report()
    report.findings = [
        *net_identities(figures),
        *sex_sums(figures),
        *percentages(figures),
        *agreement(figures, places),
        *repeats(figures),
        *printed_periods(article),
        *flow_identities(flows, places),
        *build_is_current(base),
    ]
    failing = {f.check: f for f in report.findings if not f.ok}
    explained: set[str] = set()
    resolved = resolved_figures(article)
    for res in article.resolutions.itertuples():
        titles = Texts({lang: resolution_text(res, "title", lang) for lang in LANGS})
        rules = Texts({lang: resolution_text(res, "rule", lang) for lang in LANGS})
        if res.action == "note":
            report.notes.append(
                Texts(
                    {
                        lang: t(
                            "quality.note.resolution",
                            lang,
                            id=res.id,
                            title=titles.text(lang),
                            rule=rules.text(lang),
                        )
                        for lang in LANGS
                    }
                )
            )
            continue
        names = split_list(res.checks)
        stale = [c for c in names if c not in failing]
        for name in stale:
            report.failures.append(
                Finding(
                    name,
                    "resolution",
                    False,
                    f"resolution {res.id} names check {name!r}, which passes or does not exist: "
                    "update data/article/resolutions.csv",
                    "check.stale",
                    (("id", str(res.id)), ("check", name)),
                )
            )
        found = tuple(failing[c] for c in names if c in failing)
        explained.update(f.check for f in found)
        involved = _unique(
            [*split_list(res.figures), *(fig for f in found for fig in _figures_of(f, figures))]
        )
        values = tuple(
            _fate(figures.loc[fig], resolved, flows, balances, places) for fig in involved
        )
        report.contradictions.append(
            Contradiction(
                id=res.id,
                title=titles,
                rule=rules,
                findings=found,
                values=values,
            )
        )
    report.failures.extend(f for name, f in failing.items() if name not in explained)
    report.notes.extend(model_notes(flows, places, base))
    return report
