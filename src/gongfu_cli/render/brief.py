"""A paragraph for the briefing (简报): `check --format text` and `gongfu brief`.

Written as a county analyst writes it, so that it can be pasted as it is:
figures in the indicator's unit with at most two decimals (172亿元), shares with
one decimal (41.3%), gaps in 个百分点, counts in 项, owners named with 等N家
after three. English (`--lang en`) follows the same structure.
"""

from __future__ import annotations

from collections.abc import Callable

from gongfu_cli.model.problems import Lang, errors_in, number
from gongfu_cli.model.results import Evaluation, Light, Report, Status
from gongfu_cli.model.targets import Kind
from gongfu_cli.model.text import safe_text
from gongfu_cli.render.table import indicator_name, light_name, percent
from gongfu_cli.render.words import owner_list

OWNERS_NAMED = 3  # more than this: the first three and 等N家


def figure(value: float | None, unit: str) -> str:
    """A reported figure: 172亿元, 97.2%, 0.9亿单位 (% to one decimal, others to at most two)."""
    if value is None:
        return ""
    if unit == "%":
        return f"{value:.1f}%"
    return number(round(value, 2)) + unit


def goal(value: float | None, unit: str) -> str:
    """A target as the plan writes it: 6%, 180亿元 (no decimals it does not have)."""
    return "" if value is None else number(value) + unit


def points(value: float) -> str:
    return f"{abs(value):.1f}"


def _owners(e: Evaluation, lang: Lang) -> str:
    owners = e.indicator.owners
    if not owners:
        return "方案未列明责任单位" if lang == "zh" else "no unit named in the plan"
    named = owner_list(owners, lang, OWNERS_NAMED)
    return ("责任单位：" if lang == "zh" else "owners: ") + named


def shortfall(e: Evaluation, lang: Lang) -> str:
    """How a red or yellow indicator falls short, in the words a briefing uses."""
    ind, zh = e.indicator, lang == "zh"
    target = e.indicator.target_value
    if ind.kind == Kind.milestone:
        return "未按期完成" if zh else "not done by its deadline"
    actual, aim = figure(e.actual, ind.unit), goal(target, ind.unit)
    if e.gap_points is not None and e.period is not None and e.period.month == 12:
        # December's figure is the year's: the gap to 序时进度 (100%) says nothing new
        completion = percent(e.completion)
        if zh:
            return f"全年{actual}，完成率{completion}，未达到目标{aim}"
        return f"{actual} for the year, {completion} of the {aim} target"
    if e.gap_points is not None:
        completion = percent(e.completion)
        if zh:
            return f"完成率{completion}，落后序时进度{points(e.gap_points)}个百分点"
        return f"{completion} complete, {points(e.gap_points)} points behind time progress"
    if ind.kind == Kind.rank:
        place = f"第{number(target)}位" if target == 1 else f"前{number(target)}位"
        if zh:
            return f"全省第{number(e.actual)}位，目标{place}"
        return f"ranked {number(e.actual)} in the province, target top {number(target)}"
    if e.actual is None or target is None:
        return ""
    gap = ""
    if ind.unit == "%":
        gap = (
            f"，相差{points(e.actual - target)}个百分点"
            if zh
            else (f", {points(e.actual - target)} points off")
        )
    if ind.is_ceiling:
        return f"{actual}，高于目标{aim}{gap}" if zh else f"{actual}, above the {aim} cap{gap}"
    return f"{actual}，低于目标{aim}{gap}" if zh else f"{actual}, below the {aim} target{gap}"


def _item(e: Evaluation, lang: Lang, detail: str) -> str:
    name = indicator_name(e, lang)
    if lang == "zh":
        return f"{name}（{detail}）" if detail else name
    return f"{name} ({detail})" if detail else name


def _joined(lang: Lang, *parts: str) -> str:
    return ("，" if lang == "zh" else "; ").join(part for part in parts if part)


def _previous_light(e: Evaluation, lang: Lang) -> str:
    return "" if e.previous is None else light_name(e.previous.light, lang)


def _group(
    heading_zh: str,
    heading_en: str,
    evaluations: list[Evaluation],
    detail: Callable[[Evaluation], str],
    lang: Lang,
) -> str:
    """'红灯指标7项：A（…）；B（…）。' or 'Red (7): A (…); B (…).'"""
    items = [_item(e, lang, detail(e)) for e in evaluations]
    if lang == "zh":
        return f"{heading_zh}{len(items)}项：{'；'.join(items)}。"
    return f"{heading_en} ({len(items)}): {'; '.join(items)}."


# Statuses whose figure is not to be trusted yet: listed in the 数据待核 line.
QUESTIONED = tuple(s for s in Status if s.value in ("invalid", "suspect"))


def to_check(report: Report, evaluations: list[Evaluation], lang: Lang) -> str | None:
    """The 数据待核 line that opens a briefing or report when the month has problems:
    in the saved text itself, so nobody pastes it unaware (not only on stderr)."""
    questioned = [e for e in evaluations if e.status in QUESTIONED]
    ids = {e.indicator.id for e in questioned}
    file_errors = [p for p in errors_in(report.problems) if p.indicator not in ids]
    if not questioned and not file_errors:
        return None
    names = [indicator_name(e, lang) for e in questioned]
    if lang == "zh":
        parts = [f"{len(questioned)}项指标数据有误或存疑（{'、'.join(names)}）"] if names else []
        parts += [f"{len(file_errors)}个数据问题"] if file_errors else []
        return "数据待核：" + "，另有".join(parts) + "，见问题清单（gongfu validate）；核实后再用。"
    parts = (
        [f"{len(questioned)} indicators invalid or doubtful ({', '.join(names)})"] if names else []
    )
    parts += [f"{len(file_errors)} problems in the data"] if file_errors else []
    return "Data to check: " + "; ".join(parts) + " (see gongfu validate); verify before use."


def brief(
    report: Report, evaluations: list[Evaluation], lang: Lang, plan: str, owner: str | None = None
) -> str:
    """The 数据待核 line when the month has problems, then the paragraph: scope and
    lights; red with gaps and owners; yellow; newly red; projected to miss the year;
    not reported; invalid; doubtful; confirmed outliers."""
    zh = lang == "zh"
    lit = {light: [e for e in evaluations if e.light == light] for light in Light}
    red, yellow, grey = lit[Light.red], lit[Light.yellow], lit[Light.grey]
    judged = len(evaluations) - len(grey)
    y, m = report.period.year, report.period.month
    if zh:
        scope = f"{owner}负责的" if owner else ""
        opening = (
            f"截至{y}年{m}月，《{plan}》{scope}监测指标和任务共{len(evaluations)}项，"
            f"本期亮灯{judged}项：绿灯{len(lit[Light.green])}项、黄灯{len(yellow)}项、"
            f"红灯{len(red)}项；其余{len(grey)}项本期不报、未报送、数据待核或尚在推进，暂不亮灯。"
        )
    else:
        whose = f" owned by {owner}" if owner else ""
        opening = (
            f"As of {y}-{m:02d}, {len(evaluations)} indicators and tasks{whose} of the {plan} "
            f"are monitored; {judged} {'is' if judged == 1 else 'are'} judged this month: "
            f"{len(lit[Light.green])} green, "
            f"{len(yellow)} yellow and {len(red)} red; the other {len(grey)} are not due, "
            "not reported, to be checked or still in progress."
        )
    sentences = [opening]

    if red:
        sentences.append(
            _group(
                "红灯指标",
                "Red",
                red,
                lambda e: _joined(lang, shortfall(e, lang), _owners(e, lang)),
                lang,
            )
        )
    else:
        sentences.append("无红灯指标。" if zh else "No indicator is red.")
    if yellow:
        sentences.append(_group("黄灯指标", "Yellow", yellow, lambda e: shortfall(e, lang), lang))

    previous = report.previous_period
    turned = [e for e in evaluations if e.turned_red and e.previous is not None]
    if turned:
        sentences.append(
            _group(
                "较上月新亮红灯",
                f"Newly red since {previous}",
                turned,
                lambda e: (
                    f"上期{_previous_light(e, lang)}灯"
                    if zh
                    else f"{_previous_light(e, lang)} before"
                ),
                lang,
            )
        )
    elif previous is not None:
        sentences.append("较上月无新增红灯。" if zh else f"Nothing turned red since {previous}.")

    def projected(e: Evaluation) -> str:
        unit = e.indicator.unit
        projection, aim = figure(e.projection, unit), goal(e.indicator.target_value, unit)
        return f"预计全年{projection}，目标{aim}" if zh else f"projected {projection} against {aim}"

    missing_year = [e for e in evaluations if e.projected_to_miss and m < 12]
    if missing_year:
        sentences.append(
            _group(
                "按目前进度，预计全年难以完成",
                "Projected to miss the year at the pace so far",
                missing_year,
                projected,
                lang,
            )
        )
    for status, zh_word, en_word in (
        (Status.no_data, "未报送", "Not reported"),
        (Status.invalid, "数据有误、需核实重报", "Invalid, to be corrected"),
    ):
        listed = [e for e in evaluations if e.status == status]
        if listed:
            sentences.append(_group(zh_word, en_word, listed, lambda e: _owners(e, lang), lang))

    def as_sent(e: Evaluation) -> str:  # every digit: 0.918%, not 0.9%
        return "" if e.actual is None else number(e.actual) + e.indicator.unit

    suspect = [e for e in evaluations if e.status == Status.suspect]
    if suspect:
        sentences.append(
            _group(
                "数据存疑、暂不亮灯，请填报单位核实",
                "Doubtful, not lit until the sender checks it",
                suspect,
                lambda e: _joined(lang, as_sent(e), _owners(e, lang)),
                lang,
            )
        )
    confirmed = [e for e in evaluations if e.confirmed and e.actual is not None]
    if confirmed:
        sentences.append(
            _group(
                "数据异常但经填报单位核实（已核实）、按原数采用",
                "Unusual but confirmed by the sender, used as sent",
                confirmed,
                as_sent,
                lang,
            )
        )
    paragraph = safe_text(("" if zh else " ").join(sentences)) + "\n"
    warning = to_check(report, evaluations, lang)
    return paragraph if warning is None else safe_text(warning) + "\n" + paragraph
