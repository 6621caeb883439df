"""Answers → the normalised `Profile` the calculators read, plus the `Supplement` of answers it has no place for.

An unanswered question leaves its fact None (unknown). Where a question was skipped because an earlier
answer settles it (no partner, no degree, not on the route), the fact is the answer that settles it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.assessment.questions import ANYWHERE
from domain.assessment.records import NONE
from domain.assessment.snapshot import Supplement
from domain.assessment.spec import JsonValue
from domain.language.model import CefrLevel, Language, LanguageTest, LanguageTestResult
from domain.profile import (
    AuRecognition,
    AustraliaAnswers,
    CanadaAnswers,
    Credential,
    EducationLevel,
    GermanRecognition,
    GermanyAnswers,
    JobOffer,
    Lmia,
    MaritalStatus,
    Money,
    NewZealandAnswers,
    Nomination,
    NominationKind,
    NzQualificationType,
    Partner,
    PayPeriod,
    Profile,
    Relationship,
    Relative,
    Stay,
    StayPurpose,
    UkAnswers,
    WorkEntry,
    partner_comes_along,
)

Values = Mapping[str, JsonValue]

FULL_TIME_HOURS = 30.0

NOMINATIONS: Mapping[str, Nomination] = {
    "ca_provincial_express_entry": Nomination("CA", NominationKind.PROVINCIAL_EXPRESS_ENTRY),
    "ca_provincial_base": Nomination("CA", NominationKind.PROVINCIAL_BASE),
    "au_state_190": Nomination("AU", NominationKind.STATE_OR_TERRITORY, "190"),
    "au_state_491": Nomination("AU", NominationKind.STATE_OR_TERRITORY, "491"),
    "au_relative_491": Nomination("AU", NominationKind.RELATIVE_SPONSORSHIP, "491"),
}


def build_profile(values: Values, on: date) -> Profile:
    marital = _opt(values, "marital_status", MaritalStatus)
    partner = _partner(values) if marital is not None and marital.has_partner else None
    return Profile(
        as_of=on,
        birth_date=_date(values.get("birth_date")),
        citizenships=_countries(values.get("citizenships")),
        marital_status=marital,
        partner=partner,
        dependent_children=_int(values.get("dependent_children")),
        education=_credentials(values.get("education")),
        language_tests=_language_tests(
            values, "language_test", "language_scores", "second_language_test", "second_language_scores"
        ),
        work_history=_work(values.get("work_history")),
        job_offers=_job_offers(values),
        nominations=None if "nominations" not in values else _nominations(values["nominations"]),
        relatives=_relatives(values.get("relatives")),
        funds=_money(values.get("funds")),
        canada=CanadaAnswers(
            first_official_language=_declared_language(values.get("ca_first_official_language")),
            authorised_to_work=_bool(values.get("ca_authorised_to_work")),
            certificate_of_qualification=_bool(values.get("ca_certificate_of_qualification")),
        ),
        australia=AustraliaAnswers(
            skills_assessment=_bool(values.get("au_skills_assessment")),
            professional_year=_bool(values.get("au_professional_year")),
            professional_year_completed_on=_date(values.get("au_professional_year_completed_on")),
            naati_ccl=_bool(values.get("au_naati_ccl")),
        ),
        germany=_germany(values, marital, partner),
        new_zealand=NewZealandAnswers(
            occupational_registration=_bool(values.get("nz_occupational_registration")),
            registration_training_years=_float(values.get("nz_registration_training_years")),
            registered_on=_date(values.get("nz_registered_on")),
        ),
        uk=_uk(values),
    )


def build_supplement(values: Values) -> Supplement:
    destinations = _strs(values.get("destinations"))
    remote = _record(values.get("remote_work"))
    offer = _record(values.get("job_offer"))
    works_remotely = _bool(values.get("works_remotely"))
    return Supplement(
        destinations=() if ANYWHERE in destinations else tuple(destinations),
        works_remotely=works_remotely,
        remote_employer_country=_str(remote.get("employer_country")),
        remote_income_monthly_eur=_float(remote.get("monthly_income_eur"))
        if remote
        else (0.0 if works_remotely is False else None),
        remote_work_months=_float(remote.get("months")),
        passive_income_monthly_eur=_float(values.get("passive_income_monthly_eur")),
        job_offer_country=_str(offer.get("country")),
        job_offer_duration_months=_float(offer.get("duration_months")),
        job_offer_degree_level=_bool(offer.get("degree_level")),
    )


# --- people ---------------------------------------------------------------------------------------------


def _partner(values: Values) -> Partner:
    accompanying = _bool(values.get("partner_accompanying"))
    details = accompanying is True
    return Partner(
        accompanying=accompanying,
        citizen_or_pr_of=_countries(values.get("partner_citizen_or_pr_of")),
        birth_date=_date(values.get("partner_birth_date")) if details else None,
        education=_credentials(values.get("partner_education")) if details else None,
        language_tests=_language_tests(values, "partner_language_test", "partner_language_scores") if details else None,
        work_history=_work(values.get("partner_work_history")) if details else None,
        au_skills_assessment=_bool(values.get("partner_au_skills_assessment")) if details else None,
    )


def _credentials(data: JsonValue) -> tuple[Credential, ...] | None:
    if not isinstance(data, list):
        return None
    return tuple(_credential(_record(item)) for item in data)


NZQF_TYPE_LEVEL: Mapping[NzQualificationType, int] = {
    NzQualificationType.DOCTORAL: 10,
    NzQualificationType.MASTERS: 9,
    NzQualificationType.BACHELOR_HONOURS: 8,
    NzQualificationType.POSTGRADUATE_DIPLOMA: 8,
    NzQualificationType.POSTGRADUATE_CERTIFICATE: 8,
    NzQualificationType.BACHELORS: 7,
}


def _declared_language(data: JsonValue) -> Language | None:
    return Language(data) if data in (Language.ENGLISH.value, Language.FRENCH.value) else None


def _credential(r: Mapping[str, Any]) -> Credential:
    recognition, nz_type = r.get("au_recognition"), r.get("nzqf_type")
    kind = NzQualificationType(nz_type) if isinstance(nz_type, str) else None
    level = _int(r.get("nzqf_level"))
    return Credential(
        level=EducationLevel[str(r["level"]).upper()],
        country=_str(r.get("country")),
        field_stem=_bool(r.get("field_stem")),
        eca=_bool(r.get("eca")),
        duration_years=_float(r.get("duration_years")),
        full_time=_bool(r.get("full_time")),
        by_research=_bool(r.get("by_research")),
        completed_on=_date(r.get("completed_on")),
        vocational=_bool(r.get("vocational")),
        state_recognised=_bool(r.get("state_recognised")),
        au_recognition=AuRecognition(recognition) if isinstance(recognition, str) else None,
        au_regional=_bool(r.get("au_regional")),
        nzqf_level=NZQF_TYPE_LEVEL.get(kind, level) if kind is not None else level,
        nzqf_type_match=None if kind is None else kind is not NzQualificationType.LEVEL_ONLY,
        nzqf_type=kind,
    )


def _language_tests(values: Values, *questions: str) -> tuple[LanguageTestResult, ...] | None:
    """(test, scores) question pairs; a test answered "none" ends the list, an unanswered one leaves it unknown."""
    results: list[LanguageTestResult] = []
    for test_question, scores_question in zip(questions[::2], questions[1::2], strict=True):
        chosen = values.get(test_question)
        if chosen is None:
            return tuple(results) if results else None
        if chosen == NONE:
            break
        scores = values.get(scores_question)
        if not isinstance(scores, dict):
            return tuple(results) if results else None
        results.append(_language_result(LanguageTest(str(chosen)), scores))
    return tuple(results)


def _language_result(test: LanguageTest, r: Mapping[str, Any]) -> LanguageTestResult:
    level = r.get("cefr_level")
    language = r.get("language")
    return LanguageTestResult(
        test=test,
        listening=_float(r.get("listening")),
        reading=_float(r.get("reading")),
        writing=_float(r.get("writing")),
        speaking=_float(r.get("speaking")),
        test_date=_date(r.get("test_date")),
        cefr_level=CefrLevel[level] if isinstance(level, str) else None,
        language=Language(language) if isinstance(language, str) else None,
        overall=_float(r.get("overall")),
    )


def _work(data: JsonValue) -> tuple[WorkEntry, ...] | None:
    if not isinstance(data, list):
        return None
    return tuple(_work_entry(_record(item)) for item in data)


def _work_entry(r: Mapping[str, Any]) -> WorkEntry:
    start = _date(r.get("start"))
    assert start is not None  # required by the question
    return WorkEntry(
        country=str(r["country"]),
        start=start,
        end=_date(r.get("end")),
        hours_per_week=_float(r.get("hours_per_week")),
        occupation_code=_str(r.get("occupation_code")),
        teer=_int(r.get("teer")),
        anzsco_skill_level=_int(r.get("anzsco_skill_level")),
        paid=_bool(r.get("paid")),
        self_employed=_bool(r.get("self_employed")),
        while_full_time_student=_bool(r.get("while_full_time_student")),
        authorised=_bool(r.get("authorised")),
        relevant=_bool(r.get("relevant")),
        paid_at_required_rate=_bool(r.get("paid_at_required_rate")),
    )


def _job_offers(values: Values) -> tuple[JobOffer, ...] | None:
    has_offer = values.get("has_job_offer")
    if has_offer is False:
        return ()
    offer = values.get("job_offer")
    if has_offer is not True or not isinstance(offer, dict):
        return None
    country = str(offer["country"])
    hours = _float(offer.get("hours_per_week"))
    months = _float(offer.get("duration_months"))
    lmia = offer.get("lmia")
    return (
        JobOffer(
            country=country,
            salary=_float(offer.get("salary")),
            currency=_str(offer.get("currency")),
            salary_period=PayPeriod(str(offer.get("salary_period", "year"))),
            hours_per_week=hours,
            full_time=None if hours is None else hours >= FULL_TIME_HOURS,
            non_seasonal=_bool(offer.get("non_seasonal")),
            at_least_one_year=None if months is None else months >= 12,
            sponsor_licensed=_bool(offer.get("sponsor_licensed")),
            lmia=Lmia(lmia) if isinstance(lmia, str) else None,
            occupation_code=_str(offer.get("occupation_code")),
            teer=_int(offer.get("teer")),
            rqf_level=6 if country == "GB" and offer.get("degree_level") is True else None,
            anzsco_skill_level=_int(offer.get("anzsco_skill_level")),
            on_immigration_salary_list=_bool(offer.get("on_immigration_salary_list")),
            going_rate=_float(offer.get("going_rate")),
        ),
    )


def _nominations(data: JsonValue) -> tuple[Nomination, ...]:
    return tuple(NOMINATIONS[name] for name in _strs(data))


def _relatives(data: JsonValue) -> tuple[Relative, ...] | None:
    if not isinstance(data, list):
        return None
    return tuple(
        Relative(
            relationship=Relationship(str(r["relationship"])),
            country=str(r["country"]),
            citizen_or_pr=_bool(r.get("citizen_or_pr")),
            adult=_bool(r.get("adult")),
            of_partner=r.get("of_partner") is True,
        )
        for r in (_record(item) for item in data)
    )


def _money(data: JsonValue) -> Money | None:
    r = _record(data)
    amount, currency = _float(r.get("amount")), _str(r.get("currency"))
    return None if amount is None or currency is None else Money(amount, currency)


# --- destination facts ------------------------------------------------------------------------------------


def _germany(values: Values, marital: MaritalStatus | None, partner: Partner | None) -> GermanyAnswers:
    recognition = values.get("de_recognition")
    stays = values.get("de_stays")
    partner_qualifies = _bool(values.get("partner_de_qualifies"))
    if partner_qualifies is None and (partner_comes_along(marital, partner) is False):
        partner_qualifies = False
    return GermanyAnswers(
        recognition=GermanRecognition(recognition) if isinstance(recognition, str) else None,
        shortage_occupation_qualification=_bool(values.get("de_shortage_occupation")),
        stays=None
        if not isinstance(stays, list)
        else tuple(
            Stay(start, end, StayPurpose(str(r["purpose"])))
            for r in (_record(item) for item in stays)
            if (start := _date(r.get("start"))) is not None and (end := _date(r.get("end"))) is not None
        ),
        partner_qualifies_and_applies=partner_qualifies,
        english_native=_bool(values.get("de_english_native")),
    )


def _uk(values: Values) -> UkAnswers:
    education = values.get("education")
    offer = values.get("job_offer")
    degrees = {str(_record(c).get("level")) for c in education} if isinstance(education, list) else None
    settled = "uk_majority_english_nationality" in values  # the GB section was asked
    no_degree = settled and degrees is not None and not degrees & {"bachelor", "master", "doctoral"}
    no_phd_question = (
        settled
        and degrees is not None
        and (
            "doctoral" not in degrees
            or values.get("has_job_offer") is False
            or (isinstance(offer, dict) and offer.get("country") != "GB")
        )
    )
    return UkAnswers(
        phd_relevant_to_job=_settled(values, "uk_phd_relevant_to_job", no_phd_question),
        new_entrant=_bool(values.get("uk_new_entrant")),
        on_route_before_2025_07_22=_bool(values.get("uk_on_route_before_2025_07_22")),
        last_grant_required_b1=_settled(
            values, "uk_last_grant_required_b1", values.get("uk_on_route_before_2025_07_22") is False
        ),
        degree_taught_in_english=_settled(values, "uk_degree_taught_in_english", no_degree),
        majority_english_speaking_nationality=_bool(values.get("uk_majority_english_nationality")),
    )


def _settled(values: Values, question_id: str, settled_no: bool) -> bool | None:
    """The answer, else False when an earlier answer made the question moot, else unknown."""
    answered = _bool(values.get(question_id))
    if answered is not None:
        return answered
    return False if settled_no else None


# --- plain values -----------------------------------------------------------------------------------------


def _opt(values: Values, question_id: str, kind: type[MaritalStatus]) -> MaritalStatus | None:
    value = values.get(question_id)
    return kind(value) if isinstance(value, str) else None


def _record(data: object) -> Mapping[str, Any]:
    return data if isinstance(data, dict) else {}


def _strs(data: object) -> list[str]:
    return [str(item) for item in data] if isinstance(data, list) else []


def _countries(data: object) -> frozenset[str] | None:
    return frozenset(_strs(data)) if isinstance(data, list) else None


def _str(data: object) -> str | None:
    return data if isinstance(data, str) else None


def _bool(data: object) -> bool | None:
    return data if isinstance(data, bool) else None


def _int(data: object) -> int | None:
    if isinstance(data, bool) or data is None:
        return None
    if isinstance(data, int | float):
        return int(data)
    return int(data) if isinstance(data, str) and data.isdigit() else None


def _float(data: object) -> float | None:
    return float(data) if isinstance(data, int | float) and not isinstance(data, bool) else None


def _date(data: object) -> date | None:
    return date.fromisoformat(data) if isinstance(data, str) else None
