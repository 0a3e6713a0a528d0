"""A month is every file for that month (issue 9): units' files merged, conflicts
named, a folder per month, completeness judged per unit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from conftest import SAMPLES
from gongfu_cli.cli.root import app
from gongfu_cli.judge.validate import validate_files
from gongfu_cli.judge.year import evaluate_year
from gongfu_cli.read.files import expand_paths, sender_from_name

runner = CliRunner()

JUNE = (SAMPLES / "2025-06.csv").read_text(encoding="utf-8-sig").splitlines()


def split_june(folder: Path, parts: dict[str, tuple[str, str]]) -> None:
    """Write June's sample rows as several units' files: name → (encoding, row filter)."""
    header, rows = JUNE[0], JUNE[1:]
    chunks = [rows[i :: len(parts)] for i in range(len(parts))]
    for (name, encoding), chunk in zip(parts.items(), chunks, strict=True):
        path = folder / name
        if name.endswith(".xlsx"):
            workbook = Workbook()
            sheet = workbook.active
            for line in [header, *chunk]:
                sheet.append(line.split(","))
            workbook.save(path)
        else:
            path.write_text("\n".join([header, *chunk]) + "\n", encoding=encoding)


def review(path: Path, *args: str) -> dict:
    result = runner.invoke(app, ["check", str(path), "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def verdicts(document: dict) -> list[tuple]:
    return [(i["id"], i["status"], i["actual"]) for i in document["indicators"]]


@pytest.fixture
def year(tmp_path: Path) -> Path:
    """The sample year up to May, as one combined file a month."""
    folder = tmp_path / "actuals"
    folder.mkdir()
    for month in range(1, 6):
        shutil.copy(SAMPLES / f"2025-{month:02d}.csv", folder)
    return folder


def test_five_units_files_give_the_same_review_as_one_file(year, tmp_path):
    """June as five units' files (CSV, XLSX, one GBK) reviews exactly as the combined file."""
    combined = tmp_path / "combined"
    shutil.copytree(year, combined)
    shutil.copy(SAMPLES / "2025-06.csv", combined)
    split_june(
        year,
        {
            "2025-06-县民社局.csv": "utf-8",
            "2025-06-县文广旅体局.csv": "utf-8-sig",
            "2025-06 县海洋与渔业局.csv": "gbk",
            "2025-06-县住建局.xlsx": "",
            "2025-06_县发改局.xlsx": "",
        },
    )
    merged, single = review(year), review(combined)
    assert verdicts(merged) == verdicts(single)
    assert merged["period"] == "2025-06"
    assert not [e for e in merged["errors"] if e["code"] == "conflicting-values"]


def test_a_folder_named_for_the_month_is_that_month(year):
    """2025-06/ holding units' files is June; the files need no month in their names."""
    june = year / "2025-06"
    june.mkdir()
    split_june(june, {"县民社局.csv": "gbk", "县住建局.xlsx": "", "县发改局报表.csv": "utf-8"})
    document = review(year)
    assert document["period"] == "2025-06"
    combined = review(SAMPLES)
    assert verdicts(document) == verdicts(combined)
    # the month's folder named on its own is the same month, with the same history
    assert verdicts(review(june)) == verdicts(combined)


def test_a_month_folder_beside_the_months_own_file_is_a_clash(year):
    """2025-06.csv and 2025-06/ both present: the folder is used and the warning says so."""
    june = year / "2025-06"
    june.mkdir()
    shutil.copy(SAMPLES / "2025-06.csv", june / "县统计局.csv")
    shutil.copy(SAMPLES / "2025-05.csv", year / "2025-06.csv")
    document = review(year)
    clash = [w for w in document["warnings"] if w["code"] == "duplicate-period"]
    assert [Path(w["file"]).name for w in clash] == ["2025-06.csv"]
    assert "2025-06/" in clash[0]["message"]


def test_differing_figures_in_two_files_are_a_conflict(year):
    """The same indicator with different figures in two files: conflicting-values naming
    both files and lines, and the indicator is invalid, never lit."""
    (year / "2025-06-县文广旅体局.csv").write_text(
        "指标,数值,单位\n旅游总收入,66,亿元\n", encoding="utf-8"
    )
    (year / "2025-06-县统计局.csv").write_text(
        "指标,数值,单位\n新增就业岗位,520,个\n旅游总收入,670000,万元\n", encoding="gbk"
    )
    document = review(year)
    tourism = next(i for i in document["indicators"] if i["id"] == "tourism_revenue")
    assert tourism["status"] == "invalid"
    [conflict] = [e for e in document["errors"] if e["code"] == "conflicting-values"]
    assert Path(conflict["file"]).name == "2025-06-县统计局.csv" and conflict["line"] == 3
    assert "2025-06-县文广旅体局.csv" in conflict["message"] and "第 2 行" in conflict["message"]
    assert "67" in conflict["message"] and "66" in conflict["message"]


def test_equal_figures_in_two_units_agree_after_conversion(year):
    """66 亿元 in one file and 660,000 万元 in another are the same figure: no conflict."""
    (year / "2025-06-县文广旅体局.csv").write_text("指标,数值,单位\n旅游总收入,66,亿元\n")
    (year / "2025-06-县统计局.csv").write_text('指标,数值,单位\n旅游总收入,"660,000",万元\n')
    document = review(year)
    tourism = next(i for i in document["indicators"] if i["id"] == "tourism_revenue")
    assert tourism["actual"] == 66 and tourism["status"] != "invalid"
    assert not document["errors"]


def test_a_blank_row_gives_way_to_a_figure(year):
    """A unit leaving another unit's row blank ('-') takes nothing from the month."""
    (year / "2025-06-县民社局.csv").write_text("指标,数值\n旅游总收入,-\n新增就业岗位,520\n")
    (year / "2025-06-县文广旅体局.csv").write_text("指标,数值\n旅游总收入,66\n")
    document = review(year)
    tourism = next(i for i in document["indicators"] if i["id"] == "tourism_revenue")
    assert tourism["actual"] == 66


def test_one_unreadable_file_does_not_hide_the_others(year):
    """A broken unit file is an error of the month; the other files are still reviewed."""
    (year / "2025-06-县文广旅体局.csv").write_text("指标,数值\n旅游总收入,66\n")
    (year / "2025-06-县民社局.xlsx").write_bytes(b"not a workbook")
    result = runner.invoke(app, ["check", str(year), "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    tourism = next(i for i in document["indicators"] if i["id"] == "tourism_revenue")
    assert tourism["actual"] == 66
    assert any(Path(e["file"]).name == "2025-06-县民社局.xlsx" for e in document["errors"])


@pytest.mark.parametrize(
    ("name", "sender"),
    [
        ("2025-06.csv", None),
        ("2025-06-县民社局.csv", "县民社局"),
        ("2025-06 海洋局.xlsx", "海洋局"),
        ("2025年6月县住建局报表.xlsx", "县住建局"),
        ("202506_县发改局.csv", "县发改局"),
    ],
)
def test_the_sender_is_the_name_after_the_period(name, sender):
    assert sender_from_name(Path(name)) == sender


def test_validate_judges_a_units_file_on_the_indicators_it_owns(tmp_path, targets):
    """A unit's own file passes validate --strict when its own due rows are there, instead
    of drawing warnings for every other unit's indicators."""
    from gongfu_cli.model.period import Period
    from gongfu_cli.model.targets import is_due

    due = [i for i in targets.indicators if "县民社局" in i.owners and is_due(i, Period(2025, 6))]
    assert len(due) >= 3
    path = tmp_path / "2025-06-县民社局.csv"
    figure = {"milestone": "未完成", "rank": "1"}
    rows = [f"{i.id},{figure.get(i.kind.value, '5')}" for i in due]
    path.write_text("indicator,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report = validate_files([path], targets)
    missing = {p.indicator for p in report.problems if p.code == "missing-indicator"}
    assert missing == set()
    assert report.valid
    dropped = tmp_path / "2025-06-民社局.csv"  # 县 dropped, as analysts type it
    dropped.write_text("indicator,value\n" + "\n".join(rows[1:]) + "\n", encoding="utf-8")
    report = validate_files([dropped], targets)
    assert [p.indicator for p in report.problems if p.code == "missing-indicator"] == [due[0].id]


def test_validate_merges_the_months_files(tmp_path, targets):
    """validate on a folder compares merged months: a conflict between units and a total
    that falls from May's merged figure are both found."""
    (tmp_path / "2025-05.csv").write_text("indicator,value\ntourism_revenue,60\n")
    (tmp_path / "2025-06-县文广旅体局.csv").write_text(
        "indicator,value\ntourism_revenue,55\nnew_jobs,500\n"
    )
    (tmp_path / "2025-06-县统计局.csv").write_text(
        "indicator,value\ntourism_revenue,55\nnew_jobs,510\n"
    )
    months: dict = {}
    files = expand_paths([tmp_path], [], months)
    report = validate_files(files, targets, periods=months)
    codes = sorted(p.code for p in report.errors)
    assert codes == ["conflicting-values", "cumulative-decrease"]


def test_evaluate_year_keeps_each_readings_source(year):
    """Every reading keeps its file, line and sender."""
    (year / "2025-06-县民社局.csv").write_text("指标,数值\n新增就业岗位,520\n", encoding="gbk")
    (year / "2025-06-县文广旅体局.csv").write_text("指标,数值\n\n旅游总收入,66\n")
    from gongfu_cli.read.targets_file import load_targets
    from gongfu_cli.read.targets_place import bundled_targets

    latest = evaluate_year(year, load_targets(bundled_targets())).latest
    readings = {e.indicator.id: e.reading for e in latest.evaluations if e.reading}
    jobs, tourism = readings["new_jobs"], readings["tourism_revenue"]
    assert (Path(jobs.file).name, jobs.line, jobs.sender) == ("2025-06-县民社局.csv", 2, "县民社局")
    assert (Path(tourism.file).name, tourism.line, tourism.sender) == (
        "2025-06-县文广旅体局.csv",
        3,
        "县文广旅体局",
    )


# ---------------------------------------------------------------------------
# check trusts nothing validate rejects; a row sent is never 未报送


def test_a_misspelled_row_is_not_called_unreported(year, tmp_path):
    """旅游总收人 (a typo) sent by the unit: the briefing saved to a file says the figure
    is to be checked, never that 旅游总收入 was not reported."""
    (year / "2025-06.csv").write_text(
        "指标,数值,单位\n旅游总收人,66,亿元\n新增就业岗位,520,个\n", encoding="gbk"
    )
    document = review(year)
    tourism = next(i for i in document["indicators"] if i["id"] == "tourism_revenue")
    assert tourism["status"] == "invalid"
    [typo] = [e for e in document["errors"] if e["code"] == "unknown-indicator"]
    assert "疑为“旅游总收入”" in typo["message"] and typo["indicator"] == "tourism_revenue"
    brief = runner.invoke(app, ["brief", str(year)]).stdout
    assert brief.startswith("数据待核：1项指标数据有误或存疑（旅游总收入）")
    import re

    not_reported = re.search(r"未报送\d+项：([^。]*)", brief)
    assert not_reported is not None  # other indicators are missing from this small file
    assert "旅游总收入" not in not_reported.group(1)
    assert re.search(r"数据有误、需核实重报\d+项：[^。]*旅游总收入", brief)


def test_a_misspelled_row_gives_way_to_the_right_name_in_another_file(year):
    """The typo in one unit's file does not outweigh the right row in another file."""
    (year / "2025-06-县文广旅体局.csv").write_text("指标,数值\n旅游总收人,70\n")
    (year / "2025-06-县统计局.csv").write_text("指标,数值\n旅游总收入,66\n")
    document = review(year)
    tourism = next(i for i in document["indicators"] if i["id"] == "tourism_revenue")
    assert tourism["actual"] == 66
    assert not [e for e in document["errors"] if e["code"] == "conflicting-values"]
    assert [e["code"] for e in document["errors"]] == ["unknown-indicator"]


def test_check_runs_the_rules_validate_runs(year):
    """10亿元以上项目 above 亿元以上项目: check exits 1 and both are invalid, as validate says."""
    (year / "2025-06.csv").write_text(
        "indicator,value\nprojects_over_100m,2\nprojects_over_1b,3\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["check", str(year), "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    status = {i["id"]: i["status"] for i in document["indicators"]}
    assert status["projects_over_100m"] == status["projects_over_1b"] == "invalid"
    assert "inconsistent" in [e["code"] for e in document["errors"]]
    assert runner.invoke(app, ["validate", str(year)]).exit_code == 1


def test_check_finds_a_total_below_last_month(year):
    """A year-to-date total lower than May's merged figure: check exits 1, the indicator
    is invalid, and the briefing opens with 数据待核."""
    (year / "2025-06.csv").write_text("indicator,value\ntourism_revenue,1\n")
    result = runner.invoke(app, ["check", str(year), "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    tourism = next(i for i in document["indicators"] if i["id"] == "tourism_revenue")
    assert tourism["status"] == "invalid"
    assert "cumulative-decrease" in [e["code"] for e in document["errors"]]
    assert runner.invoke(app, ["brief", str(year)]).stdout.startswith("数据待核")


def test_the_report_opens_with_the_data_to_check(year, tmp_path):
    """The saved report carries the 数据待核 line first, not only stderr."""
    (year / "2025-06.csv").write_text("indicator,value\ntourism_revenue,x\n")
    out = tmp_path / "r.html"
    runner.invoke(app, ["report", str(year), "-o", str(out)])
    page = out.read_text(encoding="utf-8")
    assert page.index('id="to-check"') < page.index('id="light-counts"')
    assert "数据待核：1项指标数据有误或存疑（旅游总收入）" in page


def test_a_clean_month_has_no_data_to_check_line():
    """The bundled June has no error: the briefing starts with the paragraph itself."""
    assert runner.invoke(app, ["brief", str(SAMPLES)]).stdout.startswith("截至2025年6月")


def test_validate_questions_doubtful_figures_too(tmp_path, targets):
    """A unit's PR with 660000 and no unit for 旅游总收入 fails validate --strict: the
    figure is questioned before it reaches a review."""
    (tmp_path / "2025-05.csv").write_text("indicator,value\ntourism_revenue,55\n")
    (tmp_path / "2025-06-县文广旅体局.csv").write_text("指标,数值,单位\n旅游总收入,660000,\n")
    months: dict = {}
    files = expand_paths([tmp_path], [], months)
    report = validate_files(files, targets, strict=True, periods=months)
    assert [p.code for p in report.warnings if p.indicator == "tourism_revenue"] == ["unit-suspect"]
    assert not report.valid


def test_an_indicator_owned_by_two_units_is_sent_once(tmp_path, targets):
    """validate on a folder: a co-owned indicator sent by one owner is not missing from
    the other owner's file (submissions counts it the same way)."""
    shared = next(i for i in targets.indicators if {"县民社局", "县发改局"} <= set(i.owners))
    (tmp_path / "2025-06-县民社局.csv").write_text(f"indicator,value\n{shared.id},5\n")
    (tmp_path / "2025-06-县发改局.csv").write_text("indicator,value\n")
    months: dict = {}
    files = expand_paths([tmp_path], [], months)
    report = validate_files(files, targets, periods=months)
    assert shared.id not in {p.indicator for p in report.problems if p.code == "missing-indicator"}


def test_a_conflict_with_a_file_that_repeats_the_row_is_not_a_false_conflict(year):
    """A row repeated within one file is duplicate-indicator there; it does not make a
    conflicting-values that shows the same figure on both sides."""
    (year / "2025-06-县住建局.csv").write_text("指标,数值\n县域就诊率,91.8\n县域就诊率,91.9\n")
    (year / "2025-06-县卫健局.csv").write_text("指标,数值\n县域就诊率,91.8\n")
    document = review(year)
    codes = [e["code"] for e in document["errors"]]
    assert "duplicate-indicator" in codes and "conflicting-values" not in codes
    rate = next(i for i in document["indicators"] if i["id"] == "county_treatment_rate")
    assert rate["status"] == "invalid"


def test_files_inside_a_month_folder_that_are_not_its_own_are_ignored(year):
    """An Excel lock file, or a May file put in 2025-06/, is an ignored-file warning."""
    june = year / "2025-06"
    june.mkdir()
    (june / "县统计局.csv").write_text("指标,数值\n旅游总收入,66\n")
    (june / "~$县民社局.xlsx").write_bytes(b"lock")
    (june / "2025-05-旧.csv").write_text("指标,数值\n旅游总收入,50\n")
    document = review(year)
    assert not document["errors"]
    ignored = {Path(w["file"]).name for w in document["warnings"] if w["code"] == "ignored-file"}
    assert ignored == {"~$县民社局.xlsx", "2025-05-旧.csv"}


def test_json_names_every_file_and_where_each_figure_came_from(year):
    """A merged month's JSON lists its files, and each figure its file and line; trend and
    owners JSON carry the month's problems too."""
    (year / "2025-06-县民社局.csv").write_text("指标,数值\n新增就业岗位,520\n旅游总收入,x\n")
    (year / "2025-06-县文广旅体局.csv").write_text("指标,数值\n县域就诊率,91.8\n")
    document = review(year)
    assert sorted(Path(f).name for f in document["files"]) == [
        "2025-06-县文广旅体局.csv",
        "2025-06-县民社局.csv",
    ]
    jobs = next(i for i in document["indicators"] if i["id"] == "new_jobs")
    assert (Path(jobs["file"]).name, jobs["line"]) == ("2025-06-县民社局.csv", 2)
    for command in ("trend", "owners"):
        other = json.loads(runner.invoke(app, [command, str(year), "-f", "json"]).stdout)
        assert [e["code"] for e in other["errors"]] == ["invalid-number"]
