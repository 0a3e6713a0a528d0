"""Shared fixtures: the bundled catalogue, the plan text, and writers for test files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from gongfu_cli.model.targets import Targets
from gongfu_cli.read.targets_file import load_targets
from gongfu_cli.read.targets_place import bundled_targets

ROOT = Path(__file__).resolve().parents[1]
# The plan's text, kept in the repository so the quote checks run anywhere;
# test_targets checks the copy against the team's shared/ copy when present.
PLAN = ROOT / "docs" / "plan-2025.txt"
SHARED_PLAN = ROOT.parent / "shared" / "plan-2025.txt"
SAMPLES = ROOT / "data" / "actuals"


@pytest.fixture(scope="session", autouse=True)
def catalogue_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Validated catalogues go to a folder of the tests' own (commands run in
    subprocesses inherit it), never to the user's cache."""
    folder = tmp_path_factory.mktemp("catalogue-cache")
    before = os.environ.get("GONGFU_CACHE_DIR")
    os.environ["GONGFU_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        del os.environ["GONGFU_CACHE_DIR"]
    else:
        os.environ["GONGFU_CACHE_DIR"] = before


@pytest.fixture(scope="session")
def targets() -> Targets:
    return load_targets(ROOT / "data" / "targets.yaml")


@pytest.fixture(scope="session")
def bundled() -> Path:
    return bundled_targets()


@pytest.fixture
def write_csv(tmp_path: Path):
    """Write rows as a CSV file named for its period, in any encoding."""

    def write(
        rows: list[list[str]],
        name: str = "2025-06.csv",
        encoding: str = "utf-8",
        header: list[str] | None = None,
        newline: str = "\n",
    ) -> Path:
        lines = [header or ["indicator", "value", "unit", "note"], *rows]
        text = newline.join(",".join(cell for cell in row) for row in lines) + newline
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def write_yaml(tmp_path: Path):
    def write(text: str, name: str = "targets.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


MINIMAL_TARGET = """\
plan: 测试方案
year: 2025
indicators:
  - id: gdp
    name: 地区生产总值
    name_en: GDP
    unit: 亿元
    op: ">"
    target: 180
    kind: cumulative
    frequency: quarterly
    pace: linear
    owners: []
    section: 二
    quote: 地区生产总值突破180亿元
"""
