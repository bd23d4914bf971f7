"""The README's library example runs as written and makes a map with no Batken wording."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, drawn_flows


def test_readme_example_runs(tmp_path: Path) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## The library", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None
    script = tmp_path / "example.py"
    script.write_text(code.group(1), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "incoming" in result.stdout
    page = (tmp_path / "moves.html").read_text(encoding="utf-8")
    assert {(f["origin"], f["dest"]) for f in drawn_flows(page)} == {
        ("OSH", "BSK"),
        ("BSK", "OSH"),
        ("OSH", "TAS"),
        ("TAS", "OSH"),
    }
    # The span is asked for, so it is summed, and the title says so (issue 16).
    assert "<title>Moves between three cities · 2022–2023, sum of 2 years</title>" in page
    for word in ("Batken", "Баткен", "oblast"):
        assert word not in page
    assert sorted(os.listdir(tmp_path)) == ["example.py", "moves.html"]
