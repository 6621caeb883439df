"""One program judged for one profile: its rule verdict (failed rules or missing facts named) and its points."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.points import PointsResult
from domain.programs.model import Country, Program
from domain.programs.rules import AllOf, Evaluation, Rule, Verdict, evaluate
from domain.recommendations.fact_values import FactValues, FactValuesBuilder

VERDICT_RANK: Mapping[Verdict, int] = {Verdict.NOT_ELIGIBLE: 0, Verdict.POSSIBLY_ELIGIBLE: 1, Verdict.ELIGIBLE: 2}
"""Higher is better."""


@dataclass(frozen=True, slots=True)
class ProgramAssessment:
    program: Program
    country: Country
    evaluation: Evaluation
    points: PointsResult | None
    facts: FactValues
    unmet: int  # top-level requirements not met (an unmet "any of" counts once, however many options failed)


def unmet_requirements(rule: Rule, facts: FactValues, evaluation: Evaluation) -> int:
    if evaluation.verdict is not Verdict.NOT_ELIGIBLE:
        return 0
    if not isinstance(rule, AllOf):
        return 1
    return sum(1 for child in rule.rules if evaluate(child, facts).verdict is Verdict.NOT_ELIGIBLE)


def best_evaluation(
    program: Program, facts: FactValues, citizenships: frozenset[str] | None, uses_citizenship: bool
) -> tuple[Evaluation, FactValues]:
    """With several passports a person applies with the one that serves best, so each is tried."""
    if not uses_citizenship or not citizenships or len(citizenships) == 1:
        return evaluate(program.eligibility, facts), facts
    tried = [{**facts, "citizenship": code} for code in sorted(citizenships)]
    outcomes = [(evaluate(program.eligibility, f), f) for f in tried]
    return max(outcomes, key=lambda o: (VERDICT_RANK[o[0].verdict], -len(o[0].failed), -len(o[0].missing_facts)))


def assess_program(builder: FactValuesBuilder, program: Program, country: Country) -> ProgramAssessment:
    facts = builder.for_program(program, country)
    evaluation, used = best_evaluation(
        program, facts, builder.profile.citizenships, "citizenship" in builder.references(program)
    )
    points = None if program.points_system is None else builder.points.result(program.points_system)
    unmet = unmet_requirements(program.eligibility, used, evaluation)
    return ProgramAssessment(program, country, evaluation, points, used, unmet)
