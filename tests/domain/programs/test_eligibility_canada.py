"""Express Entry eligibility as the reference states it (§3 FSW, §3.1 funds, §4 CEC and FST, §5 PNP)."""

from domain.programs.rules import Verdict

from .judging import failed_ids, judge

FSW = "ca-express-entry-fsw"
CEC = "ca-express-entry-cec"
FST = "ca-express-entry-fst"
PNP = "ca-pnp-express-entry"

CLB7 = {f"first_language_clb_{a}": 7 for a in ("listening", "reading", "writing", "speaking")}
FSW_SINGLE = {
    "skilled_work_years_foreign": 3,
    "skilled_work_years_in_country": 0,
    "noc_teer": 1,
    **CLB7,
    "ca_education_assessed": True,
    "job_offer": False,
    "family_size": 1,
    "funds_available": 15_263,
    "points_score": 67,
}


class TestFederalSkilledWorker:
    def test_one_year_abroad_clb7_eca_funds_and_67_points_is_eligible(self):
        assert judge(FSW, FSW_SINGLE).verdict is Verdict.ELIGIBLE

    def test_clb6_in_a_single_ability_is_not_eligible_naming_the_language_rule(self):
        result = judge(FSW, FSW_SINGLE, first_language_clb_writing=6)
        assert result.verdict is Verdict.NOT_ELIGIBLE
        assert failed_ids(result) == ["ca.fsw.language"]
        assert "CLB/NCLC 7" in result.failed[0].description

    def test_unknown_funds_without_a_job_offer_is_possibly_eligible_naming_funds(self):
        result = judge(FSW, FSW_SINGLE, funds_available=None)
        assert result.verdict is Verdict.POSSIBLY_ELIGIBLE
        assert result.missing_facts == ("funds_available",)
        assert [ref.rule_id for ref in result.undecided] == ["ca.fsw.funds.family_1"]

    def test_funds_follow_the_2025_table_by_family_size(self):
        family_of_4 = {**FSW_SINGLE, "family_size": 4}
        assert judge(FSW, family_of_4, funds_available=28_362).verdict is Verdict.ELIGIBLE
        short = judge(FSW, family_of_4, funds_available=28_361)
        assert short.verdict is Verdict.NOT_ELIGIBLE
        assert "ca.fsw.funds.family_4" in failed_ids(short)
        assert "CAD 28,362 for a family of 4" in short.failed[-1].description

    def test_each_member_beyond_seven_adds_cad_4112(self):
        family_of_9 = {**FSW_SINGLE, "family_size": 9}
        assert judge(FSW, family_of_9, funds_available=48_616).verdict is Verdict.ELIGIBLE
        assert judge(FSW, family_of_9, funds_available=48_615).verdict is Verdict.NOT_ELIGIBLE

    def test_a_job_offer_while_authorised_to_work_waives_the_funds(self):
        facts = {**FSW_SINGLE, "funds_available": None, "job_offer": True, "authorised_to_work_in_country": True}
        assert judge(FSW, facts).verdict is Verdict.ELIGIBLE

    def test_a_job_offer_without_work_authorisation_still_needs_funds(self):
        facts = {**FSW_SINGLE, "funds_available": 0, "job_offer": True, "authorised_to_work_in_country": False}
        result = judge(FSW, facts)
        assert result.verdict is Verdict.NOT_ELIGIBLE
        assert "ca.fsw.funds.family_1" in failed_ids(result)

    def test_66_points_is_below_the_pass_mark(self):
        result = judge(FSW, FSW_SINGLE, points_score=66)
        assert failed_ids(result) == ["ca.fsw.points"]

    def test_education_without_an_eca_is_not_eligible(self):
        assert failed_ids(judge(FSW, FSW_SINGLE, ca_education_assessed=False)) == ["ca.fsw.education"]

    def test_less_than_a_year_of_skilled_work_anywhere_is_not_eligible(self):
        result = judge(FSW, FSW_SINGLE, skilled_work_years_foreign=0.9, skilled_work_years_in_country=0)
        assert failed_ids(result) == ["ca.fsw.work_abroad", "ca.fsw.work_canada"]

    def test_a_year_of_skilled_work_in_canada_also_counts(self):
        facts = {**FSW_SINGLE, "skilled_work_years_foreign": 0, "skilled_work_years_in_country": 1}
        assert judge(FSW, facts).verdict is Verdict.ELIGIBLE

    def test_teer_4_experience_is_not_skilled(self):
        assert failed_ids(judge(FSW, FSW_SINGLE, noc_teer=4)) == ["ca.skilled_teer"]


CEC_BASE = {"skilled_work_years_in_country_last_3y": 1}


class TestCanadianExperienceClass:
    def test_teer_2_experience_needs_only_clb5(self):
        assert judge(CEC, CEC_BASE, noc_teer=2, first_language_clb_min=5).verdict is Verdict.ELIGIBLE

    def test_teer_3_experience_needs_only_clb5(self):
        assert judge(CEC, CEC_BASE, noc_teer=3, first_language_clb_min=5).verdict is Verdict.ELIGIBLE

    def test_teer_2_experience_with_clb4_is_not_eligible(self):
        result = judge(CEC, CEC_BASE, noc_teer=2, first_language_clb_min=4)
        assert result.verdict is Verdict.NOT_ELIGIBLE
        assert "ca.cec.language_clb5" in failed_ids(result)

    def test_teer_1_experience_needs_clb7(self):
        result = judge(CEC, CEC_BASE, noc_teer=1, first_language_clb_min=5)
        assert result.verdict is Verdict.NOT_ELIGIBLE
        assert "ca.cec.language_clb7" in failed_ids(result)
        assert judge(CEC, CEC_BASE, noc_teer=0, first_language_clb_min=7).verdict is Verdict.ELIGIBLE

    def test_no_education_funds_or_points_are_asked(self):
        assert judge(CEC, CEC_BASE, noc_teer=2, first_language_clb_min=6).verdict is Verdict.ELIGIBLE

    def test_less_than_a_year_of_canadian_work_in_the_last_3_years_is_not_eligible(self):
        result = judge(CEC, {"skilled_work_years_in_country_last_3y": 0.9, "noc_teer": 1, "first_language_clb_min": 9})
        assert failed_ids(result) == ["ca.cec.work"]

    def test_unknown_teer_asks_for_it(self):
        result = judge(CEC, CEC_BASE, first_language_clb_min=6)
        assert result.verdict is Verdict.POSSIBLY_ELIGIBLE
        assert "noc_teer" in result.missing_facts


FST_BASE = {
    "ca_skilled_trade_occupation": True,
    "trade_work_years_last_5y": 2,
    "job_offer": False,
    "ca_trade_certificate": True,
    "first_language_clb_speaking": 5,
    "first_language_clb_listening": 5,
    "first_language_clb_reading": 4,
    "first_language_clb_writing": 4,
    "family_size": 2,
    "funds_available": 19_001,
}


class TestFederalSkilledTrades:
    def test_clb5_speaking_listening_and_clb4_reading_writing_is_enough(self):
        assert judge(FST, FST_BASE).verdict is Verdict.ELIGIBLE

    def test_clb3_reading_is_not_eligible_naming_reading(self):
        assert failed_ids(judge(FST, FST_BASE, first_language_clb_reading=3)) == ["ca.fst.reading"]

    def test_clb4_speaking_is_not_eligible_naming_speaking(self):
        assert failed_ids(judge(FST, FST_BASE, first_language_clb_speaking=4)) == ["ca.fst.speaking"]

    def test_needs_a_job_offer_or_a_certificate_of_qualification(self):
        result = judge(FST, FST_BASE, ca_trade_certificate=False)
        assert failed_ids(result) == ["ca.fst.job_offer", "ca.fst.certificate"]

    def test_a_job_offer_replaces_the_certificate(self):
        facts = {**FST_BASE, "ca_trade_certificate": False, "job_offer": True}
        assert judge(FST, facts).verdict is Verdict.ELIGIBLE

    def test_needs_two_years_in_the_trade_within_five(self):
        assert failed_ids(judge(FST, FST_BASE, trade_work_years_last_5y=1.5)) == ["ca.fst.work"]

    def test_funds_are_required_for_a_family_of_two(self):
        assert failed_ids(judge(FST, FST_BASE, funds_available=19_000)) == [
            "ca.fst.funds_exempt.job_offer",
            "ca.fst.funds.family_2",
        ]


class TestProvincialNomineeExpressEntry:
    def test_meeting_cec_alone_is_enough_for_an_ee_aligned_nomination(self):
        facts = {**CEC_BASE, "noc_teer": 2, "first_language_clb_min": 5}
        assert judge(PNP, facts, ca_education_assessed=False).verdict is Verdict.ELIGIBLE

    def test_meeting_none_of_fsw_cec_fst_is_not_eligible(self):
        facts = {**FSW_SINGLE, "points_fsw67": 60, "skilled_work_years_in_country_last_3y": 0}
        result = judge(PNP, facts, ca_skilled_trade_occupation=False)
        assert result.verdict is Verdict.NOT_ELIGIBLE
        assert {"ca.fsw.points", "ca.cec.work", "ca.fst.trade"} <= set(failed_ids(result))

    def test_the_fsw_route_reads_the_fsw_grid_score_not_the_crs_held_in_points_score(self):
        facts = {**FSW_SINGLE, "points_score": 480, "points_fsw67": 70, "skilled_work_years_in_country_last_3y": 0}
        assert judge(PNP, facts).verdict is Verdict.ELIGIBLE
        assert "ca.fsw.points" in failed_ids(judge(PNP, facts, points_fsw67=66, ca_skilled_trade_occupation=False))
