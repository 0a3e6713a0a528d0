"""gongfu on files far too wrong to be real: time and peak memory stay small.

Usage (from the repository root, after `pip install .`):

    python bench/scale.py             # 100,000 and 2,000,000 bad rows
    python bench/scale.py --quick     # 100,000 only

Each file is a monthly CSV whose every row names an indicator that does not
exist (each name distinct, so no cache helps), in GBK as Excel on Chinese
Windows writes it. `gongfu validate` runs as a fresh process, as a user runs
it; the budgets are issue 8's. gongfu lists the first 1,000 row problems of a
file and counts the rest (too-many-problems), so cost stays linear and small.
"""

from __future__ import annotations

import argparse
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

# rows → (seconds, peak resident MiB)
BUDGETS = {100_000: (3.0, 1024), 2_000_000: (60.0, 1024)}


def write_bad_file(path: Path, rows: int) -> None:
    with path.open("w", encoding="gbk", newline="") as out:
        out.write("指标,数值,单位,备注\r\n")
        out.writelines(f"未知指标{n},{n}.5,万元,按统计局口径{n}\r\n" for n in range(rows))


def run(command: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak resident MiB of the child, exit code."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kib / 1024, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the 100,000-row file")
    args = parser.parse_args()
    gongfu = shutil.which("gongfu", path=Path(sys.executable).parent)
    if not gongfu:
        raise SystemExit("Install gongfu first: pip install .")
    sizes = [100_000] if args.quick else list(BUDGETS)
    print(f"{date.today()} · {platform.python_version()} · {platform.machine()}")
    print(f"{'bad rows':>10}{'seconds':>10}{'budget':>8}{'peak MiB':>10}{'budget':>8}")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for rows in sizes:
            path = Path(tmp, "2025-06.csv")
            write_bad_file(path, rows)
            # Each size in its own child, so RUSAGE_CHILDREN's peak is this run's
            # (it is the largest of all children so far, and sizes only grow).
            seconds, peak, code = run([gongfu, "validate", str(path)])
            budget_s, budget_mib = BUDGETS[rows]
            failed |= code != 1 or seconds > budget_s or peak > budget_mib
            print(f"{rows:>10,}{seconds:>10.2f}{budget_s:>8.0f}{peak:>10.0f}{budget_mib:>8}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
