"""Spain: international teleworker ("digital nomad") visa, Ley 28/2022, 2026 SMI
(https://www.exteriores.gob.es).

Income is 200% of the monthly SMI (EUR 1,424.50 = 17,094 / 12): EUR 2,849, plus 75% of the SMI for the
first family member and 25% for each further one. Visa and UGE fees are left out (⚠).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from domain.programs.catalog import documents as docs
from domain.programs.catalog.household import by_household
from domain.programs.model import (
    ApplicationStep,
    Category,
    Country,
    Document,
    ProcessingTime,
    Program,
    Source,
)
from domain.programs.rules import Operator, all_of, any_of, is_true, leaf

COUNTRY = Country("ES", "Spain", "EUR", "Europe", "🇪🇸")

SMI_MONTHLY_2026 = Decimal("17094") / 12


def teleworker_income(partner: bool, children: int) -> Decimal:
    """200% SMI, +75% SMI for the first family member, +25% SMI for each further one (to the cent)."""
    members = int(partner) + children
    share = Decimal(2) + (Decimal("0.75") if members else 0) + Decimal("0.25") * max(members - 1, 0)
    return (SMI_MONTHLY_2026 * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


DIGITAL_NOMAD = Program(
    slug="es-digital-nomad",
    country="ES",
    name="International teleworker visa (digital nomad)",
    category=Category.DIGITAL_NOMAD,
    summary="Remote work for companies outside Spain (freelancers may have up to 20% Spanish clients) with a "
    "relationship of 3+ months and a company operating for 1+ year; a degree or 3 years' experience; "
    "income of EUR 2,849 a month in 2026 plus family increments; health insurance and a clean record.",
    eligibility=all_of(
        is_true(
            "es.dn.remote",
            "remote_work_for_foreign_employer",
            description="Remote work for a company outside Spain (freelancers: at most 20% Spanish clients)",
        ),
        leaf(
            "es.dn.relationship",
            "remote_work_relationship_months",
            Operator.GTE,
            3,
            description="The work relationship began at least 3 months before applying",
        ),
        any_of(
            leaf("es.dn.degree", "education_rank", Operator.GTE, 4, description="A university degree"),
            leaf(
                "es.dn.experience",
                "skilled_work_years_total",
                Operator.GTE,
                3,
                description="At least 3 years of professional experience",
            ),
        ),
        by_household("es.dn.income", "remote_income_monthly_eur", teleworker_income, what="Remote-work income"),
    ),
    sources=(Source("https://www.exteriores.gob.es/", "Ministerio de Asuntos Exteriores – consular services"),),
    as_of=date(2026, 1, 1),
    processing=ProcessingTime(
        14, 28, "UGE: 20 working days, silence counts as approval; consulates about 10 working days"
    ),
    documents=(
        docs.PASSPORT,
        Document("company_letter", "Contract and company letter", "Authorising remote work from Spain."),
        Document("company_registration", "Company registration", "Showing at least 1 year of operation."),
        Document("income_proof", "Recent payslips or invoices", "The last 3 months."),
        Document("qualification", "Degree or experience evidence", "Degree, or 3 years of experience."),
        docs.lived_abroad("during the period the consulate or UGE asks about"),
        docs.HEALTH_INSURANCE,
        *docs.FAMILY,
    ),
    steps=(
        ApplicationStep(
            "company_documents", "Get the company letter and registration", "From the employer.", 7, 21, 45
        ),
        ApplicationStep(
            "police_certificates", "Get criminal-record certificates", "Apostilled and translated.", 14, 30, 90
        ),
        ApplicationStep(
            "apply",
            "Apply to the UGE (in Spain) or the consulate",
            "Online or in person.",
            1,
            7,
            30,
            ("company_documents", "police_certificates"),
        ),
        ApplicationStep("decision", "Decision", "UGE 20 working days.", 10, 28, 60, ("apply",)),
        ApplicationStep("tie", "Fingerprints and TIE card", "At a police station in Spain.", 14, 30, 90, ("decision",)),
    ),
    verification_note="Consular processing (about 10 working days) and fees are ⚠ in the reference.",
)

PROGRAMS = (DIGITAL_NOMAD,)
