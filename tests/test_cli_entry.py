"""The installed ``flowmap`` command (:func:`flowmap.cli.entry`): the command line of
``sys.argv``, with Python's garbage collector tuned for one short run (issue 20)."""

from __future__ import annotations

import gc
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

import flowmap.cli
from flowmap.cli import SHORT_RUN_GC, entry, painter

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def collector() -> Iterator[None]:
    """Give the collector back as it was: entry changes it for the rest of a process
    (frozen again when the run had frozen its objects: ``tests/conftest.py``)."""
    thresholds = gc.get_threshold()
    frozen = gc.get_freeze_count() > 0
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)
    if frozen:
        gc.freeze()


@pytest.mark.usefixtures("collector")
@pytest.mark.parametrize("status", [0, 2, 70])
def test_entry_exits_with_the_commands_status(monkeypatch: pytest.MonkeyPatch, status: int) -> None:
    seen: list[tuple[tuple[int, ...], bool]] = []
    monkeypatch.setattr(painter, "_ENABLED", [])  # this test process stays unforkable

    def main() -> int:
        seen.append((gc.get_threshold(), bool(painter._ENABLED)))
        return status

    monkeypatch.setattr(flowmap.cli, "main", main)
    with pytest.raises(SystemExit) as stopped:
        entry()
    assert stopped.value.code == status
    # The command ran with the short run's thresholds, its drawing process allowed.
    assert seen == [(SHORT_RUN_GC, True)]
    assert gc.get_freeze_count() > 0  # and left its objects out of the exit's collection


def test_the_installed_command_is_entry() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["flowmap"] == "flowmap.cli:entry"
