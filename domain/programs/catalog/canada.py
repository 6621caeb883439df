"""Canada: Express Entry family (see express_entry.py) plus study, spousal sponsorship and Start-up Visa.

The study permit, spousal sponsorship and Start-up Visa are not in the reference: their values are
planning figures to verify at the official page, corroborated in stored secondary pages (study-permit
living-cost table from 2025-09-01; Start-up Visa intake closed after 2025-12-31, announced 2025-12-19).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.programs.catalog import documents as docs
from domain.programs.catalog import express_entry
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
    Status,
)
from domain.programs.rules import Operator, all_of, is_true, leaf

COUNTRY = Country("CA", "Canada", "CAD", "North America", "🇨🇦")

_IRCC = "https://www.canada.ca/en/immigration-refugees-citizenship/services"
_BIOMETRICS = Fee("Biometrics (per person; CAD 170 at most for a family)", Decimal(85), "CAD", FeePer.APPLICANT)
_VERIFY = "Not in the reference: planning figures corroborated in stored secondary pages; verify at IRCC."

STUDY_PERMIT = Program(
    slug="ca-study-permit",
    country="CA",
    name="Study permit",
    category=Category.STUDY,
    summary="Study at a designated learning institution. Needs a letter of acceptance, usually a provincial "
    "attestation letter, and funds for first-year tuition, travel and living costs (CAD 22,895 a year for "
    "one person outside Quebec from 2025-09-01, more with family). Annual caps on new permits apply.",
    eligibility=all_of(
        is_true(
            "ca.study.admission",
            "study_admission",
            description="A letter of acceptance from a designated learning institution",
        ),
        leaf(
            "ca.study.funds",
            "funds_available",
            Operator.GTE,
            22_895,
            description="At least CAD 22,895 for first-year living costs (one person, outside Quebec), on top "
            "of tuition and travel",
        ),
    ),
    sources=(
        Source(f"{_IRCC}/study-canada/study-permit.html", "Study permit (IRCC)"),
        Source(f"{_IRCC}/study-canada/study-permit/get-documents.html", "Study permit: get the right documents"),
    ),
    as_of=date(2025, 9, 1),
    processing=ProcessingTime(30, 120, "Varies by country of residence; check IRCC's processing-times tool"),
    fees=(Fee("Study permit", Decimal(150), "CAD", FeePer.APPLICANT), _BIOMETRICS),
    documents=(
        docs.PASSPORT,
        Document("letter_of_acceptance", "Letter of acceptance", "From a designated learning institution."),
        Document(
            "attestation_letter",
            "Provincial attestation letter",
            "From the province or territory of study; most post-secondary students need one.",
        ),
        Document("proof_of_funds", "Proof of financial support", "Bank statements, GIC, loan or scholarship letters."),
        docs.PHOTOS,
        *docs.FAMILY,
    ),
    steps=(
        ApplicationStep(
            "admission",
            "Get admitted by a designated learning institution",
            "Apply and accept the offer.",
            30,
            90,
            240,
        ),
        ApplicationStep(
            "attestation",
            "Get the provincial attestation letter",
            "Usually requested by the school.",
            7,
            21,
            60,
            ("admission",),
        ),
        ApplicationStep("funds", "Arrange proof of funds", "Tuition deposit, GIC or bank letters.", 7, 21, 45),
        ApplicationStep(
            "apply",
            "Apply for the study permit",
            "Online, with all documents.",
            1,
            7,
            30,
            ("attestation", "funds"),
        ),
        ApplicationStep("biometrics", "Give biometrics", "At a visa application centre.", 7, 14, 30, ("apply",)),
        ApplicationStep("decision", "Wait for the decision", "Varies by country.", 21, 60, 150, ("biometrics",)),
    ),
    verification_note=_VERIFY,
)

SPOUSAL_SPONSORSHIP = Program(
    slug="ca-spousal-sponsorship",
    country="CA",
    name="Spouse or common-law partner sponsorship",
    category=Category.FAMILY,
    summary="A Canadian citizen or permanent resident sponsors their spouse, common-law or conjugal partner "
    "for permanent residence; the relationship must be genuine. The sponsor signs a 3-year undertaking.",
    eligibility=all_of(
        is_true("ca.spouse.partner", "has_partner", description="Married, or common-law partner for 12+ months"),
        is_true(
            "ca.spouse.sponsor_status",
            "partner_citizen_or_resident",
            description="The partner is a Canadian citizen or permanent resident who can sponsor",
        ),
    ),
    sources=(
        Source(
            f"{_IRCC}/immigrate-canada/family-sponsorship/spouse-partner-children.html",
            "Sponsor your spouse, partner or children (IRCC)",
        ),
    ),
    as_of=date(2024, 4, 30),
    processing=ProcessingTime(300, 540, "Around 12 months for most cases (planning figure)"),
    fees=(Fee("Right of permanent residence fee", Decimal(575), "CAD", FeePer.ADULT), _BIOMETRICS),
    documents=(
        docs.PASSPORT,
        docs.RELATIONSHIP_EVIDENCE,
        Document(
            "sponsor_status",
            "Sponsor's proof of status",
            "The sponsoring partner's Canadian passport, citizenship certificate or PR card.",
            DocumentWho.PARTNER,
            docs.HAS_PARTNER,
        ),
        docs.lived_abroad("6 months or more in a row since age 18"),
        docs.MEDICAL,
        docs.PHOTOS,
        docs.CHILDREN_BIRTH_CERTIFICATES,
    ),
    steps=(
        ApplicationStep(
            "relationship_evidence",
            "Gather relationship evidence",
            "Certificates, photos, joint records.",
            14,
            45,
            120,
        ),
        ApplicationStep(
            "police_certificates",
            "Get police certificates",
            "One for each country lived in 6+ months since 18.",
            14,
            45,
            120,
        ),
        ApplicationStep(
            "submit",
            "Submit sponsorship and PR applications together",
            "Online, with fees.",
            1,
            7,
            30,
            ("relationship_evidence", "police_certificates"),
        ),
        ApplicationStep("biometrics", "Give biometrics", "After the instruction letter.", 7, 14, 30, ("submit",)),
        ApplicationStep("medical_exam", "Take the medical exam", "When IRCC asks.", 7, 30, 60, ("submit",)),
        ApplicationStep(
            "decision",
            "Wait for the decision",
            "Sponsor assessed first, then the applicant.",
            180,
            365,
            540,
            ("biometrics", "medical_exam"),
        ),
        ApplicationStep(
            "landing", "Confirm permanent residence", "Land or confirm PR online.", 1, 30, 365, ("decision",)
        ),
    ),
    verification_note=_VERIFY + " Sponsorship and processing fees are not listed; check IRCC's fee list.",
)

START_UP_VISA = Program(
    slug="ca-start-up-visa",
    country="CA",
    name="Start-up Visa Program",
    category=Category.BUSINESS_INVESTOR,
    summary="Permanent residence for founders backed by a designated venture fund, angel group or "
    "incubator. Closed to new applications after 2025-12-31 (only 2025 commitment certificates, filed by "
    "2026-06-30); IRCC announced a new entrepreneur pilot for 2026.",
    eligibility=all_of(
        is_true(
            "ca.suv.endorsement",
            "endorsement",
            description="A letter of support (commitment) from a designated organisation",
        ),
        leaf(
            "ca.suv.language",
            "first_language_clb_min",
            Operator.GTE,
            5,
            description="CLB/NCLC 5 in all four abilities",
        ),
    ),
    sources=(Source(f"{_IRCC}/immigrate-canada/start-visa.html", "Start-up Visa Program (IRCC)"),),
    as_of=date(2026, 1, 1),
    status=Status.CLOSED,
    documents=(
        docs.PASSPORT,
        Document("commitment_certificate", "Commitment certificate", "Issued by the designated organisation."),
        express_entry.LANGUAGE_RESULTS,
        Document("proof_of_funds", "Proof of settlement funds", "Funds to support yourself and your family."),
    ),
    steps=(
        ApplicationStep(
            "commitment",
            "Secure a designated organisation's commitment",
            "Pitch and due diligence.",
            60,
            180,
            365,
        ),
        ApplicationStep("language_test", "Take an approved language test", "CLB 5 needed.", 14, 30, 90),
        ApplicationStep(
            "apply",
            "Apply for permanent residence",
            "With the commitment certificate.",
            1,
            14,
            60,
            ("commitment", "language_test"),
        ),
    ),
    verification_note="Not in the reference. Closure reported by several outlets (VisaHQ, CIC-related news, "
    "2025-12-19); confirm at IRCC and replace with the new entrepreneur pilot when published.",
)

PROGRAMS = (*express_entry.PROGRAMS, STUDY_PERMIT, SPOUSAL_SPONSORSHIP, START_UP_VISA)
