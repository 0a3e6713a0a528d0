"""The briefing as an office writes it: short paragraphs in a fixed order, compared whole."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SAMPLES
from gongfu_cli.cli.root import app
from gongfu_cli.judge.year import evaluate_year
from gongfu_cli.render.brief import brief

runner = CliRunner()

# November and December of a year, as each indicator's id and figure. December
# has every light but yellow (the year's result is met or missed), something that
# turned red and something back to green since November, and two annual
# indicators not reported.
NOVEMBER = {
    "port_throughput": "1.1",
    "tourism_revenue": "147",
    "new_jobs": "900",
    "projects_over_100m": "6",
    "dual_certified_care_staff": "44",
    "water_leakage_rate": "15.4",
    "water_pipe_renovation_km": "17",
    "island_relocation": "推进中",
}
DECEMBER = {
    "gdp": "181",
    "gdp_per_capita": "28.5",
    "marine_economy_share": "80.5",
    "port_throughput": "1.25",
    "tourism_revenue": "150",
    "fishery_value_added_growth": "6.2",
    "education_modernization_index": "90",
    "county_treatment_rate": "91.8",
    "care_workers_per_10k_elderly": "24",
    "disabled_elderly_admission_rate": "100",
    "public_safety_satisfaction": "99.3",
    "urban_income_growth": "8.1",
    "rural_income_growth": "9.1",
    "urban_rural_income_ratio": "1.47",
    "middle_income_household_share": "46",
    "urbanization_rate": "70.2",
    "new_jobs": "1050",
    "eco_index_rank": "12",
    "coastal_water_quality_share": "56",
    "air_good_days_ratio": "98.1",
    "modern_beautiful_towns": "2",
    "model_livable_villages": "2",
    "harmonious_village_coverage": "70",
    "tourist_arrivals_growth": "10.5",
    "fish_industry_chain_output": "123",
    "projects_over_100m": "7",
    "projects_over_1b": "1",
    "collective_income_growth": "5.5",
    "local_enrollment_gain": "1.2",
    "new_medical_techniques": "20",
    "dual_certified_care_staff": "45",
    "key_group_assistance": "530",
    "public_welfare_jobs": "100",
    "internship_bases": "1",
    "internship_positions": "20",
    "cultural_events": "70",
    "pm25_rank": "1",
    "aquatic_release": "1.3",
    "zero_waste_cells": "4",
    "rural_road_repair_km": "14",
    "rural_road_new_km": "3",
    "gas_conversion_communities": "3",
    "piped_gas_coverage": "31",
    "water_leakage_rate": "15.4",
    "water_pipe_renovation_km": "18",
    "new_5g_base_stations": "1",
    "island_relocation": "推进中",
}  # forest_coverage and flood_training_coverage are not sent; other milestones are done


def write_month(folder: Path, name: str, figures: dict[str, str]) -> None:
    lines = ["indicator,value", *(f"{key},{value}" for key, value in figures.items())]
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def december(tmp_path, targets) -> Path:
    done = {
        ind.id: "已完成"
        for ind in targets.indicators
        if ind.kind.value == "milestone" and ind.id not in DECEMBER
    }
    write_month(tmp_path, "2025-11.csv", NOVEMBER)
    write_month(tmp_path, "2025-12.csv", {**DECEMBER, **done})
    return tmp_path


def paragraphs(folder: Path, *options: str) -> list[str]:
    result = runner.invoke(app, ["brief", str(folder), *options])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


PLAN = "《嵊泗县深化走海岛县高质量发展共同富裕特色之路2025年行动方案》"
PLAN_EN = "Shengsi County 2025 action plan for high-quality development and common prosperity"

JUNE_ZH = [
    f"截至2025年6月，{PLAN}监测指标和任务共91项：绿灯18项、黄灯7项、红灯6项、灰灯60项（进行中38项、未报送2项、本期不报19项、无目标值1项）。",
    "红灯指标6项：旅游总收入（累计66亿元，完成率41.2%，序时进度50.0%，落后8.8个百分点，预计全年132亿元）；每万老年人口拥有持证养老护理员数（24人"
    "，低于目标25人）；招引落地亿元以上项目（累计3个，完成率42.9%，序时进度50.0%，落后7.1个百分点，预计全年6个，责任单位：县投促中心、县财政局、六大"
    "产业牵头单位）；新增“双持证”人员（累计21人，完成率42.0%，序时进度50.0%，落后8.0个百分点，预计全年42人，责任单位：县民社局、县卫健局、县残联等"
    "4家）；开发公益性岗位（累计44个，完成率44.0%，序时进度50.0%，落后6.0个百分点，预计全年88个，责任单位：县民社局、县发改局、县经信局等12家）；"
    "改造供水管网（累计8.2公里，完成率41.0%，序时进度50.0%，落后9.0个百分点，预计全年16.4公里，责任单位：县农业农村局）。",
    "黄灯指标7项：地区生产总值（累计86亿元，完成率47.8%，序时进度50.0%，落后2.2个百分点，预计全年172亿元）；渔业增加值增速（5.6%，低于目标6%"
    "，相差0.4个百分点）；农村常住居民人均可支配收入增速（8.8%，低于目标9%，相差0.2个百分点）；空气优良天数占比（97.2%，低于目标98%，相差0.8个"
    "百分点）；“一条鱼”全产业链产值（累计58亿元，完成率47.5%，序时进度50.0%，落后2.5个百分点，预计全年116亿元）；农村公路大中修（累计6.5公里，"
    "完成率46.4%，序时进度50.0%，落后3.6个百分点，预计全年13公里）；供水管网漏损率（15.4%，高于目标15%，相差0.4个百分点）。",
    "较上月新亮红灯1项：开发公益性岗位（5月黄灯）。转为绿灯4项：港口货物吞吐量（5月黄灯）；城镇常住居民人均可支配收入增速（3月黄灯）；新增就业岗位（5月黄灯）；"
    "新技术新项目（5月黄灯）。",
    "按目前进度，预计全年难以完成8项，均已见上文（红灯5项、黄灯3项）。",
    "未报送2项：农村公路新改建（责任单位：县公安局）；花鸟D431线灯塔支线10KV网架标准化改造（责任单位：国网嵊泗县供电公司）。",
]

JUNE_EN = [
    f"As of 2025-06, 91 indicators and tasks of the {PLAN_EN} are monitored: 18 green,"
    " 7 yellow and 6 red; 60 grey (38 pending, 2 not reported, 19 not due, 1 no "
    "target).",
    "Red (6): Total tourism revenue (66 × 100 million yuan to date, 41.2% complete "
    "against 50.0% time progress, 8.8 points behind; projected 132 × 100 million yuan"
    " for the year); Certified care workers per 10,000 elderly (24 persons, below the"
    " target of 25 persons); Projects over 100 million yuan landed (3 to date, 42.9% "
    "complete against 50.0% time progress, 7.1 points behind; projected 6 for the "
    "year; owners: 县投促中心, 县财政局, 六大产业牵头单位); Ne"
    "w dual-certified care staff (21 persons "
    "to date, 42.0% complete against 50.0% time progress, 8.0 points behind; "
    "projected 42 persons for the year; owners: 县民社局, 县卫健局, 县残联 and 1 other); "
    "Public-welfare jobs created (44 to date, 44.0% complete against 50.0% time "
    "progress, 6.0 points behind; projected 88 for the year; owners: 县民社局, 县发改局, 县经信局"
    " and 9 others); Water mains renovated (8.2 km to date, 41.0% complete against "
    "50.0% time progress, 9.0 points behind; projected 16.4 km for the year; owners: "
    "县农业农村局).",
    "Yellow (7): Gross domestic product (86 × 100 million yuan to date, 47.8% "
    "complete against 50.0% time progress, 2.2 points behind; projected 172 × 100 "
    "million yuan for the year); Fishery value-added growth (5.6%, below the target "
    "of 6%, 0.4 points off); Rural per-capita disposable income growth (8.8%, below "
    "the target of 9%, 0.2 points off); Share of days with good air quality (97.2%, "
    'below the target of 98%, 0.8 points off); "One fish" whole-industry-chain output'
    " (58 × 100 million yuan to date, 47.5% complete against 50.0% time progress, 2.5"
    " points behind; projected 116 × 100 million yuan for the year); Rural roads "
    "overhauled (6.5 km to date, 46.4% complete against 50.0% time progress, 3.6 "
    "points behind; projected 13 km for the year); Water supply network leakage rate "
    "(15.4%, above the cap of 15%, 0.4 points off).",
    "Since 2025-05, 1 turned red: Public-welfare jobs created (yellow in 2025-05). 4 "
    "turned green: Port cargo throughput (yellow in 2025-05); Urban per-capita "
    "disposable income growth (yellow in 2025-03); New jobs (yellow in 2025-05); New "
    "medical techniques and projects (yellow in 2025-05).",
    "At the pace so far, 8 are projected to miss the year, all named above (5 red and 3 yellow).",
    "Not reported (2): Rural roads built or rebuilt (owners: 县公安局); Huaniao D431 10 "
    "kV branch grid upgraded (owners: 国网嵊泗县供电公司).",
]

DECEMBER_ZH = [
    f"截至2025年12月，{PLAN}监测指标和任务共91项：绿灯77项、黄灯0项、红灯7项、灰灯7项（未报送5项、待发布1项、无目标值1项）。",
    "红灯指标7项：旅游总收入（全年150亿元，完成率93.8%，未达到目标160亿元）；每万老年人口拥有持证养老护理员数（24人，低于目标25人）；生态环境状况综合"
    "指数全省排名（第12位，目标前10位）；新增“双持证”人员（全年45人，完成率90.0%，未达到目标50人，责任单位：县民社局、县卫健局、县残联等4家）；供"
    "水管网漏损率（15.4%，高于目标15%，相差0.4个百分点，责任单位：县农业农村局）；改造供水管网（全年18公里，完成率90.0%，未达到目标20公里，责任单"
    "位：县农业农村局）；完成滩浒山岛、西绿华岛整岛迁居（未按期完成，责任单位：县共富办、县民社局、县住建局等5家）。",
    "较上月新亮红灯4项：旅游总收入（11月绿灯）；新增“双持证”人员（11月黄灯）；供水管网漏损率（11月黄灯）；完成滩浒山岛、西绿华岛整岛迁居（11月进行中）。转"
    "为绿灯2项：新增就业岗位（11月黄灯）；招引落地亿元以上项目（11月红灯）。",
    "未报送5项：高考国内“双一流”大学录取人数（责任单位：县教育局）；中考全市前5%人数（责任单位：县教育局）；空气质量优良天数比率（责任单位：市生态环境局嵊泗分局"
    "、县资源规划局、县农业农村局等4家）；群众满意度（责任单位：县委社会工作部、县委办、县人"
    "大办等11家）；群众认同感（责任单位：县委社会工作部、县委办、县人大办等11家）。",
    "待发布1项（年度数据次年发布，发布后放入年报文件）：森林覆盖率（预计2026年6月发布）。",
]

DECEMBER_EN = [
    f"As of 2025-12, 91 indicators and tasks of the {PLAN_EN} are monitored: 77 green,"
    " 0 yellow and 7 red; 7 grey (5 not reported, 1 awaiting, 1 no target).",
    "Red (7): Total tourism revenue (150 × 100 million yuan for the year, 93.8% of "
    "the target of 160 × 100 million yuan); Certified care workers per 10,000 elderly"
    " (24 persons, below the target of 25 persons); Provincial rank of the ecological"
    " environment index (ranked 12, target top 10); New "
    "dual-certified care staff (45 persons for the year, 90.0% of the target of 50 "
    "persons; owners: 县民社局, 县卫健局, 县残联 and 1 other); Water supply network leakage rate"
    " (15.4%, above the cap of 15%, 0.4 points off; owners: 县农业农村局); Water mains "
    "renovated (18 km for the year, 90.0% of the target of 20 km; owners: 县农业农村局); "
    "Whole-island relocation of Tanhushan and West Lühua (not done by its deadline; "
    "owners: 县共富办, 县民社局, 县住建局 and 2 others).",
    "Since 2025-11, 4 turned red: Total tourism revenue (green in 2025-11); New "
    "dual-certified care staff (yellow in 2025-11); Water supply network leakage rate"
    " (yellow in 2025-11); Whole-island relocation of Tanhushan and West Lühua "
    "(pending in 2025-11). 2 turned green: New jobs (yellow in 2025-11); Projects "
    "over 100 million yuan landed (red in 2025-11).",
    'Not reported (5): Admissions to "Double First-Class" universities (owners: '
    "县教育局); Students in the city's top 5% at the zhongkao (owners: 县教育局); Share of "
    "days with good air quality, against last year (owners: 市生态环境局嵊泗分局, 县资源规划局, "
    "县农业农村局 and 1 other); Public satisfaction (owners: 县委社会工作部, 县委办, "
    "县人大办 and 8 others); Public sense of identification (owners: 县委社会工作部, "
    "县委办, 县人大办 and 8 others).",
    "Awaited (1, published the next year, then put in a year-end file): Forest coverage "
    "(expected 2026-06).",
]


def test_june_briefing_in_chinese():
    """The bundled June: 总体情况, 红灯 with figure, 完成率, 序时进度, gap and owners, 黄灯,
    较上月, 预计 only as a cross-reference, 未报送, one paragraph a line."""
    assert paragraphs(SAMPLES) == JUNE_ZH


def test_june_briefing_in_english():
    """The same paragraphs in English, in English units, the owners in Chinese."""
    assert paragraphs(SAMPLES, "--lang", "en") == JUNE_EN


def test_december_briefing_in_chinese(december):
    """December: the year's results, what turned red and green since November, no
    projection paragraph, and a figure published next year awaited (待发布), not 未报送."""
    assert paragraphs(december) == DECEMBER_ZH


def test_december_briefing_in_english(december):
    assert paragraphs(december, "--lang", "en") == DECEMBER_EN


# ---------------------------------------------------------------------------
# the parts, one behaviour each


def test_every_unit_of_the_plan_has_its_english(targets):
    """Each unit targets.yaml uses is in the English words table, so no English brief
    writes 24人 or 172亿元."""
    from gongfu_cli.render.brief import UNITS_EN

    missing = sorted({ind.unit for ind in targets.indicators if ind.unit} - set(UNITS_EN))
    assert missing == []


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (172.0, "100 million yuan", "172 × 100 million yuan"),
        (0.9, "100 million units", "0.9 × 100 million units"),
        (24, "persons", "24 persons"),
        (1050, "", "1,050"),
        (660000, "10,000 yuan", "660,000 × 10,000 yuan"),
        (-1234.5, "km", "-1,234.5 km"),
        (97.2, "%", "97.2%"),
    ],
)
def test_english_figures_carry_english_units(value, unit, text):
    """A scale unit reads as a multiple (172 × 100 million yuan), others after a space,
    thousands grouped as English writes them."""
    from gongfu_cli.render.brief import figure

    assert figure(value, unit, "en") == text


@pytest.mark.parametrize(
    ("unit_en", "expected"),
    [("", "30 × 100 million yuan"), ("hundred million yuan", "30 hundred million yuan")],
)
def test_unit_en_in_the_yaml_overrides_the_words_table(write_yaml, write_csv, unit_en, expected):
    """An indicator's own unit_en is what English shows; without it, the words table."""
    from conftest import MINIMAL_TARGET
    from gongfu_cli.api import load_targets

    text = MINIMAL_TARGET.replace("    unit: 亿元\n", f"    unit: 亿元\n    unit_en: '{unit_en}'\n")
    folder = write_csv([["gdp", "30", "", ""]]).parent
    year = evaluate_year(folder, load_targets(write_yaml(text)))
    report = year.latest
    text = brief(report, report.evaluations, "en", "test plan")
    assert f"GDP ({expected} to date" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_indicators_without_owners_carry_no_note(lang):
    """An indicator whose sentence in the plan names no unit is listed by name alone:
    no 方案未列明责任单位 (an internal note) anywhere in the briefing."""
    text = runner.invoke(app, ["brief", str(SAMPLES), "--lang", lang]).stdout
    assert "方案未列明" not in text and "no unit named" not in text
    tourism = "旅游总收入（累计66亿元" if lang == "zh" else "Total tourism revenue (66 "
    assert tourism in text


@pytest.mark.parametrize(("lang", "first"), [("zh", "数据待核："), ("en", "Data to check: ")])
def test_data_to_check_comes_first(tmp_path, lang, first):
    """A month with a figure to check opens with the 数据待核 line, then the paragraphs
    in their order; the questioned figure is listed as such, never as 未报送."""
    import shutil

    for month in ("05", "06"):
        shutil.copy(SAMPLES / f"2025-{month}.csv", tmp_path / f"2025-{month}.csv")
    june = tmp_path / "2025-06.csv"
    june.write_text(
        june.read_text(encoding="utf-8-sig").replace('旅游总收入,"660,000"', "旅游总收入,x"),
        encoding="utf-8",
    )
    lines = runner.invoke(app, ["brief", str(tmp_path), "--lang", lang]).stdout.splitlines()
    assert lines[0].startswith(first)
    assert lines[1].startswith("截至2025年6月" if lang == "zh" else "As of 2025-06")
    invalid = (
        "数据有误、需核实重报1项：旅游总收入。"
        if lang == "zh"
        else ("Invalid, to be corrected (1): Total tourism revenue.")
    )
    assert lines[-1] == invalid


def test_changes_name_the_month_compared_with(tmp_path):
    """Without a May file, June is compared with April: 较4月, not 较上月."""
    import shutil

    for month in ("02", "03", "04", "06"):
        shutil.copy(SAMPLES / f"2025-{month}.csv", tmp_path / f"2025-{month}.csv")
    text = runner.invoke(app, ["brief", str(tmp_path)]).stdout
    assert "较上月" not in text
    assert "\n较4月" in text


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("zh", "较上月无新亮红灯，也无转为绿灯的指标。"),
        ("en", "Since 2025-05, nothing turned red or green."),
    ],
)
def test_a_month_with_no_change_says_so(lang, text, targets):
    """With an earlier month but nothing turned red or green, the paragraph says so."""
    from gongfu_cli.render.brief import changes

    june = evaluate_year(SAMPLES, targets).latest
    steady = [e for e in june.evaluations if not e.turned_red and e.light != "green"]
    assert changes(june, steady, lang) == text


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "zh",
            "按目前进度，预计全年难以完成9项：红灯5项、黄灯3项见上文，"
            "另有1项：新增就业岗位（预计全年900个，目标1000个）。",
        ),
        (
            "en",
            "At the pace so far, 9 are projected to miss the year: the 5 red and 3 yellow above, "
            "and 1 more: New jobs (projected 900, target 1,000).",
        ),
    ],
)
def test_projected_misses_list_only_what_is_not_above(lang, text, targets):
    """预计全年难以完成 counts the red and yellow ones (their projection is in their item)
    and gives in full only one not named above."""
    import dataclasses

    from gongfu_cli.render.brief import projected_misses

    june = evaluate_year(SAMPLES, targets).latest
    evaluations = [
        dataclasses.replace(e, projection=900.0, projected_to_miss=True)
        if e.indicator.id == "new_jobs"
        else e
        for e in june.evaluations
    ]
    assert projected_misses(evaluations, lang) == text


@pytest.mark.parametrize(
    ("month", "value", "words"),
    [
        (7, 66.016, "完成率41.3%，序时进度58.3%，落后17.0个百分点"),  # 17.07 rounds to 17.1
        (6, 66.0, "完成率41.2%，序时进度50.0%，落后8.8个百分点"),
        (11, 140.0, "完成率87.5%，序时进度91.7%，落后4.2个百分点"),
    ],
)
def test_the_gap_is_the_difference_of_the_figures_shown(targets, month, value, words):
    """落后N个百分点 is 序时进度 minus 完成率 as printed, so a reader's subtraction agrees."""
    from gongfu_cli.judge.evaluate import evaluate_one
    from gongfu_cli.model.period import Period
    from gongfu_cli.model.readings import Reading
    from gongfu_cli.render.brief import shortfall

    ind = targets.by_id["tourism_revenue"]
    reading = Reading(indicator=ind.id, line=2, raw=str(value), value=value)
    assert words in shortfall(evaluate_one(ind, reading, Period(2025, month), band=5), "zh")


def test_a_unit_the_table_lacks_is_shown_as_written(targets):
    """English never drops a unit it has no words for: 万标箱 stays 万标箱."""
    from gongfu_cli.render.brief import unit_words

    ind = replace(targets.by_id["gdp"], unit="万标箱")
    assert unit_words(ind, "en") == "万标箱"
    assert unit_words(ind, "zh") == "万标箱"


def test_readme_example_is_what_brief_prints():
    """The README's `gongfu brief --owner 县农业农村局` block is the command's output."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    command = "$ gongfu brief data/actuals/ --owner 县农业农村局\n"
    shown = readme.split(command, 1)[1].split("```", 1)[0]
    assert shown.splitlines() == paragraphs(SAMPLES, "--owner", "县农业农村局")
