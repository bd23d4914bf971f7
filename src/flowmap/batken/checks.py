"""Data-quality checks: identities, agreement between tables and text, and the article's own
contradictions, each failing check matched to the documented resolution that explains it.

A check that fails and is named by a resolution in ``data/article/resolutions.csv`` is a
*resolved contradiction*; one that fails without a resolution, or a resolution that names a
check which passes (stale), makes :attr:`Report.ok` false and ``flowmap data check`` exit 1.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations
from pathlib import Path
from typing import Any

import pandas as pd
from babel.lists import format_list

from flowmap.batken.article import Article, load_article, resolved_figures, source_text, split_list
from flowmap.batken.build import BuildSettings, internal_shares, rendered_tables
from flowmap.batken.data import BASES, load_balances, load_flows, load_places, load_populations
from flowmap.core.errors import BuildError
from flowmap.core.langs import LANGS
from flowmap.core.paths import data_dir
from flowmap.text import numbers
from flowmap.text.i18n import Message, localise, t
from flowmap.text.period import Period
from flowmap.text.places import place_name
from flowmap.text.ranges import ends, figure_text


@dataclass(frozen=True)
class Term:
    """A word of a check's message that comes from the catalogue (``sex.male``)."""

    key: str

    def text(self, lang: str) -> str:
        """Return the word in ``lang``."""
        return t(self.key, lang)


@dataclass(frozen=True)
class Numerals:
    """Numbers as the data writes them (``"1590"``, ``"85.5"``), listed with commas."""

    values: tuple[str, ...]

    def text(self, lang: str) -> str:
        """Return the numbers as ``lang`` writes them."""
        return ", ".join(numbers.numeral(v, lang) for v in self.values)


@dataclass(frozen=True)
class Percent:
    """A percentage (``85.47`` for 85.47 %) shown with ``digits`` decimals."""

    value: Decimal
    digits: int

    def text(self, lang: str) -> str:
        """Return the percentage as ``lang`` writes it."""
        return numbers.percent(self.value / 100, lang, self.digits)


@dataclass(frozen=True)
class Ref:
    """Tables or paragraphs of the article (``"T1"``, ``"T1; T2"``): their ids in English,
    the labels readers use in Kyrgyz and Russian («1-таблица», «табл. 1»)."""

    refs: str

    def text(self, lang: str) -> str:
        """Return the references as readers of ``lang`` name them."""
        return self.refs if lang == "en" else source_text(self.refs, lang)


@dataclass(frozen=True)
class When:
    """Periods as the data writes them (``"2021"``, ``"2014-2023"``), listed with commas:
    as they are in English, in running text in Kyrgyz and Russian («2021-жыл», «2021 г.»)."""

    periods: tuple[str, ...]

    def text(self, lang: str) -> str:
        """Return the periods as ``lang`` writes them in a sentence."""
        if lang == "en":
            return ", ".join(self.periods)
        return ", ".join(numbers.period(p, lang) for p in self.periods)


def _when(*periods: object) -> When:
    """Return :class:`When` of the periods given."""
    return When(tuple(str(p) for p in periods))


@dataclass(frozen=True)
class Place:
    """A place: its id in English (the report's own language), its name in Kyrgyz and
    Russian (``names``, from the places table; the id when the table does not have it)."""

    id: str
    names: tuple[tuple[str, str], ...] = ()

    def text(self, lang: str) -> str:
        """Return the place as ``lang`` shows it."""
        return self.id if lang == "en" else dict(self.names).get(lang, self.id)


def _place(places: pd.DataFrame | None, place_id: str) -> Place:
    """Return :class:`Place` ``place_id`` with its names from ``places`` (if given)."""
    return Place(place_id, tuple((lang, _name(places, place_id, lang)) for lang in LANGS))


@dataclass(frozen=True)
class Flow:
    """The two ends of a flow: ``KG-B→RU`` in English, «Баткенская область → Россия» in
    Russian; with ``both`` (a net balance, both directions) ``KG-B↔RU``."""

    origin: Place
    destination: Place
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
class Where:
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
        where=Where(ref, _when(period)).text(lang),
        fig=fig,
    )


@dataclass(frozen=True)
class Cited:
    """Figures cited as ``value (ref period, fig_id)``, listed with commas."""

    figures: tuple[tuple[str, str, str, str], ...]

    def text(self, lang: str) -> str:
        """Return the citations with their values as ``lang`` writes them."""
        return ", ".join(_figure(*figure, lang) for figure in self.figures)


#: A value of a check's message: text shown as it is (ids), a whole number, a catalogue
#: :class:`~flowmap.text.i18n.Message`, or one of the localised parts above.
Part = str | int | Term | Numerals | Percent | Cited | Ref | When | Where | Place | Flow


@dataclass(frozen=True)
class Finding:
    """The outcome of one check.

    ``message`` is the English text; ``key`` and ``values`` give it in any language
    through the catalogue (:meth:`text`), numbers formatted by :mod:`flowmap.text.numbers`.
    """

    check: str
    kind: str
    ok: bool
    message: str
    key: str = ""
    values: tuple[tuple[str, Part], ...] = ()

    def text(self, lang: str = "en") -> str:
        """Return the message in ``lang`` (the English ``message`` itself in English)."""
        if lang == "en" or not self.key:
            return self.message
        return t(self.key, lang, **{name: _part(value, lang) for name, value in self.values})


def _part(value: Part, lang: str) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return numbers.signed(value, lang)
    if isinstance(value, str):
        return localise(value, lang)
    return value.text(lang)


def _op(ok: bool) -> str:
    return "=" if ok else "≠"


@dataclass(frozen=True)
class Fate:
    """What happened to one transcribed figure: shipped (as what, with which value) or not."""

    fig_id: str
    ref: str
    printed_period: str
    value: str
    read_as: str = ""
    kind: str = "none"
    shipped_as: str = ""
    shipped_value: str = ""
    basis: str = ""
    source: str = ""
    flow: Flow | None = None
    """The shipped flow's ends (``shipped_as`` says them with ids, for English)."""
    flow_period: str = ""
    """The shipped flow's period, as the data writes it."""

    def text(self, lang: str = "en") -> str:
        """Return the fate in words, in ``lang``."""
        figure = _figure(self.value, self.ref, self.printed_period, self.fig_id, lang)
        period = numbers.period(self.read_as, lang)
        flow, source = self.shipped_as, self.source
        if lang != "en":
            source = source_text(self.source, lang)
            if self.flow is not None:
                flow = f"{self.flow.text(lang)}, {numbers.period(self.flow_period, lang)}"
        moved = t("quality.fate.read_as", lang, period=period) if self.read_as else ""
        shipped = numbers.numeral(self.shipped_value, lang)
        if self.kind == "share":
            return t("quality.fate.share", lang, figure=figure, moved=moved)
        if not self.shipped_value:
            return t("quality.fate.not_shipped", lang, figure=figure)
        if self.kind == "net":
            return t("quality.fate.net", lang, figure=figure, moved=moved, value=shipped)
        return t(
            "quality.fate.flow",
            lang,
            figure=figure,
            moved=moved,
            flow=flow,
            value=shipped,
            basis=t(f"basis.{self.basis}", lang) if self.basis in BASES else self.basis,
            source=source,
        )


@dataclass(frozen=True)
class Contradiction:
    """A documented contradiction: the failing checks it explains, its rule and its outcome."""

    id: str
    title: dict[str, str]
    rule: dict[str, str]
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
    notes: list[dict[str, str]] = field(default_factory=list)

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


def summary_text(key: str, counts: Mapping[str, int], lang: str) -> str:
    """Return the one-line summary ``key`` (``cli.check.summary`` or
    ``app.quality.summary``) of check counts, numbers in the language's format."""
    return t(
        key,
        lang,
        n=counts["checks"],
        **{k: numbers.count(counts[k], lang) for k in ("checks", "passed", "resolved", "failed")},
    )


def _persons(figures: pd.DataFrame) -> pd.DataFrame:
    """Return the figures counted in persons that describe migration."""
    return figures[
        (figures["unit"] == "persons")
        & figures["measure"].isin(("arrivals", "departures", "net"))
        & (figures["counterpart"] != "")
    ]


def _ends(measure: str, place: str, counterpart: str) -> str:
    """Return ``origin>destination`` for flows and ``place~counterpart`` for a net."""
    if measure == "departures":
        return f"{place}>{counterpart}"
    if measure == "arrivals":
        return f"{counterpart}>{place}"
    return f"{place}~{counterpart}"


def _cited(row: pd.Series) -> tuple[str, str, str, str]:
    """Return a figure's value, ref, printed period and id, for :class:`Cited`."""
    return (str(row["value"]), str(row["ref"]), str(row["period"]), str(row["fig_id"]))


def _cite(row: pd.Series) -> str:
    """Return a figure as ``value (ref, printed period)``."""
    return f"{row['value']} ({row['ref']} {row['period']}, {row['fig_id']})"


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
                    ("where", Where(ref, _when(period))),
                    ("net", net),
                    ("op", _op(ok)),
                    ("arrivals", arrivals),
                    ("departures", departures),
                    ("diff", arrivals - departures),
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
                    ("where", Where(ref, _when(period))),
                    ("measure", Term(f"check.measure.{measure}")),
                    ("male", by["male"]),
                    ("female", by["female"]),
                    ("sum", by["male"] + by["female"]),
                    ("op", _op(ok)),
                    ("total", by["total"]),
                ),
            )
        )
    return out


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
                    ("where", Where(str(pct["ref"]), _when(pct["period"]))),
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
                    ("period", _when(period)),
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
                        ("where_a", Where(a, _when(*periods_a))),
                        ("where_b", Where(b, _when(*periods_b))),
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
                    ("printed", _when(printed)),
                    ("target", Ref(str(target))),
                    ("span", _when(span)),
                ),
            )
        )
    return out


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
                    ("period", _when(period)),
                    ("male", male),
                    ("female", female),
                    ("op", _op(ok)),
                    ("total", total),
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
                    ("period", _when(whole[2])),
                    ("sex", Term(f"sex.{whole[3]}")),
                    ("age", Term(f"age.{whole[4]}")),
                    ("sum", sum(counts)),
                    ("total", expected if expected is not None else Term("check.no_total")),
                ),
            )
        )
    return out


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
                    ("period", _when(whole[2])),
                    ("sex", Term(f"sex.{whole[3]}")),
                    ("age", Term(f"age.{whole[4]}")),
                    ("low", low),
                    ("high", high),
                    ("bad", bad),
                    ("total", total if total is not None else Term("check.no_total")),
                ),
            )
        )
    return out


def build_is_current(folder: Path) -> list[Finding]:
    """Check that the committed flows.csv and balances.csv equal a fresh build."""
    out: list[Finding] = []
    try:
        tables = rendered_tables(folder)
    except BuildError as exc:
        return [
            Finding(
                "build",
                "build",
                False,
                f"the tables cannot be rebuilt: {exc}",
                "check.build.failed",
                (("error", _error(exc)),),
            )
        ]
    for path, text in tables.items():
        ok = path.exists() and path.read_text(encoding="utf-8") == text
        out.append(
            Finding(
                f"build:{path.name}",
                "build",
                ok,
                f"{path.name} {'equals' if ok else 'differs from'} a fresh build "
                "(run `flowmap data build` after changing the transcription or the model)",
                "check.build.same" if ok else "check.build.differs",
                (("file", path.name),),
            )
        )
    return out


def _error(exc: BuildError) -> str:
    """Return the error's message: a catalogue :class:`~flowmap.text.i18n.Message` when it is
    one (shown in the report's language), else its English text."""
    first = exc.args[0] if exc.args else None
    return first if isinstance(first, Message) else str(exc)


def _fate(
    row: pd.Series,
    resolved: pd.DataFrame,
    flows: pd.DataFrame,
    nets: pd.DataFrame,
    places: pd.DataFrame | None = None,
) -> Fate:
    """Return what happened to one transcribed figure: where it is shipped, or that it is not.

    ``places`` gives the names of a shipped flow's ends in Kyrgyz and Russian.
    """
    fate = Fate(str(row["fig_id"]), str(row["ref"]), str(row["period"]), str(row["value"]))
    if row["fig_id"] not in resolved.index:
        return fate
    now = resolved.loc[row["fig_id"]]
    period = str(Period.parse(str(now["period"])))
    if now["period"] != row["period"]:
        fate = replace(fate, read_as=period)
    if row["unit"] != "persons":
        return replace(fate, kind="share")
    if row["measure"] == "net":
        match = nets[
            (nets["place"] == row["place"])
            & (nets["counterpart"] == row["counterpart"])
            & (nets["period"] == period)
            & (nets["sex"] == row["sex"])
            & (nets["age"] == row["age"])
        ]
        if match.empty:
            return fate
        return replace(fate, kind="net", shipped_value=str(match.iloc[0]["net"]))
    origin, destination = _ends(str(row["measure"]), row["place"], row["counterpart"]).split(">")
    match = flows[
        (flows["origin"] == origin)
        & (flows["destination"] == destination)
        & (flows["period"] == period)
        & (flows["sex"] == row["sex"])
        & (flows["age"] == row["age"])
    ]
    if match.empty:
        return fate
    shipped = match.iloc[0]
    return replace(
        fate,
        kind="flow",
        shipped_as=f"{origin}→{destination} {period}",
        shipped_value=str(shipped["count"]),
        basis=str(shipped["basis"]),
        source=str(shipped["source_ref"]),
        flow=_flow(places, f"{origin}>{destination}"),
        flow_period=period,
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
        titles = {lang: _localised(res, "title", lang) for lang in LANGS}
        rules = {lang: _localised(res, "rule", lang) for lang in LANGS}
        if res.action == "note":
            report.notes.append(
                {
                    lang: t(
                        "quality.note.resolution",
                        lang,
                        id=res.id,
                        title=titles[lang],
                        rule=rules[lang],
                    )
                    for lang in LANGS
                }
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


def _localised(res: Any, column: str, lang: str) -> str:
    """Return a resolution's ``title`` or ``rule`` in ``lang`` (English has no suffix)."""
    return str(getattr(res, column if lang == "en" else f"{column}_{lang}"))


def model_notes(flows: pd.DataFrame, places: pd.DataFrame, base: Path) -> list[dict[str, str]]:
    """Return notes, in every language, on what the data cannot say and how the models behave."""
    notes: list[dict[str, str]] = []
    abroad = flows[
        (flows["origin"] == BuildSettings.focus)
        & (flows["period"] == "2014-2023")
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
            f"{_name(places, k, lang)} {numbers.percent(v, lang, 1)}" for k, v in parts.items()
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
                    examples="; ".join(example(lang) for example in examples),
                )
                for lang in LANGS
            }
        )
    notes.append({lang: t("quality.note.gaps", lang) for lang in LANGS})
    return notes


def _range_examples(flows: pd.DataFrame, places: pd.DataFrame) -> list[Any]:
    """Return functions giving, in a language, a modelled flow with its range: the
    2014–2023 departures to Chüy oblast and the latest yearly departures to Russia, where the
    shipped flows have them."""
    modelled = flows[
        (flows["basis"] == "modelled")
        & (flows["sex"] == "total")
        & (flows["age"] == "all")
        & flows["low"].notna()
    ]
    chosen = [
        modelled[(modelled["destination"] == "KG-C") & (modelled["period"] == "2014-2023")],
        modelled[modelled["destination"] == "RU"].tail(1),
    ]
    rows = [frame.iloc[0] for frame in chosen if not frame.empty]

    def example(row: pd.Series) -> Any:
        def text(lang: str) -> str:
            flow = _flow(places, f"{row['origin']}>{row['destination']}").text(lang)
            period = numbers.period(str(row["period"]), lang)
            value = figure_text(int(row["count"]), row["low"], row["high"], lang)
            return f"{flow}, {period}: {value}"

        return text

    return [example(row) for row in rows]


def _name(places: pd.DataFrame | None, place_id: str, lang: str) -> str:
    """Return the name of ``place_id`` in ``lang`` (in English too), or the id when
    ``places`` does not have it."""
    if places is None or place_id not in places.index:
        return place_id
    return place_name(places, place_id, lang)


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


def report_json(report: Report, lang: str = "en") -> dict[str, object]:
    """Return the report as plain JSON-ready data, its texts in ``lang``."""
    return {
        "ok": report.ok,
        "counts": dict(report.counts()),
        "contradictions": [
            {
                "id": c.id,
                "title": c.title[lang],
                "rule": c.rule[lang],
                "checks": [{"check": f.check, "message": f.text(lang)} for f in c.findings],
                "values": [v.text(lang) for v in c.values],
                "shipped": [
                    {"figure": v.fig_id, "as": v.shipped_as or v.kind, "value": v.shipped_value}
                    for v in c.shipped
                ],
            }
            for c in report.contradictions
        ],
        "failures": [{"check": f.check, "message": f.text(lang)} for f in report.failures],
        "notes": [note[lang] for note in report.notes],
        "checks": [
            {"check": f.check, "kind": f.kind, "ok": f.ok, "message": f.text(lang)}
            for f in report.findings
        ],
    }
