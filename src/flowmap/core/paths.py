"""Where the embedded data and boundary files are: inside a wheel or in a source checkout."""

from __future__ import annotations

from pathlib import Path


def _embedded_root(kind: str) -> Path:
    """Return the folder holding the embedded ``data`` or ``geo`` files.

    A wheel carries them inside the package (``flowmap/_embedded``); a source checkout
    (the usual editable install) keeps them at the top of the repository.
    """
    here = Path(__file__).resolve().parent
    packaged = here.parent / "_embedded" / kind
    if packaged.is_dir():
        return packaged
    return here.parents[2] / kind


def data_dir() -> Path:
    """Return the folder of the embedded Batken tables (``data/``)."""
    return _embedded_root("data")


def geo_dir() -> Path:
    """Return the folder of the embedded boundary files (``geo/``)."""
    return _embedded_root("geo")
