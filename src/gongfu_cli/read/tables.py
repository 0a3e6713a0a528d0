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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from gongfu_cli.model.problems import GongfuError, Problem, access_problem, unreadable
from gongfu_cli.model.text import shorten
from gongfu_cli.read.columns import (
    COLUMN_ALIASES,
    COLUMN_LABEL,
    FIGURE_COLUMNS,
    ID_TITLES,
    MAX_CELL,
    REQUIRED_COLUMNS,
    UNREAD_COLUMNS,
    column_of,
    is_header,
    title_key,
)
from gongfu_cli.read.files import SUPPORTED_SUFFIXES


@dataclass
class RawTable:
    """A file as a table. `problems` fills up while `rows` is read: located
    problems found below the row level (an Excel cell's format, a formula with
    no value, a quote never closed). A row with an error among them is read as
    invalid, not dropped."""

    header: list[str]
    header_line: int
    rows: Iterator[tuple[int, list[str]]]
    encoding: str | None
    problems: list[Problem] = field(default_factory=list)
    # What the file says of itself outside the table (its 填报单位); a block below
    # the rows is known only once `rows` has been read.
    block: Block = field(default_factory=lambda: Block())

    @property
    def sender(self) -> str | None:
        return self.block.sender


# Spreadsheet formats people save by mistake: each gets its own advice.
OTHER_WORKBOOKS = {
    ".xls": ("这是 Excel 97-2003 工作簿（.xls）", "this is an Excel 97-2003 workbook (.xls)"),
    ".et": ("这是 WPS 表格文件（.et）", "this is a WPS spreadsheet (.et)"),
    ".ett": ("这是 WPS 表格模板（.ett）", "this is a WPS spreadsheet template (.ett)"),
    ".numbers": ("这是 Apple Numbers 文件（.numbers）", "this is an Apple Numbers file (.numbers)"),
    ".xlsb": ("这是 Excel 二进制工作簿（.xlsb）", "this is an Excel binary workbook (.xlsb)"),
    ".ods": ("这是 OpenDocument 表格（.ods）", "this is an OpenDocument spreadsheet (.ods)"),
}
# The first bytes of an OLE2 compound file (.xls, .et): one renamed to .csv is told
# apart here; workbook.py reads the ones named .xlsx (old format or password-protected).
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_raw(path: Path, content: bytes | None = None) -> RawTable:
    """Open a .csv or .xlsx file and find its header; GongfuError if it is not a table.

    `content` is the file's bytes when the caller has read them (actuals.RecentFiles):
    the table is then read from them, and the file is not opened again."""
    file = str(path)
    suffix = path.suffix.lower()
    if suffix in OTHER_WORKBOOKS:
        kind_zh, kind_en = OTHER_WORKBOOKS[suffix]
        if _starts_with(path, b"PK\x03\x04"):  # a zip: an .xlsx given another suffix
            kind_zh = f"这其实是 .xlsx 工作簿，只是扩展名为 {suffix}；把扩展名改回 .xlsx 即可"
            kind_en = f"this is really an .xlsx workbook named {suffix}; rename it to .xlsx"
        raise _other_workbook(file, kind_zh, kind_en)
    if suffix not in SUPPORTED_SUFFIXES:
        raise GongfuError([Problem("unsupported-file", file=file, params={"suffix": suffix})])
    problems: list[Problem] = []
    titles: list[str] = []  # the header, once found: names the column of an unclosed quote
    try:
        if suffix == ".xlsx":  # workbook.py tells a password from an old .xls itself
            from gongfu_cli.read.workbook import xlsx_rows

            rows, encoding = xlsx_rows(path, problems, content), None
        else:
            data = path.read_bytes() if content is None else content
            rows, encoding = _csv_table(data, file, problems, titles)
        block = Block()
        found = _find_header(rows, file, problems, block)
    except GongfuError:
        raise
    except FileNotFoundError as exc:
        raise GongfuError([access_problem(path, exc)]) from None
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
    if found is None:
        raise GongfuError([Problem("empty-file", file=file)])
    header_line, header, rows = found
    titles[:] = header
    for problem in problems:  # an unclosed quote found while the header was looked for
        if problem.code == "unclosed-quote" and problem.column is None:
            problem.column = _column_title(titles, problem.params["column_number"] - 1)
    return RawTable(header, header_line, rows, encoding, problems, block)


def _starts_with(path: Path, magic: bytes) -> bool:
    try:
        with path.open("rb") as opened:
            return opened.read(len(magic)) == magic
    except OSError:
        return False


def _other_workbook(file: str, kind_zh: str, kind_en: str) -> GongfuError:
    params = {"kind_zh": kind_zh, "kind_en": kind_en}
    return GongfuError([Problem("unsupported-workbook", file=file, params=params)])


def _csv_table(
    data: bytes, file: str, problems: list[Problem], titles: list[str]
) -> tuple[Iterator[tuple[int, list[str]]], str]:
    """A CSV file's rows and encoding: decoded, its delimiter found, `sep=` honoured."""
    if not data.strip():
        raise GongfuError([Problem("empty-file", file=file)])
    if data.startswith(_OLE2):
        raise _other_workbook(
            file,
            "文件内容是旧版 Excel 或 WPS 工作簿（.xls），只是扩展名为 .csv",
            "the file holds an old Excel or WPS workbook (.xls) renamed to .csv",
        )
    if b"\x00" in data[:4096] and not data.startswith(_WIDE_BOMS):
        hint = "，可能是改了扩展名的 Excel 文件" if data.startswith(b"PK") else ""
        raise unreadable(
            file,
            "文件含有二进制内容，不是文本表格" + hint,
            "the file holds binary data, not a text table"
            + (" (perhaps an Excel file renamed to .csv)" if hint else ""),
        )
    try:
        text, encoding = decode(data)
    except EncodingTrouble as trouble:
        raise GongfuError(
            [Problem(trouble.code, file=file, line=trouble.line, params=trouble.params)]
        ) from None
    offset, line = 0, 1
    eol = _EOL.search(text)
    sep_line = _SEP_LINE.fullmatch(text, 0, eol.start() if eol else len(text))
    if sep_line:  # Excel's `sep=;` first line names the delimiter and is not a row
        delimiter = sep_line.group(1)
        offset, line = (eol.end() if eol else len(text)), 2
    else:
        delimiter = _delimiter(text)
    return _csv_rows(text, file, delimiter, offset, line, problems, titles), encoding


# ---------------------------------------------------------------------------
# Encodings


class EncodingTrouble(ValueError):
    """Bytes that are not passed on as text: the problem code, its line and params.
    args[0] is the line."""

    def __init__(self, line: int, code: str = "encoding-error", **params: object):
        super().__init__(line)
        self.line = line
        self.code = code
        self.params: dict[str, object] = {"line": line, **params}


# A BOM is decisive, the UTF-32 ones first: UTF-32-LE's FF FE 00 00 begins with
# UTF-16-LE's FF FE. Without one, strict UTF-8 comes first: GBK/GB18030 bytes
# almost never form valid UTF-8, while UTF-8 text often *is* valid GB18030
# (as mojibake). GB18030 is a superset of GBK and GB2312, so one try covers
# all three. Anything left is an encoding problem, never a guess.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE_BOMS = (codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _cp936_euro(exc: UnicodeError) -> tuple[str, int]:
    """Excel on Chinese Windows (code page 936) writes € as the lone byte 0x80,
    which GB18030 lacks: read it as €; any other undecodable byte stays an error."""
    if isinstance(exc, UnicodeDecodeError) and exc.object[exc.start] == 0x80:
        return "€", exc.start + 1
    raise exc


codecs.register_error("gongfu-cp936-euro", _cp936_euro)

# Control characters (ESC …) decode as themselves in every encoding read here, so
# they say nothing about the encoding: they are read as in UTF-8 files and shown
# escaped wherever they are printed. NUL is the trace of a wider encoding.
_NOT_TEXT = re.compile("[\x00\ue000-\uf8ff\U000f0000-\U0010ffff]")


def decode(data: bytes) -> tuple[str, str]:
    """Decode by the fixed policy; returns (text, encoding name) or raises
    EncodingTrouble (a ValueError) with the line and the problem's code."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                before = data[: exc.start].decode(name, errors="replace")
                raise EncodingTrouble(_line_at(before, len(before))) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _gb18030(data), "gb18030"
    if text.isascii() or max(text) >= "\u0800" or not _GBK_AS_UTF8.search(text):
        return text, "utf-8"
    try:  # valid UTF-8, but as GBK it is Chinese: 准 is D7 BC, UTF-8 for Hebrew ׼
        return _gb18030(data), "gb18030"
    except EncodingTrouble:
        return text, "utf-8"


# Some GBK hanzi are valid UTF-8 too, as two-byte characters (准 D7 BC → ׼): an
# English-header GBK file whose only Chinese is a one-character note reads as
# UTF-8 one time in seven (tests/test_tables.py). UTF-8 text with no character
# from U+0800 up (so no Chinese) that holds a script no Chinese statistics file
# does (accented Latin, Cyrillic, Hebrew, Arabic, Greek but the letters of
# formulas and units …) is read as GB18030 when that reads cleanly. Latin-1's
# symbols (° ± · ² ¥ × ÷) and μ α Δ Σ are left as UTF-8: 路 C2 B7 and · stay
# ambiguous, and such a file reads as UTF-8.
_GBK_AS_UTF8 = re.compile("(?![×÷αβγδΔΣσμπχΩω])[\u00c0-\u07ff]")


def _gb18030(data: bytes) -> str:
    """GBK/GB18030 text, or EncodingTrouble: mixed, foreign or undecodable."""
    try:
        text = data.decode("gb18030", errors="gongfu-cp936-euro")
    except UnicodeDecodeError as exc:
        line = _byte_line(data, exc.start)
        raise (_utf8_on_line(data, line) or EncodingTrouble(line)) from None
    trouble = _foreign(data, text) or _utf8_mojibake(data, text)
    if trouble:
        raise trouble
    # GB18030 maps every 4-byte sequence somewhere; text from another encoding
    # shows up as private-use or control characters. Refuse rather than pass it on.
    suspicious = _NOT_TEXT.search(text)
    if suspicious:
        line = _line_at(text, suspicious.start())
        raise _utf8_on_line(data, line) or EncodingTrouble(line)
    return text


def _line_at(text: str, pos: int) -> int:
    """The 1-based line of text[pos], lines ending in CRLF, LF or a lone CR."""
    return text.count("\n", 0, pos) + text.count("\r", 0, pos) - text.count("\r\n", 0, pos) + 1


def _byte_line(data: bytes, pos: int) -> int:
    # CR and LF bytes never occur inside a GB18030 character.
    return data.count(b"\n", 0, pos) + data.count(b"\r", 0, pos) - data.count(b"\r\n", 0, pos) + 1


# A GBK file with one cell typed or pasted as UTF-8: the UTF-8 bytes of Chinese
# text usually also decode as GB18030, as mojibake (按统计局口径 → 鎸夌粺璁″眬鍙ｅ緞).
# Within a run of non-ASCII characters, UTF-8 hanzi bytes that begin on one of
# its characters and hold at least MOJIBAKE_HANZI hanzi are taken for such
# mojibake. Genuine GBK text almost never looks so: it would need a rare
# level-2 hanzi (lead byte E4-E9) followed by the right symbols and hanzi
# (tests/test_tables.py measures it on the plan's own text). The byte pattern
# over the whole file is a cheap first filter.
MOJIBAKE_HANZI = 2
_UTF8_HANZI_BYTES = re.compile(rb"(?:[\xe4-\xe9][\x80-\xbf]{2}){2,}")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")


def _utf8_mojibake(data: bytes, text: str) -> EncodingTrouble | None:
    shortest = 3 * MOJIBAKE_HANZI
    if not any(len(m.group()) >= shortest for m in _UTF8_HANZI_BYTES.finditer(data)):
        return None
    # The run's bytes again, with € as the lone byte 0x80 it was read from (a
    # UTF-8 hanzi such as 局 E5 B1 80 may end in it) when the file has no other €.
    euro = b"\x80" if text.count("€") > data.count("€".encode("gb18030")) else None
    for run in _NON_ASCII_RUN.finditer(text):
        if euro and "€" in run.group():
            raw = euro.join(part.encode("gb18030") for part in run.group().split("€"))
        else:
            raw = run.group().encode("gb18030")
        for found in _UTF8_HANZI_BYTES.finditer(raw):
            if len(found.group()) < shortest:
                continue
            try:  # only on a character boundary: a prefix cut inside a character fails
                raw[: found.start()].decode("gb18030")
            except UnicodeDecodeError:
                continue
            return _mixed(_line_at(text, run.start()), found.group().decode("utf-8"))
    return None


_EOL_BYTES = re.compile(rb"\r\n?|\n")


def _utf8_on_line(data: bytes, line: int) -> EncodingTrouble | None:
    """A GBK file that GB18030 cannot read on `line` because of UTF-8 text there."""
    found = _UTF8_HANZI_BYTES.search(_EOL_BYTES.split(data, maxsplit=line)[line - 1])
    return _mixed(line, found.group().decode("utf-8")) if found else None


def _mixed(line: int, original: str) -> EncodingTrouble:
    return EncodingTrouble(line, "mixed-encoding", sample=shorten(original))


# Excel on Japanese or Korean Windows writes Shift-JIS (cp932) or EUC-KR (cp949),
# whose bytes mostly decode as GB18030 too, as nonsense hanzi. Each is told by
# what its own decoding shows and what a Chinese GBK file cannot:
# - Shift-JIS: kana (GB2312 text never holds the bytes 0x81-0x83 kana need), or
#   mostly hanzi outside GB2312 (Japanese kanji land in GBK's rare-character
#   rows, where a simplified-Chinese file seldom goes).
# - EUC-KR: at least FOREIGN_MIN hangul, 90% or more of its non-ASCII
#   characters, and Korean's everyday syllables (particles, endings, common
#   words) among them. Hangul shares its bytes with GB2312's hanzi 啊…座, so about
#   half of Chinese text decodes as hangul too: a short Chinese note is often all
#   "hangul" (按统计局口径 → 객固셕애왯쓺), but random syllables, only one in twenty
#   of them an everyday one, where Korean text is two in five or more.
#   tests/test_tables.py measures both on the plan's own text.
FOREIGN_MIN = 4
_KANA = re.compile("[\u3041-\u3096\u30a1-\u30fa]")
_HANGUL = re.compile("[\uac00-\ud7a3]")
_KOREAN_EVERYDAY = frozenset(
    "이다는의에하고을를가지로리사자한대서도어수정나시인일아전보적부해들상소주제구장국과있요"
    "스게위원여성동우라조문경회관신공화유만비면용으내무그학연생물방계개간실행본발출분금통모"
    "것했및년월명세중은와증감액량률율치표단준청"
)
_FOREIGN = (
    ("cp932", _KANA, "日文（Shift-JIS）", "Japanese (Shift-JIS)"),
    ("cp949", _HANGUL, "韩文（EUC-KR）", "Korean (EUC-KR)"),
)


# How much of a file the Japanese/Korean test reads: an encoding is the whole
# file's, and decoding a 100 MB file twice more would cost several times its size.
FOREIGN_SAMPLE = 256 * 1024


def _foreign(data: bytes, text: str) -> EncodingTrouble | None:
    if len(data) > FOREIGN_SAMPLE:
        cut = max(data.rfind(b"\n", 0, FOREIGN_SAMPLE), 0) or FOREIGN_SAMPLE
        data = data[:cut]
        text = data.decode("gb18030", errors="replace")
    ascii_count = len(text.encode("ascii", errors="ignore"))
    non_ascii = len(text) - ascii_count
    if non_ascii < 2:
        return None
    in_gb2312 = (len(text.encode("gb2312", errors="ignore")) - ascii_count) // 2
    rare = non_ascii - in_gb2312
    for codec, script, name_zh, name_en in _FOREIGN:
        try:
            other = data.decode(codec)
        except UnicodeDecodeError:
            continue
        letters = script.findall(other)
        if codec == "cp932":
            found = len(letters) >= 2 or (rare >= FOREIGN_MIN and rare >= 0.5 * non_ascii)
        else:
            other_non_ascii = len(other) - len(other.encode("ascii", errors="ignore"))
            everyday = sum(1 for letter in letters if letter in _KOREAN_EVERYDAY)
            found = (
                len(letters) >= FOREIGN_MIN
                and len(letters) >= 0.9 * other_non_ascii
                and everyday >= max(3, 0.4 * len(letters))
            )
        if found:
            first = script.search(other) or re.search("[^\x00-\x7f]", other)
            pos = first.start() if first else 0
            line = _line_at(other, pos)
            start = max(other.rfind("\n", 0, pos), other.rfind("\r", 0, pos)) + 1
            sample = shorten(other[start : pos + 40].splitlines()[0])
            return EncodingTrouble(
                line, "foreign-encoding", encoding_zh=name_zh, encoding_en=name_en, sample=sample
            )
    return None


# ---------------------------------------------------------------------------
# CSV: text → rows with the line each starts on

_EOL = re.compile(r"\r\n?|\n")
# Excel's hint line: `sep=;` says the delimiter and is no row of the table.
_SEP_LINE = re.compile(r'"?sep=([,;\t|])"?[,;\t| ]*')
DELIMITERS = (",", "\t", ";")
# A line longer than this keeps its two ends and, from its middle, only what the
# csv module's quote state depends on (see _squeeze). No cell gongfu accepts is
# longer than MAX_CELL, so a giant cell stays giant enough to be reported, while
# the csv module (which buffers a cell at four bytes a character) never holds
# 200 MB for a 50 MB cell.
MAX_LINE = 65_536
# A quoted cell is a note: one running on over this many lines is a quote never closed.
MAX_CELL_LINES = 1_000
# 1,234 in a note is a number, not two cells.
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def _delimiter(text: str) -> str:
    """The delimiter under which the first lines hold gongfu's header (the one
    naming most of its columns); without a header, the one the first line uses
    most, so that missing-column and extra-column name the file's own titles."""
    head: list[str] = []
    pos = 0
    while pos < len(text) and len(head) < 20:
        eol = _EOL.search(text, pos)
        end, after = (eol.start(), eol.end()) if eol else (len(text), len(text))
        head.append(text[pos : min(end, pos + MAX_LINE)])
        pos = after
    best, best_score = ",", 0
    joined = "\n".join(head)
    for delimiter in DELIMITERS:
        if best_score and delimiter not in joined:
            continue  # one cell a row names at most one column: no more than `best` does
        try:
            rows = list(csv.reader(head, delimiter=delimiter, strict=False))
        except csv.Error:
            continue
        score = max(
            (len({column_of(cell) for cell in row} - {None}) for row in rows if is_header(row)),
            default=0,
        )
        if score > best_score:
            best, best_score = delimiter, score
    if best_score:
        return best
    first_line = next((line for line in head if line.strip()), "")
    return max(DELIMITERS, key=first_line.count)  # the most used; a tie goes to comma


class _OpenQuote(Exception):
    """Raised through the csv module: the quoted cell being read is no note, its
    quote was never closed (it runs into row-like lines, past MAX_CELL_LINES, or
    to the end of the file)."""


class _TooManyCells(Exception):
    """A giant line whose middle is made of delimiters and quotes: no table row."""


def _squeeze_run(run: str, delimiter: str) -> str:
    # As csv's state machine sees them, two delimiters do what one does, and a
    # run of quotes does what one (odd count) or two (even count) do.
    run = re.sub('"+', lambda m: '"' if len(m.group()) % 2 else '""', run)
    return re.sub(re.escape(delimiter) + "+", lambda m: delimiter, run)


class _CsvLines:
    """The text's lines, from `offset` on, as the csv module reads them.

    Each line ends in "\\n" whatever the file used (CRLF, LF, or a lone CR as
    Excel for Mac writes). A giant line is squeezed in its middle. The lines of
    the row being read are kept until the row is done, so that a quote never
    closed can be found and undone: a line asked for while a row is still open
    lies inside a quoted cell, and one that splits into cells is a row, not a note.
    """

    def __init__(self, text: str, offset: int, line: int, delimiter: str, widest: int):
        self.text = text
        self.pos = offset
        self.next_line = line
        self.delimiter = delimiter
        self.structure = re.compile('["' + re.escape(delimiter) + "]+")
        self.widest = widest
        self.row_start = line
        self.row_lines: list[str] = []
        self.row_offsets: list[int] = []  # where each line of the open row starts
        self.row_chars = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def row_done(self) -> None:
        self.row_start = self.next_line
        self.row_lines, self.row_offsets, self.row_chars = [], [], 0

    def __next__(self) -> str:
        text, pos = self.text, self.pos
        in_cell = bool(self.row_lines)
        if pos >= len(text):
            if in_cell:
                self.row_offsets.append(pos)
                raise _OpenQuote
            raise StopIteration
        eol = _EOL.search(text, pos)
        end, after = (eol.start(), eol.end()) if eol else (len(text), len(text))
        if in_cell and (len(self.row_lines) >= MAX_CELL_LINES or self._row_like(pos, end)):
            self.row_offsets.append(pos)
            raise _OpenQuote
        if end - pos > MAX_LINE:
            half = MAX_LINE // 2
            middle = self._squeeze(pos + half, end - half)
            line = text[pos : pos + half] + middle + text[end - half : end] + "\n"
        elif in_cell and self.row_chars > MAX_LINE:
            line = self._squeeze(pos, end) + "\n"  # a long note: keep its structure only
        elif eol is None or text[end] == "\n":
            line = text[pos:after]
        else:
            line = text[pos:end] + "\n"
        self.row_offsets.append(pos)
        self.row_lines.append(line)
        self.row_chars += len(line)
        self.pos = after
        self.next_line += 1
        return line

    def _row_like(self, start: int, end: int) -> bool:
        """Whether the line in text[start:end], read inside a quoted cell, holds
        cells: as many delimiters (before a quote that may close the cell) as a
        row of this file has (two for a table of three or more columns),
        thousands separators aside."""
        text = self.text
        quote = text.find('"', start, end)
        # A quote that could close the cell ends it (a note's last line, `…",`);
        # one followed by other text opens a cell of a new row (`"新增就业岗位",5`).
        closes = quote != -1 and (quote + 1 == end or text[quote + 1] in ('"', self.delimiter))
        stop = quote if closes else end
        count = text.count(self.delimiter, start, stop)
        if self.delimiter == ",":
            count -= len(_THOUSANDS.findall(text, start, stop))
        return count >= (min(2, self.widest - 1) if self.widest >= 2 else 2)

    def _squeeze(self, start: int, stop: int) -> str:
        """text[start:stop] cut to what decides the csv state: each run of other
        characters becomes its first character, runs of delimiters and quotes are
        shortened as _squeeze_run says. Whatever the state before it, the state
        after it is the original's, so no later row is lost; cells only shrink."""
        text, pieces, pos = self.text, [], start
        for count, match in enumerate(self.structure.finditer(text, start, stop)):
            if count > MAX_LINE:
                raise _TooManyCells
            if match.start() > pos:
                pieces.append(text[pos])
            pieces.append(_squeeze_run(match.group(), self.delimiter))
            pos = match.end()
        if pos < stop:
            pieces.append(text[pos])
        return "".join(pieces)

    def open_quote(self) -> tuple[int, int, list[str], int, int]:
        """The open row undone: (line the quote opened on, its column index, the
        row read with that quote as a plain character, line and offset to read on from)."""
        cells = next(csv.reader(self.row_lines, delimiter=self.delimiter, strict=False), [""])
        index = max(len(cells) - 1, 0)
        opened = self.row_start + sum(cell.count("\n") for cell in cells[:index])
        opened = min(opened, self.row_start + len(self.row_lines) - 1)
        first = cells[index].split("\n", 1)[0] if cells else ""
        row = cells[:index] + ('"' + first).split(self.delimiter)
        restart = opened + 1
        return opened, index, row, restart, self.row_offsets[restart - self.row_start]


def _csv_rows(
    text: str,
    file: str,
    delimiter: str,
    offset: int,
    line: int,
    problems: list[Problem],
    titles: list[str],
) -> Iterator[tuple[int, list[str]]]:
    """Rows with the 1-based line each starts on (quoted cells may span lines).

    A quote never closed is an unclosed-quote error on its row; that row is read
    up to the end of the quote's line and reading goes on from the next line, so
    the rows the quote would have swallowed are read as rows."""
    csv.field_size_limit(2**31 - 1)  # a huge cell is reported as a bad value, not a crash
    widest = 0
    while True:
        lines = _CsvLines(text, offset, line, delimiter, widest)
        reader = csv.reader(lines, delimiter=delimiter, strict=False)
        try:
            for row in reader:
                start = lines.row_start
                lines.row_done()
                widest = lines.widest = max(widest, len(row))
                yield start, row
            return
        except _OpenQuote:
            start = lines.row_start
            opened, index, row, line, offset = lines.open_quote()
        except _TooManyCells:
            start = lines.next_line
            raise unreadable(
                file,
                f"第 {start} 行超长且几乎全是分隔符或引号，不是数据行",
                f"line {start} is huge and made almost only of delimiters or quotes",
                line=start,
            ) from None
        except csv.Error as exc:
            start = lines.row_start
            raise unreadable(
                file,
                f"第 {start} 行的 CSV 格式有误",
                f"malformed CSV at line {start}",
                str(exc),
                start,
            ) from None
        problems.append(
            Problem(
                "unclosed-quote",
                file=file,
                line=start,
                column=_column_title(titles, index),
                params={"line": opened, "column_number": index + 1},
            )
        )
        yield start, row


def _column_title(titles: list[str], index: int) -> str | None:
    title = titles[index].strip() if index < len(titles) else ""
    return shorten(title) or None


# ---------------------------------------------------------------------------
# The 填报单位 block: who sent the file, in the lines above the header

# Labels of the block forms carry (填报单位：县民社局  填报人：  联系电话：). Only the
# submitting unit is read; the others are known so that their lines are no rows.
SENDER_LABELS = ("填报单位", "报送单位", "unit_name", "reporter")
_OTHER_LABELS = ("填报人", "填表人", "联系人", "联系电话", "电话", "填报日期", "填表日期")
_BLOCK_LABELS = SENDER_LABELS + _OTHER_LABELS
# A label, perhaps with a remark in brackets (填报单位（盖章）), then a colon, a space
# or the end of the cell: 填报单位须知 is a title, not a label.
_BLOCK_LABEL = re.compile(
    "(" + "|".join(_BLOCK_LABELS) + r")(?:\s*[（(][^）)]{0,10}[）)])?(?:\s*[:：]|\s+|$)",
    re.IGNORECASE,
)
_SENDER_KEYS = frozenset(label.casefold() for label in SENDER_LABELS)


@dataclass
class Block:
    """What a file says of itself outside its table: the submitting unit, if any."""

    sender: str | None = None

    def read(self, row: list[str]) -> bool:
        """Whether the row is a line of the block (a cell starts with a label);
        the first 填报单位 with a value becomes the sender."""
        fields = _block_fields(row)
        if fields is None:
            return False
        if self.sender is None:
            found = next((v for k, v in fields.items() if k in _SENDER_KEYS and v), None)
            self.sender = shorten(found) if found else None
        return True


def _block_fields(row: list[str]) -> dict[str, str] | None:
    """label → value for a line of the block (`填报单位：县民社局`, or the label in
    one cell and the value in the next), or None when no cell starts with a label.
    Text before the first label (a title beside the block) is not read."""
    cells = [cell.strip()[:MAX_CELL] for cell in row if cell.strip()]
    if not any(_BLOCK_LABEL.match(cell) for cell in cells):
        return None
    fields: dict[str, str] = {}
    label: str | None = None
    for cell in cells:
        matches = list(_BLOCK_LABEL.finditer(cell))
        before = cell[: matches[0].start() if matches else len(cell)].strip()
        if before and label is not None and not fields[label]:
            fields[label] = before  # the value in the cell after its label
        for k, match in enumerate(matches):
            end = matches[k + 1].start() if k + 1 < len(matches) else len(cell)
            label = match.group(1).casefold()
            fields.setdefault(label, cell[match.end() : end].strip())
    return fields


# ---------------------------------------------------------------------------
# The header: found among the first rows, below any title rows

HEADER_SEARCH = 20
_EXCEL_ERROR = re.compile(
    r"#(?:N/A|REF!|VALUE!|DIV/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)", re.IGNORECASE
)


def _filled(row: list[str]) -> int:
    return sum(1 for cell in row if cell.strip())


def _is_comment(row: list[str]) -> bool:
    """A row whose first cell starts with # (Excel's #N/A and other error values aside)."""
    first = row[0].strip() if row else ""
    return first.startswith("#") and not _EXCEL_ERROR.match(first)


def _skipped(file: str, line: int, row: list[str], comment: bool) -> Problem:
    reason_zh, reason_en = (
        ("以 # 开头的注释行", "a comment line starting with #")
        if comment
        else ("位于表头之前，不是标题", "above the header, and not a title")
    )
    text = ",".join(cell.strip() for cell in row if cell.strip())
    params = {"text": shorten(text), "reason_zh": reason_zh, "reason_en": reason_en}
    return Problem("skipped-row", file=file, line=line, params=params)


def _find_header(
    rows: Iterable[tuple[int, list[str]]], file: str, problems: list[Problem], block: Block
) -> tuple[int, list[str], Iterator[tuple[int, list[str]]]] | None:
    """(header line, header, the rows below it), or None when there is no row.

    The header is the first row among the first HEADER_SEARCH filled rows that
    names an indicator column and a figure column (is_header); rows above it are
    titles (one filled cell: read past quietly), the 填报单位/填报人/联系电话 block
    (read into `block`, quietly), or reported as skipped-row. A row
    under the header with an empty indicator cell that names columns, or sits
    under a merged title, completes a two-row header. Without a header the first
    row stands for it, so that map_header names what is missing.
    """
    iterator = iter(rows)
    head: list[tuple[int, list[str]]] = []
    for line, row in iterator:
        if _filled(row):
            head.append((line, row))
            if len(head) > HEADER_SEARCH:
                break
    filled = [(k, line, row) for k, (line, row) in enumerate(head) if not _is_comment(row)]
    if not filled:
        return None
    for position, (k, line, row) in enumerate(filled):
        below = filled[position + 1] if position + 1 < len(filled) else None
        header, taken, found = row, k + 1, is_header(row)
        if below is not None and _is_subheader(row, below[2]):
            combined = _combine(row, below[2])
            if found or is_header(combined):
                # A two-row header is read as one, even when its parts then name
                # no figure column: map_header says exactly what is missing.
                header, taken, found = combined, below[0] + 1, True
        if found:
            for line_above, row_above in head[:k]:
                comment = _is_comment(row_above)
                if not comment and block.read(row_above):
                    continue
                if _filled(row_above) >= 2:
                    problems.append(_skipped(file, line_above, row_above, comment))
            return line, header, _body(chain(head[taken:], iterator), file, problems, block)
    k, line, row = filled[0]
    return line, row, _body(chain(head[k + 1 :], iterator), file, problems, block)


def _is_subheader(top: list[str], below: list[str]) -> bool:
    """Whether `below` is the second row of a two-row header under `top`:
    its indicator cell is empty, no cell is a figure, and it names a column
    or stands under a merged (empty) title cell."""
    names = [column_of(cell) for cell in top]
    indicator = names.index("indicator") if "indicator" in names else 0
    if indicator < len(below) and below[indicator].strip():
        return False
    cells = [(j, cell) for j, cell in enumerate(below) if cell.strip()]
    if not cells or any(column_of(cell) is None and _DIGIT.search(cell) for _, cell in cells):
        return False
    merged = any(j >= len(top) or not top[j].strip() for j, _ in cells)
    return merged or any(column_of(cell) for _, cell in cells)


_DIGIT = re.compile(r"\d")


def _combine(top: list[str], below: list[str]) -> list[str]:
    """A two-row header as one row: a title under a merged one is its own
    title when gongfu knows it, else `merged title/title`."""
    titles, parent = [], ""
    for j in range(max(len(top), len(below))):
        upper = top[j] if j < len(top) else ""
        lower = below[j].strip() if j < len(below) else ""
        parent = upper.strip() or parent
        if not lower:
            titles.append(upper)
        elif column_of(lower) or not parent:
            titles.append(lower)
        else:
            titles.append(f"{parent}/{lower}")
    return titles


def _body(
    rows: Iterable[tuple[int, list[str]]], file: str, problems: list[Problem], block: Block
) -> Iterator[tuple[int, list[str]]]:
    """The rows below the header; # comment lines are skipped, and reported
    when they hold two or more filled cells (a row commented out). A 填报人/联系电话
    line under the table (its first cell a label such as `填报人：`) is the block,
    not a row."""
    for line, row in rows:
        if _is_comment(row):
            if _filled(row) >= 2:
                problems.append(_skipped(file, line, row, comment=True))
            continue
        first = next((cell.strip() for cell in row if cell.strip()), "")
        if _BLOCK_LABEL.match(first[:MAX_CELL]) and block.read(row):
            continue
        yield line, row


def _expected_titles(column: str) -> str:
    """The header titles a missing column could have had, for its message."""
    if column == "value":  # any figure column will do: the value, the year to date, the month
        return "数值 / 本期值 / 累计值 / 1-6月累计 / 本月 / value"
    return " / ".join(COLUMN_ALIASES[column][:3])


def _is_id_title(header: list[str], index: int) -> bool:
    return title_key(header[index]) in ID_TITLES


def map_header(raw: RawTable, file: str, problems: list[Problem]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, title in enumerate(raw.header):
        name = column_of(title)
        if name == "indicator" and name in columns:
            # 指标 beside 指标名称: the first is read, the other is for people,
            # unless the other is the id column (the template's 指标ID).
            if title_key(title) in ID_TITLES and not _is_id_title(raw.header, columns[name]):
                columns[name] = index
            continue
        if name in UNREAD_COLUMNS:
            continue
        if name is None or name in columns:
            if title.strip():
                problems.append(
                    Problem(
                        "extra-column",
                        file=file,
                        line=raw.header_line,
                        column=shorten(title),
                        params={"column": shorten(title)},
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
            params={"column": name, "aliases": _expected_titles(name)},
        )
        for name in REQUIRED_COLUMNS
        if name not in columns and not (name == "value" and set(FIGURE_COLUMNS) & set(columns))
    ]
    if missing:
        raise GongfuError(missing + problems)
    return columns
