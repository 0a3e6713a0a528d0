"""The commands about data files: validate (the CI gate), submissions (催报),
template (the form to fill in) and profile (seasonal shares).
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from gongfu_cli.cli.root import (
    ForceOption,
    LangOpt,
    LangOption,
    OutputOption,
    TableFormat,
    TableFormatOption,
    TargetsOption,
    app,
    fail,
    find_indicator,
    load_catalogue,
    match_unit,
    period_option,
    plan_name,
    print_problems,
    stderr,
    stdout_console,
    write_output,
    wrote,
)
from gongfu_cli.model.problems import GongfuError, Lang


@app.command()
def submissions(
    path: Annotated[
        Path,
        typer.Argument(
            metavar="路径",
            help="存放月报的文件夹（看最新的月份，或 --period 指定的月份）、"
            "某个月的文件夹（如 2025-06/），或一个月报文件\n"
            "A folder of monthly files (its latest month, or --period), a month's "
            "folder (2025-06/), or one monthly file",
            readable=False,
        ),
    ],
    targets: TargetsOption = None,
    format: TableFormatOption = TableFormat.table,
    lang: LangOpt = LangOption.zh,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="YYYY-MM",
            help="要列出的月份（年-月）；默认为最新的月份\nThe month to list; default: the latest",
        ),
    ] = None,
) -> None:
    """报送情况（催报清单）：各单位本月应报的指标，哪些已报、哪些未报。

    Who has sent what (报送情况, 催报): each unit's due indicators, arrived and missing.

    退出码：本月应报的指标都已报送为 0，仍有未报为 1（供 CI 使用），无法运行为 2。

    Exit 0 when every indicator due this month has arrived, 1 when some are
    missing (for CI), 2 when it cannot run.

    示例 / Examples:
      gongfu submissions data/actuals/
      gongfu submissions data/actuals/ --period 2025-06 --format markdown
    """
    from gongfu_cli.judge.submissions import submissions as chase_up
    from gongfu_cli.render import submissions as render

    language: Lang = lang.value
    chosen_period = period_option(period, language)
    try:
        catalogue = load_catalogue(targets)
        result = chase_up(path, catalogue, chosen_period)
    except GongfuError as exc:
        if format == TableFormat.json:
            sys.stdout.write(render.failed_json(exc.problems, language))
        print_problems(exc.problems, language)
        raise typer.Exit(2) from None
    plan = plan_name(catalogue, language)
    if format == TableFormat.table:
        stdout_console().print(render.submissions_table(result, language, plan))
    elif format == TableFormat.markdown:
        sys.stdout.write(render.submissions_markdown(result, language, plan))
    elif format == TableFormat.json:
        sys.stdout.write(render.submissions_json(result, language))
    else:
        sys.stdout.write(render.submissions_csv(result, language))
    if format != TableFormat.json:
        print_problems(result.problems, language, limit=20)
    if not result.complete:
        raise typer.Exit(1)


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


@app.command()
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="路径",
            help="月报文件，或存放 YYYY-MM.csv、YYYY-MM.xlsx 的文件夹；可给多个\n"
            "Monthly files, or folders of YYYY-MM.csv / YYYY-MM.xlsx files",
            readable=False,
        ),
    ],
    targets: TargetsOption = None,
    format: Annotated[
        ValidateFormat,
        typer.Option(
            "--format",
            "-f",
            metavar="格式",
            help="输出格式：text 文字、json，或 github（GitHub 工作流的标注）\n"
            "Output format: text, json, or github (workflow annotations)",
        ),
    ] = ValidateFormat.text,
    strict: Annotated[
        bool, typer.Option("--strict", help="把警告也算作错误\nCount warnings as errors")
    ] = False,
    lang: LangOpt = LangOption.zh,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="YYYY-MM",
            help="文件名中没有年月时使用的报告期（年-月）\n"
            "The period of files whose names carry none",
        ),
    ] = None,
) -> None:
    """只检查数据文件本身、不评判目标完成情况，供 CI 使用；有错误时退出码为 1。

    Check data files for CI without judging targets; exit 1 if any has errors.

    示例 / Examples:
      gongfu validate data/actuals/
      gongfu validate data/actuals/2025-06.csv --strict
      gongfu validate data/actuals/ --format github
    """
    from gongfu_cli import api
    from gongfu_cli.judge.validate import failed_validation
    from gongfu_cli.render import table as render
    from gongfu_cli.render.json import json_text

    language: Lang = lang.value
    chosen_period = period_option(period, language)
    renderer = {
        ValidateFormat.text: render.render_validation_text,
        ValidateFormat.json: lambda report, _: json_text(report.to_dict()),
        ValidateFormat.github: render.render_validation_github,
    }[format]
    try:
        report = api.validate(paths, targets, strict=strict, period=chosen_period)
    except GongfuError as exc:
        if format != ValidateFormat.text:  # scripts and CI still get their JSON or annotations
            sys.stdout.write(renderer(failed_validation(exc.problems, strict), language))
        raise fail(exc.problems, language) from None
    sys.stdout.write(renderer(report, language))
    if not report.valid:
        raise typer.Exit(1)


@app.command()
def template(
    period: Annotated[
        str,
        typer.Argument(
            metavar="YYYY-MM", help="要填报的月份（年-月）\nThe month to fill in, YYYY-MM"
        ),
    ],
    xlsx: Annotated[
        bool,
        typer.Option(
            "--xlsx",
            help="生成 Excel 工作簿（.xlsx），而不是 CSV\nWrite an Excel workbook, not CSV",
        ),
    ] = False,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="单位",
            help="只列该单位负责的指标，并预填“填报单位”（写法同 check --owner）\n"
            "Only this unit's indicators, its name pre-filled as 填报单位 "
            "(matched as in check --owner)",
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="路径",
            help="此前各月数据所在的文件夹（或文件）：用上月数据预填“上月累计”\n"
            "Folder (or file) of earlier months: fills 上月累计 from last month's data",
        ),
    ] = None,
    output: OutputOption = None,
    force: ForceOption = False,
    targets: TargetsOption = None,
    lang: LangOpt = LangOption.zh,
) -> None:
    """生成待填写的报表：该月需要报送的每个指标一行。

    Write a file to fill in: one row per indicator reporting that month.

    示例 / Examples:
      gongfu template 2025-07
      gongfu template 2025-07 --owner 民社局 --xlsx --from data/actuals/
    """
    from gongfu_cli.model.text import safe_text
    from gongfu_cli.write.template import (
        Template,
        default_name,
        previous_figures,
        previous_period,
        read_previous,
        template_csv,
        template_indicators,
        template_xlsx,
    )

    language: Lang = lang.value
    month = period_option(period, language, "月份" if language == "zh" else "The month")
    assert month is not None  # the argument is required, so never None here
    try:
        catalogue = load_catalogue(targets)
    except GongfuError as exc:
        raise fail(exc.problems, language) from None
    unit = match_unit(owner, catalogue.owners, language) if owner is not None else None
    before = None
    if previous is not None:
        try:
            before = read_previous(previous, catalogue, month)
        except GongfuError as exc:
            raise fail(exc.problems, language) from None
    sheet = Template(
        period=month,
        indicators=template_indicators(catalogue, month, unit),
        sender=unit or "",
        previous=previous_figures(before, catalogue),
        plan=catalogue.plan,
        county=catalogue.county,
    )
    target = output or default_name(month, unit, ".xlsx" if xlsx else ".csv")
    data = template_xlsx(sheet) if xlsx else template_csv(sheet)
    write_output(target, data, force, language)
    count = len(sheet.indicators)
    wrote(
        f"已生成 {target}（{unit + '，' if unit else ''}{count} 个指标）"
        if language == "zh"
        else f"Wrote {target} ({unit + ', ' if unit else ''}{count} indicators)"
    )
    notes: list[tuple[str, str]] = []
    if unit is not None and not count:
        notes.append(
            (
                f"{unit} 在 {month} 没有需要报送的指标，模板只有表头",
                f"{unit} has no indicator reporting in {month}; the template has only its header",
            )
        )
    last = previous_period(month)
    if previous is not None and last is not None and before is None:
        notes.append(
            (
                f"{safe_text(str(previous))} 中没有可读取的 {last} 数据，“上月累计”列留空",
                f"{safe_text(str(previous))} holds no readable data for {last}; "
                "上月累计 is left blank",
            )
        )
    if month.year != catalogue.year:
        # Written all the same: the rows are the catalogue's, and a new year's
        # targets file may follow. But filled in, it fails check as period-mismatch.
        notes.append(
            (
                f"{month} 不在目标文件的年度（{catalogue.year} 年）内，按此模板填报的数据"
                f"将无法通过 check/validate（period-mismatch）；请确认月份，或用 --targets "
                f"指定 {month.year} 年的目标文件",
                f"{month} is not in the targets' year ({catalogue.year}); figures "
                f"filled in will fail check/validate (period-mismatch). Check the month, or "
                f"pass --targets for {month.year}",
            )
        )
    for zh, en in notes:
        stderr().print(
            ("注意：" + zh) if language == "zh" else ("Note: " + en),
            style="yellow",
            markup=False,
        )


@app.command()
def profile(
    path: Annotated[
        Path,
        typer.Argument(
            metavar="路径",
            help="上一年的月报：一个文件夹（或一个文件）\n"
            "Last year's monthly files: a folder (or a file)",
            readable=False,
        ),
    ],
    indicator: Annotated[
        str,
        typer.Option(
            "--indicator",
            "-i",
            metavar="指标",
            help="指标ID或中文名称\nThe indicator's id or Chinese name",
        ),
    ],
    targets: TargetsOption = None,
    lang: LangOpt = LangOption.zh,
) -> None:
    """根据上一年的月报计算季节性分布，输出可粘贴进 targets.yaml 的 YAML。

    Compute a seasonal profile from last year's files; prints YAML to paste into targets.yaml.

    示例 / Examples:
      gongfu profile 2024年数据/ --indicator tourism_revenue
    """
    from gongfu_cli.judge.profile import profile_yaml, seasonal_profile

    language: Lang = lang.value
    try:
        catalogue = load_catalogue(targets)
    except GongfuError as exc:
        raise fail(exc.problems, language) from None
    chosen = find_indicator(catalogue, indicator, language)
    try:
        result = seasonal_profile(path, catalogue, chosen)
    except GongfuError as exc:
        raise fail(exc.problems, language) from None
    print_problems(result.problems, language)
    sys.stdout.write(profile_yaml(result))
