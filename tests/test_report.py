"""gongfu report: a self-contained HTML page, checked as text and in a real browser."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from typer.testing import CliRunner

from conftest import SAMPLES
from gongfu_cli.cli.root import app
from gongfu_cli.judge.year import evaluate_year
from gongfu_cli.render.html import report_html

runner = CliRunner()
HOSTILE_NOTE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def year_with_hostile_note(tmp_path):
    """The sample year, with June's tourism row carrying a note that is HTML."""
    folder = tmp_path / "actuals"
    shutil.copytree(SAMPLES, folder)
    june = folder / "2025-06.csv"
    text = june.read_bytes().decode("utf-8-sig")
    text = text.replace("按统计局口径", '"' + HOSTILE_NOTE.replace('"', '""') + '"')
    june.write_bytes(text.encode("utf-8-sig"))
    return folder


def paced_with_figures(year) -> list[str]:
    return [
        months[0].indicator.id
        for months in year.series().values()
        if months[0].indicator.paced and any(e.completion is not None for e in months)
    ]


def test_report_is_self_contained(tmp_path, targets):
    """No script, no stylesheet link, no remote address: it opens offline as it prints."""
    out = tmp_path / "report.html"
    result = run("report", str(SAMPLES), "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "<link" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<style>" in page and page.count('<svg class="chart"') == len(
        paced_with_figures(evaluate_year(SAMPLES, targets))
    )
    assert re.search(r"@page \{\s*size: A4 portrait;", page)


def test_report_has_every_part(targets):
    """Header with plan, period and light counts; red and yellow; the table by the plan's
    sections (numbered （一） with the plan's headings); owners; milestones."""
    year = evaluate_year(SAMPLES, targets)
    page = report_html(year, targets, "zh", "test", show_all=True)
    lights = year.latest.lights()
    assert targets.plan in page and "截至2025年6月" in page
    assert f"红灯 {lights['red']}项" in page
    assert "一、红灯、黄灯指标" in page and "二、指标亮灯一览" in page
    headings = re.findall(r'<h3 data-section="[^"]*">（[一二三四五六七八九十]+）([^<]*) <', page)
    for code, title in targets.sections.items():
        if any(
            i.section.startswith(code) and i.kind.value != "milestone" for i in targets.indicators
        ):
            assert title.replace(",", "，") in headings
    assert re.search(r"<h2>[一二三四五六七八九十]+、责任单位赛马晾晒</h2>", page)
    assert "县农业农村局" in page
    assert re.search(r"<h2>[一二三四五六七八九十]+、重点任务（里程碑）</h2>", page)
    assert "编制完成2025年国有建设用地供应计划" in page


def test_text_from_data_files_is_escaped(year_with_hostile_note, tmp_path):
    """A note holding HTML is shown as text, never run or parsed."""
    out = tmp_path / "r.html"
    assert run("report", str(year_with_hostile_note), "-o", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "<script>window.pwned" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in page


def test_report_never_overwrites_without_force(tmp_path):
    out = tmp_path / "report.html"
    out.write_text("keep me", encoding="utf-8")
    refused = run("report", str(SAMPLES), "-o", str(out))
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    assert run("report", str(SAMPLES), "-o", str(out), "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary left behind


def test_report_file_is_readable_by_others(tmp_path):
    """Written atomically, yet with the usual permissions, so it can be shared."""
    out = tmp_path / "report.html"
    old = os.umask(0o022)
    try:
        assert run("report", str(SAMPLES), "-o", str(out)).exit_code == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644


def test_english_report(targets):
    page = report_html(evaluate_year(SAMPLES, targets), targets, "en", "test")
    assert '<html lang="en">' in page and "1. Red and yellow" in page and "As of 2025-06" in page


# ---------------------------------------------------------------------------
# in a real browser


def _browser_or_skip():
    """Playwright and a Chromium; a skip locally when missing, a failure in CI."""
    required = os.environ.get("GONGFU_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright

        from browser import chromium_path
    except ImportError:
        if required:
            raise
        pytest.skip("playwright is not installed (pip install '.[test]')")
    if chromium_path() is None:
        if required:
            pytest.fail("GONGFU_REQUIRE_BROWSER=1 but no Chromium is installed")
        pytest.skip("no Chromium (apt-get install chromium)")
    return sync_playwright


@pytest.mark.browser
def test_report_loads_in_chromium_without_errors(year_with_hostile_note, tmp_path, targets):
    """Headless Chromium opens the page offline: no error, no request, charts drawn, note inert."""
    sync_playwright = _browser_or_skip()
    from browser import launch

    out = tmp_path / "report.html"
    assert run("report", str(year_with_hostile_note), "-o", str(out)).exit_code == 0
    expected_charts = paced_with_figures(evaluate_year(year_with_hostile_note, targets))

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 900, "height": 1200})
        problems: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(out.resolve().as_uri())
        page.wait_for_load_state("load")

        assert problems == []
        assert requests == [out.resolve().as_uri()]  # nothing fetched beyond the file itself
        charts = page.locator("svg.chart")
        assert charts.count() == len(expected_charts)
        assert [charts.nth(i).get_attribute("data-indicator") for i in range(charts.count())] == (
            expected_charts
        )
        for i in range(charts.count()):
            chart = charts.nth(i)
            box = chart.bounding_box()
            assert box is not None and box["width"] > 200 and box["height"] > 80
            assert chart.locator("polyline.completion").count() == 1
            assert chart.locator("polyline.time-progress").count() == 1
            assert chart.locator("line.target").count() == 1
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert HOSTILE_NOTE in page.inner_text("body")  # shown as text
        assert page.locator('tr[data-light="red"]').count() >= 1
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
        browser.close()
