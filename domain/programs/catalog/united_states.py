"""United States: H-1B, EB-2 NIW and O-1 (their pages under https://www.uscis.gov/working-in-the-united-states),
and EB-5.

EB-5: USD 1,050,000 / 800,000 (targeted employment area or infrastructure) per the
EB-5 Reform and Integrity Act of 2022, corroborated by several secondary pages; amounts are to be
inflation-adjusted from 2027, so verify at USCIS. Premium-processing prices are left out (⚠).
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

COUNTRY = Country("US", "United States", "USD", "North America", "🇺🇸")

_USCIS = "https://www.uscis.gov/working-in-the-united-states"
_ASYLUM_FEE = Fee("Asylum Program Fee (USD 300 small employers, 0 non-profits)", Decimal(600), "USD", FeePer.APPLICANT)
_EMPLOYER_JOB = is_true("us.job_offer", "job_offer", description="A US employer (or agent) who will file the petition")


H1B = Program(
    slug="us-h1b",
    country="US",
    name="H-1B specialty occupation",
    category=Category.EMPLOYER_SPONSORED,
    summary="Temporary work (3 years, extendable to 6) in a job needing a specific bachelor's degree, after a "
    "certified LCA. Capped (65,000 + 20,000 US master's): March registration, wage-weighted lottery from "
    "the FY2027 season. New petitions for people outside the US owe a USD 100,000 payment (from 2025-09-21).",
    eligibility=all_of(
        _EMPLOYER_JOB,
        is_true(
            "us.h1b.specialty",
            "job_offer_degree_level",
            description="A specialty occupation needing at least a bachelor's in a specific field",
        ),
        any_of(
            leaf(
                "us.h1b.degree",
                "education_rank",
                Operator.GTE,
                4,
                description="A US bachelor's degree or foreign equivalent",
            ),
            all_of(
                leaf(
                    "us.h1b.education_two_year",
                    "education_rank",
                    Operator.GTE,
                    3,
                    description="Equivalence: at least a two-year credential",
                ),
                leaf(
                    "us.h1b.experience_6",
                    "skilled_work_years_total",
                    Operator.GTE,
                    6,
                    description="Equivalence: 6 years of specialised experience (3 per missing year of study)",
                ),
            ),
            all_of(
                leaf(
                    "us.h1b.education_one_year",
                    "education_rank",
                    Operator.GTE,
                    2,
                    description="Equivalence: at least a one-year credential",
                ),
                leaf(
                    "us.h1b.experience_9",
                    "skilled_work_years_total",
                    Operator.GTE,
                    9,
                    description="Equivalence: 9 years of specialised experience (3 per missing year of study)",
                ),
            ),
            leaf(
                "us.h1b.experience_12",
                "skilled_work_years_total",
                Operator.GTE,
                12,
                description="Equivalence: 12 years of specialised experience without a degree",
            ),
        ),
    ),
    sources=(Source(f"{_USCIS}/h-1b-specialty-occupations", "H-1B Specialty Occupations (USCIS)"),),
    as_of=date(2026, 2, 27),
    processing=ProcessingTime(60, 180, "Regular processing 2–6 months after filing; premium 15 business days"),
    fees=(
        Fee("Registration fee", Decimal(215), "USD", FeePer.APPLICANT),
        Fee("Form I-129 (USD 460 small employers and non-profits)", Decimal(780), "USD", FeePer.APPLICANT),
        _ASYLUM_FEE,
        Fee("Fraud prevention and detection fee", Decimal(500), "USD", FeePer.APPLICANT),
        Fee(
            "Proclamation payment: new petitions for beneficiaries outside the US without an H-1B visa",
            Decimal(100_000),
            "USD",
            FeePer.APPLICANT,
        ),
    ),
    documents=(
        Document(
            "lca", "Certified Labor Condition Application", "Filed by the employer with DOL.", DocumentWho.EMPLOYER
        ),
        Document("job_description", "Offer letter and job description", "Showing the specialty requirement."),
        docs.DEGREES,
        Document("credential_evaluation", "Credential evaluation", "For foreign degrees or experience equivalence."),
        docs.PASSPORT,
        docs.CV,
    ),
    steps=(
        ApplicationStep("registration", "Employer registers you in March", "Electronic registration.", 1, 14, 30),
        ApplicationStep("selection", "Lottery selection", "Results by the end of March.", 7, 21, 30, ("registration",)),
        ApplicationStep("lca", "Employer obtains a certified LCA", "Prevailing wage.", 7, 10, 14, ("selection",)),
        ApplicationStep("petition", "Employer files the I-129 petition", "From 1 April.", 1, 30, 90, ("lca",)),
        ApplicationStep("approval", "USCIS decides the petition", "Regular 2–6 months.", 15, 90, 180, ("petition",)),
        ApplicationStep("visa", "Consular visa interview", "Outside the US.", 14, 45, 120, ("approval",)),
    ),
    verification_note="Fee amounts are ⚠ in the reference (2024 USCIS fee schedule); premium processing "
    "(about USD 2,805) is not listed.",
)

EB2_NIW = Program(
    slug="us-eb2-niw",
    country="US",
    name="EB-2 National Interest Waiver",
    category=Category.TALENT,
    summary="Green card by self-petition (Form I-140) for holders of an advanced degree or exceptional "
    "ability whose endeavour meets the Matter of Dhanasar test; no job offer or labour certification. "
    "The green card waits on the Visa Bulletin (long backlogs for India and China).",
    eligibility=all_of(
        any_of(
            leaf(
                "us.niw.advanced_degree",
                "education_rank",
                Operator.GTE,
                6,
                description="An advanced degree (master's or higher)",
            ),
            all_of(
                leaf("us.niw.bachelor", "education_rank", Operator.GTE, 4, description="A bachelor's degree"),
                leaf(
                    "us.niw.progressive",
                    "skilled_work_years_total",
                    Operator.GTE,
                    5,
                    description="5 years of progressive experience after the bachelor's",
                ),
            ),
            leaf(
                "us.niw.exceptional",
                "evidence_criteria_met",
                Operator.GTE,
                3,
                description="Exceptional ability: at least 3 of the 6 criteria",
            ),
        ),
        is_true("us.niw.dhanasar", "us_dhanasar_met", description="Meets all three Matter of Dhanasar prongs"),
    ),
    sources=(
        Source(
            f"{_USCIS}/permanent-workers/employment-based-immigration-second-preference-eb-2",
            "Employment-Based Immigration: Second Preference EB-2 (USCIS)",
        ),
    ),
    as_of=date(2024, 4, 1),
    processing=ProcessingTime(120, 365, "I-140 several months to a year without premium; then the Visa Bulletin"),
    fees=(Fee("Form I-140", Decimal(715), "USD", FeePer.APPLICANT), _ASYLUM_FEE),
    documents=(
        docs.DEGREES,
        docs.CV,
        Document("achievements", "Evidence of achievements", "Publications, citations, patents, awards."),
        Document("recommendation_letters", "Expert recommendation letters", "Independent experts preferred."),
        Document("endeavour_statement", "Statement of the proposed endeavour", "With a plan."),
        docs.PASSPORT,
    ),
    steps=(
        ApplicationStep("evidence", "Assemble evidence and letters", "Dhanasar-focused.", 30, 90, 180),
        ApplicationStep("i140", "File Form I-140", "Self-petition.", 1, 7, 30, ("evidence",)),
        ApplicationStep(
            "i140_decision", "Wait for the I-140 decision", "Premium: 45 business days.", 45, 240, 365, ("i140",)
        ),
        ApplicationStep(
            "green_card",
            "Adjust status or consular processing",
            "When the priority date is current.",
            90,
            365,
            1_825,
            ("i140_decision",),
        ),
    ),
    verification_note="Fee amounts are ⚠ in the reference (2024 USCIS fee schedule).",
)

O1 = Program(
    slug="us-o1",
    country="US",
    name="O-1 extraordinary ability or achievement",
    category=Category.TALENT,
    summary="Temporary work (up to 3 years, then 1-year extensions) for people with extraordinary ability: "
    "O-1A a major international award or 3 of 8 criteria; O-1B distinction in the arts. Petition by a US "
    "employer or agent with an advisory opinion; no cap.",
    eligibility=all_of(
        _EMPLOYER_JOB,
        any_of(
            is_true("us.o1.award", "major_international_award", description="A major internationally recognised award"),
            leaf(
                "us.o1.criteria",
                "evidence_criteria_met",
                Operator.GTE,
                3,
                description="At least 3 of the 8 O-1A criteria (or the O-1B distinction standard)",
            ),
        ),
    ),
    sources=(
        Source(
            f"{_USCIS}/temporary-workers/o-1-visa-individuals-with-extraordinary-ability-or-achievement",
            "O-1 Visa: Individuals with Extraordinary Ability or Achievement (USCIS)",
        ),
    ),
    as_of=date(2024, 4, 1),
    processing=ProcessingTime(21, 120, "Premium 15 business days; regular about 2–4 months"),
    fees=(Fee("Form I-129 (O)", Decimal(1_055), "USD", FeePer.APPLICANT), _ASYLUM_FEE),
    documents=(
        Document("criteria_evidence", "Evidence for the criteria", "Awards, press, judging, publications, salary."),
        Document("contracts", "Contracts or itinerary", "Terms of the work.", DocumentWho.EMPLOYER),
        Document("advisory_opinion", "Advisory opinion", "From a peer group or labour organisation."),
        docs.PASSPORT,
    ),
    steps=(
        ApplicationStep("evidence", "Assemble the criteria evidence", "With the employer or agent.", 30, 60, 120),
        ApplicationStep("advisory_opinion", "Obtain the advisory opinion", "Peer group consultation.", 7, 21, 60),
        ApplicationStep(
            "petition",
            "Employer or agent files the I-129",
            "Premium optional.",
            1,
            7,
            30,
            ("evidence", "advisory_opinion"),
        ),
        ApplicationStep(
            "approval", "USCIS decides the petition", "Premium 15 business days.", 21, 60, 120, ("petition",)
        ),
        ApplicationStep("visa", "Consular visa interview", "Outside the US.", 14, 30, 90, ("approval",)),
    ),
    verification_note="Fee amounts are ⚠ in the reference (2024 USCIS fee schedule).",
)

EB5 = Program(
    slug="us-eb5",
    country="US",
    name="EB-5 Immigrant Investor Program",
    category=Category.BUSINESS_INVESTOR,
    summary="Green card for investing USD 1,050,000 in a new commercial enterprise (USD 800,000 in a targeted "
    "employment area or infrastructure project) that creates 10 full-time US jobs; conditional residence "
    "for 2 years first. Regional Center program authorised to 2027-09-30.",
    eligibility=any_of(
        leaf(
            "us.eb5.standard",
            "investment_amount",
            Operator.GTE,
            1_050_000,
            description="An investment of at least USD 1,050,000",
        ),
        all_of(
            is_true(
                "us.eb5.targeted",
                "investment_targeted_area",
                description="The project is in a targeted employment area or is an infrastructure project",
            ),
            leaf(
                "us.eb5.reduced",
                "investment_amount",
                Operator.GTE,
                800_000,
                description="An investment of at least USD 800,000",
            ),
        ),
    ),
    sources=(Source(f"{_USCIS}/permanent-workers/eb-5-immigrant-investor-program", "EB-5 Immigrant Investor Program"),),
    as_of=date(2022, 3, 15),
    documents=(
        Document("investment_evidence", "Evidence of the investment", "Subscription and escrow records."),
        Document("source_of_funds", "Lawful source of funds", "Tracing of the invested capital."),
        Document(
            "business_plan",
            "Business plan and job-creation evidence",
            "From the enterprise or regional center.",
            DocumentWho.EMPLOYER,
        ),
        docs.PASSPORT,
        docs.lived_abroad("as long as the State Department's reciprocity table requires (consular processing)"),
    ),
    steps=(
        ApplicationStep("due_diligence", "Choose and vet the project", "Regional center or direct.", 30, 90, 180),
        ApplicationStep("source_of_funds", "Document the source of funds", "Often the longest step.", 30, 60, 120),
        ApplicationStep(
            "invest",
            "Invest the capital",
            "Into escrow or the enterprise.",
            7,
            30,
            90,
            ("due_diligence", "source_of_funds"),
        ),
        ApplicationStep("petition", "File Form I-526E or I-526", "With the evidence.", 1, 14, 30, ("invest",)),
        ApplicationStep(
            "decision",
            "Wait for the petition decision",
            "Planning figure; varies widely.",
            180,
            540,
            1_460,
            ("petition",),
        ),
        ApplicationStep(
            "conditional_residence",
            "Obtain conditional residence",
            "Adjustment or consular.",
            90,
            240,
            540,
            ("decision",),
        ),
    ),
    verification_note="Not in the reference: investment amounts from the 2022 Act (several secondary "
    "pages agree); filing fees not listed; amounts are indexed from 2027 — verify at USCIS.",
)

PROGRAMS = (H1B, EB2_NIW, O1, EB5)
