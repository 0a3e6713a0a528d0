"""The public Python API (issue 10): gf.load_targets, gf.review, gf.validate, typed
DataFrames, typed problem fields, and pandas kept off the command line's path."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import gongfu_cli as gf
from conftest import ROOT, SAMPLES
from gongfu_cli.cli.root import app
from gongfu_cli.model.problems import CATALOGUE, Problem

JUNE = str(SAMPLES / "2025-06.csv")
runner = CliRunner()


def test_the_surface_is_small_and_every_name_resolves():
    """__all__ lists the API, and every name in it is there."""
    assert {"load_targets", "review", "validate", "Review", "GongfuError"} <= set(gf.__all__)
    for name in gf.__all__:
        assert getattr(gf, name) is not None, name


def test_importing_the_package_loads_nothing_heavy():
    """`import gongfu_cli` is instant: no pydantic, rich, pandas or openpyxl until asked for."""
    code = (
        "import sys, gongfu_cli\n"
        "print([m for m in ('pydantic', 'rich', 'pandas', 'openpyxl') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["check", "--help"],
        ["check", JUNE],
        ["check", str(SAMPLES), "--format", "json"],
        ["validate", str(SAMPLES)],
        ["brief", str(SAMPLES)],
    ],
)
def test_the_command_line_never_imports_pandas(argv):
    """check, validate, brief and --help run without importing pandas (it costs a whole run)."""
    code = (
        f"import sys; sys.argv = ['gongfu', *{argv!r}]\n"
        "from gongfu_cli.cli import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "sys.stderr.write('EXIT %s PANDAS %s' % (code, 'pandas' in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    # each command did its whole work (exit 0 on the sample), so pandas had every chance
    assert "EXIT 0 PANDAS False" in done.stderr, done.stderr[-2000:]


def test_an_error_in_a_notebook_reads_in_chinese_first(tmp_path):
    """What Jupyter prints for a GongfuError: the code, the Chinese words, then English."""
    with pytest.raises(gf.GongfuError) as caught:
        gf.review(tmp_path / "nope")
    text = str(caught.value)
    code = caught.value.problems[0].code
    assert text.startswith(f"[{code}] ")
    chinese, english = text.split(" / ", 1)
    assert re.search(r"[\u4e00-\u9fff]", chinese) and "nope" in chinese
    assert not re.search(r"[\u4e00-\u9fff]", english) and "nope" in english


@pytest.mark.parametrize("month", [0, 13, -1])
def test_a_period_object_outside_the_year_is_refused(month):
    """gf.Period(2025, 13) is a bad period, as "2025-13" is: refused with bad-option."""
    for call in (
        lambda: gf.review(JUNE, period=gf.Period(2025, month)),
        lambda: gf.validate(JUNE, period=gf.Period(2025, month)),
    ):
        with pytest.raises(gf.GongfuError) as caught:
            call()
        assert [p.code for p in caught.value.problems] == ["bad-option"]
        assert f"2025-{month:02d}" in str(caught.value)


def test_review_is_the_same_answer_as_check():
    """gf.review(path) is what `gongfu check PATH --format json` prints, key for key."""
    printed = json.loads(runner.invoke(app, ["check", JUNE, "--format", "json"]).stdout)
    review = gf.review(JUNE)
    assert review.to_dict() == printed
    assert str(review.period) == "2025-06"
    assert [str(p) for p in review.year.periods][:2] == ["2025-01", "2025-02"]


def test_review_takes_a_period_and_a_loaded_catalogue():
    """period as text or Period, targets as a path or a loaded catalogue, give one answer."""
    catalogue = gf.load_targets(ROOT / "data" / "targets.yaml")
    by_text = gf.review(SAMPLES, period="2025-05", targets=catalogue)
    by_period = gf.review(str(SAMPLES), period=gf.Period(2025, 5))
    assert str(by_text.period) == "2025-05"
    assert by_text.to_dict()["indicators"] == by_period.to_dict()["indicators"]


def test_validate_is_the_same_answer_as_the_command(tmp_path):
    """gf.validate matches `gongfu validate --format json`, also for a file with errors."""
    bad = tmp_path / "2025-06.csv"
    bad.write_text("指标,数值\n新增就业岗位,12亿\n", encoding="gbk")
    for paths in ([str(SAMPLES)], [str(bad)]):
        printed = json.loads(runner.invoke(app, ["validate", *paths, "--format", "json"]).stdout)
        assert gf.validate(paths).to_dict() == printed
    assert gf.validate(str(SAMPLES)).valid
    assert not gf.validate(bad).valid


def test_a_run_that_cannot_go_on_raises_with_located_problems(tmp_path):
    """A missing path or an empty folder raises GongfuError with the command's problem codes."""
    with pytest.raises(gf.GongfuError) as missing:
        gf.review(tmp_path / "nope.csv")
    assert [p.code for p in missing.value.problems] == ["file-not-found"]
    with pytest.raises(gf.GongfuError) as empty:
        gf.validate(tmp_path)
    assert empty.value.problems[0].code == "no-actuals-file"
    with pytest.raises(gf.GongfuError) as nothing:
        gf.validate([])
    assert [p.code for p in nothing.value.problems] == ["bad-option"]
    with pytest.raises(gf.GongfuError) as bad_period:
        gf.review(SAMPLES, period="2025-13")
    assert bad_period.value.problems[0].code == "bad-option"


# ---------------------------------------------------------------------------
# Typed problem fields


def test_a_problem_missing_a_field_fails_when_it_is_made():
    """Each code's placeholders are its fields: leaving one out is an error at creation."""
    with pytest.raises(TypeError, match="suggestion_en, suggestion_zh"):
        Problem("unknown-indicator", params={"value": "旅游收人"})
    with pytest.raises(ValueError, match="unknown problem code"):
        Problem("no-such-code")


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_formats_with_exactly_its_fields(code):
    """Given its fields, every code's four texts format in full (no blank, no KeyError)."""
    spec = CATALOGUE[code]
    params = {name: f"<{name}>" for name in spec.fields}
    problem = Problem(code, params=params)
    texts = [problem.message("zh"), problem.message("en"), problem.fix("zh"), problem.fix("en")]
    for name in spec.fields:
        assert any(f"<{name}>" in text for text in texts), name
    assert problem.to_dict()["fields"] == params
    assert not any(re.search(r"\{\w+\}", text) for text in texts)


# ---------------------------------------------------------------------------
# DataFrames


def test_the_month_frame_has_one_type_per_column():
    """to_frame(): one row per indicator, every column typed, never a mixed object column."""
    review = gf.review(SAMPLES)
    frame = review.to_frame()
    assert len(frame) == len(review.evaluations) == frame["id"].nunique()
    assert isinstance(frame["period"].dtype, pd.PeriodDtype) and frame["period"].dtype.freq.n == 1
    assert str(frame["period"].iloc[0]) == "2025-06"
    for column in ("target", "value", "completion", "time_progress", "gap_points", "projection"):
        assert frame[column].dtype == "float64", column
    for column in ("id", "name", "unit", "grade", "lead_owner", "source_file"):
        assert isinstance(frame[column].dtype, pd.StringDtype), column
    assert frame["done"].dtype == "boolean" and frame["projected_to_miss"].dtype == "boolean"
    assert frame["source_line"].dtype == "Int64"
    for column in ("status", "light"):
        assert isinstance(frame[column].dtype, pd.CategoricalDtype) and frame[column].cat.ordered
    assert list(frame["light"].cat.categories) == ["red", "yellow", "green", "grey"]
    assert all(isinstance(owners, tuple) for owners in frame["owners"])


def test_the_frame_agrees_with_the_review_row_by_row():
    """Each row carries its evaluation's figure, light and source; milestones in `done`."""
    review = gf.review(SAMPLES)
    frame = review.to_frame().set_index("id")
    for e in review.evaluations:
        row = frame.loc[e.indicator.id]
        assert row["light"] == e.light.value and row["status"] == e.status.value
        if e.actual is None:
            assert pd.isna(row["value"])
        else:
            assert row["value"] == pytest.approx(e.actual)
        if e.done is None:
            assert pd.isna(row["done"])
        else:
            assert bool(row["done"]) is e.done
        if e.indicator.owners:
            assert row["lead_owner"] == e.indicator.owners[0]
        else:
            assert pd.isna(row["lead_owner"])
        if e.reading is not None:
            assert row["source_line"] == e.reading.line
    assert frame["done"].notna().sum() == sum(e.done is not None for e in review.evaluations)


def test_the_year_frame_is_long_form():
    """year_frame(): one row per indicator × month of the year, months in order."""
    review = gf.review(SAMPLES)
    year = review.year_frame()
    months = len(review.year.reports)
    assert months == 6 and len(year) == months * len(review.evaluations)
    assert year.groupby("id").size().eq(months).all()
    assert [str(p) for p in year["period"].unique()] == [f"2025-0{m}" for m in range(1, 7)]


def test_validation_frame_is_one_row_per_problem(tmp_path):
    """validate(...).to_frame(): each problem, located, severity ordered."""
    bad = tmp_path / "2025-06.csv"
    bad.write_text("指标,数值\n新增就业岗位,12亿\n旅游总收人,66\n", encoding="gbk")
    report = gf.validate(bad)
    frame = report.to_frame()
    assert len(frame) == len(report.problems) > 0
    assert set(frame["code"]) >= {"invalid-number", "unknown-indicator"}
    assert frame["line"].dtype == "Int64" and frame["severity"].cat.ordered


def test_a_review_shows_as_the_traffic_light_table_in_jupyter():
    """_repr_html_: the report's table, every indicator named, styles scoped to it."""
    review = gf.review(SAMPLES)
    html = review._repr_html_()
    assert html.startswith("<div class='gongfu'>")
    assert "body" not in html.split("</style>")[0] and "@page" not in html
    for e in review.evaluations:
        if e.indicator.kind.value != "milestone":
            assert e.indicator.name.replace("“", "&ldquo;")[:2] in html or e.indicator.name in html


# ---------------------------------------------------------------------------
# The README's examples run


def _readme_api_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Python API (Jupyter)", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_the_readmes_api_examples_run_and_return_typed_frames(monkeypatch):
    """Every code block of the README's Python API section runs, in order, from the checkout."""
    blocks = _readme_api_blocks()
    assert len(blocks) >= 4
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    by_owner, pivot = namespace["by_owner"], namespace["pivot"]
    assert isinstance(by_owner, pd.DataFrame) and list(by_owner.columns) == [
        "red",
        "yellow",
        "green",
    ]
    assert "县民社局" in by_owner.index
    assert isinstance(pivot, pd.DataFrame) and isinstance(pivot.columns, pd.PeriodIndex)
    assert len(pivot.columns) == 6
    red = namespace["red"]
    reds = sum(e.light.value == "red" for e in gf.review(SAMPLES).evaluations)
    assert isinstance(red, pd.DataFrame) and len(red) == reds > 0


def test_json_is_language_free():
    """--lang changes nothing in the JSON: names and messages are there in both languages."""
    zh = runner.invoke(app, ["check", JUNE, "--format", "json"]).stdout
    en = runner.invoke(app, ["check", JUNE, "--format", "json", "--lang", "en"]).stdout
    assert zh == en
    tourism = next(i for i in json.loads(zh)["indicators"] if i["id"] == "tourism_revenue")
    assert tourism["name"] == "旅游总收入" and tourism["name_en"].startswith("Total tourism")
    assert tourism["value"] == 66 and tourism["grade"] is None and tourism["done"] is None


def test_path_objects_and_strings_are_both_accepted():
    """Paths may be str or Path, alone or in a list."""
    assert gf.validate(Path(JUNE)).valid == gf.validate([JUNE]).valid
