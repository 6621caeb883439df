"""Germany: Opportunity Card and EU Blue Card, skilled workers §18a/§18b, student visa.

Opportunity Card: https://www.make-it-in-germany.com/en/visa-residence/types/job-search-opportunity-card;
Blue Card: https://www.make-it-in-germany.com/en/visa-residence/types/eu-blue-card. §18a/§18b and the student
visa restate the Residence Act sections cited (https://www.gesetze-im-internet.de/aufenthg_2004/), and the
blocked-account figure (EUR 11,904 from 2024-09-01) is a planning figure corroborated by several secondary pages,
to verify at the Federal Foreign Office before each intake.
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
    PointsSystem,
    ProcessingTime,
    Program,
    Source,
)
from domain.programs.rules import Operator, all_of, any_of, is_true, leaf

COUNTRY = Country("DE", "Germany", "EUR", "Europe", "🇩🇪")

_MIIG = "https://www.make-it-in-germany.com/en/visa-residence/types"
_LAW = "https://www.gesetze-im-internet.de/aufenthg_2004"
_VISA_FEE = Fee("National (D) visa", Decimal(75), "EUR", FeePer.APPLICANT)

_RECOGNISED = leaf(
    "de.recognition_full",
    "de_qualification_recognition",
    Operator.EQ,
    "full",
    description="A German qualification, or a foreign one recognised as equivalent or comparable in Germany",
)
_JOB_OFFER = is_true("de.job_offer", "job_offer", description="A concrete job offer from an employer in Germany")
_DEGREE = leaf("de.degree", "education_rank", Operator.GTE, 4, description="A university degree (bachelor's or higher)")
_IT_EXPERIENCE = leaf(
    "de.it_experience",
    "it_work_years_last_7y",
    Operator.GTE,
    3,
    description="IT specialist with at least 3 years of relevant experience in the last 7 years",
)


def _mission_steps(first: tuple[ApplicationStep, ...]) -> tuple[ApplicationStep, ...]:
    ready = tuple(step.key for step in first)
    return (
        *first,
        ApplicationStep(
            "appointment",
            "Book and attend the visa appointment",
            "At the German mission; waits vary widely.",
            14,
            60,
            180,
            ready,
        ),
        ApplicationStep("decision", "Wait for the visa decision", "Weeks to months.", 14, 42, 120, ("appointment",)),
        ApplicationStep(
            "registration",
            "Enter and register your address",
            "Then get the residence permit locally.",
            7,
            14,
            60,
            ("decision",),
        ),
    )


OPPORTUNITY_CARD = Program(
    slug="de-opportunity-card",
    country="DE",
    name="Opportunity Card (Chancenkarte)",
    category=Category.POINTS_BASED_SKILLED,
    summary="Up to 1 year in Germany to look for work (part-time work up to 20 h/week allowed). Route 1: a "
    "fully recognised qualification. Route 2: a degree or 2-year vocational qualification, German A1 or "
    "English B2, and at least 6 points. Both need secured living costs.",
    eligibility=all_of(
        any_of(
            _RECOGNISED,
            all_of(
                leaf(
                    "de.chancenkarte.qualification",
                    "education_rank",
                    Operator.GTE,
                    3,
                    description="Points route: a university degree or a vocational qualification of at least "
                    "2 years' training",
                ),
                is_true(
                    "de.chancenkarte.state_recognised",
                    "qualification_state_recognised",
                    description="Points route: the qualification is state-recognised where it was earned",
                ),
                any_of(
                    leaf(
                        "de.chancenkarte.german_a1",
                        "german_cefr_rank",
                        Operator.GTE,
                        1,
                        description="Points route: German A1 or higher",
                    ),
                    leaf(
                        "de.chancenkarte.english_b2",
                        "english_cefr_rank",
                        Operator.GTE,
                        4,
                        description="Points route: English B2 or higher",
                    ),
                ),
                leaf(
                    "de.chancenkarte.points",
                    "points_score",
                    Operator.GTE,
                    6,
                    description="Points route: at least 6 points on the Opportunity Card table",
                ),
            ),
        ),
        leaf(
            "de.chancenkarte.funds",
            "funds_available",
            Operator.GTE,
            13_092,
            description="Secured living costs of EUR 1,091 a month (EUR 13,092 for 12 months; 2025 figure)",
        ),
    ),
    sources=(
        Source(f"{_MIIG}/job-search-opportunity-card", "Opportunity Card (Make it in Germany)"),
        Source(f"{_LAW}/__20a.html", "Residence Act §20a"),
        Source(f"{_LAW}/__20b.html", "Residence Act §20b"),
    ),
    as_of=date(2024, 6, 1),
    points_system=PointsSystem.DE_CHANCENKARTE,
    pass_mark=6,
    fees=(_VISA_FEE,),
    documents=(
        docs.PASSPORT,
        Document(
            "qualification_recognition",
            "Qualification and recognition proof",
            "Degree or vocational certificate with proof of state recognition (anabin printout or ZAB "
            "statement); a partial-recognition notice if claimed.",
        ),
        Document("language_certificates", "Language certificates", "German or English certificates (ALTE)."),
        Document("cv_references", "CV and employer references", "For the work-experience points."),
        Document(
            "proof_of_funds", "Proof of funds", "Blocked account, declaration of commitment or a part-time contract."
        ),
        docs.HEALTH_INSURANCE,
        Document("previous_stays", "Proof of earlier stays in Germany", "Only to claim the stay point."),
        Document(
            "spouse_documents",
            "Spouse's documents",
            "Only to claim the spouse point: the spouse's qualification and language evidence.",
            DocumentWho.PARTNER,
            docs.PARTNER_INCLUDED,
        ),
    ),
    steps=_mission_steps(
        (
            ApplicationStep(
                "recognition",
                "Check or obtain recognition",
                "anabin check, ZAB statement or recognition notice.",
                14,
                60,
                120,
            ),
            ApplicationStep(
                "language_certificate", "Get a language certificate", "German A1+ or English B2+.", 30, 60, 180
            ),
            ApplicationStep(
                "blocked_account", "Open a blocked account", "Or arrange another proof of funds.", 7, 14, 30
            ),
        )
    ),
    verification_note="Living-costs figure is the 2025 value still quoted mid-2026 (⚠ verify yearly); the "
    "age-40 reading of the points table is per the statute (age 40 scores 0).",
)

EU_BLUE_CARD = Program(
    slug="de-eu-blue-card",
    country="DE",
    name="EU Blue Card (Germany)",
    category=Category.SKILLED_WORK,
    summary="Residence for graduates (or IT specialists with 3 years' experience) with a job offer of 6+ "
    "months paying at least EUR 50,700 (2026), or EUR 45,934.20 in shortage occupations, for recent "
    "graduates and IT specialists. Settlement after 27 months (21 with German B1).",
    eligibility=all_of(
        _JOB_OFFER,
        leaf(
            "de.blue_card.duration",
            "job_offer_duration_months",
            Operator.GTE,
            6,
            description="Employment contract of at least 6 months",
        ),
        any_of(all_of(_DEGREE, _RECOGNISED), _IT_EXPERIENCE),
        any_of(
            leaf(
                "de.blue_card.salary",
                "job_offer_salary",
                Operator.GTE,
                50_700,
                description="Gross salary at least EUR 50,700 a year (2026 general threshold)",
            ),
            all_of(
                any_of(
                    is_true("de.blue_card.shortage", "occupation_on_list", description="A shortage occupation"),
                    leaf(
                        "de.blue_card.new_entrant",
                        "years_since_graduation",
                        Operator.LTE,
                        3,
                        description="Degree completed within the last 3 years",
                    ),
                    _IT_EXPERIENCE,
                ),
                leaf(
                    "de.blue_card.reduced_salary",
                    "job_offer_salary",
                    Operator.GTE,
                    Decimal("45934.20"),
                    description="Gross salary at least EUR 45,934.20 a year (2026 reduced threshold)",
                ),
            ),
        ),
    ),
    sources=(
        Source(f"{_MIIG}/eu-blue-card", "EU Blue Card (Make it in Germany)"),
        Source(f"{_LAW}/__18g.html", "Residence Act §18g"),
    ),
    as_of=date(2026, 1, 1),
    processing=ProcessingTime(14, 90, "Employer fast-track procedure (§81a) takes weeks"),
    fees=(_VISA_FEE,),
    documents=(
        docs.PASSPORT,
        Document("employment_contract", "Employment contract or binding offer", "Salary, duration and duties."),
        Document("degree_recognition", "Degree and recognition", "Degree with anabin/ZAB comparability proof."),
        Document("professional_licence", "Professional licence", "Only for regulated professions (e.g. doctors)."),
        docs.HEALTH_INSURANCE,
        docs.CV,
        *docs.FAMILY,
    ),
    steps=_mission_steps(
        (
            ApplicationStep("job_offer", "Secure the job offer", "Contract of 6+ months.", 14, 60, 180),
            ApplicationStep("recognition", "Confirm degree comparability", "anabin or ZAB statement.", 7, 30, 120),
        )
    ),
    verification_note="2026 thresholds confirmed by one secondary source and the 2026 contribution ceiling "
    "(⚠ in the reference); residence-permit fee not listed.",
)

SKILLED_WORKER_VOCATIONAL = Program(
    slug="de-skilled-worker-vocational-18a",
    country="DE",
    name="Skilled worker with vocational training (§18a Residence Act)",
    category=Category.SKILLED_WORK,
    summary="Residence for qualified employment with a vocational qualification recognised as equivalent in "
    "Germany and a job offer; needs Federal Employment Agency approval. First-time applicants over 45 must "
    "earn 55% of the pension contribution ceiling or show adequate pension provision (not modelled).",
    eligibility=all_of(_JOB_OFFER, _RECOGNISED),
    sources=(Source(f"{_LAW}/__18a.html", "Residence Act §18a"),),
    as_of=date(2024, 3, 1),
    fees=(_VISA_FEE,),
    documents=(
        docs.PASSPORT,
        Document("recognition_notice", "Recognition notice", "From the competent German recognition body."),
        Document("employment_contract", "Employment contract or job offer", "With the job description."),
        Document(
            "employer_declaration",
            "Declaration of employment",
            "The employer's form for the Federal Employment Agency.",
            DocumentWho.EMPLOYER,
        ),
        docs.HEALTH_INSURANCE,
        *docs.FAMILY,
    ),
    steps=_mission_steps(
        (
            ApplicationStep("recognition", "Get the qualification recognised", "Recognition procedure.", 30, 90, 240),
            ApplicationStep("job_offer", "Secure the job offer", "Qualified employment.", 14, 60, 180),
        )
    ),
    verification_note="Not in the reference: rule restates §18a; no salary floor below 45 is modelled.",
)

SKILLED_WORKER_ACADEMIC = Program(
    slug="de-skilled-worker-academic-18b",
    country="DE",
    name="Skilled worker with academic training (§18b Residence Act)",
    category=Category.SKILLED_WORK,
    summary="Residence for qualified employment with a German or recognised/comparable foreign degree and a "
    "job offer, when the EU Blue Card salary is not met; needs Federal Employment Agency approval. The "
    "over-45 salary or pension rule applies as for §18a (not modelled).",
    eligibility=all_of(_JOB_OFFER, _DEGREE, _RECOGNISED),
    sources=(Source(f"{_LAW}/__18b.html", "Residence Act §18b"),),
    as_of=date(2024, 3, 1),
    fees=(_VISA_FEE,),
    documents=(
        docs.PASSPORT,
        Document("degree_recognition", "Degree and recognition", "Degree with anabin/ZAB comparability proof."),
        Document("employment_contract", "Employment contract or job offer", "With the job description."),
        docs.HEALTH_INSURANCE,
        *docs.FAMILY,
    ),
    steps=_mission_steps(
        (
            ApplicationStep("recognition", "Confirm degree comparability", "anabin or ZAB statement.", 7, 30, 120),
            ApplicationStep("job_offer", "Secure the job offer", "Qualified employment.", 14, 60, 180),
        )
    ),
    verification_note="Not in the reference: rule restates §18b.",
)

STUDENT = Program(
    slug="de-student-visa",
    country="DE",
    name="Student visa (§16b Residence Act)",
    category=Category.STUDY,
    summary="Study at a German university: admission and secured living costs (blocked account of EUR "
    "11,904 a year from 2024-09-01, or scholarship/declaration of commitment). Students may work 140 full "
    "days a year.",
    eligibility=all_of(
        is_true("de.student.admission", "study_admission", description="Admission to a German university"),
        leaf(
            "de.student.funds",
            "funds_available",
            Operator.GTE,
            11_904,
            description="Secured living costs of at least EUR 11,904 for the first year (blocked account or "
            "equivalent)",
        ),
    ),
    sources=(Source(f"{_LAW}/__16b.html", "Residence Act §16b"),),
    as_of=date(2024, 9, 1),
    fees=(_VISA_FEE,),
    documents=(
        docs.PASSPORT,
        Document("admission_letter", "Admission letter", "From the German university."),
        Document("blocked_account", "Blocked account confirmation", "Or scholarship / declaration of commitment."),
        docs.HEALTH_INSURANCE,
        Document("school_certificates", "School and university certificates", "Proving access to the course."),
    ),
    steps=_mission_steps(
        (
            ApplicationStep("admission", "Get admitted", "Apply via uni-assist or the university.", 30, 90, 180),
            ApplicationStep("blocked_account", "Open a blocked account", "Deposit the yearly amount.", 7, 14, 30),
        )
    ),
    verification_note="Not in the reference: blocked-account amount from secondary pages; verify the "
    "figure for the intake year.",
)

PROGRAMS = (OPPORTUNITY_CARD, EU_BLUE_CARD, SKILLED_WORKER_VOCATIONAL, SKILLED_WORKER_ACADEMIC, STUDENT)
