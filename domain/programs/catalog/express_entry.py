"""Canada's Express Entry programs (FSW, CEC, FST) and the EE-aligned PNP.

Sources: the eligibility, six-selection-factors and proof-of-funds pages under
https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/
and https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/provincial-nominees/works/express-entry.html
(PNP); funds as of 2025-07-07, fees per the 2024-04-30 schedule (both to check for a 2026 update). Latest cut-offs
(CEC round 396, PNP round 395) come from IRCC's rounds table as reported by two news outlets.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.profile import SKILLED_TEERS
from domain.programs.catalog import documents as docs
from domain.programs.catalog.household import funds_by_family_size
from domain.programs.model import (
    ApplicationStep,
    Category,
    CutOff,
    Document,
    Fee,
    FeePer,
    PointsSystem,
    ProcessingTime,
    Program,
    Source,
)
from domain.programs.rules import Operator, Rule, all_of, any_of, is_true, leaf

_EE = "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry"
ELIGIBILITY = Source(f"{_EE}/eligibility.html", "Express Entry: who can apply (IRCC)")
FSW_PAGE = Source(f"{_EE}/eligibility/federal-skilled-workers.html", "Federal Skilled Worker Program (IRCC)")
FSW_FACTORS = Source(
    f"{_EE}/eligibility/federal-skilled-workers/six-selection-factors-federal-skilled-workers.html",
    "Six selection factors – Federal Skilled Worker Program (IRCC)",
)
PROOF_OF_FUNDS = Source(f"{_EE}/documents/proof-funds.html", "Proof of funds – Express Entry (IRCC)")
ROUNDS = Source(
    "https://www.canada.ca/en/immigration-refugees-citizenship/corporate/mandate/policies-operational-"
    "instructions-agreements/ministerial-instructions/express-entry-rounds.html",
    "Express Entry rounds of invitations (IRCC)",
)
PNP_PAGE = Source(
    "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/provincial-nominees/"
    "works/express-entry.html",
    "Provincial Nominee Program: Express Entry streams (IRCC)",
)

FUNDS_AS_OF = date(2025, 7, 7)
_FUNDS_BASE = {1: 15_263, 2: 19_001, 3: 23_360, 4: 28_362, 5: 32_168, 6: 36_280, 7: 40_392}
FUNDS_TABLE = {size: Decimal(_FUNDS_BASE.get(size, 40_392 + 4_112 * (size - 7))) for size in range(1, 13)}
"""CAD by IRCC family size, 2025-07-07 (+4,112 per member beyond 7); sizes above 12 are not checked."""

SKILLED_TEER = leaf(
    "ca.skilled_teer",
    "noc_teer",
    Operator.IN,
    tuple(sorted(SKILLED_TEERS)),
    description="Experience in a TEER 0, 1, 2 or 3 job",
)


def _funds(program: str) -> Rule:
    return any_of(
        all_of(
            is_true(f"ca.{program}.funds_exempt.job_offer", "job_offer", description="Valid job offer in Canada"),
            is_true(
                f"ca.{program}.funds_exempt.authorised",
                "authorised_to_work_in_country",
                description="Currently authorised to work in Canada",
            ),
        ),
        funds_by_family_size(f"ca.{program}.funds", FUNDS_TABLE, "CAD"),
    )


def fsw_rule(points_fact: str) -> Rule:
    """FSW minimums; `points_fact` holds the 67-point grid score (the PNP ranks by CRS, so it names it)."""
    return all_of(
        any_of(
            leaf(
                "ca.fsw.work_abroad",
                "skilled_work_years_foreign",
                Operator.GTE,
                1,
                description="At least 1 year (1,560 h) of continuous skilled paid work in one occupation in the "
                "last 10 years (outside Canada)",
            ),
            leaf(
                "ca.fsw.work_canada",
                "skilled_work_years_in_country",
                Operator.GTE,
                1,
                description="At least 1 year (1,560 h) of continuous skilled paid work in one occupation in the "
                "last 10 years (in Canada)",
            ),
        ),
        SKILLED_TEER,
        leaf(
            "ca.fsw.language",
            "first_language_clb_min",
            Operator.GTE,
            7,
            description="CLB/NCLC 7 or higher in all four abilities of the first official language",
        ),
        is_true(
            "ca.fsw.education",
            "ca_education_assessed",
            description="A Canadian credential, or a foreign one with an Educational Credential Assessment",
        ),
        _funds("fsw"),
        leaf("ca.fsw.points", points_fact, Operator.GTE, 67, description="At least 67 of 100 points on the FSW grid"),
    )


FSW_RULE = fsw_rule("points_score")

CEC_RULE = all_of(
    leaf(
        "ca.cec.work",
        "skilled_work_years_in_country_last_3y",
        Operator.GTE,
        1,
        description="At least 1 year (1,560 h) of authorised skilled work in Canada in the last 3 years",
    ),
    SKILLED_TEER,
    any_of(
        all_of(
            leaf("ca.cec.teer_0_1", "noc_teer", Operator.IN, (0, 1), description="Experience is TEER 0 or 1"),
            leaf(
                "ca.cec.language_clb7",
                "first_language_clb_min",
                Operator.GTE,
                7,
                description="CLB/NCLC 7 in all four abilities (TEER 0 or 1 experience)",
            ),
        ),
        all_of(
            leaf("ca.cec.teer_2_3", "noc_teer", Operator.IN, (2, 3), description="Experience is TEER 2 or 3"),
            leaf(
                "ca.cec.language_clb5",
                "first_language_clb_min",
                Operator.GTE,
                5,
                description="CLB/NCLC 5 in all four abilities (TEER 2 or 3 experience)",
            ),
        ),
    ),
)

FST_RULE = all_of(
    is_true(
        "ca.fst.trade",
        "ca_skilled_trade_occupation",
        description="The trade is in an eligible NOC group (72, 73, 82, 83, 92, 93, 6320, 6200)",
    ),
    leaf(
        "ca.fst.work",
        "trade_work_years_last_5y",
        Operator.GTE,
        2,
        description="At least 2 years of full-time work in the trade in the last 5 years",
    ),
    any_of(
        is_true("ca.fst.job_offer", "job_offer", description="A full-time job offer of at least 1 year"),
        is_true(
            "ca.fst.certificate",
            "ca_trade_certificate",
            description="A Canadian certificate of qualification in the trade",
        ),
    ),
    leaf("ca.fst.speaking", "first_language_clb_speaking", Operator.GTE, 5, description="CLB/NCLC 5 in speaking"),
    leaf("ca.fst.listening", "first_language_clb_listening", Operator.GTE, 5, description="CLB/NCLC 5 in listening"),
    leaf("ca.fst.reading", "first_language_clb_reading", Operator.GTE, 4, description="CLB/NCLC 4 in reading"),
    leaf("ca.fst.writing", "first_language_clb_writing", Operator.GTE, 4, description="CLB/NCLC 4 in writing"),
    _funds("fst"),
)

FEES = (
    Fee("Processing fee", Decimal(950), "CAD", FeePer.ADULT),
    Fee("Right of permanent residence fee", Decimal(575), "CAD", FeePer.ADULT),
    Fee("Processing fee, dependent child", Decimal(260), "CAD", FeePer.CHILD),
    Fee("Biometrics (per person; CAD 170 at most for a family)", Decimal(85), "CAD", FeePer.APPLICANT),
)
PROCESSING = ProcessingTime(120, 240, "IRCC standard: 80% of Express Entry applications in about 6 months")
AS_OF = date(2025, 3, 25)

LANGUAGE_RESULTS = Document(
    "language_results",
    "Language test results",
    "CELPIP-General, IELTS General Training or PTE Core (English); TEF Canada or TCF Canada (French); "
    "less than 2 years old.",
)
ECA = Document("eca_report", "Educational Credential Assessment", "ECA report from an IRCC-designated organisation.")
PROOF_OF_FUNDS_DOC = Document(
    "proof_of_funds",
    "Proof of funds",
    "Official bank letters showing the funds for your family size, unless you are exempt.",
    condition=any_of(
        leaf("doc.no_job_offer", "job_offer", Operator.IS_FALSE, description="No valid job offer in Canada"),
        leaf(
            "doc.not_authorised",
            "authorised_to_work_in_country",
            Operator.IS_FALSE,
            description="Not currently authorised to work in Canada",
        ),
    ),
)
POLICE = docs.lived_abroad("6 months or more in a row since age 18")
_COMMON_DOCS = (docs.PASSPORT, LANGUAGE_RESULTS, docs.REFERENCES, POLICE, docs.MEDICAL, docs.PHOTOS, *docs.FAMILY)


def _ee_steps(first: tuple[ApplicationStep, ...]) -> tuple[ApplicationStep, ...]:
    before_profile = tuple(step.key for step in first)
    return (
        *first,
        ApplicationStep(
            "ee_profile",
            "Create the Express Entry profile",
            "Enter the profile and join the pool.",
            1,
            3,
            14,
            before_profile,
        ),
        *_after_profile("ee_profile"),
    )


def _after_profile(waits_for: str) -> tuple[ApplicationStep, ...]:
    return (
        ApplicationStep(
            "invitation",
            "Receive an invitation to apply",
            "Wait for a round whose cut-off your CRS meets.",
            7,
            60,
            365,
            (waits_for,),
        ),
        ApplicationStep(
            "police_certificates",
            "Get police certificates",
            "One for each country lived in 6+ months since 18.",
            14,
            45,
            120,
            ("invitation",),
        ),
        ApplicationStep(
            "medical_exam",
            "Take the immigration medical exam",
            "With an IRCC panel physician.",
            7,
            21,
            45,
            ("invitation",),
        ),
        ApplicationStep(
            "submit_application",
            "Submit the application for permanent residence",
            "Within 60 days of the invitation, with all documents and fees.",
            1,
            14,
            60,
            ("police_certificates", "medical_exam"),
        ),
        ApplicationStep(
            "biometrics",
            "Give biometrics",
            "At a visa application centre after the instruction letter.",
            7,
            14,
            30,
            ("submit_application",),
        ),
        ApplicationStep(
            "decision",
            "Wait for the decision",
            "IRCC aims at about 6 months for 80% of applications.",
            60,
            180,
            365,
            ("biometrics",),
        ),
        ApplicationStep(
            "landing",
            "Confirm permanent residence",
            "Land in Canada or confirm PR online before the COPR expires.",
            1,
            30,
            365,
            ("decision",),
        ),
    )


_LANGUAGE_STEP = ApplicationStep(
    "language_test", "Take an approved language test", "Book, sit and receive results (about 2 weeks).", 14, 30, 90
)
_ECA_STEP = ApplicationStep(
    "eca",
    "Get an Educational Credential Assessment",
    "Send transcripts to a designated organisation.",
    30,
    60,
    150,
)

FSW = Program(
    slug="ca-express-entry-fsw",
    country="CA",
    name="Express Entry – Federal Skilled Worker Program",
    category=Category.POINTS_BASED_SKILLED,
    summary="Permanent residence for skilled workers abroad: 1 year of skilled work, CLB 7, assessed "
    "education, settlement funds and 67/100 on the FSW grid; then ranked by CRS in the Express Entry pool.",
    eligibility=FSW_RULE,
    sources=(FSW_PAGE, FSW_FACTORS, PROOF_OF_FUNDS),
    as_of=AS_OF,
    points_system=PointsSystem.FSW67,
    pass_mark=67,
    processing=PROCESSING,
    fees=FEES,
    documents=(*_COMMON_DOCS, ECA, PROOF_OF_FUNDS_DOC),
    steps=_ee_steps((_LANGUAGE_STEP, _ECA_STEP)),
)

CEC = Program(
    slug="ca-express-entry-cec",
    country="CA",
    name="Express Entry – Canadian Experience Class",
    category=Category.POINTS_BASED_SKILLED,
    summary="Permanent residence for people with 1 year of skilled Canadian work in the last 3 years: "
    "CLB 7 for TEER 0/1 experience, CLB 5 for TEER 2/3; no education or funds minimum; ranked by CRS.",
    eligibility=CEC_RULE,
    sources=(ELIGIBILITY, ROUNDS),
    as_of=AS_OF,
    points_system=PointsSystem.CRS,
    latest_cutoff=CutOff(
        508, date(2026, 2, 17), ROUNDS, "Round 396, CEC-only, 6,000 invitations (as reported 2026-02-18)"
    ),
    processing=PROCESSING,
    fees=FEES,
    documents=_COMMON_DOCS,
    steps=_ee_steps((_LANGUAGE_STEP,)),
)

FST = Program(
    slug="ca-express-entry-fst",
    country="CA",
    name="Express Entry – Federal Skilled Trades Program",
    category=Category.POINTS_BASED_SKILLED,
    summary="Permanent residence for tradespeople: 2 years in an eligible trade in the last 5, a job offer "
    "or Canadian certificate of qualification, CLB 5 speaking/listening and 4 reading/writing, funds.",
    eligibility=FST_RULE,
    sources=(ELIGIBILITY, PROOF_OF_FUNDS),
    as_of=AS_OF,
    points_system=PointsSystem.CRS,
    processing=PROCESSING,
    fees=FEES,
    documents=(*_COMMON_DOCS, PROOF_OF_FUNDS_DOC),
    steps=_ee_steps((_LANGUAGE_STEP,)),
    verification_note="FST trade-group list is marked ⚠ in the reference; check the NOC groups on the page.",
)

PNP = Program(
    slug="ca-pnp-express-entry",
    country="CA",
    name="Provincial Nominee Program – Express Entry streams",
    category=Category.POINTS_BASED_SKILLED,
    summary="A province nominates an Express Entry candidate (+600 CRS), who is then invited in a PNP round. "
    "The candidate must meet FSW, CEC or FST and the province's own stream criteria, which vary.",
    eligibility=any_of(fsw_rule("points_fsw67"), CEC_RULE, FST_RULE),
    sources=(PNP_PAGE, ROUNDS),
    as_of=AS_OF,
    points_system=PointsSystem.CRS,
    latest_cutoff=CutOff(
        789, date(2026, 2, 16), ROUNDS, "Round 395, PNP-only, 279 invitations (score includes the 600)"
    ),
    processing=ProcessingTime(150, 540, "Provincial step weeks to months, then about 6 months at IRCC"),
    fees=FEES,
    documents=(
        *_COMMON_DOCS,
        Document("nomination_certificate", "Provincial nomination", "The province's nomination certificate."),
    ),
    steps=(
        _LANGUAGE_STEP,
        _ECA_STEP,
        ApplicationStep(
            "ee_profile",
            "Create the Express Entry profile",
            "Enter the pool; pick the provinces of interest.",
            1,
            3,
            14,
            ("language_test", "eca"),
        ),
        ApplicationStep(
            "provincial_application",
            "Apply to the province",
            "Answer a notification of interest or apply to an EE-aligned stream.",
            14,
            90,
            365,
            ("ee_profile",),
        ),
        ApplicationStep(
            "nomination",
            "Receive the provincial nomination",
            "The province assesses the stream criteria.",
            30,
            90,
            270,
            ("provincial_application",),
        ),
        ApplicationStep(
            "accept_nomination",
            "Accept the nomination in the profile",
            "Adds 600 CRS points.",
            1,
            3,
            30,
            ("nomination",),
        ),
        *_after_profile("accept_nomination"),
    ),
    verification_note="Provincial stream criteria and provincial fees vary and are not modelled; IRCC fees "
    "follow the 2024-04-30 schedule (check the 2026 indexation).",
)

PROGRAMS = (FSW, CEC, FST, PNP)
