"""Shared fixtures: paths to the embedded data, a scratch copy of it, tiny input files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flowmap.data import data_dir

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = ROOT.parent / "shared" / "source"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """Return a scratch copy of data/ that a test may change."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target


@pytest.fixture
def places_file(tmp_path: Path) -> Path:
    """Return a tiny valid places file with three places."""
    path = tmp_path / "places.csv"
    path.write_text(
        "id,kind,name_en,name_ky,name_ru,parent,lat,lon,anchor\n"
        "KG-B,oblast,Batken oblast,Баткен облусу,Баткенская область,,40.0,71.0,\n"
        "RU,country,Russia,Россия,Россия,,55.75,37.62,Moscow\n"
        "UZ,country,Uzbekistan,Өзбекстан,Узбекистан,,41.3,69.2,Tashkent\n",
        encoding="utf-8",
    )
    return path


FLOWS_HEADER = "origin,destination,period,sex,age,count,basis,source_ref,method,note\n"


@pytest.fixture
def write_flows(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Return a function that writes a flows file with the given data rows."""

    def write(*rows: str, header: str = FLOWS_HEADER, encoding: str = "utf-8") -> Path:
        path = tmp_path / "flows.csv"
        path.write_bytes((header + "".join(r + "\n" for r in rows)).encode(encoding))
        return path

    return write
