"""Words shared by several outputs, chosen by language in one place.

The core (model, read, judge) takes no language: statuses and lights are codes,
problems carry their fields. Each renderer picks Chinese or English words
here or in its own LABELS table.
"""

from __future__ import annotations


def owner_list(owners: tuple[str, ...] | list[str], lang: str, named: int | None = None) -> str:
    """Units as tables and briefings name them: all of them, or when there are more
    than `named`, the first `named` and a count — "县民社局、县财政局等12家" (the count
    is the whole list, as Chinese documents write 等N家) or "县民社局, 县财政局 and 10
    others" (English counts the rest). The one place lists of owners are shortened."""
    sep = "、" if lang == "zh" else ", "
    if named is None or len(owners) <= named:
        return sep.join(owners)
    head = sep.join(owners[:named])
    if lang == "zh":
        return f"{head}等{len(owners)}家"
    rest = len(owners) - named
    return f"{head} and {rest} other{'s' if rest > 1 else ''}"


# Marks a target that holds a reading of the plan or a setting of the tool (its
# YAML entry has `assumption`): in the table and Markdown, with a footnote under
# the table, and in the report, which lists them under 口径说明.
ASSUMPTION_MARK = "※"


def section_heading(code: str, title: str, lang: str) -> str:
    """A plan section's heading: '三(二)、聚力产业攻坚…' as the plan heads it; 'Section
    三(二): …' in English (the plan gives its sections no English titles)."""
    if lang == "zh":
        return f"{code}、{title}" if title else code
    return f"Section {code}" + (f": {title}" if title else "")
