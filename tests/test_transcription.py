"""Every figure of the article, typed in a second time from the article, against data/."""

from __future__ import annotations

import re

import pytest

from flowmap.batken.article import load_article
from tests.conftest import SOURCE_DIR

# Table 1 as printed: year -> (arrivals, departures, net).
TABLE_1 = {
    2013: (311, 931, -620),
    2014: (305, 1009, -704),
    2015: (239, 899, -660),
    2016: (849, 1355, -506),
    2017: (829, 1751, -922),
    2018: (678, 1495, -817),
    2019: (696, 1605, -909),
    2020: (692, 1735, -1043),
    2021: (261, 1578, -1017),
    2022: (874, 2169, -1295),
    2023: (631, 1590, -959),
}
# Table 2 as printed: year -> arrivals (total, male, female), departures (total, male, female).
TABLE_2 = {
    2017: (829, 340, 489, 1751, 852, 899),
    2018: (678, 307, 371, 1495, 696, 799),
    2019: (696, 286, 410, 1605, 798, 807),
    2020: (692, 290, 402, 1735, 777, 958),
    2021: (561, 242, 319, 1578, 679, 899),
    2022: (874, 356, 518, 2169, 918, 1251),
    2023: (631, 268, 363, 1590, 660, 930),
}
ABROAD_2014_2023 = {"RU": 7529, "UZ": 566, "KZ": 247, "TR": 40, "US": 105}
# Figures given in the text: fig_id -> (printed period, value).
TEXT = {
    "T1T-arr-2013": ("2013", "311"),
    "T1T-arr-2023": ("2023", "631"),
    "PI23-arr": ("2023", "631"),
    "PI23-dep": ("2023", "1590"),
    "PI18-arr": ("2018", "631"),
    "PI18-dep": ("2018", "1590"),
    "PE13-dep": ("2013", "1657"),
    "PE13-arr": ("2013", "939"),
    "PE13-net": ("2013", "-718"),
    "PE13B-dep": ("2013", "1774"),
    "PE13B-arr": ("2013", "167"),
    "PE23-dep": ("2023", "1774"),
    "PE23-arr": ("2023", "167"),
    "PE24-arr": ("2024", "165"),
    "PE24-arr-wa": ("2024", "141"),
    "PE24-arr-wa-pct": ("2024", "85.5"),
    "PE24-dep": ("2024", "1650"),
    "PE24-dep-wa": ("2024", "1519"),
    "PE24-dep-wa-pct": ("2024", "92"),
    "PE18-arr": ("2018", "165"),
    "PE18-arr-wa": ("2018", "141"),
    "PE18-arr-wa-pct": ("2018", "85.5"),
    "PE18-dep": ("2018", "1650"),
    "PE18-dep-wa": ("2018", "1519"),
    "PE18-dep-wa-pct": ("2018", "92"),
    "P99-militants-low": ("1999-2000", "200"),
    "P99-militants-high": ("1999-2000", "1000"),
    "P99-troops-low": ("1999-2000", "1500"),
    "P99-troops-high": ("1999-2000", "2000"),
    "P99-killed": ("1999-2000", "53"),
    "P99-wounded-min": ("1999-2000", "130"),
    "P99-refugees-low": ("1999-2000", "4000"),
    "P99-refugees-high": ("1999-2000", "8000"),
    "P99-flag-days": ("1999-2000", "45"),
}


def _expected() -> dict[str, tuple[str, str]]:
    """Return every expected figure id with its printed period and value."""
    out = dict(TEXT)
    for year, values in TABLE_1.items():
        for measure, value in zip(("arr", "dep", "net"), values, strict=True):
            out[f"T1-{measure}-{year}"] = (str(year), str(value))
    for year, row in TABLE_2.items():
        for i, value in enumerate(row):
            measure = "arr" if i < 3 else "dep"
            sex = ("total", "male", "female")[i % 3]
            out[f"T2-{measure}-{sex}-{year}"] = (str(year), str(value))
    for country, value in ABROAD_2014_2023.items():
        out[f"PA-dep-{country}"] = ("2014-2023", str(value))
    return out


def test_every_figure_is_transcribed_as_printed() -> None:
    figures = load_article().figures
    expected = _expected()
    actual = {str(r.fig_id): (str(r.period), str(r.value)) for r in figures.itertuples(index=False)}
    assert actual == expected


def test_figures_have_consistent_metadata() -> None:
    figures = load_article().figures
    persons = figures[figures["unit"] == "persons"]
    assert set(figures["unit"]) == {"persons", "percent", "days"}
    flows = persons[persons["measure"].isin(("arrivals", "departures", "net"))]
    assert set(flows["counterpart"]) == {"KG-OTHER", "ABROAD", "RU", "UZ", "KZ", "TR", "US"}
    table_2_male = figures[(figures["ref"] == "T2") & (figures["sex"] == "male")]
    assert len(table_2_male) == 14


def _normalise(text: str) -> str:
    """Collapse whitespace and undo the line-break hyphenation of the source text."""
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"(\w)- (\w)", r"\1\2", text)


@pytest.fixture(scope="module")
def source_text() -> str:
    files = sorted(SOURCE_DIR.glob("*.txt")) if SOURCE_DIR.is_dir() else []
    if not files:
        pytest.skip(f"the source article is not beside the repository ({SOURCE_DIR})")
    return _normalise(" ".join(f.read_text(encoding="utf-8") for f in files))


def test_reference_excerpts_are_in_the_article(source_text: str) -> None:
    references = load_article().references
    missing = [
        r.ref
        for r in references.itertuples(index=False)
        if _normalise(str(r.excerpt)) not in source_text
    ]
    assert missing == []


def test_every_number_printed_in_the_article_is_transcribed(source_text: str) -> None:
    """Every number in the article is a transcribed figure, a year or a listed exception."""
    figures = load_article().figures
    transcribed = {str(abs(float(v))).removesuffix(".0") for v in figures["value"]}
    numbers = set(re.findall(r"(?<![\d,])\d[\d]*(?:,\d+)?(?![\d])", source_text))
    numbers = {n.replace(",", ".") for n in numbers}
    years = {str(y) for y in range(1990, 2026)}
    # Not figures: citation markers [3] [4] [5] [7], list numbers 1. 2. 3., "10 years later",
    # "the 90s"; and "4 миңден 8 миңге" (4 to 8 thousand refugees), transcribed as 4000/8000.
    not_figures = {"1", "2", "3", "4", "5", "7", "8", "10", "90"}
    untranscribed = sorted(numbers - transcribed - years - not_figures, key=float)
    assert untranscribed == []
