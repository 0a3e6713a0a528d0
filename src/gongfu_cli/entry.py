"""The `gongfu` command's entry point, kept free of imports.

Importing the command line (typer, click, rich) takes a tenth of a second; a
Ctrl-C in that time would otherwise end in a Python traceback before cli.main
can catch it. Here it ends like any other interrupt: one line, exit 130.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from gongfu_cli.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("\ngongfu: 已中断 / interrupted\n")
        sys.exit(130)
    run()
