"""The gazetteer resolves a table as a whole (issue 16): the table's level decides between
a state and a city or a country of one name, official and statistical country names are
known, two-letter alternate names never match, candidates at one point are one place, and
what cannot be placed is doubtful, not drawn."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import folium
import pandas as pd
import pytest

from flowmap import save_html
from flowmap.cli.commands import main
from flowmap.core.errors import FlowmapError
from flowmap.io.gazetteer import fill_places, locate, lookup, normalise, table_level
from flowmap.render.usermap import load_user_data
from flowmap.text.i18n import error_text, localise
from tests.conftest import ROOT, load_geo_script, map_spec

# The 50 states and the District of Columbia, with their USPS codes (written here).
US_STATES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
    "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "District of Columbia": "DC",
    "Florida": "FL", "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL",
    "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA",
    "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI",
    "Minnesota": "MN", "Mississippi": "MS", "Missouri": "MO", "Montana": "MT",
    "Nebraska": "NE", "Nevada": "NV", "New Hampshire": "NH", "New Jersey": "NJ",
    "New Mexico": "NM", "New York": "NY", "North Carolina": "NC", "North Dakota": "ND",
    "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA",
    "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD", "Tennessee": "TN",
    "Texas": "TX", "Utah": "UT", "Vermont": "VT", "Virginia": "VA", "Washington": "WA",
    "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
}  # fmt: skip


def test_a_table_of_us_states_resolves_every_state_to_itself() -> None:
    assert len(US_STATES) == 51
    result = locate(list(US_STATES))
    assert result.level == "region"
    assert result.complete, (result.ambiguous, result.unknown, result.doubtful)
    got = {name: match.place for name, match in result.found.items()}
    assert {name: p.id for name, p in got.items()} == {
        name: f"US-{code}" for name, code in US_STATES.items()
    }
    assert {p.country for p in got.values()} == {"US"}
    # Alone, these names are also a town in South Africa, a country, cities.
    assert len(lookup("Virginia").candidates) > 1
    assert "GE" in {p.id for p in lookup("Georgia").candidates}


def test_a_us_flows_table_by_names_fills_every_state() -> None:
    places = pd.DataFrame({"id": list(US_STATES), "name": list(US_STATES)})
    filled, report = fill_places(places)
    assert report.complete
    assert report.level == "region"
    assert filled["lat"].notna().all()
    assert {m.place.id for m in report.filled.values()} == {f"US-{c}" for c in US_STATES.values()}


def test_a_name_of_another_level_elsewhere_is_doubtful() -> None:
    result = locate([*US_STATES, "Kutaisi", "Tbilisi"])
    assert set(result.found) == set(US_STATES)
    doubt = result.doubtful["Kutaisi"]
    assert (doubt.place.country, doubt.reason, doubt.level) == ("GE", "level", "region")
    # Tbilisi is also a division of Georgia, far from the table's country.
    assert result.doubtful["Tbilisi"].reason == "country"
    line = result.lines()[0]
    assert line.startswith("'Kutaisi' is only a city here, Kutaisi (city")
    assert "first-level divisions (states, provinces, oblasts): doubtful, not drawn" in line
    assert "тартылган жок" in localise(line, "ky")
    assert "не нарисовано" in localise(line, "ru")
    # A country beside divisions is not doubtful ("Mexico" among US states).
    assert locate([*US_STATES, "Mexico"]).found["Mexico"].place.id == "MX"


def test_a_division_far_from_the_tables_country_is_doubtful() -> None:
    result = locate([*US_STATES, "Western Cape", "Ontario"])
    assert result.doubtful["Western Cape"].reason == "country"
    assert result.doubtful["Western Cape"].country == "US"
    assert result.found["Ontario"].place.id == "CA-ON"  # a neighbour, not far


def test_the_table_decides_between_a_country_and_a_state() -> None:
    assert locate(["Georgia", "Armenia", "Azerbaijan"]).found["Georgia"].place.id == "GE"
    assert locate(["Georgia", "Alabama", "Florida"]).found["Georgia"].place.id == "US-GA"
    assert table_level(["Georgia", "Armenia", "Azerbaijan"]) == "country"
    assert table_level(["New York", "Boston", "Chicago"]) == "city"
    assert locate(["New York", "Boston", "Chicago"]).found["New York"].place.kind == "city"


def test_a_mixed_table_has_no_level_and_guesses_nothing() -> None:
    result = locate(["KG", "Россия", "Ош облусу", "Istanbul", "Osh", "Atlantis"])
    assert result.level is None
    assert {p.id for p in result.ambiguous["Osh"]} == {"KG-O", "KG-GO"}
    assert result.found["Ош облусу"].place.id == "KG-O"
    assert not result.doubtful


OFFICIAL_NAMES = {
    "United States of America": "US",
    "Russian Federation": "RU",
    "Czech Republic": "CZ",
    "Czechia": "CZ",
    "Viet Nam": "VN",
    "Lao PDR": "LA",
    "Swaziland": "SZ",
    "Eswatini": "SZ",
    "Palestine": "PS",
    "West Bank and Gaza": "PS",
    "Bahamas, The": "BS",
    "United Republic of Tanzania": "TZ",
    "Korea, Rep.": "KR",
    "Iran, Islamic Rep.": "IR",
    "Egypt, Arab Rep.": "EG",
    "Congo, Dem. Rep.": "CD",
    "Congo, Rep.": "CG",
    "Venezuela, RB": "VE",
    "Kyrgyz Republic": "KG",
    "Iran (Islamic Republic of)": "IR",
    "Bolivia (Plurinational State of)": "BO",
    "Republic of Korea": "KR",
    "Jamaica": "JM",
    "Armenia": "AM",
    "Mexico": "MX",
}


def test_official_and_statistical_country_names() -> None:
    result = locate(list(OFFICIAL_NAMES))
    assert result.level == "country"
    assert result.complete, (result.ambiguous, result.unknown, result.doubtful)
    assert {q: m.place.id for q, m in result.found.items()} == OFFICIAL_NAMES


def test_a_world_bank_matrix_keeps_mexico_to_the_usa() -> None:
    names = ["Mexico", "United States", "India", "Philippines", "Korea, Rep.", "Gambia, The"]
    places = pd.DataFrame({"id": names, "name": names})
    _, report = fill_places(places)
    assert report.complete
    assert report.filled["Mexico"].place.id == "MX"
    assert report.filled["United States"].place.id == "US"


def test_two_letter_alternate_names_never_match() -> None:
    assert lookup("*PA").candidates == ()  # UNHCR's code of Palestine is not Chongqing
    assert [p.id for p in lookup("PA").candidates] == ["PA"]  # Panama, by its ISO code
    with (ROOT / "src" / "flowmap" / "gazetteer.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for name in filter(None, row["alternates"].split("|")):
                assert len(normalise(name).replace(" ", "")) >= 3, (row["id"], name)


@pytest.mark.parametrize("name", ["Singapore", "Luxembourg", "Monaco", "Djibouti", "San Marino"])
def test_candidates_at_one_point_are_one_place(name: str) -> None:
    (place,) = lookup(name).candidates
    assert place.kind == "country"


def test_a_city_that_is_a_division_is_one_place() -> None:
    assert [p.id for p in lookup("Moscow").candidates] == ["524901"]
    assert locate(["Moscow", "Moscow Oblast", "Tver Oblast"]).found["Moscow"].place.id == ("RU-MOW")


def test_german_laender_by_their_german_names() -> None:
    laender = ["Baden-Württemberg", "Bayern", "Berlin", "Brandenburg", "Bremen", "Hamburg"]
    laender += ["Hessen", "Mecklenburg-Vorpommern", "Niedersachsen", "Nordrhein-Westfalen"]
    laender += ["Rheinland-Pfalz", "Saarland", "Sachsen", "Sachsen-Anhalt"]
    laender += ["Schleswig-Holstein", "Thüringen"]
    result = locate(laender)
    assert result.complete
    ids = [m.place.id for m in result.found.values()]
    assert len(set(ids)) == 16
    assert all(i.startswith("DE-") for i in ids)


def test_russian_federal_subjects_in_russian() -> None:
    subjects = {
        "Москва": "RU-MOW",
        "Московская область": "RU-MOS",
        "Санкт-Петербург": "RU-SPE",
        "Свердловская область": "RU-SVE",
        "Республика Татарстан": "RU-TA",
        "Краснодарский край": "RU-KDA",
        "Иркутская область": "RU-IRK",
        "Ханты-Мансийский автономный округ — Югра": "RU-KHM",
        "Республика Саха (Якутия)": "RU-SA",
        "Еврейская автономная область": "RU-YEV",
        "Республика Алтай": "RU-AL",
        "Алтайский край": "RU-ALT",
    }
    result = locate(list(subjects))
    assert result.complete, (result.ambiguous, result.unknown, result.doubtful)
    assert {q: m.place.id for q, m in result.found.items()} == subjects
    assert result.found["Свердловская область"].place.name == "Sverdlovsk Oblast"


def test_kazakh_oblasts_in_english_and_russian() -> None:
    english = ["Akmola Region", "Almaty Region", "Almaty", "Astana", "Karaganda Region"]
    russian = ["Акмолинская область", "Алматинская область", "Алматы", "Астана"]
    russian += ["Карагандинская область"]
    for names in (english, russian):
        result = locate(names)
        assert result.complete, (result.ambiguous, result.unknown)
        ids = [m.place.id for m in result.found.values()]
        assert ids == ["KZ-11", "KZ-19", "KZ-75", "KZ-71", "KZ-35"]


def test_uzbek_and_tajik_regions_in_russian() -> None:
    names = ["Ташкентская область", "Ташкент", "Ферганская область", "Согдийская область"]
    names += ["Хатлонская область", "Республика Каракалпакстан"]
    result = locate(names)
    assert result.complete, (result.ambiguous, result.unknown)
    ids = [m.place.id for m in result.found.values()]
    assert ids == ["UZ-TO", "UZ-TK", "UZ-FA", "TJ-SU", "TJ-KT", "UZ-QR"]
    assert result.found["Ташкентская область"].place.name_ru == "Ташкентская область"


def test_every_division_has_a_unique_iso_code() -> None:
    with (ROOT / "src" / "flowmap" / "gazetteer.csv").open(encoding="utf-8") as handle:
        regions = [r for r in csv.DictReader(handle) if r["kind"] == "region"]
    counts = Counter(r["country"] for r in regions)
    assert counts["US"] == 51
    assert counts["DE"] == 16
    assert counts["RU"] == 83
    assert counts["KZ"] == 20
    assert all(r["id"].startswith(r["country"] + "-") for r in regions)


# What cannot be placed is said in the title box, and stops the command line over 5%.

UNPLACEABLE = (
    "origin,destination,count\n"
    "Kyrgyzstan,Russian Federation,350000\n"
    "Kyrgyzstan,Kazakhstan,60000\n"
    '"Kyrgyzstan","Korea, Rep.",12000\n'
    "Kyrgyzstan,Atlantis,80000\n"
    "Tajikistan,Russian Federation,500000\n"
)  # 80,000 of 1,002,000 (8.0%) cannot be placed


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out)
    return code, out.getvalue()


def test_the_command_line_stops_when_over_5_percent_cannot_be_drawn(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flows = tmp_path / "flows.csv"
    flows.write_text(UNPLACEABLE, encoding="utf-8")
    out = tmp_path / "map.html"
    for command in (["export", "--out", str(out)], ["data", "show"]):
        code, _ = run(*command, "--flows", str(flows))
        err = capsys.readouterr().err
        assert code != 0
        assert "1 flow (8.0% of the volume) not drawn: places without coordinates" in err
        assert "--allow-missing" in err
        assert "allow_missing" not in err  # the command line's option, not Python's
        assert "Python" not in err
    assert not out.exists()
    code, text = run("export", "--out", str(out), "--flows", str(flows), "--allow-missing")
    assert code == 0, capsys.readouterr().err
    assert text.endswith(", 4 flows drawn)\n")
    alerts = map_spec(out.read_text(encoding="utf-8"))["text"]["alerts"]
    said = "1 flow (8.0% of the volume) not drawn: places without coordinates (Atlantis)"
    assert alerts == [said]
    code, _ = run("data", "show", "--flows", str(flows), "--allow-missing")
    assert code == 0
    # Under 5% the map is drawn and the title box still says what is left out.
    small = tmp_path / "small.csv"
    small.write_text(UNPLACEABLE.replace("80000", "8000"), encoding="utf-8")
    code, _ = run("export", "--out", str(tmp_path / "small.html"), "--flows", str(small))
    assert code == 0
    page = (tmp_path / "small.html").read_text(encoding="utf-8")
    assert map_spec(page)["text"]["alerts"][0].startswith("1 flow (0.9% of the volume) not drawn")


def test_a_bare_name_of_two_kinds_is_doubtful_where_the_table_names_both(
    tmp_path: Path,
) -> None:
    """«Ош» is Osh oblast and Osh city; a table that says «Ошская область» and «город Ош»
    itself mixes the two kinds, so its level does not decide: «Ош» is doubtful, not drawn,
    and said."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Откуда", "Куда", "Число"])
    for dest, n in (
        ("Ошская область", 1200),
        ("город Ош", 800),
        ("Ош", 300),
        ("Чуйская область", 500),
        ("Джалал-Абадская область", 700),
    ):
        sheet.append(["Баткенская область", dest, n])
    path = tmp_path / "ош.xlsx"
    book.save(path)
    data = load_user_data(path)
    places = data.places
    assert places.loc["город Ош", "lat"] == pytest.approx(40.5283)
    assert places.loc["Ошская область", "lat"] == pytest.approx(40.163)
    assert pd.isna(places.loc["Ош", "lat"])  # not silently Osh oblast
    said = " ".join(data.unlocated)
    assert "'Ош' names places of several kinds" in said
    assert "'Ошская область', 'город Ош'" in said
    assert data.not_drawn().places == ("Ош",)
    located = locate(["Ошская область", "город Ош", "Ош", "Чуйская область"])
    assert "Ош" not in located.found
    assert located.doubtful["Ош"].reason == "kinds"
    # A table of oblasts that names no city explicitly: its level decides, as before.
    oblasts = locate(["Ошская область", "Ош", "Чуйская область", "Баткенская область"])
    assert oblasts.found["Ош"].place.id == "KG-O"
    # Its kind given by the row decides too.
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "name": ["Ошская область", "город Ош", "Ош", "Чуйская область"],
            "kind": ["", "", "city", ""],
        }
    )
    filled, report = fill_places(frame)
    assert report.filled["c"].place.id == "KG-GO"
    frame["kind"] = ""
    filled, report = fill_places(frame)
    assert "c" in report.doubtful
    assert pd.isna(filled.loc[2, "lat"])
    assert "подходит к местам разных типов" in " ".join(
        line.text("ru") for line in report.lines() if hasattr(line, "text")
    )


@pytest.mark.parametrize(
    ("hints", "said", "unsaid"),
    [
        ("python", "allow_missing=True", ("--allow-missing", "--places")),
        ("cli", "--allow-missing", ("allow_missing=", "Python", "places=")),
        ("app", "places file", ("allow_missing", "--allow-missing", "--places")),
    ],
)
def test_too_much_missing_names_the_option_of_the_surface(
    tmp_path: Path, hints: str, said: str, unsaid: tuple[str, ...]
) -> None:
    flows = tmp_path / "flows.csv"
    flows.write_text(UNPLACEABLE, encoding="utf-8")
    data = load_user_data(flows, hints=hints)
    for lang in ("en", "ky", "ru"):
        with pytest.raises(FlowmapError) as caught:
            data.not_drawn().check(hints=hints)
        text = error_text(caught.value, lang)
        # The limit is written as every share is: 5 % (a no-break space) in Russian.
        assert ("5\u00a0%" if lang == "ru" else "5%") in text
        if lang == "en" or hints != "app":  # the options are the same in every language
            assert said in text, (lang, text)
        for words in unsaid:
            assert words not in text, (lang, words)
    with pytest.raises(FlowmapError, match="more than 5% of the volume") as caught:
        data.flow_map(allow_missing=False)
    assert said in str(caught.value)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", "Не нарисовано потоков: 1 (8,0\u00a0% объёма): у мест нет координат (Atlantis)"),
        ("ky", "1 агым (көлөмдүн 8,0%) тартылган жок: жерлердин координаттары жок (Atlantis)"),
    ],
)
def test_the_title_box_says_it_in_kyrgyz_and_russian(
    tmp_path: Path, lang: str, expected: str
) -> None:
    flows = tmp_path / "flows.csv"
    flows.write_text(UNPLACEABLE, encoding="utf-8")
    data = load_user_data(flows)
    assert data.not_drawn().share == pytest.approx(80_000 / 1_002_000)
    with pytest.raises(FlowmapError, match="more than 5% of the volume"):
        data.flow_map(allow_missing=False)
    spec = map_spec(save_page(data.flow_map(lang=lang), tmp_path / "map.html"))
    assert spec["text"]["alerts"] == [expected]
    assert data.not_drawn().message().text(lang) == expected


def save_page(fmap: folium.Map, path: Path) -> str:
    save_html(fmap, path)
    return path.read_text(encoding="utf-8")


def test_russian_names_read_back_from_the_iso_romanisation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "geo"))
    build = load_geo_script("build_gazetteer", monkeypatch)
    cases = {
        "Sverdlovskaya oblast'": "Свердловская область",
        "Tatarstan, Respublika": "Республика Татарстан",
        "Irkutskaya oblast'": "Иркутская область",
        "Lipetskaya oblast'": "Липецкая область",
        "Khanty-Mansiyskiy avtonomnyy okrug": "Ханты-Мансийский автономный округ",
        "Yevreyskaya avtonomnaya oblast'": "Еврейская автономная область",
        "Ul'yanovskaya oblast'": "Ульяновская область",
        "Mariy El, Respublika": "Республика Марий Эл",
    }
    assert {k: build.russian_from_bgn(k) for k in cases} == cases
