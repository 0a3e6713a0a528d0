"""The target catalogue (targets.yaml) as the pipeline uses it, and what a valid
one is.

The catalogue's types are plain frozen dataclasses. What each field must be is
written beside it, as `Valid` marks in its annotation and as checks in
`__post_init__`, and pydantic validates a file against them (read/targets_file.py:
finite figures, bounds that hold the target, no control characters in text).
Importing this module imports no pydantic: a catalogue validated once is read
back from the cache (read/targets_cache.py) without it, which is most of why
`gongfu check` starts in a fraction of a second.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from enum import Enum
from functools import cached_property
from typing import Annotated, Any, Literal, NamedTuple

from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import number


class Kind(Enum):  # not a str Enum: a member named `count` would shadow str.count
    cumulative = "cumulative"  # year-to-date total (1–M月累计)
    count = "count"  # year-to-date whole number
    level = "level"  # rate, share, index or stock, compared as it stands
    growth = "growth"  # year-to-date growth in percent (累计增速)
    rank = "rank"  # position in a ranking (全省排名: the name says which), 1 = best
    milestone = "milestone"  # done / not done


class Frequency(str, Enum):
    monthly = "monthly"
    quarterly = "quarterly"  # figures for months 3, 6, 9, 12
    annual = "annual"  # December only


class Pace(str, Enum):
    linear = "linear"  # 序时进度: by month M, M/12 of the annual target
    seasonal = "seasonal"  # 序时进度 from a 12-month profile (gongfu profile computes it)
    year_end = "year_end"  # judged only in December
    none = "none"  # compared directly, every month it is reported


Op = Literal[">", ">=", "<", "<=", "~", "maintain", "rise", "done"]
# Compared with a `baseline` the county sets (last year's figure), not a plan figure:
# maintain (巩固: not below it) and rise (提升、新突破: above it).
RELATIVE = ("maintain", "rise")
COMPARISONS = (">", ">=", "<", "<=")
# "增长6.5%左右": the target give or take the indicator's tolerance, in its unit.
ABOUT = "~"


class Comparison(NamedTuple):
    test: Callable[[float, float], bool]
    sign: str  # as tables print it


# The one table of comparisons: a target's op (actual OP target) and a rule's
# op (left OP right), each with its test and the sign tables print.
COMPARE: dict[str, Comparison] = {
    ">": Comparison(operator.gt, ">"),
    ">=": Comparison(operator.ge, "≥"),
    "<": Comparison(operator.lt, "<"),
    "<=": Comparison(operator.le, "≤"),
    "==": Comparison(operator.eq, "="),
}


def holds(value: float, op: str, target: float) -> bool:
    """value OP target, for a comparison op (COMPARE)."""
    return COMPARE[op].test(value, target)


def about(value: float, target: float, tolerance: float) -> bool:
    """value is about the target ("6.5%左右"): no further from it than the tolerance.

    The figures are decimals typed by people (6.1 against 6.5 ± 0.4), so the
    distance is compared after rounding away binary noise: 6.5 − 6.1 is
    0.40000000000000036 in floating point, and 6.1 is about 6.5 ± 0.4.
    """
    return round(abs(value - target), 9) <= tolerance


PACED_KINDS = (Kind.cumulative, Kind.count)
WHOLE_NUMBER_KINDS = (Kind.count, Kind.rank)

# No figure of a county's plan comes near 10^15 of its own unit (the whole
# province's GDP is about 10^4 亿元): a larger target or reported figure is a
# typing or unit error, and refusing it keeps every figure finite through
# completion rates, charts and JSON. actuals holds reported figures to it too.
MAX_FIGURE = 1e15

# Characters nobody types into a name or a sentence: C0 and C1 controls, DEL,
# zero-width and bidirectional marks (U+202A–U+202E, U+2066–U+2069 reorder what
# a terminal shows), line and paragraph separators, a stray BOM, lone surrogates.
# They reach terminals raw and break the Excel templates, so the file refuses them.
_INVISIBLE = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff"
)
_NOT_IN_A_LINE = re.compile(f"[\t\n{_INVISIBLE}]")
_NOT_IN_A_PASSAGE = re.compile(f"[{_INVISIBLE}]")  # a quote may wrap: tab and newline pass


class Refusal(ValueError):
    """A check of gongfu's own that refuses a value, in Chinese and English.

    str() is the English, which is what pydantic and the GongfuError summary show.
    """

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh = zh
        self.en = en


def _refuse(pattern: re.Pattern[str]) -> Callable[[str], str]:
    def check(text: str) -> str:
        found = pattern.search(text)
        if found:
            code, at = f"U+{ord(found.group()):04X}", found.start() + 1
            raise Refusal(
                f"含有不可见的控制字符 {code}（第 {at} 个字符），请删去后重新输入",
                f"contains the invisible control character {code} "
                f"at character {at}; retype the text without it",
            )
        return text

    return check


def _not_yes_no(value: Any) -> Any:
    # YAML reads yes/no/true/false/on/off as booleans, and pydantic would take them as 1 and 0
    if isinstance(value, bool):
        raise Refusal(
            f"“{str(value).lower()}”不是数字（YAML 把 yes/no/on/off/true/false 读作是非值），"
            "请填写数值",
            f"'{str(value).lower()}' is not a number; write the figure",
        )
    return value


class Valid:
    """What a value of targets.yaml must be, as a mark in a field's annotation:
    keywords of pydantic's Field (ge, le, min_length, pattern, description …) and
    checks of gongfu's own, run before the type's validation (`before`) or after it
    (`after`).

    pydantic reads the mark through its `__get_pydantic_core_schema__` hook, and
    only when a file is validated; the catalogue's types and everything that uses
    them never import pydantic.
    """

    def __init__(
        self,
        *,
        before: Callable[[Any], Any] | None = None,
        after: Callable[[Any], Any] | None = None,
        **field: Any,
    ):
        self.before, self.after, self.field = before, after, field

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic import Field
        from pydantic_core import core_schema

        schema = handler(Annotated[source, Field(**self.field)] if self.field else source)
        if self.before is not None:
            schema = core_schema.no_info_before_validator_function(self.before, schema)
        if self.after is not None:
            schema = core_schema.no_info_after_validator_function(self.after, schema)
        return schema


Line = Annotated[str, Valid(after=_refuse(_NOT_IN_A_LINE))]  # names, units, owners
Text = Annotated[str, Valid(min_length=1, after=_refuse(_NOT_IN_A_LINE))]
Passage = Annotated[str, Valid(after=_refuse(_NOT_IN_A_PASSAGE))]  # quotes, descriptions
Figure = Annotated[float, Valid(before=_not_yes_no, ge=-MAX_FIGURE, le=MAX_FIGURE)]
Amount = Annotated[float, Valid(before=_not_yes_no, ge=0, le=MAX_FIGURE)]
Month = Annotated[int, Valid(before=_not_yes_no, ge=1, le=12)]
MonthlyShares = Annotated[list[Amount], Valid(min_length=12, max_length=12)]
# In percentage points of completion, not percent of the target: "5 points
# behind 序时进度" is how the monthly review words it.
YellowBand = Annotated[float, Valid(before=_not_yes_no, gt=0, le=100)]
# The settings of doubts.py: how far off a figure may be before it is questioned.
# A ratio of 1 or less would question every figure; above 10^6 nothing is ever asked.
DoubtRatio = Annotated[float, Valid(before=_not_yes_no, gt=1, le=1e6)]
Percent = Annotated[float, Valid(before=_not_yes_no, ge=0, le=100)]

# pydantic's settings for each catalogue type (read from the class, as for any
# dataclass it validates): a key nobody defined is a typing error, not ignored,
# and .nan/.inf are no figures.
_STRICT = {"extra": "forbid", "allow_inf_nan": False}


@dataclass(frozen=True)
class DoubtOverrides:
    """When a figure is questioned (数据存疑) rather than lit: settings of this tool,
    not figures of the plan. On one indicator, any of them replaces the default."""

    __pydantic_config__ = _STRICT

    unit_ratio: Annotated[
        DoubtRatio | None,
        Valid(
            description="unit-suspect: a figure this many times above or below what is "
            "expected (last period's figure, else target × time progress, else the target)."
        ),
    ] = None
    fraction_max: Annotated[
        Percent | None,
        Valid(description="fraction-suspect: a share (level in %) at or below this figure …"),
    ] = None
    fraction_target_above: Annotated[
        Percent | None,
        Valid(description="… whose target is above this figure, e.g. 0.918 for 91.8%."),
    ] = None
    jump_ratio: Annotated[
        DoubtRatio | None,
        Valid(
            description="jump-suspect: a year-to-date total more than this many times the "
            "previous period's …"
        ),
    ] = None
    jump_after_month: Annotated[
        Month | None,
        Valid(description="… in a month after this one (early months' totals grow fast)."),
    ] = None


@dataclass(frozen=True)
class DoubtSettings:
    """The settings every indicator starts from (defaults.doubts); see DoubtOverrides."""

    __pydantic_config__ = _STRICT

    unit_ratio: DoubtRatio = 50
    fraction_max: Percent = 1.5
    fraction_target_above: Percent = 10
    jump_ratio: DoubtRatio = 3
    jump_after_month: Month = 3

    def __post_init__(self) -> None:
        _check_fraction(self)

    def overridden(self, overrides: DoubtOverrides | None) -> DoubtSettings:
        if overrides is None:
            return self
        given = {name: value for name, value in asdict(overrides).items() if value is not None}
        return replace(self, **given)


def _check_fraction(settings: DoubtSettings) -> None:
    # A share at or below fraction_max is read as a fraction only where the
    # target is far above it; with the two crossed, honest shortfalls would be questioned.
    if settings.fraction_max >= settings.fraction_target_above:
        low, high = number(settings.fraction_max), number(settings.fraction_target_above)
        raise FieldError(
            "fraction_max",
            f"fraction_max（{low}）应小于 fraction_target_above（{high}）",
            f"fraction_max {low} must be below fraction_target_above {high}",
        )


class FieldError(Refusal):
    """A model-level check that belongs to one field: the problem is located at that field
    (a name, or a path such as ("indicators", 3, "aliases", 0) from the top of the file)."""

    def __init__(self, field: str | tuple[str | int, ...], zh: str, en: str):
        super().__init__(zh, en)
        self.field = field


def normalise(text: str) -> str:
    """The form names are compared in: NFKC (full-width → half-width), trimmed, casefolded."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _a_name(text: str) -> str:
    # an alias that is only spaces would be the name of every blank indicator cell
    if not normalise(text):
        raise Refusal("别名不能为空白", "an alias cannot be blank")
    return text


# Another spelling of an indicator's name (人均GDP for 人均地区生产总值), matched like names.
Alias = Annotated[Line, Valid(after=_a_name)]


@dataclass(frozen=True, kw_only=True)
class Indicator:
    """One quantified target or milestone of the plan."""

    __pydantic_config__ = _STRICT

    id: Annotated[str, Valid(pattern=r"^[a-z][a-z0-9_]*$")]
    name: Text
    name_en: Text
    unit: Line = ""
    unit_en: Line = ""
    op: Op
    target: Figure | None = None
    baseline: Annotated[
        Figure | None,
        Valid(
            description="For op 'maintain' (the value not to fall below) and 'rise' (the "
            "value to exceed) only: last year's figure, set by the county."
        ),
    ] = None
    also_met_by: Annotated[
        list[Line], Valid(description="Non-numeric values that also meet the target, e.g. A.")
    ] = field(default_factory=list)
    kind: Kind
    frequency: Frequency
    pace: Pace = Pace.none
    profile: Annotated[
        MonthlyShares | None,
        Valid(
            description="For pace 'seasonal': each month's share of the year, January first "
            "(any scale; gongfu divides by the sum). `gongfu profile` computes it."
        ),
    ] = None
    due_month: Month = 12
    year_to_date: Annotated[
        bool,
        Valid(
            description="For a level or rate reported as the year so far (1—M月, such as a "
            "leakage rate over months 1 to M): read from the 累计 (year-to-date) column when "
            "a file has one, before its 本月/本期值 column. Totals and growth always are."
        ),
    ] = False
    tolerance: Annotated[
        Amount,
        Valid(
            description="In the indicator's unit. For op '~' (左右, about): how far from the "
            "target a figure may be and still meet it (6.5 ± 0.5). For other levels, growth "
            "rates and ceilings: a near miss within it is yellow rather than red before "
            "December."
        ),
    ] = 0.0
    yellow_band: YellowBand | None = None
    doubts: DoubtOverrides | None = None
    bounds: tuple[Figure | None, Figure | None] | None = None
    owners: list[Line]
    owners_quote: Passage | None = None
    section: Text
    quote: Annotated[Passage, Valid(min_length=1)]
    assumption: Annotated[
        Passage | None,
        Valid(
            description="How gongfu reads the plan here, or a setting of its own (a tolerance, "
            "a pace, a due month), where the plan gives no figure: shown by `gongfu targets`."
        ),
    ] = None
    assumption_en: Passage | None = None
    aliases: Annotated[
        list[Alias],
        Valid(
            description="Other spellings people type (人均GDP, 旅游收入), matched exactly like "
            "the name in data files and --indicator; each leads to this indicator only."
        ),
    ] = field(default_factory=list)
    release: Annotated[
        Month | None,
        Valid(
            description="When the year's final figure is published, as a month of the next "
            "year (4: April, four months after the year ends). Until it arrives, the December "
            "review shows the indicator as awaiting (待发布), not as not reported; it comes in "
            "a year-end file (2025-年报.csv). Not for milestones, whose verdict is December's."
        ),
    ] = None

    def __post_init__(self) -> None:
        self._target_matches_op()
        self._release_has_a_figure()

    def _target_matches_op(self) -> None:
        if self.op in (*COMPARISONS, ABOUT) and self.target is None:
            raise FieldError(
                "target",
                f"op 为“{self.op}”时必须填写数值 target",
                f"op '{self.op}' needs a numeric 'target'",
            )
        if self.op == ABOUT:
            self._about_is_defined()
        if self.op in RELATIVE and self.target is not None:
            raise FieldError(
                "target",
                f"op 为“{self.op}”时与 baseline（基数）比较，不填 target",
                f"op '{self.op}' compares with 'baseline', not 'target'",
            )
        if self.op not in RELATIVE and self.baseline is not None:
            # target_value reads a baseline only for maintain/rise: elsewhere it would be ignored
            raise FieldError(
                "baseline",
                f"只有 op 为“maintain”或“rise”时才读取 baseline；op 为“{self.op}”时用的是 target",
                f"only op 'maintain' or 'rise' reads 'baseline'; op '{self.op}' uses 'target'",
            )
        if (self.op == "done") != (self.kind == Kind.milestone):
            raise FieldError(
                "op",
                "op 为“done”与 kind 为“milestone”必须同时使用",
                "op 'done' goes with kind 'milestone', and only with it",
            )
        if self.pace != Pace.none and self.kind not in PACED_KINDS:
            raise FieldError(
                "pace",
                f"pace 为“{self.pace.value}”只适用于 kind 为“cumulative”或“count”的指标",
                f"pace '{self.pace.value}' applies only to cumulative and count",
            )
        if (self.pace == Pace.seasonal) != (self.profile is not None):
            raise FieldError(
                "pace",
                "pace 为“seasonal”时必须填写 12 个月的 profile，其他 pace 不能填写 profile",
                "pace 'seasonal' needs a 12-month 'profile', and only it takes one",
            )
        if self.profile is not None and sum(self.profile) <= 0:
            raise FieldError(
                "profile",
                "profile 中至少要有一个月大于 0",
                "'profile' must have at least one month above 0",
            )
        self._target_within_bounds()

    def _about_is_defined(self) -> None:
        """'~' (左右) is the target give or take its tolerance: the tolerance must say how
        much, and the figure is compared as it stands, not against 序时进度 or as a rank."""
        if self.tolerance <= 0:
            raise FieldError(
                "tolerance",
                "op 为“~”（左右）时必须填写大于 0 的 tolerance（与指标同单位），说明“左右”的范围："
                "如 target: 6.5、tolerance: 0.5 即 6.0 至 7.0 为达标",
                "op '~' (about) needs a 'tolerance' above 0, in the indicator's unit, saying "
                "how far from the target still counts: target 6.5, tolerance 0.5 is 6.0 to 7.0",
            )
        if self.kind == Kind.rank:
            raise FieldError(
                "op",
                "排名类指标不能用 op“~”（左右），请用“<=”（前N位）",
                "a rank takes no op '~' (about); use '<=' (top N)",
            )
        if self.paced:
            raise FieldError(
                "pace",
                f"op 为“~”（左右）时按数值直接比较，pace 不能为“{self.pace.value}”；"
                "请用 none（每期比较）或 year_end（年底考核）",
                f"op '~' (about) compares the figure as it stands, not pace "
                f"'{self.pace.value}'; use none (every period) or year_end",
            )

    def _release_has_a_figure(self) -> None:
        if self.release is not None and self.kind == Kind.milestone:
            raise FieldError(
                "release",
                "里程碑在12月判定完成与否，没有次年发布的年度数据，不能填写 release",
                "a milestone is settled in December and has no figure published later: "
                "'release' does not apply",
            )

    def _target_within_bounds(self) -> None:
        """Bounds that hold together, and a target a plausible figure can reach."""
        if self.bounds is not None:
            low, high = self.bounds
            if low is not None and high is not None and low > high:
                raise FieldError(
                    "bounds",
                    f"下限 {number(low)} 大于上限 {number(high)}",
                    f"the lower bound {number(low)} is above the upper {number(high)}",
                )
        value = self.target_value
        low, high = self.plausible_range()
        if value is None or ((low is None or value >= low) and (high is None or value <= high)):
            return
        field = "baseline" if self.op in RELATIVE else "target"
        lowest = number(low) if low is not None else "-∞"
        highest = number(high) if high is not None else "∞"
        raise FieldError(
            field,
            f"{number(value)} 超出了报送数值可取的范围（{lowest} 至 {highest}）"
            + ("" if self.bounds is not None else "；如范围确实更宽，请设置 bounds"),
            f"{number(value)} lies outside the range a reported figure may take "
            f"({lowest} to {highest})"
            + ("" if self.bounds is not None else "; set 'bounds' if the range is wider"),
        )

    @property
    def paced(self) -> bool:
        """Judged against 序时进度 (linear or seasonal) rather than the target as it stands."""
        return self.pace in (Pace.linear, Pace.seasonal)

    def time_progress(self, month: int) -> float | None:
        """序时进度 at the end of `month`: M/12, or the profile's share of the year so far."""
        if self.pace == Pace.linear:
            return month / 12
        if self.pace == Pace.seasonal:
            assert self.profile is not None
            return sum(self.profile[:month]) / sum(self.profile)
        return None

    @property
    def target_value(self) -> float | None:
        """The figure a value is compared with: the baseline for maintain/rise, else the
        target."""
        return self.baseline if self.op in RELATIVE else self.target

    @property
    def is_ceiling(self) -> bool:
        """Lower is better (漏损率、收入倍差、排名)."""
        return self.op in ("<", "<=")

    def plausible_range(self) -> tuple[float | None, float | None]:
        """Bounds for a reported value: the YAML's own, else inferred from kind and unit."""
        if self.bounds is not None:
            return self.bounds
        if self.kind == Kind.rank:
            return (1, None)
        if self.kind in PACED_KINDS:
            return (0, None)
        if self.kind == Kind.level and self.unit == "%":
            return (0, 100)
        if self.kind == Kind.level:
            return (0, None)
        return (None, None)


@dataclass(frozen=True)
class Defaults:
    __pydantic_config__ = _STRICT

    yellow_band: YellowBand = 5.0
    doubts: DoubtSettings = field(default_factory=DoubtSettings)
    assumption: Annotated[
        Passage | None,
        Valid(
            description="What the defaults are: settings of this tool (the yellow band, when "
            "a figure is doubtful), not figures of the plan."
        ),
    ] = None
    assumption_en: Passage | None = None


@dataclass(frozen=True)
class Rule:
    """A cross-indicator check: ``left op right`` must hold when both are reported."""

    __pydantic_config__ = _STRICT

    id: Text
    left: Text
    op: Literal["<", "<=", ">", ">=", "=="]
    right: Text
    description: Annotated[Passage, Valid(min_length=1)]
    description_en: Annotated[Passage, Valid(min_length=1)]


@dataclass(frozen=True, kw_only=True)
class Targets:
    """The whole targets file: the plan, its year, defaults, rules and indicators."""

    __pydantic_config__ = _STRICT

    plan: Text
    plan_en: Line = ""
    county: Annotated[
        Line,
        Valid(
            description="Optional: the county (or district) whose plan this is, for titles "
            "such as the template's (示例县2026年7月 指标数据填报表)."
        ),
    ] = ""
    document: Line = ""
    year: Annotated[int, Valid(before=_not_yes_no, ge=2000, le=2100)]
    defaults: Defaults = field(default_factory=Defaults)
    sections: Annotated[
        dict[Line, Line],
        Valid(
            description="The plan's headings by section code (二, 三(一) …), for grouping reports."
        ),
    ] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    indicators: Annotated[list[Indicator], Valid(min_length=1)]

    def __post_init__(self) -> None:
        self._ids_and_names_unique()

    def _ids_and_names_unique(self) -> None:
        ids: set[str] = set()
        names: set[str] = set()
        for ind in self.indicators:
            if ind.id in ids:
                raise Refusal(f"指标 id“{ind.id}”重复", f"duplicate indicator id '{ind.id}'")
            if normalise(ind.name) in names:
                name = shown(ind.name)
                raise Refusal(
                    f"指标名称“{name}”重复（在 id“{ind.id}”处）",
                    f"duplicate indicator name '{name}' (at id '{ind.id}')",
                )
            ids.add(ind.id)
            names.add(normalise(ind.name))
        self._aliases_lead_to_one_indicator()
        for rule in self.rules:
            for side in (rule.left, rule.right):
                if side not in ids:
                    rule_id, named = shown(rule.id), shown(side)
                    raise Refusal(
                        f"规则“{rule_id}”引用了不存在的指标“{named}”",
                        f"rule '{rule_id}' names unknown indicator '{named}'",
                    )
        for ind in self.indicators:
            try:
                _check_fraction(self.doubt_settings(ind))
            except FieldError as exc:
                raise Refusal(
                    f"指标“{ind.id}”的 doubts 设置：{exc.zh}",
                    f"indicator '{ind.id}' doubts: {exc.en}",
                ) from None

    def _aliases_lead_to_one_indicator(self) -> None:
        """An alias that is another indicator's id, name, English name or alias would send
        its rows to one of the two silently: refused, located at the alias."""
        taken: dict[str, tuple[str, str, str]] = {}  # spelling → (id, what it is zh, en)
        for ind in self.indicators:
            for spelling, zh, en in ((ind.id, " id", "id"), (ind.name, "名称", "name")):
                taken[normalise(spelling)] = (ind.id, zh, en)
            taken.setdefault(normalise(ind.name_en), (ind.id, "英文名称", "English name"))
        for index, ind in enumerate(self.indicators):
            for place, alias in enumerate(ind.aliases):
                other, zh, en = taken.setdefault(normalise(alias), (ind.id, "别名", "alias"))
                if other != ind.id:
                    text = shown(alias)
                    raise FieldError(
                        ("indicators", index, "aliases", place),
                        f"别名“{text}”已是指标“{other}”的{zh}，同一写法只能对应一个指标；"
                        "请删去或改写其中一个",
                        f"the alias '{text}' is already the {en} of indicator '{other}'; "
                        "a spelling may lead to one indicator only: remove or change one",
                    )

    def label(self, indicator_id: str) -> str:
        """An indicator as messages name it: 旅游总收入（tourism_revenue）."""
        ind = self.by_id.get(indicator_id)
        return indicator_id if ind is None else f"{ind.name}（{ind.id}）"

    @cached_property
    def owners(self) -> list[str]:
        """Every responsible unit the plan names, sorted."""
        return sorted({owner for ind in self.indicators for owner in ind.owners})

    @cached_property
    def by_id(self) -> dict[str, Indicator]:
        return {ind.id: ind for ind in self.indicators}

    @cached_property
    def by_name(self) -> dict[str, Indicator]:
        """Every accepted spelling (id, Chinese name, English name, aliases), normalised."""
        names: dict[str, Indicator] = {}
        for ind in self.indicators:
            names.setdefault(normalise(ind.name_en), ind)
        for ind in self.indicators:
            names.update((normalise(alias), ind) for alias in ind.aliases)
            names[normalise(ind.name)] = ind
            names[ind.id] = ind
        return names

    def section_title(self, section: str) -> tuple[str, str]:
        """The heading a section falls under: '三(二)5' → ('三(二)', its title in the plan)."""
        code = section.split(")")[0] + ")" if ")" in section else section
        return code, self.sections.get(code, "")

    def due_ids(self, month: int) -> frozenset[str]:
        """The indicators due in the month (is_due), by id: asked for every month reviewed."""
        return (self._calendar.get(month) or self._month(month))[0]

    def reporting_ids(self, month: int) -> frozenset[str]:
        """The indicators whose frequency gives them a figure in the month (reports_in)."""
        return (self._calendar.get(month) or self._month(month))[1]

    @cached_property
    def _calendar(self) -> dict[int, tuple[frozenset[str], frozenset[str]]]:
        return {month: self._month(month) for month in range(1, 13)}

    def _month(self, month: int) -> tuple[frozenset[str], frozenset[str]]:
        # (a month outside 1-12, which no file is named for, is worked out each time)
        return (
            frozenset(i.id for i in self.indicators if is_due(i, Period(self.year, month))),
            frozenset(i.id for i in self.indicators if reports_in(i, month)),
        )

    def yellow_band(self, ind: Indicator) -> float:
        return ind.yellow_band if ind.yellow_band is not None else self.defaults.yellow_band

    def doubt_settings(self, ind: Indicator) -> DoubtSettings:
        """When the indicator's figures are questioned: the defaults, with its own overrides."""
        return self.defaults.doubts.overridden(ind.doubts)


def reports_in(ind: Indicator, month: int) -> bool:
    """Whether the indicator's frequency gives it a figure in this month."""
    if ind.frequency == Frequency.quarterly:
        return month % 3 == 0
    if ind.frequency == Frequency.annual:
        return month == 12
    return True


def is_due(ind: Indicator, period: Period) -> bool:
    """Whether a figure is expected this month, so that its absence is 未报送.

    January is never due: Chinese statistics publish January and February
    together (1–2月), so February's file is the year's first; a January file
    is read and used, but nothing missing from it counts as unreported. Nor is
    December due for a figure published the next year (awaited).
    """
    return period.month != 1 and reports_in(ind, period.month) and not awaited(ind, period)


def awaited(ind: Indicator, period: Period) -> bool:
    """Whether the year's figure is published only after December (`release`): in
    December it is awaited (待发布), not yet due, so its absence is never 未报送."""
    return period.month == 12 and ind.release is not None


def release_period(ind: Indicator, year: int) -> Period | None:
    """The month the year's final figure is expected: `release` of the following year."""
    return None if ind.release is None else Period(year + 1, ind.release)


def shown(text: str, limit: int = 40) -> str:
    """User or library text made safe for a message: invisible characters as U+XXXX, short."""
    text = _NOT_IN_A_LINE.sub(lambda found: f"<U+{ord(found.group()):04X}>", text)
    return text if len(text) <= limit else text[:limit] + "…"
