"""Renderers for `gongfu targets`: the catalogue as a table, JSON or Markdown.

A target that rests on gongfu's reading of the plan or on a setting of its own
(an `assumption` in the YAML) is marked with NOTE_SIGN, and the readings are
listed under the table (口径说明), so a plan figure is never taken for the tool's.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from gongfu_cli.model.problems import Lang
from gongfu_cli.model.targets import Defaults, Indicator, Targets
from gongfu_cli.render.json import json_text
from gongfu_cli.render.table import (
    markdown_head,
    markdown_row,
    plain,
    plain_title,
    safe_lines,
    target_text,
)

if TYPE_CHECKING:
    from rich.console import RenderableType

NOTE_SIGN = "※"
NOTES_HEADING = {
    "zh": "口径说明（※：本工具的解读或设定，不是方案原文）",
    "en": "Readings (※: gongfu's reading of the plan or its own setting, not the plan's words)",
}

COLUMNS = {
    "zh": ["id", "指标", "目标", "单位", "类型", "频率", "进度", "责任单位"],
    "en": ["id", "indicator", "target", "unit", "kind", "frequency", "pace", "owners"],
}


def _cells(ind: Indicator, lang: Lang) -> list[str]:
    name = ind.name if lang == "zh" else ind.name_en
    if ind.aliases:
        name += (
            f"（又作：{'、'.join(ind.aliases)}）"
            if lang == "zh"
            else f" (also: {', '.join(ind.aliases)})"
        )
    target = target_text(ind, lang)
    if _assumption(ind, lang):
        target += " " + NOTE_SIGN
    return [
        ind.id,
        name,
        target,
        ind.unit,
        ind.kind.value,
        ind.frequency.value,
        ind.pace.value,
        ("、" if lang == "zh" else ", ").join(ind.owners),
    ]


def _assumption(item: Indicator | Defaults, lang: Lang) -> str:
    """The reading in the language asked for (the Chinese where no English is written),
    on one line: a reading wrapped in the YAML is one sentence."""
    text = (item.assumption_en if lang == "en" else None) or item.assumption or ""
    return " ".join(text.split())


def notes(targets: Targets, lang: Lang) -> list[str]:
    """The heading and one line per reading: the defaults' first, then each target's."""
    colon = "：" if lang == "zh" else ": "
    lines = []
    general = _assumption(targets.defaults, lang)
    if general:
        lines.append(
            f"{NOTE_SIGN} " + ("全部指标" if lang == "zh" else "All targets") + colon + general
        )
    for ind in targets.indicators:
        reading = _assumption(ind, lang)
        if reading:
            name = ind.name if lang == "zh" else ind.name_en
            lines.append(f"{NOTE_SIGN} {ind.id} {name}{colon}{reading}")
    return [NOTES_HEADING[lang], *lines] if lines else []


def targets_table(targets: Targets, lang: Lang) -> RenderableType:
    from rich.console import Group
    from rich.table import Table

    title = f"{targets.plan}（{targets.year}）：{len(targets.indicators)} 个指标"
    if lang == "en":
        title = f"{targets.plan_en or targets.plan} ({targets.year}): "
        title += f"{len(targets.indicators)} indicators"
    table = Table(title=plain_title(title), title_justify="left")
    for column in COLUMNS[lang]:
        table.add_column(column, overflow="fold")
    for ind in targets.indicators:
        table.add_row(*(plain(cell) for cell in _cells(ind, lang)))
    readings = notes(targets, lang)
    if not readings:
        return table
    return Group(table, *(plain(line) for line in readings))


def targets_markdown(targets: Targets, lang: Lang) -> str:
    lines = markdown_head(COLUMNS[lang])
    lines += [markdown_row(_cells(ind, lang)) for ind in targets.indicators]
    readings = notes(targets, lang)
    if readings:
        heading, *items = readings
        lines += ["", f"**{heading}**", "", *(f"- {item}" for item in items)]
    return safe_lines(lines) + "\n"


def targets_json(targets: Targets) -> str:
    return json_text(asdict(targets))
