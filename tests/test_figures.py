"""Cells → figures: exact unit conversion, only real digits, finite bounded values,
and the year-to-date column judged for totals (issue 8)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from gongfu_cli.cli import app
from gongfu_cli.read.actuals import read_actuals

ZH_HEADER = ["指标", "数值", "单位", "备注"]


def codes(actuals):
    return [(p.code, p.line, p.column) for p in actuals.problems]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("５２０", 520),  # full-width digits, as Chinese input methods type them
        ("１，０２０", 1020),  # full-width thousands separator
        ("５２０．０", 520),
        ("\u3000５２０\u3000", 520),  # ideographic spaces around
    ],
)
def test_full_width_digits_are_read(write_csv, targets, cell, expected):
    """Full-width forms are the one thing normalised into digits."""
    path = write_csv([["new_jobs", cell, "", ""]])
    reading = read_actuals(path, targets).readings["new_jobs"]
    assert (reading.value, reading.valid) == (expected, True)


@pytest.mark.parametrize(
    "cell",
    ["10²", "⁰⁴⁵₀₁₂", "①", "5²⁰", "²", "١٢٣", "５２０㊀", "Ⅻ"],
)
def test_digit_lookalikes_are_invalid_not_normalised(write_csv, targets, cell):
    """NFKC would turn 10² into 102 and ① into 1, inventing a figure: refuse them."""
    path = write_csv([["new_jobs", cell, "", ""]])
    actuals = read_actuals(path, targets)
    reading = actuals.readings["new_jobs"]
    assert reading.valid is False and reading.value is None
    assert [p.code for p in actuals.problems] == ["invalid-number"]


@pytest.mark.parametrize("cell", ["−3.5", "－3.5", "-3.5"])
def test_minus_sign_forms_read_as_negative(write_csv, targets, cell):
    """U+2212 (Word/WPS autocorrect) and the full-width hyphen read as a minus."""
    path = write_csv([["tourist_arrivals_growth", cell, "%", ""]])
    reading = read_actuals(path, targets).readings["tourist_arrivals_growth"]
    assert (reading.value, reading.valid) == (-3.5, True)


@pytest.mark.parametrize(
    ("indicator", "cell", "unit"),
    [
        ("public_welfare_jobs", "6.9999999999999", ""),
        ("public_welfare_jobs", "7.0000000000001", ""),
        ("public_welfare_jobs", "6.99999999999999999999999999999999", ""),
        ("projects_over_100m", "0.0000000001", ""),
        ("eco_index_rank", "2.0000000000001", ""),
    ],
)
def test_whole_number_check_comes_before_any_rounding(write_csv, targets, indicator, cell, unit):
    """A count typed 6.9999999999999 is not rounded to 7 and accepted."""
    path = write_csv([[indicator, cell, unit, ""]], name="2025-12.csv")
    actuals = read_actuals(path, targets)
    assert actuals.readings[indicator].valid is False
    assert [p.code for p in actuals.problems] == ["non-integer"]


@pytest.mark.parametrize(
    ("indicator", "cell", "unit", "expected"),
    [
        ("public_welfare_jobs", "7.0", "", 7),
        ("tourism_revenue", "660000", "万元", 66),
        ("tourism_revenue", "0.1", "万元", 0.00001),  # exact: no float noise
        ("tourism_revenue", "6600000000", "元", 66),
        ("port_throughput", "3300", "万吨", 0.33),
        ("rural_road_repair_km", "1500", "米", 1.5),
    ],
)
def test_unit_conversion_is_exact(write_csv, targets, indicator, cell, unit, expected):
    """Conversion is done in decimal, so 0.1 万元 is exactly 0.00001 亿元."""
    path = write_csv([[indicator, cell, unit, ""]])
    reading = read_actuals(path, targets).readings[indicator]
    assert reading.valid is True
    assert reading.value == expected


@pytest.mark.parametrize(
    ("indicator", "cell", "unit"),
    [
        ("tourism_revenue", "1e305", "亿元"),
        ("tourism_revenue", "1e308", ""),
        ("tourism_revenue", "1e9999", ""),
        ("tourism_revenue", "1e16", ""),
        ("tourism_revenue", "9e20", "万元"),
        ("tourist_arrivals_growth", "-1e300", "%"),
        ("new_jobs", "1e300", ""),
        ("gdp_per_capita", "1e400", "万元"),
    ],
)
def test_huge_figures_are_out_of_range_after_conversion(write_csv, targets, indicator, cell, unit):
    """A figure beyond ±10^15 of the target's unit is refused, so no infinity reaches
    completion rates, charts or JSON, and nothing is lit green on it."""
    path = write_csv([[indicator, cell, unit, ""]], name="2025-12.csv")
    actuals = read_actuals(path, targets)
    reading = actuals.readings[indicator]
    assert reading.valid is False and reading.value is None
    assert [p.code for p in actuals.problems] == ["out-of-range"]


@pytest.mark.parametrize("exponent", ["1e99999", "1e+12345"])
def test_over_long_exponents_are_invalid_numbers(write_csv, targets, exponent):
    """An exponent longer than four digits is not a figure anyone typed."""
    path = write_csv([["tourism_revenue", exponent, "", ""]])
    assert [p.code for p in read_actuals(path, targets).problems] == ["invalid-number"]


@pytest.mark.parametrize("fmt", ["json", "csv", "table", "markdown", "text"])
def test_huge_figure_gives_parsable_output_and_no_green(tmp_path, fmt):
    """check on a file with 1e305 亿元: exit 1, the figure questioned, JSON that parses."""
    (tmp_path / "2025-06.csv").write_text(
        "指标,数值,单位\n旅游总收入,1e305,亿元\n新增就业岗位,520,个\n", encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["check", str(tmp_path), "--format", fmt])
    assert result.exit_code == 1, result.output
    if fmt == "json":

        def refuse(name):
            raise AssertionError(f"non-JSON constant {name}")

        document = json.loads(result.stdout, parse_constant=refuse)
        tourism = next(i for i in document["indicators"] if i["id"] == "tourism_revenue")
        assert tourism["status"] == "invalid"
        assert tourism["actual"] is None


# ---------------------------------------------------------------------------
# 累计值 and 本月值 columns


def test_year_to_date_column_is_judged_for_totals(write_csv, targets):
    """With 本期值 (this month) and 累计值 (year to date), totals take the year to date;
    a level takes 本期值, unless it is a rate over the year so far (漏损率, year_to_date)."""
    path = write_csv(
        [
            ["旅游总收入", "12", "66", "亿元"],
            ["空气优良天数占比", "97.2", "98.1", "%"],
            ["供水管网漏损率", "14.2", "14.8", "%"],
        ],
        header=["指标", "本期值", "累计值", "单位"],
    )
    actuals = read_actuals(path, targets)
    assert actuals.readings["tourism_revenue"].value == 66
    assert actuals.readings["air_good_days_ratio"].value == 97.2
    assert actuals.readings["water_leakage_rate"].value == 14.8
    assert actuals.problems == []


@pytest.mark.parametrize("ytd_title", ["1-6月累计", "1～6月累计值", "本年累计", "累计", "累计数"])
@pytest.mark.parametrize("month_title", ["本月", "当月值", "本期值", "本月数"])
def test_year_to_date_and_month_spellings(write_csv, targets, ytd_title, month_title):
    """The usual spellings of both columns are recognised, in either order."""
    path = write_csv([["新增就业岗位", "90", "520"]], header=["指标名称", month_title, ytd_title])
    actuals = read_actuals(path, targets)
    assert actuals.readings["new_jobs"].value == 520
    assert actuals.problems == []


def test_month_figure_alone_is_questioned_not_taken_as_the_total(write_csv, targets):
    """A total given only as the month's figure is an error on that row, not 未报送
    and not judged as if it were the year to date."""
    path = write_csv(
        [["旅游总收入", "12", "", "亿元"], ["新增就业岗位", "90", "520", ""]],
        header=["指标", "本月", "累计值", "单位"],
    )
    actuals = read_actuals(path, targets)
    tourism = actuals.readings["tourism_revenue"]
    assert (tourism.valid, tourism.reported, tourism.value) == (False, True, None)
    assert codes(actuals) == [("month-figure-only", 2, "累计值 / ytd")]
    assert actuals.readings["new_jobs"].value == 520


def test_month_column_only_file(write_csv, targets):
    """A file with only 当月 figures: levels are read, totals are questioned."""
    path = write_csv([["旅游总收入", "12"], ["县域就诊率", "92.1"]], header=["指标", "当月"])
    actuals = read_actuals(path, targets)
    assert actuals.readings["county_treatment_rate"].value == 92.1
    assert actuals.readings["tourism_revenue"].valid is False
    assert [p.code for p in actuals.problems] == ["month-figure-only"]


def test_a_blank_total_in_a_month_column_only_file_is_not_reported(write_csv, targets):
    """Only a 本月 column, and a total's row left blank: nothing was sent for it (未报送),
    read as such, not an internal error."""
    path = write_csv([["地区生产总值", ""], ["县域就诊率", "92.1"]], header=["指标", "本月"])
    actuals = read_actuals(path, targets)
    assert actuals.readings["gdp"].reported is False
    assert actuals.readings["gdp"].valid is True
    assert actuals.readings["county_treatment_rate"].value == 92.1
    assert actuals.problems == []
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "内部错误" not in result.output


def test_month_above_year_to_date_is_an_error(write_csv, targets):
    """A month's figure larger than the year to date means swapped columns or units."""
    path = write_csv([["新增就业岗位", "600", "520"]], header=["指标", "本月", "1-6月累计"])
    actuals = read_actuals(path, targets)
    assert actuals.readings["new_jobs"].valid is False
    assert [p.code for p in actuals.problems] == ["month-exceeds-ytd"]


def test_year_to_date_file_through_check(tmp_path):
    """check on a 本期值 + 累计值 file judges tourism on 66, not on 12."""
    (tmp_path / "2025-06.csv").write_text(
        "指标,本期值,累计值,单位\n旅游总收入,12,66,亿元\n", encoding="gbk"
    )
    result = CliRunner().invoke(app, ["check", str(tmp_path / "2025-06.csv"), "-f", "json"])
    document = json.loads(result.stdout)
    tourism = next(i for i in document["indicators"] if i["id"] == "tourism_revenue")
    assert tourism["actual"] == 66


# ---------------------------------------------------------------------------
# Files far too wrong: listed up to a cap, counted past it, quickly


def test_row_problems_are_capped_and_counted(tmp_path, targets):
    """Past 1,000 row problems the rest are counted in one too-many-problems error
    that names how many and on which lines; good rows after the cap are still used."""
    from gongfu_cli.read.actuals import MAX_ROW_PROBLEMS

    lines = ["指标,数值"] + [f"未知{n},{n}" for n in range(MAX_ROW_PROBLEMS + 250)]
    lines.append("新增就业岗位,520")
    path = tmp_path / "2025-06.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    actuals = read_actuals(path, targets)
    assert actuals.readings["new_jobs"].value == 520
    listed = [p for p in actuals.problems if p.code == "unknown-indicator"]
    assert len(listed) == MAX_ROW_PROBLEMS
    [summary] = [p for p in actuals.problems if p.code == "too-many-problems"]
    assert summary.params == {
        "listed": MAX_ROW_PROBLEMS,
        "count": 250,
        "first": MAX_ROW_PROBLEMS + 2,
        "last": MAX_ROW_PROBLEMS + 251,
    }


def test_many_distinct_bad_rows_are_refused_quickly(tmp_path, targets):
    """100,000 rows of distinct unknown names read in well under issue 8's 3 s
    (no suggestion is searched for past the cap)."""
    import time

    path = tmp_path / "2025-06.csv"
    body = "".join(f"未知指标{n}x,{n}\n" for n in range(100_000))
    path.write_text("指标,数值\n" + body, encoding="gbk")
    started = time.perf_counter()
    actuals = read_actuals(path, targets)
    assert time.perf_counter() - started < 3
    assert actuals.rows == 100_000
    assert actuals.problems[-1].params["count"] == 100_000 - 1000


def test_short_rows_under_a_wide_header_cost_what_the_rows_hold(tmp_path, targets):
    """Rows of one cell under a header whose indicator and value columns stand past
    30,000 others: read in time that follows the rows, not rows × the header's width
    (compared with the same rows under a narrow header, so a slow machine does not matter)."""
    import time

    spent = {}
    for width in (0, 30_000):
        path = tmp_path / str(width) / "2025-07.csv"
        path.parent.mkdir()
        header = "a," * width + "指标,数值\n"
        path.write_text(header + "x\n" * 40_000, encoding="utf-8")
        started = time.process_time()
        actuals = read_actuals(path, targets)
        spent[width] = time.process_time() - started
        assert actuals.rows == 40_000
    assert spent[30_000] < 4 * spent[0] + 0.5, spent


@pytest.mark.parametrize(
    ("indicator", "cell", "unit"),
    [("tourism_revenue", "8.8%", "亿元"), ("county_treatment_rate", "91.5%", "万元")],
)
def test_percent_beside_another_unit_is_questioned(write_csv, targets, indicator, cell, unit):
    """8.8% with 亿元 in the unit column has two units; it is not read as 8.8 亿元."""
    path = write_csv([[indicator, cell, unit, ""]])
    actuals = read_actuals(path, targets)
    assert actuals.readings[indicator].valid is False
    assert [p.code for p in actuals.problems] == ["unit-mismatch"]


@pytest.mark.parametrize(
    ("cell", "agrees"),
    [
        ("2025-06", True),
        ("2025年1-6月", True),
        ("2025年1～6月累计", True),
        ("2025/6/30", True),
        ("2025-06-15", True),
        ("2025年6月30日", True),
        ("2025/6/31", False),  # no such day
        ("2025年1-5月", False),
        ("2025/7/1", False),
        ("2025-1-6", False),  # 6 January, not January to June
    ],
)
def test_period_cell_forms(write_csv, targets, cell, agrees):
    """A period column may state the month, the year to date or a date in the month."""
    path = write_csv([["new_jobs", "520", cell]], header=["指标", "数值", "报告期"])
    problems = [p.code for p in read_actuals(path, targets).problems]
    assert problems == ([] if agrees else ["period-mismatch"])


@pytest.mark.parametrize(
    "header", [["指标", "当月", "本年累计", "单位"], ["指标", "本月", "1-6月累计", "单位"]]
)
def test_a_level_in_the_month_column_beside_an_empty_ytd_is_read(write_csv, targets, header):
    """Levels, ranks and milestones given only in the month's column are figures, not 未报送."""
    path = write_csv(
        [
            ["供水管网漏损率", "15.4", "", "%"],
            ["PM2.5平均浓度全省排名", "1", "", "位"],
            ["建成投用全民健身中心", "已完成", "", ""],
        ],
        header=header,
    )
    readings = read_actuals(path, targets).readings
    assert readings["water_leakage_rate"].value == 15.4
    assert readings["pm25_rank"].value == 1
    assert readings["fitness_center_open"].done is True


def test_cells_under_no_title_are_reported_not_dropped(tmp_path, targets):
    """A figure typed in a column with no header (past the header, or under a blank title)
    is reported once per column with its line, never silently left out."""
    path = tmp_path / "2025-06.csv"
    path.write_text(
        "指标,数值,单位,,备注\n县域就诊率,91.8,%,,\n新增就业岗位,520,个,7,\n旅游总收入,66,亿元,,,99\n",
        encoding="utf-8",
    )
    actuals = read_actuals(path, targets)
    assert codes(actuals) == [
        ("extra-column", 3, "第4列（无表头）"),
        ("extra-column", 4, "第6列（无表头）"),
    ]
    assert actuals.readings["new_jobs"].value == 520


def test_the_count_of_unlisted_problems_reaches_the_text_output(tmp_path):
    """validate's text listing (50 a file) and check's stderr (20) still show the
    too-many-problems line that says how many rows are wrong."""
    path = tmp_path / "2025-06.csv"
    path.write_text("指标,数值\n" + "".join(f"未知{n},1\n" for n in range(1500)), encoding="utf-8")
    text = CliRunner().invoke(app, ["validate", str(path)]).stdout
    assert "[too-many-problems]" in text and "另有 500 个问题未逐条列出" in text
    stderr = CliRunner().invoke(app, ["check", str(path)]).stderr
    assert "[too-many-problems]" in stderr


def test_a_missing_figure_column_names_every_title_that_would_do(write_csv, targets):
    """No figure column: the message lists the value, year-to-date and month titles."""
    from gongfu_cli.model.problems import GongfuError

    path = write_csv([["new_jobs", "520"]], header=["指标", "完成数量"])
    with pytest.raises(GongfuError) as caught:
        read_actuals(path, targets)
    message = caught.value.problems[0].message()
    assert "累计值" in message and "本月" in message and "数值" in message
