"""The Batken page's numbers table as HTML (:func:`flowmap.app.table.table_html`): escaped,
numbers written as the data grid wrote them, missing cells empty, headers and name for a
screen reader, the rows in their order."""

from __future__ import annotations

import pandas as pd
import pytest

from flowmap.app import view
from flowmap.app.table import change_table, shown_table, table_for, table_html
from flowmap.batken.compare import change_rows
from flowmap.batken.dataset import MapData
from flowmap.batken.query import Selection
from flowmap.core.langs import LANGS
from flowmap.text.i18n import t
from tests.conftest import html_table
from tests.test_template_injection import EVALUATED, PAYLOADS

NBSP = "\u00a0"
TABLE_TAGS = {"div", "table", "caption", "thead", "tbody", "tr", "th", "td", "details", "summary"}
HOSTILE = ["<img src=x onerror=alert(1)>", "{{7*7}}", "</td></tr></table><script>x</script>"]


@pytest.fixture(scope="module")
def data() -> MapData:
    return MapData.load()


def test_hostile_names_and_headers_are_text_never_markup() -> None:
    frame = pd.DataFrame({"<b onmouseover=x>From</b>": HOSTILE, "{{ n }}": [1, 2, 3]})
    markup = table_html(frame, "en")
    assert "<img" not in markup
    assert "<script" not in markup
    assert "&lt;img src=x onerror=alert(1)&gt;" in markup
    table = html_table(markup)
    assert table.tags <= TABLE_TAGS  # nothing a cell or a header held became a tag
    assert table.headers == ["<b onmouseover=x>From</b>", "{{ n }}"]
    assert table.column("<b onmouseover=x>From</b>") == HOSTILE  # shown as written
    assert "49" not in markup  # no template engine ran {{7*7}}


def test_invisible_characters_are_shown_as_marks() -> None:
    frame = pd.DataFrame({"place": ["Osh\u202eevil", "ok"]})
    assert html_table(table_html(frame, "en")).column("place") == ["Osh[U+202E]evil", "ok"]


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        ("en", ["7,529", "−1,017", "55.75", "1,039"]),
        ("ru", [f"7{NBSP}529", f"−1{NBSP}017", "55,75", f"1{NBSP}039"]),
        ("ky", [f"7{NBSP}529", f"−1{NBSP}017", "55,75", f"1{NBSP}039"]),
    ],
)
def test_numbers_are_written_the_languages_way_and_missing_cells_are_empty(
    lang: str, shown: list[str]
) -> None:
    frame = pd.DataFrame(
        {
            "id": ["RU", None],
            "count": [7529, -1017],
            "lat": [55.75, float("nan")],
            "low": pd.array([None, 1039], dtype="Int64"),
        }
    )
    table = html_table(table_html(frame, lang))
    assert table.rows == [["RU", shown[0], shown[2], ""], ["", shown[1], "", shown[3]]]
    # The same texts the data grid showed (shown_table's display values).
    grid = shown_table(frame, lang).to_string(delimiter="|").splitlines()[1:]
    assert [row.split("|")[2:] for row in grid] == [row[1:] for row in table.rows]


def test_headers_are_column_headers_and_numbers_are_right_aligned() -> None:
    frame = pd.DataFrame({"to": ["Osh"], "count": [5], "share": [0.5], "basis": ["modelled"]})
    table = html_table(table_html(frame, "en"))
    assert [a.get("scope") for a in table.header_attrs] == ["col"] * 4
    numeric = [a.get("class") == "fm-num" for a in table.header_attrs]
    assert numeric == [False, True, True, False]
    assert [a.get("class") == "fm-num" for a in table.cell_attrs[0]] == numeric


@pytest.mark.parametrize("lang", LANGS)
def test_the_table_is_named_in_the_pages_language(lang: str) -> None:
    table = html_table(table_html(pd.DataFrame({"a": [1]}), lang))
    assert table.label == table.caption == t("app.tab.table.caption", lang)
    names = {t("app.tab.table.caption", other) for other in LANGS}
    assert len(names) == len(LANGS)


def test_rows_keep_their_order_and_an_empty_table_has_its_headers() -> None:
    frame = pd.DataFrame({"to": ["Osh", "Bishkek", "Chüy"], "count": [3, 30, 1]})
    assert html_table(table_html(frame, "en")).column("to") == ["Osh", "Bishkek", "Chüy"]
    empty = html_table(table_html(frame.iloc[:0], "en"))
    assert (empty.headers, empty.rows) == (["to", "count"], [])


@pytest.mark.parametrize("lang", LANGS)
def test_the_batken_tables_read_as_before(data: MapData, lang: str) -> None:
    """The default view (2014–2023 departures): the range of a modelled figure given, a
    reported figure's range empty; the change table: no figure in a period is empty."""
    table = table_for(view.flows_for(data, view.ViewState()), data.places, lang)
    shown = html_table(table_html(table, lang))
    assert shown.headers == list(table.columns)
    sep = "," if lang == "en" else NBSP
    chuy = shown.column(t("tip.to", lang)).index(data.places.at["KG-C", f"name_{lang}"])
    low, high = t("range.column.low", lang), t("range.column.high", lang)
    assert (shown.column(low)[chuy], shown.column(high)[chuy]) == (f"1{sep}039", f"5{sep}235")
    for i, basis in enumerate(shown.column(t("tip.basis", lang))):
        if basis == t("basis.reported", lang):
            assert shown.column(low)[i] == shown.column(high)[i] == ""
    assert shown.column(t("tip.to", lang)) == table[t("tip.to", lang)].tolist()
    changes = change_table(change_rows(data, Selection(), "2017", "2023"), data.places, lang)
    shown = html_table(table_html(changes, lang))
    assert shown.headers == list(changes.columns)
    russia = shown.column(t("tip.to", lang)).index(data.places.at["RU", f"name_{lang}"])
    assert shown.rows[russia][2] == ""  # no figure for 2017: empty, never 0
    assert shown.rows[russia][4] == ""


def test_a_long_text_shows_two_lines_until_opened_and_all_of_it_is_in_the_page() -> None:
    method = "Modelled: " + "split by population ÷ distance; " * 6
    frame = pd.DataFrame({"to": ["Osh", "Bishkek"], "method": [method, "reported"]})
    markup = table_html(frame, "en")
    table = html_table(markup)
    assert table.column("method") == [method, "reported"]  # the whole text
    assert [a.get("class") for a in table.cell_attrs[0]] == [None, "fm-long"]
    assert f"<details><summary>{method}</summary></details>" in markup
    assert markup.count("<details>") == 1  # a short text of the column is plain


@pytest.mark.parametrize("lang", LANGS)
def test_hostile_place_names_reach_the_batken_table_as_text(data: MapData, lang: str) -> None:
    """Template payloads and markup as the names of the places of the default view: the
    table shows each name as written, nothing evaluated, no tag from a name."""
    payloads = [*PAYLOADS, "<img src=x onerror=alert(1)>", "a</td><td>b"]
    places = data.places.copy()
    drawn = view.flows_for(data, view.ViewState())
    ids = sorted(set(drawn["destination"]))
    for i, pid in enumerate(ids):
        places.loc[pid, f"name_{lang}"] = payloads[i % len(payloads)]
    table = table_for(drawn, places, lang)
    markup = table_html(table, lang)
    shown = html_table(markup)
    assert shown.tags <= TABLE_TAGS
    names = shown.column(t("tip.to", lang))
    assert names == table[t("tip.to", lang)].tolist()  # each as written, in its row
    assert set(names) <= set(payloads)
    assert len(set(names)) >= 6
    for result in EVALUATED:
        assert result not in markup
