"""Check that ``pip install .`` without extras is a working library, command line and HTML
writer, and that the features of the extras say which extra to install (``make
check-install``).

It makes a fresh virtual environment in a temporary folder, installs this checkout into it
without extras (:func:`install`: the locked versions and hashes of ``requirements.lock``,
from the package registries, so this needs the network), checks that none of the extras'
packages came with it (streamlit, altair, matplotlib, openpyxl), then runs
:func:`run_checks` with that Python:

1. ``import flowmap`` imports none of them, ``flowmap.flow_map`` and ``flowmap.save_html``
   write the README's HTML map, and ``flowmap.render.image`` imports but its ``render_image``
   raises :class:`flowmap.MissingExtraError` for the ``[image]`` extra;
2. ``flowmap export --format html`` writes the map of the embedded data, and of the README's
   tables given as ``--flows`` and ``--places``;
3. ``flowmap export --format png`` exits 2 with one line naming
   ``pip install 'batken-flowmap[image]'``, no traceback and no file;
4. ``flowmap export --flows book.xlsx`` exits 2 with one line naming the ``[xlsx]`` extra.

``tests/test_extras.py`` runs the same checks offline in the test environment, with
:data:`BLOCKER` making the extras' packages unimportable.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import venv
import zipfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"

#: The packages of the extras, by extra: none of them may be needed by the base install.
EXTRAS: dict[str, tuple[str, ...]] = {
    "app": ("streamlit", "altair"),
    "image": ("matplotlib",),
    "xlsx": ("openpyxl",),
}
OPTIONAL: tuple[str, ...] = tuple(name for names in EXTRAS.values() for name in names)

BLOCKER = f"""
import importlib.abc
import sys

class _Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {set(OPTIONAL)!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}} (blocked)", name=name)
        return None

sys.meta_path.insert(0, _Blocker())
"""
"""Python that makes the extras' packages unimportable, run before the checks' code in
the offline test (as if they were not installed)."""

LIBRARY = f"""
import json
import sys
from pathlib import Path

import pandas as pd

import flowmap

places = pd.DataFrame(
    {{
        "id": ["BSK", "OSH", "TAS"],
        "name": ["Bishkek", "Osh", "Tashkent"],
        "lat": [42.87, 40.53, 41.26],
        "lon": [74.59, 72.80, 69.22],
    }}
)
flows = pd.DataFrame(
    {{
        "origin": ["OSH", "BSK", "OSH", "TAS"],
        "dest": ["BSK", "OSH", "TAS", "OSH"],
        "count": [1200, 300, 450, 80],
        "year": [2022, 2022, 2023, 2023],
    }}
)
m = flowmap.flow_map(flows, places, title="Moves between three cities", period="2022-2023")
flowmap.save_html(m, Path(sys.argv[1]))
flows.to_csv(Path(sys.argv[1]).with_name("flows.csv"), index=False)
places.to_csv(Path(sys.argv[1]).with_name("locations.csv"), index=False)
loaded = sorted(n for n in sys.modules if n.partition(".")[0] in {set(OPTIONAL)!r})
from flowmap.render.element import map_spec
from flowmap.render.image import render_image

try:
    render_image(map_spec(m), Path(sys.argv[1]).with_name("moves.png"))
except flowmap.MissingExtraError as exc:
    refused = exc.extra
else:
    refused = None
print(json.dumps({{"loaded": loaded, "refused": refused}}))
"""
"""The README's first example, run by the Python under test (argument: the HTML path); its
tables are also written next to it as ``flows.csv`` and ``locations.csv``."""

CLI = """
from flowmap.cli import entry
entry()
"""
"""The command line, for a Python without the ``flowmap`` script on its path: what the
installed script runs (:func:`flowmap.cli.entry`, the command line of ``sys.argv`` with
the collector tuned for one short run)."""


def workbook(path: Path) -> Path:
    """Write a file that starts as an XLSX workbook does (a ZIP with ``xl/workbook.xml``):
    enough to reach the workbook reader, which needs openpyxl before it reads anything."""
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        book.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
    return path


def _run(command: Sequence[str], work: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(command), cwd=work, capture_output=True, text=True, timeout=300, check=False
    )


def _refused(
    name: str, done: subprocess.CompletedProcess[str], extra: str, target: Path
) -> list[str]:
    """Return what is wrong with a command that should have refused for want of ``extra``."""
    problems: list[str] = []
    command = f"pip install 'batken-flowmap[{extra}]'"
    lines = done.stderr.strip().splitlines()
    if done.returncode != 2:
        problems.append(f"{name}: exit status {done.returncode}, not 2")
    if len(lines) != 1 or command not in lines[0] or "Traceback" in done.stderr:
        problems.append(f"{name}: stderr is not one line naming {command}: {done.stderr!r}")
    if target.exists():
        problems.append(f"{name}: {target.name} was written")
    return problems


def run_checks(
    python: Path, work: Path, *, prelude: str = "", cli: Sequence[str] | None = None
) -> list[str]:
    """Run the checks of this module with ``python`` in the folder ``work``; return the
    problems found (none when all pass).

    Parameters
    ----------
    python
        The interpreter under test.
    work
        An empty folder for the files written.
    prelude
        Python run before each check's code (:data:`BLOCKER` in the offline test).
    cli
        The command line under test (default: ``python -c`` running ``flowmap.cli.entry``
        after ``prelude``).
    """
    command = list(cli) if cli is not None else [str(python), "-c", prelude + CLI]
    problems: list[str] = []

    page = work / "moves.html"
    done = _run([str(python), "-c", prelude + LIBRARY, str(page)], work)
    if done.returncode != 0:
        problems.append(f"library: exit status {done.returncode}: {done.stderr[-2000:]}")
    else:
        said = json.loads(done.stdout.strip().splitlines()[-1])
        if said["loaded"]:
            problems.append(f"library: import flowmap loaded {said['loaded']}")
        if said["refused"] != "image" or (work / "moves.png").exists():
            problems.append("library: render_image did not raise MissingExtraError('image')")
        html = page.read_text(encoding="utf-8") if page.exists() else ""
        if "Moves between three cities" not in html or "leaflet" not in html.lower():
            problems.append("library: moves.html is not the map (no title or no Leaflet)")

    batken = work / "batken.html"
    done = _run([*command, "export", "--format", "html", "--out", str(batken)], work)
    html = batken.read_text(encoding="utf-8") if batken.exists() else ""
    if done.returncode != 0 or not done.stdout.startswith("wrote ") or "leaflet" not in html:
        problems.append(
            f"export html: exit status {done.returncode}, {len(html)} characters written: "
            f"{done.stdout!r} {done.stderr[-2000:]!r}"
        )

    mine = work / "mine.html"
    tables = ["--flows", str(work / "flows.csv"), "--places", str(work / "locations.csv")]
    done = _run([*command, "export", *tables, "--format", "html", "--out", str(mine)], work)
    if done.returncode != 0 or not mine.exists():
        problems.append(f"export your flows: exit status {done.returncode}: {done.stderr!r}")

    image = work / "batken.png"
    done = _run([*command, "export", "--format", "png", "--out", str(image)], work)
    problems += _refused("export png", done, "image", image)

    book = workbook(work / "book.xlsx")
    target = work / "book.html"
    done = _run([*command, "export", "--flows", str(book), "--out", str(target)], work)
    problems += _refused("export xlsx", done, "xlsx", target)
    return problems


def _normal(name: str) -> str:
    """Return a distribution name as PyPI compares them (``Jinja2`` -> ``jinja2``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_blocks(text: str) -> dict[str, list[str]]:
    """Return the entries of a lock file (``name==version ; marker`` with its hashes and
    comments) by normalised name; a name pinned per Python version has several."""
    blocks: dict[str, list[str]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        if not block.startswith("#"):
            blocks.setdefault(_normal(block.partition("==")[0]), []).append(block.rstrip())
    return blocks


def install(folder: Path) -> Path:
    """Make a virtual environment in ``folder / "venv"`` and ``pip install`` this checkout
    into it without extras; return its Python.

    The checkout's wheel (as ``pip install .`` builds it) is resolved against the versions of
    :data:`LOCK`, then installed with ``--require-hashes`` from the lock's entries of what it
    needs, so every file is checked against the lock's hashes.
    """
    venv.create(folder / "venv", with_pip=True)
    python = folder / "venv" / "bin" / "python"
    pip = [str(python), "-m", "pip", "--disable-pip-version-check"]
    wheels = folder / "dist"
    subprocess.run(
        [*pip, "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(ROOT)],
        check=True,
        timeout=600,
    )
    (wheel,) = wheels.glob("batken_flowmap-*.whl")
    blocks = lock_blocks(LOCK.read_text(encoding="utf-8"))
    pins = folder / "pins.txt"
    pins.write_text(
        "".join(b.splitlines()[0].rstrip(" \\") + "\n" for v in blocks.values() for b in v)
    )
    report = folder / "report.json"
    dry_run = [*pip, "install", "--quiet", "--dry-run", "--report", str(report)]
    subprocess.run(
        [*dry_run, "--constraint", str(pins), str(wheel)],
        check=True,
        timeout=600,
    )
    needed = {
        _normal(item["metadata"]["name"]) for item in json.loads(report.read_text())["install"]
    }
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    wanted = [f"batken-flowmap @ {wheel.as_uri()} --hash=sha256:{digest}"]
    wanted += [b for name in sorted(needed - {"batken-flowmap"}) for b in blocks[name]]
    requirements = folder / "requirements.txt"
    requirements.write_text("\n".join(wanted) + "\n", encoding="utf-8")
    subprocess.run(
        [*pip, "install", "--quiet", "--require-hashes", "-r", str(requirements)],
        check=True,
        timeout=1800,
    )
    return python


def main(argv: Sequence[str] | None = None) -> int:
    """Install into a fresh virtual environment and run the checks; print what was found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="flowmap-install-"))
    try:
        print(f"installing {ROOT} into {folder / 'venv'} (no extras) ...", flush=True)
        python = install(folder)
        found = _run(
            [
                str(python),
                "-c",
                "import importlib.util, json; "
                f"print(json.dumps([m for m in {list(OPTIONAL)!r} "
                "if importlib.util.find_spec(m)]))",
            ],
            folder,
        )
        installed = json.loads(found.stdout)
        work = folder / "work"
        work.mkdir()
        problems = [f"installed without extras: {name}" for name in installed]
        problems += run_checks(python, work, cli=[str(folder / "venv" / "bin" / "flowmap")])
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    for problem in problems:
        print(f"FAIL {problem}")
    if problems:
        return 1
    print(
        "PASS: none of " + ", ".join(OPTIONAL) + " installed; import flowmap, an HTML map, "
        "flowmap export --format html; png and xlsx name their extras"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
