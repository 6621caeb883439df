"""Profile + program → the values of the facts in `domain.programs.vocabulary` (the inputs a program's
eligibility rules read), respecting each fact's scope.

PERSON facts are computed once per profile; DESTINATION facts once per country (work "in country" means
there, money counts only in that country's currency — no exchange rates are guessed); PROGRAM facts per
program (`points_score` from the program's own calculator). Anything the answers cannot tell stays None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from enum import StrEnum

from domain.assessment.snapshot import Supplement
from domain.language.cefr import lowest_cefr_level
from domain.language.ielts import ielts_overall
from domain.language.model import ABILITIES, Language, LanguageTest, LanguageTestResult
from domain.points import CALCULATORS, PointsResult
from domain.points.express_entry_counting import LOOK_BACK_YEARS, usable_results
from domain.points.periods import add_years, fte_years, qualifying_entries, skilled_work_criteria
from domain.profile import Credential, JobOffer, Profile, WorkEntry, education_level
from domain.programs.model import Country, PointsSystem, Program
from domain.programs.rules import referenced_facts
from domain.programs.vocabulary import CEFR_LEVELS, VOCABULARY, derive_facts

FactValues = dict[str, object]
"""Fact name → value for one program; None means unknown."""

_IELTS = frozenset({LanguageTest.IELTS_GT, LanguageTest.IELTS_ACADEMIC})


_UNKNOWN: dict[str, object] = dict.fromkeys(VOCABULARY)


class PointsCache:
    """Each calculator runs once per profile and day, however many programs name it."""

    def __init__(self, profile: Profile, on: date) -> None:
        self.profile = profile
        self.on = on
        self._results: dict[str, PointsResult] = {}

    def result(self, system: str) -> PointsResult:
        found = self._results.get(system)
        if found is None:
            found = self._results[system] = CALCULATORS[system](self.profile, self.on)
        return found


def points_fact(result: PointsResult) -> int | None:
    """The total when it decides a pass mark: unknown facts only ever add points, so a total that already
    passes is safe, and one that falls short with facts missing is unknown."""
    if not result.missing:
        return result.total
    if result.pass_mark is not None and result.total >= result.pass_mark:
        return result.total
    return None


class FactValuesBuilder:
    """Builds the fact values for many programs from one profile, sharing the person- and country-level work."""

    def __init__(self, profile: Profile, supplement: Supplement, on: date) -> None:
        self.profile = profile
        self.supplement = supplement
        self.on = on
        self.points = PointsCache(profile, on)
        self._person: FactValues | None = None
        self._destinations: dict[str, FactValues] = {}
        self._references: dict[int, frozenset[str]] = {}

    def person(self) -> FactValues:
        if self._person is None:
            self._person = person_facts(self.profile, self.supplement, self.on)
        return self._person

    def destination(self, country: Country) -> FactValues:
        found = self._destinations.get(country.code)
        if found is None:
            found = self._destinations[country.code] = destination_facts(
                self.profile, self.supplement, country, self.on
            )
        return found

    def references(self, program: Program) -> frozenset[str]:
        key = id(program.eligibility)
        found = self._references.get(key)
        if found is None:
            found = self._references[key] = referenced_facts(program.eligibility)
        return found

    def for_program(self, program: Program, country: Country) -> FactValues:
        """Every fact of the vocabulary, None where unknown (or not computed: points_fsw67 only when read)."""
        facts = {**_UNKNOWN, **self.person(), **self.destination(country)}
        facts.update(program_facts(self.profile, program, self.points, self.references(program)))
        return derive_facts(facts)


def program_facts(profile: Profile, program: Program, points: PointsCache, references: frozenset[str]) -> FactValues:
    facts: FactValues = {
        "points_score": None if program.points_system is None else points_fact(points.result(program.points_system)),
        "skills_assessment_positive": profile.australia.skills_assessment if program.country == "AU" else None,
        "sponsor_licensed": _offer_flag(profile, program.country),
        "occupation_on_list": None,
        "endorsement": None,
        "evidence_criteria_met": None,
        "investment_targeted_area": None,
    }
    if "points_fsw67" in references:
        facts["points_fsw67"] = points_fact(points.result(PointsSystem.FSW67))
    return facts


def _offer_flag(profile: Profile, country: str) -> bool | None:
    offer = profile.job_offer_in(country)
    return None if offer is None else offer.sponsor_licensed


# --- person ---------------------------------------------------------------------------------------------


def person_facts(profile: Profile, supplement: Supplement, on: date) -> FactValues:
    marital = profile.marital_status
    has_partner = None if marital is None else marital.has_partner
    children = profile.dependent_children
    highest = _highest(profile.education)
    tests = profile.language_tests
    facts: FactValues = {
        "age": profile.age_on(on),
        "citizenship": _single(profile.citizenships),
        "has_partner": has_partner,
        "partner_accompanying": profile.partner_comes_along,
        "dependent_children": children,
        "family_size": None if has_partner is None or children is None else 1 + int(has_partner) + children,
        "countries_resided_6m_since_18": None,
        "education_level": _education_level(profile.education),
        "qualification_state_recognised": None if highest is None else highest.state_recognised,
        "years_since_graduation": _years_since(highest, on),
        "degree_taught_in_english": profile.uk.degree_taught_in_english,
        "ca_education_assessed": _education_assessed(profile.education),
        "de_qualification_recognition": _value(profile.germany.recognition),
        **_first_official_language(profile, on),
        **_cefr("english", tests, Language.ENGLISH),
        **_cefr("german", tests, Language.GERMAN),
        "english_ielts_min_band": _ielts(tests, lambda r: min(r.score(a) or 0 for a in ABILITIES)),
        "english_ielts_overall": _ielts(tests, ielts_overall),
        "skilled_work_years_total": _skilled_years(profile.work_history, on),
        # Occupation groups are not asked, so these are known only for someone who has not worked.
        "it_work_years_last_7y": 0.0 if profile.work_history == () else None,
        "trade_work_years_last_5y": 0.0 if profile.work_history == () else None,
        "noc_teer": _teer(profile.work_history, on),
        "ca_skilled_trade_occupation": None,
        "ca_trade_certificate": profile.canada.certificate_of_qualification,
        "passive_income_monthly_eur": supplement.passive_income_monthly_eur,
        "remote_work_relationship_months": (
            0.0 if supplement.works_remotely is False else supplement.remote_work_months
        ),
        "major_international_award": None,
        "us_dhanasar_met": None,
    }
    return facts


def _value(choice: StrEnum | None) -> str | None:
    return None if choice is None else choice.value


def _single(countries: frozenset[str] | None) -> str | None:
    """With several passports the evaluation tries each (see `eligibility`); alone, the one there is."""
    if not countries:
        return None
    return min(countries)


def _highest(credentials: Sequence[Credential] | None) -> Credential | None:
    return max(credentials, key=lambda c: c.level) if credentials else None


def _education_level(credentials: Sequence[Credential] | None) -> str | None:
    return None if credentials is None else education_level(credentials).name.lower()


def _years_since(credential: Credential | None, on: date) -> float | None:
    if credential is None or credential.completed_on is None:
        return None
    return round((on - credential.completed_on).days / 365.25, 2)


def _education_assessed(credentials: Sequence[Credential] | None) -> bool | None:
    if credentials is None:
        return None
    if any((c.canadian and c.post_secondary) or c.eca for c in credentials):
        return True
    return None if any(c.eca is None and not c.canadian for c in credentials) else False


def _first_official_language(profile: Profile, on: date) -> FactValues:
    """CLB/NCLC per ability of the stronger official-language result (or the declared first language)."""
    names = [f"first_language_clb_{a.value}" for a in ABILITIES]
    if profile.language_tests is None:
        return dict.fromkeys(names)
    usable = usable_results(profile.language_tests, on, "language_tests")
    if usable.missing:
        return dict.fromkeys(names)
    declared = profile.canada.first_official_language
    candidates = [
        result for language, results in usable.by_language.items() if declared in (None, language) for result in results
    ]
    if not candidates:
        return dict.fromkeys(names, 0)
    best = max(candidates, key=lambda r: (min(r.levels.values()), sum(r.levels.values())))
    return {name: int(level) for name, level in zip(names, best.levels.values(), strict=True)}


def _cefr(language_name: str, tests: Sequence[LanguageTestResult] | None, language: Language) -> FactValues:
    """The best stated CEFR level in `language`; "none" when no test in that language was taken at all."""
    if tests is None:
        return {f"{language_name}_cefr": None}
    in_language = [t for t in tests if t.test_language is language]
    levels = [level for t in in_language if (level := lowest_cefr_level(t)) is not None]
    if levels:
        return {f"{language_name}_cefr": CEFR_LEVELS[max(levels)]}
    # A numeric result (IELTS, TOEFL…) states no CEFR level and none is derived from it: unknown.
    return {f"{language_name}_cefr": None if in_language else "none"}


def _ielts(
    tests: Sequence[LanguageTestResult] | None, read: Callable[[LanguageTestResult], float | None]
) -> float | None:
    if tests is None:
        return None
    english = [t for t in tests if t.test_language is Language.ENGLISH]
    bands = [band for t in english if t.test in _IELTS and (band := read(t)) is not None]
    if bands:
        return max(bands)
    return 0.0 if not english else None


def _skilled_years(
    entries: Sequence[WorkEntry] | None,
    on: date,
    *,
    country: str = "",
    inside: bool | None = None,
    years_back: int | None = None,
) -> float | None:
    """Full-time-equivalent years of skilled work (see `skilled_work_criteria`); None while any entry that
    might count lacks an answer."""
    if entries is None:
        return None
    since = add_years(on, -years_back) if years_back else min((e.start for e in entries), default=on)
    criteria = skilled_work_criteria(since, on, country=country, inside=inside)
    kept, missing = qualifying_entries(entries, criteria, "work_history")
    if missing:
        return None
    return round(fte_years(kept, since=since, until=on), 2)


def _teer(entries: Sequence[WorkEntry] | None, on: date) -> int | None:
    """The TEER of the longest skilled job (the primary occupation); else the best TEER held."""
    if not entries:
        return None
    known = [e for e in entries if e.teer is not None]
    skilled = [e for e in known if e.skilled]
    if skilled:
        return max(skilled, key=lambda e: ((e.end or on) - e.start).days).teer
    return min((e.teer for e in known if e.teer is not None), default=None)


# --- destination ----------------------------------------------------------------------------------------


def destination_facts(profile: Profile, supplement: Supplement, country: Country, on: date) -> FactValues:
    code = country.code
    entries = profile.work_history
    offers = profile.job_offers
    offer = profile.job_offer_in(code)
    partner = profile.partner
    no_partner = profile.marital_status is not None and not profile.marital_status.has_partner
    remote_foreign = _remote_for_foreign(supplement, code)
    described = offer is not None and supplement.job_offer_country == code
    return {
        "partner_citizen_or_resident": (
            False if no_partner else (None if partner is None else partner.citizen_or_pr(code))
        ),
        "skilled_work_years_foreign": _skilled_years(
            entries, on, country=code, inside=False, years_back=LOOK_BACK_YEARS
        ),
        "skilled_work_years_in_country": _skilled_years(
            entries, on, country=code, inside=True, years_back=LOOK_BACK_YEARS
        ),
        "skilled_work_years_in_country_last_3y": _skilled_years(entries, on, country=code, inside=True, years_back=3),
        "job_offer": None if offers is None else offer is not None,
        "job_offer_salary": _salary(offer, country),
        "job_offer_duration_months": supplement.job_offer_duration_months if described else None,
        "job_offer_degree_level": supplement.job_offer_degree_level if described else None,
        "current_salary_annual": None,
        "authorised_to_work_in_country": _authorised(profile, code),
        "funds_available": _in_currency(profile, country),
        "remote_work_for_foreign_employer": remote_foreign,
        "remote_income_monthly_eur": (
            supplement.remote_income_monthly_eur if remote_foreign else (0.0 if remote_foreign is False else None)
        ),
        "investment_amount": None,
        "study_admission": None,
    }


def _salary(offer: JobOffer | None, country: Country) -> float | None:
    if offer is None or offer.currency != country.currency:
        return None
    return offer.annual_salary()


def _authorised(profile: Profile, code: str) -> bool | None:
    if profile.citizenships and code in profile.citizenships:
        return True
    return profile.canada.authorised_to_work if code == "CA" else None


def _in_currency(profile: Profile, country: Country) -> float | None:
    funds = profile.funds
    return funds.amount if funds is not None and funds.currency == country.currency else None


def _remote_for_foreign(supplement: Supplement, code: str) -> bool | None:
    if supplement.works_remotely is False:
        return False
    if supplement.works_remotely is None or supplement.remote_employer_country is None:
        return None
    return supplement.remote_employer_country != code


def citizenships_to_try(profile: Profile) -> Iterable[str | None]:
    return sorted(profile.citizenships) if profile.citizenships else [None]


__all__ = ["FactValues", "FactValuesBuilder", "PointsCache", "Supplement", "points_fact"]
