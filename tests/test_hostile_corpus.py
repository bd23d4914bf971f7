"""Every file of ``tests/hostile/tables`` through the command line: a map or one clear
error, never a traceback, never template code run, never a control sequence printed."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from flowmap.cli.commands import main
from flowmap.core.paths import data_dir

CORPUS = Path(__file__).parent / "hostile" / "tables"
EXPECTED = {
    "flows-ansi-escapes.csv": (2, "unknown place id 'RU\\x1b[31m'"),
    "flows-count-5000-digits.csv": (2, "got a 5000-digit number"),
    "flows-count-arabic-indic.csv": (2, "digits 0-9, got '١٢٣'"),
    "flows-count-full-width.csv": (2, "digits 0-9, got '１２３'"),
    "flows-count-overflow.csv": (2, "must be below 1,000,000,000,000"),
    "flows-cp1251.csv": (2, "not valid UTF-8"),
    "flows-formula-cells.csv": (0, ""),
    "flows-huge-field.csv": (2, "a cell is longer than 131,072 characters"),
    "flows-nul-byte.csv": (0, ""),
    "flows-period-superscript.csv": (2, "period must look like 2019 or 2014-2023"),
    "flows-template-syntax.csv": (0, ""),
    "flows-unclosed-quote.csv": (2, "has 8 cells, the header has 10"),
    "places-ansi-names.csv": (0, ""),
    "places-nan-coordinates.csv": (2, "must be a decimal number written with the digits 0-9"),
    "places-swapped-coordinates.csv": (2, "are latitude and longitude swapped?"),
    "places-template-names.csv": (0, ""),
}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202e]")


def test_corpus_is_complete() -> None:
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("command", ["show", "export"])
def test_hostile_table(
    name: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = CORPUS / name
    before = path.read_bytes()
    files = ["--flows", str(path)] if name.startswith("flows") else ["--places", str(path)]
    if name.startswith("places"):
        files += ["--flows", str(data_dir() / "flows.csv")]
    out = tmp_path / "map.html"
    argv = (
        ["data", "show", "--period", "2014-2023", *files]
        if command == "show"
        else ["export", "--period", "2014-2023", "--out", str(out), *files]
    )
    stdout = io.StringIO()
    code = main(argv, stdout)
    err = capsys.readouterr().err
    expected_code, message = EXPECTED[name]
    assert code == expected_code, err
    assert message in err
    assert "Traceback" not in err
    assert not CONTROL.search(err + stdout.getvalue())
    assert path.read_bytes() == before
    if code == 0 and command == "export":
        page = out.read_text(encoding="utf-8")
        assert "49" not in re.findall(r"R(\d+)U", page)
        assert "{{ 7*7 }}" in page or "7*7" not in before.decode("utf-8", "replace")
    if code != 0:
        assert not out.exists()
        assert err.startswith("flowmap: error: ")
