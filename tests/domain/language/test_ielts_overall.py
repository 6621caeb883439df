from dataclasses import replace

import pytest

from domain.language.ielts import ielts_overall, ielts_overall_band
from tests.builders.profiles import celpip, ielts


@pytest.mark.parametrize(
    ("bands", "overall"),
    [
        ((6, 6, 6, 6), 6.0),
        ((6.5, 6.5, 5.5, 6.0), 6.0),
        ((6.5, 6.5, 6.0, 6.0), 6.5),
        ((7, 7, 6.5, 6.5), 7.0),
        ((7, 6.5, 6.5, 6.5), 6.5),
        ((6, 6, 6, 6.5), 6.0),
    ],
)
def test_overall_band_rounds_the_mean_to_the_nearest_half_with_quarters_up(
    bands: tuple[float, float, float, float], overall: float
) -> None:
    assert ielts_overall_band(*bands) == overall


def test_printed_overall_wins_over_the_computed_one() -> None:
    assert ielts_overall(ielts(6, 6, 6, 6)) == 6.0
    assert ielts_overall(replace(ielts(6, 6, 6, 6), overall=6.5)) == 6.5


def test_other_tests_have_no_ielts_overall() -> None:
    assert ielts_overall(celpip(9)) is None
