"""The briefing paragraph and the owners' scoreboard, on the sample year."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from conftest import SAMPLES
from gongfu_cli.cli.root import app
from gongfu_cli.judge.scoreboard import scoreboard
from gongfu_cli.judge.year import evaluate_year
from gongfu_cli.model.owners import UNASSIGNED
from gongfu_cli.render.brief import brief, figure, goal

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def june(targets):
    return evaluate_year(SAMPLES, targets).latest


# ---------------------------------------------------------------------------
# the paragraph


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (172.0, "亿元", "172亿元"),
        (0.9, "亿单位", "0.9亿单位"),
        (16.4444, "公里", "16.44公里"),
        (97.2, "%", "97.2%"),
        (100, "%", "100.0%"),
    ],
)
def test_figures_are_written_as_officials_write_them(value, unit, text):
    """No space before the unit; % to one decimal; other figures to at most two."""
    assert figure(value, unit) == text


def test_targets_are_written_as_the_plan_writes_them():
    assert (goal(6, "%"), goal(180, "亿元"), goal(1.2, "亿吨")) == ("6%", "180亿元", "1.2亿吨")


def test_paragraph_says_everything_a_briefing_needs(june, targets):
    """Period, scope, counts by light, red with gap and owners, newly red, misses, missing:
    one paragraph a line (test_brief_paragraphs compares them whole)."""
    text = brief(june, june.evaluations, "zh", targets.plan)
    assert text.startswith(f"截至2025年6月，《{targets.plan}》监测指标和任务共91项")
    lights = june.lights()
    assert (
        f"绿灯{lights['green']}项、黄灯{lights['yellow']}项、红灯{lights['red']}项、"
        f"灰灯{lights['grey']}项"
    ) in text
    assert "旅游总收入（累计66亿元，完成率41.2%，序时进度50.0%，落后8.8个百分点" in text
    assert "每万老年人口拥有持证养老护理员数（24人，低于目标25人）" in text
    assert "较上月新亮红灯1项：开发公益性岗位（5月黄灯）" in text
    assert "按目前进度，预计全年难以完成8项" in text
    assert "供水管网漏损率（15.4%，高于目标15%，相差0.4个百分点）" in text
    assert "未报送2项：农村公路新改建（责任单位：县公安局）" in text
    assert len(text.splitlines()) == 6  # 总体, 红, 黄, 较上月, 预计, 未报送


def test_paragraph_counts_add_up(june, targets):
    """绿+黄+红+灰 = the total, and the grey ones by reason add up to 灰灯."""
    import re

    text = brief(june, june.evaluations, "zh", targets.plan)
    found = re.search(
        r"共(\d+)项：绿灯(\d+)项、黄灯(\d+)项、红灯(\d+)项、灰灯(\d+)项（([^）]*)）", text
    )
    assert found is not None
    total, g, y, r, grey = map(int, found.groups()[:5])
    assert g + y + r + grey == total == len(june.evaluations)
    assert sum(map(int, re.findall(r"(\d+)项", found.group(6)))) == grey


def test_paragraph_without_history_says_nothing_about_last_month(tmp_path, targets):
    import shutil

    shutil.copy(SAMPLES / "2025-06.csv", tmp_path / "2025-06.csv")
    lone = evaluate_year(tmp_path, targets).latest
    text = brief(lone, lone.evaluations, "zh", targets.plan)
    assert "较上月" not in text


def test_english_paragraph(june, targets):
    text = brief(june, june.evaluations, "en", targets.plan_en)
    assert text.startswith("As of 2025-06, 91 indicators and tasks")
    assert "Since 2025-05, 1 turned red: Public-welfare jobs created (yellow in 2025-05)." in text


def test_brief_command_is_check_format_text():
    """gongfu brief PATH prints exactly what check --format text prints."""
    assert run("brief", str(SAMPLES)).stdout == run("check", str(SAMPLES), "-f", "text").stdout
    owned = run("brief", str(SAMPLES), "--owner", "县农业农村局").stdout
    assert "县农业农村局负责的监测指标和任务共14项" in owned


# ---------------------------------------------------------------------------
# the scoreboard


def test_scoreboard_puts_the_units_most_behind_first(june):
    """Sorted by red, then yellow, then share green; every unit's items are its own."""
    scores = scoreboard(june.evaluations)
    named = [s for s in scores if s.owner != UNASSIGNED]
    keys = (
        [(-s.count_red, -s.count_yellow) for s in named]
        if False
        else [(-len(s.red), -len(s.yellow)) for s in named]
    )
    assert keys == sorted(keys)
    assert scores[-1].owner == UNASSIGNED  # indicators with no unit come last
    for score in named:
        assert all(score.owner in e.indicator.owners for e in score.evaluations)


def test_every_indicator_appears_on_the_scoreboard(june):
    """Nothing drops out: each indicator is under each of its units, or under 'no unit'."""
    scores = scoreboard(june.evaluations)
    seen = {(s.owner, e.indicator.id) for s in scores for e in s.evaluations}
    for e in june.evaluations:
        for owner in e.indicator.owners or [UNASSIGNED]:
            assert (owner, e.indicator.id) in seen


def test_owners_json_and_text():
    """The JSON lists units with counts, share green and red items; text is one line per unit."""
    document = json.loads(run("owners", str(SAMPLES), "-f", "json").stdout)
    water = next(o for o in document["owners"] if o["owner"] == "县农业农村局")
    assert water["red"] == [{"id": "water_pipe_renovation_km", "name": "改造供水管网"}]
    judged = water["lights"]["green"] + water["lights"]["yellow"] + water["lights"]["red"]
    assert water["share_green"] == pytest.approx(water["lights"]["green"] / judged)
    text = run("owners", str(SAMPLES), "-f", "text").stdout
    assert "县农业农村局：14项，绿灯1、黄灯3、红灯1，绿灯占比20.0%；红灯：改造供水管网。" in text


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_owners_every_format(fmt):
    result = run("owners", str(SAMPLES), "-f", fmt, "--lang", "en")
    assert result.exit_code == 0
    assert "县农业农村局" in result.stdout


def test_december_paragraph_has_no_projection(tmp_path):
    """In December the figure is the year's result: no 'projected to miss', the misses are red."""
    import shutil

    shutil.copy(SAMPLES / "2025-06.csv", tmp_path / "2025-12.csv")
    text = run("brief", str(tmp_path)).stdout
    assert text.startswith("截至2025年12月")
    assert "预计全年" not in text
    assert "旅游总收入（完成率41.2%" not in text  # no 序时进度 gap in December …
    assert "旅游总收入（全年66亿元，完成率41.2%，未达到目标160亿元" in text  # … the year's result


@pytest.mark.parametrize(
    ("rank", "target", "text"),
    [(2, 1, "第2位，目标第1位"), (12, 10, "第12位，目标前10位")],
)
def test_rank_shortfall_reads_as_a_place(targets, rank, target, text):
    """A rank is a place (the name says in what): 第1位 for first, 前N位 for a top N."""
    from gongfu_cli.judge.evaluate import evaluate_one
    from gongfu_cli.model.period import Period
    from gongfu_cli.model.readings import Reading
    from gongfu_cli.render.brief import shortfall

    ind = replace(targets.by_id["pm25_rank"], target=target)
    reading = Reading(indicator=ind.id, line=2, raw=str(rank), value=rank)
    assert shortfall(evaluate_one(ind, reading, Period(2025, 6), band=5), "zh") == text


def test_owners_csv_has_distinct_columns():
    """One column per light and a separate one for the red items, ids joined with 、."""
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run("owners", str(SAMPLES), "-f", "csv").stdout)))
    header = list(rows[0])
    assert len(header) == len(set(header))
    water = next(r for r in rows if r["owner"] == "县农业农村局")
    assert (water["red"], water["red_items"]) == ("1", "water_pipe_renovation_km")
