"""What gongfu finds, as data: readings judged (Evaluation), a month (Report),
a year (Year) and the answer to `validate` (ValidationReport). The API wraps
them for analysts (api.Review, api.Validation: DataFrames, Jupyter display).

Every result is language-free: statuses and lights are codes, names are the
plan's own (with the English beside them), and problems carry their fields
and their words in both languages. `to_dict()` is exactly what the CLI prints
as JSON; the words a person reads are chosen later, in render/.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import Problem, errors_in, warnings_in
from gongfu_cli.model.readings import Edition, Reading
from gongfu_cli.model.targets import Indicator, release_period


class Status(str, Enum):
    met = "met"  # 已达标
    on_track = "on_track"  # 进度正常
    at_risk = "at_risk"  # 略滞后
    off_track = "off_track"  # 滞后
    pending = "pending"  # 进行中
    no_data = "no_data"  # 未报送
    not_due = "not_due"  # 本期不报
    awaiting = "awaiting"  # 待发布: December, the year's figure is published next year (release)
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


@dataclass(slots=True)  # a year's review makes one per indicator per month
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

    @property
    def actual_value(self) -> str | bool | float | None:
        """The figure in one field, as earlier JSON carried it: a grade, done/not
        done, or a number (`value`, `grade` and `done` keep the three apart)."""
        if self.grade is not None:
            return self.grade
        return self.done if self.done is not None else self.actual

    @property
    def edition(self) -> Edition | None:
        """Whose figure it is: the month's own, a revision (已修订) or the year's final (年报)."""
        return None if self.reading is None else self.reading.edition

    @property
    def revised_from(self) -> str | bool | float | None:
        """The figure a revision or a final figure replaced, where it differed."""
        earlier = None if self.reading is None else self.reading.revised_from
        return None if earlier is None else earlier.figure

    @property
    def revised(self) -> bool:
        """Shown as 已修订: from a revision file, or a final figure that replaced another."""
        reading = self.reading
        if reading is None:
            return False
        return reading.edition == Edition.revised or reading.revised_from is not None

    @property
    def release(self) -> Period | None:
        """When the year's final figure is expected (`release`), for an indicator that has one."""
        if self.period is None:
            return None
        return release_period(self.indicator, self.period.year)

    def to_dict(self) -> dict[str, Any]:
        """One indicator's verdict as JSON carries it (check --format json)."""
        ind, before, change = self.indicator, self.previous, value_change(self)
        edition, release = self.edition, self.release
        return {
            "id": ind.id,
            "name": ind.name,
            "name_en": ind.name_en,
            "section": ind.section,
            "unit": ind.unit,
            "kind": ind.kind.value,
            "op": ind.op,
            "target": ind.target_value,
            "tolerance": ind.tolerance,  # for op "~": how far from the target is "about"
            "actual": self.actual_value,
            "value": self.actual,
            "grade": self.grade,
            "done": self.done,
            "completion": _rounded(self.completion),
            "time_progress": _rounded(self.time_progress),
            "gap_points": _rounded(self.gap_points),
            "projection": _rounded(self.projection),
            "projected_to_miss": self.projected_to_miss,
            "status": self.status.value,
            "light": self.light.value,
            "previous_period": None if before is None else str(before.period),
            "previous_status": None if before is None else before.status.value,
            "previous_light": None if before is None else before.light.value,
            "previous_actual": None if before is None else before.actual_value,
            "change": _rounded(change),
            "turned_red": self.turned_red,
            "confirmed": self.confirmed,
            "edition": None if edition is None else edition.value,
            "revised_from": self.revised_from,
            "release": None if release is None else str(release),
            "due": self.due,
            "owners": list(ind.owners),
            "file": self.reading.file if self.reading else None,  # a month may be several files
            "line": self.reading.line if self.reading else None,
        }


@dataclass
class Report:
    """Everything `gongfu check` knows about one monthly file."""

    period: Period
    file: str
    encoding: str | None
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

    def to_dict(self, evaluations: list[Evaluation] | None = None) -> dict[str, Any]:
        """The month as JSON carries it; `evaluations` narrows the indicators listed
        (check --owner/--status), the summary still counting all of them."""
        chosen = self.evaluations if evaluations is None else evaluations
        return {
            "period": str(self.period),
            "previous_period": None if self.previous_period is None else str(self.previous_period),
            "file": self.file,
            "files": self.files,
            "encoding": self.encoding,
            "summary": self.summary(),
            "lights": self.lights(),
            "indicators": [e.to_dict() for e in chosen],
            **problems_dict(self.problems),
        }


# Names a user may give to --status: statuses and lights, in English or Chinese.
STATUS_NAMES_ZH = {
    Status.met: "已达标",
    Status.on_track: "进度正常",
    Status.at_risk: "略滞后",
    Status.off_track: "滞后",
    Status.pending: "进行中",
    Status.no_data: "未报送",
    Status.not_due: "本期不报",
    Status.awaiting: "待发布",
    Status.no_target: "无目标值",
    Status.invalid: "数据有误",
    Status.suspect: "数据存疑",
}


LIGHT_NAMES_ZH = {Light.green: "绿", Light.yellow: "黄", Light.red: "红", Light.grey: "灰"}


@dataclass
class Year:
    """The month under review (the last report) and the months before it, in period order.

    The last report's problems include warnings about earlier months that were
    left out (history-skipped) and files of the folder that are not used.
    """

    reports: list[Report]

    @property
    def latest(self) -> Report:
        return self.reports[-1]

    @property
    def periods(self) -> list[Period]:
        return [report.period for report in self.reports]

    def series(self) -> dict[str, list[Evaluation]]:
        """Each indicator's evaluations month by month, in catalogue order."""
        by_id: dict[str, list[Evaluation]] = {}
        for report in self.reports:
            for e in report.evaluations:
                by_id.setdefault(e.indicator.id, []).append(e)
        return by_id


@dataclass
class YearResult:
    """The year's result (年度考核结果): December's review, with every revision and final
    figure, each target met (达标) or missed (未达标). The year is closed when nothing is
    open: every indicator has a final figure or a milestone verdict (an indicator with no
    target set has a figure, and is not assessed)."""

    year: int
    evaluations: list[Evaluation]

    @property
    def met(self) -> list[Evaluation]:
        return [e for e in self.evaluations if e.light == Light.green]

    @property
    def missed(self) -> list[Evaluation]:
        return [e for e in self.evaluations if e.light in (Light.red, Light.yellow)]

    @property
    def unassessed(self) -> list[Evaluation]:
        """A figure, but no target to hold it to (无目标值)."""
        return [e for e in self.evaluations if e.status == Status.no_target]

    @property
    def open(self) -> list[Evaluation]:
        """What keeps the year open: awaited, not reported, invalid or doubtful figures."""
        settled = {id(e) for e in self.met + self.missed + self.unassessed}
        return [e for e in self.evaluations if id(e) not in settled]

    @property
    def closed(self) -> bool:
        return bool(self.evaluations) and not self.open

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON carries it (check --final --format json: `result`)."""
        return {
            "year": self.year,
            "closed": self.closed,
            "counts": {
                "met": len(self.met),
                "missed": len(self.missed),
                "no_target": len(self.unassessed),
                "open": len(self.open),
            },
            "met": [e.indicator.id for e in self.met],
            "missed": [e.indicator.id for e in self.missed],
            "no_target": [e.indicator.id for e in self.unassessed],
            "open": [
                {
                    "id": e.indicator.id,
                    "status": e.status.value,
                    "release": None if e.release is None else str(e.release),
                }
                for e in self.open
            ],
        }


def value_change(e: Evaluation) -> float | None:
    """This month's figure minus last month's, where both are numbers."""
    before = e.previous
    if before is None or e.done is not None or e.actual is None or before.actual is None:
        return None
    if Status.suspect in (e.status, before.status):
        return None  # a change from a doubtful figure would pass on the doubt
    return e.actual - before.actual


@dataclass
class FileResult:
    file: str
    period: Period | None = None
    encoding: str | None = None
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ValidationReport:
    files: list[FileResult]
    strict: bool = False

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]

    @property
    def errors(self) -> list[Problem]:
        return errors_in(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return warnings_in(self.problems)

    @property
    def valid(self) -> bool:
        return not self.errors and not (self.strict and self.warnings)

    def to_dict(self) -> dict[str, Any]:
        """The answer of `gongfu validate` as JSON carries it."""
        return {
            "valid": self.valid,
            "strict": self.strict,
            "summary": {
                "files": len(self.files),
                "errors": len(self.errors),
                "warnings": len(self.warnings),
            },
            # Per file: counts; the problems themselves once, below, each naming its file.
            "files": [
                {
                    "file": r.file,
                    "period": None if r.period is None else str(r.period),
                    "encoding": r.encoding,
                    "rows": r.rows,
                    "valid": not errors_in(r.problems)
                    and not (self.strict and warnings_in(r.problems)),
                    "errors": len(errors_in(r.problems)),
                    "warnings": len(warnings_in(r.problems)),
                }
                for r in self.files
            ],
            "problems": [p.to_dict() for p in self.problems],
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def problems_dict(problems: list[Problem]) -> dict[str, list[dict[str, Any]]]:
    """Problems as JSON carries them: errors and warnings apart, each located."""
    return {
        "errors": [p.to_dict() for p in errors_in(problems)],
        "warnings": [p.to_dict() for p in warnings_in(problems)],
    }
