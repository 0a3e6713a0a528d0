"""Render the owners' scoreboard (赛马晾晒) as a table, Markdown, text, JSON or CSV."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from gongfu_cli.judge.scoreboard import OwnerScore
from gongfu_cli.model.owners import UNASSIGNED
from gongfu_cli.model.problems import Lang
from gongfu_cli.model.results import Evaluation, Light, Report, problems_dict
from gongfu_cli.model.targets import Kind
from gongfu_cli.render.json import json_text
from gongfu_cli.render.table import (
    LIGHT_STYLE,
    indicator_name,
    markdown_head,
    markdown_row,
    names_list,
    percent,
    plain,
    plain_title,
    safe_lines,
    spreadsheet_safe,
)

if TYPE_CHECKING:
    from rich.console import RenderableType

LABELS = {
    "zh": {
        "title": "{period} 责任单位赛马晾晒（{plan}）",
        "owner": "责任单位",
        "indicators": "指标",
        "milestones": "里程碑",
        "green": "绿",
        "yellow": "黄",
        "red": "红",
        "grey": "灰",
        "share_green": "绿灯占比",
        "red_items": "红灯事项",
        "unassigned": "（方案未列明责任单位）",
        "note": "同一事项有多个责任单位时，计入每个单位；绿灯占比不含灰灯（未到考核或未报送）。",
    },
    "en": {
        "title": "{period} scoreboard of responsible units ({plan})",
        "owner": "Unit",
        "indicators": "Indicators",
        "milestones": "Milestones",
        "green": "Green",
        "yellow": "Yellow",
        "red": "Red",
        "grey": "Grey",
        "share_green": "Share green",
        "red_items": "Red",
        "unassigned": "(no unit named in the plan)",
        "note": "An item with several units counts for each; the share green leaves out grey "
        "(not yet judged or not reported).",
    },
}
COLUMNS = ["owner", "indicators", "milestones", "green", "yellow", "red", "grey", "share_green"]


def owner_name(score: OwnerScore, lang: Lang) -> str:
    return LABELS[lang]["unassigned"] if score.owner == UNASSIGNED else score.owner


def _cells(score: OwnerScore, lang: Lang) -> list[str]:
    milestones = sum(e.indicator.kind == Kind.milestone for e in score.evaluations)
    return [
        owner_name(score, lang),
        str(len(score.evaluations) - milestones),
        str(milestones),
        *(str(score.count(light)) for light in (Light.green, Light.yellow, Light.red, Light.grey)),
        percent(score.share_green) or "—",
    ]


def _title(report: Report, plan: str, lang: Lang) -> str:
    return LABELS[lang]["title"].format(period=report.period, plan=plan)


def owners_table(report: Report, scores: list[OwnerScore], lang: Lang, plan: str) -> RenderableType:
    from rich.console import Group
    from rich.table import Table

    labels = LABELS[lang]
    table = Table(title=plain_title(_title(report, plan, lang)), title_justify="left")
    for column in COLUMNS:
        table.add_column(
            labels[column],
            justify="left" if column == "owner" else "right",
            style=LIGHT_STYLE[Light(column)] if column in Light.__members__ else "",
            no_wrap=column != "owner",
        )
    table.add_column(labels["red_items"], overflow="fold")
    for score in scores:
        cells = [plain(cell) for cell in _cells(score, lang)]
        table.add_row(*cells, plain(names_list(score.red, lang), style="red"))
    return Group(table, plain(labels["note"]))


def owners_markdown(report: Report, scores: list[OwnerScore], lang: Lang, plan: str) -> str:
    labels = LABELS[lang]
    header = [labels[c] for c in COLUMNS] + [labels["red_items"]]
    lines = [
        f"### {_title(report, plan, lang)}",
        "",
        *markdown_head(header),
    ]
    for score in scores:
        lines.append(markdown_row([*_cells(score, lang), names_list(score.red, lang)]))
    lines += ["", labels["note"], ""]
    return safe_lines(lines)


def owners_text(report: Report, scores: list[OwnerScore], lang: Lang, plan: str) -> str:
    """One line per unit, for a briefing: counts by light, the share green, the red items."""
    lines = [_title(report, plan, lang)]
    for score in scores:
        green, yellow, red = (score.count(x) for x in (Light.green, Light.yellow, Light.red))
        share = percent(score.share_green) or "—"
        if lang == "zh":
            line = (
                f"{owner_name(score, lang)}：{len(score.evaluations)}项，"
                f"绿灯{green}、黄灯{yellow}、红灯{red}，绿灯占比{share}"
            )
            line += f"；红灯：{names_list(score.red, lang)}。" if score.red else "。"
        else:
            line = (
                f"{owner_name(score, lang)}: {len(score.evaluations)} items, {green} green, "
                f"{yellow} yellow, {red} red, {share} green"
            )
            line += f"; red: {names_list(score.red, lang)}." if score.red else "."
        lines.append(line)
    return safe_lines(lines) + "\n"


def score_dict(score: OwnerScore, lang: Lang) -> dict[str, Any]:
    def items(evaluations: list[Evaluation]) -> list[dict[str, str]]:
        return [{"id": e.indicator.id, "name": indicator_name(e, lang)} for e in evaluations]

    milestones = [e for e in score.evaluations if e.indicator.kind == Kind.milestone]
    return {
        "owner": score.owner or None,
        "indicators": len(score.evaluations) - len(milestones),
        "milestones": len(milestones),
        "lights": {light.value: score.count(light) for light in Light},
        "share_green": None if score.share_green is None else round(score.share_green, 6),
        "red": items(score.red),
        "yellow": items(score.yellow),
        "items": [e.indicator.id for e in score.evaluations],
    }


def owners_json(report: Report, scores: list[OwnerScore], lang: Lang) -> str:
    document = {
        "period": str(report.period),
        "owners": [score_dict(score, lang) for score in scores],
        **problems_dict(report.problems),
    }
    return json_text(document)


def owners_csv(report: Report, scores: list[OwnerScore], lang: Lang) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["owner", "indicators", "milestones", *Light.__members__, "share_green", "red_items"]
    )
    for score in scores:
        row = score_dict(score, lang)
        writer.writerow(
            [
                spreadsheet_safe(score.owner),
                row["indicators"],
                row["milestones"],
                *row["lights"].values(),
                row["share_green"],
                "、".join(item["id"] for item in row["red"]),
            ]
        )
    return buffer.getvalue()
