"""gongfu export: the month as the Excel 晾晒表, or the year's long table as CSV or Parquet."""

from __future__ import annotations

from pathlib import Path

from gongfu_cli.cli.review import open_review
from gongfu_cli.cli.root import (
    ForceOption,
    LangOpt,
    LangOption,
    MonthlyPath,
    OutputOption,
    PeriodOption,
    TargetsOption,
    app,
    bad_option,
    deliver,
    plan_name,
)
from gongfu_cli.model.problems import Lang
from gongfu_cli.model.text import shorten

FORMATS = (".xlsx", ".csv", ".parquet")


@app.command()
def export(
    path: MonthlyPath,
    output: OutputOption = None,
    force: ForceOption = False,
    targets: TargetsOption = None,
    lang: LangOpt = LangOption.zh,
    period: PeriodOption = None,
) -> None:
    """导出晾晒表：.xlsx 供各单位传阅（每个方案部分一张表，亮灯既填色也写字，可直接 A4 打印），
    或把全年长表导出为 .csv、.parquet 供分析。

    Export the offices' workbook (晾晒表): .xlsx for offices (a sheet per plan section,
    lights filled and written, print-ready on A4), or the year's long table as .csv or
    .parquet for analysis.

    示例 / Examples:
      gongfu export data/actuals/ -o 晾晒表.xlsx
      gongfu export data/actuals/ -o 全年数据.csv --force
    """
    language: Lang = lang.value
    suffix = ".xlsx" if output is None else _format(output, language)
    review = open_review(path, targets, period, language)
    target = output or Path(f"晾晒表-{review.period}.xlsx")
    if suffix == ".xlsx":
        from gongfu_cli.render.xlsx import workbook_bytes

        data = workbook_bytes(review, language, plan_name(review.targets, language))
    else:
        from gongfu_cli.render.frames import csv_bytes, parquet_bytes

        to_bytes = csv_bytes if suffix == ".csv" else parquet_bytes
        data = to_bytes(review.year_frame())
    deliver(target, data, force, review.problems, language, "已写入")


def _format(output: Path, lang: Lang) -> str:
    """The output's format by its suffix, checked before any work (exit 2 if unknown,
    or .parquet without pyarrow)."""
    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        shown = shorten(output.name)
        raise bad_option(
            f"-o {shown}：导出格式由扩展名决定，应为 .xlsx（晾晒表）、.csv 或 .parquet"
            if lang == "zh"
            else f"-o {shown}: the suffix chooses the format: .xlsx (the 晾晒表), .csv or .parquet"
        )
    if suffix == ".parquet":
        try:
            import pyarrow  # noqa: F401  (pandas writes Parquet through it)
        except ImportError:
            raise bad_option(
                # double quotes: Windows cmd takes no single quotes, and every shell takes these
                '写 Parquet 文件需要 pyarrow，请先安装：pip install "gongfu-cli[parquet]"'
                "（或改用 .csv / .xlsx） / Writing Parquet needs pyarrow: "
                'pip install "gongfu-cli[parquet]" (or export .csv or .xlsx)'
            ) from None
    return suffix
