"""Doubtful figures are questioned before they are lit (issue 9).

A figure in the wrong unit (660000 sent without its unit, meaning 万元, for
旅游总收入 in 亿元), a share written as a fraction (0.918 for 91.8%) and a
year-to-date total that more than triples in a month would each light green or
red on a figure nobody meant. Each is a warning instead, and its reading is
suspect: evaluate shows 数据存疑 with a grey light. A sender who has checked a
real outlier writes 已核实 in the note; the figure is then used as given and
marked confirmed.

So that honest figures are never questioned, each check keeps to where its
mistake happens: unit-suspect and jump-suspect to indicators whose unit has
万/亿 forms (元, 吨, 人, 单位), fraction-suspect to shares and rates (levels in
%), never growth rates; counts, ranks and zero are never questioned. The
thresholds are settings of targets.yaml (defaults.doubts, per indicator
`doubts`), not figures of the plan.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import Problem, number
from gongfu_cli.model.readings import Actuals, Reading
from gongfu_cli.model.targets import DoubtSettings, Frequency, Indicator, Kind, Targets, normalise
from gongfu_cli.read.columns import figure_problem
from gongfu_cli.read.units import UNIT_SCALES, unit_factor

# What a sender writes in the note to say an outlier is real. "not confirmed"
# and "unconfirmed" are not; 未核实 and 待确认 do not contain these words.
_CONFIRMED_ZH = ("已核实", "已确认", "核实无误", "确认无误")
_CONFIRMED_EN = re.compile(r"(?<![a-z])confirmed(?![a-z])")
_NEGATED_EN = re.compile(r"(?<![a-z])not(?![a-z])|n't")


def confirmed(note: str) -> bool:
    """Whether the note says the figure was checked and is right (已核实, confirmed)."""
    text = normalise(note)
    if any(word in text for word in _CONFIRMED_ZH):
        return True
    return bool(_CONFIRMED_EN.search(text)) and not _NEGATED_EN.search(text)


def question(month: Actuals, earlier: list[Actuals], targets: Targets) -> list[Problem]:
    """The month's doubtful figures as warnings, each against the months before it.

    Marks each doubtful reading suspect, or confirmed when its note says 已核实.
    Run the months oldest first: a suspect figure is no yardstick for the next.
    """
    problems = []
    by_period: dict[Period, Actuals] = {}
    for actuals in earlier:
        by_period.setdefault(actuals.period, actuals)
    # the previous period of a monthly and of a quarterly indicator (each month once)
    year, number = month.period.year, month.period.month
    before = {
        step: (Period(year, number - step), by_period.get(Period(year, number - step)))
        for step in (1, 3)
    }
    for ind in targets.indicators:
        reading = month.readings.get(ind.id)
        if reading is None or not _figure(reading):
            continue
        previous = _previous(ind, before)
        problem = _doubt(ind, reading, month.period, previous, targets.doubt_settings(ind))
        if problem is None:
            continue
        if confirmed(reading.note):
            reading.confirmed = True
        else:
            reading.suspect = True
            problems.append(problem)
    return problems


def _figure(reading: Reading) -> bool:
    """A valid positive figure: zero, negatives and non-numbers are never questioned."""
    return reading.valid and reading.reported and reading.value is not None and reading.value > 0


@dataclass
class _Previous:
    period: Period
    value: float


def _previous(ind: Indicator, before: dict[int, tuple[Period, Actuals | None]]) -> _Previous | None:
    """The indicator's figure in its previous period (the month before; for a
    quarterly indicator the quarter before, as year.link compares), if valid.
    `before`: the month 1 and 3 months back, by that step, and its figures if given.

    None when that period is missing, has no valid figure, or its figure is
    itself suspect: the checks then fall back on the target.
    """
    if ind.frequency == Frequency.annual:
        return None
    wanted, actuals = before[3 if ind.frequency == Frequency.quarterly else 1]
    reading = actuals.readings.get(ind.id) if actuals is not None else None
    if reading is not None and _figure(reading) and not reading.suspect:
        assert reading.value is not None
        return _Previous(wanted, reading.value)
    return None


@lru_cache(maxsize=256)  # asked for each figure, of the catalogue's few units
def has_scaled_units(unit: str) -> bool:
    """Whether the unit has 万/亿 forms (元, 万元, 吨, 人, 单位 …): where unit slips happen."""
    found = UNIT_SCALES.get(normalise(unit))
    if found is None:
        return False
    return any(base == found[0] and power >= 4 for base, power in UNIT_SCALES.values())


def _doubt(
    ind: Indicator,
    reading: Reading,
    period: Period,
    previous: _Previous | None,
    settings: DoubtSettings,
) -> Problem | None:
    if ind.kind in (Kind.count, Kind.rank, Kind.growth, Kind.milestone):
        return None
    if has_scaled_units(ind.unit):
        return _unit_suspect(ind, reading, period, previous, settings) or _jump_suspect(
            ind, reading, period, previous, settings
        )
    if ind.kind == Kind.level and ind.unit == "%":
        return _fraction_suspect(ind, reading, settings)
    return None


def _problem(code: str, ind: Indicator, reading: Reading, params: dict[str, Any]) -> Problem:
    return figure_problem(code, reading, {"target_unit": ind.unit, **params})


def _with_unit(value: float, unit: str) -> str:
    return f"{number(value)} {unit}".rstrip()


def _times(ratio: float) -> str:
    return number(round(ratio, 1)) if ratio < 10 else f"{ratio:,.0f}"


def _unit_suspect(
    ind: Indicator,
    reading: Reading,
    period: Period,
    previous: _Previous | None,
    settings: DoubtSettings,
) -> Problem | None:
    """≥ unit_ratio times, or ≤ 1/unit_ratio of, what is expected."""
    figure = _expected(ind, period, previous)
    if figure is None:
        return None
    value = reading.value
    assert value is not None
    ratio = max(value / figure, figure / value)
    if not math.isfinite(ratio) or ratio < settings.unit_ratio:
        return None
    basis_zh, basis_en = _basis(ind, period, previous, figure)
    params = {
        "value": _with_unit(value, ind.unit),
        "basis_zh": basis_zh,
        "basis_en": basis_en,
        "times": _times(ratio),
        "guess_zh": "",
        "guess_en": "",
    }
    likely = _likely_unit(ind, reading, figure)
    if likely is not None:
        unit, entered, corrected = likely
        params["guess_zh"] = (
            f"。是否误用了单位，应为 {_with_unit(entered, unit)}"
            f"（即 {_with_unit(corrected, ind.unit)}）？"
        )
        params["guess_en"] = (
            f". Is it {_with_unit(entered, unit)} ({_with_unit(corrected, ind.unit)})?"
        )
    return _problem("unit-suspect", ind, reading, params)


def _expected(ind: Indicator, period: Period, previous: _Previous | None) -> float | None:
    """What the figure should be near.

    The previous period's figure where there is one; else, for a year-to-date
    total, the target × 序时进度 (M/12 for one judged only at year end: the
    scale of a year-to-date figure, not a verdict); else the target.
    """
    if previous is not None:
        return previous.value
    target = ind.target_value
    if target is None or target <= 0:
        return None
    if ind.kind == Kind.cumulative:
        expected = target * _progress(ind, period)
        return expected if expected > 0 else None
    return target


def _progress(ind: Indicator, period: Period) -> float:
    return ind.time_progress(period.month) or period.month / 12


def _basis(
    ind: Indicator, period: Period, previous: _Previous | None, expected: float
) -> tuple[str, str]:
    """How `_expected` found `expected`, in Chinese and English: worded only for a
    figure that is questioned, as nearly every figure is not."""
    unit = ind.unit
    if previous is not None:
        ytd_zh, ytd_en = ("累计数", "year-to-date ") if ind.kind == Kind.cumulative else ("数", "")
        shown = _with_unit(previous.value, unit)
        return (
            f"上期（{previous.period}）{ytd_zh} {shown} ",
            f"the {ytd_en}figure of {previous.period}, {shown}",
        )
    if ind.kind == Kind.cumulative:
        progress = _progress(ind, period)
        shown = _with_unit(round(expected, 4), unit)
        return (
            f"按年度目标和序时进度（{progress * 100:.1f}%）推算的 {shown} ",
            f"{shown} expected from the target at {progress * 100:.1f}% of the year",
        )
    shown = _with_unit(expected, unit)
    return f"年度目标 {shown} ", f"the target of {shown}"


def _likely_unit(
    ind: Indicator, reading: Reading, expected: float
) -> tuple[str, float, float] | None:
    """The unit the figure was most likely meant in: (unit, the figure as entered,
    the figure in the target's unit), when another unit brings it closer to expected."""
    target_unit = normalise(ind.unit)
    given = reading.unit or target_unit
    given_factor = unit_factor(given, ind.unit)
    if given_factor is None or reading.value is None:
        return None
    entered = reading.value / float(given_factor)
    base = UNIT_SCALES[target_unit][0]
    best: tuple[float, str, float] | None = None
    for unit, (unit_base, _) in UNIT_SCALES.items():
        factor = unit_factor(unit, ind.unit)
        if unit_base != base or unit == given or factor is None:
            continue
        corrected = entered * float(factor)
        distance = abs(math.log10(corrected / expected))
        if best is None or distance < best[0]:
            best = (distance, unit, corrected)
    if best is None or best[0] >= abs(math.log10(reading.value / expected)):
        return None
    return best[1], entered, best[2]


def _jump_suspect(
    ind: Indicator,
    reading: Reading,
    period: Period,
    previous: _Previous | None,
    settings: DoubtSettings,
) -> Problem | None:
    """A year-to-date total more than jump_ratio times the previous period's, after
    jump_after_month (early in the year a small total may well triple)."""
    if ind.kind != Kind.cumulative or previous is None:
        return None
    if period.month <= settings.jump_after_month or reading.value is None:
        return None
    ratio = reading.value / previous.value
    if ratio <= settings.jump_ratio:
        return None
    return _problem(
        "jump-suspect",
        ind,
        reading,
        {
            "value": _with_unit(reading.value, ind.unit),
            "previous": _with_unit(previous.value, ind.unit),
            "previous_period": str(previous.period),
            "times": _times(ratio),
            "limit": number(settings.jump_ratio),
        },
    )


def _fraction_suspect(ind: Indicator, reading: Reading, settings: DoubtSettings) -> Problem | None:
    """A share or rate at or below fraction_max where the target is above
    fraction_target_above: 0.918 for 91.8%."""
    target = ind.target_value
    value = reading.value
    if target is None or value is None or target <= settings.fraction_target_above:
        return None
    if value > settings.fraction_max:
        return None
    return _problem(
        "fraction-suspect",
        ind,
        reading,
        {
            "value": number(value),
            "target": f"{number(target)}%",
            "percent": f"{number(value * 100)}%",
        },
    )
