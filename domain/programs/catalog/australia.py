"""Australia: points-tested visas (australia_points.py), employer-sponsored 482/186, student and partner.

482/186 follow their pages under https://immi.homeaffairs.gov.au/visas/getting-a-visa/visa-listing (thresholds from
2025-07-01; the 2026-07-01 figures rest on one source, so rules use the lower, certain floor). Student 500 and
Partner 820/801: planning figures corroborated in stored secondary pages, to verify at Home Affairs.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.programs.catalog import australia_points
from domain.programs.catalog import documents as docs
from domain.programs.catalog.australia_points import competent_english
from domain.programs.model import (
    ApplicationStep,
    Category,
    Country,
    Document,
    DocumentWho,
    Fee,
    FeePer,
    ProcessingTime,
    Program,
    Source,
)
from domain.programs.rules import Operator, all_of, any_of, is_true, leaf

COUNTRY = Country("AU", "Australia", "AUD", "Oceania", "🇦🇺")

_LISTING = "https://immi.homeaffairs.gov.au/visas/getting-a-visa/visa-listing"
CSIT = 76_515
SSIT = 141_210

_CORE_SALARY = leaf(
    "au.employer.salary",
    "job_offer_salary",
    Operator.GTE,
    CSIT,
    description="Salary at least the Core Skills Income Threshold (AUD 76,515 from 2025-07-01; reported as "
    "AUD 79,499 from 2026-07-01) and the annual market salary rate",
)
_SPONSOR = all_of(
    is_true("au.employer.sponsor", "sponsor_licensed", description="Nominated by an approved Australian sponsor"),
    is_true("au.employer.job_offer", "job_offer", description="A nominated full-time position"),
)
_EMPLOYER_DOCS = (
    Document(
        "nomination_approval",
        "Nomination approval",
        "The employer's approved sponsorship and nomination.",
        DocumentWho.EMPLOYER,
    ),
    Document("employment_contract", "Employment contract", "Signed contract stating salary and duties."),
    docs.PASSPORT,
    docs.CV,
    docs.REFERENCES,
    Document("english_results", "English test results", "Unless exempt by passport."),
    Document("skills_assessment", "Skills assessment", "Where the occupation requires one."),
    docs.lived_abroad("12 months or more in total in the last 10 years since age 16"),
    docs.MEDICAL,
    *docs.FAMILY,
)


def _employer_steps(visa_days: tuple[int, int, int]) -> tuple[ApplicationStep, ...]:
    return (
        ApplicationStep(
            "sponsor_approval", "Employer becomes an approved sponsor", "Skip if already approved.", 7, 30, 90
        ),
        ApplicationStep(
            "nomination",
            "Employer lodges the nomination",
            "Position, salary and labour-market testing.",
            7,
            30,
            120,
            ("sponsor_approval",),
        ),
        ApplicationStep(
            "visa_application", "Lodge the visa application", "Linked to the nomination.", 1, 7, 30, ("nomination",)
        ),
        ApplicationStep(
            "health_character",
            "Complete health exams and police certificates",
            "When requested.",
            7,
            21,
            60,
            ("visa_application",),
        ),
        ApplicationStep(
            "decision", "Wait for the decision", "Planning figure.", *visa_days, depends_on=("health_character",)
        ),
    )


SKILLS_IN_DEMAND_482 = Program(
    slug="au-skills-in-demand-482",
    country="AU",
    name="Skills in Demand visa (subclass 482)",
    category=Category.EMPLOYER_SPONSORED,
    summary="Temporary work (up to 4 years) for a sponsored position: Core Skills stream (occupation on the "
    "CSOL, salary ≥ CSIT) or Specialist Skills stream (most occupations outside trades, machinery "
    "operators and labourers, salary ≥ SSIT AUD 141,210). Labour Agreement stream not modelled.",
    eligibility=all_of(
        _SPONSOR,
        leaf(
            "au.482.experience",
            "skilled_work_years_total",
            Operator.GTE,
            1,
            description="At least 1 year of relevant full-time work experience",
        ),
        _CORE_SALARY,
        any_of(
            is_true(
                "au.482.core_list", "occupation_on_list", description="Occupation on the Core Skills Occupation List"
            ),
            leaf(
                "au.482.specialist_salary",
                "job_offer_salary",
                Operator.GTE,
                SSIT,
                description="Specialist Skills stream: salary at least AUD 141,210",
            ),
        ),
    ),
    sources=(Source(f"{_LISTING}/skills-in-demand-visa-subclass-482", "Skills in Demand visa (482)"),),
    as_of=date(2025, 7, 1),
    processing=ProcessingTime(7, 120, "Specialist Skills stream targets a 7-day median; others weeks to months"),
    fees=(Fee("Visa application charge", Decimal(3_210), "AUD", FeePer.APPLICANT),),
    documents=_EMPLOYER_DOCS,
    steps=_employer_steps((7, 45, 120)),
    verification_note="CSIT AUD 79,499 / SSIT AUD 146,717 from 2026-07-01 rest on one source (⚠); English "
    "level for 482 not modelled.",
)

EMPLOYER_NOMINATION_186 = Program(
    slug="au-employer-nomination-186",
    country="AU",
    name="Employer Nomination Scheme visa (subclass 186)",
    category=Category.EMPLOYER_SPONSORED,
    summary="Permanent residence through an employer's nomination: Direct Entry (3 years' experience, skills "
    "assessment, CSOL occupation) or Temporary Residence Transition (2 years with the sponsor on a 482 in "
    "the last 3). Under 45, Competent English; age exemptions exist and are not modelled.",
    eligibility=all_of(
        leaf("au.186.age", "age", Operator.LT, 45, description="Under 45 (some exemptions are not modelled)"),
        _SPONSOR,
        competent_english("au.186"),
        _CORE_SALARY,
        any_of(
            all_of(
                is_true(
                    "au.186.skills_assessment",
                    "skills_assessment_positive",
                    description="Direct Entry: a positive skills assessment",
                ),
                leaf(
                    "au.186.experience",
                    "skilled_work_years_total",
                    Operator.GTE,
                    3,
                    description="Direct Entry: at least 3 years of relevant experience",
                ),
                is_true("au.186.csol", "occupation_on_list", description="Direct Entry: occupation on the CSOL"),
            ),
            leaf(
                "au.186.trt",
                "skilled_work_years_in_country_last_3y",
                Operator.GTE,
                2,
                description="Temporary Residence Transition: 2 years with the sponsor on a 482 in the last 3 years",
            ),
        ),
    ),
    sources=(Source(f"{_LISTING}/employer-nomination-scheme-186", "Employer Nomination Scheme visa (186)"),),
    as_of=date(2025, 7, 1),
    fees=(Fee("Visa application charge", Decimal(4_910), "AUD", FeePer.APPLICANT),),
    documents=_EMPLOYER_DOCS,
    steps=_employer_steps((60, 180, 365)),
)

STUDENT_500 = Program(
    slug="au-student-500",
    country="AU",
    name="Student visa (subclass 500)",
    category=Category.STUDY,
    summary="Full-time study in a CRICOS-registered course, up to 5 years. Needs a Confirmation of "
    "Enrolment, health cover (OSHC), the Genuine Student requirement and financial capacity (AUD 29,710 "
    "for the student's first-year living costs from 2024-05-10, or the annual-income option).",
    eligibility=is_true(
        "au.500.coe",
        "study_admission",
        description="A Confirmation of Enrolment in a CRICOS-registered full-time course",
    ),
    sources=(Source(f"{_LISTING}/student-500", "Student visa (500)"),),
    as_of=date(2025, 7, 1),
    processing=ProcessingTime(28, 150, "Reported: 50% in 28 days, 90% in 5 months"),
    fees=(Fee("Visa application charge", Decimal(2_000), "AUD", FeePer.APPLICANT),),
    documents=(
        Document("coe", "Confirmation of Enrolment", "Issued by the provider after the offer is accepted."),
        docs.PASSPORT,
        Document("oshc", "Overseas Student Health Cover", "For the whole visa period."),
        Document("financial_capacity", "Evidence of financial capacity", "Funds or annual-income evidence."),
        Document("english_results", "English test results", "Where the course or visa requires them."),
        Document("genuine_student", "Genuine Student answers", "Answers to the Genuine Student questions."),
        *docs.FAMILY,
    ),
    steps=(
        ApplicationStep("offer", "Get an offer from a provider", "Apply to a CRICOS course.", 14, 45, 120),
        ApplicationStep("coe", "Accept the offer and get the CoE", "Pay the deposit and OSHC.", 3, 10, 30, ("offer",)),
        ApplicationStep("lodge", "Lodge the visa application", "Online in ImmiAccount.", 1, 7, 30, ("coe",)),
        ApplicationStep("decision", "Wait for the decision", "Reported medians.", 7, 28, 150, ("lodge",)),
    ),
    verification_note="Not in the reference: fee (AUD 2,000 from 2025-07-01) and financial capacity "
    "corroborated by two secondary pages each; verify at Home Affairs.",
)

PARTNER_820_801 = Program(
    slug="au-partner-820-801",
    country="AU",
    name="Partner visa, onshore (subclasses 820 and 801)",
    category=Category.FAMILY,
    summary="For the spouse or de facto partner of an Australian citizen, permanent resident or eligible New "
    "Zealand citizen, applying in Australia: a temporary 820 first, the permanent 801 assessed about 2 "
    "years after lodging. One combined fee.",
    eligibility=all_of(
        is_true("au.partner.partner", "has_partner", description="Married or in a de facto relationship"),
        is_true(
            "au.partner.sponsor",
            "partner_citizen_or_resident",
            description="The partner is an Australian citizen, permanent resident or eligible NZ citizen",
        ),
    ),
    sources=(Source(f"{_LISTING}/partner-onshore", "Partner visa (apply in Australia) 820/801"),),
    as_of=date(2025, 7, 1),
    documents=(
        docs.PASSPORT,
        docs.RELATIONSHIP_EVIDENCE,
        Document(
            "sponsor_documents",
            "Sponsor's documents",
            "The sponsoring partner's proof of citizenship or residence and sponsorship form.",
            DocumentWho.PARTNER,
            docs.HAS_PARTNER,
        ),
        docs.lived_abroad("12 months or more in total in the last 10 years since age 16"),
        docs.MEDICAL,
        docs.CHILDREN_BIRTH_CERTIFICATES,
    ),
    steps=(
        ApplicationStep(
            "evidence", "Gather relationship evidence", "Financial, household, social, commitment.", 14, 45, 120
        ),
        ApplicationStep(
            "lodge", "Lodge the combined 820/801 application", "While in Australia.", 1, 7, 30, ("evidence",)
        ),
        ApplicationStep(
            "temporary_grant", "Temporary visa (820) decision", "Planning figure.", 90, 365, 730, ("lodge",)
        ),
        ApplicationStep(
            "permanent_stage",
            "Permanent stage (801)",
            "Assessed about 2 years after lodging.",
            30,
            180,
            540,
            ("temporary_grant",),
        ),
    ),
    verification_note="Not in the reference; the 2025-26 visa charge was not confirmed in stored sources "
    "(AUD 9,095 in 2024-25), so no fee is listed. Verify at Home Affairs.",
)

PROGRAMS = (
    *australia_points.PROGRAMS,
    SKILLS_IN_DEMAND_482,
    EMPLOYER_NOMINATION_186,
    STUDENT_500,
    PARTNER_820_801,
)
