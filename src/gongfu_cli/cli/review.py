"""The commands that review a month: check, brief, trend, report, owners, export."""

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
    fail,
    find_indicator,
    finish,
    period_option,
    plan_name,
    print_problems,
    resolve_owner,
    status_option,
    stdout_console,
    write_output,
    wrote,
)
from gongfu_cli.model.problems import GongfuError, Lang, errors_in
from gongfu_cli.render.json import json_text

if TYPE_CHECKING:
    from gongfu_cli.api import Review
    from gongfu_cli.model.results import Evaluation


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
    wide: Annotated[
        bool,
        typer.Option(
            "--wide",
            help="Table: every column at full width, even where the terminal is narrower "
            "(by default columns fold to fit, and a dim line says which).",
        ),
    ] = False,
    final: Annotated[
        bool,
        typer.Option(
            "--final",
            help="The year's result (年度考核结果): December with every revision and year-end "
            "file (2025-年报.csv), each target met or missed; exit 1 while a figure is "
            "still awaited or missing.",
        ),
    ] = False,
) -> None:
    """Check a month's figures against the targets: traffic lights, completion, owners.

    示例: gongfu check data/actuals/2025-06.csv --owner 住建局 --status 红
    """
    _show_month(
        path, targets, format, lang.value, owner, status or [], fail_on, period, wide, final
    )


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
    _show_month(path, targets, CheckFormat.text, lang.value, owner, [], FailOn.never, period, False)


def _show_month(
    path: Path,
    targets: Path | None,
    format: CheckFormat,
    language: Lang,
    owner: str | None,
    status: list[str],
    fail_on: FailOn,
    period: str | None,
    wide: bool,
    final: bool = False,
) -> None:
    """check and brief: the review, narrowed to --owner/--status, printed; exit 1 on
    errors or when --fail-on matches (with --final, while the year cannot be closed)."""
    from gongfu_cli.judge.evaluate import select
    from gongfu_cli.model.results import Light, Status

    State.json_for = path if format == CheckFormat.json else None
    wanted = status_option(status, language)
    review = open_review(path, targets, period, language, format == CheckFormat.json, final)
    unit = resolve_owner(owner, review.evaluations, language)
    evaluations = select(review.evaluations, unit, wanted)
    _print_review(review, evaluations, format, language, unit, wide)
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
    wide: bool,
) -> None:
    from gongfu_cli.render import table as render

    report, plan, result = review.latest, plan_name(review.targets, lang), review.result
    if format == CheckFormat.table:
        table = render.render_table(report, evaluations, lang, plan, wide=wide, result=result)
        stdout_console().print(table, crop=not wide)  # --wide: the terminal wraps
    elif format == CheckFormat.markdown:
        sys.stdout.write(render.render_markdown(report, evaluations, lang, plan, result))
    elif format == CheckFormat.text:
        from gongfu_cli.render.brief import brief

        sys.stdout.write(brief(report, evaluations, lang, plan, owner, result))
    elif format == CheckFormat.json:
        sys.stdout.write(json_text(review.to_dict(evaluations)))
    else:
        sys.stdout.write(render.render_csv(report, evaluations, lang))


def open_review(
    path: Path,
    targets: Path | None,
    period: str | None,
    lang: Lang,
    json: bool = False,
    final: bool = False,
) -> Review:
    """gf.review for a command: a run that cannot go on exits (with the JSON failure
    document on stdout when `json`)."""
    from gongfu_cli import api

    State.json_for = path if json else None
    chosen_period = period_option(period, lang)
    try:
        return api.review(path, chosen_period, targets, final=final)
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
    finish(year.latest.problems, language)


@app.command()
def report(
    path: MonthlyPath,
    output: OutputOption = None,
    force: ForceOption = False,
    targets: TargetsOption = None,
    lang: LangOpt = LangOption.zh,
    period: PeriodOption = None,
    all_rows: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Show indicators not due or still in progress in the tables (by default "
            "they are listed in a short section near the end).",
        ),
    ] = False,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            help="Only these lights or statuses in the tables, as in check: red, yellow, "
            "green, grey, met, off_track, 红, 滞后 … (repeat or comma-separate).",
        ),
    ] = None,
) -> None:
    """Write a self-contained HTML report (briefing, lights, charts, owners, milestones) to
    print on A4.

    示例: gongfu report data/actuals/ -o 晾晒报告-2025-06.html
    """
    from datetime import date

    from gongfu_cli import __version__
    from gongfu_cli.judge.evaluate import select
    from gongfu_cli.render.html import report_html

    language: Lang = lang.value
    wanted = status_option(status or [], language)
    review = open_review(path, targets, period, language)
    catalogue, year = review.targets, review.year
    target = output or Path(f"report-{year.latest.period}.html")
    page = report_html(
        year,
        catalogue,
        language,
        __version__,
        evaluations=select(year.latest.evaluations, None, wanted),
        statuses=wanted,
        show_all=all_rows,
        generated=date.today(),
    )
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
    finish(report.problems, language)
