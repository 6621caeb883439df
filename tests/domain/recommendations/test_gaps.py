"""Gap analysis: concrete changes, each with an effect measured by re-running the rules and the calculator."""

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.assessment.snapshot import Supplement
from domain.language.model import Language
from domain.points import score
from domain.profile import CanadaAnswers, Money, Profile
from domain.programs.catalog import CATALOG, COUNTRY_BY_CODE, PROGRAM_BY_SLUG
from domain.programs.model import PointsSystem
from domain.programs.rules import Verdict
from domain.recommendations.eligibility import VERDICT_RANK
from domain.recommendations.gaps import GapReport, gap_report
from tests.builders.profiles import ON, clb, job, make_profile, married, nclc
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
        "work.year_in_ca",
        Verdict.NOT_ELIGIBLE,
        Verdict.ELIGIBLE,
    )
    assert (second.change.key, second.points_delta) == ("nomination.provincial", 600)
    assert second.points_before is not None
    assert second.effect == (
        f"CRS +600 ({second.points_before} → {second.points_before + 600}), cut-off 508 on 2026-02-17"
    )


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
def test_applying_a_suggested_change_raises_the_score_by_exactly_the_stated_amount(profile: Profile, slug: str) -> None:
    program = PROGRAM_BY_SLUG[slug]
    assert program.points_system is not None
    profile = replace(profile, as_of=ON)
    for suggestion in report(profile, slug).suggestions:
        assert suggestion.system is not None
        before = score(suggestion.system, profile, ON).total
        assert suggestion.points_before == before
        after = score(suggestion.system, suggestion.change.apply(profile), ON).total
        assert suggestion.points_delta is not None
        assert after - before == suggestion.points_delta, suggestion.change.key
        assert suggestion.points_delta >= 0
        # Never a suggestion that moves nothing that decides the outcome.
        verdict_gain = VERDICT_RANK[suggestion.verdict_after] - VERDICT_RANK[suggestion.verdict_before]
        assert verdict_gain > 0 or suggestion.counted_gain > 0 or suggestion.failed_after < suggestion.failed_before


def eligible_fsw_profile() -> Profile:
    """FSW minimums met with 74 grid points (CLB 9, bachelor's with ECA, 3 years abroad, age 29)."""
    return make_profile()


def test_an_eligible_fsw_applicant_is_advised_in_crs_not_in_grid_points_above_67() -> None:
    profile = eligible_fsw_profile()
    found = report(profile, "ca-express-entry-fsw")
    assert found.assessment.evaluation.verdict is Verdict.ELIGIBLE
    assert found.assessment.points is not None and found.assessment.points.total >= 67
    assert found.target is not None and found.target.system is PointsSystem.CRS
    crs = score("crs", profile, ON).total
    assert found.suggestions
    for suggestion in found.suggestions:
        assert suggestion.system is PointsSystem.CRS and suggestion.points_before == crs
        assert suggestion.effect.startswith("CRS +"), suggestion.effect
        # No official cut-off of a round open to FSW candidates is held: the effect says so instead of a bar.
        assert suggestion.effect.endswith(", no cut-off on record for its rounds"), suggestion.effect
    # A job offer earns no CRS points since 2025-03-25, and FSW points above 67 change nothing.
    assert "job_offer" not in by_key(found)


def test_an_fsw_applicant_below_67_is_advised_in_grid_points_up_to_the_pass_mark() -> None:
    profile = make_profile(language_tests=(clb(7),), work_history=(job(years=1),))
    found = report(profile, "ca-express-entry-fsw")
    assert found.assessment.evaluation.verdict is Verdict.NOT_ELIGIBLE
    assert found.target is not None and found.target.system is PointsSystem.FSW67
    assert found.target.bar_text == "pass mark 67"
    for suggestion in found.suggestions:
        assert suggestion.effect and "+0" not in suggestion.effect


def test_each_crs_suggestion_states_the_number_it_moves_and_the_cut_off() -> None:
    found = report(make_profile(), "ca-express-entry-cec")
    nomination = next(s for s in found.suggestions if s.change.key == "nomination.provincial")
    before = nomination.points_before
    assert before is not None
    assert nomination.effect == f"CRS +600 ({before} → {before + 600}), cut-off 508 on 2026-02-17"


def test_declaring_the_stronger_language_first_is_suggested_with_its_exact_crs_delta() -> None:
    english_first = make_profile(
        language_tests=(clb(10), nclc(7)),
        canada=CanadaAnswers(
            first_official_language=Language.ENGLISH, authorised_to_work=False, certificate_of_qualification=False
        ),
    )
    french_first = replace(english_first, canada=replace(english_first.canada, first_official_language=Language.FRENCH))
    stronger, weaker = score("crs", english_first, ON).total, score("crs", french_first, ON).total
    assert stronger > weaker
    switch = next(
        s
        for s in report(french_first, "ca-express-entry-cec").suggestions
        if s.change.key == "ca.first_language.english"
    )
    assert (switch.points_before, switch.points_after) == (weaker, stronger)
    assert "ca.first_language.french" not in by_key(report(english_first, "ca-express-entry-cec"))


def test_not_sure_scores_both_orders_and_keeps_the_better() -> None:
    unsure = make_profile(language_tests=(clb(10), nclc(7)))
    declared = replace(unsure, canada=replace(unsure.canada, first_official_language=Language.ENGLISH))
    assert score("crs", unsure, ON).total == score("crs", declared, ON).total
    explanation = next(f.explanation for f in score("crs", unsure, ON).factors if f.key == "first_language")
    assert explanation.endswith(
        "(no first official language declared: both orders were scored and the higher is shown)."
    )
