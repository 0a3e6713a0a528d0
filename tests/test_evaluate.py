"""The status rules of README "How status is decided", one case at a time."""

from __future__ import annotations

import pytest

from catalogue import changed
from gongfu_cli.judge.evaluate import evaluate, evaluate_one, parse_status_filter, select
from gongfu_cli.model.period import Period
from gongfu_cli.model.readings import Reading
from gongfu_cli.model.results import Light, Status
from gongfu_cli.model.targets import is_due
from gongfu_cli.read.actuals import read_actuals


def judge(
    targets,
    ind_id,
    value=None,
    month=6,
    *,
    grade=None,
    done=None,
    reported=True,
    valid=True,
    band=5.0,
    **changes,
):
    ind = targets.by_id[ind_id]
    if changes:
        ind = changed(ind, **changes)
    reading = None
    if value is not None or grade or done is not None or not reported or not valid:
        reading = Reading(
            ind.id,
            line=2,
            raw=str(value),
            value=value,
            grade=grade,
            done=done,
            reported=reported,
            valid=valid,
        )
    return evaluate_one(ind, reading, Period(2025, month), band)


@pytest.mark.parametrize(
    ("value", "month", "status"),
    [
        (600, 6, Status.on_track),  # 60% ≥ 50% 序时进度
        (500, 6, Status.on_track),  # exactly on pace
        (470, 6, Status.at_risk),  # 3 points behind < 5-point band
        (450, 6, Status.off_track),  # 5 points behind = the band
        (300, 6, Status.off_track),
        (1000, 6, Status.met),  # already meets the annual target
        (990, 12, Status.off_track),  # December: not met is final
    ],
)
def test_linear_pace(targets, value, month, status):
    result = judge(targets, "new_jobs", value, month)
    assert result.status == status
    assert result.completion == pytest.approx(value / 1000)


def test_time_progress_is_month_over_twelve(targets):
    result = judge(targets, "new_jobs", 300, 3)
    assert result.time_progress == pytest.approx(0.25)
    assert result.status == Status.on_track


def test_strictly_greater_target_is_not_met_at_equality(targets):
    """地区生产总值突破180亿元: 180 itself is not 突破."""
    assert judge(targets, "gdp", 180, 12).status == Status.off_track
    assert judge(targets, "gdp", 180.5, 12).status == Status.met


def test_yellow_band_per_indicator(targets):
    assert judge(targets, "new_jobs", 420, 6).status == Status.off_track
    assert judge(targets, "new_jobs", 420, 6, band=10).status == Status.at_risk


def test_level_with_tolerance(targets):
    assert judge(targets, "air_good_days_ratio", 98.5).status == Status.met
    assert judge(targets, "air_good_days_ratio", 97.2).status == Status.at_risk
    assert judge(targets, "air_good_days_ratio", 96.5).status == Status.off_track


def test_level_without_tolerance_is_red_when_missed(targets):
    assert judge(targets, "care_workers_per_10k_elderly", 24.9).status == Status.off_track


@pytest.mark.parametrize(
    ("value", "status"),
    [(14.0, Status.met), (15.0, Status.met), (15.5, Status.at_risk), (17, Status.off_track)],
)
def test_ceiling_lower_is_better(targets, value, status):
    assert judge(targets, "water_leakage_rate", value).status == status


def test_income_ratio_ceiling(targets):
    assert judge(targets, "urban_rural_income_ratio", 1.47).status == Status.met
    assert judge(targets, "urban_rural_income_ratio", 1.52).status == Status.off_track


@pytest.mark.parametrize(("rank", "status"), [(1, Status.met), (2, Status.off_track)])
def test_pm25_rank_must_stay_first(targets, rank, status):
    result = judge(targets, "pm25_rank", rank)
    assert result.status == status
    assert result.completion is None


def test_eco_rank_uses_the_yaml_assumption(targets):
    top_n = targets.by_id["eco_index_rank"].target
    assert judge(targets, "eco_index_rank", top_n, 12).status == Status.met
    assert judge(targets, "eco_index_rank", top_n + 1, 12).status == Status.off_track


def test_grade_a_meets_the_education_target(targets):
    assert judge(targets, "education_modernization_index", grade="A", month=12).status == Status.met
    assert judge(targets, "education_modernization_index", 89, 12).status == Status.off_track
    assert judge(targets, "education_modernization_index", 89.5, 12).status == Status.met


def test_maintain_without_baseline_says_no_target(targets):
    result = judge(targets, "public_safety_satisfaction", 99.2)
    assert result.status == Status.no_target
    assert result.light == Light.grey


def test_maintain_with_baseline(targets):
    assert judge(targets, "public_safety_satisfaction", 99.2, baseline=99.0).status == Status.met
    assert judge(targets, "public_safety_satisfaction", 98.0, baseline=99.0).status == (
        Status.off_track
    )


@pytest.mark.parametrize(
    ("value", "month", "status"),
    [(1, 6, Status.pending), (4, 6, Status.met), (3, 12, Status.off_track)],
)
def test_year_end_pace(targets, value, month, status):
    assert judge(targets, "zero_waste_cells", value, month).status == status


@pytest.mark.parametrize(
    ("done", "month", "status"),
    [(True, 6, Status.met), (False, 6, Status.pending), (False, 12, Status.off_track)],
)
def test_milestones(targets, done, month, status):
    assert judge(targets, "fitness_center_open", done=done, month=month).status == status


def test_milestone_with_an_earlier_due_month(targets):
    assert judge(targets, "fitness_center_open", done=False, month=6, due_month=6).status == (
        Status.off_track
    )


@pytest.mark.parametrize(
    ("month", "status"), [(5, Status.not_due), (6, Status.no_data), (1, Status.not_due)]
)
def test_quarterly_not_due_versus_no_data(targets, month, status):
    assert judge(targets, "gdp", month=month).status == status


def test_not_reported_cell_counts_as_no_data(targets):
    assert judge(targets, "new_jobs", reported=False).status == Status.no_data


def test_annual_indicator_reported_early_is_still_used(targets):
    assert judge(targets, "forest_coverage", 28.5, 6).status == Status.met


def test_invalid_row_shows_as_invalid(targets):
    assert judge(targets, "new_jobs", valid=False).status == Status.invalid


def test_january_is_never_due():
    """1–2月 are published together: a January file missing figures is not 'no data'."""
    from gongfu_cli.model.targets import Frequency

    class Monthly:
        frequency = Frequency.monthly

    assert is_due(Monthly, Period(2025, 1)) is False
    assert is_due(Monthly, Period(2025, 2)) is True


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["red"], {Status.off_track}),
        (["红"], {Status.off_track}),
        (["黄灯"], {Status.at_risk}),
        (["green"], {Status.met, Status.on_track}),
        (["yellow,red"], {Status.at_risk, Status.off_track}),
        (["滞后", "pending"], {Status.off_track, Status.pending}),
    ],
)
def test_status_filter_words(words, expected):
    assert parse_status_filter(words) == expected


def test_status_filter_rejects_unknown_words():
    with pytest.raises(ValueError):
        parse_status_filter(["purple"])


def test_sample_june_covers_every_light(targets):
    """The bundled June file shows green, yellow, red and grey, and owner filtering works."""
    from conftest import SAMPLES

    actuals = read_actuals(SAMPLES / "2025-06.csv", targets)
    report = evaluate(targets, actuals)
    assert actuals.problems == []
    lights = report.lights()
    assert all(lights[light] > 0 for light in ("green", "yellow", "red", "grey"))
    water = select(report.evaluations, owner="县农业农村局")
    assert water and all("县农业农村局" in e.indicator.owners for e in water)
    assert {e.status for e in select(report.evaluations, statuses={Status.off_track})} == {
        Status.off_track
    }
