"""Issue 12 §2: the rest of the plan's targets, every reading of the plan shown, pacing
and frequencies that do not mislead, and the names people type (aliases)."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from conftest import MINIMAL_TARGET, PLAN
from gongfu_cli.api import load_targets
from gongfu_cli.cli import app
from gongfu_cli.model.problems import GongfuError, number
from gongfu_cli.model.results import Status
from gongfu_cli.model.targets import Kind, Pace, normalise
from gongfu_cli.read.actuals import read_actuals
from gongfu_cli.render import targets as render_targets
from test_evaluate import judge

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


# --- the plan, cut into its sections --------------------------------------------

_PLAN = PLAN.read_text(encoding="utf-8")
_CHAPTERS = "一二三四五"


def _tasks() -> dict[str, str]:
    """Section code → its text: '二' the work targets, '三(二)5' task 5 of chapter (二)."""
    goals = _PLAN.split("二、工作目标", 1)[1].split("三、工作任务", 1)[0]
    body = _PLAN.split("三、工作任务", 1)[1].split("四、工作要求", 1)[0]
    tasks, chapter = {"二": goals}, ""
    for line in body.splitlines():
        opening = re.match(r"\((.)\)", line)
        task = re.match(r"(\d+)\.", line)
        if opening and opening.group(1) in _CHAPTERS:
            chapter = opening.group(1)
        elif task:
            tasks[f"三({chapter}){task.group(1)}"] = line
    return tasks


TASKS = _tasks()
TASK_TEXT = "".join(text for code, text in TASKS.items() if code != "二")


def _owners_after(sentence: str) -> list[str] | None:
    """The 责任单位 the plan lists after a sentence of its tasks; None if it is not in them."""
    at = TASK_TEXT.find(sentence)
    if at < 0:
        return None
    listed = re.compile(r"\(责任单位:([^)]*)\)").search(TASK_TEXT, at)
    assert listed is not None, sentence
    return listed.group(1).split("、")


def test_every_owner_list_is_the_one_the_plan_gives_its_sentence(targets):
    """owners are exactly the 责任单位 listed after the target's sentence (or owners_quote), in
    the plan's order; [] where the sentence is only in 二、工作目标, which names none."""
    wrong = {}
    for ind in targets.indicators:
        sentence = ind.owners_quote or ind.quote
        expected = _owners_after(sentence) or []
        if ind.owners != expected:
            wrong[ind.id] = (ind.owners, expected)
    assert wrong == {}


def test_every_section_holds_its_quote(targets):
    """An indicator's section (三(二)5: chapter 二, task 5) is where the plan states its quote."""
    misplaced = [
        (ind.id, ind.section)
        for ind in targets.indicators
        if ind.section not in TASKS or ind.quote not in TASKS[ind.section]
    ]
    assert misplaced == []


def test_the_task_parser_sees_all_25_tasks():
    """The plan has 25 numbered tasks in five chapters (so the two checks above see them all)."""
    chapters = {"一": range(1, 4), "二": range(4, 10), "三": range(10, 15)}
    chapters |= {"四": range(15, 20), "五": range(20, 26)}
    expected = {"二"} | {f"三({c}){n}" for c, numbers in chapters.items() for n in numbers}
    assert set(TASKS) == expected


# --- the entries of issue 12 -----------------------------------------------------

HUANIAO = ["花鸟乡", "县文广旅体局"]
ELDERLY = ["县民社局", "县卫健局", "县残联", "各乡镇"]
LOW_ALTITUDE = ["县交通运输局", "县交投公司"]
INCOME_PILOT = [
    *("县发改局", "县公安局", "县民社局", "县财政局", "县交通运输局", "县农业农村局"),
    *("县文广旅体局", "县海洋经济发展局", "县数据服务中心"),
]
SATISFACTION = [
    *("县委社会工作部", "县委办", "县人大办", "县政协办", "县纪委县监委机关", "县委宣传部"),
    *("县委党校", "县共富办", "县发改局", "县融媒体中心", "相关民生领域职能单位"),
]

# (id, quote, owners): the milestones the issue names, then the ones found beside them
MILESTONES = [
    (
        "shiziao_plot_development_started",
        "启动石子岙地块房地产开发",
        ["县住建局", "县资源规划局", "县文广旅体局", "县城投公司"],
    ),
    (
        "xiaoyangshan_north_plan",
        "积极推动小洋山北侧控制性规划完成编制",
        ["县洋管中心", "县发改局", "县资源规划局"],
    ),
    ("love_chapel_started", "开工建设爱情礼堂等项目", HUANIAO),
    ("cliff_hotel_land_rights", "取得悬崖酒店土地使用权", HUANIAO),
    ("gull_habitat_started", "启动鸥鸟栖息地建设", ["县资源规划局", "花鸟乡"]),
    (
        "homestay_hotels_open",
        "落地运营东咀头民宿聚落、向东野等酒店项目",
        ["县文广旅体局", "各乡镇"],
    ),
    (
        "six_industries_policy",
        "出台支持六大产业高质量发展政策",
        ["县投促中心", "县财政局", "六大产业牵头单位"],
    ),
    ("elderly_80_records", "建立完善80周岁以上老人“一人一档”数据库", ELDERLY),
    ("helicopter_routes", "常态化运行上海临港至花鸟、普陀山至嵊泗直升机班线", LOW_ALTITUDE),
    ("low_altitude_island_tours", "推出泗礁岛、枸杞岛“低空环岛游”", LOW_ALTITUDE),
    (
        "marine_eco_index_published",
        "继续发布海洋生态文明发展指数",
        ["县发改局", "县资源规划局", "市生态环境局嵊泗分局", "县海洋经济发展局", "县海投公司"],
    ),
    (
        "ecommerce_talent_rules",
        "出台电商人才评价认定办法",
        ["县委组织部", "县经信局", "县海洋经济发展局", "县总工会", "县科协", "县科创中心"],
    ),
    ("income_monitoring_pilot", "全面完成扩中提低家庭收入监测分析试点", INCOME_PILOT),
    # two of the "relative" targets state an end state, not a change: milestones
    (
        "small_island_residents_cleared",
        "建制乡镇以下小岛常住人口全部清零",
        ["县共富办", "县民社局", "县住建局", "菜园镇", "洋山镇"],
    ),
    ("secondary_water_supply_standard", "实现全部二次供水设施规范化、标准化运行", ["县农业农村局"]),
    # found in the plan, of the same kind
    (
        "sewage_operation_integrated",
        "实现本岛污水处理厂、污水泵站和污水主管网运维管理一体化",
        ["县住建局", "县委编办", "县城投公司", "菜园镇"],
    ),
    ("short_drama_base", "建立短剧创作基地", ["县文广旅体局", "各乡镇"]),
    (
        "mussel_demo_project",
        "落地贻贝标准化示范项目",
        ["县海洋经济发展局", "县府办", "县发改局", "县经信局", "县文广旅体局", "各乡镇"],
    ),
    (
        "health_pay_system",
        "建立符合医疗卫生行业特点、“三院合一”方向、医共体发展要求和海岛地区实际的薪酬制度",
        ["县卫健局", "县委社会工作部", "县民社局"],
    ),
    (
        "elderly_care_standards_unified",
        "实现渔农村养老机构收费标准、服务标准、监管标准统一",
        ELDERLY,
    ),
    (
        "retirement_precheck_countywide",
        "实现退休预审服务全域通办",
        [
            *("县民社局", "县发改局", "县经信局", "县教育局", "县财政局", "县文广旅体局"),
            *("县市场监管局", "县海洋经济发展局", "县总工会", "团县委", "县残联", "各乡镇"),
        ],
    ),
]

RELATIVE = [
    ("air_good_days_ratio_rise", "空气质量优良天数比率稳中有升", "%"),
    (
        "gaokao_top_university_admissions",
        "高考国内“双一流”大学录取人数和中考全市前5%实现新突破",
        "人",
    ),
    ("zhongkao_city_top5_percent", "高考国内“双一流”大学录取人数和中考全市前5%实现新突破", "人"),
    ("public_satisfaction", "实现群众满意度认同感“双提升”", "%"),
    ("public_identification", "实现群众满意度认同感“双提升”", "%"),
]


@pytest.mark.parametrize(("ind_id", "quote", "owners"), MILESTONES)
def test_the_plans_milestones_are_in_the_catalogue(targets, ind_id, quote, owners):
    """Each milestone is there as written: its quote in the plan, its owners the plan's,
    due in December like the others."""
    ind = targets.by_id[ind_id]
    assert (ind.kind, ind.op, ind.frequency.value, ind.due_month) == (
        Kind.milestone,
        "done",
        "monthly",
        12,
    )
    assert ind.quote == quote and quote in _PLAN
    assert ind.owners == owners == _owners_after(quote)


@pytest.mark.parametrize(("ind_id", "quote", "unit"), RELATIVE)
def test_relative_targets_wait_for_a_baseline_the_county_sets(targets, ind_id, quote, unit):
    """稳中有升 / 新突破 / 双提升 ask for a rise above a baseline the YAML leaves empty
    (op rise): 无目标值, never a verdict on a guessed figure; the assumption says what
    is compared."""
    ind = targets.by_id[ind_id]
    assert (ind.op, ind.baseline, ind.target, ind.unit) == ("rise", None, None, unit)
    assert ind.quote == quote and ind.owners == _owners_after(quote)
    assert ind.frequency.value == "annual"  # a year's figure against last year's
    assert ind.assumption and ind.assumption_en and "baseline" in ind.assumption
    assert judge(targets, ind_id, 99.0, 12).status == Status.no_target
    assert judge(targets, ind_id, None, 12).status == Status.no_data
    assert judge(targets, ind_id, None, 6).status == Status.not_due


def test_a_relative_target_is_judged_once_its_baseline_is_set(targets):
    """Entering a baseline is all it takes: a 新突破 above it is green in December; level
    with it or below is red (no rise), while 巩固 (maintain) is met level with it."""
    ind_id = "gaokao_top_university_admissions"
    assert judge(targets, ind_id, 40, 12, baseline=41).status == Status.off_track
    assert judge(targets, ind_id, 41, 12, baseline=41).status == Status.off_track
    assert judge(targets, ind_id, 42, 12, baseline=41).status == Status.met
    kept = "public_safety_satisfaction"
    if kept in targets.by_id and targets.by_id[kept].op == "maintain":
        assert judge(targets, kept, 99.5, 12, baseline=99.5).status == Status.met


def test_a_rise_level_with_its_baseline_says_so_in_the_brief(targets):
    """The brief says a 新突破 level with its baseline is no rise, not "below the target"."""
    from gongfu_cli.render.brief import shortfall

    e = judge(targets, "gaokao_top_university_admissions", 41, 12, baseline=41)
    assert shortfall(e, "zh") == "41人，与基数41人持平，未见提升"
    below = judge(targets, "gaokao_top_university_admissions", 40, 12, baseline=41)
    assert shortfall(below, "zh") == "40人，低于基数41人"


def test_the_catalogue_counts(targets):
    """48 quantified targets became 53 (5 relative), 17 milestones became 38."""
    kinds = [ind.kind == Kind.milestone for ind in targets.indicators]
    assert (kinds.count(False), kinds.count(True)) == (52, 39)


# --- every reading of the plan is written down and shown -------------------------

READINGS = [
    ("disabled_elderly_admission_rate", "100%"),  # 应收尽收
    ("local_enrollment_gain", "1 个百分点"),  # 提升1%
    ("eco_index_rank", "前10位"),  # 全省前列
    ("public_safety_satisfaction", "baseline"),  # 巩固提升
    ("aquatic_release", "year_end"),
    ("care_workers_per_10k_elderly", "年度"),
    ("water_leakage_rate", "1—M月累计"),
    ("flood_training_coverage", "6月"),
    ("tourism_revenue", "序时进度"),
    ("fish_industry_chain_output", "休渔"),
]


@pytest.mark.parametrize(("ind_id", "words"), READINGS)
def test_each_reading_of_the_plan_is_an_assumption(targets, ind_id, words):
    """A figure or setting the plan does not give is written as the tool's assumption."""
    ind = targets.by_id[ind_id]
    assert ind.assumption and words in ind.assumption and ind.assumption_en


def test_every_tolerance_is_declared_a_setting(targets):
    """A tolerance is the tool's, not the plan's: each says so, with its figure, in both
    languages."""
    tolerant = [ind for ind in targets.indicators if ind.tolerance > 0]
    assert len(tolerant) == 7
    for ind in tolerant:
        assert ind.assumption and f"容差 {number(ind.tolerance)} 个百分点" in ind.assumption
        assert ind.assumption_en and f"tolerance of {number(ind.tolerance)}" in ind.assumption_en


def test_the_yellow_band_and_doubt_thresholds_are_declared_settings(targets):
    """defaults.assumption names the yellow band and doubt thresholds as they are set."""
    defaults, doubts = targets.defaults, targets.defaults.doubts
    assert defaults.assumption and defaults.assumption_en
    for figure in (defaults.yellow_band, doubts.unit_ratio, doubts.fraction_max, doubts.jump_ratio):
        assert number(figure) in defaults.assumption
        assert number(figure) in defaults.assumption_en
    assert "设定" in defaults.assumption and "setting" in defaults.assumption_en


def test_every_assumption_has_its_english(targets):
    """--lang en never falls back to Chinese for a reading of the bundled file."""
    assert [i.id for i in targets.indicators if bool(i.assumption) != bool(i.assumption_en)] == []


def test_a_due_month_other_than_december_is_an_assumption(targets):
    """The plan sets no month: any due month but December is the tool's, and says so."""
    early = [i for i in targets.indicators if i.kind == Kind.milestone and i.due_month != 12]
    assert [i.id for i in early] == ["flood_training_coverage"]
    assert all(i.assumption and f"{i.due_month}月" in i.assumption for i in early)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("format", ["table", "markdown"])
def test_targets_command_shows_every_reading(targets, lang, format):
    """`gongfu targets` marks each target that rests on a reading with ※ and lists every
    reading under 口径说明, in the language asked for."""
    result = run("targets", "--format", format, "--lang", lang)
    assert result.exit_code == 0, result.output
    shown = "".join(result.stdout.split())  # the table wraps long cells
    assert "".join(render_targets.NOTES_HEADING[lang].split()) in shown
    readings = [targets.defaults, *targets.indicators]
    for item in readings:
        text = item.assumption_en if lang == "en" else item.assumption
        if text:
            assert "".join(text.split()) in shown
    marked = [line for line in result.stdout.splitlines() if render_targets.NOTE_SIGN in line]
    assert len(marked) >= 2 * sum(1 for ind in targets.indicators if ind.assumption)


def test_markdown_marks_exactly_the_targets_with_a_reading(targets):
    """In the Markdown table the target cell carries ※ if and only if there is a reading."""
    text = render_targets.targets_markdown(targets, "zh")
    rows = {line.split(" | ")[0][2:]: line for line in text.splitlines() if line.startswith("| ")}
    for ind in targets.indicators:
        assert (render_targets.NOTE_SIGN in rows[ind.id]) is bool(ind.assumption), ind.id


def test_a_file_without_readings_lists_none(write_yaml):
    """No readings: no 口径说明 heading (nothing is said that is not there)."""
    result = run("targets", "--targets", str(write_yaml(MINIMAL_TARGET)))
    assert result.exit_code == 0 and "口径说明" not in result.stdout


def test_the_reading_wrapped_in_yaml_is_one_line(write_yaml):
    """A folded or multi-line assumption is shown as one line, never with escapes."""
    text = MINIMAL_TARGET + "    assumption: |\n      第一行\n      第二行\n"
    result = run("targets", "--targets", str(write_yaml(text)), "--format", "markdown")
    assert "- ※ gdp 地区生产总值：第一行 第二行" in result.stdout


# --- pacing and frequencies -------------------------------------------------------


@pytest.mark.parametrize("month", [2, 3, 4, 5])
@pytest.mark.parametrize("released", [0.0, 0.1, 0.3])
def test_release_campaigns_are_not_red_in_spring(targets, month, released):
    """放流 before the June campaign is 进行中 with its completion, never red."""
    result = judge(targets, "aquatic_release", released, month)
    assert result.status == Status.pending
    assert result.completion == pytest.approx(released / 1.3)


def test_release_short_in_december_is_red(targets):
    """放流 is still judged: short of 1.3亿单位 in December it is 滞后."""
    assert judge(targets, "aquatic_release", 1.2, 12).status == Status.off_track
    assert judge(targets, "aquatic_release", 1.3, 12).status == Status.met
    assert targets.by_id["aquatic_release"].pace == Pace.year_end


def test_seasonal_profiles_come_only_from_statistics(targets):
    """No seasonal profile is guessed: the repository holds no monthly statistics yet."""
    assert [i.id for i in targets.indicators if i.pace == Pace.seasonal] == []


def test_new_jobs_are_whole_posts_like_the_other_post_counts(targets, write_csv):
    """新增就业岗位 is a count, like 开发公益性岗位 and 开发见习岗位: 520.5 is refused."""
    kinds = {
        targets.by_id[i].kind for i in ("new_jobs", "public_welfare_jobs", "internship_positions")
    }
    assert kinds == {Kind.count}
    actuals = read_actuals(write_csv([["新增就业岗位", "520.5"]]), targets)
    assert [p.code for p in actuals.problems] == ["non-integer"]


def test_care_workers_per_10k_elderly_are_due_in_december_only(targets):
    """A yearly denominator: not reported mid-year is 本期不报, not 未报送."""
    assert judge(targets, "care_workers_per_10k_elderly", None, 6).status == Status.not_due
    assert judge(targets, "care_workers_per_10k_elderly", None, 12).status == Status.no_data


@pytest.mark.parametrize(
    ("month", "done", "status"),
    [
        (5, False, Status.pending),
        (6, False, Status.off_track),
        (6, True, Status.met),
        (12, False, Status.off_track),
    ],
)
def test_flood_training_is_due_before_the_flood_season(targets, month, done, status):
    """防汛培训 is due by June: not done in June is red, not left to December."""
    assert judge(targets, "flood_training_coverage", month=month, done=done).status == status


def test_leakage_is_the_year_to_date_rate(targets):
    """漏损率 is the 1—M月 rate, judged monthly as the year's rate takes shape."""
    ind = targets.by_id["water_leakage_rate"]
    assert ind.frequency.value == "monthly" and ind.assumption and "1—M月" in ind.assumption


# --- aliases ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "ind_id"),
    [
        ("人均GDP", "gdp_per_capita"),
        ("人均ＧＤＰ", "gdp_per_capita"),  # full-width, as Chinese input methods type it
        (" 人均gdp ", "gdp_per_capita"),
        ("GDP", "gdp"),
        ("旅游收入", "tourism_revenue"),
        ("吞吐量", "port_throughput"),
        ("一条鱼全产业链产值", "fish_industry_chain_output"),
        ("防汛责任人和应急消防管理站人员培训覆盖率", "flood_training_coverage"),  # its old name
    ],
)
def test_an_alias_in_a_data_file_is_the_indicator(targets, write_csv, typed, ind_id):
    """A row under an alias is read as that indicator, with no problem."""
    actuals = read_actuals(write_csv([[typed, "1"]]), targets)
    assert actuals.problems == [] and set(actuals.readings) == {ind_id}


@pytest.mark.parametrize(
    ("typed", "likely"),
    [
        ("人均GDP值", "gdp_per_capita"),  # was suggested as gdp
        ("人均GDP（万元）", "gdp_per_capita"),
        ("旅游收入额", "tourism_revenue"),
    ],
)
def test_the_suggestion_knows_the_aliases(targets, write_csv, typed, likely):
    """An unknown name close to an alias is suggested as the alias's indicator."""
    actuals = read_actuals(write_csv([[typed, "1"]]), targets)
    assert [(p.code, p.indicator) for p in actuals.problems] == [("unknown-indicator", likely)]


def test_indicator_option_takes_an_alias(tmp_path):
    """`--indicator 人均GDP` is 人均地区生产总值, as the name and the id are."""
    folder = tmp_path / "2025"
    folder.mkdir()
    (folder / "2025-12.csv").write_text("指标,数值\n人均GDP,28.5\n", encoding="utf-8")
    outputs = [
        run("trend", str(folder), "-i", typed, "--format", "json")
        for typed in ("人均GDP", "人均地区生产总值", "gdp_per_capita")
    ]
    assert all(result.exit_code == 0 for result in outputs), outputs[0].output
    assert outputs[0].stdout == outputs[1].stdout == outputs[2].stdout
    assert "gdp_per_capita" in outputs[0].stdout


def test_bundled_aliases_lead_to_one_indicator_each(targets):
    """Every alias of the bundled file resolves to its own indicator."""
    for ind in targets.indicators:
        for alias in ind.aliases:
            assert targets.by_name[normalise(alias)] is ind


_SECOND = """\
  - id: gdp_per_capita
    name: 人均地区生产总值
    name_en: GDP per capita
    unit: 万元
    op: ">"
    target: 28
    kind: level
    frequency: annual
    owners: []
    section: 二
    quote: 人均地区生产总值突破28万元
    aliases: [人均GDP, {alias}]
"""


@pytest.mark.parametrize(
    ("alias", "what_en", "what_zh"),
    [
        ("gdp", "the id of indicator 'gdp'", "“gdp”的 id"),
        ("ＧＤＰ", "the id of indicator 'gdp'", "“gdp”的 id"),  # compared as names are
        ("地区生产总值", "the name of indicator 'gdp'", "“gdp”的名称"),
        ("Gross domestic product", "the English name of indicator 'gdp'", "英文名称"),
        ("生产总值", "the alias of indicator 'gdp'", "“gdp”的别名"),
    ],
)
def test_an_alias_that_leads_elsewhere_is_a_located_problem(write_yaml, alias, what_en, what_zh):
    """An alias that is another indicator's id, name, English name or alias is refused at
    the alias, with its line and indicator: rows would otherwise go to one silently."""
    first = MINIMAL_TARGET.replace("name_en: GDP", "name_en: Gross domestic product")
    text = first + "    aliases: [生产总值]\n" + _SECOND.format(alias=alias)
    with pytest.raises(GongfuError) as caught:
        load_targets(write_yaml(text))
    [problem] = caught.value.problems
    assert problem.code == "targets-invalid"
    assert problem.column == "indicators[1].aliases[1]"
    assert problem.line == text.splitlines().index("    aliases: [人均GDP, " + alias + "]") + 1
    assert problem.indicator == "gdp_per_capita"
    assert what_en in problem.message("en") and what_zh in problem.message("zh")


@pytest.mark.parametrize(
    "alias", ["人均地区生产总值", "gdp_per_capita", "GDP per capita", "人均GDP"]
)
def test_an_alias_may_repeat_its_own_indicator(write_yaml, alias):
    """An alias that is the indicator's own name, id or another of its aliases is harmless."""
    text = MINIMAL_TARGET + _SECOND.format(alias=alias)
    assert load_targets(write_yaml(text)).by_name["人均gdp"].id == "gdp_per_capita"


@pytest.mark.parametrize("alias", ['" "', '"\u3000"'])
def test_a_blank_alias_is_refused(write_yaml, alias):
    """An alias of spaces would name every blank indicator cell: refused at its place."""
    text = MINIMAL_TARGET + _SECOND.format(alias=alias)
    with pytest.raises(GongfuError) as caught:
        load_targets(write_yaml(text))
    [problem] = caught.value.problems
    assert problem.column == "indicators[1].aliases[1]" and "blank" in problem.message("en")


def test_schema_describes_aliases_unit_en_and_the_defaults_reading():
    """`gongfu schema` is generated from the model: the new fields are in it."""
    schema = json.loads(run("schema").stdout)
    indicator = schema["$defs"]["Indicator"]["properties"]
    assert indicator["aliases"]["type"] == "array" and "unit_en" in indicator
    assert "assumption" in indicator and "description" in indicator["assumption"]
    assert "assumption_en" in schema["$defs"]["Defaults"]["properties"]


@pytest.mark.parametrize(
    ("header", "row", "expected"),
    [
        (["指标", "本月", "本年累计"], ["供水管网漏损率", "19.2", "15.4"], 15.4),
        (["指标", "本期值", "累计值"], ["供水管网漏损率", "19.2", "15.4"], 15.4),
        (["指标", "数值"], ["供水管网漏损率", "15.4"], 15.4),
        (["指标", "本月", "本年累计"], ["供水管网漏损率", "15.4", ""], 15.4),
    ],
)
def test_the_leakage_rate_is_read_from_the_year_to_date_column(
    targets, tmp_path, header, row, expected
):
    """漏损率 is the 1—M月 rate: with both a month and a 累计 column the 累计 figure is
    judged, never the month's own rate swinging with the meter readings (GBK, as Excel
    on Chinese Windows saves it)."""
    path = tmp_path / "2025-06.csv"
    path.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="gbk")
    reading = read_actuals(path, targets).readings["water_leakage_rate"]
    assert reading.value == pytest.approx(expected) and reading.valid
