"""User text made safe to show: the one place that decides what a terminal, a CI log,
a spreadsheet or a message may receive of what a data or targets file holds.

A leaf module (it imports nothing of gongfu's), so every stage can use it.
"""

from __future__ import annotations

import re

# Characters that must never reach a terminal, a CI log or a spreadsheet as they are:
# C0 and C1 controls (ESC starts colour and hyperlink sequences, CR overwrites a line,
# LF starts a new one that a CI runner may read as a workflow command), DEL, the line and
# paragraph separators, the bidi overrides that show text in another order than it reads,
# and the code points no UTF-8 or XML file can hold (lone surrogates, U+FFFE, U+FFFF),
# which a YAML escape such as "\ud800" can produce. Chinese, full-width forms and
# ordinary punctuation are not touched.
_JSON_LEAVES_RAW = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
_UNSAFE = re.compile(f"[\x00-\x1f{_JSON_LEAVES_RAW}]")
UNSAFE_IN_JSON = re.compile(f"[{_JSON_LEAVES_RAW}]")  # json.dumps escapes C0 itself
_ESCAPE_NAMES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _ESCAPE_NAMES.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def safe_text(text: str) -> str:
    """Text shown as it reads, never as terminal control: ESC becomes the four characters
    ``\\x1b``, a line break ``\\n``. Idempotent, so applying it twice does no harm."""
    return _UNSAFE.sub(_visible, text)


def shorten(text: str, limit: int = 40) -> str:
    """User text as a message quotes it: made safe, and at most `limit` characters
    (cut before it is made safe, so a 50 MB cell costs nothing but the cut)."""
    text = text.strip()
    shown = safe_text(text[:limit])
    cut = len(text) > limit or len(shown) > limit
    return shown[:limit] + "…" if cut else shown
