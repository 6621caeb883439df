"""Singapore: Employment Pass (COMPASS) and ONE Pass.

Not in the reference: planning figures to verify at the Ministry of Manpower. EP qualifying salary SGD
5,600 a month (6,200 in financial services) from 2025-01-01, COMPASS pass mark 40, exemption at SGD
22,500 a month, corroborated by several secondary pages; the salary rises with age, so the rule checks
only the floor. There is no COMPASS calculator: `points_score` is self-assessed with MOM's tool.
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
    ProcessingTime,
    Program,
    Source,
)
from domain.programs.rules import Operator, all_of, any_of, is_true, leaf

COUNTRY = Country("SG", "Singapore", "SGD", "Asia", "🇸🇬")

_MOM = "https://www.mom.gov.sg/passes-and-permits"

EMPLOYMENT_PASS = Program(
    slug="sg-employment-pass",
    country="SG",
    name="Employment Pass",
    category=Category.EMPLOYER_SPONSORED,
    summary="For professionals, managers and executives: a fixed monthly salary of at least SGD 5,600 (SGD "
    "6,200 in financial services; rising with age to about SGD 10,700 in the mid-40s) and 40 COMPASS "
    "points, unless paid SGD 22,500 a month or more. Up to 2 years first, then up to 3.",
    eligibility=all_of(
        is_true("sg.ep.job_offer", "job_offer", description="A job offer from a Singapore employer"),
        leaf(
            "sg.ep.salary",
            "job_offer_salary",
            Operator.GTE,
            5_600 * 12,
            description="Fixed salary at least SGD 5,600 a month (the floor for the youngest applicants)",
        ),
        any_of(
            leaf("sg.ep.compass", "points_score", Operator.GTE, 40, description="At least 40 COMPASS points"),
            leaf(
                "sg.ep.compass_exempt",
                "job_offer_salary",
                Operator.GTE,
                22_500 * 12,
                description="Fixed salary of SGD 22,500 a month or more (exempt from COMPASS)",
            ),
        ),
    ),
    sources=(Source(f"{_MOM}/employment-pass/eligibility", "Employment Pass eligibility (MOM)"),),
    as_of=date(2025, 1, 1),
    pass_mark=40,
    documents=(
        docs.PASSPORT,
        docs.DEGREES,
        Document(
            "employer_application",
            "Employer's application",
            "Filed by the employer or an agent on myMOM.",
            DocumentWho.EMPLOYER,
        ),
        docs.CV,
    ),
    steps=(
        ApplicationStep(
            "job_offer", "Secure the job offer", "Advertised per the Fair Consideration Framework.", 14, 60, 180
        ),
        ApplicationStep("application", "Employer applies online", "With COMPASS details.", 1, 3, 14, ("job_offer",)),
        ApplicationStep("decision", "MOM decision", "Planning figure.", 7, 21, 60, ("application",)),
        ApplicationStep("issuance", "Pass issuance and registration", "After arrival.", 7, 14, 30, ("decision",)),
    ),
    verification_note="Not in the reference; COMPASS points are self-assessed (no calculator).",
)

ONE_PASS = Program(
    slug="sg-one-pass",
    country="SG",
    name="Overseas Networks & Expertise (ONE) Pass",
    category=Category.TALENT,
    summary="A personal 5-year pass for top talent: a fixed monthly salary of SGD 30,000 in the last year or "
    "with a Singapore employer (overseas candidates also need an established employer), or outstanding "
    "achievements in arts, sports, science or academia. Allows several employers and own ventures.",
    eligibility=any_of(
        leaf(
            "sg.one.offer_salary",
            "job_offer_salary",
            Operator.GTE,
            30_000 * 12,
            description="Will earn a fixed salary of at least SGD 30,000 a month in Singapore",
        ),
        leaf(
            "sg.one.current_salary",
            "current_salary_annual",
            Operator.GTE,
            30_000 * 12,
            description="Earned a fixed salary of at least SGD 30,000 a month in the last year",
        ),
        is_true(
            "sg.one.achievements",
            "major_international_award",
            description="Outstanding achievements in arts and culture, sports, science or academia",
        ),
    ),
    sources=(Source(f"{_MOM}/overseas-networks-expertise-pass", "Overseas Networks & Expertise Pass (MOM)"),),
    as_of=date(2023, 1, 1),
    processing=ProcessingTime(7, 28, "Most applications within 4 weeks (reported); achievements take longer"),
    documents=(
        docs.PASSPORT,
        Document("salary_evidence", "Salary evidence", "Payslips and tax records, or a letter of appointment."),
        Document("employer_evidence", "Established-employer evidence", "Market cap or revenue of the employer."),
    ),
    steps=(
        ApplicationStep("evidence", "Gather salary or achievement evidence", "From the employer.", 7, 21, 60),
        ApplicationStep("application", "Apply online", "Yourself or through an employer.", 1, 3, 14, ("evidence",)),
        ApplicationStep("decision", "MOM decision", "Most within 4 weeks.", 7, 28, 60, ("application",)),
    ),
    verification_note="Not in the reference: criteria corroborated by several secondary pages.",
)

PROGRAMS = (EMPLOYMENT_PASS, ONE_PASS)
