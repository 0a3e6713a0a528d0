"""Render the chase-up list (报送情况, 催报) as a table, Markdown, JSON or CSV.

Unit names come from targets.yaml and senders from file names: both are user
text, printed as text (render.plain, safe_lines, json_text, spreadsheet_safe).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gongfu_cli.judge.submissions import FileReceived, Owed, Submissions
from gongfu_cli.model.problems import Lang, Problem
from gongfu_cli.model.results import problems_dict
from gongfu_cli.model.targets import Indicator, release_period
from gongfu_cli.model.text import shorten
from gongfu_cli.render.json import json_text
from gongfu_cli.render.table import markdown_head, markdown_row, plain, plain_title, safe_lines
from gongfu_cli.render.table import spreadsheet_safe as cell

if TYPE_CHECKING:
    from rich.console import RenderableType

LABELS = {
    "zh": {
        "title": "{period} 报送情况（催报清单）（{plan}）",
        "unit": "责任单位",
        "due": "应报",
        "arrived": "已报",
        "missing": "未报",
        "missing_items": "未报送指标",
        "invalid_items": "已报但有误",
        "sent": "来文",
        "no_file": "未收到文件",
        "unassigned": "（方案未列明责任单位）",
        "files_title": "收到的文件",
        "file": "文件",
        "sender": "填报单位",
        "rows": "行数",
        "errors": "错误",
        "warnings": "警告",
        "gave": "报送指标",
        "unreadable": "无法读取",
        "no_sender": "（文件名未注明）",
        "not_in_plan": "（非方案所列单位）",
        "ignored_title": "未使用的文件",
        "none": "—",
        "count": "{n}项",
        "summary": "共 {units} 个责任单位本月有应报指标：{complete} 个已报齐，"
        "{owing} 个尚欠报，合计 {missing} 项指标未报送",
        "summary_unassigned": "；另有 {n} 项未列责任单位的指标未报送",
        "summary_complete": "。本月应报指标已全部报送。",
        "awaiting": "另有 {n} 项年度数据次年发布，待发布、不计入未报送：{names}。",
        "expected": "{name}（预计{year}年{month}月）",
        "note": "同一指标有多个责任单位时，计入每个单位；任一文件中有数值或完成情况即为已报，"
        "空白或“-”不算。数据是否正确请用 gongfu validate 检查。",
        "sep": "；",  # names may hold 、 themselves (……定制客船、沈家湾……)
    },
    "en": {
        "title": "{period} submissions (chase-up list) ({plan})",
        "unit": "Unit",
        "due": "Due",
        "arrived": "Arrived",
        "missing": "Missing",
        "missing_items": "Not yet sent",
        "invalid_items": "Sent with errors",
        "sent": "Files",
        "no_file": "no file received",
        "unassigned": "(no unit named in the plan)",
        "files_title": "Files received",
        "file": "File",
        "sender": "Sender",
        "rows": "Rows",
        "errors": "Errors",
        "warnings": "Warnings",
        "gave": "Indicators given",
        "unreadable": "unreadable",
        "no_sender": "(not named)",
        "not_in_plan": "(not a unit of the plan)",
        "ignored_title": "Files not used",
        "none": "-",
        "count": "{n}",
        "summary": "{units} units have indicators due this month: {complete} complete, "
        "{owing} owing {missing} indicators in all",
        "summary_unassigned": "; {n} indicators with no unit named in the plan not yet sent",
        "summary_complete": ". Every indicator due this month has arrived.",
        "awaiting": "{n} figures for the year are published next year, awaited and not owed: "
        "{names}.",
        "expected": "{name} (expected {year}-{month:02d})",
        "note": "An indicator with several units counts for each; a figure or a status in any "
        "file counts as sent, a blank or '-' does not. gongfu validate checks the figures.",
        "sep": "; ",  # names may hold commas themselves
    },
}
UNIT_COLUMNS = ["unit", "due", "arrived", "missing", "missing_items", "invalid_items", "sent"]
FILE_COLUMNS = ["file", "sender", "rows", "errors", "warnings", "gave"]


def _names(indicators: list[Indicator], lang: Lang, sep: str | None = None) -> str:
    names = (ind.name if lang == "zh" else ind.name_en for ind in indicators)
    return (sep or LABELS[lang]["sep"]).join(names)


def _unit_name(owed: Owed, lang: Lang) -> str:
    return LABELS[lang]["unassigned"] if owed.unit is None else owed.unit


def _unit_cells(owed: Owed, lang: Lang) -> list[str]:
    labels = LABELS[lang]
    sent = labels["sep"].join(Path(f).name for f in owed.files)
    if not sent:
        # "no file" matters only to a unit still owing: the others' rows came in other files
        sent = labels["no_file"] if owed.unit is not None and owed.missing else labels["none"]
    return [
        _unit_name(owed, lang),
        str(len(owed.due)),
        str(len(owed.arrived)),
        str(len(owed.missing)),
        _names(owed.missing, lang) or labels["none"],
        _names(owed.invalid, lang) or labels["none"],
        sent,
    ]


def sender_text(received: FileReceived, lang: Lang) -> str:
    """The plan's unit; or the name as the file gives it, marked as matching none."""
    labels = LABELS[lang]
    if received.unit is not None:
        return received.unit
    if received.sender is None:
        return labels["no_sender"]
    return shorten(received.sender) + labels["not_in_plan"]


def _file_cells(received: FileReceived, lang: Lang) -> list[str]:
    labels = LABELS[lang]
    if not received.readable:
        reason = "；".join(p.message(lang) for p in received.problems)
        return [
            Path(received.file).name,
            sender_text(received, lang),
            labels["none"],
            str(received.errors),
            str(received.warnings),
            f"{labels['unreadable']}：{reason}" if lang == "zh" else f"unreadable: {reason}",
        ]
    gave = _names(received.indicators, lang)
    count = labels["count"].format(n=len(received.indicators))
    return [
        Path(received.file).name,
        sender_text(received, lang),
        str(received.rows),
        str(received.errors),
        str(received.warnings),
        f"{count}：{gave}" if lang == "zh" and gave else (f"{count}: {gave}" if gave else count),
    ]


def _ignored_line(problem: Problem, lang: Lang) -> str:
    sep = "：" if lang == "zh" else ": "
    return f"{problem.file or '-'}{sep}{problem.message(lang)}"


def summary_text(result: Submissions, lang: Lang) -> str:
    labels = LABELS[lang]
    counts = result.summary()
    text = labels["summary"].format(**counts)
    if counts["unassigned_missing"]:
        text += labels["summary_unassigned"].format(n=counts["unassigned_missing"])
    text += labels["summary_complete"] if result.complete else ("。" if lang == "zh" else ".")
    if result.awaiting:
        text += ("" if lang == "zh" else " ") + awaiting_text(result, lang)
    return text


def awaiting_text(result: Submissions, lang: Lang) -> str:
    """December's figures published next year that have not come yet, with when."""
    labels = LABELS[lang]
    names = [
        labels["expected"].format(
            name=ind.name if lang == "zh" else ind.name_en, year=expected.year, month=expected.month
        )
        for ind in result.awaiting
        if (expected := release_period(ind, result.period.year)) is not None
    ]
    return labels["awaiting"].format(n=len(names), names=labels["sep"].join(names))


def _title(result: Submissions, plan: str, lang: Lang) -> str:
    return LABELS[lang]["title"].format(period=result.period, plan=plan)


def _rows(result: Submissions) -> list[Owed]:
    """The units, then the indicators no unit owns (when any is due)."""
    return result.units + ([result.unassigned] if result.unassigned.due else [])


# ---------------------------------------------------------------------------
# table (rich)


def submissions_table(result: Submissions, lang: Lang, plan: str) -> RenderableType:
    from rich.console import Group
    from rich.table import Table

    labels = LABELS[lang]
    units = Table(title=plain_title(_title(result, plan, lang)), title_justify="left")
    for column in UNIT_COLUMNS:
        numeric = column in ("due", "arrived", "missing")
        units.add_column(
            labels[column], justify="right" if numeric else "left", no_wrap=numeric, overflow="fold"
        )
    for owed in _rows(result):
        style = "red" if owed.missing else ("yellow" if owed.invalid else "green")
        cells = _unit_cells(owed, lang)
        units.add_row(*(plain(text, style=style if i == 3 else "") for i, text in enumerate(cells)))
    files = Table(title=plain_title(labels["files_title"]), title_justify="left")
    for column in FILE_COLUMNS:
        numeric = column in ("rows", "errors", "warnings")
        files.add_column(
            labels[column], justify="right" if numeric else "left", no_wrap=numeric, overflow="fold"
        )
    for received in result.files:
        style = "" if received.readable else "red"
        files.add_row(*(plain(text, style=style) for text in _file_cells(received, lang)))
    parts: list[Any] = [units, files]
    if result.ignored:
        parts.append(plain(labels["ignored_title"], style="table.title"))
        parts += [plain("  " + _ignored_line(p, lang), style="yellow") for p in result.ignored]
    parts += [plain(summary_text(result, lang)), plain(labels["note"], style="dim")]
    return Group(*parts)


# ---------------------------------------------------------------------------
# markdown


def submissions_markdown(result: Submissions, lang: Lang, plan: str) -> str:
    labels = LABELS[lang]
    lines = [f"### {_title(result, plan, lang)}", "", summary_text(result, lang), ""]
    lines += markdown_head([labels[c] for c in UNIT_COLUMNS])
    lines += [markdown_row(_unit_cells(owed, lang)) for owed in _rows(result)]
    lines += ["", f"#### {labels['files_title']}", ""]
    lines += markdown_head([labels[c] for c in FILE_COLUMNS])
    lines += [markdown_row(_file_cells(received, lang)) for received in result.files]
    if result.ignored:
        lines += ["", f"#### {labels['ignored_title']}", ""]
        lines += [f"- {_ignored_line(p, lang)}" for p in result.ignored]
    lines += ["", labels["note"], ""]
    return safe_lines(lines)


# ---------------------------------------------------------------------------
# json


def _items(indicators: list[Indicator], lang: Lang) -> list[dict[str, str]]:
    return [{"id": ind.id, "name": ind.name if lang == "zh" else ind.name_en} for ind in indicators]


def owed_dict(owed: Owed, lang: Lang) -> dict[str, Any]:
    return {
        "unit": owed.unit,
        "due": len(owed.due),
        "arrived": len(owed.arrived),
        "missing": _items(owed.missing, lang),
        "invalid": _items(owed.invalid, lang),
        "complete": owed.complete,
        "files": owed.files,
    }


def file_dict(received: FileReceived, lang: Lang) -> dict[str, Any]:
    return {
        "file": received.file,
        "sender": received.sender,
        "unit": received.unit,
        "readable": received.readable,
        "encoding": received.encoding,
        "rows": received.rows if received.readable else None,
        "errors": received.errors,
        "warnings": received.warnings,
        "indicators": [ind.id for ind in received.indicators],
    }


def submissions_json(result: Submissions, lang: Lang) -> str:
    document: dict[str, Any] = {
        "period": str(result.period),
        "units": [owed_dict(owed, lang) for owed in result.units],
        "unassigned": owed_dict(result.unassigned, lang),
        "files": [file_dict(received, lang) for received in result.files],
        "ignored": [
            {"file": p.file, "code": p.code, "reason": p.message(lang)} for p in result.ignored
        ],
        "summary": {**result.summary(), "all_arrived": result.complete},
        "awaiting": [
            {**item, "release": str(release_period(ind, result.period.year))}
            for ind, item in zip(result.awaiting, _items(result.awaiting, lang), strict=True)
        ],
        **problems_dict(result.problems),
    }
    return json_text(document)


def failed_json(problems: list[Problem], lang: Lang) -> str:
    """The same shape when the command cannot run, for scripts: empty, with the errors."""
    document: dict[str, Any] = {
        "period": None,
        "units": [],
        "unassigned": None,
        "files": [],
        "ignored": [],
        "summary": {},
        "awaiting": [],
        **problems_dict(problems),
    }
    return json_text(document)


# ---------------------------------------------------------------------------
# csv

CSV_COLUMNS = [
    "unit",
    "due",
    "arrived",
    "missing",
    "missing_ids",
    "missing_names",
    "invalid_ids",
    "files",
]


def submissions_csv(result: Submissions, lang: Lang) -> str:
    """One row per unit with something due (the plan's name; empty for indicators
    no unit owns): ids joined with 、, names and files with ；, since a name may hold 、."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for owed in _rows(result):
        writer.writerow(
            [
                cell(owed.unit or ""),
                len(owed.due),
                len(owed.arrived),
                len(owed.missing),
                "、".join(ind.id for ind in owed.missing),
                cell(_names(owed.missing, lang, "；")),
                "、".join(ind.id for ind in owed.invalid),
                cell("；".join(Path(f).name for f in owed.files)),
            ]
        )
    return buffer.getvalue()
