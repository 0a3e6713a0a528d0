"""The 晾晒表 as offices circulate it: an Excel workbook (`gongfu export -o 晾晒表.xlsx`).

Sheets: a summary (light counts, 较上月 newly red, projected misses, the briefing
paragraph); one sheet per section of the plan, in the plan's order, each light
filled in its colour AND written as a word (红/黄/绿/灰), so a black-and-white
printout still reads; and a data sheet with the long year table (one row per
indicator × month) for pivot tables. Every sheet prints on landscape A4, fitted
to the page width, with its header row repeated on each page.

openpyxl is imported here only, and this module only by `gongfu export`; pandas
only through render/frames.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import TYPE_CHECKING, Any, Protocol

from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import Lang
from gongfu_cli.model.results import Evaluation, Light, Report
from gongfu_cli.model.targets import Targets
from gongfu_cli.model.text import safe_text
from gongfu_cli.render import table as words
from gongfu_cli.render.brief import brief
from gongfu_cli.render.html import plan_order
from gongfu_cli.render.table import FORMULA_STARTS
from gongfu_cli.render.words import owner_list, section_heading

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.worksheet import Worksheet


class Review(Protocol):
    """What the workbook needs of a review (api.Review): render/ stays below the API."""

    @property
    def latest(self) -> Report: ...
    @property
    def targets(self) -> Targets: ...
    @property
    def evaluations(self) -> list[Evaluation]: ...
    @property
    def period(self) -> Period: ...
    def year_frame(self) -> pd.DataFrame: ...


# Fills light enough that black text on them stays legible, in print too.
LIGHT_FILLS = {
    Light.red: "FF9B9B",
    Light.yellow: "FFE48A",
    Light.green: "A8D89A",
    Light.grey: "D9D9D9",
}
HEADER_FILL = "DDEBF7"

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "summary": "汇总",
        "data": "数据",
        "period": "报告期",
        "previous": "较上月对比",
        "files": "数据文件",
        "lights": "亮灯情况",
        "count": "项数",
        "total": "合计",
        "turned_red": "较上月新亮红灯",
        "projected": "按目前进度预计全年难以完成",
        "brief": "简报",
        "none": "无",
        "unit": "单位",
        "completion": "完成率",
        "time_progress": "序时进度",
        "page": "第 &P 页，共 &N 页",
    },
    "en": {
        "summary": "summary",
        "data": "data",
        "period": "Period",
        "previous": "Compared with",
        "files": "Data files",
        "lights": "Lights",
        "count": "Indicators",
        "total": "Total",
        "turned_red": "Newly red since last month",
        "projected": "Projected to miss the year at the pace so far",
        "brief": "Briefing",
        "none": "none",
        "unit": "Unit",
        "completion": "Completion",
        "time_progress": "Time progress",
        "page": "Page &P of &N",
    },
}

# A section sheet's columns: the check table's, with completion and 序时进度 as
# numbers (so they sort and filter) and the unit apart from the figure.
SECTION_COLUMNS = [
    "light",
    "indicator",
    "unit",
    "target",
    "actual",
    "completion",
    "time_progress",
    "projection",
    "change",
    "status",
    "owners",
]
PERCENT_COLUMNS = {"completion", "time_progress"}
WRAPPED_WIDTH = 40  # a wider column wraps its text instead (indicator names, owners)
EXCEL_CELL_LIMIT = 32767  # characters Excel holds in one cell
MAX_ROW_HEIGHT = 409  # points: Excel's tallest row

# ---------------------------------------------------------------------------
# Text in cells, widths and sheet names


def cell_text(text: str) -> str:
    """Text for a cell: control characters escaped, cut to what Excel holds. Text that
    starts like a formula is kept text by _as_text, not by a visible quote."""
    return safe_text(text)[:EXCEL_CELL_LIMIT]


def _as_text(workbook: Workbook) -> None:
    """Every cell of text that starts like a formula (= + - @) stored as text, and marked
    to stay text (Excel's quote prefix, which it does not show) if someone edits it: a
    name written =1+2产值 reads as written and never runs. openpyxl would otherwise
    store text starting with = as a formula."""
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in FORMULA_STARTS:
                    cell.data_type = "s"
                    cell.quotePrefix = True


def _cell_value(value: Any) -> Any:
    return cell_text(value) if isinstance(value, str) else value


def display_width(text: str) -> int:
    """Columns a text takes on screen: a CJK or full-width character counts 2."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


_NOT_IN_SHEET_NAME = str.maketrans(
    {"[": "［", "]": "］", ":": "：", "*": "＊", "?": "？", "/": "／", "\\": "＼"}
)
SHEET_NAME_LIMIT = 31  # Excel's limit, in UTF-16 units


def _fits(name: str, limit: int) -> str:
    while len(name.encode("utf-16-le")) // 2 > limit:
        name = name[:-1]
    return name


def sheet_name(text: str, taken: set[str]) -> str:
    """A name Excel accepts: no []:*?/\\ (their full-width forms instead), no control
    characters, not starting or ending with ', at most 31 characters, and unlike every
    name in `taken` (compared as Excel does, ignoring case); adds it to `taken`."""
    base = safe_text(text).translate(_NOT_IN_SHEET_NAME).strip().strip("'") or "Sheet"
    name, n = _fits(base, SHEET_NAME_LIMIT), 1
    while name.casefold() in taken:
        n += 1
        suffix = f"({n})"
        name = _fits(base, SHEET_NAME_LIMIT - len(suffix)).rstrip("'") + suffix
    taken.add(name.casefold())
    return name


def _header_footer_text(text: str) -> str:
    """Text for a printed page header: & is Excel's code character, 255 is its limit."""
    return safe_text(text).replace("&", "&&")[:200]


# ---------------------------------------------------------------------------
# Sheet layout: shared by every sheet


def _fill(colour: str) -> PatternFill:
    from openpyxl.styles import PatternFill

    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


# The looks of table cells, registered once per workbook as named styles: openpyxl
# hashes a Border or an Alignment every time one is given to a cell, which for the
# data sheet's few thousand cells took seconds; a named style is looked up by name.
HEADER, CELL, WRAPPED, PERCENT = "gongfu header", "gongfu cell", "gongfu wrapped", "gongfu %"


def light_style(light: Light) -> str:
    return f"gongfu {light.value}"


def _add_styles(workbook: Workbook) -> None:
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    top = Alignment(vertical="top")
    looks: dict[str, dict[str, Any]] = {
        HEADER: {
            "font": Font(bold=True),
            "fill": _fill(HEADER_FILL),
            "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True),
        },
        CELL: {"alignment": top},
        WRAPPED: {"alignment": Alignment(vertical="top", wrap_text=True)},
        PERCENT: {"alignment": top, "number_format": "0.0%"},
        **{
            light_style(light): {"alignment": top, "fill": _fill(LIGHT_FILLS[light])}
            for light in Light
        },
    }
    for name, look in looks.items():
        workbook.add_named_style(NamedStyle(name=name, border=border, **look))


def _print_setup(ws: Worksheet, title: str, lang: Lang) -> None:
    """Landscape A4, fitted to the page width (as many pages tall as it needs)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.print_options.horizontalCentered = True
    ws.oddHeader.center.text = _header_footer_text(title)
    ws.oddFooter.center.text = LABELS[lang]["page"]


def _table(ws: Worksheet, header: list[str], rows: list[list[Any]], styles: dict[int, str]) -> None:
    """A header row and its rows from A1: the header frozen, filtered and printed on
    every page; columns as wide as their text (CJK counted double), the widest wrapped.
    `styles` gives a column (numbered from 1) its named style."""
    from openpyxl.utils import get_column_letter

    ws.append([cell_text(title) for title in header])
    for row in rows:
        ws.append([_cell_value(value) for value in row])
    for index, column in enumerate(ws.iter_cols(min_row=1, max_row=ws.max_row), start=1):
        # the header's filter button takes two more
        widest = max(_text_width(cell.value) + 2 * (cell.row == 1) for cell in column)
        wraps = widest > WRAPPED_WIDTH
        width = max(min(widest, WRAPPED_WIDTH), 4) + 2
        ws.column_dimensions[get_column_letter(index)].width = width
        style = styles.get(index, WRAPPED if wraps else CELL)
        column[0].style = HEADER
        for cell in column[1:]:
            cell.style = style
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.print_title_rows = "1:1"


def _text_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, float):
        return min(len(f"{value:.6g}"), 12)
    return max(display_width(line) for line in str(value).split("\n"))


# ---------------------------------------------------------------------------
# The summary sheet


def _summary(ws: Worksheet, review: Review, lang: Lang, plan: str) -> None:
    from openpyxl.styles import Alignment, Font

    labels, report = LABELS[lang], review.latest
    evaluations = report.evaluations
    heading = Font(bold=True, size=12)
    ws.append([cell_text(words.title(report, plan, lang))])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([labels["period"], str(report.period)])
    if report.previous_period is not None:
        ws.append([labels["previous"], str(report.previous_period)])
    sources = report.files or [report.file]
    ws.append([labels["files"], cell_text(("；" if lang == "zh" else "; ").join(sources))])

    ws.append([])
    ws.append([labels["lights"]])
    ws.cell(ws.max_row, 1).font = heading
    ws.append([words.LABELS[lang]["light"], labels["count"]])
    _bold_row(ws)
    for light in (Light.red, Light.yellow, Light.green, Light.grey):
        ws.append([words.light_name(light, lang), sum(e.light == light for e in evaluations)])
        ws.cell(ws.max_row, 1).fill = _fill(LIGHT_FILLS[light])
    ws.append([labels["total"], len(evaluations)])

    indicator, owners = words.LABELS[lang]["indicator"], words.LABELS[lang]["owners"]
    turned = [e for e in evaluations if e.turned_red]
    _listing(
        ws,
        labels["turned_red"],
        [indicator, words.LABELS[lang]["change"], owners],
        [[_name(e, lang), words.change_text(e, lang), _owners(e, lang)] for e in turned],
        lang,
    )
    missing = [e for e in evaluations if e.projected_to_miss]
    _listing(
        ws,
        labels["projected"],
        [indicator, words.LABELS[lang]["projection"], words.LABELS[lang]["target"], owners],
        [
            [
                _name(e, lang),
                words.projection_text(e, lang),
                words.target_text(e.indicator, lang),
                _owners(e, lang),
            ]
            for e in missing
        ],
        lang,
    )

    ws.append([])
    ws.append([labels["brief"]])
    ws.cell(ws.max_row, 1).font = heading
    widths = [28, 30, 30, 40]
    for index, width in enumerate(widths):
        ws.column_dimensions["ABCD"[index]].width = width
    per_line = sum(widths)
    for sentence in _sentences(brief(report, evaluations, lang, plan), lang):
        ws.append([cell_text(sentence)])
        row = ws.max_row
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
        ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        # Excel does not fit a merged cell's row to its text: give the row its lines
        lines = -(-display_width(sentence) // per_line)
        ws.row_dimensions[row].height = min(18 * lines, MAX_ROW_HEIGHT)
    _print_setup(ws, words.title(report, plan, lang), lang)


def _sentences(paragraph: str, lang: Lang) -> list[str]:
    """The briefing paragraph a sentence to a row (数据待核, lights, red, yellow …), so
    that a long list of red indicators never outgrows the tallest row Excel allows."""
    end = "(?<=。)" if lang == "zh" else r"(?<=\.) +(?=[A-Z])"
    return [s for line in paragraph.splitlines() for s in re.split(end, line) if s.strip()]


def _bold_row(ws: Worksheet) -> None:
    from openpyxl.styles import Font

    for cell in ws[ws.max_row]:
        if cell.value is not None:
            cell.font = Font(bold=True)
            cell.fill = _fill(HEADER_FILL)


def _listing(
    ws: Worksheet, heading: str, header: list[str], rows: list[list[str]], lang: Lang
) -> None:
    """A headed list on the summary: its heading, and a small table or 无."""
    from openpyxl.styles import Alignment, Font

    ws.append([])
    count = f"（{len(rows)}）" if lang == "zh" else f" ({len(rows)})"
    ws.append([heading + count if rows else heading])
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=12)
    if not rows:
        ws.append([LABELS[lang]["none"]])
        return
    ws.append(header)
    _bold_row(ws)
    for row in rows:
        ws.append([cell_text(value) for value in row])
        for cell in ws[ws.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _name(e: Evaluation, lang: Lang) -> str:
    return words.indicator_name(e, lang)


def _owners(e: Evaluation, lang: Lang) -> str:
    """Every owner, in full: the sheets are where a unit looks for its name."""
    return owner_list(e.indicator.owners, lang)


# ---------------------------------------------------------------------------
# Section sheets


def sections(review: Review) -> list[tuple[str, str, list[Evaluation]]]:
    """The month's indicators by plan section, in the plan's order (二 before 三（一）
    before 三（二）, read from the section codes as the report orders them)."""
    targets = review.targets
    groups: dict[str, list[Evaluation]] = {}
    titles: dict[str, str] = {}
    for e in review.evaluations:
        code, title = targets.section_title(e.indicator.section)
        groups.setdefault(code, []).append(e)
        titles[code] = title
    return [(code, titles[code], groups[code]) for code in sorted(groups, key=plan_order)]


def _section_row(e: Evaluation, lang: Lang) -> list[Any]:
    labels = words.LABELS[lang]
    if e.done is not None:
        actual: Any = labels["done"] if e.done else labels["not_done"]
    else:
        actual = e.grade if e.grade is not None else e.actual
    status = words.status_name(e.status, lang) + (labels["confirmed"] if e.confirmed else "")
    status += words.edition_mark(e, lang)  # （已修订）/（年报）: the figure cell stays a number
    return [
        words.light_name(e.light, lang),
        _name(e, lang),
        e.indicator.unit,
        words.target_text(e.indicator, lang),
        actual,
        e.completion,
        e.time_progress,
        words.projection_text(e, lang),
        words.change_text(e, lang),
        status,
        _owners(e, lang),
    ]


def _section_sheet(
    ws: Worksheet, heading: str, evaluations: list[Evaluation], review: Review, lang: Lang
) -> None:
    header = [LABELS[lang].get(column) or words.LABELS[lang][column] for column in SECTION_COLUMNS]
    styles = {_column(name): PERCENT for name in PERCENT_COLUMNS}
    styles |= {_column(name): WRAPPED for name in ("indicator", "owners")}
    _table(ws, header, [_section_row(e, lang) for e in evaluations], styles)
    for row, e in enumerate(evaluations, start=2):
        for name in ("light", "status"):
            ws.cell(row, _column(name)).style = light_style(e.light)
    _print_setup(ws, f"{review.period}  {heading}", lang)


def _column(name: str) -> int:
    return SECTION_COLUMNS.index(name) + 1


# ---------------------------------------------------------------------------
# The data sheet


def _data_sheet(ws: Worksheet, review: Review, lang: Lang) -> None:
    from gongfu_cli.render.frames import cells, file_frame

    frame = file_frame(review.year_frame())
    columns = list(frame.columns)
    _table(ws, columns, cells(frame), {columns.index(n) + 1: PERCENT for n in PERCENT_COLUMNS})
    _print_setup(ws, LABELS[lang]["data"], lang)


# ---------------------------------------------------------------------------
# The workbook


def workbook_bytes(review: Review, lang: Lang, plan: str) -> bytes:
    """The 晾晒表 for the month under review, as the bytes of an .xlsx file."""
    from openpyxl import Workbook

    labels = LABELS[lang]
    workbook = Workbook()
    workbook.properties.creator = "gongfu"
    workbook.properties.title = safe_text(words.title(review.latest, plan, lang))[:200]
    _add_styles(workbook)
    taken = {"history"}  # a name Excel reserves for itself
    summary = workbook.active
    summary.title = sheet_name(labels["summary"], taken)
    data_name = sheet_name(labels["data"], taken)
    _summary(summary, review, lang, plan)
    for code, title, evaluations in sections(review):
        heading = section_heading(code, title, lang)
        name = sheet_name(heading if lang == "zh" else f"{code} {title}".strip(), taken)
        _section_sheet(workbook.create_sheet(name), heading, evaluations, review, lang)
    _data_sheet(workbook.create_sheet(data_name), review, lang)
    _as_text(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
