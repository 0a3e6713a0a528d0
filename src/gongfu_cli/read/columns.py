"""gongfu's columns: which header titles mean which figure, and what a header row is.

A leaf of the reader, shared by the CSV reader (tables) and the Excel reader
(workbook), so that neither imports the other for it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from gongfu_cli.model.problems import Problem
from gongfu_cli.model.readings import Reading
from gongfu_cli.model.targets import normalise

# ---------------------------------------------------------------------------
# Columns

# No indicator name or number is longer than this; longer cells are rejected
# before any normalising, so a 50 MB cell costs nothing but its read.
MAX_CELL = 200

# Canonical column → accepted header spellings (compared after normalise()).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator": (
        "indicator",
        "指标",
        "指标名称",
        "指标id",
        "id",
        "指标编号",
        "指标代码",
        "indicator_id",
    ),
    # 本月数值 is the template's: for totals it holds the year to date (its 填报口径
    # says 1-M月累计), as 数值 does in any file without a ytd column.
    "value": ("value", "数值", "本月数值", "本期值", "完成值", "实际值"),
    # Statistics tables often give both the year to date (累计) and the month's
    # own figure (本月/当月); actuals decides which one each indicator is judged on.
    "ytd": (
        "ytd",
        "累计值",
        "累计",
        "累计数",
        "本年累计",
        "本年累计值",
        "本年累计数",
        "年累计",
        "累计完成",
        "累计完成值",
    ),
    "month": (
        "month_value",
        "本月",
        "本月值",
        "本月数",
        "当月",
        "当月值",
        "当月数",
        "本月完成",
        "当月完成",
    ),
    "unit": ("unit", "单位", "计量单位"),
    "note": ("note", "备注", "说明"),
    "period": ("period", "期间", "报告期", "月份"),
    # The submitting unit (填报单位), when a file gives it per row rather than in
    # the block above its header.
    "sender": ("sender", "填报单位", "报送单位", "unit_name", "reporter"),
    # Columns for people, the template's among them: known, so never extra-column,
    # and never read as a figure (上月累计 is last month's, 年度目标 the target).
    "name": ("name", "名称"),
    "seq": ("序号", "no", "no."),
    "target": ("年度目标", "全年目标", "目标值", "target"),
    "previous": ("上月累计", "上月累计值", "上月累计数", "previous"),
    "basis": ("填报口径", "口径", "填报要求", "填报说明"),
    "contact": ("填报人", "填表人", "联系人", "联系电话", "电话"),
}
# Columns that are read past; a file may have any number of each.
UNREAD_COLUMNS = frozenset({"name", "seq", "target", "previous", "basis", "contact"})
# Titles that say the indicator column holds ids: read in preference to a name
# column beside it (the template keeps the id right-most, for the reader).
ID_TITLES = frozenset({"指标id", "id", "指标编号", "指标代码", "indicator_id"})
# 1-6月累计, 1～6月累计, 1至6月累计值: the year to date, spelled with the month.
_YTD_HEADER = re.compile(r"^1\s*[-~～至到—–]\s*(?:[1-9]|1[0-2])\s*月\s*(?:累计)?(?:值|完成|数)?$")
REQUIRED_COLUMNS = ("indicator", "value")
# A figure may stand in any of these; a file needs at least one of them.
FIGURE_COLUMNS = ("value", "ytd", "month")
_HEADER_TO_COLUMN = {alias: col for col, aliases in COLUMN_ALIASES.items() for alias in aliases}
COLUMN_LABEL = {
    "indicator": "指标 / indicator",
    "value": "数值 / value",
    "ytd": "累计值 / ytd",
    "month": "本月值 / month",
    "unit": "单位 / unit",
}


def figure_problem(code: str, reading: Reading, params: dict[str, Any]) -> Problem:
    """A problem with a row's figure, placed at its cell: the row's file and line, the
    value column, and the row's indicator."""
    return Problem(
        code,
        file=reading.file or None,
        line=reading.line,
        column=COLUMN_LABEL["value"],
        indicator=reading.indicator,
        params=params,
    )


def column_of(title: str) -> str | None:
    """A header title → gongfu's column name, or None if it is not one of ours."""
    return _column_of(title[:MAX_CELL])  # title_key reads no further


# Finding the header asks this of every cell of a file's first rows, under each
# delimiter, and the same titles and names come in every file: remembered.
@lru_cache(maxsize=4096)
def _column_of(title: str) -> str | None:
    key = title_key(title)
    return _HEADER_TO_COLUMN.get(key) or ("ytd" if _YTD_HEADER.match(key) else None)


def title_key(title: str) -> str:
    # Titles padded to line up in Excel (`指  标`, ` 数值 `) match too.
    return "".join(normalise(title[:MAX_CELL]).lstrip("\ufeff").split())


def is_header(row: list[str]) -> bool:
    """Whether a row reads as gongfu's header: an indicator column and a figure column."""
    names = {column_of(cell) for cell in row}
    return "indicator" in names and bool(names & set(FIGURE_COLUMNS))


# ---------------------------------------------------------------------------
# Raw tables: bytes → header and rows with their line numbers
