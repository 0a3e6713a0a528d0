"""The per-unit template (issue 9): `template --owner`, a form staff can fill in
without asking, and the reader that takes it back, its 填报单位 as the sender."""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongfu_cli.cli import app
from gongfu_cli.model.period import Period
from gongfu_cli.model.targets import is_due
from gongfu_cli.read.actuals import read_actuals
from gongfu_cli.read.intake import read_month
from gongfu_cli.write.template import default_name, unit_choices

runner = CliRunner()
JULY = Period(2025, 7)
HEADER = [
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
FIRST_ROW = 5  # title, 填报单位 block, note, header


def run(*args: str):
    return runner.invoke(app, list(args))


def owned_due(targets, unit: str, period: Period = JULY) -> set[str]:
    return {i.id for i in targets.indicators if unit in i.owners and is_due(i, period)}


def figure_for(basis: str, target: float | None) -> object:
    """What a person types for a row, from its 填报口径: a year to date for a total,
    a negative growth, a level, or a milestone's answer."""
    if "已完成" in basis:
        return "已完成"
    if "增速" in basis:
        return -1.5
    if "累计数" in basis:
        return round((target or 12) * 7 / 12)
    return target or 1


def fill_xlsx(path: Path, targets, person: bool = True) -> dict[str, object]:
    """Fill a template as a person would in Excel; returns what was typed, by id."""
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    if person:
        sheet["D2"], sheet["F2"] = "张三", "0580-5081234"
    typed: dict[str, object] = {}
    for row in sheet.iter_rows(min_row=FIRST_ROW):
        ind = targets.by_id[row[8].value]
        typed[ind.id] = row[5].value = figure_for(row[6].value, ind.target)
    workbook.save(path)
    return typed


# ---------------------------------------------------------------------------
# template --owner: the unit's rows, named for it, its name pre-filled


@pytest.mark.parametrize("spelling", ["县民社局", "民社局", "民社"])
def test_owner_template_has_the_units_rows_and_name(tmp_path, monkeypatch, targets, spelling):
    """--owner as check --owner matches it: only the unit's indicators, the file named
    2025-07-县民社局.xlsx, and 填报单位 pre-filled with the unit's name."""
    from openpyxl import load_workbook

    monkeypatch.chdir(tmp_path)
    result = run("template", "2025-07", "--owner", spelling, "--xlsx")
    assert result.exit_code == 0, result.output
    path = tmp_path / "2025-07-县民社局.xlsx"
    sheet = load_workbook(path).worksheets[0]
    assert [c.value for c in sheet[4]] == HEADER
    assert (sheet["A2"].value, sheet["B2"].value) == ("填报单位：", "县民社局")
    ids = [row[8].value for row in sheet.iter_rows(min_row=FIRST_ROW)]
    assert ids and all("县民社局" in targets.by_id[i].owners for i in ids)
    assert set(ids) >= owned_due(targets, "县民社局")
    assert [row[0].value for row in sheet.iter_rows(min_row=FIRST_ROW)] == list(
        range(1, len(ids) + 1)
    )


def test_owner_template_csv_is_named_for_the_unit(tmp_path, monkeypatch):
    """Without --xlsx the same template is 2025-07-县民社局.csv, UTF-8 with a BOM."""
    monkeypatch.chdir(tmp_path)
    assert run("template", "2025-07", "--owner", "民社局").exit_code == 0
    data = (tmp_path / "2025-07-县民社局.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["填报单位：", "县民社局"] and rows[1] == HEADER


@pytest.mark.parametrize(
    ("owner", "said"),
    [
        ("乡镇", ["可指多个责任单位", "各乡镇", "各有关乡镇", "各相关乡镇"]),
        ("县不存在局", ["找不到责任单位"]),
    ],
)
def test_owner_ambiguous_or_unknown_exits_2_in_chinese(tmp_path, owner, said):
    """An --owner that could be several units, or none, writes nothing and exits 2
    naming the candidates, in Chinese."""
    result = run("template", "2025-07", "--owner", owner, "-o", str(tmp_path / "t.xlsx"))
    assert result.exit_code == 2
    assert all(text in result.stderr for text in said)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("owner", "name"),
    [
        ("县民社局", "2025-07-县民社局.csv"),
        ("县/局:*?", "2025-07-县_局___.csv"),
        (None, "2025-07.csv"),
    ],
)
def test_default_name_is_period_and_unit(owner, name):
    """The default file name is the period then the unit, safe on Windows."""
    assert default_name(JULY, owner, ".csv").name == name


# ---------------------------------------------------------------------------
# The round trip: template → filled in Excel → validate --strict → check


@pytest.mark.parametrize("rename", [False, True], ids=["as-named", "renamed-2025-07"])
def test_filled_owner_template_passes_validate_and_check(tmp_path, targets, rename):
    """A unit's template filled in as a person would (its block too) passes validate
    --strict; check uses every figure; the sender is the unit, from the 填报单位
    cell even when the file name no longer says it."""
    path = tmp_path / "2025-07-县民社局.xlsx"
    assert run("template", "2025-07", "--owner", "民社局", "--xlsx", "-o", str(path)).exit_code == 0
    typed = fill_xlsx(path, targets)
    if rename:
        path = path.rename(tmp_path / "2025-07.xlsx")
    strict = run("validate", str(path), "--strict")
    assert strict.exit_code == 0, strict.output
    document = json.loads(run("check", str(path), "--format", "json").stdout)
    shown = {i["id"]: i for i in document["indicators"]}
    for ind_id, value in typed.items():
        expected = True if value == "已完成" else value
        assert shown[ind_id]["actual"] == expected, ind_id
        assert shown[ind_id]["status"] not in ("no_data", "invalid")
    assert not document["errors"] and not document["warnings"]
    month = read_month([path], targets, JULY)
    assert month.sender == "县民社局"
    assert {r.sender for r in month.readings.values()} == {"县民社局"}


def test_a_unit_chosen_from_the_drop_down_is_converted(tmp_path, targets):
    """A figure given in 万人 through the unit drop-down is read in the target's 人."""
    from openpyxl import load_workbook

    path = tmp_path / "2025-07-县民社局.xlsx"
    run("template", "2025-07", "--owner", "民社局", "--xlsx", "-o", str(path))
    fill_xlsx(path, targets)
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    row = next(
        r for r in sheet.iter_rows(min_row=FIRST_ROW) if r[8].value == "key_group_assistance"
    )
    row[2].value, row[5].value = "万人", 0.03
    workbook.save(path)
    assert run("validate", str(path), "--strict").exit_code == 0
    assert read_actuals(path, targets).readings["key_group_assistance"].value == 300


def test_unfilled_owner_template_misses_only_the_units_due_rows(tmp_path, targets):
    """Left empty, a unit's template is the unit's due indicators missing, nothing else."""
    path = tmp_path / "2025-07-县民社局.xlsx"
    run("template", "2025-07", "--owner", "民社局", "--xlsx", "-o", str(path))
    document = json.loads(run("validate", str(path), "--format", "json").stdout)
    assert {p["code"] for p in document["problems"]} == {"missing-indicator"}
    assert {p["indicator"] for p in document["problems"]} == owned_due(targets, "县民社局")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_whole_catalogue_template_round_trip(tmp_path, targets, suffix):
    """The whole catalogue's template: empty, every due indicator is missing and nothing
    else is said; filled (填报单位 left blank), it passes validate --strict."""
    path = tmp_path / f"2025-07{suffix}"
    args = ["template", "2025-07", "-o", str(path)] + (["--xlsx"] if suffix == ".xlsx" else [])
    assert run(*args).exit_code == 0
    document = json.loads(run("validate", str(path), "--format", "json").stdout)
    assert {p["code"] for p in document["problems"]} == {"missing-indicator"}
    due = {i.id for i in targets.indicators if is_due(i, JULY)}
    assert {p["indicator"] for p in document["problems"]} == due
    if suffix == ".xlsx":
        fill_xlsx(path, targets, person=False)
    else:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        for row in rows[2:]:
            row[5] = str(figure_for(row[6], targets.by_id[row[8]].target))
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(rows)
    assert run("validate", str(path), "--strict").exit_code == 0
    assert read_actuals(path, targets).sender is None


# ---------------------------------------------------------------------------
# What the reader makes of the template's columns


def test_template_columns_raise_no_warning_and_are_not_figures(write_csv, targets):
    """序号, 指标名称, 年度目标, 上月累计, 填报口径 are known columns for people: no
    extra-column warning, and a 上月累计 figure is never read as this month's."""
    path = write_csv(
        [
            [
                "1",
                "旅游总收入",
                "亿元",
                "≥ 160 亿元",
                "70",
                "",
                "填1-7月累计数",
                "",
                "tourism_revenue",
            ],
            ["2", "地区生产总值", "亿元", "> 180 亿元", "80", "95", "填1-7月累计数", "", "gdp"],
        ],
        name="2025-07.csv",
        header=HEADER,
    )
    actuals = read_actuals(path, targets)
    assert actuals.problems == []
    assert not actuals.readings["tourism_revenue"].reported
    assert actuals.readings["gdp"].value == 95


def test_填报人_and_联系电话_columns_are_read_past(write_csv, targets):
    """填报人 and 联系电话 as columns (several for people, side by side): no warning."""
    path = write_csv(
        [["new_jobs", "520", "张三", "0580-5081234"]], header=["指标", "数值", "填报人", "联系电话"]
    )
    actuals = read_actuals(path, targets)
    assert actuals.problems == [] and actuals.readings["new_jobs"].value == 520


def test_the_id_column_is_read_before_the_name(write_csv, targets):
    """指标名称 first and 指标ID right-most: the row is read by its id, so a name
    shortened or retyped by hand still lands on the right indicator."""
    path = write_csv(
        [["旅游收入（按新口径）", "86", "tourism_revenue"]],
        header=["指标名称", "本月数值", "指标ID"],
    )
    actuals = read_actuals(path, targets)
    assert actuals.problems == []
    assert actuals.readings["tourism_revenue"].value == 86


def test_本月数值_beside_a_year_to_date_column_is_the_months_own(write_csv, targets):
    """本月数值 is the value column: alone it holds a total's year to date; beside a
    1-7月累计 column it is the month's own figure, checked against the total."""
    path = write_csv(
        [["tourism_revenue", "20", "15"]],
        name="2025-07.csv",
        header=["指标", "1-7月累计", "本月数值"],
    )
    assert read_actuals(path, targets).readings["tourism_revenue"].value == 20
    path = write_csv(
        [["tourism_revenue", "20", "25"]],
        name="2025-07.csv",
        header=["指标", "1-7月累计", "本月数值"],
    )
    codes = [p.code for p in read_actuals(path, targets).problems]
    assert codes == ["month-exceeds-ytd"]


# ---------------------------------------------------------------------------
# 填报单位: the sender, from a cell above (or under) the table, or a column


@pytest.mark.parametrize(
    "block",
    [
        ["填报单位：县民社局"],
        ["填报单位:县民社局"],
        ["填报单位（盖章）：县民社局"],
        ["填报单位", "县民社局"],
        ["填报单位：", "县民社局", "填报人：", "", "联系电话：", ""],
        ["填报单位：县民社局  填报人：张三  联系电话：0580-5081234"],
        ["嵊泗县指标填报表", "填报单位：县民社局"],
        ["unit_name: 县民社局"],
        ["reporter", "县民社局"],
        ["填报单位：县民社局", "填报日期：2025-07-05", "", ""],
    ],
    ids=[
        "cell",
        "ascii-colon",
        "seal-remark",
        "label-then-cell",
        "template-block",
        "one-cell-block",
        "beside-a-title",
        "unit_name",
        "reporter",
        "with-a-date",
    ],
)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_填报单位_cell_above_the_header_is_the_sender(tmp_path, targets, block, encoding):
    """A 填报单位 cell in a title row of a CSV makes the file's sender (and each
    reading's); the block is read quietly, with no skipped-row warning."""
    lines = [",".join(block), "指标,数值,单位", "new_jobs,520,个"]
    path = tmp_path / "2025-07.csv"
    path.write_bytes("\n".join(lines).encode(encoding))
    actuals = read_actuals(path, targets)
    assert actuals.sender == "县民社局"
    assert actuals.readings["new_jobs"].sender == "县民社局"
    assert actuals.problems == []


def test_a_block_under_the_table_is_not_a_row(write_csv, targets):
    """填报人/联系电话 lines under the rows (a form's footer) are the block, not rows:
    no unknown-indicator, and a 填报单位 there is the sender."""
    path = write_csv(
        [
            ["new_jobs", "520", "个", ""],
            ["填报单位：县民社局", "填报人：张三", "", ""],
            ["联系电话：123"],
        ]
    )
    actuals = read_actuals(path, targets)
    assert actuals.problems == []
    assert actuals.sender == "县民社局" and actuals.rows == 1


@pytest.mark.parametrize("title", ["填报单位须知", "请各填报单位于5日前报送"])
def test_a_title_that_mentions_填报单位_is_no_block(write_csv, targets, title):
    """A title that only mentions 填报单位 gives no sender."""
    path = write_csv([["new_jobs", "520", "个", ""]], header=None)
    path.write_text(f"{title}\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    actuals = read_actuals(path, targets)
    assert actuals.sender is None and actuals.problems == []


def test_a_填报单位_column_of_one_unit_is_the_sender(write_csv, targets):
    """A 填报单位 column whose rows all name the same unit is the file's sender."""
    path = write_csv(
        [["new_jobs", "520", "县民社局"], ["public_welfare_jobs", "40", " 县民社局 "]],
        header=["指标", "数值", "填报单位"],
    )
    actuals = read_actuals(path, targets)
    assert actuals.problems == []
    assert actuals.sender == "县民社局"
    assert {r.sender for r in actuals.readings.values()} == {"县民社局"}


def test_a_填报单位_column_of_several_units_keeps_each_rows_sender(write_csv, targets):
    """Rows naming different units: the file has no single sender, each reading keeps
    its own, through the month's merge too."""
    path = write_csv(
        [["new_jobs", "520", "县民社局"], ["pm25_rank", "3", "县资源规划局"]],
        header=["指标", "数值", "unit_name"],
    )
    actuals = read_actuals(path, targets)
    assert actuals.sender is None
    month = read_month([path], targets, Period(2025, 6))
    assert month.readings["new_jobs"].sender == "县民社局"
    assert month.readings["pm25_rank"].sender == "县资源规划局"


def test_validate_judges_a_file_on_the_units_rows_by_its_填报单位(write_csv, targets):
    """A file named only for its month whose 填报单位 is a unit of the plan is missing
    only that unit's due indicators, as a file named for the unit is."""
    path = write_csv([["new_jobs", "520", "个", ""]], name="2025-07.csv")
    path.write_text("填报单位：县民社局\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    document = json.loads(run("validate", str(path), "--format", "json").stdout)
    missing = {p["indicator"] for p in document["problems"] if p["code"] == "missing-indicator"}
    assert missing == owned_due(targets, "县民社局") - {"new_jobs"}


# ---------------------------------------------------------------------------
# --from FOLDER: 上月累计 from last month's merged data


def _june_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "actuals"
    (folder / "2025-06").mkdir(parents=True)
    (folder / "2025-06" / "县民社局.csv").write_text(
        "指标,数值,单位\nnew_jobs,300,个\nkey_group_assistance,0.02,万人\n", encoding="utf-8"
    )
    (folder / "2025-06" / "县发改局.csv").write_text(
        "指标,数值\npublic_welfare_jobs,40\nurban_income_growth,6.5\n", encoding="gbk"
    )
    return folder


def test_from_folder_fills_上月累计_from_the_merged_month(tmp_path, targets):
    """--from FOLDER fills 上月累计 with June's year-to-date figures, merged from every
    unit's file and in the target's unit; the reader does not take it as July's."""
    from openpyxl import load_workbook

    folder = _june_folder(tmp_path)
    out = tmp_path / "t.xlsx"
    result = run(
        "template", "2025-07", "--owner", "民社局", "--xlsx", "--from", str(folder), "-o", str(out)
    )
    assert result.exit_code == 0 and "留空" not in result.stderr
    sheet = load_workbook(out).worksheets[0]
    previous = {r[8].value: r[4].value for r in sheet.iter_rows(min_row=FIRST_ROW)}
    assert previous["key_group_assistance"] == 200
    assert previous["public_welfare_jobs"] == 40
    assert "internship_bases" in previous and previous["internship_bases"] is None  # not sent
    assert not read_actuals(out, targets, JULY).readings["key_group_assistance"].reported
    csv_out = tmp_path / "t.csv"
    run("template", "2025-07", "--owner", "民社局", "--from", str(folder), "-o", str(csv_out))
    rows = list(csv.reader(io.StringIO(csv_out.read_text(encoding="utf-8-sig"))))
    assert {r[8]: r[4] for r in rows[2:]}["key_group_assistance"] == "200"


@pytest.mark.parametrize("month", ["2025-09", "2025-01"])
def test_from_folder_without_last_month_leaves_上月累计_blank(tmp_path, month):
    """No August in the folder: 上月累计 is blank and a note says so; January has no
    last month in the year, so it is blank without a note."""
    folder = _june_folder(tmp_path)
    out = tmp_path / "t.csv"
    result = run("template", month, "--owner", "民社局", "--from", str(folder), "-o", str(out))
    assert result.exit_code == 0
    assert ("“上月累计”列留空" in result.stderr) == (month == "2025-09")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert all(row[4] == "" for row in rows[2:])


def test_from_a_missing_folder_exits_2(tmp_path):
    """--from naming nothing is a mistake in the command: exit 2, nothing written."""
    out = tmp_path / "t.csv"
    result = run("template", "2025-07", "--from", str(tmp_path / "nope"), "-o", str(out))
    assert result.exit_code == 2 and not out.exists()


# ---------------------------------------------------------------------------
# The .xlsx explains itself: hints, lists, number rules, print setup, 填报说明


def _validations(sheet) -> dict[str, object]:
    """Each validated cell → its DataValidation."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            for row in (
                sheet[cell_range.coord] if ":" in cell_range.coord else [[sheet[cell_range.coord]]]
            ):
                for cell in row:
                    found[cell.coordinate] = validation
    return found


def test_xlsx_cells_carry_their_rules_and_hints(tmp_path, targets):
    """Unit: a drop-down of convertible units, not locked. 本月数值: a number rule with
    the row's 口径 as input hint (≥0 for totals, any sign for growth), a list for
    milestones. 填报单位/填报人/联系电话 are open to type in."""
    from openpyxl import load_workbook

    out = tmp_path / "t.xlsx"
    run("template", "2025-07", "--xlsx", "-o", str(out))
    sheet = load_workbook(out).worksheets[0]
    rules = _validations(sheet)
    rows = {r[8].value: r[0].row for r in sheet.iter_rows(min_row=FIRST_ROW)}
    tourism = rows["tourism_revenue"]
    assert rules[f"C{tourism}"].formula1 == '"亿元,万元,元"'
    assert not sheet[f"C{tourism}"].protection.locked
    value = rules[f"F{tourism}"]
    assert value.type == "decimal" and value.operator == "greaterThanOrEqual"
    assert value.formula1 == "0" and "填1-7月累计数" in value.prompt
    assert sheet[f"G{tourism}"].value == "填1-7月累计数"
    growth = rules[f"F{rows['tourist_arrivals_growth']}"]
    assert growth.type == "decimal" and growth.operator == "between"
    assert float(growth.formula1) < 0 and "累计增速" in growth.prompt
    milestone = rules[f"F{rows['fitness_center_open']}"]
    assert milestone.type == "list" and "已完成" in milestone.formula1
    assert "未完成" in milestone.formula1
    assert rules[f"F{rows['pm25_rank']}"].type == "whole"
    for cell in ("B2", "D2", "F2", f"F{tourism}", f"H{tourism}"):
        assert not sheet[cell].protection.locked, cell
    for cell in (f"B{tourism}", f"D{tourism}", f"E{tourism}", f"I{tourism}"):
        assert sheet[cell].protection.locked, cell
    assert sheet["I4"].value == "指标ID"


def test_xlsx_prints_landscape_a4_one_page_wide(tmp_path):
    """Landscape A4, fitted to one page wide, the header row repeated on every page."""
    from openpyxl import load_workbook

    out = tmp_path / "t.xlsx"
    run("template", "2025-07", "--xlsx", "-o", str(out))
    sheet = load_workbook(out).worksheets[0]
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and str(setup.paperSize) == "9"  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0
    assert sheet.print_title_rows == "$4:$4"


def test_xlsx_has_instructions_in_chinese(tmp_path):
    """A 填报说明 sheet says what to enter (1至7月累计), units, 已完成/未完成, 已核实,
    and how to name the file; it comes after the data sheet, which is the one read."""
    from openpyxl import load_workbook

    out = tmp_path / "t.xlsx"
    run("template", "2025-07", "--owner", "民社局", "--xlsx", "-o", str(out))
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["2025-07", "填报说明"]
    text = "\n".join(str(c.value) for c in workbook["填报说明"]["A"] if c.value)
    for phrase in (
        "1至7月累计",
        "单位",
        "万元",
        "已完成",
        "未完成",
        "已核实",
        "2025-07-县民社局.xlsx",
    ):
        assert phrase in text, phrase


@pytest.mark.parametrize(
    ("unit", "choices"),
    [
        ("亿元", ["亿元", "万元", "元"]),
        ("人", ["人", "万人"]),
        ("公里", ["公里", "千米", "km", "米"]),
        ("%", ["%"]),
    ],
)
def test_unit_choices_are_the_convertible_units(targets, unit, choices):
    """The drop-down offers the target's unit first, then every unit the reader converts."""
    ind = replace(targets.indicators[0], unit=unit)
    assert unit_choices(ind) == choices


def test_sample_folder_feeds_上月累计(tmp_path):
    """The bundled samples' June fills 上月累计 of July's template (a smoke test)."""
    from conftest import SAMPLES

    folder = tmp_path / "samples"
    shutil.copytree(SAMPLES, folder)
    out = tmp_path / "t.csv"
    assert run("template", "2025-07", "--from", str(folder), "-o", str(out)).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert any(row[4] for row in rows[2:])


def test_a_count_in_its_own_unit_takes_whole_numbers_only(tmp_path):
    """新技术新项目 (个) is a count: its 本月数值 cell accepts whole numbers only."""
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from gongfu_cli.cli import app

    out = tmp_path / "t.xlsx"
    assert CliRunner().invoke(app, ["template", "2025-07", "--xlsx", "-o", str(out)]).exit_code == 0
    sheet = load_workbook(out).worksheets[0]
    row = next(c.row for c in sheet["B"] if c.value == "新技术新项目")
    kinds = {
        dv.type
        for dv in sheet.data_validations.dataValidation
        if any(
            f"F{row}" in str(r) or (r.min_row <= row <= r.max_row and r.min_col <= 6 <= r.max_col)
            for r in dv.sqref.ranges
        )
    }
    assert "whole" in kinds and "decimal" not in kinds
