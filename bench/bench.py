"""gongfu validate and check against frictionless validate, on the same generated files.

Usage (from the repository root, after `pip install ".[bench]"`):

    python bench/bench.py            # 7 runs of each: median wall and CPU time
    python bench/bench.py --runs 15

It writes its own valid data into a temporary folder: one monthly file, and a
folder of a full year (12 monthly files). frictionless gets an equivalent Table
Schema (indicator from the catalogue's ids, a numeric value, a unit and a note)
and, for the year, a data package listing the 12 files so that it too validates
them in one process. Each command runs as a fresh process, as a user runs it:
`gongfu validate` on the file and on the year, and `gongfu check` on the file
(read, validated, judged and printed as the table) against frictionless's
validation of the same file. bench/counties.py compares the Python APIs on
1,080 files in one process instead.

As on a user's machine, both tools run from compiled bytecode (pip compiles an
installed package's modules; PYTHONDONTWRITEBYTECODE is dropped for the runs, so
that an editable install gets its bytecode on the warm-up run too), and gongfu
from its catalogue cache, which the warm-up run fills: targets.yaml is validated
on the first run after it changes, not on every run. The last case runs
without the cache (GONGFU_NO_CACHE=1), to show what that first run costs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongfu_cli.model.targets import Kind, reports_in  # noqa: E402
from gongfu_cli.read.targets_file import load_targets  # noqa: E402

# Budgets from the issues: gongfu at most this share of frictionless's CPU time.
BUDGET: dict[str, float | None] = {
    "one monthly file": 0.9,
    "a year folder (12 files)": 0.5,
    "one monthly file, check": 0.5,
    "  the same, no cache": None,  # the first run after targets.yaml changes: reported only
}


def table_schema(
    titles: tuple[str, str, str, str],
    names: list[str],
    units: list[str],
    words: tuple[str, ...] = (),
) -> dict:
    """frictionless's Table Schema for gongfu's four columns, titled `titles`
    (indicator, value, unit, note): the indicator required, unique and one of
    `names`; the value a number (`words`, such as 推进中, count as empty there,
    since a Table Schema column has one type); the unit one of `units`."""
    indicator, value, unit, note = titles
    schema: dict = {
        "fields": [
            {
                "name": indicator,
                "type": "string",
                "constraints": {"required": True, "unique": True, "enum": names},
            },
            # gongfu reads 660,000 as 660000: so may frictionless
            {"name": value, "type": "number", "groupChar": ","},
            {"name": unit, "type": "string", "constraints": {"enum": units}},
            {"name": note, "type": "string"},
        ],
        "primaryKey": [indicator],
    }
    if words:
        schema["missingValues"] = ["", *words]
    return schema


def machine(runs: int) -> str:
    """The line that heads every result: date, Python, machine and how many runs."""
    return (
        f"{date.today()} · {platform.python_implementation()} "
        f"{platform.python_version()} · {platform.machine()} · median of {runs}"
    )


def generate(folder: Path) -> tuple[Path, Path, Path, Path]:
    """Write a valid year of monthly files plus frictionless's schema and package."""
    targets = load_targets(ROOT / "data" / "targets.yaml")
    numeric = [i for i in targets.indicators if i.kind != Kind.milestone]
    year = folder / "year"
    year.mkdir()
    for month in range(1, 13):
        lines = ["indicator,value,unit,note"]
        for position, ind in enumerate(numeric):
            if not reports_in(ind, month):
                continue
            if ind.id == "projects_over_1b":
                value = 0  # must stay within projects_over_100m (a rule in targets.yaml)
            elif ind.kind in (Kind.cumulative, Kind.count):
                value = (position + 1) * month  # year-to-date totals grow
            elif ind.kind == Kind.rank:
                value = 1
            else:
                value = 50 + position % 40
            lines.append(f"{ind.id},{value},{ind.unit},")
        (year / f"2025-{month:02d}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    single = folder / "2025-06.csv"
    shutil.copy(year / "2025-06.csv", single)

    schema = table_schema(
        ("indicator", "value", "unit", "note"),
        names=[i.id for i in targets.indicators],
        units=sorted({i.unit for i in targets.indicators}),
    )
    schema_path = folder / "schema.json"
    schema_path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    package = {
        "name": "actuals",
        "resources": [
            {
                "name": f"m{month:02d}",
                "path": f"year/2025-{month:02d}.csv",
                "schema": "schema.json",
                "format": "csv",
                "encoding": "utf-8",
            }
            for month in range(1, 13)
        ],
    }
    package_path = folder / "datapackage.json"
    package_path.write_text(json.dumps(package), encoding="utf-8")
    return single, year, schema_path, package_path


def median_seconds(
    command: list[str], cwd: Path, runs: int, env: dict[str, str]
) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of the command's process.

    On a shared machine other processes stretch the wall time; the CPU time is
    what the command itself costs, and on an idle machine the two agree."""
    subprocess.run(command, cwd=cwd, capture_output=True, env=env)  # warm the caches
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True, env=env)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit(
                f"{' '.join(command)} failed:\n{done.stdout.decode()}{done.stderr.decode()}"
            )
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    gongfu, frictionless = (
        shutil.which("gongfu", path=bin_dir),
        shutil.which("frictionless", path=bin_dir),
    )
    if not gongfu or not frictionless:
        raise SystemExit('Install both first: pip install ".[bench]"')

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        single, year, schema, package = generate(folder)
        # Relative paths, run from the folder: frictionless refuses absolute ones as unsafe.
        cases = {
            "one monthly file": (
                [gongfu, "validate", single.name],
                [frictionless, "validate", single.name, "--schema", schema.name],
            ),
            "a year folder (12 files)": (
                [gongfu, "validate", year.name],
                [frictionless, "validate", package.name],
            ),
            # check reads, validates and judges the month and prints its table
            "one monthly file, check": (
                [gongfu, "check", single.name],
                [frictionless, "validate", single.name, "--schema", schema.name],
            ),
            "  the same, no cache": (
                [gongfu, "check", single.name],
                [frictionless, "validate", single.name, "--schema", schema.name],
            ),
        }
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["GONGFU_CACHE_DIR"] = str(folder / "cache")
        print(machine(args.runs))
        print(f"{'':<26}{'wall':^30}{'CPU':^30}")
        print(
            f"{'case':<26}{'gongfu':>9}{'frictionless':>13}{'ratio':>8}"
            f"{'gongfu':>9}{'frictionless':>13}{'ratio':>8}{'budget':>8}"
        )
        failed = False
        for name, (ours, theirs) in cases.items():
            budget = BUDGET[name]
            ours_env = env if budget is not None else {**env, "GONGFU_NO_CACHE": "1"}
            ours_wall, ours_cpu = median_seconds(ours, folder, args.runs, ours_env)
            theirs_wall, theirs_cpu = median_seconds(theirs, folder, args.runs, env)
            ratio = ours_cpu / theirs_cpu
            failed |= budget is not None and ratio > budget
            print(
                f"{name:<26}{ours_wall:>8.3f}s{theirs_wall:>12.3f}s"
                f"{ours_wall / theirs_wall:>7.2f}x{ours_cpu:>8.3f}s{theirs_cpu:>12.3f}s"
                f"{ratio:>7.2f}x" + (f"{budget:>7.1f}x" if budget is not None else f"{'—':>8}")
            )
        help_check = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; sys.argv=['gongfu','--help']\n"
                "from gongfu_cli.cli import main\n"
                "try: main()\nexcept SystemExit: pass\n"
                "print('pandas' in sys.modules)",
            ],
            capture_output=True,
            text=True,
        )
        print(f"--help imports pandas: {help_check.stdout.strip().splitlines()[-1]}")
        sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
