"""bench/counties.py, small: its generated counties stay valid as the catalogue
changes, and the benchmark itself runs end to end, so that it cannot rot."""

from __future__ import annotations

import importlib
from collections import Counter
from pathlib import Path

import pytest

from gongfu_cli.model.targets import Targets

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def counties(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "bench"))  # it imports its neighbour bench.py
    return importlib.import_module("counties")


def test_generated_counties_are_what_gongfu_accepts(counties, tmp_path, targets: Targets):
    """A year of two counties, in every form the bench writes, reads with no problem at all."""
    written = counties.generate(tmp_path, 2, 12, targets)
    assert len(written) == 2 and all(len(files) == 12 for files in written.values())
    forms = Counter(form for files in written.values() for _, form in files)
    assert set(forms) == set(counties.FORMS)
    found: list[str] = []
    folders = [tmp_path / folder for folder in written]
    timings = counties.gongfu_pass(folders, targets, found)
    assert found == []
    assert timings["validate"].cpu > 0 and timings["review"].cpu > 0


def test_generated_files_are_what_frictionless_accepts(counties, tmp_path, targets: Targets):
    """The same files pass frictionless with the bench's schemas: both tools do the full work."""
    frictionless = pytest.importorskip("frictionless")
    written = counties.generate(tmp_path, 1, 12, targets)
    schemas = counties.schemas(targets)
    found: list[str] = []
    files = [
        (tmp_path / path, frictionless.Schema.from_descriptor(schemas[form.titles]))
        for path, form in written[Path("county-01")]
    ]
    with frictionless.system.use_context(trusted=True):  # absolute paths, in a test
        counties.frictionless_pass(files, found)
    assert found == []


def test_bench_runs_small(counties, capsys):
    """`python bench/counties.py --counties 2 --months 2` runs, compares and exits 0.

    In this process: a child's peak memory would count in test_fuzz's measure of its own."""
    pytest.importorskip("frictionless")
    code = counties.main(["--counties", "2", "--months", "2", "--runs", "1"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "2 counties × 2 months = 4 files" in out
    assert "gongfu (both) / frictionless" in out
