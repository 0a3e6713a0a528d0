"""gongfu submissions (报送情况, 催报): who has sent what for the month, in every format."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from conftest import SAMPLES
from gongfu_cli.cli import app
from gongfu_cli.judge.submissions import submissions
from gongfu_cli.model.period import Period
from gongfu_cli.read.targets_file import load_targets

runner = CliRunner()

HEADER = ["指标", "数值", "单位", "备注"]


def indicator(ind_id: str, name: str, owners: str, **fields: str) -> str:
    spec = {
        "unit": "个",
        "op": '">="',
        "target": "100",
        "kind": "count",
        "frequency": "monthly",
        **fields,
    }
    lines = [f"  - id: {ind_id}", f"    name: {name}", f"    name_en: {ind_id.replace('_', ' ')}"]
    lines += [f"    {key}: {value}" for key, value in spec.items() if value]
    lines += [f"    owners: {owners}", "    section: 三", f"    quote: {name}"]
    return "\n".join(lines)


def targets_text(civil: str = "县民社局") -> str:
    """Three units; an indicator owned by two; a milestone; two indicators owned by none."""
    indicators = [
        indicator("new_jobs", "新增就业岗位", f"['{civil}']"),
        indicator("care_workers", "持证养老护理员", f"['{civil}', 县卫健局]"),
        indicator(
            "leakage",
            "供水管网漏损率",
            "[县住建局]",
            unit="'%'",
            op='"<="',
            target="8",
            kind="level",
        ),
        indicator("gas_conversion", "瓶改管改造小区", "[县住建局]"),
        indicator(
            "hospital",
            "启动县级综合医院建设",
            "[县卫健局]",
            unit="",
            op="done",
            target="",
            kind="milestone",
        ),
        indicator(
            "gdp",
            "地区生产总值",
            "[]",
            unit="亿元",
            op='">"',
            target="180",
            kind="cumulative",
            frequency="quarterly",
        ),
        indicator(
            "tourism", "旅游总收入", "[]", unit="亿元", op='">"', target="160", kind="cumulative"
        ),
    ]
    return "plan: 测试方案\nyear: 2025\nindicators:\n" + "\n".join(indicators) + "\n"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "targets.yaml"
    path.write_text(targets_text(), encoding="utf-8")
    return path


def write_table(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    """A unit's file: CSV in `encoding`, or an .xlsx workbook when the name says so."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".xlsx":
        workbook = Workbook()
        for row in [HEADER, *rows]:
            workbook.active.append(row)
        workbook.save(path)
    else:
        text = "\n".join(",".join(row) for row in [HEADER, *rows]) + "\n"
        path.write_bytes(text.encode(encoding))
    return path


def june_folder(root: Path) -> Path:
    """June as a month's folder: four units' files in three encodings and .xlsx, one
    from a unit the plan does not name, one row left blank, and a stray file."""
    month = root / "actuals" / "2025-06"
    write_table(
        month / "县民社局.csv", [["新增就业岗位", "120", "个"], ["持证养老护理员", "30", "个"]]
    )
    write_table(month / "县卫健局.csv", [["启动县级综合医院建设", "已完成", ""]], "gbk")
    write_table(
        month / "县住建局.xlsx", [["供水管网漏损率", "7.5", "%"], ["瓶改管改造小区", "-", ""]]
    )
    write_table(month / "某某办.csv", [["旅游总收入", "50", "亿元"]], "utf-8-sig")
    (month / "说明.txt").write_text("请各单位按时报送", encoding="utf-8")
    return month


def run(*args: str | Path):
    return runner.invoke(app, ["submissions", *(str(a) for a in args)])


def as_json(*args: str | Path) -> tuple[int, dict]:
    result = run(*args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


# ---------------------------------------------------------------------------
# The data


def test_a_month_folder_lists_each_unit_what_arrived_and_what_is_missing(tmp_path, plan):
    """2025-06/: each unit's due indicators, arrived and missing; a blank row is not sent;
    an indicator no unit owns is listed apart and never given to the unit that sent it."""
    result = submissions(june_folder(tmp_path), load_targets(plan))
    assert result.period == Period(2025, 6)
    owed = {o.unit: ([i.id for i in o.arrived], [i.id for i in o.missing]) for o in result.units}
    assert owed == {
        "县住建局": (["leakage"], ["gas_conversion"]),
        "县民社局": (["new_jobs", "care_workers"], []),
        "县卫健局": (["care_workers", "hospital"], []),
    }
    assert result.units[0].unit == "县住建局"  # most missing first
    assert result.unassigned.unit is None
    assert [i.id for i in result.unassigned.arrived] == ["tourism"]
    assert [i.id for i in result.unassigned.missing] == ["gdp"]
    assert result.summary() == {
        "units": 3,
        "complete": 2,
        "owing": 1,
        "missing": 1,
        "unassigned_missing": 1,
        "files": 4,
        "unreadable": 0,
        "ignored": 1,
    }


def test_each_file_is_listed_with_its_sender_rows_and_indicators(tmp_path, plan):
    """Every file of the month: its sender mapped to the plan's unit, or kept as given when
    it matches none; its rows and the indicators it gave a figure for."""
    result = submissions(june_folder(tmp_path), load_targets(plan))
    files = {
        Path(f.file).name: (f.sender, f.unit, f.rows, [i.id for i in f.indicators])
        for f in result.files
    }
    assert files == {
        "县民社局.csv": ("县民社局", "县民社局", 2, ["new_jobs", "care_workers"]),
        "县卫健局.csv": ("县卫健局", "县卫健局", 1, ["hospital"]),
        "县住建局.xlsx": ("县住建局", "县住建局", 2, ["leakage"]),
        "某某办.csv": ("某某办", None, 1, ["tourism"]),
    }
    assert [Path(p.file or "").name for p in result.ignored] == ["说明.txt"]
    assert [p.code for p in result.ignored] == ["ignored-file"]


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("2025-06-县卫健局.csv", "utf-8"),
        ("2025-06-县卫健局.csv", "utf-8-sig"),
        ("2025-06-县卫健局.csv", "gbk"),
        ("2025-06 卫健局.xlsx", ""),
        ("2025-06_县卫健局报表.csv", "gbk"),
    ],
)
def test_a_units_file_in_any_encoding_or_xlsx_is_credited_to_its_unit(
    tmp_path, plan, name, encoding
):
    """Files named 2025-06-<unit> in UTF-8, UTF-8-BOM, GBK or .xlsx are read, their sender
    found in the name and matched to the plan's unit (卫健局 → 县卫健局)."""
    folder = tmp_path / "actuals"
    write_table(
        folder / name,
        [["启动县级综合医院建设", "未完成", ""], ["持证养老护理员", "8", "个"]],
        encoding,
    )
    result = submissions(folder, load_targets(plan))
    (received,) = result.files
    assert (received.unit, received.rows, received.errors) == ("县卫健局", 2, 0)
    health = next(o for o in result.units if o.unit == "县卫健局")
    assert (health.complete, health.files) == (True, [received.file])


def test_one_file_of_a_month_folder_given_with_its_period_keeps_its_sender(tmp_path, plan):
    """2025-06/县卫健局.csv named alone with --period: its whole name is the sender, as in
    the folder, and only it is read."""
    june_folder(tmp_path)
    file = tmp_path / "actuals" / "2025-06" / "县卫健局.csv"
    result = submissions(file, load_targets(plan), Period(2025, 6))
    assert [(f.sender, f.unit) for f in result.files] == [("县卫健局", "县卫健局")]


def test_latest_month_or_period_and_other_months_untouched(tmp_path, plan):
    """A folder means its latest month, --period another one; another year's file is
    listed as ignored, not read."""
    folder = tmp_path / "actuals"
    write_table(folder / "2025-05-县民社局.csv", [["新增就业岗位", "100", "个"]])
    write_table(folder / "2025-06-县民社局.csv", [["持证养老护理员", "9", "个"]])
    write_table(folder / "2024-12.csv", [["新增就业岗位", "100", "个"]])
    catalogue = load_targets(plan)
    june = submissions(folder, catalogue)
    may = submissions(folder, catalogue, Period(2025, 5))
    assert (june.period, [Path(f.file).name for f in june.files]) == (
        Period(2025, 6),
        ["2025-06-县民社局.csv"],
    )
    assert [Path(f.file).name for f in may.files] == ["2025-05-县民社局.csv"]
    assert "gdp" not in [i.id for i in may.unassigned.due]  # quarterly: not due in May
    assert [Path(p.file or "").name for p in june.ignored] == ["2024-12.csv"]


def test_a_figure_in_any_file_counts_for_every_owner(tmp_path, plan):
    """An indicator with two owners is owed by each; a figure sent by either, in any file,
    counts for both; missing, it counts once in the month's total."""
    folder = tmp_path / "actuals"
    write_table(folder / "2025-06-县民社局.csv", [["新增就业岗位", "120", "个"]])
    result = submissions(folder, load_targets(plan))
    missing = {o.unit: [i.id for i in o.missing] for o in result.units}
    assert "care_workers" in missing["县民社局"] and "care_workers" in missing["县卫健局"]
    assert [i.id for i in result.missing].count("care_workers") == 1
    write_table(folder / "2025-06-县卫健局.csv", [["持证养老护理员", "9", "个"]])
    result = submissions(folder, load_targets(plan))
    missing = {o.unit: [i.id for i in o.missing] for o in result.units}
    assert "care_workers" not in missing["县民社局"] + missing["县卫健局"]


@pytest.mark.parametrize("blank", ["", "-", "——", "暂无", "/"])
def test_a_blank_row_is_not_a_figure(tmp_path, plan, blank):
    """A row left blank or '-' (暂无, /) has not arrived; the same row in another file
    with a figure has."""
    folder = tmp_path / "actuals"
    write_table(folder / "2025-06-县民社局.csv", [["新增就业岗位", blank, "个"]])
    result = submissions(folder, load_targets(plan))
    civil = next(o for o in result.units if o.unit == "县民社局")
    assert "new_jobs" in [i.id for i in civil.missing]
    write_table(folder / "2025-06-县卫健局.csv", [["新增就业岗位", "5", "个"]])
    civil = next(o for o in submissions(folder, load_targets(plan)).units if o.unit == "县民社局")
    assert "new_jobs" not in [i.id for i in civil.missing]


@pytest.mark.parametrize(
    "row",
    [
        ["新增就业岗位", "一百二十", "个"],  # not a number
        ["新增就业岗味", "120", "个"],  # misspelled name: sent, never 未报送
        ["新增就业岗位", "12.5", "个"],  # a count that is not whole
    ],
)
def test_a_row_sent_with_an_error_has_arrived_and_is_marked(tmp_path, plan, row):
    """A row that was sent is never called missing: a wrong figure or a misspelled name
    arrived, and is listed as sent with errors."""
    folder = tmp_path / "actuals"
    write_table(folder / "2025-06-县民社局.csv", [row, ["持证养老护理员", "9", "个"]])
    civil = next(o for o in submissions(folder, load_targets(plan)).units if o.unit == "县民社局")
    assert (civil.missing, [i.id for i in civil.invalid]) == ([], ["new_jobs"])


def test_conflicting_figures_arrived_and_are_marked(tmp_path, plan):
    """Two files giving different figures: the indicator arrived, with errors, and the
    conflict is among the month's problems."""
    folder = tmp_path / "actuals"
    write_table(folder / "2025-06-县民社局.csv", [["持证养老护理员", "9", "个"]])
    write_table(folder / "2025-06-县卫健局.csv", [["持证养老护理员", "10", "个"]])
    result = submissions(folder, load_targets(plan))
    health = next(o for o in result.units if o.unit == "县卫健局")
    assert [i.id for i in health.invalid] == ["care_workers"]
    assert "conflicting-values" in [p.code for p in result.problems]


def test_an_unreadable_file_is_listed_and_its_rows_count_as_missing(tmp_path, plan):
    """A file that cannot be read is listed as unreadable with its sender; nothing in it
    counts as arrived, and the other files are still read."""
    folder = tmp_path / "actuals"
    write_table(folder / "2025-06-县民社局.csv", [["新增就业岗位", "120", "个"]])
    (folder / "2025-06-县卫健局.xlsx").write_bytes(b"not a workbook")
    result = submissions(folder, load_targets(plan))
    broken = next(f for f in result.files if not f.readable)
    assert (broken.unit, broken.errors) == ("县卫健局", 1)
    assert result.summary()["unreadable"] == 1
    health = next(o for o in result.units if o.unit == "县卫健局")
    assert [i.id for i in health.missing] == ["care_workers", "hospital"]


# ---------------------------------------------------------------------------
# The command: formats, languages, exit codes


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "csv"])
def test_every_format_names_the_missing_and_exits_1(tmp_path, plan, fmt, lang):
    """Every format and language names the unit owing and what it owes, and the run exits 1
    while something due is missing."""
    result = run(june_folder(tmp_path), "--targets", plan, "--format", fmt, "--lang", lang)
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "县住建局" in out
    assert ("瓶改管改造小区" if lang == "zh" else "gas conversion") in out
    if fmt in ("table", "markdown"):
        zh = lang == "zh"
        assert ("未列明责任单位" if zh else "no unit named in the plan") in out
        assert ("某某办（非方案所列单位）" if zh else "某某办(not a unit of the plan)") in out
        assert ("未使用的文件" if zh else "Files not used") in out and "说明.txt" in out
        assert ("3 个责任单位" if zh else "3 units") in out


def test_json_has_the_documented_shape(tmp_path, plan):
    """JSON: period, units[], unassigned, files[], ignored[], summary, awaiting[], errors,
    warnings."""
    code, document = as_json(june_folder(tmp_path), "--targets", plan)
    assert code == 1
    assert list(document) == [
        "period",
        "units",
        "unassigned",
        "files",
        "ignored",
        "summary",
        "awaiting",
        "errors",
        "warnings",
    ]
    assert document["period"] == "2025-06"
    first = document["units"][0]
    assert first == {
        "unit": "县住建局",
        "due": 2,
        "arrived": 1,
        "missing": [{"id": "gas_conversion", "name": "瓶改管改造小区"}],
        "invalid": [],
        "complete": False,
        "files": [str(tmp_path / "actuals" / "2025-06" / "县住建局.xlsx")],
    }
    assert document["unassigned"]["unit"] is None
    assert document["unassigned"]["missing"] == [{"id": "gdp", "name": "地区生产总值"}]
    other = next(f for f in document["files"] if f["sender"] == "某某办")
    assert (other["unit"], other["readable"], other["rows"], other["indicators"]) == (
        None,
        True,
        1,
        ["tourism"],
    )
    assert document["ignored"][0]["code"] == "ignored-file"
    assert document["summary"] == {
        "units": 3,
        "complete": 2,
        "owing": 1,
        "missing": 1,
        "unassigned_missing": 1,
        "files": 4,
        "unreadable": 0,
        "ignored": 1,
        "all_arrived": False,
    }


def test_csv_has_one_row_per_unit(tmp_path, plan):
    """CSV: one row per unit with something due, then the indicators no unit owns."""
    result = run(june_folder(tmp_path), "--targets", plan, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["unit"] for r in rows] == ["县住建局", "县卫健局", "县民社局", ""]
    assert (rows[0]["missing"], rows[0]["missing_ids"], rows[0]["missing_names"]) == (
        "1",
        "gas_conversion",
        "瓶改管改造小区",
    )
    assert rows[-1]["missing_ids"] == "gdp"


def test_every_due_indicator_arrived_exits_0(tmp_path, plan):
    """When every due indicator has arrived (in whatever file), the run exits 0 and says so."""
    folder = tmp_path / "actuals"
    write_table(
        folder / "2025-05.csv",
        [
            ["新增就业岗位", "120", "个"],
            ["持证养老护理员", "9", "个"],
            ["供水管网漏损率", "7.5", "%"],
            ["瓶改管改造小区", "3", "个"],
            ["启动县级综合医院建设", "未完成", ""],
            ["旅游总收入", "50", "亿元"],
        ],
    )
    result = run(folder, "--targets", plan)
    assert result.exit_code == 0, result.output
    assert "本月应报指标已全部报送" in result.stdout
    code, document = as_json(folder, "--targets", plan)
    assert (code, document["summary"]["all_arrived"]) == (0, True)


@pytest.mark.parametrize(
    "args",
    [
        ["{missing}"],
        ["{empty}"],
        ["{folder}", "--period", "2025-13"],
        ["{folder}", "--period", "2025-04"],
        ["{folder}", "--targets", "{missing}"],
    ],
)
def test_it_cannot_run_exits_2(tmp_path, plan, args):
    """No such path, no monthly file, a bad or absent --period, no targets file: exit 2,
    with the JSON failure document on stdout."""
    (tmp_path / "empty").mkdir()
    folder = tmp_path / "actuals"
    write_table(folder / "2025-06.csv", [["新增就业岗位", "120", "个"]])
    places = {"missing": tmp_path / "nowhere", "empty": tmp_path / "empty", "folder": folder}
    argv = [a.format(**places) for a in args]
    if "--targets" not in argv:
        argv += ["--targets", str(plan)]
    result = run(*argv)
    assert result.exit_code == 2, result.output
    result = run(*argv, "--format", "json")
    assert result.exit_code == 2
    if "2025-13" not in argv:  # an option refused before anything runs prints no document
        document = json.loads(result.stdout)
        assert (document["period"], document["units"], document["summary"]) == (None, [], {})
        assert document["errors"]


def test_help_states_the_exit_codes():
    """--help says what each exit code means, with an example."""
    result = runner.invoke(app, ["submissions", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "Exit 0 when every indicator due this month has arrived" in text
    assert "1 when some are missing" in text and "2 when it cannot run" in text
    assert "退出码：本月应报的指标都已报送为 0" in text
    assert "示例 / Examples: gongfu submissions" in text


# ---------------------------------------------------------------------------
# Safety: unit names from targets.yaml and senders from file names are text


HOSTILE_UNIT = "=1+2[bold]县<b>民社局:thumbs_up:"


def test_a_unit_name_with_markup_is_printed_as_written(tmp_path):
    """A unit name holding rich markup, an emoji code, HTML or a formula is shown as written
    in the table and Markdown, JSON round-trips it, and CSV defuses the formula."""
    plan = tmp_path / "targets.yaml"
    plan.write_text(targets_text(HOSTILE_UNIT), encoding="utf-8")
    folder = tmp_path / "actuals"
    write_table(folder / "2025-06-县卫健局.csv", [["持证养老护理员", "9", "个"]])
    for fmt in ("table", "markdown"):
        out = run(folder, "--targets", plan, "--format", fmt).stdout
        assert "[bold]县<b>民社局:thumbs_up:" in out, fmt
    _, document = as_json(folder, "--targets", plan)
    assert HOSTILE_UNIT in [u["unit"] for u in document["units"]]
    rows = list(csv.reader(io.StringIO(run(folder, "--targets", plan, "--format", "csv").stdout)))
    assert "'" + HOSTILE_UNIT in [row[0] for row in rows]


@pytest.mark.parametrize(
    "sender", ["县\x1b[31m局", "县\r局", "县\u202e局", "县[red]局", "县\x85局"]
)
def test_a_sender_with_control_characters_is_escaped(tmp_path, plan, sender):
    """A file name holding ESC, CR, a bidi override, markup or a C1 control: the sender is
    shown escaped in every text format (never raw on the terminal), and JSON keeps it."""
    folder = tmp_path / "actuals"
    write_table(folder / f"2025-06-{sender}.csv", [["持证养老护理员", "9", "个"]])
    for fmt in ("table", "markdown", "csv"):
        result = run(folder, "--targets", plan, "--format", fmt)
        assert result.exit_code == 1
        for raw in ("\x1b", "\r", "\u202e", "\x85"):
            assert raw not in result.stdout and raw not in result.stderr, (fmt, raw)
    out = run(folder, "--targets", plan).stdout
    assert "非方案所列单位" in out
    if "[red]" in sender:
        assert "县[red]局" in out
    _, document = as_json(folder, "--targets", plan)
    assert document["files"][0]["sender"] == sender
    assert document["files"][0]["unit"] is None


# ---------------------------------------------------------------------------
# The bundled plan, the installed command


def test_the_sample_june_split_into_units_files_lists_the_same_as_one_file(tmp_path):
    """June's sample as units' files (one GBK, one .xlsx) has exactly the arrivals and
    gaps of the combined file; each file is credited to its unit."""
    lines = (SAMPLES / "2025-06.csv").read_text(encoding="utf-8-sig").splitlines()
    rows = [next(csv.reader([line])) for line in lines[1:]]
    combined, split = tmp_path / "combined", tmp_path / "split"
    write_table(combined / "2025-06.csv", rows)
    names = ["2025-06-县民社局.csv", "2025-06 县住建局.xlsx", "2025-06-县文广旅体局.csv"]
    for index, (name, encoding) in enumerate(zip(names, ["utf-8", "", "gbk"], strict=True)):
        write_table(split / name, rows[index::3], encoding)
    _, one = as_json(combined)
    _, many = as_json(split)
    assert many["units"] == [{**unit, "files": many_files(many, unit)} for unit in one["units"]]
    assert many["unassigned"] == one["unassigned"]
    assert sorted(f["unit"] for f in many["files"]) == ["县住建局", "县文广旅体局", "县民社局"]
    assert sum(f["rows"] for f in many["files"]) == one["files"][0]["rows"]


def many_files(document: dict, unit: dict) -> list[str]:
    return [f["file"] for f in document["files"] if f["unit"] == unit["unit"]]


def test_the_installed_command_exits_1_and_help_stays_light(tmp_path, plan):
    """The installed `gongfu submissions` exits 1 on a month with gaps; its --help loads
    neither openpyxl nor the targets models."""
    folder = june_folder(tmp_path)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "gongfu_cli",
            "submissions",
            str(folder),
            "--targets",
            str(plan),
            "-f",
            "markdown",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "瓶改管改造小区" in done.stdout
    code = (
        "import sys; sys.argv = ['gongfu', 'submissions', '--help']\n"
        "from gongfu_cli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('HEAVY', [m for m in ('openpyxl', 'gongfu_cli.model.targets', 'rich.table')"
        " if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=False
    )
    assert "HEAVY []" in done.stdout
