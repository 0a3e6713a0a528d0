"""Month over month: 较上月, 预计全年, seasonal pace, and --owner matching."""

from __future__ import annotations

import json
import shutil

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from catalogue import validated
from conftest import SAMPLES
from gongfu_cli.cli.root import app
from gongfu_cli.judge.evaluate import evaluate_one
from gongfu_cli.judge.year import evaluate_year
from gongfu_cli.model.owners import OwnerAmbiguous, OwnerNotFound, match_owner
from gongfu_cli.model.period import Period
from gongfu_cli.model.readings import Reading
from gongfu_cli.model.results import Light, Status
from gongfu_cli.model.targets import Indicator

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def paced(**changes) -> Indicator:
    fields = dict(
        id="tourism_revenue",
        name="旅游总收入",
        name_en="Tourism revenue",
        unit="亿元",
        op=">=",
        target=160,
        kind="cumulative",
        frequency="monthly",
        pace="linear",
        owners=[],
        section="二",
        quote="旅游总收入达到160亿元",
    )
    return validated(Indicator, fields | changes)


def reading(value: float) -> Reading:
    return Reading(indicator="tourism_revenue", line=2, raw=str(value), value=value)


# ---------------------------------------------------------------------------
# 预计全年


@pytest.mark.parametrize(
    ("month", "ytd", "projection", "misses"),
    [
        (6, 66, 132, True),  # run rate 11 a month: 132 of 160
        (6, 80, 160, False),  # exactly on pace meets ">= 160"
        (3, 45, 180, False),
        (12, 150, 150, True),  # December: the figure is the year's result
    ],
)
def test_linear_projection_is_the_run_rate(month, ytd, projection, misses):
    """Under linear pace the year-end projection is ytd × 12 / M, compared with the target."""
    result = evaluate_one(paced(), reading(ytd), Period(2025, month), band=5)
    assert result.projection == pytest.approx(projection)
    assert result.projected_to_miss is misses


def test_projection_flags_a_miss_that_is_still_yellow():
    """Within the yellow band today, but the run rate falls short of the target: flagged."""
    result = evaluate_one(paced(), reading(76), Period(2025, 6), band=5)  # 47.5% vs 50%
    assert result.status == Status.at_risk
    assert result.projected_to_miss is True


def test_no_projection_for_unpaced_indicators():
    """Levels and growth rates get neither a projection nor a verdict on the year."""
    level = paced(kind="level", pace="none", unit="%", target=98, id="air", name="空气")
    result = evaluate_one(level, reading(97.2), Period(2025, 6), band=5)
    assert result.projection is None and result.projected_to_miss is None


# ---------------------------------------------------------------------------
# seasonal pace

# Most of an island's tourism comes in summer: a profile with July–August heavy.
SUMMER = [2, 2, 4, 8, 10, 10, 18, 18, 10, 8, 6, 4]


def test_seasonal_time_progress_follows_the_profile():
    """序时进度 is the profile's share of the year so far, not M/12."""
    ind = paced(pace="seasonal", profile=SUMMER)
    assert ind.time_progress(6) == pytest.approx(36 / 100)
    assert ind.time_progress(12) == pytest.approx(1.0)
    assert paced().time_progress(6) == pytest.approx(0.5)


def test_seasonal_pace_turns_a_linear_red_green():
    """66 of 160 by June is red against 6/12 but on track against a summer-heavy profile."""
    june = Period(2025, 6)
    linear = evaluate_one(paced(), reading(66), june, band=5)
    seasonal = evaluate_one(paced(pace="seasonal", profile=SUMMER), reading(66), june, band=5)
    assert linear.light == Light.red
    assert seasonal.light == Light.green
    assert seasonal.projection == pytest.approx(66 / 0.36)
    assert seasonal.projected_to_miss is False


@pytest.mark.parametrize(
    "changes",
    [
        {"pace": "seasonal"},  # no profile
        {"profile": SUMMER},  # a profile on a linear indicator
        {"pace": "seasonal", "profile": SUMMER[:11]},  # eleven months
        {"pace": "seasonal", "profile": [0] * 12},  # nothing in any month
        {"pace": "seasonal", "profile": [-1, *SUMMER[1:]]},
    ],
)
def test_bad_profiles_are_refused(changes):
    """A seasonal indicator needs exactly twelve non-negative shares, not all zero."""
    with pytest.raises(ValidationError):
        paced(**changes)


# ---------------------------------------------------------------------------
# 较上月 on the sample year


@pytest.fixture(scope="module")
def june_json():
    result = run("check", str(SAMPLES), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    return document, {i["id"]: i for i in document["indicators"]}


def test_folder_check_reviews_the_latest_month_against_the_previous(june_json):
    """check FOLDER is June, compared with May: previous light, status and figure."""
    document, by_id = june_json
    assert (document["period"], document["previous_period"]) == ("2025-06", "2025-05")
    welfare = by_id["public_welfare_jobs"]
    assert (welfare["previous_period"], welfare["previous_light"]) == ("2025-05", "yellow")
    assert (welfare["light"], welfare["turned_red"]) == ("red", True)
    assert welfare["previous_actual"] == 40 and welfare["change"] == 4
    tourism = by_id["tourism_revenue"]
    assert tourism["turned_red"] is False  # red in May too
    assert tourism["projection"] == 132 and tourism["projected_to_miss"] is True


def test_quarterly_indicators_compare_with_the_previous_quarter(june_json):
    """June's GDP is compared with March's, not with May's "not due"."""
    _, by_id = june_json
    gdp = by_id["gdp"]
    assert gdp["previous_period"] == "2025-03" and gdp["previous_status"] == "at_risk"
    assert gdp["change"] == pytest.approx(45.5)
    assert by_id["gdp_per_capita"]["previous_status"] is None  # annual: nothing earlier


def test_history_fields_are_null_without_an_earlier_month(tmp_path):
    """A lone file has no history: previous_* are null, not invented."""
    shutil.copy(SAMPLES / "2025-06.csv", tmp_path / "2025-06.csv")
    document = json.loads(run("check", str(tmp_path), "--format", "json").stdout)
    assert document["previous_period"] is None
    assert all(i["previous_light"] is None and i["change"] is None for i in document["indicators"])


def test_a_single_file_takes_its_history_from_its_folder(june_json):
    """check data/actuals/2025-06.csv and check data/actuals/ say the same."""
    document, _ = june_json
    single = json.loads(run("check", str(SAMPLES / "2025-06.csv"), "--format", "json").stdout)
    assert single["indicators"] == document["indicators"]


def test_period_picks_the_month_of_a_folder():
    """--period 2025-05 on a folder reviews May against April."""
    result = run("check", str(SAMPLES), "--period", "2025-05", "--format", "json")
    document = json.loads(result.stdout)
    assert (document["period"], document["previous_period"]) == ("2025-05", "2025-04")


def test_period_with_no_file_in_the_folder_exits_2():
    result = run("check", str(SAMPLES), "--period", "2025-09")
    assert result.exit_code == 2
    assert "2025-09" in result.stderr


def test_an_unreadable_earlier_month_is_skipped_with_a_warning(tmp_path):
    """A broken May does not stop June's review: May is left out, and a warning says so."""
    for month in ("04", "06"):
        shutil.copy(SAMPLES / f"2025-{month}.csv", tmp_path / f"2025-{month}.csv")
    (tmp_path / "2025-05.csv").write_bytes(b"")
    result = run("check", str(tmp_path), "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["previous_period"] == "2025-04"
    warning = next(w for w in document["warnings"] if w["code"] == "history-skipped")
    assert warning["file"].endswith("2025-05.csv")


def test_a_blank_template_beside_the_months_file_takes_nothing_away(tmp_path):
    """2025-05.csv beside an unfilled 2025-05.xlsx template: both are May's files, the
    template's blank rows give way to the figures, and May reads as before."""
    for month in ("05", "06"):
        shutil.copy(SAMPLES / f"2025-{month}.csv", tmp_path / f"2025-{month}.csv")
    before = evaluate_year(tmp_path, _targets()).reports[-2]
    assert run("template", "2025-05", "--xlsx", "-o", str(tmp_path / "2025-05.xlsx")).exit_code == 0
    after = evaluate_year(tmp_path, _targets()).reports[-2]
    assert [(e.indicator.id, e.status, e.actual) for e in after.evaluations] == [
        (e.indicator.id, e.status, e.actual) for e in before.evaluations
    ]


def _targets():
    from gongfu_cli.read.targets_file import load_targets
    from gongfu_cli.read.targets_place import bundled_targets

    return load_targets(bundled_targets())


def test_table_shows_the_change_and_the_projection():
    """The table has 预计全年 and 较上月, and lists what turned red and what will miss."""
    result = run("check", str(SAMPLES))
    out = result.stdout
    assert "预计全年" in out and "较上月" in out
    assert "黄→红 +4" in out  # 开发公益性岗位
    assert "较上月（2025-05）新亮红灯：开发公益性岗位" in out
    assert "按目前进度预计全年难以完成：" in out and "132 亿元 难完成" in out


def test_csv_carries_history_columns():
    import csv
    import io

    result = run("check", str(SAMPLES), "--format", "csv")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    welfare = rows["public_welfare_jobs"]
    assert (welfare["previous_light"], welfare["light"], welfare["previous_actual"]) == (
        "yellow",
        "red",
        "40.0",
    )
    assert (welfare["previous_period"], welfare["change"], welfare["turned_red"]) == (
        "2025-05",
        "4.0",
        "true",
    )
    assert rows["tourism_revenue"]["projected_to_miss"] == "true"


# ---------------------------------------------------------------------------
# --owner

UNITS = ["县住建局", "县农业农村局", "各乡镇", "各相关乡镇", "各有关乡镇", "县公安局", "县共富办"]


@pytest.mark.parametrize(
    ("name", "unit"),
    [
        ("县住建局", "县住建局"),  # exact
        ("县住建", "县住建局"),  # prefix
        ("住建局", "县住建局"),  # prefix once 县 is dropped
        ("农业农村", "县农业农村局"),
        ("各乡镇", "各乡镇"),  # exact wins over 各相关乡镇 and 各有关乡镇
    ],
)
def test_owner_matches_exact_name_or_unambiguous_prefix(name, unit):
    assert match_owner(name, UNITS) == unit


def test_ambiguous_owner_lists_the_candidates():
    """A start shared by several units names none of them."""
    with pytest.raises(OwnerAmbiguous) as raised:
        match_owner("县", UNITS)
    assert sorted(raised.value.candidates) == sorted(u for u in UNITS if u.startswith("县"))


def test_unknown_owner_suggests_close_names():
    """A misspelt unit is refused, with the nearest real names offered."""
    with pytest.raises(OwnerNotFound) as raised:
        match_owner("县住建局", ["县住房局", "县公安局", "各乡镇"])
    assert raised.value.suggestions == ["县住房局"]


def test_check_owner_filters_to_one_unit_and_refuses_ambiguity():
    """--owner 住建局 is 县住建局's rows only; --owner 乡镇 names three units and exits 2."""
    result = run("check", str(SAMPLES), "--owner", "住建局", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)["indicators"]
    assert rows and all("县住建局" in r["owners"] for r in rows)
    ambiguous = run("check", str(SAMPLES), "--owner", "乡镇")
    assert ambiguous.exit_code == 2
    assert "各乡镇" in ambiguous.stderr and "各相关乡镇" in ambiguous.stderr
    unknown = run("check", str(SAMPLES), "--owner", "县不存在局")
    assert unknown.exit_code == 2 and "找不到责任单位" in unknown.stderr


def test_a_file_named_on_the_command_line_wins_over_its_twin(tmp_path):
    """check 2025-05.csv beside 2025-05.xlsx reviews the .csv, and does not warn about it."""
    shutil.copy(SAMPLES / "2025-05.csv", tmp_path / "2025-05.csv")
    assert run("template", "2025-05", "--xlsx", "-o", str(tmp_path / "2025-05.xlsx")).exit_code == 0
    year = evaluate_year(tmp_path / "2025-05.csv", _targets())
    assert year.latest.file.endswith("2025-05.csv")
    assert not [p for p in year.latest.problems if p.code == "duplicate-period"]


def test_a_month_the_folder_lacks_is_named_with_the_months_it_has(tmp_path):
    """--period for a month the folder has no file for: month-not-in-folder naming the
    month and the months the folder does hold (not "no monthly file"), exit 2."""
    from typer.testing import CliRunner

    from gongfu_cli.cli import app

    (tmp_path / "2025-05.csv").write_text("指标,数值\n新增就业岗位,400\n", encoding="gbk")
    (tmp_path / "2025-06.csv").write_text("指标,数值\n新增就业岗位,520\n", encoding="gbk")
    result = CliRunner().invoke(app, ["check", str(tmp_path), "--period", "2025-09"])
    assert result.exit_code == 2
    assert "[month-not-in-folder]" in result.stderr and "2025-05至2025-06" in result.stderr
    assert "[no-actuals-file]" not in result.stderr
