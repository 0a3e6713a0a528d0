"""gongfu export: the 晾晒表 workbook read back cell by cell, and the long table as CSV
and Parquet; output safety (formulas, control characters, overwrites) and bad input."""

from __future__ import annotations

import csv
import importlib.util
import io
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import gongfu_cli as gf
from catalogue import unchecked
from conftest import SAMPLES
from gongfu_cli.cli.root import app
from gongfu_cli.model.results import Light
from gongfu_cli.render.brief import brief
from gongfu_cli.render.frames import COLUMNS
from gongfu_cli.render.xlsx import LIGHT_FILLS, display_width, sheet_name, workbook_bytes

runner = CliRunner()

WORDS = {
    "zh": {Light.red: "红", Light.yellow: "黄", Light.green: "绿", Light.grey: "灰"},
    "en": {Light.red: "red", Light.yellow: "yellow", Light.green: "green", Light.grey: "grey"},
}
SUMMARY = {"zh": "汇总", "en": "summary"}
DATA = {"zh": "数据", "en": "data"}

# Sections headed in one order, indicators listed in another, one section the
# `sections` mapping does not head, and text a spreadsheet would run as a formula.
TARGETS = """\
plan: 测试方案
plan_en: Test plan
year: 2025
sections:
  二: 工作目标
  三(一): 聚力城乡一体
  三(二): "产业/攻坚: [重点]*? 走好海洋经济高质量发展特色之路"
indicators:
  - id: output
    name: "=1+2产值"
    name_en: "-Output"
    unit: 亿元
    op: ">="
    target: 100
    kind: cumulative
    frequency: monthly
    pace: linear
    owners: ["+县财政局", "@县民社局", 县发改局, 县经信局, 县教育局]
    section: 三(二)5
    quote: 产值达到100亿元
  - id: revenue
    name: 旅游收入
    name_en: Revenue
    unit: 亿元
    op: ">="
    target: 100
    kind: cumulative
    frequency: monthly
    pace: linear
    owners: [县文广旅体局]
    section: 二
    quote: 旅游收入达到100亿元
  - id: jobs
    name: 新增就业岗位
    name_en: New jobs
    unit: 个
    op: ">="
    target: 100
    kind: count
    frequency: monthly
    pace: linear
    owners: [县民社局]
    section: 三(一)1
    quote: 新增就业岗位100个
  - id: roads
    name: 农村公路
    name_en: Rural roads
    unit: 公里
    op: ">="
    target: 10
    kind: cumulative
    frequency: monthly
    pace: linear
    owners: [县交通运输局]
    section: 四
    quote: 农村公路10公里
"""
# May: revenue yellow (38% against 41.7%), jobs red; June: revenue turns red, output green.
MAY = [["output", "45", "亿元"], ["revenue", "38", "亿元"], ["jobs", "20", "个"]]
JUNE = [["output", "55", "亿元"], ["revenue", "40", "亿元"], ["jobs", "30", "个"]]


def run(*args: str):
    return runner.invoke(app, list(args))


def write_month(folder: Path, period: str, rows: list[list[str]], encoding="utf-8", header=None):
    folder.mkdir(exist_ok=True)
    lines = [header or ["indicator", "value", "unit", "note"], *[[*row, ""] for row in rows]]
    text = "\n".join(",".join(cells) for cells in lines) + "\n"
    (folder / f"{period}.csv").write_bytes(text.encode(encoding))


@pytest.fixture
def plan(tmp_path: Path) -> tuple[Path, Path]:
    """The small plan above and its May and June files: (folder, targets.yaml)."""
    targets = tmp_path / "targets.yaml"
    targets.write_text(TARGETS, encoding="utf-8")
    folder = tmp_path / "months"
    write_month(folder, "2025-05", MAY)
    write_month(folder, "2025-06", JUNE)
    return folder, targets


def export(path: Path, out: Path, *options: str):
    return run("export", str(path), "-o", str(out), *options)


def sample_workbook(tmp_path: Path, lang: str = "zh") -> openpyxl.Workbook:
    out = tmp_path / f"晾晒表-{lang}.xlsx"
    result = export(SAMPLES, out, "--lang", lang)
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(out)


def section_sheets(workbook: openpyxl.Workbook) -> list:
    return workbook.worksheets[1:-1]


# ---------------------------------------------------------------------------
# The workbook


def test_sheets_follow_the_plans_section_order(plan, tmp_path):
    """Summary first, then a sheet per section in the order of `sections:` (not the order
    indicators are listed in), a section it does not head after them, the data sheet last."""
    folder, targets = plan
    out = tmp_path / "t.xlsx"
    assert export(folder, out, "--targets", str(targets)).exit_code == 0
    names = openpyxl.load_workbook(out).sheetnames
    assert names[:3] == ["汇总", "二、工作目标", "三(一)、聚力城乡一体"]
    assert names[3].startswith("三(二)、产业／攻坚：")  # Excel refuses : / [ ] * ? in names
    assert names[4:] == ["四", "数据"]


def test_the_bundled_plan_gives_a_sheet_per_section_in_its_order(tmp_path):
    """On the sample year, section sheets follow targets.yaml's `sections` mapping and
    every name is one Excel accepts."""
    workbook = sample_workbook(tmp_path)
    catalogue = gf.load_targets(SAMPLES.parent / "targets.yaml")
    expected = [f"{code}、{title}"[:31] for code, title in catalogue.sections.items()]
    assert workbook.sheetnames == ["汇总", *expected, "数据"]
    for name in workbook.sheetnames:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_light_is_filled_and_written_as_a_word(tmp_path, lang):
    """Each indicator's light cell holds the light's word (红/黄/绿/灰; red … in English)
    and its fill, so a black-and-white printout still reads; all four fills differ."""
    review = gf.review(SAMPLES)
    name = "name" if lang == "zh" else "name_en"
    lights = {getattr(e.indicator, name): e.light for e in review.evaluations}
    workbook = sample_workbook(tmp_path, lang)
    seen = set()
    for ws in section_sheets(workbook):
        for light_cell, name_cell in ws.iter_rows(min_row=2, max_col=2):
            light = lights[name_cell.value]
            assert light_cell.value == WORDS[lang][light]
            assert light_cell.fill.fill_type == "solid"
            assert light_cell.fill.fgColor.rgb[-6:] == LIGHT_FILLS[light]
            seen.add(light)
    assert seen == set(Light)  # the sample has every light
    assert len(set(LIGHT_FILLS.values())) == 4


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_table_sheet_freezes_filters_and_prints_on_landscape_a4(tmp_path, lang):
    """Section and data sheets: header frozen, autofilter over the table, landscape A4
    fitted to one page wide, header row repeated on every printed page."""
    workbook = sample_workbook(tmp_path, lang)
    for ws in workbook.worksheets[1:]:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == ws.dimensions
        assert ws.print_title_rows == "$1:$1"
    for ws in workbook.worksheets:
        setup = ws.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9)  # 9: A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_data_sheet_is_the_long_year_table(tmp_path, lang):
    """The data sheet (数据 / data) has the frame's columns and one row per indicator ×
    month of the year, with typed cells for pivot tables."""
    workbook = sample_workbook(tmp_path, lang)
    assert workbook.sheetnames[0] == SUMMARY[lang]
    ws = workbook[DATA[lang]]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS)
    catalogue = gf.load_targets(SAMPLES.parent / "targets.yaml")
    assert len(rows) - 1 == len(catalogue.indicators) * 6  # January to June
    record = dict(zip(rows[0], rows[-len(catalogue.indicators)], strict=True))
    assert (record["period"], record["id"], record["target"]) == ("2025-06", "gdp", 180)
    assert record["completion"] == pytest.approx(86 / 180)


def test_summary_counts_lights_and_lists_newly_red_and_projected_misses(plan, tmp_path):
    """The summary counts the month's lights, lists 较上月 newly red and projected misses
    with their owners, and carries the briefing paragraph of check --format text."""
    folder, targets = plan
    out = tmp_path / "t.xlsx"
    assert export(folder, out, "--targets", str(targets)).exit_code == 0
    ws = openpyxl.load_workbook(out)["汇总"]
    rows = [row for row in ws.iter_rows(values_only=True)]
    counts = {row[0]: row[1] for row in rows if row[0] in ("红", "黄", "绿", "灰", "合计")}
    assert counts == {"红": 2, "黄": 0, "绿": 1, "灰": 1, "合计": 4}
    firsts = [row[0] for row in rows]
    newly = firsts.index("较上月新亮红灯（1）")
    assert rows[newly + 2][:3] == ("旅游收入", "黄→红 +2", "县文广旅体局")
    missing = firsts.index("按目前进度预计全年难以完成（2）")
    assert [row[0] for row in rows[missing + 2 : missing + 4]] == ["旅游收入", "新增就业岗位"]
    review = gf.review(folder, targets=targets)
    paragraph = brief(review.latest, review.evaluations, "zh", "测试方案").strip()
    sentences = firsts[firsts.index("简报") + 1 :]
    assert "".join(sentences) == paragraph.replace("\n", "")  # paragraphs, a sentence a row


def test_owners_are_named_in_full(plan, tmp_path):
    """The sheets name every owner (no 等N家): a unit looks for its own name there; the
    indicator and owner columns wrap, however short their text."""
    folder, targets = plan
    out = tmp_path / "t.xlsx"
    assert export(folder, out, "--targets", str(targets)).exit_code == 0
    workbook = openpyxl.load_workbook(out)
    every_owner = "+县财政局、@县民社局、县发改局、县经信局、县教育局"
    assert workbook.worksheets[3]["K2"].value == every_owner
    ws = workbook["二、工作目标"]
    assert ws["B2"].alignment.wrap_text and ws["K2"].alignment.wrap_text
    assert not ws["C2"].alignment.wrap_text


def test_column_widths_count_chinese_characters_double(tmp_path):
    """A column is as wide as its text with a CJK character counted as two, the long
    text columns (indicator, owners) capped and wrapped."""
    assert display_width("指标ab") == 6
    ws = sample_workbook(tmp_path).worksheets[1]
    names = [cell.value for (cell,) in ws.iter_rows(min_row=2, min_col=2, max_col=2)]
    widest = max(display_width(name) for name in names)
    assert widest > max(len(name) for name in names) + 2  # a naive count would be too narrow
    assert ws.column_dimensions["B"].width == min(widest, 40) + 2
    assert ws.column_dimensions["A"].width >= display_width("亮灯") + 2
    assert ws["K2"].alignment.wrap_text


# ---------------------------------------------------------------------------
# Text cells are safe


def test_workbook_text_is_never_a_formula(plan, tmp_path):
    """Names and owners starting with = + - @ read as written, in every sheet, with no
    visible quote: stored as text and marked to stay text (Excel's quote prefix), so no
    cell of the workbook is a formula, nor becomes one when edited."""
    folder, targets = plan
    for lang in ("zh", "en"):
        out = tmp_path / f"t-{lang}.xlsx"
        assert export(folder, out, "--targets", str(targets), "--lang", lang).exit_code == 0
        workbook = openpyxl.load_workbook(out)
        texts = set()
        for ws in workbook.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                    texts.add(cell.value)
                    if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                        assert cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
        name = "=1+2产值" if lang == "zh" else "-Output"
        assert {name, "+县财政局、@县民社局、县发改局、县经信局、县教育局"} <= texts
        assert not any(isinstance(text, str) and text.startswith("'") for text in texts)


def test_control_characters_in_text_are_shown_escaped(plan, tmp_path):
    """An escape or NUL in a name reaches the workbook as the characters \\x1b, \\x00
    (openpyxl would refuse the raw ones and a terminal would run them)."""
    folder, targets = plan
    review = gf.review(folder, targets=targets)
    e = review.evaluations[0]
    e.indicator = unchecked(e.indicator, name="=\x1b[31m红\x00")
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes(review, "zh", "测试方案")))
    cells = {c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row}
    assert "=\\x1b[31m红\\x00" in cells
    assert not any(isinstance(v, str) and ("\x1b" in v or "\x00" in v) for v in cells)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("三(一)、城乡/一体: [重点]*?", "三(一)、城乡／一体： ［重点］＊？"),
        ("'引号'", "引号"),
        ("\x1b红", "＼x1b红"),
        ("", "Sheet"),
        ("长" * 40, "长" * 31),
        ("汇总", "汇总(2)"),
        ("HISTORY", "HISTORY(2)"),
    ],
)
def test_sheet_names_are_ones_excel_accepts(title, expected):
    """Sheet names: forbidden characters in their full-width forms, no quote at either
    end, at most 31 characters, unique ignoring case."""
    assert sheet_name(title, {"汇总", "history"}) == expected


# ---------------------------------------------------------------------------
# CSV and Parquet


def test_csv_is_the_long_table_with_a_bom_and_no_formulas(plan, tmp_path):
    """.csv: UTF-8 with a BOM (Excel on Chinese Windows reads it right), one row per
    indicator × month, text that would run as a formula given a leading '."""
    folder, targets = plan
    out = tmp_path / "t.csv"
    assert export(folder, out, "--targets", str(targets)).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert len(lines) == 1 + 4 * 2
    assert "'=1+2产值" in lines[1] and "'-Output" in lines[1] and "'+县财政局" in lines[1]
    for row in csv.reader(lines[1:]):
        for cell in row:
            assert not cell.startswith(("=", "+", "@")), cell
            if cell.startswith("-"):
                float(cell)  # a negative number, not text


def test_parquet_keeps_every_column_typed(plan, tmp_path):
    """.parquet: the long table with its types (monthly periods, ordered lights) intact."""
    pytest.importorskip("pyarrow")
    import pandas as pd

    folder, targets = plan
    out = tmp_path / "t.parquet"
    assert export(folder, out, "--targets", str(targets)).exit_code == 0
    frame = pd.read_parquet(out)
    assert list(frame.columns) == list(COLUMNS) and len(frame) == 8
    assert str(frame["period"].dtype) == "period[M]"
    assert frame["light"].cat.ordered and frame["value"].dtype == "float64"


def test_parquet_without_pyarrow_says_how_to_install_it(plan, tmp_path, monkeypatch):
    """Without pyarrow, .parquet stops before any work with a message in both languages
    naming the install command, exit 2, and writes nothing."""
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # `import pyarrow` now fails
    folder, targets = plan
    out = tmp_path / "t.parquet"
    result = export(folder, out, "--targets", str(targets))
    assert result.exit_code == 2
    assert 'pip install "gongfu-cli[parquet]"' in result.stderr
    assert "需要 pyarrow" in result.stderr and "needs pyarrow" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("name", ["t.txt", "t.xls", "t.json", "晾晒表", "t.csv.bak"])
def test_an_unknown_suffix_is_refused(plan, tmp_path, name):
    """-o with a suffix other than .xlsx, .csv, .parquet: a message naming them, exit 2."""
    folder, targets = plan
    out = tmp_path / name
    result = export(folder, out, "--targets", str(targets))
    assert result.exit_code == 2
    assert ".xlsx" in result.stderr and ".parquet" in result.stderr
    assert not out.exists()


def test_suffix_is_matched_ignoring_case(plan, tmp_path):
    """晾晒表.XLSX, as Windows users may type it, is a workbook."""
    folder, targets = plan
    out = tmp_path / "晾晒表.XLSX"
    assert export(folder, out, "--targets", str(targets)).exit_code == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "汇总"


# ---------------------------------------------------------------------------
# Writing


@pytest.mark.parametrize("name", ["t.xlsx", "t.csv"])
def test_an_existing_file_is_replaced_only_with_force(plan, tmp_path, name):
    """Without --force an existing output stays as it was (exit 2, 已存在); with it the
    file is replaced."""
    folder, targets = plan
    out = tmp_path / name
    out.write_bytes(b"keep me")
    refused = export(folder, out, "--targets", str(targets))
    assert refused.exit_code == 2 and "已存在" in refused.stderr and "--force" in refused.stderr
    assert out.read_bytes() == b"keep me"
    forced = export(folder, out, "--targets", str(targets), "--force")
    assert forced.exit_code == 0 and out.read_bytes() != b"keep me"
    assert f"已写入 {out}" in forced.stderr


def test_readme_command_works_from_a_clean_clone(tmp_path, monkeypatch):
    """`gongfu export data/actuals/ -o 晾晒表.xlsx` in a checkout writes the workbook."""
    shutil.copytree(SAMPLES.parent, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    result = run("export", "data/actuals/", "-o", "晾晒表.xlsx")
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().endswith("已写入 晾晒表.xlsx")
    assert openpyxl.load_workbook(tmp_path / "晾晒表.xlsx").sheetnames[0] == "汇总"


def test_without_o_the_workbook_is_named_for_the_period(plan, tmp_path, monkeypatch):
    """No -o: 晾晒表-YYYY-MM.xlsx in the current folder."""
    folder, targets = plan
    monkeypatch.chdir(tmp_path)
    assert run("export", str(folder), "--targets", str(targets)).exit_code == 0
    assert (tmp_path / "晾晒表-2025-06.xlsx").is_file()


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_a_gbk_folder_with_chinese_headers_exports(plan, tmp_path, encoding):
    """Files saved by Excel on Chinese Windows (GBK, 指标名称/本期值/计量单位 headers)
    export like any other: the figures reach the sheets and the long table."""
    _, targets = plan
    folder = tmp_path / "gbk"
    header = ["指标名称", "本期值", "计量单位", "备注"]
    named = {"output": "=1+2产值", "revenue": "旅游收入", "jobs": "新增就业岗位"}
    for period, rows in (("2025-05", MAY), ("2025-06", JUNE)):
        write_month(folder, period, [[named[r[0]], *r[1:]] for r in rows], encoding, header)
    out = tmp_path / "t.xlsx"
    result = export(folder, out, "--targets", str(targets))
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(out)
    assert workbook["二、工作目标"]["E2"].value == 40
    data = list(workbook["数据"].iter_rows(values_only=True))
    assert len(data) - 1 == 4 * 2
    csv_out = tmp_path / "t.csv"
    assert export(folder, csv_out, "--targets", str(targets)).exit_code == 0
    assert ",旅游收入,Revenue,二,亿元,>=,100.0,40.0," in csv_out.read_text("utf-8-sig")


PYARROW = importlib.util.find_spec("pyarrow") is not None


@pytest.mark.parametrize(
    "name",
    [
        "t.xlsx",
        "t.csv",
        pytest.param(
            "t.parquet",
            marks=pytest.mark.skipif(not PYARROW, reason="without pyarrow, that is said first"),
        ),
    ],
)
def test_a_missing_path_is_a_located_problem(tmp_path, name):
    """A path that does not exist: file-not-found naming it, exit 2, nothing written."""
    out = tmp_path / name
    missing = tmp_path / "没有这个目录"
    result = export(missing, out)
    assert result.exit_code == 2
    assert "[file-not-found]" in result.stderr and str(missing) in result.stderr
    assert not out.exists()


def test_a_folder_without_monthly_files_says_so(tmp_path):
    """A folder with no YYYY-MM file: no-actuals-file, exit 2, no traceback."""
    (tmp_path / "empty").mkdir()
    result = export(tmp_path / "empty", tmp_path / "t.xlsx")
    assert result.exit_code == 2 and "[no-actuals-file]" in result.stderr
    assert "Traceback" not in result.output


def test_data_errors_still_write_the_workbook_and_exit_1(plan, tmp_path):
    """A month with a bad figure is exported (its indicator questioned, the 数据待核 line
    on the summary) and the exit code is 1, as for report."""
    folder, targets = plan
    write_month(folder, "2025-06", [["output", "abc", "亿元"], *JUNE[1:]])
    out = tmp_path / "t.xlsx"
    result = export(folder, out, "--targets", str(targets))
    assert result.exit_code == 1 and "[invalid-number]" in result.stderr
    summary = [row[0] for row in openpyxl.load_workbook(out)["汇总"].iter_rows(values_only=True)]
    assert any(str(cell).startswith("数据待核") for cell in summary)


def test_period_chooses_the_month_exported(plan, tmp_path):
    """--period exports that month and its year up to it, not the folder's latest."""
    folder, targets = plan
    out = tmp_path / "t.xlsx"
    assert export(folder, out, "--targets", str(targets), "--period", "2025-05").exit_code == 0
    workbook = openpyxl.load_workbook(out)
    assert workbook["汇总"]["B2"].value == "2025-05"
    periods = {row[0] for row in workbook["数据"].iter_rows(min_row=2, values_only=True)}
    assert periods == {"2025-05"}
    assert workbook["二、工作目标"]["A2"].value == "黄"  # revenue in May


def test_english_summary_carries_the_whole_english_briefing(plan, tmp_path):
    """--lang en: the summary's briefing rows, joined, are brief's English paragraph."""
    folder, targets = plan
    out = tmp_path / "t.xlsx"
    assert export(folder, out, "--targets", str(targets), "--lang", "en").exit_code == 0
    firsts = [row[0] for row in openpyxl.load_workbook(out)["summary"].iter_rows(values_only=True)]
    review = gf.review(folder, targets=targets)
    paragraph = brief(review.latest, review.evaluations, "en", "Test plan").strip()
    sentences = firsts[firsts.index("Briefing") + 1 :]
    assert len(sentences) > 1 and " ".join(sentences) == paragraph.replace("\n", " ")
    assert "Newly red since last month (1)" in firsts
