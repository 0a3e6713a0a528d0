"""`gongfu template`: a monthly file for staff to fill in, as CSV or Excel.

The template lists the indicators that report in the month (by frequency), or
only those one unit owns (--owner), in the columns a county form has:
序号 | 指标名称 | 单位 | 年度目标 | 上月累计 | 本月数值 | 填报口径 | 备注 | 指标ID, under
a 填报单位/填报人/联系电话 block. The reader knows every one of them: it reads
the indicator by 指标ID, the figure from 本月数值 (for totals and growth the year
to date, as 填报口径 says), the unit and the note, and the 填报单位 as the file's
sender; the other columns are for people. So a filled-in template passes
`validate --strict` and `check` as it stands. Files are written atomically and
never overwrite an existing file without --force (cli, output.py).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import GongfuError, number
from gongfu_cli.model.readings import Actuals
from gongfu_cli.model.targets import Indicator, Kind, Targets, normalise, reports_in
from gongfu_cli.model.text import safe_text
from gongfu_cli.read.actuals import YEAR_TO_DATE_KINDS
from gongfu_cli.read.files import period_from_name
from gongfu_cli.read.units import UNIT_SCALES
from gongfu_cli.render.table import spreadsheet_safe, target_text

HEADER = [
    "序号",
    "指标名称",
    "单位",
    "年度目标",
    "上月累计",
    "本月数值",
    "填报口径",
    "备注",
    "指标ID",
]
SENDER_LABEL, PERSON_LABEL, PHONE_LABEL = "填报单位：", "填报人：", "联系电话："
# Milestone answers offered in the drop-down; the reader takes each (推进中 is 未完成).
MILESTONE_CHOICES = ("已完成", "推进中", "未完成")
# Excel's limit on a number typed into a validated cell, as on any figure gongfu reads.
_FIGURE_LIMIT = "1000000000000000"
# Characters Windows refuses in a file name; a unit's name is cleaned of them.
_NOT_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


@dataclass
class Template:
    """What a template holds: the month, its rows, the unit it is for (pre-filled
    as 填报单位, empty for the whole catalogue), last month's year-to-date figures,
    and the plan and county the titles name."""

    period: Period
    indicators: list[Indicator]
    sender: str = ""
    previous: dict[str, float] = field(default_factory=dict)
    plan: str = ""  # the targets file's plan and county, for the titles
    county: str = ""


def template_indicators(
    targets: Targets, period: Period, owner: str | None = None
) -> list[Indicator]:
    """Indicators with a figure in this month (January lists the monthly ones too),
    only the ones `owner` (a unit of the plan, by its exact name) owns when given."""
    return [
        ind
        for ind in targets.indicators
        if reports_in(ind, period.month) and (owner is None or owner in ind.owners)
    ]


def default_name(period: Period, owner: str | None, suffix: str) -> Path:
    """2025-07.xlsx, or 2025-07-县民社局.xlsx for one unit: the name the reader takes
    the month and the sender from."""
    unit = _NOT_IN_FILE_NAME.sub("_", safe_text(owner)).strip(" .") if owner else ""
    return Path(f"{period}-{unit}{suffix}" if unit else f"{period}{suffix}")


def previous_period(period: Period) -> Period | None:
    """The month before, in the same year; None for January (the year to date restarts)."""
    return Period(period.year, period.month - 1) if period.month > 1 else None


def read_previous(path: Path, targets: Targets, period: Period) -> Actuals | None:
    """The month before `period`, merged from `path` (a folder of months, a month's
    folder, or one file), as check reads it; None when `path` holds no such month
    or none of its files can be read. GongfuError when `path` does not exist."""
    from gongfu_cli.read.files import expand_paths
    from gongfu_cli.read.intake import read_month

    before = previous_period(period)
    if before is None:
        return None
    months: dict[Path, Period] = {}
    files = [
        f
        for f in expand_paths([path], None, months)
        if months.get(f, period_from_name(f)) == before
    ]
    if not files:
        return None
    in_folder = {f for f in files if f in months and period_from_name(f) is None}
    try:
        return read_month(files, targets, before, in_folder)
    except GongfuError:
        return None


def previous_figures(month: Actuals | None, targets: Targets) -> dict[str, float]:
    """Last month's year-to-date figures (totals and growth), in the targets' units,
    for the 上月累计 column: only valid ones, so a doubtful figure is never offered
    as the one to compare with."""
    if month is None:
        return {}
    figures = {}
    for ind_id, reading in month.readings.items():
        ind = targets.by_id.get(ind_id)
        if ind is None or ind.kind not in YEAR_TO_DATE_KINDS:
            continue
        if reading.valid and reading.value is not None:
            figures[ind_id] = reading.value
    return figures


# ---------------------------------------------------------------------------
# What each row asks for


def basis(ind: Indicator, period: Period) -> str:
    """The 填报口径 of a row: what figure to enter (填1-7月累计数 for a total)."""
    span = f"1-{period.month}月" if period.month > 1 else "1月"
    if ind.kind in (Kind.cumulative, Kind.count):
        return f"填{span}累计数"
    if ind.kind == Kind.growth:
        return f"填{span}累计增速（%），下降填负数"
    if ind.kind == Kind.rank:
        return "填排名（整数，1为最好）"
    if ind.kind == Kind.milestone:
        return "选填 " + "/".join(MILESTONE_CHOICES)
    grades = "、".join(f"{grade}等" for grade in ind.also_met_by)
    return f"填{period.month}月数值" + (f"，或{safe_text(grades)}" if grades else "")


def unit_choices(ind: Indicator) -> list[str]:
    """The units a figure may be given in: the target's, then those convertible to it
    (亿元 → 亿元, 万元, 元: the largest first); none for a milestone."""
    if ind.kind == Kind.milestone or not ind.unit:
        return []
    scale = UNIT_SCALES.get(normalise(ind.unit))
    others = [
        (power, unit)
        for unit, (base, power) in UNIT_SCALES.items()
        if scale is not None and base == scale[0] and unit != normalise(ind.unit)
    ]
    return [ind.unit, *(unit for _, unit in sorted(others, key=lambda other: -other[0]))]


def _rows(template: Template) -> list[list[object]]:
    """序号 … 指标ID for each indicator, text made safe (openpyxl refuses control
    characters; on a terminal or in Excel they would garble the row)."""
    rows: list[list[object]] = []
    for number_in_list, ind in enumerate(template.indicators, start=1):
        rows.append(
            [
                number_in_list,
                safe_text(ind.name),
                safe_text(ind.unit),
                safe_text(target_text(ind, "zh")),
                template.previous.get(ind.id),
                None,
                basis(ind, template.period),
                None,
                ind.id,
            ]
        )
    return rows


def _block(sender: str) -> list[str]:
    return [SENDER_LABEL, safe_text(sender), PERSON_LABEL, "", PHONE_LABEL, ""]


# ---------------------------------------------------------------------------
# CSV


def template_csv(template: Template) -> bytes:
    """UTF-8 with a BOM: the form Excel on Chinese Windows opens without mojibake.
    The 填报单位 line, the header, the rows; no validations (CSV has none)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(cell) for cell in _block(template.sender)])
    writer.writerow(HEADER)
    for row in _rows(template):
        writer.writerow(["" if cell is None else _csv_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(cell: object) -> object:
    """Text as spreadsheet_safe makes it; a figure as a number (−3.5 is no formula)."""
    if isinstance(cell, float):
        return number(cell)
    return spreadsheet_safe(cell)


# ---------------------------------------------------------------------------
# Excel

_TITLE_ROW, _BLOCK_ROW, _NOTE_ROW, _HEADER_ROW = 1, 2, 3, 4
_WIDTHS = {"A": 10, "B": 36, "C": 10, "D": 18, "E": 12, "F": 14, "G": 26, "H": 24, "I": 18}
_INPUT_COLUMNS = ("C", "F", "H")  # 单位, 本月数值, 备注: what staff fill in


def template_xlsx(template: Template) -> bytes:
    """The sheet to fill in, then a 填报说明 sheet. Only 填报单位/填报人/联系电话, 单位,
    本月数值 and 备注 are open (the sheet is protected without a password: a guide,
    not security); the unit is a drop-down of the units the reader converts, the
    figure a number cell with its 口径 as the input hint, a milestone a list."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(template.period)
    period = template.period
    grey = PatternFill("solid", fgColor="EEEEEE")
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    open_cell = Protection(locked=False)

    title = f"{template.county}{period.year}年{period.month}月 指标数据填报表"
    sheet["A1"] = spreadsheet_safe(title)  # a county written =… must not become a formula
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(f"A{_TITLE_ROW}:H{_TITLE_ROW}")
    for column, text in zip("ABCDEF", _block(template.sender), strict=True):
        cell = sheet[f"{column}{_BLOCK_ROW}"]
        cell.value = text or None
        if column in "BDF":
            cell.protection, cell.border, cell.data_type = open_cell, box, "s"
        else:
            cell.font = Font(bold=True)
    sheet[f"A{_NOTE_ROW}"] = (
        f"累计类指标请填1至{period.month}月累计数，不是当月数（见“填报口径”列）；"
        "数值经核实无误但波动大时，请在备注写“已核实”。详见“填报说明”工作表。"
    )
    sheet[f"A{_NOTE_ROW}"].font = Font(color="C00000")
    sheet.merge_cells(f"A{_NOTE_ROW}:H{_NOTE_ROW}")
    for column, title in zip("ABCDEFGHI", HEADER, strict=True):
        cell = sheet[f"{column}{_HEADER_ROW}"]
        cell.value = title
        cell.font, cell.fill, cell.border = Font(bold=True), header_fill, box
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    validations: dict[tuple[object, ...], DataValidation] = {}

    def validate(cell: str, key: tuple[object, ...], **options: object) -> None:
        if key not in validations:
            validations[key] = DataValidation(allow_blank=True, **options)
            sheet.add_data_validation(validations[key])
        validations[key].add(cell)

    rows = zip(template.indicators, _rows(template), strict=True)
    for row_number, (ind, row) in enumerate(rows, start=_HEADER_ROW + 1):
        for column, value in zip("ABCDEFGHI", row, strict=True):
            cell = sheet[f"{column}{row_number}"]
            cell.value = value
            cell.border = box
            if isinstance(value, str):
                cell.data_type = "s"  # text as it stands: a name starting with = is no formula
            if column in _INPUT_COLUMNS:
                cell.protection = open_cell
            else:
                cell.fill = grey
            cell.alignment = Alignment(vertical="center", wrap_text=column in "BDGH")
        sheet[f"I{row_number}"].font = Font(color="808080", size=9)
        units = unit_choices(ind)
        if len(units) > 1 and _listable(units):
            validate(f"C{row_number}", ("unit", *units), **_unit_list(units))
        validate(f"F{row_number}", _figure_key(ind), **_figure_rule(ind, period))
    last = max(_HEADER_ROW + len(template.indicators), _HEADER_ROW)
    for column, width in _WIDTHS.items():
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = f"C{_HEADER_ROW + 1}"
    # Printing: landscape A4, one page wide, the header on every page; 指标ID is for
    # the reader, not the paper.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
    sheet.print_area = f"A1:H{last}"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # False allows: widen a column, a row
    sheet.protection.formatRows = False
    _instructions(workbook.create_sheet("填报说明"), template)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _listable(choices: list[str]) -> bool:
    """Whether choices fit an Excel list (comma-separated, quoted, at most 255 characters)."""
    return all("," not in c and '"' not in c for c in choices) and len(",".join(choices)) < 250


def _unit_list(units: list[str]) -> dict[str, object]:
    return {
        "type": "list",
        "formula1": '"' + ",".join(units) + '"',
        "showErrorMessage": True,
        "errorTitle": "单位",
        "error": "请在下拉框中选择单位：" + "、".join(units),
        "promptTitle": "单位",
        "prompt": "可改选" + "、".join(units[1:]) + "，按所选单位自动换算",
        "showInputMessage": True,
    }


def _figure_key(ind: Indicator) -> tuple[object, ...]:
    return (ind.kind.value, ind.unit, tuple(ind.also_met_by), ind.bounds)


def _figure_rule(ind: Indicator, period: Period) -> dict[str, object]:
    """The 本月数值 cell's validation: its 口径 as the input hint, and the numbers it takes."""
    unit = safe_text(ind.unit)[:20]
    hint = basis(ind, period) + (f"，单位：{unit}（可在单位列改选）" if unit else "")
    rule: dict[str, object] = {
        "promptTitle": "本月数值",
        "prompt": hint + "。暂无数据请留空，不要填0。",
        "showInputMessage": True,
        "showErrorMessage": True,
        "errorTitle": "本月数值",
    }
    if ind.kind == Kind.milestone:
        choices = ",".join(MILESTONE_CHOICES)
        rule["prompt"] = f"请在下拉框中选择：{choices.replace(',', '、')}"
        return rule | {"type": "list", "formula1": f'"{choices}"', "error": "请在下拉框中选择"}
    if ind.also_met_by:
        rule["showErrorMessage"] = False  # a grade (A等) is text: no number rule
        return rule
    if ind.kind == Kind.rank:
        return rule | {
            "type": "whole",
            "operator": "greaterThanOrEqual",
            "formula1": "1",
            "error": "请填排名（不小于1的整数）；暂无请留空。",
        }
    low, high = ind.plausible_range()
    if len(unit_choices(ind)) > 1:
        # A figure in 万元 for a target in 亿元 is another number: only a bound of 0
        # holds in every unit.
        low, high = (0 if low is not None and low >= 0 else None), None
    if ind.kind == Kind.growth:
        low, high = None, None  # a growth rate may fall
    if low is not None and high is not None:
        bounds = {"operator": "between", "formula1": number(low), "formula2": number(high)}
        error = f"请填 {number(low)} 到 {number(high)} 之间的数字"
    elif low is not None:
        bounds = {"operator": "greaterThanOrEqual", "formula1": number(low)}
        error = f"请填不小于 {number(low)} 的数字"
    else:
        limit = _FIGURE_LIMIT
        bounds = {"operator": "between", "formula1": "-" + limit, "formula2": limit}
        error = "请填数字（可为负数）"
    if ind.kind == Kind.count and len(unit_choices(ind)) == 1:
        # a count in its own unit is a whole number (in 万人 it may not be)
        return rule | {"type": "whole", **bounds, "error": "请填整数；暂无数据请留空。"}
    return rule | {"type": "decimal", **bounds, "error": error + "；暂无数据请留空。"}


def _instructions(sheet, template: Template) -> None:  # type: ignore[no-untyped-def]
    """The 填报说明 sheet: what to enter, in which unit, how to name and send the file."""
    from openpyxl.styles import Alignment, Font

    period = template.period
    m = period.month
    span = f"1至{m}月" if m > 1 else "1月"
    prefilled = f"（已预填“{safe_text(template.sender)}”）" if template.sender else ""
    name = safe_text(default_name(period, template.sender or "县某某局", ".xlsx").name)
    plan = f"（{safe_text(template.plan)}）" if template.plan else ""
    plan_named = f"《{safe_text(template.plan)}》" if template.plan else "行动方案"
    lines = [
        (f"{period.year}年{m}月 指标数据填报说明{plan}", True),
        ("一、填报单位", True),
        (
            f"在表格上方“填报单位”格填写单位全称{prefilled}"
            "，并填写填报人和联系电话。汇总时据此识别报送单位，请勿删除。",
            False,
        ),
        ("二、本月数值（按“填报口径”列填写）", True),
        (
            f"1. 累计类指标（总量、个数）：填{span}累计数，不是{m}月当月数。",
            False,
        ),
        (f"2. 增速类指标：填{span}累计增速，单位为%，下降填负数，如 -3.5。", False),
        ("3. 比率、水平类指标：填本期数值，如 91.8（单位为%时不要填成 0.918）。", False),
        ("4. 排名：填名次，整数，1为最好。", False),
        ("5. 任务类指标：在下拉框中选择“已完成”“推进中”或“未完成”。", False),
        ("6. 暂无数据请留空，不要填0或“无”。只填数字，不要在数字后加单位。", False),
        ("三、单位", True),
        (
            "“单位”列默认为目标的单位（如亿元）。如按其他单位填报（如万元），"
            "请在该格下拉框中改选，汇总时自动换算；请勿只改数字不改单位。",
            False,
        ),
        ("四、年度目标与上月累计", True),
        (
            f"“年度目标”为{plan_named}的全年目标；“上月累计”为上月已报送的累计数，供核对"
            "（累计数一般不应小于上月）。两列仅供参考，无需填写。",
            False,
        ),
        ("五、备注", True),
        (
            "数值与以往相差很大（如单位疑似有误、大幅增长）但经核实无误的，请在备注写"
            "“已核实”，并简要说明原因；其他情况可说明统计口径等。",
            False,
        ),
        ("六、注意事项", True),
        (
            "请勿修改指标名称和最右侧“指标ID”列，请勿增删行列或调整顺序；"
            "需要补充的内容写在备注中。",
            False,
        ),
        ("七、文件命名与报送", True),
        (
            f"填好后保存为 Excel 工作簿（.xlsx，不要另存为 .xls），文件名为“{name}”"
            "（报告期-单位名称），按牵头部门要求报送。",
            False,
        ),
    ]
    sheet.column_dimensions["A"].width = 110
    for row_number, (text, heading) in enumerate(lines, start=1):
        cell = sheet.cell(row=row_number, column=1, value=text)
        cell.font = Font(bold=heading, size=14 if row_number == 1 else 11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
