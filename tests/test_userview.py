"""The "Your data" page's library side (flowmap.app.userview): which upload is which, the
choices a table offers, and the zip download."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from flowmap.app.userview import (
    MAX_ROWS,
    Upload,
    assign,
    bundle,
    place_choices,
    preview,
    read_upload,
    time_values,
    too_many_rows,
    totals_table,
    years_of,
)
from flowmap.core.errors import FlowmapError
from flowmap.render.usermap import load_user_data
from flowmap.text.i18n import error_text

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
    assert time_values(user) == ["2018", "2020"]  # the app's one-period choices, latest last
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
    monkeypatch.setattr("flowmap.app.userview.MAX_ROWS", 3)
    user = load_user_data(FLOWS.data, PLACES.data, flows_name="flows.csv", places_name="p.csv")
    message = too_many_rows(user)
    assert message is not None
    assert message.startswith("4 flow rows: the app maps up to 3")
    assert "flowmap export --flows FILE" in message
    assert MAX_ROWS == 1_000_000


CYRILLIC_FLOWS = Upload("потоки.csv", "откуда;куда;число\nА;Б;500\nБ;А;300\nА;А;9\n".encode())
CYRILLIC_PLACES = Upload(
    "места.csv", "id,name,lat,lon\nА,Ала,45.76,4.84\nБ,Бел,48.86,2.35\n".encode()
)
TABLES = ("flows.csv", "places.csv", "totals.csv")
# File names, the software and the encoding: names shown on purpose.
ALLOWED = {"flows", "places", "totals", "html", "Batken", "Flowmap", "utf"}


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_the_zip_reads_in_kyrgyz_and_russian(lang: str) -> None:
    user = load_user_data(
        CYRILLIC_FLOWS.data,
        CYRILLIC_PLACES.data,
        flows_name=CYRILLIC_FLOWS.name,
        places_name=CYRILLIC_PLACES.name,
        flow_columns={"origin": "откуда", "dest": "куда", "count": "число"},
    )
    data = bundle(user, "<html>map</html>", title="Переезды", lang=lang)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        readme = archive.read("README.txt").decode("utf-8")
        tables = {name: archive.read(name).decode("utf-8") for name in TABLES}
    assert set(re.findall(r"[A-Za-z]{4,}", readme)) <= ALLOWED, readme
    for name, text in tables.items():
        header = text.splitlines()[0]
        assert not re.findall(r"[A-Za-z]{4,}", header), (name, header)
    said = {
        "ru": ("Сделано в Batken Flowmap", "из места в то же место", "офлайн-справочника"),
        "ky": ("Batken Flowmap менен", "бир эле жерден ошол жерге", "офлайн маалымдамадан"),
    }[lang]
    for part in said:
        assert part in readme
    totals = {
        "ru": "код,название,входящие потоки,исходящие потоки,сальдо,внутренние потоки,всего",
        "ky": "код,аталышы,кирүүчү агымдар,чыгуучу агымдар,сальдо,ички агымдар,бардыгы",
    }[lang]
    assert tables["totals.csv"].splitlines()[0] == totals
    english = bundle(user, "<html>map</html>", title="Переезды")
    with zipfile.ZipFile(io.BytesIO(english)) as archive:
        assert archive.read("totals.csv").decode().startswith("id,name,incoming,outgoing")


def test_headers_and_preview_in_russian() -> None:
    user = load_user_data(FLOWS.data, PLACES.data, flows_name="flows.csv", places_name="p.csv")
    assert list(preview(user.places, lang="ru").columns) == ["код", "название", "широта", "долгота"]
    assert list(preview(user.flows).columns)[:4] == ["origin", "dest", "count", "time"]
    assert list(preview(user.flows, lang="ky").columns)[:4] == ["кайдан", "кайда", "сан", "мезгил"]
    assert list(totals_table(user, "ru").columns)[:2] == ["код", "название"]


def test_too_many_rows_and_wrong_uploads_in_russian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("flowmap.app.userview.MAX_ROWS", 3)
    user = load_user_data(FLOWS.data, PLACES.data, flows_name="flows.csv", places_name="p.csv")
    message = too_many_rows(user)
    assert message is not None
    assert message.text("ru") == (
        "строк потоков: 4; приложение строит карту не более чем по 3 строкам; воспользуйтесь "
        "командной строкой (flowmap export --flows FILE), она принимает до 2\xa0000\xa0000 строк"
    )
    with pytest.raises(FlowmapError) as caught:
        assign([CYRILLIC_FLOWS, CYRILLIC_FLOWS])
    assert error_text(caught.value, "ru") == (
        "из двух файлов один должен содержать потоки (origin, dest, count), а другой — места "
        "(id, name, lat, lon); потоки.csv похож на таблицу потоков, потоки.csv похож на "
        "таблицу потоков"
    )
    with pytest.raises(FlowmapError) as caught:
        assign([])
    assert error_text(caught.value, "ky") == (
        "бир же эки файл тандаңыз (агымдар жана жерлер); тандалганы: 0"
    )


def test_time_values_put_a_span_after_the_years_it_ends_with() -> None:
    flows = b"origin,dest,count,period\nA,B,1,2014-2023\nA,B,2,2023\nA,B,3,2019\nA,B,4,\n"
    user = load_user_data(flows, flows_name="f.csv", gazetteer=False)
    assert time_values(user) == ["2019", "2014-2023", "2023"]


def test_read_upload_refuses_more_rows_than_the_app_maps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 17: the refusal happens where the table is read (in the app's worker), so a
    table too large to map never reaches the server."""
    assert len(read_upload(FLOWS, PLACES).flows) == 4
    monkeypatch.setattr("flowmap.app.userview.MAX_ROWS", 3)
    with pytest.raises(FlowmapError, match="4 flow rows: the app maps up to 3"):
        read_upload(FLOWS, PLACES)
