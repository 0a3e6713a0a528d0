"""Stage 3 of the pipeline: decide each indicator's status and light for a period.

The rules are the README's "How status is decided", in code. They read only the
catalogue and one month's Actuals; nothing here prints or reads the clock.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum

from .actuals import Actuals, Reading
from .periods import Period
from .problems import Problem
from .targets import Frequency, Indicator, Kind, Pace, Targets, normalise


class Status(str, Enum):
    met = "met"  # 已达标
    on_track = "on_track"  # 进度正常
    at_risk = "at_risk"  # 略滞后
    off_track = "off_track"  # 滞后
    pending = "pending"  # 进行中
    no_data = "no_data"  # 未报送
    not_due = "not_due"  # 本期不报
    no_target = "no_target"  # 无目标值
    invalid = "invalid"  # 数据有误
    suspect = "suspect"  # 数据存疑: a doubtful figure (doubts.py), questioned, not lit


class Light(str, Enum):
    green = "green"
    yellow = "yellow"
    red = "red"
    grey = "grey"


LIGHT_OF = {
    Status.met: Light.green,
    Status.on_track: Light.green,
    Status.at_risk: Light.yellow,
    Status.off_track: Light.red,
}


@dataclass
class Evaluation:
    """One indicator's verdict for the period, with the figures behind it."""

    indicator: Indicator
    status: Status
    period: Period | None = None
    actual: float | None = None
    grade: str | None = None
    done: bool | None = None
    completion: float | None = None  # 完成率: actual / annual target
    time_progress: float | None = None  # 序时进度 (M/12 or the seasonal profile), paced only
    projection: float | None = None  # 预计全年: year-end figure at the pace so far
    projected_to_miss: bool | None = None  # None where no projection is made
    due: bool = True
    reading: Reading | None = None
    previous: Evaluation | None = None  # the same indicator in its previous period (上期)
    confirmed: bool = False  # a figure that would be doubtful, confirmed by its sender (已核实)

    @property
    def light(self) -> Light:
        return LIGHT_OF.get(self.status, Light.grey)

    @property
    def turned_red(self) -> bool:
        """Red now, and not red (or not reported) in the previous period."""
        return (
            self.light == Light.red
            and self.previous is not None
            and self.previous.light != Light.red
        )

    @property
    def gap_points(self) -> float | None:
        """How far completion is behind 序时进度, in percentage points (negative: ahead)."""
        if self.completion is None or self.time_progress is None:
            return None
        # rounded so that 45% against 50% is 5 points behind, not 4.9999999
        return round((self.time_progress - self.completion) * 100, 9)


@dataclass
class Report:
    """Everything `gongfu check` knows about one monthly file."""

    period: Period
    file: str
    encoding: str | None
    targets_file: str
    evaluations: list[Evaluation]
    problems: list[Problem] = field(default_factory=list)
    previous_period: Period | None = None
    files: list[str] = field(default_factory=list)  # every file the month was merged from

    def summary(self) -> dict[str, int]:
        counts = Counter(e.status for e in self.evaluations)
        return {s.value: counts.get(s, 0) for s in Status}

    def lights(self) -> dict[str, int]:
        counts = Counter(e.light for e in self.evaluations)
        return {light.value: counts.get(light, 0) for light in Light}


def reports_in(ind: Indicator, month: int) -> bool:
    """Whether the indicator's frequency gives it a figure in this month."""
    if ind.frequency == Frequency.quarterly:
        return month % 3 == 0
    if ind.frequency == Frequency.annual:
        return month == 12
    return True


def is_due(ind: Indicator, period: Period) -> bool:
    """Whether a figure is expected this month, so that its absence is 未报送.

    January is never due: Chinese statistics publish January and February
    together (1–2月), so February's file is the year's first; a January file
    is read and used, but nothing missing from it counts as unreported.
    """
    return period.month != 1 and reports_in(ind, period.month)


def _meets(value: float, op: str, target: float) -> bool:
    return {
        ">": value > target,
        ">=": value >= target,
        "<": value < target,
        "<=": value <= target,
    }[op]


def evaluate_one(
    ind: Indicator, reading: Reading | None, period: Period, band: float
) -> Evaluation:
    """Apply the status rules to one indicator (band: the yellow band in points)."""
    due = is_due(ind, period)
    result = Evaluation(
        indicator=ind, status=Status.no_data, period=period, due=due, reading=reading
    )
    if reading is not None and not reading.valid:
        result.status = Status.invalid
        return result
    if reading is None or not reading.reported:
        result.status = Status.no_data if due else Status.not_due
        return result
    result.confirmed = reading.confirmed
    if reading.suspect:  # shown as sent, but neither green nor red until it is checked
        result.status, result.actual = Status.suspect, reading.value
        return result

    result.actual, result.grade, result.done = reading.value, reading.grade, reading.done
    final = period.month == 12  # December's figure is the year's result
    if ind.kind == Kind.milestone:
        if reading.done:
            result.status = Status.met
        else:
            result.status = Status.off_track if period.month >= ind.due_month else Status.pending
        return result
    if reading.grade is not None:  # e.g. 教育现代化指数 "达到A等"
        result.status = Status.met
        return result

    value = reading.value
    assert value is not None
    if ind.op == "maintain":
        if ind.baseline is None:
            result.status = Status.no_target
            return result
        op, target = ">=", ind.baseline
    else:
        assert ind.target is not None
        op, target = ind.op, ind.target
    if not ind.is_ceiling and target > 0 and ind.kind != Kind.rank:
        result.completion = _ratio(value, target)

    if ind.paced:
        result.time_progress = ind.time_progress(period.month)
        result.projection = _project(value, result.time_progress, final)
        if result.projection is not None:
            result.projected_to_miss = not _meets(result.projection, op, target)

    if _meets(value, op, target):
        result.status = Status.met
    elif ind.paced:
        gap_points = result.gap_points
        if final or gap_points is None or gap_points >= band:
            result.status = Status.off_track
        elif gap_points <= 0:
            result.status = Status.on_track
        else:
            result.status = Status.at_risk
    elif ind.pace == Pace.year_end:
        result.status = Status.off_track if final else Status.pending
    else:
        # The tolerance grants a near miss a warning while the year can still turn it;
        # December's figure is the year's result, and a missed target is then red.
        shortfall = (value - target) if ind.is_ceiling else (target - value)
        within = not final and ind.tolerance > 0 and shortfall <= ind.tolerance
        result.status = Status.at_risk if within else Status.off_track
    return result


def _project(ytd: float, time_progress: float | None, final: bool) -> float | None:
    """预计全年: the year-to-date figure carried to December at the pace so far.

    Under linear pace that is the run rate (ytd × 12/M); under seasonal pace the
    year-to-date figure divided by the profile's share of the year so far. No
    projection is made while the pace expects nothing yet (a seasonal profile
    at 0 so far). In December the figure is the year's result.
    """
    if final:
        return ytd
    if not time_progress:
        return None
    return _ratio(ytd, time_progress)


def _ratio(part: float, whole: float) -> float | None:
    """part / whole, or None where it is too large to be a float (a target or a
    profile share near zero): no infinity reaches a verdict, a chart or the JSON."""
    ratio = part / whole
    return ratio if math.isfinite(ratio) else None


def evaluate(targets: Targets, actuals: Actuals, targets_file: str) -> Report:
    """Every indicator of the catalogue, in catalogue order, judged for the file's period."""
    evaluations = [
        evaluate_one(ind, actuals.readings.get(ind.id), actuals.period, targets.yellow_band(ind))
        for ind in targets.indicators
    ]
    return Report(
        period=actuals.period,
        file=actuals.file,
        encoding=actuals.encoding,
        targets_file=targets_file,
        evaluations=evaluations,
        problems=actuals.problems,
        files=actuals.files,
    )


# Names a user may give to --status: statuses and lights, in English or Chinese.
STATUS_NAMES_ZH = {
    Status.met: "已达标",
    Status.on_track: "进度正常",
    Status.at_risk: "略滞后",
    Status.off_track: "滞后",
    Status.pending: "进行中",
    Status.no_data: "未报送",
    Status.not_due: "本期不报",
    Status.no_target: "无目标值",
    Status.invalid: "数据有误",
    Status.suspect: "数据存疑",
}
# Other words --status takes: a statistician's shorter forms.
_STATUS_ALIASES = {"存疑": Status.suspect}
LIGHT_NAMES_ZH = {Light.green: "绿", Light.yellow: "黄", Light.red: "红", Light.grey: "灰"}


def _filter_vocabulary() -> dict[str, set[Status]]:
    words: dict[str, set[Status]] = {}
    for status in Status:
        words[status.value] = words[STATUS_NAMES_ZH[status]] = {status}
    for word, status in _STATUS_ALIASES.items():
        words[word] = {status}
    for light in Light:
        members = {s for s in Status if LIGHT_OF.get(s, Light.grey) == light}
        for word in (light.value, LIGHT_NAMES_ZH[light], LIGHT_NAMES_ZH[light] + "灯"):
            words[word] = members
    return words


def parse_status_filter(words: list[str]) -> set[Status]:
    """'red', '红', 'off_track', '滞后', 'yellow,red' → the statuses they mean.

    Raises ValueError(word) for a word that names no status or light.
    """
    vocabulary = _filter_vocabulary()
    wanted: set[Status] = set()
    for word in (w for item in words for w in item.split(",")):
        key = normalise(word).replace("-", "_")
        if key not in vocabulary:
            raise ValueError(word)
        wanted |= vocabulary[key]
    return wanted


def select(
    evaluations: list[Evaluation], owner: str | None = None, statuses: set[Status] | None = None
) -> list[Evaluation]:
    """--owner (one unit's exact name, as scoreboard.match_owner resolves it) and --status."""
    chosen = evaluations
    if owner:
        chosen = [e for e in chosen if owner in e.indicator.owners]
    if statuses:
        chosen = [e for e in chosen if e.status in statuses]
    return chosen
