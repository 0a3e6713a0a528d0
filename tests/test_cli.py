"""gongfu check end to end: formats, filters, exit codes, and the installed command."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import gongfu_cli as gf
from conftest import MINIMAL_TARGET, ROOT, SAMPLES
from gongfu_cli.cli.root import app
from gongfu_cli.judge.year import evaluate_year

runner = CliRunner()
JUNE = str(SAMPLES / "2025-06.csv")


def run(*args: str):
    return runner.invoke(app, list(args))


def test_table_is_chinese_by_default():
    result = run("check", JUNE)
    assert result.exit_code == 0, result.output
    for word in ("亮灯", "指标", "完成率 / 序时进度", "责任单位", "旅游总收入", "滞后", "绿灯"):
        assert word in result.stdout
    assert "\x1b[" not in result.stdout  # no colour codes when not a terminal


def test_table_in_english():
    result = run("check", JUNE, "--lang", "en")
    assert result.exit_code == 0
    assert "Total tourism revenue" in result.stdout and "off track" in result.stdout


def test_json_matches_the_library(targets):
    """The JSON is exactly the API's review.to_dict(), in either language."""
    result = run("check", JUNE, "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document == gf.review(JUNE).to_dict()
    assert json.loads(run("check", JUNE, "--format", "json", "--lang", "en").stdout) == document
    report = evaluate_year(Path(JUNE), targets).latest
    assert document["period"] == "2025-06"
    assert document["previous_period"] == "2025-05"
    assert document["encoding"] == "utf-8-sig"
    assert document["summary"] == report.summary()
    assert document["indicators"] == [e.to_dict() for e in report.evaluations]
    assert document["errors"] == []
    tourism = next(i for i in document["indicators"] if i["id"] == "tourism_revenue")
    assert tourism["actual"] == 66  # reported as 660,000 万元
    assert (tourism["status"], tourism["light"]) == ("off_track", "red")
    assert tourism["time_progress"] == 0.5


def test_markdown_pastes_into_a_document():
    result = run("check", JUNE, "--format", "markdown")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("### 2025-06")
    assert lines[2].startswith("| 亮灯 | 指标 |")
    assert any(line.startswith("| 红 | 旅游总收入 |") for line in lines)


def test_text_lists_red_indicators_with_owners():
    """The briefing paragraph names each red indicator with its gap and its owners."""
    result = run("check", JUNE, "--format", "text")
    assert "红灯指标6项：" in result.stdout  # 放流 is judged at year end (pending in June)
    assert (
        "改造供水管网（累计8.2公里，完成率41.0%，序时进度50.0%，落后9.0个百分点，预计全年16.4公里，责任单位：县农业农村局）"
        in (result.stdout)
    )
    assert "未报送2项：" in result.stdout


def test_csv_has_one_row_per_indicator(targets):
    result = run("check", JUNE, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(targets.indicators)
    assert rows[0]["id"] == "gdp" and rows[0]["light"] == "yellow"


def test_owner_filter():
    result = run("check", JUNE, "--format", "json", "--owner", "县公安局")
    ids = {i["id"] for i in json.loads(result.stdout)["indicators"]}
    assert ids == {
        "rural_road_repair_km",
        "rural_road_new_km",
        "huaniao_ship_and_transit_hub",
        "middle_income_household_share",
        "income_monitoring_pilot",
    }


def test_status_filter():
    result = run("check", JUNE, "--format", "json", "--status", "红")
    lights = {i["light"] for i in json.loads(result.stdout)["indicators"]}
    assert lights == {"red"}


@pytest.mark.parametrize(("fail_on", "code"), [("never", 0), ("red", 1), ("yellow", 1)])
def test_fail_on(fail_on, code):
    assert run("check", JUNE, "--fail-on", fail_on).exit_code == code


def test_fail_on_red_passes_when_nothing_is_red():
    result = run("check", JUNE, "--fail-on", "red", "--status", "green")
    assert result.exit_code == 0


def test_folder_means_its_latest_file():
    result = run("check", str(SAMPLES), "--format", "json")
    assert json.loads(result.stdout)["period"] == "2025-06"


def test_data_errors_exit_1_and_are_located(write_csv):
    path = write_csv([["new_jobs", "abc"], ["新增就业", "5"]], header=["指标", "数值"])
    result = run("check", str(path), "--format", "json")
    assert result.exit_code == 1
    errors = json.loads(result.stdout)["errors"]
    assert [(e["code"], e["line"], e["column"]) for e in errors] == [
        ("invalid-number", 2, "数值 / value"),
        ("unknown-indicator", 3, "指标 / indicator"),
    ]
    assert errors[0]["file"] == str(path)
    indicator = next(i for i in json.loads(result.stdout)["indicators"] if i["id"] == "new_jobs")
    assert indicator["status"] == "invalid"


def test_problems_go_to_stderr_with_location(write_csv):
    path = write_csv([["new_jobs", "abc"]], header=["indicator", "value"])
    result = run("check", str(path))
    assert result.exit_code == 1
    assert f"{path} 第2行「数值」列：错误 [invalid-number]" in result.stderr
    assert "invalid-number" not in result.stdout


def test_unreadable_file_exits_1_with_json(tmp_path):
    path = tmp_path / "2025-06.csv"
    path.write_bytes(b"")
    result = run("check", str(path), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["errors"][0]["code"] == "empty-file"


@pytest.mark.parametrize(
    "args",
    [
        ("check", "no/such/2025-06.csv"),
        ("check", JUNE, "--format", "pdf"),
        ("check", JUNE, "--status", "purple"),
        ("check", JUNE, "--period", "June"),
    ],
)
def test_could_not_run_exits_2(args):
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_broken_targets_exit_2(write_yaml):
    path = write_yaml(MINIMAL_TARGET.replace("kind: cumulative", "kind: nope"))
    result = run("check", JUNE, "--targets", str(path))
    assert result.exit_code == 2
    assert "[targets-invalid]" in result.stderr and "indicators[0].kind" in result.stderr


def test_period_option_overrides_the_name(write_csv):
    path = write_csv([["new_jobs", "520"]], name="june.csv", header=["indicator", "value"])
    assert run("check", str(path)).exit_code == 2
    result = run("check", str(path), "--period", "2025-06", "--format", "json")
    assert json.loads(result.stdout)["period"] == "2025-06"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_hand_made_files_in_each_encoding(write_csv, encoding):
    path = write_csv(
        [["旅游总收入", "660000", "万元", ""], ["供水管网漏损率", "１７％", "", ""]],
        encoding=encoding,
        header=["指标", "数值", "单位", "备注"],
    )
    result = run("check", str(path), "--format", "json")
    assert result.exit_code == 0
    by_id = {i["id"]: i for i in json.loads(result.stdout)["indicators"]}
    assert by_id["tourism_revenue"]["actual"] == 66
    assert by_id["water_leakage_rate"]["light"] == "red"


def test_every_command_has_help():
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        result = run(name, "--help")
        assert result.exit_code == 0
        assert command.callback.__doc__, name
        assert "gongfu" in command.callback.__doc__  # each help carries an example


def test_help_lists_the_review_commands_first():
    """check is what analysts run: --help lists it first, in the README's order."""
    from gongfu_cli.cli import COMMAND_ORDER

    result = run("--help")
    commands = result.stdout.split("命令 / Commands:")[1]
    listed = re.findall(r"^  ([a-z]+) ", commands, flags=re.MULTILINE)
    assert listed == list(COMMAND_ORDER)
    assert listed[:3] == ["check", "brief", "trend"]


@pytest.mark.parametrize(
    "argv",
    [["--help"]]
    + [[name, "--help"] for name in ("check", "validate", "brief", "trend", "owners", "report")],
)
def test_help_does_not_import_heavy_libraries(argv):
    """--help must stay instant: no pandas, no openpyxl, not even the pydantic models."""
    code = (
        f"import sys; sys.argv = ['gongfu', *{argv!r}]\n"
        "from gongfu_cli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'openpyxl', 'gongfu_cli.model.targets', 'rich.table')\n"
        "         if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "HEAVY []" in out


def test_no_traceback_from_the_entry_point_on_internal_errors(monkeypatch, capsys):
    import gongfu_cli.cli as cli

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr("gongfu_cli.api.review", boom)
    monkeypatch.setattr(sys, "argv", ["gongfu", "check", JUNE])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 2
    assert "internal error: RuntimeError: kaboom" in capsys.readouterr().err


@pytest.mark.slow
def test_installed_command_runs_from_another_directory(tmp_path):
    """The console script finds the bundled targets when run far from the checkout."""
    gongfu = shutil.which("gongfu", path=str(Path(sys.executable).parent))
    assert gongfu, "gongfu is not installed in this environment"
    folder = tmp_path / "some" / "folder"
    folder.mkdir(parents=True)
    shutil.copy(JUNE, folder / "2025-06.csv")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [gongfu, "check", "some/folder/2025-06.csv", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["period"] == "2025-06"
    module = subprocess.run(
        [sys.executable, "-m", "gongfu_cli", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert module.stdout.startswith("gongfu ")


def test_bundled_targets_match_the_repository():
    from gongfu_cli.read.targets_place import bundled_targets

    assert bundled_targets().read_bytes() == (ROOT / "data" / "targets.yaml").read_bytes()
