"""Hostile and odd inputs everywhere a user's text enters gongfu (issue 8).

Naughty strings (markup, control characters, bidi overrides, format strings,
forged CI annotations …) as indicator names, notes, units, file names, targets
text and option values; random Excel number formats; random YAML scalars in
every numeric field of targets.yaml; byte mutations of GBK and UTF-16 files.
Every property asserts that:
- nothing but SystemExit escapes, and no internal error is reported;
- every JSON output parses (no NaN or Infinity);
- no raw control character reaches a text output (terminal, CI log);
- every input row is used or reported with its line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import MINIMAL_TARGET, ROOT
from gongfu_cli.cli import app
from gongfu_cli.model.problems import GongfuError
from gongfu_cli.read.actuals import read_actuals
from gongfu_cli.read.targets_file import load_targets
from test_fuzz import FUZZ

runner = CliRunner()

# A selection in the spirit of the Big List of Naughty Strings, plus the shapes
# that broke gongfu before: rich markup, ESC sequences, forged annotations.
NAUGHTY = [
    "[bold]旅游[/bold]",
    "[/]",
    "[/|\\]",
    "[link=https://example.invalid]点我[/link]",
    "[red]红灯",
    "\x1b[31m红\x1b[0m",
    "\x1b]8;;https://example.invalid\x1b\\链接\x1b]8;;\x1b\\",
    "备注\n::error file=data/targets.yaml,line=1::forged",
    "a\rb",
    "\x00NUL",
    "\x7f\x9b31m",
    "\u202eevil\u202c",
    "\u2066isolate\u2069",
    "\ufeffBOM",
    "zero\u200bwidth",
    "{0}{name}%s%d%%",
    "{indicator}",
    "../../etc/passwd",
    "C:\\Windows\\system32",
    "'; DROP TABLE targets; --",
    "<script>alert(1)</script>",
    "=1+1",
    "@SUM(A1)",
    "𝕿𝖍𝖊 emoji 👨‍👩‍👧 🏝️",
    "ثلاثة",
    "中" * 300,
    " ",
    "\u3000",
    "null",
    "NaN",
    "Infinity",
    "-1e309",
    "１e９９９",
    '"',
    '"按统计局口径',
    ",,,",
    "\t",
]

# Control characters that must never reach a text output raw: C0 but tab and
# newline, DEL, C1 (0x9b is a one-byte CSI on some terminals), bidi overrides.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def refuse_constant(name: str):
    raise AssertionError(f"JSON output carries {name}")


def assert_clean_run(args: list[str], allowed=(0, 1)) -> str:
    """Run the CLI: an allowed exit code, no exception, no internal error, parsable JSON,
    no raw control character in what it prints."""
    result = runner.invoke(app, args)
    assert result.exit_code in allowed, (args, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    output = result.stdout + result.stderr
    assert "internal error" not in output and "内部错误" not in output, output
    assert "Traceback" not in output
    raw = RAW_CONTROL.search(output)
    assert raw is None, (args, repr(output[max(0, raw.start() - 40) : raw.end() + 40]))
    if "json" in args and result.stdout.strip():
        json.loads(result.stdout, parse_constant=refuse_constant)
    return result.stdout


def accounted(path: Path, targets, data_lines: list[int]) -> None:
    """Every data line is a reading, or a located problem, or counted past the cap."""
    try:
        actuals = read_actuals(path, targets)
    except GongfuError as exc:
        assert exc.problems  # the whole file is refused, with located problems
        return
    lines = {r.line for r in actuals.readings.values()}
    lines |= {p.line for p in actuals.problems if p.line is not None}
    for p in actuals.problems:
        if p.code == "too-many-problems":
            lines |= set(range(p.params["first"], p.params["last"] + 1))
    missing = [line for line in data_lines if line not in lines]
    assert not missing, (missing, actuals.problems)


def csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


# ---------------------------------------------------------------------------
# Naughty text in data files


@pytest.mark.parametrize("naughty", NAUGHTY)
@pytest.mark.parametrize("where", ["indicator", "note", "unit", "value"])
def test_naughty_text_in_a_data_file(tmp_path, targets, naughty, where):
    """A naughty cell anywhere in a row: every command survives, prints it safely,
    and the row is used or reported."""
    row = {"indicator": "旅游总收入", "value": "66", "unit": "亿元", "note": "按统计局口径"}
    row[where] = naughty
    text = "指标,数值,单位,备注\n" + ",".join(csv_cell(row[c]) for c in row) + "\n"
    text += "新增就业岗位,520,个,\n"
    path = tmp_path / "2025-06.csv"
    path.write_text(text, encoding="utf-8")
    spans = sum(row[c].count("\n") + row[c].count("\r") for c in row)  # quoted breaks
    accounted(path, targets, [2, 3 + spans])
    for fmt in ("table", "json", "csv", "markdown", "text"):
        assert_clean_run(["check", str(path), "--format", fmt])
    for fmt in ("text", "json", "github"):
        assert_clean_run(["validate", str(path), "--format", fmt])
    assert_clean_run(["trend", str(tmp_path), "--format", "json"])
    assert_clean_run(["owners", str(tmp_path), "--format", "table"])


@pytest.mark.parametrize("naughty", [n for n in NAUGHTY if "/" not in n and "\\" not in n])
def test_naughty_file_names(tmp_path, naughty):
    """A naughty file name (after the period) never breaks a review or validation."""
    name = "2025-06-" + naughty[:60] + ".csv"
    try:
        path = tmp_path / name
        path.write_text("指标,数值\n新增就业岗位,520\n", encoding="utf-8")
    except (OSError, ValueError):
        pytest.skip("the file system refuses this name")
    # 2 where the name stops being a month's (2025-06-１e９ reads as a date): the folder
    # then has no monthly file, and says why about this one
    assert_clean_run(["check", str(tmp_path)], allowed=(0, 1, 2))
    assert_clean_run(["check", str(tmp_path), "--format", "json"], allowed=(0, 1, 2))
    assert_clean_run(["validate", str(tmp_path), "--format", "github"], allowed=(0, 1, 2))


@pytest.mark.parametrize("naughty", NAUGHTY)
@pytest.mark.parametrize(
    "option", ["--owner", "--status", "--period", "--targets", "--lang", "--format"]
)
def test_naughty_option_values(tmp_path, naughty, option):
    """Any option value is used or refused with a message (exit 2), never a crash."""
    path = tmp_path / "2025-06.csv"
    path.write_text("指标,数值\n新增就业岗位,520\n", encoding="utf-8")
    if "\x00" in naughty and option == "--targets":
        pytest.skip("a NUL cannot be in a path handed to the OS")
    assert_clean_run(["check", str(path), option, naughty], allowed=(0, 1, 2))


@pytest.mark.parametrize("naughty", NAUGHTY[:20])
def test_naughty_indicator_option_for_trend(tmp_path, naughty):
    path = tmp_path / "2025-06.csv"
    path.write_text("指标,数值\n新增就业岗位,520\n", encoding="utf-8")
    assert_clean_run(["trend", str(tmp_path), "--indicator", naughty], allowed=(0, 1, 2))


# ---------------------------------------------------------------------------
# Naughty text in targets.yaml


@pytest.mark.parametrize("naughty", NAUGHTY)
@pytest.mark.parametrize("field", ["name", "name_en", "unit", "owner", "quote", "plan"])
def test_naughty_targets_text(tmp_path, naughty, field):
    """Naughty text in the targets file is refused with a located problem or printed
    as text by every command, the Excel template included."""
    data = yaml.safe_load(MINIMAL_TARGET)
    indicator = data["indicators"][0]
    if field == "owner":
        indicator["owners"] = [naughty]
    elif field == "plan":
        data["plan"] = naughty
    else:
        indicator[field] = naughty
    targets_path = tmp_path / "targets.yaml"
    targets_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    folder = tmp_path / "actuals"
    folder.mkdir()
    (folder / "2025-06.csv").write_text("indicator,value\ngdp,86\n", encoding="utf-8")
    t = ["--targets", str(targets_path)]
    assert_clean_run(["targets", *t], allowed=(0, 1, 2))
    assert_clean_run(["targets", *t, "--format", "json"], allowed=(0, 1, 2))
    for fmt in ("table", "json", "markdown", "text", "csv"):
        assert_clean_run(["check", str(folder), *t, "--format", fmt], allowed=(0, 1, 2))
    out = tmp_path / "t.xlsx"
    assert_clean_run(["template", "2025-06", "--xlsx", "-o", str(out), *t], allowed=(0, 1, 2))
    report = tmp_path / "r.html"
    assert_clean_run(["report", str(folder), "-o", str(report), *t], allowed=(0, 1, 2))


# ---------------------------------------------------------------------------
# Random YAML scalars in every numeric field

NUMERIC_FIELDS = ["target", "tolerance", "yellow_band", "due_month", "year", "bounds", "profile"]
YAML_SCALARS = st.one_of(
    st.sampled_from(
        [
            ".nan",
            ".inf",
            "-.inf",
            "1e309",
            "-1e309",
            "1e15",
            "0",
            "-0",
            "1" * 5000,
            "0x1F",
            "0o17",
            "1_000",
            "~",
            "null",
            "true",
            "'12'",
            "2025-06-30",
            "[]",
            "{}",
            "!!binary aGk=",
            "[100, 0]",
            "[.nan, 1]",
            "12:30:00",
            "+.5",
            "1e-400",
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers().map(str),
    st.text(max_size=12).map(json.dumps),
)


@FUZZ
@given(field=st.sampled_from(NUMERIC_FIELDS), scalar=YAML_SCALARS)
def test_random_scalars_in_numeric_targets_fields(tmp_path, field, scalar):
    """Any scalar in a numeric field: a located problem, or finite figures that load."""
    text = MINIMAL_TARGET
    if field == "year":
        text = text.replace("year: 2025", f"year: {scalar}")
    elif field == "profile":
        text = text.replace(
            "pace: linear", f"pace: seasonal\n    profile: [{scalar}" + ", 1" * 11 + "]"
        )
    elif field == "bounds":
        text = text.replace("target: 180", f"target: 180\n    bounds: {scalar}")
    elif field == "target":
        text = text.replace("target: 180", f"target: {scalar}")
    else:
        text = text.replace("target: 180", f"target: 180\n    {field}: {scalar}")
    path = tmp_path / "targets.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        catalogue = load_targets(path)
    except GongfuError as exc:
        assert all(p.file == str(path) for p in exc.problems)
        return
    for ind in catalogue.indicators:
        for value in (
            ind.target,
            ind.baseline,
            ind.tolerance,
            *(ind.bounds or ()),
            *(ind.profile or ()),
        ):
            assert value is None or abs(value) < float("inf")
    assert_clean_run(["targets", "--targets", str(path), "--format", "json"])


# ---------------------------------------------------------------------------
# Random Excel number formats

NUMBER_FORMATS = st.one_of(
    st.sampled_from(
        [
            '0.0"%"',
            "0.0\\%",
            "0.0%",
            "0%",
            '0!.0,,"亿"',
            '#,##0,"千"',
            '0.0"万元"',
            "0.00E+00",
            "[Red]0.0%;[Blue]-0.0%",
            '"%"0',
            "@",
            "General",
            "yyyy-mm",
            '0.0;-0.0;"-"',
            "# ?/?",
            '[>=100000000]0,,,"亿";0',
            "0.0‰",
            "[$-804]0.0%",
        ]
    ),
    st.text(alphabet='0#.,%"\\!;@[]$-亿万元 ', max_size=12),
)


@FUZZ
@given(fmt=NUMBER_FORMATS, value=st.one_of(st.integers(-(10**12), 10**12), st.floats(-1e12, 1e12)))
def test_random_number_formats_in_xlsx(tmp_path, targets, fmt, value):
    """Any number format on a figure: the row is used or reported, the run is clean."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["指标", "数值"])
    sheet.append(["县域就诊率", value])
    sheet["B2"].number_format = fmt
    path = tmp_path / "2025-06.xlsx"
    workbook.save(path)
    accounted(path, targets, [2])
    assert_clean_run(["check", str(path), "--format", "json"])


# ---------------------------------------------------------------------------
# Byte mutations of GBK and UTF-16 files

GBK_FILE = (
    "指标,数值,单位,备注\n旅游总收入,66,亿元,按统计局口径\n新增就业岗位,520,个,\n"
    "供水管网漏损率,14.8%,,\n建成投用全民健身中心,推进中,,\n"
).encode("gbk")
UTF16_FILE = "指标\t数值\n旅游总收入\t66\n新增就业岗位\t520\n".encode("utf-16")


@FUZZ
@given(
    base=st.sampled_from([GBK_FILE, UTF16_FILE]),
    edits=st.lists(
        st.tuples(st.integers(0, 200), st.integers(0, 255), st.sampled_from(["set", "del", "ins"])),
        min_size=1,
        max_size=4,
    ),
)
def test_byte_mutations_of_gbk_and_utf16(tmp_path, targets, base, edits):
    """A damaged GBK or UTF-16 file is read or refused with located problems; never
    mojibake or a raw control character in any output."""
    data = bytearray(base)
    for position, byte, how in edits:
        position %= len(data) or 1
        if how == "set" and data:
            data[position] = byte
        elif how == "del" and data:
            del data[position]
        else:
            data.insert(position, byte)
    path = tmp_path / "2025-06.csv"
    path.write_bytes(bytes(data))
    try:
        read_actuals(path, targets)
    except GongfuError as exc:
        assert exc.problems
    assert_clean_run(["check", str(path), "--format", "json"])
    assert_clean_run(["validate", str(path), "--format", "github"])
    assert_clean_run(["check", str(path)])


def test_bundled_sample_year_is_clean():
    """The property helpers themselves: the bundled year passes them (so they can pass)."""
    assert_clean_run(["check", str(ROOT / "data" / "actuals"), "--format", "json"])
    assert_clean_run(["validate", str(ROOT / "data" / "actuals"), "--format", "github"])
