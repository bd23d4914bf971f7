"""An image export drawn by a second process while the command reads the data
(:mod:`flowmap.cli.painter`, issue 20: a Batken PNG in 1.5 s): the same bytes as drawn in one
process, the command drawing itself whenever the child cannot, and no process left behind.

Each run is a fresh interpreter: the child is forked only before any thread starts and
before matplotlib is imported, which this test session is past; the runs take a second core
as spare whatever the load.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from flowmap.cli import painter
from tests.conftest import QUICK

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
    reason="the drawing process is forked on Linux with two cores or more",
)

RUN = """
import gc, os, sys
from flowmap.cli import SHORT_RUN_GC, commands, painter
gc.set_threshold(*SHORT_RUN_GC)  # as the installed command runs (flowmap.cli.entry)
painter.enable()  # as the installed command does
painter.spare_core = lambda: True  # a busy test machine has no core to spare
{before}
answers = []
paint = painter.paint
painter.paint = lambda *job: answers.append(paint(*job)) or answers[-1]
status = commands.main(["export", *sys.argv[2:], "--out", sys.argv[1]])
try:
    os.waitpid(-1, os.WNOHANG)
    left = "a child left"
except ChildProcessError:
    left = "no child left"
print(status, answers, left, "matplotlib" in sys.modules)
"""


def _export(out: Path, *argv: str, before: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-c", RUN.format(before=before), str(out), *argv],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.splitlines()[-1]


EXPORTS = [("map.png", ())] + ([] if QUICK else [("map.svg", ("--lang", "ru"))])
"""The exports drawn by the second process and alone: a PNG, and in ``make test`` (not
``make check``, ``FLOWMAP_QUICK=1``) a Russian SVG too (four runs of a fresh interpreter)."""


@pytest.mark.parametrize(("name", "argv"), EXPORTS)
def test_the_drawing_process_draws_the_same_image(
    tmp_path: Path, name: str, argv: tuple[str, ...]
) -> None:
    forked, alone = tmp_path / "forked" / name, tmp_path / "alone" / name
    forked.parent.mkdir()
    alone.parent.mkdir()
    # The child drew it: the command's own process never imported matplotlib.
    assert _export(forked, *argv) == "0 [True] no child left False"
    # matplotlib imported first: nothing to do in parallel, the command draws alone.
    assert _export(alone, *argv, before="import matplotlib") == "0 [False] no child left True"
    assert forked.read_bytes() == alone.read_bytes()


def test_the_command_draws_itself_when_the_child_cannot(tmp_path: Path) -> None:
    out = tmp_path / "map.png"
    broken = (
        "import flowmap.render.image as image\n"
        "def prepare():\n"
        "    raise RuntimeError('no fonts')\n"
        "image.prepare = prepare\n"
    )
    assert _export(out, before=broken) == "0 [False] no child left True"
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_failed_command_leaves_no_drawing_process(tmp_path: Path) -> None:
    out = tmp_path / "map.png"
    assert _export(out, "--year", "1900") == "2 [] no child left False"
    assert not out.exists()


def test_only_the_installed_command_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A program (or a test) that runs the command line in its own process is never forked:
    only the installed command (flowmap.cli.entry) enables the drawing process."""
    monkeypatch.setattr(painter, "_ENABLED", [])
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(painter, "spare_core", lambda: True)
    monkeypatch.delitem(sys.modules, "matplotlib", raising=False)
    assert not painter.useful()
    painter.enable()
    assert painter.useful()


def test_no_drawing_process_on_a_busy_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "getloadavg", lambda: (64.0, 64.0, 64.0))
    assert not painter.spare_core()
    monkeypatch.setattr(os, "getloadavg", lambda: (0.2, 0.2, 0.2))
    assert painter.spare_core()
