"""Excel workbooks: cells read as Excel shows them, or questioned where the two differ."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import warnings
import zipfile
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path

import pytest

from gongfu_cli.model.problems import GongfuError
from gongfu_cli.read.actuals import read_actuals
from gongfu_cli.read.workbook import xlsx_rows

HEADER = ["指标", "数值", "单位", "备注", "期间"]


def _xlsx(path: Path, rows: list[list[object]], formats: dict[str, str] | None = None) -> Path:
    """A one-sheet workbook; `formats` gives number formats by cell reference."""
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    for reference, code in (formats or {}).items():
        workbook.active[reference].number_format = code
    workbook.save(path)
    return path


def _edit_part(path: Path, part: str, edit) -> Path:
    """Rewrite one XML part inside the zip, where openpyxl cannot write the shape."""
    with zipfile.ZipFile(path) as source:
        items = [(item, source.read(item.filename)) for item in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item, data in items:
            target.writestr(item, edit(data) if item.filename == part else data)
    return path


SHEET = "xl/worksheets/sheet1.xml"


def _sub(pattern: bytes, replacement: bytes):
    return lambda data: re.sub(pattern, replacement, data, count=1)


def _codes(actuals) -> list[tuple[str, int | None]]:
    return [(p.code, p.line) for p in actuals.problems]


# --- a sheet's claimed size ------------------------------------------------


@pytest.mark.parametrize(
    ("stray", "expected"),
    [
        ("XFD1048576", ("cell-outside-table", 1048576)),  # the last cell Excel has
        ("Z1048576", ("extra-column", 1048576)),  # far down, within the columns read
        (None, None),  # only the <dimension> lies
    ],
)
def test_claimed_dimension_does_not_pad_rows(tmp_path, targets, stray, expected):
    """A sheet claiming A1:XFD1048576 is read by the cells it has, in well under a
    second, and a stray far cell is reported rather than dropped."""
    path = _xlsx(tmp_path / "2025-06.xlsx", [["指标", "数值"], ["new_jobs", 520]])

    def claim_everything(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', xml)
        if stray:
            row = stray.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            cell = f'<row r="{row}"><c r="{stray}" t="inlineStr"><is><t>x</t></is></c></row>'
            xml = xml.replace(b"</sheetData>", cell.encode() + b"</sheetData>")
        return xml

    _edit_part(path, SHEET, claim_everything)
    assert b"XFD1048576" in zipfile.ZipFile(path).read(SHEET)
    started = time.perf_counter()
    actuals = read_actuals(path, targets)
    assert time.perf_counter() - started < 1
    assert actuals.readings["new_jobs"].value == 520
    assert _codes(actuals) == ([expected] if expected else [])


def test_far_cell_written_by_openpyxl_is_reported(tmp_path):
    """A cell typed at XFD1048576 (the dimension then really is the whole sheet)
    costs nothing and is named in a warning."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["指标", "数值"])
    workbook.active["XFD1048576"] = "备用"
    path = tmp_path / "2025-06.xlsx"
    workbook.save(path)
    problems: list = []
    started = time.perf_counter()
    rows = list(xlsx_rows(path, problems))
    assert time.perf_counter() - started < 1
    assert rows == [(1, ["指标", "数值"])]
    assert [(p.code, p.line, p.params["cell"]) for p in problems] == [
        ("cell-outside-table", 1048576, "XFD1048576")
    ]


# --- number formats --------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "held", "expected"),
    [
        ("0.0%", 0.972, 97.2),  # a real percent format: Excel holds 0.972
        ("0%", 1, 100),
        ("[Red]0.00%;[Blue]-0.00%", 0.5, 50),
        ('0.0"%"', 8.8, 8.8),  # a % in quotes is text: the cell holds 8.8
        ("0.0\\%", 8.8, 8.8),
        ('0.0"％"', 8.8, 8.8),
        ("0.0!%", 8.8, 8.8),
        ('#,##0.0_);[Red]"("#,##0.0")"', 88.5, 88.5),  # not a percent at all
        ("General", 0.1 + 0.2, 0.3),  # 15 significant digits, as Excel shows it
    ],
)
def test_percent_only_for_a_real_percent_sign(tmp_path, targets, code, held, expected):
    """Only an unquoted, unescaped % makes a percent format; a literal % is text."""
    path = _xlsx(
        tmp_path / "2025-06.xlsx", [["指标", "数值"], ["air_good_days_ratio", held]], {"B2": code}
    )
    actuals = read_actuals(path, targets)
    assert actuals.readings["air_good_days_ratio"].value == expected
    assert actuals.problems == []


@pytest.mark.parametrize(
    ("code", "held", "shown"),
    [
        ('0!.0,,"亿"', 6_600_000_000, "660.0亿"),
        ('0!.00,,"亿"', 6_600_000_000, "66.00亿"),
        ('#,##0,"千"', 660_000, "660千"),
        ("0.0,,", 66_000_000, "66.0"),
        ('0"."0,', 66_000, "6.6"),
    ],
)
def test_scaled_format_is_questioned(tmp_path, targets, code, held, shown):
    """A format that shows the number scaled (66.00亿 for 6,600,000,000) is an
    error saying what is shown and what is held; the row is 数据有误, not judged."""
    path = _xlsx(
        tmp_path / "2025-06.xlsx", [["指标", "数值"], ["tourism_revenue", held]], {"B2": code}
    )
    actuals = read_actuals(path, targets)
    assert _codes(actuals) == [("scaled-number-format", 2)]
    problem = actuals.problems[0]
    assert problem.params["shown"] == shown and problem.params["value"] == str(held)
    assert problem.params["cell"] == "B2" and problem.column == "数值 / value"
    assert shown in problem.message() and str(held) in problem.message("en")
    assert actuals.readings["tourism_revenue"].valid is False


@pytest.mark.parametrize(
    ("code", "unit", "expected_code", "value"),
    [
        ('0.0"万元"', "", "unit-in-number-format", None),  # shown in 万元, unit column empty
        ('0.0"万元"', "亿元", "unit-in-number-format", None),  # shown and stated disagree
        ('0.0"元"', "万元", "unit-in-number-format", None),
        ('0"万"', "", "unit-in-number-format", None),
        ('0.0"万元"', "万元", None, 66.0),  # the unit column says what is shown
        ('0"万"', "万元", None, 66.0),
        ('0.0" 亿元"', "亿元", None, 660000.0),
    ],
)
def test_unit_in_number_format(tmp_path, targets, code, unit, expected_code, value):
    """A unit that only the number format shows is not guessed at: with the unit
    column empty or different it is an error; when the unit column agrees, the figure is read."""
    path = _xlsx(
        tmp_path / "2025-06.xlsx",
        [["指标", "数值", "单位"], ["tourism_revenue", 660000, unit or None]],
        {"B2": code},
    )
    actuals = read_actuals(path, targets)
    reading = actuals.readings["tourism_revenue"]
    if expected_code:
        assert _codes(actuals) == [(expected_code, 2)]
        assert reading.valid is False
        assert ("单位列为空" if not unit else f"单位列“{unit}”") in actuals.problems[0].message()
    else:
        assert actuals.problems == [] and reading.value == value


def test_counting_word_in_format_is_not_a_unit(tmp_path, targets):
    """0"个" or "第"0"位" shows a counting word that does not change the number."""
    path = _xlsx(
        tmp_path / "2025-06.xlsx",
        [["指标", "数值"], ["new_jobs", 520], ["pm25_rank", 3]],
        {"B2": '0"个"', "B3": '"第"0"位"'},
    )
    actuals = read_actuals(path, targets)
    assert actuals.problems == []
    assert actuals.readings["pm25_rank"].value == 3


# --- formulas --------------------------------------------------------------


def test_formula_without_a_saved_value_is_an_error(tmp_path, targets):
    """openpyxl and web exports save formulas without results: the cell is
    named, the row is 数据有误 (never 未报送), and formulas elsewhere stay quiet."""
    path = _xlsx(
        tmp_path / "2025-06.xlsx",
        [
            ["指标", "数值", "单位", "备注"],
            ["new_jobs", "=SUM(200,320)", None, None],
            ["tourism_revenue", 66, None, '=CONCAT("a","b")'],  # a note: not read as data
        ],
    )
    actuals = read_actuals(path, targets)
    assert _codes(actuals) == [("formula-no-value", 2)]
    problem = actuals.problems[0]
    assert problem.params == {"cell": "B2", "formula": "=SUM(200,320)"}
    assert "B2" in problem.message() and "保存" in problem.fix()
    assert actuals.readings["new_jobs"].valid is False
    assert actuals.readings["tourism_revenue"].value == 66


@pytest.mark.parametrize(
    ("cell_xml", "value", "reported"),
    [
        ('<c r="B2"><f>SUM(200,320)</f><v>520</v></c>', 520, True),  # as Excel saves it
        ('<c r="B2" t="str"><f>IF(1,"","")</f><v></v></c>', None, False),  # a computed blank
    ],
)
def test_formula_with_a_saved_value_is_read(tmp_path, targets, cell_xml, value, reported):
    """A formula Excel computed is read by its saved result, an empty result included."""
    path = _xlsx(tmp_path / "2025-06.xlsx", [["指标", "数值"], ["new_jobs", 1]])
    _edit_part(
        path,
        SHEET,
        lambda xml: re.sub(rb'<c r="B2"[^>]*>.*?</c>', cell_xml.encode(), xml),
    )
    actuals = read_actuals(path, targets)
    assert actuals.problems == []
    assert actuals.readings["new_jobs"].value == value
    assert actuals.readings["new_jobs"].reported is reported


# --- which sheet -----------------------------------------------------------


def _sheets(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def test_data_on_a_later_sheet_is_read_with_a_warning(tmp_path, targets):
    """The first sheet with the header is read, and a warning names it."""
    path = _sheets(
        tmp_path / "2025-06.xlsx",
        {
            "填报说明": [["请在“数据”表填写"], [None, None, "=A1"]],
            "数据": [["嵊泗县2025年6月指标"], ["指标", "数值"], ["new_jobs", 520]],
        },
    )
    problems: list = []
    rows = list(xlsx_rows(path, problems))
    assert rows == [(1, ["嵊泗县2025年6月指标"]), (2, ["指标", "数值"]), (3, ["new_jobs", "520"])]
    assert [(p.code, p.params["sheet"], p.params["skipped"]) for p in problems] == [
        ("later-sheet-read", "数据", 1)
    ]
    assert "数据" in problems[0].message()


def test_first_sheet_with_header_gives_no_warning(tmp_path, targets):
    """The usual workbook: the first sheet is read, other sheets are not looked at."""
    path = _sheets(
        tmp_path / "2025-06.xlsx",
        {
            "数据": [["指标", "数值"], ["new_jobs", 520]],
            "旧表": [["指标", "数值"], ["new_jobs", 1]],
        },
    )
    actuals = read_actuals(path, targets)
    assert actuals.problems == [] and actuals.readings["new_jobs"].value == 520


def test_no_sheet_with_a_header_reads_the_first(tmp_path, targets):
    """With no header anywhere the first sheet is read and missing-column follows."""
    path = _sheets(tmp_path / "2025-06.xlsx", {"一": [["名字", "数"]], "二": [["name", "figure"]]})
    with pytest.raises(GongfuError) as caught:
        read_actuals(path, targets)
    assert {p.code for p in caught.value.problems} >= {"missing-column"}
    assert all(p.code != "later-sheet-read" for p in caught.value.problems)


# --- files that are not .xlsx ----------------------------------------------

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


@pytest.mark.parametrize(
    ("stream", "zh", "en"),
    [
        ("EncryptedPackage", "受密码保护", "password-protected"),
        ("Workbook", "Excel 97-2003", "Excel 97-2003"),  # an .xls renamed .xlsx
        ("Book", "Excel 97-2003", "Excel 97-2003"),  # Excel 5/95 names its stream Book
        ("WordDocument", "Office 97-2003", "Office 97-2003"),
    ],
)
def test_old_office_containers_say_what_they_are(tmp_path, targets, stream, zh, en):
    """An OLE2 file named .xlsx says password-protected or Excel 97-2003, with what to do."""
    path = tmp_path / "2025-06.xlsx"
    path.write_bytes(_OLE2 + stream.encode("utf-16-le") + bytes(64))
    with pytest.raises(GongfuError) as caught:
        read_actuals(path, targets)
    [problem] = caught.value.problems
    assert problem.code == "unreadable-file"
    assert zh in problem.message("zh") and en in problem.message("en")
    assert "not a valid" not in problem.message("en")


def test_workbook_damaged_below_the_header_is_located(tmp_path, targets):
    """A sheet whose XML breaks after good rows is unreadable-file with the row, not a crash."""
    path = _xlsx(tmp_path / "2025-06.xlsx", [["指标", "数值"], ["new_jobs", 520], ["gdp", 86]])
    _edit_part(path, SHEET, lambda xml: xml.replace(b'<row r="3"', b'<row r="3.5"'))
    with pytest.raises(GongfuError) as caught:
        read_actuals(path, targets)
    [problem] = caught.value.problems
    assert (problem.code, problem.line) == ("unreadable-file", 3)
    assert "第 2 行之后已损坏" in problem.message()


def test_openpyxl_warnings_do_not_reach_the_user(tmp_path, targets):
    """A workbook without a default style makes openpyxl warn; the user sees nothing of it."""
    path = _xlsx(tmp_path / "2025-06.xlsx", [["指标", "数值"], ["new_jobs", 520]])
    _edit_part(
        path,
        "xl/styles.xml",
        lambda xml: re.sub(rb"<cellStyles.*?</cellStyles>", b"", xml, flags=re.DOTALL),
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        actuals = read_actuals(path, targets)
    assert actuals.readings["new_jobs"].value == 520
    assert [str(w.message) for w in caught] == []
    result = subprocess.run(
        [sys.executable, "-m", "gongfu_cli", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr and "openpyxl" not in result.stderr


def test_a_refused_workbook_is_refused_without_openpyxl_warnings(tmp_path, targets):
    """A relationship openpyxl cannot read makes its reader of them warn (with a path
    inside site-packages), whichever way the workbook is opened: the user sees only
    gongfu's located problem."""
    path = _xlsx(tmp_path / "2025-06.xlsx", [["指标", "数值"], ["new_jobs", 520]])
    _edit_part(
        path, "xl/_rels/workbook.xml.rels", _sub(rb"<Relationship ", b'<Relationship Bogus="1" ')
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(GongfuError) as refused:
            read_actuals(path, targets)
    assert [p.code for p in refused.value.problems] == ["unreadable-file"]
    assert [str(w.message) for w in caught] == []


# --- cell types ------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "cell", "code", "shown"),
    [
        ("new_jobs", "#DIV/0!", "invalid-number", "#DIV/0!"),
        ("new_jobs", "#N/A", "invalid-number", "#N/A"),
        ("fitness_center_open", "#REF!", "invalid-milestone", "#REF!"),
        ("new_jobs", datetime(2025, 6, 15), "invalid-number", "2025-06-15"),
        ("new_jobs", datetime(2025, 6, 15, 8, 30), "invalid-number", "2025-06-15 08:30"),
        ("new_jobs", clock(8, 30), "invalid-number", "08:30:00"),
        ("new_jobs", True, "invalid-number", "TRUE"),
    ],
)
def test_cells_that_are_not_figures_are_questioned(tmp_path, targets, indicator, cell, code, shown):
    """Excel errors, dates, times and booleans in a figure cell are named as Excel
    shows them and the row is 数据有误: never read as a number, never 未报送."""
    path = _xlsx(tmp_path / "2025-06.xlsx", [["指标", "数值"], [indicator, cell]])
    actuals = read_actuals(path, targets)
    assert _codes(actuals) == [(code, 2)]
    assert actuals.problems[0].params["value"] == shown
    reading = actuals.readings[indicator]
    assert reading.valid is False and reading.reported is True


@pytest.mark.parametrize(("cell", "done"), [(True, True), (False, False)])
def test_boolean_cells_answer_a_milestone(tmp_path, targets, cell, done):
    """TRUE/FALSE (Excel's checkbox values) report a milestone done or not done."""
    path = _xlsx(tmp_path / "2025-06.xlsx", [["指标", "数值"], ["fitness_center_open", cell]])
    actuals = read_actuals(path, targets)
    assert actuals.problems == [] and actuals.readings["fitness_center_open"].done is done


@pytest.mark.parametrize("period", [date(2025, 6, 1), datetime(2025, 6, 1), "2025-06"])
def test_period_cell_that_excel_made_a_date(tmp_path, targets, period):
    """Excel turns 2025-06 typed in a period cell into 2025-06-01; it is still June."""
    path = _xlsx(tmp_path / "2025-06.xlsx", [HEADER, ["new_jobs", 520, None, None, period]])
    actuals = read_actuals(path, targets)
    assert actuals.problems == [] and actuals.readings["new_jobs"].value == 520


def test_formula_without_a_value_in_the_name_cell_is_reported_once(tmp_path, targets):
    """A name cell that is a formula saved without its result: formula-no-value names the
    cell, and the row is not also reported as an unknown indicator with an empty name."""
    path = _xlsx(
        tmp_path / "2025-06.xlsx",
        [["指标", "数值"], ['=CONCAT("县域","就诊率")', 91.8], ["new_jobs", 520]],
    )
    actuals = read_actuals(path, targets)
    assert _codes(actuals) == [("formula-no-value", 2)]
    assert actuals.problems[0].params["cell"] == "A2"
    assert actuals.readings["new_jobs"].value == 520


@pytest.mark.parametrize("fmt", ['"增长"0.0"%"', '"约"0.0"%"', '"同比"0.0\\%'])
def test_words_before_the_figure_are_not_its_unit(tmp_path, targets, fmt):
    """Text a format shows before the number (增长8.8%) is no unit: the figure is read."""
    path = _xlsx(tmp_path / "2025-06.xlsx", [["指标", "数值", "单位"], ["县域就诊率", 91.8, "%"]])
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    workbook.active["B2"].number_format = fmt
    workbook.save(path)
    actuals = read_actuals(path, targets)
    assert actuals.problems == []
    reading = actuals.readings["county_treatment_rate"]
    assert reading.valid


# --- opening a workbook: its package parts, or load_workbook ----------------


def _both_books(path: Path):
    """What the package reader and load_workbook give for the workbook."""
    from openpyxl import load_workbook

    from gongfu_cli.read.workbook import _book_from_openpyxl, _book_from_package

    styles = len(load_workbook(path, read_only=True)._cell_styles)

    def seen(book) -> dict:
        try:
            fields = ("sheets", "shared_strings", "epoch", "date_formats", "timedelta_formats")
            found = {name: getattr(book, name) for name in fields}
            return found | {"formats": [book.format(style) for style in range(styles)]}
        finally:
            book.archive.close()

    return seen(_book_from_package(path)), seen(_book_from_openpyxl(path))


def _mac_dates(data: bytes, flag: bytes = b"1") -> bytes:
    return re.sub(rb"<workbookPr(?=[\s/>])", b'<workbookPr date1904="' + flag + b'"', data)


def _excel_style_formats(data: bytes) -> bytes:
    """The workbook's two custom formats as Excel might write them: a Chinese date, and
    a builtin format (0.00%) under a custom id, which is read as the builtin."""
    formats = (
        b'<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy&quot;\xe5\xb9\xb4&quot;m'
        b'&quot;\xe6\x9c\x88&quot;"/><numFmt numFmtId="165" formatCode="0.00%"/></numFmts>'
    )
    return re.sub(rb"<numFmts[^>]*/>|<numFmts[^>]*>.*?</numFmts>", formats, data, flags=re.S)


WORKBOOK, STYLES = "xl/workbook.xml", "xl/styles.xml"


@pytest.mark.parametrize(
    ("build", "edit", "declined"),
    [
        ("plain", None, False),
        ("formats", None, False),
        ("sheets", None, False),
        ("plain", (WORKBOOK, _mac_dates), False),
        # openpyxl reads any flag but false/f/0 as true
        *[
            ("plain", (WORKBOOK, lambda d, f=f: _mac_dates(d, f)), False)
            for f in (b"TRUE", b"False", b"t", b"0")
        ],
        ("formats", (STYLES, _excel_style_formats), False),
        # matched by local name, as openpyxl matches them
        ("formats", (STYLES, _sub(rb"<numFmts ", b'<numFmts xmlns="" ')), False),
        ("formats", (STYLES, _sub(rb"<xf numFmtId=\"10\"", b'<xf xmlns="" numFmtId="10"')), False),
        # read otherwise by openpyxl: left to it
        ("sheets", (WORKBOOK, _sub(rb'r:id="rId1"', b'id="rId1"')), True),
        ("formats", (STYLES, _sub(rb'<xf numFmtId="164"', b'<xf numFmtId="200"')), True),
        ("formats", (STYLES, _sub(rb'formatCode="[^"]*"', b"")), True),
    ],
)
def test_the_package_gives_what_load_workbook_gives(tmp_path, build, edit, declined):
    """Sheets, shared strings, the date system and every style's number format (dates
    and durations marked) read from the package parts are load_workbook's; where the
    package is laid out in a way the reader does not repeat, it declines."""
    path = tmp_path / "2025-06.xlsx"
    rows = [HEADER, ["旅游总收入", 80.5, "亿元", "备注", date(2025, 6, 30)], ["x", 0.25]]
    if build == "sheets":
        _sheets(path, {"说明": [["填报说明"]], "数据": rows, "第三页": [[1, 2]]})
    else:
        formats = {"B2": "0.00%", "E2": "yyyy-mm-dd", "B3": "[h]:mm", "A3": "@"}
        _xlsx(path, rows, formats if build == "formats" else None)
    if edit:
        with zipfile.ZipFile(path) as package:
            before = package.read(edit[0])
        _edit_part(path, *edit)
        with zipfile.ZipFile(path) as package:
            assert package.read(edit[0]) != before  # the edit took
    if declined:  # load_workbook reads it (or refuses it) exactly as before
        from gongfu_cli.read.workbook import _book_from_package

        with pytest.raises(Exception):  # noqa: B017 - any refusal hands it over
            _book_from_package(path)
        return
    fast, full = _both_books(path)
    assert fast == full
    if build == "formats":
        assert full["date_formats"]


def test_a_workbook_laid_out_otherwise_is_opened_by_load_workbook(tmp_path, targets, monkeypatch):
    """A package whose [Content_Types].xml names its workbook only by default (some
    generators do): openpyxl's reader opens it, and its rows are read as ever."""
    from gongfu_cli.read import workbook

    path = _xlsx(tmp_path / "2025-06.xlsx", [HEADER, ["旅游总收入", 80.5, "亿元"]])
    expected = read_actuals(path, targets).readings["tourism_revenue"].value
    main = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"

    def by_default(data: bytes) -> bytes:
        data = re.sub(rb'<Override PartName="/xl/workbook.xml"[^>]*/>', b"", data)
        return re.sub(rb'(<Default Extension="xml" ContentType=")[^"]*', rb"\g<1>" + main, data)

    _edit_part(path, "[Content_Types].xml", by_default)
    opened = []
    full = workbook._book_from_openpyxl
    monkeypatch.setattr(workbook, "_book_from_openpyxl", lambda p: opened.append(p) or full(p))
    assert read_actuals(path, targets).readings["tourism_revenue"].value == expected == 80.5
    # opened from the bytes read once (read/actuals.RecentFiles), not from the path again
    assert [source.getvalue() for source in opened] == [path.read_bytes()]


def test_a_plain_workbook_is_not_opened_by_load_workbook(tmp_path, targets, monkeypatch):
    """The reason for the package reader (2.5 ms a file): an ordinary workbook never
    goes through load_workbook."""
    from gongfu_cli.read import workbook

    def refused(path):
        raise AssertionError("load_workbook was used")

    monkeypatch.setattr(workbook, "_book_from_openpyxl", refused)
    path = _xlsx(tmp_path / "2025-06.xlsx", [HEADER, ["旅游总收入", 80.5, "亿元"]], {"B2": "0.0"})
    assert read_actuals(path, targets).readings["tourism_revenue"].value == 80.5


STRING_ITEMS = [
    "<t>亿元</t><t>万元</t>",  # two where the schema allows one: openpyxl keeps the last
    "<r><t>亿</t><t>万元</t></r>",
    '<t xmlns="urn:other">亿元</t>',
    "<t>旅游总收入</t>",
    '<t xml:space="preserve">  前后有空格  </t>',
    "<t/>",
    "<r><t>地区</t></r><r><rPr><b/></rPr><t>生产总值</t></r>",
    "<t>基</t><r><t>础</t></r>",
    "<r><t>嵊泗</t></r><rPh sb='0' eb='2'><t>しょうし</t></rPh><phoneticPr fontId='1'/>",
    "<t>_x005F_x000D_ 与 x005F_ 转义</t>",
    "<r><t/></r><r><t>只有后一段</t></r>",
]


@pytest.mark.parametrize("item", STRING_ITEMS)
def test_strings_are_read_as_openpyxl_reads_them(item):
    """Plain, rich (runs), phonetic guides, empty and escaped: the shared strings
    table and an inline string give the text openpyxl's own readers give."""
    from io import BytesIO

    from openpyxl.cell.text import Text
    from openpyxl.reader.strings import read_string_table
    from openpyxl.xml.functions import fromstring

    from gongfu_cli.read.workbook import shared_strings, text_content

    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    table = f"<sst {main}><si>{item}</si><si><t>下一项</t></si></sst>".encode()
    assert shared_strings(BytesIO(table)) == read_string_table(BytesIO(table))
    inline = fromstring(f"<is {main}>{item}</is>")
    assert text_content(inline) == Text.from_tree(inline).content


def test_an_inline_string_cell_is_read_as_its_text(tmp_path, targets):
    """openpyxl writes text cells as inline strings; Excel as shared ones: both read."""
    path = _xlsx(tmp_path / "2025-06.xlsx", [HEADER, ["旅游总收入", 80.5, "亿元", "按统计局口径"]])
    with zipfile.ZipFile(path) as package:
        sheet = package.read(SHEET)
    assert b't="inlineStr"' in sheet  # so this case is the inline one
    reading = read_actuals(path, targets).readings["tourism_revenue"]
    assert (reading.value, reading.note) == (80.5, "按统计局口径")


def test_a_sheet_named_without_its_namespace_is_read_as_openpyxl_reads_it(tmp_path, targets):
    """A sheet whose relationship is `id=` rather than `r:id=` is still the first
    sheet load_workbook reads: the package reader declines, and the figure is the
    first sheet's, not a later one's."""
    first = [HEADER, ["旅游总收入", 14.5, "亿元"]]
    later = [HEADER, ["旅游总收入", 99, "亿元"]]
    path = _sheets(tmp_path / "2025-06.xlsx", {"甲": first, "乙": later})
    _edit_part(path, "xl/workbook.xml", _sub(rb'r:id="rId1"', b'id="rId1"'))
    assert read_actuals(path, targets).readings["tourism_revenue"].value == 14.5


def test_an_unused_style_does_not_stop_load_workbook_reading(tmp_path, targets):
    """Through load_workbook, a style no cell uses is never looked up (a number
    format it leaves undefined refused the whole file once)."""
    main = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    path = _xlsx(tmp_path / "2025-06.xlsx", [HEADER, ["旅游总收入", 80.5, "亿元"]])
    _edit_part(
        path,
        "[Content_Types].xml",
        lambda data: re.sub(
            rb'(<Default Extension="xml" ContentType=")[^"]*',
            rb"\g<1>" + main,
            re.sub(rb'<Override PartName="/xl/workbook.xml"[^>]*/>', b"", data),
        ),
    )
    unused = b'<xf numFmtId="170" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    _edit_part(path, "xl/styles.xml", _sub(rb"</cellXfs>", unused))
    assert read_actuals(path, targets).readings["tourism_revenue"].value == 80.5
