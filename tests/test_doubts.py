"""Doubtful figures (issue 9, section 3): questioned as 数据存疑, never lit green or red.

unit-suspect, fraction-suspect and jump-suspect fire on the issue's examples in
UTF-8, UTF-8 with BOM and GBK files; 已核实 in the note silences each; honest
figures (growth rates, counts, ranks, zero, figures in range) are never
questioned; the thresholds come from targets.yaml; and through the CLI a
suspect figure is neither green nor red in any format, and `--fail-on suspect`
exits 1.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from gongfu_cli.cli import app
from gongfu_cli.judge.doubts import confirmed
from gongfu_cli.judge.year import evaluate_year
from gongfu_cli.model.problems import GongfuError
from gongfu_cli.model.results import Evaluation, Light, Status, Year
from gongfu_cli.model.targets import Targets
from gongfu_cli.read.targets_file import load_targets

runner = CliRunner()
TARGETS = str(ROOT / "data" / "targets.yaml")
SUSPECT_CODES = ("unit-suspect", "fraction-suspect", "jump-suspect")
ENCODINGS = ["utf-8", "utf-8-sig", "gbk"]

Rows = list[tuple[str, str, str, str]]  # 指标, 数值, 单位, 备注


def write_month(folder: Path, period: str, rows: Rows, encoding: str = "utf-8") -> Path:
    """A month's file as an office writes it: Chinese header, one row per indicator."""
    lines = ["指标,数值,单位,备注", *(",".join(row) for row in rows)]
    path = folder / f"{period}.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def review(folder: Path, targets: Targets) -> Year:
    return evaluate_year(folder, targets)


def latest(year: Year, ind_id: str) -> Evaluation:
    return next(e for e in year.latest.evaluations if e.indicator.id == ind_id)


def doubts(year: Year) -> list:
    return [p for p in year.latest.problems if p.code in SUSPECT_CODES]


# The issue's examples: (months before the one under review, the month under review,
# the indicator, the code, words the message must hold).
EXAMPLES = {
    "unit-blank-660000-vs-last-month": (
        {"2025-04": [("旅游总收入", "55", "", "")]},
        ("2025-05", [("旅游总收入", "660000", "", "")]),
        "tourism_revenue",
        "unit-suspect",
        ["660000 亿元", "上期（2025-04）累计数 55 亿元", "660000 万元", "66 亿元"],
    ),
    "unit-blank-660000-vs-target-pace": (
        {},
        ("2025-05", [("旅游总收入", "660000", "", "")]),
        "tourism_revenue",
        "unit-suspect",
        ["序时进度", "660000 万元", "66 亿元"],
    ),
    "unit-yuan-for-wanyuan-too-small": (
        {},
        ("2025-06", [("旅游总收入", "660000", "元", "")]),
        "tourism_revenue",
        "unit-suspect",
        ["0.0066 亿元", "660000 万元", "66 亿元"],
    ),
    "unit-level-in-wanyuan": (
        {},
        ("2025-12", [("人均地区生产总值", "290000", "", "")]),
        "gdp_per_capita",
        "unit-suspect",
        ["年度目标 28 万元", "290000 元", "29 万元"],
    ),
    "fraction-0.918": (
        {},
        ("2025-06", [("县域就诊率", "0.918", "", "")]),
        "county_treatment_rate",
        "fraction-suspect",
        ["0.918", "91.8%", "91.5%"],
    ),
    "jump-tripling-in-may": (
        {"2025-04": [("旅游总收入", "20", "亿元", "")]},
        ("2025-05", [("旅游总收入", "70", "亿元", "")]),
        "tourism_revenue",
        "jump-suspect",
        ["2025-04", "20 亿元", "70 亿元", "3.5 倍"],
    ),
    "jump-quarterly-against-previous-quarter": (
        {"2025-03": [("地区生产总值", "40", "", "")], "2025-05": [("旅游总收入", "50", "", "")]},
        ("2025-06", [("地区生产总值", "130", "", "")]),
        "gdp",
        "jump-suspect",
        ["2025-03", "40 亿元", "130 亿元"],
    ),
}


def _write_example(tmp_path: Path, example, encoding: str, note: str = "") -> None:
    earlier, (period, rows), *_ = example
    for month, month_rows in earlier.items():
        write_month(tmp_path, month, month_rows, encoding)
    write_month(tmp_path, period, [(*row[:3], note or row[3]) for row in rows], encoding)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_each_rule_fires_on_the_issue_examples(tmp_path, targets, name, encoding):
    """Each doubtful figure of the issue is a located warning; its indicator is suspect (grey)."""
    example = EXAMPLES[name]
    _write_example(tmp_path, example, encoding)
    _, _, ind_id, code, words = example
    year = review(tmp_path, targets)
    e = latest(year, ind_id)
    assert (e.status, e.light) == (Status.suspect, Light.grey)
    assert e.completion is None and e.projection is None and not e.confirmed
    [problem] = doubts(year)
    assert (problem.code, problem.indicator, problem.severity) == (code, ind_id, "warning")
    assert problem.line == 2 and Path(problem.file).name.endswith(".csv")
    message = problem.message("zh")
    for word in words:
        assert word in message, message
    assert "已核实" in problem.fix("zh") and "已核实" in problem.fix("en")
    assert problem.message("en").startswith("Suspect:")


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize(
    "note", ["已核实", "confirmed", "已确认", "核实无误", "经局长审核，已核实"]
)
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_each_rule_is_silenced_by_confirmation(tmp_path, targets, name, note, encoding):
    """已核实 (or confirmed) in the note: judged as sent, marked confirmed, no warning."""
    example = EXAMPLES[name]
    _write_example(tmp_path, example, encoding, note=note)
    year = review(tmp_path, targets)
    e = latest(year, example[2])
    assert e.status != Status.suspect and e.light in (Light.green, Light.yellow, Light.red)
    assert e.confirmed
    assert doubts(year) == []


@pytest.mark.parametrize(
    "note, meant",
    [
        ("已核实", True),
        ("Confirmed by 张三", True),
        ("ＣＯＮＦＩＲＭＥＤ", True),
        ("核实无误", True),
        ("未核实", False),
        ("待确认", False),
        ("尚未核实", False),
        ("not confirmed", False),
        ("unconfirmed", False),
        ("isn't confirmed", False),
        ("按统计局口径", False),
        ("", False),
    ],
)
def test_confirmation_words(note, meant):
    """Only a note that says the figure was checked confirms it; a negation never does."""
    assert confirmed(note) is meant


HONEST = {
    "growth-1.2%": ("2025-06", [("游客接待人次增幅", "1.2", "", "")], "tourist_arrivals_growth"),
    "growth-0.5%-of-a-big-target": (
        "2025-06",
        [("城镇常住居民人均可支配收入增速", "0.5", "", "")],
        "urban_income_growth",
    ),
    "count-in-people": (
        "2025-06",
        [("新增“双持证”人员", "5000", "", "")],
        "dual_certified_care_staff",
    ),
    "count-small": ("2025-06", [("重点群体帮扶", "3", "", "")], "key_group_assistance"),
    "rank": ("2025-06", [("PM2.5平均浓度全省排名", "90", "", "")], "pm25_rank"),
    "zero": ("2025-06", [("旅游总收入", "0", "", "")], "tourism_revenue"),
    "zero-share": ("2025-06", [("县域就诊率", "0", "", "")], "county_treatment_rate"),
    "within-range": ("2025-06", [("旅游总收入", "66", "", "")], "tourism_revenue"),
    "right-unit-given": ("2025-06", [("旅游总收入", "660000", "万元", "")], "tourism_revenue"),
    "share-as-percent": ("2025-06", [("县域就诊率", "91.8%", "", "")], "county_treatment_rate"),
    "points-not-percent": (
        "2025-12",
        [("小升初县域就读率提升", "0.5", "", "")],
        "local_enrollment_gain",
    ),
    "share-above-fraction-max": (
        "2025-06",
        [("县域就诊率", "1.6", "", "")],
        "county_treatment_rate",
    ),
    "unit-without-wan-forms": (
        "2025-06",
        [("农村公路大中修", "1400", "", "")],
        "rural_road_repair_km",
    ),
    "ratio-not-scaled": (
        "2025-06",
        [("城乡居民收入倍差", "0.05", "", "")],
        "urban_rural_income_ratio",
    ),
}


@pytest.mark.parametrize("name", list(HONEST))
def test_honest_figures_are_never_questioned(tmp_path, targets, name):
    """Growth, counts, ranks, zero, figures in range, units without 万/亿: never questioned."""
    period, rows, ind_id = HONEST[name]
    write_month(tmp_path, period, rows, "gbk")
    year = review(tmp_path, targets)
    assert doubts(year) == []
    assert latest(year, ind_id).status != Status.suspect


@pytest.mark.parametrize(
    "months, value",
    [
        ({"2025-04": "20"}, "45"),  # more than doubles, does not triple
        ({"2025-04": "20"}, "60"),  # exactly triples: "more than" triples is the rule
        ({"2025-02": "10"}, "35"),  # triples into March: early totals grow fast
    ],
)
def test_a_total_that_grows_within_the_rule_is_not_a_jump(tmp_path, targets, months, value):
    """jump-suspect needs more than 3× the previous period, after March."""
    for month, figure in months.items():
        write_month(tmp_path, month, [("旅游总收入", figure, "", "")])
    month = int(next(iter(months))[-2:]) + 1
    write_month(tmp_path, f"2025-{month:02d}", [("旅游总收入", value, "", "")])
    year = review(tmp_path, targets)
    assert doubts(year) == []


def test_a_gap_in_the_months_is_no_previous_period(tmp_path, targets):
    """April's total is not 'the month before' June: no jump is claimed across a missing May."""
    write_month(tmp_path, "2025-04", [("旅游总收入", "20", "", "")])
    write_month(tmp_path, "2025-05", [("港口货物吞吐量", "0.5", "", "")])
    write_month(tmp_path, "2025-06", [("旅游总收入", "70", "", "")])
    assert doubts(review(tmp_path, targets)) == []


@pytest.mark.parametrize("before", ["660000", "abc", "", "0"])
def test_no_valid_previous_figure_falls_back_on_the_target(tmp_path, targets, before):
    """A previous month that is suspect, invalid, empty or zero is no yardstick: the
    figure is compared with target × 序时进度 instead (a unit slip made twice is still caught)."""
    write_month(tmp_path, "2025-04", [("旅游总收入", before, "", "")])
    write_month(tmp_path, "2025-05", [("旅游总收入", "660000", "", "")])
    year = review(tmp_path, targets)
    [problem] = doubts(year)
    assert problem.code == "unit-suspect"
    assert "序时进度" in problem.message("zh")
    assert latest(year, "tourism_revenue").status == Status.suspect


def test_earlier_months_are_questioned_too(tmp_path, targets):
    """A suspect figure in an earlier month shows as suspect in the history (trend), not lit."""
    write_month(tmp_path, "2025-04", [("县域就诊率", "0.918", "", "")])
    write_month(tmp_path, "2025-05", [("县域就诊率", "91.8", "", "")])
    year = review(tmp_path, targets)
    april, may = year.series()["county_treatment_rate"]
    assert april.status == Status.suspect and april.light == Light.grey
    assert may.status == Status.met and may.previous is april
    assert doubts(year) == []  # April's warning belongs to April's report
    assert [p.code for p in year.reports[0].problems] == ["fraction-suspect"]


# --- thresholds in targets.yaml ------------------------------------------------

TOURISM = """\
  - id: tourism_revenue
    name: 旅游总收入
    name_en: Tourism revenue
    unit: 亿元
    op: ">="
    target: 160
    kind: cumulative
    frequency: monthly
    pace: linear
    owners: []
    section: 二
    quote: 旅游总收入达到160亿元
  - id: county_treatment_rate
    name: 县域就诊率
    name_en: County treatment rate
    unit: "%"
    op: ">="
    target: 91.5
    kind: level
    frequency: monthly
    owners: []
    section: 二
    quote: 县域就诊率达到91.5%
"""


def small_targets(write_yaml, defaults: str = "", tourism: str = "") -> Targets:
    text = "plan: 测试方案\nyear: 2025\n" + defaults + "indicators:\n" + TOURISM
    if tourism:
        text = text.replace(
            "    quote: 旅游总收入达到160亿元\n", f"    quote: 旅游总收入达到160亿元\n{tourism}"
        )
    return load_targets(write_yaml(text))


def test_default_thresholds_are_the_issues(targets):
    """The bundled settings: 50×; ≤1.5 against a target above 10; more than 3× after March."""
    settings = targets.doubt_settings(targets.by_id["tourism_revenue"])
    assert settings.unit_ratio == 50
    assert (settings.fraction_max, settings.fraction_target_above) == (1.5, 10)
    assert (settings.jump_ratio, settings.jump_after_month) == (3, 3)


@pytest.mark.parametrize(
    "defaults, tourism, april, may, expected",
    [
        # a stricter unit ratio in defaults: 12× last month is questioned
        ("defaults:\n  doubts:\n    unit_ratio: 10\n", "", "50", "600", "unit-suspect"),
        ("", "", "50", "600", "jump-suspect"),  # under the default 50× it is only a jump
        # one indicator allows larger jumps
        ("", "    doubts:\n      jump_ratio: 20\n", "50", "600", None),
        ("", "    doubts: {jump_ratio: 2}\n", "20", "45", "jump-suspect"),
        # jumps judged from February on
        ("defaults:\n  doubts:\n    jump_after_month: 1\n", "", "5", "20", "jump-suspect"),
    ],
)
def test_thresholds_can_be_set_in_yaml(
    tmp_path, write_yaml, defaults, tourism, april, may, expected
):
    """defaults.doubts and an indicator's own doubts set when a figure is questioned."""
    catalogue = small_targets(write_yaml, defaults, tourism)
    early = "jump_after_month" in defaults
    first, second = ("2025-02", "2025-03") if early else ("2025-04", "2025-05")
    write_month(tmp_path, first, [("旅游总收入", april, "", "")])
    write_month(tmp_path, second, [("旅游总收入", may, "", "")])
    found = [p.code for p in doubts(review(tmp_path, catalogue))]
    assert found == ([expected] if expected else [])


def test_fraction_thresholds_can_be_set_in_yaml(tmp_path, write_yaml):
    """fraction_max and fraction_target_above from the YAML decide what reads as a fraction."""
    catalogue = small_targets(
        write_yaml, "defaults:\n  doubts:\n    fraction_max: 0.5\n    fraction_target_above: 95\n"
    )
    write_month(tmp_path, "2025-06", [("县域就诊率", "0.918", "", "")])
    assert doubts(review(tmp_path, catalogue)) == []  # the target 91.5 is not above 95


@pytest.mark.parametrize(
    "defaults, field",
    [
        ("defaults:\n  doubts:\n    unit_ratio: 1\n", "defaults.doubts.unit_ratio"),
        ("defaults:\n  doubts:\n    unit_ratio: .nan\n", "defaults.doubts.unit_ratio"),
        ("defaults:\n  doubts:\n    unit_ratio: .inf\n", "defaults.doubts.unit_ratio"),
        ("defaults:\n  doubts:\n    jump_ratio: yes\n", "defaults.doubts.jump_ratio"),
        ("defaults:\n  doubts:\n    jump_ratio: 0.5\n", "defaults.doubts.jump_ratio"),
        ("defaults:\n  doubts:\n    jump_after_month: 13\n", "defaults.doubts.jump_after_month"),
        ("defaults:\n  doubts:\n    fraction_max: -1\n", "defaults.doubts.fraction_max"),
        ("defaults:\n  doubts:\n    fraction_max: 20\n", "defaults.doubts.fraction_max"),
        ("defaults:\n  doubts:\n    unit_raito: 50\n", "defaults.doubts.unit_raito"),
    ],
)
def test_unsensible_thresholds_are_refused(write_yaml, defaults, field):
    """Settings that would question every figure, none, or honest shortfalls are refused."""
    with pytest.raises(GongfuError) as caught:
        small_targets(write_yaml, defaults)
    [problem] = caught.value.problems
    assert problem.code == "targets-invalid"
    assert problem.column == field and problem.line == 5


def test_an_indicator_override_that_crosses_the_defaults_is_refused(write_yaml):
    """fraction_max on one indicator at or above the default fraction_target_above is refused."""
    with pytest.raises(GongfuError) as caught:
        small_targets(write_yaml, "", "    doubts: {fraction_max: 12}\n")
    [problem] = caught.value.problems
    assert problem.code == "targets-invalid"
    assert "tourism_revenue" in problem.message("en") and "fraction_max" in problem.message("en")


# --- through the CLI: never green or red, in any format -------------------------


@pytest.fixture
def doubtful_month(tmp_path) -> Path:
    """May: 旅游总收入 660000 without its unit and 县域就诊率 0.918, both after an honest April."""
    folder = tmp_path / "actuals"
    folder.mkdir()
    write_month(folder, "2025-04", [("旅游总收入", "55", "", ""), ("县域就诊率", "91.6", "", "")])
    write_month(
        folder,
        "2025-05",
        [("旅游总收入", "660000", "", ""), ("县域就诊率", "0.918", "", "")],
        "gbk",
    )
    return folder


def run(*args: str):
    return runner.invoke(app, [*args, "--targets", TARGETS])


def _lit(lines: list[str], name: str) -> str:
    [line] = [line for line in lines if name in line]
    return line


CHECK_FORMATS = ["table", "markdown", "text", "json", "csv"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("format", CHECK_FORMATS)
def test_check_shows_suspect_never_green_or_red(doubtful_month, format, lang):
    """Every check format shows the doubtful figures as 数据存疑 / suspect, grey, none lit."""
    result = run("check", str(doubtful_month), "--format", format, "--lang", lang)
    assert result.exit_code == 0, result.output
    out = result.stdout
    zh = lang == "zh"
    word, grey = ("数据存疑", "灰") if zh else ("suspect", "grey")
    names = ("旅游总收入", "县域就诊率") if zh else ("Total tourism revenue", "In-county treatment")
    if format == "json":
        document = json.loads(out)
        by_id = {i["id"]: i for i in document["indicators"]}
        for ind_id in ("tourism_revenue", "county_treatment_rate"):
            assert (by_id[ind_id]["status"], by_id[ind_id]["light"]) == ("suspect", "grey")
            assert by_id[ind_id]["confirmed"] is False and by_id[ind_id]["completion"] is None
            assert by_id[ind_id]["change"] is None  # no change is worked out from a doubt
        assert document["summary"]["suspect"] == 2
        assert document["lights"]["green"] == document["lights"]["red"] == 0
        codes = {(w["code"], w["indicator"]) for w in document["warnings"]}
        assert codes == {
            ("unit-suspect", "tourism_revenue"),
            ("fraction-suspect", "county_treatment_rate"),
        }
    elif format == "csv":
        rows = {row["id"]: row for row in csv.DictReader(io.StringIO(out))}
        for ind_id in ("tourism_revenue", "county_treatment_rate"):
            assert (rows[ind_id]["status"], rows[ind_id]["light"]) == ("suspect", "grey")
            assert rows[ind_id]["confirmed"] == "false"
    elif format == "text":
        if zh:
            assert "绿灯0项、黄灯0项、红灯0项" in out
            assert "数据存疑、暂不亮灯，请填报单位核实2项：旅游总收入（660000亿元" in out
            assert "县域就诊率（0.918%" in out
        else:
            assert "0 green, 0 yellow and 0 red" in out
            assert "Doubtful, not lit until the sender checks it (2)" in out
    else:
        lines = out.splitlines()
        for name in names:
            line = _lit(lines, name)
            light = "● " + grey if format == "table" else f"| {grey} | "
            assert line.lstrip("│ ").startswith(light.lstrip("│ ")) and word in line
        summary = "绿灯 0 · 黄灯 0 · 红灯 0" if zh else "0 green · 0 yellow · 0 red"
        assert summary in out


@pytest.mark.parametrize("format", ["table", "markdown", "json", "csv"])
def test_trend_shows_suspect_never_green_or_red(doubtful_month, format):
    """trend: the doubtful month is 数据存疑 and grey; April's honest figure is lit."""
    result = run("trend", str(doubtful_month), "--format", format)
    assert result.exit_code == 0, result.output
    out = result.stdout
    if format == "json":
        months = {i["id"]: i["months"] for i in json.loads(out)["indicators"]}
        for ind_id in ("tourism_revenue", "county_treatment_rate"):
            assert (months[ind_id][-1]["status"], months[ind_id][-1]["light"]) == (
                "suspect",
                "grey",
            )
    elif format == "csv":
        rows = [row for row in csv.reader(io.StringIO(out)) if "旅游总收入" in row]
        april, may = rows
        assert april[-2:] == ["on_track", "green"] and may[-2:] == ["suspect", "grey"]
    else:
        for name in ("旅游总收入", "县域就诊率"):
            line = _lit(out.splitlines(), name)
            assert ("● 数据存疑" if format == "table" else "| 灰 数据存疑 |") in line


@pytest.mark.parametrize("format", ["table", "markdown", "text", "json", "csv"])
def test_owners_never_count_a_suspect_figure_as_lit(doubtful_month, format):
    """owners: 县卫健局's 0.918 share counts as grey, neither green nor red."""
    result = run("owners", str(doubtful_month), "--format", format)
    assert result.exit_code == 0, result.output
    if format == "json":
        [unit] = [o for o in json.loads(result.stdout)["owners"] if o["owner"] == "县卫健局"]
        assert unit["lights"]["green"] == unit["lights"]["red"] == 0
        assert unit["red"] == []
    else:
        assert "县域就诊率" not in result.stdout  # listed only when red or yellow


def test_report_shows_suspect_grey(doubtful_month, tmp_path):
    """report: the doubtful rows are grey and say 数据存疑."""
    out = tmp_path / "report.html"
    result = run("report", str(doubtful_month), "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    row = html.split('data-indicator="county_treatment_rate"')
    assert len(row) >= 2 and row[0].endswith('<tr data-light="grey" ')
    assert "数据存疑" in row[1].split("</tr>")[0]


def test_the_warnings_are_printed_with_their_place(doubtful_month):
    """check prints each doubt to stderr: file, line, code, the likely unit."""
    result = run("check", str(doubtful_month))
    assert "2025-05.csv 第2行「数值」列：警告 [unit-suspect]" in result.stderr
    assert "660000 万元（即 66 亿元）" in result.stderr
    assert "2025-05.csv 第3行「数值」列：警告 [fraction-suspect]" in result.stderr


@pytest.mark.parametrize(
    "args, code",
    [
        (["--fail-on", "suspect"], 1),
        ([], 0),
        (["--fail-on", "red"], 0),
        (["--fail-on", "yellow"], 0),
        (["--fail-on", "suspect", "--status", "green"], 0),  # only the indicators shown count
        (["--fail-on", "suspect", "--status", "数据存疑"], 1),
    ],
)
def test_fail_on_suspect(doubtful_month, args, code):
    """--fail-on suspect exits 1 when a shown indicator is suspect; other codes are unchanged."""
    assert run("check", str(doubtful_month), *args).exit_code == code


def test_fail_on_suspect_passes_once_confirmed(doubtful_month):
    """After the sender writes 已核实, --fail-on suspect passes and the output says confirmed."""
    write_month(
        doubtful_month,
        "2025-05",
        [("旅游总收入", "660000", "", "已核实"), ("县域就诊率", "0.918", "", "confirmed")],
        "gbk",
    )
    assert run("check", str(doubtful_month), "--fail-on", "suspect").exit_code == 0
    table = run("check", str(doubtful_month), "--status", "green").stdout
    assert "660000 亿元（已核实）" in table
    document = json.loads(run("check", str(doubtful_month), "--format", "json").stdout)
    by_id = {i["id"]: i for i in document["indicators"]}
    assert by_id["tourism_revenue"]["confirmed"] is True
    assert by_id["tourism_revenue"]["status"] == "met"
    assert by_id["county_treatment_rate"]["status"] == "off_track"
    assert not [w for w in document["warnings"] if w["code"] in SUSPECT_CODES]
    brief = run("brief", str(doubtful_month)).stdout
    assert "经填报单位核实（已核实）、按原数采用2项：旅游总收入（660000亿元）" in brief


@pytest.mark.parametrize("word", ["suspect", "数据存疑", "存疑", "grey", "灰"])
def test_status_filter_names_suspect(doubtful_month, word):
    """--status takes suspect, 数据存疑 and 存疑, and grey includes it."""
    document = json.loads(
        run("check", str(doubtful_month), "--status", word, "--format", "json").stdout
    )
    ids = {i["id"] for i in document["indicators"]}
    assert {"tourism_revenue", "county_treatment_rate"} <= ids
