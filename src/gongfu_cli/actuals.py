"""Stage 2 of the pipeline: read one monthly actuals file into Readings and Problems.

The contract (README "The data file"): a header row with indicator and value
columns (English or Chinese names), one row per indicator, the period taken from
the file name (YYYY-MM.csv / YYYY-MM.xlsx) unless ``--period`` overrides it.
The table itself (encoding, header, rows) comes from `tables`; this stage turns
its cells into figures in the target's unit.

Reading is a single pass over the rows. Cell parsing is memoised per distinct
cell text, so a file of 100,000 near-identical rows costs little more than the
distinct values it holds. pandas is deliberately not used here: importing it
alone takes longer than a whole `gongfu check` run (measured in bench/).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path

from .periods import Period, parse_period, period_from_name
from .problems import GongfuError, Problem
from .tables import COLUMN_LABEL, MAX_CELL, map_header, read_raw
from .targets import WHOLE_NUMBER_KINDS, Indicator, Kind, Targets, normalise

# ---------------------------------------------------------------------------
# Cell vocabulary

NOT_REPORTED = frozenset({"", "-", "--", "—", "——", "/", "暂无", "n/a", "na", "null"})
DONE = frozenset({"已完成", "完成", "是", "done", "yes", "true", "1", "y", "√", "✓"})
NOT_DONE = frozenset(
    {"未完成", "推进中", "进行中", "未启动", "否", "no", "false", "0", "n", "×", "✗"}
)
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+|(?=\.\d))(?:\.\d+)?(?:e[+-]?\d+)?(%?)$")

# Units that convert into each other: unit → (base unit, factor to the base).
UNIT_SCALES: dict[str, tuple[str, float]] = {
    "元": ("元", 1),
    "万元": ("元", 1e4),
    "亿元": ("元", 1e8),
    "吨": ("吨", 1),
    "万吨": ("吨", 1e4),
    "亿吨": ("吨", 1e8),
    "人": ("人", 1),
    "万人": ("人", 1e4),
    "单位": ("单位", 1),
    "万单位": ("单位", 1e4),
    "亿单位": ("单位", 1e8),
    "米": ("米", 1),
    "公里": ("米", 1e3),
    "千米": ("米", 1e3),
    "km": ("米", 1e3),
}


def unit_factor(unit: str, target_unit: str) -> float | None:
    """Multiplier taking a figure in `unit` to `target_unit`; None if not convertible."""
    if unit == normalise(target_unit) or unit == "":
        return 1.0
    source, target = UNIT_SCALES.get(unit), UNIT_SCALES.get(normalise(target_unit))
    if source is None or target is None or source[0] != target[0]:
        return None
    return source[1] / target[1]


# ---------------------------------------------------------------------------
# Results


@dataclass
class Reading:
    """One indicator's row: the value in the target's unit, or why it has none."""

    indicator: str
    line: int
    raw: str
    value: float | None = None
    grade: str | None = None  # a non-numeric value that meets the target, e.g. "A"
    done: bool | None = None  # milestones
    reported: bool = True  # False for empty, "-", 暂无 …
    valid: bool = True
    note: str = ""


@dataclass
class Actuals:
    """A monthly file as read: its period, encoding, readings and problems."""

    file: str
    period: Period
    encoding: str | None
    readings: dict[str, Reading] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0


# ---------------------------------------------------------------------------
# Rows → Readings


def read_actuals(path: Path, targets: Targets, period: Period | None = None) -> Actuals:
    """Read one monthly file against the catalogue.

    Raises GongfuError when the file cannot be read as a table at all (missing,
    empty, undecodable, no indicator/value columns, no period); every row-level
    problem is collected in Actuals.problems instead, and the row's indicator is
    marked invalid rather than dropped.
    """
    file = str(path)
    period = period or period_from_name(path)
    if period is None:
        raise GongfuError([Problem("no-period", file=file, params={"name": path.name})])
    raw = read_raw(path)
    actuals = Actuals(file=file, period=period, encoding=raw.encoding)
    problems = actuals.problems
    if period.year != targets.year:
        problems.append(
            Problem(
                "period-mismatch",
                file=file,
                params={
                    "detail_zh": f"报告期 {period} 与目标文件年度 {targets.year} 不一致",
                    "detail_en": f"Period {period} is not in the targets' year {targets.year}",
                },
            )
        )

    columns = map_header(raw, file, problems)
    parser = _RowParser(targets, file, problems)
    get = _cell_getter(columns)
    for line, row in raw.rows:
        if not any(cell.strip() for cell in row):
            continue  # blank lines are layout, not data
        actuals.rows += 1
        indicator_text = get(row, "indicator")
        ind = parser.indicator(indicator_text, line)
        if ind is None:
            continue
        first = actuals.readings.get(ind.id)
        if first is not None:
            problems.append(
                Problem(
                    "duplicate-indicator",
                    file=file,
                    line=line,
                    column=COLUMN_LABEL["indicator"],
                    indicator=ind.id,
                    params={"indicator": ind.id, "first_line": first.line},
                )
            )
            first.valid = False  # which of the two is right is the submitter's call
            continue
        reading = parser.reading(ind, line, get(row, "value"), get(row, "unit"))
        reading.note = get(row, "note").strip()
        actuals.readings[ind.id] = reading
        period_text = get(row, "period")
        if period_text.strip():
            parser.check_period(period_text, period, ind, line)
    return actuals


def _cell_getter(columns: dict[str, int]):
    def get(row: list[str], column: str) -> str:
        index = columns.get(column)
        return row[index] if index is not None and index < len(row) else ""

    return get


def _short(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 40 else text[:40] + "…"


class _RowParser:
    """Parses cells, remembering each distinct cell so repeated values cost nothing."""

    def __init__(self, targets: Targets, file: str, problems: list[Problem]):
        self.targets = targets
        self.file = file
        self.problems = problems
        self._indicators: dict[str, Indicator | dict[str, str]] = {}
        self._values: dict[tuple[str, str, str], tuple[dict, tuple | None]] = {}

    def indicator(self, text: str, line: int) -> Indicator | None:
        found = self._indicators.get(text)
        if found is None:
            found = self._lookup(text)
            self._indicators[text] = found
        if isinstance(found, Indicator):
            return found
        self.problems.append(
            Problem(
                "unknown-indicator",
                file=self.file,
                line=line,
                column=COLUMN_LABEL["indicator"],
                params=found,
            )
        )
        return None

    def _lookup(self, text: str) -> Indicator | dict[str, str]:
        key = normalise(text[:MAX_CELL])
        ind = self.targets.by_name.get(key)
        if ind is not None:
            return ind
        suggestion = get_close_matches(key, list(self.targets.by_name), n=1, cutoff=0.6)
        params = {"value": _short(text)}
        if suggestion:
            ind = self.targets.by_name[suggestion[0]]
            params["suggestion_zh"] = f"，是否为“{ind.name}”（{ind.id}）？"
            params["suggestion_en"] = f"; did you mean '{ind.id}' ({ind.name})?"
        return params

    def reading(self, ind: Indicator, line: int, value_text: str, unit_text: str) -> Reading:
        key = (ind.id, value_text, unit_text)
        cached = self._values.get(key)
        if cached is None:
            cached = _parse_value(ind, value_text, unit_text)
            self._values[key] = cached
        fields, problem = cached
        if problem is not None:
            code, column, params = problem
            self.problems.append(
                Problem(
                    code, file=self.file, line=line, column=column, indicator=ind.id, params=params
                )
            )
        return Reading(indicator=ind.id, line=line, raw=_short(value_text), **fields)

    def check_period(self, text: str, period: Period, ind: Indicator, line: int) -> None:
        stated = parse_period(text[:MAX_CELL])
        if stated is not None and stated == period:
            return
        self.problems.append(
            Problem(
                "period-mismatch",
                file=self.file,
                line=line,
                column="期间 / period",
                indicator=ind.id,
                params={
                    "detail_zh": f"期间列“{_short(text)}”与文件报告期 {period} 不一致",
                    "detail_en": f"The period column says '{_short(text)}' but the file "
                    f"is for {period}",
                },
            )
        )


_VALUE_COLUMN = COLUMN_LABEL["value"]


def _parse_value(ind: Indicator, value_text: str, unit_text: str) -> tuple[dict, tuple | None]:
    """One cell → Reading fields and at most one problem (code, column, params)."""
    text = normalise(value_text[:MAX_CELL]) if len(value_text) <= MAX_CELL else None
    if text is None:
        return _invalid("invalid-number", {"value": _short(value_text)})
    if text in NOT_REPORTED:
        return {"reported": False}, None
    if ind.kind == Kind.milestone:
        if text in DONE:
            return {"done": True}, None
        if text in NOT_DONE:
            return {"done": False}, None
        return _invalid("invalid-milestone", {"value": _short(value_text)})
    grade = _grade(text, ind)
    if grade is not None:
        return {"grade": grade}, None
    match = _NUMBER.match(text)
    if match is None:
        return _invalid("invalid-number", {"value": _short(value_text)})
    number = float(text.replace(",", "").rstrip("%"))
    if not math.isfinite(number):
        return _invalid("invalid-number", {"value": _short(value_text)})
    unit = normalise(unit_text[:MAX_CELL])
    if match[1] == "%" and not unit:
        unit = "%"
    if unit == "%" and ind.unit == "个百分点":
        unit = ""  # "提升1%" is how the plan itself writes a gain in points
    factor = unit_factor(unit, ind.unit)
    if factor is None:
        params = {"unit": unit_text.strip()[:40] or unit, "target_unit": ind.unit}
        column = "单位 / unit" if unit_text.strip() else _VALUE_COLUMN  # else a % in the value
        return {"valid": False}, ("unit-mismatch", column, params)
    value = float(f"{number * factor:.12g}")  # drop float noise from 万→亿 scaling
    if ind.kind in WHOLE_NUMBER_KINDS and not value.is_integer():
        kind = {"count": "个数", "rank": "排名"}[ind.kind.value]
        return _invalid("non-integer", {"value": _short(value_text), "kind": kind})
    low, high = ind.plausible_range()
    if (low is not None and value < low) or (high is not None and value > high):
        params = {
            "value": _short(value_text),
            "low": "-∞" if low is None else f"{low:g}",
            "high": "+∞" if high is None else f"{high:g}",
        }
        return {"value": value, "valid": False}, ("out-of-range", _VALUE_COLUMN, params)
    return {"value": value}, None


def _invalid(code: str, params: dict) -> tuple[dict, tuple]:
    return {"valid": False}, (code, _VALUE_COLUMN, params)


def _grade(text: str, ind: Indicator) -> str | None:
    """'A', 'A等', 'A级' → 'A' when the indicator accepts that grade."""
    for grade in ind.also_met_by:
        g = normalise(grade)
        if text in (g, g + "等", g + "级"):
            return grade
    return None
