"""Renderers for `gongfu targets`: the catalogue as a table, JSON or Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gongfu_cli.model.problems import Lang
from gongfu_cli.model.targets import Indicator, Targets
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

COLUMNS = {
    "zh": ["id", "指标", "目标", "单位", "类型", "频率", "进度", "责任单位"],
    "en": ["id", "indicator", "target", "unit", "kind", "frequency", "pace", "owners"],
}


def _cells(ind: Indicator, lang: Lang) -> list[str]:
    return [
        ind.id,
        ind.name if lang == "zh" else ind.name_en,
        target_text(ind, lang),
        ind.unit,
        ind.kind.value,
        ind.frequency.value,
        ind.pace.value,
        ("、" if lang == "zh" else ", ").join(ind.owners),
    ]


def targets_table(targets: Targets, lang: Lang) -> RenderableType:
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
    return table


def targets_markdown(targets: Targets, lang: Lang) -> str:
    lines = markdown_head(COLUMNS[lang])
    lines += [markdown_row(_cells(ind, lang)) for ind in targets.indicators]
    return safe_lines(lines) + "\n"


def targets_json(targets: Targets) -> str:
    return json_text(targets.model_dump(mode="json"))
