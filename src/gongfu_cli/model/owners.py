"""Responsible units (责任单位): which unit a name means.

One place decides what `--owner 住建局` or a file named `2025-06-民社局.xlsx`
refers to, so check, brief, template, validate and submissions agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from gongfu_cli.model.targets import normalise

# The unit of an indicator whose sentence in the plan lists none; such
# indicators get their own row so that nothing drops out of the scoreboard.
UNASSIGNED = ""

# Nearly every unit's name starts with 县 (县住建局); analysts drop it when typing.
COUNTY_PREFIX = "县"


class OwnerNotFound(LookupError):
    """--owner names no unit; `suggestions` are close names, if any."""

    def __init__(self, name: str, suggestions: list[str]):
        super().__init__(name)
        self.name, self.suggestions = name, suggestions


class OwnerAmbiguous(LookupError):
    """--owner could mean several units; `candidates` lists them."""

    def __init__(self, name: str, candidates: list[str]):
        super().__init__(name)
        self.name, self.candidates = name, candidates


def match_owner(name: str, owners: Iterable[str]) -> str:
    """The one unit `name` means: its exact name, else an unambiguous prefix.

    Tried in turn, the first tier with any match deciding: the exact name; a
    prefix of the name; a prefix once the county's 县 is dropped (住建局 →
    县住建局); a part of the name. A tier that matches several units raises
    OwnerAmbiguous rather than silently taking them all.
    """
    units = sorted(set(owners) - {UNASSIGNED})
    needle = normalise(name)
    forms = {unit: normalise(unit) for unit in units}
    tiers: list[Callable[[str], bool]] = [
        lambda form: form == needle,
        lambda form: form.startswith(needle),
        lambda form: form.removeprefix(COUNTY_PREFIX).startswith(needle),
        lambda form: needle in form,
    ]
    for matches in tiers:
        found = [unit for unit in units if matches(forms[unit])]
        if len(found) == 1:
            return found[0]
        if found:
            raise OwnerAmbiguous(name, found)
    from difflib import get_close_matches

    raise OwnerNotFound(name, get_close_matches(name, units, n=3, cutoff=0.6))
