"""When a command cannot run, it still answers in its own format and in gongfu's words."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from conftest import SAMPLES
from gongfu_cli.cli import app

runner = CliRunner()


def refuse(name):
    raise AssertionError(f"non-JSON constant {name}")


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "/nonexistent/folder", "--format", "json"],
        ["validate", str(SAMPLES), "--targets", "/nonexistent.yaml", "--format", "json"],
        ["targets", "--targets", "/nonexistent.yaml", "--format", "json"],
    ],
)
def test_json_formats_answer_in_json_when_they_cannot_run(args):
    """A script asking for JSON gets a JSON document naming the problem, and exit 2."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    document = json.loads(result.stdout, parse_constant=refuse)
    problems = document.get("problems") or document.get("errors")
    assert problems and problems[0]["code"] in ("file-not-found", "targets-not-found")
    assert document["valid"] is False


def test_github_format_annotates_a_run_failure():
    """validate --format github on a missing folder still writes one ::error annotation."""
    result = runner.invoke(app, ["validate", "/nonexistent/folder", "--format", "github"])
    assert result.exit_code == 2
    assert result.stdout.startswith("::error ")


def test_an_empty_folder_answers_in_json(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path), "--format", "json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["problems"][0]["code"] == "no-actuals-file"


@pytest.mark.parametrize(
    "args",
    [
        ["check", "{file}"],
        ["validate", "{file}"],
        ["check", str(SAMPLES), "--targets", "{targets}"],
    ],
)
def test_paths_the_system_calls_unreadable_are_gongfus_to_report(tmp_path, monkeypatch, args):
    """The command line does not refuse a path it judges unreadable in English (click's
    'path is not readable'); gongfu reads it and reports what is wrong, with a code."""
    data = tmp_path / "2025-06.csv"
    data.write_text("指标,数值\n新增就业岗位,520\n", encoding="utf-8")
    targets = tmp_path / "targets.yaml"
    targets.write_text((SAMPLES.parent / "targets.yaml").read_text(encoding="utf-8"))
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda path, mode, *a, **k: (
            False if str(path).startswith(str(tmp_path)) else real_access(path, mode, *a, **k)
        ),
    )
    result = runner.invoke(app, [a.format(file=data, targets=targets) for a in args])
    assert "is not readable" not in result.output
    assert result.exit_code in (0, 1)


def test_a_folder_given_as_targets_says_so():
    """--targets naming a folder: targets-unreadable saying it is a folder, exit 2."""
    result = runner.invoke(app, ["check", str(SAMPLES), "--targets", str(SAMPLES)])
    assert result.exit_code == 2
    assert "[targets-unreadable]" in result.stderr and "目录" in result.stderr


def test_ctrl_c_while_the_command_line_is_imported_is_one_line(monkeypatch, capsys):
    """A Ctrl-C before the command line is even loaded: one line and exit 130, no traceback."""
    import builtins
    import sys

    from gongfu_cli import entry

    real_import = builtins.__import__

    def interrupted(name, *args, **kwargs):
        if name == "cli" or name.endswith(".cli"):
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "gongfu_cli.cli", raising=False)
    monkeypatch.setattr(builtins, "__import__", interrupted)
    with pytest.raises(SystemExit) as exited:
        entry.main()
    assert exited.value.code == 130
    assert capsys.readouterr().err.strip() == "gongfu: 已中断 / interrupted"


def test_a_control_character_in_the_yaml_is_located(tmp_path):
    """A raw ESC in targets.yaml: targets-yaml-error at its line and column, in words."""
    path = tmp_path / "targets.yaml"
    path.write_bytes(b"plan: ok\nyear: 2025\nname: a\x1bb\n")
    result = runner.invoke(app, ["targets", "--targets", str(path)])
    assert result.exit_code == 1
    assert f"{path} 第3行第8列：" in result.stderr and "U+001B" in result.stderr
    assert "<U+000A>" not in result.stderr and "position" not in result.stderr


def test_a_control_character_after_chinese_text_is_located(tmp_path):
    """The line and column are characters, also after Chinese text (libyaml counts bytes)."""
    path = tmp_path / "targets.yaml"
    path.write_bytes("plan: 嵊泗县方案\nyear: 2025\nname: 旅游\x1b收入\n".encode())
    result = runner.invoke(app, ["targets", "--targets", str(path)])
    assert f"{path} 第3行第9列：" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["check", str(SAMPLES), "--format", "json", "--period", "2025-13"],
        ["check", str(SAMPLES), "--format", "json", "--owner", "乡镇"],
        ["check", str(SAMPLES), "--format", "json", "--status", "purple"],
        ["trend", str(SAMPLES), "--format", "json", "--indicator", "no_such_thing"],
    ],
)
def test_a_refused_option_still_answers_in_json(args):
    """--format json with an option gongfu refuses: exit 2 and a JSON document naming it."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    document = json.loads(result.stdout, parse_constant=refuse)
    assert [e["code"] for e in document["errors"]] == ["bad-option"]
    assert document["errors"][0]["message"]
