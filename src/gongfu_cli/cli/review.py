"""The commands that review a month: check, brief, trend, report, owners."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gongfu_cli.cli.root import (
    CheckFormat,
    FailOn,
    ForceOption,
    LangOpt,
    LangOption,
    MonthlyPath,
    OutputOption,
    PeriodOption,
    ReviewFormat,
    State,
    TargetsOption,
    app,
    bad_option,
    fail,
    find_indicator,
    period_option,
    plan_name,
    print_problems,
    resolve_owner,
    stdout_console,
    write_output,
    wrote,
)
from gongfu_cli.model.problems import GongfuError, Lang, errors_in
from gongfu_cli.render.json import json_text

if TYPE_CHECKING:
    from gongfu_cli.model.results import Evaluation, Review


@app.command()
def check(
    path: MonthlyPath,
    targets: TargetsOption = None,
    format: ReviewFormat = CheckFormat.table,
    lang: LangOpt = LangOption.zh,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            help="Only indicators this unit owns: its full name or an unambiguous start "
            "(住建局 for 县住建局).",
        ),
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            help="Only these lights or statuses: red, yellow, green, grey, met, off_track, "
            "红, 滞后 … (repeat or comma-separate).",
        ),
    ] = None,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            help="Exit 1 if any indicator is red (or yellow or red; or suspect, 数据存疑).",
        ),
    ] = FailOn.never,
    period: PeriodOption = None,
) -> None:
    """Check a month's figures against the targets: traffic lights, completion, owners.

    示例: gongfu check data/actuals/2025-06.csv --owner 住建局 --status 红
    """
    _show_month(path, targets, format, lang.value, owner, status or [], fail_on, period)


@app.command()
def brief(
    path: MonthlyPath,
    targets: TargetsOption = None,
    lang: LangOpt = LangOption.zh,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Only this unit's indicators, as in check.")
    ] = None,
    period: PeriodOption = None,
) -> None:
    """A paragraph to paste into a briefing (简报); the same as check --format text.

    示例: gongfu brief data/actuals/ > 简报-2025-06.txt
    """
    _show_month(path, targets, CheckFormat.text, lang.value, owner, [], FailOn.never, period)


def _show_month(
    path: Path,
    targets: Path | None,
    format: CheckFormat,
    language: Lang,
    owner: str | None,
    status: list[str],
    fail_on: FailOn,
    period: str | None,
) -> None:
    """check and brief: the review, narrowed to --owner/--status, printed; exit 1 on
    errors or when --fail-on matches."""
    from gongfu_cli.judge.evaluate import parse_status_filter, select
    from gongfu_cli.model.results import Light, Status

    State.json_for = path if format == CheckFormat.json else None
    try:
        wanted = parse_status_filter(status)
    except ValueError as exc:
        raise bad_option(
            f"--status 无法识别“{exc.args[0]}”：可用 red/yellow/green/grey、红/黄/绿/灰 或状态名"
            if language == "zh"
            else f"--status: unknown '{exc.args[0]}'; use red/yellow/green/grey or a status"
        ) from None
    review = open_review(path, targets, period, language, json=format == CheckFormat.json)
    unit = resolve_owner(owner, review.evaluations, language)
    evaluations = select(review.evaluations, unit, wanted)
    _print_review(review, evaluations, format, language, unit)
    if format != CheckFormat.json:
        print_problems(review.problems, language, limit=20)

    failing = {FailOn.red: {Light.red}, FailOn.yellow: {Light.red, Light.yellow}}
    triggered = any(e.light in failing.get(fail_on, set()) for e in evaluations)
    triggered |= fail_on == FailOn.suspect and any(e.status == Status.suspect for e in evaluations)
    if errors_in(review.problems) or triggered:
        raise typer.Exit(1)


def _print_review(
    review: Review,
    evaluations: list[Evaluation],
    format: CheckFormat,
    lang: Lang,
    owner: str | None,
) -> None:
    from gongfu_cli.render import table as render

    report, plan = review.latest, plan_name(review.targets, lang)
    if format == CheckFormat.table:
        stdout_console().print(render.render_table(report, evaluations, lang, plan))
    elif format == CheckFormat.markdown:
        sys.stdout.write(render.render_markdown(report, evaluations, lang, plan))
    elif format == CheckFormat.text:
        from gongfu_cli.render.brief import brief

        sys.stdout.write(brief(report, evaluations, lang, plan, owner))
    elif format == CheckFormat.json:
        sys.stdout.write(json_text(review.to_dict(evaluations)))
    else:
        sys.stdout.write(render.render_csv(report, evaluations, lang))


def open_review(
    path: Path, targets: Path | None, period: str | None, lang: Lang, json: bool = False
) -> Review:
    """gf.review for a command: a run that cannot go on exits (with the JSON failure
    document on stdout when `json`)."""
    from gongfu_cli import api

    State.json_for = path if json else None
    chosen_period = period_option(period, lang)
    try:
        return api.review(path, chosen_period, targets)
    except GongfuError as exc:
        raise fail(exc.problems, lang, path if json else None) from None


class TrendFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    json = "json"
    csv = "csv"


@app.command()
def trend(
    path: MonthlyPath,
    indicator: Annotated[
        str | None,
        typer.Option("--indicator", "-i", help="One indicator, month by month (id or name)."),
    ] = None,
    targets: TargetsOption = None,
    format: Annotated[
        TrendFormat, typer.Option("--format", "-f", help="table, markdown, json or csv.")
    ] = TrendFormat.table,
    lang: LangOpt = LangOption.zh,
    period: PeriodOption = None,
) -> None:
    """The year month by month: lights, completion against 序时进度, and a sparkline.

    示例: gongfu trend data/actuals/ --indicator tourism_revenue
    """
    from gongfu_cli.render import trend as render_trend

    language: Lang = lang.value
    review = open_review(path, targets, period, language, format == TrendFormat.json)
    catalogue, year = review.targets, review.year
    chosen = None if indicator is None else find_indicator(catalogue, indicator, language)
    plan = plan_name(catalogue, language)
    if format == TrendFormat.json:
        sys.stdout.write(render_trend.trend_json(year, language, chosen))
    elif format == TrendFormat.csv:
        sys.stdout.write(render_trend.trend_csv(year, language, chosen))
    elif format == TrendFormat.markdown:
        sys.stdout.write(
            render_trend.indicator_markdown(year, chosen, language)
            if chosen
            else render_trend.trend_markdown(year, language, plan)
        )
    else:
        stdout_console().print(
            render_trend.indicator_table(year, chosen, language)
            if chosen
            else render_trend.trend_table(year, language, plan)
        )
    print_problems(year.latest.problems, language, limit=20)
    if errors_in(year.latest.problems):
        raise typer.Exit(1)


@app.command()
def report(
    path: MonthlyPath,
    output: OutputOption = None,
    force: ForceOption = False,
    targets: TargetsOption = None,
    lang: LangOpt = LangOption.zh,
    period: PeriodOption = None,
) -> None:
    """Write a self-contained HTML report (lights, charts, owners, milestones), printable on A4.

    示例: gongfu report data/actuals/ -o 晾晒报告-2025-06.html
    """
    from gongfu_cli import __version__
    from gongfu_cli.render.html import report_html

    language: Lang = lang.value
    review = open_review(path, targets, period, language)
    catalogue, year = review.targets, review.year
    target = output or Path(f"report-{year.latest.period}.html")
    page = report_html(year, catalogue, language, __version__)
    write_output(target, page.encode("utf-8"), force, language)
    print_problems(year.latest.problems, language, limit=20)
    wrote(f"已生成 {target}" if language == "zh" else f"Wrote {target}")
    if errors_in(year.latest.problems):
        raise typer.Exit(1)


@app.command()
def owners(
    path: MonthlyPath,
    targets: TargetsOption = None,
    format: ReviewFormat = CheckFormat.table,
    lang: LangOpt = LangOption.zh,
    period: PeriodOption = None,
) -> None:
    """The owners' scoreboard (赛马晾晒): each responsible unit's lights, most behind first.

    示例: gongfu owners data/actuals/ --format text
    """
    from gongfu_cli.judge.scoreboard import scoreboard
    from gongfu_cli.render import owners as render_owners

    language: Lang = lang.value
    review = open_review(path, targets, period, language, format == CheckFormat.json)
    catalogue, year = review.targets, review.year
    report = year.latest
    scores = scoreboard(report.evaluations)
    plan = plan_name(catalogue, language)
    if format == CheckFormat.table:
        stdout_console().print(render_owners.owners_table(report, scores, language, plan))
    elif format == CheckFormat.markdown:
        sys.stdout.write(render_owners.owners_markdown(report, scores, language, plan))
    elif format == CheckFormat.text:
        sys.stdout.write(render_owners.owners_text(report, scores, language, plan))
    elif format == CheckFormat.json:
        sys.stdout.write(render_owners.owners_json(report, scores, language))
    else:
        sys.stdout.write(render_owners.owners_csv(report, scores, language))
    print_problems(report.problems, language, limit=20)
    if errors_in(report.problems):
        raise typer.Exit(1)
