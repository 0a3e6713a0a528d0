"""Render the report for the sample year and take pictures of it, to look at by eye.

    python dev/screenshot.py [OUT_DIR]      (default: build/screenshots)

Writes report.html, report.png (the whole page, 900 px wide) and report.pdf
(A4, as a leader would print it). Needs the test extra (playwright) and a
Chromium (apt-get install chromium); for Chinese text, a CJK font
(apt-get install fonts-noto-cjk or fonts-wqy-microhei), or the page shows boxes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402

from browser import launch  # noqa: E402  (tests/ is put on the path just above)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "build" / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    page_file = out / "report.html"
    subprocess.run(
        ["gongfu", "report", str(ROOT / "data" / "actuals"), "-o", str(page_file), "--force"],
        check=True,
    )
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 900, "height": 1200})
        page.goto(page_file.resolve().as_uri())
        page.screenshot(path=str(out / "report.png"), full_page=True)
        page.pdf(path=str(out / "report.pdf"), format="A4", print_background=True)
        browser.close()
    print(f"wrote {page_file}, report.png and report.pdf in {out}")


if __name__ == "__main__":
    main()
