"""Excel workbooks (.xlsx) as rows of cell text, for tables.py.

Each cell becomes the text the analyst sees in Excel, so CSV and Excel go
through one parser in actuals. Where Excel shows something other than what the
cell holds (a number format that scales or carries a unit, a formula whose
result was never computed), the cell's holding is read and the row is
questioned with a located problem, never guessed at.

openpyxl is imported lazily: it is slow to import and only needed when a
workbook is read. Rows come from openpyxl's sheet parser rather than its
read-only worksheet, which pads every row to the sheet's declared dimension:
a 5 KB file claiming A1:XFD1048576 took 19 minutes that way. The parser yields
only the rows and cells that exist in the file.

Nor is the workbook opened with openpyxl's load_workbook when it need not be
(_open_book): it builds a whole Workbook (default sheet, named styles, every
font, fill and border) to give the sheet parser four things, the shared strings,
the date system and which styles are dates, and costs 2.5 ms a file, more than
reading the rows. A workbook laid out as Excel, WPS and openpyxl write one gives
those from its package parts directly, with openpyxl's own readers for each;
anything else is opened by load_workbook as before.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from io import BytesIO
from itertools import islice
from pathlib import Path
from typing import Any
from zipfile import ZipFile

from gongfu_cli.model.problems import Problem, unreadable
from gongfu_cli.model.targets import normalise
from gongfu_cli.read.columns import COLUMN_LABEL, column_of, is_header
from gongfu_cli.read.units import UNIT_SCALES

# Columns beyond this are not read (Excel 97-2003 stopped at IV, column 256; no
# table of gongfu's comes near). A filled cell out there is reported, not dropped.
MAX_COLUMNS = 256
# The header must be among a sheet's first non-blank rows (a title block above it).
HEADER_SEARCH_ROWS = 20
# Excel's own display precision: a float shows at most 15 significant digits, so
# 0.1+0.2 is 0.3 in the sheet and here, not 0.30000000000000004.
_SIGNIFICANT = 15

# Figure columns: a number format that changes what they show questions the row.
_FIGURE_COLUMNS = ("value", "ytd", "month")
# Columns gongfu reads: a formula without a value there questions the row.
_READ_COLUMNS = ("indicator", "value", "ytd", "month", "unit", "period")
# Marks a formula cell saved without its result (files written by scripts).
_NO_VALUE = "formula-no-value"

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97-2003 and encrypted OOXML files

# A cell as openpyxl's sheet parser gives it: column, value, data type, style id.
Cell = dict[str, Any]


def xlsx_rows(
    path: Path, problems: list[Problem], content: bytes | None = None
) -> Iterator[tuple[int, list[str]]]:
    """Rows of the first sheet that has gongfu's header, with their Excel row numbers.

    Blank rows are not yielded. Cell-level problems are appended to `problems`
    as the rows are read. `content`: the file's bytes, when they have been read."""
    file = str(path)
    _refuse_old_formats(path, file, content)
    book = _open_book(path if content is None else BytesIO(content))
    number = 0
    try:
        for number, row in _chosen_sheet(book, file, problems):
            yield number, row
    except Exception as exc:  # a workbook damaged past its first rows
        raise unreadable(
            file,
            f"Excel 工作簿在第 {number} 行之后已损坏" if number else "Excel 工作表内容已损坏",
            f"the workbook is damaged after row {number}" if number else "the sheet is damaged",
            f"{type(exc).__name__}: {exc}",
            number + 1,
        ) from None
    finally:
        book.archive.close()


@dataclass
class _Book:
    """A workbook as reading its rows needs it."""

    archive: ZipFile
    sheets: list[tuple[str, str]]  # (title, part of the package), worksheets in order
    shared_strings: list[str]
    epoch: datetime  # the date system: 1900, or 1904 (old Mac workbooks)
    format: Callable[[int], str]  # the number format of a cell style, by style id
    date_formats: set[int]  # style ids whose format shows a date …
    timedelta_formats: set[int]  # … or a duration


def _open_book(path: Path | BytesIO) -> _Book:
    """The workbook's parts, from its package; by load_workbook when it is laid out
    otherwise (or damaged: openpyxl then says what is wrong, as before)."""
    try:
        with _openpyxl_quiet():  # its readers warn too, with a path inside site-packages
            return _book_from_package(path)
    except Exception:  # any surprise: the reader that knows every variant
        return _book_from_openpyxl(path)


def _book_from_package(path: Path | BytesIO) -> _Book:
    """The parts as load_workbook finds them, read with openpyxl's own readers: the
    workbook part named in [Content_Types].xml, its sheets through its relationships,
    the shared strings, and from xl/styles.xml each style's number format.

    Elements are matched by their local name, as openpyxl's reader matches them. What
    it reads in a way not repeated here (a sheet without its r:id, a number format
    left undefined, a second list of styles) raises, and load_workbook reads the file.
    """
    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900
    from openpyxl.xml import constants as xml
    from openpyxl.xml.functions import fromstring

    archive = ZipFile(path)
    try:
        parts = {
            part.get("ContentType"): str(part.get("PartName"))[1:]
            for part in reversed(fromstring(archive.read(xml.ARC_CONTENT_TYPES)))
            if part.tag == f"{{{xml.CONTYPES_NS}}}Override"
        }
        workbook_part = next(
            parts[kind] for kind in (xml.XLTM, xml.XLTX, xml.XLSM, xml.XLSX) if kind in parts
        )
        workbook = fromstring(archive.read(workbook_part))
        if workbook.tag != f"{{{xml.SHEET_MAIN_NS}}}workbook":
            raise ValueError("not a transitional SpreadsheetML workbook")
        date1904 = any(_true(pr.get("date1904")) for pr in _named(workbook, "workbookPr"))
        relationships = get_dependents(archive, get_rels_path(workbook_part)).to_dict()
        present = set(archive.namelist())
        sheets = []
        for sheet in (
            one for block in _named(workbook, "sheets") for one in _named(block, "sheet")
        ):
            name, link = sheet.get("name"), sheet.get(f"{{{xml.REL_NS}}}id")
            if name is None or link is None:
                raise ValueError("a sheet without its name or r:id")
            target = relationships[link]
            if target.target in present and "chartsheet" not in target.Type:
                sheets.append((name, target.target))
        strings: list[str] = []
        if xml.SHARED_STRINGS in parts:
            with archive.open(parts[xml.SHARED_STRINGS]) as source:
                strings = shared_strings(source)
        styles = fromstring(archive.read(xml.ARC_STYLE))
        (cell_styles,) = _named(styles, "cellXfs")  # one list of styles, or load_workbook
        custom: dict[int, str] = {}
        for block in _named(styles, "numFmts"):
            for code in _named(block, "numFmt"):
                custom[int(str(code.get("numFmtId")))] = _given(code.get("formatCode"))
        ids = [int(xf.get("numFmtId", 0)) for xf in _named(cell_styles, "xf")]
        if not ids or any(code >= 164 and code not in custom for code in ids):
            raise ValueError("no cell styles, or a style's number format undefined")
        shown = [custom[code] if code in custom else BUILTIN_FORMATS.get(code) for code in ids]
    except BaseException:
        archive.close()
        raise
    formats = [code or "General" for code in shown]
    return _Book(
        archive=archive,
        sheets=sheets,
        shared_strings=strings,
        epoch=CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900,
        format=formats.__getitem__,
        date_formats={i for i, code in enumerate(shown) if is_date_format(code)},
        timedelta_formats={i for i, code in enumerate(shown) if is_timedelta_format(code)},
    )


def _local(tag: Any) -> str:
    """An element's name without its namespace ("{…main}sheet" → "sheet")."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _named(element: Any, name: str) -> list[Any]:
    return [child for child in element if _local(child.tag) == name]


def _true(value: str | None) -> bool:
    """An XML flag as openpyxl reads it: anything but false/f/0 (or nothing) is true."""
    return value is not None and value not in ("false", "f", "0") and bool(value)


def _given(value: str | None) -> str:
    if value is None:
        raise ValueError("a number format without its code")
    return value


def text_content(element: Any) -> str:
    """The text of a string item (<si> of the shared strings, <is> of an inline
    string) as openpyxl's Text(...).content gives it: its <t>, then each run's <t>
    (of two <t> in one place, the last, as openpyxl keeps); phonetic guides (<rPh>)
    are not part of it. openpyxl builds a rich-text object for each string to give
    this, which was a fifth of reading a workbook."""
    plain: str | None = None
    runs: list[str] = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            plain = child.text
        elif name == "r":
            run = None
            for part in child:
                if _local(part.tag) == "t":
                    run = part.text
            if run is not None:
                runs.append(run)
    return "".join(runs if plain is None else [plain, *runs])


def shared_strings(source: Any) -> list[str]:
    """The shared strings table, as openpyxl's read_string_table reads it."""
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    item = f"{{{SHEET_MAIN_NS}}}si"
    strings = []
    for _, node in iterparse(source):
        if node.tag == item:
            strings.append(text_content(node).replace("x005F_", ""))
            node.clear()
    return strings


def _book_from_openpyxl(path: Path | BytesIO) -> _Book:
    from openpyxl import load_workbook
    from openpyxl.cell.read_only import ReadOnlyCell

    with _openpyxl_quiet():
        workbook = load_workbook(path, read_only=True, data_only=True)
    sheets = workbook.worksheets

    def number_format(style: int) -> str:  # looked up when a cell has the style, as before
        return ReadOnlyCell(sheets[0], 1, 1, None, "n", style).number_format or "General"

    return _Book(
        archive=workbook._archive,
        sheets=[(sheet.title, sheet._worksheet_path) for sheet in sheets],
        shared_strings=sheets[0]._shared_strings if sheets else [],
        epoch=workbook.epoch,
        format=number_format,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )


def _refuse_old_formats(path: Path, file: str, content: bytes | None) -> None:
    """An OLE2 file named .xlsx: a password-protected workbook or an old .xls."""
    data = content
    if data is None:
        with path.open("rb") as handle:
            data = handle.read(len(_OLE2))
            if data == _OLE2:
                data += handle.read()
    if not data.startswith(_OLE2):
        return
    # Stream names in the container's directory are UTF-16LE.
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise unreadable(
            file,
            "工作簿受密码保护，无法读取。请在 Excel 中打开，"
            "文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码后保存，再重试",
            "the workbook is password-protected. Open it in Excel, remove the password "
            "(File → Info → Protect Workbook → Encrypt with Password, clear it), "
            "save and try again",
        )
    if "Workbook".encode("utf-16-le") in data or b"B\x00o\x00o\x00k\x00" in data:
        raise unreadable(
            file,
            "这是 Excel 97-2003 工作簿（.xls），不是 .xlsx。"
            "请在 Excel 中“另存为” Excel 工作簿（*.xlsx）后重试",
            "this is an Excel 97-2003 workbook (.xls), not .xlsx. "
            "Save it from Excel as an Excel Workbook (*.xlsx) and try again",
        )
    raise unreadable(
        file,
        "这是 Office 97-2003 格式的文件，不是 Excel 工作簿（.xlsx）",
        "this is an Office 97-2003 file, not an Excel workbook (.xlsx)",
    )


@contextmanager
def _openpyxl_quiet() -> Iterator[None]:
    """Silence openpyxl's own warnings (they print a site-packages path to the
    user); only gongfu's messages reach the user. Other warnings pass."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module=r"openpyxl(\.|$)")
        yield


def _chosen_sheet(book: _Book, file: str, problems: list[Problem]) -> Any:
    """The first sheet whose first rows hold the header; the first sheet if none does."""
    sheets = book.sheets
    for index, sheet in enumerate(sheets):
        # Problems stay with the sheet until it is chosen: a sheet passed over
        # (or read again below) must not report its cells.
        reader = _SheetReader(book, sheet[1], file, [])
        rows = reader.rows()
        seen = []
        for line, row in islice(rows, HEADER_SEARCH_ROWS):
            seen.append((line, row))
            if is_header(row):
                reader.header(row)
                if index > 0:
                    problems.append(
                        Problem(
                            "later-sheet-read",
                            file=file,
                            line=line,
                            params={"sheet": _short(sheet[0]), "skipped": index},
                        )
                    )
                problems.extend(reader.problems)
                reader.problems = problems
                yield from seen
                yield from rows
                return
        rows.close()
    if sheets:  # no header anywhere: read the first sheet, and missing-column follows
        yield from _SheetReader(book, sheets[0][1], file, problems).rows()


class _SheetReader:
    """One sheet's rows as cell text, with the problems its cells raise."""

    def __init__(self, book: _Book, part: str, file: str, problems: list[Problem]):
        self.book = book
        self.part = part
        self.file = file
        self.problems = problems
        self.columns: dict[str, int] = {}  # gongfu's column → index, once the header is known
        self._formats: dict[int, _Format] = {}

    def header(self, row: list[str]) -> None:
        """Learn which column is which, so later rows are checked by column."""
        for index, title in enumerate(row):
            name = column_of(title)
            if name is not None:
                self.columns.setdefault(name, index)

    def rows(self) -> Generator[tuple[int, list[str]], None, None]:
        for number, cells in self._raw_rows():
            row = self._row(number, cells)
            if any(cell.strip() for cell in row):
                yield number, row

    def _raw_rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """(row number, cell dicts) for the rows that exist, openpyxl kept quiet.

        Rows are parsed in batches inside the warnings filter, so the filter
        is never left in place while the caller runs."""
        from openpyxl.worksheet._reader import (
            FORMULA_TAG,
            INLINE_STRING,
            VALUE_TAG,
            WorkSheetParser,
        )

        class Parser(WorkSheetParser):  # type: ignore[misc]  # openpyxl is untyped
            def parse_cell(self, element):  # type: ignore[no-untyped-def]
                inline = element.find(INLINE_STRING) if element.get("t") == "inlineStr" else None
                if inline is not None:  # its text read here: see text_content
                    element.remove(inline)
                    cell = super().parse_cell(element)
                    cell["value"], cell["data_type"] = text_content(inline), "s"
                    return cell
                cell = super().parse_cell(element)
                # data_only gives None both for an empty cell and for a formula
                # saved without its result. The second has <f> and no value: no
                # <v>, or an empty one (openpyxl writes <v/>) unless the formula's
                # result is text, where Excel writes an empty "" result as <v></v>.
                if (
                    cell["value"] is None
                    and element.find(FORMULA_TAG) is not None
                    and (element.find(VALUE_TAG) is None or element.get("t") != "str")
                ):
                    cell["data_type"] = _NO_VALUE
                    cell["value"] = element.findtext(FORMULA_TAG) or ""
                return cell

        book = self.book
        with book.archive.open(self.part) as source:
            parser = Parser(
                source,
                book.shared_strings,
                data_only=True,
                epoch=book.epoch,
                date_formats=book.date_formats,
                timedelta_formats=book.timedelta_formats,
            )
            parsed = parser.parse()
            while True:
                batch: list[tuple[int, list[Cell]]] = []
                damage = None
                with _openpyxl_quiet():
                    try:
                        batch.extend(islice(parsed, 256))
                    except Exception as exc:
                        damage = exc  # raised once the rows before it are read
                yield from batch
                if damage is not None:
                    raise damage
                if not batch:
                    return

    def _row(self, number: int, cells: list[Cell]) -> list[str]:
        width = max((c["column"] for c in cells if c["column"] <= MAX_COLUMNS), default=0)
        row = [""] * width
        checked = bool(self.columns)
        formatted: list[tuple[Cell, _Format]] = []
        for cell in cells:
            column = cell["column"]
            value = cell["value"]
            if column > MAX_COLUMNS:
                if value is not None and str(value).strip():
                    self._add("cell-outside-table", number, cell, {"value": _short(str(value))})
                continue
            kind = cell["data_type"]
            if kind == _NO_VALUE:
                if checked and self._name(column) in _READ_COLUMNS:
                    self._add("formula-no-value", number, cell, {"formula": _short("=" + value)})
                continue
            if value is None:
                continue
            if kind == "n":
                shape = self._format(cell["style_id"])
                row[column - 1] = _number_text(value, shape)
                if checked and shape.questioned and self._name(column) in _FIGURE_COLUMNS:
                    formatted.append((cell, shape))
            else:
                row[column - 1] = _other_text(value)
        for cell, shape in formatted:
            self._check_format(number, cell, shape, row)
        return row

    def _check_format(self, number: int, cell: Cell, shape: _Format, row: list[str]) -> None:
        """Question a figure whose number format shows another number, or a unit
        the unit column does not give."""
        shown = _shown(cell["value"], shape)
        held = _number_text(cell["value"], shape)
        if shape.shift:
            self._add(
                "scaled-number-format",
                number,
                cell,
                {"shown": shown, "value": held, "format": _short(shape.code)},
            )
            return
        unit_index = self.columns.get("unit")
        unit = row[unit_index].strip() if unit_index is not None and unit_index < len(row) else ""
        if _unit_agrees(shape.unit, unit):
            return
        if unit:
            unit_zh = f"与单位列“{_short(unit)}”不一致"
            unit_en = f"which disagrees with the unit column ('{_short(unit)}')"
        else:
            unit_zh, unit_en = "而单位列为空", "and the unit column is empty"
        self._add(
            "unit-in-number-format",
            number,
            cell,
            {
                "shown": shown,
                "format_unit": shape.unit,
                "unit_zh": unit_zh,
                "unit_en": unit_en,
            },
        )

    def _name(self, column: int) -> str | None:
        for name, index in self.columns.items():
            if index == column - 1:
                return name
        return None

    def _format(self, style_id: int) -> _Format:
        shape = self._formats.get(style_id)
        if shape is None:
            shape = self._formats[style_id] = _number_format(self.book.format(style_id))
        return shape

    def _add(self, code: str, number: int, cell: Cell, params: dict[str, Any]) -> None:
        from openpyxl.utils import get_column_letter

        reference = f"{get_column_letter(cell['column'])}{number}"
        name = self._name(cell["column"])
        self.problems.append(
            Problem(
                code,
                file=self.file,
                line=number,
                column=COLUMN_LABEL.get(name or "", reference),
                params={"cell": reference, **params},
            )
        )


# ---------------------------------------------------------------------------
# Number formats: what Excel shows beside what the cell holds


@dataclass(frozen=True)
class _Format:
    """What a number format does to the number it shows."""

    code: str
    percent: int  # real % signs: each shows the number times 100
    shift: int  # powers of ten the shown number is divided by (0,, and 0!.0 tricks)
    decimals: int  # decimals shown, a literal dot's included
    unit: str  # literal text shown after the number, e.g. 万元 in 0.0"万元"
    literal_percent: bool  # 0.0"%" or 0.0\%: a % shown, not a percent format
    prefix: str = ""  # literal text shown before it (增长 in "增长"0.0"%"): no unit

    @property
    def questioned(self) -> bool:
        """Whether the figure's cell shows something gongfu must not guess at."""
        return bool(self.shift) or _is_unit(self.unit)


# A format code's tokens: "quoted text", \x and !x (one literal character), _x
# (a space as wide as x), *x (x repeated to fill), [..] (colour, condition,
# locale, currency), or any single character.
_TOKEN = re.compile(r'"[^"]*"?|[\\!_*].?|\[[^\]]*\]?|.', re.DOTALL)
_DIGITS = frozenset("0#?")
# Chinese counting words and signs that change a number's size when shown after it.
_MAGNITUDES = frozenset("十百千万亿%％‰")
_NOT_UNIT = " \u3000()（）-+:/.,，。$¥￥"


@lru_cache(maxsize=256)
def _number_format(code: str) -> _Format:
    """Read a number format code the way Excel applies it to a positive number."""
    section = _first_section(code)
    if section.casefold() in ("general", "@", ""):
        return _Format(code, 0, 0, 0, "", False)
    tokens = _TOKEN.findall(section)
    kinds: list[str] = []  # digit, point, comma, percent, literal
    texts: list[str] = []
    for token in tokens:
        first = token[0]
        if first == '"':
            kinds.append("literal")
            texts.append(token.strip('"'))
        elif first in "\\!":
            kinds.append("literal")
            texts.append(token[1:])
        elif first in "_*[":
            continue  # spacing, fill, colour/condition/locale: nothing shown as text
        elif first in _DIGITS:
            kinds.append("digit")
            texts.append("")
        elif first == "." and "point" not in kinds:
            kinds.append("point")
            texts.append("")
        elif first == ",":
            kinds.append("comma")
            texts.append("")
        elif first == "%":
            kinds.append("percent")
            texts.append("")
        elif first in "eE" and "digit" in kinds:
            kinds.append("exponent")
            texts.append("")
        else:
            kinds.append("literal")
            texts.append(token)
    last_digit = max((i for i, k in enumerate(kinds) if k in ("digit", "point")), default=-1)
    point = kinds.index("point") if "point" in kinds else last_digit + 1
    # A comma after the last digit placeholder divides by 1000 (#,##0, shows thousands).
    scaling_commas = sum(1 for i, k in enumerate(kinds) if k == "comma" and i > last_digit)
    # A literal dot among the whole-number digits (0!.0 or 0"."0) shows the
    # last digits as if they were decimals: 123 as 12.3.
    shift = 0
    unit_parts, prefix_parts = [], []
    first_digit = next((i for i, k in enumerate(kinds) if k == "digit"), len(kinds))
    for i, (kind, text) in enumerate(zip(kinds, texts, strict=True)):
        if kind != "literal":
            continue
        between_digits = any(k == "digit" for k in kinds[:i]) and i < point
        if between_digits and text in (".", "．"):
            shift = sum(1 for k in kinds[i:point] if k == "digit")
        elif i < first_digit:
            prefix_parts.append(text)  # 增长8.8%: words before a figure are not its unit
        elif not between_digits or i > last_digit:
            unit_parts.append(text)
    decimals = sum(1 for k in kinds[point:] if k == "digit") + shift
    shown_text = "".join(unit_parts).strip(_NOT_UNIT)
    literal_percent = shown_text in ("%", "％")
    return _Format(
        code=code,
        percent=kinds.count("percent"),
        shift=3 * scaling_commas + shift,
        decimals=decimals,
        unit="" if literal_percent else shown_text,
        literal_percent=literal_percent,
        prefix="".join(prefix_parts),
    )


def _first_section(code: str) -> str:
    """The section for positive numbers: format codes are positive;negative;zero;text."""
    taken = []
    for token in _TOKEN.findall(code):
        if token == ";":
            break
        taken.append(token)
    return "".join(taken)


def _is_unit(text: str) -> bool:
    """Whether literal text in a format names a unit that changes a figure's size
    (万元, 亿元, 元, 人, %), as opposed to a counting word such as 个 or 名."""
    if not text:
        return False
    return normalise(text) in UNIT_SCALES or any(c in _MAGNITUDES for c in text)


def _unit_agrees(format_unit: str, unit: str) -> bool:
    """The unit column says what the format shows: 万元 for 0.0"万元", 万元 for 0"万"."""
    shown, given = normalise(format_unit), normalise(unit)
    if not given:
        return False
    return shown == given or (all(c in _MAGNITUDES for c in shown) and given.startswith(shown))


def _number_text(value: int | float, shape: _Format) -> str:
    """A number as the figure the analyst typed: what the cell holds, 15 digits
    as Excel shows them, times 100 with a % for a percent format."""
    exact = Decimal(value) if isinstance(value, int) else Decimal(f"{value:.{_SIGNIFICANT}g}")
    if shape.percent:
        # A cell formatted as 97.2% holds 0.972; the analyst typed 97.2%.
        return _decimal_text(exact.scaleb(2 * shape.percent)) + "%"
    return _decimal_text(exact) + ("%" if shape.literal_percent else "")


def _decimal_text(number: Decimal) -> str:
    if not number.is_finite():
        return str(number)  # 1E+999 in the XML: actuals refuses it as a number
    text = format(number.normalize(), "f") if abs(number.adjusted()) < 20 else f"{number:e}"
    return "0" if text == "-0" else text


def _shown(value: int | float, shape: _Format) -> str:
    """Roughly what Excel shows for a scaled format, for the message (66.0亿)."""
    number = Decimal(f"{value:.{_SIGNIFICANT}g}").scaleb(2 * shape.percent - shape.shift)
    text = f"{number:.{shape.decimals}f}" if abs(number.adjusted()) < 20 else f"{number:e}"
    suffix = "%" * shape.percent + (shape.unit or ("%" if shape.literal_percent else ""))
    return shape.prefix + text + suffix


def _other_text(value: object) -> str:
    """Text, dates, booleans and Excel errors (#DIV/0!, #N/A) as Excel shows them."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"  # Excel's words, in Chinese Excel too
    if isinstance(value, datetime):
        if value.time() != time(0):
            return value.strftime("%Y-%m-%d %H:%M")
        value = value.date()
    if isinstance(value, date):
        # A month typed into a period cell (2025-06, 2025年6月) becomes its first day.
        return value.strftime("%Y-%m") if value.day == 1 else value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


_CONTROL = re.compile("[\x00-\x1f\x7f]")


def _short(text: str) -> str:
    text = _CONTROL.sub(" ", text).strip()
    return text if len(text) <= 40 else text[:40] + "…"
