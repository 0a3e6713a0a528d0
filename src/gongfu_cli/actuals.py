"""Stage 2 of the pipeline: read one monthly actuals file into Readings and Problems.

The contract (README "The data file"): a header row with indicator and value
columns (English or Chinese names), one row per indicator, the period taken from
the file name (YYYY-MM.csv / YYYY-MM.xlsx) unless ``--period`` overrides it.

Reading is a single pass over the rows. Cell parsing is memoised per distinct
cell text, so a file of 100,000 near-identical rows costs little more than the
distinct values it holds. pandas is deliberately not used here: importing it
alone takes longer than a whole `gongfu check` run (measured in bench/).
"""

from __future__ import annotations

import codecs
import csv
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path

from .problems import GongfuError, Problem
from .targets import WHOLE_NUMBER_KINDS, Indicator, Kind, Targets, normalise

# ---------------------------------------------------------------------------
# Periods


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


_PERIOD_IN_NAME = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])(?!\d)")
# 2025-06, 2025/6, 2025.06, 2025年6月, 202506
_PERIOD_IN_CELL = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*)?(0?[1-9]|1[0-2])\s*月?$")


def period_from_name(path: Path) -> Period | None:
    match = _PERIOD_IN_NAME.match(path.stem)
    return Period(int(match[1]), int(match[2])) if match else None


def parse_period(text: str) -> Period | None:
    match = _PERIOD_IN_CELL.match(unicodedata.normalize("NFKC", text).strip())
    return Period(int(match[1]), int(match[2])) if match else None


SUPPORTED_SUFFIXES = (".csv", ".xlsx")


def monthly_files(folder: Path) -> list[Path]:
    """Every YYYY-MM.csv / YYYY-MM.xlsx in a folder, in period order."""
    found = [
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and period_from_name(p)
    ]
    return sorted(found, key=lambda p: (period_from_name(p), p.suffix.lower()))


# ---------------------------------------------------------------------------
# Columns

# Canonical column → accepted header spellings (compared after normalise()).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator": ("indicator", "指标", "指标名称", "指标id", "id"),
    "value": ("value", "数值", "本期值", "完成值", "实际值"),
    "unit": ("unit", "单位", "计量单位"),
    "note": ("note", "备注", "说明"),
    "period": ("period", "期间", "报告期", "月份"),
    "name": ("name", "名称"),  # for the reader's eyes (the template has it); ignored
}
REQUIRED_COLUMNS = ("indicator", "value")
_HEADER_TO_COLUMN = {alias: col for col, aliases in COLUMN_ALIASES.items() for alias in aliases}
_COLUMN_LABEL = {"indicator": "指标 / indicator", "value": "数值 / value"}

# ---------------------------------------------------------------------------
# Cell vocabulary

NOT_REPORTED = frozenset({"", "-", "--", "—", "——", "/", "暂无", "n/a", "na", "null"})
DONE = frozenset({"已完成", "完成", "是", "done", "yes", "true", "1", "y", "√", "✓"})
NOT_DONE = frozenset(
    {"未完成", "推进中", "进行中", "未启动", "否", "no", "false", "0", "n", "×", "✗"}
)
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+|(?=\.\d))(?:\.\d+)?(?:e[+-]?\d+)?(%?)$")
# No indicator name or number is longer than this; longer cells are rejected
# before any normalising, so a 50 MB cell costs nothing but its read.
MAX_CELL = 200

# Units that convert into each other: unit → (base unit, factor to the base).
UNIT_SCALES: dict[str, tuple[str, float]] = {
    "元": ("元", 1),
    "万元": ("元", 1e4),
    "亿元": ("元", 1e8),
    "吨": ("吨", 1),
    "万吨": ("吨", 1e4),
    "亿吨": ("吨", 1e8),
    "人": ("人", 1),
    "万人": ("人", 1e4),
    "单位": ("单位", 1),
    "万单位": ("单位", 1e4),
    "亿单位": ("单位", 1e8),
    "米": ("米", 1),
    "公里": ("米", 1e3),
    "千米": ("米", 1e3),
    "km": ("米", 1e3),
}


def unit_factor(unit: str, target_unit: str) -> float | None:
    """Multiplier taking a figure in `unit` to `target_unit`; None if not convertible."""
    if unit == normalise(target_unit) or unit == "":
        return 1.0
    source, target = UNIT_SCALES.get(unit), UNIT_SCALES.get(normalise(target_unit))
    if source is None or target is None or source[0] != target[0]:
        return None
    return source[1] / target[1]


# ---------------------------------------------------------------------------
# Results


@dataclass
class Reading:
    """One indicator's row: the value in the target's unit, or why it has none."""

    indicator: str
    line: int
    raw: str
    value: float | None = None
    grade: str | None = None  # a non-numeric value that meets the target, e.g. "A"
    done: bool | None = None  # milestones
    reported: bool = True  # False for empty, "-", 暂无 …
    valid: bool = True
    note: str = ""


@dataclass
class Actuals:
    """A monthly file as read: its period, encoding, readings and problems."""

    file: str
    period: Period
    encoding: str | None
    readings: dict[str, Reading] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0


# ---------------------------------------------------------------------------
# Raw tables: bytes → header and rows with their line numbers


@dataclass
class RawTable:
    header: list[str]
    header_line: int
    rows: Iterator[tuple[int, list[str]]]
    encoding: str | None


# A BOM is decisive. Without one, strict UTF-8 comes first: GBK/GB18030 bytes
# almost never form valid UTF-8, while UTF-8 text often *is* valid GB18030
# (as mojibake). GB18030 is a superset of GBK and GB2312, so one try covers
# all three. Anything left is an encoding-error, never a guess.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000-\uf8ff\U000f0000-\U0010ffff]")


def decode(data: bytes) -> tuple[str, str]:
    """Decode by the fixed policy; returns (text, encoding name) or raises ValueError(line)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="strict"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ValueError(data.count(b"\n", 0, exc.start) + 1) from None
    # GB18030 maps every 4-byte sequence somewhere; text from another encoding
    # shows up as private-use or control characters. Refuse rather than pass it on.
    suspicious = _NOT_TEXT.search(text)
    if suspicious:
        raise ValueError(text.count("\n", 0, suspicious.start()) + 1)
    return text, "gb18030"


# A line longer than this keeps only its two ends (half each) before csv parsing.
# No cell gongfu accepts is longer than MAX_CELL, so a giant cell stays giant
# enough to be reported, while the csv module (which buffers a cell at four
# bytes a character) never holds 200 MB for a 50 MB cell.
MAX_LINE = 65_536


def _lines(text: str) -> Iterator[str]:
    """Lines with their endings, sliced lazily (io.StringIO would copy the whole
    text again at four bytes a character), giant lines shortened in the middle."""
    start, end = 0, len(text)
    half = MAX_LINE // 2
    while start < end:
        stop = text.find("\n", start)
        stop = end if stop == -1 else stop + 1
        if stop - start > MAX_LINE:
            yield text[start : start + half] + text[stop - half : stop]
        else:
            yield text[start:stop]
        start = stop


def _unreadable(
    file: str, reason_zh: str, reason_en: str, detail: str = "", line: int | None = None
) -> GongfuError:
    """unreadable-file in words a statistician reads; the library's detail, if any, after."""
    detail = detail[:200]
    params = {
        "reason_zh": reason_zh + (f"（{detail}）" if detail else ""),
        "reason_en": reason_en + (f" ({detail})" if detail else ""),
    }
    return GongfuError([Problem("unreadable-file", file=file, line=line, params=params)])


def _csv_rows(text: str, file: str) -> Iterator[tuple[int, list[str]]]:
    """Rows with the 1-based line each starts on (quoted cells may span lines)."""
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    csv.field_size_limit(2**31 - 1)  # a huge cell is reported as a bad value, not a crash
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=False)
    start = 1
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _unreadable(
            file, f"第 {start} 行的 CSV 格式有误", f"malformed CSV at line {start}", str(exc), start
        ) from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook  # lazily: openpyxl is slow to import

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        number = 0
        try:
            for number, row in enumerate(sheet.iter_rows(), start=1):
                yield number, [_excel_cell_text(cell) for cell in row]
        except Exception as exc:  # a workbook damaged past its first rows
            raise _unreadable(
                str(path),
                f"Excel 工作簿第 {number + 1} 行已损坏",
                f"the workbook is damaged at row {number + 1}",
                f"{type(exc).__name__}: {exc}",
                number + 1,
            ) from None
    finally:
        workbook.close()


def _excel_cell_text(cell: object) -> str:
    """A cell as the text Excel shows, so CSV and .xlsx go through one parser."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if "%" in (getattr(cell, "number_format", "") or ""):
            # A cell formatted as 97.2% holds 0.972; the analyst typed 97.2%.
            return f"{value * 100:.12g}%"
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else repr(value)
        return str(value)
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m")  # a period cell Excel turned into a date
    return str(value)


def read_raw(path: Path) -> RawTable:
    """Open a .csv or .xlsx file and find its header; GongfuError if it is not a table."""
    file = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise GongfuError([Problem("unsupported-file", file=file, params={"suffix": suffix})])
    try:
        if suffix == ".xlsx":
            rows, encoding = _xlsx_rows(path), None
            first = _first_nonblank(rows)
        else:
            data = path.read_bytes()
            if not data.strip():
                raise GongfuError([Problem("empty-file", file=file)])
            if b"\x00" in data[:4096] and not data.startswith(
                (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
            ):
                hint = "，可能是改了扩展名的 Excel 文件" if data.startswith(b"PK") else ""
                raise _unreadable(
                    file,
                    "文件含有二进制内容，不是文本表格" + hint,
                    "the file holds binary data, not a text table"
                    + (" (perhaps an Excel file renamed to .csv)" if hint else ""),
                )
            try:
                text, encoding = decode(data)
            except ValueError as exc:
                raise GongfuError(
                    [
                        Problem(
                            "encoding-error",
                            file=file,
                            line=exc.args[0],
                            params={"line": exc.args[0]},
                        )
                    ]
                ) from None
            rows = _csv_rows(text, file)
            first = _first_nonblank(rows)
    except GongfuError:
        raise
    except FileNotFoundError:
        raise GongfuError([Problem("file-not-found", file=file, params={"path": file})]) from None
    except Exception as exc:  # openpyxl and zipfile raise many kinds for a broken workbook
        detail = f"{type(exc).__name__}: {exc}"
        if suffix == ".xlsx" and not isinstance(exc, OSError):
            raise _unreadable(
                file,
                "不是有效的 Excel 工作簿（.xlsx）",
                "not a valid Excel workbook (.xlsx)",
                detail,
            ) from None
        raise _unreadable(file, "无法打开文件", "the file cannot be opened", detail) from None
    if first is None:
        raise GongfuError([Problem("empty-file", file=file)])
    header_line, header = first
    return RawTable(header, header_line, rows, encoding)


def _first_nonblank(rows: Iterator[tuple[int, list[str]]]) -> tuple[int, list[str]] | None:
    for line, row in rows:
        if any(cell.strip() for cell in row):
            return line, row
    return None


# ---------------------------------------------------------------------------
# Rows → Readings


def read_actuals(path: Path, targets: Targets, period: Period | None = None) -> Actuals:
    """Read one monthly file against the catalogue.

    Raises GongfuError when the file cannot be read as a table at all (missing,
    empty, undecodable, no indicator/value columns, no period); every row-level
    problem is collected in Actuals.problems instead, and the row's indicator is
    marked invalid rather than dropped.
    """
    file = str(path)
    period = period or period_from_name(path)
    if period is None:
        raise GongfuError([Problem("no-period", file=file, params={"name": path.name})])
    raw = read_raw(path)
    actuals = Actuals(file=file, period=period, encoding=raw.encoding)
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

    columns = _map_header(raw, file, problems)
    parser = _RowParser(targets, file, problems)
    get = _cell_getter(columns)
    for line, row in raw.rows:
        if not any(cell.strip() for cell in row):
            continue  # blank lines are layout, not data
        actuals.rows += 1
        indicator_text = get(row, "indicator")
        ind = parser.indicator(indicator_text, line)
        if ind is None:
            continue
        first = actuals.readings.get(ind.id)
        if first is not None:
            problems.append(
                Problem(
                    "duplicate-indicator",
                    file=file,
                    line=line,
                    column=_COLUMN_LABEL["indicator"],
                    indicator=ind.id,
                    params={"indicator": ind.id, "first_line": first.line},
                )
            )
            first.valid = False  # which of the two is right is the submitter's call
            continue
        reading = parser.reading(ind, line, get(row, "value"), get(row, "unit"))
        reading.note = get(row, "note").strip()
        actuals.readings[ind.id] = reading
        period_text = get(row, "period")
        if period_text.strip():
            parser.check_period(period_text, period, ind, line)
    return actuals


def _map_header(raw: RawTable, file: str, problems: list[Problem]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, title in enumerate(raw.header):
        name = _HEADER_TO_COLUMN.get(normalise(title[:MAX_CELL]).lstrip("\ufeff"))
        if name == "indicator" and name in columns:
            continue  # 指标 beside 指标名称: the first is read, the other is for people
        if name is None or name in columns:
            if title.strip():
                problems.append(
                    Problem(
                        "extra-column",
                        file=file,
                        line=raw.header_line,
                        column=title[:40],
                        params={"column": title[:40]},
                    )
                )
            continue
        columns[name] = index
    missing = [
        Problem(
            "missing-column",
            file=file,
            line=raw.header_line,
            column=_COLUMN_LABEL[name],
            params={"column": name, "aliases": " / ".join(COLUMN_ALIASES[name][:3])},
        )
        for name in REQUIRED_COLUMNS
        if name not in columns
    ]
    if missing:
        raise GongfuError(missing + problems)
    return columns


def _cell_getter(columns: dict[str, int]):
    def get(row: list[str], column: str) -> str:
        index = columns.get(column)
        return row[index] if index is not None and index < len(row) else ""

    return get


def _short(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 40 else text[:40] + "…"


class _RowParser:
    """Parses cells, remembering each distinct cell so repeated values cost nothing."""

    def __init__(self, targets: Targets, file: str, problems: list[Problem]):
        self.targets = targets
        self.file = file
        self.problems = problems
        self._indicators: dict[str, Indicator | dict[str, str]] = {}
        self._values: dict[tuple[str, str, str], tuple[dict, tuple | None]] = {}

    def indicator(self, text: str, line: int) -> Indicator | None:
        found = self._indicators.get(text)
        if found is None:
            found = self._lookup(text)
            self._indicators[text] = found
        if isinstance(found, Indicator):
            return found
        self.problems.append(
            Problem(
                "unknown-indicator",
                file=self.file,
                line=line,
                column=_COLUMN_LABEL["indicator"],
                params=found,
            )
        )
        return None

    def _lookup(self, text: str) -> Indicator | dict[str, str]:
        key = normalise(text[:MAX_CELL])
        ind = self.targets.by_name.get(key)
        if ind is not None:
            return ind
        suggestion = get_close_matches(key, list(self.targets.by_name), n=1, cutoff=0.6)
        params = {"value": _short(text)}
        if suggestion:
            ind = self.targets.by_name[suggestion[0]]
            params["suggestion_zh"] = f"，是否为“{ind.name}”（{ind.id}）？"
            params["suggestion_en"] = f"; did you mean '{ind.id}' ({ind.name})?"
        return params

    def reading(self, ind: Indicator, line: int, value_text: str, unit_text: str) -> Reading:
        key = (ind.id, value_text, unit_text)
        cached = self._values.get(key)
        if cached is None:
            cached = _parse_value(ind, value_text, unit_text)
            self._values[key] = cached
        fields, problem = cached
        if problem is not None:
            code, column, params = problem
            self.problems.append(
                Problem(
                    code, file=self.file, line=line, column=column, indicator=ind.id, params=params
                )
            )
        return Reading(indicator=ind.id, line=line, raw=_short(value_text), **fields)

    def check_period(self, text: str, period: Period, ind: Indicator, line: int) -> None:
        stated = parse_period(text[:MAX_CELL])
        if stated is not None and stated == period:
            return
        self.problems.append(
            Problem(
                "period-mismatch",
                file=self.file,
                line=line,
                column="期间 / period",
                indicator=ind.id,
                params={
                    "detail_zh": f"期间列“{_short(text)}”与文件报告期 {period} 不一致",
                    "detail_en": f"The period column says '{_short(text)}' but the file "
                    f"is for {period}",
                },
            )
        )


_VALUE_COLUMN = _COLUMN_LABEL["value"]


def _parse_value(ind: Indicator, value_text: str, unit_text: str) -> tuple[dict, tuple | None]:
    """One cell → Reading fields and at most one problem (code, column, params)."""
    text = normalise(value_text[:MAX_CELL]) if len(value_text) <= MAX_CELL else None
    if text is None:
        return _invalid("invalid-number", {"value": _short(value_text)})
    if text in NOT_REPORTED:
        return {"reported": False}, None
    if ind.kind == Kind.milestone:
        if text in DONE:
            return {"done": True}, None
        if text in NOT_DONE:
            return {"done": False}, None
        return _invalid("invalid-milestone", {"value": _short(value_text)})
    grade = _grade(text, ind)
    if grade is not None:
        return {"grade": grade}, None
    match = _NUMBER.match(text)
    if match is None:
        return _invalid("invalid-number", {"value": _short(value_text)})
    number = float(text.replace(",", "").rstrip("%"))
    if not math.isfinite(number):
        return _invalid("invalid-number", {"value": _short(value_text)})
    unit = normalise(unit_text[:MAX_CELL])
    if match[1] == "%" and not unit:
        unit = "%"
    if unit == "%" and ind.unit == "个百分点":
        unit = ""  # "提升1%" is how the plan itself writes a gain in points
    factor = unit_factor(unit, ind.unit)
    if factor is None:
        params = {"unit": unit_text.strip()[:40] or unit, "target_unit": ind.unit}
        column = "单位 / unit" if unit_text.strip() else _VALUE_COLUMN  # else a % in the value
        return {"valid": False}, ("unit-mismatch", column, params)
    value = float(f"{number * factor:.12g}")  # drop float noise from 万→亿 scaling
    if ind.kind in WHOLE_NUMBER_KINDS and not value.is_integer():
        kind = {"count": "个数", "rank": "排名"}[ind.kind.value]
        return _invalid("non-integer", {"value": _short(value_text), "kind": kind})
    low, high = ind.plausible_range()
    if (low is not None and value < low) or (high is not None and value > high):
        params = {
            "value": _short(value_text),
            "low": "-∞" if low is None else f"{low:g}",
            "high": "+∞" if high is None else f"{high:g}",
        }
        return {"value": value, "valid": False}, ("out-of-range", _VALUE_COLUMN, params)
    return {"value": value}, None


def _invalid(code: str, params: dict) -> tuple[dict, tuple]:
    return {"valid": False}, (code, _VALUE_COLUMN, params)


def _grade(text: str, ind: Indicator) -> str | None:
    """'A', 'A等', 'A级' → 'A' when the indicator accepts that grade."""
    for grade in ind.also_met_by:
        g = normalise(grade)
        if text in (g, g + "等", g + "级"):
            return grade
    return None
