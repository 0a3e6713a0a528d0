"""The briefing (简报): `gongfu brief` and `check --format text`.

Short paragraphs in the order a county office writes them, to paste as they are:
the 数据待核 line when the month has problems; 总体情况 (counts by light, in the
report's words: 绿灯/黄灯/红灯/灰灯 N项); 红灯指标 with the figure, 完成率, 序时进度,
the gap and the owners; 黄灯指标; 较上月变化; 预计全年难以完成 (what the paragraphs
above do not already say); 未报送; 待发布 (December's figures published next year,
with the month expected); then figures to correct or confirm, and figures revised
(已修订, with the one replaced) or final (年报). With the year's result (--final),
年度考核结果 comes first. Figures in
the indicator's unit with at most two decimals (172亿元), shares with one decimal
(41.3%), gaps in 个百分点, counts in 项, owners named with 等N家 after three.
English (`--lang en`) follows the same order, in English units (100 million yuan)
and with the owners' Chinese names (the plan gives no English ones).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import Lang, errors_in, number
from gongfu_cli.model.readings import Edition
from gongfu_cli.model.results import Evaluation, Light, Report, Status, YearResult
from gongfu_cli.model.targets import ABOUT, RELATIVE, Indicator, Kind
from gongfu_cli.render.table import indicator_name, light_name, percent, safe_lines, status_name
from gongfu_cli.render.words import owner_list

OWNERS_NAMED = 3  # more than this: the first three and 等N家

# The English of every unit targets.yaml uses, for an indicator with no `unit_en`
# of its own. A measure word that only counts (个, 家, 位) has no English: the
# figure stands alone, as "6 projects". A unit of 万 or 亿 keeps its scale in
# words (100 million yuan), so the figures stay the plan's own (172, not 17.2).
UNITS_EN = {
    "%": "%",
    "个百分点": "percentage points",
    "元": "yuan",
    "万元": "10,000 yuan",
    "亿元": "100 million yuan",
    "吨": "tonnes",
    "万吨": "10,000 tonnes",
    "亿吨": "100 million tonnes",
    "人": "persons",
    "万人": "10,000 persons",
    "人次": "person-times",
    "万人次": "10,000 person-times",
    "单位": "units",
    "万单位": "10,000 units",
    "亿单位": "100 million units",
    "米": "m",
    "公里": "km",
    "千米": "km",
    "平方米": "square metres",
    "万平方米": "10,000 square metres",
    "亩": "mu",
    "公顷": "hectares",
    "户": "households",
    "倍": "times",
    "天": "days",
    "场次": "events",
    "个": "",
    "家": "",
    "项": "",
    "所": "",
    "座": "",
    "位": "",
}


def unit_words(ind: Indicator, lang: Lang) -> str:
    """The indicator's unit in the language: in English its own `unit_en`, else the
    words table, else (a unit the table lacks) the unit as the YAML writes it."""
    if lang == "zh":
        return ind.unit
    return ind.unit_en or UNITS_EN.get(ind.unit, ind.unit)


def _thousands(digits: str) -> str:
    """'660000' → '660,000', as English writes figures."""
    whole, dot, fraction = digits.partition(".")
    sign, whole = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
    if not whole.isdigit():  # 'inf', 'nan': written as they are
        return digits
    return f"{sign}{int(whole):,}{dot}{fraction}"


def _with_unit(digits: str, unit: str, lang: Lang) -> str:
    """172亿元 in Chinese; 172 × 100 million yuan, 24 persons, 97.2% in English."""
    if lang == "zh":
        return digits + unit
    digits = _thousands(digits)
    if unit in ("", "%"):
        return digits + unit
    return digits + (" × " if unit[:1].isdigit() else " ") + unit


def figure(value: float | None, unit: str, lang: Lang = "zh") -> str:
    """A reported figure: 172亿元, 97.2%, 0.9亿单位 (% to one decimal, others to at most two)."""
    if value is None:
        return ""
    if unit == "%":
        return f"{value:.1f}%"
    return _with_unit(number(round(value, 2)), unit, lang)


def goal(value: float | None, unit: str, lang: Lang = "zh") -> str:
    """A target as the plan writes it: 6%, 180亿元 (no decimals it does not have)."""
    return "" if value is None else _with_unit(number(value), unit, lang)


def points(value: float) -> str:
    return f"{abs(value):.1f}"


def _points_between(progress: str, completion: str) -> str:
    """The gap as the reader can check it: 序时进度 minus 完成率, each as shown
    (50.0% − 41.2% = 8.8), so rounding never makes the text disagree with itself."""
    return f"{float(progress.rstrip('%')) - float(completion.rstrip('%')):.1f}"


def _owners(e: Evaluation, lang: Lang) -> str:
    """'责任单位：…' for an indicator whose sentence in the plan names units; nothing
    for one that names none (that is the plan's wording, not news for a briefing)."""
    owners = e.indicator.owners
    if not owners:
        return ""
    named = owner_list(owners, lang, OWNERS_NAMED)
    return ("责任单位：" if lang == "zh" else "owners: ") + named


def _behind(e: Evaluation, actual: str, lang: Lang) -> str:
    """A paced indicator behind 序时进度: its figure so far, 完成率, 序时进度 and the gap."""
    completion, progress = percent(e.completion), percent(e.time_progress)
    gap = _points_between(progress, completion)
    if lang == "zh":
        return f"累计{actual}，完成率{completion}，序时进度{progress}，落后{gap}个百分点"
    return (
        f"{actual} to date, {completion} complete against {progress} time progress, "
        f"{gap} points behind"
    )


def shortfall(e: Evaluation, lang: Lang) -> str:
    """How a red or yellow indicator falls short, in the words a briefing uses, with
    the year's projection when it falls short too (so no later paragraph repeats it)."""
    text = _falls_short(e, lang)
    if e.projected_to_miss and e.period is not None and e.period.month < 12:
        projected = figure(e.projection, unit_words(e.indicator, lang), lang)
        text = _joined(
            lang,
            text,
            f"预计全年{projected}" if lang == "zh" else f"projected {projected} for the year",
        )
    return text


def _falls_short(e: Evaluation, lang: Lang) -> str:
    ind, zh = e.indicator, lang == "zh"
    target = ind.target_value
    if ind.kind == Kind.milestone:
        return "未按期完成" if zh else "not done by its deadline"
    unit = unit_words(ind, lang)
    actual, aim = figure(e.actual, unit, lang), goal(target, unit, lang)
    if e.gap_points is not None and e.period is not None and e.period.month == 12:
        # December's figure is the year's: the gap to 序时进度 (100%) says nothing new
        completion = percent(e.completion)
        if zh:
            return f"全年{actual}，完成率{completion}，未达到目标{aim}"
        return f"{actual} for the year, {completion} of the target of {aim}"
    if e.gap_points is not None:
        return _behind(e, actual, lang)
    if ind.kind == Kind.rank:  # the name says which ranking (全省排名, 全市排名)
        place = f"第{number(target)}位" if target == 1 else f"前{number(target)}位"
        if zh:
            return f"第{number(e.actual)}位，目标{place}"
        return f"ranked {number(e.actual)}, target top {number(target)}"
    if e.actual is None or target is None:
        return ""
    gap = ""
    if ind.unit == "%":
        off = points(e.actual - target)
        gap = f"，相差{off}个百分点" if zh else f", {off} points off"
    if ind.op == ABOUT:  # 左右: outside the range, on one side or the other
        below = e.actual < target
        edge = goal(target - ind.tolerance if below else target + ind.tolerance, unit, lang)
        if zh:
            side, end = ("低于", "下限") if below else ("高于", "上限")
            return f"{actual}，{side}目标{aim}左右的{end}{edge}"
        side, end = ("below", "lower") if below else ("above", "upper")
        return f"{actual}, {side} {edge}, the {end} end of about {aim}"
    if ind.is_ceiling:
        return f"{actual}，高于目标{aim}{gap}" if zh else f"{actual}, above the cap of {aim}{gap}"
    if ind.op == "rise" and e.actual >= target:  # level with the baseline: no rise yet
        return f"{actual}，与基数{aim}持平，未见提升" if zh else f"{actual}, level with {aim}"
    if ind.op in RELATIVE:
        return (
            f"{actual}，低于基数{aim}{gap}" if zh else f"{actual}, below the baseline of {aim}{gap}"
        )
    return f"{actual}，低于目标{aim}{gap}" if zh else f"{actual}, below the target of {aim}{gap}"


def _item(e: Evaluation, lang: Lang, detail: str) -> str:
    name = indicator_name(e, lang)
    if lang == "zh":
        return f"{name}（{detail}）" if detail else name
    return f"{name} ({detail})" if detail else name


def _joined(lang: Lang, *parts: str) -> str:
    return ("，" if lang == "zh" else "; ").join(part for part in parts if part)


def _items(evaluations: list[Evaluation], detail: Callable[[Evaluation], str], lang: Lang) -> str:
    """'A（…）；B（…）' or 'A (…); B (…)': ；between items, as a name may hold 、."""
    return ("；" if lang == "zh" else "; ").join(_item(e, lang, detail(e)) for e in evaluations)


def _group(
    heading_zh: str,
    heading_en: str,
    evaluations: list[Evaluation],
    detail: Callable[[Evaluation], str],
    lang: Lang,
) -> str:
    """'红灯指标7项：A（…）；B（…）。' or 'Red (7): A (…); B (…).'"""
    items = _items(evaluations, detail, lang)
    if lang == "zh":
        return f"{heading_zh}{len(evaluations)}项：{items}。"
    return f"{heading_en} ({len(evaluations)}): {items}."


# Statuses whose figure is not to be trusted yet: listed in the 数据待核 line.
QUESTIONED = tuple(s for s in Status if s.value in ("invalid", "suspect"))


def to_check(report: Report, evaluations: list[Evaluation], lang: Lang) -> str | None:
    """The 数据待核 line that opens a briefing or report when the month has problems:
    in the saved text itself, so nobody pastes it unaware (not only on stderr)."""
    questioned = [e for e in evaluations if e.status in QUESTIONED]
    ids = {e.indicator.id for e in questioned}
    # year-not-closed is no fault in the data: the 年度考核结果 paragraph says what is open
    file_errors = [
        p
        for p in errors_in(report.problems)
        if p.indicator not in ids and p.code != "year-not-closed"
    ]
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


# ---------------------------------------------------------------------------
# the paragraphs, in the office's order


def _grey_en(status: Status) -> str:
    # the table's "no data" is "not reported" here, as the paragraph that lists them says
    return "not reported" if status == Status.no_data else status_name(status, "en")


def overview(
    report: Report, evaluations: list[Evaluation], lang: Lang, plan: str, owner: str | None
) -> str:
    """总体情况: the period, the scope, and the count of each light as the report
    names them (绿灯/黄灯/红灯/灰灯 N项), the grey ones by why they are grey."""
    lit = Counter(e.light for e in evaluations)
    why_grey = Counter(e.status for e in evaluations if e.light == Light.grey)
    total, y, m = len(evaluations), report.period.year, report.period.month
    if lang == "zh":
        scope = f"{owner}负责的" if owner else ""
        reasons = "、".join(f"{status_name(s, lang)}{why_grey[s]}项" for s in Status if why_grey[s])
        return (
            f"截至{y}年{m}月，《{plan}》{scope}监测指标和任务共{total}项："
            f"绿灯{lit[Light.green]}项、黄灯{lit[Light.yellow]}项、红灯{lit[Light.red]}项、"
            f"灰灯{lit[Light.grey]}项" + (f"（{reasons}）" if reasons else "") + "。"
        )
    whose = f" owned by {owner}" if owner else ""
    things = "indicators and tasks" if total != 1 else "indicator or task"
    reasons = ", ".join(f"{why_grey[s]} {_grey_en(s)}" for s in Status if why_grey[s])
    return (
        f"As of {y}-{m:02d}, {total} {things}{whose} of the {plan} "
        f"{'are' if total != 1 else 'is'} monitored: {lit[Light.green]} green, "
        f"{lit[Light.yellow]} yellow and {lit[Light.red]} red; {lit[Light.grey]} grey"
        + (f" ({reasons})" if reasons else "")
        + "."
    )


def _light_then(e: Evaluation, lang: Lang) -> str:
    """What an indicator was in its previous period: '5月黄灯', 'yellow in 2025-05';
    a grey one by its status ('5月未报送'), since 灰灯 alone says nothing."""
    before = e.previous
    assert before is not None
    if before.light == Light.grey:
        word = status_name(before.status, lang)
    else:
        word = light_name(before.light, lang) + ("灯" if lang == "zh" else "")
    if before.period is None:
        return f"上期{word}" if lang == "zh" else f"{word} before"
    return f"{before.period.month}月{word}" if lang == "zh" else f"{word} in {before.period}"


def _since(previous: Period, now: Period, lang: Lang) -> str:
    if lang == "en":
        return f"Since {previous}"
    last_month = (previous.year, previous.month + 1) == (now.year, now.month)
    return "较上月" if last_month else f"较{previous.month}月"


def changes(report: Report, evaluations: list[Evaluation], lang: Lang) -> str | None:
    """较上月变化: what turned red, and what came back to green from red or yellow.
    None without an earlier month to compare with."""
    previous = report.previous_period
    if previous is None:
        return None
    since = _since(previous, report.period, lang)
    turned_red = [e for e in evaluations if e.turned_red]
    turned_green = [
        e
        for e in evaluations
        if e.light == Light.green
        and e.previous is not None
        and e.previous.light in (Light.red, Light.yellow)
    ]

    def then(e: Evaluation) -> str:
        return _light_then(e, lang)

    if lang == "zh":
        if not turned_red and not turned_green:
            return f"{since}无新亮红灯，也无转为绿灯的指标。"
        red = (
            f"{since}新亮红灯{len(turned_red)}项：{_items(turned_red, then, lang)}。"
            if turned_red
            else f"{since}无新亮红灯。"
        )
        green = (
            f"转为绿灯{len(turned_green)}项：{_items(turned_green, then, lang)}。"
            if turned_green
            else "无转为绿灯的指标。"
        )
        return red + green
    if not turned_red and not turned_green:
        return f"{since}, nothing turned red or green."
    red = (
        f"{since}, {len(turned_red)} turned red: {_items(turned_red, then, lang)}."
        if turned_red
        else f"{since}, nothing turned red."
    )
    green = (
        f" {len(turned_green)} turned green: {_items(turned_green, then, lang)}."
        if turned_green
        else " Nothing turned green."
    )
    return red + green


def projected_misses(evaluations: list[Evaluation], lang: Lang) -> str | None:
    """预计全年难以完成: how many, with the red and yellow ones only counted (their
    projection is in their own item above) and any other one given in full."""
    missing = [e for e in evaluations if e.projected_to_miss]
    if not missing:
        return None
    above = Counter(e.light for e in missing if e.light in (Light.red, Light.yellow))
    others = [e for e in missing if e.light not in (Light.red, Light.yellow)]

    def projected(e: Evaluation) -> str:
        unit = unit_words(e.indicator, lang)
        projection = figure(e.projection, unit, lang)
        aim = goal(e.indicator.target_value, unit, lang)
        return (
            f"预计全年{projection}，目标{aim}"
            if lang == "zh"
            else f"projected {projection}, target {aim}"
        )

    listed = _items(others, projected, lang)
    if lang == "zh":
        named = "、".join(
            f"{light_name(light, lang)}灯{above[light]}项"
            for light in (Light.red, Light.yellow)
            if above[light]
        )
        head = f"按目前进度，预计全年难以完成{len(missing)}项"
        if not others:
            return f"{head}，{'均' if len(missing) > 1 else ''}已见上文（{named}）。"
        if not named:
            return f"{head}：{listed}。"
        return f"{head}：{named}见上文，另有{len(others)}项：{listed}。"
    named = " and ".join(
        f"{above[light]} {light.value}" for light in (Light.red, Light.yellow) if above[light]
    )
    head = (
        f"At the pace so far, {len(missing)} {'is' if len(missing) == 1 else 'are'} "
        "projected to miss the year"
    )
    if not others:
        return f"{head}, {'all ' if len(missing) > 1 else ''}named above ({named})."
    if not named:
        return f"{head}: {listed}."
    return f"{head}: the {named} above, and {len(others)} more: {listed}."


def year_result(result: YearResult, lang: Lang) -> str:
    """年度考核结果: met and missed (by name), or what keeps the year open."""
    met, missed = len(result.met), len(result.missed)
    names = _items(result.missed, lambda e: "", lang)
    unassessed = len(result.unassessed)
    if lang == "zh":
        missed_text = f"未达标{missed}项" + (f"（{names}）" if names else "")
        extra = f"、无目标值{unassessed}项（未考核）" if unassessed else ""
        if result.closed:
            return (
                f"{result.year}年度考核结果：共{len(result.evaluations)}项，达标{met}项、"
                f"{missed_text}{extra}；全部指标已有年度数据或完成情况，可以定案。"
            )
        why = Counter(e.status for e in result.open)
        open_text = "、".join(f"{status_name(s, lang)}{why[s]}项" for s in Status if why[s])
        return f"{result.year}年度考核结果尚不能确定：{open_text}；目前达标{met}项、{missed_text}。"
    missed_text = f"{missed} missed" + (f" ({names})" if names else "")
    extra = f", {unassessed} with no target (not assessed)" if unassessed else ""
    if result.closed:
        return (
            f"{result.year} result: of {len(result.evaluations)}, {met} met, {missed_text}"
            f"{extra}; every indicator has its final figure or verdict, the year is closed."
        )
    why = Counter(e.status for e in result.open)
    open_text = ", ".join(f"{why[s]} {_grey_en(s)}" for s in Status if why[s])
    return (
        f"The {result.year} result cannot be settled yet: {open_text}; "
        f"so far {met} met, {missed_text}."
    )


def awaiting(evaluations: list[Evaluation], lang: Lang) -> str | None:
    """待发布: December's figures the plan's statistics publish next year, each with the
    month it is expected (the indicator's `release`)."""
    listed = [e for e in evaluations if e.status == Status.awaiting]
    if not listed:
        return None

    def expected(e: Evaluation) -> str:
        when = e.release
        if when is None:
            return ""
        return f"预计{when.year}年{when.month}月发布" if lang == "zh" else f"expected {when}"

    items = _items(listed, expected, lang)
    if lang == "zh":
        return f"待发布{len(listed)}项（年度数据次年发布，发布后放入年报文件）：{items}。"
    return (
        f"Awaited ({len(listed)}, published the next year, then put in a year-end file): {items}."
    )


def revisions(evaluations: list[Evaluation], lang: Lang) -> list[str]:
    """已修订: figures a revision or the year's final figures replaced, each with the
    figure it replaced; then the year's final figures (年报) that replaced none."""
    unit = {e.indicator.id: unit_words(e.indicator, lang) for e in evaluations}

    def shown(e: Evaluation, value: str | bool | float | None) -> str:
        if isinstance(value, bool):
            words = ("已完成", "未完成") if lang == "zh" else ("done", "not done")
            return words[0] if value else words[1]
        if isinstance(value, str):
            return value
        return figure(value, unit[e.indicator.id], lang)

    def change(e: Evaluation) -> str:
        now = shown(e, e.actual_value)
        if e.revised_from is None:
            return now
        before = shown(e, e.revised_from)
        return f"原{before}，现{now}" if lang == "zh" else f"was {before}, now {now}"

    revised = [e for e in evaluations if e.revised]
    final = [e for e in evaluations if e.edition == Edition.final and not e.revised]
    paragraphs = []
    if revised:
        paragraphs.append(_group("已修订", "Revised", revised, change, lang))
    if final:
        paragraphs.append(
            _group("采用年报数", "Final figures for the year", final, lambda e: "", lang)
        )
    return paragraphs


def brief(
    report: Report,
    evaluations: list[Evaluation],
    lang: Lang,
    plan: str,
    owner: str | None = None,
    result: YearResult | None = None,
) -> str:
    """The briefing, one paragraph a line: the 数据待核 line when the month has
    problems; with the year's `result`, 年度考核结果; 总体情况; 红灯 with figures and
    owners; 黄灯; 较上月变化; 预计全年难以完成; 未报送; 待发布; then the figures to
    correct, to check, or confirmed as sent, and those revised or final."""
    zh = lang == "zh"
    red = [e for e in evaluations if e.light == Light.red]
    yellow = [e for e in evaluations if e.light == Light.yellow]
    paragraphs = [
        to_check(report, evaluations, lang),
        None if result is None else year_result(result, lang),
        overview(report, evaluations, lang, plan, owner),
    ]

    if red:
        paragraphs.append(
            _group(
                "红灯指标",
                "Red",
                red,
                lambda e: _joined(lang, shortfall(e, lang), _owners(e, lang)),
                lang,
            )
        )
    else:
        paragraphs.append("无红灯指标。" if zh else "No indicator is red.")
    if yellow:
        paragraphs.append(_group("黄灯指标", "Yellow", yellow, lambda e: shortfall(e, lang), lang))
    paragraphs.append(changes(report, evaluations, lang))
    if report.period.month < 12:  # December's figures are the year's: nothing is projected
        paragraphs.append(projected_misses(evaluations, lang))

    for status, zh_word, en_word in (
        (Status.no_data, "未报送", "Not reported"),
        (Status.invalid, "数据有误、需核实重报", "Invalid, to be corrected"),
    ):
        listed = [e for e in evaluations if e.status == status]
        if listed:
            paragraphs.append(_group(zh_word, en_word, listed, lambda e: _owners(e, lang), lang))
        if status == Status.no_data:
            paragraphs.append(awaiting(evaluations, lang))

    def as_sent(e: Evaluation) -> str:  # every digit: 0.918%, not 0.9%
        if e.actual is None:
            return ""
        return _with_unit(number(e.actual), unit_words(e.indicator, lang), lang)

    suspect = [e for e in evaluations if e.status == Status.suspect]
    if suspect:
        paragraphs.append(
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
        paragraphs.append(
            _group(
                "数据异常但经填报单位核实（已核实）、按原数采用",
                "Unusual but confirmed by the sender, used as sent",
                confirmed,
                as_sent,
                lang,
            )
        )
    paragraphs += revisions(evaluations, lang)
    return safe_lines([p for p in paragraphs if p]) + "\n"
