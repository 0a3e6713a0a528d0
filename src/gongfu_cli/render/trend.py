"""`gongfu trend`: the year month by month, as a table, Markdown, JSON or CSV.

Without --indicator: one row per indicator with any figure this year, one
column per month (light, then completion/序时进度 in percent for paced
indicators or the figure for the others), and a sparkline of completion. With
--indicator: one row per month for that indicator.
"""

from __future__ import annotations

import csv
import io
import math
import sys
from typing import TYPE_CHECKING, Any

from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import Lang
from gongfu_cli.model.readings import Edition
from gongfu_cli.model.results import Evaluation, Light, Status, Year, problems_dict
from gongfu_cli.model.targets import Indicator, Kind
from gongfu_cli.render.json import json_text
from gongfu_cli.render.table import (
    LIGHT_STYLE,
    actual_text,
    change_text,
    edition_mark,
    indicator_name,
    light_name,
    markdown_head,
    markdown_row,
    percent,
    plain,
    plain_title,
    projection_text,
    safe_lines,
    spreadsheet_safe,
    status_name,
    target_text,
)

if TYPE_CHECKING:
    from rich.console import RenderableType

LABELS = {
    "zh": {
        "title": "{first}至{last} 指标走势（{plan}）",
        "indicator": "指标",
        "trend": "完成率走势",
        "legend": "各月：亮灯 完成率/序时进度(%)；非序时类指标为本期值。{marks}{hidden}",
        "marks": "（修）为已修订数，（年报）为年报数。",
        "revised": "（修）",
        "final": "（年报）",
        "hidden": "另有{n}项全年尚无数据，未列出。",
        "month": "月份",
        "actual": "本期值",
        "completion": "完成率",
        "time_progress": "序时进度",
        "gap": "落后序时(百分点)",
        "projection": "预计全年",
        "change": "较上期",
        "light": "亮灯",
        "status": "状态",
    },
    "en": {
        "title": "{first} to {last} trend ({plan})",
        "indicator": "Indicator",
        "trend": "Completion trend",
        "legend": "Each month: light, completion/time progress (%); others: the figure. "
        "{marks}{hidden}",
        "marks": "(rev): revised; (final): the year's final figure. ",
        "revised": " (rev)",
        "final": " (final)",
        "hidden": "{n} indicators with no figure this year are not listed.",
        "month": "Month",
        "actual": "Actual",
        "completion": "Completion",
        "time_progress": "Time progress",
        "gap": "Points behind",
        "projection": "Projection",
        "change": "Since last",
        "light": "Light",
        "status": "Status",
    },
}

SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(
    values: list[float | None], low: float | None = None, high: float | None = None
) -> str:
    """▁▃▅█ for a series; a blank for a month with no figure.

    Completion of paced indicators is drawn on 0..100% (more if exceeded), so
    bars compare across indicators; other figures (rates, levels) on their own
    min..max, so that a slide of a few tenths is visible.
    """
    values = [_drawable(v) for v in values]
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low = min(known) if low is None else min(low, *known)
    high = max(known) if high is None else max(high, *known)
    top = len(SPARKS) - 1
    # In halves: exact in binary, and the span of ±1e308 cannot overflow to infinity.
    span = high / 2 - low / 2
    return "".join(
        " " if v is None else SPARKS[round((v / 2 - low / 2) / span * top) if span else top]
        for v in values
    )


def _drawable(value: float | None) -> float | None:
    """A value the sparkline can place: NaN is no figure, an infinity the largest float."""
    if value is None or math.isnan(value):
        return None
    return max(-sys.float_info.max, min(value, sys.float_info.max))


def trend_values(months: list[Evaluation]) -> tuple[list[float | None], float | None, float | None]:
    """What the sparkline draws for an indicator, and on what scale."""
    if months[0].indicator.kind == Kind.milestone:
        return [None if e.done is None else float(e.done) for e in months], 0.0, 1.0
    if months[0].indicator.paced:
        return [e.completion for e in months], 0.0, 1.0
    # a doubtful figure (0.918 for 91.8%) is not drawn: it would show a fall that is not there
    return [None if e.status == Status.suspect else e.actual for e in months], None, None


def month_cell(e: Evaluation, lang: Lang) -> str:
    """'41/50' (completion/序时进度, %) for paced indicators; else the figure.

    A month that owed a figure and lacks one says so (未报送, 数据有误), as does a
    doubtful figure (数据存疑); a month that owed none is blank.
    """
    if e.status in (Status.no_data, Status.invalid, Status.suspect, Status.awaiting):
        return status_name(e.status, lang)
    if e.light == Light.grey and e.actual is None and e.done is None and e.grade is None:
        return ""
    if e.completion is not None and e.time_progress is not None:
        return f"{e.completion * 100:.0f}/{e.time_progress * 100:.0f}" + _mark(e, lang)
    return actual_text(e, lang, marked=False) + _mark(e, lang)


def _mark(e: Evaluation, lang: Lang) -> str:
    """A month cell's short mark: （修） for a revised figure, （年报） for a final one."""
    if e.revised:
        return LABELS[lang]["revised"]
    return LABELS[lang]["final"] if e.edition == Edition.final else ""


def _legend(year: Year, hidden: int, lang: Lang) -> str:
    labels = LABELS[lang]
    marked = any(_mark(e, lang) for report in year.reports for e in report.evaluations)
    return labels["legend"].format(
        marks=labels["marks"] if marked else "",
        hidden=labels["hidden"].format(n=hidden) if hidden else "",
    )


def has_figures(months: list[Evaluation]) -> bool:
    return any(e.reading is not None and e.reading.reported for e in months)


def _shown(year: Year) -> tuple[list[list[Evaluation]], int]:
    series = list(year.series().values())
    shown = [months for months in series if has_figures(months)]
    return shown, len(series) - len(shown)


def _title(year: Year, plan: str, lang: Lang) -> str:
    return LABELS[lang]["title"].format(first=year.periods[0], last=year.periods[-1], plan=plan)


def _month_label(period: Period, lang: Lang) -> str:
    return f"{period.month}月" if lang == "zh" else f"{period.month:02d}"


def trend_table(year: Year, lang: Lang, plan: str) -> RenderableType:
    from rich.console import Group
    from rich.table import Table

    labels = LABELS[lang]
    shown, hidden = _shown(year)
    table = Table(title=plain_title(_title(year, plan, lang)), title_justify="left")
    table.add_column(labels["indicator"], overflow="fold", min_width=10)
    for period in year.periods:
        table.add_column(_month_label(period, lang), justify="right", no_wrap=True)
    table.add_column(labels["trend"], no_wrap=True)
    for months in shown:
        cells: list[Any] = [plain(indicator_name(months[0], lang))]
        for e in months:
            cell = month_cell(e, lang)
            cells.append(plain(f"● {cell}" if cell else "", style=LIGHT_STYLE[e.light]))
        cells.append(plain(sparkline(*trend_values(months))))
        table.add_row(*cells)
    return Group(table, plain(_legend(year, hidden, lang)))


def trend_markdown(year: Year, lang: Lang, plan: str) -> str:
    labels = LABELS[lang]
    shown, hidden = _shown(year)
    header = [labels["indicator"], *(_month_label(p, lang) for p in year.periods), labels["trend"]]
    lines = [f"### {_title(year, plan, lang)}", "", *markdown_head(header)]
    for months in shown:
        cells = [indicator_name(months[0], lang)]
        for e in months:
            cell = month_cell(e, lang)
            cells.append(f"{light_name(e.light, lang)} {cell}" if cell else "")
        cells.append(sparkline(*trend_values(months)))
        lines.append(markdown_row(cells))
    return safe_lines([*lines, "", _legend(year, hidden, lang), ""])


# ---------------------------------------------------------------------------
# one indicator, month by month

DETAIL_COLUMNS = [
    "month",
    "actual",
    "completion",
    "time_progress",
    "gap",
    "projection",
    "change",
    "light",
    "status",
]


def _detail_cells(e: Evaluation, lang: Lang) -> list[str]:
    return [
        str(e.period),
        actual_text(e, lang, marked=False) + edition_mark(e, lang, with_earlier=True),
        percent(e.completion),
        percent(e.time_progress),
        "" if e.gap_points is None else f"{e.gap_points:.1f}",
        projection_text(e, lang),
        change_text(e, lang),
        light_name(e.light, lang),
        status_name(e.status, lang),
    ]


def indicator_table(year: Year, ind: Indicator, lang: Lang) -> RenderableType:
    from rich.console import Group
    from rich.table import Table

    labels = LABELS[lang]
    months = year.series()[ind.id]
    name = ind.name if lang == "zh" else ind.name_en
    table = Table(title=plain_title(f"{name}（{target_text(ind, lang)}）"), title_justify="left")
    for column in DETAIL_COLUMNS:
        table.add_column(labels[column], justify="left" if column == "month" else "right")
    for e in months:
        cells = _detail_cells(e, lang)
        table.add_row(
            *(plain(c) for c in cells[:-2]),
            *(plain(c, style=LIGHT_STYLE[e.light]) for c in cells[-2:]),
        )
    return Group(table, plain(sparkline(*trend_values(months))))


def indicator_markdown(year: Year, ind: Indicator, lang: Lang) -> str:
    labels = LABELS[lang]
    name = ind.name if lang == "zh" else ind.name_en
    lines = [f"### {name}（{target_text(ind, lang)}）", ""]
    lines += markdown_head([labels[c] for c in DETAIL_COLUMNS])
    for e in year.series()[ind.id]:
        lines.append(markdown_row(_detail_cells(e, lang)))
    return safe_lines([*lines, ""])


# ---------------------------------------------------------------------------
# json and csv: every month of every indicator


def month_dict(e: Evaluation) -> dict[str, Any]:
    full = e.to_dict()
    keys = ("actual", "completion", "time_progress", "gap_points", "projection")
    return {
        "period": str(e.period),
        **{k: full[k] for k in keys},
        "projected_to_miss": e.projected_to_miss,
        "status": e.status.value,
        "light": e.light.value,
        "edition": full["edition"],
        "revised_from": full["revised_from"],
    }


def trend_json(year: Year, lang: Lang, only: Indicator | None = None) -> str:
    series = year.series()
    chosen = [series[only.id]] if only else _shown(year)[0]
    document = {
        "periods": [str(p) for p in year.periods],
        "indicators": [
            {
                "id": months[0].indicator.id,
                "name": indicator_name(months[0], lang),
                "unit": months[0].indicator.unit,
                "sparkline": sparkline(*trend_values(months)),
                "months": [month_dict(e) for e in months],
            }
            for months in chosen
        ],
        **problems_dict(year.latest.problems),
    }
    return json_text(document)


def trend_csv(year: Year, lang: Lang, only: Indicator | None = None) -> str:
    """Long form, one row per indicator and month: what a pivot table wants."""
    series = year.series()
    chosen = [series[only.id]] if only else _shown(year)[0]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = ["id", "name", "period", "actual", "completion", "time_progress", "projection"]
    columns += ["edition", "revised_from", "status", "light"]
    writer.writerow(columns)
    for months in chosen:
        for e in months:
            row = month_dict(e)
            for column in ("actual", "revised_from"):
                if isinstance(row[column], bool):
                    row[column] = str(row[column]).lower()
            cells = [e.indicator.id, indicator_name(e, lang)] + [row[c] for c in columns[2:]]
            writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return buffer.getvalue()
