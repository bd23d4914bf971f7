"""Template syntax in data is text, never code: every path from data to a map.

branca parses a rendered script again as a Jinja template, so before the fix a place named
``T{{ 7*7 }}T`` came out as ``T49T`` and a district file could run shell commands. Each test
pushes the payloads through one path and checks that the text arrives as typed.
"""

from __future__ import annotations

import csv
import html
import io
import json
import uuid
from pathlib import Path

import folium
import pytest

from flowmap.cli.commands import main
from flowmap.core.paths import data_dir
from flowmap.render._elements import Raw, fill_slots, slot

MARKER = uuid.uuid4().hex[:8]
PROBE_DIR = Path("/tmp") / f"flowmap-jinja-{MARKER}"
PAYLOADS = [
    "T{{ 7*7 }}T",
    "I{% if 1 %}yes{% endif %}I",
    "Q{# comment #}Q",
    "{{ cycler.__init__.__globals__.os.popen(dict(id=1)|first).read() }}",
    f"{{{{ cycler.__init__.__globals__.os.mkdir('{PROBE_DIR}') }}}}",
    "unbalanced {{ and {% and {#",
    "@@fm-slot:css@@",
]
EVALUATED = ["T49T", "IyesI", "QQ", "uid=", "gid="]


def _script_forms(payload: str) -> list[str]:
    """Return how a payload may appear inside our JSON script blocks: as it is, or escaped
    for HTML first (tooltips and boxes hold HTML), then escaped for the script."""
    forms = []
    for text in (payload, html.escape(payload, quote=True)):
        escaped = json.dumps(text, ensure_ascii=False)[1:-1]
        for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("'", "\\u0027")):
            escaped = escaped.replace(char, code)
        forms.append(escaped)
    return forms


def _assert_literal(page: str, payloads: list[str]) -> None:
    for payload in payloads:
        assert any(form in page for form in _script_forms(payload)), payload
    for result in EVALUATED:
        assert result not in page, result
    assert not PROBE_DIR.exists()


def _copy_tables(tmp_path: Path) -> tuple[Path, Path]:
    places = tmp_path / "places.csv"
    flows = tmp_path / "flows.csv"
    places.write_bytes((data_dir() / "places.csv").read_bytes())
    flows.write_bytes((data_dir() / "flows.csv").read_bytes())
    return places, flows


def _rewrite(path: Path, change: dict[str, dict[str, str]], key: str) -> None:
    """Set columns of the rows whose ``key`` column has the given values."""
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    for row in rows:
        row.update(change.get(row[key], {}))
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _export(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    out = tmp_path / "map.html"
    stdout = io.StringIO()
    code = main(["export", "--period", "2014-2023", "--out", str(out), *args], stdout)
    return code, out.read_text(encoding="utf-8") if out.exists() else "", stdout.getvalue()


def test_plain_folium_still_evaluates_templates() -> None:
    """The hazard is real: folium's own Tooltip evaluates template syntax in its text."""
    fmap = folium.Map(tiles=None)
    folium.Marker([40, 70], tooltip="T{{ 7*7 }}T").add_to(fmap)
    assert "T49T" in fmap.get_root().render()


@pytest.mark.parametrize("lang", ["en", "ky", "ru"])
def test_place_columns(tmp_path: Path, lang: str) -> None:
    """Payloads in the names of every language at once (a playable page carries all three):
    the page's own language shows them literally, and none is evaluated in any."""
    places, flows = _copy_tables(tmp_path)
    values = {pid: PAYLOADS[i % len(PAYLOADS)] for i, pid in enumerate(["KG-B", "RU", "UZ"])}
    columns = ("name_en", "name_ky", "name_ru")
    _rewrite(places, {pid: dict.fromkeys(columns, value) for pid, value in values.items()}, "id")
    code, page, _ = _export(
        tmp_path, "--places", str(places), "--flows", str(flows), "--lang", lang
    )
    assert code == 0
    _assert_literal(page, list(values.values()))


@pytest.mark.parametrize("column", ["source_ref", "method", "note"])
def test_flow_text_columns(tmp_path: Path, column: str) -> None:
    places, flows = _copy_tables(tmp_path)
    with flows.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    chosen = [
        r
        for r in rows
        if r["period"] == "2014-2023"
        and r["origin"] == "KG-B"
        and r["destination"] not in ("KG-OTHER", "KG-REST")
        and (r["sex"], r["age"]) == ("total", "all")
    ]
    assert len(chosen) >= len(PAYLOADS)
    for i, row in enumerate(chosen):
        row[column] = PAYLOADS[i % len(PAYLOADS)]
        if column == "note":  # notes of modelled rows are not shown in tooltips
            row["basis"] = "reported" if row["basis"] == "modelled" else row["basis"]
            row["method"] = ""
            row["low"] = row["high"] = ""  # only a modelled row has a range
    with flows.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, page, _ = _export(tmp_path, "--places", str(places), "--flows", str(flows))
    assert code == 0
    _assert_literal(page, PAYLOADS)


@pytest.mark.parametrize("column", ["origin", "destination", "period", "sex", "age", "basis"])
def test_checked_flow_columns_refuse_payloads_literally(
    tmp_path: Path, column: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Columns with a fixed vocabulary refuse the payload and quote it as typed."""
    places, flows = _copy_tables(tmp_path)
    with flows.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    rows[0][column] = "T{{ 7*7 }}T"
    with flows.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, page, _ = _export(tmp_path, "--places", str(places), "--flows", str(flows))
    assert code == 2
    assert page == ""
    err = capsys.readouterr().err
    assert "'T{{ 7*7 }}T'" in err
    assert "T49T" not in err


def test_title_and_subtitle(tmp_path: Path) -> None:
    code, page, _ = _export(tmp_path, "--title", PAYLOADS[0], "--subtitle", PAYLOADS[1])
    assert code == 0
    _assert_literal(page, PAYLOADS[:2])
    assert "<title>T{{ 7*7 }}T · I{% if 1 %}yes{% endif %}I</title>" in page


def test_district_names(tmp_path: Path) -> None:
    features = [
        {
            "type": "Feature",
            "properties": {"name": payload},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [70.0 + i * 0.1, 39.8],
                        [70.05 + i * 0.1, 39.8],
                        [70.05 + i * 0.1, 39.9],
                        [70.0 + i * 0.1, 39.8],
                    ]
                ],
            },
        }
        for i, payload in enumerate(PAYLOADS)
    ]
    path = tmp_path / "districts.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    code, page, _ = _export(tmp_path, "--districts", str(path))
    assert code == 0
    _assert_literal(page, PAYLOADS)


def test_slots_are_filled_once() -> None:
    """Text that arrives with the data is never scanned for placeholders again."""
    text = fill_slots(f"a={slot('a')}; b={slot('b')}", {"a": slot("b"), "b": "{{ 7*7 }}"})
    assert text == 'a="@@fm-slot:b@@"; b="{{ 7*7 }}"'


def test_raw_elements_are_not_templates() -> None:
    assert Raw("{{ 7*7 }}{% if 1 %}x{% endif %}").render() == "{{ 7*7 }}{% if 1 %}x{% endif %}"
