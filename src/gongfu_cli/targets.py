"""Stage 1 of the pipeline: load and validate the target catalogue (targets.yaml).

The YAML is parsed with PyYAML's *safe* loader (no Python objects can be built
from a targets file) and validated by pydantic models. Any problem becomes a
located Problem (file, line, field) raised inside a GongfuError, never a traceback.
"""

from __future__ import annotations

import unicodedata
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .problems import GongfuError, Problem


class Kind(Enum):  # not a str Enum: a member named `count` would shadow str.count
    cumulative = "cumulative"  # year-to-date total (1–M月累计)
    count = "count"  # year-to-date whole number
    level = "level"  # rate, share, index or stock, compared as it stands
    growth = "growth"  # year-to-date growth in percent (累计增速)
    rank = "rank"  # position in the province, 1 = best
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


Op = Literal[">", ">=", "<", "<=", "maintain", "done"]
COMPARISONS = (">", ">=", "<", "<=")
PACED_KINDS = (Kind.cumulative, Kind.count)
WHOLE_NUMBER_KINDS = (Kind.count, Kind.rank)

Text = Annotated[str, Field(min_length=1)]
MonthlyShares = Annotated[list[Annotated[float, Field(ge=0)]], Field(min_length=12, max_length=12)]


def normalise(text: str) -> str:
    """The form names are compared in: NFKC (full-width → half-width), trimmed, casefolded."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


class Indicator(BaseModel):
    """One quantified target or milestone of the plan."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: Text
    name_en: Text
    unit: str = ""
    op: Op
    target: float | None = None
    baseline: float | None = Field(
        None, description="For op 'maintain': the value not to fall below."
    )
    also_met_by: list[str] = Field(
        default_factory=list, description="Non-numeric values that also meet the target, e.g. A."
    )
    kind: Kind
    frequency: Frequency
    pace: Pace = Pace.none
    profile: MonthlyShares | None = Field(
        None,
        description="For pace 'seasonal': each month's share of the year, January first "
        "(any scale; gongfu divides by the sum). `gongfu profile` computes it.",
    )
    due_month: Annotated[int, Field(ge=1, le=12)] = 12
    tolerance: Annotated[float, Field(ge=0)] = 0.0
    yellow_band: Annotated[float, Field(gt=0, le=100)] | None = None
    bounds: tuple[float | None, float | None] | None = None
    owners: list[str]
    owners_quote: str | None = None
    section: Text
    quote: Text
    assumption: str | None = None
    assumption_en: str | None = None

    @model_validator(mode="after")
    def _target_matches_op(self) -> Indicator:
        if self.op in COMPARISONS and self.target is None:
            raise ValueError(f"op '{self.op}' needs a numeric 'target'")
        if self.op == "maintain" and self.target is not None:
            raise ValueError("op 'maintain' compares with 'baseline', not 'target'")
        if (self.op == "done") != (self.kind == Kind.milestone):
            raise ValueError("op 'done' goes with kind 'milestone', and only with it")
        if self.pace != Pace.none and self.kind not in PACED_KINDS:
            raise ValueError(f"pace '{self.pace.value}' applies only to cumulative and count")
        if (self.pace == Pace.seasonal) != (self.profile is not None):
            raise ValueError("pace 'seasonal' needs a 12-month 'profile', and only it takes one")
        if self.profile is not None and sum(self.profile) <= 0:
            raise ValueError("'profile' must have at least one month above 0")
        return self

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
        """The figure a value is compared with: the baseline for 'maintain', else the target."""
        return self.baseline if self.op == "maintain" else self.target

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


class Defaults(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # In percentage points of completion, not percent of the target: "5 points
    # behind 序时进度" is how the monthly review words it.
    yellow_band: Annotated[float, Field(gt=0, le=100)] = 5.0


class Rule(BaseModel):
    """A cross-indicator check: ``left op right`` must hold when both are reported."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Text
    left: Text
    op: Literal["<", "<=", ">", ">=", "=="]
    right: Text
    description: Text
    description_en: Text


class Targets(BaseModel):
    """The whole targets file: the plan, its year, defaults, rules and indicators."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    plan: Text
    plan_en: str = ""
    document: str = ""
    year: Annotated[int, Field(ge=2000, le=2100)]
    defaults: Defaults = Defaults()
    sections: dict[str, str] = Field(
        default_factory=dict,
        description="The plan's headings by section code (二, 三(一) …), for grouping reports.",
    )
    rules: list[Rule] = Field(default_factory=list)
    indicators: Annotated[list[Indicator], Field(min_length=1)]

    @model_validator(mode="after")
    def _ids_and_names_unique(self) -> Targets:
        ids: set[str] = set()
        names: set[str] = set()
        for ind in self.indicators:
            if ind.id in ids:
                raise ValueError(f"duplicate indicator id '{ind.id}'")
            if normalise(ind.name) in names:
                raise ValueError(f"duplicate indicator name '{ind.name}' (at id '{ind.id}')")
            ids.add(ind.id)
            names.add(normalise(ind.name))
        for rule in self.rules:
            for side in (rule.left, rule.right):
                if side not in ids:
                    raise ValueError(f"rule '{rule.id}' names unknown indicator '{side}'")
        return self

    @cached_property
    def by_id(self) -> dict[str, Indicator]:
        return {ind.id: ind for ind in self.indicators}

    @cached_property
    def by_name(self) -> dict[str, Indicator]:
        """Every accepted spelling (id, Chinese name, English name), normalised."""
        names: dict[str, Indicator] = {}
        for ind in self.indicators:
            names.setdefault(normalise(ind.name_en), ind)
        for ind in self.indicators:
            names[normalise(ind.name)] = ind
            names[ind.id] = ind
        return names

    def section_title(self, section: str) -> tuple[str, str]:
        """The heading a section falls under: '三(二)5' → ('三(二)', its title in the plan)."""
        code = section.split(")")[0] + ")" if ")" in section else section
        return code, self.sections.get(code, "")

    def yellow_band(self, ind: Indicator) -> float:
        return ind.yellow_band if ind.yellow_band is not None else self.defaults.yellow_band


# ---------------------------------------------------------------------------
# Finding and loading the file


def bundled_targets() -> Path:
    """The copy inside the installed package, or data/ of a source checkout."""
    packaged = Path(__file__).with_name("targets.yaml")
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "targets.yaml"


def locate_targets(explicit: Path | None, cwd: Path | None = None) -> Path:
    """Lookup order: --targets, then ./data/targets.yaml, then the bundled copy."""
    if explicit is not None:
        return explicit
    local = (cwd / "data" / "targets.yaml") if cwd else Path("data", "targets.yaml")
    if local.is_file():
        return local
    return bundled_targets()


def load_targets(path: Path) -> Targets:
    """Read, parse and validate a targets file; GongfuError with located problems if bad."""
    file = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise GongfuError(
            [Problem("targets-not-found", file=file, params={"path": file})]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else str(exc)
        raise GongfuError(
            [Problem("targets-yaml-error", file=file, params={"reason": reason})]
        ) from None
    data, root = _parse_yaml(text, file)
    try:
        return Targets.model_validate(data)
    except ValidationError as exc:
        raise GongfuError(_located(exc, data, root, file)) from None


# libyaml's safe loader when PyYAML was built with it (7x faster on our file:
# 18 ms instead of 130 ms, most of a run's start-up); the pure-Python one is the
# same safe constructor with the same error marks.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_yaml(text: str, file: str) -> tuple[Any, yaml.Node | None]:
    loader = None
    try:
        loader = _SafeLoader(text)
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        if exc.problem and "could not determine a constructor" in exc.problem:
            tag = exc.problem.split("tag", 1)[-1].strip()
            raise GongfuError(
                [Problem("targets-unsafe-tag", file=file, line=line, params={"tag": tag})]
            ) from None
        raise GongfuError(
            [Problem("targets-yaml-error", file=file, line=line, params={"reason": exc.problem})]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise GongfuError(
            [
                Problem(
                    "targets-yaml-error",
                    file=file,
                    line=mark.line + 1 if mark else None,
                    column=str(mark.column + 1) if mark else None,
                    params={"reason": reason},
                )
            ]
        ) from None
    except RecursionError:
        raise GongfuError(
            [Problem("targets-yaml-error", file=file, params={"reason": "nested too deeply"})]
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, root


def _located(exc: ValidationError, data: Any, root: yaml.Node | None, file: str) -> list[Problem]:
    """Turn pydantic's errors into Problems with a dotted field path and the YAML line."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = [part for part in err["loc"] if not _is_union_tag(part)]
        field = _field_path(loc)
        indicator = None
        if len(loc) >= 2 and loc[0] == "indicators" and isinstance(loc[1], int):
            try:
                indicator = data["indicators"][loc[1]].get("id")
            except (AttributeError, IndexError, KeyError, TypeError):
                indicator = None
        problems.append(
            Problem(
                "targets-invalid",
                file=file,
                line=_line_of(root, loc),
                column=field or None,
                indicator=indicator if isinstance(indicator, str) else None,
                params={"field": field or "(top level)", "reason": err["msg"]},
            )
        )
    return problems


def _is_union_tag(part: object) -> bool:
    # pydantic adds the member type (e.g. 'float', 'tuple[...]') to loc inside unions
    return isinstance(part, str) and ("[" in part or part in ("float", "int", "str", "none"))


def _field_path(loc: list[Any]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _line_of(node: yaml.Node | None, loc: list[Any]) -> int | None:
    """Walk the composed YAML tree along loc; the deepest node found gives the line."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    line, node = key.start_mark.line + 1, value
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def targets_schema() -> dict[str, Any]:
    """JSON Schema of targets.yaml, for editors (yaml-language-server) and `gongfu schema`."""
    schema = Targets.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "gongfu targets.yaml"
    return schema
