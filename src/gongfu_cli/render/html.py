"""`gongfu report`: one self-contained HTML page for leaders, printable on A4.

Everything is inline (CSS and SVG charts; no script, no font, no image from the
network), so the file opens the same on an offline office PC and prints as it
looks. Every text that comes from a data or targets file passes through
``escape``: a note reading ``<script>`` is shown as those characters, and a
control character as its escape (``\\x1b``), as in every other output.
"""

from __future__ import annotations

import math
import re
from html import escape as html_escape

from gongfu_cli.judge.scoreboard import scoreboard
from gongfu_cli.model.problems import Lang
from gongfu_cli.model.results import Evaluation, Light, Report, Year
from gongfu_cli.model.targets import Indicator, Kind, Targets
from gongfu_cli.model.text import safe_text
from gongfu_cli.render.brief import figure, goal, to_check
from gongfu_cli.render.owners import owner_name
from gongfu_cli.render.table import LABELS as TABLE_LABELS
from gongfu_cli.render.table import (
    actual_text,
    change_text,
    indicator_name,
    light_name,
    percent,
    progress_text,
    projection_text,
    status_name,
    target_text,
)


def escape(text: str) -> str:
    """HTML-escaped (quotes too, for attributes), with control characters made visible."""
    return html_escape(safe_text(text))


COLOURS = {
    Light.green: "#2e7d32",
    Light.yellow: "#f2a900",
    Light.red: "#c62828",
    Light.grey: "#9e9e9e",
}

# The table's column names are the terminal table's (render.LABELS); these are the page's own.
PAGE_LABELS = {
    "zh": {
        "title": "{plan} 指标晾晒报告",
        "as_of": "截至{year}年{month}月",
        "previous": "较上月对比：{period}",
        "no_previous": "无上月数据，未作对比",
        "lights": "亮灯情况",
        "table": "一、指标亮灯一览",
        "charts": "二、累计类指标完成进度",
        "owners_section": "三、责任单位赛马晾晒",
        "milestones": "四、重点任务（里程碑）",
        "note": "备注",
        "unit": "责任单位",
        "count": "事项",
        "share_green": "绿灯占比",
        "red_items": "红灯事项",
        "due": "完成时限",
        "done_by": "{month}月底前",
        "legend": "实线：完成率；虚线：序时进度；横线：年度目标（100%）；"
        "点线：按目前进度预计全年。圆点颜色为当月亮灯。",
        "source": "数据来源：{files}。由 gongfu {version} 生成；亮灯规则见 README“亮灯规则”。",
        "none_lit": "暂无",
        "ungrouped": "其他",
        "count_unit": "项",
    },
    "en": {
        "title": "{plan}: progress report",
        "as_of": "As of {year}-{month:02d}",
        "previous": "Compared with {period}",
        "no_previous": "No earlier month to compare with",
        "lights": "Lights",
        "table": "1. Traffic lights",
        "charts": "2. Year-to-date progress",
        "owners_section": "3. Responsible units",
        "milestones": "4. Milestones",
        "note": "Note",
        "unit": "Unit",
        "count": "Items",
        "share_green": "Share green",
        "red_items": "Red",
        "due": "Due",
        "done_by": "by month {month}",
        "legend": "Solid: completion; dashed: time progress; rule: the annual target (100%); "
        "dotted: projection at the pace so far. Dot colour: that month's light.",
        "source": "Data: {files}. Made by gongfu {version}; light rules in the README.",
        "none_lit": "none",
        "ungrouped": "Other",
        "count_unit": "",
    },
}
LABELS = {lang: {**TABLE_LABELS[lang], **PAGE_LABELS[lang]} for lang in PAGE_LABELS}

CSS = """
@page { size: A4; margin: 12mm 11mm; }
* { box-sizing: border-box; }
body { font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
       "SimHei", sans-serif; color: #222; margin: 0 auto; max-width: 190mm; font-size: 10.5pt;
       line-height: 1.45; padding: 8mm 4mm; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; border-bottom: 2px solid #c62828; padding-bottom: 1mm; }
h3 { font-size: 11pt; margin: 4mm 0 1mm; color: #444; }
.meta { color: #555; margin: 0 0 3mm; }
.to-check { border: 1.5px solid #c62828; color: #8e1b1b; padding: 2mm 3mm; margin: 0 0 3mm;
  font-weight: bold; }
.counts { display: flex; gap: 3mm; flex-wrap: wrap; margin: 2mm 0 3mm; }
.count { border-radius: 2mm; padding: 1.5mm 3mm; color: #fff; font-weight: bold; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 1mm 0 2mm; }
th, td { border: 1px solid #ccc; padding: 1mm 1.5mm; vertical-align: top; }
th { background: #f3f3f3; font-weight: bold; text-align: left; }
td.num { text-align: right; white-space: nowrap; }
td.tight { white-space: nowrap; }
td.name { min-width: 9em; }
td.owners { font-size: 8pt; color: #444; min-width: 8em; }
tr { break-inside: avoid; }
.dot { display: inline-block; width: 2.6mm; height: 2.6mm; border-radius: 50%;
       vertical-align: middle; margin-right: 1mm; }
.light { white-space: nowrap; }
.miss { color: #c62828; font-weight: bold; }
.note { color: #666; font-size: 8pt; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 3mm; }
figure { margin: 0; border: 1px solid #ddd; padding: 1.5mm; break-inside: avoid; }
figcaption { font-size: 9pt; margin-bottom: 1mm; }
svg.chart { width: 100%; height: auto; display: block; }
.legend, .source { color: #666; font-size: 8.5pt; }
@media print { body { padding: 0; max-width: none; } h2 { break-after: avoid; } }
"""


def _dot(light: Light) -> str:
    return f'<span class="dot" style="background:{COLOURS[light]}"></span>'


def _light_cell(e: Evaluation, lang: Lang) -> str:
    return f'<span class="light">{_dot(e.light)}{escape(light_name(e.light, lang))}</span>'


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
            f'stroke="#eee" stroke-width="1"/>'
            f'<text x="{LEFT - 4}" y="{y(tick) + 3}" font-size="9" text-anchor="end" '
            f'fill="#666">{tick * 100:.0f}%</text>'
        )
        tick += step
    for month in range(1, 13):
        parts.append(
            f'<text x="{x(month)}" y="{HEIGHT - 8}" font-size="8.5" text-anchor="middle" '
            f'fill="#666">{month}</text>'
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
            colour = COLOURS[Light.red] if latest.projected_to_miss else "#1f4e99"
            parts.append(
                f'<line class="projection" x1="{x(last_month)}" y1="{y(last_share)}" '
                f'x2="{x(12)}" y2="{y(projection_share)}" stroke="{colour}" '
                f'stroke-width="1.5" stroke-dasharray="1.5 2.5"/>'
                f'<circle cx="{x(12)}" cy="{y(projection_share)}" r="3" fill="none" '
                f'stroke="{colour}" stroke-width="1.5"/>'
            )
        for m, share, light in points:
            parts.append(
                f'<circle cx="{x(m)}" cy="{y(share)}" r="3.2" fill="{COLOURS[light]}" '
                f'stroke="#fff" stroke-width="0.8"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _chart_caption(ind: Indicator, latest: Evaluation, lang: Lang) -> str:
    name = escape(indicator_name(latest, lang))
    target = escape(goal(ind.target, ind.unit))
    bits = [
        f"{_dot(latest.light)}<b>{name}</b>",
        escape(f"目标 {target}" if lang == "zh" else f"target {target}"),
    ]
    if latest.completion is not None:
        bits.append(escape(progress_text(latest)))
    if latest.projection is not None:
        projected = figure(latest.projection, ind.unit)
        text = f"预计全年 {projected}" if lang == "zh" else f"projected {projected}"
        css = ' class="miss"' if latest.projected_to_miss else ""
        bits.append(f"<span{css}>{escape(text)}</span>")
    return " · ".join(bits)


# ---------------------------------------------------------------------------
# the page


def _counts(report: Report, lang: Lang) -> str:
    lights = report.lights()
    unit, suffix = LABELS[lang]["count_unit"], ("灯" if lang == "zh" else "")
    return "".join(
        f'<span class="count" style="background:{COLOURS[light]}">'
        f"{escape(light_name(light, lang))}{suffix} {lights[light.value]}{unit}</span>"
        for light in Light
    )


def _td(html: str, kind: str = "") -> str:
    """A cell; kind is its CSS class: num, name, tight (no wrapping), owners."""
    return f'<td class="{kind}">{html}</td>' if kind else f"<td>{html}</td>"


def _indicator_rows(evaluations: list[Evaluation], lang: Lang) -> str:
    rows = []
    for e in evaluations:
        note = e.reading.note if e.reading is not None else ""
        note_html = f'<div class="note">{escape(note)}</div>' if note else ""
        projection = escape(projection_text(e, lang))
        if e.projected_to_miss:
            projection = f'<span class="miss">{projection}</span>'
        cells = [
            _td(_light_cell(e, lang), "tight"),
            _td(escape(indicator_name(e, lang)) + note_html, "name"),
            _td(escape(actual_text(e, lang)), "num"),
            _td(escape(target_text(e.indicator, lang)), "num"),
            _td(escape(progress_text(e)), "num"),
            _td(projection, "num"),
            _td(escape(change_text(e, lang)), "tight"),
            _td(escape(status_name(e.status, lang)), "tight"),
            _td(escape(("、" if lang == "zh" else ", ").join(e.indicator.owners)), "owners"),
        ]
        rows.append(
            f'<tr data-light="{e.light.value}" data-indicator="{escape(e.indicator.id)}">'
            + "".join(cells)
            + "</tr>"
        )
    return "\n".join(rows)


def _head(labels: list[str]) -> str:
    return "<tr>" + "".join(f"<th>{label}</th>" for label in labels) + "</tr>"


def _section_heading(code: str, title: str, lang: Lang) -> str:
    """'三(二)、聚力产业攻坚…' as the plan heads it; 'Section 三(二): …' in English."""
    if lang == "zh":
        return f"{code}、{title}" if title else code
    return f"Section {code}" + (f": {title}" if title else "")


def _traffic_light_table(report: Report, targets: Targets, lang: Lang) -> str:
    labels = LABELS[lang]
    keys = ["light", "indicator", "actual", "target", "progress", "projection", "change"]
    head = _head([escape(labels[k]) for k in [*keys, "status", "owners"]])
    groups: dict[tuple[str, str], list[Evaluation]] = {}
    for e in report.evaluations:
        if e.indicator.kind != Kind.milestone:
            groups.setdefault(targets.section_title(e.indicator.section), []).append(e)
    html = []
    for (code, title), evaluations in groups.items():
        html.append(f"<h3>{escape(_section_heading(code, title, lang))}</h3>")
        html.append(f"<table>{head}\n{_indicator_rows(evaluations, lang)}</table>")
    return "\n".join(html)


def _charts(year: Year, lang: Lang) -> str:
    figures = []
    for months in year.series().values():
        ind = months[0].indicator
        if not ind.paced or not any(e.completion is not None for e in months):
            continue
        figures.append(
            f"<figure><figcaption>{_chart_caption(ind, months[-1], lang)}</figcaption>"
            f"{chart_svg(ind, months, lang)}</figure>"
        )
    return '<div class="charts">' + "\n".join(figures) + "</div>"


def _owners_table(report: Report, lang: Lang) -> str:
    labels = LABELS[lang]
    rows = []
    for score in scoreboard(report.evaluations):
        red = ("、" if lang == "zh" else ", ").join(indicator_name(e, lang) for e in score.red)
        cells = [
            _td(escape(owner_name(score, lang)), "name"),
            _td(str(len(score.evaluations)), "num"),
            *(_td(str(score.count(light)), "num") for light in Light),
            _td(escape(percent(score.share_green) or "—"), "num"),
            _td(escape(red)),
        ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    lights = [_dot(light) + escape(light_name(light, lang)) for light in Light]
    head = _head(
        [labels["unit"], labels["count"], *lights, labels["share_green"], labels["red_items"]]
    )
    return f"<table>{head}\n" + "\n".join(rows) + "</table>"


def _milestones(report: Report, lang: Lang) -> str:
    labels = LABELS[lang]
    rows = []
    for e in report.evaluations:
        if e.indicator.kind != Kind.milestone:
            continue
        owners = ("、" if lang == "zh" else ", ").join(e.indicator.owners)
        cells = [
            _td(_light_cell(e, lang), "tight"),
            _td(escape(indicator_name(e, lang)), "name"),
            _td(escape(labels["done_by"].format(month=e.indicator.due_month)), "tight"),
            _td(escape(actual_text(e, lang)), "tight"),
            _td(escape(owners), "owners"),
        ]
        rows.append(f'<tr data-light="{e.light.value}">' + "".join(cells) + "</tr>")
    head = _head([labels[k] for k in ("light", "indicator", "due", "status", "owners")])
    return f"<table>{head}\n" + "\n".join(rows) + "</table>"


def _to_check(report: Report, lang: Lang) -> str:
    """The 数据待核 line, first on the page when the month has problems."""
    line = to_check(report, report.evaluations, lang)
    return "" if line is None else f'<p class="to-check" id="to-check">{escape(line)}</p>\n'


def report_html(year: Year, targets: Targets, lang: Lang, version: str) -> str:
    """The whole page as one string."""
    labels = LABELS[lang]
    report = year.latest
    plan = targets.plan if lang == "zh" else (targets.plan_en or targets.plan)
    title = labels["title"].format(plan=plan)
    as_of = labels["as_of"].format(year=report.period.year, month=report.period.month)
    compared = (
        labels["previous"].format(period=report.previous_period)
        if report.previous_period
        else labels["no_previous"]
    )
    files = "、".join(r.file.replace("\\", "/").rsplit("/", 1)[-1] for r in year.reports)
    document = f" · {targets.document}" if targets.document else ""
    source = escape(labels["source"].format(files=files, version=version))
    return f"""<!DOCTYPE html>
<html lang="{"zh-CN" if lang == "zh" else "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · {escape(str(report.period))}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{escape(title)}</h1>
<p class="meta">{escape(as_of)}{escape(document)} · {escape(compared)}</p>
{_to_check(report, lang)}<div class="counts" id="light-counts">{_counts(report, lang)}</div>
</header>
<section id="lights"><h2>{labels["table"]}</h2>
{_traffic_light_table(report, targets, lang)}
</section>
<section id="charts"><h2>{labels["charts"]}</h2>
<p class="legend">{labels["legend"]}</p>
{_charts(year, lang)}
</section>
<section id="owners"><h2>{labels["owners_section"]}</h2>
{_owners_table(report, lang)}
</section>
<section id="milestones"><h2>{labels["milestones"]}</h2>
{_milestones(report, lang)}
</section>
<footer><p class="source">{source}</p></footer>
</body>
</html>
"""


# The rules the traffic-light table needs, scoped to its own box: a notebook
# page keeps its own fonts and layout (no body, @page or print rules leak out).
_TABLE_ELEMENTS = frozenset({"table", "th", "td", "tr", "h3", ""})  # "": .dot, .light …


def review_table_html(report: Report, targets: Targets, lang: Lang = "zh") -> str:
    """The report's traffic-light table with its styles: how Jupyter shows a Review."""
    scoped = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", CSS):
        names = [name.strip() for name in selectors.split(",")]
        if all(re.split(r"[.\s]", name)[0] in _TABLE_ELEMENTS for name in names):
            scoped.append(", ".join(f".gongfu {name}" for name in names) + f" {{{body}}}")
    title = escape(f"{targets.plan} · {report.period}")
    return (
        f"<div class='gongfu'><style>{' '.join(scoped)}</style><h3>{title}</h3>"
        f"{_traffic_light_table(report, targets, lang)}</div>"
    )
