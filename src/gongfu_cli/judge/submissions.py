"""Who has sent what (报送情况): the office's chase-up list (催报) for one month.

For the month under review, each responsible unit with the indicators it owns
that are due, which of them arrived and which are still missing; the files
received, each with its sender; and every file that was not read, so nothing
is left out silently. Figures are not judged here (that is `validate`'s and
`check`'s work): an indicator has arrived when any file of the month has a row
for it with a figure, a grade or a milestone status, even a wrong one; a blank
or "-" row is not a figure.

A unit owes an indicator when the plan lists it among the indicator's owners;
an indicator with several owners is owed by each of them. An indicator whose
sentence in the plan names no unit is listed apart (未列责任单位), never
assigned to a unit guessed from who usually sends it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import GongfuError, Problem, errors_in, warnings_in
from gongfu_cli.model.readings import Actuals, Edition, Reading
from gongfu_cli.model.targets import Indicator, Targets, awaited, is_due
from gongfu_cli.read.actuals import read_actuals
from gongfu_cli.read.files import (
    edition_of,
    no_period_params,
    period_from_name,
    sender_from_name,
)
from gongfu_cli.read.intake import merge_editions, plan_unit
from gongfu_cli.read.year import months_of_year


@dataclass
class FileReceived:
    """One file of the month: who sent it and what it gave, or why it could not be read."""

    file: str
    sender: str | None  # the unit as the file names it (file name or 填报单位 cell)
    unit: str | None  # the plan's name for that unit; None when it matches none
    readable: bool = True
    encoding: str | None = None
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)  # those it gave a figure for

    @property
    def errors(self) -> int:
        return len(errors_in(self.problems))

    @property
    def warnings(self) -> int:
        return len(warnings_in(self.problems))


@dataclass
class Owed:
    """The due indicators of one unit (or of none: `unit` is None) and how they stand."""

    unit: str | None
    due: list[Indicator]
    arrived: list[Indicator]
    missing: list[Indicator]
    invalid: list[Indicator]  # arrived, but the row has an error of its own (or conflicts)
    files: list[str] = field(default_factory=list)  # the files this unit sent

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass
class Submissions:
    """The month's chase-up list."""

    period: Period
    units: list[Owed]  # units with something due, most missing first
    unassigned: Owed  # due indicators the plan names no unit for
    files: list[FileReceived]
    ignored: list[Problem]  # files of the folder not used (ignored-file, duplicate-period)
    problems: list[Problem]  # every problem: the files', conflicts between them, ignored files
    # December: figures published next year (release) that have not come yet: not owed
    awaiting: list[Indicator] = field(default_factory=list)

    @property
    def owing(self) -> list[Owed]:
        return [owed for owed in self.units if not owed.complete]

    @property
    def missing(self) -> list[Indicator]:
        """Every due indicator that has not arrived, each once, in catalogue order."""
        seen = {ind.id: ind for owed in [*self.units, self.unassigned] for ind in owed.missing}
        return list(seen.values())

    @property
    def complete(self) -> bool:
        return not self.missing

    def summary(self) -> dict[str, int]:
        owned_missing = {ind.id for owed in self.units for ind in owed.missing}
        return {
            "units": len(self.units),
            "complete": len(self.units) - len(self.owing),
            "owing": len(self.owing),
            "missing": len(owned_missing),
            "unassigned_missing": len(self.unassigned.missing),
            "files": sum(f.readable for f in self.files),
            "unreadable": sum(not f.readable for f in self.files),
            "ignored": len(self.ignored),
        }


def submissions(path: Path, targets: Targets, period: Period | None = None) -> Submissions:
    """The chase-up list for the month `path` holds: a folder's latest month (or
    `period`), a month's folder (2025-06/), or one file.

    Raises GongfuError only when there is no month to look at (no such path, no
    monthly file, no period); a file of the month that cannot be read is listed
    as unreadable and its indicators count as not arrived.
    """
    month, _, ignored = months_of_year(path, period)
    # a lone file's unlistable folder is no concern here: no history is read
    ignored = [p for p in ignored if p.code != "history-skipped"]
    reviewed = period or month.period
    if reviewed is None:
        params = no_period_params(path, targets.year)
        raise GongfuError([Problem("no-period", file=str(path), params=params)])
    received: list[FileReceived] = []
    read: dict[Edition, list[Actuals]] = {}
    for file in month.files:
        # a name without a month (2025-06/县民社局.csv, or a file given with --period)
        # is the sender's name as a whole, as validate reads it
        whole_name = file in month.in_period_folder or period_from_name(file) is None
        result, actuals = _receive(file, targets, reviewed, whole_name)
        received.append(result)
        if actuals is not None:
            read.setdefault(edition_of(file, whole_name), []).append(actuals)
    merged = merge_editions(read, targets) if read else None
    readings = merged.readings if merged is not None else {}
    conflicts = [p for p in merged.problems if p.code == "conflicting-values"] if merged else []

    due = [ind for ind in targets.indicators if is_due(ind, reviewed)]
    units = [
        _owed(unit, [ind for ind in due if unit in ind.owners], readings, received)
        for unit in targets.owners
    ]
    units = [owed for owed in units if owed.due]
    units.sort(key=lambda owed: (-len(owed.missing), -len(owed.invalid), owed.unit or ""))
    unassigned = _owed(None, [ind for ind in due if not ind.owners], readings, received)
    problems = [p for f in received for p in f.problems] + conflicts + ignored
    awaiting = [
        ind
        for ind in targets.indicators
        if awaited(ind, reviewed) and not _arrived(readings.get(ind.id))
    ]
    return Submissions(reviewed, units, unassigned, received, ignored, problems, awaiting)


def _receive(
    file: Path, targets: Targets, period: Period, in_period_folder: bool
) -> tuple[FileReceived, Actuals | None]:
    """One file read on its own, so that its sender and rows are known."""
    sender = sender_from_name(file, in_period_folder)
    try:
        actuals = read_actuals(file, targets, period)
    except GongfuError as exc:
        unit = plan_unit(sender, targets)
        return FileReceived(str(file), sender, unit, readable=False, problems=exc.problems), None
    actuals.sender = actuals.sender or sender
    given = [
        targets.by_id[ind_id]
        for ind_id in targets.by_id
        if (reading := actuals.readings.get(ind_id)) is not None and reading.reported
    ]
    result = FileReceived(
        file=str(file),
        sender=actuals.sender,
        unit=plan_unit(actuals.sender, targets),
        encoding=actuals.encoding,
        rows=actuals.rows,
        problems=list(actuals.problems),
        indicators=given,
    )
    return result, actuals


def _owed(
    unit: str | None,
    due: list[Indicator],
    readings: dict[str, Reading],
    received: list[FileReceived],
) -> Owed:
    arrived = [ind for ind in due if _arrived(readings.get(ind.id))]
    return Owed(
        unit=unit,
        due=due,
        arrived=arrived,
        missing=[ind for ind in due if not _arrived(readings.get(ind.id))],
        invalid=[ind for ind in arrived if not readings[ind.id].valid],
        files=[f.file for f in received if unit is not None and f.unit == unit],
    )


def _arrived(reading: Reading | None) -> bool:
    """A row with something in it: a figure, a grade, a milestone status, or a value
    that could not be read (sent, but wrong: never 未报送)."""
    return reading is not None and reading.reported
