"""gongfu profile: a seasonal profile from last year's files, pasted into targets.yaml."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT, SAMPLES
from gongfu_cli.cli import app
from gongfu_cli.judge.profile import seasonal_profile

runner = CliRunner()

# An illustrative 2024 of tourism revenue (亿元 a month), summer-heavy.
MONTHLY_2024 = [4, 4, 6, 9, 12, 14, 24, 26, 14, 12, 9, 6]


def TOURISM(targets):
    return targets.by_id["tourism_revenue"]


def run(*args: str):
    return runner.invoke(app, list(args))


def write_year(folder: Path, monthly=MONTHLY_2024, skip=(1,), indicator="tourism_revenue"):
    """Year-to-date files as a county publishes them: 1–2月 together, so no January."""
    folder.mkdir(exist_ok=True)
    ytd = 0.0
    for month, amount in enumerate(monthly, start=1):
        ytd += amount
        if month in skip:
            continue
        body = f"指标,数值,单位\n{indicator},{ytd:g},亿元\n"
        (folder / f"2024-{month:02d}.csv").write_bytes(body.encode("gbk"))
    return folder


def test_profile_is_each_months_share(tmp_path, targets):
    """Monthly amounts from differences of year-to-date figures, as shares of the year."""
    result = seasonal_profile(write_year(tmp_path / "2024"), targets, TOURISM(targets))
    total = sum(MONTHLY_2024)
    expected = [100 * a / total for a in MONTHLY_2024]
    expected[0] = expected[1] = 100 * 8 / total / 2  # 1–2月 spread evenly over two months
    assert result.shares == pytest.approx(expected)
    assert sum(result.shares) == pytest.approx(100)


def test_quarterly_figures_spread_over_their_quarter(tmp_path, targets):
    folder = write_year(tmp_path / "q", skip=(1, 2, 4, 5, 7, 8, 10, 11))
    shares = seasonal_profile(folder, targets, TOURISM(targets)).shares
    assert shares[0] == shares[1] == shares[2]
    assert shares[6] == pytest.approx(100 * (24 + 26 + 14) / sum(MONTHLY_2024) / 3)


def test_profile_pastes_into_targets_and_changes_the_verdict(tmp_path):
    """The printed YAML, pasted in place of tourism's pace, turns June's red into green."""
    printed = run("profile", str(write_year(tmp_path / "2024")), "-i", "旅游总收入")
    assert printed.exit_code == 0, printed.output
    snippet = printed.stdout
    assert "pace: seasonal" in snippet and re.search(
        r"profile: \[(\d+\.\d, ){11}\d+\.\d\]", snippet
    )

    text = (ROOT / "data" / "targets.yaml").read_text(encoding="utf-8")
    block = text.index("  - id: tourism_revenue")
    pace = text.index("    pace: linear\n", block)
    seasonal = text[:pace] + snippet + text[pace + len("    pace: linear\n") :]
    targets_file = tmp_path / "targets.yaml"
    targets_file.write_text(seasonal, encoding="utf-8")

    assert run("targets", "--targets", str(targets_file)).exit_code == 0
    linear = json.loads(run("check", str(SAMPLES), "-f", "json").stdout)
    season = json.loads(
        run("check", str(SAMPLES), "-f", "json", "--targets", str(targets_file)).stdout
    )
    before = next(i for i in linear["indicators"] if i["id"] == "tourism_revenue")
    after = next(i for i in season["indicators"] if i["id"] == "tourism_revenue")
    assert before["light"] == "red" and before["time_progress"] == 0.5
    assert after["time_progress"] == pytest.approx(
        sum(MONTHLY_2024[:6]) / sum(MONTHLY_2024), abs=1e-3
    )
    assert after["light"] == "green" and after["projected_to_miss"] is False


@pytest.mark.parametrize(
    ("monthly", "skip", "indicator", "message"),
    [
        (MONTHLY_2024, (1, 12), "tourism_revenue", "缺少 2024-12 的全年累计数"),
        ([4, 4, -6, 9, 12, 14, 24, 26, 14, 12, 9, 6], (), "tourism_revenue", "小于上期"),
        (MONTHLY_2024, (), "air_good_days_ratio", "不是累计类指标"),
    ],
)
def test_profile_refuses_what_it_cannot_compute(tmp_path, monthly, skip, indicator, message):
    """No December, a falling year-to-date figure, or a rate: exit 1 with the reason."""
    folder = write_year(tmp_path / "y", monthly=monthly, skip=skip)
    result = run("profile", str(folder), "-i", indicator)
    assert result.exit_code == 1
    assert "[profile-incomplete]" in result.stderr and message in result.stderr
