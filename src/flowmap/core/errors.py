"""The exception family of Batken Flowmap: every expected failure is a ``FlowmapError``.

These are the library's public exceptions, also importable from :mod:`flowmap`:

>>> import flowmap
>>> issubclass(flowmap.BoundaryFileError, flowmap.FlowmapError)
True
>>> issubclass(flowmap.FlowmapError, ValueError)
True
"""

from __future__ import annotations

from collections.abc import Sequence

from flowmap.core._escape import shown


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


class BoundaryFileError(FlowmapError):
    """A boundary file is refused or cannot be read.

    The message names the file by the name the user gave it (never a server path) and,
    where it applies, the feature number, property and offending value.

    Parameters
    ----------
    detail
        What is wrong, without the file name (a catalogue message, so that
        :func:`flowmap.text.i18n.error_text` says it in any language).
    name
        The file's name as the user gave it; ``""`` while it is not known yet.
    message
        The whole message with the name (the readers pass the catalogue's ``geo.named``
        message, :func:`flowmap.io._geobase.named_error`); by default the same in English.

    >>> str(BoundaryFileError("not a GeoJSON file", "regions.json"))
    "boundary file 'regions.json': not a GeoJSON file"
    """

    def __init__(self, detail: str, name: str = "", message: str | None = None) -> None:
        self.detail = detail
        self.name = name
        if message is None:
            message = f"boundary file '{shown(name)}': {detail}" if name else detail
        super().__init__(message)

    def __reduce__(self) -> tuple[type[BoundaryFileError], tuple[str, str, str]]:
        # Rebuilt from its parts: the detail and the message stay catalogue messages.
        return (type(self), (self.detail, self.name, self.args[0]))


__all__ = ["BoundaryFileError", "BuildError", "DataValidationError", "FlowmapError"]
