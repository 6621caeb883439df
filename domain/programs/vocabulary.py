"""The vocabulary of facts: the named inputs eligibility rules read (`domain.recommendations.fact_values`
computes their values from a profile).

Facts are evaluated per program. Scope says what a value depends on: PERSON facts are the same for every
program; DESTINATION facts are relative to the program's country (money in that country's currency,
"in country" meaning there); PROGRAM facts are relative to the program itself (its points test, its
occupation list, its sponsor register). An absent fact, or ``None``, means "unknown".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType


class FactKind(StrEnum):
    BOOLEAN = "boolean"
    INTEGER = "integer"
    NUMBER = "number"  # int, float or Decimal
    CHOICE = "choice"  # one of `Fact.choices`
    COUNTRY = "country"  # ISO 3166-1 alpha-2, upper case


class FactScope(StrEnum):
    PERSON = "person"
    DESTINATION = "destination"
    PROGRAM = "program"


@dataclass(frozen=True, slots=True)
class Fact:
    name: str
    kind: FactKind
    unit: str
    meaning: str
    scope: FactScope = FactScope.PERSON
    choices: tuple[str, ...] = ()


EDUCATION_LEVELS: tuple[str, ...] = (
    "none",
    "secondary",
    "one_year",
    "two_year",
    "bachelor",
    "two_or_more",
    "master",
    "doctoral",
)
"""Highest credential, lowest first; the index is `education_rank` (same ladder as the points grids)."""

EDUCATION_RANK: Mapping[str, int] = MappingProxyType({level: i for i, level in enumerate(EDUCATION_LEVELS)})

CEFR_LEVELS: tuple[str, ...] = ("none", "A1", "A2", "B1", "B2", "C1", "C2")
"""CEFR levels, lowest first; the index is the `*_cefr_rank` fact (none = 0, A1 = 1 … C2 = 6)."""

CEFR_RANK: Mapping[str, int] = MappingProxyType({level: i for i, level in enumerate(CEFR_LEVELS)})

_P, _D, _G = FactScope.PERSON, FactScope.DESTINATION, FactScope.PROGRAM
_B, _I, _N = FactKind.BOOLEAN, FactKind.INTEGER, FactKind.NUMBER
_CLB_ABILITY = (
    "CLB/NCLC level (0–12) for {ability} in the applicant's first official language (the stronger of "
    "English and French), converted per IRCC's tables from an approved test taken less than 2 years ago"
)

_FACTS: tuple[Fact, ...] = (
    # Person and family
    Fact(
        "age",
        _I,
        "years",
        "Completed years of age on the date the program assesses it (application, "
        "or invitation where the program invites).",
    ),
    Fact(
        "citizenship", FactKind.COUNTRY, "ISO 3166-1 alpha-2", "Country of the passport the applicant will apply with."
    ),
    Fact(
        "has_partner",
        _B,
        "",
        "Has a spouse, civil partner, or common-law/de facto partner (cohabiting "
        "in a marriage-like relationship for at least 12 months).",
    ),
    Fact(
        "partner_accompanying",
        _B,
        "",
        "The partner will be included in the application and move too; false when there is no partner.",
    ),
    Fact(
        "dependent_children",
        _I,
        "children",
        "Dependent children who will be included in the "
        "application (under the destination's age limit for dependants).",
    ),
    Fact(
        "family_size",
        _I,
        "persons",
        "IRCC family size: the applicant, their spouse or partner, and "
        "all dependent children (and the partner's), counted even if a member is a Canadian citizen or "
        "permanent resident or is not coming.",
    ),
    Fact(
        "countries_resided_6m_since_18",
        _I,
        "countries",
        "Number of countries, including the current "
        "one, where the applicant lived for 6 months or more in a row since turning 18.",
    ),
    Fact(
        "partner_citizen_or_resident",
        _B,
        "",
        "The partner is a citizen or permanent (settled) resident of the destination country and can act as sponsor.",
        _D,
    ),
    # Education
    Fact(
        "education_level",
        FactKind.CHOICE,
        "",
        "Highest completed credential on the shared ladder "
        "(one_year/two_year = post-secondary credentials of that length; bachelor includes any "
        "3-year+ post-secondary program; two_or_more = two credentials, one of them 3+ years; master "
        "includes entry-to-practice professional degrees).",
        choices=EDUCATION_LEVELS,
    ),
    Fact(
        "education_rank",
        _I,
        "rank 0–7",
        "Index of `education_level` in EDUCATION_LEVELS "
        "(none 0, secondary 1, one_year 2, two_year 3, bachelor 4, two_or_more 5, master 6, doctoral 7).",
    ),
    Fact(
        "qualification_state_recognised",
        _B,
        "",
        "The highest qualification is state-recognised where "
        "it was earned (accredited university, or state-regulated vocational training).",
    ),
    Fact("years_since_graduation", _N, "years", "Years since the highest post-secondary qualification was completed."),
    Fact(
        "degree_taught_in_english",
        _B,
        "",
        "Holds a bachelor's or higher degree taught in English "
        "(the UK accepts it as English evidence once confirmed by Ecctis).",
    ),
    Fact(
        "ca_education_assessed",
        _B,
        "",
        "Holds a Canadian post-secondary credential, or an Educational "
        "Credential Assessment for immigration purposes of the foreign credential.",
    ),
    Fact(
        "de_qualification_recognition",
        FactKind.CHOICE,
        "",
        "Status of the highest qualification in "
        "Germany: full (German qualification, or foreign one found equivalent/comparable by a "
        "recognition body or ZAB), partial (a recognition notice found it partly equivalent), none.",
        choices=("full", "partial", "none"),
    ),
    # Languages
    Fact("first_language_clb_listening", _I, "CLB", _CLB_ABILITY.format(ability="listening")),
    Fact("first_language_clb_reading", _I, "CLB", _CLB_ABILITY.format(ability="reading")),
    Fact("first_language_clb_writing", _I, "CLB", _CLB_ABILITY.format(ability="writing")),
    Fact("first_language_clb_speaking", _I, "CLB", _CLB_ABILITY.format(ability="speaking")),
    Fact("first_language_clb_min", _I, "CLB", "Lowest of the four first-official-language CLB levels."),
    Fact(
        "english_cefr",
        FactKind.CHOICE,
        "",
        "CEFR level of English on a certificate the destination "
        "accepts (lowest ability if the certificate reports several).",
        choices=CEFR_LEVELS,
    ),
    Fact("english_cefr_rank", _I, "rank 0–6", "Index of `english_cefr` in CEFR_LEVELS."),
    Fact(
        "english_ielts_min_band",
        _N,
        "IELTS band",
        "Lowest of the four IELTS component bands, or the "
        "IELTS-equivalent of the lowest component on another test the destination accepts.",
    ),
    Fact(
        "english_ielts_overall",
        _N,
        "IELTS band",
        "IELTS overall band, or the IELTS-equivalent overall result of another accepted test.",
    ),
    Fact(
        "german_cefr",
        FactKind.CHOICE,
        "",
        "CEFR level of German on a certificate from an ALTE-member provider (Goethe, telc, ÖSD, TestDaF, ECL).",
        choices=CEFR_LEVELS,
    ),
    Fact("german_cefr_rank", _I, "rank 0–6", "Index of `german_cefr` in CEFR_LEVELS."),
    # Work
    Fact(
        "skilled_work_years_total",
        _N,
        "years",
        "Full-time-equivalent years of paid skilled work "
        "(professional, managerial, technical or skilled-trade; NOC TEER 0–3 or equivalent) over the "
        "whole career, any country, relevant to the intended occupation.",
    ),
    Fact(
        "skilled_work_years_foreign",
        _N,
        "years",
        "Full-time-equivalent years of paid skilled work (as above) done outside the destination country in the "
        "last 10 years.",
        _D,
    ),
    Fact(
        "skilled_work_years_in_country",
        _N,
        "years",
        "Full-time-equivalent years of paid skilled work done in the destination country in the last 10 years, "
        "with work authorisation (not self-employed, not as a full-time student).",
        _D,
    ),
    Fact(
        "skilled_work_years_in_country_last_3y",
        _N,
        "years",
        "As `skilled_work_years_in_country`, counting only the last 3 years.",
        _D,
    ),
    Fact(
        "it_work_years_last_7y",
        _N,
        "years",
        "Years of professional IT work (ISCO-08 groups 133/25) in the last 7 years.",
    ),
    Fact(
        "trade_work_years_last_5y",
        _N,
        "years",
        "Full-time-equivalent years of work in the applicant's "
        "skilled trade in the last 5 years, meeting the trade's NOC duties.",
    ),
    Fact(
        "noc_teer",
        _I,
        "TEER 0–5",
        "NOC 2021 TEER category of the occupation in which the qualifying skilled experience was gained.",
    ),
    Fact(
        "ca_skilled_trade_occupation",
        _B,
        "",
        "The trade is in a NOC group eligible for the Federal "
        "Skilled Trades Program (major groups 72, 73, 82, 83, 92, 93; minor groups 6320, 6200).",
    ),
    Fact(
        "ca_trade_certificate",
        _B,
        "",
        "Holds a certificate of qualification in the trade issued by a "
        "Canadian province, territory or federal authority.",
    ),
    # Job offer and employment
    Fact(
        "job_offer",
        _B,
        "",
        "Holds a written, genuine, full-time offer of paid employment from an employer in the destination country.",
        _D,
    ),
    Fact(
        "job_offer_salary",
        _N,
        "program currency per year",
        "Guaranteed gross annual base pay of the "
        "offer in the program's currency, excluding holiday allowance, bonuses and allowances (a "
        "monthly figure times 12).",
        _D,
    ),
    Fact(
        "job_offer_duration_months",
        _N,
        "months",
        "Length of the employment contract offered; open-ended contracts count as 120.",
        _D,
    ),
    Fact(
        "job_offer_degree_level",
        _B,
        "",
        "The offered job is at degree level in the destination's "
        "classification (UK RQF 6+, US specialty occupation, ANZSCO skill level 1).",
        _D,
    ),
    Fact(
        "current_salary_annual",
        _N,
        "program currency per year",
        "Gross annual base pay of the applicant's current job, converted to the program's currency.",
        _D,
    ),
    Fact(
        "authorised_to_work_in_country",
        _B,
        "",
        "Currently holds status that authorises work in the destination country.",
        _D,
    ),
    Fact(
        "sponsor_licensed",
        _B,
        "",
        "The offering employer holds the sponsor status this program "
        "requires (UK licensed sponsor, AU approved sponsor, NL IND-recognised sponsor, NZ accredited "
        "employer).",
        _G,
    ),
    Fact(
        "occupation_on_list",
        _B,
        "",
        "The intended occupation is on the list this program names in its "
        "rule description (AU skilled lists, IE Critical Skills list, UK ISL/TSL, DE shortage list).",
        _G,
    ),
    Fact(
        "skills_assessment_positive",
        _B,
        "",
        "Holds a positive skills assessment for the nominated "
        "occupation from the assessing authority the program designates.",
        _G,
    ),
    # Money
    Fact(
        "funds_available",
        _N,
        "program currency",
        "Unencumbered liquid funds the applicant can prove "
        "(own savings; plus a blocked account, scholarship or sponsor's formal commitment where the "
        "program accepts those), in the program's currency.",
        _D,
    ),
    Fact(
        "passive_income_monthly_eur",
        _N,
        "EUR per month",
        "Regular gross passive income (pensions, "
        "rents, dividends, royalties) averaged over the last 12 months, in euros.",
    ),
    Fact(
        "remote_income_monthly_eur",
        _N,
        "EUR per month",
        "Gross income from remote work for employers or clients outside the destination country, averaged over "
        "the last 6 months, converted to euros.",
        _D,
    ),
    Fact(
        "remote_work_for_foreign_employer",
        _B,
        "",
        "Works remotely for an employer registered outside "
        "the destination country, or as a freelancer mainly for clients there.",
        _D,
    ),
    Fact(
        "remote_work_relationship_months",
        _N,
        "months",
        "How long the current remote employment or main client relationship has lasted.",
    ),
    Fact(
        "investment_amount",
        _N,
        "program currency",
        "Capital the applicant has invested or will "
        "invest in assets that qualify for the program, in the program's currency.",
        _D,
    ),
    Fact(
        "investment_targeted_area",
        _B,
        "",
        "The planned investment qualifies for the program's reduced "
        "threshold (US EB-5: targeted employment area or infrastructure project).",
        _G,
    ),
    # Merit, endorsement, points
    Fact(
        "endorsement",
        _B,
        "",
        "Holds the endorsement the program requires from its designated body "
        "(UK Global Talent endorsing body, Canadian designated organisation's letter of support).",
        _G,
    ),
    Fact(
        "major_international_award",
        _B,
        "",
        "Has received a major, internationally recognised award (Nobel-, Pulitzer-, Oscar- or Olympic-medal-level).",
    ),
    Fact(
        "evidence_criteria_met",
        _I,
        "criteria",
        "How many of the program's listed evidentiary criteria "
        "the applicant can document (US O-1A: of 8; EB-2 exceptional ability: of 6).",
        _G,
    ),
    Fact(
        "us_dhanasar_met",
        _B,
        "",
        "A qualified assessment finds all three Matter of Dhanasar prongs met: "
        "an endeavour of substantial merit and national importance, the applicant well positioned to "
        "advance it, and a waiver of the job offer beneficial to the US.",
    ),
    Fact(
        "points_score",
        _I,
        "points",
        "Score on the program's points test: computed by the calculator "
        "named by `Program.points_system`, or self-assessed on the official sheet when it has none.",
        _G,
    ),
    Fact(
        "points_fsw67",
        _I,
        "points",
        "Score on the Federal Skilled Worker 67-point grid (calculator `fsw67`), for programs that embed FSW "
        "eligibility but rank by another points system (the EE-aligned PNP ranks by CRS).",
    ),
    Fact(
        "study_admission",
        _B,
        "",
        "Holds an unconditional offer the destination requires for a study "
        "visa (CA DLI letter of acceptance, UK CAS, AU CoE, DE university admission).",
        _D,
    ),
)

VOCABULARY: Mapping[str, Fact] = MappingProxyType({fact.name: fact for fact in _FACTS})


def derive_facts(facts: Mapping[str, object]) -> dict[str, object]:
    """Add the rank facts and the CLB minimum from their sources, keeping any value already given."""
    derived = dict(facts)
    level = facts.get("education_level")
    if isinstance(level, str) and derived.get("education_rank") is None:
        derived["education_rank"] = EDUCATION_RANK[level]
    for language in ("english", "german"):
        cefr = facts.get(f"{language}_cefr")
        if isinstance(cefr, str) and derived.get(f"{language}_cefr_rank") is None:
            derived[f"{language}_cefr_rank"] = CEFR_RANK[cefr]
    abilities = [facts.get(f"first_language_clb_{a}") for a in ("listening", "reading", "writing", "speaking")]
    if derived.get("first_language_clb_min") is None and all(isinstance(v, int) for v in abilities):
        derived["first_language_clb_min"] = min(v for v in abilities if isinstance(v, int))
    return derived


def fact_problems(facts: Mapping[str, object]) -> tuple[str, ...]:
    """Names outside the vocabulary and values of the wrong kind, so a mapping bug fails loudly."""
    problems: list[str] = []
    for name, value in facts.items():
        fact = VOCABULARY.get(name)
        if fact is None:
            problems.append(f"{name}: not in the facts vocabulary")
        elif value is not None and not _fits(fact, value):
            problems.append(f"{name}: {value!r} is not a valid {fact.kind}")
    return tuple(problems)


def _fits(fact: Fact, value: object) -> bool:
    match fact.kind:
        case FactKind.BOOLEAN:
            return isinstance(value, bool)
        case FactKind.INTEGER:
            return isinstance(value, int) and not isinstance(value, bool)
        case FactKind.NUMBER:
            return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
        case FactKind.CHOICE:
            return value in fact.choices
        case FactKind.COUNTRY:
            return isinstance(value, str) and len(value) == 2 and value.isascii() and value.isupper()
