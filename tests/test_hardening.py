"""Broken and hostile input on the command line and in files: clear errors, safe writes.

Each test here reproduces a case that used to print a traceback, overwrite a file through a
planted link, leave a partial file behind, or print attacker-controlled bytes raw.
"""

from __future__ import annotations

import errno
import importlib
import io
import os
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

import flowmap.cli.commands as cli
import flowmap.cli.mapfile
from flowmap.cli.commands import main
from flowmap.core._escape import markdown_literal, printable, spreadsheet_cell
from flowmap.core.errors import FlowmapError
from flowmap.core.paths import data_dir
from flowmap.io._files import Megabytes, write_bytes
from flowmap.text.i18n import Message, error_text, msg
from tests.conftest import FLOWS_HEADER, ROOT


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out)
    return code, out.getvalue()


def export(out: Path, *extra: str) -> tuple[int, str]:
    """Export a static map (written as a playable one is, by ``write_map``, in a sixth of
    the time: these tests are about the file, not the map)."""
    return run("export", "--period", "2014-2023", "--static", "--out", str(out), *extra)


# --------------------------------------------------------------------------- writing files


def test_out_is_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "maps.html"
    folder.mkdir()
    assert export(folder)[0] == 2
    err = capsys.readouterr().err
    assert "it is a folder" in err
    assert "Traceback" not in err
    assert list(folder.iterdir()) == []


def test_out_in_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert export(tmp_path / "missing" / "map.html")[0] == 2
    err = capsys.readouterr().err
    assert "does not exist" in err
    assert "Traceback" not in err
    assert not (tmp_path / "missing").exists()


def test_full_disk_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "map.html"
    target.write_text("the old map", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert export(target)[0] == 2
    err = capsys.readouterr().err
    assert "the disk is full" in err
    assert "Traceback" not in err
    assert target.read_text(encoding="utf-8") == "the old map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


def test_planted_part_link_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    target = tmp_path / "map.html"
    (tmp_path / "map.html.part").symlink_to(victim)
    assert export(target)[0] == 0
    assert victim.read_text(encoding="utf-8") == "precious"
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html", "map.html.part", "victim.txt"]


def test_a_link_at_the_target_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    target = tmp_path / "map.html"
    target.symlink_to(victim)
    assert export(target)[0] == 0
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not target.is_symlink()


def test_written_file_has_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    assert export(target)[0] == 0
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize(
    ("code", "en", "ru", "ky"),
    [
        (errno.ENOSPC, "the disk is full", "диск заполнен", "диск толуп калган"),
        (errno.EACCES, "no permission", "нет прав на запись", "жазууга уруксат жок"),
    ],
)
def test_write_errors_read_in_every_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, en: str, ru: str, ky: str
) -> None:
    def fail(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", fail)
    target = tmp_path / "map.html"
    with pytest.raises(FlowmapError) as info:
        write_bytes(target, b"<html>")
    assert isinstance(info.value.args[0], Message)
    assert en in str(info.value)
    for lang, words in (("en", en), ("ru", ru), ("ky", ky)):
        text = error_text(info.value, lang)
        assert words in text
        assert repr(str(target)) in text
    assert list(tmp_path.iterdir()) == []


def test_sizes_in_megabytes_follow_the_language() -> None:
    size = Megabytes(250 * 1024 * 1024 + 1024 * 1024 // 2)
    assert (str(size), size.text("ru"), size.text("ky")) == ("250.5", "250,5", "250,5")
    assert Megabytes(1234 * 1024 * 1024, digits=0).text("ru") == "1\u00a0234"
    too_big = msg("geo.too_big", size=Megabytes(3 * 1024 * 1024), limit=Megabytes(2**20, digits=0))
    assert too_big == "is 3.0 MB, larger than the limit of 1 MB"
    assert too_big.text("ru") == "размер 3,0 МБ — больше предела в 1 МБ"


def test_large_export_is_announced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(flowmap.cli.mapfile, "LARGE_FILE_BYTES", 1024)
    assert export(tmp_path / "map.html")[0] == 0
    err = capsys.readouterr().err
    assert "warning: the map is" in err
    assert "MB (over 0 MB)" in err


# --------------------------------------------------------------------------- reading files


def test_huge_csv_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flows = tmp_path / "flows.csv"
    field = "x" * (5 * 1024 * 1024)
    flows.write_text(
        FLOWS_HEADER + f"KG-B,RU,2014-2023,total,all,5,reported,P,,{field}\n", encoding="utf-8"
    )
    before = flows.read_bytes()
    code, _ = run("data", "show", "--flows", str(flows))
    assert code == 2
    err = capsys.readouterr().err
    # Refused from the bytes, before any parser sees the line (issue 17).
    assert "line 2 is longer than 1,048,576 characters" in err
    assert "Traceback" not in err
    assert len(err) < 2000
    assert flows.read_bytes() == before


def _hostile_places(tmp_path: Path, name: str) -> Path:
    places = tmp_path / "places.csv"
    text = (data_dir() / "places.csv").read_text(encoding="utf-8")
    places.write_text(text.replace("Russia,", f'"{name}",', 1), encoding="utf-8")
    return places


def test_terminal_output_has_no_control_sequences(tmp_path: Path) -> None:
    places = _hostile_places(tmp_path, "Ru\x1b[31;1mRED\x1b]0;owned\x07\u202eevil")
    code, text = run(
        "data", "show", "--places", str(places), "--dest", "RU", "--period", "2014-2023"
    )
    assert code == 0
    # Each control and direction character shows as its code: nothing hidden, no colour.
    assert "RU Ru[U+001B][31;1mRED[U+001B]]0;owned[U+0007][U+202E]evil" in text
    assert not any(c in text for c in "\x1b\x07\u202e")


def test_error_messages_have_no_control_sequences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flows = tmp_path / "flows.csv"
    flows.write_text(
        FLOWS_HEADER + "KG-B,RU\x1b[2J,2014-2023,total,all,5,reported,P,,\n", encoding="utf-8"
    )
    assert run("data", "show", "--flows", str(flows))[0] == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err
    assert "unknown place id 'RU\\x1b[2J'" in err


def test_csv_output_escapes_formulas(tmp_path: Path) -> None:
    flows = tmp_path / "flows.csv"
    flows.write_text(
        FLOWS_HEADER
        + 'KG-B,RU,2014-2023,total,all,5,reported,"=HYPERLINK(""http://x"",""y"")",,@SUM(A1)\n'
        + "KG-B,UZ,2014-2023,total,all,7,reported,+1,,-2\n",
        encoding="utf-8",
    )
    code, text = run("data", "show", "--flows", str(flows), "--format", "csv")
    assert code == 0
    assert "'=HYPERLINK" in text
    assert ",'@SUM(A1)" in text
    assert ",'+1," in text
    assert ",'-2" in text
    assert ",5," in text


def test_an_internal_error_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object, out: object) -> int:
        raise RuntimeError("boom at /srv/secret/path.py")

    module, name = cli.COMMANDS[("data", "show")].split(":")
    monkeypatch.setattr(importlib.import_module(module), name, broken)
    monkeypatch.delenv("FLOWMAP_DEBUG", raising=False)
    assert run("data", "show")[0] == 70
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("\n") == 1
    assert "internal error (RuntimeError" in err


# --------------------------------------------------------------------------- escaping helpers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        (-5, -5),
        ("−1607", "−1607"),
    ],
)
def test_spreadsheet_cell(value: object, expected: object) -> None:
    assert spreadsheet_cell(value) == expected


def test_printable_cuts_and_cleans() -> None:
    assert printable("a\x1b[0mb\nc") == "a[U+001B][0mb c"
    assert printable("a\x1b[0mb\nc", 4) == "a[U…"
    assert printable("x" * 10, 5) == "xxxx…"


@pytest.mark.parametrize(
    "value",
    [
        "![x](http://127.0.0.1:9/p.png)",
        "x\n\n# BIG",
        "$x^2$",
        ":red[alert] :material/home:",
        "<img src=x onerror=alert(1)>",
        "[link](javascript:alert(1))",
    ],
)
def test_markdown_literal_escapes_every_construct(value: str) -> None:
    escaped = markdown_literal(value)
    assert "\n" not in escaped
    for char in "![]()#$:<>^":
        assert f"{char}" not in escaped.replace(f"\\{char}", "")


# --------------------------------------------------------------------------- safe defaults


def test_server_listens_on_loopback_with_an_upload_limit() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert config["browser"]["serverAddress"] == "127.0.0.1"
    assert config["server"]["maxUploadSize"] == 50
    assert config["client"]["showErrorDetails"] == "none"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "ADDRESS ?= 127.0.0.1" in makefile
    assert "--server.address $(ADDRESS)" in makefile


def test_setup_upgrades_setuptools() -> None:
    """The fresh virtual environment used to keep Python 3.11's bundled setuptools 65."""
    if not sys.prefix.endswith(".venv"):
        pytest.skip("only meaningful in the project's own .venv")
    major, minor, *_ = (int(p) for p in version("setuptools").split(".")[:2])
    assert (major, minor) >= (78, 1)


def test_missing_focus_names_the_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A table without KG-B used to fail with "unknown place id(s) 'KG-B'" only."""
    places = tmp_path / "places.csv"
    places.write_text(
        "id,kind,name_en,name_ky,name_ru,parent,lat,lon,anchor\n"
        "AA,city,A,A,A,,40.0,70.0,\nBB,city,B,B,B,,41.0,71.0,\n",
        encoding="utf-8",
    )
    flows = tmp_path / "flows.csv"
    flows.write_text(FLOWS_HEADER + "AA,BB,2019,total,all,5,reported,P,,\n", encoding="utf-8")
    tables = ("--places", str(places), "--flows", str(flows))
    out = ("--period", "2014-2023", "--out", str(tmp_path / "m.html"))
    assert run("export", *out, *tables)[0] == 2
    assert "--focus 'KG-B' is not a place of the places table" in capsys.readouterr().err
    code = run("export", *out, *tables, "--focus", "AA")[0]
    assert code == 0
