"""The validated catalogue kept between runs (read/targets_cache.py): used only for
the exact bytes it was validated from, never a reason to fail, and the reason
`gongfu check` runs without importing yaml or pydantic."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from gongfu_cli.model.problems import GongfuError
from gongfu_cli.read import targets_cache, targets_file
from gongfu_cli.read.targets_cache import cache_folder, load_targets

ROOT = Path(__file__).resolve().parents[1]
JUNE = str(ROOT / "data" / "actuals" / "2025-06.csv")


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("GONGFU_CACHE_DIR", str(folder))
    monkeypatch.delenv("GONGFU_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def catalogue_file(tmp_path) -> Path:
    copy = tmp_path / "targets.yaml"
    copy.write_bytes((ROOT / "data" / "targets.yaml").read_bytes())
    return copy


@pytest.fixture
def validations(monkeypatch) -> list[str]:
    """The files parsed and validated (the slow way) while the test runs."""
    seen: list[str] = []
    parse = targets_file.parse_targets

    def counted(content: bytes, file: str):
        seen.append(file)
        return parse(content, file)

    monkeypatch.setattr(targets_file, "parse_targets", counted)
    return seen


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("targets-*.pickle"))


def test_a_file_validated_once_is_read_back_the_same(cache, catalogue_file, validations):
    first = load_targets(catalogue_file)
    again = load_targets(catalogue_file)
    assert validations == [str(catalogue_file)]  # the second load did not validate
    assert again == first == targets_file.load_targets(catalogue_file)
    assert again.by_id["gdp"].target == first.by_id["gdp"].target
    assert len(entries(cache)) == 1


def test_an_edited_file_is_validated_again_and_refused_when_broken(
    cache, catalogue_file, validations
):
    """A stale entry is never used: the key is the file's bytes."""
    good = load_targets(catalogue_file)
    text = catalogue_file.read_text(encoding="utf-8")
    catalogue_file.write_text(text.replace("year: 2025", "year: 1800", 1), encoding="utf-8")
    with pytest.raises(GongfuError) as refused:
        load_targets(catalogue_file)
    assert [p.code for p in refused.value.problems] == ["targets-invalid"]
    catalogue_file.write_text(text.replace("突破180亿元", "突破190亿元", 1), encoding="utf-8")
    edited = load_targets(catalogue_file)
    assert len(validations) == 3
    assert edited.by_id["gdp"].quote != good.by_id["gdp"].quote


def test_the_code_that_validated_is_part_of_the_key(cache, catalogue_file, monkeypatch):
    load_targets(catalogue_file)
    monkeypatch.setattr(targets_cache, "FORMAT", targets_cache.FORMAT + 1)
    load_targets(catalogue_file)
    assert len(entries(cache)) == 2


def test_a_damaged_entry_is_a_miss_and_is_rewritten(cache, catalogue_file, validations):
    expected = load_targets(catalogue_file)
    (entry,) = entries(cache)
    entry.write_bytes(b"\x80\x05 not a pickle")
    assert load_targets(catalogue_file) == expected
    assert len(validations) == 2
    assert pickle.loads(entry.read_bytes()) == expected


def test_an_entry_that_holds_something_else_is_not_used(cache, catalogue_file, validations):
    expected = load_targets(catalogue_file)
    (entry,) = entries(cache)
    entry.write_bytes(pickle.dumps({"plan": "别的东西"}))
    assert load_targets(catalogue_file) == expected
    assert len(validations) == 2


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_folder_others_may_write_to_is_not_read(cache, catalogue_file, validations):
    """Unpickling runs what an entry names: an entry someone else could have put there
    is not read."""
    load_targets(catalogue_file)
    cache.chmod(0o777)
    try:
        load_targets(catalogue_file)
    finally:
        cache.chmod(0o700)
    assert len(validations) == 2


def test_a_cache_that_cannot_be_written_changes_nothing(tmp_path, catalogue_file, monkeypatch):
    """A cache folder that is a file (or read-only, or on a full disk): the catalogue
    is validated as ever, without a word."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("GONGFU_CACHE_DIR", str(blocker / "cache"))
    assert load_targets(catalogue_file) == targets_file.load_targets(catalogue_file)


def test_gongfu_no_cache_keeps_nothing(cache, catalogue_file, monkeypatch, validations):
    monkeypatch.setenv("GONGFU_NO_CACHE", "1")
    assert cache_folder() is None
    load_targets(catalogue_file)
    load_targets(catalogue_file)
    assert len(validations) == 2
    assert not cache.exists()


def test_only_the_newest_entries_are_kept(cache, catalogue_file, monkeypatch):
    monkeypatch.setattr(targets_cache, "KEEP", 3)
    text = catalogue_file.read_text(encoding="utf-8")
    for version in range(5):
        catalogue_file.write_text(text + f"\n# version {version}\n", encoding="utf-8")
        load_targets(catalogue_file)
        newest = entries(cache)
    assert len(newest) == 3
    assert not list(cache.glob(".targets-*"))  # no temporary file left behind


def test_each_load_is_the_callers_own(cache, catalogue_file):
    """Two loads give equal catalogues, but not one object: what one script does to
    its catalogue, no later load sees."""
    first = load_targets(catalogue_file)
    second = load_targets(catalogue_file)
    assert first == second and first is not second
    first.indicators.clear()
    assert load_targets(catalogue_file) == second


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and links")
@pytest.mark.parametrize("linked", ["folder", "entry"])
def test_a_linked_folder_or_entry_is_not_read(
    tmp_path, catalogue_file, validations, linked, monkeypatch
):
    """A symbolic link could be turned to another folder between a check and a read:
    a cache folder or entry that is one is not read."""
    real = tmp_path / "real"
    monkeypatch.setenv("GONGFU_CACHE_DIR", str(real))
    load_targets(catalogue_file)
    (entry,) = entries(real)
    if linked == "folder":
        link = tmp_path / "link"
        link.symlink_to(real, target_is_directory=True)
        monkeypatch.setenv("GONGFU_CACHE_DIR", str(link))
    else:
        moved = tmp_path / "elsewhere.pickle"
        entry.rename(moved)
        entry.symlink_to(moved)
    load_targets(catalogue_file)
    assert len(validations) == 2


@pytest.mark.parametrize("value", ["", "0", "false", "No"])
def test_gongfu_no_cache_off_words_keep_the_cache(cache, monkeypatch, value):
    monkeypatch.setenv("GONGFU_NO_CACHE", value)
    assert cache_folder() == cache


def test_a_missing_file_is_said_as_before(cache, tmp_path):
    with pytest.raises(GongfuError) as missing:
        load_targets(tmp_path / "nope.yaml")
    assert [p.code for p in missing.value.problems] == ["targets-not-found"]


@pytest.mark.parametrize("argv", [["check", JUNE], ["validate", JUNE]])
def test_a_run_on_a_kept_catalogue_imports_neither_yaml_nor_pydantic(cache, argv):
    """The speed of `gongfu check` (README "Speed"): on every run after the first, the
    catalogue comes from the cache, and neither yaml nor pydantic is imported (typer
    0.29 would import pydantic for its own parameters)."""
    code = (
        f"import sys; sys.argv = ['gongfu', *{argv!r}]\n"
        "from gongfu_cli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('LOADED %s' % [m for m in ('yaml', 'pydantic') if m in sys.modules])\n"
    )

    def loaded() -> str:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
        )
        return done.stderr.rsplit("LOADED ", 1)[-1]

    assert loaded() == "['yaml', 'pydantic']"  # the first run validates the file
    assert loaded() == "[]"
