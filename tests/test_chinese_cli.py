"""The tool speaks Chinese (issue 11 §4): help pages and usage errors Chinese first,
problems as sentences with their place, suggested file names in the user's month."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from conftest import SAMPLES
from gongfu_cli.cli.help import cells, languages, wrap
from gongfu_cli.cli.root import app
from gongfu_cli.model.problems import Problem
from gongfu_cli.read.files import list_folder, suggested_name
from gongfu_cli.render.table import problem_text

runner = CliRunner()
JUNE = str(SAMPLES / "2025-06.csv")
GROUP = get_command(app)
COMMANDS = sorted(GROUP.commands)  # every registered command, however many there are
CJK = re.compile(r"[\u4e00-\u9fff]")
# What typer shows when a parameter has no words of its own.
INTERNAL_NAMES = ("{", "<", "list[", "Path]", "[PATH]", "[OPTIONS]", "COMMAND [ARGS]")


def run(*args: str):
    return runner.invoke(app, list(args))


def params_of(command: str | None):
    """The parameters a --help page describes (the app's own, or a command's)."""
    found = GROUP if command is None else GROUP.commands[command]
    return [p for p in found.params if not getattr(p, "hidden", False)]


# ---------------------------------------------------------------------------
# --help


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_help_page_is_chinese_first_with_english_after(command):
    """Each --help (the app's and every command's) opens with a Chinese paragraph,
    then its English, then examples; its headings are Chinese first."""
    argv = ["--help"] if command is None else [command, "--help"]
    result = run(*argv)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    name = "gongfu" if command is None else f"gongfu {command}"
    assert lines[0].startswith(f"用法 / Usage: {name}")
    paragraphs = [p.strip() for p in result.stdout.split("\n\n")]
    assert CJK.search(paragraphs[1]), paragraphs[1]  # the description, in Chinese
    assert re.match(r"[A-Z][\x20-\x7e]{11}", paragraphs[2]), paragraphs[2]  # then English
    assert "示例 / Examples:" in result.stdout
    examples = result.stdout.split("示例 / Examples:")[1].splitlines()[1]
    assert examples.strip().startswith(name)
    assert "选项 / Options:" in result.stdout
    for internal in INTERNAL_NAMES:
        assert internal not in result.stdout, (internal, command)


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_parameter_is_described_in_chinese_then_english(command):
    """Every option and argument has a Chinese help then an English one, and every one
    that takes a value names it in words (路径, 文件, YYYY-MM), never a type name."""
    for param in params_of(command):
        zh, en = languages(param.help)
        assert CJK.search(zh[:12]), (command, param.name, zh)
        assert en and re.match(r"[A-Za-z.]", en), (command, param.name, en)
        if not getattr(param, "is_flag", False):
            assert param.metavar and (CJK.search(param.metavar) or param.metavar == "YYYY-MM")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_choice_is_shown_readably(command):
    """An option with choices lists each of them in its help, with the default named."""
    page = " ".join(run(command, "--help").stdout.split())
    for param in params_of(command):
        choices = getattr(getattr(param, "type_descriptor", None), "choices", None) or ()
        for choice in choices:
            assert choice.value in languages(param.help)[0], (command, param.name, choice)
        if choices:
            assert f"默认 {param.default.value}" in page
            assert f"default: {param.default.value}" in page


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_lines_fit_the_terminal(command):
    """A help line never runs past the terminal's width, Chinese counted double."""
    argv = ["--help"] if command is None else [command, "--help"]
    for line in run(*argv).stdout.splitlines():
        assert cells(line) <= 80, line


def test_metavars_read_as_words():
    """check's page names its values in words: 路径, 文件, 格式, YYYY-MM."""
    page = run("check", "--help").stdout
    assert "用法 / Usage: gongfu check [选项] 路径" in page
    for row in ("--targets 文件", "-f, --format 格式", "--period YYYY-MM", "--owner 单位"):
        assert row in page
    assert "用法 / Usage: gongfu validate [选项] 路径..." in run("validate", "--help").stdout
    assert "用法 / Usage: gongfu template [选项] YYYY-MM" in run("template", "--help").stdout


@pytest.mark.parametrize(
    "text",
    [
        "只看该单位负责的指标：写全称，或不会混淆的开头部分（如 住建局 即 县住建局），"
        "默认用当前目录下的 data/targets.yaml。",
        "Only indicators this unit owns: its full name or an unambiguous start (住建局 for "
        "县住建局). Default: ./data/targets.yaml if present, else the bundled one",
    ],
)
def test_wrapping_respects_chinese(text):
    """At every width, lines fit counting a Chinese character as two columns; no line
    starts with a space or a closing mark or ends with an opening one; nothing is lost."""
    for width in range(20, 81):
        lines = wrap(text, width)
        assert all(cells(line) <= width for line in lines), (width, lines)
        assert not any(line[0] in " ，。、；：）」”" for line in lines), (width, lines)
        assert not any(line[-1] in "（「“" for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        if width >= 40:  # long enough that no word is cut: lines break at spaces
            assert " ".join(lines).split() == text.split() or CJK.search(text)


def test_help_stays_light():
    """Every --help page, and a usage error, load neither pandas nor openpyxl nor the
    targets models (help only)."""
    argvs = [["--help"], *[[name, "--help"] for name in COMMANDS]]
    code = (
        "import sys\n"
        "from gongfu_cli.cli import main\n"
        f"for argv in {argvs!r}:\n"
        "    sys.argv = ['gongfu', *argv]\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
        "print('HELP', [m for m in ('pandas', 'openpyxl', 'gongfu_cli.model.targets')"
        " if m in sys.modules])\n"
        "sys.argv = ['gongfu', 'check', '--bogus']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('USAGE', [m for m in ('pandas', 'openpyxl') if m in sys.modules])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True
    ).stdout
    assert "HELP []" in out and "USAGE []" in out


# ---------------------------------------------------------------------------
# Usage errors


USAGE_ERRORS = [
    (["check"], "缺少参数“路径”", "Missing argument 路径 (PATH)"),
    (["validate"], "缺少参数“路径”", "Missing argument 路径 (PATH)"),
    (["template"], "缺少参数“YYYY-MM”", "Missing argument YYYY-MM"),
    (["profile", JUNE], "缺少选项 --indicator", "Missing option --indicator"),
    (["check", JUNE, "--bogus"], "没有选项“--bogus”", "No option '--bogus'"),
    (["check", JUNE, "--formt", "json"], "是否指 --format？", "did you mean --format?"),
    (
        ["check", JUNE, "--format", "xml"],
        "选项 --format 的取值“xml”无效，可选：table、markdown、text、json、csv",
        "Invalid value 'xml' for option --format; choose from table, markdown, text, json, csv",
    ),
    (["owners", JUNE, "-f", "pdf"], "选项 --format 的取值“pdf”无效", "Invalid value 'pdf'"),
    (["trend", JUNE, "--lang", "fr"], "取值“fr”无效，可选：zh、en", "choose from zh, en"),
    (["check", JUNE, "--fail-on", "blue"], "可选：never、red、yellow、suspect", "'blue'"),
    (["check", JUNE, "--period"], "选项 --period 后面缺少取值（YYYY-MM）", "needs a value"),
    (["check", JUNE, "--format"], "后面缺少取值，可选：table", "choose from table"),
    (["check", JUNE, "另一个.csv"], "多余的参数：另一个.csv", "Unexpected extra argument"),
    (["chek", JUNE], "没有“chek”这个命令；是否指 check", "No command 'chek'; did you mean"),
    (["--debug"], "缺少命令", "Missing command"),
]


@pytest.mark.parametrize(("argv", "zh", "en"), USAGE_ERRORS)
def test_usage_errors_are_chinese_then_english_and_exit_2(argv, zh, en):
    """A command line gongfu cannot follow is a usage-error problem: Chinese line,
    then English, each with the usage and where to find help; exit 2."""
    result = run(*argv)
    assert result.exit_code == 2, result.output
    chinese, english = result.stderr.splitlines()
    assert chinese.startswith("错误 [usage-error] ") and zh in chinese
    assert "用法：gongfu" in chinese and "--help 可查看各选项的说明和示例" in chinese
    assert english.startswith("error [usage-error] ") and en in english
    assert "Usage: gongfu" in english
    assert result.stdout == ""
    assert "Error:" not in result.output and "Traceback" not in result.output


def test_a_usage_error_names_the_command_and_its_usage():
    """The usage shown is the failing command's, in words in each language."""
    result = run("check", JUNE, "--bogus")
    assert "用法：gongfu check [选项] 路径；运行 gongfu check --help" in result.stderr
    assert "Usage: gongfu check [OPTIONS] PATH; run gongfu check --help" in result.stderr


def test_the_installed_command_says_usage_errors_in_chinese():
    """The console script (not just the test runner) answers a usage error in Chinese."""
    done = subprocess.run(
        [sys.executable, "-m", "gongfu_cli", "check"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("错误 [usage-error] 缺少参数“路径”")
    assert "Missing argument" in done.stderr and "Error:" not in done.stderr


@pytest.mark.parametrize(
    ("argv", "shape"),
    [
        (["check", JUNE, "--format", "json", "--bogus"], "indicators"),
        (["check", JUNE, "--bogus", "--format", "json"], "indicators"),
        (["check", "--format", "json"], "indicators"),
        (["check", JUNE, "-f", "json", "--status"], "indicators"),
        (["check", JUNE, "--fail-on", "blue", "--format=json"], "indicators"),
        (["trend", JUNE, "-fjson", "--lang", "fr"], "indicators"),
        (["owners", JUNE, "--format", "json", "extra"], "indicators"),
        (["submissions", str(SAMPLES), "--format", "json", "--bogus"], "units"),
        (["validate", "--format", "json"], "files"),
        (["targets", "--format", "json", "--bogus"], "valid"),
    ],
)
def test_a_usage_error_with_format_json_still_answers_in_json(argv, shape):
    """Asked for --format json, a usage error still writes the command's JSON failure
    document on stdout (as an option gongfu refuses does), with the usage-error."""
    result = run(*argv)
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert shape in document
    (error,) = document["problems" if shape == "files" else "errors"]
    assert error["code"] == "usage-error"
    assert CJK.search(error["message"]) and error["message_en"]
    assert error["fields"]["help"].startswith(f"gongfu {argv[0]} --help")
    assert "[usage-error]" in result.stderr


def test_the_json_failure_names_the_file_when_it_was_given():
    """The check JSON failure document names the path the command was given."""
    document = json.loads(run("check", JUNE, "--format", "json", "--bogus").stdout)
    assert document["file"] == JUNE and document["period"] is None


# ---------------------------------------------------------------------------
# Problems as sentences


def _invalid(column: str | None, line: int | None = 5, file: str | None = "2025-06.csv"):
    return Problem("invalid-number", file=file, line=line, column=column, params={"value": "x"})


@pytest.mark.parametrize(
    ("problem", "zh", "en"),
    [
        (
            _invalid("数值 / value"),
            "2025-06.csv 第5行「数值」列：错误 [invalid-number] ",
            "2025-06.csv line 5, column 'value': error [invalid-number] ",
        ),
        (
            _invalid("本年累计"),
            "2025-06.csv 第5行「本年累计」列：",
            "2025-06.csv line 5, column '本年累计': ",
        ),
        (
            _invalid("第7列（无表头）"),
            "2025-06.csv 第5行第7列（无表头）：",
            "2025-06.csv line 5, column 7 (untitled): ",
        ),
        (_invalid("D7", line=7, file="2025-06.xlsx"), "2025-06.xlsx 单元格 D7：", "cell D7: "),
        (_invalid(None), "2025-06.csv 第5行：错误", "2025-06.csv line 5: error"),
        (_invalid(None, line=None), "2025-06.csv：错误", "2025-06.csv: error"),
        (_invalid(None, line=None, file=None), "错误 [invalid-number]", "error [invalid-number]"),
        (
            Problem(
                "targets-yaml-error",
                file="targets.yaml",
                line=3,
                column="9",
                params={"reason_zh": "有 Tab", "reason_en": "a tab"},
            ),
            "targets.yaml 第3行第9列：错误 [targets-yaml-error]",
            "targets.yaml line 3, column 9: error [targets-yaml-error]",
        ),
        (
            Problem(
                "targets-invalid",
                file="targets.yaml",
                line=10,
                column="indicators[0].kind",
                params={"field_zh": "k", "field_en": "k", "reason_zh": "错", "reason_en": "bad"},
            ),
            "targets.yaml 第10行「indicators[0].kind」字段：",
            "targets.yaml line 10, field 'indicators[0].kind': ",
        ),
    ],
)
def test_a_problem_reads_as_a_sentence_with_its_place(problem, zh, en):
    """The human format says where in words (第5行「数值」列 / line 5, column 'value'),
    never the compiler-style file:line:column."""
    assert problem_text(problem, "zh").startswith(zh)
    assert problem_text(problem, "en").endswith(problem.fix("en"))
    assert en in problem_text(problem, "en")
    assert ":5:" not in problem_text(problem, "zh") + problem_text(problem, "en")


def test_check_and_validate_print_the_sentence_and_github_keeps_file_and_line(write_csv):
    """check's stderr and validate's text read as sentences (validate's under the file's
    heading); --format github and json keep the file, line and column as fields."""
    path = write_csv([["new_jobs", "abc"]], header=["指标", "数值"])
    checked = run("check", str(path))
    assert f"{path} 第2行「数值」列：错误 [invalid-number]" in checked.stderr
    english = run("check", str(path), "--lang", "en")
    assert f"{path} line 2, column 'value': error [invalid-number]" in english.stderr
    text = run("validate", str(path)).stdout.splitlines()
    assert text[0] == str(path) and text[1].startswith("  第2行「数值」列：错误 [invalid-number]")
    github = run("validate", str(path), "--format", "github").stdout
    assert f"::error file={path},line=2,title=invalid-number::" in github
    assert "第2行" not in github
    document = json.loads(run("validate", str(path), "--format", "json").stdout)
    (error,) = [p for p in document["problems"] if p["code"] == "invalid-number"]
    assert (error["file"], error["line"], error["column"]) == (str(path), 2, "数值 / value")


# ---------------------------------------------------------------------------
# Suggested names in the user's month


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("嵊泗2025年7月指标.xlsx", "2025-07.xlsx"),
        ("2025年七月.xlsx", "2025-07.xlsx"),
        ("嵊泗县2025年七月份报表.csv", "2025-07.csv"),
        ("七月.xlsx", "2025-07.xlsx"),
        ("7月份数据.csv", "2025-07.csv"),
        ("25年7月.csv", "2025-07.csv"),
        ("十二月报表.xls", "2025-12.xlsx"),
        ("2025年7月12日导出.xlsx", "2025-07.xlsx"),
        ("报表.xlsx", "YYYY-MM.xlsx"),
    ],
)
def test_a_suggested_name_uses_the_users_own_month(tmp_path, name, suggestion):
    """no-period suggests the month the name holds however it is written (七月, 25年7月),
    in the targets' year when the name has none; never a fixed 2025-06."""
    path = tmp_path / name
    shutil.copy(SAMPLES / "2025-06.csv", path)
    checked = run("check", str(path))
    assert checked.exit_code == 2 and "[no-period]" in checked.stderr
    month = suggestion.rsplit(".", 1)[0]
    assert f"把文件命名为如 {suggestion}，或加上 --period {month}" in checked.stderr
    english = run("validate", str(path), "--lang", "en").stdout
    assert f"Name the file like {suggestion}, or pass --period {month}" in english
    chased = run("submissions", str(path))
    assert f"把文件命名为如 {suggestion}" in chased.stderr
    assert "2025-06" not in checked.stderr + english + chased.stderr


@pytest.mark.parametrize(
    ("neighbour", "suggestion"), [("2025-05", "2025-07"), ("2024-05", "2024-07")]
)
def test_a_file_in_a_folder_is_told_its_month_in_the_folders_year(tmp_path, neighbour, suggestion):
    """A folder's file named 七月.xlsx is told to become July of the year of the
    folder's monthly files."""
    shutil.copy(SAMPLES / "2025-06.csv", tmp_path / f"{neighbour}.csv")
    (tmp_path / "嵊泗七月.xlsx").write_bytes(b"x")
    (ignored,) = list_folder(tmp_path).ignored
    assert f"请改名为如 {suggestion}.xlsx" in ignored.message("zh")
    assert "2025-06" not in ignored.message("zh") + ignored.message("en")


def test_suggested_name_without_any_year_keeps_the_pattern():
    """A month with no year anywhere, and no year known, leaves the year as YYYY."""
    assert suggested_name(Path("七月.csv")) == ("YYYY-07.csv", "YYYY-07")
    assert suggested_name(Path("七月.csv"), 2026) == ("2026-07.csv", "2026-07")


def test_the_app_help_names_the_plan_of_the_targets_file_in_use(tmp_path, monkeypatch):
    """gongfu --help names the plan and year its targets file describes, not a county or
    year of its own: ./data/targets.yaml when there is one, else the bundled plan."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "targets.yaml").write_text(
        "# 示例\nplan: 示例县2026年高质量发展行动方案\nyear: 2026\nindicators: []\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    page = runner.invoke(app, ["--help"]).stdout
    assert "《示例县2026年高质量发展行动方案》（2026年" in page
    assert "嵊泗" not in page and "Shengsi" not in page
    monkeypatch.chdir(tmp_path / "data")  # no data/targets.yaml here: the bundled plan
    assert "嵊泗县深化走海岛县高质量发展共同富裕特色之路2025年行动方案" in (
        runner.invoke(app, ["--help"]).stdout
    )
