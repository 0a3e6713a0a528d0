"""`gongfu profile`: a seasonal profile for targets.yaml from last year's monthly files.

Runs once a year, by hand; its output is pasted into targets.yaml, which stays
the single source of targets (gongfu never reads last year's files at check
time). The profile is each month's share of the year's total, in percent.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import GongfuError, Problem, no_actuals, number
from gongfu_cli.model.targets import PACED_KINDS, Indicator, Targets
from gongfu_cli.model.text import safe_text
from gongfu_cli.read.files import (
    FolderListing,
    ignored_file,
    list_folder,
    path_kind,
    period_from_name,
)
from gongfu_cli.read.intake import read_month


@dataclass
class SeasonalProfile:
    indicator: Indicator
    shares: list[float]  # percent of the year, January first; sums to 100 before rounding
    periods: list[Period]  # the months whose figures it was computed from
    problems: list[Problem]  # rows left out (warnings)


def _incomplete(file: str, indicator: str, zh: str, en: str) -> GongfuError:
    return GongfuError(
        [
            Problem(
                "profile-incomplete",
                file=file,
                indicator=indicator,
                params={"detail_zh": zh, "detail_en": en},
            )
        ]
    )


def seasonal_profile(folder: Path, targets: Targets, ind: Indicator) -> SeasonalProfile:
    """Each month's share of the year, from one year's year-to-date figures.

    Year-to-date figures are differenced into monthly amounts. A figure that
    covers several months (1–2月 published together, a quarterly indicator, a
    month with no file) is spread evenly over the months since the previous
    figure: the files cannot say more than that. December's figure, the year's
    total, is required: the folder's latest year with a December file is used.
    """
    where = str(folder)
    if ind.kind not in PACED_KINDS:
        raise _incomplete(
            where,
            ind.id,
            f"{ind.name} 不是累计类指标，无法按月分摊",
            f"{ind.name_en} is not a year-to-date indicator",
        )
    if path_kind(folder) == "folder":
        listing = list_folder(folder)
    else:
        month = period_from_name(folder)
        listing = FolderListing(months={month: [folder]} if month else {})
    named = listing.months
    if not named:
        raise GongfuError([no_actuals(where), *listing.ignored])
    complete = {p.year for p in named if p.month == 12}
    year = max(complete or {p.year for p in named})
    left_out = listing.ignored + listing.clashes
    left_out += [
        ignored_file(
            file,
            f"属于 {period.year} 年，季节性分布按 {year} 年计算",
            f"it is for {period.year}; the profile is computed from {year}",
        )
        for period, files in named.items()
        if period.year != year
        for file in files
    ]

    try:
        shares, periods = _shares(listing, year, targets, ind, where, left_out)
    except GongfuError as exc:
        # The files left out may be why (December's file named 2024年12月.xls).
        raise GongfuError(exc.problems + left_out) from None
    return SeasonalProfile(ind, shares, periods, left_out)


def _shares(
    listing: FolderListing,
    year: int,
    targets: Targets,
    ind: Indicator,
    where: str,
    left_out: list[Problem],
) -> tuple[list[float], list[Period]]:
    """Each month's share of `year` (percent) and the months it was computed from."""
    ytd: dict[int, float] = {}
    periods: list[Period] = []
    for period, files in listing.months.items():
        if period.year != year:
            continue
        actuals = read_month(files, targets, period, listing.in_period_folder)
        reading = actuals.readings.get(ind.id)
        left_out += [p for p in actuals.problems if p.indicator == ind.id]
        if reading is not None and reading.valid and reading.value is not None:
            ytd[period.month] = reading.value
            periods.append(period)
    if 12 not in ytd:
        raise _incomplete(
            where,
            ind.id,
            f"缺少 {year}-12 的全年累计数",
            f"no full-year figure for {year}-12",
        )

    monthly = [0.0] * 12
    last_month, last_total = 0, 0.0
    for month in sorted(ytd):
        amount = ytd[month] - last_total
        if amount < 0:
            raise _incomplete(
                where,
                ind.id,
                f"{year}-{month:02d} 累计数 {number(ytd[month])} 小于上期 {number(last_total)}",
                f"{year}-{month:02d} year-to-date {number(ytd[month])} is below "
                f"the previous {number(last_total)}",
            )
        span = month - last_month
        for m in range(last_month, month):
            monthly[m] = amount / span
        last_month, last_total = month, ytd[month]
    total = sum(monthly)
    if total <= 0:
        raise _incomplete(where, ind.id, f"{year} 年全年累计为 0", f"the {year} total is 0")
    shares = [100 * amount / total for amount in monthly]
    return shares, periods


def profile_yaml(profile: SeasonalProfile) -> str:
    """The lines to paste into the indicator's block in targets.yaml, replacing its pace."""
    ind, periods = profile.indicator, profile.periods
    shares = ", ".join(f"{share:.1f}" for share in profile.shares)
    # The name goes into a YAML comment: a line break in it would end the comment
    # (targets.yaml refuses control characters, but a profile is made from any file).
    name = safe_text(ind.name)
    months = ", ".join(f"{p.month}" for p in periods)
    return (
        f"    # {ind.id}（{name}）季节性分布：由 {periods[0]} 至 {periods[-1]} 的"
        f"累计数计算（gongfu profile），\n"
        f"    # 各月占全年比重(%)，1月起；所用月份：{months}；多月合报的数按月平均分摊。\n"
        f"    pace: seasonal\n"
        f"    profile: [{shares}]\n"
    )
