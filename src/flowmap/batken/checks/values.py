"""The Batken data checks' own deferred texts: the article's tables and paragraphs, the two
ends of a flow, where figures are printed, and cited figures, each said in any language when
shown (:class:`flowmap.text.deferred.Deferred`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from flowmap.batken.article import source_text
from flowmap.core.langs import LANGS
from flowmap.text import numbers
from flowmap.text.deferred import Deferred, When
from flowmap.text.i18n import Texts, t
from flowmap.text.places import place_name


@dataclass(frozen=True)
class Ref(Deferred):
    """Tables or paragraphs of the article (``"T1"``, ``"T1; T2"``): their ids in English,
    the labels readers use in Kyrgyz and Russian («1-таблица», «табл. 1»)."""

    refs: str

    def text(self, lang: str) -> str:
        """Return the references as readers of ``lang`` name them."""
        return self.refs if lang == "en" else source_text(self.refs, lang)


def _place(places: pd.DataFrame | None, place_id: str) -> Texts:
    """Return a place: its id in English (the report's own language), its name in Kyrgyz
    and Russian (from ``places``; the id when the table does not have it)."""
    names = {lang: _name(places, place_id, lang) for lang in LANGS if lang != "en"}
    return Texts({"en": place_id, **names})


@dataclass(frozen=True)
class Flow(Deferred):
    """The two ends of a flow: ``KG-B→RU`` in English, «Баткенская область → Россия» in
    Russian; with ``both`` (a net balance, both directions) ``KG-B↔RU``."""

    origin: Texts
    destination: Texts
    both: bool = False

    def text(self, lang: str) -> str:
        """Return the flow as ``lang`` shows it."""
        arrow = "↔" if self.both else "→"
        sep = arrow if lang == "en" else f" {arrow} "
        return self.origin.text(lang) + sep + self.destination.text(lang)


def _flow(places: pd.DataFrame | None, ends: str) -> Flow:
    """Return :class:`Flow` of ``ends`` as :func:`_ends` writes them (``origin>destination``
    or ``place~counterpart``)."""
    origin, sep, destination = ends.partition(">")
    if not sep:
        origin, _, destination = ends.partition("~")
    return Flow(_place(places, origin), _place(places, destination), both=not sep)


@dataclass(frozen=True)
class Where(Deferred):
    """Where figures are printed: a reference and the periods printed with them.

    ``T1 2021`` in English; «табл. 1, 2021 г.» in Russian, or the label alone when it names
    the year itself («абзац о внешней миграции, 2013 г.»).
    """

    ref: str
    periods: When

    def text(self, lang: str) -> str:
        """Return the place in the article as ``lang`` names it."""
        when = self.periods.text(lang)
        if lang == "en":
            return f"{self.ref} {when}"
        label = Ref(self.ref).text(lang)
        named = when.replace("\u00a0", " ") in label.replace("\u00a0", " ")
        return label if named else f"{label}, {when}"


def _figure(value: str, ref: str, period: str, fig: str, lang: str) -> str:
    """Return one cited figure: ``261 (T1 2021, T1-arr-2021)``, «261 (табл. 1, 2021 г.;
    T1-arr-2021)»: its value, where and under which year it is printed, and its id."""
    return t(
        "check.cited",
        lang,
        value=numbers.numeral(value, lang),
        where=Where(ref, When.of(period)).text(lang),
        fig=fig,
    )


@dataclass(frozen=True)
class Cited(Deferred):
    """Figures cited as ``value (ref period, fig_id)``, listed with commas."""

    figures: tuple[tuple[str, str, str, str], ...]

    def text(self, lang: str) -> str:
        """Return the citations with their values as ``lang`` writes them."""
        return ", ".join(_figure(*figure, lang) for figure in self.figures)


def _name(places: pd.DataFrame | None, place_id: str, lang: str) -> str:
    """Return the name of ``place_id`` in ``lang`` (in English too), or the id when
    ``places`` does not have it."""
    if places is None or place_id not in places.index:
        return place_id
    return place_name(places, place_id, lang)
