"""Checks across indicators and across months, run by validate and by every review.

`check` trusts nothing that `validate` rejects (issue 9): the same rules from
targets.yaml (10亿元以上项目 ≤ 亿元以上项目) and the same year-to-date checks
between merged months run before anything is evaluated, and an indicator
involved in a broken rule or a falling total is invalid.
"""

from __future__ import annotations

from pathlib import Path

from gongfu_cli.model.problems import Problem, number
from gongfu_cli.model.readings import Actuals, Edition, Reading
from gongfu_cli.model.targets import PACED_KINDS, Targets, holds
from gongfu_cli.read.columns import figure_problem


def rule_violations(actuals: Actuals, targets: Targets) -> list[Problem]:
    problems = []
    for rule in targets.rules:
        left, right = actuals.readings.get(rule.left), actuals.readings.get(rule.right)
        if not (left and right and left.valid and right.valid):
            continue
        if left.value is None or right.value is None:
            continue
        if not holds(left.value, rule.op, right.value):
            problems.append(
                figure_problem(
                    "inconsistent",
                    left,
                    {
                        "rule_zh": rule.description,
                        "rule_en": rule.description_en,
                        "left": targets.label(rule.left),
                        "left_id": rule.left,
                        "left_value": number(left.value),
                        "right": targets.label(rule.right),
                        "right_id": rule.right,
                        "right_value": number(right.value),
                    },
                )
            )
    return problems


def cumulative_decreases(months: list[Actuals], targets: Targets) -> list[Problem]:
    """A year-to-date total below the highest earlier figure of the same year,
    each month's figures merged from all its files.

    A revised or final figure (2025-06-修订.csv, 2025-年报.csv) restates the year to
    date: it replaces the figure it revises and is not compared with earlier
    months' (the year's final GDP may be below September's preliminary one);
    the months after it are compared with it."""
    paced = [ind.id for ind in targets.indicators if ind.kind in PACED_KINDS]
    found = []
    highest: dict[tuple[int, str], tuple[float, Reading]] = {}
    for actuals in sorted(months, key=lambda month: month.period):
        for ind_id in paced:
            reading = actuals.readings.get(ind_id)
            if reading is None or not reading.valid or reading.value is None:
                continue
            key = (actuals.period.year, ind_id)
            if reading.edition != Edition.monthly:
                highest[key] = (reading.value, reading)
                continue
            earlier = highest.get(key)
            if earlier and reading.value < earlier[0]:
                found.append(
                    figure_problem(
                        "cumulative-decrease",
                        reading,
                        {
                            "value": number(reading.value),
                            "file": Path(reading.file).name,
                            "earlier_value": number(earlier[0]),
                            "earlier_file": Path(earlier[1].file).name,
                        },
                    )
                )
            if earlier is None or reading.value > earlier[0]:
                highest[key] = (reading.value, reading)
    return found
