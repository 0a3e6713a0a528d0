"""Stage 2a of the pipeline: bytes on disk → a table (header, columns, rows).

A monthly file is a .csv (any of the encodings Excel on Chinese Windows writes)
or a .xlsx workbook. This module finds the header row, maps its titles to
gongfu's columns and yields the rows with the line each starts on, so that the
next stage (actuals) sees CSV and Excel alike. It knows nothing of indicators.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .periods import SUPPORTED_SUFFIXES
from .problems import GongfuError, Problem, unreadable
from .targets import normalise
from .workbook import xlsx_rows

# ---------------------------------------------------------------------------
# Columns

# No indicator name or number is longer than this; longer cells are rejected
# before any normalising, so a 50 MB cell costs nothing but its read.
MAX_CELL = 200

# Canonical column → accepted header spellings (compared after normalise()).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator": ("indicator", "指标", "指标名称", "指标id", "id"),
    "value": ("value", "数值", "本期值", "完成值", "实际值"),
    # Statistics tables often give both the year to date (累计) and the month's
    # own figure (本月/当月); actuals decides which one each indicator is judged on.
    "ytd": ("ytd", "累计值", "累计", "本年累计", "本年累计值", "年累计", "累计完成", "累计完成值"),
    "month": ("month_value", "本月", "本月值", "当月", "当月值", "本月完成", "当月完成"),
    "unit": ("unit", "单位", "计量单位"),
    "note": ("note", "备注", "说明"),
    "period": ("period", "期间", "报告期", "月份"),
    "name": ("name", "名称"),  # for the reader's eyes (the template has it); ignored
}
# 1-6月累计, 1～6月累计, 1至6月累计值: the year to date, spelled with the month.
_YTD_HEADER = re.compile(r"^1\s*[-~～至到—–]\s*(?:[1-9]|1[0-2])\s*月\s*(?:累计)?(?:值|完成|数)?$")
REQUIRED_COLUMNS = ("indicator", "value")
# A figure may stand in any of these; a file needs at least one of them.
FIGURE_COLUMNS = ("value", "ytd", "month")
_HEADER_TO_COLUMN = {alias: col for col, aliases in COLUMN_ALIASES.items() for alias in aliases}
COLUMN_LABEL = {
    "indicator": "指标 / indicator",
    "value": "数值 / value",
    "ytd": "累计值 / ytd",
    "month": "本月值 / month",
    "unit": "单位 / unit",
}


def column_of(title: str) -> str | None:
    """A header title → gongfu's column name, or None if it is not one of ours."""
    key = normalise(title[:MAX_CELL]).lstrip("\ufeff")
    return _HEADER_TO_COLUMN.get(key) or ("ytd" if _YTD_HEADER.match(key) else None)


def is_header(row: list[str]) -> bool:
    """Whether a row reads as gongfu's header: an indicator column and a figure column."""
    names = {column_of(cell) for cell in row}
    return "indicator" in names and bool(names & set(FIGURE_COLUMNS))


# ---------------------------------------------------------------------------
# Raw tables: bytes → header and rows with their line numbers


@dataclass
class RawTable:
    """A file as a table. `problems` fills up while `rows` is read: located
    problems found below the row level (an Excel cell's format, a formula with
    no value). A row with an error among them is read as invalid, not dropped."""

    header: list[str]
    header_line: int
    rows: Iterator[tuple[int, list[str]]]
    encoding: str | None
    problems: list[Problem] = field(default_factory=list)


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
        raise unreadable(
            file, f"第 {start} 行的 CSV 格式有误", f"malformed CSV at line {start}", str(exc), start
        ) from None


def read_raw(path: Path) -> RawTable:
    """Open a .csv or .xlsx file and find its header; GongfuError if it is not a table."""
    file = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise GongfuError([Problem("unsupported-file", file=file, params={"suffix": suffix})])
    problems: list[Problem] = []
    try:
        if suffix == ".xlsx":
            rows, encoding = xlsx_rows(path, problems), None
            first = _first_nonblank(rows)
        else:
            data = path.read_bytes()
            if not data.strip():
                raise GongfuError([Problem("empty-file", file=file)])
            if b"\x00" in data[:4096] and not data.startswith(
                (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
            ):
                hint = "，可能是改了扩展名的 Excel 文件" if data.startswith(b"PK") else ""
                raise unreadable(
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
            raise unreadable(
                file,
                "不是有效的 Excel 工作簿（.xlsx）",
                "not a valid Excel workbook (.xlsx)",
                detail,
            ) from None
        raise unreadable(file, "无法打开文件", "the file cannot be opened", detail) from None
    if first is None:
        raise GongfuError([Problem("empty-file", file=file)])
    header_line, header = first
    return RawTable(header, header_line, rows, encoding, problems)


def _first_nonblank(rows: Iterator[tuple[int, list[str]]]) -> tuple[int, list[str]] | None:
    for line, row in rows:
        if any(cell.strip() for cell in row):
            return line, row
    return None


def map_header(raw: RawTable, file: str, problems: list[Problem]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, title in enumerate(raw.header):
        name = column_of(title)
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
            column=COLUMN_LABEL[name],
            params={"column": name, "aliases": " / ".join(COLUMN_ALIASES[name][:3])},
        )
        for name in REQUIRED_COLUMNS
        if name not in columns and not (name == "value" and set(FIGURE_COLUMNS) & set(columns))
    ]
    if missing:
        raise GongfuError(missing + problems)
    return columns
