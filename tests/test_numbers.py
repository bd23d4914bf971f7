"""Numbers, percentages, years and plural forms as each language writes them (issue 11)."""

from __future__ import annotations

import io
import math
from decimal import Decimal
from pathlib import Path

import pytest

from flowmap.batken.dataset import MapData
from flowmap.batken.preset import MapOptions, map_text
from flowmap.batken.query import Selection
from flowmap.cli.commands import main
from flowmap.cli.parser import default_lang, make_parser
from flowmap.core.errors import FlowmapError
from flowmap.engine.geometry import WidthScale
from flowmap.text import numbers
from flowmap.text.i18n import t

NBSP = "\u00a0"
MINUS = "\u2212"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out)
    return code, out.getvalue()


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "7,529"), ("ky", f"7{NBSP}529"), ("ru", f"7{NBSP}529")],
)
def test_count_groups_thousands(lang: str, expected: str) -> None:
    assert numbers.count(7529, lang) == expected


def test_count_uses_babels_own_group_symbol() -> None:
    from babel.numbers import get_group_symbol

    for lang in ("ky", "ru"):
        assert numbers.count(1_000_000, lang) == get_group_symbol(lang).join(["1", "000", "000"])
    assert numbers.count(999, "ru") == "999"
    assert numbers.count(0, "ky") == "0"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "533.7"), ("ky", "533,7"), ("ru", "533,7")],
)
def test_decimal_comma(lang: str, expected: str) -> None:
    assert numbers.decimal(533.66, lang, 1) == expected


def test_decimal_digits_and_grouping() -> None:
    assert numbers.decimal(12345.25, "ru", 2) == f"12{NBSP}345,25"
    assert numbers.decimal(59.5, "en", 0) == "60"
    assert numbers.decimal(Decimal("1.50"), "ky", 2) == "1,50"
    assert numbers.number(1.5, "ru") == "1,5"
    assert numbers.number(4.0, "ru") == "4"
    assert numbers.number(1.5, "en") == "1.5"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "21.6%"), ("ky", "21,6%"), ("ru", f"21,6{NBSP}%")],
)
def test_percent(lang: str, expected: str) -> None:
    assert numbers.percent(0.216, lang, 1) == expected


def test_percent_whole() -> None:
    assert numbers.percent(2 / 3, "en") == "67%"
    assert numbers.percent(2 / 3, "ru") == f"67{NBSP}%"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", f"{MINUS}1,607"), ("ky", f"{MINUS}1{NBSP}607"), ("ru", f"{MINUS}1{NBSP}607")],
)
def test_signed_uses_a_true_minus(lang: str, expected: str) -> None:
    text = numbers.signed(-1607, lang)
    assert text == expected
    assert "-" not in text


def test_signed_plus_and_zero() -> None:
    assert numbers.signed(561, "ru") == "561"
    assert numbers.signed(561, "ru", plus=True) == "+561"
    assert numbers.signed(0, "ru", plus=True) == "0"
    assert numbers.signed(-0.2, "en", digits=1) == f"{MINUS}0.2"
    assert numbers.count(-1017, "ky") == f"{MINUS}1{NBSP}017"
    assert numbers.percent(-0.05, "en", 1) == f"{MINUS}5.0%"


def test_numeral_keeps_the_datas_decimals() -> None:
    assert numbers.numeral("1578", "ru") == f"1{NBSP}578"
    assert numbers.numeral("-1017", "ky") == f"{MINUS}1{NBSP}017"
    assert numbers.numeral("85.5", "ru") == "85,5"
    assert numbers.numeral("85.5", "en") == "85.5"
    assert numbers.numeral("T1", "ru") == "T1"
    assert numbers.numeral("", "ru") == ""
    assert numbers.numeral("1.2.3", "ru") == "1.2.3"


@pytest.mark.parametrize(
    ("lang", "one", "span"),
    [
        ("en", "2019", "2014–2023"),
        ("ky", "2019-жыл", "2014–2023-жылдар"),
        ("ru", f"2019{NBSP}г.", f"2014–2023{NBSP}гг."),
    ],
)
def test_years_in_running_text(lang: str, one: str, span: str) -> None:
    assert numbers.year(2019, lang) == one
    assert numbers.years(2014, 2023, lang) == span
    assert numbers.period("2019", lang) == one
    assert numbers.period("2014-2023", lang) == span
    assert numbers.period("spring", lang) == "spring"


def test_years_have_no_thousands_separator() -> None:
    assert numbers.year(2019, "ru").startswith("2019")
    assert numbers.year("2019", "en") == "2019"


@pytest.mark.parametrize(
    "call",
    [
        lambda: numbers.count(1, "de"),
        lambda: numbers.decimal(math.nan, "en"),
        lambda: numbers.decimal(math.inf, "ru"),
        lambda: numbers.count(True, "en"),
        lambda: numbers.decimal(1.0, "en", -1),
        lambda: numbers.year("20x9", "ru"),
    ],
)
def test_bad_input_is_a_flowmap_error(call: object) -> None:
    with pytest.raises(FlowmapError):
        call()  # type: ignore[operator]


# --------------------------------------------------------------------------- plural forms

COUNTS = (1, 2, 5, 11, 21, 22, 25)

RU_PEOPLE = {
    1: "1 человек",
    2: "2 человека",
    5: "5 человек",
    11: "11 человек",
    21: "21 человек",
    22: "22 человека",
    25: "25 человек",
}
# «меньше N …» takes the genitive: «меньше 1 (21) человека», «меньше 2 (5, 11, 22) человек».
RU_UNDER = {
    1: "меньше 1 человека",
    2: "меньше 2 человек",
    5: "меньше 5 человек",
    11: "меньше 11 человек",
    21: "меньше 21 человека",
    22: "меньше 22 человек",
    25: "меньше 25 человек",
}
RU_YEARS = {1: "1 год", 2: "2 года", 5: "5 лет", 11: "11 лет", 21: "21 год", 22: "22 года"}


@pytest.mark.parametrize("n", COUNTS)
def test_russian_plural_of_people(n: int) -> None:
    assert t("legend.people", "ru", count=numbers.count(n, "ru"), n=n) == RU_PEOPLE[n]


@pytest.mark.parametrize("n", COUNTS)
def test_russian_plural_of_thin_flows(n: int) -> None:
    text = t("legend.min_width", "ru", count=numbers.count(n, "ru"), n=n, px="1,5")
    assert RU_UNDER[n] in text


@pytest.mark.parametrize("n", sorted(RU_YEARS))
def test_russian_plural_of_years(n: int) -> None:
    assert t("general.coverage", "ru", period="2014–2023", count=n).endswith(RU_YEARS[n])


def test_plural_form_follows_the_number_not_the_formatted_text() -> None:
    # 1 021 ends in 1: «человек» (one), even though the formatted text has a space.
    assert t("legend.people", "ru", count=numbers.count(1021, "ru"), n=1021) == (
        f"1{NBSP}021 человек"
    )
    assert t("legend.people", "ru", count=numbers.count(1022, "ru"), n=1022) == (
        f"1{NBSP}022 человека"
    )


@pytest.mark.parametrize("n", COUNTS)
def test_kyrgyz_nouns_do_not_change_after_a_number(n: int) -> None:
    assert t("legend.people", "ky", count=numbers.count(n, "ky"), n=n) == f"{n} адам"
    text = t("legend.min_width", "ky", count=numbers.count(n, "ky"), n=n, px="1,5")
    assert text.startswith(f"{n} адамдан аз агымдар")


@pytest.mark.parametrize("n", COUNTS)
def test_english_plural(n: int) -> None:
    expected = "1 person" if n == 1 else f"{n} people"
    assert t("legend.people", "en", count=numbers.count(n, "en"), n=n) == expected


# --------------------------------------------------------------------------- maps


def test_russian_map_legend_formats_the_thin_flow_note(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    code, _ = run("export", "--out", str(out), "--lang", "ru", "--static")
    assert code == 0
    html = out.read_text(encoding="utf-8")
    # 43.6 rounded up: "under 44" is true of every whole count drawn at the minimum width.
    assert "Потоки меньше 44 человек показаны толщиной 1,5 пикс." in html
    assert "1.5 пикс" not in html


def _scale_with_threshold(min_threshold: int) -> tuple[WidthScale, int]:
    """A width scale whose thin-flow threshold is above ``min_threshold`` and ends in 1
    (but not 11), so Russian needs the «one» form and a thousands separator."""
    for top in range(min_threshold * 300, min_threshold * 400):
        scale = WidthScale(max_count=top)
        threshold = math.ceil((scale.min_px / scale.px_per_sqrt_person) ** 2)
        if threshold > min_threshold and threshold % 10 == 1 and threshold % 100 != 11:
            return scale, threshold
    raise AssertionError("no scale found")  # pragma: no cover


def test_thin_flow_note_groups_and_inflects_large_thresholds() -> None:
    data = MapData.load()
    selection = Selection()
    drawn = data.selected(selection)
    scale, threshold = _scale_with_threshold(1000)
    for lang, expected in [
        ("ru", f"Потоки меньше {numbers.count(threshold, 'ru')} человека показаны"),
        ("ky", f"{numbers.count(threshold, 'ky')} адамдан аз агымдар"),
        ("en", f"Flows under {threshold:,} people are drawn 1.5 px wide"),
    ]:
        text = map_text(selection, MapOptions(lang=lang), data.places, drawn, scale)
        notes = text.legend["notes"]
        assert any(expected in note for note in notes), (lang, notes)
    assert NBSP in numbers.count(threshold, "ru")


def test_border_tooltips_use_a_decimal_comma() -> None:
    from flowmap.batken.layers import border_layer

    layer = border_layer(MapData.load().places, "ru")
    tips = [" ".join(f["properties"].get("_tip", [])) for f in layer["features"]["features"]]
    assert any("533,7 км" in tip for tip in tips)
    assert not any("533.7" in tip for tip in tips)


# --------------------------------------------------------------------------- command line


def _titles(text: str) -> list[str]:
    """The contradiction headings ("C1. …") of a printed report."""
    return [line for line in text.splitlines() if line[:1] == "C" and ". " in line[:5]]


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_data_check_in_kyrgyz_and_russian(lang: str) -> None:
    _, en = run("data", "check", "--lang", "en", "--verbose")
    code, text = run("data", "check", "--lang", lang, "--verbose")
    assert code == 0
    en_titles = _titles(en)
    assert len(_titles(text)) == len(en_titles) >= 5
    for title in en_titles:
        assert title not in text
        assert title.split(". ", 1)[1] not in text
    for english in (
        "Data check:",
        "Contradictions in the source and how they are resolved",
        "  rule:",
        "  values:",
        "Notes",
        "All checks",
        "Result: OK",
        ": not shipped",
        "Coverage:",
        "Model:",
        # the checks' own messages
        ": differ: ",
        ": all agree: ",
        " male ",
        " female ",
        " printed ",
        " arrivals ",
        " departures ",
        "equals a fresh build",
    ):
        assert english in en
        assert english not in text, english
    # The rules and the values come from the resolutions and the catalogue in ``lang``.
    if lang == "ru":
        assert "Итог: всё в порядке" in text
        assert f"сальдо используется как {MINUS}1{NBSP}017" in text
        assert "(опубликовано в источнике; табл. 2)" in text
    else:
        assert "Жыйынтык: баары туура" in text
        assert f"{MINUS}1{NBSP}017" in text


def test_data_check_json_in_russian() -> None:
    import json

    _, en = run("data", "check", "--format", "json", "--lang", "en")
    _, ru = run("data", "check", "--format", "json", "--lang", "ru")
    en_titles = [c["title"] for c in json.loads(en)["contradictions"]]
    ru_titles = [c["title"] for c in json.loads(ru)["contradictions"]]
    assert len(ru_titles) == len(en_titles)
    assert not set(ru_titles) & set(en_titles)


def test_data_show_in_russian_formats_numbers_and_headers() -> None:
    code, text = run(
        "data",
        "show",
        "--period",
        "2014-2023",
        "--dest",
        "RU",
        "--direction",
        "out",
        "--lang",
        "ru",
    )
    assert code == 0
    header, _, row = text.splitlines()[:3]
    assert header.split()[:3] == ["направление", "период", "откуда"]
    assert f"7{NBSP}529" in row
    assert "Выбывшие" in row
    assert "reported" not in row


def test_data_show_net_in_kyrgyz_uses_a_true_minus() -> None:
    code, text = run("data", "show", "--year", "2021", "--direction", "net", "--lang", "ky")
    assert code == 0
    assert f"{MINUS}1{NBSP}017" in text
    assert "-1017" not in text


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "ky_KG.UTF-8"}, "ky"),
        ({"LANG": "ky"}, "ky"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "ru_RU.UTF-8", "LC_ALL": "C"}, "en"),
        ({"LC_ALL": "ky_KG.UTF-8", "LANG": "ru_RU.UTF-8"}, "ky"),
        ({"LANG": "russian"}, "en"),
    ],
)
def test_default_language_from_the_environment(environ: dict[str, str], expected: str) -> None:
    assert default_lang(environ) == expected


def test_lang_option_defaults_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "ru_RU.UTF-8")
    code, text = run("data", "check")
    assert code == 0
    assert text.rstrip().endswith("Итог: всё в порядке")


@pytest.mark.parametrize("command", [["data", "check"], ["data", "show"], ["data", "build"]])
def test_every_command_takes_lang(command: list[str]) -> None:
    args = make_parser().parse_args([*command, "--lang", "ky"])
    assert args.lang == "ky"


def test_export_takes_lang() -> None:
    assert make_parser().parse_args(["export", "--out", "x.html", "--lang", "ru"]).lang == "ru"
