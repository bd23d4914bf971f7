"""The Streamlit side of the app stays out of the library and in small modules: ``app.py`` is a
thin entry, its pages live in ``webapp/`` (the only code that imports Streamlit), and the
library under ``src/flowmap`` never imports Streamlit (``tests/test_architecture.py`` checks
the library's own layout)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 400


def _imports(path: Path) -> set[str]:
    """Return the top-level names of every module ``path`` imports, at any depth."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def test_the_app_entry_and_its_pages_are_short() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in [ROOT / "app.py", *sorted((ROOT / "webapp").glob("*.py"))]
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_only_the_app_imports_streamlit() -> None:
    library = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "src" / "flowmap").rglob("*.py"))
        if "streamlit" in _imports(path)
    ]
    assert library == []
    assert "streamlit" in _imports(ROOT / "app.py")


def test_the_app_entry_imports_only_its_pages_and_the_library() -> None:
    """``app.py`` wires the two pages; it draws nothing of the Batken data itself."""
    local = _imports(ROOT / "app.py") - {"__future__", "logging", "streamlit"}
    assert local == {"flowmap", "webapp"}
