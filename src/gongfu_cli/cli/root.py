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
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer._click import exceptions as click_errors  # typer ships its own click

from gongfu_cli.cli.help import App, Group, UsageError, read_line, usage_problem
from gongfu_cli.model.problems import errors_in

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from rich.console import Console

    from gongfu_cli.model.period import Period
    from gongfu_cli.model.results import Evaluation, Status
    from gongfu_cli.model.targets import Indicator, Targets

from gongfu_cli.model.problems import Lang, Problem

# Problems that mean "could not run" (exit 2) rather than "the data is bad" (exit 1).
RUN_FAILURES = frozenset(
    {
        "file-not-found",
        "no-actuals-file",
        "month-not-in-folder",
        "no-period",
        "targets-not-found",
        "targets-unreadable",
        "targets-yaml-error",
        "targets-unsafe-tag",
        "targets-invalid",
        "unwritable-file",
        "bad-option",
        "usage-error",
    }
)


class GongfuApp(Group):
    """The app's policy for a command line it cannot follow (a missing argument, an
    unknown option, a value not among the choices): a usage-error problem, said in
    Chinese then English like any other problem, and exit 2; asked for --format
    json, the failure document still comes on stdout. click would say it in English
    (``Error: Missing argument 'path'.``), so its usage errors are caught here, the
    one place every run passes through (the console script and CliRunner alike).
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        typed = list(args) if args is not None else sys.argv[1:]
        try:
            result = super().main(
                args, prog_name, complete_var, False, windows_expand_args, **extra
            )
        except click_errors.NoArgsIsHelpError as exc:  # a bare `gongfu`: the help page
            if not standalone_mode:
                raise
            exc.show()
            result = exc.exit_code
        except UsageError as exc:
            if not standalone_mode:
                raise
            result = usage_failed(exc, typed)
        except click_errors.ClickException as exc:
            if not standalone_mode:
                raise
            exc.show()
            result = exc.exit_code
        except typer.Abort:
            if not standalone_mode:
                raise
            sys.stderr.write("gongfu: 已中止 / aborted\n")
            result = 1
        if not standalone_mode:
            return result
        # without standalone mode, click returns an exit's code instead of exiting
        sys.exit(result if isinstance(result, int) else 0)


app = App(
    name="gongfu",
    cls=GongfuApp,
    help=(
        "行动方案指标晾晒工具：对照目标文件中的方案目标，检查各单位每月报送的数据，"
        "给出亮灯、简报、报送情况和可打印的晾晒报告。\n\n"
        "Checks the monthly figures a county's action plan asks for against the plan's "
        "targets: traffic lights, briefings, who has reported, printable reports.\n\n"
        "{plan}\n\n"
        "每个命令的说明和示例：gongfu 命令 --help\n\n"
        "Each command's options and examples: gongfu COMMAND --help\n\n"
        "示例 / Examples:\n"
        "  gongfu check data/actuals/2025-06.csv\n"
        "  gongfu brief data/actuals/ > 简报-2025-06.txt\n"
        "  gongfu report data/actuals/ -o 晾晒报告-2025-06.html\n"
        "  gongfu validate data/actuals/ --format github"
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


class TableFormat(str, Enum):
    """The formats of trend and submissions: a table and three for other programs."""

    table = "table"
    markdown = "markdown"
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


class State:
    debug = False
    # the path of a --format json run: a refused option then still answers in JSON
    json_for: Path | None = None


def _version(value: bool) -> None:
    if value:
        from gongfu_cli import __version__

        typer.echo(f"gongfu {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="显示版本号\nShow the version",
        ),
    ] = None,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="遇到内部错误时显示 Python 调用栈（报告问题时附上）\n"
            "Show a Python traceback on an internal error (to report it)",
        ),
    ] = False,
) -> None:
    State.debug = debug
    State.json_for = None  # each command says whether it answers in JSON


# Options shared by several commands, defined once. Each help is 中文\nEnglish
# (cli/help.py lays them out); each metavar is a word a statistician reads.
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="文件",
        help="要写入的文件；默认以报告期命名，写在当前目录\n"
        "File to write. Default: named for the period, in this folder",
        readable=False,
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option("--force", help="输出文件已存在时覆盖它\nOverwrite the output file if it exists"),
]
TargetsOption = Annotated[
    Path | None,
    typer.Option(
        "--targets",
        metavar="文件",
        help="要使用的目标文件 targets.yaml；默认用当前目录下的 data/targets.yaml，"
        "没有则用随工具安装的那份\n"
        "targets.yaml to use. Default: ./data/targets.yaml if present, else the bundled one",
        readable=False,  # gongfu says what is wrong with a path, in Chinese, with a code
    ),
]
LangOpt = Annotated[
    LangOption,
    typer.Option(
        "--lang",
        metavar="语言",
        help="输出语言：zh 中文，en 英文\nOutput language: zh (Chinese) or en (English)",
    ),
]
ReviewFormat = Annotated[
    CheckFormat,
    typer.Option(
        "--format",
        "-f",
        metavar="格式",
        help="输出格式：table 终端表格、markdown、text 简报文字、json 或 csv\n"
        "Output format: table, markdown, text (a briefing paragraph), json or csv",
    ),
]
TableFormatOption = Annotated[
    TableFormat,
    typer.Option(
        "--format",
        "-f",
        metavar="格式",
        help="输出格式：table 终端表格、markdown、json 或 csv\n"
        "Output format: table, markdown, json or csv",
    ),
]
MonthlyPath = Annotated[
    Path,
    typer.Argument(
        metavar="路径",
        help="一个月报文件（YYYY-MM.csv 或 .xlsx），或存放月报的文件夹：审阅其中最新的月份，"
        "同年更早的月份用于“较上月”和走势\n"
        "A monthly file (YYYY-MM.csv/.xlsx), or a folder of them: the latest month is "
        "reviewed, the earlier months of its year give 较上月 and the trend",
        readable=False,
    ),
]
PeriodOption = Annotated[
    str | None,
    typer.Option(
        "--period",
        metavar="YYYY-MM",
        help="报告期（年-月，如 2025-07）；给出后不再从文件名判断\n"
        "Reporting period, e.g. 2025-07; overrides the file name",
    ),
]


# ---------------------------------------------------------------------------
# Printing problems


def stderr() -> Console:
    from rich.console import Console

    # emoji=False: a name like ":thumbs_up:" is text, as markup=False makes "[bold]" text
    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def print_problems(problems: list[Problem], lang: Lang, limit: int | None = None) -> None:
    from gongfu_cli.render.table import listed, more_problems_text, problem_text

    console = stderr()
    shown, hidden = listed(problems, limit)
    for problem in shown:
        style = "red" if problem.severity == "error" else "yellow"
        console.print(problem_text(problem, lang), style=style, markup=False)
    if hidden > 0:
        console.print(more_problems_text(hidden, lang), markup=False)


def finish(problems: list[Problem], lang: Lang) -> None:
    """How a command that read data ends: its problems on stderr (the first 20),
    then exit 1 if any of them is an error."""
    print_problems(problems, lang, limit=20)
    if errors_in(problems):
        raise typer.Exit(1)


def fail(problems: list[Problem], lang: Lang, json_for: Path | None = None) -> typer.Exit:
    """Report problems that stop a command; exit 2 if it could not run, else 1.

    With `json_for` (a --format json run) the problems also go to stdout as the
    JSON document scripts expect, whatever the failure.
    """
    if json_for is not None:
        print_failed_json(json_for, problems, lang)
    print_problems(problems, lang)
    code = 2 if any(p.code in RUN_FAILURES for p in problems) else 1
    return typer.Exit(code)


def bad_option(message: str) -> typer.Exit:
    """An option value gongfu refuses (--period 2025-13, --status purple): the problem
    bad-option, printed as every problem is (code, message, what to do), exit 2. The
    caller words the message in the language asked, so it is printed in that one."""
    problem = Problem("bad-option", params={"message": message})
    if State.json_for is not None:
        print_failed_json(State.json_for, [problem], "zh")
    chinese = any("\u4e00" <= char <= "\u9fff" for char in message)
    print_problems([problem], "zh" if chinese else "en")
    return typer.Exit(2)


def usage_failed(error: UsageError, argv: list[str]) -> int:
    """Say what is wrong with the command line, in Chinese then English; exit code 2.

    With --format json anywhere on the line, the command's failure document comes
    on stdout too, as for an option gongfu refuses.
    """
    problem = usage_problem(error)
    ctx = error.ctx
    if ctx is not None and ctx.parent is not None and ctx.info_name in argv:
        rest = argv[argv.index(ctx.info_name) + 1 :]
        chosen, positionals = read_line(ctx.command.params, rest)
        if chosen.get("format") == "json":
            path = Path(positionals[0]) if positionals else None
            sys.stdout.write(failure_json(ctx.info_name, path, [problem]))
    print_problems([problem], "zh")
    print_problems([problem], "en")
    return 2


def failure_json(command: str, path: Path | None, problems: list[Problem]) -> str:
    """The JSON a command answers with when it cannot run, in that command's shape."""
    from gongfu_cli.model.results import problems_dict
    from gongfu_cli.render.json import json_text

    if command == "validate":
        from gongfu_cli.judge.validate import failed_validation

        return json_text(failed_validation(problems).to_dict())
    if command == "submissions":
        from gongfu_cli.render.submissions import failed_json

        return failed_json(problems, "zh")
    if command == "targets":
        return json_text({"valid": False, **problems_dict(problems)})
    return failed_review_json(path, problems)


def period_option(text: str | None, lang: Lang, what: str = "--period") -> Period | None:
    """A month the user typed (--period, or template's month), or exit 2 saying so."""
    from gongfu_cli.read.files import parse_period

    if text is None:
        return None
    period = parse_period(text)
    if period is None:
        gap = " " if what.startswith("-") else ""  # --period 应为 …, 月份应为 …
        raise bad_option(
            f"{what}{gap}应为 YYYY-MM 格式，如 2025-06（收到“{text}”）"
            if lang == "zh"
            else f"{what} must be YYYY-MM, e.g. 2025-06 (got '{text}')"
        )
    return period


def status_option(words: list[str], lang: Lang) -> set[Status]:
    """--status words (red, 红, off_track, 滞后 …) → the statuses they mean, or exit 2."""
    from gongfu_cli.judge.evaluate import parse_status_filter

    try:
        return parse_status_filter(words)
    except ValueError as exc:
        raise bad_option(
            f"--status 无法识别“{exc.args[0]}”：可用 red/yellow/green/grey、红/黄/绿/灰 或状态名"
            if lang == "zh"
            else f"--status: unknown '{exc.args[0]}'; use red/yellow/green/grey or a status"
        ) from None


def load_catalogue(path: Path | None) -> Targets:
    """gf.load_targets for a command (GongfuError when the file is missing or broken)."""
    from gongfu_cli import api

    return api.load_targets(path)


def find_indicator(catalogue: Targets, name: str, lang: Lang) -> Indicator:
    """--indicator ID or name → the Indicator, or exit 2."""
    from gongfu_cli.model.targets import normalise

    found = catalogue.by_id.get(name) or catalogue.by_name.get(normalise(name))
    if found is None:
        raise bad_option(
            f"--indicator 找不到指标“{name}”（gongfu targets 可列出全部指标）"
            if lang == "zh"
            else f"--indicator: no indicator '{name}' (gongfu targets lists them)"
        )
    return found


def resolve_owner(name: str | None, evaluations: list[Evaluation], lang: Lang) -> str | None:
    """--owner NAME → one unit's exact name, or exit 2 saying why not."""
    from gongfu_cli.judge.scoreboard import all_owners

    if name is None:
        return None
    return match_unit(name, all_owners(evaluations), lang)


def match_unit(name: str, units: Iterable[str], lang: Lang) -> str:
    """--owner NAME among `units` (owners.match_owner), or exit 2 naming the candidates."""
    from gongfu_cli.model.owners import OwnerAmbiguous, OwnerNotFound, match_owner

    try:
        return match_owner(name, units)
    except OwnerAmbiguous as exc:
        units = "、".join(exc.candidates)
        raise bad_option(
            f"--owner “{name}”可指多个责任单位：{units}；请写全称"
            if lang == "zh"
            else f"--owner '{name}' could be any of: {units}; give the full name"
        ) from None
    except OwnerNotFound as exc:
        hint = "、".join(exc.suggestions)
        raise bad_option(
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


def write_output(target: Path, data: bytes, force: bool, lang: Lang) -> None:
    """Write atomically; refuse to replace an existing file without --force, or anything
    that is not a regular file even with it (exit 2)."""
    from gongfu_cli.model.problems import access_problem
    from gongfu_cli.write.output import OutputExists, OutputNotAFile, write_atomically

    try:
        write_atomically(target, data, force=force)
    except OutputExists:
        raise bad_option(
            f"{target} 已存在；如需覆盖请加 --force"
            if lang == "zh"
            else f"{target} exists; add --force to overwrite it"
        ) from None
    except OutputNotAFile as exc:
        zh, en = _NOT_A_FILE[exc.kind]
        raise bad_option(
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


def deliver(
    target: Path, data: bytes, force: bool, problems: list[Problem], lang: Lang, done_zh: str
) -> None:
    """How a command that writes a file from the data ends (report, export): the file
    written (atomically, never over one without --force), the data's problems, the line
    naming the file ("已生成 …"/"Wrote …"), then exit 1 if any problem is an error."""
    write_output(target, data, force, lang)
    print_problems(problems, lang, limit=20)
    wrote(f"{done_zh} {target}" if lang == "zh" else f"Wrote {target}")
    if errors_in(problems):
        raise typer.Exit(1)


def wrote(message: str) -> None:
    """The line saying which file was written (its name is the user's text)."""
    from gongfu_cli.model.text import safe_text

    stderr().print(safe_text(message), markup=False)


def stdout_console() -> Console:
    from rich.console import Console

    console = Console(highlight=False, emoji=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Piped into a file or a briefing: no colour codes, and wide enough
        # that rows do not wrap (rich measures CJK as double width).
        console = Console(highlight=False, width=200, no_color=True, emoji=False)
    return console


# ---------------------------------------------------------------------------
# shared by the review commands (check, brief, trend, owners, report)


def print_failed_json(path: Path, problems: list[Problem], lang: Lang) -> None:
    """A file that could not be read still gets a JSON answer, for scripts."""
    sys.stdout.write(failed_review_json(path, problems))


def failed_review_json(path: Path | None, problems: list[Problem]) -> str:
    """check's (and trend's, owners') JSON when it cannot run: empty, with the errors."""
    from gongfu_cli.model.results import problems_dict
    from gongfu_cli.render.json import json_text

    document: dict[str, object] = {
        "period": None,
        "previous_period": None,
        "file": None if path is None else str(path),
        "summary": {},
        "indicators": [],
        **problems_dict(problems),
    }
    return json_text(document)


def plan_name(catalogue: Targets, lang: Lang) -> str:
    return catalogue.plan if lang == "zh" else (catalogue.plan_en or catalogue.plan)


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
        if State.debug or "--debug" in sys.argv:
            raise
        from gongfu_cli.model.text import safe_text as _safe

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
