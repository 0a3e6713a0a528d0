"""The commands about the catalogue itself: targets (lint and list), schema, codes."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated

import typer

from gongfu_cli.cli.root import (
    LangOpt,
    LangOption,
    TargetsOption,
    app,
    load_catalogue,
    print_problems,
    stdout_console,
)
from gongfu_cli.model.problems import GongfuError, Lang


class TargetsFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


@app.command(name="targets")
def targets_command(
    targets: TargetsOption = None,
    format: Annotated[
        TargetsFormat,
        typer.Option(
            "--format",
            "-f",
            metavar="格式",
            help="输出格式：table 终端表格、json 或 markdown\n"
            "Output format: table, json or markdown",
        ),
    ] = TargetsFormat.table,
    lang: LangOpt = LangOption.zh,
) -> None:
    """检查目标文件并列出其中的指标；目标文件有误时退出码为 1。

    Validate the targets file and list its catalogue; exit 1 if it is broken.

    示例 / Examples:
      gongfu targets
      gongfu targets --targets data/targets.yaml --format markdown
    """
    from gongfu_cli.render import targets as render_targets

    language: Lang = lang.value
    try:
        catalogue = load_catalogue(targets)
    except GongfuError as exc:
        if format == TargetsFormat.json:
            from gongfu_cli.model.results import problems_dict
            from gongfu_cli.render.json import json_text

            document = {"valid": False, **problems_dict(exc.problems)}
            sys.stdout.write(json_text(document))
        print_problems(exc.problems, language)
        missing = any(p.code in ("targets-not-found", "targets-unreadable") for p in exc.problems)
        raise typer.Exit(2 if missing else 1) from None
    if format == TargetsFormat.table:
        stdout_console().print(render_targets.targets_table(catalogue, language))
    elif format == TargetsFormat.json:
        sys.stdout.write(render_targets.targets_json(catalogue))
    else:
        sys.stdout.write(render_targets.targets_markdown(catalogue, language))


@app.command()
def schema() -> None:
    """输出 targets.yaml 的 JSON Schema，供编辑器和 YAML 语言服务器检查目标文件。

    Print the JSON Schema of targets.yaml, for editors and the YAML language server.

    示例 / Examples:
      gongfu schema > targets.schema.json
    """
    from gongfu_cli.read.targets_file import targets_schema
    from gongfu_cli.render.json import json_text

    sys.stdout.write(json_text(targets_schema()))


@app.command()
def codes(lang: LangOpt = LangOption.zh) -> None:
    """以 Markdown 表格列出全部问题代码及处理办法（即 README 中的代码表）。

    Print the catalogue of problem codes as a Markdown table (the README's table).

    示例 / Examples:
      gongfu codes
      gongfu codes --lang en
    """
    from gongfu_cli.model.problems import codes_markdown

    sys.stdout.write(codes_markdown(lang.value))
