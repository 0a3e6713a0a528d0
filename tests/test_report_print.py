"""gongfu report as an office prints it: plan order and numbering, what opens the page,
grey rows folded, owners shortened, 口径说明, contrast and shapes for black-and-white
print, and, in headless Chromium printing to PDF, page count, repeated table
headers, no stranded heading, page numbers and nothing cut at the edge."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import MINIMAL_TARGET, ROOT, SAMPLES
from gongfu_cli.api import load_targets
from gongfu_cli.cli.root import app
from gongfu_cli.judge.evaluate import select
from gongfu_cli.judge.scoreboard import scoreboard
from gongfu_cli.judge.year import evaluate_year
from gongfu_cli.model.results import Light, Status
from gongfu_cli.render.html import (
    COLOURS,
    CSS,
    FONTS,
    chinese_number,
    chinese_numeral,
    page_css,
    plan_order,
    report_html,
)
from gongfu_cli.render.owners import owner_name
from gongfu_cli.render.words import ASSUMPTION_MARK, owner_list

runner = CliRunner()
GENERATED = date(2025, 7, 3)
# The plan's sections that have indicators (not milestones) judged or reported in the
# bundled June, in the plan's order; 三(一)'s indicators are all annual (本期不报).
JUNE_SECTIONS = ["二", "三(二)", "三(三)", "三(四)"]
ALL_SECTIONS = ["二", "三(一)", "三(二)", "三(三)", "三(四)", "三(五)"]


def run(*args: str):
    return runner.invoke(app, list(args))


def page_for(targets, *, lang="zh", folder=SAMPLES, statuses=None, show_all=False):
    year = evaluate_year(folder, targets)
    chosen = select(year.latest.evaluations, None, statuses) if statuses else None
    return report_html(
        year,
        targets,
        lang,
        "test",
        evaluations=chosen,
        statuses=statuses,
        show_all=show_all,
        generated=GENERATED,
    )


def section_codes(page: str) -> list[str]:
    return re.findall(r'<h3 data-section="([^"]*)"', page)


def table_rows(page: str) -> list[str]:
    return re.findall(r'<tr data-light="[a-z]+" data-indicator="([a-z0-9_]+)"', page)


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


# ---------------------------------------------------------------------------
# the plan's order and numbering


@pytest.mark.parametrize(
    ("text", "number"),
    [
        *[("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("二十", 20), ("二十五", 25)],
        *[("", None), ("三十十", None), ("甲", None), ("一二", None)],
    ],
)
def test_chinese_numbers_read_and_written(text, number):
    """The plan's numerals read as numbers, and numbers written back the same way."""
    assert chinese_number(text) == number
    if number:
        assert chinese_numeral(number) == text


def test_plan_order_reads_the_codes_not_the_file():
    """二 before 三(一) before 三(一)2 before 三(三)11 before 三(十); full-width brackets too."""
    codes = ["三(三)11", "三（一）", "三(十)", "二", "三(一)2", "三(二)10", "三(二)9", "附件"]
    assert sorted(codes, key=plan_order) == [
        "二",
        "三（一）",
        "三(一)2",
        "三(二)9",
        "三(二)10",
        "三(三)11",
        "三(十)",
        "附件",
    ]


SCRAMBLED = """\
plan: 测试方案
year: 2025
sections:
  三(三): 聚力增进福祉,走好海岛民生优享特色之路
  二: 工作目标
  三(一): 聚力城乡一体,走好“一岛一功能”特色之路
indicators:
{indicators}
"""
INDICATOR = """\
  - id: {id}
    name: {name}
    name_en: {id}
    unit: "%"
    op: ">="
    target: 50
    kind: level
    frequency: monthly
    owners: [{owners}]
    section: {section}
    quote: 测试
"""


def scrambled_targets(write_yaml, extra: str = ""):
    """Indicators and section titles written out of the plan's order."""
    indicators = [
        ("welfare", "民生指标", "三(三)11", "县民社局"),
        ("town", "城乡指标", "三(一)2", ""),
        ("goal", "目标指标", "二", ""),
        ("welfare_early", "民生前项", "三(三)10", ""),
    ]
    text = "".join(INDICATOR.format(id=i, name=n, section=s, owners=o) for i, n, s, o in indicators)
    return load_targets(write_yaml(SCRAMBLED.format(indicators=text + extra)))


def test_sections_follow_the_plan_whatever_the_file_order(write_yaml, write_csv, tmp_path):
    """Sections and the rows in them come in the plan's order, numbered （一）（二）（三）."""
    targets = scrambled_targets(write_yaml)
    rows = [["welfare", "60"], ["town", "40"], ["goal", "55"], ["welfare_early", "70"]]
    write_csv([[*row, "", ""] for row in rows])
    page = page_for(targets, folder=tmp_path)
    assert section_codes(page) == ["二", "三(一)", "三(三)"]
    assert "（一）工作目标" in page and "（二）聚力城乡一体，走好“一岛一功能”特色之路" in page
    assert "（三）聚力增进福祉，走好海岛民生优享特色之路" in page
    lights = page.split('id="lights"')[1].split("</section>")[0]
    assert table_rows(lights) == ["goal", "town", "welfare_early", "welfare"]


def test_bundled_sections_in_plan_order_and_numbered_as_the_plan(targets):
    """The bundled June: one numbering for the page (一、二、…), （一） below, full-width
    punctuation, never the plan's codes as headings (三(一)、) or half-width commas."""
    page = page_for(targets)
    assert section_codes(page) == JUNE_SECTIONS
    assert section_codes(page_for(targets, show_all=True)) == ALL_SECTIONS
    top = re.findall(r"<h2>([^<]*)</h2>", page)
    numerals = [heading.split("、")[0] for heading in top if "、" in heading]
    assert numerals == [chinese_numeral(n) for n in range(1, len(numerals) + 1)]
    assert top[-1] == "附表　责任单位全称"
    subs = [text_of(h) for h in re.findall(r"<h3 [^>]*>(.*?)</h3>", page)]
    assert [s.split("）")[0] + "）" for s in subs] == ["（一）", "（二）", "（三）", "（四）"]
    for heading in [*top, *subs]:
        assert not re.search(r"[,;:()]", heading), heading
    assert "三(一)、" not in page and "(一)" not in text_of(page.split("<body>")[1])


def test_english_numbers_the_same_way(targets):
    """English: 1. 2. … for the page, (1) (2) … for the plan's sections."""
    page = page_for(targets, lang="en")
    top = re.findall(r"<h2>([^<]*)</h2>", page)
    assert [h.split(".")[0] for h in top[:3]] == ["1", "2", "3"]
    subs = [text_of(h) for h in re.findall(r"<h3 [^>]*>(.*?)</h3>", page)]
    assert [s.split(")")[0] + ")" for s in subs] == ["(1)", "(2)", "(3)", "(4)"]
    assert '<html lang="en">' in page and "As of 2025-06" in page


# ---------------------------------------------------------------------------
# what the page opens with, and what it shows


def test_opens_with_date_scope_briefing_then_lights_then_red_and_yellow(targets):
    """Date, scope and the briefing first, then the light counts, then red and yellow."""
    page = page_for(targets)
    body = page.split("<body>")[1]
    order = [
        body.index("截至2025年6月"),
        body.index('class="scope"'),
        body.index('class="brief"'),
        body.index('id="light-counts"'),
        body.index('<section id="focus"><h2>一、红灯、黄灯指标</h2>'),
        body.index('<section id="lights">'),
    ]
    assert order == sorted(order)
    assert "2025年7月3日生成" in body.split('class="scope"')[0]
    focus = body.split('id="focus"')[1].split("</section>")[0]
    lights = re.findall(r'<tr data-light="([a-z]+)"', focus)
    assert lights == sorted(lights, key=["red", "yellow"].index) and set(lights) == {
        "red",
        "yellow",
    }
    year = evaluate_year(SAMPLES, targets)
    assert len(lights) == sum(e.light in (Light.red, Light.yellow) for e in year.latest.evaluations)


def test_to_check_line_comes_first(tmp_path, targets):
    """A month with problems: the 数据待核 line is the first paragraph after the scope."""
    folder = tmp_path / "actuals"
    shutil.copytree(SAMPLES, folder)
    june = folder / "2025-06.csv"
    text = june.read_bytes().decode("utf-8-sig")
    june.write_bytes(text.replace("渔业增加值增速,5.6,", "渔业增加值增速,abc,").encode("utf-8-sig"))
    page = page_for(targets, folder=folder)
    body = page.split("</p>", 2)[2]  # after the meta and scope lines
    assert body.lstrip().startswith('<p class="to-check" id="to-check">数据待核：1项指标')


def test_grey_rows_fold_into_a_list_at_the_end(targets):
    """By default 本期不报 and 进行中 are listed near the end, not as table rows; 未报送,
    无目标值 and the lit rows stay in the tables; --all shows every row in place."""
    year = evaluate_year(SAMPLES, targets)
    evaluations = year.latest.evaluations
    folded = {e.indicator.id for e in evaluations if e.status in (Status.not_due, Status.pending)}
    assert folded  # the bundled June has some
    page = page_for(targets)
    rows = set(table_rows(page))
    assert not rows & folded
    kept = {e.indicator.id for e in evaluations} - folded
    assert kept <= rows
    listed = text_of(page.split('<section id="folded">')[1].split("</section>")[0])
    for e in evaluations:
        if e.indicator.id in folded:
            assert e.indicator.name in listed
    assert f"本期不报、进行中的{len(folded)}项暂不亮灯" in page

    everything = page_for(targets, show_all=True)
    assert set(table_rows(everything)) == {e.indicator.id for e in evaluations}
    assert 'id="folded"' not in everything


@pytest.mark.parametrize(
    ("words", "lights"),
    [
        (["red"], {"red"}),
        (["红,黄"], {"red", "yellow"}),
        (["绿"], {"green"}),
        (["灰"], {"grey"}),
        (["本期不报"], {"grey"}),
    ],
)
def test_status_chooses_the_rows_as_in_check(tmp_path, words, lights):
    """--status keeps only the rows asked for, in place (grey ones too), and says so; it
    never claims that nothing is red when it left the red rows out."""
    out = tmp_path / "r.html"
    args = ["report", str(SAMPLES), "-o", str(out)]
    for word in words:
        args += ["--status", word]
    result = run(*args)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    shown = re.findall(r'<tr data-light="([a-z]+)"', page)
    assert shown and set(shown) == lights
    assert 'id="folded"' not in page and "本报告按状态（" in page
    assert ('id="focus"' in page) == bool(lights & {"red", "yellow"})
    assert "本期无红灯、黄灯指标" not in page
    check = run(
        "check", str(SAMPLES), "--format", "json", *[w for x in words for w in ("--status", x)]
    )
    expected = {row["id"] for row in json.loads(check.stdout)["indicators"]}
    assert set(table_rows(page)) == expected


def test_status_with_an_unknown_word_is_refused(tmp_path):
    """A word --status does not know: exit 2 with the words it takes, no file written."""
    out = tmp_path / "r.html"
    result = run("report", str(SAMPLES), "-o", str(out), "--status", "紫")
    assert result.exit_code == 2 and "--status" in result.stderr and "紫" in result.stderr
    assert not out.exists()


def test_cli_prints_todays_date_in_the_margin(tmp_path):
    """The report command dates the page (in the page margin and the opening line)."""
    out = tmp_path / "r.html"
    assert run("report", str(SAMPLES), "-o", str(out), "--all").exit_code == 0
    page = out.read_text(encoding="utf-8")
    today = date.today()
    stamp = f"{today.year}年{today.month}月{today.day}日生成"
    assert f'@bottom-right {{ content: "{stamp}"' in page and page.count(stamp) == 2
    assert 'id="folded"' not in page


def test_owners_shortened_in_tables_listed_in_full_once(targets):
    """Rows name one unit and 等N家; the appendix gives each list in full, once."""
    page = page_for(targets)
    year = evaluate_year(SAMPLES, targets)
    lists = {}
    for e in year.latest.evaluations:
        if len(e.indicator.owners) > 2 and e.indicator.id in set(table_rows(page)):
            lists[tuple(e.indicator.owners)] = e
    assert lists
    appendix = page.split('<section id="appendix">')[1]
    for owners, e in lists.items():
        short = owner_list(owners, "zh", 1)
        assert short.endswith(f"等{len(owners)}家")
        row = re.search(
            rf'<tr data-light="[a-z]+" data-indicator="{e.indicator.id}">.*?</tr>', page
        )
        count = re.search(r"等\d+家$", short).group()
        cell = short.replace(count, f'<wbr><span class="count-of">{count}</span>')
        assert row is not None and f'<td class="owners">{cell}</td>' in row.group()
        assert appendix.count("、".join(owners)) == 1
    assert "县民社局等12家" in page
    grids = text_of("".join(re.findall(r'<table class="grid">.*?</table>', page, re.S)))
    assert "县民社局等12家" in grids and "县民社局、县发改局" not in grids


def test_scoreboard_is_the_owners_command(targets, tmp_path):
    """The report's scoreboard lists the units of `gongfu owners`, in its order; a unit
    with nothing lit this month is named once in a line under the table (every row
    with --all)."""
    page = page_for(targets)
    year = evaluate_year(SAMPLES, targets)
    section = page.split('<section id="owners">')[1].split("</section>")[0]
    table, after = section.split("</table>", 1)
    names = re.findall(r'<td class="name">([^<]*)</td>', table)
    scores = scoreboard(year.latest.evaluations)
    lit = [s for s in scores if s.count(Light.grey) < len(s.evaluations)]
    assert names == [owner_name(s, "zh") for s in lit]
    unlit = [owner_name(s, "zh") for s in scores if s not in lit]
    assert unlit and f"本期无亮灯事项的单位{len(unlit)}家" in after
    assert "、".join(unlit) in after
    result = run("owners", str(SAMPLES), "--format", "csv")
    assert len(result.stdout.splitlines()[1:]) == len(scores)
    every = page_for(targets, show_all=True).split('<section id="owners">')[1]
    every = every.split("</table>")[0]
    assert re.findall(r'<td class="name">([^<]*)</td>', every) == [
        owner_name(s, "zh") for s in scores
    ]


def test_assumptions_listed_and_marked(write_yaml, write_csv, tmp_path):
    """A target with `assumption` is marked ※ in the tables and explained under 口径说明;
    one without is not marked."""
    extra = INDICATOR.format(id="rank_goal", name="排名指标", section="二", owners="").replace(
        "    quote: 测试\n", "    quote: 测试\n    assumption: “全省前列”按前10位理解\n"
    )
    extra += "    assumption_en: 'front rank read as top 10'\n"
    targets = scrambled_targets(write_yaml, extra)
    folder = tmp_path
    write_csv([["rank_goal", "60", "", ""], ["goal", "40", "", ""]])
    page = page_for(targets, folder=folder)
    row = re.search(r'data-indicator="rank_goal">.*?</tr>', page).group()
    assert f'<span class="mark">{ASSUMPTION_MARK}</span>' in row
    other = re.search(r'data-indicator="goal">.*?</tr>', page).group()
    assert ASSUMPTION_MARK not in other
    notes = page.split('<section id="assumptions">')[1].split("</section>")[0]
    assert "排名指标" in notes and "“全省前列”按前10位理解" in notes and "目标指标" not in notes
    assert re.search(r"<h2>[一二三四五六七八九十]+、口径说明</h2>", page)
    english = page_for(targets, folder=folder, lang="en")
    assert "front rank read as top 10" in english and "Readings of the plan" in english


def test_bundled_assumptions_listed(targets):
    """Every bundled target with `assumption` is in 口径说明, and only those."""
    page = page_for(targets)
    notes = text_of(page.split('<section id="assumptions">')[1].split("</section>")[0])
    assumed = [i for i in targets.indicators if i.assumption]
    assert assumed
    for ind in targets.indicators:  # at a line's start: 地区生产总值 is in 人均地区生产总值
        listed = re.search(rf"(?m)^{re.escape(ind.name)}（", notes) is not None
        assert listed == bool(ind.assumption), ind.id


def test_footer_explains_the_rules(targets):
    """The footer says what 完成率, 序时进度 and the lights mean; it never points to README."""
    for lang, words in (
        ("zh", ["完成率", "序时进度", "绿灯", "黄灯", "红灯", "灰灯", "5个百分点"]),
        ("en", ["completion", "time progress", "green", "yellow", "red", "Grey", "5 points"]),
    ):
        page = page_for(targets, lang=lang)
        footer = page.split("<footer>")[1]
        for word in words:
            assert word in footer, (lang, word)
        assert "README" not in page


def test_fonts_cover_windows_macos_and_linux():
    """The font stack names a Chinese font of each system before the generic family."""
    for font in ("Microsoft YaHei", "SimSun", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi"):
        assert font in FONTS
    assert FONTS.rstrip().endswith("sans-serif")
    assert "font-family: FONTS" in CSS and FONTS in page_css("zh", None)


# ---------------------------------------------------------------------------
# black-and-white print and contrast


def relative_luminance(hex_colour: str) -> float:
    hex_colour = hex_colour.lstrip("#")
    if len(hex_colour) == 3:
        hex_colour = "".join(c * 2 for c in hex_colour)
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def lightness(hex_colour: str) -> float:
    """CIE L* (0 black … 100 white): the grey a colour prints as."""
    y = relative_luminance(hex_colour)
    return 116 * (y ** (1 / 3) if y > 0.008856 else 7.787 * y + 16 / 116) - 16


def css_rules(css: str) -> list[tuple[str, dict[str, str]]]:
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        declarations = dict(
            (name.strip(), value.strip())
            for name, _, value in (d.partition(":") for d in body.split(";"))
            if value.strip()
        )
        rules.append((selector.strip(), declarations))
    return rules


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_text_colour_in_the_css_has_contrast(lang):
    """Each rule's text colour against its background (white where it sets none), and each
    background against the body's text: at least 4.5:1 (WCAG AA)."""
    rules = css_rules(re.sub(r"/\*.*?\*/", "", page_css(lang, GENERATED), flags=re.S))
    body = next(declarations for selector, declarations in rules if selector == "body")
    default_text, default_back = body["color"], body["background"]
    checked = 0
    for selector, declarations in rules:
        text = declarations.get("color")
        back = declarations.get("background", declarations.get("background-color"))
        for colour in filter(None, (text, back)):
            assert re.fullmatch(r"#[0-9a-fA-F]{6}", colour), (selector, colour)
        if text or back:
            ratio = contrast(text or default_text, back or default_back)
            assert ratio >= 4.5, (selector, text, back, round(ratio, 2))
            checked += 1
    assert checked >= 10


def test_lights_distinct_in_grayscale():
    """Red, yellow and green print as clearly different greys (CIE L* 15 apart or more)."""
    greys = sorted(lightness(COLOURS[light]) for light in (Light.red, Light.yellow, Light.green))
    assert all(b - a >= 15 for a, b in itertools.pairwise(greys)), greys


def test_light_is_colour_word_and_shape_everywhere(targets):
    """Every light on the page (rows, counts, chart captions and points, the scoreboard's
    head) has its shape and, where it is text, its word."""
    page = page_for(targets)
    badges = re.findall(
        r'<span class="light ([a-z]+)">(<svg class="shape".*?</svg>)([^<]*)</span>', page
    )
    assert len(badges) == page.count('<span class="light ')
    words = {"green": "绿", "yellow": "黄", "red": "红", "grey": "灰"}
    shapes = {"green": "<circle", "yellow": "<path", "red": "<rect", "grey": 'fill="#fff"'}
    for light, svg, word in badges:
        assert word == words[light] and shapes[light] in svg
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", page)
    assert captions and all(c.startswith('<span class="light ') for c in captions)
    counts = re.findall(r'<span class="count ([a-z]+)">(.*?)</span>', page)
    assert [light for light, _ in counts] == ["total", "green", "yellow", "red", "grey"]
    counts = counts[1:]
    assert all('<svg class="shape"' in html for _, html in counts)
    for light, shape in shapes.items():
        for point in re.findall(rf'<g class="point {light}">(.*?)</g>', page):
            assert shape in point


# ---------------------------------------------------------------------------
# printed by Chromium


def _browser_or_skip():
    """Playwright, a Chromium and a Chinese font; a skip locally when missing, a failure
    when GONGFU_REQUIRE_BROWSER=1 (CI)."""
    required = os.environ.get("GONGFU_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright

        from browser import chromium_path, has_cjk_font
    except ImportError:
        if required:
            raise
        pytest.skip("playwright is not installed (pip install '.[test]')")
    missing = (
        "no Chromium (apt-get install chromium)"
        if chromium_path() is None
        else None
        if has_cjk_font()
        else "no Chinese font (apt-get install fonts-noto-cjk)"
    )
    if missing:
        if required:
            pytest.fail(f"GONGFU_REQUIRE_BROWSER=1 but {missing}")
        pytest.skip(missing)
    return sync_playwright


# A4 less the page's side margins (12 mm each), in CSS pixels.
PRINT_WIDTH = round((210 - 24) / 25.4 * 96)


class Printed:
    """A page written to disk, opened in Chromium, measured as printed, and its PDF."""

    def __init__(self, browser, html: str, path: Path):
        from browser import pdf_pages, print_pdf

        path.write_text(html, encoding="utf-8")
        self.problems: list[str] = []
        self.requests: list[str] = []
        page = browser.new_page(viewport={"width": PRINT_WIDTH, "height": 1000})
        page.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: self.problems.append(str(error)))
        page.on("request", lambda request: self.requests.append(request.url))
        page.goto(path.resolve().as_uri())
        page.wait_for_load_state("load")
        page.emulate_media(media="print")
        self.url = path.resolve().as_uri()
        self.measure = page.evaluate(MEASURE)
        self.pdf = print_pdf(page)
        self.pages = pdf_pages(self.pdf)
        page.close()


MEASURE = """() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const lum = ({r, g, b}) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c && c.a > 0) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const lines = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = [];
    for (const box of range.getClientRects()) {
      if (box.width > 0 && !tops.some((t) => Math.abs(t - box.top) < 4)) tops.push(box.top);
    }
    return tops.length;
  };
  const lowContrast = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    const style = getComputedStyle(el);
    const fg = parse(el.closest('svg') ? style.fill : style.color);
    const bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    if (ratio < 4.5) lowContrast.push([el.tagName, node.textContent.slice(0, 20), ratio]);
  }
  const spills = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const box = el.getBoundingClientRect();
    return el.scrollWidth > el.clientWidth + 1
      || [...range.getClientRects()].some((b) => b.right > box.right + 1 || b.left < box.left - 1);
  };
  const overflowing = [...document.querySelectorAll('td, th, figure, p, li, h1, h2, h3')]
    .filter(spills)
    .map((el) => el.textContent.slice(0, 30));
  const oneLine = (selector) => [...document.querySelectorAll(selector)]
    .filter((el) => el.textContent.trim() && lines(el) > 1)
    .map((el) => el.textContent);
  return {
    lowContrast,
    overflowing,
    pageWidth: document.documentElement.scrollWidth,
    wrappedHeads: oneLine('table.grid th'),
    wrappedFigures: oneLine(
      'td.actual, td.progress_head, td.time_head, td.change, td.light, td.status'),
    splitCounts: [...document.querySelectorAll('.count-of')]
      .filter((el) => el.getClientRects().length > 1).map((el) => el.textContent),
    numbersAlign: [...document.querySelectorAll('td.num, th.num')]
      .every((el) => getComputedStyle(el).textAlign === 'right'),
    sections: [...document.querySelectorAll('h3[data-section]')].map((h) => h.dataset.section),
    headings: [...document.querySelectorAll('h1, h2, h3')]
      .map((h) => h.textContent.replace(/\\s/g, '')),
    tableHeads: [...document.querySelectorAll('table')]
      .map((t) => t.tHead ? t.tHead.textContent.replace(/\\s/g, '') : ''),
  };
}"""


@pytest.fixture(scope="module")
def printed(tmp_path_factory, targets):
    """The bundled June printed to PDF: as it comes, with --all, and in English."""
    sync_playwright = _browser_or_skip()
    from browser import launch

    folder = tmp_path_factory.mktemp("printed")
    pages = {
        "zh": page_for(targets),
        "all": page_for(targets, show_all=True),
        "en": page_for(targets, lang="en"),
    }
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield {
                name: Printed(browser, html, folder / f"{name}.html")
                for name, html in pages.items()
            }
        finally:
            browser.close()


VARIANTS = ["zh", "all", "en"]


@pytest.mark.browser
@pytest.mark.parametrize("variant", VARIANTS)
def test_prints_without_errors_or_requests(printed, variant):
    """Chromium opens and prints the page offline: no console error, no request but the file."""
    done = printed[variant]
    assert done.problems == []
    assert done.requests == [done.url]
    assert done.pdf.startswith(b"%PDF")


@pytest.mark.browser
def test_bundled_june_fits_six_a4_pages(printed):
    """Grey rows folded, the bundled June prints on at most 6 A4 portrait pages."""
    pages = printed["zh"].pages
    assert len(pages) <= 6
    for page in pages:
        assert (round(page.width), round(page.height)) == (595, 842)  # A4 portrait, points


@pytest.mark.browser
@pytest.mark.parametrize("variant", VARIANTS)
def test_sections_print_in_plan_order(printed, variant):
    """The plan's sections print in the plan's order, and their headings print in it too."""
    done = printed[variant]
    assert done.measure["sections"] == (ALL_SECTIONS if variant == "all" else JUNE_SECTIONS)
    printed_h3 = [
        "".join(run.text for run in page.content if "H3" in run.roles).replace(" ", "")
        for page in done.pages
    ]
    text = "".join(printed_h3)
    positions = [text.find(heading) for heading in done.measure["headings"] if heading in text]
    assert len(positions) == len(done.measure["sections"])
    assert positions == sorted(positions)


@pytest.mark.browser
@pytest.mark.parametrize("variant", VARIANTS)
def test_continued_tables_start_with_their_header(printed, variant):
    """Every page that continues a table starts with that table's header row."""
    done = printed[variant]
    heads = {head for head in done.measure["tableHeads"] if head}
    continued = 0
    for number, page in enumerate(done.pages[1:], 2):
        cells = [run for run in page.content if run.within("TD", "TH")]
        if not cells or "TD" not in cells[0].roles:
            continue  # the page does not open inside a table
        continued += 1
        # the repeated header is printed untagged, above the first cell (a header that
        # wraps prints its cells' lines interleaved, so its letters are compared)
        above = "".join(r.text for r in page.runs if r.y < cells[0].y - 1 and not r.roles)
        assert sorted(above.replace(" ", "")) in [sorted(head) for head in heads], (number, above)
    assert continued >= 1  # the bundled June has tables that run over a page


@pytest.mark.browser
@pytest.mark.parametrize("variant", VARIANTS)
def test_no_heading_ends_a_page(printed, variant):
    """The last thing printed on a page is never a heading."""
    for number, page in enumerate(printed[variant].pages, 1):
        last = page.content[-1]
        assert not last.within("H1", "H2", "H3"), (number, page.lines(page.content)[-1])


@pytest.mark.browser
@pytest.mark.parametrize(
    ("variant", "number", "stamp"),
    [
        ("zh", "第{page}页 共{pages}页", "2025年7月3日生成"),
        ("en", "Page {page} of {pages}", "generated 2025-07-03"),
    ],
)
def test_pages_numbered_and_dated(printed, variant, number, stamp):
    """Each page's margin reads 第N页 共M页 and the date the report was made."""
    pages = printed[variant].pages
    for page_number, page in enumerate(pages, 1):
        margin = "".join(run.text for run in page.margin)
        expected = number.format(page=page_number, pages=len(pages))
        assert expected.replace(" ", "") in margin.replace(" ", ""), (page_number, margin)
        assert stamp.replace(" ", "") in margin.replace(" ", "")


@pytest.mark.browser
@pytest.mark.parametrize("variant", VARIANTS)
def test_text_has_contrast_as_printed(printed, variant):
    """Every text on the page, against what is behind it, has contrast of 4.5:1 or more."""
    assert printed[variant].measure["lowContrast"] == []


@pytest.mark.browser
@pytest.mark.parametrize("variant", VARIANTS)
def test_nothing_cut_at_the_edge(printed, variant):
    """At the printed width nothing is wider than the page or spills out of its cell, and
    no text is printed outside the page."""
    done = printed[variant]
    assert done.measure["pageWidth"] <= PRINT_WIDTH
    assert done.measure["overflowing"] == []
    for page in done.pages:
        assert all(0 <= run.x < page.width and 0 <= run.y < page.height for run in page.runs)


@pytest.mark.browser
def test_one_grid_headers_and_figures_on_one_line(printed):
    """The Chinese tables' headers (本期值, 较上月 …) and the figures, lights and statuses of the
    bundled June each keep to one line (预计全年 may put 难完成 on a second); 等N家 is never
    split; numbers are right-aligned."""
    measure = printed["zh"].measure
    assert measure["wrappedHeads"] == []
    assert measure["wrappedFigures"] == []
    assert measure["splitCounts"] == []  # 等12家 is never split over two lines
    assert measure["numbersAlign"]


def test_readme_says_what_to_install_for_chinese():
    """The README tells where Chinese shows as boxes what to install."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "fonts-noto-cjk" in readme and "Microsoft YaHei" in readme


def test_minimal_targets_report_has_no_empty_parts(write_yaml, write_csv, tmp_path):
    """A targets file with one indicator: no milestones, charts, folded list or appendix
    parts, and the numbering still runs 一、二、三 without gaps."""
    targets_file = write_yaml(MINIMAL_TARGET)
    write_csv([["gdp", "86", "亿元", ""]])
    out = tmp_path / "r.html"
    result = run("report", str(tmp_path), "--targets", str(targets_file), "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    top = re.findall(r"<h2>([^<]*)</h2>", page)
    assert [h.split("、")[0] for h in top] == [chinese_numeral(n) for n in range(1, len(top) + 1)]
    assert 'id="milestones"' not in page and 'id="appendix"' not in page
