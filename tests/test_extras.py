"""``pip install batken-flowmap`` is the library, the command line and HTML; streamlit,
altair, matplotlib and openpyxl come with the extras ``[app]``, ``[image]`` and ``[xlsx]``,
and a feature whose extra is missing says which one to install.

The checks of ``scripts/check_install.py`` (``make check-install`` runs them after a real
``pip install .`` into a fresh virtual environment) run here offline, in a Python where an
import blocker makes the extras' packages unimportable.
"""

from __future__ import annotations

import ast
import importlib.metadata
import pickle
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import flowmap
from flowmap.core.errors import FlowmapError, MissingExtraError
from flowmap.render.usermap import load_user_data
from flowmap.text.i18n import error_text
from tests.conftest import ROOT, _module

_check, _loader = _module(ROOT / "scripts" / "check_install.py", "flowmap_scripts_check_install")
_loader.exec_module(_check)

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SOURCE = ROOT / "src" / "flowmap"


def _names(requirements: list[str]) -> set[str]:
    """Return the distribution names of requirement strings, normalised."""
    return {
        re.split(r"[\s<>=!~\[;]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements
    }


BASE = _names(PYPROJECT["project"]["dependencies"])
EXTRAS = {
    name: _names(reqs) for name, reqs in PYPROJECT["project"]["optional-dependencies"].items()
}


def test_blocker_makes_the_extras_unimportable() -> None:
    for name in _check.OPTIONAL:
        done = subprocess.run(
            [sys.executable, "-c", _check.BLOCKER + f"import {name}"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 1
        assert f"No module named '{name}' (blocked)" in done.stderr


def test_library_cli_and_html_work_without_the_extras(tmp_path: Path) -> None:
    """``import flowmap``, the README's HTML map and ``flowmap export --format html`` work
    with streamlit, altair, matplotlib and openpyxl absent; ``--format png`` and a
    workbook exit 2 with one line naming the extra to install, and write nothing."""
    assert _check.run_checks(Path(sys.executable), tmp_path, prelude=_check.BLOCKER) == []


def test_extras_are_declared_as_extras_only() -> None:
    assert EXTRAS["app"] >= {"streamlit", "altair"}
    assert EXTRAS["image"] == {"matplotlib"}
    assert EXTRAS["xlsx"] == {"openpyxl"}
    assert set(_check.OPTIONAL) == {"streamlit", "altair", "matplotlib", "openpyxl"}
    assert not BASE & set(_check.OPTIONAL)
    for extra in ("app", "image", "xlsx"):
        assert EXTRAS[extra] - {"batken-flowmap"} == set(_check.EXTRAS[extra])


def _imported(path: Path) -> set[str]:
    """Return the top-level names of the modules a Python file imports (anywhere in it)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.partition(".")[0])
    return names


def test_every_package_the_library_imports_is_declared() -> None:
    """Each third-party package imported by ``src/flowmap`` is a dependency (pyarrow too) or
    the package of an extra, and each dependency is used (no pyogrio)."""
    imported = set().union(*(_imported(p) for p in SOURCE.rglob("*.py")))
    third_party = imported - set(sys.stdlib_module_names) - {"flowmap", "__future__"}
    distributions = importlib.metadata.packages_distributions()
    used = {d.lower() for name in third_party for d in distributions.get(name, [name])}
    declared = BASE | EXTRAS["app"] | EXTRAS["image"] | EXTRAS["xlsx"]
    assert used - declared == set()
    # xstatic-leaflet is read as package data (flowmap.render._assets), not imported.
    assert BASE - used == {"xstatic-leaflet"}
    assert "pyarrow" in BASE
    assert "pyogrio" not in BASE | set().union(*EXTRAS.values())


def test_lock_pins_every_dependency_with_hashes() -> None:
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pinned = {m.lower() for m in re.findall(r"^([A-Za-z0-9_.-]+)==", lock, flags=re.MULTILINE)}
    assert set().union(BASE, *EXTRAS.values()) - {"batken-flowmap"} <= pinned
    for block in re.split(r"\n(?=[A-Za-z0-9])", lock.split("\n", 2)[2]):
        assert "--hash=sha256:" in block, block.splitlines()[0]


def test_missing_extra_error_is_public_translated_and_pickles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl.reader.excel", None)
    book = _check.workbook(tmp_path / "book.xlsx")
    with pytest.raises(MissingExtraError) as caught:
        load_user_data(book)
    error = caught.value
    assert flowmap.MissingExtraError is MissingExtraError
    assert isinstance(error, FlowmapError)
    assert isinstance(error, ImportError)
    assert (error.extra, error.module, error.name) == ("xlsx", "openpyxl", "openpyxl")
    for lang, words in [
        ("en", "not installed"),
        ("ky", "орнотулган эмес"),
        ("ru", "не установлен"),
    ]:
        text = error_text(error, lang)
        assert words in text
        assert "pip install 'batken-flowmap[xlsx]'" in text
        assert "\n" not in text
    again = pickle.loads(pickle.dumps(error))  # the app reads uploads in worker processes
    assert (type(again), again.extra, error_text(again, "ru")) == (
        MissingExtraError,
        "xlsx",
        error_text(error, "ru"),
    )
