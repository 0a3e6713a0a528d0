"""Stage 3 of the pipeline: decide each indicator's status and light for a period.

The rules are the README's "How status is decided", in code. They read only the
catalogue and one month's Actuals; nothing here prints or reads the clock.
"""

from __future__ import annotations

import math

from gongfu_cli.model.period import Period
from gongfu_cli.model.readings import Actuals, Reading
from gongfu_cli.model.results import (
    LIGHT_NAMES_ZH,
    LIGHT_OF,
    STATUS_NAMES_ZH,
    Evaluation,
    Light,
    Report,
    Status,
)
from gongfu_cli.model.targets import (
    ABOUT,
    RELATIVE,
    Indicator,
    Kind,
    Pace,
    Targets,
    about,
    awaited,
    holds,
    is_due,
    normalise,
)


def evaluate_one(
    ind: Indicator, reading: Reading | None, period: Period, band: float, due: bool | None = None
) -> Evaluation:
    """Apply the status rules to one indicator (band: the yellow band in points; due:
    is_due, when the caller knows it)."""
    due = is_due(ind, period) if due is None else due
    result = Evaluation(
        indicator=ind, status=Status.no_data, period=period, due=due, reading=reading
    )
    if reading is not None and not reading.valid:
        result.status = Status.invalid
        return result
    if reading is None or not reading.reported:
        if due:
            result.status = Status.no_data
        else:  # a figure published next year is awaited (待发布), not missing
            result.status = Status.awaiting if awaited(ind, period) else Status.not_due
        return result
    result.confirmed = reading.confirmed
    if reading.suspect:  # shown as sent, but neither green nor red until it is checked
        result.status, result.actual = Status.suspect, reading.value
        return result

    result.actual, result.grade, result.done = reading.value, reading.grade, reading.done
    final = period.month == 12  # December's figure is the year's result
    if ind.kind == Kind.milestone:
        if reading.done:
            result.status = Status.met
        else:
            result.status = Status.off_track if period.month >= ind.due_month else Status.pending
        return result
    if reading.grade is not None:  # e.g. 教育现代化指数 "达到A等"
        result.status = Status.met
        return result

    value = reading.value
    assert value is not None
    if ind.op in RELATIVE:  # 巩固: not below the baseline; 提升: above it
        if ind.baseline is None:
            result.status = Status.no_target
            return result
        op, target = (">=" if ind.op == "maintain" else ">"), ind.baseline
    else:
        assert ind.target is not None
        op, target = ind.op, ind.target
    if not ind.is_ceiling and target > 0 and ind.kind != Kind.rank:
        result.completion = _ratio(value, target)

    if ind.paced:
        result.time_progress = ind.time_progress(period.month)
        result.projection = _project(value, result.time_progress, final)
        if result.projection is not None:
            result.projected_to_miss = not holds(result.projection, op, target)

    if op == ABOUT:
        result.status = _about_status(ind, value, target, final)
    elif holds(value, op, target):
        result.status = Status.met
    elif ind.paced:
        gap_points = result.gap_points
        if final or gap_points is None or gap_points >= band:
            result.status = Status.off_track
        elif gap_points <= 0:
            result.status = Status.on_track
        else:
            result.status = Status.at_risk
    elif ind.pace == Pace.year_end:
        result.status = Status.off_track if final else Status.pending
    else:
        # The tolerance grants a near miss a warning while the year can still turn it;
        # December's figure is the year's result, and a missed target is then red.
        shortfall = (value - target) if ind.is_ceiling else (target - value)
        within = not final and ind.tolerance > 0 and shortfall <= ind.tolerance
        result.status = Status.at_risk if within else Status.off_track
    return result


def _about_status(ind: Indicator, value: float, target: float, final: bool) -> Status:
    """'~' (左右): met within the tolerance either side of the target, red outside it.

    The tolerance is the whole margin "about" allows, so there is no yellow band
    beyond it. A total judged at year end stays pending until December: a
    year-to-date total that is "about" the target in June may pass it by December.
    """
    if ind.pace == Pace.year_end and not final:
        return Status.pending
    return Status.met if about(value, target, ind.tolerance) else Status.off_track


def _project(ytd: float, time_progress: float | None, final: bool) -> float | None:
    """预计全年: the year-to-date figure carried to December at the pace so far.

    Under linear pace that is the run rate (ytd × 12/M); under seasonal pace the
    year-to-date figure divided by the profile's share of the year so far. No
    projection is made while the pace expects nothing yet (a seasonal profile
    at 0 so far). In December the figure is the year's result.
    """
    if final:
        return ytd
    if not time_progress:
        return None
    return _ratio(ytd, time_progress)


def _ratio(part: float, whole: float) -> float | None:
    """part / whole, or None where it is too large to be a float (a target or a
    profile share near zero): no infinity reaches a verdict, a chart or the JSON."""
    ratio = part / whole
    return ratio if math.isfinite(ratio) else None


def evaluate(targets: Targets, actuals: Actuals) -> Report:
    """Every indicator of the catalogue, in catalogue order, judged for the file's period."""
    period, readings = actuals.period, actuals.readings
    due = targets.due_ids(period.month)
    evaluations = [
        evaluate_one(ind, readings.get(ind.id), period, targets.yellow_band(ind), due=ind.id in due)
        for ind in targets.indicators
    ]
    return Report(
        period=actuals.period,
        file=actuals.file,
        encoding=actuals.encoding,
        evaluations=evaluations,
        problems=actuals.problems,
        files=actuals.files,
    )


# Other words --status takes: a statistician's shorter forms.
_STATUS_ALIASES = {"存疑": Status.suspect}


def _filter_vocabulary() -> dict[str, set[Status]]:
    words: dict[str, set[Status]] = {}
    for status in Status:
        words[status.value] = words[STATUS_NAMES_ZH[status]] = {status}
    for word, status in _STATUS_ALIASES.items():
        words[word] = {status}
    for light in Light:
        members = {s for s in Status if LIGHT_OF.get(s, Light.grey) == light}
        for word in (light.value, LIGHT_NAMES_ZH[light], LIGHT_NAMES_ZH[light] + "灯"):
            words[word] = members
    return words


def parse_status_filter(words: list[str]) -> set[Status]:
    """'red', '红', 'off_track', '滞后', 'yellow,red' → the statuses they mean.

    Raises ValueError(word) for a word that names no status or light.
    """
    vocabulary = _filter_vocabulary()
    wanted: set[Status] = set()
    for word in (w for item in words for w in item.split(",")):
        key = normalise(word).replace("-", "_")
        if key not in vocabulary:
            raise ValueError(word)
        wanted |= vocabulary[key]
    return wanted


def select(
    evaluations: list[Evaluation], owner: str | None = None, statuses: set[Status] | None = None
) -> list[Evaluation]:
    """--owner (one unit's exact name, as scoreboard.match_owner resolves it) and --status."""
    chosen = evaluations
    if owner:
        chosen = [e for e in chosen if owner in e.indicator.owners]
    if statuses:
        chosen = [e for e in chosen if e.status in statuses]
    return chosen
