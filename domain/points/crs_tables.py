"""Comprehensive Ranking System tables as data; columns are (without spouse, with spouse[, spouse factor]).

Source: https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/check-score/crs-criteria.html
— as of 2025-03-25 (the version that removed arranged-employment points).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from domain.profile import EducationLevel

SOURCE_URL = (
    "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/"
    "express-entry/check-score/crs-criteria.html"
)

MAXIMUM = 1200
CORE_MAXIMUM = (500, 460)
SPOUSE_MAXIMUM = 40
TRANSFERABILITY_MAXIMUM = 100
TRANSFERABILITY_GROUP_MAXIMUM = 50
ADDITIONAL_MAXIMUM = 600

AGE: Mapping[int, tuple[int, int]] = {
    18: (99, 90),
    19: (105, 95),
    **{age: (110, 100) for age in range(20, 30)},
    30: (105, 95),
    31: (99, 90),
    32: (94, 85),
    33: (88, 80),
    34: (83, 75),
    35: (77, 70),
    36: (72, 65),
    37: (66, 60),
    38: (61, 55),
    39: (55, 50),
    40: (50, 45),
    41: (39, 35),
    42: (28, 25),
    43: (17, 15),
    44: (6, 5),
}
"""Completed years; 17 or younger and 45 or older score 0."""

EDUCATION: Mapping[EducationLevel, tuple[int, int, int]] = {
    EducationLevel.NONE: (0, 0, 0),
    EducationLevel.SECONDARY: (30, 28, 2),
    EducationLevel.ONE_YEAR: (90, 84, 6),
    EducationLevel.TWO_YEAR: (98, 91, 7),
    EducationLevel.BACHELOR: (120, 112, 8),
    EducationLevel.TWO_OR_MORE: (128, 119, 9),
    EducationLevel.MASTER: (135, 126, 10),
    EducationLevel.DOCTORAL: (150, 140, 10),
}

FIRST_LANGUAGE: Mapping[int, tuple[int, int, int]] = {
    **{clb: (0, 0, 0) for clb in range(0, 4)},
    4: (6, 6, 0),
    5: (6, 6, 1),
    6: (9, 8, 1),
    7: (17, 16, 3),
    8: (23, 22, 3),
    9: (31, 29, 5),
    10: (34, 32, 5),
}
"""Per ability; CLB 10 or higher is the top row."""

SECOND_LANGUAGE: Mapping[int, int] = {**{clb: 0 for clb in range(0, 5)}, 5: 1, 6: 1, 7: 3, 8: 3, 9: 6, 10: 6}
SECOND_LANGUAGE_CAP = (24, 22)

CANADIAN_WORK: Mapping[int, tuple[int, int, int]] = {
    0: (0, 0, 0),
    1: (40, 35, 5),
    2: (53, 46, 7),
    3: (64, 56, 8),
    4: (72, 63, 9),
    5: (80, 70, 10),
}
"""Completed years of skilled Canadian work in the last 10 years; 5 or more is the top row."""

# Skill transferability: (with language band 7+, with band 9+, with 1 year Canadian work, with 2+ years).
TRANSFER_EDUCATION: Mapping[int, tuple[int, int, int, int]] = {
    0: (0, 0, 0, 0),  # secondary or less
    1: (13, 25, 13, 25),  # one-year, two-year, bachelor's / 3-year
    2: (25, 50, 25, 50),  # two or more, master's, doctoral
}
TRANSFER_FOREIGN_WORK: Mapping[int, tuple[int, int, int, int]] = {
    0: (0, 0, 0, 0),  # none
    1: (13, 25, 13, 25),  # 1–2 years
    2: (25, 50, 25, 50),  # 3 years or more
}
CERTIFICATE_WITH_CLB_5 = 25  # CLB 5+ on all four, at least one below 7
CERTIFICATE_WITH_CLB_7 = 50  # CLB 7+ on all four

PROVINCIAL_NOMINATION = 600
CANADIAN_STUDY_SHORT = 15  # 1- or 2-year credential
CANADIAN_STUDY_LONG = 30  # 3+ years, master's, professional or doctoral
FRENCH_WITHOUT_ENGLISH = 25  # NCLC 7+ on all four, English CLB 4 or lower or no English test
FRENCH_WITH_ENGLISH = 50  # NCLC 7+ on all four, English CLB 5+ on all four
SIBLING_IN_CANADA = 15


@dataclass(frozen=True, slots=True)
class CrsRules:
    """What changes between CRS versions: only arranged-employment points so far."""

    effective: date
    job_offer_major_group_00: int
    job_offer_other_teer_0_3: int


CRS_VERSIONS = (
    # The reference gives no start date for the 200/50 values; 2022-11-16 is when Express Entry moved to
    # NOC 2021 TEER categories, the terms these values are stated in.
    CrsRules(date(2022, 11, 16), job_offer_major_group_00=200, job_offer_other_teer_0_3=50),
    CrsRules(date(2025, 3, 25), job_offer_major_group_00=0, job_offer_other_teer_0_3=0),
)


def age_points(age: int, *, with_spouse: bool) -> int:
    return AGE.get(age, (0, 0))[with_spouse]


def education_points(level: EducationLevel, *, with_spouse: bool) -> int:
    return EDUCATION[level][with_spouse]


def spouse_education_points(level: EducationLevel) -> int:
    return EDUCATION[level][2]


def _clb(level: int) -> int:
    return max(0, min(level, 10))


def first_language_points(clb: int, *, with_spouse: bool) -> int:
    return FIRST_LANGUAGE[_clb(clb)][with_spouse]


def spouse_language_points(clb: int) -> int:
    return FIRST_LANGUAGE[_clb(clb)][2]


def second_language_points(clb: int) -> int:
    return SECOND_LANGUAGE[_clb(clb)]


def canadian_work_points(years: int, *, with_spouse: bool) -> int:
    return CANADIAN_WORK[min(years, 5)][with_spouse]


def spouse_canadian_work_points(years: int) -> int:
    return CANADIAN_WORK[min(years, 5)][2]


def education_class(level: EducationLevel) -> int:
    if level >= EducationLevel.TWO_OR_MORE:
        return 2
    return 1 if level >= EducationLevel.ONE_YEAR else 0


def foreign_work_class(years: int) -> int:
    return 2 if years >= 3 else 1 if years >= 1 else 0


def canadian_study_points(level: EducationLevel) -> int:
    if level >= EducationLevel.BACHELOR:
        return CANADIAN_STUDY_LONG
    return CANADIAN_STUDY_SHORT if level >= EducationLevel.ONE_YEAR else 0


def language_band(levels: tuple[int, ...] | None) -> int:
    """0: some ability below CLB 7 · 1: band "7+" (all 7+, one below 9) · 2: band "9+" (all 9+)."""
    if not levels or min(levels) < 7:
        return 0
    return 2 if min(levels) >= 9 else 1


def combination_points(row: tuple[int, int, int, int], band: int, canadian_years: int) -> tuple[int, int]:
    """(points with the language band, points with Canadian work) from one transferability row."""
    with_language = (0, row[0], row[1])[band]
    with_work = 0 if canadian_years < 1 else row[2] if canadian_years == 1 else row[3]
    return with_language, with_work


def certificate_points(levels: tuple[int, ...] | None) -> int:
    if not levels or min(levels) < 5:
        return 0
    return CERTIFICATE_WITH_CLB_7 if min(levels) >= 7 else CERTIFICATE_WITH_CLB_5
