"""United Arab Emirates: Golden Visa for real-estate investors (10-year residence).

Not in the reference: AED 2 million property value per Cabinet Resolution 65 of 2022 (Annex, Article 8),
corroborated by several secondary pages quoting it; to verify at the ICP / u.ae before display.
"""

from __future__ import annotations

from datetime import date

from domain.programs.catalog import documents as docs
from domain.programs.model import ApplicationStep, Category, Country, Document, Program, Source
from domain.programs.rules import Operator, leaf

COUNTRY = Country("AE", "United Arab Emirates", "AED", "Middle East", "🇦🇪")

GOLDEN_VISA_PROPERTY = Program(
    slug="ae-golden-visa-real-estate",
    country="AE",
    name="Golden Visa – real-estate investor",
    category=Category.BUSINESS_INVESTOR,
    summary="A renewable 10-year residence without a sponsor for owners of UAE property worth at least AED 2 "
    "million (mortgaged with a UAE bank, or off-plan from an approved developer, also counts); family can "
    "be sponsored; health insurance required.",
    eligibility=leaf(
        "ae.golden.property",
        "investment_amount",
        Operator.GTE,
        2_000_000,
        description="Property in the UAE worth at least AED 2,000,000",
    ),
    sources=(
        Source(
            "https://u.ae/en/information-and-services/visa-and-emirates-id/residence-visas/golden-visa",
            "Golden visa (UAE government portal)",
        ),
    ),
    as_of=date(2022, 10, 3),
    documents=(
        docs.PASSPORT,
        docs.PHOTOS,
        Document("title_deed", "Title deed or developer contract", "With the land department's valuation."),
        docs.HEALTH_INSURANCE,
        docs.MEDICAL,
        *docs.FAMILY,
    ),
    steps=(
        ApplicationStep(
            "purchase", "Buy the qualifying property", "Registration with the land department.", 14, 45, 120
        ),
        ApplicationStep(
            "valuation",
            "Get the property valuation or certificate",
            "From the land department.",
            3,
            7,
            21,
            ("purchase",),
        ),
        ApplicationStep("application", "Apply to ICP or GDRFA", "Online.", 1, 7, 21, ("valuation",)),
        ApplicationStep(
            "medical_biometrics", "Medical test and Emirates ID biometrics", "In the UAE.", 3, 7, 21, ("application",)
        ),
        ApplicationStep(
            "issuance", "Visa and Emirates ID issued", "Planning figure.", 7, 14, 45, ("medical_biometrics",)
        ),
    ),
    verification_note="Not in the reference; fees and processing times not listed — verify at ICP.",
)

PROGRAMS = (GOLDEN_VISA_PROPERTY,)
