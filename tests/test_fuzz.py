"""No input can break gongfu: random, truncated and mutated files, odd encodings, random YAML.

Each property asserts that the reader raises nothing but GongfuError, and that the
CLI exits 0 or 1 with no traceback: 2 is kept for a missing path or a bad option.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import ROOT, SAMPLES
from gongfu_cli.cli import app
from gongfu_cli.judge.validate import validate_files
from gongfu_cli.model.problems import GongfuError
from gongfu_cli.read.actuals import read_actuals
from gongfu_cli.read.targets_file import load_targets

runner = CliRunner()
# CI runs a fixed (derandomised) set of examples so that a green build stays
# green; `HYPOTHESIS_PROFILE=explore python -m pytest tests/test_fuzz.py` searches
# far more widely, with fresh random examples each run.
_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture]}
settings.register_profile("ci", max_examples=120, derandomize=True, **_COMMON)
settings.register_profile("explore", max_examples=2000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
FUZZ = settings()
VALID = (SAMPLES / "2025-06.csv").read_bytes()
TARGETS_TEXT = (ROOT / "data" / "targets.yaml").read_text(encoding="utf-8")


def assert_survives(path: Path, targets) -> None:
    """Library and CLI both handle the file without an unexpected exception."""
    try:
        read_actuals(path, targets)
    except GongfuError as exc:
        assert exc.problems and all(p.file == str(path) for p in exc.problems)
    report = validate_files([path], targets)
    assert all(p.file for p in report.problems)
    for args in (["validate", str(path)], ["check", str(path), "--format", "json"]):
        result = runner.invoke(app, args)
        assert result.exit_code in (0, 1), (args, result.output)
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        ), result.exception
        assert "Traceback" not in result.output


def write(tmp_path: Path, data: bytes, name: str = "2025-06.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes(tmp_path, targets, data):
    assert_survives(write(tmp_path, data), targets)


@FUZZ
@given(data=st.binary(max_size=500))
def test_random_bytes_as_xlsx(tmp_path, targets, data):
    assert_survives(write(tmp_path, b"PK\x03\x04" + data, "2025-06.xlsx"), targets)


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(VALID)))
def test_truncated_valid_file(tmp_path, targets, cut):
    assert_survives(write(tmp_path, VALID[:cut]), targets)


@FUZZ
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(VALID) - 1), st.binary(min_size=0, max_size=4)),
        min_size=1,
        max_size=8,
    )
)
def test_mutated_valid_file(tmp_path, targets, edits):
    data = bytearray(VALID)
    for position, replacement in edits:
        position = min(position, len(data))
        data[position : position + 1] = replacement
    assert_survives(write(tmp_path, bytes(data)), targets)


cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "new_jobs",
            "旅游总收入",
            "gdp",
            "fitness_center_open",
            "1,234",
            "９９%",
            "-",
            "暂无",
            "A",
            "已完成",
            "1e309",
            "nan",
            "inf",
            '"',
            "=1+1",
        ]
    ),
)


@FUZZ
@given(
    header=st.lists(
        st.sampled_from(["指标", "数值", "单位", "备注", "期间", "value", "indicator", "x", ""]),
        min_size=0,
        max_size=6,
    ),
    rows=st.lists(st.lists(cell, max_size=6), max_size=20),
    encoding=st.sampled_from(
        [
            "utf-8",
            "utf-8-sig",
            "gb18030",
            "utf-16",
            "utf-32",
            "latin-1",
            "big5",
            "shift_jis",
            "cp1252",
        ]
    ),
)
def test_random_tables_in_odd_encodings(tmp_path, targets, header, rows, encoding):
    text = "\n".join(",".join(row) for row in [header, *rows])
    data = text.encode(encoding, errors="replace")
    assert_survives(write(tmp_path, data), targets)


@FUZZ
@given(text=st.text(max_size=400))
def test_random_yaml(tmp_path, text):
    path = tmp_path / "targets.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_targets(path)
    except GongfuError as exc:
        assert exc.problems and exc.problems[0].code.startswith("targets-")
    result = runner.invoke(app, ["targets", "--targets", str(path), "--format", "json"])
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output


@FUZZ
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(TARGETS_TEXT) - 1), st.text(max_size=3)),
        min_size=1,
        max_size=5,
    )
)
def test_mutated_targets_file(tmp_path, edits):
    text = TARGETS_TEXT
    for position, replacement in edits:
        text = text[:position] + replacement + text[position + 1 :]
    path = tmp_path / "targets.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", str(SAMPLES / "2025-06.csv"), "--targets", str(path)])
    assert result.exit_code in (0, 1, 2)  # 2: a broken targets file means it cannot run
    assert "Traceback" not in result.output


def test_hundred_thousand_bad_rows_in_seconds(tmp_path, targets):
    """100,000 rows of duplicates and unknown indicators: seconds, every bad row listed
    up to the cap and the rest counted in one too-many-problems error."""
    rows = ["indicator,value"] + [
        ("new_jobs,5" if i % 2 else f"unknown_{i % 7},5") for i in range(100_000)
    ]
    path = write(tmp_path, "\n".join(rows).encode())
    started = time.perf_counter()
    report = validate_files([path], targets)
    elapsed = time.perf_counter() - started
    assert elapsed < 10, elapsed
    *listed, summary = report.errors
    assert summary.code == "too-many-problems"
    # one new_jobs row is the original; every other row is listed or counted
    assert len(listed) + summary.params["count"] == 100_000 - 1
    text = runner.invoke(app, ["validate", str(path)]).stdout
    assert len(text.splitlines()) < 120


def test_fifty_megabyte_cell_in_seconds(tmp_path, targets):
    path = write(tmp_path, b"indicator,value\nnew_jobs," + b"7" * 50_000_000 + b"\n")
    started = time.perf_counter()
    report = validate_files([path], targets)
    assert time.perf_counter() - started < 10
    assert [p.code for p in report.errors] == ["invalid-number"]


def test_fifty_megabyte_cell_in_bounded_memory(tmp_path):
    """The whole command stays well under 8x the file size (it peaked at 573 MB once).

    The child reports its own peak (VmHWM, reset when it starts the interpreter):
    getrusage's figure for children also counts the memory of the pytest process
    that started it, so it grew with whatever earlier tests had loaded."""
    import subprocess
    import sys

    if not Path("/proc/self/status").exists():
        pytest.skip("the peak is read from /proc (Linux)")
    path = write(tmp_path, b"indicator,value,note\nnew_jobs," + b"7" * 50_000_000 + b",ok\n")
    child = (
        "import re, runpy, sys\n"
        "sys.argv = ['gongfu', 'validate', sys.argv[1]]\n"
        "try:\n    runpy.run_module('gongfu_cli', run_name='__main__')\n"
        "except SystemExit as end:\n    code = end.code\n"
        "status = open('/proc/self/status').read()\n"
        "sys.stderr.write('PEAK_KB %s' % re.search(r'VmHWM:\\s+(\\d+)', status).group(1))\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", child, str(path)], capture_output=True, text=True)
    assert done.returncode == 1 and "[invalid-number]" in done.stdout
    peak_mb = int(re.search(r"PEAK_KB (\d+)", done.stderr).group(1)) / 1024
    assert peak_mb < 300, peak_mb


def test_csv_output_neutralises_formulas(tmp_path):
    """A name or owner starting with = + - @ cannot run as a spreadsheet formula."""
    text = TARGETS_TEXT.replace("name: 地区生产总值\n", 'name: =HYPERLINK("x")\n', 1)
    targets_path = tmp_path / "targets.yaml"
    targets_path.write_text(text, encoding="utf-8")
    result = runner.invoke(
        app,
        ["check", str(SAMPLES / "2025-06.csv"), "--format", "csv", "--targets", str(targets_path)],
    )
    assert "'=HYPERLINK" in result.stdout
    assert ",=HYPERLINK" not in result.stdout


@pytest.mark.parametrize(
    "text", ["!!python/object/apply:os.system ['touch pwned']", "plan: !!python/name:os.system"]
)
def test_no_code_runs_from_a_targets_file(tmp_path, text):
    path = tmp_path / "targets.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GongfuError) as caught:
        load_targets(path)
    assert caught.value.problems[0].code == "targets-unsafe-tag"
    assert not (tmp_path / "pwned").exists()


# Five commands over a year per example: a third of the examples keeps CI quick.
@settings(FUZZ, max_examples=max(1, FUZZ.max_examples // 3))
@given(
    may=st.binary(max_size=800),
    march=st.one_of(st.just((SAMPLES / "2025-03.csv").read_bytes()), st.binary(max_size=400)),
)
def test_broken_earlier_months_never_break_the_review(tmp_path, may, march):
    """Whatever the earlier files hold, June's review, trend, owners and report still run.

    Only the month under review may fail a command; earlier months are history.
    """
    folder = tmp_path / "year"
    folder.mkdir(exist_ok=True)
    write(folder, VALID, "2025-06.csv")
    write(folder, may, "2025-05.csv")
    write(folder, march, "2025-03.csv")
    out = tmp_path / "report.html"
    for args in (
        ["check", str(folder), "--format", "json"],
        ["brief", str(folder)],
        ["trend", str(folder), "--format", "json"],
        ["owners", str(folder), "--format", "json"],
        ["report", str(folder), "-o", str(out), "--force"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.output)
        assert "Traceback" not in result.output
