"""Renderers for `gongfu targets`: the catalogue as a table, JSON or Markdown."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .problems import Lang
from .render import OP_SYMBOL, with_unit
from .targets import Indicator, Kind, Targets

if TYPE_CHECKING:
    from rich.console import RenderableType

COLUMNS = {
    "zh": ["id", "指标", "目标", "单位", "类型", "频率", "进度", "责任单位"],
    "en": ["id", "indicator", "target", "unit", "kind", "frequency", "pace", "owners"],
}


def target_phrase(ind: Indicator, lang: Lang) -> str:
    if ind.kind == Kind.milestone:
        return f"{ind.due_month}月底前完成" if lang == "zh" else f"done by month {ind.due_month}"
    if ind.op == "maintain":
        if ind.baseline is None:
            return "巩固提升（未设基线）" if lang == "zh" else "maintain (no baseline)"
        return "≥ " + with_unit(ind.baseline, ind.unit)
    return f"{OP_SYMBOL[ind.op]} {with_unit(ind.target, ind.unit)}"


def _cells(ind: Indicator, lang: Lang) -> list[str]:
    return [
        ind.id,
        ind.name if lang == "zh" else ind.name_en,
        target_phrase(ind, lang),
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
    table = Table(title=title, title_justify="left")
    for column in COLUMNS[lang]:
        table.add_column(column, overflow="fold")
    for ind in targets.indicators:
        table.add_row(*_cells(ind, lang))
    return table


def targets_markdown(targets: Targets, lang: Lang) -> str:
    lines = [
        "| " + " | ".join(COLUMNS[lang]) + " |",
        "|" + "---|" * len(COLUMNS[lang]),
    ]
    for ind in targets.indicators:
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in _cells(ind, lang)) + " |")
    return "\n".join(lines) + "\n"


def targets_json(targets: Targets) -> str:
    return json.dumps(targets.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
