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
