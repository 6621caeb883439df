"""Netherlands: Highly Skilled Migrant and EU Blue Card, 2026 salary criteria
(https://ind.nl/en/residence-permits/work/highly-skilled-migrant).

Criteria are gross monthly salaries excluding the 8% holiday allowance; rules compare the annual
`job_offer_salary` (defined the same way) with 12 times the monthly figure.
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
from domain.programs.rules import Operator, Rule, all_of, any_of, is_true, leaf, when

COUNTRY = Country("NL", "Netherlands", "EUR", "Europe", "🇳🇱")

HSM_30_AND_OVER = 5_942
HSM_UNDER_30 = 4_357
HSM_REDUCED = 3_122
BLUE_CARD = 5_942
BLUE_CARD_GRADUATE = 4_754


def _monthly(rule_id: str, monthly: int, label: str) -> Rule:
    return leaf(
        rule_id,
        "job_offer_salary",
        Operator.GTE,
        monthly * 12,
        description=f"{label}: at least EUR {monthly:,} gross a month (EUR {monthly * 12:,} a year) excluding "
        "holiday allowance",
    )


_RECENT_GRADUATE = leaf(
    "nl.recent_graduate",
    "years_since_graduation",
    Operator.LTE,
    3,
    description="Graduated within the last 3 years (reduced criterion; for HSM a Dutch or top-200 university)",
)
_JOB_OFFER = is_true("nl.job_offer", "job_offer", description="A job offer from an employer in the Netherlands")
_SPONSOR = is_true("nl.sponsor", "sponsor_licensed", description="The employer is an IND-recognised sponsor")
_PROCESSING = ProcessingTime(14, 90, "IND aims at about 2 weeks for recognised sponsors; legal limit 90 days")
_DOCUMENTS = (
    docs.PASSPORT,
    Document("employment_contract", "Employment contract", "Signed, showing the gross monthly salary."),
    Document("antecedents_certificate", "Antecedents certificate", "Signed declaration on criminal history."),
    Document("tb_test", "TB test declaration", "Only for nationalities that need a TB test."),
    Document(
        "sponsor_application",
        "Sponsor's application",
        "The recognised sponsor files with the IND.",
        DocumentWho.EMPLOYER,
    ),
    *docs.FAMILY,
)
_STEPS = (
    ApplicationStep("job_offer", "Secure the job offer", "With a recognised sponsor.", 14, 60, 180),
    ApplicationStep(
        "ind_application",
        "Sponsor applies to the IND",
        "Entry and residence (TEV) procedure.",
        1,
        7,
        21,
        ("job_offer",),
    ),
    ApplicationStep(
        "decision", "IND decision", "About 2 weeks for recognised sponsors.", 7, 14, 90, ("ind_application",)
    ),
    ApplicationStep("mvv", "Collect the entry visa (MVV) if needed", "At the Dutch mission.", 1, 14, 30, ("decision",)),
    ApplicationStep(
        "registration", "Register with the municipality and collect the permit", "BSN number.", 7, 14, 30, ("mvv",)
    ),
)

HIGHLY_SKILLED_MIGRANT = Program(
    slug="nl-highly-skilled-migrant",
    country="NL",
    name="Highly Skilled Migrant (kennismigrant)",
    category=Category.EMPLOYER_SPONSORED,
    summary="Work for an IND-recognised sponsor at a salary criterion set by age (2026: EUR 5,942 a month "
    "from 30, EUR 4,357 under 30, EUR 3,122 for recent graduates); no degree needed; salary paid into a "
    "Dutch account.",
    eligibility=all_of(
        _JOB_OFFER,
        _SPONSOR,
        any_of(
            all_of(
                when(
                    leaf("nl.hsm.age_30_plus", "age", Operator.GTE, 30, description="Aged 30 or over"),
                    _monthly("nl.hsm.salary_30_plus", HSM_30_AND_OVER, "Aged 30 or over"),
                ),
                when(
                    leaf("nl.hsm.age_under_30", "age", Operator.LT, 30, description="Under 30"),
                    _monthly("nl.hsm.salary_under_30", HSM_UNDER_30, "Under 30"),
                ),
            ),
            all_of(_RECENT_GRADUATE, _monthly("nl.hsm.salary_reduced", HSM_REDUCED, "Reduced criterion")),
        ),
    ),
    sources=(
        Source("https://ind.nl/en/residence-permits/work/highly-skilled-migrant", "Highly skilled migrant (IND)"),
    ),
    as_of=date(2026, 1, 1),
    processing=_PROCESSING,
    documents=_DOCUMENTS,
    steps=_STEPS,
    verification_note="IND fee (about EUR 380–420) is ⚠ in the reference and not listed.",
)

EU_BLUE_CARD = Program(
    slug="nl-eu-blue-card",
    country="NL",
    name="EU Blue Card (Netherlands)",
    category=Category.SKILLED_WORK,
    summary="Residence for holders of a higher-education qualification with a job offer of at least 6 months "
    "paying EUR 5,942 a month in 2026 (EUR 4,754 for recent graduates).",
    eligibility=all_of(
        _JOB_OFFER,
        leaf(
            "nl.blue_card.degree",
            "education_rank",
            Operator.GTE,
            4,
            description="A higher-education qualification (bachelor's or higher)",
        ),
        leaf(
            "nl.blue_card.duration",
            "job_offer_duration_months",
            Operator.GTE,
            6,
            description="Employment contract of at least 6 months",
        ),
        any_of(
            _monthly("nl.blue_card.salary", BLUE_CARD, "EU Blue Card"),
            all_of(_RECENT_GRADUATE, _monthly("nl.blue_card.salary_graduate", BLUE_CARD_GRADUATE, "Graduate rate")),
        ),
    ),
    sources=(
        Source(
            "https://ind.nl/en/residence-permits/work/european-blue-card-residence-permit",
            "European Blue Card (IND)",
        ),
    ),
    as_of=date(2026, 1, 1),
    processing=_PROCESSING,
    documents=(*_DOCUMENTS, docs.DEGREES),
    steps=_STEPS,
    verification_note="Which graduates qualify for the graduate rate, and the IND fee, are to verify at IND.",
)

PROGRAMS = (HIGHLY_SKILLED_MIGRANT, EU_BLUE_CARD)
