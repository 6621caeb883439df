"""Ireland: Critical Skills Employment Permit with the thresholds in force from 2026-03-01
(https://enterprise.gov.ie/en/what-we-do/workplace-and-skills/employment-permits/permit-types/critical-skills-employment-permit/).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.programs.catalog import documents as docs
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

COUNTRY = Country("IE", "Ireland", "EUR", "Europe", "🇮🇪")

CRITICAL_SKILLS = Program(
    slug="ie-critical-skills-employment-permit",
    country="IE",
    name="Critical Skills Employment Permit",
    category=Category.EMPLOYER_SPONSORED,
    summary="A 2-year permit for a job offer of at least 2 years: an occupation on the Critical Skills list "
    "with a relevant degree at EUR 40,904+, or any eligible occupation at EUR 68,911+ (from 2026-03-01). "
    "Stamp 4 after 21 months; immediate family reunification.",
    eligibility=all_of(
        is_true("ie.csep.job_offer", "job_offer", description="A job offer from an Irish employer"),
        leaf(
            "ie.csep.duration",
            "job_offer_duration_months",
            Operator.GTE,
            24,
            description="A contract of at least 2 years",
        ),
        any_of(
            all_of(
                is_true(
                    "ie.csep.csol",
                    "occupation_on_list",
                    description="Occupation on the Critical Skills Occupations List",
                ),
                leaf("ie.csep.degree", "education_rank", Operator.GTE, 4, description="A relevant degree"),
                leaf(
                    "ie.csep.salary_listed",
                    "job_offer_salary",
                    Operator.GTE,
                    40_904,
                    description="Salary at least EUR 40,904 a year (listed occupation, from 2026-03-01)",
                ),
            ),
            leaf(
                "ie.csep.salary_other",
                "job_offer_salary",
                Operator.GTE,
                68_911,
                description="Salary at least EUR 68,911 a year (any occupation not on the Ineligible list)",
            ),
        ),
    ),
    sources=(
        Source(
            "https://enterprise.gov.ie/en/what-we-do/workplace-and-skills/employment-permits/permit-types/"
            "critical-skills-employment-permit/",
            "Critical Skills Employment Permit (DETE)",
        ),
    ),
    as_of=date(2026, 3, 1),
    processing=ProcessingTime(14, 120, "Per DETE's published processing dates: weeks to a few months"),
    fees=(Fee("Employment permit (2 years)", Decimal(1_000), "EUR", FeePer.APPLICANT),),
    documents=(
        docs.PASSPORT,
        Document("employment_contract", "Signed employment contract", "At least 2 years, with salary."),
        docs.DEGREES,
        docs.CV,
        Document(
            "employer_registration", "Employer's registration details", "Revenue and CRO numbers.", DocumentWho.EMPLOYER
        ),
        *docs.FAMILY,
    ),
    steps=(
        ApplicationStep("job_offer", "Secure the job offer", "2-year contract.", 14, 60, 180),
        ApplicationStep(
            "permit_application",
            "Apply for the permit online",
            "Employer or employee applies.",
            1,
            7,
            21,
            ("job_offer",),
        ),
        ApplicationStep(
            "permit_decision", "Permit decision", "Per DETE processing dates.", 14, 45, 120, ("permit_application",)
        ),
        ApplicationStep(
            "entry_visa", "Apply for the entry visa if needed", "After the permit.", 7, 28, 60, ("permit_decision",)
        ),
        ApplicationStep(
            "registration", "Register immigration permission (IRP)", "After arrival.", 7, 21, 60, ("entry_visa",)
        ),
    ),
    verification_note="The lower graduate band (about EUR 36,848) is ⚠ in the reference and not modelled.",
)

PROGRAMS = (CRITICAL_SKILLS,)
