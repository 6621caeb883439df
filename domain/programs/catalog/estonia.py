"""Estonia: digital nomad visa (C or D visa for location-independent work).

Not in the reference: the EUR 4,500 gross monthly income over the 6 months before applying is stated on
an Estonian embassy page (mfa.ee) and corroborated by secondary pages; visa fees are left out.
"""

from __future__ import annotations

from datetime import date

from domain.programs.catalog import documents as docs
from domain.programs.model import ApplicationStep, Category, Country, Document, Program, Source
from domain.programs.rules import Operator, all_of, is_true, leaf

COUNTRY = Country("EE", "Estonia", "EUR", "Europe", "🇪🇪")

DIGITAL_NOMAD = Program(
    slug="ee-digital-nomad",
    country="EE",
    name="Digital nomad visa",
    category=Category.DIGITAL_NOMAD,
    summary="A short-stay (C) or long-stay (D, up to a year) visa to work remotely from Estonia for an "
    "employer or own company registered abroad, or as a freelancer for mostly foreign clients, with gross "
    "income of at least EUR 4,500 a month over the previous 6 months.",
    eligibility=all_of(
        is_true(
            "ee.dn.remote",
            "remote_work_for_foreign_employer",
            description="Location-independent work for an employer, own company or clients abroad",
        ),
        leaf(
            "ee.dn.income",
            "remote_income_monthly_eur",
            Operator.GTE,
            4_500,
            description="Gross income at least EUR 4,500 a month over the 6 months before applying",
        ),
    ),
    sources=(
        Source("https://newdelhi.mfa.ee/digital-nomad-visa/", "Digital nomad visa (Embassy of Estonia)"),
        Source("https://www.politsei.ee/en", "Police and Border Guard Board"),
    ),
    as_of=date(2026, 6, 22),
    documents=(
        docs.PASSPORT,
        Document("remote_work_explanation", "Explanation of remote work", "How the work is done remotely."),
        Document("contract", "Employment or service contract", "With the foreign employer or clients."),
        Document("income_proof", "Proof of income", "Bank statements for the 6 months before applying."),
        docs.HEALTH_INSURANCE,
    ),
    steps=(
        ApplicationStep("documents", "Gather contract and income evidence", "6 months of statements.", 7, 14, 30),
        ApplicationStep(
            "apply", "Apply at an Estonian embassy", "Online form, then in person.", 1, 14, 45, ("documents",)
        ),
        ApplicationStep("decision", "Visa decision", "Planning figure.", 7, 15, 30, ("apply",)),
    ),
    verification_note="Not in the reference; as-of is the latest date a stored source confirmed the figure.",
)

PROGRAMS = (DIGITAL_NOMAD,)
