"""France: the "Talent" multi-year card, qualified-employee and EU Blue Card categories
(https://www.welcometofrance.com, https://france-visas.gouv.fr).

Thresholds from 2025-08-29 (decree 2025-539, order of August 2025). The Blue Card education
alternatives (5 years' experience; 3 years for IT) follow Directive 2021/1883 and are to verify on
welcometofrance.com; visa and card fees are left out (⚠).
"""

from __future__ import annotations

from datetime import date

from domain.programs.catalog import documents as docs
from domain.programs.model import ApplicationStep, Category, Country, Document, ProcessingTime, Program, Source
from domain.programs.rules import Operator, all_of, any_of, is_true, leaf

COUNTRY = Country("FR", "France", "EUR", "Europe", "🇫🇷")

_SOURCES = (
    Source("https://www.welcometofrance.com/en", "Welcome to France"),
    Source("https://france-visas.gouv.fr/en/", "France-Visas"),
)
_JOB_OFFER = is_true("fr.job_offer", "job_offer", description="A work contract with an employer in France")
_DOCUMENTS = (
    docs.PASSPORT,
    Document("work_contract", "Work contract", "Stating the gross annual salary."),
    docs.DEGREES,
    docs.ACCOMMODATION,
    *docs.FAMILY,
)
_STEPS = (
    ApplicationStep("job_offer", "Secure the work contract", "With the salary at the threshold.", 14, 60, 180),
    ApplicationStep(
        "visa_application",
        "Apply for the long-stay visa",
        "France-Visas, then the consulate.",
        1,
        14,
        30,
        ("job_offer",),
    ),
    ApplicationStep("visa_decision", "Visa decision", "Weeks.", 7, 21, 60, ("visa_application",)),
    ApplicationStep(
        "card", "Collect the Talent card in France", "Prefecture or online procedure.", 14, 60, 120, ("visa_decision",)
    ),
)

TALENT_QUALIFIED_EMPLOYEE = Program(
    slug="fr-talent-qualified-employee",
    country="FR",
    name="Talent card – qualified employee",
    category=Category.SKILLED_WORK,
    summary="A multi-year card (up to 4 years) for qualified employees, including hires of innovative "
    "companies, paid at least EUR 39,582 gross a year (from 2025-08-29); family members get a Talent "
    "(family) card.",
    eligibility=all_of(
        _JOB_OFFER,
        leaf(
            "fr.talent.salary",
            "job_offer_salary",
            Operator.GTE,
            39_582,
            description="Gross salary at least EUR 39,582 a year",
        ),
    ),
    sources=_SOURCES,
    as_of=date(2025, 8, 29),
    processing=ProcessingTime(14, 60, "Weeks for the visa; the card follows in France"),
    documents=_DOCUMENTS,
    steps=_STEPS,
    verification_note="Degree conditions vary by sub-category and are not modelled; fees are ⚠.",
)

TALENT_EU_BLUE_CARD = Program(
    slug="fr-talent-eu-blue-card",
    country="FR",
    name="Talent card – EU Blue Card",
    category=Category.SKILLED_WORK,
    summary="The French EU Blue Card: a higher-education diploma (3+ years) or equivalent experience, a "
    "contract of 6+ months, and at least EUR 59,373 gross a year (from 2025-08-29).",
    eligibility=all_of(
        _JOB_OFFER,
        leaf(
            "fr.blue_card.duration",
            "job_offer_duration_months",
            Operator.GTE,
            6,
            description="A contract of at least 6 months",
        ),
        any_of(
            leaf(
                "fr.blue_card.degree",
                "education_rank",
                Operator.GTE,
                4,
                description="A higher-education diploma of at least 3 years",
            ),
            leaf(
                "fr.blue_card.experience",
                "skilled_work_years_total",
                Operator.GTE,
                5,
                description="5 years of professional experience at a comparable level",
            ),
            leaf(
                "fr.blue_card.it",
                "it_work_years_last_7y",
                Operator.GTE,
                3,
                description="IT specialist with 3 years of experience in the last 7",
            ),
        ),
        leaf(
            "fr.blue_card.salary",
            "job_offer_salary",
            Operator.GTE,
            59_373,
            description="Gross salary at least EUR 59,373 a year",
        ),
    ),
    sources=_SOURCES,
    as_of=date(2025, 8, 29),
    processing=ProcessingTime(14, 60, "Weeks for the visa; the card follows in France"),
    documents=_DOCUMENTS,
    steps=_STEPS,
    verification_note="Experience alternatives follow the EU Blue Card Directive; verify the French "
    "transposition. Fees are ⚠.",
)

PROGRAMS = (TALENT_QUALIFIED_EMPLOYEE, TALENT_EU_BLUE_CARD)
