"""The command line: parse options, run the pipeline, print, choose the exit code.

This is the only module that prints or exits. Exit codes, for every command:
0 success; 1 the data has errors (or --fail-on matched); 2 could not run
(missing path, bad option, broken targets file).
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .problems import GongfuError, Lang, Problem, errors_in

# Problems that mean "could not run" (exit 2) rather than "the data is bad" (exit 1).
RUN_FAILURES = frozenset(
    {
        "file-not-found",
        "no-actuals-file",
        "no-period",
        "targets-not-found",
        "targets-yaml-error",
        "targets-unsafe-tag",
        "targets-invalid",
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


class _State:
    debug = False


def _version(value: bool) -> None:
    if value:
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


# Options shared by several commands, defined once.
TargetsOption = Annotated[
    Path | None,
    typer.Option(
        "--targets",
        help="targets.yaml to use. Default: ./data/targets.yaml if present, else the bundled one.",
        dir_okay=False,
    ),
]
LangOpt = Annotated[
    LangOption, typer.Option("--lang", help="Output language: zh (中文, default) or en.")
]
PeriodOption = Annotated[
    str | None,
    typer.Option("--period", help="Reporting period YYYY-MM; overrides the file name."),
]


# ---------------------------------------------------------------------------
# Printing problems


def _stderr():
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def problem_line(problem: Problem, lang: Lang) -> str:
    label = {"error": "错误", "warning": "警告"} if lang == "zh" else {}
    severity = label.get(problem.severity, problem.severity)
    where = problem.location()
    return f"{where}: {severity} [{problem.code}] {problem.message(lang)} — {problem.fix(lang)}"


def print_problems(problems: list[Problem], lang: Lang, limit: int | None = None) -> None:
    console = _stderr()
    shown = problems if limit is None else problems[:limit]
    for problem in shown:
        style = "red" if problem.severity == "error" else "yellow"
        console.print(problem_line(problem, lang), style=style, markup=False)
    hidden = len(problems) - len(shown)
    if hidden > 0:
        more = (
            f"……另有 {hidden} 个问题未列出（--format json 可查看全部）"
            if lang == "zh"
            else f"... and {hidden} more problems (--format json lists them all)"
        )
        console.print(more, markup=False)


def fail(problems: list[Problem], lang: Lang) -> typer.Exit:
    """Report problems that stop a command; exit 2 if it could not run, else 1."""
    print_problems(problems, lang)
    code = 2 if any(p.code in RUN_FAILURES for p in problems) else 1
    return typer.Exit(code)


def _bad_option(message: str) -> typer.Exit:
    _stderr().print(message, style="red", markup=False)
    return typer.Exit(2)


def _parse_period(text: str | None, lang: Lang):
    from .actuals import parse_period

    if text is None:
        return None
    period = parse_period(text)
    if period is None:
        raise _bad_option(
            f"--period 应为 YYYY-MM 格式，如 2025-06（收到“{text}”）"
            if lang == "zh"
            else f"--period must be YYYY-MM, e.g. 2025-06 (got '{text}')"
        )
    return period


def _load_targets(path: Path | None):
    from .targets import load_targets, locate_targets

    located = locate_targets(path)
    return load_targets(located), str(located)


def _resolve_monthly(path: Path) -> Path:
    """A file as given, or a folder's latest YYYY-MM file."""
    from .actuals import monthly_files

    if not path.exists():
        raise GongfuError([Problem("file-not-found", file=str(path), params={"path": str(path)})])
    if path.is_dir():
        files = monthly_files(path)
        if not files:
            raise GongfuError(
                [Problem("no-actuals-file", file=str(path), params={"path": str(path)})]
            )
        return files[-1]
    return path


def _stdout_console():
    from rich.console import Console

    console = Console(highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Piped into a file or a briefing: no colour codes, and wide enough
        # that rows do not wrap (rich measures CJK as double width).
        console = Console(highlight=False, width=160, no_color=True)
    return console


# ---------------------------------------------------------------------------
# gongfu check


@app.command()
def check(
    path: Annotated[
        Path, typer.Argument(help="A monthly file (YYYY-MM.csv/.xlsx) or a folder of them.")
    ],
    targets: TargetsOption = None,
    format: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="table, markdown, text, json or csv.")
    ] = CheckFormat.table,
    lang: LangOpt = LangOption.zh,
    owner: Annotated[
        str | None,
        typer.Option("--owner", help="Only indicators this unit owns (part of a name will do)."),
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
        typer.Option("--fail-on", help="Exit 1 if any indicator is red (or yellow or red)."),
    ] = FailOn.never,
    period: PeriodOption = None,
) -> None:
    """Check a month's figures against the targets: traffic lights, completion, owners.

    示例: gongfu check data/actuals/2025-06.csv --owner 住建局 --status 红
    """
    from .evaluate import Light, parse_status_filter, select

    language: Lang = lang.value
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
        catalogue, targets_file = _load_targets(targets)
        monthly = _resolve_monthly(path)
        report = _run_check(monthly, catalogue, targets_file, chosen_period)
    except GongfuError as exc:
        if format == CheckFormat.json and not any(p.code in RUN_FAILURES for p in exc.problems):
            _print_failed_json(path, exc.problems, language)
        raise fail(exc.problems, language) from None

    evaluations = select(report.evaluations, owner, wanted)
    plan = catalogue.plan if language == "zh" else (catalogue.plan_en or catalogue.plan)
    _print_report(report, evaluations, format, language, plan)
    if format != CheckFormat.json:
        print_problems(report.problems, language, limit=20)

    failing = {FailOn.red: {Light.red}, FailOn.yellow: {Light.red, Light.yellow}}
    triggered = any(e.light in failing.get(fail_on, set()) for e in evaluations)
    if errors_in(report.problems) or triggered:
        raise typer.Exit(1)


def _run_check(monthly: Path, catalogue, targets_file: str, period):
    from .actuals import read_actuals
    from .evaluate import evaluate

    actuals = read_actuals(monthly, catalogue, period)
    return evaluate(catalogue, actuals, targets_file)


def _print_report(report, evaluations, format: CheckFormat, lang: Lang, plan: str) -> None:
    from . import render

    if format == CheckFormat.table:
        _stdout_console().print(render.render_table(report, evaluations, lang, plan))
    elif format == CheckFormat.markdown:
        sys.stdout.write(render.render_markdown(report, evaluations, lang, plan))
    elif format == CheckFormat.text:
        sys.stdout.write(render.render_text(report, evaluations, lang, plan))
    elif format == CheckFormat.json:
        sys.stdout.write(render.render_json(report, evaluations, lang))
    else:
        sys.stdout.write(render.render_csv(report, evaluations, lang))


def _print_failed_json(path: Path, problems: list[Problem], lang: Lang) -> None:
    """A file that could not be read still gets a JSON answer, for scripts."""
    import json

    from .render import problems_dicts

    document = {
        "period": None,
        "file": str(path),
        "summary": {},
        "indicators": [],
        **problems_dicts(problems, lang),
    }
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


# ---------------------------------------------------------------------------
# entry point


def main() -> None:
    """Console-script entry point: no traceback reaches the user unless --debug."""
    try:
        app(standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # a bug in gongfu itself
        if _State.debug or "--debug" in sys.argv:
            raise
        sys.stderr.write(
            f"gongfu: 内部错误 / internal error: {type(exc).__name__}: {exc}\n"
            "请加 --debug 重新运行并报告此问题 / rerun with --debug and report it.\n"
        )
        sys.exit(2)
