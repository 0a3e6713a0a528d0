"""Stage 3b of the pipeline: evaluate every month of the year, then link each
month to the one before it (较上月).

`check`, `brief`, `owners`, `trend` and `report` all start here: the month
under review is the latest file (or the one --period names), and the earlier
months of the same year give the history. Only the month under review can make
a command fail; an earlier file that cannot be read is left out of the history
with a warning, since `gongfu validate` is the place to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .actuals import read_actuals
from .evaluate import Evaluation, Report, evaluate, reports_in
from .periods import (
    FolderListing,
    Period,
    ignored_file,
    list_folder,
    path_kind,
    period_from_name,
)
from .problems import GongfuError, Problem
from .targets import Targets


@dataclass
class Year:
    """The month under review (the last report) and the months before it, in period order.

    The last report's problems include warnings about earlier files that were
    left out (history-skipped) or shadowed by another file (duplicate-period).
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


def files_of_year(
    path: Path, period: Period | None = None
) -> tuple[Path, list[Path], list[Problem]]:
    """The file under review and the earlier files of its year, oldest first.

    A folder means its latest monthly file, or the one for `period`; a file is
    reviewed as given (with `period` overriding its name, as in `check`), and its
    earlier siblings in the same folder give the history. Where a month has both
    a .csv and a .xlsx, the .xlsx is used (it sorts last) and a warning says so.
    For a folder, every file in it that is not used gets an ignored-file warning
    (a file of another year, a name without a month, a type gongfu cannot read);
    a file named on the command line does not make its siblings' names a concern.
    """
    is_folder = path_kind(path) == "folder"
    folder = path if is_folder else path.parent
    unlisted: list[Problem] = []
    try:
        listing = list_folder(folder)
    except GongfuError as exc:
        if is_folder:
            raise
        # The file can still be reviewed, without the months before it.
        listing = FolderListing()
        unlisted.append(_skipped(folder, exc))
    by_period: dict[Period, Path] = {}
    shadowed: list[tuple[Period, Path]] = []
    for candidate in listing.monthly:
        month = period_from_name(candidate)
        assert month is not None  # list_folder keeps only named files
        if month in by_period:
            shadowed.append((month, by_period[month]))
        by_period[month] = candidate
    unused = listing.unused if is_folder else unlisted

    if is_folder:
        if not by_period or (period is not None and period not in by_period):
            missing = str(path) if period is None else f"{path}/{period}.csv"
            raise GongfuError(
                [Problem("no-actuals-file", file=str(path), params={"path": missing}), *unused]
            )
        reviewed = period or max(by_period)
        current = by_period[reviewed]
    else:
        current, named = path, period or period_from_name(path)
        if named is None:  # read_actuals reports the missing period
            return current, [], []
        reviewed = named
    earlier = [
        by_period[p]
        for p in sorted(by_period)
        if p.year == reviewed.year and p < reviewed and by_period[p] != current
    ]
    problems = [
        Problem(
            "duplicate-period",
            file=str(skipped),
            params={"used": by_period[month].name, "skipped": skipped.name},
        )
        for month, skipped in shadowed
        if month.year == reviewed.year and (month < reviewed or (month == reviewed and is_folder))
        # a file named on the command line is the user's choice, not a clash
    ]
    if is_folder:
        problems += [
            ignored_file(
                file,
                f"属于 {month.year} 年，本次审阅的是 {reviewed.year} 年的数据；"
                f"每个目录请只放一年的月度文件",
                f"it is for {month.year} and the month under review is in {reviewed.year}; "
                f"keep one year's files per folder",
            )
            for file in listing.monthly
            if (month := period_from_name(file)) is not None and month.year != reviewed.year
        ]
    return current, earlier, problems + unused


def _skipped(file: Path, error: GongfuError) -> Problem:
    return Problem(
        "history-skipped",
        file=str(file),
        params={
            "reason_zh": "；".join(p.message("zh") for p in error.problems),
            "reason_en": "; ".join(p.message("en") for p in error.problems),
        },
    )


def evaluate_year(
    path: Path, targets: Targets, targets_file: str, period: Period | None = None
) -> Year:
    """Evaluate the month under review and the months before it; link each to its predecessor.

    Raises GongfuError if the month under review cannot be read, as `check` does.
    """
    current, earlier, problems = files_of_year(path, period)
    reports: list[Report] = []
    for file in earlier:
        try:
            actuals = read_actuals(file, targets)
        except GongfuError as exc:
            problems.append(_skipped(file, exc))
            continue
        reports.append(evaluate(targets, actuals, targets_file))
    try:
        actuals = read_actuals(current, targets, period)
    except GongfuError as exc:
        raise GongfuError(exc.problems + problems) from None
    latest = evaluate(targets, actuals, targets_file)
    latest.problems.extend(problems)
    reports.append(latest)
    for index, report in enumerate(reports):
        link(report, reports[:index])
    return Year(reports=reports)


def link(report: Report, earlier: list[Report]) -> None:
    """Give each evaluation its counterpart from the indicator's previous period (上期).

    For a monthly indicator that is the previous month's file; for a quarterly
    one the previous quarter's month, since the months between carry no figure
    for it (comparing June's GDP with May's "not due" would say nothing). An
    annual indicator has no earlier period within the year.
    """
    if not earlier:
        return
    report.previous_period = earlier[-1].period
    latest_reporting: dict[str, Evaluation] = {}
    for before in earlier:  # oldest first, so later months overwrite earlier ones
        for e in before.evaluations:
            if reports_in(e.indicator, before.period.month):
                latest_reporting[e.indicator.id] = e
    for evaluation in report.evaluations:
        evaluation.previous = latest_reporting.get(evaluation.indicator.id)
