"""The report's notes, in every language: what the data cannot say and how the models
behave."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd
from babel.lists import format_list

from flowmap.batken import facts
from flowmap.batken.build import BuildSettings, internal_shares
from flowmap.batken.checks.values import Flow, _flow, _name
from flowmap.batken.data import load_populations
from flowmap.core.langs import LANGS
from flowmap.text import numbers
from flowmap.text.deferred import Deferred
from flowmap.text.i18n import Texts, t
from flowmap.text.places import sentence_name
from flowmap.text.ranges import figure_text


def model_notes(flows: pd.DataFrame, places: pd.DataFrame, base: Path) -> list[Texts]:
    """Return notes, in every language, on what the data cannot say and how the models behave."""
    notes: list[dict[str, str]] = []
    abroad = flows[
        (flows["origin"] == BuildSettings.focus)
        & (flows["period"] == str(facts.ARTICLE_PERIOD))
        & (flows["basis"] == "reported")
        & flows["destination"].isin(("RU", "UZ", "KZ", "TR", "US"))
    ]
    yearly = flows[
        (flows["destination"] == "ABROAD")
        & (flows["age"] == "all")
        & (flows["sex"] == "total")
        & (flows["basis"] == "reported")
    ]
    if not abroad.empty and not yearly.empty:
        total = int(abroad["count"].sum())
        notes.append(
            {
                lang: t(
                    "quality.note.coverage",
                    lang,
                    total=numbers.count(total, lang),
                    n=total,
                    per_year=numbers.count(round(total / 10), lang),
                    years=", ".join(
                        f"{numbers.period(str(r.period), lang)}: "
                        f"{numbers.count(int(r.count), lang)}"
                        for r in yearly.itertuples()
                    ),
                )
                for lang in LANGS
            }
        )
    populations = load_populations(base / "populations.csv", places).to_dict()
    settings = BuildSettings()
    shares = internal_shares(places, populations, settings)
    pure = internal_shares(
        places, populations, BuildSettings(gravity=replace(settings.gravity, named_share=None))
    )

    def split(parts: dict[str, float], lang: str) -> str:
        return ", ".join(
            t(
                "quality.note.split_part",
                lang,
                place=sentence_name(places, k, lang),
                share=numbers.percent(v, lang, 1),
            )
            for k, v in parts.items()
        )

    pure_named = sum(v for k, v in pure.items() if k in settings.gravity.named)
    named_share = settings.gravity.named_share or 0.0
    notes.append(
        {
            lang: t(
                "quality.note.model",
                lang,
                split=split(shares, lang),
                named=numbers.percent(named_share, lang),
                pure_split=split(pure, lang),
                pure_named=numbers.percent(pure_named, lang),
                params=model_parameters(settings, places, lang),
            )
            for lang in LANGS
        }
    )
    examples = _range_examples(flows, places)
    if examples:
        gravity = settings.gravity
        notes.append(
            {
                lang: t(
                    "quality.note.ranges",
                    lang,
                    share_low=numbers.percent(gravity.named_share_range[0], lang),
                    share_high=numbers.percent(gravity.named_share_range[1], lang),
                    exp_low=numbers.number(gravity.exponent_range[0], lang),
                    exp_high=numbers.number(gravity.exponent_range[1], lang),
                    factor=numbers.number(settings.abroad_odds_factor, lang),
                    examples="; ".join(example.text(lang) for example in examples),
                )
                for lang in LANGS
            }
        )
    notes.append({lang: t("quality.note.gaps", lang) for lang in LANGS})
    return [Texts(note) for note in notes]


@dataclass(frozen=True)
class RangeExample(Deferred):
    """A modelled flow with its range, for the notes: ``KG-B→KG-C, 2014–2023: 3,379
    (1,039–5,235)`` (the flow's ends named in Kyrgyz and Russian)."""

    flow: Flow
    period: str
    count: int
    low: Any
    high: Any

    def text(self, lang: str) -> str:
        """Return the example in ``lang``."""
        period = numbers.period(self.period, lang)
        value = figure_text(self.count, self.low, self.high, lang)
        return f"{self.flow.text(lang)}, {period}: {value}"


def _range_examples(flows: pd.DataFrame, places: pd.DataFrame) -> list[RangeExample]:
    """Return a modelled flow with its range: the 2014–2023 departures to Chüy oblast and the
    latest yearly departures to Russia, where the shipped flows have them."""
    modelled = flows[
        (flows["basis"] == "modelled")
        & (flows["sex"] == "total")
        & (flows["age"] == "all")
        & flows["low"].notna()
    ]
    chosen = [
        modelled[
            (modelled["destination"] == "KG-C") & (modelled["period"] == str(facts.ARTICLE_PERIOD))
        ],
        modelled[modelled["destination"] == "RU"].tail(1),
    ]
    rows = [frame.iloc[0] for frame in chosen if not frame.empty]
    return [
        RangeExample(
            _flow(places, f"{row['origin']}>{row['destination']}"),
            str(row["period"]),
            int(row["count"]),
            row["low"],
            row["high"],
        )
        for row in rows
    ]


def model_parameters(settings: BuildSettings, places: pd.DataFrame | None, lang: str) -> str:
    """Return the gravity model's parameters in words, in ``lang``: the exponents of the
    destination's population and of its distance, and the share the named destinations get
    together (see :class:`flowmap.batken.model.GravityParams`)."""
    gravity = settings.gravity
    named = [_name(places, p, lang) for p in gravity.named]
    return t(
        "check.model.params",
        lang,
        alpha=numbers.number(gravity.alpha, lang),
        beta=numbers.number(gravity.beta, lang),
        named=format_list(named, locale=lang),
        share=numbers.percent(gravity.named_share or 0.0, lang),
    )
