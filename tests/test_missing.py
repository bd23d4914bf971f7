"""A view that drops chosen destinations says so: the map's note, and the command line's
warning, name every chosen destination without a figure in the selection (a net map has no
figure for single countries), in each language."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from flowmap.app.view import DESTINATIONS, with_parents
from flowmap.batken.dataset import MapData
from flowmap.batken.export import make_map
from flowmap.batken.preset import MapOptions, data_destinations, missing_note
from flowmap.batken.query import Selection
from flowmap.cli.commands import main
from flowmap.core.langs import LANGS
from flowmap.render.element import map_spec
from flowmap.render.image import render_image
from flowmap.text.i18n import t
from flowmap.text.period import Period
from flowmap.text.places import place_name

ABROAD = ("RU", "UZ", "KZ", "TR", "US")


@pytest.fixture(scope="module")
def data() -> MapData:
    return MapData.load()


def chosen(data: MapData, dest: tuple[str, ...], **options: Any) -> Selection:
    """The selection the app makes: the destinations plus their aggregates."""
    return Selection(dest=with_parents(dest, data.places), **options)


def spec_of(data: MapData, selection: Selection, lang: str = "en") -> dict[str, Any]:
    return map_spec(make_map(data, selection, MapOptions(lang=lang)))


def drawn_ends(spec: dict[str, Any]) -> set[str]:
    """The places at the other end of the drawn flows (the focus left out)."""
    ids = spec["places"]["id"]
    flows = spec["flows"]
    return {ids[i] for i in (*flows["o"], *flows["d"])} - {"KG-B"}


def sentence(direction: str, names: list[str], lang: str = "en") -> str:
    why = "out" if direction == "both" else direction
    first = t(f"note.missing.{direction}", lang, places=", ".join(names))
    return f"{first} {t(f'note.why.{why}', lang)}"


@pytest.mark.parametrize("lang", LANGS)
def test_net_map_names_the_countries_it_has_no_figure_for(data: MapData, lang: str) -> None:
    selection = chosen(data, DESTINATIONS, period=Period(2014, 2023), direction="net")
    spec = spec_of(data, selection, lang)
    names = [place_name(data.places, d, lang) for d in ABROAD]
    assert spec["text"]["notes"][0] == sentence("net", names, lang)
    assert not drawn_ends(spec) & set(ABROAD)
    assert {"KG-GO", "KG-GB", "KG-C", "KG-REST"} <= drawn_ends(spec)


def test_the_reason_is_the_articles() -> None:
    """Net figures exist only with the other oblasts and with abroad taken together."""
    why = t("note.why.net")
    assert "other oblasts of Kyrgyzstan taken together" in why
    assert "abroad taken together (2013, 2023, 2024)" in why
    assert "no arrivals by country" in why
    assert "Россия" not in t("note.why.in", "ru")  # "by country", without listing them
    assert "Баткенскую область" in t("note.why.in", "ru")
    assert "өлкөлөр боюнча" in t("note.why.net", "ky")


@pytest.mark.parametrize("direction", ["out", "in", "net", "both"])
@pytest.mark.parametrize("period", [Period(2014, 2023), Period(2015, 2015), Period(2023, 2023)])
@pytest.mark.parametrize("basis", ["reported", "all"])
def test_every_chosen_destination_is_drawn_or_named(
    data: MapData, direction: str, period: Period, basis: str
) -> None:
    selection = chosen(data, DESTINATIONS, period=period, direction=direction, basis=basis)
    spec = spec_of(data, selection)
    shown = drawn_ends(spec)
    absent = [d for d in DESTINATIONS if d not in shown]
    notes = spec["text"]["notes"]
    if absent:
        names = [place_name(data.places, d, "en") for d in absent]
        assert notes[0] == sentence(direction, names)
    else:
        assert not any(n.startswith("No ") and "figure for" in n for n in notes)


def test_arrivals_from_abroad_exist_only_as_a_total(data: MapData) -> None:
    selection = chosen(data, ("RU", "KG-GB"), period=Period(2023, 2023), direction="in")
    spec = spec_of(data, selection)
    assert drawn_ends(spec) == {"KG-GB", "ABROAD"}  # the total abroad stands in for Russia
    assert spec["text"]["notes"][0] == sentence("in", ["Russia"])


def test_departures_2014_2023_miss_nothing(data: MapData) -> None:
    selection = chosen(data, DESTINATIONS, period=Period(2014, 2023))
    assert missing_note(selection, data.places, data.selected(selection), "en") is None


def test_all_destinations_stand_for_the_datas_counterparts(data: MapData) -> None:
    everything = data_destinations(data.flows, "KG-B")
    assert set(everything) == {*DESTINATIONS, "KG-OTHER", "ABROAD"}
    selection = Selection(direction="net")  # no destination chosen: all of them
    note = missing_note(selection, data.places, data.selected(selection), "en", everything)
    assert note == sentence("net", ["Kazakhstan", "Russia", "Turkey", "USA", "Uzbekistan"])
    assert missing_note(selection, data.places, data.selected(selection), "en") is None


# --- command line -----------------------------------------------------------------------


def export(*argv: str) -> int:
    return main(["export", *argv], io.StringIO())


#: How the command line starts a warning, per language.
WARNING = {"en": "flowmap: warning: ", "ru": "flowmap: предупреждение: "}


def warnings(err: str, lang: str = "en") -> list[str]:
    return [line for line in err.splitlines() if line.startswith(WARNING[lang])]


def test_cli_warns_on_stderr_what_the_map_says(
    data: MapData, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "net.html"
    argv = ["--period", "2014-2023", "--direction", "net", "--dest", "RU,KG-GO"]
    assert export(*argv, "--out", str(out)) == 0
    expected = sentence("net", ["Russia"])
    assert warnings(capsys.readouterr().err) == [f"flowmap: warning: {expected}"]
    selection = Selection(period=Period(2014, 2023), direction="net", dest=("RU", "KG-GO"))
    assert spec_of(data, selection)["text"]["notes"][0] == expected


def test_cli_warning_in_the_maps_language_and_for_images(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "in.png"
    argv = ["--year", "2023", "--direction", "in", "--dest", "UZ,KG-GO", "--lang", "ru"]
    assert export(*argv, "--out", str(out)) == 0
    assert warnings(capsys.readouterr().err, "ru") == [
        f"{WARNING['ru']}{sentence('in', ['Узбекистан'], 'ru')}"
    ]


def test_cli_without_dest_names_what_all_leaves_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "net.svg"
    assert export("--period", "2014-2023", "--direction", "net", "--out", str(out)) == 0
    expected = sentence("net", ["Kazakhstan", "Russia", "Turkey", "USA", "Uzbekistan"])
    assert warnings(capsys.readouterr().err) == [f"flowmap: warning: {expected}"]


def test_cli_is_quiet_when_nothing_is_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.png"
    assert export("--period", "2014-2023", "--dest", "RU,KG-GO", "--out", str(out)) == 0
    assert warnings(capsys.readouterr().err) == []


def test_the_gap_is_shown_under_the_title_not_folded_away(tmp_path: Path) -> None:
    """The sentence is the map's alert (the page shows it in the title box; images under
    the title), not only a note folded into the source box."""
    data = MapData.load()
    selection = Selection(direction="net", dest=("RU", "KG-GB"))
    spec = spec_of(data, selection)
    assert spec["text"]["alerts"] == [spec["text"]["notes"][0]]
    assert "Russia" in spec["text"]["alerts"][0]
    out = tmp_path / "net.svg"
    render_image(spec, out)
    assert "Russia" in out.read_text(encoding="utf-8")
