"""Italy: EU Blue Card (art. 27-quater TUI) and digital nomad / remote worker visa (decree of 2024-02-29).

Not in the reference: planning figures to verify at vistoperitalia.esteri.it. The digital-nomad income
(three times the health-cost exemption level, reported as about EUR 28,000 a year) and the Blue Card
salary threshold were not confirmed precisely, so they are described but not encoded.
"""

from __future__ import annotations

from datetime import date

from domain.programs.catalog import documents as docs
from domain.programs.model import ApplicationStep, Category, Country, Document, DocumentWho, Program, Source
from domain.programs.rules import Operator, Rule, all_of, any_of, is_true, leaf

COUNTRY = Country("IT", "Italy", "EUR", "Europe", "🇮🇹")

_SOURCES = (Source("https://vistoperitalia.esteri.it/home/en", "Il visto per l'Italia (Ministry of Foreign Affairs)"),)


def _highly_qualified(prefix: str) -> Rule:
    return any_of(
        leaf(
            f"{prefix}.degree",
            "education_rank",
            Operator.GTE,
            4,
            description="A post-secondary qualification of at least 3 years",
        ),
        leaf(
            f"{prefix}.equivalent_experience",
            "skilled_work_years_total",
            Operator.GTE,
            5,
            description="Or 5 years of professional experience at a comparable level",
        ),
    )


EU_BLUE_CARD = Program(
    slug="it-eu-blue-card",
    country="IT",
    name="EU Blue Card (Italy)",
    category=Category.SKILLED_WORK,
    summary="Highly qualified employment with a binding offer of at least 6 months at the salary threshold "
    "set for the Blue Card; outside the annual quotas. The employer requests the work authorisation "
    "(nulla osta).",
    eligibility=all_of(
        is_true("it.blue_card.job_offer", "job_offer", description="A binding job offer from an employer in Italy"),
        leaf(
            "it.blue_card.duration",
            "job_offer_duration_months",
            Operator.GTE,
            6,
            description="A contract of at least 6 months",
        ),
        _highly_qualified("it.blue_card"),
    ),
    sources=_SOURCES,
    as_of=date(2026, 11, 24),
    documents=(
        docs.PASSPORT,
        Document("nulla_osta", "Work authorisation (nulla osta)", "Requested by the employer.", DocumentWho.EMPLOYER),
        Document("employment_offer", "Binding job offer", "With salary and duration."),
        docs.DEGREES,
        docs.ACCOMMODATION,
    ),
    steps=(
        ApplicationStep("job_offer", "Secure the binding offer", "Qualified role.", 14, 60, 180),
        ApplicationStep(
            "nulla_osta", "Employer obtains the nulla osta", "Via the immigration desk.", 14, 45, 90, ("job_offer",)
        ),
        ApplicationStep("visa", "Apply for the visa", "At the consulate.", 7, 21, 60, ("nulla_osta",)),
        ApplicationStep(
            "permit", "Apply for the residence permit", "Within 8 days of arrival.", 30, 60, 120, ("visa",)
        ),
    ),
    verification_note="Not in the reference and not confirmed in a stored source: as-of is the date this "
    "entry was compiled; the salary threshold is not listed — verify the current figure.",
)

DIGITAL_NOMAD = Program(
    slug="it-digital-nomad",
    country="IT",
    name="Digital nomad / remote worker visa",
    category=Category.DIGITAL_NOMAD,
    summary="For highly qualified remote workers (employed or self-employed, for companies anywhere): a "
    "degree or equivalent, 6 months' experience in the work, income of at least three times the health-"
    "cost exemption level (about EUR 28,000 a year, reported), health insurance and accommodation. "
    "Outside quotas; a 1-year permit, renewable.",
    eligibility=all_of(
        is_true(
            "it.dn.remote",
            "remote_work_for_foreign_employer",
            description="Remote work using technology, for an employer or clients",
        ),
        leaf(
            "it.dn.experience",
            "skilled_work_years_total",
            Operator.GTE,
            0.5,
            description="At least 6 months of experience in the work to be done",
        ),
        _highly_qualified("it.dn"),
    ),
    sources=_SOURCES,
    as_of=date(2024, 4, 4),
    documents=(
        docs.PASSPORT,
        Document("contract", "Employment or collaboration contract", "Or a binding offer."),
        Document("income_proof", "Proof of income", "For the last year."),
        docs.HEALTH_INSURANCE,
        docs.ACCOMMODATION,
        docs.lived_abroad("during the period the consulate asks about"),
    ),
    steps=(
        ApplicationStep("documents", "Gather contract, income and insurance", "Translated and legalised.", 14, 30, 60),
        ApplicationStep("visa", "Apply at the consulate", "No nulla osta needed.", 7, 30, 90, ("documents",)),
        ApplicationStep(
            "permit", "Apply for the residence permit", "At the Questura within 8 days.", 30, 60, 120, ("visa",)
        ),
    ),
    verification_note="Not in the reference; income requirement not encoded (the exact figure was not confirmed).",
)

PROGRAMS = (EU_BLUE_CARD, DIGITAL_NOMAD)
