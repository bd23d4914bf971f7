"""The ``flowmap`` command line."""

from flowmap.cli.commands import main

__all__ = ["main"]
