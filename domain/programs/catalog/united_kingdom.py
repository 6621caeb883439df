"""United Kingdom: Skilled Worker and Global Talent, Student and Family (partner).

Skilled Worker: https://www.gov.uk/skilled-worker-visa; Global Talent: https://www.gov.uk/global-talent. Student and
Family: maintenance (£1,483/£1,136 a month from 2025-01-02) and the
£29,000 partner income (from 2024-04-11) are planning figures corroborated by several secondary pages;
financial rules with combinable sources or exemptions are described, not encoded. The majority
English-speaking nationality list is from prior knowledge of gov.uk; verify before relying on it.
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
from domain.programs.rules import Operator, Rule, all_of, any_of, is_true, leaf

COUNTRY = Country("GB", "United Kingdom", "GBP", "Europe", "🇬🇧")

MAJORITY_ENGLISH = (
    "AG",
    "AU",
    "BS",
    "BB",
    "BZ",
    "CA",
    "DM",
    "GD",
    "GY",
    "JM",
    "MT",
    "NZ",
    "KN",
    "LC",
    "VC",
    "TT",
    "US",
)
_IHS = Fee("Immigration Health Surcharge, per year of leave", Decimal(1_035), "GBP", FeePer.ADULT)
_PROCESSING = ProcessingTime(21, 56, "About 3 weeks outside the UK, 8 weeks inside")


def _english_exemptions(prefix: str) -> tuple[Rule, ...]:
    return (
        leaf(
            f"{prefix}.english_nationality",
            "citizenship",
            Operator.IN,
            MAJORITY_ENGLISH,
            description="National of a majority English-speaking country",
        ),
        is_true(
            f"{prefix}.english_degree",
            "degree_taught_in_english",
            description="A degree taught in English (confirmed by Ecctis)",
        ),
    )


def _visa_steps(first: tuple[ApplicationStep, ...]) -> tuple[ApplicationStep, ...]:
    ready = tuple(step.key for step in first)
    return (
        *first,
        ApplicationStep("apply", "Apply online and pay", "Fee and Immigration Health Surcharge.", 1, 3, 14, ready),
        ApplicationStep(
            "biometrics",
            "Prove identity",
            "ID check app or a visa application centre appointment.",
            1,
            7,
            30,
            ("apply",),
        ),
        ApplicationStep(
            "decision", "Wait for the decision", "About 3 weeks outside the UK.", 7, 21, 56, ("biometrics",)
        ),
    )


SKILLED_WORKER = Program(
    slug="gb-skilled-worker",
    country="GB",
    name="Skilled Worker visa",
    category=Category.EMPLOYER_SPONSORED,
    summary="Work for a licensed sponsor in a degree-level job (RQF 3–5 only on the Immigration Salary or "
    "Temporary Shortage List, or for people on the route before 2025-07-22), English B2, and 70 points: "
    "the salary must meet an option's floor (standard £41,700) and the going rate.",
    eligibility=all_of(
        is_true("gb.sw.job_offer", "job_offer", description="A job offer with a certificate of sponsorship"),
        is_true("gb.sw.sponsor", "sponsor_licensed", description="The employer is a Home Office–licensed sponsor"),
        any_of(
            is_true("gb.sw.skill_level", "job_offer_degree_level", description="Job at RQF 6 (degree level)"),
            is_true(
                "gb.sw.shortage_list",
                "occupation_on_list",
                description="Job at RQF 3–5 on the Immigration Salary List or Temporary Shortage List",
            ),
        ),
        any_of(
            leaf(
                "gb.sw.english",
                "english_cefr_rank",
                Operator.GTE,
                4,
                description="English at B2 (first Skilled Worker application from 2026-01-08)",
            ),
            *_english_exemptions("gb.sw"),
        ),
        leaf(
            "gb.sw.points",
            "points_score",
            Operator.GTE,
            70,
            description="70 points: 50 mandatory plus 20 from salary (e.g. £41,700 and the going rate)",
        ),
    ),
    sources=(Source("https://www.gov.uk/skilled-worker-visa", "Skilled Worker visa (GOV.UK)"),),
    as_of=date(2026, 1, 8),
    points_system=PointsSystem.UK_SKILLED_WORKER,
    pass_mark=70,
    processing=_PROCESSING,
    fees=(
        Fee("Visa fee outside the UK, up to 3 years", Decimal(769), "GBP", FeePer.APPLICANT),
        Fee("Visa fee outside the UK, more than 3 years", Decimal(1_519), "GBP", FeePer.APPLICANT),
        _IHS,
    ),
    documents=(
        Document(
            "certificate_of_sponsorship",
            "Certificate of sponsorship",
            "Reference number assigned by the sponsor.",
            DocumentWho.EMPLOYER,
        ),
        docs.PASSPORT,
        Document("english_evidence", "English evidence", "SELT at B2, English-taught degree, or nationality."),
        Document("tb_certificate", "TB test certificate", "Only if you live in a country on the TB-test list."),
        Document(
            "criminal_record_certificate",
            "Criminal record certificate",
            "Only for some health, education and social-care jobs.",
            DocumentWho.EACH_COUNTRY_LIVED_IN,
            docs.resided("in the last 10 years since age 18 (12 months or more)"),
        ),
        Document("maintenance", "Proof of £1,270 in savings", "Unless the sponsor certifies maintenance."),
        *docs.FAMILY,
    ),
    steps=_visa_steps(
        (
            ApplicationStep(
                "job_offer", "Get a job offer from a licensed sponsor", "Eligible occupation.", 14, 60, 180
            ),
            ApplicationStep(
                "cos",
                "Sponsor assigns the certificate of sponsorship",
                "Salary and SOC code.",
                1,
                7,
                30,
                ("job_offer",),
            ),
            ApplicationStep("english_test", "Prove English at B2", "Book a SELT unless exempt.", 14, 30, 60),
        )
    ),
    verification_note="£17.13/hour floor, ISL floors for RQF 3–5, ISC and CoS amounts, and settlement reform "
    "are ⚠ in the reference and not modelled.",
)

GLOBAL_TALENT = Program(
    slug="gb-global-talent",
    country="GB",
    name="Global Talent visa",
    category=Category.TALENT,
    summary="For leaders or potential leaders in academia and research, arts and culture, or digital "
    "technology, endorsed by an approved body (or holding an eligible prize). No job offer, salary or "
    "English requirement; settlement after 3 or 5 years.",
    eligibility=any_of(
        is_true("gb.gt.endorsement", "endorsement", description="Endorsement by an approved endorsing body"),
        is_true(
            "gb.gt.prize",
            "major_international_award",
            description="An eligible prize (which replaces endorsement)",
        ),
    ),
    sources=(Source("https://www.gov.uk/global-talent", "Global Talent visa (GOV.UK)"),),
    as_of=date(2025, 4, 9),
    processing=ProcessingTime(42, 112, "Endorsement about 3–8 weeks by body, then the visa about 3 weeks"),
    fees=(_IHS,),
    documents=(
        Document("endorsement_letter", "Endorsement letter or prize evidence", "From the endorsing body."),
        docs.PASSPORT,
        Document("portfolio", "Evidence portfolio", "Recommendation letters, CV, evidence of recognition."),
        Document("tb_certificate", "TB test certificate", "Only if you live in a country on the TB-test list."),
        *docs.FAMILY,
    ),
    steps=_visa_steps(
        (
            ApplicationStep("portfolio", "Assemble the evidence portfolio", "Letters and evidence.", 30, 60, 120),
            ApplicationStep(
                "endorsement",
                "Apply for endorsement",
                "Home Office then endorsing body.",
                21,
                42,
                56,
                ("portfolio",),
            ),
        )
    ),
    verification_note="Endorsement and visa fees (about £561 + £205) are ⚠ in the reference and not listed.",
)

STUDENT = Program(
    slug="gb-student",
    country="GB",
    name="Student visa",
    category=Category.STUDY,
    summary="Study at a licensed student sponsor with a CAS, English at B2 for degree-level courses (B1 "
    "below), first-year fees plus £1,483 a month in London or £1,136 elsewhere for up to 9 months, held "
    "28 days (not needed after 12 months in the UK). Most students cannot bring dependants.",
    eligibility=all_of(
        is_true(
            "gb.student.cas",
            "study_admission",
            description="A Confirmation of Acceptance for Studies from a licensed student sponsor",
        ),
        leaf("gb.student.age", "age", Operator.GTE, 16, description="Aged 16 or over"),
    ),
    sources=(Source("https://www.gov.uk/student-visa", "Student visa (GOV.UK)"),),
    as_of=date(2025, 1, 2),
    processing=_PROCESSING,
    fees=(Fee("Immigration Health Surcharge (student rate), per year", Decimal(776), "GBP", FeePer.APPLICANT),),
    documents=(
        Document("cas", "Confirmation of Acceptance for Studies", "Reference number from the sponsor."),
        docs.PASSPORT,
        Document("funds", "Proof of money", "Bank statements held 28 days, or an official sponsor letter."),
        Document("english_evidence", "English evidence", "As the sponsor assessed it."),
        Document("atas", "ATAS certificate", "Only for some sensitive postgraduate subjects."),
        Document("tb_certificate", "TB test certificate", "Only if you live in a country on the TB-test list."),
    ),
    steps=_visa_steps(
        (
            ApplicationStep("offer", "Get an unconditional offer", "From a licensed student sponsor.", 14, 60, 180),
            ApplicationStep("cas", "Receive the CAS", "After paying the deposit.", 3, 14, 30, ("offer",)),
            ApplicationStep(
                "funds", "Hold the required funds for 28 days", "Ending within 31 days of applying.", 28, 30, 45
            ),
        )
    ),
    verification_note="Not in the reference: maintenance figures corroborated by several secondary pages; "
    "IHS student rate and visa fee to verify at GOV.UK.",
)

FAMILY_PARTNER = Program(
    slug="gb-family-partner",
    country="GB",
    name="Family visa – partner or spouse",
    category=Category.FAMILY,
    summary="Live with a British, Irish or settled partner. Both 18+, a genuine relationship, English A1 "
    "speaking and listening, adequate accommodation, and £29,000 a year (from 2024-04-11) from income, "
    "or savings above £16,000, or a mix; some benefits exempt the sponsor. Settlement after 5 years.",
    eligibility=all_of(
        is_true("gb.family.partner", "has_partner", description="Married, civil partners, or 2 years living together"),
        is_true(
            "gb.family.sponsor",
            "partner_citizen_or_resident",
            description="The partner is a British or Irish citizen or settled in the UK",
        ),
        leaf("gb.family.age", "age", Operator.GTE, 18, description="Aged 18 or over"),
        any_of(
            leaf(
                "gb.family.english",
                "english_cefr_rank",
                Operator.GTE,
                1,
                description="English at A1 in speaking and listening",
            ),
            leaf("gb.family.english_age", "age", Operator.GTE, 65, description="Aged 65 or over (exempt)"),
            *_english_exemptions("gb.family"),
        ),
    ),
    sources=(Source("https://www.gov.uk/uk-family-visa/partner-spouse", "Family visa: partner or spouse"),),
    as_of=date(2024, 4, 11),
    processing=ProcessingTime(28, 84, "Usually within 12 weeks outside the UK (planning figure)"),
    fees=(_IHS,),
    documents=(
        docs.PASSPORT,
        docs.RELATIONSHIP_EVIDENCE,
        Document(
            "sponsor_status",
            "Partner's proof of status",
            "British or Irish passport, or proof of settled status.",
            DocumentWho.PARTNER,
            docs.HAS_PARTNER,
        ),
        Document(
            "financial_evidence",
            "Financial evidence",
            "Payslips, bank statements and employer letter, or 6 months of savings statements.",
            DocumentWho.PARTNER,
            docs.HAS_PARTNER,
        ),
        Document("english_evidence", "English evidence", "A1 speaking and listening test, unless exempt."),
        Document("accommodation", "Proof of accommodation", "Tenancy or ownership, not overcrowded."),
        Document("tb_certificate", "TB test certificate", "Only if you live in a country on the TB-test list."),
    ),
    steps=_visa_steps(
        (
            ApplicationStep(
                "evidence",
                "Gather relationship and financial evidence",
                "6 months of payslips or savings history.",
                14,
                45,
                180,
            ),
            ApplicationStep("english_test", "Pass the A1 English test", "Unless exempt.", 14, 30, 60),
        )
    ),
    verification_note="Not in the reference: £29,000 threshold and £88,500 savings-only figure corroborated "
    "by several secondary pages; the visa fee is not listed — verify at GOV.UK.",
)

PROGRAMS = (SKILLED_WORKER, GLOBAL_TALENT, STUDENT, FAMILY_PARTNER)
