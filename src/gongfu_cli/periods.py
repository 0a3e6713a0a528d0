"""File names and periods: which month a monthly file is for.

A period comes from the file name (YYYY-MM.csv / YYYY-MM.xlsx) unless
``--period`` overrides it; a period cell in the file must agree with it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path


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
