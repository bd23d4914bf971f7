"""The exception family of Batken Flowmap: every expected failure is a ``FlowmapError``."""

from __future__ import annotations

from collections.abc import Sequence


class FlowmapError(ValueError):
    """Base class of every error the library raises on purpose (bad input, bad options)."""


class DataValidationError(FlowmapError):
    """A data file broke one or more rules; ``problems`` lists every one of them.

    Parameters
    ----------
    source
        The file (or table) that was being read.
    problems
        One line per problem, each naming the row, column and offending value (or a
        summary line such as "… and 4,051 more like this").
    total
        How many problems there are, when ``problems`` summarises some of them.
    """

    def __init__(self, source: str, problems: Sequence[str], *, total: int | None = None) -> None:
        self.source = source
        self.problems = list(problems)
        self.total = total
        count = len(self.problems) if total is None else total
        noun = "problem" if count == 1 else "problems"
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{source}: {count} {noun}:\n{lines}")


class MissingExtraError(FlowmapError, ImportError):
    """A feature needs an optional dependency that is not installed; the message names the
    extra of ``batken-flowmap`` that brings it (``pip install 'batken-flowmap[image]'``).

    It is also an :class:`ImportError`, so code that tries an optional import still
    catches it.

    Parameters
    ----------
    message
        What is missing and the command that installs it (a catalogue message).
    extra
        The extra that brings the dependency: ``"image"`` (PNG, SVG and PDF export) or
        ``"xlsx"`` (reading workbooks).
    module
        The module that could not be imported (also the :class:`ImportError`'s ``name``).
    """

    def __init__(self, message: str, extra: str = "", module: str = "") -> None:
        super().__init__(message)
        self.extra = extra
        self.module = module
        self.name = module or None

    def __reduce__(self) -> tuple[object, tuple[str, str, str]]:
        return (type(self), (self.args[0], self.extra, self.module))


class BuildError(FlowmapError):
    """The transcription, resolutions and model cannot be combined into a consistent table."""
