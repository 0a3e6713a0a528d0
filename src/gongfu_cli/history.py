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

from .actuals import Actuals, read_actuals
from .checks import cumulative_decreases, rule_violations
from .doubts import question
from .evaluate import Evaluation, Report, evaluate, reports_in
from .intake import read_month
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
class MonthFiles:
    """The files that make one month (several units' files, or one)."""

    period: Period | None  # None: a file named on the command line with no month in its name
    files: list[Path]
    in_period_folder: frozenset[Path] = frozenset()


def months_of_year(
    path: Path, period: Period | None = None
) -> tuple[MonthFiles, list[MonthFiles], list[Problem]]:
    """The month under review, the earlier months of its year (oldest first), and
    warnings about the folder's files.

    A folder means its latest month, or the one for `period`, with every file of
    that month (2025-06.csv, 2025-06-县民社局.xlsx, or the files of 2025-06/).
    A folder named for a month (2025-06/) is that month, its parent folder
    giving the history. A file is reviewed as given (with `period` overriding
    its name, as in `check`), its folder's earlier months giving the history.
    For a folder, every file in it that is not used gets an ignored-file warning
    (another year, a name without a month, a type gongfu cannot read); a file
    named on the command line does not make its siblings' names a concern.
    """
    is_folder = path_kind(path) == "folder"
    named_month = period_from_name(path) if is_folder else None
    folder = path if is_folder else path.parent
    unlisted: list[Problem] = []
    try:
        listing = list_folder(folder)
        if is_folder and not listing.months and named_month is not None:
            listing = list_folder(path.parent)  # 2025-06/ itself: its parent holds the year
            period = period or named_month
    except GongfuError as exc:
        if is_folder:
            raise
        listing = FolderListing()  # the file can still be reviewed, without its history
        unlisted.append(_skipped(folder, exc))
    months = {
        month: MonthFiles(month, files, frozenset(listing.in_period_folder))
        for month, files in listing.months.items()
    }
    ignored = listing.ignored + listing.clashes if is_folder else unlisted

    if is_folder:
        if not months or (period is not None and period not in months):
            missing = str(path) if period is None else f"{path}/{period}.csv"
            raise GongfuError(
                [Problem("no-actuals-file", file=str(path), params={"path": missing}), *ignored]
            )
        reviewed = period or max(months)
        current = months[reviewed]
    else:
        named = period or period_from_name(path)
        current = MonthFiles(named, [path])
        if named is None:  # read_actuals reports the missing period
            return current, [], []
        reviewed = named
    earlier = [
        months[month]
        for month in sorted(months)
        if month.year == reviewed.year and month < reviewed
    ]
    if is_folder:
        ignored += [
            ignored_file(
                file,
                f"属于 {month.year} 年，本次审阅的是 {reviewed.year} 年的数据；"
                f"每个目录请只放一年的月度文件",
                f"it is for {month.year} and the month under review is in {reviewed.year}; "
                f"keep one year's files per folder",
            )
            for month, files in months.items()
            if month.year != reviewed.year
            for file in files.files
        ]
    return current, earlier, ignored


def _skipped(file: Path, error: GongfuError) -> Problem:
    return Problem(
        "history-skipped",
        file=str(file),
        params={
            "reason_zh": "；".join(p.message("zh") for p in error.problems),
            "reason_en": "; ".join(p.message("en") for p in error.problems),
        },
    )


def read_month_files(month: MonthFiles, targets: Targets, period: Period | None = None):
    """A month's files read and merged (intake.read_month); a lone file without a
    month in its name is read as it is, so that no-period is reported."""
    if month.period is None:
        return read_actuals(month.files[0], targets, period)
    return read_month(month.files, targets, month.period, month.in_period_folder)


def evaluate_year(
    path: Path, targets: Targets, targets_file: str, period: Period | None = None
) -> Year:
    """Evaluate the month under review and the months before it; link each to its predecessor.

    Raises GongfuError if the month under review cannot be read, as `check` does.
    """
    current, earlier, problems = months_of_year(path, period)
    months: list[Actuals] = []
    for month in earlier:
        try:
            months.append(read_month_files(month, targets))
        except GongfuError as exc:
            problems.append(_skipped(month.files[0], exc))
    try:
        latest = read_month_files(current, targets, period)
    except GongfuError as exc:
        raise GongfuError(exc.problems + problems) from None
    months.append(latest)
    cross_check(months, targets)
    for index, actuals in enumerate(months):  # doubtful figures, each against earlier months
        actuals.problems.extend(question(actuals, months[:index], targets))
    reports = [evaluate(targets, actuals, targets_file) for actuals in months]
    reports[-1].problems.extend(problems)
    for index, report in enumerate(reports):
        link(report, reports[:index])
    return Year(reports=reports)


def cross_check(months: list[Actuals], targets: Targets) -> None:
    """validate's checks across indicators and months, before anything is judged:
    each month's broken rules and every total that falls from an earlier month
    are problems of that month, and the indicators involved are invalid."""
    decreases = cumulative_decreases(months, targets)
    for actuals in months:
        found = rule_violations(actuals, targets)
        found += [p for p in decreases if p.file in actuals.files]
        actuals.problems.extend(found)
        for problem in found:
            involved = [problem.indicator]
            if problem.code == "inconsistent":
                involved.append(problem.params["right_id"])
            for ind_id in involved:
                if ind_id in actuals.readings:
                    actuals.readings[ind_id].valid = False


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
