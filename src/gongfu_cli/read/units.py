"""Units a figure may be given in, and how they convert into the target's unit.

A leaf of the pipeline (it imports only targets.normalise), shared by the reader
of cells (actuals) and of Excel number formats (workbook).
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from gongfu_cli.model.targets import normalise

# Units that convert into each other: unit → (base unit, power of ten to the base).
UNIT_SCALES: dict[str, tuple[str, int]] = {
    "元": ("元", 0),
    "万元": ("元", 4),
    "亿元": ("元", 8),
    "吨": ("吨", 0),
    "万吨": ("吨", 4),
    "亿吨": ("吨", 8),
    "人": ("人", 0),
    "万人": ("人", 4),
    "单位": ("单位", 0),
    "万单位": ("单位", 4),
    "亿单位": ("单位", 8),
    "米": ("米", 0),
    "公里": ("米", 3),
    "千米": ("米", 3),
    "km": ("米", 3),
}


@lru_cache(maxsize=1024)  # asked for every figure read, of a few units
def unit_factor(unit: str, target_unit: str) -> Decimal | None:
    """Exact multiplier taking a figure in `unit` to `target_unit`; None if not convertible."""
    if unit == normalise(target_unit) or unit == "":
        return Decimal(1)
    source, target = UNIT_SCALES.get(unit), UNIT_SCALES.get(normalise(target_unit))
    if source is None or target is None or source[0] != target[0]:
        return None
    return Decimal(10) ** (source[1] - target[1])
