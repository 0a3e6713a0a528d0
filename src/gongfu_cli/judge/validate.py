"""The data gate behind `gongfu validate`: check files, never evaluate targets.

Each file is read with the same reader as `gongfu check` (so the same problems
and codes), then checked for what only a validator cares about: indicators due
but absent, cross-indicator rules from targets.yaml, and year-to-date totals
that fall between the months given.
"""

from __future__ import annotations

from pathlib import Path

from gongfu_cli.judge.checks import cumulative_decreases, rule_violations
from gongfu_cli.judge.doubts import question
from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import GongfuError, Problem
from gongfu_cli.model.readings import Actuals, Edition
from gongfu_cli.model.results import FileResult, ValidationReport
from gongfu_cli.model.targets import Indicator, Targets
from gongfu_cli.read.actuals import read_actuals
from gongfu_cli.read.files import edition_of, period_from_name, sender_from_name
from gongfu_cli.read.intake import merge_editions, plan_unit


def failed_validation(problems: list[Problem], strict: bool = False) -> ValidationReport:
    """What validate reports when it cannot run (a missing path, broken targets):
    each problem under its own file, so JSON and annotations keep their shape."""
    return ValidationReport(
        [FileResult(file=p.file or "", problems=[p]) for p in problems], strict=strict
    )


def validate_files(
    files: list[Path],
    targets: Targets,
    strict: bool = False,
    period: Period | None = None,
    ignored: list[Problem] | None = None,
    periods: dict[Path, Period] | None = None,
) -> ValidationReport:
    """Read every file, then run the checks that need the catalogue or other months.

    A file's month is its folder's (`periods`, from expand_paths), else its own
    name's, else `period` (so one option cannot give twelve monthly files the
    same month). The files of one month are merged as check merges them: a
    figure that differs between two files is conflicting-values, and the rules
    across indicators and months are checked on the merged months.

    Completeness is judged where it belongs: a file whose sender is a unit of
    the plan (2025-06-县民社局.xlsx) is missing only the due indicators that unit
    owns; a month none of whose files names a unit (one combined 2025-06.csv)
    is missing every due indicator it lacks. `ignored` are the folders' files
    that are not read; each is listed as a file of its own with its warning.
    """
    periods = periods or {}
    results: list[FileResult] = []
    by_month: dict[Period, list[tuple[FileResult, Actuals]]] = {}
    editions: dict[str, Edition] = {}
    for path in files:
        month = periods.get(path) or period_from_name(path) or period
        result = FileResult(file=str(path), period=month)
        results.append(result)
        try:
            actuals = read_actuals(path, targets, month)
        except GongfuError as exc:
            result.problems.extend(exc.problems)
            continue
        in_period_folder = period_from_name(path) is None
        actuals.sender = actuals.sender or sender_from_name(path, in_period_folder)
        editions[actuals.file] = edition_of(path, in_period_folder)
        result.encoding, result.rows = actuals.encoding, actuals.rows
        result.problems.extend(actuals.problems)
        by_month.setdefault(actuals.period, []).append((result, actuals))

    of_file = {result.file: result for result in results}
    merged_months: list[Actuals] = []
    for month in sorted(by_month):
        pairs = by_month[month]
        read: dict[Edition, list[Actuals]] = {}
        for _, actuals in pairs:
            read.setdefault(editions[actuals.file], []).append(actuals)
        merged = merge_editions(read, targets)
        month_problems = [p for p in merged.problems if p.code == "conflicting-values"]
        month_problems += rule_violations(merged, targets)
        # the doubtful figures check questions (660000 with no unit, 0.918 for 91.8%)
        month_problems += question(merged, merged_months, targets)
        merged_months.append(merged)
        own = [pair for pair in pairs if editions[pair[1].file] == Edition.monthly]
        month_problems += _missing_indicators(own, pairs, targets)
        for problem in month_problems:
            of_file.get(problem.file or "", pairs[-1][0]).problems.append(problem)
    for problem in cumulative_decreases(merged_months, targets):
        of_file[problem.file or ""].problems.append(problem)
    results += [FileResult(file=p.file or "", problems=[p]) for p in ignored or []]
    for result in results:
        result.problems.sort(key=lambda p: (p.line is None, p.line or 0))  # file-wide last
    return ValidationReport(results, strict=strict)


def _missing_indicators(
    pairs: list[tuple[FileResult, Actuals]],
    every: list[tuple[FileResult, Actuals]],
    targets: Targets,
) -> list[Problem]:
    """Due indicators absent or left blank (an unfilled template row): from each of the
    month's own files (`pairs`), those its sender owns; from a month where no file names
    a unit of the plan, every one the month lacks. A figure in any file of the month
    (`every`: revisions and the year's finals too) counts as sent; a revision or a
    year-end file alone is no month's submission and is missing nothing."""
    if not pairs:
        return []
    owned = {
        actuals.file: unit
        for _, actuals in pairs
        if (unit := plan_unit(actuals.sender, targets)) is not None
    }
    period = pairs[0][1].period
    due_ids = targets.due_ids(period.month)
    due = [ind for ind in targets.indicators if ind.id in due_ids]
    present = {ind_id for _, actuals in every for ind_id in _sent(actuals)}
    if not owned:
        last = pairs[-1][1].file
        return [_missing(last, ind) for ind in due if ind.id not in present]
    # An indicator several units own is sent once: another owner's file that has it
    # leaves nothing missing (as submissions counts it).
    return [
        _missing(actuals.file, ind)
        for _, actuals in pairs
        if actuals.file in owned
        for ind in due
        if owned[actuals.file] in ind.owners and ind.id not in present
    ]


def _sent(actuals: Actuals) -> set[str]:
    """The indicators a file gives a figure, or a doubtful one, for: not a blank row."""
    return {ind_id for ind_id, reading in actuals.readings.items() if reading.reported}


def _missing(file: str, ind: Indicator) -> Problem:
    return Problem(
        "missing-indicator",
        file=file,
        indicator=ind.id,
        params={"indicator": f"{ind.name}（{ind.id}）"},
    )
