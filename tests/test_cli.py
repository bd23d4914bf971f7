"""The command line, called in-process and through the installed entry point."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from flowmap.batken.article import load_article
from flowmap.cli.commands import main
from flowmap.text import numbers
from flowmap.text.period import Period


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out)
    return code, out.getvalue()


def test_russia_2014_2023_is_7529_reported() -> None:
    code, text = run("data", "show", "--period", "2014-2023", "--dest", "RU", "--direction", "out")
    assert code == 0
    lines = text.splitlines()
    assert len(lines) == 3
    assert "7,529" in lines[2]
    assert "reported" in lines[2]
    assert "P-ABROAD" in lines[2]


def test_2022_departures_with_modelled_split() -> None:
    code, text = run("data", "show", "--year", "2022", "--direction", "out", "--format", "json")
    assert code == 0
    rows = {r["destination"]: r for r in json.loads(text)}
    assert rows["KG-OTHER"]["count"] == 2169
    assert rows["KG-OTHER"]["basis"] == "reported"
    split = [rows[k] for k in ("KG-GO", "KG-GB", "KG-C", "KG-REST")]
    assert sum(r["count"] for r in split) == 2169
    assert {r["basis"] for r in split} == {"modelled"}
    assert all(r["method"].startswith("gravity-v2") for r in split)


def test_direction_all_is_read_as_both() -> None:
    """``--direction both`` is the one word for departures and arrivals; ``all``, the older
    one, still works on the command line and shows the same rows."""
    code, both = run("data", "show", "--year", "2022", "--direction", "both", "--format", "json")
    assert code == 0
    assert {r["direction"] for r in json.loads(both)} == {"out", "in"}
    assert run("data", "show", "--year", "2022", "--direction", "all", "--format", "json") == (
        0,
        both,
    )


def test_show_table_explains_methods() -> None:
    code, text = run("data", "show", "--year", "2022", "--direction", "out")
    assert code == 0
    assert "modelled [1]" in text
    assert "[1] gravity-v2:" in text


def test_show_reported_only_has_no_modelled_row() -> None:
    code, text = run("data", "show", "--basis", "reported", "--format", "csv", "--sex", "any")
    assert code == 0
    assert "modelled" not in text.split("\n", 1)[1]
    assert ",reported," in text


def test_show_net() -> None:
    code, text = run("data", "show", "--year", "2021", "--direction", "net", "--format", "json")
    assert code == 0
    row = next(r for r in json.loads(text) if r["counterpart"] == "KG-OTHER")
    assert (row["arrivals"], row["departures"], row["net"]) == (561, 1578, -1017)
    assert row["basis"] == "reported"


def test_show_says_which_rows_a_total_is_the_total_of() -> None:
    """The default view lists "other oblasts" (15,186) with its modelled parts: CSV and
    JSON name the parts in ``total_of``, and the table lists only the rows that add up
    (the map's 9 flows) with the total on a labelled line under it."""
    parts = "KG-C; KG-GB; KG-GO; KG-REST"
    code, text = run("data", "show", "--format", "json")
    assert code == 0
    rows = json.loads(text)
    assert {r["destination"]: r["total_of"] for r in rows if r["total_of"]} == {"KG-OTHER": parts}
    split = [r["count"] for r in rows if r["destination"] in parts.split("; ")]
    assert sum(split) == 15186  # the total its four parts split
    assert sum(r["count"] for r in rows if not r["total_of"]) == 15186 + 8487  # + abroad
    code, text = run("data", "show", "--format", "csv")
    assert text.splitlines()[0].endswith(",total_of")
    assert f",{parts}" in next(line for line in text.splitlines() if ",KG-OTHER," in line)
    code, text = run("data", "show")
    body = [line for line in text.splitlines()[2:] if line.startswith("out ")]
    assert len(body) == 9
    assert "KG-OTHER" not in "".join(body)
    total = next(line for line in text.splitlines() if "15,186" in line)
    assert "Other oblasts of Kyrgyzstan" in total
    assert "total of the rows above for Chüy oblast, Bishkek, Osh, remaining oblasts" in total
    for lang in ("ky", "ru"):
        _, text = run("data", "show", "--lang", lang)
        total = numbers.count(15186, lang)
        assert any(total in line and "Бишкек" in line for line in text.splitlines())


def test_show_net_totals_are_lines_per_group() -> None:
    code, text = run("data", "show", "--year", "2021", "--direction", "net", "--sex", "any")
    assert code == 0
    lines = [line for line in text.splitlines() if "total of the rows above" in line]
    assert len(lines) == 3
    assert "Net, Other oblasts of Kyrgyzstan, 2021: −1,017 (reported)" in lines[0]
    assert lines[1].startswith("Net, men,")


@pytest.mark.parametrize("lang", ["en", "ky", "ru"])
def test_show_table_writes_counts_as_its_ranges(lang: str) -> None:
    """Net in the table: −1,964 with a true minus and grouping, as "−3,045 to −605" beside
    it is written, in every language; CSV keeps plain numbers."""
    _, text = run("data", "show", "--direction", "net", "--lang", lang)
    row = next(line for line in text.splitlines() if numbers.signed(-1964, lang) in line)
    assert numbers.signed(-3045, lang) in row
    assert numbers.count(1415, lang) in row
    assert "-1964" not in text
    _, text = run("data", "show", "--direction", "net", "--format", "csv")
    assert ",1415,3379,-1964,-3045,-605," in text


def test_show_nothing_matches() -> None:
    code, text = run("data", "show", "--year", "2019", "--dest", "RU")
    assert code == 0
    assert text.startswith("No figure matches this selection")


def test_show_languages() -> None:
    _, ky = run("data", "show", "--period", "2014-2023", "--dest", "RU,KG-GB", "--lang", "ky")
    _, ru = run("data", "show", "--period", "2014-2023", "--dest", "RU", "--lang", "ru")
    assert "Бишкек шаары" in ky
    assert "Баткенская область" in ru


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--dest", "XX,RU"], "unknown place id(s) 'XX'"),
        (["--period", "2023-2014"], "period must not end before it starts, got '2023-2014'"),
        (["--year", "2014-2023"], "year must be a single year, got '2014-2023'"),
    ],
)
def test_bad_options(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run("data", "show", *argv)
    assert code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "english", "russian", "kyrgyz"),
    [
        (
            ["export"],
            "the following arguments are required: --out",
            "не указаны обязательные аргументы: --out",
            "бул аргументтер милдеттүү: --out",
        ),
        (
            ["export", "--out", "x.html", "--top", "abc"],
            "argument --top: must be a whole number, got 'abc'",
            "аргумент --top: нужно целое число; получено: 'abc'",
            "--top аргументи: бүтүн сан болушу керек; берилгени: 'abc'",
        ),
        (
            ["data", "check", "--format", "xml"],
            "argument --format: invalid choice: 'xml'",
            "аргумент --format: недопустимое значение 'xml'",
            "--format аргументи: 'xml' туура эмес маани",
        ),
        (
            ["export", "--out", "x.html", "--year", "2019", "--period", "2014-2023"],
            "argument --period: not allowed with argument --year",
            "аргумент --period нельзя указывать вместе с --year",
            "--period аргументи --year аргументи менен бирге колдонулбайт",
        ),
        (
            ["data", "show", "--bogus"],
            "unrecognized arguments: --bogus",
            "неизвестные аргументы: --bogus",
            "белгисиз аргументтер: --bogus",
        ),
    ],
)
def test_argument_errors_in_the_language_of_the_run(
    argv: list[str], english: str, russian: str, kyrgyz: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for lang, expected, error, usage in (
        ("en", english, "error", "usage: "),
        ("ru", russian, "ошибка", "использование: "),
        ("ky", kyrgyz, "ката", "колдонуу: "),
    ):
        with pytest.raises(SystemExit) as info:
            main([*argv, "--lang", lang], io.StringIO())
        assert info.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith(usage), lang
        assert f": {error}: {expected}" in err, lang


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_argument_errors_print_no_control_characters(
    lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["data", "show", "\x1b[31mred\u202e", "--lang", lang], io.StringIO())
    err = capsys.readouterr().err
    assert "[31mred" in err
    assert "\x1b" not in err
    assert "\u202e" not in err


def test_the_wrote_line_prints_no_control_characters(tmp_path: Path) -> None:
    code, out = run("export", "--static", "--out", str(tmp_path / "a\x1b[31mb.html"))
    assert code == 0
    assert "a[U+001B][31mb.html" in out  # the name as it is, its ESC shown as a code
    assert "\x1b" not in out


def test_check_exits_zero_and_reports_2021() -> None:
    code, text = run("data", "check")
    assert code == 0
    assert "C1. 2021 arrivals: Table 1 prints 261, Table 2 prints 561" in text
    assert "261 (T1 2021, T1-arr-2021): not shipped" in text
    assert "561 (T2 2021, T2-arr-total-2021): shipped KG-OTHER→KG-B 2021 = 561" in text
    assert text.rstrip().endswith("Result: OK")


def test_check_json() -> None:
    code, text = run("data", "check", "--format", "json")
    report = json.loads(text)
    assert code == 0
    assert report["ok"] is True
    assert report["counts"]["failed"] == 0
    assert [c["id"] for c in report["contradictions"]] == ["C1", "C2", "C3", "C4", "C5"]


def test_check_fails_on_an_unexplained_problem(data_copy: Path) -> None:
    figures = data_copy / "article" / "figures.csv"
    figures.write_text(
        figures.read_text(encoding="utf-8").replace(
            "T1-dep-2015,T1,2015,KG-B,KG-OTHER,departures,total,all,899",
            "T1-dep-2015,T1,2015,KG-B,KG-OTHER,departures,total,all,898",
        ),
        encoding="utf-8",
    )
    code, text = run("data", "check", "--data-dir", str(data_copy))
    assert code == 1
    assert "FAILED checks (no documented resolution)" in text
    assert "net:T1:2015:KG-B~KG-OTHER:total:all" in text
    assert "the tables cannot be rebuilt: net KG-B/KG-OTHER/2015/total/all: printed -660" in text


def test_build_check_is_up_to_date() -> None:
    code, text = run("data", "build", "--check")
    assert (code, text) == (0, "up to date\n")


def test_installed_entry_point() -> None:
    exe = shutil.which("flowmap", path=str(Path(__import__("sys").executable).parent))
    assert exe is not None
    result = subprocess.run(
        [exe, "data", "show", "--period", "2014-2023", "--dest", "RU", "--direction", "out"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "7,529" in result.stdout


def test_show_a_users_own_flows_with_net_and_focus(tmp_path: Path) -> None:
    flows = tmp_path / "flows.csv"
    flows.write_text(
        "origin,destination,period,sex,age,count,basis,source_ref,method,note\n"
        "KG-B,RU,2020,total,all,100,reported,my survey,,\n"
        "RU,KG-B,2020,total,all,30,reported,my survey,,\n",
        encoding="utf-8",
    )
    code, text = run(
        "data", "show", "--flows", str(flows), "--direction", "net", "--format", "json"
    )
    assert code == 0
    [row] = json.loads(text)
    assert (row["counterpart"], row["net"], row["basis"]) == ("RU", -70, "derived")
    code, text = run("data", "show", "--flows", str(flows), "--focus", "RU", "--format", "json")
    assert code == 0
    assert [(r["origin"], r["count"]) for r in json.loads(text)] == [("RU", 30)]


@pytest.mark.parametrize(
    ("name", "size", "magic"),
    [
        ("map.png", "1920x1080", b"\x89PNG\r\n\x1a\n"),
        ("map.svg", "1280x720", b"<?xml"),
        ("map.pdf", "a4", b"%PDF-"),
    ],
)
def test_export_images_for_slides(tmp_path: Path, name: str, size: str, magic: bytes) -> None:
    out = tmp_path / name
    code, text = run("export", "--period", "2014-2023", "--size", size, "--out", str(out))
    assert code == 0
    assert out.read_bytes().startswith(magic)
    assert f"wrote {out}" in text


def test_export_format_overrides_the_suffix(tmp_path: Path) -> None:
    out = tmp_path / "slide.image"
    assert run("export", "--year", "2022", "--format", "png", "--out", str(out))[0] == 0
    assert out.read_bytes().startswith(b"\x89PNG")


# --------------------------------------------------------------------------- ky and ru output

#: Runs of four or more Latin letters: English words, or ids the output must not show.
LATIN = re.compile(r"[A-Za-z]{4,}")


def latin_words(text: str, shown: tuple[str, ...] = ()) -> set[str]:
    """Return the runs of Latin letters in ``text`` once the strings ``shown`` on purpose
    (figure ids, file names, the name of the program) are taken out."""
    for item in sorted(shown, key=len, reverse=True):
        text = text.replace(item, " ")
    return set(LATIN.findall(text))


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_check_report_in_kyrgyz_and_russian_has_no_english(lang: str) -> None:
    code, text = run("data", "check", "--verbose", "--lang", lang)
    assert code == 0
    figures = tuple(load_article().figures["fig_id"])
    software = ("`flowmap data build`", "flows.csv", "balances.csv")
    assert latin_words(text, figures + software) == set()
    # The checks' internal ids are for developers: English only.
    assert "agree:arrivals" not in text
    assert "agree:arrivals:2021:KG-OTHER>KG-B:total:all" in run("data", "check")[1]


@pytest.mark.parametrize("lang", ["ky", "ru"])
@pytest.mark.parametrize(
    "argv",
    [
        ("--year", "2021"),
        ("--year", "2021", "--direction", "net"),
        ("--period", "2014-2023", "--direction", "out"),
        ("--year", "2022", "--direction", "in", "--sex", "any"),
    ],
)
def test_show_in_kyrgyz_and_russian_has_no_english(lang: str, argv: tuple[str, ...]) -> None:
    code, text = run("data", "show", *argv, "--lang", lang)
    assert code == 0
    assert latin_words(text) == set()


def test_show_names_sources_and_places_in_russian() -> None:
    _, text = run("data", "show", "--period", "2014-2023", "--dest", "RU", "--lang", "ru")
    assert "абзацы о международной миграции" in text
    assert "Баткенская область  Россия" in text
    assert "7\u00a0529" in text
    _, text = run("data", "show", "--year", "2021", "--direction", "net", "--lang", "ky")
    assert "Кыргызстандын башка облустары" in text
    assert "1-таблица" in text


@pytest.mark.parametrize("argv", [["--period", "2017-2019"], ["--period", "2013-2024"]])
@pytest.mark.parametrize("name", ["map.png", "static.html"])
def test_export_of_a_period_the_data_lacks_is_an_error(
    tmp_path: Path, argv: list[str], name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A span the data set does not have is refused, naming the periods it has, and
    nothing is written (it was an empty map, exit 0, with a wrong reason)."""
    out = tmp_path / name
    extra = ["--static"] if name.endswith(".html") else []
    assert main(["export", *argv, *extra, "--out", str(out)], io.StringIO()) == 2
    err = capsys.readouterr().err
    assert "no figures for " + argv[1].replace("-", "–") in err
    assert "the single years 2013–2024 and the span 2014–2023" in err
    assert "warning" not in err
    assert not out.exists()


@pytest.mark.parametrize("name", ["map.svg", "static.html", "playable.html"])
def test_export_that_would_draw_nothing_says_why_and_writes_nothing(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Men at the default period 2014–2023: the source gives figures by sex only for the
    single years 2017–2023; the command says so, exits non-zero and writes no file."""
    out = tmp_path / name
    extra = ["--static"] if name == "static.html" else []
    assert main(["export", "--sex", "male", *extra, "--out", str(out)], io.StringIO()) == 2
    err = capsys.readouterr().err
    assert "nothing was written" in err
    assert "no figures for men in 2014–2023" in err
    assert "only for the single years 2017–2023" in err
    assert not out.exists()
    assert (
        main(["export", "--direction", "net", "--dest", "RU", "--static", "--out", str(out)]) == 2
    )
    assert "No net migration figure for Russia" in capsys.readouterr().err
    assert not out.exists()
    assert main(["export", "--sex", "male", "--year", "2019", "--out", str(out)]) == 0


def test_a_playable_span_is_the_range_of_its_slider(tmp_path: Path) -> None:
    code, text = run("export", "--period", "2017-2019", "--out", str(tmp_path / "p.html"))
    assert code == 0
    assert "3 periods 2017 to 2019" in text


def test_map_data_refuses_a_period_it_does_not_have() -> None:
    from flowmap.batken.dataset import MapData
    from flowmap.batken.query import Selection
    from flowmap.core.errors import FlowmapError

    data = MapData.load()
    with pytest.raises(FlowmapError, match="it has the single years 2013–2024 and the span"):
        data.resolve(Selection(period=Period(2017, 2019)))
    assert data.resolve(Selection(period=Period(2019, 2019))).period == Period(2019, 2019)


def test_export_says_what_it_wrote_in_russian(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    code, text = run("export", "--year", "2022", "--static", "--out", str(out), "--lang", "ru")
    assert code == 0
    assert text.startswith(f"записан файл {out} (")
    assert latin_words(text.replace(str(out), "")) == set()
    code, text = run("export", "--period", "2014-2023", "--out", str(out), "--lang", "ky")
    assert code == 0
    assert "ойнотулуучу карта" in text
    assert latin_words(text.replace(str(out), "")) == set()


def test_errors_are_printed_in_russian(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run("data", "show", "--focus", "XX", "--lang", "ru")
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("flowmap: ошибка: --focus 'XX': такого места нет в таблице мест.")
    bad = tmp_path / "flows.csv"
    bad.write_text("origin,destination,period\nKG-B,RU,2020\n", encoding="utf-8")
    code, _ = run("data", "show", "--flows", str(bad), "--lang", "ru")
    assert code == 2
    assert capsys.readouterr().err.startswith("flowmap: ошибка: ")
    code, _ = run("export", "--out", str(tmp_path / "map.txt"), "--lang", "ky")
    assert code == 2
    assert "--out .html, .png, .svg же .pdf файлын көрсөтүшү керек" in capsys.readouterr().err


def test_build_check_in_russian() -> None:
    assert run("data", "build", "--check", "--lang", "ru") == (0, "файлы актуальны\n")
