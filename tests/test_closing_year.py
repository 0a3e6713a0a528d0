"""Closing the year (issue 12 §1): figures published next year are awaited (待发布) in
December, revisions and year-end files replace a month's figures everywhere, and
`check --final` gives the year's result (年度考核结果)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import gongfu_cli as gf
from conftest import MINIMAL_TARGET, SAMPLES
from gongfu_cli.cli.root import app
from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import GongfuError
from gongfu_cli.model.readings import Edition
from gongfu_cli.model.targets import RELATIVE, Kind, Targets
from gongfu_cli.read.files import edition_of, name_period, period_in_cell, sender_from_name
from gongfu_cli.read.targets_file import load_targets

runner = CliRunner()

# The plan's annual figures published from February to June of the next year.
RELEASED = {
    "gdp_per_capita": "2026-04",
    "marine_economy_share": "2026-06",
    "urbanization_rate": "2026-04",
    "eco_index_rank": "2026-06",
    "coastal_water_quality_share": "2026-06",
    "forest_coverage": "2026-06",
    "middle_income_household_share": "2026-03",
    "collective_income_growth": "2026-03",
    "education_modernization_index": "2026-06",
}
# December's misses, and the year-end file's: each target is met or missed.
MISSED_IN_DECEMBER = {"tourism_revenue": "150", "water_leakage_rate": "15.4"}
MISSED_IN_FINALS = {"eco_index_rank": "12"}


def run(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


def as_json(*args: str | Path) -> tuple[int, dict]:
    result = run(*args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def meeting(ind) -> str:
    """A figure that meets the indicator's target (or, with no target set, any figure)."""
    if ind.kind == Kind.milestone:
        return "已完成"
    if ind.op in ("maintain", "rise"):  # no baseline set: any figure (无目标值)
        return "99" if ind.unit == "%" else "10"
    step = 1 if ind.kind in (Kind.count, Kind.rank) else 0.5
    value = {">": ind.target + step, "<": ind.target - step}.get(ind.op, ind.target)
    return f"{value:g}"


def write_rows(path: Path, rows: list[tuple[str, str, str]], encoding: str) -> Path:
    """A file as Excel on Chinese Windows saves it: Chinese headers, in `encoding`
    (gbk, utf-8-sig), or an .xlsx workbook."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ("指标", "数值", "单位")
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        for row in (header, *rows):
            sheet.append(list(row))
        book.save(path)
        return path
    text = "\r\n".join(",".join(f'"{cell}"' for cell in row) for row in (header, *rows))
    path.write_bytes((text + "\r\n").encode(encoding))
    return path


@pytest.fixture
def year(tmp_path: Path) -> Path:
    """data/actuals copied: January to June."""
    folder = tmp_path / "actuals"
    shutil.copytree(SAMPLES, folder)
    return folder


@pytest.fixture
def december(year: Path, targets: Targets) -> Path:
    """January to June, and December with every figure due in December (the nine
    published next year absent); tourism and the leakage rate miss their targets."""
    rows = [
        (ind.name, MISSED_IN_DECEMBER.get(ind.id, meeting(ind)), "")
        for ind in targets.indicators
        if ind.release is None
    ]
    write_rows(year / "2025-12.csv", rows, "utf-8-sig")
    return year


def finals_rows(targets: Targets) -> list[tuple[str, str, str]]:
    """The year-end file: the nine figures published next year, in the offices' forms
    (人均GDP in 元 with thousands separators, the education index as a grade)."""
    figures = {"gdp_per_capita": ("285,000", "元"), "education_modernization_index": ("A", "")}
    rows = []
    for ind_id in RELEASED:
        ind = targets.by_id[ind_id]
        value, unit = figures.get(ind_id, (MISSED_IN_FINALS.get(ind_id, meeting(ind)), ""))
        rows.append((ind.name, value, unit))
    return rows


def run_final(folder: Path, *args: str):
    return run("check", folder, "--final", *args)


# ---------------------------------------------------------------------------
# 待发布: December does not owe what is published next year


def test_the_nine_annual_figures_carry_a_release_and_its_assumption(targets):
    """The plan's annual figures published February–June have `release`, each with an
    assumption saying it is the tool's setting and which statistics it follows."""
    released = {ind.id: ind for ind in targets.indicators if ind.release is not None}
    assert {i: f"2026-{ind.release:02d}" for i, ind in released.items()} == RELEASED
    for ind in released.values():
        assert ind.assumption and f"年报数据次年{ind.release}月发布（本工具依" in ind.assumption
        assert ind.assumption_en and "our setting, after" in ind.assumption_en


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_december_shows_figures_published_next_year_as_awaiting(december, lang):
    """Before the year-end file, December shows the nine as 待发布 (grey), never 未报送,
    and the briefing says which are awaited and when."""
    code, document = as_json("check", december, "--lang", lang)
    assert code == 0
    by_id = {item["id"]: item for item in document["indicators"]}
    for ind_id, month in RELEASED.items():
        item = by_id[ind_id]
        assert (item["status"], item["light"], item["due"]) == ("awaiting", "grey", False)
        assert item["release"] == month
    assert document["summary"]["no_data"] == 0
    assert document["summary"]["awaiting"] == len(RELEASED)

    text = run("brief", december, "--lang", lang).stdout
    if lang == "zh":
        assert "未报送" not in text
        assert "待发布9项（" in text and "人均地区生产总值（预计2026年4月发布）" in text
    else:
        assert "Not reported" not in text and "not reported" not in text
        assert "Awaited (9," in text and "GDP per capita (expected 2026-04)" in text

    table = run("check", december, "--status", "grey", "--wide").stdout
    awaited_rows = [line for line in table.splitlines() if "人均地区生产总值" in line]
    assert "待发布" in awaited_rows[0] and "未报送" not in table


def test_before_december_an_annual_figure_is_not_due_not_awaiting(year):
    """In June the annual figures are 本期不报, as before: awaiting is December's word."""
    _, document = as_json("check", year)
    statuses = {i["id"]: i["status"] for i in document["indicators"] if i["id"] in RELEASED}
    assert set(statuses.values()) == {"not_due"}


def test_validate_and_submissions_do_not_chase_awaited_figures(december):
    """validate gives no missing-indicator and submissions owes nothing for a figure
    published next year; submissions lists it as awaited, with its month."""
    code, document = as_json("validate", december)
    missing = {p["indicator"] for p in document["problems"] if p["code"] == "missing-indicator"}
    assert not missing & set(RELEASED), missing

    code, document = as_json("submissions", december)
    assert code == 0 and document["summary"]["all_arrived"] is True
    owed = {m["id"] for unit in document["units"] for m in unit["missing"]}
    assert not owed & set(RELEASED)
    assert {a["id"]: a["release"] for a in document["awaiting"]} == RELEASED
    assert "待发布、不计入未报送" in run("submissions", december).stdout


def test_a_missing_figure_without_release_is_still_not_reported(december, targets):
    """awaiting is only for `release`: a December figure that is simply missing is 未报送."""
    december_file = december / "2025-12.csv"
    kept = [
        line
        for line in december_file.read_text("utf-8-sig").splitlines()
        if "县域就诊率" not in line
    ]
    december_file.write_text("\n".join(kept) + "\n", encoding="utf-8-sig")
    _, document = as_json("check", december)
    by_id = {item["id"]: item["status"] for item in document["indicators"]}
    assert by_id["county_treatment_rate"] == "no_data"


# ---------------------------------------------------------------------------
# The year's result


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("2025-年报.csv", "gbk"),
        ("2025年报.csv", "utf-8-sig"),
        ("2025.csv", "gbk"),
        ("2025年度数据-县统计局.csv", "gb18030"),
        ("2025年报-县统计局.xlsx", None),
        ("2025年报/县统计局.csv", "gbk"),  # a folder for the year-end files
    ],
)
def test_a_year_end_file_closes_the_year(december, targets, name, encoding):
    """December and a later year-end file close 2025: every target met or missed,
    nothing 未报送 or awaited, the final figures marked 年报; exit 0."""
    write_rows(december / name, finals_rows(targets), encoding or "")
    code, document = as_json("check", december, "--final")
    assert code == 0, document["errors"]
    result = document["result"]
    assert result["closed"] is True and result["open"] == []
    statuses = {item["id"]: item["status"] for item in document["indicators"]}
    no_target = {i.id for i in targets.indicators if i.op in RELATIVE and i.baseline is None}
    assert {i for i, s in statuses.items() if s == "no_target"} == no_target
    judged = {i: s for i, s in statuses.items() if i not in no_target}
    assert set(judged.values()) == {"met", "off_track"}
    missed = {*MISSED_IN_DECEMBER, *MISSED_IN_FINALS}
    assert {i for i, s in judged.items() if s == "off_track"} == missed
    assert sorted(result["missed"]) == sorted(missed)
    by_id = {item["id"]: item for item in document["indicators"]}
    assert by_id["gdp_per_capita"]["value"] == 28.5  # 285,000 元 in 万元
    assert by_id["education_modernization_index"]["grade"] == "A"
    assert {by_id[i]["edition"] for i in RELEASED} == {"final"}
    assert by_id["tourism_revenue"]["edition"] == "monthly"


def test_the_year_end_result_in_words(december, targets):
    """--final titles the table 年度考核结果, says 达标/未达标 and that the year is closed;
    the briefing opens with the result and lists the year-end figures (年报)."""
    write_rows(december / "2025-年报.csv", finals_rows(targets), "gbk")
    table = run_final(december, "--wide")
    assert table.exit_code == 0
    assert table.stdout.startswith("2025年度考核结果（")
    rank = next(line for line in table.stdout.splitlines() if "生态环境状况综合指数" in line)
    assert "12 位（年报）" in rank and "未达标" in rank
    gdp = next(line for line in table.stdout.splitlines() if "人均地区生产总值" in line)
    assert "28.5 万元（年报）" in gdp and "达标" in gdp
    assert "2025年度考核结果：达标" in table.stdout and "可以定案" in table.stdout
    assert "未报送" not in table.stdout and "待发布" not in table.stdout

    markdown = run_final(december, "--format", "markdown").stdout
    assert markdown.startswith("### 2025年度考核结果（") and "| 未达标 |" in markdown

    text = run_final(december, "--format", "text").stdout.splitlines()
    assert text[0].startswith("2025年度考核结果：共91项，达标") and "可以定案" in text[0]
    assert "未达标3项（旅游总收入；生态环境状况综合指数全省排名；供水管网漏损率）" in text[0]
    assert any(line.startswith("采用年报数9项：人均地区生产总值") for line in text)

    english = run_final(december, "--format", "text", "--lang", "en").stdout
    assert english.startswith("2025 result: of 91,") and "the year is closed" in english

    review = gf.review(december, final=True)
    assert review.result is not None and review.result.closed
    assert review.to_dict()["result"]["counts"]["missed"] == 3


def test_final_refuses_while_figures_are_awaited(december):
    """Before the year-end file, --final cannot close the year: exit 1, a year-not-closed
    error per awaited figure saying when it is expected; the result says what is open."""
    result = run_final(december)
    assert result.exit_code == 1
    assert "2025年度考核结果尚不能确定：待发布 9 项" in result.stdout
    assert "[year-not-closed]" in result.stderr
    assert "人均地区生产总值待发布（预计2026年4月发布）" in result.stderr

    code, document = as_json("check", december, "--final")
    assert code == 1
    assert document["result"]["closed"] is False
    assert {o["id"]: o["release"] for o in document["result"]["open"]} == RELEASED
    assert {e["indicator"] for e in document["errors"] if e["code"] == "year-not-closed"} == set(
        RELEASED
    )
    text = run_final(december, "--format", "text").stdout
    assert text.startswith("2025年度考核结果尚不能确定：待发布9项；")
    assert "数据待核" not in text  # an open year is no fault in the data

    # without --final, December is an ordinary month: exit 0
    assert run("check", december).exit_code == 0


def test_final_refuses_a_figure_still_missing_after_the_year_end_file(december, targets):
    """A year-end file that lacks one awaited figure leaves the year open, naming it."""
    rows = [row for row in finals_rows(targets) if row[0] != "森林覆盖率"]
    write_rows(december / "2025-年报.csv", rows, "gbk")
    code, document = as_json("check", december, "--final")
    assert code == 1
    assert [o["id"] for o in document["result"]["open"]] == ["forest_coverage"]


def test_final_without_december_refuses(year):
    """A folder with no December figures cannot close its year: exit 1, year-not-closed."""
    result = run_final(year)
    assert result.exit_code == 1
    assert "[year-not-closed]" in result.stderr and "没有12月的数据" in result.stderr


# ---------------------------------------------------------------------------
# Revisions: a later file replaces a month's figures


REVISION = [("旅游总收入", "540,000", "万元"), ("地区生产总值", "84", "亿元")]


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("2025-06-修订.csv", "gbk"),
        ("2025-06-县统计局修订版.csv", "utf-8-sig"),
        ("2025年6月修订.xlsx", None),
        ("2025-06 revised.csv", "utf-8"),
    ],
)
def test_a_revision_shows_as_revised_everywhere(year, name, encoding):
    """June revised (旅游总收入 66 → 54亿元): table, markdown, JSON, CSV, brief and trend
    use 54 and say 已修订, with 66 as the figure replaced."""
    revision = write_rows(year / name, REVISION, encoding or "")

    code, document = as_json("check", year)
    assert code == 0, document["errors"]
    tourism = next(i for i in document["indicators"] if i["id"] == "tourism_revenue")
    assert (tourism["value"], tourism["edition"], tourism["revised_from"]) == (54, "revised", 66)
    assert tourism["file"] == str(revision) and str(revision) in document["files"]
    assert tourism["projection"] == 108  # the projection uses the revised figure

    table = run("check", year, "--wide").stdout
    assert "54 亿元（已修订）" in table and "84 亿元（已修订）" in table
    assert "54 亿元（已修订）" in run("check", year, "--format", "markdown").stdout
    rows = list(csv.DictReader(io.StringIO(run("check", year, "--format", "csv").stdout)))
    row = next(r for r in rows if r["id"] == "tourism_revenue")
    assert (row["actual"], row["edition"], row["revised_from"]) == ("54.0", "revised", "66.0")

    brief = run("brief", year).stdout
    assert (
        "已修订2项：地区生产总值（原86亿元，现84亿元）；旅游总收入（原66亿元，现54亿元）。" in brief
    )
    assert "Revised (2):" in run("brief", year, "--lang", "en").stdout

    trend = run("trend", year, "--format", "markdown").stdout
    line = next(line for line in trend.splitlines() if line.startswith("| 旅游总收入 |"))
    assert line.split(" | ")[6] == "红 34/50（修）" and "（修）为已修订数" in trend
    detail = run("trend", year, "-i", "旅游收入", "--format", "markdown").stdout
    assert "54 亿元（已修订，原66 亿元）" in detail
    _, months = as_json("trend", year)
    june = next(i for i in months["indicators"] if i["id"] == "tourism_revenue")["months"][-1]
    assert (june["actual"], june["edition"], june["revised_from"]) == (54, "revised", 66)
    rows = list(csv.DictReader(io.StringIO(run("trend", year, "--format", "csv").stdout)))
    june_row = next(r for r in rows if r["id"] == "tourism_revenue" and r["period"] == "2025-06")
    assert (june_row["edition"], june_row["revised_from"]) == ("revised", "66.0")


def test_a_revision_named_alone_is_read_over_its_month(year):
    """`check 2025-06-修订.csv` reviews June: the month's files with the revision over them."""
    revision = write_rows(year / "2025-06-修订.csv", REVISION, "gbk")
    _, document = as_json("check", revision)
    assert document["period"] == "2025-06" and len(document["files"]) == 2
    assert document["summary"]["no_data"] == 2  # June's own two gaps, not 90 of them


def test_a_revision_that_repeats_a_figure_leaves_it_as_it_was(year):
    """A whole table re-sent for one correction: only the figure that changed is revised,
    and a blank row in the revision takes nothing away."""
    rows = [*REVISION, ("港口货物吞吐量", "0.61", "亿吨"), ("新增就业岗位", "", "")]
    write_rows(year / "2025-06-修订.csv", rows, "gbk")
    _, document = as_json("check", year)
    by_id = {item["id"]: item for item in document["indicators"]}
    assert by_id["port_throughput"]["edition"] == "monthly"
    assert (by_id["new_jobs"]["value"], by_id["new_jobs"]["edition"]) == (520, "monthly")
    assert by_id["tourism_revenue"]["edition"] == "revised"


def test_a_year_end_figure_equal_to_decembers_is_final_not_revised(december):
    """The year-end file confirming December's figure marks it 年报, not 已修订; one that
    differs replaces December's and keeps it as revised_from (年报，已修订)."""
    rows = [("旅游总收入", "150", "亿元"), ("港口货物吞吐量", "1.3", "亿吨")]
    write_rows(december / "2025-年报.csv", rows, "gbk")
    _, document = as_json("check", december)
    by_id = {item["id"]: item for item in document["indicators"]}
    assert (by_id["tourism_revenue"]["edition"], by_id["tourism_revenue"]["revised_from"]) == (
        "final",
        None,
    )
    port = by_id["port_throughput"]
    assert (port["value"], port["edition"], port["revised_from"]) == (1.3, "final", 1.7)
    table = run("check", december, "--wide").stdout
    assert "150 亿元（年报）" in table and "1.3 亿吨（年报，已修订）" in table


def test_two_revisions_that_disagree_conflict(year):
    """Two revision files of one month are merged like a month's files: a figure that
    differs between them is conflicting-values, never one of them chosen silently."""
    write_rows(year / "2025-06-修订-县统计局.csv", [("旅游总收入", "54", "亿元")], "gbk")
    write_rows(year / "2025-06-修订-县文广旅体局.csv", [("旅游总收入", "56", "亿元")], "gbk")
    code, document = as_json("check", year)
    assert code == 1
    assert [e["code"] for e in document["errors"]] == ["conflicting-values"]
    tourism = next(i for i in document["indicators"] if i["id"] == "tourism_revenue")
    assert tourism["status"] == "invalid"


# ---------------------------------------------------------------------------
# History and the year-to-date checks use revised figures


@pytest.mark.parametrize("command", ["check", "validate"])
def test_a_lowering_revision_is_no_cumulative_decrease(year, command):
    """June revised to 54亿元, below May's 55: the revision replaces June's figure, so
    neither check nor validate calls it cumulative-decrease."""
    write_rows(year / "2025-06-修订.csv", [("旅游总收入", "54", "亿元")], "gbk")
    code, document = as_json(command, year)
    found = document.get("errors", []) + document.get("problems", [])
    assert "cumulative-decrease" not in {p["code"] for p in found}
    assert code == 0


@pytest.mark.parametrize("command", ["check", "validate"])
def test_a_month_below_a_revised_figure_is_still_a_cumulative_decrease(year, command):
    """The rule is not switched off: June's own file at 54 (below May's 55), or July
    below June's revised figure, is still cumulative-decrease."""
    write_rows(year / "2025-06-修订.csv", [("旅游总收入", "70", "亿元")], "gbk")
    write_rows(year / "2025-07.csv", [("旅游总收入", "68", "亿元")], "utf-8")
    code, document = as_json(command, year)
    found = document.get("errors", []) + document.get("problems", [])
    decreases = [p for p in found if p["code"] == "cumulative-decrease"]
    assert [Path(p["file"]).name for p in decreases] == ["2025-07.csv"]
    assert decreases[0]["fields"]["earlier_value"] == "70"
    assert code == 1


def test_history_compares_with_the_revised_month(year):
    """July's 较上月 is measured from June's revised figure, not the one it replaced."""
    write_rows(year / "2025-06-修订.csv", [("旅游总收入", "54", "亿元")], "gbk")
    write_rows(year / "2025-07.csv", [("旅游总收入", "70", "亿元")], "utf-8")
    _, document = as_json("check", year)
    tourism = next(i for i in document["indicators"] if i["id"] == "tourism_revenue")
    assert (tourism["previous_actual"], tourism["change"]) == (54, 16)


# ---------------------------------------------------------------------------
# Names, period cells and the targets file


@pytest.mark.parametrize(
    ("name", "period", "edition", "sender"),
    [
        ("2025-06.csv", Period(2025, 6), Edition.monthly, None),
        ("2025-06-修订.csv", Period(2025, 6), Edition.revised, None),
        ("2025-06-县统计局修订版.xlsx", Period(2025, 6), Edition.revised, "县统计局"),
        ("2025年6月修订-县统计局.csv", Period(2025, 6), Edition.revised, "县统计局"),
        ("2025-06（修正）.csv", Period(2025, 6), Edition.revised, None),
        ("2025-06 revised.csv", Period(2025, 6), Edition.revised, None),
        ("2025-年报.csv", Period(2025, 12), Edition.final, None),
        ("2025年报-县统计局.csv", Period(2025, 12), Edition.final, "县统计局"),
        ("2025年年报.xlsx", Period(2025, 12), Edition.final, None),
        ("2025年度数据.csv", Period(2025, 12), Edition.final, None),
        ("2025.csv", Period(2025, 12), Edition.final, None),
        ("２０２５年.csv", Period(2025, 12), Edition.final, None),
        ("2025_final.csv", Period(2025, 12), Edition.final, None),
        ("2025年1-12月.csv", Period(2025, 12), Edition.monthly, None),  # December's own
    ],
)
def test_file_names_say_the_edition(name, period, edition, sender):
    """A revision (修订, 修正, revised) or a year-end file (年报, 年度, the year alone) is
    told from its name; the sender is what is left of the name."""
    path = Path(name)
    assert (name_period(path).period, edition_of(path), sender_from_name(path)) == (
        period,
        edition,
        sender,
    )


@pytest.mark.parametrize(
    "name", ["2025-061.csv", "2025-县统计局.csv", "20251.csv", "2025-06-12.csv", "2025年6.csv"]
)
def test_names_that_are_no_year_end_file(name):
    """A year followed by more digits, by a name, or a date, is not the year's finals."""
    assert name_period(Path(name)).edition == Edition.monthly
    assert name_period(Path(name)).period is None


def test_files_in_a_month_folder_take_its_edition(tmp_path):
    """2025-06/修订.csv is a revision of June; 2025年报/县统计局.csv is a year-end file."""
    assert edition_of(tmp_path / "2025-06" / "修订.csv", in_period_folder=True) == Edition.revised
    assert edition_of(tmp_path / "2025-06" / "县统计局.csv", in_period_folder=True) == (
        Edition.monthly
    )
    assert edition_of(tmp_path / "2025年报" / "县统计局.csv", in_period_folder=True) == (
        Edition.final
    )


@pytest.mark.parametrize(
    ("cell", "period"),
    [("2025", Period(2025, 12)), ("2025年", Period(2025, 12)), ("2025年度", Period(2025, 12))],
)
def test_a_period_cell_may_name_the_year(cell, period):
    """A year-end file's 报告期 cell may be the year: it agrees with December, the year's."""
    assert period_in_cell(cell) == period


def test_a_year_in_a_june_period_cell_is_still_a_mismatch(year):
    """The year is December's period: in June's file it is period-mismatch."""
    path = year / "2025-06-修订.csv"
    path.write_bytes("指标,数值,期间\r\n旅游总收入,54,2025年\r\n".encode("gbk"))
    _, document = as_json("check", year)
    assert "period-mismatch" in {e["code"] for e in document["errors"]}


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ("  release: 13\n", "release"),
        ("  release: 0\n", "release"),
    ],
)
def test_release_is_a_month(write_yaml, entry, field):
    """release is a month of the next year, 1–12."""
    text = MINIMAL_TARGET.replace("  - id: gdp\n", "  - id: gdp\n" + entry.replace("  ", "    ", 1))
    with pytest.raises(GongfuError) as caught:
        load_targets(write_yaml(text))
    assert [p.code for p in caught.value.problems] == ["targets-invalid"]
    assert field in (caught.value.problems[0].column or "")


def test_release_is_refused_on_a_milestone(write_yaml):
    """A milestone is settled in December: release on it is targets-invalid at release."""
    milestone = """\
  - id: hall
    name: 建成投用全民健身中心
    name_en: Fitness centre
    op: done
    kind: milestone
    frequency: monthly
    release: 3
    owners: []
    section: 三(三)1
    quote: 建成投用全民健身中心
"""
    with pytest.raises(GongfuError) as caught:
        load_targets(write_yaml(MINIMAL_TARGET + milestone))
    problem = caught.value.problems[0]
    assert problem.code == "targets-invalid" and "release" in (problem.column or "")
    assert "里程碑" in problem.message("zh")


def test_the_schema_documents_release():
    """gongfu schema describes release for the editor."""
    result = run("schema")
    schema = json.loads(result.stdout)
    release = schema["$defs"]["Indicator"]["properties"]["release"]
    assert "awaiting" in release["description"] and "年报" in release["description"]


def test_the_report_shows_revised_and_awaited_figures(year, december, tmp_path):
    """The HTML report marks a revised figure 已修订 in its tables and briefing, and shows a
    figure published next year as 待发布 in December."""
    write_rows(year / "2025-06-修订.csv", REVISION, "gbk")
    june = tmp_path / "june.html"
    assert run("report", year, "--period", "2025-06", "-o", june).exit_code == 0
    page = june.read_text(encoding="utf-8")
    assert "54 亿元（已修订）" in page and "已修订2项：" in page

    december_page = tmp_path / "december.html"
    assert run("report", december, "-o", december_page).exit_code == 0
    page = december_page.read_text(encoding="utf-8")
    row = page.split('data-indicator="gdp_per_capita">')[1].split("</tr>")[0]
    assert "待发布" in row and "未报送" not in row
    assert "人均地区生产总值（预计2026年4月发布）" in page


def test_the_workbook_marks_revised_figures(tmp_path):
    """gongfu export: a revised figure's row says 已修订 in its 状态 cell (the figure
    itself stays a number for the office's sums)."""
    import openpyxl

    folder = tmp_path / "year"
    shutil.copytree(SAMPLES, folder)
    (folder / "2025-06-修订.csv").write_text("指标,数值\n旅游总收入,56\n", encoding="gbk")
    out = tmp_path / "晾晒表.xlsx"
    assert run("export", folder, "-o", out).exit_code in (0, 1)
    workbook = openpyxl.load_workbook(out)
    sections = workbook.worksheets[1:-1]  # between the summary and the data sheet
    rows = [[c.value for c in row] for sheet in sections for row in sheet.iter_rows()]
    tourism = next(row for row in rows if "旅游总收入" in row)
    assert 56 in tourism and any(isinstance(v, str) and "已修订" in v for v in tourism)
