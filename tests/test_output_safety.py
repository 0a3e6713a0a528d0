"""Every output prints user text as text: no rich markup, no raw control characters,
JSON that any parser reads, charts and templates that survive any figure or name."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
from dataclasses import replace
from html import escape as html_escape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from catalogue import unchecked
from gongfu_cli.cli import app
from gongfu_cli.judge.scoreboard import scoreboard
from gongfu_cli.judge.validate import validate_files
from gongfu_cli.judge.year import evaluate_year
from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import Lang, Problem
from gongfu_cli.model.results import Year
from gongfu_cli.model.targets import Indicator, Targets
from gongfu_cli.model.text import safe_text
from gongfu_cli.read.targets_file import load_targets
from gongfu_cli.render import owners as render_owners
from gongfu_cli.render import table as render
from gongfu_cli.render import targets as render_targets
from gongfu_cli.render import trend as render_trend
from gongfu_cli.render.brief import brief
from gongfu_cli.render.html import HEIGHT, WIDTH, chart_svg, report_html
from gongfu_cli.render.json import json_text
from gongfu_cli.render.table import problem_text, spreadsheet_safe
from gongfu_cli.write.template import Template, template_csv, template_xlsx

runner = CliRunner()

BASE_TARGETS = """\
plan: 测试方案
plan_en: Test plan
year: 2025
indicators:
  - id: revenue
    name: 旅游收入
    name_en: Revenue
    unit: 亿元
    op: ">="
    target: 160
    kind: cumulative
    frequency: monthly
    pace: linear
    owners: [县文旅局, 县发改局, 县财政局]
    section: 二
    quote: 旅游收入160亿元
  - id: rate
    name: 达标率
    name_en: Rate
    unit: "%"
    op: ">"
    target: 89
    also_met_by: [A]
    kind: level
    frequency: monthly
    owners: [县文旅局]
    section: 二
    quote: 达标率89%
  - id: plan_done
    name: 完成规划
    name_en: Plan done
    op: done
    kind: milestone
    frequency: monthly
    due_month: 5
    owners: []
    section: 三
    quote: 完成规划
"""

# Text a targets file or a data file may carry, named by what it tries to do.
HOSTILE = {
    "markup-close-escaped": "[/|\\]",
    "markup-bold": "[bold]粗[/bold]",
    "markup-link": "[link=https://x]链接[/link]",
    "markup-bare-close": "[/]",
    "markup-colour": "[red]红",
    "emoji-code": ":thumbs_up:",
    "esc-colour": "甲\x1b[31m乙",
    "osc-hyperlink": "\x1b]8;;https://x\x1b\\点\x1b]8;;\x1b\\",
    "carriage-return": "假\r真",
    "nul": "空\x00字",
    "forged-workflow-command": "丙\n::error file=x::forged",
    "c1-csi": "丁\x9b31m",
    "bell-backspace": "戊\x07\x08",
    "bidi-override": "己\u202e庚",
    "line-separator": "辛\u2028壬",
    "undecodable-file-name": "癸\udcb2\udce2",  # a GBK file name read on a UTF-8 system
    "percent-colon-comma": "50%, a:b",
    "formula": "=1+2",
    "pipe": "甲|乙",
}
# What no output may hold raw (line breaks are checked separately: outputs have their own).
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def strict_json(text: str):
    """json.loads that refuses NaN and Infinity, as JavaScript and most parsers do."""

    def refuse(name: str):
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


def _indicator(ind: Indicator, **changes) -> Indicator:
    """A copy with changed fields, not validated: the renderers must survive what the
    loader would refuse."""
    return unchecked(ind, **changes)


def _catalogue(base: Targets, text: str, **changes) -> Targets:
    indicators = [
        _indicator(
            ind,
            **{
                "name": text + ind.name,
                "name_en": text + ind.name_en,
                "unit": text + ind.unit if ind.unit != "%" else ind.unit,
                "owners": [text + owner for owner in ind.owners],
                **changes.get(ind.id, {}),
            },
        )
        for ind in base.indicators
    ]
    return unchecked(base, plan=text + "方案", plan_en=text + " plan", indicators=indicators)


def data_text(text: str) -> str:
    """The text as a UTF-8 data file can carry it: no NUL (the reader rightly refuses
    it), no lone surrogate (UTF-8 cannot encode one)."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode()


def _folder_name(text: str) -> str:
    """The text as a folder name: without what no file name can hold."""
    name = text.replace("/", "／").replace("\x00", "")
    try:
        os.fsencode(name)
    except UnicodeEncodeError:
        name = name.encode("utf-8", "replace").decode()
    return name or "folder"


def _write_month(folder: Path, name: str, rows: list[list[str]]) -> Path:
    path = folder / name
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(
        [["指标", "数值", "单位", "备注"], *rows]
    )
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def base_targets(tmp_path) -> Targets:
    path = tmp_path / "targets.yaml"
    path.write_text(BASE_TARGETS, encoding="utf-8")
    return load_targets(path)


def hostile_year(tmp_path: Path, base: Targets, text: str, **changes) -> tuple[Targets, Year]:
    """May and June, with `text` in the plan, names, units, owners, a note, a folder
    name and an unknown indicator's row (so it reaches problem messages too)."""
    catalogue = _catalogue(base, text, **changes)
    folder = tmp_path / _folder_name(text)
    folder.mkdir()
    note = data_text(text)
    _write_month(folder, "2025-05.csv", [["revenue", "40", "", ""], ["rate", "95", "", ""]])
    _write_month(
        folder,
        "2025-06.csv",
        [
            ["revenue", "50", "", note],
            ["rate", "80", "", ""],
            ["plan_done", "未完成", "", ""],
            [note or "x", "1", "", ""],
        ],
    )
    return catalogue, evaluate_year(folder, catalogue)


def rich_output(renderable) -> str:
    """What the CLI prints for a rich renderable when piped (wide, no colour)."""
    from rich.console import Console

    console = Console(file=io.StringIO(), width=400, no_color=True, highlight=False)
    console.print(renderable)
    return console.file.getvalue()


def table_outputs(catalogue: Targets, year: Year, lang: Lang) -> dict[str, str]:
    report, plan = year.latest, catalogue.plan
    scores = scoreboard(report.evaluations)
    revenue = catalogue.indicators[0]
    return {
        "check": rich_output(render.render_table(report, report.evaluations, lang, plan)),
        "owners": rich_output(render_owners.owners_table(report, scores, lang, plan)),
        "trend": rich_output(render_trend.trend_table(year, lang, plan)),
        "trend-indicator": rich_output(render_trend.indicator_table(year, revenue, lang)),
        "targets": rich_output(render_targets.targets_table(catalogue, lang)),
    }


def text_outputs(catalogue: Targets, year: Year, lang: Lang) -> dict[str, str]:
    """Every Markdown and plain-text output (CSV and JSON are checked on their own)."""
    report, plan = year.latest, catalogue.plan
    scores = scoreboard(report.evaluations)
    revenue = catalogue.indicators[0]
    owner = revenue.owners[0]
    validation = validate_files(sorted(Path(report.file).parent.iterdir()), catalogue)
    return {
        "check-markdown": render.render_markdown(report, report.evaluations, lang, plan),
        "brief": brief(report, report.evaluations, lang, plan),
        "brief-owner": brief(report, report.evaluations, lang, plan, owner),
        "owners-markdown": render_owners.owners_markdown(report, scores, lang, plan),
        "owners-text": render_owners.owners_text(report, scores, lang, plan),
        "trend-markdown": render_trend.trend_markdown(year, lang, plan),
        "trend-indicator-markdown": render_trend.indicator_markdown(year, revenue, lang),
        "targets-markdown": render_targets.targets_markdown(catalogue, lang),
        "validate-text": render.render_validation_text(validation, lang),
        "problems": "\n".join(problem_text(p, lang) for p in report.problems),
    }


def csv_outputs(catalogue: Targets, year: Year, lang: Lang) -> dict[str, str]:
    report = year.latest
    scores = scoreboard(report.evaluations)
    return {
        "check-csv": render.render_csv(report, report.evaluations, lang),
        "owners-csv": render_owners.owners_csv(report, scores, lang),
        "trend-csv": render_trend.trend_csv(year, lang),
        "trend-indicator-csv": render_trend.trend_csv(year, lang, catalogue.indicators[0]),
    }


def json_outputs(catalogue: Targets, year: Year, lang: Lang) -> dict[str, str]:
    report = year.latest
    validation = validate_files(sorted(Path(report.file).parent.iterdir()), catalogue)
    return {
        "check-json": json_text(report.to_dict()),
        "validate-json": json_text(validation.to_dict()),
        "trend-json": render_trend.trend_json(year, lang),
        "trend-indicator-json": render_trend.trend_json(year, lang, catalogue.indicators[0]),
        "owners-json": render_owners.owners_json(report, scoreboard(report.evaluations), lang),
        "targets-json": render_targets.targets_json(catalogue),
    }


def strings_in(document) -> list[str]:
    if isinstance(document, dict):
        return [s for key, value in document.items() for s in [key, *strings_in(value)]]
    if isinstance(document, list):
        return [s for item in document for s in strings_in(item)]
    return [document] if isinstance(document, str) else []


def assert_no_raw_controls(name: str, output: str) -> None:
    found = RAW.search(output)
    assert found is None, f"{name}: raw {found.group()!r} in output"
    assert not any(line.lstrip().startswith("::") for line in output.splitlines()), name


# ---------------------------------------------------------------------------
# rich tables


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_tables_print_user_text_literally(tmp_path, base_targets, text, lang):
    """Every rich table shows names, owners, units and the plan as typed: markup is not
    applied (nor crashes), control characters are shown escaped."""
    catalogue, year = hostile_year(tmp_path, base_targets, text)
    for name, output in table_outputs(catalogue, year, lang).items():
        assert_no_raw_controls(name, output)
        assert safe_text(text) in output, name


@pytest.mark.parametrize("text", [HOSTILE["markup-bold"], HOSTILE["markup-close-escaped"], "[/]"])
def test_cli_tables_show_markup_literally(tmp_path, text):
    """End to end: check, owners, trend and targets print a name or owner holding rich
    markup as it is written in targets.yaml, with no internal error."""
    quoted = json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML scalar
    yaml_text = BASE_TARGETS.replace("name: 旅游收入", f'name: {quoted[:-1]}旅游收入"')
    yaml_text = yaml_text.replace("[县文旅局, 县发改局", f"[{quoted}, 县发改局")
    yaml_text = yaml_text.replace("plan: 测试方案", f"plan: {quoted}")
    (tmp_path / "targets.yaml").write_text(yaml_text, encoding="utf-8")
    folder = tmp_path / "actuals"
    folder.mkdir()
    _write_month(folder, "2025-06.csv", [["revenue", "50", "", ""], ["rate", "80", "", ""]])
    targets = ["--targets", str(tmp_path / "targets.yaml")]
    for command in (
        ["check", str(folder)],
        ["owners", str(folder)],
        ["trend", str(folder)],
        ["trend", str(folder), "-i", "revenue"],
        ["targets"],
    ):
        result = runner.invoke(app, [*command, *targets])
        assert result.exit_code in (0, 1), (command, result.output)
        assert text in result.stdout, (command, result.stdout)


# ---------------------------------------------------------------------------
# Markdown, text, CSV, validate, github, HTML


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_text_outputs_escape_control_characters(tmp_path, base_targets, text, lang):
    """Markdown, briefs, owners text, validate text and problem lines show control
    characters escaped (no raw ESC, CR, NUL, no forged line), and | cannot open a
    Markdown column."""
    catalogue, year = hostile_year(tmp_path, base_targets, text)
    shown = safe_text(text)
    for name, output in text_outputs(catalogue, year, lang).items():
        assert_no_raw_controls(name, output)
        quoted = name in ("validate-text", "problems")  # they quote the data file's cell
        visible = safe_text(data_text(text)) if quoted else shown
        expected = visible.replace("|", "\\|") if "markdown" in name else visible
        assert expected in output, name
        if "markdown" in name:
            table = [line for line in output.splitlines() if line.startswith("|")]
            columns = {len(re.split(r"(?<!\\)\|", line)) for line in table}
            assert len(columns) == 1, f"{name}: a cell opened a column"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_csv_cells_are_escaped_and_never_formulas(tmp_path, base_targets, text, lang):
    """CSV outputs keep one record per line, show control characters escaped, and
    quote-prefix any cell a spreadsheet would run as a formula."""
    catalogue, year = hostile_year(tmp_path, base_targets, text)
    for name, output in csv_outputs(catalogue, year, lang).items():
        assert_no_raw_controls(name, output)
        rows = list(csv.reader(io.StringIO(output)))
        assert len(rows) == len(output.splitlines()), f"{name}: a cell spans lines"
        cells = [cell for row in rows[1:] for cell in row]
        assert not any(cell[:1] in ("=", "+", "@") for cell in cells), name
        assert any(safe_text(text) in cell for cell in cells), name
        if name.startswith("check"):
            assert spreadsheet_safe(text + "旅游收入") in cells or lang == "en"


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_github_annotations_are_one_command_per_problem(tmp_path, base_targets, text):
    """validate --format github: one ::error/::warning line per problem and nothing else
    that a runner could read as a command; %, CR, LF (and : , in properties) encoded."""
    catalogue, year = hostile_year(tmp_path, base_targets, text)
    files = sorted(Path(year.latest.file).parent.iterdir())
    validation = validate_files(files, catalogue)
    output = render.render_validation_github(validation, "zh")
    assert RAW.search(output) is None
    lines = output.splitlines()
    assert len(lines) == len(validation.problems) + 1
    for line in lines[:-1]:
        match = re.fullmatch(
            r"::(error|warning) file=([^,:]*)(?:,line=\d+)?,title=([^,:]*)::(.*)", line
        )
        assert match, line
        # every % left is the start of an escape: a property has no raw : or , either
        assert "%" not in re.sub("%(25|0D|0A|3A|2C)", "", match.group(2))
        assert "%" not in re.sub("%(25|0D|0A)", "", match.group(4))
    unknown = [line for line in lines if "unknown-indicator" in line]
    assert unknown and safe_text(data_text(text)).replace("%", "%25")[:10] in unknown[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_html_report_neutralises_control_characters(tmp_path, base_targets, text, lang):
    """The HTML report escapes markup and shows control characters escaped: no raw ESC,
    NUL or lone surrogate reaches the page (which must also encode as UTF-8)."""
    catalogue, year = hostile_year(tmp_path, base_targets, text)
    page = report_html(year, catalogue, lang, "test")
    page.encode("utf-8")
    assert RAW.search(page) is None
    assert html_escape(safe_text(text)) in page


def test_problem_text_is_one_safe_line():
    """A problem naming a hostile file and cell is printed as one line, escapes visible."""
    text = HOSTILE["forged-workflow-command"] + HOSTILE["esc-colour"]
    problem = Problem(
        "unknown-indicator",
        file=text,
        line=3,
        column="指标",
        params={"value": text, "suggestion_zh": "", "suggestion_en": ""},
    )
    for lang in ("zh", "en"):
        line = problem_text(problem, lang)
        assert "\n" not in line and RAW.search(line) is None
        assert safe_text(text) in line


# ---------------------------------------------------------------------------
# JSON: always standard, always parses


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_json_outputs_carry_user_text_exactly(tmp_path, base_targets, text, lang):
    """JSON outputs parse strictly and give back the user's text unchanged, while the
    printed JSON holds no raw control character (C1 and separators are \\u-escaped)."""
    catalogue, year = hostile_year(tmp_path, base_targets, text)
    for name, output in json_outputs(catalogue, year, lang).items():
        assert RAW.search(output) is None, name
        document = strict_json(output)
        if name != "validate-json":  # it names files and cells only, which were altered
            assert any(text in string for string in strings_in(document)), name


EXTREMES = {
    "tiny-target": {"revenue": {"target": 1e-300}, "rate": {"target": 5e-324}},
    "huge-target": {"revenue": {"target": 1e308}, "rate": {"target": 1.7e308}},
    "infinite-target": {"revenue": {"target": math.inf}, "rate": {"target": -math.inf}},
    "nan-target": {"revenue": {"target": math.nan}, "rate": {"target": math.nan}},
    "negative-tiny-target": {"revenue": {"target": -1e-300}},
}


@pytest.mark.parametrize("changes", EXTREMES.values(), ids=EXTREMES.keys())
def test_every_output_survives_extreme_values(tmp_path, base_targets, changes):
    """With targets that overflow completion to infinity (or are NaN themselves), every
    JSON output is standard JSON and no table, text, CSV or HTML output fails."""
    catalogue, year = hostile_year(tmp_path, base_targets, "", **changes)
    for lang in ("zh", "en"):
        for output in json_outputs(catalogue, year, lang).values():
            strict_json(output)
        table_outputs(catalogue, year, lang)
        text_outputs(catalogue, year, lang)
        csv_outputs(catalogue, year, lang)
        page = report_html(year, catalogue, lang, "test")
        svg = "".join(re.findall(r"<svg.*?</svg>", page, re.S))
        assert "inf" not in svg and "nan" not in svg


def test_json_text_turns_non_finite_numbers_into_null():
    """json_text writes null for NaN and infinities, anywhere in the document."""
    document = {"a": math.nan, "b": [math.inf, {"c": -math.inf}], "d": (1.5, 1e308), "e": "\x85"}
    parsed = strict_json(json_text(document))
    assert parsed == {"a": None, "b": [None, {"c": None}], "d": [1.5, 1e308], "e": "\x85"}
    assert "\x85" not in json_text(document)


@pytest.mark.parametrize(
    "share", [1e308, -1e308, math.inf, -math.inf, math.nan, 5e-324, 1e15, 3.9, -0.5]
)
def test_chart_coordinates_stay_finite_and_on_the_plot(tmp_path, base_targets, share):
    """A huge, infinite or NaN completion or projection (a tiny target) is drawn at the
    edge of the plot: every SVG coordinate is a finite number inside the chart."""
    _, year = hostile_year(tmp_path, base_targets, "")
    months = year.series()["revenue"]
    months = [replace(e, completion=share) for e in months[:-1]] + [
        replace(months[-1], completion=share, projection=share * 160)
    ]
    svg = chart_svg(months[0].indicator, months, "zh")
    numbers = re.findall(r'\s(?:x|y|x1|x2|y1|y2|cx|cy)="([^"]*)"', svg)
    numbers += [
        n for points in re.findall(r'points="([^"]*)"', svg) for n in re.split("[ ,]", points)
    ]
    assert numbers
    for value in map(float, numbers):
        assert math.isfinite(value) and -1 <= value <= max(WIDTH, HEIGHT) + 1


@pytest.mark.parametrize(
    "values",
    [[1e308, -1e308], [math.inf, 0.0, -math.inf], [math.nan, 1.0], [5e-324, -5e-324]],
)
def test_sparkline_draws_any_float(values):
    """The sparkline places extreme values (never a NaN index); NaN is a gap."""
    line = render_trend.sparkline(values)
    assert len(line) == len(values) and set(line) <= set(render_trend.SPARKS + " ")


# ---------------------------------------------------------------------------
# templates and owner lists


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_template_writes_any_name(base_targets, text, tmp_path):
    """template (CSV and xlsx) writes any name: control characters escaped (openpyxl
    would refuse them), formula-looking text neutralised in CSV, stored as text in xlsx."""
    from openpyxl import load_workbook

    catalogue = _catalogue(base_targets, text)
    indicators = list(catalogue.indicators)
    sheet = Template(Period(2025, 6), indicators, sender=text + "县民社局")
    rows = list(csv.reader(io.StringIO(template_csv(sheet).decode("utf-8-sig"))))
    assert rows[0][1] == spreadsheet_safe(text + "县民社局")
    assert rows[2][1] == spreadsheet_safe(text + "旅游收入")
    assert RAW.search(template_csv(sheet).decode("utf-8-sig").replace("\r\n", "")) is None
    path = tmp_path / "t.xlsx"
    path.write_bytes(template_xlsx(sheet))
    cell = load_workbook(path)["2025-06"]["B5"]
    assert cell.value == safe_text(text + "旅游收入") and cell.data_type == "s"


def test_long_and_odd_owner_names_render(tmp_path, base_targets):
    """Many owners with long, odd names: every output renders, JSON keeps them whole."""
    long_name = "县" + "很长的单位名称[bold]|\t" * 40
    owners = [f"{long_name}{n}" for n in range(30)]
    catalogue, year = hostile_year(
        tmp_path, base_targets, "", revenue={"owners": owners}, rate={"owners": owners[:1]}
    )
    for lang in ("zh", "en"):
        table_outputs(catalogue, year, lang)
        for name, output in text_outputs(catalogue, year, lang).items():
            assert_no_raw_controls(name, output)
        csv_outputs(catalogue, year, lang)
        report_html(year, catalogue, lang, "test")
        scored = strict_json(json_outputs(catalogue, year, lang)["owners-json"])["owners"]
        assert set(owners) <= {score["owner"] for score in scored}
    document = strict_json(json_outputs(catalogue, year, "zh")["check-json"])
    assert document["indicators"][0]["owners"] == owners
