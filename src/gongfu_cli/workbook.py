"""Excel workbooks (.xlsx) as rows of cell text, for tables.py.

Each cell becomes the text the analyst typed, so CSV and Excel go through one
parser in actuals. openpyxl is imported lazily: it is slow to import and only
needed when a workbook is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .problems import Problem, unreadable


def xlsx_rows(path: Path, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """Rows of the first sheet with their Excel row numbers.

    Cell-level problems are appended to `problems` as the rows are read."""
    from openpyxl import load_workbook  # lazily: openpyxl is slow to import

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        number = 0
        try:
            for number, row in enumerate(sheet.iter_rows(), start=1):
                yield number, [_excel_cell_text(cell) for cell in row]
        except Exception as exc:  # a workbook damaged past its first rows
            raise unreadable(
                str(path),
                f"Excel 工作簿第 {number + 1} 行已损坏",
                f"the workbook is damaged at row {number + 1}",
                f"{type(exc).__name__}: {exc}",
                number + 1,
            ) from None
    finally:
        workbook.close()


def _excel_cell_text(cell: object) -> str:
    """A cell as the text Excel shows, so CSV and .xlsx go through one parser."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if "%" in (getattr(cell, "number_format", "") or ""):
            # A cell formatted as 97.2% holds 0.972; the analyst typed 97.2%.
            return f"{value * 100:.12g}%"
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else repr(value)
        return str(value)
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m")  # a period cell Excel turned into a date
    return str(value)
