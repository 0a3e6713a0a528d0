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
from pathlib import Path

from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import GongfuError, Problem, no_actuals
from gongfu_cli.model.results import Review, ValidationReport
from gongfu_cli.model.targets import Targets

PathLike = str | os.PathLike[str]

__all__ = ["load_targets", "review", "validate"]


def load_targets(path: PathLike | None = None) -> Targets:
    """The catalogue: `path`, else data/targets.yaml under the working folder, else
    the copy bundled with gongfu."""
    return _targets_and_file(path)[0]


def review(
    path: PathLike,
    period: str | Period | None = None,
    targets: PathLike | Targets | None = None,
) -> Review:
    """The month under review with its year's history: the same answer as
    `gongfu check PATH` (every check of `validate` included).

    `path` is a monthly file or a folder (its latest month, or `period`'s);
    `period` is "2025-06" or a Period; `targets` a targets file or a loaded
    catalogue.
    """
    from gongfu_cli.judge.year import evaluate_year

    catalogue, targets_file = _targets_and_file(targets)
    year = evaluate_year(Path(path), catalogue, _period(period))
    return Review(year=year, targets=catalogue, targets_file=targets_file)


def validate(
    paths: PathLike | Iterable[PathLike],
    targets: PathLike | Targets | None = None,
    strict: bool = False,
    period: str | Period | None = None,
) -> ValidationReport:
    """The data gate: the same answer as `gongfu validate PATHS` (`.valid` is its exit 0)."""
    from gongfu_cli.judge.validate import validate_files
    from gongfu_cli.read.files import expand_paths

    given = [Path(paths)] if isinstance(paths, str | os.PathLike) else [Path(p) for p in paths]
    catalogue = _targets_and_file(targets)[0]
    ignored: list[Problem] = []
    months: dict[Path, Period] = {}
    files = expand_paths(given, ignored, months)
    if not files:
        nothing = [no_actuals(p) for p in given]
        raise GongfuError(nothing + ignored)
    return validate_files(
        files, catalogue, strict=strict, period=_period(period), ignored=ignored, periods=months
    )


def _targets_and_file(targets: PathLike | Targets | None) -> tuple[Targets, str]:
    """The catalogue and the file it came from (which JSON names)."""
    if isinstance(targets, Targets):
        return targets, "<Targets>"
    from gongfu_cli.read.targets_file import load_targets, locate_targets, targets_unreadable

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
    if period is None or isinstance(period, Period):
        return period
    from gongfu_cli.read.files import parse_period

    parsed = parse_period(period)
    if parsed is None:
        message = f"period must be YYYY-MM, e.g. 2025-06 (got {period!r})"
        raise GongfuError([Problem("bad-option", params={"message": message})])
    return parsed
