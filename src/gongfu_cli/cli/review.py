"""The commands that review a month: check, brief, trend, report, owners."""

from __future__ import annotations

import sys
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
    TableFormat,
    TableFormatOption,
    TargetsOption,
    app,
    deliver,
    fail,
    find_indicator,
    finish,
    period_option,
    plan_name,
    print_problems,
    resolve_owner,
    status_option,
    stdout_console,
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
            metavar="单位",
            help="只看该单位负责的指标：写全称，或不会混淆的开头部分（如 住建局 即 县住建局）\n"
            "Only indicators this unit owns: its full name or an unambiguous start "
            "(住建局 for 县住建局)",
        ),
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            metavar="状态",
            help="只看这些亮灯或状态：红、黄、绿、灰，滞后、已完成等，"
            "也可写 red、yellow、green、grey、off_track、met；可重复，或用逗号分隔\n"
            "Only these lights or statuses: red, yellow, green, grey, met, off_track, "
            "红, 滞后 … (repeat or comma-separate)",
        ),
    ] = None,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            metavar="条件",
            help="出现这种指标时退出码为 1，供脚本和 CI 使用：red 红灯，yellow 黄灯或红灯，"
            "suspect 数据存疑，never 从不\n"
            "Exit 1 if any indicator is red (yellow: yellow or red; suspect: 数据存疑); "
            "never: never",
        ),
    ] = FailOn.never,
    period: PeriodOption = None,
    wide: Annotated[
        bool,
        typer.Option(
            "--wide",
            help="表格各列按全宽显示，窗口较窄时由终端折行（默认按窗口宽度收起部分列，"
            "并用一行灰字说明收起了哪些）\n"
            "Table: every column at full width, even where the terminal is narrower "
            "(by default columns fold to fit, and a dim line says which)",
        ),
    ] = False,
    final: Annotated[
        bool,
        typer.Option(
            "--final",
            help="年度考核结果：以12月为准，计入各修订文件和年报文件（如 2025-年报.csv），"
            "逐项给出达标或未达标；仍有待发布或未报送的数据时退出码为 1\n"
            "The year's result (年度考核结果): December with every revision and year-end "
            "file (2025-年报.csv), each target met or missed; exit 1 while a figure is "
            "still awaited or missing",
        ),
    ] = False,
) -> None:
    """对照年度目标检查一个月的数据：亮灯、完成率与序时进度、责任单位。

    Check a month's figures against the targets: traffic lights, completion, owners.

    示例 / Examples:
      gongfu check data/actuals/2025-06.csv
      gongfu check data/actuals/ --owner 住建局 --status 红
      gongfu check data/actuals/ --format json > 2025-06.json
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
        str | None,
        typer.Option(
            "--owner",
            metavar="单位",
            help="只看该单位负责的指标，写法同 check\nOnly this unit's indicators, as in check",
        ),
    ] = None,
    period: PeriodOption = None,
) -> None:
    """生成可直接粘贴进简报的文字，与 check --format text 相同。

    A paragraph to paste into a briefing (简报); the same as check --format text.

    示例 / Examples:
      gongfu brief data/actuals/ > 简报-2025-06.txt
      gongfu brief data/actuals/ --owner 民社局
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


@app.command()
def trend(
    path: MonthlyPath,
    indicator: Annotated[
        str | None,
        typer.Option(
            "--indicator",
            "-i",
            metavar="指标",
            help="只看一个指标的逐月情况（指标ID或名称）\n"
            "One indicator, month by month (id or name)",
        ),
    ] = None,
    targets: TargetsOption = None,
    format: TableFormatOption = TableFormat.table,
    lang: LangOpt = LangOption.zh,
    period: PeriodOption = None,
) -> None:
    """全年逐月走势：每月的亮灯、完成率对比序时进度，以及迷你走势图。

    The year month by month: lights, completion against 序时进度, and a sparkline.

    示例 / Examples:
      gongfu trend data/actuals/
      gongfu trend data/actuals/ --indicator tourism_revenue
    """
    from gongfu_cli.render import trend as render_trend

    language: Lang = lang.value
    review = open_review(path, targets, period, language, format == TableFormat.json)
    catalogue, year = review.targets, review.year
    chosen = None if indicator is None else find_indicator(catalogue, indicator, language)
    plan = plan_name(catalogue, language)
    if format == TableFormat.json:
        sys.stdout.write(render_trend.trend_json(year, language, chosen))
    elif format == TableFormat.csv:
        sys.stdout.write(render_trend.trend_csv(year, language, chosen))
    elif format == TableFormat.markdown:
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
            help="本期不报、进行中的事项也列入各表（默认在报告末尾简要列出）\n"
            "Show indicators not due or still in progress in the tables (by default "
            "they are listed in a short section near the end)",
        ),
    ] = False,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            metavar="状态",
            help="表中只列这些亮灯或状态，写法同 check：红、黄、绿、灰，滞后、已完成等；"
            "可重复，或用逗号分隔\n"
            "Only these lights or statuses in the tables, as in check: red, yellow, "
            "green, grey, met, off_track, 红, 滞后 … (repeat or comma-separate)",
        ),
    ] = None,
) -> None:
    """生成一个 HTML 晾晒报告（简报段落、亮灯、图表、责任单位、节点目标），可直接用 A4 打印。

    Write a self-contained HTML report (briefing, lights, charts, owners, milestones) to
    print on A4.

    示例 / Examples:
      gongfu report data/actuals/
      gongfu report data/actuals/ -o 晾晒报告-2025-06.html --force
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
    deliver(target, page.encode("utf-8"), force, year.latest.problems, language, "已生成")


@app.command()
def owners(
    path: MonthlyPath,
    targets: TargetsOption = None,
    format: ReviewFormat = CheckFormat.table,
    lang: LangOpt = LangOption.zh,
    period: PeriodOption = None,
) -> None:
    """责任单位赛马晾晒：各单位所负责指标的亮灯情况，落后多的排在前面。

    The owners' scoreboard (赛马晾晒): each responsible unit's lights, most behind first.

    示例 / Examples:
      gongfu owners data/actuals/
      gongfu owners data/actuals/ --format text
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
