"""The owners' scoreboard (赛马晾晒): each responsible unit's indicators and lights.

Also where `--owner` is resolved to one unit, so that `check --owner` and
`brief --owner` agree on what a name means.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .evaluate import Evaluation, Light
from .targets import normalise

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
    tiers = [
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


def all_owners(evaluations: Iterable[Evaluation]) -> list[str]:
    return sorted({owner for e in evaluations for owner in e.indicator.owners})


@dataclass
class OwnerScore:
    """One unit's row on the scoreboard."""

    owner: str  # UNASSIGNED for indicators whose sentence names no unit
    evaluations: list[Evaluation]

    def count(self, light: Light) -> int:
        return sum(e.light == light for e in self.evaluations)

    @property
    def judged(self) -> int:
        """Indicators with a green, yellow or red light (grey: nothing to judge yet)."""
        return len(self.evaluations) - self.count(Light.grey)

    @property
    def share_green(self) -> float | None:
        """Green among the judged indicators; None when none is judged yet."""
        return self.count(Light.green) / self.judged if self.judged else None

    @property
    def red(self) -> list[Evaluation]:
        return [e for e in self.evaluations if e.light == Light.red]

    @property
    def yellow(self) -> list[Evaluation]:
        return [e for e in self.evaluations if e.light == Light.yellow]


def scoreboard(evaluations: list[Evaluation]) -> list[OwnerScore]:
    """One row per unit, the units most behind first.

    Order: most red; then most yellow; then lowest share green; then name. An
    indicator owned jointly counts for every unit that owns it, as the plan
    holds each of them responsible. Indicators with no unit come last.
    """
    rows: dict[str, list[Evaluation]] = {}
    for e in evaluations:
        for owner in e.indicator.owners or [UNASSIGNED]:
            rows.setdefault(owner, []).append(e)
    scores = [OwnerScore(owner, rows[owner]) for owner in rows]

    def most_behind_first(score: OwnerScore) -> tuple:
        share = score.share_green if score.share_green is not None else 2.0
        return (
            score.owner == UNASSIGNED,
            -score.count(Light.red),
            -score.count(Light.yellow),
            share,
            score.owner,
        )

    return sorted(scores, key=most_behind_first)
