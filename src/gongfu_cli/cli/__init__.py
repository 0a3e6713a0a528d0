"""The command line: parse options, call the API (gongfu_cli.api), render, choose the exit code.

root.py holds the app, the options every command shares and the exit-code
policy; each command group registers its commands on that app when imported
here: review.py (check, brief, trend, report, owners), export.py (export),
data.py (validate, submissions, template, profile), catalogue.py (targets, schema,
codes).
"""

from gongfu_cli.cli import catalogue, data, export, review  # noqa: F401  (registers the commands)
from gongfu_cli.cli.root import app, main

__all__ = ["app", "main"]

# The order `gongfu --help` lists the commands in: the month's review first, as the
# README tells it, then the data gate and the catalogue; not the order of the imports.
COMMAND_ORDER = (
    "check",
    "brief",
    "trend",
    "report",
    "owners",
    "export",
    "submissions",
    "validate",
    "template",
    "profile",
    "targets",
    "schema",
    "codes",
)
# (a command missing from the list fails here, at import, so no test run misses it)
app.registered_commands.sort(
    key=lambda command: COMMAND_ORDER.index(
        command.name or getattr(command.callback, "__name__", "")
    )
)
