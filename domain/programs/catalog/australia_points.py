"""Australia's points-tested visas 189, 190 and 491 (Schedule 6D table since 2019-11-16:
https://immi.homeaffairs.gov.au/help-support/tools/points-calculator).

Pass mark 65, under 45 at invitation, Competent English, positive skills assessment, listed occupation.
Visa charges are left out: only an approximate figure (about AUD 4,900) was found for these subclasses.
"""

from __future__ import annotations

from datetime import date

from domain.programs.catalog import documents as docs
from domain.programs.model import (
    ApplicationStep,
    Category,
    Document,
    DocumentWho,
    PointsSystem,
    Program,
    Source,
)
from domain.programs.rules import Operator, Rule, all_of, any_of, is_true, leaf

_LISTING = "https://immi.homeaffairs.gov.au/visas/getting-a-visa/visa-listing"
POINTS_CALCULATOR = Source(
    "https://immi.homeaffairs.gov.au/help-support/tools/points-calculator", "Points calculator (Home Affairs)"
)
DEEMED_COMPETENT = ("GB", "US", "CA", "NZ", "IE")


def competent_english(prefix: str) -> Rule:
    return any_of(
        leaf(
            f"{prefix}.english",
            "english_ielts_min_band",
            Operator.GTE,
            6,
            description="Competent English: IELTS 6 in each component, or the equivalent on another accepted "
            "test (new PTE/TOEFL scores for tests from 2025-08-07)",
        ),
        leaf(
            f"{prefix}.english_passport",
            "citizenship",
            Operator.IN,
            DEEMED_COMPETENT,
            description="A UK, US, Canadian, New Zealand or Irish passport (deemed Competent English)",
        ),
    )


def _rule(subclass: str, system: PointsSystem, occupation_list: str) -> Rule:
    prefix = f"au.{subclass}"
    return all_of(
        leaf(f"{prefix}.age", "age", Operator.LT, 45, description="Under 45 when invited"),
        competent_english(prefix),
        is_true(
            f"{prefix}.skills_assessment",
            "skills_assessment_positive",
            description="A positive skills assessment for the nominated occupation",
        ),
        is_true(f"{prefix}.occupation", "occupation_on_list", description=occupation_list),
        leaf(
            f"{prefix}.points",
            "points_score",
            Operator.GTE,
            65,
            description=f"At least 65 points on the {system.value} points test",
        ),
    )


_DOCUMENTS = (
    Document("skills_assessment", "Skills assessment", "From the assessing authority for the occupation."),
    Document("english_results", "English test results", "IELTS, PTE Academic, TOEFL iBT, CELPIP or similar."),
    docs.PASSPORT,
    docs.DEGREES,
    docs.REFERENCES,
    docs.lived_abroad("12 months or more in total in the last 10 years since age 16"),
    docs.MEDICAL,
    *docs.FAMILY,
    Document(
        "partner_skills",
        "Partner's skills or English evidence",
        "Only to claim partner points: the partner's skills assessment and English results.",
        DocumentWho.PARTNER,
        docs.PARTNER_INCLUDED,
    ),
)
_NOMINATION_DOC = Document(
    "nomination_approval", "Nomination or sponsorship approval", "The state's nomination (or relative's sponsorship)."
)


def _steps(nominated: bool) -> tuple[ApplicationStep, ...]:
    nomination = (
        (
            ApplicationStep(
                "nomination",
                "Get state or territory nomination",
                "Apply to the state after lodging the EOI.",
                30,
                90,
                365,
                ("eoi",),
            ),
        )
        if nominated
        else ()
    )
    waits_for = "nomination" if nominated else "eoi"
    return (
        ApplicationStep(
            "english_test", "Take an English test", "Aim for Proficient or Superior for points.", 14, 30, 90
        ),
        ApplicationStep(
            "skills_assessment",
            "Get a skills assessment",
            "From the occupation's assessing authority.",
            30,
            90,
            180,
        ),
        ApplicationStep(
            "eoi",
            "Lodge an Expression of Interest in SkillSelect",
            "Valid for 2 years.",
            1,
            3,
            14,
            ("english_test", "skills_assessment"),
        ),
        *nomination,
        ApplicationStep(
            "invitation",
            "Receive an invitation to apply",
            "Invite scores are usually well above 65.",
            14,
            180,
            730,
            (waits_for,),
        ),
        ApplicationStep(
            "lodge", "Lodge the visa application", "Within 60 days of the invitation.", 1, 30, 60, ("invitation",)
        ),
        ApplicationStep(
            "health_character",
            "Complete health exams and police certificates",
            "When requested.",
            14,
            30,
            90,
            ("lodge",),
        ),
        ApplicationStep("decision", "Wait for the decision", "Planning figure.", 30, 180, 540, ("health_character",)),
    )


_AS_OF = date(2019, 11, 16)

SUBCLASS_189 = Program(
    slug="au-skilled-independent-189",
    country="AU",
    name="Skilled Independent visa (subclass 189)",
    category=Category.POINTS_BASED_SKILLED,
    summary="Permanent residence without a sponsor for invited points-tested skilled workers under 45 with "
    "Competent English, a positive skills assessment and an occupation on the MLTSSL; pass mark 65.",
    eligibility=_rule(
        "189", PointsSystem.AU_SKILLED_189, "Occupation on the Medium and Long-term Strategic Skills List"
    ),
    sources=(Source(f"{_LISTING}/skilled-independent-189", "Skilled Independent visa (189)"), POINTS_CALCULATOR),
    as_of=_AS_OF,
    points_system=PointsSystem.AU_SKILLED_189,
    pass_mark=65,
    documents=_DOCUMENTS,
    steps=_steps(nominated=False),
)

SUBCLASS_190 = Program(
    slug="au-skilled-nominated-190",
    country="AU",
    name="Skilled Nominated visa (subclass 190)",
    category=Category.POINTS_BASED_SKILLED,
    summary="Permanent residence for points-tested skilled workers nominated by a state or territory "
    "(+5 points); same core requirements as the 189, plus the state's own criteria.",
    eligibility=_rule("190", PointsSystem.AU_SKILLED_190, "Occupation on the list the nominating state uses"),
    sources=(Source(f"{_LISTING}/skilled-nominated-190", "Skilled Nominated visa (190)"), POINTS_CALCULATOR),
    as_of=_AS_OF,
    points_system=PointsSystem.AU_SKILLED_190,
    pass_mark=65,
    documents=(*_DOCUMENTS, _NOMINATION_DOC),
    steps=_steps(nominated=True),
)

SUBCLASS_491 = Program(
    slug="au-skilled-work-regional-491",
    country="AU",
    name="Skilled Work Regional (Provisional) visa (subclass 491)",
    category=Category.POINTS_BASED_SKILLED,
    summary="A 5-year provisional visa to live and work in regional Australia, nominated by a state or "
    "sponsored by an eligible relative (+15 points); a path to permanent residence (191) after 3 years.",
    eligibility=_rule(
        "491",
        PointsSystem.AU_SKILLED_491,
        "Occupation on the list the nominating state or the relative sponsorship route allows",
    ),
    sources=(
        Source(f"{_LISTING}/skilled-work-regional-provisional-491", "Skilled Work Regional visa (491)"),
        POINTS_CALCULATOR,
    ),
    as_of=_AS_OF,
    points_system=PointsSystem.AU_SKILLED_491,
    pass_mark=65,
    documents=(*_DOCUMENTS, _NOMINATION_DOC),
    steps=_steps(nominated=True),
)

PROGRAMS = (SUBCLASS_189, SUBCLASS_190, SUBCLASS_491)
