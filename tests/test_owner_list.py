"""Owner lists are shortened in one place, and the count says what it counts."""

import pytest

from gongfu_cli.render.words import owner_list

UNITS = ("县投促中心", "县财政局", "县发改局")


@pytest.mark.parametrize(
    ("named", "lang", "expected"),
    [
        (None, "zh", "县投促中心、县财政局、县发改局"),
        (3, "zh", "县投促中心、县财政局、县发改局"),
        (1, "zh", "县投促中心等3家"),
        (2, "zh", "县投促中心、县财政局等3家"),
        (None, "en", "县投促中心, 县财政局, 县发改局"),
        (1, "en", "县投促中心 and 2 others"),
        (2, "en", "县投促中心, 县财政局 and 1 other"),
    ],
)
def test_owner_list_counts(named, lang, expected):
    """等N家 counts every unit; English counts the ones not named (not "+3 more" for three)."""
    assert owner_list(UNITS, lang, named) == expected
