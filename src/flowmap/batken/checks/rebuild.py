"""The committed ``flows.csv`` and ``balances.csv`` equal a fresh build."""

from __future__ import annotations

from pathlib import Path

from flowmap.batken.build import rendered_tables
from flowmap.batken.checks.finding import Finding
from flowmap.core.errors import BuildError
from flowmap.text.i18n import Message


def build_is_current(folder: Path) -> list[Finding]:
    """Check that the committed flows.csv and balances.csv equal a fresh build."""
    out: list[Finding] = []
    try:
        tables = rendered_tables(folder)
    except BuildError as exc:
        return [
            Finding(
                "build",
                "build",
                False,
                f"the tables cannot be rebuilt: {exc}",
                "check.build.failed",
                (("error", _error(exc)),),
            )
        ]
    for path, text in tables.items():
        ok = path.exists() and path.read_text(encoding="utf-8") == text
        out.append(
            Finding(
                f"build:{path.name}",
                "build",
                ok,
                f"{path.name} {'equals' if ok else 'differs from'} a fresh build "
                "(run `flowmap data build` after changing the transcription or the model)",
                "check.build.same" if ok else "check.build.differs",
                (("file", path.name),),
            )
        )
    return out


def _error(exc: BuildError) -> str:
    """Return the error's message: a catalogue :class:`~flowmap.text.i18n.Message` when it is
    one (shown in the report's language), else its English text."""
    first = exc.args[0] if exc.args else None
    return first if isinstance(first, Message) else str(exc)
