"""Stage 3b of the pipeline: evaluate every month of the year, then link each
month to the one before it (较上月).

`check`, `brief`, `owners`, `trend` and `report` all start here: the month
under review is the latest file (or the one --period names), and the earlier
months of the same year give the history. Only the month under review can make
a command fail; an earlier file that cannot be read is left out of the history
with a warning, since `gongfu validate` is the place to fix it.
"""

from __future__ import annotations

from pathlib import Path

from gongfu_cli.judge.checks import cumulative_decreases, rule_violations
from gongfu_cli.judge.doubts import question
from gongfu_cli.judge.evaluate import evaluate
from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import GongfuError, Problem
from gongfu_cli.model.readings import Actuals
from gongfu_cli.model.results import STATUS_NAMES_ZH, Evaluation, Report, Status, Year, YearResult
from gongfu_cli.model.targets import Targets
from gongfu_cli.read.year import history_skipped, months_of_year, read_month_files


def evaluate_year(path: Path, targets: Targets, period: Period | None = None) -> Year:
    """Evaluate the month under review and the months before it; link each to its predecessor.

    Raises GongfuError if the month under review cannot be read, as `check` does.
    """
    current, earlier, problems = months_of_year(path, period)
    months: list[Actuals] = []
    for month in earlier:
        try:
            months.append(read_month_files(month, targets))
        except GongfuError as exc:
            problems.append(history_skipped(month.files[0], exc))
    try:
        latest = read_month_files(current, targets, period)
    except GongfuError as exc:
        raise GongfuError(exc.problems + problems) from None
    months.append(latest)
    cross_check(months, targets)
    for index, actuals in enumerate(months):  # doubtful figures, each against earlier months
        actuals.problems.extend(question(actuals, months[:index], targets))
    reports = [evaluate(targets, actuals) for actuals in months]
    reports[-1].problems.extend(problems)
    link(reports, targets)
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


def link(reports: list[Report], targets: Targets) -> None:
    """Give each evaluation its counterpart from the indicator's previous period (上期),
    the reports running oldest first.

    For a monthly indicator that is the previous month's file; for a quarterly
    one the previous quarter's month, since the months between carry no figure
    for it (comparing June's GDP with May's "not due" would say nothing). An
    annual indicator has no earlier period within the year.
    """
    latest_reporting: dict[str, Evaluation] = {}  # so far: later months overwrite earlier
    for index, report in enumerate(reports):
        if index:
            report.previous_period = reports[index - 1].period
            for evaluation in report.evaluations:
                evaluation.previous = latest_reporting.get(evaluation.indicator.id)
        reporting = targets.reporting_ids(report.period.month)
        for e in report.evaluations:
            if e.indicator.id in reporting:
                latest_reporting[e.indicator.id] = e


def close_year(report: Report) -> tuple[YearResult, list[Problem]]:
    """The year's result from December's review (every revision and final figure laid
    over it), and a year-not-closed problem for each indicator that keeps it open:
    a figure still awaited, not reported, invalid or doubtful."""
    result = YearResult(report.period.year, report.evaluations)
    return result, [_still_open(e, report) for e in result.open]


# Why an indicator keeps the year open, in the problem's words.
_OPEN_EN = {
    Status.no_data: "is not reported",
    Status.invalid: "has an invalid figure",
    Status.suspect: "has a doubtful figure, to be checked",
}


def _still_open(e: Evaluation, report: Report) -> Problem:
    ind, expected, year = e.indicator, e.release, report.period.year
    if e.status == Status.awaiting and expected is not None:
        what_zh = f"{ind.name}待发布（预计{expected.year}年{expected.month}月发布）"
        what_en = f"{ind.name_en} is awaited (expected {expected})"
    else:
        what_zh = ind.name + STATUS_NAMES_ZH[e.status]
        what_en = f"{ind.name_en} {_OPEN_EN.get(e.status, 'is ' + e.status.value)}"
    file = e.reading.file if e.reading is not None else report.file
    line = e.reading.line if e.reading is not None else None
    return Problem(
        "year-not-closed",
        file=file,
        line=line,
        indicator=ind.id,
        params={"year": year, "what_zh": what_zh, "what_en": what_en},
    )
