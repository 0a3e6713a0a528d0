"""Help pages and usage errors in Chinese first, English after.

Every `--help` page (the app's and each command's) is laid out here instead of
by click's formatter: click measures text in characters, so Chinese (two
columns a character) overflows its lines, and typer's metavars are internal
type names (`{path}`, `<list[str]>`). A help text is written as ``中文\\nEnglish``
(a parameter's) or as paragraphs, Chinese first (a command's docstring); each
language is wrapped on its own, at the terminal's width, counting a Chinese
character as two columns.

A usage error (a missing argument, an unknown option, a value not among the
choices) becomes a `usage-error` Problem here; cli.root prints it like any
other problem and exits 2. Nothing here imports more than typer itself: a
`--help` must stay instant.
"""

from __future__ import annotations

import inspect
import re
import unicodedata
from enum import Enum
from typing import TYPE_CHECKING, Any

import typer
from typer._click import exceptions as click_errors  # typer ships its own click
from typer.core import TyperCommand, TyperGroup
from typer.models import TyperPath

from gongfu_cli.model.problems import Lang, Problem
from gongfu_cli.model.text import shorten

if TYPE_CHECKING:
    from collections.abc import Callable

    from typer._click import Context, HelpFormatter, Parameter

UsageError = click_errors.UsageError

# The words a help page is built of: each heading in both languages.
USAGE = "用法 / Usage: "
HEADINGS = {
    "arguments": "参数 / Arguments:",
    "options": "选项 / Options:",
    "commands": "命令 / Commands:",
}
HELP_OPTION = "显示本帮助并退出\nShow this help and exit"

# The English for each metavar, for the English line of a usage error.
METAVAR_EN = {
    "路径": "PATH",
    "文件": "FILE",
    "格式": "FORMAT",
    "语言": "LANG",
    "单位": "UNIT",
    "状态": "STATUS",
    "条件": "WHEN",
    "指标": "INDICATOR",
    "命令": "COMMAND",
}
# A parameter given no metavar still shows a word, never a type name.
_TYPE_WORDS = {"path": "路径", "choice": "取值", "text": "文字"}


# ---------------------------------------------------------------------------
# Text: width in terminal columns, and wrapping that respects Chinese


# Never at the start of a line (closing marks), never at its end (opening marks).
_NO_LINE_START = frozenset("，。、；：？！）」』”’》〉】…,.;:?!)]}%")
_NO_LINE_END = frozenset("（「『“‘《〈【([{")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def cells(text: str) -> int:
    """Columns the text takes in a terminal: a Chinese character takes two."""
    return sum(2 if _wide(char) else 1 for char in text)


def _can_break(before: str, after: str) -> bool:
    if before.isspace() != after.isspace():
        return True  # at a space (a run of spaces is one chunk)
    if before.isspace() or after in _NO_LINE_START or before in _NO_LINE_END:
        return False
    return _wide(before) or _wide(after)  # beside a Chinese character, not inside a word


def _chunks(text: str) -> list[str]:
    """The text cut where a line may break: at spaces and beside Chinese characters."""
    chunks: list[str] = []
    current = ""
    for char in text:
        if current and _can_break(current[-1], char):
            chunks.append(current)
            current = ""
        current += char
    if current:
        chunks.append(current)
    return chunks


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns; a word longer than a line is cut."""
    width = max(width, 10)
    lines: list[str] = []
    line = ""
    for chunk in _chunks(" ".join(text.split())):
        if chunk.isspace():
            line += " " if line else ""
            continue
        if line and cells(line + chunk) > width:
            lines.append(line.rstrip())
            line = ""
        line += chunk
        while cells(line) > width:
            cut = 1
            while cells(line[: cut + 1]) <= width:
                cut += 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _join(lines: list[str]) -> str:
    """Source lines of one paragraph as one text: a space between English words only."""
    text = ""
    for line in (line.strip() for line in lines):
        if text and not (_wide(text[-1]) or _wide(line[0])):
            text += " "
        text += line
    return text


def languages(help_text: str | None) -> tuple[str, str]:
    """A parameter's help, ``中文\\nEnglish``, as its (Chinese, English) parts."""
    zh, _, en = inspect.cleandoc(help_text or "").partition("\n")
    return _join(zh.splitlines()), _join(en.splitlines())


def paragraphs(doc: str | None) -> list[tuple[str, bool]]:
    """A docstring's paragraphs, (text, as written): indented lines (examples) are
    kept as written, one per entry; other lines join into their paragraph."""
    found: list[tuple[str, bool]] = []
    pending: list[str] = []
    for line in [*inspect.cleandoc(doc or "").splitlines(), ""]:
        if line.strip() and not line.startswith(" "):
            pending.append(line)
            continue
        if pending:
            found.append((_join(pending), False))
            pending = []
        if line.strip():
            found.append((line, True))
    return found


# ---------------------------------------------------------------------------
# Parameters in words


def _choices(param: Parameter) -> list[str]:
    values = getattr(param.type, "choices", None) or ()
    return [str(v.value if isinstance(v, Enum) else v) for v in values]


def metavar(param: Parameter) -> str:
    """The word that stands for a parameter's value: 路径, 文件, YYYY-MM …"""
    if param.metavar:
        return param.metavar
    if _choices(param):
        return _TYPE_WORDS["choice"]
    return _TYPE_WORDS["path" if isinstance(param.type, TyperPath) else "text"]


def _repeats(param: Parameter) -> bool:
    return bool(getattr(param, "multiple", False)) or param.nargs == -1


def usage_line(command: typer._click.Command, ctx: Context, lang: Lang = "zh") -> str:
    """``gongfu check [选项] 路径``: the command and its arguments, in words
    (English: ``gongfu check [OPTIONS] PATH``)."""

    def word(text: str) -> str:
        return text if lang == "zh" else METAVAR_EN.get(text, text)

    pieces = [ctx.command_path]
    if any(p.param_type_name == "option" for p in command.get_params(ctx)):
        pieces.append("[选项]" if lang == "zh" else "[OPTIONS]")
    for param in command.params:
        if param.param_type_name != "argument":
            continue
        name = word(metavar(param)) + ("..." if _repeats(param) else "")
        pieces.append(name if param.required else f"[{name}]")
    if isinstance(command, TyperGroup):
        pieces.append("命令 [参数]..." if lang == "zh" else "COMMAND [ARGS]...")
    return " ".join(pieces)


def _located(parse: Callable[[], list[str]], ctx: Context, args: list[str]) -> list[str]:
    """Run a parse; a usage error it raises is given the context that failed (click's
    parser leaves it out for an option missing its value), which keeps the words
    parsed, so that the error can quote what was typed."""
    ctx.meta[_TYPED] = list(args)
    try:
        return parse()
    except UsageError as exc:
        if exc.ctx is None:
            exc.ctx = ctx
        raise


def _default(param: Parameter) -> str | None:
    """The default worth showing: a choice's (table, zh), not None or a flag's False."""
    value = param.default
    if isinstance(value, Enum):
        return str(value.value)
    return None


def _describe(param: Parameter, ctx: Context) -> tuple[str, tuple[str, str]]:
    """(the parameter as typed, (what it does in Chinese, in English))."""
    if param.param_type_name == "argument":
        name = metavar(param) + ("..." if _repeats(param) else "")
    else:
        name = ", ".join(sorted(param.opts, key=len))  # -f, --format
        if not getattr(param, "is_flag", False):
            name += " " + metavar(param)
    is_help = param is ctx.command.get_help_option(ctx)
    zh, en = languages(HELP_OPTION if is_help else getattr(param, "help", None))
    default = _default(param)
    if default is not None:
        zh += f"；默认 {default}"
        en += f"; default: {default}"
    if param.required:
        zh += "（必填）"
        en += " (required)"
    return name, (zh, en)


# ---------------------------------------------------------------------------
# The page


def _definitions(rows: list[tuple[str, tuple[str, str]]], width: int) -> list[str]:
    """Name on the left, its Chinese then its English on the right, aligned."""
    column = min(max(cells(name) for name, _ in rows), 26) + 2
    lines = []
    for name, (zh, en) in rows:
        text = [line for part in (zh, en) for line in wrap(part, width - 2 - column)]
        text = text or [""]
        if cells(name) + 2 > column:  # a long name gets a line of its own
            lines.append("  " + name)
        else:
            text[0] = name + " " * (column - cells(name)) + text[0]
            lines.append("  " + text.pop(0))
        lines += ["  " + " " * column + line for line in text]
    return lines


def help_page(command: typer._click.Command, ctx: Context, width: int) -> str:
    """The whole --help page: usage, description with examples, arguments, options,
    commands; every text Chinese first."""
    lines = [USAGE + usage_line(command, ctx), ""]
    for text, as_written in paragraphs(command.help):
        if as_written:
            lines.append("  " + text)
            continue
        if lines[-1] != "":
            lines.append("")
        lines += ["  " + line for line in wrap(text, width - 2)]
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    for kind in ("argument", "option"):
        rows = [_describe(p, ctx) for p in params if p.param_type_name == kind]
        if rows:
            lines += ["", HEADINGS[kind + "s"], *_definitions(rows, width)]
    if isinstance(command, TyperGroup):
        rows = []
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                found = [text for text, as_written in paragraphs(sub.help) if not as_written]
                rows.append((name, (found[0] if found else "", found[1] if len(found) > 1 else "")))
        if rows:
            lines += ["", HEADINGS["commands"], *_definitions(rows, width)]
    return "\n".join(lines) + "\n"


class Command(TyperCommand):
    """A gongfu command: its help page in Chinese first (see help_page)."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        return _located(lambda: super(Command, self).parse_args(ctx, args), ctx, args)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        formatter.write(help_page(self, ctx, formatter.width))

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        formatter.write(USAGE + usage_line(self, ctx) + "\n")


class UnknownCommand(UsageError):
    """`gongfu chek`: no such command, with the names it may have meant."""

    def __init__(self, name: str, matches: list[str], ctx: Context) -> None:
        super().__init__(f"No such command {name!r}.", ctx)
        self.name = name
        self.matches = matches


def plan_line() -> str:
    """Which plan the targets file in use describes, for the app's help page: the plan
    and year come from the file (./data/targets.yaml, else the bundled copy), so the
    tool names no county or year of its own."""
    from gongfu_cli.read.targets_place import locate_targets, plan_in_brief

    path = locate_targets(None)
    found = plan_in_brief(path)
    if found is None:
        return f"目标文件 / targets file: {path}"
    plan, year = found
    name = plan.strip("《》")
    return f"当前目标文件：《{name}》（{year}年，{path}）\n\nTargets file: {path}, for {year}"


class Group(TyperGroup):
    """The gongfu app: its help page in Chinese first, its commands' usage errors
    as data (UnknownCommand) so that they can be said in Chinese."""

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        template = self.help or ""
        self.help = template.replace("{plan}", plan_line())  # the plan of the file in use
        try:
            formatter.write(help_page(self, ctx, formatter.width))
        finally:
            self.help = template

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        formatter.write(USAGE + usage_line(self, ctx) + "\n")

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        return _located(lambda: super(Group, self).parse_args(ctx, args), ctx, args)

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, typer._click.Command | None, list[str]]:
        name = args[0]
        if self.get_command(ctx, name) is None and not name.startswith("-"):
            from difflib import get_close_matches

            raise UnknownCommand(name, get_close_matches(name, list(self.commands)), ctx)
        return super().resolve_command(ctx, args)


class App(typer.Typer):
    """typer.Typer whose commands are gongfu Commands (Chinese help) by default."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
        kwargs.setdefault("cls", Command)
        return super().command(*args, **kwargs)


# ---------------------------------------------------------------------------
# Usage errors as problems


def _option_words(param: Parameter | None, fallback: str = "") -> tuple[str, str]:
    """How a usage error names the parameter: (Chinese, English)."""
    if param is None:
        return fallback, fallback
    if param.param_type_name == "argument":
        word = metavar(param)
        english = METAVAR_EN.get(word, word)
        return f"参数“{word}”", f"argument {word}" + (f" ({english})" if english != word else "")
    option = max(param.opts, key=len)  # --format, whether -f or --format was typed
    return f"选项 {option}", f"option {option}"


# Where _located keeps the words a command was given (click's Context.meta is for such notes).
_TYPED = "gongfu.typed"


def _bad_value(exc: click_errors.BadParameter) -> str | None:
    """The value the user typed for the option in error: the last one given, which
    is the one click keeps (from the words _located kept)."""
    param, ctx = exc.param, exc.ctx
    if param is None or param.name is None or ctx is None:
        return None
    return read_line(ctx.command.params, ctx.meta.get(_TYPED, []))[0].get(param.name)


def read_line(params: list[Parameter], args: list[str]) -> tuple[dict[str, str], list[str]]:
    """The options' values (the last one given wins) and the arguments of a command
    line that click refused. click's own parse stops at the first mistake, and the
    mistake may come before --format json."""
    takes_value = {
        opt: param.name
        for param in params
        if param.name and param.param_type_name == "option" and not getattr(param, "is_flag", False)
        for opt in param.opts
    }
    chosen: dict[str, str] = {}
    positionals: list[str] = []
    words = iter(args)
    for word in words:
        if word == "--":
            positionals += words
        elif word.startswith("--") and "=" in word:
            opt, _, value = word.partition("=")
            if opt in takes_value:
                chosen[takes_value[opt]] = value
        elif word in takes_value:
            chosen[takes_value[word]] = next(words, "")
        elif word[:2] in takes_value and not word.startswith("--"):  # -fjson
            chosen[takes_value[word[:2]]] = word[2:]
        elif not word.startswith("-") or word == "-":
            positionals.append(word)
    return chosen, positionals


def _expected(option: str, ctx: Context | None) -> tuple[str, str]:
    """What an option's value should be: its choices, or its metavar (YYYY-MM)."""
    params = ctx.command.params if ctx is not None else []
    param = next((p for p in params if option in getattr(p, "opts", ())), None)
    if param is None:
        return "", ""
    choices = _choices(param)
    if choices:
        return f"，可选：{'、'.join(choices)}", f"; choose from {', '.join(choices)}"
    word = metavar(param)
    return f"（{word}）", f" ({METAVAR_EN.get(word, word)})"


def _explain(exc: UsageError) -> tuple[str, str]:
    """(Chinese, English) for what the user typed wrong."""
    param = getattr(exc, "param", None)
    if isinstance(exc, UnknownCommand):
        hint_zh = f"；是否指 {'、'.join(exc.matches)}？" if exc.matches else ""
        hint_en = f"; did you mean {', '.join(exc.matches)}?" if exc.matches else ""
        name = shorten(exc.name)
        return f"没有“{name}”这个命令{hint_zh}", f"No command '{name}'{hint_en}"
    if isinstance(exc, click_errors.MissingParameter):
        zh, en = _option_words(param, "参数")
        return f"缺少{zh}", f"Missing {en}"
    if isinstance(exc, click_errors.NoSuchOption):
        option = shorten(exc.option_name)
        known = sorted(exc.possibilities or ())
        return (
            f"没有选项“{option}”" + (f"；是否指 {'、'.join(known)}？" if known else ""),
            f"No option '{option}'" + (f"; did you mean {', '.join(known)}?" if known else ""),
        )
    if isinstance(exc, click_errors.BadOptionUsage):
        option = shorten(exc.option_name)
        if "does not take a value" in exc.message:
            return f"选项 {option} 不带取值", f"Option {option} takes no value"
        zh, en = _expected(exc.option_name, exc.ctx)
        return f"选项 {option} 后面缺少取值{zh}", f"Option {option} needs a value after it{en}"
    if isinstance(exc, click_errors.BadParameter):
        zh, en = _option_words(param, "参数")
        value = _bad_value(exc)
        typed_zh = f"“{shorten(value)}”" if value is not None else ""
        typed_en = f" '{shorten(value)}'" if value is not None else ""
        choices = _choices(param) if param is not None else []
        if choices:
            return (
                f"{zh} 的取值{typed_zh}无效，可选：{'、'.join(choices)}",
                f"Invalid value{typed_en} for {en}; choose from {', '.join(choices)}",
            )
        detail = shorten(str(exc.message), 80)
        return f"{zh} 的取值{typed_zh}无效", f"Invalid value{typed_en} for {en}: {detail}"
    extra = re.match(r"Got unexpected extra argument.*? \((.*)\)$", exc.message)
    if extra:
        words = shorten(extra[1])
        return (
            f"多余的参数：{words}（路径中有空格时请加引号）",
            f"Unexpected extra argument(s): {words} (quote a path that has spaces)",
        )
    if exc.message.startswith("Missing command"):
        return "缺少命令", "Missing command"
    message = shorten(exc.message, 80)
    return f"命令行有误：{message}", f"Bad command line: {message}"


def usage_problem(exc: UsageError) -> Problem:
    """A usage error as a `usage-error` Problem: what is wrong, and the usage line."""
    zh, en = _explain(exc)
    ctx = exc.ctx
    if ctx is None:  # never from gongfu's own commands (see _located)
        usage_zh, usage_en, command = "gongfu 命令 …", "gongfu COMMAND …", "gongfu"
    else:
        usage_zh, usage_en = usage_line(ctx.command, ctx), usage_line(ctx.command, ctx, "en")
        command = ctx.command_path
    return Problem(
        "usage-error",
        params={
            "message_zh": zh,
            "message_en": en,
            "usage_zh": usage_zh,
            "usage_en": usage_en,
            "help": f"{command} --help",
        },
    )
