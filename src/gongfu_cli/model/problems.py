"""The catalogue of every problem gongfu can report, and the located Problem itself.

Each problem has a stable kebab-case code (the contract CI scripts match on), a
severity, a message in Chinese and English, and what to do about it. The README's
table of codes is generated from CATALOGUE (see ``gongfu codes``), and a test
keeps the two in step.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter
from typing import Any, Literal

from gongfu_cli.model.text import shorten

Severity = Literal["error", "warning"]
Lang = Literal["zh", "en"]


@dataclass(frozen=True)
class Code:
    """One kind of problem: its code, severity, message templates and advice.

    `fields` are the problem's typed fields: every placeholder its four texts
    use. A Problem must be given all of them when it is made, so a missing
    field fails where the problem is raised, not later as a blank in a message.
    """

    code: str
    severity: Severity
    zh: str
    en: str
    fix_zh: str
    fix_en: str
    fields: frozenset[str] = frozenset()


def _code(code: str, severity: Severity, zh: str, en: str, fix_zh: str, fix_en: str) -> Code:
    texts = (zh, en, fix_zh, fix_en)
    fields = frozenset(name for text in texts for _, name, _, _ in Formatter().parse(text) if name)
    return Code(code, severity, zh, en, fix_zh, fix_en, fields)


_CODES = [
    # --- reading a file -------------------------------------------------------
    _code(
        "file-not-found",
        "error",
        "找不到文件或目录：{path}",
        "No such file or folder: {path}",
        "检查路径是否拼写正确。",
        "Check the path for typos.",
    ),
    _code(
        "no-actuals-file",
        "error",
        "目录中没有以月份命名的月度文件（如 2025-06.csv、2025年6月.xlsx）：{path}",
        "The folder holds no monthly file named for its month (2025-06.csv, 2025年6月.xlsx): "
        "{path}",
        "把月度数据文件命名为如 2025-06.csv 后放入该目录。",
        "Name monthly files like 2025-06.csv and put them in the folder.",
    ),
    _code(
        "month-not-in-folder",
        "error",
        "目录中没有 {period} 的月度文件：{path} 现有 {months_zh} 的文件",
        "The folder has no monthly file for {period}: {path} holds {months_en}",
        "检查 --period 是否写对；如该月数据已报送，把文件命名为如 {period}.csv 后放入该目录。",
        "Check --period; if that month has been sent, name its file like {period}.csv and put "
        "it in the folder.",
    ),
    _code(
        "unsupported-file",
        "error",
        "不支持的文件类型“{suffix}”，只能读取 .csv 或 .xlsx",
        "Unsupported file type '{suffix}': only .csv and .xlsx are read",
        "在 Excel 中“另存为” CSV 或 .xlsx 格式。",
        "Save the sheet from Excel as CSV or .xlsx.",
    ),
    _code(
        "empty-file",
        "error",
        "文件为空，没有表头和数据",
        "The file is empty: no header, no rows",
        "填写表头（指标、数值）和每个指标一行数据；可用 gongfu template 生成模板。",
        "Add a header (indicator, value) and one row per indicator; "
        "`gongfu template` writes one to fill in.",
    ),
    _code(
        "unreadable-file",
        "error",
        "无法读取为表格：{reason_zh}",
        "Cannot read the file as a table: {reason_en}",
        "按上述原因处理：确认文件是 Excel 导出的 CSV 或 .xlsx（而不是其他格式改了扩展名）；"
        "如是权限或路径问题，检查文件夹权限或把文件移到较短的路径下。",
        "Act on the reason given: make sure it is a CSV or .xlsx exported from Excel (not "
        "another file renamed); for a permission or path problem, check the folder's "
        "permissions or move the file to a shorter path.",
    ),
    _code(
        "encoding-error",
        "error",
        "无法识别文件编码（既不是 UTF-8，也不是 GBK/GB18030），第 {line} 行附近有无法解码的字节",
        "Cannot tell the file's encoding (neither UTF-8 nor GBK/GB18030); "
        "undecodable bytes near line {line}",
        "在 Excel 中另存为“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”后重试。",
        "Save it from Excel as 'CSV UTF-8' or plain 'CSV' and try again.",
    ),
    _code(
        "mixed-encoding",
        "error",
        "文件混用了 UTF-8 和 GBK 编码：第 {line} 行“{sample}”是 UTF-8，其余是 GBK，"
        "按 GBK 读会成为乱码",
        "The file mixes UTF-8 and GBK: line {line} ('{sample}') is UTF-8, the rest is GBK, "
        "so it would read as mojibake",
        "在 Excel 中打开文件，核对该行文字后另存为“CSV UTF-8（逗号分隔）”再重试；"
        "不要把其他文件里的文字直接粘贴进 CSV 文本。",
        "Open the file in Excel, check that line, and save it as 'CSV UTF-8' before trying "
        "again; do not paste text from other files into the CSV as text.",
    ),
    _code(
        "foreign-encoding",
        "error",
        "文件是{encoding_zh}编码，不是中文的 UTF-8 或 GBK：第 {line} 行“{sample}”无法按中文读取",
        "The file is in {encoding_en}, not Chinese UTF-8 or GBK: line {line} ('{sample}') "
        "cannot be read as Chinese",
        "在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重试；指标名称请用中文或指标 id。",
        "Save it from Excel as 'CSV UTF-8' and try again; name indicators in Chinese or by id.",
    ),
    _code(
        "unsupported-workbook",
        "error",
        "{kind_zh}，gongfu 只能读取 .xlsx 工作簿和 CSV 文件",
        "{kind_en}; gongfu reads only .xlsx workbooks and CSV files",
        "在 Excel 或 WPS 中打开，“另存为” Excel 工作簿（*.xlsx）或“CSV UTF-8（逗号分隔）”后重试。",
        "Open it in Excel or WPS and save it as an Excel workbook (.xlsx) or 'CSV UTF-8', "
        "then try again.",
    ),
    _code(
        "unclosed-quote",
        "error",
        "第 {line} 行第 {column_number} 列以英文双引号开头，但引号一直没有结束，"
        "其后各行会被并入这个单元格；已按普通文字读取该行，后面各行照常读取，该行数据存疑",
        "The cell in column {column_number} on line {line} opens a double quote that is "
        "never closed, which would swallow the rows below it; the line is read as plain "
        "text and the rows below as rows, but its figures are doubtful",
        '删除该单元格开头的英文双引号（"），或在单元格末尾补上配对的引号；在 Excel 里填写后'
        "另存为 CSV 可避免此问题。",
        'Remove the double quote (") at the start of that cell, or close it at the end of '
        "the cell; filling the sheet in Excel and saving it as CSV avoids this.",
    ),
    _code(
        "skipped-row",
        "warning",
        "此行未读取（{reason_zh}）：“{text}”",
        "This row is not read ({reason_en}): '{text}'",
        "如果这一行是数据，请把它移到表头下方并去掉行首的 #；否则可删除此行。",
        "If the row holds figures, move it below the header and remove any leading #; "
        "otherwise delete it.",
    ),
    _code(
        "missing-column",
        "error",
        "缺少必需的列“{column}”（表头应包含 {aliases}）",
        "Required column '{column}' is missing (the header needs one of {aliases})",
        "在第 1 行表头中加入该列。",
        "Add the column to the header on line 1.",
    ),
    _code(
        "extra-column",
        "warning",
        "无法识别的列“{column}”，已忽略",
        "Unrecognised column '{column}' is ignored",
        "可用的列：指标、数值（本期值）、累计值、本月值、单位、备注、期间、名称、填报单位；"
        "模板的序号、年度目标、上月累计、填报口径等列也可保留。",
        "Known columns: indicator, value, ytd, month, unit, note, period, name, reporter; "
        "the template's own columns (序号, 年度目标, 上月累计, 填报口径) may stay too.",
    ),
    _code(
        "no-period",
        "error",
        "无法确定报告期：文件名“{name}”不是 YYYY-MM 格式，也没有给出 --period",
        "Cannot tell the period: the file name '{name}' is not YYYY-MM and no --period was given",
        "把文件命名为如 {suggested}，或加上 --period {period}。",
        "Name the file like {suggested}, or pass --period {period}.",
    ),
    # --- reading an Excel workbook --------------------------------------------
    _code(
        "later-sheet-read",
        "warning",
        "前面的 {skipped} 个工作表没有表头（指标、数值），读取的是工作表“{sheet}”",
        "No sheet before '{sheet}' has the header (indicator, value); sheet '{sheet}' is read",
        "确认读取的工作表无误；也可把数据表移到第一个工作表。",
        "Check that this is the right sheet, or move the data to the first sheet.",
    ),
    _code(
        "cell-outside-table",
        "warning",
        "单元格 {cell} 超出读取范围（只读前 256 列），其内容“{value}”未读取",
        "Cell {cell} lies beyond the columns read (the first 256); its content '{value}' "
        "is not read",
        "把内容移到表格的列中，或删除该单元格。",
        "Move the content into the table's columns, or delete the cell.",
    ),
    _code(
        "formula-no-value",
        "error",
        "单元格 {cell} 是公式 {formula}，但文件中没有保存计算结果，无法读取其数值",
        "Cell {cell} holds the formula {formula} but the file saves no computed value for it",
        "在 Excel 中打开并保存该文件（Excel 会计算公式），或直接填写数值。",
        "Open the file in Excel and save it (Excel computes the formulas), or type the figure.",
    ),
    _code(
        "scaled-number-format",
        "error",
        "单元格 {cell} 显示为“{shown}”，实际保存的数却是 {value}（数字格式“{format}”缩放了显示）",
        "Cell {cell} shows '{shown}' but holds {value} (its number format '{format}' "
        "scales what is shown)",
        "gongfu 读取单元格实际保存的数，无法确定应报送哪个。请把单元格格式改为“常规”或“数值”，"
        "填写要报送的数，单位写在单位列。",
        "gongfu reads what the cell holds and cannot tell which figure is meant. Set the "
        "cell's format to General or Number, enter the figure, and put its unit in the "
        "unit column.",
    ),
    _code(
        "unit-in-number-format",
        "error",
        "单元格 {cell} 显示为“{shown}”，单位“{format_unit}”只写在数字格式里，{unit_zh}",
        "Cell {cell} shows '{shown}': the unit '{format_unit}' is only in its number format, "
        "{unit_en}",
        "在单位列填写该单位（gongfu 不从数字格式读取单位），或把单元格格式改为“常规”。",
        "Put the unit in the unit column (gongfu does not read units from number formats), "
        "or set the cell's format to General.",
    ),
    # --- reading a row --------------------------------------------------------
    _code(
        "unknown-indicator",
        "error",
        "未知指标“{value}”{suggestion_zh}",
        "Unknown indicator '{value}'{suggestion_en}",
        "使用 targets.yaml 中的指标 id 或中文名称（gongfu targets 可列出全部）。",
        "Use an id or Chinese name from targets.yaml (`gongfu targets` lists them).",
    ),
    _code(
        "duplicate-indicator",
        "error",
        "指标“{indicator}”重复填报，第 {first_line} 行已出现",
        "Indicator '{indicator}' appears again; first given on line {first_line}",
        "每个指标只保留一行。",
        "Keep one row per indicator.",
    ),
    _code(
        "invalid-number",
        "error",
        "“{value}”不是有效数字",
        "'{value}' is not a valid number",
        "填写数字，如 1234.5、1,234.5 或 95%；未报送可留空或填“-”。",
        "Enter a number such as 1234.5, 1,234.5 or 95%; leave it empty or '-' when not reported.",
    ),
    _code(
        "invalid-milestone",
        "error",
        "“{value}”不是有效的完成状态",
        "'{value}' is not a milestone status",
        "填写“已完成”或“未完成”（也可用 是/否、done/no）。",
        "Enter 已完成 (done) or 未完成 (not done); yes/no also work.",
    ),
    _code(
        "non-integer",
        "error",
        "“{value}”应为整数（{kind}类指标）",
        "'{value}' must be a whole number (a {kind})",
        "个数和排名只能是整数。",
        "Counts and ranks are whole numbers.",
    ),
    _code(
        "unit-mismatch",
        "error",
        "单位“{unit}”无法换算为目标单位“{target_unit}”",
        "Unit '{unit}' cannot be converted to the target's unit '{target_unit}'",
        "改用目标单位“{target_unit}”，或留空单位列表示与目标单位相同。",
        "Use the target's unit '{target_unit}', or leave the unit empty to mean it.",
    ),
    _code(
        "out-of-range",
        "error",
        "数值 {value} 超出合理范围 {low}～{high}",
        "Value {value} is outside the plausible range {low} to {high}",
        "核对数值和单位（比例应在 0–100 之间，累计数不能为负，排名从 1 开始）。",
        "Check the value and its unit (shares are 0-100, totals are not negative, "
        "ranks start at 1).",
    ),
    _code(
        "month-figure-only",
        "error",
        "累计类指标只填了{column}“{value}”，没有累计值（1月至本月合计），无法判断进度",
        "A year-to-date indicator gives only {column} '{value}', no year-to-date total",
        "在“累计值”列填写1月至本月累计数；本月值不能代替累计值。",
        "Fill in the year-to-date total (累计值); a month's own figure cannot stand for it.",
    ),
    _code(
        "month-exceeds-ytd",
        "error",
        "本月值 {month} 大于累计值 {ytd}",
        "The month's figure {month} is larger than the year-to-date total {ytd}",
        "累计值是1月至本月的合计，不应小于本月值；核对两列是否填反或单位不同。",
        "A year-to-date total includes this month; check whether the columns are swapped "
        "or in different units.",
    ),
    _code(
        "period-mismatch",
        "error",
        "{detail_zh}",
        "{detail_en}",
        "确认文件名、期间列与 targets.yaml 的年度一致。",
        "Make the file name, the period column and the targets' year agree.",
    ),
    _code(
        "cumulative-decrease",
        "error",
        "累计值下降：本期 {value}（{file}）低于 {earlier_value}（{earlier_file}）",
        "Year-to-date total went down: {value} in {file} is below {earlier_value} "
        "in {earlier_file}",
        "累计值应为 1 月至本月的合计，不应小于前几个月；核对是否误填了当月值。",
        "A year-to-date total cannot fall; check whether a single month's figure "
        "was entered instead.",
    ),
    _code(
        "inconsistent",
        "error",
        "跨指标规则不成立（{rule_zh}）：{left} = {left_value}，{right} = {right_value}",
        "Cross-indicator rule broken ({rule_en}): {left} = {left_value}, {right} = {right_value}",
        "核对这两个相关指标的数值。",
        "Check the two related figures.",
    ),
    _code(
        "too-many-problems",
        "error",
        "问题过多：已列出前 {listed} 个，第 {first}～{last} 行另有 {count} 个问题未逐条列出",
        "Too many problems: the first {listed} are listed; {count} more on lines "
        "{first} to {last} are not",
        "文件可能整体格式不对（表头、列顺序或编码）；先修正已列出的问题后重新检查。",
        "The file may be wrong as a whole (header, column order or encoding); fix the "
        "listed problems and check again.",
    ),
    _code(
        "missing-indicator",
        "warning",
        "本期应报指标“{indicator}”未填报",
        "Indicator '{indicator}' is due this period but absent",
        "补报该指标，或确认本期确实无数据。",
        "Add the indicator, or confirm there is no figure this period.",
    ),
    # --- doubtful figures (数据存疑: questioned, never lit green or red) ---------
    _code(
        "unit-suspect",
        "warning",
        "数据存疑：{value} 与{basis_zh}相差约 {times} 倍，疑为单位有误或数值填错{guess_zh}",
        "Suspect: {value} is about {times} times off {basis_en}, probably the wrong unit or "
        "a typing slip{guess_en}",
        "核对数值和单位：在单位列写明数值实际所用的单位（如 万元），或换算为“{target_unit}”"
        "后填写；数值确实无误时，在备注中写“已核实”。",
        "Check the figure and its unit: write the unit it is in (e.g. 万元) in the unit "
        "column, or convert it to '{target_unit}'; if the figure is right, write 已核实 "
        "(confirmed) in the note.",
    ),
    _code(
        "fraction-suspect",
        "warning",
        "数据存疑：比率类指标填报 {value}，目标为 {target}，疑为把 {percent} 写成了小数",
        "Suspect: a share reported as {value} against a target of {target}, probably "
        "{percent} written as a fraction",
        "按百分数填写（如 {percent}）；数值确实无误时，在备注中写“已核实”。",
        "Enter it as a percentage (e.g. {percent}); if the figure is right, write 已核实 "
        "(confirmed) in the note.",
    ),
    _code(
        "jump-suspect",
        "warning",
        "数据存疑：累计值由上期（{previous_period}）的 {previous} 增至 {value}，"
        "是上期的 {times} 倍（超过 {limit} 倍即存疑），疑为单位有误或误填",
        "Suspect: the year-to-date total rose from {previous} ({previous_period}) to "
        "{value}, {times} times as much (more than {limit} times is doubtful), probably "
        "a wrong unit or figure",
        "核对本期和上期的累计值及单位；数值确实无误时，在备注中写“已核实”。",
        "Check this period's and the previous period's year-to-date totals and units; if the "
        "figure is right, write 已核实 (confirmed) in the note.",
    ),
    # --- the targets file -----------------------------------------------------
    # --- reading a year of files (check, trend, owners, report, profile) --------
    _code(
        "history-skipped",
        "warning",
        "较上月及走势对比未使用此文件：{reason_zh}",
        "This file is left out of month-over-month comparisons: {reason_en}",
        "运行 gongfu validate 查看并修正该文件；本月结果不受影响。",
        "Run gongfu validate on the file and correct it; this month's results are unaffected.",
    ),
    _code(
        "year-not-closed",
        "error",
        "{year}年度考核结果尚不能确定：{what_zh}",
        "The {year} result cannot be settled yet: {what_en}",
        "次年发布的年度数据发布后，放入年报文件（如 {year}-年报.csv）再运行 gongfu check --final；"
        "未报送、有误或存疑的数据请补报、更正或核实。",
        "When the year's figures are published, put them in a year-end file (e.g. "
        "{year}-年报.csv) and run gongfu check --final again; send, correct or confirm the "
        "figures missing, invalid or doubtful.",
    ),
    _code(
        "conflicting-values",
        "error",
        "指标“{indicator}”在两个文件中数值不同：本文件为 {value}，"
        "{first_file} 第 {first_line} 行为 {first_value}",
        "Indicator '{indicator}' differs between two files: {value} here, {first_value} in "
        "{first_file} line {first_line}",
        "与另一报送单位核对后，只保留正确的数值（两个文件都保留时数值应一致）。",
        "Agree with the other sender which figure is right and keep only it (or the same "
        "figure in both files).",
    ),
    _code(
        "duplicate-period",
        "warning",
        "同一月份既有月份目录又有单独的文件，使用 {used}，未使用 {skipped}",
        "A month has both a folder and files of its own: {used} is used, {skipped} is not",
        "把该月的所有文件都放进月份目录 {used}，或者都放在外面，不要两处都放。",
        "Put all of the month's files in its folder {used} or all outside it, not both.",
    ),
    _code(
        "ignored-file",
        "warning",
        "未使用此文件：{reason_zh}",
        "This file is not used: {reason_en}",
        "月度文件请以所属年月命名为 YYYY-MM.csv 或 YYYY-MM.xlsx；与报送无关的文件请移出该目录。",
        "Name monthly files for their month, YYYY-MM.csv or YYYY-MM.xlsx; "
        "move other files out of the folder.",
    ),
    _code(
        "unwritable-file",
        "error",
        "无法写入文件：{reason_zh}",
        "Cannot write the file: {reason_en}",
        "检查目录是否存在、是否有写入权限、路径是否过长，或用 -o 另选位置。",
        "Check that the folder exists and is writable and the path is not too long, "
        "or choose another place with -o.",
    ),
    _code(
        "profile-incomplete",
        "error",
        "无法计算季节性分布：{detail_zh}",
        "Cannot compute a seasonal profile: {detail_en}",
        "提供上年全部月份（至少含12月全年累计数）的数据文件，且累计数逐月不减。",
        "Give last year's monthly files, December's full-year total included, "
        "with year-to-date figures that never fall.",
    ),
    _code(
        "bad-option",
        "error",
        "{message}",
        "{message}",
        "用 gongfu 命令 --help 查看可用的选项和取值。",
        "See the command's --help for its options and their values.",
    ),
    _code(
        "usage-error",
        "error",
        "{message_zh}",
        "{message_en}",
        "用法：{usage_zh}；运行 {help} 可查看各选项的说明和示例。",
        "Usage: {usage_en}; run {help} for every option, with examples.",
    ),
    _code(
        "targets-not-found",
        "error",
        "找不到目标文件：{path}",
        "Targets file not found: {path}",
        "检查 --targets 路径。",
        "Check the --targets path.",
    ),
    _code(
        "targets-unreadable",
        "error",
        "无法读取目标文件：{reason_zh}",
        "Cannot read the targets file: {reason_en}",
        "检查 --targets 路径及其权限。",
        "Check the --targets path and its permissions.",
    ),
    _code(
        "targets-yaml-error",
        "error",
        "目标文件不是有效的 YAML：{reason_zh}",
        "The targets file is not valid YAML: {reason_en}",
        "检查该行的缩进、冒号和引号。",
        "Check indentation, colons and quotes on that line.",
    ),
    _code(
        "targets-unsafe-tag",
        "error",
        "目标文件含有不允许的 YAML 标签 {tag}，出于安全考虑拒绝加载",
        "The targets file uses the YAML tag {tag}, refused for safety",
        "删除该标签；目标文件只能包含普通数据。",
        "Remove the tag; a targets file holds plain data only.",
    ),
    _code(
        "targets-invalid",
        "error",
        "目标文件字段 {field_zh} 有误：{reason_zh}",
        "Targets file field {field_en} is wrong: {reason_en}",
        "按 gongfu schema 输出的结构修改目标文件。",
        "Fix the field to match the structure `gongfu schema` prints.",
    ),
]

CATALOGUE: dict[str, Code] = {c.code: c for c in _CODES}
SEVERITY_ZH: dict[str, str] = {"error": "错误", "warning": "警告"}


@dataclass
class Problem:
    """One located problem: what (code), where (file, line, column), and details."""

    code: str
    file: str | None = None
    line: int | None = None
    column: str | None = None
    indicator: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        spec = CATALOGUE.get(self.code)
        if spec is None:
            raise ValueError(f"unknown problem code {self.code!r}")
        missing = spec.fields - self.params.keys()
        if missing:
            raise TypeError(f"problem {self.code!r} needs {', '.join(sorted(missing))}")

    @property
    def severity(self) -> Severity:
        return CATALOGUE[self.code].severity

    def message(self, lang: Lang = "zh") -> str:
        spec = CATALOGUE[self.code]
        template = spec.zh if lang == "zh" else spec.en
        return template.format_map(self.params)

    def fix(self, lang: Lang = "zh") -> str:
        spec = CATALOGUE[self.code]
        template = spec.fix_zh if lang == "zh" else spec.fix_en
        return template.format_map(self.params)

    def location(self) -> str:
        """``file:line:column`` as editors and CI annotate it (parts omitted when unknown)."""
        parts = [self.file or "-"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column:
                parts.append(self.column)
        return ":".join(parts)

    def to_dict(self) -> dict[str, object]:
        """The problem as JSON carries it: language-free, with its words in both
        languages (message, fix in Chinese; message_en, fix_en) and its fields."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message("zh"),
            "message_en": self.message("en"),
            "fix": self.fix("zh"),
            "fix_en": self.fix("en"),
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "indicator": self.indicator,
            "fields": {name: self.params[name] for name in sorted(CATALOGUE[self.code].fields)},
        }


class GongfuError(Exception):
    """Raised by the core when it cannot go on; carries located problems for the CLI.

    Its text (what a notebook shows) is each problem's code and words, Chinese first
    as the command line speaks, then English: [code] 中文 / English."""

    def __init__(self, problems: list[Problem]):
        super().__init__(
            "; ".join(f"[{p.code}] {p.message('zh')} / {p.message('en')}" for p in problems)
        )
        self.problems = problems


def unreadable(
    file: str, reason_zh: str, reason_en: str, detail: str = "", line: int | None = None
) -> GongfuError:
    """unreadable-file in words a statistician reads; the library's detail, if any, after."""
    detail = detail[:200]
    params = {
        "reason_zh": reason_zh + (f"（{detail}）" if detail else ""),
        "reason_en": reason_en + (f" ({detail})" if detail else ""),
    }
    return GongfuError([Problem("unreadable-file", file=file, line=line, params=params)])


def _displayed_path(path: Path) -> str:
    text = str(path)
    return text if len(text) <= 160 else f"{text[:60]}…{text[-60:]}"


def access_problem(path: Path, error: OSError) -> Problem:
    """A path the system will not let us look at, as file-not-found or unreadable-file."""
    where = _displayed_path(path)
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return Problem("file-not-found", file=where, params={"path": where})
    if error.errno in (errno.EACCES, errno.EPERM):
        zh = "没有访问权限；请检查该文件及其所在各级目录的权限（目录需有“读取”和“执行/遍历”权限）"
        en = (
            "permission denied; check the permissions of the file and of every folder "
            "above it (folders need read and search/execute permission)"
        )
    elif error.errno == errno.ENAMETOOLONG:
        zh = "路径过长，超出系统限制；请把文件移到较浅的目录或缩短目录名、文件名"
        en = "the path is longer than the system allows; move the file to a shorter path"
    elif error.errno == errno.ELOOP:
        zh = "路径中的链接（快捷方式）互相循环；请检查该路径"
        en = "the path's symbolic links form a loop; check the path"
    else:
        zh = f"系统拒绝访问（{shorten(error.strerror or type(error).__name__, 80)}）"
        en = f"the system refused access ({shorten(error.strerror or type(error).__name__, 80)})"
    params = {"reason_zh": zh, "reason_en": en}
    return Problem("unreadable-file", file=where, params=params)


def no_actuals(path: Path | str, missing: str | None = None) -> Problem:
    """no-actuals-file: nothing at `path` is a monthly file (`missing`: the file looked for)."""
    return Problem("no-actuals-file", file=str(path), params={"path": missing or str(path)})


def errors_in(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def warnings_in(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "warning"]


def number(value: float | None) -> str:
    """A figure as messages and reports show it: up to four decimals, no trailing
    zeros, no float noise (1.2, 0.1234, 180)."""
    if value is None:
        return ""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def codes_markdown(lang: Lang = "zh") -> str:
    """The README's table of problem codes, generated from CATALOGUE."""
    if lang == "zh":
        lines = ["| 代码 | 级别 | 含义 | 处理办法 |", "|---|---|---|---|"]
    else:
        lines = ["| code | severity | meaning | what to do |", "|---|---|---|---|"]
    for spec in CATALOGUE.values():
        meaning = spec.zh if lang == "zh" else spec.en
        fix = spec.fix_zh if lang == "zh" else spec.fix_en
        severity = SEVERITY_ZH[spec.severity] if lang == "zh" else spec.severity
        cells = [f"`{spec.code}`", severity, meaning, fix]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
