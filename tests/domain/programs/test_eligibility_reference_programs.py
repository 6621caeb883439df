"""Eligibility of the other reference programs (§6–§11), at the reference's thresholds and edges."""

from decimal import Decimal
from typing import ClassVar

import pytest

from domain.programs.rules import Verdict

from .judging import FactValues, failed_ids, judge

ELIGIBLE, POSSIBLY, NOT = Verdict.ELIGIBLE, Verdict.POSSIBLY_ELIGIBLE, Verdict.NOT_ELIGIBLE


class TestAustraliaPointsTested:
    BASE: ClassVar[FactValues] = {
        "age": 32,
        "english_ielts_min_band": 7,
        "citizenship": "IN",
        "skills_assessment_positive": True,
        "occupation_on_list": True,
        "points_score": 65,
    }

    @pytest.mark.parametrize(
        "slug", ["au-skilled-independent-189", "au-skilled-nominated-190", "au-skilled-work-regional-491"]
    )
    def test_65_points_under_45_with_competent_english_is_eligible(self, slug):
        assert judge(slug, self.BASE).verdict is ELIGIBLE

    def test_aged_45_at_invitation_is_not_eligible(self):
        assert failed_ids(judge("au-skilled-independent-189", self.BASE, age=45)) == ["au.189.age"]

    def test_64_points_is_below_the_pass_mark(self):
        assert failed_ids(judge("au-skilled-nominated-190", self.BASE, points_score=64)) == ["au.190.points"]

    def test_ielts_5_5_in_a_component_is_below_competent(self):
        result = judge("au-skilled-independent-189", self.BASE, english_ielts_min_band=5.5)
        assert failed_ids(result) == ["au.189.english", "au.189.english_passport"]

    def test_a_uk_passport_is_deemed_competent_without_a_test(self):
        facts = {**self.BASE, "english_ielts_min_band": None, "citizenship": "GB"}
        assert judge("au-skilled-independent-189", facts).verdict is ELIGIBLE


class TestAustraliaEmployerSponsored:
    BASE_482: ClassVar[FactValues] = {
        "sponsor_licensed": True,
        "job_offer": True,
        "skilled_work_years_total": 1,
        "occupation_on_list": True,
        "job_offer_salary": 76_515,
    }

    def test_482_core_skills_at_the_2025_income_threshold_is_eligible(self):
        assert judge("au-skills-in-demand-482", self.BASE_482).verdict is ELIGIBLE

    def test_482_below_the_core_skills_income_threshold_is_not_eligible(self):
        result = judge("au-skills-in-demand-482", self.BASE_482, job_offer_salary=76_514)
        assert "au.employer.salary" in failed_ids(result)

    def test_482_specialist_stream_needs_no_listed_occupation_at_aud_141210(self):
        facts = {**self.BASE_482, "occupation_on_list": False}
        assert judge("au-skills-in-demand-482", facts, job_offer_salary=141_210).verdict is ELIGIBLE
        assert judge("au-skills-in-demand-482", facts, job_offer_salary=141_209).verdict is NOT

    def test_186_temporary_residence_transition_after_two_years_with_the_sponsor(self):
        facts = {
            **self.BASE_482,
            "age": 40,
            "english_ielts_min_band": 6,
            "skills_assessment_positive": False,
            "skilled_work_years_in_country_last_3y": 2,
        }
        assert judge("au-employer-nomination-186", facts).verdict is ELIGIBLE
        result = judge("au-employer-nomination-186", facts, skilled_work_years_in_country_last_3y=1.5)
        assert "au.186.trt" in failed_ids(result)


class TestGermanyOpportunityCard:
    POINTS_ROUTE: ClassVar[FactValues] = {
        "de_qualification_recognition": "none",
        "education_rank": 4,
        "qualification_state_recognised": True,
        "english_cefr": "B2",
        "points_score": 6,
        "funds_available": 13_092,
    }

    def test_points_route_with_6_points_and_english_b2_is_eligible(self):
        assert judge("de-opportunity-card", self.POINTS_ROUTE).verdict is ELIGIBLE

    def test_points_route_needs_6_points(self):
        result = judge("de-opportunity-card", self.POINTS_ROUTE, points_score=5)
        assert result.verdict is NOT
        assert failed_ids(result) == ["de.recognition_full", "de.chancenkarte.points"]

    def test_points_route_needs_german_a1_or_english_b2(self):
        result = judge("de-opportunity-card", self.POINTS_ROUTE, english_cefr="B1", german_cefr="none")
        assert failed_ids(result) == ["de.recognition_full", "de.chancenkarte.german_a1", "de.chancenkarte.english_b2"]
        assert judge("de-opportunity-card", self.POINTS_ROUTE, english_cefr="B1", german_cefr="A1").verdict is ELIGIBLE

    def test_a_one_year_vocational_certificate_does_not_open_the_points_route(self):
        result = judge("de-opportunity-card", self.POINTS_ROUTE, education_rank=2)
        assert "de.chancenkarte.qualification" in failed_ids(result)

    def test_full_recognition_needs_neither_points_nor_language(self):
        facts = {"de_qualification_recognition": "full", "funds_available": 13_092}
        assert judge("de-opportunity-card", facts).verdict is ELIGIBLE

    def test_both_routes_need_secured_living_costs(self):
        result = judge("de-opportunity-card", self.POINTS_ROUTE, funds_available=13_091)
        assert failed_ids(result) == ["de.chancenkarte.funds"]


class TestGermanyBlueCard:
    BASE: ClassVar[FactValues] = {
        "job_offer": True,
        "job_offer_duration_months": 12,
        "education_rank": 6,
        "de_qualification_recognition": "full",
        "job_offer_salary": 50_700,
    }

    def test_2026_general_threshold_is_eur_50700(self):
        assert judge("de-eu-blue-card", self.BASE).verdict is ELIGIBLE

    def test_shortage_occupations_meet_the_reduced_eur_45934_20(self):
        facts = {**self.BASE, "occupation_on_list": True}
        assert judge("de-eu-blue-card", facts, job_offer_salary=Decimal("45934.20")).verdict is ELIGIBLE
        assert judge("de-eu-blue-card", facts, job_offer_salary=Decimal("45934.19")).verdict is NOT

    def test_reduced_threshold_without_a_reduced_ground_is_not_eligible(self):
        facts = {**self.BASE, "occupation_on_list": False, "years_since_graduation": 5, "it_work_years_last_7y": 0}
        result = judge("de-eu-blue-card", facts, job_offer_salary=48_000)
        assert "de.blue_card.salary" in failed_ids(result)

    def test_an_it_specialist_without_a_degree_qualifies_on_experience(self):
        facts = {**self.BASE, "education_rank": 1, "de_qualification_recognition": "none", "it_work_years_last_7y": 3}
        assert judge("de-eu-blue-card", facts, job_offer_salary=46_000).verdict is ELIGIBLE


class TestUnitedKingdomSkilledWorker:
    BASE: ClassVar[FactValues] = {
        "job_offer": True,
        "sponsor_licensed": True,
        "job_offer_degree_level": True,
        "english_cefr": "B2",
        "citizenship": "IN",
        "points_score": 70,
    }

    def test_sponsored_degree_level_job_b2_and_70_points_is_eligible(self):
        assert judge("gb-skilled-worker", self.BASE).verdict is ELIGIBLE

    def test_english_b1_is_not_enough_for_a_first_application_from_2026(self):
        result = judge("gb-skilled-worker", self.BASE, english_cefr="B1", degree_taught_in_english=False)
        assert failed_ids(result) == ["gb.sw.english", "gb.sw.english_nationality", "gb.sw.english_degree"]

    def test_a_us_national_is_exempt_from_the_english_test(self):
        assert judge("gb-skilled-worker", self.BASE, english_cefr=None, citizenship="US").verdict is ELIGIBLE

    def test_below_rqf6_only_a_listed_shortage_job_qualifies(self):
        below = {**self.BASE, "job_offer_degree_level": False}
        assert judge("gb-skilled-worker", below, occupation_on_list=True).verdict is ELIGIBLE
        assert failed_ids(judge("gb-skilled-worker", below, occupation_on_list=False)) == [
            "gb.sw.skill_level",
            "gb.sw.shortage_list",
        ]

    def test_unknown_points_leave_the_verdict_open(self):
        result = judge("gb-skilled-worker", self.BASE, points_score=None)
        assert result.verdict is POSSIBLY
        assert result.missing_facts == ("points_score",)

    def test_global_talent_needs_an_endorsement_or_a_prize(self):
        assert judge("gb-global-talent", {"endorsement": True}).verdict is ELIGIBLE
        assert judge("gb-global-talent", {"endorsement": False, "major_international_award": False}).verdict is NOT


class TestNewZealandSkilledMigrant:
    BASE: ClassVar[FactValues] = {
        "job_offer": True,
        "sponsor_licensed": True,
        "age": 40,
        "english_ielts_overall": 6.5,
        "points_score": 6,
    }

    def test_six_points_with_an_accredited_employer_is_eligible(self):
        assert judge("nz-skilled-migrant-category", self.BASE).verdict is ELIGIBLE

    def test_age_55_is_the_limit(self):
        assert judge("nz-skilled-migrant-category", self.BASE, age=55).verdict is ELIGIBLE
        assert failed_ids(judge("nz-skilled-migrant-category", self.BASE, age=56)) == ["nz.smc.age"]

    def test_ielts_6_overall_is_not_enough(self):
        assert failed_ids(judge("nz-skilled-migrant-category", self.BASE, english_ielts_overall=6)) == [
            "nz.smc.english"
        ]


class TestUnitedStates:
    def test_h1b_equivalence_two_year_credential_plus_six_years(self):
        base = {"job_offer": True, "job_offer_degree_level": True, "education_rank": 3}
        assert judge("us-h1b", base, skilled_work_years_total=6).verdict is ELIGIBLE
        assert judge("us-h1b", base, skilled_work_years_total=5).verdict is NOT

    def test_h1b_twelve_years_of_experience_without_a_degree(self):
        facts = {"job_offer": True, "job_offer_degree_level": True, "education_rank": 1, "skilled_work_years_total": 12}
        assert judge("us-h1b", facts).verdict is ELIGIBLE

    def test_niw_needs_an_advanced_degree_or_exceptional_ability_and_dhanasar(self):
        assert judge("us-eb2-niw", {"education_rank": 6, "us_dhanasar_met": True}).verdict is ELIGIBLE
        result = judge(
            "us-eb2-niw",
            {"education_rank": 4, "skilled_work_years_total": 4, "evidence_criteria_met": 2, "us_dhanasar_met": True},
        )
        assert failed_ids(result) == ["us.niw.advanced_degree", "us.niw.progressive", "us.niw.exceptional"]

    def test_niw_bachelor_plus_five_years_counts_as_an_advanced_degree(self):
        facts = {"education_rank": 4, "skilled_work_years_total": 5, "us_dhanasar_met": True}
        assert judge("us-eb2-niw", facts).verdict is ELIGIBLE

    def test_o1_three_of_eight_criteria_or_a_major_award(self):
        assert judge("us-o1", {"job_offer": True, "evidence_criteria_met": 3}).verdict is ELIGIBLE
        assert judge("us-o1", {"job_offer": True, "major_international_award": True}).verdict is ELIGIBLE
        result = judge("us-o1", {"job_offer": True, "evidence_criteria_met": 2, "major_international_award": False})
        assert failed_ids(result) == ["us.o1.award", "us.o1.criteria"]


class TestNetherlandsHighlySkilledMigrant:
    BASE: ClassVar[FactValues] = {"job_offer": True, "sponsor_licensed": True, "years_since_graduation": 8}

    def test_2026_criterion_from_age_30_is_eur_5942_a_month(self):
        assert judge("nl-highly-skilled-migrant", self.BASE, age=30, job_offer_salary=5_942 * 12).verdict is ELIGIBLE
        result = judge("nl-highly-skilled-migrant", self.BASE, age=30, job_offer_salary=5_942 * 12 - 1)
        assert result.verdict is NOT
        assert "nl.hsm.salary_30_plus" in failed_ids(result)
        assert "EUR 5,942 gross a month" in result.failed[0].description

    def test_2026_criterion_under_30_is_eur_4357_a_month(self):
        assert judge("nl-highly-skilled-migrant", self.BASE, age=29, job_offer_salary=4_357 * 12).verdict is ELIGIBLE
        result = judge("nl-highly-skilled-migrant", self.BASE, age=29, job_offer_salary=4_357 * 12 - 1)
        assert "nl.hsm.salary_under_30" in failed_ids(result)

    def test_a_salary_between_the_two_criteria_depends_on_age(self):
        result = judge("nl-highly-skilled-migrant", self.BASE, job_offer_salary=60_000)
        assert result.verdict is POSSIBLY
        assert result.missing_facts == ("age",)

    def test_recent_graduates_meet_the_reduced_eur_3122(self):
        facts = {**self.BASE, "age": 33, "years_since_graduation": 1}
        assert judge("nl-highly-skilled-migrant", facts, job_offer_salary=3_122 * 12).verdict is ELIGIBLE

    def test_blue_card_2026_is_eur_5942_or_4754_for_recent_graduates(self):
        base = {"job_offer": True, "education_rank": 4, "job_offer_duration_months": 12, "years_since_graduation": 2}
        assert judge("nl-eu-blue-card", base, job_offer_salary=4_754 * 12).verdict is ELIGIBLE
        older = {**base, "years_since_graduation": 6}
        assert judge("nl-eu-blue-card", older, job_offer_salary=4_754 * 12).verdict is NOT
        assert judge("nl-eu-blue-card", older, job_offer_salary=5_942 * 12).verdict is ELIGIBLE


class TestIrelandCriticalSkills:
    BASE: ClassVar[FactValues] = {"job_offer": True, "job_offer_duration_months": 24}

    def test_listed_occupation_with_a_degree_from_eur_40904(self):
        facts = {**self.BASE, "occupation_on_list": True, "education_rank": 4}
        assert judge("ie-critical-skills-employment-permit", facts, job_offer_salary=40_904).verdict is ELIGIBLE
        assert judge("ie-critical-skills-employment-permit", facts, job_offer_salary=40_903).verdict is NOT

    def test_any_eligible_occupation_from_eur_68911(self):
        facts = {**self.BASE, "occupation_on_list": False}
        assert judge("ie-critical-skills-employment-permit", facts, job_offer_salary=68_911).verdict is ELIGIBLE
        assert judge("ie-critical-skills-employment-permit", facts, job_offer_salary=68_910).verdict is NOT

    def test_the_offer_must_last_two_years(self):
        facts = {"job_offer": True, "job_offer_duration_months": 23, "job_offer_salary": 90_000}
        assert failed_ids(judge("ie-critical-skills-employment-permit", facts)) == ["ie.csep.duration"]


class TestPortugal:
    SINGLE: ClassVar[FactValues] = {"partner_accompanying": False, "dependent_children": 0}

    def test_d8_2026_income_is_eur_3680_a_month(self):
        remote = {**self.SINGLE, "remote_work_for_foreign_employer": True}
        assert judge("pt-d8-remote-work", remote, remote_income_monthly_eur=3_680).verdict is ELIGIBLE
        result = judge("pt-d8-remote-work", remote, remote_income_monthly_eur=3_679)
        assert failed_ids(result) == ["pt.d8.income.single_0"]
        assert "EUR 3,680" in result.failed[0].description

    def test_d8_adds_half_for_a_partner_and_30_percent_per_child(self):
        family = {"remote_work_for_foreign_employer": True, "partner_accompanying": True, "dependent_children": 1}
        assert judge("pt-d8-remote-work", family, remote_income_monthly_eur=6_624).verdict is ELIGIBLE
        result = judge("pt-d8-remote-work", family, remote_income_monthly_eur=Decimal("6623.99"))
        assert failed_ids(result) == ["pt.d8.income.partner_1"]

    def test_d8_unknown_household_with_the_single_amount_asks_about_the_family(self):
        result = judge(
            "pt-d8-remote-work", {"remote_work_for_foreign_employer": True, "remote_income_monthly_eur": 3_700}
        )
        assert result.verdict is POSSIBLY
        assert result.missing_facts == ("partner_accompanying", "dependent_children")

    def test_d7_2026_passive_income_is_the_minimum_wage_eur_920(self):
        assert judge("pt-d7-passive-income", self.SINGLE, passive_income_monthly_eur=920).verdict is ELIGIBLE
        assert judge("pt-d7-passive-income", self.SINGLE, passive_income_monthly_eur=919).verdict is NOT
        couple = {"partner_accompanying": True, "dependent_children": 0}
        assert judge("pt-d7-passive-income", couple, passive_income_monthly_eur=1_380).verdict is ELIGIBLE


class TestSpainDigitalNomad:
    BASE: ClassVar[FactValues] = {
        "remote_work_for_foreign_employer": True,
        "remote_work_relationship_months": 3,
        "education_rank": 4,
        "partner_accompanying": False,
        "dependent_children": 0,
    }

    def test_2026_income_is_200_percent_of_the_smi_eur_2849(self):
        assert judge("es-digital-nomad", self.BASE, remote_income_monthly_eur=2_849).verdict is ELIGIBLE
        assert judge("es-digital-nomad", self.BASE, remote_income_monthly_eur=2_848).verdict is NOT

    def test_a_partner_adds_75_percent_of_the_smi_and_each_further_member_25(self):
        couple = {**self.BASE, "partner_accompanying": True}
        assert judge("es-digital-nomad", couple, remote_income_monthly_eur=Decimal("3917.38")).verdict is ELIGIBLE
        assert judge("es-digital-nomad", couple, remote_income_monthly_eur=Decimal("3917.37")).verdict is NOT
        family = {**couple, "dependent_children": 1}
        assert judge("es-digital-nomad", family, remote_income_monthly_eur=Decimal("4273.50")).verdict is ELIGIBLE

    def test_the_work_relationship_must_predate_the_application_by_three_months(self):
        result = judge(
            "es-digital-nomad", self.BASE, remote_income_monthly_eur=5_000, remote_work_relationship_months=2
        )
        assert failed_ids(result) == ["es.dn.relationship"]

    def test_three_years_of_experience_replaces_a_degree(self):
        facts = {**self.BASE, "education_rank": 1, "skilled_work_years_total": 3, "remote_income_monthly_eur": 3_000}
        assert judge("es-digital-nomad", facts).verdict is ELIGIBLE


class TestFranceTalent:
    def test_qualified_employee_threshold_from_2025_08_29_is_eur_39582(self):
        assert (
            judge("fr-talent-qualified-employee", {"job_offer": True, "job_offer_salary": 39_582}).verdict is ELIGIBLE
        )
        assert judge("fr-talent-qualified-employee", {"job_offer": True, "job_offer_salary": 39_581}).verdict is NOT

    def test_blue_card_threshold_is_eur_59373(self):
        facts = {"job_offer": True, "job_offer_duration_months": 12, "education_rank": 4}
        assert judge("fr-talent-eu-blue-card", facts, job_offer_salary=59_373).verdict is ELIGIBLE
        result = judge("fr-talent-eu-blue-card", facts, job_offer_salary=59_372)
        assert failed_ids(result) == ["fr.blue_card.salary"]


def test_unknown_german_with_english_b1_leaves_the_opportunity_card_open():
    facts = {**TestGermanyOpportunityCard.POINTS_ROUTE, "english_cefr": "B1"}
    result = judge("de-opportunity-card", facts)
    assert result.verdict is POSSIBLY
    assert result.missing_facts == ("german_cefr_rank",)
