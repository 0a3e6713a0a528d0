"""gongfu check's table fits the terminal: from 80 columns up nothing is cut or collapsed,
columns fold in the stated order with a note saying so, and ※ marks the tool's readings."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.cells import cell_len, get_character_cell_size
from rich.console import Console
from typer.testing import CliRunner

from conftest import MINIMAL_TARGET, SAMPLES
from gongfu_cli.api import load_targets
from gongfu_cli.cli.root import app
from gongfu_cli.judge.year import evaluate_year
from gongfu_cli.model.results import Evaluation, Report
from gongfu_cli.render import table as render

runner = CliRunner()
WIDTHS = [80, 100, 120, 160]
RULE = re.compile(r"^[─ ]+$")
COUNT = re.compile(r"等\d+家|and \d+ others?")


@pytest.fixture(scope="module")
def june(targets) -> Report:
    return evaluate_year(SAMPLES, targets).latest


def printed(renderable, width: int, colour: bool = False) -> str:
    console = Console(
        file=io.StringIO(),
        width=width,
        no_color=not colour,
        force_terminal=colour,
        color_system="standard" if colour else None,
        highlight=False,
        emoji=False,
    )
    console.print(renderable)
    return console.file.getvalue()


def cells(line: str) -> list[str]:
    """A printed line as terminal cells: a wide character, then an empty cell."""
    out: list[str] = []
    for char in line:
        out += [char] + [""] * (get_character_cell_size(char) - 1)
    return out


def columns_of(output: str, heading: str):
    """The printed table taken apart: {header: [cell lines per row]} in column order,
    and the lines after the table. Columns are found from the header underline."""
    lines = output.splitlines()
    rule = next(i for i, line in enumerate(lines) if RULE.match(line) and "─" in line)
    spans = [m.span() for m in re.finditer("─+", lines[rule])]  # one character = one cell here
    title_lines = next(
        k for k in range(1, rule + 1) if "".join(lines[:k]).replace(" ", "") == heading
    )
    header_lines = lines[title_lines:rule]
    end = next(i for i in range(rule + 1, len(lines)) if lines[i].startswith("※"))
    body = [cells(line) for line in lines[rule + 1 : end]]
    headers = [
        "".join("".join(cells(line)[a:b]).strip() for line in header_lines) for a, b in spans
    ]
    rows: list[list[list[str]]] = []
    for line in body:
        row = ["".join(line[a:b]).strip() for a, b in spans]
        if row[0].startswith("●"):
            rows.append([[cell] for cell in row])
        else:
            for column, cell in zip(rows[-1], row, strict=True):
                column.append(cell)
    table = {h: [[line for line in row[i] if line] for row in rows] for i, h in enumerate(headers)}
    return table, lines[end:]


def expected(e: Evaluation, lang: str, header: str, owners_named: int) -> str:
    """What a column's cell must read, whole, for one indicator."""
    labels = render.LABELS[lang]
    light = "● " + render.light_name(e.light, lang)
    status = render.status_name(e.status, lang)
    by_header = {
        labels["light"]: light,
        labels["light"] + labels["status"]: light + status,
        labels["indicator"]: render.indicator_name(e, lang),
        labels["actual"]: render.actual_text(e, lang),
        labels["target"]: render.target_cell(e.indicator, lang),
        labels["progress"]: render.progress_text(e),
        labels["projection"]: render.projection_text(e, lang),
        labels["change"]: render.change_text(e, lang),
        labels["status"]: status,
        labels["owners"]: render.owners_text(e, lang, owners_named) or labels["none"],
    }
    return by_header[header]


def squeezed(text: str) -> str:
    return text.replace(" ", "")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", WIDTHS)
def test_every_name_value_and_target_appears_whole(june, lang, width):
    """At 80–160 columns every cell of the bundled June reads whole: names in at most two
    lines, 指标/本期值/年度目标/完成率/状态 always shown, no line starting with 、, no 等N家
    or unit's name broken, nothing cut to an ellipsis, no line wider than the terminal."""
    plan = "嵊泗县行动方案" if lang == "zh" else "Shengsi action plan"
    output = printed(render.render_table(june, june.evaluations, lang, plan), width)
    assert max(cell_len(line) for line in output.splitlines()) <= width
    assert "…" not in output
    labels = render.LABELS[lang]
    heading = squeezed(render.title(june, plan, lang))
    table, after = columns_of(output, heading)

    headers = [squeezed(h) for h in table]
    for kept in ("indicator", "actual", "target", "progress"):
        assert squeezed(labels[kept]) in headers
    assert squeezed(labels["status"]) in headers or labels["light"] + labels["status"] in headers
    owners_named = 1 if squeezed(labels["owners_first"]) in squeezed("".join(after)) else 2
    for header, rows in table.items():
        header = next(
            h
            for h in [*labels.values(), labels["light"] + labels["status"]]
            if squeezed(h) == squeezed(header)
        )
        assert len(rows) == len(june.evaluations)
        for e, lines in zip(june.evaluations, rows, strict=True):
            want = expected(e, lang, header, owners_named)
            assert squeezed("".join(lines)) == squeezed(want), (header, lines)
            assert not any(line.startswith("、") for line in lines)
            for count in COUNT.findall(want):
                assert any(count in line for line in lines), (count, lines)
            if header == labels["indicator"]:
                assert len(lines) <= 2, lines
            if header == labels["owners"]:  # no unit's name is split
                named = [unit for unit in e.indicator.owners if unit in want]
                assert all(any(unit in line for line in lines) for unit in named), lines
    assert not any(line.lstrip().startswith("、") for line in output.splitlines())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_columns_fold_in_the_stated_order(june, lang):
    """As the terminal narrows, owners are shortened first, then 预计全年, 较上月 and 责任单位
    go, in that order, and one dim line names exactly what was folded and how to see it."""
    labels = render.LABELS[lang]
    steps = ["owners_first", "projection", "change", "owners"]
    seen = []
    for width in range(80, 241, 4):
        output = printed(render.render_table(june, june.evaluations, lang, "x"), width)
        table, after = columns_of(output, squeezed(render.title(june, "x", lang)))
        hidden = [k for k in steps[1:] if squeezed(labels[k]) not in {squeezed(h) for h in table}]
        note_text = squeezed("".join(after))
        shortened = squeezed(labels["owners_first"]) in note_text or "owners" in hidden
        taken = ["owners_first"] * shortened + hidden
        assert taken == steps[: len(taken)], (width, taken)
        notes = [line for line in after if "--wide" in line]
        if taken:
            named = [labels[k] for k in taken if not (k == "owners_first" and "owners" in hidden)]
            note = labels["folded"].format(columns=("、" if lang == "zh" else ", ").join(named))
            assert note_text.count(squeezed(note)) == 1, (width, after)
            if lang == "zh":  # one line, even at 80 columns
                assert [squeezed(line) for line in notes] == [squeezed(note)]
        else:
            assert notes == []
        seen.append(len(taken))
    assert seen == sorted(seen, reverse=True)  # wider never folds more
    assert seen[0] == len(steps) and seen[-1] == 0


def test_fold_line_is_dim(june):
    """The fold note is printed dim, so it reads as a remark, not a result."""
    output = printed(render.render_table(june, june.evaluations, "zh", "x"), 80, colour=True)
    line = next(line for line in output.splitlines() if "--wide" in line)
    assert "\x1b[2m" in line


@pytest.mark.parametrize("width", [40, 60, 79])
def test_narrower_than_80_cuts_nothing(june, width):
    """Below 80 columns names take more lines, but nothing is cut to an ellipsis or lost."""
    output = printed(render.render_table(june, june.evaluations, "zh", "x"), width)
    assert "…" not in output
    assert max(cell_len(line) for line in output.splitlines()) <= width
    joined = squeezed("".join(output.split()))
    for e in june.evaluations:
        for char in e.indicator.name:
            assert char in joined


@pytest.mark.parametrize("width", [40, 60, 79, 80])
def test_the_title_and_notes_are_whole_in_a_narrow_window(june, width):
    """The title and the lines under the table wrap at the window, also where the table
    is wider than it: no character of the plan's name or of a note is cropped."""
    plan = "嵊泗县深化走海岛县高质量发展共同富裕特色之路2025年行动方案"
    output = printed(render.render_table(june, june.evaluations, "zh", plan), width)
    joined = "".join(output.split())
    assert plan in joined
    for name in (e.indicator.name for e in june.evaluations if e.projected_to_miss):
        assert name in joined


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_at_80_columns_fits_and_wide_shows_every_column(lang):
    """gongfu check in an 80-column terminal fits it; --wide shows every column unfolded,
    each name on one line, however narrow the terminal."""
    labels = render.LABELS[lang]
    args = ["check", str(SAMPLES), "--lang", lang]
    fitted = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert fitted.exit_code == 0, fitted.output
    assert max(cell_len(line) for line in fitted.stdout.splitlines()) <= 80
    head = fitted.stdout.split("─")[0]  # the title and the headers
    assert "--wide" in fitted.stdout and labels["projection"] not in head

    wide = runner.invoke(app, [*args, "--wide"], env={"COLUMNS": "80"})
    assert wide.exit_code == 0, wide.output
    assert "--wide" not in wide.stdout
    for key in ("projection", "change", "owners", "status"):
        assert labels[key] in wide.stdout
    targets = load_targets(SAMPLES.parent / "targets.yaml")
    lines = wide.stdout.splitlines()
    for ind in targets.indicators:
        name = ind.name if lang == "zh" else ind.name_en
        assert any(name in line for line in lines), name


# ---------------------------------------------------------------------------
# line breaking


@pytest.mark.parametrize(
    "text",
    [
        "县民社局、县财政局、县卫健局、县教育局、县人社局、县医保局、县住建局等12家",
        "市生态环境局嵊泗分局、县资源规划局等4家",
        "县民社局等7家",
        "县民社局, 县财政局 and 10 others",
        "> 180 亿元",
        "> 89% 或 A等",
        "> 89% or grade A",
        "巩固提升（未设基线）",
        "maintain (no baseline set)",
        "47.8% / 50.0%",
        "172 亿元 难完成",
        "95%（已核实）",
        "建成投用“相遇·花鸟”定制客船、沈家湾交通旅游集散中心",
        "按目前进度预计全年难以完成：地区生产总值、旅游总收入、“一条鱼”全产业链产值",
    ],
)
@pytest.mark.parametrize("breaks", ["text", "phrase"])
def test_lines_break_only_where_chinese_typesetting_allows(text, breaks):
    """At every width, wrapping keeps all the text, starts no line with 、 or a closing
    mark, ends none with an opening one, and never splits 等N家 or ≥ from its number."""
    pieces = render.line_pieces(text, breaks)
    for count in COUNT.findall(text):
        assert any(count in piece for piece in pieces)
    widest = max(cell_len(piece.rstrip()) for piece in pieces)
    for width in range(1, cell_len(text) + 2):
        lines = render.wrap_text(text, width, breaks)
        assert squeezed("".join(lines)) == squeezed(text)
        if width < widest:
            continue  # a piece wider than the line is folded: kept whole, not cut
        assert max(cell_len(line) for line in lines) <= width
        for line in lines:
            assert not line.startswith(("、", "，", "）", "”", "·", "%")), lines
            assert not line.endswith(("（", "“", "≥", ">", "或", "/")), lines


# ---------------------------------------------------------------------------
# ※: the tool's readings


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_assumed_targets_are_marked_in_table_and_markdown(june, lang):
    """A target with `assumption` carries ※ in the table and in Markdown, and one footnote
    under the table says what ※ means; other targets carry none."""
    rank = next(e for e in june.evaluations if e.indicator.id == "eco_index_rank")
    assert rank.indicator.assumption
    marked = render.target_text(rank.indicator, lang) + "※"
    note = render.ASSUMPTION_NOTE[lang]
    markdown = render.render_markdown(june, june.evaluations, lang, "x")
    table = printed(render.render_table(june, june.evaluations, lang, "x"), 160)
    readings = sum(
        bool(e.indicator.assumption or e.indicator.assumption_en) for e in june.evaluations
    )
    for output in (markdown, table):
        assert output.count(note) == 1
        assert output.count("※") == readings + 1  # each such target, and the footnote
        assert marked in output
    assert f"| {marked} |" in markdown
    assert f"\n\n{note}\n\n" in markdown  # its own paragraph, not a row of the table


@pytest.mark.parametrize("assumption", [None, "“稳居前列”按前10位理解"])
def test_footnote_only_when_a_target_is_read_by_the_tool(write_yaml, write_csv, assumption):
    """Without any `assumption` there is no ※ and no footnote; with one, both."""
    extra = f"    assumption: {assumption}\n" if assumption else ""
    catalogue = load_targets(write_yaml(MINIMAL_TARGET + extra))
    month = write_csv([["gdp", "100", "亿元", ""]])
    report = evaluate_year(Path(month), catalogue).latest
    markdown = render.render_markdown(report, report.evaluations, "zh", "x")
    table = printed(render.render_table(report, report.evaluations, "zh", "x"), 80)
    for output in (markdown, table):
        assert ("※" in output) == bool(assumption)
        assert (render.ASSUMPTION_NOTE["zh"] in output) == bool(assumption)


def _rich_table(layout):
    """The same layout as rich's own Table lays it out (what the table drew through
    before it was drawn line by line): the reference the lines are held to."""
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, padding=(0, 1))
    for column, width in zip(layout.columns, layout.widths, strict=True):
        header = [line for h in column.header for line in render.wrap_text(h, width, "phrase")]
        table.add_column(
            Text("\n".join([*header, "─" * width])),
            justify=column.justify,
            width=width,
            overflow="fold",
        )
    for row in range(len(layout.columns[0].cells)):
        table.add_row(
            *(
                Text("\n".join(column.lines(row, width)), style=column.styles[row])
                for column, width in zip(layout.columns, layout.widths, strict=True)
            )
        )
    return table


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [40, 80, 100, 120, 160, 240])
def test_the_lines_are_what_richs_table_would_draw(june, lang, width):
    """Drawn line by line (a fraction of rich's cost), the table is character for
    character what rich's Table makes of the same layout, and every character has the
    same style (only the blank padding between columns may differ, invisibly)."""
    from rich.text import Text

    fitted = render.FittedTable(june, june.evaluations, lang, "x", wide=False)
    layout = fitted.layout(width)
    page = max(width, layout.width())
    ours, theirs = Text("\n").join(render._table_lines(layout)), _rich_table(layout)
    assert printed(ours, page) == printed(theirs, page)

    def styled(renderable) -> list[list[tuple[str, str]]]:
        console = Console(width=page, force_terminal=True, color_system="standard")
        lines = console.render_lines(renderable, console.options, pad=False)
        plain = {"", "none", "None"}  # rich writes "no style" in more than one way
        return [
            [
                (char, "" if str(seg.style) in plain else str(seg.style))
                for seg in line
                for char in seg.text
                if not char.isspace()
            ]
            for line in lines
        ]

    assert styled(ours) == styled(theirs)
