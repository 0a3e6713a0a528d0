"""The public surface: what a script, a notebook and the `gongfu` command call.

    import gongfu_cli as gf

    catalogue = gf.load_targets()                     # data/targets.yaml, or the bundled copy
    review = gf.review("data/actuals/")               # = gongfu check data/actuals/
    review.to_frame()                                 # one row per indicator (pandas)
    gf.validate(["data/actuals/"]).valid              # = gongfu validate data/actuals/

Each function runs the pipeline (targets → actuals → validate → evaluate) and
returns language-free results (gongfu_cli.model.results). A run that cannot go
on (a missing path, a broken targets file, an unreadable month) raises
GongfuError, whose `problems` say what and where, as the CLI prints them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import GongfuError, Problem, no_actuals
from gongfu_cli.model.results import Evaluation, Report, ValidationReport, Year, YearResult
from gongfu_cli.model.targets import Targets
from gongfu_cli.model.text import safe_text

PathLike = str | os.PathLike[str]

__all__ = ["Review", "Validation", "load_targets", "review", "validate"]


@dataclass
class Review:
    """The answer to `gongfu check PATH`: the month under review with its year.

    `year.reports` runs from January (or the first month sent) to the month
    under review; `latest` is that month. Every check of `validate` has run on
    every month, so `problems` is what validate would say about it too.
    """

    year: Year
    targets: Targets
    targets_file: str
    result: YearResult | None = None  # the year's result, when asked for (final=True)

    @property
    def latest(self) -> Report:
        return self.year.latest

    @property
    def period(self) -> Period:
        return self.latest.period

    @property
    def evaluations(self) -> list[Evaluation]:
        return self.latest.evaluations

    @property
    def problems(self) -> list[Problem]:
        return self.latest.problems

    def to_dict(self, evaluations: list[Evaluation] | None = None) -> dict[str, Any]:
        """Exactly what `gongfu check --format json` prints."""
        document = self.latest.to_dict(evaluations)
        document["targets"] = self.targets_file
        document["plan"] = self.targets.plan
        if self.result is not None:
            document["result"] = self.result.to_dict()
        return document

    def to_frame(self) -> pd.DataFrame:
        """One row per indicator for the month under review (pandas; imported only here)."""
        from gongfu_cli.render.frames import month_frame

        return month_frame(self.latest)

    def year_frame(self) -> pd.DataFrame:
        """Long form: one row per indicator × month of the year, for pivots."""
        from gongfu_cli.render.frames import year_frame

        return year_frame(self.year)

    def _repr_html_(self) -> str:
        """Jupyter shows a review as the report's traffic-light table."""
        from gongfu_cli.render.html import review_table_html

        return review_table_html(self.latest, self.targets)


@dataclass
class Validation(ValidationReport):
    """The answer to `gongfu validate PATHS` (`.valid` is its exit 0), with its
    problems as a DataFrame."""

    def to_frame(self) -> pd.DataFrame:
        """One row per problem (pandas; imported only here)."""
        from gongfu_cli.render.frames import problems_frame

        return problems_frame(self.problems)


def load_targets(path: PathLike | None = None) -> Targets:
    """The catalogue: `path`, else data/targets.yaml under the working folder, else
    the copy bundled with gongfu. A file validated before is read back from the cache
    (README "Validated once, kept"); each call gives the caller its own copy."""
    return _targets_and_file(path)[0]


def review(
    path: PathLike,
    period: str | Period | None = None,
    targets: PathLike | Targets | None = None,
    final: bool = False,
) -> Review:
    """The month under review with its year's history: the same answer as
    `gongfu check PATH` (every check of `validate` included).

    `path` is a monthly file or a folder (its latest month, or `period`'s);
    `period` is "2025-06" or a Period; `targets` a targets file or a loaded
    catalogue. With `final` (`gongfu check --final`) the review is December of the
    targets' year (or of `period`'s) in the folder (a file stands for its folder),
    with every revision and final figure, and
    `result` is the year's result; each indicator that keeps the year open is a
    year-not-closed error, and a folder with no December figures at all raises
    GongfuError(year-not-closed).
    """
    from gongfu_cli.judge.year import close_year, evaluate_year

    catalogue, targets_file = _targets_and_file(targets)
    chosen = _period(period)
    if not final:
        year = evaluate_year(Path(path), catalogue, chosen)
        return Review(year=year, targets=catalogue, targets_file=targets_file)
    from gongfu_cli.read.files import path_kind

    december = Period(chosen.year if chosen else catalogue.year, 12)
    # the year is its folder's: a file named stands for the folder it is in
    folder = Path(path) if path_kind(Path(path)) == "folder" else Path(path).parent
    try:
        year = evaluate_year(folder, catalogue, december)
    except GongfuError as exc:
        if not any(p.code in ("no-actuals-file", "month-not-in-folder") for p in exc.problems):
            raise
        others = [
            p for p in exc.problems if p.code not in ("no-actuals-file", "month-not-in-folder")
        ]
        raise GongfuError([_no_december(folder, december), *others]) from None
    result, still_open = close_year(year.latest)
    year.latest.problems.extend(still_open)
    return Review(year=year, targets=catalogue, targets_file=targets_file, result=result)


def _no_december(path: Path, december: Period) -> Problem:
    year = december.year
    return Problem(
        "year-not-closed",
        file=str(path),
        params={
            "year": year,
            "what_zh": f"没有12月的数据（{december}.csv 或 {year}-年报.csv）",
            "what_en": f"there are no December figures ({december}.csv or {year}-年报.csv)",
        },
    )


def validate(
    paths: PathLike | Iterable[PathLike],
    targets: PathLike | Targets | None = None,
    strict: bool = False,
    period: str | Period | None = None,
) -> Validation:
    """The data gate: the same answer as `gongfu validate PATHS` (`.valid` is its exit 0)."""
    from gongfu_cli.judge.validate import validate_files
    from gongfu_cli.read.files import expand_paths

    given = [Path(paths)] if isinstance(paths, str | os.PathLike) else [Path(p) for p in paths]
    if not given:
        message = "没有给出要检查的文件或目录 / no file or folder given"
        raise GongfuError([Problem("bad-option", params={"message": message})])
    catalogue = _targets_and_file(targets)[0]
    ignored: list[Problem] = []
    months: dict[Path, Period] = {}
    files = expand_paths(given, ignored, months)
    if not files:
        nothing = [no_actuals(p) for p in given]
        raise GongfuError(nothing + ignored)
    report = validate_files(
        files, catalogue, strict=strict, period=_period(period), ignored=ignored, periods=months
    )
    return Validation(report.files, report.strict)


def _targets_and_file(targets: PathLike | Targets | None) -> tuple[Targets, str]:
    """The catalogue and the file it came from (which JSON names)."""
    if isinstance(targets, Targets):
        return targets, "<Targets>"
    from gongfu_cli.read.targets_cache import load_targets
    from gongfu_cli.read.targets_place import locate_targets, targets_unreadable

    path = None if targets is None else Path(targets)
    try:
        located = locate_targets(path)
        if path is not None:
            os.stat(path)  # a path the system refuses is said as such, not as bad YAML
    except FileNotFoundError:
        pass  # load_targets says targets-not-found
    except OSError as exc:
        raise GongfuError([targets_unreadable(path or Path("data", "targets.yaml"), exc)]) from None
    return load_targets(located), str(located)


def _period(period: str | Period | None) -> Period | None:
    if period is None:
        return None
    if isinstance(period, Period):
        parsed: Period | None = period if 1 <= period.month <= 12 else None
    else:
        from gongfu_cli.read.files import parse_period

        parsed = parse_period(period)
    if parsed is None:
        shown = safe_text(str(period))[:40]
        message = (
            f"报告期应为 YYYY-MM，如 2025-06（收到“{shown}”） / "
            f"period must be YYYY-MM, e.g. 2025-06 (got '{shown}')"
        )
        raise GongfuError([Problem("bad-option", params={"message": message})])
    return parsed
