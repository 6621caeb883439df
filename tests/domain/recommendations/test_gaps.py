"""Gap analysis: concrete changes, each with an effect measured by re-running the rules and the calculator."""

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.assessment.snapshot import Supplement
from domain.points import score
from domain.profile import Money, Profile
from domain.programs.catalog import CATALOG, COUNTRY_BY_CODE, PROGRAM_BY_SLUG
from domain.programs.rules import Verdict
from domain.recommendations.eligibility import VERDICT_RANK
from domain.recommendations.gaps import GapReport, gap_report
from tests.builders.profiles import ON, clb, make_profile, married
from tests.builders.strategies import profiles

POINTS_PROGRAMS = sorted(p.slug for p in CATALOG if p.points_system is not None)


def report(profile: Profile, slug: str) -> GapReport:
    program = PROGRAM_BY_SLUG[slug]
    return gap_report(profile, Supplement(), program, COUNTRY_BY_CODE[program.country], ON)


def by_key(found: GapReport) -> dict[str, int | None]:
    return {s.change.key: s.points_delta for s in found.suggestions}


def test_a_year_of_canadian_work_comes_first_for_cec_because_it_makes_you_eligible() -> None:
    found = report(make_profile(), "ca-express-entry-cec")
    first, second = found.suggestions[:2]
    assert (first.change.key, first.verdict_before, first.verdict_after) == (
        "work.year_in_ca", Verdict.NOT_ELIGIBLE, Verdict.ELIGIBLE)
    assert (second.change.key, second.points_delta) == ("nomination.provincial", 600)
    assert second.points_before is not None
    assert second.effect == f"+600 points ({second.points_before} → {second.points_before + 600})"


def test_crs_suggestions_are_exact_recomputations() -> None:
    profile = make_profile()
    before = score("crs", profile, ON).total
    for suggestion in report(profile, "ca-express-entry-cec").suggestions:
        assert suggestion.points_before == before
        assert suggestion.points_after == score("crs", suggestion.change.apply(profile), ON).total


def test_suggestions_come_in_order_of_effect_and_none_is_empty() -> None:
    found = report(make_profile(), "ca-pnp-express-entry")
    deltas = [s.points_delta or 0 for s in found.suggestions]
    assert deltas == sorted(deltas, reverse=True)
    assert all(d > 0 for d in deltas)


def test_french_and_a_partners_test_are_offered_where_they_count() -> None:
    profile = married(make_profile(), language_tests=())
    keys = by_key(report(profile, "ca-express-entry-cec"))
    assert keys["french.nclc7"] and keys["french.nclc7"] > 0
    assert keys["partner.language_test"] and keys["partner.language_test"] > 0


def test_raising_the_weakest_ability_one_clb_level() -> None:
    profile = make_profile(language_tests=(clb(9, 9, 7, 9),))
    found = report(profile, "ca-express-entry-cec")
    weakest = next(s for s in found.suggestions if s.change.key == "language.0.weakest")
    assert weakest.change.description == "Raise your CELPIP-General results: writing 7 → 8"
    assert weakest.change.apply(profile).language_tests == (clb(9, 9, 8, 9),)


def test_the_funds_a_rule_asks_for_turn_not_eligible_into_eligible() -> None:
    poor = make_profile(funds=Money(10_000, "CAD"))
    found = report(poor, "ca-express-entry-fsw")
    assert found.assessment.evaluation.verdict is Verdict.NOT_ELIGIBLE
    funds = next(s for s in found.suggestions if s.change.key == "funds")
    assert funds.change.description == "Show CAD 15,263 in settlement funds"
    assert (funds.verdict_before, funds.verdict_after) == (Verdict.NOT_ELIGIBLE, Verdict.ELIGIBLE)
    assert found.suggestions[0] == funds  # a better verdict outranks any number of points
    assert funds.effect.startswith("not eligible → eligible")


def test_australian_suggestions_include_naati_and_a_state_nomination() -> None:
    keys = by_key(report(make_profile(), "au-skilled-nominated-190"))
    assert keys["au.naati_ccl"] == 5
    assert keys["nomination.state_190"] == 5


def test_a_program_without_points_reports_verdict_changes_only() -> None:
    found = report(make_profile(), "de-eu-blue-card")
    offer = next(s for s in found.suggestions if s.change.key == "job_offer")
    assert offer.points_delta is None
    assert VERDICT_RANK[offer.verdict_after] >= VERDICT_RANK[offer.verdict_before]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles(), slug=st.sampled_from(POINTS_PROGRAMS))
def test_applying_a_suggested_change_raises_the_score_by_exactly_the_stated_amount(
    profile: Profile, slug: str
) -> None:
    program = PROGRAM_BY_SLUG[slug]
    assert program.points_system is not None
    profile = replace(profile, as_of=ON)
    before = score(program.points_system, profile, ON).total
    for suggestion in report(profile, slug).suggestions:
        after = score(program.points_system, suggestion.change.apply(profile), ON).total
        assert suggestion.points_delta is not None
        assert after - before == suggestion.points_delta, suggestion.change.key
        assert suggestion.points_delta >= 0
