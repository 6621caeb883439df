"""Every CRS table row (core, spouse, transferability, additional), restated from the official criteria as of
2025-03-25 against the tables in code:
https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/check-score/crs-criteria.html
"""

import pytest

from domain.points import crs_tables as t
from domain.profile import EducationLevel as E

AGES = list(range(17, 47))
WITHOUT_SPOUSE_AGE = [0, 99, 105, *[110] * 10, 105, 99, 94, 88, 83, 77, 72, 66, 61, 55, 50, 39, 28, 17, 6, 0, 0]
WITH_SPOUSE_AGE = [0, 90, 95, *[100] * 10, 95, 90, 85, 80, 75, 70, 65, 60, 55, 50, 45, 35, 25, 15, 5, 0, 0]


@pytest.mark.parametrize(("age", "without", "with_"), list(zip(AGES, WITHOUT_SPOUSE_AGE, WITH_SPOUSE_AGE, strict=True)))
def test_crs_age_row(age: int, without: int, with_: int) -> None:
    assert t.age_points(age, with_spouse=False) == without
    assert t.age_points(age, with_spouse=True) == with_


@pytest.mark.parametrize(
    ("level", "without", "with_", "spouse"),
    [
        (E.NONE, 0, 0, 0),
        (E.SECONDARY, 30, 28, 2),
        (E.ONE_YEAR, 90, 84, 6),
        (E.TWO_YEAR, 98, 91, 7),
        (E.BACHELOR, 120, 112, 8),
        (E.TWO_OR_MORE, 128, 119, 9),
        (E.MASTER, 135, 126, 10),
        (E.DOCTORAL, 150, 140, 10),
    ],
)
def test_crs_education_row(level: E, without: int, with_: int, spouse: int) -> None:
    assert t.education_points(level, with_spouse=False) == without
    assert t.education_points(level, with_spouse=True) == with_
    assert t.spouse_education_points(level) == spouse


@pytest.mark.parametrize(
    ("clb", "without", "with_", "spouse"),
    [
        (0, 0, 0, 0),
        (3, 0, 0, 0),
        (4, 6, 6, 0),
        (5, 6, 6, 1),
        (6, 9, 8, 1),
        (7, 17, 16, 3),
        (8, 23, 22, 3),
        (9, 31, 29, 5),
        (10, 34, 32, 5),
        (12, 34, 32, 5),
    ],
)
def test_crs_first_language_row_per_ability(clb: int, without: int, with_: int, spouse: int) -> None:
    assert t.first_language_points(clb, with_spouse=False) == without
    assert t.first_language_points(clb, with_spouse=True) == with_
    assert t.spouse_language_points(clb) == spouse


def test_crs_first_language_maxima_are_136_and_128_and_spouse_20() -> None:
    assert 4 * t.first_language_points(10, with_spouse=False) == 136
    assert 4 * t.first_language_points(10, with_spouse=True) == 128
    assert 4 * t.spouse_language_points(10) == 20


@pytest.mark.parametrize(("clb", "points"), [(3, 0), (4, 0), (5, 1), (6, 1), (7, 3), (8, 3), (9, 6), (10, 6)])
def test_crs_second_language_row_per_ability(clb: int, points: int) -> None:
    assert t.second_language_points(clb) == points


def test_crs_second_language_cap_is_24_without_and_22_with_spouse() -> None:
    assert t.SECOND_LANGUAGE_CAP == (24, 22)


@pytest.mark.parametrize(
    ("years", "without", "with_", "spouse"),
    [(0, 0, 0, 0), (1, 40, 35, 5), (2, 53, 46, 7), (3, 64, 56, 8), (4, 72, 63, 9), (5, 80, 70, 10), (9, 80, 70, 10)],
)
def test_crs_canadian_work_row(years: int, without: int, with_: int, spouse: int) -> None:
    assert t.canadian_work_points(years, with_spouse=False) == without
    assert t.canadian_work_points(years, with_spouse=True) == with_
    assert t.spouse_canadian_work_points(years) == spouse


@pytest.mark.parametrize(
    ("levels", "band"),
    [
        ((6, 9, 9, 9), 0),
        ((7, 7, 7, 7), 1),
        ((9, 9, 9, 8), 1),
        ((10, 7, 10, 10), 1),
        ((9, 9, 9, 9), 2),
        ((10, 10, 10, 10), 2),
        (None, 0),
    ],
)
def test_transferability_language_band_needs_all_four_abilities(levels: tuple[int, ...] | None, band: int) -> None:
    assert t.language_band(levels) == band


@pytest.mark.parametrize(
    ("level", "with_7", "with_9", "with_1y", "with_2y"),
    [
        (E.NONE, 0, 0, 0, 0),
        (E.SECONDARY, 0, 0, 0, 0),
        (E.ONE_YEAR, 13, 25, 13, 25),
        (E.TWO_YEAR, 13, 25, 13, 25),
        (E.BACHELOR, 13, 25, 13, 25),
        (E.TWO_OR_MORE, 25, 50, 25, 50),
        (E.MASTER, 25, 50, 25, 50),
        (E.DOCTORAL, 25, 50, 25, 50),
    ],
)
def test_transferability_education_row(level: E, with_7: int, with_9: int, with_1y: int, with_2y: int) -> None:
    row = t.TRANSFER_EDUCATION[t.education_class(level)]
    assert t.combination_points(row, 1, 0) == (with_7, 0)
    assert t.combination_points(row, 2, 0) == (with_9, 0)
    assert t.combination_points(row, 0, 1) == (0, with_1y)
    assert t.combination_points(row, 0, 2) == (0, with_2y)
    assert t.combination_points(row, 0, 5) == (0, with_2y)


@pytest.mark.parametrize(
    ("years", "with_7", "with_9", "with_1y", "with_2y"),
    [(0, 0, 0, 0, 0), (1, 13, 25, 13, 25), (2, 13, 25, 13, 25), (3, 25, 50, 25, 50), (8, 25, 50, 25, 50)],
)
def test_transferability_foreign_work_row(years: int, with_7: int, with_9: int, with_1y: int, with_2y: int) -> None:
    row = t.TRANSFER_FOREIGN_WORK[t.foreign_work_class(years)]
    assert t.combination_points(row, 1, 0) == (with_7, 0)
    assert t.combination_points(row, 2, 0) == (with_9, 0)
    assert t.combination_points(row, 0, 1) == (0, with_1y)
    assert t.combination_points(row, 0, 2) == (0, with_2y)


@pytest.mark.parametrize(
    ("levels", "points"), [((4, 9, 9, 9), 0), ((5, 5, 5, 5), 25), ((5, 9, 9, 9), 25), ((7, 7, 7, 7), 50)]
)
def test_certificate_of_qualification_row(levels: tuple[int, ...], points: int) -> None:
    assert t.certificate_points(levels) == points


@pytest.mark.parametrize(
    ("level", "points"),
    [
        (E.SECONDARY, 0),
        (E.ONE_YEAR, 15),
        (E.TWO_YEAR, 15),
        (E.BACHELOR, 30),
        (E.TWO_OR_MORE, 30),
        (E.MASTER, 30),
        (E.DOCTORAL, 30),
    ],
)
def test_canadian_study_row(level: E, points: int) -> None:
    assert t.canadian_study_points(level) == points


def test_additional_points_values() -> None:
    assert (t.PROVINCIAL_NOMINATION, t.FRENCH_WITHOUT_ENGLISH, t.FRENCH_WITH_ENGLISH, t.SIBLING_IN_CANADA) == (
        600,
        25,
        50,
        15,
    )


def test_job_offer_points_are_0_from_2025_03_25_and_200_or_50_before() -> None:
    current, older = sorted(t.CRS_VERSIONS, key=lambda v: v.effective, reverse=True)
    assert current.effective.isoformat() == "2025-03-25"
    assert (current.job_offer_major_group_00, current.job_offer_other_teer_0_3) == (0, 0)
    assert (older.job_offer_major_group_00, older.job_offer_other_teer_0_3) == (200, 50)
