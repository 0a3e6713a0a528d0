"""Stage 4 of the pipeline: turn a Report into a table, Markdown, text, JSON or CSV.

Renderers are pure: they return a rich renderable or a string, and only the CLI
prints. Every label exists in Chinese (the default) and English.
"""

from __future__ import annotations

import csv
import io
import re
from typing import TYPE_CHECKING

from gongfu_cli.model.problems import SEVERITY_ZH, Lang, Problem, number
from gongfu_cli.model.results import (
    LIGHT_NAMES_ZH,
    STATUS_NAMES_ZH,
    Evaluation,
    Light,
    Report,
    Status,
    value_change,
)
from gongfu_cli.model.targets import COMPARE, Indicator, Kind
from gongfu_cli.model.text import safe_text
from gongfu_cli.render.words import owner_list

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

    from gongfu_cli.model.results import ValidationReport

STATUS_NAMES_EN = {
    Status.met: "met",
    Status.on_track: "on track",
    Status.at_risk: "at risk",
    Status.off_track: "off track",
    Status.pending: "pending",
    Status.no_data: "no data",
    Status.not_due: "not due",
    Status.no_target: "no target",
    Status.invalid: "invalid",
    Status.suspect: "suspect",
}
LIGHT_STYLE = {Light.green: "green", Light.yellow: "yellow", Light.red: "red", Light.grey: "dim"}

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "light": "亮灯",
        "indicator": "指标",
        "actual": "本期值",
        "target": "年度目标",
        "progress": "完成率 / 序时进度",
        "projection": "预计全年",
        "change": "较上月",
        "status": "状态",
        "owners": "责任单位",
        "done": "已完成",
        "not_done": "未完成",
        "none": "—",
        "confirmed": "（已核实）",
        "no_baseline": "巩固提升（未设基线）",
        "milestone_due": "{month}月底前完成",
        "title": "{period} 指标晾晒（{plan}）",
        "summary": "共 {total} 项：绿灯 {green} · 黄灯 {yellow} · 红灯 {red} · 其他 {grey}",
        "miss": "难完成",
        "turned_red": "较上月（{previous}）新亮红灯：{names}",
        "projected_to_miss": "按目前进度预计全年难以完成：{names}",
    },
    "en": {
        "light": "Light",
        "indicator": "Indicator",
        "actual": "Actual",
        "target": "Annual target",
        "progress": "Completion / time",
        "projection": "Year-end projection",
        "change": "Since last month",
        "status": "Status",
        "owners": "Owners",
        "done": "done",
        "not_done": "not done",
        "none": "-",
        "confirmed": " (confirmed)",
        "no_baseline": "maintain (no baseline set)",
        "milestone_due": "done by month {month}",
        "title": "{period} progress review ({plan})",
        "summary": "{total} indicators: {green} green · {yellow} yellow · {red} red · {grey} other",
        "miss": "miss",
        "turned_red": "Turned red since {previous}: {names}",
        "projected_to_miss": "Projected to miss the year at the pace so far: {names}",
    },
}

# ---------------------------------------------------------------------------
# Text from targets.yaml and data files, made safe to print


def safe_lines(lines: list[str]) -> str:
    """Lines of a text output joined, each made safe: no user text can start a new line,
    and no line can pass for a GitHub workflow command (``::error …``), which a CI
    runner reads from any line a step prints."""
    return "\n".join(_not_a_command(safe_text(line)) for line in lines)


def _not_a_command(line: str) -> str:
    stripped = line.lstrip()
    if not stripped.startswith("::"):
        return line
    return line[: len(line) - len(stripped)] + "：" + stripped[1:]


def plain(text: str, style: str = "") -> Text:
    """A rich cell or title that is printed as text: never read as [markup] or :emoji:."""
    from rich.text import Text

    return Text(safe_text(text), style=style)


def plain_title(text: str) -> Text:
    """A table title as plain text, in rich's title style (which it gives only to a str)."""
    return plain(text, style="table.title")


def status_name(status: Status, lang: Lang) -> str:
    return STATUS_NAMES_ZH[status] if lang == "zh" else STATUS_NAMES_EN[status]


def light_name(light: Light, lang: Lang) -> str:
    return LIGHT_NAMES_ZH[light] if lang == "zh" else light.value


def percent(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f}%"


def with_unit(value: float | None, unit: str) -> str:
    """95% sticks to its number; 180 亿元 takes a space."""
    if unit in ("", "%"):
        return number(value) + unit
    return f"{number(value)} {unit}"


def actual_text(e: Evaluation, lang: Lang) -> str:
    labels = LABELS[lang]
    if e.done is not None:
        return labels["done"] if e.done else labels["not_done"]
    if e.grade is not None:
        return e.grade
    if e.actual is None:
        return labels["none"]
    text = with_unit(e.actual, e.indicator.unit)
    return text + labels["confirmed"] if e.confirmed else text


def target_text(ind: Indicator, lang: Lang) -> str:
    """The annual target as a phrase: ≥ 160 亿元, > 89% 或 A等, 12月底前完成."""
    labels = LABELS[lang]
    if ind.kind == Kind.milestone:
        return labels["milestone_due"].format(month=ind.due_month)
    if ind.op == "maintain":
        if ind.baseline is None:
            return labels["no_baseline"]
        return "≥ " + with_unit(ind.baseline, ind.unit)
    text = f"{COMPARE[ind.op].sign} {with_unit(ind.target, ind.unit)}"
    for grade in ind.also_met_by:
        text += f" 或 {grade}等" if lang == "zh" else f" or grade {grade}"
    return text


def progress_text(e: Evaluation) -> str:
    if e.completion is None:
        return ""
    if e.time_progress is None:
        return percent(e.completion)
    return f"{percent(e.completion)} / {percent(e.time_progress)}"


def projection_text(e: Evaluation, lang: Lang) -> str:
    """预计全年 as the table shows it: '132 亿元 难完成' when it falls short."""
    if e.projection is None:
        return ""
    text = with_unit(round(e.projection, 2), e.indicator.unit)
    return f"{text} {LABELS[lang]['miss']}" if e.projected_to_miss else text


def signed(value: float) -> str:
    return ("+" if value > 0 else "") + number(round(value, 4))


def change_text(e: Evaluation, lang: Lang) -> str:
    """较上月: the light then → now, and how the figure moved ('黄→红 +8.2')."""
    change = value_change(e)
    if e.previous is None or (e.light == e.previous.light == Light.grey and not change):
        return ""  # nothing was or is judged, and nothing moved
    text = f"{light_name(e.previous.light, lang)}→{light_name(e.light, lang)}"
    return text if change is None else f"{text} {signed(change)}"


def names_list(evaluations: list[Evaluation], lang: Lang) -> str:
    return ("、" if lang == "zh" else ", ").join(indicator_name(e, lang) for e in evaluations)


def history_lines(report: Report, evaluations: list[Evaluation], lang: Lang) -> list[str]:
    """The lines under the table: newly red since last month, projected to miss."""
    labels, lines = LABELS[lang], []
    turned_red = [e for e in evaluations if e.turned_red]
    if turned_red:
        names = ("、" if lang == "zh" else ", ").join(
            f"{indicator_name(e, lang)}（{change_text(e, lang)}）"
            if lang == "zh"
            else f"{indicator_name(e, lang)} ({change_text(e, lang)})"
            for e in turned_red
        )
        lines.append(labels["turned_red"].format(previous=report.previous_period, names=names))
    missing_year = [e for e in evaluations if e.projected_to_miss]
    if missing_year:
        lines.append(labels["projected_to_miss"].format(names=names_list(missing_year, lang)))
    return lines


def owners_text(e: Evaluation, lang: Lang, limit: int | None = None) -> str:
    return owner_list(e.indicator.owners, lang, limit)


def indicator_name(e: Evaluation, lang: Lang) -> str:
    return e.indicator.name if lang == "zh" else e.indicator.name_en


def summary_line(evaluations: list[Evaluation], lang: Lang) -> str:
    lights = {light: sum(e.light == light for e in evaluations) for light in Light}
    return LABELS[lang]["summary"].format(
        total=len(evaluations), **{light.value: n for light, n in lights.items()}
    )


def title(report: Report, plan: str, lang: Lang) -> str:
    return LABELS[lang]["title"].format(period=report.period, plan=plan)


# ---------------------------------------------------------------------------
# table (rich)


def render_table(
    report: Report, evaluations: list[Evaluation], lang: Lang, plan: str
) -> RenderableType:
    from rich.console import Group
    from rich.table import Table

    labels = LABELS[lang]
    table = Table(
        title=plain_title(title(report, plan, lang)), title_justify="left", show_lines=False
    )
    table.add_column(labels["light"], no_wrap=True)
    table.add_column(labels["indicator"], overflow="fold")
    table.add_column(labels["actual"], justify="right")
    table.add_column(labels["target"], justify="right")
    table.add_column(labels["progress"], justify="right", no_wrap=True)
    table.add_column(labels["projection"], justify="right", no_wrap=True)
    table.add_column(labels["change"], no_wrap=True)
    table.add_column(labels["status"], no_wrap=True)
    table.add_column(labels["owners"], overflow="fold")
    for e in evaluations:
        style = LIGHT_STYLE[e.light]
        table.add_row(
            plain("● " + light_name(e.light, lang), style=style),
            plain(indicator_name(e, lang)),
            plain(actual_text(e, lang)),
            plain(target_text(e.indicator, lang)),
            plain(progress_text(e)),
            plain(projection_text(e, lang), style="red" if e.projected_to_miss else ""),
            plain(change_text(e, lang)),
            plain(status_name(e.status, lang), style=style),
            plain(owners_text(e, lang, limit=2) or labels["none"]),
        )
    notes = [summary_line(evaluations, lang), *history_lines(report, evaluations, lang)]
    return Group(table, *(plain(line) for line in notes))


# ---------------------------------------------------------------------------
# markdown


def markdown_head(header: list[str]) -> list[str]:
    """A Markdown table's header row and the separator under it."""
    return [markdown_row(header), "|" + "---|" * len(header)]


def markdown_row(cells: list[str]) -> str:
    """A Markdown table row; a | inside a cell is escaped so it cannot open a column."""
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def render_markdown(report: Report, evaluations: list[Evaluation], lang: Lang, plan: str) -> str:
    labels = LABELS[lang]
    columns = [
        "light",
        "indicator",
        "actual",
        "target",
        "progress",
        "projection",
        "change",
        "status",
        "owners",
    ]
    lines = [
        f"### {title(report, plan, lang)}",
        "",
        "| " + " | ".join(labels[c] for c in columns) + " |",
        "|" + "---|" * len(columns),
    ]
    for e in evaluations:
        cells = [
            light_name(e.light, lang),
            indicator_name(e, lang),
            actual_text(e, lang),
            target_text(e.indicator, lang),
            progress_text(e),
            projection_text(e, lang),
            change_text(e, lang),
            status_name(e.status, lang),
            owners_text(e, lang) or labels["none"],
        ]
        lines.append(markdown_row(cells))
    lines += ["", summary_line(evaluations, lang), *history_lines(report, evaluations, lang), ""]
    return safe_lines(lines)


# ---------------------------------------------------------------------------
# json and csv: for machines


CSV_COLUMNS = [
    "id",
    "name",
    "unit",
    "op",
    "target",
    "actual",
    "completion",
    "time_progress",
    "projection",
    "projected_to_miss",
    "status",
    "light",
    "previous_period",
    "previous_status",
    "previous_light",
    "previous_actual",
    "change",
    "turned_red",
    "owners",
    "confirmed",
]


def spreadsheet_safe(value: object) -> object:
    """A CSV cell: text a spreadsheet would run as a formula (=, +, -, @) gets a quote
    before it, and control characters are shown escaped (a line break in a cell would
    start a new line on a terminal or in a CI log)."""
    if not isinstance(value, str):
        return value
    value = safe_text(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def render_csv(report: Report, evaluations: list[Evaluation], lang: Lang) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in evaluations:
        row = e.to_dict()
        row["name"] = indicator_name(e, lang)
        row["owners"] = "、".join(row["owners"])
        for column in ("actual", "previous_actual", "projected_to_miss", "turned_red", "confirmed"):
            if isinstance(row[column], bool):  # true/false, as in the JSON
                row[column] = str(row[column]).lower()
        writer.writerow([spreadsheet_safe(row[c]) for c in CSV_COLUMNS])
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# gongfu validate: text, json, github

# The text format lists at most this many problems per file; json has them all.
TEXT_PROBLEM_CAP = 50


def problem_text(problem: Problem, lang: Lang, heading: str | None = None) -> str:
    """A problem as a sentence with its place, on one line, safe to print:
    ``2025-06.csv 第5行「数值」列：错误 [code] message — what to do`` (English:
    ``2025-06.csv line 5, column 'value': error [code] …``). Under a heading that
    names the file already (`heading`), the file is left out. The compiler-style
    ``file:line:column`` is for machines: --format github and json."""
    severity = SEVERITY_ZH[problem.severity] if lang == "zh" else problem.severity
    place = problem_place(problem, lang, with_file=problem.file != heading)
    colon = "：" if lang == "zh" else ": "
    return safe_text(
        (f"{place}{colon}" if place else "")
        + f"{severity} [{problem.code}] {problem.message(lang)} — {problem.fix(lang)}"
    )


# A cell reference (C5): a workbook problem outside gongfu's own columns.
_CELL_REFERENCE = re.compile(r"[A-Z]{1,3}[0-9]+")
# How the reader names a column that has figures but no title.
_UNTITLED_COLUMN = re.compile(r"第([0-9]+)列（无表头）")


def problem_place(problem: Problem, lang: Lang, with_file: bool = True) -> str:
    """Where a problem is, in words: ``2025-06.csv 第5行「数值」列``,
    ``targets.yaml 第3行第9列``, ``2025-06.xlsx 单元格 D7`` (English: ``line 5,
    column 'value'``, ``line 3, column 9``, ``cell D7``)."""
    column = problem.column or ""
    cell = _CELL_REFERENCE.fullmatch(column) is not None
    parts = []
    if problem.line is not None and not cell:  # a cell reference names its row
        parts.append(f"第{problem.line}行" if lang == "zh" else f"line {problem.line}")
    if column:
        parts.append(_column_words(problem.code, column, cell, lang))
    place = "".join(parts) if lang == "zh" else ", ".join(parts)
    file = problem.file if with_file else None
    return " ".join(part for part in (file, place) if part)


def _column_words(code: str, column: str, cell: bool, lang: Lang) -> str:
    zh = lang == "zh"
    if column.isdigit():  # a character position (a targets file's line)
        return f"第{column}列" if zh else f"column {column}"
    if cell:
        return f"单元格 {column}" if zh else f"cell {column}"
    if code.startswith("targets-"):  # a targets file's field: indicators[0].kind
        return f"「{column}」字段" if zh else f"field '{column}'"
    untitled = _UNTITLED_COLUMN.fullmatch(column)
    if untitled:  # a column with figures but no title
        return column if zh else f"column {untitled[1]} (untitled)"
    # gongfu's own columns are labelled in both languages ("数值 / value");
    # a column the user titled is named as titled
    chinese, _, english = column.partition(" / ")
    name = (chinese if zh else english) or column
    return f"「{name}」列" if zh else f"column '{name}'"


def more_problems_text(hidden: int, lang: Lang) -> str:
    """The line that stands for problems a text listing leaves out."""
    if lang == "zh":
        return f"……另有 {hidden} 个问题未列出（--format json 可查看全部）"
    return f"... and {hidden} more problems (--format json lists them all)"


def validation_summary(report: ValidationReport, lang: Lang) -> str:
    files, errors, warnings = len(report.files), len(report.errors), len(report.warnings)
    if lang == "zh":
        verdict = "通过" if report.valid else "未通过"
        return f"{verdict}：{files} 个文件，{errors} 个错误，{warnings} 个警告"
    verdict = "valid" if report.valid else "invalid"

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return (
        f"{verdict}: {plural(files, 'file')}, {plural(errors, 'error')}, "
        f"{plural(warnings, 'warning')}"
    )


def listed(problems: list[Problem], limit: int | None) -> tuple[list[Problem], int]:
    """The problems a text listing shows, and how many it leaves out. Past `limit`, a
    too-many-problems summary is still shown: it says how many rows are wrong."""
    if limit is None or len(problems) <= limit:
        return problems, 0
    shown = problems[:limit]
    shown += [p for p in problems[limit:] if p.code == "too-many-problems"]
    return shown, len(problems) - len(shown)


def render_validation_text(report: ValidationReport, lang: Lang) -> str:
    lines: list[str] = []
    for result in report.files:
        if not result.problems:
            continue
        lines.append(safe_text(result.file))
        shown, hidden = listed(result.problems, TEXT_PROBLEM_CAP)
        for problem in shown:
            lines.append("  " + problem_text(problem, lang, heading=result.file))
        if hidden > 0:
            lines.append("  " + more_problems_text(hidden, lang))
    lines.append(validation_summary(report, lang))
    return safe_lines(lines) + "\n"


def _gh_escape(text: str, property_value: bool = False) -> str:
    """GitHub's workflow-command escaping (actions/toolkit escapeData, escapeProperty):
    %, CR and LF always, also : and , in properties. Other control characters are
    shown escaped first, like everywhere else, so a log shows no raw ESC either."""
    text = safe_text(text)
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_validation_github(report: ValidationReport, lang: Lang) -> str:
    """One ``::error``/``::warning`` workflow command per problem, for PR annotations."""
    lines = []
    for problem in report.problems:
        level = "error" if problem.severity == "error" or report.strict else "warning"
        props = [f"file={_gh_escape(problem.file or '', True)}"]
        if problem.line is not None:
            props.append(f"line={problem.line}")
        props.append(f"title={_gh_escape(problem.code, True)}")
        where = f"[{problem.column}] " if problem.column else ""
        message = f"{where}{problem.message(lang)} — {problem.fix(lang)}"
        lines.append(f"::{level} {','.join(props)}::{_gh_escape(message)}")
    lines.append(validation_summary(report, lang))
    return "\n".join(lines) + "\n"
