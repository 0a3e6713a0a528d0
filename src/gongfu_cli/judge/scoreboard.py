"""The owners' scoreboard (赛马晾晒): each responsible unit's indicators and lights.

`--owner` is resolved to one unit in owners.py, so that `check --owner`,
`brief --owner` and `template --owner` agree on what a name means.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gongfu_cli.model.owners import UNASSIGNED
from gongfu_cli.model.results import Evaluation, Light


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

    def most_behind_first(score: OwnerScore) -> tuple[bool, int, int, float, str]:
        share = score.share_green if score.share_green is not None else 2.0
        return (
            score.owner == UNASSIGNED,
            -score.count(Light.red),
            -score.count(Light.yellow),
            share,
            score.owner,
        )

    return sorted(scores, key=most_behind_first)
