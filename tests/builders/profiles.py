"""Profiles for tests: `make_profile(**overrides)` starts from a fully answered person, so `missing` is empty
unless a test leaves a fact out on purpose."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from domain.language.model import CefrLevel, Language, LanguageTest, LanguageTestResult
from domain.points.australia import likely_recognition
from domain.points.periods import add_months, add_years
from domain.profile import (
    AustraliaAnswers,
    CanadaAnswers,
    Credential,
    EducationLevel,
    GermanRecognition,
    GermanyAnswers,
    JobOffer,
    MaritalStatus,
    Money,
    NewZealandAnswers,
    Partner,
    Profile,
    UkAnswers,
    WorkEntry,
)

ON = date(2026, 6, 1)
"""The day every test scores on unless it says otherwise."""

RECENT = date(2026, 1, 10)
"""A test date well inside every validity window and after every table change."""


def years_before(years: float, day: date = ON) -> date:
    return add_months(day, -round(years * 12))


def ielts(
    listening: float,
    reading: float,
    writing: float,
    speaking: float,
    *,
    test_date: date | None = RECENT,
    academic: bool = False,
) -> LanguageTestResult:
    test = LanguageTest.IELTS_ACADEMIC if academic else LanguageTest.IELTS_GT
    return LanguageTestResult(test, listening, reading, writing, speaking, test_date=test_date)


def scores(
    test: LanguageTest,
    listening: float,
    reading: float,
    writing: float,
    speaking: float,
    *,
    test_date: date | None = RECENT,
) -> LanguageTestResult:
    return LanguageTestResult(test, listening, reading, writing, speaking, test_date=test_date)


def celpip(*levels: float, test_date: date | None = RECENT) -> LanguageTestResult:
    """CELPIP-General with one level for all four abilities, or four levels (L, R, W, S)."""
    l_, r_, w_, s_ = levels * 4 if len(levels) == 1 else levels
    return LanguageTestResult(LanguageTest.CELPIP_G, l_, r_, w_, s_, test_date=test_date)


def clb(*levels: int, test_date: date | None = RECENT) -> LanguageTestResult:
    """An English result whose CLB per ability is exactly `levels` (CELPIP levels equal CLB 4–10)."""
    return celpip(*levels, test_date=test_date)


TCF_FOR_NCLC = {
    10: (549, 549, 16, 16),
    9: (523, 524, 14, 14),
    8: (503, 499, 12, 12),
    7: (458, 453, 10, 10),
    6: (398, 406, 7, 7),
    5: (369, 375, 6, 6),
    4: (331, 342, 4, 4),
    3: (100, 100, 0, 0),
}


def nclc(*levels: int, test_date: date | None = RECENT) -> LanguageTestResult:
    """A TCF Canada result whose NCLC per ability is exactly `levels` (one for all four, or L, R, W, S)."""
    l_, r_, w_, s_ = levels * 4 if len(levels) == 1 else levels
    return LanguageTestResult(
        LanguageTest.TCF_CANADA,
        TCF_FOR_NCLC[l_][0],
        TCF_FOR_NCLC[r_][1],
        TCF_FOR_NCLC[w_][2],
        TCF_FOR_NCLC[s_][3],
        test_date=test_date,
    )


def cefr(level: CefrLevel, language: Language, test: LanguageTest = LanguageTest.OTHER_CEFR) -> LanguageTestResult:
    return LanguageTestResult(test, cefr_level=level, language=language, test_date=RECENT)


def credential(level: EducationLevel = EducationLevel.BACHELOR, country: str = "IN", **facts: Any) -> Credential:
    answered: dict[str, Any] = {
        "field_stem": True,
        "eca": True,
        "duration_years": _duration(level),
        "full_time": True,
        "by_research": False,
        "vocational": False,
        "state_recognised": True,
        "au_recognition": likely_recognition(Credential(level)),
        "au_regional": False,
        "nzqf_level": None,
        "nzqf_type_match": None,
    }
    return Credential(level, country, **{**answered, **facts})


def _duration(level: EducationLevel) -> float:
    return {
        EducationLevel.ONE_YEAR: 1,
        EducationLevel.TWO_YEAR: 2,
        EducationLevel.MASTER: 2,
        EducationLevel.DOCTORAL: 4,
    }.get(level, 4 if level >= EducationLevel.BACHELOR else 0)


def job(
    country: str = "IN", years: float = 3, *, ending: date | None = ON, hours: float = 40, **facts: Any
) -> WorkEntry:
    """A fully answered skilled, paid job of `years` years ending on `ending` (None: still going on)."""
    end = ending or ON
    answered: dict[str, Any] = {
        "occupation_code": "21231",
        "teer": 1,
        "anzsco_skill_level": 1,
        "paid": True,
        "self_employed": False,
        "while_full_time_student": False,
        "authorised": True,
        "relevant": True,
        "paid_at_required_rate": True,
    }
    return WorkEntry(country, years_before(years, end), ending, hours, **{**answered, **facts})


def offer(country: str, **facts: Any) -> JobOffer:
    return JobOffer(country, **facts)


def make_partner(**overrides: Any) -> Partner:
    defaults: dict[str, Any] = {
        "accompanying": True,
        "citizen_or_pr_of": frozenset(),
        "citizenships": frozenset({"IN"}),
        "age": 30,
        "education": (),
        "language_tests": (),
        "work_history": (),
        "au_skills_assessment": False,
    }
    return Partner(**{**defaults, **overrides})


def make_profile(**overrides: Any) -> Profile:
    """Single, 29, foreign bachelor's with an ECA, IELTS GT at CLB 9, 3 years of skilled work abroad;
    every other fact answered as "no"."""
    defaults: dict[str, Any] = {
        "as_of": ON,
        "age": 29,
        "citizenships": frozenset({"IN"}),
        "marital_status": MaritalStatus.SINGLE,
        "partner": None,
        "dependent_children": 0,
        "education": (credential(),),
        "language_tests": (ielts(8, 7, 7, 7),),
        "work_history": (job(),),
        "job_offers": (),
        "nominations": (),
        "relatives": (),
        "funds": Money(30_000, "CAD"),
        "canada": CanadaAnswers(authorised_to_work=False, certificate_of_qualification=False),
        "australia": AustraliaAnswers(skills_assessment=True, professional_year=False, naati_ccl=False),
        "germany": GermanyAnswers(
            recognition=GermanRecognition.NONE,
            shortage_occupation_qualification=False,
            chamber_abroad_qualification=False,
            stays=(),
            partner_qualifies_and_applies=False,
            living_costs_secured_otherwise=False,
            english_native=False,
        ),
        "new_zealand": NewZealandAnswers(occupational_registration=False),
        "uk": UkAnswers(
            phd_relevant_to_job=False,
            new_entrant=False,
            on_route_before_2025_07_22=False,
            last_grant_required_b1=False,
            degree_taught_in_english=False,
            majority_english_speaking_nationality=False,
        ),
    }
    return Profile(**{**defaults, **overrides})


def married(profile: Profile, **partner: Any) -> Profile:
    return replace(profile, marital_status=MaritalStatus.MARRIED, partner=make_partner(**partner))


__all__ = [
    "ON",
    "RECENT",
    "add_years",
    "cefr",
    "celpip",
    "clb",
    "credential",
    "ielts",
    "job",
    "make_partner",
    "make_profile",
    "married",
    "nclc",
    "offer",
    "scores",
    "years_before",
]
