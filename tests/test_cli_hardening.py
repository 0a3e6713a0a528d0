"""Issue 8 (hardening) at the command line: file names, folders, output files, paths,
JSON on failure, interrupts and closed pipes."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT, SAMPLES
from gongfu_cli import cli
from gongfu_cli.cli import app
from gongfu_cli.model.period import Period
from gongfu_cli.read.files import list_folder, period_from_name, suggested_name
from gongfu_cli.write import output
from gongfu_cli.write.output import OutputExists, OutputNotAFile, write_atomically

runner = CliRunner()
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
HAS_FIFO = hasattr(os, "mkfifo")


def run(*args: str):
    return runner.invoke(app, list(args))


def sample_year(folder: Path, june_name: str | None = "2025-06.csv") -> Path:
    """The sample January–May files, and June under `june_name`."""
    folder.mkdir(exist_ok=True)
    for month in range(1, 6):
        shutil.copy(SAMPLES / f"2025-{month:02d}.csv", folder)
    if june_name:
        shutil.copy(SAMPLES / "2025-06.csv", folder / june_name)
    return folder


def codes(problems: list[dict]) -> list[tuple[str, str]]:
    return [(p["code"], Path(p["file"] or "").name) for p in problems]


# ---------------------------------------------------------------------------
# 1. File names


@pytest.mark.parametrize(
    "name",
    [
        "2025-06.csv",
        "2025-6.csv",
        "2025年6月.csv",
        "2025年06月.xlsx",
        "2025年6月份.csv",
        "2025年1-6月.csv",
        "202506.csv",
        "2025.06.csv",
        "2025.6.csv",
        "2025_06.csv",
        "2025 06.csv",
        "２０２５－０６.csv",
        "2025-06-县民社局.csv",
        "2025-06 海洋局.xlsx",
        "2025-06海洋局.csv",
        "2025年6月嵊泗县指标.xlsx",
        "2025-06(修订).csv",
    ],
)
def test_every_unambiguous_month_spelling_is_read(name):
    """A name starting with a month in any office spelling is that month's file."""
    assert period_from_name(Path(name)) == Period(2025, 6)


@pytest.mark.parametrize(
    "name",
    [
        "2025-061.csv",  # 06 then 1: not June
        "2025061.csv",
        "20250612.csv",  # a date: perhaps the day it was exported
        "2025-06-12.csv",
        "2025.6.1.csv",
        "2025_06_30.csv",
        "2025年6月12日.csv",
        "2025-13.csv",
        "202513.csv",
        "2025-00.csv",
        "报表.csv",
        "嵊泗2025-06.csv",  # a month, but not at the start
        "june.csv",
        "123456.csv",
    ],
)
def test_names_that_are_not_a_month_are_not_misread(name):
    """Digits after the month, a full date, an impossible month or a month mid-name give none."""
    assert period_from_name(Path(name)) is None


@pytest.mark.parametrize(
    "june_name", ["2025-6.csv", "2025年6月.csv", "202506.csv", "2025.06.csv", "2025_06.csv"]
)
def test_a_near_miss_june_name_is_reviewed_not_may(tmp_path, june_name):
    """check on a folder reviews the June file whatever its spelling, and validate reads it."""
    folder = sample_year(tmp_path / "y", june_name)
    result = run("check", str(folder), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert (document["period"], Path(document["file"]).name) == ("2025-06", june_name)
    assert document["previous_period"] == "2025-05"

    (folder / june_name).write_text("indicator,value\nnew_jobs,abc\n", encoding="utf-8")
    validated = run("validate", str(folder), "--format", "json")
    assert validated.exit_code == 1
    assert ("invalid-number", june_name) in codes(json.loads(validated.stdout)["problems"])


@pytest.mark.parametrize("command", ["check", "brief", "trend", "owners", "validate"])
def test_an_xls_june_is_refused_not_skipped(tmp_path, command):
    """A 2025-06.xls beside May is June's file: refused with an error, never May reviewed."""
    folder = sample_year(tmp_path / "y", None)
    (folder / "2025-06.xls").write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    result = run(command, str(folder))
    assert result.exit_code == 1, result.output
    assert "2025-06.xls" in result.output and "unsupported-workbook" in result.output


def test_an_xls_beside_the_csv_of_its_month_is_named(tmp_path):
    """Two files for June, .csv and .xls: both are June's, so the .xls is refused as an
    error of the month (it may hold figures the .csv lacks) and the .csv is still used."""
    folder = sample_year(tmp_path / "y")
    (folder / "2025-06.xls").write_bytes(b"old")
    result = run("check", str(folder), "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["period"] == "2025-06"
    assert ("unsupported-workbook", "2025-06.xls") in codes(document["errors"])
    tourism = next(i for i in document["indicators"] if i["id"] == "tourism_revenue")
    assert tourism["actual"] is not None


UNUSED = {
    "notes.pdf": "不是 .csv 或 .xlsx 表格",
    "报表.xlsx": "文件名开头没有年月",
    "20250612.csv": "以日期开头",
    "2025-06.csv.bak": "不是 .csv 或 .xlsx 表格",
    "2024-12.csv": "属于 2024 年",
    "~$2025-06.xlsx": "临时锁定文件",
    "数据": "没有扩展名",
}


def folder_with_extras(tmp_path: Path) -> Path:
    folder = sample_year(tmp_path / "y")
    for name in UNUSED:
        (folder / name).write_bytes(b"x")
    # Never data, skipped without a word:
    for name in (".DS_Store", ".gitkeep", "README.md", "Thumbs.db", "desktop.ini"):
        (folder / name).write_bytes(b"x")
    (folder / "2024").mkdir()
    return folder


@pytest.mark.parametrize("command", ["check", "brief", "trend", "owners"])
def test_every_unused_file_in_a_folder_is_named_with_its_reason(tmp_path, command):
    """Each file a review leaves out gets ignored-file with why; hidden and README files do not."""
    folder = folder_with_extras(tmp_path)
    result = run(command, str(folder))
    assert result.exit_code == 0, result.output
    warned = [line for line in result.stderr.splitlines() if "[ignored-file]" in line]
    for name, reason in UNUSED.items():
        (line,) = [w for w in warned if w.startswith(str(folder / name) + ":")]
        assert reason in line
    assert len(warned) == len(UNUSED)


def test_validate_lists_unused_files_and_strict_fails_on_them(tmp_path):
    """validate names every unused file (a warning; --strict makes it fail)."""
    folder = folder_with_extras(tmp_path)
    (folder / "2024-12.csv").unlink()  # validate reads every year's files
    result = run("validate", str(folder), "--format", "json")
    document = json.loads(result.stdout)
    unused = {name for code, name in codes(document["problems"]) if code == "ignored-file"}
    assert unused == set(UNUSED) - {"2024-12.csv"}
    assert result.exit_code == 0
    assert run("validate", str(folder), "--strict").exit_code == 1


def test_report_and_profile_name_unused_files(tmp_path):
    """report and profile warn about the files they leave out too."""
    folder = folder_with_extras(tmp_path)
    result = run("report", str(folder), "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 0 and "未使用此文件" in result.stderr
    profiled = run("profile", str(folder), "--indicator", "tourism_revenue")
    assert "报表.xlsx" in profiled.stderr and "[ignored-file]" in profiled.stderr


def test_a_folder_with_only_unusable_files_says_why(tmp_path):
    """No monthly file: no-actuals-file, with each file's reason beside it."""
    (tmp_path / "6月报表.xlsx").write_bytes(b"x")
    result = run("check", str(tmp_path))
    assert result.exit_code == 2
    assert "no-actuals-file" in result.stderr and "6月报表.xlsx" in result.stderr


@pytest.mark.skipif(not HAS_FIFO, reason="needs mkfifo")
def test_a_pipe_named_for_a_month_is_not_read(tmp_path):
    """A FIFO in a folder is reported, never opened (it would hang the run)."""
    folder = sample_year(tmp_path / "y")
    os.mkfifo(folder / "2025-07.csv")
    result = run("check", str(folder), "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["period"] == "2025-06"
    assert ("ignored-file", "2025-07.csv") in codes(document["warnings"])


def test_two_files_for_a_month_are_chosen_the_same_way_every_time(tmp_path):
    """Equal files for one month are ordered by name, not by the folder's listing order."""
    for name in ("2025-06-b.csv", "2025-06-a.csv", "2025年6月.csv"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in list_folder(tmp_path).monthly] == sorted(
        ["2025-06-a.csv", "2025-06-b.csv", "2025年6月.csv"]
    )


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("报表.xlsx", "2025-06.xlsx"),
        ("报表.csv", "2025-06.csv"),
        ("报表.xls", "2025-06.xlsx"),
        ("嵊泗2025年7月指标.xlsx", "2025-07.xlsx"),
        ("20250812.csv", "2025-08.csv"),
        ("月报.XLSX", "2025-06.xlsx"),
    ],
)
def test_a_name_without_a_month_gets_a_suggestion_from_the_file_itself(tmp_path, name, suggestion):
    """no-period suggests a name with the file's own suffix and any month its name holds."""
    assert suggested_name(Path(name), 2025)[0] == suggestion
    path = tmp_path / name
    shutil.copy(SAMPLES / "2025-06.csv", path)
    result = run("check", str(path))
    assert result.exit_code == 2 and "[no-period]" in result.stderr
    assert f"把文件命名为如 {suggestion}，或加上 --period {suggestion[:7]}" in result.stderr
    validated = run("validate", str(path), "--lang", "en")
    assert f"Name the file like {suggestion}" in validated.stdout


# ---------------------------------------------------------------------------
# 2. Output files


@pytest.mark.skipif(not HAS_FIFO, reason="needs mkfifo")
@pytest.mark.parametrize("kind", ["fifo", "link-to-fifo", "link-to-null", "folder"])
def test_force_never_replaces_what_is_not_a_regular_file(tmp_path, kind):
    """report -o X --force refuses a pipe, a symbolic link (to a device) or a folder, exit 2."""
    target = tmp_path / "out.html"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "link-to-fifo":
        os.mkfifo(tmp_path / "fifo")
        target.symlink_to(tmp_path / "fifo")
    elif kind == "link-to-null":
        target.symlink_to(os.devnull)
    else:
        target.mkdir()
    before = os.lstat(target).st_mode
    result = run("report", str(SAMPLES), "-o", str(target), "--force")
    assert result.exit_code == 2
    assert "不能写入或覆盖" in result.stderr and "Traceback" not in result.output
    assert os.lstat(target).st_mode == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_folder_as_output_says_it_is_a_folder(tmp_path):
    """-o naming a folder says 是一个目录 / is a directory, not 'exists; add --force'."""
    zh = run("template", "2025-06", "-o", str(tmp_path))
    assert zh.exit_code == 2 and "是一个目录" in zh.stderr and "--force" not in zh.stderr
    en = run("report", str(SAMPLES), "-o", str(tmp_path), "--lang", "en")
    assert en.exit_code == 2 and "is a directory" in en.stderr


def test_a_device_is_never_written_over(tmp_path, monkeypatch):
    """A character device at the output name (like /dev/null) is refused even with --force."""
    target = tmp_path / "null"
    real_lstat = os.lstat

    def device_lstat(path, *args, **kwargs):
        if Path(path) == target:
            return os.stat_result((stat.S_IFCHR | 0o666, 0, 0, 1, 0, 0, 0, 0, 0, 0))
        return real_lstat(path, *args, **kwargs)

    monkeypatch.setattr(output.os, "lstat", device_lstat)
    with pytest.raises(OutputNotAFile) as caught:
        write_atomically(target, b"x", force=True)
    assert caught.value.kind == "device" and not target.exists()


def test_two_writers_racing_for_one_name_never_both_succeed(tmp_path, monkeypatch):
    """Without --force, of two runs that both saw the name free exactly one writes it."""
    target = tmp_path / "report.html"
    both_checked = threading.Barrier(2)
    real_temporary = output._temporary

    def after_both_checked(path):
        both_checked.wait(timeout=10)  # both have passed the 'exists?' check
        return real_temporary(path)

    monkeypatch.setattr(output, "_temporary", after_both_checked)
    outcomes: list[str] = []

    def write(data: bytes) -> None:
        try:
            write_atomically(target, data)
            outcomes.append("wrote")
        except OutputExists:
            outcomes.append("exists")

    threads = [threading.Thread(target=write, args=(d,)) for d in (b"first", b"second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["exists", "wrote"]
    assert target.read_bytes() in (b"first", b"second")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary left


def test_two_processes_racing_for_one_name_never_both_succeed(tmp_path):
    """Eight processes writing one new name without --force: one succeeds, seven refuse."""
    target = tmp_path / "t.csv"
    script = (
        "import sys; from pathlib import Path\n"
        "from gongfu_cli.write.output import write_atomically, OutputExists\n"
        "try:\n    write_atomically(Path(sys.argv[1]), sys.argv[2].encode())\n"
        "except OutputExists:\n    sys.exit(3)\n"
    )
    runs = [subprocess.Popen([sys.executable, "-c", script, str(target), str(i)]) for i in range(8)]
    codes_ = sorted(p.wait(timeout=60) for p in runs)
    assert codes_ == [0] + [3] * 7


def test_output_mode_follows_the_umask_and_replace_keeps_it_atomic(tmp_path):
    """A written file gets 0666 & ~umask, with or without --force."""
    target = tmp_path / "t.csv"
    old = os.umask(0o027)
    try:
        write_atomically(target, b"one")
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
        write_atomically(target, b"two", force=True)
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
    finally:
        os.umask(old)
    assert target.read_bytes() == b"two"


def test_without_hard_links_the_name_is_still_created_exclusively(tmp_path, monkeypatch):
    """On a file system with no hard links (FAT, some shares) the write still works, and
    still refuses an existing name."""

    def no_links(*args, **kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(output.os, "link", no_links)
    target = tmp_path / "t.csv"
    write_atomically(target, b"data")
    assert target.read_bytes() == b"data"
    with pytest.raises(OutputExists):
        write_atomically(target, b"other")
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


# ---------------------------------------------------------------------------
# 3. Paths the system will not let us look at


LONG = "a" * 5000


@pytest.mark.parametrize(
    "args",
    [
        ["check", f"/tmp/{LONG}/2025-06.csv"],
        ["check", f"/tmp/{LONG}"],
        ["validate", f"/tmp/{LONG}"],
        ["trend", f"/tmp/{LONG}", "--format", "json"],
        ["profile", f"/tmp/{LONG}", "-i", "tourism_revenue"],
        ["check", str(SAMPLES), "--targets", f"/tmp/{LONG}.yaml"],
        ["targets", "--targets", f"/tmp/{LONG}.yaml"],
        ["report", str(SAMPLES), "-o", f"/tmp/{LONG}.html"],
        ["template", "2025-06", "-o", f"/tmp/{'b' * 300}.csv"],
    ],
)
def test_a_path_longer_than_the_system_allows_is_a_located_problem(args):
    """ENAMETOOLONG anywhere gives a coded problem saying the path is too long, no traceback."""
    result = run(*args)
    assert result.exit_code in (1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "路径过长" in result.output
    codes = ("unreadable-file", "unwritable-file", "targets-unreadable")
    assert any(code in result.output for code in codes)
    if "--targets" in args:  # a targets file that cannot be read: gongfu could not run
        assert result.exit_code == 2 and "targets-unreadable" in result.output
    assert LONG not in result.stderr  # shortened in messages


@pytest.mark.skipif(IS_ROOT, reason="permissions do not bind root")
def test_a_folder_without_search_permission_is_a_located_problem(tmp_path):
    """A file in a folder without search permission: unreadable-file, with permission advice."""
    folder = sample_year(tmp_path / "locked")
    folder.chmod(0)
    try:
        for args in (["check", str(folder / "2025-06.csv")], ["check", str(folder)]):
            result = run(*args)
            assert result.exit_code in (1, 2) and "没有访问权限" in result.stderr, result.output
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize(
    ("args", "exit_code"),
    [
        (["check", "{folder}/2025-06.csv"], 1),
        (["check", "{folder}"], 1),
        (["brief", "{folder}"], 1),
        (["owners", "{folder}", "--format", "json"], 1),
        (["validate", "{folder}"], 1),
        (["profile", "{folder}", "-i", "tourism_revenue"], 1),
        # a targets file that cannot be read: gongfu could not run (2)
        (["check", str(SAMPLES), "--targets", "{folder}/targets.yaml"], 2),
    ],
)
def test_permission_denied_on_a_path_is_a_located_problem(tmp_path, monkeypatch, args, exit_code):
    """EACCES from stat or listing (as chmod 000 gives a non-root user) is unreadable-file."""
    folder = sample_year(tmp_path / "locked")
    real_stat, real_iterdir = os.stat, Path.iterdir

    def denied(path):
        return str(path).startswith(str(folder))

    def stat_(path, *a, **k):
        if denied(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_stat(path, *a, **k)

    def iterdir(self):
        if denied(self):
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(os, "stat", stat_)
    monkeypatch.setattr(Path, "iterdir", iterdir)
    result = run(*[a.format(folder=folder) for a in args])
    assert result.exit_code == exit_code, result.output
    code = "[targets-unreadable]" if "--targets" in args else "[unreadable-file]"
    assert code in result.stderr and "没有访问权限" in result.stderr


def test_an_unwritable_output_folder_is_a_located_problem(tmp_path, monkeypatch):
    """Permission denied writing -o: unwritable-file, exit 2, no traceback."""

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(output, "_temporary", denied)
    result = run("template", "2025-06", "-o", str(tmp_path / "t.csv"))
    assert result.exit_code == 2
    assert "[unwritable-file]" in result.stderr and "没有访问权限" in result.stderr


# ---------------------------------------------------------------------------
# 4. JSON on a run failure


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["check", "/no/such/2025-06.csv"], "file-not-found"),
        (["check", "{empty}"], "no-actuals-file"),
        (["check", str(SAMPLES), "--targets", "/no/such.yaml"], "targets-not-found"),
        (["check", "{broken}"], "no-period"),
        (["trend", "/no/such/folder"], "file-not-found"),
        (["owners", "{empty}"], "no-actuals-file"),
    ],
)
def test_json_failure_document_on_every_run_failure(tmp_path, args, code):
    """--format json prints the JSON document with the error on stdout, exit 2."""
    (tmp_path / "empty").mkdir()
    (tmp_path / "报表.csv").write_text("indicator,value\n", encoding="utf-8")
    paths = {"empty": str(tmp_path / "empty"), "broken": str(tmp_path / "报表.csv")}
    result = run(*[a.format(**paths) for a in args], "--format", "json")
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["indicators"] == [] and document["period"] is None
    assert [e["code"] for e in document["errors"]] == [code]


# ---------------------------------------------------------------------------
# 5. template for a month outside the targets' year


def test_template_outside_the_targets_year_warns_and_writes(tmp_path):
    """template 2026-07 with 2025 targets writes the file and warns it will not pass check."""
    out = tmp_path / "2026-07.csv"
    result = run("template", "2026-07", "-o", str(out))
    assert result.exit_code == 0 and out.exists()
    assert "不在目标文件的年度（2025 年）内" in result.stderr
    assert (
        "not in the targets' year"
        in run("template", "2026-07", "-o", str(tmp_path / "en.csv"), "--lang", "en").stderr
    )
    assert "目标文件的年度" not in run("template", "2025-07", "-o", str(tmp_path / "x.csv")).stderr


# ---------------------------------------------------------------------------
# 6. Ctrl-C and closed pipes


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["gongfu", *args])
    with pytest.raises(SystemExit) as caught:
        cli.main()
    code = caught.value.code
    return (code if isinstance(code, int) else 0), capsys.readouterr().err


@pytest.mark.parametrize(
    "where", ["gongfu_cli.judge.year.evaluate_year", "gongfu_cli.cli.root.app"]
)
def test_ctrl_c_is_one_line_and_exit_130(monkeypatch, capsys, where):
    """KeyboardInterrupt, inside a command or around it, prints 已中断 and exits 130."""

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(where, interrupt)
    code, err = run_main(monkeypatch, capsys, "check", str(SAMPLES))
    assert code == 130
    assert err.strip() == "gongfu: 已中断 / interrupted"


@pytest.mark.skipif(not hasattr(signal, "SIGPIPE"), reason="POSIX pipes")
@pytest.mark.parametrize(
    "args", [["check", str(SAMPLES), "--format", "json"], ["schema"], ["codes"]]
)
def test_a_closed_pipe_ends_the_run_quietly(args):
    """gongfu … | head: when the reader is gone the run ends, with nothing on stderr."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "gongfu_cli", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert done.stderr == b""
    assert done.returncode == -signal.SIGPIPE


def test_ctrl_c_in_a_real_run_exits_130():
    """A real SIGINT to a running gongfu: exit 130 and the one-line message."""
    code = (
        "import signal, os, sys\n"
        "import gongfu_cli.judge.year as h\n"
        "def stop(*a, **k):\n    os.kill(os.getpid(), signal.SIGINT)\n"
        "    import time; time.sleep(5)\n"
        "h.evaluate_year = stop\n"
        "sys.argv = ['gongfu', 'check', sys.argv[1]]\n"
        "from gongfu_cli.cli import main; main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLES)], capture_output=True, timeout=60
    )
    assert done.returncode == 130
    assert done.stderr.decode().strip() == "gongfu: 已中断 / interrupted"
