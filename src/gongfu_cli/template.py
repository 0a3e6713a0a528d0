"""`gongfu template`: a monthly file for staff to fill in, as CSV or Excel.

The template lists the indicators that report in the month (by frequency), with
the headers the reader expects, so a filled-in template passes `validate` and
`check` as it stands. Files are written atomically and never overwrite an
existing file without --force.
"""

from __future__ import annotations

import csv
import io

from .evaluate import reports_in
from .periods import Period
from .render import spreadsheet_safe
from .targets import Indicator, Kind, Targets
from .text import safe_text

HEADER = ["指标", "名称", "单位", "数值", "备注"]
MILESTONE_HINT = "填“已完成”或“未完成”"


def template_indicators(targets: Targets, period: Period) -> list[Indicator]:
    """Indicators with a figure in this month (January lists the monthly ones too)."""
    return [ind for ind in targets.indicators if reports_in(ind, period.month)]


def _rows(indicators: list[Indicator]) -> list[list[str]]:
    """Id, name, unit, an empty value and a hint, with control characters shown escaped
    (openpyxl refuses them; on a terminal or in Excel they would garble the row)."""
    rows = []
    for ind in indicators:
        hint = MILESTONE_HINT if ind.kind == Kind.milestone else ""
        rows.append([safe_text(ind.id), safe_text(ind.name), safe_text(ind.unit), "", hint])
    return rows


def template_csv(indicators: list[Indicator]) -> bytes:
    """UTF-8 with a BOM: the form Excel on Chinese Windows opens without mojibake."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in _rows(indicators))
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(indicators: list[Indicator], period: Period) -> bytes:
    """A sheet whose id, name and unit cells are locked and grey; values are number cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(period)
    sheet.append(HEADER)
    locked_fill = PatternFill("solid", fgColor="EEEEEE")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    milestone_choice = DataValidation(
        type="list",
        formula1='"已完成,未完成"',
        allow_blank=True,
        errorTitle="完成状态",
        error="请选择“已完成”或“未完成”",
    )
    sheet.add_data_validation(milestone_choice)
    rows = zip(indicators, _rows(indicators), strict=True)
    for row_number, (ind, row) in enumerate(rows, start=2):
        sheet.append([*row[:3], None, row[4] or None])
        for column in "ABC":
            cell = sheet[f"{column}{row_number}"]
            cell.fill = locked_fill
            cell.data_type = "s"  # text as it stands: a name starting with = is no formula
        value_cell = sheet[f"D{row_number}"]
        value_cell.protection = Protection(locked=False)
        sheet[f"E{row_number}"].protection = Protection(locked=False)
        if ind.kind == Kind.milestone:
            milestone_choice.add(value_cell)
        else:
            value_cell.number_format = "0" if ind.kind in (Kind.count, Kind.rank) else "0.####"
    for column, width in zip("ABCDE", (32, 40, 10, 14, 30), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    # Protected without a password: it marks what not to edit, it is not security.
    sheet.protection.sheet = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
