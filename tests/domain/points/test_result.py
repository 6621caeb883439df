"""The shared result pieces: capping in order, and the pass/fail verdict with unknowns."""

import pytest

from domain.points.result import FactorScore, RequirementCheck, cap_factors, decide


def test_factor_outside_its_maximum_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        FactorScore("x", "X", 11, 10, "Too many.")


def test_cap_trims_later_factors_and_says_why() -> None:
    factors = [
        FactorScore("a", "A", 50, 50, "A: 50 points."),
        FactorScore("b", "B", 50, 50, "B: 50 points."),
        FactorScore("c", "C", 30, 50, "C: 30 points."),
    ]
    capped = cap_factors(factors, 100, "part C")
    assert [f.points for f in capped] == [50, 50, 0]
    assert capped[2].explanation == "C: 30 points, but only 0 count because part C is capped at 100."


@pytest.mark.parametrize(
    ("total", "checks", "missing", "verdict"),
    [
        (70, [True], [], True),
        (60, [True], [], False),
        (60, [True], ["age"], None),
        (70, [None], [], None),
        (90, [False], [], False),
        (70, [True], ["age"], True),
    ],
)
def test_decide(total: int, checks: list[bool | None], missing: list[str], verdict: bool | None) -> None:
    requirements = [RequirementCheck("r", "R", met, "") for met in checks]
    assert decide(total, 65, requirements, missing) is verdict


def test_no_pass_mark_means_no_verdict() -> None:
    assert decide(500, None, [], []) is None
