"""A broken targets file is explained in Chinese to Chinese readers and in English to English.

targets-invalid and targets-yaml-error carry a reason in both languages: gongfu's own
checks word theirs, pydantic's and the YAML parser's English is translated. The Chinese
message may name fields, codes and quoted values, but holds no English sentence.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from typer.testing import CliRunner

from conftest import MINIMAL_TARGET as M
from gongfu_cli.cli import app
from gongfu_cli.model.problems import GongfuError
from gongfu_cli.read import targets_file as targets_module
from gongfu_cli.read.targets_file import load_targets
from gongfu_cli.read.targets_reasons import pydantic_reason

# M: gdp's target on line 9, kind 10, frequency 11, pace 12, owners 13


def _with(*edits: str) -> str:
    text = M
    for old, new in zip(edits[::2], edits[1::2], strict=True):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


_SECOND = M.split("indicators:\n")[1]

INVALID = {  # targets-invalid: pydantic's errors
    "missing": _with("    quote: 地区生产总值突破180亿元\n", ""),
    "missing-item": _with("target: 180", "target: 180\n    bounds: [0]"),
    "extra": _with("target: 180", "target: 180\n    colour: red"),
    "nan": _with("target: 180", "target: .nan"),
    "inf": _with("target: 180", "target: .inf"),
    "text-for-number": _with("target: 180", "target: abc"),
    "list-for-number": _with("target: 180", "target: [180]"),
    "date-for-number": _with("target: 180", "target: 2025-06-01"),
    "too-many-digits": _with("target: 180", "target: " + "9" * 4000),
    "text-for-whole-number": _with("target: 180", "target: 180\n    due_month: June"),
    "list-for-whole-number": _with("target: 180", "target: 180\n    due_month: [6]"),
    "fraction-for-whole-number": _with("target: 180", "target: 180\n    due_month: 6.5"),
    "not-above": _with("target: 180", "target: 180\n    yellow_band: 0"),
    "below": _with("target: 180", "target: 180\n    tolerance: -1"),
    "year-below": _with("year: 2025", "year: 1999"),
    "above": _with("target: 180", "target: 180\n    due_month: 13"),
    "figure-above-cap": _with("target: 180", "target: 1e16"),
    "number-for-text": _with("name_en: GDP", "name_en: 12"),
    "empty-text": _with("name_en: GDP", "name_en: ''"),
    "short-profile": _with("pace: linear", "pace: seasonal\n    profile: [1, 2]"),
    "long-bounds": _with("target: 180", "target: 180\n    bounds: [0, 1, 2]"),
    "op-choice": _with('op: ">"', "op: gt"),
    "kind-choice": _with("kind: cumulative", "kind: cumulativ"),
    "frequency-choice": _with("frequency: quarterly", "frequency: weekly"),
    "id-pattern": _with("id: gdp", "id: GDP-1"),
    "list-for-mapping": _with("year: 2025", "year: 2025\nsections: [二]"),
    "text-for-list": _with("owners: []", "owners: 县统计局"),
    "number-for-pair": _with("target: 180", "target: 180\n    bounds: 5"),
    "number-for-indicator": _with("  - id: gdp", "  - 5\n  - id: gdp"),
    "number-for-defaults": _with("year: 2025", "year: 2025\ndefaults: 5"),
    "list-for-file": "- 1\n- 2\n",
    # gongfu's own checks
    "control-character": _with("name_en: GDP", 'name_en: "G\\eDP"'),
    "yes-for-number": _with("target: 180", "target: yes"),
    "comparison-without-target": _with("    target: 180\n", ""),
    "maintain-with-target": _with('op: ">"', "op: maintain"),
    "baseline-without-maintain": _with("target: 180", "target: 180\n    baseline: 170"),
    "done-without-milestone": _with('op: ">"\n    target: 180', "op: done"),
    "pace-on-level": _with("kind: cumulative", "kind: level"),
    "seasonal-without-profile": _with("pace: linear", "pace: seasonal"),
    "profile-on-linear": _with(
        "pace: linear", "pace: linear\n    profile: [1,1,1,1,1,1,1,1,1,1,1,1]"
    ),
    "empty-profile": _with(
        "pace: linear", "pace: seasonal\n    profile: [0,0,0,0,0,0,0,0,0,0,0,0]"
    ),
    "reversed-bounds": _with("target: 180", "target: 50\n    bounds: [100, 0]"),
    "target-out-of-bounds": _with("target: 180", "target: 180\n    bounds: [0, 100]"),
    "target-out-of-range": _with("target: 180", "target: -5"),
    "duplicate-id": M + _SECOND.replace("地区生产总值", "另一个指标"),
    "duplicate-name": M + _SECOND.replace("id: gdp", "id: gdp2"),
    "rule-unknown-indicator": _with(
        "year: 2025",
        "year: 2025\nrules:\n  - {id: r1, left: gdp, op: '<=', right: nope, "
        "description: 甲, description_en: a}",
    ),
    "key-twice": _with("target: 180", "target: 180\n    target: 1"),
}

YAML_ERRORS = {  # targets-yaml-error: the YAML parser's problems and gongfu's tree checks
    "colon-in-value": _with("section: 二", "section: 二: 工作目标"),
    "key-without-colon": _with("section: 二", "section 二"),
    "tab-indent": _with("    owners: []", "\towners: []"),
    "tab-before-item": _with("owners: []", "owners:\n\t- 县统计局"),
    "undefined-alias": _with("owners: []", "owners: *mine"),
    "key-out-of-line": _with("    section: 二", "   section: 二"),
    "item-out-of-line": _with("plan: 测试方案", "- 测试方案"),
    "entry-in-a-mapping": _with("year: 2025", "year: 2025\n- 2026"),
    "unclosed-double-quote": _with("quote: 地区", 'quote: "地区'),
    "unclosed-single-quote": _with("quote: 地区", "quote: '地区"),
    "unclosed-quote-closed-later": _with("name_en: GDP", 'name_en: "GDP'),
    "text-after-a-quote": _with("name_en: GDP", 'name_en: "GDP" 2025'),
    "text-after-a-list": _with("owners: []", "owners: [县统计局] 等"),
    "block-scalar-indicator": _with("name_en: GDP", "name_en: |GDP"),
    "quote-over-a-document-mark": _with("name_en: GDP", 'name_en: "GDP\n---\nx"'),
    "unclosed-bracket": _with("owners: []", "owners: [县统计局"),
    "unclosed-brace": _with("year: 2025", "year: 2025\ndefaults: {yellow_band: 5"),
    "at-sign": _with("name_en: GDP", "name_en: @GDP"),
    "backquote": _with("name_en: GDP", "name_en: `GDP`"),
    "two-documents": M + "---\nplan: 另一个\n",
    "unknown-escape": _with("name_en: GDP", 'name_en: "G\\qDP"'),
    "empty-anchor": _with("owners: []", "owners: &"),
    "empty-alias": _with("owners: []", "owners: *"),
    "anchor-twice": _with("owners: []", "owners: &a []\n    unit2: &a x"),
    "list-as-key": _with("owners: []", "owners: []\n    ? [a]\n    : b"),
    "merge-a-number": _with("owners: []", "owners: []\n    <<: 5"),
    "stray-bracket": _with("owners: []", "owners: ]"),
    "yaml-version": "%YAML 2.0\n---\n" + M,
    "control-character-raw": _with("name_en: GDP", "name_en: G\x1bDP"),
    "unreadable-number": _with("target: 180", "target: " + "9" * 5000),
    "impossible-date": _with("target: 180", "target: 2025-13-45"),
    "octal": _with("target: 180", "target: 0170"),
    "base-60": _with("target: 180", "target: 1:20:30"),
    "huge-hexadecimal": _with("target: 180", "target: 0x" + "f" * 5000),
    "alias-in-itself": _with("owners: []", "owners: &me [*me]"),
    "alias-bomb": "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{b}: &{b} [*{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}]\n"
        for a, b in zip("abcde", "bcdef", strict=True)
    ),
}

_QUOTED = re.compile(r"“[^”]*”|'[^']*'|\"[^\"]*\"")
# two English words in a row: a sentence, not a field name, a code or a unit
_ENGLISH = re.compile(r"[A-Za-z]{2,}[\s,;:.()-]+[A-Za-z]{2,}")
_CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_UNTRANSLATED = ("字段值不符合要求", "YAML 格式有误")


def _bare(message: str, column: str | None) -> str:
    """The message without what may stay as written: the field path and quoted values."""
    if column:
        message = message.replace(column, "")
    return _QUOTED.sub("", message)


def _problems(write_yaml, text: str) -> list:
    with pytest.raises(GongfuError) as caught:
        load_targets(write_yaml(text))
    return caught.value.problems


def _assert_in_its_language(problem, code: str) -> None:
    zh, en = problem.message("zh"), problem.message("en")
    assert problem.code == code, en
    assert not _ENGLISH.search(_bare(zh, problem.column)), zh
    assert not any(words in zh for words in _UNTRANSLATED), zh
    reason_zh = zh.split("：", 1)[1]
    assert _CHINESE.search(_bare(reason_zh, problem.column)), zh
    assert not _CHINESE.search(_bare(en, problem.column)), en
    assert _ENGLISH.search(_bare(en.split(": ", 1)[1], problem.column)), en


@pytest.fixture(params=["libyaml", "pure-python"])
def loader(request, monkeypatch):
    """Both YAML parsers PyYAML may run: libyaml's words differ from the pure-Python ones."""
    if request.param == "pure-python":
        monkeypatch.setattr(targets_module, "_SafeLoader", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML built without libyaml")
    return request.param


@pytest.mark.parametrize("text", INVALID.values(), ids=INVALID.keys())
def test_a_wrong_field_is_explained_in_chinese_and_in_english(write_yaml, text):
    """targets-invalid: the zh reason is Chinese, the en reason English, for every kind."""
    problems = _problems(write_yaml, text)
    for problem in problems:
        _assert_in_its_language(problem, "targets-invalid")


@pytest.mark.parametrize("text", YAML_ERRORS.values(), ids=YAML_ERRORS.keys())
def test_broken_yaml_is_explained_in_chinese_and_in_english(write_yaml, loader, text):
    """targets-yaml-error: libyaml's and PyYAML's problems and gongfu's own, in both languages."""
    problems = _problems(write_yaml, text)
    for problem in problems:
        _assert_in_its_language(problem, "targets-yaml-error")


def test_a_file_that_is_not_utf8_is_explained_in_chinese(tmp_path):
    """Bytes that are not UTF-8: the zh reason says so in Chinese."""
    path = tmp_path / "targets.yaml"
    path.write_bytes(M.encode("gbk"))
    with pytest.raises(GongfuError) as caught:
        load_targets(path)
    _assert_in_its_language(caught.value.problems[0], "targets-yaml-error")
    assert "UTF-8" in caught.value.problems[0].message("zh")


@pytest.mark.parametrize(
    ("text", "zh"),
    [
        (INVALID["missing"], "缺少必填字段"),
        (INVALID["extra"], "不是可用的字段（拼写是否有误？）"),
        (INVALID["nan"], "应为有限的数字，不能是 .nan 或 .inf"),
        (
            INVALID["op-choice"],
            "应为以下之一：“>”、“>=”、“<”、“<=”、“~”、“maintain”、“rise”、“done”",
        ),
        (INVALID["id-pattern"], "只能用小写字母、数字和下划线，并以字母开头"),
        (INVALID["long-bounds"], "最多只能有 2 项，这里有 3 项"),
        (INVALID["above"], "应小于或等于 12"),
        (INVALID["missing-item"], "缺少第 2 项"),
        (INVALID["maintain-with-target"], "op 为“maintain”时与 baseline（基数）比较，不填 target"),
        (INVALID["key-twice"], "同一处写了两次键“target”（第一次在第 9 行），请只保留一个"),
        (
            YAML_ERRORS["colon-in-value"],
            "此处不能出现“键: 值”（可能缩进有误或值中含有冒号，请给值加引号）",
        ),
        (YAML_ERRORS["tab-indent"], "不能用 Tab 缩进，请用空格"),
        (YAML_ERRORS["tab-before-item"], "不能用 Tab 缩进，请用空格"),
        (YAML_ERRORS["unclosed-double-quote"], "引号没有配对"),
        (YAML_ERRORS["octal"], "YAML 会把“0170”读作 120"),
    ],
)
def test_the_chinese_reason_says_what_is_wrong(write_yaml, loader, text, zh):
    """The common problems read as a county statistician would say them."""
    (problem,) = _problems(write_yaml, text)
    assert zh in problem.message("zh")


@pytest.mark.parametrize(
    ("text", "en"),
    [
        (INVALID["nan"], "Input should be a finite number"),
        (INVALID["long-bounds"], "Tuple should have at most 2 items"),
        (INVALID["missing"], "Field required"),
        (INVALID["extra"], "Extra inputs are not permitted"),
        (INVALID["kind-choice"], "Input should be 'cumulative', 'count'"),
        (INVALID["maintain-with-target"], "op 'maintain' compares with 'baseline', not 'target'"),
        (INVALID["duplicate-id"], "duplicate indicator id 'gdp'"),
        (YAML_ERRORS["key-without-colon"], "could not find expected ':'"),
        (YAML_ERRORS["octal"], "YAML would read '0170' as 120"),
    ],
)
def test_the_english_reason_is_as_before(write_yaml, text, en):
    """--lang en keeps the English words of pydantic, the parser and gongfu's checks."""
    (problem,) = _problems(write_yaml, text)
    assert en in problem.message("en")


class _Sample(BaseModel):
    """Kinds of field the targets models may grow: a flag, a ceiling, a short code, a URL."""

    model_config = ConfigDict(extra="forbid")

    flag: bool = False
    ceiling: float = Field(0, lt=10)
    code: str = Field("ab", min_length=2, max_length=3)
    link: Any = None


@pytest.mark.parametrize(
    ("data", "zh"),
    [
        ({"flag": "maybe"}, "应为 true 或 false"),
        ({"flag": [1]}, "应为 true 或 false"),
        ({"ceiling": 10}, "应小于 10"),
        ({"code": "a"}, "至少应有 2 个字符"),
        ({"code": "abcd"}, "最多只能有 3 个字符"),
    ],
)
def test_pydantic_errors_the_models_may_grow_are_translated(data, zh):
    """Error types no field raises today still read in Chinese when one does."""
    with pytest.raises(ValidationError) as caught:
        _Sample.model_validate(data)
    reason_zh, reason_en = pydantic_reason(caught.value.errors(include_url=False)[0])
    assert zh in reason_zh and not _CHINESE.search(reason_en)


def test_an_untranslated_pydantic_error_keeps_its_english_in_brackets():
    """A kind of error with no translation says 字段值不符合要求 and what pydantic said."""
    error = {"type": "url_parsing", "loc": ("link",), "msg": "Input should be a valid URL"}
    reason_zh, reason_en = pydantic_reason(error)  # type: ignore[arg-type]
    assert reason_zh == "字段值不符合要求（Input should be a valid URL）"
    assert reason_en == "Input should be a valid URL"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_gongfu_targets_prints_the_reason_in_the_language_asked(write_yaml, lang):
    """`gongfu targets` on a tab-indented file: the located problem in Chinese or English."""
    path = write_yaml(YAML_ERRORS["tab-indent"])
    result = CliRunner().invoke(app, ["targets", "--targets", str(path), "--lang", lang])
    assert result.exit_code == 1, result.output
    place = f"{path} 第13行第1列：" if lang == "zh" else f"{path} line 13, column 1: "
    assert place in result.stderr and "[targets-yaml-error]" in result.stderr
    if lang == "zh":
        assert "不能用 Tab 缩进，请用空格" in result.stderr
    else:
        assert "tab" in result.stderr and not _CHINESE.search(result.stderr.split("]", 1)[1])
