"""File names and periods: which month a monthly file is for, and which files a folder holds.

A period comes from the file name (2025-06.csv, 2025-6.xlsx, 2025年6月.csv,
202506.csv …) unless ``--period`` overrides it; a period cell in the file must
agree with it. Two kinds of file arrive after their month and replace its
figures (their Edition): a revision (2025-06-修订.csv) and the year's final
figures (2025-年报.csv, 2025.csv), which are December's. A folder is read by
name: every file in it is either a monthly file or reported as unused
(``ignored-file``), so nothing is silently left out.
"""

from __future__ import annotations

import calendar
import errno
import os
import re
import stat
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from gongfu_cli.model.period import Period
from gongfu_cli.model.problems import GongfuError, Problem, access_problem
from gongfu_cli.model.readings import EDITION_ORDER, Edition
from gongfu_cli.model.text import shorten

# A period at the start of a file name, in the spellings Chinese offices use:
# 2025-06, 2025-6, 2025_06, 2025.06, 2025 06, 2025年6月, 2025年1-6月 (the
# year to date through June, the file for June), and 202506.
_PERIOD_PREFIX = r"""
    (?P<year>(?:19|20)\d\d)
    (?:
        (?P<sep>[-_.\s])(?P<month>\d{1,2})
      | 年\s*(?:0?1\s*[-~～至到]\s*)?(?P<cn_month>\d{1,2})\s*月份?
      | (?P<compact_month>\d\d)
    )
"""
_PERIOD_IN_NAME = re.compile(_PERIOD_PREFIX, re.VERBOSE)
# What may follow a period: anything but a digit (2025-061 and 20250612 are not
# June). A day after the month (2025-06-12, 2025.6.1, 2025年6月12日) makes the
# name a date, which is often the day a file was exported, not the month its
# figures are for: such a name is not read as a period.
_DAY_AFTER = {
    "sep": r"(?P<s>[-_.\s])(?P<day>\d{1,2})(?!\d)",
    "cn": r"\s*(?P<day>\d{1,2})\s*[日号]",
}
# The year's final figures (年报), published after December: a name that is the year
# alone (2025.csv, 2025年.csv) or the year and a word for the year's figures, then
# anything (2025-年报.csv, 2025年报-县统计局.xlsx, 2025年度数据.csv, 2025-final.csv).
# They are December's figures, the year's.
_FINALS_NAME = re.compile(
    r"""
    (?P<year>(?:19|20)\d\d)
    (?:
        \s*[-_.]?\s*(?:年\s*)?(?:年报|年度(?:报表|数据|统计)?|全年(?:数据)?|final|annual)(?![a-z])
      | 年?$
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)
# A revision of a month sent after it (2025-06-修订.csv, 2025-06-县统计局修订版.xlsx,
# 2025-06/修订.csv): its figures replace the month's.
_REVISED = re.compile(r"(?:修订|修正)(?:版|稿|数据|数)?|revised|revision", re.IGNORECASE)
# 2025-06, 2025/6, 2025.06, 2025年6月, 202506
_PERIOD_IN_CELL = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*)?(0?[1-9]|1[0-2])\s*月?$")


@dataclass(frozen=True)
class NamedPeriod:
    """What a file name says about its month: the period, or why there is none."""

    period: Period | None
    date_like: bool = False  # the name starts with a full date, e.g. 20250612
    month_anywhere: Period | None = None  # a month found anywhere in the name
    edition: Edition = Edition.monthly  # a revision (2025-06-修订) or the year's finals (2025年报)
    rest: str = ""  # what follows the period in the name (the sender, a revision's mark)


def _stem(path: Path) -> str:
    return unicodedata.normalize("NFKC", path.stem)


def _match_period(stem: str, match: re.Match[str]) -> tuple[Period | None, bool]:
    """(period, is a date) for a match of _PERIOD_IN_NAME ending where it ends."""
    month_text = match["month"] or match["cn_month"] or match["compact_month"]
    month = int(month_text)
    if not 1 <= month <= 12:
        return None, False
    period = Period(int(match["year"]), month)
    rest = stem[match.end() :]
    if rest[:1].isdigit():
        if match["compact_month"] and re.match(r"\d{2}(?!\d)", rest):
            return period, True  # 20250612
        return None, False
    if match["sep"]:
        day = re.match(_DAY_AFTER["sep"], rest)
        if day and day["s"] == match["sep"] and 1 <= int(day["day"]) <= 31:
            return period, True
    elif match["cn_month"]:
        day = re.match(_DAY_AFTER["cn"], rest)
        if day and 1 <= int(day["day"]) <= 31:
            return period, True
    return period, False


def name_period(path: Path) -> NamedPeriod:
    """The period a file's name starts with, or what the name says instead."""
    return _name_period(path.stem)


@lru_cache(maxsize=4096)  # a folder's names are asked after by several stages of a run
def _name_period(name: str) -> NamedPeriod:
    stem = unicodedata.normalize("NFKC", name)
    match = _PERIOD_IN_NAME.match(stem)
    if match:
        period, date_like = _match_period(stem, match)
        if period is not None and not date_like:
            rest = stem[match.end() :]
            edition = Edition.revised if _REVISED.search(rest) else Edition.monthly
            return NamedPeriod(period, edition=edition, rest=rest)
        if date_like:
            return NamedPeriod(None, date_like=True, month_anywhere=period)
    finals = _FINALS_NAME.match(stem)
    if finals:
        year_end = Period(int(finals["year"]), 12)
        return NamedPeriod(year_end, edition=Edition.final, rest=stem[finals.end() :])
    for found in _PERIOD_IN_NAME.finditer(stem):
        if found.start() > 0 and stem[found.start() - 1].isdigit():
            continue
        period, _ = _match_period(stem, found)
        if period is not None:
            return NamedPeriod(None, month_anywhere=period)
    return NamedPeriod(None)


# Words a file name may add after the unit's name (2025-06-县民社局报表.xlsx).
_NAME_SUFFIXES = ("报送表", "填报表", "统计表", "报表", "月报", "数据", "报送", "填报")
_NAME_EDGES = " -_.·、，,()（）[]【】"


def sender_from_name(path: Path, in_period_folder: bool = False) -> str | None:
    """The submitting unit a file's name gives: what follows the period
    (2025-06-县民社局.csv, 2025-06 海洋局.xlsx → 县民社局, 海洋局), or, for a file
    in a folder named for the month (2025-06/县民社局.xlsx), the whole name.
    None when the name gives none. Whether it is a unit of the plan is
    decided later, against the targets' owners."""
    stem = _stem(path)
    if not in_period_folder:
        named = name_period(path)
        if named.period is None:
            return None
        stem = named.rest
    stem = _REVISED.sub(" ", stem).strip(_NAME_EDGES)  # 2025-06-县统计局修订 → 县统计局
    for suffix in _NAME_SUFFIXES:
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem.removesuffix(suffix).strip(_NAME_EDGES)
            break
    return stem or None


def edition_of(path: Path, in_period_folder: bool = False) -> Edition:
    """Whether a file holds a month's own figures, a revision of them or the year's
    finals, from its name; a file in a folder named for its month (2025-06/修订.csv,
    2025年报/县统计局.csv) from its own name and the folder's."""
    if not in_period_folder:
        return name_period(path).edition
    own = Edition.revised if _REVISED.search(_stem(path)) else Edition.monthly
    return max(own, name_period(path.parent).edition, key=EDITION_ORDER.index)


def period_from_name(path: Path) -> Period | None:
    """The month a file is for, from the start of its name; None if it names no month.

    The period must be followed by the end of the name or by something that is
    not a digit (2025-06-县民社局.csv, 2025-06 海洋局.xlsx); a full date
    (2025-06-12, 20250612) is not a period.
    """
    return name_period(path).period


def parse_period(text: str) -> Period | None:
    """A month as --period and period cells write it (2025-06, 2025/6, 2025年6月, 202506)."""
    match = _PERIOD_IN_CELL.match(unicodedata.normalize("NFKC", text).strip())
    return Period(int(match[1]), int(match[2])) if match else None


# What a period cell may also hold: the year to date (2025年1-6月), or a date in
# the month (2025/6/30, the period's last day, as statistics tables write it, or a
# date Excel made of the cell). A file name with a day is not read as a month
# (see _DAY_AFTER); a cell is checked against a month already known, so a date
# in that month agrees with it.
_YEAR_TO_DATE_CELL = re.compile(
    r"^(\d{4})\s*年?\s*1\s*[-~～至到—–]\s*(0?[1-9]|1[0-2])\s*月份?(?:累计)?$"
)
_DATE_CELL = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(0?[1-9]|1[0-2])\s*[-/.月]\s*(0?[1-9]|[12]\d|3[01])\s*[日号]?$"
)


# The year as a year-end file's period cell writes it (2026, 2026年, 2026年度, 2026年报):
# the year's figures, which are December's.
_YEAR_CELL = re.compile(r"^(\d{4})\s*(?:年\s*(?:度|报|年报)?|全年)?$")


def period_in_cell(text: str) -> Period | None:
    """The month a period cell states, in any of the forms above; None if none."""
    period = parse_period(text)
    if period is not None:
        return period
    text = unicodedata.normalize("NFKC", text).strip()
    whole_year = _YEAR_CELL.match(text)
    if whole_year:
        return Period(int(whole_year[1]), 12)
    match = _YEAR_TO_DATE_CELL.match(text)
    if match:
        return Period(int(match[1]), int(match[2]))
    match = _DATE_CELL.match(text)
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    if day > calendar.monthrange(year, month)[1]:
        return None  # 2025/6/31 is no date
    return Period(year, month)


SUPPORTED_SUFFIXES = (".csv", ".xlsx")
# Spreadsheets gongfu cannot read. Named for a month, such a file in a folder
# counts as that month's file, so the reader refuses it with its own message
# instead of the folder silently falling back to the month before.
REFUSED_SPREADSHEETS = (".xls", ".xlsm", ".xlsb", ".et", ".ods")
# Files a folder may hold that are never data: skipped without a word.
_NEVER_DATA = frozenset({"thumbs.db", "desktop.ini"})


# A month as a file name may write it where the forms read as a period do not
# apply: 七月, 2025年七月, 25年7月, 7月份. Used only to suggest a name: a file is
# never read as that month without being renamed or given --period.
_LOOSE_MONTH = re.compile(
    r"(?:(?P<year>(?:19|20)?\d\d)\s*年\s*)?(?:0?1\s*[-~～至到]\s*)?"
    r"(?<!\d)(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月"
)
_CHINESE_MONTHS = {
    name: number
    for number, name in enumerate(
        ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"], start=1
    )
}
_ANY_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def suggested_name(path: Path, year: int | None = None) -> tuple[str, str]:
    """A name to rename a file to, and its month as --period takes it, from the file
    itself: the month its name holds (某县2026年7月 → 2026-07, 2026年七月 → 2026-07,
    七月 → July of the name's year, else of `year`), and a readable suffix. A name
    that holds no month gets the pattern YYYY-MM, never a made-up month."""
    named = name_period(path)
    month = named.period or named.month_anywhere
    text = str(month) if month is not None else _loose_month(_stem(path), year)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        suffix = ".xlsx" if suffix in REFUSED_SPREADSHEETS else ".csv"
    return f"{text}{suffix}", text


def _loose_month(stem: str, year: int | None) -> str:
    """YYYY-MM for a month written loosely in a name (see _LOOSE_MONTH)."""
    found = _LOOSE_MONTH.search(stem)
    if found is None:
        return "YYYY-MM"
    written = found["month"]
    month = int(written) if written.isdigit() else _CHINESE_MONTHS[written]
    if found["year"]:
        year = int(found["year"]) + (2000 if len(found["year"]) == 2 else 0)
    elif (anywhere := _ANY_YEAR.search(stem)) is not None:
        year = int(anywhere[0])
    return f"{year:04d}-{month:02d}" if year is not None else f"YYYY-{month:02d}"


def ignored_file(path: Path, reason_zh: str, reason_en: str) -> Problem:
    return Problem(
        "ignored-file",
        file=str(path),
        params={"reason_zh": reason_zh, "reason_en": reason_en},
    )


# ---------------------------------------------------------------------------
# Paths: what is there, as a located problem when it cannot be looked at


def path_kind(path: Path) -> str:
    """'folder', 'file' or 'other' (a device, a pipe); GongfuError if it cannot be looked at."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        error = exc if isinstance(exc, OSError) else OSError(errno.ENOENT, str(exc))
        raise GongfuError([access_problem(path, error)]) from None
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else "other"


# ---------------------------------------------------------------------------
# Folders


@dataclass
class FolderListing:
    """A folder's months, each with every file that makes it, and a warning for every
    other file. A month is the files whose names start with it (2025-06.csv,
    2025-06-县民社局.xlsx) or the files of a subfolder named for it (2025-06/)."""

    months: dict[Period, list[Path]] = field(default_factory=dict)
    ignored: list[Problem] = field(default_factory=list)
    # the files of a month left out because a subfolder for that month is used instead
    clashes: list[Problem] = field(default_factory=list)
    in_period_folder: set[Path] = field(default_factory=set)

    @property
    def monthly(self) -> list[Path]:
        """Every file used, in period order."""
        return [file for month in sorted(self.months) for file in self.months[month]]

    def period_of(self, file: Path) -> Period:
        return next(month for month, files in self.months.items() if file in files)


def _preference(path: Path) -> tuple[int, str]:
    """The order a month's files are merged in (the first row of an indicator is kept
    where two agree): .csv, then .xlsx, then a refused type, each by name."""
    suffix = path.suffix.lower()
    rank = SUPPORTED_SUFFIXES.index(suffix) if suffix in SUPPORTED_SUFFIXES else 9
    return (rank, path.name)


def list_folder(folder: Path) -> FolderListing:
    """Every file in a folder: a month's file, or an ignored-file warning saying why not.

    Skipped without a word: hidden files (.DS_Store, .gitkeep), Thumbs.db and
    desktop.ini, README files and subfolders not named for a month. An Excel or
    WPS lock file (~$…) gets a warning of its own: a workbook is open, perhaps
    with unsaved changes. GongfuError if the folder cannot be listed.
    """
    listing = FolderListing()
    named: dict[Period, list[Path]] = {}
    # revisions and finals (2025-06-修订.csv, 2025-年报.csv, 2025年报/) join their month
    # whatever else it has: they replace its figures, never clash with its files
    later: dict[Period, list[Path]] = {}
    for entry, verdict in _entries(folder):
        if isinstance(verdict, Problem):
            listing.ignored.append(verdict)
        elif verdict == "monthly":
            month = period_from_name(entry)
            assert month is not None
            own = edition_of(entry) == Edition.monthly
            (named if own else later).setdefault(month, []).append(entry)
        elif verdict == "folder" and (month := period_from_name(entry)) is not None:
            files = _period_folder(entry, listing)
            listing.in_period_folder.update(files)
            if files and edition_of(entry) != Edition.monthly:
                later.setdefault(month, []).extend(files)
            elif files:
                listing.months[month] = files
    for month, files in named.items():
        if month in listing.months:  # 2025-06.csv beside a 2025-06/ folder: the folder wins
            listing.clashes += [
                Problem(
                    "duplicate-period",
                    file=str(file),
                    params={"used": f"{month}/", "skipped": shorten(file.name)},
                )
                for file in files
            ]
        else:
            listing.months[month] = files
    for month, files in later.items():
        listing.months[month] = listing.months.get(month, []) + files
    listing.months = {
        month: sorted(listing.months[month], key=_preference) for month in sorted(listing.months)
    }
    return listing


def _entries(folder: Path) -> list[tuple[Path, Problem | str]]:
    """Each entry of a folder that matters, with what it is (see _classify)."""
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        raise GongfuError([access_problem(folder, exc)]) from None
    found: list[tuple[Path, Problem | str]] = []
    # the year of the folder's monthly files: a file named 七月.xlsx beside them
    # is told to become that year's July
    years = Counter(p.year for p in map(period_from_name, entries) if p is not None)
    year = years.most_common(1)[0][0] if years else None
    for entry in entries:
        name = entry.name
        if name.startswith(("~$", ".~lock.")):
            found.append(
                (
                    entry,
                    ignored_file(
                        entry,
                        "这是 Excel/WPS 打开工作簿时生成的临时锁定文件，说明有工作簿正在编辑，"
                        "可能还有未保存的修改；请保存并关闭工作簿后再运行",
                        "it is the lock file Excel/WPS keeps while a workbook is open, perhaps "
                        "with unsaved changes; save and close the workbook, then run again",
                    ),
                )
            )
            continue
        if name.startswith(".") or name.casefold() in _NEVER_DATA:
            continue
        if entry.stem.casefold().startswith("readme"):
            continue
        found.append((entry, _classify(entry, year)))
    return found


def _period_folder(folder: Path, listing: FolderListing) -> list[Path]:
    """The .csv/.xlsx files of a folder named for a month; any other file is ignored."""
    files = []
    month = period_from_name(folder)
    for entry, verdict in _entries(folder):
        lock = entry.name.startswith(("~$", ".~lock."))
        if isinstance(verdict, Problem):
            # a file in 2025-06/ needs no month in its name: only its type matters
            if not lock and entry.suffix.lower() in SUPPORTED_SUFFIXES and _is_regular(entry):
                files.append(entry)
            else:
                listing.ignored.append(verdict)
        elif verdict == "monthly" and period_from_name(entry) != month:
            listing.ignored.append(
                ignored_file(
                    entry,
                    f"文件名写的是 {period_from_name(entry)}，却放在 {month} 的月份目录中；"
                    "请移到对应月份",
                    f"its name says {period_from_name(entry)} but it is in {month}'s folder; "
                    "move it to its own month",
                )
            )
        elif verdict == "monthly":
            files.append(entry)
        elif verdict == "folder":
            listing.ignored.append(
                ignored_file(
                    entry,
                    "月份目录中的子目录不读取；请把文件直接放在月份目录中",
                    "folders inside a month's folder are not read; put the files directly in it",
                )
            )
    return files


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _classify(entry: Path, year: int | None = None) -> Problem | str:
    """ "monthly", "folder", or the ignored-file warning saying why not (a name
    without a month told which to take, in `year` if it names none)."""
    suffix = entry.suffix.lower()
    named = name_period(entry)
    candidate = suffix in SUPPORTED_SUFFIXES + REFUSED_SPREADSHEETS
    try:
        mode = entry.stat().st_mode
    except OSError as exc:
        if candidate and named.period is not None:
            return "monthly"  # the reader reports it, as that month's file
        reason = access_problem(entry, exc)
        return ignored_file(entry, f"无法访问：{reason.message('zh')}", reason.message("en"))
    if stat.S_ISDIR(mode):
        return "folder"
    if not stat.S_ISREG(mode):
        return ignored_file(
            entry,
            "不是普通文件（可能是设备、管道或失效的链接）",
            "not a regular file (a device, a pipe or a broken link)",
        )
    if not candidate:
        kind = f"“{shorten(suffix)}”" if suffix else "没有扩展名"
        return ignored_file(
            entry,
            f"不是 .csv 或 .xlsx 表格（{kind}）",
            f"not a .csv or .xlsx table ({f'{shorten(suffix)!r}' if suffix else 'no extension'})",
        )
    if named.period is not None:
        return "monthly"
    suggestion, month = suggested_name(entry, year)
    resave_zh = "，并在 Excel 中另存为 .xlsx" if suffix in REFUSED_SPREADSHEETS else ""
    resave_en = ", saved from Excel as .xlsx" if suffix in REFUSED_SPREADSHEETS else ""
    if named.date_like:
        return ignored_file(
            entry,
            f"文件名以日期开头，可能是导出日期而不是数据所属月份；"
            f"如是 {month} 的月报，请改名为 {suggestion}{resave_zh}",
            f"its name starts with a date, which may be the day it was exported rather than "
            f"the month of its figures; if it holds {month}'s figures, rename it "
            f"{suggestion}{resave_en}",
        )
    return ignored_file(
        entry,
        f"文件名开头没有年月，无法确定是哪个月的数据；如是月报请改名为如 {suggestion}{resave_zh}"
        f"，年报数据改名为如 {month[:4]}-年报{Path(suggestion).suffix}",
        f"its name does not start with a month; if it is a monthly file, rename it like "
        f"{suggestion}{resave_en}, and the year's final figures like "
        f"{month[:4]}-年报{Path(suggestion).suffix}",
    )


def monthly_files(folder: Path) -> list[Path]:
    """Every monthly file in a folder, in period order (see list_folder)."""
    return list_folder(folder).monthly


def no_period_params(path: Path, year: int | None = None) -> dict[str, str]:
    """no-period's params: the name, and a name to rename the file to, built from the
    file itself (its suffix, a .xls becoming .xlsx, and any month its name holds:
    某县2026年7月.xlsx → 2026-07.xlsx, 七月.xlsx → 2026-07.xlsx for `year` 2026),
    else the pattern YYYY-MM."""
    name, month = suggested_name(path, year)
    return {"name": shorten(path.name), "suggested": shorten(name), "period": month}


def expand_paths(
    paths: list[Path],
    ignored: list[Problem] | None = None,
    periods: dict[Path, Period] | None = None,
) -> list[Path]:
    """Files as given; a folder means its months' files in period order.

    Every other file in a folder is reported in `ignored` (ignored-file and
    duplicate-period warnings, see periods.list_folder), and `periods` gets the
    month of each folder file (a file in 2025-06/ has none in its own name).
    Raises GongfuError(file-not-found, or unreadable-file for a path the system
    will not let us look at): that is a mistake in the command, not in the data.
    """
    files: list[Path] = []
    failures: list[Problem] = []
    for path in paths:
        try:
            if path_kind(path) != "folder":
                files.append(path)
                continue
            listing = list_folder(path)
            if not listing.months and (month := period_from_name(path)) is not None:
                listing = list_folder(path.parent)  # 2025-06/ itself: just that month
                listing.months = {month: listing.months.get(month, [])}
                listing.ignored = [p for p in listing.ignored if Path(p.file or "").parent == path]
            files.extend(listing.monthly)
            if ignored is not None:
                ignored.extend(listing.ignored + listing.clashes)
            if periods is not None:
                periods.update({f: m for m, fs in listing.months.items() for f in fs})
        except GongfuError as exc:
            failures.extend(exc.problems)
    if failures:
        raise GongfuError(failures)
    return files
