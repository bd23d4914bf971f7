"""The budget every table file is read within: bytes, rows, columns, cells, line length.

A limit is enforced while reading, never after: a reader stops at the first limit it
meets, with one line that names the limit and the file (:class:`~flowmap.core.errors.
DataValidationError`). The command line allows more than the app (a shared web server);
its help says how much.

Boundary files have their own limits (:class:`flowmap.io.geoio.BoundaryLimits`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["APP", "CLI", "Budget"]

_MIB = 1024 * 1024


@dataclass(frozen=True)
class Budget:
    """The most a table file may hold; exceeding one limit refuses the file.

    Parameters
    ----------
    bytes
        Size of the text after decompression (a gzip file's content, a workbook's cells as
        they stream).
    rows
        Data rows (the header not counted).
    columns
        Columns of the header (or of the widest row).
    cells
        Rows times columns: a matrix of 1,500 × 1,500 places has 2,250,000 cells.
    line
        Characters in one line of a text table (a file that is one 150 MB line is
        refused at this many characters, not read whole).
    sheet_xml
        Unpacked size of one worksheet's XML in a workbook.
    workbook
        Declared unpacked size of all the members of a workbook together.
    sheet_rows
        Data rows of a workbook's sheet (at most ``rows``): a sheet's XML is read cell by
        cell, about fifty times slower than CSV text, so a sheet holds fewer rows than a
        text file; a larger sheet is refused with the advice to save it as CSV.
    sheet_cells
        Cells of a workbook's sheet (at most ``cells``), for the same reason.
    melt_cells
        Cells of a wide table or matrix, each of which may become a flow (at most
        ``cells``): a 1,500 × 1,500 matrix (2,250,000 cells) is mapped within a gigabyte,
        a 3,000 × 3,000 one is refused before its cells are turned into flows.
    """

    bytes: int = 200 * _MIB
    rows: int = 2_000_000
    columns: int = 5_000
    cells: int = 10_000_000
    line: int = 1 * _MIB
    sheet_xml: int = 300 * _MIB
    workbook: int = 1000 * _MIB
    sheet_rows: int = 100_000
    sheet_cells: int = 500_000
    melt_cells: int = 2_500_000


CLI = Budget()
"""The command line's and the Python API's budget (its help says it)."""

APP = Budget(
    bytes=100 * _MIB,
    rows=1_000_000,
    columns=3_000,
    cells=4_000_000,
    line=1 * _MIB,
    sheet_xml=40 * _MIB,
    workbook=200 * _MIB,
    sheet_rows=100_000,
    sheet_cells=300_000,
    melt_cells=1_000_000,
)
"""The app's budget: what a shared web server reads of one upload, every limit stricter
than the command line's. A sheet of 300,000 cells takes 10-20 MB of XML, so a sheet of more
than 40 MB (Excel's 1,048,576 rows: about 150 MB) is refused from the zip directory before
a row is read; a wide table or matrix of more cells than the 1,000,000 flow rows the app
maps (a 1,500 × 1,500 matrix) is refused before its cells become flows."""
