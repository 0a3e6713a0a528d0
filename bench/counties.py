"""gongfu's Python API against frictionless's on 90 counties' years, in one process.

Usage (from the repository root, after `pip install -e ".[bench]"`):

    python bench/counties.py                          # 90 counties × 12 months, 3 runs
    python bench/counties.py --runs 5
    python bench/counties.py --counties 2 --months 2  # a quick look (no budget)
    python bench/counties.py --profile gongfu.prof    # cProfile of gongfu's pass

It writes one folder per county with a monthly file for each month (1,080 files
at full size), generated from the bundled sample year (data/actuals/) and the
catalogue (data/targets.yaml): year-to-date totals scaled per county and carried
on at the year's pace after June, levels and rates as the sample gives them,
milestones finished as the year goes on, and the catalogue's target for what
the sample lacks (the annual indicators). The files take the forms the sample
takes: Chinese or English headers and names, UTF-8 with and without BOM, GBK
with CRLF, 亿元 figures sent in 万元 with thousands separators, and one in six
an Excel workbook. Every file is valid for both tools (the script checks).

Both tools get the same files, by the same relative paths, in one warm process
(imports, the catalogue and the schemas loaded before the clock starts):

- gongfu: `gf.validate(county)` then `gf.review(county)` for each county folder:
  the data gate, then the December review with its year (every check of
  validate again, the status, light and 较上月 of every indicator).
- frictionless: `frictionless.validate(file, schema=...)` for each file, with a
  Table Schema of the file's four columns (bench.table_schema: indicator
  required, unique and one of the catalogue's names; value a number; unit one
  of the catalogue's).

The budget (issue 10) applies at full size: gongfu's whole pass at most 0.3×
frictionless's. The script exits 1 if it is missed, 2 if either tool finds a
generated file invalid (the comparison would then mean nothing).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# bench/bench.py, beside this file; importing it puts src/ on sys.path first
from bench import ROOT, machine, table_schema

import gongfu_cli as gf
from gongfu_cli.model.readings import Reading
from gongfu_cli.model.targets import Indicator, Kind, Targets, reports_in
from gongfu_cli.read.actuals import read_actuals
from gongfu_cli.read.files import period_from_name

BUDGET = 0.3  # gongfu's pass at most this share of frictionless's (issue 10)
FULL_SIZE = (90, 12)  # counties × months: the size the budget is set for
YEAR = 2025

# The forms the bundled sample's files take (data/actuals/README.md).
TITLES_EN = ("indicator", "value", "unit", "note")
TITLES_ZH = ("指标", "数值", "单位", "备注")
TITLES_PERIOD = ("指标名称", "本期值", "单位", "备注")


@dataclass(frozen=True)
class Form:
    suffix: str  # .csv or .xlsx
    encoding: str  # for a CSV
    newline: str
    titles: tuple[str, str, str, str]
    ids: bool  # indicator ids rather than Chinese names
    in_wan: bool  # 亿元 figures in 万元, with thousands separators (660,000)


FORMS = [
    Form(".csv", "utf-8", "\n", TITLES_EN, ids=True, in_wan=False),
    Form(".csv", "utf-8-sig", "\n", TITLES_ZH, ids=False, in_wan=False),
    Form(".csv", "gbk", "\r\n", TITLES_ZH, ids=False, in_wan=True),
    Form(".csv", "gbk", "\r\n", TITLES_PERIOD, ids=False, in_wan=False),
    Form(".csv", "utf-8-sig", "\n", TITLES_ZH, ids=False, in_wan=True),
    Form(".xlsx", "", "", TITLES_ZH, ids=False, in_wan=False),
]
DONE, NOT_DONE = "已完成", "推进中"
NOTE = "按统计局口径"
WHOLE_UNITS = frozenset({"个", "人", "家", "场次", "位"})  # 606.67 个 would not be sent


# ---------------------------------------------------------------------------
# The counties' files


def sample_year(targets: Targets) -> dict[str, dict[int, Reading]]:
    """Each indicator's readings in the bundled sample, by month."""
    readings: dict[str, dict[int, Reading]] = {}
    for path in sorted((ROOT / "data" / "actuals").glob(f"{YEAR}-*.csv")):
        month = period_from_name(path)
        assert month is not None
        for ind_id, reading in read_actuals(path, targets).readings.items():
            if reading.reported and reading.valid:
                readings.setdefault(ind_id, {})[month.month] = reading
    return readings


def figure(
    ind: Indicator, sample: dict[int, Reading], month: int, county: int, counties: int
) -> str | float | None:
    """What a county sends for the indicator in `month` (None: no row)."""
    if not reports_in(ind, month) or (month == 1 and 1 not in sample):
        return None  # January: only what the sample's January sends
    known = [m for m in sorted(sample) if m <= month] or sorted(sample)
    latest = sample[known[-1]] if known else None
    if ind.kind == Kind.milestone:
        # finished in the second half of the year, each county in its own month
        done = bool(latest and latest.done) or month >= 7 + (county + len(ind.id)) % 6
        return DONE if done else NOT_DONE
    if latest is not None and latest.grade is not None:
        return latest.grade
    if latest is None or latest.value is None:
        if ind.also_met_by:
            return ind.also_met_by[0]
        base = ind.target_value or 0.0
        return round(base * month / 12, 2) if ind.paced else base
    value = latest.value
    if ind.kind in (Kind.cumulative, Kind.count):
        value *= month / known[-1]  # on at the year's pace after the sample's last month
        value *= 0.8 + 0.4 * county / max(counties - 1, 1)  # a smaller or larger county
    if ind.kind in (Kind.count, Kind.rank) or ind.unit in WHOLE_UNITS:
        return round(value)
    return round(value, 2)


def write_month(path: Path, form: Form, rows: list[tuple[str, Any, str, str]]) -> None:
    if form.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(list(form.titles))
        for row in rows:
            sheet.append([cell if cell != "" else None for cell in row])
        book.save(path)
        return
    lines = [",".join(form.titles)]
    for name, value, unit, note in rows:
        text = str(value)
        lines.append(",".join([name, f'"{text}"' if "," in text else text, unit, note]))
    with path.open("w", encoding=form.encoding, newline="") as out:
        out.write(form.newline.join(lines) + form.newline)


def month_rows(
    targets: Targets,
    sample: dict[str, dict[int, Reading]],
    form: Form,
    month: int,
    county: int,
    counties: int,
) -> list[tuple[str, Any, str, str]]:
    rows = []
    for ind in targets.indicators:
        value = figure(ind, sample.get(ind.id, {}), month, county, counties)
        if value is None:
            continue
        name = ind.id if form.ids else ind.name
        # a milestone's word or a grade (A) stands without a unit
        unit = ind.unit if isinstance(value, float | int) else ""
        note = ""
        if form.in_wan and unit == "亿元" and isinstance(value, float):
            value, unit, note = f"{round(value * 10_000):,}", "万元", NOTE
            # the sample's 万元 rows carry this note
        elif form.suffix == ".csv" and isinstance(value, float) and value.is_integer():
            value = int(value)  # 86, as Excel saves it, not 86.0
        rows.append((name, value, unit, note))
    return rows


def generate(
    folder: Path, counties: int, months: int, targets: Targets
) -> dict[Path, list[tuple[Path, Form]]]:
    """Write each county's folder of monthly files: county folder → its files and
    their forms, as paths relative to `folder`."""
    sample = sample_year(targets)
    written: dict[Path, list[tuple[Path, Form]]] = {}
    for county in range(counties):
        place = Path(f"county-{county + 1:02d}")
        (folder / place).mkdir()
        written[place] = []
        for month in range(13 - months, 13):  # a short run keeps the year's end
            form = FORMS[(county + month) % len(FORMS)]
            rows = month_rows(targets, sample, form, month, county, counties)
            path = place / f"{YEAR}-{month:02d}{form.suffix}"
            write_month(folder / path, form, rows)
            written[place].append((path, form))
    return written


def schemas(targets: Targets) -> dict[tuple[str, str, str, str], dict]:
    """frictionless's schema for each header the files use."""
    names = [ind.id for ind in targets.indicators] + [ind.name for ind in targets.indicators]
    units = sorted({ind.unit for ind in targets.indicators} | {"万元"})
    words = (DONE, NOT_DONE, *sorted({g for ind in targets.indicators for g in ind.also_met_by}))
    return {
        titles: table_schema(titles, names, units, words)
        for titles in {form.titles for form in FORMS}
    }


# ---------------------------------------------------------------------------
# The two passes


@dataclass
class Timing:
    """Wall time, and the process's CPU time (what a busy shared machine does not inflate)."""

    wall: float = 0.0
    cpu: float = 0.0

    @contextmanager
    def add(self) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.wall += time.perf_counter() - wall
        self.cpu += time.process_time() - cpu


def gongfu_pass(folders: list[Path], targets: Targets, found: list[str]) -> dict[str, Timing]:
    """`gf.validate` then `gf.review` on each county folder; every problem into `found`."""
    timings = {"validate": Timing(), "review": Timing()}
    for folder in folders:
        with timings["validate"].add():
            report = gf.validate(folder, targets=targets)
        with timings["review"].add():
            review = gf.review(folder, targets=targets)
        found += [f"{p.file}: {p.code} {p.indicator or ''}" for p in report.problems]
        found += [f"{p.file}: {p.code} {p.indicator or ''}" for p in review.problems]
    return timings


def frictionless_pass(files: list[tuple[Path, Any]], found: list[str]) -> dict[str, Timing]:
    """`frictionless.validate` on each file with its schema; every error into `found`."""
    import frictionless

    timing = Timing()
    for path, schema in files:
        with timing.add():
            report = frictionless.validate(str(path), schema=schema)
        if not report.valid:
            found += [f"{path}: {t} {n}" for t, n in report.flatten(["type", "note"])]
    return {"frictionless": timing}


def median(runs: list[dict[str, Timing]], part: str) -> Timing:
    return Timing(
        statistics.median(run[part].wall for run in runs),
        statistics.median(run[part].cpu for run in runs),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=FULL_SIZE[0])
    parser.add_argument("--months", type=int, default=FULL_SIZE[1], choices=range(1, 13))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", type=Path, help="write a cProfile of gongfu's pass here")
    args = parser.parse_args(argv)
    try:
        import frictionless
    except ImportError as exc:
        raise SystemExit(f'Install frictionless first: pip install -e ".[bench]" ({exc})') from None

    targets = gf.load_targets(ROOT / "data" / "targets.yaml")
    schema = {t: frictionless.Schema.from_descriptor(s) for t, s in schemas(targets).items()}
    profile = args.profile.resolve() if args.profile else None
    home = Path.cwd()
    ours: list[dict[str, Timing]] = []
    theirs: list[dict[str, Timing]] = []
    ours_found: list[str] = []
    theirs_found: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        # Relative paths, from the data's folder: frictionless refuses absolute ones as unsafe.
        os.chdir(tmp)
        try:
            written = generate(Path(tmp), args.counties, args.months, targets)
            folders = list(written)
            files = [(path, schema[form.titles]) for fs in written.values() for path, form in fs]
            # One pass of each before the clock: lazy imports (openpyxl), the file cache.
            gongfu_pass(folders[:1], targets, [])
            frictionless_pass(files[: args.months], [])
            for run in range(args.runs):  # taking turns, so a busy moment hits both alike
                ours.append(gongfu_pass(folders, targets, [] if run else ours_found))
                theirs.append(frictionless_pass(files, [] if run else theirs_found))
            if profile:
                cProfile.runctx(
                    "gongfu_pass(folders, targets, [])", globals(), locals(), str(profile)
                )
        finally:
            os.chdir(home)

    validate, review = median(ours, "validate"), median(ours, "review")
    both = Timing(
        statistics.median(r["validate"].wall + r["review"].wall for r in ours),
        statistics.median(r["validate"].cpu + r["review"].cpu for r in ours),
    )
    other = median(theirs, "frictionless")
    full = (args.counties, args.months) == FULL_SIZE
    size = f"{args.counties} counties × {args.months} months = {len(files)} files"
    print(f"{machine(args.runs)} · {size} · frictionless {frictionless.__version__}")
    print(f"{'in one process':<46}{'wall':>8}{'CPU':>8}{'ms/file':>9}{'ratio':>8}")
    for name, timing in [
        ("gongfu: gf.validate(county folder)", validate),
        ("gongfu: gf.review(county folder)", review),
        ("gongfu: both", both),
        ("frictionless: frictionless.validate(file)", other),
    ]:
        print(
            f"{name:<46}{timing.wall:>7.2f}s{timing.cpu:>7.2f}s"
            f"{1000 * timing.cpu / len(files):>9.2f}{timing.cpu / other.cpu:>7.2f}x"
        )
    ratio = both.cpu / other.cpu
    verdict = "met" if ratio <= BUDGET else "MISSED"
    where = "" if full else " (the budget is for 90 × 12; not judged at this size)"
    print(
        f"gongfu (both) / frictionless: {ratio:.2f}x CPU, {both.wall / other.wall:.2f}x wall; "
        f"budget ≤ {BUDGET}x CPU: {verdict if full else '-'}{where}"
    )
    for tool, found in (("gongfu", ours_found), ("frictionless", theirs_found)):
        if found:
            print(f"{tool} found {len(found)} problems in the generated files, e.g.:")
            print("\n".join(f"  {line}" for line in found[:10]))
    if ours_found or theirs_found:
        return 2
    return 1 if full and ratio > BUDGET else 0


if __name__ == "__main__":
    sys.exit(main())
