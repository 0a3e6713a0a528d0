"""Reading monthly files: encodings, headers, number forms, units and located errors."""

from __future__ import annotations

import pytest

from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import GongfuError
from gongfu_cli.read.actuals import read_actuals
from gongfu_cli.read.files import parse_period
from gongfu_cli.read.tables import decode

ZH_HEADER = ["指标", "数值", "单位", "备注"]


def codes(actuals):
    return [(p.code, p.line) for p in actuals.problems]


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030")],
)
def test_encodings_are_detected_without_a_flag(write_csv, targets, encoding, expected):
    """UTF-8, UTF-8 with BOM and GBK (Excel on Chinese Windows) all read the same."""
    path = write_csv(
        [["旅游总收入", "66", "亿元", "按统计局口径"]], encoding=encoding, header=ZH_HEADER
    )
    actuals = read_actuals(path, targets)
    assert actuals.encoding == expected
    assert actuals.readings["tourism_revenue"].value == 66
    assert actuals.readings["tourism_revenue"].note == "按统计局口径"
    assert actuals.problems == []


def test_utf16_from_excel_unicode_text(tmp_path, targets):
    """Excel's 'Unicode text' export: UTF-16 with BOM, tab-separated."""
    path = tmp_path / "2025-06.csv"
    path.write_bytes("指标\t数值\n新增就业岗位\t520\n".encode("utf-16"))
    assert read_actuals(path, targets).readings["new_jobs"].value == 520


def test_crlf_line_endings(write_csv, targets):
    path = write_csv([["new_jobs", "520", "", ""], ["gdp", "x", "", ""]], newline="\r\n")
    actuals = read_actuals(path, targets)
    assert actuals.readings["new_jobs"].value == 520
    assert codes(actuals) == [("invalid-number", 3)]


def test_mojibake_is_refused_not_passed_on(tmp_path, targets):
    """Bytes that are neither UTF-8 nor GB18030 text are an encoding-error with a line."""
    path = tmp_path / "2025-06.csv"
    path.write_bytes(b"indicator,value\ngdp,1\n\x81\x30\x81\x30\xfe\xff,2\n")
    with pytest.raises(GongfuError) as caught:
        read_actuals(path, targets)
    problem = caught.value.problems[0]
    assert problem.code == "encoding-error"
    assert problem.line == 3


def test_gb18030_private_use_is_refused():
    with pytest.raises(ValueError):
        decode("指标\n\ue000".encode("gb18030"))


@pytest.mark.parametrize(
    "header",
    [
        ["indicator", "value"],
        ["INDICATOR", " Value "],
        ["指标", "数值"],
        ["指标名称", "本期值"],
        ["ｉｎｄｉｃａｔｏｒ", "ｖａｌｕｅ"],
    ],
)
def test_header_names_in_english_or_chinese(write_csv, targets, header):
    path = write_csv([["new_jobs", "520"]], header=header)
    assert read_actuals(path, targets).readings["new_jobs"].value == 520


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("520", 520),
        (" 520 ", 520),
        ("５２０", 520),
        ('"1,234"', 1234),
        ("1234.5", 1234.5),
        ("+12", 12),
        (".5", 0.5),
        ("1.2E+03", 1200),
    ],
)
def test_number_forms(write_csv, targets, cell, value):
    # a year-to-date total that may have decimals (new_jobs, once used here, is now a
    # count of whole posts)
    path = write_csv([["water_pipe_renovation_km", cell]], header=["indicator", "value"])
    actuals = read_actuals(path, targets)
    assert actuals.problems == []
    assert actuals.readings["water_pipe_renovation_km"].value == value


@pytest.mark.parametrize(("cell", "value"), [("97.2%", 97.2), ("９７．２％", 97.2), ("97.2", 97.2)])
def test_percent_values(write_csv, targets, cell, value):
    path = write_csv([["air_good_days_ratio", cell]], header=["indicator", "value"])
    actuals = read_actuals(path, targets)
    assert actuals.problems == []
    assert actuals.readings["air_good_days_ratio"].value == value


@pytest.mark.parametrize("cell", ["", "-", "—", "/", "暂无", "N/A", "－"])
def test_not_reported_tokens(write_csv, targets, cell):
    path = write_csv([["new_jobs", cell]], header=["indicator", "value"])
    actuals = read_actuals(path, targets)
    assert actuals.problems == []
    assert actuals.readings["new_jobs"].reported is False


@pytest.mark.parametrize(
    ("cell", "done"),
    [
        ("已完成", True),
        ("完成", True),
        ("是", True),
        ("DONE", True),
        ("yes", True),
        ("true", True),
        ("1", True),
        ("未完成", False),
        ("推进中", False),
        ("未启动", False),
        ("否", False),
        ("no", False),
        ("false", False),
        ("0", False),
    ],
)
def test_milestone_words(write_csv, targets, cell, done):
    path = write_csv([["fitness_center_open", cell]], header=["indicator", "value"])
    assert read_actuals(path, targets).readings["fitness_center_open"].done is done


def test_grade_a_is_accepted_where_the_target_allows_it(write_csv, targets):
    path = write_csv(
        [["education_modernization_index", "A等"], ["gdp", "A"]], header=["indicator", "value"]
    )
    actuals = read_actuals(path, targets)
    assert actuals.readings["education_modernization_index"].grade == "A"
    assert codes(actuals) == [("invalid-number", 3)]


def test_names_match_after_nfkc_and_trim(write_csv, targets):
    path = write_csv(
        [[" “一条鱼”全产业链产值 ", "58"], ["ＰＭ２．５平均浓度全省排名", "1"]],
        header=["指标", "数值"],
    )
    actuals = read_actuals(path, targets)
    assert set(actuals.readings) == {"fish_industry_chain_output", "pm25_rank"}


@pytest.mark.parametrize(
    ("indicator", "cell", "unit", "expected"),
    [
        ("tourism_revenue", '"660,000"', "万元", 66),
        ("tourism_revenue", "6600000000", "元", 66),
        ("port_throughput", "6100", "万吨", 0.61),
        ("aquatic_release", "4500", "万单位", 0.45),
        ("key_group_assistance", "0.0268", "万人", 268),
        ("gdp", "86", "亿元", 86),
        ("gdp", "86", "", 86),
    ],
)
def test_units_convert_to_the_targets_unit(write_csv, targets, indicator, cell, unit, expected):
    path = write_csv([[indicator, cell, unit, ""]])
    actuals = read_actuals(path, targets)
    assert actuals.problems == []
    assert actuals.readings[indicator].value == pytest.approx(expected)


def test_unconvertible_unit_names_both_units(write_csv, targets):
    path = write_csv([["tourism_revenue", "66", "万吨", ""]])
    actuals = read_actuals(path, targets)
    (problem,) = actuals.problems
    assert (problem.code, problem.line, problem.indicator) == (
        "unit-mismatch",
        2,
        "tourism_revenue",
    )
    assert "万吨" in problem.message("zh") and "亿元" in problem.message("zh")
    assert actuals.readings["tourism_revenue"].valid is False


def test_unknown_indicator_suggests_the_closest(write_csv, targets):
    path = write_csv([["new_job", "5"], ["旅游总收人", "5"]], header=["indicator", "value"])
    actuals = read_actuals(path, targets)
    assert codes(actuals) == [("unknown-indicator", 2), ("unknown-indicator", 3)]
    assert "new_jobs" in actuals.problems[0].message("en")
    assert "旅游总收入" in actuals.problems[1].message("zh")


def test_duplicate_indicator_marks_both_invalid(write_csv, targets):
    path = write_csv([["new_jobs", "5"], ["新增就业岗位", "6"]], header=["indicator", "value"])
    actuals = read_actuals(path, targets)
    assert codes(actuals) == [("duplicate-indicator", 3)]
    assert "2" in actuals.problems[0].message("en")
    assert actuals.readings["new_jobs"].valid is False


@pytest.mark.parametrize(
    ("indicator", "cell", "code"),
    [
        ("new_jobs", "abc", "invalid-number"),
        ("new_jobs", '"1,23"', "invalid-number"),
        ("new_jobs", "12亿", "invalid-number"),
        ("projects_over_100m", "2.5", "non-integer"),
        ("pm25_rank", "1.5", "non-integer"),
        ("fitness_center_open", "maybe", "invalid-milestone"),
        ("air_good_days_ratio", "130", "out-of-range"),
        ("new_jobs", "-5", "out-of-range"),
        ("pm25_rank", "0", "out-of-range"),
        ("tourism_revenue", "5%", "unit-mismatch"),
    ],
)
def test_each_value_error_is_located(write_csv, targets, indicator, cell, code):
    path = write_csv([["gdp", "86"], [indicator, cell]], header=["indicator", "value"])
    actuals = read_actuals(path, targets)
    (problem,) = actuals.problems
    assert (problem.code, problem.line, problem.indicator) == (code, 3, indicator)
    assert problem.column == "数值 / value"
    assert actuals.readings[indicator].valid is False


def test_growth_may_be_negative(write_csv, targets):
    path = write_csv([["fishery_value_added_growth", "-2.5"]], header=["indicator", "value"])
    actuals = read_actuals(path, targets)
    assert actuals.problems == []
    assert actuals.readings["fishery_value_added_growth"].value == -2.5


def test_missing_required_column(write_csv, targets):
    path = write_csv([["new_jobs", "5"]], header=["指标", "金额"])
    with pytest.raises(GongfuError) as caught:
        read_actuals(path, targets)
    codes_ = [(p.code, p.line) for p in caught.value.problems]
    assert ("missing-column", 1) in codes_
    assert ("extra-column", 1) in codes_


def test_extra_column_is_a_warning(write_csv, targets):
    path = write_csv([["new_jobs", "5", "x"]], header=["indicator", "value", "审核意见"])
    actuals = read_actuals(path, targets)
    assert [(p.code, p.severity, p.line) for p in actuals.problems] == [
        ("extra-column", "warning", 1)
    ]


def test_quoted_multiline_cell_keeps_line_numbers(write_csv, targets):
    path = write_csv([["new_jobs", "5", "", '"第一行\n第二行"'], ["gdp", "bad", "", ""]])
    actuals = read_actuals(path, targets)
    assert codes(actuals) == [("invalid-number", 4)]


def test_blank_lines_are_skipped_but_counted(write_csv, targets):
    path = write_csv([["new_jobs", "5"], [""], ["gdp", "bad"]], header=["indicator", "value"])
    assert codes(read_actuals(path, targets)) == [("invalid-number", 4)]


def test_period_from_name_and_override(write_csv, targets):
    path = write_csv([["new_jobs", "5"]], name="2025-03.csv", header=["indicator", "value"])
    assert read_actuals(path, targets).period == Period(2025, 3)
    assert read_actuals(path, targets, Period(2025, 4)).period == Period(2025, 4)


def test_no_period_is_a_clear_error(write_csv, targets):
    path = write_csv([["new_jobs", "5"]], name="june.csv", header=["indicator", "value"])
    with pytest.raises(GongfuError) as caught:
        read_actuals(path, targets)
    assert caught.value.problems[0].code == "no-period"


@pytest.mark.parametrize("text", ["2025-06", "2025/6", "2025年6月", "202506", "２０２５-０６"])
def test_period_cell_forms(text):
    assert parse_period(text) == Period(2025, 6)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty-file"),
        (b"\n\n  \n", "empty-file"),
        (b"PK\x03\x04\x00\x00binary", "unreadable-file"),
    ],
)
def test_unreadable_files(tmp_path, targets, content, code):
    path = tmp_path / "2025-06.csv"
    path.write_bytes(content)
    with pytest.raises(GongfuError) as caught:
        read_actuals(path, targets)
    assert caught.value.problems[0].code == code


def test_huge_cell_is_a_bad_value_not_a_crash(write_csv, targets):
    path = write_csv([["new_jobs", "9" * 1_000_000]], header=["indicator", "value"])
    assert codes(read_actuals(path, targets)) == [("invalid-number", 2)]


def test_input_file_is_not_modified(write_csv, targets):
    path = write_csv([["new_jobs", "5"]], encoding="gbk", header=ZH_HEADER[:2])
    before = path.read_bytes()
    read_actuals(path, targets)
    assert path.read_bytes() == before
