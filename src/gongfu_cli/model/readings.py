"""A month's figures as read (Actuals), one Reading per indicator row: the value in
the target's unit, or why it has none, and where the row is (file, line, sender).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import Problem


class Edition(str, Enum):
    """Which file a figure came from: the month's own, a later revision of the month
    (2025-06-修订.csv), or the year's final figures (2025-年报.csv, for December).
    A later edition replaces an earlier figure of the same period."""

    monthly = "monthly"
    revised = "revised"  # 已修订
    final = "final"  # 年报


EDITION_ORDER = (Edition.monthly, Edition.revised, Edition.final)


@dataclass(slots=True)  # one per row read, and a copy each time a file is read again
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
    file: str = ""  # the file the row is in (a month may be several files)
    sender: str | None = None  # the submitting unit (填报单位), where known
    # sent under a misspelled name (旅游总收人): this is only the likely indicator, and a
    # row under its right name in another file of the month takes its place
    misnamed: bool = False
    unit: str = ""  # the unit the row gives, normalised ("": the target's)
    suspect: bool = False  # questioned by doubts.py (数据存疑): not judged
    confirmed: bool = False  # it would be questioned, but the note says 已核实
    edition: Edition = Edition.monthly
    # the figure this one replaced (a revision or a final figure that differs from it)
    revised_from: Reading | None = None

    @property
    def figure(self) -> str | bool | float | None:
        """The figure in one field: a grade, done/not done, or a number."""
        if self.grade is not None:
            return self.grade
        return self.done if self.done is not None else self.value


@dataclass
class Actuals:
    """A month's figures as read: its period, readings and problems, from one file
    or, merged by intake.read_month, from every file of the month."""

    file: str  # the file, or the folder a merged month's files share
    period: Period
    encoding: str | None
    readings: dict[str, Reading] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    files: list[str] = field(default_factory=list)
    sender: str | None = None  # the submitting unit (填报单位) the file names, if any
