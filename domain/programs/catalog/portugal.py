"""Portugal: D7 (passive income) and D8 (remote work), 2026 minimum wage EUR 920
(https://vistos.mne.gov.pt).

Household thresholds add 50% for a partner and 30% per child. Visa and AIMA fees are left out (⚠).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

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
from domain.programs.rules import all_of, is_true

COUNTRY = Country("PT", "Portugal", "EUR", "Europe", "🇵🇹")

MINIMUM_WAGE_2026 = Decimal(920)
D7_BASE = MINIMUM_WAGE_2026
D8_BASE = 4 * MINIMUM_WAGE_2026


def _amount(base: Decimal, partner: bool, children: int) -> Decimal:
    return base * (1 + Decimal("0.5") * partner + Decimal("0.3") * children)


_SOURCES = (Source("https://vistos.mne.gov.pt/en/", "Portal das Comunidades – national visas (MNE)"),)
_PROCESSING = ProcessingTime(30, 60, "Consulate up to about 60 days; AIMA appointments for the permit are slow")
_DOCUMENTS = (
    docs.PASSPORT,
    Document("nif_bank", "Portuguese tax number (NIF) and bank account", "Often via a fiscal representative."),
    docs.ACCOMMODATION,
    docs.HEALTH_INSURANCE,
    docs.lived_abroad("for more than a year in the last 5 years, plus the country of nationality"),
    *docs.FAMILY,
)


def _steps(income_evidence: str) -> tuple[ApplicationStep, ...]:
    return (
        ApplicationStep(
            "nif_bank", "Get a NIF and open a Portuguese bank account", "Remotely via a representative.", 7, 14, 45
        ),
        ApplicationStep("accommodation", "Secure accommodation", "A 12-month lease is common.", 14, 30, 90),
        ApplicationStep("income_evidence", "Gather income evidence", income_evidence, 7, 21, 45),
        ApplicationStep(
            "consulate",
            "Apply at the consulate or VFS",
            "Residence visa application.",
            1,
            14,
            45,
            ("nif_bank", "accommodation", "income_evidence"),
        ),
        ApplicationStep("decision", "Visa decision", "Up to about 60 days.", 14, 45, 60, ("consulate",)),
        ApplicationStep(
            "aima",
            "AIMA appointment for the residence permit",
            "Within the visa's 4 months.",
            30,
            90,
            365,
            ("decision",),
        ),
    )


D7 = Program(
    slug="pt-d7-passive-income",
    country="PT",
    name="D7 visa (passive income)",
    category=Category.DIGITAL_NOMAD,
    summary="Residence for people living on regular passive income (pensions, rents, dividends, royalties) of "
    "at least the minimum wage, EUR 920 a month in 2026 (+50% partner, +30% per child), usually with 12 "
    "months of it saved in a Portuguese account. Permanent residence or citizenship after 5 years (a 2025 "
    "reform proposed longer).",
    eligibility=by_household(
        "pt.d7.income",
        "passive_income_monthly_eur",
        lambda partner, children: _amount(D7_BASE, partner, children),
        what="Passive income",
    ),
    sources=_SOURCES,
    as_of=date(2026, 1, 1),
    processing=_PROCESSING,
    documents=(
        *_DOCUMENTS,
        Document(
            "income_proof",
            "Proof of passive income",
            "Pension statements, leases, dividend records; bank statements for 12 months.",
        ),
        Document("savings", "Savings in a Portuguese account", "Usually 12 months of the required income."),
    ),
    steps=_steps("Pension, rental or dividend statements and 12 months of bank statements."),
)

D8 = Program(
    slug="pt-d8-remote-work",
    country="PT",
    name="D8 visa (remote work / digital nomad)",
    category=Category.DIGITAL_NOMAD,
    summary="For employees or freelancers working remotely for employers or clients outside Portugal, with "
    "income of 4× the minimum wage, EUR 3,680 a month in 2026 (+50% partner, +30% per child). A temporary "
    "stay visa (up to 1 year) or a residence visa (2-year permit).",
    eligibility=all_of(
        is_true(
            "pt.d8.remote",
            "remote_work_for_foreign_employer",
            description="Remote work for an employer or clients outside Portugal",
        ),
        by_household(
            "pt.d8.income",
            "remote_income_monthly_eur",
            lambda partner, children: _amount(D8_BASE, partner, children),
            what="Remote-work income",
        ),
    ),
    sources=_SOURCES,
    as_of=date(2026, 1, 1),
    processing=_PROCESSING,
    documents=(
        *_DOCUMENTS,
        Document("work_contract", "Employment or service contracts", "Showing remote work for foreign parties."),
        Document("income_proof", "Proof of income", "Payslips or invoices and bank statements, 3–12 months."),
        Document("tax_residence", "Tax residence evidence", "From the current country."),
    ),
    steps=_steps("Contracts, payslips or invoices, and bank statements for the last 3–12 months."),
)

PROGRAMS = (D7, D8)
