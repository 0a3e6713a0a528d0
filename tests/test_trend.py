"""gongfu trend: the year month by month."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from conftest import SAMPLES
from gongfu_cli.cli import app
from gongfu_cli.render.trend import sparkline

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.mark.parametrize(
    ("values", "low", "high", "line"),
    [
        ([0.0, 0.5, 1.0], 0.0, 1.0, "▁▅█"),
        ([0.25, None, 0.5], 0.0, 1.0, "▃ ▅"),  # a month with no figure is a gap
        ([16.8, 15.4], None, None, "█▁"),  # own scale: a falling rate falls
        ([3.0, 3.0], None, None, "██"),  # flat
        ([None, None], 0.0, 1.0, ""),
        ([0.5, 1.2], 0.0, 1.0, "▄█"),  # beyond 100%: the scale stretches
    ],
)
def test_sparkline(values, low, high, line):
    assert sparkline(values, low, high) == line


def test_trend_table_has_a_column_per_month_and_a_sparkline():
    result = run("trend", str(SAMPLES))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert all(f"{m}月" in out for m in range(1, 7))
    tourism = next(line for line in out.splitlines() if "旅游总收入" in line)
    assert "41/50" in tourism and "▁▂▂▃▃▄" in tourism
    assert "另有" in out  # indicators with no figure all year are counted, not silently dropped


def test_trend_json_is_the_year_month_by_month(targets):
    document = json.loads(run("trend", str(SAMPLES), "-f", "json").stdout)
    assert document["periods"] == [f"2025-0{m}" for m in range(1, 7)]
    tourism = next(i for i in document["indicators"] if i["id"] == "tourism_revenue")
    assert [m["actual"] for m in tourism["months"]] == [6.2, 14.5, 24, 38, 55, 66]
    assert [m["light"] for m in tourism["months"]][-1] == "red"
    assert tourism["months"][-1]["time_progress"] == 0.5


def test_one_indicator_month_by_month():
    """--indicator (id or Chinese name) gives one row per month with gap and projection."""
    by_name = run("trend", str(SAMPLES), "-i", "旅游总收入")
    by_id = run("trend", str(SAMPLES), "-i", "tourism_revenue")
    assert by_name.stdout == by_id.stdout
    june = next(line for line in by_name.stdout.splitlines() if "2025-06" in line)
    assert "66 亿元" in june and "41.2%" in june and "8.8" in june and "132 亿元 难完成" in june


def test_unknown_indicator_exits_2():
    result = run("trend", str(SAMPLES), "-i", "不存在的指标")
    assert result.exit_code == 2 and "找不到指标" in result.stderr


def test_trend_csv_is_long_form():
    rows = list(csv.DictReader(io.StringIO(run("trend", str(SAMPLES), "-f", "csv").stdout)))
    tourism = [r for r in rows if r["id"] == "tourism_revenue"]
    assert [r["period"] for r in tourism] == [f"2025-0{m}" for m in range(1, 7)]
    assert tourism[-1]["light"] == "red"


def test_trend_markdown():
    out = run("trend", str(SAMPLES), "-f", "markdown", "--lang", "en").stdout
    assert out.startswith("### 2025-01 to 2025-06 trend")
    assert "| Total tourism revenue | yellow 4/8 |" in out


def test_a_missing_report_shows_in_its_month():
    """农村公路新改建 is due in June and absent: its June cell says 未报送, not blank."""
    out = run("trend", str(SAMPLES)).stdout
    road = next(line for line in out.splitlines() if "农村公路新改建" in line)
    assert "● 未报送" in road
    gdp = next(line for line in out.splitlines() if "地区生产总值" in line)
    assert "未报送" not in gdp  # May owes no GDP figure: blank
