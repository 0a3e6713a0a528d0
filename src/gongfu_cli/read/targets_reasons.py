"""Why a targets file was refused, in Chinese and English.

targets-invalid and targets-yaml-error name a reason. gongfu's own checks word
theirs in both languages where they are raised (targets.Refusal); the reasons
pydantic and the YAML parser give are English only, so they are translated
here: pydantic's by its error type and context, the parser's by its problem.
The English side keeps the library's own words; a reason with no translation
reads 字段值不符合要求 / YAML 格式有误 with the English in brackets, so nothing a
library says is lost.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from pydantic_core import ErrorDetails

from gongfu_cli.model.problems import number
from gongfu_cli.model.text import shorten

# The patterns of the targets models, in words (Indicator.id).
_PATTERNS_ZH = {r"^[a-z][a-z0-9_]*$": "只能用小写字母、数字和下划线，并以字母开头"}


def _given(value: Any) -> str:
    """What the file holds where something else was expected, as a statistician says it."""
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "是非值（YAML 把 yes/no/on/off/true/false 读作是非值）"
    if isinstance(value, (int, float)):
        return "数字"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "日期（YAML 把 2025-06-01 这样的写法读作日期）"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "一组“键: 值”"
    return "其他内容"


def _choices(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" as “a”、“b”、“c”."""
    found = re.findall(r"'((?:[^'\\]|\\.)*)'", expected)
    return "、".join(f"“{choice}”" for choice in found) if found else shorten(expected, 120)


def _limit(value: object) -> str:
    return number(value) if isinstance(value, (int, float)) else shorten(str(value), 40)


def _length(err: ErrorDetails, ctx: dict[str, Any]) -> str:
    """too_short / too_long: items of a list, or characters of a text."""
    unit = "个字符" if isinstance(err.get("input"), str) else "项"
    actual = ctx.get("actual_length")
    now = f"，这里有 {actual} {unit}" if actual is not None else ""
    if err["type"] == "too_short" and ctx.get("min_length") == 1:
        return "不能为空"
    if err["type"] == "too_short":
        return f"至少应有 {ctx.get('min_length')} {unit}{now}"
    return f"最多只能有 {ctx.get('max_length')} {unit}{now}"


def pydantic_reason(err: ErrorDetails) -> tuple[str, str]:
    """One pydantic error as (Chinese, English): translated by its type and context."""
    kind = err["type"]
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    value = err.get("input")
    english = _AS_FOR_A_MODEL.get(kind, err["msg"])
    if kind == "value_error" and isinstance(ctx.get("error"), ValueError):
        english = str(ctx["error"])  # a check's own words, without pydantic's "Value error, "
    loc = err["loc"]
    zh: str | None
    if kind in _MISSING:
        zh = f"缺少第 {loc[-1] + 1} 项" if loc and isinstance(loc[-1], int) else "缺少必填字段"
    elif kind in ("extra_forbidden", "unexpected_keyword_argument"):
        zh = "不是可用的字段（拼写是否有误？）"
    elif kind == "finite_number":
        zh = "应为有限的数字，不能是 .nan 或 .inf"
    elif kind in ("float_parsing", "float_type"):
        if isinstance(value, int) and not isinstance(value, bool):
            zh = "数字位数过多，无法作为数值读取"  # an int beyond what a float can hold
        else:
            zh = f"应为数字，这里是{_given(value)}"
    elif kind in ("int_parsing", "int_type"):
        zh = f"应为整数，这里是{_given(value)}"
    elif kind == "int_from_float":
        zh = "应为整数，不能有小数部分"
    elif kind in _BOUNDS_ZH:
        words, key = _BOUNDS_ZH[kind]
        zh = f"应{words} {_limit(ctx.get(key))}"
    elif kind == "string_type":
        zh = f"应为文字，这里是{_given(value)}"
    elif kind in ("too_short", "too_long"):
        zh = _length(err, ctx)
    elif kind == "string_too_short":
        min_length = ctx.get("min_length")
        zh = "不能为空" if min_length == 1 else f"至少应有 {min_length} 个字符"
    elif kind == "string_too_long":
        zh = f"最多只能有 {ctx.get('max_length')} 个字符"
    elif kind in ("literal_error", "enum"):
        zh = f"应为以下之一：{_choices(str(ctx.get('expected', '')))}"
    elif kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        zh = _PATTERNS_ZH.get(pattern, f"格式不符合要求（应匹配 {shorten(pattern, 60)}）")
    elif kind in ("bool_type", "bool_parsing"):
        zh = f"应为 true 或 false，这里是{_given(value)}"
    elif kind in ("dict_type", "model_type", "dataclass_type", "dataclass_args_type"):
        zh = f"应为一组“键: 值”，这里是{_given(value)}"
    elif kind == "list_type":
        zh = f"应为列表（每项一行“- 值”，或写作 [值1, 值2]），这里是{_given(value)}"
    elif kind == "tuple_type":
        zh = f"应为列表（写作 [值1, 值2]），这里是{_given(value)}"
    else:
        zh = None
    if zh is None:
        zh = f"字段值不符合要求（{shorten(english, 200)}）"
    return zh, english


# The catalogue's types are dataclasses, whose fields pydantic validates as arguments
# ("Unexpected keyword argument"); said as for any other field of the file.
_MISSING = ("missing", "missing_argument", "missing_keyword_only_argument")
_AS_FOR_A_MODEL = {
    "unexpected_keyword_argument": "Extra inputs are not permitted",
    "missing_argument": "Field required",
    "missing_keyword_only_argument": "Field required",
}

_BOUNDS_ZH = {
    "greater_than": ("大于", "gt"),
    "greater_than_equal": ("大于或等于", "ge"),
    "less_than": ("小于", "lt"),
    "less_than_equal": ("小于或等于", "le"),
}


# ---------------------------------------------------------------------------
# The YAML parser's problems. libyaml and PyYAML's pure-Python parser word the
# same problem differently ("mapping values are not allowed in this context" /
# "... here"), so each is matched by the words both share.

_MISPLACED = (
    "但格式不对：可能此行与上面同一层级的各行没有对齐（同一层级缩进相同），"
    "或上一个值的引号、括号后面还有多余的字"
)
_YAML_ZH: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"mapping values are not allowed"),
        "此处不能出现“键: 值”（可能缩进有误或值中含有冒号，请给值加引号）",
    ),
    (
        re.compile(r"could not find expected ':'"),
        "找不到应有的冒号“:”：键后面要写冒号和空格再写值（也检查上一行）",
    ),
    (
        re.compile(r"tab character|character '\\t'"),
        "不能用 Tab 缩进，请用空格",
    ),
    (
        re.compile(r"found undefined alias"),
        "引用（*名称）找不到对应的锚点：要先用 &名称 定义，才能用 *名称 引用",
    ),
    (
        re.compile(r"did not find expected key|block mapping; expected <block end>"),
        "此处应是下一个“键: 值”，" + _MISPLACED,
    ),
    (
        re.compile(r"expected '-' indicator|block collection; expected <block end>"),
        "此处应是以“- ”开头的下一个列表项，" + _MISPLACED,
    ),
    (
        re.compile(r"unknown escape character"),
        "双引号中的反斜杠“\\”后面是无法识别的字符；要写反斜杠本身，请改用单引号",
    ),
    (
        re.compile(r"',' or '\]'"),
        "方括号 [ ] 没有配对，或其中的各项之间缺少逗号",
    ),
    (
        re.compile(r"',' or '\}'"),
        "花括号 { } 没有配对，或其中的各项之间缺少逗号",
    ),
    (
        re.compile(r"expected node content|expected the node content"),
        "此处缺少值，或有多余的符号（如值以 [ ] { } 等开头，请给值加引号）",
    ),
    (
        re.compile(r"but found another document"),
        "一个目标文件只能有一份内容，请删除多余的“---”及其后的内容",
    ),
    (
        re.compile(r"alphabetic or numeric character"),
        "“&”或“*”后面应紧跟锚点名称（字母或数字）；如果它是值的一部分，请给值加引号",
    ),
    (
        re.compile(r"second occurrence"),
        "同一个锚点名称（&名称）定义了两次，请改用不同的名称",
    ),
    (
        re.compile(r"found unhashable key"),
        "键不能是列表或一组“键: 值”",
    ),
    (
        re.compile(r"for merging"),
        "合并键“<<”只能引用一组“键: 值”（或它们的列表）",
    ),
    (
        re.compile(r"block scalar; .*(comment or line break|chomping or indentation)"),
        "以“|”或“>”开头的多行文字写法有误：“|”“>”后面应直接换行；"
        "如果它们是值的一部分，请给值加引号（也检查上面各行的引号是否配对）",
    ),
    (
        re.compile(r"expected comment or line break|expected a comment or a line break"),
        "值的后面还有多余的内容（可能引号没有配对，或引号、括号后面还写了别的字）",
    ),
    (
        re.compile(r"incompatible YAML document"),
        "文件开头的 %YAML 版本声明不受支持，请删去该行",
    ),
    (
        re.compile(r"unknown directive"),
        "无法识别以“%”开头的指令；如果它是值，请给值加引号",
    ),
    (
        re.compile(r"found unexpected end of stream"),
        "文件在此意外结束（可能缺少配对的括号或引号）",
    ),
]


def yaml_reason(problem: str, context: str | None, character: str | None) -> str:
    """The Chinese for a YAML parser's problem. `character` is the one at the problem's
    mark (libyaml does not name it), to tell a tab from other characters."""
    if context and "quoted scalar" in context and "escape" not in problem:
        return "引号没有配对：开头的引号在文件结束前没有找到与之配对的引号"
    if "cannot start any token" in problem:
        if character == "\t" or "'\\t'" in problem:
            return "不能用 Tab 缩进，请用空格"
        if character and character.isprintable() and not character.isspace():
            return f"值不能以“{character}”开头，请给值加引号"
        return "此处的字符不能作为值的开头，请给值加引号"
    said = f"{context or ''}; {problem}"
    for pattern, chinese in _YAML_ZH:
        if pattern.search(said):
            return chinese
    return f"YAML 格式有误（{shorten(problem, 120)}）"
