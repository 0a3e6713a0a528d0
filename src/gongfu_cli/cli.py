"""The command line: parse options, run the pipeline, print, choose the exit code.

This is the only module that prints or exits. Exit codes, for every command:
0 success; 1 the data has errors (or --fail-on matched; for submissions, a
due indicator is missing); 2 could not run (missing path, bad option, broken
targets file, output not written); 130 interrupted (Ctrl-C). Output cut short
by a closed pipe (``| head``) ends the run quietly, as for any Unix tool.
"""

from __future__ import annotations

import os
import signal
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .problems import GongfuError, Lang, Problem, errors_in

# Problems that mean "could not run" (exit 2) rather than "the data is bad" (exit 1).
RUN_FAILURES = frozenset(
    {
        "file-not-found",
        "no-actuals-file",
        "no-period",
        "targets-not-found",
        "targets-unreadable",
        "targets-yaml-error",
        "targets-unsafe-tag",
        "targets-invalid",
        "unwritable-file",
        "bad-option",
    }
)

app = typer.Typer(
    name="gongfu",
    help=(
        "嵊泗县共同富裕2025年行动方案指标晾晒工具。\n\n"
        "Checks monthly figures against the plan's targets.\n\n"
        "示例 / example:  gongfu check data/actuals/2025-06.csv"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


class CheckFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    text = "text"
    json = "json"
    csv = "csv"


class LangOption(str, Enum):
    zh = "zh"
    en = "en"


class FailOn(str, Enum):
    never = "never"
    red = "red"
    yellow = "yellow"
    suspect = "suspect"


class _State:
    debug = False
    # the path of a --format json run: a refused option then still answers in JSON
    json_for: Path | None = None


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"gongfu {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a Python traceback on an internal error.")
    ] = False,
) -> None:
    _State.debug = debug
    _State.json_for = None  # each command says whether it answers in JSON


# Options shared by several commands, defined once.
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="File to write. Default: named for the period, in this folder.",
        readable=False,
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite the output file if it exists.")
]
TargetsOption = Annotated[
    Path | None,
    typer.Option(
        "--targets",
        help="targets.yaml to use. Default: ./data/targets.yaml if present, else the bundled one.",
        readable=False,  # gongfu says what is wrong with a path, in Chinese, with a code
    ),
]
LangOpt = Annotated[
    LangOption, typer.Option("--lang", help="Output language: zh (中文, default) or en.")
]
ReviewFormat = Annotated[
    CheckFormat, typer.Option("--format", "-f", help="table, markdown, text, json or csv.")
]
MonthlyPath = Annotated[
    Path,
    typer.Argument(
        help="A monthly file (YYYY-MM.csv/.xlsx), or a folder of them: the latest month is "
        "reviewed, the earlier months of its year give 较上月 and the trend.",
        readable=False,
    ),
]
PeriodOption = Annotated[
    str | None,
    typer.Option("--period", help="Reporting period YYYY-MM; overrides the file name."),
]


# ---------------------------------------------------------------------------
# Printing problems


def _stderr():
    from rich.console import Console

    # emoji=False: a name like ":thumbs_up:" is text, as markup=False makes "[bold]" text
    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def print_problems(problems: list[Problem], lang: Lang, limit: int | None = None) -> None:
    from .render import listed, more_problems_text, problem_text

    console = _stderr()
    shown, hidden = listed(problems, limit)
    for problem in shown:
        style = "red" if problem.severity == "error" else "yellow"
        console.print(problem_text(problem, lang), style=style, markup=False)
    if hidden > 0:
        console.print(more_problems_text(hidden, lang), markup=False)


def fail(problems: list[Problem], lang: Lang, json_for: Path | None = None) -> typer.Exit:
    """Report problems that stop a command; exit 2 if it could not run, else 1.

    With `json_for` (a --format json run) the problems also go to stdout as the
    JSON document scripts expect, whatever the failure.
    """
    if json_for is not None:
        _print_failed_json(json_for, problems, lang)
    print_problems(problems, lang)
    code = 2 if any(p.code in RUN_FAILURES for p in problems) else 1
    return typer.Exit(code)


def _bad_option(message: str) -> typer.Exit:
    from .text import safe_text  # the message echoes what the user typed

    if _State.json_for is not None:
        problem = Problem("bad-option", params={"message": message})
        _print_failed_json(_State.json_for, [problem], "zh")
    _stderr().print(safe_text(message), style="red", markup=False)
    return typer.Exit(2)


def _parse_period(text: str | None, lang: Lang, what: str = "--period"):
    """A month the user typed (--period, or template's month), or exit 2 saying so."""
    from .periods import parse_period

    if text is None:
        return None
    period = parse_period(text)
    if period is None:
        gap = " " if what.startswith("-") else ""  # --period 应为 …, 月份应为 …
        raise _bad_option(
            f"{what}{gap}应为 YYYY-MM 格式，如 2025-06（收到“{text}”）"
            if lang == "zh"
            else f"{what} must be YYYY-MM, e.g. 2025-06 (got '{text}')"
        )
    return period


def _load_targets(path: Path | None):
    from .targets import load_targets, locate_targets, targets_unreadable

    try:
        located = locate_targets(path)
        if path is not None:
            os.stat(path)  # a path the system refuses is said as such, not as bad YAML
    except FileNotFoundError:
        pass  # load_targets says targets-not-found
    except OSError as exc:
        raise GongfuError([targets_unreadable(path or Path("data", "targets.yaml"), exc)]) from None
    return load_targets(located), str(located)


def _load_year(path: Path, targets: Path | None, period):
    """Targets, then the month under review with its earlier months (GongfuError if not)."""
    from .history import evaluate_year

    catalogue, targets_file = _load_targets(targets)
    return catalogue, evaluate_year(path, catalogue, targets_file, period)


def _find_indicator(catalogue, name: str, lang: Lang):
    """--indicator ID or name → the Indicator, or exit 2."""
    from .targets import normalise

    found = catalogue.by_id.get(name) or catalogue.by_name.get(normalise(name))
    if found is None:
        raise _bad_option(
            f"--indicator 找不到指标“{name}”（gongfu targets 可列出全部指标）"
            if lang == "zh"
            else f"--indicator: no indicator '{name}' (gongfu targets lists them)"
        )
    return found


def _resolve_owner(name: str | None, evaluations, lang: Lang) -> str | None:
    """--owner NAME → one unit's exact name, or exit 2 saying why not."""
    from .scoreboard import all_owners

    if name is None:
        return None
    return _match_unit(name, all_owners(evaluations), lang)


def _match_unit(name: str, units, lang: Lang) -> str:
    """--owner NAME among `units` (owners.match_owner), or exit 2 naming the candidates."""
    from .owners import OwnerAmbiguous, OwnerNotFound, match_owner

    try:
        return match_owner(name, units)
    except OwnerAmbiguous as exc:
        units = "、".join(exc.candidates)
        raise _bad_option(
            f"--owner “{name}”可指多个责任单位：{units}；请写全称"
            if lang == "zh"
            else f"--owner '{name}' could be any of: {units}; give the full name"
        ) from None
    except OwnerNotFound as exc:
        hint = "、".join(exc.suggestions)
        raise _bad_option(
            f"--owner 找不到责任单位“{name}”" + (f"；是否指：{hint}" if hint else "")
            if lang == "zh"
            else f"--owner: no unit named '{name}'" + (f"; did you mean: {hint}" if hint else "")
        ) from None


_NOT_A_FILE = {
    "folder": ("是一个目录", "is a directory"),
    "link": ("是一个符号链接", "is a symbolic link"),
    "device": ("是一个设备", "is a device"),
    "pipe": ("是一个管道", "is a pipe"),
    "socket": ("是一个套接字", "is a socket"),
    "special": ("不是普通文件", "is not a regular file"),
}


def _write_output(target: Path, data: bytes, force: bool, lang: Lang) -> None:
    """Write atomically; refuse to replace an existing file without --force, or anything
    that is not a regular file even with it (exit 2)."""
    from .output import OutputExists, OutputNotAFile, write_atomically
    from .problems import access_problem

    try:
        write_atomically(target, data, force=force)
    except OutputExists:
        raise _bad_option(
            f"{target} 已存在；如需覆盖请加 --force"
            if lang == "zh"
            else f"{target} exists; add --force to overwrite it"
        ) from None
    except OutputNotAFile as exc:
        zh, en = _NOT_A_FILE[exc.kind]
        raise _bad_option(
            f"{target} {zh}，不能写入或覆盖；请用 -o 指定一个文件名"
            if lang == "zh"
            else f"{target} {en}, not a file; it is never written over. Name a file with -o"
        ) from None
    except OSError as exc:
        reason = access_problem(target, exc)
        if reason.code == "file-not-found":  # a folder on the way is a file, or vanished
            reason.params = {"reason_zh": "路径中有不存在的目录", "reason_en": "no such folder"}
        problem = Problem("unwritable-file", file=reason.file, params=reason.params)
        raise fail([problem], lang) from None


def _wrote(message: str) -> None:
    """The line saying which file was written (its name is the user's text)."""
    from .text import safe_text

    _stderr().print(safe_text(message), markup=False)


def _stdout_console():
    from rich.console import Console

    console = Console(highlight=False, emoji=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Piped into a file or a briefing: no colour codes, and wide enough
        # that rows do not wrap (rich measures CJK as double width).
        console = Console(highlight=False, width=200, no_color=True, emoji=False)
    return console


# ---------------------------------------------------------------------------
# gongfu check


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
) -> None:
    """Check a month's figures against the targets: traffic lights, completion, owners.

    示例: gongfu check data/actuals/2025-06.csv --owner 住建局 --status 红
    """
    from .evaluate import Light, Status, parse_status_filter, select

    language: Lang = lang.value
    _State.json_for = path if format == CheckFormat.json else None
    try:
        wanted = parse_status_filter(status or [])
    except ValueError as exc:
        raise _bad_option(
            f"--status 无法识别“{exc.args[0]}”：可用 red/yellow/green/grey、红/黄/绿/灰 或状态名"
            if language == "zh"
            else f"--status: unknown '{exc.args[0]}'; use red/yellow/green/grey or a status"
        ) from None
    chosen_period = _parse_period(period, language)
    try:
        catalogue, year = _load_year(path, targets, chosen_period)
    except GongfuError as exc:
        raise fail(exc.problems, language, path if format == CheckFormat.json else None) from None

    report = year.latest
    unit = _resolve_owner(owner, report.evaluations, language)
    evaluations = select(report.evaluations, unit, wanted)
    plan = _plan_name(catalogue, language)
    _print_report(report, evaluations, format, language, plan, unit, wide)
    if format != CheckFormat.json:
        print_problems(report.problems, language, limit=20)

    failing = {FailOn.red: {Light.red}, FailOn.yellow: {Light.red, Light.yellow}}
    triggered = any(e.light in failing.get(fail_on, set()) for e in evaluations)
    triggered |= fail_on == FailOn.suspect and any(e.status == Status.suspect for e in evaluations)
    if errors_in(report.problems) or triggered:
        raise typer.Exit(1)


def _print_report(
    report,
    evaluations,
    format: CheckFormat,
    lang: Lang,
    plan: str,
    owner: str | None,
    wide: bool = False,
) -> None:
    from . import render

    if format == CheckFormat.table:
        table = render.render_table(report, evaluations, lang, plan, wide=wide)
        _stdout_console().print(table, crop=not wide)  # --wide: the terminal wraps
    elif format == CheckFormat.markdown:
        sys.stdout.write(render.render_markdown(report, evaluations, lang, plan))
    elif format == CheckFormat.text:
        from .render_brief import brief

        sys.stdout.write(brief(report, evaluations, lang, plan, owner))
    elif format == CheckFormat.json:
        sys.stdout.write(render.render_json(report, evaluations, lang))
    else:
        sys.stdout.write(render.render_csv(report, evaluations, lang))


def _print_failed_json(path: Path, problems: list[Problem], lang: Lang) -> None:
    """A file that could not be read still gets a JSON answer, for scripts."""
    from .render import json_text, problems_dicts

    document: dict[str, object] = {
        "period": None,
        "previous_period": None,
        "file": str(path),
        "summary": {},
        "indicators": [],
        **problems_dicts(problems, lang),
    }
    sys.stdout.write(json_text(document))


def _plan_name(catalogue, lang: Lang) -> str:
    return catalogue.plan if lang == "zh" else (catalogue.plan_en or catalogue.plan)


def _review(path: Path, targets: Path | None, period: str | None, lang: Lang, json: bool = False):
    """The month under review, with history, for commands other than check; failures exit
    (with the JSON failure document on stdout when `json`)."""
    _State.json_for = path if json else None
    chosen_period = _parse_period(period, lang)
    try:
        return _load_year(path, targets, chosen_period)
    except GongfuError as exc:
        raise fail(exc.problems, lang, path if json else None) from None


# ---------------------------------------------------------------------------
# gongfu brief


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
    check(
        path,
        targets=targets,
        format=CheckFormat.text,
        lang=lang,
        owner=owner,
        status=None,
        fail_on=FailOn.never,
        period=period,
    )


# ---------------------------------------------------------------------------
# gongfu trend


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
    from . import render_trend

    language: Lang = lang.value
    catalogue, year = _review(path, targets, period, language, format == TrendFormat.json)
    chosen = None if indicator is None else _find_indicator(catalogue, indicator, language)
    plan = _plan_name(catalogue, language)
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
        _stdout_console().print(
            render_trend.indicator_table(year, chosen, language)
            if chosen
            else render_trend.trend_table(year, language, plan)
        )
    print_problems(year.latest.problems, language, limit=20)
    if errors_in(year.latest.problems):
        raise typer.Exit(1)


# ---------------------------------------------------------------------------
# gongfu report


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
    from . import __version__
    from .render_html import report_html

    language: Lang = lang.value
    catalogue, year = _review(path, targets, period, language)
    target = output or Path(f"report-{year.latest.period}.html")
    page = report_html(year, catalogue, language, __version__)
    _write_output(target, page.encode("utf-8"), force, language)
    print_problems(year.latest.problems, language, limit=20)
    _wrote(f"已生成 {target}" if language == "zh" else f"Wrote {target}")
    if errors_in(year.latest.problems):
        raise typer.Exit(1)


# ---------------------------------------------------------------------------
# gongfu owners


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
    from . import render_owners
    from .scoreboard import scoreboard

    language: Lang = lang.value
    catalogue, year = _review(path, targets, period, language, format == CheckFormat.json)
    report = year.latest
    scores = scoreboard(report.evaluations)
    plan = _plan_name(catalogue, language)
    if format == CheckFormat.table:
        _stdout_console().print(render_owners.owners_table(report, scores, language, plan))
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


# ---------------------------------------------------------------------------
# gongfu submissions


class SubmissionsFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    json = "json"
    csv = "csv"


@app.command()
def submissions(
    path: Annotated[
        Path,
        typer.Argument(
            help="A folder of monthly files (its latest month, or --period), a month's "
            "folder (2025-06/), or one monthly file.",
            readable=False,
        ),
    ],
    targets: TargetsOption = None,
    format: Annotated[
        SubmissionsFormat, typer.Option("--format", "-f", help="table, markdown, json or csv.")
    ] = SubmissionsFormat.table,
    lang: LangOpt = LangOption.zh,
    period: Annotated[
        str | None, typer.Option("--period", help="The month to list, YYYY-MM.")
    ] = None,
) -> None:
    """Who has sent what (报送情况, 催报): each unit's due indicators, arrived and missing.

    Exit 0 when every indicator due this month has arrived, 1 when some are
    missing (for CI), 2 when it cannot run.

    示例: gongfu submissions data/actuals/ --period 2025-06
    """
    from . import render_submissions as render
    from .submissions import submissions as chase_up

    language: Lang = lang.value
    chosen_period = _parse_period(period, language)
    try:
        catalogue, _ = _load_targets(targets)
        result = chase_up(path, catalogue, chosen_period)
    except GongfuError as exc:
        if format == SubmissionsFormat.json:
            sys.stdout.write(render.failed_json(exc.problems, language))
        print_problems(exc.problems, language)
        raise typer.Exit(2) from None
    plan = _plan_name(catalogue, language)
    if format == SubmissionsFormat.table:
        _stdout_console().print(render.submissions_table(result, language, plan))
    elif format == SubmissionsFormat.markdown:
        sys.stdout.write(render.submissions_markdown(result, language, plan))
    elif format == SubmissionsFormat.json:
        sys.stdout.write(render.submissions_json(result, language))
    else:
        sys.stdout.write(render.submissions_csv(result, language))
    if format != SubmissionsFormat.json:
        print_problems(result.problems, language, limit=20)
    if not result.complete:
        raise typer.Exit(1)


# ---------------------------------------------------------------------------
# gongfu validate


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


@app.command()
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Monthly files, or folders of YYYY-MM.csv / YYYY-MM.xlsx files.", readable=False
        ),
    ],
    targets: TargetsOption = None,
    format: Annotated[
        ValidateFormat,
        typer.Option("--format", "-f", help="text, json, or github (workflow annotations)."),
    ] = ValidateFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Count warnings as errors.")] = False,
    lang: LangOpt = LangOption.zh,
    period: Annotated[
        str | None,
        typer.Option("--period", help="Period YYYY-MM for files whose names carry none."),
    ] = None,
) -> None:
    """Check data files for CI without judging targets; exit 1 if any has errors.

    示例: gongfu validate data/actuals/ --format github
    """
    from . import render
    from .periods import Period
    from .validate import expand_paths, failed_validation, validate_files

    language: Lang = lang.value
    chosen_period = _parse_period(period, language)
    renderer = {
        ValidateFormat.text: render.render_validation_text,
        ValidateFormat.json: render.render_validation_json,
        ValidateFormat.github: render.render_validation_github,
    }[format]
    ignored: list[Problem] = []
    months: dict[Path, Period] = {}
    try:
        catalogue, _ = _load_targets(targets)
        files = expand_paths(paths, ignored, months)
        if not files:
            raise GongfuError(
                [Problem("no-actuals-file", file=str(p), params={"path": str(p)}) for p in paths]
                + ignored
            )
    except GongfuError as exc:
        if format != ValidateFormat.text:  # scripts and CI still get their JSON or annotations
            sys.stdout.write(renderer(failed_validation(exc.problems, strict), language))
        raise fail(exc.problems, language) from None
    report = validate_files(
        files, catalogue, strict=strict, period=chosen_period, ignored=ignored, periods=months
    )
    sys.stdout.write(renderer(report, language))
    if not report.valid:
        raise typer.Exit(1)


# ---------------------------------------------------------------------------
# gongfu template


@app.command()
def template(
    period: Annotated[str, typer.Argument(help="The month to fill in, YYYY-MM.")],
    xlsx: Annotated[bool, typer.Option("--xlsx", help="Write an Excel workbook, not CSV.")] = False,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            help="Only this unit's indicators, its name pre-filled as 填报单位 "
            "(matched as in check --owner).",
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="Folder (or file) of earlier months: fills 上月累计 from last month's data.",
        ),
    ] = None,
    output: OutputOption = None,
    force: ForceOption = False,
    targets: TargetsOption = None,
    lang: LangOpt = LangOption.zh,
) -> None:
    """Write a file to fill in: one row per indicator reporting that month.

    示例: gongfu template 2025-07 --owner 民社局 --xlsx --from data/actuals/
    """
    from .template import (
        Template,
        default_name,
        previous_figures,
        previous_period,
        read_previous,
        template_csv,
        template_indicators,
        template_xlsx,
    )
    from .text import safe_text

    language: Lang = lang.value
    month = _parse_period(period, language, "月份" if language == "zh" else "The month")
    try:
        catalogue, _ = _load_targets(targets)
    except GongfuError as exc:
        raise fail(exc.problems, language) from None
    unit = _match_unit(owner, catalogue.owners, language) if owner is not None else None
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
    )
    target = output or default_name(month, unit, ".xlsx" if xlsx else ".csv")
    data = template_xlsx(sheet) if xlsx else template_csv(sheet)
    _write_output(target, data, force, language)
    count = len(sheet.indicators)
    _wrote(
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
        _stderr().print(
            ("注意：" + zh) if language == "zh" else ("Note: " + en),
            style="yellow",
            markup=False,
        )


# ---------------------------------------------------------------------------
# gongfu profile


@app.command()
def profile(
    path: Annotated[
        Path,
        typer.Argument(help="Last year's monthly files: a folder (or a file).", readable=False),
    ],
    indicator: Annotated[
        str, typer.Option("--indicator", "-i", help="The indicator's id or Chinese name.")
    ],
    targets: TargetsOption = None,
    lang: LangOpt = LangOption.zh,
) -> None:
    """Compute a seasonal profile from last year's files; prints YAML to paste into targets.yaml.

    示例: gongfu profile 2024年数据/ --indicator tourism_revenue
    """
    from .profile import profile_yaml, seasonal_profile

    language: Lang = lang.value
    try:
        catalogue, _ = _load_targets(targets)
    except GongfuError as exc:
        raise fail(exc.problems, language) from None
    chosen = _find_indicator(catalogue, indicator, language)
    try:
        result = seasonal_profile(path, catalogue, chosen)
    except GongfuError as exc:
        raise fail(exc.problems, language) from None
    print_problems(result.problems, language)
    sys.stdout.write(profile_yaml(result))


# ---------------------------------------------------------------------------
# gongfu targets, schema, codes


class TargetsFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


@app.command(name="targets")
def targets_command(
    targets: TargetsOption = None,
    format: Annotated[
        TargetsFormat, typer.Option("--format", "-f", help="table, json or markdown.")
    ] = TargetsFormat.table,
    lang: LangOpt = LangOption.zh,
) -> None:
    """Validate the targets file and list its catalogue; exit 1 if it is broken.

    示例: gongfu targets --targets data/targets.yaml --format markdown
    """
    from . import render_targets

    language: Lang = lang.value
    try:
        catalogue, _ = _load_targets(targets)
    except GongfuError as exc:
        if format == TargetsFormat.json:
            from .render import json_text, problems_dicts

            document = {"valid": False, **problems_dicts(exc.problems, language)}
            sys.stdout.write(json_text(document))
        print_problems(exc.problems, language)
        missing = any(p.code in ("targets-not-found", "targets-unreadable") for p in exc.problems)
        raise typer.Exit(2 if missing else 1) from None
    if format == TargetsFormat.table:
        _stdout_console().print(render_targets.targets_table(catalogue, language))
    elif format == TargetsFormat.json:
        sys.stdout.write(render_targets.targets_json(catalogue))
    else:
        sys.stdout.write(render_targets.targets_markdown(catalogue, language))


@app.command()
def schema() -> None:
    """Print the JSON Schema of targets.yaml, for editors and the YAML language server.

    示例: gongfu schema > targets.schema.json
    """
    from .render import json_text
    from .targets import targets_schema

    sys.stdout.write(json_text(targets_schema()))


@app.command()
def codes(lang: LangOpt = LangOption.zh) -> None:
    """Print the catalogue of problem codes as a Markdown table (the README's table).

    示例: gongfu codes --lang en
    """
    from .problems import codes_markdown

    sys.stdout.write(codes_markdown(lang.value))


# ---------------------------------------------------------------------------
# entry point


def main() -> None:
    """Console-script entry point: no traceback reaches the user unless --debug."""
    # gongfu uses no pydantic plugins; looking for them scans every installed
    # package's metadata (~30 ms, a tenth of a run). A plugin a user really
    # wants can still be enabled by setting the variable explicitly.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if hasattr(signal, "SIGPIPE"):
        # `gongfu check … | head`: when the reader goes away, end at once and
        # quietly, as cat and grep do, instead of a BrokenPipeError.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        app(standalone_mode=True)
    except SystemExit as exc:
        if exc.code == 130:  # typer turns Ctrl-C into exit 130, silently
            _interrupted()
        raise
    except KeyboardInterrupt:
        _interrupted()
        sys.exit(130)
    except BrokenPipeError:  # where there is no SIGPIPE (Windows)
        _quiet_stdout()
        sys.exit(141)
    except Exception as exc:  # a bug in gongfu itself
        if _State.debug or "--debug" in sys.argv:
            raise
        from .text import safe_text as _safe

        sys.stderr.write(
            f"gongfu: 内部错误 / internal error: {type(exc).__name__}: {_safe(str(exc))}\n"
            "请加 --debug 重新运行并报告此问题 / rerun with --debug and report it.\n"
        )
        sys.exit(2)


def _interrupted() -> None:
    try:
        sys.stderr.write("\ngongfu: 已中断 / interrupted\n")
        sys.stderr.flush()
    except OSError:
        pass


def _quiet_stdout() -> None:
    """Point stdout at the null device so Python's final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
