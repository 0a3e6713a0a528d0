"""Stage 4 of the pipeline: turn a Report into a table, Markdown, text, JSON or CSV.

Renderers are pure: they return a rich renderable or a string, and only the CLI
prints. Every label exists in Chinese (the default) and English.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gongfu_cli.model.problems import SEVERITY_ZH, Lang, Problem, number
from gongfu_cli.model.readings import Edition
from gongfu_cli.model.results import (
    LIGHT_NAMES_ZH,
    STATUS_NAMES_ZH,
    Evaluation,
    Light,
    Report,
    Status,
    YearResult,
    value_change,
)
from gongfu_cli.model.targets import ABOUT, COMPARE, RELATIVE, Indicator, Kind
from gongfu_cli.model.text import safe_text
from gongfu_cli.render.words import ASSUMPTION_MARK, owner_list

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, JustifyMethod, RenderableType, RenderResult
    from rich.text import Text

    from gongfu_cli.model.results import ValidationReport

STATUS_NAMES_EN = {
    Status.met: "met",
    Status.on_track: "on track",
    Status.at_risk: "at risk",
    Status.off_track: "off track",
    Status.pending: "pending",
    Status.no_data: "no data",
    Status.not_due: "not due",
    Status.awaiting: "awaiting",
    Status.no_target: "no target",
    Status.invalid: "invalid",
    Status.suspect: "suspect",
}
LIGHT_STYLE = {Light.green: "green", Light.yellow: "yellow", Light.red: "red", Light.grey: "dim"}

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "light": "亮灯",
        "indicator": "指标",
        "actual": "本期值",
        "target": "年度目标",
        "progress": "完成率 / 序时进度",
        "projection": "预计全年",
        "change": "较上月",
        "status": "状态",
        "owners": "责任单位",
        "done": "已完成",
        "not_done": "未完成",
        "none": "—",
        "confirmed": "（已核实）",
        "revised": "（已修订）",
        "final": "（年报）",
        "final_revised": "（年报，已修订）",
        "revised_from": "原{figure}",
        "met_year": "达标",
        "missed_year": "未达标",
        "title_final": "{year}年度考核结果（{plan}）",
        "result_closed": "{year}年度考核结果：达标 {met} 项 · 未达标 {missed} 项{unassessed}；"
        "全部指标已有年度数据或完成情况，可以定案",
        "result_unassessed": " · 无目标值 {n} 项（未考核）",
        "result_open": "{year}年度考核结果尚不能确定：{open}（见问题清单）；"
        "目前达标 {met} 项 · 未达标 {missed} 项",
        "result_open_item": "{status} {n} 项",
        "no_baseline": "巩固提升（未设基线）",
        "no_baseline_rise": "较基线提升（未设基线）",
        "milestone_due": "{month}月底前完成",
        "about": "约 {target}（±{tolerance}）",
        "title": "{period} 指标晾晒（{plan}）",
        "summary": "共 {total} 项：绿灯 {green} · 黄灯 {yellow} · 红灯 {red} · 其他 {grey}",
        "miss": "难完成",
        "turned_red": "较上月（{previous}）新亮红灯：{names}",
        "projected_to_miss": "按目前进度预计全年难以完成：{names}",
        "owners_first": "责任单位只列首家",
        "folded": "已折叠：{columns}；--wide 或 --format markdown 可看全部",
    },
    "en": {
        "light": "Light",
        "indicator": "Indicator",
        "actual": "Actual",
        "target": "Annual target",
        "progress": "Completion / time",
        "projection": "Year-end projection",
        "change": "Since last month",
        "status": "Status",
        "owners": "Owners",
        "done": "done",
        "not_done": "not done",
        "none": "-",
        "confirmed": " (confirmed)",
        "revised": " (revised)",
        "final": " (final)",
        "final_revised": " (final, revised)",
        "revised_from": "was {figure}",
        "met_year": "met",
        "missed_year": "missed",
        "title_final": "{year} annual result ({plan})",
        "result_closed": "{year} result: {met} met · {missed} missed{unassessed}; every "
        "indicator has its final figure or verdict, the year is closed",
        "result_unassessed": " · {n} with no target (not assessed)",
        "result_open": "The {year} result cannot be settled yet: {open} (see the problems); "
        "so far {met} met · {missed} missed",
        "result_open_item": "{n} {status}",
        "no_baseline": "maintain (no baseline set)",
        "no_baseline_rise": "rise (no baseline set)",
        "milestone_due": "done by month {month}",
        "about": "about {target} (±{tolerance})",
        "title": "{period} progress review ({plan})",
        "summary": "{total} indicators: {green} green · {yellow} yellow · {red} red · {grey} other",
        "miss": "miss",
        "turned_red": "Turned red since {previous}: {names}",
        "projected_to_miss": "Projected to miss the year at the pace so far: {names}",
        "owners_first": "Owners (first only)",
        "folded": "Folded: {columns}; see --wide or --format markdown",
    },
}

# ---------------------------------------------------------------------------
# Text from targets.yaml and data files, made safe to print


def safe_lines(lines: list[str]) -> str:
    """Lines of a text output joined, each made safe: no user text can start a new line,
    and no line can pass for a GitHub workflow command (``::error …``), which a CI
    runner reads from any line a step prints."""
    return "\n".join(_not_a_command(safe_text(line)) for line in lines)


def _not_a_command(line: str) -> str:
    stripped = line.lstrip()
    if not stripped.startswith("::"):
        return line
    return line[: len(line) - len(stripped)] + "：" + stripped[1:]


def plain(text: str, style: str = "") -> Text:
    """A rich cell or title that is printed as text: never read as [markup] or :emoji:."""
    from rich.text import Text

    return Text(safe_text(text), style=style)


def plain_title(text: str) -> Text:
    """A table title as plain text, in rich's title style (which it gives only to a str)."""
    return plain(text, style="table.title")


def status_name(status: Status, lang: Lang) -> str:
    return STATUS_NAMES_ZH[status] if lang == "zh" else STATUS_NAMES_EN[status]


def light_name(light: Light, lang: Lang) -> str:
    return LIGHT_NAMES_ZH[light] if lang == "zh" else light.value


def percent(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f}%"


def with_unit(value: float | None, unit: str) -> str:
    """95% sticks to its number; 180 亿元 takes a space."""
    if unit in ("", "%"):
        return number(value) + unit
    return f"{number(value)} {unit}"


def actual_text(e: Evaluation, lang: Lang, marked: bool = True) -> str:
    """The figure as sent, marked when confirmed (已核实), revised (已修订) or final (年报)
    (unless not `marked`: a trend cell has its own shorter mark)."""
    labels = LABELS[lang]
    if e.done is not None:
        text = labels["done"] if e.done else labels["not_done"]
    elif e.grade is not None:
        text = e.grade
    elif e.actual is None:
        return labels["none"]
    else:
        text = with_unit(e.actual, e.indicator.unit)
        text += labels["confirmed"] if e.confirmed else ""
    return text + edition_mark(e, lang) if marked else text


def edition_mark(e: Evaluation, lang: Lang, with_earlier: bool = False) -> str:
    """（已修订） for a figure a revision replaced, （年报） for the year's final figure;
    `with_earlier` adds the figure replaced: （已修订，原66 亿元）."""
    labels = LABELS[lang]
    if e.edition == Edition.final:
        mark = labels["final_revised"] if e.revised else labels["final"]
    else:
        mark = labels["revised"] if e.revised else ""
    earlier = revised_from_text(e, lang) if with_earlier else ""
    if not mark or not earlier:
        return mark
    return mark[:-1] + ("，" if lang == "zh" else ", ") + earlier + mark[-1]


def revised_from_text(e: Evaluation, lang: Lang) -> str:
    """原 66 亿元: the figure a revision replaced, as sent; empty when none differed."""
    earlier = e.revised_from
    if earlier is None:
        return ""
    if isinstance(earlier, bool):
        figure = LABELS[lang]["done" if earlier else "not_done"]
    elif isinstance(earlier, str):
        figure = earlier
    else:
        figure = with_unit(earlier, e.indicator.unit)
    return LABELS[lang]["revised_from"].format(figure=figure)


def status_name_in(e: Evaluation, lang: Lang, final: bool) -> str:
    """The status column: in the year's result (--final) 达标 or 未达标 for what is lit."""
    if final and e.light == Light.green:
        return LABELS[lang]["met_year"]
    if final and e.light in (Light.red, Light.yellow):
        return LABELS[lang]["missed_year"]
    return status_name(e.status, lang)


def result_line(result: YearResult, lang: Lang) -> str:
    """Under the year's result: met and missed, or what keeps the year open."""
    labels = LABELS[lang]
    met, missed = len(result.met), len(result.missed)
    if result.closed:
        n = len(result.unassessed)
        unassessed = labels["result_unassessed"].format(n=n) if n else ""
        return labels["result_closed"].format(
            year=result.year, met=met, missed=missed, unassessed=unassessed
        )
    why = Counter(e.status for e in result.open)
    items = [
        labels["result_open_item"].format(status=status_name(status, lang), n=why[status])
        for status in Status
        if why[status]
    ]
    return labels["result_open"].format(
        year=result.year, open=("、" if lang == "zh" else ", ").join(items), met=met, missed=missed
    )


def target_text(ind: Indicator, lang: Lang) -> str:
    """The annual target as a phrase: ≥ 160 亿元, > 89% 或 A等, 约 6.5%（±0.5）, 12月底前完成."""
    labels = LABELS[lang]
    if ind.kind == Kind.milestone:
        return labels["milestone_due"].format(month=ind.due_month)
    if ind.op in RELATIVE:
        if ind.baseline is None:
            return labels["no_baseline" if ind.op == "maintain" else "no_baseline_rise"]
        return ("≥ " if ind.op == "maintain" else "> ") + with_unit(ind.baseline, ind.unit)
    target = with_unit(ind.target, ind.unit)
    if ind.op == ABOUT:  # 约 6.5%（±0.5）: the tolerance is what "about" means here
        text = labels["about"].format(target=target, tolerance=number(ind.tolerance))
    else:
        text = f"{COMPARE[ind.op].sign} {target}"
    for grade in ind.also_met_by:
        text += f" 或 {grade}等" if lang == "zh" else f" or grade {grade}"
    return text


def progress_text(e: Evaluation) -> str:
    if e.completion is None:
        return ""
    if e.time_progress is None:
        return percent(e.completion)
    return f"{percent(e.completion)} / {percent(e.time_progress)}"


def projection_text(e: Evaluation, lang: Lang) -> str:
    """预计全年 as the table shows it: '132 亿元 难完成' when it falls short; nothing in
    December, whose figure is the year's own."""
    if e.projection is None or (e.period is not None and e.period.month == 12):
        return ""
    text = with_unit(round(e.projection, 2), e.indicator.unit)
    return f"{text} {LABELS[lang]['miss']}" if e.projected_to_miss else text


def signed(value: float) -> str:
    return ("+" if value > 0 else "") + number(round(value, 4))


def change_text(e: Evaluation, lang: Lang) -> str:
    """较上月: the light then → now, and how the figure moved ('黄→红 +8.2')."""
    change = value_change(e)
    if e.previous is None or (e.light == e.previous.light == Light.grey and not change):
        return ""  # nothing was or is judged, and nothing moved
    text = f"{light_name(e.previous.light, lang)}→{light_name(e.light, lang)}"
    return text if change is None else f"{text} {signed(change)}"


def names_list(evaluations: list[Evaluation], lang: Lang) -> str:
    return ("、" if lang == "zh" else ", ").join(indicator_name(e, lang) for e in evaluations)


def history_lines(report: Report, evaluations: list[Evaluation], lang: Lang) -> list[str]:
    """The lines under the table: newly red since last month, projected to miss."""
    labels, lines = LABELS[lang], []
    turned_red = [e for e in evaluations if e.turned_red]
    if turned_red:
        names = ("、" if lang == "zh" else ", ").join(
            f"{indicator_name(e, lang)}（{change_text(e, lang)}）"
            if lang == "zh"
            else f"{indicator_name(e, lang)} ({change_text(e, lang)})"
            for e in turned_red
        )
        lines.append(labels["turned_red"].format(previous=report.previous_period, names=names))
    # December's figure is the year's: nothing is projected any more
    missing_year = [e for e in evaluations if e.projected_to_miss and report.period.month < 12]
    if missing_year:
        lines.append(labels["projected_to_miss"].format(names=names_list(missing_year, lang)))
    return lines


def owners_text(e: Evaluation, lang: Lang, limit: int | None = None) -> str:
    return owner_list(e.indicator.owners, lang, limit)


def indicator_name(e: Evaluation, lang: Lang) -> str:
    return e.indicator.name if lang == "zh" else e.indicator.name_en


def summary_line(evaluations: list[Evaluation], lang: Lang) -> str:
    lights = {light: sum(e.light == light for e in evaluations) for light in Light}
    return LABELS[lang]["summary"].format(
        total=len(evaluations), **{light.value: n for light, n in lights.items()}
    )


def title(report: Report, plan: str, lang: Lang, result: YearResult | None = None) -> str:
    if result is not None:
        return LABELS[lang]["title_final"].format(year=result.year, plan=plan)
    return LABELS[lang]["title"].format(period=report.period, plan=plan)


# ---------------------------------------------------------------------------
# table (rich), fitted to the terminal

ASSUMPTION_NOTE = {
    "zh": "※ 口径为工具解读，见 gongfu targets",
    "en": "※ the tool's interpretation, see gongfu targets",
}


def target_cell(ind: Indicator, lang: Lang) -> str:
    """The target as the table and Markdown show it: marked ※ when the tool read it."""
    text = target_text(ind, lang)
    return text + ASSUMPTION_MARK if ind.assumption or ind.assumption_en else text


def assumption_notes(evaluations: list[Evaluation], lang: Lang) -> list[str]:
    """The footnote explaining ※, when a target shown carries it."""
    marked = any(e.indicator.assumption or e.indicator.assumption_en for e in evaluations)
    return [ASSUMPTION_NOTE[lang]] if marked else []


# Line breaking as Chinese typesetting does it: no line starts with a closing mark
# (、，。）” …) and none ends with an opening one; an operator stays with its number
# (≥ 160); a count of units (等7家) and an option (--format markdown) stay whole. Names
# and notes may break between two Chinese characters ("text"); figures, targets, headers
# and owner lists only at a space, after 、 or before （ ("phrase"); a light or a status
# never ("none").
_OPENING = frozenset("（《「『“‘([{")
_NO_LINE_START = frozenset("、，。；：？！）》」』”’%…·,.;:?!)]}→")
_NO_LINE_END = _OPENING | {"→", "/"}
_CLAUSE_END = frozenset("、，；：")
_GLUED_TO_NEXT = frozenset({"≥", ">", "<", "≤", "~", "/", "或", "or", "grade"})
_UNBROKEN = re.compile(r"等\d+家|and \d+ others?|--format markdown")


@functools.lru_cache(maxsize=4096)
def line_pieces(text: str, breaks: str) -> tuple[str, ...]:
    """`text` cut where a line may break; the pieces joined are the text."""
    if breaks == "none" or not text:
        return (text,)
    from rich.cells import get_character_cell_size as cells

    counts = list(_UNBROKEN.finditer(text))
    inside = {i for m in counts for i in range(m.start() + 1, m.end())}
    starts = {m.start() for m in counts}
    pieces, start = [], 0
    for i in range(1, len(text)):
        before, after = text[i - 1], text[i]
        if i in inside or after.isspace() or after in _NO_LINE_START or before in _NO_LINE_END:
            continue
        if before.isspace():
            words = text[start:i].split()
            breakable = not words or words[-1] not in _GLUED_TO_NEXT
        elif before in _CLAUSE_END or after in _OPENING or i in starts:
            breakable = True
        else:
            breakable = breaks == "text" and (cells(before) == 2 or cells(after) == 2)
        if breakable:
            pieces.append(text[start:i])
            start = i
    pieces.append(text[start:])
    return tuple(pieces)


def wrap_pieces(pieces: tuple[str, ...], width: int) -> list[str]:
    """Lines of at most `width` cells, broken only between pieces. A piece wider than a
    line (only in a terminal narrower than the narrowest layout) is folded, never cut."""
    from rich.cells import cached_cell_len, chop_cells

    lines: list[str] = []
    line, used = "", 0  # cells so far, with the spaces a break would drop
    for piece in pieces:
        word = piece.rstrip()
        if line and used + cached_cell_len(word) > width:
            lines.append(line.rstrip())
            line, used = "", 0
        line += piece
        used += cached_cell_len(piece)
    lines.append(line.rstrip())
    if all(cached_cell_len(line) <= width for line in lines):
        return lines
    return [part for line in lines for part in (chop_cells(line, max(width, 2)) or [""])]


def wrap_text(text: str, width: int, breaks: str = "text") -> list[str]:
    return wrap_pieces(line_pieces(text, breaks), width)


class _Column:
    """A column of the check table; each cell is a list of lines, each wrapped alone."""

    def __init__(
        self,
        key: str,
        header: list[str],
        cells: list[list[str]],
        breaks: str,
        styles: list[str],
        justify: JustifyMethod = "left",
    ):
        from rich.cells import cell_len

        self.key, self.header, self.cells, self.breaks = key, header, cells, breaks
        self.styles, self.justify = styles, justify
        self.pieces = [[line_pieces(line, breaks) for line in cell] for cell in cells]
        every = [piece.rstrip() for cell in self.pieces for line in cell for piece in line]
        self.natural = max((cell_len(line) for cell in cells for line in cell), default=0)
        self.narrowest = max((cell_len(piece) for piece in every), default=0)
        header_pieces = [p.rstrip() for line in header for p in line_pieces(line, "phrase")]
        self.header_natural = max(cell_len(line) for line in header)
        self.header_narrowest = max(cell_len(piece) for piece in header_pieces)
        self._heights: dict[int, list[int]] = {}
        self._within: dict[int, int] = {}

    def heights(self, width: int) -> list[int]:
        """How many lines each cell takes at `width`."""
        if width not in self._heights:
            self._heights[width] = [
                sum(len(wrap_pieces(line, width)) for line in cell) for cell in self.pieces
            ]
        return self._heights[width]

    def within_lines(self, most: int) -> int:
        """The narrowest width at which no line of a cell wraps into more than `most`."""
        if most not in self._within:
            low, high = self.narrowest, max(self.natural, self.narrowest)
            while low < high:
                middle = (low + high) // 2
                lines = (line for cell in self.pieces for line in cell)
                fits = all(len(wrap_pieces(line, middle)) <= most for line in lines)
                low, high = (low, middle) if fits else (middle + 1, high)
            self._within[most] = low
        return self._within[most]

    def lines(self, row: int, width: int) -> list[str]:
        return [wrapped for line in self.pieces[row] for wrapped in wrap_pieces(line, width)]


@dataclass(frozen=True)
class _Fold:
    """One shape of the table: how many owners are named, which columns are hidden."""

    owners_named: int
    hidden: tuple[str, ...] = ()


# What gives way, in this order, when the terminal is narrower than the table: owners
# shortened to the first unit and 等N家, then 预计全年, then 较上月, then 责任单位. Within a
# shape, figures may wrap (172 / 亿元) and 状态 may stand under 亮灯, whichever takes the
# fewest lines; a name never takes more than two lines.
FOLDS = (
    _Fold(owners_named=2),
    _Fold(owners_named=1),
    _Fold(owners_named=1, hidden=("projection",)),
    _Fold(owners_named=1, hidden=("projection", "change")),
    _Fold(owners_named=1, hidden=("projection", "change", "owners")),
)
_FIGURES = frozenset({"actual", "target", "progress", "projection", "change"})
_NAME_LINES = 2
_GAP = 2  # cells between two columns
_RULE = "─"


@dataclass
class _Layout:
    fold: _Fold
    columns: list[_Column]
    widths: list[int]

    def height(self) -> int:
        heights = [c.heights(w) for c, w in zip(self.columns, self.widths, strict=True)]
        return sum(max(row) for row in zip(*heights, strict=True)) if heights else 0

    def width(self) -> int:
        return sum(self.widths) + _GAP * (len(self.widths) - 1)


class FittedTable:
    """The check table, laid out when rich prints it, for the width it is printed in.

    The first shape in FOLDS whose columns fit is used; spare width goes to the figures
    (each onto one line), then the names, then the owners. With `wide`, every column at
    full width, however wide the terminal."""

    def __init__(
        self,
        report: Report,
        evaluations: list[Evaluation],
        lang: Lang,
        plan: str,
        wide: bool,
        result: YearResult | None = None,
    ):
        self.report, self.evaluations, self.lang, self.plan = report, evaluations, lang, plan
        self.wide, self.result = wide, result
        final = result is not None
        labels = LABELS[lang]
        lights = [LIGHT_STYLE[e.light] for e in evaluations]

        def column(
            key: str,
            texts: list[str],
            breaks: str,
            styles: list[str] | None = None,
            justify: JustifyMethod = "left",
        ) -> _Column:
            cells = [[safe_text(text)] for text in texts]
            return _Column(key, [labels[key]], cells, breaks, styles or [""] * len(texts), justify)

        light = column(
            "light", ["● " + light_name(e.light, lang) for e in evaluations], "none", lights
        )
        status = column(
            "status", [status_name_in(e, lang, final) for e in evaluations], "none", lights
        )
        stacked = [a + b for a, b in zip(light.cells, status.cells, strict=True)]
        header = [labels["light"], labels["status"]]
        self.light, self.status = light, status
        self.light_and_status = _Column("light", header, stacked, "none", lights)
        name_breaks = "text" if lang == "zh" else "phrase"  # English breaks between words
        self.name = column("indicator", [indicator_name(e, lang) for e in evaluations], name_breaks)
        self.figures = [
            column("actual", [actual_text(e, lang) for e in evaluations], "phrase", None, "right"),
            column(
                "target",
                [target_cell(e.indicator, lang) for e in evaluations],
                "phrase",
                None,
                "right",
            ),
            column("progress", [progress_text(e) for e in evaluations], "phrase", None, "right"),
            column(
                "projection",
                [projection_text(e, lang) for e in evaluations],
                "phrase",
                ["red" if e.projected_to_miss else "" for e in evaluations],
                "right",
            ),
            column("change", [change_text(e, lang) for e in evaluations], "phrase"),
        ]
        self.owners = {
            named: column(
                "owners",
                [owners_text(e, lang, named) or labels["none"] for e in evaluations],
                "phrase",
            )
            for named in {fold.owners_named for fold in FOLDS}
        }

    def columns(self, fold: _Fold, stacked: bool) -> list[_Column]:
        lights = [self.light_and_status] if stacked else [self.light]
        status = [] if stacked else [self.status]
        every = [*lights, self.name, *self.figures, *status, self.owners[fold.owners_named]]
        return [c for c in every if c.key not in fold.hidden]

    def layout(self, width: int) -> _Layout:
        if self.wide:
            columns = self.columns(FOLDS[0], stacked=False)
            natural = [max(c.natural, c.header_natural) for c in columns]
            return _Layout(FOLDS[0], columns, natural)
        for fold in FOLDS:
            fitting = []
            for stacked in (False, True):
                for wrap_figures in (False, True):
                    columns = self.columns(fold, stacked)
                    widths = _fit(columns, width, wrap_figures, _NAME_LINES)
                    if widths is not None:
                        fitting.append(_Layout(fold, columns, widths))
            if fitting:
                return min(fitting, key=_Layout.height)  # the first of the shortest
        # Narrower than any layout: names take more lines; at last everything folds.
        columns = self.columns(FOLDS[-1], stacked=True)
        least = _fit(columns, width, True, None) or [_least(c, True, None) for c in columns]
        return _Layout(FOLDS[-1], columns, least)

    def notes(self, fold: _Fold) -> list[tuple[str, str]]:
        """The lines under the table, each with its style."""
        evaluations, lang = self.evaluations, self.lang
        notes = [(line, "") for line in assumption_notes(evaluations, lang)]
        folded = fold_note(fold, lang)
        if folded:
            notes.append((folded, "dim"))
        notes.append((summary_line(evaluations, lang), ""))
        if self.result is not None:
            notes.append((result_line(self.result, lang), ""))
        notes += [(line, "") for line in history_lines(self.report, evaluations, lang)]
        return notes

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        layout = self.layout(options.max_width)
        page = max(options.max_width, layout.width())  # wider only with --wide
        within = options.update(width=page)
        # As in safe_lines, a wrapped line that starts with user text is no CI command.
        # the title and notes wrap at the window, even where the table is wider than it
        # (below 80 columns): a wider line would be cropped at the window's edge
        lines_width = min(page, options.max_width)
        heading = wrap_text(
            safe_text(title(self.report, self.plan, self.lang, self.result)), lines_width
        )
        parts: list[RenderableType] = [
            plain(_not_a_command(line), "table.title") for line in heading
        ]
        parts += _table_lines(layout)
        for note, style in self.notes(layout.fold):
            # lists of names break between names (after 、), never inside one
            lines = wrap_text(safe_text(note), lines_width, "phrase")
            parts += [plain(_not_a_command(line), style) for line in lines]
        for part in parts:
            yield from console.render(part, within)


def _least(column: _Column, wrap_figures: bool, name_lines: int | None) -> int:
    """The narrowest a column may be in a layout."""
    if column.key == "indicator":
        least = column.narrowest if name_lines is None else column.within_lines(name_lines)
    elif column.key in _FIGURES:
        least = column.narrowest if wrap_figures else column.natural
    elif column.key == "owners":
        least = column.narrowest
    else:
        least = column.natural
    return max(least, column.header_narrowest)


def _fit(
    columns: list[_Column], width: int, wrap_figures: bool, name_lines: int | None
) -> list[int] | None:
    """Column widths that fit in `width`, or None. Spare room goes first to the figures
    (to a figure only if it then takes one line), then to the names, then the owners,
    then to the headers."""
    room = width - _GAP * (len(columns) - 1)
    widths = [_least(c, wrap_figures, name_lines) for c in columns]
    if sum(widths) > room:
        return None
    for i, c in enumerate(columns):
        if c.key in _FIGURES and 0 < c.natural - widths[i] <= room - sum(widths):
            widths[i] = c.natural
    for key in ("indicator", "owners"):
        for i, c in enumerate(columns):
            if c.key == key:
                widths[i] += max(0, min(c.natural - widths[i], room - sum(widths)))
    for i, c in enumerate(columns):
        widths[i] += max(0, min(c.header_natural - widths[i], room - sum(widths)))
    return widths


def _table_lines(layout: _Layout) -> list[Text]:
    """The table as lines of text, cells already wrapped to their widths: each cell
    padded as its column justifies it, columns two cells apart, each header underlined
    as wide as its column. Drawn line by line, as rich's Table would lay out these fixed
    widths, at a fraction of its cost (the check table is most of `check`'s drawing)."""
    from rich.cells import cell_len
    from rich.text import Text

    gap = " " * _GAP

    def padded(text: str, width: int, justify: str) -> str:
        room = width - cell_len(text)
        if room <= 0:
            return text
        if justify == "right":
            return " " * room + text
        if justify == "center":
            return " " * (room // 2) + text + " " * (room - room // 2)
        return text + " " * room

    def block(cells: list[tuple[list[str], str]]) -> list[Text]:
        height = max((len(lines) for lines, _ in cells), default=0)
        rows = []
        for index in range(height):
            line = Text()
            for place, ((lines, style), column, width) in enumerate(
                zip(cells, layout.columns, layout.widths, strict=True)
            ):
                if place:
                    line.append(gap)
                text = lines[index] if index < len(lines) else ""
                line.append(padded(text, width, column.justify), style=style)
            rows.append(line)
        return rows

    head = [
        (
            [line for h in column.header for line in wrap_text(h, width, "phrase")]
            + [_RULE * width],
            "table.header",
        )
        for column, width in zip(layout.columns, layout.widths, strict=True)
    ]
    # the header's lines sit at the bottom, above the rule, as rich lays them out
    tallest = max(len(lines) for lines, _ in head)
    head = [([""] * (tallest - len(lines)) + lines, style) for lines, style in head]
    lines = block(head)
    rows = len(layout.columns[0].cells) if layout.columns else 0
    for row in range(rows):
        lines += block(
            [
                (column.lines(row, width), column.styles[row])
                for column, width in zip(layout.columns, layout.widths, strict=True)
            ]
        )
    return lines


def fold_note(fold: _Fold, lang: Lang) -> str:
    """The dim line that says what the table folded to fit, and how to see it all."""
    labels = LABELS[lang]
    folded = [labels[key] for key in fold.hidden]
    if fold.owners_named < FOLDS[0].owners_named and "owners" not in fold.hidden:
        folded.insert(0, labels["owners_first"])
    if not folded:
        return ""
    return labels["folded"].format(columns=("、" if lang == "zh" else ", ").join(folded))


def render_table(
    report: Report,
    evaluations: list[Evaluation],
    lang: Lang,
    plan: str,
    wide: bool = False,
    result: YearResult | None = None,
) -> RenderableType:
    """The check table (FittedTable): it fits the width it is printed in, or with `wide`
    shows every column at full width; with the year's `result` (--final), its title,
    达标/未达标 and the result under it."""
    return FittedTable(report, evaluations, lang, plan, wide, result)


# ---------------------------------------------------------------------------
# markdown


def markdown_head(header: list[str]) -> list[str]:
    """A Markdown table's header row and the separator under it."""
    return [markdown_row(header), "|" + "---|" * len(header)]


def markdown_row(cells: list[str]) -> str:
    """A Markdown table row; a | inside a cell is escaped so it cannot open a column."""
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def render_markdown(
    report: Report,
    evaluations: list[Evaluation],
    lang: Lang,
    plan: str,
    result: YearResult | None = None,
) -> str:
    labels = LABELS[lang]
    final = result is not None
    columns = [
        "light",
        "indicator",
        "actual",
        "target",
        "progress",
        "projection",
        "change",
        "status",
        "owners",
    ]
    lines = [
        f"### {title(report, plan, lang, result)}",
        "",
        "| " + " | ".join(labels[c] for c in columns) + " |",
        "|" + "---|" * len(columns),
    ]
    for e in evaluations:
        cells = [
            light_name(e.light, lang),
            indicator_name(e, lang),
            actual_text(e, lang),
            target_cell(e.indicator, lang),
            progress_text(e),
            projection_text(e, lang),
            change_text(e, lang),
            status_name_in(e, lang, final),
            owners_text(e, lang) or labels["none"],
        ]
        lines.append(markdown_row(cells))
    lines += ["", *(note for line in assumption_notes(evaluations, lang) for note in (line, ""))]
    lines += [summary_line(evaluations, lang)]
    lines += [result_line(result, lang)] if result is not None else []
    lines += [*history_lines(report, evaluations, lang), ""]
    return safe_lines(lines)


# ---------------------------------------------------------------------------
# json and csv: for machines


CSV_COLUMNS = [
    "id",
    "name",
    "unit",
    "op",
    "target",
    "actual",
    "completion",
    "time_progress",
    "projection",
    "projected_to_miss",
    "status",
    "light",
    "previous_period",
    "previous_status",
    "previous_light",
    "previous_actual",
    "change",
    "turned_red",
    "owners",
    "confirmed",
    "edition",
    "revised_from",
]


# The first characters that make a spreadsheet read typed text as a formula.
FORMULA_STARTS = ("=", "+", "-", "@")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell: text a spreadsheet would run as a formula (=, +, -, @) gets a quote
    before it, and control characters are shown escaped (a line break in a cell would
    start a new line on a terminal or in a CI log)."""
    if not isinstance(value, str):
        return value
    value = safe_text(value)
    return "'" + value if value[:1] in FORMULA_STARTS else value


def render_csv(report: Report, evaluations: list[Evaluation], lang: Lang) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in evaluations:
        row = e.to_dict()
        row["name"] = indicator_name(e, lang)
        row["owners"] = "、".join(row["owners"])
        for column in (
            "actual",
            "previous_actual",
            "projected_to_miss",
            "turned_red",
            "confirmed",
            "revised_from",
        ):
            if isinstance(row[column], bool):  # true/false, as in the JSON
                row[column] = str(row[column]).lower()
        writer.writerow([spreadsheet_safe(row[c]) for c in CSV_COLUMNS])
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# gongfu validate: text, json, github

# The text format lists at most this many problems per file; json has them all.
TEXT_PROBLEM_CAP = 50


def problem_text(problem: Problem, lang: Lang, heading: str | None = None) -> str:
    """A problem as a sentence with its place, on one line, safe to print:
    ``2025-06.csv 第5行「数值」列：错误 [code] message — what to do`` (English:
    ``2025-06.csv line 5, column 'value': error [code] …``). Under a heading that
    names the file already (`heading`), the file is left out. The compiler-style
    ``file:line:column`` is for machines: --format github and json."""
    severity = SEVERITY_ZH[problem.severity] if lang == "zh" else problem.severity
    place = problem_place(problem, lang, with_file=problem.file != heading)
    colon = "：" if lang == "zh" else ": "
    return safe_text(
        (f"{place}{colon}" if place else "")
        + f"{severity} [{problem.code}] {problem.message(lang)} — {problem.fix(lang)}"
    )


# A cell reference (C5): a workbook problem outside gongfu's own columns.
_CELL_REFERENCE = re.compile(r"[A-Z]{1,3}[0-9]+")
# How the reader names a column that has figures but no title.
_UNTITLED_COLUMN = re.compile(r"第([0-9]+)列（无表头）")


def problem_place(problem: Problem, lang: Lang, with_file: bool = True) -> str:
    """Where a problem is, in words: ``2025-06.csv 第5行「数值」列``,
    ``targets.yaml 第3行第9列``, ``2025-06.xlsx 单元格 D7`` (English: ``line 5,
    column 'value'``, ``line 3, column 9``, ``cell D7``)."""
    column = problem.column or ""
    cell = _CELL_REFERENCE.fullmatch(column) is not None
    parts = []
    if problem.line is not None and not cell:  # a cell reference names its row
        parts.append(f"第{problem.line}行" if lang == "zh" else f"line {problem.line}")
    if column:
        parts.append(_column_words(problem.code, column, cell, lang))
    place = "".join(parts) if lang == "zh" else ", ".join(parts)
    file = problem.file if with_file else None
    return " ".join(part for part in (file, place) if part)


def _column_words(code: str, column: str, cell: bool, lang: Lang) -> str:
    zh = lang == "zh"
    if column.isdigit():  # a character position (a targets file's line)
        return f"第{column}列" if zh else f"column {column}"
    if cell:
        return f"单元格 {column}" if zh else f"cell {column}"
    if code.startswith("targets-"):  # a targets file's field: indicators[0].kind
        return f"「{column}」字段" if zh else f"field '{column}'"
    untitled = _UNTITLED_COLUMN.fullmatch(column)
    if untitled:  # a column with figures but no title
        return column if zh else f"column {untitled[1]} (untitled)"
    # gongfu's own columns are labelled in both languages ("数值 / value");
    # a column the user titled is named as titled
    chinese, _, english = column.partition(" / ")
    name = (chinese if zh else english) or column
    return f"「{name}」列" if zh else f"column '{name}'"


def more_problems_text(hidden: int, lang: Lang) -> str:
    """The line that stands for problems a text listing leaves out."""
    if lang == "zh":
        return f"……另有 {hidden} 个问题未列出（--format json 可查看全部）"
    return f"... and {hidden} more problems (--format json lists them all)"


def validation_summary(report: ValidationReport, lang: Lang) -> str:
    files, errors, warnings = len(report.files), len(report.errors), len(report.warnings)
    if lang == "zh":
        verdict = "通过" if report.valid else "未通过"
        return f"{verdict}：{files} 个文件，{errors} 个错误，{warnings} 个警告"
    verdict = "valid" if report.valid else "invalid"

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return (
        f"{verdict}: {plural(files, 'file')}, {plural(errors, 'error')}, "
        f"{plural(warnings, 'warning')}"
    )


def listed(problems: list[Problem], limit: int | None) -> tuple[list[Problem], int]:
    """The problems a text listing shows, and how many it leaves out. Past `limit`, a
    too-many-problems summary is still shown: it says how many rows are wrong."""
    if limit is None or len(problems) <= limit:
        return problems, 0
    shown = problems[:limit]
    shown += [p for p in problems[limit:] if p.code == "too-many-problems"]
    return shown, len(problems) - len(shown)


def render_validation_text(report: ValidationReport, lang: Lang) -> str:
    lines: list[str] = []
    for result in report.files:
        if not result.problems:
            continue
        lines.append(safe_text(result.file))
        shown, hidden = listed(result.problems, TEXT_PROBLEM_CAP)
        for problem in shown:
            lines.append("  " + problem_text(problem, lang, heading=result.file))
        if hidden > 0:
            lines.append("  " + more_problems_text(hidden, lang))
    lines.append(validation_summary(report, lang))
    return safe_lines(lines) + "\n"


def _gh_escape(text: str, property_value: bool = False) -> str:
    """GitHub's workflow-command escaping (actions/toolkit escapeData, escapeProperty):
    %, CR and LF always, also : and , in properties. Other control characters are
    shown escaped first, like everywhere else, so a log shows no raw ESC either."""
    text = safe_text(text)
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_validation_github(report: ValidationReport, lang: Lang) -> str:
    """One ``::error``/``::warning`` workflow command per problem, for PR annotations."""
    lines = []
    for problem in report.problems:
        level = "error" if problem.severity == "error" or report.strict else "warning"
        props = [f"file={_gh_escape(problem.file or '', True)}"]
        if problem.line is not None:
            props.append(f"line={problem.line}")
        props.append(f"title={_gh_escape(problem.code, True)}")
        where = f"[{problem.column}] " if problem.column else ""
        message = f"{where}{problem.message(lang)} — {problem.fix(lang)}"
        lines.append(f"::{level} {','.join(props)}::{_gh_escape(message)}")
    lines.append(validation_summary(report, lang))
    return "\n".join(lines) + "\n"
