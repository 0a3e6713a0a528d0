"""Results as pandas DataFrames, for analysts in Jupyter and for `gongfu export`.

pandas is imported here and nowhere on the path of check, validate, brief or
--help: its import costs about as much as a whole `gongfu check`. Every column
has one type (never numbers, true/false and text mixed in one column, as the
JSON's `actual` does): a figure is in `value`, a grade (A, 优秀) in `grade`, a
milestone's done/not done in `done`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from gongfu_cli.model.results import Light, Status

if TYPE_CHECKING:
    from gongfu_cli.model.problems import Problem
    from gongfu_cli.model.results import Evaluation, Report, Year

# Ordered so that sorting puts what needs attention first: red before yellow
# before green, grey (not lit) last; statuses in the same order, by light.
LIGHT_ORDER = [Light.red, Light.yellow, Light.green, Light.grey]
STATUS_ORDER = [
    Status.off_track,
    Status.at_risk,
    Status.on_track,
    Status.met,
    Status.invalid,
    Status.suspect,
    Status.no_data,
    Status.awaiting,
    Status.pending,
    Status.not_due,
    Status.no_target,
]

# The frame's columns and their types (pandas' nullable types where a value may be missing).
COLUMNS: dict[str, Any] = {
    "period": "period[M]",
    "id": "string",
    "name": "string",
    "name_en": "string",
    "section": "string",
    "unit": "string",
    "op": "string",
    "target": "float64",
    "value": "float64",
    "grade": "string",
    "done": "boolean",
    "completion": "float64",
    "time_progress": "float64",
    "gap_points": "float64",
    "projection": "float64",
    "projected_to_miss": "boolean",
    "status": pd.CategoricalDtype([s.value for s in STATUS_ORDER], ordered=True),
    "light": pd.CategoricalDtype([light.value for light in LIGHT_ORDER], ordered=True),
    "owners": "object",
    "lead_owner": "string",
    "source_file": "string",
    "source_line": "Int64",
    "edition": "string",  # monthly, revised (已修订) or final (年报)
}


def _row(e: Evaluation) -> dict[str, Any]:
    ind, reading = e.indicator, e.reading
    return {
        "period": None if e.period is None else str(e.period),
        "id": ind.id,
        "name": ind.name,
        "name_en": ind.name_en,
        "section": ind.section,
        "unit": ind.unit,
        "op": ind.op,
        "target": ind.target_value,
        "value": e.actual,
        "grade": e.grade,
        "done": e.done,
        "completion": e.completion,
        "time_progress": e.time_progress,
        "gap_points": e.gap_points,
        "projection": e.projection,
        "projected_to_miss": e.projected_to_miss,
        "status": e.status.value,
        "light": e.light.value,
        "owners": tuple(ind.owners),
        "lead_owner": ind.owners[0] if ind.owners else None,
        "source_file": reading.file if reading else None,
        "source_line": reading.line if reading else None,
        "edition": reading.edition.value if reading else None,
    }


def evaluations_frame(evaluations: list[Evaluation]) -> pd.DataFrame:
    """One row per evaluation, in the columns and types of COLUMNS."""
    frame = pd.DataFrame([_row(e) for e in evaluations], columns=list(COLUMNS))
    # Periods go through their text ("2025-06"): pandas makes a monthly Period of it.
    frame["period"] = pd.PeriodIndex(frame["period"], freq="M")
    typed: pd.DataFrame = frame.astype({n: kind for n, kind in COLUMNS.items() if n != "period"})
    return typed


def month_frame(report: Report) -> pd.DataFrame:
    """The month under review: one row per indicator, in catalogue order."""
    return evaluations_frame(report.evaluations)


def year_frame(year: Year) -> pd.DataFrame:
    """Long form: one row per indicator × month of the year, oldest month first."""
    return evaluations_frame([e for report in year.reports for e in report.evaluations])


PROBLEM_COLUMNS: dict[str, Any] = {
    "code": "string",
    "severity": pd.CategoricalDtype(["error", "warning"], ordered=True),
    "file": "string",
    "line": "Int64",
    "column": "string",
    "indicator": "string",
    "message": "string",
    "message_en": "string",
    "fix": "string",
    "fix_en": "string",
}


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """One row per problem, errors and warnings alike (`severity` tells them apart)."""
    rows = [{name: p.to_dict()[name] for name in PROBLEM_COLUMNS} for p in problems]
    frame = pd.DataFrame(rows, columns=list(PROBLEM_COLUMNS))
    typed: pd.DataFrame = frame.astype(PROBLEM_COLUMNS)
    return typed


# ---------------------------------------------------------------------------
# The long table as a file holds it (gongfu export)


def file_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The long table as a spreadsheet or CSV cell holds it: the month as text (2025-06),
    the owners in one cell joined with 、, status and light as their codes; every other
    column keeps its type."""
    flat = frame.copy()
    flat["period"] = flat["period"].astype(str).astype("string")
    flat["owners"] = flat["owners"].map("、".join).astype("string")
    typed: pd.DataFrame = flat.astype({"status": "string", "light": "string"})
    return typed


def cells(frame: pd.DataFrame) -> list[list[Any]]:
    """The frame's rows as plain Python values, None where a value is missing."""
    rows: list[list[Any]] = frame.astype(object).where(frame.notna(), None).values.tolist()
    return rows


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The long table as CSV for Excel: UTF-8 with a BOM (so Excel on Chinese Windows
    reads it as UTF-8, not GBK), text a spreadsheet would run as a formula neutralised,
    control characters escaped, true/false as in the JSON."""
    from gongfu_cli.render.table import spreadsheet_safe

    flat = file_frame(frame)
    for name in flat.columns:
        if flat[name].dtype == "string":
            flat[name] = flat[name].map(spreadsheet_safe, na_action="ignore")
        elif flat[name].dtype == "boolean":
            flat[name] = flat[name].map({True: "true", False: "false"}, na_action="ignore")
    text: str = flat.to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8-sig")


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """The long table as Parquet, every column in its type (pyarrow; ImportError without it)."""
    import io

    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()
