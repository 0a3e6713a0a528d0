"""Headless Chromium for the report tests and the screenshot script (dev/screenshot.py).

Uses Playwright's Python client with the system's Chromium (Debian's `chromium`
package; `.ci/run` installs it when missing), not a browser Playwright downloads.
"""

from __future__ import annotations

import os
import shutil

# The machine's network is closed: without these, Chromium keeps trying to
# reach Google's services in the background and logs failures.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """$GONGFU_CHROMIUM, else chromium / chromium-browser / google-chrome on PATH."""
    explicit = os.environ.get("GONGFU_CHROMIUM")
    if explicit:
        return explicit
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def launch(playwright):
    path = chromium_path()
    if path is None:
        raise RuntimeError("no Chromium found: apt-get install chromium, or set GONGFU_CHROMIUM")
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
