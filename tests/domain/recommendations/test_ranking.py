"""Ranking: verdicts with reasons, a 0–100 match score that is the sum of its shown components, official
points and the latest cut-off, destinations respected."""

from dataclasses import replace
from datetime import date

from domain.assessment.snapshot import Supplement
from domain.points import score
from domain.profile import Money
from domain.programs.catalog import CATALOG, COUNTRY_BY_CODE, PROGRAM_BY_SLUG
from domain.programs.model import Status
from domain.programs.rules import Verdict
from domain.recommendations.ranking import Recommendation, rank_programs
from tests.builders.profiles import ON, make_profile

EVERYWHERE = Supplement()


def ranked(profile=None, supplement: Supplement = EVERYWHERE, programs=CATALOG) -> dict[str, Recommendation]:  # type: ignore[no-untyped-def]
    found = rank_programs(profile or make_profile(), supplement, programs, COUNTRY_BY_CODE, ON)
    return {r.program.slug: r for r in found}


def test_the_match_score_is_the_rounded_sum_of_its_components_and_stays_within_0_to_100() -> None:
    for r in ranked().values():
        assert r.match_score == round(sum(c.points for c in r.components))
        assert 0 <= r.match_score <= 100
        assert [c.key for c in r.components] == ["eligibility", "points", "language", "speed", "cost"]
        assert sum(c.maximum for c in r.components) == 100


def test_programs_come_best_match_first_with_ranks_in_order() -> None:
    found = list(ranked().values())
    assert [r.rank for r in found] == list(range(1, len(found) + 1))
    assert [r.match_score for r in found] == sorted((r.match_score for r in found), reverse=True)


def test_only_active_programs_are_ranked() -> None:
    slugs = set(ranked())
    assert slugs == {p.slug for p in CATALOG if p.status is Status.ACTIVE}


def test_only_the_chosen_destinations_are_ranked() -> None:
    found = ranked(supplement=Supplement(destinations=("CA", "AU")))
    assert {r.program.country for r in found.values()} == {"CA", "AU"}


def test_the_fsw_reference_applicant_is_eligible_with_full_points_margin() -> None:
    fsw = ranked()["ca-express-entry-fsw"]
    assert fsw.verdict is Verdict.ELIGIBLE
    components = {c.key: c for c in fsw.components}
    assert (components["eligibility"].points, components["points"].points) == (50, 20)
    assert components["points"].explanation == "68 points, 1 above the pass mark of 67."
    assert components["language"].points == 9.0  # CLB 9 in every ability
    assert fsw.points is not None and fsw.points == score("fsw67", make_profile(), ON)


def test_a_failed_rule_is_named_and_scores_no_eligibility() -> None:
    poor = make_profile(funds=Money(1_000, "CAD"))
    fsw = ranked(poor)["ca-express-entry-fsw"]
    assert fsw.verdict is Verdict.NOT_ELIGIBLE
    # Funds, or else a job offer while authorised to work: one requirement, each of its options named.
    assert [ref.rule_id for ref in fsw.assessment.evaluation.failed] == [
        "ca.fsw.funds_exempt.job_offer",
        "ca.fsw.funds_exempt.authorised",
        "ca.fsw.funds.family_1",
    ]
    assert fsw.assessment.unmet == 1
    assert fsw.components[0].points == 0 and "CAD 15,263" in fsw.components[0].explanation
    assert fsw.near_miss


def test_missing_facts_are_named_for_a_possible_eligibility() -> None:
    unknown_funds = replace(make_profile(), funds=None)
    fsw = ranked(unknown_funds)["ca-express-entry-fsw"]
    assert fsw.verdict is Verdict.POSSIBLY_ELIGIBLE
    assert fsw.assessment.evaluation.missing_facts == ("funds_available",)
    assert fsw.components[0].points == 25


def test_the_latest_cut_off_is_compared_with_its_date() -> None:
    cec = ranked()["ca-express-entry-cec"]
    cutoff = PROGRAM_BY_SLUG["ca-express-entry-cec"].latest_cutoff
    assert cutoff is not None and cec.cutoff is not None and cec.points is not None
    assert (cec.cutoff.cutoff.on, cec.cutoff.cutoff.score) == (cutoff.on, cutoff.score)
    assert cec.cutoff.margin == cec.points.total - cutoff.score
    assert f"the latest cut-off ({cutoff.on.isoformat()})" in cec.components[1].explanation


def test_a_program_without_points_is_neutral_on_points() -> None:
    h1b = ranked()["us-h1b"]
    assert h1b.points is None and h1b.components[1].points == 10


def test_fees_count_every_adult_and_child_of_the_household() -> None:
    single = ranked()["ca-express-entry-fsw"].components[4]
    family = ranked(make_profile(dependent_children=2))["ca-express-entry-fsw"].components[4]
    assert family.points < single.points
    assert "CAD" in single.explanation


def test_one_profile_in_many_synthetic_copies_ranks_each_copy_the_same() -> None:
    copies = [replace(p, slug=f"{p.slug}-copy", name=p.name) for p in CATALOG]
    found = ranked(programs=[*CATALOG, *copies])
    for slug, r in ranked().items():
        assert found[f"{slug}-copy"].match_score == r.match_score


def test_a_day_before_a_points_tests_oldest_rule_set_leaves_that_program_out() -> None:
    ranked = rank_programs(make_profile(), Supplement(), CATALOG, COUNTRY_BY_CODE, date(2025, 3, 24))
    slugs = {r.program.slug for r in ranked}
    assert "gb-skilled-worker" not in slugs  # UK rules held from 2025-07-22
    assert "ca-express-entry-cec" in slugs  # CRS rules held from 2022-11-16
