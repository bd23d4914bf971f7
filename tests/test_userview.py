"""The "Your data" page's library side (flowmap.userview): which upload is which, the
choices a table offers, and the zip download."""

from __future__ import annotations

import io
import zipfile

import pytest

from flowmap.errors import FlowmapError
from flowmap.userdata import load_user_data
from flowmap.userview import (
    MAX_ROWS,
    Upload,
    assign,
    bundle,
    place_choices,
    too_many_rows,
    totals_table,
    years_of,
)

PLACES = Upload(
    "locations.csv",
    b'id,name,lat,lon\n001,Lyon,45.76,4.84\n002,Paris,48.86,2.35\n*ST,=HYPERLINK("x"),48.57,7.75\n',
)
FLOWS = Upload(
    "flows.csv",
    b"origin;dest;year;count\n001;002;2018;500\n002;001;2020;300\n*ST;002;2020;80\n"
    b"002;002;2020;9\n",
)


def test_two_uploads_are_told_apart_in_any_order() -> None:
    for order in ([FLOWS, PLACES], [PLACES, FLOWS]):
        roles = assign(order)
        assert roles.flows == FLOWS
        assert roles.places == PLACES
        assert roles.columns["flows.csv"] == ("origin", "dest", "year", "count")


def test_one_upload_is_the_flows() -> None:
    roles = assign([FLOWS])
    assert roles.flows == FLOWS
    assert roles.places is None


@pytest.mark.parametrize(
    ("uploads", "message"),
    [
        ([], "choose one or two files"),
        ([FLOWS, PLACES, FLOWS], "choose one or two files"),
        ([PLACES], "looks like a table of places"),
        ([FLOWS, FLOWS], "flows.csv looks like flows, flows.csv looks like flows"),
    ],
)
def test_wrong_uploads_are_named(uploads: list[Upload], message: str) -> None:
    with pytest.raises(FlowmapError, match=message):
        assign(uploads)


def test_choices_totals_and_zip() -> None:
    user = load_user_data(FLOWS.data, PLACES.data, flows_name="flows.csv", places_name="p.csv")
    assert years_of(user) == [2018, 2020]
    choices = place_choices(user)
    assert next(iter(choices)) == "002"  # the largest total first
    assert choices["001"] == "Lyon (001)"
    totals = totals_table(user)
    assert totals.set_index("id").loc["002", "incoming"] == 580
    assert too_many_rows(user) is None
    data = bundle(user, "<html>map</html>", title="Moves")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("map.html") == b"<html>map</html>"
        flows = archive.read("flows.csv").decode("utf-8")
        assert "002,002" not in flows.replace(";", ",")  # the self-flow is left out
        assert "'=HYPERLINK" in archive.read("places.csv").decode("utf-8")  # formula escaped
        readme = archive.read("README.txt").decode("utf-8")
        assert "read flows.csv" in readme
        assert "from a place to itself" in readme


def test_too_many_rows_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("flowmap.userview.MAX_ROWS", 3)
    user = load_user_data(FLOWS.data, PLACES.data, flows_name="flows.csv", places_name="p.csv")
    message = too_many_rows(user)
    assert message is not None
    assert message.startswith("4 flow rows: the app maps up to 3")
    assert "flowmap export --flows FILE" in message
    assert MAX_ROWS == 1_000_000
