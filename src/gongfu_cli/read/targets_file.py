"""Reading targets.yaml: parse it safely (no tags, no alias bombs, duplicate keys
refused), validate it against the catalogue's types (model/targets.py) with
pydantic, and turn every flaw into a located problem.

This is the slow, careful path, taken for a file not seen before: yaml and
pydantic are imported here only. read/targets_cache.py keeps what it validated.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from gongfu_cli.model.problems import GongfuError, Problem
from gongfu_cli.model.targets import MAX_FIGURE, FieldError, Refusal, Targets, shown
from gongfu_cli.read.targets_place import read_targets


def load_targets(path: Path) -> Targets:
    """Read, parse and validate a targets file; GongfuError with located problems if bad."""
    return parse_targets(read_targets(path), str(path))


def parse_targets(content: bytes, file: str) -> Targets:
    """The catalogue in a targets file's bytes (`file` names it in problems)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _yaml_error(
            file, None, None, "不是 UTF-8 编码的文本，请在编辑器中另存为 UTF-8", "not UTF-8 text"
        ) from None
    data, root = _parse_yaml(text, file)
    try:
        return _catalogue().validate_python(data)
    except ValidationError as exc:
        raise GongfuError(_located(exc, data, root, file)) from None


@cache
def _catalogue() -> TypeAdapter[Targets]:
    """pydantic's validator for the catalogue's types, built once (it takes a while)."""
    return TypeAdapter(Targets)


def targets_schema() -> dict[str, Any]:
    """JSON Schema of targets.yaml, for editors (yaml-language-server) and `gongfu schema`."""
    schema = _catalogue().json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "gongfu targets.yaml"
    return schema


# A composed YAML node may be reached through many aliases; the data built from it
# is as large as the tree with every alias written out. Our file is about 3,000
# nodes; 100,000 leaves room for any real catalogue and stops an alias bomb
# ("billion laughs") before anything is built from it.
MAX_EXPANDED_NODES = 100_000


_YAML = "tag:yaml.org,2002:"


# Plain data only: !!binary, !!set, !!omap, !!pairs and custom tags are refused.
_PLAIN_TAGS = frozenset(
    _YAML + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)


def _parse_yaml(text: str, file: str) -> tuple[Any, yaml.Node | None]:
    loader = None
    try:
        loader = _SafeLoader(text)
        root = loader.get_single_node()
        if root is None:
            return None, None
        _check_nodes(loader, root, file)
        data = loader.construct_document(root)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        if exc.problem and "could not determine a constructor" in exc.problem:
            tag = exc.problem.split("tag", 1)[-1].strip()
            raise GongfuError(
                [Problem("targets-unsafe-tag", file=file, line=line, params={"tag": shown(tag)})]
            ) from None
        reason = exc.problem or str(exc)
        raise _yaml_error(file, line, None, *_parser_reason(exc, reason, text)) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses: it has a position only
        # libyaml counts the position in UTF-8 bytes, the pure-Python reader in characters
        if _SafeLoader is not yaml.SafeLoader:
            before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore")
        else:
            before = text[: exc.position]
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        code = f"U+{exc.character:04X}"
        raise _yaml_error(
            file,
            line,
            column,
            f"含有 YAML 不允许的控制字符 {code}，请删去后重新输入",
            f"character {code} is not allowed in YAML (a control character)",
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise _yaml_error(
            file,
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
            *_parser_reason(exc, reason, text),
        ) from None
    except RecursionError:
        raise _yaml_error(file, None, None, "嵌套层次过深，无法读取", "nested too deeply") from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, root


def _parser_reason(exc: yaml.YAMLError, reason: str, text: str) -> tuple[str, str]:
    """The YAML parser's problem in Chinese and as it said it (its context left out, as
    the line and column say where)."""
    mark = getattr(exc, "problem_mark", None)
    character = None
    if mark is not None:  # libyaml does not name the character it cannot start a token with
        lines = text.split("\n")
        if mark.line < len(lines) and mark.column < len(lines[mark.line]):
            character = lines[mark.line][mark.column]
    from gongfu_cli.read.targets_reasons import yaml_reason

    return yaml_reason(reason, getattr(exc, "context", None), character), reason


def _yaml_error(
    file: str, line: int | None, column: int | None, reason_zh: str, reason_en: str
) -> GongfuError:
    return GongfuError(
        [
            Problem(
                "targets-yaml-error",
                file=file,
                line=line,
                column=str(column) if column else None,
                params={"reason_zh": shown(reason_zh, 120), "reason_en": shown(reason_en, 120)},
            )
        ]
    )


def _check_nodes(loader: Any, root: yaml.Node, file: str) -> None:
    """One pass over the composed tree, before anything is built from it.

    Refuses what the constructor would take silently or fail on without a line:
    a key given twice in one mapping (PyYAML keeps the last), a tag that is not
    plain data, a scalar the constructor cannot build (a 5,000-digit number, the
    date 2025-13-45), and aliases that expand beyond MAX_EXPANDED_NODES or
    contain themselves. Scalars are built here, where their line is known; the
    loader keeps them, so construct_document does not build them again.
    """
    problems: list[Problem] = []
    expanded: dict[int, int] = {}  # id(node) → its size with every alias written out
    on_path: set[int] = set()  # nodes whose children are still being walked
    stack: list[tuple[yaml.Node, list[Any], bool]] = [(root, [], False)]
    while stack:
        node, path, walked = stack.pop()
        key = id(node)
        if walked:
            on_path.discard(key)
            size = 1 + sum(expanded[id(child)] for child in _children(node))
            if size > MAX_EXPANDED_NODES:
                raise _yaml_error(
                    file,
                    _line(node),
                    None,
                    f"引用（*名称）展开后超过 {MAX_EXPANDED_NODES:,} 个值，请直接写出内容",
                    f"aliases (*name) expand this to more than {MAX_EXPANDED_NODES:,} values",
                )
            expanded[key] = size
            continue
        if key in expanded:
            continue
        if key in on_path:
            raise _yaml_error(
                file,
                _line(node),
                None,
                "引用（*名称）指向了包含它自身的内容",
                "an alias (*name) refers to a value that contains it",
            )
        if node.tag not in _PLAIN_TAGS and node.tag != _YAML + "merge":
            problems.append(
                Problem(
                    "targets-unsafe-tag",
                    file=file,
                    line=_line(node),
                    params={"tag": shown(node.tag.replace(_YAML, "!!"))},
                )
            )
            expanded[key] = 1  # not walked further: nothing is built from it
            continue
        if isinstance(node, yaml.ScalarNode):
            if node.tag not in (_YAML + "str", _YAML + "merge"):
                try:
                    loader.construct_object(node)
                except Exception:  # whatever the constructor raises, the file is at fault
                    problems.append(_unreadable_scalar(node, file))
                else:
                    problems += _not_decimal(node, loader, file)
            expanded[key] = 1
            continue
        on_path.add(key)
        stack.append((node, path, True))
        if isinstance(node, yaml.MappingNode):
            problems += _duplicate_keys(node, path, file)
            children = [(k, v, [*path, k.value]) for k, v in node.value]
            for key_node, value_node, child_path in reversed(children):
                stack.append((value_node, child_path, False))
                stack.append((key_node, child_path, False))
        else:
            for index, child in reversed(list(enumerate(node.value))):
                stack.append((child, [*path, index], False))
    if problems:
        raise GongfuError(problems)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _duplicate_keys(node: yaml.MappingNode, path: list[Any], file: str) -> list[Problem]:
    """A key given twice in one mapping: PyYAML would keep the last one without a word."""
    first_line: dict[tuple[str, str], int] = {}
    problems = []
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue  # a list or mapping as a key: the constructor refuses it with its line
        name = (key_node.tag, key_node.value)
        if name not in first_line:
            first_line[name] = _line(key_node)
            continue
        field = _field_path([*path, key_node.value])
        key, first = shown(key_node.value), first_line[name]
        problems.append(
            Problem(
                "targets-invalid",
                file=file,
                line=_line(key_node),
                column=field,
                params={
                    "field_zh": field,
                    "field_en": field,
                    "reason_zh": f"同一处写了两次键“{key}”（第一次在第 {first} 行），请只保留一个",
                    "reason_en": f"the key '{key}' is given twice in one "
                    f"place (first on line {first}); keep one",
                },
            )
        )
    return problems


def _unreadable_scalar(node: yaml.ScalarNode, file: str) -> Problem:
    tag = node.tag.removeprefix(_YAML)
    kind_zh = {"int": "数字", "float": "数字", "timestamp": "日期"}.get(tag, "值")
    kind_en = {"int": "a number", "float": "a number", "timestamp": "a date"}.get(tag, "a value")
    value = shown(node.value)
    return Problem(
        "targets-yaml-error",
        file=file,
        line=_line(node),
        column=str(node.start_mark.column + 1),
        params={
            "reason_zh": f"“{value}”无法读作{kind_zh}",
            "reason_en": f"'{value}' cannot be read as {kind_en}",
        },
    )


# YAML 1.1 reads 1:20:30 as 4830 (base 60), 010 as 8 (octal), 0x10 as 16: a
# figure in a targets file is written in plain decimal, or it is a mistake.
_NOT_DECIMAL = re.compile(r"[-+]?0[0-9_boxX]|.*:")


def _not_decimal(node: yaml.ScalarNode, loader: Any, file: str) -> list[Problem]:
    if node.tag not in (_YAML + "int", _YAML + "float") or not _NOT_DECIMAL.match(node.value):
        return []
    read_as = loader.construct_object(node)  # already built: the loader returns its copy
    # (a 5,000-digit hexadecimal number has no decimal text to show: Python refuses to make it)
    read_en = f" as {read_as}" if abs(read_as) < MAX_FIGURE else ""
    read_zh = f"读作 {read_as}" if read_en else "读成另一个数"
    value = shown(node.value)
    return [
        Problem(
            "targets-yaml-error",
            file=file,
            line=_line(node),
            column=str(node.start_mark.column + 1),
            params={
                "reason_zh": f"YAML 会把“{value}”{read_zh}，而不是按所写的数；"
                "请用普通的十进制写数字（若是编号，请加引号）",
                "reason_en": f"YAML would read '{value}'{read_en}, not as written; "
                "write the figure in plain decimal",
            },
        )
    ]


def _located(exc: ValidationError, data: Any, root: yaml.Node | None, file: str) -> list[Problem]:
    """Turn pydantic's errors into Problems with a dotted field path and the YAML line."""
    from gongfu_cli.read.targets_reasons import pydantic_reason

    problems = []
    for err in exc.errors(include_url=False):
        loc = [part for part in err["loc"] if not _is_union_tag(part)]
        cause = err.get("ctx", {}).get("error")
        if isinstance(cause, FieldError):
            loc.extend([cause.field] if isinstance(cause.field, str) else cause.field)
        # our own checks' words as they wrote them; pydantic's translated
        reason_zh, reason_en = (
            (cause.zh, cause.en) if isinstance(cause, Refusal) else pydantic_reason(err)
        )
        field = _field_path(loc)
        indicator = None
        if len(loc) >= 2 and loc[0] == "indicators" and isinstance(loc[1], int):
            try:
                indicator = data["indicators"][loc[1]].get("id")
            except (AttributeError, IndexError, KeyError, TypeError):
                indicator = None
        problems.append(
            Problem(
                "targets-invalid",
                file=file,
                line=_line_of(root, loc),
                column=field or None,
                indicator=indicator
                if isinstance(indicator, str) and _ID.match(indicator)
                else None,
                params={
                    "field_zh": field or "（文件顶层）",
                    "field_en": field or "(top level)",
                    "reason_zh": reason_zh,
                    "reason_en": reason_en,
                },
            )
        )
    return problems


_ID = re.compile(r"[a-z][a-z0-9_]*\Z")


def _is_union_tag(part: object) -> bool:
    # pydantic adds the member type (e.g. 'float', 'tuple[...]') to loc inside unions
    return isinstance(part, str) and ("[" in part or part in ("float", "int", "str", "none"))


def _field_path(loc: list[Any]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            part = shown(str(part))  # a key is the file's own text
            path += f".{part}" if path else part
    return path


def _line_of(node: yaml.Node | None, loc: list[Any]) -> int | None:
    """Walk the composed YAML tree along loc; the deepest node found gives the line."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    line, node = key.start_mark.line + 1, value
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


# libyaml's safe loader when PyYAML was built with it (7x faster on our file:
# 18 ms instead of 130 ms, most of a run's start-up); the pure-Python one is the
# same safe constructor with the same error marks.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
