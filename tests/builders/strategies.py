"""Hypothesis strategies for profiles, and the monotone improvements the property tests apply to them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import strategies as st

from domain.language.model import CefrLevel, Language, LanguageTest, LanguageTestResult
from domain.profile import (
    AuRecognition,
    CanadaAnswers,
    Credential,
    EducationLevel,
    MaritalStatus,
    Nomination,
    NominationKind,
    Profile,
    Relationship,
    Relative,
    WorkEntry,
)
from tests.builders.profiles import ON, RECENT, credential, job, make_partner, make_profile, years_before

COUNTRIES = ("IN", "CA", "AU", "NZ", "DE", "GB")
IELTS_BANDS = [x / 2 for x in range(6, 19)]  # 3.0 … 9.0


def ielts_results() -> st.SearchStrategy[LanguageTestResult]:
    band = st.sampled_from(IELTS_BANDS)
    return st.builds(
        lambda a, b, c, d: LanguageTestResult(LanguageTest.IELTS_GT, a, b, c, d, test_date=RECENT),
        band,
        band,
        band,
        band,
    )


def celpip_results() -> st.SearchStrategy[LanguageTestResult]:
    level = st.integers(0, 12)
    return st.builds(
        lambda a, b, c, d: LanguageTestResult(LanguageTest.CELPIP_G, a, b, c, d, test_date=RECENT),
        level,
        level,
        level,
        level,
    )


def tcf_results() -> st.SearchStrategy[LanguageTestResult]:
    big, small = st.integers(100, 699), st.integers(0, 20)
    return st.builds(
        lambda a, b, c, d: LanguageTestResult(LanguageTest.TCF_CANADA, a, b, c, d, test_date=RECENT),
        big,
        big,
        small,
        small,
    )


def cefr_results() -> st.SearchStrategy[LanguageTestResult]:
    return st.builds(
        lambda level, language: LanguageTestResult(
            LanguageTest.OTHER_CEFR, cefr_level=level, language=language, test_date=RECENT
        ),
        st.sampled_from(list(CefrLevel)),
        st.sampled_from([Language.ENGLISH, Language.GERMAN]),
    )


def language_tests() -> st.SearchStrategy[tuple[LanguageTestResult, ...]]:
    return st.lists(st.one_of(ielts_results(), celpip_results(), tcf_results(), cefr_results()), max_size=3).map(tuple)


def credentials() -> st.SearchStrategy[Credential]:
    return st.builds(
        lambda level, country, stem, eca, research, regional, recognition: credential(
            level,
            country,
            field_stem=stem,
            eca=eca,
            by_research=research,
            au_regional=regional,
            vocational=level in (EducationLevel.ONE_YEAR, EducationLevel.TWO_YEAR),
            **({} if recognition == "level" else {"au_recognition": recognition}),
        ),
        st.sampled_from(list(EducationLevel)),
        st.sampled_from(COUNTRIES),
        st.booleans(),
        st.sampled_from([True, False, None]),
        st.booleans(),
        st.booleans(),
        st.sampled_from(["level", None, *AuRecognition]),
    )


def work_entries() -> st.SearchStrategy[WorkEntry]:
    return st.builds(
        lambda country, years, ended_ago, hours, teer, self_employed: job(
            country,
            years,
            ending=years_before(ended_ago) if ended_ago else None,
            hours=hours,
            teer=teer,
            self_employed=self_employed,
        ),
        st.sampled_from(COUNTRIES),
        st.sampled_from([0.5, 1, 1.5, 2, 3, 4, 5, 6, 8]),
        st.sampled_from([0, 0, 1, 3]),
        st.sampled_from([10, 20, 30, 40]),
        st.integers(0, 5),
        st.booleans(),
    )


NOMINATIONS = (
    Nomination("CA", NominationKind.PROVINCIAL_EXPRESS_ENTRY),
    Nomination("AU", NominationKind.STATE_OR_TERRITORY, "190"),
    Nomination("AU", NominationKind.STATE_OR_TERRITORY, "491"),
    Nomination("AU", NominationKind.RELATIVE_SPONSORSHIP),
)
SIBLING = Relative(Relationship.SIBLING, "CA", citizen_or_pr=True, adult=True)


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    married = draw(st.booleans())
    partner = (
        make_partner(
            accompanying=draw(st.booleans()),
            education=tuple(draw(st.lists(credentials(), max_size=1))),
            language_tests=draw(language_tests()),
            work_history=tuple(draw(st.lists(work_entries(), max_size=1))),
            au_skills_assessment=draw(st.booleans()),
        )
        if married
        else None
    )
    return make_profile(
        age=draw(st.integers(17, 58)),
        marital_status=MaritalStatus.MARRIED if married else MaritalStatus.SINGLE,
        partner=partner,
        education=tuple(draw(st.lists(credentials(), max_size=2))),
        language_tests=draw(language_tests()),
        work_history=tuple(draw(st.lists(work_entries(), max_size=3))),
        nominations=tuple(draw(st.lists(st.sampled_from(NOMINATIONS), max_size=2, unique=True))),
        relatives=(SIBLING,) if draw(st.booleans()) else (),
        canada=CanadaAnswers(
            first_official_language=draw(st.sampled_from([None, Language.ENGLISH, Language.FRENCH])),
            authorised_to_work=False,
            certificate_of_qualification=False,
        ),
    )


# --- monotone improvements ---------------------------------------------------------------------------

SCALE_TOP: dict[LanguageTest, float] = {
    LanguageTest.IELTS_GT: 9.0,
    LanguageTest.CELPIP_G: 12,
    LanguageTest.TCF_CANADA: 699,
}
STEP: dict[LanguageTest, float] = {LanguageTest.IELTS_GT: 0.5, LanguageTest.CELPIP_G: 1, LanguageTest.TCF_CANADA: 25}


def improve_language(profile: Profile, data: st.DataObject) -> Profile:
    tests = list(profile.language_tests or ())
    if not tests:
        return replace(profile, language_tests=(data.draw(language_tests().filter(bool))[0],))
    index = data.draw(st.integers(0, len(tests) - 1))
    result = tests[index]
    if result.cefr_level is not None:
        tests[index] = replace(result, cefr_level=CefrLevel(min(result.cefr_level + 1, CefrLevel.C2)))
    else:
        field = data.draw(st.sampled_from(["listening", "reading", "writing", "speaking"]))
        top: float = SCALE_TOP[result.test]
        step: float = STEP[result.test]
        if result.test is LanguageTest.TCF_CANADA and field in ("writing", "speaking"):
            top, step = 20, 1
        value = getattr(result, field)
        tests[index] = replace(result, **{field: min(value + step * data.draw(st.integers(1, 4)), top)})
    return replace(profile, language_tests=tuple(tests))


def improve_education(profile: Profile, data: st.DataObject) -> Profile:
    found = list(profile.education or ())
    if not found or data.draw(st.booleans()):
        return replace(profile, education=(*found, data.draw(credentials())))
    index = data.draw(st.integers(0, len(found) - 1))
    raised = EducationLevel(min(found[index].level + 1, EducationLevel.DOCTORAL))
    found[index] = replace(found[index], level=raised)
    return replace(profile, education=tuple(found))


def improve_work(profile: Profile, data: st.DataObject) -> Profile:
    entries = list(profile.work_history or ())
    if not entries or data.draw(st.booleans()):
        return replace(profile, work_history=(*entries, data.draw(work_entries())))
    index = data.draw(st.integers(0, len(entries) - 1))
    earlier = entries[index].start.replace(year=entries[index].start.year - data.draw(st.integers(1, 3)))
    entries[index] = replace(entries[index], start=min(earlier, entries[index].start))
    return replace(profile, work_history=tuple(entries))


def add_nomination(profile: Profile, data: st.DataObject) -> Profile:
    extra = data.draw(st.sampled_from(NOMINATIONS))
    return replace(profile, nominations=(*(profile.nominations or ()), extra))


def add_study_in_country(profile: Profile, data: st.DataObject) -> Profile:
    level = data.draw(st.sampled_from(list(EducationLevel)))
    country = data.draw(st.sampled_from(["CA", "AU", "NZ"]))
    study = credential(level, country, duration_years=data.draw(st.sampled_from([1, 2, 3, 4])))
    return replace(profile, education=(*(profile.education or ()), study))


def add_sibling(profile: Profile, data: st.DataObject) -> Profile:
    del data
    return replace(profile, relatives=(*(profile.relatives or ()), SIBLING))


IMPROVEMENTS = {
    "language": improve_language,
    "education": improve_education,
    "work_years": improve_work,
    "nomination": add_nomination,
    "study": add_study_in_country,
    "sibling": add_sibling,
}

__all__ = ["IMPROVEMENTS", "ON", "date", "profiles"]
