"""Issue 8: a targets file that is odd in any way is refused with its line, never
accepted with a silently wrong value and never a traceback; December is final."""

from __future__ import annotations

import time
import unicodedata

import pytest
from typer.testing import CliRunner

from conftest import MINIMAL_TARGET
from gongfu_cli.cli.root import app
from gongfu_cli.model import targets
from gongfu_cli.model.problems import GongfuError
from gongfu_cli.model.results import Status
from gongfu_cli.model.targets import MAX_FIGURE
from gongfu_cli.read import actuals
from gongfu_cli.read.targets_file import load_targets
from test_evaluate import judge

M = MINIMAL_TARGET  # gdp: target on line 9, kind 10, frequency 11, pace 12, owners 13


def _with(old: str, new: str) -> str:
    assert M.count(old) == 1, old
    return M.replace(old, new)


def _problems(write_yaml, text: str):
    with pytest.raises(GongfuError) as caught:
        load_targets(write_yaml(text))
    problems = caught.value.problems
    for problem in problems:  # whatever the file held, the message is plain text
        for lang in ("zh", "en"):
            shown = problem.message(lang) + (problem.column or "")
            assert shown.isprintable(), repr(shown)
    return problems


def _one(write_yaml, text: str):
    problems = _problems(write_yaml, text)
    assert len(problems) == 1, [p.message("en") for p in problems]
    return problems[0]


# --- 1. a key given twice ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "line", "field"),
    [
        (_with("target: 180", "target: 160\n    target: 1"), 9, 10, "indicators[0].target"),
        (_with("target: 180", 'target: 160\n    "target": 1'), 9, 10, "indicators[0].target"),
        (_with("year: 2025", "year: 2025\nplan: 另一个"), 1, 3, "plan"),
        (
            _with("year: 2025", "year: 2025\ndefaults:\n  yellow_band: 5\n  yellow_band: 9"),
            4,
            5,
            "defaults.yellow_band",
        ),
        (
            _with("owners: []", "owners: []\n    owners: [县统计局]"),
            13,
            14,
            "indicators[0].owners",
        ),
        (
            _with("year: 2025", "year: 2025\nsections:\n  二: 工作目标\n  二: 另一个"),
            4,
            5,
            "sections.二",
        ),
        (
            _with("indicators:", "base: &b {x: 1}\nindicators:").replace(
                "  - id: gdp", "  - <<: *b\n    <<: *b\n    id: gdp"
            ),
            5,
            6,
            "indicators[0].<<",
        ),
    ],
)
def test_a_key_given_twice_is_refused_at_its_second_line(write_yaml, text, first, line, field):
    """A repeated key in any mapping is refused at the repeat, naming the key and the first line."""
    problem = _problems(write_yaml, text)[0]
    assert (problem.code, problem.line, problem.column) == ("targets-invalid", line, field)
    assert f"'{field.rsplit('.', 1)[-1]}' is given twice" in problem.message("en")
    assert f"first on line {first}" in problem.message("en")


# --- 2. numbers that are not finite, or absurdly large ------------------------

NOT_FINITE = [".nan", ".NaN", ".inf", ".Inf", "-.inf", "+.inf", "1e309", "-1e309", "1e99999"]
NUMBER_FIELDS = [
    # (where the number goes, the field reported, its line)
    (("target: 180", "target: {}"), "indicators[0].target", 9),
    (("target: 180", "target: 180\n    tolerance: {}"), "indicators[0].tolerance", 10),
    (("target: 180", "target: 180\n    yellow_band: {}"), "indicators[0].yellow_band", 10),
    (("target: 180", "target: 180\n    bounds: [{}, null]"), "indicators[0].bounds[0]", 10),
    (("target: 180", "target: 180\n    bounds: [0, {}]"), "indicators[0].bounds[1]", 10),
    (
        ('op: ">"\n    target: 180', "op: maintain\n    baseline: {}"),
        "indicators[0].baseline",
        9,
    ),
    (
        ("pace: linear", "pace: seasonal\n    profile: [{}, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"),
        "indicators[0].profile[0]",
        13,
    ),
    (("year: 2025", "year: 2025\ndefaults: {{yellow_band: {}}}"), "defaults.yellow_band", 3),
]


@pytest.mark.parametrize("value", NOT_FINITE)
@pytest.mark.parametrize(("edit", "field", "line"), NUMBER_FIELDS)
def test_a_number_that_is_not_finite_is_refused(write_yaml, edit, field, line, value):
    """NaN and infinities (written as such or overflowing) are refused in every number field."""
    problem = _one(write_yaml, _with(edit[0], edit[1].format(value)))
    assert (problem.code, problem.line, problem.column) == ("targets-invalid", line, field)
    assert "finite number" in problem.message("en")


@pytest.mark.parametrize("value", ["1e16", "-2e15", "1000000000000001", "'nan'", "'1e400'"])
@pytest.mark.parametrize(("edit", "field", "line"), NUMBER_FIELDS[:6])
def test_an_absurd_figure_is_refused(write_yaml, edit, field, line, value):
    """Beyond ±10^15 (the cap on reported figures), or NaN spelled as text, is refused."""
    problem = _problems(write_yaml, _with(edit[0], edit[1].format(value)))[0]
    assert (problem.code, problem.line, problem.column) == ("targets-invalid", line, field)


def test_the_cap_on_targets_is_the_cap_on_reported_figures(write_yaml):
    """A target may be as large as a reported figure may be, and no larger."""
    assert float(actuals.MAX_FIGURE) == MAX_FIGURE
    loaded = load_targets(write_yaml(_with("target: 180", "target: 1e15")))
    assert loaded.by_id["gdp"].target == 1e15


@pytest.mark.parametrize("value", ["yes", "no", "true", "on", "off"])
@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (("target: 180", "target: {}"), "indicators[0].target"),
        (("year: 2025", "year: {}"), "year"),
        (("target: 180", "target: 180\n    tolerance: {}"), "indicators[0].tolerance"),
    ],
)
def test_yes_or_no_is_not_a_number(write_yaml, edit, field, value):
    """YAML reads yes/no/on/off as booleans; they are refused, not taken as 1 and 0."""
    problem = _one(write_yaml, _with(edit[0], edit[1].format(value)))
    assert (problem.code, problem.column) == ("targets-invalid", field)
    assert "is not a number" in problem.message("en")


# --- 3. bounds, targets and baselines that cannot work together ---------------


@pytest.mark.parametrize(
    ("edit", "field", "words"),
    [
        (("target: 180", "target: 50\n    bounds: [100, 0]"), "bounds", "lower bound 100 is above"),
        (("target: 180", "target: 180\n    bounds: [0, 100]"), "target", "180 lies outside"),
        (("target: 180", "target: 180\n    bounds: [200, null]"), "target", "180 lies outside"),
        (("target: 180", "target: -5"), "target", "-5 lies outside"),  # a cumulative is ≥ 0
        (
            ("unit: 亿元", "unit: '%'"),
            "target",
            "180 lies outside the range a reported figure may take (0 to 100)",
        ),
        (
            ("target: 180", "target: 180\n    baseline: 170"),
            "baseline",
            "only op 'maintain' or 'rise' reads 'baseline'",
        ),
        (
            ('op: ">"\n    target: 180', "op: maintain\n    baseline: 120\n    bounds: [0, 100]"),
            "baseline",
            "120 lies outside",
        ),
    ],
)
def test_bounds_target_and_baseline_must_agree(write_yaml, edit, field, words):
    """Reversed bounds, a target outside its range and a baseline nothing reads are refused."""
    text = _with(*edit)
    if "'%'" in text:  # a level in percent: figures are 0 to 100
        text = text.replace("kind: cumulative", "kind: level").replace("    pace: linear\n", "")
    problem = _one(write_yaml, text)
    assert problem.code == "targets-invalid"
    assert problem.column == f"indicators[0].{field}"
    assert (
        problem.line
        == text.splitlines().index(
            next(ln for ln in text.splitlines() if ln.strip().startswith(f"{field}:"))
        )
        + 1
    )
    assert words in problem.message("en")


@pytest.mark.parametrize(
    "edit",
    [
        ("target: 180", "target: 180\n    bounds: [180, 180]"),
        ("target: 180", "target: 180\n    bounds: [0, null]"),
        ("target: 180", "target: 0"),
        ('op: ">"\n    target: 180', "op: maintain\n    baseline: 99.5\n    bounds: [0, 100]"),
    ],
)
def test_bounds_that_hold_the_target_are_accepted(write_yaml, edit):
    """A target on its bound, or within an open range, loads."""
    assert load_targets(write_yaml(_with(*edit))).by_id["gdp"]


# --- 4. invisible control characters in text ----------------------------------

QUOTE = "    quote: 地区生产总值突破180亿元"
RULE = (
    "\nrules:\n  - {{id: r, left: gdp, op: '<=', right: gdp, description: {}, description_en: d}}"
)
TEXT_FIELDS = [
    # (the field, how to put a text in it, whether it may wrap)
    ("indicators[0].name", ("    name: 地区生产总值", "    name: {}"), False),
    ("indicators[0].name_en", ("    name_en: GDP", "    name_en: {}"), False),
    ("indicators[0].unit", ("    unit: 亿元", "    unit: {}"), False),
    ("indicators[0].section", ("    section: 二", "    section: {}"), False),
    ("indicators[0].owners[0]", ("    owners: []", "    owners: [{}]"), False),
    ("indicators[0].also_met_by[0]", (QUOTE, QUOTE + "\n    also_met_by: [{}]"), False),
    ("indicators[0].quote", (QUOTE, "    quote: {}"), True),
    ("indicators[0].owners_quote", (QUOTE, QUOTE + "\n    owners_quote: {}"), True),
    ("indicators[0].assumption_en", (QUOTE, QUOTE + "\n    assumption_en: {}"), True),
    ("plan", ("plan: 测试方案", "plan: {}"), False),
    ("document", ("year: 2025", "year: 2025\ndocument: {}"), False),
    ("sections.二", ("year: 2025", "year: 2025\nsections:\n  二: {}"), False),
    ("rules[0].description", ("year: 2025", "year: 2025" + RULE), True),
]
CONTROL = ["\\e", "\\0", "\\x07", "\\r", "\\x7f", "\\x9b", "\\N", "\\L", "\\u202e", "\\u202a"]
CONTROL += ["\\u2066", "\\u2069", "\\u200b", "\\u200f", "\\ufeff"]
WRAPPING = ["\\t", "\\n"]


@pytest.mark.parametrize("char", CONTROL + WRAPPING)
@pytest.mark.parametrize(("field", "edit", "wraps"), TEXT_FIELDS)
def test_control_characters_in_text_are_refused(write_yaml, field, edit, wraps, char):
    """An invisible control or direction character in any text is refused with field and line;
    a tab or line break only where a long text may wrap."""
    text = _with(edit[0], edit[1].format(f'"甲{char}乙"'))
    if wraps and char in WRAPPING:
        load_targets(write_yaml(text))
        return
    problem = _one(write_yaml, text)
    assert (problem.code, problem.column) == ("targets-invalid", field)
    assert problem.line == next(n for n, ln in enumerate(text.splitlines(), 1) if "甲" in ln)
    assert "invisible control character U+" in problem.message("en")


def test_only_invisible_characters_are_refused():
    """Every character the text check refuses is a control, format or separator character
    (or unassigned): no visible letter, digit or sign is ever refused."""
    refused = [chr(c) for c in range(0x30000) if targets._NOT_IN_A_LINE.match(chr(c))]
    assert {unicodedata.category(c) for c in refused} <= {"Cc", "Cf", "Cs", "Zl", "Zp", "Cn"}
    assert len(refused) > 2100  # the surrogates alone are 2048


@pytest.mark.parametrize(
    "name", ["[bold]地区[/]", "[/]", "[red on white]GDP", "地区生产总值 [注]", "A&B <c> 'd'"]
)
def test_markup_like_text_is_ordinary_text(write_yaml, name):
    """Rich markup and other brackets in a name are legitimate text and load unchanged."""
    text = _with("    name: 地区生产总值", f'    name: "{name}"')
    assert load_targets(write_yaml(text)).indicators[0].name == name


def test_a_control_character_in_a_key_is_shown_escaped(write_yaml):
    """An unknown key holding a control character is named with the character as U+XXXX."""
    problem = _one(write_yaml, _with("year: 2025", 'year: 2025\n"ye\\ear": 1'))
    assert problem.column == "ye<U+001B>ar"
    assert problem.line == 3


# --- 5. scalars YAML builds oddly, tags, aliases -------------------------------


@pytest.mark.parametrize(
    ("edit", "code", "line"),
    [
        (("year: 2025", "year: " + "9" * 5000), "targets-yaml-error", 2),
        (("target: 180", "target: " + "9" * 5000), "targets-yaml-error", 9),
        (("target: 180", "target: 180\n    due_month: " + "1" * 5000), "targets-yaml-error", 10),
        (("target: 180", "target: -" + "9" * 5000), "targets-yaml-error", 9),
        (("target: 180", "target: " + "9" * 4000), "targets-invalid", 9),
        (("target: 180", "target: 0x" + "f" * 5000), "targets-yaml-error", 9),
        (("target: 180", "target: 2025-13-45"), "targets-yaml-error", 9),
        (("target: 180", "target: 2025-06-01"), "targets-invalid", 9),
        (("target: 180", "target: 1:20:30"), "targets-yaml-error", 9),
        (("target: 180", "target: 1:1.5"), "targets-yaml-error", 9),
        (("target: 180", "target: 0170"), "targets-yaml-error", 9),  # octal: 120
        (("target: 180", "target: 0b1011"), "targets-yaml-error", 9),
        (("target: 180", "target: 0o17"), "targets-invalid", 9),  # text, not a number
        (("plan: 测试方案", "plan: !!binary 5rWL6K+V"), "targets-unsafe-tag", 1),
        (("owners: []", "owners: !!set {a, b}"), "targets-unsafe-tag", 13),
        (("owners: []", "owners: !!omap [a: 1]"), "targets-unsafe-tag", 13),
        (("owners: []", "owners: !!pairs [a: 1]"), "targets-unsafe-tag", 13),
        (("owners: []", "owners: !mine [a]"), "targets-unsafe-tag", 13),
        (("target: 180", "target: !!float 1e999"), "targets-invalid", 9),
        (("target: 180", "target: ="), "targets-unsafe-tag", 9),
    ],
)
def test_odd_scalars_and_tags_are_located(write_yaml, edit, code, line):
    """Huge numbers, impossible dates, base-60/octal/hex figures and non-plain tags are
    refused at their line, never built silently or raised as a traceback."""
    problem = _one(write_yaml, _with(*edit))
    assert (problem.code, problem.line) == (code, line)


def _bomb(depth: int, width: int) -> str:
    levels = [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]" for i in range(1, depth)]
    return "l0: &l0 [x]\n" + "\n".join(levels) + "\n"


BOMB = _bomb(10, 10)  # 10^9 values once every alias is written out


@pytest.mark.parametrize(
    "text",
    [
        # billion laughs, under a key the schema accepts and under one it refuses
        _with("indicators:", "sections:\n  " + BOMB.replace("\n", "\n  ") + "\nindicators:"),
        _with("indicators:", BOMB + "indicators:"),
        _with("owners: []", "owners: *l9").replace("plan: 测试方案", BOMB + "plan: 测试方案"),
        # the same through merge keys: each level merges the one below twice
        _with(
            "indicators:",
            "m0: &m0 {a: 1}\n"
            + "".join(
                f"m{i}: &m{i}\n  <<: [*m{i - 1}, *m{i - 1}]\n  k{i}: 1\n" for i in range(1, 40)
            )
            + "indicators:",
        ),
        # an alias inside the value it names
        _with("owners: []", "owners: &o [*o]"),
        _with("year: 2025", "year: 2025\ndefaults: &d {yellow_band: *d}"),
    ],
)
def test_alias_bombs_are_refused_quickly(write_yaml, text):
    """Aliases that expand beyond any real catalogue, or contain themselves, are refused
    before anything is built from them, in well under a second."""
    start = time.perf_counter()
    problem = _one(write_yaml, text)
    assert time.perf_counter() - start < 1
    assert problem.code == "targets-yaml-error" and problem.line is not None
    assert "alias" in problem.message("en")


def test_anchors_and_merge_keys_used_sensibly_still_load(write_yaml):
    """Shared owner lists and a merged block of common fields are ordinary YAML and load."""
    second = (
        "  - <<: *common\n    id: gdp2\n    name: 另一个\n    name_en: Other\n"
        "    quote: 地区生产总值\n"
    )
    text = (
        _with("  - id: gdp", "  - &common\n    id: gdp").replace(
            "owners: []", "owners: &mine [县统计局]"
        )
        + second
    )
    loaded = load_targets(write_yaml(text))
    assert loaded.by_id["gdp2"].owners == ["县统计局"] and loaded.by_id["gdp2"].target == 180


def test_gongfu_targets_reports_a_huge_year_without_a_traceback(write_yaml):
    """`gongfu targets` on a 5,000-digit year exits 1 with the located problem."""
    path = write_yaml(_with("year: 2025", "year: " + "9" * 5000))
    result = CliRunner().invoke(app, ["targets", "--targets", str(path), "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "[targets-yaml-error]" in result.stderr and " line 2, column 7: " in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_the_bundled_catalogue_still_loads(bundled):
    """Nothing legitimate in the real targets.yaml is refused by the new checks."""
    assert len(load_targets(bundled).indicators) == 91


# --- 6. December is final -------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "near_miss", "kind"),
    [
        ("air_good_days_ratio", 97.2, "level"),  # target ≥ 98, tolerance 1
        ("water_leakage_rate", 15.5, "level, a ceiling"),  # ≤ 15, tolerance 1
        ("tourist_arrivals_growth", None, "growth"),  # tolerance 2
        ("urban_income_growth", None, "growth, quarterly"),
    ],
)
def test_a_near_miss_is_yellow_until_december_and_red_in_december(
    targets, indicator, near_miss, kind
):
    """A level or growth rate missing within its tolerance is 略滞后 before December and
    滞后 in December: the year-end verdict is final."""
    ind = targets.by_id[indicator]
    assert ind.tolerance > 0 and ind.target is not None
    if near_miss is None:
        near_miss = ind.target - ind.tolerance / 2
    month = 9 if "quarterly" in kind else 11
    assert judge(targets, indicator, near_miss, month).status == Status.at_risk
    assert judge(targets, indicator, near_miss, 12).status == Status.off_track


@pytest.mark.parametrize(
    ("indicator", "changes"),
    [
        ("gdp", {}),  # cumulative, linear pace: 0.1 short of 突破180
        ("new_jobs", {}),  # count, linear pace
        ("new_jobs", {"pace": "year_end"}),
        ("gdp", {"pace": "none", "tolerance": 5}),  # cumulative compared directly
    ],
)
def test_cumulative_and_count_not_met_in_december_are_red(targets, indicator, changes):
    """A year-to-date total or count short of its target in December is 滞后, however close."""
    ind = targets.by_id[indicator]
    assert ind.target is not None
    value = ind.target - 1 if ind.kind.value == "count" else ind.target - 0.1
    assert judge(targets, indicator, value, 12, band=50, **changes).status == Status.off_track
    assert judge(targets, indicator, ind.target + 1, 12, **changes).status == Status.met
