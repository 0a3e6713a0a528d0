"""`gongfu report`: one self-contained HTML page for leaders, printed on A4 as it is.

Everything is inline (CSS and SVG; no script, no font, no image from the
network), so the file opens the same on an offline office PC and prints as it
looks. Every text that comes from a data or targets file passes through
``escape``: a note reading ``<script>`` is shown as those characters, and a
control character as its escape (``\\x1b``), as in every other output.

The page reads as an office's report: the date, scope and briefing first, then
the lights, the red and yellow items, every indicator by the plan's sections in
the plan's order (numbered 一、 and （一） as the plan numbers), charts, the
owners' scoreboard, milestones, what is not judged yet, the readings of the plan
that are the tool's own (口径说明) and the owners' full names. It prints in black
and white: a light is always its colour, its word and its shape.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape as html_escape

from gongfu_cli.judge.scoreboard import OwnerScore, scoreboard
from gongfu_cli.model.problems import Lang, number
from gongfu_cli.model.results import Evaluation, Light, Report, Status, Year
from gongfu_cli.model.targets import Indicator, Kind, Targets
from gongfu_cli.model.text import safe_text
from gongfu_cli.render.brief import brief, figure, goal, to_check
from gongfu_cli.render.owners import COLUMNS as OWNER_COLUMNS
from gongfu_cli.render.owners import LABELS as OWNER_LABELS
from gongfu_cli.render.owners import owner_name
from gongfu_cli.render.table import LABELS as TABLE_LABELS
from gongfu_cli.render.table import (
    actual_text,
    change_text,
    indicator_name,
    light_name,
    percent,
    projection_text,
    status_name,
    target_text,
)
from gongfu_cli.render.words import ASSUMPTION_MARK, owner_list


def escape(text: str) -> str:
    """HTML-escaped (quotes too, for attributes), with control characters made visible."""
    return html_escape(safe_text(text))


# A light's fill (shapes, chart markers): three clearly different greys when printed
# in black and white (CIE L* about 40, 59 and 81), and a shape each, so the light
# never depends on colour alone. Grey is an outline: nothing is judged.
COLOURS = {
    Light.green: "#43a047",
    Light.yellow: "#fbc02d",
    Light.red: "#b71c1c",
    Light.grey: "#757575",
}
# A light's word is written in a dark shade of its colour (contrast with white ≥ 4.5:1).
INK = {
    Light.green: "#1b5e20",
    Light.yellow: "#7a5200",
    Light.red: "#b71c1c",
    Light.grey: "#555555",
}

# Owners named in a table row before 等N家; the full lists are in the appendix.
OWNERS_IN_ROW = 1

# Statuses whose rows fold into the list at the end by default: nothing to look at yet.
FOLDED = (Status.not_due, Status.pending)

PAGE_LABELS = {
    "zh": {
        "title": "{plan} 指标晾晒报告",
        "as_of": "截至{year}年{month}月",
        "previous": "较上月对比：{period}",
        "no_previous": "无上月数据，未作对比",
        "generated": "{date:%Y}年{date.month}月{date.day}日生成",
        "page_number": '"第" counter(page) "页 共" counter(pages) "页"',
        "scope_all": "本报告涵盖方案全部{total}项指标和任务。",
        "scope_folded": "本报告涵盖方案全部{total}项指标和任务；本期不报、进行中的{folded}项"
        "暂不亮灯，列于“{where}”。",
        "scope_status": "本报告按状态（{statuses}）列出{shown}项，方案共{total}项指标和任务；"
        "开头的简报和亮灯情况按全部指标统计。",
        "lights": "亮灯情况",
        "total": "共{total}项",
        "count": "{light}灯 {n}项",
        "focus": "红灯、黄灯指标",
        "no_focus": "本期无红灯、黄灯指标。",
        "table": "指标亮灯一览",
        "no_rows": "无。",
        "plan_ref": "方案{code}",
        "charts": "累计类指标完成进度",
        "owners_section": "责任单位赛马晾晒",
        "owners_unlit": "本期无亮灯事项的单位{n}家（所负责事项均未到评价时点或未报送）：{names}。",
        "milestones": "重点任务（里程碑）",
        "folded": "暂不亮灯事项",
        "folded_group": "{status}（{n}项）：{names}。",
        "folded_due": "{due}的里程碑：",
        "folded_note": "以上事项本期不作评价；如需逐项列出，请用 gongfu report --all。",
        "assumptions": "口径说明",
        "assumptions_intro": "下列目标的口径是本工具对方案的解读或设定（方案未明确给出），"
        "表中以“{mark}”标注。",
        "mark_note": "标“{mark}”的目标含本工具的解读或设定，见“{where}”。",
        "appendix": "附表　责任单位全称",
        "appendix_short": "表中简称",
        "appendix_full": "责任单位（全称）",
        "appendix_items": "涉及指标和任务",
        "legend": "实线：完成率；虚线：序时进度；横线：年度目标（100%）；点线：按目前进度预计全年。"
        "各月的点标出当月亮灯：",
        "rules": "亮灯规则：完成率＝累计完成值÷年度目标；序时进度＝已过月数÷12"
        "（季节性指标按各月占全年的比重）。累计类指标完成率不低于序时进度亮绿灯，"
        "落后不足{band}个百分点亮黄灯，落后{band}个百分点及以上亮红灯；"
        "其他指标达到目标亮绿灯，未达到亮红灯（差距在容差以内亮黄灯）；"
        "里程碑按期完成亮绿灯，逾期未完成亮红灯。灰灯：本期不报、未报送、进行中或数据待核，"
        "不作评价。12月为全年结果。",
        "source": "数据来源：{files}。由 gongfu {version} 生成。",
        "previous_light": "上月",
        "progress_head": "完成率",
        "time_head": "序时进度",
        "target_in_caption": "目标 {target}",
        "projected": "预计全年 {projection}",
    },
    "en": {
        "title": "{plan}: progress report",
        "as_of": "As of {year}-{month:02d}",
        "previous": "compared with {period}",
        "no_previous": "no earlier month to compare with",
        "generated": "generated {date:%Y-%m-%d}",
        "page_number": '"Page " counter(page) " of " counter(pages)',
        "scope_all": "This report covers all {total} indicators and tasks of the plan.",
        "scope_folded": "This report covers all {total} indicators and tasks of the plan; "
        'the {folded} not due or still in progress are listed under "{where}".',
        "scope_status": "This report lists the {shown} items with status {statuses}, of the "
        "plan's {total}; the briefing and the light counts cover them all.",
        "lights": "Lights",
        "total": "{total} in all",
        "count": "{light} {n}",
        "focus": "Red and yellow",
        "no_focus": "Nothing is red or yellow this month.",
        "table": "All indicators by section",
        "no_rows": "None.",
        "plan_ref": "plan {code}",
        "charts": "Year-to-date progress",
        "owners_section": "Responsible units",
        "owners_unlit": "{n} units have nothing lit this month (every item not due yet or "
        "not reported): {names}.",
        "milestones": "Milestones",
        "folded": "Not judged yet",
        "folded_group": "{status} ({n}): {names}.",
        "folded_due": "Milestones {due}: ",
        "folded_note": "Not judged this month; gongfu report --all lists them in the tables.",
        "assumptions": "Readings of the plan",
        "assumptions_intro": "These targets are the tool's reading of the plan or its own "
        'setting (the plan gives no figure); the tables mark them "{mark}".',
        "mark_note": 'Targets marked "{mark}" hold a reading or setting of the tool; '
        'see "{where}".',
        "appendix": "Appendix: responsible units in full",
        "appendix_short": "In the tables",
        "appendix_full": "Responsible units",
        "appendix_items": "Indicators and tasks",
        "legend": "Solid: completion; dashed: time progress; rule: the annual target (100%); "
        "dotted: projection at the pace so far. Each month's point shows that month's light: ",
        "rules": "Lights: completion (Done) = the year-to-date figure ÷ the annual target; "
        "time progress (Elapsed) = months passed ÷ 12 (for seasonal indicators, the months' "
        "share of the year). Year-to-date indicators are green when completion is not behind time "
        "progress, yellow when less than {band} points behind, red when {band} points or "
        "more behind; other indicators are green when they meet the target, red when not "
        "(yellow within the tolerance); milestones are green when done by their month, red "
        "when late. Grey: not due, not reported, in progress or to be checked, not judged. "
        "December's figures are the year's results.",
        "source": "Data: {files}. Made by gongfu {version}.",
        "previous_light": "last month",
        "progress_head": "Done",
        "time_head": "Elapsed",
        "target_in_caption": "target {target}",
        "projected": "projected {projection}",
    },
}


# ---------------------------------------------------------------------------
# the plan's order and numbering

_DIGITS = "一二三四五六七八九"
_SECTION_CODE = re.compile(r"([一二三四五六七八九十]+)(?:\(([一二三四五六七八九十]+)\))?(\d+)?")


def chinese_number(text: str) -> int | None:
    """'三' → 3, '十二' → 12, '二十' → 20 (the plan's numbering goes no higher); else None."""
    tens, ten, ones = text.partition("十")
    if not ten:
        return _DIGITS.index(text) + 1 if len(text) == 1 and text in _DIGITS else None
    if len(tens) > 1 or len(ones) > 1 or (tens and tens not in _DIGITS) or ones not in _DIGITS:
        return None
    return (_DIGITS.index(tens) + 1 if tens else 1) * 10 + (_DIGITS.index(ones) + 1 if ones else 0)


def chinese_numeral(n: int) -> str:
    """3 → '三', 12 → '十二', 20 → '二十' (up to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens - 1] + "十")
    return head + (_DIGITS[ones - 1] if ones else "")


def plan_order(section: str) -> tuple[int, int, int, int, str]:
    """Where a section stands in the plan: '二' < '三(一)' < '三(一)2' < '三(三)11'.

    Read from the code itself (full-width brackets allowed), not from the order of
    the targets file; a code in another form comes after the plan's, by its text.
    """
    code = unicodedata.normalize("NFKC", section).strip()
    match = _SECTION_CODE.fullmatch(code)
    top = chinese_number(match.group(1)) if match else None
    sub = chinese_number(match.group(2)) if match and match.group(2) else 0
    if match is None or top is None or sub is None:
        return (1, 0, 0, 0, code)
    return (0, top, sub, int(match.group(3) or 0), code)


def in_plan_order(evaluations: list[Evaluation]) -> list[Evaluation]:
    """Sorted by the plan's sections; the targets file's order within a section."""
    return sorted(evaluations, key=lambda e: plan_order(e.indicator.section))


# Half-width punctuation in the plan's headings (as the text copy of the plan has
# it) written in the full-width forms the printed plan uses.
_FULL_WIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！"})


def plan_text(text: str, lang: Lang) -> str:
    return text.translate(_FULL_WIDTH) if lang == "zh" else text


def _top_number(n: int, lang: Lang) -> str:
    return f"{chinese_numeral(n)}、" if lang == "zh" else f"{n}. "


def _sub_number(n: int, lang: Lang) -> str:
    return f"（{chinese_numeral(n)}）" if lang == "zh" else f"({n}) "


# ---------------------------------------------------------------------------
# lights: colour, word and shape


def shape_svg(light: Light, x: float, y: float, size: float) -> str:
    """The light's shape centred at (x, y): ● green, ▲ yellow, ■ red, ○ grey."""
    r, fill = size / 2, COLOURS[light]
    if light == Light.green:
        return f'<circle cx="{x}" cy="{y}" r="{r}" fill="{fill}"/>'
    if light == Light.yellow:
        top, bottom = round(y - r, 2), round(y + r * 0.8, 2)
        left, right = round(x - r * 1.1, 2), round(x + r * 1.1, 2)
        return f'<path d="M{x} {top}L{right} {bottom}L{left} {bottom}Z" fill="{fill}"/>'
    if light == Light.red:
        side = round(size * 0.88, 2)
        return (
            f'<rect x="{round(x - side / 2, 2)}" y="{round(y - side / 2, 2)}" '
            f'width="{side}" height="{side}" fill="{fill}"/>'
        )
    return (
        f'<circle cx="{x}" cy="{y}" r="{round(r * 0.8, 2)}" fill="#fff" stroke="{fill}" '
        f'stroke-width="{round(size * 0.16, 2)}"/>'
    )


def _shape(light: Light) -> str:
    return (
        f'<svg class="shape" viewBox="0 0 10 10" aria-hidden="true">{shape_svg(light, 5, 5, 9)}'
        "</svg>"
    )


def _light_badge(light: Light, lang: Lang, word: str | None = None) -> str:
    text = light_name(light, lang) if word is None else word
    return f'<span class="light {light.value}">{_shape(light)}{escape(text)}</span>'


# ---------------------------------------------------------------------------
# the chart: completion by month against 序时进度 and the target

WIDTH, HEIGHT = 320, 170
LEFT, RIGHT, TOP, BOTTOM = 36, 10, 10, 22


MAX_SCALE = 4.0  # 400%: a point above it is drawn at the top edge


def _on_scale(share: float | None) -> float:
    """A share the chart can place: between 0 and MAX_SCALE, never NaN or infinite
    (a huge figure or a tiny target must not put inf or nan into the SVG)."""
    if share is None or math.isnan(share):
        return 0.0
    return max(0.0, min(share, MAX_SCALE))


def _scale_top(months: list[Evaluation], projection_share: float | None) -> float:
    """The y-axis top: at least 100%, enough for the highest point, in steps of 25%."""
    shares = [projection_share, *(e.completion for e in months)]
    highest = max([1.0, *(_on_scale(share) for share in shares)])
    return min(MAX_SCALE, (int(highest * 4 + 0.999) / 4) + 0.25)


def chart_svg(ind: Indicator, months: list[Evaluation], lang: Lang) -> str:
    """A small SVG: completion by month, 序时进度, the 100% target line and the projection."""
    latest = months[-1]
    target = ind.target or 0.0
    projection_share = (
        latest.projection / target if latest.projection is not None and target else None
    )
    top = _scale_top(months, projection_share)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(month: float) -> float:
        return round(LEFT + plot_w * month / 12, 1)

    def y(share: float) -> float:
        return round(TOP + plot_h * (1 - min(_on_scale(share), top) / top), 1)

    parts = [
        f'<svg class="chart" data-indicator="{escape(ind.id)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="{escape(indicator_name(latest, lang))}">'
    ]
    # grid and axes: 0%, 50%, 100% … and the months
    step = 0.5 if top <= 2 else 1.0
    tick = 0.0
    while tick <= top + 1e-9:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick)}" y2="{y(tick)}" '
            f'stroke="#e0e0e0" stroke-width="1"/>'
            f'<text x="{LEFT - 4}" y="{y(tick) + 3}" font-size="9" text-anchor="end" '
            f'fill="#595959">{tick * 100:.0f}%</text>'
        )
        tick += step
    for month in range(1, 13):
        parts.append(
            f'<text x="{x(month)}" y="{HEIGHT - 8}" font-size="8.5" text-anchor="middle" '
            f'fill="#595959">{month}</text>'
        )
    # the annual target: 100% of it
    parts.append(
        f'<line class="target" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(1)}" y2="{y(1)}" '
        f'stroke="#555" stroke-width="1.2"/>'
    )
    # 序时进度 through the year (a diagonal under linear pace, a curve under seasonal)
    progress = [(0.0, 0.0)] + [(m, ind.time_progress(m) or 0.0) for m in range(1, 13)]
    parts.append(
        '<polyline class="time-progress" fill="none" stroke="#888" stroke-width="1.2" '
        'stroke-dasharray="4 3" points="'
        + " ".join(f"{x(m)},{y(share)}" for m, share in progress)
        + '"/>'
    )
    # completion, month by month
    points = [
        (e.period.month, e.completion, e.light)
        for e in months
        if e.completion is not None and e.period is not None
    ]
    if points:
        parts.append(
            '<polyline class="completion" fill="none" stroke="#1f4e99" stroke-width="2" points="'
            + " ".join(f"{x(m)},{y(share)}" for m, share, _ in points)
            + '"/>'
        )
        last_month, last_share, _ = points[-1]
        if projection_share is not None and last_month < 12:
            colour = INK[Light.red] if latest.projected_to_miss else "#1f4e99"
            parts.append(
                f'<line class="projection" x1="{x(last_month)}" y1="{y(last_share)}" '
                f'x2="{x(12)}" y2="{y(projection_share)}" stroke="{colour}" '
                f'stroke-width="1.5" stroke-dasharray="1.5 2.5"/>'
                f'<circle cx="{x(12)}" cy="{y(projection_share)}" r="3" fill="none" '
                f'stroke="{colour}" stroke-width="1.5"/>'
            )
        for m, share, light in points:
            parts.append(
                f'<g class="point {light.value}">{shape_svg(light, x(m), y(share), 7.5)}</g>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _chart_caption(ind: Indicator, latest: Evaluation, lang: Lang) -> str:
    labels = LABELS[lang]
    bits = [
        f"{_light_badge(latest.light, lang)} <b>{escape(indicator_name(latest, lang))}</b>",
        escape(labels["target_in_caption"].format(target=goal(ind.target, ind.unit))),
    ]
    if latest.completion is not None:
        progress = percent(latest.completion)
        if latest.time_progress is not None:
            progress += f" / {percent(latest.time_progress)}"
        bits.append(escape(progress))
    if latest.projection is not None:
        text = labels["projected"].format(projection=figure(latest.projection, ind.unit))
        css = ' class="miss"' if latest.projected_to_miss else ""
        bits.append(f"<span{css}>{escape(text)}</span>")
    return " · ".join(bits)


# ---------------------------------------------------------------------------
# the tables: one column grid for every table of indicators

# The columns, and their widths (mm; the indicator's name takes what is left): wide
# enough that each Chinese header and every figure, light and status of a month keeps
# to one line at 8.5pt (a test prints the bundled June and checks). English words
# are longer: its light and status columns are wider, its headers shorter.
GRID = [
    "light",
    "indicator",
    "actual",
    "target",
    "progress_head",
    "time_head",
    "projection",
    "change",
    "status",
    "owners",
]
WIDTHS: dict[str, dict[str, float]] = {
    "zh": {
        "light": 10,
        "actual": 19,
        "target": 21,
        "progress_head": 13,
        "time_head": 15,
        "projection": 17,
        "change": 20,
        "status": 15,
        "owners": 21,
    },
    "en": {
        "light": 17,
        "actual": 17,
        "target": 18,
        "progress_head": 13,
        "time_head": 16,
        "projection": 18,
        "change": 24,
        "status": 15,
        "owners": 17,
    },
}
NUMERIC = {"actual", "target", "progress_head", "time_head", "projection"}


def _colgroup(lang: Lang) -> str:
    widths = WIDTHS[lang]
    cols = "".join(
        f'<col class="c-{key}"' + (f' style="width:{widths[key]}mm"' if key in widths else "") + ">"
        for key in GRID
    )
    return f"<colgroup>{cols}</colgroup>"


def _grid_head(lang: Lang) -> str:
    labels = LABELS[lang]
    cells = "".join(
        f'<th class="{key}{" num" if key in NUMERIC else ""}">{escape(labels[key])}</th>'
        for key in GRID
    )
    return f"<thead><tr>{cells}</tr></thead>"


# The count that ends a shortened list in Chinese (等12家), never split over two lines.
_OWNERS_COUNT = re.compile(r"(等\d+家)$")


def _owners_cell(ind: Indicator, lang: Lang) -> str:
    """All the units when there are one or two; else the first and 等N家 (the appendix
    lists them in full). A line may break after a unit, never inside 等N家."""
    if not ind.owners:
        return "—"
    named = None if len(ind.owners) <= 2 else OWNERS_IN_ROW
    # keep-all leaves no break inside a run of Chinese, so a long list would break where
    # it overflows, even before 、: offer a break after each 、 and before 等N家 instead
    text = escape(owner_list(ind.owners, lang, named)).replace("、", "、<wbr>")
    return _OWNERS_COUNT.sub(r'<wbr><span class="count-of">\1</span>', text)


def _target_cell(ind: Indicator, lang: Lang) -> str:
    text = escape(target_text(ind, lang))
    if ind.assumption:
        text += f'<span class="mark">{ASSUMPTION_MARK}</span>'
    return text


def _row(e: Evaluation, lang: Lang) -> str:
    note = e.reading.note if e.reading is not None else ""
    note_html = f'<div class="note">{escape(note)}</div>' if note else ""
    projection = escape(projection_text(e, lang))
    if e.projected_to_miss:
        projection = f'<span class="miss">{projection}</span>'
    cells = {
        "light": _light_badge(e.light, lang),
        "indicator": escape(indicator_name(e, lang)) + note_html,
        "actual": escape(actual_text(e, lang)),
        "target": _target_cell(e.indicator, lang),
        "progress_head": escape(percent(e.completion)),
        "time_head": escape(percent(e.time_progress)),
        "projection": projection,
        "change": escape(change_text(e, lang)),
        "status": escape(status_name(e.status, lang)),
        "owners": _owners_cell(e.indicator, lang),
    }
    tds = "".join(
        f'<td class="{key}{" num" if key in NUMERIC else ""}">{cells[key]}</td>' for key in GRID
    )
    return f'<tr data-light="{e.light.value}" data-indicator="{escape(e.indicator.id)}">{tds}</tr>'


def grid_table(evaluations: list[Evaluation], lang: Lang) -> str:
    """A table of indicators on the page's one column grid, its header repeated on each
    printed page."""
    rows = "\n".join(_row(e, lang) for e in evaluations)
    return (
        f'<table class="grid">{_colgroup(lang)}{_grid_head(lang)}<tbody>\n{rows}\n</tbody></table>'
    )


def _plain_table(head: list[str], rows: list[list[tuple[str, str]]], css: str) -> str:
    """A table of other columns: head and rows of (html, class) cells, escaped already."""
    th = "".join(f"<th>{label}</th>" for label in head)
    body = "\n".join(
        "<tr>" + "".join(f'<td class="{kind}">{html}</td>' for html, kind in row) + "</tr>"
        for row in rows
    )
    return f'<table class="{css}"><thead><tr>{th}</tr></thead><tbody>\n{body}\n</tbody></table>'


# ---------------------------------------------------------------------------
# the page's parts


@dataclass
class Page:
    """What the page shows: the month, the rows chosen, and whether grey rows fold."""

    year: Year
    targets: Targets
    lang: Lang
    shown: list[Evaluation]  # the rows chosen (--status), in catalogue order
    fold: bool

    @property
    def report(self) -> Report:
        return self.year.latest

    @property
    def folded(self) -> list[Evaluation]:
        return [e for e in self.shown if self.fold and e.status in FOLDED]

    @property
    def in_tables(self) -> list[Evaluation]:
        return [e for e in self.shown if not (self.fold and e.status in FOLDED)]


def _sections_table(page: Page, refs: dict[str, str]) -> str:
    """Every indicator shown (milestones apart), under the plan's headings in plan order."""
    lang = page.lang
    labels = LABELS[lang]
    groups: dict[tuple[str, str], list[Evaluation]] = {}
    indicators = [e for e in page.in_tables if e.indicator.kind != Kind.milestone]
    for e in in_plan_order(indicators):
        groups.setdefault(page.targets.section_title(e.indicator.section), []).append(e)
    html = []
    if any(e.indicator.assumption for e in indicators) and "assumptions" in refs:
        note = labels["mark_note"].format(mark=ASSUMPTION_MARK, where=refs["assumptions"])
        html.append(f'<p class="legend">{escape(note)}</p>')
    for n, ((code, title), evaluations) in enumerate(groups.items(), 1):
        heading = _sub_number(n, lang) + plan_text(title or code, lang)
        reference = labels["plan_ref"].format(code=plan_text(code, lang))
        html.append(
            f'<h3 data-section="{escape(code)}">{escape(heading)}'
            f' <span class="ref">{escape(reference)}</span></h3>'
        )
        html.append(grid_table(evaluations, lang))
    return "\n".join(html) if html else f"<p>{escape(labels['no_rows'])}</p>"


def _red_and_yellow(page: Page) -> list[Evaluation]:
    """Red, then yellow, each in plan order."""
    ordered = in_plan_order(page.shown)
    return [e for light in (Light.red, Light.yellow) for e in ordered if e.light == light]


def _focus(page: Page) -> str:
    lit = _red_and_yellow(page)
    if not lit:
        return f"<p>{escape(LABELS[page.lang]['no_focus'])}</p>"
    return grid_table(lit, page.lang)


def _charted(page: Page) -> list[list[Evaluation]]:
    """Each paced indicator shown that has a completion, its months, in plan order."""
    series = page.year.series()
    return [
        months
        for months in (series[e.indicator.id] for e in in_plan_order(page.shown))
        if months[0].indicator.paced and any(e.completion is not None for e in months)
    ]


def _charts(page: Page) -> str:
    figures = [
        f"<figure><figcaption>{_chart_caption(months[0].indicator, months[-1], page.lang)}"
        f"</figcaption>{chart_svg(months[0].indicator, months, page.lang)}</figure>"
        for months in _charted(page)
    ]
    lights = ("、" if page.lang == "zh" else ", ").join(
        _light_badge(light, page.lang) for light in Light
    )
    legend = f'<p class="legend">{escape(LABELS[page.lang]["legend"])}{lights}</p>'
    return legend + '\n<div class="charts">' + "\n".join(figures) + "</div>"


def _owners_table(page: Page) -> str:
    """The scoreboard of `gongfu owners` (scoreboard.py): its units, order and columns."""
    lang, labels = page.lang, OWNER_LABELS[page.lang]

    def cells(score: OwnerScore) -> list[tuple[str, str]]:
        milestones = sum(e.indicator.kind == Kind.milestone for e in score.evaluations)
        red = ("、" if lang == "zh" else ", ").join(indicator_name(e, lang) for e in score.red)
        lights = (Light.green, Light.yellow, Light.red, Light.grey)
        return [
            (escape(owner_name(score, lang)), "name"),
            (str(len(score.evaluations) - milestones), "num"),
            (str(milestones), "num"),
            *((str(score.count(light)), "num") for light in lights),
            (escape(percent(score.share_green) or "—"), "num"),
            (escape(red), "items"),
        ]

    scores = scoreboard(page.report.evaluations)
    # A unit with nothing lit this month (all its items grey) has no figures to
    # compare: by default it is named in one line under the table, not given a row
    # of zeros (the plan's 90 items have over 50 units); --all keeps every row.
    unlit = [s for s in scores if page.fold and s.count(Light.grey) == len(s.evaluations)]
    rows = [cells(score) for score in scores if score not in unlit]
    head = [
        _light_badge(Light(column), lang) if column in Light.__members__ else escape(labels[column])
        for column in OWNER_COLUMNS
    ]
    table = _plain_table([*head, escape(labels["red_items"])], rows, "owners")
    if unlit:
        names = ("、" if lang == "zh" else ", ").join(owner_name(s, lang) for s in unlit)
        line = PAGE_LABELS[lang]["owners_unlit"].format(n=len(unlit), names=names)
        table += f'<p class="note">{escape(line)}</p>'
    return table + f'<p class="note">{escape(labels["note"])}</p>'


def _milestones(page: Page) -> str:
    shown = in_plan_order([e for e in page.in_tables if e.indicator.kind == Kind.milestone])
    return grid_table(shown, page.lang)


def _folded_list(page: Page) -> str:
    """本期不报 and 进行中 by name, one paragraph each; milestones grouped by deadline.
    Names are separated by ；(a name may itself hold 、, as 完成滩浒山岛、西绿华岛整岛迁居)."""
    lang, labels = page.lang, LABELS[page.lang]
    sep = "；" if lang == "zh" else "; "
    lines = []
    for status in FOLDED:
        listed = in_plan_order([e for e in page.folded if e.status == status])
        if not listed:
            continue
        groups: dict[str, list[str]] = {}
        for e in listed:
            due = ""
            if e.indicator.kind == Kind.milestone:
                due = labels["folded_due"].format(due=target_text(e.indicator, lang))
            groups.setdefault(due, []).append(indicator_name(e, lang))
        names = ("。" if lang == "zh" else ". ").join(
            f"{due}{sep.join(group)}" for due, group in sorted(groups.items())
        )
        text = labels["folded_group"].format(
            status=status_name(status, lang), n=len(listed), names=names
        )
        lines.append(f'<p class="folded">{escape(text)}</p>')
    lines.append(f'<p class="note">{escape(labels["folded_note"])}</p>')
    return "\n".join(lines)


def _assumed(page: Page) -> list[Indicator]:
    """Every target whose entry says how the tool reads it, in plan order."""
    assumed = [ind for ind in page.targets.indicators if ind.assumption]
    return sorted(assumed, key=lambda ind: plan_order(ind.section))


def _assumptions(page: Page) -> str:
    lang, labels = page.lang, LABELS[page.lang]
    items = []
    for ind in _assumed(page):
        name = escape(ind.name if lang == "zh" else ind.name_en)
        reading = escape((ind.assumption_en if lang == "en" else None) or ind.assumption or "")
        target = escape(target_text(ind, lang)) + ASSUMPTION_MARK
        items.append(
            f"<li><b>{name}</b>（{target}）：{reading}</li>"
            if lang == "zh"
            else f"<li><b>{name}</b> ({target}): {reading}</li>"
        )
    intro = escape(labels["assumptions_intro"].format(mark=ASSUMPTION_MARK))
    return f'<p class="legend">{intro}</p>\n<ul class="assumptions">' + "\n".join(items) + "</ul>"


def _shortened(page: Page) -> dict[tuple[str, ...], list[Evaluation]]:
    """Each owner list the tables shorten, once, with the items it belongs to."""
    lists: dict[tuple[str, ...], list[Evaluation]] = {}
    for e in in_plan_order(page.in_tables):
        if len(e.indicator.owners) > 2:
            lists.setdefault(tuple(e.indicator.owners), []).append(e)
    return lists


def _appendix(page: Page) -> str:
    lang, labels = page.lang, LABELS[page.lang]
    sep = "、" if lang == "zh" else ", "
    rows = [
        [
            (escape(owner_list(owners, lang, OWNERS_IN_ROW)), "short"),
            (escape(sep.join(owners)), "full"),
            (
                escape(
                    ("；" if lang == "zh" else "; ").join(indicator_name(e, lang) for e in items)
                ),
                "items",
            ),
        ]
        for owners, items in _shortened(page).items()
    ]
    head = [escape(labels[key]) for key in ("appendix_short", "appendix_full", "appendix_items")]
    return _plain_table(head, rows, "appendix")


def _title_html(plan: str, lang: Lang) -> str:
    """The plan's name, then the report's kind kept whole (never 晾晒报 / 告 on two lines)."""
    before, _, after = LABELS[lang]["title"].partition("{plan}")
    space = " " if after.startswith(" ") else ""
    return (
        f'{escape(before)}<span class="plan">{escape(plan)}</span>{space}'
        f'<span class="kind">{escape(after.strip())}</span>'
    )


def _counts(page: Page) -> str:
    lang, labels = page.lang, LABELS[page.lang]
    lights = page.report.lights()
    boxes = [
        f'<span class="count {light.value}">{_shape(light)}'
        f"{escape(labels['count'].format(light=light_name(light, lang), n=lights[light.value]))}"
        "</span>"
        for light in Light
    ]
    total = labels["total"].format(total=len(page.report.evaluations))
    return f'<span class="count total">{escape(total)}</span>' + "".join(boxes)


def _opening(page: Page, plan: str) -> str:
    """The briefing as `gongfu brief` writes it (数据待核 first when the month has problems)."""
    report, lang = page.report, page.lang
    warning = to_check(report, report.evaluations, lang)
    paragraphs = []
    for line in brief(report, report.evaluations, lang, plan).splitlines():
        if not line.strip():
            continue
        if warning is not None and line == safe_text(warning):
            paragraphs.append(f'<p class="to-check" id="to-check">{escape(line)}</p>')
        else:
            paragraphs.append(f'<p class="brief">{escape(line)}</p>')
    return "\n".join(paragraphs)


def _scope(page: Page, statuses: str | None, where: str) -> str:
    labels = LABELS[page.lang]
    total = len(page.report.evaluations)
    if statuses is not None:
        return labels["scope_status"].format(statuses=statuses, shown=len(page.shown), total=total)
    if page.folded:
        return labels["scope_folded"].format(total=total, folded=len(page.folded), where=where)
    return labels["scope_all"].format(total=total)


# ---------------------------------------------------------------------------
# style

CSS = """
@page {
  size: A4 portrait;
  margin: 13mm 12mm 15mm;
  @bottom-center { content: PAGE_NUMBER; font-size: 8pt; color: #555555;
    font-family: FONTS; }
  @bottom-right { content: "GENERATED"; font-size: 8pt; color: #555555;
    font-family: FONTS; }
}
* { box-sizing: border-box; }
body { font-family: FONTS; color: #222222; background: #ffffff; margin: 0 auto;
  max-width: 190mm; font-size: 10pt; line-height: 1.5; padding: 8mm 4mm; }
h1 { font-size: 15pt; line-height: 1.35; margin: 0 0 2mm; }
h1 .kind { display: inline-block; }
h2 { font-size: 12pt; margin: 5mm 0 2mm; border-bottom: 1.5pt solid #b71c1c;
  padding-bottom: 0.8mm; }
h3 { font-size: 10.5pt; margin: 3.5mm 0 1mm; color: #333333; }
h1, h2, h3 { break-after: avoid; break-inside: avoid; }
.ref { font-size: 8pt; font-weight: normal; color: #595959; }
.meta { color: #4d4d4d; margin: 0 0 2mm; }
.scope { margin: 0 0 2mm; }
.brief { margin: 0 0 2mm; }
html:lang(zh) .brief { text-align: justify; }
.to-check { border: 1.5pt solid #b71c1c; color: #8e1b1b; background: #ffffff;
  padding: 1.5mm 3mm; margin: 0 0 2mm; font-weight: bold; }
.counts { display: flex; gap: 2.5mm; flex-wrap: wrap; margin: 2mm 0 1mm; }
.count { border: 1pt solid #9e9e9e; border-left-width: 3pt; border-radius: 1mm;
  padding: 0.8mm 2.5mm; color: #222222; background: #ffffff; font-weight: bold;
  white-space: nowrap; }
.count.green { border-color: #43a047; }
.count.yellow { border-color: #fbc02d; }
.count.red { border-color: #b71c1c; }
.count.total { border-left-width: 1pt; }
svg.shape { width: 2.8mm; height: 2.8mm; vertical-align: -0.3mm; margin-right: 0.8mm; }
.light { font-weight: bold; }
.light.green { color: #1b5e20; }
.light.yellow { color: #7a5200; }
.light.red { color: #b71c1c; }
.light.grey { color: #555555; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; line-height: 1.35;
  margin: 1mm 0 2mm; }
table.grid { table-layout: fixed; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.75pt solid #bdbdbd; padding: 0.8mm 1.2mm; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #f2f2f2; color: #222222; font-weight: bold; text-align: left; }
th.num, td.num { text-align: right; }
/* figures, lights and statuses never break inside a word; a cell too narrow for its
   text (a huge figure) wraps it rather than spilling over or cutting it */
td.num, td.change, td.status, td.light, th { word-break: keep-all; }
td.owners { font-size: 8pt; color: #424242; word-break: keep-all; }
.count-of { white-space: nowrap; }
.mark { color: #7a5200; font-weight: bold; margin-left: 0.5mm; }
.miss { color: #b71c1c; font-weight: bold; }
.note { color: #595959; font-size: 8pt; }
.legend { color: #4d4d4d; font-size: 8.5pt; margin: 0 0 1.5mm; break-after: avoid; }
.folded { margin: 0 0 1.5mm; font-size: 9pt; }
.charts { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 2mm; }
figure { margin: 0; border: 0.75pt solid #d6d6d6; padding: 1.2mm; break-inside: avoid; }
figcaption { font-size: 8pt; line-height: 1.3; margin-bottom: 0.5mm; }
svg.chart { width: 100%; height: auto; display: block; }
table.owners td.items, table.appendix td.full { font-size: 8pt; }
ul.assumptions { margin: 0; padding-left: 5mm; font-size: 8pt; line-height: 1.35; }
footer { margin-top: 5mm; border-top: 0.75pt solid #bdbdbd; padding-top: 1.5mm; }
.rules, .source { color: #4d4d4d; font-size: 8pt; margin: 0 0 1mm; }
/* On paper four charts a row: the plan's 90 items keep the June report on six pages. */
@media print {
  body { padding: 0; max-width: none; }
  .charts { grid-template-columns: repeat(4, 1fr); }
}
"""

# Chinese glyphs on every office machine: Windows (Microsoft YaHei, SimSun),
# macOS (PingFang SC), Linux (Noto Sans CJK SC, WenQuanYi); README says what to
# install where Chinese shows as boxes.
FONTS = (
    '"Microsoft YaHei", "微软雅黑", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "SimSun", "宋体", '
    "sans-serif"
)


def page_css(lang: Lang, generated: date | None) -> str:
    """The style sheet, with the page number and generation date in the page margin."""
    labels = LABELS[lang]
    stamp = labels["generated"].format(date=generated) if generated is not None else ""
    return (
        CSS.replace("PAGE_NUMBER", labels["page_number"])
        .replace("GENERATED", stamp)
        .replace("FONTS", FONTS)
    )


# The table's column names are the terminal table's (render.LABELS); these are the page's own.
LABELS = {lang: {**TABLE_LABELS[lang], **PAGE_LABELS[lang]} for lang in PAGE_LABELS}


# ---------------------------------------------------------------------------
# the page


def report_html(
    year: Year,
    targets: Targets,
    lang: Lang,
    version: str,
    *,
    evaluations: list[Evaluation] | None = None,
    statuses: set[Status] | None = None,
    show_all: bool = False,
    generated: date | None = None,
) -> str:
    """The whole page as one string.

    `evaluations` are the rows to show (default: every indicator of the month);
    `statuses` says they were chosen by --status (then they show in place). By
    default indicators not due or still in progress fold into a list near the end;
    `show_all` keeps them in the tables. `generated` is printed in the page margin.
    """
    labels = LABELS[lang]
    report = year.latest
    shown = report.evaluations if evaluations is None else evaluations
    page = Page(year, targets, lang, shown, fold=not show_all and not statuses)
    plan = targets.plan if lang == "zh" else (targets.plan_en or targets.plan)
    title = labels["title"].format(plan=plan)

    # the parts present, then their numbers, so that text can name a part by its number
    parts: list[tuple[str, str, Callable[[], str]]] = []
    if _red_and_yellow(page) or not statuses:  # "none is red" only when none was left out
        parts.append(("focus", labels["focus"], lambda: _focus(page)))
    parts.append(("lights", labels["table"], lambda: _sections_table(page, refs)))
    if _charted(page):
        parts.append(("charts", labels["charts"], lambda: _charts(page)))
    parts.append(("owners", labels["owners_section"], lambda: _owners_table(page)))
    if any(e.indicator.kind == Kind.milestone for e in page.in_tables):
        parts.append(("milestones", labels["milestones"], lambda: _milestones(page)))
    if page.folded:
        parts.append(("folded", labels["folded"], lambda: _folded_list(page)))
    if _assumed(page):
        parts.append(("assumptions", labels["assumptions"], lambda: _assumptions(page)))
    refs = {key: _top_number(n, lang) + heading for n, (key, heading, _) in enumerate(parts, 1)}
    if _shortened(page):
        parts.append(("appendix", labels["appendix"], lambda: _appendix(page)))
        refs["appendix"] = labels["appendix"]

    chosen = None
    if statuses:
        chosen = ("、" if lang == "zh" else ", ").join(
            status_name(s, lang) for s in Status if s in statuses
        )
    as_of = labels["as_of"].format(year=report.period.year, month=report.period.month)
    compared = (
        labels["previous"].format(period=report.previous_period)
        if report.previous_period
        else labels["no_previous"]
    )
    meta = [as_of, *([targets.document] if targets.document else []), compared]
    if generated is not None:
        meta.append(labels["generated"].format(date=generated))
    files = "、".join(r.file.replace("\\", "/").rsplit("/", 1)[-1] for r in year.reports)
    band = number(targets.defaults.yellow_band)
    body = "\n".join(
        f'<section id="{key}"><h2>{escape(refs[key])}</h2>\n{build()}\n</section>'
        for key, _, build in parts
    )
    return f"""<!DOCTYPE html>
<html lang="{"zh-CN" if lang == "zh" else "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · {escape(str(report.period))}</title>
<style>{page_css(lang, generated)}</style>
</head>
<body>
<header>
<h1>{_title_html(plan, lang)}</h1>
<p class="meta">{escape(" · ".join(meta))}</p>
<p class="scope">{escape(_scope(page, chosen, refs.get("folded", "")))}</p>
{_opening(page, plan)}
<div class="counts" id="light-counts" aria-label="{escape(labels["lights"])}">{_counts(page)}</div>
</header>
{body}
<footer>
<p class="rules">{escape(labels["rules"].format(band=band))}</p>
<p class="source">{escape(labels["source"].format(files=files, version=version))}</p>
</footer>
</body>
</html>
"""


# The rules the traffic-light table needs, scoped to its own box: a notebook
# page keeps its own fonts and layout (no body, @page or print rules leak out).
_TABLE_ELEMENTS = frozenset({"table", "th", "td", "tr", "thead", "tbody", "col", "h3", ""})


def review_table_html(report: Report, targets: Targets, lang: Lang = "zh") -> str:
    """The report's traffic-light table, in plan order, with its styles: how Jupyter
    shows a Review (api.Review._repr_html_)."""
    scoped = []
    for selectors, body in re.findall(r"([^{}@]+)\{([^{}]*)\}", page_css(lang, None)):
        names = [name.strip() for name in selectors.split(",")]
        if all(re.split(r"[.\s:\[]", name)[0] in _TABLE_ELEMENTS for name in names):
            scoped.append(", ".join(f".gongfu {name}" for name in names) + f" {{{body}}}")
    plan = targets.plan if lang == "zh" else (targets.plan_en or targets.plan)
    title = escape(f"{report.period} · {plan}")
    rows = grid_table(in_plan_order(report.evaluations), lang)
    return f"<div class='gongfu'><style>{' '.join(scoped)}</style><h3>{title}</h3>{rows}</div>"
