"""The data-quality checks: identities, agreement, contradictions and their resolutions."""

from __future__ import annotations

import csv
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from flowmap.batken.article import load_article
from flowmap.batken.checks import (
    Report,
    agreement,
    net_identities,
    percentages,
    printed_periods,
    repeats,
    report_json,
    run_checks,
    sex_sums,
)
from flowmap.batken.data import load_places


@pytest.fixture(scope="module")
def shipped_report() -> Report:
    """The checks of the shipped data, run once for the tests that only read the report."""
    return run_checks()


def _failing(findings: list) -> set[str]:  # type: ignore[type-arg]
    return {f.check for f in findings if not f.ok}


def test_net_identity_holds_every_year_but_2021() -> None:
    findings = net_identities(load_article().figures)
    assert len(findings) == 12  # Table 1, 2013-2023, and the 2013 external paragraph
    assert _failing(findings) == {"net:T1:2021:KG-B~KG-OTHER:total:all"}


def test_male_plus_female_is_total_in_table_2() -> None:
    findings = sex_sums(load_article().figures)
    assert len(findings) == 14
    assert _failing(findings) == set()


def test_percentages_match_their_counts() -> None:
    findings = {f.check: f for f in percentages(load_article().figures)}
    assert len(findings) == 4
    assert all(f.ok for f in findings.values())
    assert "141 / 165 = 85.45% → 85.5%" in findings["pct:PE24-arr-wa-pct"].message
    assert "1519 / 1650 = 92.06% → 92%" in findings["pct:PE24-dep-wa-pct"].message


def test_tables_and_text_agree_except_the_known_contradictions() -> None:
    findings = agreement(load_article().figures)
    assert _failing(findings) == {
        "agree:arrivals:2021:KG-OTHER>KG-B:total:all",
        "agree:arrivals:2018:KG-OTHER>KG-B:total:all",
        "agree:departures:2018:KG-B>KG-OTHER:total:all",
        "agree:departures:2013:KG-B>ABROAD:total:all",
        "agree:arrivals:2013:ABROAD>KG-B:total:all",
    }
    # Table 1 and Table 2 agree in 11 of their 14 shared cells: all but 2018 (where a
    # mislabelled paragraph joins in) and 2021 arrivals.
    t1_t2 = [f for f in findings if f.ok and "T2" in f.message and "T1" in f.message]
    assert len(t1_t2) == 11


def test_repeated_paragraphs_under_other_years_are_found() -> None:
    assert _failing(repeats(load_article().figures)) == {
        "repeat:P-INT-2018=P-INT-2023",
        "repeat:P-EXT-2018=P-EXT-2024",
        "repeat:P-EXT-2013B=P-EXT-2023",
    }


def test_table_2_caption_names_other_years_than_its_rows() -> None:
    findings = {f.check: f for f in printed_periods(load_article())}
    assert not findings["period:T2-CAPTION"].ok
    assert "2014–2024" in findings["period:T2-CAPTION"].message
    assert "2017–2023" in findings["period:T2-CAPTION"].message
    assert findings["period:T1"].ok
    assert findings["period:T2"].ok


def test_shipped_data_passes_with_every_contradiction_documented(shipped_report: Report) -> None:
    report = shipped_report
    assert report.ok, report.failures
    assert [c.id for c in report.contradictions] == ["C1", "C2", "C3", "C4", "C5"]
    c1 = report.contradictions[0]
    values = "\n".join(v.text("en") for v in c1.values)
    assert "261 (T1 2021, T1-arr-2021): not shipped" in values
    assert "561 (T2 2021, T2-arr-total-2021): shipped KG-OTHER→KG-B 2021 = 561" in values
    assert "Keep 561" in c1.rule.text("en")
    assert "561 колдонулат" in c1.rule.text("ky")
    assert "Берётся 561" in c1.rule.text("ru")
    shipped = {(v.fig_id, v.shipped_value) for v in c1.shipped}
    assert shipped == {
        ("T2-arr-total-2021", "561"),
        ("T1-dep-2021", "1578"),
        ("T1-net-2021", "-1017"),
    }
    ky = "\n".join(v.text("ky") for v in c1.values)
    assert "261 (1-таблица, 2021-жыл; T1-arr-2021): колдонулбайт" in ky
    assert any("net -1017" in f.message for f in c1.findings)


def test_model_conservation_is_checked_on_the_shipped_flows(shipped_report: Report) -> None:
    report = shipped_report
    conservation = [f for f in report.findings if f.kind == "model"]
    # 11 years x 2 directions (total) + 7 years x 2 directions x 2 sexes + 2 spans + 3 years.
    assert len(conservation) == 22 + 28 + 2 + 3
    assert all(f.ok for f in conservation)


def _edit(path: Path, fig_id: str, column: str, value: str) -> None:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["fig_id"] == fig_id:
            row[column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_an_unexplained_disagreement_fails(data_copy: Path) -> None:
    _edit(data_copy / "article" / "figures.csv", "T2-arr-male-2019", "value", "287")
    report = run_checks(data_copy)
    assert not report.ok
    failed = {f.check for f in report.failures}
    assert "sex-sum:T2:arrivals:2019" in failed
    # The shipped flows.csv no longer matches the transcription either.
    assert "build:flows.csv" in failed


def test_a_stale_resolution_fails(data_copy: Path) -> None:
    _edit(data_copy / "article" / "figures.csv", "T1-arr-2021", "value", "561")
    report = run_checks(data_copy)
    stale = {f.check for f in report.failures if f.kind == "resolution"}
    assert "agree:arrivals:2021:KG-OTHER>KG-B:total:all" in stale
    assert "net:T1:2021:KG-B~KG-OTHER:total:all" in stale


def test_a_stale_build_fails(data_copy: Path) -> None:
    flows = data_copy / "flows.csv"
    flows.write_text(flows.read_text(encoding="utf-8").replace(",2169,", ",2170,"), "utf-8")
    report = run_checks(data_copy)
    assert "build:flows.csv" in {f.check for f in report.failures}


def test_ranges_are_checked_on_the_shipped_flows(shipped_report: Report) -> None:
    report = shipped_report
    ranges = [f for f in report.findings if f.kind == "range"]
    # One per modelled split, like the conservation checks.
    assert len(ranges) == 22 + 28 + 2 + 3
    assert all(f.ok for f in ranges)
    chuy = next(f for f in ranges if f.check == "range:KG-B>KG-OTHER:2014-2023:total:all")
    assert "the total 15186" in chuy.text("en")
    assert "итог 15\u00a0186" in chuy.text("ru")
    note = next(n for n in report.notes if n.text("en").startswith("Ranges:"))
    assert "KG-B→KG-C, 2014–2023: 3,379 (1,039–5,235)" in note.text("en")
    assert "from 50% to 80%" in note.text("en")
    assert "3\u00a0379 (1\u00a0039–5\u00a0235)" in note.text("ru")
    assert "3\u00a0379 (1\u00a0039–5\u00a0235)" in note.text("ky")


def test_a_modelled_row_without_its_range_fails(data_copy: Path) -> None:
    flows = data_copy / "flows.csv"
    lines = flows.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("KG-B,KG-GO,2022,total,"))
    lines[at] = lines[at].rstrip("\n").rsplit(",", 2)[0] + ",,\n"
    flows.write_text("".join(lines), encoding="utf-8")
    report = run_checks(data_copy)
    failed = {f.check: f for f in report.failures}
    assert "1 without a range" in failed["range:KG-B>KG-OTHER:2022:total:all"].text("en")
    assert "build:flows.csv" in failed


@pytest.mark.parametrize("check_id", ["C1", "C2", "C3", "C4", "C5"])
def test_each_contradiction_names_its_failing_checks(check_id: str, shipped_report: Report) -> None:
    report = shipped_report
    contradiction = next(c for c in report.contradictions if c.id == check_id)
    assert contradiction.findings
    assert all(not f.ok for f in contradiction.findings)
    assert contradiction.rule


# --------------------------------------------------------------------------- no English in ky/ru

#: Runs of four or more Latin letters: English words (and the internal ids the report must
#: not show in Kyrgyz and Russian).
LATIN = re.compile(r"[A-Za-z]{4,}")
#: Shown on purpose: the command and files a developer reruns (build checks).
SOFTWARE = ("`flowmap data build`", "flows.csv", "balances.csv")


def latin_words(text: str, ids: Collection[str] = ()) -> set[str]:
    """Return the runs of Latin letters in ``text`` once ``ids`` (figure ids, shown on
    purpose) and the names in :data:`SOFTWARE` are taken out."""
    for shown in sorted([*ids, *SOFTWARE], key=len, reverse=True):
        text = text.replace(shown, " ")
    return set(LATIN.findall(text))


def report_texts(report: Report, lang: str) -> list[str]:
    """Return every text :func:`report_json` gives a reader in ``lang``."""
    data: dict[str, Any] = report_json(report, lang)
    texts: list[str] = [*data["notes"]]
    for c in data["contradictions"]:
        texts += [c["title"], c["rule"], *c["values"], *(f["message"] for f in c["checks"])]
    texts += [f["message"] for f in data["failures"]]
    texts += [f["message"] for f in data["checks"]]
    return texts


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_the_report_has_no_english_in_kyrgyz_and_russian(lang: str, shipped_report: Report) -> None:
    report = shipped_report
    ids = set(load_article().figures["fig_id"])
    found = {word for text in report_texts(report, lang) for word in latin_words(text, ids)}
    assert found == set()
    # English keeps its ids: the check's own message and the shipped flows' ends.
    english = " ".join(report_texts(report, "en"))
    assert "T1 2021" in english
    assert "KG-OTHER→KG-B" in english


def test_references_places_and_years_are_named_as_readers_name_them(shipped_report: Report) -> None:
    report = shipped_report
    c1 = report.contradictions[0]
    ru = "\n".join(v.text("ru") for v in c1.values)
    assert "261 (табл. 1, 2021\u00a0г.; T1-arr-2021): не используется" in ru
    assert (
        "561 (табл. 2, 2021\u00a0г.; T2-arr-total-2021): используется как поток: "
        "Другие области Кыргызстана → Баткенская область, 2021\u00a0г. = 561 "
        "(опубликовано в источнике; табл. 2)"
    ) in ru
    agree = next(f for f in c1.findings if f.check.startswith("agree:"))
    assert agree.text("ky").startswith(
        "көчүп келгендер, Кыргызстандын башка облустары → Баткен облусу, 2021-жыл"
    )
    # A paragraph whose label names its year is not followed by the year again.
    c4 = report.contradictions[3]
    repeat = next(f for f in c4.findings if f.check.startswith("repeat:"))
    assert repeat.text("ru").startswith(
        "фраза «через 10 лет, в 2013\u00a0г.» и абзац о внешней миграции, 2023\u00a0г. приводят"
    )


def test_the_model_note_gives_the_parameters_in_words(shipped_report: Report) -> None:
    notes = shipped_report.notes
    model = next(n for n in notes if n.text("en").startswith("Model:"))
    assert "GravityParams" not in "".join(model.text(lang) for lang in ("en", "ky", "ru"))
    # Each part as Russian statistics writes it, a group in sentence form (issue 21).
    assert "разбиты так: город Ош — 21,6\u00a0%" in model.text("ru")
    assert "остальные области — 33,3\u00a0%" in model.text("ru")
    assert "дала бы: город Ош — 9,8\u00a0%" in model.text("ru")
    assert "калган облустар — 33,3%" in model.text("ky")
    assert "в степени 1 и обратно пропорционален расстоянию" in model.text("ru")
    assert "Ош шаары, Бишкек шаары жана Чүй облусу чогуу" in model.text("ky")
    assert "Osh, Bishkek, and Chüy oblast together get 67%" in model.text("en")


def test_a_net_printed_twice_names_both_ends() -> None:
    figures = load_article().figures
    again = figures.loc[["T1-net-2013"]].assign(fig_id="T9-net-2013", ref="T2")
    findings = agreement(pd.concat([figures, again.set_index("fig_id", drop=False)]), load_places())
    [net] = [f for f in findings if f.check.startswith("agree:net:")]
    assert net.ok
    assert net.message.startswith("net KG-B↔KG-OTHER 2013 (total, all ages): all agree")
    assert net.text("ru").startswith(
        "сальдо, Баткенская область ↔ Другие области Кыргызстана, 2013\u00a0г."
    )
