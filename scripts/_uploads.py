"""The files of the load test's upload phases: normal tables and hostile files, generated
(never committed) into a folder at the start of a run.

Each is at most 50 MB as uploaded (the app's upload limit); the hostile ones are built to be
large only once read: a gzip bomb of concatenated members, a workbook whose sheet XML unpacks
to hundreds of megabytes, a header of a million columns, a 40 MB line, more rows than the app
takes, a 1,500 × 1,500 matrix and a Shapefile of 700,000 parts (for the district uploader).
"""

from __future__ import annotations

import gzip
import io
import random
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

MB = 1024 * 1024
COUNTRIES = ("KG", "RU", "KZ", "UZ", "TJ", "TR", "CN", "DE", "US", "KR", "AE", "GB")


@dataclass(frozen=True)
class UploadFile:
    """One file to upload: where it is, which uploader takes it, whether it is hostile."""

    path: Path
    target: str  # "table" ("Your data") or "districts" (the Batken page's sidebar)
    hostile: bool


def _long_rows(rng: random.Random) -> list[tuple[str, str, int, int]]:
    return [
        (a, b, rng.randint(1, 5000), year)
        for year in range(2015, 2024)
        for a in COUNTRIES
        for b in COUNTRIES
        if a != b
    ]


def normal_csv(path: Path) -> None:
    """A long table: origin, dest, count, year (1,188 rows of country codes)."""
    rows = _long_rows(random.Random(1))
    text = "origin,dest,count,year\n" + "".join(f"{a},{b},{n},{y}\n" for a, b, n, y in rows)
    path.write_text(text, encoding="utf-8")


def normal_xlsx(path: Path) -> None:
    """The same kind of long table as an XLSX workbook (with other counts)."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("flows")
    sheet.append(["origin", "dest", "count", "year"])
    for row in _long_rows(random.Random(2)):
        sheet.append(list(row))
    book.save(path)


def normal_wide(path: Path) -> None:
    """A wide table in semicolon-separated CP1251 with Cyrillic place names."""
    names = ("Москва", "Бишкек", "Алматы", "Ташкент", "Ош", "Стамбул")
    lines = ["origin;dest;2019;2020;2021;2022"]
    rng = random.Random(3)
    for a in names:
        for b in names:
            if a != b:
                lines.append(";".join([a, b, *(str(rng.randint(0, 900)) for _ in range(4))]))
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1251"))


def big_matrix(path: Path, size: int = 1500) -> None:
    """A square origin-destination matrix of ``size`` made-up places (about 10 MB)."""
    rng = random.Random(4)
    labels = [f"P{i:04d}" for i in range(size)]
    with path.open("w", encoding="utf-8") as out:
        out.write("," + ",".join(labels) + "\n")
        for label in labels:
            out.write(label + "," + ",".join(str(rng.randint(0, 99)) for _ in labels) + "\n")


def gzip_bomb(path: Path, unpacked: int = 5 * 1024 * MB) -> None:
    """A .csv.gz that unpacks to ``unpacked`` bytes: one 64 MB member, repeated."""
    member = gzip.compress(b"origin,dest,count\n" + b"KG,RU,1\n" * (64 * MB // 8), 9)
    with path.open("wb") as out:
        for _ in range(unpacked // (64 * MB)):
            out.write(member)


def million_columns(path: Path, columns: int = 1_000_000) -> None:
    """A CSV whose header has a million columns, and one row."""
    with path.open("w", encoding="utf-8") as out:
        out.write(",".join(f"c{i}" for i in range(columns)) + "\n")
        out.write(",".join("1" for _ in range(columns)) + "\n")


def one_line(path: Path, size: int = 40 * MB) -> None:
    """A CSV that is one line of ``size`` bytes (no newline at all)."""
    chunk = b"origin,dest,count," * (MB // 18)
    with path.open("wb") as out:
        for _ in range(size // len(chunk)):
            out.write(chunk)


def too_many_rows(path: Path, rows: int = 1_200_000) -> None:
    """A long table of more rows than the app takes (about 14 MB)."""
    with path.open("w", encoding="utf-8") as out:
        out.write("origin,dest,count\n")
        line = "KG,RU,1\n" * 10_000
        for _ in range(rows // 10_000):
            out.write(line)


_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)


def _workbook(path: Path, sheet: Callable[[IO[bytes]], None], level: int = 9) -> None:
    """Write an XLSX workbook of one sheet (named "flows"), whose XML ``sheet`` streams."""
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="flows" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    book_rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
            stream.write(_SHEET_HEAD.encode())
            sheet(stream)
            stream.write(b"</sheetData></worksheet>")


_HEADER_ROW = (
    b'<row><c t="inlineStr"><is><t>origin</t></is></c><c t="inlineStr"><is>'
    b'<t>dest</t></is></c><c t="inlineStr"><is><t>count</t></is></c></row>'
)


def sheet_bomb(path: Path, unpacked: int = 400 * MB) -> None:
    """An XLSX workbook whose one sheet's XML unpacks to ``unpacked`` bytes."""
    row = (
        b'<row><c t="inlineStr"><is><t>KG</t></is></c><c t="inlineStr"><is><t>RU</t></is></c>'
        b"<c><v>1</v></c></row>"
    )
    block = row * (MB // len(row))

    def sheet(stream: IO[bytes]) -> None:
        stream.write(_HEADER_ROW)
        for _ in range(unpacked // len(block)):
            stream.write(block)

    _workbook(path, sheet)


def excel_rows(path: Path, rows: int = 1_048_576) -> None:
    """An XLSX workbook of ``rows`` rows (Excel's most: a header and 1,048,575 flows between
    the countries, with cell references as Excel writes them; about 11 MB)."""
    rng = random.Random(5)

    def sheet(stream: IO[bytes]) -> None:
        stream.write(_HEADER_ROW.replace(b"<row>", b'<row r="1">'))
        parts: list[str] = []
        for r in range(2, rows + 1):
            a, b = rng.sample(COUNTRIES, 2)
            parts.append(
                f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{a}</t></is></c>'
                f'<c r="B{r}" t="inlineStr"><is><t>{b}</t></is></c>'
                f'<c r="C{r}"><v>{rng.randint(1, 5000)}</v></c></row>'
            )
            if len(parts) == 20_000:
                stream.write("".join(parts).encode())
                parts = []
        stream.write("".join(parts).encode())

    _workbook(path, sheet)


def gz_matrix(path: Path, size: int = 1500) -> None:
    """A gzipped square matrix of ``size`` made-up places whose cells are all 0 (1,500:
    4.5 MB of text in about 16 kB)."""
    labels = [f"P{i:04d}" for i in range(size)]
    zeros = ",".join("0" * size)
    text = "," + ",".join(labels) + "\n" + "".join(f"{label},{zeros}\n" for label in labels)
    path.write_bytes(gzip.compress(text.encode(), 9))


def many_parts_shapefile(path: Path, parts: int = 700_000) -> None:
    """A zipped Shapefile of one polygon record with ``parts`` small triangles."""
    points = parts * 4
    content = 4 + 32 + 4 + 4 + 4 * parts + 16 * points  # bytes of the record's content
    box = (69.0, 39.0, 73.0, 41.0)

    def header(length_bytes: int) -> bytes:
        return (
            struct.pack(">7i", 9994, 0, 0, 0, 0, 0, length_bytes // 2)
            + struct.pack("<2i", 1000, 5)
            + struct.pack("<8d", *box, 0, 0, 0, 0)
        )

    shp = io.BytesIO()
    shp.write(header(100 + 8 + content))
    shp.write(struct.pack(">2i", 1, content // 2))
    shp.write(struct.pack("<i4d2i", 5, *box, parts, points))
    shp.write(struct.pack(f"<{parts}i", *range(0, points, 4)))
    side = 1000
    for i in range(parts):
        x = 69.0 + (i % side) * 0.004
        y = 39.0 + (i // side) * 0.0028
        shp.write(struct.pack("<8d", x, y, x, y + 0.001, x + 0.001, y, x, y))
    shx = header(100 + 8) + struct.pack(">2i", 50, content // 2)
    name = b"Batken".ljust(20)
    dbf = (
        struct.pack("<4BIHH20x", 3, 126, 1, 1, 1, 32 + 32 + 1, 1 + 20)
        + struct.pack("<11sc4xBB14x", b"name", b"C", 20, 0)
        + b"\r"
        + b" "
        + name
        + b"\x1a"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("parts.shp", shp.getvalue())
        archive.writestr("parts.shx", shx)
        archive.writestr("parts.dbf", dbf)


def make_all(folder: Path) -> list[UploadFile]:
    """Write every file into ``folder``; return them, normal ones first."""
    made: list[UploadFile] = []
    for name, make, target, hostile in (
        ("flows.csv", normal_csv, "table", False),
        ("flows.xlsx", normal_xlsx, "table", False),
        ("wide-cp1251.csv", normal_wide, "table", False),
        ("matrix-1500.csv", big_matrix, "table", True),
        ("bomb-5gb.csv.gz", gzip_bomb, "table", True),
        ("columns-1m.csv", million_columns, "table", True),
        ("one-line-40mb.csv", one_line, "table", True),
        ("rows-1.2m.csv", too_many_rows, "table", True),
        ("sheet-400mb.xlsx", sheet_bomb, "table", True),
        ("parts-700k.zip", many_parts_shapefile, "districts", True),
    ):
        path = folder / name
        make(path)
        if path.stat().st_size > 50 * MB:
            raise RuntimeError(f"{name} is over the 50 MB upload limit")
        made.append(UploadFile(path, target, hostile))
    return made


ISSUE_22 = (
    ("sheet-900mb.xlsx", lambda path: sheet_bomb(path, 900 * MB)),
    ("rows-1048576.xlsx", excel_rows),
    ("matrix-1500-zeros.csv.gz", gz_matrix),
)
"""Issue 22's three uploads: a workbook of about 2 MB whose sheet XML unpacks to 900 MB, one
of Excel's 1,048,576 rows (about 11 MB) and a gzipped 1,500 × 1,500 matrix (about 16 kB)."""


def make_issue_22(folder: Path) -> list[UploadFile]:
    """Write issue 22's three uploads into ``folder``; return them."""
    made: list[UploadFile] = []
    for name, make in ISSUE_22:
        path = folder / name
        make(path)
        made.append(UploadFile(path, "table", True))
    return made
