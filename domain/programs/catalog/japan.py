"""Japan: Highly Skilled Professional (i) and Engineer/Specialist in Humanities/International Services.

Not in the reference: planning figures to verify at the Immigration Services Agency. The HSP 70-point
threshold (since 2012-05-07) is corroborated by JETRO and several secondary pages; there is no HSP
calculator, so `points_score` is self-assessed on the ISA points sheet. Fees are left out.
"""

from __future__ import annotations

from datetime import date

from domain.programs.catalog import documents as docs
from domain.programs.model import ApplicationStep, Category, Country, Document, DocumentWho, Program, Source
from domain.programs.rules import Operator, all_of, any_of, is_true, leaf

COUNTRY = Country("JP", "Japan", "JPY", "Asia", "🇯🇵")

_CONTRACT = is_true("jp.contract", "job_offer", description="A contract with an organisation in Japan")
_STEPS = (
    ApplicationStep("contract", "Sign the employment contract", "With the Japanese organisation.", 14, 45, 120),
    ApplicationStep(
        "coe_application",
        "Employer applies for a Certificate of Eligibility",
        "At the regional immigration bureau.",
        1,
        14,
        30,
        ("contract",),
    ),
    ApplicationStep(
        "coe_decision", "Certificate of Eligibility issued", "Planning figure.", 14, 45, 90, ("coe_application",)
    ),
    ApplicationStep("visa", "Get the visa at the embassy", "With the CoE.", 5, 7, 21, ("coe_decision",)),
    ApplicationStep("residence_card", "Enter and receive the residence card", "At the airport.", 1, 1, 14, ("visa",)),
)
_DOCUMENTS = (
    docs.PASSPORT,
    docs.PHOTOS,
    Document("employment_contract", "Employment contract", "Duties, salary and term."),
    Document(
        "employer_documents",
        "Employer's documents",
        "Company registration and financial statements, by company category.",
        DocumentWho.EMPLOYER,
    ),
    docs.DEGREES,
    docs.CV,
)

HIGHLY_SKILLED_PROFESSIONAL = Program(
    slug="jp-highly-skilled-professional",
    country="JP",
    name="Highly Skilled Professional (i)",
    category=Category.TALENT,
    summary="Preferential status for researchers, specialists and managers scoring 70+ points on education, "
    "experience, salary, age and bonuses (J-Skip also grants it on salary and degree/experience alone): "
    "5-year stay, permanent residence after 3 years (1 year at 80 points), working spouse.",
    eligibility=all_of(
        _CONTRACT,
        leaf(
            "jp.hsp.points",
            "points_score",
            Operator.GTE,
            70,
            description="At least 70 points on the Highly Skilled Professional points sheet",
        ),
    ),
    sources=(
        Source(
            "https://www.jetro.go.jp/en/invest/setting_up/section2/page11/",
            "Points-based system for Highly Skilled Foreign Professionals (JETRO)",
        ),
    ),
    as_of=date(2012, 5, 7),
    pass_mark=70,
    documents=(*_DOCUMENTS, Document("points_sheet", "Points calculation sheet", "With evidence for each item.")),
    steps=_STEPS,
    verification_note="Not in the reference; no calculator exists, so the points are self-assessed on the "
    "ISA sheet. J-Skip (2023) routes are not modelled.",
)

ENGINEER_HUMANITIES = Program(
    slug="jp-engineer-humanities-international",
    country="JP",
    name="Engineer / Specialist in Humanities / International Services",
    category=Category.SKILLED_WORK,
    summary="The main work status for white-collar jobs: a degree related to the work (junior college or "
    "higher, or a Japanese vocational diploma) or 10 years' experience (3 years for international services "
    "such as translation), a contract, and pay equal to a Japanese national's.",
    eligibility=all_of(
        _CONTRACT,
        any_of(
            leaf(
                "jp.esi.degree",
                "education_rank",
                Operator.GTE,
                3,
                description="A degree related to the work (junior college or higher)",
            ),
            leaf(
                "jp.esi.experience",
                "skilled_work_years_total",
                Operator.GTE,
                3,
                description="Relevant experience: 10 years, or 3 years for international-services work",
            ),
        ),
    ),
    sources=(
        Source(
            "https://www.moj.go.jp/isa/applications/status/gijinkoku.html",
            "Engineer/Specialist in Humanities/International Services (Immigration Services Agency)",
        ),
    ),
    as_of=date(2015, 4, 1),
    documents=_DOCUMENTS,
    steps=_STEPS,
    verification_note="Not in the reference: requirements corroborated by several secondary pages; the "
    "experience rule is checked at its lowest bar (3 years).",
)

PROGRAMS = (HIGHLY_SKILLED_PROFESSIONAL, ENGINEER_HUMANITIES)
