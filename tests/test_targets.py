"""The target catalogue: complete, faithful to the plan, and loaded safely."""

from __future__ import annotations

import pytest

from conftest import MINIMAL_TARGET, PLAN, ROOT, SHARED_PLAN
from gongfu_cli.model.problems import GongfuError
from gongfu_cli.model.targets import Kind
from gongfu_cli.read.targets_file import load_targets
from gongfu_cli.read.targets_place import locate_targets

REQUIRED_IDS = [
    "gdp",
    "gdp_per_capita",
    "marine_economy_share",
    "port_throughput",
    "tourism_revenue",
    "fishery_value_added_growth",
    "education_modernization_index",
    "county_treatment_rate",
    "care_workers_per_10k_elderly",
    "disabled_elderly_admission_rate",
    "public_safety_satisfaction",
    "urban_income_growth",
    "rural_income_growth",
    "urban_rural_income_ratio",
    "middle_income_household_share",
    "urbanization_rate",
    "new_jobs",
    "eco_index_rank",
    "coastal_water_quality_share",
    "air_good_days_ratio",
    "modern_beautiful_towns",
    "model_livable_villages",
    "harmonious_village_coverage",
    "tourist_arrivals_growth",
    "fish_industry_chain_output",
    "projects_over_100m",
    "projects_over_1b",
    "collective_income_growth",
    "local_enrollment_gain",
    "new_medical_techniques",
    "dual_certified_care_staff",
    "key_group_assistance",
    "public_welfare_jobs",
    "internship_bases",
    "internship_positions",
    "cultural_events",
    "pm25_rank",
    "forest_coverage",
    "aquatic_release",
    "zero_waste_cells",
    "rural_road_repair_km",
    "rural_road_new_km",
    "gas_conversion_communities",
    "piped_gas_coverage",
    "water_leakage_rate",
    "water_pipe_renovation_km",
    "flood_training_coverage",
    "new_5g_base_stations",
]


def test_every_required_id_exists(targets):
    """The ids other tools rely on are all in the catalogue."""
    missing = set(REQUIRED_IDS) - set(targets.by_id)
    assert not missing


def test_every_quote_is_verbatim_in_the_plan(targets):
    """Each quote (and owners_quote) can be found word for word in the plan text."""
    plan = PLAN.read_text(encoding="utf-8")
    absent = [
        (ind.id, quote)
        for ind in targets.indicators
        for quote in (ind.quote, ind.owners_quote)
        if quote and quote not in plan
    ]
    assert absent == []


@pytest.mark.skipif(not SHARED_PLAN.exists(), reason="no shared/ folder beside the checkout")
def test_plan_copy_matches_the_shared_plan():
    """docs/plan-2025.txt is the plan as the team keeps it, byte for byte."""
    assert PLAN.read_bytes() == SHARED_PLAN.read_bytes()


def test_every_owner_is_named_in_the_plan(targets):
    """No owner is invented: each appears in a 责任单位 list of the plan."""
    plan = PLAN.read_text(encoding="utf-8")
    invented = {o for ind in targets.indicators for o in ind.owners if o not in plan}
    assert invented == set()


def test_at_least_ten_milestones_due_in_december(targets):
    """Milestones are done/not done, due in December unless an assumption says otherwise."""
    milestones = [i for i in targets.indicators if i.kind == Kind.milestone]
    assert len(milestones) >= 10
    assert all(m.op == "done" for m in milestones)
    assert all(m.due_month == 12 or m.assumption for m in milestones)


def test_special_cases_are_in_the_yaml(targets):
    """Grade A, maintain without baseline, the rank assumption and ceilings live in data."""
    assert targets.by_id["education_modernization_index"].also_met_by == ["A"]
    safety = targets.by_id["public_safety_satisfaction"]
    assert safety.op == "maintain" and safety.baseline is None
    eco = targets.by_id["eco_index_rank"]
    assert eco.kind == Kind.rank and eco.assumption and eco.target is not None
    assert targets.by_id["urban_rural_income_ratio"].is_ceiling
    assert targets.by_id["water_leakage_rate"].is_ceiling
    pm25 = targets.by_id["pm25_rank"]
    assert (pm25.op, pm25.target, pm25.kind) == ("<=", 1, Kind.rank)


def test_minimal_file_loads(write_yaml):
    loaded = load_targets(write_yaml(MINIMAL_TARGET))
    assert loaded.by_id["gdp"].target == 180
    assert loaded.defaults.yellow_band == 5


def _problem(path):
    with pytest.raises(GongfuError) as caught:
        load_targets(path)
    return caught.value.problems[0]


def test_bad_yaml_is_located(write_yaml):
    problem = _problem(write_yaml(MINIMAL_TARGET + "  - id: [unclosed\n"))
    assert problem.code == "targets-yaml-error"
    assert problem.line == 17


def test_unknown_kind_names_field_and_line(write_yaml):
    problem = _problem(write_yaml(MINIMAL_TARGET.replace("kind: cumulative", "kind: total")))
    assert problem.code == "targets-invalid"
    assert problem.column == "indicators[0].kind"
    assert problem.line == 10
    assert problem.indicator == "gdp"


def test_missing_target_value_is_reported(write_yaml):
    problem = _problem(write_yaml(MINIMAL_TARGET.replace("    target: 180\n", "")))
    assert problem.code == "targets-invalid"
    assert "target" in problem.message("en")


def test_duplicate_id_is_reported(write_yaml):
    second = MINIMAL_TARGET.split("indicators:\n")[1].replace("地区生产总值", "另一个指标")
    problem = _problem(write_yaml(MINIMAL_TARGET + second))
    assert problem.code == "targets-invalid"
    assert "duplicate indicator id 'gdp'" in problem.message("en")


def test_python_tags_are_refused(write_yaml):
    """A !!python tag would run code with an unsafe loader; we refuse it."""
    evil = MINIMAL_TARGET.replace(
        "plan: 测试方案", "plan: !!python/object/apply:os.system [echo hi]"
    )
    problem = _problem(write_yaml(evil))
    assert problem.code == "targets-unsafe-tag"
    assert problem.line == 1


def test_missing_file(tmp_path):
    assert _problem(tmp_path / "nope.yaml").code == "targets-not-found"


def test_lookup_order(tmp_path, write_yaml, bundled):
    """--targets wins, then ./data/targets.yaml, then the bundled copy."""
    explicit = write_yaml(MINIMAL_TARGET, "mine.yaml")
    assert locate_targets(explicit, cwd=tmp_path) == explicit
    assert locate_targets(None, cwd=tmp_path / "elsewhere") == bundled
    (tmp_path / "data").mkdir()
    local = tmp_path / "data" / "targets.yaml"
    local.write_text(MINIMAL_TARGET, encoding="utf-8")
    assert locate_targets(None, cwd=tmp_path) == local


def test_bundled_copy_is_the_repository_file(bundled):
    """One catalogue: the bundled copy has the same content as data/targets.yaml."""
    assert bundled.read_bytes() == (ROOT / "data" / "targets.yaml").read_bytes()


def test_section_headings_are_the_plans_own(targets):
    """Each heading in `sections:` is the plan's heading, verbatim, and every section is named."""
    plan = PLAN.read_text(encoding="utf-8")
    for code, title in targets.sections.items():
        heading = f"{code[-3:]}{title}" if code.startswith("三") else f"{code}、{title}"
        assert heading in plan, (code, title)
    for ind in targets.indicators:
        code, title = targets.section_title(ind.section)
        assert title, f"{ind.id}: section {ind.section} has no heading in `sections:`"
