"""``import flowmap`` and ``flowmap --help`` load none of the heavy libraries (issue 20): the
public names are imported when first used (PEP 562), the command line's parser reads its
option values from light modules and each command imports its work when it runs.

Each check runs in a fresh interpreter, since this test session has imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import flowmap
from flowmap.batken.dataset import MapData
from flowmap.batken.mapspec import make_spec
from flowmap.cli.commands import COMMANDS, command
from flowmap.cli.exportview import asked_selection, export_view
from flowmap.cli.parser import make_parser

HEAVY = ("pandas", "numpy", "folium", "branca", "matplotlib", "babel", "jinja2", "shapely")


def _loaded_after(code: str) -> list[str]:
    """Return the heavy libraries in ``sys.modules`` after running ``code`` afresh."""
    probe = (
        f"import sys\n{code}\n"
        f"import json; print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    loaded: list[str] = json.loads(done.stdout.splitlines()[-1])
    return loaded


def test_import_flowmap_loads_no_heavy_library() -> None:
    assert _loaded_after("import flowmap; flowmap.FlowmapError; flowmap.__version__") == []


def test_the_help_of_every_command_loads_no_heavy_library() -> None:
    code = (
        "from flowmap.cli.parser import make_parser\n"
        "parser = make_parser()\n"
        "parser.format_help()\n"
        "for sub in ('data', 'export'):\n"
        "    try:\n"
        "        parser.parse_args([sub, '--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
    )
    assert _loaded_after(code) == []


def test_a_public_name_is_imported_on_first_use() -> None:
    assert _loaded_after("import flowmap; flowmap.flow_map") != []
    from flowmap.render.maps import flow_map

    assert flowmap.flow_map is flow_map
    assert set(flowmap.__all__) <= set(dir(flowmap))
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = flowmap.no_such_name


def test_every_command_of_the_parser_has_its_function() -> None:
    parser = make_parser()
    for (name, data_command), target in COMMANDS.items():
        if (name, data_command) == ("export", "image"):  # an image of the embedded data
            argv = [name, "--out", "x.png"]
        else:
            argv = [name] if data_command is None else [name, data_command]
            argv += ["--out", "x.html"] if name == "export" else []
        args = parser.parse_args(argv)
        module, _, function = target.partition(":")
        run = command(args)
        assert (run.__module__, run.__name__) == (module, function)


def test_a_batken_png_export_is_drawn_without_folium(tmp_path: Path) -> None:
    # The image is drawn from the map's page spec alone (flowmap.cli.image): no folium map
    # is built, so folium, branca, jinja2 and geopandas stay unloaded (issue 20: a Batken
    # PNG in 1.5 s). The command still writes the image and says so.
    out = tmp_path / "map.png"
    code = (
        "from flowmap.cli.commands import main\n"
        f"assert main(['export', '--year', '2022', '--out', {str(out)!r}]) == 0\n"
    )
    probe = (
        f"{code}import sys, json\n"
        "print(json.dumps(sorted(m for m in ('folium', 'branca', 'jinja2', 'geopandas', "
        "'matplotlib') if m in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    # matplotlib is loaded by whichever process draws (flowmap.cli.painter: a second one).
    assert set(json.loads(done.stdout.splitlines()[-1])) <= {"matplotlib"}
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "flows drawn" in done.stdout


def test_only_an_image_of_the_embedded_data_skips_the_folium_export() -> None:
    parser = make_parser()

    def chosen(*argv: str) -> str:
        args = parser.parse_args(["export", *argv])
        return f"{command(args).__module__}"

    assert chosen("--out", "map.png") == "flowmap.cli.image"
    assert chosen("--out", "map.PDF", "--year", "2022") == "flowmap.cli.image"
    assert chosen("--out", "x", "--format", "svg") == "flowmap.cli.image"
    assert chosen("--out", "map.html") == "flowmap.cli.export"
    assert chosen("--out", "map.png", "--compare", "2017", "2023") == "flowmap.cli.export"
    assert chosen("--out", "map.png", "--flows", "f.csv") == "flowmap.cli.export"
    assert chosen("--out", "map.png", "--districts", "d.geojson") == "flowmap.cli.export"
    assert chosen("--out", "map.png", "--top", "5") == "flowmap.cli.export"


def test_a_lazy_module_imports_on_first_use_and_then_is_the_module() -> None:
    code = (
        "from flowmap.core import lazy\n"
        "pd = lazy.module('pandas')\n"
        "assert 'pandas' not in sys.modules\n"
        "frame = pd.DataFrame({'a': [1]})\n"
        "import pandas\n"
        "assert isinstance(frame, pandas.DataFrame) and pd.Series is pandas.Series\n"
        "assert lazy.module('pandas') is pandas\n"
    )
    assert _loaded_after(code) == ["numpy", "pandas"]


def test_an_image_is_drawn_without_pandas(tmp_path: Path) -> None:
    # The drawing process of `flowmap export --out map.png` (flowmap.cli.painter) is forked
    # before pandas is imported and draws from the spec alone: every module drawing reaches
    # imports pandas on first use (flowmap.core.lazy). Any use would fail here.
    data = MapData.load()
    args = make_parser().parse_args(["export", "--year", "2022", "--lang", "ru", "--out", "x.png"])
    selection = data.resolve(asked_selection(args, data))  # as flowmap.cli.image does
    spec = make_spec(data, selection, export_view(args, data, selection).options)
    (tmp_path / "spec.json").write_text(json.dumps(spec.wire()), encoding="utf-8")
    out = tmp_path / "map.png"
    code = (
        "sys.modules['pandas'] = None  # an import of pandas fails\n"
        "import json\n"
        "from flowmap.render import image\n"
        "image.prepare()\n"
        f"spec = json.loads(open({str(tmp_path / 'spec.json')!r}, encoding='utf-8').read())\n"
        f"image.render_image(spec, {str(out)!r}, format='png', size='1280x720')\n"
        "del sys.modules['pandas']\n"
    )
    assert "pandas" not in _loaded_after(code)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
