"""Which files make each month of the year: the month under review and the months
before it, found from a file or a folder, with every unused file reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import GongfuError, Problem, no_actuals
from gongfu_cli.model.readings import Actuals, Edition
from gongfu_cli.model.targets import Targets
from gongfu_cli.read.actuals import read_actuals
from gongfu_cli.read.files import (
    FolderListing,
    edition_of,
    ignored_file,
    list_folder,
    path_kind,
    period_from_name,
)
from gongfu_cli.read.intake import read_month


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
    A revision or year-end file named alone (2025-06-修订.csv, 2025-年报.csv) is
    read over the files of its month in its folder, whose figures it replaces.
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
        unlisted.append(history_skipped(folder, exc))
    months = {
        month: MonthFiles(month, files, frozenset(listing.in_period_folder))
        for month, files in listing.months.items()
    }
    ignored = listing.ignored + listing.clashes if is_folder else unlisted

    if is_folder:
        if not months:
            raise GongfuError([no_actuals(path), *ignored])
        if period is not None and period not in months:
            held = sorted(months)
            first, last = held[0], held[-1]
            params = {
                "period": str(period),
                "path": str(path),
                "months_zh": str(first) if first == last else f"{first}至{last}",
                "months_en": str(first) if first == last else f"{first} to {last}",
            }
            raise GongfuError([Problem("month-not-in-folder", file=str(path), params=params)])
        reviewed = period or max(months)
        current = months[reviewed]
    else:
        named = period or period_from_name(path)
        current = MonthFiles(named, [path])
        if named is None:  # read_actuals reports the missing period
            return current, [], []
        reviewed = named
        whole_month = months.get(named)
        if edition_of(path) != Edition.monthly and whole_month and path in whole_month.files:
            current = whole_month
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


def history_skipped(file: Path, error: GongfuError) -> Problem:
    return Problem(
        "history-skipped",
        file=str(file),
        params={
            "reason_zh": "；".join(p.message("zh") for p in error.problems),
            "reason_en": "; ".join(p.message("en") for p in error.problems),
        },
    )


def read_month_files(month: MonthFiles, targets: Targets, period: Period | None = None) -> Actuals:
    """A month's files read and merged (intake.read_month); a lone file without a
    month in its name is read as it is, so that no-period is reported."""
    if month.period is None:
        return read_actuals(month.files[0], targets, period)
    return read_month(month.files, targets, month.period, month.in_period_folder)
