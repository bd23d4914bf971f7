"""The strict loaders' errors (periods, places, flows, balances, populations, languages) in
Kyrgyz and Russian: every word is ours and translated; only the user's values and the
column names and codes of the file format stay as they are."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from flowmap.batken import data
from flowmap.batken.data import (
    AGES,
    BALANCE_COLUMNS,
    BASES,
    FLOW_COLUMNS,
    FLOW_OPTIONAL,
    PLACE_COLUMNS,
    PLACE_KINDS,
    PLACE_OPTIONAL,
    SEXES,
    load_balances,
    load_flows,
    load_places,
    load_populations,
)
from flowmap.batken.query import parse_dest, period_from
from flowmap.core.errors import DataValidationError, FlowmapError
from flowmap.text.i18n import MESSAGES, Message, error_text
from flowmap.text.period import Period
from flowmap.text.places import place_name

#: Words the user writes in the data set's own files and that errors must show as they are:
#: column names and the codes a column allows.
FILE_FORMAT: frozenset[str] = frozenset(
    {
        *PLACE_COLUMNS,
        *PLACE_OPTIONAL,
        *FLOW_COLUMNS,
        *FLOW_OPTIONAL,
        *BALANCE_COLUMNS,
        "place",
        "population",
        *BASES,
        *SEXES,
        *AGES,
        *PLACE_KINDS,
    }
)
_WORD = re.compile(r"[A-Za-z_]+")
_ENGLISH = re.compile(r"[A-Za-z]{4}")

PLACES_HEADER = "id,kind,name_en,name_ky,name_ru,parent,lat,lon,anchor\n"
FLOWS_HEADER = "origin,destination,period,sex,age,count,basis,source_ref,method,note\n"


def english(text: str, path: Path | None = None, values: tuple[str, ...] = ()) -> list[str]:
    """Return the runs of 4+ ASCII letters in ``text`` that are neither the file's name, the
    user's ``values`` nor words of the file format."""
    if path is not None:
        text = text.replace(str(path), "")
    for value in values:
        text = text.replace(value, "")
    return [w for w in _WORD.findall(text) if _ENGLISH.search(w) and w not in FILE_FORMAT]


def _error(call: object, *args: object) -> FlowmapError:
    """Return the error that ``call(*args)`` raises."""
    with pytest.raises(FlowmapError) as info:
        call(*args)  # type: ignore[operator]
    return info.value


@pytest.mark.parametrize(
    ("text", "english_text", "ru", "ky"),
    [
        (
            "20x9",
            "period must look like 2019 or 2014-2023, got '20x9'",
            "период должен быть годом",
            "мезгил 2019 сыяктуу жыл",
        ),
        (
            "2025-2020",
            "period must not end before it starts, got '2025-2020'",
            "период не может заканчиваться раньше, чем начинается; получено: '2025-2020'",
            "мезгил башталганга чейин бүтпөшү керек; берилгени: '2025-2020'",
        ),
    ],
)
def test_bad_periods(text: str, english_text: str, ru: str, ky: str) -> None:
    error = _error(Period.parse, text)
    assert str(error) == english_text
    assert isinstance(error.args[0], Message)
    assert ru in error_text(error, "ru")
    assert ky in error_text(error, "ky")
    for lang in ("ru", "ky"):
        assert english(error_text(error, lang)) == []


def test_bad_language() -> None:
    error = _error(place_name, load_places(), "KG-B", "de")
    assert str(error) == "language must be one of en, ky, ru, got 'de'"
    assert error_text(error, "ru") == "язык: допустимые значения — en, ky, ru; получено: 'de'"
    assert error_text(error, "ky") == (
        "тил төмөнкүлөрдүн бири болушу керек: en, ky, ru; берилгени: 'de'"
    )


def _problems(path: Path, load: object, *args: object) -> DataValidationError:
    """Return the validation error of loading ``path``."""
    error = _error(load, path, *args)
    assert isinstance(error, DataValidationError)
    return error


def test_flows_errors_in_kyrgyz_and_russian(tmp_path: Path) -> None:
    path = tmp_path / "flows.csv"
    path.write_text(
        FLOWS_HEADER
        + "KG-B,RU,2014-2023,total,all,7529,reported,P-ABROAD,,\n"
        + "KG-B,Nowhereland,2014-2023,total,all,-1,reported,P-ABROAD,,\n"
        + "KG-B,RU,20x9,both,all,5,guessed,,,\n"
        + "KG-B,KZ,2014-2023,total,all,5,modelled,P-ABROAD,,\n"
        + "KG-B,RU,2014-2023,total,all,7529,reported,P-ABROAD,,\n"
        + "RU,RU,2023-2014,total,all,99999999999999,reported,P-ABROAD,,\n"
        + "KG-B,KZ,2019,total,all,lots,reported,P-ABROAD,,\n",
        encoding="utf-8",
    )
    error = _problems(path, load_flows)
    assert len(error.problems) == 12
    assert all(isinstance(p, Message) for p in error.problems)
    assert "row 2 (line 3), column 'destination': unknown place id 'Nowhereland'" in error.problems
    ru = error_text(error, "ru")
    ky = error_text(error, "ky")
    for expected in (
        "строка 2 (строка файла 3), столбец 'destination': неизвестный код места: 'Nowhereland'",
        "строка 2 (строка файла 3), столбец 'count': должно быть не меньше 0; получено: '-1'",
        "столбец 'period': период должен быть годом",
        "столбец 'sex': допустимые значения — total, male, female; получено: 'both'",
        "столбец 'source_ref': укажите источник данных строки",
        "столбец 'method': в строке с модельной оценкой нужно указать, как она получена",
        "поток KG-B/RU/2014-2023/total/all повторяется (впервые: строка 1 (строка файла 2))",
        "столбцы 'origin'/'destination': в обоих указано 'RU'",
        "столбец 'period': период не может заканчиваться раньше, чем начинается",
        "должно быть меньше 1\u00a0000\u00a0000\u00a0000\u00a0000; получено 14-значное число",
        "должно быть целое число, записанное цифрами 0-9; получено: 'lots'",
    ):
        assert expected in ru
    for expected in (
        "2-сап (файлдын 3-сабы), 'destination' тилкеси: белгисиз жер коду: 'Nowhereland'",
        "'source_ref' тилкеси: саптын булагын көрсөтүңүз",
        "KG-B/RU/2014-2023/total/all агымы кайталанат (биринчи жолу: 1-сап (файлдын 2-сабы))",
    ):
        assert expected in ky
    users = ("Nowhereland", "lots", "both", "guessed")
    assert english(ru, path, users) == []
    assert english(ky, path, users) == []


def test_places_errors_in_kyrgyz_and_russian(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text(
        PLACES_HEADER
        + "KG-B,oblast,Batken oblast,Баткен облусу,Баткенская область,ZZ,39.853,71.591,\n"
        + "KG-B,region,Batken,Баткен,,,40,,\n"
        + "kg-x,city,Town,Шаар,Город,,95,north,\n"
        + "A,aggregate,Alpha,А,А,B,,,\n"
        + "B,aggregate,Beta,Б,Б,A,,,\n",
        encoding="utf-8",
    )
    error = _problems(path, load_places)
    ru = error_text(error, "ru")
    ky = error_text(error, "ky")
    for expected in (
        "столбец 'id': код 'KG-B' повторяется (впервые: строка 1 (строка файла 2))",
        "столбец 'kind': допустимые значения — country, oblast",
        "столбец 'name_ru': значение не должно быть пустым",
        "столбцы 'lat'/'lon': укажите обе координаты или ни одной",
        "столбец 'id': должен состоять из заглавных латинских букв, цифр и дефисов",
        "столбец 'lat': должно быть в пределах от −90 до 90; получено: '95'",
        "столбец 'lon': должно быть десятичное число, записанное цифрами 0-9 с точкой",
        "столбец 'parent': неизвестный код места: 'ZZ'",
        "ссылки на вышестоящие места образуют цикл: A -> B -> A",
    ):
        assert expected in ru
    assert "'parent' тилкеси: белгисиз жер коду: 'ZZ'" in ky
    users = ("region", "north", "kg-x")
    assert english(ru, path, users) == []
    assert english(ky, path, users) == []


def test_swapped_coordinates_in_kyrgyz_and_russian(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text(
        PLACES_HEADER
        + "KG-B,oblast,Batken oblast,Баткен облусу,Баткенская область,,71.591,39.853,\n",
        encoding="utf-8",
    )
    error = _problems(path, load_places)
    ru = error_text(error, "ru")
    assert (
        "столбцы 'lat'/'lon': точка (71.591, 39.853) находится в море, а (39.853, 71.591) — "
        "в стране KG: не перепутаны ли широта и долгота?"
    ) in ru
    assert english(ru, path) == []
    assert english(error_text(error, "ky"), path) == []


def test_populations_and_balances_in_kyrgyz_and_russian(tmp_path: Path) -> None:
    populations = tmp_path / "populations.csv"
    populations.write_text(
        "place,population,year,source_id\nKG-B,0,2023,S\nKG-B,5,2023,S\nMars,5,2023,S\n",
        encoding="utf-8",
    )
    error = _problems(populations, load_populations)
    ru = error_text(error, "ru")
    assert "столбец 'population': должно быть больше 0; получено: '0'" in ru
    assert "столбец 'place': неизвестный код места: 'Mars'" in ru
    for lang in ("ru", "ky"):
        assert english(error_text(error, lang), populations, ("Mars",)) == []
    twice = tmp_path / "twice.csv"
    twice.write_text(
        "place,population,year,source_id\nKG-B,5,2023,S\nKG-B,6,2023,S\n", encoding="utf-8"
    )
    assert "столбец 'place': 'KG-B' указано дважды" in error_text(
        _problems(twice, load_populations), "ru"
    )
    balances = tmp_path / "balances.csv"
    balances.write_text(
        ",".join(BALANCE_COLUMNS) + "\nKG-B,RU,2019,total,all,-3,x,-1,guessed,T1,\n",
        encoding="utf-8",
    )
    error = _problems(balances, load_balances)
    ky = error_text(error, "ky")
    assert "'arrivals' тилкеси: терс сан болбошу керек" in ky
    assert "'basis' тилкеси: төмөнкүлөрдүн бири болушу керек: reported, derived, modelled" in ky
    for lang in ("ru", "ky"):
        assert english(error_text(error, lang), balances, ("guessed",)) == []


def test_every_data_key_used_is_in_the_catalogue() -> None:
    package = Path(data.__file__).resolve().parents[2]
    lines = (p.read_text(encoding="utf-8").splitlines() for p in sorted(package.rglob("*.py")))
    source = "\n".join(line for text in lines for line in text if ">>>" not in line)
    used = set(re.findall(r"""msg\(\s*["']([a-z][a-z0-9_.-]*)["']""", source))
    assert {k for k in used if k.startswith("data.")} >= {"data.period_format", "data.swapped"}
    assert sorted(used - set(MESSAGES)) == []


def test_data_py_builds_no_english_error_text() -> None:
    """Problems and errors are catalogue messages, not f-strings of English words."""
    files = sorted(Path(data.__file__).parent.glob("*.py"))
    source = "\n".join(p.read_text(encoding="utf-8") for p in files)
    assert not re.search(r"""problems\.append\(\s*f["']""", source)
    assert not re.search(r"""FlowmapError\(\s*f?["']""", source)


# --------------------------------------------------------------------------- choosing a view


@pytest.mark.parametrize(
    ("choose", "english", "russian", "kyrgyz"),
    [
        (
            lambda places: period_from(2019, "2014-2023"),
            "give either a year or a period, not both",
            "укажите либо год, либо период, но не оба сразу",
            "же жылды, же мезгилди көрсөтүңүз, экөөнү тең эмес",
        ),
        (
            lambda places: period_from("2014-2015"),
            "year must be a single year, got '2014-2015'",
            "нужно указать один год; получено: '2014-2015'",
            "бир гана жыл көрсөтүлүшү керек; берилгени: '2014-2015'",
        ),
        (
            lambda places: parse_dest("RU,XX", places),
            "unknown place id(s) 'XX'; known ids: ",
            "неизвестные коды мест: 'XX'; известные коды: ",
            "белгисиз жер коддору: 'XX'; белгилүү коддор: ",
        ),
    ],
)
def test_choices_of_a_view_say_what_is_wrong_in_every_language(
    choose: Callable[[pd.DataFrame], object], english: str, russian: str, kyrgyz: str
) -> None:
    places = load_places()
    with pytest.raises(FlowmapError) as info:
        choose(places)
    assert isinstance(info.value.args[0], Message)
    assert str(info.value).startswith(english)
    assert error_text(info.value, "ru").startswith(russian)
    assert error_text(info.value, "ky").startswith(kyrgyz)
