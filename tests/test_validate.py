"""gongfu validate: every check, every format, exit codes, Excel in and out."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import gongfu_cli as gf
from conftest import ROOT, SAMPLES
from gongfu_cli.cli.root import app
from gongfu_cli.judge.validate import validate_files
from gongfu_cli.model.problems import CATALOGUE, codes_markdown
from gongfu_cli.read.files import expand_paths

runner = CliRunner()
HEADER = ["indicator", "value", "unit"]


def run(*args: str):
    return runner.invoke(app, list(args))


def problems_of(report):
    return [(Path(p.file).name, p.code, p.line, p.indicator) for p in report.problems]


def test_sample_folder_is_valid():
    result = run("validate", str(SAMPLES))
    assert result.exit_code == 0, result.stdout
    assert "通过：6 个文件，0 个错误，2 个警告" in result.stdout


def test_strict_makes_warnings_fail():
    assert run("validate", str(SAMPLES), "--strict").exit_code == 1


def test_folder_is_read_in_period_order(tmp_path):
    for name in ("2025-03.csv", "2025-01.xlsx", "notes.txt", "2025-02.csv"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in expand_paths([tmp_path])] == [
        "2025-01.xlsx",
        "2025-02.csv",
        "2025-03.csv",
    ]


def test_cumulative_decrease_names_both_files(write_csv, targets):
    march = write_csv([["new_jobs", "230"], ["gdp", "40"]], name="2025-03.csv", header=HEADER[:2])
    april = write_csv([["new_jobs", "200"]], name="2025-04.csv", header=HEADER[:2])
    report = validate_files([april, march], targets)
    (problem,) = [p for p in report.problems if p.code == "cumulative-decrease"]
    assert (Path(problem.file).name, problem.line, problem.indicator) == (
        "2025-04.csv",
        2,
        "new_jobs",
    )
    message = problem.message("zh")
    assert "2025-03.csv" in message and "230" in message and "200" in message


def test_levels_may_fall(write_csv, targets):
    """Only year-to-date totals must not fall; a rate may go down."""
    march = write_csv([["air_good_days_ratio", "99"]], name="2025-03.csv", header=HEADER[:2])
    april = write_csv([["air_good_days_ratio", "98"]], name="2025-04.csv", header=HEADER[:2])
    report = validate_files([march, april], targets)
    assert "cumulative-decrease" not in {p.code for p in report.problems}


def test_inconsistent_rule_from_the_yaml(write_csv, targets):
    path = write_csv([["projects_over_100m", "1"], ["projects_over_1b", "2"]], header=HEADER[:2])
    report = validate_files([path], targets)
    (problem,) = [p for p in report.problems if p.code == "inconsistent"]
    assert (problem.line, problem.indicator) == (3, "projects_over_1b")


def test_missing_indicator_is_a_warning(write_csv, targets):
    path = write_csv([["new_jobs", "5"]], name="2025-05.csv", header=HEADER[:2])
    report = validate_files([path], targets)
    missing = {p.indicator for p in report.problems if p.code == "missing-indicator"}
    assert "tourism_revenue" in missing and "gdp" not in missing  # gdp is quarterly
    assert report.valid and report.errors == []


def test_january_file_misses_nothing(write_csv, targets):
    path = write_csv([["new_jobs", "5"]], name="2025-01.csv", header=HEADER[:2])
    assert validate_files([path], targets).problems == []


def test_period_column_must_agree_with_the_name(write_csv, targets):
    path = write_csv(
        [["new_jobs", "5", "2025-06"], ["gdp", "80", "2025年5月"]],
        header=["indicator", "value", "期间"],
    )
    report = validate_files([path], targets)
    assert [(p.code, p.line) for p in report.errors] == [("period-mismatch", 3)]


def test_file_from_another_year(write_csv, targets):
    path = write_csv([["new_jobs", "5"]], name="2024-06.csv", header=HEADER[:2])
    assert "period-mismatch" in {p.code for p in validate_files([path], targets).errors}


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("2025-06.csv", b"", "empty-file"),
        ("2025-06.csv", b"\x00\x01\x02binary\x00", "unreadable-file"),
        ("2025-06.xlsx", b"not a zip", "unreadable-file"),
        ("2025-06.txt", b"indicator,value\n", "unsupported-file"),
        ("june.csv", b"indicator,value\nnew_jobs,5\n", "no-period"),
    ],
)
def test_file_level_problems_name_the_file(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    result = run("validate", str(path), "--format", "json")
    assert result.exit_code == 1
    (problem,) = json.loads(result.stdout)["problems"]
    assert (problem["code"], problem["file"]) == (code, str(path))


def test_missing_path_exits_2():
    assert run("validate", "no/such/folder").exit_code == 2


def test_empty_folder_exits_2(tmp_path):
    assert run("validate", str(tmp_path)).exit_code == 2


def test_json_is_the_library_report(write_csv, targets):
    path = write_csv([["new_jobs", "x"], ["nope", "1"]], header=HEADER[:2])
    result = run("validate", str(path), "--format", "json")
    document = json.loads(result.stdout)
    assert document == validate_files([path], targets).to_dict()
    assert document == gf.validate(path).to_dict()
    assert document["valid"] is False
    assert document["summary"]["errors"] == 2
    for problem in document["problems"]:
        assert set(problem) >= {
            "code",
            "severity",
            "message",
            "file",
            "line",
            "column",
            "indicator",
        }


def test_text_output_is_grouped_and_located(write_csv):
    path = write_csv([["new_jobs", "x"]], header=HEADER[:2])
    result = run("validate", str(path), "--lang", "en")
    lines = result.stdout.splitlines()
    assert lines[0] == str(path)
    assert lines[1].startswith("  line 2, column 'value': error [invalid-number]")
    assert lines[-1].startswith("invalid: 1 file, 1 error, ")


def test_github_annotations(write_csv):
    path = write_csv([["new_jobs", "x"]], name="2025-05.csv", header=HEADER[:2])
    result = run("validate", str(path), "--format", "github")
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"::error file={path},line=2,title=invalid-number::")
    assert any(
        line.startswith(f"::warning file={path},title=missing-indicator::") for line in lines
    )


def test_text_output_caps_problems_per_file(tmp_path):
    path = tmp_path / "2025-01.csv"  # January: no missing-indicator warnings
    path.write_text("indicator,value\n" + "nope,1\n" * 120, encoding="utf-8")
    result = run("validate", str(path))
    assert "另有 70 个问题未列出" in result.stdout
    document = json.loads(run("validate", str(path), "--format", "json").stdout)
    assert len(document["problems"]) == 120


def test_every_code_has_both_languages_and_advice():
    for spec in CATALOGUE.values():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", spec.code)
        assert spec.severity in ("error", "warning")
        assert spec.zh and spec.en and spec.fix_zh and spec.fix_en


def test_readme_code_table_is_generated_from_the_catalogue():
    """The README's table is `gongfu codes` output, so the two cannot drift."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert codes_markdown("zh") in readme


# --- Excel ---------------------------------------------------------------


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def test_xlsx_is_read_with_excel_row_numbers(tmp_path, targets):
    path = _xlsx(
        tmp_path / "2025-06.xlsx",
        [
            ["指标", "数值", "单位"],
            ["新增就业岗位", 520, "个"],
            [None, None, None],
            ["旅游总收入", 660000, "万元"],
            ["pm25_rank", 1.5, None],
        ],
    )
    report = validate_files([path], targets)
    assert [(p.code, p.line) for p in report.errors] == [("non-integer", 5)]
    from gongfu_cli.read.actuals import read_actuals

    readings = read_actuals(path, targets).readings
    assert readings["tourism_revenue"].value == 66
    assert readings["new_jobs"].value == 520


def test_template_csv_round_trip(tmp_path, targets):
    """A filled-in CSV template passes validate and check as it stands; left empty,
    its rows are the due indicators still missing (missing-indicator), nothing else."""
    out = tmp_path / "2025-06.csv"
    result = run("template", "2025-06", "-o", str(out))
    assert result.exit_code == 0
    assert out.read_bytes().startswith("\ufeff填报单位".encode())  # BOM + the 填报单位 block
    document = json.loads(run("validate", str(out), "--format", "json").stdout)
    assert {p["code"] for p in document["problems"]} == {"missing-indicator"}
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[1] == [
        "序号",
        "指标名称",
        "单位",
        "年度目标",
        "上月累计",
        "本月数值",
        "填报口径",
        "备注",
        "指标ID",
    ]
    for row in rows[2:]:
        row[5] = "已完成" if "已完成" in row[6] else "520"
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    document = json.loads(run("check", str(out), "--format", "json").stdout)
    new_jobs = next(i for i in document["indicators"] if i["id"] == "new_jobs")
    assert new_jobs["actual"] == 520
    assert len(rows) - 2 == sum(1 for i in targets.indicators if i.frequency.value != "annual")


def test_template_xlsx_is_protected_and_fillable(tmp_path):
    """The .xlsx locks what is not to be typed over, opens unit, value and note, and
    filled in passes validate --strict."""
    from openpyxl import load_workbook

    out = tmp_path / "2025-12.xlsx"
    assert run("template", "2025-12", "--xlsx", "-o", str(out)).exit_code == 0
    workbook = load_workbook(out)
    sheet = workbook.active
    assert sheet.protection.sheet is True
    assert [c.value for c in sheet[4]][:6] == [
        "序号",
        "指标名称",
        "单位",
        "年度目标",
        "上月累计",
        "本月数值",
    ]
    assert sheet["B5"].protection.locked and not sheet["F5"].protection.locked
    assert not sheet["C5"].protection.locked  # the unit is a drop-down, not locked
    from gongfu_cli.read.targets_file import load_targets
    from gongfu_cli.read.targets_place import bundled_targets

    catalogue = load_targets(bundled_targets())
    for row in sheet.iter_rows(min_row=5):
        # a figure as a unit would send it: the target itself (no doubt raised on it)
        target = catalogue.by_id[row[8].value].target_value
        milestone = "已完成" in str(row[6].value)
        row[5].value = "已完成" if milestone else (target if target is not None else 95)
    workbook.save(out)
    result = run("validate", str(out), "--strict")
    assert result.exit_code == 0, result.output


def test_template_refuses_to_overwrite(tmp_path):
    out = tmp_path / "2025-06.csv"
    out.write_text("keep me", encoding="utf-8")
    result = run("template", "2025-06", "-o", str(out))
    assert result.exit_code == 2 and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    assert run("template", "2025-06", "-o", str(out), "--force").exit_code == 0
    assert out.read_text(encoding="utf-8-sig").startswith("填报单位")
    assert [p.name for p in tmp_path.iterdir()] == ["2025-06.csv"]  # no temp file left


def test_template_bad_period():
    assert run("template", "June").exit_code == 2


# --- targets, schema -----------------------------------------------------


def test_targets_lists_the_catalogue(targets):
    result = run("targets", "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["indicators"]) == len(targets.indicators)
    markdown = run("targets", "--format", "markdown").stdout
    assert "| gdp | 地区生产总值（又作：GDP、生产总值、地区GDP） | > 180 亿元 |" in markdown


def test_targets_reports_every_broken_field(write_yaml):
    from conftest import MINIMAL_TARGET

    broken = MINIMAL_TARGET.replace("kind: cumulative", "kind: nope").replace(
        "frequency: quarterly", "frequency: weekly"
    )
    result = run("targets", "--targets", str(write_yaml(broken)))
    assert result.exit_code == 1
    assert "indicators[0].kind" in result.stderr and "indicators[0].frequency" in result.stderr
    assert "第10行「indicators[0].kind」字段：" in result.stderr
    assert "第11行「indicators[0].frequency」字段：" in result.stderr


def test_targets_missing_file_exits_2(tmp_path):
    assert run("targets", "--targets", str(tmp_path / "none.yaml")).exit_code == 2


def test_schema_validates_the_bundled_targets():
    """The printed JSON Schema describes the real file (checked with the schema's own model)."""
    import yaml

    schema = json.loads(run("schema").stdout)
    assert schema["title"] == "gongfu targets.yaml"
    data = yaml.safe_load((ROOT / "data" / "targets.yaml").read_text(encoding="utf-8"))
    assert set(data) <= set(schema["properties"])
    assert set(schema["required"]) <= set(data)
    indicator = schema["$defs"]["Indicator"]
    for item in data["indicators"]:
        assert set(item) <= set(indicator["properties"])
        assert set(indicator["required"]) <= set(item)


def test_xlsx_percent_formatted_cells_are_percent(tmp_path, targets):
    """Excel stores a cell shown as 97.2% as 0.972; gongfu reads what the analyst typed."""
    from openpyxl import Workbook

    from gongfu_cli.read.actuals import read_actuals

    workbook = Workbook()
    sheet = workbook.active
    sheet["B3"], sheet["C3"] = "指标", "数值"  # a table that starts below a title block
    sheet["B4"], sheet["C4"] = "air_good_days_ratio", 0.972
    sheet["C4"].number_format = "0.0%"
    sheet["B6"], sheet["C6"] = "new_jobs", "abc"
    path = tmp_path / "2025-06.xlsx"
    workbook.save(path)
    actuals = read_actuals(path, targets)
    assert actuals.readings["air_good_days_ratio"].value == 97.2
    assert [(p.code, p.line) for p in actuals.problems] == [("invalid-number", 6)]


def test_period_option_for_files_named_without_one(write_csv):
    path = write_csv([["new_jobs", "5"]], name="海洋局报送.csv", header=HEADER[:2])
    assert run("validate", str(path)).exit_code == 1
    result = run("validate", str(path), "--period", "2025-01", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["files"][0]["period"] == "2025-01"
