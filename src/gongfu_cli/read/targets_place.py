"""Where the targets file is, its bytes, and what it is for, without reading it
as YAML.

Kept free of yaml and pydantic so that `gongfu --help` can name the plan the
targets file describes (its `plan:` and `year:` lines) and a catalogue
validated before is found in the cache, both instantly.
"""

from __future__ import annotations

import re
from pathlib import Path

from gongfu_cli.model.problems import GongfuError, Problem, access_problem


def bundled_targets() -> Path:
    """The copy inside the installed package, or data/ of a source checkout."""
    package = Path(__file__).resolve().parents[1]  # gongfu_cli/, beside read/
    packaged = package / "targets.yaml"
    if packaged.is_file():
        return packaged
    return package.parents[1] / "data" / "targets.yaml"


def locate_targets(explicit: Path | None, cwd: Path | None = None) -> Path:
    """Lookup order: --targets, then ./data/targets.yaml, then the bundled copy."""
    if explicit is not None:
        return explicit
    local = (cwd / "data" / "targets.yaml") if cwd else Path("data", "targets.yaml")
    if local.is_file():
        return local
    return bundled_targets()


def read_targets(path: Path) -> bytes:
    """The targets file's bytes, or GongfuError saying why they cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        file = str(path)
        raise GongfuError(
            [Problem("targets-not-found", file=file, params={"path": file})]
        ) from None
    except OSError as exc:
        raise GongfuError([targets_unreadable(path, exc)]) from None


def targets_unreadable(path: Path, error: OSError) -> Problem:
    """A targets path the system refuses (no permission, a folder, too long), located:
    targets-not-found where nothing is there, else targets-unreadable saying why."""
    problem = access_problem(path, error)
    if problem.code == "file-not-found":
        return Problem("targets-not-found", file=problem.file, params=problem.params)
    if isinstance(error, IsADirectoryError):
        params = {"reason_zh": "这是一个目录，不是文件", "reason_en": "it is a folder, not a file"}
        return Problem("targets-unreadable", file=problem.file, params=params)
    return Problem("targets-unreadable", file=problem.file, params=problem.params)


# `plan: 《…》` and `year: 2026` at the top level of the file (not indented).
_PLAN_LINE = re.compile(r"^plan:[ \t]*(?P<plan>.+?)[ \t]*$", re.M)
_YEAR_LINE = re.compile(r"^year:[ \t]*(?P<year>\d{4})\b", re.M)


def plan_in_brief(path: Path) -> tuple[str, str] | None:
    """The plan's name and year as the targets file writes them on its own top-level
    lines, or None (no file, no such lines, or a name in YAML's quoting or folding
    that only the real reader understands). For help pages, never for judging."""
    try:
        with path.open("rb") as file:
            head = file.read(64 * 1024).decode("utf-8-sig", errors="replace")
    except OSError:
        return None
    plan, year = _PLAN_LINE.search(head), _YEAR_LINE.search(head)
    if plan is None or year is None:
        return None
    name = plan.group("plan").strip("'\"")
    if not name or name[0] in "|>&*!{[" or "#" in name:
        return None
    return name, year.group("year")
