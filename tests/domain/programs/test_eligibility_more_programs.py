"""Programs beyond the reference: study, family, investor, talent and nomad routes decide as documented."""

from domain.programs.catalog import PROGRAM_BY_SLUG
from domain.programs.rules import Verdict, evaluate

from .judging import failed_ids, judge

ELIGIBLE, POSSIBLY, NOT = Verdict.ELIGIBLE, Verdict.POSSIBLY_ELIGIBLE, Verdict.NOT_ELIGIBLE


def test_canada_study_permit_needs_an_acceptance_and_cad_22895_for_living_costs():
    assert judge("ca-study-permit", {"study_admission": True, "funds_available": 22_895}).verdict is ELIGIBLE
    result = judge("ca-study-permit", {"study_admission": True, "funds_available": 22_894})
    assert failed_ids(result) == ["ca.study.funds"]


def test_spousal_sponsorship_needs_a_canadian_citizen_or_pr_partner():
    assert (
        judge("ca-spousal-sponsorship", {"has_partner": True, "partner_citizen_or_resident": True}).verdict is ELIGIBLE
    )
    result = judge("ca-spousal-sponsorship", {"has_partner": True, "partner_citizen_or_resident": False})
    assert failed_ids(result) == ["ca.spouse.sponsor_status"]


def test_uk_partner_route_accepts_a1_english_or_an_exemption():
    base = {"has_partner": True, "partner_citizen_or_resident": True, "age": 30, "citizenship": "IN"}
    assert judge("gb-family-partner", base, english_cefr="A1").verdict is ELIGIBLE
    result = judge("gb-family-partner", base, english_cefr="none", degree_taught_in_english=False)
    assert result.verdict is NOT
    assert judge("gb-family-partner", base, english_cefr="none", age=66).verdict is ELIGIBLE


def test_uk_student_needs_a_cas():
    assert judge("gb-student", {"study_admission": True, "age": 19}).verdict is ELIGIBLE
    assert failed_ids(judge("gb-student", {"study_admission": False, "age": 19})) == ["gb.student.cas"]


def test_german_student_visa_needs_the_blocked_account_amount():
    assert judge("de-student-visa", {"study_admission": True, "funds_available": 11_904}).verdict is ELIGIBLE
    assert judge("de-student-visa", {"study_admission": True, "funds_available": 11_000}).verdict is NOT


def test_german_academic_skilled_worker_needs_a_recognised_degree_and_an_offer():
    facts = {"job_offer": True, "education_rank": 4, "de_qualification_recognition": "partial"}
    assert failed_ids(judge("de-skilled-worker-academic-18b", facts)) == ["de.recognition_full"]


def test_eb5_reduced_amount_applies_only_in_a_targeted_area():
    assert judge("us-eb5", {"investment_amount": 800_000, "investment_targeted_area": True}).verdict is ELIGIBLE
    result = judge("us-eb5", {"investment_amount": 800_000, "investment_targeted_area": False})
    assert failed_ids(result) == ["us.eb5.standard", "us.eb5.targeted"]
    assert judge("us-eb5", {"investment_amount": 1_050_000}).verdict is ELIGIBLE


def test_uae_golden_visa_property_of_aed_2_million():
    assert judge("ae-golden-visa-real-estate", {"investment_amount": 2_000_000}).verdict is ELIGIBLE
    assert judge("ae-golden-visa-real-estate", {"investment_amount": 1_999_999}).verdict is NOT


def test_estonia_digital_nomad_income_of_eur_4500():
    base = {"remote_work_for_foreign_employer": True}
    assert judge("ee-digital-nomad", base, remote_income_monthly_eur=4_500).verdict is ELIGIBLE
    assert failed_ids(judge("ee-digital-nomad", base, remote_income_monthly_eur=4_499)) == ["ee.dn.income"]


def test_singapore_employment_pass_is_compass_exempt_from_sgd_22500_a_month():
    assert judge("sg-employment-pass", {"job_offer": True, "job_offer_salary": 22_500 * 12}).verdict is ELIGIBLE
    result = judge("sg-employment-pass", {"job_offer": True, "job_offer_salary": 6_000 * 12})
    assert result.verdict is POSSIBLY
    assert result.missing_facts == ("points_score",)
    assert failed_ids(judge("sg-employment-pass", {"job_offer": True, "job_offer_salary": 5_000 * 12})) == [
        "sg.ep.salary"
    ]


def test_singapore_one_pass_on_salary_earned_abroad():
    assert judge("sg-one-pass", {"current_salary_annual": 360_000}).verdict is ELIGIBLE


def test_japan_highly_skilled_professional_needs_70_points():
    assert judge("jp-highly-skilled-professional", {"job_offer": True, "points_score": 70}).verdict is ELIGIBLE
    assert failed_ids(judge("jp-highly-skilled-professional", {"job_offer": True, "points_score": 69})) == [
        "jp.hsp.points"
    ]


def test_closed_program_still_evaluates_so_clients_can_explain_it():
    program = PROGRAM_BY_SLUG["ca-start-up-visa"]
    assert evaluate(program.eligibility, {"endorsement": True, "first_language_clb_min": 5}).verdict is ELIGIBLE


def test_document_conditions_select_partner_documents_only_for_couples():
    program = PROGRAM_BY_SLUG["ca-express-entry-fsw"]
    partner_docs = [d for d in program.documents if d.key == "relationship_evidence"]
    assert [evaluate(d.condition, {"has_partner": False}).verdict for d in partner_docs if d.condition] == [NOT]
    assert [evaluate(d.condition, {"has_partner": True}).verdict for d in partner_docs if d.condition] == [ELIGIBLE]
