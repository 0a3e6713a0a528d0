"""Files read moments ago are not parsed again (read/actuals.py RecentFiles): the
same answer, each caller its own copy, and a changed file always read afresh."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import gongfu_cli as gf
from gongfu_cli.read import actuals as reader
from gongfu_cli.read.actuals import RecentFiles, read_actuals

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "actuals"


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The files parsed (not served from RECENT) while the test runs."""
    seen: list[str] = []
    parse = reader._read_file

    def counted(path, targets, period, content=None):
        seen.append(Path(path).name)
        return parse(path, targets, period, content)

    monkeypatch.setattr(reader, "_read_file", counted)
    monkeypatch.setattr(reader, "RECENT", RecentFiles())
    return seen


@pytest.fixture
def june(tmp_path) -> Path:
    path = tmp_path / "2025-06.csv"
    path.write_bytes((SAMPLES / "2025-06.csv").read_bytes())
    return path


def test_a_file_read_again_is_not_parsed_again(parsed, june, targets):
    first = read_actuals(june, targets)
    again = read_actuals(june, targets)
    assert parsed == ["2025-06.csv"]
    assert again.readings == first.readings and again.problems == first.problems


def test_each_caller_gets_its_own_copy(parsed, june, targets):
    """Later stages mark readings (invalid, doubtful) and add problems: what one
    caller changes, the next does not see."""
    answers = []
    for _ in range(3):  # the first read, then two from what is kept
        answer = read_actuals(june, targets)
        ind_id = next(iter(answer.readings))
        assert answer.readings[ind_id].valid and not answer.readings[ind_id].suspect
        assert not answer.problems
        answer.readings[ind_id].valid = False
        answer.readings[ind_id].suspect = True
        answer.problems.append(gf.Problem("no-actuals-file", file=str(june), params={"path": "x"}))
        answers.append(answer)
    assert answers[1].readings[ind_id] is not answers[2].readings[ind_id]


def test_a_changed_file_is_read_afresh(parsed, june, targets):
    before = read_actuals(june, targets)
    text = june.read_text(encoding="utf-8")
    june.write_text(text.replace('旅游总收入,"660,000"', '旅游总收入,"661,000"'), encoding="utf-8")
    after = read_actuals(june, targets)
    assert parsed == ["2025-06.csv", "2025-06.csv"]
    assert after.readings["tourism_revenue"].value != before.readings["tourism_revenue"].value


def test_what_is_kept_is_what_the_hashed_bytes_say(parsed, june, targets, monkeypatch):
    """The bytes hashed are the bytes parsed: a file that changes between the two
    cannot leave one version's figures kept under the other's digest."""
    text = june.read_text(encoding="utf-8")
    earlier = text.replace('旅游总收入,"660,000"', '旅游总收入,"661,000"').encode()
    monkeypatch.setattr(reader.RECENT, "_content", lambda path: earlier)
    first = read_actuals(june, targets)  # the file on disk still says 660,000
    assert first.readings["tourism_revenue"].value == 66.1
    monkeypatch.undo()  # the real bytes now: another digest, parsed afresh
    monkeypatch.setattr(reader, "RECENT", RecentFiles())
    assert read_actuals(june, targets).readings["tourism_revenue"].value == 66.0


def test_another_catalogue_or_period_is_read_afresh(parsed, june, targets):
    from catalogue import unchecked

    read_actuals(june, targets)
    read_actuals(june, unchecked(targets))  # another object, equal: the same reading
    assert len(parsed) == 1
    read_actuals(june, unchecked(targets, year=2024))
    read_actuals(june, targets, gf.Period(2025, 5))
    assert len(parsed) == 3


def test_a_pipe_is_read_once_and_never_waited_on(parsed, tmp_path):
    """A named pipe reads once: digesting it first would leave nothing to read."""
    import threading

    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    pipe = tmp_path / "2025-06.csv"
    os.mkfifo(pipe)
    digests = []
    worker = threading.Thread(target=lambda: digests.append(reader.RECENT._content(pipe)))
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # unblock it before failing
        with pipe.open("wb"):
            pass
    assert digests == [None]


def test_only_small_files_and_the_last_few_are_kept(parsed, june, targets, monkeypatch):
    monkeypatch.setattr(reader.RECENT, "LARGEST", 10)
    read_actuals(june, targets)
    read_actuals(june, targets)
    assert len(parsed) == 2
    monkeypatch.setattr(reader.RECENT, "LARGEST", 1 << 20)
    monkeypatch.setattr(reader.RECENT, "KEEP", 2)
    for month in ("2025-04.csv", "2025-05.csv", "2025-06.csv"):
        read_actuals(SAMPLES / month, targets)
    read_actuals(SAMPLES / "2025-04.csv", targets)  # dropped by the two after it
    assert parsed[2:] == ["2025-04.csv", "2025-05.csv", "2025-06.csv", "2025-04.csv"]


def test_review_after_validate_is_the_same_answer(parsed, targets):
    """The case it is for: gf.validate(folder), then gf.review(folder), reads each
    file once, and the review is the one a fresh process gives."""
    gf.validate(SAMPLES, targets=targets)
    files = len(parsed)
    reviewed = gf.review(SAMPLES, targets=targets).to_dict()
    assert len(parsed) == files  # nothing parsed twice
    reader.RECENT.clear()
    assert gf.review(SAMPLES, targets=targets).to_dict() == reviewed
    assert len(parsed) > files


def test_review_after_validate_without_a_catalogue_reads_once(parsed):
    """Each call loads its own catalogue (equal, not the same object): the files are
    still read once."""
    gf.validate(SAMPLES)
    files = len(parsed)
    gf.review(SAMPLES)
    assert len(parsed) == files > 0
