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
        One line per problem, each naming the row, column and offending value.
    """

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = list(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{source}: {count} {noun}:\n{lines}")


class BuildError(FlowmapError):
    """The transcription, resolutions and model cannot be combined into a consistent table."""
