"""JSON out: one writer for every JSON document gongfu prints or returns."""

from __future__ import annotations

import json
import math
from enum import Enum
from typing import Any

from gongfu_cli.model.text import UNSAFE_IN_JSON


def _finite(value: Any) -> Any:
    """The document with every NaN or infinity replaced by null, and enums as their values."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def json_text(document: Any) -> str:
    """Every JSON output: standard JSON (null, never NaN or Infinity), safe on a terminal.

    C1 controls, separators and bidi overrides, which json.dumps leaves raw with
    ensure_ascii=False, are written as \\u escapes: the parsed strings are unchanged.
    """
    text = json.dumps(_finite(document), ensure_ascii=False, indent=2, allow_nan=False)
    return UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"
