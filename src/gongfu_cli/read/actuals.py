"""Stage 2 of the pipeline: read one monthly actuals file into Readings and Problems.

The contract (README "The data file"): a header row with indicator and value
columns (English or Chinese names), one row per indicator, the period taken from
the file name (YYYY-MM.csv / YYYY-MM.xlsx) unless ``--period`` overrides it.
The table itself (encoding, header, rows) comes from `tables`; this stage turns
its cells into figures in the target's unit.

Reading is a single pass over the rows. Cell parsing is memoised per distinct
cell text, so a file of 100,000 near-identical rows costs little more than the
distinct values it holds. pandas is deliberately not used here: importing it
alone takes longer than a whole `gongfu check` run (measured in bench/).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import threading
from collections import OrderedDict
from dataclasses import fields, replace
from decimal import Context, Decimal, InvalidOperation
from difflib import get_close_matches
from functools import cached_property, lru_cache
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import GongfuError, Problem, number
from gongfu_cli.model.readings import Actuals, Reading
from gongfu_cli.model.targets import MAX_FIGURE as TARGET_CAP
from gongfu_cli.model.targets import (
    PACED_KINDS,
    WHOLE_NUMBER_KINDS,
    Indicator,
    Kind,
    Targets,
    normalise,
)
from gongfu_cli.model.text import shorten
from gongfu_cli.read.columns import COLUMN_LABEL, FIGURE_COLUMNS, MAX_CELL
from gongfu_cli.read.files import no_period_params, period_from_name, period_in_cell
from gongfu_cli.read.tables import map_header, read_raw
from gongfu_cli.read.units import unit_factor

# Kinds judged on the year to date (累计): totals and year-to-date growth.
YEAR_TO_DATE_KINDS = (Kind.cumulative, Kind.count, Kind.growth)

# ---------------------------------------------------------------------------
# Cell vocabulary

NOT_REPORTED = frozenset({"", "-", "--", "—", "——", "/", "暂无", "n/a", "na", "null"})
DONE = frozenset({"已完成", "完成", "是", "done", "yes", "true", "1", "y", "√", "✓"})
NOT_DONE = frozenset(
    {"未完成", "推进中", "进行中", "未启动", "否", "no", "false", "0", "n", "×", "✗"}
)
# After _number_text: digits, an optional thousands separator, decimals, an
# exponent of at most four digits (1e9999 is read, then refused as out of range)
# and a trailing %.
# [0-9], not \d: \d (and Decimal) also take Arabic-Indic and other scripts' digits.
_NUMBER = re.compile(
    r"^[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+|(?=\.[0-9]))(?:\.[0-9]+)?(?:e[+-]?[0-9]{1,4})?(%?)$"
)

# Only the full-width forms Chinese input methods type (１２３，．％－) become
# ASCII, plus the minus sign Word and WPS autocorrect to (U+2212). NFKC, used
# for names, would also turn 10² into 102, ₀₁₂ into 012 and ① into 1:
# inventing figures, so a figure is never put through it.
_FIGURE_FORMS = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {
    0x3000: 0x20,  # ideographic space
    0x2212: 0x2D,  # − minus sign
}

# The same cap as on targets (targets.MAX_FIGURE), in exact decimal.
MAX_FIGURE = Decimal(TARGET_CAP)

# Indicator names and units come again in every row of their kind, in every file:
# each distinct cell (cut to MAX_CELL first) is normalised once.
_normalised = lru_cache(maxsize=4096)(normalise)

# ---------------------------------------------------------------------------
# Results

# One cell parsed: the Reading's fields, and at most one problem (code, params, column).
ParsedCell = tuple[dict[str, Any], tuple[str, dict[str, Any], str | None] | None]


# ---------------------------------------------------------------------------
# Rows → Readings


def read_actuals(path: Path, targets: Targets, period: Period | None = None) -> Actuals:
    """Read one monthly file against the catalogue.

    Raises GongfuError when the file cannot be read as a table at all (missing,
    empty, undecodable, no indicator/value columns, no period); every row-level
    problem is collected in Actuals.problems instead, and the row's indicator is
    marked invalid rather than dropped.

    A file read moments ago with the same bytes, name, period and catalogue is
    not parsed again (RECENT): a script that runs gf.validate(folder) and then
    gf.review(folder) reads each file once. The answer is the same either way.
    """
    return RECENT.read(path, targets, period)


class RecentFiles:
    """The last files read, each with the digest of the bytes it was read from.

    Reading is a function of a file's bytes, its name, the period and the
    catalogue, so a regular file whose bytes have not changed reads the same again: its
    copy is handed out instead (callers mark readings invalid or doubtful and add
    problems, so each gets its own). A small regular file is read into memory once,
    hashed, and parsed from those very bytes, so what is kept is what those bytes
    say even if the file changes meanwhile. Only small files are kept, and only the
    last KEEP: monthly files are a few kilobytes, and a year of a county's files,
    with its revisions, fits.
    """

    KEEP = 64
    LARGEST = 4 << 20  # bytes; a larger file is read every time

    def __init__(self) -> None:
        self._kept: OrderedDict[tuple[str, Period | None], tuple[bytes, Targets, Actuals]]
        self._kept = OrderedDict()
        self._lock = threading.Lock()

    def read(self, path: Path, targets: Targets, period: Period | None) -> Actuals:
        key, content = (str(path), period), self._content(path)
        digest = None if content is None else hashlib.blake2b(content, digest_size=16).digest()
        with self._lock:
            kept = self._kept.get(key)
            # the same catalogue: the very object, or one equal to it field by field
            # (each gf.load_targets() gives its own copy)
            if kept is not None and kept[0] == digest and _same(kept[1], targets):
                self._kept.move_to_end(key)
                return _copied(kept[2])
        actuals = _read_file(path, targets, period, content)
        if digest is not None:
            with self._lock:
                self._kept[key] = (digest, targets, _copied(actuals))
                self._kept.move_to_end(key)
                while len(self._kept) > self.KEEP:
                    self._kept.popitem(last=False)
        return actuals

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def _content(self, path: Path) -> bytes | None:
        """The bytes of a small regular file; None for anything else, left to _read_file."""
        try:
            found = os.stat(path)
            # only a regular file reads the same twice: a pipe (mkfifo) or a device is
            # read once, by _read_file, and never kept
            if not stat.S_ISREG(found.st_mode) or found.st_size > self.LARGEST:
                return None
            with open(path, "rb") as source:
                content = source.read()
        except OSError:
            return None  # _read_file says why
        return content if len(content) <= self.LARGEST else None  # it grew meanwhile


def _same(kept: Targets, targets: Targets) -> bool:
    return kept is targets or kept == targets


def _copied(actuals: Actuals) -> Actuals:
    """A copy whose readings and lists can be changed without touching the original."""
    return replace(
        actuals,
        readings={ind_id: _copied_reading(r) for ind_id, r in actuals.readings.items()},
        problems=list(actuals.problems),
        files=list(actuals.files),
    )


def _copied_reading(reading: Reading) -> Reading:
    # copy.copy goes through __reduce_ex__, several times slower
    return Reading(*_READING_FIELDS(reading))


_READING_FIELDS = attrgetter(*(f.name for f in fields(Reading)))


RECENT = RecentFiles()


def _read_file(
    path: Path, targets: Targets, period: Period | None, content: bytes | None = None
) -> Actuals:
    """The file read afresh, from `content` when its bytes have been read already."""
    file = str(path)
    period = period or period_from_name(path)
    if period is None:
        params = no_period_params(path, targets.year)
        raise GongfuError([Problem("no-period", file=file, params=params)])
    raw = read_raw(path, content)
    actuals = Actuals(file=file, period=period, encoding=raw.encoding, files=[file])
    problems = actuals.problems
    if period.year != targets.year:
        problems.append(
            Problem(
                "period-mismatch",
                file=file,
                params={
                    "detail_zh": f"报告期 {period} 与目标文件年度 {targets.year} 不一致",
                    "detail_en": f"Period {period} is not in the targets' year {targets.year}",
                },
            )
        )

    columns = map_header(raw, file, problems)
    parser = _RowParser(targets, file, problems, columns)
    cells_of = _Cells(columns)
    untitled = _UntitledCells(raw.header, file, problems)
    row_senders: set[str] = set()
    for line, row in raw.rows:
        if not "".join(row).strip():
            continue  # blank lines are layout, not data
        actuals.rows += 1
        if untitled.check(row, line):
            continue  # nothing but cells under no title: reported by check, nothing to read
        cells = cells_of(row)
        indicator_text = cells.indicator
        if not indicator_text.strip() and any(p.line == line for p in raw.problems):
            continue  # the name cell itself is reported (a formula saved without its result)
        ind = parser.indicator(indicator_text, line)
        if ind is None:
            continue
        first = actuals.readings.get(ind.id)
        if first is not None:
            parser.report(
                Problem(
                    "duplicate-indicator",
                    file=file,
                    line=line,
                    column=COLUMN_LABEL["indicator"],
                    indicator=ind.id,
                    params={"indicator": targets.label(ind.id), "first_line": first.line},
                )
            )
            first.valid = False  # which of the two is right is the submitter's call
            continue
        reading = parser.figure(ind, line, cells)
        reading.note = cells.note.strip()
        reading.file = file
        reading.sender = _sender(cells.sender)
        if reading.sender:
            row_senders.add(reading.sender)
        actuals.readings[ind.id] = reading
        period_text = cells.period
        if period_text.strip():
            parser.check_period(period_text, period, ind, line)
    # Problems the table found below the row level (an Excel cell's format, a
    # formula without a value): a row with such an error is doubtful, so it is
    # read as invalid (数据有误), never judged on the doubtful figure.
    # A row sent under a misspelled name (旅游总收人) is not 未报送: when the file has
    # no row of the indicator it most likely means, that indicator is invalid.
    for ind_id, line, text in parser.likely_rows:
        if ind_id not in actuals.readings:
            actuals.readings[ind_id] = Reading(
                indicator=ind_id,
                line=line,
                raw=shorten(text),
                valid=False,
                file=file,
                misnamed=True,
            )
    # The block's 填报单位 (read with the rows: it may stand under them), else the
    # 填报单位 column when every row names the same unit.
    actuals.sender = raw.sender or (row_senders.pop() if len(row_senders) == 1 else None)
    for reading in actuals.readings.values():
        reading.sender = reading.sender or actuals.sender
    unlisted = parser.unlisted_problem()
    if unlisted is not None:
        problems.append(unlisted)
    problems.extend(raw.problems)
    doubtful = {p.line for p in raw.problems if p.severity == "error"}
    for reading in actuals.readings.values():
        if reading.line in doubtful:
            reading.valid = False
    return actuals


class _UntitledCells:
    """Cells in a column with no title (beyond the header, or under a blank title) are
    not read: the first filled one of each such column is reported, never dropped
    silently."""

    def __init__(self, header: list[str], file: str, problems: list[Problem]):
        self.width = len(header)
        self.blank = [i for i, title in enumerate(header) if not title.strip()]
        self.file, self.problems = file, problems
        self.reported: set[int] = set()

    def check(self, row: list[str], line: int) -> bool:
        """Report the row's first cells in untitled columns; True if they are all it has."""
        if len(row) <= self.width and not self.blank:
            return False
        untitled = [
            i
            for i in [*self.blank, *range(self.width, len(row))]
            if i < len(row) and row[i].strip()
        ]
        for index in untitled:
            if index not in self.reported:
                self.reported.add(index)
                title = f"第{index + 1}列（无表头）"
                self.problems.append(
                    Problem(
                        "extra-column",
                        file=self.file,
                        line=line,
                        column=title,
                        params={"column": title},
                    )
                )
        filled = sum(1 for cell in row if cell.strip())
        return bool(untitled) and filled == len(untitled)


class RowCells(NamedTuple):
    """A row's cells under the columns gongfu reads (read/columns.COLUMN_ALIASES)."""

    indicator: str
    value: str
    ytd: str
    month: str
    unit: str
    note: str
    sender: str
    period: str


class _Cells:
    """A row's RowCells, "" for a column the file lacks or a short row leaves out:
    picked in one step, as every row asks for all of them."""

    def __init__(self, columns: dict[str, int]):
        # the columns the file lacks point at -1: the "" put after a whole row
        self._indices = [columns.get(name, -1) for name in RowCells._fields]
        self._pick = itemgetter(*self._indices)
        self._width = max(self._indices) + 1

    def __call__(self, row: list[str]) -> RowCells:
        if len(row) >= self._width:  # nearly every row: one step
            return RowCells._make(self._pick([*row, ""]))
        # a short row, perhaps under a header reaching far to the right: cell by cell,
        # so that the cost follows the row's length, never the header's
        return RowCells._make(row[i] if 0 <= i < len(row) else "" for i in self._indices)


def _sender(text: str) -> str | None:
    """A 填报单位 cell as a sender: trimmed, made safe, at most 40 characters."""
    if not text:
        return None  # the usual case: no 填报单位 column
    return shorten(text[:MAX_CELL]) or None


# A file this wrong is refused quickly, in time and memory linear in its size:
# after this many row problems the rest are counted, not listed, and one
# too-many-problems error says how many there were and on which lines.
MAX_ROW_PROBLEMS = 1000
# Distinct cell texts remembered per file; past it, cells are parsed afresh.
_CACHE_LIMIT = 10_000


class _RowParser:
    """Parses cells, remembering each distinct cell so repeated values cost nothing."""

    def __init__(
        self, targets: Targets, file: str, problems: list[Problem], columns: dict[str, int]
    ):
        self.targets = targets
        self.file = file
        self.problems = problems
        self.listed = 0
        self.unlisted = 0
        # rows whose name is a likely misspelling: (indicator id, line, text as sent)
        self.likely_rows: list[tuple[str, int, str]] = []
        self.unlisted_lines = (0, 0)  # the first and the last
        self._indicators: dict[str, Indicator | dict[str, str]] = {}
        self._values: dict[tuple[str, str, str, str], ParsedCell] = {}
        # The figure columns, in the order each kind looks at them (see figure)
        present = [c for c in FIGURE_COLUMNS if c in columns]
        self._level_columns = sorted(present, key=("value", "ytd", "month").index)
        self._rate_columns = sorted(present, key=("ytd", "value", "month").index)
        self._month_column = "value" if "ytd" in columns and "value" in columns else "month"
        self._month_given = self._month_column in columns
        self._ytd_column = "ytd" if "ytd" in columns else "value" if "value" in columns else None

    @property
    def full(self) -> bool:
        return self.listed >= MAX_ROW_PROBLEMS

    def report(self, problem: Problem) -> None:
        """List a row problem, or past MAX_ROW_PROBLEMS count it and its line."""
        if not self.full:
            self.listed += 1
            self.problems.append(problem)
            return
        self.count_unlisted(problem.line or 0)

    def count_unlisted(self, line: int) -> None:
        """A row problem past MAX_ROW_PROBLEMS: counted, with its line, not listed."""
        self.unlisted += 1
        self.unlisted_lines = (self.unlisted_lines[0] or line, line)

    def unlisted_problem(self) -> Problem | None:
        if not self.unlisted:
            return None
        first, last = self.unlisted_lines
        return Problem(
            "too-many-problems",
            file=self.file,
            line=first,
            params={"listed": self.listed, "count": self.unlisted, "first": first, "last": last},
        )

    def indicator(self, text: str, line: int) -> Indicator | None:
        found = self._indicators.get(text)
        if found is None:
            found = self.targets.by_name.get(_normalised(text[:MAX_CELL]))
            if found is None:
                if self.full:  # no suggestion is worth its cost now: only counted
                    self.count_unlisted(line)
                    return None
                found = self._unknown(text)
            if len(self._indicators) < _CACHE_LIMIT:
                self._indicators[text] = found
        if isinstance(found, Indicator):
            return found
        likely = found.get("likely")
        self.report(
            Problem(
                "unknown-indicator",
                file=self.file,
                line=line,
                column=COLUMN_LABEL["indicator"],
                indicator=likely,
                params=found,
            )
        )
        if likely is not None:
            self.likely_rows.append((likely, line, text))
        return None

    def _unknown(self, text: str) -> dict[str, str]:
        """unknown-indicator's params, with the closest name when one is close."""
        key = normalise(text[:MAX_CELL])
        suggestion = get_close_matches(key, self._names, n=1, cutoff=0.6)
        params = {"value": shorten(text), "suggestion_zh": "", "suggestion_en": ""}
        if suggestion:
            ind = self.targets.by_name[suggestion[0]]
            params["likely"] = ind.id
            params["suggestion_zh"] = f"，疑为“{ind.name}”（{ind.id}）"
            params["suggestion_en"] = f"; probably '{ind.id}' ({ind.name})"
        return params

    @cached_property
    def _names(self) -> list[str]:
        return list(self.targets.by_name)

    def figure(self, ind: Indicator, line: int, cells: RowCells) -> Reading:
        """The row's figure for `ind`, from the column its kind is judged on.

        Totals and year-to-date growth are judged on the year to date: the 累计
        column when the file has one (its 本期值/本月 column is then the month's
        own figure, used only to check the total), else the value column. A row
        that gives only the month's figure for such an indicator is an error,
        never silently read as the year to date. Levels, ranks and milestones
        take the value column, else whichever figure the file has; a level marked
        `year_to_date` (a rate over months 1 to M) takes the 累计 column first.
        """
        unit = cells.unit
        if ind.kind not in YEAR_TO_DATE_KINDS:
            # a rate for the year so far (1—M月漏损率) is the 累计 column's, when there is one
            present = self._rate_columns if ind.year_to_date else self._level_columns
            # the first figure column with something in it: a level sent only under
            # 当月 beside an empty 本年累计 is a figure, never 未报送
            column = next((c for c in present if getattr(cells, c).strip()), present[0])
            return self.reading(ind, line, getattr(cells, column), unit, column)
        month_column, ytd_column = self._month_column, self._ytd_column
        month_text = getattr(cells, month_column) if self._month_given else ""
        ytd_text = getattr(cells, ytd_column) if ytd_column else ""
        if not ytd_text.strip() and month_text.strip():
            self._add(
                "month-figure-only",
                line,
                COLUMN_LABEL["ytd"],
                ind,
                {"value": shorten(month_text), "column": COLUMN_LABEL[month_column]},
            )
            return Reading(indicator=ind.id, line=line, raw=shorten(month_text), valid=False)
        if ytd_column is None:  # only a 本月 column, left blank on this row: nothing sent
            return self.reading(ind, line, month_text, unit, month_column)
        reading = self.reading(ind, line, ytd_text, unit, ytd_column)
        if month_text.strip() and reading.valid and reading.value is not None:
            month, _ = self._parsed(ind, month_text, unit, month_column)
            month_value = month.get("value")
            if ind.kind in PACED_KINDS and month_value is not None and month_value > reading.value:
                reading.valid = False
                self._add(
                    "month-exceeds-ytd",
                    line,
                    COLUMN_LABEL[ytd_column],
                    ind,
                    {"month": number(month_value), "ytd": number(reading.value)},
                )
        return reading

    def reading(
        self, ind: Indicator, line: int, value_text: str, unit_text: str, column: str = "value"
    ) -> Reading:
        fields, problem = self._parsed(ind, value_text, unit_text, column)
        if problem is not None:
            code, params, where = problem
            self._add(code, line, COLUMN_LABEL[where or column], ind, params)
        unit = _normalised(unit_text[:MAX_CELL])
        return Reading(indicator=ind.id, line=line, raw=shorten(value_text), unit=unit, **fields)

    def _parsed(self, ind: Indicator, value_text: str, unit_text: str, column: str) -> ParsedCell:
        key = (ind.id, value_text, unit_text, column)
        cached = self._values.get(key)
        if cached is None:
            cached = _parse_value(ind, value_text, unit_text, column)
            if len(self._values) < _CACHE_LIMIT:
                self._values[key] = cached
        return cached

    def _add(
        self, code: str, line: int, column: str, ind: Indicator, params: dict[str, Any]
    ) -> None:
        self.report(
            Problem(code, file=self.file, line=line, column=column, indicator=ind.id, params=params)
        )

    def check_period(self, text: str, period: Period, ind: Indicator, line: int) -> None:
        stated = period_in_cell(text[:MAX_CELL])
        if stated is not None and stated == period:
            return
        self.report(
            Problem(
                "period-mismatch",
                file=self.file,
                line=line,
                column="期间 / period",
                indicator=ind.id,
                params={
                    "detail_zh": f"期间列“{shorten(text)}”与文件报告期 {period} 不一致",
                    "detail_en": f"The period column says '{shorten(text)}' but the file "
                    f"is for {period}",
                },
            )
        )


# Decimal arithmetic for unit conversion: exact, so 0.0007 万人 is 7 人 and a
# count typed 6.9999999999999 is not rounded into a whole number. The precision
# covers any cell gongfu accepts (MAX_CELL characters).
_EXACT = Context(prec=MAX_CELL + 10, traps=[InvalidOperation])


def _number_text(value_text: str) -> str:
    # ASCII (most cells) has no full-width form to turn back; isascii() costs nothing
    text = value_text if value_text.isascii() else value_text.translate(_FIGURE_FORMS)
    return text.strip().casefold()


def _parse_value(ind: Indicator, value_text: str, unit_text: str, column: str) -> ParsedCell:
    """One cell → Reading fields and at most one problem (code, params).

    Every figure that comes out is finite, in the target's unit, and within
    the indicator's plausible range (and ±MAX_FIGURE); anything else is a problem.
    """
    if len(value_text) > MAX_CELL:
        return _invalid("invalid-number", value_text)
    text = _number_text(value_text)
    if text in NOT_REPORTED:
        return {"reported": False}, None
    if ind.kind == Kind.milestone:
        if text in DONE:
            return {"done": True}, None
        if text in NOT_DONE:
            return {"done": False}, None
        return _invalid("invalid-milestone", value_text)
    grade = _grade(text, ind)
    if grade is not None:
        return {"grade": grade}, None
    match = _NUMBER.match(text)
    if match is None:
        return _invalid("invalid-number", value_text)
    unit = _normalised(unit_text[:MAX_CELL])
    if match[1] == "%" and unit not in ("", "%"):
        # 8.8% beside 万元: two units for one figure; which is meant is the sender's call
        params = {"unit": f"% / {unit_text.strip()[:40]}", "target_unit": ind.unit}
        return {"valid": False}, ("unit-mismatch", params, "unit")
    if match[1] == "%":
        unit = "%"
    if unit == "%" and ind.unit == "个百分点":
        unit = ""  # "提升1%" is how the plan itself writes a gain in points
    factor = unit_factor(unit, ind.unit)
    if factor is None:
        params = {"unit": unit_text.strip()[:40] or unit, "target_unit": ind.unit}
        # the unit column, or the value's own % when the unit column is empty
        return {"valid": False}, ("unit-mismatch", params, "unit" if unit_text.strip() else None)
    exact = _EXACT.multiply(Decimal(text.replace(",", "").rstrip("%")), factor)
    if ind.kind in WHOLE_NUMBER_KINDS and exact != exact.to_integral_value():
        kind = {"count": "个数", "rank": "排名"}[ind.kind.value]
        return _invalid("non-integer", value_text, kind=kind)
    low, high = ind.plausible_range()
    exact_low, exact_high = _exact_bounds(low, high)
    if (
        abs(exact) > MAX_FIGURE
        or (exact_low is not None and exact < exact_low)
        or (exact_high is not None and exact > exact_high)
    ):
        params = {
            "value": shorten(value_text),
            "low": number(low) if low is not None else number(-float(MAX_FIGURE)),
            "high": number(high) if high is not None else number(float(MAX_FIGURE)),
        }
        return {"valid": False}, ("out-of-range", params, None)
    return {"value": float(exact)}, None


@lru_cache(maxsize=256)  # asked for every figure, of the catalogue's few ranges
def _exact_bounds(low: float | None, high: float | None) -> tuple[Decimal | None, Decimal | None]:
    """A plausible range in exact decimal, as its figures are written (repr: 0.1 is 0.1)."""
    return (
        None if low is None else Decimal(repr(low)),
        None if high is None else Decimal(repr(high)),
    )


def _invalid(code: str, value_text: str, **params: str) -> ParsedCell:
    return {"valid": False}, (code, {"value": shorten(value_text), **params}, None)


def _grade(text: str, ind: Indicator) -> str | None:
    """'A', 'A等', 'A级' → 'A' when the indicator accepts that grade."""
    for grade in ind.also_met_by:
        g = _number_text(grade)
        if text in (g, g + "等", g + "级"):
            return grade
    return None
