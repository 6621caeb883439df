"""The fields of composite answers: credentials, jobs, a job offer, relatives, stays, money, test scores."""

from __future__ import annotations

from collections.abc import Callable

from domain.assessment.spec import Answers, FieldKind, FieldSpec, Option, RecordCondition, options
from domain.language.labels import TEST_LABELS
from domain.language.model import CEFR_CERTIFICATES, SCORE_RANGES, TEST_LANGUAGE, CefrLevel, LanguageTest
from domain.profile import EducationLevel

NONE = "none"
"""The choice that means "I have none" (no language test, no nomination)."""

_C, _B, _N, _I, _D = FieldKind.CHOICE, FieldKind.BOOLEAN, FieldKind.NUMBER, FieldKind.INTEGER, FieldKind.DATE
_COUNTRY, _CURRENCY = FieldKind.COUNTRY, FieldKind.CURRENCY


def _country_is(*codes: str) -> RecordCondition:
    return RecordCondition(f"country is {' or '.join(codes)}", lambda r: r.get("country") in codes)


def _country_is_not(code: str) -> RecordCondition:
    return RecordCondition(f"country is not {code}", lambda r: r.get("country") != code)


def _level_in(*levels: str) -> RecordCondition:
    return RecordCondition(f"level is {' or '.join(levels)}", lambda r: r.get("level") in levels)


CREDENTIAL_LABELS: dict[EducationLevel, str] = {
    EducationLevel.SECONDARY: "Secondary (high school) diploma",
    EducationLevel.ONE_YEAR: "One-year post-secondary credential",
    EducationLevel.TWO_YEAR: "Two-year post-secondary credential",
    EducationLevel.BACHELOR: "Bachelor's degree, or a post-secondary program of 3 years or more",
    EducationLevel.MASTER: "Master's degree, or a professional degree (medicine, law…)",
    EducationLevel.DOCTORAL: "Doctorate (PhD)",
}

# The quiz names tests as the points explanations do, but spells out the catch-all choice.
TEST_NAMES: dict[LanguageTest, str] = {
    **TEST_LABELS,
    LanguageTest.OTHER_CEFR: "Another certificate stating a CEFR level",
}

CREDENTIAL_LEVELS: tuple[EducationLevel, ...] = (
    EducationLevel.SECONDARY,
    EducationLevel.ONE_YEAR,
    EducationLevel.TWO_YEAR,
    EducationLevel.BACHELOR,
    EducationLevel.MASTER,
    EducationLevel.DOCTORAL,
)
"""One record is one credential; "two or more" is worked out from the list, never asked."""

TEER_OPTIONS = options(
    {
        "0": "TEER 0 — management",
        "1": "TEER 1 — needs a university degree",
        "2": "TEER 2 — college diploma or apprenticeship of 2+ years, or supervisory",
        "3": "TEER 3 — college diploma or apprenticeship under 2 years, or 6+ months' training",
        "4": "TEER 4 — high school and several weeks of training",
        "5": "TEER 5 — short demonstration, no formal education",
    }
)
SKILL_LEVEL_OPTIONS = options({str(level): f"ANZSCO skill level {level}" for level in range(1, 6)})

AU_RECOGNITION_OPTIONS = options(
    {
        "doctorate": "Recognised as a doctorate",
        "bachelor": "Recognised as at least a bachelor's degree",
        "occupation": "Recognised as suitable for my nominated occupation, below bachelor's level",
        "not_recognised": "Assessed and not recognised",
        "not_assessed": "Not assessed yet",
    }
)
"""Home Affairs' "highest qualification" rows (points calculator, as of 2019-11-16)."""

NZQF_TYPE_OPTIONS = options(
    {
        "doctoral": "Doctoral degree (level 10)",
        "masters": "Master's degree (level 9)",
        "bachelor_honours": "Bachelor honours degree (level 8)",
        "postgraduate_diploma": "Postgraduate diploma (level 8)",
        "postgraduate_certificate": "Postgraduate certificate (level 8)",
        "bachelors": "Bachelor's degree (level 7)",
        "level_only": "NZQA gave a level only, no qualification type",
    }
)
"""INZ Operational Manual SR3.25.5 (https://immigration.govt.nz/opsmanual/80474.htm, as of 2023-10-09)."""


def education_fields(*, canada: bool = True, australia: bool = True, new_zealand: bool = True) -> tuple[FieldSpec, ...]:
    """A credential's fields; a destination's own question is asked (and required) only of people considering
    it, so one country's process never gates another's."""
    foreign_post_secondary_to_au = RecordCondition(
        "you are considering Australia and it is a post-secondary credential from outside Australia",
        lambda r: australia and r.get("country") != "AU" and r.get("level") not in (None, "secondary"),
    )
    return (
        FieldSpec(
            "level",
            _C,
            "Credential",
            options=tuple(Option(level.name.lower(), CREDENTIAL_LABELS[level]) for level in CREDENTIAL_LEVELS),
        ),
        FieldSpec("country", _COUNTRY, "Country where it was earned"),
        FieldSpec("completed_on", _D, "Date completed", required=False, not_in_future=True),
        FieldSpec(
            "duration_years",
            _N,
            "Length of the program in full-time academic years",
            required=False,
            minimum=0.5,
            maximum=10,
            step=0.5,
        ),
        FieldSpec("full_time", _B, "Studied full time", required=False),
        FieldSpec("field_stem", _B, "In science, technology, engineering or mathematics", required=False),
        FieldSpec(
            "eca",
            _B,
            "Has a Canadian Educational Credential Assessment",
            required=canada,
            relevant_when=_country_is_not("CA"),
        ),
        FieldSpec(
            "au_recognition",
            _C,
            "How the Australian skills-assessing authority recognised it",
            required=australia,
            options=AU_RECOGNITION_OPTIONS,
            relevant_when=foreign_post_secondary_to_au,
        ),
        FieldSpec(
            "by_research", _B, "Earned by research", required=False, relevant_when=_level_in("master", "doctoral")
        ),
        FieldSpec(
            "vocational",
            _B,
            "Vocational (trade or technical) qualification",
            required=False,
            relevant_when=_level_in("one_year", "two_year"),
        ),
        FieldSpec("state_recognised", _B, "Recognised by the state where it was earned", required=False),
        FieldSpec(
            "au_regional",
            _B,
            "Studied while living in regional Australia",
            required=False,
            relevant_when=_country_is("AU"),
        ),
        FieldSpec(
            "nzqf_level",
            _I,
            "NZQF level from an NZQA assessment or an NZ award",
            required=False,
            minimum=7,
            maximum=10,
        ),
        FieldSpec(
            "nzqf_type",
            _C,
            "NZQF qualification type NZQA matched (or an NZ award's type)",
            required=False,
            options=NZQF_TYPE_OPTIONS,
            relevant_when=RecordCondition("you are considering New Zealand", lambda _: new_zealand),
        ),
    )


EDUCATION_FIELDS: tuple[FieldSpec, ...] = education_fields()
"""Every field, for someone open to every destination."""


WORK_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("country", _COUNTRY, "Country where you worked"),
    FieldSpec("start", _D, "Start date", not_in_future=True),
    FieldSpec("end", _D, "End date (leave empty if you still work there)", required=False, not_in_future=True),
    FieldSpec("hours_per_week", _N, "Hours per week", minimum=1, maximum=80),
    FieldSpec("teer", _C, "Skill level of the job (Canadian NOC TEER)", options=TEER_OPTIONS),
    FieldSpec(
        "occupation_code",
        FieldKind.OCCUPATION_CODE,
        "Occupation code (NOC, ANZSCO or SOC), if you know it",
        required=False,
    ),
    FieldSpec("paid", _B, "Paid work"),
    FieldSpec("self_employed", _B, "Self-employed"),
    FieldSpec("while_full_time_student", _B, "Done while a full-time student", relevant_when=_country_is("CA")),
    FieldSpec("authorised", _B, "You held the right to work there"),
    FieldSpec("relevant", _B, "Closely related to the occupation you will apply in", required=False),
    FieldSpec(
        "anzsco_skill_level",
        _C,
        "ANZSCO skill level",
        required=False,
        options=SKILL_LEVEL_OPTIONS,
        relevant_when=_country_is("AU", "NZ"),
    ),
    FieldSpec(
        "paid_at_required_rate",
        _B,
        "Paid at least the NZ median-wage rate",
        required=False,
        relevant_when=_country_is("NZ"),
    ),
)

JOB_OFFER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("country", _COUNTRY, "Country of the job"),
    FieldSpec("salary", _N, "Gross base pay", minimum=0),
    FieldSpec("currency", _CURRENCY, "Currency of the pay"),
    FieldSpec("salary_period", _C, "Pay period", options=options({"year": "per year", "hour": "per hour"})),
    FieldSpec("hours_per_week", _N, "Hours per week", minimum=1, maximum=80),
    FieldSpec("duration_months", _N, "Length of the contract in months (120 if open-ended)", minimum=1, maximum=120),
    FieldSpec("degree_level", _B, "The job is at degree level", required=False),
    FieldSpec(
        "sponsor_licensed",
        _B,
        "The employer holds the sponsor licence or accreditation the visa needs",
        required=False,
        relevant_when=_country_is_not("CA"),
    ),
    FieldSpec("non_seasonal", _B, "Non-seasonal", relevant_when=_country_is("CA")),
    FieldSpec(
        "lmia",
        _C,
        "Labour Market Impact Assessment",
        options=options({"supported": "LMIA-supported", "exempt": "LMIA-exempt", "none": "neither"}),
        relevant_when=_country_is("CA"),
    ),
    FieldSpec("teer", _C, "NOC TEER of the offered job", options=TEER_OPTIONS, relevant_when=_country_is("CA")),
    FieldSpec(
        "occupation_code",
        FieldKind.OCCUPATION_CODE,
        "Occupation code of the offered job (NOC 2021 for Canada: its first two digits are the major group)",
        required=False,
    ),
    FieldSpec(
        "going_rate",
        _N,
        "The occupation's going rate (same currency and period)",
        required=False,
        minimum=0,
        relevant_when=_country_is("GB"),
    ),
    FieldSpec(
        "on_immigration_salary_list",
        _B,
        "The job is on the Immigration Salary List",
        required=False,
        relevant_when=_country_is("GB"),
    ),
    FieldSpec(
        "anzsco_skill_level",
        _C,
        "ANZSCO skill level of the job",
        required=False,
        options=SKILL_LEVEL_OPTIONS,
        relevant_when=_country_is("AU", "NZ"),
    ),
)

RELATIVE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "relationship",
        _C,
        "Relationship",
        options=options(
            {
                "parent": "parent",
                "grandparent": "grandparent",
                "child": "child",
                "grandchild": "grandchild",
                "sibling": "brother or sister",
                "aunt_uncle": "aunt or uncle",
                "niece_nephew": "niece or nephew",
                "other": "other",
            }
        ),
    ),
    FieldSpec("country", _COUNTRY, "Country where they live"),
    FieldSpec("citizen_or_pr", _B, "Citizen or permanent resident of that country"),
    FieldSpec("adult", _B, "18 or older"),
    FieldSpec("of_partner", _B, "Your partner's relative rather than yours", required=False),
)

STAY_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("start", _D, "Arrived", not_in_future=True),
    FieldSpec("end", _D, "Left", not_in_future=True),
    FieldSpec(
        "purpose",
        _C,
        "Purpose of the stay",
        options=options({"tourism": "tourism", "study": "study", "work": "work", "family": "family", "other": "other"}),
    ),
)

MONEY_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("amount", _N, "Amount", minimum=0),
    FieldSpec("currency", _CURRENCY, "Currency"),
)

REMOTE_WORK_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("employer_country", _COUNTRY, "Country of your employer or main client"),
    FieldSpec("monthly_income_eur", _N, "Gross monthly income from that work, in euros", minimum=0),
    FieldSpec("months", _N, "How many months the work relationship has lasted", minimum=0, maximum=600),
)

_ABILITY_LABELS = {"listening": "Listening", "reading": "Reading", "writing": "Writing", "speaking": "Speaking"}
_IELTS = frozenset({LanguageTest.IELTS_GT, LanguageTest.IELTS_ACADEMIC})

LANGUAGE_TEST_OPTIONS: tuple[Option, ...] = (
    *(Option(test.value, TEST_NAMES[test]) for test in LanguageTest),
    Option(NONE, "I have not taken a language test"),
)


def language_score_fields(test_question: str) -> Callable[[Answers], tuple[FieldSpec, ...]]:
    """The score fields of the test chosen in `test_question`: bands, levels or a CEFR level."""

    def fields(answers: Answers) -> tuple[FieldSpec, ...]:
        chosen = answers.get(test_question)
        if not isinstance(chosen, str) or chosen == NONE:
            return ()
        test = LanguageTest(chosen)
        test_date = FieldSpec("test_date", _D, "Date of the test", not_in_future=True)
        ranges = SCORE_RANGES.get(test)
        if ranges is not None:
            step = 0.5 if test in _IELTS else 1
            scores = tuple(
                FieldSpec(ability, _N, label, minimum=low, maximum=high, step=step)
                for (ability, label), (low, high) in zip(
                    _ABILITY_LABELS.items(), (ranges[0], ranges[0], ranges[1], ranges[1]), strict=True
                )
            )
            overall = (
                (FieldSpec("overall", _N, "Overall band", required=False, minimum=0, maximum=9, step=0.5),)
                if test in _IELTS
                else ()
            )
            return (*scores, *overall, test_date)
        assert test in CEFR_CERTIFICATES
        level = FieldSpec(
            "cefr_level", _C, "CEFR level on the certificate", options=tuple(Option(c.name, c.name) for c in CefrLevel)
        )
        language = (
            ()
            if test in TEST_LANGUAGE
            else (
                FieldSpec(
                    "language",
                    _C,
                    "Language of the certificate",
                    options=options({"english": "English", "french": "French", "german": "German"}),
                ),
            )
        )
        return (level, *language, test_date)

    return fields
