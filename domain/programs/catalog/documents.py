"""Documents most programs ask for, so country modules state only what differs."""

from __future__ import annotations

from domain.programs.model import Document, DocumentWho
from domain.programs.rules import Operator, Rule, is_true, leaf

HAS_PARTNER = is_true("doc.has_partner", "has_partner", description="Has a spouse or partner")
PARTNER_INCLUDED = is_true(
    "doc.partner_accompanying", "partner_accompanying", description="The partner is included in the application"
)
HAS_CHILDREN = leaf(
    "doc.dependent_children",
    "dependent_children",
    Operator.GT,
    0,
    description="Dependent children are included in the application",
)


def resided(threshold: str) -> Rule:
    """Condition of per-country documents; `threshold` words the program's own residence rule."""
    return leaf(
        "doc.countries_resided", "countries_resided_6m_since_18", Operator.GTE, 1, description=f"Lived {threshold}"
    )


def lived_abroad(threshold: str) -> Document:
    """Police certificates: one per country lived in, by the program's own residence rule."""
    return Document(
        "police_certificates",
        "Police certificates",
        f"A police (criminal record) certificate from each country where you lived {threshold}.",
        DocumentWho.EACH_COUNTRY_LIVED_IN,
        resided(threshold),
    )


PASSPORT = Document("passport", "Passport", "A valid passport, with copies of every page with stamps or visas.")
PHOTOS = Document("photos", "Photos", "Recent passport-style photos to the destination's specification.")
CV = Document("cv", "CV", "A CV listing education and every job with dates, hours and duties.")
DEGREES = Document(
    "degrees", "Degree certificates and transcripts", "Certificates and transcripts for each qualification."
)
REFERENCES = Document(
    "employment_references",
    "Employment reference letters",
    "Letters from each employer on letterhead: dates, hours per week, salary, duties, signed by a manager.",
)
MEDICAL = Document("medical_exam", "Medical examination", "An immigration medical exam by an approved panel doctor.")
HEALTH_INSURANCE = Document(
    "health_insurance", "Health insurance", "Health insurance covering the whole stay, as the destination specifies."
)
ACCOMMODATION = Document("accommodation", "Proof of accommodation", "A lease, property deed or host's invitation.")
PARTNER_PASSPORT = Document(
    "partner_passport",
    "Partner's passport",
    "The partner's valid passport and photos.",
    DocumentWho.PARTNER,
    PARTNER_INCLUDED,
)
RELATIONSHIP_EVIDENCE = Document(
    "relationship_evidence",
    "Proof of relationship",
    "Marriage or civil-partnership certificate, or evidence of at least 12 months' cohabitation.",
    DocumentWho.PARTNER,
    HAS_PARTNER,
)
CHILDREN_BIRTH_CERTIFICATES = Document(
    "children_birth_certificates",
    "Children's birth certificates",
    "Full birth certificates naming both parents, and custody consent where a parent is not coming.",
    DocumentWho.APPLICANT,
    HAS_CHILDREN,
)
FAMILY = (PARTNER_PASSPORT, RELATIONSHIP_EVIDENCE, CHILDREN_BIRTH_CERTIFICATES)
