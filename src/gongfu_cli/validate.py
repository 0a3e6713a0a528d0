"""The data gate behind `gongfu validate`: check files, never evaluate targets.

Each file is read with the same reader as `gongfu check` (so the same problems
and codes), then checked for what only a validator cares about: indicators due
but absent, cross-indicator rules from targets.yaml, and year-to-date totals
that fall between the months given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .actuals import Actuals, read_actuals
from .evaluate import is_due
from .periods import Period, list_folder, path_kind, period_from_name
from .problems import GongfuError, Problem, errors_in, number, warnings_in
from .targets import PACED_KINDS, Targets


@dataclass
class FileResult:
    file: str
    period: Period | None = None
    encoding: str | None = None
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ValidationReport:
    files: list[FileResult]
    strict: bool = False

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]

    @property
    def errors(self) -> list[Problem]:
        return errors_in(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return warnings_in(self.problems)

    @property
    def valid(self) -> bool:
        return not self.errors and not (self.strict and self.warnings)


def expand_paths(paths: list[Path], unused: list[Problem] | None = None) -> list[Path]:
    """Files as given; a folder means its monthly files in period order.

    Every other file in a folder is reported in `unused` (ignored-file warnings,
    see periods.list_folder). Raises GongfuError(file-not-found, or
    unreadable-file for a path the system will not let us look at): that is a
    mistake in the command, not in the data.
    """
    files: list[Path] = []
    failures: list[Problem] = []
    for path in paths:
        try:
            if path_kind(path) == "folder":
                listing = list_folder(path)
                files.extend(listing.monthly)
                if unused is not None:
                    unused.extend(listing.unused)
            else:
                files.append(path)
        except GongfuError as exc:
            failures.extend(exc.problems)
    if failures:
        raise GongfuError(failures)
    return files


def validate_files(
    files: list[Path],
    targets: Targets,
    strict: bool = False,
    period: Period | None = None,
    unused: list[Problem] | None = None,
) -> ValidationReport:
    """Read every file, then run the checks that need the catalogue or other months.

    `period` is used for files whose names carry none (a file's own name wins,
    so one option cannot give twelve monthly files the same month). `unused`
    are the folders' files that are not read (expand_paths); each is listed as
    a file of its own with its warning.
    """
    results: list[FileResult] = []
    readable: list[tuple[FileResult, Actuals]] = []
    for path in files:
        result = FileResult(file=str(path), period=period_from_name(path) or period)
        results.append(result)
        try:
            actuals = read_actuals(path, targets, result.period)
        except GongfuError as exc:
            result.problems.extend(exc.problems)
            continue
        result.encoding, result.rows = actuals.encoding, actuals.rows
        result.problems.extend(actuals.problems)
        result.problems.extend(_missing_indicators(actuals, targets))
        result.problems.extend(_rule_violations(actuals, targets))
        readable.append((result, actuals))
    for result, problem in _cumulative_decreases(readable, targets):
        result.problems.append(problem)
    results += [FileResult(file=p.file or "", problems=[p]) for p in unused or []]
    for result in results:
        result.problems.sort(key=lambda p: (p.line is None, p.line or 0))  # file-wide last
    return ValidationReport(results, strict=strict)


def _missing_indicators(actuals: Actuals, targets: Targets) -> list[Problem]:
    return [
        Problem(
            "missing-indicator",
            file=actuals.file,
            indicator=ind.id,
            params={"indicator": f"{ind.name}（{ind.id}）"},
        )
        for ind in targets.indicators
        if is_due(ind, actuals.period) and ind.id not in actuals.readings
    ]


_HOLDS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
}


def _rule_violations(actuals: Actuals, targets: Targets) -> list[Problem]:
    problems = []
    for rule in targets.rules:
        left, right = actuals.readings.get(rule.left), actuals.readings.get(rule.right)
        if not (left and right and left.valid and right.valid):
            continue
        if left.value is None or right.value is None:
            continue
        if not _HOLDS[rule.op](left.value, right.value):
            problems.append(
                Problem(
                    "inconsistent",
                    file=actuals.file,
                    line=left.line,
                    column="数值 / value",
                    indicator=rule.left,
                    params={
                        "rule_zh": rule.description,
                        "rule_en": rule.description_en,
                        "left": rule.left,
                        "left_value": number(left.value),
                        "right": rule.right,
                        "right_value": number(right.value),
                    },
                )
            )
    return problems


def _cumulative_decreases(
    readable: list[tuple[FileResult, Actuals]], targets: Targets
) -> list[tuple[FileResult, Problem]]:
    """A year-to-date total below the highest earlier figure of the same year."""
    paced = [ind.id for ind in targets.indicators if ind.kind in PACED_KINDS]
    found = []
    highest: dict[tuple[int, str], tuple[float, Actuals]] = {}
    for result, actuals in sorted(readable, key=lambda pair: pair[1].period):
        for ind_id in paced:
            reading = actuals.readings.get(ind_id)
            if reading is None or not reading.valid or reading.value is None:
                continue
            key = (actuals.period.year, ind_id)
            earlier = highest.get(key)
            if earlier and earlier[1].period < actuals.period and reading.value < earlier[0]:
                found.append(
                    (
                        result,
                        Problem(
                            "cumulative-decrease",
                            file=actuals.file,
                            line=reading.line,
                            column="数值 / value",
                            indicator=ind_id,
                            params={
                                "value": number(reading.value),
                                "file": Path(actuals.file).name,
                                "earlier_value": number(earlier[0]),
                                "earlier_file": Path(earlier[1].file).name,
                            },
                        ),
                    )
                )
            if earlier is None or reading.value > earlier[0]:
                highest[key] = (reading.value, actuals)
    return found
