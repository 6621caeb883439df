"""The question bank, version 1 (2026-11-24): what the quiz asks, in order, and when each question applies.

A question applies only when its condition holds on earlier answers, so spouse questions appear only for
people with a partner, country-specific ones only for the destinations chosen, and score fields follow the
language test picked. Answers are kept only while their question still applies (see `branching`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from domain.assessment.records import (
    JOB_OFFER_FIELDS,
    LANGUAGE_TEST_OPTIONS,
    MONEY_FIELDS,
    NONE,
    RELATIVE_FIELDS,
    REMOTE_WORK_FIELDS,
    STAY_FIELDS,
    WORK_FIELDS,
    education_fields,
    language_score_fields,
)
from domain.assessment.spec import (
    ALWAYS,
    Answers,
    Condition,
    DateBounds,
    FieldSpec,
    JsonValue,
    Option,
    Question,
    QuestionKind,
    Section,
    options,
)

BANK_VERSION = 1
BANK_DATE = date(2026, 11, 24)

ANYWHERE = "anywhere"
DESTINATIONS: Mapping[str, str] = MappingProxyType(
    {
        "CA": "Canada",
        "AU": "Australia",
        "DE": "Germany",
        "GB": "United Kingdom",
        "NZ": "New Zealand",
        "US": "United States",
        "NL": "Netherlands",
        "IE": "Ireland",
        "PT": "Portugal",
        "ES": "Spain",
        "FR": "France",
        "JP": "Japan",
        "SG": "Singapore",
        "AE": "United Arab Emirates",
        "EE": "Estonia",
        "IT": "Italy",
    }
)

NOMINATION_OPTIONS = options(
    {
        "ca_provincial_express_entry": "Canada: provincial nomination in an Express Entry stream",
        "ca_provincial_base": "Canada: provincial nomination in a base (non-Express Entry) stream",
        "au_state_190": "Australia: state or territory nomination for subclass 190",
        "au_state_491": "Australia: state or territory nomination for subclass 491",
        "au_relative_491": "Australia: eligible relative sponsorship for subclass 491",
    }
)


def considering(*codes: str) -> Condition:
    """The person chose one of these destinations, or "anywhere"."""
    names = " or ".join(DESTINATIONS[c] for c in codes)

    def test(answers: Answers) -> bool:
        chosen = answers.get("destinations")
        return isinstance(chosen, list) and (ANYWHERE in chosen or any(c in chosen for c in codes))

    return Condition(f"you are considering {names}", ("destinations",), test)


def _considers(answers: Answers, code: str) -> bool:
    chosen = answers.get("destinations")
    return isinstance(chosen, list) and (ANYWHERE in chosen or code in chosen)


def _own_education_fields(answers: Answers) -> tuple[FieldSpec, ...]:
    return education_fields(
        canada=_considers(answers, "CA"), australia=_considers(answers, "AU"), new_zealand=_considers(answers, "NZ")
    )


def _partner_education_fields(answers: Answers) -> tuple[FieldSpec, ...]:
    """The partner's ECA counts for the CRS spouse factors; their Australian recognition is scored nowhere."""
    return education_fields(canada=_considers(answers, "CA"), australia=False, new_zealand=False)


def answer_is(question_id: str, *values: JsonValue) -> Condition:
    shown = " or ".join(str(v).lower() for v in values)
    return Condition(
        f"{question_id} is {shown}", (question_id,), lambda a: question_id in a and a[question_id] in values
    )


def answered_other_than(question_id: str, value: str) -> Condition:
    return Condition(f"{question_id} is not {value}", (question_id,), lambda a: a.get(question_id) not in (None, value))


def both(first: Condition, second: Condition) -> Condition:
    return Condition(
        f"{first.description} and {second.description}",
        tuple(dict.fromkeys((*first.reads, *second.reads))),
        lambda a: first.test(a) and second.test(a),
    )


PARTNERED = answer_is("marital_status", "married", "common_law")
ACCOMPANIED = both(PARTNERED, answer_is("partner_accompanying", True))


def _has_degree(answers: Answers) -> bool:
    found = answers.get("education")
    return isinstance(found, list) and any(
        isinstance(c, dict) and c.get("level") in ("bachelor", "master", "doctoral") for c in found
    )


def _doctorate_and_uk_offer(answers: Answers) -> bool:
    found, offer = answers.get("education"), answers.get("job_offer")
    doctorate = isinstance(found, list) and any(isinstance(c, dict) and c.get("level") == "doctoral" for c in found)
    return doctorate and isinstance(offer, dict) and offer.get("country") == "GB"


HAS_DEGREE = Condition("you hold a bachelor's degree or higher", ("education",), _has_degree)
DOCTORATE_AND_UK_OFFER = Condition(
    "you hold a doctorate and a UK job offer", ("education", "job_offer"), _doctorate_and_uk_offer
)

_YES_NO = QuestionKind.BOOLEAN

QUESTIONS: tuple[Question, ...] = (
    # Plans
    Question(
        "destinations",
        Section.PLANS,
        QuestionKind.MULTIPLE_CHOICE,
        "Which countries are you considering?",
        options=(*(Option(code, name) for code, name in DESTINATIONS.items()), Option(ANYWHERE, "Anywhere")),
        exclusive_options=(ANYWHERE,),
        min_items=1,
        max_items=len(DESTINATIONS),
    ),
    # About you
    Question(
        "birth_date",
        Section.ABOUT_YOU,
        QuestionKind.DATE,
        "What is your date of birth?",
        date_bounds=DateBounds(min_years_ago=16, max_years_ago=100),
    ),
    Question(
        "citizenships",
        Section.ABOUT_YOU,
        QuestionKind.COUNTRIES,
        "Which passports do you hold?",
        min_items=1,
        max_items=4,
    ),
    Question(
        "marital_status",
        Section.ABOUT_YOU,
        QuestionKind.SINGLE_CHOICE,
        "What is your marital status?",
        help="A common-law or de facto partner (living together for 12 months or more) counts as a partner.",
        options=options(
            {
                "single": "Single",
                "married": "Married",
                "common_law": "Common-law or de facto partner",
                "separated": "Separated",
                "divorced": "Divorced",
                "widowed": "Widowed",
            }
        ),
    ),
    Question(
        "dependent_children",
        Section.ABOUT_YOU,
        QuestionKind.NUMBER,
        "How many dependent children would come with you?",
        minimum=0,
        maximum=15,
        integer=True,
    ),
    # Partner
    Question(
        "partner_accompanying",
        Section.PARTNER,
        _YES_NO,
        "Will your partner move with you?",
        applies=PARTNERED,
    ),
    Question(
        "partner_citizen_or_pr_of",
        Section.PARTNER,
        QuestionKind.COUNTRIES,
        "In which countries is your partner a citizen or permanent resident?",
        help="Leave the list empty if none of the countries you are considering.",
        min_items=0,
        max_items=4,
        applies=PARTNERED,
    ),
    Question(
        "partner_birth_date",
        Section.PARTNER,
        QuestionKind.DATE,
        "What is your partner's date of birth?",
        date_bounds=DateBounds(min_years_ago=16, max_years_ago=100),
        applies=ACCOMPANIED,
    ),
    Question(
        "partner_education",
        Section.PARTNER,
        QuestionKind.EDUCATION_HISTORY,
        "Which credentials has your partner completed?",
        fields=_partner_education_fields,
        max_items=6,
        applies=ACCOMPANIED,
    ),
    Question(
        "partner_language_test",
        Section.PARTNER,
        QuestionKind.SINGLE_CHOICE,
        "Which language test has your partner taken most recently?",
        options=LANGUAGE_TEST_OPTIONS,
        applies=ACCOMPANIED,
    ),
    Question(
        "partner_language_scores",
        Section.PARTNER,
        QuestionKind.LANGUAGE_SCORES,
        "What were your partner's results?",
        fields=language_score_fields("partner_language_test"),
        applies=both(ACCOMPANIED, answered_other_than("partner_language_test", NONE)),
        depends_on=("partner_language_test",),
    ),
    Question(
        "partner_work_history",
        Section.PARTNER,
        QuestionKind.WORK_HISTORY,
        "Where has your partner worked in the last 10 years?",
        fields=WORK_FIELDS,
        applies=ACCOMPANIED,
    ),
    Question(
        "partner_au_skills_assessment",
        Section.PARTNER,
        _YES_NO,
        "Does your partner hold a suitable Australian skills assessment?",
        applies=both(ACCOMPANIED, considering("AU")),
    ),
    Question(
        "partner_de_qualifies",
        Section.PARTNER,
        _YES_NO,
        "Does your partner meet the Opportunity Card requirements and apply at the same time?",
        applies=both(ACCOMPANIED, considering("DE")),
    ),
    # Education
    Question(
        "education",
        Section.EDUCATION,
        QuestionKind.EDUCATION_HISTORY,
        "Which credentials have you completed?",
        help="Add each diploma or degree; leave empty if none.",
        fields=_own_education_fields,
        max_items=6,
    ),
    # Languages
    Question(
        "language_test",
        Section.LANGUAGES,
        QuestionKind.SINGLE_CHOICE,
        "Which language test have you taken most recently?",
        options=LANGUAGE_TEST_OPTIONS,
    ),
    Question(
        "language_scores",
        Section.LANGUAGES,
        QuestionKind.LANGUAGE_SCORES,
        "What were your results?",
        fields=language_score_fields("language_test"),
        applies=answered_other_than("language_test", NONE),
        depends_on=("language_test",),
    ),
    Question(
        "second_language_test",
        Section.LANGUAGES,
        QuestionKind.SINGLE_CHOICE,
        "Have you taken a test in another language (for example French or German)?",
        options=LANGUAGE_TEST_OPTIONS,
        applies=answered_other_than("language_test", NONE),
    ),
    Question(
        "second_language_scores",
        Section.LANGUAGES,
        QuestionKind.LANGUAGE_SCORES,
        "What were your results in that test?",
        fields=language_score_fields("second_language_test"),
        applies=answered_other_than("second_language_test", NONE),
        depends_on=("second_language_test",),
    ),
    # Work
    Question(
        "work_history",
        Section.WORK,
        QuestionKind.WORK_HISTORY,
        "Where have you worked in the last 10 years?",
        help="Add each job; leave empty if none.",
        fields=WORK_FIELDS,
    ),
    # Offers and ties
    Question("has_job_offer", Section.OFFERS_AND_TIES, _YES_NO, "Do you hold a written job offer abroad?"),
    Question(
        "job_offer",
        Section.OFFERS_AND_TIES,
        QuestionKind.RECORD,
        "Tell us about the job offer.",
        fields=JOB_OFFER_FIELDS,
        applies=answer_is("has_job_offer", True),
    ),
    Question(
        "nominations",
        Section.OFFERS_AND_TIES,
        QuestionKind.MULTIPLE_CHOICE,
        "Do you hold any of these nominations?",
        help="Leave empty if none.",
        options=NOMINATION_OPTIONS,
        min_items=0,
        max_items=len(NOMINATION_OPTIONS),
        applies=considering("CA", "AU"),
    ),
    Question(
        "relatives",
        Section.OFFERS_AND_TIES,
        QuestionKind.FAMILY,
        "Do you or your partner have relatives living abroad?",
        help="Relatives in the countries you are considering can count; leave empty if none.",
        fields=RELATIVE_FIELDS,
    ),
    Question(
        "funds",
        Section.OFFERS_AND_TIES,
        QuestionKind.RECORD,
        "How much money could you show as settlement funds?",
        help="Savings you can prove, free of debts.",
        fields=MONEY_FIELDS,
    ),
    # Income
    Question(
        "works_remotely",
        Section.INCOME,
        _YES_NO,
        "Do you work remotely for an employer or clients in another country?",
        applies=considering("PT", "ES", "EE", "IT"),
    ),
    Question(
        "remote_work",
        Section.INCOME,
        QuestionKind.RECORD,
        "Tell us about your remote work.",
        fields=REMOTE_WORK_FIELDS,
        applies=both(considering("PT", "ES", "EE", "IT"), answer_is("works_remotely", True)),
    ),
    Question(
        "passive_income_monthly_eur",
        Section.INCOME,
        QuestionKind.NUMBER,
        "How much regular passive income (pensions, rents, dividends) do you receive per month, in euros?",
        minimum=0,
        maximum=1_000_000,
        applies=considering("PT"),
    ),
    # Canada
    Question(
        "ca_first_official_language",
        Section.CANADA,
        QuestionKind.SINGLE_CHOICE,
        "Which official language will you declare as your first in your Express Entry profile?",
        help="The CRS scores the language you declare first with the first-language table and the other with "
        "the second-language table. If you are not sure, both orders are scored and the better one is used.",
        options=options({"english": "English", "french": "French", "not_sure": "Not sure yet"}),
        applies=considering("CA"),
    ),
    Question(
        "ca_authorised_to_work",
        Section.CANADA,
        _YES_NO,
        "Are you currently authorised to work in Canada?",
        applies=considering("CA"),
    ),
    Question(
        "ca_certificate_of_qualification",
        Section.CANADA,
        _YES_NO,
        "Do you hold a Canadian certificate of qualification in a trade?",
        applies=considering("CA"),
    ),
    # Australia
    Question(
        "au_skills_assessment",
        Section.AUSTRALIA,
        _YES_NO,
        "Do you hold a positive skills assessment for your nominated occupation?",
        applies=considering("AU"),
    ),
    Question(
        "au_professional_year",
        Section.AUSTRALIA,
        _YES_NO,
        "Have you completed a Professional Year in Australia?",
        applies=considering("AU"),
    ),
    Question(
        "au_professional_year_completed_on",
        Section.AUSTRALIA,
        QuestionKind.DATE,
        "When did you complete it?",
        date_bounds=DateBounds(max_years_ago=30),
        applies=both(considering("AU"), answer_is("au_professional_year", True)),
    ),
    Question(
        "au_naati_ccl",
        Section.AUSTRALIA,
        _YES_NO,
        "Do you hold a NAATI credentialled community language qualification?",
        applies=considering("AU"),
    ),
    # Germany
    Question(
        "de_recognition",
        Section.GERMANY,
        QuestionKind.SINGLE_CHOICE,
        "Has a German authority recognised your qualification?",
        options=options(
            {
                "full": "Fully recognised",
                "partial": "Partly recognised (compensation needed)",
                "none": "Not recognised or never assessed",
            }
        ),
        applies=considering("DE"),
    ),
    Question(
        "de_shortage_occupation",
        Section.GERMANY,
        _YES_NO,
        "Is your qualification in a German shortage occupation?",
        applies=considering("DE"),
    ),
    Question(
        "de_stays",
        Section.GERMANY,
        QuestionKind.RECORD_LIST,
        "Have you stayed in Germany in the last 5 years?",
        help="Add each stay; leave empty if none.",
        fields=STAY_FIELDS,
        applies=considering("DE"),
    ),
    Question(
        "de_english_native", Section.GERMANY, _YES_NO, "Is English your native language?", applies=considering("DE")
    ),
    # United Kingdom
    Question(
        "uk_degree_taught_in_english",
        Section.UNITED_KINGDOM,
        _YES_NO,
        "Was your degree taught in English?",
        applies=both(considering("GB"), HAS_DEGREE),
    ),
    Question(
        "uk_majority_english_nationality",
        Section.UNITED_KINGDOM,
        _YES_NO,
        "Are you a national of a majority English-speaking country on the UK's list?",
        applies=considering("GB"),
    ),
    Question(
        "uk_new_entrant",
        Section.UNITED_KINGDOM,
        _YES_NO,
        "Are you under 26, switching from a Student or Graduate visa, or in professional training?",
        applies=considering("GB"),
    ),
    Question(
        "uk_phd_relevant_to_job",
        Section.UNITED_KINGDOM,
        _YES_NO,
        "Is your doctorate relevant to the UK job?",
        applies=both(considering("GB"), DOCTORATE_AND_UK_OFFER),
    ),
    Question(
        "uk_on_route_before_2025_07_22",
        Section.UNITED_KINGDOM,
        _YES_NO,
        "Did you already hold a UK Skilled Worker visa before 22 July 2025?",
        applies=considering("GB"),
    ),
    Question(
        "uk_last_grant_required_b1",
        Section.UNITED_KINGDOM,
        _YES_NO,
        "Did your last Skilled Worker grant require English at B1?",
        applies=both(considering("GB"), answer_is("uk_on_route_before_2025_07_22", True)),
    ),
    # New Zealand
    Question(
        "nz_occupational_registration",
        Section.NEW_ZEALAND,
        _YES_NO,
        "Do you hold an occupational registration on Immigration NZ's list?",
        applies=considering("NZ"),
    ),
    Question(
        "nz_registration_training_years",
        Section.NEW_ZEALAND,
        QuestionKind.NUMBER,
        "How many years of training did that registration require?",
        minimum=0,
        maximum=10,
        step=0.5,
        applies=both(considering("NZ"), answer_is("nz_occupational_registration", True)),
    ),
    Question(
        "nz_registered_on",
        Section.NEW_ZEALAND,
        QuestionKind.DATE,
        "When did you gain that New Zealand registration?",
        help="When registration earns your skill points, only New Zealand work done after this date counts.",
        date_bounds=DateBounds(max_years_ago=60),
        applies=both(considering("NZ"), answer_is("nz_occupational_registration", True)),
    ),
)

WORDING_SOURCES: Mapping[str, tuple[str, date]] = MappingProxyType(
    {
        "education.au_recognition": (
            "https://immi.homeaffairs.gov.au/help-support/tools/points-calculator",
            date(2019, 11, 16),
        ),
        "education.nzqf_type": ("https://immigration.govt.nz/opsmanual/80474.htm", date(2023, 10, 9)),
        "ca_first_official_language": (
            "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/"
            "check-score/crs-criteria.html",
            date(2025, 3, 25),
        ),
        "job_offer.occupation_code": (
            "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/"
            "eligibility/find-national-occupation-code.html",
            date(2025, 3, 25),
        ),
        "nz_registered_on": ("https://immigration.govt.nz/opsmanual/81679.htm", date(2023, 10, 9)),
    }
)
"""The official page each question (or field) added for issue 19 follows, and the as-of date of its rule."""

BANK: Mapping[str, Question] = MappingProxyType({question.id: question for question in QUESTIONS})
ORDER: Mapping[str, int] = MappingProxyType({question.id: i for i, question in enumerate(QUESTIONS)})

__all__ = ["ALWAYS", "ANYWHERE", "BANK", "BANK_DATE", "BANK_VERSION", "DESTINATIONS", "ORDER", "QUESTIONS"]
