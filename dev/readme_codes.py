"""Rewrite the README's table of problem codes from the catalogue (problems.py).

    python dev/readme_codes.py

The table is `gongfu codes` output; tests/test_validate.py fails when the two
differ, and this puts them back in step after a code is added or reworded.
"""

from __future__ import annotations

from pathlib import Path

from gongfu_cli.model.problems import codes_markdown

README = Path(__file__).resolve().parents[1] / "README.md"
HEADER = "| 代码 | 级别 | 含义 | 处理办法 |\n"

lines = README.read_text(encoding="utf-8").splitlines(keepends=True)
start = lines.index(HEADER)
end = start
while end < len(lines) and lines[end].startswith("|"):
    end += 1
lines[start:end] = [codes_markdown("zh")]
README.write_text("".join(lines), encoding="utf-8")
