"""gongfu validate against frictionless validate, on the same generated files.

Usage (from the repository root, after `pip install ".[bench]"`):

    python bench/bench.py            # 7 runs of each, median wall time
    python bench/bench.py --runs 15

It writes its own valid data into a temporary folder: one monthly file, and a
folder of a full year (12 monthly files). frictionless gets an equivalent Table
Schema (indicator from the catalogue's ids, a numeric value, a unit and a note)
and, for the year, a data package listing the 12 files so that it too validates
them in one process. Each command runs as a fresh process, as a user runs it.
"""

from __future__ import annotations

import argparse
import json
import platform
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

# Budgets from the issue: gongfu at most this share of frictionless's time.
BUDGET = {"one monthly file": 0.9, "a year folder (12 files)": 0.5}


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

    schema = {
        "fields": [
            {
                "name": "indicator",
                "type": "string",
                "constraints": {
                    "required": True,
                    "unique": True,
                    "enum": [i.id for i in targets.indicators],
                },
            },
            {"name": "value", "type": "number"},
            {
                "name": "unit",
                "type": "string",
                "constraints": {"enum": sorted({i.unit for i in targets.indicators})},
            },
            {"name": "note", "type": "string"},
        ],
        "primaryKey": ["indicator"],
    }
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


def median_seconds(command: list[str], cwd: Path, runs: int) -> float:
    subprocess.run(command, cwd=cwd, capture_output=True)  # warm the file cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(
                f"{' '.join(command)} failed:\n{done.stdout.decode()}{done.stderr.decode()}"
            )
    return statistics.median(times)


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
        }
        print(
            f"{date.today()} · {platform.python_implementation()} "
            f"{platform.python_version()} · {platform.machine()} · median of {args.runs}"
        )
        print(f"{'case':<26}{'gongfu':>10}{'frictionless':>14}{'ratio':>8}{'budget':>8}")
        failed = False
        for name, (ours, theirs) in cases.items():
            ours_s = median_seconds(ours, folder, args.runs)
            theirs_s = median_seconds(theirs, folder, args.runs)
            ratio = ours_s / theirs_s
            failed |= ratio > BUDGET[name]
            print(f"{name:<26}{ours_s:>9.3f}s{theirs_s:>13.3f}s{ratio:>7.2f}x{BUDGET[name]:>7.1f}x")
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
