"""The normalised answer set a questionnaire produces; calculators read it and never write it.

Every optional fact may be ``None``, meaning "not answered", which is not the same as "none": an empty
tuple says the person has no entries, ``None`` says we do not know. Calculators score an unknown fact as
0 and list it in ``missing`` so the client can ask for it.
Countries are ISO 3166-1 alpha-2 codes ("CA", "AU", "NZ", "DE", "GB"); money is gross, in `currency`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum, StrEnum

from domain.language.model import Language, LanguageTestResult


class EducationLevel(IntEnum):
    """The credential ladder the points grids share; the order is the ranking."""

    NONE = 0
    SECONDARY = 1
    ONE_YEAR = 2
    TWO_YEAR = 3
    BACHELOR = 4  # or any post-secondary program of 3+ years
    TWO_OR_MORE = 5  # two or more post-secondary credentials, one of them 3+ years
    MASTER = 6  # or an entry-to-practice professional degree
    DOCTORAL = 7


class MaritalStatus(StrEnum):
    SINGLE = "single"
    MARRIED = "married"
    COMMON_LAW = "common_law"  # de facto; every calculator treats it exactly like married
    SEPARATED = "separated"
    DIVORCED = "divorced"
    WIDOWED = "widowed"

    @property
    def has_partner(self) -> bool:
        return self in (MaritalStatus.MARRIED, MaritalStatus.COMMON_LAW)


class AuRecognition(StrEnum):
    """What the Australian skills-assessing authority found a foreign qualification to be (points test,
    "highest qualification" row — https://immi.homeaffairs.gov.au/help-support/tools/points-calculator, as of
    2019-11-16)."""

    DOCTORATE = "doctorate"  # a doctorate of a recognised standard: 20 points
    BACHELOR = "bachelor"  # at least a bachelor qualification of a recognised standard: 15 points
    OCCUPATION = "occupation"  # an award or qualification recognised as suitable for the occupation: 10 points
    NOT_RECOGNISED = "not_recognised"
    NOT_ASSESSED = "not_assessed"  # no assessment yet: its points are conditional on one


class NzQualificationType(StrEnum):
    """The NZQF qualification type NZQA matched, or a level only (INZ Operational Manual SR3.25.5,
    https://immigration.govt.nz/opsmanual/80474.htm, as of 2023-10-09)."""

    DOCTORAL = "doctoral"  # level 10
    MASTERS = "masters"  # level 9
    BACHELOR_HONOURS = "bachelor_honours"  # level 8
    POSTGRADUATE_DIPLOMA = "postgraduate_diploma"  # level 8
    POSTGRADUATE_CERTIFICATE = "postgraduate_certificate"  # level 8, scored with the level 7 bachelor's
    BACHELORS = "bachelors"  # level 7
    LEVEL_ONLY = "level_only"  # an overseas qualification NZQA placed at a level without a type match


@dataclass(frozen=True, slots=True)
class Credential:
    """One completed credential; the country-specific flags matter only to that country's calculator."""

    level: EducationLevel
    country: str | None = None  # where it was earned
    field_stem: bool | None = None
    eca: bool | None = None  # a Canadian Educational Credential Assessment exists
    duration_years: float | None = None  # academic years of full-time study the program takes
    full_time: bool | None = None
    by_research: bool | None = None
    completed_on: date | None = None
    vocational: bool | None = None
    state_recognised: bool | None = None  # recognised by the state where it was earned (DE route 2)
    au_recognition: AuRecognition | None = None  # what the Australian assessing authority found it to be
    au_regional: bool | None = None  # studied while living in designated regional Australia
    nzqf_level: int | None = None  # NZQF level (7–10) from an NZQA assessment or an NZ award
    nzqf_type_match: bool | None = None  # NZQA matched a qualification type, not just a level
    nzqf_type: NzQualificationType | None = None  # which type (tells the level 8 rows apart)

    @property
    def canadian(self) -> bool:
        return self.country == "CA"

    @property
    def australian(self) -> bool:
        return self.country == "AU"

    @property
    def new_zealand(self) -> bool:
        return self.country == "NZ"

    @property
    def post_secondary(self) -> bool:
        return self.level >= EducationLevel.ONE_YEAR


def education_level(credentials: Iterable[Credential]) -> EducationLevel:
    """The ladder level the credentials reach together: the highest one, except that two or more
    post-secondary credentials, one of them a 3-year+ program (bachelor level), count as TWO_OR_MORE."""
    counted = tuple(credentials)
    level = max((c.level for c in counted), default=EducationLevel.NONE)
    post_secondary = [c for c in counted if c.post_secondary]
    if (
        len(post_secondary) >= 2
        and any(c.level >= EducationLevel.BACHELOR for c in post_secondary)
        and level < EducationLevel.TWO_OR_MORE
    ):
        return EducationLevel.TWO_OR_MORE
    return level


SKILLED_TEERS = frozenset({0, 1, 2, 3})
"""NOC 2021 TEER categories that count as skilled (IRCC, Express Entry: TEER 0, 1, 2 or 3) — as of 2022-11-16."""


def skilled_teer(teer: int | None) -> bool | None:
    """The TEER is a skilled one; None when it was not given."""
    return None if teer is None else teer in SKILLED_TEERS


@dataclass(frozen=True, slots=True)
class WorkEntry:
    """A period of work; `end=None` means it is still going on."""

    country: str
    start: date
    end: date | None = None
    hours_per_week: float | None = None
    occupation_code: str | None = None  # NOC, ANZSCO or SOC code, as the country uses
    teer: int | None = None  # Canadian NOC 2021 TEER 0–5
    anzsco_skill_level: int | None = None  # 1–5
    paid: bool | None = None
    self_employed: bool | None = None
    while_full_time_student: bool | None = None
    authorised: bool | None = None  # held the right to work where it was done
    relevant: bool | None = None  # closely related to the nominated occupation / qualification (AU, DE)
    paid_at_required_rate: bool | None = None  # NZ SMC: paid at or above the required median-wage rate

    @property
    def skilled(self) -> bool | None:
        """Skilled work: an occupation in TEER 0–3 (None when the TEER was not given)."""
        return skilled_teer(self.teer)


class Lmia(StrEnum):
    SUPPORTED = "supported"
    EXEMPT = "exempt"
    NONE = "none"


class PayPeriod(StrEnum):
    YEAR = "year"
    HOUR = "hour"


@dataclass(frozen=True, slots=True)
class JobOffer:
    country: str
    salary: float | None = None
    currency: str | None = None
    salary_period: PayPeriod = PayPeriod.YEAR
    hours_per_week: float | None = None
    full_time: bool | None = None
    non_seasonal: bool | None = None
    at_least_one_year: bool | None = None
    sponsor_licensed: bool | None = None  # UK licensed sponsor, NZ accredited employer, AU approved sponsor
    lmia: Lmia | None = None
    occupation_code: str | None = None  # NOC / ANZSCO / SOC code
    teer: int | None = None
    rqf_level: int | None = None
    anzsco_skill_level: int | None = None
    on_immigration_salary_list: bool | None = None
    on_temporary_shortage_list: bool | None = None
    going_rate: float | None = None  # UK going rate, same currency and period as `salary`
    national_pay_scale_rate: float | None = None  # UK option F: listed health/education job's pay-scale rate

    @property
    def skilled(self) -> bool | None:
        """A skilled job: an occupation in TEER 0–3 (None when the TEER was not given)."""
        return skilled_teer(self.teer)

    def annual_salary(self) -> float | None:
        if self.salary is None:
            return None
        if self.salary_period is PayPeriod.YEAR:
            return self.salary
        return None if self.hours_per_week is None else self.salary * self.hours_per_week * 52

    def annual_going_rate(self) -> float | None:
        if self.going_rate is None or self.salary_period is PayPeriod.YEAR:
            return self.going_rate
        return None if self.hours_per_week is None else self.going_rate * self.hours_per_week * 52

    def hourly_rate(self) -> float | None:
        if self.salary is None:
            return None
        if self.salary_period is PayPeriod.HOUR:
            return self.salary
        return None if not self.hours_per_week else self.salary / (self.hours_per_week * 52)


class NominationKind(StrEnum):
    PROVINCIAL_EXPRESS_ENTRY = "provincial_express_entry"  # CA enhanced PNP stream
    PROVINCIAL_BASE = "provincial_base"  # CA base PNP stream: no CRS points
    STATE_OR_TERRITORY = "state_or_territory"  # AU 190 / 491
    RELATIVE_SPONSORSHIP = "relative_sponsorship"  # AU 491 eligible relative


@dataclass(frozen=True, slots=True)
class Nomination:
    country: str
    kind: NominationKind
    subclass: str | None = None  # AU visa subclass the nomination is for ("190", "491")


class Relationship(StrEnum):
    PARENT = "parent"
    GRANDPARENT = "grandparent"
    CHILD = "child"
    GRANDCHILD = "grandchild"
    SIBLING = "sibling"
    AUNT_UNCLE = "aunt_uncle"
    NIECE_NEPHEW = "niece_nephew"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Relative:
    relationship: Relationship
    country: str  # where the relative lives
    citizen_or_pr: bool | None = None  # of that country
    adult: bool | None = None  # 18 or older
    of_partner: bool = False  # the partner's relative rather than the applicant's


@dataclass(frozen=True, slots=True)
class Money:
    amount: float
    currency: str


@dataclass(frozen=True, slots=True)
class Partner:
    """The spouse or common-law/de facto partner: the facts the calculators score."""

    accompanying: bool | None = None
    citizen_or_pr_of: frozenset[str] | None = None  # countries where the partner is a citizen or PR
    citizenships: frozenset[str] | None = None
    age: int | None = None
    birth_date: date | None = None
    education: tuple[Credential, ...] | None = None
    language_tests: tuple[LanguageTestResult, ...] | None = None
    work_history: tuple[WorkEntry, ...] | None = None
    au_skills_assessment: bool | None = None  # suitable assessment in an occupation on the same list

    def age_on(self, day: date) -> int | None:
        return _age_on(self.age, self.birth_date, day)

    def citizen_or_pr(self, country: str) -> bool | None:
        return None if self.citizen_or_pr_of is None else country in self.citizen_or_pr_of


@dataclass(frozen=True, slots=True)
class CanadaAnswers:
    """Answers only Canada's calculators and rules read."""

    first_official_language: Language | None = None  # declared in the profile; None: not sure, the better order
    authorised_to_work: bool | None = None
    certificate_of_qualification: bool | None = None  # trades, issued by a province/territory/federal body


@dataclass(frozen=True, slots=True)
class AustraliaAnswers:
    """Answers only Australia's calculators and rules read."""

    skills_assessment: bool | None = None  # suitable assessment in an occupation on the relevant list
    professional_year: bool | None = None
    professional_year_completed_on: date | None = None
    naati_ccl: bool | None = None


class GermanRecognition(StrEnum):
    FULL = "full"
    PARTIAL = "partial"  # compensation / adaptation measures needed
    NONE = "none"  # assessed, not equivalent; or never assessed


class StayPurpose(StrEnum):
    TOURISM = "tourism"
    STUDY = "study"
    WORK = "work"
    FAMILY = "family"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Stay:
    start: date
    end: date
    purpose: StayPurpose


@dataclass(frozen=True, slots=True)
class GermanyAnswers:
    """Answers only Germany's calculators and rules read."""

    recognition: GermanRecognition | None = None
    shortage_occupation_qualification: bool | None = None
    chamber_abroad_qualification: bool | None = None  # vocational qualification from a German AHK
    stays: tuple[Stay, ...] | None = None
    partner_qualifies_and_applies: bool | None = None
    living_costs_secured_otherwise: bool | None = None  # declaration of commitment or part-time contract
    english_native: bool | None = None


@dataclass(frozen=True, slots=True)
class NewZealandAnswers:
    """Answers only New Zealand's calculators and rules read."""

    occupational_registration: bool | None = None  # registration on INZ's list for the job
    registration_training_years: float | None = None
    registered_on: date | None = None  # SR3.35: NZ experience counts from here when registration earns the points
    income_multiple: float | None = None  # NZ job's hourly pay ÷ median wage; else read from the NZ offer


@dataclass(frozen=True, slots=True)
class UkAnswers:
    """Answers only the UK's calculators and rules read."""

    phd_relevant_to_job: bool | None = None
    new_entrant: bool | None = None  # under 26, switching from Student/Graduate, training, or recent postdoc
    on_route_before_2025_07_22: bool | None = None
    last_grant_required_b1: bool | None = None
    degree_taught_in_english: bool | None = None
    majority_english_speaking_nationality: bool | None = None


@dataclass(frozen=True, slots=True)
class Profile:
    """Everything a person told us; `as_of` is the day the answers were given."""

    as_of: date | None = None
    age: int | None = None  # completed years on `as_of`; `birth_date` wins when both are known
    birth_date: date | None = None
    citizenships: frozenset[str] | None = None
    marital_status: MaritalStatus | None = None
    partner: Partner | None = None
    dependent_children: int | None = None
    education: tuple[Credential, ...] | None = None
    language_tests: tuple[LanguageTestResult, ...] | None = None
    work_history: tuple[WorkEntry, ...] | None = None
    job_offers: tuple[JobOffer, ...] | None = None
    nominations: tuple[Nomination, ...] | None = None
    relatives: tuple[Relative, ...] | None = None
    funds: Money | None = None
    canada: CanadaAnswers = field(default_factory=CanadaAnswers)
    australia: AustraliaAnswers = field(default_factory=AustraliaAnswers)
    germany: GermanyAnswers = field(default_factory=GermanyAnswers)
    new_zealand: NewZealandAnswers = field(default_factory=NewZealandAnswers)
    uk: UkAnswers = field(default_factory=UkAnswers)

    def age_on(self, day: date) -> int | None:
        """Completed years on `day` (age points change on the birthday); a bare `age` is taken as given."""
        return _age_on(self.age, self.birth_date, day)

    def job_offer_in(self, country: str) -> JobOffer | None:
        return next((offer for offer in self.job_offers or () if offer.country == country), None)

    @property
    def partner_comes_along(self) -> bool | None:
        return partner_comes_along(self.marital_status, self.partner)


def partner_comes_along(marital_status: MaritalStatus | None, partner: Partner | None) -> bool | None:
    """A spouse or partner is included in the application and moves too: False for someone without a
    partner, None while the marital status or the partner's answer is unknown."""
    if marital_status is None:
        return None
    if not marital_status.has_partner:
        return False
    return None if partner is None else partner.accompanying


def completed_years(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _age_on(age: int | None, birth_date: date | None, day: date) -> int | None:
    return completed_years(birth_date, day) if birth_date is not None else age
