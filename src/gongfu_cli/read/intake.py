"""Stage 2c of the pipeline: a month is every file for that month.

Each responsible unit sends its own sheet; the month under review is all of
them merged (issue 9). Every reading keeps its source (file, line and the
submitting unit). The same indicator in two files is fine when the figures
agree after unit conversion; when they differ it is `conflicting-values`,
naming both files, and the indicator is invalid: which one is right is the
senders' call, never gongfu's.

Files that come after the month (a revision, 2025-06-修订.csv, and for December
the year's final figures, 2025-年报.csv) are merged the same way among
themselves and then laid over the month: each figure they give replaces the
month's, which it keeps as `revised_from` where it differs.
"""

from __future__ import annotations

from pathlib import Path

from gongfu_cli.model.owners import OwnerAmbiguous, OwnerNotFound, match_owner
from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import GongfuError, Problem, number
from gongfu_cli.model.readings import EDITION_ORDER, Actuals, Edition, Reading
from gongfu_cli.model.targets import Targets
from gongfu_cli.model.text import shorten
from gongfu_cli.read.actuals import read_actuals
from gongfu_cli.read.columns import figure_problem
from gongfu_cli.read.files import edition_of, sender_from_name


def read_month(
    files: list[Path],
    targets: Targets,
    period: Period,
    in_period_folder: set[Path] | frozenset[Path] = frozenset(),
) -> Actuals:
    """Read and merge a month's files (at least one).

    A file that cannot be read at all leaves its problems in the month (so the
    month has errors) and the others are still merged; only when no file can
    be read is the month unreadable (GongfuError with every file's problems).
    """
    read: dict[Edition, list[Actuals]] = {}
    failures: list[Problem] = []
    for path in files:
        try:
            actuals = read_actuals(path, targets, period)
        except GongfuError as exc:
            failures.extend(exc.problems)
            continue
        actuals.sender = actuals.sender or sender_from_name(path, path in in_period_folder)
        read.setdefault(edition_of(path, path in in_period_folder), []).append(actuals)
    if not read:
        raise GongfuError(failures)
    month = merge_editions(read, targets)
    month.problems[:0] = failures
    return month


def merge_editions(read: dict[Edition, list[Actuals]], targets: Targets) -> Actuals:
    """A month's files already read, by edition: each edition's files merged (a figure
    that differs between two of them is conflicting-values), then the later editions
    laid over the earlier ones, a revision over the month and the finals over both."""
    month: Actuals | None = None
    for edition in EDITION_ORDER:
        if edition not in read:
            continue
        layer = merge_files(read[edition], targets)
        for reading in layer.readings.values():
            reading.edition = edition
        month = layer if month is None else revise(month, layer)
    assert month is not None, "at least one edition"
    return month


def revise(month: Actuals, later: Actuals) -> Actuals:
    """A later edition's figures laid over the month's: each figure it gives replaces
    the month's, and keeps it as `revised_from` where the two differ. A revision that
    repeats a figure leaves it as it was (a whole table re-sent for one correction),
    while a final figure equal to the month's is marked final. A blank row in the later
    file revises nothing."""
    merged = _both(month, later)
    for indicator, reading in later.readings.items():
        earlier = merged.readings.get(indicator)
        if earlier is None:
            merged.readings[indicator] = reading
        elif not reading.reported or (reading.misnamed and not earlier.misnamed):
            continue  # a blank, or a likely meaning, never outweighs a figure
        elif not earlier.reported:
            merged.readings[indicator] = reading
        elif _same_figure(earlier, reading):
            if reading.edition == Edition.final:
                merged.readings[indicator] = reading
        else:
            reading.revised_from = earlier
            merged.readings[indicator] = reading
    return merged


def merge_files(files: list[Actuals], targets: Targets) -> Actuals:
    """Files of one month already read (validate reads each on its own), merged.
    Each reading takes its file's sender unless its own row named one (a 填报单位 column)."""
    for actuals in files:
        for reading in actuals.readings.values():
            reading.sender = reading.sender or actuals.sender
    month = files[0]
    for other in files[1:]:
        month = _merge(month, other, targets)
    return month


def _both(month: Actuals, other: Actuals) -> Actuals:
    """The month with another file's rows, problems and name added; its readings are
    the month's until the caller lays the other's over them."""
    return Actuals(
        file=_common_place(month.file, other.file),
        period=month.period,
        encoding=month.encoding if month.encoding == other.encoding else None,
        readings=dict(month.readings),
        problems=month.problems + other.problems,
        rows=month.rows + other.rows,
        files=month.files + other.files,
    )


def _merge(month: Actuals, other: Actuals, targets: Targets) -> Actuals:
    """`other`'s readings and problems added to the month's."""
    merged = _both(month, other)
    for indicator, reading in other.readings.items():
        first = merged.readings.get(indicator)
        if reading.misnamed and first is not None:
            continue  # a likely meaning never outweighs a row under the right name
        if first is None or first.misnamed or (not first.reported and reading.reported):
            merged.readings[indicator] = reading  # a blank row gives way to a figure
        elif not reading.reported or _same_figure(first, reading):
            continue
        elif first.valid and reading.valid:
            merged.problems.append(_conflict(first, reading, targets))
            first.valid = False
        else:
            first.valid = False  # a figure with an error of its own settles nothing
    return merged


def _same_figure(first: Reading, second: Reading) -> bool:
    """Two valid rows for one indicator that say the same thing (after unit conversion)."""
    if not (first.valid and second.valid):
        return False  # an invalid figure agrees with nothing; its own error stands too
    return (first.value, first.grade, first.done) == (second.value, second.grade, second.done)


def _conflict(first: Reading, second: Reading, targets: Targets) -> Problem:
    return figure_problem(
        "conflicting-values",
        second,
        {
            "indicator": targets.label(second.indicator),
            "value": _shown(second),
            "first_value": _shown(first),
            "first_file": shorten(Path(first.file).name),
            "first_line": first.line,
        },
    )


def _shown(reading: Reading) -> str:
    if reading.value is not None:
        return number(reading.value)
    if reading.done is not None:
        return "已完成" if reading.done else "未完成"
    return reading.grade or shorten(reading.raw)


def _common_place(first: str, second: str) -> str:
    """What the merged month is called: the folder its files share."""
    a, b = Path(first), Path(second)
    folder = a if a.is_dir() else a.parent
    while folder != folder.parent and folder not in b.parents:
        folder = folder.parent
    return str(folder)


def plan_unit(sender: str | None, targets: Targets) -> str | None:
    """The plan's name for a submitting unit (民社局 → 县民社局), or None when the
    sender is not one of the plan's units or could be several."""
    if not sender:
        return None
    try:
        return match_owner(sender, targets.owners)
    except (OwnerAmbiguous, OwnerNotFound):
        return None
