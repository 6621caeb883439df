"""Programs ranked by a 0–100 match score whose components are shown, with official points and cut-offs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from domain.assessment.snapshot import Supplement
from domain.points import NoRulesInForce, PointsResult
from domain.profile import Profile
from domain.programs.model import Country, CutOff, FeePer, Program, Status
from domain.programs.rules import Verdict
from domain.recommendations.eligibility import VERDICT_RANK, ProgramAssessment, assess_program
from domain.recommendations.fact_values import FactValuesBuilder

ELIGIBILITY_MAX, POINTS_MAX, LANGUAGE_MAX, SPEED_MAX, COST_MAX = 50.0, 20.0, 10.0, 10.0, 10.0
SLOWEST_DAYS = 730  # two years or more earns nothing for speed
COSTLIEST_USD = 10_000.0  # fees this high or higher earn nothing for cost
NEAR_MISS_SHARE = 0.9  # a points total within 10% below the bar is a near miss
NEAR_MISS_UNMET = 2

USD_PER_UNIT: Mapping[str, float] = MappingProxyType(
    {
        "USD": 1.0,
        "CAD": 0.72,
        "AUD": 0.65,
        "NZD": 0.59,
        "EUR": 1.08,
        "GBP": 1.27,
        "JPY": 0.0067,
        "SGD": 0.74,
        "AED": 0.27,
    }
)
"""⚠ Rough planning rates (2026-11), used only to compare fees across currencies in the cost component;
never shown as money."""


@dataclass(frozen=True, slots=True)
class MatchComponent:
    key: str
    label: str
    points: float
    maximum: float
    explanation: str


@dataclass(frozen=True, slots=True)
class CutoffComparison:
    """The applicant's points against the latest known cut-off (a past draw, not a promise)."""

    cutoff: CutOff
    points: int
    margin: int  # positive: above the cut-off


@dataclass(frozen=True, slots=True)
class Recommendation:
    rank: int
    assessment: ProgramAssessment
    match_score: int
    components: tuple[MatchComponent, ...]
    cutoff: CutoffComparison | None
    near_miss: bool

    @property
    def program(self) -> Program:
        return self.assessment.program

    @property
    def verdict(self) -> Verdict:
        return self.assessment.evaluation.verdict

    @property
    def points(self) -> PointsResult | None:
        return self.assessment.points


@dataclass(frozen=True, slots=True)
class Household:
    adults: int
    children: int

    @classmethod
    def of(cls, profile: Profile) -> Household:
        return cls(adults=2 if profile.partner_comes_along is True else 1, children=profile.dependent_children or 0)


def match_components(assessment: ProgramAssessment, household: Household) -> tuple[MatchComponent, ...]:
    """The match score's parts; the score is their sum, rounded (0–100).

    - eligibility (max 50): eligible 50, possibly eligible 25 (facts missing), not eligible 0;
    - points (max 20): for a points-tested program, 20 at or above the bar (the latest cut-off if known,
      else the pass mark), else 20 × points ÷ bar; a points system with no bar, or no points test, is
      neutral at 10;
    - language (max 10): 10 × the applicant's strongest usable level for the destination — CLB/NCLC
      minimum ÷ 10 for Canada, else the best of IELTS minimum band ÷ 9 and CEFR rank ÷ 6 (English, and
      German for Germany); 0 when no usable result;
    - speed (max 10): 10 × (1 − mid-point processing days ÷ 730), floored at 0; unknown is neutral at 5;
    - cost (max 10): 10 × (1 − household fees in USD ÷ 10,000), floored at 0, fees converted with
      `USD_PER_UNIT`; no fees listed is neutral at 5.
    """
    return (
        _eligibility(assessment),
        _points(assessment),
        _language(assessment),
        _speed(assessment.program),
        _cost(assessment.program, household),
    )


def _eligibility(assessment: ProgramAssessment) -> MatchComponent:
    evaluation = assessment.evaluation
    if evaluation.verdict is Verdict.ELIGIBLE:
        points, why = ELIGIBILITY_MAX, "You meet every modelled requirement."
    elif evaluation.verdict is Verdict.POSSIBLY_ELIGIBLE:
        facts = ", ".join(evaluation.missing_facts)
        points, why = ELIGIBILITY_MAX / 2, f"Possibly eligible: it depends on {facts}."
    else:
        rules = "; ".join(ref.description for ref in evaluation.failed)
        points, why = 0.0, f"Not eligible: {rules}."
    return MatchComponent("eligibility", "Eligibility", points, ELIGIBILITY_MAX, why)


def bar_for(program: Program) -> tuple[int | None, str]:
    if program.latest_cutoff is not None:
        return program.latest_cutoff.score, f"the latest cut-off ({program.latest_cutoff.on.isoformat()})"
    return program.pass_mark, "the pass mark"


def _points(assessment: ProgramAssessment) -> MatchComponent:
    key, label = "points", "Points margin"
    result, program = assessment.points, assessment.program
    if result is None:
        return MatchComponent(key, label, POINTS_MAX / 2, POINTS_MAX, "No points test: neutral.")
    bar, name = bar_for(program)
    if bar is None or bar <= 0:
        return MatchComponent(
            key,
            label,
            POINTS_MAX / 2,
            POINTS_MAX,
            f"{result.total} points; no pass mark or known cut-off to compare with: neutral.",
        )
    if result.total >= bar:
        why = f"{result.total} points, {result.total - bar} above {name} of {bar}."
        return MatchComponent(key, label, POINTS_MAX, POINTS_MAX, why)
    points = round(POINTS_MAX * result.total / bar, 1)
    why = f"{result.total} points, {bar - result.total} short of {name} of {bar}."
    return MatchComponent(key, label, points, POINTS_MAX, why)


def _language(assessment: ProgramAssessment) -> MatchComponent:
    key, label = "language", "Language"
    facts = assessment.facts
    if assessment.program.country == "CA":
        clb = facts.get("first_language_clb_min")
        if isinstance(clb, int) and clb > 0:
            share = min(clb, 10) / 10
            return MatchComponent(
                key,
                label,
                round(LANGUAGE_MAX * share, 1),
                LANGUAGE_MAX,
                f"CLB/NCLC {clb} in every ability of your first official language.",
            )
        return MatchComponent(key, label, 0.0, LANGUAGE_MAX, "No Express Entry language result to count.")
    shares: list[tuple[float, str]] = []
    band = facts.get("english_ielts_min_band")
    if isinstance(band, int | float) and band > 0:
        shares.append((band / 9, f"IELTS {band:g} in every component"))
    for language in ("english", "german") if assessment.program.country == "DE" else ("english",):
        rank = facts.get(f"{language}_cefr_rank")
        if isinstance(rank, int) and rank > 0:
            shares.append((rank / 6, f"{language.capitalize()} at {facts.get(f'{language}_cefr')}"))
    if not shares:
        return MatchComponent(key, label, 0.0, LANGUAGE_MAX, "No language result this destination reads.")
    share, why = max(shares)
    return MatchComponent(key, label, round(LANGUAGE_MAX * share, 1), LANGUAGE_MAX, f"{why}.")


def _speed(program: Program) -> MatchComponent:
    key, label = "speed", "Processing time"
    if program.processing is None:
        return MatchComponent(key, label, SPEED_MAX / 2, SPEED_MAX, "Processing time unknown: neutral.")
    days = (program.processing.min_days + program.processing.max_days) / 2
    points = round(SPEED_MAX * max(0.0, 1 - days / SLOWEST_DAYS), 1)
    why = f"Usually {program.processing.min_days}–{program.processing.max_days} days."
    return MatchComponent(key, label, points, SPEED_MAX, why)


def household_fees(program: Program, household: Household) -> dict[str, Decimal]:
    """Official fees for this household, by currency."""
    counts = {FeePer.APPLICANT: 1, FeePer.FAMILY: 1, FeePer.ADULT: household.adults, FeePer.CHILD: household.children}
    totals: dict[str, Decimal] = {}
    for fee in program.fees:
        totals[fee.currency] = totals.get(fee.currency, Decimal(0)) + fee.amount * counts[fee.per]
    return totals


def _cost(program: Program, household: Household) -> MatchComponent:
    key, label = "cost", "Cost"
    totals = household_fees(program, household)
    if not totals:
        return MatchComponent(key, label, COST_MAX / 2, COST_MAX, "No official fees listed: neutral.")
    if any(currency not in USD_PER_UNIT for currency in totals):
        return MatchComponent(key, label, COST_MAX / 2, COST_MAX, "Fees in a currency we cannot compare: neutral.")
    usd = sum(float(amount) * USD_PER_UNIT[currency] for currency, amount in totals.items())
    points = round(COST_MAX * max(0.0, 1 - usd / COSTLIEST_USD), 1)
    shown = " + ".join(f"{currency} {amount:,.0f}" for currency, amount in sorted(totals.items()))
    return MatchComponent(key, label, points, COST_MAX, f"Official fees for your household: {shown}.")


def cutoff_comparison(program: Program, points: PointsResult | None) -> CutoffComparison | None:
    if program.latest_cutoff is None or points is None:
        return None
    return CutoffComparison(program.latest_cutoff, points.total, points.total - program.latest_cutoff.score)


def is_near_miss(assessment: ProgramAssessment) -> bool:
    """Not eligible on one or two requirements, or points just under the bar: worth a gap analysis."""
    if assessment.evaluation.verdict is Verdict.NOT_ELIGIBLE and assessment.unmet <= NEAR_MISS_UNMET:
        return True
    bar, _ = bar_for(assessment.program)
    points = assessment.points
    return points is not None and bar is not None and NEAR_MISS_SHARE * bar <= points.total < bar


def in_scope(program: Program, destinations: Sequence[str]) -> bool:
    return program.status is Status.ACTIVE and (not destinations or program.country in destinations)


def rank_programs(
    profile: Profile,
    supplement: Supplement,
    programs: Iterable[Program],
    countries: Mapping[str, Country],
    on: date,
) -> tuple[Recommendation, ...]:
    """Active programs in the chosen destinations, best match first (ties: verdict, then name); a program whose
    points test has no rule set in force on `on` is left out."""
    builder = FactValuesBuilder(profile, supplement, on)
    household = Household.of(profile)
    scored: list[tuple[ProgramAssessment, tuple[MatchComponent, ...], int]] = []
    for program in programs:
        country = countries.get(program.country)
        if country is None or not in_scope(program, supplement.destinations):
            continue
        try:
            assessment = assess_program(builder, program, country)
        except NoRulesInForce:  # scored on a day before the oldest rule set held for its points test
            continue
        components = match_components(assessment, household)
        scored.append((assessment, components, round(sum(c.points for c in components))))
    scored.sort(key=lambda s: (-s[2], -VERDICT_RANK[s[0].evaluation.verdict], s[0].program.name, s[0].program.slug))
    return tuple(
        Recommendation(
            rank=i + 1,
            assessment=assessment,
            match_score=score,
            components=components,
            cutoff=cutoff_comparison(assessment.program, assessment.points),
            near_miss=is_near_miss(assessment),
        )
        for i, (assessment, components, score) in enumerate(scored)
    )
