"""New Zealand: Skilled Migrant Category (6-point system) and Accredited Employer Work Visa.

SMC: https://www.immigration.govt.nz/new-zealand-visas/visas/visa/skilled-migrant-category-resident-visa and INZ
Operational Manual SR3 (https://www.immigration.govt.nz/opsmanual). The AEWV's rules follow the 2025-03-10
changes (market rate instead of the median wage; 2 years' experience or a level 4+ qualification or degree),
corroborated by several secondary pages; verify at Immigration New Zealand.
"""

from __future__ import annotations

from datetime import date

from domain.programs.catalog import documents as docs
from domain.programs.model import (
    ApplicationStep,
    Category,
    Country,
    Document,
    DocumentWho,
    PointsSystem,
    Program,
    Source,
)
from domain.programs.rules import Operator, all_of, any_of, is_true, leaf

COUNTRY = Country("NZ", "New Zealand", "NZD", "Oceania", "🇳🇿")

_VISAS = "https://www.immigration.govt.nz/new-zealand-visas/visas/visa"
_ACCREDITED_JOB = all_of(
    is_true("nz.job_offer", "job_offer", description="A full-time job or job offer (30+ hours a week)"),
    is_true("nz.accredited", "sponsor_licensed", description="The employer is accredited by Immigration NZ"),
)
_EMPLOYER_DOCS = (
    docs.PASSPORT,
    Document("employment_agreement", "Employment agreement and job description", "Signed, with pay and hours."),
    Document("job_check", "Approved Job Check", "Obtained by the accredited employer.", DocumentWho.EMPLOYER),
    docs.lived_abroad("5 years or more since age 17 (for stays over 24 months)"),
    docs.MEDICAL,
    *docs.FAMILY,
)

SKILLED_MIGRANT = Program(
    slug="nz-skilled-migrant-category",
    country="NZ",
    name="Skilled Migrant Category Resident Visa",
    category=Category.POINTS_BASED_SKILLED,
    summary="Residence for skilled workers with an accredited employer's job or offer at the median wage "
    "(1.5× for ANZSCO level 4–5), aged 55 or under, IELTS 6.5: 6 points from one skill category "
    "(registration, qualification or income) plus up to 3 for NZ skilled work. Changes announced for "
    "August 2026 are not modelled.",
    eligibility=all_of(
        _ACCREDITED_JOB,
        leaf("nz.smc.age", "age", Operator.LTE, 55, description="Aged 55 or under"),
        leaf(
            "nz.smc.english",
            "english_ielts_overall",
            Operator.GTE,
            6.5,
            description="English: IELTS 6.5 overall or an accepted equivalent",
        ),
        leaf(
            "nz.smc.points",
            "points_score",
            Operator.GTE,
            6,
            description="At least 6 points: one skill category (3–6) plus NZ skilled work (1 a year, up to 3)",
        ),
    ),
    sources=(
        Source(f"{_VISAS}/skilled-migrant-category-resident-visa", "Skilled Migrant Category Resident Visa (INZ)"),
        Source("https://www.immigration.govt.nz/opsmanual", "INZ Operational Manual SR3"),
    ),
    as_of=date(2023, 10, 9),
    points_system=PointsSystem.NZ_SMC,
    pass_mark=6,
    documents=(
        *_EMPLOYER_DOCS,
        Document("english_results", "English test results", "IELTS or an accepted equivalent."),
        Document(
            "qualification",
            "Registration or qualification",
            "Occupational registration, or the qualification with an NZQA assessment.",
        ),
        Document("nz_experience", "Evidence of NZ skilled work", "Payslips and IRD records, for experience points."),
    ),
    steps=(
        ApplicationStep("job_offer", "Secure a job with an accredited employer", "At the required pay.", 30, 90, 270),
        ApplicationStep("english_test", "Take an English test", "IELTS 6.5 overall or equivalent.", 14, 30, 90),
        ApplicationStep("assessment", "Get a qualification assessment or registration", "If claiming it.", 30, 60, 180),
        ApplicationStep(
            "eoi",
            "Submit an Expression of Interest",
            "Points from one skill category plus NZ work.",
            1,
            3,
            14,
            ("job_offer", "english_test", "assessment"),
        ),
        ApplicationStep("invitation", "Receive an invitation to apply", "Selection rounds.", 14, 60, 180, ("eoi",)),
        ApplicationStep(
            "apply", "Apply for residence", "With medical and police certificates.", 7, 30, 120, ("invitation",)
        ),
        ApplicationStep("decision", "Wait for the decision", "Weeks to months.", 30, 120, 365, ("apply",)),
    ),
    verification_note="Median wage NZD 31.61/hour, the 5-year window for NZ experience, the August 2026 "
    "pathways and the visa fee (about NZD 6,450) are ⚠ in the reference and not modelled.",
)

ACCREDITED_EMPLOYER_WORK_VISA = Program(
    slug="nz-accredited-employer-work-visa",
    country="NZ",
    name="Accredited Employer Work Visa",
    category=Category.EMPLOYER_SPONSORED,
    summary="Temporary work (up to 5 years) for an accredited employer whose Job Check is approved; pay at the "
    "market rate and at least the minimum wage since 2025-03-10; 2 years' relevant experience, or a "
    "relevant level 4+ qualification, or any degree.",
    eligibility=all_of(
        _ACCREDITED_JOB,
        any_of(
            leaf(
                "nz.aewv.experience",
                "skilled_work_years_total",
                Operator.GTE,
                2,
                description="At least 2 years of relevant work experience",
            ),
            leaf(
                "nz.aewv.qualification",
                "education_rank",
                Operator.GTE,
                2,
                description="A relevant NZQF level 4+ qualification (one-year post-secondary or higher) or any degree",
            ),
        ),
    ),
    sources=(Source(f"{_VISAS}/accredited-employer-work-visa", "Accredited Employer Work Visa (INZ)"),),
    as_of=date(2025, 3, 10),
    documents=_EMPLOYER_DOCS,
    steps=(
        ApplicationStep("accreditation", "Employer gets accredited", "Skip if already accredited.", 7, 14, 60),
        ApplicationStep(
            "job_check", "Employer passes the Job Check", "Market rate, advertising.", 7, 21, 60, ("accreditation",)
        ),
        ApplicationStep("apply", "Apply for the visa", "Online with the job token.", 1, 7, 30, ("job_check",)),
        ApplicationStep("decision", "Wait for the decision", "Planning figure.", 7, 30, 90, ("apply",)),
    ),
    verification_note="Not in the reference: rules per the 2025-03-10 changes as reported by several "
    "secondary pages; fee not listed — verify at Immigration New Zealand.",
)

PROGRAMS = (SKILLED_MIGRANT, ACCREDITED_EMPLOYER_WORK_VISA)
